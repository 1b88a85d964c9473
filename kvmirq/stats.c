// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: KVM's binary statistics interface (KVM_GET_STATS_FD).
 *
 * A stats fd reads as KVM's does: the header, the id string, the
 * descriptors, then the data, each at the offset the header gives, with
 * read() or pread().  The first three parts never change and are built when
 * the fd is made; the data is read from the counters at each read.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kvmirq.h"

struct kvmirq_stat_desc {
	const char *name;
	u32 flags;
};

#define KVMIRQ_CUMULATIVE	(KVM_STATS_TYPE_CUMULATIVE | KVM_STATS_UNIT_NONE | \
				 KVM_STATS_BASE_POW10)
#define KVMIRQ_INSTANT		(KVM_STATS_TYPE_INSTANT | KVM_STATS_UNIT_NONE | \
				 KVM_STATS_BASE_POW10)

/* In the order of struct kvmirq_vm_stats. */
static const struct kvmirq_stat_desc kvmirq_vm_stats_desc[] = {
	{ "irqs_injected", KVMIRQ_CUMULATIVE },
	{ "irqs_coalesced", KVMIRQ_CUMULATIVE },
	{ "msis_delivered", KVMIRQ_CUMULATIVE },
	{ "floating_pending", KVMIRQ_INSTANT },
	{ "pit_ticks", KVMIRQ_CUMULATIVE },
	{ "pit_reinjected", KVMIRQ_CUMULATIVE },
	{ "pit_coalesced", KVMIRQ_CUMULATIVE },
};

/* In the order of struct kvmirq_vcpu_stats. */
static const struct kvmirq_stat_desc kvmirq_vcpu_stats_desc[] = {
	{ "irqs_accepted", KVMIRQ_CUMULATIVE },
	{ "irqs_acknowledged", KVMIRQ_CUMULATIVE },
	{ "nmis_injected", KVMIRQ_CUMULATIVE },
};

static_assert(sizeof(struct kvmirq_vm_stats) ==
	      ARRAY_SIZE(kvmirq_vm_stats_desc) * sizeof(atomic64_t));
static_assert(sizeof(struct kvmirq_vcpu_stats) ==
	      ARRAY_SIZE(kvmirq_vcpu_stats_desc) * sizeof(atomic64_t));

/* The most counters one fd has: the data snapshot lives on the stack. */
#define KVMIRQ_MAX_STATS	8

/**
 * struct kvmirq_stats_file - one stats fd
 * @vm: holds a VM reference
 * @counters: the atomic64_t counters, @nr of them
 * @nr: number of counters
 * @prefix_len: size of @prefix
 * @prefix: header, id string and descriptors, as read from offset 0
 */
struct kvmirq_stats_file {
	struct kvmirq_vm *vm;
	atomic64_t *counters;
	unsigned int nr;
	size_t prefix_len;
	u8 prefix[];
};

/*
 * A descriptor as userspace sees it: the fixed fields, then the name.  Not
 * sizeof(): newer kernels give the in-kernel struct a fixed-size name.
 */
static size_t kvmirq_stats_desc_size(void)
{
	return offsetof(struct kvm_stats_desc, name) + KVMIRQ_STATS_NAME_SIZE;
}

static void kvmirq_stats_fill_prefix(struct kvmirq_stats_file *sf, const char *id,
				     const struct kvmirq_stat_desc *descs)
{
	struct kvm_stats_header *h = (void *)sf->prefix;
	struct kvm_stats_desc *d;
	unsigned int i;

	h->name_size = KVMIRQ_STATS_NAME_SIZE;
	h->num_desc = sf->nr;
	h->id_offset = sizeof(*h);
	h->desc_offset = h->id_offset + KVMIRQ_STATS_NAME_SIZE;
	h->data_offset = sf->prefix_len;
	strscpy(sf->prefix + h->id_offset, id, KVMIRQ_STATS_NAME_SIZE);

	for (i = 0; i < sf->nr; i++) {
		d = (void *)(sf->prefix + h->desc_offset +
			     i * kvmirq_stats_desc_size());
		d->flags = descs[i].flags;
		d->size = 1;
		d->offset = i * sizeof(u64);
		strscpy(d->name, descs[i].name, KVMIRQ_STATS_NAME_SIZE);
	}
}

static ssize_t kvmirq_stats_read(struct file *file, char __user *buf,
				 size_t size, loff_t *ppos)
{
	struct kvmirq_stats_file *sf = file->private_data;
	u64 data[KVMIRQ_MAX_STATS];
	size_t total = sf->prefix_len + sf->nr * sizeof(u64);
	size_t pos, chunk, done = 0;
	unsigned int i;

	if (*ppos < 0 || *ppos >= total)
		return 0;
	pos = *ppos;
	size = min(size, total - pos);

	for (i = 0; i < sf->nr; i++)
		data[i] = atomic64_read(&sf->counters[i]);

	if (pos < sf->prefix_len) {
		chunk = min(size, sf->prefix_len - pos);
		if (copy_to_user(buf, sf->prefix + pos, chunk))
			return -EFAULT;
		done = chunk;
		pos += chunk;
	}
	if (done < size) {
		chunk = size - done;
		if (copy_to_user(buf + done, (u8 *)data + pos - sf->prefix_len, chunk))
			return -EFAULT;
		done += chunk;
	}
	*ppos += done;
	return done;
}

static int kvmirq_stats_release(struct inode *inode, struct file *file)
{
	struct kvmirq_stats_file *sf = file->private_data;

	kvmirq_vm_put(sf->vm);
	kfree(sf);
	return 0;
}

static const struct file_operations kvmirq_stats_fops = {
	.owner		= THIS_MODULE,
	.read		= kvmirq_stats_read,
	.release	= kvmirq_stats_release,
	.llseek		= noop_llseek,
};

static int kvmirq_stats_fd(struct kvmirq_vm *vm, const char *name,
			   const char *id, atomic64_t *counters,
			   const struct kvmirq_stat_desc *descs, unsigned int nr)
{
	size_t prefix_len = sizeof(struct kvm_stats_header) + KVMIRQ_STATS_NAME_SIZE +
			    nr * kvmirq_stats_desc_size();
	struct kvmirq_stats_file *sf;
	struct kvmirq_fd kfd;
	int r;

	sf = kzalloc(struct_size(sf, prefix, prefix_len), GFP_KERNEL_ACCOUNT);
	if (!sf)
		return -ENOMEM;
	sf->vm = vm;
	sf->counters = counters;
	sf->nr = nr;
	sf->prefix_len = prefix_len;
	kvmirq_stats_fill_prefix(sf, id, descs);

	r = kvmirq_fd_reserve(&kfd);
	if (r)
		goto free_sf;
	r = kvmirq_fd_open(&kfd, name, &kvmirq_stats_fops, sf, O_RDONLY);
	if (r)
		goto cancel_fd;
	/* KVM ABI: stats fds support pread(). */
	kfd.file->f_mode |= FMODE_PREAD;
	kvmirq_vm_get(vm);
	return kvmirq_fd_install(&kfd);

cancel_fd:
	kvmirq_fd_cancel(&kfd);
free_sf:
	kfree(sf);
	return r;
}

/* KVM_GET_STATS_FD on a VM fd. */
int kvmirq_vm_stats_fd(struct kvmirq_vm *vm)
{
	BUILD_BUG_ON(ARRAY_SIZE(kvmirq_vm_stats_desc) > KVMIRQ_MAX_STATS);
	return kvmirq_stats_fd(vm, "kvmirq-vm-stats", vm->stats_id,
			       (atomic64_t *)&vm->stats, kvmirq_vm_stats_desc,
			       ARRAY_SIZE(kvmirq_vm_stats_desc));
}

/* KVM_GET_STATS_FD on a vcpu fd; KVM names it "<vm id>/vcpu-<id>". */
int kvmirq_vcpu_stats_fd(struct kvmirq_vcpu *vcpu)
{
	char id[KVMIRQ_STATS_NAME_SIZE];

	BUILD_BUG_ON(ARRAY_SIZE(kvmirq_vcpu_stats_desc) > KVMIRQ_MAX_STATS);
	scnprintf(id, sizeof(id), "%s/vcpu-%u", vcpu->vm->stats_id, vcpu->id);
	return kvmirq_stats_fd(vcpu->vm, "kvmirq-vcpu-stats", id,
			       (atomic64_t *)&vcpu->stats, kvmirq_vcpu_stats_desc,
			       ARRAY_SIZE(kvmirq_vcpu_stats_desc));
}
