// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_IRQFD on x86 with real eventfds: errnos, injection (asynchronous, as
 * in KVM for irqchip routes), the shared userspace source, resampling,
 * deassign, rerouting, closing, and several threads at once.  The resample
 * acknowledge needs a guest EOI, so those checks are kvmirq-only.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <time.h>

#include "x86_irqchip.h"
#include "x86_lapic.h"

FIXTURE(irqfd) {
	int dev;
	int kvmirq;
	int vm;
};

FIXTURE_SETUP(irqfd)
{
	struct kvm_pic_state m, s;

	self->vm = -1;
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = irqchip_vm(self->dev);
	ASSERT_LE(0, self->vm);
	/* Level pins everywhere the ELCR allows. */
	m = get_pic(self->vm, 0);
	s = get_pic(self->vm, 1);
	m.elcr = 0xf8;
	s.elcr = 0xde;
	ASSERT_EQ(0, set_pic(self->vm, 0, &m));
	ASSERT_EQ(0, set_pic(self->vm, 1, &s));
}

FIXTURE_TEARDOWN(irqfd)
{
	CLOSE_FDS(self->vm, self->dev);
}

static int irqfd(int vm, int fd, __u32 gsi, __u32 flags, int resamplefd)
{
	struct kvm_irqfd a = {
		.fd = fd, .gsi = gsi, .flags = flags, .resamplefd = resamplefd,
	};

	return kvmirq_errno(ioctl(vm, KVM_IRQFD, &a));
}

static void signal_fd(int fd)
{
	__u64 one = 1;

	if (write(fd, &one, sizeof(one)) != sizeof(one))
		abort();
}

/* Injection is asynchronous: waits up to 2 s for a PIC IRR value. */
static int wait_irr(int vm, int c, __u8 mask, __u8 want)
{
	struct timespec ts = { 0, 1000 * 1000 };
	int i;

	for (i = 0; i < 2000; i++) {
		if ((get_pic(vm, c).irr & mask) == want)
			return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* True if the eventfd has a count right now. */
static int readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

TEST_F(irqfd, errnos)
{
	int e = eventfd(0, 0), e2 = eventfd(0, 0), pipefd[2];

	ASSERT_LE(0, e);
	ASSERT_LE(0, e2);
	ASSERT_EQ(0, pipe(pipefd));
	EXPECT_EQ(EINVAL, irqfd(self->vm, e, 3, 4, 0));
	EXPECT_EQ(EBADF, irqfd(self->vm, -1, 3, 0, 0));
	EXPECT_EQ(EINVAL, irqfd(self->vm, pipefd[0], 3, 0, 0));
	EXPECT_EQ(EBADF, irqfd(self->vm, e, 3, KVM_IRQFD_FLAG_RESAMPLE, -1));
	EXPECT_EQ(EINVAL, irqfd(self->vm, e, 3, KVM_IRQFD_FLAG_RESAMPLE, pipefd[0]));
	EXPECT_EQ(EBADF, irqfd(self->vm, -1, 3, KVM_IRQFD_FLAG_DEASSIGN, 0));
	EXPECT_EQ(EINVAL, irqfd(self->vm, pipefd[0], 3, KVM_IRQFD_FLAG_DEASSIGN, 0));

	/* gsi is not checked; an eventfd serves one irqfd. */
	EXPECT_EQ(0, irqfd(self->vm, e, 0xffffffff, 0, 0));
	EXPECT_EQ(EBUSY, irqfd(self->vm, e, 3, 0, 0));
	EXPECT_EQ(EBUSY, irqfd(self->vm, e, 0xffffffff, KVM_IRQFD_FLAG_RESAMPLE, e2));
	/* Deassign of a pair that does not exist: fine. */
	EXPECT_EQ(0, irqfd(self->vm, e, 3, KVM_IRQFD_FLAG_DEASSIGN, 0));
	EXPECT_EQ(EBUSY, irqfd(self->vm, e, 3, 0, 0));
	EXPECT_EQ(0, irqfd(self->vm, e, 0xffffffff, KVM_IRQFD_FLAG_DEASSIGN, 0));
	EXPECT_EQ(0, irqfd(self->vm, e, 3, 0, 0));
	/* The same eventfd in another VM. */
	close(e);
	close(e2);
	close(pipefd[0]);
	close(pipefd[1]);
}

TEST_F(irqfd, pulse)
{
	int e = eventfd(0, 0);

	ASSERT_LE(0, e);
	ASSERT_EQ(0, irqfd(self->vm, e, 1, 0, 0));	/* IR1: edge */
	signal_fd(e);
	EXPECT_TRUE(wait_irr(self->vm, 0, 0x02, 0x02));
	/* The irqfd consumed the count as it was signalled. */
	EXPECT_FALSE(readable(e));
	close(e);
}

/* A plain irqfd pulses source 0: it drops a level KVM_IRQ_LINE holds. */
TEST_F(irqfd, pulse_drops_userspace_level)
{
	int e = eventfd(0, 0);

	ASSERT_LE(0, e);
	EXPECT_EQ(1, irq_line(self->vm, 5, 1));
	EXPECT_EQ(0x20, get_pic(self->vm, 0).irr);
	ASSERT_EQ(0, irqfd(self->vm, e, 5, 0, 0));
	signal_fd(e);
	EXPECT_TRUE(wait_irr(self->vm, 0, 0x20, 0));
	close(e);
}

/* A count pending at assignment is injected at once. */
TEST_F(irqfd, pending_at_assign)
{
	int e = eventfd(1, 0);

	ASSERT_LE(0, e);
	ASSERT_EQ(0, irqfd(self->vm, e, 1, 0, 0));
	EXPECT_TRUE(wait_irr(self->vm, 0, 0x02, 0x02));
	close(e);
}

/* The route is looked up per signal. */
TEST_F(irqfd, follows_rerouting)
{
	struct kvm_irq_routing_entry r = irqchip_route(100, 0, 1);
	int e = eventfd(0, 0);

	ASSERT_LE(0, e);
	ASSERT_EQ(0, set_routing(self->vm, &r, 1));
	ASSERT_EQ(0, irqfd(self->vm, e, 100, 0, 0));
	signal_fd(e);
	EXPECT_TRUE(wait_irr(self->vm, 0, 0x03, 0x02));
	r = irqchip_route(100, 0, 0);
	ASSERT_EQ(0, set_routing(self->vm, &r, 1));
	signal_fd(e);
	EXPECT_TRUE(wait_irr(self->vm, 0, 0x03, 0x03));
	close(e);
}

/*
 * A resampling irqfd holds its line on source 1: KVM_IRQ_LINE cannot drop
 * it, deassigning the last one does.
 */
TEST_F(irqfd, resample_holds_level)
{
	int e = eventfd(0, 0), r = eventfd(0, 0);

	ASSERT_LE(0, e);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, irqfd(self->vm, e, 6, KVM_IRQFD_FLAG_RESAMPLE, r));
	signal_fd(e);
	EXPECT_TRUE(wait_irr(self->vm, 0, 0x40, 0x40));
	/* Both routes already see the line high: 0 + 0. */
	EXPECT_EQ(0, irq_line(self->vm, 6, 1));
	/* Source 1 still holds it: still high, still coalesced. */
	EXPECT_EQ(0, irq_line(self->vm, 6, 0));
	EXPECT_EQ(0x40, get_pic(self->vm, 0).irr);
	EXPECT_EQ(0, irqfd(self->vm, e, 6, KVM_IRQFD_FLAG_DEASSIGN, 0));
	/* Deassign waits for the shutdown, so this is synchronous. */
	EXPECT_EQ(0, get_pic(self->vm, 0).irr & 0x40);
	close(e);
	close(r);
}

/* Resample on PIC acknowledge: INTA + EOI lowers the line, signals r. */
TEST_F(irqfd, resample_on_pic_eoi)
{
	int e = eventfd(0, 0), r = eventfd(0, EFD_NONBLOCK), e2 = eventfd(0, 0);
	__u64 cnt = 0;

	KVMIRQ_ONLY();
	ASSERT_LE(0, e);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, irqfd(self->vm, e, 7, KVM_IRQFD_FLAG_RESAMPLE, r));
	/* Two irqfds may share a resampler (and a resamplefd). */
	ASSERT_EQ(0, irqfd(self->vm, e2, 7, KVM_IRQFD_FLAG_RESAMPLE, r));
	signal_fd(e);
	ASSERT_TRUE(wait_irr(self->vm, 0, 0x80, 0x80));
	EXPECT_EQ(7, pic_inta(self->vm));		/* irq_base 0 */
	EXPECT_EQ(0x80, get_pic(self->vm, 0).irr);	/* level: held */
	EXPECT_FALSE(readable(r));
	outb(self->vm, 0x20, 0x20);
	EXPECT_EQ(0, get_pic(self->vm, 0).irr & 0x80);
	EXPECT_EQ(sizeof(cnt), read(r, &cnt, sizeof(cnt)));
	EXPECT_EQ(2, cnt);				/* once per irqfd */
	close(e);
	close(e2);
	close(r);
}

/* Every way a PIC ISR bit is cleared acknowledges: AEOI, poll, ICW1. */
TEST_F(irqfd, resample_on_other_pic_acks)
{
	int e = eventfd(0, 0), r = eventfd(0, EFD_NONBLOCK), vcpu;
	struct kvm_pic_state m;
	__u64 cnt;

	KVMIRQ_ONLY();
	ASSERT_LE(0, e);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, irqfd(self->vm, e, 4, KVM_IRQFD_FLAG_RESAMPLE, r));

	/* Auto-EOI: the INTA itself acknowledges. */
	m = get_pic(self->vm, 0);
	m.auto_eoi = 1;
	ASSERT_EQ(0, set_pic(self->vm, 0, &m));
	signal_fd(e);
	ASSERT_TRUE(wait_irr(self->vm, 0, 0x10, 0x10));
	EXPECT_EQ(4, pic_inta(self->vm));
	EXPECT_EQ(0, get_pic(self->vm, 0).irr & 0x10);
	EXPECT_EQ(sizeof(cnt), read(r, &cnt, sizeof(cnt)));

	/* Poll mode read. */
	signal_fd(e);
	ASSERT_TRUE(wait_irr(self->vm, 0, 0x10, 0x10));
	outb(self->vm, 0x20, 0x0c);
	EXPECT_EQ(4, inb(self->vm, 0x20));
	EXPECT_EQ(sizeof(cnt), read(r, &cnt, sizeof(cnt)));

	/* ICW1 drops an edge request and, with a vcpu, its ISR bit. */
	vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	ASSERT_LE(0, vcpu);
	m = get_pic(self->vm, 0);
	m.elcr = 0;
	m.auto_eoi = 0;
	m.irr = 0x10;
	m.isr = 0x10;
	ASSERT_EQ(0, set_pic(self->vm, 0, &m));
	outb(self->vm, 0x20, 0x11);
	EXPECT_EQ(0, get_pic(self->vm, 0).isr);
	EXPECT_EQ(sizeof(cnt), read(r, &cnt, sizeof(cnt)));
	close(vcpu);
	close(e);
	close(r);
}

/*
 * Issue 15, point 5.  KVM ABI: a PIC EOI runs the ack notifiers before the
 * cascade is recomputed, so a slave EOI whose resampler lowers the line
 * latches nothing on master IR2, and once the master is EOIed nothing is
 * pending (no spurious IRQ15).  A line another source still holds stays.
 */
TEST_F(irqfd, resample_slave_eoi_latches_no_cascade)
{
	int e = eventfd(0, 0), r = eventfd(0, EFD_NONBLOCK);
	struct kvm_pic_state m, s;
	__u64 cnt = 0;

	KVMIRQ_ONLY();
	ASSERT_LE(0, e);
	ASSERT_LE(0, r);
	m = get_pic(self->vm, 0);
	s = get_pic(self->vm, 1);
	m.irq_base = 0x20;
	s.irq_base = 0x28;
	ASSERT_EQ(0, set_pic(self->vm, 0, &m));
	ASSERT_EQ(0, set_pic(self->vm, 1, &s));
	/* GSI 11: slave pin 3 (level) and IOAPIC pin 11. */
	ASSERT_EQ(0, irqfd(self->vm, e, 11, KVM_IRQFD_FLAG_RESAMPLE, r));
	signal_fd(e);
	ASSERT_TRUE(wait_irr(self->vm, 1, 0x08, 0x08));
	EXPECT_EQ(0x04, get_pic(self->vm, 0).irr);
	EXPECT_EQ(0x2b, pic_inta(self->vm));
	EXPECT_EQ(0, get_pic(self->vm, 0).irr);

	outb(self->vm, 0xa0, 0x20);			/* slave EOI */
	EXPECT_EQ(0, get_pic(self->vm, 1).irr);
	EXPECT_EQ(0, get_pic(self->vm, 0).irr);		/* no IR2 latched */
	EXPECT_EQ(0, get_ioapic(self->vm).irr & (1 << 11));
	EXPECT_EQ(sizeof(cnt), read(r, &cnt, sizeof(cnt)));
	EXPECT_EQ(1, cnt);
	outb(self->vm, 0x20, 0x20);			/* master EOI */
	EXPECT_EQ(0x27, pic_inta(self->vm));		/* master spurious */
	EXPECT_EQ(0, get_pic(self->vm, 1).isr);

	/* The device still wants service: it raises the line again. */
	signal_fd(e);
	ASSERT_TRUE(wait_irr(self->vm, 1, 0x08, 0x08));
	EXPECT_EQ(0x2b, pic_inta(self->vm));
	/* KVM_IRQ_LINE holds the line too: the EOI lowers source 1 only. */
	EXPECT_EQ(0, irq_line(self->vm, 11, 1));
	outb(self->vm, 0xa0, 0x20);
	EXPECT_EQ(0x08, get_pic(self->vm, 1).irr);
	EXPECT_EQ(0x04, get_pic(self->vm, 0).irr);
	outb(self->vm, 0x20, 0x20);
	EXPECT_EQ(0x2b, pic_inta(self->vm));
	close(e);
	close(r);
}

/* Resample on IOAPIC EOI: remote IRR cleared, no re-delivery. */
TEST_F(irqfd, resample_on_ioapic_eoi)
{
	struct kvm_ioapic_state s = get_ioapic(self->vm);
	int e = eventfd(0, 0), r = eventfd(0, EFD_NONBLOCK);
	struct timespec ts = { 0, 1000 * 1000 };
	__u64 cnt = 0;
	int i;

	KVMIRQ_ONLY();
	s.redirtbl[20].bits = RTE_LEVEL | 0x55;
	ASSERT_EQ(0, set_ioapic(self->vm, &s));
	ASSERT_EQ(0, irqfd(self->vm, e, 20, KVM_IRQFD_FLAG_RESAMPLE, r));
	signal_fd(e);
	for (i = 0; i < 2000 && !(get_ioapic(self->vm).irr & (1 << 20)); i++)
		nanosleep(&ts, NULL);
	s = get_ioapic(self->vm);
	EXPECT_EQ(1 << 20, s.irr);
	EXPECT_EQ(RTE_LEVEL | RTE_REMOTE_IRR | 0x55, s.redirtbl[20].bits);
	EXPECT_EQ(0, ioapic_eoi(self->vm, 0x55));
	s = get_ioapic(self->vm);
	EXPECT_EQ(0, s.irr);
	EXPECT_EQ(RTE_LEVEL | 0x55, s.redirtbl[20].bits);
	EXPECT_EQ(sizeof(cnt), read(r, &cnt, sizeof(cnt)));
	close(e);
	close(r);
}

/* Closing the eventfd detaches the irqfd; closing the VM releases all. */
TEST_F(irqfd, close_paths)
{
	int e = eventfd(0, 0), r = eventfd(0, 0), i;

	ASSERT_LE(0, e);
	ASSERT_EQ(0, irqfd(self->vm, e, 3, 0, 0));
	close(e);
	for (i = 0; i < 50; i++) {
		e = eventfd(0, 0);
		ASSERT_EQ(0, irqfd(self->vm, e, i, i & 1 ? KVM_IRQFD_FLAG_RESAMPLE : 0, r));
		if (i & 2)
			close(e);
	}
	close(self->vm);
	self->vm = -1;
	close(r);
}

/* Several threads signalling irqfds and changing lines at once. */
struct storm {
	int vm;
	int fd;
	int gsi;
};

static void *storm_thread(void *arg)
{
	struct storm *s = arg;
	int i;

	for (i = 0; i < 500; i++) {
		if (s->fd >= 0)
			signal_fd(s->fd);
		else
			irq_line(s->vm, s->gsi, i & 1);
	}
	return NULL;
}

TEST_F(irqfd, threads)
{
	struct kvm_irq_routing_entry rt = irqchip_route(200, 2, 22);
	struct storm st[6];
	pthread_t th[6];
	int i;

	ASSERT_EQ(0, set_routing(self->vm, &rt, 1));
	for (i = 0; i < 6; i++) {
		st[i].vm = self->vm;
		st[i].gsi = i < 3 ? 3 + i : 200;
		st[i].fd = i & 1 ? eventfd(0, 0) : -1;
		if (st[i].fd >= 0)
			ASSERT_EQ(0, irqfd(self->vm, st[i].fd, st[i].gsi,
					   i == 3 ? KVM_IRQFD_FLAG_RESAMPLE : 0,
					   st[i].fd));
		ASSERT_EQ(0, pthread_create(&th[i], NULL, storm_thread, &st[i]));
	}
	for (i = 0; i < 6; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 6; i++) {
		if (st[i].fd < 0)
			continue;
		EXPECT_EQ(0, irqfd(self->vm, st[i].fd, st[i].gsi,
				   KVM_IRQFD_FLAG_DEASSIGN, 0));
		close(st[i].fd);
	}
}

/*
 * An irqfd whose GSI has one MSI route is delivered in the eventfd
 * wake-up: the vector is in the IRR when write() returns.  Rerouting takes
 * effect at the next signal.
 */
TEST_F(irqfd, msi_synchronous)
{
	struct kvm_irq_routing_entry rt = { .gsi = 300, .type = KVM_IRQ_ROUTING_MSI };
	int vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0), e = eventfd(0, 0);

	ASSERT_LE(0, vcpu);
	ASSERT_LE(0, e);
	ASSERT_EQ(0, lapic_enable(vcpu));
	rt.u.msi.address_lo = 0xfee00000;
	rt.u.msi.data = 0x66;
	ASSERT_EQ(0, set_routing(self->vm, &rt, 1));
	ASSERT_EQ(0, irqfd(self->vm, e, 300, 0, 0));
	signal_fd(e);
	EXPECT_EQ(1, irr_count(vcpu, 0x66));
	rt.u.msi.data = 0x67;
	ASSERT_EQ(0, set_routing(self->vm, &rt, 1));
	signal_fd(e);
	EXPECT_EQ(1, irr_count(vcpu, 0x67));
	close(e);
	close(vcpu);
}

/* Assign and deassign while another thread keeps signalling. */
struct signaller {
	int fd;
	int stop;
};

static void *signal_loop(void *arg)
{
	struct signaller *s = arg;

	while (!__atomic_load_n(&s->stop, __ATOMIC_RELAXED))
		signal_fd(s->fd);
	return NULL;
}

TEST_F(irqfd, deassign_while_signalled)
{
	struct signaller s = { .fd = eventfd(0, 0) };
	int r = eventfd(0, 0), i;
	pthread_t th;

	ASSERT_LE(0, s.fd);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, pthread_create(&th, NULL, signal_loop, &s));
	for (i = 0; i < 300; i++) {
		__u32 flags = i & 1 ? KVM_IRQFD_FLAG_RESAMPLE : 0;

		ASSERT_EQ(0, irqfd(self->vm, s.fd, 3 + i % 5, flags, r));
		ASSERT_EQ(0, irqfd(self->vm, s.fd, 3 + i % 5,
				   KVM_IRQFD_FLAG_DEASSIGN, 0));
	}
	__atomic_store_n(&s.stop, 1, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	/* Pulses end low, and the last resampler lowered its line. */
	EXPECT_EQ(0, get_pic(self->vm, 0).irr & 0xf8);
	EXPECT_EQ(0, get_ioapic(self->vm).irr);
	close(s.fd);
	close(r);
}

TEST_HARNESS_MAIN
