/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq: differences between the kernel versions kvmirq builds against
 * (Debian's 6.1 and 6.12).  Code elsewhere uses the newest API; shims for
 * older kernels live here and nowhere else.
 */
#ifndef KVMIRQ_COMPAT_H
#define KVMIRQ_COMPAT_H

#include <linux/version.h>

#endif /* KVMIRQ_COMPAT_H */
