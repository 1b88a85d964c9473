// SPDX-License-Identifier: GPL-2.0
/*
 * SMM and SMI as an SMM-capable KVM host (Linux 6.1 on VMX/SVM) handles
 * them: KVM_SMI, SMI messages, the smi.* fields of the vcpu events, the MP
 * state rules in SMM.  These run against /dev/kvm only where the host
 * answers KVM_CAP_X86_SMM (the oracle host does not: they skip there); the
 * guest-side acknowledge tests are kvmirq only.
 */
#include "x86_irqchip.h"
#include "x86_lapic.h"

FIXTURE(smm) {
	int dev;
	int kvmirq;
	int vm;
	int v0;
	int v1;
};

FIXTURE_SETUP(smm)
{
	self->v0 = -1;
	self->v1 = -1;
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = x86_split_vm(self->dev);
	ASSERT_GE(self->vm, 0);
	if (!has_smm(self->vm))
		KVMIRQ_SKIP("KVM_CAP_X86_SMM is 0: a host without SMM");
	two_vcpus(_metadata, self->vm, &self->v0, &self->v1, 1);
	ASSERT_EQ(0, set_mp_state(self->v1, KVM_MP_STATE_RUNNABLE));
}

FIXTURE_TEARDOWN(smm)
{
	CLOSE_FDS(self->v0, self->v1, self->vm, self->dev);
}

/* SET_VCPU_EVENTS(VALID_SMM) with these smi fields, the rest zero. */
static int set_smi(int vcpu, int smm, int pending, int inside_nmi,
		   int latched_init)
{
	struct kvm_vcpu_events e;

	memset(&e, 0, sizeof(e));
	e.flags = KVM_VCPUEVENT_VALID_SMM;
	e.smi.smm = smm;
	e.smi.pending = pending;
	e.smi.smm_inside_nmi = inside_nmi;
	e.smi.latched_init = latched_init;
	return set_events(vcpu, &e);
}

/* smm, pending, smm_inside_nmi, latched_init as four hex digits */
static int smi_state(int vcpu)
{
	struct kvm_vcpu_events e = get_events(vcpu);

	return e.smi.smm << 12 | e.smi.pending << 8 |
	       e.smi.smm_inside_nmi << 4 | e.smi.latched_init;
}

TEST_F(smm, cap_and_kvm_smi)
{
	struct kvm_vcpu_events e;

	EXPECT_EQ(1, ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_X86_SMM));
	EXPECT_EQ(0, smi_state(self->v0));
	EXPECT_EQ(0, ioctl(self->v0, KVM_SMI));
	EXPECT_EQ(0, ioctl(self->v0, KVM_SMI));
	e = get_events(self->v0);
	EXPECT_EQ(1, e.smi.pending);
	EXPECT_EQ(0, e.smi.smm);
	EXPECT_EQ(0x0d, e.flags);
	/* A SET without VALID_SMM keeps it, with VALID_SMM it is replaced. */
	memset(&e, 0, sizeof(e));
	EXPECT_EQ(0, set_events(self->v0, &e));
	EXPECT_EQ(0x0100, smi_state(self->v0));
	EXPECT_EQ(0, set_smi(self->v0, 0, 0, 0, 0));
	EXPECT_EQ(0, smi_state(self->v0));
	EXPECT_EQ(0, smi_state(self->v1));
}

/* KVM ABI: SMI is taken regardless of SVR and counts 1 per LAPIC. */
TEST_F(smm, smi_messages)
{
	ASSERT_EQ(0, lapic_setup(self->v1, 0xff, 0, 0xffffffff));
	EXPECT_EQ(1, msi_phys(self->vm, 1, DM_SMI));
	EXPECT_EQ(0x0100, smi_state(self->v1));
	EXPECT_EQ(0, smi_state(self->v0));
	EXPECT_EQ(2, msi_phys(self->vm, 0xff, DM_SMI | MSI_LEVEL));
	EXPECT_EQ(0x0100, smi_state(self->v0));
	/* No IRR bit for the vector of an SMI message. */
	EXPECT_EQ(1, msi_phys(self->vm, 0, DM_SMI | 0x44));
	EXPECT_EQ(0, irr_count(self->v0, 0x44));
}

TEST_F(smm, set_smm_round_trip)
{
	EXPECT_EQ(0, set_smi(self->v0, 1, 1, 1, 0));
	EXPECT_EQ(0x1110, smi_state(self->v0));
	/* Leaving SMM forgets "inside NMI", whatever the struct says. */
	EXPECT_EQ(0, set_smi(self->v0, 0, 0, 1, 0));
	EXPECT_EQ(0, smi_state(self->v0));
	/* smm_inside_nmi is only taken together with smm. */
	EXPECT_EQ(0, set_smi(self->v0, 1, 0, 0, 0));
	EXPECT_EQ(0x1000, smi_state(self->v0));
	EXPECT_EQ(0, set_smi(self->v0, 1, 0, 1, 0));
	EXPECT_EQ(0x1010, smi_state(self->v0));
	EXPECT_EQ(0, set_smi(self->v0, 1, 1, 0, 0));
	EXPECT_EQ(0x1100, smi_state(self->v0));
	/* In SMM a further SMI stays pending. */
	EXPECT_EQ(1, msi_phys(self->vm, 0, DM_SMI));
	EXPECT_EQ(0x1100, smi_state(self->v0));
	EXPECT_EQ(0, set_smi(self->v0, 0, 0, 0, 0));
	EXPECT_EQ(0, smi_state(self->v0));
}

/* KVM ABI: smm or pending while INIT_RECEIVED is EINVAL, nothing written. */
TEST_F(smm, set_events_init_received)
{
	struct kvm_vcpu_events e;

	ASSERT_EQ(0, set_mp_state(self->v1, KVM_MP_STATE_INIT_RECEIVED));
	EXPECT_EQ(EINVAL, set_smi(self->v1, 1, 0, 0, 0));
	EXPECT_EQ(EINVAL, set_smi(self->v1, 0, 1, 0, 0));
	memset(&e, 0, sizeof(e));
	e.flags = KVM_VCPUEVENT_VALID_SMM | KVM_VCPUEVENT_VALID_NMI_PENDING;
	e.nmi.pending = 1;
	e.smi.pending = 1;
	EXPECT_EQ(EINVAL, set_events(self->v1, &e));
	EXPECT_EQ(0, get_events(self->v1).nmi.pending);
	/* smm_inside_nmi and latched_init alone are accepted. */
	EXPECT_EQ(0, set_smi(self->v1, 0, 0, 1, 1));
	EXPECT_EQ(0x0001, smi_state(self->v1));
	EXPECT_EQ(KVM_MP_STATE_INIT_RECEIVED, get_mp_state(self->v1));
	EXPECT_EQ(0, smi_state(self->v1));
}

TEST_F(smm, mp_state_in_smm)
{
	EXPECT_EQ(0, set_smi(self->v1, 1, 0, 0, 0));
	EXPECT_EQ(-EINVAL, set_mp_state(self->v1, KVM_MP_STATE_INIT_RECEIVED));
	EXPECT_EQ(-EINVAL, set_mp_state(self->v1, KVM_MP_STATE_SIPI_RECEIVED));
	EXPECT_EQ(0, set_mp_state(self->v1, KVM_MP_STATE_HALTED));
	EXPECT_EQ(0, set_mp_state(self->v1, KVM_MP_STATE_UNINITIALIZED));
	EXPECT_EQ(0, set_mp_state(self->v1, KVM_MP_STATE_AP_RESET_HOLD));
	EXPECT_EQ(0, set_mp_state(self->v1, KVM_MP_STATE_RUNNABLE));
	/* An SMI pending outside SMM blocks them too. */
	EXPECT_EQ(0, set_smi(self->v1, 0, 1, 0, 0));
	EXPECT_EQ(-EINVAL, set_mp_state(self->v1, KVM_MP_STATE_INIT_RECEIVED));
	EXPECT_EQ(-EINVAL, set_mp_state(self->v1, KVM_MP_STATE_SIPI_RECEIVED));
	EXPECT_EQ(0, set_smi(self->v1, 0, 0, 0, 0));
	EXPECT_EQ(0, set_mp_state(self->v1, KVM_MP_STATE_INIT_RECEIVED));
	/* EINVAL for an invalid state comes first. */
	EXPECT_EQ(0, set_mp_state(self->v0, KVM_MP_STATE_RUNNABLE));
	EXPECT_EQ(0, set_smi(self->v0, 1, 0, 0, 0));
	EXPECT_EQ(-EINVAL, set_mp_state(self->v0, 5));
}

/* KVM ABI: an SMI request not yet folded does not block INIT_RECEIVED. */
TEST_F(smm, mp_state_unfolded_smi)
{
	EXPECT_EQ(0, ioctl(self->v1, KVM_SMI));
	EXPECT_EQ(0, set_mp_state(self->v1, KVM_MP_STATE_INIT_RECEIVED));
	/* Once GET folded it, INIT_RECEIVED is refused. */
	EXPECT_EQ(0x0100, smi_state(self->v1));
	EXPECT_EQ(-EINVAL, set_mp_state(self->v1, KVM_MP_STATE_INIT_RECEIVED));
}

/* INIT stays latched in SMM; a SIPI is discarded; leaving SMM runs it. */
TEST_F(smm, init_latched_in_smm)
{
	struct kvm_vcpu_events e;

	EXPECT_EQ(0, set_smi(self->v1, 1, 0, 0, 0));
	EXPECT_EQ(1, msi_phys(self->vm, 1, DM_INIT));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v1));
	EXPECT_EQ(0x1001, smi_state(self->v1));
	EXPECT_EQ(1, msi_phys(self->vm, 1, DM_SIPI | 0x20));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v1));
	EXPECT_EQ(0x1001, smi_state(self->v1));
	/* Leave SMM keeping the INIT: it is processed at the next GET. */
	e = get_events(self->v1);
	e.smi.smm = 0;
	e.flags = KVM_VCPUEVENT_VALID_SMM;
	EXPECT_EQ(0, set_events(self->v1, &e));
	EXPECT_EQ(0x0001, smi_state(self->v1));
	EXPECT_EQ(KVM_MP_STATE_INIT_RECEIVED, get_mp_state(self->v1));
	EXPECT_EQ(0, smi_state(self->v1));
}

/* KVM ABI: the INIT reset drops a pending SMI (kvm_vcpu_reset). */
TEST_F(smm, init_clears_pending_smi)
{
	EXPECT_EQ(0, set_smi(self->v1, 0, 1, 0, 1));
	EXPECT_EQ(0x0101, smi_state(self->v1));
	EXPECT_EQ(KVM_MP_STATE_INIT_RECEIVED, get_mp_state(self->v1));
	EXPECT_EQ(0, smi_state(self->v1));
}

#define SMI		ACKED(KVMIRQ_ACK_SMI, 0)
#define NMI		ACKED(KVMIRQ_ACK_NMI, 0)

/* Leave SMM as an RSM would, unmasking NMIs when they were not blocked. */
static int leave_smm(int vcpu)
{
	struct kvm_vcpu_events e = get_events(vcpu);

	if (!e.smi.smm_inside_nmi)
		e.nmi.masked = 0;
	e.smi.smm = 0;
	e.flags = KVM_VCPUEVENT_VALID_SMM;
	return set_events(vcpu, &e);
}

/* The CPU takes an SMI before an NMI and an interrupt. */
TEST_F(smm, ack_order)
{
	struct kvm_vcpu_events e;

	KVMIRQ_ONLY();
	EXPECT_EQ(1, msi_phys(self->vm, 0, 0x40));
	EXPECT_EQ(0, ioctl(self->v0, KVM_NMI));
	EXPECT_EQ(0, ioctl(self->v0, KVM_SMI));
	EXPECT_EQ(SMI, cpu_ack(self->v0));
	e = get_events(self->v0);
	EXPECT_EQ(0x1000, smi_state(self->v0));
	EXPECT_EQ(1, e.nmi.masked);
	EXPECT_EQ(1, e.nmi.pending);
	/* In SMM: NMIs blocked, INTR masked; another SMI waits. */
	EXPECT_EQ(0, cpu_ack(self->v0));
	EXPECT_EQ(0, ioctl(self->v0, KVM_SMI));
	EXPECT_EQ(0, cpu_ack(self->v0));
	EXPECT_EQ(0x1100, smi_state(self->v0));
	EXPECT_EQ(1, irr_count(self->v0, 0x40));
	/* Out of SMM the latched SMI is taken at once, then NMI, then INTR. */
	EXPECT_EQ(0, leave_smm(self->v0));
	EXPECT_EQ(SMI, cpu_ack(self->v0));
	EXPECT_EQ(0, leave_smm(self->v0));
	EXPECT_EQ(NMI, cpu_ack(self->v0));
	EXPECT_EQ(ACKED_LAPIC(0x40), cpu_ack(self->v0));
	EXPECT_EQ(0, cpu_ack(self->v0));
	EXPECT_EQ(0, smi_state(self->v0));
}

/* An SMI taken with NMIs blocked records smm_inside_nmi. */
TEST_F(smm, ack_inside_nmi)
{
	struct kvm_vcpu_events e;

	KVMIRQ_ONLY();
	EXPECT_EQ(0, ioctl(self->v0, KVM_NMI));
	EXPECT_EQ(NMI, cpu_ack(self->v0));
	EXPECT_EQ(1, msi_phys(self->vm, 0, DM_SMI));
	EXPECT_EQ(SMI, cpu_ack(self->v0));
	EXPECT_EQ(0x1010, smi_state(self->v0));
	/* An IRET inside SMM (nmi.masked = 0 by SET) lets an NMI in. */
	EXPECT_EQ(0, ioctl(self->v0, KVM_NMI));
	EXPECT_EQ(0, cpu_ack(self->v0));
	e = get_events(self->v0);
	e.nmi.masked = 0;
	e.flags = 0;
	EXPECT_EQ(0, set_events(self->v0, &e));
	EXPECT_EQ(NMI, cpu_ack(self->v0));
	EXPECT_EQ(0, leave_smm(self->v0));
	EXPECT_EQ(0, smi_state(self->v0));
	EXPECT_EQ(1, get_events(self->v0).nmi.masked);
}

/* A halted CPU wakes for the SMI; an ICR SMI IPI and KVM_SMI both reach it. */
TEST_F(smm, ack_halted_and_ipi)
{
	KVMIRQ_ONLY();
	ASSERT_EQ(0, set_mp_state(self->v1, KVM_MP_STATE_HALTED));
	ASSERT_EQ(0, lapic_write(self->v0, APIC_ICR2, 1u << 24));
	ASSERT_EQ(0, lapic_write(self->v0, APIC_ICR, DM_SMI));
	EXPECT_EQ(0x0100, smi_state(self->v1));
	EXPECT_EQ(0, smi_state(self->v0));
	EXPECT_EQ(KVM_MP_STATE_HALTED, get_mp_state(self->v1));
	EXPECT_EQ(SMI, cpu_ack(self->v1));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v1));
}

/* A CPU waiting for SIPI takes no SMI; INIT beats a pending SMI. */
TEST_F(smm, ack_wait_for_sipi)
{
	KVMIRQ_ONLY();
	EXPECT_EQ(1, msi_phys(self->vm, 1, DM_INIT));
	EXPECT_EQ(1, msi_phys(self->vm, 1, DM_SMI));
	EXPECT_EQ(KVMIRQ_ACK_INIT << 8, cpu_ack(self->v1));
	EXPECT_EQ(0, smi_state(self->v1));
	EXPECT_EQ(KVM_MP_STATE_INIT_RECEIVED, get_mp_state(self->v1));
	EXPECT_EQ(0, ioctl(self->v1, KVM_SMI));
	EXPECT_EQ(0, cpu_ack(self->v1));
	EXPECT_EQ(0x0100, smi_state(self->v1));
}

/* An IOAPIC pin in SMI mode: counts 1, the vector is ignored. */
TEST(ioapic_smi)
{
	struct kvm_vcpu_events e;
	struct kvm_ioapic_state s;
	int dev = kvmirq_open(), vm, vcpu;

	if (dev < 0)
		KVMIRQ_SKIP("%s: %s", kvmirq_dev_path(), strerror(errno));
	vm = irqchip_vm(dev);
	ASSERT_GE(vm, 0);
	if (!has_smm(vm))
		KVMIRQ_SKIP("KVM_CAP_X86_SMM is 0: a host without SMM");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	/* Puts the vcpu in KVM's APIC map (see x86_msi_test.c). */
	ASSERT_EQ(0, lapic_setup(vcpu, 0x1ff, 0, 0xffffffff));
	s = get_ioapic(vm);
	s.redirtbl[17].bits = DM_SMI | 0x45;	/* edge, physical, dest 0 */
	s.redirtbl[18].bits = DM_SMI | RTE_LEVEL | 0x46;
	ASSERT_EQ(0, set_ioapic(vm, &s));
	EXPECT_EQ(1, irq_line(vm, 17, 1));
	EXPECT_EQ(1, get_events(vcpu).smi.pending);
	EXPECT_EQ(0, irr_count(vcpu, 0x45));
	memset(&e, 0, sizeof(e));
	e.flags = KVM_VCPUEVENT_VALID_SMM;
	ASSERT_EQ(0, ioctl(vcpu, KVM_SET_VCPU_EVENTS, &e));
	EXPECT_EQ(0, get_events(vcpu).smi.pending);
	EXPECT_EQ(1, irq_line(vm, 18, 1));
	EXPECT_EQ(1, get_events(vcpu).smi.pending);
	close(vcpu);
	close(vm);
	close(dev);
}

/* Without an in-kernel irqchip: SMI, then NMI, then KVM_INTERRUPT. */
TEST(no_irqchip)
{
	struct kvm_interrupt irq = { .irq = 0x30 };
	int dev = kvmirq_open(), vm, vcpu;

	if (dev < 0 || !kvmirq_is_kvmirq(dev))
		KVMIRQ_SKIP("kvmirq extension, not in KVM");
	vm = x86_vm(dev);
	ASSERT_GE(vm, 0);
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	ASSERT_EQ(0, ioctl(vcpu, KVM_INTERRUPT, &irq));
	ASSERT_EQ(0, ioctl(vcpu, KVM_NMI));
	ASSERT_EQ(0, ioctl(vcpu, KVM_SMI));
	EXPECT_EQ(SMI, cpu_ack(vcpu));
	EXPECT_EQ(0, cpu_ack(vcpu));
	EXPECT_EQ(0, leave_smm(vcpu));
	EXPECT_EQ(NMI, cpu_ack(vcpu));
	EXPECT_EQ(KVMIRQ_ACK_PIC << 8 | 0x30, cpu_ack(vcpu));
	close(vcpu);
	close(vm);
	close(dev);
}

TEST_HARNESS_MAIN
