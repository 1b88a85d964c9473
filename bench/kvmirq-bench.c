// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq-bench: cost of the interrupt ioctls on /dev/kvm and /dev/kvmirq,
 * side by side, in one process.
 *
 * Default mode (meant for a qemu guest run with "-icount shift=0,sleep=off
 * -smp 1", where guest time counts executed instructions, 1 ns each): for
 * every row, the same loop runs against each device and the table gives
 * ns per call, that is instructions per call, for KVM and kvmirq and their
 * ratio.  Each figure is the minimum over -r runs of -n calls (under icount
 * the runs differ only by the timer interrupts that land in them).  Then
 * kernel memory per VM and per vcpu, from a memory cgroup's counter.
 *
 * -s: wall-clock scaling of KVM_IRQ_LINE (meant for a normal multi-vcpu
 * boot): one thread on one VM, two threads on one VM, two threads on two
 * VMs, each the median of -r runs, with the spread of the runs.
 *
 * Rows a device lacks (kvmirq's guest-side ioctls, s390 on KVM) show "n/a".
 * The output is reStructuredText tables, for Documentation/benchmarks.rst.
 *
 * -f TEXT: only the rows whose name contains TEXT, or one of the
 * '|'-separated parts of TEXT (no memory figures then).
 * -g: instead of timing, record one call of each row with the tracer the
 * caller set up in /sys/kernel/tracing (e.g. function_graph), after a
 * trace_marker naming it.
 *
 * Usage: kvmirq-bench [-n CALLS] [-r RUNS] [-s] [-f TEXT] [-g]
 *                     [-k KVM_DEV] [-q KVMIRQ_DEV]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvmirq.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_RUNS	31

/* FLIC attribute groups (s390 <asm/kvm.h>), in case the header lacks them. */
#ifndef KVM_DEV_FLIC_GET_ALL_IRQS
#define KVM_DEV_FLIC_GET_ALL_IRQS	1
#define KVM_DEV_FLIC_ENQUEUE		2
#define KVM_DEV_FLIC_CLEAR_IRQS		3
#endif

/* GSIs of the test VM: IOAPIC pins, and one MSI route past them. */
#define GSI_EDGE	16	/* edge, vector 0x40 */
#define GSI_IRQFD_EDGE	17	/* edge, vector 0x43, irqfd */
#define GSI_IRQFD_LEVEL	18	/* level, vector 0x45, resampling irqfd */
#define GSI_IRQFD_MSI	24	/* MSI to APIC 0, vector 0x44, irqfd */
#define NR_IOAPIC_PINS	24
#define NR_BENCH_MSRS	8	/* bench_msr_index[] */
#define MAX_CPUID	256

static long iterations = 20000;
static int runs = 3;
static const char *filter;	/* -f: only rows whose name contains this */
static bool graph;		/* -g: ftrace one call of each row instead */

enum { DEV_KVM, DEV_KVMIRQ, NR_DEVS };

struct dev {
	const char *name;
	const char *path;
	int fd;
	int vm;			/* x86 VM with irqchip, vcpu 0 */
	int vcpu;
	int bcast_vm;		/* x86 VM with 64 vcpus */
	int efd_edge, efd_level, efd_resample, efd_msi;
	int s390_vm;
	int s390_vcpu;
	int flic;
	struct kvm_irqchip pic, ioapic;
	struct kvm_lapic_state lapic;
	struct kvm_vcpu_events events;
	struct kvm_s390_irq *flic_buf;
	long flic_pending;
	int pit_vm;		/* x86 VM with irqchip and PIT */
	struct kvm_pit_state2 pit;
	int st_vm;		/* x86 VM with irqchip, vcpu 0 for the state rows */
	int st_vcpu;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_xsave xsave;
	struct kvm_cpuid2 *cpuid;	/* KVM_GET_SUPPORTED_CPUID's table */
	struct bench_msrs {
		struct kvm_msrs h;
		struct kvm_msr_entry e[NR_BENCH_MSRS];
	} msrs;
};

static struct dev devs[NR_DEVS] = {
	[DEV_KVM] = { .name = "KVM", .path = "/dev/kvm", .fd = -1 },
	[DEV_KVMIRQ] = { .name = "kvmirq", .path = "/dev/kvmirq", .fd = -1 },
};

typedef long (*op_fn)(struct dev *d, long i);

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Minimum over runs of ns per call; -errno if the first call fails.
 * @setup, if any, runs before each run, outside the timing.
 */
static double measure(struct dev *d, op_fn op, op_fn setup, long n)
{
	double best = 0, start, t;
	long i;
	int r;

	if (setup)
		setup(d, 0);
	if (op(d, 0) < 0)
		return -errno;
	for (r = 0; r < runs; r++) {
		if (setup)
			setup(d, 0);
		start = now_ns();
		for (i = 0; i < n; i++)
			op(d, i);
		t = (now_ns() - start) / n;
		if (!r || t < best)
			best = t;
	}
	return best;
}

static long op_null(struct dev *d, long i)
{
	return ioctl(d->vm, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP);
}

static long irq_line(int vm, unsigned long nr, unsigned int gsi, unsigned int level)
{
	struct kvm_irq_level irq = { .irq = gsi, .level = level };

	return ioctl(vm, nr, &irq);
}

static long op_irq_edge(struct dev *d, long i)
{
	return irq_line(d->vm, KVM_IRQ_LINE, GSI_EDGE, i & 1);
}

static long op_irq_hold(struct dev *d, long i)
{
	return irq_line(d->vm, KVM_IRQ_LINE, 4, 1);
}

static long op_irq_status(struct dev *d, long i)
{
	return irq_line(d->vm, KVM_IRQ_LINE_STATUS, GSI_EDGE, i & 1);
}

static long signal_msi(int vm, unsigned int dest, unsigned int vector)
{
	struct kvm_msi msi = {
		.address_lo = 0xfee00000 | dest << 12,
		.data = vector,
	};

	return ioctl(vm, KVM_SIGNAL_MSI, &msi);
}

static long op_msi_one(struct dev *d, long i)
{
	return signal_msi(d->vm, 0, 0x41);
}

static int create_irqchip_vm(int dev, int nr_vcpus);

static long op_msi_bcast(struct dev *d, long i)
{
	/* Made on first use: 64 KVM vcpus take a while under TCG. */
	if (d->bcast_vm < 0)
		d->bcast_vm = create_irqchip_vm(d->fd, 64);
	return signal_msi(d->bcast_vm, 0xff, 0x42);
}

static long op_irqfd_msi(struct dev *d, long i)
{
	return eventfd_write(d->efd_msi, 1);
}

static long op_irqfd_edge(struct dev *d, long i)
{
	return eventfd_write(d->efd_edge, 1);
}

static long op_irqfd_level(struct dev *d, long i)
{
	return eventfd_write(d->efd_level, 1);
}

static long op_get_pic(struct dev *d, long i)
{
	return ioctl(d->vm, KVM_GET_IRQCHIP, &d->pic);
}

static long op_set_pic(struct dev *d, long i)
{
	return ioctl(d->vm, KVM_SET_IRQCHIP, &d->pic);
}

static long op_get_ioapic(struct dev *d, long i)
{
	return ioctl(d->vm, KVM_GET_IRQCHIP, &d->ioapic);
}

static long op_set_ioapic(struct dev *d, long i)
{
	return ioctl(d->vm, KVM_SET_IRQCHIP, &d->ioapic);
}

static long op_get_lapic(struct dev *d, long i)
{
	return ioctl(d->vcpu, KVM_GET_LAPIC, &d->lapic);
}

static long op_set_lapic(struct dev *d, long i)
{
	return ioctl(d->vcpu, KVM_SET_LAPIC, &d->lapic);
}

static long op_get_events(struct dev *d, long i)
{
	return ioctl(d->vcpu, KVM_GET_VCPU_EVENTS, &d->events);
}

static long op_set_events(struct dev *d, long i)
{
	return ioctl(d->vcpu, KVM_SET_VCPU_EVENTS, &d->events);
}

static long op_get_pit2(struct dev *d, long i)
{
	return ioctl(d->pit_vm, KVM_GET_PIT2, &d->pit);
}

static long op_set_pit2(struct dev *d, long i)
{
	return ioctl(d->pit_vm, KVM_SET_PIT2, &d->pit);
}

static long op_get_regs(struct dev *d, long i)
{
	return ioctl(d->st_vcpu, KVM_GET_REGS, &d->regs);
}

static long op_set_regs(struct dev *d, long i)
{
	return ioctl(d->st_vcpu, KVM_SET_REGS, &d->regs);
}

static long op_get_sregs(struct dev *d, long i)
{
	return ioctl(d->st_vcpu, KVM_GET_SREGS, &d->sregs);
}

static long op_set_sregs(struct dev *d, long i)
{
	return ioctl(d->st_vcpu, KVM_SET_SREGS, &d->sregs);
}

/* What QEMU saves and restores on every sync: SYSENTER, SYSCALL, PAT. */
static const __u32 bench_msr_index[NR_BENCH_MSRS] = {
	0x174, 0x175, 0x176,		/* SYSENTER_CS, ESP, EIP */
	0xc0000081, 0xc0000082,		/* STAR, LSTAR */
	0xc0000084, 0xc0000102,		/* SYSCALL_MASK, KERNEL_GS_BASE */
	0x277,				/* PAT */
};

/* All NR_BENCH_MSRS or EIO: a short batch would not be the same work. */
static long msrs_io(struct dev *d, unsigned long nr)
{
	long r = ioctl(d->st_vcpu, nr, &d->msrs);

	if (r >= 0 && r != NR_BENCH_MSRS) {
		errno = EIO;
		return -1;
	}
	return r;
}

static long op_get_msrs(struct dev *d, long i)
{
	return msrs_io(d, KVM_GET_MSRS);
}

static long op_set_msrs(struct dev *d, long i)
{
	return msrs_io(d, KVM_SET_MSRS);
}

static long op_get_xsave(struct dev *d, long i)
{
	return ioctl(d->st_vcpu, KVM_GET_XSAVE, &d->xsave);
}

static long op_set_xsave(struct dev *d, long i)
{
	return ioctl(d->st_vcpu, KVM_SET_XSAVE, &d->xsave);
}

static long op_set_cpuid2(struct dev *d, long i)
{
	return ioctl(d->st_vcpu, KVM_SET_CPUID2, d->cpuid);
}

static long op_get_cpuid2(struct dev *d, long i)
{
	d->cpuid->nent = MAX_CPUID;
	return ioctl(d->st_vcpu, KVM_GET_CPUID2, d->cpuid);
}

static long op_pic_ack(struct dev *d, long i)
{
	struct kvmirq_ack ack = { 0 };

	return ioctl(d->vm, KVMIRQ_GUEST_ACK, &ack);
}

static long op_cpu_ack(struct dev *d, long i)
{
	struct kvmirq_ack ack = { 0 };

	return ioctl(d->vcpu, KVMIRQ_GUEST_ACK, &ack);
}

static long op_lapic_eoi(struct dev *d, long i)
{
	struct kvmirq_eoi eoi = { 0 };

	return ioctl(d->vcpu, KVMIRQ_GUEST_EOI, &eoi);
}

/* One MSI taken by the CPU and ended: SIGNAL_MSI, ACK, EOI. */
static long op_msi_ack_eoi(struct dev *d, long i)
{
	if (signal_msi(d->vm, 0, 0x41) < 0 || op_cpu_ack(d, i) < 0)
		return -1;
	return op_lapic_eoi(d, i);
}

static long op_s390_irq(struct dev *d, long i)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_INT_CPU_TIMER };

	return ioctl(d->s390_vcpu, KVM_S390_IRQ, &irq);
}

static long flic_attr(struct dev *d, unsigned long nr, unsigned int group,
		      void *buf, unsigned long len)
{
	struct kvm_device_attr attr = {
		.group = group, .attr = len, .addr = (unsigned long)buf,
	};

	return ioctl(d->flic, nr, &attr);
}

static long op_flic_enqueue(struct dev *d, long i)
{
	/* An I/O interrupt, ISC 3: each enqueue adds one entry. */
	struct kvm_s390_irq irq = {
		.type = KVM_S390_INT_IO(0, 0, 0, 1),
		.u.io = { .subchannel_id = 1, .io_int_word = 3 << 27 },
	};

	return flic_attr(d, KVM_SET_DEVICE_ATTR, KVM_DEV_FLIC_ENQUEUE, &irq,
			 sizeof(irq));
}

static long op_flic_clear(struct dev *d, long i)
{
	return flic_attr(d, KVM_SET_DEVICE_ATTR, KVM_DEV_FLIC_CLEAR_IRQS, NULL, 0);
}

static long op_flic_get_all(struct dev *d, long i)
{
	return flic_attr(d, KVM_GET_DEVICE_ATTR, KVM_DEV_FLIC_GET_ALL_IRQS,
			 d->flic_buf, d->flic_pending * sizeof(*d->flic_buf));
}

static void flic_fill(struct dev *d, long pending)
{
	long i;

	op_flic_clear(d, 0);
	for (i = 0; i < pending; i++)
		op_flic_enqueue(d, i);
	d->flic_pending = pending;
}

/*
 * irqfd injections through the workqueue: the benchmark runs SCHED_IDLE,
 * so the kworker that the eventfd write wakes preempts it at once and
 * each call includes its injection.
 */
static void set_idle(bool idle)
{
	struct sched_param p = { 0 };

	sched_setscheduler(0, idle ? SCHED_IDLE : SCHED_OTHER, &p);
}

struct row {
	const char *name;
	op_fn op;
	op_fn setup;
	bool worker;		/* the injection runs in a kworker */
};

static const struct row x86_rows[] = {
	{ .name = "null: KVM_CHECK_EXTENSION on the VM fd", .op = op_null },
	{ .name = "KVM_IRQ_LINE edge toggle (GSI 16)", .op = op_irq_edge },
	{ .name = "KVM_IRQ_LINE level hold (GSI 4)", .op = op_irq_hold },
	{ .name = "KVM_IRQ_LINE_STATUS toggle (GSI 16)", .op = op_irq_status },
	{ .name = "KVM_SIGNAL_MSI fixed, one LAPIC", .op = op_msi_one },
	{ .name = "KVM_SIGNAL_MSI broadcast, 64 vcpus", .op = op_msi_bcast },
	{ .name = "irqfd, MSI route (eventfd write to IRR)", .op = op_irqfd_msi },
	{ .name = "irqfd, IOAPIC edge (write to IRR)", .op = op_irqfd_edge, .worker = true },
	{ .name = "irqfd, IOAPIC level, resample", .op = op_irqfd_level, .worker = true },
	{ .name = "KVM_GET_IRQCHIP PIC master", .op = op_get_pic },
	{ .name = "KVM_SET_IRQCHIP PIC master", .op = op_set_pic },
	{ .name = "KVM_GET_IRQCHIP IOAPIC", .op = op_get_ioapic },
	{ .name = "KVM_SET_IRQCHIP IOAPIC", .op = op_set_ioapic },
	{ .name = "KVM_GET_LAPIC", .op = op_get_lapic },
	{ .name = "KVM_SET_LAPIC", .op = op_set_lapic },
	{ .name = "KVM_GET_VCPU_EVENTS", .op = op_get_events },
	{ .name = "KVM_SET_VCPU_EVENTS", .op = op_set_events },
	{ .name = "KVM_GET_PIT2", .op = op_get_pit2 },
	{ .name = "KVM_SET_PIT2", .op = op_set_pit2 },
	{ .name = "KVM_GET_REGS", .op = op_get_regs },
	{ .name = "KVM_SET_REGS", .op = op_set_regs },
	{ .name = "KVM_GET_SREGS", .op = op_get_sregs },
	{ .name = "KVM_SET_SREGS", .op = op_set_sregs },
	{ .name = "KVM_GET_MSRS, 8 MSRs", .op = op_get_msrs },
	{ .name = "KVM_SET_MSRS, 8 MSRs", .op = op_set_msrs },
	{ .name = "KVM_GET_XSAVE", .op = op_get_xsave },
	{ .name = "KVM_SET_XSAVE", .op = op_set_xsave },
	{ .name = "KVM_SET_CPUID2 (KVM's supported table)", .op = op_set_cpuid2 },
	{ .name = "KVM_GET_CPUID2", .op = op_get_cpuid2 },
	{ .name = "guest: PIC INTA (VM fd ACK)", .op = op_pic_ack },
	{ .name = "guest: CPU ACK, nothing pending", .op = op_cpu_ack },
	{ .name = "guest: LAPIC EOI, nothing in service", .op = op_lapic_eoi },
	{ .name = "guest: SIGNAL_MSI + ACK + EOI", .op = op_msi_ack_eoi },
	{ .name = "KVM_S390_IRQ (CPU timer)", .op = op_s390_irq },
	{ .name = "FLIC ENQUEUE, 1 interrupt", .op = op_flic_enqueue, .setup = op_flic_clear },
};

static void print_rule(int name_w, int nr_cols, int col_w)
{
	int i;

	printf("%.*s", name_w, "==================================================");
	for (i = 0; i < nr_cols; i++)
		printf("  %.*s", col_w, "==================================================");
	printf("\n");
}

static void print_cell(double v, const char *fmt)
{
	char buf[32];

	if (v <= -2 && v > -4096)	/* -errno; -1: not measured */
		snprintf(buf, sizeof(buf), "n/a %s", strerrorname_np((int)-v) ?: "");
	else if (v < 0)
		snprintf(buf, sizeof(buf), "n/a");
	else
		snprintf(buf, sizeof(buf), fmt, v);
	printf("  %12s", buf);
}

static bool dev_open(struct dev *d)
{
	return d->fd >= 0;
}

/* -f: TEXT is one or more substrings separated by '|'. */
static bool row_selected(const char *name)
{
	const char *p = filter, *bar;
	size_t n;

	if (!filter)
		return true;
	for (;;) {
		bar = strchr(p, '|');
		n = bar ? (size_t)(bar - p) : strlen(p);
		if (n && memmem(name, strlen(name), p, n))
			return true;
		if (!bar)
			return false;
		p = bar + 1;
	}
}

static void trace_switch(bool on)
{
	static int fd = -1;

	if (fd < 0)
		fd = open("/sys/kernel/tracing/tracing_on", O_WRONLY | O_CLOEXEC);
	if (fd >= 0 && write(fd, on ? "1" : "0", 1) != 1)
		perror("/sys/kernel/tracing/tracing_on");
}

static void trace_note(const char *text)
{
	int fd = open("/sys/kernel/tracing/trace_marker", O_WRONLY | O_CLOEXEC);

	if (fd >= 0 && write(fd, text, strlen(text)) < 0)
		perror("/sys/kernel/tracing/trace_marker");
	if (fd >= 0)
		close(fd);
}

/*
 * -g: one call of each row on each device with the tracer that the caller
 * set up (function_graph) recording, after a warm-up call.
 */
static void graph_rows(void)
{
	char text[128];
	size_t i;
	int k;

	for (i = 0; i < ARRAY_SIZE(x86_rows); i++) {
		const struct row *row = &x86_rows[i];

		if (!row_selected(row->name))
			continue;
		for (k = 0; k < NR_DEVS; k++) {
			if (!dev_open(&devs[k]))
				continue;
			if (row->setup)
				row->setup(&devs[k], 0);
			row->op(&devs[k], 0);
			snprintf(text, sizeof(text), "%s: %s", devs[k].name, row->name);
			trace_switch(true);
			trace_note(text);
			row->op(&devs[k], 1);
			trace_switch(false);
		}
	}
}

static void bench_rows(void)
{
	double ns[NR_DEVS];
	size_t i;
	int k;

	printf("Instructions per call (icount: guest ns per call)\n\n");
	print_rule(42, 3, 12);
	printf("%-42s  %12s  %12s  %12s\n", "ioctl", "KVM", "kvmirq", "kvmirq/KVM");
	print_rule(42, 3, 12);
	for (i = 0; i < ARRAY_SIZE(x86_rows); i++) {
		const struct row *row = &x86_rows[i];

		if (!row_selected(row->name))
			continue;
		if (row->worker)
			set_idle(true);
		for (k = 0; k < NR_DEVS; k++)
			ns[k] = dev_open(&devs[k]) ?
				measure(&devs[k], row->op, row->setup, iterations) : -1;
		if (row->worker)
			set_idle(false);
		printf("%-42s", row->name);
		for (k = 0; k < NR_DEVS; k++)
			print_cell(ns[k], "%.1f");
		print_cell(ns[DEV_KVM] > 0 && ns[DEV_KVMIRQ] > 0 ?
			   ns[DEV_KVMIRQ] / ns[DEV_KVM] : -1, "%.2f");
		printf("\n");
	}
	print_rule(42, 3, 12);
}

/* FLIC GET_ALL_IRQS must be O(n): ns per pending interrupt. */
static void bench_flic(struct dev *d)
{
	static const long pending[] = { 1, 1000, 100000 };
	double ns;
	size_t i;
	long n;

	if (d->flic < 0)
		return;
	d->flic_buf = malloc(pending[ARRAY_SIZE(pending) - 1] * sizeof(*d->flic_buf));
	printf("\n%s FLIC GET_ALL_IRQS:", d->name);
	for (i = 0; i < ARRAY_SIZE(pending); i++) {
		flic_fill(d, pending[i]);
		n = pending[i] >= 100000 ? 3 : pending[i] >= 1000 ? 100 : iterations;
		ns = measure(d, op_flic_get_all, NULL, n);
		printf(" %ld pending %.0f ns (%.1f per interrupt)%s", pending[i], ns,
		       ns / pending[i], i + 1 < ARRAY_SIZE(pending) ? ";" : "\n");
	}
	flic_fill(d, 0);
	free(d->flic_buf);
}

struct line_thread {
	int vm;
	unsigned int gsi;
	int cpu;
	long calls;
	pthread_barrier_t *start;
};

static void *line_thread(void *arg)
{
	struct line_thread *t = arg;
	cpu_set_t set;
	long i;

	CPU_ZERO(&set);
	CPU_SET(t->cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	pthread_barrier_wait(t->start);
	for (i = 0; i < t->calls; i++)
		irq_line(t->vm, KVM_IRQ_LINE, t->gsi, i & 1);
	return NULL;
}

/* KVM_IRQ_LINE calls per second, summed over the threads. */
static double line_throughput(struct line_thread *t, int nr)
{
	pthread_barrier_t start;
	pthread_t tid[2];
	long calls = 0;
	double wall;
	int i;

	pthread_barrier_init(&start, NULL, nr + 1);
	for (i = 0; i < nr; i++) {
		t[i].start = &start;
		pthread_create(&tid[i], NULL, line_thread, &t[i]);
	}
	pthread_barrier_wait(&start);
	wall = now_ns();
	for (i = 0; i < nr; i++) {
		pthread_join(tid[i], NULL);
		calls += t[i].calls;
	}
	wall = now_ns() - wall;
	pthread_barrier_destroy(&start);
	return calls / (wall / 1e9);
}

enum { SC_ONE, SC_SAME_VM, SC_TWO_VMS, NR_SC };

static const char * const sc_names[NR_SC] = {
	"1 thread, 1 VM", "2 threads, 1 VM (GSI 16, 17)", "2 threads, 2 VMs",
};

struct scaling {
	double med[NR_SC], min[NR_SC], max[NR_SC];
	bool ok;
};

static void median_of(double *t, int n, double *med, double *min, double *max)
{
	qsort(t, n, sizeof(*t), cmp_double);
	*med = t[n / 2];
	*min = t[0];
	*max = t[n - 1];
}

static void bench_scaling_dev(struct dev *d, struct scaling *s)
{
	long n = iterations;
	struct line_thread one[1] = { { .vm = d->vm, .gsi = 16, .calls = n } };
	struct line_thread same[2] = {
		{ .vm = d->vm, .gsi = 16, .cpu = 0, .calls = n },
		{ .vm = d->vm, .gsi = 17, .cpu = 1, .calls = n },
	};
	struct line_thread two[2] = {
		{ .vm = d->vm, .gsi = 16, .cpu = 0, .calls = n },
		{ .vm = -1, .gsi = 16, .cpu = 1, .calls = n },
	};
	double t[NR_SC][MAX_RUNS];
	int r, c;

	if (irq_line(d->vm, KVM_IRQ_LINE, 16, 0) < 0)
		return;
	two[1].vm = create_irqchip_vm(d->fd, 1);
	/* Interleaved, so slow phases of the host hit every case alike. */
	for (r = 0; r < runs; r++) {
		t[SC_ONE][r] = line_throughput(one, 1);
		t[SC_SAME_VM][r] = line_throughput(same, 2);
		t[SC_TWO_VMS][r] = line_throughput(two, 2);
	}
	close(two[1].vm);
	for (c = 0; c < NR_SC; c++)
		median_of(t[c], runs, &s->med[c], &s->min[c], &s->max[c]);
	s->ok = true;
}

static void bench_scaling(void)
{
	struct scaling s[NR_DEVS] = { 0 };
	int k, c;

	for (k = 0; k < NR_DEVS; k++)
		if (dev_open(&devs[k]))
			bench_scaling_dev(&devs[k], &s[k]);

	printf("KVM_IRQ_LINE edge toggles, calls/s summed over threads: median of %d runs\n"
	       "of %ld calls per thread (spread: slowest and fastest run, in %% of the\n"
	       "median); scaling: over 1 thread, 1 VM\n\n", runs, iterations);
	print_rule(30, 6, 12);
	printf("%-30s  %12s  %12s  %12s  %12s  %12s  %12s\n", "threads", "KVM calls/s",
	       "spread", "scaling", "kvmirq", "spread", "scaling");
	print_rule(30, 6, 12);
	for (c = 0; c < NR_SC; c++) {
		printf("%-30s", sc_names[c]);
		for (k = 0; k < NR_DEVS; k++) {
			char spread[32];

			if (!s[k].ok) {
				printf("  %12s  %12s  %12s", "n/a", "", "");
				continue;
			}
			snprintf(spread, sizeof(spread), "%+.0f/%+.0f%%",
				 (s[k].min[c] / s[k].med[c] - 1) * 100,
				 (s[k].max[c] / s[k].med[c] - 1) * 100);
			printf("  %12.0f  %12s  %11.2fx", s[k].med[c], spread,
			       s[k].med[c] / s[k].med[SC_ONE]);
		}
		printf("\n");
	}
	print_rule(30, 6, 12);
}

static bool write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok;
}

/* The benchmark's own memory cgroup */
#define BENCH_CGROUP	"/sys/fs/cgroup/kvmirq-bench"

/* Moves this process into its own memory cgroup; false if there is none. */
static bool enter_bench_cgroup(void)
{
	char pid[32];

	mkdir("/sys/fs/cgroup", 0755);
	/* Fails harmlessly where cgroup2 is already mounted. */
	mount("none", "/sys/fs/cgroup", "cgroup2", 0, NULL);
	write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	mkdir(BENCH_CGROUP, 0755);
	snprintf(pid, sizeof(pid), "%d", getpid());
	return write_file(BENCH_CGROUP "/cgroup.procs", pid) &&
	       !access(BENCH_CGROUP "/memory.current", R_OK);
}

static long memcg_current(void)
{
	char buf[64] = "";
	int fd = open(BENCH_CGROUP "/memory.current", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atol(buf) : -1;
}

/*
 * memory.current runs ahead of the objects charged: pages are charged in
 * per-cpu batches of up to 64 (256 KiB, 262 bytes per object over 1000).
 * Setting memory.high a page under it drains the batch first (synchronous
 * with one CPU, as in the icount boot) and, the usage then being under
 * it, reclaims nothing; "max" puts it back.  What is left is the charged
 * bytes of objects, to the page.
 */
static long memcg_exact(void)
{
	long now = memcg_current();
	char high[32];

	if (now <= 4096)
		return now;
	snprintf(high, sizeof(high), "%ld", now - 4096);
	write_file(BENCH_CGROUP "/memory.high", high);
	write_file(BENCH_CGROUP "/memory.high", "max");
	return memcg_current();
}

static void qemu_state_setup(struct dev *d, int vcpu);

/*
 * Closed fds are freed in RCU callbacks (struct file, the debugfs dentries
 * and inodes), up to seconds later: without a wait they land in the next
 * measurement and lower it.  Waits until the counter stays put for 3
 * polls (with icount and sleep=off, idle guest time costs no host time).
 */
static void memcg_settle(void)
{
	long last = memcg_current(), now;
	int stable = 0, i;

	for (i = 0; i < 200 && stable < 3; i++) {
		usleep(100000);
		now = memcg_current();
		stable = now == last ? stable + 1 : 0;
		last = now;
	}
}

/* Bytes per vcpu of a new VM, set up by QEMU's state ioctls or not. */
static double vcpu_memory(struct dev *d, int nr, bool state)
{
	static int fds[1000];
	long before, after;
	int vm, i;

	vm = create_irqchip_vm(d->fd, 0);
	memcg_settle();
	before = memcg_exact();
	for (i = 0; i < nr; i++) {
		fds[i] = ioctl(vm, KVM_CREATE_VCPU, i);
		if (state && fds[i] >= 0)
			qemu_state_setup(d, fds[i]);
	}
	after = memcg_exact();
	for (i = 0; i < nr; i++)
		close(fds[i]);
	close(vm);
	return before >= 0 && after >= 0 ? (double)(after - before) / nr : -1;
}

/* Bytes per VM with irqchip and per vcpu, bare and with its state. */
static void memory_of(struct dev *d, int nr, double *per_vm, double *per_vcpu,
		      double *per_state_vcpu)
{
	static int fds[1000];
	long before, after;
	int i;

	*per_vm = -1;
	memcg_settle();
	before = memcg_exact();
	for (i = 0; i < nr; i++)
		fds[i] = create_irqchip_vm(d->fd, 0);
	after = memcg_exact();
	for (i = 0; i < nr; i++)
		close(fds[i]);
	if (before >= 0 && after >= 0)
		*per_vm = (double)(after - before) / nr;
	*per_vcpu = vcpu_memory(d, nr, false);
	*per_state_vcpu = vcpu_memory(d, nr, true);
}

static void print_memory_row(const char *name, const double *v)
{
	printf("%-42s", name);
	print_cell(v[DEV_KVM], "%.0f");
	print_cell(v[DEV_KVMIRQ], "%.0f");
	print_cell(v[0] > 0 && v[1] > 0 ? v[1] / v[0] : -1, "%.2f");
	printf("\n");
}

static void bench_memory(void)
{
	/* Many objects, so the memcg's per-cpu charge batches are noise. */
	static const int nr[NR_DEVS] = { [DEV_KVM] = 100, [DEV_KVMIRQ] = 1000 };
	double vm[NR_DEVS] = { -1, -1 }, vcpu[NR_DEVS] = { -1, -1 };
	double st_vcpu[NR_DEVS] = { -1, -1 };
	int k;

	printf("\nKernel memory, bytes, from the memory cgroup's memory.current while creating\n"
	       "%d (KVM) and %d (kvmirq) of each, file descriptors included\n\n",
	       nr[DEV_KVM], nr[DEV_KVMIRQ]);
	if (!enter_bench_cgroup()) {
		printf("memory cgroup not available: n/a\n");
		return;
	}
	for (k = 0; k < NR_DEVS; k++)
		if (dev_open(&devs[k]))
			memory_of(&devs[k], nr[k], &vm[k], &vcpu[k], &st_vcpu[k]);
	print_rule(42, 3, 12);
	printf("%-42s  %12s  %12s  %12s\n", "object", "KVM", "kvmirq", "kvmirq/KVM");
	print_rule(42, 3, 12);
	print_memory_row("x86 VM with irqchip", vm);
	print_memory_row("x86 vcpu (LAPIC only)", vcpu);
	print_memory_row("x86 vcpu after QEMU's state setup", st_vcpu);
	print_rule(42, 3, 12);
	printf("\nState setup: KVM_SET_CPUID2 (KVM's supported table, %u entries), GET+SET\n"
	       "of REGS, SREGS, XSAVE, and GET+SET_MSRS of %d MSRs, as QEMU does before\n"
	       "the first run\n", devs[DEV_KVMIRQ].cpuid ? devs[DEV_KVMIRQ].cpuid->nent : 0,
	       NR_BENCH_MSRS);
}

static void lapic_sw_enable(int vcpu, struct kvm_lapic_state *lapic)
{
	/* Software-enable the LAPIC (SVR bit 8), so it accepts. */
	if (ioctl(vcpu, KVM_GET_LAPIC, lapic))
		return;
	lapic->regs[0xf0] = 0xff;
	lapic->regs[0xf1] = 0x01;
	ioctl(vcpu, KVM_SET_LAPIC, lapic);
}

/* An x86 VM with an in-kernel irqchip (if the device has one) and vcpus. */
static int create_irqchip_vm(int dev, int nr_vcpus)
{
	struct kvm_lapic_state lapic;
	int vm = ioctl(dev, KVM_CREATE_VM, 0);
	int i, vcpu;

	if (vm < 0)
		return vm;
	ioctl(vm, KVM_CREATE_IRQCHIP, 0);
	for (i = 0; i < nr_vcpus; i++) {
		vcpu = ioctl(vm, KVM_CREATE_VCPU, i);
		if (vcpu < 0)
			break;
		lapic_sw_enable(vcpu, &lapic);
		close(vcpu);
	}
	return vm;
}

/* KVM's default routes (GSI 0-23) and an MSI route on GSI_IRQFD_MSI. */
static void set_routing(struct dev *d)
{
	struct {
		struct kvm_irq_routing r;
		struct kvm_irq_routing_entry e[NR_IOAPIC_PINS + 16 + 1];
	} rt = { 0 };
	struct kvm_irq_routing_entry *e = rt.e;
	unsigned int gsi;

	for (gsi = 0; gsi < NR_IOAPIC_PINS; gsi++) {
		e->gsi = gsi;
		e->type = KVM_IRQ_ROUTING_IRQCHIP;
		e->u.irqchip.irqchip = KVM_IRQCHIP_IOAPIC;
		e->u.irqchip.pin = gsi;
		e++;
		if (gsi >= 16)
			continue;
		e->gsi = gsi;
		e->type = KVM_IRQ_ROUTING_IRQCHIP;
		e->u.irqchip.irqchip = gsi < 8 ? KVM_IRQCHIP_PIC_MASTER :
						 KVM_IRQCHIP_PIC_SLAVE;
		e->u.irqchip.pin = gsi & 7;
		e++;
	}
	e->gsi = GSI_IRQFD_MSI;
	e->type = KVM_IRQ_ROUTING_MSI;
	e->u.msi.address_lo = 0xfee00000;
	e->u.msi.data = 0x44;
	e++;
	rt.r.nr = e - rt.e;
	ioctl(d->vm, KVM_SET_GSI_ROUTING, &rt);
}

static int irqfd(struct dev *d, unsigned int gsi, int *resamplefd)
{
	struct kvm_irqfd args = { .gsi = gsi };
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	args.fd = efd;
	if (resamplefd) {
		*resamplefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		args.resamplefd = *resamplefd;
		args.flags = KVM_IRQFD_FLAG_RESAMPLE;
	}
	ioctl(d->vm, KVM_IRQFD, &args);
	return efd;
}

/* The state QEMU gives a vcpu before its first run. */
static void qemu_state_setup(struct dev *d, int vcpu)
{
	static struct kvm_xsave xsave;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct bench_msrs m;
	unsigned int i;

	ioctl(vcpu, KVM_SET_CPUID2, d->cpuid);
	if (!ioctl(vcpu, KVM_GET_REGS, &regs))
		ioctl(vcpu, KVM_SET_REGS, &regs);
	if (!ioctl(vcpu, KVM_GET_SREGS, &sregs))
		ioctl(vcpu, KVM_SET_SREGS, &sregs);
	if (!ioctl(vcpu, KVM_GET_XSAVE, &xsave))
		ioctl(vcpu, KVM_SET_XSAVE, &xsave);
	memset(&m, 0, sizeof(m));
	m.h.nmsrs = NR_BENCH_MSRS;
	for (i = 0; i < NR_BENCH_MSRS; i++)
		m.e[i].index = bench_msr_index[i];
	if (ioctl(vcpu, KVM_GET_MSRS, &m) == NR_BENCH_MSRS)
		ioctl(vcpu, KVM_SET_MSRS, &m);
}

/* The PIT's VM and the state rows' VM, apart so as not to touch d->vm. */
static void setup_state(struct dev *d)
{
	d->pit_vm = create_irqchip_vm(d->fd, 0);
	ioctl(d->pit_vm, KVM_CREATE_PIT2, &(struct kvm_pit_config){ 0 });
	ioctl(d->pit_vm, KVM_GET_PIT2, &d->pit);

	d->cpuid = calloc(1, sizeof(*d->cpuid) +
			     MAX_CPUID * sizeof(d->cpuid->entries[0]));
	d->cpuid->nent = MAX_CPUID;
	if (ioctl(d->fd, KVM_GET_SUPPORTED_CPUID, d->cpuid))
		d->cpuid->nent = 0;
	d->st_vm = create_irqchip_vm(d->fd, 0);
	d->st_vcpu = ioctl(d->st_vm, KVM_CREATE_VCPU, 0);
	/*
	 * The CPUID rows copy the whole table: both devices get KVM's (opened
	 * first), so that they copy as many entries, unless this one refuses it.
	 */
	if (d != &devs[DEV_KVM] && dev_open(&devs[DEV_KVM]) &&
	    devs[DEV_KVM].cpuid->nent &&
	    !ioctl(d->st_vcpu, KVM_SET_CPUID2, devs[DEV_KVM].cpuid))
		memcpy(d->cpuid, devs[DEV_KVM].cpuid, sizeof(*d->cpuid) +
		       MAX_CPUID * sizeof(d->cpuid->entries[0]));
	qemu_state_setup(d, d->st_vcpu);
	ioctl(d->st_vcpu, KVM_GET_REGS, &d->regs);
	ioctl(d->st_vcpu, KVM_GET_SREGS, &d->sregs);
	ioctl(d->st_vcpu, KVM_GET_XSAVE, &d->xsave);
	d->msrs.h.nmsrs = NR_BENCH_MSRS;
	for (unsigned int i = 0; i < NR_BENCH_MSRS; i++)
		d->msrs.e[i].index = bench_msr_index[i];
	ioctl(d->st_vcpu, KVM_GET_MSRS, &d->msrs);
}

static void setup(struct dev *d)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };
	__u64 *redir;

	d->vm = create_irqchip_vm(d->fd, 0);
	d->vcpu = ioctl(d->vm, KVM_CREATE_VCPU, 0);
	lapic_sw_enable(d->vcpu, &d->lapic);

	/* IOAPIC pins 16-18: unmasked, to APIC 0; 18 level-triggered. */
	d->ioapic.chip_id = KVM_IRQCHIP_IOAPIC;
	if (!ioctl(d->vm, KVM_GET_IRQCHIP, &d->ioapic)) {
		redir = (__u64 *)&d->ioapic.chip.ioapic.redirtbl[GSI_EDGE];
		redir[0] = 0x40;
		redir[1] = 0x43;
		redir[2] = 0x45 | 1 << 15;
		ioctl(d->vm, KVM_SET_IRQCHIP, &d->ioapic);
	}
	d->pic.chip_id = KVM_IRQCHIP_PIC_MASTER;
	ioctl(d->vm, KVM_GET_IRQCHIP, &d->pic);
	ioctl(d->vcpu, KVM_GET_VCPU_EVENTS, &d->events);
	d->events.flags = 0;
	set_routing(d);

	d->bcast_vm = -1;
	d->efd_msi = irqfd(d, GSI_IRQFD_MSI, NULL);
	d->efd_edge = irqfd(d, GSI_IRQFD_EDGE, NULL);
	d->efd_level = irqfd(d, GSI_IRQFD_LEVEL, &d->efd_resample);

	d->s390_vm = ioctl(d->fd, KVM_CREATE_VM, KVMIRQ_VM_S390);
	d->s390_vcpu = d->s390_vm < 0 ? -1 : ioctl(d->s390_vm, KVM_CREATE_VCPU, 0);
	d->flic = d->s390_vm < 0 || ioctl(d->s390_vm, KVM_CREATE_DEVICE, &cd) ?
		  -1 : (int)cd.fd;
	setup_state(d);
}

static void print_usage(void)
{
	fprintf(stderr, "usage: kvmirq-bench [-n CALLS] [-r RUNS<=%d] [-s] [-f TEXT] [-g]\n"
		"                    [-k KVM_DEV] [-q KVMIRQ_DEV]\n", MAX_RUNS);
	exit(2);
}

int main(int argc, char **argv)
{
	bool scaling = false;
	struct utsname u;
	int opt, k, nr_open = 0;

	while ((opt = getopt(argc, argv, "n:r:sk:q:f:g")) != -1) {
		if (opt == 'n')
			iterations = atol(optarg);
		else if (opt == 'r')
			runs = atoi(optarg);
		else if (opt == 's')
			scaling = true;
		else if (opt == 'k')
			devs[DEV_KVM].path = optarg;
		else if (opt == 'q')
			devs[DEV_KVMIRQ].path = optarg;
		else if (opt == 'f')
			filter = optarg;
		else if (opt == 'g')
			graph = true;
		else
			print_usage();
	}
	if (runs < 1 || runs > MAX_RUNS || iterations < 1)
		print_usage();

	uname(&u);
	printf("kvmirq-bench: Linux %s, %ld online CPUs\n", u.release,
	       sysconf(_SC_NPROCESSORS_ONLN));
	for (k = 0; k < NR_DEVS; k++) {
		struct dev *d = &devs[k];

		d->fd = open(d->path, O_RDWR | O_CLOEXEC);
		if (d->fd < 0) {
			printf("%s: %s: %s, its column is n/a\n", d->name, d->path,
			       strerror(errno));
			continue;
		}
		nr_open++;
		setup(d);
	}
	if (!nr_open)
		return 1;
	printf("\n");

	if (scaling) {
		bench_scaling();
		return 0;
	}
	if (graph) {
		graph_rows();
		return 0;
	}
	bench_rows();
	if (filter)
		return 0;
	for (k = 0; k < NR_DEVS; k++)
		if (dev_open(&devs[k]))
			bench_flic(&devs[k]);
	bench_memory();
	return 0;
}
