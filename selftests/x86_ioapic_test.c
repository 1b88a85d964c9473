// SPDX-License-Identifier: GPL-2.0
/*
 * The IOAPIC: line input, masking, remote IRR, GET/SET fix-ups (on KVM
 * too; the VMs have no vcpus, so every delivery finds nobody and reports
 * -1), and kvmirq's guest side: the MMIO window and EOI broadcasts.
 */
#include <time.h>

#include "x86_irqchip.h"
#include "x86_lapic.h"

FIXTURE(ioapic) {
	int dev;
	int kvmirq;
	int vm;
};

FIXTURE_SETUP(ioapic)
{
	self->vm = -1;
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = irqchip_vm(self->dev);
	ASSERT_LE(0, self->vm);
}

FIXTURE_TEARDOWN(ioapic)
{
	CLOSE_FDS(self->vm, self->dev);
}

TEST_F(ioapic, masked_pin_latches)
{
	EXPECT_EQ(-1, irq_line(self->vm, 17, 1));
	EXPECT_EQ(1 << 17, get_ioapic(self->vm).irr);
	EXPECT_EQ(0, irq_line(self->vm, 17, 1));	/* edge, no new edge */
	EXPECT_EQ(1, irq_line(self->vm, 17, 0));
	EXPECT_EQ(0, get_ioapic(self->vm).irr);
}

/* An unmasked edge pin with no vcpu: -1, and hidden from GET once sent. */
TEST_F(ioapic, edge_delivered_hidden)
{
	ASSERT_EQ(0, set_rte(self->vm, 17, 0x31));
	EXPECT_EQ(-1, irq_line(self->vm, 17, 1));
	EXPECT_EQ(0, get_ioapic(self->vm).irr);
	/* A repeated assertion is coalesced and shows the bit again. */
	EXPECT_EQ(0, irq_line(self->vm, 17, 1));
	EXPECT_EQ(1 << 17, get_ioapic(self->vm).irr);
	EXPECT_EQ(1, irq_line(self->vm, 17, 0));
	EXPECT_EQ(-1, irq_line(self->vm, 17, 1));
	EXPECT_EQ(0, get_ioapic(self->vm).irr);
}

/* A level pin gets remote IRR even when nobody matched (-1). */
TEST_F(ioapic, level_remote_irr)
{
	struct kvm_ioapic_state s;

	ASSERT_EQ(0, set_rte(self->vm, 18, RTE_LEVEL | 0x32));
	EXPECT_EQ(-1, irq_line(self->vm, 18, 1));
	EXPECT_EQ(RTE_LEVEL | RTE_REMOTE_IRR | 0x32, get_rte(self->vm, 18));
	EXPECT_EQ(1 << 18, get_ioapic(self->vm).irr);
	EXPECT_EQ(-1, irq_line(self->vm, 18, 1));
	EXPECT_EQ(1, irq_line(self->vm, 18, 0));
	EXPECT_EQ(RTE_LEVEL | RTE_REMOTE_IRR | 0x32, get_rte(self->vm, 18));

	/* SET with remote IRR clear and irr kept delivers again. */
	EXPECT_EQ(-1, irq_line(self->vm, 18, 1));
	s = get_ioapic(self->vm);
	s.redirtbl[18].bits &= ~RTE_REMOTE_IRR;
	ASSERT_EQ(0, set_ioapic(self->vm, &s));
	EXPECT_EQ(RTE_LEVEL | RTE_REMOTE_IRR | 0x32, get_rte(self->vm, 18));
}

/* Polarity (bit 13) is stored and ignored: level 1 is asserted. */
TEST_F(ioapic, polarity_ignored)
{
	ASSERT_EQ(0, set_rte(self->vm, 22, RTE_LEVEL | 0x2000 | 0x36));
	EXPECT_EQ(0, get_ioapic(self->vm).irr);
	EXPECT_EQ(-1, irq_line(self->vm, 22, 1));
	EXPECT_EQ(RTE_LEVEL | RTE_REMOTE_IRR | 0x2000 | 0x36, get_rte(self->vm, 22));
	EXPECT_EQ(1, irq_line(self->vm, 22, 0));
	EXPECT_EQ(0, get_ioapic(self->vm).irr);
}

/* GET, unmask, SET delivers a latched edge (unlike a guest unmask). */
TEST_F(ioapic, unmask_by_set_delivers)
{
	struct kvm_ioapic_state s;

	EXPECT_EQ(-1, irq_line(self->vm, 20, 1));
	s = get_ioapic(self->vm);
	EXPECT_EQ(1 << 20, s.irr);
	s.redirtbl[20].bits = 0x40;
	ASSERT_EQ(0, set_ioapic(self->vm, &s));
	EXPECT_EQ(0, get_ioapic(self->vm).irr);
}

/* SET does not touch the sources' line levels. */
TEST_F(ioapic, set_keeps_line_levels)
{
	struct kvm_ioapic_state s;

	ASSERT_EQ(0, set_rte(self->vm, 21, RTE_MASKED | RTE_LEVEL | 0x41));
	EXPECT_EQ(-1, irq_line(self->vm, 21, 1));
	s = get_ioapic(self->vm);
	s.irr = 0;
	ASSERT_EQ(0, set_ioapic(self->vm, &s));
	EXPECT_EQ(0, get_ioapic(self->vm).irr);
	/* The line is still high for the source: a new assert is no edge. */
	EXPECT_EQ(-1, irq_line(self->vm, 21, 1));
	EXPECT_EQ(1 << 21, get_ioapic(self->vm).irr);
}

/* Pin 8 (RTC) without a LAPIC accepting it never coalesces. */
TEST_F(ioapic, rtc_pin_without_vcpus)
{
	ASSERT_EQ(0, set_rte(self->vm, 8, 0x28));
	EXPECT_EQ(1, irq_line(self->vm, 8, 1));	/* PIC 1 + IOAPIC -1 */
	EXPECT_EQ(2, irq_line(self->vm, 8, 0));
	EXPECT_EQ(0, irq_line(self->vm, 8, 1));	/* PIC coalesced 0 + -1 */
}

/*
 * RTC (pin 8) coalescing, KVM_IRQ_LINE_STATUS only: while the vector the
 * last status-reporting assertion delivered is still in the IRR or ISR of
 * a vcpu that took it, a new assertion reports 0 and is not latched
 * (spec seed 6).  Pin 9 with the same setup never coalesces.
 */
TEST_F(ioapic, rtc_coalescing)
{
	struct kvm_irq_routing_entry e[2] = {
		irqchip_route(8, 2, 8), irqchip_route(9, 2, 9),
	};
	struct kvm_irq_level l = { .irq = 8, .level = 1 };
	struct kvm_lapic_state s;
	int vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0), i;

	ASSERT_LE(0, vcpu);
	ASSERT_EQ(0, lapic_enable(vcpu));
	ASSERT_EQ(0, set_routing(self->vm, e, 2));
	ASSERT_EQ(0, set_rte(self->vm, 8, 0x38));	/* edge, physical, to APIC ID 0 */
	ASSERT_EQ(0, set_rte(self->vm, 9, 0x39));

	EXPECT_EQ(1, irq_line(self->vm, 8, 1));
	EXPECT_EQ(1, irq_line(self->vm, 8, 0));
	EXPECT_EQ(0, irq_line(self->vm, 8, 1));		/* 0x38 still in IRR */
	EXPECT_EQ(0, get_ioapic(self->vm).irr & (1 << 8));	/* not latched */
	EXPECT_EQ(1, irq_line(self->vm, 8, 0));
	/* KVM_IRQ_LINE is not tracked: it delivers. */
	ASSERT_EQ(0, ioctl(self->vm, KVM_IRQ_LINE, &l));
	l.level = 0;
	ASSERT_EQ(0, ioctl(self->vm, KVM_IRQ_LINE, &l));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(1, irq_line(self->vm, 9, 1));
		EXPECT_EQ(1, irq_line(self->vm, 9, 0));
	}
	/* KVM_SET_LAPIC without the vector: the RTC may fire again. */
	s = get_lapic(vcpu);
	EXPECT_EQ(1, lapic_vec(&s, APIC_IRR, 0x38));
	ASSERT_EQ(0, lapic_clear_vectors(vcpu));
	EXPECT_EQ(1, irq_line(self->vm, 8, 1));
	EXPECT_EQ(1, irq_line(self->vm, 8, 0));

	/* kvmirq: the CPU takes it (IRR to ISR), then EOIs it. */
	if (self->kvmirq) {
		struct kvmirq_ack ack = { 0 };
		struct kvmirq_eoi eoi = { 0 };

		ASSERT_EQ(0, ioctl(vcpu, KVMIRQ_GUEST_ACK, &ack));
		EXPECT_EQ(KVMIRQ_ACK_LAPIC, ack.source);
		EXPECT_EQ(0x38, ack.vector);
		EXPECT_EQ(0, irq_line(self->vm, 8, 1));		/* in ISR */
		EXPECT_EQ(1, irq_line(self->vm, 8, 0));
		ASSERT_EQ(0, ioctl(vcpu, KVMIRQ_GUEST_EOI, &eoi));
		EXPECT_EQ(1, irq_line(self->vm, 8, 1));
	}
	close(vcpu);
}

/* kvmirq guest side: the MMIO window. */
TEST_F(ioapic, mmio_registers)
{
	__u64 d = 0;

	KVMIRQ_ONLY();
	EXPECT_EQ(0x00170011, ioapic_read(self->vm, 0x01));
	ioapic_write(self->vm, 0x01, 0);
	EXPECT_EQ(0x00170011, ioapic_read(self->vm, 0x01));
	ioapic_write(self->vm, 0x00, 0xfedcba98);
	EXPECT_EQ(0x0e000000, ioapic_read(self->vm, 0x00));
	EXPECT_EQ(0x0e000000, ioapic_read(self->vm, 0x02));	/* ARB = ID */
	EXPECT_EQ(0xe, get_ioapic(self->vm).id);
	ioapic_write(self->vm, 0x02, 0);
	EXPECT_EQ(0xe, get_ioapic(self->vm).id);
	EXPECT_EQ(0xffffffff, ioapic_read(self->vm, 0x03));
	EXPECT_EQ(0xffffffff, ioapic_read(self->vm, 0x40));
	ioapic_write(self->vm, 0x40, 0);

	/* Redirection entries, both halves. */
	ioapic_write(self->vm, 0x10 + 2 * 5, 0x0001a955);
	ioapic_write(self->vm, 0x11 + 2 * 5, 0x12000000);
	EXPECT_EQ(0x120000000001a955ULL & ~(RTE_REMOTE_IRR | 0x1000),
		  get_rte(self->vm, 5));
	EXPECT_EQ(0x0001a955 & ~0x5000, ioapic_read(self->vm, 0x10 + 2 * 5));
	EXPECT_EQ(0x12000000, ioapic_read(self->vm, 0x11 + 2 * 5));

	/* IOREGSEL keeps 8 bits; other offsets read 0 and ignore writes. */
	d = 0x1ff;
	EXPECT_EQ(0, guest_io(self->vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE, 4, 1, &d));
	EXPECT_EQ(0xff, get_ioapic(self->vm).ioregsel);
	EXPECT_EQ(0, guest_io(self->vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE, 1, 0, &d));
	EXPECT_EQ(0xff, d);
	EXPECT_EQ(0, guest_io(self->vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE + 0x20, 4, 0, &d));
	EXPECT_EQ(0, d);
	d = 1;
	EXPECT_EQ(0, guest_io(self->vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE + 0x40, 4, 1, &d));
	/* 8-byte accesses: low 32 bits written, reads zero-extended. */
	d = 0xffffffff00000001ULL;
	EXPECT_EQ(0, guest_io(self->vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE, 8, 1, &d));
	EXPECT_EQ(0, guest_io(self->vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE + 0x10, 8, 0, &d));
	EXPECT_EQ(0x00170011, d);
	/* 2-byte read of the window: the low half. */
	EXPECT_EQ(0, guest_io(self->vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE + 0x10, 2, 0, &d));
	EXPECT_EQ(0x0011, d);

	/* Outside the window: unclaimed. */
	EXPECT_EQ(ENXIO, guest_io(self->vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE + 0x100, 4, 0, &d));
	EXPECT_EQ(ENXIO, guest_io(self->vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE + 0xfc, 8, 0, &d));
	EXPECT_EQ(ENXIO, guest_io(self->vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE - 4, 4, 0, &d));
}

/* Remote IRR and delivery status are read-only; edge clears remote IRR. */
TEST_F(ioapic, rte_read_only_bits)
{
	KVMIRQ_ONLY();
	ASSERT_EQ(0, set_rte(self->vm, 3, RTE_MASKED | RTE_LEVEL | RTE_REMOTE_IRR | 0x1000 | 0x33));
	ioapic_write(self->vm, 0x10 + 2 * 3, 0x18000 | 0x44);
	EXPECT_EQ(RTE_MASKED | RTE_LEVEL | RTE_REMOTE_IRR | 0x1000 | 0x44, get_rte(self->vm, 3));
	ioapic_write(self->vm, 0x10 + 2 * 3, 0x10000 | 0x44 | 0x5000);
	EXPECT_EQ(RTE_MASKED | 0x1000 | 0x44, get_rte(self->vm, 3));
}

/* A guest unmask of a pending level pin delivers; of an edge pin not. */
TEST_F(ioapic, guest_unmask)
{
	KVMIRQ_ONLY();
	EXPECT_EQ(-1, irq_line(self->vm, 19, 1));
	ioapic_write(self->vm, 0x10 + 2 * 19, 0x50);	/* edge, unmasked */
	EXPECT_EQ(1 << 19, get_ioapic(self->vm).irr);
	ioapic_write(self->vm, 0x10 + 2 * 19, 0x8050);	/* level */
	EXPECT_EQ(RTE_LEVEL | RTE_REMOTE_IRR | 0x50, get_rte(self->vm, 19));
}

/* A base moved by SET_IRQCHIP makes the window unreachable. */
TEST_F(ioapic, moved_base)
{
	struct kvm_ioapic_state s = get_ioapic(self->vm);
	__u64 d = 0;

	KVMIRQ_ONLY();
	s.base_address = 0xfec00080;
	ASSERT_EQ(0, set_ioapic(self->vm, &s));
	EXPECT_EQ(ENXIO, guest_io(self->vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE, 4, 0, &d));
	EXPECT_EQ(0, guest_io(self->vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE + 0x80, 4, 0, &d));
	EXPECT_EQ(0, d);	/* offset 0x80 of the window: reads 0 */
}

/* EOI broadcast: clears remote IRR, re-delivers a line still high. */
TEST_F(ioapic, eoi_broadcast)
{
	KVMIRQ_ONLY();
	ASSERT_EQ(0, set_rte(self->vm, 18, RTE_LEVEL | 0x62));
	ASSERT_EQ(0, set_rte(self->vm, 19, RTE_LEVEL | 0x62));
	ASSERT_EQ(0, set_rte(self->vm, 20, RTE_LEVEL | 0x63));
	EXPECT_EQ(-1, irq_line(self->vm, 18, 1));
	EXPECT_EQ(-1, irq_line(self->vm, 20, 1));
	EXPECT_EQ(0, ioapic_eoi(self->vm, 0x61));
	EXPECT_EQ(RTE_LEVEL | RTE_REMOTE_IRR | 0x62, get_rte(self->vm, 18));
	/* Line still high: delivered again, remote IRR set again. */
	EXPECT_EQ(0, ioapic_eoi(self->vm, 0x62));
	EXPECT_EQ(RTE_LEVEL | RTE_REMOTE_IRR | 0x62, get_rte(self->vm, 18));
	EXPECT_EQ(RTE_LEVEL | 0x62, get_rte(self->vm, 19));
	EXPECT_EQ(1, irq_line(self->vm, 18, 0));
	EXPECT_EQ(0, ioapic_eoi(self->vm, 0x62));
	EXPECT_EQ(RTE_LEVEL | 0x62, get_rte(self->vm, 18));
	EXPECT_EQ(RTE_LEVEL | RTE_REMOTE_IRR | 0x63, get_rte(self->vm, 20));
	/* Masked: cleared, not re-delivered. */
	ASSERT_EQ(0, set_rte(self->vm, 20, RTE_MASKED | RTE_LEVEL | RTE_REMOTE_IRR | 0x63));
	EXPECT_EQ(0, ioapic_eoi(self->vm, 0x63));
	EXPECT_EQ(RTE_MASKED | RTE_LEVEL | 0x63, get_rte(self->vm, 20));
}

/* 10000 back-to-back re-deliveries: the next one waits 10 ms. */
TEST_F(ioapic, eoi_storm_throttle)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 }, t0, t1;
	__u64 r;
	int i;

	KVMIRQ_ONLY();
	ASSERT_EQ(0, set_rte(self->vm, 16, RTE_LEVEL | 0x70));
	EXPECT_EQ(-1, irq_line(self->vm, 16, 1));
	for (i = 1; i < 10000; i++) {
		ASSERT_EQ(0, ioapic_eoi(self->vm, 0x70));
		ASSERT_EQ(RTE_LEVEL | RTE_REMOTE_IRR | 0x70, get_rte(self->vm, 16));
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, ioapic_eoi(self->vm, 0x70));
	r = get_rte(self->vm, 16);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/*
	 * The 10000th EOI is not re-delivered at once but a few jiffies later
	 * (at least 4 ms at HZ=250): only a look within that time can see the
	 * pin waiting.  A slow (debug) kernel may look later.
	 */
	if ((t1.tv_sec - t0.tv_sec) * 1000000000L + t1.tv_nsec - t0.tv_nsec < 4000000L)
		EXPECT_EQ(RTE_LEVEL | 0x70, r);
	for (i = 0; i < 100 && get_rte(self->vm, 16) != (RTE_LEVEL | RTE_REMOTE_IRR | 0x70); i++)
		nanosleep(&ts, NULL);
	EXPECT_EQ(RTE_LEVEL | RTE_REMOTE_IRR | 0x70, get_rte(self->vm, 16));
}

/* Closing the VM with a throttled re-delivery pending is safe. */
TEST_F(ioapic, eoi_storm_then_close)
{
	int i;

	KVMIRQ_ONLY();
	ASSERT_EQ(0, set_rte(self->vm, 16, RTE_LEVEL | 0x70));
	EXPECT_EQ(-1, irq_line(self->vm, 16, 1));
	for (i = 0; i < 10000; i++)
		ASSERT_EQ(0, ioapic_eoi(self->vm, 0x70));
	close(self->vm);
	self->vm = -1;
}

TEST_F(ioapic, eoi_checks)
{
	int vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	struct kvmirq_eoi eoi = { .vector = 0x30 };
	__u64 d = 0;

	KVMIRQ_ONLY();
	ASSERT_LE(0, vm);
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(vm, KVMIRQ_GUEST_EOI, &eoi)));
	EXPECT_EQ(ENXIO, guest_io(vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE, 4, 0, &d));
	close(vm);
	EXPECT_EQ(KVMIRQ_ACTION_PIC_PIO | KVMIRQ_ACTION_IOAPIC_MMIO |
		  KVMIRQ_ACTION_PIC_ACK | KVMIRQ_ACTION_IOAPIC_EOI,
		  ioctl(self->vm, KVM_CHECK_EXTENSION, KVMIRQ_CAP_GUEST_ACTIONS) &
		  (KVMIRQ_ACTION_PIC_PIO | KVMIRQ_ACTION_IOAPIC_MMIO |
		   KVMIRQ_ACTION_PIC_ACK | KVMIRQ_ACTION_IOAPIC_EOI));
}

TEST_HARNESS_MAIN
