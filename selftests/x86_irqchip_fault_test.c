// SPDX-License-Identifier: GPL-2.0
/*
 * Error paths of the irqchip, routing and irqfd ioctls under allocation
 * failure injection (/proc/thread-self/fail-nth with CONFIG_FAILSLAB):
 * every slab allocation of each ioctl fails in turn;
 * the ioctl must answer ENOMEM or succeed, and leave a state from which the
 * same ioctl then succeeds.  Leaks show in kmemleak.  Skips on kernels
 * without fault injection, and on KVM.
 */
#include <stdio.h>
#include <sys/eventfd.h>

#include "x86_irqchip.h"

FIXTURE(fault) {
	int dev;
	int kvmirq;
};

/*
 * /proc/thread-self/fail-nth, opened before any fault is armed: opening it
 * allocates, which an armed fault would hit.
 */
static int fail_nth_fd = -1;

/* Makes the n-th fault-injectable allocation of this thread fail; 0 disarms. */
static void fail_nth(int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n);

	if (fail_nth_fd < 0)
		fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (pwrite(fail_nth_fd, buf, len, 0) != len)
		abort();
}

FIXTURE_SETUP(fault)
{
	KVMIRQ_OPEN_OR_SKIP();
	KVMIRQ_ONLY();
	/* Slab only: a failing page allocation could hit a user page fault. */
	if (access("/proc/thread-self/fail-nth", W_OK) ||
	    write_file("/sys/kernel/debug/failslab/ignore-gfp-wait", "N"))
		KVMIRQ_SKIP("no allocation fault injection in this kernel");
	write_file("/sys/kernel/debug/failslab/verbose", "0");
	fail_nth(0);
}

FIXTURE_TEARDOWN(fault)
{
	CLOSE_FDS(self->dev);
}

/*
 * True if the fault armed by fail_nth() was injected.  An injected failure
 * may be absorbed (kmemleak and KASAN metadata allocations count too), so
 * a loop ends only when the n-th allocation was never reached.
 */
static int injected(void)
{
	char buf[16] = "";

	if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) <= 0)
		abort();
	return atoi(buf) == 0;
}

/*
 * Each loop runs an ioctl with its n-th fault-injectable allocation
 * failing, for n = 1, 2, ... until the ioctl makes fewer than n: every
 * failure must be ENOMEM and leave a state from which it can succeed.
 */
#define MAX_ALLOCS	1000

TEST_F(fault, create_vm_and_irqchip)
{
	struct kvm_irq_level l = { .irq = 0, .level = 1 };
	int n, r, inj, vm, failed = 0;

	for (n = 1; n < MAX_ALLOCS; n++) {
		fail_nth(n);
		vm = ioctl(self->dev, KVM_CREATE_VM, 0);
		r = kvmirq_errno(vm);
		inj = injected();
		fail_nth(0);
		ASSERT_TRUE(!r || r == ENOMEM) TH_LOG("n %d: %s", n, strerror(r));
		failed += !!r;
		if (vm >= 0)
			close(vm);
		if (!inj)
			break;
	}
	ASSERT_EQ(0, r);
	TH_LOG("KVM_CREATE_VM: %d allocations, %d failures", n - 1, failed);

	for (n = 1, failed = 0; n < MAX_ALLOCS; n++) {
		vm = ioctl(self->dev, KVM_CREATE_VM, 0);
		ASSERT_LE(0, vm);
		fail_nth(n);
		r = kvmirq_errno(ioctl(vm, KVM_CREATE_IRQCHIP, 0));
		inj = injected();
		fail_nth(0);
		ASSERT_TRUE(!r || r == ENOMEM) TH_LOG("n %d: %s", n, strerror(r));
		failed += !!r;
		/* A failed creation leaves no irqchip behind; a retry works. */
		if (r) {
			ASSERT_EQ(ENXIO, kvmirq_errno(ioctl(vm, KVM_IRQ_LINE, &l)));
			ASSERT_EQ(0, ioctl(vm, KVM_CREATE_IRQCHIP, 0));
		}
		EXPECT_EQ(1, irq_line(vm, 0, 1));
		close(vm);
		if (!inj)
			break;
	}
	ASSERT_EQ(0, r);
	TH_LOG("KVM_CREATE_IRQCHIP: %d allocations, %d failures", n - 1, failed);
}

TEST_F(fault, routing_and_irqchip_ioctls)
{
	struct kvm_irqchip chip = { .chip_id = 2 };
	struct kvm_irq_routing *rt;
	int vm = irqchip_vm(self->dev), n, r, i, inj, failed = 0;

	ASSERT_LE(0, vm);
	/* Small enough for kmalloc: kvmalloc's vmalloc fallback absorbs failures. */
	rt = calloc(1, sizeof(*rt) + 20 * sizeof(rt->entries[0]));
	ASSERT_NE(NULL, rt);
	rt->nr = 20;
	for (i = 0; i < 20; i++)
		rt->entries[i] = irqchip_route(i, 2, i % 24);
	for (n = 1; n < MAX_ALLOCS; n++) {
		ASSERT_EQ(0, set_routing(vm, NULL, 0));
		fail_nth(n);
		r = kvmirq_errno(ioctl(vm, KVM_SET_GSI_ROUTING, rt));
		inj = injected();
		fail_nth(0);
		ASSERT_TRUE(!r || r == ENOMEM) TH_LOG("n %d: %s", n, strerror(r));
		failed += !!r;
		/* The old (empty) table stays on failure. */
		ASSERT_EQ(r ? -1 : 1, irq_line(vm, 10, 0));
		if (!inj)
			break;
	}
	ASSERT_EQ(0, r);
	TH_LOG("KVM_SET_GSI_ROUTING: %d allocations, %d failures", n - 1, failed);

	for (n = 1; n < MAX_ALLOCS; n++) {
		fail_nth(n);
		r = kvmirq_errno(ioctl(vm, n & 1 ? KVM_GET_IRQCHIP : KVM_SET_IRQCHIP, &chip));
		inj = injected();
		fail_nth(0);
		ASSERT_TRUE(!r || r == ENOMEM) TH_LOG("n %d: %s", n, strerror(r));
		if (!inj)
			break;
	}
	ASSERT_EQ(0, r);
	free(rt);
	close(vm);
}

TEST_F(fault, irqfd_assign)
{
	int vm = irqchip_vm(self->dev), n, r, inj, failed = 0;
	int e = eventfd(0, 0), rs = eventfd(0, 0);
	struct kvm_irqfd a = {
		.fd = e, .gsi = 5, .flags = KVM_IRQFD_FLAG_RESAMPLE, .resamplefd = rs,
	};
	struct kvm_irqfd d = { .fd = e, .gsi = 5, .flags = KVM_IRQFD_FLAG_DEASSIGN };

	ASSERT_LE(0, vm);
	for (n = 1; n < MAX_ALLOCS; n++) {
		fail_nth(n);
		r = kvmirq_errno(ioctl(vm, KVM_IRQFD, &a));
		inj = injected();
		fail_nth(0);
		ASSERT_TRUE(!r || r == ENOMEM) TH_LOG("n %d: %s", n, strerror(r));
		failed += !!r;
		/* Assigned exactly once, or not at all. */
		ASSERT_EQ(r ? 0 : EBUSY, kvmirq_errno(ioctl(vm, KVM_IRQFD, &a)));
		ASSERT_EQ(0, ioctl(vm, KVM_IRQFD, &d));
		if (!inj)
			break;
	}
	ASSERT_EQ(0, r);
	TH_LOG("KVM_IRQFD: %d allocations, %d failures", n - 1, failed);
	close(e);
	close(rs);
	close(vm);
}

TEST_HARNESS_MAIN
