// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for lapic.c: one local APIC's state machine, without fds.
 * Acceptance of each delivery mode (IRR, TMR, the queued events), the
 * software and hardware enables, PPR from TPR and ISR, the acknowledge
 * (highest IRR above PPR), EOI of the highest ISR bit, register writes and
 * their masks, ICR decoding, APIC base changes and x2APIC ids, KVM_GET/
 * SET_LAPIC fix-ups, MMIO and x2APIC MSR access.  Included at the end of
 * lapic.c when CONFIG_KUNIT is set; the expectations are KVM's (6.1/6.18
 * lapic.c) and, where the selftests check the same, real KVM's answers.
 */
#include "x86_kunit.h"

#define LK_BASE		(KVMIRQ_APIC_DEFAULT_BASE | KVMIRQ_APIC_BASE_EN)
#define LK_X2APIC	(LK_BASE | KVMIRQ_APIC_BASE_EXTD)

static void lk_set_ppr(struct kvmirq_lapic *l, int isrv)
{
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	kvmirq_lapic_set_ppr_locked(l, isrv);
	spin_unlock_irqrestore(&l->lock, flags);
}

static int lk_write(struct kvmirq_lapic *l, u32 off, u32 val,
		    struct kvmirq_lapic_after *after)
{
	unsigned long flags;
	int r;

	after->ipi = false;
	after->eoi_vector = -1;
	spin_lock_irqsave(&l->lock, flags);
	r = kvmirq_lapic_write_locked(l, off, val, after);
	spin_unlock_irqrestore(&l->lock, flags);
	return r;
}

static struct kvmirq_apic_irq lk_msg(u32 dm, u32 vector, u32 trig, bool level)
{
	return (struct kvmirq_apic_irq) {
		.vector = vector, .delivery_mode = dm, .trig_mode = trig,
		.level = level, .dest_mode = APIC_DEST_PHYSICAL,
	};
}

/* Reset: KVM's kvm_lapic_reset() values, boot vcpu and other vcpus. */
static void lapic_reset_test(struct kunit *test)
{
	struct kx_vm *kx = kx_vm_seq(test, 2);
	struct kvmirq_lapic *boot = &kx->lapic[0], *ap = &kx->lapic[1];
	u32 off;

	KUNIT_EXPECT_EQ(test, boot->base, LK_BASE | KVMIRQ_APIC_BASE_BSP);
	KUNIT_EXPECT_EQ(test, ap->base, LK_BASE);
	KUNIT_EXPECT_EQ(test, kx_reg(ap, APIC_ID), 1U << 24);
	KUNIT_EXPECT_EQ(test, kx_reg(ap, APIC_LVR), 0x00050014U);
	KUNIT_EXPECT_EQ(test, kx_reg(ap, APIC_DFR), (u32)APIC_DFR_FLAT);
	KUNIT_EXPECT_EQ(test, kx_reg(ap, APIC_SPIV), 0xffU);
	KUNIT_EXPECT_FALSE(test, kvmirq_lapic_sw_enabled(ap));
	KUNIT_EXPECT_EQ(test, kx_reg(ap, APIC_PROCPRI), 0U);
	for (off = APIC_LVTT; off <= APIC_LVTERR; off += 0x10)
		KUNIT_EXPECT_EQ_MSG(test, kx_reg(ap, off), (u32)APIC_LVT_MASKED,
				    "lvt %#x", off);
	/* KVM ABI: LINT0_REENABLED, the boot vcpu's LINT0 is an unmasked ExtINT. */
	KUNIT_EXPECT_EQ(test, kx_reg(boot, APIC_LVT0), (u32)APIC_DM_EXTINT);
	KUNIT_EXPECT_TRUE(test, kvmirq_lapic_accepts_pic(boot));
	KUNIT_EXPECT_FALSE(test, kvmirq_lapic_accepts_pic(ap));
}

/* KVM ABI: INIT keeps APIC base, ID and (x2APIC) LDR; the rest resets. */
static void lapic_init_reset_test(struct kunit *test)
{
	struct kx_vm *kx = kx_vm_seq(test, 2);
	struct kvmirq_lapic *xa = &kx->lapic[0], *x2 = &kx->lapic[1];
	struct kvmirq_lapic *l;
	unsigned int i;

	kx_x2apic(test, x2);
	kx_logical(xa, 0x04000000, APIC_DFR_CLUSTER);
	kx_set(xa, APIC_ID, 0x33000000);
	for (i = 0; i < 2; i++) {
		l = &kx->lapic[i];
		kx_set(l, APIC_TASKPRI, 0x20);
		kx_set_vec(l, APIC_IRR, 0x80);
		kx_set_vec(l, APIC_ISR, 0x70);
		kx_set_vec(l, APIC_TMR, 0x70);
		kvmirq_lapic_reset(l, true, i == 0);
		KUNIT_EXPECT_EQ(test, kvmirq_lapic_highest_vec(l, APIC_IRR), -1);
		KUNIT_EXPECT_EQ(test, kvmirq_lapic_highest_vec(l, APIC_ISR), -1);
		KUNIT_EXPECT_EQ(test, kvmirq_lapic_highest_vec(l, APIC_TMR), -1);
		KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_PROCPRI), 0U);
		KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_SPIV), 0xffU);
		KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_DFR), (u32)APIC_DFR_FLAT);
	}
	KUNIT_EXPECT_EQ(test, xa->base, LK_BASE | KVMIRQ_APIC_BASE_BSP);
	KUNIT_EXPECT_EQ(test, kx_reg(xa, APIC_ID), 0x33000000U);
	KUNIT_EXPECT_EQ(test, kx_reg(xa, APIC_LDR), 0U);
	/* KVM ABI: LINT0_REENABLED applies to an INIT of the boot vcpu too. */
	KUNIT_EXPECT_EQ(test, kx_reg(xa, APIC_LVT0), (u32)APIC_DM_EXTINT);
	KUNIT_EXPECT_EQ(test, kx_reg(x2, APIC_LVT0), (u32)APIC_LVT_MASKED);
	KUNIT_EXPECT_EQ(test, x2->base, LK_X2APIC);
	KUNIT_EXPECT_EQ(test, kx_reg(x2, APIC_ID), 1U);
	KUNIT_EXPECT_EQ(test, kx_reg(x2, APIC_LDR), 2U);
}

enum lk_effect { LK_NONE, LK_IRR, LK_NMI, LK_INIT, LK_SIPI, LK_SMI, LK_REMRD };

struct lk_accept_case {
	const char *name;
	u32 svr;
	bool hw_off;
	u32 dm;
	u32 vector;
	u32 trig;
	bool level;
	int r;
	enum lk_effect eff;
};

static const struct lk_accept_case lk_accept_cases[] = {
	{ "fixed edge", 0x1ff, false, APIC_DM_FIXED, 0x30, 0, true, 1, LK_IRR },
	{ "fixed edge, level bit clear", 0x1ff, false, APIC_DM_FIXED, 0x31, 0, false, 1, LK_IRR },
	{ "fixed level asserted", 0x1ff, false, APIC_DM_FIXED, 0x32, 1, true, 1, LK_IRR },
	{ "fixed level deasserted", 0x1ff, false, APIC_DM_FIXED, 0x33, 1, false, 0, LK_NONE },
	{ "lowest edge", 0x1ff, false, APIC_DM_LOWEST, 0x34, 0, true, 1, LK_IRR },
	{ "lowest level deasserted", 0x1ff, false, APIC_DM_LOWEST, 0x34, 1, false, 0, LK_NONE },
	{ "fixed, software-disabled", 0xff, false, APIC_DM_FIXED, 0x35, 0, true, 0, LK_NONE },
	{ "lowest, software-disabled", 0x0ff, false, APIC_DM_LOWEST, 0x36, 0, true, 0, LK_NONE },
	{ "fixed, hardware-disabled", 0x1ff, true, APIC_DM_FIXED, 0x37, 0, true, 0, LK_NONE },
	/* KVM ABI: illegal vectors are accepted and ESR is not set. */
	{ "fixed vector 0", 0x1ff, false, APIC_DM_FIXED, 0x00, 0, true, 1, LK_IRR },
	{ "fixed vector 15 level", 0x1ff, false, APIC_DM_FIXED, 0x0f, 1, true, 1, LK_IRR },
	{ "fixed vector 255", 0x1ff, false, APIC_DM_FIXED, 0xff, 0, true, 1, LK_IRR },
	{ "nmi", 0x1ff, false, APIC_DM_NMI, 0x00, 0, true, 1, LK_NMI },
	{ "nmi, software-disabled", 0xff, false, APIC_DM_NMI, 0x00, 0, true, 1, LK_NMI },
	{ "nmi level deasserted", 0x1ff, false, APIC_DM_NMI, 0x00, 1, false, 1, LK_NMI },
	{ "init edge", 0xff, false, APIC_DM_INIT, 0x00, 0, false, 1, LK_INIT },
	{ "init level asserted", 0x1ff, false, APIC_DM_INIT, 0x00, 1, true, 1, LK_INIT },
	{ "init level deasserted", 0x1ff, false, APIC_DM_INIT, 0x00, 1, false, 0, LK_NONE },
	{ "startup", 0xff, false, APIC_DM_STARTUP, 0x12, 0, true, 1, LK_SIPI },
	{ "smi", 0xff, false, APIC_DM_SMI, 0x00, 0, true, 1, LK_SMI },
	{ "remote read (pv unhalt)", 0x1ff, false, APIC_DM_REMRD, 0x00, 0, true, 1, LK_REMRD },
	{ "extint", 0x1ff, false, APIC_DM_EXTINT, 0x38, 0, true, 0, LK_NONE },
};

static void lk_accept_desc(const struct lk_accept_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lk_accept, lk_accept_cases, lk_accept_desc);

static void lk_expect_effect(struct kunit *test, struct kvmirq_lapic *l,
			     const struct lk_accept_case *c)
{
	struct kvmirq_x86_events *ev = &kvmirq_x86_vcpu(l->vcpu)->ev;
	bool irr = c->eff == LK_IRR;

	KUNIT_EXPECT_EQ(test, kx_vec(l, APIC_IRR, c->vector), irr);
	KUNIT_EXPECT_EQ(test, kx_vec(l, APIC_TMR, c->vector), (bool)(irr && c->trig));
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_highest_vec(l, APIC_IRR), irr ? (int)c->vector : -1);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_ESR), 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&ev->nmi_queued), c->eff == LK_NMI ? 1 : 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ev->smi_queued), c->eff == LK_SMI ? 1 : 0);
	KUNIT_EXPECT_EQ(test, test_bit(KVMIRQ_APIC_INIT, &l->pending), c->eff == LK_INIT);
	KUNIT_EXPECT_EQ(test, test_bit(KVMIRQ_APIC_SIPI, &l->pending), c->eff == LK_SIPI);
	if (c->eff == LK_SIPI)
		KUNIT_EXPECT_EQ(test, l->sipi_vector, c->vector);
	KUNIT_EXPECT_EQ(test, l->pv_unhalted, c->eff == LK_REMRD);
}

/* KVM's __apic_accept_irq(), one message at a time. */
static void lapic_accept_test(struct kunit *test)
{
	const struct lk_accept_case *c = test->param_value;
	struct kvmirq_lapic *l = kx_lapic(test);
	struct kvmirq_apic_irq irq = lk_msg(c->dm, c->vector, c->trig, c->level);

	kx_set(l, APIC_SPIV, c->svr);
	if (c->hw_off)
		KUNIT_ASSERT_EQ(test, kvmirq_lapic_set_base(l, KVMIRQ_APIC_DEFAULT_BASE,
							    true), 0);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_accept(l, &irq), c->r);
	lk_expect_effect(test, l, c);
}

/* TMR follows the last accepted message; the LAPIC never coalesces. */
static void lapic_accept_tmr_test(struct kunit *test)
{
	struct kvmirq_lapic *l = kx_lapic(test);
	struct kvmirq_apic_irq level = lk_msg(APIC_DM_FIXED, 0x61, 1, true);
	struct kvmirq_apic_irq edge = lk_msg(APIC_DM_FIXED, 0x61, 0, true);

	kx_set(l, APIC_SPIV, 0x1ff);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_accept(l, &level), 1);
	KUNIT_EXPECT_TRUE(test, kx_vec(l, APIC_TMR, 0x61));
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_accept(l, &edge), 1);
	KUNIT_EXPECT_FALSE(test, kx_vec(l, APIC_TMR, 0x61));
	/* KVM ABI: already in IRR still counts as accepted (1, not 0). */
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_accept(l, &edge), 1);
	KUNIT_EXPECT_TRUE(test, kx_vec(l, APIC_IRR, 0x61));
	KUNIT_EXPECT_TRUE(test, kvmirq_lapic_vector_busy(l, 0x61));
	KUNIT_EXPECT_TRUE(test, kvmirq_lapic_vector_busy(l, 0x161));
	KUNIT_EXPECT_FALSE(test, kvmirq_lapic_vector_busy(l, 0x60));
}

/* KVM counts lowest-priority messages in arb_prio, accepted or not. */
static void lapic_arb_prio_test(struct kunit *test)
{
	struct kvmirq_lapic *l = kx_lapic(test);
	struct kvmirq_apic_irq low = lk_msg(APIC_DM_LOWEST, 0x40, 0, true);
	struct kvmirq_apic_irq fixed = lk_msg(APIC_DM_FIXED, 0x40, 0, true);

	KUNIT_EXPECT_EQ(test, kvmirq_lapic_accept(l, &low), 0);
	KUNIT_EXPECT_EQ(test, l->arb_prio, 1U);
	kx_set(l, APIC_SPIV, 0x1ff);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_accept(l, &low), 1);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_accept(l, &fixed), 1);
	KUNIT_EXPECT_EQ(test, l->arb_prio, 2U);
	kvmirq_lapic_reset(l, false, false);
	KUNIT_EXPECT_EQ(test, l->arb_prio, 0U);
}

/* KVM ABI: an INIT replaces a latched SIPI; a SIPI keeps the INIT. */
static void lapic_init_sipi_test(struct kunit *test)
{
	struct kvmirq_lapic *l = kx_lapic(test);
	struct kvmirq_apic_irq init = lk_msg(APIC_DM_INIT, 0, 0, true);
	struct kvmirq_apic_irq sipi = lk_msg(APIC_DM_STARTUP, 0x9a, 0, true);

	KUNIT_EXPECT_EQ(test, kvmirq_lapic_accept(l, &sipi), 1);
	KUNIT_EXPECT_EQ(test, l->pending, BIT(KVMIRQ_APIC_SIPI));
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_accept(l, &init), 1);
	KUNIT_EXPECT_EQ(test, l->pending, BIT(KVMIRQ_APIC_INIT));
	sipi.vector = 0x19a;	/* only the low byte is the vector */
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_accept(l, &sipi), 1);
	KUNIT_EXPECT_EQ(test, l->pending, BIT(KVMIRQ_APIC_INIT) | BIT(KVMIRQ_APIC_SIPI));
	KUNIT_EXPECT_EQ(test, l->sipi_vector, 0x9aU);
}

struct lk_ppr_case {
	u32 tpr;
	int isrv;
	u32 ppr;
};

static const struct lk_ppr_case lk_ppr_cases[] = {
	{ 0x00, -1, 0x00 }, { 0x27, -1, 0x27 }, { 0x20, 0x35, 0x30 },
	{ 0x45, 0x35, 0x45 }, { 0x35, 0x3f, 0x35 }, { 0x30, 0x3f, 0x30 },
	{ 0x2f, 0x31, 0x30 }, { 0x00, 0xff, 0xf0 }, { 0xff, 0x10, 0xff },
	{ 0x00, 0x0e, 0x00 },
};

static void lk_ppr_desc(const struct lk_ppr_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "tpr %#x isr %d", c->tpr, c->isrv);
}

KUNIT_ARRAY_PARAM(lk_ppr, lk_ppr_cases, lk_ppr_desc);

/* PPR: TPR if its class is at least the highest ISR's, else that class. */
static void lapic_ppr_test(struct kunit *test)
{
	const struct lk_ppr_case *c = test->param_value;
	struct kvmirq_lapic *l = kx_lapic(test);

	kx_set(l, APIC_TASKPRI, c->tpr);
	lk_set_ppr(l, c->isrv);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_PROCPRI), c->ppr);
}

struct lk_ack_case {
	const char *name;
	u32 tpr;
	int isr;	/* in service, or -1 */
	u32 irr[3];	/* 0 = none */
	int vec;	/* what the acknowledge takes, -1 for nothing */
};

static const struct lk_ack_case lk_ack_cases[] = {
	{ "empty", 0, -1, { 0 }, -1 },
	{ "one", 0, -1, { 0x40 }, 0x40 },
	{ "highest of three", 0, -1, { 0x40, 0x91, 0x55 }, 0x91 },
	{ "tpr below the class", 0x3f, -1, { 0x40 }, 0x40 },
	{ "tpr in the class", 0x40, -1, { 0x4f }, -1 },
	{ "tpr above", 0x50, -1, { 0x4f, 0x41 }, -1 },
	{ "tpr blocks the lower only", 0x50, -1, { 0x4f, 0x61 }, 0x61 },
	{ "isr class blocks", 0, 0x45, { 0x4f }, -1 },
	{ "isr lower class", 0, 0x45, { 0x50 }, 0x50 },
	{ "isr higher class", 0, 0x80, { 0x7f, 0x50 }, -1 },
	{ "vector 15", 0, -1, { 0x0f }, -1 },
	{ "vector 16", 0, -1, { 0x10 }, 0x10 },
	{ "vector 255", 0xef, 0xe0, { 0xff }, 0xff },
};

static void lk_ack_desc(const struct lk_ack_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lk_ack, lk_ack_cases, lk_ack_desc);

/* The acknowledge takes the highest IRR vector whose class is above PPR. */
static void lapic_take_irr_test(struct kunit *test)
{
	const struct lk_ack_case *c = test->param_value;
	struct kvmirq_lapic *l = kx_lapic(test);
	unsigned int i;

	kx_set(l, APIC_TASKPRI, c->tpr);
	if (c->isr >= 0)
		kx_set_vec(l, APIC_ISR, c->isr);
	for (i = 0; i < ARRAY_SIZE(c->irr); i++)
		if (c->irr[i])
			kx_set_vec(l, APIC_IRR, c->irr[i]);
	/* PPR is stale here: the acknowledge recomputes it first, as KVM. */
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_take_irr(l), c->vec);
	if (c->vec < 0)
		return;
	KUNIT_EXPECT_FALSE(test, kx_vec(l, APIC_IRR, c->vec));
	KUNIT_EXPECT_TRUE(test, kx_vec(l, APIC_ISR, c->vec));
	/* Taken means its class was above TPR: PPR is now that class. */
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_PROCPRI), (u32)c->vec & 0xf0);
}

/* A full cycle: two vectors nest, EOIs unwind them highest first. */
static void lapic_ack_eoi_cycle_test(struct kunit *test)
{
	struct kvmirq_lapic *l = kx_lapic(test);

	kx_set(l, APIC_SPIV, 0x1ff);
	kx_set_vec(l, APIC_IRR, 0x41);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_take_irr(l), 0x41);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_PROCPRI), 0x40U);
	kx_set_vec(l, APIC_IRR, 0x42);
	kx_set_vec(l, APIC_IRR, 0x62);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_take_irr(l), 0x62);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_take_irr(l), -1);
	kvmirq_lapic_eoi(l);
	KUNIT_EXPECT_FALSE(test, kx_vec(l, APIC_ISR, 0x62));
	KUNIT_EXPECT_TRUE(test, kx_vec(l, APIC_ISR, 0x41));
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_PROCPRI), 0x40U);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_take_irr(l), -1);
	kvmirq_lapic_eoi(l);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_PROCPRI), 0U);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_take_irr(l), 0x42);
	kvmirq_lapic_eoi(l);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_highest_vec(l, APIC_ISR), -1);
	/* An EOI with nothing in service changes nothing. */
	kvmirq_lapic_eoi(l);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_highest_vec(l, APIC_ISR), -1);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_highest_vec(l, APIC_IRR), -1);
}

/* A hardware-disabled LAPIC delivers nothing to the CPU. */
static void lapic_take_irr_hw_disabled_test(struct kunit *test)
{
	struct kvmirq_lapic *l = kx_lapic(test);

	kx_set_vec(l, APIC_IRR, 0x80);
	KUNIT_ASSERT_EQ(test, kvmirq_lapic_set_base(l, KVMIRQ_APIC_DEFAULT_BASE, true), 0);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_take_irr(l), -1);
	KUNIT_EXPECT_TRUE(test, kx_vec(l, APIC_IRR, 0x80));
	KUNIT_EXPECT_TRUE(test, kvmirq_lapic_accepts_pic(l));
}

/* EOI ends the highest ISR vector and reports its TMR bit. */
static void lapic_eoi_highest_test(struct kunit *test)
{
	struct kvmirq_lapic *l = kx_lapic(test);
	struct kvmirq_lapic_after after;

	kx_set_vec(l, APIC_ISR, 0x31);
	kx_set_vec(l, APIC_ISR, 0x52);
	kx_set_vec(l, APIC_ISR, 0x40);
	kx_set_vec(l, APIC_TMR, 0x40);
	KUNIT_EXPECT_EQ(test, lk_write(l, APIC_EOI, 0, &after), 0);
	KUNIT_EXPECT_EQ(test, after.eoi_vector, 0x52);
	KUNIT_EXPECT_EQ(test, after.eoi_trig, 0U);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_PROCPRI), 0x40U);
	/* KVM ABI: the EOI register ignores the value written. */
	KUNIT_EXPECT_EQ(test, lk_write(l, APIC_EOI, 0x31, &after), 0);
	KUNIT_EXPECT_EQ(test, after.eoi_vector, 0x40);
	KUNIT_EXPECT_EQ(test, after.eoi_trig, 1U);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_PROCPRI), 0x30U);
	KUNIT_EXPECT_EQ(test, lk_write(l, APIC_EOI, 0, &after), 0);
	KUNIT_EXPECT_EQ(test, after.eoi_vector, 0x31);
	KUNIT_EXPECT_EQ(test, lk_write(l, APIC_EOI, 0, &after), 0);
	KUNIT_EXPECT_EQ(test, after.eoi_vector, -1);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_PROCPRI), 0U);
}

struct lk_write_case {
	const char *name;
	bool x2apic;
	u32 off;
	u32 val;
	int r;		/* 1: KVM fails the write (#GP for an MSR) */
	u32 reg;	/* the register afterwards, if r == 0 */
};

static const struct lk_write_case lk_write_cases[] = {
	{ "xapic id", false, APIC_ID, 0x12345678, 0, 0x12000000 },
	{ "x2apic id read-only", true, APIC_ID, 5, 1, 0 },
	{ "tpr low byte", false, APIC_TASKPRI, 0xabcd, 0, 0xcd },
	{ "ldr top byte", false, APIC_LDR, 0x12345678, 0, 0x12000000 },
	{ "x2apic ldr read-only", true, APIC_LDR, 1, 1, 0 },
	{ "dfr cluster", false, APIC_DFR, 0x0, 0, 0x0fffffff },
	{ "dfr flat", false, APIC_DFR, 0xf0000000, 0, 0xffffffff },
	{ "x2apic dfr", true, APIC_DFR, 0xffffffff, 1, 0 },
	{ "svr 10 bits", false, APIC_SPIV, 0xfffff, 0, 0x3ff },
	{ "esr write", false, APIC_ESR, 0x40, 0, 0 },
	{ "x2apic esr zero", true, APIC_ESR, 0, 0, 0 },
	{ "x2apic esr nonzero", true, APIC_ESR, 1, 1, 0 },
	{ "icr2 dest byte", false, APIC_ICR2, 0x12345678, 0, 0x12000000 },
	{ "x2apic icr2", true, APIC_ICR2, 0, 1, 0 },
	{ "timer lvt", false, APIC_LVTT, 0xfffff, 0, 0x110ff },
	{ "thermal lvt", false, APIC_LVTTHMR, 0xfffff, 0, 0x117ff },
	{ "lint0 lvt", false, APIC_LVT0, 0xfffff, 0, 0x1f7ff },
	{ "error lvt", false, APIC_LVTERR, 0x1ff33, 0, 0x11033 },
	{ "timer divide", false, APIC_TDCR, 0xff, 0, 0xb },
	{ "timer initial", false, APIC_TMICT, 0xdeadbeef, 0, 0xdeadbeef },
	{ "xapic self ipi", false, APIC_SELF_IPI, 0x40, 1, 0 },
	{ "ppr read-only", false, APIC_PROCPRI, 0x40, 1, 0 },
	{ "lvr read-only", false, APIC_LVR, 0, 1, 0 },
	{ "irr read-only", false, APIC_IRR, 1, 1, 0 },
	{ "unknown 0x10", false, 0x10, 1, 1, 0 },
};

static void lk_write_desc(const struct lk_write_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lk_write, lk_write_cases, lk_write_desc);

/* KVM's kvm_lapic_reg_write(): what each register keeps, what fails. */
static void lapic_write_test(struct kunit *test)
{
	const struct lk_write_case *c = test->param_value;
	struct kvmirq_lapic *l = kx_lapic(test);
	struct kvmirq_lapic_after after;

	kx_set(l, APIC_SPIV, 0x1ff);
	if (c->x2apic)
		kx_x2apic(test, l);
	KUNIT_EXPECT_EQ(test, lk_write(l, c->off, c->val, &after), c->r);
	if (!c->r)
		KUNIT_EXPECT_EQ(test, kx_reg(l, c->off), c->reg);
	KUNIT_EXPECT_FALSE(test, after.ipi);
}

/* Clearing SVR bit 8 masks every LVT; while disabled, LVTs stay masked. */
static void lapic_svr_masks_lvts_test(struct kunit *test)
{
	struct kvmirq_lapic *l = kx_lapic(test);
	struct kvmirq_lapic_after after;
	u32 off;

	kx_set(l, APIC_SPIV, 0x1ff);
	for (off = APIC_LVTT; off <= APIC_LVTERR; off += 0x10)
		lk_write(l, off, 0x20 + (off >> 4), &after);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_LVT0), 0x55U);
	KUNIT_EXPECT_EQ(test, lk_write(l, APIC_SPIV, 0xff, &after), 0);
	for (off = APIC_LVTT; off <= APIC_LVTERR; off += 0x10)
		KUNIT_EXPECT_EQ_MSG(test, kx_reg(l, off),
				    (u32)APIC_LVT_MASKED | (0x20 + (off >> 4)),
				    "lvt %#x", off);
	lk_write(l, APIC_LVT1, 0x66, &after);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_LVT1), (u32)APIC_LVT_MASKED | 0x66);
	/* Enabling again unmasks nothing. */
	lk_write(l, APIC_SPIV, 0x1ff, &after);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_LVT1), (u32)APIC_LVT_MASKED | 0x66);
	lk_write(l, APIC_LVT1, 0x66, &after);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_LVT1), 0x66U);
}

/* A TPR write recomputes PPR against what is in service. */
static void lapic_tpr_write_test(struct kunit *test)
{
	struct kvmirq_lapic *l = kx_lapic(test);
	struct kvmirq_lapic_after after;

	kx_set_vec(l, APIC_ISR, 0x51);
	lk_write(l, APIC_TASKPRI, 0x20, &after);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_PROCPRI), 0x50U);
	lk_write(l, APIC_TASKPRI, 0x61, &after);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_PROCPRI), 0x61U);
	kx_set_vec(l, APIC_IRR, 0x70);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_take_irr(l), 0x70);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_PROCPRI), 0x70U);
}

struct lk_icr_case {
	const char *name;
	bool x2apic;
	u32 low;
	u32 high;
	struct kvmirq_apic_irq irq;
};

static const struct lk_icr_case lk_icr_cases[] = {
	{ "fixed physical", false, 0x00004031, 0x05000000,
	  { .vector = 0x31, .level = true, .dest_id = 5 } },
	{ "logical level", false, 0x0000c832, 0xf0000000,
	  { .vector = 0x32, .dest_mode = APIC_DEST_LOGICAL, .level = true,
	    .trig_mode = 1, .dest_id = 0xf0 } },
	{ "init deassert", false, 0x00008500, 0x01000000,
	  { .delivery_mode = APIC_DM_INIT, .trig_mode = 1, .dest_id = 1 } },
	{ "startup", false, 0x0000069a, 0x02000000,
	  { .vector = 0x9a, .delivery_mode = APIC_DM_STARTUP, .dest_id = 2 } },
	{ "self", false, 0x00044033, 0,
	  { .vector = 0x33, .level = true, .shorthand = APIC_DEST_SELF } },
	{ "all including self", false, 0x00084434, 0,
	  { .vector = 0x34, .delivery_mode = APIC_DM_NMI, .level = true,
	    .shorthand = APIC_DEST_ALLINC } },
	{ "all but self", false, 0x000c4135, 0,
	  { .vector = 0x35, .delivery_mode = APIC_DM_LOWEST, .level = true,
	    .shorthand = APIC_DEST_ALLBUT } },
	{ "x2apic 32-bit dest", true, 0x00004037, 0x00012345,
	  { .vector = 0x37, .level = true, .dest_id = 0x12345 } },
	{ "x2apic broadcast", true, 0x00004838, 0xffffffff,
	  { .vector = 0x38, .dest_mode = APIC_DEST_LOGICAL, .level = true,
	    .dest_id = 0xffffffff } },
};

static void lk_icr_desc(const struct lk_icr_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lk_icr, lk_icr_cases, lk_icr_desc);

/* An ICR write becomes one interrupt message (sent after the unlock). */
static void lapic_icr_decode_test(struct kunit *test)
{
	const struct lk_icr_case *c = test->param_value;
	struct kvmirq_lapic *l = kx_lapic(test);
	struct kvmirq_lapic_after after;
	const struct kvmirq_apic_irq *irq = &after.irq;

	if (c->x2apic)
		kx_x2apic(test, l);
	after.ipi = false;
	kvmirq_lapic_prepare_ipi(l, c->low, c->high, &after);
	KUNIT_ASSERT_TRUE(test, after.ipi);
	KUNIT_EXPECT_EQ(test, irq->vector, c->irq.vector);
	KUNIT_EXPECT_EQ(test, irq->delivery_mode, c->irq.delivery_mode);
	KUNIT_EXPECT_EQ(test, irq->dest_mode, c->irq.dest_mode);
	KUNIT_EXPECT_EQ(test, irq->level, c->irq.level);
	KUNIT_EXPECT_EQ(test, irq->trig_mode, c->irq.trig_mode);
	KUNIT_EXPECT_EQ(test, irq->shorthand, c->irq.shorthand);
	KUNIT_EXPECT_EQ(test, irq->dest_id, c->irq.dest_id);
	KUNIT_EXPECT_FALSE(test, irq->msi_redir_hint);
}

/* The ICR register path: busy bit cleared, xAPIC dest from ICR2. */
static void lapic_icr_write_test(struct kunit *test)
{
	struct kvmirq_lapic *l = kx_lapic(test);
	struct kvmirq_lapic_after after;

	lk_write(l, APIC_ICR2, 0x07ffffff, &after);
	KUNIT_EXPECT_EQ(test, lk_write(l, APIC_ICR, 0x5041, &after), 0);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_ICR), 0x4041U);
	KUNIT_ASSERT_TRUE(test, after.ipi);
	KUNIT_EXPECT_EQ(test, after.irq.dest_id, 7U);
	KUNIT_EXPECT_EQ(test, after.irq.vector, 0x41U);
	/* KVM ABI: SELF_IPI is an x2APIC register: a self, fixed, edge IPI. */
	kx_x2apic(test, l);
	/* KVM ABI: bits above the vector fail the write (issue 15, point 4). */
	KUNIT_EXPECT_NE(test, lk_write(l, APIC_SELF_IPI, 0xfff42, &after), 0);
	KUNIT_EXPECT_EQ(test, lk_write(l, APIC_SELF_IPI, 0x42, &after), 0);
	KUNIT_ASSERT_TRUE(test, after.ipi);
	KUNIT_EXPECT_EQ(test, after.irq.vector, 0x42U);
	KUNIT_EXPECT_EQ(test, after.irq.shorthand, (u32)APIC_DEST_SELF);
	KUNIT_EXPECT_EQ(test, after.irq.delivery_mode, (u32)APIC_DM_FIXED);
	KUNIT_EXPECT_EQ(test, after.irq.trig_mode, 0U);
}

/* A self IPI written through MMIO lands in the sender's own IRR. */
static void lapic_self_ipi_delivery_test(struct kunit *test)
{
	struct kx_vm *kx = kx_vm_seq(test, 2);
	struct kvmirq_lapic *l = &kx->lapic[1];
	struct kvmirq_io io = {
		.len = 4, .flags = KVMIRQ_IO_WRITE,
		.addr = KVMIRQ_APIC_DEFAULT_BASE + APIC_ICR,
		.data = APIC_DEST_SELF | 0x43,
	};

	kx_set(&kx->lapic[0], APIC_SPIV, 0x1ff);
	kx_set(l, APIC_SPIV, 0x1ff);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_mmio(l, &io), 0);
	KUNIT_EXPECT_EQ(test, kx_irr_mask(kx, 0x43), 2U);
	io.data = APIC_DEST_ALLINC | 0x44;
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_mmio(l, &io), 0);
	KUNIT_EXPECT_EQ(test, kx_irr_mask(kx, 0x44), 3U);
	io.data = APIC_DEST_ALLBUT | 0x45;
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_mmio(l, &io), 0);
	KUNIT_EXPECT_EQ(test, kx_irr_mask(kx, 0x45), 1U);
}

struct lk_base_case {
	const char *name;
	u64 old;
	u64 val;
	bool host;
	int r;
};

static const struct lk_base_case lk_base_cases[] = {
	{ "same value", LK_X2APIC, LK_X2APIC, false, 0 },
	{ "move the page", LK_BASE, 0xfed00000 | KVMIRQ_APIC_BASE_EN, false, 0 },
	{ "reserved bit 0", LK_BASE, LK_BASE | 1, true, -EINVAL },
	{ "reserved bit 9", LK_BASE, LK_BASE | BIT_ULL(9), true, -EINVAL },
	{ "above maxphyaddr 36", LK_BASE, LK_BASE | BIT_ULL(36), true, -EINVAL },
	{ "bsp bit", LK_BASE, LK_BASE | KVMIRQ_APIC_BASE_BSP, false, 0 },
	{ "x2apic without enable", LK_BASE, KVMIRQ_APIC_DEFAULT_BASE |
	  KVMIRQ_APIC_BASE_EXTD, true, -EINVAL },
	{ "xapic to x2apic", LK_BASE, LK_X2APIC, false, 0 },
	{ "guest x2apic to xapic", LK_X2APIC, LK_BASE, false, -EINVAL },
	{ "host x2apic to xapic", LK_X2APIC, LK_BASE, true, 0 },
	{ "x2apic to disabled", LK_X2APIC, KVMIRQ_APIC_DEFAULT_BASE, false, 0 },
	{ "guest disabled to x2apic", KVMIRQ_APIC_DEFAULT_BASE, LK_X2APIC, false, -EINVAL },
	{ "host disabled to x2apic", KVMIRQ_APIC_DEFAULT_BASE, LK_X2APIC, true, 0 },
	{ "disabled to xapic", KVMIRQ_APIC_DEFAULT_BASE, LK_BASE, false, 0 },
};

static void lk_base_desc(const struct lk_base_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lk_base, lk_base_cases, lk_base_desc);

/* The APIC base transitions KVM's kvm_set_apic_base() allows. */
static void lapic_base_check_test(struct kunit *test)
{
	const struct lk_base_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, kvmirq_apic_base_check(c->old, c->val, c->host), c->r);
}

static const u32 lk_x2apic_ids[] = { 0, 5, 15, 16, 0x11, 0x123, 4095 };

static void lk_x2apic_id_desc(const u32 *id, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "vcpu %u", *id);
}

KUNIT_ARRAY_PARAM(lk_x2apic_id, lk_x2apic_ids, lk_x2apic_id_desc);

/* Entering x2APIC: ID is the vcpu id, LDR is cluster << 16 | 1 << (id & 15). */
static void lapic_x2apic_ids_test(struct kunit *test)
{
	u32 id = *(const u32 *)test->param_value;
	struct kx_vm *kx = kx_vm_create(test, &id, 1);
	struct kvmirq_lapic *l = &kx->lapic[0];
	struct kvm_lapic_state *s;

	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_ID), id << 24);
	kx_x2apic(test, l);
	KUNIT_EXPECT_TRUE(test, kvmirq_lapic_x2apic(l));
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_ID), id);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_LDR), (id >> 4) << 16 | BIT(id & 0xf));
	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	/* KVM ABI: KVM_GET_LAPIC shows the xAPIC format without 32-bit ids. */
	kvmirq_lapic_get_state(l, s, false);
	KUNIT_EXPECT_EQ(test, *(u32 *)(s->regs + APIC_ID), id << 24);
	kvmirq_lapic_get_state(l, s, true);
	KUNIT_EXPECT_EQ(test, *(u32 *)(s->regs + APIC_ID), id);
	/* The host may go back to xAPIC: the ID is the xAPIC one again. */
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_set_base(l, LK_BASE, true), 0);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_ID), id << 24);
}

/* KVM ABI: with 32-bit ids a foreign x2APIC ID fails, SVR already set. */
static void lapic_set_state_x2apic_test(struct kunit *test)
{
	u32 id = 0x21;
	struct kx_vm *kx = kx_vm_create(test, &id, 1);
	struct kvmirq_lapic *l = &kx->lapic[0];
	struct kvm_lapic_state *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	kx_x2apic(test, l);
	kvmirq_lapic_get_state(l, s, true);
	*(u32 *)(s->regs + APIC_SPIV) = 0x1ab;
	*(u32 *)(s->regs + APIC_ID) = 0x22;
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_set_state(l, s, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_SPIV), 0x1abU);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_ID), id);
	/* Without 32-bit ids the ID and LDR are forced to the vcpu's. */
	*(u32 *)(s->regs + APIC_LDR) = 0;
	*(u32 *)(s->regs + APIC_ICR2) = 0x77;
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_set_state(l, s, false), 0);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_ID), id);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_LDR), 0x20002U);
	/* VMX's 64-bit ICR takes ICR2 at 0x304; SVM's split ICR does not. */
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_ICR + 4), kvmirq_x86_svm() ? 0U : 0x77U);
}

/* KVM ABI: KVM_SET_LAPIC counts the new ISR in PPR only if the old had one. */
static void lapic_set_state_ppr_test(struct kunit *test)
{
	struct kvmirq_lapic *l = kx_lapic(test);
	struct kvm_lapic_state *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	u32 *isr;

	KUNIT_ASSERT_NOT_NULL(test, s);
	kvmirq_lapic_get_state(l, s, false);
	isr = (u32 *)(s->regs + APIC_ISR + 0x50);	/* vectors 0xa0-0xbf */
	*isr = BIT(1);
	*(u32 *)(s->regs + APIC_TMCCT) = 1234;
	*(u32 *)(s->regs + APIC_LVR) = 0;
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_set_state(l, s, false), 0);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_PROCPRI), 0U);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_TMCCT), 0U);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_LVR), 0x00050014U);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_set_state(l, s, false), 0);
	KUNIT_EXPECT_EQ(test, kx_reg(l, APIC_PROCPRI), 0xa0U);
}

/* KVM's kvm_apic_accept_pic_intr(). */
static void lapic_accepts_pic_test(struct kunit *test)
{
	struct kvmirq_lapic *l = kx_lapic(test);

	KUNIT_EXPECT_TRUE(test, kvmirq_lapic_accepts_pic(l));	/* boot: ExtINT */
	kx_set(l, APIC_LVT0, APIC_DM_EXTINT | APIC_LVT_MASKED);
	KUNIT_EXPECT_FALSE(test, kvmirq_lapic_accepts_pic(l));
	kx_set(l, APIC_LVT0, APIC_DM_NMI);
	KUNIT_EXPECT_FALSE(test, kvmirq_lapic_accepts_pic(l));
	kx_set(l, APIC_LVT0, APIC_DM_EXTINT | APIC_LVT_LEVEL_TRIGGER | 0x30);
	KUNIT_EXPECT_TRUE(test, kvmirq_lapic_accepts_pic(l));
	kx_set(l, APIC_LVT0, APIC_LVT_MASKED);
	KUNIT_ASSERT_EQ(test, kvmirq_lapic_set_base(l, KVMIRQ_APIC_DEFAULT_BASE, true), 0);
	KUNIT_EXPECT_TRUE(test, kvmirq_lapic_accepts_pic(l));
}

struct lk_read_case {
	u32 off;
	bool xapic;
	bool x2apic;
};

static const struct lk_read_case lk_read_cases[] = {
	{ APIC_ID, true, true }, { APIC_LVR, true, true },
	{ APIC_TASKPRI, true, true }, { APIC_ARBPRI, true, false },
	{ APIC_PROCPRI, true, true }, { APIC_EOI, false, false },
	{ APIC_LDR, true, true }, { APIC_DFR, true, false },
	{ APIC_SPIV, true, true }, { APIC_ISR + 0x70, true, true },
	{ APIC_TMR, true, true }, { APIC_IRR + 0x70, true, true },
	{ APIC_ESR, true, true }, { APIC_ICR, true, true },
	{ APIC_ICR2, true, false }, { APIC_LVTERR, true, true },
	{ APIC_TMCCT, true, true }, { APIC_TDCR, true, true },
	{ APIC_SELF_IPI, false, false }, { 0x10, false, false },
	{ 0x3a0, false, false },
};

static void lk_read_desc(const struct lk_read_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "offset %#x", c->off);
}

KUNIT_ARRAY_PARAM(lk_read, lk_read_cases, lk_read_desc);

static void lapic_readable_test(struct kunit *test)
{
	const struct lk_read_case *c = test->param_value;
	struct kvmirq_lapic *l = kx_lapic(test);

	KUNIT_EXPECT_EQ(test, kvmirq_lapic_readable(l, c->off), c->xapic);
	kx_x2apic(test, l);
	KUNIT_EXPECT_EQ(test, kvmirq_lapic_readable(l, c->off), c->x2apic);
}

/* A read as guest.c passes it on: data is zeroed first. */
static int lk_mmio_read(struct kvmirq_lapic *l, u64 addr, u32 len, u64 *data)
{
	struct kvmirq_io io = { .len = len, .addr = addr };
	int r = kvmirq_lapic_mmio(l, &io);

	*data = io.data;
	return r;
}

/* MMIO reads: sub-register widths shift; across registers reads 0. */
static void lapic_mmio_test(struct kunit *test)
{
	struct kvmirq_lapic *l = kx_lapic(test);
	const u64 base = KVMIRQ_APIC_DEFAULT_BASE;
	u64 data;

	kx_set(l, APIC_TASKPRI, 0x5a);
	KUNIT_EXPECT_EQ(test, lk_mmio_read(l, base + APIC_LVR, 4, &data), 0);
	KUNIT_EXPECT_EQ(test, data, 0x50014ULL);
	KUNIT_EXPECT_EQ(test, lk_mmio_read(l, base + APIC_LVR + 2, 1, &data), 0);
	KUNIT_EXPECT_EQ(test, data, 0x5ULL);
	KUNIT_EXPECT_EQ(test, lk_mmio_read(l, base + APIC_LVR + 2, 4, &data), 0);
	KUNIT_EXPECT_EQ(test, data, 0ULL);
	KUNIT_EXPECT_EQ(test, lk_mmio_read(l, base + APIC_PROCPRI, 4, &data), 0);
	KUNIT_EXPECT_EQ(test, data, 0x5aULL);
	KUNIT_EXPECT_EQ(test, lk_mmio_read(l, base + APIC_EOI, 4, &data), 0);
	KUNIT_EXPECT_EQ(test, data, 0ULL);
	KUNIT_EXPECT_EQ(test, lk_mmio_read(l, base + 0x1000, 4, &data), -ENXIO);
	KUNIT_EXPECT_EQ(test, lk_mmio_read(l, base - 4, 4, &data), -ENXIO);
	KUNIT_ASSERT_EQ(test, kvmirq_lapic_set_base(l, 0xfed00000 | KVMIRQ_APIC_BASE_EN,
						    false), 0);
	KUNIT_EXPECT_EQ(test, lk_mmio_read(l, base + APIC_LVR, 4, &data), -ENXIO);
	KUNIT_EXPECT_EQ(test, lk_mmio_read(l, 0xfed00000 + APIC_LVR, 4, &data), 0);
	KUNIT_EXPECT_EQ(test, data, 0x50014ULL);
	kx_x2apic(test, l);
	KUNIT_EXPECT_EQ(test, lk_mmio_read(l, base + APIC_LVR, 4, &data), -ENXIO);
}

static int lk_msr(struct kvmirq_lapic *l, u32 msr, bool write, u64 *data)
{
	struct kvmirq_io io = {
		.addr = msr, .data = *data,
		.flags = write ? KVMIRQ_IO_WRITE : 0, .len = 8,
	};
	int r = kvmirq_lapic_msr(l, &io);

	*data = io.data;
	return r;
}

#define LK_X2MSR(off)	(KVMIRQ_X2APIC_MSR_BASE + ((off) >> 4))

/* x2APIC MSRs: #GP (EIO) rules and the 64-bit ICR. */
static void lapic_x2apic_msr_test(struct kunit *test)
{
	struct kvmirq_lapic *l = kx_lapic(test);
	u64 data = 0;

	KUNIT_EXPECT_EQ(test, lk_msr(l, LK_X2MSR(APIC_LVR), false, &data), -EIO);
	KUNIT_EXPECT_EQ(test, lk_msr(l, 0x10, false, &data), -ENXIO);
	KUNIT_EXPECT_EQ(test, lk_msr(l, KVMIRQ_APIC_BASE_MSR, false, &data), 0);
	KUNIT_EXPECT_EQ(test, data, LK_BASE | KVMIRQ_APIC_BASE_BSP);
	kx_x2apic(test, l);
	data = 0x300000000ULL | APIC_DEST_PHYSICAL | 0x50;
	KUNIT_EXPECT_EQ(test, lk_msr(l, LK_X2MSR(APIC_ICR), true, &data), 0);
	/* The IPI went to x2APIC id 3, which does not exist: nothing to see. */
	data = 0;
	KUNIT_EXPECT_EQ(test, lk_msr(l, LK_X2MSR(APIC_ICR), false, &data), 0);
	KUNIT_EXPECT_EQ(test, data, 0x300000050ULL);
	data = 1;
	KUNIT_EXPECT_EQ(test, lk_msr(l, LK_X2MSR(APIC_ESR), true, &data), -EIO);
	data = 1ULL << 32;
	KUNIT_EXPECT_EQ(test, lk_msr(l, LK_X2MSR(APIC_TASKPRI), true, &data), -EIO);
	KUNIT_EXPECT_EQ(test, lk_msr(l, LK_X2MSR(APIC_ICR2), false, &data), -EIO);
	KUNIT_EXPECT_EQ(test, lk_msr(l, LK_X2MSR(APIC_DFR), false, &data), -EIO);
	KUNIT_EXPECT_EQ(test, lk_msr(l, LK_X2MSR(APIC_LDR), false, &data), 0);
	KUNIT_EXPECT_EQ(test, data, 1ULL);	/* vcpu 0: cluster 0, bit 0 */
	/* A guest may not go back to xAPIC. */
	data = LK_BASE;
	KUNIT_EXPECT_EQ(test, lk_msr(l, KVMIRQ_APIC_BASE_MSR, true, &data), -EIO);
}

static struct kunit_case kvmirq_lapic_test_cases[] = {
	KUNIT_CASE(lapic_reset_test),
	KUNIT_CASE(lapic_init_reset_test),
	KUNIT_CASE_PARAM(lapic_accept_test, lk_accept_gen_params),
	KUNIT_CASE(lapic_accept_tmr_test),
	KUNIT_CASE(lapic_arb_prio_test),
	KUNIT_CASE(lapic_init_sipi_test),
	KUNIT_CASE_PARAM(lapic_ppr_test, lk_ppr_gen_params),
	KUNIT_CASE_PARAM(lapic_take_irr_test, lk_ack_gen_params),
	KUNIT_CASE(lapic_ack_eoi_cycle_test),
	KUNIT_CASE(lapic_take_irr_hw_disabled_test),
	KUNIT_CASE(lapic_eoi_highest_test),
	KUNIT_CASE_PARAM(lapic_write_test, lk_write_gen_params),
	KUNIT_CASE(lapic_svr_masks_lvts_test),
	KUNIT_CASE(lapic_tpr_write_test),
	KUNIT_CASE_PARAM(lapic_icr_decode_test, lk_icr_gen_params),
	KUNIT_CASE(lapic_icr_write_test),
	KUNIT_CASE(lapic_self_ipi_delivery_test),
	KUNIT_CASE_PARAM(lapic_base_check_test, lk_base_gen_params),
	KUNIT_CASE_PARAM(lapic_x2apic_ids_test, lk_x2apic_id_gen_params),
	KUNIT_CASE(lapic_set_state_x2apic_test),
	KUNIT_CASE(lapic_set_state_ppr_test),
	KUNIT_CASE(lapic_accepts_pic_test),
	KUNIT_CASE_PARAM(lapic_readable_test, lk_read_gen_params),
	KUNIT_CASE(lapic_mmio_test),
	KUNIT_CASE(lapic_x2apic_msr_test),
	{}
};

static struct kunit_suite kvmirq_lapic_test_suite = {
	.name = "kvmirq_lapic",
	.init = kx_vm_init,
	.exit = kx_vm_exit,
	.test_cases = kvmirq_lapic_test_cases,
};

kunit_test_suite(kvmirq_lapic_test_suite);
