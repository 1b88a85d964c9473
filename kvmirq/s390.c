// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the s390 machine model (KVM_CREATE_VM type KVMIRQ_VM_S390).
 */
#include <linux/slab.h>

#include "s390.h"

/*
 * KVM ABI: s390 KVM on a machine with the extended SCA allows 248 vcpus,
 * with ids below 248 (KVM_S390_ESCA_CPU_SLOTS).
 */
#define KVMIRQ_S390_MAX_VCPUS	248

static const struct kvmirq_device_ops *const kvmirq_s390_devices[] = {
	[KVM_DEV_TYPE_FLIC] = &kvmirq_flic_ops,
};

static long kvmirq_s390_check_extension(long cap)
{
	return 0;
}

static int kvmirq_s390_vm_init(struct kvmirq_vm *vm)
{
	struct kvmirq_s390_vm *s390;

	s390 = kzalloc(sizeof(*s390), GFP_KERNEL_ACCOUNT);
	if (!s390)
		return -ENOMEM;
	vm->arch = s390;
	return 0;
}

static void kvmirq_s390_vm_destroy(struct kvmirq_vm *vm)
{
	kfree(vm->arch);
}

const struct kvmirq_model kvmirq_s390_model = {
	.type		 = KVMIRQ_VM_S390,
	.name		 = "s390",
	.max_vcpus	 = KVMIRQ_S390_MAX_VCPUS,
	.max_vcpu_id	 = KVMIRQ_S390_MAX_VCPUS,
	.devices	 = kvmirq_s390_devices,
	.nr_devices	 = ARRAY_SIZE(kvmirq_s390_devices),
	.check_extension = kvmirq_s390_check_extension,
	.vm_init	 = kvmirq_s390_vm_init,
	.vm_destroy	 = kvmirq_s390_vm_destroy,
};
