// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq-bench: cost of the hot interrupt ioctls, against a null ioctl.
 *
 * Prints, for each ioctl, the median ns per call over several runs and its
 * ratio to a null ioctl (KVM_CHECK_EXTENSION on the VM fd) measured in the
 * same run; then KVM_IRQ_LINE throughput from one and two threads; then
 * kernel memory per VM and per vcpu from the memory cgroup's own counter.
 * Runs against $KVMIRQ_DEV (default /dev/kvmirq), so /dev/kvm can be
 * measured the same way.  An ioctl the device does not implement shows
 * "n/a" with its errno.
 *
 * Usage: kvmirq-bench [-n ITERATIONS] [-r RUNS] [-m]
 *   -m  also measure memory: moves itself into a new memory cgroup
 *       (/sys/fs/cgroup/kvmirq-bench, mounting cgroup2 if needed), so it is
 *       meant for the throwaway test VM, not a shared host.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvmirq.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* FLIC attribute groups (s390 <asm/kvm.h>), in case the header lacks them. */
#ifndef KVM_DEV_FLIC_GET_ALL_IRQS
#define KVM_DEV_FLIC_GET_ALL_IRQS	1
#define KVM_DEV_FLIC_ENQUEUE		2
#define KVM_DEV_FLIC_CLEAR_IRQS		3
#endif

#define HOT_TARGET	1.3	/* hot single-item ioctl / null ioctl */
#define SCALE_TARGET	1.9	/* two VMs on two threads / one thread */
#define VM_BYTES_TARGET	(16 * 1024)
#define VCPU_BYTES_TARGET (4 * 1024)

static long iterations = 20000;
static int runs = 7;

struct ctx {
	int dev;
	int vm;			/* x86 VM with irqchip, vcpu 0 */
	int vcpu;
	int bcast_vm;		/* x86 VM with 64 vcpus */
	int efd;		/* irqfd on GSI 17 */
	int s390_vm;
	int s390_vcpu;
	int flic;
	struct kvm_irqchip pic, ioapic;
	struct kvm_lapic_state lapic;
	struct kvm_vcpu_events events;
	struct kvm_s390_irq *flic_buf;
	long flic_pending;
};

typedef long (*op_fn)(struct ctx *c, long i);

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

/* Median over runs of ns per call; -errno if the first call fails. */
static double measure(struct ctx *c, op_fn op, long n)
{
	double t[32], start;
	long i;
	int r;

	if (op(c, 0) < 0)
		return -errno;
	for (r = 0; r < runs; r++) {
		start = now_ns();
		for (i = 0; i < n; i++)
			op(c, i);
		t[r] = (now_ns() - start) / n;
	}
	qsort(t, runs, sizeof(t[0]), cmp_double);
	return t[runs / 2];
}

static long op_null(struct ctx *c, long i)
{
	return ioctl(c->vm, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP);
}

static long irq_line(int vm, unsigned long nr, unsigned int gsi, unsigned int level)
{
	struct kvm_irq_level irq = { .irq = gsi, .level = level };

	return ioctl(vm, nr, &irq);
}

static long op_irq_edge(struct ctx *c, long i)
{
	return irq_line(c->vm, KVM_IRQ_LINE, 16, i & 1);
}

static long op_irq_hold(struct ctx *c, long i)
{
	return irq_line(c->vm, KVM_IRQ_LINE, 4, 1);
}

static long op_irq_status(struct ctx *c, long i)
{
	return irq_line(c->vm, KVM_IRQ_LINE_STATUS, 16, i & 1);
}

static long signal_msi(int vm, unsigned int dest, unsigned int vector)
{
	struct kvm_msi msi = {
		.address_lo = 0xfee00000 | dest << 12,
		.data = vector,
	};

	return ioctl(vm, KVM_SIGNAL_MSI, &msi);
}

static long op_msi_one(struct ctx *c, long i)
{
	return signal_msi(c->vm, 0, 0x41);
}

static long op_msi_bcast(struct ctx *c, long i)
{
	return signal_msi(c->bcast_vm, 0xff, 0x42);
}

static long op_irqfd(struct ctx *c, long i)
{
	return eventfd_write(c->efd, 1);
}

static long op_get_pic(struct ctx *c, long i)
{
	return ioctl(c->vm, KVM_GET_IRQCHIP, &c->pic);
}

static long op_set_pic(struct ctx *c, long i)
{
	return ioctl(c->vm, KVM_SET_IRQCHIP, &c->pic);
}

static long op_get_ioapic(struct ctx *c, long i)
{
	return ioctl(c->vm, KVM_GET_IRQCHIP, &c->ioapic);
}

static long op_set_ioapic(struct ctx *c, long i)
{
	return ioctl(c->vm, KVM_SET_IRQCHIP, &c->ioapic);
}

static long op_get_lapic(struct ctx *c, long i)
{
	return ioctl(c->vcpu, KVM_GET_LAPIC, &c->lapic);
}

static long op_set_lapic(struct ctx *c, long i)
{
	return ioctl(c->vcpu, KVM_SET_LAPIC, &c->lapic);
}

static long op_get_events(struct ctx *c, long i)
{
	return ioctl(c->vcpu, KVM_GET_VCPU_EVENTS, &c->events);
}

static long op_set_events(struct ctx *c, long i)
{
	return ioctl(c->vcpu, KVM_SET_VCPU_EVENTS, &c->events);
}

static long op_pic_ack(struct ctx *c, long i)
{
	struct kvmirq_ack ack = { 0 };

	return ioctl(c->vm, KVMIRQ_GUEST_ACK, &ack);
}

static long op_cpu_ack(struct ctx *c, long i)
{
	struct kvmirq_ack ack = { 0 };

	return ioctl(c->vcpu, KVMIRQ_GUEST_ACK, &ack);
}

static long op_lapic_eoi(struct ctx *c, long i)
{
	struct kvmirq_eoi eoi = { 0 };

	return ioctl(c->vcpu, KVMIRQ_GUEST_EOI, &eoi);
}

static long op_s390_irq(struct ctx *c, long i)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_INT_CPU_TIMER };

	return ioctl(c->s390_vcpu, KVM_S390_IRQ, &irq);
}

static long flic_attr(struct ctx *c, unsigned long nr, unsigned int group,
		      void *buf, unsigned long len)
{
	struct kvm_device_attr attr = {
		.group = group, .attr = len, .addr = (unsigned long)buf,
	};

	return ioctl(c->flic, nr, &attr);
}

static long op_flic_enqueue(struct ctx *c, long i)
{
	/* An I/O interrupt, ISC 3: each enqueue adds one entry. */
	struct kvm_s390_irq irq = {
		.type = KVM_S390_INT_IO(0, 0, 0, 1),
		.u.io = { .subchannel_id = 1, .io_int_word = 3 << 27 },
	};

	return flic_attr(c, KVM_SET_DEVICE_ATTR, KVM_DEV_FLIC_ENQUEUE, &irq,
			 sizeof(irq));
}

static long op_flic_get_all(struct ctx *c, long i)
{
	return flic_attr(c, KVM_GET_DEVICE_ATTR, KVM_DEV_FLIC_GET_ALL_IRQS,
			 c->flic_buf, c->flic_pending * sizeof(*c->flic_buf));
}

static void flic_fill(struct ctx *c, long pending)
{
	long i;

	flic_attr(c, KVM_SET_DEVICE_ATTR, KVM_DEV_FLIC_CLEAR_IRQS, NULL, 0);
	for (i = 0; i < pending; i++)
		op_flic_enqueue(c, i);
	c->flic_pending = pending;
}

static void print_row(const char *name, double ns, double null_ns, bool hot)
{
	double ratio;

	if (ns < 0) {
		printf("  %-42s %10s %8s   (%s)\n", name, "n/a", "",
		       strerrorname_np((int)-ns));
		return;
	}
	ratio = ns / null_ns;
	printf("  %-42s %10.1f %7.2fx", name, ns, ratio);
	if (hot)
		printf("   target <= %.1fx: %s", HOT_TARGET,
		       ratio <= HOT_TARGET ? "met" : "MISSED");
	printf("\n");
}

struct row {
	const char *name;
	op_fn op;
	bool hot;
};

static void run_rows(struct ctx *c, const struct row *rows, size_t nr,
		     double null_ns)
{
	size_t i;

	for (i = 0; i < nr; i++)
		print_row(rows[i].name, measure(c, rows[i].op, iterations),
			  null_ns, rows[i].hot);
}

static void bench_x86(struct ctx *c, double null_ns)
{
	static const struct row rows[] = {
		{ "KVM_IRQ_LINE edge toggle (GSI 16)", op_irq_edge, true },
		{ "KVM_IRQ_LINE level hold (GSI 4)", op_irq_hold, true },
		{ "KVM_IRQ_LINE_STATUS (GSI 16)", op_irq_status, true },
		{ "KVM_SIGNAL_MSI fixed, one LAPIC", op_msi_one, true },
		{ "KVM_SIGNAL_MSI broadcast, 64 vcpus", op_msi_bcast, false },
		{ "irqfd trigger (eventfd write, GSI 17)", op_irqfd, true },
		{ "KVM_GET_IRQCHIP PIC master", op_get_pic, true },
		{ "KVM_SET_IRQCHIP PIC master", op_set_pic, true },
		{ "KVM_GET_IRQCHIP IOAPIC", op_get_ioapic, true },
		{ "KVM_SET_IRQCHIP IOAPIC", op_set_ioapic, true },
		{ "KVM_GET_LAPIC", op_get_lapic, true },
		{ "KVM_SET_LAPIC", op_set_lapic, true },
		{ "KVM_GET_VCPU_EVENTS", op_get_events, true },
		{ "KVM_SET_VCPU_EVENTS", op_set_events, true },
		{ "KVMIRQ_GUEST_ACK, PIC INTA (VM fd)", op_pic_ack, true },
		{ "KVMIRQ_GUEST_ACK, CPU (vcpu fd)", op_cpu_ack, true },
		{ "KVMIRQ_GUEST_EOI, LAPIC (vcpu fd)", op_lapic_eoi, true },
	};

	run_rows(c, rows, ARRAY_SIZE(rows), null_ns);
}

static void bench_s390(struct ctx *c, double null_ns)
{
	static const long pending[] = { 1, 1000, 100000 };
	double ns, start;
	char name[64];
	size_t i;
	long n, k;
	int r;

	print_row("KVM_S390_IRQ (CPU timer)", measure(c, op_s390_irq, iterations),
		  null_ns, true);

	/* ENQUEUE grows the queue: time batches, clear between them. */
	ns = -EOPNOTSUPP;
	flic_fill(c, 0);
	if (op_flic_enqueue(c, 0) < 0) {
		ns = -errno;
	} else {
		double t[32];

		for (r = 0; r < runs; r++) {
			flic_fill(c, 0);
			start = now_ns();
			for (k = 0; k < iterations; k++)
				op_flic_enqueue(c, k);
			t[r] = (now_ns() - start) / iterations;
		}
		qsort(t, runs, sizeof(t[0]), cmp_double);
		ns = t[runs / 2];
	}
	print_row("FLIC ENQUEUE, 1 interrupt", ns, null_ns, true);

	c->flic_buf = malloc(pending[ARRAY_SIZE(pending) - 1] * sizeof(*c->flic_buf));
	for (i = 0; i < ARRAY_SIZE(pending); i++) {
		flic_fill(c, pending[i]);
		snprintf(name, sizeof(name), "FLIC GET_ALL_IRQS, %ld pending", pending[i]);
		n = pending[i] >= 100000 ? 20 : pending[i] >= 1000 ? 1000 : iterations;
		ns = measure(c, op_flic_get_all, n);
		print_row(name, ns, null_ns, false);
		if (ns > 0)
			printf("  %-42s %10.2f ns per pending interrupt\n", "",
			       ns / pending[i]);
	}
	flic_fill(c, 0);
	free(c->flic_buf);
}

struct line_thread {
	int vm;
	unsigned int gsi;
	long calls;
};

static void *line_thread(void *arg)
{
	struct line_thread *t = arg;
	long i;

	for (i = 0; i < t->calls; i++)
		irq_line(t->vm, KVM_IRQ_LINE, t->gsi, i & 1);
	return NULL;
}

/* KVM_IRQ_LINE calls per second, summed over threads. */
static double line_throughput(struct line_thread *t, int nr)
{
	pthread_t tid[2];
	double wall = now_ns();
	long calls = 0;
	int i;

	for (i = 0; i < nr; i++)
		pthread_create(&tid[i], NULL, line_thread, &t[i]);
	for (i = 0; i < nr; i++) {
		pthread_join(tid[i], NULL);
		calls += t[i].calls;
	}
	return calls / ((now_ns() - wall) / 1e9);
}

static int create_irqchip_vm(int dev, int nr_vcpus);

static void bench_scaling(struct ctx *c)
{
	long n = iterations * 10;
	struct line_thread one[1] = { { c->vm, 16, n } };
	struct line_thread same[2] = { { c->vm, 16, n }, { c->vm, 17, n } };
	struct line_thread two[2] = { { c->vm, 16, n }, { -1, 16, n } };
	double t1, t2, t3;

	if (irq_line(c->vm, KVM_IRQ_LINE, 16, 0) < 0) {
		printf("  KVM_IRQ_LINE n/a (%s)\n", strerrorname_np(errno));
		return;
	}
	two[1].vm = create_irqchip_vm(c->dev, 0);
	t1 = line_throughput(one, 1);
	t2 = line_throughput(same, 2);
	t3 = line_throughput(two, 2);
	printf("  %-42s %10.0f calls/s\n", "1 thread, 1 VM", t1);
	printf("  %-42s %10.0f calls/s  %.2fx\n", "2 threads, 1 VM (GSI 16, 17)", t2, t2 / t1);
	printf("  %-42s %10.0f calls/s  %.2fx   target >= %.1fx: %s\n",
	       "2 threads, 2 VMs", t3, t3 / t1, SCALE_TARGET,
	       t3 / t1 >= SCALE_TARGET ? "met" : "MISSED");
	close(two[1].vm);
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

/* Moves this process into its own memory cgroup; false if there is none. */
static bool enter_bench_cgroup(void)
{
	char pid[32];

	mkdir("/sys/fs/cgroup", 0755);
	/* Fails harmlessly where cgroup2 is already mounted. */
	mount("none", "/sys/fs/cgroup", "cgroup2", 0, NULL);
	write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	mkdir("/sys/fs/cgroup/kvmirq-bench", 0755);
	snprintf(pid, sizeof(pid), "%d", getpid());
	return write_file("/sys/fs/cgroup/kvmirq-bench/cgroup.procs", pid) &&
	       !access("/sys/fs/cgroup/kvmirq-bench/memory.current", R_OK);
}

static long memcg_current(void)
{
	char buf[64] = "";
	int fd = open("/sys/fs/cgroup/kvmirq-bench/memory.current", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atol(buf) : -1;
}

static void bench_memory(struct ctx *c)
{
	/* Many objects, so the memcg's per-cpu charge batches are noise. */
	enum { NR_VMS = 1000, NR_VCPUS = 1000 };
	static int fds[NR_VMS + NR_VCPUS];
	long before, after;
	double per;
	int vm, i;

	if (!enter_bench_cgroup()) {
		printf("  memory cgroup not available: n/a\n");
		return;
	}
	before = memcg_current();
	for (i = 0; i < NR_VMS; i++)
		fds[i] = create_irqchip_vm(c->dev, 0);
	after = memcg_current();
	for (i = 0; i < NR_VMS; i++)
		close(fds[i]);
	per = (double)(after - before) / NR_VMS;
	printf("  %-42s %10.0f bytes   target <= %d: %s\n",
	       "per VM with irqchip (1000 VMs, fd included)", per, VM_BYTES_TARGET,
	       per <= VM_BYTES_TARGET ? "met" : "MISSED");

	vm = create_irqchip_vm(c->dev, 0);
	before = memcg_current();
	for (i = 0; i < NR_VCPUS; i++)
		fds[i] = ioctl(vm, KVM_CREATE_VCPU, i);
	after = memcg_current();
	for (i = 0; i < NR_VCPUS; i++)
		close(fds[i]);
	close(vm);
	per = (double)(after - before) / NR_VCPUS;
	printf("  %-42s %10.0f bytes   target <= %d: %s\n",
	       "per x86 vcpu (1000 vcpus, fd included)", per, VCPU_BYTES_TARGET,
	       per <= VCPU_BYTES_TARGET ? "met" : "MISSED");
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
		/* Software-enable the LAPIC (SVR bit 8), so it accepts. */
		if (!ioctl(vcpu, KVM_GET_LAPIC, &lapic)) {
			lapic.regs[0xf0] = 0xff;
			lapic.regs[0xf1] = 0x01;
			ioctl(vcpu, KVM_SET_LAPIC, &lapic);
		}
		if (i)
			close(vcpu);
	}
	return vm;
}

static void setup(struct ctx *c)
{
	struct kvm_irqfd irqfd = { .gsi = 17 };
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };
	__u64 *redir;

	c->vm = create_irqchip_vm(c->dev, 0);
	c->vcpu = ioctl(c->vm, KVM_CREATE_VCPU, 0);
	ioctl(c->vcpu, KVM_GET_LAPIC, &c->lapic);
	c->lapic.regs[0xf0] = 0xff;
	c->lapic.regs[0xf1] = 0x01;
	ioctl(c->vcpu, KVM_SET_LAPIC, &c->lapic);

	/* IOAPIC pins 16 and 17: unmasked, edge, vectors 0x40/0x43 to APIC 0. */
	c->ioapic.chip_id = KVM_IRQCHIP_IOAPIC;
	if (!ioctl(c->vm, KVM_GET_IRQCHIP, &c->ioapic)) {
		redir = (__u64 *)&c->ioapic.chip.ioapic.redirtbl[16];
		redir[0] = 0x40;
		redir[1] = 0x43;
		ioctl(c->vm, KVM_SET_IRQCHIP, &c->ioapic);
	}
	c->pic.chip_id = KVM_IRQCHIP_PIC_MASTER;
	ioctl(c->vm, KVM_GET_IRQCHIP, &c->pic);
	ioctl(c->vcpu, KVM_GET_VCPU_EVENTS, &c->events);
	c->events.flags = 0;

	c->bcast_vm = create_irqchip_vm(c->dev, 64);
	c->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	irqfd.fd = c->efd;
	ioctl(c->vm, KVM_IRQFD, &irqfd);

	c->s390_vm = ioctl(c->dev, KVM_CREATE_VM, KVMIRQ_VM_S390);
	c->s390_vcpu = ioctl(c->s390_vm, KVM_CREATE_VCPU, 0);
	c->flic = ioctl(c->s390_vm, KVM_CREATE_DEVICE, &cd) ? -1 : (int)cd.fd;
}

int main(int argc, char **argv)
{
	const char *path = getenv("KVMIRQ_DEV");
	struct ctx c = { 0 };
	bool memory = false;
	double null_ns;
	int opt;

	while ((opt = getopt(argc, argv, "n:r:m")) != -1) {
		if (opt == 'n')
			iterations = atol(optarg);
		else if (opt == 'r')
			runs = atoi(optarg);
		else if (opt == 'm')
			memory = true;
	}
	if (runs < 1 || runs > 31 || iterations < 1) {
		fprintf(stderr, "usage: kvmirq-bench [-n ITERATIONS] [-r RUNS<=31] [-m]\n");
		return 2;
	}
	if (!path || !*path)
		path = "/dev/kvmirq";
	c.dev = open(path, O_RDWR | O_CLOEXEC);
	if (c.dev < 0) {
		fprintf(stderr, "kvmirq-bench: %s: %s\n", path, strerror(errno));
		return 1;
	}
	setup(&c);

	null_ns = measure(&c, op_null, iterations);
	printf("kvmirq-bench on %s: median of %d runs of %ld calls, ns per call\n",
	       path, runs, iterations);
	printf("  %-42s %10s %8s\n", "ioctl", "ns/call", "/null");
	printf("  %-42s %10.1f %7.2fx\n", "null: KVM_CHECK_EXTENSION on the VM fd",
	       null_ns, 1.0);
	bench_x86(&c, null_ns);
	if (c.s390_vm >= 0)
		bench_s390(&c, null_ns);
	else
		printf("  s390 machine type: n/a on %s\n", path);

	printf("KVM_IRQ_LINE throughput (edge toggles)\n");
	bench_scaling(&c);
	if (memory) {
		printf("Kernel memory, from the memory cgroup's memory.current\n");
		bench_memory(&c);
	}
	return 0;
}
