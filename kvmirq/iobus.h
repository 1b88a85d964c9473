/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq: what userspace puts on a VM's I/O buses (KVM's kvm_io_bus):
 * ioeventfds (ioeventfd.c) and coalesced MMIO/PIO zones with their ring
 * (coalesced_mmio.c).  The guest-side interface hands guest writes to
 * kvmirq_iobus_write(), which signals or records them as a guest's would be.
 */
#ifndef KVMIRQ_IOBUS_H
#define KVMIRQ_IOBUS_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#include "kvmirq.h"

/* KVM ABI: NR_IOBUS_DEVS, the devices of one bus other than ioeventfds. */
#define KVMIRQ_NR_IOBUS_DEVS	1000

/**
 * struct kvmirq_iobus - a VM's ioeventfds and coalesced zones
 * @lock: guards @ioeventfds, @zones and the counts
 * @ioeventfds: struct kvmirq_ioeventfd, in registration order
 * @nr_ioeventfds: entries of @ioeventfds
 * @zones: struct kvmirq_coalesced_zone, in registration order
 * @nr_zones: zones per bus: [0] MMIO, [1] PIO
 * @ring_lock: serialises writers of @ring (KVM's ring_lock)
 * @ring: the coalesced MMIO ring page, mapped by every vcpu at page
 *        KVM_COALESCED_MMIO_PAGE_OFFSET; NULL in a model without one and
 *        until the first vcpu mmap or zone (kvmirq_page_alloc_once())
 */
struct kvmirq_iobus {
	struct mutex lock;		/* the lists */
	struct list_head ioeventfds;
	unsigned int nr_ioeventfds;
	struct list_head zones;
	unsigned int nr_zones[2];
	spinlock_t ring_lock;		/* ring producers */
	struct page *ring;
};

/* ioeventfd.c */
int kvmirq_iobus_init(struct kvmirq_vm *vm);
void kvmirq_iobus_destroy(struct kvmirq_vm *vm);
int kvmirq_ioeventfd(struct kvmirq_vm *vm, void __user *argp);
int kvmirq_iobus_write(struct kvmirq_vm *vm, bool pio, u64 addr, u32 len,
		       u64 data);

/* coalesced_mmio.c */
int kvmirq_coalesced_register(struct kvmirq_vm *vm, void __user *argp);
int kvmirq_coalesced_unregister(struct kvmirq_vm *vm, void __user *argp);
void kvmirq_coalesced_destroy(struct kvmirq_iobus *bus);
bool kvmirq_coalesced_write_locked(struct kvmirq_iobus *bus, bool pio,
				   u64 addr, u32 len, u64 data);

#endif /* KVMIRQ_IOBUS_H */
