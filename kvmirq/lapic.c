// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the local APIC of each x86 vcpu and interrupt delivery to it.
 *
 * Placeholder until the LAPIC lands: no vcpu has a LAPIC, so nothing
 * matches and nothing is delivered.
 */
#include "x86.h"

int kvmirq_apic_deliver(struct kvmirq_vm *vm, const struct kvmirq_apic_irq *irq)
{
	return -1;
}

int kvmirq_msi_deliver(struct kvmirq_vm *vm, const struct kvm_msi *msi)
{
	return -1;
}

void kvmirq_apic_pic_intr_changed(struct kvmirq_vm *vm)
{
}
