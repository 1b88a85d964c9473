// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the x86 8259 PIC pair.
 *
 * Placeholder until the PIC lands.
 */
#include "x86.h"

bool kvmirq_pic_intr(struct kvmirq_vm *vm)
{
	return false;
}

u32 kvmirq_pic_ack(struct kvmirq_vm *vm)
{
	return 0;
}
