/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bare x86 VM for the KUnit suites of the chipset (pic_kunit.c,
 * ioapic_kunit.c): the VM object, its x86 state, an empty routing table,
 * and vcpus that have a LAPIC in its reset state, without fds.  Unlike
 * x86_kunit.h (the LAPIC suites' fixed array of split-irqchip vcpus), the
 * irqchip is in-kernel and vcpus are added one by one, boot vcpu or not;
 * each vcpu is set up by x86_kunit.h's kx_vcpu_init().
 *
 * The suites run at insmod, before the module's init: the LAPIC slab cache
 * does not exist yet, so the LAPICs here are allocated with the vcpu and
 * set up by kvmirq_lapic_reset(), as kvmirq_lapic_create() does.  KUnit
 * runs each case in a kthread (no mm): nothing here may need one.
 */
#ifndef KVMIRQ_TESTS_X86_CHIPSET_KUNIT_H
#define KVMIRQ_TESTS_X86_CHIPSET_KUNIT_H

#include <kunit/test.h>

#include "irq.h"
#include "../irqchip.h"
#include "../lapic.h"
#include "x86_kunit.h"

struct kvmirq_test_vm {
	struct kvmirq_vm vm;
	struct kvmirq_x86_vm x86;
	struct kvmirq_irqs irqs;
};

struct kvmirq_test_vcpu {
	struct kvmirq_vcpu vcpu;
	struct kvmirq_x86_vcpu x86;
	struct kvmirq_lapic lapic;
};

/* A VM with the in-kernel irqchip mode set but no PIC or IOAPIC yet. */
static inline struct kvmirq_vm *kvmirq_test_vm_create(struct kunit *test)
{
	struct kvmirq_test_vm *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->vm.model = &kvmirq_x86_model;
	xa_init(&t->vm.vcpus);
	INIT_LIST_HEAD(&t->vm.devices);
	mutex_init(&t->vm.lock);
	t->vm.arch = &t->x86;
	t->x86.irqchip_mode = KVMIRQ_IRQCHIP_KERNEL;
	mutex_init(&t->irqs.lock);
	spin_lock_init(&t->irqs.irqfds_lock);
	INIT_LIST_HEAD(&t->irqs.irqfds);
	INIT_LIST_HEAD(&t->irqs.resamplers);
	INIT_HLIST_HEAD(&t->irqs.ack_notifiers);
	INIT_HLIST_HEAD(&t->irqs.mask_notifiers);
	t->vm.irqs = &t->irqs;
	return &t->vm;
}

/* Call from the suite's exit: the vcpus themselves are KUnit memory. */
static inline void kvmirq_test_vm_destroy(struct kvmirq_vm *vm)
{
	xa_destroy(&vm->vcpus);
	kvmirq_apic_map_free(vm);
}

/*
 * Adds vcpu @id with a LAPIC after reset (the boot vcpu's LINT0 is ExtINT,
 * so it accepts PIC interrupts); @sw_enable sets SVR bit 8, without which
 * the LAPIC refuses Fixed interrupts.
 */
static inline struct kvmirq_lapic *
kvmirq_test_vcpu_add(struct kunit *test, struct kvmirq_vm *vm, u32 id,
		     bool boot, bool sw_enable)
{
	struct kvmirq_test_vcpu *v = kunit_kzalloc(test, sizeof(*v), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, v);
	kx_vcpu_init(vm, &v->vcpu, &v->x86, &v->lapic, id, vm->nr_online, boot);
	mutex_init(&v->vcpu.mutex);
	if (sw_enable)
		kvmirq_lapic_set_reg(&v->lapic, APIC_SPIV,
				     0xff | APIC_SPIV_APIC_ENABLED);
	kx_vcpu_publish(test, vm, &v->vcpu);
	return &v->lapic;
}

#endif /* KVMIRQ_TESTS_X86_CHIPSET_KUNIT_H */
