// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the x86 host kvmirq answers as.  Where what an ioctl shows depends
 * on the host rather than on KVM's common code, kvmirq models one host:
 *
 * - vendor: KVM loads kvm-amd (SVM) on AMD and Hygon CPUs and kvm-intel
 *   (VMX) on the others; the two backends read some state back differently
 *   (Documentation/x86-lapic.rst, "Vendor backends").  Default: the vendor
 *   of the CPU kvmirq runs on; "amd" or "intel" overrides it.
 * - smm: a host with SMM (the default), or one without (KVM built without
 *   CONFIG_KVM_SMM, or a backend that cannot emulate it).
 *
 * Both are read-only after load: the answers of a running VM never change.
 */
#include <linux/module.h>
#include <linux/string.h>
#include <asm/processor.h>

#include "lapic.h"
#include "x86.h"

static char *vendor = "";
module_param(vendor, charp, 0444);
MODULE_PARM_DESC(vendor,
		 "KVM backend to answer as: amd (SVM) or intel (VMX); default: this CPU's vendor");

static bool smm = true;
module_param(smm, bool, 0444);
MODULE_PARM_DESC(smm, "Answer as a host with SMM (default) or, with smm=0, without");

static bool kvmirq_svm;

static bool kvmirq_x86_host_cpu_is_amd(void)
{
	return boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
	       boot_cpu_data.x86_vendor == X86_VENDOR_HYGON;
}

/* Resolves the vendor parameter; sysfs then shows the backend in use. */
static int kvmirq_x86_host_vendor(void)
{
	if (!*vendor)
		kvmirq_svm = kvmirq_x86_host_cpu_is_amd();
	else if (!strcmp(vendor, "amd"))
		kvmirq_svm = true;
	else if (!strcmp(vendor, "intel"))
		kvmirq_svm = false;
	else
		return -EINVAL;
	/* A static string: the charp parameter code frees only its own. */
	vendor = kvmirq_svm ? "amd" : "intel";
	return 0;
}

/* True when kvmirq answers as kvm-amd (SVM), false as kvm-intel (VMX). */
bool kvmirq_x86_svm(void)
{
	return kvmirq_svm;
}

/* True when kvmirq answers as a host with SMM. */
bool kvmirq_x86_smm(void)
{
	return smm;
}

/**
 * kvmirq_x86_shadow() - the interrupt shadow KVM_SET_VCPU_EVENTS leaves
 * @shadow: the KVM_X86_SHADOW_INT_* bits given
 *
 * Return: what KVM_GET_VCPU_EVENTS reads back.
 */
u8 kvmirq_x86_shadow(u8 shadow)
{
	/* KVM ABI: SVM has one shadow bit and reports it as both kinds. */
	if (kvmirq_svm)
		return shadow ? KVM_X86_SHADOW_INT_MOV_SS | KVM_X86_SHADOW_INT_STI : 0;
	/* KVM ABI: VMX keeps one of the two, MOV_SS over STI. */
	if (shadow & KVM_X86_SHADOW_INT_MOV_SS)
		return KVM_X86_SHADOW_INT_MOV_SS;
	return shadow & KVM_X86_SHADOW_INT_STI;
}

/* Reads the module parameters, before anything answers as the host. */
int kvmirq_x86_host_init(void)
{
	int r = kvmirq_x86_host_vendor();

	if (r)
		pr_err("kvmirq: vendor=%s: use amd or intel\n", vendor);
	return r;
}
