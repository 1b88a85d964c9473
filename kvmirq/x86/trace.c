// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: instantiates the x86 tracepoints declared in trace.h.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
