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
		/* KVM ABI: x86 KVM answers unknown system ioctls with EINVAL. */
		return -EINVAL;
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
