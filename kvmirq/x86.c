// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the x86 machine model (KVM_CREATE_VM type 0).
 */
#include <linux/slab.h>

#include "irqchip.h"

/* KVM ABI: x86 KVM_MAX_VCPUS and KVM_MAX_VCPU_IDS. */
#define KVMIRQ_X86_MAX_VCPUS	1024
#define KVMIRQ_X86_MAX_VCPU_ID	4096

static long kvmirq_x86_check_extension(long cap)
{
	return kvmirq_irqchip_check_extension(cap);
}

static long kvmirq_x86_vm_ioctl(struct kvmirq_vm *vm, unsigned int ioctl,
				unsigned long arg)
{
	return kvmirq_irqchip_vm_ioctl(vm, ioctl, arg);
}

static const struct kvmirq_guest_ops kvmirq_x86_guest = {
	.io	= kvmirq_irqchip_guest_io,
	.ack	= kvmirq_irqchip_guest_ack,
	.eoi	= kvmirq_irqchip_guest_eoi,
};

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
	kvmirq_irqchip_destroy(vm);
	kfree(vm->arch);
}

static int kvmirq_x86_vcpu_init(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_vcpu *x86;

	x86 = kzalloc(sizeof(*x86), GFP_KERNEL_ACCOUNT);
	if (!x86)
		return -ENOMEM;
	vcpu->arch = x86;
	return 0;
}

static void kvmirq_x86_vcpu_destroy(struct kvmirq_vcpu *vcpu)
{
	kfree(vcpu->arch);
}

const struct kvmirq_model kvmirq_x86_model = {
	.type		 = KVMIRQ_VM_X86,
	.name		 = "x86",
	.max_vcpus	 = KVMIRQ_X86_MAX_VCPUS,
	.max_vcpu_id	 = KVMIRQ_X86_MAX_VCPU_ID,
	.guest_actions	 = KVMIRQ_ACTION_PIC_PIO | KVMIRQ_ACTION_IOAPIC_MMIO |
			   KVMIRQ_ACTION_PIC_ACK | KVMIRQ_ACTION_IOAPIC_EOI,
	.guest		 = &kvmirq_x86_guest,
	.irq		 = &kvmirq_x86_irq_ops,
	.check_extension = kvmirq_x86_check_extension,
	.vm_ioctl	 = kvmirq_x86_vm_ioctl,
	.vm_init	 = kvmirq_x86_vm_init,
	.vm_destroy	 = kvmirq_x86_vm_destroy,
	.vcpu_init	 = kvmirq_x86_vcpu_init,
	.vcpu_destroy	 = kvmirq_x86_vcpu_destroy,
};
