// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: one iteration of s390 interrupt delivery (KVMIRQ_S390_DELIVER).
 *
 * The test supplies the guest state KVM reads (PSW mask, CR0, CR6, CR14);
 * the vcpu's local and the VM's floating interrupts are filtered and chosen
 * exactly as KVM's deliverable_irqs() and delivery loop do, and the chosen
 * interrupt is taken with the side effects of KVM's __deliver_*().  No PSW
 * swap and no lowcore exist: the result reports what the guest would see.
 *
 * Lock order: vcpu local lock > floating lock (both held while choosing, so
 * the choice and the dequeue are one step against concurrent injection).
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "s390.h"
#include "trace.h"

/* PSW mask bits */
#define PSW_MASK_IO		0x0200000000000000ULL
#define PSW_MASK_EXT		0x0100000000000000ULL
#define PSW_MASK_MCHECK		0x0004000000000000ULL
/* CR0 external subclass masks */
#define CR0_EMERGENCY		0x4000ULL
#define CR0_EXTERNAL_CALL	0x2000ULL
#define CR0_CLOCK_COMP		0x0800ULL
#define CR0_CPU_TIMER		0x0400ULL
#define CR0_SERVICE		0x0200ULL
/* KVM ABI: the event-only service signal is delivered with parameter 3 */
#define SCCB_EVENT_PENDING	0x3u
/* KVM ABI: the prefix register keeps bits 1-18 */
#define PREFIX_MASK		0x7fffe000u

/* State one delivery step works on. */
struct kvmirq_s390_step {
	struct kvmirq_s390_local *li;
	struct kvmirq_s390_float *fl;
	const struct kvmirq_s390_deliver *in;
	bool peek;
};

static void kvmirq_s390_clear_if(unsigned long *mask, unsigned int bit,
				 bool cond)
{
	if (cond)
		__clear_bit(bit, mask);
}

/* KVM ABI: deliverable_irqs(), guest state from the caller. */
static unsigned long kvmirq_s390_deliverable(const struct kvmirq_s390_step *s,
					     unsigned long pending)
{
	const struct kvmirq_s390_deliver *in = s->in;
	unsigned int isc;

	if (!(in->psw_mask & PSW_MASK_EXT))
		pending &= ~KVMIRQ_PEND_EXT_MASK;
	if (!(in->psw_mask & PSW_MASK_IO))
		pending &= ~KVMIRQ_PEND_IO_MASK;
	for (isc = 0; isc <= KVMIRQ_S390_MAX_ISC; isc++)
		kvmirq_s390_clear_if(&pending, kvmirq_s390_isc_to_pend(isc),
				     !(in->cr6 & ((0x80ULL >> isc) << 24)));
	kvmirq_s390_clear_if(&pending, KVMIRQ_PEND_EXT_EXTERNAL,
			     !(in->cr0 & CR0_EXTERNAL_CALL));
	kvmirq_s390_clear_if(&pending, KVMIRQ_PEND_EXT_EMERGENCY,
			     !(in->cr0 & CR0_EMERGENCY));
	kvmirq_s390_clear_if(&pending, KVMIRQ_PEND_EXT_CLOCK_COMP,
			     !(in->cr0 & CR0_CLOCK_COMP));
	kvmirq_s390_clear_if(&pending, KVMIRQ_PEND_EXT_CPU_TIMER,
			     !(in->cr0 & CR0_CPU_TIMER));
	if (!(in->cr0 & CR0_SERVICE)) {
		__clear_bit(KVMIRQ_PEND_EXT_SERVICE, &pending);
		__clear_bit(KVMIRQ_PEND_EXT_SERVICE_EV, &pending);
	}
	if (!(in->psw_mask & PSW_MASK_MCHECK))
		pending &= ~KVMIRQ_PEND_MCHK_MASK;
	/* KVM ABI: both slots' CR14, even a stale local one, gate MCHK_REP. */
	kvmirq_s390_clear_if(&pending, KVMIRQ_PEND_MCHK_REP,
			     !(in->cr14 & (s->fl->mchk.cr14 |
					   s->li->irqs.mchk.cr14)));
	/* KVM ABI: a stop is never delivered, only processed (see STOP). */
	__clear_bit(KVMIRQ_PEND_SIGP_STOP, &pending);
	return pending;
}

/*
 * KVM ABI: before each pass KVM recomputes the timer bits from the clock
 * comparator and CPU timer, which only the caller knows here.
 */
static void kvmirq_s390_recompute_timers(struct kvmirq_s390_step *s,
					 unsigned long *local)
{
	const struct kvmirq_s390_deliver *in = s->in;
	bool ext = in->psw_mask & PSW_MASK_EXT;

	__clear_bit(KVMIRQ_PEND_EXT_CLOCK_COMP, local);
	__clear_bit(KVMIRQ_PEND_EXT_CPU_TIMER, local);
	if ((in->flags & KVMIRQ_S390_DELIVER_CKC) && ext &&
	    (in->cr0 & CR0_CLOCK_COMP))
		__set_bit(KVMIRQ_PEND_EXT_CLOCK_COMP, local);
	if ((in->flags & KVMIRQ_S390_DELIVER_CPUTM) && ext &&
	    (in->cr0 & CR0_CPU_TIMER))
		__set_bit(KVMIRQ_PEND_EXT_CPU_TIMER, local);
}

/* Machine checks: local and floating go as one interruption. */
static void kvmirq_s390_take_mchk(struct kvmirq_s390_step *s,
				  struct kvm_s390_irq *irq)
{
	struct kvmirq_s390_local_irqs *l = &s->li->irqs;
	struct kvmirq_s390_float *fl = s->fl;

	irq->type = KVM_S390_MCHK;
	if (l->pending & KVMIRQ_PEND_MCHK_MASK) {
		irq->u.mchk = l->mchk;
		if (!s->peek) {
			l->pending &= ~KVMIRQ_PEND_MCHK_MASK;
			memset(&l->mchk, 0, sizeof(l->mchk));
		}
	}
	if (test_bit(KVMIRQ_PEND_MCHK_REP, &fl->pending)) {
		irq->u.mchk.mcic |= fl->mchk.mcic;
		irq->u.mchk.cr14 |= fl->mchk.cr14;
		if (!s->peek) {
			__clear_bit(KVMIRQ_PEND_MCHK_REP, &fl->pending);
			memset(&fl->mchk, 0, sizeof(fl->mchk));
		}
	}
}

static void kvmirq_s390_take_emergency(struct kvmirq_s390_step *s,
				       struct kvm_s390_irq *irq)
{
	struct kvmirq_s390_local_irqs *l = &s->li->irqs;
	unsigned int src = find_first_bit(l->emerg, KVMIRQ_S390_KVM_MAX_VCPUS);

	irq->type = KVM_S390_INT_EMERGENCY;
	irq->u.emerg.code = src;
	if (s->peek)
		return;
	__clear_bit(src, l->emerg);
	if (bitmap_empty(l->emerg, KVMIRQ_S390_KVM_MAX_VCPUS))
		__clear_bit(KVMIRQ_PEND_EXT_EMERGENCY, &l->pending);
}

static void kvmirq_s390_take_service(struct kvmirq_s390_step *s,
				     unsigned int bit, struct kvm_s390_irq *irq)
{
	struct kvmirq_s390_float *fl = s->fl;

	irq->type = KVM_S390_INT_SERVICE;
	if (bit == KVMIRQ_PEND_EXT_SERVICE_EV) {
		/* KVM ABI: events first, as parameter 3; only EV is cleared. */
		irq->u.ext.ext_params = SCCB_EVENT_PENDING;
		if (!s->peek) {
			fl->srv.ext_params &= ~SCCB_EVENT_PENDING;
			__clear_bit(KVMIRQ_PEND_EXT_SERVICE_EV, &fl->pending);
		}
		return;
	}
	irq->u.ext = fl->srv;
	if (!s->peek) {
		memset(&fl->srv, 0, sizeof(fl->srv));
		__clear_bit(KVMIRQ_PEND_EXT_SERVICE, &fl->pending);
		__clear_bit(KVMIRQ_PEND_EXT_SERVICE_EV, &fl->pending);
	}
}

/* The head of a floating list; dequeued (and returned for freeing) unless PEEK. */
static struct kvmirq_s390_inti *
kvmirq_s390_take_list(struct kvmirq_s390_step *s, unsigned int list,
		      unsigned int counter, unsigned int bit,
		      struct kvm_s390_irq *irq)
{
	struct kvmirq_s390_float *fl = s->fl;
	struct kvmirq_s390_inti *inti;

	inti = list_first_entry_or_null(&fl->lists[list],
					struct kvmirq_s390_inti, list);
	if (!inti)
		return NULL;
	*irq = inti->irq;
	if (s->peek)
		return NULL;
	list_del(&inti->list);
	fl->counters[counter]--;
	if (list_empty(&fl->lists[list]))
		__clear_bit(bit, &fl->pending);
	return inti;
}

/*
 * The local kinds with a single payload slot: reported as GET_IRQ_STATE
 * records them, then emptied as KVM's deliver functions empty them.
 */
static void kvmirq_s390_take_local(struct kvmirq_s390_step *s,
				   unsigned int bit, struct kvm_s390_irq *irq)
{
	struct kvmirq_s390_local_irqs *l = &s->li->irqs;

	kvmirq_s390_store_local(l, bit, irq);
	/* KVM ABI: the prefix register takes address & 0x7fffe000. */
	if (bit == KVMIRQ_PEND_SET_PREFIX)
		irq->u.prefix.address &= PREFIX_MASK;
	if (s->peek)
		return;

	switch (bit) {
	case KVMIRQ_PEND_PROG:
		memset(&l->pgm, 0, sizeof(l->pgm));
		break;
	case KVMIRQ_PEND_EXT_EXTERNAL:
		l->extcall.code = 0;
		break;
	case KVMIRQ_PEND_PFAULT_INIT:
		/* KVM ABI: the token goes, ext_params stays. */
		l->ext.ext_params2 = 0;
		break;
	case KVMIRQ_PEND_SET_PREFIX:
		l->prefix.address = 0;
		break;
	}
	__clear_bit(bit, &l->pending);
}

/* Takes interrupt @bit; returns a dequeued list entry for the caller to free. */
static struct kvmirq_s390_inti *
kvmirq_s390_take(struct kvmirq_s390_step *s, unsigned int bit,
		 struct kvm_s390_irq *irq)
{
	unsigned int isc;

	switch (bit) {
	case KVMIRQ_PEND_MCHK_EX:
	case KVMIRQ_PEND_MCHK_REP:
		kvmirq_s390_take_mchk(s, irq);
		return NULL;
	case KVMIRQ_PEND_EXT_EMERGENCY:
		kvmirq_s390_take_emergency(s, irq);
		return NULL;
	case KVMIRQ_PEND_EXT_SERVICE:
	case KVMIRQ_PEND_EXT_SERVICE_EV:
		kvmirq_s390_take_service(s, bit, irq);
		return NULL;
	case KVMIRQ_PEND_PFAULT_DONE:
		return kvmirq_s390_take_list(s, KVMIRQ_FLIST_PFAULT,
					     KVMIRQ_FCNT_PFAULT, bit, irq);
	case KVMIRQ_PEND_VIRTIO:
		return kvmirq_s390_take_list(s, KVMIRQ_FLIST_VIRTIO,
					     KVMIRQ_FCNT_VIRTIO, bit, irq);
	case KVMIRQ_PEND_IO_ISC_7 ... KVMIRQ_PEND_IO_ISC_0:
		isc = KVMIRQ_PEND_IO_ISC_0 - bit;
		return kvmirq_s390_take_list(s, KVMIRQ_FLIST_IO_ISC_0 + isc,
					     KVMIRQ_FCNT_IO, bit, irq);
	default:
		kvmirq_s390_take_local(s, bit, irq);
		return NULL;
	}
}

/*
 * KVM ABI: the stop intercept: only when nothing else is deliverable; store
 * status first (its failure leaves the stop pending); a VM whose cpu state
 * userspace controls keeps the stop pending for userspace.
 */
static int kvmirq_s390_process_stop(struct kvmirq_vcpu *vcpu,
				    struct kvmirq_s390_step *s,
				    struct kvmirq_s390_deliver *d)
{
	struct kvmirq_s390_local *li = s->li;
	int r;

	d->result = KVMIRQ_S390_DELIVERED_STOP;
	d->pend_bit = KVMIRQ_PEND_SIGP_STOP;
	d->irq.type = KVM_S390_SIGP_STOP;
	d->irq.u.stop = li->irqs.stop;
	if (s->peek)
		return 0;
	if (li->irqs.stop.flags & KVM_S390_STOP_FLAG_STORE_STATUS) {
		r = kvmirq_s390_store_status(vcpu);
		if (r)
			return r;
	}
	if (READ_ONCE(kvmirq_s390(vcpu->vm)->user_cpu_state))
		return 0;
	li->irqs.stop.flags = 0;
	__clear_bit(KVMIRQ_PEND_SIGP_STOP, &li->irqs.pending);
	li->stopped = true;
	return 0;
}

/**
 * kvmirq_s390_deliver_one() - one delivery iteration on an s390 vcpu
 * @vcpu: the CPU taking the interrupt
 * @d: the checked request; result, pend_bit and irq are filled in
 *
 * Return: 0 (also when nothing is deliverable), or EFAULT from a stop's
 * store status.
 */
int kvmirq_s390_deliver_one(struct kvmirq_vcpu *vcpu,
			    struct kvmirq_s390_deliver *d)
{
	struct kvmirq_s390_step s = {
		.li = kvmirq_s390_li(vcpu),
		.fl = &kvmirq_s390(vcpu->vm)->fl,
		.in = d,
		.peek = d->flags & KVMIRQ_S390_DELIVER_PEEK,
	};
	struct kvmirq_s390_inti *done = NULL;
	unsigned long local, ready;
	unsigned int bit;
	int r = 0;

	/* Timer conditions need TIMERS. */
	if ((d->flags & (KVMIRQ_S390_DELIVER_CKC | KVMIRQ_S390_DELIVER_CPUTM)) &&
	    !(d->flags & KVMIRQ_S390_DELIVER_TIMERS))
		return -EINVAL;

	spin_lock(&s.li->lock);
	spin_lock(&s.fl->lock);
	local = s.li->irqs.pending;
	if (d->flags & KVMIRQ_S390_DELIVER_TIMERS) {
		kvmirq_s390_recompute_timers(&s, &local);
		if (!s.peek)
			s.li->irqs.pending = local;
	}
	ready = kvmirq_s390_deliverable(&s, local | s.fl->pending);
	if (ready) {
		/* KVM ABI: the highest bit number is the most urgent. */
		bit = __fls(ready);
		d->result = KVMIRQ_S390_DELIVERED_IRQ;
		d->pend_bit = bit;
		done = kvmirq_s390_take(&s, bit, &d->irq);
		if (done)
			kvmirq_stat_add(&vcpu->vm->stats.floating_pending, -1);
	} else if ((d->flags & KVMIRQ_S390_DELIVER_STOP) &&
		   test_bit(KVMIRQ_PEND_SIGP_STOP, &local)) {
		r = kvmirq_s390_process_stop(vcpu, &s, d);
	}
	spin_unlock(&s.fl->lock);
	spin_unlock(&s.li->lock);
	kfree(done);
	return r;
}

/* KVMIRQ_S390_DELIVER: checks and copies the struct around one iteration. */
static long kvmirq_s390_deliver_ioctl(struct kvmirq_vcpu *vcpu,
				      void __user *argp)
{
	const u32 known = KVMIRQ_S390_DELIVER_PEEK | KVMIRQ_S390_DELIVER_TIMERS |
			  KVMIRQ_S390_DELIVER_STOP | KVMIRQ_S390_DELIVER_CKC |
			  KVMIRQ_S390_DELIVER_CPUTM;
	struct kvmirq_s390_deliver d;
	int r;

	if (copy_from_user(&d, argp, sizeof(d)))
		return -EFAULT;
	if ((d.flags & ~known) || d.pad)
		return -EINVAL;

	memset(&d.irq, 0, sizeof(d.irq));
	d.result = KVMIRQ_S390_DELIVERED_NONE;
	d.pend_bit = KVMIRQ_S390_PEND_NONE;
	memset(d.reserved, 0, sizeof(d.reserved));
	r = kvmirq_s390_deliver_one(vcpu, &d);
	if (r)
		return r;
	if (d.result != KVMIRQ_S390_DELIVERED_NONE &&
	    !(d.flags & KVMIRQ_S390_DELIVER_PEEK)) {
		trace_kvmirq_s390_deliver(vcpu->id, d.result, d.pend_bit,
					  d.irq.type);
		kvmirq_stat_add(&vcpu->stats.irqs_acknowledged, 1);
	}
	return copy_to_user(argp, &d, sizeof(d)) ? -EFAULT : 0;
}

/* The s390 guest-side vcpu ioctls (struct kvmirq_guest_ops::vcpu_ioctl). */
long kvmirq_s390_guest_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
				  void __user *argp)
{
	switch (ioctl) {
	case KVMIRQ_S390_DELIVER:
		return kvmirq_s390_deliver_ioctl(vcpu, argp);
	default:
		return -ENOTTY;
	}
}

#if IS_ENABLED(CONFIG_KUNIT)
#include "tests/deliver_kunit.c"
#endif
