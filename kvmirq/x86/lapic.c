// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the local APIC of each x86 vcpu: its register page, reset,
 * KVM_GET/SET_LAPIC, acceptance of interrupt messages, APIC base, the
 * CPU's acknowledge and EOI, and guest register access (MMIO and x2APIC
 * MSRs).  Delivery to the LAPICs is in apic_deliver.c.
 *
 * Lock order: the LAPIC lock is innermost (x86.h).  A register write that
 * sends an IPI or an EOI that reaches the IOAPIC records what to do and does
 * it after the lock is dropped.
 */
#include <linux/bitops.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "irqchip.h"
#include "lapic.h"
#include "trace.h"

/* KVM ABI: version 0x14, six LVT entries (no CMCI), no directed EOI. */
#define KVMIRQ_APIC_VERSION	0x00050014
#define KVMIRQ_NR_LVT		6
/* KVM ABI: without KVM_SET_CPUID2 MAXPHYADDR is 36. */
#define KVMIRQ_APIC_BASE_RSVD	(GENMASK_ULL(63, 36) | 0x2ffULL)

#define LVT_MASK	(APIC_LVT_MASKED | APIC_SEND_PENDING | APIC_VECTOR_MASK)
#define LINT_MASK	(LVT_MASK | APIC_MODE_MASK | APIC_INPUT_POLARITY | \
			 APIC_LVT_REMOTE_IRR | APIC_LVT_LEVEL_TRIGGER)

/* Guest-writable bits of each LVT, in register order from APIC_LVTT. */
static const u32 kvmirq_lvt_mask[KVMIRQ_NR_LVT] = {
	LVT_MASK,			/* timer: one-shot only, no CPUID */
	LVT_MASK | APIC_MODE_MASK,	/* thermal */
	LVT_MASK | APIC_MODE_MASK,	/* performance counter */
	LINT_MASK,			/* LINT0 */
	LINT_MASK,			/* LINT1 */
	LVT_MASK,			/* error */
};

/* What a register write leaves to do once the LAPIC lock is dropped. */
struct kvmirq_lapic_after {
	bool ipi;
	struct kvmirq_apic_irq irq;
	int eoi_vector;
	u32 eoi_trig;
};

static u32 kvmirq_lapic_vec_off(u32 base, u32 vec)
{
	return base + (vec / 32) * 0x10;
}

static bool kvmirq_lapic_test_vec(struct kvmirq_lapic *l, u32 base, u32 vec)
{
	return kvmirq_lapic_reg(l, kvmirq_lapic_vec_off(base, vec)) & BIT(vec % 32);
}

static void kvmirq_lapic_assign_vec(struct kvmirq_lapic *l, u32 base, u32 vec,
				    bool on)
{
	u32 off = kvmirq_lapic_vec_off(base, vec), val = kvmirq_lapic_reg(l, off);

	if (on)
		val |= BIT(vec % 32);
	else
		val &= ~BIT(vec % 32);
	kvmirq_lapic_set_reg(l, off, val);
}

/* The highest vector set in IRR, ISR or TMR, or -1. */
static int kvmirq_lapic_highest_vec(struct kvmirq_lapic *l, u32 base)
{
	int i;
	u32 val;

	for (i = 7; i >= 0; i--) {
		val = kvmirq_lapic_reg(l, base + i * 0x10);
		if (val)
			return i * 32 + fls(val) - 1;
	}
	return -1;
}

static void kvmirq_lapic_set_ppr_locked(struct kvmirq_lapic *l, int isrv)
{
	u32 tpr = kvmirq_lapic_reg(l, APIC_TASKPRI);
	u32 isr = isrv < 0 ? 0 : isrv;

	lockdep_assert_held(&l->lock);
	kvmirq_lapic_set_reg(l, APIC_PROCPRI, (tpr & 0xf0) >= (isr & 0xf0) ?
			     tpr & 0xff : isr & 0xf0);
}

static void kvmirq_lapic_update_ppr_locked(struct kvmirq_lapic *l)
{
	kvmirq_lapic_set_ppr_locked(l, kvmirq_lapic_highest_vec(l, APIC_ISR));
}

static u32 kvmirq_lapic_x2apic_ldr(u32 id)
{
	return ((id >> 4) << 16) | (1U << (id & 0xf));
}

static void kvmirq_lapic_set_x2apic_id_locked(struct kvmirq_lapic *l)
{
	lockdep_assert_held(&l->lock);
	kvmirq_lapic_set_reg(l, APIC_ID, l->vcpu->id);
	kvmirq_lapic_set_reg(l, APIC_LDR, kvmirq_lapic_x2apic_ldr(l->vcpu->id));
}

/**
 * kvmirq_lapic_reset() - KVM's kvm_lapic_reset()
 * @l: the LAPIC
 * @init: an INIT (keeps APIC base, ID and, in x2APIC mode, LDR)
 * @boot: the vcpu is the boot vcpu (KVM_SET_BOOT_CPU_ID)
 */
void kvmirq_lapic_reset(struct kvmirq_lapic *l, bool init, bool boot)
{
	unsigned long flags;
	u32 off;

	spin_lock_irqsave(&l->lock, flags);
	if (!init) {
		memset(&l->s, 0, sizeof(l->s));
		l->base = KVMIRQ_APIC_DEFAULT_BASE | KVMIRQ_APIC_BASE_EN |
			  (boot ? KVMIRQ_APIC_BASE_BSP : 0);
		kvmirq_lapic_set_reg(l, APIC_ID, l->vcpu->id << 24);
	}
	kvmirq_lapic_set_reg(l, APIC_LVR, KVMIRQ_APIC_VERSION);
	for (off = APIC_LVTT; off <= APIC_LVTERR; off += 0x10)
		kvmirq_lapic_set_reg(l, off, APIC_LVT_MASKED);
	/* KVM ABI: quirk LINT0_REENABLED, the boot vcpu's LINT0 is ExtINT. */
	if (boot)
		kvmirq_lapic_set_reg(l, APIC_LVT0, APIC_DM_EXTINT);
	kvmirq_lapic_set_reg(l, APIC_DFR, APIC_DFR_FLAT);
	kvmirq_lapic_set_reg(l, APIC_SPIV, 0xff);
	kvmirq_lapic_set_reg(l, APIC_TASKPRI, 0);
	if (!kvmirq_lapic_x2apic(l))
		kvmirq_lapic_set_reg(l, APIC_LDR, 0);
	kvmirq_lapic_set_reg(l, APIC_ESR, 0);
	kvmirq_lapic_set_reg(l, APIC_ICR, 0);
	kvmirq_lapic_set_reg(l, APIC_ICR2, 0);
	kvmirq_lapic_set_reg(l, APIC_TDCR, 0);
	kvmirq_lapic_set_reg(l, APIC_TMICT, 0);
	for (off = 0; off < 0x80; off += 0x10) {
		kvmirq_lapic_set_reg(l, APIC_IRR + off, 0);
		kvmirq_lapic_set_reg(l, APIC_ISR + off, 0);
		kvmirq_lapic_set_reg(l, APIC_TMR + off, 0);
	}
	kvmirq_lapic_update_ppr_locked(l);
	l->arb_prio = 0;
	spin_unlock_irqrestore(&l->lock, flags);
}

/*
 * LAPICs come from their own cache: the register page makes the struct just
 * over 1 KiB, which kmalloc would round up to a 2 KiB object, almost half of
 * it wasted per vcpu.
 */
static struct kmem_cache *kvmirq_lapic_cache;

/**
 * kvmirq_lapic_create() - give a vcpu its LAPIC, in reset state
 * @vcpu: the vcpu, not yet published
 * @boot: it is the boot vcpu
 *
 * Return: 0 or -ENOMEM.
 */
int kvmirq_lapic_create(struct kvmirq_vcpu *vcpu, bool boot)
{
	struct kvmirq_lapic *l;

	/* The 4 KiB-per-vcpu budget: the LAPIC stays well under 2 KiB. */
	BUILD_BUG_ON(sizeof(*l) > 2048);
	l = kmem_cache_zalloc(kvmirq_lapic_cache, GFP_KERNEL_ACCOUNT);
	if (!l)
		return -ENOMEM;
	spin_lock_init(&l->lock);
	l->vcpu = vcpu;
	kvmirq_lapic_reset(l, false, boot);
	kvmirq_x86_vcpu(vcpu)->lapic = l;
	return 0;
}

void kvmirq_lapic_free(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);

	if (l)
		kmem_cache_free(kvmirq_lapic_cache, l);
}

int kvmirq_lapic_module_init(void)
{
	kvmirq_lapic_cache = KMEM_CACHE(kvmirq_lapic, SLAB_ACCOUNT);
	return kvmirq_lapic_cache ? 0 : -ENOMEM;
}

void kvmirq_lapic_module_exit(void)
{
	kmem_cache_destroy(kvmirq_lapic_cache);
}

/**
 * kvmirq_lapic_get_state() - KVM_GET_LAPIC
 * @l: the LAPIC
 * @s: out, the register page
 * @x2apic_32bit_ids: KVM_X2APIC_API_USE_32BIT_IDS is enabled
 */
void kvmirq_lapic_get_state(struct kvmirq_lapic *l, struct kvm_lapic_state *s,
			    bool x2apic_32bit_ids)
{
	unsigned long flags;
	u32 *id = (u32 *)(s->regs + APIC_ID);

	spin_lock_irqsave(&l->lock, flags);
	memcpy(s, &l->s, sizeof(*s));
	spin_unlock_irqrestore(&l->lock, flags);
	/* No LAPIC timer runs: the current count is always 0. */
	*(u32 *)(s->regs + APIC_TMCCT) = 0;
	/* KVM ABI: the x2APIC ID is shown in xAPIC format unless 32-bit ids. */
	if (kvmirq_lapic_x2apic(l) && !x2apic_32bit_ids)
		*id = l->vcpu->id << 24;
}

/**
 * kvmirq_lapic_set_state() - KVM_SET_LAPIC: a raw copy plus KVM's fix-ups
 * @l: the LAPIC
 * @s: the page; modified by the fix-ups
 * @x2apic_32bit_ids: KVM_X2APIC_API_USE_32BIT_IDS is enabled
 *
 * Return: 0, or -EINVAL for a wrong x2APIC ID with 32-bit ids.
 */
int kvmirq_lapic_set_state(struct kvmirq_lapic *l, struct kvm_lapic_state *s,
			   bool x2apic_32bit_ids)
{
	unsigned long flags;
	u32 *id = (u32 *)(s->regs + APIC_ID);
	bool had_isr;
	int r = 0;

	spin_lock_irqsave(&l->lock, flags);
	had_isr = kvmirq_lapic_highest_vec(l, APIC_ISR) >= 0;
	/* KVM ABI: SVR is applied first, even if the fix-ups then fail. */
	kvmirq_lapic_set_reg(l, APIC_SPIV, *(u32 *)(s->regs + APIC_SPIV));
	if (kvmirq_lapic_x2apic(l)) {
		/* KVM ABI: the x2APIC ID is read-only (6.18; 6.1 stored it). */
		if (x2apic_32bit_ids && *id != l->vcpu->id) {
			r = -EINVAL;
			goto out;
		}
		*id = l->vcpu->id;
		*(u32 *)(s->regs + APIC_LDR) = kvmirq_lapic_x2apic_ldr(l->vcpu->id);
		/*
		 * KVM ABI: VMX keeps the x2APIC ICR as one 64-bit register at
		 * 0x300, ICR | ICR2 << 32; SVM keeps ICR and ICR2 apart.
		 */
		if (!kvmirq_x86_svm())
			*(u32 *)(s->regs + APIC_ICR + 4) = *(u32 *)(s->regs + APIC_ICR2);
	}
	memcpy(&l->s, s, sizeof(*s));
	kvmirq_lapic_set_reg(l, APIC_LVR, KVMIRQ_APIC_VERSION);
	kvmirq_lapic_set_reg(l, APIC_TMCCT, 0);
	/*
	 * KVM ABI: KVM recomputes PPR before it recounts ISR, so the new ISR
	 * counts only if the old ISR was not empty.
	 */
	kvmirq_lapic_set_ppr_locked(l, had_isr ? kvmirq_lapic_highest_vec(l, APIC_ISR) : -1);
	l->arb_prio = 0;
out:
	spin_unlock_irqrestore(&l->lock, flags);
	return r;
}

static int kvmirq_lapic_accept_fixed(struct kvmirq_lapic *l,
				     const struct kvmirq_apic_irq *irq)
{
	unsigned long flags;
	int r = 0;

	spin_lock_irqsave(&l->lock, flags);
	if (irq->delivery_mode == APIC_DM_LOWEST)
		l->arb_prio++;
	/* KVM ABI: a level-triggered deassert is dropped. */
	if (irq->trig_mode && !irq->level)
		goto out;
	if (!kvmirq_lapic_hw_enabled(l) || !kvmirq_lapic_sw_enabled(l))
		goto out;
	/* KVM ABI: no coalescing at the LAPIC and vectors 0-15 are taken. */
	kvmirq_lapic_assign_vec(l, APIC_TMR, irq->vector & 0xff, irq->trig_mode);
	kvmirq_lapic_assign_vec(l, APIC_IRR, irq->vector & 0xff, true);
	r = 1;
out:
	spin_unlock_irqrestore(&l->lock, flags);
	return r;
}

/**
 * kvmirq_lapic_accept() - KVM's __apic_accept_irq()
 * @l: a LAPIC the message is addressed to
 * @irq: the message
 *
 * Return: 1 if accepted, 0 if not.
 */
int kvmirq_lapic_accept(struct kvmirq_lapic *l,
			const struct kvmirq_apic_irq *irq)
{
	struct kvmirq_x86_events *ev = &kvmirq_x86_vcpu(l->vcpu)->ev;

	switch (irq->delivery_mode) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		return kvmirq_lapic_accept_fixed(l, irq);
	case APIC_DM_REMRD:
		WRITE_ONCE(l->pv_unhalted, true);
		return 1;
	case APIC_DM_NMI:
		atomic_inc(&ev->nmi_queued);
		return 1;
	case APIC_DM_INIT:
		if (irq->trig_mode && !irq->level)
			return 0;
		/* KVM ABI: an INIT replaces a pending SIPI. */
		WRITE_ONCE(l->pending, BIT(KVMIRQ_APIC_INIT));
		return 1;
	case APIC_DM_STARTUP:
		WRITE_ONCE(l->sipi_vector, irq->vector & 0xff);
		smp_wmb(); /* the vector before the event; pairs with consumer */
		set_bit(KVMIRQ_APIC_SIPI, &l->pending);
		return 1;
	case APIC_DM_SMI:
		/*
		 * KVM ABI: taken regardless of SVR on an SMM-capable host; a
		 * host without SMM accepts none (0: no remote IRR either).
		 */
		if (!kvmirq_x86_smm())
			return 0;
		atomic_set(&ev->smi_queued, 1);
		return 1;
	default:
		/* ExtINT is never accepted by a message. */
		return 0;
	}
}

/**
 * kvmirq_apic_base_check() - whether MSR_IA32_APICBASE may change
 * @old: the current value
 * @val: the new value
 * @host: a KVM_SET_MSRS write (else a guest WRMSR)
 *
 * Return: 0, or -EINVAL where KVM refuses the value.
 */
int kvmirq_apic_base_check(u64 old, u64 val, bool host)
{
	const u64 mode = KVMIRQ_APIC_BASE_EN | KVMIRQ_APIC_BASE_EXTD;

	if (old == val)
		return 0;
	if ((val & KVMIRQ_APIC_BASE_RSVD) ||
	    (val & mode) == KVMIRQ_APIC_BASE_EXTD)
		return -EINVAL;
	/* The guest may not leave x2APIC for xAPIC, nor enter x2APIC from off. */
	if (!host && (old & mode) == mode && (val & mode) == KVMIRQ_APIC_BASE_EN)
		return -EINVAL;
	if (!host && !(old & mode) && (val & mode) == mode)
		return -EINVAL;
	return 0;
}

/**
 * kvmirq_lapic_set_base() - write MSR_IA32_APICBASE
 * @l: the LAPIC
 * @val: the new value
 * @host: a KVM_SET_MSRS write (else a guest WRMSR)
 *
 * Return: 0, or -EINVAL where KVM refuses the value.
 */
int kvmirq_lapic_set_base(struct kvmirq_lapic *l, u64 val, bool host)
{
	u64 old = READ_ONCE(l->base);
	u64 changed = old ^ val;
	unsigned long flags;
	int r;

	/* KVM ABI: EXTD needs CPUID x2APIC; MAXPHYADDR comes from CPUID. */
	if (val & kvmirq_vcpu_apic_base_rsvd(l->vcpu))
		return -EINVAL;
	r = kvmirq_apic_base_check(old, val, host);
	if (r || old == val)
		return r;

	spin_lock_irqsave(&l->lock, flags);
	WRITE_ONCE(l->base, val);
	if ((changed & KVMIRQ_APIC_BASE_EN) && (val & KVMIRQ_APIC_BASE_EN))
		kvmirq_lapic_set_reg(l, APIC_ID, l->vcpu->id << 24);
	if (changed & KVMIRQ_APIC_BASE_EXTD) {
		if (val & KVMIRQ_APIC_BASE_EXTD)
			kvmirq_lapic_set_x2apic_id_locked(l);
		else if (val & KVMIRQ_APIC_BASE_EN)
			kvmirq_lapic_set_reg(l, APIC_ID, l->vcpu->id << 24);
	}
	spin_unlock_irqrestore(&l->lock, flags);
	return 0;
}

/**
 * kvmirq_lapic_set_cr8() - a CR8 write from KVM_SET_SREGS
 * @l: the LAPIC
 * @cr8: the new CR8, bits 3:0
 *
 * KVM's kvm_lapic_set_tpr(): CR8 is TPR bits 7:4; PPR follows.
 */
void kvmirq_lapic_set_cr8(struct kvmirq_lapic *l, u64 cr8)
{
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	kvmirq_lapic_set_reg(l, APIC_TASKPRI, (cr8 & 0xf) << 4);
	kvmirq_lapic_update_ppr_locked(l);
	spin_unlock_irqrestore(&l->lock, flags);
}

/* KVM's kvm_apic_accept_pic_intr(): hw-disabled or LINT0 unmasked ExtINT. */
bool kvmirq_lapic_accepts_pic(struct kvmirq_lapic *l)
{
	u32 lvt0 = kvmirq_lapic_reg(l, APIC_LVT0);

	if (!kvmirq_lapic_hw_enabled(l))
		return true;
	return !(lvt0 & APIC_LVT_MASKED) &&
	       (lvt0 & APIC_MODE_MASK) == APIC_DM_EXTINT;
}

/* The vector is in IRR or ISR (the IOAPIC's RTC coalescing asks). */
bool kvmirq_lapic_vector_busy(struct kvmirq_lapic *l, u32 vector)
{
	vector &= 0xff;
	return kvmirq_lapic_test_vec(l, APIC_IRR, vector) ||
	       kvmirq_lapic_test_vec(l, APIC_ISR, vector);
}

/**
 * kvmirq_lapic_take_irr() - the CPU acknowledges the LAPIC's best interrupt
 * @l: the LAPIC
 *
 * Return: the vector moved from IRR to ISR, or -1 when no IRR vector is
 * above PPR (or the LAPIC is hardware-disabled).
 */
int kvmirq_lapic_take_irr(struct kvmirq_lapic *l)
{
	unsigned long flags;
	int vec;

	spin_lock_irqsave(&l->lock, flags);
	/*
	 * KVM ABI: kvm_apic_has_interrupt() recomputes PPR first, so a PPR
	 * left stale by KVM_SET_LAPIC does not let a lower vector through.
	 */
	kvmirq_lapic_update_ppr_locked(l);
	vec = kvmirq_lapic_highest_vec(l, APIC_IRR);
	if (!kvmirq_lapic_hw_enabled(l) || vec < 0 ||
	    (vec & 0xf0) <= kvmirq_lapic_reg(l, APIC_PROCPRI)) {
		vec = -1;
		goto out;
	}
	kvmirq_lapic_assign_vec(l, APIC_IRR, vec, false);
	kvmirq_lapic_assign_vec(l, APIC_ISR, vec, true);
	kvmirq_lapic_update_ppr_locked(l);
out:
	spin_unlock_irqrestore(&l->lock, flags);
	return vec;
}

static void kvmirq_lapic_eoi_locked(struct kvmirq_lapic *l,
				    struct kvmirq_lapic_after *after)
{
	int vec = kvmirq_lapic_highest_vec(l, APIC_ISR);

	lockdep_assert_held(&l->lock);
	if (vec < 0)
		return;
	kvmirq_lapic_assign_vec(l, APIC_ISR, vec, false);
	kvmirq_lapic_update_ppr_locked(l);
	after->eoi_vector = vec;
	/*
	 * KVM ABI: SVR's directed-EOI bit (settable only by KVM_SET_LAPIC
	 * with the in-kernel IOAPIC) suppresses the level EOI broadcast; ack
	 * notifiers and the RTC count still see the EOI.
	 */
	after->eoi_trig = kvmirq_lapic_test_vec(l, APIC_TMR, vec) &&
			  !(kvmirq_lapic_reg(l, APIC_SPIV) & APIC_SPIV_DIRECTED_EOI);
	trace_kvmirq_eoi(l->vcpu->id, vec, after->eoi_trig);
}

static void kvmirq_lapic_do_after(struct kvmirq_lapic *l,
				  const struct kvmirq_lapic_after *after)
{
	struct kvmirq_vm *vm = l->vcpu->vm;

	/* KVM ABI: only the in-kernel IOAPIC sees EOIs (split: userspace). */
	if (after->eoi_vector >= 0 && kvmirq_x86_pic_ioapic_in_kernel(vm))
		kvmirq_ioapic_eoi_from(vm, l->vcpu->id, after->eoi_vector,
				       after->eoi_trig);
	if (after->ipi)
		kvmirq_apic_deliver_from(vm, l, &after->irq);
}

/* A write to the EOI register. */
void kvmirq_lapic_eoi(struct kvmirq_lapic *l)
{
	unsigned long flags;
	struct kvmirq_lapic_after after = { .eoi_vector = -1 };

	spin_lock_irqsave(&l->lock, flags);
	kvmirq_lapic_eoi_locked(l, &after);
	spin_unlock_irqrestore(&l->lock, flags);
	kvmirq_lapic_do_after(l, &after);
}

static void kvmirq_lapic_prepare_ipi(struct kvmirq_lapic *l, u32 low, u32 high,
				     struct kvmirq_lapic_after *after)
{
	struct kvmirq_apic_irq *irq = &after->irq;

	after->ipi = true;
	irq->vector = low & APIC_VECTOR_MASK;
	irq->delivery_mode = low & APIC_MODE_MASK;
	irq->dest_mode = low & APIC_DEST_LOGICAL;
	irq->level = low & APIC_INT_ASSERT;
	irq->trig_mode = !!(low & APIC_INT_LEVELTRIG);
	irq->shorthand = low & APIC_DEST_ALLBUT;	/* both shorthand bits */
	irq->msi_redir_hint = false;
	irq->dest_id = kvmirq_lapic_x2apic(l) ? high : high >> 24;
	trace_kvmirq_apic_ipi(l->vcpu->id, low, irq->dest_id);
}

static void kvmirq_lapic_write_spiv_locked(struct kvmirq_lapic *l, u32 val)
{
	u32 off;

	kvmirq_lapic_set_reg(l, APIC_SPIV, val & 0x3ff);
	/* Software-disabling masks every LVT. */
	if (!(val & APIC_SPIV_APIC_ENABLED))
		for (off = APIC_LVTT; off <= APIC_LVTERR; off += 0x10)
			kvmirq_lapic_set_reg(l, off, kvmirq_lapic_reg(l, off) |
					     APIC_LVT_MASKED);
}

static int kvmirq_lapic_write_lvt_locked(struct kvmirq_lapic *l, u32 off, u32 val)
{
	if (!kvmirq_lapic_sw_enabled(l))
		val |= APIC_LVT_MASKED;
	kvmirq_lapic_set_reg(l, off, val & kvmirq_lvt_mask[(off - APIC_LVTT) >> 4]);
	return 0;
}

/*
 * KVM's kvm_lapic_reg_write() for one aligned 32-bit register.  Returns 1
 * where KVM fails the write (a #GP for an x2APIC MSR, ignored for MMIO).
 */
static int kvmirq_lapic_write_locked(struct kvmirq_lapic *l, u32 off, u32 val,
				     struct kvmirq_lapic_after *after)
{
	bool x2apic = kvmirq_lapic_x2apic(l);

	lockdep_assert_held(&l->lock);
	switch (off) {
	case APIC_ID:
		if (x2apic)
			return 1;
		kvmirq_lapic_set_reg(l, APIC_ID, val & 0xff000000);
		return 0;
	case APIC_TASKPRI:
		kvmirq_lapic_set_reg(l, APIC_TASKPRI, val & 0xff);
		kvmirq_lapic_update_ppr_locked(l);
		return 0;
	case APIC_EOI:
		kvmirq_lapic_eoi_locked(l, after);
		return 0;
	case APIC_LDR:
		if (x2apic)
			return 1;
		kvmirq_lapic_set_reg(l, APIC_LDR, val & APIC_LDR_MASK);
		return 0;
	case APIC_DFR:
		if (x2apic)
			return 1;
		kvmirq_lapic_set_reg(l, APIC_DFR, val | 0x0fffffff);
		return 0;
	case APIC_SPIV:
		kvmirq_lapic_write_spiv_locked(l, val);
		return 0;
	case APIC_ESR:
		return x2apic && val;
	case APIC_ICR:
		val &= ~APIC_ICR_BUSY;
		kvmirq_lapic_set_reg(l, APIC_ICR, val);
		kvmirq_lapic_prepare_ipi(l, val, kvmirq_lapic_reg(l, APIC_ICR2), after);
		return 0;
	case APIC_ICR2:
		if (x2apic)
			return 1;
		kvmirq_lapic_set_reg(l, APIC_ICR2, val & 0xff000000);
		return 0;
	case APIC_LVTT:
	case APIC_LVTTHMR:
	case APIC_LVTPC:
	case APIC_LVT0:
	case APIC_LVT1:
	case APIC_LVTERR:
		return kvmirq_lapic_write_lvt_locked(l, off, val);
	case APIC_TMICT:
		kvmirq_lapic_set_reg(l, APIC_TMICT, val);
		return 0;
	case APIC_TDCR:
		kvmirq_lapic_set_reg(l, APIC_TDCR, val & 0xb);
		return 0;
	case APIC_SELF_IPI:
		/* KVM ABI: x2APIC only; bits above the vector are reserved. */
		if (!x2apic || (val & ~APIC_VECTOR_MASK))
			return 1;
		kvmirq_lapic_prepare_ipi(l, APIC_DEST_SELF | val, 0, after);
		return 0;
	default:
		return 1;
	}
}

static bool kvmirq_lapic_readable(struct kvmirq_lapic *l, u32 off)
{
	bool x2apic = kvmirq_lapic_x2apic(l);

	if (off >= APIC_ISR && off < APIC_ISR + 0x180)	/* ISR, TMR, IRR */
		return true;
	switch (off) {
	case APIC_ID:
	case APIC_LVR:
	case APIC_TASKPRI:
	case APIC_PROCPRI:
	case APIC_LDR:
	case APIC_SPIV:
	case APIC_ESR:
	case APIC_ICR:
	case APIC_LVTT:
	case APIC_LVTTHMR:
	case APIC_LVTPC:
	case APIC_LVT0:
	case APIC_LVT1:
	case APIC_LVTERR:
	case APIC_TMICT:
	case APIC_TMCCT:
	case APIC_TDCR:
		return true;
	case APIC_ARBPRI:
	case APIC_DFR:
	case APIC_ICR2:
		return !x2apic;
	default:
		return false;
	}
}

/* KVM's __apic_read(): @off is readable and 16-byte aligned. */
static u32 kvmirq_lapic_read_locked(struct kvmirq_lapic *l, u32 off)
{
	lockdep_assert_held(&l->lock);
	switch (off) {
	case APIC_ARBPRI:	/* KVM ABI: not implemented, reads 0 */
	case APIC_TMCCT:	/* no timer runs */
		return 0;
	case APIC_PROCPRI:
		kvmirq_lapic_update_ppr_locked(l);
		fallthrough;
	default:
		return kvmirq_lapic_reg(l, off);
	}
}

/**
 * kvmirq_lapic_mmio() - a guest access to the xAPIC page
 * @l: the LAPIC of the accessing vcpu
 * @io: the access
 *
 * Return: 0, or -ENXIO when the address is not in an enabled xAPIC page.
 */
int kvmirq_lapic_mmio(struct kvmirq_lapic *l, struct kvmirq_io *io)
{
	unsigned long flags;
	struct kvmirq_lapic_after after = { .eoi_vector = -1 };
	u64 base = READ_ONCE(l->base) & KVMIRQ_APIC_BASE_ADDR;
	u32 off, shift;

	if (!kvmirq_lapic_hw_enabled(l) || kvmirq_lapic_x2apic(l) ||
	    io->addr < base || io->addr - base >= 0x1000)
		return -ENXIO;
	off = io->addr - base;
	shift = (off & 0xf) * 8;

	spin_lock_irqsave(&l->lock, flags);
	if (!(io->flags & KVMIRQ_IO_WRITE)) {
		/* KVM ABI: an access across a register or unreadable reads 0. */
		if ((off & 0xf) + io->len <= 4 && kvmirq_lapic_readable(l, off & 0xff0))
			io->data = (kvmirq_lapic_read_locked(l, off & 0xff0) >> shift) &
				   GENMASK_ULL(io->len * 8 - 1, 0);
	} else if (io->len == 4 && !(off & 0xf)) {
		/* KVM ABI: other writes are dropped; failed writes ignored. */
		kvmirq_lapic_write_locked(l, off, io->data, &after);
	}
	spin_unlock_irqrestore(&l->lock, flags);
	kvmirq_lapic_do_after(l, &after);
	return 0;
}

/* x2APIC ICR bits that must be 0: 31:20, 17:16 and 13 (busy is ignored). */
#define X2APIC_ICR_RESERVED	(GENMASK_ULL(31, 20) | GENMASK_ULL(17, 16) | BIT_ULL(13))

static int kvmirq_lapic_x2apic_msr(struct kvmirq_lapic *l, struct kvmirq_io *io)
{
	unsigned long flags;
	struct kvmirq_lapic_after after = { .eoi_vector = -1 };
	u32 off = (io->addr - KVMIRQ_X2APIC_MSR_BASE) << 4;
	int fault = 0;

	if (!kvmirq_lapic_hw_enabled(l) || !kvmirq_lapic_x2apic(l))
		return -EIO;

	spin_lock_irqsave(&l->lock, flags);
	if (!(io->flags & KVMIRQ_IO_WRITE)) {
		if (!kvmirq_lapic_readable(l, off))
			fault = 1;
		else if (off == APIC_ICR)
			io->data = kvmirq_lapic_reg(l, APIC_ICR) |
				   (u64)kvmirq_lapic_reg(l, APIC_ICR2) << 32;
		else
			io->data = kvmirq_lapic_read_locked(l, off);
	} else if (off == APIC_ICR && (io->data & X2APIC_ICR_RESERVED)) {
		/* KVM ABI: reserved ICR bits are a #GP, nothing is sent. */
		fault = 1;
	} else if (off == APIC_ICR) {
		kvmirq_lapic_set_reg(l, APIC_ICR, io->data & ~APIC_ICR_BUSY);
		/* KVM ABI: VMX's 64-bit ICR; SVM writes ICR2 alone. */
		if (!kvmirq_x86_svm())
			kvmirq_lapic_set_reg(l, APIC_ICR + 4, io->data >> 32);
		kvmirq_lapic_set_reg(l, APIC_ICR2, io->data >> 32);
		kvmirq_lapic_prepare_ipi(l, io->data & ~APIC_ICR_BUSY, io->data >> 32,
					 &after);
	} else if (io->data >> 32 || off == APIC_ICR2) {
		fault = 1;
	} else {
		fault = kvmirq_lapic_write_locked(l, off, io->data, &after);
	}
	spin_unlock_irqrestore(&l->lock, flags);
	kvmirq_lapic_do_after(l, &after);
	return fault ? -EIO : 0;
}

/**
 * kvmirq_lapic_msr() - a guest RDMSR/WRMSR of APIC base or an x2APIC MSR
 * @l: the LAPIC of the accessing vcpu
 * @io: the access
 *
 * Return: 0; -EIO where the CPU would raise #GP; -ENXIO for other MSRs.
 */
int kvmirq_lapic_msr(struct kvmirq_lapic *l, struct kvmirq_io *io)
{
	if (io->addr == KVMIRQ_APIC_BASE_MSR) {
		if (!(io->flags & KVMIRQ_IO_WRITE)) {
			io->data = READ_ONCE(l->base);
			return 0;
		}
		return kvmirq_lapic_set_base(l, io->data, false) ? -EIO : 0;
	}
	if (io->addr >= KVMIRQ_X2APIC_MSR_BASE &&
	    io->addr <= KVMIRQ_X2APIC_MSR_END)
		return kvmirq_lapic_x2apic_msr(l, io);
	return -ENXIO;
}

/* Prints the vectors set in the 256-bit register array at @base. */
static void kvmirq_lapic_dump_vecs(struct seq_file *m, struct kvmirq_lapic *l,
				   const char *name, u32 base)
{
	u32 vec;

	seq_printf(m, "%s:", name);
	for (vec = 0; vec < 256; vec++)
		if (kvmirq_lapic_test_vec(l, base, vec))
			seq_printf(m, " %u", vec);
	seq_putc(m, '\n');
}

static void kvmirq_lapic_dump_lvt(struct seq_file *m, struct kvmirq_lapic *l,
				  const char *name, u32 off)
{
	u32 v = kvmirq_lapic_reg(l, off);

	seq_printf(m, "lvt %-7s %08x vec %3u dm %u%s%s\n", name, v,
		   v & APIC_VECTOR_MASK, (v >> 8) & 7,
		   (v & APIC_LVT_LEVEL_TRIGGER) ? " level" : "",
		   (v & APIC_LVT_MASKED) ? " masked" : "");
}

/* debugfs "lapic": the registers, as QEMU's "info lapic" shows them. */
void kvmirq_lapic_dump(struct seq_file *m, struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);
	unsigned long flags;
	const char *mode;
	u32 id;

	if (!l) {
		seq_puts(m, "no in-kernel LAPIC\n");
		return;
	}
	spin_lock_irqsave(&l->lock, flags);
	if (!kvmirq_lapic_hw_enabled(l))
		mode = "disabled";
	else
		mode = kvmirq_lapic_x2apic(l) ? "x2apic" : "xapic";
	id = kvmirq_lapic_reg(l, APIC_ID);
	seq_printf(m, "mode %s base %#llx%s sw-enabled %u\n", mode,
		   l->base & KVMIRQ_APIC_BASE_ADDR,
		   (l->base & KVMIRQ_APIC_BASE_BSP) ? " bsp" : "",
		   kvmirq_lapic_sw_enabled(l));
	seq_printf(m, "id %u (reg %08x) version %08x ldr %08x dfr %08x\n",
		   kvmirq_lapic_x2apic(l) ? id : id >> 24, id,
		   kvmirq_lapic_reg(l, APIC_LVR), kvmirq_lapic_reg(l, APIC_LDR),
		   kvmirq_lapic_reg(l, APIC_DFR));
	seq_printf(m, "tpr %02x ppr %02x svr %08x esr %08x arb_prio %u\n",
		   kvmirq_lapic_reg(l, APIC_TASKPRI),
		   kvmirq_lapic_reg(l, APIC_PROCPRI),
		   kvmirq_lapic_reg(l, APIC_SPIV), kvmirq_lapic_reg(l, APIC_ESR),
		   l->arb_prio);
	seq_printf(m, "icr %08x icr2 %08x\n", kvmirq_lapic_reg(l, APIC_ICR),
		   kvmirq_lapic_reg(l, APIC_ICR2));
	kvmirq_lapic_dump_vecs(m, l, "irr", APIC_IRR);
	kvmirq_lapic_dump_vecs(m, l, "isr", APIC_ISR);
	kvmirq_lapic_dump_vecs(m, l, "tmr", APIC_TMR);
	kvmirq_lapic_dump_lvt(m, l, "timer", APIC_LVTT);
	kvmirq_lapic_dump_lvt(m, l, "thermal", APIC_LVTTHMR);
	kvmirq_lapic_dump_lvt(m, l, "perf", APIC_LVTPC);
	kvmirq_lapic_dump_lvt(m, l, "lint0", APIC_LVT0);
	kvmirq_lapic_dump_lvt(m, l, "lint1", APIC_LVT1);
	kvmirq_lapic_dump_lvt(m, l, "error", APIC_LVTERR);
	seq_printf(m, "timer initial %08x current %08x divide %08x\n",
		   kvmirq_lapic_reg(l, APIC_TMICT), kvmirq_lapic_reg(l, APIC_TMCCT),
		   kvmirq_lapic_reg(l, APIC_TDCR));
	seq_printf(m, "pending init %u sipi %u (vector %#x) pv_unhalted %u\n",
		   test_bit(KVMIRQ_APIC_INIT, &l->pending),
		   test_bit(KVMIRQ_APIC_SIPI, &l->pending), l->sipi_vector,
		   l->pv_unhalted);
	spin_unlock_irqrestore(&l->lock, flags);
}

#if IS_ENABLED(CONFIG_KUNIT)
#include "tests/lapic_kunit.c"
#endif
