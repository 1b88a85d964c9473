// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_SET_USER_MEMORY_REGION on kvmirq's s390 VMs, and what uses it: FLIC
 * ADAPTER_MODIFY MAP/UNMAP (page pinning, checked with the kernel's own
 * FOLL_PIN counters) and store status.  kvmirq only.
 */
#include <stdio.h>
#include <sys/mman.h>

#include "s390_test.h"

#define MIB	0x100000UL

FIXTURE(memslot) {
	int dev;
	int kvmirq;
	int vm;
	char *mem;	/* 4 MiB, 1 MiB aligned */
	void *raw;
};

FIXTURE_SETUP(memslot)
{
	self->vm = -1;
	self->raw = MAP_FAILED;
	KVMIRQ_OPEN_OR_SKIP();
	KVMIRQ_ONLY();
	self->vm = s390_vm(self->dev);
	ASSERT_GE(self->vm, 0);
	self->raw = mmap(NULL, 5 * MIB, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->raw);
	self->mem = (char *)(((unsigned long)self->raw + MIB - 1) & ~(MIB - 1));
}

FIXTURE_TEARDOWN(memslot)
{
	if (self->raw != MAP_FAILED)
		munmap(self->raw, 5 * MIB);
	CLOSE_FDS(self->vm, self->dev);
}

static int set_region(int vm, __u32 slot, __u32 flags, __u64 gpa, __u64 size,
		      const void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = (unsigned long)hva,
	};

	return kvmirq_errno(ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r));
}

/*
 * Whether this host's user addresses end at 47 bits (4-level paging): an
 * address above it can then not be mapped.
 */
static int user_range_47(void)
{
	void *p = mmap((void *)0x800000000000UL, 4096, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED)
		return 1;
	munmap(p, 4096);
	return p != (void *)0x800000000000UL;
}

TEST_F(memslot, validation)
{
	char *m = self->mem;

	EXPECT_EQ(32767, ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_SET_USER_MEMORY_REGION, NULL)));
	/* KVM ABI: the generic checks. */
	EXPECT_EQ(EINVAL, set_region(self->vm, 32767, 0, 0, MIB, m));
	EXPECT_EQ(EINVAL, set_region(self->vm, 0x10000, 0, 0, MIB, m));
	EXPECT_EQ(EINVAL, set_region(self->vm, 0, KVM_MEM_READONLY, 0, MIB, m));
	EXPECT_EQ(EINVAL, set_region(self->vm, 0, 4, 0, MIB, m));
	EXPECT_EQ(EINVAL, set_region(self->vm, 0, 0, 0, MIB + 1, m));
	EXPECT_EQ(EINVAL, set_region(self->vm, 0, 0, 0x800, MIB, m));
	EXPECT_EQ(EINVAL, set_region(self->vm, 0, 0, 0, MIB, m + 8));
	EXPECT_EQ(EINVAL, set_region(self->vm, 0, 0, -MIB, 2 * MIB, m));
	EXPECT_EQ(EINVAL, set_region(self->vm, 0, 0, 0, MIB, (void *)(-2 * MIB)));
	/* KVM ABI: deleting a slot that does not exist. */
	EXPECT_EQ(EINVAL, set_region(self->vm, 0, 0, 0, 0, m));
	/* KVM ABI (s390): user address and size in 1 MiB segments. */
	EXPECT_EQ(EINVAL, set_region(self->vm, 0, 0, 0, MIB, m + 4096));
	EXPECT_EQ(EINVAL, set_region(self->vm, 0, 0, 0, MIB + 4096, m));
	/* ... but the guest address needs only page alignment. */
	EXPECT_EQ(0, set_region(self->vm, 0, 0, 0x3000, MIB, m));
	EXPECT_EQ(0, set_region(self->vm, 0, 0, 0x3000, MIB, m));
	/* Overlaps: EEXIST; touching is fine. */
	EXPECT_EQ(EEXIST, set_region(self->vm, 1, 0, 0x3000 + MIB - 4096, MIB, m + MIB));
	EXPECT_EQ(0, set_region(self->vm, 1, 0, 0x3000 + MIB, MIB, m + MIB));
	/* KVM ABI: a slot's size and user address cannot change. */
	EXPECT_EQ(EINVAL, set_region(self->vm, 0, 0, 0x3000, 2 * MIB, m));
	EXPECT_EQ(EINVAL, set_region(self->vm, 0, 0, 0x3000, MIB, m + 2 * MIB));
	/* Flags and base may: a move checks overlap. */
	EXPECT_EQ(0, set_region(self->vm, 0, KVM_MEM_LOG_DIRTY_PAGES, 0x3000, MIB, m));
	EXPECT_EQ(EEXIST, set_region(self->vm, 0, 0, 0x3000 + MIB, MIB, m));
	EXPECT_EQ(0, set_region(self->vm, 0, 0, 16 * MIB, MIB, m));
	/* Delete, then the range is free again. */
	EXPECT_EQ(0, set_region(self->vm, 1, 0, 0, 0, NULL));
	EXPECT_EQ(EINVAL, set_region(self->vm, 1, 0, 0, 0, NULL));
	EXPECT_EQ(0, set_region(self->vm, 2, 0, 0x3000 + MIB, MIB, m + MIB));
	/*
	 * Audit 11, intentional: s390 KVM takes any user address (its
	 * access_ok() is always true); kvmirq reaches the memory through
	 * this x86 host's mm and refuses one above its user address range.
	 */
	EXPECT_EQ(EINVAL, set_region(self->vm, 3, 0, 32 * MIB, MIB, (void *)(1UL << 57)));
	EXPECT_EQ(user_range_47() ? EINVAL : 0,
		  set_region(self->vm, 3, 0, 32 * MIB, MIB, (void *)0x800000000000UL));
	/* The highest slot id. */
	EXPECT_EQ(0, set_region(self->vm, 32766, 0, 64 * MIB, MIB, m + 2 * MIB));
}

TEST_F(memslot, adapter_map_pins)
{
	struct kvm_s390_io_adapter ad = { .id = 4 };
	long base;
	int flic, i;

	if (read_vmstat("nr_foll_pin_acquired") < 0)
		KVMIRQ_SKIP("no FOLL_PIN counters in /proc/vmstat");
	base = pinned();
	flic = s390_flic(self->vm);
	ASSERT_GE(flic, 0);
	ASSERT_EQ(0, flic_set(flic, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, &ad));
	ASSERT_EQ(0, set_region(self->vm, 0, 0, 0x100000, 2 * MIB, self->mem));

	EXPECT_EQ(EINVAL, adapter_req(flic, KVM_S390_IO_ADAPTER_MAP, 5, 0x100000));
	EXPECT_EQ(EINVAL, adapter_req(flic, KVM_S390_IO_ADAPTER_MAP, 4, 0));
	EXPECT_EQ(EFAULT, adapter_req(flic, KVM_S390_IO_ADAPTER_MAP, 4, 0xff000));
	EXPECT_EQ(EFAULT, adapter_req(flic, KVM_S390_IO_ADAPTER_MAP, 4, 0x300000));
	EXPECT_EQ(base, pinned());

	EXPECT_EQ(0, adapter_req(flic, KVM_S390_IO_ADAPTER_MAP, 4, 0x100000));
	EXPECT_EQ(0, adapter_req(flic, KVM_S390_IO_ADAPTER_MAP, 4, 0x100008));
	/* A duplicate is allowed and pins again. */
	EXPECT_EQ(0, adapter_req(flic, KVM_S390_IO_ADAPTER_MAP, 4, 0x100008));
	EXPECT_EQ(0, adapter_req(flic, KVM_S390_IO_ADAPTER_MAP, 4, 0x2fffff));
	EXPECT_EQ(base + 4, pinned());
	EXPECT_EQ(0, adapter_req(flic, KVM_S390_IO_ADAPTER_UNMAP, 4, 0x100008));
	EXPECT_EQ(base + 3, pinned());
	EXPECT_EQ(0, adapter_req(flic, KVM_S390_IO_ADAPTER_UNMAP, 4, 0x100008));
	EXPECT_EQ(ENOENT, adapter_req(flic, KVM_S390_IO_ADAPTER_UNMAP, 4, 0x100008));
	EXPECT_EQ(ENOENT, adapter_req(flic, KVM_S390_IO_ADAPTER_UNMAP, 4, 0x100001));
	/* KVM ABI (audit 7): address 0 is EINVAL for UNMAP too (2026 series). */
	EXPECT_EQ(EINVAL, adapter_req(flic, KVM_S390_IO_ADAPTER_UNMAP, 4, 0));
	EXPECT_EQ(base + 2, pinned());

	/* The cap: 256 mappings per adapter; the 257th is EINVAL. */
	for (i = 2; i < 256; i++)
		ASSERT_EQ(0, adapter_req(flic, KVM_S390_IO_ADAPTER_MAP, 4,
					 0x100000 + i * 4096)) TH_LOG("map %d", i);
	EXPECT_EQ(EINVAL, adapter_req(flic, KVM_S390_IO_ADAPTER_MAP, 4, 0x100000));
	EXPECT_EQ(base + 256, pinned());
	/*
	 * KVM ABI (audit 8, v8 of the 2026 series): the address is translated
	 * and pinned before the cap is checked, so an unbacked address on a
	 * full adapter is EFAULT; address 0 is refused first.
	 */
	EXPECT_EQ(EFAULT, adapter_req(flic, KVM_S390_IO_ADAPTER_MAP, 4, 0x300000));
	EXPECT_EQ(EINVAL, adapter_req(flic, KVM_S390_IO_ADAPTER_MAP, 4, 0));
	EXPECT_EQ(base + 256, pinned());
	/* A deleted slot does not unpin: the mapping holds the page. */
	ASSERT_EQ(0, set_region(self->vm, 0, 0, 0, 0, NULL));
	EXPECT_EQ(base + 256, pinned());
	EXPECT_EQ(0, adapter_req(flic, KVM_S390_IO_ADAPTER_UNMAP, 4, 0x100000));
	EXPECT_EQ(base + 255, pinned());

	/* Every pin goes with the VM, whichever fd is closed last. */
	close(self->vm);
	self->vm = -1;
	EXPECT_EQ(base + 255, pinned());
	close(flic);
	EXPECT_EQ(base, pinned());
}

TEST_F(memslot, map_unbacked_page)
{
	struct kvm_s390_io_adapter ad = { .id = 0 };
	long base = pinned();
	int flic = s390_flic(self->vm);

	ASSERT_GE(flic, 0);
	ASSERT_EQ(0, flic_set(flic, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, &ad));
	ASSERT_EQ(0, set_region(self->vm, 3, 0, 0, MIB, self->mem + 2 * MIB));
	ASSERT_EQ(0, munmap(self->mem + 2 * MIB, MIB));
	/* KVM ABI (2026 series): a page that cannot be pinned is EINVAL. */
	EXPECT_EQ(EINVAL, adapter_req(flic, KVM_S390_IO_ADAPTER_MAP, 0, 0x1000));
	EXPECT_EQ(base, pinned());
	close(flic);
}

TEST_F(memslot, store_status)
{
	struct kvm_s390_irq stop = { .type = KVM_S390_SIGP_STOP };
	int vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);

	ASSERT_GE(vcpu, 0);
	stop.u.stop.flags = KVM_S390_STOP_FLAG_STORE_STATUS;
	EXPECT_EQ(EFAULT, s390_irq(vcpu, &stop));
	/* Absolute 163 and 0x1200-0x13ff backed: store status succeeds. */
	ASSERT_EQ(0, set_region(self->vm, 0, 0, 0, MIB, self->mem));
	EXPECT_EQ(0, s390_irq(vcpu, &stop));
	ASSERT_EQ(0, set_region(self->vm, 0, 0, 0x1000, MIB, self->mem));
	EXPECT_EQ(EFAULT, s390_irq(vcpu, &stop));
	close(vcpu);
}

TEST_HARNESS_MAIN
