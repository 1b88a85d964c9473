// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the x86 in-kernel irqchip as the VM fd sees it:
 * KVM_CREATE_IRQCHIP, KVM_IRQ_LINE(_STATUS), KVM_GET/SET_IRQCHIP, the x86
 * routes (irqchip pins and MSIs) and the VM-fd guest-side actions (PIC and
 * ELCR ports, IOAPIC window, INTA, EOI broadcast).
 *
 * Lock order: vm->lock  >  irqs->lock (routing.c)  >  PIC lock, IOAPIC lock.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "irq.h"
#include "irqchip.h"
#include "i8254.h"

/* KVM ABI: KVM_MAX_IRQ_ROUTES bounds the split irqchip's reserved pins. */
#define KVMIRQ_MAX_RESERVED_IOAPIC_PINS	4096

/*
 * The one writer of the irqchip mode (struct kvmirq_x86_vm): published
 * last, after the controllers it announces.
 */
static void kvmirq_irqchip_set_mode_locked(struct kvmirq_vm *vm, u32 mode)
{
	lockdep_assert_held(&vm->lock);
	/* Pairs with the acquire in kvmirq_x86_irqchip_mode(). */
	smp_store_release(&kvmirq_x86(vm)->irqchip_mode, mode);
}

/* KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP) with @pins reserved pins. */
int kvmirq_irqchip_enable_split(struct kvmirq_vm *vm, u64 pins)
{
	int r = 0;

	if (pins > KVMIRQ_MAX_RESERVED_IOAPIC_PINS)
		return -EINVAL;
	mutex_lock(&vm->lock);
	/* KVM ABI: an irqchip, or vcpus, already there: EEXIST for both. */
	if (kvmirq_x86_irqchip_mode(vm) != KVMIRQ_IRQCHIP_NONE || vm->nr_vcpus)
		r = -EEXIST;
	else
		kvmirq_irqchip_set_mode_locked(vm, KVMIRQ_IRQCHIP_SPLIT);
	mutex_unlock(&vm->lock);
	return r;
}

/*
 * KVM ABI: the default routing of irq_comm.c: GSI 0-15 to the IOAPIC pin
 * and the PIC pin of the same number, 16-23 to the IOAPIC only.  Nothing
 * special about GSI 0 or 2 (that is the VMM's business).
 */
static int kvmirq_irqchip_default_routing(struct kvmirq_vm *vm)
{
	struct kvm_irq_routing_entry *e, *ue;
	u32 gsi;
	int r;

	ue = kcalloc(KVMIRQ_IOAPIC_NUM_PINS + 16, sizeof(*ue), GFP_KERNEL_ACCOUNT);
	if (!ue)
		return -ENOMEM;
	e = ue;
	for (gsi = 0; gsi < KVMIRQ_IOAPIC_NUM_PINS; gsi++) {
		e->gsi = gsi;
		e->type = KVM_IRQ_ROUTING_IRQCHIP;
		e->u.irqchip.irqchip = KVM_IRQCHIP_IOAPIC;
		e->u.irqchip.pin = gsi;
		e++;
		if (gsi >= 16)
			continue;
		e->gsi = gsi;
		e->type = KVM_IRQ_ROUTING_IRQCHIP;
		e->u.irqchip.irqchip = gsi < 8 ? KVM_IRQCHIP_PIC_MASTER :
						 KVM_IRQCHIP_PIC_SLAVE;
		e->u.irqchip.pin = gsi & 7;
		e++;
	}
	r = kvmirq_set_routing(vm, ue, e - ue);
	kfree(ue);
	return r;
}

/*
 * KVM_CREATE_IRQCHIP: EEXIST once there is one (or a split irqchip),
 * EINVAL after vcpus.
 */
long kvmirq_irqchip_create(struct kvmirq_vm *vm)
{
	struct kvmirq_x86_vm *x86 = kvmirq_x86(vm);
	struct kvmirq_ioapic *ioapic;
	struct kvmirq_pic *pic;
	int r;

	mutex_lock(&vm->lock);
	r = -EEXIST;
	if (kvmirq_x86_irqchip_mode(vm) != KVMIRQ_IRQCHIP_NONE)
		goto unlock;
	r = -EINVAL;
	if (vm->nr_vcpus)
		goto unlock;

	r = -ENOMEM;
	pic = kvmirq_pic_create(vm);
	if (!pic)
		goto unlock;
	ioapic = kvmirq_ioapic_create(vm);
	if (!ioapic)
		goto free_pic;
	r = kvmirq_irqchip_default_routing(vm);
	if (r)
		goto free_ioapic;

	/* Pairs with the acquire in kvmirq_x86_ioapic(). */
	smp_store_release(&x86->ioapic, ioapic);
	/* Pairs with the acquire in kvmirq_x86_pic(). */
	smp_store_release(&x86->pic, pic);
	/* Vcpus created from now on get a LAPIC. */
	kvmirq_irqchip_set_mode_locked(vm, KVMIRQ_IRQCHIP_KERNEL);
	mutex_unlock(&vm->lock);
	return 0;

free_ioapic:
	kvmirq_ioapic_destroy(ioapic);
free_pic:
	kvmirq_pic_destroy(pic);
unlock:
	mutex_unlock(&vm->lock);
	return r;
}

void kvmirq_irqchip_destroy(struct kvmirq_vm *vm)
{
	struct kvmirq_x86_vm *x86 = kvmirq_x86(vm);

	kvmirq_ioapic_destroy(x86->ioapic);
	kvmirq_pic_destroy(x86->pic);
}

/* KVM_IRQ_LINE and KVM_IRQ_LINE_STATUS. */
long kvmirq_irqchip_irq_line(struct kvmirq_vm *vm, void __user *argp,
			     bool line_status)
{
	struct kvm_irq_level irq;

	if (copy_from_user(&irq, argp, sizeof(irq)))
		return -EFAULT;
	/* KVM ABI: a split irqchip takes IRQ lines too (to its MSI routes). */
	if (!kvmirq_x86_lapic_in_kernel(vm))
		return -ENXIO;
	/* KVM ABI: any GSI is accepted; an unrouted one reports -1. */
	irq.status = kvmirq_set_irq(vm, KVMIRQ_SOURCE_USERSPACE, irq.irq,
				    irq.level, line_status);
	if (line_status && copy_to_user(argp, &irq, sizeof(irq)))
		return -EFAULT;
	return 0;
}

static int kvmirq_irqchip_get(struct kvmirq_vm *vm, struct kvm_irqchip *chip)
{
	switch (chip->chip_id) {
	case KVM_IRQCHIP_PIC_MASTER:
	case KVM_IRQCHIP_PIC_SLAVE:
		kvmirq_pic_get_state(vm, chip->chip_id, &chip->chip.pic);
		return 0;
	case KVM_IRQCHIP_IOAPIC:
		kvmirq_ioapic_get_state(vm, &chip->chip.ioapic);
		return 0;
	default:
		return -EINVAL;
	}
}

static int kvmirq_irqchip_set(struct kvmirq_vm *vm, struct kvm_irqchip *chip)
{
	int r = 0;

	switch (chip->chip_id) {
	case KVM_IRQCHIP_PIC_MASTER:
	case KVM_IRQCHIP_PIC_SLAVE:
		kvmirq_pic_set_state(vm, chip->chip_id, &chip->chip.pic);
		break;
	case KVM_IRQCHIP_IOAPIC:
		kvmirq_ioapic_set_state(vm, &chip->chip.ioapic);
		break;
	default:
		r = -EINVAL;
		break;
	}
	/* KVM ABI: the PIC output is recomputed after any SET, even EINVAL. */
	kvmirq_pic_update(vm);
	return r;
}

/*
 * KVM_GET_IRQCHIP / KVM_SET_IRQCHIP.  KVM ABI: the whole 520-byte struct
 * is copied in first (EFAULT before ENXIO), and GET copies all of it back,
 * so pad and the unused tail of the union round-trip.
 */
long kvmirq_irqchip_state_ioctl(struct kvmirq_vm *vm, void __user *argp,
				bool set)
{
	/* On the stack: a kmalloc() and kfree() cost a third of the ioctl. */
	struct kvm_irqchip chip;
	long r;

	if (copy_from_user(&chip, argp, sizeof(chip)))
		return -EFAULT;
	if (!kvmirq_x86_pic_ioapic_in_kernel(vm))
		return -ENXIO;
	if (set)
		return kvmirq_irqchip_set(vm, &chip);
	r = kvmirq_irqchip_get(vm, &chip);
	if (!r && copy_to_user(argp, &chip, sizeof(chip)))
		r = -EFAULT;
	return r;
}

/* Routes: irqchip pins and MSIs. */

static int kvmirq_x86_routing_allowed(struct kvmirq_vm *vm)
{
	return kvmirq_x86_lapic_in_kernel(vm) ? 0 : -EINVAL;
}

/*
 * KVM ABI: without an irqchip, EINVAL; a split irqchip has no level lines
 * to resample, so a resampling irqfd is EINVAL there.
 */
static int kvmirq_x86_irqfd_allowed(struct kvmirq_vm *vm, u32 flags)
{
	if (!kvmirq_x86_lapic_in_kernel(vm))
		return -EINVAL;
	if ((flags & KVM_IRQFD_FLAG_RESAMPLE) && kvmirq_x86_irqchip_split(vm))
		return -EINVAL;
	return 0;
}

static int kvmirq_x86_route_parse(struct kvmirq_vm *vm, struct kvmirq_route *e)
{
	switch (e->type) {
	case KVM_IRQ_ROUTING_IRQCHIP:
		/* KVM ABI: a split irqchip has no pins to route to. */
		if (kvmirq_x86_irqchip_split(vm))
			return -EINVAL;
		switch (e->u.irqchip.irqchip) {
		case KVM_IRQCHIP_PIC_MASTER:
		case KVM_IRQCHIP_PIC_SLAVE:
			return e->u.irqchip.pin < 8 ? 0 : -EINVAL;
		case KVM_IRQCHIP_IOAPIC:
			return e->u.irqchip.pin < KVMIRQ_IOAPIC_NUM_PINS ?
			       0 : -EINVAL;
		default:
			return -EINVAL;
		}
	case KVM_IRQ_ROUTING_MSI:
		/* KVM ABI: checked when set, not only when delivered. */
		return kvmirq_msi_invalid(vm, e->u.msi.address_hi) ? -EINVAL : 0;
	default:
		/* KVM ABI: s390 adapters, Hyper-V and Xen routes: EINVAL. */
		return -EINVAL;
	}
}

/* An MSI route's message; out of line, so its callers need no frame. */
static noinline int kvmirq_x86_route_msi(struct kvmirq_vm *vm,
					 const struct kvmirq_route *e)
{
	struct kvm_msi msi = {
		.address_lo = e->u.msi.address_lo,
		.address_hi = e->u.msi.address_hi,
		.data = e->u.msi.data,
		.flags = e->flags,
		.devid = e->u.msi.devid,
	};

	return kvmirq_msi_deliver(vm, &msi);
}

static int kvmirq_x86_route_set(struct kvmirq_vm *vm,
				const struct kvmirq_route *e,
				int source, int level, bool line_status)
{
	switch (e->type) {
	case KVM_IRQ_ROUTING_IRQCHIP:
		if (e->u.irqchip.irqchip == KVM_IRQCHIP_IOAPIC)
			return kvmirq_ioapic_set_irq(vm, e->u.irqchip.pin, source,
						     level, line_status);
		return kvmirq_pic_set_irq(vm, e->u.irqchip.pin +
					  8 * e->u.irqchip.irqchip, source, level);
	case KVM_IRQ_ROUTING_MSI:
		/* KVM ABI: an MSI has no level; a deassertion sends nothing. */
		if (!level)
			return -1;
		return kvmirq_x86_route_msi(vm, e);
	default:
		return -1;
	}
}

/* An irqfd on a lone MSI route: delivered from the eventfd wake-up. */
static int kvmirq_x86_route_set_atomic(struct kvmirq_vm *vm,
				       const struct kvmirq_route *e)
{
	/* A resampled level pin comes by on every write: no frame for it. */
	if (e->type != KVM_IRQ_ROUTING_MSI)
		return -EWOULDBLOCK;
	return kvmirq_x86_route_msi(vm, e);
}

static void kvmirq_x86_irq_release(struct kvmirq_vm *vm)
{
	if (kvmirq_x86_pic_ioapic_in_kernel(vm))
		kvmirq_ioapic_release(vm);
}

const struct kvmirq_irq_ops kvmirq_x86_irq_ops = {
	.routing_allowed = kvmirq_x86_routing_allowed,
	.irqfd_allowed	 = kvmirq_x86_irqfd_allowed,
	.route_parse	 = kvmirq_x86_route_parse,
	.route_set	 = kvmirq_x86_route_set,
	.route_set_atomic = kvmirq_x86_route_set_atomic,
	.release	 = kvmirq_x86_irq_release,
};

/*
 * Guest-side actions that reach the chipset: accesses to the PIC and ELCR
 * ports and the IOAPIC window (from the VM fd, or from a vcpu when its
 * LAPIC did not take them), the PIC's INTA cycle and EOI broadcasts (VM
 * fd only).
 */

int kvmirq_irqchip_guest_io(struct kvmirq_vm *vm, struct kvmirq_io *io)
{
	int r;

	if (!kvmirq_x86_pic_ioapic_in_kernel(vm))
		return -ENXIO;
	switch (io->space) {
	case KVMIRQ_SPACE_PIO:
		r = kvmirq_pic_io(vm, io);
		return r == -ENXIO ? kvmirq_pit_io(vm, io) : r;
	case KVMIRQ_SPACE_MMIO:
		return kvmirq_ioapic_mmio(vm, io);
	default:
		return -ENXIO;
	}
}

/* The PIC's INTA cycle; ENXIO without a PIC. */
int kvmirq_irqchip_guest_ack(struct kvmirq_vm *vm, struct kvmirq_ack *ack)
{
	if (!kvmirq_x86_pic_ioapic_in_kernel(vm))
		return -ENXIO;
	ack->vector = kvmirq_pic_ack(vm);
	ack->source = KVMIRQ_ACK_PIC;
	return 0;
}

/*
 * An EOI broadcast reaching the IOAPIC; ENXIO without one.  LAPICs send the
 * broadcast for level-triggered vectors, so it clears remote IRR.
 */
int kvmirq_irqchip_guest_eoi(struct kvmirq_vm *vm, struct kvmirq_eoi *eoi)
{
	if (!kvmirq_x86_pic_ioapic_in_kernel(vm))
		return -ENXIO;
	kvmirq_ioapic_eoi(vm, eoi->vector, 1);
	return 0;
}
