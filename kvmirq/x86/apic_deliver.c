// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: delivery of interrupt messages (IOAPIC, MSI, IPI) to the local
 * APICs with KVM's destination matching and lowest-priority arbitration.
 *
 * KVM keeps a cached "APIC map" and takes a fast path through it; the map
 * decides which cases return 0 and which -1.  kvmirq caches no addressing:
 * each delivery scans the LAPICs once to learn what KVM's map would be
 * (present physical ids, logical mode, aliasing), then picks and accepts
 * the targets as KVM's fast or slow path would.  KVM's map omits the vcpu
 * created last until something dirties it; kvmirq does not reproduce that
 * bug.  The LAPICs are walked in creation order through apic_map.c's array
 * (an xarray walk of vm->vcpus cost more than the rest of an MSI).
 *
 * Only LAPIC locks are taken here, one at a time (see x86.h).
 */
#include <linux/bitmap.h>

#include "lapic.h"
#include "trace.h"

/* KVM ABI: KVM_MAX_VCPUS on x86, the most vcpu indexes a VM has. */
#define KVMIRQ_APIC_MAX_VCPUS	1024

/* KVM's logical map modes */
enum kvmirq_lmode {
	LMODE_NONE,		/* no usable logical id: logical messages hit none */
	LMODE_FLAT,
	LMODE_CLUSTER,
	LMODE_X2APIC,
	LMODE_DISABLED,		/* mixed modes or aliases: the slow path */
};

/* What KVM's APIC map would be. */
struct kvmirq_apic_scan {
	bool any;
	bool ext_ids;
	bool phys_alias;
	enum kvmirq_lmode lmode;
	u32 max_phys_id;
	DECLARE_BITMAP(phys, 256);
	u16 lslots[16];
};

/* The LAPICs of a delivery (apic_map.c), valid as long as the VM. */
struct apic_set {
	struct kvmirq_lapic *const *lapics;
	u32 nr;
};

/* The next LAPIC at or after slot *@i, or NULL at the end. */
static struct kvmirq_lapic *kvmirq_apic_next(const struct apic_set *set, u32 *i)
{
	for (; *i < set->nr; (*i)++)
		if (set->lapics[*i])
			return set->lapics[*i];
	return NULL;
}

static bool kvmirq_apic_present(struct kvmirq_lapic *l)
{
	return kvmirq_lapic_hw_enabled(l);
}

/* The id KVM's physical map files a present LAPIC under. */
static u32 kvmirq_apic_phys_id(struct kvmirq_lapic *l)
{
	if (kvmirq_lapic_x2apic(l))
		return l->vcpu->id;
	return kvmirq_lapic_reg(l, APIC_ID) >> 24;
}

/*
 * The LAPIC KVM's physical map holds under @id, or NULL.  The map files an
 * x2APIC-mode LAPIC under its vcpu id, over whatever was filed there
 * before, and an xAPIC-mode one under its xAPIC id if no earlier LAPIC (in
 * creation order) holds that.  KVM ABI: with KVM_X2APIC_API_USE_32BIT_IDS
 * (@ext) an xAPIC-mode LAPIC whose vcpu id is above 255 is filed under
 * that id too (the hotplug hack), and a duplicated xAPIC id is no alias
 * that disables the map: its first holder takes it (6.12; 6.1 always did).
 * Without 32-bit ids aliases never get here.
 */
static struct kvmirq_lapic *kvmirq_apic_phys_holder(const struct apic_set *set,
						    bool ext, u32 id)
{
	struct kvmirq_lapic *l, *first = NULL;
	u32 i;

	for (i = 0; (l = kvmirq_apic_next(set, &i)); i++) {
		if (!kvmirq_apic_present(l))
			continue;
		if (kvmirq_lapic_x2apic(l)) {
			if (l->vcpu->id == id)
				return l;
		} else if (ext && id > 0xff) {
			if (l->vcpu->id == id)
				return l;
		} else if (!first && kvmirq_lapic_reg(l, APIC_ID) >> 24 == id) {
			first = l;
		}
	}
	return first;
}

static enum kvmirq_lmode kvmirq_apic_lmode(struct kvmirq_lapic *l)
{
	if (!kvmirq_apic_present(l) || !kvmirq_lapic_sw_enabled(l) ||
	    !kvmirq_lapic_reg(l, APIC_LDR))
		return LMODE_NONE;
	if (kvmirq_lapic_x2apic(l))
		return LMODE_X2APIC;
	/* KVM ABI: the map treats any DFR other than flat as cluster. */
	return kvmirq_lapic_reg(l, APIC_DFR) == APIC_DFR_FLAT ?
	       LMODE_FLAT : LMODE_CLUSTER;
}

/* The xAPIC logical slot of @l: cluster and one-bit mask (0 if none). */
static u16 kvmirq_apic_lslot(struct kvmirq_lapic *l, enum kvmirq_lmode mode,
			     u32 *cluster)
{
	u32 id = kvmirq_lapic_reg(l, APIC_LDR) >> 24;

	if (mode == LMODE_FLAT) {
		*cluster = 0;
		return id;
	}
	*cluster = id >> 4;
	return id & 0xf;
}

static void kvmirq_apic_scan_logical(struct kvmirq_apic_scan *scan,
				     struct kvmirq_lapic *l)
{
	enum kvmirq_lmode mode = kvmirq_apic_lmode(l);
	u32 cluster;
	u16 slot;

	if (mode == LMODE_NONE || scan->lmode == LMODE_DISABLED)
		return;
	if (scan->lmode != LMODE_NONE && scan->lmode != mode) {
		scan->lmode = LMODE_DISABLED;
		return;
	}
	scan->lmode = mode;
	if (mode == LMODE_X2APIC)
		return;	/* x2APIC logical ids follow from the unique ids */
	slot = kvmirq_apic_lslot(l, mode, &cluster);
	if (!slot)
		return;
	if (!is_power_of_2(slot) || (scan->lslots[cluster] & slot))
		scan->lmode = LMODE_DISABLED;
	else
		scan->lslots[cluster] |= slot;
}

/*
 * What KVM's map would be.  Only logical messages, and the broadcast rule
 * without the x2APIC quirk, look at the logical mode, slots and cluster
 * width: the others skip them (@logical false), a third of an MSI's
 * delivery.  With 32-bit ids (@ext) duplicate ids are not looked for.
 */
static void kvmirq_apic_scan_set(const struct apic_set *set,
				 struct kvmirq_apic_scan *scan,
				 bool logical, bool ext)
{
	struct kvmirq_lapic *l;
	u32 i, id;

	scan->any = false;
	scan->ext_ids = ext;
	scan->phys_alias = false;
	scan->lmode = LMODE_NONE;
	/*
	 * KVM ABI: KVM's APIC map starts at 255, so below 256 vcpus every
	 * x2APIC logical cluster is 16 wide (lowest priority hashes over it).
	 */
	scan->max_phys_id = 255;
	bitmap_zero(scan->phys, 256);
	if (logical)
		memset(scan->lslots, 0, sizeof(scan->lslots));
	for (i = 0; (l = kvmirq_apic_next(set, &i)); i++) {
		scan->any = true;
		if (!kvmirq_apic_present(l))
			continue;
		/*
		 * x2APIC ids above 255 are vcpu ids, unique by construction.
		 * KVM ABI: with 32-bit ids duplicates are no alias (6.12).
		 */
		if (!ext) {
			id = kvmirq_apic_phys_id(l);
			if (id < 256 && __test_and_set_bit(id, scan->phys))
				scan->phys_alias = true;
		}
		if (!logical)
			continue;
		/* KVM ABI: the highest vcpu (x2APIC) id, whatever the mode. */
		scan->max_phys_id = max(scan->max_phys_id, l->vcpu->id);
		kvmirq_apic_scan_logical(scan, l);
	}
}

static bool kvmirq_apic_lowest_prio(const struct kvmirq_apic_irq *irq)
{
	return irq->delivery_mode == APIC_DM_LOWEST || irq->msi_redir_hint;
}

/* Accepts @irq at @l and notes in @map (by vcpu id) a taken Fixed/Lowest. */
static int kvmirq_apic_accept(struct kvmirq_lapic *l,
			      const struct kvmirq_apic_irq *irq,
			      unsigned long *map)
{
	int r = kvmirq_lapic_accept(l, irq);

	trace_kvmirq_apic_accept_irq(l->vcpu->id, irq->delivery_mode,
				     irq->trig_mode, irq->vector, r);
	if (r) {
		kvmirq_stat_add(&l->vcpu->stats.irqs_accepted, 1);
		if (irq->delivery_mode == APIC_DM_NMI) {
			kvmirq_stat_add(&l->vcpu->stats.nmis_injected, 1);
			trace_kvmirq_inject_nmi(l->vcpu->id);
		}
	}
	if (r && map && (irq->delivery_mode == APIC_DM_FIXED ||
			 irq->delivery_mode == APIC_DM_LOWEST))
		set_bit(l->vcpu->id, map);
	return r;
}

/* KVM's kvm_apic_mda(): the broadcast quirk for messages to x2APICs. */
static u32 kvmirq_apic_mda(struct kvmirq_vm *vm, struct kvmirq_lapic *src,
			   struct kvmirq_lapic *l, u32 dest)
{
	if (!READ_ONCE(kvmirq_x86(vm)->x2apic_broadcast_quirk_off) && !src &&
	    dest == 0xff && kvmirq_lapic_x2apic(l))
		return 0xffffffff;
	return dest;
}

static bool kvmirq_apic_is_broadcast(struct kvmirq_lapic *l, u32 mda)
{
	return mda == (kvmirq_lapic_x2apic(l) ? 0xffffffff : 0xff);
}

static bool kvmirq_apic_match_physical(struct kvmirq_lapic *l, u32 mda)
{
	if (kvmirq_apic_is_broadcast(l, mda))
		return true;
	/* KVM ABI: the hotplug hack, ids above 255 match the x2APIC id. */
	if (kvmirq_lapic_x2apic(l) || mda > 0xff)
		return mda == l->vcpu->id;
	return mda == kvmirq_lapic_reg(l, APIC_ID) >> 24;
}

static bool kvmirq_apic_match_logical(struct kvmirq_lapic *l, u32 mda)
{
	u32 ldr = kvmirq_lapic_reg(l, APIC_LDR);

	if (kvmirq_apic_is_broadcast(l, mda))
		return true;
	if (kvmirq_lapic_x2apic(l))
		return (ldr >> 16) == (mda >> 16) && (ldr & mda & 0xffff);
	ldr >>= 24;
	switch (kvmirq_lapic_reg(l, APIC_DFR)) {
	case APIC_DFR_FLAT:
		return ldr & mda;
	case APIC_DFR_CLUSTER:
		return (ldr >> 4) == (mda >> 4) && (ldr & mda & 0xf);
	default:
		return false;
	}
}

/* KVM's kvm_apic_match_dest(). */
static bool kvmirq_apic_match_dest(struct kvmirq_vm *vm,
				   struct kvmirq_lapic *src,
				   struct kvmirq_lapic *l,
				   const struct kvmirq_apic_irq *irq)
{
	u32 mda = kvmirq_apic_mda(vm, src, l, irq->dest_id);

	switch (irq->shorthand) {
	case APIC_DEST_NOSHORT:
		return irq->dest_mode == APIC_DEST_PHYSICAL ?
		       kvmirq_apic_match_physical(l, mda) : kvmirq_apic_match_logical(l, mda);
	case APIC_DEST_SELF:
		return l == src;
	case APIC_DEST_ALLINC:
		return true;
	default:
		return l != src;
	}
}

/* The @k-th (from 0) set bit of @bits, or -1. */
static int kvmirq_apic_kth_bit(const unsigned long *bits, unsigned int size,
			       unsigned int k)
{
	unsigned int bit;

	for_each_set_bit(bit, bits, size)
		if (!k--)
			return bit;
	return -1;
}

/* The (vector mod n)-th set bit of @mask: KVM's vector hashing. */
static int kvmirq_apic_hash_bit(u32 vector, unsigned long mask)
{
	return kvmirq_apic_kth_bit(&mask, BITS_PER_LONG,
			    vector % hweight_long(mask));
}

/* A present LAPIC that matches @irq's destination. */
static bool kvmirq_apic_slow_match(struct kvmirq_vm *vm,
				   struct kvmirq_lapic *src,
				   struct kvmirq_lapic *l,
				   const struct kvmirq_apic_irq *irq)
{
	return l && kvmirq_apic_present(l) && kvmirq_apic_match_dest(vm, src, l, irq);
}

/* The vcpu of creation index @idx, or NULL. */
static struct kvmirq_lapic *kvmirq_apic_by_idx(const struct apic_set *set, u32 idx)
{
	return idx < set->nr ? set->lapics[idx] : NULL;
}

/* The slow path: every present LAPIC that matches; -1 if none. */
static int kvmirq_apic_deliver_slow(struct kvmirq_vm *vm,
				    const struct apic_set *set,
				    struct kvmirq_lapic *src,
				    const struct kvmirq_apic_irq *msg, unsigned long *map)
{
	DECLARE_BITMAP(cand, KVMIRQ_APIC_MAX_VCPUS);
	struct kvmirq_apic_irq irq = *msg;
	struct kvmirq_lapic *l;
	unsigned int n = 0;
	int r = -1, idx;
	u32 i;

	/*
	 * KVM ABI: physical broadcast with lowest priority becomes fixed to
	 * all, but a redirection hint still makes it arbitrate.
	 */
	if (irq.dest_mode == APIC_DEST_PHYSICAL && irq.dest_id == 0xff &&
	    kvmirq_apic_lowest_prio(&irq))
		irq.delivery_mode = APIC_DM_FIXED;

	bitmap_zero(cand, KVMIRQ_APIC_MAX_VCPUS);
	for (i = 0; (l = kvmirq_apic_next(set, &i)); i++) {
		if (!kvmirq_apic_slow_match(vm, src, l, &irq))
			continue;
		if (!kvmirq_apic_lowest_prio(&irq)) {
			r = max(r, 0) + kvmirq_apic_accept(l, &irq, map);
		} else if (kvmirq_lapic_sw_enabled(l) &&
			   i < KVMIRQ_APIC_MAX_VCPUS) {
			__set_bit(i, cand);
			n++;
		}
	}
	if (!n)
		return r;

	/*
	 * KVM ABI: vector hashing, the (vector mod n)-th candidate in
	 * creation order (vcpu index), not in vcpu id order.
	 */
	idx = kvmirq_apic_kth_bit(cand, KVMIRQ_APIC_MAX_VCPUS, irq.vector % n);
	l = idx < 0 ? NULL : kvmirq_apic_by_idx(set, idx);
	return l ? kvmirq_apic_accept(l, &irq, map) : r;
}

static int kvmirq_apic_deliver_physical(const struct apic_set *set, bool ext,
					const struct kvmirq_apic_irq *irq,
					unsigned long *map)
{
	struct kvmirq_lapic *l = kvmirq_apic_phys_holder(set, ext, irq->dest_id);

	return l ? kvmirq_apic_accept(l, irq, map) : 0;
}

/* Is @l in xAPIC logical cluster @cluster under one of the bits of @mask? */
static bool kvmirq_apic_in_lslot(struct kvmirq_lapic *l, enum kvmirq_lmode mode,
				 u32 cluster, u16 mask)
{
	u32 c;
	u16 slot;

	if (!kvmirq_apic_present(l) || kvmirq_apic_lmode(l) != mode)
		return false;
	slot = kvmirq_apic_lslot(l, mode, &c);
	return c == cluster && (slot & mask);
}

/*
 * KVM ABI: KVM looks x2APIC logical destinations up in its physical map
 * (an x2APIC LDR is cluster << 16 | 1 << bit for id cluster << 4 | bit), so
 * each bit of @mask reaches the LAPIC that map holds under that id, in bit
 * order.
 */
static int kvmirq_apic_deliver_x2apic_cluster(const struct apic_set *set,
					      bool ext, u32 cluster,
					      unsigned long mask,
					      const struct kvmirq_apic_irq *irq,
					      unsigned long *map)
{
	struct kvmirq_lapic *l;
	unsigned int bit;
	int r = 0;

	for_each_set_bit(bit, &mask, 16) {
		l = kvmirq_apic_phys_holder(set, ext, cluster * 16 + bit);
		if (l)
			r += kvmirq_apic_accept(l, irq, map);
	}
	return r;
}

static int kvmirq_apic_deliver_logical(const struct apic_set *set,
				       const struct kvmirq_apic_scan *scan,
				       const struct kvmirq_apic_irq *irq,
				       unsigned long *map)
{
	struct kvmirq_lapic *l;
	u32 cluster, size, i;
	u16 mask;
	int r = 0;

	switch (scan->lmode) {
	case LMODE_FLAT:
		cluster = 0;
		mask = irq->dest_id & 0xff;
		break;
	case LMODE_CLUSTER:
		cluster = (irq->dest_id >> 4) & 0xf;
		mask = irq->dest_id & 0xf;
		break;
	case LMODE_X2APIC:
		cluster = irq->dest_id >> 16;
		if (cluster * 16 > scan->max_phys_id)
			return 0;
		size = min(scan->max_phys_id - cluster * 16 + 1, 16U);
		mask = irq->dest_id & (0xffff >> (16 - size));
		break;
	default:
		return 0;	/* KVM ABI (6.18): no logical ids, 0 not -1 */
	}
	if (kvmirq_apic_lowest_prio(irq)) {
		if (!mask)
			return 0;
		/* KVM ABI: hash over the mask, an empty slot takes nothing. */
		mask = BIT(kvmirq_apic_hash_bit(irq->vector, mask));
	}
	if (scan->lmode == LMODE_X2APIC)
		return kvmirq_apic_deliver_x2apic_cluster(set, scan->ext_ids, cluster,
						   mask, irq, map);

	for (i = 0; (l = kvmirq_apic_next(set, &i)); i++)
		if (kvmirq_apic_in_lslot(l, scan->lmode, cluster, mask))
			r += kvmirq_apic_accept(l, irq, map);
	return r;
}

static bool kvmirq_apic_broadcast_dest(struct kvmirq_vm *vm,
				       const struct kvmirq_apic_scan *scan,
				       struct kvmirq_lapic *src, u32 dest)
{
	if (READ_ONCE(kvmirq_x86(vm)->x2apic_broadcast_quirk_off))
		return dest == 0xffffffff ||
		       (dest == 0xff && scan->lmode != LMODE_X2APIC);
	return dest == (src && kvmirq_lapic_x2apic(src) ? 0xffffffff : 0xff);
}

static int kvmirq_apic_deliver_set(struct kvmirq_vm *vm,
				   const struct apic_set *set,
				   struct kvmirq_lapic *src,
				   const struct kvmirq_apic_irq *irq, unsigned long *map)
{
	struct kvmirq_apic_scan scan;

	if (irq->shorthand)
		return kvmirq_apic_deliver_slow(vm, set, src, irq, map);

	kvmirq_apic_scan_set(set, &scan, irq->dest_mode != APIC_DEST_PHYSICAL ||
			     READ_ONCE(kvmirq_x86(vm)->x2apic_broadcast_quirk_off),
			     READ_ONCE(kvmirq_x86(vm)->x2apic_32bit_ids));
	/* KVM ABI: no map (no vcpu, or aliased physical ids): slow path. */
	if (!scan.any || scan.phys_alias ||
	    kvmirq_apic_broadcast_dest(vm, &scan, src, irq->dest_id))
		return kvmirq_apic_deliver_slow(vm, set, src, irq, map);
	if (irq->dest_mode == APIC_DEST_PHYSICAL)
		return kvmirq_apic_deliver_physical(set, scan.ext_ids, irq, map);
	if (scan.lmode == LMODE_DISABLED)
		return kvmirq_apic_deliver_slow(vm, set, src, irq, map);
	return kvmirq_apic_deliver_logical(set, &scan, irq, map);
}

static int kvmirq_apic_deliver_common(struct kvmirq_vm *vm,
				      struct kvmirq_lapic *src,
				      const struct kvmirq_apic_irq *irq, unsigned long *map)
{
	struct apic_set set;

	if (irq->shorthand == APIC_DEST_SELF && src)
		return kvmirq_apic_accept(src, irq, map);
	set.lapics = kvmirq_apic_map_get(vm, &set.nr);
	return kvmirq_apic_deliver_set(vm, &set, src, irq, map);
}

/**
 * kvmirq_apic_deliver_from() - KVM's kvm_irq_delivery_to_apic()
 * @vm: the VM
 * @src: the sending LAPIC of an IPI, or NULL
 * @irq: the message
 *
 * Return: as kvmirq_apic_deliver().
 */
int kvmirq_apic_deliver_from(struct kvmirq_vm *vm, struct kvmirq_lapic *src,
			     const struct kvmirq_apic_irq *irq)
{
	return kvmirq_apic_deliver_common(vm, src, irq, NULL);
}

int kvmirq_apic_deliver(struct kvmirq_vm *vm, const struct kvmirq_apic_irq *irq)
{
	return kvmirq_apic_deliver_common(vm, NULL, irq, NULL);
}

int kvmirq_apic_deliver_map(struct kvmirq_vm *vm,
			    const struct kvmirq_apic_irq *irq,
			    unsigned long *dest_map)
{
	return kvmirq_apic_deliver_common(vm, NULL, irq, dest_map);
}

bool kvmirq_apic_vector_busy(struct kvmirq_vm *vm, u32 vcpu_id, u32 vector)
{
	struct kvmirq_vcpu *vcpu = xa_load(&vm->vcpus, vcpu_id);
	struct kvmirq_lapic *l = vcpu ? kvmirq_lapic(vcpu) : NULL;

	return l && kvmirq_lapic_vector_busy(l, vector);
}

bool kvmirq_apic_match_dest_id(struct kvmirq_vm *vm, u32 vcpu_id,
			       const struct kvmirq_apic_irq *irq)
{
	struct kvmirq_vcpu *vcpu = xa_load(&vm->vcpus, vcpu_id);
	struct kvmirq_lapic *l = vcpu ? kvmirq_lapic(vcpu) : NULL;

	return l && kvmirq_apic_match_dest(vm, NULL, l, irq);
}

/*
 * KVM's kvm_set_msi_irq(): MSI address and data to an APIC message.  With
 * @ext_ids (KVM_X2APIC_API_USE_32BIT_IDS) address_hi bits 31:8 are dest id
 * bits 31:8.  Returns false where KVM refuses the message (EINVAL).
 */
static bool kvmirq_msi_decode(const struct kvm_msi *msi, bool ext_ids,
			      struct kvmirq_apic_irq *irq)
{
	/* KVM ABI: with 32-bit ids address_hi carries dest bits 31:8 only. */
	if (ext_ids && (msi->address_hi & 0xff))
		return false;
	/*
	 * KVM ABI: neither the 0xfee base nor address bits 11:5 (the guest's
	 * extended dest id, which the VMM translates) nor data bits 14, 11
	 * and 31:16 are looked at; the level bit reads as asserted.
	 */
	*irq = (struct kvmirq_apic_irq) {
		.vector		= msi->data & 0xff,
		.delivery_mode	= msi->data & APIC_MODE_MASK,
		.dest_mode	= msi->address_lo & BIT(2) ?
				  APIC_DEST_LOGICAL : APIC_DEST_PHYSICAL,
		.level		= true,
		.trig_mode	= !!(msi->data & BIT(15)),
		.shorthand	= APIC_DEST_NOSHORT,
		.dest_id	= (msi->address_lo >> 12) & 0xff,
		.msi_redir_hint	= msi->address_lo & BIT(3),
	};
	if (ext_ids)
		irq->dest_id |= msi->address_hi & 0xffffff00;
	return true;
}

bool kvmirq_msi_invalid(struct kvmirq_vm *vm, u32 address_hi)
{
	struct kvm_msi msi = { .address_hi = address_hi };
	struct kvmirq_apic_irq irq;

	return !kvmirq_msi_decode(&msi, READ_ONCE(kvmirq_x86(vm)->x2apic_32bit_ids),
			   &irq);
}

int kvmirq_msi_deliver(struct kvmirq_vm *vm, const struct kvm_msi *msi)
{
	struct kvmirq_apic_irq irq;
	int r;

	if (!kvmirq_msi_decode(msi, READ_ONCE(kvmirq_x86(vm)->x2apic_32bit_ids), &irq))
		return -EINVAL;
	r = kvmirq_apic_deliver(vm, &irq);
	trace_kvmirq_msi_set_irq((u64)msi->address_hi << 32 | msi->address_lo,
				 msi->data, r);
	if (r > 0)
		kvmirq_stat_add(&vm->stats.msis_delivered, 1);
	return r;
}

/*
 * KVM kicks the first vcpu that accepts PIC interrupts; here no vcpu runs:
 * the next KVMIRQ_GUEST_ACK on a vcpu samples the PIC output itself.
 */
void kvmirq_apic_pic_intr_changed(struct kvmirq_vm *vm)
{
}

#if IS_ENABLED(CONFIG_KUNIT)
#include "tests/apic_deliver_kunit.c"
#endif
