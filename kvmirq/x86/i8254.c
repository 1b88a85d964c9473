// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the in-kernel i8254 programmable interval timer, as KVM's
 * arch/x86/kvm/i8254.c behaves: three counters whose state is
 * struct kvm_pit_channel_state (KVM_GET/SET_PIT2 copy it raw), counts
 * computed from the time elapsed since they were loaded, and channel 0 as
 * an hrtimer that raises IRQ0 (GSI 0, through the routing table, on the
 * PIT's own irq source) from a work item.
 *
 * Reinjection (on by default, KVM_REINJECT_CONTROL): every tick is counted
 * in @pending and IRQ0 is raised again only after the previous one was
 * acknowledged (an ack notifier on GSI 0), so that no tick is lost.  With
 * it off, ticks that find IRQ0 still pending coalesce.
 *
 * Unmasking IRQ0 (PIC OCW1, IOAPIC entry) forgets the missed ticks.
 *
 * Teardown: the timer is cancelled, then the work is cancelled; the ack
 * notifier is unregistered before either, so nothing can queue the work
 * again and nothing runs once kvmirq_pit_destroy() returns.
 */
#include <linux/debugfs.h>
#include <linux/hrtimer.h>
#include <linux/math64.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "irq.h"
#include "irqchip.h"
#include "i8254.h"
#include "trace.h"

/* KVM ABI: the ports KVM registers, the input clock. */
#define PIT_BASE		0x40
#define PIT_PORTS		4
#define PIT_SPEAKER_PORT	0x61
#define PIT_FREQ		1193181
#define PIT_NR_CHANNELS		3

/* KVM ABI: kvm.ko's min_timer_period_us default, the shortest period. */
#define PIT_MIN_PERIOD_NS	(200 * NSEC_PER_USEC)

/* Read/write states of a counter (KVM's RW_STATE_*). */
#define RW_LSB			1
#define RW_MSB			2
#define RW_WORD0		3
#define RW_WORD1		4

/* The mode KVM gives a channel that was never programmed. */
#define PIT_MODE_NONE		0xff

/**
 * struct kvmirq_pit - the PIT of one VM
 * @lock: the channels, @flags, @speaker, and the timer's programming
 *        (@periodic, @period_ns change only while the timer is stopped)
 * @ch: the counters, in KVM's uapi layout
 * @flags: KVM_PIT_FLAGS_*, as KVM_SET_PIT2 stored them (unchecked)
 * @speaker: KVM_PIT_SPEAKER_DUMMY: port 0x61 is the PIT's
 * @periodic: channel 0's timer restarts itself
 * @period_ns: channel 0's period, after the clamp; 0 before any timer
 * @timer: channel 0
 * @reinject: KVM_REINJECT_CONTROL
 * @pending: ticks not yet delivered and acknowledged (reinjection)
 * @irq_ack: the last IRQ0 was acknowledged: the next one may go
 * @ack: the IRQ0 ack notifier, registered while @reinject
 * @mask: the IRQ0 mask notifier, registered while @reinject
 * @inject: raises IRQ0
 * @vm: the VM
 */
struct kvmirq_pit {
	struct mutex lock;	/* state, timer programming */
	struct kvm_pit_channel_state ch[PIT_NR_CHANNELS];
	u32 flags;
	bool speaker;
	bool periodic;
	s64 period_ns;
	struct hrtimer timer;
	atomic_t reinject;
	atomic_t pending;
	atomic_t irq_ack;
	struct kvmirq_ack_notifier ack;
	struct kvmirq_mask_notifier mask;
	struct work_struct inject;
	struct kvmirq_vm *vm;
};

static struct kvmirq_pit *kvmirq_pit_of(struct kvmirq_vm *vm)
{
	/* Pairs with the release in kvmirq_pit_create(). */
	return smp_load_acquire(&kvmirq_x86(vm)->pit);
}

/* Nanoseconds since channel @c's count was loaded (KVM's kpit_elapsed). */
static s64 kvmirq_pit_elapsed_locked(struct kvmirq_pit *pit, int c)
{
	lockdep_assert_held(&pit->lock);

	if (c)
		return ktime_to_ns(ktime_sub(ktime_get(), pit->ch[c].count_load_time));
	/* KVM ABI: channel 0 reads its timer, and counts from 0 without one. */
	if (!pit->period_ns)
		return 0;
	return pit->period_ns - ktime_to_ns(hrtimer_get_remaining(&pit->timer));
}

/* @a mod @b, as KVM's mod_64(). */
static u32 kvmirq_pit_mod(u64 a, u32 b)
{
	u32 rem;

	div_u64_rem(a, b, &rem);
	return rem;
}

/* Input clock ticks since the count was loaded. */
static u64 kvmirq_pit_ticks_locked(struct kvmirq_pit *pit, int c)
{
	return mul_u64_u32_div(kvmirq_pit_elapsed_locked(pit, c), PIT_FREQ,
			       NSEC_PER_SEC);
}

/* The current count; @count is never 0 (a load of 0 is 0x10000). */
static u32 kvmirq_pit_count_locked(struct kvmirq_pit *pit, int c)
{
	const struct kvm_pit_channel_state *s = &pit->ch[c];
	u64 d = kvmirq_pit_ticks_locked(pit, c);

	switch (s->mode) {
	case 0:
	case 1:
	case 4:
	case 5:
		/* KVM ABI: these wrap at 16 bits. */
		return (s->count - d) & 0xffff;
	case 3:
		/* KVM ABI: square wave counts down by two. */
		return s->count - kvmirq_pit_mod(2 * d, s->count);
	default:
		return s->count - kvmirq_pit_mod(d, s->count);
	}
}

/* The OUT pin of channel @c. */
static bool kvmirq_pit_out_locked(struct kvmirq_pit *pit, int c)
{
	const struct kvm_pit_channel_state *s = &pit->ch[c];
	u64 d = kvmirq_pit_ticks_locked(pit, c);

	switch (s->mode) {
	default:
	case 0:
		return d >= s->count;
	case 1:
		return d < s->count;
	case 2:
		return d && !kvmirq_pit_mod(d, s->count);
	case 3:
		return kvmirq_pit_mod(d, s->count) < (u32)(s->count + 1) >> 1;
	case 4:
	case 5:
		return d == s->count;
	}
}

static void kvmirq_pit_latch_count_locked(struct kvmirq_pit *pit, int c)
{
	struct kvm_pit_channel_state *s = &pit->ch[c];

	lockdep_assert_held(&pit->lock);
	if (s->count_latched)
		return;
	s->latched_count = kvmirq_pit_count_locked(pit, c);
	s->count_latched = s->rw_mode;
}

static void kvmirq_pit_latch_status_locked(struct kvmirq_pit *pit, int c)
{
	struct kvm_pit_channel_state *s = &pit->ch[c];

	lockdep_assert_held(&pit->lock);
	if (s->status_latched)
		return;
	/* KVM ABI: NULL COUNT (bit 6) always reads 0. */
	s->status = kvmirq_pit_out_locked(pit, c) << 7 | s->rw_mode << 4 |
		    s->mode << 1 | s->bcd;
	s->status_latched = 1;
}

/* Port 0x61 bit 0: a rising gate restarts the counting modes 1-3 and 5. */
static void kvmirq_pit_set_gate_locked(struct kvmirq_pit *pit, int c, u8 gate)
{
	struct kvm_pit_channel_state *s = &pit->ch[c];

	lockdep_assert_held(&pit->lock);
	switch (s->mode) {
	case 1:
	case 2:
	case 3:
	case 5:
		if (s->gate < gate)
			s->count_load_time = ktime_get();
		break;
	default:
		break;
	}
	s->gate = gate;
}

/* Reinjection */

static void kvmirq_pit_reset_reinject(struct kvmirq_pit *pit)
{
	atomic_set(&pit->pending, 0);
	atomic_set(&pit->irq_ack, 1);
}

/* IRQ0 was acknowledged: release the next pending tick, if any. */
static void kvmirq_pit_acked(struct kvmirq_ack_notifier *an)
{
	struct kvmirq_pit *pit = container_of(an, struct kvmirq_pit, ack);
	int left;

	atomic_set(&pit->irq_ack, 1);
	/* Orders the ack before reading @pending, against the timer's
	 * increment and the injection's exchange of @irq_ack.
	 */
	smp_mb();
	left = atomic_dec_if_positive(&pit->pending);
	trace_kvmirq_pit_ack(left, true);
	if (left > 0) {
		kvmirq_stat_add(&pit->vm->stats.pit_reinjected, 1);
		schedule_work(&pit->inject);
	}
}

/* KVM ABI: unmasking IRQ0 forgets the ticks missed while it was masked. */
static void kvmirq_pit_masked(struct kvmirq_mask_notifier *mn, bool masked)
{
	struct kvmirq_pit *pit = container_of(mn, struct kvmirq_pit, mask);

	if (!masked)
		kvmirq_pit_reset_reinject(pit);
}

static void kvmirq_pit_set_reinject_locked(struct kvmirq_pit *pit, bool on)
{
	lockdep_assert_held(&pit->lock);

	if (atomic_read(&pit->reinject) == on)
		return;
	if (on) {
		/* KVM ABI: turning it on forgets what was pending. */
		kvmirq_pit_reset_reinject(pit);
		kvmirq_register_ack_notifier(pit->vm, &pit->ack);
		kvmirq_register_mask_notifier(pit->vm, &pit->mask);
	} else {
		kvmirq_unregister_ack_notifier(pit->vm, &pit->ack);
		kvmirq_unregister_mask_notifier(pit->vm, &pit->mask);
	}
	atomic_set(&pit->reinject, on);
}

/* Channel 0 */

static void kvmirq_pit_inject(struct work_struct *work)
{
	struct kvmirq_pit *pit = container_of(work, struct kvmirq_pit, inject);
	bool reinject = atomic_read(&pit->reinject);
	int status;

	/* With reinjection, one IRQ0 at a time: the tick stays pending. */
	if (reinject && !atomic_xchg(&pit->irq_ack, 0))
		return;

	status = kvmirq_set_irq(pit->vm, KVMIRQ_SOURCE_PIT, 0, 1, false);
	kvmirq_set_irq(pit->vm, KVMIRQ_SOURCE_PIT, 0, 0, false);
	trace_kvmirq_pit_inject(status, reinject);
	if (!status)
		kvmirq_stat_add(&pit->vm->stats.pit_coalesced, 1);
}

/* Hard interrupt context: no lock, only atomics and queueing the work. */
static enum hrtimer_restart kvmirq_pit_timer_fn(struct hrtimer *timer)
{
	struct kvmirq_pit *pit = container_of(timer, struct kvmirq_pit, timer);
	bool reinject = atomic_read(&pit->reinject);

	if (reinject)
		atomic_inc(&pit->pending);
	kvmirq_stat_add(&pit->vm->stats.pit_ticks, 1);
	trace_kvmirq_pit_tick(atomic_read(&pit->pending), reinject);
	schedule_work(&pit->inject);

	if (!pit->periodic)
		return HRTIMER_NORESTART;
	hrtimer_add_expires_ns(timer, pit->period_ns);
	return HRTIMER_RESTART;
}

/* Stops channel 0: after this no tick and no injection is in flight. */
static void kvmirq_pit_stop_timer_locked(struct kvmirq_pit *pit)
{
	lockdep_assert_held(&pit->lock);
	hrtimer_cancel(&pit->timer);
	flush_work(&pit->inject);
}

static void kvmirq_pit_start_timer_locked(struct kvmirq_pit *pit, u32 count,
					  bool periodic)
{
	s64 interval = mul_u64_u32_div(count, NSEC_PER_SEC, PIT_FREQ);
	bool clamped = false;

	lockdep_assert_held(&pit->lock);
	/* KVM ABI: in HPET legacy mode the HPET drives IRQ0; the PIT stays. */
	if (pit->flags & KVM_PIT_FLAGS_HPET_LEGACY)
		return;

	kvmirq_pit_stop_timer_locked(pit);
	pit->period_ns = interval;
	pit->periodic = periodic;
	kvmirq_pit_reset_reinject(pit);
	/* KVM ABI: a periodic timer is throttled; the first expiry is not. */
	if (periodic && pit->period_ns < PIT_MIN_PERIOD_NS) {
		pit->period_ns = PIT_MIN_PERIOD_NS;
		clamped = true;
	}
	trace_kvmirq_pit_timer(count, pit->period_ns, periodic, clamped);
	hrtimer_start(&pit->timer, ktime_add_ns(ktime_get(), interval),
		      HRTIMER_MODE_ABS);
}

/* A new count for channel @c (KVM's pit_load_count). */
static void kvmirq_pit_load_count_locked(struct kvmirq_pit *pit, int c, u32 val)
{
	lockdep_assert_held(&pit->lock);

	/* KVM ABI: 0 is the largest count, 0x10000 (BCD too). */
	if (!val)
		val = 0x10000;
	pit->ch[c].count = val;
	if (c) {
		pit->ch[c].count_load_time = ktime_get();
		return;
	}
	/* KVM ABI: channel 0 keeps its count_load_time; its timer counts. */
	switch (pit->ch[0].mode) {
	case 0:
	case 1:
	case 4:
		kvmirq_pit_start_timer_locked(pit, val, false);
		break;
	case 2:
	case 3:
		kvmirq_pit_start_timer_locked(pit, val, true);
		break;
	default:
		kvmirq_pit_stop_timer_locked(pit);
		break;
	}
}

/* Loads channel 0 with its timer stopped (entering HPET legacy mode). */
static void kvmirq_pit_load_count_stopped_locked(struct kvmirq_pit *pit, u32 val)
{
	u8 mode = pit->ch[0].mode;

	lockdep_assert_held(&pit->lock);
	pit->ch[0].mode = PIT_MODE_NONE;
	kvmirq_pit_load_count_locked(pit, 0, val);
	pit->ch[0].mode = mode;
}

static void kvmirq_pit_reset_locked(struct kvmirq_pit *pit)
{
	int c;

	lockdep_assert_held(&pit->lock);
	pit->flags = 0;
	for (c = 0; c < PIT_NR_CHANNELS; c++) {
		pit->ch[c].mode = PIT_MODE_NONE;
		/* KVM ABI: channel 2's gate (port 0x61 bit 0) starts low. */
		pit->ch[c].gate = c != 2;
		kvmirq_pit_load_count_locked(pit, c, 0);
	}
	kvmirq_pit_reset_reinject(pit);
}

/* Guest ports */

/* The mode and access of a control word for one counter. */
static void kvmirq_pit_control_locked(struct kvmirq_pit *pit, u8 val)
{
	int c = val >> 6, access = (val >> 4) & 3;
	struct kvm_pit_channel_state *s;

	lockdep_assert_held(&pit->lock);
	if (c == 3) {
		/* Read-back: bits 1-3 pick counters, 0x20/0x10 are active low. */
		for (c = 0; c < PIT_NR_CHANNELS; c++) {
			if (!(val & (2 << c)))
				continue;
			if (!(val & 0x20))
				kvmirq_pit_latch_count_locked(pit, c);
			if (!(val & 0x10))
				kvmirq_pit_latch_status_locked(pit, c);
		}
		return;
	}
	if (!access) {
		kvmirq_pit_latch_count_locked(pit, c);
		return;
	}
	s = &pit->ch[c];
	s->rw_mode = access;
	s->read_state = access;
	s->write_state = access;
	s->mode = (val >> 1) & 7;
	/* Modes 6 and 7 are 2 and 3. */
	if (s->mode > 5)
		s->mode -= 4;
	s->bcd = val & 1;
}

static void kvmirq_pit_write_count_locked(struct kvmirq_pit *pit, int c, u8 val)
{
	struct kvm_pit_channel_state *s = &pit->ch[c];

	lockdep_assert_held(&pit->lock);
	switch (s->write_state) {
	default:
	case RW_LSB:
		kvmirq_pit_load_count_locked(pit, c, val);
		break;
	case RW_MSB:
		kvmirq_pit_load_count_locked(pit, c, val << 8);
		break;
	case RW_WORD0:
		s->write_latch = val;
		s->write_state = RW_WORD1;
		break;
	case RW_WORD1:
		kvmirq_pit_load_count_locked(pit, c, s->write_latch | val << 8);
		s->write_state = RW_WORD0;
		break;
	}
}

/* A latched count, byte by byte in its access mode. */
static u8 kvmirq_pit_read_latched_locked(struct kvm_pit_channel_state *s)
{
	switch (s->count_latched) {
	default:
	case RW_LSB:
		s->count_latched = 0;
		return s->latched_count;
	case RW_MSB:
		s->count_latched = 0;
		return s->latched_count >> 8;
	case RW_WORD0:
		s->count_latched = RW_MSB;
		return s->latched_count;
	}
}

static u8 kvmirq_pit_read_count_locked(struct kvmirq_pit *pit, int c)
{
	struct kvm_pit_channel_state *s = &pit->ch[c];
	u32 count;

	lockdep_assert_held(&pit->lock);
	if (s->status_latched) {
		s->status_latched = 0;
		return s->status;
	}
	if (s->count_latched)
		return kvmirq_pit_read_latched_locked(s);

	count = kvmirq_pit_count_locked(pit, c);
	switch (s->read_state) {
	default:
	case RW_LSB:
		return count;
	case RW_MSB:
		return count >> 8;
	case RW_WORD0:
		s->read_state = RW_WORD1;
		return count;
	case RW_WORD1:
		s->read_state = RW_WORD0;
		return count >> 8;
	}
}

static u32 kvmirq_pit_speaker_read_locked(struct kvmirq_pit *pit)
{
	/* KVM ABI: the refresh clock toggles every 2^14 ns. */
	u32 refresh = ((u32)ktime_get_ns() >> 14) & 1;

	lockdep_assert_held(&pit->lock);
	return !!(pit->flags & KVM_PIT_FLAGS_SPEAKER_DATA_ON) << 1 |
	       pit->ch[2].gate | kvmirq_pit_out_locked(pit, 2) << 5 |
	       refresh << 4;
}

static void kvmirq_pit_speaker_write_locked(struct kvmirq_pit *pit, u32 val)
{
	lockdep_assert_held(&pit->lock);
	if (val & 2)
		pit->flags |= KVM_PIT_FLAGS_SPEAKER_DATA_ON;
	else
		pit->flags &= ~KVM_PIT_FLAGS_SPEAKER_DATA_ON;
	kvmirq_pit_set_gate_locked(pit, 2, val & 1);
}

/**
 * kvmirq_pit_io() - a guest port access to the PIT or its speaker port
 * @vm: the VM
 * @io: the access (space PIO)
 *
 * KVM ABI: the PIT claims accesses within 0x40-0x43 of any width, of which
 * only the low byte counts; port 0x61 exists with KVM_PIT_SPEAKER_DUMMY.
 *
 * Return: 0, or -ENXIO for a port the PIT does not claim.
 */
int kvmirq_pit_io(struct kvmirq_vm *vm, struct kvmirq_io *io)
{
	struct kvmirq_pit *pit = kvmirq_pit_of(vm);
	bool write = io->flags & KVMIRQ_IO_WRITE;
	int port = io->addr - PIT_BASE;

	if (!pit)
		return -ENXIO;
	if (io->addr == PIT_SPEAKER_PORT && pit->speaker) {
		mutex_lock(&pit->lock);
		if (write)
			kvmirq_pit_speaker_write_locked(pit, io->data);
		else
			io->data = kvmirq_pit_speaker_read_locked(pit);
		mutex_unlock(&pit->lock);
		return 0;
	}
	if (io->addr < PIT_BASE || io->addr + io->len > PIT_BASE + PIT_PORTS)
		return -ENXIO;

	mutex_lock(&pit->lock);
	if (write && port == 3)
		kvmirq_pit_control_locked(pit, io->data);
	else if (write)
		kvmirq_pit_write_count_locked(pit, port, io->data);
	else if (port == 3)
		/* KVM ABI: the control port is write-only. */
		io->data = 0;
	else
		io->data = kvmirq_pit_read_count_locked(pit, port);
	mutex_unlock(&pit->lock);
	return 0;
}

/* Creation and teardown */

static struct kvmirq_pit *kvmirq_pit_alloc(struct kvmirq_vm *vm, u32 flags)
{
	struct kvmirq_pit *pit;

	pit = kzalloc(sizeof(*pit), GFP_KERNEL_ACCOUNT);
	if (!pit)
		return NULL;
	mutex_init(&pit->lock);
	pit->vm = vm;
	pit->speaker = flags & KVM_PIT_SPEAKER_DUMMY;
	hrtimer_init(&pit->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	pit->timer.function = kvmirq_pit_timer_fn;
	INIT_WORK(&pit->inject, kvmirq_pit_inject);
	INIT_HLIST_NODE(&pit->ack.link);
	pit->ack.gsi = 0;
	pit->ack.acked = kvmirq_pit_acked;
	INIT_HLIST_NODE(&pit->mask.link);
	pit->mask.gsi = 0;
	pit->mask.masked = kvmirq_pit_masked;

	mutex_lock(&pit->lock);
	kvmirq_pit_reset_locked(pit);
	/* KVM ABI: reinjection starts on. */
	kvmirq_pit_set_reinject_locked(pit, true);
	mutex_unlock(&pit->lock);
	return pit;
}

static void kvmirq_pit_free(struct kvmirq_pit *pit)
{
	mutex_lock(&pit->lock);
	kvmirq_pit_set_reinject_locked(pit, false);
	mutex_unlock(&pit->lock);
	/* Nothing queues the work once the timer is gone (the ack notifier
	 * went first), so cancelling it after the timer leaves nothing.
	 */
	hrtimer_cancel(&pit->timer);
	cancel_work_sync(&pit->inject);
	mutex_destroy(&pit->lock);
	kfree(pit);
}

/*
 * KVM_CREATE_PIT2 (and the old KVM_CREATE_PIT, speaker included).  KVM ABI:
 * EEXIST for a second PIT, ENOENT without the in-kernel PIC (split irqchip
 * included; Linux 6.1 accepted it), unknown flags ignored.
 */
static long kvmirq_pit_create(struct kvmirq_vm *vm, u32 flags)
{
	struct kvmirq_x86_vm *x86 = kvmirq_x86(vm);
	struct kvmirq_pit *pit;
	long r;

	mutex_lock(&vm->lock);
	r = -EEXIST;
	if (x86->pit)
		goto unlock;
	r = -ENOENT;
	if (!kvmirq_x86_pic_ioapic_in_kernel(vm))
		goto unlock;
	r = -ENOMEM;
	pit = kvmirq_pit_alloc(vm, flags);
	if (!pit)
		goto unlock;
	/* Pairs with kvmirq_pit_of(): the PIT is complete when seen. */
	smp_store_release(&x86->pit, pit);
	r = 0;
unlock:
	mutex_unlock(&vm->lock);
	if (!r)
		kvmirq_x86_debugfs_pit(vm);
	return r;
}

/* The VM is being destroyed: no fd, no ioctl, no guest access is left. */
void kvmirq_pit_destroy(struct kvmirq_vm *vm)
{
	struct kvmirq_x86_vm *x86 = kvmirq_x86(vm);

	if (x86->pit)
		kvmirq_pit_free(x86->pit);
	x86->pit = NULL;
}

/* State ioctls */

/* Inlined: KVM_GET_PIT2 is no more work than KVM's. */
static __always_inline void
kvmirq_pit_get_state(struct kvmirq_pit *pit, struct kvm_pit_channel_state *ch,
		     u32 *flags)
{
	mutex_lock(&pit->lock);
	memcpy(ch, pit->ch, sizeof(pit->ch));
	*flags = pit->flags;
	mutex_unlock(&pit->lock);
}

/*
 * KVM ABI: the channels are stored raw, then each count is loaded again:
 * channels 1 and 2 restart counting now, channel 0 restarts its timer in
 * the mode given (any other mode stops it).  Entering HPET legacy mode
 * stops channel 0.
 */
static void kvmirq_pit_set_state(struct kvmirq_pit *pit,
				 const struct kvm_pit_channel_state *ch,
				 const u32 *flags)
{
	bool enter_legacy;
	int c;

	mutex_lock(&pit->lock);
	enter_legacy = flags && !(pit->flags & KVM_PIT_FLAGS_HPET_LEGACY) &&
		       (*flags & KVM_PIT_FLAGS_HPET_LEGACY);
	memcpy(pit->ch, ch, sizeof(pit->ch));
	if (flags)
		pit->flags = *flags;
	for (c = 0; c < PIT_NR_CHANNELS; c++) {
		if (!c && enter_legacy)
			kvmirq_pit_load_count_stopped_locked(pit, pit->ch[0].count);
		else
			kvmirq_pit_load_count_locked(pit, c, pit->ch[c].count);
	}
	mutex_unlock(&pit->lock);
}

/* KVM ABI: KVM_GET_PIT reads its argument first (EFAULT before ENXIO). */
static long kvmirq_pit_get_pit(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvmirq_pit *pit = kvmirq_pit_of(vm);
	struct kvm_pit_state ps;
	u32 flags;

	if (copy_from_user(&ps, argp, sizeof(ps)))
		return -EFAULT;
	if (!pit)
		return -ENXIO;
	kvmirq_pit_get_state(pit, ps.channels, &flags);
	return copy_to_user(argp, &ps, sizeof(ps)) ? -EFAULT : 0;
}

static long kvmirq_pit_set_pit(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvmirq_pit *pit = kvmirq_pit_of(vm);
	struct kvm_pit_state ps;

	if (copy_from_user(&ps, argp, sizeof(ps)))
		return -EFAULT;
	if (!pit)
		return -ENXIO;
	kvmirq_pit_set_state(pit, ps.channels, NULL);
	return 0;
}

/* KVM ABI: ENXIO first; reserved reads as zeroes. */
long kvmirq_pit_get_pit2(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvmirq_pit *pit = kvmirq_pit_of(vm);
	struct kvm_pit_state2 ps;

	if (!pit)
		return -ENXIO;
	memset(&ps, 0, sizeof(ps));
	kvmirq_pit_get_state(pit, ps.channels, &ps.flags);
	return copy_to_user(argp, &ps, sizeof(ps)) ? -EFAULT : 0;
}

/* KVM ABI: flags and reserved are not checked; flags are kept as given. */
long kvmirq_pit_set_pit2(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvmirq_pit *pit = kvmirq_pit_of(vm);
	struct kvm_pit_state2 ps;

	if (copy_from_user(&ps, argp, sizeof(ps)))
		return -EFAULT;
	if (!pit)
		return -ENXIO;
	kvmirq_pit_set_state(pit, ps.channels, &ps.flags);
	return 0;
}

/* KVM ABI: any nonzero pit_reinject turns it on; reserved is ignored. */
static long kvmirq_pit_reinject_control(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvmirq_pit *pit = kvmirq_pit_of(vm);
	struct kvm_reinject_control rc;

	if (copy_from_user(&rc, argp, sizeof(rc)))
		return -EFAULT;
	if (!pit)
		return -ENXIO;
	mutex_lock(&pit->lock);
	kvmirq_pit_set_reinject_locked(pit, rc.pit_reinject);
	mutex_unlock(&pit->lock);
	return 0;
}

static long kvmirq_pit_create_pit2(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvm_pit_config config;

	if (copy_from_user(&config, argp, sizeof(config)))
		return -EFAULT;
	return kvmirq_pit_create(vm, config.flags);
}

long kvmirq_pit_vm_ioctl(struct kvmirq_vm *vm, unsigned int ioctl,
			 unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (ioctl) {
	case KVM_CREATE_PIT:
		return kvmirq_pit_create(vm, KVM_PIT_SPEAKER_DUMMY);
	case KVM_CREATE_PIT2:
		return kvmirq_pit_create_pit2(vm, argp);
	case KVM_GET_PIT:
		return kvmirq_pit_get_pit(vm, argp);
	case KVM_SET_PIT:
		return kvmirq_pit_set_pit(vm, argp);
	case KVM_REINJECT_CONTROL:
		return kvmirq_pit_reinject_control(vm, argp);
	default:
		return KVMIRQ_NO_IOCTL;
	}
}

/* debugfs "pit" */

static void kvmirq_pit_dump_channel(struct seq_file *m, int c,
				    const struct kvm_pit_channel_state *s)
{
	seq_printf(m, "channel %d: count %#x mode %u rw_mode %u bcd %u gate %u load_time %lld\n",
		   c, s->count, s->mode, s->rw_mode, s->bcd, s->gate,
		   s->count_load_time);
	seq_printf(m, "  read_state %u write_state %u write_latch %#x latched_count %#x count_latched %u status %#x status_latched %u\n",
		   s->read_state, s->write_state, s->write_latch,
		   s->latched_count, s->count_latched, s->status,
		   s->status_latched);
}

void kvmirq_pit_dump(struct seq_file *m, struct kvmirq_vm *vm)
{
	struct kvmirq_pit *pit = kvmirq_pit_of(vm);
	struct kvm_pit_channel_state ch[PIT_NR_CHANNELS];
	bool periodic, active;
	s64 period, remaining;
	u32 flags;
	int c;

	if (!pit) {
		seq_puts(m, "no in-kernel PIT\n");
		return;
	}
	mutex_lock(&pit->lock);
	memcpy(ch, pit->ch, sizeof(ch));
	flags = pit->flags;
	periodic = pit->periodic;
	period = pit->period_ns;
	active = hrtimer_active(&pit->timer);
	remaining = ktime_to_ns(hrtimer_get_remaining(&pit->timer));
	mutex_unlock(&pit->lock);

	for (c = 0; c < PIT_NR_CHANNELS; c++)
		kvmirq_pit_dump_channel(m, c, &ch[c]);
	seq_printf(m, "flags %#x (hpet_legacy %u speaker_data_on %u) speaker_port %u\n",
		   flags, !!(flags & KVM_PIT_FLAGS_HPET_LEGACY),
		   !!(flags & KVM_PIT_FLAGS_SPEAKER_DATA_ON), pit->speaker);
	seq_printf(m, "timer: %s, %s, period %lld ns, next in %lld ns\n",
		   active ? "running" : "stopped",
		   periodic ? "periodic" : "one-shot", period,
		   active ? remaining : 0);
	seq_printf(m, "reinject %d pending %d irq_ack %d\n",
		   atomic_read(&pit->reinject), atomic_read(&pit->pending),
		   atomic_read(&pit->irq_ack));
}

#if IS_ENABLED(CONFIG_KUNIT)
#include "tests/pit_kunit.c"
#endif
