// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the x86 machine model (KVM_CREATE_VM type 0).
 */
#include <linux/slab.h>

#include "x86.h"

/* KVM ABI: x86 KVM_MAX_VCPUS and KVM_MAX_VCPU_IDS. */
#define KVMIRQ_X86_MAX_VCPUS	1024
#define KVMIRQ_X86_MAX_VCPU_ID	4096

static long kvmirq_x86_check_extension(long cap)
{
	return kvmirq_lapic_check_extension(cap);
}

static int kvmirq_x86_enable_cap(struct kvmirq_vm *vm,
				 struct kvm_enable_cap *cap)
{
	return kvmirq_lapic_enable_cap(vm, cap);
}

static long kvmirq_x86_vm_ioctl(struct kvmirq_vm *vm, unsigned int ioctl,
				unsigned long arg)
{
	return kvmirq_lapic_vm_ioctl(vm, ioctl, arg);
}

static long kvmirq_x86_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
				  unsigned long arg)
{
	return kvmirq_lapic_vcpu_ioctl(vcpu, ioctl, arg);
}

static int kvmirq_x86_vm_init(struct kvmirq_vm *vm)
{
	struct kvmirq_x86_vm *x86;

	x86 = kzalloc(sizeof(*x86), GFP_KERNEL_ACCOUNT);
	if (!x86)
		return -ENOMEM;
	vm->arch = x86;
	return 0;
}

static void kvmirq_x86_vm_destroy(struct kvmirq_vm *vm)
{
	kfree(vm->arch);
}

static int kvmirq_x86_vcpu_init(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_vcpu *x86;
	int r;

	x86 = kzalloc(sizeof(*x86), GFP_KERNEL_ACCOUNT);
	if (!x86)
		return -ENOMEM;
	vcpu->arch = x86;
	r = kvmirq_x86_vcpu_events_init(vcpu);
	if (r) {
		kfree(x86);
		vcpu->arch = NULL;
	}
	return r;
}

static void kvmirq_x86_vcpu_destroy(struct kvmirq_vcpu *vcpu)
{
	kvmirq_lapic_free(vcpu);
	kfree(vcpu->arch);
}

const struct kvmirq_model kvmirq_x86_model = {
	.type		 = KVMIRQ_VM_X86,
	.name		 = "x86",
	.max_vcpus	 = KVMIRQ_X86_MAX_VCPUS,
	.max_vcpu_id	 = KVMIRQ_X86_MAX_VCPU_ID,
	.guest_actions	 = KVMIRQ_LAPIC_GUEST_ACTIONS,
	.guest		 = &kvmirq_lapic_guest_ops,
	.check_extension = kvmirq_x86_check_extension,
	.enable_cap	 = kvmirq_x86_enable_cap,
	.vm_ioctl	 = kvmirq_x86_vm_ioctl,
	.vcpu_ioctl	 = kvmirq_x86_vcpu_ioctl,
	.vm_init	 = kvmirq_x86_vm_init,
	.vm_destroy	 = kvmirq_x86_vm_destroy,
	.vcpu_init	 = kvmirq_x86_vcpu_init,
	.vcpu_destroy	 = kvmirq_x86_vcpu_destroy,
};
