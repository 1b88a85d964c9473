// SPDX-License-Identifier: GPL-2.0
/*
 * kvmirq: debugfs, one directory per VM, named as KVM names its own
 * ("<pid>-<fd>"), with human-readable dumps of the VM and its controllers:
 *
 *   /sys/kernel/debug/kvmirq/<pid>-<fd>/vm
 *   /sys/kernel/debug/kvmirq/<pid>-<fd>/<model files>
 *   /sys/kernel/debug/kvmirq/<pid>-<fd>/vcpu<id>/<model files>
 *
 * The directory goes first when a VM is destroyed; debugfs waits for
 * readers in flight, so a dump never sees a freed VM.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "kvmirq.h"

static struct dentry *kvmirq_debugfs_root;

static int kvmirq_debugfs_vm_show(struct seq_file *m, void *unused)
{
	struct kvmirq_vm *vm = m->private;
	struct kvmirq_device *dev;
	struct kvmirq_vcpu *vcpu;
	unsigned long id;

	seq_printf(m, "model: %s (type %#lx)\n", vm->model->name, vm->model->type);
	seq_printf(m, "references: %u\n", refcount_read(&vm->users));
	mutex_lock(&vm->lock);
	seq_printf(m, "vcpus: %u\n", vm->nr_vcpus);
	seq_puts(m, "vcpu ids:");
	xa_for_each(&vm->vcpus, id, vcpu)
		seq_printf(m, " %lu", id);
	seq_puts(m, "\ndevices:");
	list_for_each_entry(dev, &vm->devices, node)
		seq_printf(m, " %s(type %u)", dev->ops->name, dev->type);
	mutex_unlock(&vm->lock);
	seq_putc(m, '\n');
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kvmirq_debugfs_vm);

void kvmirq_debugfs_vm_create(struct kvmirq_vm *vm, int fd)
{
	char name[32];

	snprintf(name, sizeof(name), "%d-%d", task_pid_nr(current), fd);
	vm->debugfs = debugfs_create_dir(name, kvmirq_debugfs_root);
	debugfs_create_file("vm", 0444, vm->debugfs, vm, &kvmirq_debugfs_vm_fops);
	if (vm->model->debugfs_vm)
		vm->model->debugfs_vm(vm, vm->debugfs);
}

void kvmirq_debugfs_vm_destroy(struct kvmirq_vm *vm)
{
	debugfs_remove_recursive(vm->debugfs);
}

void kvmirq_debugfs_vcpu_create(struct kvmirq_vcpu *vcpu)
{
	struct kvmirq_vm *vm = vcpu->vm;
	struct dentry *dir;
	char name[32];

	if (!vm->model->debugfs_vcpu)
		return;
	snprintf(name, sizeof(name), "vcpu%u", vcpu->id);
	dir = debugfs_create_dir(name, vm->debugfs);
	vm->model->debugfs_vcpu(vcpu, dir);
}

void kvmirq_debugfs_init(void)
{
	kvmirq_debugfs_root = debugfs_create_dir("kvmirq", NULL);
}

void kvmirq_debugfs_exit(void)
{
	debugfs_remove_recursive(kvmirq_debugfs_root);
}
