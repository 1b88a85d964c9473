/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the x86 irqchip selftests (PIC, IOAPIC, routing, irqfd), and
 * a reference model of KVM's PIC pair used to check random sequences on
 * both KVM and kvmirq.
 */
#ifndef X86_IRQCHIP_H
#define X86_IRQCHIP_H

#include <stdio.h>

#include "x86_guest.h"

#define NR_IOAPIC_PINS		24
#define IOAPIC_BASE		0xfec00000ULL
#define RTE_MASKED		0x10000ULL
#define RTE_LEVEL		0x08000ULL
#define RTE_REMOTE_IRR		0x04000ULL
#define RTE_LOGICAL		0x00800ULL
#define RTE_DEST(d)		((__u64)(d) << 56)

/* A new x86 VM with an in-kernel irqchip, or -1. */
static inline int irqchip_vm(int dev)
{
	int vm = ioctl(dev, KVM_CREATE_VM, 0);

	if (vm >= 0 && ioctl(vm, KVM_CREATE_IRQCHIP, 0)) {
		close(vm);
		return -1;
	}
	return vm;
}

/* KVM_IRQ_LINE_STATUS; returns the status (the ioctl must succeed). */
static inline int irq_line(int vm, __u32 gsi, __u32 level)
{
	struct kvm_irq_level l = { .irq = gsi, .level = level };

	if (ioctl(vm, KVM_IRQ_LINE_STATUS, &l))
		return -1000 - errno;
	return l.status;
}

/* KVM_IRQ_LINE, which reports no status: 0 or the errno. */
static inline int set_irq_line(int vm, __u32 gsi, __u32 level)
{
	struct kvm_irq_level l = { .irq = gsi, .level = level };

	return kvmirq_errno(ioctl(vm, KVM_IRQ_LINE, &l));
}

static inline int get_chip(int vm, __u32 id, struct kvm_irqchip *chip)
{
	memset(chip, 0, sizeof(*chip));
	chip->chip_id = id;
	return ioctl(vm, KVM_GET_IRQCHIP, chip);
}

static inline struct kvm_pic_state get_pic(int vm, int c)
{
	struct kvm_irqchip chip;

	if (get_chip(vm, c, &chip))
		memset(&chip, 0xee, sizeof(chip));
	return chip.chip.pic;
}

static inline struct kvm_ioapic_state get_ioapic(int vm)
{
	struct kvm_irqchip chip;

	if (get_chip(vm, KVM_IRQCHIP_IOAPIC, &chip))
		memset(&chip, 0xee, sizeof(chip));
	return chip.chip.ioapic;
}

static inline int set_pic(int vm, int c, const struct kvm_pic_state *s)
{
	struct kvm_irqchip chip = { .chip_id = c };

	chip.chip.pic = *s;
	return ioctl(vm, KVM_SET_IRQCHIP, &chip);
}

static inline int set_ioapic(int vm, const struct kvm_ioapic_state *s)
{
	struct kvm_irqchip chip = { .chip_id = KVM_IRQCHIP_IOAPIC };

	chip.chip.ioapic = *s;
	return ioctl(vm, KVM_SET_IRQCHIP, &chip);
}

/* IOAPIC redirection entry @pin as KVM_GET_IRQCHIP shows it (0xee... on error). */
static inline __u64 get_rte(int vm, unsigned int pin)
{
	return get_ioapic(vm).redirtbl[pin].bits;
}

/* Sets IOAPIC redirection entry @pin, the rest kept: 0, or -1 with errno. */
static inline int set_rte(int vm, unsigned int pin, __u64 bits)
{
	struct kvm_irqchip chip;

	if (get_chip(vm, KVM_IRQCHIP_IOAPIC, &chip))
		return -1;
	chip.chip.ioapic.redirtbl[pin].bits = bits;
	return ioctl(vm, KVM_SET_IRQCHIP, &chip);
}

/* KVM_SET_GSI_ROUTING from an array; returns 0 or the errno. */
static inline int set_routing(int vm, const struct kvm_irq_routing_entry *e,
			      __u32 nr)
{
	struct kvm_irq_routing *r;
	int ret;

	r = calloc(1, sizeof(*r) + nr * sizeof(*e));
	if (!r)
		abort();
	r->nr = nr;
	if (nr)
		memcpy(r->entries, e, nr * sizeof(*e));
	ret = kvmirq_errno(ioctl(vm, KVM_SET_GSI_ROUTING, r));
	free(r);
	return ret;
}

static inline struct kvm_irq_routing_entry irqchip_route(__u32 gsi,
							 __u32 chip,
							 __u32 pin)
{
	struct kvm_irq_routing_entry e = {
		.gsi = gsi, .type = KVM_IRQ_ROUTING_IRQCHIP,
	};

	e.u.irqchip.irqchip = chip;
	e.u.irqchip.pin = pin;
	return e;
}

/* Guest-side actions (kvmirq only), aborting on error. */
static inline void outb(int vm, __u16 port, __u8 val)
{
	if (pio_out(vm, port, val))
		abort();
}

static inline __u8 inb(int vm, __u16 port)
{
	__u64 d = 0;

	if (guest_io(vm, KVMIRQ_SPACE_PIO, port, 1, 0, &d))
		abort();
	return d;
}

static inline void ioapic_write(int vm, __u32 reg, __u32 val)
{
	__u64 sel = reg, d = val;

	if (guest_io(vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE, 4, 1, &sel) ||
	    guest_io(vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE + 0x10, 4, 1, &d))
		abort();
}

static inline __u32 ioapic_read(int vm, __u32 reg)
{
	__u64 sel = reg, d = 0;

	if (guest_io(vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE, 4, 1, &sel) ||
	    guest_io(vm, KVMIRQ_SPACE_MMIO, IOAPIC_BASE + 0x10, 4, 0, &d))
		abort();
	return d;
}

/* The PIC's INTA cycle; returns the vector. */
static inline int pic_inta(int vm)
{
	struct kvmirq_ack ack = { 0 };

	if (ioctl(vm, KVMIRQ_GUEST_ACK, &ack) || ack.source != KVMIRQ_ACK_PIC)
		return -1;
	return ack.vector;
}

static inline int ioapic_eoi(int vm, __u32 vector)
{
	struct kvmirq_eoi eoi = { .vector = vector };

	return ioctl(vm, KVMIRQ_GUEST_EOI, &eoi) ? errno : 0;
}

/* xorshift64*: reproducible random sequences. */
static inline __u64 rnd(__u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/*
 * Reference model of KVM's PIC pair (arch/x86/kvm/i8259.c), written from
 * the spec.  Checked against KVM itself through KVM_IRQ_LINE and
 * KVM_GET/SET_IRQCHIP, and used for kvmirq's port and INTA paths.
 */
struct pic_model {
	struct kvm_pic_state c[2];
	unsigned int states[16];	/* sources asserting each pin */
};

static inline int pm_input(struct kvm_pic_state *s, int irq, int level)
{
	int mask = 1 << irq, ret = 1;

	if (s->elcr & mask) {
		if (level) {
			ret = !(s->irr & mask);
			s->irr |= mask;
			s->last_irr |= mask;
		} else {
			s->irr &= ~mask;
			s->last_irr &= ~mask;
		}
	} else if (level) {
		if (!(s->last_irr & mask)) {
			ret = !(s->irr & mask);
			s->irr |= mask;
		}
		s->last_irr |= mask;
	} else {
		s->last_irr &= ~mask;
	}
	return (s->imr & mask) ? -1 : ret;
}

static inline int pm_priority(const struct kvm_pic_state *s, int mask)
{
	int p = 0;

	if (!(mask & 0xff))
		return 8;
	while (!(mask & (1 << ((p + s->priority_add) & 7))))
		p++;
	return p;
}

static inline int pm_candidate(struct pic_model *m, int c)
{
	struct kvm_pic_state *s = &m->c[c];
	int p = pm_priority(s, s->irr & ~s->imr), isr = s->isr;

	if (p == 8)
		return -1;
	if (c == 0 && s->special_fully_nested_mode)
		isr &= ~4;
	return p < pm_priority(s, isr) ? (p + s->priority_add) & 7 : -1;
}

static inline void pm_update(struct pic_model *m)
{
	if (pm_candidate(m, 1) >= 0) {
		pm_input(&m->c[0], 2, 1);
		pm_input(&m->c[0], 2, 0);
	}
}

static inline int pm_set_irq(struct pic_model *m, int pin, int src, int level)
{
	int ret;

	if (level)
		m->states[pin] |= 1u << src;
	else
		m->states[pin] &= ~(1u << src);
	ret = pm_input(&m->c[pin >> 3], pin & 7, m->states[pin] != 0);
	pm_update(m);
	return ret;
}

static inline void pm_intack(struct kvm_pic_state *s, int irq)
{
	s->isr |= 1 << irq;
	if (!(s->elcr & (1 << irq)))
		s->irr &= ~(1 << irq);
	if (s->auto_eoi) {
		if (s->rotate_on_auto_eoi)
			s->priority_add = (irq + 1) & 7;
		s->isr &= ~(1 << irq);
	}
}

static inline int pm_inta(struct pic_model *m)
{
	int irq = pm_candidate(m, 0), irq2, vec;

	if (irq < 0) {
		vec = m->c[0].irq_base + 7;
	} else if (irq != 2) {
		pm_intack(&m->c[0], irq);
		vec = m->c[0].irq_base + irq;
	} else {
		pm_intack(&m->c[0], 2);
		irq2 = pm_candidate(m, 1);
		if (irq2 >= 0)
			pm_intack(&m->c[1], irq2);
		else
			irq2 = 7;
		vec = m->c[1].irq_base + irq2;
	}
	pm_update(m);
	return vec & 0xff;
}

static inline int pm_output(struct pic_model *m)
{
	return pm_candidate(m, 0) >= 0;
}

/* A random PIC state that SET_IRQCHIP accepts (it accepts anything). */
static inline struct kvm_pic_state random_pic_state(__u64 *seed, int c)
{
	struct kvm_pic_state s;
	__u64 a = rnd(seed), b = rnd(seed);

	memcpy(&s, &a, 8);
	memcpy((char *)&s + 8, &b, 8);
	/* Keep the flags boolean, as a guest could produce them. */
	s.priority_add &= 7;
	s.read_reg_select &= 1;
	s.poll &= 1;
	s.special_mask &= 1;
	s.init_state &= 3;
	s.auto_eoi &= 1;
	s.rotate_on_auto_eoi &= 1;
	s.special_fully_nested_mode &= 1;
	s.init4 &= 1;
	s.elcr_mask = c ? 0xde : 0xf8;
	s.elcr &= s.elcr_mask;
	return s;
}

#endif /* X86_IRQCHIP_H */
