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

#include "memslot.h"

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

	list_for_each_entry_safe(slot, tmp, &ms->slots, node) {
		kvfree(slot->dirty_bitmap);
		kfree(slot);
	}
	INIT_LIST_HEAD(&ms->slots);
}

/**
 * kvmirq_memslot_find() - a slot by its KVM_SET_USER_MEMORY_REGION number
 * @ms: the VM's slots
 * @slot: address space in bits 31:16, slot id in bits 15:0
 *
 * The caller holds vm->lock or the table's spinlock.
 *
 * Return: the slot, or NULL.
 */
struct kvmirq_memslot *kvmirq_memslot_find(struct kvmirq_memslots *ms, u32 slot)
{
	struct kvmirq_memslot *s;

	list_for_each_entry(s, &ms->slots, node)
		if (s->as_id == slot >> 16 && s->id == (u16)slot)
			return s;
	return NULL;
}

/* KVM ABI: slots of different address spaces (x86 SMM) may overlap. */
static bool kvmirq_memslot_overlaps(struct kvmirq_memslots *ms, u32 slot,
				    u64 gpa, u64 size)
{
	struct kvmirq_memslot *s;

	list_for_each_entry(s, &ms->slots, node)
		if (s->as_id == slot >> 16 && s->id != (u16)slot &&
		    gpa < s->gpa + s->size && s->gpa < gpa + size)
			return true;
	return false;
}

/* KVM ABI: kvm_dirty_bitmap_bytes(), one bit per page in whole longs. */
size_t kvmirq_memslot_bitmap_bytes(const struct kvmirq_memslot *slot)
{
	return ALIGN(slot->size >> PAGE_SHIFT, BITS_PER_LONG) / 8;
}

/*
 * The dirty bitmap a slot gets when logging starts, twice the bitmap size
 * as KVM's: the second half is the buffer KVM_CLEAR_DIRTY_LOG copies the
 * user's mask into.  With KVM_DIRTY_LOG_INITIALLY_SET every page starts
 * dirty; otherwise nothing ever dirties a page, as no guest writes.
 */
static unsigned long *kvmirq_dirty_bitmap_alloc(struct kvmirq_memslots *ms,
						u64 size)
{
	size_t bytes = ALIGN(size >> PAGE_SHIFT, BITS_PER_LONG) / 8;
	unsigned long *bitmap = kvzalloc(2 * bytes, GFP_KERNEL_ACCOUNT);

	if (bitmap && (READ_ONCE(ms->manual_dirty_log) &
		       KVM_DIRTY_LOG_INITIALLY_SET))
		bitmap_set(bitmap, 0, size >> PAGE_SHIFT);
	return bitmap;
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
	if ((mem->slot >> 16) >= rules->nr_as)
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

static int kvmirq_memslot_delete_locked(struct kvmirq_vm *vm,
					struct kvmirq_memslot *old)
{
	struct kvmirq_memslots *ms = &vm->memslots;

	lockdep_assert_held(&vm->lock);
	/* KVM ABI: deleting a slot that does not exist is EINVAL. */
	if (!old)
		return -EINVAL;
	spin_lock(&ms->lock);
	list_del(&old->node);
	spin_unlock(&ms->lock);
	kvfree(old->dirty_bitmap);
	kfree(old);
	return 0;
}

static int kvmirq_memslot_update_locked(struct kvmirq_vm *vm,
					const struct kvmirq_memslot_rules *rules,
					const struct kvm_userspace_memory_region *mem)
{
	struct kvmirq_memslots *ms = &vm->memslots;
	struct kvmirq_memslot *old = kvmirq_memslot_find(ms, mem->slot);
	bool logging = mem->flags & KVM_MEM_LOG_DIRTY_PAGES;
	unsigned long *bitmap = NULL, *stale = NULL;
	struct kvmirq_memslot *fresh = NULL;
	bool place = !old;
	int r;

	lockdep_assert_held(&vm->lock);
	if (!mem->memory_size)
		return kvmirq_memslot_delete_locked(vm, old);
	if (old) {
		/*
		 * KVM ABI: only the base and the flags of a slot may change,
		 * and of the flags not KVM_MEM_READONLY.
		 */
		if (mem->userspace_addr != old->hva ||
		    mem->memory_size != old->size ||
		    ((mem->flags ^ old->flags) & KVM_MEM_READONLY))
			return -EINVAL;
		if (mem->guest_phys_addr == old->gpa && mem->flags == old->flags)
			return 0;
		place = mem->guest_phys_addr != old->gpa;
	}
	if (place && kvmirq_memslot_overlaps(ms, mem->slot,
					     mem->guest_phys_addr,
					     mem->memory_size))
		return -EEXIST;
	if (place) {
		r = kvmirq_memslot_check_placement(rules, mem);
		if (r)
			return r;
	}

	/*
	 * KVM ABI: memory is allocated after every check, so a bad request
	 * gets its own errno, not ENOMEM, however short memory is.  A slot
	 * that keeps logging keeps its bitmap, also when it moves.
	 */
	if (rules->dirty_log && logging && !(old && old->dirty_bitmap)) {
		bitmap = kvmirq_dirty_bitmap_alloc(ms, mem->memory_size);
		if (!bitmap)
			return -ENOMEM;
	}
	if (!old) {
		fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
		if (!fresh) {
			kvfree(bitmap);
			return -ENOMEM;
		}
		fresh->as_id = mem->slot >> 16;
		fresh->id = mem->slot;
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
	if (bitmap)
		old->dirty_bitmap = bitmap;
	if (!logging) {
		stale = old->dirty_bitmap;
		old->dirty_bitmap = NULL;
	}
	spin_unlock(&ms->lock);
	kvfree(stale);
	return 0;
}

/**
 * kvmirq_set_user_memory_region() - KVM_SET_USER_MEMORY_REGION
 * @vm: the VM
 * @rules: the model's limits
 * @argp: struct kvm_userspace_memory_region
 *
 * A slot number carries the address space in bits 31:16 (x86: 1 is SMM's
 * view), as KVM's.  With @rules->dirty_log, a slot with
 * KVM_MEM_LOG_DIRTY_PAGES has a dirty bitmap (dirty_log.c).
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
 * May be called in atomic context.  Only address space 0 is searched.
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
		if (!slot->as_id && gpa >= slot->gpa &&
		    gpa - slot->gpa < slot->size) {
			*hva = slot->hva + (gpa - slot->gpa);
			r = 0;
			break;
		}
	}
	spin_unlock(&ms->lock);
	return r;
}
