// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the /dev/kvmirq misc device and its system ioctls.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "irq.h"

/* KVM ABI: KVM_GET_API_VERSION answers 12. */
#define KVMIRQ_API_VERSION	12

/*
 * KVM ABI: x86 KVM's vcpu mmap size is three pages (kvm_run, PIO data,
 * coalesced MMIO ring, vcpu.c), and /dev/kvmirq answers as x86.
 */
#define KVMIRQ_VCPU_MMAP_SIZE	(3 * PAGE_SIZE)

static long kvmirq_dev_ioctl(struct file *filp, unsigned int ioctl,
			     unsigned long arg)
{
	long r;

	switch (ioctl) {
	case KVM_GET_API_VERSION:
		/* KVM ABI: a nonzero argument is EINVAL. */
		return arg ? -EINVAL : KVMIRQ_API_VERSION;
	case KVM_CREATE_VM:
		return kvmirq_create_vm(arg);
	case KVM_CHECK_EXTENSION:
		return kvmirq_check_extension(NULL, arg);
	case KVM_GET_VCPU_MMAP_SIZE:
		return arg ? -EINVAL : KVMIRQ_VCPU_MMAP_SIZE;
	default:
		r = kvmirq_models_dev_ioctl(ioctl, arg);
		/* KVM ABI: x86 KVM answers unknown system ioctls with EINVAL. */
		return r == KVMIRQ_NO_IOCTL ? -EINVAL : r;
	}
}

static const struct file_operations kvmirq_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= kvmirq_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice kvmirq_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "kvmirq",
	.fops	= &kvmirq_dev_fops,
	.mode	= 0660,
};

/*
 * kvm_alias=1: kvmirq also answers as /dev/kvm (misc minor KVM_MINOR), for
 * unmodified VMMs on a host without KVM.  Off by default; when KVM's device
 * exists the alias is not made, and while it exists kvm.ko cannot load.
 */
static bool kvm_alias;
module_param(kvm_alias, bool, 0444);
MODULE_PARM_DESC(kvm_alias,
		 "also register /dev/kvm (minor 232) if KVM has not (default: off)");

static struct miscdevice kvmirq_kvm_dev = {
	.minor	= KVM_MINOR,
	.name	= "kvm",
	.fops	= &kvmirq_dev_fops,
	.mode	= 0660,
};

static bool kvmirq_kvm_dev_registered;

/* Never fails the load: a busy minor means KVM is there, which wins. */
static void kvmirq_kvm_alias_register(void)
{
	int r;

	if (!kvm_alias)
		return;
	r = misc_register(&kvmirq_kvm_dev);
	if (r) {
		pr_info("kvmirq: /dev/kvm alias not registered (%d): KVM's device is there\n",
			r);
		return;
	}
	kvmirq_kvm_dev_registered = true;
	pr_info("kvmirq: also registered as /dev/kvm (kvm_alias=1)\n");
}

static int __init kvmirq_init(void)
{
	int r = kvmirq_irqfd_module_init();

	if (r)
		return r;
	r = kvmirq_models_init();
	if (r)
		goto irqfd_exit;
	kvmirq_debugfs_init();
	r = misc_register(&kvmirq_dev);
	if (r)
		goto debugfs_exit;
	kvmirq_kvm_alias_register();
	return 0;

debugfs_exit:
	kvmirq_debugfs_exit();
	kvmirq_models_exit();
irqfd_exit:
	kvmirq_irqfd_module_exit();
	return r;
}

static void __exit kvmirq_exit(void)
{
	if (kvmirq_kvm_dev_registered)
		misc_deregister(&kvmirq_kvm_dev);
	misc_deregister(&kvmirq_dev);
	kvmirq_debugfs_exit();
	kvmirq_irqfd_module_exit();
	kvmirq_models_exit();
}

module_init(kvmirq_init);
module_exit(kvmirq_exit);

MODULE_DESCRIPTION("KVM interrupt-controller ABI without a guest CPU");
MODULE_AUTHOR("The kvmirq developers");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1.0");
