// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: vcpu objects and the vcpu fd.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "kvmirq.h"
#include "trace.h"
#include "iobus.h"

/*
 * KVM ABI: what the architecture's KVM answers an ioctl it does not know on
 * a vcpu fd: EINVAL on x86, ENOTTY on s390 (the model's choice).
 */
static long kvmirq_vcpu_unknown_ioctl(const struct kvmirq_model *model)
{
	return model->vcpu_unknown_ioctl ? model->vcpu_unknown_ioctl : -EINVAL;
}

static long kvmirq_vcpu_ioctl(struct file *filp, unsigned int ioctl,
			      unsigned long arg)
{
	struct kvmirq_vcpu *vcpu = filp->private_data;
	const struct kvmirq_model *model = vcpu->vm->model;
	long r = KVMIRQ_NO_IOCTL;

	if (kvmirq_vm_foreign_mm(vcpu->vm))
		return -EIO;

	if (_IOC_TYPE(ioctl) == KVMIRQIO)
		return kvmirq_guest_vcpu_ioctl(vcpu, ioctl, arg);

	/* KVM ABI: a vcpu ioctl of a foreign type is unknown. */
	if (_IOC_TYPE(ioctl) != KVMIO)
		return kvmirq_vcpu_unknown_ioctl(model);

	if (model->vcpu_async_ioctl) {
		r = model->vcpu_async_ioctl(vcpu, ioctl, arg);
		if (r != KVMIRQ_NO_IOCTL)
			return r;
	}

	if (ioctl == KVM_GET_STATS_FD)
		return kvmirq_vcpu_stats_fd(vcpu);

	if (model->vcpu_ioctl) {
		if (mutex_lock_killable(&vcpu->mutex))
			return -EINTR;
		r = model->vcpu_ioctl(vcpu, ioctl, arg);
		mutex_unlock(&vcpu->mutex);
	}
	return r == KVMIRQ_NO_IOCTL ? kvmirq_vcpu_unknown_ioctl(model) : r;
}

/*
 * KVM ABI: x86's vcpu mapping: struct kvm_run at page 0, the PIO data page
 * at KVM_PIO_PAGE_OFFSET, the VM's coalesced MMIO ring at
 * KVM_COALESCED_MMIO_PAGE_OFFSET (models with a ring).
 */
static struct page *kvmirq_vcpu_page(struct kvmirq_vcpu *vcpu, pgoff_t pgoff)
{
	struct kvmirq_vm *vm = vcpu->vm;

	if (pgoff == 0)
		return READ_ONCE(vcpu->run);
	if (!vm->model->coalesced_mmio)
		return NULL;
	if (pgoff == KVM_PIO_PAGE_OFFSET)
		return READ_ONCE(vcpu->pio);
	if (pgoff == KVM_COALESCED_MMIO_PAGE_OFFSET)
		return READ_ONCE(vm->iobus->ring);
	return NULL;
}

static vm_fault_t kvmirq_vcpu_fault(struct vm_fault *vmf)
{
	struct kvmirq_vcpu *vcpu = vmf->vma->vm_file->private_data;
	struct page *page = kvmirq_vcpu_page(vcpu, vmf->pgoff);

	if (!page)
		return VM_FAULT_SIGBUS;
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct kvmirq_vcpu_vm_ops = {
	.fault = kvmirq_vcpu_fault,
};

/**
 * kvmirq_page_alloc_once() - a zeroed page in *@slot, unless one is there
 * @slot: where it is published; readers use READ_ONCE()
 *
 * Two callers may race: one page wins, the other is given back.
 *
 * Return: 0 or -ENOMEM.
 */
int kvmirq_page_alloc_once(struct page **slot)
{
	struct page *page;

	if (READ_ONCE(*slot))
		return 0;
	page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!page)
		return -ENOMEM;
	if (cmpxchg(slot, NULL, page))
		put_page(page);
	return 0;
}

/*
 * Page 0 is a zeroed struct kvm_run, so a VMM's usual mapping works; the
 * PIO data page is zeroed too.  They, and the VM's coalesced MMIO ring,
 * are allocated on the first mmap: most users never map them.
 */
static int kvmirq_vcpu_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct kvmirq_vcpu *vcpu = filp->private_data;
	int r = kvmirq_page_alloc_once(&vcpu->run);

	if (!r && vcpu->vm->model->coalesced_mmio)
		r = kvmirq_page_alloc_once(&vcpu->pio);
	if (!r && vcpu->vm->model->coalesced_mmio)
		r = kvmirq_page_alloc_once(&vcpu->vm->iobus->ring);
	if (r)
		return r;
	vma->vm_ops = &kvmirq_vcpu_vm_ops;
	return 0;
}

static int kvmirq_vcpu_release(struct inode *inode, struct file *filp)
{
	struct kvmirq_vcpu *vcpu = filp->private_data;

	kvmirq_vm_put(vcpu->vm);
	return 0;
}

static const struct file_operations kvmirq_vcpu_fops = {
	.owner		= THIS_MODULE,
	.release	= kvmirq_vcpu_release,
	.unlocked_ioctl	= kvmirq_vcpu_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= kvmirq_vcpu_mmap,
	.llseek		= noop_llseek,
};

static void kvmirq_vcpu_free(struct kvmirq_vcpu *vcpu)
{
	if (vcpu->vm->model->vcpu_destroy)
		vcpu->vm->model->vcpu_destroy(vcpu);
	if (vcpu->run)
		put_page(vcpu->run);
	if (vcpu->pio)
		put_page(vcpu->pio);
	mutex_destroy(&vcpu->mutex);
	kfree(vcpu);
}

static struct kvmirq_vcpu *kvmirq_vcpu_alloc(struct kvmirq_vm *vm, u32 id)
{
	struct kvmirq_vcpu *vcpu;
	int r;

	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return ERR_PTR(-ENOMEM);
	vcpu->vm = vm;
	vcpu->id = id;
	mutex_init(&vcpu->mutex);

	r = vm->model->vcpu_init ? vm->model->vcpu_init(vcpu) : 0;
	if (r) {
		mutex_destroy(&vcpu->mutex);
		kfree(vcpu);
		return ERR_PTR(r);
	}
	return vcpu;
}

/* Counts the vcpu against the model's limit; KVM checks it before the id. */
static int kvmirq_vcpu_reserve_slot(struct kvmirq_vm *vm)
{
	int r = 0;

	mutex_lock(&vm->lock);
	if (vm->nr_vcpus >= vm->model->max_vcpus)
		r = -EINVAL;
	else
		vm->nr_vcpus++;
	mutex_unlock(&vm->lock);
	return r;
}

static void kvmirq_vcpu_release_slot(struct kvmirq_vm *vm)
{
	mutex_lock(&vm->lock);
	vm->nr_vcpus--;
	mutex_unlock(&vm->lock);
}

/* Reserves @id in vm->vcpus; lookups see nothing there until it is stored. */
static int kvmirq_vcpu_reserve_id(struct kvmirq_vm *vm, u32 id)
{
	int r = xa_insert(&vm->vcpus, id, NULL, GFP_KERNEL_ACCOUNT);

	/* KVM ABI: a duplicate id is EEXIST. */
	return r == -EBUSY ? -EEXIST : r;
}

/**
 * kvmirq_create_vcpu() - KVM_CREATE_VCPU
 * @vm: the VM
 * @id: the vcpu id, the ioctl argument (all of it: KVM no longer truncates)
 *
 * The vcpu is complete and published before its fd is installed.
 *
 * Return: the vcpu fd, or EINVAL (id out of range, VM full), EEXIST, ENOMEM.
 */
int kvmirq_create_vcpu(struct kvmirq_vm *vm, unsigned long id)
{
	struct kvmirq_vcpu *vcpu;
	struct kvmirq_fd kfd;
	char name[32];
	int r;

	if (id >= vm->model->max_vcpu_id)
		return -EINVAL;

	r = kvmirq_vcpu_reserve_slot(vm);
	if (r)
		return r;

	vcpu = kvmirq_vcpu_alloc(vm, id);
	if (IS_ERR(vcpu)) {
		r = PTR_ERR(vcpu);
		goto release_slot;
	}

	r = kvmirq_vcpu_reserve_id(vm, id);
	if (r)
		goto free_vcpu;

	r = kvmirq_fd_reserve(&kfd);
	if (r)
		goto release_id;

	snprintf(name, sizeof(name), "kvmirq-vcpu:%u", vcpu->id);
	r = kvmirq_fd_open(&kfd, name, &kvmirq_vcpu_fops, vcpu, O_RDWR);
	if (r)
		goto cancel_fd;

	kvmirq_vm_get(vm);
	/*
	 * KVM ABI: the index counts published vcpus only, in publishing
	 * order.  Storing into a reserved slot allocates nothing and cannot
	 * fail.
	 */
	mutex_lock(&vm->lock);
	vcpu->idx = vm->nr_online++;
	xa_store(&vm->vcpus, id, vcpu, GFP_KERNEL_ACCOUNT);
	if (vm->model->vcpu_online)
		vm->model->vcpu_online(vcpu);
	mutex_unlock(&vm->lock);
	kvmirq_debugfs_vcpu_create(vcpu);
	trace_kvmirq_create_vcpu(vcpu->id, kfd.fd);
	return kvmirq_fd_install(&kfd);

cancel_fd:
	kvmirq_fd_cancel(&kfd);
release_id:
	xa_release(&vm->vcpus, id);
free_vcpu:
	kvmirq_vcpu_free(vcpu);
release_slot:
	kvmirq_vcpu_release_slot(vm);
	return r;
}

/* Called once the last reference to the VM is gone: no fd can reach it. */
void kvmirq_destroy_vcpus(struct kvmirq_vm *vm)
{
	struct kvmirq_vcpu *vcpu;
	unsigned long id;

	xa_for_each(&vm->vcpus, id, vcpu)
		kvmirq_vcpu_free(vcpu);
}
