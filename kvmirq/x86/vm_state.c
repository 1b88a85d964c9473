// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: the x86 VM's own state beyond the interrupt controllers, what a
 * VMM sets up before its first vcpu runs: memory slots (two address spaces,
 * SMM's the second), dirty logging, the TSS and identity-map addresses,
 * the kvmclock, the default TSC frequency and the MSR filter.
 *
 * These are KVM's ioctls with KVM's checks and errnos (arch/x86/kvm/x86.c,
 * virt/kvm/kvm_main.c); what they would do to a running guest has no
 * guest here, which Documentation/kvmirq.rst says for each.
 */
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/processor.h>
#include <asm/tsc.h>

#include "x86.h"

/* KVM ABI: x86's KVM_USER_MEM_SLOTS (SHRT_MAX less 3 internal slots). */
#define KVMIRQ_X86_MEM_SLOTS		32764
/* KVM ABI: x86's KVM_ADDRESS_SPACE_NUM: normal and SMM. */
#define KVMIRQ_X86_ADDRESS_SPACES	2
/* KVM ABI: x86's KVM_DIRTY_LOG_MANUAL_CAPS. */
#define KVMIRQ_X86_DIRTY_LOG_CAPS	(KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | \
					 KVM_DIRTY_LOG_INITIALLY_SET)
/* KVM ABI: KVM_CLOCK_VALID_FLAGS, what KVM_CAP_ADJUST_CLOCK answers. */
#define KVMIRQ_CLOCK_VALID_FLAGS	(KVM_CLOCK_TSC_STABLE | \
					 KVM_CLOCK_REALTIME | KVM_CLOCK_HOST_TSC)

/*
 * KVM ABI: kvm_mmu_max_gfn() with TDP: guest memory ends at the host's
 * MAXPHYADDR as CPUID 0x80000008 reports it.
 */
static u64 kvmirq_x86_mem_limit(void)
{
	unsigned int bits = boot_cpu_data.x86_phys_bits;

	if (boot_cpu_data.extended_cpuid_level >= 0x80000008)
		bits = cpuid_eax(0x80000008) & 0xff;
	return 1ULL << bits;
}

static void kvmirq_x86_memslot_rules(struct kvmirq_memslot_rules *rules)
{
	*rules = (struct kvmirq_memslot_rules) {
		.max_slots	= KVMIRQ_X86_MEM_SLOTS,
		.nr_as		= KVMIRQ_X86_ADDRESS_SPACES,
		.valid_flags	= KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY,
		.dirty_log	= true,
		.align		= PAGE_SIZE,
		.mem_limit	= kvmirq_x86_mem_limit(),
	};
}

/**
 * kvmirq_x86_vm_state_init() - the state of a new VM
 * @vm: the VM
 *
 * KVM ABI: the kvmclock starts at 0 when the VM is created, and vcpus get
 * the host's TSC frequency unless KVM_SET_TSC_KHZ on the VM says otherwise.
 */
void kvmirq_x86_vm_state_init(struct kvmirq_vm *vm)
{
	struct kvmirq_x86_vm_state *s = &kvmirq_x86(vm)->state;

	s->kvmclock_offset = -ktime_get_boottime_ns();
	s->default_tsc_khz = tsc_khz;
}

static void kvmirq_msr_filter_free(struct kvmirq_msr_filter *f)
{
	unsigned int i;

	if (!f)
		return;
	for (i = 0; i < f->count; i++)
		kfree(f->ranges[i].bitmap);
	kfree(f);
}

void kvmirq_x86_vm_state_destroy(struct kvmirq_vm *vm)
{
	kvmirq_msr_filter_free(kvmirq_x86(vm)->state.msr_filter);
}

long kvmirq_x86_vm_state_check_extension(long cap)
{
	switch (cap) {
	case KVM_CAP_SET_TSS_ADDR:
	case KVM_CAP_SET_IDENTITY_MAP_ADDR:
	case KVM_CAP_READONLY_MEM:
	case KVM_CAP_X86_MSR_FILTER:
		return 1;
	case KVM_CAP_NR_MEMSLOTS:
		return KVMIRQ_X86_MEM_SLOTS;
	case KVM_CAP_MULTI_ADDRESS_SPACE:
		return KVMIRQ_X86_ADDRESS_SPACES;
	case KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2:
		return KVMIRQ_X86_DIRTY_LOG_CAPS;
	case KVM_CAP_ADJUST_CLOCK:
		return KVMIRQ_CLOCK_VALID_FLAGS;
	default:
		return 0;
	}
}

/**
 * kvmirq_x86_vm_state_enable_cap() - the capabilities this file enables
 * @vm: the VM
 * @cap: the request, flags already checked
 *
 * Return: 0, -EINVAL, or KVMIRQ_NO_IOCTL for a capability of another file.
 */
int kvmirq_x86_vm_state_enable_cap(struct kvmirq_vm *vm,
				   struct kvm_enable_cap *cap)
{
	switch (cap->cap) {
	case KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2:
		return kvmirq_enable_manual_dirty_log(vm, cap,
						      KVMIRQ_X86_DIRTY_LOG_CAPS);
	default:
		return KVMIRQ_NO_IOCTL;
	}
}

/* KVM ABI: SVM, and VMX with unrestricted guests, only check the address. */
static int kvmirq_x86_set_tss_addr(struct kvmirq_vm *vm, unsigned long addr)
{
	if (addr > (unsigned int)(-3 * PAGE_SIZE))
		return -EINVAL;
	WRITE_ONCE(kvmirq_x86(vm)->state.tss_addr, addr);
	return 0;
}

/* KVM ABI: refused once a vcpu exists, before the argument is read. */
static int kvmirq_x86_set_identity_map_addr(struct kvmirq_vm *vm,
					    void __user *argp)
{
	u64 addr;
	int r = -EINVAL;

	mutex_lock(&vm->lock);
	if (vm->nr_vcpus)
		goto out;
	r = -EFAULT;
	if (copy_from_user(&addr, argp, sizeof(addr)))
		goto out;
	kvmirq_x86(vm)->state.identity_map_addr = addr;
	r = 0;
out:
	mutex_unlock(&vm->lock);
	return r;
}

/*
 * KVM ABI: KVM_GET_CLOCK without a master clock (no guest TSC to follow):
 * CLOCK_BOOTTIME plus the VM's offset, flags 0.
 */
static int kvmirq_x86_get_clock(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvm_clock_data data = { 0 };

	data.clock = ktime_get_boottime_ns() +
		     READ_ONCE(kvmirq_x86(vm)->state.kvmclock_offset);
	return copy_to_user(argp, &data, sizeof(data)) ? -EFAULT : 0;
}

/* KVM ABI: KVM_SET_CLOCK takes back what KVM_GET_CLOCK gave. */
static int kvmirq_x86_set_clock(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvm_clock_data data;
	u64 now_real;

	if (copy_from_user(&data, argp, sizeof(data)))
		return -EFAULT;
	if (data.flags & ~KVMIRQ_CLOCK_VALID_FLAGS)
		return -EINVAL;
	/* With REALTIME, the clock moves on by the real time since then. */
	if (data.flags & KVM_CLOCK_REALTIME) {
		now_real = ktime_get_real_ns();
		if (now_real > data.realtime)
			data.clock += now_real - data.realtime;
	}
	WRITE_ONCE(kvmirq_x86(vm)->state.kvmclock_offset,
		   data.clock - ktime_get_boottime_ns());
	return 0;
}

/*
 * KVM ABI: the VM's KVM_SET_TSC_KHZ sets the frequency of vcpus created
 * later; without TSC scaling (KVM_CAP_TSC_CONTROL 0) any value is taken,
 * 0 meaning the host's.
 */
static int kvmirq_x86_set_default_tsc_khz(struct kvmirq_vm *vm,
					  unsigned long arg)
{
	u32 khz = arg;

	WRITE_ONCE(kvmirq_x86(vm)->state.default_tsc_khz, khz ? khz : tsc_khz);
	return 0;
}

/* KVM ABI: kvm_add_msr_filter(): an empty range is skipped. */
static int kvmirq_msr_filter_range(struct kvmirq_msr_filter *f,
				   const struct kvm_msr_filter_range *range)
{
	size_t bytes = BITS_TO_LONGS(range->nmsrs) * sizeof(long);
	struct kvmirq_msr_range *r = &f->ranges[f->count];
	void *bitmap;

	if (!range->nmsrs)
		return 0;
	if (range->flags & ~(KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE))
		return -EINVAL;
	if (!range->flags)
		return -EINVAL;
	if (!bytes || bytes > KVM_MSR_FILTER_MAX_BITMAP_SIZE)
		return -EINVAL;
	bitmap = memdup_user((const void __user *)range->bitmap, bytes);
	if (IS_ERR(bitmap))
		return PTR_ERR(bitmap);
	r->bitmap = bitmap;
	r->flags = range->flags;
	r->base = range->base;
	r->nmsrs = range->nmsrs;
	f->count++;
	return 0;
}

/*
 * KVM ABI: KVM_X86_SET_MSR_FILTER: flags, then "deny everything with no
 * range", then each range; the new filter replaces the old one whole.
 */
static int kvmirq_x86_set_msr_filter(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvmirq_x86_vm_state *s = &kvmirq_x86(vm)->state;
	struct kvmirq_msr_filter *f, *old;
	struct kvm_msr_filter filter;
	bool empty = true;
	unsigned int i;
	int r;

	if (copy_from_user(&filter, argp, sizeof(filter)))
		return -EFAULT;
	if (filter.flags & ~KVM_MSR_FILTER_DEFAULT_DENY)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(filter.ranges); i++)
		empty &= !filter.ranges[i].nmsrs;
	if (empty && (filter.flags & KVM_MSR_FILTER_DEFAULT_DENY))
		return -EINVAL;

	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return -ENOMEM;
	f->default_deny = filter.flags & KVM_MSR_FILTER_DEFAULT_DENY;
	for (i = 0; i < ARRAY_SIZE(filter.ranges); i++) {
		r = kvmirq_msr_filter_range(f, &filter.ranges[i]);
		if (r) {
			kvmirq_msr_filter_free(f);
			return r;
		}
	}

	mutex_lock(&vm->lock);
	old = s->msr_filter;
	s->msr_filter = f;
	mutex_unlock(&vm->lock);
	kvmirq_msr_filter_free(old);
	return 0;
}

static long kvmirq_x86_memory_ioctl(struct kvmirq_vm *vm, unsigned int ioctl,
				    void __user *argp)
{
	struct kvmirq_memslot_rules rules;

	kvmirq_x86_memslot_rules(&rules);
	switch (ioctl) {
	case KVM_SET_USER_MEMORY_REGION:
		return kvmirq_set_user_memory_region(vm, &rules, argp);
	case KVM_GET_DIRTY_LOG:
		return kvmirq_get_dirty_log(vm, &rules, argp);
	case KVM_CLEAR_DIRTY_LOG:
		return kvmirq_clear_dirty_log(vm, &rules, argp);
	default:
		return KVMIRQ_NO_IOCTL;
	}
}

/**
 * kvmirq_x86_vm_state_ioctl() - the VM ioctls of this file
 * @vm: the VM
 * @ioctl: the ioctl
 * @arg: its argument
 *
 * Return: the ioctl's result, or KVMIRQ_NO_IOCTL for another file's ioctl.
 */
long kvmirq_x86_vm_state_ioctl(struct kvmirq_vm *vm, unsigned int ioctl,
			       unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (ioctl) {
	case KVM_SET_TSS_ADDR:
		return kvmirq_x86_set_tss_addr(vm, arg);
	case KVM_SET_IDENTITY_MAP_ADDR:
		return kvmirq_x86_set_identity_map_addr(vm, argp);
	case KVM_GET_CLOCK:
		return kvmirq_x86_get_clock(vm, argp);
	case KVM_SET_CLOCK:
		return kvmirq_x86_set_clock(vm, argp);
	case KVM_SET_TSC_KHZ:
		return kvmirq_x86_set_default_tsc_khz(vm, arg);
	case KVM_GET_TSC_KHZ:
		return READ_ONCE(kvmirq_x86(vm)->state.default_tsc_khz);
	case KVM_X86_SET_MSR_FILTER:
		return kvmirq_x86_set_msr_filter(vm, argp);
	default:
		return kvmirq_x86_memory_ioctl(vm, ioctl, argp);
	}
}
