/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmirq: state of the s390 machine model.
 *
 * Lock order (outermost first; Documentation/internals.rst has all of it):
 *   vm->lock  >  irqs->lock (irq.h)  >  s390->flic_lock  >  the mm's lock
 *   >  vcpu local lock  >  s390->fl.lock
 * irqs->lock is outside flic_lock: a resampler's shutdown raises its GSI
 * under irqs->lock, and an adapter route takes flic_lock.
 *
 * The local and floating locks are spinlocks: injection may come from any
 * thread (KVM's async vcpu ioctls) while another thread delivers.
 */
#ifndef KVMIRQ_S390_H
#define KVMIRQ_S390_H

#include <linux/bitmap.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#include "kvmirq.h"

/*
 * KVM ABI: s390 KVM on a machine with the extended SCA allows 248 vcpus,
 * with ids below 248 (KVM_S390_ESCA_CPU_SLOTS).
 */
#define KVMIRQ_S390_MAX_VCPUS		248
/* KVM ABI: KVM_MAX_VCPUS on s390, the size of the emergency source bitmap */
#define KVMIRQ_S390_KVM_MAX_VCPUS	255

/* KVM's pending-interrupt numbers, in ascending order of priority. */
enum kvmirq_s390_pend {
	KVMIRQ_PEND_SET_PREFIX = 0,
	KVMIRQ_PEND_RESTART,
	KVMIRQ_PEND_SIGP_STOP,
	KVMIRQ_PEND_IO_ISC_7,
	KVMIRQ_PEND_IO_ISC_6,
	KVMIRQ_PEND_IO_ISC_5,
	KVMIRQ_PEND_IO_ISC_4,
	KVMIRQ_PEND_IO_ISC_3,
	KVMIRQ_PEND_IO_ISC_2,
	KVMIRQ_PEND_IO_ISC_1,
	KVMIRQ_PEND_IO_ISC_0,
	KVMIRQ_PEND_VIRTIO,
	KVMIRQ_PEND_PFAULT_DONE,
	KVMIRQ_PEND_PFAULT_INIT,
	KVMIRQ_PEND_EXT_HOST,
	KVMIRQ_PEND_EXT_SERVICE,
	KVMIRQ_PEND_EXT_SERVICE_EV,
	KVMIRQ_PEND_EXT_TIMING,
	KVMIRQ_PEND_EXT_CPU_TIMER,
	KVMIRQ_PEND_EXT_CLOCK_COMP,
	KVMIRQ_PEND_EXT_EXTERNAL,
	KVMIRQ_PEND_EXT_EMERGENCY,
	KVMIRQ_PEND_EXT_MALFUNC,
	KVMIRQ_PEND_EXT_IRQ_KEY,
	KVMIRQ_PEND_MCHK_REP,
	KVMIRQ_PEND_PROG,
	KVMIRQ_PEND_SVC,
	KVMIRQ_PEND_MCHK_EX,
	KVMIRQ_PEND_COUNT
};

#define KVMIRQ_S390_MAX_ISC		7
#define KVMIRQ_PEND_IO_MASK		GENMASK(KVMIRQ_PEND_IO_ISC_0, \
						KVMIRQ_PEND_IO_ISC_7)
#define KVMIRQ_PEND_EXT_MASK		GENMASK(KVMIRQ_PEND_EXT_IRQ_KEY, \
						KVMIRQ_PEND_VIRTIO)
#define KVMIRQ_PEND_MCHK_MASK		(BIT(KVMIRQ_PEND_MCHK_REP) | \
					 BIT(KVMIRQ_PEND_MCHK_EX))

static inline unsigned int kvmirq_s390_isc_to_pend(unsigned int isc)
{
	return KVMIRQ_PEND_IO_ISC_0 - isc;
}

/* ISC of an I/O interruption word: bits 2-4. */
static inline unsigned int kvmirq_s390_int_word_isc(u32 int_word)
{
	return (int_word & 0x38000000u) >> 27;
}

/**
 * struct kvmirq_s390_local_irqs - a vcpu's pending local interrupts
 * @pending: KVMIRQ_PEND_* bits
 * @emerg: pending emergency signals, by source vcpu id
 * @ext: PFAULT_INIT payload
 * @pgm: PROGRAM_INT payload (merged)
 * @extcall: EXTERNAL_CALL payload
 * @prefix: SET_PREFIX payload
 * @stop: SIGP_STOP payload
 * @mchk: local machine-check payload (OR-merged, may be kept while not
 *        pending)
 */
struct kvmirq_s390_local_irqs {
	unsigned long pending;
	DECLARE_BITMAP(emerg, KVMIRQ_S390_KVM_MAX_VCPUS);
	struct kvm_s390_ext_info ext;
	struct kvm_s390_pgm_info pgm;
	struct kvm_s390_extcall_info extcall;
	struct kvm_s390_prefix_info prefix;
	struct kvm_s390_stop_info stop;
	struct kvm_s390_mchk_info mchk;
};

/**
 * struct kvmirq_s390_local - a vcpu's local interrupt state
 * @lock: guards @irqs and @stopped
 * @irqs: pending local interrupts, as KVM keeps them
 * @stopped: the vcpu's run state: STOPPED (true) or OPERATING
 */
struct kvmirq_s390_local {
	spinlock_t lock;		/* local interrupts, run state */
	struct kvmirq_s390_local_irqs irqs;
	bool stopped;
};

/* Floating lists: one per ISC, then pfault-done and virtio (KVM's order). */
enum kvmirq_s390_float_list {
	KVMIRQ_FLIST_IO_ISC_0 = 0,
	KVMIRQ_FLIST_PFAULT = KVMIRQ_FLIST_IO_ISC_0 + KVMIRQ_S390_MAX_ISC + 1,
	KVMIRQ_FLIST_VIRTIO,
	KVMIRQ_FLIST_COUNT
};

enum kvmirq_s390_float_counter {
	KVMIRQ_FCNT_IO = 0,
	KVMIRQ_FCNT_PFAULT,
	KVMIRQ_FCNT_VIRTIO,
	KVMIRQ_FCNT_COUNT
};

/* KVM ABI: queue limits of s390 KVM */
#define KVMIRQ_S390_MAX_VIRTIO_IRQS	87381
#define KVMIRQ_S390_MAX_PFAULT_IRQS	(64 * KVMIRQ_S390_KVM_MAX_VCPUS)

/**
 * struct kvmirq_s390_inti - one queued floating interrupt
 * @list: in one of kvmirq_s390_float.lists
 * @irq: the interrupt, with only its type's union member set
 */
struct kvmirq_s390_inti {
	struct list_head list;
	struct kvm_s390_irq irq;
};

/**
 * struct kvmirq_s390_float - the VM's floating interrupts
 * @lock: guards everything below
 * @pending: KVMIRQ_PEND_* bits of the floating interrupts
 * @lists: queued interrupts, FIFO each
 * @counters: entries per class, against KVM's limits
 * @srv: the merged service signal
 * @mchk: the merged floating machine check
 */
struct kvmirq_s390_float {
	spinlock_t lock;		/* floating interrupts */
	unsigned long pending;
	struct list_head lists[KVMIRQ_FLIST_COUNT];
	unsigned int counters[KVMIRQ_FCNT_COUNT];
	struct kvm_s390_ext_info srv;
	struct kvm_s390_mchk_info mchk;
};

/* KVM ABI: MAX_S390_IO_ADAPTERS = (MAX_ISC + 1) * 8 */
#define KVMIRQ_S390_MAX_ADAPTERS	64
/* Pinned mappings per adapter (the 2026 MAP/UNMAP series: 256) */
#define KVMIRQ_S390_MAX_ADAPTER_MAPS	256

/**
 * struct kvmirq_s390_adapter - one I/O adapter registered with the FLIC
 * @info: as registered; info.flags keeps only SUPPRESSIBLE
 * @masked: ADAPTER_MODIFY MASK state
 * @maps: pinned guest pages (struct kvmirq_s390_map)
 * @nr_maps: entries in @maps
 */
struct kvmirq_s390_adapter {
	struct kvm_s390_io_adapter info;
	bool masked;
	struct list_head maps;
	unsigned int nr_maps;
};

/**
 * struct kvmirq_s390_vm - VM-wide s390 state
 * @flic: the FLIC device, or NULL; set under vm->lock, never cleared
 *        before the VM goes (KVM ABI: one FLIC for the VM's lifetime)
 * @fl: floating interrupts
 * @flic_lock: guards @adapters, @simm, @nimm
 * @adapters: registered adapters by id
 * @simm: AIS single-interruption mode, bit 0x80 >> isc
 * @nimm: AIS no-interruptions mode, bit 0x80 >> isc
 * @ais: KVM_CAP_S390_AIS was enabled (facility 72)
 * @use_irqchip: KVM_CAP_S390_IRQCHIP was enabled
 * @user_sigp: KVM_CAP_S390_USER_SIGP was enabled
 * @user_cpu_state: a KVM_SET_MP_STATE was made (KVM's user_cpu_state_ctrl)
 * @pfault: async page faults enabled (FLIC APF_ENABLE)
 */
struct kvmirq_s390_vm {
	struct kvmirq_device *flic;
	struct kvmirq_s390_float fl;
	struct mutex flic_lock;		/* adapters and AIS modes */
	struct kvmirq_s390_adapter *adapters[KVMIRQ_S390_MAX_ADAPTERS];
	u8 simm;
	u8 nimm;
	bool ais;
	bool use_irqchip;
	bool user_sigp;
	bool user_cpu_state;
	bool pfault;
};

static inline struct kvmirq_s390_vm *kvmirq_s390(struct kvmirq_vm *vm)
{
	return vm->arch;
}

static inline struct kvmirq_s390_local *kvmirq_s390_li(struct kvmirq_vcpu *vcpu)
{
	return vcpu->arch;
}

struct seq_file;

/* local.c: a vcpu's local interrupts, run state and vcpu ioctls */
int kvmirq_s390_vcpu_init(struct kvmirq_vcpu *vcpu);
void kvmirq_s390_vcpu_destroy(struct kvmirq_vcpu *vcpu);
int kvmirq_s390_inject_local(struct kvmirq_vcpu *vcpu, struct kvm_s390_irq *irq);
long kvmirq_s390_vcpu_async_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
				  unsigned long arg);
long kvmirq_s390_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
			    unsigned long arg);
int kvmirq_s390_store_status(struct kvmirq_vcpu *vcpu);
void kvmirq_s390_store_local(const struct kvmirq_s390_local_irqs *li,
			     unsigned int bit, struct kvm_s390_irq *irq);
void kvmirq_s390_local_dump(struct seq_file *m, struct kvmirq_vcpu *vcpu);

/* float.c: the VM's floating interrupts */
void kvmirq_s390_float_init(struct kvmirq_s390_float *fl);
struct kvmirq_s390_inti *kvmirq_s390_inti_alloc(void);
int kvmirq_s390_inject_inti(struct kvmirq_vm *vm, struct kvmirq_s390_inti *inti);
int kvmirq_s390_inject_float(struct kvmirq_vm *vm,
			     const struct kvm_s390_irq *irq);
int kvmirq_s390_inject_legacy_vm(struct kvmirq_vm *vm,
				 const struct kvm_s390_interrupt *s390int);
void kvmirq_s390_clear_float(struct kvmirq_vm *vm);
int kvmirq_s390_get_all_float(struct kvmirq_vm *vm, void __user *ubuf, u64 len);
void kvmirq_s390_clear_io(struct kvmirq_vm *vm, u32 schid);
void kvmirq_s390_float_dump(struct seq_file *m, struct kvmirq_vm *vm);

/* deliver.c: what the CPU takes next */
int kvmirq_s390_deliver_one(struct kvmirq_vcpu *vcpu,
			    struct kvmirq_s390_deliver *d);
long kvmirq_s390_guest_vcpu_ioctl(struct kvmirq_vcpu *vcpu, unsigned int ioctl,
				  void __user *argp);

/* flic.c: the FLIC device and its adapters */
extern const struct kvmirq_device_ops kvmirq_flic_ops;
void kvmirq_s390_adapters_free(struct kvmirq_vm *vm);
int kvmirq_s390_airq_inject_locked(struct kvmirq_vm *vm,
				   struct kvmirq_s390_adapter *adapter);
void kvmirq_flic_adapters_dump(struct seq_file *m, struct kvmirq_vm *vm);

/* route.c: adapter routes */
extern const struct kvmirq_irq_ops kvmirq_s390_irq_ops;

#endif /* KVMIRQ_S390_H */
