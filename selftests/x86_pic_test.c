// SPDX-License-Identifier: GPL-2.0
/*
 * The 8259 PIC pair driven as a guest drives it (kvmirq's guest-side
 * actions): ICW1-ICW4, OCW1-OCW3, ELCR, priorities and rotation, poll mode,
 * auto-EOI, special fully nested mode, cascade, spurious IRQs and the INTA
 * cycle.  Port I/O and INTA exist only in kvmirq; each test skips on KVM.
 */
#include "x86_irqchip.h"

FIXTURE(pic) {
	int dev;
	int kvmirq;
	int vm;
};

FIXTURE_SETUP(pic)
{
	self->vm = -1;
	KVMIRQ_OPEN_OR_SKIP();
	KVMIRQ_ONLY();
	self->vm = irqchip_vm(self->dev);
	ASSERT_LE(0, self->vm);
}

FIXTURE_TEARDOWN(pic)
{
	CLOSE_FDS(self->vm, self->dev);
}

/* What a PC BIOS does: both chips, ICW4 8086 mode, vectors 0x08 / 0x70. */
static void bios_init(int vm, __u8 master_icw4, __u8 slave_icw4)
{
	outb(vm, 0x20, 0x11);
	outb(vm, 0x21, 0x08);
	outb(vm, 0x21, 0x04);
	outb(vm, 0x21, master_icw4);
	outb(vm, 0xa0, 0x11);
	outb(vm, 0xa1, 0x70);
	outb(vm, 0xa1, 0x02);
	outb(vm, 0xa1, slave_icw4);
}

/* PIC-only routes for GSI 0-15, so statuses are the PIC's alone. */
static void pic_routes(struct __test_metadata *_metadata, int vm)
{
	struct kvm_irq_routing_entry e[16];
	int i;

	for (i = 0; i < 16; i++)
		e[i] = irqchip_route(i, i >> 3, i & 7);
	ASSERT_EQ(0, set_routing(vm, e, 16));
}

/* An edge pulse on a GSI. */
static void pulse(int vm, int gsi)
{
	irq_line(vm, gsi, 1);
	irq_line(vm, gsi, 0);
}

TEST_F(pic, icw_sequence)
{
	struct kvm_pic_state m, s;

	outb(self->vm, 0x20, 0x11);
	EXPECT_EQ(1, get_pic(self->vm, 0).init_state);
	outb(self->vm, 0x21, 0x0f);	/* ICW2: low bits dropped */
	m = get_pic(self->vm, 0);
	EXPECT_EQ(2, m.init_state);
	EXPECT_EQ(0x08, m.irq_base);
	outb(self->vm, 0x21, 0x04);
	EXPECT_EQ(3, get_pic(self->vm, 0).init_state);
	outb(self->vm, 0x21, 0x13);	/* ICW4: SFNM, AEOI, 8086 */
	m = get_pic(self->vm, 0);
	EXPECT_EQ(0, m.init_state);
	EXPECT_EQ(1, m.init4);
	EXPECT_EQ(1, m.special_fully_nested_mode);
	EXPECT_EQ(1, m.auto_eoi);

	/* Without IC4, ICW3 ends the sequence and SFNM/AEOI are cleared. */
	outb(self->vm, 0x20, 0x10);
	m = get_pic(self->vm, 0);
	EXPECT_EQ(0, m.init4);
	EXPECT_EQ(0, m.special_fully_nested_mode);
	EXPECT_EQ(0, m.auto_eoi);
	outb(self->vm, 0x21, 0x20);
	outb(self->vm, 0x21, 0x04);
	m = get_pic(self->vm, 0);
	EXPECT_EQ(0, m.init_state);
	EXPECT_EQ(0x20, m.irq_base);

	/* Single mode and LTIM are ignored; the slave has its own state. */
	outb(self->vm, 0xa0, 0x1b);
	s = get_pic(self->vm, 1);
	EXPECT_EQ(1, s.init_state);
	EXPECT_EQ(1, s.init4);
	EXPECT_EQ(0, s.elcr);
}

TEST_F(pic, icw1_resets)
{
	struct kvm_pic_state m = get_pic(self->vm, 0);

	m.irr = 0x31;
	m.last_irr = 0x31;
	m.elcr = 0x20;
	m.imr = 0x0f;
	m.isr = 0x11;
	m.priority_add = 3;
	m.special_mask = 1;
	m.read_reg_select = 1;
	m.poll = 1;
	m.irq_base = 0x48;
	m.rotate_on_auto_eoi = 1;
	ASSERT_EQ(0, set_pic(self->vm, 0, &m));
	outb(self->vm, 0x20, 0x11);
	m = get_pic(self->vm, 0);
	EXPECT_EQ(0x20, m.irr);		/* only the level request stays */
	EXPECT_EQ(0, m.last_irr);
	EXPECT_EQ(0, m.imr);
	EXPECT_EQ(0, m.priority_add);
	EXPECT_EQ(0, m.special_mask);
	EXPECT_EQ(0, m.read_reg_select);
	/* Not reset: ISR (no vcpu accepts PIC interrupts), base, poll, R. */
	EXPECT_EQ(0x11, m.isr);
	EXPECT_EQ(0x48, m.irq_base);
	EXPECT_EQ(1, m.poll);
	EXPECT_EQ(1, m.rotate_on_auto_eoi);
}

/*
 * Edges on IR0 and IR1 in IRR and in ISR (with IR2), every line masked;
 * then ICW1, with only vcpu @id in the VM.  Returns the vcpu's fd.
 */
static int icw1_with_vcpu(struct __test_metadata *_metadata, int vm, int id)
{
	struct kvm_pic_state m = get_pic(vm, 0);
	int vcpu = ioctl(vm, KVM_CREATE_VCPU, id);

	ASSERT_LE(0, vcpu);
	m.irr = 0x03;
	m.isr = 0x07;
	m.imr = 0xff;
	ASSERT_EQ(0, set_pic(vm, 0, &m));
	outb(vm, 0x20, 0x11);
	return vcpu;
}

/* With a vcpu (the reset BSP accepts PIC interrupts) ICW1 also clears ISR. */
TEST_F(pic, icw1_clears_isr_of_dropped_edges)
{
	int vcpu = icw1_with_vcpu(_metadata, self->vm, 0);

	EXPECT_EQ(0x04, get_pic(self->vm, 0).isr);
	close(vcpu);
}

/* An AP alone (LINT0 masked, APIC enabled) accepts no PIC interrupts. */
TEST_F(pic, icw1_keeps_isr_without_acceptor)
{
	int vcpu = icw1_with_vcpu(_metadata, self->vm, 1);

	EXPECT_EQ(0x07, get_pic(self->vm, 0).isr);
	EXPECT_EQ(0, get_pic(self->vm, 0).irr);
	close(vcpu);
}

TEST_F(pic, ocw1_and_reads)
{
	bios_init(self->vm, 0x01, 0x01);
	outb(self->vm, 0x21, 0xb8);
	outb(self->vm, 0xa1, 0x5a);
	EXPECT_EQ(0xb8, inb(self->vm, 0x21));
	EXPECT_EQ(0x5a, inb(self->vm, 0xa1));
	EXPECT_EQ(0xb8, get_pic(self->vm, 0).imr);

	pulse(self->vm, 4);
	EXPECT_EQ(0x10, inb(self->vm, 0x20));	/* IRR by default */
	outb(self->vm, 0x20, 0x0b);		/* OCW3: read ISR */
	EXPECT_EQ(0x00, inb(self->vm, 0x20));
	EXPECT_EQ(1, get_pic(self->vm, 0).read_reg_select);
	outb(self->vm, 0x20, 0x0a);
	EXPECT_EQ(0x10, inb(self->vm, 0x20));
	/* OCW3 special mask: stored, no effect. */
	outb(self->vm, 0x20, 0x68);
	EXPECT_EQ(1, get_pic(self->vm, 0).special_mask);
	outb(self->vm, 0x20, 0x48);
	EXPECT_EQ(0, get_pic(self->vm, 0).special_mask);
}

TEST_F(pic, elcr_ports)
{
	__u64 d = 0;

	outb(self->vm, 0x4d0, 0xff);
	outb(self->vm, 0x4d1, 0xff);
	EXPECT_EQ(0xf8, inb(self->vm, 0x4d0));
	EXPECT_EQ(0xde, inb(self->vm, 0x4d1));
	EXPECT_EQ(0xf8, get_pic(self->vm, 0).elcr);
	EXPECT_EQ(0xde, get_pic(self->vm, 1).elcr);
	/* Wider accesses are claimed but ignored; reads give 0. */
	d = 0xffff;
	EXPECT_EQ(0, guest_io(self->vm, KVMIRQ_SPACE_PIO, 0x4d0, 2, 1, &d));
	EXPECT_EQ(0xf8, get_pic(self->vm, 0).elcr);
	EXPECT_EQ(0, guest_io(self->vm, KVMIRQ_SPACE_PIO, 0x4d0, 2, 0, &d));
	EXPECT_EQ(0, d);
	d = 0x11;
	EXPECT_EQ(0, guest_io(self->vm, KVMIRQ_SPACE_PIO, 0x20, 2, 1, &d));
	EXPECT_EQ(0, get_pic(self->vm, 0).init_state);
	/* Accesses that do not fit one device are not claimed. */
	EXPECT_EQ(ENXIO, guest_io(self->vm, KVMIRQ_SPACE_PIO, 0x21, 2, 0, &d));
	EXPECT_EQ(ENXIO, guest_io(self->vm, KVMIRQ_SPACE_PIO, 0x22, 1, 0, &d));
	EXPECT_EQ(ENXIO, guest_io(self->vm, KVMIRQ_SPACE_PIO, 0x4d2, 1, 0, &d));
	EXPECT_EQ(ENXIO, guest_io(self->vm, KVMIRQ_SPACE_PIO, 0x1f, 4, 0, &d));
	EXPECT_EQ(ENXIO, guest_io(self->vm, KVMIRQ_SPACE_MSR, 0x1b, 8, 0, &d));
}

TEST_F(pic, inta_edge_and_eoi)
{
	struct kvm_pic_state m;

	bios_init(self->vm, 0x01, 0x01);
	pulse(self->vm, 3);
	EXPECT_EQ(0x0b, pic_inta(self->vm));
	m = get_pic(self->vm, 0);
	EXPECT_EQ(0, m.irr);
	EXPECT_EQ(0x08, m.isr);
	/* Nothing pending: spurious IRQ 7, no ISR change. */
	EXPECT_EQ(0x0f, pic_inta(self->vm));
	EXPECT_EQ(0x08, get_pic(self->vm, 0).isr);
	outb(self->vm, 0x20, 0x20);		/* non-specific EOI */
	EXPECT_EQ(0, get_pic(self->vm, 0).isr);
}

TEST_F(pic, inta_level_held)
{
	bios_init(self->vm, 0x01, 0x01);
	outb(self->vm, 0x4d0, 0x20);
	EXPECT_EQ(1, irq_line(self->vm, 5, 1) >= 0);
	EXPECT_EQ(0x0d, pic_inta(self->vm));
	EXPECT_EQ(0x20, get_pic(self->vm, 0).irr);	/* still requested */
	EXPECT_EQ(0x0f, pic_inta(self->vm));		/* but in service */
	outb(self->vm, 0x20, 0x65);			/* specific EOI 5 */
	EXPECT_EQ(0x0d, pic_inta(self->vm));		/* again: line high */
	outb(self->vm, 0x20, 0x20);
	irq_line(self->vm, 5, 0);
	EXPECT_EQ(0, get_pic(self->vm, 0).irr);
	EXPECT_EQ(0x0f, pic_inta(self->vm));
}

TEST_F(pic, priorities_and_nesting)
{
	bios_init(self->vm, 0x01, 0x01);
	pulse(self->vm, 6);
	pulse(self->vm, 4);
	pulse(self->vm, 1);
	EXPECT_EQ(0x09, pic_inta(self->vm));	/* IR1 first */
	/* IR4 and IR6 are blocked while IR1 is in service. */
	EXPECT_EQ(0x0f, pic_inta(self->vm));
	outb(self->vm, 0x20, 0x20);
	EXPECT_EQ(0x0c, pic_inta(self->vm));
	/* A higher priority request nests over IR4. */
	pulse(self->vm, 0);
	EXPECT_EQ(0x08, pic_inta(self->vm));
	EXPECT_EQ(0x11, get_pic(self->vm, 0).isr);
	outb(self->vm, 0x20, 0x20);		/* ends IR0, the highest */
	EXPECT_EQ(0x10, get_pic(self->vm, 0).isr);
	outb(self->vm, 0x20, 0x20);
	EXPECT_EQ(0x0e, pic_inta(self->vm));
	outb(self->vm, 0x20, 0x20);
	EXPECT_EQ(0, get_pic(self->vm, 0).isr);
}

TEST_F(pic, rotation)
{
	bios_init(self->vm, 0x01, 0x01);
	/* OCW2 set priority: IR4 lowest, so IR5 highest. */
	outb(self->vm, 0x20, 0xc4);
	EXPECT_EQ(5, get_pic(self->vm, 0).priority_add);
	pulse(self->vm, 3);
	pulse(self->vm, 6);
	EXPECT_EQ(0x0e, pic_inta(self->vm));
	/* Rotate on non-specific EOI: IR6 becomes lowest. */
	outb(self->vm, 0x20, 0xa0);
	EXPECT_EQ(7, get_pic(self->vm, 0).priority_add);
	pulse(self->vm, 6);
	EXPECT_EQ(0x0b, pic_inta(self->vm));
	/* Rotate on specific EOI of IR3: IR4 highest. */
	outb(self->vm, 0x20, 0xe3);
	EXPECT_EQ(4, get_pic(self->vm, 0).priority_add);
	EXPECT_EQ(0, get_pic(self->vm, 0).isr);
	EXPECT_EQ(0x0e, pic_inta(self->vm));
	/* OCW2 no-op and the R bit alone. */
	outb(self->vm, 0x20, 0x40);
	outb(self->vm, 0x20, 0x80);
	EXPECT_EQ(1, get_pic(self->vm, 0).rotate_on_auto_eoi);
	outb(self->vm, 0x20, 0x00);
	EXPECT_EQ(0, get_pic(self->vm, 0).rotate_on_auto_eoi);
	EXPECT_EQ(0x40, get_pic(self->vm, 0).isr);
}

TEST_F(pic, auto_eoi)
{
	bios_init(self->vm, 0x03, 0x01);
	pulse(self->vm, 2 + 1);
	EXPECT_EQ(0x0b, pic_inta(self->vm));
	EXPECT_EQ(0, get_pic(self->vm, 0).isr);
	/* Rotate in AEOI mode: the acknowledged IRQ becomes lowest. */
	outb(self->vm, 0x20, 0x80);
	pulse(self->vm, 5);
	EXPECT_EQ(0x0d, pic_inta(self->vm));
	EXPECT_EQ(6, get_pic(self->vm, 0).priority_add);
}

TEST_F(pic, poll_mode)
{
	pic_routes(_metadata, self->vm);
	bios_init(self->vm, 0x01, 0x01);
	outb(self->vm, 0x20, 0x0c);
	EXPECT_EQ(7, inb(self->vm, 0x20));	/* nothing: 7, no flag bit */
	EXPECT_EQ(0, get_pic(self->vm, 0).poll);
	outb(self->vm, 0x4d0, 0x10);
	irq_line(self->vm, 4, 1);
	outb(self->vm, 0x20, 0x0c);
	EXPECT_EQ(4, inb(self->vm, 0x21));	/* either port */
	/* A poll clears IRR even for a level pin, and ISR. */
	EXPECT_EQ(0, get_pic(self->vm, 0).irr);
	EXPECT_EQ(0, get_pic(self->vm, 0).isr);
	/* Slave poll also clears master IR2. */
	pulse(self->vm, 9);
	EXPECT_EQ(0x04, get_pic(self->vm, 0).irr);
	outb(self->vm, 0xa0, 0x0c);
	EXPECT_EQ(1, inb(self->vm, 0xa0));
	EXPECT_EQ(0, get_pic(self->vm, 0).irr);
	EXPECT_EQ(0, get_pic(self->vm, 1).irr);
}

TEST_F(pic, cascade_inta)
{
	struct kvm_pic_state m, s;

	bios_init(self->vm, 0x01, 0x01);
	pulse(self->vm, 12);
	EXPECT_EQ(0x74, pic_inta(self->vm));
	m = get_pic(self->vm, 0);
	s = get_pic(self->vm, 1);
	EXPECT_EQ(0x04, m.isr);
	EXPECT_EQ(0x10, s.isr);
	/* The slave blocks further slave IRQs through master ISR bit 2. */
	pulse(self->vm, 8);
	EXPECT_EQ(0x0f, pic_inta(self->vm));
	outb(self->vm, 0xa0, 0x20);
	outb(self->vm, 0x20, 0x20);
	EXPECT_EQ(0x70, pic_inta(self->vm));
}

/* GSI 2 is the cascade input: with an idle slave, a spurious IRQ 15. */
TEST_F(pic, spurious_slave)
{
	bios_init(self->vm, 0x01, 0x01);
	pulse(self->vm, 2);
	EXPECT_EQ(0x77, pic_inta(self->vm));
	EXPECT_EQ(0x04, get_pic(self->vm, 0).isr);
	EXPECT_EQ(0, get_pic(self->vm, 1).isr);
}

/* Special fully nested mode: a higher slave IRQ nests over a slave IRQ. */
TEST_F(pic, special_fully_nested)
{
	bios_init(self->vm, 0x11, 0x01);
	pulse(self->vm, 12);
	EXPECT_EQ(0x74, pic_inta(self->vm));
	pulse(self->vm, 9);
	EXPECT_EQ(0x71, pic_inta(self->vm));
	EXPECT_EQ(0x12, get_pic(self->vm, 1).isr);
}

/* Random lines, INTAs, EOIs and masks against the reference model. */
static void pm_nonspecific_eoi(struct kvm_pic_state *s)
{
	int p = pm_priority(s, s->isr);

	if (p < 8)
		s->isr &= ~(1 << ((p + s->priority_add) & 7));
}

TEST_F(pic, random_against_model)
{
	struct pic_model m = { 0 };
	__u64 seed = 7;
	struct kvm_pic_state g;
	unsigned int v;
	int i, c, op;

	pic_routes(_metadata, self->vm);
	bios_init(self->vm, 0x01, 0x01);
	outb(self->vm, 0x4d0, 0x28);
	outb(self->vm, 0x4d1, 0x02);
	m.c[0] = get_pic(self->vm, 0);
	m.c[1] = get_pic(self->vm, 1);
	for (i = 0; i < 5000; i++) {
		op = rnd(&seed) % 10;
		c = rnd(&seed) % 2;
		v = rnd(&seed);
		if (op < 5) {
			ASSERT_EQ(pm_set_irq(&m, v % 16, 0, (v >> 4) & 1),
				  irq_line(self->vm, v % 16, (v >> 4) & 1));
		} else if (op < 7) {
			ASSERT_EQ(pm_inta(&m), pic_inta(self->vm)) TH_LOG("step %d", i);
		} else if (op == 7) {
			outb(self->vm, c ? 0xa0 : 0x20, 0x20);
			pm_nonspecific_eoi(&m.c[c]);
			pm_update(&m);
		} else if (op == 8) {
			outb(self->vm, c ? 0xa0 : 0x20, 0xc0 | (v & 7));
			m.c[c].priority_add = ((v & 7) + 1) & 7;
			pm_update(&m);
		} else {
			v &= (v >> 8) & 0xff;	/* mostly unmasked */
			outb(self->vm, c ? 0xa1 : 0x21, v);
			m.c[c].imr = v;
			pm_update(&m);
		}
		for (c = 0; c < 2; c++) {
			g = get_pic(self->vm, c);
			ASSERT_EQ(0, memcmp(&g, &m.c[c], sizeof(g))) TH_LOG("step %d op %d", i, op);
		}
	}
}

TEST_F(pic, no_irqchip)
{
	int vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	struct kvmirq_ack ack = { 0 };
	__u64 d = 0;

	ASSERT_LE(0, vm);
	EXPECT_EQ(ENXIO, guest_io(vm, KVMIRQ_SPACE_PIO, 0x20, 1, 0, &d));
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(vm, KVMIRQ_GUEST_ACK, &ack)));
	close(vm);
}

TEST_HARNESS_MAIN
