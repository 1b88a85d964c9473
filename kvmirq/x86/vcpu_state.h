/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq: an x86 vcpu's architectural state, the part a VMM saves and
 * restores besides the interrupt controllers: CPUID (cpuid.c), registers
 * and debug registers (regs.c), FPU/XSAVE and XCR0 (xsave.c), MSRs, TSC and
 * machine check banks (msr.c).  No guest runs, so this is a store with KVM's
 * rules: every SET validates as KVM does and every GET returns what KVM
 * would return.
 *
 * Everything here is under vcpu->mutex.  struct kvmirq_x86_state is
 * allocated, at KVM's reset values, by the first ioctl that reads or
 * writes it (kvmirq_vcpu_state_alloc()): a vcpu that only has a LAPIC goes
 * without.  Within it, the structs that only some users need (the CPUID
 * table, the XSAVE image, MTRRs, machine-check banks) are allocated on the
 * first SET that needs them; until then they read as KVM's reset values.
 */
#ifndef KVMIRQ_X86_VCPU_STATE_H
#define KVMIRQ_X86_VCPU_STATE_H

#include <linux/types.h>
#include <linux/kvm.h>

struct kvmirq_vcpu;
struct kvmirq_vm;

/* KVM ABI: KVM_MAX_CPUID_ENTRIES */
#define KVMIRQ_MAX_CPUID_ENTRIES	256
/* KVM ABI: KVM_MAX_MCE_BANKS */
#define KVMIRQ_MAX_MCE_BANKS		32
/* KVM ABI: KVM_NR_VAR_MTRR */
#define KVMIRQ_NR_VAR_MTRR		8
/* KVM ABI: the fixed-range MTRRs, 64K + 2 * 16K + 8 * 4K */
#define KVMIRQ_NR_FIXED_MTRR		11

/**
 * struct kvmirq_x86_cpuid - the table of KVM_SET_CPUID2
 * @nent: entries
 * @maxphyaddr: physical address width it gives (KVM's cpuid_maxphyaddr)
 * @xcr0: XCR0 bits the guest may enable (KVM's guest_supported_xcr0)
 * @cr4_rsvd: CR4 bits its features leave reserved
 * @x2apic: CPUID.1:ECX.x2APIC, which gates MSR_IA32_APICBASE.EXTD
 * @intel: vendor GenuineIntel (TSC_AUX, SYSENTER rules follow it)
 * @tsc_adjust: CPUID.7:EBX.TSC_ADJUST
 * @rt_bits: the state bits the runtime leaves were last updated for, 0
 *           until the first update (cpuid.c)
 * @rt_xcr0: the XCR0 they were last updated for
 * @e: the entries, as given
 */
struct kvmirq_x86_cpuid {
	u32 nent;
	u8 maxphyaddr;
	u64 xcr0;
	u64 cr4_rsvd;
	bool x2apic;
	bool intel;
	bool tsc_adjust;
	u32 rt_bits;
	u64 rt_xcr0;
	struct kvm_cpuid_entry2 e[];
};

/**
 * struct kvmirq_x86_regs - general, segment, control and debug registers
 * @regs: KVM_GET_REGS
 * @sregs: KVM_GET_SREGS2 without the interrupt bitmap; apic_base and cr8
 *         are not kept here but read from the LAPIC
 * @db: DR0-3
 * @dr6: DR6
 * @dr7: DR7
 */
struct kvmirq_x86_regs {
	struct kvm_regs regs;
	struct kvm_sregs2 sregs;
	u64 db[4];
	u64 dr6;
	u64 dr7;
};

/**
 * struct kvmirq_x86_fpu - FPU, SSE and XSAVE state
 * @xsave: the XSAVE image in standard format (size kvmirq_xsave_size), or
 *         NULL while it is the reset image
 * @xcr0: XCR0
 * @pkru: PKRU, kept apart as KVM does
 */
struct kvmirq_x86_fpu {
	u8 *xsave;
	u64 xcr0;
	u32 pkru;
};

/**
 * struct kvmirq_x86_mce - machine-check banks (MCi_CTL2 is always 0: no CMCI)
 * @banks: MCi_CTL, STATUS, ADDR, MISC for each bank
 */
struct kvmirq_x86_mce {
	u64 banks[KVMIRQ_MAX_MCE_BANKS * 4];
};

/**
 * struct kvmirq_x86_mtrr - MTRRs
 * @deftype: MTRRdefType
 * @fixed: the fixed ranges
 * @var: base, mask pairs
 */
struct kvmirq_x86_mtrr {
	u64 deftype;
	u64 fixed[KVMIRQ_NR_FIXED_MTRR];
	u64 var[KVMIRQ_NR_VAR_MTRR * 2];
};

/**
 * struct kvmirq_x86_msrs - MSRs that are neither registers nor APIC state
 * @tsc_offset: guest TSC minus host TSC
 * @tsc_khz: KVM_GET/SET_TSC_KHZ
 * @tsc_adjust: IA32_TSC_ADJUST
 * @tsc_aux: TSC_AUX
 * @tsc_deadline: IA32_TSC_DEADLINE
 * @sysenter: SYSENTER_CS, ESP, EIP
 * @star: STAR
 * @lstar: LSTAR
 * @cstar: CSTAR
 * @fmask: SYSCALL_MASK
 * @kernel_gs_base: KERNEL_GS_BASE
 * @pat: PAT
 * @misc_enable: IA32_MISC_ENABLE
 * @mcg_cap: MCG_CAP; the bank count is its low byte (KVM: 32 at reset)
 * @mcg_ctl: MCG_CTL
 * @mcg_status: MCG_STATUS
 * @mcg_ext_ctl: MCG_EXT_CTL (Intel hosts)
 * @feat_ctl: IA32_FEATURE_CONTROL (Intel hosts)
 * @de_cfg: DE_CFG (AMD hosts)
 * @hsave_pa: VM_HSAVE_PA (AMD hosts)
 * @smbase: SMBASE
 * @smi_count: SMI_COUNT
 * @ucode_rev: UCODE_REV
 * @hwcr: K7_HWCR
 * @system_time: MSR_KVM_SYSTEM_TIME(_NEW)
 * @async_pf_en: MSR_KVM_ASYNC_PF_EN
 * @async_pf_int: MSR_KVM_ASYNC_PF_INT
 * @pv_eoi: MSR_KVM_PV_EOI_EN
 * @steal_time: MSR_KVM_STEAL_TIME
 * @poll_control: MSR_KVM_POLL_CONTROL
 * @mtrr: MTRRs, NULL while all are zero
 * @mce: machine-check banks, NULL while all are zero
 */
struct kvmirq_x86_msrs {
	s64 tsc_offset;
	u32 tsc_khz;
	u64 tsc_adjust;
	u64 tsc_aux;
	u64 tsc_deadline;
	u64 sysenter[3];
	u64 star;
	u64 lstar;
	u64 cstar;
	u64 fmask;
	u64 kernel_gs_base;
	u64 pat;
	u64 misc_enable;
	u64 mcg_cap;
	u64 mcg_ctl;
	u64 mcg_status;
	u64 mcg_ext_ctl;
	u64 feat_ctl;
	u64 de_cfg;
	u64 hsave_pa;
	u64 smbase;
	u64 smi_count;
	u64 ucode_rev;
	u64 hwcr;
	u64 system_time;
	u64 async_pf_en;
	u64 async_pf_int;
	u64 pv_eoi;
	u64 steal_time;
	u64 poll_control;
	struct kvmirq_x86_mtrr *mtrr;
	struct kvmirq_x86_mce *mce;
};

/**
 * struct kvmirq_x86_ctl - vcpu controls with no architectural state
 * @sigset: KVM_SET_SIGNAL_MASK
 * @guest_debug: KVM_SET_GUEST_DEBUG control
 * @tpr_access: KVM_TPR_ACCESS_REPORTING enabled
 * @sigset_active: a signal mask was set
 * @vapic_addr: KVM_SET_VAPIC_ADDR
 * @clock_paused: KVM_KVMCLOCK_CTRL requested
 */
struct kvmirq_x86_ctl {
	u64 sigset;
	u32 guest_debug;
	bool tpr_access;
	bool sigset_active;
	bool clock_paused;
	u64 vapic_addr;
};

/**
 * struct kvmirq_x86_state - the whole architectural state of an x86 vcpu
 * @cpuid: KVM_SET_CPUID2's table, NULL before the first one (empty CPUID)
 * @r: registers
 * @fpu: FPU and XSAVE state
 * @msrs: MSRs
 * @ctl: controls
 */
struct kvmirq_x86_state {
	struct kvmirq_x86_cpuid *cpuid;
	struct kvmirq_x86_regs r;
	struct kvmirq_x86_fpu fpu;
	struct kvmirq_x86_msrs msrs;
	struct kvmirq_x86_ctl ctl;
};

/* Host vendor: the answers that differ between VMX and SVM follow it. */
bool kvmirq_x86_host_amd(void);

/* cpuid.c */
int kvmirq_cpuid_module_init(void);
long kvmirq_x86_dev_ioctl(unsigned int ioctl, unsigned long arg);
long kvmirq_cpuid_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			     void __user *argp);
const struct kvm_cpuid_entry2 *kvmirq_supported_cpuid(u32 function,
						      u32 index);
bool kvmirq_supported_has(u32 function, u32 index, int reg, int bit);
const struct kvm_cpuid_entry2 *kvmirq_vcpu_cpuid(struct kvmirq_vcpu *vcpu,
						 u32 function, u32 index);
u8 kvmirq_vcpu_maxphyaddr(struct kvmirq_vcpu *vcpu);
bool kvmirq_vcpu_x2apic_allowed(struct kvmirq_vcpu *vcpu);
u64 kvmirq_vcpu_apic_base_rsvd(struct kvmirq_vcpu *vcpu);
u64 kvmirq_vcpu_cr4_rsvd(struct kvmirq_vcpu *vcpu);
u64 kvmirq_vcpu_xcr0_allowed(struct kvmirq_vcpu *vcpu);
bool kvmirq_vcpu_intel(struct kvmirq_vcpu *vcpu);
bool kvmirq_vcpu_has(struct kvmirq_vcpu *vcpu, u32 function, int reg,
		     int bit);
void kvmirq_cpuid_free(struct kvmirq_vcpu *vcpu);

/* CPUID registers, for kvmirq_supported_has() */
#define KVMIRQ_EAX	0
#define KVMIRQ_EBX	1
#define KVMIRQ_ECX	2
#define KVMIRQ_EDX	3

/* regs.c */
void kvmirq_regs_reset(struct kvmirq_vcpu *vcpu);
long kvmirq_regs_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			    void __user *argp);
u64 kvmirq_vcpu_apic_base(struct kvmirq_vcpu *vcpu);
u64 kvmirq_vcpu_cr4(struct kvmirq_vcpu *vcpu);
int kvmirq_x86_set_apic_base(struct kvmirq_vcpu *vcpu, u64 val, bool host);

/* xsave.c */
int kvmirq_xsave_module_init(void);
void kvmirq_xsave_module_exit(void);
u64 kvmirq_supported_xcr0(void);
u32 kvmirq_xsave_uabi_size(void);
u32 kvmirq_xstate_size(u64 xfeatures);
long kvmirq_xsave_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			     void __user *argp);
void kvmirq_xsave_free(struct kvmirq_vcpu *vcpu);

/* msr.c */
void kvmirq_msr_list_init(void);
void kvmirq_msrs_reset(struct kvmirq_vcpu *vcpu);
void kvmirq_msrs_free(struct kvmirq_vcpu *vcpu);
bool kvmirq_x86_state_msr_io(struct kvmirq_vcpu *vcpu,
			     struct kvm_msr_entry *e, bool set);
int kvmirq_x86_msrs_reserve(struct kvmirq_vcpu *vcpu,
			    const struct kvm_msr_entry *e, u32 n);
long kvmirq_msr_dev_ioctl(unsigned int ioctl, void __user *argp);
long kvmirq_msr_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			   unsigned long arg);
u64 kvmirq_supported_mce_cap(void);
bool kvmirq_efer_reserved(u64 efer);
bool kvmirq_efer_guest_valid(struct kvmirq_vcpu *vcpu, u64 efer);
u8 kvmirq_host_virt_addr_bits(void);

/* vcpu_ctl.c */
long kvmirq_vcpu_state_check_extension(long cap);
long kvmirq_vcpu_state_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			     unsigned long arg);
int kvmirq_vcpu_state_init(struct kvmirq_vcpu *vcpu);
int kvmirq_vcpu_state_alloc(struct kvmirq_vcpu *vcpu);
void kvmirq_vcpu_state_free(struct kvmirq_vcpu *vcpu);

#endif /* KVMIRQ_X86_VCPU_STATE_H */
