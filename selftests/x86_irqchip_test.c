// SPDX-License-Identifier: GPL-2.0
/*
 * x86 in-kernel irqchip: KVM_CREATE_IRQCHIP, KVM_IRQ_LINE(_STATUS),
 * KVM_GET/SET_IRQCHIP, capabilities, errnos and state round trips.
 * Every test except the guest-side ones runs on KVM too.
 */
#include <pthread.h>
#include <sys/eventfd.h>

#include "x86_irqchip.h"

FIXTURE(bare) {
	int dev;
	int kvmirq;
	int vm;
};

FIXTURE_SETUP(bare)
{
	self->vm = -1;
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	ASSERT_LE(0, self->vm);
}

FIXTURE_TEARDOWN(bare)
{
	CLOSE_FDS(self->vm, self->dev);
}

TEST_F(bare, capabilities)
{
	int fds[2] = { self->dev, self->vm }, i;

	for (i = 0; i < 2; i++) {
		EXPECT_EQ(1, ioctl(fds[i], KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP));
		EXPECT_EQ(1, ioctl(fds[i], KVM_CHECK_EXTENSION, KVM_CAP_IRQ_INJECT_STATUS));
		EXPECT_EQ(4096, ioctl(fds[i], KVM_CHECK_EXTENSION, KVM_CAP_IRQ_ROUTING));
		EXPECT_EQ(1, ioctl(fds[i], KVM_CHECK_EXTENSION, KVM_CAP_IRQFD));
		EXPECT_EQ(1, ioctl(fds[i], KVM_CHECK_EXTENSION, KVM_CAP_IRQFD_RESAMPLE));
		EXPECT_EQ(1, ioctl(fds[i], KVM_CHECK_EXTENSION,
				   KVM_CAP_IOAPIC_POLARITY_IGNORED));
	}
}

/* Before KVM_CREATE_IRQCHIP: ENXIO for the chip ioctls, EINVAL for routing. */
TEST_F(bare, errnos_without_irqchip)
{
	struct kvm_irq_level l = { .irq = 0, .level = 1 };
	struct kvm_irq_routing r = { 0 };
	struct kvm_irqchip chip = { 0 };
	struct kvm_irqfd fd = { .fd = 0 };

	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(self->vm, KVM_IRQ_LINE, &l)));
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(self->vm, KVM_IRQ_LINE_STATUS, &l)));
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(self->vm, KVM_GET_IRQCHIP, &chip)));
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(self->vm, KVM_SET_IRQCHIP, &chip)));
	chip.chip_id = 7;
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(self->vm, KVM_GET_IRQCHIP, &chip)));
	/* The buffer is copied in first: a bad pointer is EFAULT even here. */
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_GET_IRQCHIP, NULL)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_SET_IRQCHIP, NULL)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_IRQ_LINE, NULL)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_SET_GSI_ROUTING, &r)));
	fd.fd = eventfd(0, 0);
	ASSERT_LE(0, (int)fd.fd);
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_IRQFD, &fd)));
	/* Deassign does not look at the irqchip. */
	fd.flags = KVM_IRQFD_FLAG_DEASSIGN;
	EXPECT_EQ(0, ioctl(self->vm, KVM_IRQFD, &fd));
	close(fd.fd);
}

TEST_F(bare, create_twice)
{
	EXPECT_EQ(0, ioctl(self->vm, KVM_CREATE_IRQCHIP, 0));
	EXPECT_EQ(EEXIST, kvmirq_errno(ioctl(self->vm, KVM_CREATE_IRQCHIP, 0)));
	/* The argument is ignored. */
	EXPECT_EQ(EEXIST, kvmirq_errno(ioctl(self->vm, KVM_CREATE_IRQCHIP, 1)));
}

TEST_F(bare, create_after_vcpu)
{
	int vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	struct kvm_irq_level l = { .irq = 0, .level = 1 };

	ASSERT_LE(0, vcpu);
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_CREATE_IRQCHIP, 0)));
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(self->vm, KVM_IRQ_LINE, &l)));
	close(vcpu);
}

/* Concurrent creators: exactly one wins, the others see EEXIST. */
static void *create_irqchip_thread(void *arg)
{
	long r = ioctl(*(int *)arg, KVM_CREATE_IRQCHIP, 0);

	return (void *)(r ? (long)errno : 0L);
}

TEST_F(bare, create_race)
{
	pthread_t t[4];
	int i, wins = 0;
	void *r;

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, create_irqchip_thread, &self->vm));
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], &r);
		if (!r)
			wins++;
		else
			EXPECT_EQ(EEXIST, (long)r);
	}
	EXPECT_EQ(1, wins);
}

FIXTURE(chip) {
	int dev;
	int kvmirq;
	int vm;
};

FIXTURE_SETUP(chip)
{
	self->vm = -1;
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = irqchip_vm(self->dev);
	ASSERT_LE(0, self->vm);
}

FIXTURE_TEARDOWN(chip)
{
	CLOSE_FDS(self->vm, self->dev);
}

TEST_F(chip, initial_state)
{
	struct kvm_pic_state m = get_pic(self->vm, 0), s = get_pic(self->vm, 1);
	struct kvm_pic_state zero = { 0 };
	struct kvm_ioapic_state io = get_ioapic(self->vm);
	int i;

	EXPECT_EQ(0xf8, m.elcr_mask);
	EXPECT_EQ(0xde, s.elcr_mask);
	m.elcr_mask = 0;
	s.elcr_mask = 0;
	EXPECT_EQ(0, memcmp(&m, &zero, sizeof(m)));
	EXPECT_EQ(0, memcmp(&s, &zero, sizeof(s)));
	EXPECT_EQ(IOAPIC_BASE, io.base_address);
	EXPECT_EQ(0, io.ioregsel);
	EXPECT_EQ(0, io.id);
	EXPECT_EQ(0, io.irr);
	for (i = 0; i < NR_IOAPIC_PINS; i++)
		EXPECT_EQ(RTE_MASKED, io.redirtbl[i].bits);
}

TEST_F(chip, bad_chip_id)
{
	struct kvm_irqchip c;

	EXPECT_EQ(EINVAL, kvmirq_errno(get_chip(self->vm, 3, &c)));
	EXPECT_EQ(EINVAL, kvmirq_errno(get_chip(self->vm, 0xffffffff, &c)));
	c.chip_id = 3;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_SET_IRQCHIP, &c)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_GET_IRQCHIP, (void *)8)));
}

/* GET copies the whole 520 bytes back: pad and the union's tail survive. */
TEST_F(chip, get_keeps_pad_and_tail)
{
	struct kvm_irqchip c;
	int id;

	for (id = 0; id < 3; id++) {
		memset(&c, 0x5a, sizeof(c));
		c.chip_id = id;
		ASSERT_EQ(0, ioctl(self->vm, KVM_GET_IRQCHIP, &c));
		EXPECT_EQ(0x5a5a5a5a, c.pad);
		EXPECT_EQ(0x5a, (unsigned char)c.chip.dummy[511]);
		EXPECT_EQ(0x5a, (unsigned char)c.chip.dummy[id == 2 ? 216 : 16]);
	}
}

/* KVM_IRQ_LINE never writes back; LINE_STATUS writes status over irq. */
TEST_F(chip, irq_line_writeback)
{
	struct kvm_irq_level l = { .irq = 3, .level = 1 };

	ASSERT_EQ(0, ioctl(self->vm, KVM_IRQ_LINE, &l));
	EXPECT_EQ(3, l.irq);
	l.irq = 4;
	ASSERT_EQ(0, ioctl(self->vm, KVM_IRQ_LINE_STATUS, &l));
	EXPECT_EQ(1, l.status);
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_IRQ_LINE_STATUS, NULL)));
}

/* Status sums over the routes of a GSI (spec §4 and §18 seed 3). */
TEST_F(chip, status_sums)
{
	EXPECT_EQ(1, irq_line(self->vm, 3, 1));	/* PIC 1 + IOAPIC -1 */
	EXPECT_EQ(1, irq_line(self->vm, 3, 1));	/* PIC 1 + IOAPIC 0 */
	EXPECT_EQ(2, irq_line(self->vm, 3, 0));	/* 1 + 1 */
	EXPECT_EQ(0, irq_line(self->vm, 3, 1));	/* PIC coalesced + -1 */
	EXPECT_EQ(-1, irq_line(self->vm, 16, 1));
	EXPECT_EQ(1, irq_line(self->vm, 16, 0));
	EXPECT_EQ(-1, irq_line(self->vm, 24, 1));
	EXPECT_EQ(-1, irq_line(self->vm, 100, 0));
	EXPECT_EQ(-1, irq_line(self->vm, 4095, 1));
	EXPECT_EQ(-1, irq_line(self->vm, 4096, 1));
	EXPECT_EQ(-1, irq_line(self->vm, 0xffffffff, 1));
	/* level is a boolean */
	EXPECT_EQ(1, irq_line(self->vm, 5, 2));
	EXPECT_EQ(0x28, get_pic(self->vm, 0).irr);	/* edge IR3 stays latched */
}

/* Slave pins cascade into master IR2; GSI 2 is the cascade input itself. */
TEST_F(chip, cascade)
{
	struct kvm_pic_state m, s;

	EXPECT_EQ(1, irq_line(self->vm, 10, 1));
	s = get_pic(self->vm, 1);
	m = get_pic(self->vm, 0);
	EXPECT_EQ(0x04, s.irr);
	EXPECT_EQ(0x04, m.irr);
	EXPECT_EQ(0, m.last_irr);

	/* IR2 already latched: the new edge is coalesced (PIC 0, IOAPIC -1) */
	EXPECT_EQ(0, irq_line(self->vm, 2, 1));
	/* ...and the cascade pulse of the pending slave lowers it again */
	EXPECT_EQ(0, get_pic(self->vm, 0).last_irr);
}

/* An in-service slave IRQ of higher priority blocks the cascade. */
TEST_F(chip, cascade_blocked_by_isr)
{
	struct kvm_pic_state s = get_pic(self->vm, 1);

	s.isr = 0x01;
	ASSERT_EQ(0, set_pic(self->vm, 1, &s));
	EXPECT_EQ(1, irq_line(self->vm, 13, 1));
	EXPECT_EQ(0x20, get_pic(self->vm, 1).irr);
	EXPECT_EQ(0, get_pic(self->vm, 0).irr);
	/* Rotating priority so that IR5 beats IR0 lets it through. */
	s = get_pic(self->vm, 1);
	s.priority_add = 5;
	ASSERT_EQ(0, set_pic(self->vm, 1, &s));
	EXPECT_EQ(0x04, get_pic(self->vm, 0).irr);
}

TEST_F(chip, level_and_mask)
{
	struct kvm_pic_state m = get_pic(self->vm, 0);

	m.elcr = 0x08;
	m.imr = 0x10;
	ASSERT_EQ(0, set_pic(self->vm, 0, &m));
	/* level pin 3: IRR follows the line */
	EXPECT_EQ(1, irq_line(self->vm, 3, 1));
	EXPECT_EQ(0, irq_line(self->vm, 3, 1) - 0);	/* 0 + IOAPIC 0 */
	EXPECT_EQ(0x08, get_pic(self->vm, 0).irr);
	EXPECT_EQ(2, irq_line(self->vm, 3, 0));
	EXPECT_EQ(0, get_pic(self->vm, 0).irr);
	/* masked pin 4 latches but reports -1 */
	EXPECT_EQ(-1, irq_line(self->vm, 4, 1));
	EXPECT_EQ(0x10, get_pic(self->vm, 0).irr);
}

/* PIC SET is a raw copy: GET returns exactly what was set. */
TEST_F(chip, pic_set_get_raw)
{
	struct kvm_pic_state s, g;
	int c, i;

	for (c = 0; c < 2; c++) {
		for (i = 0; i < 16; i++)
			((unsigned char *)&s)[i] = 0x11 * i + c;
		s.irr = 0;	/* nothing to cascade */
		s.imr = 0xff;
		ASSERT_EQ(0, set_pic(self->vm, c, &s));
		g = get_pic(self->vm, c);
		EXPECT_EQ(0, memcmp(&s, &g, sizeof(s)));
	}
}

/* Both PICs of @vm and of @m to the same random states (SET_IRQCHIP). */
static void random_pics(struct __test_metadata *_metadata, int vm,
			struct pic_model *m, __u64 *seed)
{
	int c;

	for (c = 0; c < 2; c++) {
		m->c[c] = random_pic_state(seed, c);
		ASSERT_EQ(0, set_pic(vm, c, &m->c[c]));
		pm_update(m);
	}
}

/*
 * Random PIC states through SET then GET: the result must be the reference
 * model's (SET is a raw copy, then the cascade is recomputed).
 */
TEST_F(chip, pic_set_get_random)
{
	__u64 seed = 0x1234567;
	struct pic_model m = { 0 };
	struct kvm_pic_state g0, g1;
	int i;

	m.c[0] = get_pic(self->vm, 0);
	m.c[1] = get_pic(self->vm, 1);
	for (i = 0; i < 300; i++) {
		/* Each SET recomputes the cascade. */
		random_pics(_metadata, self->vm, &m, &seed);
		g0 = get_pic(self->vm, 0);
		g1 = get_pic(self->vm, 1);
		ASSERT_EQ(0, memcmp(&g0, &m.c[0], sizeof(g0))) TH_LOG("iteration %d", i);
		ASSERT_EQ(0, memcmp(&g1, &m.c[1], sizeof(g1))) TH_LOG("iteration %d", i);
	}
}

/*
 * Random KVM_IRQ_LINE sequences on PIC-only routes from random states,
 * checked against the reference model: statuses and full state.
 */
TEST_F(chip, pic_lines_random)
{
	struct kvm_irq_routing_entry e[16];
	__u64 seed = 0xfeedbeef;
	struct pic_model m = { 0 };
	struct kvm_pic_state g;
	int i, pin, lvl, want;

	m.c[0] = get_pic(self->vm, 0);
	m.c[1] = get_pic(self->vm, 1);
	for (i = 0; i < 16; i++)
		e[i] = irqchip_route(i, i >> 3, i & 7);
	ASSERT_EQ(0, set_routing(self->vm, e, 16));

	for (i = 0; i < 3000; i++) {
		if (i % 100 == 0) {
			/* Lines stay as they are: only the registers change. */
			random_pics(_metadata, self->vm, &m, &seed);
		}
		pin = rnd(&seed) % 16;
		lvl = rnd(&seed) % 2;
		want = pm_set_irq(&m, pin, 0, lvl);
		ASSERT_EQ(want, irq_line(self->vm, pin, lvl)) TH_LOG("step %d pin %d", i, pin);
		g = get_pic(self->vm, pin >> 3);
		ASSERT_EQ(0, memcmp(&g, &m.c[pin >> 3], sizeof(g))) TH_LOG("step %d", i);
		g = get_pic(self->vm, 0);
		ASSERT_EQ(0, memcmp(&g, &m.c[0], sizeof(g))) TH_LOG("step %d", i);
	}
}

/* IOAPIC SET is a raw copy, then the supplied irr is asserted again. */
TEST_F(chip, ioapic_set_get)
{
	struct kvm_ioapic_state s = { 0 }, g;
	int i;

	s.base_address = 0x123456789abcdef0ULL;
	s.ioregsel = 0x1234;
	s.id = 0x7f;
	s.pad = 0xdeadbeef;
	for (i = 0; i < NR_IOAPIC_PINS; i++)
		s.redirtbl[i].bits = 0xabcd000000000000ULL | RTE_MASKED |
				     (i & 1 ? RTE_REMOTE_IRR | (1 << 12) : 0) |
				     (i & 2 ? RTE_LEVEL : 0) | (0x30 + i);
	ASSERT_EQ(0, set_ioapic(self->vm, &s));
	g = get_ioapic(self->vm);
	EXPECT_EQ(0, memcmp(&s, &g, sizeof(s)));
}

/*
 * Random IOAPIC states (no vcpus: every delivery finds nobody, -1): masked
 * pins keep irr, unmasked edge pins are delivered and hidden from GET,
 * unmasked level pins get remote IRR.  Same fix-ups as KVM.
 */
TEST_F(chip, ioapic_set_get_random)
{
	struct kvm_ioapic_state s, g;
	__u64 seed = 42, want_irr;
	int i, pin;

	for (i = 0; i < 200; i++) {
		memset(&s, 0, sizeof(s));
		s.base_address = IOAPIC_BASE;
		s.ioregsel = rnd(&seed) & 0xff;
		s.id = rnd(&seed) & 0xf;
		s.irr = rnd(&seed) & 0xffffff;
		want_irr = 0;
		for (pin = 0; pin < NR_IOAPIC_PINS; pin++)
			s.redirtbl[pin].bits = rnd(&seed) & ~(1ULL << 12);
		ASSERT_EQ(0, set_ioapic(self->vm, &s));
		g = get_ioapic(self->vm);
		for (pin = 0; pin < NR_IOAPIC_PINS; pin++) {
			__u64 rte = s.redirtbl[pin].bits;
			int pending = s.irr & (1 << pin);
			int level = !!(rte & RTE_LEVEL);
			int masked = !!(rte & RTE_MASKED);

			if (pending && (masked || level))
				want_irr |= 1 << pin;
			if (pending && level && !masked && !(rte & RTE_REMOTE_IRR))
				rte |= RTE_REMOTE_IRR;
			EXPECT_EQ(rte, g.redirtbl[pin].bits) TH_LOG("i %d pin %d", i, pin);
		}
		EXPECT_EQ(want_irr, g.irr) TH_LOG("i %d", i);
		EXPECT_EQ(s.id, g.id);
		EXPECT_EQ(s.ioregsel, g.ioregsel);
	}
}

/* Every PIC pin, master and slave, edge and level, masked and not. */
TEST_F(chip, every_pic_pin_every_mode)
{
	struct kvm_irq_routing_entry e[16];
	struct kvm_pic_state m = get_pic(self->vm, 0), s = get_pic(self->vm, 1);
	int pin, mode, bit, c, masked, level, want_assert;

	for (pin = 0; pin < 16; pin++)
		e[pin] = irqchip_route(pin, pin >> 3, pin & 7);
	ASSERT_EQ(0, set_routing(self->vm, e, 16));

	for (mode = 0; mode < 4; mode++) {
		level = mode & 1;
		masked = mode >> 1;
		/* SET_IRQCHIP may set ELCR bits the guest could not. */
		m.elcr = level ? 0xff : 0;
		s.elcr = m.elcr;
		m.imr = masked ? 0xff : 0;
		s.imr = m.imr;
		m.irr = 0;
		s.irr = 0;
		m.last_irr = 0;
		s.last_irr = 0;
		ASSERT_EQ(0, set_pic(self->vm, 0, &m));
		ASSERT_EQ(0, set_pic(self->vm, 1, &s));
		for (pin = 0; pin < 16; pin++) {
			c = pin >> 3;
			bit = 1 << (pin & 7);
			want_assert = masked ? -1 : 1;
			EXPECT_EQ(want_assert, irq_line(self->vm, pin, 1))
				TH_LOG("pin %d mode %d", pin, mode);
			EXPECT_EQ(bit, get_pic(self->vm, c).irr & bit);
			EXPECT_EQ(bit, get_pic(self->vm, c).last_irr & bit);
			/* Again: edge reports 1 (no new edge), level 0. */
			EXPECT_EQ(masked ? -1 : !level, irq_line(self->vm, pin, 1));
			EXPECT_EQ(masked ? -1 : 1, irq_line(self->vm, pin, 0));
			/* Edge requests stay latched, level ones follow the line. */
			EXPECT_EQ(level ? 0 : bit, get_pic(self->vm, c).irr & bit);
			EXPECT_EQ(0, get_pic(self->vm, c).last_irr & bit);
			if (!level)
				EXPECT_EQ(masked ? -1 : 0, irq_line(self->vm, pin, 1));
		}
		m = get_pic(self->vm, 0);
		s = get_pic(self->vm, 1);
	}
}

/* Every IOAPIC pin, edge and level, masked and not (no vcpus: -1). */
TEST_F(chip, every_ioapic_pin_every_mode)
{
	struct kvm_irq_routing_entry e[NR_IOAPIC_PINS];
	struct kvm_ioapic_state io;
	int pin, mode, masked, level;
	__u64 rte;

	for (pin = 0; pin < NR_IOAPIC_PINS; pin++)
		e[pin] = irqchip_route(pin, 2, pin);
	ASSERT_EQ(0, set_routing(self->vm, e, NR_IOAPIC_PINS));

	for (mode = 0; mode < 4; mode++) {
		level = mode & 1;
		masked = mode >> 1;
		rte = (level ? RTE_LEVEL : 0) | (masked ? RTE_MASKED : 0) | 0x40;
		memset(&io, 0, sizeof(io));
		io.base_address = IOAPIC_BASE;
		for (pin = 0; pin < NR_IOAPIC_PINS; pin++)
			io.redirtbl[pin].bits = rte | pin;
		ASSERT_EQ(0, set_ioapic(self->vm, &io));
		for (pin = 0; pin < NR_IOAPIC_PINS; pin++) {
			EXPECT_EQ(-1, irq_line(self->vm, pin, 1))
				TH_LOG("pin %d mode %d", pin, mode);
			io = get_ioapic(self->vm);
			/* Delivered edges are hidden; the rest shows. */
			EXPECT_EQ(masked || level ? 1u << pin : 0, io.irr & (1u << pin));
			EXPECT_EQ(rte | pin | (level && !masked ? RTE_REMOTE_IRR : 0),
				  io.redirtbl[pin].bits);
			/* Again: edge coalesced (0), level -1 (masked/remote IRR). */
			EXPECT_EQ(level ? -1 : 0, irq_line(self->vm, pin, 1));
			EXPECT_EQ(1, irq_line(self->vm, pin, 0));
			EXPECT_EQ(0, get_ioapic(self->vm).irr & (1u << pin));
		}
	}
}

/* Several threads raising and lowering lines at once stay consistent. */
struct line_thread {
	int vm;
	int gsi;
	int bad;
};

static void *line_thread(void *arg)
{
	struct line_thread *t = arg;
	int i, r;

	for (i = 0; i < 2000; i++) {
		r = irq_line(t->vm, t->gsi, 1);
		if (r < -1 || r > 2)
			t->bad++;
		r = irq_line(t->vm, t->gsi, 0);
		if (r < -1 || r > 2)
			t->bad++;
	}
	return NULL;
}

TEST_F(chip, threads)
{
	struct line_thread t[6];
	pthread_t th[6];
	struct kvm_pic_state m = get_pic(self->vm, 0), s = get_pic(self->vm, 1);
	int i;

	/* Level pins, so the end state is exact: everything low. */
	m.elcr = 0xf8;
	s.elcr = 0xde;
	ASSERT_EQ(0, set_pic(self->vm, 0, &m));
	ASSERT_EQ(0, set_pic(self->vm, 1, &s));
	for (i = 0; i < 6; i++) {
		t[i] = (struct line_thread){ .vm = self->vm, .gsi = 3 + i * 2 };
		ASSERT_EQ(0, pthread_create(&th[i], NULL, line_thread, &t[i]));
	}
	for (i = 0; i < 6; i++) {
		pthread_join(th[i], NULL);
		EXPECT_EQ(0, t[i].bad);
	}
	EXPECT_EQ(0, get_pic(self->vm, 0).irr & 0xf8);
	EXPECT_EQ(0, get_pic(self->vm, 1).irr & 0xde);
	EXPECT_EQ(0, get_ioapic(self->vm).irr);
}

TEST_HARNESS_MAIN
