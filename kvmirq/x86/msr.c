// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: MSRs (KVM_GET/SET_MSRS beyond the APIC ones, the MSR index lists,
 * feature MSRs on /dev/kvmirq), the TSC (KVM_GET/SET_TSC_KHZ) and machine
 * checks (KVM_X86_GET_MCE_CAP_SUPPORTED, KVM_X86_SETUP_MCE, KVM_X86_SET_MCE).
 *
 * Every MSR the index list names can be read and written with KVM's rules
 * for a host-initiated access; so can the MSRs QEMU writes without looking
 * at the list (MTRRs, machine-check banks, FS/GS base, EFER).  The lists
 * follow the host vendor, as KVM's do.  The guest TSC is the host TSC plus
 * an offset; KVM_SET_TSC_KHZ behaves as on a host without TSC scaling.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/kvm_para.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/tsc.h>
#include <linux/sched/stat.h>

#include "lapic.h"
#include "vcpu_state.h"

/* KVM ABI: MSR_IA32_CR_PAT_DEFAULT */
#define PAT_DEFAULT		0x0007040600070406ULL
/* KVM ABI: tsc_tolerance_ppm */
#define TSC_TOLERANCE_PPM	250
#define MCG_CTL_P_BIT		BIT_ULL(8)
#define MCG_CMCI_P_BIT		BIT_ULL(10)
#define MCG_SER_P_BIT		BIT_ULL(24)
#define MCG_LMCE_P_BIT		BIT_ULL(27)
#define MCI_STATUS_VAL_BIT	BIT_ULL(63)
#define MCI_STATUS_OVER_BIT	BIT_ULL(62)
#define MCI_STATUS_UC_BIT	BIT_ULL(61)
#define MCI_STATUS_PCC_BIT	BIT_ULL(57)
#define MCI_STATUS_S_BIT	BIT_ULL(56)
#define MCI_STATUS_AR_BIT	BIT_ULL(55)
#define MCG_STATUS_MCIP_BIT	BIT_ULL(2)
#define MC_VECTOR_NR		18
#define FEAT_CTL_SUPPORTED	(BIT_ULL(0) | BIT_ULL(1) | BIT_ULL(2) | \
				 BIT_ULL(17) | BIT_ULL(18) | BIT_ULL(20))
#define EFER_SCE_BIT		BIT_ULL(0)
#define EFER_LME_BIT		BIT_ULL(8)
#define EFER_LMA_BIT		BIT_ULL(10)
#define EFER_NX_BIT		BIT_ULL(11)
#define EFER_SVME_BIT		BIT_ULL(12)
#define EFER_LMSLE_BIT		BIT_ULL(13)
#define EFER_FFXSR_BIT		BIT_ULL(14)
#define CR4_MCE_BIT		BIT_ULL(6)
#define LVTT_MODE_MASK		(3U << 17)
#define LVTT_MODE_DEADLINE	(2U << 17)
#define F1_ECX_TSC_DEADLINE	24
/* The MTRR MSRs (<asm/msr-index.h> names them in CamelCase) */
#define MTRR_CAP		0x0fe
#define MTRR_VAR_FIRST		0x200
#define MTRR_FIX_64K		0x250
#define MTRR_FIX_16K		0x258
#define MTRR_FIX_4K		0x268
#define MTRR_FIX_4K_LAST	0x26f
#define MTRR_DEF_TYPE		0x2ff

/* The index list: KVM's msrs_to_save and emulated_msrs that kvmirq keeps. */
static const u32 msrs_common[] = {
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
	MSR_STAR, MSR_CSTAR, MSR_KERNEL_GS_BASE, MSR_SYSCALL_MASK, MSR_LSTAR,
	MSR_IA32_TSC, MSR_IA32_CR_PAT,
	MSR_KVM_SYSTEM_TIME, MSR_KVM_WALL_CLOCK,
	MSR_KVM_SYSTEM_TIME_NEW, MSR_KVM_WALL_CLOCK_NEW,
	MSR_KVM_ASYNC_PF_EN, MSR_KVM_STEAL_TIME, MSR_KVM_PV_EOI_EN,
	MSR_KVM_ASYNC_PF_INT, MSR_KVM_ASYNC_PF_ACK,
	MSR_IA32_TSC_ADJUST, MSR_IA32_TSC_DEADLINE, MSR_IA32_MISC_ENABLE,
	MSR_IA32_MCG_STATUS, MSR_IA32_MCG_CTL,
	MSR_IA32_SMBASE, MSR_SMI_COUNT, MSR_IA32_UCODE_REV, MSR_K7_HWCR,
	MSR_KVM_POLL_CONTROL,
};

static const u32 msrs_amd[] = { MSR_VM_HSAVE_PA };
static const u32 msrs_intel[] = { MSR_IA32_FEAT_CTL, MSR_IA32_MCG_EXT_CTL };

static u32 kvmirq_msr_list[ARRAY_SIZE(msrs_common) + 3];
static u32 kvmirq_nr_msrs;

static bool kvmirq_msr_list_has_tsc_aux(void)
{
	return kvmirq_supported_has(0x80000001, 0, KVMIRQ_EDX, 27) ||
	       kvmirq_supported_has(7, 0, KVMIRQ_ECX, 22);
}

static void kvmirq_msr_list_add(const u32 *msrs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n && kvmirq_nr_msrs < ARRAY_SIZE(kvmirq_msr_list); i++)
		kvmirq_msr_list[kvmirq_nr_msrs++] = msrs[i];
}

/* The index list, once at load: it depends on the supported CPUID. */
void kvmirq_msr_list_init(void)
{
	static const u32 tsc_aux = MSR_TSC_AUX;

	kvmirq_nr_msrs = 0;
	kvmirq_msr_list_add(msrs_common, ARRAY_SIZE(msrs_common));
	if (kvmirq_x86_host_amd())
		kvmirq_msr_list_add(msrs_amd, ARRAY_SIZE(msrs_amd));
	else
		kvmirq_msr_list_add(msrs_intel, ARRAY_SIZE(msrs_intel));
	if (kvmirq_msr_list_has_tsc_aux())
		kvmirq_msr_list_add(&tsc_aux, 1);
}

/* KVM ABI: KVM_GET_MSR_INDEX_LIST writes the count back even on E2BIG. */
static long kvmirq_msr_index_list_ioctl(struct kvm_msr_list __user *argp,
					const u32 *list, u32 n)
{
	struct kvm_msr_list h;

	if (copy_from_user(&h, argp, sizeof(h)))
		return -EFAULT;
	if (put_user(n, &argp->nmsrs))
		return -EFAULT;
	if (h.nmsrs < n)
		return -E2BIG;
	return copy_to_user(argp->indices, list, n * sizeof(u32)) ? -EFAULT : 0;
}

static u32 kvmirq_msr_feature_msrs(u32 *list)
{
	u32 n = 0;

	list[n++] = MSR_IA32_UCODE_REV;
	if (kvmirq_x86_host_amd())
		list[n++] = MSR_AMD64_DE_CFG;
	return n;
}

/* KVM ABI: kvm_get_msr_feature(): the host's microcode revision, DE_CFG. */
static bool kvmirq_msr_feature_msr_get(u32 index, u64 *data)
{
	*data = 0;
	switch (index) {
	case MSR_IA32_UCODE_REV:
		if (rdmsrl_safe(index, data))
			*data = 0;
		return true;
	case MSR_AMD64_DE_CFG:
		if (!kvmirq_x86_host_amd())
			return false;
		if (boot_cpu_has(X86_FEATURE_LFENCE_RDTSC))
			*data = MSR_AMD64_DE_CFG_LFENCE_SERIALIZE;
		return true;
	default:
		return false;
	}
}

/* KVM_GET_MSRS on /dev/kvmirq: feature MSRs only, KVM's msr_io() rules. */
static long kvmirq_msr_feature_msrs_ioctl(struct kvm_msrs __user *argp)
{
	struct kvm_msr_entry *entries;
	struct kvm_msrs msrs;
	size_t size;
	long r;
	u32 i;

	if (copy_from_user(&msrs, argp, sizeof(msrs)))
		return -EFAULT;
	if (msrs.nmsrs >= 256)
		return -E2BIG;
	size = sizeof(*entries) * msrs.nmsrs;
	entries = memdup_user(argp->entries, size);
	if (IS_ERR(entries))
		return PTR_ERR(entries);
	for (i = 0; i < msrs.nmsrs; i++)
		if (!kvmirq_msr_feature_msr_get(entries[i].index, &entries[i].data))
			break;
	r = i;
	if (copy_to_user(argp->entries, entries, size))
		r = -EFAULT;
	kfree(entries);
	return r;
}

/* KVM ABI: MCG_CTL_P | MCG_SER_P, and LMCE on VMX (no CMCI, see docs). */
u64 kvmirq_supported_mce_cap(void)
{
	u64 cap = MCG_CTL_P_BIT | MCG_SER_P_BIT;

	if (!kvmirq_x86_host_amd())
		cap |= MCG_LMCE_P_BIT;
	return cap;
}

long kvmirq_msr_dev_ioctl(unsigned int ioctl, void __user *argp)
{
	u32 features[2];
	u64 cap;

	switch (ioctl) {
	case KVM_GET_MSR_INDEX_LIST:
		return kvmirq_msr_index_list_ioctl(argp, kvmirq_msr_list,
					    kvmirq_nr_msrs);
	case KVM_GET_MSR_FEATURE_INDEX_LIST:
		return kvmirq_msr_index_list_ioctl(argp, features,
					    kvmirq_msr_feature_msrs(features));
	case KVM_GET_MSRS:
		return kvmirq_msr_feature_msrs_ioctl(argp);
	case KVM_X86_GET_MCE_CAP_SUPPORTED:
		cap = kvmirq_supported_mce_cap();
		return copy_to_user(argp, &cap, sizeof(cap)) ? -EFAULT : 0;
	default:
		return KVMIRQ_NO_IOCTL;
	}
}

static struct kvmirq_x86_msrs *kvmirq_msr_state(struct kvmirq_vcpu *vcpu)
{
	return &kvmirq_x86_vcpu(vcpu)->st->msrs;
}

/**
 * kvmirq_msrs_reset() - a new vcpu's MSRs (KVM's create and reset values)
 * @vcpu: the vcpu, its state just allocated
 *
 * KVM ABI: the TSC frequency is the VM's (KVM_SET_TSC_KHZ) and the guest
 * TSC is 0 at the vcpu's creation (kvm_synchronize_tsc(vcpu, 0)), not at
 * this allocation: both were taken then (kvmirq_vcpu_state_init()).
 */
void kvmirq_msrs_reset(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_msrs *m = kvmirq_msr_state(vcpu);

	memset(m, 0, sizeof(*m));
	m->tsc_khz = kvmirq_x86_vcpu(vcpu)->reset_tsc_khz;
	m->tsc_offset = -(s64)kvmirq_x86_vcpu(vcpu)->reset_tsc;
	m->pat = PAT_DEFAULT;
	m->misc_enable = MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL |
			 MSR_IA32_MISC_ENABLE_BTS_UNAVAIL;
	m->smbase = 0x30000;
	m->ucode_rev = kvmirq_x86_host_amd() ? 0x01000065 : 0x100000000ULL;
	m->poll_control = 1;
	/* KVM ABI: every vcpu starts with 32 banks, no MCG_CTL_P. */
	m->mcg_cap = KVMIRQ_MAX_MCE_BANKS;
}

void kvmirq_msrs_free(struct kvmirq_vcpu *vcpu)
{
	kfree(kvmirq_msr_state(vcpu)->mtrr);
	kfree(kvmirq_msr_state(vcpu)->mce);
}

/*
 * KVM ABI: max_host_virt_addr_bits(): MSRs holding linear addresses are
 * canonical to the CPU's widest paging (6.12; 6.1 used CR4.LA57).
 */
u8 kvmirq_host_virt_addr_bits(void)
{
	return kvmirq_supported_has(7, 0, KVMIRQ_ECX, 16) ? 57 : 48;
}

static u64 kvmirq_msr_canonical(struct kvmirq_vcpu *vcpu, u64 v)
{
	u8 shift = 64 - kvmirq_host_virt_addr_bits();

	return (u64)((s64)(v << shift) >> shift);
}

static bool kvmirq_msr_is_canonical(struct kvmirq_vcpu *vcpu, u64 v)
{
	return kvmirq_msr_canonical(vcpu, v) == v;
}

/* KVM ABI: kvm_pat_valid() */
static bool kvmirq_msr_pat_valid(u64 v)
{
	if (v & 0xf8f8f8f8f8f8f8f8ULL)
		return false;
	/* memory types 0, 1, 4, 5, 6, 7 */
	return (v | ((v & 0x0202020202020202ULL) << 1)) == v;
}

/* KVM ABI: valid_mtrr_type(): 0, 1, 4, 5, 6 */
static bool kvmirq_msr_mtrr_type_valid(u64 t)
{
	return t < 8 && (BIT(t) & 0x73);
}

/* The fixed-range MTRRs in KVM's order, -1 if @index is none. */
static int kvmirq_msr_mtrr_fixed_index(u32 index)
{
	switch (index) {
	case MTRR_FIX_64K:
		return 0;
	case MTRR_FIX_16K:
	case MTRR_FIX_16K + 1:
		return 1 + index - MTRR_FIX_16K;
	case MTRR_FIX_4K ... MTRR_FIX_4K_LAST:
		return 3 + index - MTRR_FIX_4K;
	default:
		return -1;
	}
}

/* KVM ABI: kvm_mtrr_valid() for MSRs other than PAT. */
static bool kvmirq_msr_mtrr_valid(struct kvmirq_vcpu *vcpu, u32 index, u64 v)
{
	u64 rsvd = GENMASK_ULL(63, kvmirq_vcpu_maxphyaddr(vcpu));
	int i;

	if (index == MTRR_DEF_TYPE)
		return !(v & ~0xcffULL) && kvmirq_msr_mtrr_type_valid(v & 0xff);
	if (kvmirq_msr_mtrr_fixed_index(index) >= 0) {
		for (i = 0; i < 8; i++)
			if (!kvmirq_msr_mtrr_type_valid((v >> (i * 8)) & 0xff))
				return false;
		return true;
	}
	if (!(index & 1)) {
		if (!kvmirq_msr_mtrr_type_valid(v & 0xff))
			return false;
		rsvd |= 0xf00;
	} else {
		rsvd |= 0x7ff;
	}
	return !(v & rsvd);
}

static u64 *kvmirq_msr_mtrr_slot(struct kvmirq_x86_mtrr *t, u32 index)
{
	int fixed = kvmirq_msr_mtrr_fixed_index(index);

	if (index == MTRR_DEF_TYPE)
		return &t->deftype;
	if (fixed >= 0)
		return &t->fixed[fixed];
	return &t->var[index - MTRR_VAR_FIRST];
}

/* 0x200-0x2ff and MTRRcap: KVM's kvm_mtrr_get_msr()/set_msr(). */
static bool kvmirq_msr_mtrr_msr(struct kvmirq_vcpu *vcpu,
				struct kvm_msr_entry *e,
				bool set)
{
	struct kvmirq_x86_msrs *m = kvmirq_msr_state(vcpu);
	u32 index = e->index;

	if (index == MTRR_CAP) {
		if (set)
			return false;
		e->data = 0x500 | KVMIRQ_NR_VAR_MTRR;	/* WC, FIX, 8 VCNT */
		return true;
	}
	if (index != MTRR_DEF_TYPE && kvmirq_msr_mtrr_fixed_index(index) < 0 &&
	    index >= MTRR_VAR_FIRST + 2 * KVMIRQ_NR_VAR_MTRR)
		return false;
	if (!set) {
		e->data = m->mtrr ? *kvmirq_msr_mtrr_slot(m->mtrr, index) : 0;
		return true;
	}
	if (!kvmirq_msr_mtrr_valid(vcpu, index, e->data))
		return false;
	if (!m->mtrr) {
		m->mtrr = kzalloc(sizeof(*m->mtrr), GFP_KERNEL_ACCOUNT);
		if (!m->mtrr)
			return false;
	}
	*kvmirq_msr_mtrr_slot(m->mtrr, index) = e->data;
	return true;
}

/* The banks, allocated (all zero, as KVM's) for a write. */
static struct kvmirq_x86_mce *kvmirq_msr_mce_banks(struct kvmirq_x86_msrs *m)
{
	if (!m->mce)
		m->mce = kzalloc(sizeof(*m->mce), GFP_KERNEL_ACCOUNT);
	return m->mce;
}

/* MCG_CTL, MCi_CTL/STATUS/ADDR/MISC, MCi_CTL2: KVM's get/set_msr_mce(). */
static bool kvmirq_msr_mce_msr(struct kvmirq_vcpu *vcpu,
			       struct kvm_msr_entry *e,
			       bool set)
{
	struct kvmirq_x86_msrs *m = kvmirq_msr_state(vcpu);
	u32 banks = m->mcg_cap & 0xff, i;

	if (e->index == MSR_IA32_MCG_CTL) {
		if (!set) {
			e->data = m->mcg_ctl;
			return true;
		}
		if (!(m->mcg_cap & MCG_CTL_P_BIT) && e->data)
			return false;
		if (e->data != 0 && e->data != ~0ULL)
			return false;
		m->mcg_ctl = e->data;
		return true;
	}
	if (e->index >= MSR_IA32_MC0_CTL2 &&
	    e->index < MSR_IA32_MC0_CTL2 + KVMIRQ_MAX_MCE_BANKS) {
		i = e->index - MSR_IA32_MC0_CTL2;
		if (i >= banks)
			return false;
		if (!set)
			e->data = 0;
		/* No CMCI: only a host write of 0 is accepted. */
		return !set || !e->data;
	}
	i = e->index - MSR_IA32_MC0_CTL;
	if (i >= banks * 4)
		return false;
	if (!set) {
		e->data = m->mce ? m->mce->banks[i] : 0;
		return true;
	}
	/* KVM ABI: MCi_CTL 0 or all ones, bits 10 and 0 may be clear. */
	if (!(i % 4) && e->data && (e->data | BIT_ULL(10) | 1) != ~0ULL)
		return false;
	if (!e->data && !m->mce)
		return true;
	if (!kvmirq_msr_mce_banks(m))
		return false;
	m->mce->banks[i] = e->data;
	return true;
}

static bool kvmirq_msr_mce_msr_index(u32 index)
{
	return index == MSR_IA32_MCG_CTL ||
	       (index >= MSR_IA32_MC0_CTL2 &&
		index < MSR_IA32_MC0_CTL2 + KVMIRQ_MAX_MCE_BANKS) ||
	       (index >= MSR_IA32_MC0_CTL &&
		index < MSR_IA32_MC0_CTL + 4 * KVMIRQ_MAX_MCE_BANKS);
}

static bool kvmirq_msr_mtrr_stored_index(u32 index)
{
	return index == MTRR_DEF_TYPE || kvmirq_msr_mtrr_fixed_index(index) >= 0 ||
	       (index >= MTRR_VAR_FIRST && index < MTRR_VAR_FIRST + 2 * KVMIRQ_NR_VAR_MTRR);
}

/**
 * kvmirq_x86_msrs_reserve() - allocate what a KVM_SET_MSRS batch writes into
 * @vcpu: the vcpu
 * @e: the batch
 * @n: its length
 *
 * KVM keeps the MTRRs and MCE banks inside the vcpu and never fails there;
 * kvmirq allocates them on their first write.  Doing it before any entry
 * is applied makes a failed allocation the whole ioctl's ENOMEM, with the
 * vcpu unchanged, rather than a batch that stops early for no reason KVM
 * would give.
 *
 * Return: 0 or -ENOMEM.
 */
int kvmirq_x86_msrs_reserve(struct kvmirq_vcpu *vcpu,
			    const struct kvm_msr_entry *e, u32 n)
{
	struct kvmirq_x86_msrs *m = kvmirq_msr_state(vcpu);
	bool mtrr = false, mce = false;
	u32 i, k;

	if (m->mtrr && m->mce)
		return 0;
	for (i = 0; i < n; i++) {
		/* One compare for the usual MSR, outside MTRRs and banks. */
		k = e[i].index - MTRR_VAR_FIRST;
		if (k >= MSR_IA32_MC0_CTL + 4 * KVMIRQ_MAX_MCE_BANKS - MTRR_VAR_FIRST)
			continue;
		if (e[i].index >= MSR_IA32_MC0_CTL)
			mce |= e[i].data != 0;
		else
			mtrr |= kvmirq_msr_mtrr_stored_index(e[i].index);
	}
	if (mtrr && !m->mtrr) {
		m->mtrr = kzalloc(sizeof(*m->mtrr), GFP_KERNEL_ACCOUNT);
		if (!m->mtrr)
			return -ENOMEM;
	}
	if (mce && !kvmirq_msr_mce_banks(m))
		return -ENOMEM;
	return 0;
}

static u64 kvmirq_msr_guest_tsc(struct kvmirq_vcpu *vcpu)
{
	return rdtsc() + kvmirq_msr_state(vcpu)->tsc_offset;
}

/* KVM ABI: efer_reserved_bits, as kvm-intel or kvm-amd (nested=1) set. */
bool kvmirq_efer_reserved(u64 efer)
{
	u64 allowed = EFER_SCE_BIT | EFER_LME_BIT | EFER_LMA_BIT;

	if (boot_cpu_has(X86_FEATURE_NX))
		allowed |= EFER_NX_BIT;
	if (kvmirq_x86_host_amd()) {
		allowed |= EFER_SVME_BIT | EFER_LMSLE_BIT;
		if (boot_cpu_has(X86_FEATURE_FXSR_OPT))
			allowed |= EFER_FFXSR_BIT;
	}
	return efer & ~allowed;
}

/* KVM ABI: __kvm_valid_efer(): each EFER feature needs its CPUID bit. */
bool kvmirq_efer_guest_valid(struct kvmirq_vcpu *vcpu, u64 efer)
{
	if ((efer & EFER_FFXSR_BIT) &&
	    !kvmirq_vcpu_has(vcpu, 0x80000001, KVMIRQ_EDX, 25))
		return false;
	if ((efer & EFER_SVME_BIT) &&
	    !kvmirq_vcpu_has(vcpu, 0x80000001, KVMIRQ_ECX, 2))
		return false;
	if ((efer & (EFER_LME_BIT | EFER_LMA_BIT)) &&
	    !kvmirq_vcpu_has(vcpu, 0x80000001, KVMIRQ_EDX, 29))
		return false;
	if ((efer & EFER_NX_BIT) &&
	    !kvmirq_vcpu_has(vcpu, 0x80000001, KVMIRQ_EDX, 20))
		return false;
	return true;
}

/* KVM ABI: set_efer() for the host: reserved bits only, LMA kept. */
static bool kvmirq_msr_efer_set(struct kvmirq_vcpu *vcpu, u64 v)
{
	struct kvm_sregs2 *s = &kvmirq_x86_vcpu(vcpu)->st->r.sregs;

	if (kvmirq_efer_reserved(v))
		return false;
	s->efer = (v & ~EFER_LMA_BIT) | (s->efer & EFER_LMA_BIT);
	return true;
}

/* The LAPIC is in TSC-deadline mode (KVM's apic_lvtt_tscdeadline()). */
static bool kvmirq_msr_tsc_deadline_mode(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_lapic *l = kvmirq_lapic(vcpu);
	const struct kvm_cpuid_entry2 *c1 = kvmirq_vcpu_cpuid(vcpu, 1, 0);

	if (!l || !kvmirq_lapic_hw_enabled(l))
		return false;
	if (!c1 || !(c1->ecx & BIT(F1_ECX_TSC_DEADLINE)))
		return false;
	return (kvmirq_lapic_reg(l, APIC_LVTT) & LVTT_MODE_MASK) ==
	       LVTT_MODE_DEADLINE;
}

static u64 *kvmirq_msr_segment_base(struct kvmirq_vcpu *vcpu, u32 index)
{
	struct kvm_sregs2 *s = &kvmirq_x86_vcpu(vcpu)->st->r.sregs;

	return index == MSR_FS_BASE ? &s->fs.base : &s->gs.base;
}

/* The SYSENTER MSRs, as vmx_set_msr() or svm_set_msr() keep them. */
static bool kvmirq_msr_sysenter_msr(struct kvmirq_vcpu *vcpu,
				    struct kvm_msr_entry *e,
				    bool set)
{
	u64 *p = &kvmirq_msr_state(vcpu)->sysenter[e->index - MSR_IA32_SYSENTER_CS];
	bool amd = kvmirq_x86_host_amd();

	if (!set) {
		e->data = *p;
		return true;
	}
	if (e->index == MSR_IA32_SYSENTER_CS) {
		/* VMX keeps the CS in a 32-bit VMCS field. */
		*p = amd ? e->data : (u32)e->data;
		return true;
	}
	/* KVM ABI: made canonical; SVM keeps bits 63:32 for Intel guests. */
	*p = kvmirq_msr_canonical(vcpu, e->data);
	if (amd && !kvmirq_vcpu_intel(vcpu))
		*p = (u32)*p;
	return true;
}

/* The KVM paravirtual MSRs (kvm_set_msr_common()). */
static bool kvmirq_msr_pv_msr(struct kvmirq_vcpu *vcpu, struct kvm_msr_entry *e,
			      bool set)
{
	struct kvmirq_x86_msrs *m = kvmirq_msr_state(vcpu);
	struct kvmirq_x86_vm *x86 = kvmirq_x86(vcpu->vm);
	u64 v = e->data;
	u64 *p;

	switch (e->index) {
	case MSR_KVM_WALL_CLOCK:
	case MSR_KVM_WALL_CLOCK_NEW:
		p = &x86->wall_clock;
		break;
	case MSR_KVM_SYSTEM_TIME:
	case MSR_KVM_SYSTEM_TIME_NEW:
		p = &m->system_time;
		break;
	case MSR_KVM_ASYNC_PF_EN:
		/* KVM ABI: bits 5:4 reserved; only 0 without a LAPIC. */
		if (set && ((v & 0x30) || (v && !kvmirq_lapic(vcpu))))
			return false;
		p = &m->async_pf_en;
		break;
	case MSR_KVM_ASYNC_PF_INT:
		/* KVM ABI: any write fails without a LAPIC, even of 0. */
		if (set && ((v & ~(u64)KVM_ASYNC_PF_VEC_MASK) ||
			    !kvmirq_lapic(vcpu)))
			return false;
		p = &m->async_pf_int;
		break;
	case MSR_KVM_ASYNC_PF_ACK:
		if (!set)
			e->data = 0;
		return true;
	case MSR_KVM_STEAL_TIME:
		if (set && (!sched_info_on() || (v & KVM_STEAL_RESERVED_MASK)))
			return false;
		p = &m->steal_time;
		break;
	case MSR_KVM_PV_EOI_EN:
		/* KVM ABI: the address must be 4-byte aligned. */
		if (set && (v & ~(u64)KVM_MSR_ENABLED & 3))
			return false;
		p = &m->pv_eoi;
		break;
	case MSR_KVM_POLL_CONTROL:
		if (set && (v & ~1ULL))
			return false;
		p = &m->poll_control;
		break;
	default:
		return false;
	}
	if (set)
		WRITE_ONCE(*p, v);
	else
		e->data = READ_ONCE(*p);
	return true;
}

/* Registers of the SYSCALL family and segment bases. */
static bool kvmirq_msr_syscall_msr(struct kvmirq_vcpu *vcpu,
				   struct kvm_msr_entry *e,
				   bool set)
{
	struct kvmirq_x86_msrs *m = kvmirq_msr_state(vcpu);
	u64 *p;

	switch (e->index) {
	case MSR_STAR:
		p = &m->star;
		break;
	case MSR_SYSCALL_MASK:
		p = &m->fmask;
		break;
	case MSR_LSTAR:
		p = &m->lstar;
		break;
	case MSR_CSTAR:
		p = &m->cstar;
		break;
	case MSR_KERNEL_GS_BASE:
		p = &m->kernel_gs_base;
		break;
	case MSR_FS_BASE:
	case MSR_GS_BASE:
		p = kvmirq_msr_segment_base(vcpu, e->index);
		break;
	default:
		return false;
	}
	if (!set) {
		e->data = *p;
		return true;
	}
	/* KVM ABI: __kvm_set_msr() refuses non-canonical addresses. */
	if (e->index != MSR_STAR && e->index != MSR_SYSCALL_MASK &&
	    !kvmirq_msr_is_canonical(vcpu, e->data))
		return false;
	*p = e->data;
	return true;
}

/* The TSC family: TSC, TSC_ADJUST, TSC_AUX, TSC_DEADLINE. */
static bool kvmirq_msr_tsc_msr(struct kvmirq_vcpu *vcpu, struct kvm_msr_entry *e,
			       bool set)
{
	struct kvmirq_x86_msrs *m = kvmirq_msr_state(vcpu);
	struct kvmirq_x86_cpuid *c = kvmirq_x86_vcpu(vcpu)->st->cpuid;

	switch (e->index) {
	case MSR_IA32_TSC:
		if (set)
			m->tsc_offset = e->data - rdtsc();
		else
			e->data = kvmirq_msr_guest_tsc(vcpu);
		return true;
	case MSR_IA32_TSC_ADJUST:
		/* KVM ABI: ignored (but successful) without CPUID TSC_ADJUST. */
		if (!set)
			e->data = m->tsc_adjust;
		else if (c && c->tsc_adjust)
			m->tsc_adjust = e->data;
		return true;
	case MSR_TSC_AUX:
		if (!kvmirq_msr_list_has_tsc_aux())
			return false;
		if (!set) {
			e->data = m->tsc_aux;
			return true;
		}
		/* KVM ABI: bits 63:32 reserved for Intel guests, else dropped. */
		if (kvmirq_vcpu_intel(vcpu) && (e->data >> 32))
			return false;
		m->tsc_aux = (u32)e->data;
		return true;
	case MSR_IA32_TSC_DEADLINE:
		/* KVM ABI: kept only in TSC-deadline mode, else reads 0. */
		if (!set)
			e->data = kvmirq_msr_tsc_deadline_mode(vcpu) ? m->tsc_deadline : 0;
		else if (kvmirq_msr_tsc_deadline_mode(vcpu))
			m->tsc_deadline = e->data;
		return true;
	default:
		return false;
	}
}

/* MSRs of the vendor code: HSAVE_PA, DE_CFG (AMD), FEATURE_CONTROL (Intel). */
static bool kvmirq_msr_vendor_msr(struct kvmirq_vcpu *vcpu,
				  struct kvm_msr_entry *e,
				  bool set)
{
	struct kvmirq_x86_msrs *m = kvmirq_msr_state(vcpu);
	bool amd = kvmirq_x86_host_amd();
	u64 feature;

	switch (e->index) {
	case MSR_VM_HSAVE_PA:
		if (!amd)
			return false;
		if (set)
			m->hsave_pa = e->data & PAGE_MASK;
		else
			e->data = m->hsave_pa;
		return true;
	case MSR_AMD64_DE_CFG:
		if (!amd)
			return false;
		kvmirq_msr_feature_msr_get(e->index, &feature);
		if (!set) {
			e->data = m->de_cfg;
			return true;
		}
		if (e->data & ~feature)
			return false;
		m->de_cfg = e->data;
		return true;
	case MSR_IA32_FEAT_CTL:
		if (amd)
			return false;
		if (set && (e->data & ~FEAT_CTL_SUPPORTED))
			return false;
		if (set)
			m->feat_ctl = e->data;
		else
			e->data = m->feat_ctl;
		return true;
	case MSR_IA32_MCG_EXT_CTL:
		if (amd)
			return false;
		/* KVM ABI: only LMCE_EN (bit 0). */
		if (set && (e->data & ~1ULL))
			return false;
		if (set)
			m->mcg_ext_ctl = e->data;
		else
			e->data = m->mcg_ext_ctl;
		return true;
	default:
		return false;
	}
}

/* One more MSR group: simple stores with host-initiated rules. */
static bool kvmirq_msr_misc_msr(struct kvmirq_vcpu *vcpu, struct kvm_msr_entry *e,
				bool set)
{
	struct kvmirq_x86_msrs *m = kvmirq_msr_state(vcpu);
	struct kvm_sregs2 *s = &kvmirq_x86_vcpu(vcpu)->st->r.sregs;
	u64 v = e->data;

	switch (e->index) {
	case MSR_IA32_CR_PAT:
		if (set && !kvmirq_msr_pat_valid(v))
			return false;
		if (set)
			m->pat = v;
		else
			e->data = m->pat;
		return true;
	case MSR_IA32_MISC_ENABLE:
		/* KVM ABI: the host may store anything (MWAIT quirk on). */
		if (set)
			m->misc_enable = v;
		else
			e->data = m->misc_enable;
		return true;
	case MSR_IA32_MCG_STATUS:
		if (set)
			m->mcg_status = v;
		else
			e->data = m->mcg_status;
		return true;
	case MSR_IA32_MCG_CAP:
		if (set)
			return false;
		e->data = m->mcg_cap;
		return true;
	case MSR_IA32_SMBASE:
		if (set)
			m->smbase = v;
		else
			e->data = m->smbase;
		return true;
	case MSR_SMI_COUNT:
		if (set)
			m->smi_count = v;
		else
			e->data = m->smi_count;
		return true;
	case MSR_IA32_UCODE_REV:
		if (set)
			m->ucode_rev = v;
		else
			e->data = m->ucode_rev;
		return true;
	case MSR_K7_HWCR:
		if (!set) {
			e->data = m->hwcr;
			return true;
		}
		/* KVM ABI: flush filter, IGNNE and TLB-disable bits ignored. */
		v &= ~(0x40ULL | 0x100ULL | 0x8ULL);
		if (v == BIT_ULL(18))	/* McStatusWrEn */
			m->hwcr = v;
		else if (v)
			return false;
		return true;
	case MSR_EFER:
		if (!set) {
			e->data = s->efer;
			return true;
		}
		return kvmirq_msr_efer_set(vcpu, v);
	default:
		return false;
	}
}

/**
 * kvmirq_x86_state_msr_io() - one host-initiated MSR access of KVM_GET/SET_MSRS
 * @vcpu: the vcpu
 * @e: the entry; @e->data is written on a read
 * @set: a write
 *
 * The APIC base and x2APIC MSRs are x86_vcpu.c's.
 *
 * Return: true if KVM would process the entry.
 */
bool kvmirq_x86_state_msr_io(struct kvmirq_vcpu *vcpu,
			     struct kvm_msr_entry *e, bool set)
{
	u32 index = e->index;

	if (index >= MSR_IA32_SYSENTER_CS && index <= MSR_IA32_SYSENTER_EIP)
		return kvmirq_msr_sysenter_msr(vcpu, e, set);
	if (index == MTRR_CAP || (index >= MTRR_VAR_FIRST && index <= 0x2ff &&
				  index != MSR_IA32_CR_PAT))
		return kvmirq_msr_mtrr_msr(vcpu, e, set);
	if (kvmirq_msr_mce_msr_index(index))
		return kvmirq_msr_mce_msr(vcpu, e, set);
	return kvmirq_msr_syscall_msr(vcpu, e, set) || kvmirq_msr_pv_msr(vcpu, e, set) ||
	       kvmirq_msr_tsc_msr(vcpu, e, set) || kvmirq_msr_vendor_msr(vcpu, e, set) ||
	       kvmirq_msr_misc_msr(vcpu, e, set);
}

/* KVM ABI: kvm_vcpu_ioctl_x86_setup_mce(). */
static long kvmirq_msr_setup_mce_ioctl(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvmirq_x86_msrs *m = kvmirq_msr_state(vcpu);
	u32 banks, i;
	u64 cap;

	if (copy_from_user(&cap, argp, sizeof(cap)))
		return -EFAULT;
	banks = cap & 0xff;
	if (!banks || banks > KVMIRQ_MAX_MCE_BANKS)
		return -EINVAL;
	if (cap & ~(kvmirq_supported_mce_cap() | 0xff | 0xff0000))
		return -EINVAL;
	if (!kvmirq_msr_mce_banks(m))
		return -ENOMEM;
	m->mcg_cap = cap;
	if (cap & MCG_CTL_P_BIT)
		m->mcg_ctl = ~0ULL;
	for (i = 0; i < banks; i++)
		m->mce->banks[i * 4] = ~0ULL;
	return 0;
}

/* KVM ABI: kvm_queue_exception(MC_VECTOR): #MC is benign, it replaces. */
static void kvmirq_msr_queue_machine_check(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_events *ev = &kvmirq_x86_vcpu(vcpu)->ev;

	ev->exc_pending = true;
	ev->exc_injected = false;
	ev->exc_nr = MC_VECTOR_NR;
	ev->exc_has_error_code = false;
	ev->exc_error_code = 0;
	ev->exc_has_payload = false;
	ev->exc_payload = 0;
}

/* KVM ABI: an uncorrected error with no action required is only logged. */
static bool kvmirq_msr_mce_is_ucna(const struct kvm_x86_mce *mce)
{
	return !mce->mcg_status &&
	       !(mce->status & (MCI_STATUS_PCC_BIT | MCI_STATUS_S_BIT |
				MCI_STATUS_AR_BIT)) &&
	       (mce->status & MCI_STATUS_VAL_BIT) &&
	       (mce->status & MCI_STATUS_UC_BIT);
}

static void kvmirq_msr_mce_log(u64 *bank, struct kvm_x86_mce *mce)
{
	if (bank[1] & MCI_STATUS_VAL_BIT)
		mce->status |= MCI_STATUS_OVER_BIT;
	bank[2] = mce->addr;
	bank[3] = mce->misc;
	bank[1] = mce->status;
}

/* KVM ABI: kvm_vcpu_ioctl_x86_set_mce(). */
static long kvmirq_msr_set_mce_ioctl(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvmirq_x86_msrs *m = kvmirq_msr_state(vcpu);
	struct kvm_x86_mce mce;
	u32 banks;
	u64 *bank;

	if (copy_from_user(&mce, argp, sizeof(mce)))
		return -EFAULT;
	banks = m->mcg_cap & 0xff;
	if (mce.bank >= banks || !(mce.status & MCI_STATUS_VAL_BIT))
		return -EINVAL;
	if (!kvmirq_msr_mce_banks(m))
		return -ENOMEM;
	bank = &m->mce->banks[mce.bank * 4];
	if (kvmirq_msr_mce_is_ucna(&mce)) {
		bank[1] = mce.status;
		bank[2] = mce.addr;
		bank[3] = mce.misc;
		m->mcg_status = mce.mcg_status;
		return 0;
	}
	if (!(mce.status & MCI_STATUS_UC_BIT)) {
		if (!(bank[1] & MCI_STATUS_VAL_BIT) ||
		    !(bank[1] & MCI_STATUS_UC_BIT))
			kvmirq_msr_mce_log(bank, &mce);
		else
			bank[1] |= MCI_STATUS_OVER_BIT;
		return 0;
	}
	/* Uncorrected: reporting may be off for the CPU or the bank. */
	if ((m->mcg_cap & MCG_CTL_P_BIT) && m->mcg_ctl != ~0ULL)
		return 0;
	if (bank[0] != ~0ULL)
		return 0;
	if ((m->mcg_status & MCG_STATUS_MCIP_BIT) ||
	    !(kvmirq_vcpu_cr4(vcpu) & CR4_MCE_BIT)) {
		kvmirq_x86_vcpu(vcpu)->ev.triple_fault = true;
		return 0;
	}
	kvmirq_msr_mce_log(bank, &mce);
	m->mcg_status = mce.mcg_status;
	kvmirq_msr_queue_machine_check(vcpu);
	return 0;
}

/*
 * KVM ABI: kvm_set_tsc_khz() on a host without TSC scaling: within
 * 250 ppm of the host, or faster (catch-up mode), is accepted; slower
 * fails but is still what KVM_GET_TSC_KHZ reports.
 */
static long kvmirq_msr_set_tsc_khz(struct kvmirq_vcpu *vcpu, u32 khz)
{
	u64 lo = (u64)tsc_khz * (1000000 - TSC_TOLERANCE_PPM) / 1000000;

	if (!khz)
		khz = tsc_khz;
	if (!khz)
		return -EINVAL;
	kvmirq_msr_state(vcpu)->tsc_khz = khz;
	return khz < lo ? -EINVAL : 0;
}

long kvmirq_msr_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			   unsigned long arg)
{
	switch (ioctl) {
	case KVM_X86_SETUP_MCE:
		return kvmirq_msr_setup_mce_ioctl(vcpu, (void __user *)arg);
	case KVM_X86_SET_MCE:
		return kvmirq_msr_set_mce_ioctl(vcpu, (void __user *)arg);
	case KVM_GET_TSC_KHZ:
		return kvmirq_msr_state(vcpu)->tsc_khz;
	case KVM_SET_TSC_KHZ:
		return kvmirq_msr_set_tsc_khz(vcpu, (u32)arg);
	default:
		return KVMIRQ_NO_IOCTL;
	}
}
