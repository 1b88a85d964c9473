// SPDX-License-Identifier: GPL-2.0
/*
 * s390 adapter routes: KVM_SET_GSI_ROUTING with KVM_IRQ_ROUTING_S390_ADAPTER
 * entries, raised through KVM_IRQFD; indicator and summary bits land in the
 * test's own buffer (guest memory), with s390 bit numbering.  kvmirq only.
 */
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>

#include "s390_test.h"

#define MIB		0x100000UL
#define SUMMARY		0x2000		/* guest address of the summary bytes */
#define NR_ROUTES	4

FIXTURE(route) {
	int dev;
	int kvmirq;
	int vm;
	int flic;
	unsigned char *mem;	/* guest 0 .. 1 MiB */
	void *raw;
	int efd[NR_ROUTES];
};

FIXTURE_SETUP(route)
{
	struct kvm_userspace_memory_region r = { .memory_size = MIB };
	struct kvm_s390_io_adapter ad = { .id = 3, .isc = 5, .swap = 1,
					  .maskable = 1 };
	int i;

	self->vm = -1;
	self->flic = -1;
	self->raw = MAP_FAILED;
	for (i = 0; i < NR_ROUTES; i++)
		self->efd[i] = -1;
	KVMIRQ_OPEN_OR_SKIP();
	KVMIRQ_ONLY();
	s390_vm_flic(_metadata, self->dev, &self->vm, &self->flic);
	self->raw = mmap(NULL, 2 * MIB, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->raw);
	self->mem = (unsigned char *)(((unsigned long)self->raw + MIB - 1) &
				      ~(MIB - 1));
	memset(self->mem, 0, 0x4000);
	r.userspace_addr = (unsigned long)self->mem;
	ASSERT_EQ(0, ioctl(self->vm, KVM_SET_USER_MEMORY_REGION, &r));
	ASSERT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, &ad));
	ad.id = 4;
	ad.swap = 0;
	ad.isc = 1;
	ASSERT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, &ad));
	for (i = 0; i < NR_ROUTES; i++) {
		self->efd[i] = eventfd(0, EFD_CLOEXEC);
		ASSERT_GE(self->efd[i], 0);
	}
}

FIXTURE_TEARDOWN(route)
{
	close_fds(self->efd, NR_ROUTES);
	CLOSE_FDS(self->flic, self->vm);
	if (self->raw != MAP_FAILED)
		munmap(self->raw, 2 * MIB);
	CLOSE_FDS(self->dev);
}

struct routing {
	struct kvm_irq_routing r;
	struct kvm_irq_routing_entry e[NR_ROUTES + 1];
};

static struct kvm_irq_routing_entry adapter_route(__u32 gsi, __u32 id,
						  __u64 ind, __u64 ind_off,
						  __u64 sum, __u32 sum_off)
{
	struct kvm_irq_routing_entry e = {
		.gsi = gsi, .type = KVM_IRQ_ROUTING_S390_ADAPTER,
	};

	e.u.adapter.ind_addr = ind;
	e.u.adapter.ind_offset = ind_off;
	e.u.adapter.summary_addr = sum;
	e.u.adapter.summary_offset = sum_off;
	e.u.adapter.adapter_id = id;
	return e;
}

static int set_routes(int vm, const struct kvm_irq_routing_entry *e, int n)
{
	struct routing rt = { .r.nr = n };

	memcpy(rt.e, e, n * sizeof(*e));
	return kvmirq_errno(ioctl(vm, KVM_SET_GSI_ROUTING, &rt));
}

static int one_route(int vm, struct kvm_irq_routing_entry e)
{
	return set_routes(vm, &e, 1);
}

static void bind(struct __test_metadata *_metadata, int vm, int efd, __u32 gsi)
{
	struct kvm_irqfd fd = { .fd = efd, .gsi = gsi };

	ASSERT_EQ(0, ioctl(vm, KVM_IRQFD, &fd));
}

static void trigger(int efd)
{
	__u64 one = 1;

	if (write(efd, &one, sizeof(one)) != sizeof(one))
		abort();
}

/* Waits until byte @off of guest memory has @mask set; 0 on success. */
static int wait_bits(unsigned char *mem, unsigned long off,
		     unsigned char mask)
{
	struct timespec ts = { 0, 1000000 };
	int i;

	for (i = 0; i < 5000; i++) {
		if ((__atomic_load_n(&mem[off], __ATOMIC_ACQUIRE) & mask) == mask)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* An ioctl that takes the FLIC's lock: the route in flight has finished. */
static void flic_barrier(int flic)
{
	struct kvm_s390_io_adapter_req req = {
		.id = 3, .type = KVM_S390_IO_ADAPTER_UNMAP, .addr = 1,
	};

	flic_set(flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &req);
}

static int get_all_irqs(int flic, struct kvm_s390_irq *buf, int n)
{
	return flic_get(flic, KVM_DEV_FLIC_GET_ALL_IRQS, (__u64)n * IRQ_SIZE, buf);
}

static int nonzero_bytes(const unsigned char *p, int len)
{
	int i, n = 0;

	for (i = 0; i < len; i++)
		n += !!p[i];
	return n;
}

TEST_F(route, caps)
{
	EXPECT_EQ(4096, ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_IRQ_ROUTING));
	EXPECT_EQ(1, ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_IRQFD));
}

TEST_F(route, set_routing_errors)
{
	struct kvm_irq_routing_entry e[2];
	struct kvm_irq_routing *big;
	int i;

	/* KVM ABI: s390 takes only adapter routes. */
	e[0] = (struct kvm_irq_routing_entry){ .gsi = 1, .type = KVM_IRQ_ROUTING_IRQCHIP };
	EXPECT_EQ(EINVAL, set_routes(self->vm, e, 1));
	e[0].type = KVM_IRQ_ROUTING_MSI;
	EXPECT_EQ(EINVAL, set_routes(self->vm, e, 1));
	e[0] = adapter_route(1, 3, 0x1000, 0, SUMMARY, 0);
	e[0].type |= 0x10000;
	EXPECT_EQ(EINVAL, set_routes(self->vm, e, 1));
	/* KVM ABI: both addresses must be in a memory slot: EFAULT. */
	EXPECT_EQ(EFAULT, one_route(self->vm, adapter_route(1, 3, MIB, 0, SUMMARY, 0)));
	EXPECT_EQ(EFAULT, one_route(self->vm, adapter_route(1, 3, 0x1000, 0, MIB + 8, 0)));
	/* The adapter is not checked until injection. */
	EXPECT_EQ(0, one_route(self->vm, adapter_route(1, 50, 0x1000, 0, SUMMARY, 0)));
	/* KVM ABI (2026): the bit must lie in its base address's page. */
	EXPECT_EQ(0, one_route(self->vm, adapter_route(1, 3, 0x1000, 32767, SUMMARY, 0)));
	EXPECT_EQ(EINVAL, one_route(self->vm, adapter_route(1, 3, 0x1000, 32768, SUMMARY, 0)));
	EXPECT_EQ(0, one_route(self->vm, adapter_route(1, 3, 0x1ff8, 63, SUMMARY, 0)));
	EXPECT_EQ(EINVAL, one_route(self->vm, adapter_route(1, 3, 0x1ff8, 64, SUMMARY, 0)));
	EXPECT_EQ(EINVAL, one_route(self->vm, adapter_route(1, 3, 0x1000, 1ULL << 40, SUMMARY, 0)));
	EXPECT_EQ(EINVAL, one_route(self->vm, adapter_route(1, 3, 0x1000, 0, 0x2fff, 8)));
	EXPECT_EQ(0, one_route(self->vm, adapter_route(1, 3, 0x1000, 0, 0x2fff, 7)));
	/*
	 * KVM ABI (audit 6): the offsets are checked before the addresses
	 * are translated (kvm_set_routing_entry(), arch/s390/kvm/interrupt.c
	 * of the 2026 change): a bad offset on an unbacked address is EINVAL.
	 */
	EXPECT_EQ(EINVAL, one_route(self->vm, adapter_route(1, 3, MIB, 32768, SUMMARY, 0)));
	EXPECT_EQ(EINVAL, one_route(self->vm, adapter_route(1, 3, 0x1000, 0, MIB + 0xfff, 8)));
	/* KVM ABI: one non-irqchip route per GSI; flags must be 0. */
	e[0] = adapter_route(2, 3, 0x1000, 0, SUMMARY, 0);
	e[1] = adapter_route(2, 4, 0x1000, 1, SUMMARY, 1);
	EXPECT_EQ(EINVAL, set_routes(self->vm, e, 2));
	e[1].gsi = 4096;
	EXPECT_EQ(EINVAL, set_routes(self->vm, e, 2));
	e[1].gsi = 4095;
	EXPECT_EQ(0, set_routes(self->vm, e, 2));
	e[0].flags = 1;
	EXPECT_EQ(EINVAL, set_routes(self->vm, e, 1));
	/* KVM ABI: at most 4096 entries (checked before reading them). */
	big = calloc(1, sizeof(*big) + 4097 * sizeof(big->entries[0]));
	ASSERT_NE(NULL, big);
	for (i = 0; i < 4097; i++)
		big->entries[i] = adapter_route(i, 3, 0x1000, i, SUMMARY, 0);
	big->nr = 4097;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_SET_GSI_ROUTING, big)));
	big->nr = 4096;
	EXPECT_EQ(0, ioctl(self->vm, KVM_SET_GSI_ROUTING, big));
	free(big);
	/* KVM_IRQ_LINE does not exist on s390. */
	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(self->vm, KVM_IRQ_LINE, e)));
}

struct placement {
	__u64 addr;
	__u64 nr;
	int swap;
	unsigned long byte;
	unsigned char mask;
};

/* §5.3's vectors: s390 big-endian bitops, swap xors the bit number with 63. */
static const struct placement placements[] = {
	{ 0x1000, 0, 1, 0x1000, 0x80 },
	{ 0x1000, 9, 1, 0x1001, 0x40 },
	{ 0x1000, 63, 1, 0x1007, 0x01 },
	{ 0x1001, 0, 1, 0x1001, 0x80 },
	{ 0x1000, 0, 0, 0x1007, 0x01 },
	{ 0x1000, 9, 0, 0x1006, 0x02 },
	{ 0x1000, 64, 0, 0x100f, 0x01 },
	{ 0x1001, 0, 0, 0x1006, 0x01 },
	{ 0x1003, 5, 0, 0x1004, 0x20 },
	{ 0x1ff8, 63, 1, 0x1fff, 0x01 },
	{ 0x1ff8, 63, 0, 0x1ff8, 0x80 },
};

TEST_F(route, bit_placement)
{
	const struct placement *p;
	unsigned int i;

	bind(_metadata, self->vm, self->efd[0], 7);
	for (i = 0; i < ARRAY_SIZE(placements); i++) {
		p = &placements[i];
		memset(self->mem + 0x1000, 0, 0x2000);
		/* Adapter 3 swaps, adapter 4 does not. */
		ASSERT_EQ(0, one_route(self->vm, adapter_route(7, p->swap ? 3 : 4,
							       p->addr, p->nr,
							       SUMMARY + 0x800, 0)));
		trigger(self->efd[0]);
		ASSERT_EQ(0, wait_bits(self->mem, p->byte, p->mask)) TH_LOG("vector %u", i);
		ASSERT_EQ(0, wait_bits(self->mem, SUMMARY + 0x800 + (p->swap ? 0 : 7),
				       p->swap ? 0x80 : 0x01)) TH_LOG("vector %u", i);
		flic_barrier(self->flic);
		EXPECT_EQ(p->mask, self->mem[p->byte]) TH_LOG("vector %u", i);
		/* Nothing else was written in either page. */
		EXPECT_EQ(1, nonzero_bytes(self->mem + 0x1000, 0x1000)) TH_LOG("vector %u", i);
		EXPECT_EQ(1, nonzero_bytes(self->mem + 0x2000, 0x1000)) TH_LOG("vector %u", i);
	}
}

TEST_F(route, summary_transition_and_mask)
{
	struct kvm_s390_io_adapter_req mask = {
		.id = 3, .type = KVM_S390_IO_ADAPTER_MASK, .mask = 1,
	};
	struct kvm_s390_irq out[4];

	ASSERT_EQ(0, one_route(self->vm, adapter_route(9, 3, 0x1000, 5, SUMMARY, 2)));
	bind(_metadata, self->vm, self->efd[0], 9);

	/* Summary 0 -> 1: one adapter interrupt on the adapter's ISC. */
	trigger(self->efd[0]);
	ASSERT_EQ(0, wait_bits(self->mem, SUMMARY, 0x20));
	flic_barrier(self->flic);
	EXPECT_EQ(0x04, self->mem[0x1000]);
	ASSERT_EQ(1, get_all_irqs(self->flic, out, 4));
	EXPECT_EQ(AI_TYPE, out[0].type);
	EXPECT_EQ(0x80000000u | 5u << 27, out[0].u.io.io_int_word);
	EXPECT_EQ(0, out[0].u.io.subchannel_id);

	/* Summary already set: coalesced, indicators still set. */
	self->mem[0x1000] = 0;
	trigger(self->efd[0]);
	ASSERT_EQ(0, wait_bits(self->mem, 0x1000, 0x04));
	flic_barrier(self->flic);
	EXPECT_EQ(1, get_all_irqs(self->flic, out, 4));

	/* The guest clears the summary: a new interrupt. */
	self->mem[SUMMARY] = 0;
	trigger(self->efd[0]);
	ASSERT_EQ(0, wait_bits(self->mem, SUMMARY, 0x20));
	flic_barrier(self->flic);
	EXPECT_EQ(2, get_all_irqs(self->flic, out, 4));

	/* Masked: bits set, no interrupt; unmasking makes none either. */
	ASSERT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &mask));
	self->mem[SUMMARY] = 0;
	self->mem[0x1000] = 0;
	trigger(self->efd[0]);
	ASSERT_EQ(0, wait_bits(self->mem, SUMMARY, 0x20));
	flic_barrier(self->flic);
	EXPECT_EQ(0x04, self->mem[0x1000]);
	mask.mask = 0;
	ASSERT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &mask));
	EXPECT_EQ(2, get_all_irqs(self->flic, out, 4));
	trigger(self->efd[0]);
	ASSERT_EQ(0, wait_bits(self->mem, 0x1000, 0x04));
	flic_barrier(self->flic);
	EXPECT_EQ(2, get_all_irqs(self->flic, out, 4));
}

TEST_F(route, unregistered_adapter_writes_nothing)
{
	bind(_metadata, self->vm, self->efd[0], 1);
	/* A second route to a registered adapter tells when the work ran. */
	ASSERT_EQ(0, set_routes(self->vm, (struct kvm_irq_routing_entry[]){
		adapter_route(1, 60, 0x1000, 0, SUMMARY, 0),
		adapter_route(2, 3, 0x3000, 0, 0x3008, 0) }, 2));
	bind(_metadata, self->vm, self->efd[1], 2);
	trigger(self->efd[0]);
	trigger(self->efd[1]);
	ASSERT_EQ(0, wait_bits(self->mem, 0x3008, 0x80));
	usleep(200000);
	flic_barrier(self->flic);
	EXPECT_EQ(0, nonzero_bytes(self->mem + 0x1000, 0x2000));
}

/* Raises @efd's GSI once and waits for the work: deassign flushes it. */
static void fire_and_wait(struct __test_metadata *_metadata, int vm, int efd,
			  __u32 gsi)
{
	struct kvm_irqfd fd = { .fd = efd, .gsi = gsi };

	ASSERT_EQ(0, ioctl(vm, KVM_IRQFD, &fd));
	trigger(efd);
	fd.flags = KVM_IRQFD_FLAG_DEASSIGN;
	ASSERT_EQ(0, ioctl(vm, KVM_IRQFD, &fd));
}

/*
 * KVM ABI (audit 9): adapter_indicators_set() gets both pages before it
 * writes either.  A summary page in a slot whose memory went away leaves
 * the indicator page untouched and makes no interrupt (the route fails,
 * -1, which an irqfd drops); the same route with a backed summary works.
 */
TEST_F(route, summary_unfaultable_writes_nothing)
{
	struct kvm_userspace_memory_region r = {
		.slot = 1, .guest_phys_addr = 4 * MIB, .memory_size = MIB,
	};
	struct kvm_s390_irq out[2];
	void *raw2;

	raw2 = mmap(NULL, 2 * MIB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, raw2);
	r.userspace_addr = ((unsigned long)raw2 + MIB - 1) & ~(MIB - 1);
	ASSERT_EQ(0, ioctl(self->vm, KVM_SET_USER_MEMORY_REGION, &r));
	ASSERT_EQ(0, set_routes(self->vm, (struct kvm_irq_routing_entry[]){
		adapter_route(1, 3, 0x1000, 5, 4 * MIB + 0x10, 0),
		adapter_route(2, 3, 0x1000, 5, SUMMARY, 0) }, 2));
	/* The slot stays; the memory behind it goes. */
	ASSERT_EQ(0, munmap(raw2, 2 * MIB));

	fire_and_wait(_metadata, self->vm, self->efd[0], 1);
	EXPECT_EQ(0, nonzero_bytes(self->mem + 0x1000, 0x2000));
	EXPECT_EQ(0, get_all_irqs(self->flic, out, 2));

	/* The control: a backed summary page, both bits and an interrupt. */
	fire_and_wait(_metadata, self->vm, self->efd[0], 2);
	EXPECT_EQ(0x04, self->mem[0x1000]);
	EXPECT_EQ(0x80, self->mem[SUMMARY]);
	EXPECT_EQ(1, get_all_irqs(self->flic, out, 2));
}

TEST_F(route, create_irqchip_clears_routes)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_S390_IRQCHIP };

	ASSERT_EQ(0, one_route(self->vm, adapter_route(1, 3, 0x1000, 0, SUMMARY, 0)));
	ASSERT_EQ(0, ioctl(self->vm, KVM_ENABLE_CAP, &cap));
	ASSERT_EQ(0, ioctl(self->vm, KVM_CREATE_IRQCHIP, 0));
	bind(_metadata, self->vm, self->efd[0], 1);
	trigger(self->efd[0]);
	usleep(200000);
	flic_barrier(self->flic);
	EXPECT_EQ(0, nonzero_bytes(self->mem + 0x1000, 0x2000));
}

TEST_HARNESS_MAIN
