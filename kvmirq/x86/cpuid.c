// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: CPUID.  KVM_GET_SUPPORTED_CPUID on /dev/kvmirq describes the CPU
 * kvmirq stands behind; KVM_SET/GET_CPUID2 keep a vcpu's table and derive
 * from it what KVM derives (MAXPHYADDR, the XCR0 a guest may enable, CR4
 * reserved bits, whether x2APIC mode is allowed).
 *
 * How the supported table is made (at module load, once): the host's own
 * CPUID for the leaves below, each register ANDed with an allow-list of the
 * features kvmirq can keep the state of.  No guest runs, so a feature that
 * is only instructions (SSE4.2, AES, BMI...) costs nothing and is passed
 * through; a feature with state is listed only when kvmirq saves and
 * restores that state (XSAVE components, TSC_ADJUST, RDTSCP's TSC_AUX,
 * MTRR/PAT/MCE/MCA MSRs, the LAPIC and x2APIC, kvmclock and the KVM PV MSRs).
 * Left out: VMX/SVM (no nested state), PMU (leaf 0xA), MPX, PT, SGX, AMX,
 * CET, XSAVES, WAITPKG, speculation-control MSRs, MONITOR/MWAIT, PDCM.
 * Leaves: 0, 1, 7.0, 0xD (one entry per supported component),
 * 0x40000000-1 (KVM signature and PV features), 0x80000000, 0x80000001,
 * 0x80000007 (invariant TSC) and 0x80000008 (address sizes).  Like KVM,
 * x2APIC is set whatever the host has: the LAPIC is kvmirq's own.
 */
#include <linux/kvm_para.h>
#include <linux/sched/stat.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/processor.h>

#include "lapic.h"
#include "vcpu_state.h"

#define KVMIRQ_SUPPORTED_MAX	64

/* CR4 bits, as <asm/processor-flags.h> (kept local: uapi names differ). */
#define CR4_VME		BIT_ULL(0)
#define CR4_PVI		BIT_ULL(1)
#define CR4_TSD		BIT_ULL(2)
#define CR4_DE		BIT_ULL(3)
#define CR4_PSE		BIT_ULL(4)
#define CR4_PAE		BIT_ULL(5)
#define CR4_MCE		BIT_ULL(6)
#define CR4_PGE		BIT_ULL(7)
#define CR4_PCE		BIT_ULL(8)
#define CR4_OSFXSR	BIT_ULL(9)
#define CR4_OSXMMEXCPT	BIT_ULL(10)
#define CR4_UMIP	BIT_ULL(11)
#define CR4_LA57	BIT_ULL(12)
#define CR4_VMXE	BIT_ULL(13)
#define CR4_FSGSBASE	BIT_ULL(16)
#define CR4_PCIDE	BIT_ULL(17)
#define CR4_OSXSAVE	BIT_ULL(18)
#define CR4_SMEP	BIT_ULL(20)
#define CR4_SMAP	BIT_ULL(21)
#define CR4_PKE		BIT_ULL(22)

/* KVM ABI: CR4_RESERVED_BITS of 6.1, before any CPUID-dependent bit. */
#define CR4_KNOWN	(CR4_VME | CR4_PVI | CR4_TSD | CR4_DE | CR4_PSE |     \
			 CR4_PAE | CR4_MCE | CR4_PGE | CR4_PCE | CR4_OSFXSR | \
			 CR4_PCIDE | CR4_OSXSAVE | CR4_SMEP | CR4_FSGSBASE |  \
			 CR4_OSXMMEXCPT | CR4_LA57 | CR4_VMXE | CR4_SMAP |    \
			 CR4_PKE | CR4_UMIP)

/* Feature bits used below: leaf, register, bit. */
#define F1_ECX_VMX	5
#define F1_ECX_PCID	17
#define F1_ECX_X2APIC	21
#define F1_ECX_XSAVE	26
#define F1_ECX_OSXSAVE	27
#define F1_EDX_APIC	9
#define F7_EBX_FSGSBASE	0
#define F7_EBX_TSC_ADJ	1
#define F7_EBX_SMEP	7
#define F7_EBX_SMAP	20
#define F7_ECX_UMIP	2
#define F7_ECX_PKU	3
#define F7_ECX_OSPKE	4
#define F7_ECX_LA57	16
#define FD1_EAX_XSAVEC	1
#define FD1_EAX_XSAVES	3

/*
 * The allow-lists, bit by bit as in <asm/cpufeatures.h>; see the file
 * comment for what is left out and why.
 */
/* FPU VME DE PSE TSC MSR PAE MCE CX8 APIC SEP MTRR PGE MCA CMOV PAT PSE36
 * CLFLUSH MMX FXSR SSE SSE2 SS
 */
#define ALLOW_1_EDX	0x0f8bfbffU
/* SSE3 PCLMULQDQ SSSE3 FMA CX16 PCID SSE4.1 SSE4.2 x2APIC MOVBE POPCNT AES
 * XSAVE AVX F16C RDRAND
 */
#define ALLOW_1_ECX	0x76fa3203U
/* FSGSBASE TSC_ADJUST BMI1 HLE AVX2 FDP_EXCPTN SMEP BMI2 ERMS INVPCID RTM
 * ZERO_FCS_FDS AVX512F/DQ RDSEED ADX SMAP AVX512IFMA CLFLUSHOPT CLWB
 * AVX512PF/ER/CD SHA AVX512BW/VL
 */
#define ALLOW_7_EBX	0xfdbf2ffbU
/* AVX512VBMI PKU AVX512VBMI2 GFNI VAES VPCLMULQDQ AVX512VNNI/BITALG
 * VPOPCNTDQ LA57 RDPID CLDEMOTE MOVDIRI MOVDIR64B
 */
#define ALLOW_7_ECX	0x1a415f4aU
/* AVX512_4VNNIW/4FMAPS FSRM VP2INTERSECT SERIALIZE TSXLDTRK AVX512_FP16 */
#define ALLOW_7_EDX	0x0081411cU
/* XSAVEOPT XGETBV1 */
#define ALLOW_D1_EAX	0x00000005U
/* LAHF_LM CMP_LEGACY ABM SSE4A MISALIGNSSE 3DNOWPREFETCH XOP FMA4 TBM
 * TOPOEXT CR8_LEGACY
 */
#define ALLOW_81_ECX	0x006109f3U
/* the leaf 1 EDX bits AMD repeats, SYSCALL NX MMXEXT FXSR_OPT GBPAGES
 * RDTSCP LM 3DNOWEXT 3DNOW
 */
#define ALLOW_81_EDX	0xefd3fbffU
/* INVTSC */
#define ALLOW_87_EDX	0x00000100U
/* CLZERO XSAVEERPTR WBNOINVD */
#define ALLOW_88_EBX	0x00000205U

static struct kvm_cpuid_entry2 kvmirq_supported[KVMIRQ_SUPPORTED_MAX];
static unsigned int kvmirq_nr_supported;
static bool kvmirq_host_is_amd;

bool kvmirq_x86_host_amd(void)
{
	return kvmirq_host_is_amd;
}

static struct kvm_cpuid_entry2 *kvmirq_cpuid_supported_add(u32 function,
							   u32 index,
							   u32 flags)
{
	struct kvm_cpuid_entry2 *e;

	if (WARN_ON_ONCE(kvmirq_nr_supported >= KVMIRQ_SUPPORTED_MAX))
		return NULL;
	e = &kvmirq_supported[kvmirq_nr_supported++];
	e->function = function;
	e->index = index;
	e->flags = flags;
	cpuid_count(function, index, &e->eax, &e->ebx, &e->ecx, &e->edx);
	return e;
}

static void kvmirq_cpuid_supported_add_xsave(void)
{
	u64 xcr0 = kvmirq_supported_xcr0();
	struct kvm_cpuid_entry2 *e;
	int i;

	e = kvmirq_cpuid_supported_add(0xd, 0, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
	if (!e)
		return;
	e->eax = lower_32_bits(xcr0);
	e->edx = upper_32_bits(xcr0);
	e->ebx = kvmirq_xstate_size(xcr0);
	e->ecx = e->ebx;
	e = kvmirq_cpuid_supported_add(0xd, 1, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
	if (!e)
		return;
	e->eax &= ALLOW_D1_EAX;
	e->ebx = 0;
	e->ecx = 0;
	e->edx = 0;
	for (i = 2; i < 64; i++) {
		if (!(xcr0 & BIT_ULL(i)))
			continue;
		e = kvmirq_cpuid_supported_add(0xd, i, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
		if (e)
			e->edx = 0;
	}
}

static void kvmirq_cpuid_supported_add_kvm_leaves(void)
{
	struct kvm_cpuid_entry2 *e;
	u32 features;

	e = kvmirq_cpuid_supported_add(KVM_CPUID_SIGNATURE, 0, 0);
	if (!e)
		return;
	/* "KVMKVMKVM\0\0\0", as KVM */
	e->eax = KVM_CPUID_FEATURES;
	e->ebx = 0x4b4d564b;
	e->ecx = 0x564b4d56;
	e->edx = 0x4d;
	features = BIT(KVM_FEATURE_CLOCKSOURCE) |
		   BIT(KVM_FEATURE_NOP_IO_DELAY) |
		   BIT(KVM_FEATURE_CLOCKSOURCE2) |
		   BIT(KVM_FEATURE_ASYNC_PF) |
		   BIT(KVM_FEATURE_PV_EOI) |
		   BIT(KVM_FEATURE_PV_UNHALT) |
		   BIT(KVM_FEATURE_ASYNC_PF_VMEXIT) |
		   BIT(KVM_FEATURE_POLL_CONTROL) |
		   BIT(KVM_FEATURE_ASYNC_PF_INT) |
		   BIT(KVM_FEATURE_CLOCKSOURCE_STABLE_BIT);
	/* KVM ABI: steal time needs the scheduler's run-delay accounting. */
	if (sched_info_on())
		features |= BIT(KVM_FEATURE_STEAL_TIME);
	e = kvmirq_cpuid_supported_add(KVM_CPUID_FEATURES, 0, 0);
	if (!e)
		return;
	e->eax = features;
	e->ebx = 0;
	e->ecx = 0;
	e->edx = 0;
}

static void kvmirq_cpuid_supported_add_extended(void)
{
	struct kvm_cpuid_entry2 *e;
	u32 max;

	e = kvmirq_cpuid_supported_add(0x80000000, 0, 0);
	if (!e)
		return;
	max = e->eax;
	e->eax = min(max, 0x80000008U);
	if (max < 0x80000001)
		return;
	e = kvmirq_cpuid_supported_add(0x80000001, 0, 0);
	if (!e)
		return;
	e->ecx &= ALLOW_81_ECX;
	e->edx &= ALLOW_81_EDX;
	e->eax = 0;
	e->ebx = 0;
	if (max >= 0x80000007) {
		e = kvmirq_cpuid_supported_add(0x80000007, 0, 0);
		if (e) {
			e->edx &= ALLOW_87_EDX;
			e->eax = 0;
			e->ebx = 0;
			e->ecx = 0;
		}
	}
	if (max >= 0x80000008) {
		e = kvmirq_cpuid_supported_add(0x80000008, 0, 0);
		if (e) {
			e->eax &= 0xffff;
			e->ebx &= ALLOW_88_EBX;
			e->ecx = 0;
			e->edx = 0;
		}
	}
}

static void kvmirq_cpuid_supported_add_basic(void)
{
	u64 xcr0 = kvmirq_supported_xcr0();
	struct kvm_cpuid_entry2 *e;
	u32 max;

	e = kvmirq_cpuid_supported_add(0, 0, 0);
	if (!e)
		return;
	max = e->eax;
	e->eax = min(max, 0xdU);
	e = kvmirq_cpuid_supported_add(1, 0, 0);
	if (!e)
		return;
	e->edx &= ALLOW_1_EDX;
	e->ecx &= ALLOW_1_ECX;
	e->ecx |= BIT(F1_ECX_X2APIC);
	if (!(xcr0 & XFEATURE_MASK_YMM))
		e->ecx &= ~(BIT(28) | BIT(12) | BIT(29));	/* AVX FMA F16C */
	if (!xcr0)
		e->ecx &= ~BIT(F1_ECX_XSAVE);
	if (max >= 7) {
		e = kvmirq_cpuid_supported_add(7, 0, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
		if (e) {
			e->eax = 0;
			e->ebx &= ALLOW_7_EBX;
			e->ebx |= BIT(F7_EBX_TSC_ADJ);
			e->ecx &= ALLOW_7_ECX;
			e->edx &= ALLOW_7_EDX;
			if (!(xcr0 & XFEATURE_MASK_YMM))
				e->ebx &= ~BIT(5);		/* AVX2 */
			if ((xcr0 & XFEATURE_MASK_AVX512) !=
			    XFEATURE_MASK_AVX512) {
				e->ebx &= ~0xdc230000U;	/* AVX-512 */
				e->ecx &= ~0x00005842U;
				e->edx &= ~0x0080010cU;
			}
			if (!(xcr0 & XFEATURE_MASK_PKRU))
				e->ecx &= ~BIT(F7_ECX_PKU);
		}
	}
	if (max >= 0xd && xcr0)
		kvmirq_cpuid_supported_add_xsave();
}

/**
 * kvmirq_cpuid_module_init() - build the supported CPUID table at load
 *
 * Return: 0.
 */
int kvmirq_cpuid_module_init(void)
{
	kvmirq_host_is_amd = boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
			     boot_cpu_data.x86_vendor == X86_VENDOR_HYGON;
	kvmirq_nr_supported = 0;
	kvmirq_cpuid_supported_add_basic();
	kvmirq_cpuid_supported_add_kvm_leaves();
	kvmirq_cpuid_supported_add_extended();
	kvmirq_msr_list_init();
	return 0;
}

static int kvmirq_cpuid_index(const struct kvm_cpuid_entry2 *e, u32 nent,
			      u32 function, u32 index)
{
	u32 i;

	for (i = 0; i < nent; i++) {
		if (e[i].function != function)
			continue;
		/* KVM ABI: an entry without SIGNIFCANT_INDEX matches any. */
		if (!(e[i].flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) ||
		    e[i].index == index)
			return i;
	}
	return -1;
}

static const struct kvm_cpuid_entry2 *
kvmirq_cpuid_find(const struct kvm_cpuid_entry2 *e, u32 nent, u32 function, u32 index)
{
	int i = kvmirq_cpuid_index(e, nent, function, index);

	return i < 0 ? NULL : &e[i];
}

/* A vcpu table's entry, to be written (the runtime leaves). */
static struct kvm_cpuid_entry2 *
kvmirq_cpuid_entry(struct kvmirq_x86_cpuid *c, u32 function, u32 index)
{
	int i = kvmirq_cpuid_index(c->e, c->nent, function, index);

	return i < 0 ? NULL : &c->e[i];
}

const struct kvm_cpuid_entry2 *kvmirq_supported_cpuid(u32 function, u32 index)
{
	return kvmirq_cpuid_find(kvmirq_supported, kvmirq_nr_supported, function,
			  index);
}

static u32 kvmirq_cpuid_reg(const struct kvm_cpuid_entry2 *e, int reg)
{
	switch (reg) {
	case KVMIRQ_EAX:
		return e->eax;
	case KVMIRQ_EBX:
		return e->ebx;
	case KVMIRQ_ECX:
		return e->ecx;
	default:
		return e->edx;
	}
}

bool kvmirq_supported_has(u32 function, u32 index, int reg, int bit)
{
	const struct kvm_cpuid_entry2 *e = kvmirq_supported_cpuid(function,
								   index);

	return e && (kvmirq_cpuid_reg(e, reg) & BIT(bit));
}

static struct kvmirq_x86_cpuid *kvmirq_cpuid_state(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_state *st = kvmirq_x86_vcpu(vcpu)->st;

	/* The LAPIC's APIC-base checks come here before any state ioctl. */
	return st ? st->cpuid : NULL;
}

const struct kvm_cpuid_entry2 *kvmirq_vcpu_cpuid(struct kvmirq_vcpu *vcpu,
						 u32 function, u32 index)
{
	struct kvmirq_x86_cpuid *c = kvmirq_cpuid_state(vcpu);

	return c ? kvmirq_cpuid_find(c->e, c->nent, function, index) : NULL;
}

static bool kvmirq_cpuid_table_has(struct kvmirq_x86_cpuid *c, u32 function,
				   u32 index,
				   int reg, int bit)
{
	const struct kvm_cpuid_entry2 *e = kvmirq_cpuid_find(c->e, c->nent, function,
						      index);

	return e && (kvmirq_cpuid_reg(e, reg) & BIT(bit));
}

/* KVM ABI: the default MAXPHYADDR is 36, without CPUID or leaf 0x80000008. */
u8 kvmirq_vcpu_maxphyaddr(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_cpuid *c = kvmirq_cpuid_state(vcpu);

	return c ? c->maxphyaddr : 36;
}

bool kvmirq_vcpu_x2apic_allowed(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_cpuid *c = kvmirq_cpuid_state(vcpu);

	return c && c->x2apic;
}

/* KVM ABI: kvm_set_apic_base()'s reserved bits. */
u64 kvmirq_vcpu_apic_base_rsvd(struct kvmirq_vcpu *vcpu)
{
	u64 rsvd = GENMASK_ULL(63, kvmirq_vcpu_maxphyaddr(vcpu)) | 0x2ff;

	if (!kvmirq_vcpu_x2apic_allowed(vcpu))
		rsvd |= KVMIRQ_APIC_BASE_EXTD;
	return rsvd;
}

/* CR4 bits reserved for @has (a CPUID table or the supported one). */
static u64 kvmirq_cpuid_cr4_rsvd_for(bool (*has)(void *, u32, u32, int, int), void *c)
{
	u64 rsvd = ~CR4_KNOWN;

	if (!has(c, 1, 0, KVMIRQ_ECX, F1_ECX_XSAVE))
		rsvd |= CR4_OSXSAVE;
	if (!has(c, 7, 0, KVMIRQ_EBX, F7_EBX_SMEP))
		rsvd |= CR4_SMEP;
	if (!has(c, 7, 0, KVMIRQ_EBX, F7_EBX_SMAP))
		rsvd |= CR4_SMAP;
	if (!has(c, 7, 0, KVMIRQ_EBX, F7_EBX_FSGSBASE))
		rsvd |= CR4_FSGSBASE;
	if (!has(c, 7, 0, KVMIRQ_ECX, F7_ECX_PKU))
		rsvd |= CR4_PKE;
	if (!has(c, 7, 0, KVMIRQ_ECX, F7_ECX_LA57))
		rsvd |= CR4_LA57;
	if (!has(c, 7, 0, KVMIRQ_ECX, F7_ECX_UMIP))
		rsvd |= CR4_UMIP;
	if (!has(c, 1, 0, KVMIRQ_ECX, F1_ECX_VMX))
		rsvd |= CR4_VMXE;
	if (!has(c, 1, 0, KVMIRQ_ECX, F1_ECX_PCID))
		rsvd |= CR4_PCIDE;
	return rsvd;
}

static bool kvmirq_cpuid_supported_has_cb(void *unused, u32 f, u32 i, int reg, int bit)
{
	return kvmirq_supported_has(f, i, reg, bit);
}

static bool kvmirq_cpuid_table_has_cb(void *c, u32 f, u32 i, int reg, int bit)
{
	return c && kvmirq_cpuid_table_has(c, f, i, reg, bit);
}

/*
 * KVM ABI: kvm_is_valid_cr4(): the host's reserved bits, then the guest's,
 * which KVM computes only at KVM_SET_CPUID2 (none before).
 */
u64 kvmirq_vcpu_cr4_rsvd(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_cpuid *c = kvmirq_cpuid_state(vcpu);

	return kvmirq_cpuid_cr4_rsvd_for(kvmirq_cpuid_supported_has_cb, NULL) |
	       (c ? c->cr4_rsvd : 0);
}

/* The guest's CPUID has the bit (an empty CPUID has none). */
bool kvmirq_vcpu_has(struct kvmirq_vcpu *vcpu, u32 function, int reg,
		     int bit)
{
	struct kvmirq_x86_cpuid *c = kvmirq_cpuid_state(vcpu);

	return c && kvmirq_cpuid_table_has(c, function, 0, reg, bit);
}

u64 kvmirq_vcpu_xcr0_allowed(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_cpuid *c = kvmirq_cpuid_state(vcpu);

	return c ? c->xcr0 : 0;
}

bool kvmirq_vcpu_intel(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_cpuid *c = kvmirq_cpuid_state(vcpu);

	return c && c->intel;
}

/* What KVM's kvm_vcpu_after_set_cpuid() derives from a new table. */
static void kvmirq_cpuid_derive(struct kvmirq_x86_cpuid *c)
{
	const struct kvm_cpuid_entry2 *e;

	c->maxphyaddr = 36;
	e = kvmirq_cpuid_find(c->e, c->nent, 0x80000000, 0);
	if (e && e->eax >= 0x80000008) {
		e = kvmirq_cpuid_find(c->e, c->nent, 0x80000008, 0);
		if (e)
			c->maxphyaddr = e->eax & 0xff;
	}
	/* KVM ABI: a MAXPHYADDR above 63 would make every GPA legal. */
	c->maxphyaddr = min_t(u8, c->maxphyaddr, 63);
	e = kvmirq_cpuid_find(c->e, c->nent, 0xd, 0);
	c->xcr0 = e ? ((u64)e->edx << 32 | e->eax) & kvmirq_supported_xcr0() :
		      0;
	c->cr4_rsvd = kvmirq_cpuid_cr4_rsvd_for(kvmirq_cpuid_table_has_cb, c);
	c->x2apic = kvmirq_cpuid_table_has(c, 1, 0, KVMIRQ_ECX, F1_ECX_X2APIC);
	c->tsc_adjust = kvmirq_cpuid_table_has(c, 7, 0, KVMIRQ_EBX, F7_EBX_TSC_ADJ);
	e = kvmirq_cpuid_find(c->e, c->nent, 0, 0);
	/* "GenuineIntel" */
	c->intel = e && e->ebx == 0x756e6547 && e->edx == 0x49656e69 &&
		   e->ecx == 0x6c65746e;
}

/* KVM ABI: kvm_check_cpuid(). */
static int kvmirq_cpuid_check(struct kvmirq_x86_cpuid *c)
{
	const struct kvm_cpuid_entry2 *e;
	u32 vaddr_bits;

	e = kvmirq_cpuid_find(c->e, c->nent, 0x80000008, 0);
	if (e) {
		vaddr_bits = (e->eax >> 8) & 0xff;
		if (vaddr_bits != 0 && vaddr_bits != 48 && vaddr_bits != 57)
			return -EINVAL;
	}
	/* KVM ABI: AMX tile data needs an arch_prctl() permission first. */
	e = kvmirq_cpuid_find(c->e, c->nent, 0xd, 0);
	if (e && (e->eax & XFEATURE_MASK_XTILE_DATA))
		return -EPERM;
	return 0;
}

static long kvmirq_cpuid_set(struct kvmirq_vcpu *vcpu, struct kvm_cpuid2 __user *argp)
{
	struct kvmirq_x86_state *st = kvmirq_x86_vcpu(vcpu)->st;
	struct kvmirq_x86_cpuid *c;
	struct kvm_cpuid2 h;
	int r;

	if (copy_from_user(&h, argp, sizeof(h)))
		return -EFAULT;
	if (h.nent > KVMIRQ_MAX_CPUID_ENTRIES)
		return -E2BIG;
	c = kzalloc(struct_size(c, e, h.nent), GFP_KERNEL_ACCOUNT);
	if (!c)
		return -ENOMEM;
	c->nent = h.nent;
	if (copy_from_user(c->e, argp->entries, flex_array_size(c, e, h.nent))) {
		r = -EFAULT;
		goto free;
	}
	r = kvmirq_cpuid_check(c);
	if (r)
		goto free;
	kvmirq_cpuid_derive(c);
	kfree(st->cpuid);
	st->cpuid = c;
	return 0;
free:
	kfree(c);
	return r;
}

/*
 * What the runtime leaves depend on: APIC enable, CR4.OSXSAVE and PKE (bits
 * 11, 18 and 22, so they fit one word), plus a bit that no table is stale.
 */
static u32 kvmirq_cpuid_runtime_bits(struct kvmirq_vcpu *vcpu)
{
	return (kvmirq_vcpu_apic_base(vcpu) & KVMIRQ_APIC_BASE_EN) |
	       (kvmirq_vcpu_cr4(vcpu) & (CR4_OSXSAVE | CR4_PKE)) | BIT(31);
}

static void kvmirq_cpuid_set_bit(u32 *reg, int bit, bool on)
{
	*reg = on ? *reg | BIT(bit) : *reg & ~BIT(bit);
}

/*
 * KVM ABI: __kvm_update_cpuid_runtime() rewrites some bits of the stored
 * table from the vcpu's state: APIC enable, CR4.OSXSAVE and PKE, the XSAVE
 * sizes of XCR0.  Leaf 0xd index 1 is the index-0 entry when that entry has
 * no SIGNIFCANT_INDEX, as in KVM's lookup.
 */
static void kvmirq_cpuid_update_runtime(struct kvmirq_x86_cpuid *c, u32 bits,
					u64 xcr0)
{
	struct kvm_cpuid_entry2 *p;
	u32 xsize = kvmirq_xstate_size(xcr0);

	p = kvmirq_cpuid_entry(c, 1, 0);
	if (p) {
		kvmirq_cpuid_set_bit(&p->edx, F1_EDX_APIC,
				     bits & KVMIRQ_APIC_BASE_EN);
		if (kvmirq_supported_xcr0())
			kvmirq_cpuid_set_bit(&p->ecx, F1_ECX_OSXSAVE,
					     bits & CR4_OSXSAVE);
	}
	p = kvmirq_cpuid_entry(c, 7, 0);
	if (p && kvmirq_supported_has(7, 0, KVMIRQ_ECX, F7_ECX_PKU))
		kvmirq_cpuid_set_bit(&p->ecx, F7_ECX_OSPKE, bits & CR4_PKE);
	p = kvmirq_cpuid_entry(c, 0xd, 0);
	if (p)
		p->ebx = xsize;
	p = kvmirq_cpuid_entry(c, 0xd, 1);
	if (p && (p->eax & (BIT(FD1_EAX_XSAVEC) | BIT(FD1_EAX_XSAVES))))
		p->ebx = xsize;	/* no XSS state */
	c->rt_bits = bits;
	c->rt_xcr0 = xcr0;
}

/*
 * KVM updates the table at every change of that state; kvmirq does it when
 * the table is read and the state differs from the last update, which gives
 * the same answers and leaves a plain copy when nothing changed.
 */
static void kvmirq_cpuid_refresh(struct kvmirq_vcpu *vcpu,
				 struct kvmirq_x86_cpuid *c)
{
	u64 xcr0 = kvmirq_x86_vcpu(vcpu)->st->fpu.xcr0;
	u32 bits = kvmirq_cpuid_runtime_bits(vcpu);

	if (bits != c->rt_bits || xcr0 != c->rt_xcr0)
		kvmirq_cpuid_update_runtime(c, bits, xcr0);
}

static long kvmirq_cpuid_get(struct kvmirq_vcpu *vcpu, struct kvm_cpuid2 __user *argp)
{
	struct kvmirq_x86_cpuid *c = kvmirq_cpuid_state(vcpu);
	u32 nent = c ? c->nent : 0;
	struct kvm_cpuid2 h;

	if (copy_from_user(&h, argp, sizeof(h)))
		return -EFAULT;
	if (h.nent < nent)
		return -E2BIG;
	if (nent) {
		kvmirq_cpuid_refresh(vcpu, c);
		if (copy_to_user(argp->entries, c->e, flex_array_size(c, e, nent)))
			return -EFAULT;
	}
	h.nent = nent;
	return copy_to_user(argp, &h, sizeof(h)) ? -EFAULT : 0;
}

long kvmirq_cpuid_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			     void __user *argp)
{
	switch (ioctl) {
	case KVM_SET_CPUID2:
		return kvmirq_cpuid_set(vcpu, argp);
	case KVM_GET_CPUID2:
		return kvmirq_cpuid_get(vcpu, argp);
	default:
		return KVMIRQ_NO_IOCTL;
	}
}

void kvmirq_cpuid_free(struct kvmirq_vcpu *vcpu)
{
	kfree(kvmirq_cpuid_state(vcpu));
}

/* KVM ABI: kvm_dev_ioctl_get_cpuid(). */
static long kvmirq_cpuid_supported_cpuid_ioctl(struct kvm_cpuid2 __user *argp)
{
	struct kvm_cpuid2 h;

	if (copy_from_user(&h, argp, sizeof(h)))
		return -EFAULT;
	if (h.nent < 1)
		return -E2BIG;
	h.nent = min_t(u32, h.nent, KVMIRQ_MAX_CPUID_ENTRIES);
	if (h.nent < kvmirq_nr_supported)
		return -E2BIG;
	if (copy_to_user(argp->entries, kvmirq_supported,
			 kvmirq_nr_supported * sizeof(kvmirq_supported[0])))
		return -EFAULT;
	h.nent = kvmirq_nr_supported;
	return copy_to_user(argp, &h, sizeof(h)) ? -EFAULT : 0;
}

/* KVM ABI: group 0 of /dev/kvm has KVM_X86_XCOMP_GUEST_SUPP only. */
static long kvmirq_cpuid_sys_attr_ioctl(unsigned int ioctl, void __user *argp)
{
	struct kvm_device_attr attr;
	u64 xcr0 = kvmirq_supported_xcr0();

	if (copy_from_user(&attr, argp, sizeof(attr)))
		return -EFAULT;
	if (attr.group || attr.attr != KVM_X86_XCOMP_GUEST_SUPP)
		return -ENXIO;
	if (ioctl == KVM_HAS_DEVICE_ATTR)
		return 0;
	return put_user(xcr0, (u64 __user *)u64_to_user_ptr(attr.addr)) ?
	       -EFAULT : 0;
}

/**
 * kvmirq_x86_dev_ioctl() - the x86 system ioctls of /dev/kvmirq
 * @ioctl: the ioctl
 * @arg: its argument
 *
 * Return: as KVM, or KVMIRQ_NO_IOCTL.
 */
long kvmirq_x86_dev_ioctl(unsigned int ioctl, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (ioctl) {
	case KVM_GET_SUPPORTED_CPUID:
		return kvmirq_cpuid_supported_cpuid_ioctl(argp);
	case KVM_GET_DEVICE_ATTR:
	case KVM_HAS_DEVICE_ATTR:
		return kvmirq_cpuid_sys_attr_ioctl(ioctl, argp);
	default:
		return kvmirq_msr_dev_ioctl(ioctl, argp);
	}
}
