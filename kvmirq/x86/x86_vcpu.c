// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the x86 vcpu: its creation (with a LAPIC when the VM has an
 * in-kernel irqchip), its ioctl dispatch, KVM_GET/SET_LAPIC and
 * KVM_GET/SET_MSRS.  Event state and MP state are events.c's, guest-side
 * CPU actions cpu.c's.
 *
 * Lock order: every vcpu ioctl here runs under vcpu->mutex; LAPIC locks
 * are taken inside lapic.c and apic_deliver.c only.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "irqchip.h"
#include "lapic.h"

/* KVM ABI: MAX_IO_MSRS */
#define KVMIRQ_MAX_IO_MSRS		256

/**
 * kvmirq_x86_vcpu_init() - x86 state of a new vcpu
 * @vcpu: the vcpu, not yet published
 *
 * Creates its LAPIC when the VM has an in-kernel irqchip.
 *
 * Return: 0 or -ENOMEM.
 */
int kvmirq_x86_vcpu_init(struct kvmirq_vcpu *vcpu)
{
	bool lapic = kvmirq_x86_lapic_in_kernel(vcpu->vm);
	struct kvmirq_x86_vcpu *x86;
	int r;

	x86 = kzalloc(sizeof(*x86), GFP_KERNEL_ACCOUNT);
	if (!x86)
		return -ENOMEM;
	vcpu->arch = x86;
	kvmirq_x86_events_init(vcpu, lapic);
	if (lapic) {
		r = kvmirq_lapic_create(vcpu, kvmirq_x86_is_boot_vcpu(vcpu));
		if (r)
			goto free;
		/* Its slot in the delivery map (apic_map.c), filled when published. */
		r = kvmirq_apic_map_reserve(vcpu->vm);
		if (r)
			goto free_lapic;
	}
	r = kvmirq_vcpu_state_init(vcpu);
	if (r)
		goto free_lapic;
	return 0;

free_lapic:
	kvmirq_lapic_free(vcpu);
free:
	kfree(x86);
	vcpu->arch = NULL;
	return r;
}

/* The vcpu is published under vm->lock: its LAPIC joins the delivery map. */
void kvmirq_x86_vcpu_online(struct kvmirq_vcpu *vcpu)
{
	if (kvmirq_lapic(vcpu))
		kvmirq_apic_map_add(vcpu);
}

void kvmirq_x86_vcpu_destroy(struct kvmirq_vcpu *vcpu)
{
	kvmirq_lapic_free(vcpu);
	kvmirq_vcpu_state_free(vcpu);
	kfree(vcpu->arch);
}

static long kvmirq_x86_lapic_ioctl(struct kvmirq_vcpu *vcpu, bool set,
				   void __user *argp)
{
	bool ids32 = READ_ONCE(kvmirq_x86(vcpu->vm)->x2apic_32bit_ids);
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);
	struct kvm_lapic_state *s;
	long r;

	/* KVM ABI: no in-kernel LAPIC is EINVAL, checked before the copy. */
	if (!l)
		return -EINVAL;
	if (set) {
		s = memdup_user(argp, sizeof(*s));
		if (IS_ERR(s))
			return PTR_ERR(s);
		r = kvmirq_lapic_set_state(l, s, ids32);
		/* KVM ABI: the IOAPIC recounts its RTC interrupt. */
		if (!r && kvmirq_x86_pic_ioapic_in_kernel(vcpu->vm))
			kvmirq_ioapic_lapic_restored(vcpu->vm, vcpu->id);
	} else {
		s = kmalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
		if (!s)
			return -ENOMEM;
		kvmirq_lapic_get_state(l, s, ids32);
		r = copy_to_user(argp, s, sizeof(*s)) ? -EFAULT : 0;
	}
	kfree(s);
	return r;
}

/* KVM ABI: the host reaches the x2APIC MSRs as the guest does. */
static bool kvmirq_x86_x2apic_msr_io(struct kvmirq_lapic *l,
				     struct kvm_msr_entry *e, bool set)
{
	struct kvmirq_io io = {
		.space = KVMIRQ_SPACE_MSR, .len = 8, .addr = e->index,
		.flags = set ? KVMIRQ_IO_WRITE : 0, .data = set ? e->data : 0,
	};

	if (kvmirq_lapic_msr(l, &io))
		return false;
	if (!set)
		e->data = io.data;
	return true;
}

/* One MSR of KVM_GET/SET_MSRS; false stops the batch, as in KVM. */
static bool kvmirq_x86_msr_io(struct kvmirq_vcpu *vcpu,
			      struct kvm_msr_entry *e, bool set)
{
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);

	if (l && e->index >= KVMIRQ_X2APIC_MSR_BASE &&
	    e->index <= KVMIRQ_X2APIC_MSR_END)
		return kvmirq_x86_x2apic_msr_io(l, e, set);
	if (e->index != KVMIRQ_APIC_BASE_MSR)
		return kvmirq_x86_state_msr_io(vcpu, e, set);
	/* KVM ABI: without a LAPIC the MSR is still kept. */
	if (set)
		return !kvmirq_x86_set_apic_base(vcpu, e->data, true);
	e->data = kvmirq_vcpu_apic_base(vcpu);
	return true;
}

/*
 * Batches up to this long are copied to the stack: the usual save/restore
 * batch is a handful of MSRs, and a kmalloc() and kfree() were a tenth of
 * such an ioctl.
 */
#define KVMIRQ_MSRS_ON_STACK	16

static long kvmirq_x86_msrs_ioctl(struct kvmirq_vcpu *vcpu, bool set,
				  struct kvm_msrs __user *argp)
{
	struct kvm_msr_entry on_stack[KVMIRQ_MSRS_ON_STACK], *entries = on_stack;
	struct kvm_msrs msrs;
	size_t size;
	long r;
	u32 i;

	r = kvmirq_vcpu_state_alloc(vcpu);
	if (r)
		return r;
	if (copy_from_user(&msrs, argp, sizeof(msrs)))
		return -EFAULT;
	if (msrs.nmsrs >= KVMIRQ_MAX_IO_MSRS)
		return -E2BIG;
	size = sizeof(*entries) * msrs.nmsrs;
	if (msrs.nmsrs > ARRAY_SIZE(on_stack))
		entries = memdup_user(argp->entries, size);
	else if (copy_from_user(entries, argp->entries, size))
		return -EFAULT;
	if (IS_ERR(entries))
		return PTR_ERR(entries);
	r = set ? kvmirq_x86_msrs_reserve(vcpu, entries, msrs.nmsrs) : 0;
	if (r)
		goto out;
	for (i = 0; i < msrs.nmsrs; i++)
		if (!kvmirq_x86_msr_io(vcpu, &entries[i], set))
			break;
	r = i;
	if (!set && copy_to_user(argp->entries, entries, size))
		r = -EFAULT;
out:
	if (entries != on_stack)
		kfree(entries);
	return r;
}

/* The x86 vcpu ioctls: one line each, the work is elsewhere. */
long kvmirq_x86_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			   unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (ioctl) {
	case KVM_GET_LAPIC:
		return kvmirq_x86_lapic_ioctl(vcpu, false, argp);
	case KVM_SET_LAPIC:
		return kvmirq_x86_lapic_ioctl(vcpu, true, argp);
	case KVM_GET_VCPU_EVENTS:
		return kvmirq_x86_vcpu_events_ioctl(vcpu, false, argp);
	case KVM_SET_VCPU_EVENTS:
		return kvmirq_x86_vcpu_events_ioctl(vcpu, true, argp);
	case KVM_GET_MP_STATE:
		return kvmirq_x86_mp_state_ioctl(vcpu, false, argp);
	case KVM_SET_MP_STATE:
		return kvmirq_x86_mp_state_ioctl(vcpu, true, argp);
	case KVM_NMI:
		return kvmirq_x86_nmi(vcpu);
	case KVM_SMI:
		return kvmirq_x86_smi(vcpu);
	case KVM_INTERRUPT:
		return kvmirq_x86_interrupt(vcpu, argp);
	case KVM_GET_MSRS:
		return kvmirq_x86_msrs_ioctl(vcpu, false, argp);
	case KVM_SET_MSRS:
		return kvmirq_x86_msrs_ioctl(vcpu, true, argp);
	case KVM_SET_CPUID2:
	case KVM_GET_CPUID2:
	case KVM_GET_REGS:
	case KVM_SET_REGS:
	case KVM_GET_SREGS:
	case KVM_SET_SREGS:
	case KVM_GET_SREGS2:
	case KVM_SET_SREGS2:
	case KVM_GET_DEBUGREGS:
	case KVM_SET_DEBUGREGS:
	case KVM_GET_FPU:
	case KVM_SET_FPU:
	case KVM_GET_XSAVE:
	case KVM_GET_XSAVE2:
	case KVM_SET_XSAVE:
	case KVM_GET_XCRS:
	case KVM_SET_XCRS:
	case KVM_GET_TSC_KHZ:
	case KVM_SET_TSC_KHZ:
	case KVM_X86_SETUP_MCE:
	case KVM_X86_SET_MCE:
	case KVM_RUN:
	case KVM_SET_SIGNAL_MASK:
	case KVM_SET_GUEST_DEBUG:
	case KVM_TPR_ACCESS_REPORTING:
	case KVM_SET_VAPIC_ADDR:
	case KVM_KVMCLOCK_CTRL:
	case KVM_HAS_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_SET_DEVICE_ATTR:
		return kvmirq_vcpu_state_ioctl(vcpu, ioctl, arg);
	default:
		return KVMIRQ_NO_IOCTL;
	}
}
