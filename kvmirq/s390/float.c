// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: s390 floating interrupts (VM-wide): the VM's KVM_S390_INTERRUPT,
 * FLIC ENQUEUE, GET_ALL_IRQS, CLEAR_IRQS and CLEAR_IO_IRQ.
 *
 * Modelled without GISA (no adapter-interruption virtualization on this
 * host): adapter interrupts are queued on the ISC lists like any I/O
 * interrupt, as KVM does on a host without GISA.
 */
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "s390.h"
#include "trace.h"

/* KVM ABI: the event-pending bits and the SCCB address of a service signal */
#define SCCB_EVENT_PENDING	0x3u
#define SCCB_MASK		0xfffffff8u
/* KVM ABI: a floating machine check keeps only CR14 bit 35 (channel report) */
#define CR14_CHANNEL_REPORT	BIT_ULL(28)

void kvmirq_s390_float_init(struct kvmirq_s390_float *fl)
{
	unsigned int i;

	spin_lock_init(&fl->lock);
	for (i = 0; i < KVMIRQ_FLIST_COUNT; i++)
		INIT_LIST_HEAD(&fl->lists[i]);
}

static bool kvmirq_s390_is_io(u64 type)
{
	return type <= KVM_S390_INT_IO_MAX;
}

static void kvmirq_s390_inject_service_locked(struct kvmirq_s390_float *fl,
					      u32 param)
{
	lockdep_assert_held(&fl->lock);
	/* KVM ABI: events are always taken and tracked apart from SCCBs. */
	fl->srv.ext_params |= param & SCCB_EVENT_PENDING;
	if (fl->srv.ext_params & SCCB_EVENT_PENDING)
		__set_bit(KVMIRQ_PEND_EXT_SERVICE_EV, &fl->pending);
	/* KVM ABI: a second SCCB while one is pending is dropped silently. */
	if (fl->srv.ext_params & SCCB_MASK)
		return;
	fl->srv.ext_params |= param & SCCB_MASK;
	__set_bit(KVMIRQ_PEND_EXT_SERVICE, &fl->pending);
}

static void kvmirq_s390_inject_float_mchk_locked(struct kvmirq_s390_float *fl,
						 const struct kvm_s390_mchk_info *m)
{
	lockdep_assert_held(&fl->lock);
	fl->mchk.cr14 |= m->cr14 & CR14_CHANNEL_REPORT;
	fl->mchk.mcic |= m->mcic;
	/* KVM ABI: always pending as repressible, whatever the mcic. */
	__set_bit(KVMIRQ_PEND_MCHK_REP, &fl->pending);
}

/* Where a queued type goes: its list, counter, limit and pending bit. */
struct kvmirq_s390_queue {
	unsigned int list;
	unsigned int counter;
	unsigned int limit;
	unsigned int pend;
};

static void kvmirq_s390_queue_of(const struct kvm_s390_irq *irq,
				 struct kvmirq_s390_queue *q)
{
	unsigned int isc;

	switch (irq->type) {
	case KVM_S390_INT_VIRTIO:
		*q = (struct kvmirq_s390_queue){ KVMIRQ_FLIST_VIRTIO,
			KVMIRQ_FCNT_VIRTIO, KVMIRQ_S390_MAX_VIRTIO_IRQS,
			KVMIRQ_PEND_VIRTIO };
		break;
	case KVM_S390_INT_PFAULT_DONE:
		*q = (struct kvmirq_s390_queue){ KVMIRQ_FLIST_PFAULT,
			KVMIRQ_FCNT_PFAULT, KVMIRQ_S390_MAX_PFAULT_IRQS,
			KVMIRQ_PEND_PFAULT_DONE };
		break;
	default:
		/* KVM ABI: the ISC comes from the interruption word only. */
		isc = kvmirq_s390_int_word_isc(irq->u.io.io_int_word);
		*q = (struct kvmirq_s390_queue){ KVMIRQ_FLIST_IO_ISC_0 + isc,
			KVMIRQ_FCNT_IO, KVM_S390_MAX_FLOAT_IRQS,
			kvmirq_s390_isc_to_pend(isc) };
		break;
	}
}

/* Queues @inti on its list, or frees it (EBUSY: the queue is full). */
static int kvmirq_s390_enqueue(struct kvmirq_vm *vm,
			       struct kvmirq_s390_float *fl,
			       struct kvmirq_s390_inti *inti)
{
	struct kvmirq_s390_queue q;
	int r = 0;

	kvmirq_s390_queue_of(&inti->irq, &q);
	spin_lock(&fl->lock);
	/* KVM ABI: a full queue is EBUSY. */
	if (fl->counters[q.counter] >= q.limit) {
		r = -EBUSY;
	} else {
		fl->counters[q.counter]++;
		/* Under the lock, so the instant value never goes below 0. */
		kvmirq_stat_add(&vm->stats.floating_pending, 1);
		list_add_tail(&inti->list, &fl->lists[q.list]);
		__set_bit(q.pend, &fl->pending);
	}
	spin_unlock(&fl->lock);
	if (r)
		kfree(inti);
	return r;
}

/* The injection itself; it takes @inti: queued, or merged and freed. */
static int kvmirq_s390_inject_inti_do(struct kvmirq_vm *vm,
				      struct kvmirq_s390_inti *inti)
{
	struct kvmirq_s390_float *fl = &kvmirq_s390(vm)->fl;
	const struct kvm_s390_irq *irq = &inti->irq;

	switch (irq->type) {
	case KVM_S390_MCHK:
		spin_lock(&fl->lock);
		kvmirq_s390_inject_float_mchk_locked(fl, &irq->u.mchk);
		spin_unlock(&fl->lock);
		break;
	case KVM_S390_INT_SERVICE:
		spin_lock(&fl->lock);
		kvmirq_s390_inject_service_locked(fl, irq->u.ext.ext_params);
		spin_unlock(&fl->lock);
		break;
	case KVM_S390_INT_VIRTIO:
	case KVM_S390_INT_PFAULT_DONE:
		return kvmirq_s390_enqueue(vm, fl, inti);
	default:
		if (kvmirq_s390_is_io(irq->type))
			return kvmirq_s390_enqueue(vm, fl, inti);
		kfree(inti);
		return -EINVAL;
	}
	kfree(inti);
	return 0;
}

/**
 * kvmirq_s390_inti_alloc() - the entry one floating injection takes
 *
 * KVM ABI: kvm_s390_inject_vm() and FLIC ENQUEUE allocate it before they
 * look at the type, so with memory short even a bad type is ENOMEM.
 *
 * Return: a zeroed entry, or NULL.
 */
struct kvmirq_s390_inti *kvmirq_s390_inti_alloc(void)
{
	return kzalloc(sizeof(struct kvmirq_s390_inti), GFP_KERNEL_ACCOUNT);
}

/**
 * kvmirq_s390_inject_inti() - inject a floating interrupt
 * @vm: the VM
 * @inti: from kvmirq_s390_inti_alloc(), its irq filled in (only its type's
 *        union member is looked at); always taken, even on failure
 *
 * Return: 0, EINVAL (a local or unknown type), EBUSY (queue full).
 */
int kvmirq_s390_inject_inti(struct kvmirq_vm *vm, struct kvmirq_s390_inti *inti)
{
	const struct kvm_s390_irq irq = inti->irq;
	u32 parm = irq.u.ext.ext_params;
	u64 parm64 = irq.u.ext.ext_params2;
	int r = kvmirq_s390_inject_inti_do(vm, inti);

	/* As KVM traces I/O interrupts: subchannel, then parameter and word. */
	if (kvmirq_s390_is_io(irq.type)) {
		parm = (u32)irq.u.io.subchannel_id << 16 | irq.u.io.subchannel_nr;
		parm64 = (u64)irq.u.io.io_int_parm << 32 | irq.u.io.io_int_word;
	}
	trace_kvmirq_s390_inject_float(irq.type, parm, parm64, r);
	return r;
}

/**
 * kvmirq_s390_inject_float() - inject a floating interrupt
 * @vm: the VM
 * @irq: the interrupt; only its type's union member is looked at
 *
 * Return: 0, ENOMEM, EINVAL (a local or unknown type), EBUSY (queue full).
 */
int kvmirq_s390_inject_float(struct kvmirq_vm *vm,
			     const struct kvm_s390_irq *irq)
{
	struct kvmirq_s390_inti *inti = kvmirq_s390_inti_alloc();

	if (!inti)
		return -ENOMEM;
	inti->irq = *irq;
	return kvmirq_s390_inject_inti(vm, inti);
}

/* KVM ABI: the VM's legacy KVM_S390_INTERRUPT, as kvm_s390_inject_vm(). */
int kvmirq_s390_inject_legacy_vm(struct kvmirq_vm *vm,
				 const struct kvm_s390_interrupt *s)
{
	struct kvmirq_s390_inti *inti = kvmirq_s390_inti_alloc();
	struct kvm_s390_irq *irq;

	if (!inti)
		return -ENOMEM;
	irq = &inti->irq;
	irq->type = s->type;
	switch (s->type) {
	case KVM_S390_INT_VIRTIO:
		irq->u.ext.ext_params = s->parm;
		irq->u.ext.ext_params2 = s->parm64;
		break;
	case KVM_S390_INT_SERVICE:
		irq->u.ext.ext_params = s->parm;
		break;
	case KVM_S390_INT_PFAULT_DONE:
		irq->u.ext.ext_params2 = s->parm64;
		break;
	case KVM_S390_MCHK:
		irq->u.mchk.cr14 = s->parm;
		irq->u.mchk.mcic = s->parm64;
		break;
	default:
		if (!kvmirq_s390_is_io(s->type)) {
			kfree(inti);
			return -EINVAL;
		}
		irq->u.io.subchannel_id = s->parm >> 16;
		irq->u.io.subchannel_nr = s->parm & 0xffff;
		irq->u.io.io_int_parm = s->parm64 >> 32;
		irq->u.io.io_int_word = s->parm64 & 0xffffffff;
		break;
	}
	return kvmirq_s390_inject_inti(vm, inti);
}

/*
 * May free KVM's whole 370k-entry budget (266250 I/O, 87381 virtio, 16320
 * pfault): yield as it goes, or a non-preemptible kernel stalls RCU.
 */
static void kvmirq_s390_free_list(struct list_head *list)
{
	struct kvmirq_s390_inti *inti, *tmp;

	list_for_each_entry_safe(inti, tmp, list, list) {
		list_del(&inti->list);
		kfree(inti);
		cond_resched();
	}
}

/* KVM ABI: CLEAR_IRQS clears every floating interrupt, nothing else. */
void kvmirq_s390_clear_float(struct kvmirq_vm *vm)
{
	struct kvmirq_s390_float *fl = &kvmirq_s390(vm)->fl;
	struct list_head gone[KVMIRQ_FLIST_COUNT];
	unsigned int i;

	spin_lock(&fl->lock);
	for (i = 0; i < KVMIRQ_FLIST_COUNT; i++) {
		INIT_LIST_HEAD(&gone[i]);
		list_splice_init(&fl->lists[i], &gone[i]);
	}
	for (i = 0; i < KVMIRQ_FCNT_COUNT; i++)
		kvmirq_stat_add(&vm->stats.floating_pending,
				-(s64)fl->counters[i]);
	memset(fl->counters, 0, sizeof(fl->counters));
	memset(&fl->srv, 0, sizeof(fl->srv));
	memset(&fl->mchk, 0, sizeof(fl->mchk));
	fl->pending = 0;
	spin_unlock(&fl->lock);

	for (i = 0; i < KVMIRQ_FLIST_COUNT; i++)
		kvmirq_s390_free_list(&gone[i]);
}

/* Fills @buf with up to @max entries in KVM's order; -ENOMEM if more exist. */
static int kvmirq_s390_list_float_locked(struct kvmirq_s390_float *fl,
					 struct kvm_s390_irq *buf,
					 unsigned int max)
{
	struct kvmirq_s390_inti *inti;
	unsigned int i, n = 0;

	lockdep_assert_held(&fl->lock);
	for (i = 0; i < KVMIRQ_FLIST_COUNT; i++) {
		list_for_each_entry(inti, &fl->lists[i], list) {
			if (n == max)
				return -ENOMEM;
			buf[n++] = inti->irq;
		}
	}
	if (fl->pending & (BIT(KVMIRQ_PEND_EXT_SERVICE) |
			   BIT(KVMIRQ_PEND_EXT_SERVICE_EV))) {
		if (n == max)
			return -ENOMEM;
		buf[n].type = KVM_S390_INT_SERVICE;
		buf[n++].u.ext = fl->srv;
	}
	if (test_bit(KVMIRQ_PEND_MCHK_REP, &fl->pending)) {
		if (n == max)
			return -ENOMEM;
		buf[n].type = KVM_S390_MCHK;
		buf[n++].u.mchk = fl->mchk;
	}
	return n;
}

/**
 * kvmirq_s390_get_all_float() - FLIC GET_ALL_IRQS
 * @vm: the VM
 * @ubuf: user buffer
 * @len: its length in bytes
 *
 * Return: the number of entries copied; EINVAL (len 0 or over the cap),
 * ENOBUFS (no bounce buffer), ENOMEM (buffer too small: nothing copied),
 * EFAULT.
 */
int kvmirq_s390_get_all_float(struct kvmirq_vm *vm, void __user *ubuf, u64 len)
{
	struct kvmirq_s390_float *fl = &kvmirq_s390(vm)->fl;
	struct kvm_s390_irq *buf;
	unsigned int max;
	int n;

	if (!len || len > KVM_S390_FLIC_MAX_BUFFER)
		return -EINVAL;
	max = len / sizeof(*buf);
	/*
	 * KVM ABI: ENOBUFS, as ENOMEM already means "retry bigger".  The size
	 * is the caller's: its failure is an errno, not a kernel log splat.
	 */
	buf = kvzalloc(array_size(max ? max : 1, sizeof(*buf)),
		       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!buf)
		return -ENOBUFS;

	spin_lock(&fl->lock);
	n = kvmirq_s390_list_float_locked(fl, buf, max);
	spin_unlock(&fl->lock);

	if (n > 0 && copy_to_user(ubuf, buf, array_size(n, sizeof(*buf))))
		n = -EFAULT;
	kvfree(buf);
	return n;
}

static u32 kvmirq_s390_schid(const struct kvm_s390_io_info *io)
{
	return (u32)io->subchannel_id << 16 | io->subchannel_nr;
}

/* KVM ABI: CLEAR_IO_IRQ removes the first match, ISC 0 to 7, FIFO. */
void kvmirq_s390_clear_io(struct kvmirq_vm *vm, u32 schid)
{
	struct kvmirq_s390_float *fl = &kvmirq_s390(vm)->fl;
	struct kvmirq_s390_inti *inti, *found = NULL;
	unsigned int isc;

	spin_lock(&fl->lock);
	for (isc = 0; isc <= KVMIRQ_S390_MAX_ISC && !found; isc++) {
		list_for_each_entry(inti, &fl->lists[KVMIRQ_FLIST_IO_ISC_0 + isc],
				    list) {
			if (kvmirq_s390_schid(&inti->irq.u.io) != schid)
				continue;
			found = inti;
			list_del(&inti->list);
			fl->counters[KVMIRQ_FCNT_IO]--;
			kvmirq_stat_add(&vm->stats.floating_pending, -1);
			if (list_empty(&fl->lists[KVMIRQ_FLIST_IO_ISC_0 + isc]))
				__clear_bit(kvmirq_s390_isc_to_pend(isc),
					    &fl->pending);
			break;
		}
	}
	spin_unlock(&fl->lock);
	kfree(found);
}

/* Entries a dump shows per list; the count says how many there are. */
#define KVMIRQ_S390_DUMP_MAX	32

static void kvmirq_s390_dump_list(struct seq_file *m, const char *name,
				  struct list_head *list)
{
	struct kvmirq_s390_inti *inti;
	unsigned int n = 0;

	list_for_each_entry(inti, list, list) {
		if (n++ == KVMIRQ_S390_DUMP_MAX)
			continue;
		if (kvmirq_s390_is_io(inti->irq.type))
			seq_printf(m, "  %s: type %#llx schid %#x parm %#x word %#x\n",
				   name, inti->irq.type,
				   kvmirq_s390_schid(&inti->irq.u.io),
				   inti->irq.u.io.io_int_parm,
				   inti->irq.u.io.io_int_word);
		else
			seq_printf(m, "  %s: type %#llx parm %#x parm64 %#llx\n",
				   name, inti->irq.type, inti->irq.u.ext.ext_params,
				   inti->irq.u.ext.ext_params2);
	}
	if (n > KVMIRQ_S390_DUMP_MAX)
		seq_printf(m, "  %s: ... %u more\n", name,
			   n - KVMIRQ_S390_DUMP_MAX);
}

/* debugfs "flic", first part: the floating interrupts, under their lock. */
void kvmirq_s390_float_dump(struct seq_file *m, struct kvmirq_vm *vm)
{
	struct kvmirq_s390_float *fl = &kvmirq_s390(vm)->fl;
	char name[16];
	unsigned int i;

	spin_lock(&fl->lock);
	seq_printf(m, "pending %#lx queued io %u pfault %u virtio %u\n",
		   fl->pending, fl->counters[KVMIRQ_FCNT_IO],
		   fl->counters[KVMIRQ_FCNT_PFAULT],
		   fl->counters[KVMIRQ_FCNT_VIRTIO]);
	for (i = 0; i <= KVMIRQ_S390_MAX_ISC; i++) {
		snprintf(name, sizeof(name), "isc%u", i);
		kvmirq_s390_dump_list(m, name,
				      &fl->lists[KVMIRQ_FLIST_IO_ISC_0 + i]);
	}
	kvmirq_s390_dump_list(m, "pfault", &fl->lists[KVMIRQ_FLIST_PFAULT]);
	kvmirq_s390_dump_list(m, "virtio", &fl->lists[KVMIRQ_FLIST_VIRTIO]);
	seq_printf(m, "service %s ext_params %#x\n",
		   (fl->pending & (BIT(KVMIRQ_PEND_EXT_SERVICE) |
				   BIT(KVMIRQ_PEND_EXT_SERVICE_EV))) ?
		   "pending" : "none", fl->srv.ext_params);
	seq_printf(m, "mchk %s cr14 %#llx mcic %#llx\n",
		   test_bit(KVMIRQ_PEND_MCHK_REP, &fl->pending) ? "pending" : "none",
		   fl->mchk.cr14, fl->mchk.mcic);
	spin_unlock(&fl->lock);
}

#if IS_ENABLED(CONFIG_KUNIT)
#include "tests/float_kunit.c"
#endif
