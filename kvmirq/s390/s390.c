// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the s390 machine model (KVM_CREATE_VM type KVMIRQ_VM_S390).
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "irq.h"
#include "s390.h"
#include "trace.h"

/*
 * KVM ABI: s390's memory slots: 32767 of them (KVM_USER_MEM_SLOTS), dirty
 * logging the only flag, user address and size in 1 MiB segments, and
 * guest memory ending below the host's limit (TASK_SIZE_MAX of s390,
 * -PAGE_SIZE, on a machine without a smaller maximum host address).
 */
#define KVMIRQ_S390_MEM_SLOTS		32767

static const struct kvmirq_memslot_rules kvmirq_s390_memslot_rules = {
	.max_slots	= KVMIRQ_S390_MEM_SLOTS,
	.valid_flags	= KVM_MEM_LOG_DIRTY_PAGES,
	.align		= SZ_1M,
	.mem_limit	= -4096ULL,
};

static const struct kvmirq_device_ops *const kvmirq_s390_devices[] = {
	[KVM_DEV_TYPE_FLIC] = &kvmirq_flic_ops,
};

/* KVM ABI: what s390 KVM answers, for the parts kvmirq implements. */
static long kvmirq_s390_check_extension(long cap)
{
	switch (cap) {
	case KVM_CAP_ASYNC_PF:
	case KVM_CAP_S390_IRQCHIP:
	case KVM_CAP_MP_STATE:
	case KVM_CAP_S390_INJECT_IRQ:
	case KVM_CAP_S390_USER_SIGP:
	case KVM_CAP_S390_IRQ_STATE:
	case KVM_CAP_S390_AIS:
	case KVM_CAP_S390_AIS_MIGRATION:
	case KVM_CAP_S390_VCPU_RESETS:
		return 1;
	case KVM_CAP_NR_MEMSLOTS:
		return KVMIRQ_S390_MEM_SLOTS;
	case KVM_CAP_IRQFD:
	case KVM_CAP_IRQFD_RESAMPLE:
		return 1;
	case KVM_CAP_IRQ_ROUTING:
		return KVMIRQ_MAX_IRQ_ROUTES;
	default:
		return 0;
	}
}

static int kvmirq_s390_enable_ais(struct kvmirq_vm *vm)
{
	int r = 0;

	mutex_lock(&vm->lock);
	/* KVM ABI: CPU model facilities are fixed once a vcpu exists. */
	if (vm->nr_vcpus)
		r = -EBUSY;
	else
		WRITE_ONCE(kvmirq_s390(vm)->ais, true);
	mutex_unlock(&vm->lock);
	return r;
}

static int kvmirq_s390_enable_cap(struct kvmirq_vm *vm,
				  struct kvm_enable_cap *cap)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(vm);

	switch (cap->cap) {
	case KVM_CAP_S390_IRQCHIP:
		WRITE_ONCE(s390->use_irqchip, true);
		return 0;
	case KVM_CAP_S390_USER_SIGP:
		WRITE_ONCE(s390->user_sigp, true);
		return 0;
	case KVM_CAP_S390_AIS:
		return kvmirq_s390_enable_ais(vm);
	default:
		return -EINVAL;
	}
}

static long kvmirq_s390_vm_interrupt(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvm_s390_interrupt s390int;
	int r;

	if (copy_from_user(&s390int, argp, sizeof(s390int)))
		return -EFAULT;
	r = kvmirq_s390_inject_legacy_vm(vm, &s390int);
	if (!r)
		kvmirq_stat_injected(vm, 1);
	return r;
}

static long kvmirq_s390_vm_ioctl(struct kvmirq_vm *vm, unsigned int ioctl,
				 unsigned long arg)
{
	switch (ioctl) {
	case KVM_S390_INTERRUPT:
		return kvmirq_s390_vm_interrupt(vm, (void __user *)arg);
	case KVM_SET_USER_MEMORY_REGION:
		return kvmirq_set_user_memory_region(vm, &kvmirq_s390_memslot_rules,
						     (void __user *)arg);
	case KVM_CREATE_IRQCHIP:
		/*
		 * KVM ABI: only after KVM_CAP_S390_IRQCHIP; it installs an
		 * empty routing table, each time.
		 */
		if (!READ_ONCE(kvmirq_s390(vm)->use_irqchip))
			return -EINVAL;
		return kvmirq_set_routing(vm, NULL, 0);
	default:
		return KVMIRQ_NO_IOCTL;
	}
}

static int kvmirq_s390_vm_init(struct kvmirq_vm *vm)
{
	struct kvmirq_s390_vm *s390;

	s390 = kzalloc(sizeof(*s390), GFP_KERNEL_ACCOUNT);
	if (!s390)
		return -ENOMEM;
	kvmirq_s390_float_init(&s390->fl);
	mutex_init(&s390->flic_lock);
	vm->arch = s390;
	return 0;
}

static void kvmirq_s390_vm_destroy(struct kvmirq_vm *vm)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(vm);

	kvmirq_s390_clear_float(vm);
	kvmirq_s390_adapters_free(vm);
	mutex_destroy(&s390->flic_lock);
	kfree(s390);
}

/* debugfs: the dumps live with their state; these make the files. */
static int kvmirq_s390_flic_show(struct seq_file *m, void *unused)
{
	kvmirq_s390_float_dump(m, m->private);
	kvmirq_flic_adapters_dump(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kvmirq_s390_flic);

static int kvmirq_s390_local_show(struct seq_file *m, void *unused)
{
	kvmirq_s390_local_dump(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kvmirq_s390_local);

static void kvmirq_s390_debugfs_vm(struct kvmirq_vm *vm, struct dentry *dir)
{
	debugfs_create_file("flic", 0444, dir, vm, &kvmirq_s390_flic_fops);
}

static void kvmirq_s390_debugfs_vcpu(struct kvmirq_vcpu *vcpu, struct dentry *dir)
{
	debugfs_create_file("local", 0444, dir, vcpu, &kvmirq_s390_local_fops);
}

static const struct kvmirq_guest_ops kvmirq_s390_guest_ops = {
	.vcpu_ioctl	= kvmirq_s390_guest_vcpu_ioctl,
};

const struct kvmirq_model kvmirq_s390_model = {
	.type		  = KVMIRQ_VM_S390,
	.name		  = "s390",
	/* KVM ABI: s390's kvm_arch_vcpu_ioctl() default is ENOTTY. */
	.vcpu_unknown_ioctl = -ENOTTY,
	.max_vcpus	  = KVMIRQ_S390_MAX_VCPUS,
	.max_vcpu_id	  = KVMIRQ_S390_MAX_VCPUS,
	.devices	  = kvmirq_s390_devices,
	.nr_devices	  = ARRAY_SIZE(kvmirq_s390_devices),
	.guest_actions	  = KVMIRQ_ACTION_S390_DELIVER,
	.guest		  = &kvmirq_s390_guest_ops,
	.irq		  = &kvmirq_s390_irq_ops,
	.check_extension  = kvmirq_s390_check_extension,
	.vm_init	  = kvmirq_s390_vm_init,
	.vm_destroy	  = kvmirq_s390_vm_destroy,
	.vcpu_init	  = kvmirq_s390_vcpu_init,
	.vcpu_destroy	  = kvmirq_s390_vcpu_destroy,
	.vm_ioctl	  = kvmirq_s390_vm_ioctl,
	.vcpu_ioctl	  = kvmirq_s390_vcpu_ioctl,
	.vcpu_async_ioctl = kvmirq_s390_vcpu_async_ioctl,
	.enable_cap	  = kvmirq_s390_enable_cap,
	.debugfs_vm	  = kvmirq_s390_debugfs_vm,
	.debugfs_vcpu	  = kvmirq_s390_debugfs_vcpu,
};
