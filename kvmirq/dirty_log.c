// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: dirty page logging (KVM_GET_DIRTY_LOG, KVM_CLEAR_DIRTY_LOG,
 * KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2) on the bitmaps memslot.c keeps.
 *
 * No guest CPU writes guest memory, so no page ever becomes dirty: a bitmap
 * holds only what KVM_DIRTY_LOG_INITIALLY_SET put there, until
 * KVM_CLEAR_DIRTY_LOG takes it away.  Everything else is KVM's ABI: which
 * slots have a bitmap, its size, the errnos, what GET clears.
 */
#include <linux/bitmap.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include "memslot.h"

/* KVM ABI: a slot number outside the address spaces or user slots. */
static bool kvmirq_dirty_log_bad_nr(const struct kvmirq_memslot_rules *rules,
				    u32 nr)
{
	return (nr >> 16) >= rules->nr_as || (u16)nr >= rules->max_slots;
}

/* The slot numbered @nr if it logs, else NULL. */
static struct kvmirq_memslot *kvmirq_dirty_log_slot_locked(struct kvmirq_vm *vm,
							   u32 nr)
{
	struct kvmirq_memslot *slot = kvmirq_memslot_find(&vm->memslots, nr);

	lockdep_assert_held(&vm->lock);
	return slot && slot->dirty_bitmap ? slot : NULL;
}

/**
 * kvmirq_get_dirty_log() - KVM_GET_DIRTY_LOG
 * @vm: the VM
 * @rules: the model's slot limits
 * @argp: struct kvm_dirty_log
 *
 * Without manual protection the pages reported are cleared, as KVM's.
 *
 * Return: 0, EFAULT, EINVAL (bad slot number), ENOENT (no such slot, or
 * not logging).
 */
int kvmirq_get_dirty_log(struct kvmirq_vm *vm,
			 const struct kvmirq_memslot_rules *rules,
			 void __user *argp)
{
	struct kvmirq_memslot *slot;
	struct kvm_dirty_log log;
	size_t bytes;
	int r;

	if (copy_from_user(&log, argp, sizeof(log)))
		return -EFAULT;
	if (kvmirq_dirty_log_bad_nr(rules, log.slot))
		return -EINVAL;

	mutex_lock(&vm->lock);
	slot = kvmirq_dirty_log_slot_locked(vm, log.slot);
	r = -ENOENT;
	if (!slot)
		goto out;
	r = 0;
	bytes = kvmirq_memslot_bitmap_bytes(slot);
	if (copy_to_user(log.dirty_bitmap, slot->dirty_bitmap, bytes)) {
		r = -EFAULT;
		goto out;
	}
	if (!(vm->memslots.manual_dirty_log &
	      KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE))
		memset(slot->dirty_bitmap, 0, bytes);
out:
	mutex_unlock(&vm->lock);
	return r;
}

/* KVM ABI: the range checks of kvm_clear_dirty_log_protect(). */
static bool kvmirq_clear_range_ok(const struct kvmirq_memslot *slot,
				  const struct kvm_clear_dirty_log *log)
{
	u64 npages = slot->size >> PAGE_SHIFT;

	if (log->first_page > npages ||
	    log->num_pages > npages - log->first_page)
		return false;
	/* Whole longs, except for a range that ends the slot. */
	return log->num_pages == npages - log->first_page ||
	       !(log->num_pages & 63);
}

/**
 * kvmirq_clear_dirty_log() - KVM_CLEAR_DIRTY_LOG
 * @vm: the VM
 * @rules: the model's slot limits
 * @argp: struct kvm_clear_dirty_log
 *
 * KVM ABI: it works whether or not manual protection was enabled.
 *
 * Return: 0, EFAULT, EINVAL (slot number, unaligned or out-of-slot range),
 * ENOENT (no such slot, or not logging).
 */
int kvmirq_clear_dirty_log(struct kvmirq_vm *vm,
			   const struct kvmirq_memslot_rules *rules,
			   void __user *argp)
{
	struct kvm_clear_dirty_log log;
	struct kvmirq_memslot *slot;
	unsigned long *mask;
	size_t longs;
	int r;

	if (copy_from_user(&log, argp, sizeof(log)))
		return -EFAULT;
	/* KVM ABI: the range starts on a whole long of the bitmap. */
	if (kvmirq_dirty_log_bad_nr(rules, log.slot) || (log.first_page & 63))
		return -EINVAL;

	mutex_lock(&vm->lock);
	slot = kvmirq_dirty_log_slot_locked(vm, log.slot);
	r = -ENOENT;
	if (!slot)
		goto out;
	r = -EINVAL;
	if (!kvmirq_clear_range_ok(slot, &log))
		goto out;

	/* The mask goes to the scratch half of the bitmap, as KVM's. */
	longs = DIV_ROUND_UP(log.num_pages, BITS_PER_LONG);
	mask = slot->dirty_bitmap + kvmirq_memslot_bitmap_bytes(slot) /
				    sizeof(long);
	r = -EFAULT;
	if (copy_from_user(mask, log.dirty_bitmap, longs * sizeof(long)))
		goto out;
	bitmap_andnot(slot->dirty_bitmap + log.first_page / BITS_PER_LONG,
		      slot->dirty_bitmap + log.first_page / BITS_PER_LONG,
		      mask, longs * BITS_PER_LONG);
	r = 0;
out:
	mutex_unlock(&vm->lock);
	return r;
}

/**
 * kvmirq_enable_manual_dirty_log() - KVM_ENABLE_CAP(MANUAL_DIRTY_LOG_PROTECT2)
 * @vm: the VM
 * @cap: the request, flags already checked
 * @valid: the options the model offers (KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2)
 *
 * Return: 0, or -EINVAL for options outside @valid.
 */
int kvmirq_enable_manual_dirty_log(struct kvmirq_vm *vm,
				   const struct kvm_enable_cap *cap, u64 valid)
{
	u64 allowed = KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE;

	/* KVM ABI: INITIALLY_SET only together with MANUAL_PROTECT_ENABLE. */
	if (cap->args[0] & KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE)
		allowed = valid;
	if (cap->args[0] & ~allowed)
		return -EINVAL;
	mutex_lock(&vm->lock);
	WRITE_ONCE(vm->memslots.manual_dirty_log, cap->args[0]);
	mutex_unlock(&vm->lock);
	return 0;
}
