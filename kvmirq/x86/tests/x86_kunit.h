/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-alone x86 VM for the KUnit suites of lapic.c and apic_deliver.c:
 * a struct kvmirq_vm with up to KX_NR vcpus, each with a LAPIC in reset
 * state, published in vm->vcpus as KVM_CREATE_VCPU would, but without fds,
 * model hooks, PIC or IOAPIC.  The irqchip is "split", so an EOI reaches no
 * IOAPIC.  Vcpus get their creation index in array order.
 */
#ifndef KVMIRQ_TESTS_X86_KUNIT_H
#define KVMIRQ_TESTS_X86_KUNIT_H

#include <kunit/test.h>

#include "../lapic.h"

#define KX_NR	8

struct kx_vm {
	struct kvmirq_vm vm;
	struct kvmirq_x86_vm x86;
	unsigned int nr;
	struct kvmirq_vcpu vcpu[KX_NR];
	struct kvmirq_x86_vcpu xv[KX_NR];
	struct kvmirq_lapic lapic[KX_NR];
};

/*
 * Sets up vcpu @id (creation index @idx) of @vm with its LAPIC in reset
 * state, as KVM_CREATE_VCPU would, without publishing it.  The boot vcpu's
 * LINT0 is ExtINT.  Shared with x86_chipset_kunit.h.
 */
/* A CPUID table with x2APIC: the fixtures' vcpus may enter x2APIC mode. */
static struct kvmirq_x86_cpuid kx_cpuid_x2apic = {
	.maxphyaddr = 36,
	.x2apic = true,
};

/* The fixtures' vcpu state: only its CPUID table is read, by the LAPIC. */
static struct kvmirq_x86_state kx_state_x2apic = {
	.cpuid = &kx_cpuid_x2apic,
};

static inline void kx_vcpu_init(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
				struct kvmirq_x86_vcpu *xv,
				struct kvmirq_lapic *l, u32 id, u32 idx,
				bool boot)
{
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->idx = idx;
	vcpu->arch = xv;
	xv->ev.extint_vector = -1;
	xv->st = &kx_state_x2apic;
	xv->lapic = l;
	spin_lock_init(&l->lock);
	l->vcpu = vcpu;
	kvmirq_lapic_reset(l, false, boot);
}

/*
 * The suite's init and exit: KUnit keeps test->priv from one parameter to
 * the next, so each case starts with none and the exit forgets its VM.
 */
static inline int kx_vm_init(struct kunit *test)
{
	test->priv = NULL;
	return 0;
}

/*
 * Frees what kx_vm_create() made outside kunit_kzalloc(): the xarray and
 * the delivery map.
 */
static inline void kx_vm_exit(struct kunit *test)
{
	struct kx_vm *kx = test->priv;

	if (kx) {
		xa_destroy(&kx->vm.vcpus);
		kvmirq_apic_map_free(&kx->vm);
	}
	test->priv = NULL;
}

/* Publishes @vcpu as KVM_CREATE_VCPU does: vm->vcpus and the delivery map. */
static inline void kx_vcpu_publish(struct kunit *test, struct kvmirq_vm *vm,
				   struct kvmirq_vcpu *vcpu)
{
	void *old;

	vm->nr_vcpus++;
	KUNIT_ASSERT_EQ(test, kvmirq_apic_map_reserve(vm), 0);
	old = xa_store(&vm->vcpus, vcpu->id, vcpu, GFP_KERNEL);
	KUNIT_ASSERT_EQ(test, xa_err(old), 0);
	KUNIT_ASSERT_NULL(test, old);
	mutex_lock(&vm->lock);
	vm->nr_online++;
	kvmirq_apic_map_add(vcpu);
	mutex_unlock(&vm->lock);
}

/* A VM with vcpus of ids @ids[0..@nr-1], created in that order. */
static inline struct kx_vm *kx_vm_create(struct kunit *test, const u32 *ids,
					 unsigned int nr)
{
	struct kx_vm *kx;
	unsigned int i;

	KUNIT_ASSERT_LE(test, nr, KX_NR);
	KUNIT_ASSERT_NULL(test, test->priv);
	kx = kunit_kzalloc(test, sizeof(*kx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kx);
	xa_init(&kx->vm.vcpus);
	mutex_init(&kx->vm.lock);
	test->priv = kx;
	kx->vm.arch = &kx->x86;
	kx->x86.irqchip_mode = KVMIRQ_IRQCHIP_SPLIT;
	for (i = 0; i < nr; i++) {
		kx_vcpu_init(&kx->vm, &kx->vcpu[i], &kx->xv[i], &kx->lapic[i],
			     ids[i], i, i == 0);
		kx_vcpu_publish(test, &kx->vm, &kx->vcpu[i]);
	}
	kx->nr = nr;
	return kx;
}

/* A VM with vcpus 0..@nr-1. */
static inline struct kx_vm *kx_vm_seq(struct kunit *test, unsigned int nr)
{
	static const u32 ids[KX_NR] = { 0, 1, 2, 3, 4, 5, 6, 7 };

	return kx_vm_create(test, ids, nr);
}

static inline struct kvmirq_lapic *kx_lapic(struct kunit *test)
{
	return &kx_vm_seq(test, 1)->lapic[0];
}

static inline u32 kx_reg(struct kvmirq_lapic *l, u32 off)
{
	return kvmirq_lapic_reg(l, off);
}

static inline void kx_set(struct kvmirq_lapic *l, u32 off, u32 val)
{
	kvmirq_lapic_set_reg(l, off, val);
}

static inline bool kx_vec(struct kvmirq_lapic *l, u32 base, u32 vec)
{
	return kvmirq_lapic_reg(l, base + (vec / 32) * 0x10) & BIT(vec % 32);
}

static inline void kx_set_vec(struct kvmirq_lapic *l, u32 base, u32 vec)
{
	u32 off = base + (vec / 32) * 0x10;

	kvmirq_lapic_set_reg(l, off, kvmirq_lapic_reg(l, off) | BIT(vec % 32));
}

/* Software-enabled (SVR bit 8) with the given logical addressing. */
static inline void kx_logical(struct kvmirq_lapic *l, u32 ldr, u32 dfr)
{
	kx_set(l, APIC_SPIV, 0x1ff);
	kx_set(l, APIC_LDR, ldr);
	kx_set(l, APIC_DFR, dfr);
}

/* Software-enabled and in x2APIC mode (ID and LDR follow the vcpu id). */
static inline void kx_x2apic(struct kunit *test, struct kvmirq_lapic *l)
{
	kx_set(l, APIC_SPIV, 0x1ff);
	KUNIT_ASSERT_EQ(test, kvmirq_lapic_set_base(l, KVMIRQ_APIC_DEFAULT_BASE |
						    KVMIRQ_APIC_BASE_EN |
						    KVMIRQ_APIC_BASE_EXTD, true), 0);
}

/* Which vcpus (bit = array index) have @vec in IRR; then clears all IRRs. */
static inline u32 kx_irr_mask(struct kx_vm *kx, u32 vec)
{
	unsigned int i, off;
	u32 m = 0;

	for (i = 0; i < kx->nr; i++) {
		if (kx_vec(&kx->lapic[i], APIC_IRR, vec))
			m |= BIT(i);
		for (off = 0; off < 0x80; off += 0x10)
			kx_set(&kx->lapic[i], APIC_IRR + off, 0);
	}
	return m;
}

#endif /* KVMIRQ_TESTS_X86_KUNIT_H */
