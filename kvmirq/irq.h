/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq: GSI routing and irqfd, shared by every machine model.
 *
 * routing.c keeps the GSI routing table (KVM_SET_GSI_ROUTING) and turns a
 * GSI level change into calls of the model's route_set hook, one per route
 * of that GSI (kvmirq_set_irq()).  irqfd.c binds eventfds to GSIs
 * (KVM_IRQFD).  What a route means is the model's business: it validates
 * each entry (route_parse) and raises or lowers its target (route_set).
 *
 * Lock order (outermost first; Documentation/internals.rst has all of it):
 *   irqs->lock (mutex)  >  eventfd wait-queue lock  >  irqs->irqfds_lock
 *   (spinlock, irq-safe)  >  model locks (taken inside route_set)
 * A model calls kvmirq_set_irq() and kvmirq_notify_acked() with none of its
 * own locks held.  The routing table is read under RCU.
 */
#ifndef KVMIRQ_IRQ_H
#define KVMIRQ_IRQ_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>

#include "kvmirq.h"

/* KVM ABI: KVM_MAX_IRQ_ROUTES, also KVM_CAP_IRQ_ROUTING on x86. */
#define KVMIRQ_MAX_IRQ_ROUTES		4096
/* KVM ABI: KVM_NR_IRQCHIPS and KVM_IRQCHIP_NUM_PINS. */
#define KVMIRQ_NR_IRQCHIPS		3
#define KVMIRQ_IRQCHIP_NUM_PINS		24
/* At most one route per irqchip on a GSI, or a single other route. */
#define KVMIRQ_MAX_ROUTES_PER_GSI	KVMIRQ_NR_IRQCHIPS

/* KVM ABI: irq source ids; userspace and plain irqfds share source 0. */
#define KVMIRQ_SOURCE_USERSPACE		0
#define KVMIRQ_SOURCE_RESAMPLE		1
/* KVM ABI: the in-kernel PIT's own source (KVM allocates it third). */
#define KVMIRQ_SOURCE_PIT		2
#define KVMIRQ_NR_SOURCES		3

static_assert(KVMIRQ_NR_SOURCES <= 8, "a pin's sources are one byte");

/**
 * kvmirq_sources_set() - record one source's level on an irqchip pin
 * @sources: the pin's asserting sources, a bit per KVMIRQ_SOURCE_*
 * @source: the source
 * @level: its level
 *
 * KVM keeps a long per pin for its 64 possible sources; kvmirq has three,
 * so the IOAPIC's and the PIC's tables take a byte per pin.
 *
 * Return: the pin's line, the OR of every source.
 */
static inline bool kvmirq_sources_set(u8 *sources, int source, int level)
{
	if (level)
		*sources |= BIT(source);
	else
		*sources &= ~BIT(source);
	return *sources;
}

struct kvmirq_routing;

/**
 * struct kvmirq_route - one GSI route as a routing table keeps it
 * @gsi: the GSI
 * @type: KVM_IRQ_ROUTING_*, checked to fit when the table is built
 * @flags: KVM_MSI_VALID_DEVID or 0, checked likewise
 * @u: the target, as in struct kvm_irq_routing_entry; the models route
 *     to no Hyper-V or Xen target, so those members are left out
 *
 * KVM's struct kvm_irq_routing_entry without its padding word and with
 * 16-bit type and flags: 40 bytes instead of 48, so that the default x86
 * table of 40 routes fits a 2 KiB object rather than a 4 KiB one.
 */
struct kvmirq_route {
	u32 gsi;
	u16 type;
	u16 flags;
	union {
		struct kvm_irq_routing_irqchip irqchip;
		struct kvm_irq_routing_msi msi;
		struct kvm_irq_routing_s390_adapter adapter;
	} u;
};

/**
 * struct kvmirq_irq_ops - a model's part of GSI routing and irqfd
 * @routing_allowed: 0 if KVM_SET_GSI_ROUTING may be used now, else the errno
 * @irqfd_allowed: 0 if an irqfd with these KVM_IRQFD flags may be assigned
 * @route_parse: validate one routing entry; may normalise it in place
 *               (only its union); 0 or -EINVAL
 * @route_set: drive the target of one route with the OR of @source's
 *             @level and the other sources' levels; returns KVM's status
 *             (< 0 ignored, 0 coalesced, > 0 delivered)
 * @route_set_atomic: an irqfd's assertion of a GSI whose only route is @e,
 *                    from the eventfd wake-up (atomic, interrupts off);
 *                    -EWOULDBLOCK defers it to the workqueue; may be NULL
 * @release: the VM fd is closing (vcpu fds may stay open); stop timers
 *           that would outlive the VM's vcpus; may be NULL
 */
struct kvmirq_irq_ops {
	int (*routing_allowed)(struct kvmirq_vm *vm);
	int (*irqfd_allowed)(struct kvmirq_vm *vm, u32 flags);
	int (*route_parse)(struct kvmirq_vm *vm, struct kvmirq_route *e);
	int (*route_set)(struct kvmirq_vm *vm, const struct kvmirq_route *e,
			 int source, int level, bool line_status);
	int (*route_set_atomic)(struct kvmirq_vm *vm,
				const struct kvmirq_route *e);
	void (*release)(struct kvmirq_vm *vm);
};

/**
 * struct kvmirq_irqs - per-VM routing and irqfd state
 * @lock: serialises routing updates and the resampler list
 * @routing: the GSI routing table, NULL until one is set; RCU
 * @irqfds_lock: protects @irqfds; taken from eventfd wake-ups
 * @irqfds: active irqfds; an irqfd off this list is being shut down
 * @resamplers: one resampler per GSI with resampling irqfds; under @lock,
 *              and an RCU list for kvmirq_gsi_resampled()
 * @ack_notifiers: struct kvmirq_ack_notifier of in-kernel devices; under
 *                 @lock (hlists, as KVM's: the struct fits a 96-byte object)
 * @mask_notifiers: struct kvmirq_mask_notifier of in-kernel devices; under
 *                  @lock
 */
struct kvmirq_irqs {
	struct mutex lock;		/* routing updates, @resamplers */
	struct kvmirq_routing __rcu *routing;
	spinlock_t irqfds_lock;		/* @irqfds */
	struct list_head irqfds;
	struct list_head resamplers;
	struct hlist_head ack_notifiers;
	struct hlist_head mask_notifiers;
};

/**
 * struct kvmirq_ack_notifier - an in-kernel device watching a GSI's acks
 * @link: in irqs->ack_notifiers
 * @gsi: the GSI; an ack of any irqchip pin routed to it counts
 * @acked: called under irqs->lock, no model lock held; must not sleep or
 *         raise lines itself (queue work for that)
 *
 * KVM's struct kvm_irq_ack_notifier (the PIT's reinjection uses it).
 */
struct kvmirq_ack_notifier {
	struct hlist_node link;
	u32 gsi;
	void (*acked)(struct kvmirq_ack_notifier *an);
};

/**
 * struct kvmirq_mask_notifier - an in-kernel device watching a GSI's mask
 * @link: in irqs->mask_notifiers
 * @gsi: the GSI; a guest (un)masking any irqchip pin routed to it counts
 * @masked: called under irqs->lock, no model lock held, with the new mask
 *
 * KVM's struct kvm_irq_mask_notifier: PIC OCW1 and IOAPIC redirection
 * entry writes fire it (the PIT forgets missed ticks on an unmask).
 */
struct kvmirq_mask_notifier {
	struct hlist_node link;
	u32 gsi;
	void (*masked)(struct kvmirq_mask_notifier *mn, bool masked);
};

/* routing.c */
int kvmirq_irqs_init(struct kvmirq_vm *vm);
void kvmirq_irqs_destroy(struct kvmirq_vm *vm);
int kvmirq_set_routing(struct kvmirq_vm *vm,
		       const struct kvm_irq_routing_entry *ue, u32 nr);
long kvmirq_set_gsi_routing(struct kvmirq_vm *vm, void __user *argp);
int kvmirq_set_irq(struct kvmirq_vm *vm, int source, u32 gsi, int level,
		   bool line_status);
int kvmirq_routing_gsi_of_pin(struct kvmirq_vm *vm, u32 irqchip, u32 pin);
const struct kvmirq_route *
kvmirq_routing_single(struct kvmirq_vm *vm, u32 gsi);

/* irqfd.c */
long kvmirq_irqfd(struct kvmirq_vm *vm, void __user *argp);
void kvmirq_irqs_release(struct kvmirq_vm *vm);
void kvmirq_notify_acked(struct kvmirq_vm *vm, u32 irqchip, u32 pin);
bool kvmirq_gsi_resampled(struct kvmirq_vm *vm, u32 gsi);
void kvmirq_register_ack_notifier(struct kvmirq_vm *vm,
				  struct kvmirq_ack_notifier *an);
void kvmirq_unregister_ack_notifier(struct kvmirq_vm *vm,
				    struct kvmirq_ack_notifier *an);
void kvmirq_notify_masked(struct kvmirq_vm *vm, u32 irqchip, u32 pin,
			  bool masked);
void kvmirq_register_mask_notifier(struct kvmirq_vm *vm,
				   struct kvmirq_mask_notifier *mn);
void kvmirq_unregister_mask_notifier(struct kvmirq_vm *vm,
				     struct kvmirq_mask_notifier *mn);
int kvmirq_irqfd_module_init(void);
void kvmirq_irqfd_module_exit(void);

#endif /* KVMIRQ_IRQ_H */
