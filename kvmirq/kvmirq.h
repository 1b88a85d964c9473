/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq internal interfaces: VM, vcpu and device objects, machine models.
 *
 * Object lifetime: a VM is reference counted.  Its VM fd, every vcpu fd and
 * every device fd hold one reference; vcpus and devices belong to the VM and
 * are freed with it, when the last reference goes.  Every fd's file
 * operations have .owner = THIS_MODULE, so the module cannot be unloaded
 * while any fd is open.
 */
#ifndef KVMIRQ_KVMIRQ_H
#define KVMIRQ_KVMIRQ_H

#include <linux/fs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/xarray.h>
#include <linux/kvmirq.h>

#include "compat.h"

struct kvmirq_vm;
struct kvmirq_vcpu;
struct kvmirq_device;
struct dentry;
struct kvmirq_irqs;
struct kvmirq_irq_ops;
struct kvmirq_iobus;

/* Returned by model hooks for an ioctl they do not know. */
#define KVMIRQ_NO_IOCTL		(-ENOIOCTLCMD)

/**
 * struct kvmirq_device_ops - one KVM_CREATE_DEVICE type
 * @name: anonymous inode name of the device fd
 * @create: set up @dev; may refuse (e.g. one instance per VM); VM lock held
 * @destroy: free what @create made; called when the VM is destroyed
 * @set_attr: KVM_SET_DEVICE_ATTR, or NULL (EPERM, as KVM)
 * @get_attr: KVM_GET_DEVICE_ATTR, or NULL
 * @has_attr: KVM_HAS_DEVICE_ATTR, or NULL
 */
struct kvmirq_device_ops {
	const char *name;
	int (*create)(struct kvmirq_device *dev);
	void (*destroy)(struct kvmirq_device *dev);
	int (*set_attr)(struct kvmirq_device *dev, struct kvm_device_attr *attr);
	int (*get_attr)(struct kvmirq_device *dev, struct kvm_device_attr *attr);
	int (*has_attr)(struct kvmirq_device *dev, struct kvm_device_attr *attr);
};

/**
 * struct kvmirq_guest_ops - a model's guest-side actions (KVMIRQIO ioctls)
 * @io: a port, MMIO or MSR access; @vcpu is NULL on a VM fd.  -ENXIO when
 *      no emulated device claims the address.
 * @ack: interrupt acknowledge; @vcpu is NULL on a VM fd
 * @eoi: end of interrupt; @vcpu is NULL on a VM fd
 * @vcpu_ioctl: the model's own guest-side vcpu ioctls (type KVMIRQIO, such
 *              as KVMIRQ_S390_DELIVER): copies and checks its argument;
 *              -ENOTTY if unknown
 *
 * A NULL hook means the model has no such action: its ioctl is ENOTTY.
 * @io, @ack and @eoi see structs whose reserved fields are already checked.
 * On a vcpu fd every hook runs under the vcpu mutex.
 */
struct kvmirq_guest_ops {
	int (*io)(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
		  struct kvmirq_io *io);
	int (*ack)(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
		   struct kvmirq_ack *ack);
	int (*eoi)(struct kvmirq_vm *vm, struct kvmirq_vcpu *vcpu,
		   struct kvmirq_eoi *eoi);
	long (*vcpu_ioctl)(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			   void __user *argp);
};

/**
 * struct kvmirq_model - a machine model, chosen by the KVM_CREATE_VM type
 * @type: the KVM_CREATE_VM type argument
 * @name: for messages
 * @max_vcpus: KVM_CAP_MAX_VCPUS; also the most vcpus a VM may create
 * @max_vcpu_id: KVM_CAP_MAX_VCPU_ID; vcpu ids must be below it
 * @devices: KVM_CREATE_DEVICE types, indexed by type
 * @nr_devices: size of @devices
 * @guest_actions: KVMIRQ_CAP_GUEST_ACTIONS of this model
 * @guest: its guest-side actions
 * @coalesced_mmio: KVM_CONFIG_KVM_MMIO: a coalesced MMIO ring in the vcpu
 *                  mapping and KVM_(UN)REGISTER_COALESCED_MMIO
 * @irq: its GSI routing and irqfd hooks (irq.h), or NULL: KVM_SET_GSI_ROUTING
 *       and KVM_IRQFD then go to @vm_ioctl
 * @check_extension: model-specific capabilities (0 if unknown)
 * @enable_cap: KVM_ENABLE_CAP with flags checked, or NULL (EINVAL)
 * @vm_init: allocate model state of a new VM
 * @vm_destroy: free it
 * @vcpu_init: allocate model state of a new vcpu; VM lock not held
 * @vcpu_destroy: free it
 * @vcpu_online: the vcpu is published, its idx set; under vm->lock, may not
 *               fail; or NULL
 * @vm_ioctl: model VM ioctls, KVMIRQ_NO_IOCTL if unknown
 * @vcpu_ioctl: model vcpu ioctls under the vcpu mutex, KVMIRQ_NO_IOCTL if
 *              unknown
 * @vcpu_async_ioctl: vcpu ioctls that KVM runs without the vcpu mutex (s390
 *                    injection), KVMIRQ_NO_IOCTL if unknown
 * @debugfs_vm: add the model's dump files to a new VM's debugfs directory
 * @debugfs_vcpu: add the model's dump files to a new vcpu's directory
 * @dev_ioctl: system ioctls of /dev/kvmirq that belong to the model,
 *             KVMIRQ_NO_IOCTL if unknown, or NULL
 * @load: set up the model's module-wide state (caches) at load, or NULL
 * @unload: tear it down at unload, or NULL
 * @vcpu_unknown_ioctl: the errno (negative) of a vcpu ioctl the model does
 *                      not know, as its architecture's KVM answers; 0: EINVAL
 */
struct kvmirq_model {
	unsigned long type;
	const char *name;
	unsigned int max_vcpus;
	unsigned int max_vcpu_id;
	const struct kvmirq_device_ops *const *devices;
	unsigned int nr_devices;
	u64 guest_actions;
	const struct kvmirq_guest_ops *guest;
	bool coalesced_mmio;
	const struct kvmirq_irq_ops *irq;
	long (*check_extension)(long cap);
	int (*enable_cap)(struct kvmirq_vm *vm, struct kvm_enable_cap *cap);
	int (*vm_init)(struct kvmirq_vm *vm);
	void (*vm_destroy)(struct kvmirq_vm *vm);
	int (*vcpu_init)(struct kvmirq_vcpu *vcpu);
	void (*vcpu_destroy)(struct kvmirq_vcpu *vcpu);
	void (*vcpu_online)(struct kvmirq_vcpu *vcpu);
	long (*vm_ioctl)(struct kvmirq_vm *vm, unsigned int ioctl,
			 unsigned long arg);
	long (*vcpu_ioctl)(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			   unsigned long arg);
	long (*vcpu_async_ioctl)(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
				 unsigned long arg);
	void (*debugfs_vm)(struct kvmirq_vm *vm, struct dentry *dir);
	void (*debugfs_vcpu)(struct kvmirq_vcpu *vcpu, struct dentry *dir);
	long (*dev_ioctl)(unsigned int ioctl, unsigned long arg);
	int (*load)(void);
	void (*unload)(void);
	int vcpu_unknown_ioctl;
};

extern const struct kvmirq_model kvmirq_x86_model;
extern const struct kvmirq_model kvmirq_s390_model;

/* KVM ABI: names in KVM's binary stats are 48 bytes, NUL included. */
#define KVMIRQ_STATS_NAME_SIZE	48

/*
 * "kvm-<pid>": a pid has at most 7 digits (PID_MAX_LIMIT is 4194304).  Not
 * the 48 bytes of the header field it is copied into: those would take
 * struct kvmirq_vm past 256 bytes, into a 512-byte kmalloc object.
 */
#define KVMIRQ_VM_STATS_ID_SIZE	16

/**
 * struct kvmirq_vm_stats - VM counters, read through KVM_GET_STATS_FD
 * @irqs_injected: interrupts raised by userspace (IRQ lines, irqfds, MSIs,
 *                 floating interrupts)
 * @irqs_coalesced: of those, the ones that merged into one already pending
 * @msis_delivered: MSIs accepted by at least one LAPIC
 * @floating_pending: floating interrupts queued now (instant value)
 * @pit_ticks: expirations of the in-kernel PIT's channel 0 timer
 * @pit_reinjected: PIT ticks re-delivered after an ack (reinjection)
 * @pit_coalesced: PIT interrupts merged into one already pending
 *
 * Only atomic64_t members, in the order of kvmirq_vm_stats_desc[].
 */
struct kvmirq_vm_stats {
	atomic64_t irqs_injected;
	atomic64_t irqs_coalesced;
	atomic64_t msis_delivered;
	atomic64_t floating_pending;
	atomic64_t pit_ticks;
	atomic64_t pit_reinjected;
	atomic64_t pit_coalesced;
};

/**
 * struct kvmirq_vcpu_stats - vcpu counters, read through KVM_GET_STATS_FD
 * @irqs_accepted: interrupts this vcpu's controller accepted
 * @irqs_acknowledged: interrupts the guest-side interface took
 * @nmis_injected: NMIs queued for this vcpu
 *
 * Only atomic64_t members, in the order of kvmirq_vcpu_stats_desc[].
 */
struct kvmirq_vcpu_stats {
	atomic64_t irqs_accepted;
	atomic64_t irqs_acknowledged;
	atomic64_t nmis_injected;
};

/**
 * struct kvmirq_memslots - guest memory slots (memslot.c)
 * @lock: guards @slots for lookups; updates also hold vm->lock
 * @slots: struct kvmirq_memslot, unordered
 * @manual_dirty_log: KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 as enabled
 *                    (dirty_log.c); written under vm->lock
 */
struct kvmirq_memslots {
	spinlock_t lock;		/* slot lookups */
	struct list_head slots;
	u64 manual_dirty_log;
};

/**
 * struct kvmirq_memslot_rules - a model's KVM_SET_USER_MEMORY_REGION limits
 * @max_slots: KVM_USER_MEM_SLOTS
 * @nr_as: KVM_ADDRESS_SPACE_NUM (slot number bits 31:16 below it)
 * @valid_flags: accepted KVM_MEM_* flags
 * @dirty_log: slots with KVM_MEM_LOG_DIRTY_PAGES get a dirty bitmap
 * @align: alignment of the user address and size of a new or moved slot
 * @mem_limit: end of guest-physical memory
 */
struct kvmirq_memslot_rules {
	unsigned int max_slots;
	unsigned int nr_as;
	u32 valid_flags;
	bool dirty_log;
	u64 align;
	u64 mem_limit;
};

/**
 * struct kvmirq_vm - one VM
 * @users: references: the VM fd, each vcpu fd, each device fd
 * @model: machine model, fixed at creation
 * @mm: the creating process's mm; ioctls from any other mm fail with EIO
 * @lock: serialises vcpu and device creation; protects @nr_vcpus,
 *        @nr_online and @devices
 * @vcpus: vcpus by vcpu id; entries are published complete and never
 *         removed before the VM is destroyed
 * @nr_vcpus: vcpus created or being created
 * @nr_online: vcpus published in @vcpus (the next vcpu's @idx)
 * @devices: devices created with KVM_CREATE_DEVICE
 * @stats: counters
 * @stats_id: KVM_GET_STATS_FD id string, "kvm-<pid>"
 * @debugfs: its debugfs directory
 * @memslots: guest memory slots, for models that take them
 * @irqs: GSI routing and irqfds (irq.h)
 * @iobus: ioeventfds and coalesced MMIO zones (iobus.h)
 * @arch: model state, owned by @model
 */
struct kvmirq_vm {
	refcount_t users;
	const struct kvmirq_model *model;
	struct mm_struct *mm;
	struct mutex lock;		/* creation of vcpus, devices */
	struct xarray vcpus;
	unsigned int nr_vcpus;
	unsigned int nr_online;
	struct list_head devices;
	struct kvmirq_vm_stats stats;
	char stats_id[KVMIRQ_VM_STATS_ID_SIZE];
	struct dentry *debugfs;
	struct kvmirq_memslots memslots;
	struct kvmirq_irqs *irqs;
	struct kvmirq_iobus *iobus;
	void *arch;
};

/**
 * struct kvmirq_vcpu - one vcpu
 * @vm: the VM, which outlives the vcpu
 * @id: the KVM_CREATE_VCPU id
 * @idx: creation order, 0 for the first vcpu published (KVM's vcpu_idx)
 * @mutex: serialises the vcpu ioctls that KVM runs under vcpu->mutex
 * @run: lazily allocated struct kvm_run page for mmap, or NULL
 * @pio: lazily allocated PIO data page (x86 page KVM_PIO_PAGE_OFFSET), or
 *       NULL
 * @stats: counters
 * @arch: model state, owned by the model
 */
struct kvmirq_vcpu {
	struct kvmirq_vm *vm;
	u32 id;
	u32 idx;
	struct mutex mutex;		/* vcpu ioctls, as KVM's */
	struct page *run;
	struct page *pio;
	struct kvmirq_vcpu_stats stats;
	void *arch;
};

/**
 * struct kvmirq_device - one KVM_CREATE_DEVICE instance
 * @vm: the VM, which outlives the device
 * @ops: its type
 * @type: KVM_DEV_TYPE_*
 * @node: in vm->devices
 * @private: the device's own state
 */
struct kvmirq_device {
	struct kvmirq_vm *vm;
	const struct kvmirq_device_ops *ops;
	u32 type;
	struct list_head node;
	void *private;
};

/**
 * struct kvmirq_fd - an object fd being made (fd.c)
 * @file: the object's file, NULL until kvmirq_fd_open()
 * @fd: the reserved fd number
 */
struct kvmirq_fd {
	struct file *file;
	int fd;
};

/* fd.c */
int kvmirq_fd_reserve(struct kvmirq_fd *kfd);
int kvmirq_fd_open(struct kvmirq_fd *kfd, const char *name,
		   const struct file_operations *fops, void *priv, int flags);
int kvmirq_fd_install(struct kvmirq_fd *kfd);
void kvmirq_fd_cancel(struct kvmirq_fd *kfd);

/* vm.c */
int kvmirq_models_init(void);
void kvmirq_models_exit(void);
int kvmirq_create_vm(unsigned long type);
long kvmirq_check_extension(const struct kvmirq_model *model, long cap);
long kvmirq_models_dev_ioctl(unsigned int ioctl, unsigned long arg);
void kvmirq_vm_get(struct kvmirq_vm *vm);
void kvmirq_vm_put(struct kvmirq_vm *vm);
bool kvmirq_vm_foreign_mm(struct kvmirq_vm *vm);

/* vcpu.c */
int kvmirq_page_alloc_once(struct page **slot);
int kvmirq_create_vcpu(struct kvmirq_vm *vm, unsigned long id);
void kvmirq_destroy_vcpus(struct kvmirq_vm *vm);

/* device.c */
int kvmirq_create_device(struct kvmirq_vm *vm, void __user *argp);
void kvmirq_destroy_devices(struct kvmirq_vm *vm);

/* debugfs.c */
void kvmirq_debugfs_init(void);
void kvmirq_debugfs_exit(void);
void kvmirq_debugfs_vm_create(struct kvmirq_vm *vm, int fd);
void kvmirq_debugfs_vm_destroy(struct kvmirq_vm *vm);
void kvmirq_debugfs_vcpu_create(struct kvmirq_vcpu *vcpu);

/* stats.c */
int kvmirq_vm_stats_fd(struct kvmirq_vm *vm);
int kvmirq_vcpu_stats_fd(struct kvmirq_vcpu *vcpu);

static inline void kvmirq_stat_add(atomic64_t *stat, s64 n)
{
	atomic64_add(n, stat);
}

/* One interrupt raised by userspace; KVM's status 0 means coalesced. */
static inline void kvmirq_stat_injected(struct kvmirq_vm *vm, int status)
{
	kvmirq_stat_add(&vm->stats.irqs_injected, 1);
	if (!status)
		kvmirq_stat_add(&vm->stats.irqs_coalesced, 1);
}

/* memslot.c */
void kvmirq_memslots_init(struct kvmirq_memslots *ms);
void kvmirq_memslots_destroy(struct kvmirq_memslots *ms);
int kvmirq_set_user_memory_region(struct kvmirq_vm *vm,
				  const struct kvmirq_memslot_rules *rules,
				  void __user *argp);
int kvmirq_gpa_to_hva(struct kvmirq_vm *vm, u64 gpa, unsigned long *hva);

/* dirty_log.c */
int kvmirq_get_dirty_log(struct kvmirq_vm *vm,
			 const struct kvmirq_memslot_rules *rules,
			 void __user *argp);
int kvmirq_clear_dirty_log(struct kvmirq_vm *vm,
			   const struct kvmirq_memslot_rules *rules,
			   void __user *argp);
int kvmirq_enable_manual_dirty_log(struct kvmirq_vm *vm,
				   const struct kvm_enable_cap *cap, u64 valid);

/* guest.c */
long kvmirq_guest_vm_ioctl(struct kvmirq_vm *vm, unsigned int ioctl,
			   unsigned long arg);
long kvmirq_guest_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			     unsigned long arg);

#endif /* KVMIRQ_KVMIRQ_H */
