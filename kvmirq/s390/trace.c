// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: instantiates the s390 tracepoints declared in trace.h.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
