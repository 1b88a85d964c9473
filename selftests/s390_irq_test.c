// SPDX-License-Identifier: GPL-2.0
/*
 * s390 local interrupts: KVM_S390_IRQ, the vcpu and VM KVM_S390_INTERRUPT,
 * KVM_S390_GET/SET_IRQ_STATE, KVM_GET/SET_MP_STATE, capabilities.
 * kvmirq only: this host has no s390 KVM to compare with.
 */
#include <sys/wait.h>

#include "s390_test.h"

FIXTURE(s390irq) {
	int dev;
	int kvmirq;
	int vm;
	int vcpu;	/* id 0 */
	int other;	/* id 5 */
};

FIXTURE_SETUP(s390irq)
{
	self->vm = -1;
	self->vcpu = -1;
	self->other = -1;
	KVMIRQ_OPEN_OR_SKIP();
	KVMIRQ_ONLY();
	self->vm = s390_vm(self->dev);
	ASSERT_GE(self->vm, 0);
	self->vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(self->vcpu, 0);
	self->other = ioctl(self->vm, KVM_CREATE_VCPU, 5);
	ASSERT_GE(self->other, 0);
}

FIXTURE_TEARDOWN(s390irq)
{
	CLOSE_FDS(self->other, self->vcpu, self->vm, self->dev);
}

/* Reads the vcpu's local state; returns the number of records. */
static int get_all(struct __test_metadata *_metadata, int vcpu,
		   struct kvm_s390_irq *buf, int max)
{
	int r;

	memset(buf, 0xaa, max * IRQ_SIZE);
	r = s390_get_state(vcpu, buf, max * IRQ_SIZE);
	EXPECT_GE(r, 0);
	EXPECT_EQ(0, r % IRQ_SIZE);
	return r < 0 ? r : r / IRQ_SIZE;
}

TEST_F(s390irq, caps)
{
	static const long one[] = {
		KVM_CAP_S390_IRQCHIP, KVM_CAP_MP_STATE, KVM_CAP_S390_INJECT_IRQ,
		KVM_CAP_S390_USER_SIGP, KVM_CAP_S390_IRQ_STATE,
		KVM_CAP_S390_AIS, KVM_CAP_S390_AIS_MIGRATION,
		KVM_CAP_ASYNC_PF, KVM_CAP_DEVICE_CTRL,
	};
	unsigned int i;
	int x86;

	for (i = 0; i < ARRAY_SIZE(one); i++)
		EXPECT_EQ(1, ioctl(self->vm, KVM_CHECK_EXTENSION, one[i]))
			TH_LOG("cap %ld", one[i]);
	EXPECT_EQ(0, ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP));
	/* An x86 VM of kvmirq answers none of them. */
	x86 = ioctl(self->dev, KVM_CREATE_VM, 0);
	ASSERT_GE(x86, 0);
	EXPECT_EQ(0, ioctl(x86, KVM_CHECK_EXTENSION, KVM_CAP_S390_INJECT_IRQ));
	close(x86);
}

TEST_F(s390irq, enable_cap)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_S390_IRQCHIP };
	int vm2;

	/* KVM ABI: KVM_CREATE_IRQCHIP needs KVM_CAP_S390_IRQCHIP first. */
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_CREATE_IRQCHIP, 0)));
	cap.flags = 1;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_ENABLE_CAP, &cap)));
	cap.flags = 0;
	EXPECT_EQ(0, ioctl(self->vm, KVM_ENABLE_CAP, &cap));
	EXPECT_EQ(0, ioctl(self->vm, KVM_CREATE_IRQCHIP, 0));
	EXPECT_EQ(0, ioctl(self->vm, KVM_CREATE_IRQCHIP, 0));
	cap.cap = KVM_CAP_S390_USER_SIGP;
	EXPECT_EQ(0, ioctl(self->vm, KVM_ENABLE_CAP, &cap));
	cap.cap = KVM_CAP_S390_INJECT_IRQ;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_ENABLE_CAP, &cap)));
	/* KVM ABI: AIS is a CPU-model facility, fixed once a vcpu exists. */
	cap.cap = KVM_CAP_S390_AIS;
	EXPECT_EQ(EBUSY, kvmirq_errno(ioctl(self->vm, KVM_ENABLE_CAP, &cap)));
	vm2 = s390_vm(self->dev);
	ASSERT_GE(vm2, 0);
	EXPECT_EQ(0, ioctl(vm2, KVM_ENABLE_CAP, &cap));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(vm2, KVM_ENABLE_CAP, NULL)));
	close(vm2);
}

TEST_F(s390irq, every_local_type)
{
	struct kvm_s390_irq buf[16];
	static const __u64 types[] = {
		KVM_S390_SIGP_SET_PREFIX, KVM_S390_RESTART,
		KVM_S390_INT_PFAULT_INIT, KVM_S390_INT_CPU_TIMER,
		KVM_S390_INT_CLOCK_COMP, KVM_S390_INT_EXTERNAL_CALL,
		KVM_S390_PROGRAM_INT, KVM_S390_INT_EMERGENCY,
	};
	unsigned int i;

	/* Ascending priority, as GET_IRQ_STATE lists them. */
	for (i = 0; i < ARRAY_SIZE(types); i++)
		EXPECT_EQ(0, s390_irq_type(self->vcpu, types[i]));
	ASSERT_EQ(8, get_all(_metadata, self->vcpu, buf, 16));
	for (i = 0; i < 8; i++)
		EXPECT_EQ(types[i], buf[i].type) TH_LOG("record %u", i);
	/* A machine check with a repressible code is one more. */
	buf[0].type = KVM_S390_MCHK;
	memset(&buf[0].u, 0, sizeof(buf[0].u));
	buf[0].u.mchk.mcic = MCIC_DEGR;
	EXPECT_EQ(0, s390_irq(self->vcpu, &buf[0]));
	ASSERT_EQ(9, get_all(_metadata, self->vcpu, buf, 16));
	EXPECT_EQ(KVM_S390_MCHK, buf[6].type);
	/* A stop on a stopped vcpu is dropped: vcpus start stopped. */
	EXPECT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_SIGP_STOP));
	EXPECT_EQ(9, get_all(_metadata, self->vcpu, buf, 16));
}

TEST_F(s390irq, floating_and_unknown_types)
{
	static const __u64 bad[] = {
		KVM_S390_INT_VIRTIO, KVM_S390_INT_SERVICE,
		KVM_S390_INT_PFAULT_DONE, 0, AI_TYPE, KVM_S390_INT_IO_MAX,
		0xfffe0006, 0xffff1203, 0xffffffff, 0x1fffe0001ULL,
		0xfffe0001ULL << 32,
	};
	struct kvm_s390_irq buf[2];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(EINVAL, s390_irq_type(self->vcpu, bad[i]))
			TH_LOG("type %#llx", (unsigned long long)bad[i]);
	EXPECT_EQ(0, get_all(_metadata, self->vcpu, buf, 2));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vcpu, KVM_S390_IRQ, NULL)));
}

TEST_F(s390irq, stop)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_SIGP_STOP };
	struct kvm_s390_irq buf[2];

	/* KVM ABI: the flag check comes first, even on a stopped vcpu. */
	irq.u.stop.flags = 2;
	EXPECT_EQ(EINVAL, s390_irq(self->vcpu, &irq));
	/* KVM ABI: store status on a stopped vcpu: no guest memory, EFAULT. */
	irq.u.stop.flags = KVM_S390_STOP_FLAG_STORE_STATUS;
	EXPECT_EQ(EFAULT, s390_irq(self->vcpu, &irq));
	EXPECT_EQ(0, get_all(_metadata, self->vcpu, buf, 2));

	ASSERT_EQ(0, s390_mp(self->vcpu, KVM_MP_STATE_OPERATING));
	EXPECT_EQ(0, s390_irq(self->vcpu, &irq));
	ASSERT_EQ(1, get_all(_metadata, self->vcpu, buf, 2));
	EXPECT_EQ(KVM_S390_SIGP_STOP, buf[0].type);
	EXPECT_EQ(1, buf[0].u.stop.flags);
	irq.u.stop.flags = 0;
	EXPECT_EQ(EBUSY, s390_irq(self->vcpu, &irq));
	irq.u.stop.flags = 0x80000000;
	EXPECT_EQ(EINVAL, s390_irq(self->vcpu, &irq));
	/* KVM ABI: entering STOPPED clears the stop and its flags. */
	ASSERT_EQ(0, s390_mp(self->vcpu, KVM_MP_STATE_STOPPED));
	EXPECT_EQ(0, get_all(_metadata, self->vcpu, buf, 2));
	ASSERT_EQ(0, s390_mp(self->vcpu, KVM_MP_STATE_OPERATING));
	irq.u.stop.flags = 0;
	EXPECT_EQ(0, s390_irq(self->vcpu, &irq));
	ASSERT_EQ(1, get_all(_metadata, self->vcpu, buf, 2));
	EXPECT_EQ(0, buf[0].u.stop.flags);
}

TEST_F(s390irq, set_prefix)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_SIGP_SET_PREFIX };
	struct kvm_s390_irq buf[2];

	irq.u.prefix.address = 0xffffffff;
	EXPECT_EQ(0, s390_irq(self->vcpu, &irq));
	irq.u.prefix.address = 0x12345;
	EXPECT_EQ(0, s390_irq(self->vcpu, &irq));
	ASSERT_EQ(1, get_all(_metadata, self->vcpu, buf, 2));
	/* KVM ABI: overwritten silently; the raw address is kept. */
	EXPECT_EQ(0x12345, buf[0].u.prefix.address);
	ASSERT_EQ(0, s390_mp(self->vcpu, KVM_MP_STATE_OPERATING));
	EXPECT_EQ(EBUSY, s390_irq(self->vcpu, &irq));
	/* RESTART is taken in both states. */
	EXPECT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_RESTART));
	EXPECT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_RESTART));
	EXPECT_EQ(2, get_all(_metadata, self->vcpu, buf, 2));
}

TEST_F(s390irq, external_call)
{
	struct kvm_s390_irq buf[2];

	/* KVM ABI: the source must be an existing vcpu id, not just < max. */
	EXPECT_EQ(EINVAL, s390_irq_code(self->vcpu, KVM_S390_INT_EXTERNAL_CALL, 1));
	EXPECT_EQ(EINVAL, s390_irq_code(self->vcpu, KVM_S390_INT_EXTERNAL_CALL, 0xffff));
	EXPECT_EQ(0, s390_irq_code(self->vcpu, KVM_S390_INT_EXTERNAL_CALL, 5));
	EXPECT_EQ(EBUSY, s390_irq_code(self->vcpu, KVM_S390_INT_EXTERNAL_CALL, 0));
	/* KVM ABI: the source check precedes the busy check. */
	EXPECT_EQ(EINVAL, s390_irq_code(self->vcpu, KVM_S390_INT_EXTERNAL_CALL, 2));
	ASSERT_EQ(1, get_all(_metadata, self->vcpu, buf, 2));
	EXPECT_EQ(KVM_S390_INT_EXTERNAL_CALL, buf[0].type);
	EXPECT_EQ(5, buf[0].u.extcall.code);
}

TEST_F(s390irq, emergency)
{
	struct kvm_s390_irq buf[4];

	EXPECT_EQ(EINVAL, s390_irq_code(self->vcpu, KVM_S390_INT_EMERGENCY, 4));
	EXPECT_EQ(EINVAL, s390_irq_code(self->vcpu, KVM_S390_INT_EMERGENCY, 300));
	EXPECT_EQ(0, s390_irq_code(self->vcpu, KVM_S390_INT_EMERGENCY, 5));
	EXPECT_EQ(0, s390_irq_code(self->vcpu, KVM_S390_INT_EMERGENCY, 0));
	/* KVM ABI: one per source; the same source again merges, no EBUSY. */
	EXPECT_EQ(0, s390_irq_code(self->vcpu, KVM_S390_INT_EMERGENCY, 5));
	EXPECT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_INT_CPU_TIMER));
	ASSERT_EQ(3, get_all(_metadata, self->vcpu, buf, 4));
	/* KVM ABI: emergencies after the bitmap, ascending source. */
	EXPECT_EQ(KVM_S390_INT_CPU_TIMER, buf[0].type);
	EXPECT_EQ(KVM_S390_INT_EMERGENCY, buf[1].type);
	EXPECT_EQ(0, buf[1].u.emerg.code);
	EXPECT_EQ(KVM_S390_INT_EMERGENCY, buf[2].type);
	EXPECT_EQ(5, buf[2].u.emerg.code);
}

static struct kvm_s390_irq pgm(__u16 code, __u8 flags)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_PROGRAM_INT };

	irq.u.pgm.code = code;
	irq.u.pgm.flags = flags;
	irq.u.pgm.trans_exc_code = 0x1000 + code;
	irq.u.pgm.mon_code = 0x2000 + code;
	irq.u.pgm.data_exc_code = 0x3000 + code;
	irq.u.pgm.mon_class_nr = 0x40 + code;
	irq.u.pgm.exc_access_id = 0x50 + code;
	irq.u.pgm.op_access_id = 0x60 + code;
	irq.u.pgm.per_address = 0x7000 + code;
	irq.u.pgm.per_code = 0x70 + code;
	irq.u.pgm.per_atmid = 0x80 + code;
	irq.u.pgm.per_access_id = 0x90 + code;
	return irq;
}

TEST_F(s390irq, program_merge)
{
	struct kvm_s390_irq irq, buf[2];

	/* KVM ABI: no code check; ILC auto-fill on a never-run vcpu: 0. */
	irq = pgm(0, 0);
	EXPECT_EQ(0, s390_irq(self->vcpu, &irq));
	ASSERT_EQ(1, get_all(_metadata, self->vcpu, buf, 2));
	EXPECT_EQ(0, buf[0].u.pgm.code);
	EXPECT_EQ(KVM_S390_PGM_FLAGS_ILC_VALID, buf[0].u.pgm.flags);

	/* (b) without PER: non-PER fields replaced, PER kept. */
	irq = pgm(0x11, KVM_S390_PGM_FLAGS_NO_REWIND | KVM_S390_PGM_FLAGS_ILC_1);
	EXPECT_EQ(0, s390_irq(self->other, &irq));
	irq = pgm(0x80, 0x07);
	EXPECT_EQ(0, s390_irq(self->other, &irq));
	/* (a) PER only: code |= 0x80, PER fields replaced. */
	ASSERT_EQ(1, get_all(_metadata, self->other, buf, 2));
	EXPECT_EQ(0x91, buf[0].u.pgm.code);
	EXPECT_EQ(0x07, buf[0].u.pgm.flags);
	EXPECT_EQ(0x1011, buf[0].u.pgm.trans_exc_code);
	EXPECT_EQ(0x7080, buf[0].u.pgm.per_address);
	EXPECT_EQ(0xf0, buf[0].u.pgm.per_code);
	EXPECT_EQ(0x0100 & 0xff, buf[0].u.pgm.per_atmid);
	/* (b) again: PER bit and PER fields kept, the rest replaced. */
	irq = pgm(0x04, 0x01);
	EXPECT_EQ(0, s390_irq(self->other, &irq));
	ASSERT_EQ(1, get_all(_metadata, self->other, buf, 2));
	EXPECT_EQ(0x84, buf[0].u.pgm.code);
	EXPECT_EQ(0x01, buf[0].u.pgm.flags);
	EXPECT_EQ(0x1004, buf[0].u.pgm.trans_exc_code);
	EXPECT_EQ(0x2004, buf[0].u.pgm.mon_code);
	EXPECT_EQ(0x3004, buf[0].u.pgm.data_exc_code);
	EXPECT_EQ(0x44, buf[0].u.pgm.mon_class_nr);
	EXPECT_EQ(0x54, buf[0].u.pgm.exc_access_id);
	EXPECT_EQ(0x64, buf[0].u.pgm.op_access_id);
	EXPECT_EQ(0x7080, buf[0].u.pgm.per_address);
	EXPECT_EQ(0x10, buf[0].u.pgm.per_access_id);
	/* (c) PER plus others: everything replaced; NO_REWIND kept by auto ILC. */
	irq = pgm(0x82, KVM_S390_PGM_FLAGS_NO_REWIND | KVM_S390_PGM_FLAGS_ILC_MASK);
	EXPECT_EQ(0, s390_irq(self->other, &irq));
	ASSERT_EQ(1, get_all(_metadata, self->other, buf, 2));
	EXPECT_EQ(0x82, buf[0].u.pgm.code);
	EXPECT_EQ(KVM_S390_PGM_FLAGS_NO_REWIND | KVM_S390_PGM_FLAGS_ILC_VALID,
		  buf[0].u.pgm.flags);
	EXPECT_EQ(0x7082, buf[0].u.pgm.per_address);
	EXPECT_EQ(0x1082, buf[0].u.pgm.trans_exc_code);
}

static struct kvm_s390_irq mchk(__u64 cr14, __u64 mcic, __u64 fsa,
				__u32 edc, __u8 logout)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_MCHK };

	irq.u.mchk.cr14 = cr14;
	irq.u.mchk.mcic = mcic;
	irq.u.mchk.failing_storage_address = fsa;
	irq.u.mchk.ext_damage_code = edc;
	memset(irq.u.mchk.fixed_logout, logout, 16);
	return irq;
}

TEST_F(s390irq, mchk_merge)
{
	struct kvm_s390_irq irq, buf[4];

	/* KVM ABI: neither class: kept but not pending (invisible). */
	irq = mchk(0x1, 0x1, 0x100, 0x10, 1);
	EXPECT_EQ(0, s390_irq(self->vcpu, &irq));
	EXPECT_EQ(0, get_all(_metadata, self->vcpu, buf, 4));
	irq = mchk(0x2, MCIC_WARN, 0x200, 0x20, 2);
	EXPECT_EQ(0, s390_irq(self->vcpu, &irq));
	ASSERT_EQ(1, get_all(_metadata, self->vcpu, buf, 4));
	EXPECT_EQ(0x3, buf[0].u.mchk.cr14);
	EXPECT_EQ(MCIC_WARN | 1, buf[0].u.mchk.mcic);
	EXPECT_EQ(0x30, buf[0].u.mchk.ext_damage_code);
	EXPECT_EQ(0x200, buf[0].u.mchk.failing_storage_address);
	EXPECT_EQ(2, buf[0].u.mchk.fixed_logout[15]);
	/* KVM ABI: REP then EX: both bits, two identical records. */
	irq = mchk(0x4, MCIC_PD, 0x300, 0, 3);
	EXPECT_EQ(0, s390_irq(self->vcpu, &irq));
	ASSERT_EQ(2, get_all(_metadata, self->vcpu, buf, 4));
	EXPECT_EQ(0, memcmp(&buf[0], &buf[1], IRQ_SIZE));
	EXPECT_EQ(MCIC_PD | MCIC_WARN | 1, buf[1].u.mchk.mcic);
	EXPECT_EQ(0x7, buf[1].u.mchk.cr14);
	/* Re-injected, the two records become one pending kind (EX). */
	ASSERT_EQ(0, s390_mp(self->other, KVM_MP_STATE_STOPPED));
	EXPECT_EQ(0, s390_set_state(self->other, buf, 2 * IRQ_SIZE));
	EXPECT_EQ(1, get_all(_metadata, self->other, buf, 4));
}

TEST_F(s390irq, legacy_vcpu_interrupt)
{
	struct kvm_s390_interrupt s = { .type = KVM_S390_PROGRAM_INT };
	struct kvm_s390_irq buf[8];

	s.parm = 0x10000;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vcpu, KVM_S390_INTERRUPT, &s)));
	s.parm = 0xffff;
	s.parm64 = 0x1234;
	EXPECT_EQ(0, ioctl(self->vcpu, KVM_S390_INTERRUPT, &s));
	s.type = KVM_S390_INT_EMERGENCY;
	s.parm = 0x10005;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vcpu, KVM_S390_INTERRUPT, &s)));
	s.parm = 5;
	EXPECT_EQ(0, ioctl(self->vcpu, KVM_S390_INTERRUPT, &s));
	s.type = KVM_S390_INT_EXTERNAL_CALL;
	s.parm = 0x10000;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vcpu, KVM_S390_INTERRUPT, &s)));
	s.parm = 0;
	EXPECT_EQ(0, ioctl(self->vcpu, KVM_S390_INTERRUPT, &s));
	/* KVM ABI: the vcpu path drops parm (cr14) of a machine check. */
	s.type = KVM_S390_MCHK;
	s.parm = 0xffffffff;
	s.parm64 = MCIC_DEGR;
	EXPECT_EQ(0, ioctl(self->vcpu, KVM_S390_INTERRUPT, &s));
	s.type = KVM_S390_INT_PFAULT_INIT;
	s.parm = 0xabcd;
	s.parm64 = 0x1122334455667788ULL;
	EXPECT_EQ(0, ioctl(self->vcpu, KVM_S390_INTERRUPT, &s));
	s.type = KVM_S390_SIGP_SET_PREFIX;
	s.parm = 0x2000;
	EXPECT_EQ(0, ioctl(self->vcpu, KVM_S390_INTERRUPT, &s));
	s.type = KVM_S390_INT_VIRTIO;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vcpu, KVM_S390_INTERRUPT, &s)));
	s.type = KVM_S390_INT_SERVICE;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vcpu, KVM_S390_INTERRUPT, &s)));
	s.type = KVM_S390_INT_PFAULT_DONE;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vcpu, KVM_S390_INTERRUPT, &s)));
	s.type = 0;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vcpu, KVM_S390_INTERRUPT, &s)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vcpu, KVM_S390_INTERRUPT, NULL)));

	ASSERT_EQ(6, get_all(_metadata, self->vcpu, buf, 8));
	EXPECT_EQ(KVM_S390_SIGP_SET_PREFIX, buf[0].type);
	EXPECT_EQ(0x2000, buf[0].u.prefix.address);
	EXPECT_EQ(KVM_S390_INT_PFAULT_INIT, buf[1].type);
	EXPECT_EQ(0xabcd, buf[1].u.ext.ext_params);
	EXPECT_EQ(0x1122334455667788ULL, buf[1].u.ext.ext_params2);
	EXPECT_EQ(KVM_S390_INT_EXTERNAL_CALL, buf[2].type);
	EXPECT_EQ(KVM_S390_MCHK, buf[3].type);
	EXPECT_EQ(0, buf[3].u.mchk.cr14);
	EXPECT_EQ(MCIC_DEGR, buf[3].u.mchk.mcic);
	EXPECT_EQ(KVM_S390_PROGRAM_INT, buf[4].type);
	EXPECT_EQ(0xffff, buf[4].u.pgm.code);
	EXPECT_EQ(0, buf[4].u.pgm.trans_exc_code);
	EXPECT_EQ(KVM_S390_INT_EMERGENCY, buf[5].type);
	EXPECT_EQ(5, buf[5].u.emerg.code);
}

TEST_F(s390irq, legacy_vm_interrupt_types)
{
	struct kvm_s390_interrupt s = { .type = KVM_S390_PROGRAM_INT };
	static const __u32 local[] = {
		KVM_S390_SIGP_STOP, KVM_S390_PROGRAM_INT,
		KVM_S390_SIGP_SET_PREFIX, KVM_S390_RESTART,
		KVM_S390_INT_PFAULT_INIT, KVM_S390_INT_CLOCK_COMP,
		KVM_S390_INT_CPU_TIMER, KVM_S390_INT_EMERGENCY,
		KVM_S390_INT_EXTERNAL_CALL, 0xfffe0006, 0xffffffff,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(local); i++) {
		s.type = local[i];
		EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_S390_INTERRUPT, &s)));
	}
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_S390_INTERRUPT, NULL)));
	s.type = 0;
	EXPECT_EQ(0, ioctl(self->vm, KVM_S390_INTERRUPT, &s));
}

TEST_F(s390irq, get_irq_state)
{
	struct kvm_s390_irq buf[4];
	struct kvm_s390_irq_state st = { .buf = (uintptr_t)buf };

	/* KVM ABI: len 0 is EINVAL; flags and reserved are ignored. */
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vcpu, KVM_S390_GET_IRQ_STATE, &st)));
	st.len = 1;
	st.flags = 0xffffffff;
	st.reserved[3] = 7;
	EXPECT_EQ(0, ioctl(self->vcpu, KVM_S390_GET_IRQ_STATE, &st));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vcpu, KVM_S390_GET_IRQ_STATE, NULL)));

	ASSERT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_RESTART));
	ASSERT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_INT_CPU_TIMER));
	ASSERT_EQ(0, s390_irq_code(self->vcpu, KVM_S390_INT_EMERGENCY, 5));
	/* Exact fit, not a multiple: fine.  Result in bytes. */
	EXPECT_EQ(3 * IRQ_SIZE, s390_get_state(self->vcpu, buf, 3 * IRQ_SIZE));
	EXPECT_EQ(3 * IRQ_SIZE, s390_get_state(self->vcpu, buf, 3 * IRQ_SIZE + 71));
	/* KVM ABI: ENOBUFS keeps the records written. */
	memset(buf, 0xaa, sizeof(buf));
	EXPECT_EQ(ENOBUFS, kvmirq_errno(s390_get_state(self->vcpu, buf, 2 * IRQ_SIZE + 71)));
	EXPECT_EQ(KVM_S390_RESTART, buf[0].type);
	EXPECT_EQ(KVM_S390_INT_CPU_TIMER, buf[1].type);
	EXPECT_EQ(0xaaaaaaaaaaaaaaaaULL, buf[2].type);
	memset(buf, 0xaa, sizeof(buf));
	EXPECT_EQ(ENOBUFS, kvmirq_errno(s390_get_state(self->vcpu, buf, 1)));
	EXPECT_EQ(0xaaaaaaaaaaaaaaaaULL, buf[0].type);
	EXPECT_EQ(EFAULT, kvmirq_errno(s390_get_state(self->vcpu, NULL, 4 * IRQ_SIZE)));
	/* Floating interrupts are never included. */
	EXPECT_EQ(3, get_all(_metadata, self->vcpu, buf, 4));
}

TEST_F(s390irq, set_irq_state)
{
	static struct kvm_s390_irq big[287 + 1];
	struct kvm_s390_irq buf[4];
	struct kvm_s390_irq_state st = { .buf = (uintptr_t)big };
	int i;

	/* KVM ABI: 0, not a multiple of 72, or over 72 * 287: EINVAL. */
	EXPECT_EQ(EINVAL, kvmirq_errno(s390_set_state(self->vcpu, big, 0)));
	EXPECT_EQ(EINVAL, kvmirq_errno(s390_set_state(self->vcpu, big, 71)));
	EXPECT_EQ(EINVAL, kvmirq_errno(s390_set_state(self->vcpu, big, 288 * IRQ_SIZE)));
	EXPECT_EQ(EFAULT, kvmirq_errno(s390_set_state(self->vcpu, NULL, IRQ_SIZE)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vcpu, KVM_S390_SET_IRQ_STATE, NULL)));
	/* The cap, exactly: 287 restarts are one pending bit. */
	for (i = 0; i < 287; i++)
		big[i].type = KVM_S390_RESTART;
	st.len = 287 * IRQ_SIZE;
	st.flags = 0xffffffff;
	EXPECT_EQ(0, ioctl(self->vcpu, KVM_S390_SET_IRQ_STATE, &st));
	EXPECT_EQ(1, get_all(_metadata, self->vcpu, buf, 4));
	/* KVM ABI: anything pending: EBUSY, nothing injected. */
	buf[0].type = KVM_S390_INT_CPU_TIMER;
	EXPECT_EQ(EBUSY, kvmirq_errno(s390_set_state(self->vcpu, buf, IRQ_SIZE)));
	/* The copy is checked before the busy test. */
	EXPECT_EQ(EFAULT, kvmirq_errno(s390_set_state(self->vcpu, NULL, IRQ_SIZE)));
	EXPECT_EQ(1, get_all(_metadata, self->vcpu, buf, 4));

	/* KVM ABI: not atomic: the records before a failure stay. */
	memset(buf, 0, sizeof(buf));
	buf[0].type = KVM_S390_INT_CPU_TIMER;
	buf[1].type = KVM_S390_INT_EXTERNAL_CALL;
	buf[1].u.extcall.code = 3;
	buf[2].type = KVM_S390_RESTART;
	EXPECT_EQ(EINVAL, kvmirq_errno(s390_set_state(self->other, buf, 3 * IRQ_SIZE)));
	ASSERT_EQ(1, get_all(_metadata, self->other, buf, 4));
	EXPECT_EQ(KVM_S390_INT_CPU_TIMER, buf[0].type);
}

TEST_F(s390irq, irq_state_round_trip)
{
	struct kvm_s390_irq in[12], out[12], again[12];
	int n, vcpu2, vm2, other2;

	ASSERT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_RESTART));
	in[0] = pgm(0x11, 0x03);
	ASSERT_EQ(0, s390_irq(self->vcpu, &in[0]));
	in[0] = mchk(CR14_CRW, MCIC_EXTD, 0x40, 0x4, 9);
	ASSERT_EQ(0, s390_irq(self->vcpu, &in[0]));
	ASSERT_EQ(0, s390_irq_code(self->vcpu, KVM_S390_INT_EMERGENCY, 5));
	ASSERT_EQ(0, s390_irq_code(self->vcpu, KVM_S390_INT_EMERGENCY, 0));
	ASSERT_EQ(0, s390_irq_code(self->vcpu, KVM_S390_INT_EXTERNAL_CALL, 5));
	ASSERT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_INT_CLOCK_COMP));
	in[0] = ext_irq(KVM_S390_INT_PFAULT_INIT, 1, 2);
	ASSERT_EQ(0, s390_irq(self->vcpu, &in[0]));
	in[0].type = KVM_S390_SIGP_SET_PREFIX;
	in[0].u.prefix.address = 0x4000;
	ASSERT_EQ(0, s390_irq(self->vcpu, &in[0]));
	n = get_all(_metadata, self->vcpu, out, 12);
	ASSERT_EQ(9, n);

	/* A second VM with the same vcpu ids takes it all back. */
	vm2 = s390_vm(self->dev);
	ASSERT_GE(vm2, 0);
	vcpu2 = ioctl(vm2, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu2, 0);
	other2 = ioctl(vm2, KVM_CREATE_VCPU, 5);
	ASSERT_GE(other2, 0);
	ASSERT_EQ(0, s390_set_state(vcpu2, out, n * IRQ_SIZE));
	ASSERT_EQ(n, get_all(_metadata, vcpu2, again, 12));
	EXPECT_EQ(0, memcmp(out, again, n * IRQ_SIZE));
	close(other2);
	close(vcpu2);
	close(vm2);
}

TEST_F(s390irq, mp_state)
{
	struct kvm_mp_state mp = { .mp_state = 0x55 };

	/* KVM ABI: s390 returns the state as the result, struct untouched. */
	EXPECT_EQ(KVM_MP_STATE_STOPPED, ioctl(self->vcpu, KVM_GET_MP_STATE, &mp));
	EXPECT_EQ(0x55, mp.mp_state);
	EXPECT_EQ(0, s390_mp(self->vcpu, KVM_MP_STATE_OPERATING));
	EXPECT_EQ(KVM_MP_STATE_OPERATING, ioctl(self->vcpu, KVM_GET_MP_STATE, &mp));
	EXPECT_EQ(0, s390_mp(self->vcpu, KVM_MP_STATE_OPERATING));
	EXPECT_EQ(ENXIO, s390_mp(self->vcpu, KVM_MP_STATE_CHECK_STOP));
	EXPECT_EQ(ENXIO, s390_mp(self->vcpu, KVM_MP_STATE_LOAD));
	EXPECT_EQ(ENXIO, s390_mp(self->vcpu, KVM_MP_STATE_RUNNABLE));
	EXPECT_EQ(ENXIO, s390_mp(self->vcpu, 0xffffffff));
	EXPECT_EQ(KVM_MP_STATE_OPERATING, ioctl(self->vcpu, KVM_GET_MP_STATE, &mp));
	EXPECT_EQ(0, s390_mp(self->vcpu, KVM_MP_STATE_STOPPED));
	EXPECT_EQ(0, s390_mp(self->vcpu, KVM_MP_STATE_STOPPED));
	EXPECT_EQ(KVM_MP_STATE_STOPPED, ioctl(self->vcpu, KVM_GET_MP_STATE, &mp));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vcpu, KVM_SET_MP_STATE, NULL)));
	/* Each vcpu has its own state. */
	EXPECT_EQ(KVM_MP_STATE_STOPPED, ioctl(self->other, KVM_GET_MP_STATE, &mp));
}

TEST_F(s390irq, resets)
{
	static const unsigned long resets[] = {
		KVM_S390_NORMAL_RESET, KVM_S390_INITIAL_RESET, KVM_S390_CLEAR_RESET,
	};
	struct kvm_s390_interrupt io = { .type = 0 };
	struct kvm_s390_irq irq, buf[4];
	unsigned int i;
	int flic;

	EXPECT_EQ(1, ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_S390_VCPU_RESETS));
	flic = s390_flic(self->vm);
	ASSERT_GE(flic, 0);
	ASSERT_EQ(0, ioctl(self->vm, KVM_S390_INTERRUPT, &io));
	for (i = 0; i < ARRAY_SIZE(resets); i++) {
		ASSERT_EQ(0, s390_irq_type(self->vcpu, KVM_S390_RESTART));
		ASSERT_EQ(0, s390_irq_code(self->vcpu, KVM_S390_INT_EMERGENCY, 5));
		irq = mchk(0x40, 0, 0, 0, 0);	/* kept, not pending */
		ASSERT_EQ(0, s390_irq(self->vcpu, &irq));
		ASSERT_EQ(2, get_all(_metadata, self->vcpu, buf, 4));
		/* KVM ABI: resets clear every local interrupt, payloads too. */
		EXPECT_EQ(0, ioctl(self->vcpu, resets[i], 0));
		EXPECT_EQ(0, get_all(_metadata, self->vcpu, buf, 4));
		irq = mchk(0, MCIC_WARN, 0, 0, 0);
		ASSERT_EQ(0, s390_irq(self->vcpu, &irq));
		ASSERT_EQ(1, get_all(_metadata, self->vcpu, buf, 4));
		EXPECT_EQ(0, buf[0].u.mchk.cr14);
		EXPECT_EQ(0, ioctl(self->vcpu, resets[i], 0));
		/* ... and leave floating ones alone. */
		EXPECT_EQ(1, flic_get(flic, KVM_DEV_FLIC_GET_ALL_IRQS, sizeof(buf), buf));
	}
	/* With userspace in control of the cpu state, a reset does not stop. */
	ASSERT_EQ(0, s390_mp(self->vcpu, KVM_MP_STATE_OPERATING));
	EXPECT_EQ(0, ioctl(self->vcpu, KVM_S390_NORMAL_RESET, 0));
	EXPECT_EQ(KVM_MP_STATE_OPERATING, ioctl(self->vcpu, KVM_GET_MP_STATE, buf));
	close(flic);
}

/* KVM ABI: injection works from any thread, but not from another process. */
TEST_F(s390irq, foreign_process)
{
	pid_t pid = fork();
	int status;

	ASSERT_GE(pid, 0);
	if (!pid) {
		struct kvm_s390_irq irq = { .type = KVM_S390_RESTART };

		_exit(ioctl(self->vcpu, KVM_S390_IRQ, &irq) == -1 && errno == EIO ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
