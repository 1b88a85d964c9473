// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the x86 machine model (KVM_CREATE_VM type 0).
 */
#include "kvmirq.h"

/* KVM ABI: x86 KVM_MAX_VCPUS and KVM_MAX_VCPU_IDS. */
#define KVMIRQ_X86_MAX_VCPUS	1024
#define KVMIRQ_X86_MAX_VCPU_ID	4096

static long kvmirq_x86_check_extension(long cap)
{
	return 0;
}

const struct kvmirq_model kvmirq_x86_model = {
	.type		 = KVMIRQ_VM_X86,
	.name		 = "x86",
	.max_vcpus	 = KVMIRQ_X86_MAX_VCPUS,
	.max_vcpu_id	 = KVMIRQ_X86_MAX_VCPU_ID,
	.check_extension = kvmirq_x86_check_extension,
};
