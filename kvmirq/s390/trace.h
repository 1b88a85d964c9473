/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq tracepoints of the s390 model (local and floating interrupts,
 * delivery), in the kvmirq system beside the core's (../trace.h).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kvmirq

#if !defined(KVMIRQ_S390_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define KVMIRQ_S390_TRACE_H

#include <linux/tracepoint.h>

/* As KVM's kvm_s390_inject_vcpu: a local interrupt for one vcpu. */
TRACE_EVENT(kvmirq_s390_inject_local,
	    TP_PROTO(u32 vcpu, u64 type, u32 parm, u64 parm64, int r),
	    TP_ARGS(vcpu, type, parm, parm64, r),
	    TP_STRUCT__entry(__field(u32, vcpu)
			     __field(u64, type)
			     __field(u32, parm)
			     __field(u64, parm64)
			     __field(int, r)),
	    TP_fast_assign(__entry->vcpu = vcpu;
			   __entry->type = type;
			   __entry->parm = parm;
			   __entry->parm64 = parm64;
			   __entry->r = r;),
	    TP_printk("vcpu %u type %#llx parm %#x parm64 %#llx r %d",
		      __entry->vcpu, __entry->type, __entry->parm,
		      __entry->parm64, __entry->r)
);

/* As KVM's kvm_s390_inject_vm: a floating interrupt for the VM. */
TRACE_EVENT(kvmirq_s390_inject_float,
	    TP_PROTO(u64 type, u32 parm, u64 parm64, int r),
	    TP_ARGS(type, parm, parm64, r),
	    TP_STRUCT__entry(__field(u64, type)
			     __field(u32, parm)
			     __field(u64, parm64)
			     __field(int, r)),
	    TP_fast_assign(__entry->type = type;
			   __entry->parm = parm;
			   __entry->parm64 = parm64;
			   __entry->r = r;),
	    TP_printk("type %#llx parm %#x parm64 %#llx r %d", __entry->type,
		      __entry->parm, __entry->parm64, __entry->r)
);

/* As KVM's kvm_s390_deliver_interrupt: one interrupt taken by a vcpu. */
TRACE_EVENT(kvmirq_s390_deliver,
	    TP_PROTO(u32 vcpu, u32 result, u32 pend_bit, u64 type),
	    TP_ARGS(vcpu, result, pend_bit, type),
	    TP_STRUCT__entry(__field(u32, vcpu)
			     __field(u32, result)
			     __field(u32, pend_bit)
			     __field(u64, type)),
	    TP_fast_assign(__entry->vcpu = vcpu;
			   __entry->result = result;
			   __entry->pend_bit = pend_bit;
			   __entry->type = type;),
	    TP_printk("vcpu %u result %u bit %u type %#llx", __entry->vcpu,
		      __entry->result, __entry->pend_bit, __entry->type)
);

#endif /* KVMIRQ_S390_TRACE_H */

/* This part must be outside protection */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH s390
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
