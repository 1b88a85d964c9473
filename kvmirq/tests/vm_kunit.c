// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for vm.c: the machine-model table and KVM_CHECK_EXTENSION's
 * generic answers.  Included at the end of vm.c when CONFIG_KUNIT is set.
 * The model cases run once per entry of kvmirq_models[], so a new model or
 * device type is checked without touching this file.
 */
#include <kunit/test.h>

static void kvmirq_model_desc(const struct kvmirq_model *const *m, char *desc)
{
	strscpy(desc, (*m)->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kvmirq_model, kvmirq_models, kvmirq_model_desc);

/* What the rest of the module relies on in every model. */
static void kvmirq_model_sane_test(struct kunit *test)
{
	const struct kvmirq_model *const *mp = test->param_value;
	const struct kvmirq_model *m = *mp;
	const struct kvmirq_device_ops *ops;
	unsigned int i;

	KUNIT_EXPECT_PTR_EQ(test, kvmirq_find_model(m->type), m);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, m->name);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, m->check_extension);
	KUNIT_EXPECT_GT(test, m->max_vcpus, 0u);
	KUNIT_EXPECT_GE(test, m->max_vcpu_id, m->max_vcpus);
	KUNIT_EXPECT_TRUE(test, !m->nr_devices || m->devices);
	for (i = 0; i < m->nr_devices; i++) {
		ops = m->devices[i];
		if (!ops)
			continue;
		KUNIT_EXPECT_NOT_ERR_OR_NULL(test, ops->name);
		KUNIT_EXPECT_NOT_ERR_OR_NULL(test, ops->create);
		KUNIT_EXPECT_NOT_ERR_OR_NULL(test, ops->destroy);
	}
}

static const long kvmirq_generic_caps[] = {
	KVM_CAP_CHECK_EXTENSION_VM, KVM_CAP_ENABLE_CAP_VM, KVM_CAP_DEVICE_CTRL,
	KVMIRQ_CAP_ABI_VERSION,
};

static void kvmirq_model_caps_test(struct kunit *test)
{
	const struct kvmirq_model *m = *(const struct kvmirq_model *const *)test->param_value;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kvmirq_generic_caps); i++)
		KUNIT_EXPECT_EQ_MSG(test, kvmirq_check_extension(m, kvmirq_generic_caps[i]),
				    1L, "cap %ld", kvmirq_generic_caps[i]);
	KUNIT_EXPECT_EQ(test, kvmirq_check_extension(m, KVM_CAP_MAX_VCPUS),
			(long)m->max_vcpus);
	KUNIT_EXPECT_EQ(test, kvmirq_check_extension(m, KVM_CAP_MAX_VCPU_ID),
			(long)m->max_vcpu_id);
	KUNIT_EXPECT_EQ(test, kvmirq_check_extension(m, KVM_CAP_NR_VCPUS),
			(long)min(num_online_cpus(), m->max_vcpus));
	KUNIT_EXPECT_EQ(test, kvmirq_check_extension(m, KVMIRQ_CAP_GUEST_ACTIONS),
			(long)m->guest_actions);
	KUNIT_EXPECT_EQ(test, kvmirq_check_extension(m, 0x7fffffffL), 0L);
	KUNIT_EXPECT_EQ(test, kvmirq_check_extension(m, -1L), 0L);
}

/* /dev/kvmirq answers as the x86 model, and lists every model's actions. */
static void kvmirq_system_caps_test(struct kunit *test)
{
	long actions = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kvmirq_models); i++)
		actions |= kvmirq_models[i]->guest_actions;
	KUNIT_EXPECT_EQ(test, kvmirq_check_extension(NULL, KVMIRQ_CAP_GUEST_ACTIONS),
			actions);
	KUNIT_EXPECT_EQ(test, kvmirq_check_extension(NULL, KVM_CAP_MAX_VCPUS),
			(long)kvmirq_x86_model.max_vcpus);
	for (i = 0; i < ARRAY_SIZE(kvmirq_generic_caps); i++)
		KUNIT_EXPECT_EQ(test, kvmirq_check_extension(NULL, kvmirq_generic_caps[i]),
				1L);
	KUNIT_EXPECT_EQ(test, kvmirq_check_extension(NULL, 0x7fffffffL), 0L);
}

static void kvmirq_find_model_test(struct kunit *test)
{
	KUNIT_EXPECT_PTR_EQ(test, kvmirq_find_model(KVMIRQ_VM_X86), &kvmirq_x86_model);
	KUNIT_EXPECT_PTR_EQ(test, kvmirq_find_model(KVMIRQ_VM_S390), &kvmirq_s390_model);
	KUNIT_EXPECT_NULL(test, kvmirq_find_model(1));
	KUNIT_EXPECT_NULL(test, kvmirq_find_model(~0UL));
}

static struct kunit_case kvmirq_vm_test_cases[] = {
	KUNIT_CASE_PARAM(kvmirq_model_sane_test, kvmirq_model_gen_params),
	KUNIT_CASE_PARAM(kvmirq_model_caps_test, kvmirq_model_gen_params),
	KUNIT_CASE(kvmirq_system_caps_test),
	KUNIT_CASE(kvmirq_find_model_test),
	{}
};

static struct kunit_suite kvmirq_vm_test_suite = {
	.name = "kvmirq_vm",
	.test_cases = kvmirq_vm_test_cases,
};

kunit_test_suite(kvmirq_vm_test_suite);
