/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq: state of the s390 machine model.
 */
#ifndef KVMIRQ_S390_H
#define KVMIRQ_S390_H

#include "kvmirq.h"

/**
 * struct kvmirq_s390_vm - VM-wide s390 state
 * @flic: the FLIC device, or NULL; set and cleared under vm->lock
 */
struct kvmirq_s390_vm {
	struct kvmirq_device *flic;
};

static inline struct kvmirq_s390_vm *kvmirq_s390(struct kvmirq_vm *vm)
{
	return vm->arch;
}

extern const struct kvmirq_device_ops kvmirq_flic_ops;

#endif /* KVMIRQ_S390_H */
