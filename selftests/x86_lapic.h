/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the x86 LAPIC, MSI and vcpu-event selftests: VMs with a split
 * irqchip (LAPICs in the kernel, which real KVM offers without a guest CPU),
 * LAPIC register pages and MSIs.
 */
#ifndef KVMIRQ_X86_LAPIC_H
#define KVMIRQ_X86_LAPIC_H

#include <linux/types.h>

#include "x86_guest.h"

#define APIC_ID		0x20
#define APIC_LVR	0x30
#define APIC_TASKPRI	0x80
#define APIC_ARBPRI	0x90
#define APIC_PROCPRI	0xa0
#define APIC_EOI	0xb0
#define APIC_LDR	0xd0
#define APIC_DFR	0xe0
#define APIC_SPIV	0xf0
#define APIC_ISR	0x100
#define APIC_TMR	0x180
#define APIC_IRR	0x200
#define APIC_ESR	0x280
#define APIC_ICR	0x300
#define APIC_ICR2	0x310
#define APIC_LVTT	0x320
#define APIC_LVTTHMR	0x330
#define APIC_LVTPC	0x340
#define APIC_LVT0	0x350
#define APIC_LVT1	0x360
#define APIC_LVTERR	0x370
#define APIC_TMICT	0x380
#define APIC_TMCCT	0x390
#define APIC_TDCR	0x3e0
#define APIC_SELF_IPI	0x3f0

#define DM_FIXED	0x000
#define DM_LOWEST	0x100
#define DM_SMI		0x200
#define DM_REMRD	0x300
#define DM_NMI		0x400
#define DM_INIT		0x500
#define DM_SIPI		0x600
#define DM_EXTINT	0x700
#define MSI_LEVEL	0x8000
#define MSI_LOGICAL	0x4
#define MSI_RH		0x8

#define APIC_BASE_MSR	0x1b

static inline int x86_vm(int dev)
{
	return ioctl(dev, KVM_CREATE_VM, 0);
}

static inline int x86_enable_cap(int vm, __u32 cap, __u64 arg)
{
	struct kvm_enable_cap c = { .cap = cap, .args = { arg } };

	return ioctl(vm, KVM_ENABLE_CAP, &c);
}

/* KVM_CAP_X86_SMM on the VM: 1 on an SMM-capable host, 0 without SMM. */
static inline int has_smm(int vm)
{
	return ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_X86_SMM) > 0;
}

/*
 * The hardware backend whose answers the device gives, where KVM's two
 * differ in what an ioctl shows (Documentation/x86-lapic.rst, "Vendor
 * backends"): kvm-amd (SVM) or kvm-intel (VMX), as KVM loads the one of the
 * host CPU's vendor; another backend (this project's reference host runs a
 * software one) shows neither quirk.  kvmirq says which it models in its
 * "vendor" parameter.
 */
enum x86_backend { X86_BACKEND_OTHER, X86_BACKEND_SVM, X86_BACKEND_VMX };

static inline int x86_backend(int dev)
{
	char buf[16] = "";
	FILE *f;

	if (ioctl(dev, KVM_CHECK_EXTENSION, KVMIRQ_CAP_ABI_VERSION) > 0) {
		f = fopen("/sys/module/kvmirq/parameters/vendor", "r");
		if (f) {
			if (!fgets(buf, sizeof(buf), f))
				buf[0] = 0;
			fclose(f);
		}
		if (!strncmp(buf, "amd", 3))
			return X86_BACKEND_SVM;
		if (!strncmp(buf, "intel", 5))
			return X86_BACKEND_VMX;
		return X86_BACKEND_OTHER;
	}
	if (!access("/sys/module/kvm_amd", F_OK))
		return X86_BACKEND_SVM;
	if (!access("/sys/module/kvm_intel", F_OK))
		return X86_BACKEND_VMX;
	return X86_BACKEND_OTHER;
}

/*
 * KVM ABI: what KVM_GET_VCPU_EVENTS reads back as interrupt.shadow after
 * KVM_SET_VCPU_EVENTS wrote @shadow with VALID_SHADOW.  SVM keeps one
 * interrupt-shadow bit and reports both kinds for it; VMX keeps MOV_SS over
 * STI, one bit; another backend may keep the value as written.
 */
static inline __u8 x86_shadow_readback(int backend, __u8 shadow)
{
	switch (backend) {
	case X86_BACKEND_SVM:
		return shadow ? KVM_X86_SHADOW_INT_MOV_SS | KVM_X86_SHADOW_INT_STI : 0;
	case X86_BACKEND_VMX:
		if (shadow & KVM_X86_SHADOW_INT_MOV_SS)
			return KVM_X86_SHADOW_INT_MOV_SS;
		return shadow & KVM_X86_SHADOW_INT_STI;
	default:
		return shadow;
	}
}

/* A VM with the split irqchip, or -1. */
static inline int x86_split_vm(int dev)
{
	int vm = x86_vm(dev);

	if (vm < 0)
		return -1;
	if (x86_enable_cap(vm, KVM_CAP_SPLIT_IRQCHIP, 24)) {
		close(vm);
		return -1;
	}
	return vm;
}

static inline __u32 lapic_reg(const struct kvm_lapic_state *s, int off)
{
	__u32 v;

	memcpy(&v, s->regs + off, 4);
	return v;
}

static inline void lapic_set(struct kvm_lapic_state *s, int off, __u32 v)
{
	memcpy(s->regs + off, &v, 4);
}

static inline int lapic_vec(const struct kvm_lapic_state *s, int base, int v)
{
	return !!(lapic_reg(s, base + (v / 32) * 0x10) & (1u << (v % 32)));
}

static inline void lapic_set_vec(struct kvm_lapic_state *s, int base, int v)
{
	lapic_set(s, base + (v / 32) * 0x10,
		  lapic_reg(s, base + (v / 32) * 0x10) | (1u << (v % 32)));
}

static inline struct kvm_lapic_state get_lapic(int vcpu)
{
	struct kvm_lapic_state s;

	memset(&s, 0xcc, sizeof(s));
	if (ioctl(vcpu, KVM_GET_LAPIC, &s))
		memset(&s, 0xee, sizeof(s));
	return s;
}

static inline int set_lapic(int vcpu, struct kvm_lapic_state *s)
{
	return ioctl(vcpu, KVM_SET_LAPIC, s);
}

/* Sets SVR (bit 8 software-enables), LDR and DFR of a vcpu's LAPIC. */
static inline int lapic_setup(int vcpu, __u32 svr, __u32 ldr,
			      __u32 dfr)
{
	struct kvm_lapic_state s = get_lapic(vcpu);

	lapic_set(&s, APIC_SPIV, svr);
	lapic_set(&s, APIC_LDR, ldr);
	lapic_set(&s, APIC_DFR, dfr);
	return set_lapic(vcpu, &s);
}

/* Software-enabled (spurious vector 0xff), flat model, no logical id. */
static inline int lapic_enable(int vcpu)
{
	return lapic_setup(vcpu, 0x1ff, 0, 0xffffffff);
}

/*
 * For a FIXTURE_SETUP: vcpus 0 and 1 of @vm in *@v0 and *@v1; with
 * @lapics (a split irqchip), both LAPICs enabled with lapic_enable().
 */
static inline void two_vcpus(struct __test_metadata *_metadata, int vm,
			     int *v0, int *v1, int lapics)
{
	*v0 = ioctl(vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(*v0, 0);
	*v1 = ioctl(vm, KVM_CREATE_VCPU, 1);
	ASSERT_GE(*v1, 0);
	if (lapics) {
		ASSERT_EQ(0, lapic_enable(*v0));
		ASSERT_EQ(0, lapic_enable(*v1));
	}
}

/* Clears IRR, ISR and TMR. */
static inline int lapic_clear_vectors(int vcpu)
{
	struct kvm_lapic_state s = get_lapic(vcpu);

	memset(s.regs + APIC_ISR, 0, 0x180);
	return set_lapic(vcpu, &s);
}

/* Whether @vcpu's LAPIC has @vec in the array at @base; -1 if GET fails. */
static inline int vcpu_vec(int vcpu, int base, int vec)
{
	struct kvm_lapic_state s;

	if (ioctl(vcpu, KVM_GET_LAPIC, &s))
		return -1;
	return lapic_vec(&s, base, vec);
}

static inline int irr_count(int vcpu, int vec)
{
	return vcpu_vec(vcpu, APIC_IRR, vec);
}

/* KVM_SIGNAL_MSI: the return value, or -errno. */
static inline int signal_msi(int vm, __u32 addr_lo, __u32 addr_hi,
			     __u32 data, __u32 flags)
{
	struct kvm_msi msi = {
		.address_lo = addr_lo, .address_hi = addr_hi, .data = data,
		.flags = flags,
	};
	int r = ioctl(vm, KVM_SIGNAL_MSI, &msi);

	return r < 0 ? -errno : r;
}

static inline __u32 msi_addr(__u32 dest, int logical, int rh)
{
	return 0xfee00000u | (dest & 0xff) << 12 | (logical ? MSI_LOGICAL : 0) |
	       (rh ? MSI_RH : 0);
}

static inline int msi_phys(int vm, __u32 dest, __u32 data)
{
	return signal_msi(vm, msi_addr(dest, 0, 0), 0, data, 0);
}

static inline int msi_logical(int vm, __u32 dest, __u32 data)
{
	return signal_msi(vm, msi_addr(dest, 1, 0), 0, data, 0);
}

static inline struct kvm_vcpu_events get_events(int vcpu)
{
	struct kvm_vcpu_events e;

	memset(&e, 0xcc, sizeof(e));
	if (ioctl(vcpu, KVM_GET_VCPU_EVENTS, &e))
		memset(&e, 0xee, sizeof(e));
	return e;
}

/* KVM_SET_VCPU_EVENTS: 0 or the errno. */
static inline int set_events(int vcpu, struct kvm_vcpu_events *e)
{
	return kvmirq_errno(ioctl(vcpu, KVM_SET_VCPU_EVENTS, e));
}

static inline int get_mp_state(int vcpu)
{
	struct kvm_mp_state mp = { .mp_state = 0xdead };

	if (ioctl(vcpu, KVM_GET_MP_STATE, &mp))
		return -errno;
	return mp.mp_state;
}

static inline int set_mp_state(int vcpu, __u32 state)
{
	struct kvm_mp_state mp = { .mp_state = state };

	return ioctl(vcpu, KVM_SET_MP_STATE, &mp) ? -errno : 0;
}

struct one_msr {
	struct kvm_msrs hdr;
	struct kvm_msr_entry e;
};

/* KVM_GET_MSRS of one MSR: the count processed (0 or 1), or -errno. */
static inline int get_msr(int vcpu, __u32 index, __u64 *val)
{
	struct one_msr m = { .hdr.nmsrs = 1, .e.index = index };
	int r = ioctl(vcpu, KVM_GET_MSRS, &m);

	*val = m.e.data;
	return r < 0 ? -errno : r;
}

static inline int set_msr(int vcpu, __u32 index, __u64 val)
{
	struct one_msr m = { .hdr.nmsrs = 1, .e.index = index, .e.data = val };
	int r = ioctl(vcpu, KVM_SET_MSRS, &m);

	return r < 0 ? -errno : r;
}

#endif /* KVMIRQ_X86_LAPIC_H */
