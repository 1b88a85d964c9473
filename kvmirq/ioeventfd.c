// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: KVM_IOEVENTFD.  An ioeventfd is an eventfd that a guest write of
 * the right address (length, value) signals instead of exiting to the VMM.
 * Without a guest CPU, the guest-side interface's writes play that part:
 * the model passes them to kvmirq_iobus_write().
 *
 * Registration, errnos and matching are KVM's (virt/kvm/eventfd.c).  An
 * entry is reference counted so that a write signals its eventfd after
 * dropping the bus lock, while KVM_IOEVENTFD may deassign it concurrently.
 */
#include <linux/eventfd.h>
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "iobus.h"

/* KVM's buses an ioeventfd can sit on. */
enum kvmirq_ioeventfd_bus {
	KVMIRQ_BUS_MMIO,
	KVMIRQ_BUS_PIO,
	KVMIRQ_BUS_CCW_NOTIFY,
};

/* KVM ABI: KVM_IOEVENTFD_VALID_FLAG_MASK (bits 0-4; bit 4 is unused). */
#define KVMIRQ_IOEVENTFD_VALID_FLAGS	0x1f

/*
 * KVM ABI: the bus array of kvm_io_bus_register_dev() is one kmalloc()
 * that cannot grow beyond KMALLOC_MAX_SIZE (ENOMEM): entries of 24 bytes.
 */
#define KVMIRQ_MAX_IOEVENTFDS		(KMALLOC_MAX_SIZE / 24)

/**
 * struct kvmirq_ioeventfd - one registration
 * @node: in kvmirq_iobus.ioeventfds
 * @ref: the list's reference and one per write signalling it
 * @eventfd: what a matching write signals
 * @bus: enum kvmirq_ioeventfd_bus
 * @addr: the address a write must have
 * @len: the length it must have; 0: any
 * @wildcard: any value (no KVM_IOEVENTFD_FLAG_DATAMATCH)
 * @datamatch: else the value it must write
 */
struct kvmirq_ioeventfd {
	struct list_head node;
	struct kref ref;
	struct eventfd_ctx *eventfd;
	u32 bus;
	u64 addr;
	u32 len;
	bool wildcard;
	u64 datamatch;
};

/**
 * kvmirq_iobus_init() - the I/O bus state of a new VM
 * @vm: the VM
 *
 * The coalesced MMIO ring page waits for the first vcpu mmap or zone
 * (kvmirq_page_alloc_once()): a VM that uses neither never pays for it.
 *
 * Return: 0 or -ENOMEM.
 */
int kvmirq_iobus_init(struct kvmirq_vm *vm)
{
	struct kvmirq_iobus *bus;

	bus = kzalloc(sizeof(*bus), GFP_KERNEL_ACCOUNT);
	if (!bus)
		return -ENOMEM;
	mutex_init(&bus->lock);
	INIT_LIST_HEAD(&bus->ioeventfds);
	INIT_LIST_HEAD(&bus->zones);
	spin_lock_init(&bus->ring_lock);
	vm->iobus = bus;
	return 0;
}

static void kvmirq_ioeventfd_free(struct kref *ref)
{
	struct kvmirq_ioeventfd *p = container_of(ref, struct kvmirq_ioeventfd,
						  ref);

	eventfd_ctx_put(p->eventfd);
	kfree(p);
}

/* At VM destruction: nothing else holds a reference any more. */
void kvmirq_iobus_destroy(struct kvmirq_vm *vm)
{
	struct kvmirq_iobus *bus = vm->iobus;
	struct kvmirq_ioeventfd *p, *tmp;

	if (!bus)
		return;
	list_for_each_entry_safe(p, tmp, &bus->ioeventfds, node)
		kref_put(&p->ref, kvmirq_ioeventfd_free);
	kvmirq_coalesced_destroy(bus);
	if (bus->ring)
		put_page(bus->ring);
	mutex_destroy(&bus->lock);
	kfree(bus);
	vm->iobus = NULL;
}

static u32 kvmirq_ioeventfd_bus(u32 flags)
{
	if (flags & KVM_IOEVENTFD_FLAG_PIO)
		return KVMIRQ_BUS_PIO;
	if (flags & KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY)
		return KVMIRQ_BUS_CCW_NOTIFY;
	return KVMIRQ_BUS_MMIO;
}

/* KVM ABI: ioeventfd_check_collision(). */
static bool kvmirq_ioeventfd_collides(struct kvmirq_iobus *bus,
				      const struct kvmirq_ioeventfd *p)
{
	struct kvmirq_ioeventfd *q;

	lockdep_assert_held(&bus->lock);
	list_for_each_entry(q, &bus->ioeventfds, node)
		if (q->bus == p->bus && q->addr == p->addr &&
		    (!q->len || !p->len ||
		     (q->len == p->len &&
		      (q->wildcard || p->wildcard ||
		       q->datamatch == p->datamatch))))
			return true;
	return false;
}

/* KVM ABI: the argument checks of kvm_assign_ioeventfd(), in order. */
static int kvmirq_ioeventfd_check(const struct kvm_ioeventfd *args)
{
	switch (args->len) {
	case 0:
	case 1:
	case 2:
	case 4:
	case 8:
		break;
	default:
		return -EINVAL;
	}
	if (args->addr + args->len < args->addr)
		return -EINVAL;
	if (args->flags & ~KVMIRQ_IOEVENTFD_VALID_FLAGS)
		return -EINVAL;
	if (!args->len && (args->flags & KVM_IOEVENTFD_FLAG_DATAMATCH))
		return -EINVAL;
	return 0;
}

static int kvmirq_ioeventfd_assign(struct kvmirq_iobus *bus,
				   const struct kvm_ioeventfd *args)
{
	struct eventfd_ctx *eventfd;
	struct kvmirq_ioeventfd *p;
	int r = kvmirq_ioeventfd_check(args);

	if (r)
		return r;
	eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);
	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p) {
		r = -ENOMEM;
		goto put_eventfd;
	}
	kref_init(&p->ref);
	p->eventfd = eventfd;
	p->bus = kvmirq_ioeventfd_bus(args->flags);
	p->addr = args->addr;
	p->len = args->len;
	p->wildcard = !(args->flags & KVM_IOEVENTFD_FLAG_DATAMATCH);
	if (!p->wildcard)
		p->datamatch = args->datamatch;

	mutex_lock(&bus->lock);
	if (kvmirq_ioeventfd_collides(bus, p))
		r = -EEXIST;
	else if (bus->nr_ioeventfds >= KVMIRQ_MAX_IOEVENTFDS)
		r = -ENOMEM;
	if (!r) {
		list_add_tail(&p->node, &bus->ioeventfds);
		bus->nr_ioeventfds++;
	}
	mutex_unlock(&bus->lock);
	if (!r)
		return 0;
	kfree(p);
put_eventfd:
	eventfd_ctx_put(eventfd);
	return r;
}

/* KVM ABI: kvm_deassign_ioeventfd_idx(): the same registration, or ENOENT. */
static int kvmirq_ioeventfd_deassign(struct kvmirq_iobus *bus,
				     const struct kvm_ioeventfd *args)
{
	bool wildcard = !(args->flags & KVM_IOEVENTFD_FLAG_DATAMATCH);
	struct kvmirq_ioeventfd *p, *found = NULL;
	struct eventfd_ctx *eventfd;
	u32 busnr = kvmirq_ioeventfd_bus(args->flags);

	eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);

	mutex_lock(&bus->lock);
	list_for_each_entry(p, &bus->ioeventfds, node) {
		if (p->bus != busnr || p->eventfd != eventfd ||
		    p->addr != args->addr || p->len != args->len ||
		    p->wildcard != wildcard)
			continue;
		if (!p->wildcard && p->datamatch != args->datamatch)
			continue;
		list_del(&p->node);
		bus->nr_ioeventfds--;
		found = p;
		break;
	}
	mutex_unlock(&bus->lock);
	eventfd_ctx_put(eventfd);
	if (!found)
		return -ENOENT;
	kref_put(&found->ref, kvmirq_ioeventfd_free);
	return 0;
}

/**
 * kvmirq_ioeventfd() - KVM_IOEVENTFD
 * @vm: the VM
 * @argp: struct kvm_ioeventfd
 *
 * Return: 0, EFAULT, EINVAL, EBADF/EINVAL (not an eventfd), EEXIST,
 * ENOENT (deassign without a match) or ENOMEM.
 */
int kvmirq_ioeventfd(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvm_ioeventfd args;

	if (copy_from_user(&args, argp, sizeof(args)))
		return -EFAULT;
	if (args.flags & KVM_IOEVENTFD_FLAG_DEASSIGN)
		return kvmirq_ioeventfd_deassign(vm->iobus, &args);
	return kvmirq_ioeventfd_assign(vm->iobus, &args);
}

/* KVM ABI: ioeventfd_in_range(): exact address, then length, then value. */
static bool kvmirq_ioeventfd_hit(const struct kvmirq_ioeventfd *p, u64 addr,
				 u32 len, u64 data)
{
	if (addr != p->addr)
		return false;
	if (!p->len)
		return true;
	if (len != p->len)
		return false;
	return p->wildcard || data == p->datamatch;
}

/**
 * kvmirq_iobus_write() - a guest write reaches the VM's I/O bus
 * @vm: the VM
 * @pio: port I/O (else MMIO)
 * @addr: the address
 * @len: 1, 2, 4 or 8
 * @data: the value, zero-extended
 *
 * The first matching ioeventfd is signalled (after the lock is dropped),
 * or else the first coalesced zone that contains the write records it in
 * the ring if there is room, as KVM's bus would.
 *
 * Return: 0 if the write was taken, -ENXIO if nothing on the bus took it.
 */
int kvmirq_iobus_write(struct kvmirq_vm *vm, bool pio, u64 addr, u32 len,
		       u64 data)
{
	u32 busnr = pio ? KVMIRQ_BUS_PIO : KVMIRQ_BUS_MMIO;
	struct kvmirq_iobus *bus = vm->iobus;
	struct kvmirq_ioeventfd *p, *hit = NULL;
	bool taken;

	mutex_lock(&bus->lock);
	list_for_each_entry(p, &bus->ioeventfds, node) {
		if (p->bus == busnr && kvmirq_ioeventfd_hit(p, addr, len, data)) {
			hit = p;
			kref_get(&hit->ref);
			break;
		}
	}
	taken = hit || kvmirq_coalesced_write_locked(bus, pio, addr, len, data);
	mutex_unlock(&bus->lock);

	if (hit) {
		eventfd_signal(hit->eventfd);
		kref_put(&hit->ref, kvmirq_ioeventfd_free);
	}
	return taken ? 0 : -ENXIO;
}
