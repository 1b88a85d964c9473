/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq tracepoints of the model-independent core, usable with ftrace,
 * perf and bpftrace (events/kvmirq/ in tracefs).  Each model adds its own
 * events to the same system in its own trace.h.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kvmirq

#if !defined(KVMIRQ_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define KVMIRQ_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(kvmirq_create_vm,
	    TP_PROTO(unsigned long type, int fd),
	    TP_ARGS(type, fd),
	    TP_STRUCT__entry(__field(unsigned long, type)
			     __field(int, fd)),
	    TP_fast_assign(__entry->type = type;
			   __entry->fd = fd;),
	    TP_printk("type %#lx fd %d", __entry->type, __entry->fd)
);

TRACE_EVENT(kvmirq_destroy_vm,
	    TP_PROTO(unsigned long type),
	    TP_ARGS(type),
	    TP_STRUCT__entry(__field(unsigned long, type)),
	    TP_fast_assign(__entry->type = type;),
	    TP_printk("type %#lx", __entry->type)
);

TRACE_EVENT(kvmirq_create_vcpu,
	    TP_PROTO(u32 id, int fd),
	    TP_ARGS(id, fd),
	    TP_STRUCT__entry(__field(u32, id)
			     __field(int, fd)),
	    TP_fast_assign(__entry->id = id;
			   __entry->fd = fd;),
	    TP_printk("id %u fd %d", __entry->id, __entry->fd)
);

TRACE_EVENT(kvmirq_create_device,
	    TP_PROTO(u32 type, int fd),
	    TP_ARGS(type, fd),
	    TP_STRUCT__entry(__field(u32, type)
			     __field(int, fd)),
	    TP_fast_assign(__entry->type = type;
			   __entry->fd = fd;),
	    TP_printk("type %u fd %d", __entry->type, __entry->fd)
);

/* A GSI changes level (KVM_IRQ_LINE, irqfds); status as KVM reports it. */
TRACE_EVENT(kvmirq_set_irq,
	    TP_PROTO(u32 gsi, int level, int source, int status),
	    TP_ARGS(gsi, level, source, status),
	    TP_STRUCT__entry(__field(u32, gsi)
			     __field(int, level)
			     __field(int, source)
			     __field(int, status)),
	    TP_fast_assign(__entry->gsi = gsi;
			   __entry->level = level;
			   __entry->source = source;
			   __entry->status = status;),
	    TP_printk("gsi %u level %d source %d status %d", __entry->gsi,
		      __entry->level, __entry->source, __entry->status)
);

/* The guest-side acknowledge took an interrupt (KVMIRQ_ACK_* source). */
TRACE_EVENT(kvmirq_ack,
	    TP_PROTO(int vcpu, u32 source, u32 vector),
	    TP_ARGS(vcpu, source, vector),
	    TP_STRUCT__entry(__field(int, vcpu)
			     __field(u32, source)
			     __field(u32, vector)),
	    TP_fast_assign(__entry->vcpu = vcpu;
			   __entry->source = source;
			   __entry->vector = vector;),
	    TP_printk("vcpu %d source %u vector %u", __entry->vcpu,
		      __entry->source, __entry->vector)
);

#endif /* KVMIRQ_TRACE_H */

/* This part must be outside protection */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
