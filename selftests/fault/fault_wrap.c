// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection for the whole selftest suite.  The selftests are built a
 * second time with -Wl,--wrap=ioctl and this file: with $KVMIRQ_FAULT_LOG
 * set, a share ($KVMIRQ_FAULT_PERCENT) of their ioctls run with
 * /proc/thread-self/fail-nth armed, so the n-th fault-injectable allocation
 * made inside that one ioctl (that is, on kvmirq's call paths, not in the
 * test program's page faults or libc) fails.  FAILSLAB and FAIL_PAGE_ALLOC
 * must be set to fail GFP_KERNEL allocations (guest-run.sh does it).
 *
 * An ioctl whose injected failure was consumed must fail with ENOMEM (or
 * the errno KVM gives there, fault_errno_ok()), or
 * succeed (the failure hit an allocation that tolerates it), or fail the
 * same way again without the fault (where a second run can tell, see
 * fault_rerun_tells()).  One line per consumed fault goes to
 * $KVMIRQ_FAULT_LOG: "fault pid=P ioctl=0xNR nth=N result=ok|ENOMEM|...".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "fault_wrap.h"

static int fault_percent = -1;
static unsigned long long fault_rng;
static const char *fault_log;

static unsigned int fault_rand(void)
{
	/* xorshift64*: per process, seeded from the seed and the pid */
	fault_rng ^= fault_rng >> 12;
	fault_rng ^= fault_rng << 25;
	fault_rng ^= fault_rng >> 27;
	return (fault_rng * 0x2545f4914f6cdd1dull) >> 32;
}

static int fault_armed(void)
{
	static pid_t pid;
	const char *s;

	if (fault_percent < 0) {
		fault_log = getenv("KVMIRQ_FAULT_LOG");
		s = getenv("KVMIRQ_FAULT_PERCENT");
		fault_percent = fault_log && *fault_log ? (s ? atoi(s) : 20) : 0;
	}
	if (!fault_percent)
		return 0;
	if (pid != getpid()) {	/* each forked test gets its own sequence */
		s = getenv("KVMIRQ_FAULT_SEED");
		pid = getpid();
		fault_rng = ((s ? strtoull(s, NULL, 0) : 1) << 20) ^ pid ^ 0x9e3779b97f4a7c15ull;
	}
	return fault_rand() % 100 < (unsigned int)fault_percent;
}

static const char *fault_errname(int r, int err)
{
	static __thread char buf[32];

	if (r >= 0)
		return "ok";
	switch (err) {
	case ENOMEM: return "ENOMEM";
	case ENOBUFS: return "ENOBUFS";
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case EEXIST: return "EEXIST";
	case ENOTTY: return "ENOTTY";
	case ENXIO: return "ENXIO";
	case EBADF: return "EBADF";
	case EMFILE: return "EMFILE";
	}
	snprintf(buf, sizeof(buf), "errno%d", err);
	return buf;
}

static void fault_note(unsigned long request, int nth, const char *result)
{
	char line[160];
	int fd, len;

	len = snprintf(line, sizeof(line), "fault pid=%d ioctl=0x%lx nth=%d result=%s\n",
		       getpid(), request, nth, result);
	fd = open(fault_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, line, len) != len)
		perror("fault_wrap: log");
	close(fd);
}

/*
 * The errno a failed allocation must surface as: ENOMEM, except where KVM
 * reports it otherwise.
 */
static int fault_errno_ok(unsigned long request, int err)
{
	if (err == ENOMEM)
		return 1;
	/* KVM ABI: FLIC GET_ALL_IRQS says ENOBUFS; its ENOMEM means "bigger". */
	return request == KVM_GET_DEVICE_ATTR && err == ENOBUFS;
}

/*
 * Whether running the ioctl again shows what it did the first time.  Not
 * for those that apply part of their argument before failing on a later
 * part (a record of SET_IRQ_STATE, an entry of FLIC ENQUEUE): there the
 * second run fails differently (EBUSY: already pending) with or without a
 * fault, so a non-ENOMEM result is logged as "unchecked".  kvmirq_fault
 * covers their allocation failures row by row.
 */
static int fault_rerun_tells(unsigned long request)
{
	return request != KVM_S390_SET_IRQ_STATE && request != KVM_SET_DEVICE_ATTR;
}

int __wrap_ioctl(int fd, unsigned long request, ...)
{
	char buf[16], result[64];
	int nth, nthfd, r, err, r2, err2;
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (!fault_armed())
		return __real_ioctl(fd, request, arg);
	nthfd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nthfd < 0)
		return __real_ioctl(fd, request, arg);

	nth = 1 + fault_rand() % (fault_rand() % 2 ? 3 : 12);
	snprintf(buf, sizeof(buf), "%d", nth);
	if (write(nthfd, buf, strlen(buf)) < 0) {
		close(nthfd);
		return __real_ioctl(fd, request, arg);
	}
	r = __real_ioctl(fd, request, arg);
	err = errno;
	memset(buf, 0, sizeof(buf));
	if (pread(nthfd, buf, sizeof(buf) - 1, 0) < 0 || atoi(buf)) {
		/* not consumed: this ioctl made fewer than nth allocations */
		if (write(nthfd, "0", 1) < 0)
			perror("fault_wrap: fail-nth");
		close(nthfd);
		errno = err;
		return r;
	}
	close(nthfd);

	if (r < 0 && !fault_errno_ok(request, err) && !fault_rerun_tells(request)) {
		fault_note(request, nth, "unchecked");
		errno = err;
		return r;
	}
	if (r < 0 && !fault_errno_ok(request, err)) {
		/* The failure may have hit an allocation that tolerates it. */
		r2 = __real_ioctl(fd, request, arg);
		err2 = errno;
		if (r2 < 0 && err2 == err)
			snprintf(result, sizeof(result), "ok");
		else
			snprintf(result, sizeof(result), "%s (without the fault: %s)",
				 fault_errname(r, err), fault_errname(r2, err2));
		fault_note(request, nth, result);
		errno = err2;
		return r2;
	}
	fault_note(request, nth, fault_errname(r, err));
	errno = err;
	return r;
}
