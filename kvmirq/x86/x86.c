// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the x86 machine model (KVM_CREATE_VM type 0) and its VM-level
 * code: capabilities, KVM_ENABLE_CAP, the VM ioctl dispatch,
 * KVM_SIGNAL_MSI, KVM_SET_BOOT_CPU_ID, the guest-side dispatch between
 * the CPU (cpu.c) and the chipset (irqchip.c), debugfs files.
 *
 * Lock order: vm->lock (boot id) is taken here alone.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "irq.h"
#include "irqchip.h"
#include "iobus.h"
#include "lapic.h"
#include "i8254.h"

/* KVM ABI: x86 KVM_MAX_VCPUS and KVM_MAX_VCPU_IDS. */
#define KVMIRQ_X86_MAX_VCPUS	1024
#define KVMIRQ_X86_MAX_VCPU_ID	4096

/* KVM ABI: KVM_MAX_VCPU_IDS, the largest KVM_SET_BOOT_CPU_ID argument. */
#define KVMIRQ_MAX_BOOT_CPU_ID		4096

#define KVMIRQ_X2APIC_API_VALID		(KVM_X2APIC_API_USE_32BIT_IDS | \
					 KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK)

static long kvmirq_x86_check_extension(long cap)
{
	long r;

	switch (cap) {
	case KVM_CAP_IRQCHIP:
	case KVM_CAP_IRQ_INJECT_STATUS:
	case KVM_CAP_IRQFD:
	case KVM_CAP_IRQFD_RESAMPLE:
	/* The IOAPIC stores the polarity bit and ignores it. */
	case KVM_CAP_IOAPIC_POLARITY_IGNORED:
	case KVM_CAP_MP_STATE:
	case KVM_CAP_USER_NMI:
	case KVM_CAP_SET_BOOT_CPU_ID:
	case KVM_CAP_VCPU_EVENTS:
	case KVM_CAP_SIGNAL_MSI:
	case KVM_CAP_SPLIT_IRQCHIP:
	case KVM_CAP_EXCEPTION_PAYLOAD:
	case KVM_CAP_X86_TRIPLE_FAULT_EVENT:
	case KVM_CAP_PIT:
	case KVM_CAP_PIT2:
	case KVM_CAP_PIT_STATE2:
	case KVM_CAP_REINJECT_CONTROL:
		return 1;
	case KVM_CAP_X86_SMM:	/* KVM ABI: host-dependent (host.c) */
		return kvmirq_x86_smm();
	case KVM_CAP_IRQ_ROUTING:
		return KVMIRQ_MAX_IRQ_ROUTES;
	case KVM_CAP_X2APIC_API:
		return KVMIRQ_X2APIC_API_VALID;
	default:
		r = kvmirq_x86_vm_state_check_extension(cap);
		return r ? r : kvmirq_vcpu_state_check_extension(cap);
	}
}

static int kvmirq_x86_enable_x2apic_api(struct kvmirq_vm *vm, u64 flags)
{
	struct kvmirq_x86_vm *x86 = kvmirq_x86(vm);

	if (flags & ~(u64)KVMIRQ_X2APIC_API_VALID)
		return -EINVAL;
	/* KVM ABI: the flags are sticky. */
	if (flags & KVM_X2APIC_API_USE_32BIT_IDS)
		WRITE_ONCE(x86->x2apic_32bit_ids, true);
	if (flags & KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK)
		WRITE_ONCE(x86->x2apic_broadcast_quirk_off, true);
	return 0;
}

/*
 * KVM_ENABLE_CAP on an x86 VM, flags already checked.  Return: 0, or
 * -EINVAL (unknown capability or argument), -EEXIST.
 */
static int kvmirq_x86_enable_cap(struct kvmirq_vm *vm,
				 struct kvm_enable_cap *cap)
{
	struct kvmirq_x86_vm *x86 = kvmirq_x86(vm);

	switch (cap->cap) {
	case KVM_CAP_SPLIT_IRQCHIP:
		return kvmirq_irqchip_enable_split(vm, cap->args[0]);
	case KVM_CAP_X2APIC_API:
		return kvmirq_x86_enable_x2apic_api(vm, cap->args[0]);
	case KVM_CAP_EXCEPTION_PAYLOAD:
		WRITE_ONCE(x86->exception_payload, !!cap->args[0]);
		return 0;
	case KVM_CAP_X86_TRIPLE_FAULT_EVENT:
		WRITE_ONCE(x86->triple_fault_event, !!cap->args[0]);
		return 0;
	case KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2:
		return kvmirq_x86_vm_state_enable_cap(vm, cap);
	default:
		return -EINVAL;
	}
}

static long kvmirq_x86_signal_msi(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvm_msi msi;
	int r;

	if (copy_from_user(&msi, argp, sizeof(msi)))
		return -EFAULT;
	if (!kvmirq_x86_lapic_in_kernel(vm) ||
	    (msi.flags & ~KVM_MSI_VALID_DEVID))
		return -EINVAL;
	r = kvmirq_msi_deliver(vm, &msi);
	/* Coalesced: matched, but no LAPIC took it (KVM's status 0). */
	if (r != -EINVAL)
		kvmirq_stat_injected(vm, r);
	/* KVM ABI: "no LAPIC matched" (-1) reaches userspace as EPERM. */
	return r == -1 ? -EPERM : r;
}

static long kvmirq_x86_set_boot_cpu_id(struct kvmirq_vm *vm, unsigned long id)
{
	long r = 0;

	mutex_lock(&vm->lock);
	if (vm->nr_vcpus)
		r = -EBUSY;
	else if (id > KVMIRQ_MAX_BOOT_CPU_ID)
		r = -EINVAL;	/* KVM ABI: 6.18's check, 6.1 had none */
	else
		WRITE_ONCE(kvmirq_x86(vm)->boot_cpu_id, id);
	mutex_unlock(&vm->lock);
	return r;
}

/* The x86 VM ioctls: one line each, the work is elsewhere. */
static long kvmirq_x86_vm_ioctl(struct kvmirq_vm *vm, unsigned int ioctl,
				unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (ioctl) {
	case KVM_CREATE_IRQCHIP:
		return kvmirq_irqchip_create(vm);
	case KVM_IRQ_LINE:
		return kvmirq_irqchip_irq_line(vm, argp, false);
	case KVM_IRQ_LINE_STATUS:
		return kvmirq_irqchip_irq_line(vm, argp, true);
	case KVM_GET_IRQCHIP:
		return kvmirq_irqchip_state_ioctl(vm, argp, false);
	case KVM_SET_IRQCHIP:
		return kvmirq_irqchip_state_ioctl(vm, argp, true);
	case KVM_SIGNAL_MSI:
		return kvmirq_x86_signal_msi(vm, argp);
	case KVM_SET_BOOT_CPU_ID:
		return kvmirq_x86_set_boot_cpu_id(vm, arg);
	case KVM_CREATE_PIT:
	case KVM_CREATE_PIT2:
	case KVM_GET_PIT:
	case KVM_SET_PIT:
	case KVM_REINJECT_CONTROL:
		return kvmirq_pit_vm_ioctl(vm, ioctl, arg);
	case KVM_GET_PIT2:
		return kvmirq_pit_get_pit2(vm, argp);
	case KVM_SET_PIT2:
		return kvmirq_pit_set_pit2(vm, argp);
	case KVM_SET_USER_MEMORY_REGION:
	case KVM_GET_DIRTY_LOG:
	case KVM_CLEAR_DIRTY_LOG:
	case KVM_SET_TSS_ADDR:
	case KVM_SET_IDENTITY_MAP_ADDR:
	case KVM_GET_CLOCK:
	case KVM_SET_CLOCK:
	case KVM_SET_TSC_KHZ:
	case KVM_GET_TSC_KHZ:
	case KVM_X86_SET_MSR_FILTER:
		return kvmirq_x86_vm_state_ioctl(vm, ioctl, arg);
	default:
		return KVMIRQ_NO_IOCTL;
	}
}

/*
 * Guest-side actions.  A vcpu fd acts as a CPU (cpu.c): its accesses reach
 * its own LAPIC first, then the chipset's ports and the IOAPIC window; it
 * takes interrupts and ends them at its LAPIC.  The VM fd reaches the
 * chipset (irqchip.c): the PIC's INTA cycle and EOI broadcasts to the
 * IOAPIC.
 */
static int kvmirq_x86_guest_io(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
			       struct kvmirq_io *io)
{
	int r = vcpu ? kvmirq_x86_cpu_io(vcpu, io) : -ENXIO;

	/* KVM ABI: past the LAPIC, writes meet the I/O bus's ioeventfds. */
	if (r == -ENXIO && (io->flags & KVMIRQ_IO_WRITE) &&
	    io->space != KVMIRQ_SPACE_MSR)
		r = kvmirq_iobus_write(vm, io->space == KVMIRQ_SPACE_PIO,
				       io->addr, io->len, io->data);
	return r == -ENXIO ? kvmirq_irqchip_guest_io(vm, io) : r;
}

static int kvmirq_x86_guest_ack(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
				struct kvmirq_ack *ack)
{
	return vcpu ? kvmirq_x86_cpu_ack(vcpu, ack) :
		      kvmirq_irqchip_guest_ack(vm, ack);
}

static int kvmirq_x86_guest_eoi(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
				struct kvmirq_eoi *eoi)
{
	return vcpu ? kvmirq_x86_cpu_eoi(vcpu) :
		      kvmirq_irqchip_guest_eoi(vm, eoi);
}

static const struct kvmirq_guest_ops kvmirq_x86_guest = {
	.io	= kvmirq_x86_guest_io,
	.ack	= kvmirq_x86_guest_ack,
	.eoi	= kvmirq_x86_guest_eoi,
};

static int kvmirq_x86_vm_init(struct kvmirq_vm *vm)
{
	struct kvmirq_x86_vm *x86;

	x86 = kzalloc(sizeof(*x86), GFP_KERNEL_ACCOUNT);
	if (!x86)
		return -ENOMEM;
	vm->arch = x86;
	kvmirq_x86_vm_state_init(vm);
	return 0;
}

static void kvmirq_x86_vm_destroy(struct kvmirq_vm *vm)
{
	/* The PIT's timer raises lines of the irqchip: it stops first. */
	kvmirq_pit_destroy(vm);
	kvmirq_x86_vm_state_destroy(vm);
	kvmirq_irqchip_destroy(vm);
	kvmirq_apic_map_free(vm);
	kfree(vm->arch);
}

/* debugfs: the dumps live with their controllers; these make the files. */
static int kvmirq_x86_pic_show(struct seq_file *m, void *unused)
{
	kvmirq_pic_dump(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kvmirq_x86_pic);

static int kvmirq_x86_ioapic_show(struct seq_file *m, void *unused)
{
	kvmirq_ioapic_dump(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kvmirq_x86_ioapic);

static int kvmirq_x86_pit_show(struct seq_file *m, void *unused)
{
	kvmirq_pit_dump(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kvmirq_x86_pit);

static int kvmirq_x86_lapic_show(struct seq_file *m, void *unused)
{
	kvmirq_lapic_dump(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kvmirq_x86_lapic);

static int kvmirq_x86_events_show(struct seq_file *m, void *unused)
{
	kvmirq_x86_events_dump(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kvmirq_x86_events);

/* The irqchip may come later: the files say so until it exists. */
static void kvmirq_x86_debugfs_vm(struct kvmirq_vm *vm, struct dentry *dir)
{
	debugfs_create_file("pic", 0444, dir, vm, &kvmirq_x86_pic_fops);
	debugfs_create_file("ioapic", 0444, dir, vm, &kvmirq_x86_ioapic_fops);
}

/**
 * kvmirq_x86_debugfs_pit() - the VM's "pit" file, made with its PIT
 * @vm: the VM, its PIT just created
 *
 * Not made with the other files: few VMs have a PIT, and a debugfs file
 * costs more memory than the PIT itself.
 */
void kvmirq_x86_debugfs_pit(struct kvmirq_vm *vm)
{
	if (!IS_ERR_OR_NULL(vm->debugfs))
		debugfs_create_file("pit", 0444, vm->debugfs, vm,
				    &kvmirq_x86_pit_fops);
}

static void kvmirq_x86_debugfs_vcpu(struct kvmirq_vcpu *vcpu, struct dentry *dir)
{
	debugfs_create_file("lapic", 0444, dir, vcpu, &kvmirq_x86_lapic_fops);
	debugfs_create_file("events", 0444, dir, vcpu, &kvmirq_x86_events_fops);
}

/* Module-wide x86 state: host, XSAVE layout, supported CPUID, LAPIC cache. */
static int kvmirq_x86_load(void)
{
	int r = kvmirq_x86_host_init();

	if (r)
		return r;
	r = kvmirq_xsave_module_init();
	if (r)
		return r;
	kvmirq_cpuid_module_init();
	r = kvmirq_lapic_module_init();
	if (r)
		kvmirq_xsave_module_exit();
	return r;
}

static void kvmirq_x86_unload(void)
{
	kvmirq_lapic_module_exit();
	kvmirq_xsave_module_exit();
}

const struct kvmirq_model kvmirq_x86_model = {
	.type		 = KVMIRQ_VM_X86,
	.name		 = "x86",
	.max_vcpus	 = KVMIRQ_X86_MAX_VCPUS,
	.max_vcpu_id	 = KVMIRQ_X86_MAX_VCPU_ID,
	.guest_actions	 = KVMIRQ_ACTION_PIC_PIO | KVMIRQ_ACTION_IOAPIC_MMIO |
			   KVMIRQ_ACTION_PIC_ACK | KVMIRQ_ACTION_IOAPIC_EOI |
			   KVMIRQ_ACTION_LAPIC_MMIO | KVMIRQ_ACTION_LAPIC_MSR |
			   KVMIRQ_ACTION_CPU_ACK | KVMIRQ_ACTION_LAPIC_EOI |
			   KVMIRQ_ACTION_PIT_PIO,
	.guest		 = &kvmirq_x86_guest,
	.coalesced_mmio	 = true,
	.irq		 = &kvmirq_x86_irq_ops,
	.check_extension = kvmirq_x86_check_extension,
	.enable_cap	 = kvmirq_x86_enable_cap,
	.vm_ioctl	 = kvmirq_x86_vm_ioctl,
	.vcpu_ioctl	 = kvmirq_x86_vcpu_ioctl,
	.vm_init	 = kvmirq_x86_vm_init,
	.vm_destroy	 = kvmirq_x86_vm_destroy,
	.vcpu_init	 = kvmirq_x86_vcpu_init,
	.vcpu_destroy	 = kvmirq_x86_vcpu_destroy,
	.vcpu_online	 = kvmirq_x86_vcpu_online,
	.debugfs_vm	 = kvmirq_x86_debugfs_vm,
	.debugfs_vcpu	 = kvmirq_x86_debugfs_vcpu,
	.dev_ioctl	 = kvmirq_x86_dev_ioctl,
	.load		 = kvmirq_x86_load,
	.unload		 = kvmirq_x86_unload,
};
