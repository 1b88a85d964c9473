// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: what an x86 vcpu fd does as the guest CPU (KVMIRQ_GUEST_IO, _ACK
 * and _EOI on a vcpu): its accesses reach its own LAPIC; it takes events
 * in the order a CPU accepts them; it ends interrupts at its LAPIC.
 *
 * Locking: called under vcpu->mutex (guest.c); the PIC's INTA cycle is
 * made with no LAPIC lock held.
 */
#include "irqchip.h"
#include "lapic.h"

/**
 * kvmirq_x86_cpu_io() - a guest access by the CPU of @vcpu
 * @vcpu: the vcpu
 * @io: the access, checked
 *
 * Return: 0, or -ENXIO when the access is not the LAPIC's (the chipset
 * may take it).
 */
int kvmirq_x86_cpu_io(struct kvmirq_vcpu *vcpu, struct kvmirq_io *io)
{
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);

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

/* ExtINT through LINT0: the PIC (KVM_CREATE_IRQCHIP) or KVM_INTERRUPT. */
static int kvmirq_x86_cpu_take_extint(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_events *ev = kvmirq_x86_ev(vcpu);
	int vec = -1;

	if (!kvmirq_lapic_accepts_pic(kvmirq_lapic(vcpu)))
		return -1;
	switch (kvmirq_x86_irqchip_mode(vcpu->vm)) {
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

static int kvmirq_x86_cpu_ack_lapic(struct kvmirq_vcpu *vcpu,
				    struct kvmirq_ack *ack)
{
	struct kvmirq_x86_events *ev = kvmirq_x86_ev(vcpu);
	int vec;

	/* As KVM's vcpu_enter_guest(): the SMI request is folded first. */
	kvmirq_x86_fold_smi(ev);
	ack->source = kvmirq_x86_accept_events(vcpu, &ack->vector);
	if (ack->source != KVMIRQ_ACK_NONE)
		return 0;
	/* A CPU waiting for INIT or SIPI takes no interrupt. */
	if (ev->mp_state == KVM_MP_STATE_UNINITIALIZED ||
	    ev->mp_state == KVM_MP_STATE_INIT_RECEIVED)
		return 0;
	if (kvmirq_x86_take_smi(ev)) {
		ack->source = KVMIRQ_ACK_SMI;
		goto taken;
	}
	if (kvmirq_x86_take_nmi(ev)) {
		ack->source = KVMIRQ_ACK_NMI;
		goto taken;
	}
	/* SMM entry clears IF, and kvmirq has no STI: no INTR in SMM. */
	if (ev->smm)
		return 0;
	vec = kvmirq_x86_cpu_take_extint(vcpu);
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
	kvmirq_x86_set_mp_state(vcpu, KVM_MP_STATE_RUNNABLE);
	return 0;
}

/**
 * kvmirq_x86_cpu_ack() - the CPU of @vcpu takes its next event
 * @vcpu: the vcpu
 * @ack: gets the source and vector (KVMIRQ_ACK_NONE when none)
 *
 * With a LAPIC: latched INIT/SIPI first (as KVM processes them before
 * injecting), then SMI, NMI, ExtINT, the LAPIC's IRR above PPR; in SMM only
 * an NMI (once unmasked).  Without an in-kernel irqchip: SMI, NMI, then the
 * KVM_INTERRUPT vector.
 *
 * Return: 0.
 */
int kvmirq_x86_cpu_ack(struct kvmirq_vcpu *vcpu, struct kvmirq_ack *ack)
{
	struct kvmirq_x86_events *ev;

	if (kvmirq_lapic(vcpu))
		return kvmirq_x86_cpu_ack_lapic(vcpu, ack);
	ev = kvmirq_x86_ev(vcpu);
	if (kvmirq_x86_take_smi(ev)) {
		ack->source = KVMIRQ_ACK_SMI;
	} else if (kvmirq_x86_take_nmi(ev)) {
		ack->source = KVMIRQ_ACK_NMI;
	} else if (ev->irq_injected && !ev->smm) {
		ev->irq_injected = false;
		ack->source = KVMIRQ_ACK_PIC;
		ack->vector = ev->irq_nr;
	}
	return 0;
}

/**
 * kvmirq_x86_cpu_eoi() - the CPU of @vcpu writes its LAPIC's EOI register
 * @vcpu: the vcpu
 *
 * Return: 0, or -ENXIO without a LAPIC.
 */
int kvmirq_x86_cpu_eoi(struct kvmirq_vcpu *vcpu)
{
	if (!kvmirq_lapic(vcpu))
		return -ENXIO;
	kvmirq_lapic_eoi(kvmirq_lapic(vcpu));
	return 0;
}
