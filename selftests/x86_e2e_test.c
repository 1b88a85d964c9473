// SPDX-License-Identifier: GPL-2.0
/*
 * One interrupt end to end, through every x86 controller: a line raised
 * with KVM_IRQ_LINE, routed to the IOAPIC, delivered to a LAPIC, taken and
 * ended by the CPU (kvmirq's guest side), and the EOI back at the IOAPIC;
 * the PIC's ExtINT through LINT0; MSI routes and irqfds into a LAPIC.
 * What plain KVM ioctls can show (IRR, TMR, remote IRR) is checked on
 * /dev/kvm too.
 */
#include <poll.h>
#include <sys/eventfd.h>

#include "x86_irqchip.h"
#include "x86_lapic.h"

FIXTURE(e2e) {
	int dev;
	int kvmirq;
	int vm;
	int vcpu;
};

FIXTURE_SETUP(e2e)
{
	struct kvm_lapic_state l;

	self->vm = -1;
	self->vcpu = -1;
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	ASSERT_GE(self->vm, 0);
	ASSERT_EQ(0, ioctl(self->vm, KVM_CREATE_IRQCHIP, 0));
	self->vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(self->vcpu, 0);
	/* Software-enable the LAPIC, spurious vector 0xff. */
	ASSERT_EQ(0, ioctl(self->vcpu, KVM_GET_LAPIC, &l));
	lapic_set(&l, APIC_SPIV, 0x1ff);
	ASSERT_EQ(0, ioctl(self->vcpu, KVM_SET_LAPIC, &l));
}

FIXTURE_TEARDOWN(e2e)
{
	CLOSE_FDS(self->vcpu, self->vm, self->dev);
}

/* A level-triggered IOAPIC pin reaches the LAPIC: IRR, TMR, remote IRR. */
TEST_F(e2e, ioapic_level_to_lapic)
{
	ASSERT_EQ(0, set_rte(self->vm, 16, RTE_LEVEL | 0x40));
	ASSERT_EQ(0, set_irq_line(self->vm, 16, 1));
	EXPECT_EQ(1, vcpu_vec(self->vcpu, APIC_IRR, 0x40));
	EXPECT_EQ(1, vcpu_vec(self->vcpu, APIC_TMR, 0x40));
	EXPECT_EQ(RTE_REMOTE_IRR, get_rte(self->vm, 16) & RTE_REMOTE_IRR);
}

/* An edge pin: IRR set, TMR clear, no remote IRR. */
TEST_F(e2e, ioapic_edge_to_lapic)
{
	ASSERT_EQ(0, set_rte(self->vm, 17, 0x41));
	ASSERT_EQ(0, set_irq_line(self->vm, 17, 1));
	EXPECT_EQ(1, vcpu_vec(self->vcpu, APIC_IRR, 0x41));
	EXPECT_EQ(0, vcpu_vec(self->vcpu, APIC_TMR, 0x41));
	EXPECT_EQ(0, get_rte(self->vm, 17) & RTE_REMOTE_IRR);
}

/* A masked pin delivers nothing. */
TEST_F(e2e, ioapic_masked)
{
	ASSERT_EQ(0, set_rte(self->vm, 18, RTE_MASKED | 0x42));
	ASSERT_EQ(0, set_irq_line(self->vm, 18, 1));
	EXPECT_EQ(0, vcpu_vec(self->vcpu, APIC_IRR, 0x42));
}

/*
 * The CPU takes the interrupt and ends it: the level EOI travels back to the
 * IOAPIC, clears remote IRR, and the still-asserted line is delivered again.
 */
TEST_F(e2e, level_ack_eoi_cycle)
{
	struct kvmirq_ack ack;

	KVMIRQ_ONLY();
	ASSERT_EQ(0, set_rte(self->vm, 16, RTE_LEVEL | 0x40));
	ASSERT_EQ(0, set_irq_line(self->vm, 16, 1));

	ASSERT_EQ(0, guest_ack(self->vcpu, &ack));
	EXPECT_EQ(KVMIRQ_ACK_LAPIC, ack.source);
	EXPECT_EQ(0x40, ack.vector);
	EXPECT_EQ(1, vcpu_vec(self->vcpu, APIC_ISR, 0x40));
	EXPECT_EQ(0, vcpu_vec(self->vcpu, APIC_IRR, 0x40));

	/* Still asserted: the EOI re-delivers. */
	ASSERT_EQ(0, cpu_eoi(self->vcpu));
	EXPECT_EQ(0, vcpu_vec(self->vcpu, APIC_ISR, 0x40));
	EXPECT_EQ(1, vcpu_vec(self->vcpu, APIC_IRR, 0x40));
	EXPECT_EQ(RTE_REMOTE_IRR, get_rte(self->vm, 16) & RTE_REMOTE_IRR);

	/* Lowered, taken and ended: all clear. */
	ASSERT_EQ(0, set_irq_line(self->vm, 16, 0));
	ASSERT_EQ(0, guest_ack(self->vcpu, &ack));
	EXPECT_EQ(0x40, ack.vector);
	ASSERT_EQ(0, cpu_eoi(self->vcpu));
	EXPECT_EQ(0, get_rte(self->vm, 16) & RTE_REMOTE_IRR);
	EXPECT_EQ(0, vcpu_vec(self->vcpu, APIC_IRR, 0x40));
	EXPECT_EQ(0, vcpu_vec(self->vcpu, APIC_ISR, 0x40));
	ASSERT_EQ(0, guest_ack(self->vcpu, &ack));
	EXPECT_EQ(KVMIRQ_ACK_NONE, ack.source);
}

/* An EOI broadcast from the VM fd also clears remote IRR. */
TEST_F(e2e, vm_eoi_broadcast)
{
	struct kvmirq_eoi eoi = { .vector = 0x40 };

	KVMIRQ_ONLY();
	ASSERT_EQ(0, set_rte(self->vm, 16, RTE_LEVEL | 0x40));
	ASSERT_EQ(0, set_irq_line(self->vm, 16, 1));
	ASSERT_EQ(0, set_irq_line(self->vm, 16, 0));
	EXPECT_EQ(RTE_REMOTE_IRR, get_rte(self->vm, 16) & RTE_REMOTE_IRR);
	ASSERT_EQ(0, ioctl(self->vm, KVMIRQ_GUEST_EOI, &eoi));
	EXPECT_EQ(0, get_rte(self->vm, 16) & RTE_REMOTE_IRR);
}

/* The PIC's INTR reaches the boot vcpu through LINT0 as ExtINT. */
TEST_F(e2e, pic_extint)
{
	struct kvmirq_ack ack;

	KVMIRQ_ONLY();
	/* A BIOS's programming of the master: vectors 0x20-0x27, cascade. */
	ASSERT_EQ(0, pio_out(self->vm, 0x20, 0x11));
	ASSERT_EQ(0, pio_out(self->vm, 0x21, 0x20));
	ASSERT_EQ(0, pio_out(self->vm, 0x21, 0x04));
	ASSERT_EQ(0, pio_out(self->vm, 0x21, 0x01));
	/* Unmask IRQ 3 only, from the CPU's side (a vcpu reaches the ports). */
	ASSERT_EQ(0, pio_out(self->vcpu, 0x21, 0xf7));

	ASSERT_EQ(0, set_irq_line(self->vm, 3, 1));
	ASSERT_EQ(0, guest_ack(self->vcpu, &ack));
	EXPECT_EQ(KVMIRQ_ACK_PIC, ack.source);
	EXPECT_EQ(0x23, ack.vector);
	/* In service at the PIC now: nothing more until its EOI. */
	ASSERT_EQ(0, guest_ack(self->vcpu, &ack));
	EXPECT_EQ(KVMIRQ_ACK_NONE, ack.source);
}

/* An MSI route and an irqfd on it land in the LAPIC's IRR. */
TEST_F(e2e, msi_route_and_irqfd)
{
	struct {
		struct kvm_irq_routing r;
		struct kvm_irq_routing_entry e[1];
	} rt = {
		.r.nr = 1,
		.e[0] = {
			.gsi = 30, .type = KVM_IRQ_ROUTING_MSI,
			.u.msi = { .address_lo = 0xfee00000, .data = 0x55 },
		},
	};
	struct kvm_irq_level irq = { .irq = 30, .level = 1 };
	struct kvm_irqfd irqfd = { .gsi = 30 };
	struct pollfd pfd;
	int i;

	ASSERT_EQ(0, ioctl(self->vm, KVM_SET_GSI_ROUTING, &rt));
	ASSERT_EQ(0, ioctl(self->vm, KVM_IRQ_LINE_STATUS, &irq));
	EXPECT_EQ(1, irq.status);
	EXPECT_EQ(1, vcpu_vec(self->vcpu, APIC_IRR, 0x55));

	rt.e[0].u.msi.data = 0x56;
	ASSERT_EQ(0, ioctl(self->vm, KVM_SET_GSI_ROUTING, &rt));
	irqfd.fd = eventfd(0, EFD_CLOEXEC);
	ASSERT_GE(irqfd.fd, 0);
	ASSERT_EQ(0, ioctl(self->vm, KVM_IRQFD, &irqfd));
	ASSERT_EQ(0, eventfd_write(irqfd.fd, 1));
	/* irqfd injection may complete asynchronously: wait up to 1 s. */
	for (i = 0; i < 100 && vcpu_vec(self->vcpu, APIC_IRR, 0x56) != 1; i++) {
		pfd.fd = -1;
		poll(&pfd, 0, 10);
	}
	EXPECT_EQ(1, vcpu_vec(self->vcpu, APIC_IRR, 0x56));
	irqfd.flags = KVM_IRQFD_FLAG_DEASSIGN;
	EXPECT_EQ(0, ioctl(self->vm, KVM_IRQFD, &irqfd));
	close(irqfd.fd);
}

/* A vcpu created after KVM_CREATE_IRQCHIP has a LAPIC; split is refused. */
TEST_F(e2e, irqchip_modes)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_SPLIT_IRQCHIP, .args = { 24 } };
	struct kvm_lapic_state l;

	EXPECT_EQ(0, ioctl(self->vcpu, KVM_GET_LAPIC, &l));
	EXPECT_EQ(EEXIST, kvmirq_errno(ioctl(self->vm, KVM_ENABLE_CAP, &cap)));
	EXPECT_EQ(EEXIST, kvmirq_errno(ioctl(self->vm, KVM_CREATE_IRQCHIP, 0)));
}

/* With a split irqchip: no PIC/IOAPIC, MSI routes only. */
TEST_F(e2e, split_irqchip)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_SPLIT_IRQCHIP, .args = { 24 } };
	struct {
		struct kvm_irq_routing r;
		struct kvm_irq_routing_entry e[1];
	} rt = {
		.r.nr = 1,
		.e[0] = { .gsi = 6, .type = KVM_IRQ_ROUTING_IRQCHIP,
			  .u.irqchip = { .irqchip = KVM_IRQCHIP_IOAPIC, .pin = 6 } },
	};
	struct kvm_irqchip chip = { .chip_id = KVM_IRQCHIP_PIC_MASTER };
	struct kvm_irq_level irq = { .irq = 9, .level = 1 };
	struct kvm_irqfd rs = { .gsi = 7, .flags = KVM_IRQFD_FLAG_RESAMPLE };
	int vm = ioctl(self->dev, KVM_CREATE_VM, 0);

	ASSERT_GE(vm, 0);
	ASSERT_EQ(0, ioctl(vm, KVM_ENABLE_CAP, &cap));
	EXPECT_EQ(EEXIST, kvmirq_errno(ioctl(vm, KVM_CREATE_IRQCHIP, 0)));
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(vm, KVM_GET_IRQCHIP, &chip)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vm, KVM_SET_GSI_ROUTING, &rt)));
	rs.fd = eventfd(0, EFD_CLOEXEC);
	rs.resamplefd = eventfd(0, EFD_CLOEXEC);
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vm, KVM_IRQFD, &rs)));
	/* KVM ABI: a line with no route reports -1. */
	ASSERT_EQ(0, ioctl(vm, KVM_IRQ_LINE_STATUS, &irq));
	EXPECT_EQ(-1, irq.status);
	close(rs.fd);
	close(rs.resamplefd);
	close(vm);
}

TEST_HARNESS_MAIN
