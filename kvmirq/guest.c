// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the guest-side ioctls (type KVMIRQIO), through which a test does
 * what a guest CPU would.  This file checks and copies the structs; the
 * machine model performs the action (struct kvmirq_guest_ops).
 *
 * KVMIRQ_GUEST_IO, _ACK and _EOI exist where the model provides the hook
 * (x86); a model's own guest-side vcpu ioctls (s390's KVMIRQ_S390_DELIVER)
 * go to its vcpu_ioctl hook.  Anything else is ENOTTY.
 */
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/uaccess.h>

#include "kvmirq.h"
#include "trace.h"

static bool kvmirq_io_len_ok(u32 len, u32 max)
{
	return len <= max && is_power_of_2(len);
}

static int kvmirq_check_io(const struct kvmirq_io *io)
{
	if ((io->flags & ~KVMIRQ_IO_WRITE) || io->pad)
		return -EINVAL;

	switch (io->space) {
	case KVMIRQ_SPACE_PIO:
		if (!kvmirq_io_len_ok(io->len, 4) || io->addr > 0xffff)
			return -EINVAL;
		break;
	case KVMIRQ_SPACE_MMIO:
		if (!kvmirq_io_len_ok(io->len, 8))
			return -EINVAL;
		break;
	case KVMIRQ_SPACE_MSR:
		if (io->len != 8 || io->addr > U32_MAX)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}

	/* A write of @len bytes cannot carry bits above them. */
	if ((io->flags & KVMIRQ_IO_WRITE) && io->len < 8 &&
	    io->data >> (8 * io->len))
		return -EINVAL;
	return 0;
}

static long kvmirq_guest_io(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
			    void __user *argp)
{
	const struct kvmirq_guest_ops *ops = vm->model->guest;
	struct kvmirq_io io;
	int r;

	if (copy_from_user(&io, argp, sizeof(io)))
		return -EFAULT;
	r = kvmirq_check_io(&io);
	if (r)
		return r;

	if (!(io.flags & KVMIRQ_IO_WRITE))
		io.data = 0;
	r = ops->io(vm, vcpu, &io);
	if (r)
		return r;
	if (!(io.flags & KVMIRQ_IO_WRITE) && copy_to_user(argp, &io, sizeof(io)))
		return -EFAULT;
	return 0;
}

static long kvmirq_guest_ack(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
			     void __user *argp)
{
	const struct kvmirq_guest_ops *ops = vm->model->guest;
	struct kvmirq_ack ack;
	int r;

	if (copy_from_user(&ack, argp, sizeof(ack)))
		return -EFAULT;
	if (ack.flags || ack.pad)
		return -EINVAL;

	ack.source = KVMIRQ_ACK_NONE;
	ack.vector = 0;
	r = ops->ack(vm, vcpu, &ack);
	if (r)
		return r;
	if (ack.source != KVMIRQ_ACK_NONE) {
		trace_kvmirq_ack(vcpu ? (int)vcpu->id : -1, ack.source, ack.vector);
		if (vcpu)
			kvmirq_stat_add(&vcpu->stats.irqs_acknowledged, 1);
	}
	return copy_to_user(argp, &ack, sizeof(ack)) ? -EFAULT : 0;
}

static long kvmirq_guest_eoi(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
			     void __user *argp)
{
	const struct kvmirq_guest_ops *ops = vm->model->guest;
	struct kvmirq_eoi eoi;

	if (copy_from_user(&eoi, argp, sizeof(eoi)))
		return -EFAULT;
	if (eoi.flags || eoi.vector > 0xff || (vcpu && eoi.vector))
		return -EINVAL;
	return ops->eoi(vm, vcpu, &eoi);
}

/* The guest-side ioctls; ENOTTY for those the model does not provide. */
static long kvmirq_guest_ioctl(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
			       unsigned int ioctl, void __user *argp)
{
	const struct kvmirq_guest_ops *ops = vm->model->guest;

	if (!ops)
		return -ENOTTY;
	switch (ioctl) {
	case KVMIRQ_GUEST_IO:
		return ops->io ? kvmirq_guest_io(vm, vcpu, argp) : -ENOTTY;
	case KVMIRQ_GUEST_ACK:
		return ops->ack ? kvmirq_guest_ack(vm, vcpu, argp) : -ENOTTY;
	case KVMIRQ_GUEST_EOI:
		return ops->eoi ? kvmirq_guest_eoi(vm, vcpu, argp) : -ENOTTY;
	default:
		if (!vcpu || !ops->vcpu_ioctl)
			return -ENOTTY;
		return ops->vcpu_ioctl(vcpu, ioctl, argp);
	}
}

long kvmirq_guest_vm_ioctl(struct kvmirq_vm *vm, unsigned int ioctl,
			   unsigned long arg)
{
	return kvmirq_guest_ioctl(vm, NULL, ioctl, (void __user *)arg);
}

long kvmirq_guest_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			     unsigned long arg)
{
	long r;

	/* The vcpu acts as a CPU: one action at a time, in order. */
	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;
	r = kvmirq_guest_ioctl(vcpu->vm, vcpu, ioctl, (void __user *)arg);
	mutex_unlock(&vcpu->mutex);
	return r;
}

#if IS_ENABLED(CONFIG_KUNIT)
#include "tests/guest_kunit.c"
#endif
