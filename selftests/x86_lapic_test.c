// SPDX-License-Identifier: GPL-2.0
/*
 * Local APICs: the split irqchip, capabilities, KVM_GET/SET_LAPIC reset
 * values and fix-ups, MSR_IA32_APICBASE, KVM_SET_BOOT_CPU_ID.  Every test
 * here runs against real KVM too.
 */
#include <assert.h>
#include <stddef.h>

#include "x86_lapic.h"

static_assert(sizeof(struct kvm_lapic_state) == 1024, "kvm_lapic_state");
static_assert(sizeof(struct kvm_vcpu_events) == 64, "kvm_vcpu_events");
static_assert(sizeof(struct kvm_msi) == 32, "kvm_msi");
static_assert(KVM_GET_LAPIC == 0x8400ae8e, "KVM_GET_LAPIC");
static_assert(KVM_SET_LAPIC == 0x4400ae8f, "KVM_SET_LAPIC");
static_assert(KVM_SIGNAL_MSI == 0x4020aea5, "KVM_SIGNAL_MSI");
static_assert(KVM_GET_VCPU_EVENTS == 0x8040ae9f, "KVM_GET_VCPU_EVENTS");
static_assert(KVM_SET_VCPU_EVENTS == 0x4040aea0, "KVM_SET_VCPU_EVENTS");
static_assert(KVM_GET_MP_STATE == 0x8004ae98, "KVM_GET_MP_STATE");
static_assert(KVM_SET_MP_STATE == 0x4004ae99, "KVM_SET_MP_STATE");
static_assert(KVM_NMI == 0xae9a, "KVM_NMI");
static_assert(KVM_SMI == 0xaeb7, "KVM_SMI");
static_assert(KVM_INTERRUPT == 0x4004ae86, "KVM_INTERRUPT");
static_assert(KVM_SET_BOOT_CPU_ID == 0xae78, "KVM_SET_BOOT_CPU_ID");
static_assert(offsetof(struct kvm_vcpu_events, sipi_vector) == 16, "sipi");
static_assert(offsetof(struct kvm_vcpu_events, smi) == 24, "smi");
static_assert(offsetof(struct kvm_vcpu_events, triple_fault) == 28, "tf");
static_assert(offsetof(struct kvm_vcpu_events, exception_payload) == 56, "pl");

FIXTURE(x86) {
	int dev;
	int kvmirq;
	int vm;
};

FIXTURE_SETUP(x86)
{
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = x86_vm(self->dev);
	ASSERT_GE(self->vm, 0);
}

FIXTURE_TEARDOWN(x86)
{
	CLOSE_FDS(self->vm, self->dev);
}

TEST_F(x86, capabilities)
{
	static const struct { long cap, val; } caps[] = {
		{ KVM_CAP_MP_STATE, 1 },
		{ KVM_CAP_USER_NMI, 1 },
		{ KVM_CAP_SET_BOOT_CPU_ID, 1 },
		{ KVM_CAP_VCPU_EVENTS, 1 },
		{ KVM_CAP_SIGNAL_MSI, 1 },
		{ KVM_CAP_SPLIT_IRQCHIP, 1 },
		{ KVM_CAP_EXCEPTION_PAYLOAD, 1 },
		{ KVM_CAP_X86_TRIPLE_FAULT_EVENT, 1 },
		/* KVM ABI: not listed by x86 although VALID_SHADOW works. */
		{ KVM_CAP_INTR_SHADOW, 0 },
		{ KVM_CAP_MSI_DEVID, 0 },
	};
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		EXPECT_EQ(caps[i].val, ioctl(self->dev, KVM_CHECK_EXTENSION,
					     caps[i].cap))
			TH_LOG("cap %ld", caps[i].cap);
		EXPECT_EQ(caps[i].val, ioctl(self->vm, KVM_CHECK_EXTENSION,
					     caps[i].cap))
			TH_LOG("cap %ld", caps[i].cap);
	}
	/* 6.1 answers 3; 6.18 adds EOI-broadcast flags kvmirq lacks. */
	for (fd = 0; fd < 2; fd++)
		EXPECT_EQ(3, ioctl(fd ? self->vm : self->dev, KVM_CHECK_EXTENSION,
				   KVM_CAP_X2APIC_API) & 3);
}

/* KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP): 0 or the errno. */
static int split_errno(int vm, __u64 pins)
{
	return kvmirq_errno(x86_enable_cap(vm, KVM_CAP_SPLIT_IRQCHIP, pins));
}

TEST_F(x86, split_irqchip_errnos)
{
	struct kvm_enable_cap c = { .cap = KVM_CAP_SPLIT_IRQCHIP, .flags = 1 };
	int vcpu;

	/* KVM ABI: more reserved pins than routes is EINVAL. */
	EXPECT_EQ(EINVAL, split_errno(self->vm, 4097));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_ENABLE_CAP, &c)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_ENABLE_CAP, NULL)));
	EXPECT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_SPLIT_IRQCHIP, 4096));
	EXPECT_EQ(EEXIST, split_errno(self->vm, 0));
	/* An over-large count is checked before the irqchip. */
	EXPECT_EQ(EINVAL, split_errno(self->vm, 5000));
	vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	close(vcpu);
}

TEST_F(x86, split_irqchip_after_vcpu)
{
	int vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);

	ASSERT_GE(vcpu, 0);
	/* KVM ABI: EEXIST, where KVM_CREATE_IRQCHIP says EINVAL. */
	EXPECT_EQ(EEXIST, split_errno(self->vm, 0));
	close(vcpu);
}

TEST_F(x86, other_caps)
{
	EXPECT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_X2APIC_API, 0));
	EXPECT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_X2APIC_API, 3));
	EXPECT_EQ(EINVAL, kvmirq_errno(x86_enable_cap(self->vm,
						      KVM_CAP_X2APIC_API, 1ULL << 40)));
	EXPECT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_EXCEPTION_PAYLOAD, 1));
	EXPECT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_EXCEPTION_PAYLOAD, 0));
	EXPECT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_X86_TRIPLE_FAULT_EVENT, 1));
	EXPECT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_X86_TRIPLE_FAULT_EVENT, 0));
}

TEST_F(x86, no_irqchip)
{
	struct kvm_lapic_state s = { 0 };
	int vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	__u64 base;

	ASSERT_GE(vcpu, 0);
	/* KVM ABI: no in-kernel LAPIC is EINVAL, before the user copy. */
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vcpu, KVM_GET_LAPIC, &s)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vcpu, KVM_SET_LAPIC, &s)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vcpu, KVM_GET_LAPIC, NULL)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vcpu, KVM_SET_LAPIC, NULL)));
	EXPECT_EQ(-EINVAL, msi_phys(self->vm, 0, 0x30));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(vcpu));
	EXPECT_EQ(-EINVAL, set_mp_state(vcpu, KVM_MP_STATE_HALTED));
	EXPECT_EQ(-EINVAL, set_mp_state(vcpu, KVM_MP_STATE_UNINITIALIZED));
	EXPECT_EQ(0, set_mp_state(vcpu, KVM_MP_STATE_RUNNABLE));
	/* The APIC base MSR is kept without a LAPIC. */
	EXPECT_EQ(1, get_msr(vcpu, APIC_BASE_MSR, &base));
	EXPECT_EQ(0xfee00900, base);
	EXPECT_EQ(1, set_msr(vcpu, APIC_BASE_MSR, 0xfee00000));
	EXPECT_EQ(0, set_msr(vcpu, APIC_BASE_MSR, 0xfee00001));
	EXPECT_EQ(1, get_msr(vcpu, APIC_BASE_MSR, &base));
	EXPECT_EQ(0xfee00000, base);
	close(vcpu);
	vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 1);
	ASSERT_GE(vcpu, 0);
	EXPECT_EQ(1, get_msr(vcpu, APIC_BASE_MSR, &base));
	EXPECT_EQ(0xfee00800, base);
	close(vcpu);
}

static void check_reset_page(struct __test_metadata *_metadata, int vcpu,
			     __u32 id, int boot)
{
	struct kvm_lapic_state s = get_lapic(vcpu), want;
	int off;

	memset(&want, 0, sizeof(want));
	lapic_set(&want, APIC_ID, id << 24);
	lapic_set(&want, APIC_LVR, 0x00050014);
	lapic_set(&want, APIC_DFR, 0xffffffff);
	lapic_set(&want, APIC_SPIV, 0xff);
	for (off = APIC_LVTT; off <= APIC_LVTERR; off += 0x10)
		lapic_set(&want, off, 0x10000);
	if (boot)
		lapic_set(&want, APIC_LVT0, 0x700);
	for (off = 0; off < 0x400; off += 4)
		EXPECT_EQ(lapic_reg(&want, off), lapic_reg(&s, off))
			TH_LOG("vcpu %u offset %#x", id, off);
}

TEST_F(x86, reset_state)
{
	int v0, v1, v5;
	__u64 base;

	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_SPLIT_IRQCHIP, 24));
	v0 = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	v1 = ioctl(self->vm, KVM_CREATE_VCPU, 1);
	v5 = ioctl(self->vm, KVM_CREATE_VCPU, 5);
	ASSERT_GE(v5, 0);
	check_reset_page(_metadata, v0, 0, 1);
	check_reset_page(_metadata, v1, 1, 0);
	check_reset_page(_metadata, v5, 5, 0);
	EXPECT_EQ(1, get_msr(v0, APIC_BASE_MSR, &base));
	EXPECT_EQ(0xfee00900, base);
	EXPECT_EQ(1, get_msr(v5, APIC_BASE_MSR, &base));
	EXPECT_EQ(0xfee00800, base);
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(v0));
	EXPECT_EQ(KVM_MP_STATE_UNINITIALIZED, get_mp_state(v1));
	close(v0);
	close(v1);
	close(v5);
}

TEST_F(x86, boot_cpu_id)
{
	long max_id = ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPU_ID);
	int v0, v3;
	__u64 base;

	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_SPLIT_IRQCHIP, 24));
	/*
	 * KVM ABI: above KVM_MAX_VCPU_IDS (a build option) is EINVAL, the
	 * limit itself is not (6.12, 6.18); 6.1 checked no range at all.
	 */
	EXPECT_EQ(kvm_release(self->dev) > 601 ? EINVAL : 0,
		  kvmirq_errno(ioctl(self->vm, KVM_SET_BOOT_CPU_ID, max_id + 1)));
	EXPECT_EQ(0, ioctl(self->vm, KVM_SET_BOOT_CPU_ID, max_id));
	EXPECT_EQ(0, ioctl(self->vm, KVM_SET_BOOT_CPU_ID, 3));
	v0 = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	v3 = ioctl(self->vm, KVM_CREATE_VCPU, 3);
	ASSERT_GE(v3, 0);
	EXPECT_EQ(EBUSY, kvmirq_errno(ioctl(self->vm, KVM_SET_BOOT_CPU_ID, 0)));
	check_reset_page(_metadata, v0, 0, 0);
	check_reset_page(_metadata, v3, 3, 1);
	EXPECT_EQ(KVM_MP_STATE_UNINITIALIZED, get_mp_state(v0));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(v3));
	EXPECT_EQ(1, get_msr(v3, APIC_BASE_MSR, &base));
	EXPECT_EQ(0xfee00900, base);
	EXPECT_EQ(1, get_msr(v0, APIC_BASE_MSR, &base));
	EXPECT_EQ(0xfee00800, base);
	close(v0);
	close(v3);
}

/* KVM_SET_LAPIC copies the page verbatim but for LVR, PPR and TMCCT. */
TEST_F(x86, set_lapic_raw_copy)
{
	struct kvm_lapic_state s, got;
	unsigned int i;
	int vcpu;

	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_SPLIT_IRQCHIP, 24));
	vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	srand(42);
	for (i = 0; i < sizeof(s.regs); i++)
		s.regs[i] = rand();
	lapic_set(&s, APIC_TMICT, 0);
	lapic_set(&s, APIC_LVTT, 0x10000);
	memset(s.regs + APIC_ISR, 0, 0x80);
	lapic_set_vec(&s, APIC_ISR, 0x61);
	lapic_set(&s, APIC_TASKPRI, 0x1ff);
	ASSERT_EQ(0, set_lapic(vcpu, &s));
	got = get_lapic(vcpu);
	for (i = 0; i < sizeof(s.regs); i += 4) {
		if (i == APIC_LVR || i == APIC_PROCPRI || i == APIC_TMCCT)
			continue;
		EXPECT_EQ(lapic_reg(&s, i), lapic_reg(&got, i))
			TH_LOG("offset %#x", i);
	}
	EXPECT_EQ(0x00050014, lapic_reg(&got, APIC_LVR));
	EXPECT_EQ(0, lapic_reg(&got, APIC_TMCCT));
	/* TPR 0x1ff: KVM does not mask it, PPR 0xff. */
	EXPECT_EQ(0xff, lapic_reg(&got, APIC_PROCPRI));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(vcpu, KVM_SET_LAPIC, NULL)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(vcpu, KVM_GET_LAPIC, NULL)));
	close(vcpu);
}

/* PPR = TPR if its class is at least the highest ISR class, else ISR class. */
TEST_F(x86, ppr)
{
	static const struct { __u32 tpr; int isr; __u32 ppr; } t[] = {
		{ 0, 0x61, 0x60 }, { 0x50, 0x61, 0x60 }, { 0x75, 0x61, 0x75 },
		{ 0x7f, -1, 0x7f }, { 0x60, 0x61, 0x60 }, { 0x6f, 0x61, 0x6f },
		{ 0, -1, 0 }, { 0x20, 0xff, 0xf0 },
	};
	struct kvm_lapic_state s;
	unsigned int i;
	int vcpu;

	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_SPLIT_IRQCHIP, 24));
	vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		s = get_lapic(vcpu);
		memset(s.regs + APIC_ISR, 0, 0x80);
		if (t[i].isr >= 0)
			lapic_set_vec(&s, APIC_ISR, t[i].isr);
		lapic_set(&s, APIC_TASKPRI, t[i].tpr);
		/* The second SET sees the ISR of the first (see below). */
		ASSERT_EQ(0, set_lapic(vcpu, &s));
		ASSERT_EQ(0, set_lapic(vcpu, &s));
		s = get_lapic(vcpu);
		EXPECT_EQ(t[i].ppr, lapic_reg(&s, APIC_PROCPRI)) TH_LOG("case %u", i);
	}
	close(vcpu);
}

/*
 * KVM ABI: KVM_SET_LAPIC recomputes PPR before it recounts the new ISR, so
 * ISR bits supplied over an empty ISR do not raise PPR until the next SET.
 */
TEST_F(x86, set_lapic_ppr_stale_isr)
{
	struct kvm_lapic_state s;
	int vcpu;

	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_SPLIT_IRQCHIP, 24));
	vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	s = get_lapic(vcpu);
	lapic_set_vec(&s, APIC_ISR, 0x61);
	ASSERT_EQ(0, set_lapic(vcpu, &s));
	s = get_lapic(vcpu);
	EXPECT_EQ(0, lapic_reg(&s, APIC_PROCPRI));
	EXPECT_EQ(1, lapic_vec(&s, APIC_ISR, 0x61));
	ASSERT_EQ(0, set_lapic(vcpu, &s));
	s = get_lapic(vcpu);
	EXPECT_EQ(0x60, lapic_reg(&s, APIC_PROCPRI));
	close(vcpu);
}

TEST_F(x86, apic_base_msr)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[2];
	} two = { 0 };
	struct kvm_msrs big = { .nmsrs = 256 };
	struct kvm_lapic_state s;
	__u64 base;
	int vcpu;

	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_SPLIT_IRQCHIP, 24));
	vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 2);
	ASSERT_GE(vcpu, 0);
	/* Reserved bits and EXTD without EN are refused: 0 MSRs processed. */
	EXPECT_EQ(0, set_msr(vcpu, APIC_BASE_MSR, 0xfee00801));
	EXPECT_EQ(0, set_msr(vcpu, APIC_BASE_MSR, 0xfee00400));
	EXPECT_EQ(0, set_msr(vcpu, APIC_BASE_MSR, 0xfee00800 | (1ULL << 40)));
	/* Hardware disable, relocate, re-enable: the ID is reset. */
	EXPECT_EQ(1, set_msr(vcpu, APIC_BASE_MSR, 0xfee00000));
	EXPECT_EQ(1, get_msr(vcpu, APIC_BASE_MSR, &base));
	EXPECT_EQ(0xfee00000, base);
	/* GET/SET_LAPIC work while hardware-disabled. */
	s = get_lapic(vcpu);
	lapic_set(&s, APIC_ID, 7 << 24);
	ASSERT_EQ(0, set_lapic(vcpu, &s));
	s = get_lapic(vcpu);
	EXPECT_EQ(7u << 24, lapic_reg(&s, APIC_ID));
	EXPECT_EQ(1, set_msr(vcpu, APIC_BASE_MSR, 0xfed00800));
	EXPECT_EQ(1, get_msr(vcpu, APIC_BASE_MSR, &base));
	EXPECT_EQ(0xfed00800, base);
	s = get_lapic(vcpu);
	EXPECT_EQ(2u << 24, lapic_reg(&s, APIC_ID));
	/* An unknown MSR stops the batch. */
	EXPECT_EQ(0, get_msr(vcpu, 0x12345678, &base));
	two.hdr.nmsrs = 2;
	two.e[0].index = APIC_BASE_MSR;
	two.e[1].index = 0x12345678;
	EXPECT_EQ(1, ioctl(vcpu, KVM_GET_MSRS, &two));
	EXPECT_EQ(0xfed00800, two.e[0].data);
	two.e[0].index = 0x12345678;
	two.e[1].index = APIC_BASE_MSR;
	EXPECT_EQ(0, ioctl(vcpu, KVM_SET_MSRS, &two));
	EXPECT_EQ(E2BIG, kvmirq_errno(ioctl(vcpu, KVM_GET_MSRS, &big)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(vcpu, KVM_GET_MSRS, NULL)));
	close(vcpu);
}

/* Gives KVM's vcpus x2APIC in CPUID; kvmirq needs (and has) no CPUID. */
static void x2apic_cpuid(struct __test_metadata *_metadata, int dev, int vcpu,
			 int kvmirq)
{
	static struct {
		struct kvm_cpuid2 h;
		struct kvm_cpuid_entry2 e[100];
	} cpuid;

	if (kvmirq)
		return;
	cpuid.h.nent = 100;
	ASSERT_EQ(0, ioctl(dev, KVM_GET_SUPPORTED_CPUID, &cpuid));
	ASSERT_EQ(0, ioctl(vcpu, KVM_SET_CPUID2, &cpuid));
}

TEST_F(x86, x2apic_state)
{
	struct kvm_lapic_state s;
	int v[4], i;
	__u64 base;

	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_SPLIT_IRQCHIP, 24));
	for (i = 0; i < 4; i++) {
		v[i] = ioctl(self->vm, KVM_CREATE_VCPU, i);
		ASSERT_GE(v[i], 0);
		x2apic_cpuid(_metadata, self->dev, v[i], self->kvmirq);
	}
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, lapic_enable(v[i]));
	ASSERT_EQ(1, set_msr(v[3], APIC_BASE_MSR, 0xfee00c00));
	s = get_lapic(v[3]);
	EXPECT_EQ(3u << 24, lapic_reg(&s, APIC_ID));
	EXPECT_EQ(0x8, lapic_reg(&s, APIC_LDR));
	/*
	 * SET: the ID is read-only (6.12, 6.18; 6.1 stored it and derived
	 * LDR from it, so it is left alone there), LDR derived.  ICR2 becomes
	 * ICR[63:32]: with VMX KVM keeps one 64-bit ICR at 0x300, so the word
	 * at 0x304 reads back as ICR2; SVM keeps ICR and ICR2 apart (for
	 * x2AVIC) and 0x304 as it was written.
	 */
	if (kvm_release(self->dev) > 601)
		lapic_set(&s, APIC_ID, 9 << 24);
	lapic_set(&s, APIC_LDR, 0);
	lapic_set(&s, APIC_ICR, 0x30);
	lapic_set(&s, APIC_ICR + 4, 7);
	lapic_set(&s, APIC_ICR2, 5);
	ASSERT_EQ(0, set_lapic(v[3], &s));
	s = get_lapic(v[3]);
	EXPECT_EQ(3u << 24, lapic_reg(&s, APIC_ID));
	EXPECT_EQ(0x8, lapic_reg(&s, APIC_LDR));
	EXPECT_EQ(0x30, lapic_reg(&s, APIC_ICR));
	EXPECT_EQ(x86_backend(self->dev) == X86_BACKEND_SVM ? 7 : 5,
		  lapic_reg(&s, APIC_ICR + 4));
	EXPECT_EQ(5, lapic_reg(&s, APIC_ICR2));
	/* The host reaches the x2APIC MSRs too. */
	EXPECT_EQ(1, get_msr(v[3], 0x802, &base));
	EXPECT_EQ(3, base);
	EXPECT_EQ(1, get_msr(v[3], 0x830, &base));
	EXPECT_EQ(0x500000030ULL, base);
	EXPECT_EQ(1, set_msr(v[3], 0x808, 0x20));
	EXPECT_EQ(1, get_msr(v[3], 0x80a, &base));
	EXPECT_EQ(0x20, base);
	EXPECT_EQ(1, set_msr(v[3], 0x808, 0));
	EXPECT_EQ(0, set_msr(v[3], 0x802, 7));
	EXPECT_EQ(0, get_msr(v[3], 0x80e, &base));
	EXPECT_EQ(0, get_msr(v[2], 0x802, &base));
	/* 0xff from an MSI is a broadcast for the x2APIC too (the quirk). */
	EXPECT_EQ(4, msi_phys(self->vm, 0xff, 0x40));
	EXPECT_EQ(1, msi_phys(self->vm, 3, 0x41));
	EXPECT_EQ(1, irr_count(v[3], 0x41));
	/* x2APIC logical: cluster 0, bit 3 is vcpu 3 alone. */
	EXPECT_EQ(1, msi_logical(self->vm, 0x08, 0x42));
	EXPECT_EQ(1, irr_count(v[3], 0x42));
	/*
	 * Back to xAPIC (host): the ID is reset, LDR kept.  KVM ABI: 6.1 left
	 * the x2APIC-format id (3, not 3 << 24) in the register.
	 */
	ASSERT_EQ(1, set_msr(v[3], APIC_BASE_MSR, 0xfee00800));
	s = get_lapic(v[3]);
	EXPECT_EQ(kvm_release(self->dev) > 601 ? 3u << 24 : 3, lapic_reg(&s, APIC_ID));
	EXPECT_EQ(0x8, lapic_reg(&s, APIC_LDR));
	/* The host may go from disabled straight to x2APIC. */
	ASSERT_EQ(1, set_msr(v[2], APIC_BASE_MSR, 0xfee00000));
	ASSERT_EQ(1, set_msr(v[2], APIC_BASE_MSR, 0xfee00c00));
	EXPECT_EQ(1, get_msr(v[2], APIC_BASE_MSR, &base));
	EXPECT_EQ(0xfee00c00, base);
	s = get_lapic(v[2]);
	EXPECT_EQ(2u << 24, lapic_reg(&s, APIC_ID));
	EXPECT_EQ(0x4, lapic_reg(&s, APIC_LDR));
	for (i = 0; i < 4; i++)
		close(v[i]);
}

TEST_F(x86, x2apic_32bit_ids)
{
	struct kvm_lapic_state s;
	int v0, v1;

	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_SPLIT_IRQCHIP, 24));
	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_X2APIC_API,
				    KVM_X2APIC_API_USE_32BIT_IDS));
	v0 = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	v1 = ioctl(self->vm, KVM_CREATE_VCPU, 1);
	ASSERT_GE(v1, 0);
	x2apic_cpuid(_metadata, self->dev, v0, self->kvmirq);
	x2apic_cpuid(_metadata, self->dev, v1, self->kvmirq);
	ASSERT_EQ(0, lapic_enable(v0));
	ASSERT_EQ(0, lapic_enable(v1));
	ASSERT_EQ(1, set_msr(v1, APIC_BASE_MSR, 0xfee00c00));
	s = get_lapic(v1);
	EXPECT_EQ(1, lapic_reg(&s, APIC_ID));
	ASSERT_EQ(0, set_lapic(v1, &s));
	/* The SVR is applied even when the ID check fails. */
	lapic_set(&s, APIC_ID, 1 << 24);
	lapic_set(&s, APIC_SPIV, 0xff);
	EXPECT_EQ(EINVAL, kvmirq_errno(set_lapic(v1, &s)));
	s = get_lapic(v1);
	EXPECT_EQ(1, lapic_reg(&s, APIC_ID));
	EXPECT_EQ(0xff, lapic_reg(&s, APIC_SPIV));
	/* address_hi supplies destination bits 31:8. */
	EXPECT_EQ(1, signal_msi(self->vm, msi_addr(1, 0, 0), 0, DM_NMI, 0));
	EXPECT_EQ(0, signal_msi(self->vm, msi_addr(1, 0, 0), 0x100, DM_NMI, 0));
	EXPECT_EQ(-EINVAL, signal_msi(self->vm, msi_addr(1, 0, 0), 0x80, DM_NMI, 0));
	close(v0);
	close(v1);
}

/*
 * KVM ABI: with 32-bit ids and the broadcast quirk, an MSI to 0xff is the
 * broadcast and one to 0xffffffff reaches no one; without the quirk it is
 * the other way round.
 */
TEST_F(x86, x2apic_msi_broadcast)
{
	const __u32 all = 0xffffff00;	/* address_hi of dest 0xffffffff */
	int v[2], i;

	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_SPLIT_IRQCHIP, 24));
	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_X2APIC_API,
				    KVM_X2APIC_API_USE_32BIT_IDS));
	for (i = 0; i < 2; i++) {
		v[i] = ioctl(self->vm, KVM_CREATE_VCPU, i);
		ASSERT_GE(v[i], 0);
		x2apic_cpuid(_metadata, self->dev, v[i], self->kvmirq);
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, lapic_enable(v[i]));
		ASSERT_EQ(1, set_msr(v[i], APIC_BASE_MSR, 0xfee00c00));
	}
	EXPECT_EQ(2, signal_msi(self->vm, msi_addr(0xff, 0, 0), 0, 0x40, 0));
	EXPECT_EQ(0, signal_msi(self->vm, msi_addr(0xff, 0, 0), all, 0x41, 0));
	EXPECT_EQ(0, signal_msi(self->vm, msi_addr(0xff, 1, 0), all, 0x42, 0));
	EXPECT_EQ(0, irr_count(v[0], 0x41) + irr_count(v[1], 0x42));
	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_X2APIC_API,
				    KVM_X2APIC_API_USE_32BIT_IDS |
				    KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK));
	EXPECT_EQ(0, signal_msi(self->vm, msi_addr(0xff, 0, 0), 0, 0x43, 0));
	EXPECT_EQ(2, signal_msi(self->vm, msi_addr(0xff, 0, 0), all, 0x44, 0));
	EXPECT_EQ(2, signal_msi(self->vm, msi_addr(0xff, 1, 0), all, 0x45, 0));
	EXPECT_EQ(1, irr_count(v[1], 0x45));
	close(v[0]);
	close(v[1]);
}

TEST_HARNESS_MAIN
