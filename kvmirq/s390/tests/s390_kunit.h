/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fixture shared by the s390 KUnit suites: an s390 VM with three vcpus,
 * built with the model's own vm_init/vcpu_init hooks but without any fd.
 * Vcpu ids are 0, 1 and 3, so id 2 is a free id below the maximum.  The VM
 * has no memory slots: a store status fails with EFAULT.
 */
#ifndef KVMIRQ_TESTS_S390_KUNIT_H
#define KVMIRQ_TESTS_S390_KUNIT_H

#include <kunit/test.h>

#define S390T_NR_VCPUS		3
#define S390T_FREE_ID		2

/* KUnit of 6.1 has no KUNIT_EXPECT_MEMEQ. */
#define S390T_EXPECT_MEMEQ(test, a, b, size) \
	KUNIT_EXPECT_EQ_MSG(test, memcmp(a, b, size), 0, "%s != %s", #a, #b)

static const u32 s390t_ids[S390T_NR_VCPUS] = { 0, 1, 3 };

struct s390t {
	struct kvmirq_vm vm;
	struct kvmirq_vcpu vcpu[S390T_NR_VCPUS];
};

static inline int s390t_init(struct kunit *test)
{
	struct s390t *t;
	unsigned int i;
	int r;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->vm.model = &kvmirq_s390_model;
	mutex_init(&t->vm.lock);
	xa_init(&t->vm.vcpus);
	INIT_LIST_HEAD(&t->vm.devices);
	kvmirq_memslots_init(&t->vm.memslots);
	r = kvmirq_s390_model.vm_init(&t->vm);
	if (r)
		return r;
	test->priv = t;
	for (i = 0; i < S390T_NR_VCPUS; i++) {
		t->vcpu[i].vm = &t->vm;
		t->vcpu[i].id = s390t_ids[i];
		mutex_init(&t->vcpu[i].mutex);
		r = kvmirq_s390_model.vcpu_init(&t->vcpu[i]);
		if (r)
			return r;
		r = xa_err(xa_store(&t->vm.vcpus, s390t_ids[i], &t->vcpu[i],
				    GFP_KERNEL));
		if (r)
			return r;
	}
	return 0;
}

/* Also undoes a partial s390t_init(). */
static inline void s390t_exit(struct kunit *test)
{
	struct s390t *t = test->priv;
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < S390T_NR_VCPUS; i++)
		if (t->vcpu[i].arch)
			kvmirq_s390_model.vcpu_destroy(&t->vcpu[i]);
	xa_destroy(&t->vm.vcpus);
	kvmirq_s390_model.vm_destroy(&t->vm);
}

static inline struct kvmirq_vcpu *s390t_vcpu(struct kunit *test,
					     unsigned int i)
{
	return &((struct s390t *)test->priv)->vcpu[i];
}

static inline struct kvmirq_vm *s390t_vm(struct kunit *test)
{
	return &((struct s390t *)test->priv)->vm;
}

static inline struct kvmirq_s390_local_irqs *s390t_li(struct kunit *test,
						      unsigned int i)
{
	return &kvmirq_s390_li(s390t_vcpu(test, i))->irqs;
}

static inline struct kvmirq_s390_float *s390t_fl(struct kunit *test)
{
	return &kvmirq_s390(s390t_vm(test))->fl;
}

/* The run state as KVM_SET_MP_STATE would leave it (pending irqs aside). */
static inline void s390t_set_stopped(struct kunit *test, unsigned int i,
				     bool stopped)
{
	kvmirq_s390_li(s390t_vcpu(test, i))->stopped = stopped;
}

static inline int s390t_inject(struct kunit *test, unsigned int i,
			       struct kvm_s390_irq irq)
{
	return kvmirq_s390_inject_local(s390t_vcpu(test, i), &irq);
}

static inline int s390t_inject_float(struct kunit *test,
				     struct kvm_s390_irq irq)
{
	return kvmirq_s390_inject_float(s390t_vm(test), &irq);
}

/* Injections expected to succeed */
#define S390T_OK(test, i, irq)						\
	do {								\
		struct kunit *t_ = (test);				\
									\
		KUNIT_EXPECT_EQ(t_, s390t_inject(t_, i, irq), 0);	\
	} while (0)
#define S390T_FLOAT_OK(test, irq)					\
	do {								\
		struct kunit *t_ = (test);				\
									\
		KUNIT_EXPECT_EQ(t_, s390t_inject_float(t_, irq), 0);	\
	} while (0)

static inline struct kvm_s390_irq s390t_irq(u64 type)
{
	return (struct kvm_s390_irq){ .type = type };
}

static inline struct kvm_s390_irq s390t_io(u64 type, u32 schid, u32 parm,
					   u32 word)
{
	struct kvm_s390_irq irq = { .type = type };

	irq.u.io.subchannel_id = schid >> 16;
	irq.u.io.subchannel_nr = schid & 0xffff;
	irq.u.io.io_int_parm = parm;
	irq.u.io.io_int_word = word;
	return irq;
}

static inline struct kvm_s390_irq s390t_ext(u64 type, u32 parm, u64 parm2)
{
	struct kvm_s390_irq irq = { .type = type };

	irq.u.ext.ext_params = parm;
	irq.u.ext.ext_params2 = parm2;
	return irq;
}

static inline struct kvm_s390_irq s390t_mchk(u64 cr14, u64 mcic)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_MCHK };

	irq.u.mchk.cr14 = cr14;
	irq.u.mchk.mcic = mcic;
	return irq;
}

/* I/O interruption word of a classic interrupt on @isc */
#define S390T_ISC_WORD(isc)	((u32)(isc) << 27)

/* Machine-check interruption code bits (MSB 0 numbering) */
#define S390T_MCIC_SD		BIT_ULL(63)	/* system damage: exigent */
#define S390T_MCIC_PD		BIT_ULL(62)	/* instruction-processing damage */
#define S390T_MCIC_DG		BIT_ULL(56)	/* degradation: repressible */
#define S390T_MCIC_ED		BIT_ULL(58)	/* external damage */
#define S390T_MCIC_W		BIT_ULL(55)	/* warning */
#define S390T_MCIC_CP		BIT_ULL(54)	/* channel report pending */
#define S390T_MCIC_VALIDITY	0x00000f7700000000ULL	/* neither class */
/* CR14 bit 35, channel-report submask: the one a floating mchk keeps */
#define S390T_CR14_CRW		BIT_ULL(28)
#define S390T_CR14_DEGRADATION	BIT_ULL(26)

#endif /* KVMIRQ_TESTS_S390_KUNIT_H */
