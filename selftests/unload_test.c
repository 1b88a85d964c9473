// SPDX-License-Identifier: GPL-2.0
/*
 * Module lifetime: kvmirq cannot be unloaded while any of its fds is open,
 * and unloads cleanly once all are closed.
 *
 * Needs $KVMIRQ_MODULE, the path of kvmirq.ko, to load the module again;
 * skips without it (on a host whose module must not be pulled away).
 */
#include <sys/stat.h>
#include <sys/syscall.h>

#include "kvmirq_test.h"

static int delete_kvmirq(void)
{
	return syscall(SYS_delete_module, "kvmirq", O_NONBLOCK);
}

static int load_kvmirq(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -1;
	r = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return r;
}

static int path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* A module in use refuses a non-blocking unload with EWOULDBLOCK. */
static int unload_refused(void)
{
	return delete_kvmirq() < 0 && (errno == EWOULDBLOCK || errno == EBUSY);
}

FIXTURE(unload) {
	int dev;
	int kvmirq;
	const char *module;
};

FIXTURE_SETUP(unload)
{
	self->module = getenv("KVMIRQ_MODULE");
	if (!self->module || !*self->module)
		KVMIRQ_SKIP("KVMIRQ_MODULE not set");
	KVMIRQ_OPEN_OR_SKIP();
	KVMIRQ_ONLY();
}

FIXTURE_TEARDOWN(unload)
{
	CLOSE_FDS(self->dev);
}

TEST_F(unload, refused_with_system_fd)
{
	EXPECT_TRUE(unload_refused());
}

TEST_F(unload, refused_with_vcpu_fd_only)
{
	int vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);

	ASSERT_GE(vcpu, 0);
	close(vm);
	close(self->dev);
	self->dev = -1;
	EXPECT_TRUE(unload_refused());
	close(vcpu);
}

TEST_F(unload, refused_with_device_fd_only)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };
	int vm = ioctl(self->dev, KVM_CREATE_VM, KVMIRQ_VM_S390);

	ASSERT_GE(vm, 0);
	ASSERT_EQ(0, ioctl(vm, KVM_CREATE_DEVICE, &cd));
	close(vm);
	close(self->dev);
	self->dev = -1;
	EXPECT_TRUE(unload_refused());
	close(cd.fd);
}

TEST_F(unload, refused_with_vcpu_mapping_only)
{
	int vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	void *run;

	ASSERT_GE(vcpu, 0);
	run = mmap(NULL, getpagesize(), PROT_READ, MAP_SHARED, vcpu, 0);
	ASSERT_NE(MAP_FAILED, run);
	close(vcpu);
	close(vm);
	close(self->dev);
	self->dev = -1;
	EXPECT_TRUE(unload_refused());
	munmap(run, getpagesize());
}

/* Once the last fd is closed, the module goes and takes its device node. */
TEST_F(unload, unload_and_reload)
{
	int vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	int vcpu = ioctl(vm, KVM_CREATE_VCPU, 5);

	ASSERT_GE(vcpu, 0);
	/* Close in the order that keeps the VM alive longest. */
	close(vm);
	close(self->dev);
	self->dev = -1;
	close(vcpu);

	ASSERT_EQ(0, delete_kvmirq()) TH_LOG("delete_module: %s", strerror(errno));
	EXPECT_FALSE(path_exists("/sys/module/kvmirq"));
	EXPECT_FALSE(path_exists("/dev/kvmirq"));

	ASSERT_EQ(0, load_kvmirq(self->module)) TH_LOG("finit_module: %s", strerror(errno));
	EXPECT_TRUE(path_exists("/sys/module/kvmirq"));
	self->dev = kvmirq_open();
	ASSERT_GE(self->dev, 0);
	EXPECT_EQ(12, ioctl(self->dev, KVM_GET_API_VERSION, 0));
}

TEST_HARNESS_MAIN
