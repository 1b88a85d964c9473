// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the s390 FLIC device (KVM_DEV_TYPE_FLIC).
 *
 * So far only its lifecycle: one per VM.  No attribute group is implemented
 * yet, and each answers as KVM answers an unknown group.
 */
#include <linux/lockdep.h>

#include "s390.h"

static int kvmirq_flic_create(struct kvmirq_device *dev)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(dev->vm);

	lockdep_assert_held(&dev->vm->lock);
	/* KVM ABI: a second FLIC in one VM is EINVAL. */
	if (s390->flic)
		return -EINVAL;
	s390->flic = dev;
	return 0;
}

static void kvmirq_flic_destroy(struct kvmirq_device *dev)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(dev->vm);

	mutex_lock(&dev->vm->lock);
	s390->flic = NULL;
	mutex_unlock(&dev->vm->lock);
}

/* KVM ABI: SET and GET of an unknown group are EINVAL. */
static int kvmirq_flic_unknown_group(struct kvmirq_device *dev,
				     struct kvm_device_attr *attr)
{
	return -EINVAL;
}

/* KVM ABI: HAS of an unknown group is ENXIO. */
static int kvmirq_flic_has_attr(struct kvmirq_device *dev,
				struct kvm_device_attr *attr)
{
	return -ENXIO;
}

const struct kvmirq_device_ops kvmirq_flic_ops = {
	.name		= "kvmirq-flic",
	.create		= kvmirq_flic_create,
	.destroy	= kvmirq_flic_destroy,
	.set_attr	= kvmirq_flic_unknown_group,
	.get_attr	= kvmirq_flic_unknown_group,
	.has_attr	= kvmirq_flic_has_attr,
};
