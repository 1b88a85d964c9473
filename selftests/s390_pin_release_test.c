// SPDX-License-Identifier: GPL-2.0
/*
 * Pages pinned by FLIC adapter mappings (KVM_S390_IO_ADAPTER_MAP) go back
 * when the process holding them is killed: while it sleeps with every
 * mapping in place, while its threads are mapping and unmapping, and only
 * once the last holder of the VM is gone when a forked child still holds
 * it.  Checked with the kernel's own FOLL_PIN counters.  kvmirq only.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#include "s390_test.h"

#define MIB		0x100000UL
#define GPA		0x100000UL
#define SLOT_SIZE	(4 * MIB)
#define ADAPTERS	4
#define MAPS		256	/* kvmirq's cap per adapter, KVM's too */
#define RACE_THREADS	3
#define RACE_ROUNDS	24

/* What a child builds: an s390 VM, its FLIC, one memslot, adapters. */
struct pin_vm {
	int dev;
	int vm;
	int flic;
	char *mem;
};

/* In a child: 0, or the step that failed (its exit status). */
static int pin_vm_build(struct pin_vm *p)
{
	struct kvm_userspace_memory_region r = {
		.guest_phys_addr = GPA, .memory_size = SLOT_SIZE,
	};
	struct kvm_s390_io_adapter ad = { 0 };
	char *raw;

	p->dev = kvmirq_open();
	if (p->dev < 0)
		return 10;
	p->vm = s390_vm(p->dev);
	if (p->vm < 0)
		return 11;
	p->flic = s390_flic(p->vm);
	if (p->flic < 0)
		return 12;
	raw = mmap(NULL, SLOT_SIZE + MIB, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return 13;
	/* s390 memslots are 1 MiB aligned. */
	p->mem = (char *)(((unsigned long)raw + MIB - 1) & ~(MIB - 1));
	r.userspace_addr = (unsigned long)p->mem;
	if (ioctl(p->vm, KVM_SET_USER_MEMORY_REGION, &r))
		return 14;
	for (ad.id = 0; ad.id < ADAPTERS; ad.id++)
		if (flic_set(p->flic, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, &ad))
			return 15;
	return 0;
}

/* Maps MAPS distinct pages on each adapter: ADAPTERS * MAPS pins. */
static int pin_vm_map_all(struct pin_vm *p)
{
	__u32 id, i;

	for (id = 0; id < ADAPTERS; id++)
		for (i = 0; i < MAPS; i++)
			if (adapter_req(p->flic, KVM_S390_IO_ADAPTER_MAP, id,
					GPA + (id * MAPS + i) * 4096UL))
				return 16;
	return 0;
}

static void tell(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		_exit(20);
}

/* 'r' when the child is ready, or its failure from the pipe's close. */
static char hear(int fd)
{
	char c = 0;

	return read(fd, &c, 1) == 1 ? c : 0;
}

/*
 * Polls until the pins are back to @base (the fds of a killed process are
 * closed before it becomes a zombie, but give a deferred fput a chance).
 */
static long pins_settle(long base)
{
	struct timespec ms = { .tv_nsec = 1000000 };
	long now = pinned();
	int i;

	for (i = 0; i < 5000 && now != base; i++) {
		nanosleep(&ms, NULL);
		now = pinned();
	}
	return now;
}

static void kill_and_reap(struct __test_metadata *_metadata, pid_t pid)
{
	int status;

	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		TH_LOG("status %#x", status);
}

FIXTURE(pin) {
	int dev;
	int kvmirq;
	long base;
};

FIXTURE_SETUP(pin)
{
	KVMIRQ_OPEN_OR_SKIP();
	KVMIRQ_ONLY();
	if (read_vmstat("nr_foll_pin_acquired") < 0)
		KVMIRQ_SKIP("no FOLL_PIN counters in /proc/vmstat");
	self->base = pinned();
}

FIXTURE_TEARDOWN(pin)
{
	CLOSE_FDS(self->dev);
}

/*
 * Which of its fds the child still holds when it is killed: the pins
 * belong to the VM, which lives while either fd does.
 */
FIXTURE_VARIANT(pin) {
	bool keep_vm;
	bool keep_flic;
};

FIXTURE_VARIANT_ADD(pin, both_fds) { .keep_vm = true, .keep_flic = true };
FIXTURE_VARIANT_ADD(pin, flic_fd_only) { .keep_flic = true };
FIXTURE_VARIANT_ADD(pin, vm_fd_only) { .keep_vm = true };

static void child_map_and_sleep(bool keep_vm, bool keep_flic, int out)
{
	struct pin_vm p;
	int r = pin_vm_build(&p);

	if (!r)
		r = pin_vm_map_all(&p);
	if (r)
		_exit(r);
	if (!keep_vm)
		close(p.vm);
	if (!keep_flic)
		close(p.flic);
	close(p.dev);
	tell(out, 'r');
	for (;;)
		pause();
}

/* Killed while every mapping is in place: all 1024 pins go back. */
TEST_F(pin, killed_holding_maps)
{
	int pfd[2], status;
	pid_t pid;

	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		close(pfd[0]);
		child_map_and_sleep(variant->keep_vm, variant->keep_flic, pfd[1]);
	}
	close(pfd[1]);
	if (hear(pfd[0]) != 'r') {
		waitpid(pid, &status, 0);
		close(pfd[0]);
		ASSERT_TRUE(0) TH_LOG("child failed, status %#x", status);
	}
	close(pfd[0]);
	EXPECT_EQ(self->base + ADAPTERS * MAPS, pinned());
	kill_and_reap(_metadata, pid);
	EXPECT_EQ(self->base, pins_settle(self->base));
}

/* The same, for the tests that do not depend on which fds are kept. */
FIXTURE(pins) {
	int dev;
	int kvmirq;
	long base;
};

FIXTURE_SETUP(pins)
{
	KVMIRQ_OPEN_OR_SKIP();
	KVMIRQ_ONLY();
	if (read_vmstat("nr_foll_pin_acquired") < 0)
		KVMIRQ_SKIP("no FOLL_PIN counters in /proc/vmstat");
	self->base = pinned();
}

FIXTURE_TEARDOWN(pins)
{
	CLOSE_FDS(self->dev);
}

/*
 * The creator forks a child that inherits the fds, then is killed: the
 * pins stay with the VM the child still holds, and go when it is killed
 * too.  The test is the subreaper, so it reaps the orphaned grandchild.
 */
TEST_F(pins, follow_the_last_holder)
{
	int pfd[2], gfd[2], status;
	pid_t pid, grandchild = 0;

	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct pin_vm p;
		int r = pin_vm_build(&p);

		close(pfd[0]);
		if (!r)
			r = pin_vm_map_all(&p);
		if (r)
			_exit(r);
		if (pipe(gfd))
			_exit(21);
		grandchild = fork();
		if (grandchild < 0)
			_exit(21);
		if (grandchild == 0) {
			/* KVM ABI: another process's ioctls on the VM are EIO. */
			if (adapter_req(p.flic, KVM_S390_IO_ADAPTER_UNMAP, 0, GPA) != EIO)
				_exit(22);
			tell(gfd[1], 'r');
			for (;;)
				pause();
		}
		if (hear(gfd[0]) != 'r')
			_exit(23);
		if (write(pfd[1], &grandchild, sizeof(grandchild)) != sizeof(grandchild))
			_exit(24);
		for (;;)
			pause();
	}
	close(pfd[1]);
	ASSERT_EQ(sizeof(grandchild), read(pfd[0], &grandchild, sizeof(grandchild)));
	close(pfd[0]);
	EXPECT_EQ(self->base + ADAPTERS * MAPS, pinned());

	kill_and_reap(_metadata, pid);
	/* The grandchild still holds the VM: nothing may be released. */
	EXPECT_EQ(self->base + ADAPTERS * MAPS, pinned());

	kill_and_reap(_metadata, grandchild);
	EXPECT_EQ(self->base, pins_settle(self->base));
	EXPECT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 0));
	EXPECT_EQ(-1, waitpid(-1, &status, WNOHANG));
}

struct racer {
	struct pin_vm *p;
	unsigned int id;
	unsigned long *ops;	/* shared with the test */
};

/* Maps and unmaps its adapter's pages until the process dies. */
static void *racer_run(void *arg)
{
	struct racer *r = arg;
	__u64 addr;
	unsigned int i = 0;

	for (;; i = (i + 1) % MAPS) {
		addr = GPA + (r->id * MAPS + i) * 4096UL;
		if (adapter_req(r->p->flic, KVM_S390_IO_ADAPTER_MAP, r->id, addr) ||
		    adapter_req(r->p->flic, KVM_S390_IO_ADAPTER_MAP, r->id, addr + 8) ||
		    adapter_req(r->p->flic, KVM_S390_IO_ADAPTER_UNMAP, r->id, addr) ||
		    adapter_req(r->p->flic, KVM_S390_IO_ADAPTER_UNMAP, r->id, addr + 8))
			_exit(30);
		__atomic_add_fetch(r->ops, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void child_race(unsigned long *ops, int out)
{
	struct racer racers[RACE_THREADS];
	pthread_t t;
	struct pin_vm p;
	unsigned int i;
	int r = pin_vm_build(&p);

	if (r)
		_exit(r);
	for (i = 0; i < RACE_THREADS; i++) {
		racers[i] = (struct racer){ .p = &p, .id = i, .ops = ops };
		if (i && pthread_create(&t, NULL, racer_run, &racers[i]))
			_exit(31);
	}
	tell(out, 'r');
	racer_run(&racers[0]);
}

/*
 * Killed while three threads map and unmap: whatever was pinned at the
 * moment of the kill goes back.  Kill times vary from round to round.
 */
TEST_F(pins, killed_while_mapping)
{
	unsigned long *ops;
	struct timespec delay;
	unsigned long total = 0;
	int round, pfd[2], status;
	pid_t pid;

	ops = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ops);
	for (round = 0; round < RACE_ROUNDS; round++) {
		*ops = 0;
		ASSERT_EQ(0, pipe(pfd));
		pid = fork();
		ASSERT_GE(pid, 0);
		if (pid == 0) {
			close(pfd[0]);
			child_race(ops, pfd[1]);
		}
		close(pfd[1]);
		if (hear(pfd[0]) != 'r') {
			waitpid(pid, &status, 0);
			ASSERT_TRUE(0) TH_LOG("round %d: child failed, status %#x",
					      round, status);
		}
		close(pfd[0]);
		delay = (struct timespec){ .tv_nsec = (round * 7919L % 20) * 1000000L };
		nanosleep(&delay, NULL);
		kill_and_reap(_metadata, pid);
		total += *ops;
		ASSERT_EQ(self->base, pins_settle(self->base))
			TH_LOG("round %d, %lu map rounds done", round, *ops);
	}
	TH_LOG("%d kills, %lu map/map/unmap/unmap rounds in all", RACE_ROUNDS, total);
	EXPECT_GT(total, 0);
	munmap((void *)ops, 4096);
}

TEST_HARNESS_MAIN
