// SPDX-License-Identifier: GPL-2.0
/*
 * The IOAPIC and the LAPICs together: every delivery mode of a redirection
 * entry, physical and logical destinations over 8 vcpus, level lines with
 * remote IRR over several vcpus, the RTC (pin 8) coalescing rule against
 * real LAPIC state, KVM_INTERRUPT with the in-kernel irqchip, the PIC's
 * ExtINT through LINT0 and KVM_SET_BOOT_CPU_ID.  What plain KVM ioctls show
 * (KVM_IRQ_LINE_STATUS, IRR/TMR, vcpu events, MP state, remote IRR) runs on
 * /dev/kvm as well; acknowledges and EOIs are kvmirq's guest side.
 */
#include "x86_smp.h"

#define NV		8

FIXTURE(dlv) {
	int dev;
	int kvmirq;
	int vm;
	int v[NV];
};

/* Raises and lowers an edge line; returns the raise's status. */
static int pulse(int vm, unsigned int gsi)
{
	int r = irq_line(vm, gsi, 1);

	irq_line(vm, gsi, 0);
	return r;
}

/* Which vcpus have @vec in the register array at @base, as a mask. */
static unsigned int who(int *v, int n, int base, int vec)
{
	unsigned int m = 0;
	int i;

	for (i = 0; i < n; i++) {
		struct kvm_lapic_state s = get_lapic(v[i]);

		if (lapic_vec(&s, base, vec))
			m |= 1u << i;
	}
	return m;
}

static void clear_all(int *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		lapic_clear_vectors(v[i]);
}

static __u64 msr(int vcpu, __u32 index)
{
	__u64 v;

	return get_msr(vcpu, index, &v) == 1 ? v : ~0ULL;
}

/* Only GSI 8, to IOAPIC pin 8 alone: the status is the IOAPIC's. */
static int rtc_only_route(int vm)
{
	struct kvm_irq_routing_entry e = irqchip_route(8, KVM_IRQCHIP_IOAPIC, 8);

	return set_routing(vm, &e, 1);
}

FIXTURE_SETUP(dlv)
{
	KVMIRQ_OPEN_OR_SKIP();
	smp_vm_create(_metadata, self->dev, &self->vm, self->v, NV);
}

FIXTURE_TEARDOWN(dlv)
{
	close_fds(self->v, NV);
	CLOSE_FDS(self->vm, self->dev);
}

/* Physical destination 0-7 reaches exactly that vcpu; 0xff reaches all. */
TEST_F(dlv, physical_each_vcpu)
{
	int i;

	for (i = 0; i < NV; i++) {
		clear_all(self->v, NV);
		ASSERT_EQ(0, set_rte(self->vm, 16, RTE_DEST(i) | 0x60));
		EXPECT_EQ(1, pulse(self->vm, 16));
		EXPECT_EQ(1u << i, who(self->v, NV, APIC_IRR, 0x60));
		EXPECT_EQ(0u, who(self->v, NV, APIC_TMR, 0x60));
	}
	clear_all(self->v, NV);
	ASSERT_EQ(0, set_rte(self->vm, 16, RTE_DEST(0xff) | 0x61));
	EXPECT_EQ(NV, pulse(self->vm, 16));
	EXPECT_EQ(0xffu, who(self->v, NV, APIC_IRR, 0x61));
	/* KVM ABI: nobody with id 9 is 0 (the map's answer), not -1. */
	ASSERT_EQ(0, set_rte(self->vm, 16, RTE_DEST(9) | 0x62));
	EXPECT_EQ(0, pulse(self->vm, 16));
	EXPECT_EQ(0u, who(self->v, NV, APIC_IRR, 0x62));
}

/* Flat logical masks reach the vcpus whose LDR bit is in the mask. */
TEST_F(dlv, logical_flat_masks)
{
	static const unsigned int masks[] = { 0x01, 0x80, 0x81, 0x5a, 0xff, 0x3c };
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(masks); k++) {
		clear_all(self->v, NV);
		ASSERT_EQ(0, set_rte(self->vm, 17, RTE_LOGICAL |
				     RTE_DEST(masks[k]) | 0x63));
		EXPECT_EQ(__builtin_popcount(masks[k]), pulse(self->vm, 17));
		EXPECT_EQ(masks[k], who(self->v, NV, APIC_IRR, 0x63));
	}
}

/* Lowest priority to a logical set: exactly one vcpu of the set. */
TEST_F(dlv, lowest_priority_one_target)
{
	static const unsigned int masks[] = { 0xff, 0x0f, 0xa0, 0x02 };
	unsigned int k, got;
	int vec;

	for (k = 0; k < ARRAY_SIZE(masks); k++) {
		for (vec = 0x70; vec < 0x78; vec++) {
			clear_all(self->v, NV);
			ASSERT_EQ(0, set_rte(self->vm, 18, RTE_LOGICAL | DM_LOWEST |
					     RTE_DEST(masks[k]) | vec));
			EXPECT_EQ(1, pulse(self->vm, 18));
			got = who(self->v, NV, APIC_IRR, vec);
			EXPECT_EQ(1, __builtin_popcount(got));
			EXPECT_EQ(got, got & masks[k]);
		}
	}
}

/* NMI mode: the target's vcpu events show a pending NMI, nothing in IRR. */
TEST_F(dlv, nmi_mode)
{
	struct kvm_vcpu_events e;
	int i;

	ASSERT_EQ(0, set_rte(self->vm, 19, DM_NMI | RTE_DEST(2) | 0x64));
	EXPECT_EQ(1, pulse(self->vm, 19));
	for (i = 0; i < NV; i++) {
		e = get_events(self->v[i]);
		EXPECT_EQ(i == 2, e.nmi.pending);
	}
	EXPECT_EQ(0u, who(self->v, NV, APIC_IRR, 0x64));
	/* Logical NMI to three vcpus. */
	ASSERT_EQ(0, set_rte(self->vm, 19, RTE_LOGICAL | DM_NMI |
			     RTE_DEST(0x70) | 0x64));
	EXPECT_EQ(3, pulse(self->vm, 19));
	for (i = 4; i < 7; i++)
		EXPECT_EQ(1, get_events(self->v[i]).nmi.pending);
}

/*
 * SMI mode: an SMM-capable host (kvmirq, as Linux 6.1 on VMX/SVM) takes it
 * and the vcpu shows a pending SMI; a host without SMM (this machine's KVM)
 * refuses it with status 0.
 */
TEST_F(dlv, smi_mode)
{
	int smm = has_smm(self->vm);

	ASSERT_EQ(0, set_rte(self->vm, 19, DM_SMI | RTE_DEST(5)));
	EXPECT_EQ(smm, pulse(self->vm, 19));
	EXPECT_EQ(smm, get_events(self->v[5]).smi.pending);
	/* Only the destination. */
	EXPECT_EQ(0, get_events(self->v[4]).smi.pending);
}

/* ExtINT in a redirection entry is never accepted by a LAPIC. */
TEST_F(dlv, extint_mode)
{
	ASSERT_EQ(0, set_rte(self->vm, 20, DM_EXTINT | RTE_DEST(1) | 0x65));
	EXPECT_EQ(0, pulse(self->vm, 20));
	EXPECT_EQ(0u, who(self->v, NV, APIC_IRR, 0x65));
	/* Level ExtINT: nobody accepted, so no remote IRR. */
	ASSERT_EQ(0, set_rte(self->vm, 20, RTE_LEVEL | DM_EXTINT | RTE_DEST(1) |
			     0x65));
	EXPECT_EQ(0, irq_line(self->vm, 20, 1));
	EXPECT_EQ(0ULL, get_rte(self->vm, 20) & RTE_REMOTE_IRR);
	irq_line(self->vm, 20, 0);
}

/* INIT then SIPI through the IOAPIC: MP state of an AP and of the BSP. */
TEST_F(dlv, init_sipi_mode)
{
	struct kvm_lapic_state s;
	int i;

	ASSERT_EQ(0, set_rte(self->vm, 21, DM_INIT | RTE_DEST(3)));
	EXPECT_EQ(1, pulse(self->vm, 21));
	for (i = 0; i < NV; i++)
		EXPECT_EQ(i == 3 ? KVM_MP_STATE_INIT_RECEIVED :
				   KVM_MP_STATE_RUNNABLE,
			  get_mp_state(self->v[i]));
	ASSERT_EQ(0, set_rte(self->vm, 21, DM_SIPI | RTE_DEST(3) | 0x9a));
	EXPECT_EQ(1, pulse(self->vm, 21));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v[3]));
	/* INIT to the boot vcpu leaves it runnable. */
	ASSERT_EQ(0, set_rte(self->vm, 21, DM_INIT | RTE_DEST(0)));
	EXPECT_EQ(1, pulse(self->vm, 21));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, get_mp_state(self->v[0]));
	/* INIT reset the AP's LAPIC: software-disabled, logical id gone. */
	s = get_lapic(self->v[3]);
	EXPECT_EQ(0xffu, lapic_reg(&s, APIC_SPIV));
	EXPECT_EQ(0u, lapic_reg(&s, APIC_LDR));
}

/*
 * A level line to four vcpus: IRR and TMR on each, remote IRR on the pin;
 * re-raising while remote IRR is set delivers nothing.
 */
TEST_F(dlv, level_remote_irr_multi)
{
	ASSERT_EQ(0, set_rte(self->vm, 22, RTE_LEVEL | RTE_LOGICAL |
			     RTE_DEST(0x0f) | 0x80));
	EXPECT_EQ(4, irq_line(self->vm, 22, 1));
	EXPECT_EQ(0x0fu, who(self->v, NV, APIC_IRR, 0x80));
	EXPECT_EQ(0x0fu, who(self->v, NV, APIC_TMR, 0x80));
	EXPECT_EQ(RTE_REMOTE_IRR, get_rte(self->vm, 22) & RTE_REMOTE_IRR);
	EXPECT_EQ(1, irq_line(self->vm, 22, 0));
	clear_all(self->v, NV);
	EXPECT_EQ(-1, irq_line(self->vm, 22, 1));
	EXPECT_EQ(0u, who(self->v, NV, APIC_IRR, 0x80));
	EXPECT_EQ(1, irq_line(self->vm, 22, 0));
}

/* The first level EOI from any target clears remote IRR and re-delivers. */
TEST_F(dlv, level_eoi_across_vcpus)
{
	struct kvmirq_ack a;
	int i;

	KVMIRQ_ONLY();
	ASSERT_EQ(0, set_rte(self->vm, 22, RTE_LEVEL | RTE_LOGICAL |
			     RTE_DEST(0x0f) | 0x80));
	EXPECT_EQ(4, irq_line(self->vm, 22, 1));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, guest_ack(self->v[i], &a));
		EXPECT_EQ(0x80, a.vector);
	}
	/* vcpu 2 ends it first: the line is high, all four get it again. */
	ASSERT_EQ(0, cpu_eoi(self->v[2]));
	EXPECT_EQ(RTE_REMOTE_IRR, get_rte(self->vm, 22) & RTE_REMOTE_IRR);
	EXPECT_EQ(0x0fu, who(self->v, NV, APIC_IRR, 0x80));
	EXPECT_EQ(0x0bu, who(self->v, NV, APIC_ISR, 0x80));
	/* Lowered: the next EOI clears remote IRR for good. */
	EXPECT_EQ(1, irq_line(self->vm, 22, 0));
	ASSERT_EQ(0, cpu_eoi(self->v[0]));
	EXPECT_EQ(0ULL, get_rte(self->vm, 22) & RTE_REMOTE_IRR);
	ASSERT_EQ(0, cpu_eoi(self->v[1]));
	ASSERT_EQ(0, cpu_eoi(self->v[3]));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, guest_ack(self->v[i], &a));
		EXPECT_EQ(KVMIRQ_ACK_LAPIC, a.source);
		EXPECT_EQ(0x80, a.vector);
		ASSERT_EQ(0, cpu_eoi(self->v[i]));
	}
	EXPECT_EQ(0ULL, get_rte(self->vm, 22) & RTE_REMOTE_IRR);
	EXPECT_EQ(0u, who(self->v, NV, APIC_IRR, 0x80) |
		      who(self->v, NV, APIC_ISR, 0x80));
}

/*
 * KVM ABI: SVR bit 12 (directed EOI), which only KVM_SET_LAPIC can set with
 * the in-kernel IOAPIC, suppresses the level EOI broadcast: remote IRR stays
 * set until the entry is rewritten (KVM's kvm_ioapic_update_eoi_one()).
 */
TEST_F(dlv, directed_eoi_keeps_remote_irr)
{
	/* SVR with and without the bit: remote IRR after the round trip. */
	static const struct { __u32 svr; __u64 remote_irr; } c[] = {
		{ 0x11ff, RTE_REMOTE_IRR }, { 0x1ff, 0 },
	};
	struct kvmirq_ack a;
	unsigned int i;

	KVMIRQ_ONLY();
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, lapic_setup(self->v[1], c[i].svr, 1u << 25, 0xffffffff));
		ASSERT_EQ(0, set_rte(self->vm, 21, RTE_LEVEL | RTE_DEST(1) | 0x90));
		EXPECT_EQ(1, irq_line(self->vm, 21, 1));
		EXPECT_EQ(1, irq_line(self->vm, 21, 0));
		ASSERT_EQ(0, guest_ack(self->v[1], &a));
		EXPECT_EQ(0x90, a.vector);
		ASSERT_EQ(0, cpu_eoi(self->v[1]));
		EXPECT_EQ(c[i].remote_irr, get_rte(self->vm, 21) & RTE_REMOTE_IRR)
			TH_LOG("SVR %#x", c[i].svr);
	}
}

/*
 * RTC pin 8: while a LAPIC it reached holds the vector in IRR or ISR, a
 * KVM_IRQ_LINE_STATUS assertion is coalesced (0).  KVM recounts from the
 * LAPICs on KVM_SET_LAPIC and on KVM_SET_IRQCHIP.
 */
TEST_F(dlv, rtc_coalescing_follows_lapic)
{
	ASSERT_EQ(0, rtc_only_route(self->vm));
	ASSERT_EQ(0, set_rte(self->vm, 8, RTE_DEST(1) | 0x38));
	EXPECT_EQ(1, irq_line(self->vm, 8, 1));
	EXPECT_EQ(1, irq_line(self->vm, 8, 0));
	EXPECT_EQ(0, irq_line(self->vm, 8, 1));		/* coalesced */
	EXPECT_EQ(1, irq_line(self->vm, 8, 0));
	/* Clearing another vcpu changes nothing. */
	ASSERT_EQ(0, lapic_clear_vectors(self->v[0]));
	EXPECT_EQ(0, pulse(self->vm, 8));
	/* The target's IRR cleared by KVM_SET_LAPIC: delivered again. */
	ASSERT_EQ(0, lapic_clear_vectors(self->v[1]));
	EXPECT_EQ(1, pulse(self->vm, 8));
	EXPECT_EQ(0x02u, who(self->v, NV, APIC_IRR, 0x38));
	/* KVM_SET_IRQCHIP recounts from the LAPICs: still pending. */
	ASSERT_EQ(0, set_rte(self->vm, 8, RTE_DEST(1) | 0x38));
	EXPECT_EQ(0, pulse(self->vm, 8));
	ASSERT_EQ(0, lapic_clear_vectors(self->v[1]));
	ASSERT_EQ(0, set_rte(self->vm, 8, RTE_DEST(1) | 0x38));
	EXPECT_EQ(1, pulse(self->vm, 8));
}

/* RTC to two vcpus: coalesced until both have left IRR and ISR. */
TEST_F(dlv, rtc_coalescing_two_targets)
{
	struct kvm_lapic_state s;

	ASSERT_EQ(0, rtc_only_route(self->vm));
	ASSERT_EQ(0, set_rte(self->vm, 8, RTE_LOGICAL | RTE_DEST(0x03) | 0x38));
	EXPECT_EQ(2, pulse(self->vm, 8));
	ASSERT_EQ(0, lapic_clear_vectors(self->v[0]));
	EXPECT_EQ(0, pulse(self->vm, 8));
	/* In ISR instead of IRR still counts. */
	s = get_lapic(self->v[1]);
	memset(s.regs + APIC_ISR, 0, 0x180);
	lapic_set_vec(&s, APIC_ISR, 0x38);
	ASSERT_EQ(0, set_lapic(self->v[1], &s));
	EXPECT_EQ(0, pulse(self->vm, 8));
	ASSERT_EQ(0, lapic_clear_vectors(self->v[1]));
	EXPECT_EQ(2, pulse(self->vm, 8));
	/* A restored LAPIC that is not a destination is not counted. */
	clear_all(self->v, NV);
	s = get_lapic(self->v[5]);
	lapic_set_vec(&s, APIC_IRR, 0x38);
	ASSERT_EQ(0, set_lapic(self->v[5], &s));
	EXPECT_EQ(2, pulse(self->vm, 8));
}

/* Only a target's own EOI of the RTC vector uncounts it, once. */
TEST_F(dlv, rtc_eoi_per_vcpu)
{
	struct kvmirq_ack a;

	KVMIRQ_ONLY();
	ASSERT_EQ(0, rtc_only_route(self->vm));
	ASSERT_EQ(0, set_rte(self->vm, 8, RTE_LOGICAL | RTE_DEST(0x03) | 0x38));
	EXPECT_EQ(2, pulse(self->vm, 8));
	ASSERT_EQ(0, guest_ack(self->v[0], &a));
	EXPECT_EQ(0x38, a.vector);
	ASSERT_EQ(0, cpu_eoi(self->v[0]));
	/* vcpu 0 ends 0x38 again (an MSI): vcpu 1 still holds the RTC. */
	EXPECT_EQ(1, msi_phys(self->vm, 0, 0x38));
	ASSERT_EQ(0, guest_ack(self->v[0], &a));
	ASSERT_EQ(0, cpu_eoi(self->v[0]));
	EXPECT_EQ(0, pulse(self->vm, 8));
	/* The same from a vcpu that was not a target. */
	EXPECT_EQ(1, msi_phys(self->vm, 4, 0x38));
	ASSERT_EQ(0, guest_ack(self->v[4], &a));
	ASSERT_EQ(0, cpu_eoi(self->v[4]));
	EXPECT_EQ(0, pulse(self->vm, 8));
	ASSERT_EQ(0, guest_ack(self->v[1], &a));
	EXPECT_EQ(0x38, a.vector);
	ASSERT_EQ(0, cpu_eoi(self->v[1]));
	EXPECT_EQ(2, pulse(self->vm, 8));
}

/* KVM_INTERRUPT with the in-kernel irqchip: ENXIO, state untouched. */
TEST_F(dlv, kvm_interrupt_enxio)
{
	struct kvm_interrupt irq = { .irq = 0x30 };
	struct kvm_vcpu_events e;

	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(self->v[0], KVM_INTERRUPT, &irq)));
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(self->v[5], KVM_INTERRUPT, &irq)));
	irq.irq = 256;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->v[0], KVM_INTERRUPT, &irq)));
	e = get_events(self->v[0]);
	EXPECT_EQ(0, e.interrupt.injected);
}

/* KVM_SET_BOOT_CPU_ID picks the vcpu whose reset LVT0 is ExtINT. */
TEST_F(dlv, boot_cpu_id_lint0)
{
	struct kvmirq_ack a;
	int vm, v[3], i;

	vm = irqchip_vm(self->dev);
	ASSERT_GE(vm, 0);
	ASSERT_EQ(0, ioctl(vm, KVM_SET_BOOT_CPU_ID, 1));
	for (i = 0; i < 3; i++) {
		v[i] = ioctl(vm, KVM_CREATE_VCPU, i);
		ASSERT_GE(v[i], 0);
	}
	EXPECT_EQ(EBUSY, kvmirq_errno(ioctl(vm, KVM_SET_BOOT_CPU_ID, 0)));
	for (i = 0; i < 3; i++) {
		struct kvm_lapic_state s = get_lapic(v[i]);

		EXPECT_EQ(i == 1 ? 0x700u : 0x10000u, lapic_reg(&s, APIC_LVT0));
		EXPECT_EQ(0xfee00800ULL | (i == 1 ? 0x100 : 0),
			  msr(v[i], APIC_BASE_MSR));
	}
	if (self->kvmirq) {
		/* The PIC's output goes to vcpu 1 now. */
		outb(vm, 0x20, 0x11);
		outb(vm, 0x21, 0x20);
		outb(vm, 0x21, 0x04);
		outb(vm, 0x21, 0x01);
		outb(vm, 0x21, 0xf7);
		irq_line(vm, 3, 1);
		ASSERT_EQ(0, guest_ack(v[0], &a));
		EXPECT_EQ(KVMIRQ_ACK_NONE, a.source);
		ASSERT_EQ(0, guest_ack(v[1], &a));
		EXPECT_EQ(KVMIRQ_ACK_PIC, a.source);
		EXPECT_EQ(0x23, a.vector);
	}
	for (i = 0; i < 3; i++)
		close(v[i]);
	close(vm);
}

/* The PIC reaches a vcpu only through an unmasked ExtINT LINT0. */
TEST_F(dlv, pic_extint_lint0)
{
	struct kvm_lapic_state s;
	struct kvmirq_ack a;

	KVMIRQ_ONLY();
	outb(self->vm, 0x20, 0x11);
	outb(self->vm, 0x21, 0x20);
	outb(self->vm, 0x21, 0x04);
	outb(self->vm, 0x21, 0x01);
	outb(self->vm, 0x21, 0xf7);
	irq_line(self->vm, 3, 1);

	/* LVT0 masked on the boot vcpu: nothing. */
	s = get_lapic(self->v[0]);
	lapic_set(&s, APIC_LVT0, 0x10700);
	ASSERT_EQ(0, set_lapic(self->v[0], &s));
	ASSERT_EQ(0, guest_ack(self->v[0], &a));
	EXPECT_EQ(KVMIRQ_ACK_NONE, a.source);
	/* Unmasked but Fixed: nothing either. */
	lapic_set(&s, APIC_LVT0, 0x00030);
	ASSERT_EQ(0, set_lapic(self->v[0], &s));
	ASSERT_EQ(0, guest_ack(self->v[0], &a));
	EXPECT_EQ(KVMIRQ_ACK_NONE, a.source);
	/* A non-boot vcpu with ExtINT LINT0 takes it (KVM does not check). */
	s = get_lapic(self->v[2]);
	lapic_set(&s, APIC_LVT0, 0x00700);
	ASSERT_EQ(0, set_lapic(self->v[2], &s));
	ASSERT_EQ(0, guest_ack(self->v[2], &a));
	EXPECT_EQ(KVMIRQ_ACK_PIC, a.source);
	EXPECT_EQ(0x23, a.vector);
	/* A hardware-disabled LAPIC passes the PIC through. */
	outb(self->vm, 0x20, 0x20);	/* non-specific EOI */
	irq_line(self->vm, 3, 0);
	irq_line(self->vm, 3, 1);
	ASSERT_EQ(1, set_msr(self->v[4], APIC_BASE_MSR, 0xfee00000));
	ASSERT_EQ(0, guest_ack(self->v[4], &a));
	EXPECT_EQ(KVMIRQ_ACK_PIC, a.source);
	EXPECT_EQ(0x23, a.vector);
}

/*
 * VMs of 1 to 8 vcpus: flat and cluster logical, physical broadcast and
 * lowest priority from the IOAPIC reach the right number of LAPICs.
 */
TEST_F(dlv, destinations_over_1_to_8_vcpus)
{
	int n, i, vm, v[NV];
	unsigned int got;

	for (n = 1; n <= NV; n++) {
		vm = irqchip_vm(self->dev);
		ASSERT_GE(vm, 0);
		for (i = 0; i < n; i++) {
			v[i] = ioctl(vm, KVM_CREATE_VCPU, i);
			ASSERT_GE(v[i], 0);
			ASSERT_EQ(0, lapic_setup(v[i], 0x1ff, 1u << (24 + i),
						 0xffffffff));
		}
		ASSERT_EQ(0, set_rte(vm, 16, RTE_LOGICAL | RTE_DEST(0xff) | 0x66));
		EXPECT_EQ(n, pulse(vm, 16));
		EXPECT_EQ((1u << n) - 1, who(v, n, APIC_IRR, 0x66));
		ASSERT_EQ(0, set_rte(vm, 16, RTE_DEST(0xff) | 0x67));
		EXPECT_EQ(n, pulse(vm, 16));
		EXPECT_EQ((1u << n) - 1, who(v, n, APIC_IRR, 0x67));
		ASSERT_EQ(0, set_rte(vm, 16, RTE_LOGICAL | DM_LOWEST |
				     RTE_DEST(0xff) | 0x68));
		EXPECT_EQ(1, pulse(vm, 16));
		EXPECT_EQ(1, __builtin_popcount(who(v, n, APIC_IRR, 0x68)));
		/* Cluster model: cluster i / 4, member bit i % 4. */
		for (i = 0; i < n; i++)
			ASSERT_EQ(0, lapic_setup(v[i], 0x1ff,
						 ((i / 4) << 28) | (1u << (24 + i % 4)),
						 0x0fffffff));
		ASSERT_EQ(0, set_rte(vm, 16, RTE_LOGICAL | RTE_DEST(0x13) | 0x69));
		got = n > 4 ? (n > 5 ? 0x30u : 0x10u) : 0u;
		EXPECT_EQ(__builtin_popcount(got), pulse(vm, 16));
		EXPECT_EQ(got, who(v, n, APIC_IRR, 0x69));
		ASSERT_EQ(0, set_rte(vm, 16, RTE_LOGICAL | RTE_DEST(0x0f) | 0x6a));
		got = (1u << (n < 4 ? n : 4)) - 1;
		EXPECT_EQ(__builtin_popcount(got), pulse(vm, 16));
		EXPECT_EQ(got, who(v, n, APIC_IRR, 0x6a));
		for (i = 0; i < n; i++)
			close(v[i]);
		close(vm);
	}
}

/*
 * GSI 8 with the default routes (PIC and IOAPIC): KVM adds the statuses of
 * both.  The PIC's edge stays latched (never acknowledged): 1, then 0; the
 * IOAPIC's RTC rule: 1, coalesced 0, 1 once the LAPIC was cleared.
 */
TEST_F(dlv, rtc_status_default_routes)
{
	ASSERT_EQ(0, set_rte(self->vm, 8, RTE_DEST(1) | 0x38));
	EXPECT_EQ(2, irq_line(self->vm, 8, 1));
	EXPECT_EQ(2, irq_line(self->vm, 8, 0));
	EXPECT_EQ(0, irq_line(self->vm, 8, 1));
	EXPECT_EQ(2, irq_line(self->vm, 8, 0));
	ASSERT_EQ(0, lapic_clear_vectors(self->v[1]));
	EXPECT_EQ(1, irq_line(self->vm, 8, 1));
	EXPECT_EQ(2, irq_line(self->vm, 8, 0));
}

/*
 * Disabled LAPICs: a software-disabled one matches but takes no Fixed
 * interrupt (counts 0); a hardware-disabled one is not in the map at all.
 */
TEST_F(dlv, disabled_lapics)
{
	struct kvm_lapic_state s;

	s = get_lapic(self->v[2]);
	lapic_set(&s, APIC_SPIV, 0xff);
	ASSERT_EQ(0, set_lapic(self->v[2], &s));
	ASSERT_EQ(1, set_msr(self->v[3], APIC_BASE_MSR, 0xfee00000));
	ASSERT_EQ(0, set_rte(self->vm, 16, RTE_DEST(2) | 0x6b));
	EXPECT_EQ(0, pulse(self->vm, 16));
	ASSERT_EQ(0, set_rte(self->vm, 16, RTE_DEST(3) | 0x6b));
	EXPECT_EQ(0, pulse(self->vm, 16));
	ASSERT_EQ(0, set_rte(self->vm, 16, RTE_LOGICAL | RTE_DEST(0x0f) | 0x6b));
	EXPECT_EQ(2, pulse(self->vm, 16));
	EXPECT_EQ(0x03u, who(self->v, NV, APIC_IRR, 0x6b));
	/* Lowest priority never picks the disabled ones. */
	ASSERT_EQ(0, set_rte(self->vm, 16, RTE_LOGICAL | DM_LOWEST |
			     RTE_DEST(0x0c) | 0x6c));
	EXPECT_EQ(0, pulse(self->vm, 16));
	/* NMI still reaches the software-disabled LAPIC. */
	ASSERT_EQ(0, set_rte(self->vm, 16, DM_NMI | RTE_DEST(2)));
	EXPECT_EQ(1, pulse(self->vm, 16));
	EXPECT_EQ(1, get_events(self->v[2]).nmi.pending);
}

/* A LAPIC ID changed by KVM_SET_LAPIC moves physical IOAPIC delivery. */
TEST_F(dlv, apic_id_change_moves_delivery)
{
	struct kvm_lapic_state s = get_lapic(self->v[2]);

	lapic_set(&s, APIC_ID, 0x20u << 24);
	ASSERT_EQ(0, set_lapic(self->v[2], &s));
	ASSERT_EQ(0, set_rte(self->vm, 16, RTE_DEST(0x20) | 0x6d));
	EXPECT_EQ(1, pulse(self->vm, 16));
	EXPECT_EQ(0x04u, who(self->v, NV, APIC_IRR, 0x6d));
	ASSERT_EQ(0, set_rte(self->vm, 16, RTE_DEST(2) | 0x6e));
	EXPECT_EQ(0, pulse(self->vm, 16));
	EXPECT_EQ(0u, who(self->v, NV, APIC_IRR, 0x6e));
	/* Two LAPICs with one id: both get it (6.12, 6.18; 6.1: the first). */
	s = get_lapic(self->v[5]);
	lapic_set(&s, APIC_ID, 0x20u << 24);
	ASSERT_EQ(0, set_lapic(self->v[5], &s));
	ASSERT_EQ(0, set_rte(self->vm, 16, RTE_DEST(0x20) | 0x6f));
	if (kvm_release(self->dev) > 601) {
		EXPECT_EQ(2, pulse(self->vm, 16));
		EXPECT_EQ(0x24u, who(self->v, NV, APIC_IRR, 0x6f));
	} else {
		EXPECT_EQ(1, pulse(self->vm, 16));
		EXPECT_EQ(0x04u, who(self->v, NV, APIC_IRR, 0x6f));
	}
}

/* A level INIT entry: accepted, so remote IRR is set and stays. */
TEST_F(dlv, level_init_remote_irr)
{
	ASSERT_EQ(0, set_rte(self->vm, 21, RTE_LEVEL | DM_INIT | RTE_DEST(6)));
	EXPECT_EQ(1, irq_line(self->vm, 21, 1));
	EXPECT_EQ(RTE_REMOTE_IRR, get_rte(self->vm, 21) & RTE_REMOTE_IRR);
	EXPECT_EQ(KVM_MP_STATE_INIT_RECEIVED, get_mp_state(self->v[6]));
	EXPECT_EQ(1, irq_line(self->vm, 21, 0));
	EXPECT_EQ(-1, irq_line(self->vm, 21, 1));
}

/*
 * KVM ABI: an INIT that resets an RTC target's LAPIC does not recount the
 * RTC; it stays coalesced until KVM_SET_LAPIC or KVM_SET_IRQCHIP.
 */
TEST_F(dlv, rtc_stuck_after_init_until_set)
{
	ASSERT_EQ(0, rtc_only_route(self->vm));
	ASSERT_EQ(0, set_rte(self->vm, 8, RTE_DEST(3) | 0x38));
	EXPECT_EQ(1, pulse(self->vm, 8));
	EXPECT_EQ(1, msi_phys(self->vm, 3, DM_INIT));
	EXPECT_EQ(KVM_MP_STATE_INIT_RECEIVED, get_mp_state(self->v[3]));
	EXPECT_EQ(0u, who(self->v, NV, APIC_IRR, 0x38));
	EXPECT_EQ(0, pulse(self->vm, 8));
	ASSERT_EQ(0, lapic_setup(self->v[3], 0x1ff, 1u << 27, 0xffffffff));
	EXPECT_EQ(1, pulse(self->vm, 8));
}

/*
 * KVM ABI: a LAPIC restored with ISR bits into an empty ISR reads back a
 * PPR that ignores them (without APICv), but the CPU's next acknowledge
 * recomputes PPR first: a lower IRR vector is not taken.
 */
TEST_F(dlv, restored_isr_blocks_lower_irr)
{
	struct kvm_lapic_state s = get_lapic(self->v[6]);
	struct kvmirq_ack a;

	lapic_set_vec(&s, APIC_ISR, 0x94);
	lapic_set_vec(&s, APIC_IRR, 0x60);
	lapic_set(&s, APIC_PROCPRI, 0x90);
	ASSERT_EQ(0, set_lapic(self->v[6], &s));
	s = get_lapic(self->v[6]);
	EXPECT_EQ(1, lapic_vec(&s, APIC_ISR, 0x94));
	EXPECT_EQ(0u, lapic_reg(&s, APIC_PROCPRI));
	if (!self->kvmirq)
		return;
	/* Not taken: 0x60 is below the in-service 0x94. */
	ASSERT_EQ(0, guest_ack(self->v[6], &a));
	EXPECT_EQ(KVMIRQ_ACK_NONE, a.source);
	s = get_lapic(self->v[6]);
	EXPECT_EQ(0x90u, lapic_reg(&s, APIC_PROCPRI));
	ASSERT_EQ(0, cpu_eoi(self->v[6]));
	ASSERT_EQ(0, guest_ack(self->v[6], &a));
	EXPECT_EQ(KVMIRQ_ACK_LAPIC, a.source);
	EXPECT_EQ(0x60, a.vector);
}

TEST_HARNESS_MAIN
