// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for apic_deliver.c: destination matching (physical xAPIC and
 * x2APIC ids, broadcasts, flat, cluster and x2APIC-cluster logical ids, the
 * shorthands, KVM's x2APIC broadcast quirk), KVM's APIC map decisions,
 * lowest-priority arbitration by vector hashing, and MSI decoding.  Whole
 * deliveries run on a VM of up to eight vcpus without fds (x86_kunit.h).
 * Included at the end of apic_deliver.c when CONFIG_KUNIT is set; the
 * expectations are KVM's (lapic.c, irq_comm.c), and msi_test checks the
 * same rules against /dev/kvm.
 */
#include "x86_kunit.h"

#define AD_X2	BIT(0)	/* the LAPIC is in x2APIC mode */
#define AD_SW	BIT(1)	/* software-enabled */

static struct kvmirq_lapic *ad_one(struct kunit *test, u32 id, u32 how)
{
	struct kvmirq_lapic *l = &kx_vm_create(test, &id, 1)->lapic[0];

	if (how & AD_SW)
		kx_set(l, APIC_SPIV, 0x1ff);
	if (how & AD_X2)
		kx_x2apic(test, l);
	return l;
}

struct ad_phys_case {
	const char *name;
	u32 vcpu_id;
	u32 how;
	u32 xapic_id;	/* APIC_ID >> 24 to set in xAPIC mode, 0: leave it */
	u32 mda;
	bool match;
};

static const struct ad_phys_case ad_phys_cases[] = {
	{ "xapic own id", 3, 0, 0, 3, true },
	{ "xapic other id", 3, 0, 0, 4, false },
	{ "xapic broadcast", 3, 0, 0, 0xff, true },
	{ "xapic x2apic broadcast", 3, 0, 0, 0xffffffff, false },
	{ "xapic id changed", 1, 0, 0x20, 0x20, true },
	{ "xapic old id", 1, 0, 0x20, 1, false },
	/* KVM ABI: the hotplug hack, ids above 255 match the x2APIC id. */
	{ "xapic hotplug id 0x123", 0x123, 0, 0, 0x123, true },
	{ "xapic truncated id 0x23", 0x123, 0, 0, 0x23, true },
	{ "xapic hotplug, id changed", 0x123, 0, 0x40, 0x123, true },
	{ "x2apic own id", 0x123, AD_X2, 0, 0x123, true },
	{ "x2apic low byte only", 0x123, AD_X2, 0, 0x23, false },
	{ "x2apic broadcast", 0x123, AD_X2, 0, 0xffffffff, true },
	{ "x2apic 0xff is no broadcast", 0x123, AD_X2, 0, 0xff, false },
	{ "x2apic id 0xff", 0xff, AD_X2, 0, 0xff, true },
	{ "x2apic id 0", 0, AD_X2, 0, 0, true },
};

static void ad_phys_desc(const struct ad_phys_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ad_phys, ad_phys_cases, ad_phys_desc);

/* KVM's kvm_apic_match_physical_addr(). */
static void apic_match_physical_test(struct kunit *test)
{
	const struct ad_phys_case *c = test->param_value;
	struct kvmirq_lapic *l = ad_one(test, c->vcpu_id, c->how);

	if (c->xapic_id)
		kx_set(l, APIC_ID, c->xapic_id << 24);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_match_physical(l, c->mda), c->match);
}

struct ad_logical_case {
	const char *name;
	u32 vcpu_id;
	u32 how;
	u32 ldr;	/* xAPIC only; x2APIC LDR follows the id */
	u32 dfr;
	u32 mda;
	bool match;
};

static const struct ad_logical_case ad_logical_cases[] = {
	{ "flat one bit", 0, AD_SW, 0x01000000, APIC_DFR_FLAT, 0x01, true },
	{ "flat in mask", 0, AD_SW, 0x04000000, APIC_DFR_FLAT, 0x0f, true },
	{ "flat outside mask", 0, AD_SW, 0x04000000, APIC_DFR_FLAT, 0x03, false },
	{ "flat broadcast", 0, AD_SW, 0x04000000, APIC_DFR_FLAT, 0xff, true },
	{ "flat ldr 0", 0, AD_SW, 0, APIC_DFR_FLAT, 0x7f, false },
	{ "flat ldr 0 broadcast", 0, AD_SW, 0, APIC_DFR_FLAT, 0xff, true },
	{ "cluster same cluster", 0, AD_SW, 0x12000000, APIC_DFR_CLUSTER, 0x13, true },
	{ "cluster other cluster", 0, AD_SW, 0x12000000, APIC_DFR_CLUSTER, 0x22, false },
	{ "cluster no bit", 0, AD_SW, 0x12000000, APIC_DFR_CLUSTER, 0x1d, false },
	{ "cluster broadcast", 0, AD_SW, 0x12000000, APIC_DFR_CLUSTER, 0xff, true },
	{ "cluster 15", 0, AD_SW, 0xf8000000, APIC_DFR_CLUSTER, 0xfe, true },
	{ "dfr neither model", 0, AD_SW, 0x01000000, 0x5fffffff, 0x01, false },
	{ "dfr neither, broadcast", 0, AD_SW, 0x01000000, 0x5fffffff, 0xff, true },
	{ "x2apic cluster 0 bit 2", 2, AD_SW | AD_X2, 0, 0, 0x00004, true },
	{ "x2apic cluster 0 other bits", 2, AD_SW | AD_X2, 0, 0, 0x0000b, false },
	{ "x2apic cluster 1 bit 1", 0x11, AD_SW | AD_X2, 0, 0, 0x10003, true },
	{ "x2apic wrong cluster", 0x11, AD_SW | AD_X2, 0, 0, 0x20002, false },
	{ "x2apic cluster 0x12 bit 3", 0x123, AD_SW | AD_X2, 0, 0, 0x120008, true },
	{ "x2apic broadcast", 0x123, AD_SW | AD_X2, 0, 0, 0xffffffff, true },
	{ "x2apic 0xff is cluster 0", 0x123, AD_SW | AD_X2, 0, 0, 0xff, false },
};

static void ad_logical_desc(const struct ad_logical_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ad_logical, ad_logical_cases, ad_logical_desc);

/* KVM's kvm_apic_match_logical_addr(). */
static void apic_match_logical_test(struct kunit *test)
{
	const struct ad_logical_case *c = test->param_value;
	struct kvmirq_lapic *l = ad_one(test, c->vcpu_id, c->how);

	if (!(c->how & AD_X2))
		kx_logical(l, c->ldr, c->dfr);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_match_logical(l, c->mda), c->match);
}

/*
 * KVM's kvm_apic_mda(): 0xff from the IOAPIC or an MSI is a broadcast to an
 * x2APIC unless KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK; never from an IPI.
 */
static void apic_mda_quirk_test(struct kunit *test)
{
	struct kx_vm *kx = kx_vm_seq(test, 2);
	struct kvmirq_lapic *x2 = &kx->lapic[1], *xa = &kx->lapic[0];

	kx_x2apic(test, x2);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_mda(&kx->vm, NULL, x2, 0xff), 0xffffffffU);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_mda(&kx->vm, NULL, xa, 0xff), 0xffU);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_mda(&kx->vm, xa, x2, 0xff), 0xffU);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_mda(&kx->vm, NULL, x2, 0xfe), 0xfeU);
	kx->x86.x2apic_broadcast_quirk_off = true;
	KUNIT_EXPECT_EQ(test, kvmirq_apic_mda(&kx->vm, NULL, x2, 0xff), 0xffU);
}

struct ad_short_case {
	const char *name;
	u32 shorthand;
	u32 dest_mode;
	u32 dest;
	u32 match;	/* bit i: vcpu i matches; vcpu 1 sends */
};

static const struct ad_short_case ad_short_cases[] = {
	{ "self", APIC_DEST_SELF, APIC_DEST_PHYSICAL, 0, 0x2 },
	{ "self ignores the dest", APIC_DEST_SELF, APIC_DEST_LOGICAL, 0xff, 0x2 },
	{ "all including self", APIC_DEST_ALLINC, APIC_DEST_PHYSICAL, 2, 0x7 },
	{ "all excluding self", APIC_DEST_ALLBUT, APIC_DEST_PHYSICAL, 1, 0x5 },
	{ "no shorthand, physical 2", APIC_DEST_NOSHORT, APIC_DEST_PHYSICAL, 2, 0x4 },
	{ "no shorthand, physical self", APIC_DEST_NOSHORT, APIC_DEST_PHYSICAL, 1, 0x2 },
	{ "no shorthand, broadcast", APIC_DEST_NOSHORT, APIC_DEST_PHYSICAL, 0xff, 0x7 },
	{ "no shorthand, logical 0x5", APIC_DEST_NOSHORT, APIC_DEST_LOGICAL, 0x5, 0x5 },
};

static void ad_short_desc(const struct ad_short_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ad_short, ad_short_cases, ad_short_desc);

/* KVM's kvm_apic_match_dest(), with vcpu 1 sending an IPI. */
static void apic_match_shorthand_test(struct kunit *test)
{
	const struct ad_short_case *c = test->param_value;
	struct kx_vm *kx = kx_vm_seq(test, 3);
	struct kvmirq_apic_irq irq = {
		.shorthand = c->shorthand, .dest_mode = c->dest_mode,
		.dest_id = c->dest,
	};
	unsigned int i;
	u32 m = 0;

	for (i = 0; i < 3; i++) {
		kx_logical(&kx->lapic[i], BIT(24 + i), APIC_DFR_FLAT);
		if (kvmirq_apic_match_dest(&kx->vm, &kx->lapic[1], &kx->lapic[i], &irq))
			m |= BIT(i);
	}
	KUNIT_EXPECT_EQ(test, m, c->match);
}

struct ad_hash_case {
	u32 vector;
	unsigned long mask;
	int bit;
};

static const struct ad_hash_case ad_hash_cases[] = {
	{ 0x40, 0x1, 0 }, { 0x41, 0x1, 0 }, { 0x40, 0xf, 0 }, { 0x41, 0xf, 1 },
	{ 0x42, 0xf, 2 }, { 0x43, 0xf, 3 }, { 0x44, 0xf, 0 }, { 0x45, 0xc, 3 },
	{ 0x44, 0xc, 2 }, { 0x31, 0x8421, 5 }, { 0x32, 0x8421, 10 },
	{ 0x33, 0x8421, 15 }, { 0xff, 0xff, 7 }, { 0x00, 0x80, 7 },
};

static void ad_hash_desc(const struct ad_hash_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "vector %#x mask %#lx", c->vector, c->mask);
}

KUNIT_ARRAY_PARAM(ad_hash, ad_hash_cases, ad_hash_desc);

/* KVM's vector hashing: the (vector mod weight)-th set bit of the mask. */
static void apic_hash_bit_test(struct kunit *test)
{
	const struct ad_hash_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, kvmirq_apic_hash_bit(c->vector, c->mask), c->bit);
}

static void apic_kth_bit_test(struct kunit *test)
{
	DECLARE_BITMAP(bits, KVMIRQ_APIC_MAX_VCPUS);

	bitmap_zero(bits, KVMIRQ_APIC_MAX_VCPUS);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_kth_bit(bits, KVMIRQ_APIC_MAX_VCPUS, 0), -1);
	__set_bit(3, bits);
	__set_bit(700, bits);
	__set_bit(KVMIRQ_APIC_MAX_VCPUS - 1, bits);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_kth_bit(bits, KVMIRQ_APIC_MAX_VCPUS, 0), 3);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_kth_bit(bits, KVMIRQ_APIC_MAX_VCPUS, 1), 700);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_kth_bit(bits, KVMIRQ_APIC_MAX_VCPUS, 2),
			KVMIRQ_APIC_MAX_VCPUS - 1);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_kth_bit(bits, KVMIRQ_APIC_MAX_VCPUS, 3), -1);
}

/* The logical mode KVM's map files a LAPIC under. */
static void apic_lmode_test(struct kunit *test)
{
	struct kx_vm *kx = kx_vm_seq(test, 1);
	struct kvmirq_lapic *l = &kx->lapic[0];

	kx_set(l, APIC_LDR, 0x01000000);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_lmode(l), LMODE_NONE);	/* software-disabled */
	kx_logical(l, 0, APIC_DFR_FLAT);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_lmode(l), LMODE_NONE);	/* LDR 0 */
	kx_logical(l, 0x01000000, APIC_DFR_FLAT);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_lmode(l), LMODE_FLAT);
	kx_logical(l, 0x01000000, APIC_DFR_CLUSTER);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_lmode(l), LMODE_CLUSTER);
	/* KVM ABI: the map treats any DFR other than flat as cluster. */
	kx_logical(l, 0x01000000, 0x5fffffff);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_lmode(l), LMODE_CLUSTER);
	kx_x2apic(test, l);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_lmode(l), LMODE_X2APIC);
	KUNIT_ASSERT_EQ(test, kvmirq_lapic_set_base(l, KVMIRQ_APIC_DEFAULT_BASE, true), 0);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_lmode(l), LMODE_NONE);	/* hardware-disabled */
}

/* kvmirq_apic_scan_set() over the VM's delivery array, logical slots included. */
static void ad_scan(struct kx_vm *kx, struct kvmirq_apic_scan *scan)
{
	struct apic_set set;

	set.lapics = kvmirq_apic_map_get(&kx->vm, &set.nr);
	kvmirq_apic_scan_set(&set, scan, true, false);
}

/* What KVM's APIC map would be: aliases and mixed modes. */
static void apic_scan_test(struct kunit *test)
{
	struct kx_vm *kx = kx_vm_seq(test, 3);
	struct kvmirq_apic_scan *scan = kunit_kzalloc(test, sizeof(*scan), GFP_KERNEL);
	struct kvmirq_lapic *l = kx->lapic;

	KUNIT_ASSERT_NOT_NULL(test, scan);
	ad_scan(kx, scan);
	KUNIT_EXPECT_TRUE(test, scan->any);
	KUNIT_EXPECT_FALSE(test, scan->phys_alias);
	KUNIT_EXPECT_EQ(test, scan->lmode, LMODE_NONE);
	/* KVM ABI: KVM's map starts at 255, whatever the highest id. */
	KUNIT_EXPECT_EQ(test, scan->max_phys_id, 255U);
	kx_logical(&l[0], 0x01000000, APIC_DFR_FLAT);
	kx_logical(&l[1], 0x02000000, APIC_DFR_FLAT);
	ad_scan(kx, scan);
	KUNIT_EXPECT_EQ(test, scan->lmode, LMODE_FLAT);
	KUNIT_EXPECT_EQ(test, scan->lslots[0], (u16)3);
	/* Two bits in one LDR, a duplicate bit, mixed models: no map. */
	kx_logical(&l[2], 0x0c000000, APIC_DFR_FLAT);
	ad_scan(kx, scan);
	KUNIT_EXPECT_EQ(test, scan->lmode, LMODE_DISABLED);
	kx_logical(&l[2], 0x02000000, APIC_DFR_FLAT);
	ad_scan(kx, scan);
	KUNIT_EXPECT_EQ(test, scan->lmode, LMODE_DISABLED);
	kx_logical(&l[2], 0x14000000, APIC_DFR_CLUSTER);
	ad_scan(kx, scan);
	KUNIT_EXPECT_EQ(test, scan->lmode, LMODE_DISABLED);
	/* A duplicate physical id; a hardware-disabled LAPIC is absent. */
	kx_set(&l[2], APIC_ID, 1 << 24);
	ad_scan(kx, scan);
	KUNIT_EXPECT_TRUE(test, scan->phys_alias);
	KUNIT_ASSERT_EQ(test, kvmirq_lapic_set_base(&l[2], KVMIRQ_APIC_DEFAULT_BASE, true), 0);
	ad_scan(kx, scan);
	KUNIT_EXPECT_FALSE(test, scan->phys_alias);
	KUNIT_EXPECT_EQ(test, scan->lmode, LMODE_FLAT);
	KUNIT_EXPECT_EQ(test, scan->max_phys_id, 255U);
}

static int ad_send(struct kx_vm *kx, u32 dest_mode, u32 dest, u32 dm, u32 vec)
{
	struct kvmirq_apic_irq irq = {
		.vector = vec, .delivery_mode = dm, .dest_mode = dest_mode,
		.level = true, .dest_id = dest,
	};

	return kvmirq_apic_deliver(&kx->vm, &irq);
}

struct ad_deliver_case {
	u32 dest_mode;
	u32 dest;
	u32 dm;
	int r;		/* kvmirq_apic_deliver() */
	u32 irr;	/* bit i: vcpu i has the vector in IRR */
};

#define AD_PHYS	APIC_DEST_PHYSICAL
#define AD_LOG	APIC_DEST_LOGICAL

static void ad_run(struct kunit *test, struct kx_vm *kx,
		   const struct ad_deliver_case *t, unsigned int n)
{
	unsigned int i;
	u32 vec;

	for (i = 0; i < n; i++) {
		vec = 0x40 + i;
		KUNIT_EXPECT_EQ_MSG(test, ad_send(kx, t[i].dest_mode, t[i].dest,
						  t[i].dm, vec), t[i].r, "row %u", i);
		KUNIT_EXPECT_EQ_MSG(test, kx_irr_mask(kx, vec), t[i].irr, "row %u", i);
	}
}

/* Physical ids over four xAPIC vcpus, vcpu 3 hardware-disabled. */
static void apic_deliver_physical_test(struct kunit *test)
{
	static const struct ad_deliver_case t[] = {
		{ AD_PHYS, 0, APIC_DM_FIXED, 1, 0x1 },
		{ AD_PHYS, 2, APIC_DM_FIXED, 1, 0x4 },
		{ AD_PHYS, 3, APIC_DM_FIXED, 0, 0 },	/* absent: fast path 0 */
		{ AD_PHYS, 9, APIC_DM_FIXED, 0, 0 },
		{ AD_PHYS, 0xff, APIC_DM_FIXED, 3, 0x7 },
		{ AD_PHYS, 1, APIC_DM_LOWEST, 1, 0x2 },
		/* KVM ABI: physical broadcast with lowest priority is fixed. */
		{ AD_PHYS, 0xff, APIC_DM_LOWEST, 3, 0x7 },
		{ AD_PHYS, 0xff, APIC_DM_EXTINT, 0, 0 },
	};
	struct kx_vm *kx = kx_vm_seq(test, 4);
	unsigned int i;

	for (i = 0; i < 4; i++)
		kx_set(&kx->lapic[i], APIC_SPIV, 0x1ff);
	KUNIT_ASSERT_EQ(test, kvmirq_lapic_set_base(&kx->lapic[3], KVMIRQ_APIC_DEFAULT_BASE,
						    true), 0);
	ad_run(test, kx, t, ARRAY_SIZE(t));
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, kvmirq_lapic_set_base(&kx->lapic[i],
							    KVMIRQ_APIC_DEFAULT_BASE, true), 0);
	/* No present LAPIC: a broadcast matches none (-1). */
	KUNIT_EXPECT_EQ(test, ad_send(kx, AD_PHYS, 0xff, APIC_DM_FIXED, 0x50), -1);
	KUNIT_EXPECT_EQ(test, ad_send(kx, AD_PHYS, 0, APIC_DM_FIXED, 0x50), 0);
}

/* Flat logical ids 1 << i, then clusters of two, eight vcpus. */
static void apic_deliver_logical_test(struct kunit *test)
{
	static const struct ad_deliver_case flat[] = {
		{ AD_LOG, 0x01, APIC_DM_FIXED, 1, 0x01 },
		{ AD_LOG, 0xa5, APIC_DM_FIXED, 4, 0xa5 },
		{ AD_LOG, 0x00, APIC_DM_FIXED, 0, 0 },
		{ AD_LOG, 0xff, APIC_DM_FIXED, 8, 0xff },
		/* Lowest priority: hashing over the mask's bits. */
		{ AD_LOG, 0x0f, APIC_DM_LOWEST, 1, 0x01 },	/* 0x44 % 4 = 0 */
		{ AD_LOG, 0x30, APIC_DM_LOWEST, 1, 0x20 },	/* 0x45 % 2 = 1 */
		{ AD_LOG, 0x00, APIC_DM_LOWEST, 0, 0 },
		/* Logical broadcast, lowest: slow path, 0x47 % 8 = 7. */
		{ AD_LOG, 0xff, APIC_DM_LOWEST, 1, 0x80 },
	};
	static const struct ad_deliver_case cluster[] = {
		{ AD_LOG, 0x11, APIC_DM_FIXED, 1, 0x04 },
		{ AD_LOG, 0x33, APIC_DM_FIXED, 2, 0xc0 },
		{ AD_LOG, 0x2f, APIC_DM_FIXED, 2, 0x30 },
		{ AD_LOG, 0x4f, APIC_DM_FIXED, 0, 0 },
		{ AD_LOG, 0xf3, APIC_DM_FIXED, 0, 0 },
		{ AD_LOG, 0x03, APIC_DM_LOWEST, 1, 0x02 },	/* 0x45 % 2 = 1 */
		{ AD_LOG, 0xff, APIC_DM_FIXED, 8, 0xff },
	};
	struct kx_vm *kx = kx_vm_seq(test, 8);
	unsigned int i;

	for (i = 0; i < 8; i++)
		kx_logical(&kx->lapic[i], BIT(24 + i), APIC_DFR_FLAT);
	ad_run(test, kx, flat, ARRAY_SIZE(flat));
	for (i = 0; i < 8; i++)
		kx_logical(&kx->lapic[i], ((i / 2) << 4 | BIT(i % 2)) << 24,
			   APIC_DFR_CLUSTER);
	ad_run(test, kx, cluster, ARRAY_SIZE(cluster));
}

/* x2APIC: 32-bit physical ids and cluster << 16 | bit logical ids. */
static void apic_deliver_x2apic_test(struct kunit *test)
{
	static const u32 ids[] = { 0, 1, 2, 0x10, 0x11, 0x1f, 0x20, 0x123 };
	static const struct ad_deliver_case t[] = {
		{ AD_PHYS, 0x123, APIC_DM_FIXED, 1, 0x80 },
		{ AD_PHYS, 0x23, APIC_DM_FIXED, 0, 0 },
		{ AD_PHYS, 0x11, APIC_DM_FIXED, 1, 0x10 },
		/*
		 * KVM ABI: with the broadcast quirk, only 0xff is a broadcast
		 * from an MSI or the IOAPIC; 0xffffffff is an id nobody has.
		 */
		{ AD_PHYS, 0xffffffff, APIC_DM_FIXED, 0, 0 },
		{ AD_PHYS, 0xff, APIC_DM_FIXED, 8, 0xff },
		{ AD_LOG, 0x00005, APIC_DM_FIXED, 2, 0x05 },
		{ AD_LOG, 0x18003, APIC_DM_FIXED, 3, 0x38 },
		{ AD_LOG, 0x20001, APIC_DM_FIXED, 1, 0x40 },
		{ AD_LOG, 0x120008, APIC_DM_FIXED, 1, 0x80 },
		{ AD_LOG, 0x120004, APIC_DM_FIXED, 0, 0 },
		{ AD_LOG, 0x30001, APIC_DM_FIXED, 0, 0 },
		{ AD_LOG, 0xffffffff, APIC_DM_FIXED, 0, 0 },
		/* Lowest priority hashes over the cluster's bits. */
		{ AD_LOG, 0x00007, APIC_DM_LOWEST, 1, 0x02 },	/* 0x4c % 3 = 1 */
		{ AD_LOG, 0x18003, APIC_DM_LOWEST, 1, 0x20 },	/* 0x4d % 3 = 2 */
	};
	struct kx_vm *kx = kx_vm_create(test, ids, ARRAY_SIZE(ids));
	unsigned int i;

	for (i = 0; i < kx->nr; i++)
		kx_x2apic(test, &kx->lapic[i]);
	ad_run(test, kx, t, ARRAY_SIZE(t));
	/* Without the quirk, 0xff is x2APIC id 0xff (none here) ... */
	kx->x86.x2apic_broadcast_quirk_off = true;
	KUNIT_EXPECT_EQ(test, ad_send(kx, AD_PHYS, 0xff, APIC_DM_FIXED, 0x60), 0);
	KUNIT_EXPECT_EQ(test, kx_irr_mask(kx, 0x60), 0U);
	/* ... and 0xffffffff is the broadcast, physical or logical. */
	KUNIT_EXPECT_EQ(test, ad_send(kx, AD_PHYS, 0xffffffff, APIC_DM_FIXED, 0x61), 8);
	KUNIT_EXPECT_EQ(test, kx_irr_mask(kx, 0x61), 0xffU);
	KUNIT_EXPECT_EQ(test, ad_send(kx, AD_LOG, 0xffffffff, APIC_DM_FIXED, 0x62), 8);
	KUNIT_EXPECT_EQ(test, kx_irr_mask(kx, 0x62), 0xffU);
}

/*
 * KVM ABI: KVM_X2APIC_API_USE_32BIT_IDS.  xAPIC vcpus 0x12c, 0x2c, 1 and 2
 * are created in that order; 0x12c has xAPIC id 0x2c, 2 has xAPIC id 1.
 * KVM's map files 0x12c under its vcpu id too, and gives a duplicated
 * xAPIC id to its first holder; without 32-bit ids the duplicates are
 * aliases and every holder takes the message.
 */
static void apic_deliver_32bit_ids_test(struct kunit *test)
{
	static const u32 ids[] = { 0x12c, 0x2c, 1, 2 };
	static const struct ad_deliver_case t[] = {
		{ AD_PHYS, 0x12c, APIC_DM_FIXED, 1, 0x1 },
		{ AD_PHYS, 0x2c, APIC_DM_FIXED, 1, 0x1 },
		{ AD_PHYS, 1, APIC_DM_FIXED, 1, 0x4 },
		{ AD_PHYS, 2, APIC_DM_FIXED, 0, 0 },
		{ AD_PHYS, 0xff, APIC_DM_FIXED, 4, 0xf },
	};
	static const struct ad_deliver_case x2[] = {
		/* x2APIC logical ids are looked up in the same map. */
		{ AD_LOG, 0x121000, APIC_DM_FIXED, 1, 0x1 },
		{ AD_LOG, 0x021000, APIC_DM_FIXED, 1, 0x1 },
		/* vcpu 1 in x2APIC mode holds id 1 over xAPIC id 1. */
		{ AD_LOG, 0x000002, APIC_DM_FIXED, 1, 0x4 },
		{ AD_PHYS, 1, APIC_DM_FIXED, 1, 0x4 },
	};
	struct kx_vm *kx = kx_vm_create(test, ids, ARRAY_SIZE(ids));
	unsigned int i;

	for (i = 0; i < kx->nr; i++) {
		kx_set(&kx->lapic[i], APIC_SPIV, 0x1ff);
		kx_set(&kx->lapic[i], APIC_ID, (ids[i] & 0xff) << 24);
	}
	kx_set(&kx->lapic[3], APIC_ID, 1 << 24);
	kx->x86.x2apic_32bit_ids = true;
	ad_run(test, kx, t, ARRAY_SIZE(t));
	kx->x86.x2apic_32bit_ids = false;
	KUNIT_EXPECT_EQ(test, ad_send(kx, AD_PHYS, 0x2c, APIC_DM_FIXED, 0x60), 2);
	KUNIT_EXPECT_EQ(test, kx_irr_mask(kx, 0x60), 0x3U);
	KUNIT_EXPECT_EQ(test, ad_send(kx, AD_PHYS, 1, APIC_DM_FIXED, 0x61), 2);
	KUNIT_EXPECT_EQ(test, kx_irr_mask(kx, 0x61), 0xcU);
	/* Aliases: the slow path, whose hotplug hack always applies. */
	KUNIT_EXPECT_EQ(test, ad_send(kx, AD_PHYS, 0x12c, APIC_DM_FIXED, 0x62), 1);
	KUNIT_EXPECT_EQ(test, kx_irr_mask(kx, 0x62), 0x1U);
	kx_x2apic(test, &kx->lapic[2]);
	kx->x86.x2apic_32bit_ids = true;
	ad_run(test, kx, x2, ARRAY_SIZE(x2));
}

/*
 * KVM ABI: the slow path's vector hashing counts candidates in creation
 * order.  Vcpus 3, 1, 2 are created in that order.
 */
static void apic_lowest_creation_order_test(struct kunit *test)
{
	static const u32 ids[] = { 3, 1, 2 };
	struct kx_vm *kx = kx_vm_create(test, ids, ARRAY_SIZE(ids));
	struct kvmirq_apic_irq irq = {
		.delivery_mode = APIC_DM_FIXED, .dest_mode = APIC_DEST_PHYSICAL,
		.level = true, .dest_id = 0xff, .msi_redir_hint = true,
	};
	unsigned int i;

	for (i = 0; i < kx->nr; i++)
		kx_set(&kx->lapic[i], APIC_SPIV, 0x1ff);
	for (irq.vector = 0x48; irq.vector < 0x4b; irq.vector++) {
		KUNIT_EXPECT_EQ(test, kvmirq_apic_deliver(&kx->vm, &irq), 1);
		KUNIT_EXPECT_EQ_MSG(test, kx_irr_mask(kx, irq.vector),
				    BIT(irq.vector % 3), "vector %#x", irq.vector);
	}
	/* A software-disabled LAPIC is no candidate: 1, 2 remain. */
	kx_set(&kx->lapic[0], APIC_SPIV, 0xff);
	KUNIT_EXPECT_EQ(test, ad_send(kx, AD_LOG, 0xff, APIC_DM_LOWEST, 0x4b), 1);
	KUNIT_EXPECT_EQ(test, kx_irr_mask(kx, 0x4b), 0x4U);
	KUNIT_EXPECT_EQ(test, ad_send(kx, AD_LOG, 0xff, APIC_DM_LOWEST, 0x4c), 1);
	KUNIT_EXPECT_EQ(test, kx_irr_mask(kx, 0x4c), 0x2U);
}

/* Aliased physical ids or mixed logical models: every match takes it. */
static void apic_deliver_slow_path_test(struct kunit *test)
{
	static const struct ad_deliver_case t[] = {
		{ AD_PHYS, 1, APIC_DM_FIXED, 2, 0x6 },
		{ AD_PHYS, 2, APIC_DM_FIXED, -1, 0 },
		{ AD_LOG, 0x01, APIC_DM_FIXED, 1, 0x1 },
		{ AD_LOG, 0x13, APIC_DM_FIXED, 3, 0x7 },
		{ AD_LOG, 0x40, APIC_DM_FIXED, -1, 0 },
	};
	struct kx_vm *kx = kx_vm_seq(test, 3);

	kx_set(&kx->lapic[2], APIC_ID, 1 << 24);
	kx_logical(&kx->lapic[0], 0x01000000, APIC_DFR_FLAT);
	kx_logical(&kx->lapic[1], 0x11000000, APIC_DFR_CLUSTER);
	kx_logical(&kx->lapic[2], 0x12000000, APIC_DFR_CLUSTER);
	ad_run(test, kx, t, ARRAY_SIZE(t));
}

/* The dest map records Fixed and Lowest takers, by vcpu id. */
static void apic_deliver_map_test(struct kunit *test)
{
	static const u32 ids[] = { 0, 5 };
	struct kx_vm *kx = kx_vm_create(test, ids, ARRAY_SIZE(ids));
	struct kvmirq_apic_irq irq = {
		.vector = 0x51, .delivery_mode = APIC_DM_FIXED, .level = true,
		.dest_mode = APIC_DEST_PHYSICAL, .dest_id = 0xff,
	};
	unsigned long *map = kunit_kcalloc(test, BITS_TO_LONGS(4096),
					   sizeof(long), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, map);
	kx_set(&kx->lapic[1], APIC_SPIV, 0x1ff);
	KUNIT_EXPECT_EQ(test, kvmirq_apic_deliver_map(&kx->vm, &irq, map), 1);
	KUNIT_EXPECT_EQ(test, bitmap_weight(map, 4096), 1U);
	KUNIT_EXPECT_TRUE(test, test_bit(5, map));
	bitmap_zero(map, 4096);
	irq.delivery_mode = APIC_DM_NMI;
	KUNIT_EXPECT_EQ(test, kvmirq_apic_deliver_map(&kx->vm, &irq, map), 2);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(map, 4096));
	KUNIT_EXPECT_EQ(test, atomic_read(&kx->xv[0].ev.nmi_queued), 1);
	KUNIT_EXPECT_TRUE(test, kvmirq_apic_match_dest_id(&kx->vm, 5, &irq));
	KUNIT_EXPECT_FALSE(test, kvmirq_apic_match_dest_id(&kx->vm, 4, &irq));
}

struct ad_msi_case {
	const char *name;
	u32 lo;
	u32 hi;
	u32 data;
	bool ext_ids;
	bool valid;
	struct kvmirq_apic_irq irq;
};

#define AD_MSI(_vec, _dm, _logical, _trig, _dest, _rh)			\
	{ .vector = (_vec), .delivery_mode = (_dm),			\
	  .dest_mode = (_logical) ? APIC_DEST_LOGICAL : APIC_DEST_PHYSICAL, \
	  .level = true, .trig_mode = (_trig), .dest_id = (_dest),	\
	  .msi_redir_hint = (_rh), .shorthand = APIC_DEST_NOSHORT }

static const struct ad_msi_case ad_msi_cases[] = {
	{ "physical fixed", 0xfee01000, 0, 0x0030, false, true,
	  AD_MSI(0x30, APIC_DM_FIXED, 0, 0, 1, 0) },
	{ "dest id bits 19:12", 0xfeeab000, 0, 0x0031, false, true,
	  AD_MSI(0x31, APIC_DM_FIXED, 0, 0, 0xab, 0) },
	{ "logical (bit 2)", 0xfee0f004, 0, 0x0032, false, true,
	  AD_MSI(0x32, APIC_DM_FIXED, 1, 0, 0x0f, 0) },
	{ "redirection hint (bit 3)", 0xfee03008, 0, 0x0033, false, true,
	  AD_MSI(0x33, APIC_DM_FIXED, 0, 0, 3, 1) },
	{ "ext dest id bits 11:5 ignored", 0xfee01fe0, 0, 0x0034, false, true,
	  AD_MSI(0x34, APIC_DM_FIXED, 0, 0, 1, 0) },
	{ "bits 1:0 ignored", 0xfee01003, 0, 0x0034, false, true,
	  AD_MSI(0x34, APIC_DM_FIXED, 0, 0, 1, 0) },
	{ "base not checked", 0x12301000, 0, 0x0035, false, true,
	  AD_MSI(0x35, APIC_DM_FIXED, 0, 0, 1, 0) },
	{ "lowest priority", 0xfee00000, 0, 0x0136, false, true,
	  AD_MSI(0x36, APIC_DM_LOWEST, 0, 0, 0, 0) },
	{ "smi", 0xfee00000, 0, 0x0200, false, true,
	  AD_MSI(0, APIC_DM_SMI, 0, 0, 0, 0) },
	{ "nmi", 0xfee00000, 0, 0x0400, false, true,
	  AD_MSI(0, APIC_DM_NMI, 0, 0, 0, 0) },
	{ "init", 0xfee00000, 0, 0x0500, false, true,
	  AD_MSI(0, APIC_DM_INIT, 0, 0, 0, 0) },
	{ "startup", 0xfee00000, 0, 0x0612, false, true,
	  AD_MSI(0x12, APIC_DM_STARTUP, 0, 0, 0, 0) },
	{ "extint", 0xfee00000, 0, 0x0737, false, true,
	  AD_MSI(0x37, APIC_DM_EXTINT, 0, 0, 0, 0) },
	{ "level trigger (bit 15)", 0xfee02000, 0, 0x8038, false, true,
	  AD_MSI(0x38, APIC_DM_FIXED, 0, 1, 2, 0) },
	{ "level bit 14 ignored", 0xfee02000, 0, 0x4039, false, true,
	  AD_MSI(0x39, APIC_DM_FIXED, 0, 0, 2, 0) },
	{ "level trigger, deassert bit", 0xfee02000, 0, 0x803a, false, true,
	  AD_MSI(0x3a, APIC_DM_FIXED, 0, 1, 2, 0) },
	{ "data bits 13:11, 31:16 ignored", 0xfee02000, 0, 0xffff383b, false, true,
	  AD_MSI(0x3b, APIC_DM_FIXED, 0, 0, 2, 0) },
	{ "address_hi ignored", 0xfee01000, 0xffffffff, 0x003c, false, true,
	  AD_MSI(0x3c, APIC_DM_FIXED, 0, 0, 1, 0) },
	{ "32-bit ids: dest bits 31:8", 0xfee23000, 0x100, 0x003d, true, true,
	  AD_MSI(0x3d, APIC_DM_FIXED, 0, 0, 0x123, 0) },
	{ "32-bit ids: broadcast", 0xfeeff000, 0xffffff00, 0x003e, true, true,
	  AD_MSI(0x3e, APIC_DM_FIXED, 0, 0, 0xffffffff, 0) },
	{ "32-bit ids: logical", 0xfee08004, 0x00012300, 0x003f, true, true,
	  AD_MSI(0x3f, APIC_DM_FIXED, 1, 0, 0x00012308, 0) },
	{ "32-bit ids: hi 0", 0xfee05000, 0, 0x0040, true, true,
	  AD_MSI(0x40, APIC_DM_FIXED, 0, 0, 5, 0) },
	/* KVM ABI: kvm_msi_route_invalid(), address_hi bits 7:0 set. */
	{ "32-bit ids: hi bit 0", 0xfee05000, 0x1, 0x0041, true, false, {} },
	{ "32-bit ids: hi 0xff", 0xfee05000, 0x1ff, 0x0041, true, false, {} },
};

static void ad_msi_desc(const struct ad_msi_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ad_msi, ad_msi_cases, ad_msi_desc);

/* KVM's kvm_set_msi_irq() and kvm_msi_route_invalid(). */
static void msi_decode_test(struct kunit *test)
{
	const struct ad_msi_case *c = test->param_value;
	struct kvm_msi msi = {
		.address_lo = c->lo, .address_hi = c->hi, .data = c->data,
		/* x86 ignores the device id, valid or not */
		.flags = KVM_MSI_VALID_DEVID, .devid = 0xdead,
	};
	struct kvmirq_apic_irq irq;

	KUNIT_ASSERT_EQ(test, kvmirq_msi_decode(&msi, c->ext_ids, &irq), c->valid);
	if (!c->valid)
		return;
	KUNIT_EXPECT_EQ(test, irq.vector, c->irq.vector);
	KUNIT_EXPECT_EQ(test, irq.delivery_mode, c->irq.delivery_mode);
	KUNIT_EXPECT_EQ(test, irq.dest_mode, c->irq.dest_mode);
	KUNIT_EXPECT_EQ(test, irq.level, c->irq.level);
	KUNIT_EXPECT_EQ(test, irq.trig_mode, c->irq.trig_mode);
	KUNIT_EXPECT_EQ(test, irq.shorthand, c->irq.shorthand);
	KUNIT_EXPECT_EQ(test, irq.dest_id, c->irq.dest_id);
	KUNIT_EXPECT_EQ(test, irq.msi_redir_hint, c->irq.msi_redir_hint);
	/* The same message decodes the same without the ext-id flag below 256. */
	msi.flags = 0;
	KUNIT_EXPECT_TRUE(test, kvmirq_msi_decode(&msi, c->ext_ids, &irq));
	KUNIT_EXPECT_EQ(test, irq.dest_id, c->irq.dest_id);
}

/* MSIs delivered on a VM: 32-bit ids reach an x2APIC id above 255. */
static void msi_deliver_test(struct kunit *test)
{
	static const u32 ids[] = { 0, 0x123 };
	struct kx_vm *kx = kx_vm_create(test, ids, ARRAY_SIZE(ids));
	struct kvm_msi msi = { .address_lo = 0xfee23000, .address_hi = 0x100,
			       .data = 0x45 };

	kx_x2apic(test, &kx->lapic[0]);
	kx_x2apic(test, &kx->lapic[1]);
	KUNIT_EXPECT_FALSE(test, kvmirq_msi_invalid(&kx->vm, 0x1ff));
	KUNIT_EXPECT_EQ(test, kvmirq_msi_deliver(&kx->vm, &msi), 0);
	KUNIT_EXPECT_EQ(test, kx_irr_mask(kx, 0x45), 0U);
	kx->x86.x2apic_32bit_ids = true;
	KUNIT_EXPECT_TRUE(test, kvmirq_msi_invalid(&kx->vm, 0x1ff));
	KUNIT_EXPECT_FALSE(test, kvmirq_msi_invalid(&kx->vm, 0x100));
	KUNIT_EXPECT_EQ(test, kvmirq_msi_deliver(&kx->vm, &msi), 1);
	KUNIT_EXPECT_EQ(test, kx_irr_mask(kx, 0x45), 2U);
	KUNIT_EXPECT_EQ(test, atomic64_read(&kx->vm.stats.msis_delivered), 1LL);
	msi.address_hi = 0x101;
	KUNIT_EXPECT_EQ(test, kvmirq_msi_deliver(&kx->vm, &msi), -EINVAL);
	/* The redirection hint on a physical broadcast still arbitrates. */
	msi.address_lo = 0xfeeff008;
	msi.address_hi = 0;
	KUNIT_EXPECT_EQ(test, kvmirq_msi_deliver(&kx->vm, &msi), 1);
	KUNIT_EXPECT_EQ(test, kx_irr_mask(kx, 0x45), 2U);	/* 0x45 % 2 = 1 */
	/* KVM ABI: with the quirk, dest 0xffffffff from an MSI reaches none. */
	msi.address_hi = 0xffffff00;
	KUNIT_EXPECT_EQ(test, kvmirq_msi_deliver(&kx->vm, &msi), 0);
	KUNIT_EXPECT_EQ(test, kx_irr_mask(kx, 0x45), 0U);
}

static struct kunit_case kvmirq_apic_deliver_test_cases[] = {
	KUNIT_CASE_PARAM(apic_match_physical_test, ad_phys_gen_params),
	KUNIT_CASE_PARAM(apic_match_logical_test, ad_logical_gen_params),
	KUNIT_CASE(apic_mda_quirk_test),
	KUNIT_CASE_PARAM(apic_match_shorthand_test, ad_short_gen_params),
	KUNIT_CASE_PARAM(apic_hash_bit_test, ad_hash_gen_params),
	KUNIT_CASE(apic_kth_bit_test),
	KUNIT_CASE(apic_lmode_test),
	KUNIT_CASE(apic_scan_test),
	KUNIT_CASE(apic_deliver_physical_test),
	KUNIT_CASE(apic_deliver_logical_test),
	KUNIT_CASE(apic_deliver_x2apic_test),
	KUNIT_CASE(apic_deliver_32bit_ids_test),
	KUNIT_CASE(apic_lowest_creation_order_test),
	KUNIT_CASE(apic_deliver_slow_path_test),
	KUNIT_CASE(apic_deliver_map_test),
	KUNIT_CASE_PARAM(msi_decode_test, ad_msi_gen_params),
	KUNIT_CASE(msi_deliver_test),
	{}
};

static struct kunit_suite kvmirq_apic_deliver_test_suite = {
	.name = "kvmirq_apic_deliver",
	.init = kx_vm_init,
	.exit = kx_vm_exit,
	.test_cases = kvmirq_apic_deliver_test_cases,
};

kunit_test_suite(kvmirq_apic_deliver_test_suite);
