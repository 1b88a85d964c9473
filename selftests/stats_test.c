// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_GET_STATS_FD: the binary statistics format, checked on KVM and
 * kvmirq alike, and kvmirq's own counters.
 */
#include <stdio.h>
#include <sys/wait.h>

#include "kvmirq_test.h"
#include "s390_test.h"
#include "x86_lapic.h"

#define NAME_SIZE	48

struct stats {
	struct kvm_stats_header h;
	char id[NAME_SIZE];
	char *descs;
	__u64 *data;
	size_t data_len;
};

static struct kvm_stats_desc *stats_desc(struct stats *s, unsigned int i)
{
	return (void *)(s->descs + i * (sizeof(struct kvm_stats_desc) + s->h.name_size));
}

/* Reads a stats fd with pread, as KVM's selftests do; 0 on success. */
static int stats_read(int fd, struct stats *s)
{
	size_t descs_len;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	if (pread(fd, &s->h, sizeof(s->h), 0) != sizeof(s->h))
		return -1;
	if (s->h.name_size != NAME_SIZE ||
	    pread(fd, s->id, NAME_SIZE, s->h.id_offset) != NAME_SIZE)
		return -1;
	descs_len = s->h.num_desc * (sizeof(struct kvm_stats_desc) + s->h.name_size);
	s->descs = calloc(1, descs_len);
	if (pread(fd, s->descs, descs_len, s->h.desc_offset) != (ssize_t)descs_len)
		return -1;
	for (i = 0; i < s->h.num_desc; i++) {
		struct kvm_stats_desc *d = stats_desc(s, i);
		size_t end = d->offset + d->size * sizeof(__u64);

		if (end > s->data_len)
			s->data_len = end;
	}
	s->data = calloc(1, s->data_len + 1);
	if (pread(fd, s->data, s->data_len, s->h.data_offset) != (ssize_t)s->data_len)
		return -1;
	return 0;
}

static void stats_free(struct stats *s)
{
	free(s->descs);
	free(s->data);
}

/* The value of the counter called @name, or -1 if there is none. */
static long long stats_value(struct stats *s, const char *name)
{
	unsigned int i;

	for (i = 0; i < s->h.num_desc; i++)
		if (!strcmp(stats_desc(s, i)->name, name))
			return s->data[stats_desc(s, i)->offset / sizeof(__u64)];
	return -1;
}

/* The layout invariants KVM's own binary_stats_test checks. */
static void check_layout(struct __test_metadata *_metadata, int fd,
			 const char *want_id)
{
	struct stats s;
	unsigned int i;
	char extra;

	ASSERT_EQ(0, stats_read(fd, &s));
	EXPECT_EQ(0, s.h.flags);
	EXPECT_EQ(sizeof(struct kvm_stats_header), s.h.id_offset);
	EXPECT_EQ(s.h.id_offset + s.h.name_size, s.h.desc_offset);
	EXPECT_EQ(s.h.desc_offset + s.h.num_desc *
		  (sizeof(struct kvm_stats_desc) + s.h.name_size), s.h.data_offset);
	EXPECT_GT(s.h.num_desc, 0);
	EXPECT_STREQ(want_id, s.id);
	for (i = 0; i < s.h.num_desc; i++) {
		struct kvm_stats_desc *d = stats_desc(&s, i);

		EXPECT_NE(0, d->name[0]);
		EXPECT_LT(strnlen(d->name, s.h.name_size), s.h.name_size);
		EXPECT_LE(d->flags & KVM_STATS_TYPE_MASK, KVM_STATS_TYPE_MAX);
		EXPECT_LE(d->flags & KVM_STATS_UNIT_MASK, KVM_STATS_UNIT_MAX);
		EXPECT_LE(d->flags & KVM_STATS_BASE_MASK, KVM_STATS_BASE_MAX);
		EXPECT_GE(d->size, 1);
		EXPECT_EQ(0, d->offset % sizeof(__u64));
	}
	/* Nothing past the data. */
	EXPECT_EQ(0, pread(fd, &extra, 1, s.h.data_offset + s.data_len));
	stats_free(&s);
}

FIXTURE(stats) {
	int dev;
	int kvmirq;
	int vm;
	int vcpu;
};

FIXTURE_SETUP(stats)
{
	self->vm = -1;
	self->vcpu = -1;
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	ASSERT_GE(self->vm, 0);
	self->vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 3);
	ASSERT_GE(self->vcpu, 0);
}

FIXTURE_TEARDOWN(stats)
{
	CLOSE_FDS(self->vcpu, self->vm, self->dev);
}

TEST_F(stats, capability)
{
	EXPECT_EQ(1, ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_BINARY_STATS_FD));
	EXPECT_EQ(1, ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_BINARY_STATS_FD));
}

TEST_F(stats, vm_layout)
{
	char id[NAME_SIZE];
	int fd = ioctl(self->vm, KVM_GET_STATS_FD, 0);

	ASSERT_GE(fd, 0);
	snprintf(id, sizeof(id), "kvm-%d", getpid());
	check_layout(_metadata, fd, id);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD));
	EXPECT_EQ(O_RDONLY, fcntl(fd, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(-1, write(fd, "x", 1));
	EXPECT_EQ(EBADF, errno);
	close(fd);
}

TEST_F(stats, vcpu_layout)
{
	char id[NAME_SIZE];
	int fd = ioctl(self->vcpu, KVM_GET_STATS_FD, 0);

	ASSERT_GE(fd, 0);
	snprintf(id, sizeof(id), "kvm-%d/vcpu-3", getpid());
	check_layout(_metadata, fd, id);
	close(fd);
}

/* A sequential read() returns the same bytes as the pread()s. */
TEST_F(stats, sequential_read)
{
	int fd = ioctl(self->vm, KVM_GET_STATS_FD, 0);
	char a[8192], b[8192];
	ssize_t n, total = 0;

	ASSERT_GE(fd, 0);
	while ((n = read(fd, a + total, 7)) > 0)
		total += n;
	ASSERT_GT(total, sizeof(struct kvm_stats_header));
	ASSERT_LT(total, sizeof(a));
	EXPECT_EQ(total, pread(fd, b, sizeof(b), 0));
	EXPECT_EQ(0, memcmp(a, b, total));
	close(fd);
}

/* The stats fd keeps the VM alive; ioctls from another process are EIO. */
TEST_F(stats, lifetime)
{
	struct stats s;
	int fd = ioctl(self->vcpu, KVM_GET_STATS_FD, 0);
	int status;
	pid_t pid;

	ASSERT_GE(fd, 0);
	close(self->vcpu);
	close(self->vm);
	self->vcpu = -1;
	self->vm = -1;
	EXPECT_EQ(0, stats_read(fd, &s));
	stats_free(&s);
	close(fd);

	self->vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	ASSERT_GE(self->vm, 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(ioctl(self->vm, KVM_GET_STATS_FD, 0) < 0 && errno == EIO ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_F(stats, kvmirq_counters)
{
	struct stats s;
	int fd;

	KVMIRQ_ONLY();
	fd = ioctl(self->vm, KVM_GET_STATS_FD, 0);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, stats_read(fd, &s));
	EXPECT_EQ(0, stats_value(&s, "irqs_injected"));
	EXPECT_EQ(0, stats_value(&s, "irqs_coalesced"));
	EXPECT_EQ(0, stats_value(&s, "msis_delivered"));
	EXPECT_EQ(0, stats_value(&s, "floating_pending"));
	stats_free(&s);
	close(fd);

	fd = ioctl(self->vcpu, KVM_GET_STATS_FD, 0);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, stats_read(fd, &s));
	EXPECT_EQ(0, stats_value(&s, "irqs_accepted"));
	EXPECT_EQ(0, stats_value(&s, "irqs_acknowledged"));
	EXPECT_EQ(0, stats_value(&s, "nmis_injected"));
	stats_free(&s);
	close(fd);
}

/* The value of counter @name on stats fd owner @fd, or -1. */
static long long counter(int fd, const char *name)
{
	int sfd = ioctl(fd, KVM_GET_STATS_FD, 0);
	struct stats s;
	long long v = -1;

	if (sfd < 0)
		return -1;
	if (!stats_read(sfd, &s))
		v = stats_value(&s, name);
	stats_free(&s);
	close(sfd);
	return v;
}

/* The x86 controllers feed the counters as interrupts land. */
TEST_F(stats, x86_counters_fed)
{
	struct kvm_irq_level line = { .irq = 16, .level = 1 };
	struct kvmirq_ack ack = { 0 };
	int vm, vcpu;

	KVMIRQ_ONLY();
	vm = x86_vm(self->dev);
	ASSERT_EQ(0, ioctl(vm, KVM_CREATE_IRQCHIP, 0));
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	ASSERT_EQ(0, lapic_enable(vcpu));

	/* A masked IOAPIC edge pin: -1, then coalesced (0); no count for a deassert. */
	ASSERT_EQ(0, ioctl(vm, KVM_IRQ_LINE_STATUS, &line));
	EXPECT_EQ(-1, line.status);
	line.irq = 16;	/* status shares the union */
	ASSERT_EQ(0, ioctl(vm, KVM_IRQ_LINE_STATUS, &line));
	EXPECT_EQ(0, line.status);
	line.irq = 16;
	line.level = 0;
	ASSERT_EQ(0, ioctl(vm, KVM_IRQ_LINE_STATUS, &line));
	ASSERT_EQ(1, msi_phys(vm, 0, 0x41));
	/* KVM ABI: no LAPIC with that id: status 0, which counts as coalesced. */
	ASSERT_EQ(0, msi_phys(vm, 7, 0x42));
	ASSERT_EQ(0, ioctl(vcpu, KVM_NMI));

	EXPECT_EQ(4, counter(vm, "irqs_injected"));
	EXPECT_EQ(2, counter(vm, "irqs_coalesced"));
	EXPECT_EQ(1, counter(vm, "msis_delivered"));
	EXPECT_EQ(0, counter(vm, "floating_pending"));
	EXPECT_EQ(1, counter(vcpu, "irqs_accepted"));
	EXPECT_EQ(1, counter(vcpu, "nmis_injected"));
	EXPECT_EQ(0, counter(vcpu, "irqs_acknowledged"));

	ASSERT_EQ(0, ioctl(vcpu, KVMIRQ_GUEST_ACK, &ack));
	EXPECT_EQ(KVMIRQ_ACK_NMI, ack.source);
	ASSERT_EQ(0, ioctl(vcpu, KVMIRQ_GUEST_ACK, &ack));
	EXPECT_EQ(KVMIRQ_ACK_LAPIC, ack.source);
	ASSERT_EQ(0, ioctl(vcpu, KVMIRQ_GUEST_ACK, &ack));
	EXPECT_EQ(KVMIRQ_ACK_NONE, ack.source);
	EXPECT_EQ(2, counter(vcpu, "irqs_acknowledged"));

	/* An NMI message counts as accepted and as an NMI. */
	ASSERT_EQ(1, msi_phys(vm, 0, DM_NMI));
	EXPECT_EQ(2, counter(vcpu, "irqs_accepted"));
	EXPECT_EQ(2, counter(vcpu, "nmis_injected"));
	EXPECT_EQ(2, counter(vm, "msis_delivered"));
	close(vcpu);
	close(vm);
}

/* The s390 FLIC keeps floating_pending at its queue length. */
TEST_F(stats, s390_counters_fed)
{
	struct kvm_s390_irq io[3] = {
		io_irq(1, 1, 1, 3), io_irq(1, 2, 2, 3), io_irq(1, 3, 3, 3),
	};
	struct kvmirq_s390_deliver d;
	int vm, vcpu, flic;

	KVMIRQ_ONLY();
	vm = s390_vm(self->dev);
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	flic = s390_flic(vm);
	ASSERT_GE(flic, 0);

	ASSERT_EQ(0, flic_enqueue(flic, io, 3));
	EXPECT_EQ(3, counter(vm, "floating_pending"));
	EXPECT_EQ(3, counter(vm, "irqs_injected"));
	ASSERT_EQ(P_IO3, s390_take(vcpu, &d));
	EXPECT_EQ(2, counter(vm, "floating_pending"));
	EXPECT_EQ(1, counter(vcpu, "irqs_acknowledged"));
	/* A peek takes nothing. */
	ASSERT_EQ(0, s390_deliver(vcpu, PSW_ALL, CR0_ALL, CR6_ALL, CR14_ALL,
				  KVMIRQ_S390_DELIVER_PEEK, &d));
	EXPECT_EQ(KVMIRQ_S390_DELIVERED_IRQ, d.result);
	EXPECT_EQ(2, counter(vm, "floating_pending"));
	EXPECT_EQ(1, counter(vcpu, "irqs_acknowledged"));

	ASSERT_EQ(0, s390_irq_type(vcpu, KVM_S390_INT_CPU_TIMER));
	EXPECT_EQ(1, counter(vcpu, "irqs_accepted"));
	EXPECT_EQ(4, counter(vm, "irqs_injected"));

	ASSERT_EQ(0, flic_set(flic, KVM_DEV_FLIC_CLEAR_IRQS, 0, NULL));
	EXPECT_EQ(0, counter(vm, "floating_pending"));
	close(flic);
	close(vcpu);
	close(vm);
}

TEST_HARNESS_MAIN
