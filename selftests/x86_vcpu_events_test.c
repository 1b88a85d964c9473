// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu events, MP state, KVM_NMI, KVM_INTERRUPT, INIT and SIPI.  Runs
 * against real KVM too.
 */
#include "x86_lapic.h"

FIXTURE(ev) {
	int dev;
	int kvmirq;
	int vm;
	int v0;
	int v1;
};

FIXTURE_VARIANT(ev) {
	int split;
};

FIXTURE_VARIANT_ADD(ev, split) {
	.split = 1,
};

FIXTURE_VARIANT_ADD(ev, no_irqchip) {
	.split = 0,
};

FIXTURE_SETUP(ev)
{
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = variant->split ? x86_split_vm(self->dev) : x86_vm(self->dev);
	ASSERT_GE(self->vm, 0);
	two_vcpus(_metadata, self->vm, &self->v0, &self->v1, variant->split);
}

FIXTURE_TEARDOWN(ev)
{
	CLOSE_FDS(self->v0, self->v1, self->vm, self->dev);
}

TEST_F(ev, defaults)
{
	struct kvm_vcpu_events e = get_events(self->v1), zero;

	memset(&zero, 0, sizeof(zero));
	zero.flags = KVM_VCPUEVENT_VALID_NMI_PENDING | KVM_VCPUEVENT_VALID_SHADOW |
		     KVM_VCPUEVENT_VALID_SMM;
	EXPECT_EQ(0, memcmp(&zero, &e, sizeof(e)));
	EXPECT_EQ(0x0d, e.flags);
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->v0, KVM_GET_VCPU_EVENTS, NULL)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->v0, KVM_SET_VCPU_EVENTS, NULL)));
}

/*
 * KVM ABI: nmi.pending counts 1, 2, 2 (6.12, 6.18); 6.1 reported only
 * whether any was pending: 1, 1, 1.
 */
TEST_F(ev, nmi_queue)
{
	int two = kvm_release(self->dev) > 601 ? 2 : 1;
	struct kvm_vcpu_events e;
	int i;

	for (i = 1; i <= 3; i++) {
		EXPECT_EQ(0, ioctl(self->v0, KVM_NMI));
		e = get_events(self->v0);
		EXPECT_EQ(i < 2 ? i : two, e.nmi.pending);
	}
	/* A zeroed SET without VALID_NMI_PENDING keeps them ... */
	memset(&e, 0, sizeof(e));
	EXPECT_EQ(0, set_events(self->v0, &e));
	EXPECT_EQ(two, get_events(self->v0).nmi.pending);
	/* ... with it, the value is queued and folded: at most 2. */
	e.flags = KVM_VCPUEVENT_VALID_NMI_PENDING;
	e.nmi.pending = 5;
	EXPECT_EQ(0, set_events(self->v0, &e));
	EXPECT_EQ(two, get_events(self->v0).nmi.pending);
	e.nmi.pending = 0;
	EXPECT_EQ(0, set_events(self->v0, &e));
	EXPECT_EQ(0, get_events(self->v0).nmi.pending);
	/* NMIs masked: one pending at most. */
	e.nmi.masked = 1;
	e.flags = 0;
	EXPECT_EQ(0, set_events(self->v0, &e));
	EXPECT_EQ(0, ioctl(self->v0, KVM_NMI));
	EXPECT_EQ(0, ioctl(self->v0, KVM_NMI));
	e = get_events(self->v0);
	EXPECT_EQ(1, e.nmi.pending);
	EXPECT_EQ(1, e.nmi.masked);
}

TEST_F(ev, set_errnos)
{
	int smm = has_smm(self->vm);
	struct kvm_vcpu_events e;

	memset(&e, 0, sizeof(e));
	e.flags = 0x40;
	EXPECT_EQ(EINVAL, set_events(self->v0, &e));
	e.flags = KVM_VCPUEVENT_VALID_PAYLOAD;
	EXPECT_EQ(EINVAL, set_events(self->v0, &e));
	e.flags = KVM_VCPUEVENT_VALID_TRIPLE_FAULT;
	EXPECT_EQ(EINVAL, set_events(self->v0, &e));
	e.flags = 0;
	e.exception.injected = 1;
	e.exception.nr = 32;
	EXPECT_EQ(EINVAL, set_events(self->v0, &e));
	e.exception.nr = 2;
	EXPECT_EQ(EINVAL, set_events(self->v0, &e));
	e.exception.nr = 31;
	EXPECT_EQ(0, set_events(self->v0, &e));
	/* Neither injected nor pending: nr is not checked, and kept. */
	e.exception.injected = 0;
	e.exception.nr = 200;
	EXPECT_EQ(0, set_events(self->v0, &e));
	EXPECT_EQ(200, get_events(self->v0).exception.nr);
	/* KVM ABI: smm or pending is EINVAL only on a host without SMM. */
	memset(&e, 0, sizeof(e));
	e.flags = KVM_VCPUEVENT_VALID_SMM;
	e.smi.smm = 1;
	EXPECT_EQ(smm ? 0 : EINVAL, set_events(self->v0, &e));
	EXPECT_EQ(smm, get_events(self->v0).smi.smm);
	e.smi.smm = 0;
	e.smi.pending = 1;
	EXPECT_EQ(smm ? 0 : EINVAL, set_events(self->v0, &e));
	EXPECT_EQ(smm, get_events(self->v0).smi.pending);
	e.smi.pending = 0;
	EXPECT_EQ(0, set_events(self->v0, &e));
	EXPECT_EQ(0, get_events(self->v0).smi.pending);
}

/*
 * KVM ABI: KVM_SMI queues an SMI; a host built without SMM does not know
 * the ioctl (ENOTTY observed on the oracle host, not the EINVAL of x86.md).
 */
TEST_F(ev, kvm_smi)
{
	int smm = has_smm(self->vm);

	EXPECT_EQ(smm ? 0 : ENOTTY, kvmirq_errno(ioctl(self->v0, KVM_SMI)));
	EXPECT_EQ(smm, get_events(self->v0).smi.pending);
	EXPECT_EQ(0, get_events(self->v1).smi.pending);
	EXPECT_EQ(0x0d, get_events(self->v0).flags);
}

TEST_F(ev, round_trip)
{
	__u8 sti = x86_shadow_readback(x86_backend(self->dev), KVM_X86_SHADOW_INT_STI);
	struct kvm_vcpu_events e, got;

	memset(&e, 0, sizeof(e));
	e.exception.injected = 1;
	e.exception.nr = 14;
	e.exception.has_error_code = 1;
	e.exception.error_code = 0x1234;
	e.interrupt.injected = 1;
	e.interrupt.nr = 0x41;
	e.nmi.injected = 1;
	e.nmi.masked = 1;
	e.interrupt.shadow = KVM_X86_SHADOW_INT_STI;
	e.flags = KVM_VCPUEVENT_VALID_SHADOW;
	EXPECT_EQ(0, set_events(self->v0, &e));
	got = get_events(self->v0);
	EXPECT_EQ(1, got.exception.injected);
	EXPECT_EQ(14, got.exception.nr);
	EXPECT_EQ(1, got.exception.has_error_code);
	EXPECT_EQ(0x1234, got.exception.error_code);
	EXPECT_EQ(1, got.interrupt.injected);
	EXPECT_EQ(0x41, got.interrupt.nr);
	EXPECT_EQ(0, got.interrupt.soft);
	EXPECT_EQ(sti, got.interrupt.shadow);
	EXPECT_EQ(1, got.nmi.injected);
	EXPECT_EQ(1, got.nmi.masked);
	EXPECT_EQ(0, got.sipi_vector);
	/* Without VALID_SHADOW the shadow is kept; the rest is written. */
	memset(&e, 0, sizeof(e));
	EXPECT_EQ(0, set_events(self->v0, &e));
	got = get_events(self->v0);
	EXPECT_EQ(0, got.exception.injected);
	EXPECT_EQ(0, got.interrupt.injected);
	EXPECT_EQ(0, got.interrupt.nr);
	EXPECT_EQ(sti, got.interrupt.shadow);
	EXPECT_EQ(0, got.nmi.injected);
	EXPECT_EQ(0, got.nmi.masked);
	/* KVM ABI: soft exceptions and soft interrupts read as not injected. */
	e.exception.injected = 1;
	e.exception.nr = 3;
	e.interrupt.injected = 1;
	e.interrupt.soft = 1;
	e.interrupt.nr = 0x80;
	EXPECT_EQ(0, set_events(self->v0, &e));
	got = get_events(self->v0);
	EXPECT_EQ(0, got.exception.injected);
	EXPECT_EQ(3, got.exception.nr);
	EXPECT_EQ(0, got.interrupt.injected);
	EXPECT_EQ(0x80, got.interrupt.nr);
	EXPECT_EQ(0, got.interrupt.soft);
	/* Without VALID_PAYLOAD a pending exception is dropped. */
	memset(&e, 0, sizeof(e));
	e.exception.pending = 1;
	e.exception.nr = 6;
	e.exception_has_payload = 1;
	e.exception_payload = 5;
	EXPECT_EQ(0, set_events(self->v0, &e));
	got = get_events(self->v0);
	EXPECT_EQ(0, got.exception.injected);
	EXPECT_EQ(0, got.exception.pending);
	EXPECT_EQ(0, got.exception_has_payload);
	/* KVM ABI: the payload itself is written regardless. */
	EXPECT_EQ(5, got.exception_payload);
}

TEST_F(ev, exception_payload_cap)
{
	struct kvm_vcpu_events e, got;

	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_EXCEPTION_PAYLOAD, 1));
	EXPECT_EQ(0x1d, get_events(self->v0).flags);
	memset(&e, 0, sizeof(e));
	e.flags = KVM_VCPUEVENT_VALID_PAYLOAD;
	e.exception.pending = 1;
	e.exception.injected = 1;
	e.exception.nr = 14;
	e.exception_has_payload = 1;
	e.exception_payload = 0xdead000;
	EXPECT_EQ(0, set_events(self->v0, &e));
	got = get_events(self->v0);
	/* pending wins over injected */
	EXPECT_EQ(0, got.exception.injected);
	EXPECT_EQ(1, got.exception.pending);
	EXPECT_EQ(1, got.exception_has_payload);
	EXPECT_EQ(0xdead000, got.exception_payload);
	/* injected without pending: has_payload is dropped */
	e.exception.pending = 0;
	EXPECT_EQ(0, set_events(self->v0, &e));
	got = get_events(self->v0);
	EXPECT_EQ(1, got.exception.injected);
	EXPECT_EQ(0, got.exception.pending);
	EXPECT_EQ(0, got.exception_has_payload);
	e.exception.nr = 2;
	EXPECT_EQ(EINVAL, set_events(self->v0, &e));
	/* The cap can be switched off again: a pending payload is delivered. */
	e.exception.nr = 14;
	e.exception.pending = 1;
	EXPECT_EQ(0, set_events(self->v0, &e));
	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_EXCEPTION_PAYLOAD, 0));
	got = get_events(self->v0);
	EXPECT_EQ(0x0d, got.flags);
	EXPECT_EQ(1, got.exception.injected);
	EXPECT_EQ(1, got.exception.pending);
	EXPECT_EQ(0, got.exception_has_payload);
	EXPECT_EQ(0, got.exception_payload);
	EXPECT_EQ(EINVAL, set_events(self->v0, &e));
}

TEST_F(ev, triple_fault_cap)
{
	struct kvm_vcpu_events e;

	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_X86_TRIPLE_FAULT_EVENT, 1));
	e = get_events(self->v0);
	EXPECT_EQ(0x2d, e.flags);
	EXPECT_EQ(0, e.triple_fault.pending);
	memset(&e, 0, sizeof(e));
	e.flags = KVM_VCPUEVENT_VALID_TRIPLE_FAULT;
	e.triple_fault.pending = 1;
	EXPECT_EQ(0, set_events(self->v0, &e));
	EXPECT_EQ(1, get_events(self->v0).triple_fault.pending);
	/* Not gated: the pending fault stays without VALID_TRIPLE_FAULT. */
	e.flags = 0;
	EXPECT_EQ(0, set_events(self->v0, &e));
	EXPECT_EQ(1, get_events(self->v0).triple_fault.pending);
	e.flags = KVM_VCPUEVENT_VALID_TRIPLE_FAULT;
	e.triple_fault.pending = 0;
	EXPECT_EQ(0, set_events(self->v0, &e));
	EXPECT_EQ(0, get_events(self->v0).triple_fault.pending);
}

TEST_F(ev, kvm_interrupt)
{
	struct kvm_interrupt irq = { .irq = 256 };
	struct kvm_vcpu_events e;

	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->v0, KVM_INTERRUPT, &irq)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->v0, KVM_INTERRUPT, NULL)));
	irq.irq = 0x20;
	EXPECT_EQ(0, ioctl(self->v0, KVM_INTERRUPT, &irq));
	e = get_events(self->v0);
	if (variant->split) {
		/* KVM ABI: a pending ExtINT, not an injected interrupt. */
		EXPECT_EQ(0, e.interrupt.injected);
		irq.irq = 0x21;
		EXPECT_EQ(EEXIST, kvmirq_errno(ioctl(self->v0, KVM_INTERRUPT, &irq)));
		/* An INIT does not drop it. */
		EXPECT_EQ(1, msi_phys(self->vm, 0, DM_INIT));
		EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v0));
		EXPECT_EQ(EEXIST, kvmirq_errno(ioctl(self->v0, KVM_INTERRUPT, &irq)));
	} else {
		EXPECT_EQ(1, e.interrupt.injected);
		EXPECT_EQ(0x20, e.interrupt.nr);
		irq.irq = 0x21;
		EXPECT_EQ(0, ioctl(self->v0, KVM_INTERRUPT, &irq));
		EXPECT_EQ(0x21, get_events(self->v0).interrupt.nr);
	}
}

TEST_F(ev, mp_state_set)
{
	static const int ok[] = { 0, 1, 2, 3, 4, 9 };
	static const int bad[] = { 5, 6, 7, 8, 10, 11, 1000 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ok); i++)
		EXPECT_EQ(variant->split || !ok[i] ? 0 : -EINVAL,
			  set_mp_state(self->v1, ok[i])) TH_LOG("state %d", ok[i]);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(-EINVAL, set_mp_state(self->v1, bad[i]))
			TH_LOG("state %d", bad[i]);
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->v1, KVM_SET_MP_STATE, NULL)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->v1, KVM_GET_MP_STATE, NULL)));
}

FIXTURE(mp) {
	int dev;
	int kvmirq;
	int vm;
	int v0;
	int v1;
};

FIXTURE_SETUP(mp)
{
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = x86_split_vm(self->dev);
	ASSERT_GE(self->vm, 0);
	two_vcpus(_metadata, self->vm, &self->v0, &self->v1, 1);
}

FIXTURE_TEARDOWN(mp)
{
	CLOSE_FDS(self->v0, self->v1, self->vm, self->dev);
}

TEST_F(mp, init_sipi)
{
	EXPECT_EQ(KVM_MP_STATE_UNINITIALIZED, get_mp_state(self->v1));
	/* A SIPI outside wait-for-SIPI is accepted, then dropped. */
	EXPECT_EQ(1, msi_phys(self->vm, 1, DM_SIPI | 0x9a));
	EXPECT_EQ(KVM_MP_STATE_UNINITIALIZED, get_mp_state(self->v1));
	EXPECT_EQ(1, msi_phys(self->vm, 1, DM_INIT));
	EXPECT_EQ(1, get_events(self->v1).smi.latched_init);
	EXPECT_EQ(KVM_MP_STATE_INIT_RECEIVED, get_mp_state(self->v1));
	EXPECT_EQ(0, get_events(self->v1).smi.latched_init);
	EXPECT_EQ(1, msi_phys(self->vm, 1, DM_SIPI | 0x9a));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v1));
	/* INIT then SIPI before one GET: both, in order. */
	EXPECT_EQ(1, msi_phys(self->vm, 1, DM_INIT));
	EXPECT_EQ(1, msi_phys(self->vm, 1, DM_SIPI | 0x10));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v1));
	/* SIPI then INIT: the INIT replaces the SIPI. */
	EXPECT_EQ(1, msi_phys(self->vm, 1, DM_SIPI | 0x10));
	EXPECT_EQ(1, msi_phys(self->vm, 1, DM_INIT));
	EXPECT_EQ(KVM_MP_STATE_INIT_RECEIVED, get_mp_state(self->v1));
	/* An MSI is always asserted: a level-triggered INIT is taken. */
	EXPECT_EQ(1, msi_phys(self->vm, 1, DM_INIT | MSI_LEVEL));
	EXPECT_EQ(KVM_MP_STATE_INIT_RECEIVED, get_mp_state(self->v1));
	/* The boot vcpu goes straight to runnable. */
	EXPECT_EQ(1, msi_phys(self->vm, 0, DM_INIT));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v0));
}

/* INIT resets the LAPIC (keeping ID and APIC base) and the event queues. */
TEST_F(mp, init_resets)
{
	struct kvm_lapic_state s;
	struct kvm_vcpu_events e;
	__u64 base;

	s = get_lapic(self->v1);
	lapic_set(&s, APIC_ID, 9 << 24);
	lapic_set(&s, APIC_LDR, 0x10 << 24);
	lapic_set(&s, APIC_TASKPRI, 0x30);
	lapic_set(&s, APIC_LVT1, 0x400);
	lapic_set_vec(&s, APIC_ISR, 0x80);
	ASSERT_EQ(0, set_lapic(self->v1, &s));
	EXPECT_EQ(1, msi_phys(self->vm, 9, 0x55));
	EXPECT_EQ(0, ioctl(self->v1, KVM_NMI));
	memset(&e, 0, sizeof(e));
	e.exception.injected = 1;
	e.exception.nr = 13;
	e.interrupt.injected = 1;
	e.interrupt.nr = 0x33;
	e.interrupt.shadow = KVM_X86_SHADOW_INT_MOV_SS;
	e.nmi.masked = 1;
	e.nmi.injected = 1;
	e.flags = KVM_VCPUEVENT_VALID_SHADOW;
	ASSERT_EQ(0, ioctl(self->v1, KVM_SET_VCPU_EVENTS, &e));
	EXPECT_EQ(1, msi_phys(self->vm, 9, DM_INIT));
	EXPECT_EQ(KVM_MP_STATE_INIT_RECEIVED, get_mp_state(self->v1));
	s = get_lapic(self->v1);
	EXPECT_EQ(9u << 24, lapic_reg(&s, APIC_ID));
	EXPECT_EQ(0, lapic_reg(&s, APIC_LDR));
	EXPECT_EQ(0, lapic_reg(&s, APIC_TASKPRI));
	EXPECT_EQ(0, lapic_reg(&s, APIC_PROCPRI));
	EXPECT_EQ(0xff, lapic_reg(&s, APIC_SPIV));
	EXPECT_EQ(0x10000, lapic_reg(&s, APIC_LVT1));
	EXPECT_EQ(0x10000, lapic_reg(&s, APIC_LVT0));
	EXPECT_EQ(0, lapic_vec(&s, APIC_ISR, 0x80));
	EXPECT_EQ(0, lapic_vec(&s, APIC_IRR, 0x55));
	EXPECT_EQ(1, get_msr(self->v1, APIC_BASE_MSR, &base));
	EXPECT_EQ(0xfee00800, base);
	e = get_events(self->v1);
	EXPECT_EQ(0, e.nmi.pending);
	EXPECT_EQ(0, e.exception.injected);
	EXPECT_EQ(13, e.exception.nr);
	EXPECT_EQ(0, e.interrupt.injected);
	EXPECT_EQ(0x33, e.interrupt.nr);
	/*
	 * KVM ABI: VMX clears the interrupt shadow and NMI blocking at INIT;
	 * SVM keeps both (its INIT reset leaves the VMCB's interrupt state
	 * and, since its NMI mask moved out of hflags, 6.12 and 6.18, that
	 * alone), so they read as before.
	 */
	if (x86_backend(self->dev) == X86_BACKEND_SVM) {
		EXPECT_EQ(x86_shadow_readback(X86_BACKEND_SVM, KVM_X86_SHADOW_INT_MOV_SS),
			  e.interrupt.shadow);
		EXPECT_EQ(kvm_release(self->dev) > 601, e.nmi.masked);
	} else {
		EXPECT_EQ(0, e.interrupt.shadow);
		EXPECT_EQ(0, e.nmi.masked);
	}
	EXPECT_EQ(0, e.nmi.injected);
	/* The boot vcpu's LINT0 comes back as ExtINT. */
	EXPECT_EQ(1, msi_phys(self->vm, 0, DM_INIT));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v0));
	s = get_lapic(self->v0);
	EXPECT_EQ(0x700, lapic_reg(&s, APIC_LVT0));
}

TEST_F(mp, sipi_received_and_latched_init)
{
	struct kvm_vcpu_events e;

	/* SIPI_RECEIVED is INIT_RECEIVED plus a SIPI with the last vector. */
	memset(&e, 0, sizeof(e));
	e.flags = KVM_VCPUEVENT_VALID_SIPI_VECTOR;
	e.sipi_vector = 0x12;
	ASSERT_EQ(0, ioctl(self->v1, KVM_SET_VCPU_EVENTS, &e));
	EXPECT_EQ(0, get_events(self->v1).sipi_vector);
	EXPECT_EQ(0, set_mp_state(self->v1, KVM_MP_STATE_SIPI_RECEIVED));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v1));
	/* latched_init through VALID_SMM sets and clears the pending INIT. */
	e.flags = KVM_VCPUEVENT_VALID_SMM;
	e.smi.latched_init = 1;
	ASSERT_EQ(0, ioctl(self->v1, KVM_SET_VCPU_EVENTS, &e));
	EXPECT_EQ(1, get_events(self->v1).smi.latched_init);
	e.smi.latched_init = 0;
	ASSERT_EQ(0, ioctl(self->v1, KVM_SET_VCPU_EVENTS, &e));
	EXPECT_EQ(0, get_events(self->v1).smi.latched_init);
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v1));
	e.smi.latched_init = 1;
	ASSERT_EQ(0, ioctl(self->v1, KVM_SET_VCPU_EVENTS, &e));
	EXPECT_EQ(KVM_MP_STATE_INIT_RECEIVED, get_mp_state(self->v1));
	/* VALID_SMM with smm while INIT_RECEIVED: EINVAL. */
	e.smi.latched_init = 0;
	e.smi.smm = 1;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->v1, KVM_SET_VCPU_EVENTS, &e)));
}

TEST_F(mp, halted_pv_unhalt)
{
	EXPECT_EQ(0, set_mp_state(self->v1, KVM_MP_STATE_HALTED));
	/* A fixed interrupt or an NMI does not wake it without KVM_RUN. */
	EXPECT_EQ(1, msi_phys(self->vm, 1, 0x60));
	EXPECT_EQ(1, msi_phys(self->vm, 1, DM_NMI));
	EXPECT_EQ(KVM_MP_STATE_HALTED, get_mp_state(self->v1));
	/* Delivery mode 3 (pv unhalt) makes it read runnable. */
	EXPECT_EQ(1, msi_phys(self->vm, 1, DM_REMRD));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v1));
	EXPECT_EQ(0, set_mp_state(self->v1, KVM_MP_STATE_AP_RESET_HOLD));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v1));
	/*
	 * KVM ABI: setting runnable clears the pv unhalt (6.18); 6.1 and 6.12
	 * clear it only when the vcpu runs, so HALTED still reads runnable.
	 */
	EXPECT_EQ(0, set_mp_state(self->v1, KVM_MP_STATE_RUNNABLE));
	EXPECT_EQ(0, set_mp_state(self->v1, KVM_MP_STATE_HALTED));
	EXPECT_EQ(kvm_release(self->dev) > 612 ? KVM_MP_STATE_HALTED : KVM_MP_STATE_RUNNABLE,
		  get_mp_state(self->v1));
}

TEST_HARNESS_MAIN
