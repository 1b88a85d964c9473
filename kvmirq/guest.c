// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the guest-side ioctls (type KVMIRQIO), through which a test does
 * what a guest CPU would.  This file checks and copies the structs; the
 * machine model performs the action (struct kvmirq_guest_ops).
 *
 * KVMIRQ_GUEST_IO, _ACK and _EOI exist on x86 VMs, KVMIRQ_S390_DELIVER on
 * s390 vcpus; elsewhere they are ENOTTY.
 */
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/uaccess.h>

#include "kvmirq.h"
#include "trace.h"

static bool kvmirq_is_s390(struct kvmirq_vm *vm)
{
	return vm->model->type == KVMIRQ_VM_S390;
}

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
	r = ops && ops->io ? ops->io(vm, vcpu, &io) : -ENXIO;
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
	if (!ops || !ops->ack)
		return -EOPNOTSUPP;

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
	if (!ops || !ops->eoi)
		return -EOPNOTSUPP;
	return ops->eoi(vm, vcpu, &eoi);
}

static long kvmirq_s390_deliver(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	const struct kvmirq_guest_ops *ops = vcpu->vm->model->guest;
	const u32 known = KVMIRQ_S390_DELIVER_PEEK | KVMIRQ_S390_DELIVER_TIMERS |
			  KVMIRQ_S390_DELIVER_STOP | KVMIRQ_S390_DELIVER_CKC |
			  KVMIRQ_S390_DELIVER_CPUTM;
	struct kvmirq_s390_deliver d;
	int r;

	if (copy_from_user(&d, argp, sizeof(d)))
		return -EFAULT;
	if ((d.flags & ~known) || d.pad)
		return -EINVAL;
	if (!ops || !ops->s390_deliver)
		return -EOPNOTSUPP;

	memset(&d.irq, 0, sizeof(d.irq));
	d.result = KVMIRQ_S390_DELIVERED_NONE;
	d.pend_bit = KVMIRQ_S390_PEND_NONE;
	memset(d.reserved, 0, sizeof(d.reserved));
	r = ops->s390_deliver(vcpu, &d);
	if (r)
		return r;
	if (d.result != KVMIRQ_S390_DELIVERED_NONE &&
	    !(d.flags & KVMIRQ_S390_DELIVER_PEEK)) {
		trace_kvmirq_s390_deliver(vcpu->id, d.result, d.pend_bit,
					  d.irq.type);
		kvmirq_stat_add(&vcpu->stats.irqs_acknowledged, 1);
	}
	return copy_to_user(argp, &d, sizeof(d)) ? -EFAULT : 0;
}

static long kvmirq_guest_x86(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
			     unsigned int ioctl, void __user *argp)
{
	switch (ioctl) {
	case KVMIRQ_GUEST_IO:
		return kvmirq_guest_io(vm, vcpu, argp);
	case KVMIRQ_GUEST_ACK:
		return kvmirq_guest_ack(vm, vcpu, argp);
	case KVMIRQ_GUEST_EOI:
		return kvmirq_guest_eoi(vm, vcpu, argp);
	default:
		return -ENOTTY;
	}
}

long kvmirq_guest_vm_ioctl(struct kvmirq_vm *vm, unsigned int ioctl,
			   unsigned long arg)
{
	if (kvmirq_is_s390(vm))
		return -ENOTTY;
	return kvmirq_guest_x86(vm, NULL, ioctl, (void __user *)arg);
}

long kvmirq_guest_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			     unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	long r;

	if (kvmirq_is_s390(vcpu->vm) ? ioctl != KVMIRQ_S390_DELIVER :
				       ioctl == KVMIRQ_S390_DELIVER)
		return -ENOTTY;

	/* The vcpu acts as a CPU: one action at a time, in order. */
	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;
	if (ioctl == KVMIRQ_S390_DELIVER)
		r = kvmirq_s390_deliver(vcpu, argp);
	else
		r = kvmirq_guest_x86(vcpu->vm, vcpu, ioctl, argp);
	mutex_unlock(&vcpu->mutex);
	return r;
}

#if IS_ENABLED(CONFIG_KUNIT)
#include "tests/guest_kunit.c"
#endif
