// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: s390 adapter routes (KVM_SET_GSI_ROUTING entries of type
 * KVM_IRQ_ROUTING_S390_ADAPTER, raised through KVM_IRQFD).
 *
 * A route names an adapter and two bits in guest memory: an indicator bit
 * and a summary bit.  Raising it sets both in the guest's (the VM
 * creator's) memory and makes an adapter interrupt when the summary bit
 * goes from 0 to 1, as KVM's set_adapter_int() does.
 *
 * Lock order: s390->flic_lock (adapter lookup and AIS) > the mm's lock.
 */
#include <linux/bitops.h>
#include <linux/highmem.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/sched/mm.h>

#include "irq.h"
#include "s390.h"

#define KVMIRQ_PAGE_BITS	(PAGE_SIZE * BITS_PER_BYTE)

/*
 * KVM ABI (the 2026 "Limit adapter indicator access to mapped page"
 * change): the bit must lie in the page of its base address.  Bit
 * @offset from @addr is bit b of that page; swap flips only b's low six
 * bits, so it stays in the same 64-bit word and the same page.
 */
static bool kvmirq_s390_bit_in_page(u64 addr, u64 offset)
{
	return offset < KVMIRQ_PAGE_BITS &&
	       offset + offset_in_page(addr) * BITS_PER_BYTE < KVMIRQ_PAGE_BITS;
}

static int kvmirq_s390_route_parse(struct kvmirq_vm *vm, struct kvmirq_route *e)
{
	struct kvm_irq_routing_s390_adapter *a = &e->u.adapter;
	unsigned long summary, ind;
	int r;

	/* KVM ABI: s390 knows only adapter routes. */
	if (e->type != KVM_IRQ_ROUTING_S390_ADAPTER)
		return -EINVAL;
	/* KVM ABI: the offsets are checked before the addresses (EINVAL first). */
	if (!kvmirq_s390_bit_in_page(a->summary_addr, a->summary_offset) ||
	    !kvmirq_s390_bit_in_page(a->ind_addr, a->ind_offset))
		return -EINVAL;
	/* KVM ABI: addresses are translated now; unbacked ones are EFAULT. */
	r = kvmirq_gpa_to_hva(vm, a->summary_addr, &summary);
	if (!r)
		r = kvmirq_gpa_to_hva(vm, a->ind_addr, &ind);
	if (r)
		return r;
	/* The route keeps user addresses from here on. */
	a->summary_addr = summary;
	a->ind_addr = ind;
	return 0;
}

/*
 * The byte and bit an s390 (big-endian) set_bit() of bit @nr from @addr
 * touches, as a little-endian bit number relative to @addr's page.
 */
static unsigned long kvmirq_s390_le_bit(u64 addr, u64 nr, bool swap)
{
	unsigned long b = nr + offset_in_page(addr) * BITS_PER_BYTE;
	unsigned long byte;

	if (swap)
		b ^= BITS_PER_LONG - 1;
	byte = (b / 64) * 8 + 7 - (b % 64) / 8;
	return byte * BITS_PER_BYTE + b % 8;
}

/* The page of @hva in the VM creator's memory, faulted in; NULL if none. */
static struct page *kvmirq_s390_get_page_locked(struct mm_struct *mm,
						unsigned long hva)
{
	struct page *page;

	lockdep_assert_held(&mm->mmap_lock);
	if (get_user_pages_remote(mm, hva & PAGE_MASK, 1, FOLL_WRITE, &page,
				  NULL) != 1)
		return NULL;
	return page;
}

/*
 * KVM ABI: adapter_indicators_set() gets both pages before it writes
 * either, so a route whose summary page cannot be faulted in leaves the
 * indicator page untouched.  0, or -1 with nothing held.
 */
static int kvmirq_s390_get_bit_pages(struct kvmirq_vm *vm,
				     const struct kvm_irq_routing_s390_adapter *a,
				     struct page **ind, struct page **summary)
{
	int r = -1;

	if (!mmget_not_zero(vm->mm))
		return -1;
	mmap_read_lock(vm->mm);
	*ind = kvmirq_s390_get_page_locked(vm->mm, a->ind_addr);
	if (*ind) {
		*summary = kvmirq_s390_get_page_locked(vm->mm, a->summary_addr);
		if (*summary)
			r = 0;
		else
			put_page(*ind);
	}
	mmap_read_unlock(vm->mm);
	mmput(vm->mm);
	return r;
}

/* Sets bit @le_bit of @page and releases the page; returns the old bit. */
static int kvmirq_s390_set_page_bit(struct page *page, unsigned long le_bit)
{
	void *kaddr = kmap_local_page(page);
	int old = test_and_set_bit_le(le_bit, kaddr);

	kunmap_local(kaddr);
	set_page_dirty_lock(page);
	put_page(page);
	return old;
}

/* KVM ABI: set_adapter_int(): the result is KVM's route status. */
static int kvmirq_s390_route_set(struct kvmirq_vm *vm,
				 const struct kvmirq_route *e,
				 int source, int level, bool line_status)
{
	const struct kvm_irq_routing_s390_adapter *a = &e->u.adapter;
	struct kvmirq_s390_vm *s390 = kvmirq_s390(vm);
	struct kvmirq_s390_adapter *adapter;
	struct page *ind, *summary_page;
	bool swap;
	int r, summary;

	/* KVM ABI: only the 0 -> 1 transition matters. */
	if (!level)
		return 0;

	mutex_lock(&s390->flic_lock);
	adapter = a->adapter_id < KVMIRQ_S390_MAX_ADAPTERS ?
		  s390->adapters[array_index_nospec(a->adapter_id,
						    KVMIRQ_S390_MAX_ADAPTERS)] :
		  NULL;
	if (!adapter) {
		r = -1;
		goto out;
	}
	if (kvmirq_s390_get_bit_pages(vm, a, &ind, &summary_page)) {
		r = -1;
		goto out;
	}
	swap = adapter->info.swap;
	kvmirq_s390_set_page_bit(ind, kvmirq_s390_le_bit(a->ind_addr,
							 a->ind_offset, swap));
	summary = kvmirq_s390_set_page_bit(summary_page,
					   kvmirq_s390_le_bit(a->summary_addr,
							      a->summary_offset,
							      swap));
	/* KVM ABI: summary already set: coalesced, whatever the mask. */
	if (summary) {
		r = 0;
		goto out;
	}
	/* KVM ABI: a masked adapter swallows it; the bits stay set. */
	r = 1;
	if (!adapter->masked) {
		r = kvmirq_s390_airq_inject_locked(vm, adapter);
		if (!r)
			r = 1;
	}
out:
	mutex_unlock(&s390->flic_lock);
	return r;
}

static int kvmirq_s390_routing_allowed(struct kvmirq_vm *vm)
{
	return 0;
}

static int kvmirq_s390_irqfd_allowed(struct kvmirq_vm *vm, u32 flags)
{
	return 0;
}

const struct kvmirq_irq_ops kvmirq_s390_irq_ops = {
	.routing_allowed	= kvmirq_s390_routing_allowed,
	.irqfd_allowed		= kvmirq_s390_irqfd_allowed,
	.route_parse		= kvmirq_s390_route_parse,
	.route_set		= kvmirq_s390_route_set,
};
