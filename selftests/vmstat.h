/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's page-pinning counters, for the tests that check pinned
 * pages go back (s390_memslot_test, s390_pin_release_test, kvmirq_fault).
 */
#ifndef KVMIRQ_VMSTAT_H
#define KVMIRQ_VMSTAT_H

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A /proc/vmstat counter, or -1 if the kernel has none of that name. */
static inline long read_vmstat(const char *name)
{
	char key[64];
	long val;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", key, &val) == 2) {
		if (!strcmp(key, name)) {
			fclose(f);
			return val;
		}
	}
	fclose(f);
	return -1;
}

/*
 * Pages pinned with FOLL_PIN right now, system-wide.  The counters are
 * per-cpu batched: stat_refresh folds them first (root only).
 */
static inline long pinned(void)
{
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, "1", 1) < 0)
			perror("stat_refresh");
		close(fd);
	}
	return read_vmstat("nr_foll_pin_acquired") - read_vmstat("nr_foll_pin_released");
}

#endif /* KVMIRQ_VMSTAT_H */
