/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq: state of the x86 machine model and the interfaces between its
 * controllers (PIC pair, IOAPIC, routing: pic.c, ioapic.c, routing.c;
 * local APICs and delivery: lapic.c).
 *
 * Lock order (outermost first):
 *   vm->lock  >  vcpu->mutex  >  irqs->lock (irq.h)  >  PIC lock, IOAPIC lock
 *   >  LAPIC lock
 * A LAPIC never calls into the IOAPIC or PIC with its own lock held: EOI
 * broadcasts and ExtINT acknowledges are made after it drops the lock.
 */
#ifndef KVMIRQ_X86_H
#define KVMIRQ_X86_H

#include "kvmirq.h"

struct kvmirq_pic;
struct kvmirq_ioapic;
struct kvmirq_lapic;

/**
 * struct kvmirq_x86_vm - VM-wide x86 state
 * @pic: the PIC pair, NULL until KVM_CREATE_IRQCHIP; published once with
 *       smp_store_release() under vm->lock and never cleared before the VM
 *       is destroyed
 * @ioapic: the IOAPIC, same rules
 */
struct kvmirq_x86_vm {
	struct kvmirq_pic *pic;
	struct kvmirq_ioapic *ioapic;
};

/**
 * struct kvmirq_x86_vcpu - per-vcpu x86 state
 * @lapic: the local APIC, or NULL in a VM without an in-kernel irqchip
 */
struct kvmirq_x86_vcpu {
	struct kvmirq_lapic *lapic;
};

static inline struct kvmirq_x86_vm *kvmirq_x86(struct kvmirq_vm *vm)
{
	return vm->arch;
}

static inline struct kvmirq_x86_vcpu *kvmirq_x86_vcpu(struct kvmirq_vcpu *vcpu)
{
	return vcpu->arch;
}

/**
 * struct kvmirq_apic_irq - an interrupt message to the local APICs
 * @vector: vector
 * @delivery_mode: ICR encoding, APIC_DM_* (bits 10:8)
 * @dest_mode: APIC_DEST_PHYSICAL or APIC_DEST_LOGICAL
 * @level: asserted (only meaningful for level-triggered messages)
 * @trig_mode: 0 edge, 1 level
 * @shorthand: ICR destination shorthand, APIC_DEST_NOSHORT for messages
 *             from the IOAPIC and MSIs
 * @dest_id: destination (8-bit xAPIC or 32-bit x2APIC id)
 * @msi_redir_hint: the MSI redirection hint
 *
 * The IOAPIC, MSI routes, KVM_SIGNAL_MSI and IPIs all build one of these.
 */
struct kvmirq_apic_irq {
	u32 vector;
	u32 delivery_mode;
	u32 dest_mode;
	bool level;
	u32 trig_mode;
	u32 shorthand;
	u32 dest_id;
	bool msi_redir_hint;
};

/* lapic.c */

/**
 * kvmirq_apic_deliver() - deliver a message to the matching local APICs
 * @vm: the VM
 * @irq: the message
 *
 * KVM's kvm_irq_delivery_to_apic(); may be called with the PIC or IOAPIC
 * lock held.
 *
 * Return: the number of LAPICs that accepted it, 0 if none did, -1 if no
 * present LAPIC matched.
 */
int kvmirq_apic_deliver(struct kvmirq_vm *vm, const struct kvmirq_apic_irq *irq);

/**
 * kvmirq_msi_deliver() - decode an MSI and deliver it
 * @vm: the VM
 * @msi: address, data (flags and devid are checked by the caller)
 *
 * Return: as kvmirq_apic_deliver().
 */
int kvmirq_msi_deliver(struct kvmirq_vm *vm, const struct kvm_msi *msi);

/**
 * kvmirq_apic_pic_intr_changed() - the PIC pair's INTR output changed
 * @vm: the VM
 *
 * KVM wires INTR to LINT0 of the boot vcpu's LAPIC (ExtINT).  Called
 * without PIC lock held.
 */
void kvmirq_apic_pic_intr_changed(struct kvmirq_vm *vm);

/* ioapic.c */

/**
 * kvmirq_ioapic_eoi() - an EOI broadcast reaches the IOAPIC
 * @vm: the VM
 * @vector: the vector the LAPIC ended
 * @trig_mode: 0 edge, 1 level (only level EOIs clear remote IRR)
 *
 * Called with no LAPIC lock held, in process context: it may sleep (irqfd
 * resampling runs from here).
 */
void kvmirq_ioapic_eoi(struct kvmirq_vm *vm, u32 vector, u32 trig_mode);

/* pic.c */

/* True when the PIC pair's INTR output is asserted. */
bool kvmirq_pic_intr(struct kvmirq_vm *vm);

/*
 * The INTA cycle: returns the vector the CPU receives; the PIC must exist.
 * Process context, no LAPIC lock held: it may sleep (irqfd resampling).
 */
u32 kvmirq_pic_ack(struct kvmirq_vm *vm);

#endif /* KVMIRQ_X86_H */
