// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: KVM_IRQFD, for every machine model.  See irq.h.
 *
 * An irqfd hooks a wait-queue entry into its eventfd.  A signal consumes
 * the count and queues the injection work; the work raises the GSI as KVM
 * does (a pulse on source 0, or a held level on source 1 for a resampling
 * irqfd).  Closing the eventfd, KVM_IRQFD with DEASSIGN and closing the VM
 * fd take the irqfd off irqs->irqfds and queue its shutdown on
 * kvmirq_irqfd_wq, which unhooks it, waits for its injection and frees it.
 *
 * Resampling irqfds of one GSI share a resampler.  When the GSI's line is
 * acknowledged (kvmirq_notify_acked()), the resampler lowers source 1 once
 * and signals every resamplefd of the GSI.  The resamplers are also an RCU
 * list, so that the PIC can tell, under its own lock, whether an
 * acknowledged pin's GSI has one (kvmirq_gsi_resampled()).
 *
 * Lock order: irqs->lock (mutex: resamplers)  >  eventfd wait-queue lock
 * >  irqs->irqfds_lock (the active irqfds)  >  model locks.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "irq.h"

static struct workqueue_struct *kvmirq_irqfd_wq;

/**
 * struct kvmirq_resampler - the resampling irqfds of one GSI
 * @vm: the VM
 * @gsi: the GSI
 * @irqfds: its irqfds
 * @link: in irqs->resamplers (RCU)
 * @rcu: frees it after the RCU readers of irqs->resamplers
 *
 * Guarded by irqs->lock.
 */
struct kvmirq_resampler {
	struct kvmirq_vm *vm;
	u32 gsi;
	struct list_head irqfds;
	struct list_head link;
	struct rcu_head rcu;
};

/**
 * struct kvmirq_irqfd - one irqfd
 * @vm: the VM; the irqfd never outlives the VM fd
 * @gsi: the GSI it raises
 * @eventfd: the eventfd it listens to
 * @resamplefd: signalled on ack (resampling irqfds only)
 * @resampler: its GSI's resampler, or NULL
 * @list: in irqs->irqfds while active, empty once deactivated
 * @resampler_link: in @resampler->irqfds
 * @wait: our entry in the eventfd's wait queue
 * @pt: for hooking @wait in with vfs_poll()
 * @inject: raises the GSI
 * @shutdown: unhooks and frees the irqfd
 */
struct kvmirq_irqfd {
	struct kvmirq_vm *vm;
	u32 gsi;
	struct eventfd_ctx *eventfd;
	struct eventfd_ctx *resamplefd;
	struct kvmirq_resampler *resampler;
	struct list_head list;
	struct list_head resampler_link;
	wait_queue_entry_t wait;
	poll_table pt;
	struct work_struct inject;
	struct work_struct shutdown;
};

static void kvmirq_irqfd_inject(struct work_struct *work)
{
	struct kvmirq_irqfd *irqfd = container_of(work, struct kvmirq_irqfd,
						  inject);
	struct kvmirq_vm *vm = irqfd->vm;

	if (irqfd->resampler) {
		kvmirq_set_irq(vm, KVMIRQ_SOURCE_RESAMPLE, irqfd->gsi, 1, false);
		return;
	}
	/* KVM ABI: a pulse on the userspace source, so it also drops a
	 * level that KVM_IRQ_LINE holds on this GSI.
	 */
	kvmirq_set_irq(vm, KVMIRQ_SOURCE_USERSPACE, irqfd->gsi, 1, false);
	kvmirq_set_irq(vm, KVMIRQ_SOURCE_USERSPACE, irqfd->gsi, 0, false);
}

/* The GSI's line was acknowledged: lower it once, tell every resamplefd. */
static void kvmirq_resampler_ack(struct kvmirq_resampler *resampler)
{
	struct kvmirq_irqfd *irqfd;

	lockdep_assert_held(&resampler->vm->irqs->lock);

	kvmirq_set_irq(resampler->vm, KVMIRQ_SOURCE_RESAMPLE, resampler->gsi,
		       0, false);
	list_for_each_entry(irqfd, &resampler->irqfds, resampler_link)
		eventfd_signal(irqfd->resamplefd);
}

/**
 * kvmirq_notify_acked() - an irqchip pin's interrupt was acknowledged
 * @vm: the VM
 * @irqchip: the irqchip, as routing entries name it
 * @pin: the pin, as routing entries name it
 *
 * Context: process context, no model lock held (it raises lines itself);
 * may sleep.
 */
void kvmirq_notify_acked(struct kvmirq_vm *vm, u32 irqchip, u32 pin)
{
	struct kvmirq_resampler *resampler;
	struct kvmirq_ack_notifier *an;
	int gsi = kvmirq_routing_gsi_of_pin(vm, irqchip, pin);

	if (gsi < 0)
		return;
	mutex_lock(&vm->irqs->lock);
	list_for_each_entry(resampler, &vm->irqs->resamplers, link)
		if (resampler->gsi == gsi)
			kvmirq_resampler_ack(resampler);
	hlist_for_each_entry(an, &vm->irqs->ack_notifiers, link)
		if (an->gsi == gsi)
			an->acked(an);
	mutex_unlock(&vm->irqs->lock);
}

/**
 * kvmirq_gsi_resampled() - does @gsi have resampling irqfds?
 * @vm: the VM
 * @gsi: the GSI
 *
 * Context: any, a model's spinlock may be held (RCU).  A resampler that
 * comes or goes meanwhile may be seen or not: both then lower the line.
 */
bool kvmirq_gsi_resampled(struct kvmirq_vm *vm, u32 gsi)
{
	struct kvmirq_resampler *resampler;
	bool found = false;

	rcu_read_lock();
	list_for_each_entry_rcu(resampler, &vm->irqs->resamplers, link) {
		if (resampler->gsi == gsi) {
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/* An in-kernel device (the PIT) starts watching acks of an->gsi. */
void kvmirq_register_ack_notifier(struct kvmirq_vm *vm,
				  struct kvmirq_ack_notifier *an)
{
	mutex_lock(&vm->irqs->lock);
	hlist_add_head(&an->link, &vm->irqs->ack_notifiers);
	mutex_unlock(&vm->irqs->lock);
}

/* Once this returns, @an->acked is not running and will not be called. */
void kvmirq_unregister_ack_notifier(struct kvmirq_vm *vm,
				    struct kvmirq_ack_notifier *an)
{
	mutex_lock(&vm->irqs->lock);
	hlist_del_init(&an->link);
	mutex_unlock(&vm->irqs->lock);
}

/**
 * kvmirq_notify_masked() - the guest changed an irqchip pin's mask
 * @vm: the VM
 * @irqchip: the irqchip, as routing entries name it
 * @pin: the pin, as routing entries name it
 * @masked: its new mask
 *
 * Context: process context, no model lock held; may sleep.
 */
void kvmirq_notify_masked(struct kvmirq_vm *vm, u32 irqchip, u32 pin,
			  bool masked)
{
	struct kvmirq_mask_notifier *mn;
	int gsi = kvmirq_routing_gsi_of_pin(vm, irqchip, pin);

	if (gsi < 0)
		return;
	mutex_lock(&vm->irqs->lock);
	hlist_for_each_entry(mn, &vm->irqs->mask_notifiers, link)
		if (mn->gsi == gsi)
			mn->masked(mn, masked);
	mutex_unlock(&vm->irqs->lock);
}

void kvmirq_register_mask_notifier(struct kvmirq_vm *vm,
				   struct kvmirq_mask_notifier *mn)
{
	mutex_lock(&vm->irqs->lock);
	hlist_add_head(&mn->link, &vm->irqs->mask_notifiers);
	mutex_unlock(&vm->irqs->lock);
}

/* Once this returns, @mn->masked is not running and will not be called. */
void kvmirq_unregister_mask_notifier(struct kvmirq_vm *vm,
				     struct kvmirq_mask_notifier *mn)
{
	mutex_lock(&vm->irqs->lock);
	hlist_del_init(&mn->link);
	mutex_unlock(&vm->irqs->lock);
}

/* Joins the resampler of irqfd->gsi, creating it if needed. */
static int kvmirq_resampler_join(struct kvmirq_irqfd *irqfd)
{
	struct kvmirq_irqs *irqs = irqfd->vm->irqs;
	struct kvmirq_resampler *resampler;

	mutex_lock(&irqs->lock);
	list_for_each_entry(resampler, &irqs->resamplers, link)
		if (resampler->gsi == irqfd->gsi)
			goto found;

	resampler = kzalloc(sizeof(*resampler), GFP_KERNEL_ACCOUNT);
	if (!resampler) {
		mutex_unlock(&irqs->lock);
		return -ENOMEM;
	}
	resampler->vm = irqfd->vm;
	resampler->gsi = irqfd->gsi;
	INIT_LIST_HEAD(&resampler->irqfds);
	list_add_rcu(&resampler->link, &irqs->resamplers);
found:
	list_add(&irqfd->resampler_link, &resampler->irqfds);
	irqfd->resampler = resampler;
	mutex_unlock(&irqs->lock);
	return 0;
}

/* The last irqfd of a resampler lowers the line it held and frees it. */
static void kvmirq_resampler_leave(struct kvmirq_irqfd *irqfd)
{
	struct kvmirq_resampler *resampler = irqfd->resampler;
	struct kvmirq_irqs *irqs = irqfd->vm->irqs;

	mutex_lock(&irqs->lock);
	list_del(&irqfd->resampler_link);
	if (list_empty(&resampler->irqfds)) {
		list_del_rcu(&resampler->link);
		kvmirq_set_irq(irqfd->vm, KVMIRQ_SOURCE_RESAMPLE, resampler->gsi,
			       0, false);
		kfree_rcu(resampler, rcu);
	}
	mutex_unlock(&irqs->lock);
}

static void kvmirq_irqfd_free(struct kvmirq_irqfd *irqfd)
{
	if (irqfd->resamplefd)
		eventfd_ctx_put(irqfd->resamplefd);
	if (irqfd->eventfd)
		eventfd_ctx_put(irqfd->eventfd);
	kfree(irqfd);
}

static void kvmirq_irqfd_shutdown(struct work_struct *work)
{
	struct kvmirq_irqfd *irqfd = container_of(work, struct kvmirq_irqfd,
						  shutdown);
	u64 cnt;

	/* No wake-up can queue an injection after this... */
	eventfd_ctx_remove_wait_queue(irqfd->eventfd, &irqfd->wait, &cnt);
	/* ...so once the last one ran, nothing uses the irqfd. */
	flush_work(&irqfd->inject);
	if (irqfd->resampler)
		kvmirq_resampler_leave(irqfd);
	kvmirq_irqfd_free(irqfd);
}

static bool kvmirq_irqfd_active(struct kvmirq_irqfd *irqfd)
{
	return !list_empty(&irqfd->list);
}

static void kvmirq_irqfd_deactivate(struct kvmirq_irqfd *irqfd)
{
	lockdep_assert_held(&irqfd->vm->irqs->irqfds_lock);

	list_del_init(&irqfd->list);
	queue_work(kvmirq_irqfd_wq, &irqfd->shutdown);
}

/*
 * KVM ABI: a GSI with a single route the model can drive atomically (x86:
 * an MSI) is raised in the wake-up itself, so the interrupt is there when
 * the signalling write() returns; anything else goes to the workqueue.
 */
static int kvmirq_irqfd_inject_atomic(struct kvmirq_irqfd *irqfd)
{
	const struct kvmirq_irq_ops *ops = irqfd->vm->model->irq;
	const struct kvmirq_route *e;

	if (!ops->route_set_atomic)
		return -EWOULDBLOCK;
	e = kvmirq_routing_single(irqfd->vm, irqfd->gsi);
	return e ? ops->route_set_atomic(irqfd->vm, e) : -EWOULDBLOCK;
}

/* Runs with the eventfd's wait-queue lock held, interrupts off. */
static int kvmirq_irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode,
			       int sync, void *key)
{
	struct kvmirq_irqfd *irqfd = container_of(wait, struct kvmirq_irqfd,
						  wait);
	struct kvmirq_irqs *irqs = irqfd->vm->irqs;
	__poll_t flags = key_to_poll(key);
	unsigned long iflags;
	u64 cnt;

	if (flags & EPOLLIN) {
		eventfd_ctx_do_read(irqfd->eventfd, &cnt);
		/* Being shut down: its route may be stale, the work checks. */
		if (!kvmirq_irqfd_active(irqfd) ||
		    kvmirq_irqfd_inject_atomic(irqfd) == -EWOULDBLOCK)
			schedule_work(&irqfd->inject);
	}

	if (flags & EPOLLHUP) {
		/* The eventfd is being closed: detach from the VM. */
		spin_lock_irqsave(&irqs->irqfds_lock, iflags);
		if (kvmirq_irqfd_active(irqfd))
			kvmirq_irqfd_deactivate(irqfd);
		spin_unlock_irqrestore(&irqs->irqfds_lock, iflags);
	}
	return flags & EPOLLIN ? 1 : 0;
}

static void kvmirq_irqfd_queue_proc(struct file *file, wait_queue_head_t *wqh,
				    poll_table *pt)
{
	struct kvmirq_irqfd *irqfd = container_of(pt, struct kvmirq_irqfd, pt);

	add_wait_queue(wqh, &irqfd->wait);
}

static struct kvmirq_irqfd *kvmirq_irqfd_alloc(struct kvmirq_vm *vm,
					       const struct kvm_irqfd *args)
{
	struct kvmirq_irqfd *irqfd;

	irqfd = kzalloc(sizeof(*irqfd), GFP_KERNEL_ACCOUNT);
	if (!irqfd)
		return NULL;
	irqfd->vm = vm;
	irqfd->gsi = args->gsi;
	INIT_LIST_HEAD(&irqfd->list);
	INIT_LIST_HEAD(&irqfd->resampler_link);
	INIT_WORK(&irqfd->inject, kvmirq_irqfd_inject);
	INIT_WORK(&irqfd->shutdown, kvmirq_irqfd_shutdown);
	init_waitqueue_func_entry(&irqfd->wait, kvmirq_irqfd_wakeup);
	init_poll_funcptr(&irqfd->pt, kvmirq_irqfd_queue_proc);
	return irqfd;
}

/* KVM ABI: an eventfd serves at most one irqfd of a VM (any GSI). */
static bool kvmirq_irqfd_add(struct kvmirq_irqfd *irqfd)
{
	struct kvmirq_irqs *irqs = irqfd->vm->irqs;
	struct kvmirq_irqfd *tmp;

	spin_lock_irq(&irqs->irqfds_lock);
	list_for_each_entry(tmp, &irqs->irqfds, list) {
		if (tmp->eventfd == irqfd->eventfd) {
			spin_unlock_irq(&irqs->irqfds_lock);
			return false;
		}
	}
	list_add_tail(&irqfd->list, &irqs->irqfds);
	spin_unlock_irq(&irqs->irqfds_lock);
	return true;
}

static int kvmirq_irqfd_assign(struct kvmirq_vm *vm,
			       const struct kvm_irqfd *args)
{
	struct kvmirq_irqfd *irqfd;
	struct file *file;
	__poll_t events;
	int r;

	r = vm->model->irq->irqfd_allowed(vm, args->flags);
	if (r)
		return r;

	irqfd = kvmirq_irqfd_alloc(vm, args);
	if (!irqfd)
		return -ENOMEM;

	file = fget(args->fd);
	if (!file) {
		r = -EBADF;
		goto free;
	}
	irqfd->eventfd = eventfd_ctx_fileget(file);
	if (IS_ERR(irqfd->eventfd)) {
		r = PTR_ERR(irqfd->eventfd);
		irqfd->eventfd = NULL;
		goto put_file;
	}

	if (args->flags & KVM_IRQFD_FLAG_RESAMPLE) {
		irqfd->resamplefd = eventfd_ctx_fdget(args->resamplefd);
		if (IS_ERR(irqfd->resamplefd)) {
			r = PTR_ERR(irqfd->resamplefd);
			irqfd->resamplefd = NULL;
			goto put_file;
		}
		r = kvmirq_resampler_join(irqfd);
		if (r)
			goto put_file;
	}

	/*
	 * Holding the mutex keeps a racing deassign from shutting the irqfd
	 * down before it is hooked into the eventfd; holding the file keeps
	 * the eventfd from being closed meanwhile.
	 */
	mutex_lock(&vm->irqs->lock);
	if (!kvmirq_irqfd_add(irqfd)) {
		mutex_unlock(&vm->irqs->lock);
		r = -EBUSY;
		goto leave;
	}
	events = vfs_poll(file, &irqfd->pt);
	mutex_unlock(&vm->irqs->lock);

	/* KVM ABI: a count already pending is injected at once. */
	if (events & EPOLLIN)
		schedule_work(&irqfd->inject);
	fput(file);
	return 0;

leave:
	if (irqfd->resampler)
		kvmirq_resampler_leave(irqfd);
put_file:
	fput(file);
free:
	kvmirq_irqfd_free(irqfd);
	return r;
}

/* KVM ABI: removes every irqfd of this eventfd and GSI; none is not an error. */
static int kvmirq_irqfd_deassign(struct kvmirq_vm *vm,
				 const struct kvm_irqfd *args)
{
	struct kvmirq_irqs *irqs = vm->irqs;
	struct kvmirq_irqfd *irqfd, *tmp;
	struct eventfd_ctx *eventfd;

	eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);

	mutex_lock(&irqs->lock);
	spin_lock_irq(&irqs->irqfds_lock);
	list_for_each_entry_safe(irqfd, tmp, &irqs->irqfds, list)
		if (irqfd->eventfd == eventfd && irqfd->gsi == args->gsi)
			kvmirq_irqfd_deactivate(irqfd);
	spin_unlock_irq(&irqs->irqfds_lock);
	mutex_unlock(&irqs->lock);
	eventfd_ctx_put(eventfd);

	/* KVM ABI: returns once the irqfds are shut down. */
	flush_workqueue(kvmirq_irqfd_wq);
	return 0;
}

/**
 * kvmirq_irqfd() - KVM_IRQFD
 * @vm: the VM
 * @argp: struct kvm_irqfd
 *
 * Return: 0, or KVM's errno: EFAULT, EINVAL (flags, not allowed now, not an
 * eventfd), EBADF, EBUSY (eventfd already used), ENOMEM.
 */
long kvmirq_irqfd(struct kvmirq_vm *vm, void __user *argp)
{
	struct kvm_irqfd args;

	if (copy_from_user(&args, argp, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~(KVM_IRQFD_FLAG_DEASSIGN | KVM_IRQFD_FLAG_RESAMPLE))
		return -EINVAL;
	if (args.flags & KVM_IRQFD_FLAG_DEASSIGN)
		return kvmirq_irqfd_deassign(vm, &args);
	return kvmirq_irqfd_assign(vm, &args);
}

/*
 * The VM fd is closing: shut every irqfd down (KVM ties them to the VM
 * fd), and let the model stop what must not outlive it.
 */
void kvmirq_irqs_release(struct kvmirq_vm *vm)
{
	struct kvmirq_irqs *irqs = vm->irqs;
	struct kvmirq_irqfd *irqfd, *tmp;

	if (vm->model->irq && vm->model->irq->release)
		vm->model->irq->release(vm);
	if (!irqs)
		return;
	mutex_lock(&irqs->lock);
	spin_lock_irq(&irqs->irqfds_lock);
	list_for_each_entry_safe(irqfd, tmp, &irqs->irqfds, list)
		kvmirq_irqfd_deactivate(irqfd);
	spin_unlock_irq(&irqs->irqfds_lock);
	mutex_unlock(&irqs->lock);
	flush_workqueue(kvmirq_irqfd_wq);
}

int kvmirq_irqfd_module_init(void)
{
	kvmirq_irqfd_wq = alloc_workqueue("kvmirq-irqfd", 0, 0);
	return kvmirq_irqfd_wq ? 0 : -ENOMEM;
}

void kvmirq_irqfd_module_exit(void)
{
	destroy_workqueue(kvmirq_irqfd_wq);
}
