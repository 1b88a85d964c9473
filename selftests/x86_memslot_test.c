// SPDX-License-Identifier: GPL-2.0
/*
 * x86 memory slots and dirty logging, the same sequences on kvmirq and on
 * KVM: KVM_SET_USER_MEMORY_REGION's checks and errnos (two address spaces,
 * READONLY, LOG_DIRTY_PAGES), KVM_GET_DIRTY_LOG, KVM_CLEAR_DIRTY_LOG and
 * KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2.  No vcpu ever runs, so a bitmap holds
 * only what KVM_DIRTY_LOG_INITIALLY_SET put there, on both.
 */
#include <sys/mman.h>

#include "kvmirq_test.h"

#define PAGE		4096UL
#define NPAGES		256	/* the test mapping */
#define SMM_SLOT(n)	((1u << 16) | (n))

FIXTURE(mem) {
	int dev;
	int kvmirq;
	int vm;
	char *mem;
};

FIXTURE_SETUP(mem)
{
	self->vm = -1;
	self->mem = MAP_FAILED;
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	ASSERT_LE(0, self->vm);
	self->mem = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
}

FIXTURE_TEARDOWN(mem)
{
	if (self->mem != MAP_FAILED)
		munmap(self->mem, NPAGES * PAGE);
	if (self->vm >= 0)
		close(self->vm);
	if (self->dev >= 0)
		close(self->dev);
}

static int region(int vm, __u32 slot, __u32 flags, __u64 gpa, __u64 size,
		  const void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = (unsigned long)hva,
	};

	return kvmirq_errno(ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r));
}

static int get_log(int vm, __u32 slot, void *bitmap)
{
	struct kvm_dirty_log log = { .slot = slot, .dirty_bitmap = bitmap };

	return kvmirq_errno(ioctl(vm, KVM_GET_DIRTY_LOG, &log));
}

static int clear_log(int vm, __u32 slot, __u64 first, __u32 num, void *bitmap)
{
	struct kvm_clear_dirty_log log = {
		.slot = slot, .first_page = first, .num_pages = num,
		.dirty_bitmap = bitmap,
	};

	return kvmirq_errno(ioctl(vm, KVM_CLEAR_DIRTY_LOG, &log));
}

static int enable_manual(int vm, __u64 options)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, .args = { options },
	};

	return kvmirq_errno(ioctl(vm, KVM_ENABLE_CAP, &cap));
}

TEST_F(mem, capabilities)
{
	static const int one[] = {
		KVM_CAP_USER_MEMORY, KVM_CAP_DESTROY_MEMORY_REGION_WORKS,
		KVM_CAP_JOIN_MEMORY_REGIONS_WORKS, KVM_CAP_READONLY_MEM,
		KVM_CAP_SET_TSS_ADDR, KVM_CAP_SET_IDENTITY_MAP_ADDR,
		KVM_CAP_IOEVENTFD, KVM_CAP_IOEVENTFD_ANY_LENGTH,
		KVM_CAP_COALESCED_PIO,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(one); i++) {
		EXPECT_EQ(1, ioctl(self->dev, KVM_CHECK_EXTENSION, one[i]));
		EXPECT_EQ(1, ioctl(self->vm, KVM_CHECK_EXTENSION, one[i]));
	}
	EXPECT_EQ(32764, ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS));
	EXPECT_EQ(2, ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_MULTI_ADDRESS_SPACE));
	EXPECT_EQ(KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | KVM_DIRTY_LOG_INITIALLY_SET,
		  ioctl(self->vm, KVM_CHECK_EXTENSION,
			KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2));
	/* x86: the ring is the third page of the vcpu mapping. */
	EXPECT_EQ(2, ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO));
	EXPECT_EQ(3 * PAGE, ioctl(self->dev, KVM_GET_VCPU_MMAP_SIZE, 0));
}

TEST_F(mem, validation)
{
	char *m = self->mem;

	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_SET_USER_MEMORY_REGION, NULL)));
	EXPECT_EQ(EINVAL, region(self->vm, 0, 1u << 2, 0, PAGE, m));
	EXPECT_EQ(EINVAL, region(self->vm, 32764, 0, 0, PAGE, m));
	EXPECT_EQ(EINVAL, region(self->vm, 2u << 16, 0, 0, PAGE, m));
	EXPECT_EQ(EINVAL, region(self->vm, 0, 0, 0, PAGE + 1, m));
	EXPECT_EQ(EINVAL, region(self->vm, 0, 0, 0x800, PAGE, m));
	EXPECT_EQ(EINVAL, region(self->vm, 0, 0, 0, PAGE, m + 8));
	EXPECT_EQ(EINVAL, region(self->vm, 0, 0, -PAGE, 2 * PAGE, m));
	/* Beyond any x86 MAXPHYADDR. */
	EXPECT_EQ(EINVAL, region(self->vm, 0, 0, 1ULL << 52, PAGE, m));
	/* Deleting what does not exist. */
	EXPECT_EQ(EINVAL, region(self->vm, 5, 0, 0, 0, m));
}

TEST_F(mem, create_move_delete)
{
	char *m = self->mem;

	ASSERT_EQ(0, region(self->vm, 0, 0, 0, 16 * PAGE, m));
	/* The same again: nothing to change. */
	EXPECT_EQ(0, region(self->vm, 0, 0, 0, 16 * PAGE, m));
	/* Overlaps in address space 0, not across address spaces. */
	EXPECT_EQ(EEXIST, region(self->vm, 1, 0, 8 * PAGE, 16 * PAGE, m + 16 * PAGE));
	EXPECT_EQ(0, region(self->vm, SMM_SLOT(1), 0, 8 * PAGE, 16 * PAGE, m + 16 * PAGE));
	EXPECT_EQ(0, region(self->vm, SMM_SLOT(0), 0, 32 * PAGE, 16 * PAGE, m));
	/* Size, user address and READONLY are fixed; base and logging not. */
	EXPECT_EQ(EINVAL, region(self->vm, 0, 0, 0, 8 * PAGE, m));
	EXPECT_EQ(EINVAL, region(self->vm, 0, 0, 0, 16 * PAGE, m + PAGE));
	EXPECT_EQ(EINVAL, region(self->vm, 0, KVM_MEM_READONLY, 0, 16 * PAGE, m));
	EXPECT_EQ(0, region(self->vm, 0, KVM_MEM_LOG_DIRTY_PAGES, 0, 16 * PAGE, m));
	EXPECT_EQ(0, region(self->vm, 0, KVM_MEM_LOG_DIRTY_PAGES, 64 * PAGE,
			    16 * PAGE, m));
	/* A move onto another slot. */
	EXPECT_EQ(0, region(self->vm, 2, 0, 0, 16 * PAGE, m + 32 * PAGE));
	EXPECT_EQ(EEXIST, region(self->vm, 0, KVM_MEM_LOG_DIRTY_PAGES, 8 * PAGE,
				 16 * PAGE, m));
	EXPECT_EQ(0, region(self->vm, 3, KVM_MEM_READONLY, 128 * PAGE, PAGE,
			    m + 48 * PAGE));
	/* Delete, then the slot number is free again. */
	EXPECT_EQ(0, region(self->vm, 0, 0, 0, 0, m));
	EXPECT_EQ(EINVAL, region(self->vm, 0, 0, 0, 0, m));
	EXPECT_EQ(0, region(self->vm, SMM_SLOT(0), 0, 32 * PAGE, 0, m));
	EXPECT_EQ(0, region(self->vm, 0, 0, 64 * PAGE, 4 * PAGE, m + 64 * PAGE));
}

TEST_F(mem, dirty_log)
{
	unsigned long bitmap[NPAGES / 64];
	char *m = self->mem;

	ASSERT_EQ(0, region(self->vm, 0, 0, 0, 100 * PAGE, m));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_GET_DIRTY_LOG, NULL)));
	/* Not logging, no slot, no address space. */
	EXPECT_EQ(ENOENT, get_log(self->vm, 0, bitmap));
	EXPECT_EQ(ENOENT, get_log(self->vm, 1, bitmap));
	EXPECT_EQ(ENOENT, get_log(self->vm, SMM_SLOT(0), bitmap));
	EXPECT_EQ(EINVAL, get_log(self->vm, 2u << 16, bitmap));
	EXPECT_EQ(EINVAL, get_log(self->vm, 32764, bitmap));

	ASSERT_EQ(0, region(self->vm, 0, KVM_MEM_LOG_DIRTY_PAGES, 0, 100 * PAGE, m));
	memset(bitmap, 0xa5, sizeof(bitmap));
	EXPECT_EQ(0, get_log(self->vm, 0, bitmap));
	/* 100 pages: two longs written, both zero; the rest untouched. */
	EXPECT_EQ(0, bitmap[0]);
	EXPECT_EQ(0, bitmap[1]);
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5UL, bitmap[2]);
	EXPECT_EQ(EFAULT, get_log(self->vm, 0, (void *)8));
	/* Logging off: the bitmap goes. */
	ASSERT_EQ(0, region(self->vm, 0, 0, 0, 100 * PAGE, m));
	EXPECT_EQ(ENOENT, get_log(self->vm, 0, bitmap));
}

TEST_F(mem, manual_protect)
{
	unsigned long bitmap[NPAGES / 64], mask[NPAGES / 64];
	char *m = self->mem;

	EXPECT_EQ(EINVAL, enable_manual(self->vm, KVM_DIRTY_LOG_INITIALLY_SET));
	EXPECT_EQ(EINVAL, enable_manual(self->vm, 1u << 2 |
					KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE));
	ASSERT_EQ(0, enable_manual(self->vm, KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE |
				   KVM_DIRTY_LOG_INITIALLY_SET));

	/* 100 pages logged from the start: every page reads dirty. */
	ASSERT_EQ(0, region(self->vm, 0, KVM_MEM_LOG_DIRTY_PAGES, 0, 100 * PAGE, m));
	memset(bitmap, 0, sizeof(bitmap));
	ASSERT_EQ(0, get_log(self->vm, 0, bitmap));
	EXPECT_EQ(~0UL, bitmap[0]);
	EXPECT_EQ((1UL << 36) - 1, bitmap[1]);
	/* GET does not clear with manual protection. */
	ASSERT_EQ(0, get_log(self->vm, 0, bitmap));
	EXPECT_EQ(~0UL, bitmap[0]);

	/* Ranges start on a long, and end on one or at the slot's end. */
	memset(mask, 0xff, sizeof(mask));
	EXPECT_EQ(EINVAL, clear_log(self->vm, 0, 1, 63, mask));
	EXPECT_EQ(EINVAL, clear_log(self->vm, 0, 0, 63, mask));
	EXPECT_EQ(EINVAL, clear_log(self->vm, 0, 64, 64, mask));
	EXPECT_EQ(EINVAL, clear_log(self->vm, 0, 128, 0, mask));
	EXPECT_EQ(ENOENT, clear_log(self->vm, 1, 0, 64, mask));
	EXPECT_EQ(EINVAL, clear_log(self->vm, 2u << 16, 0, 64, mask));
	EXPECT_EQ(EFAULT, clear_log(self->vm, 0, 0, 64, (void *)8));

	mask[0] = 0xf0f0UL;
	EXPECT_EQ(0, clear_log(self->vm, 0, 0, 64, mask));
	mask[0] = 1UL << 35 | 1;
	EXPECT_EQ(0, clear_log(self->vm, 0, 64, 36, mask));
	EXPECT_EQ(0, clear_log(self->vm, 0, 64, 0, mask));
	ASSERT_EQ(0, get_log(self->vm, 0, bitmap));
	EXPECT_EQ(~0xf0f0UL, bitmap[0]);
	EXPECT_EQ((1UL << 35) - 2, bitmap[1]);

	/* A slot that logs keeps its bitmap when it moves. */
	ASSERT_EQ(0, region(self->vm, 0, KVM_MEM_LOG_DIRTY_PAGES, 200 * PAGE,
			    100 * PAGE, m));
	ASSERT_EQ(0, get_log(self->vm, 0, bitmap));
	EXPECT_EQ(~0xf0f0UL, bitmap[0]);
	/* And gets a fresh one when logging starts again. */
	ASSERT_EQ(0, region(self->vm, 0, 0, 200 * PAGE, 100 * PAGE, m));
	ASSERT_EQ(0, region(self->vm, 0, KVM_MEM_LOG_DIRTY_PAGES, 200 * PAGE,
			    100 * PAGE, m));
	ASSERT_EQ(0, get_log(self->vm, 0, bitmap));
	EXPECT_EQ(~0UL, bitmap[0]);
}

/* KVM ABI: KVM_CLEAR_DIRTY_LOG works without manual protection too. */
TEST_F(mem, clear_without_manual)
{
	unsigned long mask[NPAGES / 64] = { ~0UL, ~0UL };
	char *m = self->mem;

	ASSERT_EQ(0, region(self->vm, 0, KVM_MEM_LOG_DIRTY_PAGES, 0, 128 * PAGE, m));
	EXPECT_EQ(0, clear_log(self->vm, 0, 0, 128, mask));
	EXPECT_EQ(0, get_log(self->vm, 0, mask));
	EXPECT_EQ(0, mask[0]);
}

TEST_HARNESS_MAIN
