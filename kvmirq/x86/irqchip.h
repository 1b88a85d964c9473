/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq: the x86 in-kernel irqchip of KVM_CREATE_IRQCHIP: the interfaces
 * of irqchip.c (the VM ioctls and routes), pic.c (the PIC pair) and
 * ioapic.c (the IOAPIC).
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
int kvmirq_irqchip_enable_split(struct kvmirq_vm *vm, u64 pins);
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

/* True when the PIC pair's INTR output is asserted. */
bool kvmirq_pic_intr(struct kvmirq_vm *vm);

/*
 * The INTA cycle: returns the vector the CPU receives; the PIC must exist.
 * Process context, no LAPIC lock held: it may sleep (irqfd resampling).
 */
u32 kvmirq_pic_ack(struct kvmirq_vm *vm);

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

/*
 * kvmirq_ioapic_eoi() from the LAPIC of vcpu @vcpu_id (-1: from no LAPIC),
 * which decides whether the EOI ends a tracked RTC interrupt.
 */
void kvmirq_ioapic_eoi_from(struct kvmirq_vm *vm, int vcpu_id, u32 vector,
			    u32 trig_mode);

/* KVM_SET_LAPIC of vcpu @vcpu_id succeeded: recount the RTC tracking. */
void kvmirq_ioapic_lapic_restored(struct kvmirq_vm *vm, u32 vcpu_id);

#endif /* KVMIRQ_IRQCHIP_H */
