/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq: memory slots as memslot.c keeps them, for the code that works on
 * one slot (dirty_log.c).
 */
#ifndef KVMIRQ_MEMSLOT_H
#define KVMIRQ_MEMSLOT_H

#include "kvmirq.h"

/**
 * struct kvmirq_memslot - one slot
 * @node: in kvmirq_memslots.slots
 * @as_id: its address space (x86: 0 normal, 1 SMM)
 * @id: the slot number within @as_id
 * @flags: KVM_MEM_* as set
 * @gpa: first guest-physical address
 * @size: length in bytes
 * @hva: the user address @gpa maps to
 * @dirty_bitmap: while KVM_MEM_LOG_DIRTY_PAGES is set (and the model logs):
 *                one bit per page, then as many bits of scratch space;
 *                under vm->lock
 */
struct kvmirq_memslot {
	struct list_head node;
	u16 as_id;
	u16 id;
	u32 flags;
	u64 gpa;
	u64 size;
	u64 hva;
	unsigned long *dirty_bitmap;
};

struct kvmirq_memslot *kvmirq_memslot_find(struct kvmirq_memslots *ms,
					   u32 slot);
size_t kvmirq_memslot_bitmap_bytes(const struct kvmirq_memslot *slot);

#endif /* KVMIRQ_MEMSLOT_H */
