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

TEST_HARNESS_MAIN
