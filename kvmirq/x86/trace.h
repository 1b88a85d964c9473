/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq tracepoints of the x86 model (PIC, IOAPIC, LAPIC, PIT), in the
 * kvmirq system beside the core's (../trace.h).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kvmirq

#if !defined(KVMIRQ_X86_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define KVMIRQ_X86_TRACE_H

#include <linux/tracepoint.h>

#include "ioapic_rte.h"

/* As KVM's kvm_pic_set_irq. */
TRACE_EVENT(kvmirq_pic_set_irq,
	    TP_PROTO(u8 chip, u8 pin, u8 elcr, u8 imr, int status),
	    TP_ARGS(chip, pin, elcr, imr, status),
	    TP_STRUCT__entry(__field(u8, chip)
			     __field(u8, pin)
			     __field(u8, elcr)
			     __field(u8, imr)
			     __field(int, status)),
	    TP_fast_assign(__entry->chip = chip;
			   __entry->pin = pin;
			   __entry->elcr = elcr;
			   __entry->imr = imr;
			   __entry->status = status;),
	    TP_printk("chip %u pin %u (%s%s)%s", __entry->chip, __entry->pin,
		      (__entry->elcr & (1 << __entry->pin)) ? "level" : "edge",
		      (__entry->imr & (1 << __entry->pin)) ? "|masked" : "",
		      __entry->status == 0 ? " (coalesced)" : "")
);

/* As KVM's kvm_ioapic_set_irq. */
TRACE_EVENT(kvmirq_ioapic_set_irq,
	    TP_PROTO(u64 rte, u32 pin, int status),
	    TP_ARGS(rte, pin, status),
	    TP_STRUCT__entry(__field(u64, rte)
			     __field(u32, pin)
			     __field(int, status)),
	    TP_fast_assign(__entry->rte = rte;
			   __entry->pin = pin;
			   __entry->status = status;),
	    TP_printk("pin %u dst %#llx vec %llu dm %llu (%s|%s%s) status %d%s",
		      __entry->pin, __entry->rte >> RTE_DEST_SHIFT,
		      __entry->rte & RTE_VECTOR,
		      (__entry->rte & RTE_DELIVERY_MODE) >>
			RTE_DELIVERY_MODE_SHIFT,
		      (__entry->rte & RTE_DEST_LOGICAL) ? "logical" : "physical",
		      (__entry->rte & RTE_LEVEL) ? "level" : "edge",
		      (__entry->rte & RTE_MASKED) ? "|masked" : "",
		      __entry->status,
		      __entry->status == 0 ? " (coalesced)" : "")
);

/* As KVM's kvm_msi_set_irq; status: LAPICs that took it, -1 none matched. */
TRACE_EVENT(kvmirq_msi_set_irq,
	    TP_PROTO(u64 address, u32 data, int status),
	    TP_ARGS(address, data, status),
	    TP_STRUCT__entry(__field(u64, address)
			     __field(u32, data)
			     __field(int, status)),
	    TP_fast_assign(__entry->address = address;
			   __entry->data = data;
			   __entry->status = status;),
	    TP_printk("dst %#llx vec %u dm %u (%s|%s) status %d",
		      (__entry->address >> 12) & 0xff, __entry->data & 0xff,
		      (__entry->data >> 8) & 7,
		      (__entry->address & (1 << 2)) ? "logical" : "physical",
		      (__entry->data & (1 << 15)) ? "level" : "edge",
		      __entry->status)
);

/* As KVM's kvm_apic_accept_irq. */
TRACE_EVENT(kvmirq_apic_accept_irq,
	    TP_PROTO(u32 vcpu, u32 dm, u32 tm, u32 vec, int accepted),
	    TP_ARGS(vcpu, dm, tm, vec, accepted),
	    TP_STRUCT__entry(__field(u32, vcpu)
			     __field(u32, dm)
			     __field(u32, tm)
			     __field(u32, vec)
			     __field(int, accepted)),
	    TP_fast_assign(__entry->vcpu = vcpu;
			   __entry->dm = dm;
			   __entry->tm = tm;
			   __entry->vec = vec;
			   __entry->accepted = accepted;),
	    TP_printk("vcpu %u dm %u vec %u (%s)%s", __entry->vcpu,
		      __entry->dm >> 8, __entry->vec,
		      __entry->tm ? "level" : "edge",
		      __entry->accepted ? "" : " (not accepted)")
);

/* As KVM's kvm_apic_ipi: an ICR write sends an IPI. */
TRACE_EVENT(kvmirq_apic_ipi,
	    TP_PROTO(u32 vcpu, u32 icr_low, u32 dest_id),
	    TP_ARGS(vcpu, icr_low, dest_id),
	    TP_STRUCT__entry(__field(u32, vcpu)
			     __field(u32, icr_low)
			     __field(u32, dest_id)),
	    TP_fast_assign(__entry->vcpu = vcpu;
			   __entry->icr_low = icr_low;
			   __entry->dest_id = dest_id;),
	    TP_printk("vcpu %u dst %#x vec %u dm %u (%s|%s) shorthand %u",
		      __entry->vcpu, __entry->dest_id, __entry->icr_low & 0xff,
		      (__entry->icr_low >> 8) & 7,
		      (__entry->icr_low & (1 << 11)) ? "logical" : "physical",
		      (__entry->icr_low & (1 << 15)) ? "level" : "edge",
		      (__entry->icr_low >> 18) & 3)
);

/* As KVM's kvm_eoi: a LAPIC ends the highest in-service vector. */
TRACE_EVENT(kvmirq_eoi,
	    TP_PROTO(u32 vcpu, int vector, u32 trig_mode),
	    TP_ARGS(vcpu, vector, trig_mode),
	    TP_STRUCT__entry(__field(u32, vcpu)
			     __field(int, vector)
			     __field(u32, trig_mode)),
	    TP_fast_assign(__entry->vcpu = vcpu;
			   __entry->vector = vector;
			   __entry->trig_mode = trig_mode;),
	    TP_printk("vcpu %u vector %d (%s)", __entry->vcpu, __entry->vector,
		      __entry->trig_mode ? "level" : "edge")
);

/* KVM_NMI on a vcpu, or an NMI message its LAPIC accepted. */
TRACE_EVENT(kvmirq_inject_nmi,
	    TP_PROTO(u32 vcpu),
	    TP_ARGS(vcpu),
	    TP_STRUCT__entry(__field(u32, vcpu)),
	    TP_fast_assign(__entry->vcpu = vcpu;),
	    TP_printk("vcpu %u", __entry->vcpu)
);

/* The PIT's reinjection state at a tick of channel 0 or an ack of IRQ0. */
DECLARE_EVENT_CLASS(kvmirq_pit_class,
		    TP_PROTO(int pending, bool reinject),
		    TP_ARGS(pending, reinject),
		    TP_STRUCT__entry(__field(int, pending)
				     __field(bool, reinject)),
		    TP_fast_assign(__entry->pending = pending;
				   __entry->reinject = reinject;),
		    TP_printk("pending %d reinject %d", __entry->pending,
			      __entry->reinject)
);

DEFINE_EVENT(kvmirq_pit_class, kvmirq_pit_tick,
	     TP_PROTO(int pending, bool reinject),
	     TP_ARGS(pending, reinject));

DEFINE_EVENT(kvmirq_pit_class, kvmirq_pit_ack,
	     TP_PROTO(int pending, bool reinject),
	     TP_ARGS(pending, reinject));

/* The PIT raised IRQ0 (GSI 0); status as KVM's kvm_set_irq returns it. */
TRACE_EVENT(kvmirq_pit_inject,
	    TP_PROTO(int status, bool reinject),
	    TP_ARGS(status, reinject),
	    TP_STRUCT__entry(__field(int, status)
			     __field(bool, reinject)),
	    TP_fast_assign(__entry->status = status;
			   __entry->reinject = reinject;),
	    TP_printk("status %d reinject %d", __entry->status,
		      __entry->reinject)
);

/* Channel 0's timer (re)programmed: period in ns, after the clamp. */
TRACE_EVENT(kvmirq_pit_timer,
	    TP_PROTO(u32 count, s64 period, bool periodic, bool clamped),
	    TP_ARGS(count, period, periodic, clamped),
	    TP_STRUCT__entry(__field(u32, count)
			     __field(s64, period)
			     __field(bool, periodic)
			     __field(bool, clamped)),
	    TP_fast_assign(__entry->count = count;
			   __entry->period = period;
			   __entry->periodic = periodic;
			   __entry->clamped = clamped;),
	    TP_printk("count %u period %lld ns %s%s", __entry->count,
		      __entry->period,
		      __entry->periodic ? "periodic" : "one-shot",
		      __entry->clamped ? " (clamped)" : "")
);

#endif /* KVMIRQ_X86_TRACE_H */

/* This part must be outside protection */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH x86
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
