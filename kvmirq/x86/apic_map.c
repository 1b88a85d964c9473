// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the VM's LAPICs in creation order, for delivery.
 *
 * Delivery walks every LAPIC of the VM (apic_deliver.c).  Walking vm->vcpus
 * cost an xarray search per step, more than the rest of an MSI together;
 * this array costs a load.  It holds LAPIC pointers only, so it never goes
 * stale: the addressing registers are read at delivery, as before.  A
 * vcpu's slot is its creation index (vcpu->idx).
 *
 * The array only grows.  Room is made while a vcpu is created (that may
 * fail), the slot is filled when the vcpu is published (that may not),
 * both under vm->lock; readers see the slots below @nr.  A replaced array
 * stays, unchanged and valid, until the VM is destroyed (the arrays double,
 * so the old ones together are smaller than the current one): readers take
 * no lock and no RCU read section, and LAPICs too live as long as the VM.
 */
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "lapic.h"

/*
 * The slots of the smallest power-of-two object that holds @nr: a
 * power-of-two count plus the header would take an object twice as big
 * (an 8 KiB array for 1024 vcpus, 16 KiB with its header).
 */
static u32 kvmirq_apic_map_slots(u32 nr)
{
	struct kvmirq_apic_map *map;
	size_t bytes = roundup_pow_of_two(struct_size(map, lapics, nr));

	return (bytes - sizeof(*map)) / sizeof(map->lapics[0]);
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
	struct kvmirq_x86_vm *x86 = kvmirq_x86(vm);
	struct kvmirq_apic_map *old, *map;
	u32 size;
	int r = 0;

	mutex_lock(&vm->lock);
	old = x86->apic_map;
	if (old && old->size >= vm->nr_vcpus)
		goto unlock;
	size = kvmirq_apic_map_slots(vm->nr_vcpus);
	map = kvzalloc(struct_size(map, lapics, size), GFP_KERNEL_ACCOUNT);
	if (!map) {
		r = -ENOMEM;
		goto unlock;
	}
	map->size = size;
	map->older = old;
	if (old) {
		map->nr = old->nr;
		memcpy(map->lapics, old->lapics, old->nr * sizeof(*map->lapics));
	}
	/* The copied slots before the array; pairs with kvmirq_apic_map_get(). */
	smp_store_release(&x86->apic_map, map);
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
	struct kvmirq_apic_map *map = kvmirq_x86(vcpu->vm)->apic_map;

	lockdep_assert_held(&vcpu->vm->lock);

	if (WARN_ON_ONCE(!map || vcpu->idx >= map->size))
		return;
	map->lapics[vcpu->idx] = kvmirq_lapic(vcpu);
	/* The slot before the count; pairs with kvmirq_apic_map_get() (lapic.h). */
	smp_store_release(&map->nr, max(map->nr, vcpu->idx + 1));
}

/**
 * kvmirq_apic_map_walk_ids() - call @fn with each LAPIC's vcpu id
 * @vm: the VM
 * @fn: called in vcpu creation order
 * @arg: passed to @fn
 *
 * Context: any; @fn must not create vcpus.
 */
void kvmirq_apic_map_walk_ids(struct kvmirq_vm *vm, kvmirq_apic_id_fn fn,
			      void *arg)
{
	struct kvmirq_lapic *const *lapics;
	u32 i, nr;

	lapics = kvmirq_apic_map_get(vm, &nr);
	for (i = 0; i < nr; i++)
		if (lapics[i])
			fn(arg, lapics[i]->vcpu->id);
}

/* The VM is destroyed: nobody delivers any more. */
void kvmirq_apic_map_free(struct kvmirq_vm *vm)
{
	struct kvmirq_apic_map *map = kvmirq_x86(vm)->apic_map, *older;

	for (; map; map = older) {
		older = map->older;
		kvfree(map);
	}
}
