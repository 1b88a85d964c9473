// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrency across the PIC/IOAPIC and LAPIC halves: threads raising
 * IOAPIC lines and MSIs to many vcpus while others take and end
 * interrupts on the vcpus (kvmirq's guest side) and another churns fds
 * (dup'd VM fds, irqfds whose eventfd is closed under them); irqfds on
 * IOAPIC routes with resampling driven by LAPIC EOIs; the VM fd closed
 * while vcpus are still taking interrupts.  Afterwards the state must be
 * quiescent and consistent.  The parts without the guest side run on
 * /dev/kvm as well.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>

#include "x86_smp.h"

#define NV		8
#define ITERS		3000

FIXTURE(st) {
	int dev;
	int kvmirq;
	int vm;
	int v[NV];
};

struct ctx {
	int vm;
	int *v;
	int kvmirq;
	int id;
	int *stop;
	int errors;
};

/* Takes and ends everything pending on @vcpu; returns how many. */
static int drain(int vcpu)
{
	int n = 0, src;

	while (n < 10000 && (src = ack_source(cpu_ack(vcpu))) > KVMIRQ_ACK_NONE) {
		if (src == KVMIRQ_ACK_LAPIC)
			cpu_eoi(vcpu);
		n++;
	}
	return n;
}

/* Raises and lowers random IOAPIC lines and sends MSIs. */
static void *raiser(void *arg)
{
	struct ctx *c = arg;
	__u64 seed = 0x1234 + c->id;
	int i, r;

	for (i = 0; i < ITERS; i++) {
		__u32 pin = 16 + rnd(&seed) % 8;
		__u32 dest = rnd(&seed) % NV;

		if (irq_line(c->vm, pin, 1) < -1 || irq_line(c->vm, pin, 0) < -1)
			c->errors++;
		r = msi_phys(c->vm, dest, 0x90 + dest);
		if (r != 1)
			c->errors++;
		if (i % 64 == 0)
			ioctl(c->v[dest], KVM_NMI);
	}
	return NULL;
}

/* A CPU: takes and ends interrupts on its vcpus until told to stop. */
static void *cpu(void *arg)
{
	struct ctx *c = arg;
	int i;

	while (!__atomic_load_n(c->stop, __ATOMIC_ACQUIRE))
		for (i = c->id; i < NV; i += 2)
			if (ack_source(cpu_ack(c->v[i])) == KVMIRQ_ACK_LAPIC &&
			    cpu_eoi(c->v[i]))
				c->errors++;
	return NULL;
}

/* Churns fds: dup'd VM fds, irqfds whose eventfd is closed under them. */
static void *closer(void *arg)
{
	struct ctx *c = arg;
	int i;

	for (i = 0; i < ITERS / 10; i++) {
		struct kvm_irqfd fd = { .gsi = 16 + i % 8 };
		int d = dup(c->vm);

		if (d < 0 || irq_line(d, 20, i & 1) < -1)
			c->errors++;
		fd.fd = eventfd(0, EFD_CLOEXEC);
		if (!ioctl(d, KVM_IRQFD, &fd))
			eventfd_write(fd.fd, 1);
		close(fd.fd);
		close(d);
	}
	return NULL;
}

FIXTURE_SETUP(st)
{
	int i;

	KVMIRQ_OPEN_OR_SKIP();
	smp_vm_create(_metadata, self->dev, &self->vm, self->v, NV);
	/* Pins 16-23: level, to 1-3 vcpus each, physical and logical. */
	for (i = 16; i < 24; i++)
		ASSERT_EQ(0, set_rte(self->vm, i, RTE_LEVEL | (0x40 + i) |
				     (i & 1 ? RTE_LOGICAL | RTE_DEST(0x7 << (i - 16) & 0xff) :
					      RTE_DEST(i - 16))));
}

FIXTURE_TEARDOWN(st)
{
	close_fds(self->v, NV);
	CLOSE_FDS(self->vm, self->dev);
}

/*
 * Two raisers, two CPUs (kvmirq) and a closer at once; then every line is
 * low and, once the CPUs have ended everything, no remote IRR, IRR or ISR
 * is left anywhere.
 */
TEST_F(st, lines_msis_acks_fds)
{
	pthread_t t[5];
	struct ctx c[5];
	int stop = 0;
	int i, n = 0, pin;

	for (i = 0; i < 5; i++) {
		c[i] = (struct ctx){ .vm = self->vm, .v = self->v, .id = i % 2,
				     .kvmirq = self->kvmirq, .stop = &stop };
	}
	c[1].id = 7;
	ASSERT_EQ(0, pthread_create(&t[n++], NULL, raiser, &c[0]));
	ASSERT_EQ(0, pthread_create(&t[n++], NULL, raiser, &c[1]));
	ASSERT_EQ(0, pthread_create(&t[n++], NULL, closer, &c[2]));
	if (self->kvmirq) {
		c[3].id = 0;
		c[4].id = 1;
		ASSERT_EQ(0, pthread_create(&t[n++], NULL, cpu, &c[3]));
		ASSERT_EQ(0, pthread_create(&t[n++], NULL, cpu, &c[4]));
	}
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	pthread_join(t[2], NULL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (i = 3; i < n; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 5; i++)
		EXPECT_EQ(0, c[i].errors);

	for (pin = 16; pin < 24; pin++)
		irq_line(self->vm, pin, 0);
	EXPECT_EQ(0u, get_ioapic(self->vm).irr);
	if (!self->kvmirq)
		return;
	for (i = 0; i < NV; i++)
		drain(self->v[i]);
	for (pin = 16; pin < 24; pin++)
		EXPECT_EQ(0ULL, get_ioapic(self->vm).redirtbl[pin].bits &
			  RTE_REMOTE_IRR);
	for (i = 0; i < NV; i++) {
		struct kvm_lapic_state s = get_lapic(self->v[i]);
		int off;

		for (off = APIC_ISR; off < APIC_IRR + 0x80; off += 0x10)
			if (off < APIC_TMR || off >= APIC_IRR)
				EXPECT_EQ(0u, lapic_reg(&s, off));
	}
}

/* A resampling irqfd on a level IOAPIC route: the line is up, IRR set. */
TEST_F(st, irqfd_resample_asserts)
{
	struct kvm_irqfd fd = { .gsi = 18, .flags = KVM_IRQFD_FLAG_RESAMPLE };
	int i;

	fd.fd = eventfd(0, EFD_CLOEXEC);
	fd.resamplefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_EQ(0, ioctl(self->vm, KVM_IRQFD, &fd));
	ASSERT_EQ(0, eventfd_write(fd.fd, 1));
	for (i = 0; i < 100 && !irr_count(self->v[2], 0x52); i++)
		usleep(10000);
	EXPECT_EQ(1, irr_count(self->v[2], 0x52));
	EXPECT_EQ(RTE_REMOTE_IRR, get_ioapic(self->vm).redirtbl[18].bits &
		  RTE_REMOTE_IRR);
	fd.flags = KVM_IRQFD_FLAG_DEASSIGN;
	EXPECT_EQ(0, ioctl(self->vm, KVM_IRQFD, &fd));
	close(fd.fd);
	close(fd.resamplefd);
}

struct rs_ctx {
	int irqfd;
	int resamplefd;
	int vcpu;
	int *stop;
	int eois;
	int resamples;
};

/* The device: re-asserts each time the guest's EOI resamples the line. */
static void *device(void *arg)
{
	struct rs_ctx *c = arg;
	struct pollfd p = { .fd = c->resamplefd, .events = POLLIN };
	eventfd_t n;

	while (!__atomic_load_n(c->stop, __ATOMIC_ACQUIRE)) {
		if (poll(&p, 1, 10) != 1)
			continue;
		if (!eventfd_read(c->resamplefd, &n)) {
			c->resamples++;
			eventfd_write(c->irqfd, 1);
		}
	}
	return NULL;
}

/*
 * The level interrupt goes round: irqfd asserts, the LAPIC takes it, its
 * EOI reaches the IOAPIC, the resampler lowers the line and signals, the
 * device asserts again.  No interrupt is lost and none is left in flight.
 */
TEST_F(st, irqfd_resample_through_lapic_eoi)
{
	struct kvm_irqfd fd = { .gsi = 18, .flags = KVM_IRQFD_FLAG_RESAMPLE };
	struct rs_ctx c = { .vcpu = self->v[2] };
	int stop = 0;
	pthread_t t;
	int i, src, idle = 0;

	KVMIRQ_ONLY();
	c.stop = &stop;
	fd.fd = eventfd(0, EFD_CLOEXEC);
	fd.resamplefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	c.irqfd = fd.fd;
	c.resamplefd = fd.resamplefd;
	ASSERT_EQ(0, ioctl(self->vm, KVM_IRQFD, &fd));
	ASSERT_EQ(0, pthread_create(&t, NULL, device, &c));
	ASSERT_EQ(0, eventfd_write(fd.fd, 1));
	for (i = 0; c.eois < 300 && idle < 500; i++) {
		src = ack_source(cpu_ack(self->v[2]));
		if (src == KVMIRQ_ACK_LAPIC) {
			ASSERT_EQ(0, cpu_eoi(self->v[2]));
			c.eois++;
			idle = 0;
		} else {
			idle++;
			usleep(1000);
		}
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	EXPECT_EQ(300, c.eois);
	/* Every EOI but possibly the last was resampled and re-asserted. */
	EXPECT_GE(c.resamples, c.eois - 1);
	fd.flags = KVM_IRQFD_FLAG_DEASSIGN;
	EXPECT_EQ(0, ioctl(self->vm, KVM_IRQFD, &fd));
	close(fd.fd);
	close(fd.resamplefd);
}

/* The VM fd closed while CPUs take and end interrupts on its vcpus. */
TEST_F(st, vm_close_while_cpus_run)
{
	pthread_t t[3];
	struct ctx c[3];
	int stop = 0;
	int i;

	KVMIRQ_ONLY();
	for (i = 0; i < 3; i++)
		c[i] = (struct ctx){ .vm = dup(self->vm), .v = self->v,
				     .id = i, .stop = &stop };
	c[2].id = 5;
	ASSERT_EQ(0, pthread_create(&t[0], NULL, cpu, &c[0]));
	ASSERT_EQ(0, pthread_create(&t[1], NULL, cpu, &c[1]));
	ASSERT_EQ(0, pthread_create(&t[2], NULL, raiser, &c[2]));
	usleep(20000);
	close(self->vm);
	self->vm = -1;
	for (i = 0; i < 3; i++)
		close(c[i].vm);
	pthread_join(t[2], NULL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	/*
	 * The vcpus still work on their own.  A raiser cut off between its
	 * raise and its lower leaves a level line high for good, which each
	 * EOI re-delivers: only check that taking and ending still work.
	 */
	for (i = 0; i < NV; i++)
		drain(self->v[i]);
	EXPECT_LE(0, cpu_ack(self->v[0]));
	EXPECT_EQ(0, cpu_eoi(self->v[0]));
}

TEST_HARNESS_MAIN
