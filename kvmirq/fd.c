// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the fds of kvmirq objects (VM, vcpu, device, stats).
 *
 * Every object fd is made in the same three steps, so that the rule "an
 * fd is installed only once the object behind it is complete" is kept in
 * one place: reserve the number, make the file, install.  A caller may work
 * between the steps: KVM_CREATE_VM names the VM's debugfs directory by the
 * number, KVM_CREATE_DEVICE writes the number back before the file exists,
 * KVM_CREATE_VCPU publishes the vcpu between the file and the install.
 */
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>

#include "kvmirq.h"

/**
 * kvmirq_fd_reserve() - reserve the fd number of a new object fd
 * @kfd: the fd being made
 *
 * KVM's object fds are close-on-exec.
 *
 * Return: 0, or what get_unused_fd_flags() refuses with (EMFILE ...).
 */
int kvmirq_fd_reserve(struct kvmirq_fd *kfd)
{
	kfd->file = NULL;
	kfd->fd = get_unused_fd_flags(O_CLOEXEC);
	return kfd->fd < 0 ? kfd->fd : 0;
}

/**
 * kvmirq_fd_open() - make the file behind a reserved fd number
 * @kfd: the fd being made, reserved by kvmirq_fd_reserve()
 * @name: the anonymous inode's name
 * @fops: the object's file operations
 * @priv: the object, the file's private_data
 * @flags: O_RDWR or O_RDONLY
 *
 * Once this succeeds, @fops->release owns whatever references the caller
 * hands to the file, so nothing may fail between it and the install.  On
 * failure the number stays reserved: the caller unwinds in its own order
 * and ends with kvmirq_fd_cancel().
 *
 * Return: 0, or what anon_inode_getfile() refuses with.
 */
int kvmirq_fd_open(struct kvmirq_fd *kfd, const char *name,
		   const struct file_operations *fops, void *priv, int flags)
{
	struct file *file = anon_inode_getfile(name, fops, priv, flags);

	if (IS_ERR(file))
		return PTR_ERR(file);
	kfd->file = file;
	return 0;
}

/**
 * kvmirq_fd_install() - publish a complete object's fd to userspace
 * @kfd: the fd being made, opened by kvmirq_fd_open()
 *
 * Nothing may touch the object through @kfd after this: userspace may
 * close the fd at once.
 *
 * Return: the fd number.
 */
int kvmirq_fd_install(struct kvmirq_fd *kfd)
{
	fd_install(kfd->fd, kfd->file);
	return kfd->fd;
}

/**
 * kvmirq_fd_cancel() - give back a reserved fd number that has no file
 * @kfd: the fd being made, reserved but not opened
 */
void kvmirq_fd_cancel(struct kvmirq_fd *kfd)
{
	put_unused_fd(kfd->fd);
}
