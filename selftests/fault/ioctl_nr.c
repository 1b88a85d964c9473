// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq_ioctl_nr NAME...: prints each ioctl's number as fault_wrap.c logs
 * it ("0x4018aee2"), so that scripts/debug/guest-run.sh can judge the
 * fault log without numbers written into shell.  Knows the ioctls that
 * fault_wrap.c treats apart; exits 1 on a name it does not know.
 */
#include <stdio.h>
#include <string.h>

#include <linux/kvmirq.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define IOCTL(nr)	{ #nr, nr }

static const struct {
	const char *name;
	unsigned long nr;
} ioctls[] = {
	IOCTL(KVM_GET_DEVICE_ATTR),
	IOCTL(KVM_SET_DEVICE_ATTR),
	IOCTL(KVM_S390_SET_IRQ_STATE),
};

static int print_nr(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ioctls); i++) {
		if (!strcmp(ioctls[i].name, name)) {
			printf("0x%lx\n", ioctls[i].nr);
			return 0;
		}
	}
	fprintf(stderr, "kvmirq_ioctl_nr: unknown ioctl %s\n", name);
	return 1;
}

int main(int argc, char **argv)
{
	int i, ret = 0;

	for (i = 1; i < argc; i++)
		ret |= print_nr(argv[i]);
	return ret;
}
