/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq: the fields of an IOAPIC redirection table entry, shared by
 * ioapic.c and the kvmirq_ioapic_set_irq tracepoint (trace.h).
 *
 * The masks are plain constants, not GENMASK_ULL(): TP_printk() copies its
 * arguments, macros expanded, into the tracefs "print fmt", and perf or
 * trace-cmd cannot parse GENMASK_ULL()'s compile-time input check.
 */
#ifndef KVMIRQ_IOAPIC_RTE_H
#define KVMIRQ_IOAPIC_RTE_H

#include <linux/bits.h>

#define RTE_VECTOR		0xffULL		/* bits 7:0 */
#define RTE_DELIVERY_MODE	0x700ULL	/* bits 10:8 */
#define RTE_DELIVERY_MODE_SHIFT	8
#define RTE_DEST_LOGICAL	BIT_ULL(11)
#define RTE_DELIVERY_STATUS	BIT_ULL(12)
#define RTE_REMOTE_IRR		BIT_ULL(14)
#define RTE_LEVEL		BIT_ULL(15)
#define RTE_MASKED		BIT_ULL(16)
#define RTE_DEST_SHIFT		56

#endif /* KVMIRQ_IOAPIC_RTE_H */
