// SPDX-License-Identifier: GPL-2.0
/*
 * KVMIRQ_S390_DELIVER: KVM's priority order, masking and delivery side
 * effects, driven with guest state supplied by the test; concurrent
 * injection from several threads while another thread delivers.
 */
#include <pthread.h>

#include "s390_test.h"

FIXTURE(deliver) {
	int dev;
	int kvmirq;
	int vm;
	int flic;
	int vcpu;	/* id 0 */
	int v1;		/* id 1 */
	int v2;		/* id 2 */
};

FIXTURE_SETUP(deliver)
{
	self->vm = -1;
	self->flic = -1;
	self->vcpu = -1;
	self->v1 = -1;
	self->v2 = -1;
	KVMIRQ_OPEN_OR_SKIP();
	KVMIRQ_ONLY();
	s390_vm_flic(_metadata, self->dev, &self->vm, &self->flic);
	self->vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	self->v1 = ioctl(self->vm, KVM_CREATE_VCPU, 1);
	self->v2 = ioctl(self->vm, KVM_CREATE_VCPU, 2);
	ASSERT_GE(self->vcpu, 0);
	ASSERT_GE(self->v1, 0);
	ASSERT_GE(self->v2, 0);
}

FIXTURE_TEARDOWN(deliver)
{
	CLOSE_FDS(self->v2, self->v1, self->vcpu, self->flic, self->vm, self->dev);
}

static void enqueue(struct __test_metadata *_metadata, int flic,
		    struct kvm_s390_irq irq)
{
	ASSERT_EQ(0, flic_enqueue(flic, &irq, 1));
}

static void inject(struct __test_metadata *_metadata, int vcpu,
		   struct kvm_s390_irq irq)
{
	ASSERT_EQ(0, s390_irq(vcpu, &irq));
}

static struct kvm_s390_irq mchk(__u64 cr14, __u64 mcic)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_MCHK };

	irq.u.mchk.cr14 = cr14;
	irq.u.mchk.mcic = mcic;
	return irq;
}

TEST_F(deliver, action_bit)
{
	EXPECT_EQ(KVMIRQ_ACTION_S390_DELIVER,
		  ioctl(self->vm, KVM_CHECK_EXTENSION, KVMIRQ_CAP_GUEST_ACTIONS));
}

TEST_F(deliver, nothing)
{
	struct kvmirq_s390_deliver d;

	memset(&d, 0x55, sizeof(d));
	d.flags = 0;
	d.pad = 0;
	ASSERT_EQ(0, ioctl(self->vcpu, KVMIRQ_S390_DELIVER, &d));
	EXPECT_EQ(KVMIRQ_S390_DELIVERED_NONE, d.result);
	EXPECT_EQ(KVMIRQ_S390_PEND_NONE, d.pend_bit);
	EXPECT_EQ(0, d.irq.type);
	EXPECT_EQ(0, d.irq.u.reserved[63]);
	EXPECT_EQ(0, d.reserved[2]);
	/* Inputs are left as given. */
	EXPECT_EQ(0x5555555555555555ULL, d.cr14);
	/* Timer conditions need TIMERS. */
	EXPECT_EQ(EINVAL, s390_deliver(self->vcpu, 0, 0, 0, 0, KVMIRQ_S390_DELIVER_CKC, &d));
	EXPECT_EQ(EINVAL, s390_deliver(self->vcpu, 0, 0, 0, 0, KVMIRQ_S390_DELIVER_CPUTM, &d));
}

/* The whole ladder of §3.3, everything enabled. */
TEST_F(deliver, priority_ladder)
{
	static const int order[] = {
		P_MCHK_EX, P_PROG, P_EMERGENCY, P_EMERGENCY, P_EXTERNAL,
		P_CLOCK_COMP, P_CPU_TIMER, P_SERVICE_EV, P_SERVICE,
		P_PFAULT_INIT, P_PFAULT_DONE, P_VIRTIO, P_VIRTIO, P_IO0, P_IO3,
		P_IO3, P_IO7, P_RESTART, P_SET_PREFIX, -1,
	};
	struct kvmirq_s390_deliver d[ARRAY_SIZE(order)];
	struct kvm_s390_irq irq;
	unsigned int i;

	irq = (struct kvm_s390_irq){ .type = KVM_S390_PROGRAM_INT };
	irq.u.pgm.code = 0x11;
	inject(_metadata, self->vcpu, irq);
	inject(_metadata, self->vcpu, mchk(0, MCIC_PD));
	enqueue(_metadata, self->flic, mchk(CR14_CRW, 0x1));
	ASSERT_EQ(0, s390_irq_code(self->vcpu, KVM_S390_INT_EMERGENCY, 2));
	ASSERT_EQ(0, s390_irq_code(self->vcpu, KVM_S390_INT_EMERGENCY, 1));
	ASSERT_EQ(0, s390_irq_code(self->vcpu, KVM_S390_INT_EXTERNAL_CALL, 1));
	ASSERT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_INT_CLOCK_COMP));
	ASSERT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_INT_CPU_TIMER));
	enqueue(_metadata, self->flic, ext_irq(KVM_S390_INT_SERVICE, 0x1000, 0));
	enqueue(_metadata, self->flic, ext_irq(KVM_S390_INT_SERVICE, 1, 0));
	inject(_metadata, self->vcpu, ext_irq(KVM_S390_INT_PFAULT_INIT, 7, 0x77));
	enqueue(_metadata, self->flic, ext_irq(KVM_S390_INT_PFAULT_DONE, 0, 0x88));
	enqueue(_metadata, self->flic, ext_irq(KVM_S390_INT_VIRTIO, 1, 0x91));
	enqueue(_metadata, self->flic, ext_irq(KVM_S390_INT_VIRTIO, 2, 0x92));
	enqueue(_metadata, self->flic, io_irq(1, 70, 70, 7));
	enqueue(_metadata, self->flic, io_irq(1, 30, 30, 3));
	enqueue(_metadata, self->flic, io_irq(1, 0, 0, 0));
	enqueue(_metadata, self->flic, io_irq(1, 31, 31, 3));
	ASSERT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_RESTART));
	irq = (struct kvm_s390_irq){ .type = KVM_S390_SIGP_SET_PREFIX };
	irq.u.prefix.address = 0xfffff123;
	inject(_metadata, self->vcpu, irq);

	for (i = 0; i < ARRAY_SIZE(order); i++)
		EXPECT_EQ(order[i], s390_take(self->vcpu, &d[i])) TH_LOG("step %u", i);

	/* What the guest saw, per kind (§3.5). */
	EXPECT_EQ(KVM_S390_MCHK, d[0].irq.type);
	EXPECT_EQ(MCIC_PD | 1, d[0].irq.u.mchk.mcic);
	EXPECT_EQ(CR14_CRW, d[0].irq.u.mchk.cr14);
	EXPECT_EQ(0x11, d[1].irq.u.pgm.code);
	EXPECT_EQ(1, d[2].irq.u.emerg.code);
	EXPECT_EQ(2, d[3].irq.u.emerg.code);
	EXPECT_EQ(KVM_S390_INT_EXTERNAL_CALL, d[4].irq.type);
	EXPECT_EQ(1, d[4].irq.u.extcall.code);
	EXPECT_EQ(KVM_S390_INT_CLOCK_COMP, d[5].irq.type);
	EXPECT_EQ(KVM_S390_INT_CPU_TIMER, d[6].irq.type);
	EXPECT_EQ(KVM_S390_INT_SERVICE, d[7].irq.type);
	EXPECT_EQ(3, d[7].irq.u.ext.ext_params);
	EXPECT_EQ(0x1000, d[8].irq.u.ext.ext_params);
	EXPECT_EQ(KVM_S390_INT_PFAULT_INIT, d[9].irq.type);
	EXPECT_EQ(0x77, d[9].irq.u.ext.ext_params2);
	EXPECT_EQ(0x88, d[10].irq.u.ext.ext_params2);
	EXPECT_EQ(0x91, d[11].irq.u.ext.ext_params2);
	EXPECT_EQ(0x92, d[12].irq.u.ext.ext_params2);
	EXPECT_EQ(0, d[13].irq.u.io.subchannel_nr);
	EXPECT_EQ(30, d[14].irq.u.io.subchannel_nr);
	EXPECT_EQ(31, d[15].irq.u.io.subchannel_nr);
	EXPECT_EQ(70, d[16].irq.u.io.io_int_parm);
	EXPECT_EQ(KVM_S390_RESTART, d[17].irq.type);
	EXPECT_EQ(KVM_S390_SIGP_SET_PREFIX, d[18].irq.type);
	EXPECT_EQ(0x7fffe000, d[18].irq.u.prefix.address);
	EXPECT_EQ(KVMIRQ_S390_DELIVERED_IRQ, d[18].result);
	EXPECT_EQ(KVMIRQ_S390_DELIVERED_NONE, d[19].result);
	/* Everything went, local and floating. */
	EXPECT_EQ(0, s390_get_state(self->vcpu, d, sizeof(d)));
	EXPECT_EQ(0, flic_get(self->flic, KVM_DEV_FLIC_GET_ALL_IRQS, sizeof(d), d));
}

/* PEEK with the given masks: the pend_bit chosen, or -1. */
static int peek(int vcpu, __u64 psw, __u64 cr0, __u64 cr6, __u64 cr14)
{
	struct kvmirq_s390_deliver d;

	if (s390_deliver(vcpu, psw, cr0, cr6, cr14, KVMIRQ_S390_DELIVER_PEEK, &d))
		return -2;
	return d.result == KVMIRQ_S390_DELIVERED_IRQ ? (int)d.pend_bit : -1;
}

struct mask_case {
	int bit;
	__u64 psw, cr0, cr6, cr14;	/* the minimum that enables it */
};

static const struct mask_case mask_cases[] = {
	{ P_EMERGENCY, PSW_EXT, 0x4000, 0, 0 },
	{ P_EXTERNAL, PSW_EXT, 0x2000, 0, 0 },
	{ P_CLOCK_COMP, PSW_EXT, 0x0800, 0, 0 },
	{ P_CPU_TIMER, PSW_EXT, 0x0400, 0, 0 },
	{ P_SERVICE, PSW_EXT, 0x0200, 0, 0 },
	/* KVM ABI: no CR0 submask gates virtio and pfault. */
	{ P_VIRTIO, PSW_EXT, 0, 0, 0 },
	{ P_PFAULT_DONE, PSW_EXT, 0, 0, 0 },
	{ P_PFAULT_INIT, PSW_EXT, 0, 0, 0 },
	{ P_IO0, PSW_IO, 0, 0x80000000, 0 },
	{ P_IO5, PSW_IO, 0, 0x04000000, 0 },
	{ P_IO7, PSW_IO, 0, 0x01000000, 0 },
	{ P_MCHK_EX, PSW_MCHECK, 0, 0, 0 },
	{ P_MCHK_REP, PSW_MCHECK, 0, 0, CR14_CRW },
	{ P_PROG, 0, 0, 0, 0 },
	{ P_RESTART, 0, 0, 0, 0 },
	{ P_SET_PREFIX, 0, 0, 0, 0 },
};

static void inject_kind(struct __test_metadata *_metadata,
			FIXTURE_DATA(deliver) * self, int bit)
{
	switch (bit) {
	case P_EMERGENCY:
		ASSERT_EQ(0, s390_irq_code(self->vcpu, KVM_S390_INT_EMERGENCY, 2));
		break;
	case P_EXTERNAL:
		ASSERT_EQ(0, s390_irq_code(self->vcpu, KVM_S390_INT_EXTERNAL_CALL, 2));
		break;
	case P_CLOCK_COMP:
		ASSERT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_INT_CLOCK_COMP));
		break;
	case P_CPU_TIMER:
		ASSERT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_INT_CPU_TIMER));
		break;
	case P_SERVICE:
		enqueue(_metadata, self->flic, ext_irq(KVM_S390_INT_SERVICE, 8, 0));
		break;
	case P_VIRTIO:
		enqueue(_metadata, self->flic, ext_irq(KVM_S390_INT_VIRTIO, 0, 0));
		break;
	case P_PFAULT_DONE:
		enqueue(_metadata, self->flic, ext_irq(KVM_S390_INT_PFAULT_DONE, 0, 0));
		break;
	case P_PFAULT_INIT:
		inject(_metadata, self->vcpu, ext_irq(KVM_S390_INT_PFAULT_INIT, 0, 0));
		break;
	case P_IO0:
	case P_IO5:
	case P_IO7:
		enqueue(_metadata, self->flic, io_irq(1, 1, 1, P_IO0 - bit));
		break;
	case P_MCHK_EX:
		inject(_metadata, self->vcpu, mchk(0, MCIC_SD));
		break;
	case P_MCHK_REP:
		enqueue(_metadata, self->flic, mchk(CR14_CRW, 0));
		break;
	case P_PROG:
		ASSERT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_PROGRAM_INT));
		break;
	case P_RESTART:
		ASSERT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_RESTART));
		break;
	case P_SET_PREFIX:
		ASSERT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_SIGP_SET_PREFIX));
		break;
	}
}

/* Each kind alone: deliverable with its minimum, not with any part missing. */
TEST_F(deliver, masking_matrix)
{
	struct kvmirq_s390_deliver d;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mask_cases); i++) {
		const struct mask_case *c = &mask_cases[i];

		inject_kind(_metadata, self, c->bit);
		EXPECT_EQ(c->bit, peek(self->vcpu, c->psw, c->cr0, c->cr6, c->cr14))
			TH_LOG("bit %d", c->bit);
		if (c->psw)
			EXPECT_EQ(-1, peek(self->vcpu, 0, CR0_ALL, CR6_ALL, CR14_ALL))
				TH_LOG("bit %d without PSW", c->bit);
		if (c->cr0)
			EXPECT_EQ(-1, peek(self->vcpu, PSW_ALL, CR0_ALL & ~c->cr0,
					   CR6_ALL, CR14_ALL)) TH_LOG("bit %d CR0", c->bit);
		if (c->cr6)
			EXPECT_EQ(-1, peek(self->vcpu, PSW_ALL, CR0_ALL,
					   CR6_ALL & ~c->cr6, CR14_ALL))
				TH_LOG("bit %d CR6", c->bit);
		if (c->cr14)
			EXPECT_EQ(-1, peek(self->vcpu, PSW_ALL, CR0_ALL, CR6_ALL,
					   CR14_ALL & ~c->cr14)) TH_LOG("bit %d CR14", c->bit);
		/* Taking it leaves nothing. */
		EXPECT_EQ(c->bit, s390_take(self->vcpu, &d));
		EXPECT_EQ(-1, s390_take(self->vcpu, &d)) TH_LOG("bit %d twice", c->bit);
	}
}

TEST_F(deliver, peek_does_not_dequeue)
{
	struct kvmirq_s390_deliver d;

	enqueue(_metadata, self->flic, io_irq(1, 1, 1, 2));
	enqueue(_metadata, self->flic, io_irq(1, 2, 2, 2));
	ASSERT_EQ(0, s390_deliver(self->vcpu, PSW_IO, 0, CR6_ALL, 0,
				  KVMIRQ_S390_DELIVER_PEEK, &d));
	EXPECT_EQ(P_IO2, d.pend_bit);
	EXPECT_EQ(1, d.irq.u.io.subchannel_nr);
	ASSERT_EQ(0, s390_deliver(self->vcpu, PSW_IO, 0, CR6_ALL, 0,
				  KVMIRQ_S390_DELIVER_PEEK, &d));
	EXPECT_EQ(1, d.irq.u.io.subchannel_nr);
	EXPECT_EQ(P_IO2, s390_take(self->vcpu, &d));
	EXPECT_EQ(1, d.irq.u.io.subchannel_nr);
	EXPECT_EQ(P_IO2, s390_take(self->vcpu, &d));
	EXPECT_EQ(2, d.irq.u.io.subchannel_nr);
	/* Floating interrupts go to whichever vcpu delivers first. */
	enqueue(_metadata, self->flic, io_irq(1, 3, 3, 2));
	EXPECT_EQ(P_IO2, s390_take(self->v2, &d));
	EXPECT_EQ(-1, s390_take(self->vcpu, &d));
}

TEST_F(deliver, service_split)
{
	struct kvmirq_s390_deliver d;

	/* KVM ABI: P=1 marks SERVICE_EV and SERVICE: two interruptions. */
	enqueue(_metadata, self->flic, ext_irq(KVM_S390_INT_SERVICE, 1, 0));
	EXPECT_EQ(P_SERVICE_EV, s390_take(self->vcpu, &d));
	EXPECT_EQ(3, d.irq.u.ext.ext_params);
	EXPECT_EQ(P_SERVICE, s390_take(self->vcpu, &d));
	EXPECT_EQ(0, d.irq.u.ext.ext_params);
	EXPECT_EQ(-1, s390_take(self->vcpu, &d));
	/* An SCCB with later events: EV first, then SCCB with no events. */
	enqueue(_metadata, self->flic, ext_irq(KVM_S390_INT_SERVICE, 0x8000, 0));
	enqueue(_metadata, self->flic, ext_irq(KVM_S390_INT_SERVICE, 2, 0));
	EXPECT_EQ(P_SERVICE_EV, s390_take(self->vcpu, &d));
	EXPECT_EQ(P_SERVICE, s390_take(self->vcpu, &d));
	EXPECT_EQ(0x8000, d.irq.u.ext.ext_params);
	/* An SCCB alone: no EV. */
	enqueue(_metadata, self->flic, ext_irq(KVM_S390_INT_SERVICE, 0x8000, 0));
	EXPECT_EQ(P_SERVICE, s390_take(self->vcpu, &d));
	EXPECT_EQ(-1, s390_take(self->vcpu, &d));
}

TEST_F(deliver, mchk_merging_on_delivery)
{
	struct kvmirq_s390_deliver d;
	struct kvm_s390_irq st[2];

	/* KVM ABI: a floating mchk masked by CR14 goes along with a local EX. */
	enqueue(_metadata, self->flic, mchk(CR14_CRW, 0x10));
	inject(_metadata, self->vcpu, mchk(0, MCIC_SD));
	ASSERT_EQ(0, s390_deliver(self->vcpu, PSW_MCHECK, 0, 0, 0, 0, &d));
	EXPECT_EQ(P_MCHK_EX, d.pend_bit);
	EXPECT_EQ(MCIC_SD | 0x10, d.irq.u.mchk.mcic);
	EXPECT_EQ(0, flic_get(self->flic, KVM_DEV_FLIC_GET_ALL_IRQS, sizeof(st), st));
	EXPECT_EQ(-1, s390_take(self->vcpu, &d));

	/* KVM ABI: a stale local CR14 (no class, not pending) enables REP. */
	inject(_metadata, self->vcpu, mchk(0x40, 0));
	EXPECT_EQ(0, s390_get_state(self->vcpu, st, sizeof(st)));
	enqueue(_metadata, self->flic, mchk(0, 0x20));
	EXPECT_EQ(-1, peek(self->vcpu, PSW_MCHECK, 0, 0, CR14_CRW));
	EXPECT_EQ(P_MCHK_REP, peek(self->vcpu, PSW_MCHECK, 0, 0, 0x40));
	ASSERT_EQ(0, s390_deliver(self->vcpu, PSW_MCHECK, 0, 0, 0x40, 0, &d));
	EXPECT_EQ(0x20, d.irq.u.mchk.mcic);
	EXPECT_EQ(0, d.irq.u.mchk.cr14);	/* the local slot was not pending */
	/* The local slot stays accumulated until a local mchk is delivered. */
	inject(_metadata, self->vcpu, mchk(0, MCIC_WARN));
	ASSERT_EQ(0, s390_deliver(self->vcpu, PSW_MCHECK, 0, 0, 0x40, 0, &d));
	EXPECT_EQ(P_MCHK_REP, d.pend_bit);
	EXPECT_EQ(0x40, d.irq.u.mchk.cr14);
	EXPECT_EQ(MCIC_WARN, d.irq.u.mchk.mcic);
	EXPECT_EQ(-1, peek(self->vcpu, PSW_MCHECK, 0, 0, 0x40));
}

TEST_F(deliver, pfault_init_keeps_params)
{
	struct kvmirq_s390_deliver d;
	struct kvm_s390_irq st[2];

	inject(_metadata, self->vcpu, ext_irq(KVM_S390_INT_PFAULT_INIT, 5, 6));
	EXPECT_EQ(P_PFAULT_INIT, s390_take(self->vcpu, &d));
	EXPECT_EQ(5, d.irq.u.ext.ext_params);
	EXPECT_EQ(6, d.irq.u.ext.ext_params2);
	EXPECT_EQ(0, s390_get_state(self->vcpu, st, sizeof(st)));
	/* A program interrupt slot is zeroed: no merge into a delivered one. */
	st[0] = (struct kvm_s390_irq){ .type = KVM_S390_PROGRAM_INT };
	st[0].u.pgm.code = 0x80;
	inject(_metadata, self->vcpu, st[0]);
	EXPECT_EQ(P_PROG, s390_take(self->vcpu, &d));
	st[0].u.pgm.code = 0x04;
	inject(_metadata, self->vcpu, st[0]);
	EXPECT_EQ(P_PROG, s390_take(self->vcpu, &d));
	EXPECT_EQ(0x04, d.irq.u.pgm.code);
}

TEST_F(deliver, timers)
{
	struct kvmirq_s390_deliver d;
	struct kvm_s390_irq st[2];
	const __u32 t = KVMIRQ_S390_DELIVER_TIMERS;

	/* Without TIMERS an injected CKC is sticky while masked. */
	ASSERT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_INT_CLOCK_COMP));
	EXPECT_EQ(-1, peek(self->vcpu, PSW_EXT, 0, 0, 0));
	EXPECT_EQ(IRQ_SIZE, s390_get_state(self->vcpu, st, sizeof(st)));
	/* KVM ABI: with TIMERS the bits follow the conditions; PEEK keeps state. */
	ASSERT_EQ(0, s390_deliver(self->vcpu, PSW_EXT, CR0_ALL, 0, 0,
				  t | KVMIRQ_S390_DELIVER_PEEK, &d));
	EXPECT_EQ(KVMIRQ_S390_DELIVERED_NONE, d.result);
	EXPECT_EQ(IRQ_SIZE, s390_get_state(self->vcpu, st, sizeof(st)));
	ASSERT_EQ(0, s390_deliver(self->vcpu, PSW_EXT, CR0_ALL, 0, 0, t, &d));
	EXPECT_EQ(KVMIRQ_S390_DELIVERED_NONE, d.result);
	EXPECT_EQ(0, s390_get_state(self->vcpu, st, sizeof(st)));
	/* A due clock comparator and a negative CPU timer, enabled. */
	ASSERT_EQ(0, s390_deliver(self->vcpu, PSW_EXT, CR0_ALL, 0, 0,
				  t | KVMIRQ_S390_DELIVER_CKC | KVMIRQ_S390_DELIVER_CPUTM, &d));
	EXPECT_EQ(P_CLOCK_COMP, d.pend_bit);
	EXPECT_EQ(KVM_S390_INT_CLOCK_COMP, d.irq.type);
	/* ... not pending when disabled: CR0 or PSW. */
	ASSERT_EQ(0, s390_deliver(self->vcpu, PSW_EXT, 0x0800, 0, 0,
				  t | KVMIRQ_S390_DELIVER_CPUTM, &d));
	EXPECT_EQ(KVMIRQ_S390_DELIVERED_NONE, d.result);
	ASSERT_EQ(0, s390_deliver(self->vcpu, PSW_EXT, 0x0400, 0, 0,
				  t | KVMIRQ_S390_DELIVER_CPUTM, &d));
	EXPECT_EQ(P_CPU_TIMER, d.pend_bit);
	ASSERT_EQ(0, s390_deliver(self->vcpu, 0, CR0_ALL, 0, 0,
				  t | KVMIRQ_S390_DELIVER_CKC, &d));
	EXPECT_EQ(KVMIRQ_S390_DELIVERED_NONE, d.result);
}

TEST_F(deliver, stop)
{
	struct kvmirq_s390_deliver d;
	struct kvm_s390_irq irq = { .type = KVM_S390_SIGP_STOP };
	struct kvm_s390_irq st[2];
	const __u32 stop = KVMIRQ_S390_DELIVER_STOP;

	ASSERT_EQ(0, s390_mp(self->vcpu, KVM_MP_STATE_OPERATING));
	ASSERT_EQ(0, s390_irq(self->vcpu, &irq));
	ASSERT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_RESTART));
	/* Never delivered without STOP; with STOP only once nothing else is. */
	EXPECT_EQ(P_RESTART, s390_take(self->vcpu, &d));
	EXPECT_EQ(-1, s390_take(self->vcpu, &d));
	enqueue(_metadata, self->flic, io_irq(1, 1, 1, 0));
	ASSERT_EQ(0, s390_deliver(self->vcpu, PSW_ALL, CR0_ALL, CR6_ALL, 0, stop, &d));
	EXPECT_EQ(P_IO0, d.pend_bit);
	/* Masked interrupts do not hold the stop back. */
	enqueue(_metadata, self->flic, io_irq(1, 1, 1, 0));
	ASSERT_EQ(0, s390_deliver(self->vcpu, 0, 0, 0, 0, stop | KVMIRQ_S390_DELIVER_PEEK, &d));
	EXPECT_EQ(KVMIRQ_S390_DELIVERED_STOP, d.result);
	EXPECT_EQ(P_STOP, d.pend_bit);
	EXPECT_EQ(KVM_S390_SIGP_STOP, d.irq.type);
	/*
	 * KVM ABI: once userspace controls the cpu state (any SET_MP_STATE),
	 * the stop intercept leaves the stop pending for userspace.
	 */
	ASSERT_EQ(0, s390_deliver(self->vcpu, 0, 0, 0, 0, stop, &d));
	EXPECT_EQ(KVMIRQ_S390_DELIVERED_STOP, d.result);
	EXPECT_EQ(KVM_MP_STATE_OPERATING, ioctl(self->vcpu, KVM_GET_MP_STATE, st));
	ASSERT_EQ(IRQ_SIZE, s390_get_state(self->vcpu, st, sizeof(st)));
	EXPECT_EQ(KVM_S390_SIGP_STOP, st[0].type);
	ASSERT_EQ(0, s390_mp(self->vcpu, KVM_MP_STATE_STOPPED));
	EXPECT_EQ(0, s390_get_state(self->vcpu, st, sizeof(st)));
	/* Store status needs guest memory kvmirq does not have: EFAULT. */
	ASSERT_EQ(0, s390_mp(self->vcpu, KVM_MP_STATE_OPERATING));
	irq.u.stop.flags = KVM_S390_STOP_FLAG_STORE_STATUS;
	ASSERT_EQ(0, s390_irq(self->vcpu, &irq));
	EXPECT_EQ(EFAULT, s390_deliver(self->vcpu, 0, 0, 0, 0, stop, &d));
	EXPECT_EQ(IRQ_SIZE, s390_get_state(self->vcpu, st, sizeof(st)));
}

#define THREADS		4
#define PER_THREAD	2000

struct injector {
	int vm;
	int vcpu;
	int index;
	int errors;
};

static void *inject_thread(void *arg)
{
	struct injector *in = arg;
	struct kvm_s390_interrupt s = { .type = 1 };
	struct kvm_s390_irq r = { .type = KVM_S390_RESTART };
	int i;

	for (i = 0; i < PER_THREAD; i++) {
		/* Each thread its own ISC, so its order is kept. */
		s.parm = in->index << 16 | i;
		s.parm64 = (__u64)i << 32 | (__u32)in->index << 27;
		if (ioctl(in->vm, KVM_S390_INTERRUPT, &s))
			in->errors++;
		if (ioctl(in->vcpu, KVM_S390_IRQ, &r))
			in->errors++;
	}
	return NULL;
}

TEST_F(deliver, concurrent_injection)
{
	struct injector in[THREADS];
	pthread_t threads[THREADS];
	int next[THREADS] = { 0 };
	struct kvmirq_s390_deliver d;
	int got = 0, spins = 0, t, bit;

	for (t = 0; t < THREADS; t++) {
		in[t] = (struct injector){ self->vm, self->vcpu, t, 0 };
		ASSERT_EQ(0, pthread_create(&threads[t], NULL, inject_thread, &in[t]));
	}
	while (got < THREADS * PER_THREAD && spins < 100000000) {
		bit = s390_take(self->vcpu, &d);
		ASSERT_GE(bit, -1);
		if (bit == P_RESTART)
			continue;
		if (bit < 0) {
			spins++;
			continue;
		}
		t = d.irq.u.io.subchannel_id;
		ASSERT_LT(t, THREADS);
		EXPECT_EQ(P_IO0 - t, bit);
		EXPECT_EQ(next[t], d.irq.u.io.subchannel_nr);
		EXPECT_EQ(next[t], d.irq.u.io.io_int_parm);
		next[t]++;
		got++;
	}
	for (t = 0; t < THREADS; t++) {
		pthread_join(threads[t], NULL);
		EXPECT_EQ(0, in[t].errors);
		EXPECT_EQ(PER_THREAD, next[t]);
	}
	EXPECT_EQ(THREADS * PER_THREAD, got);
	while (s390_take(self->vcpu, &d) == P_RESTART)
		;
	EXPECT_EQ(-1, s390_take(self->vcpu, &d));
}

#define CHAOS_ROUNDS	3000

struct chaos {
	int vm, flic, vcpu, role;
};

static void *chaos_thread(void *arg)
{
	struct chaos *c = arg;
	struct kvm_s390_irq irq[4], buf[8];
	struct kvmirq_s390_deliver d;
	int i;

	for (i = 0; i < CHAOS_ROUNDS; i++) {
		switch (c->role) {
		case 0:
			irq[0] = ext_irq(KVM_S390_INT_VIRTIO, i, i);
			irq[1] = io_irq(1, i, i, i % 8);
			irq[2] = ext_irq(KVM_S390_INT_PFAULT_DONE, 0, i);
			irq[3] = ext_irq(KVM_S390_INT_SERVICE, 8 * i + 1, 0);
			flic_enqueue(c->flic, irq, 4);
			break;
		case 1:
			if (i % 64 == 0)
				flic_set(c->flic, KVM_DEV_FLIC_CLEAR_IRQS, 0, NULL);
			flic_get(c->flic, KVM_DEV_FLIC_GET_ALL_IRQS, sizeof(buf), buf);
			break;
		case 2:
			s390_irq_code(c->vcpu, KVM_S390_INT_EMERGENCY, i % 3);
			s390_irq_type(c->vcpu, KVM_S390_PROGRAM_INT);
			s390_get_state(c->vcpu, buf, sizeof(buf));
			break;
		default:
			s390_take(c->vcpu, &d);
			break;
		}
	}
	return NULL;
}

/* Everything at once; afterwards the queue counters are still exact. */
TEST_F(deliver, chaos_counters_consistent)
{
	struct chaos c[5];
	pthread_t t[5];
	struct kvm_s390_irq *buf;
	struct kvmirq_s390_deliver d;
	int i;

	for (i = 0; i < 5; i++) {
		c[i] = (struct chaos){ self->vm, self->flic, self->vcpu, i };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, chaos_thread, &c[i]));
	}
	for (i = 0; i < 5; i++)
		pthread_join(t[i], NULL);
	/* Drain what is left through delivery, then fill virtio exactly. */
	while (s390_take(self->vcpu, &d) >= 0)
		;
	buf = calloc(87382, IRQ_SIZE);
	ASSERT_NE(NULL, buf);
	EXPECT_EQ(0, flic_get(self->flic, KVM_DEV_FLIC_GET_ALL_IRQS, 87382 * IRQ_SIZE, buf));
	for (i = 0; i < 87382; i++)
		buf[i] = ext_irq(KVM_S390_INT_VIRTIO, i, 0);
	EXPECT_EQ(0, flic_enqueue(self->flic, buf, 87381));
	EXPECT_EQ(EBUSY, kvmirq_errno(flic_enqueue(self->flic, &buf[87381], 1)));
	EXPECT_EQ(0, s390_get_state(self->vcpu, buf, IRQ_SIZE));
	free(buf);
}

TEST_HARNESS_MAIN
