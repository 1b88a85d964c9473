// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: KVM_CREATE_DEVICE and the device fd.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kvmirq.h"
#include "trace.h"

typedef int (*kvmirq_attr_fn)(struct kvmirq_device *dev,
			      struct kvm_device_attr *attr);

static long kvmirq_device_attr(struct kvmirq_device *dev, kvmirq_attr_fn fn,
			       void __user *argp)
{
	struct kvm_device_attr attr;

	/* KVM ABI: an accessor the device lacks is EPERM, checked first. */
	if (!fn)
		return -EPERM;
	if (copy_from_user(&attr, argp, sizeof(attr)))
		return -EFAULT;
	return fn(dev, &attr);
}

static long kvmirq_device_ioctl(struct file *filp, unsigned int ioctl,
				unsigned long arg)
{
	struct kvmirq_device *dev = filp->private_data;
	void __user *argp = (void __user *)arg;

	if (kvmirq_vm_foreign_mm(dev->vm))
		return -EIO;

	switch (ioctl) {
	case KVM_SET_DEVICE_ATTR:
		return kvmirq_device_attr(dev, dev->ops->set_attr, argp);
	case KVM_GET_DEVICE_ATTR:
		return kvmirq_device_attr(dev, dev->ops->get_attr, argp);
	case KVM_HAS_DEVICE_ATTR:
		return kvmirq_device_attr(dev, dev->ops->has_attr, argp);
	default:
		return -ENOTTY;
	}
}

static int kvmirq_device_release(struct inode *inode, struct file *filp)
{
	struct kvmirq_device *dev = filp->private_data;

	kvmirq_vm_put(dev->vm);
	return 0;
}

static const struct file_operations kvmirq_device_fops = {
	.owner		= THIS_MODULE,
	.release	= kvmirq_device_release,
	.unlocked_ioctl	= kvmirq_device_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static const struct kvmirq_device_ops *kvmirq_device_type(struct kvmirq_vm *vm,
							  u32 type)
{
	const struct kvmirq_model *model = vm->model;

	if (type >= model->nr_devices)
		return NULL;
	return model->devices[array_index_nospec(type, model->nr_devices)];
}

static void kvmirq_device_unlink(struct kvmirq_device *dev)
{
	struct kvmirq_vm *vm = dev->vm;

	mutex_lock(&vm->lock);
	list_del(&dev->node);
	mutex_unlock(&vm->lock);
	dev->ops->destroy(dev);
	kfree(dev);
}

/* Creates the device and links it into the VM, or fails with nothing left. */
static struct kvmirq_device *kvmirq_device_new(struct kvmirq_vm *vm,
					       const struct kvmirq_device_ops *ops,
					       u32 type)
{
	struct kvmirq_device *dev;
	int r;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL_ACCOUNT);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev->vm = vm;
	dev->ops = ops;
	dev->type = type;

	mutex_lock(&vm->lock);
	r = ops->create(dev);
	if (!r)
		list_add(&dev->node, &vm->devices);
	mutex_unlock(&vm->lock);
	if (r) {
		kfree(dev);
		return ERR_PTR(r);
	}
	return dev;
}

/**
 * kvmirq_create_device() - KVM_CREATE_DEVICE
 * @vm: the VM
 * @argp: struct kvm_create_device; fd is written back
 *
 * Return: 0, ENODEV for a type the model does not have, EFAULT, or what the
 * type's create hook refuses with.
 */
int kvmirq_create_device(struct kvmirq_vm *vm, void __user *argp)
{
	const struct kvmirq_device_ops *ops;
	struct kvm_create_device cd;
	struct kvmirq_device *dev;
	struct kvmirq_fd kfd;
	int r;

	if (copy_from_user(&cd, argp, sizeof(cd)))
		return -EFAULT;

	ops = kvmirq_device_type(vm, cd.type);
	if (!ops)
		return -ENODEV;
	/* KVM ABI: other flag bits are ignored. */
	if (cd.flags & KVM_CREATE_DEVICE_TEST)
		return 0;

	dev = kvmirq_device_new(vm, ops, cd.type);
	if (IS_ERR(dev))
		return PTR_ERR(dev);

	r = kvmirq_fd_reserve(&kfd);
	if (r)
		goto unlink;

	/*
	 * KVM ABI: KVM installs the fd before it finds the buffer unwritable
	 * and leaves the device behind; kvmirq writes the fd number first and
	 * leaves nothing.
	 */
	cd.fd = kfd.fd;
	if (copy_to_user(argp, &cd, sizeof(cd))) {
		r = -EFAULT;
		goto cancel_fd;
	}

	r = kvmirq_fd_open(&kfd, ops->name, &kvmirq_device_fops, dev, O_RDWR);
	if (r)
		goto cancel_fd;

	kvmirq_vm_get(vm);
	trace_kvmirq_create_device(cd.type, kfd.fd);
	kvmirq_fd_install(&kfd);
	return 0;

cancel_fd:
	kvmirq_fd_cancel(&kfd);
unlink:
	kvmirq_device_unlink(dev);
	return r;
}

/* Called once the last reference to the VM is gone. */
void kvmirq_destroy_devices(struct kvmirq_vm *vm)
{
	struct kvmirq_device *dev, *tmp;

	list_for_each_entry_safe(dev, tmp, &vm->devices, node) {
		list_del(&dev->node);
		dev->ops->destroy(dev);
		kfree(dev);
	}
}
