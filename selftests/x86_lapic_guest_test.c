// SPDX-License-Identifier: GPL-2.0
/*
 * The guest side of the LAPIC (kvmirq only): register access through MMIO
 * and x2APIC MSRs, the CPU's interrupt acknowledge, EOI and IPIs.
 */
#include "x86_lapic.h"

#define NRV	4

FIXTURE(guest) {
	int dev;
	int kvmirq;
	int vm;
	int v[NRV];
};

FIXTURE_SETUP(guest)
{
	int i;

	KVMIRQ_OPEN_OR_SKIP();
	KVMIRQ_ONLY();
	self->vm = x86_split_vm(self->dev);
	ASSERT_GE(self->vm, 0);
	for (i = 0; i < NRV; i++) {
		self->v[i] = ioctl(self->vm, KVM_CREATE_VCPU, i);
		ASSERT_GE(self->v[i], 0);
	}
}

FIXTURE_TEARDOWN(guest)
{
	close_fds(self->v, NRV);
	CLOSE_FDS(self->vm, self->dev);
}

TEST_F(guest, actions_cap)
{
	long a = ioctl(self->vm, KVM_CHECK_EXTENSION, KVMIRQ_CAP_GUEST_ACTIONS);
	long want = KVMIRQ_ACTION_LAPIC_MMIO | KVMIRQ_ACTION_LAPIC_MSR |
		    KVMIRQ_ACTION_CPU_ACK | KVMIRQ_ACTION_LAPIC_EOI;

	EXPECT_EQ(want, a & want);
}

TEST_F(guest, mmio_reads)
{
	__u64 v = 0;

	EXPECT_EQ(2u << 24, lapic_read(self->v[2], APIC_ID));
	EXPECT_EQ(0x00050014, lapic_read(self->v[2], APIC_LVR));
	EXPECT_EQ(0xffffffff, lapic_read(self->v[2], APIC_DFR));
	EXPECT_EQ(0xff, lapic_read(self->v[2], APIC_SPIV));
	EXPECT_EQ(0x700, lapic_read(self->v[0], APIC_LVT0));
	EXPECT_EQ(0x10000, lapic_read(self->v[1], APIC_LVT0));
	/* Unreadable registers and the arbitration priority read 0. */
	EXPECT_EQ(0, lapic_read(self->v[0], APIC_EOI));
	EXPECT_EQ(0, lapic_read(self->v[0], APIC_ARBPRI));
	EXPECT_EQ(0, lapic_read(self->v[0], 0x10));
	/* Byte and word reads inside a register; across it: 0. */
	EXPECT_EQ(0, guest_io(self->v[2], KVMIRQ_SPACE_MMIO, LAPIC_BASE + APIC_ID + 3, 1, 0, &v));
	EXPECT_EQ(2, v);
	EXPECT_EQ(0, guest_io(self->v[0], KVMIRQ_SPACE_MMIO, LAPIC_BASE + APIC_LVR, 2, 0, &v));
	EXPECT_EQ(0x14, v);
	EXPECT_EQ(0, guest_io(self->v[0], KVMIRQ_SPACE_MMIO, LAPIC_BASE + APIC_LVR + 2, 4, 0, &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, guest_io(self->v[0], KVMIRQ_SPACE_MMIO, LAPIC_BASE + APIC_LVR, 8, 0, &v));
	EXPECT_EQ(0, v);
	/* Outside the page, or on the VM fd: nobody claims it. */
	EXPECT_EQ(ENXIO, guest_io(self->v[0], KVMIRQ_SPACE_MMIO, LAPIC_BASE + 0x1000, 4, 0, &v));
	EXPECT_EQ(ENXIO, guest_io(self->v[0], KVMIRQ_SPACE_MMIO, LAPIC_BASE - 4, 4, 0, &v));
	EXPECT_EQ(ENXIO, guest_io(self->vm, KVMIRQ_SPACE_MMIO, LAPIC_BASE + APIC_ID, 4, 0, &v));
	EXPECT_EQ(ENXIO, guest_io(self->v[0], KVMIRQ_SPACE_PIO, 0x20, 1, 0, &v));
}

TEST_F(guest, mmio_base_and_disable)
{
	__u64 v = 0;

	ASSERT_EQ(1, set_msr(self->v[1], APIC_BASE_MSR, 0xfed00800));
	EXPECT_EQ(ENXIO, guest_io(self->v[1], KVMIRQ_SPACE_MMIO, LAPIC_BASE + APIC_ID, 4, 0, &v));
	EXPECT_EQ(0, guest_io(self->v[1], KVMIRQ_SPACE_MMIO, 0xfed00020, 4, 0, &v));
	EXPECT_EQ(1u << 24, v);
	ASSERT_EQ(1, set_msr(self->v[1], APIC_BASE_MSR, 0xfed00000));
	EXPECT_EQ(ENXIO, guest_io(self->v[1], KVMIRQ_SPACE_MMIO, 0xfed00020, 4, 0, &v));
	/* The guest's own WRMSR re-enables it. */
	EXPECT_EQ(0, guest_wrmsr(self->v[1], APIC_BASE_MSR, 0xfee00800));
	EXPECT_EQ(0xfee00800, guest_rdmsr(self->v[1], APIC_BASE_MSR));
	EXPECT_EQ(1u << 24, lapic_read(self->v[1], APIC_ID));
	/* Reserved bits: #GP. */
	EXPECT_EQ(EIO, guest_wrmsr(self->v[1], APIC_BASE_MSR, 0xfee00801));
	EXPECT_EQ(ENXIO, guest_wrmsr(self->v[1], 0x10, 0));
}

TEST_F(guest, mmio_writes)
{
	__u64 v = 0x1f;

	EXPECT_EQ(0, lapic_write(self->v[1], APIC_ID, 0x12345678));
	EXPECT_EQ(0x12000000, lapic_read(self->v[1], APIC_ID));
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_LDR, 0x12345678));
	EXPECT_EQ(0x12000000, lapic_read(self->v[1], APIC_LDR));
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_DFR, 0));
	EXPECT_EQ(0x0fffffff, lapic_read(self->v[1], APIC_DFR));
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_TASKPRI, 0x1ff));
	EXPECT_EQ(0xff, lapic_read(self->v[1], APIC_TASKPRI));
	EXPECT_EQ(0xff, lapic_read(self->v[1], APIC_PROCPRI));
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_TDCR, 0xff));
	EXPECT_EQ(0xb, lapic_read(self->v[1], APIC_TDCR));
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_ICR2, 0x12345678));
	EXPECT_EQ(0x12000000, lapic_read(self->v[1], APIC_ICR2));
	/* While software-disabled, LVT writes stay masked. */
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_LVT1, 0x4ff));
	EXPECT_EQ(0x104ff, lapic_read(self->v[1], APIC_LVT1));
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_SPIV, 0xffff));
	EXPECT_EQ(0x3ff, lapic_read(self->v[1], APIC_SPIV));
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_LVT1, 0xffffffff));
	EXPECT_EQ(0x1f7ff, lapic_read(self->v[1], APIC_LVT1));
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_LVTT, 0xffffffff));
	EXPECT_EQ(0x110ff, lapic_read(self->v[1], APIC_LVTT));
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_LVTERR, 0x42));
	EXPECT_EQ(0x42, lapic_read(self->v[1], APIC_LVTERR));
	/* Clearing the enable bit masks every LVT. */
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_SPIV, 0xff));
	EXPECT_EQ(0x10042, lapic_read(self->v[1], APIC_LVTERR));
	/* Writes other than aligned 32-bit ones are dropped. */
	EXPECT_EQ(0, guest_io(self->v[1], KVMIRQ_SPACE_MMIO, LAPIC_BASE + APIC_TASKPRI, 1, 1, &v));
	EXPECT_EQ(0xff, lapic_read(self->v[1], APIC_TASKPRI));
	v = 0;
	EXPECT_EQ(0, guest_io(self->v[1], KVMIRQ_SPACE_MMIO, LAPIC_BASE + APIC_TASKPRI, 8, 1, &v));
	EXPECT_EQ(0xff, lapic_read(self->v[1], APIC_TASKPRI));
	/* Read-only registers ignore writes. */
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_LVR, 0));
	EXPECT_EQ(0x00050014, lapic_read(self->v[1], APIC_LVR));
}

TEST_F(guest, ack_priority)
{
	ASSERT_EQ(0, lapic_enable(self->v[1]));
	EXPECT_EQ(0, cpu_ack(self->v[1]));
	EXPECT_EQ(1, msi_phys(self->vm, 1, 0x41));
	/* An AP waiting for INIT takes nothing. */
	EXPECT_EQ(0, cpu_ack(self->v[1]));
	ASSERT_EQ(0, set_mp_state(self->v[1], KVM_MP_STATE_RUNNABLE));
	EXPECT_EQ(1, msi_phys(self->vm, 1, 0x52));
	EXPECT_EQ(1, msi_phys(self->vm, 1, 0x53));
	/* The highest IRR vector first; its class masks the others. */
	EXPECT_EQ(ACKED_LAPIC(0x53), cpu_ack(self->v[1]));
	EXPECT_EQ(0x50, lapic_read(self->v[1], APIC_PROCPRI));
	EXPECT_EQ(0, cpu_ack(self->v[1]));
	EXPECT_EQ(0, cpu_eoi(self->v[1]));
	EXPECT_EQ(0, lapic_read(self->v[1], APIC_PROCPRI));
	/* TPR blocks its class and below. */
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_TASKPRI, 0x52));
	EXPECT_EQ(0, cpu_ack(self->v[1]));
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_TASKPRI, 0x4f));
	EXPECT_EQ(ACKED_LAPIC(0x52), cpu_ack(self->v[1]));
	/* A higher class preempts the one in service. */
	EXPECT_EQ(1, msi_phys(self->vm, 1, 0x90));
	EXPECT_EQ(ACKED_LAPIC(0x90), cpu_ack(self->v[1]));
	EXPECT_EQ(0x90, lapic_read(self->v[1], APIC_PROCPRI));
	EXPECT_EQ(0, cpu_eoi(self->v[1]));
	EXPECT_EQ(0x50, lapic_read(self->v[1], APIC_PROCPRI));
	EXPECT_EQ(0, cpu_eoi(self->v[1]));
	EXPECT_EQ(0x4f, lapic_read(self->v[1], APIC_PROCPRI));
	EXPECT_EQ(0, cpu_ack(self->v[1]));
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_TASKPRI, 0));
	EXPECT_EQ(ACKED_LAPIC(0x41), cpu_ack(self->v[1]));
	EXPECT_EQ(0, cpu_eoi(self->v[1]));
	EXPECT_EQ(0, cpu_eoi(self->v[1]));	/* nothing in service: no effect */
	EXPECT_EQ(0, cpu_ack(self->v[1]));
	/* The EOI register write does the same. */
	EXPECT_EQ(1, msi_phys(self->vm, 1, 0x66));
	EXPECT_EQ(ACKED_LAPIC(0x66), cpu_ack(self->v[1]));
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_EOI, 0));
	EXPECT_EQ(0, lapic_read(self->v[1], APIC_ISR + 0x30));
}

TEST_F(guest, ack_order)
{
	struct kvm_interrupt irq = { .irq = 0x28 };
	struct kvm_vcpu_events e;

	ASSERT_EQ(0, lapic_enable(self->v[0]));
	EXPECT_EQ(1, msi_phys(self->vm, 0, 0xe0));
	ASSERT_EQ(0, ioctl(self->v[0], KVM_INTERRUPT, &irq));
	EXPECT_EQ(0, ioctl(self->v[0], KVM_NMI));
	EXPECT_EQ(0, ioctl(self->v[0], KVM_NMI));
	/* NMI, then ExtINT (LINT0 of the boot vcpu), then the IRR. */
	EXPECT_EQ(KVMIRQ_ACK_NMI << 8, cpu_ack(self->v[0]));
	e = get_events(self->v[0]);
	EXPECT_EQ(1, e.nmi.masked);
	EXPECT_EQ(1, e.nmi.pending);
	EXPECT_EQ(KVMIRQ_ACK_PIC << 8 | 0x28, cpu_ack(self->v[0]));
	EXPECT_EQ(ACKED_LAPIC(0xe0), cpu_ack(self->v[0]));
	EXPECT_EQ(0, cpu_ack(self->v[0]));
	/* The IRET: NMIs unblocked, the second one is taken. */
	memset(&e, 0, sizeof(e));
	e.flags = 0;
	ASSERT_EQ(0, ioctl(self->v[0], KVM_SET_VCPU_EVENTS, &e));
	EXPECT_EQ(KVMIRQ_ACK_NMI << 8, cpu_ack(self->v[0]));
	/* LINT0 masked: the ExtINT waits. */
	irq.irq = 0x29;
	ASSERT_EQ(0, ioctl(self->v[0], KVM_INTERRUPT, &irq));
	EXPECT_EQ(0, lapic_write(self->v[0], APIC_LVT0, 0x10700));
	EXPECT_EQ(0, cpu_ack(self->v[0]));
	EXPECT_EQ(0, lapic_write(self->v[0], APIC_LVT0, 0x700));
	EXPECT_EQ(KVMIRQ_ACK_PIC << 8 | 0x29, cpu_ack(self->v[0]));
}

TEST_F(guest, ack_init_sipi)
{
	EXPECT_EQ(0, cpu_ack(self->v[2]));	/* waiting for INIT */
	EXPECT_EQ(1, msi_phys(self->vm, 2, DM_INIT));
	EXPECT_EQ(KVMIRQ_ACK_INIT << 8, cpu_ack(self->v[2]));
	EXPECT_EQ(KVM_MP_STATE_INIT_RECEIVED, get_mp_state(self->v[2]));
	EXPECT_EQ(1, msi_phys(self->vm, 2, DM_SIPI | 0x9a));
	EXPECT_EQ(KVMIRQ_ACK_SIPI << 8 | 0x9a, cpu_ack(self->v[2]));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v[2]));
	/* A halted CPU wakes for an interrupt it takes. */
	EXPECT_EQ(0, set_mp_state(self->v[2], KVM_MP_STATE_HALTED));
	EXPECT_EQ(1, msi_phys(self->vm, 2, DM_NMI));
	EXPECT_EQ(KVMIRQ_ACK_NMI << 8, cpu_ack(self->v[2]));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v[2]));
}

TEST_F(guest, ipi)
{
	int i;

	for (i = 0; i < NRV; i++)
		ASSERT_EQ(0, lapic_setup(self->v[i], 0x1ff, 1u << (24 + i),
					 0xffffffff));
	/* Fixed, physical: ICR2 then ICR. */
	EXPECT_EQ(0, lapic_write(self->v[0], APIC_ICR2, 2u << 24));
	EXPECT_EQ(0, lapic_write(self->v[0], APIC_ICR, 0x1031));
	EXPECT_EQ(0x31, lapic_read(self->v[0], APIC_ICR));	/* busy bit cleared */
	EXPECT_EQ(1, irr_count(self->v[2], 0x31));
	EXPECT_EQ(0, irr_count(self->v[1], 0x31));
	/* Logical flat 0x0a: vcpus 1 and 3. */
	EXPECT_EQ(0, lapic_write(self->v[0], APIC_ICR2, 0x0a << 24));
	EXPECT_EQ(0, lapic_write(self->v[0], APIC_ICR, 0x832));
	EXPECT_EQ(1, irr_count(self->v[1], 0x32));
	EXPECT_EQ(1, irr_count(self->v[3], 0x32));
	EXPECT_EQ(0, irr_count(self->v[2], 0x32));
	/* Shorthands: self, all including self, all but self. */
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_ICR, 0x40033));
	EXPECT_EQ(1, irr_count(self->v[1], 0x33));
	EXPECT_EQ(0, irr_count(self->v[0], 0x33));
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_ICR, 0x80034));
	for (i = 0; i < NRV; i++)
		EXPECT_EQ(1, irr_count(self->v[i], 0x34));
	EXPECT_EQ(0, lapic_write(self->v[1], APIC_ICR, 0xc0035));
	for (i = 0; i < NRV; i++)
		EXPECT_EQ(i != 1, irr_count(self->v[i], 0x35));
	/* NMI IPI, then INIT and SIPI to an AP. */
	EXPECT_EQ(0, lapic_write(self->v[0], APIC_ICR2, 3u << 24));
	EXPECT_EQ(0, lapic_write(self->v[0], APIC_ICR, 0x400));
	EXPECT_EQ(1, get_events(self->v[3]).nmi.pending);
	EXPECT_EQ(0, lapic_write(self->v[0], APIC_ICR, 0x4500));
	EXPECT_EQ(KVM_MP_STATE_INIT_RECEIVED, get_mp_state(self->v[3]));
	EXPECT_EQ(0, lapic_write(self->v[0], APIC_ICR, 0x4612));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v[3]));
	/* INIT level de-assert (level, not asserted) is not accepted. */
	EXPECT_EQ(0, lapic_write(self->v[0], APIC_ICR, 0x8500));
	EXPECT_EQ(0, get_events(self->v[3]).smi.latched_init);
	/* Lowest priority IPI to flat 0x0f: hashed like an MSI. */
	EXPECT_EQ(0, lapic_write(self->v[0], APIC_ICR2, 0x0f << 24));
	EXPECT_EQ(0, lapic_write(self->v[0], APIC_ICR, 0x946));
	EXPECT_EQ(1, irr_count(self->v[2], 0x46));
	EXPECT_EQ(0, irr_count(self->v[1], 0x46));
}

TEST_F(guest, x2apic)
{
	struct kvm_lapic_state s;
	__u64 v = 0;

	ASSERT_EQ(0, lapic_enable(self->v[0]));
	ASSERT_EQ(0, lapic_enable(self->v[3]));
	ASSERT_EQ(0, set_mp_state(self->v[3], KVM_MP_STATE_RUNNABLE));
	/* xAPIC: the x2APIC MSRs fault. */
	EXPECT_EQ(EIO, guest_io(self->v[3], KVMIRQ_SPACE_MSR, 0x802, 8, 0, &v));
	/* The guest may not go from disabled straight to x2APIC. */
	ASSERT_EQ(1, set_msr(self->v[3], APIC_BASE_MSR, 0xfee00000));
	EXPECT_EQ(EIO, guest_wrmsr(self->v[3], APIC_BASE_MSR, 0xfee00c00));
	EXPECT_EQ(0, guest_wrmsr(self->v[3], APIC_BASE_MSR, 0xfee00800));
	ASSERT_EQ(0, lapic_enable(self->v[3]));
	EXPECT_EQ(0, guest_wrmsr(self->v[3], APIC_BASE_MSR, 0xfee00c00));
	EXPECT_EQ(3, guest_rdmsr(self->v[3], 0x802));
	EXPECT_EQ(0x8, guest_rdmsr(self->v[3], 0x80d));
	EXPECT_EQ(ENXIO, guest_io(self->v[3], KVMIRQ_SPACE_MMIO, LAPIC_BASE + APIC_ID, 4, 0, &v));
	EXPECT_EQ(EIO, guest_wrmsr(self->v[3], 0x802, 5));	/* ID read-only */
	EXPECT_EQ(EIO, guest_wrmsr(self->v[3], 0x80e, 0));	/* no DFR */
	EXPECT_EQ(EIO, guest_wrmsr(self->v[3], 0x808, 1ULL << 32));
	/* GET_LAPIC shows the id in xAPIC format; SET cannot change it. */
	s = get_lapic(self->v[3]);
	EXPECT_EQ(3u << 24, lapic_reg(&s, APIC_ID));
	EXPECT_EQ(0x8, lapic_reg(&s, APIC_LDR));
	lapic_set(&s, APIC_ID, 9 << 24);
	lapic_set(&s, APIC_LDR, 0);
	ASSERT_EQ(0, set_lapic(self->v[3], &s));
	EXPECT_EQ(3, guest_rdmsr(self->v[3], 0x802));
	EXPECT_EQ(0x8, guest_rdmsr(self->v[3], 0x80d));
	/* An MSI to 0xff reaches it as a broadcast (the quirk). */
	EXPECT_EQ(2, msi_phys(self->vm, 0xff, 0x40));
	EXPECT_EQ(1, irr_count(self->v[3], 0x40));
	EXPECT_EQ(1, msi_phys(self->vm, 3, 0x41));
	EXPECT_EQ(1, irr_count(self->v[3], 0x41));
	/* IPI through the 64-bit ICR: physical to x2APIC id 0. */
	EXPECT_EQ(0, guest_wrmsr(self->v[3], 0x830, 0x42));
	EXPECT_EQ(0x42, guest_rdmsr(self->v[3], 0x830));
	EXPECT_EQ(1, irr_count(self->v[0], 0x42));
	/* Self IPI. */
	EXPECT_EQ(0, guest_wrmsr(self->v[3], 0x83f, 0x43));
	EXPECT_EQ(1, irr_count(self->v[3], 0x43));
	/* x2APIC logical: cluster 0, bit 3. */
	EXPECT_EQ(0, guest_wrmsr(self->v[3], 0x830, 0x8ULL << 32 | 0x844));
	EXPECT_EQ(1, irr_count(self->v[3], 0x44));
	/* Acknowledge and EOI through the MSRs. */
	EXPECT_EQ(ACKED_LAPIC(0x44), cpu_ack(self->v[3]));
	EXPECT_EQ(0x40, guest_rdmsr(self->v[3], 0x80a));
	EXPECT_EQ(0, guest_wrmsr(self->v[3], 0x80b, 0));
	EXPECT_EQ(0, guest_rdmsr(self->v[3], 0x80a));
	/* The guest may not return to xAPIC directly; the host may. */
	EXPECT_EQ(EIO, guest_wrmsr(self->v[3], APIC_BASE_MSR, 0xfee00800));
	ASSERT_EQ(1, set_msr(self->v[3], APIC_BASE_MSR, 0xfee00800));
	EXPECT_EQ(3u << 24, lapic_read(self->v[3], APIC_ID));
}

TEST_F(guest, x2apic_32bit_ids)
{
	struct kvm_lapic_state s;

	ASSERT_EQ(0, x86_enable_cap(self->vm, KVM_CAP_X2APIC_API,
				    KVM_X2APIC_API_USE_32BIT_IDS |
				    KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK));
	ASSERT_EQ(0, lapic_enable(self->v[2]));
	ASSERT_EQ(1, set_msr(self->v[2], APIC_BASE_MSR, 0xfee00c00));
	s = get_lapic(self->v[2]);
	EXPECT_EQ(2, lapic_reg(&s, APIC_ID));
	ASSERT_EQ(0, set_lapic(self->v[2], &s));
	lapic_set(&s, APIC_ID, 2 << 24);
	EXPECT_EQ(EINVAL, kvmirq_errno(set_lapic(self->v[2], &s)));
	/* No broadcast quirk: 0xff is not a broadcast to an x2APIC. */
	EXPECT_EQ(0, msi_phys(self->vm, 0xff, 0x40));
	EXPECT_EQ(0, irr_count(self->v[2], 0x40));
	EXPECT_EQ(1, signal_msi(self->vm, msi_addr(2, 0, 0), 0, 0x41, 0));
	EXPECT_EQ(1, irr_count(self->v[2], 0x41));
}

TEST_F(guest, eoi_checks)
{
	struct kvmirq_eoi e = { .vector = 1 };
	struct kvmirq_ack a = { .flags = 1 };

	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->v[0], KVMIRQ_GUEST_EOI, &e)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->v[0], KVMIRQ_GUEST_ACK, &a)));
}

/* Without an in-kernel irqchip: no LAPIC, KVM_INTERRUPT is the source. */
TEST(no_irqchip)
{
	struct kvm_interrupt irq = { .irq = 0x30 };
	struct kvmirq_ack a = { 0 };
	struct kvmirq_eoi e = { 0 };
	int dev = kvmirq_open(), vm, vcpu;
	__u64 v = 0;

	if (dev < 0 || !kvmirq_is_kvmirq(dev))
		SKIP(return, "kvmirq only");
	vm = x86_vm(dev);
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	EXPECT_EQ(ENXIO, guest_io(vcpu, KVMIRQ_SPACE_MMIO, LAPIC_BASE, 4, 0, &v));
	EXPECT_EQ(ENXIO, guest_io(vcpu, KVMIRQ_SPACE_MSR, APIC_BASE_MSR, 8, 0, &v));
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(vcpu, KVMIRQ_GUEST_EOI, &e)));
	ASSERT_EQ(0, ioctl(vcpu, KVM_INTERRUPT, &irq));
	ASSERT_EQ(0, ioctl(vcpu, KVM_NMI));
	ASSERT_EQ(0, ioctl(vcpu, KVMIRQ_GUEST_ACK, &a));
	EXPECT_EQ(KVMIRQ_ACK_NMI, a.source);
	ASSERT_EQ(0, ioctl(vcpu, KVMIRQ_GUEST_ACK, &a));
	EXPECT_EQ(KVMIRQ_ACK_PIC, a.source);
	EXPECT_EQ(0x30, a.vector);
	EXPECT_EQ(0, get_events(vcpu).interrupt.injected);
	ASSERT_EQ(0, ioctl(vcpu, KVMIRQ_GUEST_ACK, &a));
	EXPECT_EQ(KVMIRQ_ACK_NONE, a.source);
	/* The VM fd's acknowledge is the PIC's (issue 3). */
	close(vcpu);
	close(vm);
	close(dev);
}

TEST_HARNESS_MAIN
