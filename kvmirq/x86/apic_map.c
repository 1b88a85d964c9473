// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the VM's LAPICs in creation order, for delivery.
 *
 * Delivery walks every LAPIC of the VM (apic_deliver.c).  Walking vm->vcpus
 * costs an xarray search per step, more than the rest of an MSI together;
 * this array under RCU costs a load.  It holds LAPIC pointers only, so it
 * never goes stale: the addressing registers are read at delivery, as
 * before.  A vcpu's slot is its creation index (vcpu->idx).
 *
 * The array only grows.  Room is made while a vcpu is created (it may
 * fail), the slot is filled when the vcpu is published (it may not), both
 * under vm->lock; readers see the slots below @nr.
 */
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "lapic.h"

static struct kvmirq_apic_map *
apic_map_locked(struct kvmirq_vm *vm)
{
	return rcu_dereference_protected(kvmirq_x86(vm)->apic_map,
					 lockdep_is_held(&vm->lock));
}

/**
 * kvmirq_apic_map_reserve() - make room for every vcpu counted so far
 * @vm: the VM; the new vcpu is counted in vm->nr_vcpus
 *
 * Context: process context, vm->lock not held.
 * Return: 0 or -ENOMEM.
 */
int kvmirq_apic_map_reserve(struct kvmirq_vm *vm)
{
	struct kvmirq_apic_map *old, *map;
	u32 size;
	int r = 0;

	mutex_lock(&vm->lock);
	old = apic_map_locked(vm);
	if (old && old->size >= vm->nr_vcpus)
		goto unlock;
	size = roundup_pow_of_two(max(vm->nr_vcpus, 4U));
	map = kvzalloc(struct_size(map, lapics, size), GFP_KERNEL_ACCOUNT);
	if (!map) {
		r = -ENOMEM;
		goto unlock;
	}
	map->size = size;
	if (old) {
		map->nr = old->nr;
		memcpy(map->lapics, old->lapics, old->nr * sizeof(*map->lapics));
	}
	rcu_assign_pointer(kvmirq_x86(vm)->apic_map, map);
	if (old)
		kvfree_rcu(old, rcu);
unlock:
	mutex_unlock(&vm->lock);
	return r;
}

/**
 * kvmirq_apic_map_add() - a vcpu with a LAPIC is published
 * @vcpu: the vcpu, its creation index set; room was reserved for it
 *
 * Context: vm->lock held.
 */
void kvmirq_apic_map_add(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_apic_map *map = apic_map_locked(vcpu->vm);

	lockdep_assert_held(&vcpu->vm->lock);

	if (WARN_ON_ONCE(!map || vcpu->idx >= map->size))
		return;
	map->lapics[vcpu->idx] = kvmirq_lapic(vcpu);
	/* The slot before the count; pairs with apic_map_nr(). */
	smp_store_release(&map->nr, max(map->nr, vcpu->idx + 1));
}

/* The VM is destroyed: nobody delivers any more. */
void kvmirq_apic_map_free(struct kvmirq_vm *vm)
{
	kvfree(rcu_dereference_protected(kvmirq_x86(vm)->apic_map, true));
}
