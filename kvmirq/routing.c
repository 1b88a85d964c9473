// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the GSI routing table (KVM_SET_GSI_ROUTING) and GSI level changes
 * (kvmirq_set_irq()), for every machine model.  See irq.h.
 *
 * A table is built complete, then swapped in under irqs->lock and the old
 * one freed after an RCU grace period: a failed update changes nothing,
 * and readers never see half a table.
 */
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "irq.h"
#include "trace.h"

/* The routes of one GSI: indexes into the table's entries. */
struct kvmirq_gsi_routes {
	u16 nr;
	u16 idx[KVMIRQ_MAX_ROUTES_PER_GSI];
};

/**
 * struct kvmirq_routing - one routing table
 * @rcu: for freeing after readers are done
 * @nr_gsis: highest routed GSI + 1 (KVM's nr_rt_entries)
 * @chip: GSI of each irqchip pin (the last entry naming it), or -1; for
 *        ack notifications
 * @gsis: routes of each GSI below @nr_gsis
 * @entries: the routes userspace gave, in struct kvmirq_route, after
 *           route_parse
 *
 * With 16-bit @chip entries and 40-byte routes, the x86 default table (40
 * routes, 24 GSIs) takes 1968 bytes: a 2 KiB object.
 */
struct kvmirq_routing {
	struct rcu_head rcu;
	u32 nr_gsis;
	s16 chip[KVMIRQ_NR_IRQCHIPS][KVMIRQ_IRQCHIP_NUM_PINS];
	struct kvmirq_gsi_routes *gsis;
	struct kvmirq_route entries[];
};

static_assert(KVMIRQ_MAX_IRQ_ROUTES - 1 <= S16_MAX);
static_assert(sizeof(struct kvmirq_route) == 40);
static_assert(sizeof_field(struct kvmirq_route, u) <=
	      sizeof_field(struct kvm_irq_routing_entry, u));

int kvmirq_irqs_init(struct kvmirq_vm *vm)
{
	struct kvmirq_irqs *irqs;

	irqs = kzalloc(sizeof(*irqs), GFP_KERNEL_ACCOUNT);
	if (!irqs)
		return -ENOMEM;
	mutex_init(&irqs->lock);
	spin_lock_init(&irqs->irqfds_lock);
	INIT_LIST_HEAD(&irqs->irqfds);
	INIT_LIST_HEAD(&irqs->resamplers);
	INIT_HLIST_HEAD(&irqs->ack_notifiers);
	INIT_HLIST_HEAD(&irqs->mask_notifiers);
	vm->irqs = irqs;
	return 0;
}

/* Called when the VM is destroyed: its irqfds are gone (VM fd release). */
void kvmirq_irqs_destroy(struct kvmirq_vm *vm)
{
	struct kvmirq_irqs *irqs = vm->irqs;

	if (!irqs)
		return;
	kvfree(rcu_dereference_protected(irqs->routing, true));
	mutex_destroy(&irqs->lock);
	kfree(irqs);
}

static struct kvmirq_routing *kvmirq_routing_alloc(u32 nr, u32 nr_gsis)
{
	struct kvmirq_routing *rt;
	size_t size, gsis_off;
	unsigned int i, j;

	size = struct_size(rt, entries, nr);
	gsis_off = ALIGN(size, __alignof__(struct kvmirq_gsi_routes));
	size = size_add(gsis_off, array_size(nr_gsis, sizeof(*rt->gsis)));
	/* Sized by the caller's table: a failure is ENOMEM, not a splat. */
	rt = kvzalloc(size, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!rt)
		return NULL;

	rt->nr_gsis = nr_gsis;
	rt->gsis = (void *)rt + gsis_off;
	for (i = 0; i < KVMIRQ_NR_IRQCHIPS; i++)
		for (j = 0; j < KVMIRQ_IRQCHIP_NUM_PINS; j++)
			rt->chip[i][j] = -1;
	return rt;
}

/*
 * KVM ABI: a GSI has either one non-irqchip route, or irqchip routes on
 * distinct irqchips.
 */
static bool kvmirq_route_conflicts(const struct kvmirq_routing *rt,
				   const struct kvm_irq_routing_entry *ue)
{
	const struct kvmirq_gsi_routes *g = &rt->gsis[ue->gsi];
	const struct kvmirq_route *e;
	unsigned int i;

	for (i = 0; i < g->nr; i++) {
		e = &rt->entries[g->idx[i]];
		if (e->type != KVM_IRQ_ROUTING_IRQCHIP ||
		    ue->type != KVM_IRQ_ROUTING_IRQCHIP ||
		    e->u.irqchip.irqchip == ue->u.irqchip.irqchip)
			return true;
	}
	return g->nr == KVMIRQ_MAX_ROUTES_PER_GSI;
}

/* KVM ABI: only MSI routes take a flag (KVM_MSI_VALID_DEVID). */
static bool kvmirq_route_flags_ok(const struct kvm_irq_routing_entry *ue)
{
	if (ue->type == KVM_IRQ_ROUTING_MSI)
		return !(ue->flags & ~KVM_MSI_VALID_DEVID);
	return !ue->flags;
}

static int kvmirq_routing_add(struct kvmirq_vm *vm, struct kvmirq_routing *rt,
			      u32 idx, const struct kvm_irq_routing_entry *ue)
{
	struct kvmirq_route *e = &rt->entries[idx];
	struct kvmirq_gsi_routes *g;
	int r;

	/* A type that does not fit is one no model knows: EINVAL on all. */
	if (ue->type > U16_MAX || !kvmirq_route_flags_ok(ue) ||
	    kvmirq_route_conflicts(rt, ue))
		return -EINVAL;

	e->gsi = ue->gsi;
	e->type = ue->type;
	e->flags = ue->flags;
	memcpy(&e->u, &ue->u, sizeof(e->u));
	r = vm->model->irq->route_parse(vm, e);
	if (r)
		return r;

	g = &rt->gsis[e->gsi];
	g->idx[g->nr++] = idx;
	if (e->type == KVM_IRQ_ROUTING_IRQCHIP &&
	    e->u.irqchip.irqchip < KVMIRQ_NR_IRQCHIPS &&
	    e->u.irqchip.pin < KVMIRQ_IRQCHIP_NUM_PINS)
		rt->chip[e->u.irqchip.irqchip][e->u.irqchip.pin] = e->gsi;
	return 0;
}

/**
 * kvmirq_set_routing() - replace the VM's routing table
 * @vm: the VM
 * @ue: @nr entries, in kernel memory
 * @nr: at most KVMIRQ_MAX_IRQ_ROUTES (the caller checks)
 *
 * Return: 0, -EINVAL for a bad entry (nothing changed), -ENOMEM.
 */
int kvmirq_set_routing(struct kvmirq_vm *vm,
		       const struct kvm_irq_routing_entry *ue, u32 nr)
{
	struct kvmirq_irqs *irqs = vm->irqs;
	struct kvmirq_routing *rt, *old;
	u32 i, nr_gsis = 0;
	int r;

	for (i = 0; i < nr; i++) {
		if (ue[i].gsi >= KVMIRQ_MAX_IRQ_ROUTES)
			return -EINVAL;
		nr_gsis = max(nr_gsis, ue[i].gsi + 1);
	}

	rt = kvmirq_routing_alloc(nr, nr_gsis);
	if (!rt)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		r = kvmirq_routing_add(vm, rt, i, &ue[i]);
		if (r) {
			kvfree(rt);
			return r;
		}
	}

	mutex_lock(&irqs->lock);
	old = rcu_replace_pointer(irqs->routing, rt, lockdep_is_held(&irqs->lock));
	mutex_unlock(&irqs->lock);
	if (old)
		kvfree_rcu(old, rcu);
	return 0;
}

/**
 * kvmirq_set_gsi_routing() - KVM_SET_GSI_ROUTING
 * @vm: the VM
 * @argp: struct kvm_irq_routing and its entries
 *
 * Return: 0, or KVM's errno: EFAULT, EINVAL (not allowed now, too many
 * entries, flags, a bad entry), ENOMEM.
 */
long kvmirq_set_gsi_routing(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvm_irq_routing __user *urouting = argp;
	struct kvm_irq_routing_entry *entries = NULL;
	struct kvm_irq_routing routing;
	int r;

	if (copy_from_user(&routing, urouting, sizeof(routing)))
		return -EFAULT;
	r = vm->model->irq->routing_allowed(vm);
	if (r)
		return r;
	if (routing.nr > KVMIRQ_MAX_IRQ_ROUTES || routing.flags)
		return -EINVAL;

	if (routing.nr) {
		entries = vmemdup_user(urouting->entries,
				       array_size(sizeof(*entries), routing.nr));
		if (IS_ERR(entries))
			return PTR_ERR(entries);
	}
	r = kvmirq_set_routing(vm, entries, routing.nr);
	kvfree(entries);
	return r;
}

/**
 * kvmirq_set_irq() - a source changes its level on a GSI
 * @vm: the VM
 * @source: KVMIRQ_SOURCE_*
 * @gsi: any value; an unrouted GSI reaches nothing
 * @level: 0 deasserts, anything else asserts
 * @line_status: the caller reports the status (KVM_IRQ_LINE_STATUS)
 *
 * Return: KVM's status: -1 if every route ignored it (or there is none),
 * else the sum of the non-negative route results.
 */
int kvmirq_set_irq(struct kvmirq_vm *vm, int source, u32 gsi, int level,
		   bool line_status)
{
	struct kvmirq_route set[KVMIRQ_MAX_ROUTES_PER_GSI];
	const struct kvmirq_gsi_routes *g;
	struct kvmirq_routing *rt;
	int n = 0, ret = -1, i, r;

	rcu_read_lock();
	rt = rcu_dereference(vm->irqs->routing);
	if (rt && gsi < rt->nr_gsis) {
		g = &rt->gsis[gsi];
		for (n = 0; n < g->nr; n++)
			set[n] = rt->entries[g->idx[n]];
	}
	rcu_read_unlock();

	/* KVM ABI: in the order the routes were given. */
	for (i = 0; i < n; i++) {
		r = vm->model->irq->route_set(vm, &set[i], source, level,
					      line_status);
		if (r >= 0)
			ret = r + max(ret, 0);
	}
	trace_kvmirq_set_irq(gsi, level, source, ret);
	if (level)
		kvmirq_stat_injected(vm, ret);
	return ret;
}

/*
 * The route of @gsi if it is its only one, else NULL.  Context: interrupts
 * off (an eventfd wake-up), which is an RCU read-side section for the
 * kvfree_rcu() of a replaced table: no rcu_read_lock(), whose two calls
 * were a tenth of an irqfd's MSI.  The entry is valid until interrupts are
 * enabled again; it is not copied, for the same reason.
 */
const struct kvmirq_route *
kvmirq_routing_single(struct kvmirq_vm *vm, u32 gsi)
{
	const struct kvmirq_gsi_routes *g;
	struct kvmirq_routing *rt;

	lockdep_assert_irqs_disabled();

	rt = rcu_dereference_sched(vm->irqs->routing);
	if (!rt || gsi >= rt->nr_gsis)
		return NULL;
	g = &rt->gsis[gsi];
	return g->nr == 1 ? &rt->entries[g->idx[0]] : NULL;
}

/* The GSI an ack of this irqchip pin concerns, or -1. */
int kvmirq_routing_gsi_of_pin(struct kvmirq_vm *vm, u32 irqchip, u32 pin)
{
	struct kvmirq_routing *rt;
	int gsi = -1;

	if (irqchip >= KVMIRQ_NR_IRQCHIPS || pin >= KVMIRQ_IRQCHIP_NUM_PINS)
		return -1;
	rcu_read_lock();
	rt = rcu_dereference(vm->irqs->routing);
	if (rt)
		gsi = rt->chip[irqchip][pin];
	rcu_read_unlock();
	return gsi;
}
