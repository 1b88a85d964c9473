// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the x86 vcpu ioctls of the LAPIC side (KVM_GET/SET_LAPIC, vcpu
 * events, MP state, KVM_NMI, KVM_INTERRUPT, KVM_GET/SET_MSRS), the VM
 * ioctls KVM_SIGNAL_MSI and KVM_SET_BOOT_CPU_ID, the capabilities they
 * enable, and the CPU's guest-side actions (LAPIC access, acknowledge, EOI).
 *
 * Lock order: vm->lock (enable_cap, boot id) and vcpu->mutex (every vcpu
 * ioctl here) are never held together; LAPIC locks are taken inside
 * lapic.c and apic_deliver.c only.
 */
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "lapic.h"
#include "trace.h"

/* KVM ABI: KVM_MAX_IRQ_ROUTES bounds the split irqchip's reserved pins. */
#define KVMIRQ_MAX_RESERVED_IOAPIC_PINS	4096
/* KVM ABI: KVM_MAX_VCPU_IDS, the largest KVM_SET_BOOT_CPU_ID argument. */
#define KVMIRQ_MAX_BOOT_CPU_ID		4096
/* KVM ABI: MAX_IO_MSRS */
#define KVMIRQ_MAX_IO_MSRS		256

#define KVMIRQ_X2APIC_API_VALID		(KVM_X2APIC_API_USE_32BIT_IDS | \
					 KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK)
#define KVMIRQ_VCPUEVENT_VALID		(KVM_VCPUEVENT_VALID_NMI_PENDING | \
					 KVM_VCPUEVENT_VALID_SIPI_VECTOR | \
					 KVM_VCPUEVENT_VALID_SHADOW |	   \
					 KVM_VCPUEVENT_VALID_SMM |	   \
					 KVM_VCPUEVENT_VALID_PAYLOAD |	   \
					 KVM_VCPUEVENT_VALID_TRIPLE_FAULT)

static struct kvmirq_x86_events *x86_ev(struct kvmirq_vcpu *vcpu)
{
	return &kvmirq_x86_vcpu(vcpu)->ev;
}

static bool x86_is_boot_vcpu(struct kvmirq_vcpu *vcpu)
{
	return READ_ONCE(kvmirq_x86(vcpu->vm)->boot_cpu_id) == vcpu->id;
}

long kvmirq_lapic_check_extension(long cap)
{
	switch (cap) {
	case KVM_CAP_MP_STATE:
	case KVM_CAP_USER_NMI:
	case KVM_CAP_SET_BOOT_CPU_ID:
	case KVM_CAP_VCPU_EVENTS:
	case KVM_CAP_SIGNAL_MSI:
	case KVM_CAP_SPLIT_IRQCHIP:
	case KVM_CAP_EXCEPTION_PAYLOAD:
	case KVM_CAP_X86_TRIPLE_FAULT_EVENT:
	case KVM_CAP_X86_SMM:	/* KVM ABI: as on a VMX or SVM host */
		return 1;
	case KVM_CAP_X2APIC_API:
		return KVMIRQ_X2APIC_API_VALID;
	default:
		return 0;
	}
}

static int x86_enable_split_irqchip(struct kvmirq_vm *vm, u64 pins)
{
	struct kvmirq_x86_vm *x86 = kvmirq_x86(vm);
	int r = 0;

	if (pins > KVMIRQ_MAX_RESERVED_IOAPIC_PINS)
		return -EINVAL;
	mutex_lock(&vm->lock);
	/* KVM ABI: an irqchip, or vcpus, already there: EEXIST for both. */
	if (x86->irqchip_mode != KVMIRQ_IRQCHIP_NONE || vm->nr_vcpus)
		r = -EEXIST;
	else
		WRITE_ONCE(x86->irqchip_mode, KVMIRQ_IRQCHIP_SPLIT);
	mutex_unlock(&vm->lock);
	return r;
}

/**
 * kvmirq_lapic_enable_cap() - KVM_ENABLE_CAP for the LAPIC side
 * @vm: the VM
 * @cap: the request, flags already checked
 *
 * Return: 0, or -EINVAL (unknown capability or argument), -EEXIST.
 */
int kvmirq_lapic_enable_cap(struct kvmirq_vm *vm, struct kvm_enable_cap *cap)
{
	struct kvmirq_x86_vm *x86 = kvmirq_x86(vm);

	switch (cap->cap) {
	case KVM_CAP_SPLIT_IRQCHIP:
		return x86_enable_split_irqchip(vm, cap->args[0]);
	case KVM_CAP_X2APIC_API:
		if (cap->args[0] & ~(u64)KVMIRQ_X2APIC_API_VALID)
			return -EINVAL;
		/* KVM ABI: the flags are sticky. */
		if (cap->args[0] & KVM_X2APIC_API_USE_32BIT_IDS)
			WRITE_ONCE(x86->x2apic_32bit_ids, true);
		if (cap->args[0] & KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK)
			WRITE_ONCE(x86->x2apic_broadcast_quirk_off, true);
		return 0;
	case KVM_CAP_EXCEPTION_PAYLOAD:
		WRITE_ONCE(x86->exception_payload, !!cap->args[0]);
		return 0;
	case KVM_CAP_X86_TRIPLE_FAULT_EVENT:
		WRITE_ONCE(x86->triple_fault_event, !!cap->args[0]);
		return 0;
	default:
		return -EINVAL;
	}
}

static long x86_signal_msi(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvm_msi msi;
	int r;

	if (copy_from_user(&msi, argp, sizeof(msi)))
		return -EFAULT;
	if (!kvmirq_x86_irqchip_in_kernel(vm) ||
	    (msi.flags & ~KVM_MSI_VALID_DEVID))
		return -EINVAL;
	r = kvmirq_msi_deliver(vm, &msi);
	/* Coalesced: matched, but no LAPIC took it (KVM's status 0). */
	if (r != -EINVAL)
		kvmirq_stat_injected(vm, r);
	/* KVM ABI: "no LAPIC matched" (-1) reaches userspace as EPERM. */
	return r == -1 ? -EPERM : r;
}

static long x86_set_boot_cpu_id(struct kvmirq_vm *vm, unsigned long id)
{
	long r = 0;

	mutex_lock(&vm->lock);
	if (vm->nr_vcpus)
		r = -EBUSY;
	else if (id > KVMIRQ_MAX_BOOT_CPU_ID)
		r = -EINVAL;	/* KVM ABI: 6.18's check, 6.1 had none */
	else
		WRITE_ONCE(kvmirq_x86(vm)->boot_cpu_id, id);
	mutex_unlock(&vm->lock);
	return r;
}

long kvmirq_lapic_vm_ioctl(struct kvmirq_vm *vm, unsigned int ioctl,
			   unsigned long arg)
{
	switch (ioctl) {
	case KVM_SIGNAL_MSI:
		return x86_signal_msi(vm, (void __user *)arg);
	case KVM_SET_BOOT_CPU_ID:
		return x86_set_boot_cpu_id(vm, arg);
	default:
		return KVMIRQ_NO_IOCTL;
	}
}

/**
 * kvmirq_x86_vcpu_events_init() - initial event and MP state of a new vcpu
 * @vcpu: the vcpu, not yet published
 *
 * Creates its LAPIC when the VM has an in-kernel irqchip.
 *
 * Return: 0 or -ENOMEM.
 */
int kvmirq_x86_vcpu_events_init(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_events *ev = x86_ev(vcpu);
	bool boot = x86_is_boot_vcpu(vcpu);

	ev->extint_vector = -1;
	ev->apic_base = KVMIRQ_APIC_DEFAULT_BASE | KVMIRQ_APIC_BASE_EN |
			(boot ? KVMIRQ_APIC_BASE_BSP : 0);
	if (!kvmirq_x86_irqchip_in_kernel(vcpu->vm)) {
		ev->mp_state = KVM_MP_STATE_RUNNABLE;
		return 0;
	}
	ev->mp_state = boot ? KVM_MP_STATE_RUNNABLE :
			      KVM_MP_STATE_UNINITIALIZED;
	return kvmirq_lapic_create(vcpu, boot);
}

/* KVM's process_nmi(): fold queued NMIs, at most two (one if blocked). */
static void x86_fold_nmi(struct kvmirq_x86_events *ev)
{
	unsigned int limit = ev->nmi_masked || ev->nmi_injected ? 1 : 2;
	unsigned int n = ev->nmi_pending + atomic_xchg(&ev->nmi_queued, 0);

	ev->nmi_pending = min(n, limit);
}

/* KVM's process_smi(): a requested SMI becomes pending. */
static void x86_fold_smi(struct kvmirq_x86_events *ev)
{
	if (atomic_xchg(&ev->smi_queued, 0))
		ev->smi_pending = true;
}

/* KVM's kvm_smm_changed(); leaving also forgets "entered inside NMI". */
static void x86_set_smm(struct kvmirq_x86_events *ev, bool smm)
{
	ev->smm = smm;
	if (!smm)
		ev->smm_inside_nmi = false;
}

static void x86_set_mp_state(struct kvmirq_vcpu *vcpu, u32 state)
{
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);

	x86_ev(vcpu)->mp_state = state;
	if (l && state == KVM_MP_STATE_RUNNABLE)
		WRITE_ONCE(l->pv_unhalted, false);
}

/* What an INIT does to the vcpu besides its LAPIC (kvm_vcpu_reset). */
static void x86_init_vcpu(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_events *ev = x86_ev(vcpu);

	/* KVM ABI: a requested SMI not yet folded survives the INIT. */
	ev->smi_pending = false;
	ev->smm_inside_nmi = false;
	atomic_set(&ev->nmi_queued, 0);
	ev->nmi_pending = 0;
	ev->nmi_injected = false;
	ev->nmi_masked = false;
	ev->shadow = 0;
	ev->exc_injected = false;
	ev->exc_pending = false;
	ev->irq_injected = false;
	kvmirq_lapic_reset(kvmirq_lapic(vcpu), true, x86_is_boot_vcpu(vcpu));
}

/*
 * KVM's kvm_apic_accept_events(): process a latched INIT, then a SIPI.
 * Returns the KVMIRQ_ACK_* of the last event processed, or KVMIRQ_ACK_NONE;
 * @sipi gets the SIPI vector.
 */
static u32 x86_accept_events(struct kvmirq_vcpu *vcpu, u32 *sipi)
{
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);
	u32 source = KVMIRQ_ACK_NONE;
	unsigned long pe;

	if (!l || !READ_ONCE(l->pending))
		return source;
	/* KVM ABI: INIT stays latched in SMM, a SIPI is discarded. */
	if (x86_ev(vcpu)->smm) {
		clear_bit(KVMIRQ_APIC_SIPI, &l->pending);
		return source;
	}
	pe = xchg(&l->pending, 0);
	if (pe & BIT(KVMIRQ_APIC_INIT)) {
		x86_init_vcpu(vcpu);
		x86_set_mp_state(vcpu, READ_ONCE(l->base) & KVMIRQ_APIC_BASE_BSP ?
				 KVM_MP_STATE_RUNNABLE :
				 KVM_MP_STATE_INIT_RECEIVED);
		source = KVMIRQ_ACK_INIT;
	}
	/* KVM ABI: a SIPI outside wait-for-SIPI is dropped. */
	if ((pe & BIT(KVMIRQ_APIC_SIPI)) &&
	    x86_ev(vcpu)->mp_state == KVM_MP_STATE_INIT_RECEIVED) {
		smp_rmb(); /* the event before the vector */
		*sipi = READ_ONCE(l->sipi_vector);
		x86_set_mp_state(vcpu, KVM_MP_STATE_RUNNABLE);
		source = KVMIRQ_ACK_SIPI;
	}
	return source;
}

static long x86_get_mp_state(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);
	struct kvm_mp_state mp = { .mp_state = x86_ev(vcpu)->mp_state };
	u32 sipi;

	x86_accept_events(vcpu, &sipi);
	mp.mp_state = x86_ev(vcpu)->mp_state;
	/* KVM ABI: a pv-unhalted halted vcpu reads as runnable. */
	if ((mp.mp_state == KVM_MP_STATE_HALTED ||
	     mp.mp_state == KVM_MP_STATE_AP_RESET_HOLD) &&
	    l && READ_ONCE(l->pv_unhalted))
		mp.mp_state = KVM_MP_STATE_RUNNABLE;
	return copy_to_user(argp, &mp, sizeof(mp)) ? -EFAULT : 0;
}

static long x86_set_mp_state_ioctl(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);
	struct kvm_mp_state mp;

	if (copy_from_user(&mp, argp, sizeof(mp)))
		return -EFAULT;
	switch (mp.mp_state) {
	case KVM_MP_STATE_RUNNABLE:
		break;
	case KVM_MP_STATE_UNINITIALIZED:
	case KVM_MP_STATE_INIT_RECEIVED:
	case KVM_MP_STATE_HALTED:
	case KVM_MP_STATE_SIPI_RECEIVED:
	case KVM_MP_STATE_AP_RESET_HOLD:
		if (!l)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	/* KVM ABI: no INIT/SIPI state in SMM or with an SMI pending (folded). */
	if ((x86_ev(vcpu)->smm || x86_ev(vcpu)->smi_pending) &&
	    (mp.mp_state == KVM_MP_STATE_INIT_RECEIVED ||
	     mp.mp_state == KVM_MP_STATE_SIPI_RECEIVED))
		return -EINVAL;
	/* KVM ABI: SIPI_RECEIVED is stored as INIT_RECEIVED plus a SIPI. */
	if (mp.mp_state == KVM_MP_STATE_SIPI_RECEIVED) {
		x86_set_mp_state(vcpu, KVM_MP_STATE_INIT_RECEIVED);
		set_bit(KVMIRQ_APIC_SIPI, &l->pending);
	} else {
		x86_set_mp_state(vcpu, mp.mp_state);
	}
	return 0;
}

static void x86_get_events(struct kvmirq_vcpu *vcpu, struct kvm_vcpu_events *e)
{
	struct kvmirq_x86_vm *x86 = kvmirq_x86(vcpu->vm);
	struct kvmirq_x86_events *ev = x86_ev(vcpu);
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);
	bool payload = READ_ONCE(x86->exception_payload);

	x86_fold_nmi(ev);
	x86_fold_smi(ev);
	/* Without the payload cap a pending payload is delivered first. */
	if (!payload && ev->exc_pending && ev->exc_has_payload) {
		ev->exc_has_payload = false;
		ev->exc_payload = 0;
	}
	memset(e, 0, sizeof(*e));
	/* KVM ABI: soft exceptions (#BP, #OF) are never reported. */
	if (ev->exc_nr != 3 && ev->exc_nr != 4) {
		e->exception.injected = ev->exc_injected;
		e->exception.pending = ev->exc_pending;
		if (!payload)
			e->exception.injected |= ev->exc_pending;
	}
	e->exception.nr = ev->exc_nr;
	e->exception.has_error_code = ev->exc_has_error_code;
	e->exception.error_code = ev->exc_error_code;
	e->exception_has_payload = ev->exc_has_payload;
	e->exception_payload = ev->exc_payload;
	e->interrupt.injected = ev->irq_injected && !ev->irq_soft;
	e->interrupt.nr = ev->irq_nr;
	e->interrupt.shadow = ev->shadow;
	e->nmi.injected = ev->nmi_injected;
	/* KVM ABI: a count 0-2 (6.18); 6.1 reported a boolean. */
	e->nmi.pending = ev->nmi_pending;
	e->nmi.masked = ev->nmi_masked;
	e->smi.smm = ev->smm;
	e->smi.pending = ev->smi_pending;
	e->smi.smm_inside_nmi = ev->smm_inside_nmi;
	e->smi.latched_init = l && test_bit(KVMIRQ_APIC_INIT, &l->pending);
	e->flags = KVM_VCPUEVENT_VALID_NMI_PENDING | KVM_VCPUEVENT_VALID_SHADOW |
		   KVM_VCPUEVENT_VALID_SMM;
	if (payload)
		e->flags |= KVM_VCPUEVENT_VALID_PAYLOAD;
	if (READ_ONCE(x86->triple_fault_event)) {
		e->flags |= KVM_VCPUEVENT_VALID_TRIPLE_FAULT;
		e->triple_fault.pending = ev->triple_fault;
	}
}

static int x86_check_events(struct kvmirq_vcpu *vcpu, struct kvm_vcpu_events *e)
{
	if (e->flags & ~KVMIRQ_VCPUEVENT_VALID)
		return -EINVAL;
	if (e->flags & KVM_VCPUEVENT_VALID_PAYLOAD) {
		if (!READ_ONCE(kvmirq_x86(vcpu->vm)->exception_payload))
			return -EINVAL;
		if (e->exception.pending)
			e->exception.injected = 0;
		else
			e->exception_has_payload = 0;
	} else {
		/* KVM ABI: a pending exception is silently dropped. */
		e->exception.pending = 0;
		e->exception_has_payload = 0;
	}
	if ((e->exception.injected || e->exception.pending) &&
	    (e->exception.nr > 31 || e->exception.nr == 2))
		return -EINVAL;
	if ((e->flags & KVM_VCPUEVENT_VALID_SMM) &&
	    (e->smi.smm || e->smi.pending) &&
	    x86_ev(vcpu)->mp_state == KVM_MP_STATE_INIT_RECEIVED)
		return -EINVAL;
	return 0;
}

/*
 * The VALID_SMM part of KVM_SET_VCPU_EVENTS.  KVM ABI: a requested SMI not
 * yet folded stays requested; smm_inside_nmi counts only with smm.
 */
static void x86_set_smm_events(struct kvmirq_vcpu *vcpu,
			       const struct kvm_vcpu_events *e)
{
	struct kvmirq_x86_events *ev = x86_ev(vcpu);
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);

	if (ev->smm != !!e->smi.smm)
		x86_set_smm(ev, e->smi.smm);
	ev->smi_pending = e->smi.pending;
	if (e->smi.smm)
		ev->smm_inside_nmi = e->smi.smm_inside_nmi;
	if (l && e->smi.latched_init)
		set_bit(KVMIRQ_APIC_INIT, &l->pending);
	else if (l)
		clear_bit(KVMIRQ_APIC_INIT, &l->pending);
}

static int x86_set_events(struct kvmirq_vcpu *vcpu, struct kvm_vcpu_events *e)
{
	struct kvmirq_x86_events *ev = x86_ev(vcpu);
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);
	int r = x86_check_events(vcpu, e);

	if (r)
		return r;
	x86_fold_nmi(ev);
	ev->exc_injected = e->exception.injected;
	ev->exc_pending = e->exception.pending;
	ev->exc_nr = e->exception.nr;
	ev->exc_has_error_code = e->exception.has_error_code;
	ev->exc_error_code = e->exception.error_code;
	ev->exc_has_payload = e->exception_has_payload;
	ev->exc_payload = e->exception_payload;
	ev->irq_injected = e->interrupt.injected;
	ev->irq_nr = e->interrupt.nr;
	ev->irq_soft = e->interrupt.soft;
	/* KVM ABI: stored as given (the oracle host; VMX keeps bits 1:0). */
	if (e->flags & KVM_VCPUEVENT_VALID_SHADOW)
		ev->shadow = e->interrupt.shadow;
	ev->nmi_injected = e->nmi.injected;
	if (e->flags & KVM_VCPUEVENT_VALID_NMI_PENDING) {
		ev->nmi_pending = 0;
		atomic_set(&ev->nmi_queued, e->nmi.pending);
	}
	ev->nmi_masked = e->nmi.masked;
	if ((e->flags & KVM_VCPUEVENT_VALID_SIPI_VECTOR) && l)
		WRITE_ONCE(l->sipi_vector, e->sipi_vector);
	if (e->flags & KVM_VCPUEVENT_VALID_SMM)
		x86_set_smm_events(vcpu, e);
	if (e->flags & KVM_VCPUEVENT_VALID_TRIPLE_FAULT) {
		if (!READ_ONCE(kvmirq_x86(vcpu->vm)->triple_fault_event))
			return -EINVAL;
		ev->triple_fault = e->triple_fault.pending;
	}
	return 0;
}

static long x86_vcpu_events_ioctl(struct kvmirq_vcpu *vcpu, bool set,
				  void __user *argp)
{
	struct kvm_vcpu_events e;

	if (!set) {
		x86_get_events(vcpu, &e);
		return copy_to_user(argp, &e, sizeof(e)) ? -EFAULT : 0;
	}
	if (copy_from_user(&e, argp, sizeof(e)))
		return -EFAULT;
	return x86_set_events(vcpu, &e);
}

static long x86_lapic_ioctl(struct kvmirq_vcpu *vcpu, bool set,
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
		if (!r && READ_ONCE(kvmirq_x86(vcpu->vm)->irqchip_mode) ==
			  KVMIRQ_IRQCHIP_KERNEL)
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

static long x86_interrupt(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvmirq_x86_events *ev = x86_ev(vcpu);
	struct kvm_interrupt irq;

	if (copy_from_user(&irq, argp, sizeof(irq)))
		return -EFAULT;
	if (irq.irq >= 256)
		return -EINVAL;
	switch (READ_ONCE(kvmirq_x86(vcpu->vm)->irqchip_mode)) {
	case KVMIRQ_IRQCHIP_NONE:
		ev->irq_injected = true;
		ev->irq_nr = irq.irq;
		ev->irq_soft = false;
		return 0;
	case KVMIRQ_IRQCHIP_KERNEL:
		/* KVM ABI: with the in-kernel PIC only the PIC gives ExtINTs. */
		return -ENXIO;
	default:
		if (ev->extint_vector >= 0)
			return -EEXIST;
		ev->extint_vector = irq.irq;
		return 0;
	}
}

/* KVM ABI: the host reaches the x2APIC MSRs as the guest does. */
static bool x86_x2apic_msr_io(struct kvmirq_lapic *l, struct kvm_msr_entry *e,
			      bool set)
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
static bool x86_msr_io(struct kvmirq_vcpu *vcpu, struct kvm_msr_entry *e,
		       bool set)
{
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);

	if (l && e->index >= KVMIRQ_X2APIC_MSR_BASE &&
	    e->index <= KVMIRQ_X2APIC_MSR_END)
		return x86_x2apic_msr_io(l, e, set);
	if (e->index != KVMIRQ_APIC_BASE_MSR)
		return kvmirq_x86_msr_io(vcpu, e, set);
	/* KVM ABI: without a LAPIC the MSR is still kept. */
	if (set)
		return !kvmirq_x86_set_apic_base(vcpu, e->data, true);
	e->data = kvmirq_vcpu_apic_base(vcpu);
	return true;
}

static long x86_msrs_ioctl(struct kvmirq_vcpu *vcpu, bool set,
			   struct kvm_msrs __user *argp)
{
	struct kvm_msr_entry *entries;
	struct kvm_msrs msrs;
	size_t size;
	long r;
	u32 i;

	if (copy_from_user(&msrs, argp, sizeof(msrs)))
		return -EFAULT;
	if (msrs.nmsrs >= KVMIRQ_MAX_IO_MSRS)
		return -E2BIG;
	size = sizeof(*entries) * msrs.nmsrs;
	entries = memdup_user(argp->entries, size);
	if (IS_ERR(entries))
		return PTR_ERR(entries);
	for (i = 0; i < msrs.nmsrs; i++)
		if (!x86_msr_io(vcpu, &entries[i], set))
			break;
	r = i;
	if (!set && copy_to_user(argp->entries, entries, size))
		r = -EFAULT;
	kfree(entries);
	return r;
}

long kvmirq_lapic_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			     unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (ioctl) {
	case KVM_GET_LAPIC:
		return x86_lapic_ioctl(vcpu, false, argp);
	case KVM_SET_LAPIC:
		return x86_lapic_ioctl(vcpu, true, argp);
	case KVM_GET_VCPU_EVENTS:
		return x86_vcpu_events_ioctl(vcpu, false, argp);
	case KVM_SET_VCPU_EVENTS:
		return x86_vcpu_events_ioctl(vcpu, true, argp);
	case KVM_GET_MP_STATE:
		return x86_get_mp_state(vcpu, argp);
	case KVM_SET_MP_STATE:
		return x86_set_mp_state_ioctl(vcpu, argp);
	case KVM_NMI:
		atomic_inc(&x86_ev(vcpu)->nmi_queued);
		kvmirq_stat_add(&vcpu->stats.nmis_injected, 1);
		trace_kvmirq_inject_nmi(vcpu->id);
		return 0;
	case KVM_SMI:
		atomic_set(&x86_ev(vcpu)->smi_queued, 1);
		return 0;
	case KVM_INTERRUPT:
		return x86_interrupt(vcpu, argp);
	case KVM_GET_MSRS:
		return x86_msrs_ioctl(vcpu, false, argp);
	case KVM_SET_MSRS:
		return x86_msrs_ioctl(vcpu, true, argp);
	default:
		return KVMIRQ_NO_IOCTL;
	}
}

static int x86_guest_io(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
			struct kvmirq_io *io)
{
	struct kvmirq_lapic *l = vcpu ? kvmirq_lapic(vcpu) : NULL;

	if (!l)
		return -ENXIO;
	switch (io->space) {
	case KVMIRQ_SPACE_MMIO:
		return kvmirq_lapic_mmio(l, io);
	case KVMIRQ_SPACE_MSR:
		return kvmirq_lapic_msr(l, io);
	default:
		return -ENXIO;
	}
}

/* The NMI the CPU takes, if NMIs are not blocked. */
static bool x86_take_nmi(struct kvmirq_x86_events *ev)
{
	x86_fold_nmi(ev);
	if (!ev->nmi_pending || ev->nmi_masked || ev->nmi_injected)
		return false;
	ev->nmi_pending--;
	/* NMIs stay blocked until the IRET, which a test models by SET. */
	ev->nmi_masked = true;
	return true;
}

/*
 * The SMI the CPU takes, if not already in SMM (KVM's enter_smm()): SMM
 * entry blocks NMIs, remembering whether they were blocked already.
 */
static bool x86_take_smi(struct kvmirq_x86_events *ev)
{
	x86_fold_smi(ev);
	if (!ev->smi_pending || ev->smm)
		return false;
	ev->smi_pending = false;
	x86_set_smm(ev, true);
	if (ev->nmi_masked)
		ev->smm_inside_nmi = true;
	else
		ev->nmi_masked = true;
	return true;
}

/* ExtINT through LINT0: the PIC (KVM_CREATE_IRQCHIP) or KVM_INTERRUPT. */
static int x86_take_extint(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_events *ev = x86_ev(vcpu);
	int vec = -1;

	if (!kvmirq_lapic_accepts_pic(kvmirq_lapic(vcpu)))
		return -1;
	switch (READ_ONCE(kvmirq_x86(vcpu->vm)->irqchip_mode)) {
	case KVMIRQ_IRQCHIP_KERNEL:
		if (kvmirq_pic_intr(vcpu->vm))
			vec = kvmirq_pic_ack(vcpu->vm);
		break;
	case KVMIRQ_IRQCHIP_SPLIT:
		vec = ev->extint_vector;
		ev->extint_vector = -1;
		break;
	}
	return vec;
}

static int x86_ack_lapic(struct kvmirq_vcpu *vcpu, struct kvmirq_ack *ack)
{
	struct kvmirq_x86_events *ev = x86_ev(vcpu);
	int vec;

	/* As KVM's vcpu_enter_guest(): the SMI request is folded first. */
	x86_fold_smi(ev);
	ack->source = x86_accept_events(vcpu, &ack->vector);
	if (ack->source != KVMIRQ_ACK_NONE)
		return 0;
	/* A CPU waiting for INIT or SIPI takes no interrupt. */
	if (ev->mp_state == KVM_MP_STATE_UNINITIALIZED ||
	    ev->mp_state == KVM_MP_STATE_INIT_RECEIVED)
		return 0;
	if (x86_take_smi(ev)) {
		ack->source = KVMIRQ_ACK_SMI;
		goto taken;
	}
	if (x86_take_nmi(ev)) {
		ack->source = KVMIRQ_ACK_NMI;
		goto taken;
	}
	/* SMM entry clears IF, and kvmirq has no STI: no INTR in SMM. */
	if (ev->smm)
		return 0;
	vec = x86_take_extint(vcpu);
	if (vec >= 0) {
		ack->source = KVMIRQ_ACK_PIC;
		goto taken_vec;
	}
	vec = kvmirq_lapic_take_irr(kvmirq_lapic(vcpu));
	if (vec < 0)
		return 0;
	ack->source = KVMIRQ_ACK_LAPIC;
taken_vec:
	ack->vector = vec;
taken:
	x86_set_mp_state(vcpu, KVM_MP_STATE_RUNNABLE);
	return 0;
}

/*
 * KVMIRQ_GUEST_ACK on a vcpu: latched INIT/SIPI first (as KVM processes
 * them before injecting), then SMI, NMI, ExtINT, the LAPIC's IRR above PPR;
 * in SMM only an NMI (once unmasked).  Without an in-kernel irqchip: SMI,
 * NMI, then the KVM_INTERRUPT vector.
 */
static int x86_guest_ack(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
			 struct kvmirq_ack *ack)
{
	struct kvmirq_x86_events *ev;

	if (!vcpu)
		return -EOPNOTSUPP;
	if (kvmirq_lapic(vcpu))
		return x86_ack_lapic(vcpu, ack);
	ev = x86_ev(vcpu);
	if (x86_take_smi(ev)) {
		ack->source = KVMIRQ_ACK_SMI;
	} else if (x86_take_nmi(ev)) {
		ack->source = KVMIRQ_ACK_NMI;
	} else if (ev->irq_injected && !ev->smm) {
		ev->irq_injected = false;
		ack->source = KVMIRQ_ACK_PIC;
		ack->vector = ev->irq_nr;
	}
	return 0;
}

static int x86_guest_eoi(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
			 struct kvmirq_eoi *eoi)
{
	if (!vcpu)
		return -EOPNOTSUPP;
	if (!kvmirq_lapic(vcpu))
		return -ENXIO;
	kvmirq_lapic_eoi(kvmirq_lapic(vcpu));
	return 0;
}

const struct kvmirq_guest_ops kvmirq_lapic_guest_ops = {
	.io	= x86_guest_io,
	.ack	= x86_guest_ack,
	.eoi	= x86_guest_eoi,
};

static const char *x86_mp_state_name(u32 state)
{
	static const char * const names[] = {
		[KVM_MP_STATE_RUNNABLE]		= "runnable",
		[KVM_MP_STATE_UNINITIALIZED]	= "uninitialized",
		[KVM_MP_STATE_INIT_RECEIVED]	= "init-received",
		[KVM_MP_STATE_HALTED]		= "halted",
		[KVM_MP_STATE_SIPI_RECEIVED]	= "sipi-received",
	};

	return state < ARRAY_SIZE(names) && names[state] ? names[state] : "other";
}

/* debugfs "events": the vcpu's event state, under the vcpu mutex. */
void kvmirq_x86_events_dump(struct seq_file *m, struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_events *ev = x86_ev(vcpu);

	if (mutex_lock_killable(&vcpu->mutex))
		return;
	seq_printf(m, "mp_state %s (%u)\n", x86_mp_state_name(ev->mp_state),
		   ev->mp_state);
	seq_printf(m, "nmi queued %d pending %u injected %u masked %u\n",
		   atomic_read(&ev->nmi_queued), ev->nmi_pending,
		   ev->nmi_injected, ev->nmi_masked);
	seq_printf(m, "exception injected %u pending %u nr %u error_code %#x (valid %u) payload %#llx (valid %u)\n",
		   ev->exc_injected, ev->exc_pending, ev->exc_nr,
		   ev->exc_error_code, ev->exc_has_error_code, ev->exc_payload,
		   ev->exc_has_payload);
	seq_printf(m, "interrupt injected %u soft %u nr %u shadow %#x\n",
		   ev->irq_injected, ev->irq_soft, ev->irq_nr, ev->shadow);
	seq_printf(m, "extint vector %d triple_fault %u apic_base %#llx\n",
		   ev->extint_vector, ev->triple_fault,
		   kvmirq_lapic(vcpu) ? READ_ONCE(kvmirq_lapic(vcpu)->base) :
					ev->apic_base);
	mutex_unlock(&vcpu->mutex);
}
