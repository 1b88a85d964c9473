// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 VM ioctls a VMM calls before its vcpus run, the same sequences on
 * kvmirq and on KVM: KVM_SET_TSS_ADDR, KVM_SET_IDENTITY_MAP_ADDR,
 * KVM_GET/SET_CLOCK, the VM's KVM_SET/GET_TSC_KHZ, KVM_X86_SET_MSR_FILTER
 * and the capabilities that announce them.
 */
#include <time.h>

#include "kvmirq_test.h"

FIXTURE(vmstate) {
	int dev;
	int kvmirq;
	int vm;
};

FIXTURE_SETUP(vmstate)
{
	self->vm = -1;
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	ASSERT_LE(0, self->vm);
}

FIXTURE_TEARDOWN(vmstate)
{
	if (self->vm >= 0)
		close(self->vm);
	if (self->dev >= 0)
		close(self->dev);
}

TEST_F(vmstate, tss_and_identity_map)
{
	__u64 addr = 0xfeffc000;

	EXPECT_EQ(0, ioctl(self->vm, KVM_SET_TSS_ADDR, 0xfeffd000));
	EXPECT_EQ(0, ioctl(self->vm, KVM_SET_TSS_ADDR, 0xffffd000));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_SET_TSS_ADDR, 0xffffd001)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_SET_TSS_ADDR, 1UL << 32)));

	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_SET_IDENTITY_MAP_ADDR, NULL)));
	EXPECT_EQ(0, ioctl(self->vm, KVM_SET_IDENTITY_MAP_ADDR, &addr));
	EXPECT_EQ(0, ioctl(self->vm, KVM_SET_IDENTITY_MAP_ADDR, &addr));
	/* Once a vcpu exists: EINVAL, before the argument is read. */
	ASSERT_LE(0, ioctl(self->vm, KVM_CREATE_VCPU, 0));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_SET_IDENTITY_MAP_ADDR, &addr)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_SET_IDENTITY_MAP_ADDR, NULL)));
	EXPECT_EQ(0, ioctl(self->vm, KVM_SET_TSS_ADDR, 0xfeffd000));
}

TEST_F(vmstate, clock)
{
	struct kvm_clock_data data = { 0 }, got;
	const __u64 second = 1000000000ULL;
	long flags = ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_ADJUST_CLOCK);

	EXPECT_EQ(KVM_CLOCK_TSC_STABLE | KVM_CLOCK_REALTIME | KVM_CLOCK_HOST_TSC,
		  flags);
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_GET_CLOCK, NULL)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_SET_CLOCK, NULL)));

	/* A new VM's clock starts near 0 and only reports known flags. */
	ASSERT_EQ(0, ioctl(self->vm, KVM_GET_CLOCK, &got));
	EXPECT_GT(10 * second, got.clock);
	EXPECT_EQ(0, got.flags & ~flags);

	data.clock = 1000 * second;
	EXPECT_EQ(0, ioctl(self->vm, KVM_SET_CLOCK, &data));
	ASSERT_EQ(0, ioctl(self->vm, KVM_GET_CLOCK, &got));
	EXPECT_LE(1000 * second, got.clock);
	EXPECT_GT(1001 * second, got.clock);

	/* What GET gave, SET takes back. */
	EXPECT_EQ(0, ioctl(self->vm, KVM_SET_CLOCK, &got));
	data.flags = 1;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_SET_CLOCK, &data)));
	data.flags = 1u << 4;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_SET_CLOCK, &data)));
}

/* REALTIME moves the clock on by the real time since "realtime". */
TEST_F(vmstate, clock_realtime)
{
	const __u64 second = 1000000000ULL;
	struct kvm_clock_data data = { 0 }, got;
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	data.flags = KVM_CLOCK_REALTIME;
	data.clock = 1000 * second;
	data.realtime = now.tv_sec * second + now.tv_nsec - 5 * second;
	EXPECT_EQ(0, ioctl(self->vm, KVM_SET_CLOCK, &data));
	ASSERT_EQ(0, ioctl(self->vm, KVM_GET_CLOCK, &got));
	EXPECT_LE(1005 * second, got.clock);
	EXPECT_GT(1006 * second, got.clock);
}

TEST_F(vmstate, tsc_khz)
{
	long khz = ioctl(self->vm, KVM_GET_TSC_KHZ);

	EXPECT_LT(0, khz);
	if (ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_VM_TSC_CONTROL) > 0)
		SKIP(return, "TSC scaling: other limits");
	/* Without TSC scaling any frequency is the vcpus' default. */
	EXPECT_EQ(0, ioctl(self->vm, KVM_SET_TSC_KHZ, 1000000));
	EXPECT_EQ(1000000, ioctl(self->vm, KVM_GET_TSC_KHZ));
	EXPECT_EQ(0, ioctl(self->vm, KVM_SET_TSC_KHZ, 0));
	EXPECT_LT(0, ioctl(self->vm, KVM_GET_TSC_KHZ));
}

static int msr_filter(int vm, struct kvm_msr_filter *f)
{
	return kvmirq_errno(ioctl(vm, KVM_X86_SET_MSR_FILTER, f));
}

TEST_F(vmstate, msr_filter)
{
	__u8 bitmap[0x600] = { 0 };
	struct kvm_msr_filter f;

	EXPECT_EQ(1, ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_X86_MSR_FILTER));
	EXPECT_EQ(EFAULT, msr_filter(self->vm, NULL));

	memset(&f, 0, sizeof(f));
	EXPECT_EQ(0, msr_filter(self->vm, &f));
	f.flags = KVM_MSR_FILTER_DEFAULT_DENY;
	EXPECT_EQ(EINVAL, msr_filter(self->vm, &f));
	f.flags = 2;
	EXPECT_EQ(EINVAL, msr_filter(self->vm, &f));

	/* QEMU's: MSR_CORE_THREAD_COUNT reads go to userspace. */
	f.flags = 0;
	f.ranges[0] = (struct kvm_msr_filter_range) {
		.flags = KVM_MSR_FILTER_READ, .nmsrs = 1, .base = 0x35,
		.bitmap = bitmap,
	};
	EXPECT_EQ(0, msr_filter(self->vm, &f));
	f.flags = KVM_MSR_FILTER_DEFAULT_DENY;
	EXPECT_EQ(0, msr_filter(self->vm, &f));

	/* Per range: flags, size, bitmap; an empty range is skipped. */
	f.ranges[3] = f.ranges[0];
	f.ranges[3].flags = 0;
	EXPECT_EQ(EINVAL, msr_filter(self->vm, &f));
	f.ranges[3].flags = 4;
	EXPECT_EQ(EINVAL, msr_filter(self->vm, &f));
	f.ranges[3].flags = KVM_MSR_FILTER_WRITE;
	f.ranges[3].nmsrs = 0x600 * 8 + 1;
	EXPECT_EQ(EINVAL, msr_filter(self->vm, &f));
	f.ranges[3].nmsrs = 0x600 * 8;
	EXPECT_EQ(0, msr_filter(self->vm, &f));
	f.ranges[3].bitmap = NULL;
	EXPECT_EQ(EFAULT, msr_filter(self->vm, &f));
	f.ranges[3].nmsrs = 0;
	f.ranges[3].flags = 4;
	EXPECT_EQ(0, msr_filter(self->vm, &f));
}

TEST_HARNESS_MAIN
