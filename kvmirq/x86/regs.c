// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: general, segment, control and debug registers (KVM_GET/SET_REGS,
 * KVM_GET/SET_SREGS, KVM_GET/SET_SREGS2, KVM_GET/SET_DEBUGREGS).
 *
 * KVM keeps segments in the VMCS or VMCB and converts on the way in and
 * out, so what GET returns after SET is the vendor's normalisation of what
 * was set.  kvmirq stores each segment already normalised as the host's
 * vendor (VMX with unrestricted guest on Intel, SVM on AMD) would return it.
 * The APIC base and CR8 are the LAPIC's (its APIC-base path and TPR).
 */
#include <linux/uaccess.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>

#include "lapic.h"
#include "vcpu_state.h"

#define RFLAGS_FIXED	X86_EFLAGS_FIXED

enum { SEG_CS, SEG_DS, SEG_ES, SEG_FS, SEG_GS, SEG_SS, SEG_TR, SEG_LDT };

static struct kvmirq_x86_regs *kvmirq_regs_state(struct kvmirq_vcpu *vcpu)
{
	return &kvmirq_x86_vcpu(vcpu)->st.r;
}

static struct kvm_segment *kvmirq_regs_sreg(struct kvm_sregs2 *s, int seg)
{
	switch (seg) {
	case SEG_CS:
		return &s->cs;
	case SEG_DS:
		return &s->ds;
	case SEG_ES:
		return &s->es;
	case SEG_FS:
		return &s->fs;
	case SEG_GS:
		return &s->gs;
	case SEG_SS:
		return &s->ss;
	case SEG_TR:
		return &s->tr;
	default:
		return &s->ldt;
	}
}

/* KVM ABI: svm_set_segment() then svm_get_segment(). */
static void kvmirq_regs_seg_svm(struct kvm_segment *v, int seg)
{
	bool p = v->present && !v->unusable;

	v->type &= 0xf;
	v->s &= 1;
	v->dpl &= 3;
	v->present = p;
	v->avl &= 1;
	v->l &= 1;
	v->db &= 1;
	v->g = v->limit > 0xfffff;
	v->unusable = !p;
	v->padding = 0;
	switch (seg) {
	case SEG_TR:
		v->type |= 2;	/* busy */
		break;
	case SEG_DS:
	case SEG_ES:
	case SEG_FS:
	case SEG_GS:
		if (p)
			v->type |= 1;	/* accessed */
		break;
	case SEG_SS:
		if (!p)
			v->db = 0;
		break;
	}
}

/* KVM ABI: __vmx_set_segment() then vmx_get_segment() (unrestricted). */
static void kvmirq_regs_seg_vmx(struct kvm_segment *v, int seg)
{
	if (v->unusable || !v->present) {
		v->type = 0;
		v->s = 0;
		v->dpl = 0;
		v->present = 0;
		v->avl = 0;
		v->l = 0;
		v->db = 0;
		v->g = 0;
		v->unusable = 1;
	} else {
		v->type &= 0xf;
		if (seg != SEG_LDT)
			v->type |= 1;
		v->s &= 1;
		v->dpl &= 3;
		v->present = 1;
		v->avl &= 1;
		v->l &= 1;
		v->db &= 1;
		v->g &= 1;
		v->unusable = 0;
	}
	v->padding = 0;
}

static void kvmirq_regs_seg_store(struct kvm_sregs2 *dst, const struct kvm_sregs2 *src)
{
	int seg;

	for (seg = SEG_CS; seg <= SEG_LDT; seg++) {
		*kvmirq_regs_sreg(dst, seg) = *kvmirq_regs_sreg((struct kvm_sregs2 *)src, seg);
		if (kvmirq_x86_host_amd())
			kvmirq_regs_seg_svm(kvmirq_regs_sreg(dst, seg), seg);
		else
			kvmirq_regs_seg_vmx(kvmirq_regs_sreg(dst, seg), seg);
	}
}

/* KVM ABI: a new vcpu's segments, as vmx_vcpu_reset() or init_vmcb(). */
static void kvmirq_regs_seg_reset(struct kvm_sregs2 *s)
{
	bool amd = kvmirq_x86_host_amd();
	struct kvm_sregs2 raw = {};
	int seg;

	for (seg = SEG_CS; seg <= SEG_SS; seg++) {
		*kvmirq_regs_sreg(&raw, seg) = (struct kvm_segment) {
			.limit = 0xffff, .type = amd ? 2 : 3, .s = 1,
			.present = 1,
		};
	}
	raw.cs.selector = 0xf000;
	raw.cs.base = 0xffff0000;
	raw.cs.type = amd ? 0xa : 0xb;
	raw.tr = (struct kvm_segment) { .limit = 0xffff, .type = amd ? 3 : 0xb,
					.present = 1 };
	raw.ldt = (struct kvm_segment) { .limit = 0xffff, .type = 2,
					 .present = 1 };
	kvmirq_regs_seg_store(s, &raw);
}

/**
 * kvmirq_regs_reset() - a new vcpu's registers (KVM's kvm_vcpu_reset())
 * @vcpu: the vcpu, not yet published
 */
void kvmirq_regs_reset(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_regs *r = kvmirq_regs_state(vcpu);

	memset(r, 0, sizeof(*r));
	r->regs.rflags = RFLAGS_FIXED;
	r->regs.rip = 0xfff0;
	/* KVM ABI: RDX holds CPUID.1:EAX, 0x600 without CPUID. */
	r->regs.rdx = 0x600;
	kvmirq_regs_seg_reset(&r->sregs);
	r->sregs.gdt.limit = 0xffff;
	r->sregs.idt.limit = 0xffff;
	r->sregs.cr0 = X86_CR0_ET | X86_CR0_NW | X86_CR0_CD;
	r->dr6 = 0xffff0ff0;
	r->dr7 = 0x400;
}

u64 kvmirq_vcpu_cr4(struct kvmirq_vcpu *vcpu)
{
	return kvmirq_regs_state(vcpu)->sregs.cr4;
}

u64 kvmirq_vcpu_apic_base(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);

	return l ? READ_ONCE(l->base) : kvmirq_x86_vcpu(vcpu)->ev.apic_base;
}

/**
 * kvmirq_x86_set_apic_base() - MSR_IA32_APICBASE from the host or the guest
 * @vcpu: the vcpu
 * @val: the new value
 * @host: from KVM_SET_MSRS or KVM_SET_SREGS (else a guest WRMSR)
 *
 * KVM ABI: kvm_set_apic_base(): bits above MAXPHYADDR, bits 0-7 and 9, and
 * EXTD without CPUID x2APIC are reserved.
 *
 * Return: 0 or -EINVAL.
 */
int kvmirq_x86_set_apic_base(struct kvmirq_vcpu *vcpu, u64 val, bool host)
{
	struct kvmirq_x86_events *ev = &kvmirq_x86_vcpu(vcpu)->ev;
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);

	if (l)
		return kvmirq_lapic_set_base(l, val, host);
	if (val & kvmirq_vcpu_apic_base_rsvd(vcpu))
		return -EINVAL;
	if (kvmirq_apic_base_check(ev->apic_base, val, host))
		return -EINVAL;
	ev->apic_base = val;
	return 0;
}

static void kvmirq_regs_get(struct kvmirq_vcpu *vcpu, struct kvm_regs *regs)
{
	*regs = kvmirq_regs_state(vcpu)->regs;
}

/*
 * KVM ABI: no checks; RFLAGS bit 1 is forced and a pending (not yet
 * injected) exception is dropped.
 */
static void kvmirq_regs_set(struct kvmirq_vcpu *vcpu, const struct kvm_regs *regs)
{
	struct kvmirq_x86_regs *r = kvmirq_regs_state(vcpu);

	r->regs = *regs;
	r->regs.rflags |= RFLAGS_FIXED;
	kvmirq_x86_vcpu(vcpu)->ev.exc_pending = false;
}

static u64 kvmirq_regs_sregs_cr8(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);

	if (l)
		return (kvmirq_lapic_reg(l, APIC_TASKPRI) & 0xf0) >> 4;
	return kvmirq_regs_state(vcpu)->sregs.cr8;
}

/* KVM ABI: __get_sregs_common(); SREGS2's flags and PDPTRs by the caller. */
static void kvmirq_regs_sregs_get_common(struct kvmirq_vcpu *vcpu, struct kvm_sregs2 *s)
{
	*s = kvmirq_regs_state(vcpu)->sregs;
	s->cr8 = kvmirq_regs_sregs_cr8(vcpu);
	s->apic_base = kvmirq_vcpu_apic_base(vcpu);
	s->flags = 0;
	memset(s->pdptrs, 0, sizeof(s->pdptrs));
}

static bool kvmirq_regs_sregs_pae_paging(const struct kvm_sregs2 *s)
{
	return (s->cr0 & X86_CR0_PG) && (s->cr4 & X86_CR4_PAE) && !(s->efer & EFER_LMA);
}

/* KVM ABI: kvm_is_valid_sregs() with kvm_is_valid_cr4/cr0(). */
static bool kvmirq_regs_sregs_valid(struct kvmirq_vcpu *vcpu, const struct kvm_sregs2 *s)
{
	u64 gpa_rsvd = GENMASK_ULL(63, kvmirq_vcpu_maxphyaddr(vcpu));

	if ((s->efer & EFER_LME) && (s->cr0 & X86_CR0_PG)) {
		if (!(s->cr4 & X86_CR4_PAE) || !(s->efer & EFER_LMA))
			return false;
		if (s->cr3 & gpa_rsvd)
			return false;
	} else if ((s->efer & EFER_LMA) || s->cs.l) {
		return false;
	}
	if (s->cr4 & kvmirq_vcpu_cr4_rsvd(vcpu))
		return false;
	/* KVM ABI: 6.12 checks EFER too (kvm_valid_efer()); 6.1 did not. */
	if (kvmirq_efer_reserved(s->efer) ||
	    !kvmirq_efer_guest_valid(vcpu, s->efer))
		return false;
	if (s->cr0 >> 32)
		return false;
	if ((s->cr0 & X86_CR0_NW) && !(s->cr0 & X86_CR0_CD))
		return false;
	if ((s->cr0 & X86_CR0_PG) && !(s->cr0 & X86_CR0_PE))
		return false;
	return true;
}

/* KVM ABI: kvm_set_cr8(); a CR8 with reserved bits is silently ignored. */
static void kvmirq_regs_sregs_set_cr8(struct kvmirq_vcpu *vcpu, u64 cr8)
{
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);

	if (cr8 & ~0xfULL)
		return;
	if (l)
		kvmirq_lapic_set_cr8(l, cr8);
	else
		kvmirq_regs_state(vcpu)->sregs.cr8 = cr8;
}

/* KVM ABI: __set_sregs_common(). */
static int kvmirq_regs_sregs_set_common(struct kvmirq_vcpu *vcpu,
					const struct kvm_sregs2 *s)
{
	struct kvmirq_x86_regs *r = kvmirq_regs_state(vcpu);
	struct kvm_sregs2 *d = &r->sregs;

	if (!kvmirq_regs_sregs_valid(vcpu, s))
		return -EINVAL;
	if (kvmirq_x86_set_apic_base(vcpu, s->apic_base, true))
		return -EINVAL;
	d->idt = s->idt;
	d->gdt = s->gdt;
	d->cr2 = s->cr2;
	d->cr3 = s->cr3;
	kvmirq_regs_sregs_set_cr8(vcpu, s->cr8);
	d->efer = s->efer;
	d->cr0 = s->cr0;
	d->cr4 = s->cr4;
	kvmirq_regs_seg_store(d, s);
	/* KVM ABI: the BSP at the reset vector in real mode becomes runnable. */
	if ((kvmirq_vcpu_apic_base(vcpu) & KVMIRQ_APIC_BASE_BSP) &&
	    r->regs.rip == 0xfff0 && s->cs.selector == 0xf000 &&
	    s->cs.base == 0xffff0000 && !(s->cr0 & X86_CR0_PE))
		kvmirq_x86_vcpu(vcpu)->ev.mp_state = KVM_MP_STATE_RUNNABLE;
	return 0;
}

/* KVM_SET_SREGS's interrupt bitmap: the lowest vector becomes injected. */
static void kvmirq_regs_sregs_set_bitmap(struct kvmirq_vcpu *vcpu, const __u64 *bitmap)
{
	struct kvmirq_x86_events *ev = &kvmirq_x86_vcpu(vcpu)->ev;
	unsigned int i;

	for (i = 0; i < KVM_NR_INTERRUPTS; i++) {
		if (!(bitmap[i / 64] & BIT_ULL(i % 64)))
			continue;
		ev->irq_injected = true;
		ev->irq_soft = false;
		ev->irq_nr = i;
		return;
	}
}

static void kvmirq_regs_sregs_to_v1(const struct kvm_sregs2 *s2, struct kvm_sregs *s)
{
	memset(s, 0, sizeof(*s));
	s->cs = s2->cs;
	s->ds = s2->ds;
	s->es = s2->es;
	s->fs = s2->fs;
	s->gs = s2->gs;
	s->ss = s2->ss;
	s->tr = s2->tr;
	s->ldt = s2->ldt;
	s->gdt = s2->gdt;
	s->idt = s2->idt;
	s->cr0 = s2->cr0;
	s->cr2 = s2->cr2;
	s->cr3 = s2->cr3;
	s->cr4 = s2->cr4;
	s->cr8 = s2->cr8;
	s->efer = s2->efer;
	s->apic_base = s2->apic_base;
}

static void kvmirq_regs_sregs_from_v1(const struct kvm_sregs *s, struct kvm_sregs2 *s2)
{
	memset(s2, 0, sizeof(*s2));
	s2->cs = s->cs;
	s2->ds = s->ds;
	s2->es = s->es;
	s2->fs = s->fs;
	s2->gs = s->gs;
	s2->ss = s->ss;
	s2->tr = s->tr;
	s2->ldt = s->ldt;
	s2->gdt = s->gdt;
	s2->idt = s->idt;
	s2->cr0 = s->cr0;
	s2->cr2 = s->cr2;
	s2->cr3 = s->cr3;
	s2->cr4 = s->cr4;
	s2->cr8 = s->cr8;
	s2->efer = s->efer;
	s2->apic_base = s->apic_base;
}

static long kvmirq_regs_sregs_get_ioctl(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvmirq_x86_events *ev = &kvmirq_x86_vcpu(vcpu)->ev;
	struct kvm_sregs2 s2;
	struct kvm_sregs s;

	kvmirq_regs_sregs_get_common(vcpu, &s2);
	kvmirq_regs_sregs_to_v1(&s2, &s);
	if (ev->irq_injected && !ev->irq_soft)
		s.interrupt_bitmap[ev->irq_nr / 64] |= BIT_ULL(ev->irq_nr % 64);
	return copy_to_user(argp, &s, sizeof(s)) ? -EFAULT : 0;
}

static long kvmirq_regs_sregs_set_ioctl(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvm_sregs2 s2;
	struct kvm_sregs s;
	int r;

	if (copy_from_user(&s, argp, sizeof(s)))
		return -EFAULT;
	kvmirq_regs_sregs_from_v1(&s, &s2);
	r = kvmirq_regs_sregs_set_common(vcpu, &s2);
	if (r)
		return r;
	/* KVM ABI: PAE PDPTRs are loaded from guest memory; see kvmirq.rst. */
	memset(kvmirq_regs_state(vcpu)->sregs.pdptrs, 0, sizeof(s2.pdptrs));
	kvmirq_regs_sregs_set_bitmap(vcpu, s.interrupt_bitmap);
	return 0;
}

static long kvmirq_regs_sregs2_get_ioctl(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvm_sregs2 s;

	kvmirq_regs_sregs_get_common(vcpu, &s);
	if (kvmirq_regs_sregs_pae_paging(&s)) {
		s.flags = KVM_SREGS2_FLAGS_PDPTRS_VALID;
		memcpy(s.pdptrs, kvmirq_regs_state(vcpu)->sregs.pdptrs,
		       sizeof(s.pdptrs));
	}
	return copy_to_user(argp, &s, sizeof(s)) ? -EFAULT : 0;
}

static long kvmirq_regs_sregs2_set_ioctl(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvm_sregs2 s;
	bool valid_pdptrs;
	int r;

	if (copy_from_user(&s, argp, sizeof(s)))
		return -EFAULT;
	if (s.flags & ~KVM_SREGS2_FLAGS_PDPTRS_VALID)
		return -EINVAL;
	valid_pdptrs = s.flags & KVM_SREGS2_FLAGS_PDPTRS_VALID;
	if (valid_pdptrs && !kvmirq_regs_sregs_pae_paging(&s))
		return -EINVAL;
	r = kvmirq_regs_sregs_set_common(vcpu, &s);
	if (r)
		return r;
	if (valid_pdptrs)
		memcpy(kvmirq_regs_state(vcpu)->sregs.pdptrs, s.pdptrs,
		       sizeof(s.pdptrs));
	else
		memset(kvmirq_regs_state(vcpu)->sregs.pdptrs, 0, sizeof(s.pdptrs));
	return 0;
}

static long kvmirq_regs_debugregs_get_ioctl(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvmirq_x86_regs *r = kvmirq_regs_state(vcpu);
	struct kvm_debugregs d;

	memset(&d, 0, sizeof(d));
	memcpy(d.db, r->db, sizeof(d.db));
	d.dr6 = r->dr6;
	d.dr7 = r->dr7;
	return copy_to_user(argp, &d, sizeof(d)) ? -EFAULT : 0;
}

/* KVM ABI: flags must be 0, DR6 and DR7 bits 63:32 are reserved. */
static long kvmirq_regs_debugregs_set_ioctl(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvmirq_x86_regs *r = kvmirq_regs_state(vcpu);
	struct kvm_debugregs d;

	if (copy_from_user(&d, argp, sizeof(d)))
		return -EFAULT;
	if (d.flags || (d.dr6 >> 32) || (d.dr7 >> 32))
		return -EINVAL;
	memcpy(r->db, d.db, sizeof(r->db));
	r->dr6 = d.dr6;
	r->dr7 = d.dr7;
	return 0;
}

long kvmirq_regs_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			    void __user *argp)
{
	struct kvm_regs regs;

	switch (ioctl) {
	case KVM_GET_REGS:
		kvmirq_regs_get(vcpu, &regs);
		return copy_to_user(argp, &regs, sizeof(regs)) ? -EFAULT : 0;
	case KVM_SET_REGS:
		if (copy_from_user(&regs, argp, sizeof(regs)))
			return -EFAULT;
		kvmirq_regs_set(vcpu, &regs);
		return 0;
	case KVM_GET_SREGS:
		return kvmirq_regs_sregs_get_ioctl(vcpu, argp);
	case KVM_SET_SREGS:
		return kvmirq_regs_sregs_set_ioctl(vcpu, argp);
	case KVM_GET_SREGS2:
		return kvmirq_regs_sregs2_get_ioctl(vcpu, argp);
	case KVM_SET_SREGS2:
		return kvmirq_regs_sregs2_set_ioctl(vcpu, argp);
	case KVM_GET_DEBUGREGS:
		return kvmirq_regs_debugregs_get_ioctl(vcpu, argp);
	case KVM_SET_DEBUGREGS:
		return kvmirq_regs_debugregs_set_ioctl(vcpu, argp);
	default:
		return KVMIRQ_NO_IOCTL;
	}
}
