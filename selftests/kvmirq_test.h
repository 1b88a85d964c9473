/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the kvmirq selftests.
 *
 * The tests open $KVMIRQ_DEV (default /dev/kvmirq).  Pointed at /dev/kvm they
 * run the same ioctl sequences against real KVM, so every expectation that
 * is KVM's behaviour is checked against KVM too; tests of kvmirq's own
 * extensions skip there.
 */
#ifndef KVMIRQ_TEST_H
#define KVMIRQ_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/kvmirq.h>

#include "kselftest_harness.h"

static inline const char *kvmirq_dev_path(void)
{
	const char *path = getenv("KVMIRQ_DEV");

	return path && *path ? path : "/dev/kvmirq";
}

/* Opens the device under test, or returns -1 with errno set. */
static inline int kvmirq_open(void)
{
	return open(kvmirq_dev_path(), O_RDWR | O_CLOEXEC);
}

/* True when the device is kvmirq, false when it is real KVM. */
static inline int kvmirq_is_kvmirq(int dev)
{
	return ioctl(dev, KVM_CHECK_EXTENSION, KVMIRQ_CAP_ABI_VERSION) > 0;
}

/*
 * The Linux release whose KVM behaviour the device shows, as 100 * major +
 * minor (6.12 is 612).  Real KVM is built with its kernel, so it is the
 * running kernel's release; kvmirq follows the newest release its
 * documentation names.  Only for the places where KVM's documented
 * behaviour changed between releases (the tests run against 6.1, 6.12 and
 * 6.18): a test names the releases it has seen on each side.
 */
#define KVMIRQ_FOLLOWS_RELEASE	618

static inline int kvm_release(int dev)
{
	struct utsname u;
	int major, minor;

	if (ioctl(dev, KVM_CHECK_EXTENSION, KVMIRQ_CAP_ABI_VERSION) > 0)
		return KVMIRQ_FOLLOWS_RELEASE;
	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return KVMIRQ_FOLLOWS_RELEASE;
	return major * 100 + minor;
}

/* Writes @text to a sysfs, debugfs, tracefs or cgroup file: 0 or -1. */
static inline int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Closes those of the @n fds at @fds that are open (>= 0), in order. */
static inline void close_fds(const int *fds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* A FIXTURE_TEARDOWN's work: closes those of the fds given that are open. */
#define CLOSE_FDS(...)							\
	close_fds((const int[]){ __VA_ARGS__ },				\
		  ARRAY_SIZE(((const int[]){ __VA_ARGS__ })))

/* Result of an ioctl that must fail: the errno, or 0 if it succeeded. */
static inline int kvmirq_errno(int r)
{
	return r < 0 ? errno : 0;
}

/*
 * Skips the rest of a test.  From a FIXTURE_SETUP it also skips the test body
 * and the teardown (the 6.1 harness would run the body after a plain SKIP):
 * the harness jumps back exactly as for a failed ASSERT in setup.
 */
#define KVMIRQ_SKIP(fmt, ...) \
	SKIP(longjmp(_metadata->env, 1), fmt, ##__VA_ARGS__)

/*
 * For a FIXTURE_SETUP whose fixture has "int dev; int kvmirq;": opens the
 * device and notes whether it is kvmirq.  Skips the test when the device is
 * absent.
 */
#define KVMIRQ_OPEN_OR_SKIP()						\
	do {								\
		self->dev = kvmirq_open();				\
		if (self->dev < 0)					\
			KVMIRQ_SKIP("%s: %s", kvmirq_dev_path(),	\
				    strerror(errno));			\
		self->kvmirq = kvmirq_is_kvmirq(self->dev);		\
	} while (0)

/* Skips a test of a kvmirq extension when the device is real KVM. */
#define KVMIRQ_ONLY()							\
	do {								\
		if (!self->kvmirq)					\
			KVMIRQ_SKIP("kvmirq extension, not in KVM");	\
	} while (0)

#endif /* KVMIRQ_TEST_H */
