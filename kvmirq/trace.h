/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq tracepoints, usable with ftrace, perf and bpftrace
 * (events/kvmirq/ in tracefs).
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

#endif /* KVMIRQ_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
