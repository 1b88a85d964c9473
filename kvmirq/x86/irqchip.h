/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq: the x86 in-kernel irqchip of KVM_CREATE_IRQCHIP (PIC pair and
 * IOAPIC, pic.c and ioapic.c; the VM ioctls and routes, irqchip.c).
 * Lock order: see x86.h; the PIC and IOAPIC locks never nest.
 */
#ifndef KVMIRQ_IRQCHIP_H
#define KVMIRQ_IRQCHIP_H

#include "x86.h"

/* KVM ABI: the IOAPIC's pins and window. */
#define KVMIRQ_IOAPIC_NUM_PINS		24
#define KVMIRQ_IOAPIC_DEFAULT_BASE	0xfec00000ULL
#define KVMIRQ_IOAPIC_MEM_LENGTH	0x100

/* irqchip.c */
bool kvmirq_irqchip_in_kernel(struct kvmirq_vm *vm);
long kvmirq_irqchip_create(struct kvmirq_vm *vm);
long kvmirq_irqchip_irq_line(struct kvmirq_vm *vm, void __user *argp,
			     bool line_status);
long kvmirq_irqchip_state_ioctl(struct kvmirq_vm *vm, void __user *argp,
				bool set);
extern const struct kvmirq_irq_ops kvmirq_x86_irq_ops;
int kvmirq_irqchip_guest_io(struct kvmirq_vm *vm, struct kvmirq_io *io);
int kvmirq_irqchip_guest_ack(struct kvmirq_vm *vm, struct kvmirq_ack *ack);
int kvmirq_irqchip_guest_eoi(struct kvmirq_vm *vm, struct kvmirq_eoi *eoi);
void kvmirq_irqchip_destroy(struct kvmirq_vm *vm);

/* pic.c */
struct kvmirq_pic *kvmirq_pic_create(struct kvmirq_vm *vm);
void kvmirq_pic_destroy(struct kvmirq_pic *pic);
int kvmirq_pic_set_irq(struct kvmirq_vm *vm, u32 pin, int source, int level);
void kvmirq_pic_get_state(struct kvmirq_vm *vm, int c,
			  struct kvm_pic_state *state);
void kvmirq_pic_set_state(struct kvmirq_vm *vm, int c,
			  const struct kvm_pic_state *state);
void kvmirq_pic_update(struct kvmirq_vm *vm);
int kvmirq_pic_io(struct kvmirq_vm *vm, struct kvmirq_io *io);
struct seq_file;
void kvmirq_pic_dump(struct seq_file *m, struct kvmirq_vm *vm);

/* ioapic.c */
struct kvmirq_ioapic *kvmirq_ioapic_create(struct kvmirq_vm *vm);
void kvmirq_ioapic_release(struct kvmirq_vm *vm);
void kvmirq_ioapic_destroy(struct kvmirq_ioapic *ioapic);
int kvmirq_ioapic_set_irq(struct kvmirq_vm *vm, u32 pin, int source,
			  int level, bool line_status);
void kvmirq_ioapic_get_state(struct kvmirq_vm *vm,
			     struct kvm_ioapic_state *state);
void kvmirq_ioapic_set_state(struct kvmirq_vm *vm,
			     const struct kvm_ioapic_state *state);
int kvmirq_ioapic_mmio(struct kvmirq_vm *vm, struct kvmirq_io *io);
void kvmirq_ioapic_dump(struct seq_file *m, struct kvmirq_vm *vm);

#endif /* KVMIRQ_IRQCHIP_H */
