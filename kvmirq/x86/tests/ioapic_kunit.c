// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for ioapic.c: the 82093AA IOAPIC as KVM models it
 * (ioapic.c): the IOREGSEL/IOWIN window, the redirection table and its
 * read-only bits, edge and level assertion with KVM's status values,
 * remote IRR and the EOI broadcast, GET/SET_IRQCHIP, the RTC (pin 8)
 * coalescing rule and the interrupt-storm throttle.  Runs on a bare VM
 * (tests/chipset_kunit.h) whose vcpus have real LAPICs, so delivery is the
 * module's own (apic_deliver.c, lapic.c).  Included at the end of ioapic.c
 * when CONFIG_KUNIT is set.
 */
#include <kunit/test.h>

#include "chipset_kunit.h"

#define T_VEC		0x40
#define T_RTE_EDGE	T_VEC			/* fixed, physical, dest 0 */
#define T_RTE_LEVEL	(T_VEC | RTE_LEVEL)

static int kvmirq_ioapic_test_init(struct kunit *test)
{
	struct kvmirq_vm *vm = kvmirq_test_vm_create(test);
	struct kvmirq_x86_vm *x86 = kvmirq_x86(vm);

	x86->ioapic = kvmirq_ioapic_create(vm);
	x86->pic = kvmirq_pic_create(vm);	/* as KVM_CREATE_IRQCHIP makes both */
	test->priv = vm;
	return x86->ioapic && x86->pic ? 0 : -ENOMEM;
}

static void kvmirq_ioapic_test_exit(struct kunit *test)
{
	struct kvmirq_vm *vm = test->priv;

	if (!vm)
		return;
	kvmirq_ioapic_destroy(kvmirq_x86(vm)->ioapic);
	kvmirq_pic_destroy(kvmirq_x86(vm)->pic);
	kvmirq_test_vm_destroy(vm);
}

static struct kvmirq_ioapic *t_ioapic(struct kunit *test)
{
	return kvmirq_x86((struct kvmirq_vm *)test->priv)->ioapic;
}

static u64 *t_rte(struct kunit *test, unsigned int pin)
{
	return kvmirq_rte(t_ioapic(test), pin);
}

/* A guest access at @off from the default base. */
static int t_mmio(struct kunit *test, s64 off, u32 len, bool write, u64 *val)
{
	struct kvmirq_io io = {
		.space = KVMIRQ_SPACE_MMIO,
		.len = len,
		.flags = write ? KVMIRQ_IO_WRITE : 0,
		.addr = KVMIRQ_IOAPIC_DEFAULT_BASE + off,
		.data = write ? *val : 0xdeadbeefdeadbeefULL,
	};
	int r = kvmirq_ioapic_mmio(test->priv, &io);

	if (!write)
		*val = io.data;
	return r;
}

static void t_write_reg(struct kunit *test, u32 sel, u32 val)
{
	u64 v = sel;

	KUNIT_ASSERT_EQ(test, t_mmio(test, IOAPIC_REGSEL, 4, true, &v), 0);
	v = val;
	KUNIT_ASSERT_EQ(test, t_mmio(test, IOAPIC_WINDOW, 4, true, &v), 0);
}

static u32 t_read_reg(struct kunit *test, u32 sel)
{
	u64 v = sel;

	KUNIT_ASSERT_EQ(test, t_mmio(test, IOAPIC_REGSEL, 4, true, &v), 0);
	KUNIT_ASSERT_EQ(test, t_mmio(test, IOAPIC_WINDOW, 4, false, &v), 0);
	return v;
}

/* A redirection entry written as a guest does: high half, then low. */
static void t_set_rte(struct kunit *test, unsigned int pin, u64 rte)
{
	t_write_reg(test, IOAPIC_REG_REDIR + 2 * pin + 1, rte >> 32);
	t_write_reg(test, IOAPIC_REG_REDIR + 2 * pin, (u32)rte);
}

static int t_line(struct kunit *test, unsigned int pin, int level,
		  bool line_status)
{
	return kvmirq_ioapic_set_irq(test->priv, pin, KVMIRQ_SOURCE_USERSPACE,
				     level, line_status);
}

static bool t_remote_irr(struct kunit *test, unsigned int pin)
{
	return *t_rte(test, pin) & RTE_REMOTE_IRR;
}

/* The irr KVM_GET_IRQCHIP reports. */
static u32 t_get_irr(struct kunit *test)
{
	struct kvm_ioapic_state s;

	kvmirq_ioapic_get_state(test->priv, &s);
	return s.irr;
}

static struct kvmirq_lapic *t_vcpu(struct kunit *test, u32 id, bool enabled)
{
	return kvmirq_test_vcpu_add(test, test->priv, id, id == 0, enabled);
}

/* After KVM_CREATE_IRQCHIP: every entry masked, the default window. */
static void kvmirq_ioapic_create_test(struct kunit *test)
{
	struct kvm_ioapic_state s;
	unsigned int pin;

	kvmirq_ioapic_get_state(test->priv, &s);
	KUNIT_EXPECT_EQ(test, s.base_address, 0xfec00000ULL);
	KUNIT_EXPECT_EQ(test, s.id, 0);
	KUNIT_EXPECT_EQ(test, s.ioregsel, 0);
	KUNIT_EXPECT_EQ(test, s.irr, 0);
	for (pin = 0; pin < KVMIRQ_IOAPIC_NUM_PINS; pin++)
		KUNIT_EXPECT_EQ_MSG(test, s.redirtbl[pin].bits, RTE_MASKED,
				    "pin %u", pin);
}

/* The indirect registers after reset. */
struct kvmirq_ioapic_reg_case {
	u32 sel, want;
	bool read_only;
};

static const struct kvmirq_ioapic_reg_case kvmirq_ioapic_reg_cases[] = {
	{ 0x00, 0, false },			/* ID */
	{ 0x01, 0x00170011, true },		/* version 0x11, 24 pins */
	{ 0x02, 0, true },			/* arbitration */
	{ 0x10, 0x00010000, false },		/* entry 0 low: masked */
	{ 0x11, 0, false },
	{ 0x3e, 0x00010000, false },		/* entry 23 */
	{ 0x3f, 0, false },
	/* KVM ABI: unknown indices read all ones. */
	{ 0x03, 0xffffffff, true }, { 0x0f, 0xffffffff, true },
	{ 0x40, 0xffffffff, true }, { 0x41, 0xffffffff, true },
	{ 0xff, 0xffffffff, true },
};

static void kvmirq_ioapic_reg_desc(const struct kvmirq_ioapic_reg_case *c,
				   char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "index %#04x", c->sel);
}

KUNIT_ARRAY_PARAM(kvmirq_ioapic_reg, kvmirq_ioapic_reg_cases,
		  kvmirq_ioapic_reg_desc);

static void kvmirq_ioapic_reg_test(struct kunit *test)
{
	const struct kvmirq_ioapic_reg_case *c = test->param_value;
	struct kvm_ioapic_state before, after;

	KUNIT_EXPECT_EQ(test, t_read_reg(test, c->sel), c->want);
	/* Read-only and unknown registers ignore writes. */
	if (c->read_only) {
		kvmirq_ioapic_get_state(test->priv, &before);
		t_write_reg(test, c->sel, 0xffffffff);
		KUNIT_EXPECT_EQ(test, t_read_reg(test, c->sel), c->want);
		kvmirq_ioapic_get_state(test->priv, &after);
		before.ioregsel = after.ioregsel;
		KUNIT_EXPECT_EQ(test, memcmp(&before, &after, sizeof(after)), 0);
	}
}

/* The ID register: 4 bits at 27:24; arbitration reads as the ID. */
static void kvmirq_ioapic_id_test(struct kunit *test)
{
	t_write_reg(test, IOAPIC_REG_ID, 0x0f000000);
	KUNIT_EXPECT_EQ(test, t_read_reg(test, IOAPIC_REG_ID), 0x0f000000);
	t_write_reg(test, IOAPIC_REG_ID, 0xf5ffffff);
	KUNIT_EXPECT_EQ(test, t_read_reg(test, IOAPIC_REG_ID), 0x05000000);
	KUNIT_EXPECT_EQ(test, t_ioapic(test)->s.id, 5);
	KUNIT_EXPECT_EQ(test, t_read_reg(test, IOAPIC_REG_ARB), 0x05000000);
	t_write_reg(test, IOAPIC_REG_ARB, 0x0a000000);
	KUNIT_EXPECT_EQ(test, t_read_reg(test, IOAPIC_REG_ID), 0x05000000);
	KUNIT_EXPECT_EQ(test, t_read_reg(test, IOAPIC_REG_VERSION), 0x00170011);
}

/* Every entry is its own pair of registers. */
static void kvmirq_ioapic_rte_rw_test(struct kunit *test)
{
	unsigned int pin;
	u64 rte;

	for (pin = 0; pin < KVMIRQ_IOAPIC_NUM_PINS; pin++)
		t_set_rte(test, pin, (u64)(pin + 1) << 56 | 0x00a5a5a5ULL << 32 |
			  RTE_MASKED | RTE_LEVEL | RTE_DEST_LOGICAL |
			  (0x20 + pin));
	for (pin = 0; pin < KVMIRQ_IOAPIC_NUM_PINS; pin++) {
		rte = (u64)t_read_reg(test, IOAPIC_REG_REDIR + 2 * pin + 1) << 32 |
		      t_read_reg(test, IOAPIC_REG_REDIR + 2 * pin);
		KUNIT_EXPECT_EQ_MSG(test, rte,
				    (u64)(pin + 1) << 56 | 0x00a5a5a5ULL << 32 |
				    RTE_MASKED | RTE_LEVEL | RTE_DEST_LOGICAL |
				    (0x20 + pin), "pin %u", pin);
	}
}

/*
 * Delivery status and remote IRR are read-only; rewriting an entry as
 * edge clears remote IRR (KVM ABI: Linux and Xen rely on it as an EOI).
 */
static void kvmirq_ioapic_rte_readonly_test(struct kunit *test)
{
	u64 *rte = t_rte(test, 3);

	t_set_rte(test, 3, RTE_MASKED | RTE_REMOTE_IRR | RTE_DELIVERY_STATUS |
		  T_RTE_LEVEL);
	KUNIT_EXPECT_EQ(test, *rte, RTE_MASKED | T_RTE_LEVEL);
	*rte |= RTE_REMOTE_IRR | RTE_DELIVERY_STATUS;
	t_set_rte(test, 3, RTE_MASKED | T_RTE_LEVEL | 0x01);
	KUNIT_EXPECT_EQ(test, *rte, RTE_MASKED | RTE_REMOTE_IRR |
			RTE_DELIVERY_STATUS | T_RTE_LEVEL | 0x01);
	t_write_reg(test, IOAPIC_REG_REDIR + 7, 0xff000000);
	KUNIT_EXPECT_EQ(test, *rte, 0xffULL << 56 | RTE_MASKED | RTE_REMOTE_IRR |
			RTE_DELIVERY_STATUS | T_RTE_LEVEL | 0x01);
	t_set_rte(test, 3, RTE_MASKED | T_RTE_EDGE);
	KUNIT_EXPECT_EQ(test, *rte, RTE_MASKED | RTE_DELIVERY_STATUS | T_RTE_EDGE);
}

/* Access widths and offsets in the window, IOREGSEL = version. */
struct kvmirq_ioapic_mmio_case {
	const char *what;
	s64 off;
	u32 len;
	int ret;
	u64 want;
};

static const struct kvmirq_ioapic_mmio_case kvmirq_ioapic_mmio_cases[] = {
	{ "IOWIN dword", 0x10, 4, 0, 0x00170011 },
	{ "IOWIN byte", 0x10, 1, 0, 0x11 },
	{ "IOWIN word", 0x10, 2, 0, 0x0011 },
	{ "IOWIN qword zero-extends", 0x10, 8, 0, 0x00170011 },
	{ "IOREGSEL", 0x00, 4, 0, 0x01 },
	{ "IOREGSEL qword", 0x00, 8, 0, 0x01 },
	{ "offset 0x04 reads 0", 0x04, 4, 0, 0 },
	{ "offset 0x11 reads 0", 0x11, 1, 0, 0 },
	{ "offset 0x20 reads 0", 0x20, 4, 0, 0 },
	{ "last dword of the window", 0xfc, 4, 0, 0 },
	{ "crossing the window's end", 0xfc, 8, -ENXIO, 0 },
	{ "past the window", 0x100, 1, -ENXIO, 0 },
	{ "below the window", -1, 1, -ENXIO, 0 },
	{ "below, reaching into it", -4, 8, -ENXIO, 0 },
};

static void kvmirq_ioapic_mmio_desc(const struct kvmirq_ioapic_mmio_case *c,
				    char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kvmirq_ioapic_mmio, kvmirq_ioapic_mmio_cases,
		  kvmirq_ioapic_mmio_desc);

static void kvmirq_ioapic_mmio_test(struct kunit *test)
{
	const struct kvmirq_ioapic_mmio_case *c = test->param_value;
	u64 val = IOAPIC_REG_VERSION;

	KUNIT_ASSERT_EQ(test, t_mmio(test, IOAPIC_REGSEL, 4, true, &val), 0);
	KUNIT_EXPECT_EQ(test, t_mmio(test, c->off, c->len, false, &val), c->ret);
	KUNIT_EXPECT_EQ(test, val, c->ret ? 0xdeadbeefdeadbeefULL : c->want);
}

/* Writes narrower and wider than a dword; IOREGSEL is 8 bits. */
static void kvmirq_ioapic_mmio_write_test(struct kunit *test)
{
	struct kvmirq_ioapic *ioapic = t_ioapic(test);
	u64 val = 0x1234;

	KUNIT_EXPECT_EQ(test, t_mmio(test, IOAPIC_REGSEL, 4, true, &val), 0);
	KUNIT_EXPECT_EQ(test, ioapic->s.ioregsel, 0x34);
	val = IOAPIC_REG_ID;
	KUNIT_EXPECT_EQ(test, t_mmio(test, IOAPIC_REGSEL, 1, true, &val), 0);
	/* KVM ABI: a qword write uses its low 32 bits. */
	val = 0xffffffff0e000000ULL;
	KUNIT_EXPECT_EQ(test, t_mmio(test, IOAPIC_WINDOW, 8, true, &val), 0);
	KUNIT_EXPECT_EQ(test, ioapic->s.id, 0xe);
	/* A word write replaces the whole low half of an entry. */
	val = IOAPIC_REG_REDIR + 2;
	KUNIT_EXPECT_EQ(test, t_mmio(test, IOAPIC_REGSEL, 1, true, &val), 0);
	val = 0x00ef;
	KUNIT_EXPECT_EQ(test, t_mmio(test, IOAPIC_WINDOW, 2, true, &val), 0);
	KUNIT_EXPECT_EQ(test, *t_rte(test, 1), 0xefULL);
	/* Other offsets ignore writes. */
	val = 0xff;
	KUNIT_EXPECT_EQ(test, t_mmio(test, 0x20, 4, true, &val), 0);
	KUNIT_EXPECT_EQ(test, t_mmio(test, 0x01, 1, true, &val), 0);
	KUNIT_EXPECT_EQ(test, ioapic->s.ioregsel, IOAPIC_REG_REDIR + 2);
	KUNIT_EXPECT_EQ(test, t_mmio(test, 0x100, 4, true, &val), -ENXIO);
}

/*
 * KVM ABI: the window is registered once at the default base; a base moved
 * by SET_IRQCHIP makes the IOAPIC unreachable, not moved.
 */
static void kvmirq_ioapic_base_moved_test(struct kunit *test)
{
	struct kvm_ioapic_state s;
	struct kvmirq_io io = { .space = KVMIRQ_SPACE_MMIO, .len = 4 };

	kvmirq_ioapic_get_state(test->priv, &s);
	s.base_address = 0xfed00000;
	kvmirq_ioapic_set_state(test->priv, &s);
	io.addr = 0xfec00000;
	KUNIT_EXPECT_EQ(test, kvmirq_ioapic_mmio(test->priv, &io), -ENXIO);
	io.addr = 0xfed00000;
	KUNIT_EXPECT_EQ(test, kvmirq_ioapic_mmio(test->priv, &io), -ENXIO);
	/* Moved within the window: only its upper part answers. */
	s.base_address = 0xfec00080;
	kvmirq_ioapic_set_state(test->priv, &s);
	io.addr = 0xfec00000;
	KUNIT_EXPECT_EQ(test, kvmirq_ioapic_mmio(test->priv, &io), -ENXIO);
	io.addr = 0xfec00090;
	KUNIT_EXPECT_EQ(test, kvmirq_ioapic_mmio(test->priv, &io), 0);
	KUNIT_EXPECT_EQ(test, io.data, 0);
}

/* One input change on pin 4: KVM's status and the state it leaves. */
struct kvmirq_ioapic_input_case {
	const char *what;
	u64 rte;
	int vcpu;		/* -1 none, 0 SVR disabled, 1 enabled */
	bool line_was_high, remote_irr_before;
	int level, ret;
	bool irr, get_irr, remote_irr, delivered;
};

static const struct kvmirq_ioapic_input_case kvmirq_ioapic_input_cases[] = {
	{ "edge: accepted", T_RTE_EDGE, 1, false, false, 1, 1,
	  true, false, false, true },
	/* KVM ABI: -1 when no LAPIC exists at all. */
	{ "edge: no vcpu", T_RTE_EDGE, -1, false, false, 1, -1,
	  true, false, false, false },
	{ "edge: LAPIC refuses", T_RTE_EDGE, 0, false, false, 1, 0,
	  true, false, false, false },
	/* KVM ABI: coalesced, and visible in GET_IRQCHIP again. */
	{ "edge: line already high", T_RTE_EDGE, 1, true, false, 1, 0,
	  true, true, false, false },
	{ "edge: masked", T_RTE_EDGE | RTE_MASKED, 1, false, false, 1, -1,
	  true, true, false, false },
	{ "edge: deassert", T_RTE_EDGE, 1, true, false, 0, 1,
	  false, false, false, false },
	{ "level: accepted", T_RTE_LEVEL, 1, false, false, 1, 1,
	  true, true, true, true },
	/* KVM ABI: -1 (nobody matched) sets remote IRR too. */
	{ "level: no vcpu", T_RTE_LEVEL, -1, false, false, 1, -1,
	  true, true, true, false },
	{ "level: LAPIC refuses", T_RTE_LEVEL, 0, false, false, 1, 0,
	  true, true, false, false },
	{ "level: remote IRR set", T_RTE_LEVEL, 1, false, true, 1, -1,
	  true, true, true, false },
	{ "level: again, no remote IRR", T_RTE_LEVEL, 1, true, false, 1, 1,
	  true, true, true, true },
	{ "level: masked", T_RTE_LEVEL | RTE_MASKED, 1, false, false, 1, -1,
	  true, true, false, false },
	{ "level: deassert", T_RTE_LEVEL, 1, true, true, 0, 1,
	  false, false, true, false },
};

static void kvmirq_ioapic_input_desc(const struct kvmirq_ioapic_input_case *c,
				     char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kvmirq_ioapic_input, kvmirq_ioapic_input_cases,
		  kvmirq_ioapic_input_desc);

static void kvmirq_ioapic_input_test(struct kunit *test)
{
	const struct kvmirq_ioapic_input_case *c = test->param_value;
	struct kvmirq_ioapic *ioapic = t_ioapic(test);
	struct kvmirq_lapic *l = NULL;

	if (c->vcpu >= 0)
		l = t_vcpu(test, 0, c->vcpu);
	*t_rte(test, 4) = c->rte | (c->remote_irr_before ? RTE_REMOTE_IRR : 0);
	if (c->line_was_high) {
		ioapic->irq_states[4] |= BIT(KVMIRQ_SOURCE_USERSPACE);
		ioapic->s.irr = BIT(4);
		if (!(c->rte & RTE_LEVEL))
			ioapic->irr_delivered = BIT(4);
	}
	KUNIT_EXPECT_EQ(test, t_line(test, 4, c->level, true), c->ret);
	KUNIT_EXPECT_EQ(test, !!(ioapic->s.irr & BIT(4)), c->irr);
	KUNIT_EXPECT_EQ(test, !!(t_get_irr(test) & BIT(4)), c->get_irr);
	KUNIT_EXPECT_EQ(test, t_remote_irr(test, 4), c->remote_irr);
	if (l)
		KUNIT_EXPECT_EQ(test, kvmirq_lapic_vector_busy(l, T_VEC),
				c->delivered);
	KUNIT_EXPECT_EQ(test, ioapic->s.irr & ~BIT(4), 0);
}

/* The level is the OR of the sources; remote IRR holds off the rest. */
static void kvmirq_ioapic_sources_test(struct kunit *test)
{
	struct kvmirq_vm *vm = test->priv;

	t_set_rte(test, 6, T_RTE_LEVEL);
	KUNIT_EXPECT_EQ(test, kvmirq_ioapic_set_irq(vm, 6, KVMIRQ_SOURCE_USERSPACE,
						    1, false), -1);
	KUNIT_EXPECT_EQ(test, kvmirq_ioapic_set_irq(vm, 6, KVMIRQ_SOURCE_RESAMPLE,
						    1, false), -1);
	KUNIT_EXPECT_EQ(test, kvmirq_ioapic_set_irq(vm, 6, KVMIRQ_SOURCE_USERSPACE,
						    0, false), -1);
	KUNIT_EXPECT_EQ(test, t_get_irr(test), BIT(6));
	KUNIT_EXPECT_EQ(test, kvmirq_ioapic_set_irq(vm, 6, KVMIRQ_SOURCE_RESAMPLE,
						    0, false), 1);
	KUNIT_EXPECT_EQ(test, t_get_irr(test), 0);
}

/* A level EOI broadcast on pin 5, whose entry has remote IRR set. */
struct kvmirq_ioapic_eoi_case {
	const char *what;
	u64 rte;
	bool line_high;
	u32 vector, trig;
	bool remote_irr, delivered;
};

static const struct kvmirq_ioapic_eoi_case kvmirq_ioapic_eoi_cases[] = {
	{ "line low", T_RTE_LEVEL, false, T_VEC, 1, false, false },
	{ "line still high: delivered again", T_RTE_LEVEL, true, T_VEC, 1,
	  true, true },
	{ "masked, line high", T_RTE_LEVEL | RTE_MASKED, true, T_VEC, 1,
	  false, false },
	{ "edge-triggered EOI", T_RTE_LEVEL, true, T_VEC, 0, true, false },
	{ "another vector", T_RTE_LEVEL, true, T_VEC + 1, 1, true, false },
	/* KVM ABI: the pin's trigger mode is not checked, only the EOI's. */
	{ "edge entry, line high", T_RTE_EDGE, true, T_VEC, 1, false, true },
};

static void kvmirq_ioapic_eoi_desc(const struct kvmirq_ioapic_eoi_case *c,
				   char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kvmirq_ioapic_eoi, kvmirq_ioapic_eoi_cases,
		  kvmirq_ioapic_eoi_desc);

static void kvmirq_ioapic_eoi_test(struct kunit *test)
{
	const struct kvmirq_ioapic_eoi_case *c = test->param_value;
	struct kvmirq_ioapic *ioapic = t_ioapic(test);
	struct kvmirq_lapic *l = t_vcpu(test, 0, true);

	*t_rte(test, 5) = c->rte | ((c->rte & RTE_LEVEL) ? RTE_REMOTE_IRR : 0);
	if (c->line_high) {
		ioapic->irq_states[5] |= BIT(KVMIRQ_SOURCE_USERSPACE);
		ioapic->s.irr = BIT(5);
	}
	kvmirq_ioapic_eoi(test->priv, c->vector, c->trig);
	KUNIT_EXPECT_EQ(test, t_remote_irr(test, 5), c->remote_irr);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_vector_busy(l, T_VEC), c->delivered);
	KUNIT_EXPECT_EQ(test, ioapic->irq_eoi[5], c->delivered ? 1u : 0u);
}

/*
 * An EOI reports every pin whose entry has the vector to the ack notifiers
 * (irqfd resampling): edge or level, masked or not.
 */
static void kvmirq_ioapic_eoi_pins_test(struct kunit *test)
{
	struct kvmirq_ioapic *ioapic = t_ioapic(test);

	*t_rte(test, 3) = T_RTE_LEVEL;
	*t_rte(test, 7) = RTE_MASKED | T_RTE_EDGE;
	*t_rte(test, 23) = T_RTE_EDGE;
	*t_rte(test, 5) = T_RTE_LEVEL + 1;
	KUNIT_EXPECT_EQ(test, kvmirq_ioapic_eoi_pins(ioapic, -1, T_VEC),
			BIT(3) | BIT(7) | BIT(23));
	KUNIT_EXPECT_EQ(test, kvmirq_ioapic_eoi_pins(ioapic, -1, T_VEC + 1),
			BIT(5));
	KUNIT_EXPECT_EQ(test, kvmirq_ioapic_eoi_pins(ioapic, -1, 0xff), 0);
	/* Vector 0 is every masked entry of the reset table. */
	KUNIT_EXPECT_EQ(test, hweight_long(kvmirq_ioapic_eoi_pins(ioapic, -1, 0)),
			KVMIRQ_IOAPIC_NUM_PINS - 4);
}

/*
 * The whole round trip through a LAPIC: a level interrupt is taken, the
 * LAPIC's EOI (TMR set) reaches the IOAPIC and clears remote IRR.
 */
static void kvmirq_ioapic_lapic_eoi_test(struct kunit *test)
{
	struct kvmirq_lapic *l = t_vcpu(test, 0, true);

	t_set_rte(test, 9, T_RTE_LEVEL);
	KUNIT_EXPECT_EQ(test, t_line(test, 9, 1, false), 1);
	KUNIT_EXPECT_TRUE(test, t_remote_irr(test, 9));
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_take_irr(l), T_VEC);
	kvmirq_lapic_eoi(l);
	/* Line still high: delivered again at once. */
	KUNIT_EXPECT_TRUE(test, t_remote_irr(test, 9));
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_take_irr(l), T_VEC);
	t_line(test, 9, 0, false);
	kvmirq_lapic_eoi(l);
	KUNIT_EXPECT_FALSE(test, t_remote_irr(test, 9));
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_take_irr(l), -1);
	/*
	 * The LAPIC's TMR decides: the same vector delivered edge-triggered
	 * (pin 10) ends with an edge EOI, which leaves pin 9's remote IRR.
	 */
	*t_rte(test, 9) |= RTE_REMOTE_IRR;
	t_set_rte(test, 10, T_RTE_EDGE);
	KUNIT_EXPECT_EQ(test, t_line(test, 10, 1, false), 1);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_take_irr(l), T_VEC);
	kvmirq_lapic_eoi(l);
	KUNIT_EXPECT_TRUE(test, t_remote_irr(test, 9));
}

/*
 * KVM ABI: a LAPIC with SVR's directed-EOI bit (set by KVM_SET_LAPIC) sends
 * no level EOI broadcast: remote IRR stays until the entry is rewritten as
 * edge, as Linux does for an IOAPIC without EOI register.  The RTC count
 * still drops.
 */
static void kvmirq_ioapic_directed_eoi_test(struct kunit *test)
{
	struct kvmirq_lapic *l = t_vcpu(test, 0, true);

	kvmirq_lapic_set_reg(l, APIC_SPIV, 0x1ff | APIC_SPIV_DIRECTED_EOI);
	t_set_rte(test, 8, T_RTE_LEVEL);
	KUNIT_EXPECT_EQ(test, t_line(test, 8, 1, true), 1);
	t_line(test, 8, 0, true);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_take_irr(l), T_VEC);
	kvmirq_lapic_eoi(l);
	KUNIT_EXPECT_TRUE(test, t_remote_irr(test, 8));
	KUNIT_EXPECT_EQ(test, t_ioapic(test)->rtc_pending_eoi, 0);
	t_set_rte(test, 8, T_RTE_EDGE);
	t_set_rte(test, 8, T_RTE_LEVEL);
	KUNIT_EXPECT_FALSE(test, t_remote_irr(test, 8));
	/* Without the bit the same EOI clears it. */
	kvmirq_lapic_set_reg(l, APIC_SPIV, 0x1ff);
	KUNIT_EXPECT_EQ(test, t_line(test, 8, 1, true), 1);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_take_irr(l), T_VEC);
	t_line(test, 8, 0, true);
	kvmirq_lapic_eoi(l);
	KUNIT_EXPECT_FALSE(test, t_remote_irr(test, 8));
}

/*
 * Unmasking by a guest write delivers a pending level line but not a
 * latched edge (KVM ABI); SET_IRQCHIP with the irr bit delivers both.
 */
static void kvmirq_ioapic_unmask_test(struct kunit *test)
{
	struct kvmirq_lapic *l = t_vcpu(test, 0, true);
	struct kvm_ioapic_state s;

	t_set_rte(test, 11, RTE_MASKED | T_RTE_LEVEL);
	t_set_rte(test, 12, RTE_MASKED | (T_RTE_EDGE + 1));
	KUNIT_EXPECT_EQ(test, t_line(test, 11, 1, false), -1);
	KUNIT_EXPECT_EQ(test, t_line(test, 12, 1, false), -1);
	t_set_rte(test, 11, T_RTE_LEVEL);
	KUNIT_EXPECT_TRUE(test, t_remote_irr(test, 11));
	KUNIT_EXPECT_TRUE(test, kvmirq_lapic_vector_busy(l, T_VEC));
	t_set_rte(test, 12, (T_RTE_EDGE + 1));
	KUNIT_EXPECT_FALSE(test, kvmirq_lapic_vector_busy(l, T_VEC + 1));
	KUNIT_EXPECT_EQ(test, t_get_irr(test), BIT(11) | BIT(12));
	/* GET, SET back: the latched edge is delivered now. */
	kvmirq_ioapic_get_state(test->priv, &s);
	kvmirq_ioapic_set_state(test->priv, &s);
	KUNIT_EXPECT_TRUE(test, kvmirq_lapic_vector_busy(l, T_VEC + 1));
	KUNIT_EXPECT_EQ(test, t_get_irr(test), BIT(11));
}

/* KVM ABI: GET_IRQCHIP hides edge assertions that were delivered. */
static void kvmirq_ioapic_get_irr_test(struct kunit *test)
{
	t_set_rte(test, 2, T_RTE_EDGE);
	t_set_rte(test, 3, T_RTE_LEVEL);
	t_line(test, 2, 1, false);
	t_line(test, 3, 1, false);
	KUNIT_EXPECT_EQ(test, t_ioapic(test)->s.irr, BIT(2) | BIT(3));
	KUNIT_EXPECT_EQ(test, t_get_irr(test), BIT(3));
	/* Asserted again without a deassert: coalesced, but shown. */
	KUNIT_EXPECT_EQ(test, t_line(test, 2, 1, false), 0);
	KUNIT_EXPECT_EQ(test, t_get_irr(test), BIT(2) | BIT(3));
	t_line(test, 2, 0, false);
	KUNIT_EXPECT_EQ(test, t_get_irr(test), BIT(3));
}

/*
 * KVM ABI: SET_IRQCHIP is a raw copy, then every supplied irr bit is
 * asserted again (status-reporting); the sources' levels stay as they were.
 */
static void kvmirq_ioapic_set_state_test(struct kunit *test)
{
	struct kvmirq_ioapic *ioapic = t_ioapic(test);
	struct kvmirq_lapic *l = t_vcpu(test, 0, true);
	struct kvm_ioapic_state s = {
		.base_address = KVMIRQ_IOAPIC_DEFAULT_BASE,
		.ioregsel = 0x1234, .id = 0xff, .pad = 7,
		.irr = BIT(1) | BIT(2) | BIT(3),
	}, got;
	unsigned int pin;
	u64 val;

	for (pin = 0; pin < KVMIRQ_IOAPIC_NUM_PINS; pin++)
		s.redirtbl[pin].bits = RTE_MASKED;
	s.redirtbl[1].bits = T_RTE_EDGE;
	s.redirtbl[2].bits = T_RTE_LEVEL + 1;
	s.redirtbl[3].bits = RTE_MASKED | (T_RTE_EDGE + 2);
	s.redirtbl[4].bits = RTE_MASKED | RTE_DELIVERY_STATUS | RTE_REMOTE_IRR |
			     0x00fedcba00000000ULL;
	kvmirq_ioapic_set_state(test->priv, &s);
	kvmirq_ioapic_get_state(test->priv, &got);

	s.irr = BIT(2) | BIT(3);	/* pin 1's edge was delivered */
	s.redirtbl[2].bits |= RTE_REMOTE_IRR;
	KUNIT_EXPECT_EQ(test, memcmp(&got, &s, sizeof(s)), 0);
	KUNIT_EXPECT_TRUE(test, kvmirq_lapic_vector_busy(l, T_VEC));
	KUNIT_EXPECT_TRUE(test, kvmirq_lapic_vector_busy(l, T_VEC + 1));
	KUNIT_EXPECT_FALSE(test, kvmirq_lapic_vector_busy(l, T_VEC + 2));
	for (pin = 0; pin < KVMIRQ_IOAPIC_NUM_PINS; pin++)
		KUNIT_EXPECT_EQ_MSG(test, ioapic->irq_states[pin], 0, "pin %u", pin);
	/* The raw IOREGSEL and ID read back as the guest sees them. */
	KUNIT_EXPECT_EQ(test, t_mmio(test, IOAPIC_REGSEL, 4, false, &val), 0);
	KUNIT_EXPECT_EQ(test, val, 0x1234);
	KUNIT_EXPECT_EQ(test, t_mmio(test, IOAPIC_WINDOW, 4, false, &val), 0);
	KUNIT_EXPECT_EQ(test, val, 0xffffffff);
	KUNIT_EXPECT_EQ(test, t_read_reg(test, IOAPIC_REG_ID), 0x0f000000);
}

/* The message an entry sends: destination and delivery mode fields. */
struct kvmirq_ioapic_msg_case {
	const char *what;
	u64 rte;
	int ret;
	bool irr0, irr1, nmi1;
};

static const struct kvmirq_ioapic_msg_case kvmirq_ioapic_msg_cases[] = {
	{ "physical, dest 0", T_RTE_EDGE, 1, true, false, false },
	{ "physical, dest 1", 1ULL << 56 | T_RTE_EDGE, 1, false, true, false },
	{ "physical broadcast", 0xffULL << 56 | T_RTE_EDGE, 2, true, true, false },
	/* KVM ABI: a present map without that id: 0, not -1. */
	{ "physical, absent id", 7ULL << 56 | T_RTE_EDGE, 0, false, false, false },
	{ "NMI to dest 1", 1ULL << 56 | 4 << 8 | T_RTE_EDGE, 1,
	  false, false, true },
	{ "ExtINT is not accepted", 1ULL << 56 | 7 << 8 | T_RTE_EDGE, 0,
	  false, false, false },
	/* The reserved high bits are not part of the destination. */
	{ "reserved bits ignored", 0x00ffffff00000000ULL | 1ULL << 56 |
	  T_RTE_EDGE, 1, false, true, false },
};

static void kvmirq_ioapic_msg_desc(const struct kvmirq_ioapic_msg_case *c,
				   char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kvmirq_ioapic_msg, kvmirq_ioapic_msg_cases,
		  kvmirq_ioapic_msg_desc);

static void kvmirq_ioapic_msg_test(struct kunit *test)
{
	const struct kvmirq_ioapic_msg_case *c = test->param_value;
	struct kvmirq_lapic *l0 = t_vcpu(test, 0, true);
	struct kvmirq_lapic *l1 = t_vcpu(test, 1, true);

	t_set_rte(test, 7, c->rte);
	KUNIT_EXPECT_EQ(test, t_line(test, 7, 1, false), c->ret);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_vector_busy(l0, T_VEC), c->irr0);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_vector_busy(l1, T_VEC), c->irr1);
	KUNIT_EXPECT_EQ(test, atomic_read(&kvmirq_x86_vcpu(l1->vcpu)->ev.nmi_queued),
			c->nmi1 ? 1 : 0);
}

/* Each pin delivers its own entry. */
static void kvmirq_ioapic_pins_test(struct kunit *test)
{
	struct kvmirq_lapic *l = t_vcpu(test, 0, true);
	unsigned int pin;

	for (pin = 0; pin < KVMIRQ_IOAPIC_NUM_PINS; pin++)
		t_set_rte(test, pin, 0x80 + pin);
	for (pin = 0; pin < KVMIRQ_IOAPIC_NUM_PINS; pin++) {
		KUNIT_EXPECT_EQ_MSG(test, t_line(test, pin, 1, false), 1,
				    "pin %u", pin);
		KUNIT_EXPECT_EQ_MSG(test, kvmirq_lapic_take_irr(l), 0x80 + pin,
				    "pin %u", pin);
		kvmirq_lapic_eoi(l);
	}
}

/*
 * KVM ABI: with KVM_IRQ_LINE_STATUS, pin 8 (the RTC) is coalesced, and not
 * even latched, until every LAPIC it reached has EOIed its vector.
 */
static void kvmirq_ioapic_rtc_test(struct kunit *test)
{
	struct kvmirq_vm *vm = test->priv;
	struct kvmirq_lapic *l = t_vcpu(test, 0, true);

	t_set_rte(test, 8, T_RTE_EDGE);
	t_set_rte(test, 9, T_RTE_EDGE);
	KUNIT_EXPECT_EQ(test, t_line(test, 8, 1, true), 1);
	KUNIT_EXPECT_EQ(test, t_ioapic(test)->rtc_pending_eoi, 1);
	t_line(test, 8, 0, true);
	KUNIT_EXPECT_EQ(test, t_line(test, 8, 1, true), 0);
	KUNIT_EXPECT_EQ(test, t_ioapic(test)->s.irr, 0);
	t_line(test, 8, 0, true);
	/* Without line status (KVM_IRQ_LINE, irqfd) nothing is tracked. */
	KUNIT_EXPECT_EQ(test, t_line(test, 8, 1, false), 1);
	t_line(test, 8, 0, false);
	/* Another pin with the same vector is not the RTC. */
	KUNIT_EXPECT_EQ(test, t_line(test, 9, 1, true), 1);
	t_line(test, 9, 0, true);
	KUNIT_EXPECT_EQ(test, t_line(test, 9, 1, true), 1);
	/* EOIs from nowhere, another vcpu or of another vector do not count. */
	kvmirq_ioapic_eoi_from(vm, -1, T_VEC, 0);
	kvmirq_ioapic_eoi_from(vm, 1, T_VEC, 0);
	kvmirq_ioapic_eoi_from(vm, 0, T_VEC + 1, 0);
	KUNIT_EXPECT_EQ(test, t_line(test, 8, 1, true), 0);
	t_line(test, 8, 0, true);
	/* The LAPIC's own EOI does. */
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_take_irr(l), T_VEC);
	kvmirq_lapic_eoi(l);
	KUNIT_EXPECT_EQ(test, t_ioapic(test)->rtc_pending_eoi, 0);
	KUNIT_EXPECT_EQ(test, t_line(test, 8, 1, true), 1);
}

/* Every destination must EOI, once each. */
static void kvmirq_ioapic_rtc_broadcast_test(struct kunit *test)
{
	struct kvmirq_vm *vm = test->priv;

	t_vcpu(test, 0, true);
	t_vcpu(test, 1, true);
	t_vcpu(test, 2, false);		/* refuses: not counted */
	t_set_rte(test, 8, 0xffULL << 56 | T_RTE_EDGE);
	KUNIT_EXPECT_EQ(test, t_line(test, 8, 1, true), 2);
	t_line(test, 8, 0, true);
	KUNIT_EXPECT_EQ(test, t_ioapic(test)->rtc_pending_eoi, 2);
	kvmirq_ioapic_eoi_from(vm, 0, T_VEC, 0);
	kvmirq_ioapic_eoi_from(vm, 0, T_VEC, 0);
	kvmirq_ioapic_eoi_from(vm, 2, T_VEC, 0);
	KUNIT_EXPECT_EQ(test, t_ioapic(test)->rtc_pending_eoi, 1);
	KUNIT_EXPECT_EQ(test, t_line(test, 8, 1, true), 0);
	t_line(test, 8, 0, true);
	kvmirq_ioapic_eoi_from(vm, 1, T_VEC, 0);
	KUNIT_EXPECT_EQ(test, t_line(test, 8, 1, true), 2);
}

/*
 * KVM ABI: KVM_SET_LAPIC and SET_IRQCHIP recount the RTC from the LAPICs:
 * one that matches pin 8 and holds its vector in IRR or ISR counts.
 */
static void kvmirq_ioapic_rtc_restore_test(struct kunit *test)
{
	struct kvmirq_vm *vm = test->priv;
	struct kvmirq_lapic *l = t_vcpu(test, 0, true);
	struct kvm_ioapic_state s;

	t_set_rte(test, 8, T_RTE_EDGE);
	KUNIT_EXPECT_EQ(test, t_line(test, 8, 1, true), 1);
	t_line(test, 8, 0, true);
	/* The LAPIC is reset and its IRR cleared: nothing to wait for. */
	kvmirq_lapic_reset(l, false, true);
	kvmirq_lapic_set_reg(l, APIC_SPIV, 0x1ff);
	kvmirq_ioapic_lapic_restored(vm, 0);
	KUNIT_EXPECT_EQ(test, t_ioapic(test)->rtc_pending_eoi, 0);
	/* Delivered from pin 9 with the same vector: it counts once restored. */
	t_set_rte(test, 9, T_RTE_EDGE);
	t_line(test, 9, 1, false);
	KUNIT_EXPECT_EQ(test, t_line(test, 8, 1, true), 1);
	t_line(test, 8, 0, true);
	kvmirq_lapic_reset(l, false, true);
	kvmirq_lapic_set_reg(l, APIC_SPIV, 0x1ff);
	t_line(test, 9, 0, false);
	t_line(test, 9, 1, false);
	kvmirq_ioapic_get_state(vm, &s);
	kvmirq_ioapic_set_state(vm, &s);
	KUNIT_EXPECT_EQ(test, t_ioapic(test)->rtc_pending_eoi, 1);
	KUNIT_EXPECT_EQ(test, t_line(test, 8, 1, true), 0);
	/* An EOI of that vector by that LAPIC ends it. */
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_take_irr(l), T_VEC);
	kvmirq_lapic_eoi(l);
	KUNIT_EXPECT_EQ(test, t_line(test, 8, 1, true), 1);
}

/*
 * KVM ABI: the 10000th back-to-back re-delivery of a level line on EOI is
 * put off by 10 ms (a guest that never silences its device still runs).
 */
static void kvmirq_ioapic_storm_test(struct kunit *test)
{
	struct kvmirq_ioapic *ioapic = t_ioapic(test);
	unsigned int i;

	t_set_rte(test, 13, T_RTE_LEVEL);
	t_line(test, 13, 1, false);
	for (i = 1; i < IOAPIC_STORM_COUNT; i++) {
		kvmirq_ioapic_eoi(test->priv, T_VEC, 1);
		if (!t_remote_irr(test, 13))
			break;
	}
	KUNIT_EXPECT_EQ(test, i, IOAPIC_STORM_COUNT);
	KUNIT_EXPECT_EQ(test, ioapic->irq_eoi[13], IOAPIC_STORM_COUNT - 1);
	kvmirq_ioapic_eoi(test->priv, T_VEC, 1);
	KUNIT_EXPECT_FALSE(test, t_remote_irr(test, 13));
	KUNIT_EXPECT_EQ(test, ioapic->irq_eoi[13], 0);
	KUNIT_EXPECT_TRUE(test, delayed_work_pending(&ioapic->eoi_inject));
	flush_delayed_work(&ioapic->eoi_inject);
	KUNIT_EXPECT_TRUE(test, t_remote_irr(test, 13));
	/* A dropped line ends the run. */
	t_line(test, 13, 0, false);
	kvmirq_ioapic_eoi(test->priv, T_VEC, 1);
	KUNIT_EXPECT_EQ(test, ioapic->irq_eoi[13], 0);
}

/* Once the VM fd is closed, no timer: the storm is delivered at once. */
static void kvmirq_ioapic_storm_released_test(struct kunit *test)
{
	struct kvmirq_ioapic *ioapic = t_ioapic(test);

	t_set_rte(test, 13, T_RTE_LEVEL);
	t_line(test, 13, 1, false);
	kvmirq_ioapic_release(test->priv);
	ioapic->irq_eoi[13] = IOAPIC_STORM_COUNT - 1;
	kvmirq_ioapic_eoi(test->priv, T_VEC, 1);
	KUNIT_EXPECT_TRUE(test, t_remote_irr(test, 13));
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&ioapic->eoi_inject));
	KUNIT_EXPECT_EQ(test, ioapic->irq_eoi[13], 0);
}

static struct kunit_case kvmirq_ioapic_test_cases[] = {
	KUNIT_CASE(kvmirq_ioapic_create_test),
	KUNIT_CASE_PARAM(kvmirq_ioapic_reg_test, kvmirq_ioapic_reg_gen_params),
	KUNIT_CASE(kvmirq_ioapic_id_test),
	KUNIT_CASE(kvmirq_ioapic_rte_rw_test),
	KUNIT_CASE(kvmirq_ioapic_rte_readonly_test),
	KUNIT_CASE_PARAM(kvmirq_ioapic_mmio_test, kvmirq_ioapic_mmio_gen_params),
	KUNIT_CASE(kvmirq_ioapic_mmio_write_test),
	KUNIT_CASE(kvmirq_ioapic_base_moved_test),
	KUNIT_CASE_PARAM(kvmirq_ioapic_input_test,
			 kvmirq_ioapic_input_gen_params),
	KUNIT_CASE(kvmirq_ioapic_sources_test),
	KUNIT_CASE_PARAM(kvmirq_ioapic_eoi_test, kvmirq_ioapic_eoi_gen_params),
	KUNIT_CASE(kvmirq_ioapic_eoi_pins_test),
	KUNIT_CASE(kvmirq_ioapic_lapic_eoi_test),
	KUNIT_CASE(kvmirq_ioapic_directed_eoi_test),
	KUNIT_CASE(kvmirq_ioapic_unmask_test),
	KUNIT_CASE(kvmirq_ioapic_get_irr_test),
	KUNIT_CASE(kvmirq_ioapic_set_state_test),
	KUNIT_CASE_PARAM(kvmirq_ioapic_msg_test, kvmirq_ioapic_msg_gen_params),
	KUNIT_CASE(kvmirq_ioapic_pins_test),
	KUNIT_CASE(kvmirq_ioapic_rtc_test),
	KUNIT_CASE(kvmirq_ioapic_rtc_broadcast_test),
	KUNIT_CASE(kvmirq_ioapic_rtc_restore_test),
	KUNIT_CASE(kvmirq_ioapic_storm_test),
	KUNIT_CASE(kvmirq_ioapic_storm_released_test),
	{}
};

static struct kunit_suite kvmirq_ioapic_test_suite = {
	.name = "kvmirq_ioapic",
	.init = kvmirq_ioapic_test_init,
	.exit = kvmirq_ioapic_test_exit,
	.test_cases = kvmirq_ioapic_test_cases,
};

kunit_test_suite(kvmirq_ioapic_test_suite);
