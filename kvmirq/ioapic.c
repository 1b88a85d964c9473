// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the x86 IOAPIC.
 *
 * Placeholder until the IOAPIC lands.
 */
#include "x86.h"

void kvmirq_ioapic_eoi(struct kvmirq_vm *vm, u32 vector, u32 trig_mode)
{
}
