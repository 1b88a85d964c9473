// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq_fault: systematic fault injection into every kvmirq ioctl that
 * allocates on a path userspace drives.
 *
 * For each scenario below (one ioctl that allocates) and each of two passes
 * (slab allocations, then page allocations), makes the 1st, 2nd, 3rd, ...
 * fault-injectable allocation inside that one ioctl fail, through the
 * per-thread /proc/thread-self/fail-nth (so nothing outside the ioctl, and
 * no other task, is affected), until the ioctl no longer reaches the n-th
 * allocation.  Every injected failure must give ENOMEM (or the errno KVM
 * gives on that path), or be absorbed (the ioctl succeeds); leave the fd
 * count unchanged; leave the state as it was (or, where KVM keeps partial
 * work, consistently updated); and the same ioctl must succeed right
 * after, with its full effect.  kmemleak and the kernel log are checked by
 * the caller (scripts/debug/guest-run.sh).
 *
 * Needs root, debugfs and a kernel with FAULT_INJECTION, FAILSLAB,
 * FAIL_PAGE_ALLOC and FAULT_INJECTION_DEBUG_FS; skips otherwise.
 * Prints TAP, one result per scenario and pass.
 *
 * To add a scenario: one row in scenarios[] (see struct scenario).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvmirq.h>

#include "../s390_flic.h"
#include "../vmstat.h"

#define DEBUGFS		"/sys/kernel/debug"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define S390_MAX_VCPUS	248
#define MIB		0x100000UL
#define IRQ_SIZE	sizeof(struct kvm_s390_irq)
#define APIC_BASE_MSR	0x1b
#define APIC_TASKPRI	0x80

/*
 * What a scenario's setup made; teardown() releases all of it.  The guest
 * memory of an s390 VM is one 1 MiB memory slot at guest address 0.
 */
struct ctx {
	int dev;
	int vm;
	int vcpu;
	int flic;
	int efd[3];
	void *raw;		/* the 2 MiB mapping the slot is cut from */
	unsigned char *mem;	/* guest 0 .. 1 MiB, 1 MiB aligned */
	long pins;		/* FOLL_PIN pages after setup */
	int n;			/* FLIC entries a failed ENQUEUE left queued */
	struct kvm_lapic_state lapic;	/* LAPIC state after setup */
	struct kvm_xsave xsave;		/* XSAVE image after setup */
};

/**
 * struct scenario - one ioctl under fault injection
 * @name: what the TAP line says
 * @setup: builds the state the ioctl runs on; 0, or -1 with errno
 * @op: the ioctl: >= 0 (an fd, a count or 0) or -errno
 * @unchanged: after a failed @op: NULL if the state is as before (or as
 *             KVM leaves it), else what is wrong; NULL pointer: no check
 * @retry: what userspace does after the failure; NULL pointer: @op again
 * @done: after @op (or @retry) returned @r >= 0: NULL if its whole effect
 *        is there, else what is wrong; releases what @r names
 * @err: the errno KVM gives for a failed allocation there; 0: ENOMEM
 * @err2: another errno KVM gives there (a failure it reports as its own)
 * @fails: the errno @op gives when no allocation fails; 0: it succeeds.
 *         A bad request: the row pins KVM's order of checks and
 *         allocations (@err == @fails: refused before allocating)
 */
struct scenario {
	const char *name;
	int (*setup)(struct ctx *c);
	long (*op)(struct ctx *c);
	const char *(*unchanged)(struct ctx *c);
	long (*retry)(struct ctx *c);
	const char *(*done)(struct ctx *c, long r);
	int err;
	int err2;
	int fails;
};

static long sys_r(long r)
{
	return r < 0 ? -errno : r;
}

static void close_if(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void teardown(struct ctx *c)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c->efd); i++)
		close_if(&c->efd[i]);
	close_if(&c->flic);
	close_if(&c->vcpu);
	close_if(&c->vm);
	if (c->raw)
		munmap(c->raw, 2 * MIB);
	c->raw = NULL;
	c->mem = NULL;
	c->n = 0;
}

/* Setups: each builds on the one before. */

static int no_setup(struct ctx *c)
{
	return 0;
}

static int setup_x86(struct ctx *c)
{
	c->vm = ioctl(c->dev, KVM_CREATE_VM, KVMIRQ_VM_X86);
	return c->vm < 0 ? -1 : 0;
}

static int setup_x86_vcpu(struct ctx *c)
{
	if (setup_x86(c))
		return -1;
	c->vcpu = ioctl(c->vm, KVM_CREATE_VCPU, 3);
	return c->vcpu < 0 ? -1 : 0;
}

static int setup_x86_irqchip(struct ctx *c)
{
	if (setup_x86(c) || ioctl(c->vm, KVM_CREATE_IRQCHIP, 0))
		return -1;
	return 0;
}

/* An irqchip and vcpu 0 (with its LAPIC), whose state is kept in c->lapic. */
static int setup_x86_lapic(struct ctx *c)
{
	if (setup_x86_irqchip(c))
		return -1;
	c->vcpu = ioctl(c->vm, KVM_CREATE_VCPU, 0);
	if (c->vcpu < 0 || ioctl(c->vcpu, KVM_GET_LAPIC, &c->lapic))
		return -1;
	return 0;
}

static int setup_x86_efd(struct ctx *c)
{
	unsigned int i;

	if (setup_x86_irqchip(c))
		return -1;
	for (i = 0; i < ARRAY_SIZE(c->efd); i++) {
		c->efd[i] = eventfd(0, EFD_CLOEXEC);
		if (c->efd[i] < 0)
			return -1;
	}
	return 0;
}

static int setup_s390(struct ctx *c)
{
	c->vm = ioctl(c->dev, KVM_CREATE_VM, KVMIRQ_VM_S390);
	return c->vm < 0 ? -1 : 0;
}

static int setup_s390_vcpu(struct ctx *c)
{
	if (setup_s390(c))
		return -1;
	c->vcpu = ioctl(c->vm, KVM_CREATE_VCPU, 0);
	return c->vcpu < 0 ? -1 : 0;
}

static long create_flic(struct ctx *c)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };

	if (ioctl(c->vm, KVM_CREATE_DEVICE, &cd))
		return -errno;
	return cd.fd;
}

static int setup_s390_flic(struct ctx *c)
{
	long fd;

	if (setup_s390(c))
		return -1;
	fd = create_flic(c);
	if (fd < 0) {
		errno = -fd;
		return -1;
	}
	c->flic = fd;
	return 0;
}

/* 1 MiB of guest memory, MiB-aligned and not yet touched. */
static int map_guest_mib(struct ctx *c)
{
	c->raw = mmap(NULL, 2 * MIB, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->raw == MAP_FAILED) {
		c->raw = NULL;
		return -1;
	}
	c->mem = (unsigned char *)(((unsigned long)c->raw + MIB - 1) & ~(MIB - 1));
	return 0;
}

/* Guest memory, not yet touched (so pinning it faults it in). */
static int setup_s390_mem(struct ctx *c)
{
	if (setup_s390_flic(c))
		return -1;
	return map_guest_mib(c);
}

static int set_slot0(struct ctx *c, __u64 size)
{
	struct kvm_userspace_memory_region r = {
		.memory_size = size, .userspace_addr = (unsigned long)c->mem,
	};

	return ioctl(c->vm, KVM_SET_USER_MEMORY_REGION, &r);
}

/* FLIC GET_ALL_IRQS into @buf (@max entries): the count, or -errno. */
static long flic_get_all(struct ctx *c, struct kvm_s390_irq *buf, unsigned int max)
{
	struct kvm_device_attr a = {
		.group = KVM_DEV_FLIC_GET_ALL_IRQS, .attr = max * IRQ_SIZE,
		.addr = (unsigned long)buf,
	};

	memset(buf, 0, max * IRQ_SIZE);
	return sys_r(ioctl(c->flic, KVM_GET_DEVICE_ATTR, &a));
}

static int register_adapter(struct ctx *c, __u32 id)
{
	struct kvm_s390_io_adapter ad = { .id = id, .isc = 3, .maskable = 1 };

	return flic_set(c->flic, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, &ad);
}

/* A memory slot and adapter 4, nothing mapped yet. */
static int setup_s390_adapter(struct ctx *c)
{
	if (setup_s390_mem(c) || set_slot0(c, MIB) || register_adapter(c, 4))
		return -1;
	c->pins = pinned();
	return 0;
}

/* The generic checks. */

static const char *close_fd(struct ctx *c, long r)
{
	close(r);
	return NULL;
}

static const char *succeeded(struct ctx *c, long r)
{
	return NULL;
}

/* Creation paths: VMs, vcpus, devices, the kvm_run page, stats fds. */

static long create_vm_x86(struct ctx *c)
{
	return sys_r(ioctl(c->dev, KVM_CREATE_VM, KVMIRQ_VM_X86));
}

static long create_vm_s390(struct ctx *c)
{
	return sys_r(ioctl(c->dev, KVM_CREATE_VM, KVMIRQ_VM_S390));
}

static long create_vcpu_7(struct ctx *c)
{
	return sys_r(ioctl(c->vm, KVM_CREATE_VCPU, 7));
}

/* With an in-kernel irqchip, the new vcpu has its LAPIC. */
static const char *vcpu_has_lapic(struct ctx *c, long r)
{
	struct kvm_lapic_state s;
	int ret = ioctl(r, KVM_GET_LAPIC, &s);

	close(r);
	return ret ? "the vcpu has no LAPIC" : NULL;
}

/* Every other id and slot is still free: nothing was reserved and kept. */
static const char *s390_vcpus_all_creatable(struct ctx *c, long r)
{
	int id, fd;

	close(r);
	for (id = 0; id < S390_MAX_VCPUS; id++) {
		if (id == 7)
			continue;
		fd = ioctl(c->vm, KVM_CREATE_VCPU, id);
		if (fd < 0)
			return "not all 248 s390 vcpus can be created";
		close(fd);
	}
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

static long stats_fd_vm(struct ctx *c)
{
	return sys_r(ioctl(c->vm, KVM_GET_STATS_FD, NULL));
}

static long stats_fd_vcpu(struct ctx *c)
{
	return sys_r(ioctl(c->vcpu, KVM_GET_STATS_FD, NULL));
}

static const char *stats_readable(struct ctx *c, long r)
{
	struct kvm_stats_header h;
	ssize_t got = pread(r, &h, sizeof(h), 0);

	close(r);
	return got == sizeof(h) && h.num_desc ? NULL : "the stats fd reads no header";
}

/* KVM_CREATE_IRQCHIP: PIC, IOAPIC and the default routing, all or none. */

static long create_irqchip(struct ctx *c)
{
	return sys_r(ioctl(c->vm, KVM_CREATE_IRQCHIP, 0));
}

static const char *no_irqchip(struct ctx *c)
{
	struct kvm_irqchip chip = { .chip_id = KVM_IRQCHIP_IOAPIC };
	struct kvm_irq_level line = { .irq = 4, .level = 0 };

	if (ioctl(c->vm, KVM_GET_IRQCHIP, &chip) == 0 || errno != ENXIO)
		return "an IOAPIC is there after the failure";
	if (ioctl(c->vm, KVM_IRQ_LINE, &line) == 0 || errno != ENXIO)
		return "KVM_IRQ_LINE works after the failure";
	return NULL;
}

/* KVM_CREATE_PIT2: a PIT, running channel 0, or none at all. */
static long create_pit2(struct ctx *c)
{
	struct kvm_pit_config config = { .flags = KVM_PIT_SPEAKER_DUMMY };

	return sys_r(ioctl(c->vm, KVM_CREATE_PIT2, &config));
}

static const char *no_pit(struct ctx *c)
{
	struct kvm_pit_state2 ps;

	if (ioctl(c->vm, KVM_GET_PIT2, &ps) == 0 || errno != ENXIO)
		return "a PIT is there after the failure";
	return NULL;
}

static const char *pit_runs(struct ctx *c, long r)
{
	struct kvm_pit_state2 ps = { .channels[0] = { .count = 2, .mode = 2 } };

	if (ioctl(c->vm, KVM_SET_PIT2, &ps))
		return "KVM_SET_PIT2 fails on the new PIT";
	if (ioctl(c->vm, KVM_GET_PIT2, &ps) || ps.channels[1].count != 0x10000)
		return "the new PIT is not reset";
	return NULL;
}

static int line_status(struct ctx *c, __u32 gsi, __u32 level)
{
	struct kvm_irq_level line = { .irq = gsi, .level = level };

	if (ioctl(c->vm, KVM_IRQ_LINE_STATUS, &line))
		return -1000 - errno;
	return line.status;
}

/*
 * The default routing: GSI 4 reaches the PIC and the IOAPIC, 23 only the
 * IOAPIC; and a vcpu created now gets a LAPIC.
 */
static const char *irqchip_routed(struct ctx *c, long r)
{
	int fd, ret;

	if (line_status(c, 4, 0) < 1 || line_status(c, 23, 0) != 1)
		return "the default routing is not in force";
	if (line_status(c, 24, 0) != -1)
		return "GSI 24 is routed by default";
	fd = ioctl(c->vm, KVM_CREATE_VCPU, 1);
	if (fd < 0)
		return "no vcpu can be created after the irqchip";
	ret = ioctl(fd, KVM_GET_LAPIC, &c->lapic);
	close(fd);
	return ret ? "a vcpu created after the irqchip has no LAPIC" : NULL;
}

/*
 * KVM_SET_GSI_ROUTING (x86).  The old table: GSI 0-23 to the IOAPIC pin of
 * the same number, GSI 30 to IOAPIC pin 3.  A new one: GSI 0-15 to the PIC
 * and the IOAPIC, 16-23 to the IOAPIC, MSIs to APIC ID 0 (vcpu 0) from GSI
 * 24 on, and one more GSI to IOAPIC pin 7.  The small table stays within a
 * page, so each allocation fails outright; the large one (97 entries) is
 * over a page, so kvmalloc falls back to vmalloc.  fail-nth fails only one
 * allocation per call, so there the fallback is only ever seen to work.
 */
#define NEW_ROUTES	97

struct routing {
	struct kvm_irq_routing r;
	struct kvm_irq_routing_entry e[NEW_ROUTES];
};

struct x86_table {
	__u32 nr_msis;		/* GSI 24 .. 24 + nr_msis - 1 */
	__u32 chip_gsi;		/* to IOAPIC pin 7 */
};

static const struct x86_table small_table = { 8, 40 };
static const struct x86_table large_table = { 40, 100 };

static void route_chip(struct kvm_irq_routing_entry *e, __u32 gsi, __u32 chip,
		       __u32 pin)
{
	memset(e, 0, sizeof(*e));
	e->gsi = gsi;
	e->type = KVM_IRQ_ROUTING_IRQCHIP;
	e->u.irqchip.irqchip = chip;
	e->u.irqchip.pin = pin;
}

static int set_old_routes_x86(struct ctx *c)
{
	static struct routing rt;
	__u32 gsi;

	for (gsi = 0; gsi < 24; gsi++)
		route_chip(&rt.e[gsi], gsi, KVM_IRQCHIP_IOAPIC, gsi);
	route_chip(&rt.e[24], 30, KVM_IRQCHIP_IOAPIC, 3);
	rt.r.nr = 25;
	return ioctl(c->vm, KVM_SET_GSI_ROUTING, &rt);
}

static int setup_x86_routes(struct ctx *c)
{
	if (setup_x86_lapic(c) || set_old_routes_x86(c))
		return -1;
	return 0;
}

static long set_new_routes_x86(struct ctx *c, const struct x86_table *t)
{
	static struct routing rt;
	struct kvm_irq_routing_entry *e = rt.e;
	__u32 gsi;

	for (gsi = 0; gsi < 24; gsi++) {
		if (gsi < 16)
			route_chip(e++, gsi, gsi < 8 ? KVM_IRQCHIP_PIC_MASTER :
				   KVM_IRQCHIP_PIC_SLAVE, gsi & 7);
		route_chip(e++, gsi, KVM_IRQCHIP_IOAPIC, gsi);
	}
	for (gsi = 24; gsi < 24 + t->nr_msis; gsi++, e++) {
		memset(e, 0, sizeof(*e));
		e->gsi = gsi;
		e->type = KVM_IRQ_ROUTING_MSI;
		e->u.msi.address_lo = 0xfee00000;
		e->u.msi.data = 0x20 + gsi;
	}
	route_chip(e++, t->chip_gsi, KVM_IRQCHIP_IOAPIC, 7);
	rt.r.nr = e - rt.e;
	return sys_r(ioctl(c->vm, KVM_SET_GSI_ROUTING, &rt));
}

static long set_small_routes_x86(struct ctx *c)
{
	return set_new_routes_x86(c, &small_table);
}

static long set_large_routes_x86(struct ctx *c)
{
	return set_new_routes_x86(c, &large_table);
}

static const char *old_routes_x86(struct ctx *c)
{
	if (line_status(c, 30, 0) != 1 || line_status(c, 5, 0) != 1)
		return "the old table's IOAPIC routes are gone";
	if (line_status(c, small_table.chip_gsi, 0) != -1 ||
	    line_status(c, large_table.chip_gsi, 0) != -1 ||
	    line_status(c, 24, 1) != -1)
		return "routes of the new table are in force";
	return NULL;
}

static const char *new_routes_x86(struct ctx *c, const struct x86_table *t)
{
	if (line_status(c, 30, 0) != -1)
		return "GSI 30 keeps its old IOAPIC route";
	if (line_status(c, t->chip_gsi, 0) != 1 || line_status(c, 5, 0) < 1)
		return "the new irqchip routes are not in force";
	/* An MSI to vcpu 0's LAPIC: delivered (1) or coalesced (0). */
	if (line_status(c, 24, 1) < 0 || line_status(c, 23 + t->nr_msis, 1) < 0)
		return "the new MSI routes do not reach vcpu 0";
	return NULL;
}

static const char *small_routes_x86(struct ctx *c, long r)
{
	return new_routes_x86(c, &small_table);
}

static const char *large_routes_x86(struct ctx *c, long r)
{
	return new_routes_x86(c, &large_table);
}

/*
 * KVM_IRQFD on GSI 5 (the default routing: PIC master pin 5 and IOAPIC pin
 * 5).  Done: a signal raises the line, so the edge-triggered PIC latches it
 * in IRR; deassigning waits for the injection.
 */
static long assign_irqfd(struct ctx *c, int efd, __u32 flags, int resamplefd)
{
	struct kvm_irqfd fd = {
		.fd = efd, .gsi = 5, .flags = flags, .resamplefd = resamplefd,
	};

	return sys_r(ioctl(c->vm, KVM_IRQFD, &fd));
}

static long irqfd(struct ctx *c)
{
	return assign_irqfd(c, c->efd[0], 0, -1);
}

static long irqfd_resample(struct ctx *c)
{
	return assign_irqfd(c, c->efd[0], KVM_IRQFD_FLAG_RESAMPLE, c->efd[1]);
}

/* A resampling irqfd is already on GSI 5: the new one joins its resampler. */
static int setup_x86_resampler(struct ctx *c)
{
	if (setup_x86_efd(c) ||
	    assign_irqfd(c, c->efd[2], KVM_IRQFD_FLAG_RESAMPLE, c->efd[1]))
		return -1;
	return 0;
}

static const char *irqfd_raises_gsi5(struct ctx *c, long r)
{
	struct kvm_irqchip chip = { .chip_id = KVM_IRQCHIP_PIC_MASTER };
	struct kvm_irqfd fd = { .fd = c->efd[0], .gsi = 5,
				.flags = KVM_IRQFD_FLAG_DEASSIGN };
	__u64 one = 1;

	if (write(c->efd[0], &one, sizeof(one)) != sizeof(one))
		return "cannot signal the eventfd";
	if (ioctl(c->vm, KVM_IRQFD, &fd))
		return "the irqfd cannot be deassigned";
	if (ioctl(c->vm, KVM_GET_IRQCHIP, &chip))
		return "KVM_GET_IRQCHIP fails";
	return chip.chip.pic.irr & 0x20 ? NULL : "the irqfd does not raise GSI 5";
}

/* KVM_SET_LAPIC: the whole state or nothing; here TPR changes. */
static long set_lapic(struct ctx *c)
{
	struct kvm_lapic_state s = c->lapic;

	s.regs[APIC_TASKPRI] = 0x20;
	return sys_r(ioctl(c->vcpu, KVM_SET_LAPIC, &s));
}

static const char *lapic_tpr(struct ctx *c, int tpr)
{
	struct kvm_lapic_state s;

	if (ioctl(c->vcpu, KVM_GET_LAPIC, &s))
		return "KVM_GET_LAPIC fails";
	return s.regs[APIC_TASKPRI] == tpr ? NULL : "TPR is not as expected";
}

static const char *lapic_unchanged(struct ctx *c)
{
	return lapic_tpr(c, c->lapic.regs[APIC_TASKPRI]);
}

static const char *lapic_set(struct ctx *c, long r)
{
	return lapic_tpr(c, 0x20);
}

static long get_lapic(struct ctx *c)
{
	struct kvm_lapic_state s;

	return sys_r(ioctl(c->vcpu, KVM_GET_LAPIC, &s));
}

/* KVM_SET_MSRS / KVM_GET_MSRS: IA32_APIC_BASE of a vcpu without a LAPIC. */
struct msrs {
	struct kvm_msrs h;
	struct kvm_msr_entry e;
};

static long msr_io(struct ctx *c, unsigned long ioctl_nr, __u64 *data)
{
	struct msrs m = { .h.nmsrs = 1, .e = { .index = APIC_BASE_MSR } };
	long r;

	m.e.data = *data;
	r = sys_r(ioctl(c->vcpu, ioctl_nr, &m));
	*data = m.e.data;
	return r;
}

static long set_apic_base(struct ctx *c)
{
	__u64 v = 0;	/* disabled: a valid transition from xAPIC mode */

	return msr_io(c, KVM_SET_MSRS, &v);
}

static const char *apic_base_is(struct ctx *c, __u64 want)
{
	__u64 v = 0;

	if (msr_io(c, KVM_GET_MSRS, &v) != 1)
		return "KVM_GET_MSRS fails";
	return v == want ? NULL : "IA32_APIC_BASE is not as expected";
}

static const char *apic_base_unchanged(struct ctx *c)
{
	return apic_base_is(c, 0xfee00800);
}

static const char *apic_base_set(struct ctx *c, long r)
{
	return r == 1 ? apic_base_is(c, 0) : "KVM_SET_MSRS did not set the MSR";
}

static long get_apic_base(struct ctx *c)
{
	__u64 v = 0;

	return msr_io(c, KVM_GET_MSRS, &v);
}

/* KVM_SET_REGS on a fresh vcpu: its register state is allocated first. */
static long set_rip(struct ctx *c)
{
	struct kvm_regs regs = { .rip = 0x1234, .rflags = 2 };

	return sys_r(ioctl(c->vcpu, KVM_SET_REGS, &regs));
}

static const char *rip_is(struct ctx *c, __u64 want)
{
	struct kvm_regs regs;

	if (ioctl(c->vcpu, KVM_GET_REGS, &regs))
		return "KVM_GET_REGS fails";
	return regs.rip == want ? NULL : "RIP is not as expected";
}

static const char *rip_reset(struct ctx *c)
{
	return rip_is(c, 0xfff0);
}

static const char *rip_set(struct ctx *c, long r)
{
	return rip_is(c, 0x1234);
}

/* KVM_SET_USER_MEMORY_REGION (s390): slot 0 created, or not at all. */
static long create_slot0(struct ctx *c)
{
	return sys_r(set_slot0(c, MIB));
}

static const char *no_slot0(struct ctx *c)
{
	/* KVM ABI: deleting a slot that does not exist is EINVAL. */
	if (set_slot0(c, 0) == 0 || errno != EINVAL)
		return "slot 0 exists after the failure";
	return NULL;
}

static const char *slot0_there(struct ctx *c, long r)
{
	return set_slot0(c, 0) ? "slot 0 was not created" : NULL;
}

/*
 * s390 adapter routes, seen through an irqfd: the route of GSI 1 sets its
 * indicator bit in guest memory.  Deassigning the irqfd waits for the
 * injection.  The old table routes GSI 1 to indicators at 0x1000; the new
 * one GSI 1 to 0x1100 and GSI 2 to 0x1200; CREATE_IRQCHIP empties it.
 */
static struct kvm_irq_routing_entry adapter_route(__u32 gsi, __u64 ind)
{
	struct kvm_irq_routing_entry e = {
		.gsi = gsi, .type = KVM_IRQ_ROUTING_S390_ADAPTER,
	};

	e.u.adapter.ind_addr = ind;
	e.u.adapter.summary_addr = ind + 0x1000;
	e.u.adapter.adapter_id = 4;
	return e;
}

static int setup_s390_routes(struct ctx *c)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_S390_IRQCHIP };
	static struct routing rt;

	if (setup_s390_adapter(c) || ioctl(c->vm, KVM_ENABLE_CAP, &cap))
		return -1;
	c->efd[0] = eventfd(0, EFD_CLOEXEC);
	if (c->efd[0] < 0)
		return -1;
	rt.e[0] = adapter_route(1, 0x1000);
	rt.r.nr = 1;
	return ioctl(c->vm, KVM_SET_GSI_ROUTING, &rt);
}

/* Raises @gsi once; returns which of the indicator words it set (bits). */
static int s390_probe(struct ctx *c, __u32 gsi)
{
	struct kvm_irqfd fd = { .fd = c->efd[0], .gsi = gsi };
	__u64 one = 1;
	int i, set = 0;

	memset(c->mem, 0, 0x3000);
	if (ioctl(c->vm, KVM_IRQFD, &fd) ||
	    write(c->efd[0], &one, sizeof(one)) != sizeof(one))
		return -1;
	fd.flags = KVM_IRQFD_FLAG_DEASSIGN;
	if (ioctl(c->vm, KVM_IRQFD, &fd))
		return -1;
	for (i = 0; i < 3; i++)
		if (__atomic_load_n((__u64 *)(c->mem + 0x1000 + 0x100 * i),
				    __ATOMIC_ACQUIRE))
			set |= 1 << i;
	return set;
}

static long set_new_routes_s390(struct ctx *c)
{
	static struct routing rt;

	rt.e[0] = adapter_route(1, 0x1100);
	rt.e[1] = adapter_route(2, 0x1200);
	rt.r.nr = 2;
	return sys_r(ioctl(c->vm, KVM_SET_GSI_ROUTING, &rt));
}

static const char *old_routes_s390(struct ctx *c)
{
	if (s390_probe(c, 1) != 1 || s390_probe(c, 2) != 0)
		return "the old adapter route is not in force alone";
	return NULL;
}

static const char *new_routes_s390(struct ctx *c, long r)
{
	if (s390_probe(c, 1) != 2 || s390_probe(c, 2) != 4)
		return "the new adapter routes are not in force";
	return NULL;
}

static const char *no_routes_s390(struct ctx *c, long r)
{
	if (s390_probe(c, 1) != 0)
		return "a route is left after CREATE_IRQCHIP";
	return NULL;
}

/*
 * Floating interrupts: the VM's KVM_S390_INTERRUPT and FLIC ENQUEUE.  All
 * I/O entries on ISC 3, then a virtio one, so GET_ALL_IRQS lists them in
 * the order they were queued.
 */
#define BATCH	4

static struct kvm_s390_irq batch_irq(int i)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_INT_IO(0, 0, 0, 0x10 + i) };

	if (i == BATCH - 1) {
		irq.type = KVM_S390_INT_VIRTIO;
		irq.u.ext.ext_params = 0x1234;
		irq.u.ext.ext_params2 = 0x5678;
		return irq;
	}
	irq.u.io.subchannel_id = 1;
	irq.u.io.subchannel_nr = 0x10 + i;
	irq.u.io.io_int_parm = 0xa0 + i;
	irq.u.io.io_int_word = 3 << 27;	/* ISC 3 */
	return irq;
}

/* The queue's entries are batch_irq(0 .. n-1): returns n, or -1. */
static int queued_prefix(struct ctx *c)
{
	struct kvm_s390_irq got[BATCH + 4], want;
	long n = flic_get_all(c, got, ARRAY_SIZE(got));
	int i;

	if (n < 0 || n > BATCH)
		return -1;
	for (i = 0; i < n; i++) {
		want = batch_irq(i);
		if (memcmp(&got[i], &want, sizeof(want)))
			return -1;
	}
	return n;
}

static long vm_interrupt(struct ctx *c)
{
	struct kvm_s390_interrupt s = {
		.type = KVM_S390_INT_IO(0, 0, 0, 0x10), .parm = 1 << 16 | 0x10,
		.parm64 = (__u64)0xa0 << 32 | 3 << 27,
	};

	return sys_r(ioctl(c->vm, KVM_S390_INTERRUPT, &s));
}

static const char *queue_empty(struct ctx *c)
{
	return queued_prefix(c) == 0 ? NULL : "the floating queue changed";
}

static const char *queued_one(struct ctx *c, long r)
{
	return queued_prefix(c) == 1 ? NULL : "the interrupt was not queued";
}

static long enqueue_from(struct ctx *c, int first)
{
	struct kvm_s390_irq irqs[BATCH];
	int i;

	for (i = first; i < BATCH; i++)
		irqs[i] = batch_irq(i);
	return sys_r(flic_set(c->flic, KVM_DEV_FLIC_ENQUEUE, (BATCH - first) * IRQ_SIZE,
			      &irqs[first]));
}

static long enqueue(struct ctx *c)
{
	return enqueue_from(c, 0);
}

/* KVM ABI: the entries before the failed one stay queued, in order. */
static const char *enqueue_prefix(struct ctx *c)
{
	c->n = queued_prefix(c);
	if (c->n < 0 || c->n == BATCH)
		return "the queue is not the entries before the failed one";
	return NULL;
}

/* What a VMM does: queue the rest. */
static long enqueue_rest(struct ctx *c)
{
	return enqueue_from(c, c->n);
}

static const char *enqueued_all(struct ctx *c, long r)
{
	return queued_prefix(c) == BATCH ? NULL : "the queue is not the whole batch, once";
}

static int setup_s390_queued(struct ctx *c)
{
	if (setup_s390_flic(c) || enqueue(c))
		return -1;
	return 0;
}

/* KVM ABI: GET_ALL_IRQS without its buffer is ENOBUFS. */
static long get_all_irqs(struct ctx *c)
{
	struct kvm_s390_irq got[BATCH + 4];

	return flic_get_all(c, got, ARRAY_SIZE(got));
}

static const char *queue_intact(struct ctx *c)
{
	return queued_prefix(c) == BATCH ? NULL : "the queue changed";
}

static const char *got_batch(struct ctx *c, long r)
{
	return r == BATCH ? NULL : "GET_ALL_IRQS lost entries";
}

/* FLIC ADAPTER_REGISTER of adapter 5. */
static long register_adapter_5(struct ctx *c)
{
	return sys_r(register_adapter(c, 5));
}

static const char *no_adapter_5(struct ctx *c)
{
	return adapter_req(c->flic, KVM_S390_IO_ADAPTER_MASK, 5, 0) == EINVAL ? NULL :
	       "adapter 5 exists after the failure";
}

static const char *adapter_5_there(struct ctx *c, long r)
{
	return adapter_req(c->flic, KVM_S390_IO_ADAPTER_MASK, 5, 0) ? "adapter 5 is missing" :
	       NULL;
}

/* FLIC ADAPTER_MODIFY MAP: the page pinned and the mapping listed, or neither. */
static long map_page(struct ctx *c)
{
	return -adapter_req(c->flic, KVM_S390_IO_ADAPTER_MAP, 4, 0x1000);
}

static const char *not_mapped(struct ctx *c)
{
	if (pinned() != c->pins)
		return "a page stays pinned after the failure";
	if (adapter_req(c->flic, KVM_S390_IO_ADAPTER_UNMAP, 4, 0x1000) != ENOENT)
		return "a mapping is left after the failure";
	return NULL;
}

static const char *mapped(struct ctx *c, long r)
{
	if (pinned() != c->pins + 1)
		return "MAP did not pin one page";
	if (adapter_req(c->flic, KVM_S390_IO_ADAPTER_UNMAP, 4, 0x1000))
		return "the mapping is not listed";
	if (pinned() != c->pins)
		return "UNMAP did not unpin the page";
	return NULL;
}

/*
 * FLIC AIRQ_INJECT on a suppressible adapter, its ISC in SINGLE mode: the
 * interrupt is queued and the ISC turns to NO-interruptions, or neither.
 */
#define AIS_ISC3	(0x80 >> 3)

static int setup_s390_ais(struct ctx *c)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_S390_AIS };
	struct kvm_s390_io_adapter ad = {
		.id = 4, .isc = 3, .flags = KVM_S390_ADAPTER_SUPPRESSIBLE,
	};
	struct kvm_s390_ais_req single = { .isc = 3, .mode = 1 };

	if (setup_s390(c) || ioctl(c->vm, KVM_ENABLE_CAP, &cap))
		return -1;
	c->flic = create_flic(c);
	if (c->flic < 0) {
		errno = -c->flic;
		c->flic = -1;
		return -1;
	}
	if (flic_set(c->flic, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, &ad) ||
	    flic_set(c->flic, KVM_DEV_FLIC_AISM, 0, &single))
		return -1;
	return 0;
}

static long airq_inject(struct ctx *c)
{
	return sys_r(flic_set(c->flic, KVM_DEV_FLIC_AIRQ_INJECT, 4, NULL));
}

static const char *ais_state(struct ctx *c, long queued, __u8 nimm)
{
	struct kvm_s390_ais_all all = { 0 };
	struct kvm_device_attr a = {
		.group = KVM_DEV_FLIC_AISM_ALL, .attr = sizeof(all),
		.addr = (unsigned long)&all,
	};
	struct kvm_s390_irq got[4];

	if (flic_get_all(c, got, ARRAY_SIZE(got)) != queued)
		return "the floating queue is not as expected";
	if (ioctl(c->flic, KVM_GET_DEVICE_ATTR, &a))
		return "AISM_ALL cannot be read";
	if (all.simm != AIS_ISC3 || all.nimm != nimm)
		return "the AIS mode of ISC 3 is not as expected";
	return NULL;
}

static const char *airq_not_injected(struct ctx *c)
{
	return ais_state(c, 0, 0);
}

static const char *airq_injected(struct ctx *c, long r)
{
	return ais_state(c, 1, AIS_ISC3);
}

/* KVM_S390_SET_IRQ_STATE: all the records, or none. */
static long set_irq_state(struct ctx *c)
{
	struct kvm_s390_irq irqs[2] = {
		{ .type = KVM_S390_INT_CPU_TIMER },
		{ .type = KVM_S390_INT_CLOCK_COMP },
	};
	struct kvm_s390_irq_state st = {
		.buf = (unsigned long)irqs, .len = sizeof(irqs),
	};

	return sys_r(ioctl(c->vcpu, KVM_S390_SET_IRQ_STATE, &st));
}

static long irq_state_bytes(struct ctx *c)
{
	struct kvm_s390_irq irqs[8];
	struct kvm_s390_irq_state st = {
		.buf = (unsigned long)irqs, .len = sizeof(irqs),
	};

	return sys_r(ioctl(c->vcpu, KVM_S390_GET_IRQ_STATE, &st));
}

static const char *no_local_irqs(struct ctx *c)
{
	return irq_state_bytes(c) == 0 ? NULL : "local interrupts set after the failure";
}

static const char *two_local_irqs(struct ctx *c, long r)
{
	return irq_state_bytes(c) == 2 * IRQ_SIZE ? NULL : "not both records were set";
}

/*
 * Issue 15, audit 12: where a request is both bad and meets a failed
 * allocation, KVM's order of checks and allocations decides the errno.
 * kvm_s390_inject_vm() and FLIC ENQUEUE allocate before they read the
 * type (ENOMEM); register_io_adapter() refuses a registered id first
 * (EINVAL); MAP allocates before it translates (ENOMEM, not EFAULT).
 */
static long vm_interrupt_local(struct ctx *c)
{
	struct kvm_s390_interrupt s = { .type = KVM_S390_RESTART };

	return sys_r(ioctl(c->vm, KVM_S390_INTERRUPT, &s));
}

/* KVM ABI: a SERVICE interrupt is merged, but allocated for first. */
static long vm_interrupt_service(struct ctx *c)
{
	struct kvm_s390_interrupt s = { .type = KVM_S390_INT_SERVICE, .parm = 0x1000 };

	return sys_r(ioctl(c->vm, KVM_S390_INTERRUPT, &s));
}

static const char *service_pending(struct ctx *c, long r)
{
	struct kvm_s390_irq got[2];

	if (flic_get_all(c, got, ARRAY_SIZE(got)) != 1 ||
	    got[0].type != KVM_S390_INT_SERVICE || got[0].u.ext.ext_params != 0x1000)
		return "the service interrupt is not pending";
	return NULL;
}

static long enqueue_local(struct ctx *c)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_RESTART };

	return sys_r(flic_set(c->flic, KVM_DEV_FLIC_ENQUEUE, IRQ_SIZE, &irq));
}

static long enqueue_unreadable(struct ctx *c)
{
	return sys_r(flic_set(c->flic, KVM_DEV_FLIC_ENQUEUE, IRQ_SIZE, (void *)8));
}

static int setup_s390_adapter_5(struct ctx *c)
{
	if (setup_s390_flic(c) || register_adapter(c, 5))
		return -1;
	return 0;
}

static const char *adapter_5_kept(struct ctx *c)
{
	return adapter_5_there(c, 0);
}

/* Guest 0x200000 is outside slot 0 (0 .. 1 MiB). */
static long map_unbacked(struct ctx *c)
{
	return -adapter_req(c->flic, KVM_S390_IO_ADAPTER_MAP, 4, 0x200000);
}

/*
 * The x86 vcpu state a VMM saves and restores.  KVM_SET_CPUID2: the new
 * table whole, or the old one.  CPUID.0 EAX (the highest leaf) tells them
 * apart; KVM rewrites only leaf 1, 7 and 0xd bits on the way out.
 */
#define OLD_MAX_LEAF	1
#define NEW_MAX_LEAF	0xd

struct cpuid {
	struct kvm_cpuid2 h;
	struct kvm_cpuid_entry2 e[8];
};

static long set_cpuid(struct ctx *c, __u32 max_leaf)
{
	struct cpuid t = { .h.nent = 2 };

	t.e[0].eax = max_leaf;
	t.e[1].function = 1;
	t.e[1].eax = 0x806e9;
	return sys_r(ioctl(c->vcpu, KVM_SET_CPUID2, &t));
}

static int setup_x86_cpuid(struct ctx *c)
{
	if (setup_x86_vcpu(c))
		return -1;
	return set_cpuid(c, OLD_MAX_LEAF) ? -1 : 0;
}

static long set_new_cpuid(struct ctx *c)
{
	return set_cpuid(c, NEW_MAX_LEAF);
}

static long get_cpuid(struct ctx *c)
{
	struct cpuid t = { .h.nent = ARRAY_SIZE(t.e) };

	return sys_r(ioctl(c->vcpu, KVM_GET_CPUID2, &t));
}

static const char *cpuid_max_leaf(struct ctx *c, __u32 want)
{
	struct cpuid t = { .h.nent = ARRAY_SIZE(t.e) };

	if (ioctl(c->vcpu, KVM_GET_CPUID2, &t))
		return "KVM_GET_CPUID2 fails";
	if (t.h.nent != 2 || t.e[0].function || t.e[0].eax != want ||
	    t.e[1].function != 1 || t.e[1].eax != 0x806e9)
		return "the CPUID table is not as expected";
	return NULL;
}

static const char *old_cpuid(struct ctx *c)
{
	return cpuid_max_leaf(c, OLD_MAX_LEAF);
}

static const char *new_cpuid(struct ctx *c, long r)
{
	return cpuid_max_leaf(c, NEW_MAX_LEAF);
}

/*
 * KVM_SET_XSAVE: XMM0's low word (bytes 160-163 of the legacy area) and
 * XSTATE_BV's SSE bit, or nothing.  c->xsave is the state after setup.
 */
#define XSAVE_XMM0	(160 / 4)
#define XSAVE_BV	(512 / 4)
#define XMM0_NEW	0x12345678

static int setup_x86_xsave(struct ctx *c)
{
	if (setup_x86_vcpu(c) || ioctl(c->vcpu, KVM_GET_XSAVE, &c->xsave))
		return -1;
	return 0;
}

static long get_xsave(struct ctx *c)
{
	static struct kvm_xsave x;

	return sys_r(ioctl(c->vcpu, KVM_GET_XSAVE, &x));
}

/* KVM_GET_XSAVE2 writes KVM_CAP_XSAVE2 bytes: 4 KiB, more with AMX. */
static long get_xsave2(struct ctx *c)
{
	static __u32 buf[64 * 1024 / 4];
	int size = ioctl(c->vm, KVM_CHECK_EXTENSION, KVM_CAP_XSAVE2);

	if (size < (int)sizeof(struct kvm_xsave) || size > (int)sizeof(buf))
		return -ERANGE;
	return sys_r(ioctl(c->vcpu, KVM_GET_XSAVE2, buf));
}

static long set_xsave(struct ctx *c)
{
	static struct kvm_xsave x;

	x = c->xsave;
	x.region[XSAVE_XMM0] = XMM0_NEW;
	x.region[XSAVE_BV] |= 2;	/* XFEATURE_SSE */
	return sys_r(ioctl(c->vcpu, KVM_SET_XSAVE, &x));
}

static const char *xmm0_is(struct ctx *c, __u32 want)
{
	static struct kvm_xsave x;

	if (ioctl(c->vcpu, KVM_GET_XSAVE, &x))
		return "KVM_GET_XSAVE fails";
	return x.region[XSAVE_XMM0] == want ? NULL : "XMM0 is not as expected";
}

static const char *xsave_unchanged(struct ctx *c)
{
	return xmm0_is(c, c->xsave.region[XSAVE_XMM0]);
}

static const char *xsave_set(struct ctx *c, long r)
{
	return xmm0_is(c, XMM0_NEW);
}

/*
 * KVM_SET_XCRS: XCR0 from x87 (KVM's reset value) to x87 | SSE, or not.
 * KVM ABI: XCR0 may hold what CPUID leaf 0xd allows, so the vcpu gets one.
 */
static int setup_x86_xcrs(struct ctx *c)
{
	struct cpuid t = { .h.nent = 3 };

	if (ioctl(c->dev, KVM_CHECK_EXTENSION, KVM_CAP_XCRS) <= 0) {
		errno = EOPNOTSUPP;	/* the host (-cpu max in TCG) has XSAVE */
		return -1;
	}
	if (setup_x86_vcpu(c))
		return -1;
	t.e[0].eax = 0xd;
	t.e[1].function = 1;
	t.e[1].ecx = 1u << 26;		/* XSAVE */
	t.e[2].function = 0xd;
	t.e[2].flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
	t.e[2].eax = 3;			/* x87, SSE */
	return ioctl(c->vcpu, KVM_SET_CPUID2, &t);
}

static long get_xcrs(struct ctx *c)
{
	struct kvm_xcrs x;

	return sys_r(ioctl(c->vcpu, KVM_GET_XCRS, &x));
}

static long set_xcrs(struct ctx *c)
{
	struct kvm_xcrs x = { .nr_xcrs = 1, .xcrs[0] = { .xcr = 0, .value = 3 } };

	return sys_r(ioctl(c->vcpu, KVM_SET_XCRS, &x));
}

static const char *xcr0_is(struct ctx *c, __u64 want)
{
	struct kvm_xcrs x;

	if (ioctl(c->vcpu, KVM_GET_XCRS, &x))
		return "KVM_GET_XCRS fails";
	return x.nr_xcrs == 1 && x.xcrs[0].value == want ? NULL : "XCR0 is not as expected";
}

static const char *xcr0_unchanged(struct ctx *c)
{
	return xcr0_is(c, 1);
}

static const char *xcr0_set(struct ctx *c, long r)
{
	return xcr0_is(c, 3);
}

/*
 * KVM_SET_MSRS on MSRs kvmirq allocates on their first write (MTRRs, MCE
 * banks), behind SYSENTER_CS in the same batch: the whole batch, or none.
 */
#define MSR_SYSENTER_CS		0x174
#define MSR_MCG_CAP		0x179
#define MSR_MTRR_DEF_TYPE	0x2ff
#define MSR_MC0_CTL		0x400
#define MSR_MC1_STATUS		0x405
#define MC_STATUS_VAL		0x8000000000000000ull

struct msr_pair {
	struct kvm_msrs h;
	struct kvm_msr_entry e[2];
};

static long set_msr_pair(struct ctx *c, __u32 index, __u64 data)
{
	struct msr_pair m = {
		.h.nmsrs = 2,
		.e = { { .index = MSR_SYSENTER_CS, .data = 0x10 },
		       { .index = index, .data = data } },
	};

	return sys_r(ioctl(c->vcpu, KVM_SET_MSRS, &m));
}

static const char *msr_is(struct ctx *c, __u32 index, __u64 want)
{
	struct msrs m = { .h.nmsrs = 1, .e = { .index = index } };

	if (ioctl(c->vcpu, KVM_GET_MSRS, &m) != 1)
		return "KVM_GET_MSRS fails";
	return m.e.data == want ? NULL : "an MSR is not as expected";
}

static const char *msr_pair_is(struct ctx *c, __u32 index, __u64 cs, __u64 data)
{
	return msr_is(c, MSR_SYSENTER_CS, cs) ?: msr_is(c, index, data);
}

static long set_mtrr(struct ctx *c)
{
	return set_msr_pair(c, MSR_MTRR_DEF_TYPE, 0xc06);
}

static const char *mtrr_unchanged(struct ctx *c)
{
	return msr_pair_is(c, MSR_MTRR_DEF_TYPE, 0, 0);
}

static const char *mtrr_set(struct ctx *c, long r)
{
	return r == 2 ? msr_pair_is(c, MSR_MTRR_DEF_TYPE, 0x10, 0xc06) :
	       "KVM_SET_MSRS stopped early";
}

static long set_mc1_status(struct ctx *c)
{
	return set_msr_pair(c, MSR_MC1_STATUS, MC_STATUS_VAL | 0x1234);
}

static const char *mc1_status_unchanged(struct ctx *c)
{
	return msr_pair_is(c, MSR_MC1_STATUS, 0, 0);
}

static const char *mc1_status_set(struct ctx *c, long r)
{
	return r == 2 ? msr_pair_is(c, MSR_MC1_STATUS, 0x10, MC_STATUS_VAL | 0x1234) :
	       "KVM_SET_MSRS stopped early";
}

/* KVM_X86_SETUP_MCE: MCG_CTL_P and 4 banks, or KVM's 32 banks as before. */
#define MCG_CAP_NEW	(0x100 | 4)

static long setup_mce(struct ctx *c)
{
	__u64 cap = MCG_CAP_NEW;

	return sys_r(ioctl(c->vcpu, KVM_X86_SETUP_MCE, &cap));
}

static const char *mcg_cap_unchanged(struct ctx *c)
{
	return msr_is(c, MSR_MCG_CAP, 32);
}

static const char *mce_set_up(struct ctx *c, long r)
{
	return msr_is(c, MSR_MCG_CAP, MCG_CAP_NEW) ?: msr_is(c, MSR_MC0_CTL, ~0ull);
}

/* KVM_X86_SET_MCE: a corrected error logged in bank 1, or nothing. */
static long set_mce(struct ctx *c)
{
	struct kvm_x86_mce m = { .status = MC_STATUS_VAL | 0x55, .bank = 1 };

	return sys_r(ioctl(c->vcpu, KVM_X86_SET_MCE, &m));
}

static const char *mc1_empty(struct ctx *c)
{
	return msr_is(c, MSR_MC1_STATUS, 0);
}

static const char *mc1_logged(struct ctx *c, long r)
{
	return msr_is(c, MSR_MC1_STATUS, MC_STATUS_VAL | 0x55);
}

/* KVM_GET_MSRS on the system fd: the feature MSR IA32_UCODE_REV. */
static long get_feature_msr(struct ctx *c)
{
	struct msrs m = { .h.nmsrs = 1, .e = { .index = 0x8b } };

	return sys_r(ioctl(c->dev, KVM_GET_MSRS, &m));
}

static const char *got_one_msr(struct ctx *c, long r)
{
	return r == 1 ? NULL : "the feature MSR was not read";
}

/*
 * KVM_X86_SET_MSR_FILTER: the new filter (two ranges, so two bitmaps)
 * replaces the old whole, or the old stays.  Without KVM_RUN nothing reads
 * a filter back; kmemleak sees what a failure leaks.
 */
static __u8 filter_bits[2][32];

static long set_msr_filter(struct ctx *c, int ranges)
{
	struct kvm_msr_filter f = { .flags = KVM_MSR_FILTER_DEFAULT_ALLOW };
	int i;

	for (i = 0; i < ranges; i++) {
		f.ranges[i].flags = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE;
		f.ranges[i].nmsrs = 8 * sizeof(filter_bits[i]);
		f.ranges[i].base = i ? 0xc0000000 : 0;
		f.ranges[i].bitmap = filter_bits[i];
	}
	return sys_r(ioctl(c->vm, KVM_X86_SET_MSR_FILTER, &f));
}

static int setup_x86_filter(struct ctx *c)
{
	if (setup_x86(c))
		return -1;
	return set_msr_filter(c, 1) ? -1 : 0;
}

static long set_two_range_filter(struct ctx *c)
{
	return set_msr_filter(c, 2);
}

/* x86 memory slots: slot 0 (1 MiB at guest 0) and its dirty log. */
static int setup_x86_mem(struct ctx *c)
{
	if (setup_x86(c))
		return -1;
	return map_guest_mib(c);
}

static int set_slot0_flags(struct ctx *c, __u32 flags)
{
	struct kvm_userspace_memory_region r = {
		.flags = flags, .memory_size = MIB,
		.userspace_addr = (unsigned long)c->mem,
	};

	return ioctl(c->vm, KVM_SET_USER_MEMORY_REGION, &r);
}

static int setup_x86_slot0(struct ctx *c)
{
	if (setup_x86_mem(c) || set_slot0_flags(c, 0))
		return -1;
	return 0;
}

static long create_logged_slot0(struct ctx *c)
{
	return sys_r(set_slot0_flags(c, KVM_MEM_LOG_DIRTY_PAGES));
}

static long dirty_log_slot0(struct ctx *c)
{
	static unsigned long bitmap[MIB / 4096 / 64];
	struct kvm_dirty_log d = { .slot = 0, .dirty_bitmap = bitmap };

	return sys_r(ioctl(c->vm, KVM_GET_DIRTY_LOG, &d));
}

/* KVM ABI: KVM_GET_DIRTY_LOG on a slot that does not log is ENOENT. */
static const char *not_logging(struct ctx *c)
{
	return dirty_log_slot0(c) == -ENOENT ? NULL : "slot 0 logs after the failure";
}

static const char *no_logged_slot0(struct ctx *c)
{
	return not_logging(c) ?: no_slot0(c);
}

static const char *logging(struct ctx *c, long r)
{
	return dirty_log_slot0(c) ? "slot 0 does not log" : NULL;
}

/* KVM_IOEVENTFD: a PIO ioeventfd on port 0x510, or none. */
static long ioeventfd(struct ctx *c, __u32 flags)
{
	struct kvm_ioeventfd e = {
		.datamatch = 1, .addr = 0x510, .len = 2, .fd = c->efd[0],
		.flags = KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DATAMATCH | flags,
	};

	return sys_r(ioctl(c->vm, KVM_IOEVENTFD, &e));
}

static long assign_ioeventfd(struct ctx *c)
{
	return ioeventfd(c, 0);
}

/* KVM ABI: deassigning what is not assigned is ENOENT. */
static const char *no_ioeventfd(struct ctx *c)
{
	return ioeventfd(c, KVM_IOEVENTFD_FLAG_DEASSIGN) == -ENOENT ? NULL :
	       "the ioeventfd is there after the failure";
}

static const char *ioeventfd_there(struct ctx *c, long r)
{
	return ioeventfd(c, KVM_IOEVENTFD_FLAG_DEASSIGN) ? "the ioeventfd is missing" : NULL;
}

/* KVM_REGISTER_COALESCED_MMIO: one zone (nothing reads zones back). */
static long register_zone(struct ctx *c)
{
	struct kvm_coalesced_mmio_zone z = { .addr = 0xfed00000, .size = 0x1000 };

	return sys_r(ioctl(c->vm, KVM_REGISTER_COALESCED_MMIO, &z));
}

#define ROW(name, setup, op, unchanged, done) \
	{ name, setup, op, unchanged, NULL, done, 0, 0, 0 }

/* A bad request: @err under a failed allocation, @fails without one. */
#define BAD_ROW(name, setup, op, unchanged, err, fails) \
	{ name, setup, op, unchanged, NULL, NULL, err, 0, fails }

static const struct scenario scenarios[] = {
	ROW("KVM_CREATE_VM x86", no_setup, create_vm_x86, NULL, close_fd),
	ROW("KVM_CREATE_VM s390", no_setup, create_vm_s390, NULL, close_fd),
	ROW("KVM_CREATE_VCPU x86", setup_x86, create_vcpu_7, NULL, close_fd),
	ROW("KVM_CREATE_VCPU x86 with a LAPIC", setup_x86_irqchip, create_vcpu_7,
	    NULL, vcpu_has_lapic),
	ROW("KVM_CREATE_VCPU s390", setup_s390, create_vcpu_7, NULL,
	    s390_vcpus_all_creatable),
	ROW("KVM_CREATE_DEVICE FLIC", setup_s390, create_flic, NULL, close_fd),
	ROW("mmap of a vcpu fd", setup_x86_vcpu, mmap_vcpu, NULL, succeeded),
	ROW("KVM_GET_STATS_FD VM", setup_x86, stats_fd_vm, NULL, stats_readable),
	ROW("KVM_GET_STATS_FD vcpu", setup_x86_vcpu, stats_fd_vcpu, NULL,
	    stats_readable),
	ROW("KVM_CREATE_IRQCHIP x86", setup_x86, create_irqchip, no_irqchip,
	    irqchip_routed),
	ROW("KVM_SET_GSI_ROUTING x86", setup_x86_routes, set_small_routes_x86,
	    old_routes_x86, small_routes_x86),
	ROW("KVM_SET_GSI_ROUTING x86, over a page", setup_x86_routes,
	    set_large_routes_x86, old_routes_x86, large_routes_x86),
	ROW("KVM_IRQFD", setup_x86_efd, irqfd, NULL, irqfd_raises_gsi5),
	ROW("KVM_IRQFD resample", setup_x86_efd, irqfd_resample, NULL,
	    irqfd_raises_gsi5),
	ROW("KVM_IRQFD resample, joining a resampler", setup_x86_resampler,
	    irqfd_resample, NULL, irqfd_raises_gsi5),
	ROW("KVM_SET_LAPIC", setup_x86_lapic, set_lapic, lapic_unchanged, lapic_set),
	ROW("KVM_GET_LAPIC", setup_x86_lapic, get_lapic, NULL, succeeded),
	ROW("KVM_CREATE_PIT2", setup_x86_irqchip, create_pit2, no_pit, pit_runs),
	ROW("KVM_SET_MSRS", setup_x86_vcpu, set_apic_base, apic_base_unchanged,
	    apic_base_set),
	ROW("KVM_GET_MSRS", setup_x86_vcpu, get_apic_base, NULL, succeeded),
	ROW("KVM_SET_REGS, first vcpu-state ioctl", setup_x86_vcpu, set_rip,
	    rip_reset, rip_set),
	ROW("KVM_SET_CPUID2", setup_x86_cpuid, set_new_cpuid, old_cpuid, new_cpuid),
	ROW("KVM_GET_CPUID2", setup_x86_cpuid, get_cpuid, NULL, succeeded),
	ROW("KVM_GET_XSAVE", setup_x86_vcpu, get_xsave, NULL, succeeded),
	ROW("KVM_GET_XSAVE2", setup_x86_vcpu, get_xsave2, NULL, succeeded),
	ROW("KVM_SET_XSAVE", setup_x86_xsave, set_xsave, xsave_unchanged, xsave_set),
	ROW("KVM_GET_XCRS", setup_x86_xcrs, get_xcrs, NULL, succeeded),
	ROW("KVM_SET_XCRS", setup_x86_xcrs, set_xcrs, xcr0_unchanged, xcr0_set),
	ROW("KVM_SET_MSRS, MTRRs", setup_x86_vcpu, set_mtrr, mtrr_unchanged, mtrr_set),
	ROW("KVM_SET_MSRS, MCE banks", setup_x86_vcpu, set_mc1_status,
	    mc1_status_unchanged, mc1_status_set),
	ROW("KVM_X86_SETUP_MCE", setup_x86_vcpu, setup_mce, mcg_cap_unchanged,
	    mce_set_up),
	ROW("KVM_X86_SET_MCE", setup_x86_vcpu, set_mce, mc1_empty, mc1_logged),
	ROW("KVM_GET_MSRS (system, feature MSRs)", no_setup, get_feature_msr, NULL,
	    got_one_msr),
	ROW("KVM_X86_SET_MSR_FILTER", setup_x86_filter, set_two_range_filter, NULL,
	    succeeded),
	ROW("KVM_SET_USER_MEMORY_REGION x86", setup_x86_mem, create_slot0, no_slot0,
	    slot0_there),
	ROW("KVM_SET_USER_MEMORY_REGION x86, logging", setup_x86_mem,
	    create_logged_slot0, no_logged_slot0, logging),
	ROW("KVM_SET_USER_MEMORY_REGION x86, logging starts", setup_x86_slot0,
	    create_logged_slot0, not_logging, logging),
	ROW("KVM_IOEVENTFD", setup_x86_efd, assign_ioeventfd, no_ioeventfd,
	    ioeventfd_there),
	ROW("KVM_REGISTER_COALESCED_MMIO", setup_x86, register_zone, NULL, succeeded),
	ROW("KVM_SET_USER_MEMORY_REGION s390", setup_s390_mem, create_slot0,
	    no_slot0, slot0_there),
	ROW("KVM_CREATE_IRQCHIP s390", setup_s390_routes, create_irqchip,
	    old_routes_s390, no_routes_s390),
	ROW("KVM_SET_GSI_ROUTING s390", setup_s390_routes, set_new_routes_s390,
	    old_routes_s390, new_routes_s390),
	ROW("KVM_S390_INTERRUPT (VM)", setup_s390_flic, vm_interrupt, queue_empty,
	    queued_one),
	{ "FLIC ENQUEUE", setup_s390_flic, enqueue, enqueue_prefix, enqueue_rest,
	  enqueued_all, 0, 0, 0 },
	{ "FLIC GET_ALL_IRQS", setup_s390_queued, get_all_irqs, queue_intact, NULL,
	  got_batch, ENOBUFS, 0, 0 },
	ROW("FLIC ADAPTER_REGISTER", setup_s390_flic, register_adapter_5,
	    no_adapter_5, adapter_5_there),
	ROW("FLIC AIRQ_INJECT, AIS single mode", setup_s390_ais, airq_inject,
	    airq_not_injected, airq_injected),
	/* KVM ABI (2026 series): every pin failure is EINVAL, ENOMEM too. */
	{ "FLIC ADAPTER_MODIFY MAP", setup_s390_adapter, map_page, not_mapped, NULL,
	  mapped, ENOMEM, EINVAL, 0 },
	ROW("KVM_S390_SET_IRQ_STATE", setup_s390_vcpu, set_irq_state,
	    no_local_irqs, two_local_irqs),
	ROW("KVM_S390_INTERRUPT (VM), SERVICE", setup_s390_flic, vm_interrupt_service,
	    queue_empty, service_pending),
	BAD_ROW("KVM_S390_INTERRUPT (VM), a local type", setup_s390_flic,
		vm_interrupt_local, queue_empty, ENOMEM, EINVAL),
	BAD_ROW("FLIC ENQUEUE, a local type", setup_s390_flic, enqueue_local,
		queue_empty, ENOMEM, EINVAL),
	BAD_ROW("FLIC ENQUEUE, an unreadable entry", setup_s390_flic,
		enqueue_unreadable, queue_empty, ENOMEM, EFAULT),
	BAD_ROW("FLIC ADAPTER_REGISTER, a registered id", setup_s390_adapter_5,
		register_adapter_5, adapter_5_kept, EINVAL, EINVAL),
	BAD_ROW("FLIC ADAPTER_MODIFY MAP, outside every slot", setup_s390_adapter,
		map_unbacked, not_mapped, ENOMEM, EFAULT),
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
	int injected, errno_ok, absorbed, bad;
};

/* After @s->op failed: the state, then a retry and its effect. */
static const char *after_failure(struct ctx *c, const struct scenario *s)
{
	static char buf[96];
	const char *wrong = s->unchanged ? s->unchanged(c) : NULL;
	long r;

	if (wrong)
		return wrong;
	r = s->retry ? s->retry(c) : s->op(c);
	if (s->fails)
		return r == -s->fails ? NULL : "the retry does not fail as without a fault";
	if (r < 0) {
		snprintf(buf, sizeof(buf), "the retry fails: %s", strerror(-r));
		return buf;
	}
	return s->done(c, r);
}

static void report(const struct scenario *s, int n, const char *wrong,
		   struct counts *k)
{
	if (!wrong)
		return;
	printf("# %s: allocation %d failed: %s\n", s->name, n, wrong);
	k->bad++;
}

static void run_pass(struct ctx *c, const struct scenario *s, struct counts *k)
{
	int n, misses = 0, retries = 0, fds, consumed;
	int err = s->err ? s->err : ENOMEM;
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
			if (s->fails) {
				if (r != -s->fails) {
					printf("# %s: without a fault: %s, not %s\n",
					       s->name, strerror(-r), strerrorname_np(s->fails));
					k->bad++;
				}
			} else if (r < 0) {
				printf("# %s: failed without an injected fault: %s\n",
				       s->name, strerror(-r));
				k->bad++;
			} else {
				report(s, n, s->done(c, r), k);
			}
			teardown(c);
			continue;
		}
		misses = 0;
		k->injected++;
		if (r >= 0 && s->fails) {
			printf("# %s: allocation %d failed: the bad request succeeded\n",
			       s->name, n);
			k->bad++;
			teardown(c);
			continue;
		}
		if (r >= 0 || (s->fails && r == -s->fails && r != -err)) {
			/*
			 * Hit an allocation that tolerates failure (kmemleak's
			 * own, for one); retry n.  A bad request then fails as
			 * without the fault.
			 */
			k->absorbed++;
			if (!s->fails)
				report(s, n, s->done(c, r), k);
			teardown(c);
			if (++retries < 3)
				n--;
			else
				retries = 0;
			continue;
		}
		retries = 0;
		if (r == -err || (s->err2 && r == -s->err2)) {
			k->errno_ok++;
		} else {
			printf("# %s: allocation %d failed: %s, not %s\n",
			       s->name, n, strerror(-r), strerrorname_np(err));
			k->bad++;
		}
		if (count_fds() != fds) {
			printf("# %s: allocation %d failed: fd count %d -> %d\n",
			       s->name, n, fds, count_fds());
			k->bad++;
		}
		report(s, n, after_failure(c, s), k);
		teardown(c);
	}
}

int main(int argc, char **argv)
{
	const char *dev = getenv("KVMIRQ_DEV");
	struct counts total = { 0 };
	struct ctx c = { .vm = -1, .vcpu = -1, .flic = -1, .efd = { -1, -1, -1 } };
	const struct scenario *s;
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
		s = &scenarios[i];
		for (page = 0; page <= 1; page++) {
			struct counts k = { 0 };

			set_pass(page);
			run_pass(&c, s, &k);
			printf("%s %u fault injection, %s, %s: ",
			       k.bad || (!k.injected && !page && s->err != s->fails) ?
			       "not ok" : "ok", ++test,
			       s->name, page ? "pages" : "slab");
			printf("%d injected, %d %s, %d absorbed\n", k.injected,
			       k.errno_ok, strerrorname_np(s->err ? s->err : ENOMEM),
			       k.absorbed);
			total.injected += k.injected;
			total.errno_ok += k.errno_ok;
			total.absorbed += k.absorbed;
			total.bad += k.bad;
		}
	}
	knob("failslab/ignore-gfp-wait", "Y");
	knob("fail_page_alloc/ignore-gfp-wait", "Y");
	printf("# kvmirq_fault: %d injected failures: %d ENOMEM, %d absorbed, %d wrong\n",
	       total.injected, total.errno_ok, total.absorbed, total.bad);
	return total.bad ? 1 : 0;
}
