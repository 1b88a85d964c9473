/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq's guest side on x86 (kvmirq only, KVM has no such ioctls): a
 * CPU's port, MMIO and MSR accesses, its interrupt acknowledge and its EOI.
 */
#ifndef KVMIRQ_X86_GUEST_H
#define KVMIRQ_X86_GUEST_H

#include "kvmirq_test.h"

#define LAPIC_BASE	0xfee00000ULL

/* One KVMIRQ_GUEST_IO: 0 or the errno; a read's value in @data. */
static inline int guest_io(int fd, __u32 space, __u64 addr, __u32 len,
			   int write, __u64 *data)
{
	struct kvmirq_io io = {
		.space = space, .len = len, .addr = addr,
		.flags = write ? KVMIRQ_IO_WRITE : 0,
		.data = write ? *data : 0,
	};
	int r = ioctl(fd, KVMIRQ_GUEST_IO, &io);

	if (!r && !write)
		*data = io.data;
	return r ? errno : 0;
}

/* A guest's OUT to @port from a VM or vcpu fd: 0 or the errno. */
static inline int pio_out(int fd, __u16 port, __u8 val)
{
	__u64 d = val;

	return guest_io(fd, KVMIRQ_SPACE_PIO, port, 1, 1, &d);
}

/* A 32-bit read of @vcpu's LAPIC page, or ~0 on error. */
static inline __u64 lapic_read(int vcpu, __u32 off)
{
	__u64 v = 0;

	return guest_io(vcpu, KVMIRQ_SPACE_MMIO, LAPIC_BASE + off, 4, 0, &v) ? ~0ULL : v;
}

/* A 32-bit write to @vcpu's LAPIC page: 0 or the errno. */
static inline int lapic_write(int vcpu, __u32 off, __u32 val)
{
	__u64 v = val;

	return guest_io(vcpu, KVMIRQ_SPACE_MMIO, LAPIC_BASE + off, 4, 1, &v);
}

/* The guest's RDMSR, or ~0 on error. */
static inline __u64 guest_rdmsr(int vcpu, __u32 msr)
{
	__u64 v = 0;

	return guest_io(vcpu, KVMIRQ_SPACE_MSR, msr, 8, 0, &v) ? ~0ULL : v;
}

/* The guest's WRMSR: 0 or the errno. */
static inline int guest_wrmsr(int vcpu, __u32 msr, __u64 val)
{
	return guest_io(vcpu, KVMIRQ_SPACE_MSR, msr, 8, 1, &val);
}

/* What cpu_ack() returns for an acknowledge from @source of @vector. */
#define ACKED(source, vector)	((source) << 8 | (vector))
#define ACKED_LAPIC(vector)	ACKED(KVMIRQ_ACK_LAPIC, vector)

/* KVMIRQ_GUEST_ACK on a vcpu into @a: 0 or the errno. */
static inline int guest_ack(int vcpu, struct kvmirq_ack *a)
{
	memset(a, 0, sizeof(*a));
	return kvmirq_errno(ioctl(vcpu, KVMIRQ_GUEST_ACK, a));
}

/* KVMIRQ_GUEST_ACK on a vcpu: ACKED(source, vector), or -errno. */
static inline int cpu_ack(int vcpu)
{
	struct kvmirq_ack a;
	int err = guest_ack(vcpu, &a);

	return err ? -err : (int)ACKED(a.source, a.vector);
}

/* The KVMIRQ_ACK_* source of a cpu_ack() result, or -1 for an error. */
static inline int ack_source(int acked)
{
	return acked < 0 ? -1 : acked >> 8;
}

/* KVMIRQ_GUEST_EOI on a vcpu: its LAPIC ends the highest ISR vector; 0 or the errno. */
static inline int cpu_eoi(int vcpu)
{
	struct kvmirq_eoi e = { 0 };

	return kvmirq_errno(ioctl(vcpu, KVMIRQ_GUEST_EOI, &e));
}

#endif /* KVMIRQ_X86_GUEST_H */
