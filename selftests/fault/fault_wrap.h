/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ioctl() wrapper of fault_wrap.c: programs linked with -Wl,--wrap=ioctl
 * call __wrap_ioctl, which calls the C library's as __real_ioctl.
 */
#ifndef KVMIRQ_FAULT_WRAP_H
#define KVMIRQ_FAULT_WRAP_H

int __real_ioctl(int fd, unsigned long request, ...);
int __wrap_ioctl(int fd, unsigned long request, ...);

#endif /* KVMIRQ_FAULT_WRAP_H */
