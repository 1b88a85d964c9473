// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_IOEVENTFD and KVM_(UN)REGISTER_COALESCED_MMIO on x86, the same
 * sequences on kvmirq and on KVM: every flag, every errno, collisions,
 * deassign, the coalesced ring in the vcpu mapping.  What a guest write
 * does to them (signal the eventfd, fill the ring) is driven through the
 * guest-side interface, so those checks are kvmirq-only.
 */
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#include "kvmirq_test.h"

#define PAGE	4096UL

FIXTURE(iobus) {
	int dev;
	int kvmirq;
	int vm;
	int efd;
	int efd2;
};

FIXTURE_SETUP(iobus)
{
	self->vm = -1;
	self->efd = -1;
	self->efd2 = -1;
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	ASSERT_LE(0, self->vm);
	self->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	self->efd2 = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ASSERT_LE(0, self->efd);
	ASSERT_LE(0, self->efd2);
}

FIXTURE_TEARDOWN(iobus)
{
	if (self->efd2 >= 0)
		close(self->efd2);
	if (self->efd >= 0)
		close(self->efd);
	if (self->vm >= 0)
		close(self->vm);
	if (self->dev >= 0)
		close(self->dev);
}

static int ioeventfd(int vm, int fd, __u64 addr, __u32 len, __u32 flags,
		     __u64 datamatch)
{
	struct kvm_ioeventfd a = {
		.datamatch = datamatch, .addr = addr, .len = len, .fd = fd,
		.flags = flags,
	};

	return kvmirq_errno(ioctl(vm, KVM_IOEVENTFD, &a));
}

static int zone(int vm, unsigned long ioctl_nr, __u64 addr, __u32 size,
		__u32 pio)
{
	struct kvm_coalesced_mmio_zone z = {
		.addr = addr, .size = size, .pio = pio,
	};

	return kvmirq_errno(ioctl(vm, ioctl_nr, &z));
}

/* The eventfd's count, consumed; 0 if it was not signalled. */
static __u64 count(int fd)
{
	__u64 n = 0;

	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

/* A guest write through kvmirq's guest-side interface (kvmirq only). */
static int guest_write(int fd, __u32 space, __u64 addr, __u32 len, __u64 data)
{
	struct kvmirq_io io = {
		.space = space, .len = len, .flags = KVMIRQ_IO_WRITE,
		.addr = addr, .data = data,
	};

	return kvmirq_errno(ioctl(fd, KVMIRQ_GUEST_IO, &io));
}

TEST_F(iobus, ioeventfd_errnos)
{
	int vm = self->vm, efd = self->efd;

	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(vm, KVM_IOEVENTFD, NULL)));
	EXPECT_EQ(EINVAL, ioeventfd(vm, efd, 0x1000, 3, 0, 0));
	EXPECT_EQ(EINVAL, ioeventfd(vm, efd, 0x1000, 16, 0, 0));
	EXPECT_EQ(EINVAL, ioeventfd(vm, efd, -4ULL, 8, 0, 0));
	EXPECT_EQ(EINVAL, ioeventfd(vm, efd, 0x1000, 4, 1u << 5, 0));
	EXPECT_EQ(EINVAL, ioeventfd(vm, efd, 0x1000, 0,
				    KVM_IOEVENTFD_FLAG_DATAMATCH, 0));
	EXPECT_EQ(EBADF, ioeventfd(vm, -1, 0x1000, 4, 0, 0));
	/* An fd that is not an eventfd. */
	EXPECT_EQ(EINVAL, ioeventfd(vm, self->dev, 0x1000, 4, 0, 0));
	/* Deassigning what is not there; also checks nothing about len. */
	EXPECT_EQ(ENOENT, ioeventfd(vm, efd, 0x1000, 4,
				    KVM_IOEVENTFD_FLAG_DEASSIGN, 0));
	EXPECT_EQ(ENOENT, ioeventfd(vm, efd, 0x1000, 3,
				    KVM_IOEVENTFD_FLAG_DEASSIGN, 0));
	EXPECT_EQ(EBADF, ioeventfd(vm, -1, 0x1000, 4,
				   KVM_IOEVENTFD_FLAG_DEASSIGN, 0));
}

TEST_F(iobus, ioeventfd_collisions)
{
	const __u32 dm = KVM_IOEVENTFD_FLAG_DATAMATCH;
	const __u32 pio = KVM_IOEVENTFD_FLAG_PIO;
	int vm = self->vm, efd = self->efd, efd2 = self->efd2;

	ASSERT_EQ(0, ioeventfd(vm, efd, 0x1000, 4, dm, 1));
	EXPECT_EQ(0, ioeventfd(vm, efd, 0x1000, 4, dm, 2));
	EXPECT_EQ(EEXIST, ioeventfd(vm, efd2, 0x1000, 4, dm, 1));
	EXPECT_EQ(EEXIST, ioeventfd(vm, efd2, 0x1000, 4, 0, 0));
	EXPECT_EQ(EEXIST, ioeventfd(vm, efd2, 0x1000, 0, 0, 0));
	/* Other length, other address, other bus. */
	EXPECT_EQ(0, ioeventfd(vm, efd2, 0x1000, 2, 0, 0));
	EXPECT_EQ(0, ioeventfd(vm, efd2, 0x1004, 4, 0, 0));
	EXPECT_EQ(0, ioeventfd(vm, efd2, 0x1000, 4, pio, 0));
	EXPECT_EQ(0, ioeventfd(vm, efd2, 0x1000, 4,
			       KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY, 0));
	/* Length 0 collides with any length at its address. */
	EXPECT_EQ(0, ioeventfd(vm, efd, 0x2000, 0, pio, 0));
	EXPECT_EQ(EEXIST, ioeventfd(vm, efd2, 0x2000, 1, pio | dm, 7));

	/* Deassign needs the same fd, length, bus and match. */
	EXPECT_EQ(ENOENT, ioeventfd(vm, efd2, 0x1000, 4,
				    dm | KVM_IOEVENTFD_FLAG_DEASSIGN, 1));
	EXPECT_EQ(ENOENT, ioeventfd(vm, efd, 0x1000, 4,
				    dm | KVM_IOEVENTFD_FLAG_DEASSIGN, 3));
	EXPECT_EQ(ENOENT, ioeventfd(vm, efd, 0x1000, 4,
				    KVM_IOEVENTFD_FLAG_DEASSIGN, 0));
	EXPECT_EQ(0, ioeventfd(vm, efd, 0x1000, 4,
			       dm | KVM_IOEVENTFD_FLAG_DEASSIGN, 1));
	EXPECT_EQ(ENOENT, ioeventfd(vm, efd, 0x1000, 4,
				    dm | KVM_IOEVENTFD_FLAG_DEASSIGN, 1));
	EXPECT_EQ(0, ioeventfd(vm, efd2, 0x1000, 4, dm, 1));
	EXPECT_EQ(0, ioeventfd(vm, efd, 0x2000, 0,
			       pio | KVM_IOEVENTFD_FLAG_DEASSIGN, 0));
	EXPECT_EQ(0, ioeventfd(vm, efd2, 0x2000, 1, pio | dm, 7));
}

/* Guest writes signal the matching ioeventfd instead of the device. */
TEST_F(iobus, ioeventfd_signals)
{
	const __u32 dm = KVM_IOEVENTFD_FLAG_DATAMATCH;
	int vm = self->vm, efd = self->efd, efd2 = self->efd2;

	KVMIRQ_ONLY();
	ASSERT_EQ(0, ioeventfd(vm, efd, 0xc000, 2, KVM_IOEVENTFD_FLAG_PIO | dm,
			       0x1234));
	ASSERT_EQ(0, ioeventfd(vm, efd2, 0xfe000000, 0, 0, 0));

	EXPECT_EQ(0, guest_write(vm, KVMIRQ_SPACE_PIO, 0xc000, 2, 0x1234));
	EXPECT_EQ(1, count(efd));
	/* Wrong value, wrong length: no ioeventfd, and no device there. */
	EXPECT_EQ(ENXIO, guest_write(vm, KVMIRQ_SPACE_PIO, 0xc000, 2, 0x1235));
	EXPECT_EQ(ENXIO, guest_write(vm, KVMIRQ_SPACE_PIO, 0xc000, 1, 0x34));
	EXPECT_EQ(0, count(efd));
	/* Length 0: any write at the address, of any length. */
	EXPECT_EQ(0, guest_write(vm, KVMIRQ_SPACE_MMIO, 0xfe000000, 4, 5));
	EXPECT_EQ(0, guest_write(vm, KVMIRQ_SPACE_MMIO, 0xfe000000, 8, 6));
	EXPECT_EQ(2, count(efd2));
	EXPECT_EQ(ENXIO, guest_write(vm, KVMIRQ_SPACE_MMIO, 0xfe000004, 4, 5));
	/* Gone after deassign. */
	ASSERT_EQ(0, ioeventfd(vm, efd2, 0xfe000000, 0,
			       KVM_IOEVENTFD_FLAG_DEASSIGN, 0));
	EXPECT_EQ(ENXIO, guest_write(vm, KVMIRQ_SPACE_MMIO, 0xfe000000, 4, 5));
	EXPECT_EQ(0, count(efd2));
}

TEST_F(iobus, coalesced_zones)
{
	int vm = self->vm;

	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(vm, KVM_REGISTER_COALESCED_MMIO, NULL)));
	EXPECT_EQ(EINVAL, zone(vm, KVM_REGISTER_COALESCED_MMIO, 0xa0000, 0x1000, 2));
	EXPECT_EQ(EINVAL, zone(vm, KVM_UNREGISTER_COALESCED_MMIO, 0xa0000, 0x1000, 2));
	EXPECT_EQ(0, zone(vm, KVM_REGISTER_COALESCED_MMIO, 0xa0000, 0x1000, 0));
	/* Overlapping and identical zones are both taken. */
	EXPECT_EQ(0, zone(vm, KVM_REGISTER_COALESCED_MMIO, 0xa0000, 0x1000, 0));
	EXPECT_EQ(0, zone(vm, KVM_REGISTER_COALESCED_MMIO, 0x70, 2, 1));
	/* Unregister: nothing matches, still 0. */
	EXPECT_EQ(0, zone(vm, KVM_UNREGISTER_COALESCED_MMIO, 0xb0000, 0x10, 0));
	EXPECT_EQ(0, zone(vm, KVM_UNREGISTER_COALESCED_MMIO, 0xa0000, 0x1000, 0));
	EXPECT_EQ(0, zone(vm, KVM_UNREGISTER_COALESCED_MMIO, 0x70, 2, 1));
}

/* The ring: third page of every vcpu mapping, shared by the VM. */
TEST_F(iobus, coalesced_ring)
{
	struct kvm_coalesced_mmio_ring *ring0, *ring1;
	int vcpu0, vcpu1;
	char *map0, *map1;

	vcpu0 = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	vcpu1 = ioctl(self->vm, KVM_CREATE_VCPU, 1);
	ASSERT_LE(0, vcpu0);
	ASSERT_LE(0, vcpu1);
	map0 = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu0, 0);
	map1 = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu1, 0);
	ASSERT_NE(MAP_FAILED, map0);
	ASSERT_NE(MAP_FAILED, map1);
	ring0 = (void *)(map0 + 2 * PAGE);
	ring1 = (void *)(map1 + 2 * PAGE);
	EXPECT_EQ(0, ring0->first);
	EXPECT_EQ(0, ring0->last);
	/* The PIO data page is there too. */
	EXPECT_EQ(0, map0[PAGE]);

	if (self->kvmirq) {
		ASSERT_EQ(0, zone(self->vm, KVM_REGISTER_COALESCED_MMIO,
				  0xa0000, 0x1000, 0));
		ASSERT_EQ(0, zone(self->vm, KVM_REGISTER_COALESCED_MMIO,
				  0x70, 2, 1));
		EXPECT_EQ(0, guest_write(vcpu0, KVMIRQ_SPACE_MMIO, 0xa0010, 4,
					 0xdeadbeef));
		EXPECT_EQ(0, guest_write(vcpu1, KVMIRQ_SPACE_PIO, 0x71, 1, 0x5a));
		/* Outside the zone, partly and wholly. */
		EXPECT_EQ(ENXIO, guest_write(vcpu0, KVMIRQ_SPACE_MMIO, 0xa0ffc,
					     8, 1));
		EXPECT_EQ(ENXIO, guest_write(vcpu0, KVMIRQ_SPACE_PIO, 0x72, 1, 1));
		EXPECT_EQ(0, ring1->first);
		EXPECT_EQ(2, ring1->last);
		EXPECT_EQ(0xa0010, ring0->coalesced_mmio[0].phys_addr);
		EXPECT_EQ(4, ring0->coalesced_mmio[0].len);
		EXPECT_EQ(0, ring0->coalesced_mmio[0].pio);
		EXPECT_EQ(0xdeadbeef, *(__u32 *)ring0->coalesced_mmio[0].data);
		EXPECT_EQ(0x71, ring0->coalesced_mmio[1].phys_addr);
		EXPECT_EQ(1, ring0->coalesced_mmio[1].pio);
		EXPECT_EQ(0x5a, ring0->coalesced_mmio[1].data[0]);
		/* The VMM drains it by moving "first". */
		ring0->first = 2;
		EXPECT_EQ(0, guest_write(vcpu0, KVMIRQ_SPACE_MMIO, 0xa0000, 1, 7));
		EXPECT_EQ(3, ring1->last);
	}
	/* Beyond the three pages: SIGBUS territory, so only map it. */
	munmap(map0, 3 * PAGE);
	munmap(map1, 3 * PAGE);
	close(vcpu1);
	close(vcpu0);
}

TEST_HARNESS_MAIN
