/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq: the local APIC internals shared by lapic.c, apic_deliver.c and
 * the vcpu side (x86_vcpu.c, events.c, cpu.c).
 *
 * Locking: every register of the page and @base are written under the
 * LAPIC's spinlock, which is innermost (see x86.h) and taken with interrupts
 * off, since delivery may come from an irqfd wakeup in atomic context.  Delivery reads the
 * addressing registers (ID, LDR, DFR, SVR, @base) with READ_ONCE() to pick
 * targets, then takes each target's lock to accept.  @pending and
 * @pv_unhalted are set by delivery and consumed under vcpu->mutex.
 */
#ifndef KVMIRQ_LAPIC_H
#define KVMIRQ_LAPIC_H

#include <linux/bits.h>
#include <linux/spinlock.h>
#include <asm/apicdef.h>

#include "x86.h"

/* MSR_IA32_APICBASE bits */
#define KVMIRQ_APIC_BASE_MSR	0x1b
#define KVMIRQ_APIC_BASE_BSP	BIT_ULL(8)
#define KVMIRQ_APIC_BASE_EXTD	BIT_ULL(10)
#define KVMIRQ_APIC_BASE_EN	BIT_ULL(11)
#define KVMIRQ_APIC_BASE_ADDR	0xfffff000ULL
#define KVMIRQ_APIC_DEFAULT_BASE 0xfee00000ULL

/* struct kvmirq_lapic::pending bits */
#define KVMIRQ_APIC_INIT	0
#define KVMIRQ_APIC_SIPI	1

#define KVMIRQ_X2APIC_MSR_BASE	0x800
#define KVMIRQ_X2APIC_MSR_END	0x8ff

/**
 * struct kvmirq_lapic - one vcpu's local APIC
 * @s: the KVM_GET_LAPIC register page, first so that GET/SET are a copy
 * @lock: guards @s, @base and @arb_prio
 * @vcpu: its vcpu
 * @base: MSR_IA32_APICBASE
 * @pending: KVMIRQ_APIC_INIT and KVMIRQ_APIC_SIPI, latched until the vcpu
 *           processes them (KVM_GET_MP_STATE or an acknowledge)
 * @sipi_vector: the vector of the last SIPI
 * @pv_unhalted: set by a "remote read" (pv unhalt) message
 * @arb_prio: lowest-priority arbitration counter
 */
struct kvmirq_lapic {
	struct kvm_lapic_state s;
	spinlock_t lock;		/* registers, @base */
	struct kvmirq_vcpu *vcpu;
	u64 base;
	unsigned long pending;
	u32 sipi_vector;
	bool pv_unhalted;
	u32 arb_prio;
};

static inline struct kvmirq_lapic *kvmirq_lapic(struct kvmirq_vcpu *vcpu)
{
	return kvmirq_x86_vcpu(vcpu)->lapic;
}

static inline u32 kvmirq_lapic_reg(struct kvmirq_lapic *l, u32 off)
{
	return READ_ONCE(*(u32 *)(l->s.regs + off));
}

static inline void kvmirq_lapic_set_reg(struct kvmirq_lapic *l, u32 off,
					u32 val)
{
	WRITE_ONCE(*(u32 *)(l->s.regs + off), val);
}

static inline bool kvmirq_lapic_hw_enabled(struct kvmirq_lapic *l)
{
	return READ_ONCE(l->base) & KVMIRQ_APIC_BASE_EN;
}

static inline bool kvmirq_lapic_sw_enabled(struct kvmirq_lapic *l)
{
	return kvmirq_lapic_reg(l, APIC_SPIV) & APIC_SPIV_APIC_ENABLED;
}

static inline bool kvmirq_lapic_x2apic(struct kvmirq_lapic *l)
{
	return READ_ONCE(l->base) & KVMIRQ_APIC_BASE_EXTD;
}

/* lapic.c */
int kvmirq_lapic_create(struct kvmirq_vcpu *vcpu, bool boot);
void kvmirq_lapic_reset(struct kvmirq_lapic *l, bool init, bool boot);
void kvmirq_lapic_get_state(struct kvmirq_lapic *l, struct kvm_lapic_state *s,
			    bool x2apic_32bit_ids);
int kvmirq_lapic_set_state(struct kvmirq_lapic *l, struct kvm_lapic_state *s,
			   bool x2apic_32bit_ids);
int kvmirq_lapic_accept(struct kvmirq_lapic *l,
			const struct kvmirq_apic_irq *irq);
int kvmirq_apic_base_check(u64 old, u64 val, bool host);
int kvmirq_lapic_set_base(struct kvmirq_lapic *l, u64 val, bool host);
bool kvmirq_lapic_accepts_pic(struct kvmirq_lapic *l);
bool kvmirq_lapic_vector_busy(struct kvmirq_lapic *l, u32 vector);
int kvmirq_lapic_take_irr(struct kvmirq_lapic *l);
void kvmirq_lapic_eoi(struct kvmirq_lapic *l);
int kvmirq_lapic_mmio(struct kvmirq_lapic *l, struct kvmirq_io *io);
int kvmirq_lapic_msr(struct kvmirq_lapic *l, struct kvmirq_io *io);
void kvmirq_lapic_free(struct kvmirq_vcpu *vcpu);
int kvmirq_lapic_module_init(void);
void kvmirq_lapic_module_exit(void);
struct seq_file;
void kvmirq_lapic_dump(struct seq_file *m, struct kvmirq_vcpu *vcpu);

#endif /* KVMIRQ_LAPIC_H */
