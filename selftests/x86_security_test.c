// SPDX-License-Identifier: GPL-2.0
/*
 * Security and limits: who can open the device, how a VM can be reached,
 * and what bounds the objects a process can create.
 */
#include <sys/eventfd.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <grp.h>
#include <stdio.h>

#include "kvmirq_test.h"

FIXTURE(sec) {
	int dev;
	int kvmirq;
	int vm;
};

FIXTURE_SETUP(sec)
{
	self->vm = -1;
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	ASSERT_GE(self->vm, 0);
}

FIXTURE_TEARDOWN(sec)
{
	CLOSE_FDS(self->vm, self->dev);
}

/*
 * As /dev/kvm: a character device, rw for owner and group only.  KVM's misc
 * device names no mode, so udev's rule makes it 0660 and devtmpfs alone (the
 * test VM has no udev) 0600; kvmirq sets 0660 itself.
 */
TEST_F(sec, device_mode_0660)
{
	struct stat st;
	unsigned int mode;

	ASSERT_EQ(0, stat(kvmirq_dev_path(), &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	mode = st.st_mode & 07777;
	EXPECT_TRUE(mode == 0660 || (!self->kvmirq && mode == 0600))
		TH_LOG("mode %o", mode);
	EXPECT_EQ(0, st.st_uid);
}

/* A user outside the device's group cannot open it. */
TEST_F(sec, other_users_cannot_open)
{
	int status;
	pid_t pid;

	if (geteuid())
		KVMIRQ_SKIP("needs root to switch to another user");
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(2);
		_exit(open(kvmirq_dev_path(), O_RDWR) < 0 && errno == EACCES ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* An anonymous-inode fd cannot be opened again through /proc. */
TEST_F(sec, no_reopen_through_proc)
{
	char path[64];
	int fd, vcpu;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", self->vm);
	fd = open(path, O_RDWR | O_CLOEXEC);
	EXPECT_EQ(-1, fd);
	if (fd >= 0)
		close(fd);
	vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", vcpu);
	fd = open(path, O_RDWR | O_CLOEXEC);
	EXPECT_EQ(-1, fd);
	if (fd >= 0)
		close(fd);
	close(vcpu);
}

/*
 * A VM fd taken by another process (pidfd_getfd(), as a debugger could)
 * reaches the VM, but every ioctl is EIO there: the VM belongs to the mm
 * that created it.
 */
TEST_F(sec, fd_taken_by_other_process_is_eio)
{
	int status, fd;
	pid_t pid;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		int pidfd = syscall(SYS_pidfd_open, getppid(), 0);

		/* Not the inherited fd: the parent's, taken through the pidfd. */
		close(self->vm);
		if (pidfd < 0)
			_exit(4);
		fd = syscall(SYS_pidfd_getfd, pidfd, self->vm, 0);
		if (fd < 0)
			_exit(4);
		_exit(ioctl(fd, KVM_CREATE_VCPU, 0) < 0 && errno == EIO &&
		      ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS) < 0 &&
		      errno == EIO ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == 4)
		KVMIRQ_SKIP("pidfd_open() or pidfd_getfd() failed");
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* Nothing was created by the refused child. */
	fd = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	EXPECT_GE(fd, 0);
	close(fd);
}

/*
 * Nothing but the fd limit bounds the number of VMs, as in KVM: with N free
 * fds below the limit, exactly N VMs can be created, then EMFILE.
 */
TEST_F(sec, vms_bounded_by_fd_limit)
{
	int fds[16], n = 0, err = 0, first, i, free_fds = 0;
	struct rlimit old, lim;

	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	first = dup(0);
	ASSERT_GE(first, 0);
	close(first);
	for (i = first; i < first + 8; i++)
		free_fds += fcntl(i, F_GETFD) < 0;
	lim.rlim_cur = first + 8;
	lim.rlim_max = old.rlim_max;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &lim));
	for (i = 0; i < 16; i++) {
		fds[n] = ioctl(self->dev, KVM_CREATE_VM, 0);
		if (fds[n] < 0) {
			err = errno;
			break;
		}
		n++;
	}
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
	EXPECT_EQ(free_fds, n);
	EXPECT_EQ(EMFILE, err);
	while (n--)
		close(fds[n]);
}

#define CGROUP_ROOT	"/sys/fs/cgroup"
#define CGROUP_TEST	CGROUP_ROOT "/kvmirq-memcg"
#define CHARGE_VCPUS	512

/* slab_unreclaimable of the test cgroup, in bytes, or -1. */
static long cgroup_slab(void)
{
	FILE *f = fopen(CGROUP_TEST "/memory.stat", "re");
	char key[64];
	long val, r = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", key, &val) == 2)
		if (!strcmp(key, "slab_unreclaimable"))
			r = val;
	fclose(f);
	return r;
}

/*
 * Child in the test cgroup: slab charged for CHARGE_VCPUS vcpus, minus that
 * of as many eventfds (the anonymous file both have), in KiB.
 */
static int charge_child(int dev)
{
	long s0, s1, s2, s3;
	char pid[16];
	int vm, i, fd;

	snprintf(pid, sizeof(pid), "%d", getpid());
	if (write_file(CGROUP_TEST "/cgroup.procs", pid))
		return -1;
	s0 = cgroup_slab();
	for (i = 0; i < CHARGE_VCPUS; i++)
		if (eventfd(0, EFD_CLOEXEC) < 0)
			return -1;
	s1 = cgroup_slab();
	vm = ioctl(dev, KVM_CREATE_VM, 0);
	/*
	 * With an irqchip every vcpu has a LAPIC: megabytes in all, well above
	 * the memcg's per-cpu batching, which can hide a few hundred KiB.
	 */
	if (vm < 0 || ioctl(vm, KVM_CREATE_IRQCHIP, 0))
		return -1;
	s2 = cgroup_slab();
	for (i = 0; i < CHARGE_VCPUS; i++) {
		fd = ioctl(vm, KVM_CREATE_VCPU, i);
		if (fd < 0)
			return -1;
	}
	s3 = cgroup_slab();
	if (s0 < 0 || s3 < 0)
		return -1;
	return ((s3 - s2) - (s1 - s0)) / 1024;
}

/*
 * What userspace makes kvmirq allocate is charged to its memory cgroup
 * (GFP_KERNEL_ACCOUNT): vcpus cost more charged slab than the files alone.
 * Only in the test VM, which it can reconfigure.
 */
TEST_F(sec, vcpus_charged_to_memcg)
{
	int pipefd[2], status, kib = -1;
	pid_t pid;

	if (!getenv("KVMIRQ_IN_VM"))
		KVMIRQ_SKIP("changes cgroups: only in the test VM");
	if (access(CGROUP_ROOT "/cgroup.controllers", F_OK) &&
	    mount("none", CGROUP_ROOT, "cgroup2", 0, NULL))
		KVMIRQ_SKIP("no cgroup2: %s", strerror(errno));
	if (write_file(CGROUP_ROOT "/cgroup.subtree_control", "+memory"))
		KVMIRQ_SKIP("no memory controller: %s", strerror(errno));
	ASSERT_TRUE(!mkdir(CGROUP_TEST, 0755) || errno == EEXIST);
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		kib = charge_child(self->dev);
		_exit(write(pipefd[1], &kib, sizeof(kib)) == sizeof(kib) ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(sizeof(kib), read(pipefd[0], &kib, sizeof(kib)));
	close(pipefd[0]);
	close(pipefd[1]);
	rmdir(CGROUP_TEST);
	TH_LOG("%d vcpus: %d KiB of charged slab beyond their files", CHARGE_VCPUS, kib);
	/* At least 64 bytes a vcpu: struct kvmirq_vcpu alone is larger. */
	EXPECT_GE(kib, CHARGE_VCPUS * 64 / 1024);
}

TEST_HARNESS_MAIN
