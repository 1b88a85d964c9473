// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for s390_deliver.c: one iteration of KVM's delivery loop
 * (kvm_s390_deliver_pending_interrupts(), deliverable_irqs(), the
 * __deliver_*() side effects and the stop intercept) with the guest state
 * (PSW mask, CR0, CR6, CR14) given by the test.  Included at the end of
 * s390_deliver.c when CONFIG_KUNIT is set; runs at insmod on an fd-less VM
 * (tests/s390_kunit.h).
 */
#include "s390_kunit.h"

#define PSW_ALL		(PSW_MASK_IO | PSW_MASK_EXT | PSW_MASK_MCHECK)
#define CR0_ALL		(CR0_EMERGENCY | CR0_EXTERNAL_CALL | CR0_CLOCK_COMP | \
			 CR0_CPU_TIMER | CR0_SERVICE)
#define CR6_ALL		0xff000000ULL
#define CR6_ISC(isc)	((0x80ULL >> (isc)) << 24)

/* Guest state for one delivery; what guest.c clears before calling us. */
static struct kvmirq_s390_deliver s390_in(u64 psw, u64 cr0, u64 cr6, u64 cr14,
					  u32 flags)
{
	return (struct kvmirq_s390_deliver){
		.psw_mask = psw, .cr0 = cr0, .cr6 = cr6, .cr14 = cr14,
		.flags = flags, .result = KVMIRQ_S390_DELIVERED_NONE,
		.pend_bit = KVMIRQ_S390_PEND_NONE,
	};
}

static struct kvmirq_s390_deliver s390_open(u32 flags)
{
	return s390_in(PSW_ALL, CR0_ALL, CR6_ALL, ~0ULL, flags);
}

static int s390_deliver(struct kunit *test, struct kvmirq_s390_deliver *d)
{
	return kvmirq_s390_deliver_one(s390t_vcpu(test, 0), d);
}

/* The pending bit one fully enabled delivery takes, or -1. */
static int s390_next(struct kunit *test, struct kvm_s390_irq *irq)
{
	struct kvmirq_s390_deliver d = s390_open(0);

	KUNIT_EXPECT_EQ(test, s390_deliver(test, &d), 0);
	if (irq)
		*irq = d.irq;
	if (d.result == KVMIRQ_S390_DELIVERED_NONE)
		return -1;
	KUNIT_EXPECT_EQ(test, d.result, (u32)KVMIRQ_S390_DELIVERED_IRQ);
	return d.pend_bit;
}

static const struct kvm_s390_irq s390_restart = { .type = KVM_S390_RESTART };

/* What one step of the ladder delivers: bit, type and one payload value. */
struct s390_step {
	int bit;
	u64 type;
	u64 value;
};

/* The value that tells the step apart from its neighbours. */
static u64 s390_step_value(const struct kvm_s390_irq *irq)
{
	switch (irq->type) {
	case KVM_S390_MCHK:
		return irq->u.mchk.mcic;
	case KVM_S390_PROGRAM_INT:
		return irq->u.pgm.code;
	case KVM_S390_INT_EMERGENCY:
		return irq->u.emerg.code;
	case KVM_S390_INT_EXTERNAL_CALL:
		return irq->u.extcall.code;
	case KVM_S390_INT_SERVICE:
		return irq->u.ext.ext_params;
	case KVM_S390_INT_PFAULT_INIT:
	case KVM_S390_INT_PFAULT_DONE:
	case KVM_S390_INT_VIRTIO:
		return irq->u.ext.ext_params2;
	case KVM_S390_SIGP_SET_PREFIX:
		return irq->u.prefix.address;
	case KVM_S390_RESTART:
	case KVM_S390_INT_CLOCK_COMP:
	case KVM_S390_INT_CPU_TIMER:
		return 0;
	default:
		return irq->u.io.io_int_parm;
	}
}

/* KVM's order: the highest pending-bit number first, FIFO in a class. */
static const struct s390_step s390_ladder[] = {
	{ KVMIRQ_PEND_MCHK_EX, KVM_S390_MCHK, S390T_MCIC_SD | S390T_MCIC_CP },
	{ KVMIRQ_PEND_PROG, KVM_S390_PROGRAM_INT, 0x11 },
	{ KVMIRQ_PEND_EXT_EMERGENCY, KVM_S390_INT_EMERGENCY, 0 },
	{ KVMIRQ_PEND_EXT_EMERGENCY, KVM_S390_INT_EMERGENCY, 3 },
	{ KVMIRQ_PEND_EXT_EXTERNAL, KVM_S390_INT_EXTERNAL_CALL, 1 },
	{ KVMIRQ_PEND_EXT_CLOCK_COMP, KVM_S390_INT_CLOCK_COMP, 0 },
	{ KVMIRQ_PEND_EXT_CPU_TIMER, KVM_S390_INT_CPU_TIMER, 0 },
	{ KVMIRQ_PEND_EXT_SERVICE_EV, KVM_S390_INT_SERVICE, 3 },
	{ KVMIRQ_PEND_EXT_SERVICE, KVM_S390_INT_SERVICE, 0x1000 },
	{ KVMIRQ_PEND_PFAULT_INIT, KVM_S390_INT_PFAULT_INIT, 0x61 },
	{ KVMIRQ_PEND_PFAULT_DONE, KVM_S390_INT_PFAULT_DONE, 0x68 },
	{ KVMIRQ_PEND_VIRTIO, KVM_S390_INT_VIRTIO, 0xd1 },
	{ KVMIRQ_PEND_VIRTIO, KVM_S390_INT_VIRTIO, 0xd2 },
	{ KVMIRQ_PEND_IO_ISC_0, 0, 10 },
	{ KVMIRQ_PEND_IO_ISC_3, 0, 31 },
	{ KVMIRQ_PEND_IO_ISC_3, KVM_S390_INT_IO(1, 0, 0, 0), 32 },
	{ KVMIRQ_PEND_IO_ISC_7, 0, 70 },
	{ KVMIRQ_PEND_RESTART, KVM_S390_RESTART, 0 },
	{ KVMIRQ_PEND_SET_PREFIX, KVM_S390_SIGP_SET_PREFIX, 0x7fffe000 },
};

/* Everything once, in an order unrelated to the priorities. */
static void s390_ladder_fill(struct kunit *test)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_SIGP_SET_PREFIX };

	irq.u.prefix.address = 0xffffffff;
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, irq), 0);
	s390t_set_stopped(test, 0, false);
#define F(x)	KUNIT_EXPECT_EQ(test, s390t_inject_float(test, x), 0)
#define L(x)	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, x), 0)
	F(s390t_io(0, 0, 70, S390T_ISC_WORD(7)));
	L(s390_restart);
	F(s390t_ext(KVM_S390_INT_VIRTIO, 0, 0xd1));
	L((s390t_irq(KVM_S390_SIGP_STOP)));
	F(s390t_io(0, 0, 31, S390T_ISC_WORD(3)));
	L((s390t_irq(KVM_S390_INT_CPU_TIMER)));
	F(s390t_ext(KVM_S390_INT_SERVICE, 0x1001, 0));
	L(((struct kvm_s390_irq){ .type = KVM_S390_INT_EMERGENCY, .u.emerg.code = 3 }));
	F(s390t_mchk(S390T_CR14_CRW, S390T_MCIC_CP));
	L(s390t_ext(KVM_S390_INT_PFAULT_INIT, 0x600, 0x61));
	F(s390t_io(KVM_S390_INT_IO(1, 0, 0, 0), 0, 32, 0x98000000));
	L(((struct kvm_s390_irq){ .type = KVM_S390_PROGRAM_INT, .u.pgm.code = 0x11 }));
	F(s390t_ext(KVM_S390_INT_PFAULT_DONE, 0, 0x68));
	L(((struct kvm_s390_irq){ .type = KVM_S390_INT_EXTERNAL_CALL, .u.extcall.code = 1 }));
	F(s390t_io(0, 0, 10, S390T_ISC_WORD(0)));
	L(s390t_mchk(0, S390T_MCIC_SD));
	F(s390t_ext(KVM_S390_INT_VIRTIO, 0, 0xd2));
	L((s390t_irq(KVM_S390_INT_CLOCK_COMP)));
	L(((struct kvm_s390_irq){ .type = KVM_S390_INT_EMERGENCY, .u.emerg.code = 0 }));
#undef F
#undef L
}

/*
 * KVM's priority ladder: exigent machine check (which takes the floating
 * one with it), program, the external ones, I/O by ISC, restart, set
 * prefix; a SIGP STOP is never delivered.
 */
static void s390_deliver_ladder_test(struct kunit *test)
{
	struct kvm_s390_irq irq;
	unsigned int i;
	int bit;

	s390_ladder_fill(test);
	for (i = 0; i < ARRAY_SIZE(s390_ladder); i++) {
		bit = s390_next(test, &irq);
		KUNIT_EXPECT_EQ_MSG(test, bit, s390_ladder[i].bit, "step %u", i);
		KUNIT_EXPECT_EQ_MSG(test, irq.type, s390_ladder[i].type, "step %u", i);
		KUNIT_EXPECT_EQ_MSG(test, s390_step_value(&irq), s390_ladder[i].value,
				    "step %u", i);
	}
	KUNIT_EXPECT_EQ(test, s390_next(test, NULL), -1);
	KUNIT_EXPECT_EQ(test, s390t_li(test, 0)->pending, BIT(KVMIRQ_PEND_SIGP_STOP));
	KUNIT_EXPECT_EQ(test, s390t_fl(test)->pending, 0ul);
	KUNIT_EXPECT_EQ(test, atomic64_read(&s390t_vm(test)->stats.floating_pending),
			0LL);
}

/* One kind of interrupt and whether given guest state lets it through. */
enum s390_kind {
	K_EMERG, K_EXTCALL, K_CKC, K_CPUTM, K_SRV, K_SRV_EV, K_VIRTIO,
	K_PFAULT_DONE, K_PFAULT_INIT, K_IO5, K_PROG, K_RESTART, K_PREFIX,
	K_MCHK_EX, K_MCHK_REP, K_FMCHK, K_FMCHK_NOCR14, K_STOP,
};

struct s390_mask_case {
	const char *what;
	enum s390_kind kind;
	u64 psw, cr0, cr6, cr14;
	int bit;
};

#define MASK(_what, _kind, _psw, _cr0, _cr6, _cr14, _bit) \
	{ _what, _kind, _psw, _cr0, _cr6, _cr14, _bit }

static const struct s390_mask_case s390_mask_cases[] = {
	MASK("emergency", K_EMERG, PSW_MASK_EXT, CR0_EMERGENCY, 0, 0,
	     KVMIRQ_PEND_EXT_EMERGENCY),
	MASK("emergency, no CR0 bit", K_EMERG, PSW_ALL, CR0_ALL & ~CR0_EMERGENCY,
	     CR6_ALL, ~0ULL, -1),
	MASK("emergency, no PSW EXT", K_EMERG, PSW_ALL & ~PSW_MASK_EXT, CR0_ALL,
	     CR6_ALL, ~0ULL, -1),
	MASK("external call", K_EXTCALL, PSW_MASK_EXT, CR0_EXTERNAL_CALL, 0, 0,
	     KVMIRQ_PEND_EXT_EXTERNAL),
	MASK("external call, no CR0 bit", K_EXTCALL, PSW_ALL,
	     CR0_ALL & ~CR0_EXTERNAL_CALL, CR6_ALL, ~0ULL, -1),
	MASK("clock comparator", K_CKC, PSW_MASK_EXT, CR0_CLOCK_COMP, 0, 0,
	     KVMIRQ_PEND_EXT_CLOCK_COMP),
	MASK("clock comparator, no CR0 bit", K_CKC, PSW_ALL,
	     CR0_ALL & ~CR0_CLOCK_COMP, CR6_ALL, ~0ULL, -1),
	MASK("cpu timer", K_CPUTM, PSW_MASK_EXT, CR0_CPU_TIMER, 0, 0,
	     KVMIRQ_PEND_EXT_CPU_TIMER),
	MASK("cpu timer, no CR0 bit", K_CPUTM, PSW_ALL, CR0_ALL & ~CR0_CPU_TIMER,
	     CR6_ALL, ~0ULL, -1),
	MASK("service", K_SRV, PSW_MASK_EXT, CR0_SERVICE, 0, 0,
	     KVMIRQ_PEND_EXT_SERVICE),
	MASK("service, no CR0 bit", K_SRV, PSW_ALL, CR0_ALL & ~CR0_SERVICE,
	     CR6_ALL, ~0ULL, -1),
	MASK("service event", K_SRV_EV, PSW_MASK_EXT, CR0_SERVICE, 0, 0,
	     KVMIRQ_PEND_EXT_SERVICE_EV),
	MASK("service event, no CR0 bit", K_SRV_EV, PSW_ALL,
	     CR0_ALL & ~CR0_SERVICE, CR6_ALL, ~0ULL, -1),
	MASK("virtio: PSW EXT only", K_VIRTIO, PSW_MASK_EXT, 0, 0, 0,
	     KVMIRQ_PEND_VIRTIO),
	MASK("virtio, no PSW EXT", K_VIRTIO, PSW_ALL & ~PSW_MASK_EXT, CR0_ALL,
	     CR6_ALL, ~0ULL, -1),
	MASK("pfault done: PSW EXT only", K_PFAULT_DONE, PSW_MASK_EXT, 0, 0, 0,
	     KVMIRQ_PEND_PFAULT_DONE),
	MASK("pfault init: PSW EXT only", K_PFAULT_INIT, PSW_MASK_EXT, 0, 0, 0,
	     KVMIRQ_PEND_PFAULT_INIT),
	MASK("pfault init, no PSW EXT", K_PFAULT_INIT, PSW_MASK_IO, CR0_ALL,
	     CR6_ALL, ~0ULL, -1),
	MASK("i/o isc 5", K_IO5, PSW_MASK_IO, 0, CR6_ISC(5), 0,
	     KVMIRQ_PEND_IO_ISC_5),
	MASK("i/o isc 5, other iscs only", K_IO5, PSW_ALL, CR0_ALL,
	     CR6_ALL & ~CR6_ISC(5), ~0ULL, -1),
	MASK("i/o isc 5, CR6 bit unshifted", K_IO5, PSW_ALL, CR0_ALL,
	     0x80 >> 5, ~0ULL, -1),
	MASK("i/o isc 5, no PSW IO", K_IO5, PSW_ALL & ~PSW_MASK_IO, CR0_ALL,
	     CR6_ALL, ~0ULL, -1),
	MASK("program: unmaskable", K_PROG, 0, 0, 0, 0, KVMIRQ_PEND_PROG),
	MASK("restart: unmaskable", K_RESTART, 0, 0, 0, 0, KVMIRQ_PEND_RESTART),
	MASK("set prefix: unmaskable", K_PREFIX, 0, 0, 0, 0,
	     KVMIRQ_PEND_SET_PREFIX),
	MASK("exigent mchk: no CR14 needed", K_MCHK_EX, PSW_MASK_MCHECK, 0, 0, 0,
	     KVMIRQ_PEND_MCHK_EX),
	MASK("exigent mchk, no PSW MCHECK", K_MCHK_EX, PSW_ALL & ~PSW_MASK_MCHECK,
	     CR0_ALL, CR6_ALL, ~0ULL, -1),
	MASK("repressible mchk", K_MCHK_REP, PSW_MASK_MCHECK, 0, 0,
	     S390T_CR14_DEGRADATION, KVMIRQ_PEND_MCHK_REP),
	MASK("repressible mchk, other CR14 bits", K_MCHK_REP, PSW_ALL, CR0_ALL,
	     CR6_ALL, ~S390T_CR14_DEGRADATION, -1),
	MASK("repressible mchk, no PSW MCHECK", K_MCHK_REP,
	     PSW_ALL & ~PSW_MASK_MCHECK, CR0_ALL, CR6_ALL, ~0ULL, -1),
	MASK("floating mchk", K_FMCHK, PSW_MASK_MCHECK, 0, 0, S390T_CR14_CRW,
	     KVMIRQ_PEND_MCHK_REP),
	MASK("floating mchk, other CR14 bits", K_FMCHK, PSW_ALL, CR0_ALL,
	     CR6_ALL, ~S390T_CR14_CRW, -1),
	MASK("floating mchk without cr14: never", K_FMCHK_NOCR14, PSW_ALL,
	     CR0_ALL, CR6_ALL, ~0ULL, -1),
	MASK("sigp stop: never delivered", K_STOP, PSW_ALL, CR0_ALL, CR6_ALL,
	     ~0ULL, -1),
};

static void s390_mask_desc(const struct s390_mask_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(s390_mask, s390_mask_cases, s390_mask_desc);

static struct kvm_s390_irq s390_kind_irq(enum s390_kind kind, bool *floating)
{
	struct kvm_s390_irq irq = {};

	*floating = false;
	switch (kind) {
	case K_EMERG:
		irq.type = KVM_S390_INT_EMERGENCY;
		irq.u.emerg.code = 1;
		break;
	case K_EXTCALL:
		irq.type = KVM_S390_INT_EXTERNAL_CALL;
		irq.u.extcall.code = 1;
		break;
	case K_CKC:
		irq.type = KVM_S390_INT_CLOCK_COMP;
		break;
	case K_CPUTM:
		irq.type = KVM_S390_INT_CPU_TIMER;
		break;
	case K_PFAULT_INIT:
		irq.type = KVM_S390_INT_PFAULT_INIT;
		break;
	case K_PROG:
		irq.type = KVM_S390_PROGRAM_INT;
		break;
	case K_RESTART:
		irq.type = KVM_S390_RESTART;
		break;
	case K_PREFIX:
		irq.type = KVM_S390_SIGP_SET_PREFIX;
		break;
	case K_STOP:
		irq.type = KVM_S390_SIGP_STOP;
		break;
	case K_MCHK_EX:
		irq = s390t_mchk(0, S390T_MCIC_SD);
		break;
	case K_MCHK_REP:
		irq = s390t_mchk(S390T_CR14_DEGRADATION, S390T_MCIC_DG);
		break;
	default:
		*floating = true;
		break;
	}
	if (!*floating)
		return irq;
	switch (kind) {
	case K_SRV:
		return s390t_ext(KVM_S390_INT_SERVICE, 0x1000, 0);
	case K_SRV_EV:
		return s390t_ext(KVM_S390_INT_SERVICE, 0, 0);
	case K_VIRTIO:
		return s390t_ext(KVM_S390_INT_VIRTIO, 0, 0);
	case K_PFAULT_DONE:
		return s390t_ext(KVM_S390_INT_PFAULT_DONE, 0, 0);
	case K_IO5:
		return s390t_io(0, 0x10001, 0, S390T_ISC_WORD(5));
	case K_FMCHK:
		return s390t_mchk(S390T_CR14_CRW, S390T_MCIC_CP);
	default:
		return s390t_mchk(S390T_CR14_DEGRADATION, S390T_MCIC_CP);
	}
}

static void s390_deliver_mask_test(struct kunit *test)
{
	const struct s390_mask_case *c = test->param_value;
	struct kvmirq_s390_deliver d = s390_in(c->psw, c->cr0, c->cr6, c->cr14,
					       KVMIRQ_S390_DELIVER_PEEK);
	struct kvm_s390_irq irq;
	bool floating;

	irq = s390_kind_irq(c->kind, &floating);
	/* Set prefix wants a stopped vcpu, stop an operating one. */
	s390t_set_stopped(test, 0, c->kind == K_PREFIX);
	if (c->kind == K_SRV_EV)
		irq.u.ext.ext_params = 1;
	if (floating)
		KUNIT_ASSERT_EQ(test, s390t_inject_float(test, irq), 0);
	else
		KUNIT_ASSERT_EQ(test, s390t_inject(test, 0, irq), 0);
	KUNIT_EXPECT_EQ(test, s390_deliver(test, &d), 0);
	if (c->bit < 0) {
		KUNIT_EXPECT_EQ(test, d.result, (u32)KVMIRQ_S390_DELIVERED_NONE);
		KUNIT_EXPECT_EQ(test, d.pend_bit, KVMIRQ_S390_PEND_NONE);
	} else {
		KUNIT_EXPECT_EQ(test, d.result, (u32)KVMIRQ_S390_DELIVERED_IRQ);
		KUNIT_EXPECT_EQ(test, d.pend_bit, (u32)c->bit);
	}
}

/* KVM ABI: emergency signals go lowest source first, one per delivery. */
static void s390_deliver_emergency_order_test(struct kunit *test)
{
	static const u16 src[] = { 3, 0, 1 };
	struct kvm_s390_irq irq = { .type = KVM_S390_INT_EMERGENCY };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(src); i++) {
		irq.u.emerg.code = src[i];
		KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, irq), 0);
	}
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, s390_next(test, &irq),
				(int)KVMIRQ_PEND_EXT_EMERGENCY);
		KUNIT_EXPECT_EQ(test, irq.u.emerg.code, i == 2 ? 3 : i);
		KUNIT_EXPECT_EQ(test, !!s390t_li(test, 0)->pending, i < 2);
	}
	KUNIT_EXPECT_EQ(test, s390_next(test, NULL), -1);
}

/* KVM ABI: one ISC list is FIFO; the counter and the bit follow. */
static void s390_deliver_io_fifo_test(struct kunit *test)
{
	struct kvmirq_s390_float *fl = s390t_fl(test);
	struct kvm_s390_irq irq;
	unsigned int i;

	for (i = 1; i <= 3; i++)
		S390T_FLOAT_OK(test, s390t_io(0, 0x10000 + i, i, S390T_ISC_WORD(4)));
	for (i = 1; i <= 3; i++) {
		KUNIT_EXPECT_EQ(test, s390_next(test, &irq),
				(int)KVMIRQ_PEND_IO_ISC_4);
		KUNIT_EXPECT_EQ(test, irq.u.io.io_int_parm, i);
		KUNIT_EXPECT_EQ(test, irq.u.io.subchannel_nr, i);
		KUNIT_EXPECT_EQ(test, fl->counters[KVMIRQ_FCNT_IO], 3 - i);
	}
	KUNIT_EXPECT_EQ(test, fl->pending, 0ul);
}

/* An ISC masked in CR6 lets a lower-priority ISC through. */
static void s390_deliver_isc_masked_test(struct kunit *test)
{
	struct kvmirq_s390_deliver d = s390_in(PSW_MASK_IO, 0, CR6_ISC(6), 0, 0);

	S390T_FLOAT_OK(test, s390t_io(0, 1, 1, S390T_ISC_WORD(1)));
	S390T_FLOAT_OK(test, s390t_io(0, 2, 2, S390T_ISC_WORD(6)));
	KUNIT_EXPECT_EQ(test, s390_deliver(test, &d), 0);
	KUNIT_EXPECT_EQ(test, d.pend_bit, (u32)KVMIRQ_PEND_IO_ISC_6);
	KUNIT_EXPECT_EQ(test, d.irq.u.io.io_int_parm, 2u);
	KUNIT_EXPECT_EQ(test, s390t_fl(test)->pending, BIT(KVMIRQ_PEND_IO_ISC_1));
}

/*
 * KVM ABI: local and floating machine checks go as one interruption, the
 * floating one even when CR14 alone would hold it back; both are cleared.
 */
static void s390_deliver_mchk_merge_test(struct kunit *test)
{
	struct kvmirq_s390_deliver d = s390_in(PSW_MASK_MCHECK, 0, 0,
					       S390T_CR14_DEGRADATION, 0);
	struct kvm_s390_irq local = s390t_mchk(S390T_CR14_DEGRADATION,
					       S390T_MCIC_DG);

	local.u.mchk.failing_storage_address = 0x4000;
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, local), 0);
	S390T_FLOAT_OK(test, s390t_mchk(S390T_CR14_CRW, S390T_MCIC_CP));
	KUNIT_EXPECT_EQ(test, s390_deliver(test, &d), 0);
	KUNIT_EXPECT_EQ(test, d.pend_bit, (u32)KVMIRQ_PEND_MCHK_REP);
	KUNIT_EXPECT_EQ(test, d.irq.type, (u64)KVM_S390_MCHK);
	KUNIT_EXPECT_EQ(test, d.irq.u.mchk.mcic, S390T_MCIC_DG | S390T_MCIC_CP);
	KUNIT_EXPECT_EQ(test, d.irq.u.mchk.cr14,
			S390T_CR14_DEGRADATION | S390T_CR14_CRW);
	KUNIT_EXPECT_EQ(test, d.irq.u.mchk.failing_storage_address, 0x4000ull);
	KUNIT_EXPECT_EQ(test, s390t_li(test, 0)->pending, 0ul);
	KUNIT_EXPECT_EQ(test, s390t_li(test, 0)->mchk.cr14, 0ull);
	KUNIT_EXPECT_EQ(test, s390t_fl(test)->pending, 0ul);
	KUNIT_EXPECT_EQ(test, s390t_fl(test)->mchk.mcic, 0ull);
}

/* KVM ABI: a stale local cr14 (mchk kept, not pending) opens a floating one. */
static void s390_deliver_mchk_stale_cr14_test(struct kunit *test)
{
	struct kvmirq_s390_deliver d = s390_in(PSW_MASK_MCHECK, 0, 0,
					       S390T_CR14_DEGRADATION, 0);

	S390T_OK(test, 0, s390t_mchk(S390T_CR14_DEGRADATION, S390T_MCIC_VALIDITY));
	KUNIT_EXPECT_EQ(test, s390t_li(test, 0)->pending, 0ul);
	S390T_FLOAT_OK(test, s390t_mchk(S390T_CR14_CRW, S390T_MCIC_CP));
	KUNIT_EXPECT_EQ(test, s390_deliver(test, &d), 0);
	KUNIT_EXPECT_EQ(test, d.pend_bit, (u32)KVMIRQ_PEND_MCHK_REP);
	/* Only the floating payload goes: the local one was not pending. */
	KUNIT_EXPECT_EQ(test, d.irq.u.mchk.mcic, S390T_MCIC_CP);
	KUNIT_EXPECT_EQ(test, s390t_li(test, 0)->mchk.mcic, S390T_MCIC_VALIDITY);
}

/* KVM ABI: the event part goes first as parameter 3, then the SCCB. */
static void s390_deliver_service_split_test(struct kunit *test)
{
	struct kvmirq_s390_float *fl = s390t_fl(test);
	struct kvm_s390_irq irq;

	S390T_FLOAT_OK(test, s390t_ext(KVM_S390_INT_SERVICE, 0x2001, 0));
	KUNIT_EXPECT_EQ(test, s390_next(test, &irq), (int)KVMIRQ_PEND_EXT_SERVICE_EV);
	KUNIT_EXPECT_EQ(test, irq.u.ext.ext_params, 3u);
	KUNIT_EXPECT_EQ(test, fl->srv.ext_params, 0x2000u);
	KUNIT_EXPECT_EQ(test, fl->pending, BIT(KVMIRQ_PEND_EXT_SERVICE));
	/* A new event goes first again; a second SCCB is dropped. */
	S390T_FLOAT_OK(test, s390t_ext(KVM_S390_INT_SERVICE, 0x3002, 0));
	KUNIT_EXPECT_EQ(test, s390_next(test, &irq), (int)KVMIRQ_PEND_EXT_SERVICE_EV);
	KUNIT_EXPECT_EQ(test, s390_next(test, &irq), (int)KVMIRQ_PEND_EXT_SERVICE);
	KUNIT_EXPECT_EQ(test, irq.u.ext.ext_params, 0x2000u);
	KUNIT_EXPECT_EQ(test, s390_next(test, NULL), -1);

	/* An event alone: two interruptions, parameters 3 and 0. */
	S390T_FLOAT_OK(test, s390t_ext(KVM_S390_INT_SERVICE, 1, 0));
	KUNIT_EXPECT_EQ(test, s390_next(test, &irq), (int)KVMIRQ_PEND_EXT_SERVICE_EV);
	KUNIT_EXPECT_EQ(test, irq.u.ext.ext_params, 3u);
	KUNIT_EXPECT_EQ(test, s390_next(test, &irq), (int)KVMIRQ_PEND_EXT_SERVICE);
	KUNIT_EXPECT_EQ(test, irq.u.ext.ext_params, 0u);
	KUNIT_EXPECT_EQ(test, s390_next(test, NULL), -1);
}

/* KVM ABI: what each local kind leaves behind once delivered. */
static void s390_deliver_local_payloads_test(struct kunit *test)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_SIGP_SET_PREFIX };
	struct kvmirq_s390_local_irqs *li = s390t_li(test, 0);

	irq.u.prefix.address = 0x80003fff;
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, irq), 0);
	S390T_OK(test, 0, s390t_ext(KVM_S390_INT_PFAULT_INIT, 0x600, 0x1234));
	irq = s390t_irq(KVM_S390_PROGRAM_INT);
	irq.u.pgm.code = 0x91;
	irq.u.pgm.per_address = 8;
	S390T_OK(test, 0, irq);
	KUNIT_EXPECT_EQ(test, s390_next(test, &irq), (int)KVMIRQ_PEND_PROG);
	KUNIT_EXPECT_EQ(test, irq.u.pgm.per_address, 8ull);
	KUNIT_EXPECT_EQ(test, li->pgm.code, 0);
	KUNIT_EXPECT_EQ(test, li->pgm.flags, 0);
	KUNIT_EXPECT_EQ(test, s390_next(test, &irq), (int)KVMIRQ_PEND_PFAULT_INIT);
	KUNIT_EXPECT_EQ(test, irq.u.ext.ext_params2, 0x1234ull);
	/* The token goes, ext_params stays. */
	KUNIT_EXPECT_EQ(test, li->ext.ext_params2, 0ull);
	KUNIT_EXPECT_EQ(test, li->ext.ext_params, 0x600u);
	KUNIT_EXPECT_EQ(test, s390_next(test, &irq), (int)KVMIRQ_PEND_SET_PREFIX);
	/* The prefix register keeps bits 1-18 only. */
	KUNIT_EXPECT_EQ(test, irq.u.prefix.address, 0x00002000u);
	KUNIT_EXPECT_EQ(test, li->prefix.address, 0u);
	KUNIT_EXPECT_EQ(test, li->pending, 0ul);
}

/* PEEK reports what a delivery would take and takes nothing. */
static void s390_deliver_peek_test(struct kunit *test)
{
	struct kvmirq_s390_deliver d = s390_open(KVMIRQ_S390_DELIVER_PEEK);
	struct kvmirq_s390_local_irqs *before;
	struct kvm_s390_irq first;
	unsigned int i;

	before = kunit_kzalloc(test, sizeof(*before), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	s390_ladder_fill(test);
	memcpy(before, s390t_li(test, 0), sizeof(*before));
	for (i = 0; i < 2; i++) {
		d = s390_open(KVMIRQ_S390_DELIVER_PEEK | KVMIRQ_S390_DELIVER_STOP);
		KUNIT_EXPECT_EQ(test, s390_deliver(test, &d), 0);
		KUNIT_EXPECT_EQ(test, d.pend_bit, (u32)KVMIRQ_PEND_MCHK_EX);
	}
	first = d.irq;
	S390T_EXPECT_MEMEQ(test, s390t_li(test, 0), before, sizeof(*before));
	KUNIT_EXPECT_EQ(test, s390t_fl(test)->counters[KVMIRQ_FCNT_IO], 4u);
	KUNIT_EXPECT_EQ(test, s390t_fl(test)->counters[KVMIRQ_FCNT_VIRTIO], 2u);
	KUNIT_EXPECT_TRUE(test, s390t_fl(test)->pending & BIT(KVMIRQ_PEND_MCHK_REP));
	/* The real delivery then takes exactly what PEEK showed. */
	KUNIT_EXPECT_EQ(test, s390_next(test, &d.irq), (int)KVMIRQ_PEND_MCHK_EX);
	S390T_EXPECT_MEMEQ(test, &d.irq, &first, sizeof(first));
}

/*
 * KVM ABI: the timer bits are recomputed before a pass from the real
 * conditions and the enablement (PSW EXT and the CR0 submask).
 */
struct s390_timer_case {
	const char *what;
	u64 inject;		/* 0 or a timer type injected first */
	u64 psw, cr0;
	u32 flags;
	int expect;
	int bit;		/* delivered, or -1 */
	unsigned long left;	/* local pending bits afterwards */
};

#define T_TIMERS	KVMIRQ_S390_DELIVER_TIMERS
#define T_CKC		KVMIRQ_S390_DELIVER_CKC
#define T_CPUTM		KVMIRQ_S390_DELIVER_CPUTM
#define T_PEEK		KVMIRQ_S390_DELIVER_PEEK

static const struct s390_timer_case s390_timer_cases[] = {
	{ "ckc without TIMERS", 0, PSW_ALL, CR0_ALL, T_CKC, -EINVAL, -1, 0 },
	{ "cputm without TIMERS", 0, PSW_ALL, CR0_ALL, T_CPUTM, -EINVAL, -1, 0 },
	{ "injected ckc is sticky without TIMERS", KVM_S390_INT_CLOCK_COMP,
	  PSW_ALL, CR0_ALL, 0, 0, KVMIRQ_PEND_EXT_CLOCK_COMP, 0 },
	{ "TIMERS drops an injected ckc", KVM_S390_INT_CLOCK_COMP, PSW_ALL,
	  CR0_ALL, T_TIMERS, 0, -1, 0 },
	{ "TIMERS drops an injected cpu timer", KVM_S390_INT_CPU_TIMER, PSW_ALL,
	  CR0_ALL, T_TIMERS, 0, -1, 0 },
	{ "TIMERS+PEEK leaves an injected ckc", KVM_S390_INT_CLOCK_COMP, PSW_ALL,
	  CR0_ALL, T_TIMERS | T_PEEK, 0, -1, BIT(KVMIRQ_PEND_EXT_CLOCK_COMP) },
	{ "ckc due", 0, PSW_ALL, CR0_ALL, T_TIMERS | T_CKC, 0,
	  KVMIRQ_PEND_EXT_CLOCK_COMP, 0 },
	{ "ckc due, cpu timer negative: ckc first", 0, PSW_ALL, CR0_ALL,
	  T_TIMERS | T_CKC | T_CPUTM, 0, KVMIRQ_PEND_EXT_CLOCK_COMP,
	  BIT(KVMIRQ_PEND_EXT_CPU_TIMER) },
	{ "ckc due, CR0 submask off: not pending", 0, PSW_ALL,
	  CR0_ALL & ~CR0_CLOCK_COMP, T_TIMERS | T_CKC, 0, -1, 0 },
	{ "cpu timer negative, PSW EXT off: not pending", 0,
	  PSW_ALL & ~PSW_MASK_EXT, CR0_ALL, T_TIMERS | T_CPUTM, 0, -1, 0 },
	{ "cpu timer negative", 0, PSW_MASK_EXT, CR0_CPU_TIMER,
	  T_TIMERS | T_CPUTM, 0, KVMIRQ_PEND_EXT_CPU_TIMER, 0 },
};

static void s390_timer_desc(const struct s390_timer_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(s390_timer, s390_timer_cases, s390_timer_desc);

static void s390_deliver_timer_test(struct kunit *test)
{
	const struct s390_timer_case *c = test->param_value;
	struct kvmirq_s390_deliver d = s390_in(c->psw, c->cr0, 0, 0, c->flags);

	if (c->inject)
		S390T_OK(test, 0, s390t_irq(c->inject));
	KUNIT_EXPECT_EQ(test, s390_deliver(test, &d), c->expect);
	KUNIT_EXPECT_EQ(test, d.pend_bit,
			c->bit < 0 ? KVMIRQ_S390_PEND_NONE : (u32)c->bit);
	KUNIT_EXPECT_EQ(test, s390t_li(test, 0)->pending, c->left);
}

static int s390_deliver_stop(struct kunit *test,
			     struct kvmirq_s390_deliver *d, u32 flags)
{
	*d = s390_in(PSW_MASK_IO, 0, CR6_ALL, 0, KVMIRQ_S390_DELIVER_STOP | flags);
	return s390_deliver(test, d);
}

/* KVM ABI: the stop intercept only when nothing else is deliverable. */
static void s390_deliver_stop_test(struct kunit *test)
{
	struct kvmirq_s390_local *li = kvmirq_s390_li(s390t_vcpu(test, 0));
	struct kvmirq_s390_deliver d;

	s390t_set_stopped(test, 0, false);
	S390T_OK(test, 0, s390t_irq(KVM_S390_SIGP_STOP));
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, s390_restart), 0);
	/* Masked interrupts (external, here) do not hold the stop back. */
	S390T_FLOAT_OK(test, s390t_ext(KVM_S390_INT_VIRTIO, 0, 0));
	KUNIT_EXPECT_EQ(test, s390_deliver_stop(test, &d, 0), 0);
	KUNIT_EXPECT_EQ(test, d.pend_bit, (u32)KVMIRQ_PEND_RESTART);
	KUNIT_EXPECT_FALSE(test, li->stopped);
	/* Without STOP nothing happens. */
	d = s390_in(PSW_MASK_IO, 0, CR6_ALL, 0, 0);
	KUNIT_EXPECT_EQ(test, s390_deliver(test, &d), 0);
	KUNIT_EXPECT_EQ(test, d.result, (u32)KVMIRQ_S390_DELIVERED_NONE);
	/* PEEK reports it and changes nothing. */
	KUNIT_EXPECT_EQ(test, s390_deliver_stop(test, &d, KVMIRQ_S390_DELIVER_PEEK),
			0);
	KUNIT_EXPECT_EQ(test, d.result, (u32)KVMIRQ_S390_DELIVERED_STOP);
	KUNIT_EXPECT_FALSE(test, li->stopped);
	KUNIT_EXPECT_EQ(test, s390_deliver_stop(test, &d, 0), 0);
	KUNIT_EXPECT_EQ(test, d.result, (u32)KVMIRQ_S390_DELIVERED_STOP);
	KUNIT_EXPECT_EQ(test, d.pend_bit, (u32)KVMIRQ_PEND_SIGP_STOP);
	KUNIT_EXPECT_EQ(test, d.irq.type, (u64)KVM_S390_SIGP_STOP);
	KUNIT_EXPECT_TRUE(test, li->stopped);
	KUNIT_EXPECT_EQ(test, li->irqs.pending, 0ul);
	/* The floating interrupt is still there for another cpu. */
	KUNIT_EXPECT_EQ(test, s390t_fl(test)->pending, BIT(KVMIRQ_PEND_VIRTIO));
}

/*
 * KVM ABI: a failing store status leaves the stop pending and the cpu
 * running; under user-controlled cpu state the stop stays for userspace.
 */
static void s390_deliver_stop_kept_test(struct kunit *test)
{
	struct kvmirq_s390_local *li = kvmirq_s390_li(s390t_vcpu(test, 0));
	struct kvm_s390_irq stop = s390t_irq(KVM_S390_SIGP_STOP);
	struct kvmirq_s390_deliver d;

	s390t_set_stopped(test, 0, false);
	stop.u.stop.flags = KVM_S390_STOP_FLAG_STORE_STATUS;
	S390T_OK(test, 0, stop);
	KUNIT_EXPECT_EQ(test, s390_deliver_stop(test, &d, 0), -EFAULT);
	KUNIT_EXPECT_FALSE(test, li->stopped);
	KUNIT_EXPECT_EQ(test, li->irqs.pending, BIT(KVMIRQ_PEND_SIGP_STOP));
	KUNIT_EXPECT_EQ(test, li->irqs.stop.flags, KVM_S390_STOP_FLAG_STORE_STATUS);

	li->irqs.stop.flags = 0;
	kvmirq_s390(s390t_vm(test))->user_cpu_state = true;
	KUNIT_EXPECT_EQ(test, s390_deliver_stop(test, &d, 0), 0);
	KUNIT_EXPECT_EQ(test, d.result, (u32)KVMIRQ_S390_DELIVERED_STOP);
	KUNIT_EXPECT_FALSE(test, li->stopped);
	KUNIT_EXPECT_EQ(test, li->irqs.pending, BIT(KVMIRQ_PEND_SIGP_STOP));
}

/* A floating interrupt goes to whichever vcpu delivers first, once. */
static void s390_deliver_float_once_test(struct kunit *test)
{
	struct kvmirq_s390_deliver d = s390_open(0);

	S390T_FLOAT_OK(test, s390t_ext(KVM_S390_INT_VIRTIO, 0, 0x42));
	KUNIT_EXPECT_EQ(test, kvmirq_s390_deliver_one(s390t_vcpu(test, 2), &d), 0);
	KUNIT_EXPECT_EQ(test, d.irq.u.ext.ext_params2, 0x42ull);
	KUNIT_EXPECT_EQ(test, s390_next(test, NULL), -1);
}

static struct kunit_case kvmirq_s390_deliver_test_cases[] = {
	KUNIT_CASE(s390_deliver_ladder_test),
	KUNIT_CASE_PARAM(s390_deliver_mask_test, s390_mask_gen_params),
	KUNIT_CASE(s390_deliver_emergency_order_test),
	KUNIT_CASE(s390_deliver_io_fifo_test),
	KUNIT_CASE(s390_deliver_isc_masked_test),
	KUNIT_CASE(s390_deliver_mchk_merge_test),
	KUNIT_CASE(s390_deliver_mchk_stale_cr14_test),
	KUNIT_CASE(s390_deliver_service_split_test),
	KUNIT_CASE(s390_deliver_local_payloads_test),
	KUNIT_CASE(s390_deliver_peek_test),
	KUNIT_CASE_PARAM(s390_deliver_timer_test, s390_timer_gen_params),
	KUNIT_CASE(s390_deliver_stop_test),
	KUNIT_CASE(s390_deliver_stop_kept_test),
	KUNIT_CASE(s390_deliver_float_once_test),
	{}
};

static struct kunit_suite kvmirq_s390_deliver_test_suite = {
	.name = "kvmirq_s390_deliver",
	.init = s390t_init,
	.exit = s390t_exit,
	.test_cases = kvmirq_s390_deliver_test_cases,
};

kunit_test_suite(kvmirq_s390_deliver_test_suite);
