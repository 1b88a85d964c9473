// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: s390 local (per-vcpu) interrupts: KVM_S390_IRQ, the vcpu's
 * KVM_S390_INTERRUPT, KVM_S390_GET/SET_IRQ_STATE, the vcpu run state
 * (KVM_GET/SET_MP_STATE) and the vcpu resets.
 *
 * All state lives in struct kvmirq_s390_local under its spinlock, so any
 * thread may inject while another delivers (see s390.h for the lock order).
 */
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "s390.h"
#include "trace.h"

#define PGM_PER				0x80
/* KVM ABI: machine-check interruption code subclasses */
#define MCHK_EX_MASK			(BIT_ULL(63) | BIT_ULL(62))
#define MCHK_REP_MASK			(BIT_ULL(58) | BIT_ULL(56) | BIT_ULL(55))
/* KVM ABI: VCPU_IRQS_MAX_BUF = 72 * (KVM_MAX_VCPUS + 32) */
#define KVMIRQ_S390_IRQS_MAX_BUF	(sizeof(struct kvm_s390_irq) * \
					 (KVMIRQ_S390_KVM_MAX_VCPUS + 32))

int kvmirq_s390_vcpu_init(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_s390_local *li;

	li = kzalloc(sizeof(*li), GFP_KERNEL_ACCOUNT);
	if (!li)
		return -ENOMEM;
	spin_lock_init(&li->lock);
	/* KVM ABI: a new vcpu is STOPPED. */
	li->stopped = true;
	vcpu->arch = li;
	return 0;
}

void kvmirq_s390_vcpu_destroy(struct kvmirq_vcpu *vcpu)
{
	kfree(vcpu->arch);
}

static bool kvmirq_s390_vcpu_exists(struct kvmirq_vm *vm, u16 id)
{
	return xa_load(&vm->vcpus, id);
}

/*
 * KVM ABI: store status (for a STOP with STORE_STATUS) writes absolute
 * byte 163 and the save area at 0x1200-0x13ff, failing with EFAULT when
 * guest memory is missing there.  kvmirq has no registers to store: it
 * checks that both are backed by a memory slot and writes nothing.
 */
int kvmirq_s390_store_status(struct kvmirq_vcpu *vcpu)
{
	unsigned long hva;

	if (kvmirq_gpa_to_hva(vcpu->vm, 163, &hva) ||
	    kvmirq_gpa_to_hva(vcpu->vm, 0x1200, &hva))
		return -EFAULT;
	return 0;
}

static void kvmirq_s390_inject_prog_locked(struct kvmirq_s390_local *li,
					   struct kvm_s390_pgm_info *pgm)
{
	lockdep_assert_held(&li->lock);
	/*
	 * KVM ABI: without ILC_VALID the ILC of the last intercept is used;
	 * a vcpu that never ran has ILC 0.
	 */
	if (!(pgm->flags & KVM_S390_PGM_FLAGS_ILC_VALID)) {
		pgm->flags &= ~KVM_S390_PGM_FLAGS_ILC_MASK;
		pgm->flags |= KVM_S390_PGM_FLAGS_ILC_VALID;
	}

	if (pgm->code == PGM_PER) {
		/* KVM ABI: a PER-only event updates only the PER fields. */
		li->irqs.pgm.code |= PGM_PER;
		li->irqs.pgm.flags = pgm->flags;
		li->irqs.pgm.per_address = pgm->per_address;
		li->irqs.pgm.per_code = pgm->per_code;
		li->irqs.pgm.per_atmid = pgm->per_atmid;
		li->irqs.pgm.per_access_id = pgm->per_access_id;
	} else if (!(pgm->code & PGM_PER)) {
		/* KVM ABI: a non-PER event keeps a pending PER part. */
		li->irqs.pgm.code = (li->irqs.pgm.code & PGM_PER) | pgm->code;
		li->irqs.pgm.flags = pgm->flags;
		li->irqs.pgm.trans_exc_code = pgm->trans_exc_code;
		li->irqs.pgm.mon_code = pgm->mon_code;
		li->irqs.pgm.data_exc_code = pgm->data_exc_code;
		li->irqs.pgm.mon_class_nr = pgm->mon_class_nr;
		li->irqs.pgm.exc_access_id = pgm->exc_access_id;
		li->irqs.pgm.op_access_id = pgm->op_access_id;
	} else {
		li->irqs.pgm = *pgm;
	}
	__set_bit(KVMIRQ_PEND_PROG, &li->irqs.pending);
}

static int kvmirq_s390_inject_stop_locked(struct kvmirq_vcpu *vcpu,
					  struct kvmirq_s390_local *li,
					  const struct kvm_s390_stop_info *stop)
{
	lockdep_assert_held(&li->lock);
	/* KVM ABI: only STORE_STATUS is a valid flag; checked first. */
	if (stop->flags & ~KVM_S390_STOP_FLAG_STORE_STATUS)
		return -EINVAL;
	/* KVM ABI: a stopped vcpu queues nothing, but stores status now. */
	if (li->stopped)
		return stop->flags ? kvmirq_s390_store_status(vcpu) : 0;
	if (__test_and_set_bit(KVMIRQ_PEND_SIGP_STOP, &li->irqs.pending))
		return -EBUSY;
	li->irqs.stop = *stop;
	return 0;
}

static int kvmirq_s390_inject_extcall_locked(struct kvmirq_vcpu *vcpu,
					     struct kvmirq_s390_local *li,
					     u16 src)
{
	lockdep_assert_held(&li->lock);
	/* KVM ABI: the source must be an existing vcpu id; before EBUSY. */
	if (!kvmirq_s390_vcpu_exists(vcpu->vm, src))
		return -EINVAL;
	if (__test_and_set_bit(KVMIRQ_PEND_EXT_EXTERNAL, &li->irqs.pending))
		return -EBUSY;
	li->irqs.extcall.code = src;
	return 0;
}

static int kvmirq_s390_inject_emerg_locked(struct kvmirq_vcpu *vcpu,
					   struct kvmirq_s390_local *li,
					   u16 src)
{
	lockdep_assert_held(&li->lock);
	if (!kvmirq_s390_vcpu_exists(vcpu->vm, src))
		return -EINVAL;
	/* Existing vcpu ids are below KVMIRQ_S390_MAX_VCPUS. */
	__set_bit(src, li->irqs.emerg);
	__set_bit(KVMIRQ_PEND_EXT_EMERGENCY, &li->irqs.pending);
	return 0;
}

static void kvmirq_s390_inject_mchk_locked(struct kvmirq_s390_local *li,
					   const struct kvm_s390_mchk_info *m)
{
	lockdep_assert_held(&li->lock);
	/*
	 * KVM ABI: repressible conditions may come with exigent ones, so the
	 * masks and codes are OR-merged; address and logout are the newest.
	 */
	li->irqs.mchk.cr14 |= m->cr14;
	li->irqs.mchk.mcic |= m->mcic;
	li->irqs.mchk.ext_damage_code |= m->ext_damage_code;
	li->irqs.mchk.failing_storage_address = m->failing_storage_address;
	memcpy(li->irqs.mchk.fixed_logout, m->fixed_logout,
	       sizeof(li->irqs.mchk.fixed_logout));
	/* KVM ABI: neither class in the merged code: kept, not pending. */
	if (li->irqs.mchk.mcic & MCHK_EX_MASK)
		__set_bit(KVMIRQ_PEND_MCHK_EX, &li->irqs.pending);
	else if (li->irqs.mchk.mcic & MCHK_REP_MASK)
		__set_bit(KVMIRQ_PEND_MCHK_REP, &li->irqs.pending);
}

static int kvmirq_s390_inject_local_locked(struct kvmirq_vcpu *vcpu,
					   struct kvm_s390_irq *irq)
{
	struct kvmirq_s390_local *li = kvmirq_s390_li(vcpu);

	lockdep_assert_held(&li->lock);
	switch (irq->type) {
	case KVM_S390_PROGRAM_INT:
		kvmirq_s390_inject_prog_locked(li, &irq->u.pgm);
		return 0;
	case KVM_S390_SIGP_SET_PREFIX:
		/* KVM ABI: only a stopped vcpu takes a new prefix. */
		if (!li->stopped)
			return -EBUSY;
		li->irqs.prefix = irq->u.prefix;
		__set_bit(KVMIRQ_PEND_SET_PREFIX, &li->irqs.pending);
		return 0;
	case KVM_S390_SIGP_STOP:
		return kvmirq_s390_inject_stop_locked(vcpu, li, &irq->u.stop);
	case KVM_S390_RESTART:
		__set_bit(KVMIRQ_PEND_RESTART, &li->irqs.pending);
		return 0;
	case KVM_S390_INT_CLOCK_COMP:
		__set_bit(KVMIRQ_PEND_EXT_CLOCK_COMP, &li->irqs.pending);
		return 0;
	case KVM_S390_INT_CPU_TIMER:
		__set_bit(KVMIRQ_PEND_EXT_CPU_TIMER, &li->irqs.pending);
		return 0;
	case KVM_S390_INT_EXTERNAL_CALL:
		return kvmirq_s390_inject_extcall_locked(vcpu, li,
							 irq->u.extcall.code);
	case KVM_S390_INT_EMERGENCY:
		return kvmirq_s390_inject_emerg_locked(vcpu, li,
						       irq->u.emerg.code);
	case KVM_S390_MCHK:
		kvmirq_s390_inject_mchk_locked(li, &irq->u.mchk);
		return 0;
	case KVM_S390_INT_PFAULT_INIT:
		li->irqs.ext = irq->u.ext;
		__set_bit(KVMIRQ_PEND_PFAULT_INIT, &li->irqs.pending);
		return 0;
	default:
		/* KVM ABI: floating and unknown types are EINVAL. */
		return -EINVAL;
	}
}

/**
 * kvmirq_s390_inject_local() - inject a local interrupt, as KVM_S390_IRQ
 * @vcpu: the target
 * @irq: the interrupt; PROGRAM_INT's flags may be completed in place
 *
 * Return: 0, EINVAL or EBUSY (KVM's checks), EFAULT (store status).
 */
int kvmirq_s390_inject_local(struct kvmirq_vcpu *vcpu, struct kvm_s390_irq *irq)
{
	struct kvmirq_s390_local *li = kvmirq_s390_li(vcpu);
	int r;

	spin_lock(&li->lock);
	r = kvmirq_s390_inject_local_locked(vcpu, irq);
	spin_unlock(&li->lock);
	trace_kvmirq_s390_inject_local(vcpu->id, irq->type, irq->u.ext.ext_params,
				       irq->u.ext.ext_params2, r);
	if (!r) {
		kvmirq_stat_injected(vcpu->vm, 1);
		kvmirq_stat_add(&vcpu->stats.irqs_accepted, 1);
	}
	return r;
}

/* KVM ABI: the vcpu's legacy KVM_S390_INTERRUPT, as s390int_to_s390irq(). */
static int kvmirq_s390_legacy_to_irq(const struct kvm_s390_interrupt *s,
				     struct kvm_s390_irq *irq)
{
	irq->type = s->type;
	switch (s->type) {
	case KVM_S390_PROGRAM_INT:
		if (s->parm & 0xffff0000)
			return -EINVAL;
		irq->u.pgm.code = s->parm;
		break;
	case KVM_S390_SIGP_SET_PREFIX:
		irq->u.prefix.address = s->parm;
		break;
	case KVM_S390_SIGP_STOP:
		irq->u.stop.flags = s->parm;
		break;
	case KVM_S390_INT_EXTERNAL_CALL:
		if (s->parm & 0xffff0000)
			return -EINVAL;
		irq->u.extcall.code = s->parm;
		break;
	case KVM_S390_INT_EMERGENCY:
		if (s->parm & 0xffff0000)
			return -EINVAL;
		irq->u.emerg.code = s->parm;
		break;
	case KVM_S390_MCHK:
		/* KVM ABI: parm (cr14) is dropped on the vcpu path. */
		irq->u.mchk.mcic = s->parm64;
		break;
	case KVM_S390_INT_PFAULT_INIT:
		irq->u.ext.ext_params = s->parm;
		irq->u.ext.ext_params2 = s->parm64;
		break;
	case KVM_S390_RESTART:
	case KVM_S390_INT_CLOCK_COMP:
	case KVM_S390_INT_CPU_TIMER:
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static long kvmirq_s390_irq_ioctl(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvm_s390_irq irq;

	if (copy_from_user(&irq, argp, sizeof(irq)))
		return -EFAULT;
	return kvmirq_s390_inject_local(vcpu, &irq);
}

static long kvmirq_s390_vcpu_interrupt(struct kvmirq_vcpu *vcpu,
				       void __user *argp)
{
	struct kvm_s390_interrupt s390int;
	struct kvm_s390_irq irq = {};

	if (copy_from_user(&s390int, argp, sizeof(s390int)))
		return -EFAULT;
	if (kvmirq_s390_legacy_to_irq(&s390int, &irq))
		return -EINVAL;
	return kvmirq_s390_inject_local(vcpu, &irq);
}

/* KVM runs these two without the vcpu mutex. */
long kvmirq_s390_vcpu_async_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
				  unsigned long arg)
{
	switch (ioctl) {
	case KVM_S390_IRQ:
		return kvmirq_s390_irq_ioctl(vcpu, (void __user *)arg);
	case KVM_S390_INTERRUPT:
		return kvmirq_s390_vcpu_interrupt(vcpu, (void __user *)arg);
	default:
		return KVMIRQ_NO_IOCTL;
	}
}

/*
 * A local pending bit as a kvm_s390_irq: one GET_IRQ_STATE record, as KVM's
 * store_local_irq(); delivery starts from it too.
 */
void kvmirq_s390_store_local(const struct kvmirq_s390_local_irqs *li,
			     unsigned int bit, struct kvm_s390_irq *irq)
{
	memset(irq, 0, sizeof(*irq));
	switch (bit) {
	case KVMIRQ_PEND_MCHK_EX:
	case KVMIRQ_PEND_MCHK_REP:
		irq->type = KVM_S390_MCHK;
		irq->u.mchk = li->mchk;
		break;
	case KVMIRQ_PEND_PROG:
		irq->type = KVM_S390_PROGRAM_INT;
		irq->u.pgm = li->pgm;
		break;
	case KVMIRQ_PEND_PFAULT_INIT:
		irq->type = KVM_S390_INT_PFAULT_INIT;
		irq->u.ext = li->ext;
		break;
	case KVMIRQ_PEND_EXT_EXTERNAL:
		irq->type = KVM_S390_INT_EXTERNAL_CALL;
		irq->u.extcall = li->extcall;
		break;
	case KVMIRQ_PEND_EXT_CLOCK_COMP:
		irq->type = KVM_S390_INT_CLOCK_COMP;
		break;
	case KVMIRQ_PEND_EXT_CPU_TIMER:
		irq->type = KVM_S390_INT_CPU_TIMER;
		break;
	case KVMIRQ_PEND_SIGP_STOP:
		irq->type = KVM_S390_SIGP_STOP;
		irq->u.stop = li->stop;
		break;
	case KVMIRQ_PEND_RESTART:
		irq->type = KVM_S390_RESTART;
		break;
	case KVMIRQ_PEND_SET_PREFIX:
		irq->type = KVM_S390_SIGP_SET_PREFIX;
		irq->u.prefix = li->prefix;
		break;
	}
}

static int kvmirq_s390_put_record(u8 __user *buf, u32 len, u32 *n,
				  const struct kvm_s390_irq *irq)
{
	/* KVM ABI: ENOBUFS keeps the records already written. */
	if (*n + sizeof(*irq) > len)
		return -ENOBUFS;
	if (copy_to_user(buf + *n, irq, sizeof(*irq)))
		return -EFAULT;
	*n += sizeof(*irq);
	return 0;
}

/*
 * KVM ABI: lowest priority first, emergencies after the bitmap (ascending
 * source), one record per bit (both MCHK bits give two records); the result
 * is a byte count.
 */
static long kvmirq_s390_get_irq_state(struct kvmirq_vcpu *vcpu, u8 __user *buf,
				      u32 len)
{
	struct kvmirq_s390_local *li = kvmirq_s390_li(vcpu);
	struct kvmirq_s390_local_irqs snap;
	struct kvm_s390_irq irq;
	unsigned long bit;
	u32 n = 0;
	int r;

	spin_lock(&li->lock);
	snap = li->irqs;
	spin_unlock(&li->lock);

	for_each_set_bit(bit, &snap.pending, KVMIRQ_PEND_COUNT) {
		if (bit == KVMIRQ_PEND_EXT_EMERGENCY)
			continue;
		kvmirq_s390_store_local(&snap, bit, &irq);
		r = kvmirq_s390_put_record(buf, len, &n, &irq);
		if (r)
			return r;
	}
	if (!test_bit(KVMIRQ_PEND_EXT_EMERGENCY, &snap.pending))
		return n;
	for_each_set_bit(bit, snap.emerg, KVMIRQ_S390_KVM_MAX_VCPUS) {
		memset(&irq, 0, sizeof(irq));
		irq.type = KVM_S390_INT_EMERGENCY;
		irq.u.emerg.code = bit;
		r = kvmirq_s390_put_record(buf, len, &n, &irq);
		if (r)
			return r;
	}
	return n;
}

/* KVM ABI: all or EBUSY up front, then in order, stopping at the first error. */
static long kvmirq_s390_set_irq_state(struct kvmirq_vcpu *vcpu,
				      const void __user *ubuf, u32 len)
{
	struct kvmirq_s390_local *li = kvmirq_s390_li(vcpu);
	struct kvm_s390_irq *buf;
	unsigned int i;
	long r = 0;

	/* The caller's size: a failure is an errno, not a log splat. */
	buf = kvmalloc(len, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!buf)
		return -ENOMEM;
	if (copy_from_user(buf, ubuf, len)) {
		r = -EFAULT;
		goto out;
	}

	spin_lock(&li->lock);
	if (li->irqs.pending) {
		r = -EBUSY;
	} else {
		for (i = 0; i < len / sizeof(*buf) && !r; i++)
			r = kvmirq_s390_inject_local_locked(vcpu, &buf[i]);
	}
	spin_unlock(&li->lock);
out:
	kvfree(buf);
	return r;
}

static long kvmirq_s390_irq_state_ioctl(struct kvmirq_vcpu *vcpu,
					unsigned int ioctl, void __user *argp)
{
	struct kvm_s390_irq_state st;

	if (copy_from_user(&st, argp, sizeof(st)))
		return -EFAULT;
	/* KVM ABI: flags and reserved are never checked (old QEMUs). */
	if (ioctl == KVM_S390_GET_IRQ_STATE) {
		if (!st.len)
			return -EINVAL;
		return kvmirq_s390_get_irq_state(vcpu, u64_to_user_ptr(st.buf),
						 st.len);
	}
	if (!st.len || st.len > KVMIRQ_S390_IRQS_MAX_BUF ||
	    st.len % sizeof(struct kvm_s390_irq))
		return -EINVAL;
	return kvmirq_s390_set_irq_state(vcpu, u64_to_user_ptr(st.buf), st.len);
}

static void kvmirq_s390_vcpu_set_stopped(struct kvmirq_vcpu *vcpu, bool stop)
{
	struct kvmirq_s390_local *li = kvmirq_s390_li(vcpu);

	spin_lock(&li->lock);
	/* KVM ABI: stopping clears a pending SIGP STOP and its flags only. */
	if (stop && !li->stopped) {
		li->irqs.stop.flags = 0;
		__clear_bit(KVMIRQ_PEND_SIGP_STOP, &li->irqs.pending);
	}
	li->stopped = stop;
	spin_unlock(&li->lock);
}

static long kvmirq_s390_set_mp_state(struct kvmirq_vcpu *vcpu, void __user *argp)
{
	struct kvmirq_s390_vm *s390 = kvmirq_s390(vcpu->vm);
	struct kvm_mp_state mp;

	if (copy_from_user(&mp, argp, sizeof(mp)))
		return -EFAULT;
	/* KVM ABI: the first call, even a failing one, gives userspace control. */
	WRITE_ONCE(s390->user_cpu_state, true);
	switch (mp.mp_state) {
	case KVM_MP_STATE_STOPPED:
		kvmirq_s390_vcpu_set_stopped(vcpu, true);
		return 0;
	case KVM_MP_STATE_OPERATING:
		kvmirq_s390_vcpu_set_stopped(vcpu, false);
		return 0;
	default:
		/* KVM ABI: LOAD (non-protected), CHECK_STOP and others: ENXIO. */
		return -ENXIO;
	}
}

/*
 * KVM ABI: s390's GET_MP_STATE returns the state as the ioctl's positive
 * result and leaves the struct unwritten.
 */
static long kvmirq_s390_get_mp_state(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_s390_local *li = kvmirq_s390_li(vcpu);
	bool stopped;

	spin_lock(&li->lock);
	stopped = li->stopped;
	spin_unlock(&li->lock);
	return stopped ? KVM_MP_STATE_STOPPED : KVM_MP_STATE_OPERATING;
}

/*
 * KVM ABI: the normal, initial and clear resets all clear every local
 * interrupt (floating ones stay) and, unless userspace controls the cpu
 * state, stop the vcpu.
 */
static long kvmirq_s390_vcpu_reset(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_s390_local *li = kvmirq_s390_li(vcpu);

	spin_lock(&li->lock);
	if (!READ_ONCE(kvmirq_s390(vcpu->vm)->user_cpu_state))
		li->stopped = true;
	memset(&li->irqs, 0, sizeof(li->irqs));
	spin_unlock(&li->lock);
	return 0;
}

long kvmirq_s390_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			    unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (ioctl) {
	case KVM_S390_GET_IRQ_STATE:
	case KVM_S390_SET_IRQ_STATE:
		return kvmirq_s390_irq_state_ioctl(vcpu, ioctl, argp);
	case KVM_SET_MP_STATE:
		return kvmirq_s390_set_mp_state(vcpu, argp);
	case KVM_GET_MP_STATE:
		return kvmirq_s390_get_mp_state(vcpu);
	case KVM_S390_NORMAL_RESET:
	case KVM_S390_INITIAL_RESET:
	case KVM_S390_CLEAR_RESET:
		return kvmirq_s390_vcpu_reset(vcpu);
	default:
		return KVMIRQ_NO_IOCTL;
	}
}

/* debugfs "local": a vcpu's pending local interrupts, under its lock. */
void kvmirq_s390_local_dump(struct seq_file *m, struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_s390_local *li = kvmirq_s390_li(vcpu);
	struct kvmirq_s390_local_irqs *l = &li->irqs;

	spin_lock(&li->lock);
	seq_printf(m, "state %s pending %#lx\n",
		   li->stopped ? "stopped" : "operating", l->pending);
	seq_printf(m, "emergency from: %*pbl\n", KVMIRQ_S390_KVM_MAX_VCPUS,
		   l->emerg);
	seq_printf(m, "external call %s code %#x\n",
		   test_bit(KVMIRQ_PEND_EXT_EXTERNAL, &l->pending) ? "pending" : "none",
		   l->extcall.code);
	seq_printf(m, "program %s code %#x flags %#x\n",
		   test_bit(KVMIRQ_PEND_PROG, &l->pending) ? "pending" : "none",
		   l->pgm.code, l->pgm.flags);
	seq_printf(m, "pfault init %s token %#llx\n",
		   test_bit(KVMIRQ_PEND_PFAULT_INIT, &l->pending) ? "pending" : "none",
		   l->ext.ext_params2);
	seq_printf(m, "set prefix %s address %#x\n",
		   test_bit(KVMIRQ_PEND_SET_PREFIX, &l->pending) ? "pending" : "none",
		   l->prefix.address);
	seq_printf(m, "stop %s flags %#x\n",
		   test_bit(KVMIRQ_PEND_SIGP_STOP, &l->pending) ? "pending" : "none",
		   l->stop.flags);
	seq_printf(m, "restart %u clock comparator %u cpu timer %u\n",
		   test_bit(KVMIRQ_PEND_RESTART, &l->pending),
		   test_bit(KVMIRQ_PEND_EXT_CLOCK_COMP, &l->pending),
		   test_bit(KVMIRQ_PEND_EXT_CPU_TIMER, &l->pending));
	seq_printf(m, "mchk %s cr14 %#llx mcic %#llx\n",
		   (l->pending & KVMIRQ_PEND_MCHK_MASK) ? "pending" : "none",
		   l->mchk.cr14, l->mchk.mcic);
	spin_unlock(&li->lock);
}

#if IS_ENABLED(CONFIG_KUNIT)
#include "tests/local_kunit.c"
#endif
