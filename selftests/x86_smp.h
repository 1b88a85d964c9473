/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An x86 VM with the in-kernel irqchip and several vcpus whose LAPICs take
 * physical and flat logical destinations alike: the fixture of the
 * IOAPIC-delivery and stress selftests.
 */
#ifndef KVMIRQ_X86_SMP_H
#define KVMIRQ_X86_SMP_H

#include "x86_irqchip.h"
#include "x86_lapic.h"

/*
 * For a FIXTURE_SETUP, after KVMIRQ_OPEN_OR_SKIP(): @vm gets a VM with the
 * in-kernel irqchip and @v its vcpus 0 to @n - 1 (@n <= 8), each LAPIC
 * software-enabled with physical id i and flat logical id bit i, all
 * runnable.  What was not created is -1.
 */
static inline void smp_vm_create(struct __test_metadata *_metadata, int dev,
				 int *vm, int *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		v[i] = -1;
	*vm = irqchip_vm(dev);
	ASSERT_GE(*vm, 0);
	for (i = 0; i < n; i++) {
		v[i] = ioctl(*vm, KVM_CREATE_VCPU, i);
		ASSERT_GE(v[i], 0);
		ASSERT_EQ(0, lapic_setup(v[i], 0x1ff, 1u << (24 + i), 0xffffffff));
		/* KVM ABI: APs start UNINITIALIZED; run them all. */
		EXPECT_EQ(i ? KVM_MP_STATE_UNINITIALIZED : KVM_MP_STATE_RUNNABLE,
			  get_mp_state(v[i]));
		ASSERT_EQ(0, set_mp_state(v[i], KVM_MP_STATE_RUNNABLE));
	}
}

#endif /* KVMIRQ_X86_SMP_H */
