// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for s390_float.c: floating interrupts as KVM's
 * arch/s390/kvm/interrupt.c keeps them without GISA: which types float
 * (__inject_vm()), the ISC of an I/O interrupt, FIFO lists and the
 * GET_ALL_IRQS order, the service-signal and machine-check merges, KVM's
 * queue limits, the VM's legacy KVM_S390_INTERRUPT (kvm_s390_inject_vm()),
 * CLEAR_IRQS and CLEAR_IO_IRQ.  Included at the end of s390_float.c when
 * CONFIG_KUNIT is set; runs at insmod on an fd-less VM (tests/s390_kunit.h).
 */
#include "s390_kunit.h"

#define NO_BIT		(-1)

/* One floating injection into an empty VM: its errno and pending bit. */
struct s390_float_type_case {
	const char *what;
	struct kvm_s390_irq irq;
	int expect;
	int bit;
};

#define FTYPE(_what, _expect, _bit, _type, ...) \
	{ .what = _what, .expect = _expect, .bit = _bit, \
	  .irq = { .type = _type, __VA_ARGS__ } }

static const struct s390_float_type_case s390_float_type_cases[] = {
	FTYPE("virtio", 0, KVMIRQ_PEND_VIRTIO, KVM_S390_INT_VIRTIO),
	FTYPE("pfault done", 0, KVMIRQ_PEND_PFAULT_DONE,
	      KVM_S390_INT_PFAULT_DONE),
	FTYPE("service", 0, KVMIRQ_PEND_EXT_SERVICE, KVM_S390_INT_SERVICE,
	      .u.ext.ext_params = 0x1000),
	FTYPE("mchk", 0, KVMIRQ_PEND_MCHK_REP, KVM_S390_MCHK,
	      .u.mchk.mcic = S390T_MCIC_CP),
	FTYPE("exigent mchk: repressible when floating", 0, KVMIRQ_PEND_MCHK_REP,
	      KVM_S390_MCHK, .u.mchk.mcic = S390T_MCIC_SD),
	FTYPE("i/o type 0", 0, KVMIRQ_PEND_IO_ISC_0, 0),
	FTYPE("adapter i/o, isc 7", 0, KVMIRQ_PEND_IO_ISC_7,
	      KVM_S390_INT_IO(1, 0, 0, 0), .u.io.io_int_word = 0xb8000000),
	FTYPE("last i/o type, isc 3", 0, KVMIRQ_PEND_IO_ISC_3,
	      KVM_S390_INT_IO_MAX, .u.io.io_int_word = S390T_ISC_WORD(3)),
	FTYPE("sigp stop (local)", -EINVAL, NO_BIT, KVM_S390_SIGP_STOP),
	FTYPE("program (local)", -EINVAL, NO_BIT, KVM_S390_PROGRAM_INT),
	FTYPE("set prefix (local)", -EINVAL, NO_BIT, KVM_S390_SIGP_SET_PREFIX),
	FTYPE("restart (local)", -EINVAL, NO_BIT, KVM_S390_RESTART),
	FTYPE("pfault init (local)", -EINVAL, NO_BIT, KVM_S390_INT_PFAULT_INIT),
	FTYPE("clock comparator (local)", -EINVAL, NO_BIT,
	      KVM_S390_INT_CLOCK_COMP),
	FTYPE("cpu timer (local)", -EINVAL, NO_BIT, KVM_S390_INT_CPU_TIMER),
	FTYPE("emergency (local)", -EINVAL, NO_BIT, KVM_S390_INT_EMERGENCY),
	FTYPE("external call (local)", -EINVAL, NO_BIT,
	      KVM_S390_INT_EXTERNAL_CALL),
	FTYPE("unknown 0xfffe0006", -EINVAL, NO_BIT, 0xfffe0006),
	FTYPE("unknown 0xffffffff", -EINVAL, NO_BIT, 0xffffffff),
	FTYPE("i/o type with bit 32", -EINVAL, NO_BIT, BIT_ULL(32)),
	FTYPE("virtio type with bit 63", -EINVAL, NO_BIT,
	      KVM_S390_INT_VIRTIO | BIT_ULL(63)),
};

static void s390_float_type_desc(const struct s390_float_type_case *c,
				 char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(s390_float_type, s390_float_type_cases, s390_float_type_desc);

static void s390_float_type_test(struct kunit *test)
{
	const struct s390_float_type_case *c = test->param_value;
	unsigned long want = c->bit == NO_BIT ? 0 : BIT(c->bit);

	KUNIT_EXPECT_EQ(test, s390t_inject_float(test, c->irq), c->expect);
	KUNIT_EXPECT_EQ(test, s390t_fl(test)->pending, want);
	/* Floating injection never sets a vcpu's local bits. */
	KUNIT_EXPECT_EQ(test, s390t_li(test, 0)->pending, 0ul);
}

/* KVM ABI: the ISC is bits 2-4 of the interruption word, never the type. */
static void s390_float_isc_test(struct kunit *test)
{
	static const struct {
		u64 type;
		u32 word;
		unsigned int isc;
	} map[] = {
		{ 0, 0x00000000, 0 },
		{ 0, 0x08000000, 1 },
		{ 0, 0x38000000, 7 },
		{ 0, 0xc0000000, 0 },
		{ 0, 0xc7ffffff, 0 },
		{ 0, 0xffffffff, 7 },
		{ KVM_S390_INT_IO(1, 0xff, 3, 0xffff), 0x10000000, 2 },
		{ KVM_S390_INT_IO(0, 7, 0, 5), 0x28000000, 5 },
	};
	struct kvmirq_s390_queue q;
	struct kvm_s390_irq irq;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(map); i++) {
		irq = s390t_io(map[i].type, 0x10001, 0, map[i].word);
		KUNIT_EXPECT_EQ(test, kvmirq_s390_int_word_isc(map[i].word),
				map[i].isc);
		kvmirq_s390_queue_of(&irq, &q);
		KUNIT_EXPECT_EQ_MSG(test, q.list, KVMIRQ_FLIST_IO_ISC_0 + map[i].isc,
				    "word %#x", map[i].word);
		KUNIT_EXPECT_EQ(test, q.counter, (unsigned int)KVMIRQ_FCNT_IO);
		KUNIT_EXPECT_EQ(test, q.pend, kvmirq_s390_isc_to_pend(map[i].isc));
	}
}

/* KVM ABI: the queue limits of s390 KVM, each on its own counter. */
static void s390_float_limit_values_test(struct kunit *test)
{
	struct kvmirq_s390_queue q;
	struct kvm_s390_irq irq = { .type = KVM_S390_INT_VIRTIO };

	KUNIT_EXPECT_EQ(test, KVM_S390_MAX_FLOAT_IRQS, 266250);
	KUNIT_EXPECT_EQ(test, KVMIRQ_S390_MAX_VIRTIO_IRQS, 87381);
	/* ASYNC_PF_PER_VCPU * KVM_MAX_VCPUS */
	KUNIT_EXPECT_EQ(test, KVMIRQ_S390_MAX_PFAULT_IRQS, 64 * 255);
	kvmirq_s390_queue_of(&irq, &q);
	KUNIT_EXPECT_EQ(test, q.limit, (unsigned int)KVMIRQ_S390_MAX_VIRTIO_IRQS);
	KUNIT_EXPECT_EQ(test, q.counter, (unsigned int)KVMIRQ_FCNT_VIRTIO);
	irq.type = KVM_S390_INT_PFAULT_DONE;
	kvmirq_s390_queue_of(&irq, &q);
	KUNIT_EXPECT_EQ(test, q.limit, (unsigned int)KVMIRQ_S390_MAX_PFAULT_IRQS);
	KUNIT_EXPECT_EQ(test, q.counter, (unsigned int)KVMIRQ_FCNT_PFAULT);
	irq.type = 0;
	kvmirq_s390_queue_of(&irq, &q);
	KUNIT_EXPECT_EQ(test, q.limit, (unsigned int)KVM_S390_MAX_FLOAT_IRQS);
}

/*
 * A queue one short of its limit (the counter is preset, not filled: the
 * selftests fill them for real): one more fits, the next is EBUSY and leaves
 * everything as it was.  I/O is one counter shared by all ISCs.
 */
struct s390_limit_case {
	const char *what;
	unsigned int counter;
	unsigned int limit;
	struct kvm_s390_irq fits, busy, other;
};

static const struct s390_limit_case s390_limit_cases[] = {
	{ "i/o, shared over the iscs", KVMIRQ_FCNT_IO, KVM_S390_MAX_FLOAT_IRQS,
	  .fits = { .type = 0, .u.io.io_int_word = S390T_ISC_WORD(7) },
	  .busy = { .type = KVM_S390_INT_IO(1, 0, 0, 0) },
	  .other = { .type = KVM_S390_INT_VIRTIO } },
	{ "virtio", KVMIRQ_FCNT_VIRTIO, KVMIRQ_S390_MAX_VIRTIO_IRQS,
	  .fits = { .type = KVM_S390_INT_VIRTIO, .u.ext.ext_params = 1 },
	  .busy = { .type = KVM_S390_INT_VIRTIO, .u.ext.ext_params = 2 },
	  .other = { .type = KVM_S390_INT_PFAULT_DONE } },
	{ "pfault done", KVMIRQ_FCNT_PFAULT, KVMIRQ_S390_MAX_PFAULT_IRQS,
	  .fits = { .type = KVM_S390_INT_PFAULT_DONE },
	  .busy = { .type = KVM_S390_INT_PFAULT_DONE },
	  .other = { .type = 0, .u.io.io_int_word = S390T_ISC_WORD(1) } },
};

static void s390_limit_desc(const struct s390_limit_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(s390_limit, s390_limit_cases, s390_limit_desc);

static void s390_float_limit_test(struct kunit *test)
{
	const struct s390_limit_case *c = test->param_value;
	struct kvmirq_s390_float *fl = s390t_fl(test);
	unsigned long pending;

	fl->counters[c->counter] = c->limit - 1;
	KUNIT_EXPECT_EQ(test, s390t_inject_float(test, c->fits), 0);
	KUNIT_EXPECT_EQ(test, fl->counters[c->counter], c->limit);
	pending = fl->pending;
	KUNIT_EXPECT_EQ(test, s390t_inject_float(test, c->busy), -EBUSY);
	KUNIT_EXPECT_EQ(test, s390t_inject_float(test, c->fits), -EBUSY);
	KUNIT_EXPECT_EQ(test, fl->counters[c->counter], c->limit);
	KUNIT_EXPECT_EQ(test, fl->pending, pending);
	/* The other queues have limits of their own; merges have none. */
	KUNIT_EXPECT_EQ(test, s390t_inject_float(test, c->other), 0);
	S390T_FLOAT_OK(test, s390t_ext(KVM_S390_INT_SERVICE, 0x1000, 0));
	KUNIT_EXPECT_EQ(test, s390t_inject_float(test, s390t_mchk(0, 0)), 0);
	/* Back to what is really queued, for the clean-up. */
	fl->counters[c->counter] = 1;
}

/* The floating state as GET_ALL_IRQS lists it, from a kernel buffer. */
static int s390_float_list(struct kunit *test, struct kvm_s390_irq *buf,
			   unsigned int max)
{
	struct kvmirq_s390_float *fl = s390t_fl(test);
	int n;

	spin_lock(&fl->lock);
	n = kvmirq_s390_list_float_locked(fl, buf, max);
	spin_unlock(&fl->lock);
	return n;
}

#define S390_ORDER_N	10

/*
 * KVM ABI: GET_ALL_IRQS lists ISC 0 to 7, pfault done, virtio (each FIFO),
 * then one service and one machine-check entry; only the type's member is set.
 */
static void s390_float_order_test(struct kunit *test)
{
	/* want[] in list order; injected in this order of its indices */
	static const unsigned int order[] = { 2, 0, 6, 1, 3, 5, 4, 7 };
	struct kvm_s390_irq *buf, *want;
	unsigned int i;

	buf = kunit_kcalloc(test, S390_ORDER_N + 1, sizeof(*buf), GFP_KERNEL);
	want = kunit_kcalloc(test, S390_ORDER_N, sizeof(*want), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, want);
	want[0] = s390t_io(0, 0x10001, 2, S390T_ISC_WORD(0));
	want[1] = s390t_io(KVM_S390_INT_IO(1, 0, 0, 0), 0, 4, 0x80000000);
	want[2] = s390t_io(0, 0x10003, 1, S390T_ISC_WORD(3));
	want[3] = s390t_io(0, 0x10004, 5, S390T_ISC_WORD(3));
	want[4] = s390t_io(0, 0x10007, 7, S390T_ISC_WORD(7));
	want[5] = s390t_ext(KVM_S390_INT_PFAULT_DONE, 0, 0x66);
	want[6] = s390t_ext(KVM_S390_INT_VIRTIO, 3, 0x33);
	want[7] = s390t_ext(KVM_S390_INT_VIRTIO, 8, 0x88);
	want[8] = s390t_ext(KVM_S390_INT_SERVICE, 0x1001, 0);
	want[9] = s390t_mchk(S390T_CR14_CRW, S390T_MCIC_CP);
	for (i = 0; i < ARRAY_SIZE(order); i++)
		KUNIT_ASSERT_EQ(test, s390t_inject_float(test, want[order[i]]), 0);
	S390T_FLOAT_OK(test, s390t_ext(KVM_S390_INT_SERVICE, 0x1000, 0x99));
	S390T_FLOAT_OK(test, s390t_ext(KVM_S390_INT_SERVICE, 1, 0));
	KUNIT_ASSERT_EQ(test, s390t_inject_float(test, want[9]), 0);

	KUNIT_EXPECT_EQ(test, s390_float_list(test, buf, S390_ORDER_N + 1),
			S390_ORDER_N);
	for (i = 0; i < S390_ORDER_N; i++)
		KUNIT_EXPECT_EQ_MSG(test, memcmp(&buf[i], &want[i], sizeof(*buf)), 0,
				    "entry %u", i);
	/* KVM ABI: too small a buffer is ENOMEM; an exact fit is fine. */
	KUNIT_EXPECT_EQ(test, s390_float_list(test, buf, S390_ORDER_N),
			S390_ORDER_N);
	KUNIT_EXPECT_EQ(test, s390_float_list(test, buf, S390_ORDER_N - 1),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, s390_float_list(test, buf, S390_ORDER_N - 2),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, s390_float_list(test, buf, 0), -ENOMEM);
	/* Listing is not delivery: nothing was taken. */
	KUNIT_EXPECT_EQ(test, s390t_fl(test)->counters[KVMIRQ_FCNT_IO], 5u);
}

/* Nothing pending fits any buffer, even an empty one. */
static void s390_float_list_empty_test(struct kunit *test)
{
	struct kvm_s390_irq irq;

	KUNIT_EXPECT_EQ(test, s390_float_list(test, &irq, 0), 0);
	KUNIT_EXPECT_EQ(test, s390_float_list(test, &irq, 1), 0);
}

/* Service-signal parameters in a row and KVM's merged slot. */
struct s390_srv_case {
	const char *what;
	u32 parm[3];
	unsigned int n;
	u32 want;
	bool ev;
};

static const struct s390_srv_case s390_srv_cases[] = {
	{ "sccb", { 0x1000 }, 1, 0x1000, false },
	{ "second sccb dropped", { 0x1000, 0x2000 }, 2, 0x1000, false },
	{ "event only: both bits", { 1 }, 1, 1, true },
	{ "sccb, then event", { 0x1000, 2 }, 2, 0x1002, true },
	{ "event, then sccb", { 2, 0x1000 }, 2, 0x1002, true },
	{ "events OR-ed, sccb kept", { 0x1001, 0x2002, 0 }, 3, 0x1003, true },
	{ "bit 2 discarded", { 4 }, 1, 0, false },
	{ "bit 2 of an sccb discarded", { 0x1004 }, 1, 0x1000, false },
	{ "zero: pending all the same", { 0 }, 1, 0, false },
	{ "zero, then an sccb", { 0, 0x2000 }, 2, 0x2000, false },
	{ "highest sccb", { 0xfffffff8, 0x1000 }, 2, 0xfffffff8, false },
};

static void s390_srv_desc(const struct s390_srv_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(s390_srv, s390_srv_cases, s390_srv_desc);

static void s390_float_service_merge_test(struct kunit *test)
{
	const struct s390_srv_case *c = test->param_value;
	struct kvmirq_s390_float *fl = s390t_fl(test);
	unsigned long want = BIT(KVMIRQ_PEND_EXT_SERVICE);
	unsigned int i;

	if (c->ev)
		want |= BIT(KVMIRQ_PEND_EXT_SERVICE_EV);
	for (i = 0; i < c->n; i++)
		S390T_FLOAT_OK(test, s390t_ext(KVM_S390_INT_SERVICE, c->parm[i], ~0ull));
	KUNIT_EXPECT_EQ(test, fl->srv.ext_params, c->want);
	/* ext_params2 is not part of a service signal. */
	KUNIT_EXPECT_EQ(test, fl->srv.ext_params2, 0ull);
	KUNIT_EXPECT_EQ(test, fl->pending, want);
}

/* KVM ABI: a floating mchk keeps CR14 bit 35 only, ORs mcic, is repressible. */
static void s390_float_mchk_merge_test(struct kunit *test)
{
	struct kvmirq_s390_float *fl = s390t_fl(test);
	struct kvm_s390_irq m = s390t_mchk(~0ull, S390T_MCIC_CP);

	m.u.mchk.ext_damage_code = 0xff;
	m.u.mchk.failing_storage_address = 0x1000;
	KUNIT_EXPECT_EQ(test, s390t_inject_float(test, m), 0);
	KUNIT_EXPECT_EQ(test, fl->mchk.cr14, S390T_CR14_CRW);
	S390T_FLOAT_OK(test, s390t_mchk(S390T_CR14_DEGRADATION, S390T_MCIC_SD));
	KUNIT_EXPECT_EQ(test, fl->mchk.cr14, S390T_CR14_CRW);
	KUNIT_EXPECT_EQ(test, fl->mchk.mcic, S390T_MCIC_CP | S390T_MCIC_SD);
	KUNIT_EXPECT_EQ(test, fl->mchk.ext_damage_code, 0u);
	KUNIT_EXPECT_EQ(test, fl->mchk.failing_storage_address, 0ull);
	KUNIT_EXPECT_EQ(test, fl->pending, BIT(KVMIRQ_PEND_MCHK_REP));
}

/* A mchk whose cr14 loses every bit is still pending (and never delivered). */
static void s390_float_mchk_no_cr14_test(struct kunit *test)
{
	struct kvmirq_s390_float *fl = s390t_fl(test);

	S390T_FLOAT_OK(test, s390t_mchk(S390T_CR14_DEGRADATION, 0));
	KUNIT_EXPECT_EQ(test, fl->mchk.cr14, 0ull);
	KUNIT_EXPECT_EQ(test, fl->pending, BIT(KVMIRQ_PEND_MCHK_REP));
}

/* The VM's legacy KVM_S390_INTERRUPT, as kvm_s390_inject_vm() maps it. */
struct s390_vm_legacy_case {
	const char *what;
	struct kvm_s390_interrupt in;
	int expect;
	struct kvm_s390_irq want;	/* of the input's type */
};

#define VLEGACY(_what, _type, _parm, _parm64, _expect, ...) \
	{ .what = _what, .in = { .type = _type, .parm = _parm, \
				 .parm64 = _parm64 }, \
	  .expect = _expect, .want = { __VA_ARGS__ } }

static const struct s390_vm_legacy_case s390_vm_legacy_cases[] = {
	VLEGACY("virtio", KVM_S390_INT_VIRTIO, 0x0d00, 0x1122334455667788ull, 0,
		.u.ext.ext_params = 0x0d00,
		.u.ext.ext_params2 = 0x1122334455667788ull),
	VLEGACY("service: parm64 ignored", KVM_S390_INT_SERVICE, 0x1000, 7, 0,
		.u.ext.ext_params = 0x1000),
	VLEGACY("pfault done: parm ignored", KVM_S390_INT_PFAULT_DONE, 7, 0x99,
		0, .u.ext.ext_params2 = 0x99),
	VLEGACY("mchk: cr14 from parm", KVM_S390_MCHK, 0xffffffff,
		S390T_MCIC_CP, 0, .u.mchk.cr14 = S390T_CR14_CRW,
		.u.mchk.mcic = S390T_MCIC_CP),
	VLEGACY("i/o", 0, 0x00010002, 0x1122334408000000ull, 0,
		.u.io.subchannel_id = 1, .u.io.subchannel_nr = 2,
		.u.io.io_int_parm = 0x11223344, .u.io.io_int_word = 0x08000000),
	VLEGACY("last i/o type", KVM_S390_INT_IO_MAX, 0xffffffff,
		0xffffffff00000000ull, 0, .u.io.subchannel_id = 0xffff,
		.u.io.subchannel_nr = 0xffff, .u.io.io_int_parm = 0xffffffff),
	VLEGACY("pfault init (local)", KVM_S390_INT_PFAULT_INIT, 0, 0, -EINVAL),
	VLEGACY("program (local)", KVM_S390_PROGRAM_INT, 1, 0, -EINVAL),
	VLEGACY("stop (local)", KVM_S390_SIGP_STOP, 0, 0, -EINVAL),
	VLEGACY("emergency (local)", KVM_S390_INT_EMERGENCY, 0, 0, -EINVAL),
	VLEGACY("restart (local)", KVM_S390_RESTART, 0, 0, -EINVAL),
	VLEGACY("unknown", 0xfffe1001, 0, 0, -EINVAL),
};

static void s390_vm_legacy_desc(const struct s390_vm_legacy_case *c,
				char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(s390_vm_legacy, s390_vm_legacy_cases, s390_vm_legacy_desc);

static void s390_float_legacy_test(struct kunit *test)
{
	const struct s390_vm_legacy_case *c = test->param_value;
	/* Zeroed, as GET_ALL_IRQS's bounce buffer is. */
	struct kvm_s390_irq got[2] = {}, want = c->want;

	want.type = c->in.type;
	KUNIT_EXPECT_EQ(test, kvmirq_s390_inject_legacy_vm(s390t_vm(test), &c->in),
			c->expect);
	if (c->expect) {
		KUNIT_EXPECT_EQ(test, s390_float_list(test, got, 2), 0);
		return;
	}
	KUNIT_ASSERT_EQ(test, s390_float_list(test, got, 2), 1);
	S390T_EXPECT_MEMEQ(test, &got[0], &want, sizeof(got[0]));
}

static void s390_float_fill(struct kunit *test)
{
	S390T_FLOAT_OK(test, s390t_io(0, 0x10001, 1, S390T_ISC_WORD(2)));
	S390T_FLOAT_OK(test, s390t_ext(KVM_S390_INT_VIRTIO, 0, 0));
	S390T_FLOAT_OK(test, s390t_ext(KVM_S390_INT_PFAULT_DONE, 0, 0));
	S390T_FLOAT_OK(test, s390t_ext(KVM_S390_INT_SERVICE, 0x1001, 0));
	S390T_FLOAT_OK(test, s390t_mchk(S390T_CR14_CRW, S390T_MCIC_CP));
}

/* KVM ABI: CLEAR_IRQS clears every floating interrupt and nothing local. */
static void s390_float_clear_test(struct kunit *test)
{
	struct kvmirq_s390_float *fl = s390t_fl(test);
	unsigned int i;

	S390T_OK(test, 0, s390t_irq(KVM_S390_RESTART));
	s390_float_fill(test);
	kvmirq_s390_clear_float(s390t_vm(test));
	KUNIT_EXPECT_EQ(test, fl->pending, 0ul);
	KUNIT_EXPECT_EQ(test, fl->srv.ext_params, 0u);
	KUNIT_EXPECT_EQ(test, fl->mchk.mcic, 0ull);
	KUNIT_EXPECT_EQ(test, fl->mchk.cr14, 0ull);
	for (i = 0; i < KVMIRQ_FCNT_COUNT; i++)
		KUNIT_EXPECT_EQ(test, fl->counters[i], 0u);
	for (i = 0; i < KVMIRQ_FLIST_COUNT; i++)
		KUNIT_EXPECT_TRUE(test, list_empty(&fl->lists[i]));
	KUNIT_EXPECT_EQ(test, atomic64_read(&s390t_vm(test)->stats.floating_pending),
			0LL);
	KUNIT_EXPECT_EQ(test, s390t_li(test, 0)->pending, BIT(KVMIRQ_PEND_RESTART));
	/* And the VM takes new ones afterwards. */
	s390_float_fill(test);
}

#define SCH_A	0x00010005u
#define SCH_B	0x00010006u

/* KVM ABI: CLEAR_IO_IRQ removes the first match, ISC 0 to 7, FIFO. */
static void s390_float_clear_io_test(struct kunit *test)
{
	static const struct {
		int n;
		u32 parm[3];
	} left[] = {	/* what GET_ALL_IRQS lists after each clear */
		{ 3, { 2, 4, 1 } }, { 2, { 2, 1 } }, { 1, { 2 } }, { 1, { 2 } },
	};
	struct kvmirq_s390_float *fl = s390t_fl(test);
	struct kvm_s390_irq got[4];
	unsigned int i, j;
	int n;

	S390T_FLOAT_OK(test, s390t_io(0, SCH_A, 1, S390T_ISC_WORD(2)));
	S390T_FLOAT_OK(test, s390t_io(0, SCH_B, 2, S390T_ISC_WORD(0)));
	S390T_FLOAT_OK(test, s390t_io(0, SCH_A, 3, S390T_ISC_WORD(0)));
	S390T_FLOAT_OK(test, s390t_io(0, SCH_A, 4, S390T_ISC_WORD(0)));
	kvmirq_s390_clear_io(s390t_vm(test), 0x00010007);
	KUNIT_EXPECT_EQ(test, fl->counters[KVMIRQ_FCNT_IO], 4u);
	for (i = 0; i < ARRAY_SIZE(left); i++) {
		kvmirq_s390_clear_io(s390t_vm(test), SCH_A);
		n = s390_float_list(test, got, ARRAY_SIZE(got));
		KUNIT_ASSERT_EQ(test, n, left[i].n);
		for (j = 0; j < n; j++)
			KUNIT_EXPECT_EQ_MSG(test, got[j].u.io.io_int_parm,
					    left[i].parm[j], "clear %u entry %u",
					    i, j);
		KUNIT_EXPECT_EQ(test, fl->counters[KVMIRQ_FCNT_IO], (u32)n);
	}
	/* The ISC 2 list is empty: its bit went with it; ISC 0 has B left. */
	KUNIT_EXPECT_EQ(test, fl->pending, BIT(KVMIRQ_PEND_IO_ISC_0));
}

/* The pending-bit layout KVM uses (IRQ_PEND_*), which delivery relies on. */
static void s390_float_pend_layout_test(struct kunit *test)
{
	unsigned long ext = BIT(KVMIRQ_PEND_EXT_IRQ_KEY) |
		BIT(KVMIRQ_PEND_EXT_CLOCK_COMP) | BIT(KVMIRQ_PEND_EXT_CPU_TIMER) |
		BIT(KVMIRQ_PEND_EXT_MALFUNC) | BIT(KVMIRQ_PEND_EXT_EMERGENCY) |
		BIT(KVMIRQ_PEND_EXT_EXTERNAL) | BIT(KVMIRQ_PEND_EXT_TIMING) |
		BIT(KVMIRQ_PEND_EXT_HOST) | BIT(KVMIRQ_PEND_EXT_SERVICE) |
		BIT(KVMIRQ_PEND_EXT_SERVICE_EV) | BIT(KVMIRQ_PEND_VIRTIO) |
		BIT(KVMIRQ_PEND_PFAULT_INIT) | BIT(KVMIRQ_PEND_PFAULT_DONE);
	unsigned int isc;

	KUNIT_EXPECT_EQ(test, (unsigned long)KVMIRQ_PEND_EXT_MASK, ext);
	KUNIT_EXPECT_EQ(test, (unsigned long)KVMIRQ_PEND_IO_MASK, 0x7f8ul);
	KUNIT_EXPECT_EQ(test, (unsigned long)KVMIRQ_PEND_MCHK_MASK,
			BIT(24) | BIT(27));
	KUNIT_EXPECT_EQ(test, (int)KVMIRQ_PEND_COUNT, 28);
	KUNIT_EXPECT_EQ(test, (int)KVMIRQ_PEND_PROG, 25);
	KUNIT_EXPECT_EQ(test, (int)KVMIRQ_PEND_EXT_EMERGENCY, 21);
	KUNIT_EXPECT_EQ(test, (int)KVMIRQ_PEND_VIRTIO, 11);
	for (isc = 0; isc <= KVMIRQ_S390_MAX_ISC; isc++)
		KUNIT_EXPECT_EQ(test, kvmirq_s390_isc_to_pend(isc), 10 - isc);
}

static struct kunit_case kvmirq_s390_float_test_cases[] = {
	KUNIT_CASE_PARAM(s390_float_type_test, s390_float_type_gen_params),
	KUNIT_CASE(s390_float_isc_test),
	KUNIT_CASE(s390_float_limit_values_test),
	KUNIT_CASE_PARAM(s390_float_limit_test, s390_limit_gen_params),
	KUNIT_CASE(s390_float_order_test),
	KUNIT_CASE(s390_float_list_empty_test),
	KUNIT_CASE_PARAM(s390_float_service_merge_test, s390_srv_gen_params),
	KUNIT_CASE(s390_float_mchk_merge_test),
	KUNIT_CASE(s390_float_mchk_no_cr14_test),
	KUNIT_CASE_PARAM(s390_float_legacy_test, s390_vm_legacy_gen_params),
	KUNIT_CASE(s390_float_clear_test),
	KUNIT_CASE(s390_float_clear_io_test),
	KUNIT_CASE(s390_float_pend_layout_test),
	{}
};

static struct kunit_suite kvmirq_s390_float_test_suite = {
	.name = "kvmirq_s390_float",
	.init = s390t_init,
	.exit = s390t_exit,
	.test_cases = kvmirq_s390_float_test_cases,
};

kunit_test_suite(kvmirq_s390_float_test_suite);
