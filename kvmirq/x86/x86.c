// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the x86 machine model (KVM_CREATE_VM type 0).
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "irqchip.h"
#include "lapic.h"

/* KVM ABI: x86 KVM_MAX_VCPUS and KVM_MAX_VCPU_IDS. */
#define KVMIRQ_X86_MAX_VCPUS	1024
#define KVMIRQ_X86_MAX_VCPU_ID	4096

static long kvmirq_x86_check_extension(long cap)
{
	long r = kvmirq_irqchip_check_extension(cap);

	return r ? r : kvmirq_lapic_check_extension(cap);
}

static int kvmirq_x86_enable_cap(struct kvmirq_vm *vm,
				 struct kvm_enable_cap *cap)
{
	return kvmirq_lapic_enable_cap(vm, cap);
}

static long kvmirq_x86_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
				  unsigned long arg)
{
	return kvmirq_lapic_vcpu_ioctl(vcpu, ioctl, arg);
}

/*
 * Guest-side actions.  A vcpu fd acts as a CPU: its accesses reach its own
 * LAPIC first, then the chipset's ports and the IOAPIC window; it takes
 * interrupts and ends them at its LAPIC.  The VM fd reaches the chipset:
 * the PIC's INTA cycle and EOI broadcasts to the IOAPIC.
 */
static int kvmirq_x86_guest_io(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
			       struct kvmirq_io *io)
{
	int r = -ENXIO;

	if (vcpu)
		r = kvmirq_lapic_guest_ops.io(vm, vcpu, io);
	return r == -ENXIO ? kvmirq_irqchip_guest_io(vm, vcpu, io) : r;
}

static int kvmirq_x86_guest_ack(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
				struct kvmirq_ack *ack)
{
	return vcpu ? kvmirq_lapic_guest_ops.ack(vm, vcpu, ack) :
		      kvmirq_irqchip_guest_ack(vm, vcpu, ack);
}

static int kvmirq_x86_guest_eoi(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
				struct kvmirq_eoi *eoi)
{
	return vcpu ? kvmirq_lapic_guest_ops.eoi(vm, vcpu, eoi) :
		      kvmirq_irqchip_guest_eoi(vm, vcpu, eoi);
}

static const struct kvmirq_guest_ops kvmirq_x86_guest = {
	.io	= kvmirq_x86_guest_io,
	.ack	= kvmirq_x86_guest_ack,
	.eoi	= kvmirq_x86_guest_eoi,
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
	kvmirq_apic_map_free(vm);
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
	if (r)
		goto free;
	/* Its slot in the delivery map, filled when it is published. */
	if (kvmirq_lapic(vcpu)) {
		r = kvmirq_apic_map_reserve(vcpu->vm);
		if (r)
			goto free_lapic;
	}
	return 0;

free_lapic:
	kvmirq_lapic_free(vcpu);
free:
	kfree(x86);
	vcpu->arch = NULL;
	return r;
}

static void kvmirq_x86_vcpu_online(struct kvmirq_vcpu *vcpu)
{
	if (kvmirq_lapic(vcpu))
		kvmirq_apic_map_add(vcpu);
}

static void kvmirq_x86_vcpu_destroy(struct kvmirq_vcpu *vcpu)
{
	kvmirq_lapic_free(vcpu);
	kfree(vcpu->arch);
}

/* debugfs: the dumps live with their controllers; these make the files. */
static int kvmirq_x86_pic_show(struct seq_file *m, void *unused)
{
	kvmirq_pic_dump(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kvmirq_x86_pic);

static int kvmirq_x86_ioapic_show(struct seq_file *m, void *unused)
{
	kvmirq_ioapic_dump(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kvmirq_x86_ioapic);

static int kvmirq_x86_lapic_show(struct seq_file *m, void *unused)
{
	kvmirq_lapic_dump(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kvmirq_x86_lapic);

static int kvmirq_x86_events_show(struct seq_file *m, void *unused)
{
	kvmirq_x86_events_dump(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kvmirq_x86_events);

/* The irqchip may come later: the files say so until it exists. */
static void kvmirq_x86_debugfs_vm(struct kvmirq_vm *vm, struct dentry *dir)
{
	debugfs_create_file("pic", 0444, dir, vm, &kvmirq_x86_pic_fops);
	debugfs_create_file("ioapic", 0444, dir, vm, &kvmirq_x86_ioapic_fops);
}

static void kvmirq_x86_debugfs_vcpu(struct kvmirq_vcpu *vcpu, struct dentry *dir)
{
	debugfs_create_file("lapic", 0444, dir, vcpu, &kvmirq_x86_lapic_fops);
	debugfs_create_file("events", 0444, dir, vcpu, &kvmirq_x86_events_fops);
}

const struct kvmirq_model kvmirq_x86_model = {
	.type		 = KVMIRQ_VM_X86,
	.name		 = "x86",
	.max_vcpus	 = KVMIRQ_X86_MAX_VCPUS,
	.max_vcpu_id	 = KVMIRQ_X86_MAX_VCPU_ID,
	.guest_actions	 = KVMIRQ_ACTION_PIC_PIO | KVMIRQ_ACTION_IOAPIC_MMIO |
			   KVMIRQ_ACTION_PIC_ACK | KVMIRQ_ACTION_IOAPIC_EOI |
			   KVMIRQ_LAPIC_GUEST_ACTIONS,
	.guest		 = &kvmirq_x86_guest,
	.irq		 = &kvmirq_x86_irq_ops,
	.check_extension = kvmirq_x86_check_extension,
	.enable_cap	 = kvmirq_x86_enable_cap,
	/* The chipset's VM ioctls, then the LAPICs' (x86_vcpu.c). */
	.vm_ioctl	 = kvmirq_irqchip_vm_ioctl,
	.vcpu_ioctl	 = kvmirq_x86_vcpu_ioctl,
	.vm_init	 = kvmirq_x86_vm_init,
	.vm_destroy	 = kvmirq_x86_vm_destroy,
	.vcpu_init	 = kvmirq_x86_vcpu_init,
	.vcpu_destroy	 = kvmirq_x86_vcpu_destroy,
	.vcpu_online	 = kvmirq_x86_vcpu_online,
	.debugfs_vm	 = kvmirq_x86_debugfs_vm,
	.debugfs_vcpu	 = kvmirq_x86_debugfs_vcpu,
	.load		 = kvmirq_lapic_module_init,
	.unload		 = kvmirq_lapic_module_exit,
};
