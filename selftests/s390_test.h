/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the s390 selftests (kvmirq only: no s390 KVM host).
 */
#ifndef KVMIRQ_S390_TEST_H
#define KVMIRQ_S390_TEST_H

#include <stdint.h>

#include "kvmirq_test.h"
#include "s390_flic.h"
#include "vmstat.h"

#define IRQ_SIZE	((int)sizeof(struct kvm_s390_irq))
#define PSW_IO		0x0200000000000000ULL
#define PSW_EXT		0x0100000000000000ULL
#define PSW_MCHECK	0x0004000000000000ULL
#define PSW_ALL		(PSW_IO | PSW_EXT | PSW_MCHECK)
#define CR0_ALL		0x6e00ULL
#define CR6_ALL		0xff000000ULL
#define CR14_ALL	0xffffffffULL
#define MCIC_SD		0x8000000000000000ULL
#define MCIC_PD		0x4000000000000000ULL
#define MCIC_EXTD	0x0400000000000000ULL
#define MCIC_DEGR	0x0100000000000000ULL
#define MCIC_WARN	0x0080000000000000ULL
#define CR14_CRW	0x10000000ULL
#define AI_TYPE		0x04000000ULL

/* KVM's internal pending-interrupt numbers, as pend_bit reports them */
enum {
	P_SET_PREFIX = 0, P_RESTART, P_STOP, P_IO7, P_IO6, P_IO5, P_IO4,
	P_IO3, P_IO2, P_IO1, P_IO0, P_VIRTIO, P_PFAULT_DONE, P_PFAULT_INIT,
	P_EXT_HOST, P_SERVICE, P_SERVICE_EV, P_TIMING, P_CPU_TIMER,
	P_CLOCK_COMP, P_EXTERNAL, P_EMERGENCY, P_MALFUNC, P_IRQ_KEY,
	P_MCHK_REP, P_PROG, P_SVC, P_MCHK_EX,
};

static inline int s390_vm(int dev)
{
	return ioctl(dev, KVM_CREATE_VM, KVMIRQ_VM_S390);
}

static inline int s390_flic(int vm)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };

	return ioctl(vm, KVM_CREATE_DEVICE, &cd) ? -1 : (int)cd.fd;
}

/* For a FIXTURE_SETUP: an s390 VM in *@vm and its FLIC in *@flic. */
static inline void s390_vm_flic(struct __test_metadata *_metadata, int dev,
				int *vm, int *flic)
{
	*vm = s390_vm(dev);
	ASSERT_GE(*vm, 0);
	*flic = s390_flic(*vm);
	ASSERT_GE(*flic, 0);
}

/* KVM_S390_IRQ; the errno, 0 on success */
static inline int s390_irq(int vcpu, const struct kvm_s390_irq *irq)
{
	return kvmirq_errno(ioctl(vcpu, KVM_S390_IRQ, irq));
}

static inline int s390_irq_type(int vcpu, __u64 type)
{
	struct kvm_s390_irq irq = { .type = type };

	return s390_irq(vcpu, &irq);
}

static inline int s390_irq_code(int vcpu, __u64 type, __u16 code)
{
	struct kvm_s390_irq irq = { .type = type };

	irq.u.emerg.code = code;	/* emerg and extcall share the offset */
	return s390_irq(vcpu, &irq);
}

static inline int s390_get_state(int vcpu, void *buf, __u32 len)
{
	struct kvm_s390_irq_state st = {
		.buf = (uintptr_t)buf, .len = len,
	};

	return ioctl(vcpu, KVM_S390_GET_IRQ_STATE, &st);
}

static inline int s390_set_state(int vcpu, const void *buf, __u32 len)
{
	struct kvm_s390_irq_state st = {
		.buf = (uintptr_t)buf, .len = len,
	};

	return ioctl(vcpu, KVM_S390_SET_IRQ_STATE, &st);
}

static inline int s390_mp(int vcpu, __u32 state)
{
	struct kvm_mp_state mp = { .mp_state = state };

	return kvmirq_errno(ioctl(vcpu, KVM_SET_MP_STATE, &mp));
}

static inline int flic_enqueue(int flic, const struct kvm_s390_irq *irqs, int n)
{
	return flic_set(flic, KVM_DEV_FLIC_ENQUEUE, (__u64)n * IRQ_SIZE, irqs);
}

static inline struct kvm_s390_irq io_irq(__u16 id, __u16 nr,
					 __u32 parm, unsigned int isc)
{
	struct kvm_s390_irq irq = { .type = nr };

	irq.u.io.subchannel_id = id;
	irq.u.io.subchannel_nr = nr;
	irq.u.io.io_int_parm = parm;
	irq.u.io.io_int_word = isc << 27;
	return irq;
}

static inline struct kvm_s390_irq ext_irq(__u64 type, __u32 p,
					  __u64 p2)
{
	struct kvm_s390_irq irq = { .type = type };

	irq.u.ext.ext_params = p;
	irq.u.ext.ext_params2 = p2;
	return irq;
}

/* One KVMIRQ_S390_DELIVER; returns the errno or 0 */
static inline int s390_deliver(int vcpu, __u64 psw, __u64 cr0,
			       __u64 cr6, __u64 cr14, __u32 flags,
			       struct kvmirq_s390_deliver *d)
{
	memset(d, 0, sizeof(*d));
	d->psw_mask = psw;
	d->cr0 = cr0;
	d->cr6 = cr6;
	d->cr14 = cr14;
	d->flags = flags;
	return kvmirq_errno(ioctl(vcpu, KVMIRQ_S390_DELIVER, d));
}

/* Delivers with everything enabled; returns pend_bit (or -1 for none) */
static inline int s390_take(int vcpu, struct kvmirq_s390_deliver *d)
{
	if (s390_deliver(vcpu, PSW_ALL, CR0_ALL, CR6_ALL, CR14_ALL, 0, d))
		return -2;
	return d->result == KVMIRQ_S390_DELIVERED_NONE ? -1 : (int)d->pend_bit;
}

#endif /* KVMIRQ_S390_TEST_H */
