// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel i8254 PIT: KVM_CREATE_PIT(2), KVM_GET/SET_PIT(2),
 * KVM_REINJECT_CONTROL, checked on KVM and kvmirq alike (state round trips,
 * errnos, reinjection control); then, where the guest-side PIT ports exist
 * (KVMIRQ_ACTION_PIT_PIO), the counters as a guest programs them and
 * channel 0's IRQ0 reaching the PIC.  The timer tests assert ranges and
 * orderings only: the test VM is a slow emulated machine.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#include "x86_irqchip.h"

#define PIT_FREQ	1193181ULL
#define NSEC		1000000000ULL

FIXTURE(pit) {
	int dev;
	int kvmirq;
	int vm;
	void *bad;
};

FIXTURE_SETUP(pit)
{
	self->vm = -1;
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = irqchip_vm(self->dev);
	ASSERT_LE(0, self->vm);
	/* An address that faults, for EFAULT. */
	self->bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->bad);
}

FIXTURE_TEARDOWN(pit)
{
	if (self->vm >= 0)
		close(self->vm);
	if (self->dev >= 0)
		close(self->dev);
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int create_pit2(int vm, __u32 flags)
{
	struct kvm_pit_config config = { .flags = flags };

	return kvmirq_errno(ioctl(vm, KVM_CREATE_PIT2, &config));
}

static struct kvm_pit_state2 get_pit2(int vm)
{
	struct kvm_pit_state2 ps;

	memset(&ps, 0xee, sizeof(ps));
	if (ioctl(vm, KVM_GET_PIT2, &ps))
		memset(&ps, 0xdd, sizeof(ps));
	return ps;
}

static int reinject(int vm, __u8 on)
{
	struct kvm_reinject_control rc = { .pit_reinject = on };

	return kvmirq_errno(ioctl(vm, KVM_REINJECT_CONTROL, &rc));
}

/* KVM ABI: 6.1 created a PIT without the in-kernel PIC (its timer never
 * ran); 6.12 refuses it with ENOENT.
 */
static int no_pic_errno(int dev)
{
	return kvm_release(dev) > 601 ? ENOENT : 0;
}

TEST_F(pit, capabilities)
{
	EXPECT_EQ(1, ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_PIT));
	EXPECT_EQ(1, ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_PIT2));
	EXPECT_EQ(1, ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_PIT_STATE2));
	EXPECT_EQ(1, ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_REINJECT_CONTROL));
	EXPECT_EQ(1, ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_PIT2));
}

/* KVM_CREATE_PIT(2) without the in-kernel PIC, or with a split irqchip. */
TEST_F(pit, create_needs_pic)
{
	int vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	struct kvm_enable_cap split = { .cap = KVM_CAP_SPLIT_IRQCHIP, .args = { 24 } };
	int r;

	ASSERT_LE(0, vm);
	r = create_pit2(vm, 0);
	EXPECT_EQ(no_pic_errno(self->dev), r);
	close(vm);

	vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	ASSERT_LE(0, vm);
	ASSERT_EQ(0, ioctl(vm, KVM_ENABLE_CAP, &split));
	r = kvmirq_errno(ioctl(vm, KVM_CREATE_PIT, 0));
	EXPECT_EQ(no_pic_errno(self->dev), r);
	close(vm);
}

TEST_F(pit, create_errnos)
{
	struct kvm_pit_config config = { .flags = 0xfffffffe, .pad = { 1, 2, 3 } };

	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_CREATE_PIT2, self->bad)));
	/* Unknown flags and pad are ignored. */
	EXPECT_EQ(0, kvmirq_errno(ioctl(self->vm, KVM_CREATE_PIT2, &config)));
	EXPECT_EQ(EEXIST, create_pit2(self->vm, 0));
	EXPECT_EQ(EEXIST, kvmirq_errno(ioctl(self->vm, KVM_CREATE_PIT, 0)));
	/* A bad pointer is read before the PIT is looked for. */
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_CREATE_PIT2, self->bad)));
}

/* Without a PIT: ENXIO, but EFAULT first where KVM copies in first. */
TEST_F(pit, no_pit_errnos)
{
	struct kvm_pit_state2 ps2 = { 0 };
	struct kvm_pit_state ps = { 0 };
	struct kvm_reinject_control rc = { 0 };
	int vm = self->vm;

	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(vm, KVM_GET_PIT, &ps)));
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(vm, KVM_SET_PIT, &ps)));
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(vm, KVM_GET_PIT2, &ps2)));
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(vm, KVM_SET_PIT2, &ps2)));
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(vm, KVM_REINJECT_CONTROL, &rc)));

	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(vm, KVM_GET_PIT, self->bad)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(vm, KVM_SET_PIT, self->bad)));
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(vm, KVM_GET_PIT2, self->bad)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(vm, KVM_SET_PIT2, self->bad)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(vm, KVM_REINJECT_CONTROL, self->bad)));
}

TEST_F(pit, bad_pointers)
{
	ASSERT_EQ(0, create_pit2(self->vm, 0));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_GET_PIT, self->bad)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_SET_PIT, self->bad)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_GET_PIT2, self->bad)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_SET_PIT2, self->bad)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_REINJECT_CONTROL, self->bad)));
}

/* KVM's reset: counts 0x10000, mode 0xff, gates 1 1 0, flags 0. */
TEST_F(pit, initial_state)
{
	struct kvm_pit_state2 ps;
	struct kvm_pit_state old;
	__u64 t0, t1;
	int c, i;

	t0 = now_ns();
	ASSERT_EQ(0, create_pit2(self->vm, KVM_PIT_SPEAKER_DUMMY));
	t1 = now_ns();
	ps = get_pit2(self->vm);
	for (c = 0; c < 3; c++) {
		struct kvm_pit_channel_state *s = &ps.channels[c];

		EXPECT_EQ(0x10000, s->count);
		EXPECT_EQ(0xff, s->mode);
		EXPECT_EQ(c != 2, s->gate);
		EXPECT_EQ(0, s->latched_count | s->count_latched |
			     s->status_latched | s->status | s->read_state |
			     s->write_state | s->write_latch | s->rw_mode | s->bcd);
		if (!c) {
			/* Channel 0 counts on its timer, not from a load time. */
			EXPECT_EQ(0, s->count_load_time);
		} else {
			EXPECT_LE(t0, (__u64)s->count_load_time);
			EXPECT_GE(t1, (__u64)s->count_load_time);
		}
	}
	EXPECT_EQ(0, ps.flags);
	for (i = 0; i < 9; i++)
		EXPECT_EQ(0, ps.reserved[i]);

	/* The old ioctl reads the same channels. */
	memset(&old, 0xee, sizeof(old));
	ASSERT_EQ(0, ioctl(self->vm, KVM_GET_PIT, &old));
	EXPECT_EQ(0, memcmp(old.channels, ps.channels, sizeof(old.channels)));
}

static struct kvm_pit_channel_state channel(__u32 count, __u8 mode, __u8 seed)
{
	struct kvm_pit_channel_state s = {
		.count = count, .latched_count = 0x1234 + seed,
		.count_latched = 1, .status_latched = 1, .status = 0x30 + seed,
		.read_state = 3, .write_state = 4, .write_latch = 0x5a + seed,
		.rw_mode = 3, .mode = mode, .bcd = seed & 1, .gate = 1,
		.count_load_time = 123456789LL * (seed + 1),
	};

	return s;
}

/*
 * SET stores every field raw (no checks), then reloads each count: 0
 * becomes 0x10000, channels 1 and 2 restart from now, channel 0 keeps
 * the load time it was given.  Flags are kept as given, reserved is not.
 */
TEST_F(pit, set_get_round_trip)
{
	struct kvm_pit_state2 in, out;
	__u64 t0, t1;
	int c;

	ASSERT_EQ(0, create_pit2(self->vm, 0));
	memset(&in, 0, sizeof(in));
	in.channels[0] = channel(0, 7, 0);	/* mode 7: stops channel 0 */
	in.channels[1] = channel(0x12345678, 2, 1);
	in.channels[2] = channel(1000, 0xff, 2);
	in.flags = 0x80000000 | KVM_PIT_FLAGS_SPEAKER_DATA_ON;
	memset(in.reserved, 0x77, sizeof(in.reserved));

	t0 = now_ns();
	ASSERT_EQ(0, ioctl(self->vm, KVM_SET_PIT2, &in));
	t1 = now_ns();
	out = get_pit2(self->vm);

	EXPECT_EQ(0x10000, out.channels[0].count);
	EXPECT_EQ(0x12345678, out.channels[1].count);
	EXPECT_EQ(1000, out.channels[2].count);
	EXPECT_EQ(in.channels[0].count_load_time, out.channels[0].count_load_time);
	for (c = 0; c < 3; c++) {
		struct kvm_pit_channel_state want = in.channels[c];

		if (c) {
			EXPECT_LE(t0, (__u64)out.channels[c].count_load_time);
			EXPECT_GE(t1, (__u64)out.channels[c].count_load_time);
		}
		want.count = out.channels[c].count;
		want.count_load_time = out.channels[c].count_load_time;
		EXPECT_EQ(0, memcmp(&want, &out.channels[c], sizeof(want)));
	}
	EXPECT_EQ(in.flags, out.flags);
	for (c = 0; c < 9; c++)
		EXPECT_EQ(0, out.reserved[c]);

	/* Time passing changes nothing that GET shows. */
	sleep_ms(5);
	in = get_pit2(self->vm);
	EXPECT_EQ(0, memcmp(&in, &out, sizeof(in)));
}

/* KVM_SET_PIT: the channels only; the flags stay. */
TEST_F(pit, set_pit_keeps_flags)
{
	struct kvm_pit_state2 ps2 = { .flags = KVM_PIT_FLAGS_SPEAKER_DATA_ON };
	struct kvm_pit_state ps, out;
	int c;

	ASSERT_EQ(0, create_pit2(self->vm, 0));
	for (c = 0; c < 3; c++)
		ps2.channels[c] = channel(0x100 + c, 0xff, c);
	ASSERT_EQ(0, ioctl(self->vm, KVM_SET_PIT2, &ps2));
	for (c = 0; c < 3; c++)
		ps.channels[c] = channel(0x200 + c, 4, c);
	ASSERT_EQ(0, ioctl(self->vm, KVM_SET_PIT, &ps));
	ASSERT_EQ(0, ioctl(self->vm, KVM_GET_PIT, &out));
	for (c = 0; c < 3; c++) {
		EXPECT_EQ(0x200 + c, out.channels[c].count);
		EXPECT_EQ(4, out.channels[c].mode);
	}
	EXPECT_EQ(KVM_PIT_FLAGS_SPEAKER_DATA_ON, get_pit2(self->vm).flags);
}

/* Any nonzero pit_reinject is "on"; reserved bytes are ignored. */
TEST_F(pit, reinject_control)
{
	struct kvm_reinject_control rc;

	ASSERT_EQ(0, create_pit2(self->vm, 0));
	EXPECT_EQ(0, reinject(self->vm, 0));
	EXPECT_EQ(0, reinject(self->vm, 0));
	EXPECT_EQ(0, reinject(self->vm, 0x80));
	EXPECT_EQ(0, reinject(self->vm, 1));
	memset(&rc, 0xff, sizeof(rc));
	EXPECT_EQ(0, kvmirq_errno(ioctl(self->vm, KVM_REINJECT_CONTROL, &rc)));
	EXPECT_EQ(0, reinject(self->vm, 0));
}

/* The HPET legacy flag round-trips, in and out of legacy mode. */
TEST_F(pit, hpet_legacy_flag)
{
	struct kvm_pit_state2 ps = { .flags = KVM_PIT_FLAGS_HPET_LEGACY };

	ASSERT_EQ(0, create_pit2(self->vm, 0));
	ps.channels[0] = channel(0x1000, 2, 0);
	ASSERT_EQ(0, ioctl(self->vm, KVM_SET_PIT2, &ps));
	EXPECT_EQ(KVM_PIT_FLAGS_HPET_LEGACY, get_pit2(self->vm).flags);
	EXPECT_EQ(2, get_pit2(self->vm).channels[0].mode);
	ps.flags = 0;
	ASSERT_EQ(0, ioctl(self->vm, KVM_SET_PIT2, &ps));
	EXPECT_EQ(0, get_pit2(self->vm).flags);
}

/* A running channel 0 and closing the VM underneath it. */
TEST_F(pit, close_while_running)
{
	struct kvm_pit_state2 ps = { 0 };
	int i, vm;

	for (i = 0; i < 8; i++) {
		vm = irqchip_vm(self->dev);
		ASSERT_LE(0, vm);
		ASSERT_EQ(0, create_pit2(vm, KVM_PIT_SPEAKER_DUMMY));
		ps.channels[0] = channel(2, 2, 0);	/* clamped period */
		ASSERT_EQ(0, ioctl(vm, KVM_SET_PIT2, &ps));
		reinject(vm, i & 1);
		sleep_ms(i);
		close(vm);
	}
}

/* Guest side (kvmirq's KVMIRQ_ACTION_PIT_PIO) */

FIXTURE(guest) {
	int dev;
	int kvmirq;
	int vm;
};

FIXTURE_SETUP(guest)
{
	long actions;

	self->vm = -1;
	KVMIRQ_OPEN_OR_SKIP();
	actions = ioctl(self->dev, KVM_CHECK_EXTENSION, KVMIRQ_CAP_GUEST_ACTIONS);
	if (actions <= 0 || !(actions & KVMIRQ_ACTION_PIT_PIO) ||
	    !(actions & KVMIRQ_ACTION_PIC_ACK))
		KVMIRQ_SKIP("no guest-side PIT ports");
	self->vm = irqchip_vm(self->dev);
	ASSERT_LE(0, self->vm);
	ASSERT_EQ(0, create_pit2(self->vm, KVM_PIT_SPEAKER_DUMMY));
}

FIXTURE_TEARDOWN(guest)
{
	if (self->vm >= 0)
		close(self->vm);
	if (self->dev >= 0)
		close(self->dev);
}

/* Loads a 16-bit count, LSB then MSB, after a control word. */
static void pit_program(int vm, int c, int mode, __u16 count)
{
	outb(vm, 0x43, c << 6 | 3 << 4 | mode << 1);
	outb(vm, 0x40 + c, count & 0xff);
	outb(vm, 0x40 + c, count >> 8);
}

static __u16 pit_read16(int vm, int c)
{
	__u16 lo = inb(vm, 0x40 + c);

	return lo | inb(vm, 0x40 + c) << 8;
}

/* The counter of a VM stats fd called @name, or -1. */
static long long vm_stat(int vm, const char *name)
{
	int fd = ioctl(vm, KVM_GET_STATS_FD, 0);
	struct kvm_stats_header h;
	long long v = -1;
	size_t dsize;
	char *descs;
	__u32 i;

	if (fd < 0)
		return -1;
	if (pread(fd, &h, sizeof(h), 0) != sizeof(h))
		goto out;
	dsize = sizeof(struct kvm_stats_desc) + h.name_size;
	descs = calloc(h.num_desc, dsize);
	if (pread(fd, descs, h.num_desc * dsize, h.desc_offset) ==
	    (ssize_t)(h.num_desc * dsize)) {
		for (i = 0; i < h.num_desc; i++) {
			struct kvm_stats_desc *d = (void *)(descs + i * dsize);
			__u64 val;

			if (strcmp(d->name, name))
				continue;
			if (pread(fd, &val, 8, h.data_offset + d->offset) == 8)
				v = val;
		}
	}
	free(descs);
out:
	close(fd);
	return v;
}

TEST_F(guest, ports_claimed)
{
	__u64 d = 0;
	int vm = irqchip_vm(self->dev);

	EXPECT_EQ(0, guest_io(self->vm, KVMIRQ_SPACE_PIO, 0x40, 4, 0, &d));
	EXPECT_EQ(0, guest_io(self->vm, KVMIRQ_SPACE_PIO, 0x42, 2, 0, &d));
	EXPECT_EQ(ENXIO, guest_io(self->vm, KVMIRQ_SPACE_PIO, 0x43, 2, 0, &d));
	EXPECT_EQ(ENXIO, guest_io(self->vm, KVMIRQ_SPACE_PIO, 0x44, 1, 0, &d));
	EXPECT_EQ(0, guest_io(self->vm, KVMIRQ_SPACE_PIO, 0x61, 1, 0, &d));
	EXPECT_EQ(ENXIO, guest_io(self->vm, KVMIRQ_SPACE_PIO, 0x62, 1, 0, &d));
	/* No PIT, no ports; no speaker port without KVM_PIT_SPEAKER_DUMMY. */
	ASSERT_LE(0, vm);
	EXPECT_EQ(ENXIO, guest_io(vm, KVMIRQ_SPACE_PIO, 0x40, 1, 0, &d));
	ASSERT_EQ(0, create_pit2(vm, 0));
	EXPECT_EQ(0, guest_io(vm, KVMIRQ_SPACE_PIO, 0x40, 1, 0, &d));
	EXPECT_EQ(ENXIO, guest_io(vm, KVMIRQ_SPACE_PIO, 0x61, 1, 0, &d));
	close(vm);
}

/* Control words as GET_PIT2 shows them; modes 6 and 7 are 2 and 3. */
TEST_F(guest, control_word)
{
	struct kvm_pit_channel_state s;

	outb(self->vm, 0x43, 0x80 | 0x30 | 7 << 1 | 1);	/* ch2 word mode 7 BCD */
	s = get_pit2(self->vm).channels[2];
	EXPECT_EQ(3, s.mode);
	EXPECT_EQ(3, s.rw_mode);
	EXPECT_EQ(3, s.read_state);
	EXPECT_EQ(3, s.write_state);
	EXPECT_EQ(1, s.bcd);
	outb(self->vm, 0x43, 0x40 | 0x10 | 6 << 1);		/* ch1 LSB mode 6 */
	s = get_pit2(self->vm).channels[1];
	EXPECT_EQ(2, s.mode);
	EXPECT_EQ(1, s.rw_mode);
	EXPECT_EQ(0, s.bcd);

	/* Word access: LSB waits in write_latch for the MSB. */
	outb(self->vm, 0x43, 0x80 | 0x30);
	outb(self->vm, 0x42, 0x34);
	s = get_pit2(self->vm).channels[2];
	EXPECT_EQ(4, s.write_state);
	EXPECT_EQ(0x34, s.write_latch);
	outb(self->vm, 0x42, 0x12);
	s = get_pit2(self->vm).channels[2];
	EXPECT_EQ(3, s.write_state);
	EXPECT_EQ(0x1234, s.count);
	/* MSB only. */
	outb(self->vm, 0x43, 0x80 | 0x20);
	outb(self->vm, 0x42, 0x56);
	EXPECT_EQ(0x5600, get_pit2(self->vm).channels[2].count);
}

/* Channel 2 counts down with real time from its load. */
TEST_F(guest, count_follows_time)
{
	__u64 t0, t1, t2, t3, dmin, dmax;
	__u16 count;

	t0 = now_ns();
	pit_program(self->vm, 2, 0, 0xffff);
	t1 = now_ns();
	sleep_ms(10);
	t2 = now_ns();
	count = pit_read16(self->vm, 2);
	t3 = now_ns();
	/* 1 ms of slack: the test VM's clocks drift apart by microseconds. */
	dmin = (t2 - t1 - 1000000) * PIT_FREQ / NSEC;
	dmax = (t3 - t0 + 1000000) * PIT_FREQ / NSEC + 1;
	ASSERT_GT(0xffff, dmax);
	EXPECT_LE(0xffff - dmax, count);
	EXPECT_GE(0xffff - dmin, count);
}

/* Counter latch, read-back of status and count, latched values kept. */
TEST_F(guest, latch_and_read_back)
{
	struct kvm_pit_channel_state s;
	__u16 first, again;
	__u8 status;

	pit_program(self->vm, 1, 2, 0x8000);
	outb(self->vm, 0x43, 0x40);			/* latch channel 1 */
	s = get_pit2(self->vm).channels[1];
	EXPECT_EQ(3, s.count_latched);
	first = s.latched_count;
	EXPECT_GE(0x8000, first);
	sleep_ms(2);
	outb(self->vm, 0x43, 0x40);			/* ignored: still latched */
	EXPECT_EQ(first, get_pit2(self->vm).channels[1].latched_count);
	again = pit_read16(self->vm, 1);
	EXPECT_EQ(first, again);
	EXPECT_EQ(0, get_pit2(self->vm).channels[1].count_latched);

	/* Read-back, status only, channel 1: mode 2, word, binary. */
	outb(self->vm, 0x43, 0xc0 | 0x20 | 1 << 2);
	status = inb(self->vm, 0x41);
	EXPECT_EQ(3 << 4 | 2 << 1, status & 0x7f);
	/* Read-back of both: the status comes first, then the count. */
	outb(self->vm, 0x43, 0xc0 | 1 << 2);
	EXPECT_EQ(status & 0x7f, inb(self->vm, 0x41) & 0x7f);
	EXPECT_GE(0x8000, pit_read16(self->vm, 1));
	/* The control port reads 0. */
	EXPECT_EQ(0, inb(self->vm, 0x43));
}

/* Port 0x61: gate of channel 2 and the speaker data flag. */
TEST_F(guest, speaker_port)
{
	__u8 v;

	outb(self->vm, 0x61, 3);
	v = inb(self->vm, 0x61);
	EXPECT_EQ(3, v & 3);
	EXPECT_EQ(1, get_pit2(self->vm).channels[2].gate);
	EXPECT_EQ(KVM_PIT_FLAGS_SPEAKER_DATA_ON, get_pit2(self->vm).flags);
	outb(self->vm, 0x61, 0);
	EXPECT_EQ(0, inb(self->vm, 0x61) & 3);
	EXPECT_EQ(0, get_pit2(self->vm).flags);
	/* Mode 0, count 1: OUT (bit 5) rises as soon as it has counted. */
	pit_program(self->vm, 2, 0, 1);
	sleep_ms(1);
	EXPECT_EQ(0x20, inb(self->vm, 0x61) & 0x20);
}

/* The PIC at vector 0x08, IRQ0 unmasked; the PIT periodic at @count. */
static void start_irq0(int vm, __u16 count)
{
	outb(vm, 0x20, 0x11);
	outb(vm, 0x21, 0x08);
	outb(vm, 0x21, 0x04);
	outb(vm, 0x21, 0x01);
	outb(vm, 0x21, 0xfe);
	pit_program(vm, 0, 2, count);
}

/* Waits up to @ms for IRQ0 in the master's IRR. */
static bool wait_irr0(int vm, unsigned int ms)
{
	unsigned int i;

	for (i = 0; i < ms; i++) {
		if (get_pic(vm, 0).irr & 1)
			return true;
		sleep_ms(1);
	}
	return get_pic(vm, 0).irr & 1;
}

/*
 * Waits until the VM's counter @name reaches @min, at most @ms.  Not a fixed
 * sleep: on a loaded host the test VM's vcpu may not run for tens of
 * milliseconds, and the ticks it then catches up on arrive late.
 */
static long long wait_stat(int vm, const char *name, long long min,
			   unsigned int ms)
{
	long long v = vm_stat(vm, name);
	unsigned int i;

	for (i = 0; i < ms && v < min; i++) {
		sleep_ms(1);
		v = vm_stat(vm, name);
	}
	return v;
}

/* INTA then a non-specific EOI; returns the vector. */
static __u32 ack_eoi(int vm)
{
	struct kvmirq_ack ack = { 0 };

	if (ioctl(vm, KVMIRQ_GUEST_ACK, &ack))
		return ~0u;
	outb(vm, 0x20, 0x20);
	return ack.vector;
}

TEST_F(guest, periodic_irq0_reaches_irr)
{
	start_irq0(self->vm, 11932);			/* 10 ms */
	ASSERT_TRUE(wait_irr0(self->vm, 2000));
	EXPECT_LE(1, vm_stat(self->vm, "pit_ticks"));
	EXPECT_EQ(0x08, ack_eoi(self->vm));
	/* Another tick comes after the ack. */
	ASSERT_TRUE(wait_irr0(self->vm, 2000));
	EXPECT_LE(2, vm_stat(self->vm, "pit_ticks"));
}

/* IMR holds IRQ0 back (the INTA is spurious) but IRR latches it. */
TEST_F(guest, masked_irq0)
{
	struct kvmirq_ack ack = { 0 };

	start_irq0(self->vm, 11932);
	outb(self->vm, 0x21, 0xff);
	ASSERT_TRUE(wait_irr0(self->vm, 2000));
	ASSERT_EQ(0, ioctl(self->vm, KVMIRQ_GUEST_ACK, &ack));
	EXPECT_EQ(0x0f, ack.vector);
	EXPECT_EQ(0, get_pic(self->vm, 0).isr);
	outb(self->vm, 0x21, 0xfe);
	ASSERT_EQ(0, ioctl(self->vm, KVMIRQ_GUEST_ACK, &ack));
	EXPECT_EQ(0x08, ack.vector);
	EXPECT_EQ(1, get_pic(self->vm, 0).isr);
	outb(self->vm, 0x20, 0x20);
	EXPECT_EQ(0, get_pic(self->vm, 0).isr);
}

/*
 * Reinjection: ticks that find IRQ0 unacknowledged pile up in pending and
 * come back one per ack; none coalesces.
 */
TEST_F(guest, reinjection_after_acks)
{
	long long ticks, reinjected;
	int i, delivered = 0;

	start_irq0(self->vm, 1193);			/* 1 ms */
	ASSERT_TRUE(wait_irr0(self->vm, 2000));
	ticks = wait_stat(self->vm, "pit_ticks", 5, 5000);
	EXPECT_LE(5, ticks);
	/* Stop the timer: what is pending now is all that comes back. */
	pit_program(self->vm, 0, 5, 1193);		/* mode 5: no timer */
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(0x08, ack_eoi(self->vm));
		if (!wait_irr0(self->vm, 2000))
			break;
		delivered++;
	}
	EXPECT_EQ(4, delivered);
	reinjected = vm_stat(self->vm, "pit_reinjected");
	EXPECT_LE(4, reinjected);
	EXPECT_EQ(0, vm_stat(self->vm, "pit_coalesced"));
}

/* Unmasking IRQ0 (PIC OCW1) forgets the ticks missed meanwhile. */
TEST_F(guest, unmask_forgets_missed_ticks)
{
	start_irq0(self->vm, 1193);
	ASSERT_TRUE(wait_irr0(self->vm, 2000));
	sleep_ms(20);
	pit_program(self->vm, 0, 5, 1193);		/* stop the timer */
	outb(self->vm, 0x21, 0xff);
	outb(self->vm, 0x21, 0xfe);
	EXPECT_EQ(0x08, ack_eoi(self->vm));
	sleep_ms(20);
	EXPECT_EQ(0, get_pic(self->vm, 0).irr & 1);
	EXPECT_EQ(0, vm_stat(self->vm, "pit_reinjected"));
}

/* Without reinjection, ticks that find IRQ0 pending coalesce. */
TEST_F(guest, no_reinjection_coalesces)
{
	ASSERT_EQ(0, reinject(self->vm, 0));
	start_irq0(self->vm, 1193);
	ASSERT_TRUE(wait_irr0(self->vm, 2000));
	EXPECT_LE(1, wait_stat(self->vm, "pit_coalesced", 1, 5000));
	EXPECT_EQ(0, vm_stat(self->vm, "pit_reinjected"));
	/* One ack, then nothing is left over: IRR refills only by ticks. */
	EXPECT_EQ(0x08, ack_eoi(self->vm));
	EXPECT_TRUE(wait_irr0(self->vm, 2000));
}

/* A tiny periodic count is clamped to KVM's 200 us minimum period. */
TEST_F(guest, min_period_clamp)
{
	__u64 t0, t1;
	long long ticks;

	ASSERT_EQ(0, reinject(self->vm, 0));
	t0 = now_ns();
	start_irq0(self->vm, 2);			/* 1.7 us asked */
	sleep_ms(100);
	ticks = vm_stat(self->vm, "pit_ticks");
	t1 = now_ns();
	EXPECT_LE(1, ticks);
	EXPECT_GE((t1 - t0) / 200000 + 2, (__u64)ticks);
}

/* HPET legacy mode stops channel 0; leaving it starts it again. */
TEST_F(guest, hpet_legacy_stops_irq0)
{
	struct kvm_pit_state2 ps;
	long long ticks;

	/* No reinjection: the ack below leaves nothing pending. */
	ASSERT_EQ(0, reinject(self->vm, 0));
	start_irq0(self->vm, 11932);
	ASSERT_TRUE(wait_irr0(self->vm, 2000));
	ps = get_pit2(self->vm);
	ps.flags = KVM_PIT_FLAGS_HPET_LEGACY;
	ASSERT_EQ(0, ioctl(self->vm, KVM_SET_PIT2, &ps));
	ack_eoi(self->vm);
	ticks = vm_stat(self->vm, "pit_ticks");
	sleep_ms(60);
	EXPECT_EQ(ticks, vm_stat(self->vm, "pit_ticks"));
	EXPECT_EQ(0, get_pic(self->vm, 0).irr & 1);
	/* Port writes reprogram nothing while in legacy mode. */
	pit_program(self->vm, 0, 2, 1193);
	sleep_ms(30);
	EXPECT_EQ(ticks, vm_stat(self->vm, "pit_ticks"));

	ps = get_pit2(self->vm);
	ps.flags = 0;
	ASSERT_EQ(0, ioctl(self->vm, KVM_SET_PIT2, &ps));
	EXPECT_TRUE(wait_irr0(self->vm, 2000));
	EXPECT_LT(ticks, vm_stat(self->vm, "pit_ticks"));
}

/* True when @text is in @buf; says what is missing otherwise. */
static bool has(const char *buf, const char *text)
{
	if (strstr(buf, text))
		return true;
	fprintf(stderr, "# missing \"%s\" in:\n%s\n", text, buf);
	return false;
}

/* debugfs "pit" and the PIT tracepoints (root, mounted filesystems). */
TEST_F(guest, debugfs_and_trace)
{
	char path[256], buf[4096];
	struct stat st;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/kernel/debug/kvmirq/%d-%d/pit",
		 getpid(), self->vm);
	if (stat(path, &st))
		SKIP(return, "%s: %s", path, strerror(errno));
	start_irq0(self->vm, 11932);
	ASSERT_TRUE(wait_irr0(self->vm, 2000));
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_LT(0, n);
	buf[n] = 0;
	EXPECT_TRUE(has(buf, "channel 0: count 0x2e9c mode 2"));
	EXPECT_TRUE(has(buf, "timer: running, periodic, period 10000159 ns"));
	EXPECT_TRUE(has(buf, "reinject 1"));
	EXPECT_TRUE(has(buf, "speaker_port 1"));
	EXPECT_EQ(0, access("/sys/kernel/tracing/events/kvmirq/kvmirq_pit_tick",
			    F_OK));
	EXPECT_EQ(0, access("/sys/kernel/tracing/events/kvmirq/kvmirq_pit_ack",
			    F_OK));
}

TEST_HARNESS_MAIN
