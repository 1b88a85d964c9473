// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq-demo: a tour of /dev/kvmirq, in the words of a VMM.
 *
 * Opens the device (or $KVMIRQ_DEV, e.g. /dev/kvm for comparison), creates
 * an x86 VM and an s390 VM the way a VMM does, drives one interrupt through
 * each (line, IOAPIC, LAPIC, acknowledge, EOI; s390 injection, FLIC,
 * delivery), and says what it sees.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvmirq.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *dev_path(void)
{
	const char *path = getenv("KVMIRQ_DEV");

	return path && *path ? path : "/dev/kvmirq";
}

static void say_result(const char *what, long r)
{
	if (r < 0)
		printf("  %-44s -> error %s (%s)\n", what, strerrorname_np(errno),
		       strerror(errno));
	else
		printf("  %-44s -> %ld\n", what, r);
}

static void show_caps(int fd, const char *whose)
{
	static const struct {
		long cap;
		const char *name;
	} caps[] = {
		{ KVM_CAP_NR_VCPUS, "KVM_CAP_NR_VCPUS" },
		{ KVM_CAP_MAX_VCPUS, "KVM_CAP_MAX_VCPUS" },
		{ KVM_CAP_MAX_VCPU_ID, "KVM_CAP_MAX_VCPU_ID" },
		{ KVM_CAP_DEVICE_CTRL, "KVM_CAP_DEVICE_CTRL" },
		{ KVMIRQ_CAP_ABI_VERSION, "KVMIRQ_CAP_ABI_VERSION" },
		{ KVMIRQ_CAP_GUEST_ACTIONS, "KVMIRQ_CAP_GUEST_ACTIONS" },
	};
	unsigned int i;

	printf("Capabilities of %s:\n", whose);
	for (i = 0; i < ARRAY_SIZE(caps); i++)
		printf("  %-44s = %ld\n", caps[i].name,
		       (long)ioctl(fd, KVM_CHECK_EXTENSION, caps[i].cap));
}

static void set_svr(int vcpu)
{
	struct kvm_lapic_state l;
	__u32 svr = 0x1ff;	/* software-enabled, spurious vector 0xff */

	if (!ioctl(vcpu, KVM_GET_LAPIC, &l)) {
		memcpy(l.regs + 0xf0, &svr, sizeof(svr));
		ioctl(vcpu, KVM_SET_LAPIC, &l);
	}
}

/* Vector @v's bit in the LAPIC register array at @base (IRR, ISR, TMR). */
static int lapic_bit(int vcpu, unsigned int base, unsigned int v)
{
	struct kvm_lapic_state l;
	__u32 reg;

	if (ioctl(vcpu, KVM_GET_LAPIC, &l))
		return -1;
	memcpy(&reg, l.regs + base + v / 32 * 0x10, sizeof(reg));
	return reg >> (v % 32) & 1;
}

static int remote_irr(int vm, unsigned int pin)
{
	struct kvm_irqchip chip = { .chip_id = KVM_IRQCHIP_IOAPIC };

	if (ioctl(vm, KVM_GET_IRQCHIP, &chip))
		return -1;
	return chip.chip.ioapic.redirtbl[pin].fields.remote_irr;
}

static void show_interrupt(int vm, int vcpu, unsigned int v)
{
	printf("  %-44s    IOAPIC pin 16 remote IRR %d; LAPIC IRR %d ISR %d\n",
	       "", remote_irr(vm, 16), lapic_bit(vcpu, 0x200, v),
	       lapic_bit(vcpu, 0x100, v));
}

/* One level-triggered interrupt from the line to the CPU and back. */
static void drive_x86(int vm, int vcpu)
{
	struct kvm_irqchip chip = { .chip_id = KVM_IRQCHIP_IOAPIC };
	struct kvm_irq_level line = { .irq = 16, .level = 1 };
	struct kvm_msi msi = { .address_lo = 0xfee00000, .data = 0x55 };
	struct kvmirq_ack ack = { 0 };
	struct kvmirq_eoi eoi = { 0 };

	set_svr(vcpu);
	ioctl(vm, KVM_GET_IRQCHIP, &chip);
	/* Pin 16: vector 0x40, fixed, physical APIC 0, level, unmasked. */
	chip.chip.ioapic.redirtbl[16].bits = 0x8040;
	say_result("KVM_SET_IRQCHIP (IOAPIC pin 16 -> vector 0x40)",
		   ioctl(vm, KVM_SET_IRQCHIP, &chip));
	say_result("KVM_IRQ_LINE_STATUS GSI 16 level 1 (status)",
		   ioctl(vm, KVM_IRQ_LINE_STATUS, &line) ? -1 : line.status);
	show_interrupt(vm, vcpu, 0x40);
	if (ioctl(vcpu, KVMIRQ_GUEST_ACK, &ack) == 0)
		printf("  %-44s -> source %u, vector %#x\n",
		       "KVMIRQ_GUEST_ACK (the CPU takes it)", ack.source, ack.vector);
	show_interrupt(vm, vcpu, 0x40);
	/* KVM_IRQ_LINE_STATUS wrote the status over the GSI (a union). */
	line.irq = 16;
	line.level = 0;
	say_result("KVM_IRQ_LINE GSI 16 level 0", ioctl(vm, KVM_IRQ_LINE, &line));
	say_result("KVMIRQ_GUEST_EOI (the CPU ends it)",
		   ioctl(vcpu, KVMIRQ_GUEST_EOI, &eoi));
	show_interrupt(vm, vcpu, 0x40);
	say_result("KVM_SIGNAL_MSI to APIC 0, vector 0x55 (LAPICs)",
		   ioctl(vm, KVM_SIGNAL_MSI, &msi));
	printf("  %-44s    LAPIC IRR bit 0x55: %d\n", "", lapic_bit(vcpu, 0x200, 0x55));
}

static void tour_x86(int dev)
{
	int vm, vcpu[4], i;

	printf("\nAn x86 VM (KVM_CREATE_VM type 0):\n");
	vm = ioctl(dev, KVM_CREATE_VM, KVMIRQ_VM_X86);
	say_result("KVM_CREATE_VM(0)", vm);
	if (vm < 0)
		return;
	say_result("KVM_CREATE_IRQCHIP (PIC pair, IOAPIC)",
		   ioctl(vm, KVM_CREATE_IRQCHIP, 0));
	for (i = 0; i < 4; i++) {
		vcpu[i] = ioctl(vm, KVM_CREATE_VCPU, i);
		say_result("KVM_CREATE_VCPU (with a LAPIC)", vcpu[i]);
	}
	say_result("KVM_CREATE_VCPU(0) again (duplicate id)",
		   ioctl(vm, KVM_CREATE_VCPU, 0));
	say_result("KVM_CREATE_VCPU(4096) (id out of range)",
		   ioctl(vm, KVM_CREATE_VCPU, 4096));
	show_caps(vm, "the x86 VM");
	if (vcpu[0] >= 0)
		drive_x86(vm, vcpu[0]);
	printf("  closing the VM fd first: the vcpus keep the VM alive\n");
	close(vm);
	for (i = 0; i < 4; i++)
		close(vcpu[i]);
}

/* Delivers until nothing is deliverable, with every interruption class open. */
static void drain_s390(int vcpu)
{
	struct kvmirq_s390_deliver d;

	for (;;) {
		memset(&d, 0, sizeof(d));
		/* PSW: I/O, external and machine-check interruptions enabled. */
		d.psw_mask = 0x0304000000000000ULL;
		d.cr0 = ~0ULL;
		d.cr6 = ~0ULL;
		d.cr14 = ~0ULL;
		if (ioctl(vcpu, KVMIRQ_S390_DELIVER, &d)) {
			say_result("KVMIRQ_S390_DELIVER", -1);
			return;
		}
		if (d.result != KVMIRQ_S390_DELIVERED_IRQ)
			break;
		printf("  %-44s -> type %#llx\n", "KVMIRQ_S390_DELIVER (the CPU takes one)",
		       (unsigned long long)d.irq.type);
	}
	printf("  %-44s -> nothing deliverable\n", "KVMIRQ_S390_DELIVER");
}

static void tour_s390(int dev)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };
	struct kvm_s390_irq emerg = {
		.type = KVM_S390_INT_EMERGENCY, .u.emerg.code = 1,
	};
	struct kvm_s390_irq service = {
		.type = KVM_S390_INT_SERVICE, .u.ext.ext_params = 0x1000,
	};
	struct kvm_device_attr enqueue = {
		.group = KVM_DEV_FLIC_ENQUEUE, .attr = sizeof(service),
		.addr = (unsigned long)&service,
	};
	int vm, vcpu, vcpu1;

	printf("\nAn s390 VM (KVM_CREATE_VM type KVMIRQ_VM_S390 = %#lx):\n",
	       KVMIRQ_VM_S390);
	vm = ioctl(dev, KVM_CREATE_VM, KVMIRQ_VM_S390);
	say_result("KVM_CREATE_VM(KVMIRQ_VM_S390)", vm);
	if (vm < 0)
		return;
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	say_result("KVM_CREATE_VCPU(0)", vcpu);
	vcpu1 = ioctl(vm, KVM_CREATE_VCPU, 1);
	say_result("KVM_CREATE_VCPU(1)", vcpu1);
	say_result("KVM_CREATE_DEVICE(FLIC)", ioctl(vm, KVM_CREATE_DEVICE, &cd));
	printf("  %-44s    FLIC fd %d\n", "", cd.fd);
	say_result("KVM_CREATE_DEVICE(FLIC) again (one per VM)",
		   ioctl(vm, KVM_CREATE_DEVICE, &cd));
	say_result("KVM_IRQ_LINE on s390 (x86 only)",
		   ioctl(vm, KVM_IRQ_LINE, NULL));
	say_result("KVM_S390_IRQ emergency signal from vcpu 1",
		   ioctl(vcpu, KVM_S390_IRQ, &emerg));
	emerg.u.emerg.code = 7;
	say_result("KVM_S390_IRQ emergency from vcpu 7 (none)",
		   ioctl(vcpu, KVM_S390_IRQ, &emerg));
	say_result("FLIC ENQUEUE a service signal (floating)",
		   ioctl(cd.fd, KVM_SET_DEVICE_ATTR, &enqueue));
	drain_s390(vcpu);
	show_caps(vm, "the s390 VM");
	close(cd.fd);
	close(vcpu1);
	close(vcpu);
	close(vm);
}

int main(void)
{
	int dev = open(dev_path(), O_RDWR | O_CLOEXEC);

	if (dev < 0) {
		fprintf(stderr, "kvmirq-demo: %s: %s\n", dev_path(), strerror(errno));
		return 1;
	}
	printf("Opened %s\n", dev_path());
	say_result("KVM_GET_API_VERSION", ioctl(dev, KVM_GET_API_VERSION, 0));
	say_result("KVM_GET_VCPU_MMAP_SIZE", ioctl(dev, KVM_GET_VCPU_MMAP_SIZE, 0));
	show_caps(dev, dev_path());
	tour_x86(dev);
	if (ioctl(dev, KVM_CHECK_EXTENSION, KVMIRQ_CAP_ABI_VERSION) > 0)
		tour_s390(dev);
	else
		printf("\n%s is not kvmirq: no s390 machine type here.\n", dev_path());
	close(dev);
	printf("\nAll fds closed; the module can be unloaded now.\n");
	return 0;
}
