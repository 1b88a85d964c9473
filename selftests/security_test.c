// SPDX-License-Identifier: GPL-2.0
/*
 * Security and limits: who can open the device, how a VM can be reached,
 * and what bounds the objects a process can create.
 */
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
	if (self->vm >= 0)
		close(self->vm);
	if (self->dev >= 0)
		close(self->dev);
}

/* As /dev/kvm: a character device, rw for owner and group only. */
TEST_F(sec, device_mode_0660)
{
	struct stat st;

	ASSERT_EQ(0, stat(kvmirq_dev_path(), &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0660, st.st_mode & 07777) TH_LOG("mode %o", st.st_mode & 07777);
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

TEST_HARNESS_MAIN
