// SPDX-License-Identifier: GPL-2.0
/*
 * Whole-VM LAPIC save/restore in the orders VMMs use, concurrent MSIs and
 * a VM with the maximum vcpu count.  Runs against real KVM too.
 */
#include <pthread.h>

#include "x86_lapic.h"

#define NRV 4

struct vcpu_state {
	__u64 base;
	int mp;
	struct kvm_lapic_state lapic;
	struct kvm_vcpu_events ev;
};

static void save(struct __test_metadata *_metadata, int vcpu,
		 struct vcpu_state *st)
{
	ASSERT_EQ(1, get_msr(vcpu, APIC_BASE_MSR, &st->base));
	st->mp = get_mp_state(vcpu);
	ASSERT_GE(st->mp, 0);
	st->lapic = get_lapic(vcpu);
	st->ev = get_events(vcpu);
}

enum order { CLOUD_HYPERVISOR, QEMU };

/* cloud-hypervisor/Firecracker: MP state, LAPIC, MSRs, events; QEMU:
 * MSRs (APIC base), events, MP state, LAPIC.
 */
static void restore(struct __test_metadata *_metadata, int vcpu,
		    struct vcpu_state *st, enum order order)
{
	struct kvm_vcpu_events ev = st->ev;

	if (order == CLOUD_HYPERVISOR) {
		ASSERT_EQ(0, set_mp_state(vcpu, st->mp));
		ASSERT_EQ(0, set_lapic(vcpu, &st->lapic));
		ASSERT_EQ(1, set_msr(vcpu, APIC_BASE_MSR, st->base));
		ASSERT_EQ(0, ioctl(vcpu, KVM_SET_VCPU_EVENTS, &ev));
	} else {
		ASSERT_EQ(1, set_msr(vcpu, APIC_BASE_MSR, st->base));
		ASSERT_EQ(0, ioctl(vcpu, KVM_SET_VCPU_EVENTS, &ev));
		ASSERT_EQ(0, set_mp_state(vcpu, st->mp));
		ASSERT_EQ(0, set_lapic(vcpu, &st->lapic));
	}
}

static void build_source(struct __test_metadata *_metadata, int vm, int *v)
{
	struct kvm_vcpu_events ev;
	struct kvm_lapic_state s;
	int i;

	for (i = 0; i < NRV; i++) {
		v[i] = ioctl(vm, KVM_CREATE_VCPU, i);
		ASSERT_GE(v[i], 0);
	}
	for (i = 0; i < NRV; i++) {
		s = get_lapic(v[i]);
		lapic_set(&s, APIC_SPIV, 0x1ff);
		lapic_set(&s, APIC_LDR, 1u << (24 + i));
		lapic_set(&s, APIC_TASKPRI, i * 0x10);
		lapic_set(&s, APIC_LVT1, 0x400);
		ASSERT_EQ(0, set_lapic(v[i], &s));
	}
	ASSERT_EQ(1, set_msr(v[3], APIC_BASE_MSR, 0xfed00800));
	ASSERT_EQ(1, msi_phys(vm, 1, MSI_LEVEL | 0x61));
	ASSERT_EQ(4, msi_logical(vm, 0xff, 0x72));
	ASSERT_EQ(1, msi_phys(vm, 2, DM_INIT));
	ASSERT_EQ(KVM_MP_STATE_INIT_RECEIVED, get_mp_state(v[2]));
	ASSERT_EQ(0, set_mp_state(v[1], KVM_MP_STATE_HALTED));
	ASSERT_EQ(0, ioctl(v[0], KVM_NMI));
	memset(&ev, 0, sizeof(ev));
	ev.exception.injected = 1;
	ev.exception.nr = 13;
	ev.exception.has_error_code = 1;
	ev.exception.error_code = 8;
	ev.nmi.masked = 1;
	ASSERT_EQ(0, ioctl(v[3], KVM_SET_VCPU_EVENTS, &ev));
	ASSERT_EQ(1, msi_phys(vm, 3, DM_INIT));	/* latched, not processed */
}

static void check_round_trip(struct __test_metadata *_metadata, int dev,
			     enum order order)
{
	struct vcpu_state a[NRV], b[NRV];
	int vm = x86_split_vm(dev), vm2 = x86_split_vm(dev);
	int v[NRV], w[NRV], i, d;

	ASSERT_GE(vm, 0);
	ASSERT_GE(vm2, 0);
	build_source(_metadata, vm, v);
	for (i = 0; i < NRV; i++)
		save(_metadata, v[i], &a[i]);
	for (i = 0; i < NRV; i++) {
		w[i] = ioctl(vm2, KVM_CREATE_VCPU, i);
		ASSERT_GE(w[i], 0);
	}
	for (i = 0; i < NRV; i++)
		restore(_metadata, w[i], &a[i], order);
	/* The source, saved again, and the copy read the same. */
	for (i = 0; i < NRV; i++) {
		save(_metadata, v[i], &a[i]);
		save(_metadata, w[i], &b[i]);
		EXPECT_EQ(a[i].base, b[i].base);
		EXPECT_EQ(a[i].mp, b[i].mp) TH_LOG("vcpu %d", i);
		EXPECT_EQ(0, memcmp(&a[i].lapic, &b[i].lapic, sizeof(a[i].lapic)))
			TH_LOG("vcpu %d", i);
		EXPECT_EQ(0, memcmp(&a[i].ev, &b[i].ev, sizeof(a[i].ev)))
			TH_LOG("vcpu %d", i);
	}
	/* And both behave alike. */
	for (d = 0; d < 16; d++) {
		EXPECT_EQ(msi_logical(vm, d, DM_LOWEST | (0x80 + d)),
			  msi_logical(vm2, d, DM_LOWEST | (0x80 + d)));
		EXPECT_EQ(msi_phys(vm, d, 0x90 + d), msi_phys(vm2, d, 0x90 + d));
		EXPECT_EQ(msi_phys(vm, d, DM_NMI), msi_phys(vm2, d, DM_NMI));
	}
	for (i = 0; i < NRV; i++) {
		save(_metadata, v[i], &a[i]);
		save(_metadata, w[i], &b[i]);
		EXPECT_EQ(a[i].mp, b[i].mp);
		EXPECT_EQ(0, memcmp(&a[i].lapic, &b[i].lapic, sizeof(a[i].lapic)));
		EXPECT_EQ(0, memcmp(&a[i].ev, &b[i].ev, sizeof(a[i].ev)));
		close(v[i]);
		close(w[i]);
	}
	close(vm);
	close(vm2);
}

TEST(round_trip_cloud_hypervisor_order)
{
	int dev = kvmirq_open();

	if (dev < 0)
		SKIP(return, "%s: %s", kvmirq_dev_path(), strerror(errno));
	check_round_trip(_metadata, dev, CLOUD_HYPERVISOR);
	close(dev);
}

TEST(round_trip_qemu_order)
{
	int dev = kvmirq_open();

	if (dev < 0)
		SKIP(return, "%s: %s", kvmirq_dev_path(), strerror(errno));
	check_round_trip(_metadata, dev, QEMU);
	close(dev);
}

#define THREADS 4
#define ROUNDS 2000

struct sender {
	int vm;
	int dest;
	int bad;
};

static void *send_msis(void *arg)
{
	struct sender *s = arg;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		if (msi_phys(s->vm, s->dest, 0x40 + (i & 0x3f)) != 1)
			s->bad++;
		if (msi_phys(s->vm, 0xff, DM_NMI) != THREADS * 2)
			s->bad++;
	}
	return NULL;
}

/* Concurrent MSIs to many vcpus: every one is counted. */
TEST(concurrent_msis)
{
	struct sender s[THREADS];
	pthread_t t[THREADS];
	int dev = kvmirq_open(), vm, v[THREADS * 2], i;

	if (dev < 0)
		SKIP(return, "%s: %s", kvmirq_dev_path(), strerror(errno));
	vm = x86_split_vm(dev);
	ASSERT_GE(vm, 0);
	for (i = 0; i < THREADS * 2; i++) {
		v[i] = ioctl(vm, KVM_CREATE_VCPU, i);
		ASSERT_GE(v[i], 0);
	}
	for (i = 0; i < THREADS * 2; i++)
		ASSERT_EQ(0, lapic_enable(v[i]));
	for (i = 0; i < THREADS; i++) {
		s[i] = (struct sender){ .vm = vm, .dest = i };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, send_msis, &s[i]));
	}
	/* Meanwhile the other vcpus' LAPICs are rewritten. */
	for (i = 0; i < 200; i++)
		ASSERT_EQ(0, lapic_enable(v[THREADS + i % THREADS]));
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, s[i].bad);
		EXPECT_EQ(1, irr_count(v[i], 0x40));
		/* KVM ABI: a count (6.12, 6.18), 6.1 said only "some". */
		EXPECT_EQ(kvm_release(dev) > 601 ? 2 : 1, get_events(v[i]).nmi.pending);
	}
	for (i = 0; i < THREADS * 2; i++)
		close(v[i]);
	close(vm);
	close(dev);
}

FIXTURE(big) {
	int dev;
	int kvmirq;
};

FIXTURE_SETUP(big)
{
	KVMIRQ_OPEN_OR_SKIP();
}

FIXTURE_TEARDOWN(big)
{
	if (self->dev >= 0)
		close(self->dev);
}

/*
 * The maximum vcpu count, each with a LAPIC; a broadcast reaches all.  KVM
 * built for 4096 vcpus (Debian's 6.12) needs minutes for it under TCG.
 */
TEST_F_TIMEOUT(big, max_vcpus, 600)
{
	int dev = self->dev, vm, n, i, *v;

	/* KVM ABI: a build option, 1024 to 4096 (see foundation_test). */
	n = ioctl(dev, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
	ASSERT_GE(n, 1024);
	ASSERT_LE(n, 4096);
	vm = x86_split_vm(dev);
	ASSERT_GE(vm, 0);
	v = calloc(n, sizeof(*v));
	ASSERT_NE(NULL, v);
	for (i = 0; i < n; i++) {
		v[i] = ioctl(vm, KVM_CREATE_VCPU, i);
		ASSERT_GE(v[i], 0) TH_LOG("vcpu %d: %s", i, strerror(errno));
	}
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vm, KVM_CREATE_VCPU, n)));
	ASSERT_EQ(0, lapic_enable(v[n - 1]));
	/* xAPIC ids wrap at 256: only the NMI broadcast is exact. */
	EXPECT_EQ(n, msi_phys(vm, 0xff, DM_NMI));
	EXPECT_EQ(1, get_events(v[n - 1]).nmi.pending);
	EXPECT_EQ(1, signal_msi(vm, msi_addr(0xff, 0, 0), 0, 0x40, 0));
	EXPECT_EQ(1, irr_count(v[n - 1], 0x40));
	for (i = 0; i < n; i++)
		close(v[i]);
	free(v);
	close(vm);
}

TEST_HARNESS_MAIN
