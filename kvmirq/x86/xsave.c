// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: FPU and XSAVE state (KVM_GET/SET_FPU, KVM_GET/SET_XSAVE,
 * KVM_GET_XSAVE2) and XCR0 (KVM_GET/SET_XCRS).
 *
 * A vcpu keeps one XSAVE image in standard (non-compacted) format, as large
 * as the components kvmirq supports need (832 bytes with AVX, 2696 with
 * AVX-512 and PKRU), allocated on the first SET.  The ioctls convert it as
 * the kernel's FPU core converts KVM's guest fpstate: GET fills what the
 * header does not mark with the init state, SET copies only the components
 * the header marks.  Supported components: x87, SSE, AVX, AVX-512 and PKRU,
 * those of them the host has enabled in its own XCR0.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/fpu/xcr.h>
#include <asm/sigcontext.h>

#include "x86.h"
#include "vcpu_state.h"

#define KVMIRQ_XFEATURES	(XFEATURE_MASK_FPSSE | XFEATURE_MASK_YMM | \
				 XFEATURE_MASK_AVX512 | XFEATURE_MASK_PKRU)

/* The legacy (FXSAVE) area and the header, as struct fxregs_state. */
#define FX_CWD		0
#define FX_TWD		4
#define FX_FOP		6
#define FX_RIP		8
#define FX_RDP		16
#define FX_MXCSR	24
#define FX_MXCSR_MASK	28
#define FX_ST		32
#define FX_XMM		160
#define FX_PAD		416
#define FX_SW		464
#define XSAVE_HDR	512
#define XSAVE_HDR_SIZE	64
#define XSAVE_EXT	576
#define FX_SIZE		512

/* KVM ABI: fpstate_init_fxstate() */
#define FCW_DEFAULT		0x37f
#define MXCSR_DEFAULT		0x1f80

static u64 kvmirq_xcr0;			/* supported XCR0, 0 without XSAVE */
static u32 kvmirq_xsave_bytes;		/* image size for kvmirq_xcr0 */
static u32 kvmirq_mxcsr_mask;		/* MXCSR bits the host accepts */
static u32 xstate_off[64], xstate_len[64], xstate_align[64];
static u8 kvmirq_sw_bytes[48];		/* the host's fx_sw_reserved */
static u8 *kvmirq_xsave_reset_image;	/* a new vcpu's raw fpstate */
static u8 *kvmirq_xsave_init_image;	/* the kernel's init_fpstate */
static struct kmem_cache *kvmirq_xsave_cache;	/* vcpu images, exact size */

u64 kvmirq_supported_xcr0(void)
{
	return kvmirq_xcr0;
}

/* KVM ABI: the uABI size of the guest FPU, sizeof(struct kvm_xsave). */
u32 kvmirq_xsave_uabi_size(void)
{
	return max_t(u32, sizeof(struct kvm_xsave), kvmirq_xsave_bytes);
}

/* KVM ABI: xstate_required_size(@xfeatures, false). */
u32 kvmirq_xstate_size(u64 xfeatures)
{
	u32 size = XSAVE_EXT;
	int i;

	for (i = 2; i < 64; i++)
		if ((xfeatures & kvmirq_xcr0 & BIT_ULL(i)) &&
		    xstate_off[i] + xstate_len[i] > size)
			size = xstate_off[i] + xstate_len[i];
	return size;
}

static u32 kvmirq_xsave_host_mxcsr_mask(void)
{
	u8 fx[FX_SIZE] __aligned(16);
	u32 mask;

	kernel_fpu_begin();
	asm volatile("fxsaveq %0" : "=m" (fx));
	kernel_fpu_end();
	mask = *(u32 *)(fx + FX_MXCSR_MASK);
	/* As the kernel's mxcsr_feature_mask_init(). */
	return mask ? mask : 0xffbf;
}

static void kvmirq_xsave_host_sw_bytes(u64 host_xcr0)
{
	u32 eax, ebx, ecx, edx;

	cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx);
	*(u32 *)(kvmirq_sw_bytes + 0) = FP_XSTATE_MAGIC1;
	*(u32 *)(kvmirq_sw_bytes + 4) = ebx + FP_XSTATE_MAGIC2_SIZE;
	*(u64 *)(kvmirq_sw_bytes + 8) = host_xcr0;
	*(u32 *)(kvmirq_sw_bytes + 16) = ebx;
}

static void kvmirq_xsave_layout_init(void)
{
	u64 host_xcr0 = 0;
	u32 eax, ebx, ecx, edx;
	int i;

	kvmirq_xcr0 = 0;
	if (boot_cpu_has(X86_FEATURE_XSAVE)) {
		host_xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
		kvmirq_xcr0 = host_xcr0 & KVMIRQ_XFEATURES;
		/* AVX-512 is all three components or none. */
		if ((kvmirq_xcr0 & XFEATURE_MASK_AVX512) != XFEATURE_MASK_AVX512 ||
		    !(kvmirq_xcr0 & XFEATURE_MASK_YMM))
			kvmirq_xcr0 &= ~XFEATURE_MASK_AVX512;
		kvmirq_xsave_host_sw_bytes(host_xcr0);
	}
	for (i = 2; i < 64; i++) {
		if (!(kvmirq_xcr0 & BIT_ULL(i)))
			continue;
		cpuid_count(0xd, i, &eax, &ebx, &ecx, &edx);
		xstate_len[i] = eax;
		xstate_off[i] = ebx;
		xstate_align[i] = ecx & 2;
	}
	kvmirq_xsave_bytes = kvmirq_xstate_size(kvmirq_xcr0);
}

/**
 * kvmirq_xsave_module_init() - learn the host's XSAVE layout at load
 *
 * Return: 0 or -ENOMEM.
 */
int kvmirq_xsave_module_init(void)
{
	kvmirq_xsave_layout_init();
	kvmirq_mxcsr_mask = kvmirq_xsave_host_mxcsr_mask();
	kvmirq_xsave_reset_image = kzalloc(kvmirq_xsave_bytes, GFP_KERNEL);
	kvmirq_xsave_init_image = kzalloc(kvmirq_xsave_bytes, GFP_KERNEL);
	/* 2696 bytes with PKRU: a kmalloc would round it up to 4096. */
	kvmirq_xsave_cache = kmem_cache_create("kvmirq_xsave",
					       kvmirq_xsave_bytes, 64,
					       SLAB_ACCOUNT, NULL);
	if (!kvmirq_xsave_reset_image || !kvmirq_xsave_init_image ||
	    !kvmirq_xsave_cache) {
		kvmirq_xsave_module_exit();
		return -ENOMEM;
	}
	*(u16 *)(kvmirq_xsave_reset_image + FX_CWD) = FCW_DEFAULT;
	*(u32 *)(kvmirq_xsave_reset_image + FX_MXCSR) = MXCSR_DEFAULT;
	memcpy(kvmirq_xsave_init_image, kvmirq_xsave_reset_image,
	       kvmirq_xsave_bytes);
	*(u32 *)(kvmirq_xsave_init_image + FX_MXCSR_MASK) = kvmirq_mxcsr_mask;
	return 0;
}

void kvmirq_xsave_module_exit(void)
{
	kmem_cache_destroy(kvmirq_xsave_cache);
	kfree(kvmirq_xsave_reset_image);
	kfree(kvmirq_xsave_init_image);
	kvmirq_xsave_cache = NULL;
	kvmirq_xsave_reset_image = NULL;
	kvmirq_xsave_init_image = NULL;
}

static struct kvmirq_x86_fpu *kvmirq_xsave_state(struct kvmirq_vcpu *vcpu)
{
	return &kvmirq_x86_vcpu(vcpu)->st.fpu;
}

static const u8 *kvmirq_xsave_fpu_image(struct kvmirq_vcpu *vcpu)
{
	return kvmirq_xsave_state(vcpu)->xsave ?: kvmirq_xsave_reset_image;
}

/* The image, allocated (as a copy of the reset image) for a write. */
static u8 *kvmirq_xsave_fpu_image_for_write(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_x86_fpu *fpu = kvmirq_xsave_state(vcpu);

	if (!fpu->xsave) {
		fpu->xsave = kmem_cache_alloc(kvmirq_xsave_cache,
					      GFP_KERNEL_ACCOUNT);
		if (fpu->xsave)
			memcpy(fpu->xsave, kvmirq_xsave_reset_image,
			       kvmirq_xsave_bytes);
	}
	return fpu->xsave;
}

void kvmirq_xsave_free(struct kvmirq_vcpu *vcpu)
{
	if (kvmirq_xsave_state(vcpu)->xsave)
		kmem_cache_free(kvmirq_xsave_cache, kvmirq_xsave_state(vcpu)->xsave);
}

/*
 * KVM ABI: user_xfeatures, the components SET_XSAVE accepts: the host's
 * until KVM_SET_CPUID2, then the guest's XCR0 bits plus x87 and SSE.
 */
static u64 kvmirq_xsave_fpu_user_xfeatures(struct kvmirq_vcpu *vcpu)
{
	if (!kvmirq_x86_vcpu(vcpu)->st.cpuid)
		return kvmirq_xcr0;
	return kvmirq_vcpu_xcr0_allowed(vcpu) | XFEATURE_MASK_FPSSE;
}

static u64 kvmirq_xsave_image_xfeatures(const u8 *img)
{
	return *(const u64 *)(img + XSAVE_HDR);
}

/* One part of the legacy area: from the image if @live, else the init. */
static void kvmirq_xsave_copy_part(u8 *buf, const u8 *img, bool live, u32 off, u32 len)
{
	memcpy(buf + off, (live ? img : kvmirq_xsave_init_image) + off, len);
}

/* KVM ABI: fpu_copy_guest_fpstate_to_uabi() into a zeroed @buf. */
static void kvmirq_xsave_get(struct kvmirq_vcpu *vcpu, u8 *buf)
{
	const u8 *img = kvmirq_xsave_fpu_image(vcpu);
	u64 xf = kvmirq_xsave_image_xfeatures(img);
	int i;

	if (!kvmirq_xcr0) {
		memcpy(buf, img, FX_SIZE);
		*(u64 *)(buf + XSAVE_HDR) = XFEATURE_MASK_FPSSE;
		return;
	}
	/* KVM ABI: only what the guest may have, plus x87 and SSE. */
	xf &= kvmirq_vcpu_xcr0_allowed(vcpu) | XFEATURE_MASK_FPSSE;
	kvmirq_xsave_copy_part(buf, img, xf & XFEATURE_MASK_FP, 0, FX_MXCSR);
	kvmirq_xsave_copy_part(buf, img, xf & (XFEATURE_MASK_SSE | XFEATURE_MASK_YMM), FX_MXCSR, 8);
	kvmirq_xsave_copy_part(buf, img, xf & XFEATURE_MASK_FP, FX_ST, FX_XMM - FX_ST);
	kvmirq_xsave_copy_part(buf, img, xf & XFEATURE_MASK_SSE, FX_XMM, FX_PAD - FX_XMM);
	memcpy(buf + FX_SW, kvmirq_sw_bytes, sizeof(kvmirq_sw_bytes));
	*(u64 *)(buf + XSAVE_HDR) = xf;
	for (i = 2; i < 64; i++) {
		if (!(xf & BIT_ULL(i)))
			continue;
		if (i == XFEATURE_PKRU)
			*(u32 *)(buf + xstate_off[i]) = kvmirq_xsave_state(vcpu)->pkru;
		else
			memcpy(buf + xstate_off[i], img + xstate_off[i],
			       xstate_len[i]);
	}
}

/* KVM ABI: validate_user_xstate_header() and the MXCSR check. */
static int kvmirq_xsave_check(struct kvmirq_vcpu *vcpu, const u8 *buf)
{
	u64 xf = kvmirq_xsave_image_xfeatures(buf);
	u32 mxcsr = *(const u32 *)(buf + FX_MXCSR);

	if (!kvmirq_xcr0)
		return (xf & ~XFEATURE_MASK_FPSSE) ||
		       (mxcsr & ~kvmirq_mxcsr_mask) ? -EINVAL : 0;
	/* Beyond what KVM supports, then beyond what this guest may use. */
	if (xf & ~kvmirq_xcr0 & ~XFEATURE_MASK_FPSSE)
		return -EINVAL;
	if (xf & ~kvmirq_xsave_fpu_user_xfeatures(vcpu))
		return -EINVAL;
	/* XCOMP_BV, then the reserved bytes of the header */
	if (memchr_inv(buf + XSAVE_HDR + 8, 0, XSAVE_HDR_SIZE - 8))
		return -EINVAL;
	if ((xf & (XFEATURE_MASK_FPSSE | XFEATURE_MASK_YMM)) &&
	    (mxcsr & ~kvmirq_mxcsr_mask))
		return -EINVAL;
	return 0;
}

/* KVM ABI: copy_uabi_to_xstate(); PKRU is kept only when it is given. */
static int kvmirq_xsave_set(struct kvmirq_vcpu *vcpu, const u8 *buf)
{
	u64 xf = kvmirq_xsave_image_xfeatures(buf);
	u8 *img;
	int r, i;

	r = kvmirq_xsave_check(vcpu, buf);
	if (r)
		return r;
	img = kvmirq_xsave_fpu_image_for_write(vcpu);
	if (!img)
		return -ENOMEM;
	if (!kvmirq_xcr0) {
		memcpy(img, buf, FX_SIZE);
		return 0;
	}
	if ((xf & (XFEATURE_MASK_SSE | XFEATURE_MASK_YMM)) && !(xf & XFEATURE_MASK_FP))
		memcpy(img + FX_MXCSR, buf + FX_MXCSR, 8);
	if (xf & XFEATURE_MASK_FP)
		memcpy(img, buf, FX_XMM);
	if (xf & XFEATURE_MASK_SSE)
		memcpy(img + FX_XMM, buf + FX_XMM, FX_PAD - FX_XMM);
	for (i = 2; i < 64; i++)
		if (xf & BIT_ULL(i))
			memcpy(img + xstate_off[i], buf + xstate_off[i],
			       xstate_len[i]);
	if (xf & BIT_ULL(XFEATURE_PKRU))
		kvmirq_xsave_state(vcpu)->pkru =
			*(const u32 *)(buf + xstate_off[XFEATURE_PKRU]);
	*(u64 *)(img + XSAVE_HDR) = xf;
	return 0;
}

static long kvmirq_xsave_get_ioctl(struct kvmirq_vcpu *vcpu, void __user *argp,
				   u32 size)
{
	u8 *buf = kzalloc(size, GFP_KERNEL_ACCOUNT);
	long r = 0;

	if (!buf)
		return -ENOMEM;
	kvmirq_xsave_get(vcpu, buf);
	if (copy_to_user(argp, buf, size))
		r = -EFAULT;
	kfree(buf);
	return r;
}

static long kvmirq_xsave_set_ioctl(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	u8 *buf = memdup_user(argp, kvmirq_xsave_uabi_size());
	long r;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	r = kvmirq_xsave_set(vcpu, buf);
	kfree(buf);
	return r;
}

/* KVM ABI: KVM_GET_FPU reads the raw legacy area; MXCSR stays 0. */
static long kvmirq_xsave_fpu_get_ioctl(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	const u8 *img = kvmirq_xsave_fpu_image(vcpu);
	struct kvm_fpu f;

	memset(&f, 0, sizeof(f));
	memcpy(f.fpr, img + FX_ST, sizeof(f.fpr));
	f.fcw = *(const u16 *)(img + FX_CWD);
	f.fsw = *(const u16 *)(img + FX_CWD + 2);
	f.ftwx = *(const u16 *)(img + FX_TWD);
	f.last_opcode = *(const u16 *)(img + FX_FOP);
	f.last_ip = *(const u64 *)(img + FX_RIP);
	f.last_dp = *(const u64 *)(img + FX_RDP);
	memcpy(f.xmm, img + FX_XMM, sizeof(f.xmm));
	return copy_to_user(argp, &f, sizeof(f)) ? -EFAULT : 0;
}

/* KVM ABI: KVM_SET_FPU writes the raw legacy area, not the header. */
static long kvmirq_xsave_fpu_set_ioctl(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvm_fpu f;
	u8 *img;

	if (copy_from_user(&f, argp, sizeof(f)))
		return -EFAULT;
	img = kvmirq_xsave_fpu_image_for_write(vcpu);
	if (!img)
		return -ENOMEM;
	memcpy(img + FX_ST, f.fpr, sizeof(f.fpr));
	*(u16 *)(img + FX_CWD) = f.fcw;
	*(u16 *)(img + FX_CWD + 2) = f.fsw;
	*(u16 *)(img + FX_TWD) = f.ftwx;
	*(u16 *)(img + FX_FOP) = f.last_opcode;
	*(u64 *)(img + FX_RIP) = f.last_ip;
	*(u64 *)(img + FX_RDP) = f.last_dp;
	memcpy(img + FX_XMM, f.xmm, sizeof(f.xmm));
	return 0;
}

/* KVM ABI: __kvm_set_xcr() for XCR0. */
static bool kvmirq_xsave_xcr0_valid(struct kvmirq_vcpu *vcpu, u64 xcr0)
{
	if (!(xcr0 & XFEATURE_MASK_FP))
		return false;
	if ((xcr0 & XFEATURE_MASK_YMM) && !(xcr0 & XFEATURE_MASK_SSE))
		return false;
	if (xcr0 & ~(kvmirq_vcpu_xcr0_allowed(vcpu) | XFEATURE_MASK_FP))
		return false;
	if (!(xcr0 & XFEATURE_MASK_BNDREGS) != !(xcr0 & XFEATURE_MASK_BNDCSR))
		return false;
	if ((xcr0 & XFEATURE_MASK_AVX512) &&
	    (!(xcr0 & XFEATURE_MASK_YMM) ||
	     (xcr0 & XFEATURE_MASK_AVX512) != XFEATURE_MASK_AVX512))
		return false;
	if ((xcr0 & XFEATURE_MASK_XTILE) &&
	    (xcr0 & XFEATURE_MASK_XTILE) != XFEATURE_MASK_XTILE)
		return false;
	return true;
}

static long kvmirq_xsave_xcrs_get_ioctl(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvm_xcrs *x = kzalloc(sizeof(*x), GFP_KERNEL_ACCOUNT);
	long r = 0;

	if (!x)
		return -ENOMEM;
	/* KVM ABI: no XCRs on a host without XSAVE. */
	if (kvmirq_xcr0) {
		x->nr_xcrs = 1;
		x->xcrs[0].xcr = 0;
		x->xcrs[0].value = kvmirq_xsave_state(vcpu)->xcr0;
	}
	if (copy_to_user(argp, x, sizeof(*x)))
		r = -EFAULT;
	kfree(x);
	return r;
}

static long kvmirq_xsave_xcrs_set_ioctl(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvm_xcrs *x;
	long r = 0;
	u32 i;

	x = memdup_user(argp, sizeof(*x));
	if (IS_ERR(x))
		return PTR_ERR(x);
	if (!kvmirq_xcr0 || x->nr_xcrs > KVM_MAX_XCRS || x->flags) {
		r = -EINVAL;
		goto out;
	}
	/* KVM ABI: the first XCR0 entry counts, other XCRs are ignored. */
	for (i = 0; i < x->nr_xcrs; i++) {
		if (x->xcrs[i].xcr != 0)
			continue;
		if (kvmirq_xsave_xcr0_valid(vcpu, x->xcrs[i].value))
			kvmirq_xsave_state(vcpu)->xcr0 = x->xcrs[i].value;
		else
			r = -EINVAL;
		break;
	}
out:
	kfree(x);
	return r;
}

long kvmirq_xsave_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			     void __user *argp)
{
	switch (ioctl) {
	case KVM_GET_FPU:
		return kvmirq_xsave_fpu_get_ioctl(vcpu, argp);
	case KVM_SET_FPU:
		return kvmirq_xsave_fpu_set_ioctl(vcpu, argp);
	case KVM_GET_XSAVE:
		return kvmirq_xsave_get_ioctl(vcpu, argp, sizeof(struct kvm_xsave));
	case KVM_GET_XSAVE2:
		return kvmirq_xsave_get_ioctl(vcpu, argp, kvmirq_xsave_uabi_size());
	case KVM_SET_XSAVE:
		return kvmirq_xsave_set_ioctl(vcpu, argp);
	case KVM_GET_XCRS:
		return kvmirq_xsave_xcrs_get_ioctl(vcpu, argp);
	case KVM_SET_XCRS:
		return kvmirq_xsave_xcrs_set_ioctl(vcpu, argp);
	default:
		return KVMIRQ_NO_IOCTL;
	}
}
