// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the x86 IOAPIC (82093AA, version 0x11, no EOI register), as KVM
 * models it: 24 pins, delivery to the local APICs through lapic.c, remote
 * IRR for level-triggered entries, EOI broadcasts from the LAPICs, the RTC
 * (pin 8) coalescing rule and the interrupt-storm throttle.
 *
 * One spinlock guards the IOAPIC; delivery to the LAPICs happens under it
 * (x86.h allows that).  Ack notifications (irqfd resampling) run with the
 * lock dropped.
 */
#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/nospec.h>
#include <linux/slab.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <asm/apicdef.h>

#include "irq.h"
#include "irqchip.h"
#include "ioapic_rte.h"
#include "trace.h"

/* Indirect registers. */
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VERSION	0x01
#define IOAPIC_REG_ARB		0x02
#define IOAPIC_REG_REDIR	0x10
/* Direct registers (offsets in the window). */
#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10

/* KVM ABI: 82093AA, version 0x11; max redirection entry 23. */
#define IOAPIC_VERSION		(((KVMIRQ_IOAPIC_NUM_PINS - 1) << 16) | 0x11)
#define IOAPIC_RTC_PIN		8
/* KVM ABI: KVM_MAX_VCPU_IDS, the size of the RTC destination map. */
#define IOAPIC_RTC_MAP_IDS	4096
/* KVM ABI: this many back-to-back EOI re-deliveries of a pin are a storm. */
#define IOAPIC_STORM_COUNT	10000
#define IOAPIC_STORM_DELAY	(HZ / 100)
static_assert(IOAPIC_STORM_COUNT <= U16_MAX, "irq_eoi counts to it");

/**
 * struct kvmirq_ioapic - the IOAPIC
 * @s: registers in KVM's ABI layout; @s.irr is the internal line state
 * @lock: guards everything here
 * @irr_delivered: edge pins whose current assertion was delivered (hidden
 *                 from KVM_GET_IRQCHIP)
 * @rtc_pending_eoi: LAPICs that accepted the RTC vector and did not EOI it
 * @rtc_vector: the vector those LAPICs hold
 * @rtc_dest: by vcpu id, the LAPICs counted in @rtc_pending_eoi (KVM's
 *            dest_map: only their own EOI of @rtc_vector uncounts them)
 * @irq_states: per pin, the sources asserting it (kvmirq_sources_set())
 * @irq_eoi: per pin, back-to-back re-deliveries on EOI, below
 *           IOAPIC_STORM_COUNT
 * @released: the VM fd is closed: no more delayed re-delivery, whose timer
 *            could outlive the vcpus
 * @eoi_inject: delayed re-delivery after an interrupt storm
 * @vm: the VM
 */
struct kvmirq_ioapic {
	struct kvm_ioapic_state s;
	spinlock_t lock;	/* the IOAPIC */
	u32 irr_delivered;
	u32 rtc_pending_eoi;
	u32 rtc_vector;
	DECLARE_BITMAP(rtc_dest, IOAPIC_RTC_MAP_IDS);
	u8 irq_states[KVMIRQ_IOAPIC_NUM_PINS];
	u16 irq_eoi[KVMIRQ_IOAPIC_NUM_PINS];
	bool released;
	struct delayed_work eoi_inject;
	struct kvmirq_vm *vm;
};

static u64 *kvmirq_rte(struct kvmirq_ioapic *ioapic, unsigned int pin)
{
	return &ioapic->s.redirtbl[pin].bits;
}

/* Sends a pin's message to the LAPICs; returns KVM's status. */
static int kvmirq_ioapic_service_locked(struct kvmirq_ioapic *ioapic,
					unsigned int pin, bool line_status)
{
	u64 *rte = kvmirq_rte(ioapic, pin);
	bool level = *rte & RTE_LEVEL;
	struct kvmirq_apic_irq irq = {
		.vector = FIELD_GET(RTE_VECTOR, *rte),
		.delivery_mode = FIELD_GET(RTE_DELIVERY_MODE, *rte) << 8,
		.dest_mode = (*rte & RTE_DEST_LOGICAL) ? APIC_DEST_LOGICAL :
							  APIC_DEST_PHYSICAL,
		.level = true,
		.trig_mode = level,
		.shorthand = APIC_DEST_NOSHORT,
		.dest_id = *rte >> RTE_DEST_SHIFT,
	};
	int ret;

	lockdep_assert_held(&ioapic->lock);

	if ((*rte & RTE_MASKED) || (level && (*rte & RTE_REMOTE_IRR)))
		return -1;
	if (!level)
		ioapic->irr_delivered |= BIT(pin);

	if (pin == IOAPIC_RTC_PIN && line_status) {
		/* Only reached with no RTC EOI pending. */
		bitmap_zero(ioapic->rtc_dest, IOAPIC_RTC_MAP_IDS);
		ret = kvmirq_apic_deliver_map(ioapic->vm, &irq, ioapic->rtc_dest);
		ioapic->rtc_pending_eoi = max(ret, 0);
		ioapic->rtc_vector = irq.vector;
	} else {
		ret = kvmirq_apic_deliver(ioapic->vm, &irq);
	}
	/* KVM ABI: -1 (nobody matched) sets remote IRR too. */
	if (ret && level)
		*rte |= RTE_REMOTE_IRR;
	return ret;
}

/*
 * A pin's effective input changed; returns KVM's status.  Always inlined:
 * on the KVM_IRQ_LINE path the call cost more than the work.
 */
static __always_inline int
kvmirq_ioapic_input_locked(struct kvmirq_ioapic *ioapic, unsigned int pin,
			   bool level, bool line_status)
{
	bool edge = !(*kvmirq_rte(ioapic, pin) & RTE_LEVEL);
	u32 mask = BIT(pin), old_irr;

	lockdep_assert_held(&ioapic->lock);

	if (!level) {
		ioapic->s.irr &= ~mask;
		return 1;
	}
	/*
	 * KVM ABI: while an RTC interrupt awaits its EOI, a status-reporting
	 * assertion is coalesced and not even latched.
	 */
	if (pin == IOAPIC_RTC_PIN && line_status && ioapic->rtc_pending_eoi)
		return 0;

	old_irr = ioapic->s.irr;
	ioapic->s.irr |= mask;
	if (edge) {
		/* KVM ABI: a repeated assertion shows in GET_IRQCHIP again. */
		ioapic->irr_delivered &= ~mask;
		if (old_irr & mask)
			return 0;
	}
	return kvmirq_ioapic_service_locked(ioapic, pin, line_status);
}

/**
 * kvmirq_ioapic_set_irq() - a source changes its level on an IOAPIC pin
 * @vm: the VM; its IOAPIC exists
 * @pin: 0-23
 * @source: KVMIRQ_SOURCE_*
 * @level: asserted or not
 * @line_status: KVM_IRQ_LINE_STATUS (for the RTC rule)
 *
 * Return: KVM's status for the pin.
 */
int kvmirq_ioapic_set_irq(struct kvmirq_vm *vm, u32 pin, int source,
			  int level, bool line_status)
{
	struct kvmirq_ioapic *ioapic = kvmirq_x86_ioapic(vm);
	bool line;
	int ret;

	spin_lock(&ioapic->lock);
	line = kvmirq_sources_set(&ioapic->irq_states[pin], source, level);
	ret = kvmirq_ioapic_input_locked(ioapic, pin, line, line_status);
	trace_kvmirq_ioapic_set_irq(*kvmirq_rte(ioapic, pin), pin, ret);
	spin_unlock(&ioapic->lock);
	return ret;
}

/* After an interrupt storm: deliver the level pins still pending. */
static void kvmirq_ioapic_eoi_inject(struct work_struct *work)
{
	struct kvmirq_ioapic *ioapic = container_of(work, struct kvmirq_ioapic,
						    eoi_inject.work);
	unsigned int pin;

	spin_lock(&ioapic->lock);
	for (pin = 0; pin < KVMIRQ_IOAPIC_NUM_PINS; pin++) {
		u64 rte = *kvmirq_rte(ioapic, pin);

		if ((rte & RTE_LEVEL) && !(rte & RTE_REMOTE_IRR) &&
		    (ioapic->s.irr & BIT(pin)))
			kvmirq_ioapic_service_locked(ioapic, pin, false);
	}
	spin_unlock(&ioapic->lock);
}

/* A level EOI of a pin: clear remote IRR, re-deliver a line still high. */
static void kvmirq_ioapic_eoi_pin_locked(struct kvmirq_ioapic *ioapic,
					 unsigned int pin)
{
	u64 *rte = kvmirq_rte(ioapic, pin);

	lockdep_assert_held(&ioapic->lock);

	*rte &= ~RTE_REMOTE_IRR;
	if ((*rte & RTE_MASKED) || !(ioapic->s.irr & BIT(pin))) {
		ioapic->irq_eoi[pin] = 0;
		return;
	}
	if (++ioapic->irq_eoi[pin] == IOAPIC_STORM_COUNT) {
		ioapic->irq_eoi[pin] = 0;
		/* KVM ABI: a storm is throttled to one delivery per 10 ms. */
		if (!ioapic->released) {
			schedule_delayed_work(&ioapic->eoi_inject,
					      IOAPIC_STORM_DELAY);
			return;
		}
	}
	kvmirq_ioapic_service_locked(ioapic, pin, false);
}

/*
 * KVM ABI: an EOI uncounts an RTC interrupt only when it comes from a LAPIC
 * the RTC vector was delivered to, and only once (KVM's rtc_irq_eoi()).
 */
static void kvmirq_ioapic_rtc_eoi_locked(struct kvmirq_ioapic *ioapic,
					 int vcpu_id, u32 vector)
{
	lockdep_assert_held(&ioapic->lock);

	if (vcpu_id < 0 || vcpu_id >= IOAPIC_RTC_MAP_IDS ||
	    vector != ioapic->rtc_vector)
		return;
	if (__test_and_clear_bit(vcpu_id, ioapic->rtc_dest) &&
	    !WARN_ON_ONCE(!ioapic->rtc_pending_eoi))
		ioapic->rtc_pending_eoi--;
}

/* The pins whose entry carries @vector; counts an RTC EOI. */
static unsigned long kvmirq_ioapic_eoi_pins(struct kvmirq_ioapic *ioapic,
					    int vcpu_id, u32 vector)
{
	unsigned long pins = 0;
	unsigned int pin;

	spin_lock(&ioapic->lock);
	for (pin = 0; pin < KVMIRQ_IOAPIC_NUM_PINS; pin++)
		if (FIELD_GET(RTE_VECTOR, *kvmirq_rte(ioapic, pin)) == vector)
			pins |= BIT(pin);
	kvmirq_ioapic_rtc_eoi_locked(ioapic, vcpu_id, vector);
	spin_unlock(&ioapic->lock);
	return pins;
}

void kvmirq_ioapic_eoi(struct kvmirq_vm *vm, u32 vector, u32 trig_mode)
{
	kvmirq_ioapic_eoi_from(vm, -1, vector, trig_mode);
}

/*
 * Context: process context, no LAPIC, PIC or IOAPIC lock held; may sleep
 * (ack notifiers).
 */
void kvmirq_ioapic_eoi_from(struct kvmirq_vm *vm, int vcpu_id, u32 vector,
			    u32 trig_mode)
{
	struct kvmirq_ioapic *ioapic = kvmirq_x86_ioapic(vm);
	unsigned long pins;
	unsigned int pin;

	if (!ioapic)
		return;
	pins = kvmirq_ioapic_eoi_pins(ioapic, vcpu_id, vector);
	/* KVM ABI: ack notifiers (irqfd resampling) run before remote IRR
	 * is cleared, so a resampled line is low when it is looked at.
	 */
	for_each_set_bit(pin, &pins, KVMIRQ_IOAPIC_NUM_PINS)
		kvmirq_notify_acked(vm, KVM_IRQCHIP_IOAPIC, pin);
	if (!trig_mode)
		return;

	spin_lock(&ioapic->lock);
	for_each_set_bit(pin, &pins, KVMIRQ_IOAPIC_NUM_PINS)
		if (FIELD_GET(RTE_VECTOR, *kvmirq_rte(ioapic, pin)) == vector)
			kvmirq_ioapic_eoi_pin_locked(ioapic, pin);
	spin_unlock(&ioapic->lock);
}

static u32 kvmirq_ioapic_read_indirect_locked(struct kvmirq_ioapic *ioapic)
{
	u32 sel = ioapic->s.ioregsel, index;
	u64 rte = ~0ULL;

	lockdep_assert_held(&ioapic->lock);

	switch (sel) {
	case IOAPIC_REG_VERSION:
		return IOAPIC_VERSION;
	case IOAPIC_REG_ID:
	case IOAPIC_REG_ARB:
		/* KVM ABI: the arbitration register reads as the ID. */
		return (ioapic->s.id & 0xf) << 24;
	}
	/* KVM ABI: unknown indices read all ones. */
	index = (sel - IOAPIC_REG_REDIR) >> 1;
	if (index < KVMIRQ_IOAPIC_NUM_PINS) {
		index = array_index_nospec(index, KVMIRQ_IOAPIC_NUM_PINS);
		rte = *kvmirq_rte(ioapic, index);
	}
	return (sel & 1) ? rte >> 32 : (u32)rte;
}

static void kvmirq_ioapic_write_rte_locked(struct kvmirq_ioapic *ioapic,
					   unsigned int pin, bool high, u32 val)
{
	u64 *rte = kvmirq_rte(ioapic, pin);
	u64 keep = *rte & (RTE_REMOTE_IRR | RTE_DELIVERY_STATUS);

	lockdep_assert_held(&ioapic->lock);

	if (high)
		*rte = (*rte & 0xffffffffULL) | ((u64)val << 32);
	else
		*rte = (*rte & ~0xffffffffULL) | val;
	/* Remote IRR and delivery status are read-only. */
	*rte = (*rte & ~(RTE_REMOTE_IRR | RTE_DELIVERY_STATUS)) | keep;
	/* KVM ABI: an edge entry has no remote IRR (guests rely on it). */
	if (!(*rte & RTE_LEVEL))
		*rte &= ~RTE_REMOTE_IRR;
	/* KVM ABI: a pending level line is delivered; a latched edge is not. */
	if ((*rte & RTE_LEVEL) && (ioapic->s.irr & BIT(pin)))
		kvmirq_ioapic_service_locked(ioapic, pin, false);
}

/* The redirection entry IOREGSEL selects, or -1. */
static int kvmirq_ioapic_sel_pin_locked(struct kvmirq_ioapic *ioapic)
{
	u32 sel = ioapic->s.ioregsel, index;

	lockdep_assert_held(&ioapic->lock);
	if (sel < IOAPIC_REG_REDIR)
		return -1;
	index = (sel - IOAPIC_REG_REDIR) >> 1;
	if (index >= KVMIRQ_IOAPIC_NUM_PINS)
		return -1;
	return array_index_nospec(index, KVMIRQ_IOAPIC_NUM_PINS);
}

static void kvmirq_ioapic_write_indirect_locked(struct kvmirq_ioapic *ioapic,
						u32 val)
{
	u32 sel = ioapic->s.ioregsel, index;

	lockdep_assert_held(&ioapic->lock);

	switch (sel) {
	case IOAPIC_REG_ID:
		ioapic->s.id = (val >> 24) & 0xf;
		return;
	case IOAPIC_REG_VERSION:
	case IOAPIC_REG_ARB:
		return;		/* read-only */
	}
	index = (sel - IOAPIC_REG_REDIR) >> 1;
	if (index < KVMIRQ_IOAPIC_NUM_PINS) {
		index = array_index_nospec(index, KVMIRQ_IOAPIC_NUM_PINS);
		kvmirq_ioapic_write_rte_locked(ioapic, index, sel & 1, val);
	}
}

/*
 * A write through the window; returns the pin whose mask it flipped (the
 * new mask in *@masked), or -1.
 */
static int kvmirq_ioapic_write_window_locked(struct kvmirq_ioapic *ioapic,
					     u32 val, bool *masked)
{
	int pin = kvmirq_ioapic_sel_pin_locked(ioapic);
	bool was_masked;

	if (pin < 0) {
		kvmirq_ioapic_write_indirect_locked(ioapic, val);
		return -1;
	}
	was_masked = *kvmirq_rte(ioapic, pin) & RTE_MASKED;
	kvmirq_ioapic_write_indirect_locked(ioapic, val);
	*masked = *kvmirq_rte(ioapic, pin) & RTE_MASKED;
	return *masked != was_masked ? pin : -1;
}

/**
 * kvmirq_ioapic_mmio() - a guest access to the IOAPIC window
 * @vm: the VM
 * @io: the access (space MMIO)
 *
 * KVM registers the window once at 0xfec00000 and also requires the address
 * to lie within base_address: a base moved by KVM_SET_IRQCHIP makes the
 * IOAPIC unreachable rather than moving it.
 *
 * Return: 0, or -ENXIO when the IOAPIC does not claim the address.
 */
int kvmirq_ioapic_mmio(struct kvmirq_vm *vm, struct kvmirq_io *io)
{
	struct kvmirq_ioapic *ioapic = kvmirq_x86_ioapic(vm);
	bool masked = false;
	u64 addr = io->addr;
	int pin = -1;
	u32 val;

	if (!ioapic || addr < KVMIRQ_IOAPIC_DEFAULT_BASE ||
	    addr + io->len > KVMIRQ_IOAPIC_DEFAULT_BASE + KVMIRQ_IOAPIC_MEM_LENGTH)
		return -ENXIO;

	spin_lock(&ioapic->lock);
	if (addr < ioapic->s.base_address ||
	    addr >= ioapic->s.base_address + KVMIRQ_IOAPIC_MEM_LENGTH) {
		spin_unlock(&ioapic->lock);
		return -ENXIO;
	}
	if (io->flags & KVMIRQ_IO_WRITE) {
		/* KVM ABI: an 8-byte write uses its low 32 bits. */
		val = io->data;
		if ((addr & 0xff) == IOAPIC_REGSEL)
			ioapic->s.ioregsel = val & 0xff;
		else if ((addr & 0xff) == IOAPIC_WINDOW)
			pin = kvmirq_ioapic_write_window_locked(ioapic, val, &masked);
	} else {
		val = 0;
		if ((addr & 0xff) == IOAPIC_REGSEL)
			val = ioapic->s.ioregsel;
		else if ((addr & 0xff) == IOAPIC_WINDOW)
			val = kvmirq_ioapic_read_indirect_locked(ioapic);
		/* Narrow reads see the low bytes; wider ones zero-extend. */
		io->data = io->len < 4 ? val & GENMASK(8 * io->len - 1, 0) : val;
	}
	spin_unlock(&ioapic->lock);
	/* KVM ABI: a guest write that flips an entry's mask notifies. */
	if (pin >= 0)
		kvmirq_notify_masked(vm, KVM_IRQCHIP_IOAPIC, pin, masked);
	return 0;
}

/*
 * KVM ABI: the RTC's pending-EOI count is recomputed from the LAPICs after
 * KVM_SET_IRQCHIP and KVM_SET_LAPIC: a LAPIC that matches pin 8's
 * destination and holds its vector in IRR or ISR counts (KVM's
 * __rtc_irq_eoi_tracking_restore_one()).
 */
static void kvmirq_ioapic_rtc_restore_one_locked(struct kvmirq_ioapic *ioapic,
						 u32 vcpu_id)
{
	u64 rte = *kvmirq_rte(ioapic, IOAPIC_RTC_PIN);
	struct kvmirq_apic_irq irq = {
		.dest_mode = (rte & RTE_DEST_LOGICAL) ? APIC_DEST_LOGICAL :
						       APIC_DEST_PHYSICAL,
		.shorthand = APIC_DEST_NOSHORT,
		.dest_id = rte >> RTE_DEST_SHIFT,
	};
	u32 vector = FIELD_GET(RTE_VECTOR, rte);
	bool busy, counted;

	lockdep_assert_held(&ioapic->lock);

	if (vcpu_id >= IOAPIC_RTC_MAP_IDS ||
	    !kvmirq_apic_match_dest_id(ioapic->vm, vcpu_id, &irq))
		return;
	busy = kvmirq_apic_vector_busy(ioapic->vm, vcpu_id, vector);
	counted = test_bit(vcpu_id, ioapic->rtc_dest);
	if (busy == counted)
		return;
	if (busy) {
		__set_bit(vcpu_id, ioapic->rtc_dest);
		ioapic->rtc_vector = vector;
		ioapic->rtc_pending_eoi++;
	} else {
		__clear_bit(vcpu_id, ioapic->rtc_dest);
		if (!WARN_ON_ONCE(!ioapic->rtc_pending_eoi))
			ioapic->rtc_pending_eoi--;
	}
}

static void kvmirq_ioapic_rtc_restore_id(void *arg, u32 vcpu_id)
{
	kvmirq_ioapic_rtc_restore_one_locked(arg, vcpu_id);
}

static void kvmirq_ioapic_rtc_restore_all_locked(struct kvmirq_ioapic *ioapic)
{
	lockdep_assert_held(&ioapic->lock);

	ioapic->rtc_pending_eoi = 0;
	bitmap_zero(ioapic->rtc_dest, IOAPIC_RTC_MAP_IDS);
	/* Not xa_for_each(): an xarray walk costs more than the whole SET. */
	kvmirq_apic_map_walk_ids(ioapic->vm, kvmirq_ioapic_rtc_restore_id,
				 ioapic);
}

/* KVM_SET_LAPIC on vcpu @vcpu_id: recount its RTC interrupt. */
void kvmirq_ioapic_lapic_restored(struct kvmirq_vm *vm, u32 vcpu_id)
{
	struct kvmirq_ioapic *ioapic = kvmirq_x86_ioapic(vm);

	if (!ioapic)
		return;
	spin_lock(&ioapic->lock);
	kvmirq_ioapic_rtc_restore_one_locked(ioapic, vcpu_id);
	spin_unlock(&ioapic->lock);
}

void kvmirq_ioapic_get_state(struct kvmirq_vm *vm,
			     struct kvm_ioapic_state *state)
{
	struct kvmirq_ioapic *ioapic = kvmirq_x86_ioapic(vm);

	spin_lock(&ioapic->lock);
	*state = ioapic->s;
	/* KVM ABI: delivered edge assertions are hidden. */
	state->irr &= ~ioapic->irr_delivered;
	spin_unlock(&ioapic->lock);
}

/*
 * KVM ABI: a raw copy, then every supplied irr bit is asserted again as
 * KVM_IRQ_LINE_STATUS would (edge pins delivered, level pins delivered and
 * given remote IRR); the sources' line levels are left as they were.  The
 * RTC tracking is then recounted from the LAPICs.
 */
void kvmirq_ioapic_set_state(struct kvmirq_vm *vm,
			     const struct kvm_ioapic_state *state)
{
	struct kvmirq_ioapic *ioapic = kvmirq_x86_ioapic(vm);
	unsigned long irr = state->irr;
	unsigned int pin;

	spin_lock(&ioapic->lock);
	ioapic->s = *state;
	ioapic->s.irr = 0;
	ioapic->irr_delivered = 0;
	ioapic->rtc_pending_eoi = 0;
	bitmap_zero(ioapic->rtc_dest, IOAPIC_RTC_MAP_IDS);
	for_each_set_bit(pin, &irr, KVMIRQ_IOAPIC_NUM_PINS)
		kvmirq_ioapic_input_locked(ioapic, pin, true, true);
	kvmirq_ioapic_rtc_restore_all_locked(ioapic);
	spin_unlock(&ioapic->lock);
}

struct kvmirq_ioapic *kvmirq_ioapic_create(struct kvmirq_vm *vm)
{
	struct kvmirq_ioapic *ioapic;
	unsigned int pin;

	/* Memory budget: the irqchip of a VM within 16 KiB (with routing). */
	BUILD_BUG_ON(sizeof(*ioapic) > 2048);
	ioapic = kzalloc(sizeof(*ioapic), GFP_KERNEL_ACCOUNT);
	if (!ioapic)
		return NULL;
	spin_lock_init(&ioapic->lock);
	INIT_DELAYED_WORK(&ioapic->eoi_inject, kvmirq_ioapic_eoi_inject);
	ioapic->vm = vm;
	ioapic->s.base_address = KVMIRQ_IOAPIC_DEFAULT_BASE;
	for (pin = 0; pin < KVMIRQ_IOAPIC_NUM_PINS; pin++)
		*kvmirq_rte(ioapic, pin) = RTE_MASKED;
	return ioapic;
}

/* The VM fd is closing; vcpu fds may stay and still send EOIs. */
void kvmirq_ioapic_release(struct kvmirq_vm *vm)
{
	struct kvmirq_ioapic *ioapic = kvmirq_x86_ioapic(vm);

	spin_lock(&ioapic->lock);
	ioapic->released = true;
	spin_unlock(&ioapic->lock);
	cancel_delayed_work_sync(&ioapic->eoi_inject);
}

void kvmirq_ioapic_destroy(struct kvmirq_ioapic *ioapic)
{
	if (!ioapic)
		return;
	cancel_delayed_work_sync(&ioapic->eoi_inject);
	kfree(ioapic);
}

/* debugfs "ioapic": registers and the 24 entries decoded. */
void kvmirq_ioapic_dump(struct seq_file *m, struct kvmirq_vm *vm)
{
	struct kvmirq_ioapic *ioapic = kvmirq_x86_ioapic(vm);
	static const char * const dm[8] = {
		"fixed", "lowest", "smi", "res3", "nmi", "init", "res6", "extint",
	};
	struct kvm_ioapic_state s;
	u32 delivered;
	unsigned int pin;
	u64 e;

	if (!ioapic) {
		seq_puts(m, "no in-kernel IOAPIC\n");
		return;
	}
	spin_lock(&ioapic->lock);
	s = ioapic->s;
	delivered = ioapic->irr_delivered;
	spin_unlock(&ioapic->lock);

	seq_printf(m, "base %#llx id %u ioregsel %#x irr %06x (delivered edges %06x)\n",
		   s.base_address, s.id, s.ioregsel, s.irr, delivered);
	for (pin = 0; pin < KVMIRQ_IOAPIC_NUM_PINS; pin++) {
		e = s.redirtbl[pin].bits;
		seq_printf(m, "pin %2u: %016llx vec %3llu %-6s %-8s dest %#04llx %-5s%s%s%s%s\n",
			   pin, e, FIELD_GET(RTE_VECTOR, e),
			   dm[FIELD_GET(RTE_DELIVERY_MODE, e)],
			   (e & RTE_DEST_LOGICAL) ? "logical" : "physical",
			   e >> RTE_DEST_SHIFT,
			   (e & RTE_LEVEL) ? "level" : "edge",
			   (e & RTE_MASKED) ? " masked" : "",
			   (e & RTE_REMOTE_IRR) ? " remote-irr" : "",
			   (e & RTE_DELIVERY_STATUS) ? " pending" : "",
			   (s.irr & BIT(pin)) ? " line-high" : "");
	}
}

#if IS_ENABLED(CONFIG_KUNIT)
#include "tests/ioapic_kunit.c"
#endif
