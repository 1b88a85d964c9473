// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: VM objects, the VM fd and capabilities.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kvmirq.h"
#include "trace.h"
#include "irq.h"
#include "iobus.h"

static const struct kvmirq_model *const kvmirq_models[] = {
	&kvmirq_x86_model,
	&kvmirq_s390_model,
};

static const struct kvmirq_model *kvmirq_find_model(unsigned long type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kvmirq_models); i++)
		if (kvmirq_models[i]->type == type)
			return kvmirq_models[i];
	return NULL;
}

static void kvmirq_models_exit_from(unsigned int n)
{
	while (n--)
		if (kvmirq_models[n]->unload)
			kvmirq_models[n]->unload();
}

/**
 * kvmirq_models_init() - run each model's load hook at load
 *
 * Return: 0, or the first failure, with the models set up before it torn down.
 */
int kvmirq_models_init(void)
{
	unsigned int i;
	int r;

	for (i = 0; i < ARRAY_SIZE(kvmirq_models); i++) {
		if (!kvmirq_models[i]->load)
			continue;
		r = kvmirq_models[i]->load();
		if (r) {
			kvmirq_models_exit_from(i);
			return r;
		}
	}
	return 0;
}

/* Each model's unload hook, in reverse order of kvmirq_models_init(). */
void kvmirq_models_exit(void)
{
	kvmirq_models_exit_from(ARRAY_SIZE(kvmirq_models));
}

/* Capabilities whose answer is the same for every machine model. */
static long kvmirq_check_generic_extension(long cap)
{
	switch (cap) {
	case KVM_CAP_CHECK_EXTENSION_VM:
	case KVM_CAP_ENABLE_CAP_VM:
	/* KVM ABI: 1 on current kernels; 6.1's x86 answered 0. */
	case KVM_CAP_DEVICE_CTRL:
	case KVM_CAP_BINARY_STATS_FD:
	case KVMIRQ_CAP_ABI_VERSION:
	/* KVM ABI: memory slots and ioeventfds are in every model. */
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_DESTROY_MEMORY_REGION_WORKS:
	case KVM_CAP_JOIN_MEMORY_REGIONS_WORKS:
	case KVM_CAP_IOEVENTFD:
	case KVM_CAP_IOEVENTFD_ANY_LENGTH:
		return 1;
	default:
		return 0;
	}
}

static long kvmirq_check_model_extension(const struct kvmirq_model *model,
					 long cap)
{
	switch (cap) {
	case KVM_CAP_NR_VCPUS:
		return min(num_online_cpus(), model->max_vcpus);
	case KVM_CAP_MAX_VCPUS:
		return model->max_vcpus;
	case KVM_CAP_MAX_VCPU_ID:
		return model->max_vcpu_id;
	case KVMIRQ_CAP_GUEST_ACTIONS:
		return model->guest_actions;
	case KVM_CAP_COALESCED_MMIO:
		return model->coalesced_mmio ? KVM_COALESCED_MMIO_PAGE_OFFSET : 0;
	case KVM_CAP_COALESCED_PIO:
		return model->coalesced_mmio;
	default:
		return model->check_extension(cap);
	}
}

/**
 * kvmirq_check_extension() - KVM_CHECK_EXTENSION
 * @model: the VM's model, or NULL for /dev/kvmirq itself
 * @cap: KVM_CAP_* or KVMIRQ_CAP_*
 *
 * /dev/kvmirq answers as an x86 VM would (type 0 is the default VM type),
 * except for capabilities only another model has, and for
 * KVMIRQ_CAP_GUEST_ACTIONS, which lists the actions of all models.
 */
long kvmirq_check_extension(const struct kvmirq_model *model, long cap)
{
	long r = kvmirq_check_generic_extension(cap);
	unsigned int i;

	if (r)
		return r;
	if (model)
		return kvmirq_check_model_extension(model, cap);

	if (cap == KVMIRQ_CAP_GUEST_ACTIONS) {
		for (i = 0; i < ARRAY_SIZE(kvmirq_models); i++)
			r |= kvmirq_models[i]->guest_actions;
		return r;
	}
	for (i = 0; i < ARRAY_SIZE(kvmirq_models) && !r; i++)
		r = kvmirq_check_model_extension(kvmirq_models[i], cap);
	return r;
}

/**
 * kvmirq_models_dev_ioctl() - a system ioctl the core does not know
 * @ioctl: the ioctl
 * @arg: its argument
 *
 * Return: the first model's answer, or KVMIRQ_NO_IOCTL if none knows it.
 */
long kvmirq_models_dev_ioctl(unsigned int ioctl, unsigned long arg)
{
	long r = KVMIRQ_NO_IOCTL;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kvmirq_models) && r == KVMIRQ_NO_IOCTL; i++)
		if (kvmirq_models[i]->dev_ioctl)
			r = kvmirq_models[i]->dev_ioctl(ioctl, arg);
	return r;
}

void kvmirq_vm_get(struct kvmirq_vm *vm)
{
	refcount_inc(&vm->users);
}

static void kvmirq_vm_destroy(struct kvmirq_vm *vm)
{
	trace_kvmirq_destroy_vm(vm->model->type);
	kvmirq_debugfs_vm_destroy(vm);
	kvmirq_destroy_devices(vm);
	kvmirq_destroy_vcpus(vm);
	if (vm->model->vm_destroy)
		vm->model->vm_destroy(vm);
	kvmirq_memslots_destroy(&vm->memslots);
	kvmirq_iobus_destroy(vm);
	kvmirq_irqs_destroy(vm);
	xa_destroy(&vm->vcpus);
	mutex_destroy(&vm->lock);
	mmdrop(vm->mm);
	kfree(vm);
}

void kvmirq_vm_put(struct kvmirq_vm *vm)
{
	if (refcount_dec_and_test(&vm->users))
		kvmirq_vm_destroy(vm);
}

/* KVM ABI: VM, vcpu and device ioctls from another process fail with EIO. */
bool kvmirq_vm_foreign_mm(struct kvmirq_vm *vm)
{
	return vm->mm != current->mm;
}

static long kvmirq_vm_enable_cap(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvm_enable_cap cap;

	if (copy_from_user(&cap, argp, sizeof(cap)))
		return -EFAULT;
	/* KVM ABI: nonzero flags and unknown capabilities are EINVAL. */
	if (cap.flags || !vm->model->enable_cap)
		return -EINVAL;
	return vm->model->enable_cap(vm, &cap);
}

static long kvmirq_vm_ioctl(struct file *filp, unsigned int ioctl,
			    unsigned long arg)
{
	struct kvmirq_vm *vm = filp->private_data;
	void __user *argp = (void __user *)arg;
	long r;

	if (kvmirq_vm_foreign_mm(vm))
		return -EIO;

	switch (ioctl) {
	case KVM_CHECK_EXTENSION:
		return kvmirq_check_extension(vm->model, arg);
	case KVM_CREATE_VCPU:
		return kvmirq_create_vcpu(vm, arg);
	case KVM_CREATE_DEVICE:
		return kvmirq_create_device(vm, argp);
	case KVM_ENABLE_CAP:
		return kvmirq_vm_enable_cap(vm, argp);
	case KVM_GET_STATS_FD:
		return kvmirq_vm_stats_fd(vm);
	case KVM_SET_GSI_ROUTING:
		if (vm->model->irq)
			return kvmirq_set_gsi_routing(vm, argp);
		break;
	case KVM_IRQFD:
		if (vm->model->irq)
			return kvmirq_irqfd(vm, argp);
		break;
	case KVM_IOEVENTFD:
		return kvmirq_ioeventfd(vm, argp);
	case KVM_REGISTER_COALESCED_MMIO:
		if (vm->model->coalesced_mmio)
			return kvmirq_coalesced_register(vm, argp);
		break;
	case KVM_UNREGISTER_COALESCED_MMIO:
		if (vm->model->coalesced_mmio)
			return kvmirq_coalesced_unregister(vm, argp);
		break;
	}

	if (_IOC_TYPE(ioctl) == KVMIRQIO)
		return kvmirq_guest_vm_ioctl(vm, ioctl, arg);

	r = vm->model->vm_ioctl ? vm->model->vm_ioctl(vm, ioctl, arg) :
				  KVMIRQ_NO_IOCTL;
	/* KVM ABI: a VM ioctl unknown to the architecture is ENOTTY. */
	return r == KVMIRQ_NO_IOCTL ? -ENOTTY : r;
}

static int kvmirq_vm_release(struct inode *inode, struct file *filp)
{
	/* KVM ABI: irqfds live as long as the VM fd, not the VM. */
	kvmirq_irqs_release(filp->private_data);
	kvmirq_vm_put(filp->private_data);
	return 0;
}

static const struct file_operations kvmirq_vm_fops = {
	.owner		= THIS_MODULE,
	.release	= kvmirq_vm_release,
	.unlocked_ioctl	= kvmirq_vm_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct kvmirq_vm *kvmirq_vm_alloc(const struct kvmirq_model *model)
{
	struct kvmirq_vm *vm;
	int r;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return ERR_PTR(-ENOMEM);

	refcount_set(&vm->users, 1);
	vm->model = model;
	mutex_init(&vm->lock);
	xa_init(&vm->vcpus);
	INIT_LIST_HEAD(&vm->devices);
	kvmirq_memslots_init(&vm->memslots);
	mmgrab(current->mm);
	vm->mm = current->mm;
	/* KVM ABI: the stats id of a VM is "kvm-<creator pid>". */
	snprintf(vm->stats_id, sizeof(vm->stats_id), "kvm-%d",
		 task_pid_nr(current));

	r = kvmirq_irqs_init(vm);
	if (!r)
		r = kvmirq_iobus_init(vm);
	if (!r && model->vm_init)
		r = model->vm_init(vm);
	if (r) {
		kvmirq_iobus_destroy(vm);
		kvmirq_irqs_destroy(vm);
		mmdrop(vm->mm);
		mutex_destroy(&vm->lock);
		kfree(vm);
		return ERR_PTR(r);
	}
	return vm;
}

/**
 * kvmirq_create_vm() - KVM_CREATE_VM
 * @type: KVMIRQ_VM_X86 or KVMIRQ_VM_S390
 *
 * Return: the new VM fd, or -EINVAL for an unknown type.
 */
int kvmirq_create_vm(unsigned long type)
{
	const struct kvmirq_model *model = kvmirq_find_model(type);
	struct kvmirq_fd kfd;
	struct kvmirq_vm *vm;
	int r;

	if (!model)
		return -EINVAL;

	/* The fd number first: KVM names the VM's debugfs directory by it. */
	r = kvmirq_fd_reserve(&kfd);
	if (r)
		return r;

	vm = kvmirq_vm_alloc(model);
	if (IS_ERR(vm)) {
		r = PTR_ERR(vm);
		goto cancel_fd;
	}
	kvmirq_debugfs_vm_create(vm, kfd.fd);

	r = kvmirq_fd_open(&kfd, "kvmirq-vm", &kvmirq_vm_fops, vm, O_RDWR);
	if (r)
		goto put_vm;

	trace_kvmirq_create_vm(type, kfd.fd);
	return kvmirq_fd_install(&kfd);

	/* The VM (and its debugfs name) goes before its fd number is reused. */
put_vm:
	kvmirq_vm_put(vm);
cancel_fd:
	kvmirq_fd_cancel(&kfd);
	return r;
}

#if IS_ENABLED(CONFIG_KUNIT)
#include "tests/vm_kunit.c"
#endif
