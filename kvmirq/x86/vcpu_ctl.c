// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the x86 vcpu state's entry points: capabilities, the vcpu
 * ioctls (dispatched to cpuid.c, regs.c, xsave.c, msr.c) and the vcpu
 * controls that have no architectural state (KVM_SET_SIGNAL_MASK,
 * KVM_SET_GUEST_DEBUG, KVM_TPR_ACCESS_REPORTING, KVM_SET_VAPIC_ADDR,
 * KVM_KVMCLOCK_CTRL, the KVM_VCPU_TSC_CTRL attribute group), and KVM_RUN,
 * which fails: there is no guest CPU.
 */
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/msr.h>

#include "lapic.h"
#include "vcpu_state.h"

/* KVM ABI: KVM_GUESTDBG_VALID_MASK, reported by KVM_CAP_SET_GUEST_DEBUG2 */
#define GUESTDBG_VALID	(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP | \
			 KVM_GUESTDBG_USE_SW_BP | KVM_GUESTDBG_USE_HW_BP | \
			 KVM_GUESTDBG_INJECT_DB | KVM_GUESTDBG_INJECT_BP | \
			 KVM_GUESTDBG_BLOCKIRQ)
#define DB_VECTOR_NR	1
#define BP_VECTOR_NR	3

/**
 * kvmirq_vcpu_state_check_extension() - the capabilities of this state
 * @cap: KVM_CAP_*
 *
 * Return: KVM's answer for what is implemented here, 0 for the rest.
 */
long kvmirq_vcpu_state_check_extension(long cap)
{
	bool xsave = kvmirq_supported_xcr0();

	switch (cap) {
	case KVM_CAP_EXT_CPUID:
	case KVM_CAP_DEBUGREGS:
	case KVM_CAP_X86_ROBUST_SINGLESTEP:
	case KVM_CAP_GET_TSC_KHZ:
	case KVM_CAP_KVMCLOCK_CTRL:
	case KVM_CAP_GET_MSR_FEATURES:
	case KVM_CAP_SET_GUEST_DEBUG:
	case KVM_CAP_SREGS2:
	case KVM_CAP_VCPU_ATTRIBUTES:
	case KVM_CAP_SYS_ATTRIBUTES:
	case KVM_CAP_VAPIC:
		return 1;
	case KVM_CAP_XSAVE:
	case KVM_CAP_XCRS:
		return xsave;
	case KVM_CAP_XSAVE2:
		return kvmirq_xsave_uabi_size();
	case KVM_CAP_MCE:
		return KVMIRQ_MAX_MCE_BANKS;
	case KVM_CAP_SET_GUEST_DEBUG2:
		return GUESTDBG_VALID;
	default:
		return 0;
	}
}

/**
 * kvmirq_vcpu_state_init() - reset state of a new vcpu
 * @vcpu: the vcpu, not yet published, its events already initialised
 *
 * Return: 0.
 */
int kvmirq_vcpu_state_init(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_state *st = &kvmirq_x86_vcpu(vcpu)->st;

	kvmirq_regs_reset(vcpu);
	kvmirq_msrs_reset(vcpu);
	/* KVM ABI: XCR0 is x87 only after reset. */
	st->fpu.xcr0 = 1;
	return 0;
}

void kvmirq_vcpu_state_free(struct kvmirq_vcpu *vcpu)
{
	kvmirq_cpuid_free(vcpu);
	kvmirq_xsave_free(vcpu);
	kvmirq_msrs_free(vcpu);
}

static struct kvmirq_x86_ctl *kvmirq_vcpu_ctl_state(struct kvmirq_vcpu *vcpu)
{
	return &kvmirq_x86_vcpu(vcpu)->st.ctl;
}

/* KVM ABI: kvm_vcpu_ioctl_set_sigmask(); NULL clears, len must be 8. */
static long kvmirq_vcpu_ctl_set_signal_mask(struct kvmirq_vcpu *vcpu,
					    struct kvm_signal_mask __user *argp)
{
	struct kvmirq_x86_ctl *ctl = kvmirq_vcpu_ctl_state(vcpu);
	struct kvm_signal_mask h;
	sigset_t set;

	if (!argp) {
		ctl->sigset_active = false;
		return 0;
	}
	if (copy_from_user(&h, argp, sizeof(h)))
		return -EFAULT;
	if (h.len != sizeof(set))
		return -EINVAL;
	if (copy_from_user(&set, argp->sigset, sizeof(set)))
		return -EFAULT;
	sigdelsetmask(&set, sigmask(SIGKILL) | sigmask(SIGSTOP));
	ctl->sigset = set.sig[0];
	ctl->sigset_active = true;
	return 0;
}

/* kvm_queue_exception() of a benign exception: it replaces any other. */
static void kvmirq_vcpu_ctl_queue_benign_exception(struct kvmirq_vcpu *vcpu, u8 nr)
{
	struct kvmirq_x86_events *ev = &kvmirq_x86_vcpu(vcpu)->ev;

	ev->exc_pending = true;
	ev->exc_injected = false;
	ev->exc_nr = nr;
	ev->exc_has_error_code = false;
	ev->exc_error_code = 0;
	ev->exc_has_payload = false;
	ev->exc_payload = 0;
}

/* KVM ABI: kvm_arch_vcpu_ioctl_set_guest_debug(); control is unchecked. */
static long kvmirq_vcpu_ctl_set_guest_debug(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvmirq_x86_events *ev = &kvmirq_x86_vcpu(vcpu)->ev;
	struct kvm_guest_debug dbg;

	if (copy_from_user(&dbg, argp, sizeof(dbg)))
		return -EFAULT;
	if (dbg.control & (KVM_GUESTDBG_INJECT_DB | KVM_GUESTDBG_INJECT_BP)) {
		if (ev->exc_pending || ev->triple_fault)
			return -EBUSY;
		kvmirq_vcpu_ctl_queue_benign_exception(vcpu, dbg.control & KVM_GUESTDBG_INJECT_DB ?
					     DB_VECTOR_NR : BP_VECTOR_NR);
	}
	kvmirq_vcpu_ctl_state(vcpu)->guest_debug = dbg.control & KVM_GUESTDBG_ENABLE ?
				      dbg.control : 0;
	return 0;
}

static long kvmirq_vcpu_ctl_tpr_access_reporting(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvm_tpr_access_ctl tac;

	if (copy_from_user(&tac, argp, sizeof(tac)))
		return -EFAULT;
	if (tac.flags)
		return -EINVAL;
	kvmirq_vcpu_ctl_state(vcpu)->tpr_access = !!tac.enabled;
	return copy_to_user(argp, &tac, sizeof(tac)) ? -EFAULT : 0;
}

/* KVM ABI: needs a LAPIC; a nonzero address must be guest memory. */
static long kvmirq_vcpu_ctl_set_vapic_addr(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvm_vapic_addr va;
	unsigned long hva;

	if (!kvmirq_lapic(vcpu))
		return -EINVAL;
	if (copy_from_user(&va, argp, sizeof(va)))
		return -EFAULT;
	if (va.vapic_addr && kvmirq_gpa_to_hva(vcpu->vm, va.vapic_addr, &hva))
		return -EINVAL;
	kvmirq_vcpu_ctl_state(vcpu)->vapic_addr = va.vapic_addr;
	return 0;
}

/* KVM ABI: only with kvmclock enabled (MSR_KVM_SYSTEM_TIME bit 0). */
static long kvmirq_vcpu_ctl_kvmclock_ctrl(struct kvmirq_vcpu *vcpu)
{
	if (!(kvmirq_x86_vcpu(vcpu)->st.msrs.system_time & 1))
		return -EINVAL;
	kvmirq_vcpu_ctl_state(vcpu)->clock_paused = true;
	return 0;
}

/* KVM_{HAS,GET,SET}_DEVICE_ATTR on a vcpu: KVM_VCPU_TSC_CTRL only. */
static long kvmirq_vcpu_ctl_tsc_attr(struct kvmirq_vcpu *vcpu,
				     unsigned int ioctl,
				     void __user *argp)
{
	struct kvmirq_x86_msrs *m = &kvmirq_x86_vcpu(vcpu)->st.msrs;
	u64 __user *uaddr;
	struct kvm_device_attr attr;
	u64 offset;

	if (copy_from_user(&attr, argp, sizeof(attr)))
		return -EFAULT;
	if (attr.group != KVM_VCPU_TSC_CTRL)
		return -ENXIO;
	if (ioctl == KVM_HAS_DEVICE_ATTR)
		return attr.attr == KVM_VCPU_TSC_OFFSET ? 0 : -ENXIO;
	uaddr = u64_to_user_ptr(attr.addr);
	if (attr.attr != KVM_VCPU_TSC_OFFSET)
		return -ENXIO;
	if (ioctl == KVM_GET_DEVICE_ATTR)
		return put_user((u64)m->tsc_offset, uaddr) ? -EFAULT : 0;
	if (get_user(offset, uaddr))
		return -EFAULT;
	m->tsc_offset = offset;
	return 0;
}

/*
 * KVM_RUN: kvmirq has no guest CPU.  EOPNOTSUPP, not EINTR or EAGAIN (on
 * which a VMM would retry forever): QEMU prints "error: kvm run failed
 * Operation not supported", dumps the registers and stops the VM.
 */
static long kvmirq_vcpu_ctl_run(struct kvmirq_vcpu *vcpu)
{
	return -EOPNOTSUPP;
}

/**
 * kvmirq_vcpu_state_ioctl() - the vcpu ioctls of this state
 * @vcpu: the vcpu, its mutex held
 * @ioctl: the ioctl
 * @arg: its argument
 *
 * Return: as KVM, or KVMIRQ_NO_IOCTL.
 */
long kvmirq_vcpu_state_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			     unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	long r;

	switch (ioctl) {
	case KVM_RUN:
		return kvmirq_vcpu_ctl_run(vcpu);
	case KVM_SET_SIGNAL_MASK:
		return kvmirq_vcpu_ctl_set_signal_mask(vcpu, argp);
	case KVM_SET_GUEST_DEBUG:
		return kvmirq_vcpu_ctl_set_guest_debug(vcpu, argp);
	case KVM_TPR_ACCESS_REPORTING:
		return kvmirq_vcpu_ctl_tpr_access_reporting(vcpu, argp);
	case KVM_SET_VAPIC_ADDR:
		return kvmirq_vcpu_ctl_set_vapic_addr(vcpu, argp);
	case KVM_KVMCLOCK_CTRL:
		return kvmirq_vcpu_ctl_kvmclock_ctrl(vcpu);
	case KVM_HAS_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_SET_DEVICE_ATTR:
		return kvmirq_vcpu_ctl_tsc_attr(vcpu, ioctl, argp);
	}
	r = kvmirq_cpuid_vcpu_ioctl(vcpu, ioctl, argp);
	if (r == KVMIRQ_NO_IOCTL)
		r = kvmirq_regs_vcpu_ioctl(vcpu, ioctl, argp);
	if (r == KVMIRQ_NO_IOCTL)
		r = kvmirq_xsave_vcpu_ioctl(vcpu, ioctl, argp);
	if (r == KVMIRQ_NO_IOCTL)
		r = kvmirq_msr_vcpu_ioctl(vcpu, ioctl, arg);
	return r;
}
