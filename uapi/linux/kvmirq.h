/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kvmirq: KVM's interrupt-controller ABI without a guest CPU.
 *
 * The VM, vcpu and device file descriptors of /dev/kvmirq accept KVM's own
 * ioctl numbers and structures from <linux/kvm.h>.  This header adds only:
 *
 *  - the kvmirq machine type for s390 VMs (x86 is type 0, as on x86 KVM);
 *  - kvmirq capabilities, numbered far above KVM's so they never collide;
 *  - the "guest-side" ioctls (type 0xAF, numbers 0x20-0x3f), through which
 *    a test performs what a guest CPU would do.
 *
 * See Documentation/kvmirq.rst.
 */
#ifndef _UAPI_LINUX_KVMIRQ_H
#define _UAPI_LINUX_KVMIRQ_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/kvm.h>
#include <linux/types.h>

/*
 * s390 interrupt structures and types.  <linux/kvm.h> carried them on every
 * architecture until Linux 6.10 moved them to the s390 <asm/kvm.h>; x86
 * headers from then on lack them, so kvmirq supplies KVM's definitions.
 */
#ifndef KVM_S390_SIGP_STOP
#define KVM_S390_SIGP_STOP		0xfffe0000u
#define KVM_S390_PROGRAM_INT		0xfffe0001u
#define KVM_S390_SIGP_SET_PREFIX	0xfffe0002u
#define KVM_S390_RESTART		0xfffe0003u
#define KVM_S390_INT_PFAULT_INIT	0xfffe0004u
#define KVM_S390_INT_PFAULT_DONE	0xfffe0005u
#define KVM_S390_MCHK			0xfffe1000u
#define KVM_S390_INT_CLOCK_COMP		0xffff1004u
#define KVM_S390_INT_CPU_TIMER		0xffff1005u
#define KVM_S390_INT_VIRTIO		0xffff2603u
#define KVM_S390_INT_SERVICE		0xffff2401u
#define KVM_S390_INT_EMERGENCY		0xffff1201u
#define KVM_S390_INT_EXTERNAL_CALL	0xffff1202u
/* Anything below 0xfffe0000 is an I/O interrupt */
#define KVM_S390_INT_IO(ai, cssid, ssid, schid)	\
	(((schid)) |				\
	 ((ssid) << 16) |			\
	 ((cssid) << 18) |			\
	 ((ai) << 26))
#define KVM_S390_INT_IO_MIN		0x00000000u
#define KVM_S390_INT_IO_MAX		0xfffdffffu
#define KVM_S390_INT_IO_AI_MASK		0x04000000u

struct kvm_s390_interrupt {
	__u32 type;
	__u32 parm;
	__u64 parm64;
};

struct kvm_s390_io_info {
	__u16 subchannel_id;
	__u16 subchannel_nr;
	__u32 io_int_parm;
	__u32 io_int_word;
};

struct kvm_s390_ext_info {
	__u32 ext_params;
	__u32 pad;
	__u64 ext_params2;
};

#define KVM_S390_PGM_FLAGS_ILC_VALID	0x01
#define KVM_S390_PGM_FLAGS_ILC_0	0x02
#define KVM_S390_PGM_FLAGS_ILC_1	0x04
#define KVM_S390_PGM_FLAGS_ILC_MASK	0x06
#define KVM_S390_PGM_FLAGS_NO_REWIND	0x08

struct kvm_s390_pgm_info {
	__u64 trans_exc_code;
	__u64 mon_code;
	__u64 per_address;
	__u32 data_exc_code;
	__u16 code;
	__u16 mon_class_nr;
	__u8 per_code;
	__u8 per_atmid;
	__u8 exc_access_id;
	__u8 per_access_id;
	__u8 op_access_id;
	__u8 flags;
	__u8 pad[2];
};

struct kvm_s390_prefix_info {
	__u32 address;
};

struct kvm_s390_extcall_info {
	__u16 code;
};

struct kvm_s390_emerg_info {
	__u16 code;
};

#define KVM_S390_STOP_FLAG_STORE_STATUS	0x01
struct kvm_s390_stop_info {
	__u32 flags;
};

struct kvm_s390_mchk_info {
	__u64 cr14;
	__u64 mcic;
	__u64 failing_storage_address;
	__u32 ext_damage_code;
	__u32 pad;
	__u8 fixed_logout[16];
};

struct kvm_s390_irq {
	__u64 type;
	union {
		struct kvm_s390_io_info io;
		struct kvm_s390_ext_info ext;
		struct kvm_s390_pgm_info pgm;
		struct kvm_s390_emerg_info emerg;
		struct kvm_s390_extcall_info extcall;
		struct kvm_s390_prefix_info prefix;
		struct kvm_s390_stop_info stop;
		struct kvm_s390_mchk_info mchk;
		char reserved[64];
	} u;
};

struct kvm_s390_irq_state {
	__u64 buf;
	__u32 flags;
	__u32 len;
	__u32 reserved[4];
};
#endif /* KVM_S390_SIGP_STOP */

/*
 * The FLIC device's attribute groups and payloads.  KVM defines them only in
 * the s390 <asm/kvm.h>; kvmirq supplies KVM's names and values elsewhere.
 */
#ifndef KVM_DEV_FLIC_GET_ALL_IRQS
#define KVM_DEV_FLIC_GET_ALL_IRQS	1
#define KVM_DEV_FLIC_ENQUEUE		2
#define KVM_DEV_FLIC_CLEAR_IRQS		3
#define KVM_DEV_FLIC_APF_ENABLE		4
#define KVM_DEV_FLIC_APF_DISABLE_WAIT	5
#define KVM_DEV_FLIC_ADAPTER_REGISTER	6
#define KVM_DEV_FLIC_ADAPTER_MODIFY	7
#define KVM_DEV_FLIC_CLEAR_IO_IRQ	8
#define KVM_DEV_FLIC_AISM		9
#define KVM_DEV_FLIC_AIRQ_INJECT	10
#define KVM_DEV_FLIC_AISM_ALL		11

#define KVM_S390_MAX_FLOAT_IRQS		266250
#define KVM_S390_FLIC_MAX_BUFFER	0x2000000

struct kvm_s390_io_adapter {
	__u32 id;
	__u8 isc;
	__u8 maskable;
	__u8 swap;
	__u8 flags;
};

#define KVM_S390_ADAPTER_SUPPRESSIBLE	0x01

struct kvm_s390_ais_req {
	__u8 isc;
	__u16 mode;
};

struct kvm_s390_ais_all {
	__u8 simm;
	__u8 nimm;
};

#define KVM_S390_IO_ADAPTER_MASK	1
#define KVM_S390_IO_ADAPTER_MAP		2
#define KVM_S390_IO_ADAPTER_UNMAP	3

struct kvm_s390_io_adapter_req {
	__u32 id;
	__u8 type;
	__u8 mask;
	__u16 pad0;
	__u64 addr;
};
#endif /* KVM_DEV_FLIC_GET_ALL_IRQS */

/**
 * KVMIRQ_VM_X86 - KVM_CREATE_VM type of an x86 VM (PIC, IOAPIC, LAPICs).
 *
 * The same value as x86 KVM's default VM type, so unmodified VMM code works.
 */
#define KVMIRQ_VM_X86			0UL

/**
 * KVMIRQ_VM_S390 - KVM_CREATE_VM type of an s390 VM (local irqs, FLIC).
 */
#define KVMIRQ_VM_S390			0x390UL

/* Capabilities, for KVM_CHECK_EXTENSION on /dev/kvmirq or a VM fd. */
#define KVMIRQ_CAP_BASE			0xaf0000

/**
 * KVMIRQ_CAP_ABI_VERSION - the kvmirq extension ABI version (1).
 *
 * Real KVM answers 0, so this also tells kvmirq from KVM.
 */
#define KVMIRQ_CAP_ABI_VERSION		(KVMIRQ_CAP_BASE + 0)

/**
 * KVMIRQ_CAP_GUEST_ACTIONS - bitmask of implemented guest-side actions.
 *
 * On /dev/kvmirq: every action of every machine type.  On a VM fd: the
 * actions of that VM's machine type.  Versioning rule: a bit is set only when
 * the action is fully implemented; once published, an action's semantics
 * never change; extensions use fields that are reserved (must be zero) today.
 */
#define KVMIRQ_CAP_GUEST_ACTIONS	(KVMIRQ_CAP_BASE + 1)

/* KVMIRQ_GUEST_IO, space KVMIRQ_SPACE_PIO: PIC and ELCR ports (VM, vcpu) */
#define KVMIRQ_ACTION_PIC_PIO		_BITULL(0)
/* KVMIRQ_GUEST_IO, space KVMIRQ_SPACE_MMIO: the IOAPIC window (VM, vcpu) */
#define KVMIRQ_ACTION_IOAPIC_MMIO	_BITULL(1)
/* KVMIRQ_GUEST_ACK on a VM fd: the PIC's interrupt-acknowledge cycle */
#define KVMIRQ_ACTION_PIC_ACK		_BITULL(2)
/* KVMIRQ_GUEST_EOI on a VM fd: an EOI broadcast reaching the IOAPIC */
#define KVMIRQ_ACTION_IOAPIC_EOI	_BITULL(3)
/* KVMIRQ_GUEST_IO, space KVMIRQ_SPACE_MMIO: the LAPIC page (vcpu) */
#define KVMIRQ_ACTION_LAPIC_MMIO	_BITULL(4)
/* KVMIRQ_GUEST_IO, space KVMIRQ_SPACE_MSR: APIC base and x2APIC MSRs (vcpu) */
#define KVMIRQ_ACTION_LAPIC_MSR		_BITULL(5)
/* KVMIRQ_GUEST_ACK on a vcpu fd: the CPU takes its next interrupt */
#define KVMIRQ_ACTION_CPU_ACK		_BITULL(6)
/* KVMIRQ_GUEST_EOI on a vcpu fd: a write to the LAPIC EOI register */
#define KVMIRQ_ACTION_LAPIC_EOI		_BITULL(7)
/* KVMIRQ_S390_DELIVER on a vcpu fd: one iteration of s390 delivery */
#define KVMIRQ_ACTION_S390_DELIVER	_BITULL(8)
/* KVMIRQ_GUEST_IO, space KVMIRQ_SPACE_PIO: PIT ports 0x40-0x43, 0x61 (VM, vcpu) */
#define KVMIRQ_ACTION_PIT_PIO		_BITULL(9)

/* The ioctl type of kvmirq's own ioctls (0xAF 0x00-0x1f is taken). */
#define KVMIRQIO			0xAF

/* struct kvmirq_io::space */
#define KVMIRQ_SPACE_PIO		0
#define KVMIRQ_SPACE_MMIO		1
#define KVMIRQ_SPACE_MSR		2

/* struct kvmirq_io::flags */
#define KVMIRQ_IO_WRITE			_BITUL(0)

/**
 * struct kvmirq_io - one port, MMIO or MSR access, as a guest CPU makes it
 * @space: KVMIRQ_SPACE_PIO, KVMIRQ_SPACE_MMIO or KVMIRQ_SPACE_MSR.
 * @len: access width in bytes: 1, 2, 4 or 8 (MSR: 8).
 * @flags: KVMIRQ_IO_WRITE for a write, 0 for a read; other bits: EINVAL.
 * @pad: reserved, must be zero (EINVAL otherwise).
 * @addr: port number, guest-physical address or MSR index.
 * @data: the value written, or on return the value read (zero-extended).
 *
 * On a VM fd the access reaches the VM-wide controllers (PIC, ELCR, IOAPIC).
 * On a vcpu fd it is made by that CPU, so its LAPIC page and MSRs come
 * first.  An access no emulated device claims fails with ENXIO.
 */
struct kvmirq_io {
	__u32 space;
	__u32 len;
	__u32 flags;
	__u32 pad;
	__u64 addr;
	__u64 data;
};

/* struct kvmirq_ack::source */
#define KVMIRQ_ACK_NONE			0
#define KVMIRQ_ACK_PIC			1
#define KVMIRQ_ACK_LAPIC		2
#define KVMIRQ_ACK_NMI			3
#define KVMIRQ_ACK_SMI			4
#define KVMIRQ_ACK_INIT			5
#define KVMIRQ_ACK_SIPI			6

/**
 * struct kvmirq_ack - interrupt acknowledge
 * @flags: reserved, must be zero.
 * @source: out, KVMIRQ_ACK_*: where the interrupt came from, or NONE.
 * @vector: out, the vector the CPU receives (0 for NONE, NMI, SMI, INIT).
 * @pad: reserved, must be zero.
 *
 * On a VM fd: the PIC pair's INTA cycle.  On a vcpu fd: the CPU takes the
 * highest-priority deliverable event (NMI, then ExtINT from the PIC, then
 * the LAPIC's IRR above PPR) as KVM's injection would.
 */
struct kvmirq_ack {
	__u32 flags;
	__u32 source;
	__u32 vector;
	__u32 pad;
};

/**
 * struct kvmirq_eoi - end of interrupt
 * @vector: VM fd: the vector an EOI broadcast carries to the IOAPIC.
 *          vcpu fd: must be zero (the LAPIC ends its highest ISR vector).
 * @flags: reserved, must be zero.
 */
struct kvmirq_eoi {
	__u32 vector;
	__u32 flags;
};

/* struct kvmirq_s390_deliver::flags */
#define KVMIRQ_S390_DELIVER_PEEK	_BITUL(0)
#define KVMIRQ_S390_DELIVER_TIMERS	_BITUL(1)
#define KVMIRQ_S390_DELIVER_STOP	_BITUL(2)
#define KVMIRQ_S390_DELIVER_CKC		_BITUL(3)
#define KVMIRQ_S390_DELIVER_CPUTM	_BITUL(4)

/* struct kvmirq_s390_deliver::result */
#define KVMIRQ_S390_DELIVERED_NONE	0
#define KVMIRQ_S390_DELIVERED_IRQ	1
#define KVMIRQ_S390_DELIVERED_STOP	2

/* struct kvmirq_s390_deliver::pend_bit when nothing was chosen */
#define KVMIRQ_S390_PEND_NONE		0xffffffffu

/**
 * struct kvmirq_s390_deliver - one iteration of s390 interrupt delivery
 * @psw_mask: in, the PSW mask of the CPU (I/O, external, machine check bits).
 * @cr0: in, control register 0 (external interruption subclass masks).
 * @cr6: in, control register 6 (I/O interruption subclass masks).
 * @cr14: in, control register 14 (machine check subclass masks).
 * @flags: in, KVMIRQ_S390_DELIVER_*; others EINVAL.  PEEK: report without
 *         dequeuing.  TIMERS: first recompute the clock-comparator and
 *         CPU-timer pending bits as KVM does before each delivery pass,
 *         with the conditions given by CKC (the clock comparator is due)
 *         and CPUTM (the CPU timer is negative); without TIMERS the
 *         injected timer bits are sticky and CKC/CPUTM must be clear.
 *         STOP: when nothing else is deliverable, process a pending SIGP
 *         STOP as KVM's stop intercept does.
 * @pad: reserved, must be zero.
 * @irq: out, what the guest receives, in KVM_S390_IRQ form; all zero for
 *       NONE.  See Documentation/s390.rst for each type's fields.
 * @result: out, KVMIRQ_S390_DELIVERED_NONE, _IRQ or _STOP.
 * @pend_bit: out, KVM's internal pending-interrupt number of the chosen
 *            interrupt (0 SET_PREFIX ... 27 MCHK_EX; higher is more
 *            urgent), or KVMIRQ_S390_PEND_NONE.
 * @reserved: reserved for outputs, zero.
 *
 * Chooses the highest-priority deliverable interrupt of the vcpu (local and
 * floating) as KVM's delivery loop does, dequeues it (unless PEEK), and
 * reports it.
 */
struct kvmirq_s390_deliver {
	__u64 psw_mask;
	__u64 cr0;
	__u64 cr6;
	__u64 cr14;
	__u32 flags;
	__u32 pad;
	struct kvm_s390_irq irq;
	__u32 result;
	__u32 pend_bit;
	__u64 reserved[3];
};

/* The guest-side actions. */
#define KVMIRQ_GUEST_IO		_IOWR(KVMIRQIO, 0x20, struct kvmirq_io)
#define KVMIRQ_GUEST_ACK	_IOWR(KVMIRQIO, 0x21, struct kvmirq_ack)
#define KVMIRQ_GUEST_EOI	_IOW(KVMIRQIO, 0x22, struct kvmirq_eoi)
#define KVMIRQ_S390_DELIVER	_IOWR(KVMIRQIO, 0x23, struct kvmirq_s390_deliver)

#endif /* _UAPI_LINUX_KVMIRQ_H */
