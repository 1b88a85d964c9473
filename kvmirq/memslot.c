// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: guest memory slots (KVM_SET_USER_MEMORY_REGION), a plain table
 * from guest-physical ranges to the VM creator's user addresses, with KVM's
 * validation.  Nothing is mapped or pinned here; users translate an address
 * and pin what they need themselves.
 *
 * The table belongs to the VM (struct kvmirq_memslots in struct kvmirq_vm):
 * updates are serialised by vm->lock, lookups take only the table's
 * spinlock, so they may run in atomic context.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kvmirq.h"

/**
 * struct kvmirq_memslot - one slot
 * @node: in kvmirq_memslots.slots
 * @id: the slot number (address space 0)
 * @flags: KVM_MEM_* as set
 * @gpa: first guest-physical address
 * @size: length in bytes
 * @hva: the user address @gpa maps to
 */
struct kvmirq_memslot {
	struct list_head node;
	u16 id;
	u32 flags;
	u64 gpa;
	u64 size;
	u64 hva;
};

/* KVM ABI: KVM_MEM_MAX_NR_PAGES */
#define KVMIRQ_MEM_MAX_NR_PAGES		((1ULL << 31) - 1)

void kvmirq_memslots_init(struct kvmirq_memslots *ms)
{
	spin_lock_init(&ms->lock);
	INIT_LIST_HEAD(&ms->slots);
}

void kvmirq_memslots_destroy(struct kvmirq_memslots *ms)
{
	struct kvmirq_memslot *slot, *tmp;

	list_for_each_entry_safe(slot, tmp, &ms->slots, node)
		kfree(slot);
	INIT_LIST_HEAD(&ms->slots);
}

static struct kvmirq_memslot *kvmirq_memslot_by_id(struct kvmirq_memslots *ms,
						   u16 id)
{
	struct kvmirq_memslot *slot;

	list_for_each_entry(slot, &ms->slots, node)
		if (slot->id == id)
			return slot;
	return NULL;
}

static bool kvmirq_memslot_overlaps(struct kvmirq_memslots *ms, u16 id,
				    u64 gpa, u64 size)
{
	struct kvmirq_memslot *slot;

	list_for_each_entry(slot, &ms->slots, node)
		if (slot->id != id && gpa < slot->gpa + slot->size &&
		    slot->gpa < gpa + size)
			return true;
	return false;
}

/* KVM ABI: the generic checks of __kvm_set_memory_region(), in order. */
static int kvmirq_memslot_check(const struct kvmirq_memslot_rules *rules,
				const struct kvm_userspace_memory_region *mem)
{
	if ((u16)mem->slot >= rules->max_slots)
		return -EINVAL;
	if (mem->flags & ~rules->valid_flags)
		return -EINVAL;
	if (mem->memory_size & ~PAGE_MASK)
		return -EINVAL;
	if (mem->guest_phys_addr & ~PAGE_MASK)
		return -EINVAL;
	if ((mem->userspace_addr & ~PAGE_MASK) ||
	    !access_ok(u64_to_user_ptr(mem->userspace_addr), mem->memory_size))
		return -EINVAL;
	/* Address space 0 only. */
	if (mem->slot >> 16)
		return -EINVAL;
	if (mem->guest_phys_addr + mem->memory_size < mem->guest_phys_addr)
		return -EINVAL;
	if ((mem->memory_size >> PAGE_SHIFT) > KVMIRQ_MEM_MAX_NR_PAGES)
		return -EINVAL;
	return 0;
}

/* The model's checks of a created or moved slot (s390: 1 MiB segments). */
static int kvmirq_memslot_check_placement(const struct kvmirq_memslot_rules *rules,
					  const struct kvm_userspace_memory_region *mem)
{
	if ((mem->userspace_addr | mem->memory_size) & (rules->align - 1))
		return -EINVAL;
	if (mem->guest_phys_addr + mem->memory_size > rules->mem_limit)
		return -EINVAL;
	return 0;
}

static int kvmirq_memslot_update_locked(struct kvmirq_vm *vm,
					const struct kvmirq_memslot_rules *rules,
					const struct kvm_userspace_memory_region *mem)
{
	struct kvmirq_memslots *ms = &vm->memslots;
	u16 id = mem->slot;
	struct kvmirq_memslot *old = kvmirq_memslot_by_id(ms, id);
	struct kvmirq_memslot *fresh;
	bool place = !old;

	lockdep_assert_held(&vm->lock);
	if (!mem->memory_size) {
		/* KVM ABI: deleting a slot that does not exist is EINVAL. */
		if (!old)
			return -EINVAL;
		spin_lock(&ms->lock);
		list_del(&old->node);
		spin_unlock(&ms->lock);
		kfree(old);
		return 0;
	}
	if (old) {
		/* KVM ABI: only the base and the flags of a slot may change. */
		if (mem->userspace_addr != old->hva ||
		    mem->memory_size != old->size)
			return -EINVAL;
		if (mem->guest_phys_addr == old->gpa && mem->flags == old->flags)
			return 0;
		place = mem->guest_phys_addr != old->gpa;
	}
	if (place && kvmirq_memslot_overlaps(ms, id, mem->guest_phys_addr,
					     mem->memory_size))
		return -EEXIST;
	if (place) {
		int r = kvmirq_memslot_check_placement(rules, mem);

		if (r)
			return r;
	}

	if (!old) {
		/*
		 * KVM ABI: a new slot is allocated after every check, so a bad
		 * request gets its own errno, not ENOMEM, however short memory is.
		 */
		fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
		if (!fresh)
			return -ENOMEM;
		fresh->id = id;
		fresh->hva = mem->userspace_addr;
		fresh->size = mem->memory_size;
	}

	spin_lock(&ms->lock);
	if (!old) {
		old = fresh;
		list_add_tail(&old->node, &ms->slots);
	}
	old->gpa = mem->guest_phys_addr;
	old->flags = mem->flags;
	spin_unlock(&ms->lock);
	return 0;
}

/**
 * kvmirq_set_user_memory_region() - KVM_SET_USER_MEMORY_REGION
 * @vm: the VM
 * @rules: the model's limits
 * @argp: struct kvm_userspace_memory_region
 *
 * Return: 0, EFAULT, EINVAL, EEXIST (overlap) or ENOMEM.
 */
int kvmirq_set_user_memory_region(struct kvmirq_vm *vm,
				  const struct kvmirq_memslot_rules *rules,
				  void __user *argp)
{
	struct kvm_userspace_memory_region mem;
	int r;

	if (copy_from_user(&mem, argp, sizeof(mem)))
		return -EFAULT;
	r = kvmirq_memslot_check(rules, &mem);
	if (r)
		return r;

	mutex_lock(&vm->lock);
	r = kvmirq_memslot_update_locked(vm, rules, &mem);
	mutex_unlock(&vm->lock);
	return r;
}

/**
 * kvmirq_gpa_to_hva() - translate a guest-physical address
 * @vm: the VM
 * @gpa: the address
 * @hva: the user address in the VM creator's mm, on success
 *
 * May be called in atomic context.
 *
 * Return: 0, or -EFAULT when no slot covers @gpa.
 */
int kvmirq_gpa_to_hva(struct kvmirq_vm *vm, u64 gpa, unsigned long *hva)
{
	struct kvmirq_memslots *ms = &vm->memslots;
	struct kvmirq_memslot *slot;
	int r = -EFAULT;

	spin_lock(&ms->lock);
	list_for_each_entry(slot, &ms->slots, node) {
		if (gpa >= slot->gpa && gpa - slot->gpa < slot->size) {
			*hva = slot->hva + (gpa - slot->gpa);
			r = 0;
			break;
		}
	}
	spin_unlock(&ms->lock);
	return r;
}
