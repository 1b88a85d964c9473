// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: KVM_REGISTER/UNREGISTER_COALESCED_MMIO.  A guest write inside a
 * coalesced zone does not exit to the VMM: it is appended to a ring page
 * shared by the VM's vcpu mappings (page KVM_COALESCED_MMIO_PAGE_OFFSET),
 * which the VMM drains later.  Here the guest-side interface's writes are
 * recorded the same way.  Registration rules and errnos are KVM's
 * (virt/kvm/coalesced_mmio.c).
 */
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "iobus.h"

/**
 * struct kvmirq_coalesced_zone - one registered zone
 * @node: in kvmirq_iobus.zones
 * @zone: as registered
 */
struct kvmirq_coalesced_zone {
	struct list_head node;
	struct kvm_coalesced_mmio_zone zone;
};

/* KVM ABI: coalesced_mmio_in_range(), with KVM's int length. */
static bool kvmirq_zone_contains(const struct kvm_coalesced_mmio_zone *zone,
				 u64 addr, u32 size)
{
	int len = size;

	if (len < 0 || addr + len < addr)
		return false;
	return addr >= zone->addr && addr + len <= zone->addr + zone->size;
}

/*
 * KVM ABI: kvm_io_bus_register_dev() refuses a device past NR_IOBUS_DEVS
 * on its bus with ENOSPC.  kvmirq counts the zones; the in-kernel
 * controllers on the same bus are not counted.
 */
static bool kvmirq_zone_bus_full(struct kvmirq_iobus *bus, bool pio)
{
	return bus->nr_zones[pio] >= KVMIRQ_NR_IOBUS_DEVS;
}

/**
 * kvmirq_coalesced_register() - KVM_REGISTER_COALESCED_MMIO
 * @vm: the VM
 * @argp: struct kvm_coalesced_mmio_zone
 *
 * Return: 0, EFAULT, EINVAL (pio not 0 or 1), ENOMEM or ENOSPC.
 */
int kvmirq_coalesced_register(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvmirq_iobus *bus = vm->iobus;
	struct kvm_coalesced_mmio_zone zone;
	struct kvmirq_coalesced_zone *z;
	int r = 0;

	if (copy_from_user(&zone, argp, sizeof(zone)))
		return -EFAULT;
	if (zone.pio > 1)
		return -EINVAL;
	/* The ring a zone writes into, if the model has one. */
	if (vm->model->coalesced_mmio && kvmirq_page_alloc_once(&bus->ring))
		return -ENOMEM;
	z = kzalloc(sizeof(*z), GFP_KERNEL_ACCOUNT);
	if (!z)
		return -ENOMEM;
	z->zone = zone;

	mutex_lock(&bus->lock);
	if (kvmirq_zone_bus_full(bus, z->zone.pio)) {
		r = -ENOSPC;
	} else {
		list_add_tail(&z->node, &bus->zones);
		bus->nr_zones[z->zone.pio]++;
	}
	mutex_unlock(&bus->lock);
	if (r)
		kfree(z);
	return r;
}

/**
 * kvmirq_coalesced_unregister() - KVM_UNREGISTER_COALESCED_MMIO
 * @vm: the VM
 * @argp: struct kvm_coalesced_mmio_zone
 *
 * KVM ABI: removes every zone of the same kind that contains the given
 * range, and succeeds even when none does.
 *
 * Return: 0, EFAULT or EINVAL (pio not 0 or 1).
 */
int kvmirq_coalesced_unregister(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvmirq_iobus *bus = vm->iobus;
	struct kvmirq_coalesced_zone *z, *tmp;
	struct kvm_coalesced_mmio_zone zone;
	LIST_HEAD(gone);

	if (copy_from_user(&zone, argp, sizeof(zone)))
		return -EFAULT;
	if (zone.pio > 1)
		return -EINVAL;

	mutex_lock(&bus->lock);
	list_for_each_entry_safe(z, tmp, &bus->zones, node) {
		if (z->zone.pio == zone.pio &&
		    kvmirq_zone_contains(&z->zone, zone.addr, zone.size)) {
			list_move(&z->node, &gone);
			bus->nr_zones[zone.pio]--;
		}
	}
	mutex_unlock(&bus->lock);
	list_for_each_entry_safe(z, tmp, &gone, node)
		kfree(z);
	return 0;
}

/* At VM destruction. */
void kvmirq_coalesced_destroy(struct kvmirq_iobus *bus)
{
	struct kvmirq_coalesced_zone *z, *tmp;

	list_for_each_entry_safe(z, tmp, &bus->zones, node)
		kfree(z);
	INIT_LIST_HEAD(&bus->zones);
}

/* KVM ABI: coalesced_mmio_write(): append if there is room, else refuse. */
static bool kvmirq_ring_append(struct kvmirq_iobus *bus, bool pio, u64 addr,
			       u32 len, u64 data)
{
	struct kvm_coalesced_mmio_ring *ring = page_address(READ_ONCE(bus->ring));
	struct kvm_coalesced_mmio *e;
	u32 insert, avail;
	bool ok = false;

	spin_lock(&bus->ring_lock);
	insert = READ_ONCE(ring->last);
	/* One entry always stays free; "first" is the VMM's to move. */
	avail = (READ_ONCE(ring->first) - insert - 1) % KVM_COALESCED_MMIO_MAX;
	if (avail && insert < KVM_COALESCED_MMIO_MAX) {
		e = &ring->coalesced_mmio[insert];
		e->phys_addr = addr;
		e->len = len;
		memcpy(e->data, &data, len);
		e->pio = pio;
		smp_wmb();	/* the entry before the index that publishes it */
		WRITE_ONCE(ring->last, (insert + 1) % KVM_COALESCED_MMIO_MAX);
		ok = true;
	}
	spin_unlock(&bus->ring_lock);
	return ok;
}

/**
 * kvmirq_coalesced_write_locked() - a guest write that may be coalesced
 * @bus: the VM's bus, lock held
 * @pio: port I/O (else MMIO)
 * @addr: the address
 * @len: 1, 2, 4 or 8
 * @data: the value, little-endian in its low @len bytes
 *
 * Return: true when a zone contains the write and the ring took it.
 */
bool kvmirq_coalesced_write_locked(struct kvmirq_iobus *bus, bool pio,
				   u64 addr, u32 len, u64 data)
{
	struct kvmirq_coalesced_zone *z;

	lockdep_assert_held(&bus->lock);
	/* A zone implies a ring (kvmirq_coalesced_register()). */
	if (!READ_ONCE(bus->ring))
		return false;
	list_for_each_entry(z, &bus->zones, node)
		if (z->zone.pio == pio &&
		    kvmirq_zone_contains(&z->zone, addr, len))
			return kvmirq_ring_append(bus, pio, addr, len, data);
	return false;
}
