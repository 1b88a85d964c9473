// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq_fault: systematic fault injection into kvmirq's creation paths.
 *
 * For each scenario below (one ioctl that allocates) and each of two passes
 * (slab allocations, then page allocations), makes the 1st, 2nd, 3rd, ...
 * fault-injectable allocation inside that one ioctl fail, through the
 * per-thread /proc/thread-self/fail-nth (so nothing outside the ioctl, and
 * no other task, is affected), until the ioctl no longer reaches the n-th
 * allocation.  Every injected failure must give ENOMEM (or be absorbed:
 * the ioctl succeeds), leave no fd behind, and leave nothing half-built:
 * the same creation must succeed right after.  kmemleak and the kernel log
 * are checked by the caller (scripts/debug/guest-run.sh).
 *
 * Needs root, debugfs and a kernel with FAULT_INJECTION, FAILSLAB,
 * FAIL_PAGE_ALLOC and FAULT_INJECTION_DEBUG_FS; skips otherwise.
 * Prints TAP, one result per scenario and pass.
 *
 * To add a scenario: one row in scenarios[] (setup, op, intact, teardown).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvmirq.h>

#define DEBUGFS		"/sys/kernel/debug"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define S390_MAX_VCPUS	248

struct ctx {
	int dev;
	int vm;
	int vcpu;
};

struct scenario {
	const char *name;
	int (*setup)(struct ctx *c);
	long (*op)(struct ctx *c);	/* >= 0 or -errno */
	void (*undo)(struct ctx *c, long r);
	const char *(*intact)(struct ctx *c);	/* NULL, or what is wrong */
};

static long sys_r(long r)
{
	return r < 0 ? -errno : r;
}

static void teardown(struct ctx *c)
{
	if (c->vcpu >= 0)
		close(c->vcpu);
	if (c->vm >= 0)
		close(c->vm);
	c->vcpu = -1;
	c->vm = -1;
}

static void close_fd(struct ctx *c, long r)
{
	close(r);
}

static int no_setup(struct ctx *c)
{
	return 0;
}

static int setup_x86(struct ctx *c)
{
	c->vm = ioctl(c->dev, KVM_CREATE_VM, KVMIRQ_VM_X86);
	return c->vm < 0 ? -1 : 0;
}

static int setup_s390(struct ctx *c)
{
	c->vm = ioctl(c->dev, KVM_CREATE_VM, KVMIRQ_VM_S390);
	return c->vm < 0 ? -1 : 0;
}

static int setup_x86_vcpu(struct ctx *c)
{
	if (setup_x86(c))
		return -1;
	c->vcpu = ioctl(c->vm, KVM_CREATE_VCPU, 3);
	return c->vcpu < 0 ? -1 : 0;
}

static long create_vm_x86(struct ctx *c)
{
	return sys_r(ioctl(c->dev, KVM_CREATE_VM, KVMIRQ_VM_X86));
}

static long create_vm_s390(struct ctx *c)
{
	return sys_r(ioctl(c->dev, KVM_CREATE_VM, KVMIRQ_VM_S390));
}

static const char *vm_creatable(struct ctx *c)
{
	int vm = ioctl(c->dev, KVM_CREATE_VM, KVMIRQ_VM_S390);

	if (vm < 0)
		return "KVM_CREATE_VM fails after the injected failure";
	close(vm);
	return NULL;
}

static long create_vcpu_7(struct ctx *c)
{
	return sys_r(ioctl(c->vm, KVM_CREATE_VCPU, 7));
}

static const char *vcpu_7_creatable(struct ctx *c)
{
	int fd = ioctl(c->vm, KVM_CREATE_VCPU, 7);

	if (fd < 0)
		return "vcpu id 7 cannot be created after the failure";
	close(fd);
	return NULL;
}

/* Every id and every slot is still free: nothing was reserved and kept. */
static const char *s390_vcpus_all_creatable(struct ctx *c)
{
	int id, fd;

	for (id = 0; id < S390_MAX_VCPUS; id++) {
		fd = ioctl(c->vm, KVM_CREATE_VCPU, id);
		if (fd < 0)
			return "not all 248 s390 vcpus can be created after the failure";
		close(fd);
	}
	return NULL;
}

static long create_flic(struct ctx *c)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };

	if (ioctl(c->vm, KVM_CREATE_DEVICE, &cd))
		return -errno;
	return cd.fd;
}

static const char *flic_creatable(struct ctx *c)
{
	long fd = create_flic(c);

	if (fd < 0)
		return "the FLIC cannot be created after the failure";
	close(fd);
	return NULL;
}

static long mmap_vcpu(struct ctx *c)
{
	unsigned char *p, v;

	p = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE, MAP_SHARED, c->vcpu, 0);
	if (p == MAP_FAILED)
		return -errno;
	v = __atomic_load_n(p, __ATOMIC_RELAXED);
	munmap(p, getpagesize());
	return v;	/* the kvm_run page starts zeroed */
}

static const char *vcpu_mappable(struct ctx *c)
{
	return mmap_vcpu(c) == 0 ? NULL : "the vcpu cannot be mapped after the failure";
}

static void no_undo(struct ctx *c, long r)
{
}

static const struct scenario scenarios[] = {
	{ "KVM_CREATE_VM x86", no_setup, create_vm_x86, close_fd, vm_creatable },
	{ "KVM_CREATE_VM s390", no_setup, create_vm_s390, close_fd, vm_creatable },
	{ "KVM_CREATE_VCPU x86", setup_x86, create_vcpu_7, close_fd, vcpu_7_creatable },
	{ "KVM_CREATE_VCPU s390", setup_s390, create_vcpu_7, close_fd,
	  s390_vcpus_all_creatable },
	{ "KVM_CREATE_DEVICE FLIC", setup_s390, create_flic, close_fd, flic_creatable },
	{ "mmap of a vcpu fd", setup_x86_vcpu, mmap_vcpu, no_undo, vcpu_mappable },
};

static int knob(const char *name, const char *val)
{
	char path[128];
	int fd, r;

	snprintf(path, sizeof(path), DEBUGFS "/%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = write(fd, val, strlen(val)) < 0 ? -1 : 0;
	close(fd);
	return r;
}

/* Which allocator fails in a pass; the other ignores GFP_KERNEL. */
static int set_pass(int page)
{
	return knob("failslab/ignore-gfp-wait", page ? "Y" : "N") |
	       knob("fail_page_alloc/ignore-gfp-wait", page ? "N" : "Y") |
	       knob("fail_page_alloc/ignore-gfp-highmem", "N") |
	       knob("fail_page_alloc/min-order", "0") |
	       knob("failslab/verbose", "0") |
	       knob("fail_page_alloc/verbose", "0");
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static int nthfd;

static void arm(int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n);

	if (pwrite(nthfd, buf, len, 0) != len)
		perror("fail-nth");
}

/* Returns 1 if the armed failure was consumed, and disarms. */
static int disarm(void)
{
	char buf[16] = "";

	if (pread(nthfd, buf, sizeof(buf) - 1, 0) < 0)
		perror("fail-nth");
	if (!atoi(buf))
		return 1;
	if (pwrite(nthfd, "0", 1, 0) != 1)
		perror("fail-nth");
	return 0;
}

struct counts {
	int injected, enomem, absorbed, bad;
};

static void run_pass(struct ctx *c, const struct scenario *s, struct counts *k)
{
	int n, misses = 0, retries = 0, fds, consumed;
	const char *wrong;
	long r;

	for (n = 1; n < 500 && misses < 3; n++) {
		if (s->setup(c)) {
			printf("# %s: setup failed: %s\n", s->name, strerror(errno));
			k->bad++;
			teardown(c);
			return;
		}
		fds = count_fds();
		arm(n);
		r = s->op(c);
		consumed = disarm();
		if (!consumed) {
			misses++;
			if (r < 0) {
				printf("# %s: failed without an injected fault: %s\n",
				       s->name, strerror(-r));
				k->bad++;
			} else {
				s->undo(c, r);
			}
			teardown(c);
			continue;
		}
		misses = 0;
		k->injected++;
		if (r >= 0) {
			/* Hit an allocation that tolerates failure; retry n. */
			k->absorbed++;
			s->undo(c, r);
			teardown(c);
			if (++retries < 3)
				n--;
			else
				retries = 0;
			continue;
		}
		retries = 0;
		if (r == -ENOMEM) {
			k->enomem++;
		} else {
			printf("# %s: allocation %d failed: %s, not ENOMEM\n",
			       s->name, n, strerror(-r));
			k->bad++;
		}
		if (count_fds() != fds) {
			printf("# %s: allocation %d failed: fd count %d -> %d\n",
			       s->name, n, fds, count_fds());
			k->bad++;
		}
		wrong = s->intact(c);
		if (wrong) {
			printf("# %s: allocation %d failed: %s\n", s->name, n, wrong);
			k->bad++;
		}
		teardown(c);
	}
}

int main(int argc, char **argv)
{
	const char *dev = getenv("KVMIRQ_DEV");
	struct counts total = { 0 };
	struct ctx c = { .vm = -1, .vcpu = -1 };
	unsigned int i, test = 0;
	int page;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..%zu\n", 2 * ARRAY_SIZE(scenarios));
	c.dev = open(dev && *dev ? dev : "/dev/kvmirq", O_RDWR | O_CLOEXEC);
	nthfd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (c.dev < 0 || nthfd < 0 || set_pass(0)) {
		printf("# no kvmirq, fail-nth or fault-injection knobs: %s\n", strerror(errno));
		for (i = 0; i < 2 * ARRAY_SIZE(scenarios); i++)
			printf("ok %u fault injection # SKIP\n", ++test);
		return 4;
	}

	for (i = 0; i < ARRAY_SIZE(scenarios); i++) {
		for (page = 0; page <= 1; page++) {
			struct counts k = { 0 };

			set_pass(page);
			run_pass(&c, &scenarios[i], &k);
			printf("%s %u fault injection, %s, %s: ",
			       k.bad || (!k.injected && !page) ? "not ok" : "ok", ++test,
			       scenarios[i].name, page ? "pages" : "slab");
			printf("%d injected, %d ENOMEM, %d absorbed\n",
			       k.injected, k.enomem, k.absorbed);
			total.injected += k.injected;
			total.enomem += k.enomem;
			total.absorbed += k.absorbed;
			total.bad += k.bad;
		}
	}
	knob("failslab/ignore-gfp-wait", "Y");
	knob("fail_page_alloc/ignore-gfp-wait", "Y");
	printf("# kvmirq_fault: %d injected failures: %d ENOMEM, %d absorbed, %d wrong\n",
	       total.injected, total.enomem, total.absorbed, total.bad);
	return total.bad ? 1 : 0;
}
