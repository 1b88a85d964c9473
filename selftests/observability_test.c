// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq's debugfs dumps and tracepoints.  Both need root and the
 * filesystems mounted (the test VM mounts them); the tests skip otherwise.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "kvmirq_test.h"

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

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
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
	if (self->dev >= 0)
		close(self->dev);
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

TEST_HARNESS_MAIN
