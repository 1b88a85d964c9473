/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq: state of the x86 machine model (struct kvmirq_x86_vm, struct
 * kvmirq_x86_vcpu and their accessors) and the interfaces of x86_vcpu.c,
 * events.c, cpu.c, apic_deliver.c and apic_map.c.  The chipset's
 * (irqchip.c, pic.c, ioapic.c) is irqchip.h, the LAPIC's (lapic.c) lapic.h.
 *
 * Lock order (outermost first; Documentation/internals.rst has all of it):
 *   vm->lock  >  vcpu->mutex  >  irqs->lock (irq.h)  >  PIC lock, IOAPIC lock
 *   >  LAPIC lock
 * A LAPIC never calls into the IOAPIC or PIC with its own lock held: EOI
 * broadcasts and ExtINT acknowledges are made after it drops the lock.
 */
#ifndef KVMIRQ_X86_H
#define KVMIRQ_X86_H

#include <linux/atomic.h>

#include "kvmirq.h"
#include "vcpu_state.h"

struct kvmirq_pic;
struct kvmirq_ioapic;
struct kvmirq_lapic;
struct kvmirq_pit;
struct kvmirq_apic_map;

/**
 * struct kvmirq_msr_range - one range of KVM_X86_SET_MSR_FILTER
 * @flags: KVM_MSR_FILTER_READ/WRITE: the accesses the bitmap governs
 * @base: first MSR
 * @nmsrs: MSRs in the range
 * @bitmap: one bit per MSR, set: allowed
 */
struct kvmirq_msr_range {
	u32 flags;
	u32 base;
	u32 nmsrs;
	unsigned long *bitmap;
};

/**
 * struct kvmirq_msr_filter - the VM's MSR filter (vm_state.c)
 * @default_deny: KVM_MSR_FILTER_DEFAULT_DENY
 * @count: ranges used
 * @ranges: the non-empty ranges, in order
 */
struct kvmirq_msr_filter {
	bool default_deny;
	unsigned int count;
	struct kvmirq_msr_range ranges[KVM_MSR_FILTER_MAX_RANGES];
};

/**
 * struct kvmirq_x86_vm_state - VM state of vm_state.c
 * @kvmclock_offset: kvmclock less CLOCK_BOOTTIME, in ns
 * @default_tsc_khz: the TSC frequency vcpus are created with
 * @tss_addr: KVM_SET_TSS_ADDR
 * @identity_map_addr: KVM_SET_IDENTITY_MAP_ADDR, under vm->lock
 * @msr_filter: KVM_X86_SET_MSR_FILTER, or NULL; replaced under vm->lock
 */
struct kvmirq_x86_vm_state {
	s64 kvmclock_offset;
	u32 default_tsc_khz;
	u32 tss_addr;
	u64 identity_map_addr;
	struct kvmirq_msr_filter *msr_filter;
};

/**
 * struct kvmirq_x86_vm - VM-wide x86 state
 * @pic: the PIC pair, NULL until KVM_CREATE_IRQCHIP; read with
 *       kvmirq_x86_pic()
 * @ioapic: the IOAPIC, NULL until KVM_CREATE_IRQCHIP; read with
 *          kvmirq_x86_ioapic()
 * @pit: the PIT of KVM_CREATE_PIT2, NULL until then; i8254.c owns it and
 *       publishes it the same way
 * @irqchip_mode: KVMIRQ_IRQCHIP_*; read with kvmirq_x86_irqchip_mode()
 * @pit: the PIT of KVM_CREATE_PIT2 (i8254.c, which owns it): set once
 *       under vm->lock with smp_store_release(), read with
 *       smp_load_acquire(), cleared only when the VM is destroyed
 *
 * irqchip.c owns @pic, @ioapic and @irqchip_mode: it sets each once, under
 * vm->lock, only while no vcpu exists (KVM_CREATE_IRQCHIP,
 * KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP)), and nothing clears them before
 * the VM is destroyed.  Each is published with smp_store_release(), the
 * mode last, and read with smp_load_acquire(): a reader that finds a
 * pointer finds the controller initialised, and one that finds
 * KVMIRQ_IRQCHIP_KERNEL finds both pointers.
 * @boot_cpu_id: KVM_SET_BOOT_CPU_ID
 * @x2apic_32bit_ids: KVM_X2APIC_API_USE_32BIT_IDS
 * @x2apic_broadcast_quirk_off: KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK
 * @exception_payload: KVM_CAP_EXCEPTION_PAYLOAD enabled
 * @triple_fault_event: KVM_CAP_X86_TRIPLE_FAULT_EVENT enabled
 * @state: memory, clock and MSR filter state (vm_state.c)
 * @wall_clock: MSR_KVM_WALL_CLOCK(_NEW), VM-wide as in KVM
 * @apic_map: the LAPICs in creation order, for delivery (apic_map.c);
 *            replaced under vm->lock with smp_store_release()
 */
struct kvmirq_x86_vm {
	struct kvmirq_pic *pic;
	struct kvmirq_ioapic *ioapic;
	struct kvmirq_pit *pit;
	struct kvmirq_apic_map *apic_map;
	u32 irqchip_mode;
	u32 boot_cpu_id;
	bool x2apic_32bit_ids;
	bool x2apic_broadcast_quirk_off;
	bool exception_payload;
	bool triple_fault_event;
	struct kvmirq_x86_vm_state state;
	u64 wall_clock;
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
 * @nmi_injected: an NMI is being injected (KVM's nmi_injected)
 * @nmi_masked: NMIs are blocked, until the IRET a test models by SET
 * @nmi_pending: NMIs the CPU has not taken yet, at most 2
 * @shadow: interrupt shadow, KVM_X86_SHADOW_INT_*
 * @exc_injected: an exception is being injected
 * @exc_pending: an exception is pending (KVM_CAP_EXCEPTION_PAYLOAD)
 * @exc_has_error_code: @exc_error_code is valid
 * @exc_has_payload: @exc_payload is valid
 * @exc_nr: the exception's vector
 * @exc_error_code: its error code
 * @exc_payload: its payload (KVM's exception_payload: CR2 or DR6)
 * @irq_injected: an interrupt is being injected (KVM_INTERRUPT without an
 *                in-kernel irqchip, or KVM_SET_VCPU_EVENTS)
 * @irq_soft: that interrupt is a software one
 * @irq_nr: its vector
 * @triple_fault: a triple fault is pending (KVM_CAP_X86_TRIPLE_FAULT_EVENT)
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
 * @ev: its event and MP state (events.c)
 * @st: architectural state (vcpu_state.h), NULL until the first ioctl that
 *      reads or writes it: a vcpu that only has a LAPIC does without it
 * @reset_tsc: host TSC at creation, where the guest TSC starts at 0
 * @reset_tsc_khz: the VM's TSC frequency at creation, the vcpu's first
 */
struct kvmirq_x86_vcpu {
	struct kvmirq_lapic *lapic;
	struct kvmirq_x86_events ev;
	struct kvmirq_x86_state *st;
	u64 reset_tsc;
	u32 reset_tsc_khz;
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

/* The irqchip mode, KVMIRQ_IRQCHIP_* (see struct kvmirq_x86_vm). */
static inline u32 kvmirq_x86_irqchip_mode(struct kvmirq_vm *vm)
{
	/* Pairs with the release in kvmirq_irqchip_set_mode_locked(). */
	return smp_load_acquire(&kvmirq_x86(vm)->irqchip_mode);
}

/*
 * True when the LAPICs are in the kernel: KVM_CREATE_IRQCHIP or a split
 * irqchip (KVM's irqchip_in_kernel()).  Vcpus created then get a LAPIC.
 */
static inline bool kvmirq_x86_lapic_in_kernel(struct kvmirq_vm *vm)
{
	return kvmirq_x86_irqchip_mode(vm) != KVMIRQ_IRQCHIP_NONE;
}

/*
 * True when the PIC pair and the IOAPIC are in the kernel too:
 * KVM_CREATE_IRQCHIP (KVM's irqchip_kernel()).
 */
static inline bool kvmirq_x86_pic_ioapic_in_kernel(struct kvmirq_vm *vm)
{
	return kvmirq_x86_irqchip_mode(vm) == KVMIRQ_IRQCHIP_KERNEL;
}

/* True with a split irqchip: LAPICs in the kernel, PIC and IOAPIC not. */
static inline bool kvmirq_x86_irqchip_split(struct kvmirq_vm *vm)
{
	return kvmirq_x86_irqchip_mode(vm) == KVMIRQ_IRQCHIP_SPLIT;
}

/* The PIC pair, or NULL before KVM_CREATE_IRQCHIP. */
static inline struct kvmirq_pic *kvmirq_x86_pic(struct kvmirq_vm *vm)
{
	/* Pairs with the release in kvmirq_irqchip_create(). */
	return smp_load_acquire(&kvmirq_x86(vm)->pic);
}

/* The IOAPIC, or NULL before KVM_CREATE_IRQCHIP. */
static inline struct kvmirq_ioapic *kvmirq_x86_ioapic(struct kvmirq_vm *vm)
{
	/* Pairs with the release in kvmirq_irqchip_create(). */
	return smp_load_acquire(&kvmirq_x86(vm)->ioapic);
}

/* x86.c */

void kvmirq_x86_debugfs_pit(struct kvmirq_vm *vm);

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

/* host.c: the host kvmirq answers as (vendor backend, SMM) */
int kvmirq_x86_host_init(void);
bool kvmirq_x86_svm(void);
bool kvmirq_x86_smm(void);
u8 kvmirq_x86_shadow(u8 shadow);

/* vm_state.c */

void kvmirq_x86_vm_state_init(struct kvmirq_vm *vm);
void kvmirq_x86_vm_state_destroy(struct kvmirq_vm *vm);
long kvmirq_x86_vm_state_check_extension(long cap);
int kvmirq_x86_vm_state_enable_cap(struct kvmirq_vm *vm,
				   struct kvm_enable_cap *cap);
long kvmirq_x86_vm_state_ioctl(struct kvmirq_vm *vm, unsigned int ioctl,
			       unsigned long arg);

/* events.c: debugfs "events" (x86.c makes the file) */
struct seq_file;
void kvmirq_x86_events_dump(struct seq_file *m, struct kvmirq_vcpu *vcpu);

/* KVM's name for "no destination shorthand" (not in <asm/apicdef.h>) */
#ifndef APIC_DEST_NOSHORT
#define APIC_DEST_NOSHORT	0x0
#endif

/**
 * struct kvmirq_apic_map - the VM's LAPICs by creation index (apic_map.c)
 * @older: the array this one replaced, freed with the VM
 * @size: slots allocated
 * @nr: slots published (smp_store_release() after the slot is filled)
 * @lapics: by vcpu->idx; NULL for a vcpu without LAPIC
 */
struct kvmirq_apic_map {
	struct kvmirq_apic_map *older;
	u32 size;
	u32 nr;
	struct kvmirq_lapic *lapics[];
};

/* apic_map.c */
typedef void (*kvmirq_apic_id_fn)(void *arg, u32 vcpu_id);
int kvmirq_apic_map_reserve(struct kvmirq_vm *vm);
void kvmirq_apic_map_add(struct kvmirq_vcpu *vcpu);
void kvmirq_apic_map_free(struct kvmirq_vm *vm);
void kvmirq_apic_map_walk_ids(struct kvmirq_vm *vm, kvmirq_apic_id_fn fn,
			      void *arg);

/**
 * kvmirq_apic_map_get() - the LAPICs as of now
 * @vm: the VM
 * @nr: out, how many slots of the returned array are valid
 *
 * Inline: every delivery starts here.  Context: any; the array stays valid
 * as long as the VM.
 * Return: the slots, NULL-padded (a vcpu without LAPIC), or NULL if none.
 */
static inline struct kvmirq_lapic *const *
kvmirq_apic_map_get(struct kvmirq_vm *vm, u32 *nr)
{
	/* Pairs with kvmirq_apic_map_reserve(): the copied slots. */
	struct kvmirq_apic_map *map = smp_load_acquire(&kvmirq_x86(vm)->apic_map);

	/* Pairs with kvmirq_apic_map_add(): the slots below the count. */
	*nr = map ? smp_load_acquire(&map->nr) : 0;
	return map ? map->lapics : NULL;
}

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

/*
 * kvmirq_apic_deliver() of an IPI from the LAPIC @src (its shorthands
 * "self" and "all excluding self" need it).  No LAPIC lock held.
 */
int kvmirq_apic_deliver_from(struct kvmirq_vm *vm, struct kvmirq_lapic *src,
			     const struct kvmirq_apic_irq *irq);

#endif /* KVMIRQ_X86_H */
