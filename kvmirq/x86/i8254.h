/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq: the in-kernel i8254 PIT of KVM_CREATE_PIT2 (i8254.c).
 *
 * Lock order: vm->lock  >  PIT lock (mutex)  >  irqs->lock (irq.h).  The
 * channel 0 timer and the IRQ0 ack notifier take no lock; they queue the
 * injection work, which raises GSI 0 with no PIT lock held.
 */
#ifndef KVMIRQ_I8254_H
#define KVMIRQ_I8254_H

#include "x86.h"

struct kvmirq_pit;
struct seq_file;

long kvmirq_pit_vm_ioctl(struct kvmirq_vm *vm, unsigned int ioctl,
			 unsigned long arg);
/* Called from the VM ioctl switch directly: QEMU saves the PIT often. */
long kvmirq_pit_get_pit2(struct kvmirq_vm *vm, void __user *argp);
long kvmirq_pit_set_pit2(struct kvmirq_vm *vm, void __user *argp);
int kvmirq_pit_io(struct kvmirq_vm *vm, struct kvmirq_io *io);
void kvmirq_pit_destroy(struct kvmirq_vm *vm);
void kvmirq_pit_dump(struct seq_file *m, struct kvmirq_vm *vm);

#endif /* KVMIRQ_I8254_H */
