// SPDX-License-Identifier: GPL-2.0
/*
 * Divergences from KVM that a reading of KVM's source found (issue 15),
 * each as a differential test: the same sequence on kvmirq and, with
 * KVMIRQ_DEV=/dev/kvm, on real KVM (the test VM's kvm-amd 6.1 and 6.12).
 */
#include "x86_lapic.h"

#define X2APIC_ICR_MSR		0x830
#define X2APIC_SELF_IPI_MSR	0x83f
#define APIC_BASE_X2APIC	0xfee00c00ULL
#define APIC_BASE_BSP		0x100ULL

FIXTURE(audit) {
	int dev;
	int kvmirq;
	int vm;
	int v[2];
};

/* Two vcpus of a split-irqchip VM, software-enabled, in x2APIC mode. */
FIXTURE_SETUP(audit)
{
	int i;

	self->v[0] = -1;
	self->v[1] = -1;
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = x86_split_vm(self->dev);
	ASSERT_GE(self->vm, 0);
	for (i = 0; i < 2; i++) {
		self->v[i] = ioctl(self->vm, KVM_CREATE_VCPU, i);
		ASSERT_GE(self->v[i], 0);
		ASSERT_EQ(0, x86_set_supported_cpuid(self->dev, self->v[i]));
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, lapic_setup(self->v[i], 0x1ff, 0, 0xffffffff));
		ASSERT_EQ(1, set_msr(self->v[i], APIC_BASE_MSR,
				     APIC_BASE_X2APIC | (i ? 0 : APIC_BASE_BSP)));
	}
}

FIXTURE_TEARDOWN(audit)
{
	int i;

	for (i = 0; i < 2; i++)
		if (self->v[i] >= 0)
			close(self->v[i]);
	close(self->vm);
	close(self->dev);
}

/*
 * 1. KVM's APIC map starts max_id at 255: below 256 vcpus an x2APIC logical
 * cluster is 16 wide, and lowest priority (or a redirection hint) hashes
 * over all 16 bits of the mask.  Mask 0xf, vector 0x32: 0x32 mod 4 = 2 picks
 * bit 2, where no vcpu is: nobody takes it.
 */
TEST_F(audit, x2apic_lowest_prio_cluster_is_16_wide)
{
	EXPECT_EQ(0, signal_msi(self->vm, 0xfee0f004, 0, DM_LOWEST | 0x32, 0));
	EXPECT_EQ(0, irr_count(self->v[0], 0x32) + irr_count(self->v[1], 0x32));
	/* The redirection hint makes a fixed message lowest priority. */
	EXPECT_EQ(0, signal_msi(self->vm, 0xfee0f00c, 0, 0x32, 0));
	/* 0x31 mod 4 = 1: bit 1, vcpu 1. */
	EXPECT_EQ(1, signal_msi(self->vm, 0xfee0f004, 0, DM_LOWEST | 0x31, 0));
	EXPECT_EQ(1, irr_count(self->v[1], 0x31));
}

/*
 * 3. KVM ABI: an x2APIC ICR write with a reserved bit (31:20, 17:16, 13) is
 * a #GP: KVM_SET_MSRS stops there and nothing is sent.
 */
TEST_F(audit, x2apic_icr_reserved_bits_fault)
{
	static const __u64 reserved[] = { 1ULL << 20, 1ULL << 31, 1ULL << 16,
					  1ULL << 17, 1ULL << 13 };
	__u64 self_ipi = 1ULL << 32 | 0x45;	/* fixed 0x45 to x2APIC id 1 */
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(reserved); i++)
		EXPECT_EQ(0, set_msr(self->v[0], X2APIC_ICR_MSR, self_ipi | reserved[i]))
			TH_LOG("bit %#llx", reserved[i]);
	EXPECT_EQ(0, irr_count(self->v[1], 0x45));
	/* The busy bit (12) is ignored, not reserved. */
	EXPECT_EQ(1, set_msr(self->v[0], X2APIC_ICR_MSR, self_ipi | 1ULL << 12));
	EXPECT_EQ(1, irr_count(self->v[1], 0x45));
}

/* 4. KVM ABI: SELF_IPI takes a vector only; any bit above 7 is a #GP. */
TEST_F(audit, x2apic_self_ipi_reserved_bits_fault)
{
	EXPECT_EQ(0, set_msr(self->v[0], X2APIC_SELF_IPI_MSR, 0x146));
	EXPECT_EQ(0, set_msr(self->v[0], X2APIC_SELF_IPI_MSR, 1ULL << 32 | 0x46));
	EXPECT_EQ(0, irr_count(self->v[0], 0x46));
	EXPECT_EQ(1, set_msr(self->v[0], X2APIC_SELF_IPI_MSR, 0x46));
	EXPECT_EQ(1, irr_count(self->v[0], 0x46));
}

/*
 * 2. KVM_X2APIC_API_USE_32BIT_IDS.  Four xAPIC vcpus created in the order
 * 300, 44, 1, 2: vcpu 300's xAPIC id is 300 & 0xff = 44 and vcpu 2 takes
 * xAPIC id 1, so ids 44 and 1 have two holders each.
 */
#define IDS_NR	4
static const __u32 ids_vcpu[IDS_NR] = { 300, 44, 1, 2 };

FIXTURE(ids) {
	int dev;
	int kvmirq;
	int vm;
	int v[IDS_NR];
};

FIXTURE_SETUP(ids)
{
	int i;

	self->vm = -1;
	for (i = 0; i < IDS_NR; i++)
		self->v[i] = -1;
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = x86_split_vm(self->dev);
	ASSERT_GE(self->vm, 0);
	if (ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPU_ID) <= 300)
		KVMIRQ_SKIP("no vcpu id 300");
	for (i = 0; i < IDS_NR; i++) {
		self->v[i] = ioctl(self->vm, KVM_CREATE_VCPU, ids_vcpu[i]);
		ASSERT_GE(self->v[i], 0);
		ASSERT_EQ(0, x86_set_supported_cpuid(self->dev, self->v[i]));
	}
}

FIXTURE_TEARDOWN(ids)
{
	int i;

	for (i = 0; i < IDS_NR; i++)
		if (self->v[i] >= 0)
			close(self->v[i]);
	close(self->vm);
	close(self->dev);
}

/*
 * With 32-bit ids or not (KVM reads the flag when it rebuilds its map, so
 * it is set first): software-enable every LAPIC; with @dups give vcpu 2
 * xAPIC id 1, else give vcpu 44 xAPIC id 45 (no id has two holders then).
 * Every vcpu is created by then: KVM's map has them all.
 */
static void ids_prepare(struct __test_metadata *_metadata,
			struct _test_data_ids *self, int ext, int dups)
{
	struct kvm_lapic_state s;
	int i;

	if (ext)
		ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_X2APIC_API,
					    KVM_X2APIC_API_USE_32BIT_IDS));
	for (i = 0; i < IDS_NR; i++) {
		s = get_lapic(self->v[i]);
		/* KVM ABI: the reset xAPIC id is the vcpu id's low byte. */
		EXPECT_EQ((ids_vcpu[i] & 0xff) << 24, lapic_reg(&s, APIC_ID));
		if (dups && i == 3)
			lapic_set(&s, APIC_ID, 1 << 24);
		if (!dups && i == 1)
			lapic_set(&s, APIC_ID, 45 << 24);
		lapic_set(&s, APIC_SPIV, 0x1ff);
		ASSERT_EQ(0, set_lapic(self->v[i], &s));
	}
}

/* Which of the four vcpus have @vec in IRR (bit i: v[i]). */
static int ids_irr(struct _test_data_ids *self, int vec)
{
	int i, m = 0;

	for (i = 0; i < IDS_NR; i++)
		if (irr_count(self->v[i], vec) == 1)
			m |= 1 << i;
	return m;
}

/* An MSI to physical or logical @dest, 32-bit ids on: the count. */
static int ids_msi(int vm, __u32 dest, int logical, __u32 data)
{
	return signal_msi(vm, msi_addr(dest, logical, 0), dest & 0xffffff00,
			  data, 0);
}

/*
 * With 32-bit ids KVM's map gives a duplicated xAPIC id to its first
 * holder in creation order, and files an xAPIC-mode vcpu whose id is above
 * 255 under that id as well (its hotplug hack); 6.1 and 6.12 agree.
 */
TEST_F(ids, duplicates_first_holder_32bit)
{
	ids_prepare(_metadata, self, 1, 1);
	EXPECT_EQ(1, ids_msi(self->vm, 1, 0, 0x51));
	EXPECT_EQ(0x4, ids_irr(self, 0x51));
	EXPECT_EQ(1, ids_msi(self->vm, 44, 0, 0x52));
	EXPECT_EQ(0x1, ids_irr(self, 0x52));
	EXPECT_EQ(1, ids_msi(self->vm, 300, 0, 0x53));
	EXPECT_EQ(0x1, ids_irr(self, 0x53));
	EXPECT_EQ(0, ids_msi(self->vm, 2, 0, 0x54));
	EXPECT_EQ(0, ids_irr(self, 0x54));
	/* Broadcasts still take the slow path: everyone. */
	EXPECT_EQ(4, ids_msi(self->vm, 0xff, 0, 0x55));
	EXPECT_EQ(0xf, ids_irr(self, 0x55));
}

/*
 * The hotplug hack when no id is duplicated (KVM's fast path, where
 * kvmirq found the xAPIC id only): 300 reaches vcpu 300 with 32-bit ids.
 */
TEST_F(ids, xapic_vcpu_found_by_vcpu_id_32bit)
{
	ids_prepare(_metadata, self, 1, 0);
	EXPECT_EQ(1, ids_msi(self->vm, 300, 0, 0x58));
	EXPECT_EQ(0x1, ids_irr(self, 0x58));
	EXPECT_EQ(1, ids_msi(self->vm, 44, 0, 0x59));
	EXPECT_EQ(0x1, ids_irr(self, 0x59));
	EXPECT_EQ(1, ids_msi(self->vm, 45, 0, 0x5a));
	EXPECT_EQ(0x2, ids_irr(self, 0x5a));
	/* An id above 255 that no vcpu has: nobody. */
	EXPECT_EQ(0, ids_msi(self->vm, 301, 0, 0x5b));
	EXPECT_EQ(0, ids_irr(self, 0x5b));
}

/*
 * Without 32-bit ids the duplicates are aliases: 6.12 drops its map and
 * every holder takes the message.  KVM ABI: 6.1 kept the map and gave the
 * id to its first holder, as with 32-bit ids.
 */
TEST_F(ids, duplicates_are_aliases)
{
	int newer = kvm_release(self->dev) > 601;

	ids_prepare(_metadata, self, 0, 1);
	EXPECT_EQ(newer ? 2 : 1, msi_phys(self->vm, 1, 0x56));
	EXPECT_EQ(newer ? 0xc : 0x4, ids_irr(self, 0x56));
	EXPECT_EQ(newer ? 2 : 1, msi_phys(self->vm, 44, 0x57));
	EXPECT_EQ(newer ? 0x3 : 0x1, ids_irr(self, 0x57));
}

/*
 * KVM looks x2APIC logical ids up in the same physical map, so with 32-bit
 * ids they reach what it holds: xAPIC-mode vcpus included (their LDR is 0,
 * so the logical map stays x2APIC).  The highest vcpu id, 300, sizes the
 * clusters: cluster 0x12 is 13 wide.
 */
TEST_F(ids, x2apic_logical_in_the_map_32bit)
{
	struct kvm_lapic_state s;

	ids_prepare(_metadata, self, 1, 1);
	/* vcpu 1 in x2APIC mode holds id 1 over vcpu 2's xAPIC id 1. */
	ASSERT_EQ(1, set_msr(self->v[2], APIC_BASE_MSR, 0xfee00c00));
	s = get_lapic(self->v[2]);
	ASSERT_EQ(0, set_lapic(self->v[2], &s));
	EXPECT_EQ(1, ids_msi(self->vm, 0x00000002, 1, 0x61));
	EXPECT_EQ(0x4, ids_irr(self, 0x61));
	EXPECT_EQ(1, ids_msi(self->vm, 1, 0, 0x62));
	EXPECT_EQ(0x4, ids_irr(self, 0x62));
	/* Id 300 (cluster 0x12, bit 12) and id 44 (cluster 2, bit 12). */
	EXPECT_EQ(1, ids_msi(self->vm, 0x00121000, 1, 0x63));
	EXPECT_EQ(0x1, ids_irr(self, 0x63));
	EXPECT_EQ(1, ids_msi(self->vm, 0x00021000, 1, 0x64));
	EXPECT_EQ(0x1, ids_irr(self, 0x64));
	/* Lowest priority over bits 12 and 13: bit 13 is outside. */
	EXPECT_EQ(1, ids_msi(self->vm, 0x00123000, 1, DM_LOWEST | 0x65));
	EXPECT_EQ(0x1, ids_irr(self, 0x65));
}

TEST_HARNESS_MAIN
