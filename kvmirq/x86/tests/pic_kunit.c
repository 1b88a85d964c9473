// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for pic.c: the 8259A pair and the PIIX ELCR as KVM models
 * them (i8259.c), driven through the same verbs the guest side and the
 * ioctls use (port accesses, pin levels, the INTA cycle, GET/SET) on a bare
 * VM (tests/chipset_kunit.h).  Included at the end of pic.c when CONFIG_KUNIT
 * is set, so the static helpers (priority resolution) are reachable too.
 *
 * Vectors follow a PC BIOS: master at 0x08, slave at 0x70.
 */
#include <kunit/test.h>

#include "chipset_kunit.h"

#define M_CMD	0x20
#define M_DATA	0x21
#define S_CMD	0xa0
#define S_DATA	0xa1
#define M_BASE	0x08
#define S_BASE	0x70

static int kvmirq_pic_test_init(struct kunit *test)
{
	struct kvmirq_vm *vm = kvmirq_test_vm_create(test);
	struct kvmirq_pic *pic = kvmirq_pic_create(vm);

	if (!pic) {
		kvmirq_test_vm_destroy(vm);
		return -ENOMEM;
	}
	kvmirq_x86(vm)->pic = pic;	/* one thread: no publication order */
	test->priv = vm;
	return 0;
}

static void kvmirq_pic_test_exit(struct kunit *test)
{
	struct kvmirq_vm *vm = test->priv;

	if (!vm)
		return;
	kvmirq_pic_destroy(kvmirq_x86_pic(vm));
	kvmirq_test_vm_destroy(vm);
}

static struct kvmirq_pic *t_pic(struct kunit *test)
{
	return kvmirq_x86_pic(test->priv);
}

/* Direct access to a chip, for set-up and checks (one thread, no lock). */
static struct kvm_pic_state *t_chip(struct kunit *test, int c)
{
	return &t_pic(test)->chip[c];
}

static int t_io(struct kunit *test, u16 port, u32 len, bool write, u8 *val)
{
	struct kvmirq_io io = {
		.space = KVMIRQ_SPACE_PIO,
		.len = len,
		.flags = write ? KVMIRQ_IO_WRITE : 0,
		.addr = port,
		.data = write ? *val : 0xdead,
	};
	int r = kvmirq_pic_io(test->priv, &io);

	if (!write)
		*val = io.data;
	return r;
}

static void t_out(struct kunit *test, u16 port, u8 val)
{
	KUNIT_ASSERT_EQ(test, t_io(test, port, 1, true, &val), 0);
}

static u8 t_in(struct kunit *test, u16 port)
{
	u8 val;

	KUNIT_ASSERT_EQ(test, t_io(test, port, 1, false, &val), 0);
	return val;
}

static int t_line(struct kunit *test, u32 pin, int level)
{
	return kvmirq_pic_set_irq(test->priv, pin, KVMIRQ_SOURCE_USERSPACE,
				  level);
}

/* An edge on a pin: up, then down again. */
static void t_pulse(struct kunit *test, u32 pin)
{
	t_line(test, pin, 1);
	t_line(test, pin, 0);
}

static bool t_intr(struct kunit *test)
{
	return kvmirq_pic_intr(test->priv);
}

static u32 t_ack(struct kunit *test)
{
	return kvmirq_pic_ack(test->priv);
}

/* ICW1 (IC4), ICW2, ICW3, ICW4 on one chip, as a PC BIOS does. */
static void t_init_chip(struct kunit *test, int c, u8 base, u8 icw4)
{
	u16 cmd = c ? S_CMD : M_CMD;

	t_out(test, cmd, 0x11);
	t_out(test, cmd + 1, base);
	t_out(test, cmd + 1, c ? 0x02 : 0x04);
	t_out(test, cmd + 1, icw4);
}

static void t_bios_init(struct kunit *test, u8 master_icw4, u8 slave_icw4)
{
	t_init_chip(test, PIC_MASTER, M_BASE, master_icw4);
	t_init_chip(test, PIC_SLAVE, S_BASE, slave_icw4);
}

/* The three registers of a chip, in one check. */
static void t_expect_regs(struct kunit *test, int c, u8 irr, u8 isr, u8 imr)
{
	const struct kvm_pic_state *s = t_chip(test, c);

	KUNIT_EXPECT_EQ_MSG(test, s->irr, irr, "chip %d irr", c);
	KUNIT_EXPECT_EQ_MSG(test, s->isr, isr, "chip %d isr", c);
	KUNIT_EXPECT_EQ_MSG(test, s->imr, imr, "chip %d imr", c);
}

/* A whole chip state, byte by byte, naming the field that differs. */
static void t_expect_state(struct kunit *test, const struct kvm_pic_state *got,
			   const struct kvm_pic_state *want)
{
	static const char * const names[] = {
		"last_irr", "irr", "imr", "isr", "priority_add", "irq_base",
		"read_reg_select", "poll", "special_mask", "init_state",
		"auto_eoi", "rotate_on_auto_eoi", "special_fully_nested_mode",
		"init4", "elcr", "elcr_mask",
	};
	const u8 *g = (const u8 *)got, *w = (const u8 *)want;
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(names) != sizeof(*got));
	for (i = 0; i < sizeof(*got); i++)
		KUNIT_EXPECT_EQ_MSG(test, g[i], w[i], "%s", names[i]);
}

/* After KVM_CREATE_IRQCHIP: everything zero but the ELCR masks. */
static void kvmirq_pic_create_test(struct kunit *test)
{
	struct kvm_pic_state zero = { 0 }, s;

	kvmirq_pic_get_state(test->priv, PIC_MASTER, &s);
	zero.elcr_mask = 0xf8;
	t_expect_state(test, &s, &zero);
	kvmirq_pic_get_state(test->priv, PIC_SLAVE, &s);
	zero.elcr_mask = 0xde;
	t_expect_state(test, &s, &zero);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
}

/* The initialisation sequence, ICW1 to ICW4, on the master. */
struct kvmirq_pic_icw_case {
	const char *what;
	u8 icw1, icw2;
	int icw4;		/* -1: not expected (no IC4) */
	u8 init4, irq_base, auto_eoi, sfnm;
};

static const struct kvmirq_pic_icw_case kvmirq_pic_icw_cases[] = {
	{ "8086 mode", 0x11, 0x08, 0x01, 1, 0x08, 0, 0 },
	{ "auto-EOI", 0x11, 0x20, 0x03, 1, 0x20, 1, 0 },
	{ "special fully nested", 0x11, 0x20, 0x11, 1, 0x20, 0, 1 },
	{ "all ICW4 bits", 0x11, 0x28, 0x1f, 1, 0x28, 1, 1 },
	{ "ICW2 low bits dropped", 0x11, 0x0f, 0x01, 1, 0x08, 0, 0 },
	{ "no IC4: ICW3 ends it", 0x10, 0x70, -1, 0, 0x70, 0, 0 },
	/* KVM ABI: SNGL does not skip ICW3 and LTIM does not set ELCR. */
	{ "SNGL and LTIM ignored", 0x1b, 0x48, 0x01, 1, 0x48, 0, 0 },
};

static void kvmirq_pic_icw_desc(const struct kvmirq_pic_icw_case *c,
				char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kvmirq_pic_icw, kvmirq_pic_icw_cases, kvmirq_pic_icw_desc);

static void kvmirq_pic_icw_test(struct kunit *test)
{
	const struct kvmirq_pic_icw_case *c = test->param_value;
	struct kvm_pic_state *s = t_chip(test, PIC_MASTER);

	t_out(test, M_CMD, c->icw1);
	KUNIT_EXPECT_EQ(test, s->init_state, 1);
	t_out(test, M_DATA, c->icw2);
	KUNIT_EXPECT_EQ(test, s->init_state, 2);
	t_out(test, M_DATA, 0x04);		/* ICW3 */
	KUNIT_EXPECT_EQ(test, s->init_state, c->icw4 < 0 ? 0 : 3);
	if (c->icw4 >= 0)
		t_out(test, M_DATA, c->icw4);
	KUNIT_EXPECT_EQ(test, s->init_state, 0);
	KUNIT_EXPECT_EQ(test, s->init4, c->init4);
	KUNIT_EXPECT_EQ(test, s->irq_base, c->irq_base);
	KUNIT_EXPECT_EQ(test, s->auto_eoi, c->auto_eoi);
	KUNIT_EXPECT_EQ(test, s->special_fully_nested_mode, c->sfnm);
	KUNIT_EXPECT_EQ(test, s->elcr, 0);
	/* Initialised: the data port is OCW1 again. */
	t_out(test, M_DATA, 0x5a);
	t_expect_regs(test, PIC_MASTER, 0, 0, 0x5a);
	KUNIT_EXPECT_EQ(test, t_in(test, M_DATA), 0x5a);
}

/* What ICW1 resets and what it keeps, with and without IC4. */
static void kvmirq_pic_icw1_reset_test(struct kunit *test)
{
	struct kvm_pic_state *s = t_chip(test, PIC_MASTER);
	const struct kvm_pic_state before = {
		.last_irr = 0xff, .irr = 0x3c, .imr = 0xaa, .isr = 0x24,
		.priority_add = 5, .irq_base = 0x40, .read_reg_select = 1,
		.poll = 1, .special_mask = 1, .auto_eoi = 1,
		.rotate_on_auto_eoi = 1, .special_fully_nested_mode = 1,
		.elcr = 0x18, .elcr_mask = 0xf8,
	};
	struct kvm_pic_state want = before;

	/* Without a vcpu accepting PIC interrupts, ISR is kept. */
	want.last_irr = 0;
	want.irr = 0x18;		/* level requests stay */
	want.imr = 0;
	want.priority_add = 0;
	want.read_reg_select = 0;
	want.special_mask = 0;
	want.init_state = 1;

	*s = before;
	t_out(test, M_CMD, 0x11);
	want.init4 = 1;
	t_expect_state(test, s, &want);

	*s = before;
	t_out(test, M_CMD, 0x10);
	want.init4 = 0;
	want.auto_eoi = 0;
	want.special_fully_nested_mode = 0;
	t_expect_state(test, s, &want);
}

/*
 * KVM ABI: ICW1 clears the ISR bits of the edge requests it drops only
 * when some vcpu accepts PIC interrupts.
 */
struct kvmirq_pic_acceptor_case {
	const char *what;
	int vcpus;		/* 0, 1 (boot) or 2 (boot and an AP) */
	bool boot_lint0_masked;
	bool ap_hw_disabled;
	bool cleared;
};

static const struct kvmirq_pic_acceptor_case kvmirq_pic_acceptor_cases[] = {
	{ "no vcpu", 0, false, false, false },
	{ "boot vcpu, LINT0 ExtINT", 1, false, false, true },
	{ "boot vcpu, LINT0 masked", 1, true, false, false },
	{ "AP with LINT0 masked only", 2, true, false, false },
	{ "AP with its LAPIC disabled", 2, true, true, true },
};

static void kvmirq_pic_acceptor_desc(const struct kvmirq_pic_acceptor_case *c,
				     char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kvmirq_pic_acceptor, kvmirq_pic_acceptor_cases,
		  kvmirq_pic_acceptor_desc);

static void kvmirq_pic_icw1_acceptor_test(struct kunit *test)
{
	const struct kvmirq_pic_acceptor_case *c = test->param_value;
	struct kvm_pic_state *s = t_chip(test, PIC_MASTER);
	struct kvmirq_lapic *l;

	if (c->vcpus >= 1) {
		l = kvmirq_test_vcpu_add(test, test->priv, 0, true, false);
		if (c->boot_lint0_masked)
			kvmirq_lapic_set_reg(l, APIC_LVT0,
					     APIC_DM_EXTINT | APIC_LVT_MASKED);
	}
	if (c->vcpus >= 2) {
		l = kvmirq_test_vcpu_add(test, test->priv, 1, false, false);
		if (c->ap_hw_disabled)
			WRITE_ONCE(l->base, l->base & ~KVMIRQ_APIC_BASE_EN);
	}
	s->elcr = 0x08;
	s->irr = 0x0e;		/* edge 1, 2; level 3 */
	s->isr = 0x0f;
	t_out(test, M_CMD, 0x11);
	KUNIT_EXPECT_EQ(test, s->irr, 0x08);
	KUNIT_EXPECT_EQ(test, s->isr, c->cleared ? 0x09 : 0x0f);
}

/* One input change on master pin 3: KVM's status and the latches. */
struct kvmirq_pic_input_case {
	const char *what;
	u8 elcr, imr, irr, last_irr;
	int level, ret;
	u8 want_irr, want_last_irr;
};

static const struct kvmirq_pic_input_case kvmirq_pic_input_cases[] = {
	{ "edge: rising edge", 0, 0, 0, 0, 1, 1, 0x08, 0x08 },
	/* KVM ABI: a held line reports 1 and requests nothing new. */
	{ "edge: line held high", 0, 0, 0, 0x08, 1, 1, 0, 0x08 },
	{ "edge: new edge, IRR latched", 0, 0, 0x08, 0, 1, 0, 0x08, 0x08 },
	{ "edge: falling keeps IRR", 0, 0, 0x08, 0x08, 0, 1, 0x08, 0 },
	/* KVM ABI: IMR does not stop latching, but reports -1. */
	{ "edge: masked rising edge", 0, 0x08, 0, 0, 1, -1, 0x08, 0x08 },
	{ "edge: masked falling", 0, 0x08, 0x08, 0x08, 0, -1, 0x08, 0 },
	{ "level: assert", 0x08, 0, 0, 0, 1, 1, 0x08, 0x08 },
	{ "level: assert, IRR set", 0x08, 0, 0x08, 0x08, 1, 0, 0x08, 0x08 },
	{ "level: deassert clears IRR", 0x08, 0, 0x08, 0x08, 0, 1, 0, 0 },
	{ "level: masked assert", 0x08, 0x08, 0, 0, 1, -1, 0x08, 0x08 },
	{ "other pins untouched", 0x08, 0, 0xf7, 0xf7, 0, 1, 0xf7, 0xf7 },
};

static void kvmirq_pic_input_desc(const struct kvmirq_pic_input_case *c,
				  char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kvmirq_pic_input, kvmirq_pic_input_cases,
		  kvmirq_pic_input_desc);

static void kvmirq_pic_input_test(struct kunit *test)
{
	const struct kvmirq_pic_input_case *c = test->param_value;
	struct kvm_pic_state *s = t_chip(test, PIC_MASTER);

	s->elcr = c->elcr;
	s->imr = c->imr;
	s->irr = c->irr;
	s->last_irr = c->last_irr;
	s->isr = 0x01;		/* IR0 in service: nothing else is acked */
	KUNIT_EXPECT_EQ(test, t_line(test, 3, c->level), c->ret);
	KUNIT_EXPECT_EQ(test, s->irr, c->want_irr);
	KUNIT_EXPECT_EQ(test, s->last_irr, c->want_last_irr);
	KUNIT_EXPECT_EQ(test, s->isr, 0x01);
}

/* A pin's level is the OR of its sources (userspace, resampling irqfd). */
static void kvmirq_pic_sources_test(struct kunit *test)
{
	struct kvmirq_vm *vm = test->priv;
	struct kvm_pic_state *s = t_chip(test, PIC_MASTER);

	t_out(test, 0x4d0, 0x20);		/* pin 5 level */
	KUNIT_EXPECT_EQ(test, kvmirq_pic_set_irq(vm, 5, KVMIRQ_SOURCE_USERSPACE, 1), 1);
	KUNIT_EXPECT_EQ(test, kvmirq_pic_set_irq(vm, 5, KVMIRQ_SOURCE_RESAMPLE, 1), 0);
	kvmirq_pic_set_irq(vm, 5, KVMIRQ_SOURCE_USERSPACE, 0);
	KUNIT_EXPECT_EQ(test, s->irr, 0x20);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	kvmirq_pic_set_irq(vm, 5, KVMIRQ_SOURCE_RESAMPLE, 0);
	KUNIT_EXPECT_EQ(test, s->irr, 0);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
}

/* KVM ABI: the PIIX ELCR: IRQ 0, 1, 2, 8 and 13 are always edge. */
struct kvmirq_pic_elcr_case {
	u16 port;
	u8 val, want;
};

static const struct kvmirq_pic_elcr_case kvmirq_pic_elcr_cases[] = {
	{ 0x4d0, 0xff, 0xf8 }, { 0x4d0, 0x07, 0x00 }, { 0x4d0, 0xa8, 0xa8 },
	{ 0x4d1, 0xff, 0xde }, { 0x4d1, 0x21, 0x00 }, { 0x4d1, 0x0c, 0x0c },
};

static void kvmirq_pic_elcr_desc(const struct kvmirq_pic_elcr_case *c,
				 char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "port %#x <- %#04x", c->port,
		 c->val);
}

KUNIT_ARRAY_PARAM(kvmirq_pic_elcr, kvmirq_pic_elcr_cases, kvmirq_pic_elcr_desc);

static void kvmirq_pic_elcr_test(struct kunit *test)
{
	const struct kvmirq_pic_elcr_case *c = test->param_value;
	int other = (c->port & 1) ^ 1;

	t_out(test, c->port, c->val);
	KUNIT_EXPECT_EQ(test, t_in(test, c->port), c->want);
	KUNIT_EXPECT_EQ(test, t_chip(test, c->port & 1)->elcr, c->want);
	KUNIT_EXPECT_EQ(test, t_chip(test, other)->elcr, 0);
}

/* The ports the PIC claims, and accesses wider than a byte. */
struct kvmirq_pic_port_case {
	u16 port;
	u32 len;
	int ret;
};

static const struct kvmirq_pic_port_case kvmirq_pic_port_cases[] = {
	{ 0x20, 1, 0 }, { 0x21, 1, 0 }, { 0xa0, 1, 0 }, { 0xa1, 1, 0 },
	{ 0x4d0, 1, 0 }, { 0x4d1, 1, 0 },
	{ 0x1f, 1, -ENXIO }, { 0x22, 1, -ENXIO }, { 0x9f, 1, -ENXIO },
	{ 0xa2, 1, -ENXIO }, { 0x4cf, 1, -ENXIO }, { 0x4d2, 1, -ENXIO },
	/* KVM ABI: within the range but wider: ignored, reads 0. */
	{ 0x20, 2, 0 }, { 0xa0, 2, 0 }, { 0x4d0, 2, 0 },
	{ 0x21, 2, -ENXIO }, { 0x20, 4, -ENXIO }, { 0x1f, 2, -ENXIO },
};

static void kvmirq_pic_port_desc(const struct kvmirq_pic_port_case *c,
				 char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "port %#x len %u", c->port,
		 c->len);
}

KUNIT_ARRAY_PARAM(kvmirq_pic_port, kvmirq_pic_port_cases, kvmirq_pic_port_desc);

static void kvmirq_pic_port_test(struct kunit *test)
{
	const struct kvmirq_pic_port_case *c = test->param_value;
	struct kvm_pic_state want[2];
	u8 val = 0xff;
	int r;

	t_bios_init(test, 0x01, 0x01);
	t_out(test, M_DATA, 0x5a);
	t_out(test, S_DATA, 0xa5);
	t_out(test, 0x4d0, 0xf8);
	t_out(test, 0x4d1, 0xde);
	t_line(test, 4, 1);
	t_line(test, 9, 1);
	memcpy(want, t_pic(test)->chip, sizeof(want));

	r = t_io(test, c->port, c->len, false, &val);
	KUNIT_EXPECT_EQ(test, r, c->ret);
	if (!r && c->len > 1)
		KUNIT_EXPECT_EQ(test, val, 0);
	else if (r)
		KUNIT_EXPECT_EQ(test, val, 0xad);	/* untouched */
	KUNIT_EXPECT_EQ(test, t_io(test, c->port, c->len, true, &val), c->ret);
	if (c->len > 1 || c->ret) {
		t_expect_state(test, t_chip(test, PIC_MASTER), &want[0]);
		t_expect_state(test, t_chip(test, PIC_SLAVE), &want[1]);
	}
}

/* OCW1: IMR gates INTR, not IRR. */
static void kvmirq_pic_imr_test(struct kunit *test)
{
	t_bios_init(test, 0x01, 0x01);
	t_pulse(test, 4);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	t_out(test, M_DATA, 0x10);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
	t_expect_regs(test, PIC_MASTER, 0x10, 0, 0x10);
	KUNIT_EXPECT_EQ(test, t_in(test, M_DATA), 0x10);
	/* Masking the cascade input hides every slave request. */
	t_out(test, M_DATA, 0x04);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	t_pulse(test, 12);
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 4);
	t_out(test, M_CMD, 0x20);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
	t_out(test, M_DATA, 0x00);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	KUNIT_EXPECT_EQ(test, t_ack(test), S_BASE + 4);
}

/* Priority resolution of one chip (pic_get_irq in KVM). */
struct kvmirq_pic_prio_case {
	const char *what;
	int chip;
	u8 priority_add, irr, imr, isr, sfnm;
	int want;
};

static const struct kvmirq_pic_prio_case kvmirq_pic_prio_cases[] = {
	{ "nothing requested", 0, 0, 0, 0, 0, 0, -1 },
	{ "IR0 highest", 0, 0, 0xff, 0, 0, 0, 0 },
	{ "lowest number wins", 0, 0, 0x28, 0, 0, 0, 3 },
	{ "masked request skipped", 0, 0, 0x28, 0x08, 0, 0, 5 },
	{ "all masked", 0, 0, 0x28, 0x28, 0, 0, -1 },
	{ "higher in service blocks", 0, 0, 0x20, 0, 0x08, 0, -1 },
	{ "same in service blocks", 0, 0, 0x08, 0, 0x08, 0, -1 },
	{ "lower in service: nests", 0, 0, 0x08, 0, 0x20, 0, 3 },
	{ "masked in-service still blocks", 0, 0, 0x20, 0x08, 0x08, 0, -1 },
	{ "rotated: IR4 highest", 0, 4, 0x21, 0, 0, 0, 5 },
	{ "rotated: IR3 lowest", 0, 4, 0x09, 0, 0, 0, 0 },
	{ "rotated: IR6 in service blocks IR0", 0, 4, 0x01, 0, 0x40, 0, -1 },
	{ "rotated: IR1 in service, IR7 nests", 0, 7, 0x80, 0, 0x02, 0, 7 },
	{ "SFNM: IR2 in service does not block IR2", 0, 0, 0x04, 0, 0x04, 1, 2 },
	/* KVM ABI: SFNM drops ISR bit 2 altogether (an 8259A blocks IR3). */
	{ "SFNM: IR2 in service lets IR3 in", 0, 0, 0x08, 0, 0x04, 1, 3 },
	{ "SFNM: IR1 in service blocks IR2", 0, 0, 0x04, 0, 0x02, 1, -1 },
	{ "fully nested: IR2 blocks IR2", 0, 0, 0x04, 0, 0x04, 0, -1 },
	{ "SFNM on the slave: no effect", 1, 0, 0x04, 0, 0x04, 1, -1 },
};

static void kvmirq_pic_prio_desc(const struct kvmirq_pic_prio_case *c,
				 char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kvmirq_pic_prio, kvmirq_pic_prio_cases, kvmirq_pic_prio_desc);

static void kvmirq_pic_prio_test(struct kunit *test)
{
	const struct kvmirq_pic_prio_case *c = test->param_value;
	struct kvmirq_pic *pic = t_pic(test);
	struct kvm_pic_state *s = t_chip(test, c->chip);
	int irq;

	s->priority_add = c->priority_add;
	s->irr = c->irr;
	s->imr = c->imr;
	s->isr = c->isr;
	s->special_fully_nested_mode = c->sfnm;
	spin_lock(&pic->lock);
	irq = kvmirq_pic_candidate_locked(pic, c->chip);
	spin_unlock(&pic->lock);
	KUNIT_EXPECT_EQ(test, irq, c->want);
}

/* INTA takes the best request; an EOI lets the next one through. */
static void kvmirq_pic_ack_order_test(struct kunit *test)
{
	t_bios_init(test, 0x01, 0x01);
	t_pulse(test, 5);
	t_pulse(test, 3);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 3);
	t_expect_regs(test, PIC_MASTER, 0x20, 0x08, 0);
	KUNIT_EXPECT_FALSE(test, t_intr(test));	/* 5 waits for 3's EOI */
	/* A higher-priority request nests. */
	t_pulse(test, 1);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 1);
	t_expect_regs(test, PIC_MASTER, 0x20, 0x0a, 0);
	t_out(test, M_CMD, 0x20);		/* ends 1, the highest */
	t_expect_regs(test, PIC_MASTER, 0x20, 0x08, 0);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
	t_out(test, M_CMD, 0x20);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 5);
	t_out(test, M_CMD, 0x20);
	t_expect_regs(test, PIC_MASTER, 0, 0, 0);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
}

/* OCW2 on a master with IR3 and IR5 in service. */
struct kvmirq_pic_ocw2_case {
	const char *what;
	u8 ocw2, priority_add, isr;
	u8 want_isr, want_priority_add, want_rotate;
};

static const struct kvmirq_pic_ocw2_case kvmirq_pic_ocw2_cases[] = {
	{ "non-specific EOI", 0x20, 0, 0x28, 0x20, 0, 0 },
	{ "non-specific EOI, rotated", 0x20, 4, 0x28, 0x08, 4, 0 },
	{ "non-specific EOI, ISR empty", 0x20, 2, 0, 0, 2, 0 },
	{ "rotate on non-specific EOI", 0xa0, 0, 0x28, 0x20, 4, 0 },
	{ "rotate on non-specific EOI, rotated", 0xa0, 4, 0x28, 0x08, 6, 0 },
	{ "rotate on EOI, ISR empty: no rotation", 0xa0, 2, 0, 0, 2, 0 },
	{ "specific EOI of IR5", 0x65, 0, 0x28, 0x08, 0, 0 },
	{ "specific EOI of a clear bit", 0x61, 0, 0x28, 0x28, 0, 0 },
	{ "rotate on specific EOI of IR5", 0xe5, 0, 0x28, 0x08, 6, 0 },
	{ "rotate on specific EOI of IR7", 0xe7, 3, 0x28, 0x28, 0, 0 },
	{ "set priority: IR3 lowest", 0xc3, 0, 0x28, 0x28, 4, 0 },
	{ "set priority: IR7 lowest", 0xc7, 5, 0x28, 0x28, 0, 0 },
	{ "set rotate in auto-EOI mode", 0x80, 1, 0x28, 0x28, 1, 1 },
	{ "no operation", 0x40, 1, 0x28, 0x28, 1, 0 },
};

static void kvmirq_pic_ocw2_desc(const struct kvmirq_pic_ocw2_case *c,
				 char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kvmirq_pic_ocw2, kvmirq_pic_ocw2_cases, kvmirq_pic_ocw2_desc);

static void kvmirq_pic_ocw2_test(struct kunit *test)
{
	const struct kvmirq_pic_ocw2_case *c = test->param_value;
	struct kvm_pic_state *s = t_chip(test, PIC_MASTER);

	s->priority_add = c->priority_add;
	s->isr = c->isr;
	t_out(test, M_CMD, c->ocw2);
	KUNIT_EXPECT_EQ(test, s->isr, c->want_isr);
	KUNIT_EXPECT_EQ(test, s->priority_add, c->want_priority_add);
	KUNIT_EXPECT_EQ(test, s->rotate_on_auto_eoi, c->want_rotate);
	/* Command writes never touch the registers of the other chip. */
	KUNIT_EXPECT_EQ(test, t_chip(test, PIC_SLAVE)->priority_add, 0);
}

/* OCW2 0x00 clears what 0x80 set. */
static void kvmirq_pic_aeoi_rotate_clear_test(struct kunit *test)
{
	t_out(test, M_CMD, 0x80);
	KUNIT_EXPECT_EQ(test, t_chip(test, PIC_MASTER)->rotate_on_auto_eoi, 1);
	t_out(test, M_CMD, 0x00);
	KUNIT_EXPECT_EQ(test, t_chip(test, PIC_MASTER)->rotate_on_auto_eoi, 0);
}

/*
 * Rotation on EOI shares the CPU between devices of equal priority: the
 * one just served becomes the lowest.
 */
static void kvmirq_pic_rotation_test(struct kunit *test)
{
	t_bios_init(test, 0x01, 0x01);
	t_pulse(test, 3);
	t_pulse(test, 4);
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 3);
	t_out(test, M_CMD, 0xa0);
	t_pulse(test, 3);
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 4);
	t_out(test, M_CMD, 0xa0);
	t_pulse(test, 4);
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 3);
	t_out(test, M_CMD, 0xa0);
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 4);
	KUNIT_EXPECT_EQ(test, t_chip(test, PIC_MASTER)->priority_add, 4);
	/* Set priority moves the lowest without an EOI: IR6 lowest. */
	t_pulse(test, 6);
	t_pulse(test, 7);
	t_out(test, M_CMD, 0xa0);
	t_out(test, M_CMD, 0xc6);
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 7);
}

/* OCW3 chooses what the command port reads; the data port reads IMR. */
static void kvmirq_pic_read_select_test(struct kunit *test)
{
	t_bios_init(test, 0x01, 0x01);
	t_pulse(test, 1);
	t_pulse(test, 4);
	t_ack(test);
	t_out(test, M_DATA, 0x80);
	KUNIT_EXPECT_EQ(test, t_in(test, M_CMD), 0x10);		/* IRR */
	t_out(test, M_CMD, 0x0b);
	KUNIT_EXPECT_EQ(test, t_in(test, M_CMD), 0x02);		/* ISR */
	KUNIT_EXPECT_EQ(test, t_in(test, M_CMD), 0x02);		/* sticky */
	t_out(test, M_CMD, 0x08);				/* RR=0 */
	KUNIT_EXPECT_EQ(test, t_in(test, M_CMD), 0x02);
	KUNIT_EXPECT_EQ(test, t_in(test, M_DATA), 0x80);
	t_out(test, M_CMD, 0x0a);
	KUNIT_EXPECT_EQ(test, t_in(test, M_CMD), 0x10);
	KUNIT_EXPECT_EQ(test, t_in(test, S_CMD), 0);
}

/*
 * Poll mode: the read acknowledges and ends the best request at once.
 * KVM ABI: the bare IRQ number (no 0x80 flag), or 7 when none.
 */
static void kvmirq_pic_poll_test(struct kunit *test)
{
	t_bios_init(test, 0x01, 0x01);
	t_out(test, 0x4d0, 0x20);		/* pin 5 level */
	t_pulse(test, 3);
	t_line(test, 5, 1);
	t_out(test, M_CMD, 0x0c);
	KUNIT_EXPECT_EQ(test, t_chip(test, PIC_MASTER)->poll, 1);
	KUNIT_EXPECT_EQ(test, t_in(test, M_CMD), 3);
	t_expect_regs(test, PIC_MASTER, 0x20, 0, 0);
	/* One-shot: the next read is IRR again. */
	KUNIT_EXPECT_EQ(test, t_in(test, M_CMD), 0x20);
	/* The data port polls too; a level request is cleared as well. */
	t_out(test, M_CMD, 0x0c);
	KUNIT_EXPECT_EQ(test, t_in(test, M_DATA), 5);
	t_expect_regs(test, PIC_MASTER, 0, 0, 0);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
	t_out(test, M_CMD, 0x0c);
	KUNIT_EXPECT_EQ(test, t_in(test, M_CMD), 7);
	KUNIT_EXPECT_EQ(test, t_chip(test, PIC_MASTER)->poll, 0);
}

/* Polling the slave also clears the cascade request and in-service bit. */
static void kvmirq_pic_poll_slave_test(struct kunit *test)
{
	t_bios_init(test, 0x01, 0x01);
	t_pulse(test, 10);
	t_expect_regs(test, PIC_MASTER, 0x04, 0, 0);
	t_chip(test, PIC_MASTER)->isr = 0x04;
	t_out(test, S_CMD, 0x0c);
	KUNIT_EXPECT_EQ(test, t_in(test, S_CMD), 2);
	t_expect_regs(test, PIC_SLAVE, 0, 0, 0);
	t_expect_regs(test, PIC_MASTER, 0, 0, 0);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
}

/* KVM ABI: a master poll that finds IR2 leaves INTR as it was. */
static void kvmirq_pic_poll_cascade_test(struct kunit *test)
{
	t_bios_init(test, 0x01, 0x01);
	t_pulse(test, 10);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	t_out(test, M_CMD, 0x0c);
	KUNIT_EXPECT_EQ(test, t_in(test, M_CMD), 2);
	t_expect_regs(test, PIC_MASTER, 0, 0, 0);
	t_expect_regs(test, PIC_SLAVE, 0x04, 0, 0);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	/* The next update pulses IR2 again for the slave's request. */
	t_out(test, M_DATA, 0);
	t_expect_regs(test, PIC_MASTER, 0x04, 0, 0);
	KUNIT_EXPECT_EQ(test, t_ack(test), S_BASE + 2);
}

/*
 * Which pins an ISR change reports to the ack notifiers (irqfd
 * resampling), recorded under the lock and run after unlock.
 */
struct kvmirq_pic_acked_case {
	const char *what;
	int chip;
	u8 isr, ocw2;
	u16 acked;
};

static const struct kvmirq_pic_acked_case kvmirq_pic_acked_cases[] = {
	{ "slave non-specific EOI", 1, 0x08, 0x20, BIT(11) },
	{ "master non-specific EOI", 0, 0x28, 0x20, BIT(3) },
	{ "master specific EOI", 0, 0x28, 0x65, BIT(5) },
	/* KVM ABI: a specific EOI notifies even if the bit was clear. */
	{ "specific EOI of a clear bit", 0, 0, 0x61, BIT(1) },
	{ "slave rotate on specific EOI", 1, 0x04, 0xe2, BIT(10) },
	{ "non-specific EOI, ISR empty", 0, 0, 0x20, 0 },
	{ "set priority", 1, 0xff, 0xc3, 0 },
	{ "no operation", 0, 0xff, 0x40, 0 },
};

static void kvmirq_pic_acked_desc(const struct kvmirq_pic_acked_case *c,
				  char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kvmirq_pic_acked, kvmirq_pic_acked_cases,
		  kvmirq_pic_acked_desc);

static void kvmirq_pic_acked_test(struct kunit *test)
{
	const struct kvmirq_pic_acked_case *c = test->param_value;
	struct kvmirq_pic *pic = t_pic(test);
	u16 acked;

	t_chip(test, c->chip)->isr = c->isr;
	kvmirq_pic_lock(pic);
	kvmirq_pic_command_write_locked(pic, c->chip, c->ocw2);
	acked = pic->acked;
	kvmirq_pic_unlock(pic);
	KUNIT_EXPECT_EQ(test, acked, c->acked);
	KUNIT_EXPECT_EQ(test, pic->acked, 0);
}

/* Auto-EOI and ICW1 (with an acceptor) report what they end, too. */
static void kvmirq_pic_acked_aeoi_icw1_test(struct kunit *test)
{
	struct kvmirq_pic *pic = t_pic(test);
	u16 acked;

	kvmirq_test_vcpu_add(test, test->priv, 0, true, false);
	t_bios_init(test, 0x01, 0x03);
	t_pulse(test, 13);
	kvmirq_pic_lock(pic);
	kvmirq_pic_intack_locked(pic, PIC_MASTER, 2);
	kvmirq_pic_intack_locked(pic, PIC_SLAVE, 5);
	acked = pic->acked;
	kvmirq_pic_unlock(pic);
	KUNIT_EXPECT_EQ(test, acked, BIT(13));
	/* Master IR2 was not auto-EOIed; ICW1 drops its edge and ISR bit. */
	t_chip(test, PIC_MASTER)->irr = 0x44;
	t_chip(test, PIC_MASTER)->elcr = 0x40;
	kvmirq_pic_lock(pic);
	kvmirq_pic_command_write_locked(pic, PIC_MASTER, 0x11);
	acked = pic->acked;
	kvmirq_pic_unlock(pic);
	KUNIT_EXPECT_EQ(test, acked, BIT(2));
	KUNIT_EXPECT_EQ(test, t_chip(test, PIC_MASTER)->isr, 0);
}

/*
 * KVM ABI: special mask mode is stored but ignored; on an 8259A masking the
 * in-service IR3 would let the lower IR5 through.
 */
static void kvmirq_pic_special_mask_test(struct kunit *test)
{
	struct kvm_pic_state *s = t_chip(test, PIC_MASTER);

	t_bios_init(test, 0x01, 0x01);
	t_pulse(test, 3);
	t_ack(test);
	t_out(test, M_CMD, 0x68);		/* set special mask */
	KUNIT_EXPECT_EQ(test, s->special_mask, 1);
	t_out(test, M_DATA, 0x08);
	t_pulse(test, 5);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
	t_out(test, M_CMD, 0x28);		/* ESMM clear: no change */
	KUNIT_EXPECT_EQ(test, s->special_mask, 1);
	t_out(test, M_CMD, 0x48);		/* reset special mask */
	KUNIT_EXPECT_EQ(test, s->special_mask, 0);
	KUNIT_EXPECT_EQ(test, s->isr, 0x08);
}

/* Edge requests are consumed by INTA; level requests follow the line. */
static void kvmirq_pic_trigger_test(struct kunit *test)
{
	t_bios_init(test, 0x01, 0x01);
	t_out(test, 0x4d0, 0x20);
	t_line(test, 4, 1);			/* edge, held high */
	t_line(test, 5, 1);			/* level */
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 4);
	t_expect_regs(test, PIC_MASTER, 0x20, 0x10, 0);
	t_out(test, M_CMD, 0x64);
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 5);
	t_expect_regs(test, PIC_MASTER, 0x20, 0x20, 0);
	t_out(test, M_CMD, 0x65);
	/* The level line is still high: requested again; the edge is not. */
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 5);
	t_line(test, 5, 0);
	t_out(test, M_CMD, 0x20);
	t_expect_regs(test, PIC_MASTER, 0, 0, 0);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
	/* A level request that goes away before INTA is never seen. */
	t_line(test, 5, 1);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	t_line(test, 5, 0);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
}

/* A slave request reaches the CPU through master IR2. */
static void kvmirq_pic_cascade_test(struct kunit *test)
{
	t_bios_init(test, 0x01, 0x01);
	t_pulse(test, 10);
	t_expect_regs(test, PIC_SLAVE, 0x04, 0, 0);
	t_expect_regs(test, PIC_MASTER, 0x04, 0, 0);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	KUNIT_EXPECT_EQ(test, t_ack(test), S_BASE + 2);
	t_expect_regs(test, PIC_SLAVE, 0, 0x04, 0);
	t_expect_regs(test, PIC_MASTER, 0, 0x04, 0);
	/* Fully nested: a better slave request waits for the master EOI. */
	t_pulse(test, 9);
	KUNIT_EXPECT_EQ(test, t_chip(test, PIC_MASTER)->irr, 0x04);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
	t_out(test, S_CMD, 0x20);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
	t_out(test, M_CMD, 0x20);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	KUNIT_EXPECT_EQ(test, t_ack(test), S_BASE + 1);
	/* The master outranks the whole slave behind IR2. */
	t_pulse(test, 1);
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 1);
	t_pulse(test, 3);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
}

/* Special fully nested mode: a better slave request nests. */
static void kvmirq_pic_sfnm_test(struct kunit *test)
{
	t_bios_init(test, 0x11, 0x01);
	t_pulse(test, 10);
	KUNIT_EXPECT_EQ(test, t_ack(test), S_BASE + 2);
	t_pulse(test, 9);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	KUNIT_EXPECT_EQ(test, t_ack(test), S_BASE + 1);
	t_expect_regs(test, PIC_SLAVE, 0, 0x06, 0);
	t_expect_regs(test, PIC_MASTER, 0, 0x04, 0);
	/* A worse slave request still waits, on the slave itself. */
	t_pulse(test, 11);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
}

/* A slave blocked by its own ISR does not raise master IR2. */
static void kvmirq_pic_slave_blocked_test(struct kunit *test)
{
	t_bios_init(test, 0x01, 0x01);
	t_chip(test, PIC_SLAVE)->isr = 0x01;
	t_pulse(test, 13);
	t_expect_regs(test, PIC_SLAVE, 0x20, 0x01, 0);
	t_expect_regs(test, PIC_MASTER, 0, 0, 0);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
	t_out(test, S_CMD, 0x60);
	t_expect_regs(test, PIC_MASTER, 0x04, 0, 0);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
}

/* Auto-EOI: INTA ends the interrupt; with rotation it also rotates. */
static void kvmirq_pic_auto_eoi_test(struct kunit *test)
{
	struct kvm_pic_state *s = t_chip(test, PIC_MASTER);

	t_bios_init(test, 0x03, 0x03);
	t_pulse(test, 3);
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 3);
	t_expect_regs(test, PIC_MASTER, 0, 0, 0);
	t_pulse(test, 3);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 3);
	KUNIT_EXPECT_EQ(test, s->priority_add, 0);
	t_out(test, M_CMD, 0x80);
	t_pulse(test, 3);
	t_pulse(test, 4);
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 3);
	KUNIT_EXPECT_EQ(test, s->priority_add, 4);
	t_pulse(test, 3);
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 4);
	KUNIT_EXPECT_EQ(test, s->priority_add, 5);
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 3);
	KUNIT_EXPECT_EQ(test, s->priority_add, 4);
	/* Both chips: a slave interrupt needs no EOI at all. */
	t_out(test, M_CMD, 0x00);
	t_out(test, M_CMD, 0xc7);
	t_pulse(test, 14);
	KUNIT_EXPECT_EQ(test, t_ack(test), S_BASE + 6);
	t_expect_regs(test, PIC_SLAVE, 0, 0, 0);
	t_expect_regs(test, PIC_MASTER, 0, 0, 0);
}

/* KVM ABI: INTA without a request is master IRQ 7, with no ISR change. */
static void kvmirq_pic_spurious_master_test(struct kunit *test)
{
	t_bios_init(test, 0x01, 0x01);
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 7);
	t_expect_regs(test, PIC_MASTER, 0, 0, 0);
	/* A request masked between INTR and INTA. */
	t_pulse(test, 3);
	t_out(test, M_DATA, 0x08);
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 7);
	t_expect_regs(test, PIC_MASTER, 0x08, 0, 0x08);
	/* An in-service IR7 is not a reason to report IR7 again. */
	t_chip(test, PIC_MASTER)->isr = 0x80;
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 7);
	KUNIT_EXPECT_EQ(test, t_chip(test, PIC_MASTER)->isr, 0x80);
}

/*
 * KVM ABI: the slave request gone by INTA is slave IRQ 7 (IRQ 15); master
 * IR2 is in service and needs its EOI.
 */
static void kvmirq_pic_spurious_slave_test(struct kunit *test)
{
	t_bios_init(test, 0x01, 0x01);
	t_pulse(test, 10);
	t_out(test, S_DATA, 0x04);
	KUNIT_EXPECT_TRUE(test, t_intr(test));	/* master IR2 is latched */
	KUNIT_EXPECT_EQ(test, t_ack(test), S_BASE + 7);
	t_expect_regs(test, PIC_MASTER, 0, 0x04, 0);
	t_expect_regs(test, PIC_SLAVE, 0x04, 0, 0x04);
}

/* KVM ABI: GSI 2 drives the cascade input: its INTA is IRQ 15. */
static void kvmirq_pic_cascade_pin_test(struct kunit *test)
{
	t_bios_init(test, 0x01, 0x01);
	KUNIT_EXPECT_EQ(test, t_line(test, 2, 1), 1);
	KUNIT_EXPECT_EQ(test, t_ack(test), S_BASE + 7);
	t_expect_regs(test, PIC_MASTER, 0, 0x04, 0);
}

/* INTA drops INTR; it rises again only for a request that may nest. */
static void kvmirq_pic_intr_test(struct kunit *test)
{
	struct kvmirq_pic *pic = t_pic(test);

	t_bios_init(test, 0x01, 0x01);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
	t_pulse(test, 6);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 6);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
	t_pulse(test, 3);
	t_pulse(test, 1);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 1);
	KUNIT_EXPECT_FALSE(test, t_intr(test));	/* 3 waits for 1 */
	t_out(test, M_CMD, 0x20);
	KUNIT_EXPECT_TRUE(test, t_intr(test));	/* 3 nests over 6 */
	KUNIT_EXPECT_EQ(test, t_ack(test), M_BASE + 3);
	t_expect_regs(test, PIC_MASTER, 0, 0x48, 0);
	/* The change notification was handed over at unlock. */
	KUNIT_EXPECT_FALSE(test, pic->output_changed);
	KUNIT_EXPECT_EQ(test, pic->acked, 0);
}

/*
 * KVM ABI: SET_IRQCHIP is a raw copy: nothing is checked or masked, GET
 * returns the same bytes; INTR is recomputed only by the update after it.
 */
static void kvmirq_pic_set_state_test(struct kunit *test)
{
	struct kvmirq_vm *vm = test->priv;
	const struct kvm_pic_state odd = {
		.last_irr = 0x10, .irr = 0x08, .isr = 0x40, .irq_base = 0x0f,
		.priority_add = 9, .read_reg_select = 2, .poll = 0,
		.special_mask = 3, .init_state = 7, .auto_eoi = 5,
		.elcr = 0xff, .elcr_mask = 0x01,
	};
	struct kvm_pic_state s;

	kvmirq_pic_set_state(vm, PIC_MASTER, &odd);
	kvmirq_pic_get_state(vm, PIC_MASTER, &s);
	t_expect_state(test, &s, &odd);
	KUNIT_EXPECT_FALSE(test, t_intr(test));
	kvmirq_pic_update(vm);
	KUNIT_EXPECT_TRUE(test, t_intr(test));
	/* The ELCR mask that was set is the one a guest write sees. */
	t_out(test, 0x4d0, 0xfe);
	KUNIT_EXPECT_EQ(test, t_in(test, 0x4d0), 0);
	/* KVM ABI: an init_state beyond 3 ignores data writes for good. */
	t_out(test, M_DATA, 0x55);
	t_out(test, M_DATA, 0x55);
	KUNIT_EXPECT_EQ(test, t_chip(test, PIC_MASTER)->imr, 0);
	KUNIT_EXPECT_EQ(test, t_chip(test, PIC_MASTER)->init_state, 7);
	/* The vector uses irq_base as stored, low bits included. */
	KUNIT_EXPECT_EQ(test, t_ack(test), 0x0f + 3);
}

static struct kunit_case kvmirq_pic_test_cases[] = {
	KUNIT_CASE(kvmirq_pic_create_test),
	KUNIT_CASE_PARAM(kvmirq_pic_icw_test, kvmirq_pic_icw_gen_params),
	KUNIT_CASE(kvmirq_pic_icw1_reset_test),
	KUNIT_CASE_PARAM(kvmirq_pic_icw1_acceptor_test,
			 kvmirq_pic_acceptor_gen_params),
	KUNIT_CASE_PARAM(kvmirq_pic_input_test, kvmirq_pic_input_gen_params),
	KUNIT_CASE(kvmirq_pic_sources_test),
	KUNIT_CASE_PARAM(kvmirq_pic_elcr_test, kvmirq_pic_elcr_gen_params),
	KUNIT_CASE_PARAM(kvmirq_pic_port_test, kvmirq_pic_port_gen_params),
	KUNIT_CASE(kvmirq_pic_imr_test),
	KUNIT_CASE_PARAM(kvmirq_pic_prio_test, kvmirq_pic_prio_gen_params),
	KUNIT_CASE(kvmirq_pic_ack_order_test),
	KUNIT_CASE_PARAM(kvmirq_pic_ocw2_test, kvmirq_pic_ocw2_gen_params),
	KUNIT_CASE(kvmirq_pic_aeoi_rotate_clear_test),
	KUNIT_CASE(kvmirq_pic_rotation_test),
	KUNIT_CASE(kvmirq_pic_read_select_test),
	KUNIT_CASE(kvmirq_pic_poll_test),
	KUNIT_CASE(kvmirq_pic_poll_slave_test),
	KUNIT_CASE(kvmirq_pic_poll_cascade_test),
	KUNIT_CASE_PARAM(kvmirq_pic_acked_test, kvmirq_pic_acked_gen_params),
	KUNIT_CASE(kvmirq_pic_acked_aeoi_icw1_test),
	KUNIT_CASE(kvmirq_pic_special_mask_test),
	KUNIT_CASE(kvmirq_pic_trigger_test),
	KUNIT_CASE(kvmirq_pic_cascade_test),
	KUNIT_CASE(kvmirq_pic_sfnm_test),
	KUNIT_CASE(kvmirq_pic_slave_blocked_test),
	KUNIT_CASE(kvmirq_pic_auto_eoi_test),
	KUNIT_CASE(kvmirq_pic_spurious_master_test),
	KUNIT_CASE(kvmirq_pic_spurious_slave_test),
	KUNIT_CASE(kvmirq_pic_cascade_pin_test),
	KUNIT_CASE(kvmirq_pic_intr_test),
	KUNIT_CASE(kvmirq_pic_set_state_test),
	{}
};

static struct kunit_suite kvmirq_pic_test_suite = {
	.name = "kvmirq_pic",
	.init = kvmirq_pic_test_init,
	.exit = kvmirq_pic_test_exit,
	.test_cases = kvmirq_pic_test_cases,
};

kunit_test_suite(kvmirq_pic_test_suite);
