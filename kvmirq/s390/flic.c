// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the s390 FLIC device (KVM_DEV_TYPE_FLIC): floating interrupt
 * queues, I/O adapters and adapter-interruption suppression (AIS).
 *
 * Lock order: s390->flic_lock (adapters, AIS modes) > s390->fl.lock.
 */
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "s390.h"
#include "trace.h"

/* KVM ABI: kernel-internal AIS modes of struct kvm_s390_ais_req */
#define KVMIRQ_S390_AIS_MODE_ALL	0
#define KVMIRQ_S390_AIS_MODE_SINGLE	1

static int kvmirq_flic_create(struct kvmirq_device *dev)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(dev->vm);

	lockdep_assert_held(&dev->vm->lock);
	/*
	 * KVM ABI: a second FLIC in one VM is EINVAL, even after the first
	 * fd was closed: the VM keeps its FLIC until it goes.
	 */
	if (s390->flic)
		return -EINVAL;
	s390->flic = dev;
	return 0;
}

/*
 * Called when the VM goes, or when a creation fails after the create hook.
 * Adapters and queues belong to the VM and go with it.
 */
static void kvmirq_flic_destroy(struct kvmirq_device *dev)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(dev->vm);

	mutex_lock(&dev->vm->lock);
	s390->flic = NULL;
	mutex_unlock(&dev->vm->lock);
}

/* Copies one ENQUEUE entry: the type, then only its union member. */
static int kvmirq_flic_copy_irq(struct kvm_s390_irq *irq,
				const struct kvm_s390_irq __user *uirq)
{
	const void __user *src;
	void *dst;
	size_t size;

	memset(irq, 0, sizeof(*irq));
	if (get_user(irq->type, &uirq->type))
		return -EFAULT;

	switch (irq->type) {
	case KVM_S390_INT_PFAULT_INIT:
	case KVM_S390_INT_PFAULT_DONE:
	case KVM_S390_INT_VIRTIO:
	case KVM_S390_INT_SERVICE:
		dst = &irq->u.ext;
		src = &uirq->u.ext;
		size = sizeof(irq->u.ext);
		break;
	case KVM_S390_MCHK:
		dst = &irq->u.mchk;
		src = &uirq->u.mchk;
		size = sizeof(irq->u.mchk);
		break;
	default:
		if (irq->type > KVM_S390_INT_IO_MAX)
			return -EINVAL;
		dst = &irq->u.io;
		src = &uirq->u.io;
		size = sizeof(irq->u.io);
		break;
	}
	return copy_from_user(dst, src, size) ? -EFAULT : 0;
}

/*
 * KVM ABI: entries are injected in order; the first failure ends the call
 * and the entries before it stay queued.  Each entry is allocated before
 * it is read, so with memory short a bad entry is ENOMEM.  KVM truncates
 * the length to an int; kvmirq takes all 64 bits (any length over the cap
 * is EINVAL).
 */
static int kvmirq_flic_enqueue(struct kvmirq_device *dev,
			       struct kvm_device_attr *attr)
{
	const struct kvm_s390_irq __user *uirq = u64_to_user_ptr(attr->addr);
	struct kvmirq_s390_inti *inti;
	u64 i, n;
	int r;

	if (attr->attr % sizeof(*uirq) || attr->attr > KVM_S390_FLIC_MAX_BUFFER)
		return -EINVAL;
	n = attr->attr / sizeof(*uirq);
	for (i = 0; i < n; i++) {
		inti = kvmirq_s390_inti_alloc();
		if (!inti)
			return -ENOMEM;
		r = kvmirq_flic_copy_irq(&inti->irq, &uirq[i]);
		if (r) {
			kfree(inti);
			return r;
		}
		r = kvmirq_s390_inject_inti(dev->vm, inti);
		if (r)
			return r;
		kvmirq_stat_injected(dev->vm, 1);
		cond_resched();
	}
	return 0;
}

static struct kvmirq_s390_adapter *
kvmirq_flic_adapter_locked(struct kvmirq_s390_vm *s390, u64 id)
{
	lockdep_assert_held(&s390->flic_lock);
	if (id >= KVMIRQ_S390_MAX_ADAPTERS)
		return NULL;
	return s390->adapters[array_index_nospec(id, KVMIRQ_S390_MAX_ADAPTERS)];
}

static int kvmirq_flic_register_adapter(struct kvmirq_device *dev,
					struct kvm_device_attr *attr)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(dev->vm);
	struct kvmirq_s390_adapter *adapter;
	struct kvm_s390_io_adapter info;
	int r = 0;

	if (copy_from_user(&info, u64_to_user_ptr(attr->addr), sizeof(info)))
		return -EFAULT;
	if (info.id >= KVMIRQ_S390_MAX_ADAPTERS)
		return -EINVAL;
	info.id = array_index_nospec(info.id, KVMIRQ_S390_MAX_ADAPTERS);

	mutex_lock(&s390->flic_lock);
	/*
	 * KVM ABI: a registered id is EINVAL, refused before anything is
	 * allocated (so even when memory is short); there is no unregister.
	 */
	if (s390->adapters[info.id]) {
		r = -EINVAL;
		goto out;
	}
	adapter = kzalloc(sizeof(*adapter), GFP_KERNEL_ACCOUNT);
	if (!adapter) {
		r = -ENOMEM;
		goto out;
	}
	/* KVM ABI: isc unchecked; maskable/swap any nonzero; one flag kept. */
	adapter->info = info;
	adapter->info.maskable = !!info.maskable;
	adapter->info.swap = !!info.swap;
	adapter->info.flags = info.flags & KVM_S390_ADAPTER_SUPPRESSIBLE;
	INIT_LIST_HEAD(&adapter->maps);
	s390->adapters[info.id] = adapter;
out:
	mutex_unlock(&s390->flic_lock);
	return r;
}

/**
 * struct kvmirq_s390_map - a guest page MAP pinned for an adapter
 * @node: in the adapter's maps
 * @addr: the guest address MAP named
 * @page: the pinned page backing it
 */
struct kvmirq_s390_map {
	struct list_head node;
	u64 addr;
	struct page *page;
};

/*
 * KVM ABI (the 2026 MAP/UNMAP series, which re-introduces pinning; v8's
 * kvm_s390_adapter_map()): address 0 is EINVAL; then the mapping is
 * allocated (ENOMEM), the address translated (EFAULT outside every memory
 * slot) and its page pinned, any pin failure being EINVAL; only then is
 * the per-adapter cap checked (EINVAL, the page unpinned again).  So an
 * unbacked address on a full adapter is EFAULT.  The same address may be
 * mapped more than once; each MAP pins once more.
 */
static int kvmirq_flic_adapter_map_locked(struct kvmirq_vm *vm,
					  struct kvmirq_s390_adapter *adapter,
					  u64 addr)
{
	struct kvmirq_s390_map *map;
	unsigned long hva;
	int r;

	lockdep_assert_held(&kvmirq_s390(vm)->flic_lock);
	if (!addr)
		return -EINVAL;
	map = kzalloc(sizeof(*map), GFP_KERNEL_ACCOUNT);
	if (!map)
		return -ENOMEM;
	r = kvmirq_gpa_to_hva(vm, addr, &hva);
	if (r)
		goto free;
	r = -EINVAL;
	if (pin_user_pages_fast(hva & PAGE_MASK, 1, FOLL_WRITE | FOLL_LONGTERM,
				&map->page) != 1)
		goto free;
	if (adapter->nr_maps >= KVMIRQ_S390_MAX_ADAPTER_MAPS)
		goto unpin;
	map->addr = addr;
	list_add_tail(&map->node, &adapter->maps);
	adapter->nr_maps++;
	return 0;

unpin:
	unpin_user_page(map->page);
free:
	kfree(map);
	return r;
}

static void kvmirq_flic_unpin(struct kvmirq_s390_adapter *adapter,
			      struct kvmirq_s390_map *map)
{
	list_del(&map->node);
	adapter->nr_maps--;
	unpin_user_page(map->page);
	kfree(map);
}

/*
 * KVM ABI (2026 series): UNMAP of address 0 is EINVAL, as MAP's; of an
 * address not mapped, ENOENT.
 */
static int kvmirq_flic_adapter_unmap_locked(struct kvmirq_s390_vm *s390,
					    struct kvmirq_s390_adapter *adapter,
					    u64 addr)
{
	struct kvmirq_s390_map *map;

	lockdep_assert_held(&s390->flic_lock);
	if (!addr)
		return -EINVAL;
	list_for_each_entry(map, &adapter->maps, node) {
		if (map->addr == addr) {
			kvmirq_flic_unpin(adapter, map);
			return 0;
		}
	}
	return -ENOENT;
}

static int kvmirq_flic_modify_adapter(struct kvmirq_device *dev,
				      struct kvm_device_attr *attr)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(dev->vm);
	struct kvmirq_s390_adapter *adapter;
	struct kvm_s390_io_adapter_req req;
	int r;

	if (copy_from_user(&req, u64_to_user_ptr(attr->addr), sizeof(req)))
		return -EFAULT;

	mutex_lock(&s390->flic_lock);
	adapter = kvmirq_flic_adapter_locked(s390, req.id);
	if (!adapter) {
		r = -EINVAL;
		goto out;
	}
	switch (req.type) {
	case KVM_S390_IO_ADAPTER_MASK:
		if (!adapter->info.maskable) {
			r = -EINVAL;
			break;
		}
		adapter->masked = req.mask;
		r = 0;
		break;
	case KVM_S390_IO_ADAPTER_MAP:
		r = kvmirq_flic_adapter_map_locked(dev->vm, adapter, req.addr);
		break;
	case KVM_S390_IO_ADAPTER_UNMAP:
		r = kvmirq_flic_adapter_unmap_locked(s390, adapter, req.addr);
		break;
	default:
		r = -EINVAL;
		break;
	}
out:
	mutex_unlock(&s390->flic_lock);
	return r;
}

static int kvmirq_flic_clear_io_irq(struct kvmirq_device *dev,
				    struct kvm_device_attr *attr)
{
	u32 schid;

	/* KVM ABI: the only group that checks attr->flags. */
	if (attr->flags || attr->attr != sizeof(schid))
		return -EINVAL;
	if (copy_from_user(&schid, u64_to_user_ptr(attr->addr), sizeof(schid)))
		return -EFAULT;
	if (!schid)
		return -EINVAL;
	kvmirq_s390_clear_io(dev->vm, schid);
	return 0;
}

static u8 kvmirq_s390_ais_bit(unsigned int isc)
{
	/* KVM ABI: 0x80 >> isc, zero for an ISC above 7 (never suppressed). */
	return isc <= KVMIRQ_S390_MAX_ISC ? 0x80 >> isc : 0;
}

static int kvmirq_flic_aism(struct kvmirq_device *dev,
			    struct kvm_device_attr *attr)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(dev->vm);
	struct kvm_s390_ais_req req;
	u8 bit;
	int r = 0;

	if (!READ_ONCE(s390->ais))
		return -EOPNOTSUPP;
	if (copy_from_user(&req, u64_to_user_ptr(attr->addr), sizeof(req)))
		return -EFAULT;
	if (req.isc > KVMIRQ_S390_MAX_ISC)
		return -EINVAL;
	bit = kvmirq_s390_ais_bit(req.isc);

	mutex_lock(&s390->flic_lock);
	switch (req.mode) {
	case KVMIRQ_S390_AIS_MODE_ALL:
		s390->simm &= ~bit;
		s390->nimm &= ~bit;
		break;
	case KVMIRQ_S390_AIS_MODE_SINGLE:
		s390->simm |= bit;
		s390->nimm &= ~bit;
		break;
	default:
		r = -EINVAL;
		break;
	}
	mutex_unlock(&s390->flic_lock);
	return r;
}

/* The adapter interrupt KVM makes: AI type, word 0x80000000 | isc << 27. */
static int kvmirq_s390_inject_adapter_irq(struct kvmirq_vm *vm, u8 isc)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_INT_IO(1, 0, 0, 0) };

	irq.u.io.io_int_word = 0x80000000u | (u32)isc << 27;
	return kvmirq_s390_inject_float(vm, &irq);
}

/* KVM ABI: AIRQ_INJECT ignores masking and indicators, honours AIS. */
int kvmirq_s390_airq_inject_locked(struct kvmirq_vm *vm,
				   struct kvmirq_s390_adapter *adapter)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(vm);
	u8 bit = kvmirq_s390_ais_bit(adapter->info.isc);
	int r;

	lockdep_assert_held(&s390->flic_lock);
	if (!s390->ais || !(adapter->info.flags & KVM_S390_ADAPTER_SUPPRESSIBLE))
		return kvmirq_s390_inject_adapter_irq(vm, adapter->info.isc);
	if (s390->nimm & bit)
		return 0;
	r = kvmirq_s390_inject_adapter_irq(vm, adapter->info.isc);
	/* KVM ABI: SINGLE mode turns into NO-interruptions after one. */
	if (!r && (s390->simm & bit))
		s390->nimm |= bit;
	return r;
}

static int kvmirq_flic_airq_inject(struct kvmirq_device *dev,
				   struct kvm_device_attr *attr)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(dev->vm);
	struct kvmirq_s390_adapter *adapter;
	int r;

	mutex_lock(&s390->flic_lock);
	/* KVM ABI: the adapter id is attr truncated to 32 bits. */
	adapter = kvmirq_flic_adapter_locked(s390, (u32)attr->attr);
	r = adapter ? kvmirq_s390_airq_inject_locked(dev->vm, adapter) : -EINVAL;
	mutex_unlock(&s390->flic_lock);
	if (!r)
		kvmirq_stat_injected(dev->vm, 1);
	return r;
}

static int kvmirq_flic_aism_all_set(struct kvmirq_device *dev,
				    struct kvm_device_attr *attr)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(dev->vm);
	struct kvm_s390_ais_all ais;

	if (!READ_ONCE(s390->ais))
		return -EOPNOTSUPP;
	if (copy_from_user(&ais, u64_to_user_ptr(attr->addr), sizeof(ais)))
		return -EFAULT;
	mutex_lock(&s390->flic_lock);
	s390->simm = ais.simm;
	s390->nimm = ais.nimm;
	mutex_unlock(&s390->flic_lock);
	return 0;
}

static int kvmirq_flic_aism_all_get(struct kvmirq_device *dev,
				    struct kvm_device_attr *attr)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(dev->vm);
	struct kvm_s390_ais_all ais;

	/* KVM ABI: the size check comes before the facility check. */
	if (attr->attr < sizeof(ais))
		return -EINVAL;
	if (!READ_ONCE(s390->ais))
		return -EOPNOTSUPP;
	mutex_lock(&s390->flic_lock);
	ais.simm = s390->simm;
	ais.nimm = s390->nimm;
	mutex_unlock(&s390->flic_lock);
	return copy_to_user(u64_to_user_ptr(attr->addr), &ais, sizeof(ais)) ?
	       -EFAULT : 0;
}

/*
 * APF_ENABLE / APF_DISABLE_WAIT: kvmirq runs no async page faults, so after
 * the flag flips nothing is in flight and no completion is outstanding.
 */
static int kvmirq_flic_apf(struct kvmirq_device *dev, bool enable)
{
	WRITE_ONCE(kvmirq_s390(dev->vm)->pfault, enable);
	return 0;
}

static int kvmirq_flic_set_attr(struct kvmirq_device *dev,
				struct kvm_device_attr *attr)
{
	switch (attr->group) {
	case KVM_DEV_FLIC_ENQUEUE:
		return kvmirq_flic_enqueue(dev, attr);
	case KVM_DEV_FLIC_CLEAR_IRQS:
		kvmirq_s390_clear_float(dev->vm);
		return 0;
	case KVM_DEV_FLIC_APF_ENABLE:
		return kvmirq_flic_apf(dev, true);
	case KVM_DEV_FLIC_APF_DISABLE_WAIT:
		return kvmirq_flic_apf(dev, false);
	case KVM_DEV_FLIC_ADAPTER_REGISTER:
		return kvmirq_flic_register_adapter(dev, attr);
	case KVM_DEV_FLIC_ADAPTER_MODIFY:
		return kvmirq_flic_modify_adapter(dev, attr);
	case KVM_DEV_FLIC_CLEAR_IO_IRQ:
		return kvmirq_flic_clear_io_irq(dev, attr);
	case KVM_DEV_FLIC_AISM:
		return kvmirq_flic_aism(dev, attr);
	case KVM_DEV_FLIC_AIRQ_INJECT:
		return kvmirq_flic_airq_inject(dev, attr);
	case KVM_DEV_FLIC_AISM_ALL:
		return kvmirq_flic_aism_all_set(dev, attr);
	default:
		/* KVM ABI: GET_ALL_IRQS and unknown groups are EINVAL. */
		return -EINVAL;
	}
}

static int kvmirq_flic_get_attr(struct kvmirq_device *dev,
				struct kvm_device_attr *attr)
{
	switch (attr->group) {
	case KVM_DEV_FLIC_GET_ALL_IRQS:
		return kvmirq_s390_get_all_float(dev->vm,
						 u64_to_user_ptr(attr->addr),
						 attr->attr);
	case KVM_DEV_FLIC_AISM_ALL:
		return kvmirq_flic_aism_all_get(dev, attr);
	default:
		/* KVM ABI: SET-only and unknown groups are EINVAL. */
		return -EINVAL;
	}
}

/* KVM ABI: every group answers 0, even with AIS off; others ENXIO. */
static int kvmirq_flic_has_attr(struct kvmirq_device *dev,
				struct kvm_device_attr *attr)
{
	if (attr->group >= KVM_DEV_FLIC_GET_ALL_IRQS &&
	    attr->group <= KVM_DEV_FLIC_AISM_ALL)
		return 0;
	return -ENXIO;
}

/* Frees the adapters and unpins their pages; the VM is going. */
void kvmirq_s390_adapters_free(struct kvmirq_vm *vm)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(vm);
	struct kvmirq_s390_adapter *adapter;
	struct kvmirq_s390_map *map, *tmp;
	unsigned int i;

	for (i = 0; i < KVMIRQ_S390_MAX_ADAPTERS; i++) {
		adapter = s390->adapters[i];
		if (!adapter)
			continue;
		list_for_each_entry_safe(map, tmp, &adapter->maps, node)
			kvmirq_flic_unpin(adapter, map);
		kfree(adapter);
		s390->adapters[i] = NULL;
	}
}

const struct kvmirq_device_ops kvmirq_flic_ops = {
	.name		= "kvmirq-flic",
	.create		= kvmirq_flic_create,
	.destroy	= kvmirq_flic_destroy,
	.set_attr	= kvmirq_flic_set_attr,
	.get_attr	= kvmirq_flic_get_attr,
	.has_attr	= kvmirq_flic_has_attr,
};

/* debugfs "flic", second part: adapters and AIS modes, under flic_lock. */
void kvmirq_flic_adapters_dump(struct seq_file *m, struct kvmirq_vm *vm)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(vm);
	struct kvmirq_s390_adapter *a;
	unsigned int i;

	if (mutex_lock_killable(&s390->flic_lock))
		return;
	seq_printf(m, "flic %s ais %u simm %#x nimm %#x\n",
		   s390->flic ? "created" : "none", s390->ais, s390->simm,
		   s390->nimm);
	for (i = 0; i < KVMIRQ_S390_MAX_ADAPTERS; i++) {
		a = s390->adapters[i];
		if (!a)
			continue;
		seq_printf(m, "adapter %u: isc %u maskable %u swap %u flags %#x%s maps %u\n",
			   a->info.id, a->info.isc, a->info.maskable,
			   a->info.swap, a->info.flags,
			   a->masked ? " masked" : "", a->nr_maps);
	}
	mutex_unlock(&s390->flic_lock);
}
