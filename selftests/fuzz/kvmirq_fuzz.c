// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq_fuzz: a seeded ioctl fuzzer for /dev/kvmirq.
 *
 * Several threads issue ioctls on the system fd and on the VM, vcpu and
 * device fds of several VMs of both machine types: the ioctls of the table
 * below with valid-ish arguments, the same mutated (bit flips, extreme
 * values, every flag bit) or fully random, hostile pointers (NULL, unmapped,
 * read-only, kernel addresses, misaligned, straddling an unmapped page),
 * random ioctl numbers; and they create, close, dup and mmap fds, create
 * eventfds (for KVM_IRQFD), read binary stats fds, fork children that use
 * the inherited fds, and drop or write-protect the guest memory behind
 * s390 memslots (where FLIC adapter mappings pin pages), while the other
 * threads keep using them.  Every epoch ends with all fds
 * closed, so every VM is torn down.
 *
 * The kernel log is the judge (KASAN, lockdep, ...); errnos are counted,
 * never judged.  The program itself fails (exit 1) only if it crashes, a
 * thread hangs in the kernel, or the kernel writes past an argument struct.
 * The seed is printed first: "kvmirq_fuzz -s SEED" replays the same
 * sequence in every thread (thread interleavings differ); "-t 1 -c N -n E"
 * (E epochs of N calls, one thread) replays exactly, "-v" logs each call.
 * See Documentation/reliability.rst.
 *
 * To fuzz a new ioctl: one row in ioctls[] (and a fill function for
 * valid-ish contents if random bytes rarely get past its checks).
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvmirq.h>
#include <linux/types.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

enum fd_kind { FD_SYS, FD_VM, FD_VCPU, FD_DEV, FD_EVENT, FD_STATS, NR_FD_KINDS };
#define BIT(n)		(1u << (n))
#define ON_SYS		BIT(FD_SYS)
#define ON_VM		BIT(FD_VM)
#define ON_VCPU		BIT(FD_VCPU)
#define ON_DEV		BIT(FD_DEV)
#define ON_EVENT	BIT(FD_EVENT)
#define ON_STATS	BIT(FD_STATS)
static const char *const kind_names[] = {
	"system", "VM", "vcpu", "device", "eventfd", "stats",
};

struct fz;

/*
 * One ioctl the fuzzer knows.  @val gives the argument of an ioctl that
 * takes a value; @fill writes valid-ish contents of a struct argument and
 * returns its size (for variable-size structs), or 0 for @size.
 */
struct fz_ioctl {
	const char *name;
	unsigned long nr;
	unsigned int on;
	size_t size;
	unsigned long (*val)(struct fz *t);
	size_t (*fill)(struct fz *t, void *buf);
};

/* The shared table of open fds; racy on purpose, entries read atomically. */
struct slot {
	int fd;
	int kind;
	int s390;
};

#define NR_SLOTS	48
#define NR_MAPS		8
#define ARENA_PAGES	4	/* [aux][struct][struct][guard] */
#define CANARY		0x5c
#define CANARY_LEN	64
#define MIB		0x100000ul
#define GUEST_MIB	16	/* guest memory for s390 memslots, shared */
#define MAX_ROWS	128	/* rows of ioctls[] */
#define MAX_THREADS	64
#define NR_ERRNOS	160	/* errnos counted one by one */

struct fz {
	int id;
	__u64 rng;
	unsigned char *arena;	/* ARENA_PAGES, the last one PROT_NONE */
	unsigned char *ro;	/* one read-only page */
	void *maps[NR_MAPS];
	unsigned long calls;
	unsigned long errnos[NR_ERRNOS];
	unsigned long created[NR_FD_KINDS];
	unsigned long closes;
	unsigned long row_ok[MAX_ROWS];	/* successes per ioctls[] row */
	unsigned long pinned_maps;	/* adapter MAPs that pinned a page */
	const char *doing;	/* for the watchdog and the crash report */
	int doing_kind;
	pthread_t thread;
};

static struct slot slots[NR_SLOTS];
static unsigned char *guest_mem;	/* GUEST_MIB, 1 MiB aligned */
static int sys_fd = -1;
static long page_size;
static const char *dev_path;
static __u64 seed;
static unsigned int nthreads = 4, duration = 60, epoch_secs = 5, verbose;
static unsigned long calls_per_epoch, nepochs = 1;
static int stop_epoch, failed;	/* __atomic accesses */
static struct fz *threads;

static __u64 rnd(struct fz *t)
{
	/* splitmix64 */
	__u64 z = (t->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned int pick(struct fz *t, unsigned int n)
{
	return rnd(t) % n;
}

static int chance(struct fz *t, unsigned int percent)
{
	return pick(t, 100) < percent;
}

/* Values that sit at the edges of what checks usually test. */
static __u64 edgy(struct fz *t)
{
	static const __u64 v[] = {
		0, 1, 2, 3, 7, 8, 15, 16, 23, 24, 31, 32, 63, 64, 127, 128, 255,
		256, 1023, 1024, 4095, 4096, 0x7fff, 0xffff, 0x10000, 0x7fffffff,
		0x80000000, 0xffffffff, 0x100000000ull, 0x7fffffffffffffffull,
		0x8000000000000000ull, ~0ull, 247, 248, 0xfec00000, 0xfee00000,
	};

	if (chance(t, 25))
		return 1ull << pick(t, 64);
	if (chance(t, 10))
		return rnd(t);
	return v[pick(t, ARRAY_SIZE(v))];
}

/* ---- valid-ish contents, one function per struct ---- */

static unsigned long val_zero(struct fz *t)
{
	return chance(t, 90) ? 0 : edgy(t);
}

static unsigned long val_vm_type(struct fz *t)
{
	return chance(t, 45) ? KVMIRQ_VM_X86 : chance(t, 80) ? KVMIRQ_VM_S390 : edgy(t);
}

static unsigned long val_cap(struct fz *t)
{
	static const unsigned long caps[] = {
		KVM_CAP_IRQCHIP, KVM_CAP_NR_VCPUS, KVM_CAP_MAX_VCPUS,
		KVM_CAP_MAX_VCPU_ID, KVM_CAP_DEVICE_CTRL, KVM_CAP_IRQ_ROUTING,
		KVM_CAP_SPLIT_IRQCHIP, KVM_CAP_X2APIC_API, KVM_CAP_S390_IRQCHIP,
		KVM_CAP_CHECK_EXTENSION_VM, KVMIRQ_CAP_ABI_VERSION,
		KVMIRQ_CAP_GUEST_ACTIONS, KVM_CAP_EXCEPTION_PAYLOAD,
		KVM_CAP_X86_TRIPLE_FAULT_EVENT, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2,
		KVM_CAP_XSAVE2, KVM_CAP_MULTI_ADDRESS_SPACE, KVM_CAP_X86_MSR_FILTER,
	};

	return chance(t, 80) ? caps[pick(t, ARRAY_SIZE(caps))] : edgy(t);
}

static unsigned long val_vcpu_id(struct fz *t)
{
	return chance(t, 85) ? pick(t, 8) : edgy(t);
}

static unsigned long val_irq(struct fz *t)
{
	return chance(t, 80) ? pick(t, 256) : edgy(t);
}

/* A pointer for a struct member that points to more data. */
static __u64 aux_ptr(struct fz *t)
{
	if (chance(t, 80))
		return (unsigned long)(t->arena + pick(t, page_size / 8) * 8);
	switch (pick(t, 4)) {
	case 0: return 0;
	case 1: return (unsigned long)(t->arena + (ARENA_PAGES - 1) * page_size);
	case 2: return (unsigned long)t->ro;
	default: return edgy(t);
	}
}

static size_t fill_create_device(struct fz *t, void *buf)
{
	struct kvm_create_device *cd = buf;

	cd->type = chance(t, 70) ? KVM_DEV_TYPE_FLIC : chance(t, 70) ? pick(t, 16) : edgy(t);
	cd->fd = rnd(t);
	cd->flags = chance(t, 50) ? 0 : chance(t, 50) ? KVM_CREATE_DEVICE_TEST : edgy(t);
	return 0;
}

static size_t fill_device_attr(struct fz *t, void *buf)
{
	struct kvm_device_attr *a = buf;

	a->flags = chance(t, 85) ? 0 : edgy(t);
	a->group = chance(t, 85) ? pick(t, 16) : edgy(t);
	a->attr = chance(t, 70) ? pick(t, 64) : edgy(t);
	a->addr = aux_ptr(t);
	return 0;
}

static __u64 s390_irq_type(struct fz *t);

/* A guest address: mostly inside the memslots fill_memory_region makes. */
static __u64 guest_addr(struct fz *t)
{
	if (chance(t, 90))
		return pick(t, GUEST_MIB) * MIB + pick(t, MIB / 8) * 8;
	return edgy(t);
}

static size_t fill_memory_region(struct fz *t, void *buf)
{
	struct kvm_userspace_memory_region *r = buf;

	r->slot = chance(t, 90) ? pick(t, 4) | (chance(t, 20) ? 1 << 16 : 0) : edgy(t);
	r->flags = chance(t, 70) ? 0 : chance(t, 80) ? pick(t, 4) : edgy(t);
	r->guest_phys_addr = chance(t, 90) ? pick(t, GUEST_MIB) * MIB : edgy(t);
	r->memory_size = chance(t, 90) ? pick(t, 5) * MIB : edgy(t);
	r->userspace_addr = (unsigned long)guest_mem + pick(t, GUEST_MIB) * MIB;
	if (chance(t, 10))
		r->userspace_addr = chance(t, 50) ? edgy(t) : r->userspace_addr + 8;
	return 0;
}

/*
 * FLIC attributes with structured contents in the aux page: adapters
 * registered, masked, mapped onto guest memory (pinning its pages) and
 * unmapped, floating interrupts queued, cleared and injected.
 */
static size_t fill_flic_attr(struct fz *t, void *buf)
{
	struct kvm_s390_io_adapter *ad = (void *)t->arena;
	struct kvm_s390_io_adapter_req *req = (void *)t->arena;
	struct kvm_s390_irq *irqs = (void *)t->arena;
	struct kvm_device_attr *a = buf;
	unsigned int i, n;

	memset(t->arena, 0, page_size);
	a->flags = 0;
	a->attr = 0;
	a->addr = (unsigned long)t->arena;
	a->group = 1 + pick(t, KVM_DEV_FLIC_AISM_ALL);
	switch (a->group) {
	case KVM_DEV_FLIC_ADAPTER_REGISTER:
		ad->id = chance(t, 95) ? pick(t, 66) : edgy(t);
		ad->isc = pick(t, 9);
		ad->maskable = pick(t, 2);
		ad->swap = pick(t, 2);
		ad->flags = chance(t, 80) ? pick(t, 2) : edgy(t);
		break;
	case KVM_DEV_FLIC_ADAPTER_MODIFY:
		req->id = chance(t, 95) ? pick(t, 66) : edgy(t);
		req->type = chance(t, 95) ? 1 + pick(t, 3) : edgy(t);
		req->mask = pick(t, 2);
		req->addr = guest_addr(t);
		break;
	case KVM_DEV_FLIC_ENQUEUE:
		n = pick(t, 9);
		for (i = 0; i < n; i++) {
			irqs[i].type = s390_irq_type(t);
			irqs[i].u.ext.ext_params = pick(t, 256);
			irqs[i].u.ext.ext_params2 = guest_addr(t);
		}
		a->attr = chance(t, 90) ? n * sizeof(*irqs) : edgy(t);
		break;
	case KVM_DEV_FLIC_GET_ALL_IRQS:
		a->attr = chance(t, 90) ? pick(t, page_size / sizeof(*irqs)) *
			  sizeof(*irqs) : edgy(t);
		/* More than the aux page: only into the guard page (EFAULT). */
		if (a->attr > page_size)
			a->addr = (unsigned long)t->arena + (ARENA_PAGES - 1) * page_size;
		break;
	case KVM_DEV_FLIC_AIRQ_INJECT:
	case KVM_DEV_FLIC_CLEAR_IO_IRQ:
		a->attr = pick(t, 66);
		memcpy(t->arena, &a->attr, 4);
		break;
	default:
		a->attr = pick(t, 8);
		memcpy(t->arena, &a->attr, 4);
		break;
	}
	return 0;
}

static size_t fill_msrs(struct fz *t, void *buf)
{
	/* The LAPIC's, then the vcpu state's: TSC, SYSENTER, MCE, MTRRs, EFER ... */
	static const __u32 msrs[] = {
		0x1b, 0x802, 0x803, 0x808, 0x80b, 0x80f, 0x830, 0x83f, 0x6e0,
		0x10, 0x3a, 0x3b, 0x8b, 0xfe, 0x174, 0x175, 0x176, 0x179, 0x17a,
		0x17b, 0x1a0, 0x200, 0x201, 0x20f, 0x250, 0x258, 0x268, 0x277,
		0x2ff, 0x400, 0x401, 0x405, 0x47f, 0x280, 0xc0000080, 0xc0000081,
		0xc0000082, 0xc0000084, 0xc0000100, 0xc0000102, 0xc0000103,
		0x4b564d00, 0x4b564d01, 0x4b564d02, 0x4b564d04, 0x4b564d05,
	};
	struct kvm_msrs *m = buf;
	unsigned int i, n = pick(t, 5);

	m->nmsrs = chance(t, 90) ? n : edgy(t);
	m->pad = chance(t, 95) ? 0 : edgy(t);
	for (i = 0; i < n; i++) {
		m->entries[i].index = chance(t, 80) ? msrs[pick(t, ARRAY_SIZE(msrs))] :
				      0x800 + pick(t, 0x100);
		m->entries[i].data = chance(t, 50) ? pick(t, 256) : rnd(t);
	}
	return sizeof(*m) + n * sizeof(m->entries[0]);
}

static size_t fill_enable_cap(struct fz *t, void *buf)
{
	struct kvm_enable_cap *c = buf;
	int i;

	c->cap = val_cap(t);
	c->flags = chance(t, 85) ? 0 : edgy(t);
	for (i = 0; i < 4; i++)
		c->args[i] = chance(t, 50) ? pick(t, 4) : edgy(t);
	return 0;
}

static size_t fill_guest_io(struct fz *t, void *buf)
{
	static const __u64 ports[] = { 0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1, 0x80,
				       0x40, 0x41, 0x42, 0x43, 0x61 };
	static const __u64 mmio[] = { 0xfec00000, 0xfec00010, 0xfee00000, 0xfee000b0,
					 0xfee00300, 0xfee00310, 0xfee00020 };
	static const __u32 lens[] = { 1, 2, 4, 8 };
	struct kvmirq_io *io = buf;

	io->space = chance(t, 90) ? pick(t, 3) : edgy(t);
	io->len = chance(t, 90) ? lens[pick(t, 4)] : edgy(t);
	io->flags = chance(t, 50) ? 0 : chance(t, 90) ? KVMIRQ_IO_WRITE : edgy(t);
	io->pad = chance(t, 95) ? 0 : edgy(t);
	switch (io->space) {
	case KVMIRQ_SPACE_PIO:
		io->addr = ports[pick(t, ARRAY_SIZE(ports))];
		break;
	case KVMIRQ_SPACE_MMIO:
		io->addr = mmio[pick(t, ARRAY_SIZE(mmio))] + (chance(t, 20) ? pick(t, 0x400) : 0);
		break;
	default:
		io->addr = chance(t, 50) ? 0x1b : 0x800 + pick(t, 0x100);
		break;
	}
	io->data = rnd(t);
	if (io->len < 8 && chance(t, 90))
		io->data &= (1ull << (8 * (io->len & 7))) - 1;
	return 0;
}

static size_t fill_guest_ack(struct fz *t, void *buf)
{
	struct kvmirq_ack *a = buf;

	a->flags = chance(t, 90) ? 0 : edgy(t);
	a->pad = chance(t, 90) ? 0 : edgy(t);
	a->source = rnd(t);
	a->vector = rnd(t);
	return 0;
}

static size_t fill_guest_eoi(struct fz *t, void *buf)
{
	struct kvmirq_eoi *e = buf;

	e->vector = chance(t, 30) ? 0 : val_irq(t);
	e->flags = chance(t, 90) ? 0 : edgy(t);
	return 0;
}

static size_t fill_s390_deliver(struct fz *t, void *buf)
{
	struct kvmirq_s390_deliver *d = buf;

	d->psw_mask = chance(t, 50) ? ~0ull : rnd(t);
	d->cr0 = chance(t, 50) ? ~0ull : rnd(t);
	d->cr6 = chance(t, 50) ? ~0ull : rnd(t);
	d->cr14 = chance(t, 50) ? ~0ull : rnd(t);
	d->flags = chance(t, 90) ? pick(t, 8) : edgy(t);
	d->pad = chance(t, 90) ? 0 : edgy(t);
	return 0;
}

static __u64 s390_irq_type(struct fz *t)
{
	static const __u64 types[] = {
		KVM_S390_SIGP_STOP, KVM_S390_PROGRAM_INT, KVM_S390_SIGP_SET_PREFIX,
		KVM_S390_RESTART, KVM_S390_INT_PFAULT_INIT, KVM_S390_INT_PFAULT_DONE,
		KVM_S390_MCHK, KVM_S390_INT_CLOCK_COMP, KVM_S390_INT_CPU_TIMER,
		KVM_S390_INT_VIRTIO, KVM_S390_INT_SERVICE, KVM_S390_INT_EMERGENCY,
		KVM_S390_INT_EXTERNAL_CALL, KVM_S390_INT_IO(0, 0, 0, 1),
		KVM_S390_INT_IO(1, 0, 0, 0),
	};

	return chance(t, 85) ? types[pick(t, ARRAY_SIZE(types))] : edgy(t);
}

static size_t fill_s390_interrupt(struct fz *t, void *buf)
{
	struct kvm_s390_interrupt *s = buf;

	s->type = s390_irq_type(t);
	s->parm = chance(t, 50) ? pick(t, 256) : rnd(t);
	s->parm64 = chance(t, 50) ? pick(t, 256) : rnd(t);
	return 0;
}

static size_t fill_s390_irq(struct fz *t, void *buf)
{
	struct kvm_s390_irq *irq = buf;

	irq->type = s390_irq_type(t);
	if (chance(t, 60))
		irq->u.emerg.code = pick(t, 256);
	return 0;
}

/* For SET: mostly valid local interrupts in the aux page. */
static size_t fill_s390_irq_state(struct fz *t, void *buf)
{
	struct kvm_s390_irq *irqs = (void *)t->arena;
	struct kvm_s390_irq_state *s = buf;
	unsigned int i, n = pick(t, 8);

	s->buf = aux_ptr(t);
	s->len = chance(t, 70) ? n * sizeof(*irqs) : edgy(t);
	s->flags = chance(t, 90) ? 0 : edgy(t);
	if (chance(t, 50)) {
		memset(irqs, 0, n * sizeof(*irqs));
		for (i = 0; i < n; i++)
			fill_s390_irq(t, &irqs[i]);
		s->buf = (unsigned long)irqs;
	}
	return 0;
}

static size_t fill_irq_level(struct fz *t, void *buf)
{
	struct kvm_irq_level *l = buf;

	l->irq = chance(t, 85) ? pick(t, 32) : edgy(t);
	l->level = chance(t, 90) ? pick(t, 2) : edgy(t);
	return 0;
}

static size_t fill_msi(struct fz *t, void *buf)
{
	struct kvm_msi *m = buf;

	m->address_lo = 0xfee00000 | pick(t, 256) << 12 | pick(t, 4) << 2;
	m->address_hi = chance(t, 90) ? 0 : rnd(t);
	m->data = pick(t, 256) | pick(t, 8) << 8 | pick(t, 2) << 14 | pick(t, 2) << 15;
	m->flags = chance(t, 90) ? 0 : edgy(t);
	if (chance(t, 10))
		m->address_lo = rnd(t);
	return 0;
}

static size_t fill_irqchip(struct fz *t, void *buf)
{
	struct kvm_irqchip *c = buf;

	c->chip_id = chance(t, 85) ? pick(t, 3) : edgy(t);
	return 0;
}

static size_t fill_routing(struct fz *t, void *buf)
{
	struct kvm_irq_routing *r = buf;
	unsigned int i, n = pick(t, 6);

	r->nr = chance(t, 85) ? n : edgy(t);
	r->flags = chance(t, 90) ? 0 : edgy(t);
	for (i = 0; i < n; i++) {
		struct kvm_irq_routing_entry *e = &r->entries[i];

		memset(e, 0, sizeof(*e));
		e->gsi = chance(t, 85) ? pick(t, 32) : edgy(t);
		e->type = chance(t, 85) ? 1 + pick(t, 3) : edgy(t);
		e->flags = chance(t, 90) ? 0 : edgy(t);
		if (e->type == KVM_IRQ_ROUTING_S390_ADAPTER) {
			e->u.adapter.summary_addr = guest_addr(t);
			e->u.adapter.ind_addr = guest_addr(t);
			e->u.adapter.summary_offset = pick(t, 64);
			e->u.adapter.ind_offset = chance(t, 90) ? pick(t, 4096) : edgy(t);
			e->u.adapter.adapter_id = pick(t, 66);
		} else if (e->type == KVM_IRQ_ROUTING_MSI) {
			e->u.msi.address_lo = 0xfee00000 | pick(t, 16) << 12;
			e->u.msi.data = pick(t, 256);
		} else {
			e->u.irqchip.irqchip = pick(t, 3);
			e->u.irqchip.pin = pick(t, 24);
		}
	}
	return sizeof(*r) + n * sizeof(r->entries[0]);
}

static int slot_get(struct fz *t, unsigned int on, int *kind, int *s390);

/* Mostly eventfds from the table, so assign, deassign and resample race. */
static size_t fill_irqfd(struct fz *t, void *buf)
{
	struct kvm_irqfd *f = buf;
	int kind, s390;

	f->fd = chance(t, 80) ? slot_get(t, ON_EVENT, &kind, &s390) : edgy(t);
	f->gsi = chance(t, 85) ? pick(t, 32) : edgy(t);
	f->flags = chance(t, 80) ? pick(t, 4) : edgy(t);
	f->resamplefd = chance(t, 50) ? slot_get(t, ON_EVENT, &kind, &s390) : edgy(t);
	return 0;
}

static size_t fill_interrupt(struct fz *t, void *buf)
{
	struct kvm_interrupt *i = buf;

	i->irq = val_irq(t);
	return 0;
}

static size_t fill_mp_state(struct fz *t, void *buf)
{
	struct kvm_mp_state *m = buf;

	m->mp_state = chance(t, 85) ? pick(t, 10) : edgy(t);
	return 0;
}

static size_t fill_pit_config(struct fz *t, void *buf)
{
	struct kvm_pit_config *c = buf;

	c->flags = chance(t, 85) ? pick(t, 2) : edgy(t);
	return 0;
}

/* Mostly real modes and short counts, so that channel 0's timer runs. */
static size_t fill_pit_state2(struct fz *t, void *buf)
{
	struct kvm_pit_state2 *ps = buf;
	int c;

	for (c = 0; c < 3; c++) {
		struct kvm_pit_channel_state *s = &ps->channels[c];

		s->latched_count = rnd(t);
		s->rw_mode = pick(t, 4);
		s->gate = pick(t, 2);
		s->count_load_time = rnd(t);
		s->count = chance(t, 85) ? pick(t, 0x10001) : edgy(t);
		s->mode = chance(t, 85) ? pick(t, 6) : edgy(t);
		s->read_state = chance(t, 85) ? pick(t, 5) : edgy(t);
		s->write_state = chance(t, 85) ? pick(t, 5) : edgy(t);
		s->count_latched = chance(t, 85) ? pick(t, 4) : edgy(t);
	}
	ps->flags = chance(t, 85) ? pick(t, 4) : edgy(t);
	return 0;
}

/* x86 VM state: dirty logs, ioeventfds, coalesced zones, clock, filter. */
static size_t fill_dirty_log(struct fz *t, void *buf)
{
	struct kvm_dirty_log *d = buf;

	d->slot = chance(t, 85) ? pick(t, 4) | (pick(t, 2) << 16) : edgy(t);
	d->dirty_bitmap = (void *)(unsigned long)aux_ptr(t);
	return 0;
}

static size_t fill_clear_dirty_log(struct fz *t, void *buf)
{
	struct kvm_clear_dirty_log *d = buf;

	d->slot = chance(t, 85) ? pick(t, 4) | (pick(t, 2) << 16) : edgy(t);
	d->first_page = chance(t, 80) ? pick(t, 4) * 64 : edgy(t);
	d->num_pages = chance(t, 80) ? pick(t, 5) * 64 : edgy(t);
	d->dirty_bitmap = (void *)(unsigned long)aux_ptr(t);
	return 0;
}

static size_t fill_ioeventfd(struct fz *t, void *buf)
{
	struct kvm_ioeventfd *e = buf;
	int kind, s390;

	e->datamatch = chance(t, 80) ? pick(t, 4) : edgy(t);
	e->addr = chance(t, 80) ? 0x20 + pick(t, 4) : edgy(t);
	e->len = chance(t, 85) ? (1u << pick(t, 4)) >> 1 : edgy(t);
	e->fd = chance(t, 80) ? slot_get(t, ON_EVENT, &kind, &s390) : edgy(t);
	e->flags = chance(t, 85) ? pick(t, 16) : edgy(t);
	return 0;
}

static size_t fill_coalesced_zone(struct fz *t, void *buf)
{
	struct kvm_coalesced_mmio_zone *z = buf;

	z->addr = chance(t, 80) ? 0x20 + pick(t, 4) : edgy(t);
	z->size = chance(t, 80) ? pick(t, 8) : edgy(t);
	z->pio = chance(t, 90) ? pick(t, 2) : edgy(t);
	return 0;
}

static size_t fill_clock(struct fz *t, void *buf)
{
	struct kvm_clock_data *c = buf;

	c->clock = edgy(t);
	c->flags = chance(t, 80) ? pick(t, 16) : edgy(t);
	c->realtime = edgy(t);
	return 0;
}

static size_t fill_u64(struct fz *t, void *buf)
{
	*(__u64 *)buf = edgy(t);
	return 0;
}

static size_t fill_msr_filter(struct fz *t, void *buf)
{
	struct kvm_msr_filter *f = buf;
	unsigned int i;

	f->flags = chance(t, 85) ? pick(t, 2) : edgy(t);
	for (i = 0; i < KVM_MSR_FILTER_MAX_RANGES; i++) {
		if (chance(t, 70))
			continue;
		f->ranges[i].flags = chance(t, 85) ? pick(t, 4) : edgy(t);
		f->ranges[i].nmsrs = chance(t, 85) ? pick(t, 64) : edgy(t);
		f->ranges[i].base = edgy(t);
		f->ranges[i].bitmap = (void *)(unsigned long)aux_ptr(t);
	}
	return 0;
}

/* x86 vcpu state: CPUID, registers, FPU/XSAVE, MCE, debug, TSC. */
static size_t fill_cpuid2(struct fz *t, void *buf)
{
	static const __u32 leaves[] = {
		0, 1, 2, 4, 6, 7, 0xa, 0xb, 0xd, 0x12, 0x14, 0x1d, 0x1f,
		0x40000000, 0x40000001, 0x80000000, 0x80000001, 0x80000007,
		0x80000008, 0x8000001f,
	};
	struct kvm_cpuid2 *c = buf;
	unsigned int i, n = pick(t, 80);

	c->nent = chance(t, 90) ? n : edgy(t);
	c->padding = chance(t, 95) ? 0 : edgy(t);
	for (i = 0; i < n; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		e->function = chance(t, 90) ? leaves[pick(t, ARRAY_SIZE(leaves))] : edgy(t);
		e->index = chance(t, 80) ? pick(t, 3) : edgy(t);
		e->flags = chance(t, 80) ? pick(t, 2) : edgy(t);
		e->eax = chance(t, 50) ? pick(t, 0x20) : rnd(t);
		e->ebx = chance(t, 50) ? 0 : rnd(t);
		e->ecx = chance(t, 50) ? 0 : rnd(t);
		e->edx = chance(t, 50) ? 0 : rnd(t);
	}
	return sizeof(*c) + n * sizeof(c->entries[0]);
}

/*
 * The GET ioctls that write as many entries as the count says there is
 * room for (CPUID, MSR lists, MSRs): the count is the caller's promise, so a struct with a canary
 * behind a smaller buffer would catch nothing but the fuzzer's own lie.
 * They get the aux page instead, with the two struct pages behind it:
 * 12 KiB, more than 256 CPUID entries, before the guard page.
 */
static unsigned long val_arena_cpuid2(struct fz *t)
{
	struct kvm_cpuid2 *c = (void *)t->arena;

	c->nent = chance(t, 90) ? pick(t, 300) : edgy(t);
	c->padding = chance(t, 95) ? 0 : edgy(t);
	return (unsigned long)c;
}

/* KVM ABI: KVM_GET_MSRS writes every entry back, the failed one zeroed. */
static unsigned long val_arena_msrs(struct fz *t)
{
	fill_msrs(t, t->arena);
	return (unsigned long)t->arena;
}

static unsigned long val_arena_msr_list(struct fz *t)
{
	struct kvm_msr_list *l = (void *)t->arena;

	l->nmsrs = chance(t, 90) ? pick(t, 300) : edgy(t);
	return (unsigned long)l;
}

static size_t fill_regs(struct fz *t, void *buf)
{
	struct kvm_regs *r = buf;
	__u64 *w = buf;
	unsigned int i;

	for (i = 0; i < sizeof(*r) / 8; i++)
		w[i] = chance(t, 50) ? pick(t, 0x10000) : edgy(t);
	r->rflags = chance(t, 85) ? 2 | (pick(t, 0x400000) & 0x3f7fd5) : edgy(t);
	return 0;
}

static void fill_segment(struct fz *t, struct kvm_segment *g)
{
	g->base = chance(t, 80) ? 0 : edgy(t);
	g->limit = chance(t, 80) ? 0xffff : edgy(t);
	g->selector = pick(t, 0x10000);
	g->type = pick(t, 16);
	g->present = pick(t, 2);
	g->dpl = pick(t, 4);
	g->db = pick(t, 2);
	g->s = pick(t, 2);
	g->l = pick(t, 2);
	g->g = pick(t, 2);
	g->avl = pick(t, 2);
	g->unusable = pick(t, 2);
}

/* CR0, CR4 and EFER from the bits their checks look at. */
static __u64 fuzz_cr0(struct fz *t)
{
	return chance(t, 90) ? 0x60000010 ^ (pick(t, 2) | (__u64)pick(t, 2) << 31 |
					     (__u64)pick(t, 2) << 29 | pick(t, 2) << 30) :
	       edgy(t);
}

static __u64 fuzz_cr4(struct fz *t)
{
	return chance(t, 90) ? rnd(t) & 0x7f77ff : edgy(t);
}

static __u64 fuzz_efer(struct fz *t)
{
	static const __u64 v[] = { 0, 0x1, 0x100, 0x400, 0x500, 0xd01, 0x4d01 };

	return chance(t, 90) ? v[pick(t, ARRAY_SIZE(v))] : edgy(t);
}

static size_t fill_sregs(struct fz *t, void *buf)
{
	struct kvm_sregs *s = buf;
	struct kvm_segment *g = &s->cs;
	unsigned int i;

	for (i = 0; i < 8; i++)
		fill_segment(t, &g[i]);
	s->gdt.limit = pick(t, 0x10000);
	s->idt.base = edgy(t);
	s->cr0 = fuzz_cr0(t);
	s->cr2 = edgy(t);
	s->cr3 = chance(t, 80) ? pick(t, 0x1000) << 12 : edgy(t);
	s->cr4 = fuzz_cr4(t);
	s->cr8 = chance(t, 90) ? pick(t, 16) : edgy(t);
	s->efer = fuzz_efer(t);
	s->apic_base = chance(t, 80) ? 0xfee00000 | pick(t, 4) << 10 | pick(t, 2) << 8 :
		       edgy(t);
	if (chance(t, 20))
		s->interrupt_bitmap[pick(t, 4)] = 1ull << pick(t, 64);
	return 0;
}

static size_t fill_sregs2(struct fz *t, void *buf)
{
	struct kvm_sregs2 *s = buf;
	struct kvm_segment *g = &s->cs;
	unsigned int i;

	for (i = 0; i < 8; i++)
		fill_segment(t, &g[i]);
	s->cr0 = fuzz_cr0(t);
	s->cr3 = chance(t, 80) ? pick(t, 0x1000) << 12 : edgy(t);
	s->cr4 = fuzz_cr4(t);
	s->cr8 = chance(t, 90) ? pick(t, 16) : edgy(t);
	s->efer = fuzz_efer(t);
	s->apic_base = chance(t, 80) ? 0xfee00900 : edgy(t);
	s->flags = chance(t, 85) ? pick(t, 2) : edgy(t);
	for (i = 0; i < 4; i++)
		s->pdptrs[i] = chance(t, 50) ? pick(t, 0x1000) << 12 | 1 : edgy(t);
	return 0;
}

/* XSAVE: the legacy area, XSTATE_BV and XCOMP_BV are what is checked. */
static size_t fill_xsave(struct fz *t, void *buf)
{
	struct kvm_xsave *x = buf;
	unsigned int i;

	for (i = 0; i < 16; i++)
		x->region[pick(t, 1024)] = rnd(t);
	x->region[6] = chance(t, 85) ? 0x1f80 : rnd(t);	/* MXCSR */
	x->region[7] = chance(t, 85) ? 0xffbf : rnd(t);	/* MXCSR_MASK */
	x->region[128] = chance(t, 85) ? pick(t, 0x400) : rnd(t);	/* XSTATE_BV */
	x->region[129] = chance(t, 95) ? 0 : rnd(t);
	x->region[130] = chance(t, 90) ? 0 : rnd(t);	/* XCOMP_BV */
	x->region[131] = chance(t, 90) ? 0 : 0x80000000;
	return 0;
}

static size_t fill_xcrs(struct fz *t, void *buf)
{
	static const __u64 v[] = { 0, 1, 3, 5, 7, 0x207, 0x2e7, 0x60007 };
	struct kvm_xcrs *x = buf;
	unsigned int i;

	x->nr_xcrs = chance(t, 90) ? pick(t, 3) : edgy(t);
	x->flags = chance(t, 90) ? 0 : edgy(t);
	for (i = 0; i < KVM_MAX_XCRS; i++) {
		x->xcrs[i].xcr = chance(t, 80) ? pick(t, 2) : edgy(t);
		x->xcrs[i].value = chance(t, 85) ? v[pick(t, ARRAY_SIZE(v))] : edgy(t);
	}
	return 0;
}

static size_t fill_debugregs(struct fz *t, void *buf)
{
	struct kvm_debugregs *d = buf;
	unsigned int i;

	for (i = 0; i < 4; i++)
		d->db[i] = edgy(t);
	d->dr6 = chance(t, 80) ? 0xffff0ff0 | pick(t, 16) : edgy(t);
	d->dr7 = chance(t, 80) ? 0x400 | pick(t, 256) : edgy(t);
	d->flags = chance(t, 90) ? 0 : edgy(t);
	return 0;
}

static size_t fill_mce_cap(struct fz *t, void *buf)
{
	*(__u64 *)buf = chance(t, 85) ? pick(t, 34) | pick(t, 2) << 8 | pick(t, 2) << 27 :
			edgy(t);
	return 0;
}

static size_t fill_x86_mce(struct fz *t, void *buf)
{
	struct kvm_x86_mce *m = buf;

	/* VAL, OVER, UC, EN, MISCV, ADDRV, PCC, S, AR, and a code */
	m->status = chance(t, 85) ? (rnd(t) & 0xffc0000000000000ull) | pick(t, 0x10000) :
		    edgy(t);
	m->addr = edgy(t);
	m->misc = edgy(t);
	m->mcg_status = chance(t, 85) ? pick(t, 16) : edgy(t);
	m->bank = chance(t, 85) ? pick(t, 34) : edgy(t);
	return 0;
}

static size_t fill_tpr_access(struct fz *t, void *buf)
{
	struct kvm_tpr_access_ctl *c = buf;

	c->enabled = chance(t, 85) ? pick(t, 2) : edgy(t);
	c->flags = chance(t, 90) ? 0 : edgy(t);
	return 0;
}

static size_t fill_signal_mask(struct fz *t, void *buf)
{
	struct kvm_signal_mask *m = buf;

	m->len = chance(t, 80) ? 8 : edgy(t);
	*(__u64 *)m->sigset = rnd(t);
	return sizeof(*m) + 8;
}

static size_t fill_guest_debug(struct fz *t, void *buf)
{
	struct kvm_guest_debug *g = buf;
	unsigned int i;

	g->control = chance(t, 85) ? pick(t, 4) | pick(t, 16) << 16 : edgy(t);
	g->pad = chance(t, 95) ? 0 : edgy(t);
	for (i = 0; i < 8; i++)
		g->arch.debugreg[i] = chance(t, 50) ? 0 : edgy(t);
	g->arch.debugreg[7] = chance(t, 80) ? 0x400 | pick(t, 256) : edgy(t);
	return 0;
}

/* KVM_VCPU_TSC_CTRL / KVM_VCPU_TSC_OFFSET mostly, the u64 in the aux page. */
static size_t fill_vcpu_attr(struct fz *t, void *buf)
{
	struct kvm_device_attr *a = buf;

	a->flags = chance(t, 90) ? 0 : edgy(t);
	a->group = chance(t, 80) ? 0 : edgy(t);
	a->attr = chance(t, 80) ? 0 : edgy(t);
	a->addr = aux_ptr(t);
	return 0;
}

#define IOCTL_V(nr_, on_, val_) \
	{ .name = #nr_, .nr = nr_, .on = on_, .val = val_ }
#define IOCTL_P(nr_, on_, fill_) \
	{ .name = #nr_, .nr = nr_, .on = on_, .fill = fill_ }
#define IOCTL_S(nr_, on_, size_, fill_) \
	{ .name = #nr_, .nr = nr_, .on = on_, .size = size_, .fill = fill_ }

/*
 * Every ioctl kvmirq knows, and the KVM irqchip ioctls it is growing into
 * (they fail today, and are fuzzed as soon as they exist).  A struct's size
 * is _IOC_SIZE of the number unless the row gives one.
 */
static const struct fz_ioctl ioctls[] = {
	IOCTL_V(KVM_GET_API_VERSION, ON_SYS, val_zero),
	IOCTL_V(KVM_CREATE_VM, ON_SYS, val_vm_type),
	IOCTL_V(KVM_CHECK_EXTENSION, ON_SYS | ON_VM, val_cap),
	IOCTL_V(KVM_GET_VCPU_MMAP_SIZE, ON_SYS, val_zero),
	IOCTL_V(KVM_CREATE_VCPU, ON_VM, val_vcpu_id),
	IOCTL_P(KVM_CREATE_DEVICE, ON_VM, fill_create_device),
	IOCTL_P(KVM_ENABLE_CAP, ON_VM | ON_VCPU, fill_enable_cap),
	IOCTL_P(KVM_SET_DEVICE_ATTR, ON_DEV | ON_VM | ON_VCPU, fill_device_attr),
	IOCTL_P(KVM_GET_DEVICE_ATTR, ON_DEV | ON_VM | ON_VCPU, fill_device_attr),
	IOCTL_P(KVM_HAS_DEVICE_ATTR, ON_DEV | ON_VM | ON_VCPU, fill_device_attr),
	IOCTL_P(KVMIRQ_GUEST_IO, ON_VM | ON_VCPU, fill_guest_io),
	IOCTL_P(KVMIRQ_GUEST_ACK, ON_VM | ON_VCPU, fill_guest_ack),
	IOCTL_P(KVMIRQ_GUEST_EOI, ON_VM | ON_VCPU, fill_guest_eoi),
	IOCTL_P(KVMIRQ_S390_DELIVER, ON_VCPU, fill_s390_deliver),
	/* x86 irqchip */
	IOCTL_V(KVM_CREATE_IRQCHIP, ON_VM, val_zero),
	IOCTL_P(KVM_IRQ_LINE, ON_VM, fill_irq_level),
	IOCTL_P(KVM_IRQ_LINE_STATUS, ON_VM, fill_irq_level),
	IOCTL_P(KVM_GET_IRQCHIP, ON_VM, fill_irqchip),
	IOCTL_P(KVM_SET_IRQCHIP, ON_VM, fill_irqchip),
	IOCTL_S(KVM_SET_GSI_ROUTING, ON_VM,
		sizeof(struct kvm_irq_routing) + 8 * sizeof(struct kvm_irq_routing_entry),
		fill_routing),
	IOCTL_P(KVM_SIGNAL_MSI, ON_VM, fill_msi),
	IOCTL_P(KVM_IRQFD, ON_VM, fill_irqfd),
	IOCTL_P(KVM_GET_LAPIC, ON_VCPU, NULL),
	IOCTL_P(KVM_SET_LAPIC, ON_VCPU, NULL),
	IOCTL_P(KVM_INTERRUPT, ON_VCPU, fill_interrupt),
	IOCTL_V(KVM_NMI, ON_VCPU, val_zero),
	IOCTL_V(KVM_SMI, ON_VCPU, val_zero),
	IOCTL_P(KVM_GET_VCPU_EVENTS, ON_VCPU, NULL),
	IOCTL_P(KVM_SET_VCPU_EVENTS, ON_VCPU, NULL),
	IOCTL_P(KVM_GET_MP_STATE, ON_VCPU, NULL),
	IOCTL_P(KVM_SET_MP_STATE, ON_VCPU, fill_mp_state),
	/* s390 */
	IOCTL_P(KVM_S390_INTERRUPT, ON_VM | ON_VCPU, fill_s390_interrupt),
	IOCTL_P(KVM_S390_IRQ, ON_VCPU, fill_s390_irq),
	IOCTL_P(KVM_S390_SET_IRQ_STATE, ON_VCPU, fill_s390_irq_state),
	IOCTL_P(KVM_S390_GET_IRQ_STATE, ON_VCPU, fill_s390_irq_state),
	IOCTL_P(KVM_SET_USER_MEMORY_REGION, ON_VM, fill_memory_region),
	IOCTL_P(KVM_SET_DEVICE_ATTR, ON_DEV, fill_flic_attr),
	IOCTL_P(KVM_GET_DEVICE_ATTR, ON_DEV, fill_flic_attr),
	IOCTL_V(KVM_S390_INITIAL_RESET, ON_VCPU, val_zero),
	IOCTL_V(KVM_S390_NORMAL_RESET, ON_VCPU, val_zero),
	IOCTL_V(KVM_S390_CLEAR_RESET, ON_VCPU, val_zero),
	/* more of x86, and the stats fd of both */
	IOCTL_V(KVM_SET_BOOT_CPU_ID, ON_VM, val_vcpu_id),
	IOCTL_V(KVM_GET_MSRS, ON_VCPU, val_arena_msrs),
	IOCTL_S(KVM_SET_MSRS, ON_VCPU,
		sizeof(struct kvm_msrs) + 8 * sizeof(struct kvm_msr_entry), fill_msrs),
	IOCTL_V(KVM_GET_STATS_FD, ON_VM | ON_VCPU, val_zero),
	/* the x86 PIT */
	IOCTL_P(KVM_CREATE_PIT2, ON_VM, fill_pit_config),
	IOCTL_V(KVM_CREATE_PIT, ON_VM, val_zero),
	IOCTL_P(KVM_GET_PIT, ON_VM, NULL),
	IOCTL_P(KVM_SET_PIT, ON_VM, fill_pit_state2),
	IOCTL_P(KVM_GET_PIT2, ON_VM, NULL),
	IOCTL_P(KVM_SET_PIT2, ON_VM, fill_pit_state2),
	IOCTL_P(KVM_REINJECT_CONTROL, ON_VM, NULL),
	/* x86 VM state for VMMs */
	IOCTL_P(KVM_GET_DIRTY_LOG, ON_VM, fill_dirty_log),
	IOCTL_P(KVM_CLEAR_DIRTY_LOG, ON_VM, fill_clear_dirty_log),
	IOCTL_P(KVM_IOEVENTFD, ON_VM, fill_ioeventfd),
	IOCTL_P(KVM_REGISTER_COALESCED_MMIO, ON_VM, fill_coalesced_zone),
	IOCTL_P(KVM_UNREGISTER_COALESCED_MMIO, ON_VM, fill_coalesced_zone),
	IOCTL_V(KVM_SET_TSS_ADDR, ON_VM, val_zero),
	IOCTL_P(KVM_SET_IDENTITY_MAP_ADDR, ON_VM, fill_u64),
	IOCTL_P(KVM_GET_CLOCK, ON_VM, NULL),
	IOCTL_P(KVM_SET_CLOCK, ON_VM, fill_clock),
	IOCTL_V(KVM_SET_TSC_KHZ, ON_VM | ON_VCPU, val_zero),
	IOCTL_P(KVM_X86_SET_MSR_FILTER, ON_VM, fill_msr_filter),
	/* the system fd's x86 queries */
	IOCTL_V(KVM_GET_SUPPORTED_CPUID, ON_SYS, val_arena_cpuid2),
	IOCTL_V(KVM_GET_MSR_INDEX_LIST, ON_SYS, val_arena_msr_list),
	IOCTL_V(KVM_GET_MSR_FEATURE_INDEX_LIST, ON_SYS, val_arena_msr_list),
	IOCTL_V(KVM_GET_MSRS, ON_SYS, val_arena_msrs),
	IOCTL_P(KVM_X86_GET_MCE_CAP_SUPPORTED, ON_SYS, NULL),
	/* x86 vcpu state for VMMs */
	IOCTL_S(KVM_SET_CPUID2, ON_VCPU,
		sizeof(struct kvm_cpuid2) + 80 * sizeof(struct kvm_cpuid_entry2),
		fill_cpuid2),
	IOCTL_V(KVM_GET_CPUID2, ON_VCPU, val_arena_cpuid2),
	IOCTL_P(KVM_GET_REGS, ON_VCPU, NULL),
	IOCTL_P(KVM_SET_REGS, ON_VCPU, fill_regs),
	IOCTL_P(KVM_GET_SREGS, ON_VCPU, NULL),
	IOCTL_P(KVM_SET_SREGS, ON_VCPU, fill_sregs),
	IOCTL_P(KVM_GET_SREGS2, ON_VCPU, NULL),
	IOCTL_P(KVM_SET_SREGS2, ON_VCPU, fill_sregs2),
	IOCTL_P(KVM_GET_FPU, ON_VCPU, NULL),
	IOCTL_P(KVM_SET_FPU, ON_VCPU, NULL),
	IOCTL_P(KVM_GET_XSAVE, ON_VCPU, NULL),
	IOCTL_P(KVM_GET_XSAVE2, ON_VCPU, NULL),
	IOCTL_P(KVM_SET_XSAVE, ON_VCPU, fill_xsave),
	IOCTL_P(KVM_GET_XCRS, ON_VCPU, NULL),
	IOCTL_P(KVM_SET_XCRS, ON_VCPU, fill_xcrs),
	IOCTL_P(KVM_GET_DEBUGREGS, ON_VCPU, NULL),
	IOCTL_P(KVM_SET_DEBUGREGS, ON_VCPU, fill_debugregs),
	IOCTL_V(KVM_GET_TSC_KHZ, ON_VCPU, val_zero),
	IOCTL_P(KVM_X86_SETUP_MCE, ON_VCPU, fill_mce_cap),
	IOCTL_P(KVM_X86_SET_MCE, ON_VCPU, fill_x86_mce),
	IOCTL_P(KVM_TPR_ACCESS_REPORTING, ON_VCPU, fill_tpr_access),
	IOCTL_P(KVM_SET_VAPIC_ADDR, ON_VCPU, fill_u64),
	IOCTL_S(KVM_SET_SIGNAL_MASK, ON_VCPU, sizeof(struct kvm_signal_mask) + 8,
		fill_signal_mask),
	IOCTL_P(KVM_SET_GUEST_DEBUG, ON_VCPU, fill_guest_debug),
	IOCTL_V(KVM_KVMCLOCK_CTRL, ON_VCPU, val_zero),
	IOCTL_P(KVM_SET_DEVICE_ATTR, ON_VCPU, fill_vcpu_attr),
	IOCTL_P(KVM_GET_DEVICE_ATTR, ON_VCPU, fill_vcpu_attr),
	IOCTL_P(KVM_HAS_DEVICE_ATTR, ON_SYS | ON_VCPU, fill_vcpu_attr),
	/* KVM_RUN: no guest CPU, so a clean failure, never a hang */
	IOCTL_V(KVM_RUN, ON_VCPU, val_zero),
};

static_assert(ARRAY_SIZE(ioctls) <= MAX_ROWS, "raise MAX_ROWS");

/* ---- fds ---- */

static void slot_put(struct fz *t, int fd, int kind, int s390)
{
	struct slot *s = &slots[pick(t, NR_SLOTS)];
	int old = __atomic_exchange_n(&s->fd, -1, __ATOMIC_ACQ_REL);

	if (old >= 0) {
		close(old);
		t->closes++;
	}
	s->kind = kind;
	s->s390 = s390;
	__atomic_store_n(&s->fd, fd, __ATOMIC_RELEASE);
	t->created[kind]++;
}

/* A random open fd of one of the kinds in @on (or any fd), or -1. */
static int slot_get(struct fz *t, unsigned int on, int *kind, int *s390)
{
	int i, start = pick(t, NR_SLOTS), fd;

	for (i = 0; i < NR_SLOTS; i++) {
		const struct slot *s = &slots[(start + i) % NR_SLOTS];

		fd = __atomic_load_n(&s->fd, __ATOMIC_ACQUIRE);
		if (fd >= 0 && (on & (1u << s->kind))) {
			*kind = s->kind;
			*s390 = s->s390;
			return fd;
		}
	}
	*kind = FD_SYS;
	*s390 = 0;
	return sys_fd;
}

static void slot_close(struct fz *t)
{
	struct slot *s = &slots[pick(t, NR_SLOTS)];
	int fd = __atomic_exchange_n(&s->fd, -1, __ATOMIC_ACQ_REL);

	if (fd >= 0) {
		close(fd);
		t->closes++;
	}
}

/* ---- one call ---- */

static void note_result(struct fz *t, long r)
{
	t->calls++;
	t->errnos[r < 0 && errno < (int)ARRAY_SIZE(t->errnos) ? errno : 0]++;
}

static void fail(struct fz *t, const char *what, const struct fz_ioctl *io, int kind)
{
	printf("kvmirq_fuzz: FAIL: thread %d: %s: %s (0x%lx) on a %s fd\n",
	       t->id, what, io ? io->name : "?", io ? io->nr : 0, kind_names[kind]);
	__atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
}

/* An argument for the log: pointers into the arenas are position-free. */
static const char *arg_str(struct fz *t, unsigned long arg, char *buf, size_t len)
{
	unsigned long arena = (unsigned long)t->arena, ro = (unsigned long)t->ro;

	if (arg >= arena && arg < arena + ARENA_PAGES * page_size)
		snprintf(buf, len, "arena+0x%lx", arg - arena);
	else if (arg >= ro && arg < ro + page_size)
		snprintf(buf, len, "ro+0x%lx", arg - ro);
	else
		snprintf(buf, len, "0x%lx", arg);
	return buf;
}

/* Where the struct goes: valid (with a canary after it) or hostile. */
static void *place_arg(struct fz *t, size_t size, int *checked)
{
	unsigned char *structs = t->arena + page_size;
	unsigned char *guard = t->arena + (ARENA_PAGES - 1) * page_size;
	size_t room = 2 * page_size - size - CANARY_LEN;

	*checked = 0;
	if (size > page_size)
		return structs;
	switch (pick(t, 20)) {
	case 0: return NULL;
	case 1: return guard;
	case 2: return guard - size + 1 + pick(t, size);	/* straddles */
	case 3: return (void *)(unsigned long)(0xffff888000000000ull + pick(t, 1 << 20) * 8);
	case 4: return (void *)0xffffffff81000000ul;	/* kernel text */
	case 5: return (void *)(unsigned long)edgy(t);
	case 6: return t->ro;
	case 7: return structs + 1 + pick(t, 7);		/* misaligned */
	default:
		*checked = 1;
		return structs + pick(t, room / 8 + 1) * 8;
	}
}

static void mutate(struct fz *t, unsigned char *p, size_t size)
{
	unsigned int n = 1 + pick(t, 4), off;
	__u64 v;

	if (size < 4)
		return;
	while (n--) {
		off = pick(t, size / 4) * 4;
		switch (pick(t, 3)) {
		case 0:
			p[pick(t, size)] ^= 1u << pick(t, 8);
			break;
		case 1:
			v = edgy(t);
			memcpy(p + off, &v, 4);
			break;
		default:
			v = edgy(t);
			if (off + 8 <= size)
				memcpy(p + off, &v, 8);
			break;
		}
	}
}

static void random_bytes(struct fz *t, unsigned char *p, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		p[i] = rnd(t);
}

static void call_table_ioctl(struct fz *t, const struct fz_ioctl *io, int any_fd)
{
	unsigned char scratch[4096];
	size_t size = io->size ? io->size : _IOC_SIZE(io->nr);
	char desc[32];
	int fd, kind, s390, checked = 0, i;
	unsigned long arg;
	void *p = NULL;
	long r;

	fd = slot_get(t, any_fd ? ~0u : io->on, &kind, &s390);
	t->doing = io->name;
	t->doing_kind = kind;

	if (io->val || !size) {
		arg = io->val ? io->val(t) : 0;
		if (!io->val || chance(t, 10))
			arg = edgy(t);
	} else {
		memset(scratch, 0, sizeof(scratch));
		if (io->fill) {
			size_t n = io->fill(t, scratch);

			if (n)
				size = n;
		} else {
			random_bytes(t, scratch, size);
		}
		if (chance(t, 25))
			mutate(t, scratch, size);
		else if (chance(t, 5))
			random_bytes(t, scratch, size);
		p = place_arg(t, size, &checked);
		if (checked) {
			memcpy(p, scratch, size);
			memset((unsigned char *)p + size, CANARY, CANARY_LEN);
		} else if (p == t->ro) {
			mprotect(t->ro, page_size, PROT_READ | PROT_WRITE);
			memcpy(t->ro, scratch, size);
			mprotect(t->ro, page_size, PROT_READ);
		}
		arg = (unsigned long)p;
	}

	r = ioctl(fd, io->nr, arg);
	note_result(t, r);
	if (verbose)
		printf("kvmirq_fuzz: %d: %s fd %d %s arg %s -> %ld %s\n", t->id,
		       kind_names[kind], fd, io->name, arg_str(t, arg, desc, sizeof(desc)),
		       r, r < 0 ? strerror(errno) : "");

	if (checked) {
		for (i = 0; i < CANARY_LEN; i++)
			if (((unsigned char *)p)[size + i] != CANARY)
				break;
		if (i < CANARY_LEN)
			fail(t, "the kernel wrote past the argument struct", io, kind);
	}
	if (r < 0)
		return;
	t->row_ok[io - ioctls]++;
	if (io->fill == fill_flic_attr && checked &&
	    ((struct kvm_device_attr *)p)->group == KVM_DEV_FLIC_ADAPTER_MODIFY &&
	    ((struct kvm_s390_io_adapter_req *)t->arena)->type == KVM_S390_IO_ADAPTER_MAP)
		t->pinned_maps++;
	/* Keep what was created; other threads will use and close it. */
	if (io->nr == KVM_CREATE_VM)
		slot_put(t, r, FD_VM, arg == KVMIRQ_VM_S390);
	else if (io->nr == KVM_CREATE_VCPU && kind == FD_VM)
		slot_put(t, r, FD_VCPU, s390);
	else if (io->nr == KVM_GET_STATS_FD)
		slot_put(t, r, FD_STATS, s390);
	else if (io->nr == KVM_CREATE_DEVICE && checked &&
		 !(((struct kvm_create_device *)p)->flags & KVM_CREATE_DEVICE_TEST))
		slot_put(t, ((struct kvm_create_device *)p)->fd, FD_DEV, s390);
}

/* A random ioctl number: kvmirq's types mostly, any direction and size. */
static void call_random_ioctl(struct fz *t)
{
	static const unsigned int types[] = { KVMIO, KVMIRQIO, KVMIO, KVMIRQIO, 0 };
	unsigned int type = types[pick(t, ARRAY_SIZE(types))], dir, size;
	static const struct fz_ioctl io = { .name = "random ioctl" };
	unsigned char *buf = t->arena + page_size;
	int fd, kind, s390;
	unsigned long nr;
	long r;

	if (!type) {
		type = pick(t, 256);
		if (type == 'X')	/* FIFREEZE/FITHAW: not ours */
			type = KVMIO;
	}
	dir = pick(t, 4);
	size = chance(t, 50) ? pick(t, 256) : pick(t, 1 << 14);
	nr = _IOC(dir, type, pick(t, 256), size);
	fd = slot_get(t, ~0u, &kind, &s390);
	t->doing = io.name;
	t->doing_kind = kind;
	random_bytes(t, buf, 256);
	r = ioctl(fd, nr, chance(t, 80) ? (unsigned long)buf : edgy(t));
	note_result(t, r);
	if (verbose)
		printf("kvmirq_fuzz: %d: %s fd %d ioctl 0x%lx -> %ld %s\n", t->id,
		       kind_names[kind], fd, nr, r, r < 0 ? strerror(errno) : "");
}

static void do_mmap(struct fz *t)
{
	int fd, kind, s390, i = pick(t, NR_MAPS);
	unsigned char *p;
	off_t offset;

	if (t->maps[i]) {
		munmap(t->maps[i], page_size);
		t->maps[i] = NULL;
		return;
	}
	fd = slot_get(t, ON_VCPU, &kind, &s390);
	t->doing = "mmap";
	t->doing_kind = kind;
	/* Beyond page 0 a fault is SIGBUS, as in KVM: map it, never touch it. */
	offset = chance(t, 90) ? 0 : page_size * (1 + pick(t, 4));
	p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	note_result(t, p == MAP_FAILED ? -1 : 0);
	if (p == MAP_FAILED)
		return;
	t->maps[i] = p;
	if (!offset && chance(t, 50))	/* the kvm_run page */
		__atomic_fetch_add(&p[pick(t, page_size)], 1, __ATOMIC_RELAXED);
}

/* Reads a stats fd (header, descriptors, data) at a random offset. */
static void do_read_stats(struct fz *t)
{
	unsigned char *buf = t->arena + page_size;
	int fd, kind, s390;
	long r;

	fd = slot_get(t, ON_STATS, &kind, &s390);
	if (kind != FD_STATS)
		return;
	t->doing = "pread";
	t->doing_kind = kind;
	r = pread(fd, buf, pick(t, 2 * page_size), chance(t, 90) ? pick(t, 8192) : edgy(t));
	note_result(t, r);
}

static void s390_setup_routes(struct fz *t, int vm)
{
	struct {
		struct kvm_irq_routing r;
		struct kvm_irq_routing_entry e[4];
	} rt = { .r.nr = 4 };
	struct kvm_irqfd f = { 0 };
	unsigned int i;
	int efd;

	for (i = 0; i < 4; i++) {
		rt.e[i].gsi = i;
		rt.e[i].type = KVM_IRQ_ROUTING_S390_ADAPTER;
		rt.e[i].u.adapter.adapter_id = i;
		rt.e[i].u.adapter.summary_addr = guest_addr(t) & ~7ull;
		rt.e[i].u.adapter.ind_addr = guest_addr(t) & ~7ull;
		rt.e[i].u.adapter.summary_offset = pick(t, 8);
		rt.e[i].u.adapter.ind_offset = pick(t, 64);
	}
	note_result(t, ioctl(vm, KVM_SET_GSI_ROUTING, &rt));
	for (f.gsi = 0; f.gsi < 2; f.gsi++) {
		efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (efd < 0)
			return;
		f.fd = efd;
		note_result(t, ioctl(vm, KVM_IRQFD, &f));
		slot_put(t, efd, FD_EVENT, 0);
	}
}

/* Signals an eventfd: irqfds on it inject through their route. */
static void do_signal_eventfd(struct fz *t)
{
	__u64 one = 1;
	int fd, kind, s390;

	fd = slot_get(t, ON_EVENT, &kind, &s390);
	if (kind != FD_EVENT)
		return;
	t->doing = "eventfd write";
	t->doing_kind = kind;
	note_result(t, write(fd, &one, sizeof(one)));
}

/*
 * An s390 VM set up far enough for the FLIC's adapter paths to succeed: a
 * memslot over all of guest memory, a FLIC, adapters 0-3, a few pages
 * mapped, adapter routes on GSIs 0-3 and irqfds on two of them.  Its fds go
 * to the table, where the other threads map, unmap, route, signal (so the
 * routes set indicator bits in guest memory), inject and close them.
 */
static void do_s390_setup(struct fz *t)
{
	struct kvm_userspace_memory_region r = {
		.memory_size = GUEST_MIB * MIB, .userspace_addr = (unsigned long)guest_mem,
	};
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };
	struct kvm_s390_io_adapter ad = { 0 };
	struct kvm_s390_io_adapter_req req = { .type = KVM_S390_IO_ADAPTER_MAP };
	struct kvm_device_attr a = { .addr = (unsigned long)&ad };
	int vm, i;

	t->doing = "s390 setup";
	t->doing_kind = FD_SYS;
	vm = ioctl(sys_fd, KVM_CREATE_VM, KVMIRQ_VM_S390);
	note_result(t, vm);
	if (vm < 0)
		return;
	note_result(t, ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r));
	note_result(t, ioctl(vm, KVM_CREATE_DEVICE, &cd));
	slot_put(t, vm, FD_VM, 1);
	if (!cd.fd)
		return;
	a.group = KVM_DEV_FLIC_ADAPTER_REGISTER;
	for (ad.id = 0; ad.id < 4; ad.id++)
		note_result(t, ioctl(cd.fd, KVM_SET_DEVICE_ATTR, &a));
	a.group = KVM_DEV_FLIC_ADAPTER_MODIFY;
	a.addr = (unsigned long)&req;
	for (i = 0; i < 4; i++) {
		req.id = pick(t, 4);
		req.addr = guest_addr(t);
		r.slot = ioctl(cd.fd, KVM_SET_DEVICE_ATTR, &a);
		note_result(t, (int)r.slot);
		if (!r.slot)
			t->pinned_maps++;
	}
	slot_put(t, cd.fd, FD_DEV, 1);
	s390_setup_routes(t, vm);
}

/*
 * Drops or write-protects a MiB of guest memory: pinned pages must stay
 * pinned, and a MAP of a read-only page must fail cleanly.
 */
static void do_guest_mem(struct fz *t)
{
	unsigned char *p = guest_mem + pick(t, GUEST_MIB) * MIB;

	t->doing = "guest memory";
	t->doing_kind = FD_SYS;
	switch (pick(t, 3)) {
	case 0:
		madvise(p, MIB, MADV_DONTNEED);
		break;
	case 1:
		mprotect(p, MIB, PROT_READ);
		break;
	default:
		/* Never written from here: another thread may protect it. */
		mprotect(p, MIB, PROT_READ | PROT_WRITE);
		break;
	}
}

/* A child process using the inherited fds: every VM ioctl is EIO there. */
static void do_fork(struct fz *t)
{
	pid_t pid = fork();
	int i;

	if (pid < 0)
		return;
	if (pid == 0) {
		for (i = 0; i < 8; i++)
			call_table_ioctl(t, &ioctls[pick(t, ARRAY_SIZE(ioctls))], 0);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

static void step(struct fz *t)
{
	unsigned int r = pick(t, 1000);
	int fd, kind, s390;

	if (r < 600) {
		call_table_ioctl(t, &ioctls[pick(t, ARRAY_SIZE(ioctls))], 0);
	} else if (r < 700) {
		call_table_ioctl(t, &ioctls[pick(t, ARRAY_SIZE(ioctls))], 1);
	} else if (r < 800) {
		call_random_ioctl(t);
	} else if (r < 850) {
		/* more VMs and vcpus than the table alone would make */
		fd = ioctl(sys_fd, KVM_CREATE_VM, chance(t, 50) ? KVMIRQ_VM_S390 : KVMIRQ_VM_X86);
		note_result(t, fd);
		if (fd >= 0)
			slot_put(t, fd, FD_VM, 0);
	} else if (r < 900) {
		fd = slot_get(t, ON_VM, &kind, &s390);
		fd = ioctl(fd, KVM_CREATE_VCPU, pick(t, 16));
		note_result(t, fd);
		if (fd >= 0)
			slot_put(t, fd, FD_VCPU, s390);
	} else if (r < 905) {
		fd = eventfd(0, EFD_CLOEXEC | (chance(t, 50) ? EFD_NONBLOCK : 0));
		if (fd >= 0)
			slot_put(t, fd, FD_EVENT, 0);
	} else if (r < 915) {
		do_signal_eventfd(t);
	} else if (r < 962) {
		slot_close(t);
	} else if (r < 975) {
		fd = slot_get(t, ~0u, &kind, &s390);
		fd = dup(fd);
		if (fd >= 0)
			slot_put(t, fd, kind, s390);
	} else if (r < 985) {
		do_mmap(t);
	} else if (r < 988) {
		do_read_stats(t);
	} else if (r < 992) {
		do_s390_setup(t);
	} else if (r < 998) {
		do_guest_mem(t);
	} else {
		do_fork(t);
	}
}

static void *thread_main(void *arg)
{
	struct fz *t = arg;
	unsigned long n = 0;
	int i;

	while (!__atomic_load_n(&stop_epoch, __ATOMIC_RELAXED) &&
	       !__atomic_load_n(&failed, __ATOMIC_RELAXED) &&
	       (!calls_per_epoch || n++ < calls_per_epoch))
		step(t);
	for (i = 0; i < NR_MAPS; i++) {
		if (t->maps[i])
			munmap(t->maps[i], page_size);
		t->maps[i] = NULL;
	}
	t->doing = NULL;
	return NULL;
}

/* ---- driver ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long total_calls(void)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < nthreads; i++)
		n += __atomic_load_n(&threads[i].calls, __ATOMIC_RELAXED);
	return n;
}

static void replay_hint(void)
{
	if (calls_per_epoch)
		printf("kvmirq_fuzz: replay: kvmirq_fuzz -s %llu -t %u -c %lu -n %lu\n",
		       (unsigned long long)seed, nthreads, calls_per_epoch, nepochs);
	else
		printf("kvmirq_fuzz: replay: kvmirq_fuzz -s %llu -t %u -d %u -e %u\n",
		       (unsigned long long)seed, nthreads, duration, epoch_secs);
}

static void on_crash(int sig)
{
	char msg[160];
	int n = snprintf(msg, sizeof(msg),
			 "kvmirq_fuzz: FAIL: signal %d; seed %llu\n", sig,
			 (unsigned long long)seed);

	if (write(1, msg, n) < 0)
		_exit(2);
	_exit(1);
}

static void open_epoch(void)
{
	unsigned int i;

	syscall(SYS_close_range, 3, ~0u, 0);
	sys_fd = open(dev_path, O_RDWR | O_CLOEXEC);
	if (sys_fd < 0) {
		printf("kvmirq_fuzz: cannot open %s: %s\n", dev_path, strerror(errno));
		exit(4);
	}
	for (i = 0; i < NR_SLOTS; i++)
		slots[i].fd = -1;
}

static void bad_args(void)
{
	fprintf(stderr,
		"usage: kvmirq_fuzz [-s seed] [-t threads] [-d seconds] [-e epoch-seconds]\n"
		"                   [-c calls-per-thread-per-epoch [-n epochs]] [-v] [-D device]\n");
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	const char *env = getenv("KVMIRQ_DEV");
	int opt;

	dev_path = env && *env ? env : "/dev/kvmirq";
	seed = (__u64)time(NULL) ^ ((__u64)getpid() << 32);
	while ((opt = getopt(argc, argv, "s:t:d:e:c:n:vD:")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			nthreads = atoi(optarg);
			break;
		case 'd':
			duration = atoi(optarg);
			break;
		case 'e':
			epoch_secs = atoi(optarg);
			break;
		case 'c':
			calls_per_epoch = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			nepochs = strtoul(optarg, NULL, 0);
			break;
		case 'v':
			verbose = 1;
			break;
		case 'D':
			dev_path = optarg;
			break;
		default:
			bad_args();
		}
	}
	if (!nthreads || nthreads > MAX_THREADS || !epoch_secs)
		bad_args();
}

/* A crash reports the seed; the fds one epoch can hold are bounded. */
static void setup_process(void)
{
	struct rlimit nofile;

	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	signal(SIGILL, on_crash);
	signal(SIGFPE, on_crash);
	signal(SIGABRT, on_crash);
	signal(SIGPIPE, SIG_IGN);
	/* Bound what one epoch can hold: fds are what bounds VMs. */
	getrlimit(RLIMIT_NOFILE, &nofile);
	if (nofile.rlim_cur > 4096)
		nofile.rlim_cur = 4096;
	setrlimit(RLIMIT_NOFILE, &nofile);
}

/* The shared guest memory and each thread's arena; 0 or -1. */
static int alloc_memory(void)
{
	unsigned int i;

	page_size = sysconf(_SC_PAGESIZE);
	guest_mem = mmap(NULL, (GUEST_MIB + 1) * MIB, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guest_mem == MAP_FAILED)
		return -1;
	/* s390 memslots are 1 MiB aligned */
	guest_mem = (unsigned char *)(((unsigned long)guest_mem + MIB - 1) & ~(MIB - 1));
	threads = calloc(nthreads, sizeof(*threads));
	for (i = 0; i < nthreads; i++) {
		struct fz *t = &threads[i];

		t->id = i;
		t->arena = mmap(NULL, ARENA_PAGES * page_size, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		t->ro = mmap(NULL, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (t->arena == MAP_FAILED || t->ro == MAP_FAILED)
			return -1;
		mprotect(t->arena + (ARENA_PAGES - 1) * page_size, page_size, PROT_NONE);
	}
	return 0;
}

/* What the watchdog knows of each thread's progress, across epochs. */
struct watchdog {
	double start;			/* of the run */
	double epoch_start;
	unsigned int report;		/* seconds into the run of the next report */
	unsigned long last_calls[MAX_THREADS];
	double last_change[MAX_THREADS];
};

/*
 * Whether thread @i is inside a call (the watchdog ends the run if it has
 * sat in one call for 60 s).
 */
static int check_thread(struct watchdog *w, unsigned int i)
{
	struct fz *t = &threads[i];
	unsigned long c = __atomic_load_n(&t->calls, __ATOMIC_RELAXED);
	const char *doing = __atomic_load_n(&t->doing, __ATOMIC_RELAXED);

	if (c != w->last_calls[i] || !doing) {
		w->last_calls[i] = c;
		w->last_change[i] = now();
	} else if (now() - w->last_change[i] > 60) {
		printf("kvmirq_fuzz: FAIL: thread %u stuck 60 s", i);
		printf(" in %s on a %s fd\n", doing, kind_names[t->doing_kind]);
		replay_hint();
		fflush(stdout);
		_exit(1);
	}
	return !!doing;
}

/* Every 10 s: the calls so far. */
static void report_progress(struct watchdog *w)
{
	if (now() - w->start < w->report)
		return;
	printf("kvmirq_fuzz: %u s: %lu calls (%.0f/s)\n", w->report,
	       total_calls(), total_calls() / (now() - w->start));
	w->report += 10;
}

/* Whether the epoch is over: its time is up, or its threads are all done. */
static int epoch_over(const struct watchdog *w, int running)
{
	if (!calls_per_epoch && (now() - w->epoch_start >= epoch_secs ||
				 now() - w->start >= duration))
		return 1;
	return !running && now() - w->epoch_start > 0.5;
}

/* Watches the epoch's threads until it ends: every one must make progress. */
static void watch_epoch(struct watchdog *w)
{
	unsigned int i;
	int running;

	for (;;) {
		usleep(200 * 1000);
		running = 0;
		for (i = 0; i < nthreads; i++)
			running += check_thread(w, i);
		report_progress(w);
		if (epoch_over(w, running))
			__atomic_store_n(&stop_epoch, 1, __ATOMIC_RELAXED);
		if (__atomic_load_n(&stop_epoch, __ATOMIC_RELAXED) ||
		    __atomic_load_n(&failed, __ATOMIC_RELAXED))
			break;
	}
}

/* One epoch: fresh fds, every thread seeded for it, all fds closed after. */
static void run_epoch(struct watchdog *w, unsigned int epoch)
{
	unsigned int i;

	open_epoch();
	__atomic_store_n(&stop_epoch, 0, __ATOMIC_RELAXED);
	w->epoch_start = now();
	for (i = 0; i < nthreads; i++) {
		threads[i].rng = seed ^ ((__u64)epoch << 40) ^ ((__u64)i << 56) ^ i;
		w->last_change[i] = w->epoch_start;
		pthread_create(&threads[i].thread, NULL, thread_main, &threads[i]);
	}
	watch_epoch(w);
	__atomic_store_n(&stop_epoch, 1, __ATOMIC_RELAXED);
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i].thread, NULL);
}

/* The threads' counters, summed. */
struct totals {
	unsigned long errnos[NR_ERRNOS];
	unsigned long created[NR_FD_KINDS];
	unsigned long row_ok[ARRAY_SIZE(ioctls)];
	unsigned long closes;
	unsigned long maps;
};

static void sum_threads(struct totals *tot)
{
	unsigned int i, k;

	memset(tot, 0, sizeof(*tot));
	for (i = 0; i < nthreads; i++) {
		for (k = 0; k < ARRAY_SIZE(tot->errnos); k++)
			tot->errnos[k] += threads[i].errnos[k];
		for (k = 0; k < NR_FD_KINDS; k++)
			tot->created[k] += threads[i].created[k];
		tot->closes += threads[i].closes;
		tot->maps += threads[i].pinned_maps;
		for (k = 0; k < ARRAY_SIZE(ioctls); k++)
			tot->row_ok[k] += threads[i].row_ok[k];
	}
}

static void print_summary(double start, unsigned int epochs)
{
	struct totals tot;
	unsigned int i;

	sum_threads(&tot);
	printf("kvmirq_fuzz: %lu calls in %.1f s: %.0f ioctls/s, %u threads, %u epochs\n",
	       total_calls(), now() - start, total_calls() / (now() - start), nthreads, epochs);
	printf("kvmirq_fuzz: kept %lu VM, %lu vcpu, %lu device, %lu eventfd, %lu stats fds;",
	       tot.created[FD_VM], tot.created[FD_VCPU], tot.created[FD_DEV],
	       tot.created[FD_EVENT], tot.created[FD_STATS]);
	printf(" %lu system fd dups; closed %lu early\n", tot.created[FD_SYS], tot.closes);
	printf("kvmirq_fuzz: %lu FLIC adapter MAPs pinned a page; rows that never succeeded:",
	       tot.maps);
	for (i = 0; i < ARRAY_SIZE(ioctls); i++)
		if (!tot.row_ok[i])
			printf(" %s", ioctls[i].name);
	printf("\n");
	printf("kvmirq_fuzz: results: ok %lu", tot.errnos[0]);
	for (i = 1; i < ARRAY_SIZE(tot.errnos); i++)
		if (tot.errnos[i])
			printf(", %s %lu", strerrorname_np(i) ?: "?", tot.errnos[i]);
	printf("\n");
	replay_hint();
}

int main(int argc, char **argv)
{
	struct watchdog w = { .report = 10 };
	unsigned int epoch = 0;

	parse_args(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("kvmirq_fuzz: seed=%llu threads=%u duration=%u s epoch=%u s device=%s\n",
	       (unsigned long long)seed, nthreads, duration, epoch_secs, dev_path);
	setup_process();
	if (alloc_memory())
		return 4;

	w.start = now();
	while (!__atomic_load_n(&failed, __ATOMIC_RELAXED) &&
	       (calls_per_epoch ? epoch < nepochs : now() - w.start < duration))
		run_epoch(&w, epoch++);
	syscall(SYS_close_range, 3, ~0u, 0);

	print_summary(w.start, epoch);
	if (__atomic_load_n(&failed, __ATOMIC_RELAXED)) {
		printf("kvmirq_fuzz: FAILED, seed %llu\n", (unsigned long long)seed);
		return 1;
	}
	return 0;
}
