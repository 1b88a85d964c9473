// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for s390_local.c: validation and merging of local (per-vcpu)
 * interrupts as KVM's arch/s390/kvm/interrupt.c does them (__inject_*(),
 * s390int_to_s390irq()), the payload each pending bit reports, the run
 * state and the resets.  Included at the end of s390_local.c when
 * CONFIG_KUNIT is set; runs at insmod on an fd-less VM (tests/s390_kunit.h).
 */
#include "s390_kunit.h"

#define NO_BIT		(-1)

/* One interrupt on a fresh vcpu 0: the errno and the pending bit it leaves. */
struct s390_local_type_case {
	const char *what;
	struct kvm_s390_irq irq;
	bool operating;
	int expect;
	int bit;
};

#define TYPE_CASE(_what, _op, _expect, _bit, _type, ...) \
	{ .what = _what, .operating = _op, .expect = _expect, .bit = _bit, \
	  .irq = { .type = _type, __VA_ARGS__ } }

static const struct s390_local_type_case s390_local_type_cases[] = {
	TYPE_CASE("program", true, 0, KVMIRQ_PEND_PROG, KVM_S390_PROGRAM_INT,
		  .u.pgm.code = 0x11),
	TYPE_CASE("program code 0", false, 0, KVMIRQ_PEND_PROG,
		  KVM_S390_PROGRAM_INT),
	TYPE_CASE("set prefix, stopped", false, 0, KVMIRQ_PEND_SET_PREFIX,
		  KVM_S390_SIGP_SET_PREFIX, .u.prefix.address = 0x2000),
	TYPE_CASE("set prefix, operating", true, -EBUSY, NO_BIT,
		  KVM_S390_SIGP_SET_PREFIX, .u.prefix.address = 0x2000),
	TYPE_CASE("stop, operating", true, 0, KVMIRQ_PEND_SIGP_STOP,
		  KVM_S390_SIGP_STOP),
	TYPE_CASE("stop, stopped: dropped", false, 0, NO_BIT,
		  KVM_S390_SIGP_STOP),
	TYPE_CASE("stop+store status, stopped, no memory", false, -EFAULT,
		  NO_BIT, KVM_S390_SIGP_STOP,
		  .u.stop.flags = KVM_S390_STOP_FLAG_STORE_STATUS),
	TYPE_CASE("stop flag 2, operating", true, -EINVAL, NO_BIT,
		  KVM_S390_SIGP_STOP, .u.stop.flags = 2),
	TYPE_CASE("stop flags 3, stopped: flags first", false, -EINVAL, NO_BIT,
		  KVM_S390_SIGP_STOP, .u.stop.flags = 3),
	TYPE_CASE("restart, stopped", false, 0, KVMIRQ_PEND_RESTART,
		  KVM_S390_RESTART),
	TYPE_CASE("restart, operating", true, 0, KVMIRQ_PEND_RESTART,
		  KVM_S390_RESTART),
	TYPE_CASE("clock comparator", true, 0, KVMIRQ_PEND_EXT_CLOCK_COMP,
		  KVM_S390_INT_CLOCK_COMP),
	TYPE_CASE("cpu timer", true, 0, KVMIRQ_PEND_EXT_CPU_TIMER,
		  KVM_S390_INT_CPU_TIMER),
	TYPE_CASE("external call from 1", true, 0, KVMIRQ_PEND_EXT_EXTERNAL,
		  KVM_S390_INT_EXTERNAL_CALL, .u.extcall.code = 1),
	TYPE_CASE("external call from itself", true, 0,
		  KVMIRQ_PEND_EXT_EXTERNAL, KVM_S390_INT_EXTERNAL_CALL),
	TYPE_CASE("external call from a free id", true, -EINVAL, NO_BIT,
		  KVM_S390_INT_EXTERNAL_CALL, .u.extcall.code = S390T_FREE_ID),
	TYPE_CASE("external call from id 248", true, -EINVAL, NO_BIT,
		  KVM_S390_INT_EXTERNAL_CALL, .u.extcall.code = 248),
	TYPE_CASE("emergency from 3", true, 0, KVMIRQ_PEND_EXT_EMERGENCY,
		  KVM_S390_INT_EMERGENCY, .u.emerg.code = 3),
	TYPE_CASE("emergency from a free id", true, -EINVAL, NO_BIT,
		  KVM_S390_INT_EMERGENCY, .u.emerg.code = S390T_FREE_ID),
	TYPE_CASE("emergency from id 254", true, -EINVAL, NO_BIT,
		  KVM_S390_INT_EMERGENCY, .u.emerg.code = 254),
	TYPE_CASE("emergency from id 0xffff", true, -EINVAL, NO_BIT,
		  KVM_S390_INT_EMERGENCY, .u.emerg.code = 0xffff),
	TYPE_CASE("mchk system damage", true, 0, KVMIRQ_PEND_MCHK_EX,
		  KVM_S390_MCHK, .u.mchk.mcic = S390T_MCIC_SD),
	TYPE_CASE("mchk instruction damage", true, 0, KVMIRQ_PEND_MCHK_EX,
		  KVM_S390_MCHK, .u.mchk.mcic = S390T_MCIC_PD),
	TYPE_CASE("mchk degradation", true, 0, KVMIRQ_PEND_MCHK_REP,
		  KVM_S390_MCHK, .u.mchk.mcic = S390T_MCIC_DG),
	TYPE_CASE("mchk external damage", true, 0, KVMIRQ_PEND_MCHK_REP,
		  KVM_S390_MCHK, .u.mchk.mcic = S390T_MCIC_ED),
	TYPE_CASE("mchk warning", true, 0, KVMIRQ_PEND_MCHK_REP,
		  KVM_S390_MCHK, .u.mchk.mcic = S390T_MCIC_W),
	TYPE_CASE("mchk channel report: kept, not pending", true, 0, NO_BIT,
		  KVM_S390_MCHK, .u.mchk.mcic = S390T_MCIC_CP),
	TYPE_CASE("pfault init", true, 0, KVMIRQ_PEND_PFAULT_INIT,
		  KVM_S390_INT_PFAULT_INIT, .u.ext.ext_params2 = 0x1234),
	TYPE_CASE("virtio (floating)", true, -EINVAL, NO_BIT,
		  KVM_S390_INT_VIRTIO),
	TYPE_CASE("service (floating)", true, -EINVAL, NO_BIT,
		  KVM_S390_INT_SERVICE, .u.ext.ext_params = 0x1000),
	TYPE_CASE("pfault done (floating)", true, -EINVAL, NO_BIT,
		  KVM_S390_INT_PFAULT_DONE),
	TYPE_CASE("i/o type 0 (floating)", true, -EINVAL, NO_BIT, 0),
	TYPE_CASE("adapter i/o (floating)", true, -EINVAL, NO_BIT,
		  KVM_S390_INT_IO(1, 0, 0, 0)),
	TYPE_CASE("last i/o type (floating)", true, -EINVAL, NO_BIT,
		  KVM_S390_INT_IO_MAX),
	TYPE_CASE("unknown 0xfffe0006", true, -EINVAL, NO_BIT, 0xfffe0006),
	TYPE_CASE("unknown 0xfffe1001", true, -EINVAL, NO_BIT, 0xfffe1001),
	TYPE_CASE("unknown 0xffffffff", true, -EINVAL, NO_BIT, 0xffffffff),
	TYPE_CASE("program type with bit 32", true, -EINVAL, NO_BIT,
		  KVM_S390_PROGRAM_INT | BIT_ULL(32)),
	TYPE_CASE("restart type with bit 63", true, -EINVAL, NO_BIT,
		  KVM_S390_RESTART | BIT_ULL(63)),
};

static void s390_local_type_desc(const struct s390_local_type_case *c,
				 char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(s390_local_type, s390_local_type_cases, s390_local_type_desc);

static void s390_local_type_test(struct kunit *test)
{
	const struct s390_local_type_case *c = test->param_value;
	unsigned long want = c->bit == NO_BIT ? 0 : BIT(c->bit);

	s390t_set_stopped(test, 0, !c->operating);
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, c->irq), c->expect);
	KUNIT_EXPECT_EQ(test, s390t_li(test, 0)->pending, want);
	/* A stop on a stopped vcpu never starts it, nor does anything else. */
	KUNIT_EXPECT_EQ(test, kvmirq_s390_li(s390t_vcpu(test, 0))->stopped,
			!c->operating);
}

/* KVM ABI: a new vcpu is stopped and has nothing pending. */
static void s390_local_new_vcpu_test(struct kunit *test)
{
	struct kvmirq_s390_local *li = kvmirq_s390_li(s390t_vcpu(test, 1));

	KUNIT_EXPECT_TRUE(test, li->stopped);
	KUNIT_EXPECT_EQ(test, li->irqs.pending, 0ul);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(li->irqs.emerg,
					     KVMIRQ_S390_KVM_MAX_VCPUS));
}

static struct kvm_s390_irq s390_emerg(u16 src)
{
	return (struct kvm_s390_irq){ .type = KVM_S390_INT_EMERGENCY,
				      .u.emerg.code = src };
}

static struct kvm_s390_irq s390_extcall(u16 src)
{
	return (struct kvm_s390_irq){ .type = KVM_S390_INT_EXTERNAL_CALL,
				      .u.extcall.code = src };
}

/* KVM ABI: one emergency per source; a second from the same source merges. */
static void s390_local_emergency_merge_test(struct kunit *test)
{
	struct kvmirq_s390_local_irqs *li = s390t_li(test, 0);

	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, s390_emerg(3)), 0);
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, s390_emerg(3)), 0);
	KUNIT_EXPECT_EQ(test, bitmap_weight(li->emerg, KVMIRQ_S390_KVM_MAX_VCPUS),
			1u);
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, s390_emerg(1)), 0);
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, s390_emerg(0)), 0);
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, s390_emerg(3)), 0);
	KUNIT_EXPECT_EQ(test, bitmap_weight(li->emerg, KVMIRQ_S390_KVM_MAX_VCPUS),
			3u);
	KUNIT_EXPECT_TRUE(test, test_bit(0, li->emerg) && test_bit(1, li->emerg) &&
			  test_bit(3, li->emerg));
	/* A bad source leaves the merged set as it was. */
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, s390_emerg(S390T_FREE_ID)),
			-EINVAL);
	KUNIT_EXPECT_FALSE(test, test_bit(S390T_FREE_ID, li->emerg));
	KUNIT_EXPECT_EQ(test, li->pending, BIT(KVMIRQ_PEND_EXT_EMERGENCY));
}

/* KVM ABI: one external call at a time; the source check comes first. */
static void s390_local_extcall_busy_test(struct kunit *test)
{
	struct kvmirq_s390_local_irqs *li = s390t_li(test, 0);

	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, s390_extcall(3)), 0);
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, s390_extcall(1)), -EBUSY);
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, s390_extcall(3)), -EBUSY);
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0,
					   s390_extcall(S390T_FREE_ID)), -EINVAL);
	KUNIT_EXPECT_EQ(test, li->extcall.code, 3);
	KUNIT_EXPECT_EQ(test, li->pending, BIT(KVMIRQ_PEND_EXT_EXTERNAL));
}

static struct kvm_s390_irq s390_stop(u32 flags)
{
	return (struct kvm_s390_irq){ .type = KVM_S390_SIGP_STOP,
				      .u.stop.flags = flags };
}

/* KVM ABI: flags checked first; a second stop while one is pending: EBUSY. */
static void s390_local_stop_busy_test(struct kunit *test)
{
	struct kvmirq_s390_local_irqs *li = s390t_li(test, 0);

	s390t_set_stopped(test, 0, false);
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0,
					   s390_stop(KVM_S390_STOP_FLAG_STORE_STATUS)),
			0);
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, s390_stop(0)), -EBUSY);
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, s390_stop(0x80)), -EINVAL);
	KUNIT_EXPECT_EQ(test, li->stop.flags, KVM_S390_STOP_FLAG_STORE_STATUS);
	KUNIT_EXPECT_EQ(test, li->pending, BIT(KVMIRQ_PEND_SIGP_STOP));
}

/* KVM ABI: a second SET PREFIX overwrites the first; only when stopped. */
static void s390_local_prefix_overwrite_test(struct kunit *test)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_SIGP_SET_PREFIX };
	struct kvmirq_s390_local_irqs *li = s390t_li(test, 0);

	irq.u.prefix.address = 0x10000;
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, irq), 0);
	irq.u.prefix.address = 0xffffffff;
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, irq), 0);
	/* The raw address is kept: delivery masks it. */
	KUNIT_EXPECT_EQ(test, li->prefix.address, 0xffffffffu);
	s390t_set_stopped(test, 0, false);
	irq.u.prefix.address = 0x20000;
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, irq), -EBUSY);
	KUNIT_EXPECT_EQ(test, li->prefix.address, 0xffffffffu);
}

/* KVM ABI: RESTART, CLOCK_COMP, CPU_TIMER, PFAULT_INIT are idempotent bits. */
static void s390_local_idempotent_test(struct kunit *test)
{
	static const u64 types[] = { KVM_S390_RESTART, KVM_S390_INT_CLOCK_COMP,
				     KVM_S390_INT_CPU_TIMER };
	struct kvmirq_s390_local_irqs *li = s390t_li(test, 0);
	unsigned int i;

	for (i = 0; i < 2 * ARRAY_SIZE(types); i++)
		S390T_OK(test, 0, s390t_irq(types[i % 3]));
	KUNIT_EXPECT_EQ(test, li->pending,
			BIT(KVMIRQ_PEND_RESTART) | BIT(KVMIRQ_PEND_EXT_CLOCK_COMP) |
			BIT(KVMIRQ_PEND_EXT_CPU_TIMER));
	S390T_OK(test, 0, s390t_ext(KVM_S390_INT_PFAULT_INIT, 1, 0x1000));
	S390T_OK(test, 0, s390t_ext(KVM_S390_INT_PFAULT_INIT, 2, 0x2000));
	/* KVM ABI: the newest payload, both fields. */
	KUNIT_EXPECT_EQ(test, li->ext.ext_params, 2u);
	KUNIT_EXPECT_EQ(test, li->ext.ext_params2, 0x2000ull);
}

/* Two program interrupts in a row and the merged payload KVM keeps. */
struct s390_pgm_case {
	const char *what;
	struct kvm_s390_pgm_info first, second, want;
};

#define PGM(...)	{ .flags = KVM_S390_PGM_FLAGS_ILC_VALID, __VA_ARGS__ }

static const struct s390_pgm_case s390_pgm_cases[] = {
	{ "non-PER then PER only: PER fields added",
	  PGM(.code = 0x11, .trans_exc_code = 0x1000),
	  PGM(.code = PGM_PER, .per_address = 0x2000, .per_code = 0x40,
	      .trans_exc_code = 0x3000),
	  PGM(.code = 0x91, .trans_exc_code = 0x1000, .per_address = 0x2000,
	      .per_code = 0x40) },
	{ "PER only then non-PER: PER kept",
	  PGM(.code = PGM_PER, .per_address = 0x2000, .per_atmid = 5),
	  PGM(.code = 0x04, .trans_exc_code = 0x4000, .per_address = 0x9000,
	      .exc_access_id = 3),
	  PGM(.code = 0x84, .per_address = 0x2000, .per_atmid = 5,
	      .trans_exc_code = 0x4000, .exc_access_id = 3) },
	{ "non-PER twice: the newest",
	  PGM(.code = 0x11, .trans_exc_code = 0x1000, .mon_code = 7),
	  PGM(.code = 0x04, .data_exc_code = 9),
	  PGM(.code = 0x04, .data_exc_code = 9) },
	{ "PER with a code: all replaced",
	  PGM(.code = 0x04, .trans_exc_code = 0x4000, .per_access_id = 1),
	  PGM(.code = 0x91, .per_address = 0x2000),
	  PGM(.code = 0x91, .per_address = 0x2000) },
	{ "PER only twice: newest PER fields",
	  PGM(.code = PGM_PER, .per_address = 0x2000, .per_access_id = 1),
	  PGM(.code = PGM_PER, .per_address = 0x3000),
	  PGM(.code = PGM_PER, .per_address = 0x3000) },
	{ "flags are the newest",
	  PGM(.code = 0x11),
	  { .code = PGM_PER, .flags = KVM_S390_PGM_FLAGS_ILC_VALID |
				      KVM_S390_PGM_FLAGS_ILC_1 },
	  { .code = 0x91, .flags = KVM_S390_PGM_FLAGS_ILC_VALID |
				   KVM_S390_PGM_FLAGS_ILC_1 } },
};

static void s390_pgm_desc(const struct s390_pgm_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(s390_pgm, s390_pgm_cases, s390_pgm_desc);

static void s390_local_prog_merge_test(struct kunit *test)
{
	const struct s390_pgm_case *c = test->param_value;
	struct kvm_s390_irq irq = { .type = KVM_S390_PROGRAM_INT };

	irq.u.pgm = c->first;
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, irq), 0);
	irq.u.pgm = c->second;
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, irq), 0);
	S390T_EXPECT_MEMEQ(test, &s390t_li(test, 0)->pgm, &c->want,
			   sizeof(c->want));
	KUNIT_EXPECT_EQ(test, s390t_li(test, 0)->pending, BIT(KVMIRQ_PEND_PROG));
}

/* KVM ABI: without ILC_VALID the ILC is the last intercept's: 0 here. */
static void s390_local_prog_ilc_test(struct kunit *test)
{
	static const u8 in[] = { 0x00, 0x06, 0x08, 0x0e, 0x05, 0x0f, 0x01 };
	static const u8 out[] = { 0x01, 0x01, 0x09, 0x09, 0x05, 0x0f, 0x01 };
	struct kvm_s390_irq irq = { .type = KVM_S390_PROGRAM_INT };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(in); i++) {
		irq.u.pgm.flags = in[i];
		KUNIT_EXPECT_EQ(test, kvmirq_s390_inject_local(s390t_vcpu(test, 0),
							       &irq), 0);
		/* The caller's struct is completed in place, as KVM's. */
		KUNIT_EXPECT_EQ_MSG(test, irq.u.pgm.flags, out[i], "in %#x", in[i]);
		KUNIT_EXPECT_EQ_MSG(test, s390t_li(test, 0)->pgm.flags, out[i],
				    "in %#x", in[i]);
	}
}

/* Local machine checks in a row: what KVM's __inject_mchk() accumulates. */
struct s390_mchk_case {
	const char *what;
	u64 mcic[2];
	unsigned long pending;
};

static const struct s390_mchk_case s390_mchk_cases[] = {
	{ "repressible then exigent: both bits",
	  { S390T_MCIC_DG, S390T_MCIC_SD },
	  BIT(KVMIRQ_PEND_MCHK_REP) | BIT(KVMIRQ_PEND_MCHK_EX) },
	{ "exigent then repressible: exigent only",
	  { S390T_MCIC_PD, S390T_MCIC_W }, BIT(KVMIRQ_PEND_MCHK_EX) },
	{ "exigent and repressible at once", { S390T_MCIC_SD | S390T_MCIC_ED, 0 },
	  BIT(KVMIRQ_PEND_MCHK_EX) },
	{ "neither, then repressible: pending from the merged code",
	  { S390T_MCIC_VALIDITY, S390T_MCIC_W }, BIT(KVMIRQ_PEND_MCHK_REP) },
	{ "neither twice: kept, not pending",
	  { S390T_MCIC_VALIDITY, S390T_MCIC_CP }, 0 },
	{ "repressible, then neither: still repressible",
	  { S390T_MCIC_ED, S390T_MCIC_VALIDITY }, BIT(KVMIRQ_PEND_MCHK_REP) },
};

static void s390_mchk_desc(const struct s390_mchk_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(s390_mchk, s390_mchk_cases, s390_mchk_desc);

static void s390_local_mchk_merge_test(struct kunit *test)
{
	const struct s390_mchk_case *c = test->param_value;
	struct kvmirq_s390_local_irqs *li = s390t_li(test, 0);

	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, s390t_mchk(0, c->mcic[0])), 0);
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, s390t_mchk(0, c->mcic[1])), 0);
	KUNIT_EXPECT_EQ(test, li->mchk.mcic, c->mcic[0] | c->mcic[1]);
	KUNIT_EXPECT_EQ(test, li->pending, c->pending);
}

/* KVM ABI: cr14, mcic, ext damage OR-ed; address and logout the newest. */
static void s390_local_mchk_fields_test(struct kunit *test)
{
	struct kvm_s390_irq a = s390t_mchk(S390T_CR14_CRW, S390T_MCIC_DG);
	struct kvm_s390_irq b = s390t_mchk(S390T_CR14_DEGRADATION, S390T_MCIC_W);
	struct kvmirq_s390_local_irqs *li = s390t_li(test, 0);

	a.u.mchk.ext_damage_code = 0x10;
	a.u.mchk.failing_storage_address = 0x1000;
	memset(a.u.mchk.fixed_logout, 0xaa, sizeof(a.u.mchk.fixed_logout));
	b.u.mchk.ext_damage_code = 0x01;
	b.u.mchk.failing_storage_address = 0x2000;
	memset(b.u.mchk.fixed_logout, 0x55, sizeof(b.u.mchk.fixed_logout));
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, a), 0);
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, b), 0);
	KUNIT_EXPECT_EQ(test, li->mchk.cr14, S390T_CR14_CRW | S390T_CR14_DEGRADATION);
	KUNIT_EXPECT_EQ(test, li->mchk.ext_damage_code, 0x11u);
	KUNIT_EXPECT_EQ(test, li->mchk.failing_storage_address, 0x2000ull);
	S390T_EXPECT_MEMEQ(test, li->mchk.fixed_logout, b.u.mchk.fixed_logout,
			   sizeof(li->mchk.fixed_logout));
}

/* The vcpu's legacy KVM_S390_INTERRUPT, converted as s390int_to_s390irq(). */
struct s390_legacy_case {
	const char *what;
	struct kvm_s390_interrupt in;
	int expect;
	struct kvm_s390_irq want;	/* of the input's type */
};

#define LEGACY(_what, _type, _parm, _parm64, _expect, ...) \
	{ .what = _what, .in = { .type = _type, .parm = _parm, \
				 .parm64 = _parm64 }, \
	  .expect = _expect, .want = { __VA_ARGS__ } }

static const struct s390_legacy_case s390_legacy_cases[] = {
	LEGACY("program", KVM_S390_PROGRAM_INT, 0xffff, 7, 0,
	       .u.pgm.code = 0xffff),
	LEGACY("program code above 16 bits", KVM_S390_PROGRAM_INT, 0x10000, 0,
	       -EINVAL),
	LEGACY("set prefix", KVM_S390_SIGP_SET_PREFIX, 0xfffff000, 7, 0,
	       .u.prefix.address = 0xfffff000),
	LEGACY("stop: flags unchecked here", KVM_S390_SIGP_STOP, 0xff, 0, 0,
	       .u.stop.flags = 0xff),
	LEGACY("external call", KVM_S390_INT_EXTERNAL_CALL, 3, 0, 0,
	       .u.extcall.code = 3),
	LEGACY("external call above 16 bits", KVM_S390_INT_EXTERNAL_CALL,
	       0x10003, 0, -EINVAL),
	LEGACY("emergency 0xffff", KVM_S390_INT_EMERGENCY, 0xffff, 0, 0,
	       .u.emerg.code = 0xffff),
	LEGACY("emergency above 16 bits", KVM_S390_INT_EMERGENCY, 0x10000, 0,
	       -EINVAL),
	LEGACY("mchk: parm (cr14) dropped", KVM_S390_MCHK, 0x10000000,
	       S390T_MCIC_DG, 0, .u.mchk.mcic = S390T_MCIC_DG),
	LEGACY("pfault init", KVM_S390_INT_PFAULT_INIT, 0x600, 0xabcdef, 0,
	       .u.ext.ext_params = 0x600, .u.ext.ext_params2 = 0xabcdef),
	LEGACY("restart: parms ignored", KVM_S390_RESTART, 1, 2, 0),
	LEGACY("clock comparator", KVM_S390_INT_CLOCK_COMP, 1, 2, 0),
	LEGACY("cpu timer", KVM_S390_INT_CPU_TIMER, 1, 2, 0),
	LEGACY("virtio", KVM_S390_INT_VIRTIO, 0, 0, -EINVAL),
	LEGACY("service", KVM_S390_INT_SERVICE, 0x1000, 0, -EINVAL),
	LEGACY("pfault done", KVM_S390_INT_PFAULT_DONE, 0, 0, -EINVAL),
	LEGACY("i/o", 0, 0x10002, 0, -EINVAL),
	LEGACY("unknown", 0xfffe0006, 0, 0, -EINVAL),
};

static void s390_legacy_desc(const struct s390_legacy_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(s390_legacy, s390_legacy_cases, s390_legacy_desc);

static void s390_local_legacy_test(struct kunit *test)
{
	const struct s390_legacy_case *c = test->param_value;
	struct kvm_s390_irq irq = {}, want = c->want;
	int r = kvmirq_s390_legacy_to_irq(&c->in, &irq);

	want.type = c->in.type;
	KUNIT_EXPECT_EQ(test, r, c->expect);
	if (!r)
		S390T_EXPECT_MEMEQ(test, &irq, &want, sizeof(irq));
}

/* What each local pending bit reports (GET_IRQ_STATE, delivery). */
static void s390_local_store_test(struct kunit *test)
{
	static const struct {
		unsigned int bit;
		u64 type;
	} map[] = {
		{ KVMIRQ_PEND_SET_PREFIX, KVM_S390_SIGP_SET_PREFIX },
		{ KVMIRQ_PEND_RESTART, KVM_S390_RESTART },
		{ KVMIRQ_PEND_SIGP_STOP, KVM_S390_SIGP_STOP },
		{ KVMIRQ_PEND_PFAULT_INIT, KVM_S390_INT_PFAULT_INIT },
		{ KVMIRQ_PEND_EXT_CPU_TIMER, KVM_S390_INT_CPU_TIMER },
		{ KVMIRQ_PEND_EXT_CLOCK_COMP, KVM_S390_INT_CLOCK_COMP },
		{ KVMIRQ_PEND_EXT_EXTERNAL, KVM_S390_INT_EXTERNAL_CALL },
		{ KVMIRQ_PEND_MCHK_REP, KVM_S390_MCHK },
		{ KVMIRQ_PEND_PROG, KVM_S390_PROGRAM_INT },
		{ KVMIRQ_PEND_MCHK_EX, KVM_S390_MCHK },
	};
	struct kvmirq_s390_local_irqs *li;
	struct kvm_s390_irq irq;
	unsigned int i;

	li = kunit_kzalloc(test, sizeof(*li), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, li);
	li->prefix.address = 0x12345;
	li->stop.flags = KVM_S390_STOP_FLAG_STORE_STATUS;
	li->ext.ext_params2 = 0x77;
	li->extcall.code = 3;
	li->mchk.mcic = S390T_MCIC_SD;
	li->pgm.code = 0x11;
	for (i = 0; i < ARRAY_SIZE(map); i++) {
		kvmirq_s390_store_local(li, map[i].bit, &irq);
		KUNIT_EXPECT_EQ_MSG(test, irq.type, map[i].type, "bit %u", map[i].bit);
	}
	kvmirq_s390_store_local(li, KVMIRQ_PEND_SET_PREFIX, &irq);
	KUNIT_EXPECT_EQ(test, irq.u.prefix.address, 0x12345u);
	kvmirq_s390_store_local(li, KVMIRQ_PEND_SIGP_STOP, &irq);
	KUNIT_EXPECT_EQ(test, irq.u.stop.flags, KVM_S390_STOP_FLAG_STORE_STATUS);
	kvmirq_s390_store_local(li, KVMIRQ_PEND_PFAULT_INIT, &irq);
	KUNIT_EXPECT_EQ(test, irq.u.ext.ext_params2, 0x77ull);
	kvmirq_s390_store_local(li, KVMIRQ_PEND_EXT_EXTERNAL, &irq);
	KUNIT_EXPECT_EQ(test, irq.u.extcall.code, 3);
	kvmirq_s390_store_local(li, KVMIRQ_PEND_MCHK_REP, &irq);
	KUNIT_EXPECT_EQ(test, irq.u.mchk.mcic, S390T_MCIC_SD);
	kvmirq_s390_store_local(li, KVMIRQ_PEND_PROG, &irq);
	KUNIT_EXPECT_EQ(test, irq.u.pgm.code, 0x11);
	/* Payload-less kinds report a zeroed union. */
	kvmirq_s390_store_local(li, KVMIRQ_PEND_RESTART, &irq);
	KUNIT_EXPECT_EQ(test, irq.u.ext.ext_params2, 0ull);
}

/* KVM ABI: entering STOPPED clears a pending STOP and its flags, only. */
static void s390_local_stop_state_test(struct kunit *test)
{
	struct kvmirq_s390_local_irqs *li = s390t_li(test, 0);
	struct kvmirq_vcpu *vcpu = s390t_vcpu(test, 0);

	kvmirq_s390_vcpu_set_stopped(vcpu, false);
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0,
					   s390_stop(KVM_S390_STOP_FLAG_STORE_STATUS)),
			0);
	S390T_OK(test, 0, s390t_irq(KVM_S390_RESTART));
	KUNIT_EXPECT_EQ(test, s390t_inject(test, 0, s390_emerg(1)), 0);
	kvmirq_s390_vcpu_set_stopped(vcpu, true);
	KUNIT_EXPECT_TRUE(test, kvmirq_s390_li(vcpu)->stopped);
	KUNIT_EXPECT_EQ(test, li->stop.flags, 0u);
	KUNIT_EXPECT_EQ(test, li->pending, BIT(KVMIRQ_PEND_RESTART) |
			BIT(KVMIRQ_PEND_EXT_EMERGENCY));
	/* Starting changes nothing pending either. */
	kvmirq_s390_vcpu_set_stopped(vcpu, false);
	KUNIT_EXPECT_FALSE(test, kvmirq_s390_li(vcpu)->stopped);
	KUNIT_EXPECT_EQ(test, li->pending, BIT(KVMIRQ_PEND_RESTART) |
			BIT(KVMIRQ_PEND_EXT_EMERGENCY));
}

static void s390_local_fill(struct kunit *test, unsigned int i)
{
	KUNIT_EXPECT_EQ(test, s390t_inject(test, i, s390_emerg(1)), 0);
	KUNIT_EXPECT_EQ(test, s390t_inject(test, i, s390_extcall(0)), 0);
	KUNIT_EXPECT_EQ(test, s390t_inject(test, i, s390t_mchk(1, S390T_MCIC_VALIDITY)),
			0);
	S390T_OK(test, i, s390t_irq(KVM_S390_PROGRAM_INT));
	KUNIT_EXPECT_EQ(test, s390t_inject(test, i, s390_stop(0)), 0);
}

/*
 * KVM ABI: the resets clear every local interrupt, payloads included, and
 * leave the floating ones; they stop the vcpu unless userspace controls the
 * cpu state.
 */
static void s390_local_reset_test(struct kunit *test)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(s390t_vm(test));
	struct kvmirq_s390_local_irqs *zero;
	struct kvmirq_vcpu *vcpu = s390t_vcpu(test, 0);

	zero = kunit_kzalloc(test, sizeof(*zero), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, zero);
	S390T_FLOAT_OK(test, s390t_ext(KVM_S390_INT_SERVICE, 0x1000, 0));
	s390t_set_stopped(test, 0, false);
	s390_local_fill(test, 0);
	KUNIT_EXPECT_EQ(test, kvmirq_s390_vcpu_reset(vcpu), 0L);
	S390T_EXPECT_MEMEQ(test, s390t_li(test, 0), zero, sizeof(*zero));
	KUNIT_EXPECT_TRUE(test, kvmirq_s390_li(vcpu)->stopped);
	KUNIT_EXPECT_EQ(test, s390->fl.pending, BIT(KVMIRQ_PEND_EXT_SERVICE));

	s390->user_cpu_state = true;
	s390t_set_stopped(test, 0, false);
	s390_local_fill(test, 0);
	KUNIT_EXPECT_EQ(test, kvmirq_s390_vcpu_reset(vcpu), 0L);
	S390T_EXPECT_MEMEQ(test, s390t_li(test, 0), zero, sizeof(*zero));
	KUNIT_EXPECT_FALSE(test, kvmirq_s390_li(vcpu)->stopped);
}

/* Local injection never touches another vcpu or the floating state. */
static void s390_local_isolated_test(struct kunit *test)
{
	s390t_set_stopped(test, 1, false);
	s390_local_fill(test, 1);
	KUNIT_EXPECT_EQ(test, s390t_li(test, 0)->pending, 0ul);
	KUNIT_EXPECT_EQ(test, s390t_li(test, 2)->pending, 0ul);
	KUNIT_EXPECT_EQ(test, s390t_fl(test)->pending, 0ul);
}

static struct kunit_case kvmirq_s390_local_test_cases[] = {
	KUNIT_CASE_PARAM(s390_local_type_test, s390_local_type_gen_params),
	KUNIT_CASE(s390_local_new_vcpu_test),
	KUNIT_CASE(s390_local_emergency_merge_test),
	KUNIT_CASE(s390_local_extcall_busy_test),
	KUNIT_CASE(s390_local_stop_busy_test),
	KUNIT_CASE(s390_local_prefix_overwrite_test),
	KUNIT_CASE(s390_local_idempotent_test),
	KUNIT_CASE_PARAM(s390_local_prog_merge_test, s390_pgm_gen_params),
	KUNIT_CASE(s390_local_prog_ilc_test),
	KUNIT_CASE_PARAM(s390_local_mchk_merge_test, s390_mchk_gen_params),
	KUNIT_CASE(s390_local_mchk_fields_test),
	KUNIT_CASE_PARAM(s390_local_legacy_test, s390_legacy_gen_params),
	KUNIT_CASE(s390_local_store_test),
	KUNIT_CASE(s390_local_stop_state_test),
	KUNIT_CASE(s390_local_reset_test),
	KUNIT_CASE(s390_local_isolated_test),
	{}
};

static struct kunit_suite kvmirq_s390_local_test_suite = {
	.name = "kvmirq_s390_local",
	.init = s390t_init,
	.exit = s390t_exit,
	.test_cases = kvmirq_s390_local_test_cases,
};

kunit_test_suite(kvmirq_s390_local_test_suite);
