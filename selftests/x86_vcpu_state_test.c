// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 vcpu state a VMM saves and restores: CPUID, registers, FPU and
 * XSAVE, XCRs, debug registers, MSRs, TSC, machine checks, and the system
 * ioctls that describe them.  The same sequences run against real KVM; a
 * test branches only on capabilities and on what the supported CPUID says
 * (the host vendor, XSAVE components).
 */
#include <stdint.h>
#include <signal.h>

#include "x86_lapic.h"

#define MSR_IA32_TSC		0x10
#define MSR_IA32_APICBASE	0x1b
#define MSR_MTRR_CAP		0xfe
#define MSR_IA32_SYSENTER_EIP	0x176
#define MSR_MCG_CAP		0x179
#define MSR_MCG_STATUS		0x17a
#define MSR_MCG_CTL		0x17b
#define MSR_MISC_ENABLE		0x1a0
#define MSR_MTRR_BASE0		0x200
#define MSR_MTRR_MASK0		0x201
#define MSR_PAT			0x277
#define MSR_MTRR_DEFTYPE	0x2ff
#define MSR_MC0_CTL		0x400
#define MSR_MC0_STATUS		0x401
#define MSR_EFER		0xc0000080
#define MSR_LSTAR		0xc0000082
#define MSR_TSC_AUX		0xc0000103
#define MSR_KVM_SYSTEM_TIME_NEW	0x4b564d01
#define MSR_IA32_UCODE_REV	0x8b

#define PAT_DEFAULT		0x0007040600070406ULL
#define MCG_CTL_P		0x100ULL
#define MCI_STATUS_VAL		0x8000000000000000ULL
#define MCI_STATUS_OVER		0x4000000000000000ULL

struct cpuid_buf {
	struct kvm_cpuid2 h;
	struct kvm_cpuid_entry2 e[256];
};

FIXTURE(st) {
	int dev;
	int kvmirq;
	int vm;
	int v0;
	struct cpuid_buf cpuid;
};

FIXTURE_VARIANT(st) {
	int split;
};

FIXTURE_VARIANT_ADD(st, split) {
	.split = 1,
};

FIXTURE_VARIANT_ADD(st, no_irqchip) {
	.split = 0,
};

FIXTURE_SETUP(st)
{
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = variant->split ? x86_split_vm(self->dev) : x86_vm(self->dev);
	ASSERT_GE(self->vm, 0);
	self->v0 = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(self->v0, 0);
	self->cpuid.h.nent = 256;
	ASSERT_EQ(0, ioctl(self->dev, KVM_GET_SUPPORTED_CPUID, &self->cpuid));
}

FIXTURE_TEARDOWN(st)
{
	close(self->v0);
	close(self->vm);
	close(self->dev);
}

static struct kvm_cpuid_entry2 *find(struct cpuid_buf *c, __u32 fn, __u32 idx)
{
	__u32 i;

	for (i = 0; i < c->h.nent; i++)
		if (c->e[i].function == fn && c->e[i].index == idx)
			return &c->e[i];
	return NULL;
}

/* The supported CPUID's vendor is AMD's: vendor-dependent answers follow. */
static int amd(struct cpuid_buf *c)
{
	struct kvm_cpuid_entry2 *e = find(c, 0, 0);

	return e && (e->ebx == 0x68747541 || e->ebx == 0x6f677948);
}

static __u64 supported_xcr0(struct cpuid_buf *c)
{
	struct kvm_cpuid_entry2 *e = find(c, 0xd, 0);

	return e ? e->eax | (__u64)e->edx << 32 : 0;
}

static int err(int r)
{
	return r < 0 ? errno : 0;
}

TEST_F(st, supported_cpuid)
{
	struct cpuid_buf c;
	struct kvm_cpuid_entry2 *e;

	c.h.nent = 0;
	EXPECT_EQ(E2BIG, err(ioctl(self->dev, KVM_GET_SUPPORTED_CPUID, &c)));
	c.h.nent = 1;
	EXPECT_EQ(E2BIG, err(ioctl(self->dev, KVM_GET_SUPPORTED_CPUID, &c)));
	EXPECT_EQ(1, c.h.nent);
	EXPECT_EQ(EFAULT, err(ioctl(self->dev, KVM_GET_SUPPORTED_CPUID, NULL)));
	/* A count above 256 is clamped, not refused. */
	c.h.nent = 100000;
	EXPECT_EQ(0, ioctl(self->dev, KVM_GET_SUPPORTED_CPUID, &c));
	EXPECT_EQ(self->cpuid.h.nent, c.h.nent);
	EXPECT_LT(c.h.nent, 256);
	/* x2APIC is always offered: KVM's LAPIC is its own. */
	e = find(&c, 1, 0);
	ASSERT_NE(NULL, e);
	EXPECT_TRUE(e->ecx & (1u << 21));
	EXPECT_NE(NULL, find(&c, 0x40000000, 0));
	EXPECT_TRUE(supported_xcr0(&c) & 1 || !find(&c, 0xd, 0));
	/* The vcpu fd does not answer it. */
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_GET_SUPPORTED_CPUID, &c)));
}

TEST_F(st, cpuid2)
{
	struct cpuid_buf c = self->cpuid, out;
	struct kvm_cpuid_entry2 *e;

	/*
	 * Empty before the first SET.  (6.1 leaves nent as given on success,
	 * 6.12 writes the count: the tests read neither.)
	 */
	out.h.nent = 0;
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_CPUID2, &out));
	c.h.nent = 257;
	EXPECT_EQ(E2BIG, err(ioctl(self->v0, KVM_SET_CPUID2, &c)));
	c.h.nent = self->cpuid.h.nent;
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_CPUID2, &c));
	out.h.nent = c.h.nent - 1;
	EXPECT_EQ(E2BIG, err(ioctl(self->v0, KVM_GET_CPUID2, &out)));
	EXPECT_EQ(c.h.nent - 1, out.h.nent);
	out.h.nent = c.h.nent;
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_CPUID2, &out));
	EXPECT_EQ(0, memcmp(&c.e[c.h.nent - 1], &out.e[c.h.nent - 1],
			    sizeof(c.e[0])));
	/* The APIC bit follows APIC_BASE.EN (enabled at reset). */
	e = find(&c, 1, 0);
	ASSERT_NE(NULL, e);
	e->edx &= ~(1u << 9);
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_CPUID2, &c));
	out.h.nent = c.h.nent;
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_CPUID2, &out));
	EXPECT_TRUE(find(&out, 1, 0)->edx & (1u << 9));
	ASSERT_EQ(1, set_msr(self->v0, MSR_IA32_APICBASE, 0xfee00000));
	out.h.nent = c.h.nent;
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_CPUID2, &out));
	EXPECT_FALSE(find(&out, 1, 0)->edx & (1u << 9));
	/* Virtual address bits other than 0, 48, 57. */
	e = find(&c, 0x80000008, 0);
	if (e) {
		e->eax = (e->eax & ~0xff00u) | (40 << 8);
		EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_SET_CPUID2, &c)));
	}
	/* An empty table is fine. */
	c.h.nent = 0;
	EXPECT_EQ(0, ioctl(self->v0, KVM_SET_CPUID2, &c));
}

TEST_F(st, x2apic_needs_cpuid)
{
	struct kvm_sregs s;

	EXPECT_EQ(0, set_msr(self->v0, MSR_IA32_APICBASE, 0xfee00d00));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_SREGS, &s));
	s.apic_base = 0xfee00d00;
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_SET_SREGS, &s)));
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_CPUID2, &self->cpuid));
	EXPECT_EQ(0, ioctl(self->v0, KVM_SET_SREGS, &s));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_SREGS, &s));
	EXPECT_EQ(0xfee00d00, s.apic_base);
	/* Reserved bits: 0-7, 9, above MAXPHYADDR. */
	EXPECT_EQ(0, set_msr(self->v0, MSR_IA32_APICBASE, 0xfee00d01));
	EXPECT_EQ(0, set_msr(self->v0, MSR_IA32_APICBASE, 1ULL << 63));
}

TEST_F(st, regs)
{
	struct kvm_regs r;

	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_REGS, &r));
	EXPECT_EQ(0xfff0, r.rip);
	EXPECT_EQ(2, r.rflags);
	EXPECT_EQ(0x600, r.rdx);
	EXPECT_EQ(0, r.rax);
	memset(&r, 0x5a, sizeof(r));
	r.rflags = 0x200;
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_REGS, &r));
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_REGS, &r));
	EXPECT_EQ(0x202, r.rflags);
	EXPECT_EQ(0x5a5a5a5a5a5a5a5aULL, r.r15);
	EXPECT_EQ(0x5a5a5a5a5a5a5a5aULL, r.rip);
	EXPECT_EQ(EFAULT, err(ioctl(self->v0, KVM_GET_REGS, NULL)));
	EXPECT_EQ(EFAULT, err(ioctl(self->v0, KVM_SET_REGS, NULL)));
}

TEST_F(st, sregs_reset)
{
	struct kvm_sregs s, s2;

	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_SREGS, &s));
	EXPECT_EQ(0x60000010, s.cr0);
	EXPECT_EQ(0, s.cr4);
	EXPECT_EQ(0, s.efer);
	EXPECT_EQ(0xf000, s.cs.selector);
	EXPECT_EQ(0xffff0000, s.cs.base);
	EXPECT_EQ(0xffff, s.cs.limit);
	EXPECT_EQ(1, s.cs.present);
	EXPECT_EQ(1, s.cs.s);
	EXPECT_EQ(amd(&self->cpuid) ? 0xa : 0xb, s.cs.type);
	EXPECT_EQ(3, s.ds.type);
	EXPECT_EQ(0xffff, s.gdt.limit);
	EXPECT_EQ(0xffff, s.idt.limit);
	EXPECT_EQ(2, s.ldt.type);
	EXPECT_EQ(0xfee00900, s.apic_base);
	EXPECT_EQ(0, s.cr8);
	/* A GET fed back is accepted and reads back the same. */
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_SREGS, &s));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_SREGS, &s2));
	EXPECT_EQ(0, memcmp(&s, &s2, sizeof(s)));
}

/* SET_SREGS of @s with one change; returns the errno (0 on success). */
static int sregs_try(int vcpu, struct kvm_sregs s)
{
	return err(ioctl(vcpu, KVM_SET_SREGS, &s));
}

TEST_F(st, sregs_checks)
{
	struct kvm_sregs s, t;

	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_SREGS, &s));
	t = s;
	t.cr0 = 0x80000000;			/* PG without PE */
	EXPECT_EQ(EINVAL, sregs_try(self->v0, t));
	t = s;
	t.cr0 = 0x20000010;			/* NW without CD */
	EXPECT_EQ(EINVAL, sregs_try(self->v0, t));
	t = s;
	t.cr0 |= 1ULL << 32;
	EXPECT_EQ(EINVAL, sregs_try(self->v0, t));
	t = s;
	t.efer = 0x400;				/* LMA without LME and PG */
	EXPECT_EQ(EINVAL, sregs_try(self->v0, t));
	t = s;
	t.cs.l = 1;
	EXPECT_EQ(EINVAL, sregs_try(self->v0, t));
	t = s;
	t.cr4 = 1ULL << 31;			/* reserved */
	EXPECT_EQ(EINVAL, sregs_try(self->v0, t));
	t.cr4 = 1ULL << 13;			/* VMXE: kvmirq and SVM have no VMX */
	EXPECT_TRUE(!amd(&self->cpuid) || sregs_try(self->v0, t) == EINVAL);
	/* Before KVM_SET_CPUID2 only the host's CR4 bits are reserved. */
	t.cr4 = 1ULL << 18;			/* OSXSAVE */
	if (find(&self->cpuid, 1, 0)->ecx & (1u << 26)) {
		EXPECT_EQ(0, sregs_try(self->v0, t));
		find(&self->cpuid, 1, 0)->ecx &= ~(1u << 26);
		ASSERT_EQ(0, ioctl(self->v0, KVM_SET_CPUID2, &self->cpuid));
		EXPECT_EQ(EINVAL, sregs_try(self->v0, t));
		find(&self->cpuid, 1, 0)->ecx |= 1u << 26;
	}
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_CPUID2, &self->cpuid));
	EXPECT_EQ(0, sregs_try(self->v0, t));
	t = s;
	t.cr0 = 0x80000011;
	t.efer = 0x500;				/* long mode without PAE */
	EXPECT_EQ(EINVAL, sregs_try(self->v0, t));
	t.cr4 = 0x20;
	EXPECT_EQ(0, sregs_try(self->v0, t));
	t.cr3 = 1ULL << 62;			/* CR3 above MAXPHYADDR */
	EXPECT_EQ(EINVAL, sregs_try(self->v0, t));
	t = s;
	t.apic_base |= 1;
	EXPECT_EQ(EINVAL, sregs_try(self->v0, t));
	/* A CR8 with reserved bits is ignored, not refused. */
	t = s;
	t.cr8 = 0x13;
	EXPECT_EQ(0, sregs_try(self->v0, t));
	EXPECT_EQ(EFAULT, err(ioctl(self->v0, KVM_SET_SREGS, NULL)));
}

TEST_F(st, sregs_segments)
{
	struct kvm_sregs s;

	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_SREGS, &s));
	s.ds.type = 2;		/* the accessed bit is set on the way out */
	s.fs.present = 0;	/* not present reads as unusable */
	s.gs.unusable = 1;
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_SREGS, &s));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_SREGS, &s));
	EXPECT_EQ(3, s.ds.type);
	EXPECT_EQ(1, s.fs.unusable);
	EXPECT_EQ(0, s.fs.present);
	EXPECT_EQ(1, s.gs.unusable);
	EXPECT_EQ(0, s.gs.present);
}

TEST_F(st, sregs_interrupt_and_cr8)
{
	struct kvm_vcpu_events e;
	struct kvm_sregs s;

	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_SREGS, &s));
	s.interrupt_bitmap[1] = (1ULL << 0x10) | (1ULL << 0x20);	/* 0x50 */
	s.interrupt_bitmap[3] = 1;
	s.cr8 = 5;
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_SREGS, &s));
	e = get_events(self->v0);
	EXPECT_EQ(1, e.interrupt.injected);
	EXPECT_EQ(0x50, e.interrupt.nr);
	memset(&s, 0, sizeof(s));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_SREGS, &s));
	EXPECT_EQ(1ULL << 0x10, s.interrupt_bitmap[1]);
	EXPECT_EQ(0, s.interrupt_bitmap[3]);
	EXPECT_EQ(5, s.cr8);
	if (variant->split) {
		struct kvm_lapic_state l = get_lapic(self->v0);

		EXPECT_EQ(0x50, lapic_reg(&l, APIC_TASKPRI));
	}
}

TEST_F(st, sregs2)
{
	struct kvm_sregs2 s;

	ASSERT_GT(ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_SREGS2), 0);
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_SREGS2, &s));
	EXPECT_EQ(0, s.flags);
	EXPECT_EQ(0x60000010, s.cr0);
	s.flags = 2;
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_SET_SREGS2, &s)));
	s.flags = KVM_SREGS2_FLAGS_PDPTRS_VALID;	/* not PAE paging */
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_SET_SREGS2, &s)));
	s.cr0 = 0x80000011;
	s.cr4 = 0x20;
	s.pdptrs[0] = 0x1001;
	s.pdptrs[3] = 0x4001;
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_SREGS2, &s));
	memset(&s, 0, sizeof(s));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_SREGS2, &s));
	EXPECT_EQ(KVM_SREGS2_FLAGS_PDPTRS_VALID, s.flags);
	EXPECT_EQ(0x1001, s.pdptrs[0]);
	EXPECT_EQ(0x4001, s.pdptrs[3]);
	EXPECT_EQ(0x80000011, s.cr0);
}

TEST_F(st, debugregs)
{
	struct kvm_debugregs d;

	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_DEBUGREGS, &d));
	EXPECT_EQ(0xffff0ff0, d.dr6);
	EXPECT_EQ(0x400, d.dr7);
	EXPECT_EQ(0, d.flags);
	d.flags = 1;
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_SET_DEBUGREGS, &d)));
	d.flags = 0;
	d.dr6 = 1ULL << 32;
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_SET_DEBUGREGS, &d)));
	d.dr6 = 0xffff0ff0;
	d.dr7 = 1ULL << 40;
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_SET_DEBUGREGS, &d)));
	d.dr7 = 0x401;
	d.db[0] = 0x1234;
	d.db[3] = 0xffffffff81000000ULL;
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_DEBUGREGS, &d));
	memset(&d, 0, sizeof(d));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_DEBUGREGS, &d));
	EXPECT_EQ(0x401, d.dr7);
	EXPECT_EQ(0x1234, d.db[0]);
	EXPECT_EQ(0xffffffff81000000ULL, d.db[3]);
}

TEST_F(st, fpu)
{
	struct kvm_fpu f;

	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_FPU, &f));
	EXPECT_EQ(0x37f, f.fcw);
	EXPECT_EQ(0, f.mxcsr);
	f.fsw = 0x1234;
	f.ftwx = 0x81;
	f.last_ip = 0xabcdef;
	f.xmm[3][7] = 0x77;
	f.fpr[7][9] = 0x99;
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_FPU, &f));
	memset(&f, 0, sizeof(f));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_FPU, &f));
	EXPECT_EQ(0x1234, f.fsw);
	EXPECT_EQ(0x81, f.ftwx);
	EXPECT_EQ(0xabcdef, f.last_ip);
	EXPECT_EQ(0x77, f.xmm[3][7]);
	EXPECT_EQ(0x99, f.fpr[7][9]);
}

static __u64 xstate_bv(const struct kvm_xsave *x)
{
	__u64 v;

	memcpy(&v, (const char *)x->region + 512, 8);
	return v;
}

static void set_xstate_bv(struct kvm_xsave *x, __u64 v)
{
	memcpy((char *)x->region + 512, &v, 8);
}

TEST_F(st, xsave)
{
	struct kvm_xsave x, y;
	struct kvm_fpu f;
	__u32 mxcsr;

	if (!ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_XSAVE))
		SKIP(return, "no XSAVE");
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_XSAVE, &x));
	EXPECT_EQ(0x37f, x.region[0] & 0xffff);
	EXPECT_EQ(0x1f80, x.region[6]);
	EXPECT_EQ(0, xstate_bv(&x));
	/* Round trip of x87 and SSE state. */
	set_xstate_bv(&x, 3);
	x.region[6] = 0x1f81;
	x.region[40] = 0x11223344;		/* XMM0 */
	x.region[8] = 0x5566;			/* ST0 */
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_XSAVE, &x));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_XSAVE, &y));
	EXPECT_EQ(3, xstate_bv(&y));
	EXPECT_EQ(0x1f81, y.region[6]);
	EXPECT_EQ(0x11223344, y.region[40]);
	EXPECT_EQ(0x5566, y.region[8]);
	/* Errors: unsupported component, XCOMP_BV, reserved header, MXCSR. */
	y = x;
	set_xstate_bv(&y, 1ULL << 62);
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_SET_XSAVE, &y)));
	y = x;
	y.region[130] = 1;			/* XCOMP_BV */
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_SET_XSAVE, &y)));
	y = x;
	y.region[140] = 1;			/* header reserved */
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_SET_XSAVE, &y)));
	y = x;
	y.region[6] = 1u << 31;
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_SET_XSAVE, &y)));
	/* Without x87 in XSTATE_BV the x87 state reads as reset... */
	y = x;
	set_xstate_bv(&y, 2);
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_XSAVE, &y));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_XSAVE, &y));
	EXPECT_EQ(2, xstate_bv(&y));
	EXPECT_EQ(0x37f, y.region[0] & 0xffff);
	mxcsr = y.region[6];
	EXPECT_EQ(0x1f81, mxcsr);
	/* ...but the FXSAVE area keeps it, as KVM_GET_FPU shows. */
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_FPU, &f));
	EXPECT_EQ(0x5566, *(__u32 *)f.fpr[0]);
	/* AVX state is taken before KVM_SET_CPUID2 ... */
	if (supported_xcr0(&self->cpuid) & 4) {
		y = x;
		set_xstate_bv(&y, 7);
		y.region[144] = 0xaabbccdd;	/* YMM0_H at 576 */
		EXPECT_EQ(0, ioctl(self->v0, KVM_SET_XSAVE, &y));
		/* ... but not reported while the guest may not use it. */
		ASSERT_EQ(0, ioctl(self->v0, KVM_GET_XSAVE, &y));
		EXPECT_EQ(3, xstate_bv(&y));
		EXPECT_EQ(0, y.region[144]);
		ASSERT_EQ(0, ioctl(self->v0, KVM_SET_CPUID2, &self->cpuid));
		ASSERT_EQ(0, ioctl(self->v0, KVM_GET_XSAVE, &y));
		EXPECT_EQ(7, xstate_bv(&y));
		EXPECT_EQ(0xaabbccdd, y.region[144]);
	}
	EXPECT_EQ(EFAULT, err(ioctl(self->v0, KVM_SET_XSAVE, NULL)));
}

TEST_F(st, xsave2)
{
	int size = ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_XSAVE2);
	char *buf;

	if (size <= 0)
		SKIP(return, "no KVM_CAP_XSAVE2");
	EXPECT_GE(size, 4096);
	buf = calloc(1, size);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_XSAVE2, buf));
	EXPECT_EQ(0x37f, *(__u16 *)buf);
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_XSAVE, buf));
	free(buf);
}

static int set_xcr0(int vcpu, __u64 v, __u32 nr, __u32 flags)
{
	struct kvm_xcrs x = { .nr_xcrs = nr, .flags = flags };

	x.xcrs[0].xcr = 1;		/* other XCRs are ignored */
	x.xcrs[1].xcr = 0;
	x.xcrs[1].value = v;
	return err(ioctl(vcpu, KVM_SET_XCRS, &x));
}

TEST_F(st, xcrs)
{
	__u64 xcr0 = supported_xcr0(&self->cpuid);
	struct kvm_xcrs x;

	if (!ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_XCRS))
		SKIP(return, "no XCRs");
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_XCRS, &x));
	EXPECT_EQ(1, x.nr_xcrs);
	EXPECT_EQ(0, x.xcrs[0].xcr);
	EXPECT_EQ(1, x.xcrs[0].value);
	EXPECT_EQ(EINVAL, set_xcr0(self->v0, 1, 2, 1));
	EXPECT_EQ(EINVAL, set_xcr0(self->v0, 1, 17, 0));
	EXPECT_EQ(EINVAL, set_xcr0(self->v0, 3, 2, 0));	/* no CPUID yet */
	EXPECT_EQ(0, set_xcr0(self->v0, 3, 1, 0));	/* XCR0 not reached */
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_CPUID2, &self->cpuid));
	EXPECT_EQ(EINVAL, set_xcr0(self->v0, 2, 2, 0));	/* no x87 */
	EXPECT_EQ(0, set_xcr0(self->v0, 3, 2, 0));
	if (xcr0 & 4) {
		EXPECT_EQ(EINVAL, set_xcr0(self->v0, 5, 2, 0));
		EXPECT_EQ(0, set_xcr0(self->v0, 7, 2, 0));
	}
	/* AVX-512 is all or nothing (and beyond the CPUID if absent). */
	EXPECT_EQ(EINVAL, set_xcr0(self->v0, 0x27, 2, 0));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_XCRS, &x));
	EXPECT_EQ(xcr0 & 4 ? 7 : 3, x.xcrs[0].value);
}

static struct kvm_cpuid_entry2 *get_cpuid(int vcpu, struct cpuid_buf *out,
					  __u32 fn, __u32 idx)
{
	out->h.nent = 256;
	if (ioctl(vcpu, KVM_GET_CPUID2, out))
		return NULL;
	return find(out, fn, idx);
}

static int set_cr4(int vcpu, __u64 cr4)
{
	struct kvm_sregs s;

	if (ioctl(vcpu, KVM_GET_SREGS, &s))
		return errno;
	s.cr4 = cr4;
	return err(ioctl(vcpu, KVM_SET_SREGS, &s));
}

/*
 * KVM_GET_CPUID2 answers with the vcpu's state as it is now: OSXSAVE follows
 * CR4 and the XSAVE area size follows XCR0, whatever changed them and in
 * whichever order with KVM_SET_CPUID2.
 */
TEST_F(st, cpuid2_runtime_bits)
{
	__u64 xcr0 = supported_xcr0(&self->cpuid);
	struct kvm_cpuid_entry2 *e;
	struct cpuid_buf out;
	__u32 small;

	if (!(find(&self->cpuid, 1, 0)->ecx & (1u << 26)) || !find(&self->cpuid, 0xd, 0))
		SKIP(return, "no XSAVE");
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_CPUID2, &self->cpuid));
	e = get_cpuid(self->v0, &out, 1, 0);
	ASSERT_NE(NULL, e);
	EXPECT_FALSE(e->ecx & (1u << 27));
	e = get_cpuid(self->v0, &out, 0xd, 0);
	ASSERT_NE(NULL, e);
	small = e->ebx;
	EXPECT_EQ(576, small);			/* XCR0 is x87 at reset */
	ASSERT_EQ(0, set_cr4(self->v0, 1u << 18));
	EXPECT_TRUE(get_cpuid(self->v0, &out, 1, 0)->ecx & (1u << 27));
	if (xcr0 & 4) {
		ASSERT_EQ(0, set_xcr0(self->v0, 7, 2, 0));
		EXPECT_EQ(832, get_cpuid(self->v0, &out, 0xd, 0)->ebx);
		/* A new table takes the state as it is, not the reset one. */
		ASSERT_EQ(0, ioctl(self->v0, KVM_SET_CPUID2, &self->cpuid));
		EXPECT_EQ(832, get_cpuid(self->v0, &out, 0xd, 0)->ebx);
		ASSERT_EQ(0, set_xcr0(self->v0, 1, 2, 0));
		EXPECT_EQ(small, get_cpuid(self->v0, &out, 0xd, 0)->ebx);
	}
	EXPECT_TRUE(get_cpuid(self->v0, &out, 1, 0)->ecx & (1u << 27));
	ASSERT_EQ(0, set_cr4(self->v0, 0));
	EXPECT_FALSE(get_cpuid(self->v0, &out, 1, 0)->ecx & (1u << 27));
}

/* SET_MSRS of several entries: the count processed. */
static int set_msrs(int vcpu, const __u32 *idx, const __u64 *val, int n)
{
	struct {
		struct kvm_msrs h;
		struct kvm_msr_entry e[8];
	} m = { .h.nmsrs = n };
	int i;

	for (i = 0; i < n; i++) {
		m.e[i].index = idx[i];
		m.e[i].data = val[i];
	}
	return ioctl(vcpu, KVM_SET_MSRS, &m);
}

TEST_F(st, msr_rules)
{
	static const __u32 pats[] = { MSR_PAT, MSR_PAT, MSR_PAT };
	static const __u64 vals[] = { 0x0606060606060606ULL,
				      0x0202020202020202ULL, PAT_DEFAULT };
	__u64 v;

	ASSERT_EQ(1, get_msr(self->v0, MSR_PAT, &v));
	EXPECT_EQ(PAT_DEFAULT, v);
	/* KVM_SET_MSRS stops at the first failure and returns the count. */
	EXPECT_EQ(1, set_msrs(self->v0, pats, vals, 3));
	ASSERT_EQ(1, get_msr(self->v0, MSR_PAT, &v));
	EXPECT_EQ(0x0606060606060606ULL, v);
	EXPECT_EQ(0, set_msr(self->v0, 0x12345678, 0));
	EXPECT_EQ(0, get_msr(self->v0, 0x12345678, &v));
	/* MTRRs */
	ASSERT_EQ(1, get_msr(self->v0, MSR_MTRR_CAP, &v));
	EXPECT_EQ(0x508, v);
	EXPECT_EQ(0, set_msr(self->v0, MSR_MTRR_CAP, v));
	EXPECT_EQ(1, set_msr(self->v0, MSR_MTRR_DEFTYPE, 0xc06));
	EXPECT_EQ(0, set_msr(self->v0, MSR_MTRR_DEFTYPE, 0xc02));
	EXPECT_EQ(0, set_msr(self->v0, MSR_MTRR_DEFTYPE, 0x1006));
	EXPECT_EQ(1, set_msr(self->v0, MSR_MTRR_BASE0, 0x80000006));
	EXPECT_EQ(0, set_msr(self->v0, MSR_MTRR_BASE0, 0x80000106));
	EXPECT_EQ(1, set_msr(self->v0, MSR_MTRR_MASK0, 0xf80000800ULL));
	/* MAXPHYADDR 36 without CPUID */
	EXPECT_EQ(0, set_msr(self->v0, MSR_MTRR_MASK0, 0xff80000800ULL));
	ASSERT_EQ(1, get_msr(self->v0, MSR_MTRR_MASK0, &v));
	EXPECT_EQ(0xf80000800ULL, v);
	EXPECT_EQ(0, set_msr(self->v0, 0x210, 0));	/* ninth pair */
	/* MISC_ENABLE: reset value, the host may write anything. */
	ASSERT_EQ(1, get_msr(self->v0, MSR_MISC_ENABLE, &v));
	EXPECT_EQ(0x1800, v);
	EXPECT_EQ(1, set_msr(self->v0, MSR_MISC_ENABLE, 0x1801));
	/* LSTAR must be canonical. */
	EXPECT_EQ(0, set_msr(self->v0, MSR_LSTAR, 0x0100000000000000ULL));
	EXPECT_EQ(1, set_msr(self->v0, MSR_LSTAR, 0xffff800000000000ULL));
	/* EFER: reserved bits fail, LMA is kept. */
	EXPECT_EQ(0, set_msr(self->v0, MSR_EFER, 1ULL << 20));
	EXPECT_EQ(1, set_msr(self->v0, MSR_EFER, 0x401));
	ASSERT_EQ(1, get_msr(self->v0, MSR_EFER, &v));
	EXPECT_EQ(1, v);
	/* TSC moves forward from what was written. */
	EXPECT_EQ(1, set_msr(self->v0, MSR_IA32_TSC, 1ULL << 40));
	ASSERT_EQ(1, get_msr(self->v0, MSR_IA32_TSC, &v));
	EXPECT_GE(v, 1ULL << 40);
	EXPECT_LT(v, (1ULL << 40) + (1ULL << 36));
	/* UCODE_REV: the host stores anything. */
	EXPECT_EQ(1, set_msr(self->v0, MSR_IA32_UCODE_REV, 0x123ULL << 32));
	ASSERT_EQ(1, get_msr(self->v0, MSR_IA32_UCODE_REV, &v));
	EXPECT_EQ(0x123ULL << 32, v);
}

TEST_F(st, msr_vendor)
{
	struct cpuid_buf c = self->cpuid;
	struct kvm_cpuid_entry2 *e0 = find(&c, 0, 0);
	__u64 v;

	/* SYSENTER_EIP: canonical; SVM drops bits 63:32 for non-Intel guests. */
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_CPUID2, &c));
	EXPECT_EQ(1, set_msr(self->v0, MSR_IA32_SYSENTER_EIP,
			     0x0000900012345678ULL));
	ASSERT_EQ(1, get_msr(self->v0, MSR_IA32_SYSENTER_EIP, &v));
	EXPECT_EQ(0x12345678ULL, amd(&self->cpuid) ? v : v & 0xffffffff);
	/* TSC_AUX: bits 63:32 fail for an Intel guest, else are dropped. */
	if (!(find(&c, 0x80000001, 0)->edx & (1u << 27)))
		return;
	EXPECT_EQ(amd(&c), set_msr(self->v0, MSR_TSC_AUX, 0x100000005ULL));
	EXPECT_EQ(1, set_msr(self->v0, MSR_TSC_AUX, 5));
	ASSERT_EQ(1, get_msr(self->v0, MSR_TSC_AUX, &v));
	EXPECT_EQ(5, v);
	e0->ebx = 0x756e6547;	/* GenuineIntel */
	e0->edx = 0x49656e69;
	e0->ecx = 0x6c65746e;
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_CPUID2, &c));
	EXPECT_EQ(0, set_msr(self->v0, MSR_TSC_AUX, 0x100000005ULL));
	EXPECT_EQ(1, set_msr(self->v0, MSR_TSC_AUX, 6));
}

/* Every MSR of the index list reads, and takes back the value it read. */
TEST_F(st, msr_index_list)
{
	struct {
		struct kvm_msr_list h;
		__u32 idx[512];
	} l;
	struct {
		struct kvm_msrs h;
		struct kvm_msr_entry e[255];
	} m;
	__u32 i, n;
	int r;

	l.h.nmsrs = 0;
	EXPECT_EQ(E2BIG, err(ioctl(self->dev, KVM_GET_MSR_INDEX_LIST, &l)));
	n = l.h.nmsrs;
	ASSERT_GT(n, 10);
	ASSERT_LT(n, 512);
	l.h.nmsrs = 512;
	ASSERT_EQ(0, ioctl(self->dev, KVM_GET_MSR_INDEX_LIST, &l));
	EXPECT_EQ(n, l.h.nmsrs);
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_CPUID2, &self->cpuid));
	memset(&m, 0, sizeof(m));
	m.h.nmsrs = 0;
	for (i = 0; i < n && m.h.nmsrs < 255; i++) {
		/* KVM ABI: ASYNC_PF_INT refuses any write without a LAPIC. */
		if (!variant->split && l.idx[i] == 0x4b564d06)
			continue;
		/* KVM ABI: STEAL_TIME refuses writes without CONFIG_SCHED_INFO. */
		if (l.idx[i] == 0x4b564d03)
			continue;
		/* Hyper-V MSRs need Hyper-V CPUID; kvmirq lists none. */
		if (l.idx[i] >= 0x40000000 && l.idx[i] < 0x40000200)
			continue;
		/* PMU counters depend on the host's PMU. */
		if ((l.idx[i] >= 0xc1 && l.idx[i] < 0xd0) ||
		    (l.idx[i] >= 0x186 && l.idx[i] < 0x190) ||
		    (l.idx[i] >= 0x309 && l.idx[i] < 0x400) ||
		    (l.idx[i] >= 0xc0010000 && l.idx[i] < 0xc0010008) ||
		    (l.idx[i] >= 0xc0010200 && l.idx[i] < 0xc0010210))
			continue;
		m.e[m.h.nmsrs++].index = l.idx[i];
	}
	n = m.h.nmsrs;
	r = ioctl(self->v0, KVM_GET_MSRS, &m);
	EXPECT_EQ(n, r) TH_LOG("GET stops at %#x", m.e[r].index);
	r = ioctl(self->v0, KVM_SET_MSRS, &m);
	EXPECT_EQ(n, r) TH_LOG("SET stops at %#x = %#llx", m.e[r].index,
			       (unsigned long long)m.e[r].data);
	m.h.nmsrs = 256;
	EXPECT_EQ(E2BIG, err(ioctl(self->v0, KVM_GET_MSRS, &m)));
}

TEST_F(st, msr_features)
{
	struct {
		struct kvm_msr_list h;
		__u32 idx[256];
	} l;
	struct {
		struct kvm_msrs h;
		struct kvm_msr_entry e[2];
	} m = { .h.nmsrs = 2 };

	if (!ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_GET_MSR_FEATURES))
		SKIP(return, "no feature MSRs");
	l.h.nmsrs = 0;
	EXPECT_EQ(E2BIG,
		  err(ioctl(self->dev, KVM_GET_MSR_FEATURE_INDEX_LIST, &l)));
	EXPECT_GT(l.h.nmsrs, 0);
	l.h.nmsrs = 256;
	ASSERT_EQ(0, ioctl(self->dev, KVM_GET_MSR_FEATURE_INDEX_LIST, &l));
	m.e[0].index = MSR_IA32_UCODE_REV;
	m.e[1].index = 0x12345678;	/* not a feature MSR */
	EXPECT_EQ(1, ioctl(self->dev, KVM_GET_MSRS, &m));
}

TEST_F(st, mce)
{
	struct kvm_x86_mce mce = { .bank = 0 };
	__u64 cap, v;

	ASSERT_EQ(0, ioctl(self->dev, KVM_X86_GET_MCE_CAP_SUPPORTED, &cap));
	EXPECT_TRUE(cap & MCG_CTL_P);
	EXPECT_EQ(32, ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_MCE));
	/* Before setup: 32 banks with MCi_CTL 0, MCG_CTL only 0. */
	ASSERT_EQ(1, get_msr(self->v0, MSR_MCG_CAP, &v));
	EXPECT_EQ(32, v);
	ASSERT_EQ(1, get_msr(self->v0, MSR_MC0_CTL + 4 * 31, &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, get_msr(self->v0, MSR_MC0_CTL + 4 * 32, &v));
	EXPECT_EQ(1, set_msr(self->v0, MSR_MC0_CTL, 0));
	EXPECT_EQ(1, set_msr(self->v0, MSR_MCG_CTL, 0));
	EXPECT_EQ(0, set_msr(self->v0, MSR_MCG_CTL, ~0ULL));
	mce.bank = 32;
	mce.status = MCI_STATUS_VAL;
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_X86_SET_MCE, &mce)));
	v = 0;
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_X86_SETUP_MCE, &v)));
	v = 33 | MCG_CTL_P;
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_X86_SETUP_MCE, &v)));
	v = 10 | MCG_CTL_P | (1ULL << 9);	/* MCG_EXT_P: unsupported */
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_X86_SETUP_MCE, &v)));
	v = 10 | MCG_CTL_P;
	ASSERT_EQ(0, ioctl(self->v0, KVM_X86_SETUP_MCE, &v));
	ASSERT_EQ(1, get_msr(self->v0, MSR_MCG_CAP, &v));
	EXPECT_EQ(10 | MCG_CTL_P, v);
	EXPECT_EQ(0, set_msr(self->v0, MSR_MCG_CAP, v));
	ASSERT_EQ(1, get_msr(self->v0, MSR_MCG_CTL, &v));
	EXPECT_EQ(~0ULL, v);
	ASSERT_EQ(1, get_msr(self->v0, MSR_MC0_CTL + 36, &v));	/* MC9_CTL */
	EXPECT_EQ(~0ULL, v);
	EXPECT_EQ(0, get_msr(self->v0, MSR_MC0_CTL + 40, &v));
	EXPECT_EQ(0, set_msr(self->v0, MSR_MC0_CTL, 5));
	EXPECT_EQ(1, set_msr(self->v0, MSR_MC0_CTL, ~(1ULL << 10)));
	EXPECT_EQ(1, set_msr(self->v0, MSR_MC0_STATUS, 0x1234));
	EXPECT_EQ(0, set_msr(self->v0, MSR_MCG_CTL, 5));
	/* A corrected error is logged, a second one sets OVER. */
	mce.bank = 10;
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_X86_SET_MCE, &mce)));
	mce.bank = 1;
	mce.status = 0;
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_X86_SET_MCE, &mce)));
	mce.status = MCI_STATUS_VAL | 0x17;
	mce.addr = 0x1000;
	ASSERT_EQ(0, ioctl(self->v0, KVM_X86_SET_MCE, &mce));
	ASSERT_EQ(1, get_msr(self->v0, MSR_MC0_STATUS + 4, &v));
	EXPECT_EQ(MCI_STATUS_VAL | 0x17, v);
	ASSERT_EQ(0, ioctl(self->v0, KVM_X86_SET_MCE, &mce));
	ASSERT_EQ(1, get_msr(self->v0, MSR_MC0_STATUS + 4, &v));
	EXPECT_EQ(MCI_STATUS_VAL | MCI_STATUS_OVER | 0x17, v);
	ASSERT_EQ(1, get_msr(self->v0, MSR_MC0_STATUS + 5, &v));
	EXPECT_EQ(0x1000, v);
}

TEST_F(st, tsc)
{
	int khz = ioctl(self->v0, KVM_GET_TSC_KHZ);
	struct kvm_device_attr a = { .group = KVM_VCPU_TSC_CTRL,
				     .attr = KVM_VCPU_TSC_OFFSET };
	__u64 off, tsc;

	ASSERT_GT(ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_GET_TSC_KHZ), 0);
	ASSERT_GT(khz, 0);
	EXPECT_EQ(0, ioctl(self->v0, KVM_SET_TSC_KHZ, khz));
	EXPECT_EQ(0, ioctl(self->v0, KVM_SET_TSC_KHZ, 0));
	EXPECT_EQ(khz, ioctl(self->v0, KVM_GET_TSC_KHZ));
	if (!ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_TSC_CONTROL)) {
		/* Without scaling: slower fails (yet is reported), faster is
		 * caught up with.
		 */
		EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_SET_TSC_KHZ,
					    khz / 2)));
		EXPECT_EQ(khz / 2, ioctl(self->v0, KVM_GET_TSC_KHZ));
		EXPECT_EQ(0, ioctl(self->v0, KVM_SET_TSC_KHZ, khz * 2));
	}
	/* KVM_VCPU_TSC_CTRL */
	if (!ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_VCPU_ATTRIBUTES))
		return;
	EXPECT_EQ(0, ioctl(self->v0, KVM_HAS_DEVICE_ATTR, &a));
	a.attr = 1;
	EXPECT_EQ(ENXIO, err(ioctl(self->v0, KVM_HAS_DEVICE_ATTR, &a)));
	EXPECT_EQ(ENXIO, err(ioctl(self->v0, KVM_GET_DEVICE_ATTR, &a)));
	a.attr = 0;
	a.group = 1;
	EXPECT_EQ(ENXIO, err(ioctl(self->v0, KVM_HAS_DEVICE_ATTR, &a)));
	a.group = KVM_VCPU_TSC_CTRL;
	a.addr = (__u64)(uintptr_t)&off;
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_DEVICE_ATTR, &a));
	off += 1ULL << 50;
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_DEVICE_ATTR, &a));
	ASSERT_EQ(1, get_msr(self->v0, MSR_IA32_TSC, &tsc));
	EXPECT_GE(tsc, 1ULL << 50);
	a.addr = 8;
	EXPECT_EQ(EFAULT, err(ioctl(self->v0, KVM_GET_DEVICE_ATTR, &a)));
}

TEST_F(st, controls)
{
	struct {
		struct kvm_signal_mask h;
		__u64 set;
	} sm = { .h.len = 4 };
	struct kvm_tpr_access_ctl tac = { .enabled = 1, .flags = 1 };
	struct kvm_guest_debug dbg = { .control = KVM_GUESTDBG_ENABLE |
						  KVM_GUESTDBG_INJECT_DB };
	struct kvm_vapic_addr va = { .vapic_addr = 0 };
	struct kvm_vcpu_events e;

	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_SET_SIGNAL_MASK, &sm)));
	sm.h.len = 8;
	EXPECT_EQ(0, ioctl(self->v0, KVM_SET_SIGNAL_MASK, &sm));
	EXPECT_EQ(0, ioctl(self->v0, KVM_SET_SIGNAL_MASK, NULL));
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_TPR_ACCESS_REPORTING, &tac)));
	tac.flags = 0;
	EXPECT_EQ(0, ioctl(self->v0, KVM_TPR_ACCESS_REPORTING, &tac));
	/* KVMCLOCK_CTRL needs an enabled kvmclock. */
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_KVMCLOCK_CTRL, 0)));
	ASSERT_EQ(1, set_msr(self->v0, MSR_KVM_SYSTEM_TIME_NEW, 0x1001));
	EXPECT_EQ(0, ioctl(self->v0, KVM_KVMCLOCK_CTRL, 0));
	/* SET_VAPIC_ADDR needs an in-kernel LAPIC. */
	EXPECT_EQ(variant->split ? 0 : EINVAL,
		  err(ioctl(self->v0, KVM_SET_VAPIC_ADDR, &va)));
	va.vapic_addr = 0x1000;		/* no memory there */
	EXPECT_EQ(EINVAL, err(ioctl(self->v0, KVM_SET_VAPIC_ADDR, &va)));
	/* Guest debug: an injected #DB; a second one is busy. */
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_GUEST_DEBUG, &dbg));
	e = get_events(self->v0);
	EXPECT_EQ(1, e.exception.injected);
	EXPECT_EQ(1, e.exception.nr);
	EXPECT_EQ(EBUSY, err(ioctl(self->v0, KVM_SET_GUEST_DEBUG, &dbg)));
	dbg.control = 0;
	EXPECT_EQ(0, ioctl(self->v0, KVM_SET_GUEST_DEBUG, &dbg));
}

/* KVM_SET_REGS drops a pending exception (KVM_SET_GUEST_DEBUG's #DB). */
TEST_F(st, regs_drop_pending_exception)
{
	struct kvm_guest_debug dbg = { .control = KVM_GUESTDBG_ENABLE |
						  KVM_GUESTDBG_INJECT_DB };
	struct kvm_regs r;

	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_GUEST_DEBUG, &dbg));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_REGS, &r));
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_REGS, &r));
	EXPECT_EQ(0, get_events(self->v0).exception.injected);
}

TEST_F(st, run_fails)
{
	KVMIRQ_ONLY();
	EXPECT_EQ(EOPNOTSUPP, err(ioctl(self->v0, KVM_RUN, 0)));
}

/* A full QEMU-style save on one vcpu restores onto a new one. */
TEST_F(st, save_restore)
{
	struct kvm_regs r, r2;
	struct kvm_sregs2 s, s2;
	struct kvm_xsave x, x2;
	struct kvm_xcrs xc, xc2;
	struct kvm_debugregs d, d2;
	int v1;

	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_CPUID2, &self->cpuid));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_REGS, &r));
	r.rax = 0x1234;
	r.rflags = 0x246;
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_REGS, &r));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_SREGS2, &s));
	s.cr0 = 0x80050033;
	s.cr4 = 0x20;
	s.efer = 0x500;
	s.cr3 = 0x100000;
	s.cs.l = 1;
	s.cs.type = 0xb;
	s.cs.base = 0;
	s.cs.selector = 0x10;
	s.cs.limit = 0xffffffff;
	s.cs.g = 1;
	ASSERT_EQ(0, ioctl(self->v0, KVM_SET_SREGS2, &s));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_SREGS2, &s));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_XSAVE, &x));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_XCRS, &xc));
	ASSERT_EQ(0, ioctl(self->v0, KVM_GET_DEBUGREGS, &d));

	v1 = ioctl(self->vm, KVM_CREATE_VCPU, 1);
	ASSERT_GE(v1, 0);
	ASSERT_EQ(0, ioctl(v1, KVM_SET_CPUID2, &self->cpuid));
	ASSERT_EQ(0, ioctl(v1, KVM_SET_REGS, &r));
	ASSERT_EQ(0, ioctl(v1, KVM_SET_XSAVE, &x));
	ASSERT_EQ(0, ioctl(v1, KVM_SET_XCRS, &xc));
	s.apic_base &= ~0x100ULL;	/* not the BSP */
	ASSERT_EQ(0, ioctl(v1, KVM_SET_SREGS2, &s));
	ASSERT_EQ(0, ioctl(v1, KVM_SET_DEBUGREGS, &d));
	ASSERT_EQ(0, ioctl(v1, KVM_GET_REGS, &r2));
	ASSERT_EQ(0, ioctl(v1, KVM_GET_SREGS2, &s2));
	ASSERT_EQ(0, ioctl(v1, KVM_GET_XSAVE, &x2));
	ASSERT_EQ(0, ioctl(v1, KVM_GET_XCRS, &xc2));
	ASSERT_EQ(0, ioctl(v1, KVM_GET_DEBUGREGS, &d2));
	EXPECT_EQ(0, memcmp(&r, &r2, sizeof(r)));
	EXPECT_EQ(0, memcmp(&s, &s2, sizeof(s)));
	EXPECT_EQ(0, memcmp(&x, &x2, sizeof(x)));
	EXPECT_EQ(0, memcmp(&xc, &xc2, sizeof(xc)));
	EXPECT_EQ(0, memcmp(&d, &d2, sizeof(d)));
	close(v1);
}

TEST_HARNESS_MAIN
