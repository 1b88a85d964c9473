/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq: differences between the kernel versions kvmirq builds against
 * (Debian's 6.1 and 6.12).  Code elsewhere uses the newest API; shims for
 * older kernels live here and nowhere else.
 */
#ifndef KVMIRQ_COMPAT_H
#define KVMIRQ_COMPAT_H

#include <linux/version.h>
#include <linux/eventfd.h>
#include <linux/mm.h>

/* Linux 6.8 dropped eventfd_signal()'s count argument (always 1 since). */
#if LINUX_VERSION_MAJOR == 6 && LINUX_VERSION_PATCHLEVEL < 8
#define eventfd_signal(ctx)	eventfd_signal((ctx), 1)
#endif

/* Linux 6.5 dropped get_user_pages_remote()'s vmas argument. */
#if LINUX_VERSION_MAJOR == 6 && LINUX_VERSION_PATCHLEVEL < 5
#define get_user_pages_remote(mm, start, nr, flags, pages, locked) \
	get_user_pages_remote((mm), (start), (nr), (flags), (pages), NULL, (locked))
#endif

#endif /* KVMIRQ_COMPAT_H */
