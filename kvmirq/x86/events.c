// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: an x86 vcpu's event state (struct kvmirq_x86_events): NMI, SMI
 * and SMM, the exception and interrupt being injected, latched INIT/SIPI
 * and the MP state.  The ioctls KVM_GET/SET_VCPU_EVENTS,
 * KVM_GET/SET_MP_STATE, KVM_NMI, KVM_SMI and KVM_INTERRUPT, and the
 * primitives with which the CPU (cpu.c) takes an event.
 *
 * Locking: everything here runs under vcpu->mutex; KVM_NMI and KVM_SMI
 * only touch the atomic counters, which the holder of the mutex folds.
 */
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "lapic.h"
#include "trace.h"

#define KVMIRQ_VCPUEVENT_VALID		(KVM_VCPUEVENT_VALID_NMI_PENDING | \
					 KVM_VCPUEVENT_VALID_SIPI_VECTOR | \
					 KVM_VCPUEVENT_VALID_SHADOW |	   \
					 KVM_VCPUEVENT_VALID_SMM |	   \
					 KVM_VCPUEVENT_VALID_PAYLOAD |	   \
					 KVM_VCPUEVENT_VALID_TRIPLE_FAULT)

/**
 * kvmirq_x86_events_init() - initial event and MP state of a new vcpu
 * @vcpu: the vcpu, not yet published
 * @lapic: the vcpu gets an in-kernel LAPIC
 */
void kvmirq_x86_events_init(struct kvmirq_vcpu *vcpu, bool lapic)
{
	struct kvmirq_x86_events *ev = kvmirq_x86_ev(vcpu);
	bool boot = kvmirq_x86_is_boot_vcpu(vcpu);

	ev->extint_vector = -1;
	ev->apic_base = KVMIRQ_APIC_DEFAULT_BASE | KVMIRQ_APIC_BASE_EN |
			(boot ? KVMIRQ_APIC_BASE_BSP : 0);
	if (!lapic)
		ev->mp_state = KVM_MP_STATE_RUNNABLE;
	else
		ev->mp_state = boot ? KVM_MP_STATE_RUNNABLE :
				      KVM_MP_STATE_UNINITIALIZED;
}

/* KVM's process_nmi(): fold queued NMIs, at most two (one if blocked). */
static void kvmirq_x86_fold_nmi(struct kvmirq_x86_events *ev)
{
	unsigned int limit = ev->nmi_masked || ev->nmi_injected ? 1 : 2;
	unsigned int n = ev->nmi_pending + atomic_xchg(&ev->nmi_queued, 0);

	ev->nmi_pending = min(n, limit);
}

/* KVM's process_smi(): a requested SMI becomes pending. */
void kvmirq_x86_fold_smi(struct kvmirq_x86_events *ev)
{
	if (atomic_xchg(&ev->smi_queued, 0))
		ev->smi_pending = true;
}

/* KVM's kvm_smm_changed(); leaving also forgets "entered inside NMI". */
static void kvmirq_x86_set_smm(struct kvmirq_x86_events *ev, bool smm)
{
	ev->smm = smm;
	if (!smm)
		ev->smm_inside_nmi = false;
}

/* Enter MP state @state; a runnable vcpu forgets a pv unhalt. */
void kvmirq_x86_set_mp_state(struct kvmirq_vcpu *vcpu, u32 state)
{
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);

	kvmirq_x86_ev(vcpu)->mp_state = state;
	if (l && state == KVM_MP_STATE_RUNNABLE)
		WRITE_ONCE(l->pv_unhalted, false);
}

/* What an INIT does to the vcpu besides its LAPIC (kvm_vcpu_reset). */
static void kvmirq_x86_init_vcpu(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_events *ev = kvmirq_x86_ev(vcpu);

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
	kvmirq_lapic_reset(kvmirq_lapic(vcpu), true,
			   kvmirq_x86_is_boot_vcpu(vcpu));
}

/**
 * kvmirq_x86_accept_events() - process a latched INIT, then a SIPI
 * @vcpu: the vcpu
 * @sipi: gets the SIPI vector
 *
 * KVM's kvm_apic_accept_events().
 *
 * Return: the KVMIRQ_ACK_* of the last event processed, or KVMIRQ_ACK_NONE.
 */
u32 kvmirq_x86_accept_events(struct kvmirq_vcpu *vcpu, u32 *sipi)
{
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);
	u32 source = KVMIRQ_ACK_NONE;
	unsigned long pe;

	if (!l || !READ_ONCE(l->pending))
		return source;
	/* KVM ABI: INIT stays latched in SMM, a SIPI is discarded. */
	if (kvmirq_x86_ev(vcpu)->smm) {
		clear_bit(KVMIRQ_APIC_SIPI, &l->pending);
		return source;
	}
	pe = xchg(&l->pending, 0);
	if (pe & BIT(KVMIRQ_APIC_INIT)) {
		kvmirq_x86_init_vcpu(vcpu);
		kvmirq_x86_set_mp_state(vcpu, READ_ONCE(l->base) &
						KVMIRQ_APIC_BASE_BSP ?
					KVM_MP_STATE_RUNNABLE :
					KVM_MP_STATE_INIT_RECEIVED);
		source = KVMIRQ_ACK_INIT;
	}
	/* KVM ABI: a SIPI outside wait-for-SIPI is dropped. */
	if ((pe & BIT(KVMIRQ_APIC_SIPI)) &&
	    kvmirq_x86_ev(vcpu)->mp_state == KVM_MP_STATE_INIT_RECEIVED) {
		smp_rmb(); /* the event before the vector */
		*sipi = READ_ONCE(l->sipi_vector);
		kvmirq_x86_set_mp_state(vcpu, KVM_MP_STATE_RUNNABLE);
		source = KVMIRQ_ACK_SIPI;
	}
	return source;
}

/* The NMI the CPU takes, if NMIs are not blocked. */
bool kvmirq_x86_take_nmi(struct kvmirq_x86_events *ev)
{
	kvmirq_x86_fold_nmi(ev);
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
bool kvmirq_x86_take_smi(struct kvmirq_x86_events *ev)
{
	kvmirq_x86_fold_smi(ev);
	if (!ev->smi_pending || ev->smm)
		return false;
	ev->smi_pending = false;
	kvmirq_x86_set_smm(ev, true);
	if (ev->nmi_masked)
		ev->smm_inside_nmi = true;
	else
		ev->nmi_masked = true;
	return true;
}

static long kvmirq_x86_get_mp_state(struct kvmirq_vcpu *vcpu,
				    void __user *argp)
{
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);
	struct kvm_mp_state mp = { .mp_state = kvmirq_x86_ev(vcpu)->mp_state };
	u32 sipi;

	kvmirq_x86_accept_events(vcpu, &sipi);
	mp.mp_state = kvmirq_x86_ev(vcpu)->mp_state;
	/* KVM ABI: a pv-unhalted halted vcpu reads as runnable. */
	if ((mp.mp_state == KVM_MP_STATE_HALTED ||
	     mp.mp_state == KVM_MP_STATE_AP_RESET_HOLD) &&
	    l && READ_ONCE(l->pv_unhalted))
		mp.mp_state = KVM_MP_STATE_RUNNABLE;
	return copy_to_user(argp, &mp, sizeof(mp)) ? -EFAULT : 0;
}

static long kvmirq_x86_set_mp_state_user(struct kvmirq_vcpu *vcpu,
					 void __user *argp)
{
	struct kvmirq_x86_events *ev = kvmirq_x86_ev(vcpu);
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
	if ((ev->smm || ev->smi_pending) &&
	    (mp.mp_state == KVM_MP_STATE_INIT_RECEIVED ||
	     mp.mp_state == KVM_MP_STATE_SIPI_RECEIVED))
		return -EINVAL;
	/* KVM ABI: SIPI_RECEIVED is stored as INIT_RECEIVED plus a SIPI. */
	if (mp.mp_state == KVM_MP_STATE_SIPI_RECEIVED) {
		kvmirq_x86_set_mp_state(vcpu, KVM_MP_STATE_INIT_RECEIVED);
		set_bit(KVMIRQ_APIC_SIPI, &l->pending);
	} else {
		kvmirq_x86_set_mp_state(vcpu, mp.mp_state);
	}
	return 0;
}

/* KVM_GET_MP_STATE and KVM_SET_MP_STATE. */
long kvmirq_x86_mp_state_ioctl(struct kvmirq_vcpu *vcpu, bool set,
			       void __user *argp)
{
	return set ? kvmirq_x86_set_mp_state_user(vcpu, argp) :
		     kvmirq_x86_get_mp_state(vcpu, argp);
}

static void kvmirq_x86_get_events(struct kvmirq_vcpu *vcpu,
				  struct kvm_vcpu_events *e)
{
	struct kvmirq_x86_vm *x86 = kvmirq_x86(vcpu->vm);
	struct kvmirq_x86_events *ev = kvmirq_x86_ev(vcpu);
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);
	bool payload = READ_ONCE(x86->exception_payload);

	kvmirq_x86_fold_nmi(ev);
	kvmirq_x86_fold_smi(ev);
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

static int kvmirq_x86_check_events(struct kvmirq_vcpu *vcpu,
				   struct kvm_vcpu_events *e)
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
	    kvmirq_x86_ev(vcpu)->mp_state == KVM_MP_STATE_INIT_RECEIVED)
		return -EINVAL;
	return 0;
}

/*
 * The VALID_SMM part of KVM_SET_VCPU_EVENTS.  KVM ABI: a requested SMI not
 * yet folded stays requested; smm_inside_nmi counts only with smm.
 */
static void kvmirq_x86_set_smm_events(struct kvmirq_vcpu *vcpu,
				      const struct kvm_vcpu_events *e)
{
	struct kvmirq_x86_events *ev = kvmirq_x86_ev(vcpu);
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);

	if (ev->smm != !!e->smi.smm)
		kvmirq_x86_set_smm(ev, e->smi.smm);
	ev->smi_pending = e->smi.pending;
	if (e->smi.smm)
		ev->smm_inside_nmi = e->smi.smm_inside_nmi;
	if (l && e->smi.latched_init)
		set_bit(KVMIRQ_APIC_INIT, &l->pending);
	else if (l)
		clear_bit(KVMIRQ_APIC_INIT, &l->pending);
}

static int kvmirq_x86_set_events(struct kvmirq_vcpu *vcpu,
				 struct kvm_vcpu_events *e)
{
	struct kvmirq_x86_events *ev = kvmirq_x86_ev(vcpu);
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);
	int r = kvmirq_x86_check_events(vcpu, e);

	if (r)
		return r;
	kvmirq_x86_fold_nmi(ev);
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
		kvmirq_x86_set_smm_events(vcpu, e);
	if (e->flags & KVM_VCPUEVENT_VALID_TRIPLE_FAULT) {
		if (!READ_ONCE(kvmirq_x86(vcpu->vm)->triple_fault_event))
			return -EINVAL;
		ev->triple_fault = e->triple_fault.pending;
	}
	return 0;
}

/* KVM_GET_VCPU_EVENTS and KVM_SET_VCPU_EVENTS. */
long kvmirq_x86_vcpu_events_ioctl(struct kvmirq_vcpu *vcpu, bool set,
				  void __user *argp)
{
	struct kvm_vcpu_events e;

	if (!set) {
		kvmirq_x86_get_events(vcpu, &e);
		return copy_to_user(argp, &e, sizeof(e)) ? -EFAULT : 0;
	}
	if (copy_from_user(&e, argp, sizeof(e)))
		return -EFAULT;
	return kvmirq_x86_set_events(vcpu, &e);
}

/* KVM_NMI: queued, folded when the vcpu next looks at its events. */
long kvmirq_x86_nmi(struct kvmirq_vcpu *vcpu)
{
	atomic_inc(&kvmirq_x86_ev(vcpu)->nmi_queued);
	kvmirq_stat_add(&vcpu->stats.nmis_injected, 1);
	trace_kvmirq_inject_nmi(vcpu->id);
	return 0;
}

/* KVM_SMI: requested, folded into smi_pending later. */
long kvmirq_x86_smi(struct kvmirq_vcpu *vcpu)
{
	atomic_set(&kvmirq_x86_ev(vcpu)->smi_queued, 1);
	return 0;
}

/* KVM_INTERRUPT: the interrupt a userspace PIC gives the CPU. */
long kvmirq_x86_interrupt(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvmirq_x86_events *ev = kvmirq_x86_ev(vcpu);
	struct kvm_interrupt irq;

	if (copy_from_user(&irq, argp, sizeof(irq)))
		return -EFAULT;
	if (irq.irq >= 256)
		return -EINVAL;
	switch (kvmirq_x86_irqchip_mode(vcpu->vm)) {
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

static const char *kvmirq_x86_mp_state_name(u32 state)
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
	struct kvmirq_x86_events *ev = kvmirq_x86_ev(vcpu);

	if (mutex_lock_killable(&vcpu->mutex))
		return;
	seq_printf(m, "mp_state %s (%u)\n",
		   kvmirq_x86_mp_state_name(ev->mp_state), ev->mp_state);
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
