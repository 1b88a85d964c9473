/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq: state of the x86 machine model and the interfaces between its
 * controllers (PIC pair, IOAPIC, routing: pic.c, ioapic.c, routing.c;
 * local APICs and delivery: lapic.c).
 *
 * Lock order (outermost first):
 *   vm->lock  >  vcpu->mutex  >  irqs->lock (irq.h)  >  PIC lock, IOAPIC lock
 *   >  LAPIC lock
 * A LAPIC never calls into the IOAPIC or PIC with its own lock held: EOI
 * broadcasts and ExtINT acknowledges are made after it drops the lock.
 */
#ifndef KVMIRQ_X86_H
#define KVMIRQ_X86_H

#include <linux/atomic.h>

#include "kvmirq.h"

struct kvmirq_pic;
struct kvmirq_ioapic;
struct kvmirq_lapic;
struct kvmirq_apic_map;

/**
 * struct kvmirq_x86_vm - VM-wide x86 state
 * @pic: the PIC pair, NULL until KVM_CREATE_IRQCHIP; published once with
 *       smp_store_release() under vm->lock and never cleared before the VM
 *       is destroyed
 * @ioapic: the IOAPIC, same rules
 * @irqchip_mode: KVMIRQ_IRQCHIP_*; set once, under vm->lock, only while no
 *                vcpu exists (vm->nr_vcpus == 0): KVM_ENABLE_CAP(SPLIT)
 *                and KVM_CREATE_IRQCHIP (EEXIST if already set).  Vcpus
 *                created afterwards get a LAPIC.
 * @boot_cpu_id: KVM_SET_BOOT_CPU_ID
 * @x2apic_32bit_ids: KVM_X2APIC_API_USE_32BIT_IDS
 * @x2apic_broadcast_quirk_off: KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK
 * @exception_payload: KVM_CAP_EXCEPTION_PAYLOAD enabled
 * @triple_fault_event: KVM_CAP_X86_TRIPLE_FAULT_EVENT enabled
 * @apic_map: the LAPICs in creation order, for delivery (apic_map.c);
 *            replaced under vm->lock with smp_store_release()
 */
struct kvmirq_x86_vm {
	struct kvmirq_pic *pic;
	struct kvmirq_ioapic *ioapic;
	struct kvmirq_apic_map *apic_map;
	u32 irqchip_mode;
	u32 boot_cpu_id;
	bool x2apic_32bit_ids;
	bool x2apic_broadcast_quirk_off;
	bool exception_payload;
	bool triple_fault_event;
};

/* struct kvmirq_x86_vm::irqchip_mode, as KVM's */
#define KVMIRQ_IRQCHIP_NONE	0
#define KVMIRQ_IRQCHIP_KERNEL	1	/* KVM_CREATE_IRQCHIP */
#define KVMIRQ_IRQCHIP_SPLIT	2	/* KVM_CAP_SPLIT_IRQCHIP */

/**
 * struct kvmirq_x86_events - a vcpu's event state (KVM_*_VCPU_EVENTS)
 * @nmi_queued: KVM_NMI and NMI messages, folded into @nmi_pending later
 * @smi_queued: KVM_SMI and SMI messages (KVM's KVM_REQ_SMI), folded into
 *              @smi_pending by GET_VCPU_EVENTS and the acknowledge
 * @smi_pending: an SMI the CPU has not taken yet
 * @smm: in System Management Mode (KVM's HF_SMM_MASK)
 * @smm_inside_nmi: SMM was entered with NMIs blocked (HF_SMM_INSIDE_NMI_MASK)
 * @mp_state: KVM_MP_STATE_*
 * @extint_vector: split irqchip KVM_INTERRUPT vector, -1 if none
 * @apic_base: MSR_IA32_APICBASE of a vcpu without a LAPIC (else the LAPIC's)
 *
 * Everything but @nmi_queued and @smi_queued is under vcpu->mutex.
 */
struct kvmirq_x86_events {
	atomic_t nmi_queued;
	atomic_t smi_queued;
	u8 nmi_pending;
	bool smi_pending;
	bool smm;
	bool smm_inside_nmi;
	bool nmi_injected;
	bool nmi_masked;
	u8 shadow;
	bool exc_injected;
	bool exc_pending;
	bool exc_has_error_code;
	bool exc_has_payload;
	u8 exc_nr;
	u32 exc_error_code;
	u64 exc_payload;
	bool irq_injected;
	bool irq_soft;
	u8 irq_nr;
	bool triple_fault;
	int extint_vector;
	u32 mp_state;
	u64 apic_base;
};

/**
 * struct kvmirq_x86_vcpu - per-vcpu x86 state
 * @lapic: the local APIC, or NULL in a VM without an in-kernel irqchip
 */
struct kvmirq_x86_vcpu {
	struct kvmirq_lapic *lapic;
	struct kvmirq_x86_events ev;
};

static inline struct kvmirq_x86_vm *kvmirq_x86(struct kvmirq_vm *vm)
{
	return vm->arch;
}

static inline struct kvmirq_x86_vcpu *kvmirq_x86_vcpu(struct kvmirq_vcpu *vcpu)
{
	return vcpu->arch;
}

/**
 * struct kvmirq_apic_irq - an interrupt message to the local APICs
 * @vector: vector
 * @delivery_mode: ICR encoding, APIC_DM_* (bits 10:8)
 * @dest_mode: APIC_DEST_PHYSICAL or APIC_DEST_LOGICAL
 * @level: asserted (only meaningful for level-triggered messages)
 * @trig_mode: 0 edge, 1 level
 * @shorthand: ICR destination shorthand, APIC_DEST_NOSHORT for messages
 *             from the IOAPIC and MSIs
 * @dest_id: destination (8-bit xAPIC or 32-bit x2APIC id)
 * @msi_redir_hint: the MSI redirection hint
 *
 * The IOAPIC, MSI routes, KVM_SIGNAL_MSI and IPIs all build one of these.
 */
struct kvmirq_apic_irq {
	u32 vector;
	u32 delivery_mode;
	u32 dest_mode;
	bool level;
	u32 trig_mode;
	u32 shorthand;
	u32 dest_id;
	bool msi_redir_hint;
};

static inline struct kvmirq_x86_events *kvmirq_x86_ev(struct kvmirq_vcpu *vcpu)
{
	return &kvmirq_x86_vcpu(vcpu)->ev;
}

static inline bool kvmirq_x86_is_boot_vcpu(struct kvmirq_vcpu *vcpu)
{
	return READ_ONCE(kvmirq_x86(vcpu->vm)->boot_cpu_id) == vcpu->id;
}

/* True when the LAPICs are in the kernel (KVM_CREATE_IRQCHIP or split). */
static inline bool kvmirq_x86_irqchip_in_kernel(struct kvmirq_vm *vm)
{
	return READ_ONCE(kvmirq_x86(vm)->irqchip_mode) != KVMIRQ_IRQCHIP_NONE;
}

/* x86_vcpu.c */

int kvmirq_x86_vcpu_init(struct kvmirq_vcpu *vcpu);
void kvmirq_x86_vcpu_destroy(struct kvmirq_vcpu *vcpu);
void kvmirq_x86_vcpu_online(struct kvmirq_vcpu *vcpu);
long kvmirq_x86_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			   unsigned long arg);

/* events.c */

void kvmirq_x86_events_init(struct kvmirq_vcpu *vcpu, bool lapic);
void kvmirq_x86_fold_smi(struct kvmirq_x86_events *ev);
void kvmirq_x86_set_mp_state(struct kvmirq_vcpu *vcpu, u32 state);
u32 kvmirq_x86_accept_events(struct kvmirq_vcpu *vcpu, u32 *sipi);
bool kvmirq_x86_take_nmi(struct kvmirq_x86_events *ev);
bool kvmirq_x86_take_smi(struct kvmirq_x86_events *ev);
long kvmirq_x86_mp_state_ioctl(struct kvmirq_vcpu *vcpu, bool set,
			       void __user *argp);
long kvmirq_x86_vcpu_events_ioctl(struct kvmirq_vcpu *vcpu, bool set,
				  void __user *argp);
long kvmirq_x86_nmi(struct kvmirq_vcpu *vcpu);
long kvmirq_x86_smi(struct kvmirq_vcpu *vcpu);
long kvmirq_x86_interrupt(struct kvmirq_vcpu *vcpu, void __user *argp);

/* cpu.c */

int kvmirq_x86_cpu_io(struct kvmirq_vcpu *vcpu, struct kvmirq_io *io);
int kvmirq_x86_cpu_ack(struct kvmirq_vcpu *vcpu, struct kvmirq_ack *ack);
int kvmirq_x86_cpu_eoi(struct kvmirq_vcpu *vcpu);

/* lapic.c */

void kvmirq_lapic_free(struct kvmirq_vcpu *vcpu);
int kvmirq_lapic_module_init(void);
void kvmirq_lapic_module_exit(void);

/* debugfs dumps of a vcpu (x86.c makes the files): lapic.c, events.c */
struct seq_file;
void kvmirq_lapic_dump(struct seq_file *m, struct kvmirq_vcpu *vcpu);
void kvmirq_x86_events_dump(struct seq_file *m, struct kvmirq_vcpu *vcpu);

/* KVM's name for "no destination shorthand" (not in <asm/apicdef.h>) */
#ifndef APIC_DEST_NOSHORT
#define APIC_DEST_NOSHORT	0x0
#endif

/* apic_map.c */
typedef void (*kvmirq_apic_id_fn)(void *arg, u32 vcpu_id);
void kvmirq_apic_map_walk_ids(struct kvmirq_vm *vm, kvmirq_apic_id_fn fn,
			      void *arg);

/* apic_deliver.c */

/**
 * kvmirq_apic_deliver() - deliver a message to the matching local APICs
 * @vm: the VM
 * @irq: the message
 *
 * KVM's kvm_irq_delivery_to_apic(); may be called with the PIC or IOAPIC
 * lock held.
 *
 * Return: the number of LAPICs that accepted it, 0 if none did, -1 if no
 * present LAPIC matched.
 */
int kvmirq_apic_deliver(struct kvmirq_vm *vm, const struct kvmirq_apic_irq *irq);

/**
 * kvmirq_apic_deliver_map() - kvmirq_apic_deliver() that records targets
 * @vm: the VM
 * @irq: the message
 * @dest_map: a bitmap indexed by vcpu id (KVM_MAX_VCPU_IDS bits): the bit
 *            of every LAPIC that took a Fixed or Lowest-priority message is
 *            set (KVM's dest_map, for the IOAPIC's RTC tracking)
 *
 * Return: as kvmirq_apic_deliver().
 */
int kvmirq_apic_deliver_map(struct kvmirq_vm *vm,
			    const struct kvmirq_apic_irq *irq,
			    unsigned long *dest_map);

/*
 * True when @vector is in IRR or ISR of the LAPIC of vcpu @vcpu_id (false
 * when there is no such vcpu or LAPIC).  Lock-free (each register is read
 * once), so callers may hold the IOAPIC lock.
 */
bool kvmirq_apic_vector_busy(struct kvmirq_vm *vm, u32 vcpu_id, u32 vector);

/*
 * True when the LAPIC of vcpu @vcpu_id matches @irq's destination (KVM's
 * kvm_apic_match_dest() for a message from the IOAPIC).  Lock-free.
 */
bool kvmirq_apic_match_dest_id(struct kvmirq_vm *vm, u32 vcpu_id,
			       const struct kvmirq_apic_irq *irq);

/**
 * kvmirq_msi_deliver() - decode an MSI and deliver it
 * @vm: the VM
 * @msi: address, data (flags and devid are checked by the caller)
 *
 * Return: as kvmirq_apic_deliver(), or -EINVAL when the message is invalid
 * for the VM (kvmirq_msi_invalid()).
 */
int kvmirq_msi_deliver(struct kvmirq_vm *vm, const struct kvm_msi *msi);

/*
 * True when an MSI route or KVM_SIGNAL_MSI message must be refused with
 * EINVAL: with KVM_X2APIC_API_USE_32BIT_IDS, address_hi bits 7:0 set.
 */
bool kvmirq_msi_invalid(struct kvmirq_vm *vm, u32 address_hi);

/**
 * kvmirq_apic_pic_intr_changed() - the PIC pair's INTR output changed
 * @vm: the VM
 *
 * KVM wires INTR to LINT0 of the boot vcpu's LAPIC (ExtINT).  Called
 * without PIC lock held.
 */
void kvmirq_apic_pic_intr_changed(struct kvmirq_vm *vm);

/* ioapic.c */

/**
 * kvmirq_ioapic_eoi() - an EOI broadcast reaches the IOAPIC
 * @vm: the VM
 * @vector: the vector the LAPIC ended
 * @trig_mode: 0 edge, 1 level (only level EOIs clear remote IRR)
 *
 * Called with no LAPIC lock held, in process context: it may sleep (irqfd
 * resampling runs from here).
 */
void kvmirq_ioapic_eoi(struct kvmirq_vm *vm, u32 vector, u32 trig_mode);

/*
 * kvmirq_ioapic_eoi() from the LAPIC of vcpu @vcpu_id (-1: from no LAPIC),
 * which decides whether the EOI ends a tracked RTC interrupt.
 */
void kvmirq_ioapic_eoi_from(struct kvmirq_vm *vm, int vcpu_id, u32 vector,
			    u32 trig_mode);

/* KVM_SET_LAPIC of vcpu @vcpu_id succeeded: recount the RTC tracking. */
void kvmirq_ioapic_lapic_restored(struct kvmirq_vm *vm, u32 vcpu_id);

/* pic.c */

/* True when the PIC pair's INTR output is asserted. */
bool kvmirq_pic_intr(struct kvmirq_vm *vm);

/*
 * The INTA cycle: returns the vector the CPU receives; the PIC must exist.
 * Process context, no LAPIC lock held: it may sleep (irqfd resampling).
 */
u32 kvmirq_pic_ack(struct kvmirq_vm *vm);

#endif /* KVMIRQ_X86_H */
