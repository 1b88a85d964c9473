/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FLIC device attributes, without the kselftest harness: for the s390
 * selftests (through s390_test.h) and for kvmirq_fault.
 */
#ifndef KVMIRQ_S390_FLIC_H
#define KVMIRQ_S390_FLIC_H

#include <errno.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include <linux/kvmirq.h>

/* KVM_SET_DEVICE_ATTR on a FLIC: the ioctl's result. */
static inline int flic_set(int flic, __u32 group, __u64 attr,
			   const void *addr)
{
	struct kvm_device_attr a = {
		.group = group, .attr = attr, .addr = (uintptr_t)addr,
	};

	return ioctl(flic, KVM_SET_DEVICE_ATTR, &a);
}

/* KVM_GET_DEVICE_ATTR on a FLIC: the ioctl's result. */
static inline int flic_get(int flic, __u32 group, __u64 attr, void *addr)
{
	struct kvm_device_attr a = {
		.group = group, .attr = attr, .addr = (uintptr_t)addr,
	};

	return ioctl(flic, KVM_GET_DEVICE_ATTR, &a);
}

/* KVM_DEV_FLIC_ADAPTER_MODIFY (mask, map, unmap): 0 or the errno. */
static inline int adapter_req(int flic, __u8 type, __u32 id, __u64 addr)
{
	struct kvm_s390_io_adapter_req req = { .id = id, .type = type, .addr = addr };

	return flic_set(flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &req) ? errno : 0;
}

#endif /* KVMIRQ_S390_FLIC_H */
