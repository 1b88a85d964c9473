// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_SIGNAL_MSI and delivery to the LAPICs: return counts, IRR/TMR effects,
 * every delivery mode, physical, flat, cluster and broadcast destinations
 * over 1-8 vcpus, lowest-priority arbitration.  Runs against real KVM too.
 *
 * Real KVM's APIC map leaves out the vcpu created last until something
 * dirties it; every test does a KVM_SET_LAPIC on each vcpu after creating
 * them all, as the spec advises, so it never depends on that bug.
 */
#include "x86_lapic.h"

#define MAXV 8

FIXTURE(msi) {
	int dev;
	int kvmirq;
	int vm;
	int nr;
	int vcpu[MAXV];
};

FIXTURE_SETUP(msi)
{
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = x86_split_vm(self->dev);
	ASSERT_GE(self->vm, 0);
	self->nr = 0;
}

FIXTURE_TEARDOWN(msi)
{
	close_fds(self->vcpu, self->nr);
	CLOSE_FDS(self->vm, self->dev);
}

/* Creates vcpus 0..n-1, all software-enabled, LDR 0, flat. */
static void make_vcpus(struct __test_metadata *_metadata,
		       struct _test_data_msi *self, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		self->vcpu[i] = ioctl(self->vm, KVM_CREATE_VCPU, i);
		ASSERT_GE(self->vcpu[i], 0);
		self->nr++;
	}
	for (i = 0; i < n; i++)
		ASSERT_EQ(0, lapic_enable(self->vcpu[i]));
}

/* Bit i set if vcpu i has @vec in IRR; then clears every IRR. */
static int irr_mask(struct __test_metadata *_metadata, struct _test_data_msi *self,
		    int vec)
{
	int i, m = 0;

	for (i = 0; i < self->nr; i++) {
		m |= irr_count(self->vcpu[i], vec) << i;
		EXPECT_EQ(0, lapic_clear_vectors(self->vcpu[i]));
	}
	return m;
}

TEST_F(msi, no_vcpus)
{
	/* KVM ABI: "no LAPIC matched" (-1) is returned raw: EPERM. */
	EXPECT_EQ(-EPERM, msi_phys(self->vm, 0, 0x30));
	EXPECT_EQ(-EPERM, msi_phys(self->vm, 0xff, 0x30));
	EXPECT_EQ(-EPERM, msi_logical(self->vm, 1, 0x30));
}

TEST_F(msi, errnos)
{
	make_vcpus(_metadata, self, 1);
	EXPECT_EQ(-EINVAL, signal_msi(self->vm, msi_addr(0, 0, 0), 0, 0x30, 2));
	EXPECT_EQ(-EINVAL, signal_msi(self->vm, msi_addr(0, 0, 0), 0, 0x30,
				      0x80000000));
	/* KVM_MSI_VALID_DEVID is accepted and the devid ignored. */
	EXPECT_EQ(1, signal_msi(self->vm, msi_addr(0, 0, 0), 0, 0x30,
				KVM_MSI_VALID_DEVID));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_SIGNAL_MSI, NULL)));
	/* address_hi is ignored without 32-bit x2APIC ids ... */
	EXPECT_EQ(1, signal_msi(self->vm, msi_addr(0, 0, 0), 0xff, 0x30, 0));
	/* ... and with them, its low byte must be zero. */
	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_X2APIC_API,
				    KVM_X2APIC_API_USE_32BIT_IDS));
	EXPECT_EQ(-EINVAL, signal_msi(self->vm, msi_addr(0, 0, 0), 1, 0x30, 0));
	EXPECT_EQ(1, signal_msi(self->vm, msi_addr(0, 0, 0), 0, 0x30, 0));
	/* dest bits 31:8 from address_hi: id 0x100 does not exist. */
	EXPECT_EQ(0, signal_msi(self->vm, msi_addr(0, 0, 0), 0x100, 0x30, 0));
}

/* The observed table of the spec (4 vcpus, software-enabled, LDR 0). */
TEST_F(msi, matrix)
{
	struct kvm_lapic_state s;

	make_vcpus(_metadata, self, 4);
	EXPECT_EQ(1, msi_phys(self->vm, 1, 0x31));
	EXPECT_EQ(2, irr_mask(_metadata, self, 0x31));
	/* Level trigger: IRR and TMR. */
	EXPECT_EQ(1, msi_phys(self->vm, 2, MSI_LEVEL | 0x32));
	s = get_lapic(self->vcpu[2]);
	EXPECT_EQ(1, lapic_vec(&s, APIC_IRR, 0x32));
	EXPECT_EQ(1, lapic_vec(&s, APIC_TMR, 0x32));
	/* An edge message for the same vector clears TMR again. */
	EXPECT_EQ(1, msi_phys(self->vm, 2, 0x32));
	s = get_lapic(self->vcpu[2]);
	EXPECT_EQ(0, lapic_vec(&s, APIC_TMR, 0x32));
	EXPECT_EQ(4, irr_mask(_metadata, self, 0x32));
	/* KVM ABI: no coalescing at the LAPIC. */
	EXPECT_EQ(1, msi_phys(self->vm, 0, 0x33));
	EXPECT_EQ(1, msi_phys(self->vm, 0, 0x33));
	EXPECT_EQ(1, irr_mask(_metadata, self, 0x33));
	EXPECT_EQ(4, msi_phys(self->vm, 0xff, 0x34));
	EXPECT_EQ(0xf, irr_mask(_metadata, self, 0x34));
	EXPECT_EQ(0, msi_phys(self->vm, 9, 0x35));
	EXPECT_EQ(0, irr_mask(_metadata, self, 0x35));
	/* KVM ABI: logical with every LDR 0 counts 0 (6.12, 6.18; 6.1: EPERM). */
	EXPECT_EQ(kvm_release(self->dev) > 601 ? 0 : -EPERM, msi_logical(self->vm, 1, 0x36));
	/* Vectors 0-15 are accepted. */
	EXPECT_EQ(1, msi_phys(self->vm, 3, 0x00));
	EXPECT_EQ(8, irr_mask(_metadata, self, 0x00));
	EXPECT_EQ(1, msi_phys(self->vm, 3, DM_NMI));
	EXPECT_EQ(1, msi_phys(self->vm, 3, DM_NMI));
	/* KVM ABI: SMI counts 1 with SMM support, 0 on a host without. */
	EXPECT_EQ(has_smm(self->vm), msi_phys(self->vm, 3, DM_SMI));
	EXPECT_EQ(0, msi_phys(self->vm, 3, DM_EXTINT | 0x37));
	EXPECT_EQ(0, irr_mask(_metadata, self, 0x37));
	EXPECT_EQ(1, msi_phys(self->vm, 3, DM_REMRD));
	EXPECT_EQ(1, msi_phys(self->vm, 3, DM_INIT));
	EXPECT_EQ(1, msi_phys(self->vm, 3, DM_SIPI | 0x12));
	EXPECT_EQ(4, msi_phys(self->vm, 0xff, DM_NMI));
	/* KVM ABI: the 0xfee prefix is not checked; data bit 14 ignored. */
	EXPECT_EQ(1, signal_msi(self->vm, 0x12301000, 0, 0x38, 0));
	EXPECT_EQ(2, irr_mask(_metadata, self, 0x38));
	EXPECT_EQ(1, msi_phys(self->vm, 1, 0x39 | 0x4000));
	EXPECT_EQ(2, irr_mask(_metadata, self, 0x39));
}

TEST_F(msi, software_disabled)
{
	int i;

	make_vcpus(_metadata, self, 4);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, lapic_setup(self->vcpu[i], 0xff, 0, 0xffffffff));
	/* Fixed and lowest are refused; NMI, INIT, SIPI are not. */
	EXPECT_EQ(0, msi_phys(self->vm, 1, 0x40));
	EXPECT_EQ(0, msi_phys(self->vm, 1, DM_LOWEST | 0x40));
	EXPECT_EQ(0, msi_phys(self->vm, 0xff, 0x40));
	EXPECT_EQ(0, irr_mask(_metadata, self, 0x40));
	EXPECT_EQ(1, msi_phys(self->vm, 1, DM_NMI));
	EXPECT_EQ(4, msi_phys(self->vm, 0xff, DM_NMI));
	EXPECT_EQ(1, msi_phys(self->vm, 2, DM_INIT));
	EXPECT_EQ(1, msi_phys(self->vm, 2, DM_SIPI | 0x10));
	/* Physical broadcast with lowest priority is fixed to all: 0 here. */
	EXPECT_EQ(0, msi_phys(self->vm, 0xff, DM_LOWEST | 0x41));
}

TEST_F(msi, hardware_disabled)
{
	make_vcpus(_metadata, self, 2);
	ASSERT_EQ(1, set_msr(self->vcpu[1], APIC_BASE_MSR, 0xfee00000));
	EXPECT_EQ(0, msi_phys(self->vm, 1, 0x42));
	EXPECT_EQ(0, msi_phys(self->vm, 1, DM_NMI));
	EXPECT_EQ(1, msi_phys(self->vm, 0xff, DM_NMI));
	EXPECT_EQ(1, msi_phys(self->vm, 0xff, 0x42));
	EXPECT_EQ(1, irr_mask(_metadata, self, 0x42));
	ASSERT_EQ(1, set_msr(self->vcpu[0], APIC_BASE_MSR, 0xfee00000));
	/* No present LAPIC: broadcast finds none (-1: EPERM), physical 0. */
	EXPECT_EQ(-EPERM, msi_phys(self->vm, 0xff, 0x43));
	EXPECT_EQ(0, msi_phys(self->vm, 0, 0x43));
	EXPECT_EQ(kvm_release(self->dev) > 601 ? 0 : -EPERM, msi_logical(self->vm, 1, 0x43));
}

/* Every physical id reaches exactly its vcpu, for 1 to 8 vcpus. */
TEST_F(msi, physical_1_to_8)
{
	int n, d;

	for (n = 1; n <= MAXV; n++) {
		self->vcpu[n - 1] = ioctl(self->vm, KVM_CREATE_VCPU, n - 1);
		ASSERT_GE(self->vcpu[n - 1], 0);
		self->nr = n;
		for (d = 0; d < n; d++)
			ASSERT_EQ(0, lapic_enable(self->vcpu[d]));
		for (d = 0; d < 10; d++) {
			EXPECT_EQ(d < n, msi_phys(self->vm, d, 0x50 + d))
				TH_LOG("%d vcpus, dest %d", n, d);
			EXPECT_EQ(d < n ? 1 << d : 0,
				  irr_mask(_metadata, self, 0x50 + d));
		}
		EXPECT_EQ(n, msi_phys(self->vm, 0xff, 0x60));
		EXPECT_EQ((1 << n) - 1, irr_mask(_metadata, self, 0x60));
	}
}

/* Physical ids set with KVM_SET_LAPIC, not the vcpu ids. */
TEST_F(msi, physical_set_id)
{
	struct kvm_lapic_state s;

	make_vcpus(_metadata, self, 3);
	s = get_lapic(self->vcpu[1]);
	lapic_set(&s, APIC_ID, 0x20 << 24);
	ASSERT_EQ(0, set_lapic(self->vcpu[1], &s));
	EXPECT_EQ(0, msi_phys(self->vm, 1, 0x44));
	EXPECT_EQ(1, msi_phys(self->vm, 0x20, 0x44));
	EXPECT_EQ(2, irr_mask(_metadata, self, 0x44));
}

TEST_F(msi, flat)
{
	static const struct { __u32 dest; int mask; } t[] = {
		{ 0x01, 0x01 }, { 0x03, 0x03 }, { 0x80, 0x80 }, { 0xa5, 0xa5 },
		{ 0x00, 0x00 }, { 0x7f, 0x7f }, { 0xff, 0xff },
	};
	unsigned int i;
	int v, r;

	make_vcpus(_metadata, self, MAXV);
	for (v = 0; v < MAXV; v++)
		ASSERT_EQ(0, lapic_setup(self->vcpu[v], 0x1ff, 1u << (24 + v),
					 0xffffffff));
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		r = msi_logical(self->vm, t[i].dest, 0x70);
		EXPECT_EQ(__builtin_popcount(t[i].mask), r) TH_LOG("dest %#x", t[i].dest);
		EXPECT_EQ(t[i].mask, irr_mask(_metadata, self, 0x70))
			TH_LOG("dest %#x", t[i].dest);
	}
}

TEST_F(msi, cluster)
{
	static const struct { __u32 dest; int mask; int r; } t[] = {
		{ 0x11, 0x04, 1 }, { 0x03, 0x03, 2 }, { 0xf3, 0x00, 0 },
		{ 0x31, 0x40, 1 }, { 0x33, 0xc0, 2 }, { 0x2f, 0x30, 2 },
		{ 0x4f, 0x00, 0 }, { 0xff, 0xff, 8 },
	};
	unsigned int i;
	int v;

	make_vcpus(_metadata, self, MAXV);
	for (v = 0; v < MAXV; v++)
		ASSERT_EQ(0, lapic_setup(self->vcpu[v], 0x1ff,
					 ((v / 2) << 4 | 1 << (v % 2)) << 24,
					 0x0fffffff));
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		EXPECT_EQ(t[i].r, msi_logical(self->vm, t[i].dest, 0x71))
			TH_LOG("dest %#x", t[i].dest);
		EXPECT_EQ(t[i].mask, irr_mask(_metadata, self, 0x71))
			TH_LOG("dest %#x", t[i].dest);
	}
}

/* Flat and cluster vcpus mixed: each matches by its own DFR. */
TEST_F(msi, mixed_flat_cluster)
{
	make_vcpus(_metadata, self, 4);
	ASSERT_EQ(0, lapic_setup(self->vcpu[0], 0x1ff, 0x01 << 24, 0xffffffff));
	ASSERT_EQ(0, lapic_setup(self->vcpu[1], 0x1ff, 0x02 << 24, 0xffffffff));
	ASSERT_EQ(0, lapic_setup(self->vcpu[2], 0x1ff, 0x11 << 24, 0x0fffffff));
	ASSERT_EQ(0, lapic_setup(self->vcpu[3], 0x1ff, 0x12 << 24, 0x0fffffff));
	EXPECT_EQ(1, msi_logical(self->vm, 0x01, 0x72));
	EXPECT_EQ(1, irr_mask(_metadata, self, 0x72));
	EXPECT_EQ(4, msi_logical(self->vm, 0x13, 0x72));
	EXPECT_EQ(0xf, irr_mask(_metadata, self, 0x72));
	EXPECT_EQ(2, msi_logical(self->vm, 0x12, 0x72));
	EXPECT_EQ(0xa, irr_mask(_metadata, self, 0x72));
	/* Nothing matches: the slow path says -1, EPERM. */
	EXPECT_EQ(-EPERM, msi_logical(self->vm, 0x40, 0x72));
}

/*
 * The logical map holds software-enabled LAPICs only, and files a DFR that
 * is neither flat nor cluster as cluster.
 */
TEST_F(msi, logical_map_membership)
{
	make_vcpus(_metadata, self, 3);
	ASSERT_EQ(0, lapic_setup(self->vcpu[0], 0x1ff, 0x01 << 24, 0xffffffff));
	ASSERT_EQ(0, lapic_setup(self->vcpu[1], 0xff, 0x02 << 24, 0xffffffff));
	ASSERT_EQ(0, lapic_enable(self->vcpu[2]));
	EXPECT_EQ(0, msi_logical(self->vm, 0x02, DM_NMI));
	EXPECT_EQ(0, get_events(self->vcpu[1]).nmi.pending);
	EXPECT_EQ(1, msi_logical(self->vm, 0x03, DM_NMI));
	EXPECT_EQ(1, get_events(self->vcpu[0]).nmi.pending);
	ASSERT_EQ(0, lapic_setup(self->vcpu[0], 0x1ff, 0x11 << 24, 0x0fffffff));
	ASSERT_EQ(0, lapic_setup(self->vcpu[1], 0x1ff, 0x12 << 24, 0x5fffffff));
	EXPECT_EQ(2, msi_logical(self->vm, 0x13, 0x48));
	EXPECT_EQ(3, irr_mask(_metadata, self, 0x48));
}

/*
 * Duplicate logical ids: the slow path, every match takes it (6.12, 6.18).
 * KVM ABI: 6.1 kept its APIC map for aliases, one vcpu (here vcpu 1) took
 * the message and a miss counted 0.
 */
TEST_F(msi, logical_alias)
{
	int newer = kvm_release(self->dev) > 601;

	make_vcpus(_metadata, self, 3);
	ASSERT_EQ(0, lapic_setup(self->vcpu[0], 0x1ff, 0x01 << 24, 0xffffffff));
	ASSERT_EQ(0, lapic_setup(self->vcpu[1], 0x1ff, 0x01 << 24, 0xffffffff));
	ASSERT_EQ(0, lapic_setup(self->vcpu[2], 0x1ff, 0x04 << 24, 0xffffffff));
	EXPECT_EQ(newer ? 2 : 1, msi_logical(self->vm, 0x01, 0x73));
	EXPECT_EQ(newer ? 3 : 2, irr_mask(_metadata, self, 0x73));
	EXPECT_EQ(newer ? -EPERM : 0, msi_logical(self->vm, 0x08, 0x73));
}

/*
 * Duplicate physical ids: every aliased vcpu takes the message (6.12,
 * 6.18).  KVM ABI: in 6.1 one of them (here vcpu 1) did, a miss counted 0.
 */
TEST_F(msi, physical_alias)
{
	int newer = kvm_release(self->dev) > 601;
	struct kvm_lapic_state s;

	make_vcpus(_metadata, self, 3);
	s = get_lapic(self->vcpu[2]);
	lapic_set(&s, APIC_ID, 1 << 24);
	ASSERT_EQ(0, set_lapic(self->vcpu[2], &s));
	EXPECT_EQ(newer ? 2 : 1, msi_phys(self->vm, 1, 0x74));
	EXPECT_EQ(newer ? 6 : 2, irr_mask(_metadata, self, 0x74));
	EXPECT_EQ(newer ? -EPERM : 0, msi_phys(self->vm, 2, 0x74));
}

/* Flat, cluster and lowest priority over 1 to 8 vcpus. */
TEST_F(msi, logical_1_to_8)
{
	static const __u32 dests[] = { 0x01, 0x03, 0x0f, 0x55, 0x80, 0xfe };
	int n, v, vec, all;
	unsigned int i;

	for (n = 1; n <= MAXV; n++) {
		self->vcpu[n - 1] = ioctl(self->vm, KVM_CREATE_VCPU, n - 1);
		ASSERT_GE(self->vcpu[n - 1], 0);
		self->nr = n;
		all = (1 << n) - 1;
		for (v = 0; v < n; v++)
			ASSERT_EQ(0, lapic_setup(self->vcpu[v], 0x1ff,
						 1u << (24 + v), 0xffffffff));
		for (i = 0; i < ARRAY_SIZE(dests); i++) {
			EXPECT_EQ(__builtin_popcount(dests[i] & all),
				  msi_logical(self->vm, dests[i], 0x50));
			EXPECT_EQ(dests[i] & all, irr_mask(_metadata, self, 0x50));
		}
		/* Lowest priority over the mask 0x0f: an empty slot takes 0. */
		for (vec = 0x60; vec < 0x64; vec++) {
			EXPECT_EQ(vec - 0x60 < n,
				  msi_logical(self->vm, 0x0f, DM_LOWEST | vec));
			EXPECT_EQ((1 << (vec - 0x60)) & all,
				  irr_mask(_metadata, self, vec));
		}
		/* Broadcast lowest priority: the (vector mod n)-th vcpu. */
		EXPECT_EQ(1, msi_logical(self->vm, 0xff, DM_LOWEST | 0x65));
		EXPECT_EQ(1 << (0x65 % n), irr_mask(_metadata, self, 0x65));
		/* The same vcpus as clusters of two. */
		for (v = 0; v < n; v++)
			ASSERT_EQ(0, lapic_setup(self->vcpu[v], 0x1ff,
						 ((v / 2) << 4 | 1 << (v % 2)) << 24,
						 0x0fffffff));
		EXPECT_EQ(n > 1 ? 2 : 1, msi_logical(self->vm, 0x03, 0x66));
		EXPECT_EQ(all & 3, irr_mask(_metadata, self, 0x66));
		EXPECT_EQ(n > 7 ? 1 : 0, msi_logical(self->vm, 0x32, 0x67));
		EXPECT_EQ(all & 0x80, irr_mask(_metadata, self, 0x67));
	}
}

/* Vector hashing: the (vector mod n)-th candidate. */
TEST_F(msi, lowest_priority)
{
	int v, vec;

	make_vcpus(_metadata, self, 4);
	for (v = 0; v < 4; v++)
		ASSERT_EQ(0, lapic_setup(self->vcpu[v], 0x1ff, 1u << (24 + v),
					 0xffffffff));
	for (vec = 0x44; vec <= 0x47; vec++) {
		EXPECT_EQ(1, msi_logical(self->vm, 0x0f, DM_LOWEST | vec));
		EXPECT_EQ(1 << (vec - 0x44), irr_mask(_metadata, self, vec));
	}
	EXPECT_EQ(1, msi_logical(self->vm, 0x0c, DM_LOWEST | 0x42));
	EXPECT_EQ(4, irr_mask(_metadata, self, 0x42));
	EXPECT_EQ(1, msi_logical(self->vm, 0x0c, DM_LOWEST | 0x43));
	EXPECT_EQ(8, irr_mask(_metadata, self, 0x43));
	/* The hash runs over the mask: a bit without a vcpu takes nothing. */
	EXPECT_EQ(1, msi_logical(self->vm, 0x12, DM_LOWEST | 0x44));
	EXPECT_EQ(0, msi_logical(self->vm, 0x12, DM_LOWEST | 0x45));
	EXPECT_EQ(0, msi_logical(self->vm, 0x30, DM_LOWEST | 0x46));
	EXPECT_EQ(2, irr_mask(_metadata, self, 0x44));
	EXPECT_EQ(0, irr_mask(_metadata, self, 0x45));
	/* Logical broadcast: slow path over the 4 vcpus. */
	EXPECT_EQ(1, msi_logical(self->vm, 0xff, DM_LOWEST | 0x49));
	EXPECT_EQ(2, irr_mask(_metadata, self, 0x49));
	/* Physical broadcast with lowest priority becomes fixed to all. */
	EXPECT_EQ(4, msi_phys(self->vm, 0xff, DM_LOWEST | 0x4a));
	EXPECT_EQ(0xf, irr_mask(_metadata, self, 0x4a));
	/* A physical destination needs no arbitration. */
	EXPECT_EQ(1, msi_phys(self->vm, 2, DM_LOWEST | 0x4b));
	EXPECT_EQ(4, irr_mask(_metadata, self, 0x4b));
}

/* The redirection hint makes even a fixed message lowest priority. */
TEST_F(msi, redirection_hint)
{
	int v;

	make_vcpus(_metadata, self, 4);
	for (v = 0; v < 4; v++)
		ASSERT_EQ(0, lapic_setup(self->vcpu[v], 0x1ff, 1u << (24 + v),
					 0xffffffff));
	EXPECT_EQ(1, signal_msi(self->vm, msi_addr(0x0f, 1, 1), 0, 0x45, 0));
	EXPECT_EQ(2, irr_mask(_metadata, self, 0x45));
	EXPECT_EQ(1, signal_msi(self->vm, msi_addr(1, 0, 1), 0, 0x46, 0));
	EXPECT_EQ(2, irr_mask(_metadata, self, 0x46));
	/* Physical broadcast: fixed, but the hint still arbitrates. */
	EXPECT_EQ(1, signal_msi(self->vm, msi_addr(0xff, 0, 1), 0, 0x47, 0));
	EXPECT_EQ(8, irr_mask(_metadata, self, 0x47));
}

/* Lowest priority in the slow path skips software-disabled candidates. */
TEST_F(msi, lowest_priority_slow_sw_disabled)
{
	make_vcpus(_metadata, self, 4);
	ASSERT_EQ(0, lapic_setup(self->vcpu[0], 0xff, 0, 0xffffffff));
	ASSERT_EQ(0, lapic_setup(self->vcpu[2], 0xff, 0, 0xffffffff));
	/* Candidates: vcpus 1 and 3; vector 0x45 is odd: the second. */
	EXPECT_EQ(1, msi_logical(self->vm, 0xff, DM_LOWEST | 0x45));
	EXPECT_EQ(8, irr_mask(_metadata, self, 0x45));
	EXPECT_EQ(1, msi_logical(self->vm, 0xff, DM_LOWEST | 0x44));
	EXPECT_EQ(2, irr_mask(_metadata, self, 0x44));
}

/*
 * KVM ABI: slow-path arbitration counts candidates in creation order (the
 * vcpu index), not by vcpu id.  Here vcpu 3 is created before vcpu 1.
 */
TEST_F(msi, lowest_priority_creation_order)
{
	static const int ids[] = { 3, 1, 2 };
	int i, vec;

	for (i = 0; i < 3; i++) {
		self->vcpu[i] = ioctl(self->vm, KVM_CREATE_VCPU, ids[i]);
		ASSERT_GE(self->vcpu[i], 0);
		self->nr++;
	}
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, lapic_enable(self->vcpu[i]));
	/* Physical broadcast with the hint: the (vector mod 3)-th created. */
	for (vec = 0x48; vec < 0x4b; vec++) {
		EXPECT_EQ(1, signal_msi(self->vm, msi_addr(0xff, 0, 1), 0, vec, 0));
		EXPECT_EQ(1 << (vec % 3), irr_mask(_metadata, self, vec))
			TH_LOG("vector %#x", vec);
	}
	/* Logical broadcast, lowest priority: the same order. */
	EXPECT_EQ(1, msi_logical(self->vm, 0xff, DM_LOWEST | 0x4c));
	EXPECT_EQ(1 << (0x4c % 3), irr_mask(_metadata, self, 0x4c));
}

/*
 * KVM ABI: address bits 11:5 (the guest's extended destination id, which
 * the VMM translates) and 1:0, and data bits 13:11 and 31:16 are ignored.
 */
TEST_F(msi, ignored_bits)
{
	make_vcpus(_metadata, self, 2);
	EXPECT_EQ(1, signal_msi(self->vm, msi_addr(1, 0, 0) | 0xfe3, 0, 0x4d, 0));
	EXPECT_EQ(2, irr_mask(_metadata, self, 0x4d));
	EXPECT_EQ(1, msi_phys(self->vm, 1, 0xffff384e));
	EXPECT_EQ(2, irr_mask(_metadata, self, 0x4e));
	/* Data bit 11 is no destination mode: still physical. */
	EXPECT_EQ(1, msi_phys(self->vm, 0, 0x084f));
	EXPECT_EQ(1, irr_mask(_metadata, self, 0x4f));
}

TEST_HARNESS_MAIN
