// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for i8254.c: the counter model as KVM's i8254.c computes it
 * (reset state, control words, latches, read-back, counts and OUT from a
 * load time placed in the past) and the reinjection bookkeeping, on a bare
 * VM (tests/chipset_kunit.h) without routes: IRQ0 reaches nothing.
 * Included at the end of i8254.c when CONFIG_KUNIT is set.
 */
#include <kunit/test.h>

#include "chipset_kunit.h"

static int kvmirq_pit_test_init(struct kunit *test)
{
	struct kvmirq_vm *vm = kvmirq_test_vm_create(test);
	struct kvmirq_pit *pit = kvmirq_pit_alloc(vm, KVM_PIT_SPEAKER_DUMMY);

	if (!pit) {
		kvmirq_test_vm_destroy(vm);
		return -ENOMEM;
	}
	kvmirq_x86(vm)->pit = pit;	/* one thread: no publication order */
	test->priv = vm;
	return 0;
}

static void kvmirq_pit_test_exit(struct kunit *test)
{
	struct kvmirq_vm *vm = test->priv;

	if (!vm)
		return;
	kvmirq_pit_destroy(vm);
	kvmirq_test_vm_destroy(vm);
}

static struct kvmirq_pit *t_pit(struct kunit *test)
{
	return kvmirq_pit_of(test->priv);
}

static void t_out(struct kunit *test, u16 port, u8 val)
{
	struct kvmirq_io io = { .space = KVMIRQ_SPACE_PIO, .len = 1,
				.addr = port, .flags = KVMIRQ_IO_WRITE,
				.data = val };

	KUNIT_ASSERT_EQ(test, kvmirq_pit_io(test->priv, &io), 0);
}

static u8 t_in(struct kunit *test, u16 port)
{
	struct kvmirq_io io = { .space = KVMIRQ_SPACE_PIO, .len = 1,
				.addr = port };

	KUNIT_ASSERT_EQ(test, kvmirq_pit_io(test->priv, &io), 0);
	return io.data;
}

/* Channel @c's load time moved @ns into the past (channels 1 and 2). */
static void t_age(struct kunit *test, int c, s64 ns)
{
	t_pit(test)->ch[c].count_load_time -= ns;
}

/* KVM's reset: counts 0x10000, no mode, gates 1 1 0, reinjection on. */
static void kvmirq_pit_reset_test(struct kunit *test)
{
	struct kvmirq_pit *pit = t_pit(test);
	int c;

	for (c = 0; c < PIT_NR_CHANNELS; c++) {
		KUNIT_EXPECT_EQ(test, pit->ch[c].count, 0x10000);
		KUNIT_EXPECT_EQ(test, pit->ch[c].mode, PIT_MODE_NONE);
		KUNIT_EXPECT_EQ(test, pit->ch[c].gate, c != 2);
	}
	KUNIT_EXPECT_EQ(test, pit->ch[0].count_load_time, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&pit->reinject), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&pit->irq_ack), 1);
	KUNIT_EXPECT_FALSE(test, hrtimer_active(&pit->timer));
}

/* Mode 0 counts down from the load and wraps at 16 bits. */
static void kvmirq_pit_mode0_count_test(struct kunit *test)
{
	u16 count;

	t_out(test, 0x43, 0x80 | 0x30);			/* ch2 word mode 0 */
	t_out(test, 0x42, 0x00);
	t_out(test, 0x42, 0x10);			/* 0x1000 */
	t_age(test, 2, 1000000);			/* 1 ms: 1193 ticks */
	count = t_in(test, 0x42);
	count |= t_in(test, 0x42) << 8;
	KUNIT_EXPECT_LE(test, count, 0x1000 - 1193);
	KUNIT_EXPECT_GE(test, count, 0x1000 - 1193 - 2000);
	/* Long past the count: wrapped, OUT high. */
	t_age(test, 2, 10000000);
	mutex_lock(&t_pit(test)->lock);
	KUNIT_EXPECT_TRUE(test, kvmirq_pit_out_locked(t_pit(test), 2));
	KUNIT_EXPECT_GT(test, kvmirq_pit_count_locked(t_pit(test), 2), 0x1000);
	mutex_unlock(&t_pit(test)->lock);
}

/* Mode 2 reloads: 2.5 periods in, half a period is left. */
static void kvmirq_pit_mode2_reload_test(struct kunit *test)
{
	u32 count;

	t_out(test, 0x43, 0x40 | 0x30 | 2 << 1);	/* ch1 word mode 2 */
	t_out(test, 0x41, 0x00);
	t_out(test, 0x41, 0x80);			/* 0x8000 */
	/* 2.5 * 0x8000 ticks = 68.65 ms */
	t_age(test, 1, 68650000);
	mutex_lock(&t_pit(test)->lock);
	count = kvmirq_pit_count_locked(t_pit(test), 1);
	mutex_unlock(&t_pit(test)->lock);
	KUNIT_EXPECT_LE(test, count, 0x4000 + 100);
	KUNIT_EXPECT_GE(test, count, 0x4000 - 5000);
}

/* Modes 6 and 7 are 2 and 3; the status byte has OUT, access, mode, BCD. */
static void kvmirq_pit_status_test(struct kunit *test)
{
	struct kvmirq_pit *pit = t_pit(test);

	t_out(test, 0x43, 0x80 | 0x10 | 7 << 1 | 1);	/* ch2 LSB mode 7 BCD */
	KUNIT_EXPECT_EQ(test, pit->ch[2].mode, 3);
	KUNIT_EXPECT_EQ(test, pit->ch[2].bcd, 1);
	t_out(test, 0x42, 100);
	t_out(test, 0x43, 0xc0 | 0x20 | 1 << 3);	/* read-back ch2 status */
	KUNIT_EXPECT_EQ(test, t_in(test, 0x42) & 0x7f, 1 << 4 | 3 << 1 | 1);
	KUNIT_EXPECT_EQ(test, pit->ch[2].status_latched, 0);
}

/* A latched count survives a second latch and reads out byte by byte. */
static void kvmirq_pit_latch_test(struct kunit *test)
{
	struct kvmirq_pit *pit = t_pit(test);
	u16 latched;

	t_out(test, 0x43, 0x40 | 0x30 | 2 << 1);
	t_out(test, 0x41, 0x34);
	t_out(test, 0x41, 0x12);
	t_out(test, 0x43, 0x40);
	KUNIT_EXPECT_EQ(test, pit->ch[1].count_latched, 3);
	latched = pit->ch[1].latched_count;
	t_age(test, 1, 1000000);
	t_out(test, 0x43, 0x40);
	KUNIT_EXPECT_EQ(test, pit->ch[1].latched_count, latched);
	KUNIT_EXPECT_EQ(test, t_in(test, 0x41), latched & 0xff);
	KUNIT_EXPECT_EQ(test, pit->ch[1].count_latched, 2);
	KUNIT_EXPECT_EQ(test, t_in(test, 0x41), latched >> 8);
	KUNIT_EXPECT_EQ(test, pit->ch[1].count_latched, 0);
}

/* Port 0x61: gate 2 and the speaker flag; a rising gate reloads mode 1. */
static void kvmirq_pit_speaker_test(struct kunit *test)
{
	struct kvmirq_pit *pit = t_pit(test);
	s64 before;

	t_out(test, 0x43, 0x80 | 0x30 | 1 << 1);	/* ch2 mode 1 */
	t_out(test, 0x42, 0xff);
	t_out(test, 0x42, 0xff);
	t_age(test, 2, 1000000);
	before = pit->ch[2].count_load_time;
	t_out(test, 0x61, 3);
	KUNIT_EXPECT_GT(test, pit->ch[2].count_load_time, before);
	KUNIT_EXPECT_EQ(test, pit->ch[2].gate, 1);
	KUNIT_EXPECT_EQ(test, pit->flags, KVM_PIT_FLAGS_SPEAKER_DATA_ON);
	KUNIT_EXPECT_EQ(test, t_in(test, 0x61) & 3, 3);
	t_out(test, 0x61, 0);
	KUNIT_EXPECT_EQ(test, pit->flags, 0);
}

/* Ticks pile up while IRQ0 is unacknowledged; each ack releases one. */
static void kvmirq_pit_reinject_test(struct kunit *test)
{
	struct kvmirq_pit *pit = t_pit(test);
	struct kvmirq_vm *vm = test->priv;

	atomic_set(&pit->pending, 3);
	atomic_set(&pit->irq_ack, 0);
	kvmirq_pit_acked(&pit->ack);
	flush_work(&pit->inject);
	KUNIT_EXPECT_EQ(test, atomic_read(&pit->pending), 2);
	KUNIT_EXPECT_EQ(test, atomic64_read(&vm->stats.pit_reinjected), 1);
	/* The injection took the ack. */
	KUNIT_EXPECT_EQ(test, atomic_read(&pit->irq_ack), 0);
	/* An unmask forgets them. */
	kvmirq_pit_masked(&pit->mask, false);
	KUNIT_EXPECT_EQ(test, atomic_read(&pit->pending), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&pit->irq_ack), 1);
	kvmirq_pit_acked(&pit->ack);
	KUNIT_EXPECT_EQ(test, atomic64_read(&vm->stats.pit_reinjected), 1);
}

/* A periodic count below 200 us is clamped; HPET legacy keeps it stopped. */
static void kvmirq_pit_timer_test(struct kunit *test)
{
	struct kvmirq_pit *pit = t_pit(test);

	t_out(test, 0x43, 0x30 | 2 << 1);		/* ch0 word mode 2 */
	t_out(test, 0x40, 2);
	t_out(test, 0x40, 0);
	KUNIT_EXPECT_TRUE(test, pit->periodic);
	KUNIT_EXPECT_EQ(test, pit->period_ns, PIT_MIN_PERIOD_NS);
	mutex_lock(&pit->lock);
	kvmirq_pit_load_count_stopped_locked(pit, 2);
	mutex_unlock(&pit->lock);
	KUNIT_EXPECT_FALSE(test, hrtimer_active(&pit->timer));
	KUNIT_EXPECT_EQ(test, pit->ch[0].mode, 2);
	pit->flags = KVM_PIT_FLAGS_HPET_LEGACY;
	t_out(test, 0x40, 0);
	t_out(test, 0x40, 0x10);
	KUNIT_EXPECT_FALSE(test, hrtimer_active(&pit->timer));
	KUNIT_EXPECT_EQ(test, pit->ch[0].count, 0x1000);
}

static struct kunit_case kvmirq_pit_test_cases[] = {
	KUNIT_CASE(kvmirq_pit_reset_test),
	KUNIT_CASE(kvmirq_pit_mode0_count_test),
	KUNIT_CASE(kvmirq_pit_mode2_reload_test),
	KUNIT_CASE(kvmirq_pit_status_test),
	KUNIT_CASE(kvmirq_pit_latch_test),
	KUNIT_CASE(kvmirq_pit_speaker_test),
	KUNIT_CASE(kvmirq_pit_reinject_test),
	KUNIT_CASE(kvmirq_pit_timer_test),
	{}
};

static struct kunit_suite kvmirq_pit_test_suite = {
	.name = "kvmirq_pit",
	.init = kvmirq_pit_test_init,
	.exit = kvmirq_pit_test_exit,
	.test_cases = kvmirq_pit_test_cases,
};

kunit_test_suite(kvmirq_pit_test_suite);
