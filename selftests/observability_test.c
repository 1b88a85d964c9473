// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq's debugfs dumps and tracepoints.  Both need root and the
 * filesystems mounted (the test VM mounts them); the tests skip otherwise.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "kvmirq_test.h"
#include "s390_test.h"
#include "x86_lapic.h"

#define DEBUGFS	"/sys/kernel/debug/kvmirq"
#define TRACEFS	"/sys/kernel/tracing"

/* Reads a whole (small) file into buf; returns its length or -1. */
static ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, len = 0;

	if (fd < 0)
		return -1;
	while (len < (ssize_t)size - 1 &&
	       (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	return len;
}

/* Empties the trace buffer and enables every kvmirq event; 0 or -1. */
static int trace_start(void)
{
	if (access(TRACEFS "/events/kvmirq/enable", W_OK))
		return -1;
	if (write_file(TRACEFS "/trace", ""))
		return -1;
	return write_file(TRACEFS "/events/kvmirq/enable", "1");
}

/* Disables the events and reads the trace into buf. */
static ssize_t trace_stop(char *buf, size_t size)
{
	if (write_file(TRACEFS "/events/kvmirq/enable", "0"))
		return -1;
	return read_file(TRACEFS "/trace", buf, size);
}

/* Reads DEBUGFS/<pid>-<vm>/<file> into buf; its length or -1. */
static ssize_t read_dump(int vm, const char *file, char *buf, size_t size)
{
	char path[256];

	snprintf(path, sizeof(path), DEBUGFS "/%d-%d/%s", getpid(), vm, file);
	return read_file(path, buf, size);
}

/* True when @text is in @buf; says what is missing otherwise. */
static bool has(const char *buf, const char *text)
{
	if (strstr(buf, text))
		return true;
	fprintf(stderr, "# missing \"%s\" in:\n%s\n", text, buf);
	return false;
}

FIXTURE(obs) {
	int dev;
	int kvmirq;
	char buf[65536];
	char path[256];
};

FIXTURE_SETUP(obs)
{
	KVMIRQ_OPEN_OR_SKIP();
	KVMIRQ_ONLY();
}

FIXTURE_TEARDOWN(obs)
{
	CLOSE_FDS(self->dev);
}

TEST_F(obs, debugfs_vm_dump)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };
	struct stat st;
	int vm, s390, vcpu0, vcpu5;

	if (stat(DEBUGFS, &st))
		SKIP(return, "%s: %s", DEBUGFS, strerror(errno));

	vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	ASSERT_GE(vm, 0);
	vcpu0 = ioctl(vm, KVM_CREATE_VCPU, 0);
	vcpu5 = ioctl(vm, KVM_CREATE_VCPU, 5);
	ASSERT_GE(vcpu5, 0);
	snprintf(self->path, sizeof(self->path), DEBUGFS "/%d-%d/vm", getpid(), vm);
	ASSERT_GT(read_file(self->path, self->buf, sizeof(self->buf)), 0)
		TH_LOG("%s: %s", self->path, strerror(errno));
	EXPECT_NE(NULL, strstr(self->buf, "model: x86 (type 0x0)"));
	EXPECT_NE(NULL, strstr(self->buf, "vcpus: 2\n"));
	EXPECT_NE(NULL, strstr(self->buf, "vcpu ids: 0 5\n"));

	s390 = ioctl(self->dev, KVM_CREATE_VM, KVMIRQ_VM_S390);
	ASSERT_EQ(0, ioctl(s390, KVM_CREATE_DEVICE, &cd));
	snprintf(self->path, sizeof(self->path), DEBUGFS "/%d-%d/vm", getpid(), s390);
	ASSERT_GT(read_file(self->path, self->buf, sizeof(self->buf)), 0);
	EXPECT_NE(NULL, strstr(self->buf, "model: s390 (type 0x390)"));
	EXPECT_NE(NULL, strstr(self->buf, "devices: kvmirq-flic(type 6)"));

	/* The directory goes with the VM, not with its fd. */
	close(cd.fd);
	close(s390);
	EXPECT_NE(0, stat(self->path, &st));
	snprintf(self->path, sizeof(self->path), DEBUGFS "/%d-%d", getpid(), vm);
	close(vm);
	EXPECT_EQ(0, stat(self->path, &st));
	close(vcpu0);
	close(vcpu5);
	EXPECT_NE(0, stat(self->path, &st));
}

TEST_F(obs, tracepoints)
{
	static const char * const events[] = {
		"kvmirq_create_vm", "kvmirq_create_vcpu", "kvmirq_create_device",
		"kvmirq_destroy_vm",
	};
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };
	char want[128];
	unsigned int i;
	int vm, vcpu;

	snprintf(self->path, sizeof(self->path), TRACEFS "/events/kvmirq/enable");
	if (access(self->path, W_OK))
		SKIP(return, "%s: %s", self->path, strerror(errno));
	for (i = 0; i < ARRAY_SIZE(events); i++) {
		snprintf(self->path, sizeof(self->path),
			 TRACEFS "/events/kvmirq/%s/format", events[i]);
		EXPECT_EQ(0, access(self->path, R_OK)) TH_LOG("%s", events[i]);
	}
	ASSERT_EQ(0, write_file(TRACEFS "/trace", ""));
	ASSERT_EQ(0, write_file(TRACEFS "/events/kvmirq/enable", "1"));

	vm = ioctl(self->dev, KVM_CREATE_VM, KVMIRQ_VM_S390);
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 7);
	ASSERT_EQ(0, ioctl(vm, KVM_CREATE_DEVICE, &cd));
	close(cd.fd);
	close(vcpu);
	close(vm);

	ASSERT_EQ(0, write_file(TRACEFS "/events/kvmirq/enable", "0"));
	ASSERT_GT(read_file(TRACEFS "/trace", self->buf, sizeof(self->buf)), 0);
	snprintf(want, sizeof(want), "kvmirq_create_vm: type 0x390 fd %d", vm);
	EXPECT_NE(NULL, strstr(self->buf, want)) TH_LOG("%s", self->buf);
	snprintf(want, sizeof(want), "kvmirq_create_vcpu: id 7 fd %d", vcpu);
	EXPECT_NE(NULL, strstr(self->buf, want));
	snprintf(want, sizeof(want), "kvmirq_create_device: type 6 fd %d", cd.fd);
	EXPECT_NE(NULL, strstr(self->buf, want));
	EXPECT_NE(NULL, strstr(self->buf, "kvmirq_destroy_vm: type 0x390"));
}

/* An interrupt through IRQ_LINE, MSI, acknowledge, EOI and IPI, in the trace. */
TEST_F(obs, trace_x86_interrupt)
{
	struct kvm_irq_level line = { .irq = 16, .level = 1 };
	struct kvmirq_ack ack = { 0 };
	struct kvmirq_eoi eoi = { 0 };
	int vm, vcpu;

	vm = x86_vm(self->dev);
	ASSERT_EQ(0, ioctl(vm, KVM_CREATE_IRQCHIP, 0));
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	ASSERT_EQ(0, lapic_enable(vcpu));
	if (trace_start())
		SKIP(goto out, "%s: %s", TRACEFS, strerror(errno));

	ASSERT_EQ(0, ioctl(vm, KVM_IRQ_LINE, &line));
	ASSERT_EQ(1, msi_phys(vm, 0, 0x41));
	ASSERT_EQ(0, ioctl(vcpu, KVMIRQ_GUEST_ACK, &ack));
	EXPECT_EQ(KVMIRQ_ACK_LAPIC, ack.source);
	EXPECT_EQ(0x41, ack.vector);
	ASSERT_EQ(0, ioctl(vcpu, KVMIRQ_GUEST_EOI, &eoi));
	ASSERT_EQ(0, lapic_write(vcpu, APIC_ICR2, 0));
	ASSERT_EQ(0, lapic_write(vcpu, APIC_ICR, 0x42));
	ASSERT_EQ(0, ioctl(vcpu, KVM_NMI));
	line.irq = 4;
	ASSERT_EQ(0, ioctl(vm, KVM_IRQ_LINE, &line));

	ASSERT_GT(trace_stop(self->buf, sizeof(self->buf)), 0);
	EXPECT_TRUE(has(self->buf, "kvmirq_set_irq: gsi 16 level 1 source 0 status -1"));
	EXPECT_TRUE(has(self->buf, "kvmirq_ioapic_set_irq: pin 16 dst 0x0 vec 0 dm 0"));
	EXPECT_TRUE(has(self->buf, "dm 0 (physical|edge|masked) status -1"));
	EXPECT_TRUE(has(self->buf, "kvmirq_msi_set_irq: dst 0x0 vec 65 dm 0"));
	EXPECT_TRUE(has(self->buf, "vec 65 dm 0 (physical|edge) status 1"));
	EXPECT_TRUE(has(self->buf, "kvmirq_apic_accept_irq: vcpu 0 dm 0 vec 65 (edge)"));
	EXPECT_TRUE(has(self->buf, "kvmirq_ack: vcpu 0 source 2 vector 65"));
	EXPECT_TRUE(has(self->buf, "kvmirq_eoi: vcpu 0 vector 65 (edge)"));
	EXPECT_TRUE(has(self->buf, "kvmirq_apic_ipi: vcpu 0 dst 0x0 vec 66 dm 0"));
	EXPECT_TRUE(has(self->buf, "vec 66 dm 0 (physical|edge) shorthand 0"));
	EXPECT_TRUE(has(self->buf, "kvmirq_apic_accept_irq: vcpu 0 dm 0 vec 66 (edge)"));
	EXPECT_TRUE(has(self->buf, "kvmirq_inject_nmi: vcpu 0"));
	EXPECT_TRUE(has(self->buf, "kvmirq_pic_set_irq: chip 0 pin 4 (edge)"));
out:
	close(vcpu);
	close(vm);
}

/* s390 local and floating injection and delivery, in the trace. */
TEST_F(obs, trace_s390_interrupt)
{
	struct kvm_s390_irq io = io_irq(1, 2, 0x1234, 3);
	struct kvmirq_s390_deliver d;
	int vm, vcpu, flic;
	char want[128];

	vm = s390_vm(self->dev);
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	flic = s390_flic(vm);
	ASSERT_GE(flic, 0);
	if (trace_start())
		SKIP(goto out, "%s: %s", TRACEFS, strerror(errno));

	ASSERT_EQ(0, s390_irq_type(vcpu, KVM_S390_INT_CPU_TIMER));
	ASSERT_EQ(0, flic_enqueue(flic, &io, 1));
	ASSERT_EQ(P_CPU_TIMER, s390_take(vcpu, &d));
	ASSERT_EQ(P_IO3, s390_take(vcpu, &d));

	ASSERT_GT(trace_stop(self->buf, sizeof(self->buf)), 0);
	snprintf(want, sizeof(want), "kvmirq_s390_inject_local: vcpu 0 type %#llx",
		 (unsigned long long)KVM_S390_INT_CPU_TIMER);
	EXPECT_TRUE(has(self->buf, want));
	EXPECT_TRUE(has(self->buf, "kvmirq_s390_inject_float: type 0x2 parm 0x10002"));
	EXPECT_TRUE(has(self->buf, "parm 0x10002 parm64 0x123418000000 r 0"));
	snprintf(want, sizeof(want), "kvmirq_s390_deliver: vcpu 0 result 1 bit %d type %#llx",
		 P_CPU_TIMER, (unsigned long long)KVM_S390_INT_CPU_TIMER);
	EXPECT_TRUE(has(self->buf, want));
	snprintf(want, sizeof(want), "kvmirq_s390_deliver: vcpu 0 result 1 bit %d type 0x2",
		 P_IO3);
	EXPECT_TRUE(has(self->buf, want));
out:
	close(flic);
	close(vcpu);
	close(vm);
}

/* The x86 dumps show the state set up through the KVM ioctls. */
TEST_F(obs, debugfs_x86_dumps)
{
	struct kvm_irq_level line = { .irq = 3, .level = 1 };
	struct kvm_irqchip chip = { .chip_id = KVM_IRQCHIP_PIC_MASTER };
	struct stat st;
	int vm, vcpu0, vcpu1, bare, bare_vcpu;

	if (stat(DEBUGFS, &st))
		SKIP(return, "%s: %s", DEBUGFS, strerror(errno));
	vm = x86_vm(self->dev);
	bare = x86_vm(self->dev);
	bare_vcpu = ioctl(bare, KVM_CREATE_VCPU, 0);
	ASSERT_GE(bare_vcpu, 0);
	ASSERT_GT(read_dump(vm, "pic", self->buf, sizeof(self->buf)), 0);
	EXPECT_TRUE(has(self->buf, "no in-kernel PIC"));
	ASSERT_GT(read_dump(vm, "ioapic", self->buf, sizeof(self->buf)), 0);
	EXPECT_TRUE(has(self->buf, "no in-kernel IOAPIC"));
	ASSERT_GT(read_dump(bare, "vcpu0/lapic", self->buf, sizeof(self->buf)), 0);
	EXPECT_TRUE(has(self->buf, "no in-kernel LAPIC"));

	ASSERT_EQ(0, ioctl(vm, KVM_CREATE_IRQCHIP, 0));
	vcpu0 = ioctl(vm, KVM_CREATE_VCPU, 0);
	vcpu1 = ioctl(vm, KVM_CREATE_VCPU, 1);
	ASSERT_GE(vcpu1, 0);

	ASSERT_EQ(0, ioctl(vm, KVM_GET_IRQCHIP, &chip));
	chip.chip.pic.imr = 0xfb;
	chip.chip.pic.irq_base = 0x20;
	ASSERT_EQ(0, ioctl(vm, KVM_SET_IRQCHIP, &chip));
	ASSERT_EQ(0, ioctl(vm, KVM_IRQ_LINE, &line));
	ASSERT_GT(read_dump(vm, "pic", self->buf, sizeof(self->buf)), 0);
	EXPECT_TRUE(has(self->buf, "master: irr 08 imr fb isr 00"));
	EXPECT_TRUE(has(self->buf, "irq_base 0x20"));
	EXPECT_TRUE(has(self->buf, "slave: irr 00"));

	chip.chip_id = KVM_IRQCHIP_IOAPIC;
	ASSERT_EQ(0, ioctl(vm, KVM_GET_IRQCHIP, &chip));
	chip.chip.ioapic.redirtbl[5].bits = 0x35 | 1 << 15 | 1 << 16 | 1ull << 56;
	ASSERT_EQ(0, ioctl(vm, KVM_SET_IRQCHIP, &chip));
	ASSERT_GT(read_dump(vm, "ioapic", self->buf, sizeof(self->buf)), 0);
	EXPECT_TRUE(has(self->buf, "pin  5: 0100000000018035 vec  53 fixed  physical"));
	EXPECT_TRUE(has(self->buf, "vec  53 fixed  physical dest 0x01 level masked\n"));
	EXPECT_TRUE(has(self->buf, "pin  3: 0000000000010000 vec   0 fixed  physical"));
	EXPECT_TRUE(has(self->buf, "edge  masked line-high\n"));
	EXPECT_TRUE(has(self->buf, "pin 23: "));

	ASSERT_EQ(0, lapic_setup(vcpu1, 0x1ff, 0x01000000, 0xffffffff));
	ASSERT_EQ(1, msi_phys(vm, 1, 0x41));
	ASSERT_EQ(1, msi_phys(vm, 1, 0x62 | MSI_LEVEL));
	ASSERT_GT(read_dump(vm, "vcpu1/lapic", self->buf, sizeof(self->buf)), 0);
	EXPECT_TRUE(has(self->buf, "mode xapic base 0xfee00000 sw-enabled 1"));
	EXPECT_TRUE(has(self->buf, "id 1 (reg 01000000)"));
	EXPECT_TRUE(has(self->buf, "ldr 01000000 dfr ffffffff"));
	EXPECT_TRUE(has(self->buf, "irr: 65 98\n"));
	EXPECT_TRUE(has(self->buf, "tmr: 98\n"));
	EXPECT_TRUE(has(self->buf, "isr:\n"));
	EXPECT_TRUE(has(self->buf, "lvt lint0"));
	ASSERT_GT(read_dump(vm, "vcpu0/lapic", self->buf, sizeof(self->buf)), 0);
	EXPECT_TRUE(has(self->buf, "base 0xfee00000 bsp"));
	EXPECT_TRUE(has(self->buf, "lvt lint0   00000700 vec   0 dm 7\n"));

	ASSERT_EQ(0, ioctl(vcpu1, KVM_NMI));
	ASSERT_GT(read_dump(vm, "vcpu1/events", self->buf, sizeof(self->buf)), 0);
	EXPECT_TRUE(has(self->buf, "mp_state uninitialized (1)"));
	EXPECT_TRUE(has(self->buf, "nmi queued 1 pending 0"));
	ASSERT_GT(read_dump(vm, "vcpu0/events", self->buf, sizeof(self->buf)), 0);
	EXPECT_TRUE(has(self->buf, "mp_state runnable (0)"));
	EXPECT_TRUE(has(self->buf, "nmi queued 0 pending 0"));

	close(vcpu0);
	close(vcpu1);
	close(vm);
	close(bare_vcpu);
	close(bare);
}

/* The s390 dumps show the floating lists, adapters and local interrupts. */
TEST_F(obs, debugfs_s390_dumps)
{
	struct kvm_s390_io_adapter adapter = { .id = 5, .isc = 2, .maskable = 1 };
	struct kvm_s390_irq io = io_irq(1, 2, 0x1234, 3);
	struct kvm_s390_irq pgm = { .type = KVM_S390_PROGRAM_INT };
	struct stat st;
	int vm, vcpu, flic;

	if (stat(DEBUGFS, &st))
		SKIP(return, "%s: %s", DEBUGFS, strerror(errno));
	vm = s390_vm(self->dev);
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 4);
	ASSERT_GE(vcpu, 0);
	ASSERT_GT(read_dump(vm, "flic", self->buf, sizeof(self->buf)), 0);
	EXPECT_TRUE(has(self->buf, "flic none"));
	flic = s390_flic(vm);
	ASSERT_GE(flic, 0);

	ASSERT_EQ(0, flic_enqueue(flic, &io, 1));
	io = io_irq(7, 8, 0x99, 3);
	ASSERT_EQ(0, flic_enqueue(flic, &io, 1));
	ASSERT_EQ(0, flic_set(flic, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, &adapter));
	ASSERT_GT(read_dump(vm, "flic", self->buf, sizeof(self->buf)), 0);
	EXPECT_TRUE(has(self->buf, "queued io 2 pfault 0 virtio 0"));
	EXPECT_TRUE(has(self->buf, "  isc3: type 0x2 schid 0x10002 parm 0x1234 word 0x18000000\n"));
	EXPECT_TRUE(has(self->buf, "  isc3: type 0x8 schid 0x70008 parm 0x99"));
	EXPECT_TRUE(has(self->buf, "flic created"));
	EXPECT_TRUE(has(self->buf, "adapter 5: isc 2 maskable 1 swap 0"));

	pgm.u.pgm.code = 0x11;
	ASSERT_EQ(0, s390_irq(vcpu, &pgm));
	ASSERT_EQ(0, s390_irq_type(vcpu, KVM_S390_INT_CPU_TIMER));
	ASSERT_GT(read_dump(vm, "vcpu4/local", self->buf, sizeof(self->buf)), 0);
	EXPECT_TRUE(has(self->buf, "program pending code 0x11"));
	EXPECT_TRUE(has(self->buf, "cpu timer 1"));
	EXPECT_TRUE(has(self->buf, "stop none"));

	close(flic);
	close(vcpu);
	close(vm);
}

TEST_HARNESS_MAIN
