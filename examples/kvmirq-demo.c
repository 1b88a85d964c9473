// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq-demo: a tour of /dev/kvmirq, in the words of a VMM.
 *
 * Opens the device (or $KVMIRQ_DEV, e.g. /dev/kvm for comparison), creates
 * an x86 VM and an s390 VM the way a VMM does, and says what it sees.
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

static void tour_x86(int dev)
{
	int vm, vcpu[4], i;

	printf("\nAn x86 VM (KVM_CREATE_VM type 0):\n");
	vm = ioctl(dev, KVM_CREATE_VM, KVMIRQ_VM_X86);
	say_result("KVM_CREATE_VM(0)", vm);
	if (vm < 0)
		return;
	for (i = 0; i < 4; i++) {
		vcpu[i] = ioctl(vm, KVM_CREATE_VCPU, i);
		say_result("KVM_CREATE_VCPU", vcpu[i]);
	}
	say_result("KVM_CREATE_VCPU(0) again (duplicate id)",
		   ioctl(vm, KVM_CREATE_VCPU, 0));
	say_result("KVM_CREATE_VCPU(4096) (id out of range)",
		   ioctl(vm, KVM_CREATE_VCPU, 4096));
	show_caps(vm, "the x86 VM");
	printf("  closing the VM fd first: the vcpus keep the VM alive\n");
	close(vm);
	for (i = 0; i < 4; i++)
		close(vcpu[i]);
}

static void tour_s390(int dev)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };
	int vm, vcpu;

	printf("\nAn s390 VM (KVM_CREATE_VM type KVMIRQ_VM_S390 = %#lx):\n",
	       KVMIRQ_VM_S390);
	vm = ioctl(dev, KVM_CREATE_VM, KVMIRQ_VM_S390);
	say_result("KVM_CREATE_VM(KVMIRQ_VM_S390)", vm);
	if (vm < 0)
		return;
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	say_result("KVM_CREATE_VCPU(0)", vcpu);
	say_result("KVM_CREATE_DEVICE(FLIC)", ioctl(vm, KVM_CREATE_DEVICE, &cd));
	printf("  %-44s    FLIC fd %d\n", "", cd.fd);
	say_result("KVM_CREATE_DEVICE(FLIC) again (one per VM)",
		   ioctl(vm, KVM_CREATE_DEVICE, &cd));
	say_result("KVM_IRQ_LINE on s390 (x86 only)",
		   ioctl(vm, KVM_IRQ_LINE, NULL));
	show_caps(vm, "the s390 VM");
	close(cd.fd);
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
