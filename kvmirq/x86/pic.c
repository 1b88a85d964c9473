// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the x86 8259 PIC pair, with the PIIX ELCR, as KVM models it.
 *
 * Master (chip 0, ports 0x20/0x21) and slave (chip 1, ports 0xa0/0xa1)
 * cascade through master IR2; ELCR ports 0x4d0/0x4d1 choose edge or level
 * per pin.  The master's output (INTR) feeds the boot vcpu's LINT0 (lapic.c).
 *
 * One spinlock guards the pair.  Work that must not run under it (ack
 * notifications for irqfd resampling, the INTR change notification) is
 * recorded while locked and done by kvmirq_pic_unlock().  What KVM's ack
 * notifier does to the PIC itself, a resampler lowering its line, is done
 * under the lock where KVM runs the notifier (kvmirq_pic_resample_locked()).
 */
#include <linux/bitops.h>
#include <linux/slab.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>

#include "irq.h"
#include "irqchip.h"
#include "lapic.h"
#include "trace.h"

#define PIC_NR_PINS	16
#define PIC_MASTER	0
#define PIC_SLAVE	1
#define PIC_CASCADE_IR	2
/* KVM ABI: pins whose ELCR bit the guest may set (PIIX: not 0-2, 8, 13). */
#define PIC_MASTER_ELCR_MASK	0xf8
#define PIC_SLAVE_ELCR_MASK	0xde

/**
 * struct kvmirq_pic - the PIC pair
 * @chip: master and slave registers, KVM's ABI layout (GET/SET copy them)
 * @lock: guards everything below and @chip
 * @output: the master's INTR output
 * @output_changed: @output changed since the lock was taken
 * @acked: pins (slave pins 8-15) whose ISR bit was cleared since the lock
 *         was taken; ack notifiers run after unlock
 * @mask_changed: pins whose IMR bit OCW1 changed since the lock was taken;
 *                mask notifiers run after unlock
 * @masked: the new IMR bits of @mask_changed
 * @irq_states: per pin, the sources asserting it (kvmirq_sources_set())
 * @vm: the VM
 */
struct kvmirq_pic {
	struct kvm_pic_state chip[2];
	spinlock_t lock;	/* the pair */
	bool output;
	bool output_changed;
	u16 acked;
	u16 mask_changed;
	u16 masked;
	u8 irq_states[PIC_NR_PINS];
	struct kvmirq_vm *vm;
};

static void kvmirq_pic_lock(struct kvmirq_pic *pic)
	__acquires(&pic->lock)
{
	spin_lock(&pic->lock);
}

/* Unlocks, then runs the ack notifiers and the INTR notification. */
static void kvmirq_pic_unlock(struct kvmirq_pic *pic)
	__releases(&pic->lock)
{
	unsigned long acked = pic->acked, mask_changed = pic->mask_changed;
	bool changed = pic->output_changed;
	u16 masked = pic->masked;
	unsigned int pin;

	pic->acked = 0;
	pic->mask_changed = 0;
	pic->output_changed = false;
	spin_unlock(&pic->lock);

	for_each_set_bit(pin, &acked, PIC_NR_PINS)
		kvmirq_notify_acked(pic->vm, pin < 8 ? KVM_IRQCHIP_PIC_MASTER :
						      KVM_IRQCHIP_PIC_SLAVE, pin & 7);
	for_each_set_bit(pin, &mask_changed, PIC_NR_PINS)
		kvmirq_notify_masked(pic->vm, pin < 8 ? KVM_IRQCHIP_PIC_MASTER :
						       KVM_IRQCHIP_PIC_SLAVE, pin & 7,
				     masked & BIT(pin));
	if (changed)
		kvmirq_apic_pic_intr_changed(pic->vm);
}

/*
 * A pin's input; returns KVM's status for it.  Always inlined: on the
 * KVM_IRQ_LINE path the call cost more than the work.
 */
static __always_inline int kvmirq_pic_input_locked(struct kvmirq_pic *pic,
						   int c, int irq, bool level)
{
	struct kvm_pic_state *s = &pic->chip[c];
	u8 mask = BIT(irq);
	int ret = 1;

	lockdep_assert_held(&pic->lock);

	if (s->elcr & mask) {
		if (level) {
			ret = !(s->irr & mask);
			s->irr |= mask;
			s->last_irr |= mask;
		} else {
			s->irr &= ~mask;
			s->last_irr &= ~mask;
		}
	} else if (level) {
		/* KVM ABI: a held line reports 1, a latched new edge 0. */
		if (!(s->last_irr & mask)) {
			ret = !(s->irr & mask);
			s->irr |= mask;
		}
		s->last_irr |= mask;
	} else {
		s->last_irr &= ~mask;
	}
	/* KVM ABI: IMR does not stop latching, but reports -1. */
	return (s->imr & mask) ? -1 : ret;
}

/*
 * KVM ABI: KVM's pic_clear_isr() runs the ack notifiers there and then, so
 * a resampling irqfd's line is already low when the EOI recomputes the
 * cascade: a slave EOI does not latch master IR2 again (then a spurious
 * IRQ15).  Lower the resampler's source on the pin here, under the lock;
 * kvmirq_pic_unlock() still runs the notifier, which lowers the GSI's other
 * routes (the IOAPIC pin) and signals the resamplefds.
 */
static void kvmirq_pic_resample_locked(struct kvmirq_pic *pic, int c, int irq)
{
	u8 *state = &pic->irq_states[irq + 8 * c];
	int gsi;

	lockdep_assert_held(&pic->lock);

	if (!(*state & BIT(KVMIRQ_SOURCE_RESAMPLE)))
		return;
	gsi = kvmirq_routing_gsi_of_pin(pic->vm, c == PIC_MASTER ?
					KVM_IRQCHIP_PIC_MASTER :
					KVM_IRQCHIP_PIC_SLAVE, irq);
	if (gsi < 0 || !kvmirq_gsi_resampled(pic->vm, gsi))
		return;
	kvmirq_pic_input_locked(pic, c, irq,
				kvmirq_sources_set(state, KVMIRQ_SOURCE_RESAMPLE, 0));
}

static void kvmirq_pic_clear_isr_locked(struct kvmirq_pic *pic, int c, int irq)
{
	lockdep_assert_held(&pic->lock);

	pic->chip[c].isr &= ~BIT(irq);
	pic->acked |= BIT(irq + 8 * c);
	kvmirq_pic_resample_locked(pic, c, irq);
}

/* Priority (0 highest) of the highest-priority bit of @mask, 8 if none. */
static int kvmirq_pic_priority(const struct kvm_pic_state *s, u8 mask)
{
	int priority = 0;

	if (!mask)
		return 8;
	while (!(mask & BIT((priority + s->priority_add) & 7)))
		priority++;
	return priority;
}

/* The IRQ a chip wants to raise, or -1. */
static int kvmirq_pic_candidate_locked(struct kvmirq_pic *pic, int c)
{
	struct kvm_pic_state *s = &pic->chip[c];
	int priority, current_priority;
	u8 in_service = s->isr;

	lockdep_assert_held(&pic->lock);

	priority = kvmirq_pic_priority(s, s->irr & ~s->imr);
	if (priority == 8)
		return -1;
	/* Special fully nested mode: the slave does not block itself. */
	if (c == PIC_MASTER && s->special_fully_nested_mode)
		in_service &= ~BIT(PIC_CASCADE_IR);
	current_priority = kvmirq_pic_priority(s, in_service);
	if (priority >= current_priority)
		return -1;
	return (priority + s->priority_add) & 7;
}

/* Recomputes the cascade and INTR; called after every state change. */
static void kvmirq_pic_update_locked(struct kvmirq_pic *pic)
{
	bool output;

	lockdep_assert_held(&pic->lock);

	if (kvmirq_pic_candidate_locked(pic, PIC_SLAVE) >= 0) {
		/* KVM ABI: the slave pulses IR2, latching it as an edge. */
		kvmirq_pic_input_locked(pic, PIC_MASTER, PIC_CASCADE_IR, true);
		kvmirq_pic_input_locked(pic, PIC_MASTER, PIC_CASCADE_IR, false);
	}
	output = kvmirq_pic_candidate_locked(pic, PIC_MASTER) >= 0;
	if (output != pic->output) {
		pic->output = output;
		pic->output_changed = true;
	}
}

static void kvmirq_pic_intack_locked(struct kvmirq_pic *pic, int c, int irq)
{
	struct kvm_pic_state *s = &pic->chip[c];

	lockdep_assert_held(&pic->lock);

	s->isr |= BIT(irq);
	/* A level-triggered request stays until its line drops. */
	if (!(s->elcr & BIT(irq)))
		s->irr &= ~BIT(irq);
	if (s->auto_eoi) {
		if (s->rotate_on_auto_eoi)
			s->priority_add = (irq + 1) & 7;
		kvmirq_pic_clear_isr_locked(pic, c, irq);
	}
}

/*
 * KVM ABI: ICW1 drops edge requests and clears their ISR bits only when
 * some vcpu accepts PIC interrupts (LAPIC hardware-disabled, or LINT0
 * unmasked ExtINT: the reset boot vcpu does).
 */
static bool kvmirq_pic_has_acceptor(struct kvmirq_pic *pic)
{
	struct kvmirq_vcpu *vcpu;
	struct kvmirq_lapic *l;
	unsigned long id;

	xa_for_each(&pic->vm->vcpus, id, vcpu) {
		l = kvmirq_lapic(vcpu);
		if (l && kvmirq_lapic_accepts_pic(l))
			return true;
	}
	return false;
}

/* ICW1: the start of initialisation. */
static void kvmirq_pic_icw1_locked(struct kvmirq_pic *pic, int c, u8 val)
{
	struct kvm_pic_state *s = &pic->chip[c];
	u8 edge_irr = s->irr & ~s->elcr;
	int irq;

	lockdep_assert_held(&pic->lock);

	/* KVM ABI: single mode and LTIM are ignored; ELCR decides. */
	s->init4 = val & 1;
	s->last_irr = 0;
	s->irr &= s->elcr;
	s->imr = 0;
	s->priority_add = 0;
	s->special_mask = 0;
	s->read_reg_select = 0;
	if (!s->init4) {
		s->special_fully_nested_mode = 0;
		s->auto_eoi = 0;
	}
	s->init_state = 1;

	if (!kvmirq_pic_has_acceptor(pic))
		return;
	for (irq = 0; irq < 8; irq++)
		if (edge_irr & BIT(irq))
			kvmirq_pic_clear_isr_locked(pic, c, irq);
}

/* OCW3: poll, register read select, special mask. */
static void kvmirq_pic_ocw3_locked(struct kvmirq_pic *pic, int c, u8 val)
{
	struct kvm_pic_state *s = &pic->chip[c];

	lockdep_assert_held(&pic->lock);

	if (val & 0x04)
		s->poll = 1;
	if (val & 0x02)
		s->read_reg_select = val & 1;
	/* KVM ABI: special mask mode is stored but changes nothing. */
	if (val & 0x40)
		s->special_mask = (val >> 5) & 1;
}

/* Non-specific EOI, optionally rotating. */
static void kvmirq_pic_eoi_locked(struct kvmirq_pic *pic, int c, bool rotate)
{
	struct kvm_pic_state *s = &pic->chip[c];
	int priority = kvmirq_pic_priority(s, s->isr);
	int irq;

	lockdep_assert_held(&pic->lock);

	if (priority == 8)
		return;
	irq = (priority + s->priority_add) & 7;
	if (rotate)
		s->priority_add = (irq + 1) & 7;
	kvmirq_pic_clear_isr_locked(pic, c, irq);
	kvmirq_pic_update_locked(pic);
}

/* OCW2: EOIs and rotation. */
static void kvmirq_pic_ocw2_locked(struct kvmirq_pic *pic, int c, u8 val)
{
	struct kvm_pic_state *s = &pic->chip[c];
	int irq = val & 7;

	lockdep_assert_held(&pic->lock);

	switch (val >> 5) {
	case 0:		/* clear rotate in automatic EOI mode */
	case 4:		/* set rotate in automatic EOI mode */
		s->rotate_on_auto_eoi = val >> 7;
		break;
	case 1:		/* non-specific EOI */
		kvmirq_pic_eoi_locked(pic, c, false);
		break;
	case 5:		/* rotate on non-specific EOI */
		kvmirq_pic_eoi_locked(pic, c, true);
		break;
	case 3:		/* specific EOI */
		kvmirq_pic_clear_isr_locked(pic, c, irq);
		kvmirq_pic_update_locked(pic);
		break;
	case 6:		/* set priority */
		s->priority_add = (val + 1) & 7;
		kvmirq_pic_update_locked(pic);
		break;
	case 7:		/* rotate on specific EOI */
		s->priority_add = (irq + 1) & 7;
		kvmirq_pic_clear_isr_locked(pic, c, irq);
		kvmirq_pic_update_locked(pic);
		break;
	default:	/* 2: no operation */
		break;
	}
}

static void kvmirq_pic_command_write_locked(struct kvmirq_pic *pic, int c,
					    u8 val)
{
	if (val & 0x10)
		kvmirq_pic_icw1_locked(pic, c, val);
	else if (val & 0x08)
		kvmirq_pic_ocw3_locked(pic, c, val);
	else
		kvmirq_pic_ocw2_locked(pic, c, val);
}

/* Data port: OCW1 (IMR) in normal operation, else ICW2-ICW4. */
static void kvmirq_pic_data_write_locked(struct kvmirq_pic *pic, int c, u8 val)
{
	struct kvm_pic_state *s = &pic->chip[c];

	lockdep_assert_held(&pic->lock);

	switch (s->init_state) {
	case 0:
		/* KVM ABI: OCW1, and only OCW1, fires the mask notifiers. */
		pic->mask_changed |= (s->imr ^ val) << (8 * c);
		pic->masked = (pic->masked & ~(0xff << (8 * c))) | val << (8 * c);
		s->imr = val;
		kvmirq_pic_update_locked(pic);
		break;
	case 1:
		s->irq_base = val & 0xf8;
		s->init_state = 2;
		break;
	case 2:
		/* KVM ABI: ICW3 is read and ignored. */
		s->init_state = s->init4 ? 3 : 0;
		break;
	case 3:
		s->special_fully_nested_mode = (val >> 4) & 1;
		s->auto_eoi = (val >> 1) & 1;
		s->init_state = 0;
		break;
	default:
		/* KVM ABI: an init_state set by SET_IRQCHIP beyond 3 sticks. */
		break;
	}
}

/* A read with poll mode armed: acknowledges the candidate. */
static u8 kvmirq_pic_poll_read_locked(struct kvmirq_pic *pic, int c)
{
	struct kvm_pic_state *master = &pic->chip[PIC_MASTER];
	struct kvm_pic_state *s = &pic->chip[c];
	int irq = kvmirq_pic_candidate_locked(pic, c);

	lockdep_assert_held(&pic->lock);

	if (irq < 0) {
		/* KVM ABI: no request reads 0x07, without the 0x80 flag. */
		kvmirq_pic_update_locked(pic);
		return 0x07;
	}
	if (c == PIC_SLAVE) {
		master->isr &= ~BIT(PIC_CASCADE_IR);
		master->irr &= ~BIT(PIC_CASCADE_IR);
	}
	s->irr &= ~BIT(irq);
	kvmirq_pic_clear_isr_locked(pic, c, irq);
	/* KVM ABI: a master poll of IR2 leaves the output as it was. */
	if (c == PIC_SLAVE || irq != PIC_CASCADE_IR)
		kvmirq_pic_update_locked(pic);
	return irq;
}

static u8 kvmirq_pic_port_read_locked(struct kvmirq_pic *pic, int c,
				      bool data_port)
{
	struct kvm_pic_state *s = &pic->chip[c];

	lockdep_assert_held(&pic->lock);

	if (s->poll) {
		u8 val = kvmirq_pic_poll_read_locked(pic, c);

		s->poll = 0;
		return val;
	}
	if (data_port)
		return s->imr;
	return s->read_reg_select ? s->isr : s->irr;
}

/* The port ranges the PIC claims, as KVM registers them on its PIO bus. */
static int kvmirq_pic_port(u64 addr, u32 len, int *c)
{
	static const u16 bases[] = { 0x20, 0xa0, 0x4d0 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		if (addr >= bases[i] && addr + len <= bases[i] + 2u) {
			*c = i == 2 ? (addr & 1) : i;
			return bases[i];
		}
	}
	return -1;
}

/**
 * kvmirq_pic_io() - a guest port access to the PIC or ELCR
 * @vm: the VM; its PIC exists
 * @io: the access (space PIO)
 *
 * Return: 0, or -ENXIO for a port the PIC does not claim.
 */
int kvmirq_pic_io(struct kvmirq_vm *vm, struct kvmirq_io *io)
{
	struct kvmirq_pic *pic = kvmirq_x86_pic(vm);
	bool write = io->flags & KVMIRQ_IO_WRITE;
	int base, c;
	u8 val = io->data;

	base = kvmirq_pic_port(io->addr, io->len, &c);
	if (base < 0)
		return -ENXIO;
	/* KVM ABI: wider accesses are ignored and read 0. */
	if (io->len != 1) {
		io->data = 0;
		return 0;
	}

	kvmirq_pic_lock(pic);
	if (base == 0x4d0) {
		if (write)
			pic->chip[c].elcr = val & pic->chip[c].elcr_mask;
		else
			io->data = pic->chip[c].elcr;
	} else if (write) {
		if (io->addr & 1)
			kvmirq_pic_data_write_locked(pic, c, val);
		else
			kvmirq_pic_command_write_locked(pic, c, val);
	} else {
		io->data = kvmirq_pic_port_read_locked(pic, c, io->addr & 1);
	}
	kvmirq_pic_unlock(pic);
	return 0;
}

/**
 * kvmirq_pic_set_irq() - a source changes its level on a PIC pin
 * @vm: the VM; its PIC exists
 * @pin: 0-7 master, 8-15 slave
 * @source: KVMIRQ_SOURCE_*
 * @level: asserted or not
 *
 * Return: KVM's status for the pin (-1 masked, 0 coalesced, 1 otherwise).
 */
int kvmirq_pic_set_irq(struct kvmirq_vm *vm, u32 pin, int source, int level)
{
	struct kvmirq_pic *pic = kvmirq_x86_pic(vm);
	bool line;
	int ret;

	kvmirq_pic_lock(pic);
	line = kvmirq_sources_set(&pic->irq_states[pin], source, level);
	ret = kvmirq_pic_input_locked(pic, pin >> 3, pin & 7, line);
	trace_kvmirq_pic_set_irq(pin >> 3, pin & 7, pic->chip[pin >> 3].elcr,
				 pic->chip[pin >> 3].imr, ret);
	kvmirq_pic_update_locked(pic);
	kvmirq_pic_unlock(pic);
	return ret;
}

void kvmirq_pic_get_state(struct kvmirq_vm *vm, int c,
			  struct kvm_pic_state *state)
{
	struct kvmirq_pic *pic = kvmirq_x86_pic(vm);

	kvmirq_pic_lock(pic);
	*state = pic->chip[c];
	kvmirq_pic_unlock(pic);
}

/* KVM ABI: a raw copy, no field is checked or masked. */
void kvmirq_pic_set_state(struct kvmirq_vm *vm, int c,
			  const struct kvm_pic_state *state)
{
	struct kvmirq_pic *pic = kvmirq_x86_pic(vm);

	kvmirq_pic_lock(pic);
	pic->chip[c] = *state;
	kvmirq_pic_unlock(pic);
}

/* Recomputes the cascade and INTR (after KVM_SET_IRQCHIP, as KVM). */
void kvmirq_pic_update(struct kvmirq_vm *vm)
{
	struct kvmirq_pic *pic = kvmirq_x86_pic(vm);

	kvmirq_pic_lock(pic);
	kvmirq_pic_update_locked(pic);
	kvmirq_pic_unlock(pic);
}

bool kvmirq_pic_intr(struct kvmirq_vm *vm)
{
	struct kvmirq_pic *pic = kvmirq_x86_pic(vm);

	return pic && READ_ONCE(pic->output);
}

u32 kvmirq_pic_ack(struct kvmirq_vm *vm)
{
	struct kvmirq_pic *pic = kvmirq_x86_pic(vm);
	int irq, irq2;
	u32 vector;

	kvmirq_pic_lock(pic);
	/* KVM ABI: INTA drops INTR; it rises again if more is pending. */
	if (pic->output) {
		pic->output = false;
		pic->output_changed = true;
	}
	irq = kvmirq_pic_candidate_locked(pic, PIC_MASTER);
	if (irq < 0) {
		/* KVM ABI: spurious IRQ 7 of the master, no ISR change. */
		vector = pic->chip[PIC_MASTER].irq_base + 7;
	} else if (irq != PIC_CASCADE_IR) {
		kvmirq_pic_intack_locked(pic, PIC_MASTER, irq);
		vector = pic->chip[PIC_MASTER].irq_base + irq;
	} else {
		kvmirq_pic_intack_locked(pic, PIC_MASTER, irq);
		irq2 = kvmirq_pic_candidate_locked(pic, PIC_SLAVE);
		if (irq2 >= 0)
			kvmirq_pic_intack_locked(pic, PIC_SLAVE, irq2);
		else
			irq2 = 7;	/* spurious IRQ 15 */
		vector = pic->chip[PIC_SLAVE].irq_base + irq2;
	}
	kvmirq_pic_update_locked(pic);
	kvmirq_pic_unlock(pic);
	return vector & 0xff;
}

struct kvmirq_pic *kvmirq_pic_create(struct kvmirq_vm *vm)
{
	struct kvmirq_pic *pic;

	/* Memory budget: the irqchip of a VM within 16 KiB (with routing). */
	BUILD_BUG_ON(sizeof(*pic) > 512);
	pic = kzalloc(sizeof(*pic), GFP_KERNEL_ACCOUNT);
	if (!pic)
		return NULL;
	spin_lock_init(&pic->lock);
	pic->vm = vm;
	pic->chip[PIC_MASTER].elcr_mask = PIC_MASTER_ELCR_MASK;
	pic->chip[PIC_SLAVE].elcr_mask = PIC_SLAVE_ELCR_MASK;
	return pic;
}

void kvmirq_pic_destroy(struct kvmirq_pic *pic)
{
	kfree(pic);
}

/* debugfs "pic": both chips, as QEMU's "info pic" shows them. */
static void kvmirq_pic_dump_chip(struct seq_file *m, const char *name,
				 const struct kvm_pic_state *s)
{
	seq_printf(m, "%s: irr %02x imr %02x isr %02x last_irr %02x elcr %02x elcr_mask %02x\n",
		   name, s->irr, s->imr, s->isr, s->last_irr, s->elcr,
		   s->elcr_mask);
	seq_printf(m, "  irq_base %#04x priority_add %u init_state %u init4 %u auto_eoi %u rotate_on_auto_eoi %u\n",
		   s->irq_base, s->priority_add, s->init_state, s->init4,
		   s->auto_eoi, s->rotate_on_auto_eoi);
	seq_printf(m, "  read_reg_select %s poll %u special_mask %u special_fully_nested %u\n",
		   s->read_reg_select ? "isr" : "irr", s->poll, s->special_mask,
		   s->special_fully_nested_mode);
}

void kvmirq_pic_dump(struct seq_file *m, struct kvmirq_vm *vm)
{
	struct kvmirq_pic *pic = kvmirq_x86_pic(vm);
	struct kvm_pic_state chip[2];
	bool output;

	if (!pic) {
		seq_puts(m, "no in-kernel PIC\n");
		return;
	}
	spin_lock(&pic->lock);
	memcpy(chip, pic->chip, sizeof(chip));
	output = pic->output;
	spin_unlock(&pic->lock);

	kvmirq_pic_dump_chip(m, "master", &chip[PIC_MASTER]);
	kvmirq_pic_dump_chip(m, "slave", &chip[PIC_SLAVE]);
	seq_printf(m, "intr output: %u\n", output);
}

#if IS_ENABLED(CONFIG_KUNIT)
#include "tests/pic_kunit.c"
#endif
