// SPDX-License-Identifier: GPL-2.0
/*
 * The s390 FLIC device: every attribute group, floating interrupts, queue
 * limits, adapters and AIS.  kvmirq only: no s390 KVM host to compare with.
 */
#include <stdint.h>
#include <sys/mman.h>

#include "s390_test.h"

#define MAX_IO		266250
#define MAX_VIRTIO	87381
#define MAX_PFAULT	16320

FIXTURE(flic) {
	int dev;
	int kvmirq;
	int vm;
	int flic;
};

FIXTURE_SETUP(flic)
{
	self->vm = -1;
	self->flic = -1;
	KVMIRQ_OPEN_OR_SKIP();
	KVMIRQ_ONLY();
	s390_vm_flic(_metadata, self->dev, &self->vm, &self->flic);
}

FIXTURE_TEARDOWN(flic)
{
	CLOSE_FDS(self->flic, self->vm, self->dev);
}

static int set_err(int flic, __u32 group, __u64 attr, const void *addr)
{
	return kvmirq_errno(flic_set(flic, group, attr, addr));
}

static int get_err(int flic, __u32 group, __u64 attr, void *addr)
{
	return kvmirq_errno(flic_get(flic, group, attr, addr));
}

static int get_all(int flic, struct kvm_s390_irq *buf, int n)
{
	return flic_get(flic, KVM_DEV_FLIC_GET_ALL_IRQS, (__u64)n * IRQ_SIZE, buf);
}

static int enable_ais(int vm)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_S390_AIS };

	return ioctl(vm, KVM_ENABLE_CAP, &cap);
}

TEST_F(flic, has_attr)
{
	struct kvm_device_attr a = { .flags = 0xffffffff, .attr = ~0ULL };
	__u32 g;

	/* KVM ABI: 0 for all eleven groups, AIS or not; others ENXIO. */
	for (g = 1; g <= 11; g++) {
		a.group = g;
		EXPECT_EQ(0, ioctl(self->flic, KVM_HAS_DEVICE_ATTR, &a)) TH_LOG("group %u", g);
	}
	a.group = 0;
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(self->flic, KVM_HAS_DEVICE_ATTR, &a)));
	a.group = 12;
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(self->flic, KVM_HAS_DEVICE_ATTR, &a)));
}

/* The ucontrol_test.c uc_flic_attrs table, for a normal VM (APF = 0). */
TEST_F(flic, get_set_per_group)
{
	struct kvm_s390_io_adapter adapter = { .id = 0 };
	struct kvm_s390_io_adapter_req req = { .id = 0, .type = 0 };
	struct kvm_s390_ais_req ais = { 0 };
	struct kvm_s390_ais_all all = { 0 };
	__u32 schid = 0;
	char buf[4096];

	EXPECT_EQ(0, get_all(self->flic, (void *)buf, 4096 / IRQ_SIZE));
	EXPECT_EQ(EINVAL, set_err(self->flic, KVM_DEV_FLIC_GET_ALL_IRQS, 4096, buf));
	EXPECT_EQ(EINVAL, get_err(self->flic, KVM_DEV_FLIC_ENQUEUE, 0, buf));
	EXPECT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_ENQUEUE, 0, buf));
	EXPECT_EQ(EINVAL, get_err(self->flic, KVM_DEV_FLIC_CLEAR_IRQS, 0, buf));
	EXPECT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_CLEAR_IRQS, 0, NULL));
	EXPECT_EQ(EINVAL, get_err(self->flic, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, &adapter));
	EXPECT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, &adapter));
	EXPECT_EQ(EINVAL, get_err(self->flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &req));
	EXPECT_EQ(EINVAL, set_err(self->flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &req));
	EXPECT_EQ(EINVAL, get_err(self->flic, KVM_DEV_FLIC_CLEAR_IO_IRQ, 32, &schid));
	EXPECT_EQ(EINVAL, set_err(self->flic, KVM_DEV_FLIC_CLEAR_IO_IRQ, 32, &schid));
	EXPECT_EQ(EINVAL, get_err(self->flic, KVM_DEV_FLIC_AISM, 0, &ais));
	EXPECT_EQ(EOPNOTSUPP, set_err(self->flic, KVM_DEV_FLIC_AISM, 0, &ais));
	EXPECT_EQ(EINVAL, get_err(self->flic, KVM_DEV_FLIC_AIRQ_INJECT, 0, NULL));
	EXPECT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_AIRQ_INJECT, 0, NULL));
	EXPECT_EQ(EOPNOTSUPP, get_err(self->flic, KVM_DEV_FLIC_AISM_ALL, 2, &all));
	EXPECT_EQ(EOPNOTSUPP, set_err(self->flic, KVM_DEV_FLIC_AISM_ALL, 2, &all));
	/* KVM ABI: AISM_ALL GET checks attr >= 2 before the facility. */
	EXPECT_EQ(EINVAL, get_err(self->flic, KVM_DEV_FLIC_AISM_ALL, 1, &all));
	EXPECT_EQ(EINVAL, get_err(self->flic, KVM_DEV_FLIC_APF_ENABLE, 0, NULL));
	EXPECT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_APF_ENABLE, 0, NULL));
	EXPECT_EQ(EINVAL, get_err(self->flic, KVM_DEV_FLIC_APF_DISABLE_WAIT, 0, NULL));
	EXPECT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_APF_DISABLE_WAIT, 0, NULL));
	/* Unknown groups: EINVAL for GET and SET (foundation test too). */
	EXPECT_EQ(EINVAL, get_err(self->flic, 0, 0, NULL));
	EXPECT_EQ(EINVAL, set_err(self->flic, 12, 0, NULL));
	/* The only interrupt so far is AIRQ_INJECT's, on ISC 0. */
	ASSERT_EQ(1, get_all(self->flic, (void *)buf, 1));
	EXPECT_EQ(AI_TYPE, ((struct kvm_s390_irq *)buf)->type);
	EXPECT_EQ(0x80000000u, ((struct kvm_s390_irq *)buf)->u.io.io_int_word);
}

TEST_F(flic, second_flic)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };

	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_CREATE_DEVICE, &cd)));
	/* KVM ABI: closing the fd does not free the VM's FLIC. */
	close(self->flic);
	self->flic = -1;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_CREATE_DEVICE, &cd)));
}

TEST_F(flic, enqueue_types_and_order)
{
	struct kvm_s390_irq in[12], out[16];
	int n = 0;

	in[n++] = io_irq(0x0001, 0x10, 0xa, 7);
	in[n++] = ext_irq(KVM_S390_INT_VIRTIO, 1, 0x111);
	in[n++] = ext_irq(KVM_S390_INT_SERVICE, 0x1000, 0);
	in[n++] = io_irq(0x0001, 0x11, 0xb, 3);
	in[n++] = ext_irq(KVM_S390_INT_PFAULT_DONE, 0, 0x222);
	in[n++] = io_irq(0x0001, 0x12, 0xc, 0);
	in[n++] = ext_irq(KVM_S390_INT_VIRTIO, 2, 0x333);
	in[n] = (struct kvm_s390_irq){ .type = KVM_S390_MCHK };
	in[n].u.mchk.cr14 = 0xffffffffffffffffULL;
	in[n++].u.mchk.mcic = MCIC_SD;
	in[n++] = io_irq(0x0001, 0x13, 0xd, 3);
	/* KVM ABI: type 0 is an I/O interrupt; the ISC is from the word. */
	in[n] = io_irq(0, 0, 0, 0);
	in[n++].type = 0;
	ASSERT_EQ(0, flic_enqueue(self->flic, in, n));

	ASSERT_EQ(10, get_all(self->flic, out, 16));
	/* KVM ABI: ISC 0..7 (FIFO each), pfault, virtio, service, mchk. */
	EXPECT_EQ(0x12, out[0].u.io.subchannel_nr);
	EXPECT_EQ(0, out[1].type);
	EXPECT_EQ(0x11, out[2].u.io.subchannel_nr);
	EXPECT_EQ(0xb, out[2].u.io.io_int_parm);
	EXPECT_EQ(0x13, out[3].u.io.subchannel_nr);
	EXPECT_EQ(0x10, out[4].u.io.subchannel_nr);
	EXPECT_EQ(7u << 27, out[4].u.io.io_int_word);
	EXPECT_EQ(KVM_S390_INT_PFAULT_DONE, out[5].type);
	EXPECT_EQ(0x222, out[5].u.ext.ext_params2);
	EXPECT_EQ(KVM_S390_INT_VIRTIO, out[6].type);
	EXPECT_EQ(1, out[6].u.ext.ext_params);
	EXPECT_EQ(0x333, out[7].u.ext.ext_params2);
	EXPECT_EQ(KVM_S390_INT_SERVICE, out[8].type);
	EXPECT_EQ(0x1000, out[8].u.ext.ext_params);
	EXPECT_EQ(KVM_S390_MCHK, out[9].type);
	/* KVM ABI: a floating mchk keeps only CR14 bit 35. */
	EXPECT_EQ(CR14_CRW, out[9].u.mchk.cr14);
	EXPECT_EQ(MCIC_SD, out[9].u.mchk.mcic);
}

TEST_F(flic, enqueue_copies_only_the_member)
{
	struct kvm_s390_irq in, out[2];

	memset(&in, 0xff, sizeof(in));
	in.type = KVM_S390_INT_VIRTIO;
	in.u.ext.ext_params = 5;
	in.u.ext.ext_params2 = 6;
	ASSERT_EQ(0, flic_enqueue(self->flic, &in, 1));
	memset(&in, 0xee, sizeof(in));
	in.type = 3;
	in.u.io.io_int_word = 0;
	ASSERT_EQ(0, flic_enqueue(self->flic, &in, 1));
	ASSERT_EQ(2, get_all(self->flic, out, 2));
	EXPECT_EQ(3, out[0].type);
	EXPECT_EQ(0xeeee, out[0].u.io.subchannel_id);
	EXPECT_EQ(0, out[0].u.reserved[12]);
	EXPECT_EQ(0, out[0].u.reserved[63]);
	EXPECT_EQ(0xffffffffu, out[1].u.ext.pad);
	EXPECT_EQ(0, out[1].u.reserved[16]);
}

TEST_F(flic, enqueue_errors)
{
	struct kvm_s390_irq in[3], out[4];

	memset(in, 0, sizeof(in));
	/* KVM ABI: length checks first. */
	EXPECT_EQ(EINVAL, set_err(self->flic, KVM_DEV_FLIC_ENQUEUE, 71, in));
	EXPECT_EQ(EINVAL, set_err(self->flic, KVM_DEV_FLIC_ENQUEUE, 73, in));
	EXPECT_EQ(EINVAL, set_err(self->flic, KVM_DEV_FLIC_ENQUEUE, 466034 * 72, in));
	EXPECT_EQ(EINVAL, set_err(self->flic, KVM_DEV_FLIC_ENQUEUE, 72ULL << 32, in));
	EXPECT_EQ(EFAULT, set_err(self->flic, KVM_DEV_FLIC_ENQUEUE, 72, NULL));
	/* KVM ABI: local types are EINVAL, PFAULT_INIT included. */
	in[0].type = KVM_S390_INT_PFAULT_INIT;
	EXPECT_EQ(EINVAL, kvmirq_errno(flic_enqueue(self->flic, in, 1)));
	in[0].type = KVM_S390_RESTART;
	EXPECT_EQ(EINVAL, kvmirq_errno(flic_enqueue(self->flic, in, 1)));
	in[0].type = 1ULL << 32;
	EXPECT_EQ(EINVAL, kvmirq_errno(flic_enqueue(self->flic, in, 1)));
	/* KVM ABI: no rollback: entries before the bad one stay. */
	in[0] = io_irq(1, 1, 1, 1);
	in[1] = io_irq(1, 2, 2, 2);
	in[2].type = KVM_S390_PROGRAM_INT;
	EXPECT_EQ(EINVAL, kvmirq_errno(flic_enqueue(self->flic, in, 3)));
	EXPECT_EQ(2, get_all(self->flic, out, 4));
}

TEST_F(flic, get_all_buffer_edges)
{
	struct kvm_s390_irq in[3], out[4];

	memset(out, 0xaa, sizeof(out));
	/* KVM ABI: 0 and over 32 MiB are EINVAL; tiny buffers fine if empty. */
	EXPECT_EQ(EINVAL, get_err(self->flic, KVM_DEV_FLIC_GET_ALL_IRQS, 0, out));
	EXPECT_EQ(EINVAL, get_err(self->flic, KVM_DEV_FLIC_GET_ALL_IRQS, 0x2000001, out));
	EXPECT_EQ(0, flic_get(self->flic, KVM_DEV_FLIC_GET_ALL_IRQS, 1, out));
	in[0] = io_irq(1, 1, 1, 1);
	in[1] = ext_irq(KVM_S390_INT_SERVICE, 8, 0);
	in[2] = ext_irq(KVM_S390_INT_VIRTIO, 9, 9);
	ASSERT_EQ(0, flic_enqueue(self->flic, in, 3));
	/* KVM ABI: too small: ENOMEM, nothing copied. */
	EXPECT_EQ(ENOMEM, get_err(self->flic, KVM_DEV_FLIC_GET_ALL_IRQS, 1, out));
	EXPECT_EQ(ENOMEM, get_err(self->flic, KVM_DEV_FLIC_GET_ALL_IRQS, 3 * IRQ_SIZE - 1, out));
	EXPECT_EQ(0xaaaaaaaaaaaaaaaaULL, out[0].type);
	/* Exact fit; the rest of the buffer untouched; result = count. */
	EXPECT_EQ(3, flic_get(self->flic, KVM_DEV_FLIC_GET_ALL_IRQS, 3 * IRQ_SIZE, out));
	EXPECT_EQ(0xaaaaaaaaaaaaaaaaULL, out[3].type);
	EXPECT_EQ(3, flic_get(self->flic, KVM_DEV_FLIC_GET_ALL_IRQS, 0x2000000, out));
	EXPECT_EQ(EFAULT, get_err(self->flic, KVM_DEV_FLIC_GET_ALL_IRQS, 4 * IRQ_SIZE, NULL));
	/* Non-destructive. */
	EXPECT_EQ(3, get_all(self->flic, out, 4));
}

TEST_F(flic, round_trip)
{
	struct kvm_s390_irq in[8], first[10], second[10];
	int n;

	in[0] = io_irq(0x0001, 7, 70, 5);
	in[1] = ext_irq(KVM_S390_INT_SERVICE, 0x2001, 0);
	in[2] = io_irq(0x0003, 8, 80, 5);
	in[3] = ext_irq(KVM_S390_INT_PFAULT_DONE, 0, 42);
	in[4] = ext_irq(KVM_S390_INT_VIRTIO, 3, 4);
	in[5] = (struct kvm_s390_irq){ .type = KVM_S390_MCHK };
	in[5].u.mchk.cr14 = CR14_CRW;
	in[5].u.mchk.mcic = 0x1234;
	in[6] = io_irq(0x0005, 9, 90, 0);
	in[6].type = AI_TYPE;
	ASSERT_EQ(0, flic_enqueue(self->flic, in, 7));
	n = get_all(self->flic, first, 10);
	ASSERT_EQ(7, n);
	ASSERT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_CLEAR_IRQS, 0, NULL));
	EXPECT_EQ(0, get_all(self->flic, second, 10));
	ASSERT_EQ(0, flic_enqueue(self->flic, first, n));
	ASSERT_EQ(n, get_all(self->flic, second, 10));
	EXPECT_EQ(0, memcmp(first, second, n * IRQ_SIZE));
}

TEST_F(flic, service_merge)
{
	struct kvm_s390_irq in, out[2];

	/* KVM ABI: event bits OR-ed, the first SCCB wins, bit 2 dropped. */
	in = ext_irq(KVM_S390_INT_SERVICE, 0x1004, 0x55);
	ASSERT_EQ(0, flic_enqueue(self->flic, &in, 1));
	in = ext_irq(KVM_S390_INT_SERVICE, 0x2002, 0);
	ASSERT_EQ(0, flic_enqueue(self->flic, &in, 1));
	ASSERT_EQ(1, get_all(self->flic, out, 2));
	EXPECT_EQ(0x1002, out[0].u.ext.ext_params);
	EXPECT_EQ(0, out[0].u.ext.ext_params2);
}

TEST_F(flic, clear_io_irq)
{
	struct kvm_s390_irq in[5], out[6];
	struct kvm_device_attr a = { .group = KVM_DEV_FLIC_CLEAR_IO_IRQ, .attr = 4 };
	__u32 schid = 0x00010002;

	a.addr = (uintptr_t)&schid;
	in[0] = io_irq(0x0001, 2, 1, 6);
	in[1] = io_irq(0x0001, 2, 2, 2);
	in[2] = io_irq(0x0001, 3, 3, 2);
	in[3] = io_irq(0x0001, 2, 4, 2);
	in[4] = ext_irq(KVM_S390_INT_VIRTIO, 0x00010002, 0);
	ASSERT_EQ(0, flic_enqueue(self->flic, in, 5));
	/* KVM ABI: flags, then size, then copy, then schid 0. */
	a.flags = 1;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->flic, KVM_SET_DEVICE_ATTR, &a)));
	a.flags = 0;
	a.attr = 8;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->flic, KVM_SET_DEVICE_ATTR, &a)));
	a.attr = 4;
	a.addr = 0;
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->flic, KVM_SET_DEVICE_ATTR, &a)));
	a.addr = (uintptr_t)&schid;
	schid = 0;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->flic, KVM_SET_DEVICE_ATTR, &a)));
	/* KVM ABI: the first match, ISC 0 to 7, FIFO: parm 2 goes. */
	schid = 0x00010002;
	EXPECT_EQ(0, ioctl(self->flic, KVM_SET_DEVICE_ATTR, &a));
	ASSERT_EQ(4, get_all(self->flic, out, 6));
	EXPECT_EQ(3, out[0].u.io.io_int_parm);
	EXPECT_EQ(4, out[1].u.io.io_int_parm);
	EXPECT_EQ(1, out[2].u.io.io_int_parm);
	EXPECT_EQ(0, ioctl(self->flic, KVM_SET_DEVICE_ATTR, &a));
	EXPECT_EQ(0, ioctl(self->flic, KVM_SET_DEVICE_ATTR, &a));
	/* Nothing left to match: still 0; virtio never matches. */
	EXPECT_EQ(0, ioctl(self->flic, KVM_SET_DEVICE_ATTR, &a));
	ASSERT_EQ(2, get_all(self->flic, out, 6));
	EXPECT_EQ(3, out[0].u.io.io_int_parm);
	EXPECT_EQ(KVM_S390_INT_VIRTIO, out[1].type);
}

/* Fills a queue class to its limit with one ENQUEUE. */
static void fill(struct __test_metadata *_metadata, int flic,
		 struct kvm_s390_irq proto, int count, int spread_isc)
{
	struct kvm_s390_irq *buf;
	int i;

	buf = calloc(count, IRQ_SIZE);
	ASSERT_NE(NULL, buf);
	for (i = 0; i < count; i++) {
		buf[i] = proto;
		if (spread_isc)
			buf[i].u.io.io_int_word = (i % 8) << 27;
	}
	EXPECT_EQ(0, flic_enqueue(flic, buf, count));
	free(buf);
}

/* Hundreds of thousands of ENQUEUEs: slow on a KASAN kernel under TCG. */
TEST_F_TIMEOUT(flic, io_limit_shared_over_iscs, 600)
{
	struct kvm_s390_irq one[2] = { io_irq(1, 1, 1, 0), io_irq(1, 2, 2, 7) };
	struct kvm_s390_interrupt s = { .type = 0 };
	struct kvm_s390_irq *all;
	int n;

	fill(_metadata, self->flic, io_irq(1, 1, 1, 0), MAX_IO - 1, 1);
	/* The 266250th fits, the 266251st is EBUSY, whatever its ISC. */
	EXPECT_EQ(EBUSY, kvmirq_errno(flic_enqueue(self->flic, one, 2)));
	EXPECT_EQ(EBUSY, kvmirq_errno(flic_enqueue(self->flic, &one[1], 1)));
	EXPECT_EQ(EBUSY, kvmirq_errno(ioctl(self->vm, KVM_S390_INTERRUPT, &s)));
	/* Other classes are not affected. */
	one[0] = ext_irq(KVM_S390_INT_VIRTIO, 0, 0);
	EXPECT_EQ(0, flic_enqueue(self->flic, one, 1));
	all = malloc(0x2000000);
	ASSERT_NE(NULL, all);
	n = flic_get(self->flic, KVM_DEV_FLIC_GET_ALL_IRQS, 0x2000000, all);
	EXPECT_EQ(MAX_IO + 1, n);
	/* ISC 0 first, ISC 7 last, then virtio. */
	EXPECT_EQ(0u, all[0].u.io.io_int_word);
	EXPECT_EQ(7u << 27, all[MAX_IO - 1].u.io.io_int_word);
	EXPECT_EQ(KVM_S390_INT_VIRTIO, all[MAX_IO].type);
	free(all);
	/* After clearing, the whole quota is back. */
	ASSERT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_CLEAR_IRQS, 0, NULL));
	fill(_metadata, self->flic, io_irq(1, 1, 1, 0), MAX_IO, 0);
}

TEST_F_TIMEOUT(flic, virtio_and_pfault_limits, 600)
{
	struct kvm_s390_irq v = ext_irq(KVM_S390_INT_VIRTIO, 1, 2);
	struct kvm_s390_irq p = ext_irq(KVM_S390_INT_PFAULT_DONE, 0, 3);
	struct kvm_s390_interrupt s = { .type = KVM_S390_INT_VIRTIO };

	struct kvm_s390_irq *big;
	int i;

	/*
	 * The longest ENQUEUE (466033 entries, just under 32 MiB) is taken;
	 * its virtio entries stop at the limit with EBUSY, the first 87381
	 * queued.
	 */
	big = malloc(466033UL * IRQ_SIZE);
	ASSERT_NE(NULL, big);
	for (i = 0; i < 466033; i++)
		big[i] = v;
	EXPECT_EQ(EBUSY, kvmirq_errno(flic_enqueue(self->flic, big, 466033)));
	EXPECT_EQ(MAX_VIRTIO, get_all(self->flic, big, 466033));
	free(big);
	EXPECT_EQ(EBUSY, kvmirq_errno(flic_enqueue(self->flic, &v, 1)));
	EXPECT_EQ(EBUSY, kvmirq_errno(ioctl(self->vm, KVM_S390_INTERRUPT, &s)));
	fill(_metadata, self->flic, p, MAX_PFAULT, 0);
	EXPECT_EQ(EBUSY, kvmirq_errno(flic_enqueue(self->flic, &p, 1)));
	s.type = KVM_S390_INT_PFAULT_DONE;
	EXPECT_EQ(EBUSY, kvmirq_errno(ioctl(self->vm, KVM_S390_INTERRUPT, &s)));
	/* Service and machine checks merge: never full. */
	s.type = KVM_S390_INT_SERVICE;
	EXPECT_EQ(0, ioctl(self->vm, KVM_S390_INTERRUPT, &s));
	s.type = KVM_S390_MCHK;
	EXPECT_EQ(0, ioctl(self->vm, KVM_S390_INTERRUPT, &s));
}

TEST_F_TIMEOUT(flic, batch_crossing_limit_keeps_head, 600)
{
	struct kvm_s390_irq *buf, out;
	int i;

	fill(_metadata, self->flic, ext_irq(KVM_S390_INT_VIRTIO, 0, 0),
	     MAX_VIRTIO - 2, 0);
	buf = calloc(5, IRQ_SIZE);
	ASSERT_NE(NULL, buf);
	for (i = 0; i < 5; i++)
		buf[i] = ext_irq(KVM_S390_INT_VIRTIO, 100 + i, 0);
	EXPECT_EQ(EBUSY, kvmirq_errno(flic_enqueue(self->flic, buf, 5)));
	free(buf);
	buf = malloc((size_t)MAX_VIRTIO * IRQ_SIZE);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(MAX_VIRTIO, get_all(self->flic, buf, MAX_VIRTIO));
	EXPECT_EQ(100, buf[MAX_VIRTIO - 2].u.ext.ext_params);
	EXPECT_EQ(101, buf[MAX_VIRTIO - 1].u.ext.ext_params);
	free(buf);
	(void)out;
}

TEST_F(flic, legacy_vm_interrupt_mapping)
{
	struct kvm_s390_interrupt s = { .type = AI_TYPE | 5 };
	struct kvm_s390_irq out[6];

	s.parm = 0x00120034;
	s.parm64 = 0xdeadbeef18000000ULL;	/* ISC 3 */
	ASSERT_EQ(0, ioctl(self->vm, KVM_S390_INTERRUPT, &s));
	s.type = KVM_S390_INT_VIRTIO;
	s.parm = 7;
	s.parm64 = 8;
	ASSERT_EQ(0, ioctl(self->vm, KVM_S390_INTERRUPT, &s));
	s.type = KVM_S390_INT_PFAULT_DONE;
	ASSERT_EQ(0, ioctl(self->vm, KVM_S390_INTERRUPT, &s));
	s.type = KVM_S390_INT_SERVICE;
	s.parm = 0x3008;
	ASSERT_EQ(0, ioctl(self->vm, KVM_S390_INTERRUPT, &s));
	s.type = KVM_S390_MCHK;
	s.parm = 0xffffffff;
	s.parm64 = 0x99;
	ASSERT_EQ(0, ioctl(self->vm, KVM_S390_INTERRUPT, &s));
	ASSERT_EQ(5, get_all(self->flic, out, 6));
	EXPECT_EQ(AI_TYPE | 5, out[0].type);
	EXPECT_EQ(0x12, out[0].u.io.subchannel_id);
	EXPECT_EQ(0x34, out[0].u.io.subchannel_nr);
	EXPECT_EQ(0xdeadbeef, out[0].u.io.io_int_parm);
	EXPECT_EQ(0x18000000u, out[0].u.io.io_int_word);
	EXPECT_EQ(KVM_S390_INT_PFAULT_DONE, out[1].type);
	EXPECT_EQ(0, out[1].u.ext.ext_params);
	EXPECT_EQ(8, out[1].u.ext.ext_params2);
	EXPECT_EQ(7, out[2].u.ext.ext_params);
	EXPECT_EQ(8, out[2].u.ext.ext_params2);
	EXPECT_EQ(0x3008, out[3].u.ext.ext_params);
	EXPECT_EQ(CR14_CRW, out[4].u.mchk.cr14);
	EXPECT_EQ(0x99, out[4].u.mchk.mcic);
}

TEST_F(flic, adapters)
{
	struct kvm_s390_io_adapter ad = { .id = 64 };
	struct kvm_s390_io_adapter_req req = { .type = KVM_S390_IO_ADAPTER_MASK };
	struct kvm_s390_irq out[4];
	int i;

	EXPECT_EQ(EINVAL, set_err(self->flic, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, &ad));
	EXPECT_EQ(EFAULT, set_err(self->flic, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, NULL));
	for (i = 0; i < 64; i++) {
		ad.id = i;
		ad.isc = i == 9 ? 200 : i % 8;	/* KVM ABI: isc not validated */
		ad.maskable = i & 1 ? 0x80 : 0;
		ad.flags = 0xfe;
		EXPECT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, &ad));
	}
	/* KVM ABI: a registered id again: EINVAL. */
	ad.id = 3;
	EXPECT_EQ(EINVAL, set_err(self->flic, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, &ad));

	EXPECT_EQ(EFAULT, set_err(self->flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, NULL));
	req.id = 64;
	EXPECT_EQ(EINVAL, set_err(self->flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &req));
	req.id = 2;	/* not maskable */
	EXPECT_EQ(EINVAL, set_err(self->flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &req));
	req.id = 3;
	req.mask = 1;
	EXPECT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &req));
	req.type = 0;
	EXPECT_EQ(EINVAL, set_err(self->flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &req));
	req.type = 4;
	EXPECT_EQ(EINVAL, set_err(self->flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &req));
	/* MAP/UNMAP (memslot_test.c has the rest): the adapter must exist. */
	req.type = KVM_S390_IO_ADAPTER_MAP;
	req.addr = 0;
	EXPECT_EQ(EINVAL, set_err(self->flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &req));
	req.addr = 0x100000;
	EXPECT_EQ(EFAULT, set_err(self->flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &req));
	req.type = KVM_S390_IO_ADAPTER_UNMAP;
	EXPECT_EQ(ENOENT, set_err(self->flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &req));
	req.id = 99;
	EXPECT_EQ(EINVAL, set_err(self->flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &req));

	/* KVM ABI: AIRQ_INJECT ignores the mask; attr truncated to u32. */
	EXPECT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_AIRQ_INJECT, 3, NULL));
	EXPECT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_AIRQ_INJECT, (1ULL << 32) | 5, NULL));
	EXPECT_EQ(EINVAL, set_err(self->flic, KVM_DEV_FLIC_AIRQ_INJECT, 64, NULL));
	/* isc 200: the word is computed in 32 bits (200 << 27 = 0x40000000). */
	EXPECT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_AIRQ_INJECT, 9, NULL));
	ASSERT_EQ(3, get_all(self->flic, out, 4));
	/* (0x80000000 | 200 << 27) in 32 bits: ISC 0 */
	EXPECT_EQ(0xc0000000u, out[0].u.io.io_int_word);
	EXPECT_EQ(0x98000000u, out[1].u.io.io_int_word);
	EXPECT_EQ(0xa8000000u, out[2].u.io.io_int_word);
	EXPECT_EQ(AI_TYPE, out[2].type);
}

TEST_F(flic, ais)
{
	struct kvm_s390_io_adapter ad = { .id = 1, .isc = 2,
		.flags = KVM_S390_ADAPTER_SUPPRESSIBLE };
	struct kvm_s390_io_adapter plain = { .id = 2, .isc = 2 };
	struct kvm_s390_ais_req req = { .isc = 2, .mode = 1 };
	struct kvm_s390_ais_all all = { 0 };
	struct kvm_s390_irq out[8];
	int vm2, flic2;

	/* AIS must be enabled before any vcpu; a fresh VM here. */
	vm2 = s390_vm(self->dev);
	ASSERT_GE(vm2, 0);
	ASSERT_EQ(0, enable_ais(vm2));
	flic2 = s390_flic(vm2);
	ASSERT_GE(flic2, 0);
	ASSERT_EQ(0, flic_set(flic2, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, &ad));
	ASSERT_EQ(0, flic_set(flic2, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, &plain));

	EXPECT_EQ(EFAULT, set_err(flic2, KVM_DEV_FLIC_AISM, 0, NULL));
	req.isc = 8;
	EXPECT_EQ(EINVAL, set_err(flic2, KVM_DEV_FLIC_AISM, 0, &req));
	req.isc = 2;
	req.mode = 2;
	EXPECT_EQ(EINVAL, set_err(flic2, KVM_DEV_FLIC_AISM, 0, &req));
	/* SINGLE: one interrupt, then NO-interruptions. */
	req.mode = 1;
	EXPECT_EQ(0, flic_set(flic2, KVM_DEV_FLIC_AISM, 0, &req));
	EXPECT_EQ(0, flic_get(flic2, KVM_DEV_FLIC_AISM_ALL, 2, &all));
	EXPECT_EQ(0x20, all.simm);
	EXPECT_EQ(0, all.nimm);
	EXPECT_EQ(0, flic_set(flic2, KVM_DEV_FLIC_AIRQ_INJECT, 1, NULL));
	EXPECT_EQ(0, flic_set(flic2, KVM_DEV_FLIC_AIRQ_INJECT, 1, NULL));
	EXPECT_EQ(0, flic_get(flic2, KVM_DEV_FLIC_AISM_ALL, 2, &all));
	EXPECT_EQ(0x20, all.simm);
	EXPECT_EQ(0x20, all.nimm);
	/* A non-suppressible adapter on the same ISC is never suppressed. */
	EXPECT_EQ(0, flic_set(flic2, KVM_DEV_FLIC_AIRQ_INJECT, 2, NULL));
	EXPECT_EQ(2, get_all(flic2, out, 8));
	/* KVM ABI: CLEAR_IRQS leaves the AIS modes alone. */
	ASSERT_EQ(0, flic_set(flic2, KVM_DEV_FLIC_CLEAR_IRQS, 0, NULL));
	EXPECT_EQ(0, flic_get(flic2, KVM_DEV_FLIC_AISM_ALL, 2, &all));
	EXPECT_EQ(0x20, all.nimm);
	/* ALL: back to normal. */
	req.mode = 0;
	EXPECT_EQ(0, flic_set(flic2, KVM_DEV_FLIC_AISM, 0, &req));
	EXPECT_EQ(0, flic_set(flic2, KVM_DEV_FLIC_AIRQ_INJECT, 1, NULL));
	EXPECT_EQ(0, flic_set(flic2, KVM_DEV_FLIC_AIRQ_INJECT, 1, NULL));
	EXPECT_EQ(2, get_all(flic2, out, 8));
	/* AISM_ALL sets raw bits, even nimm without simm. */
	all.simm = 0;
	all.nimm = 0xff;
	EXPECT_EQ(0, flic_set(flic2, KVM_DEV_FLIC_AISM_ALL, 0, &all));
	EXPECT_EQ(0, flic_set(flic2, KVM_DEV_FLIC_AIRQ_INJECT, 1, NULL));
	EXPECT_EQ(2, get_all(flic2, out, 8));
	memset(&all, 0x11, sizeof(all));
	EXPECT_EQ(0, flic_get(flic2, KVM_DEV_FLIC_AISM_ALL, 100, &all));
	EXPECT_EQ(0, all.simm);
	EXPECT_EQ(0xff, all.nimm);
	EXPECT_EQ(EFAULT, get_err(flic2, KVM_DEV_FLIC_AISM_ALL, 2, NULL));
	EXPECT_EQ(EFAULT, set_err(flic2, KVM_DEV_FLIC_AISM_ALL, 2, NULL));
	close(flic2);
	close(vm2);
}

TEST_F(flic, floating_untouched_by_vcpu_state)
{
	struct kvm_s390_irq in = io_irq(1, 1, 1, 1), out[2];
	int vcpu;

	ASSERT_EQ(0, flic_enqueue(self->flic, &in, 1));
	vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	EXPECT_EQ(0, s390_get_state(vcpu, out, 2 * IRQ_SIZE));
	ASSERT_EQ(0, s390_irq_type(vcpu, KVM_S390_RESTART));
	ASSERT_EQ(0, flic_set(self->flic, KVM_DEV_FLIC_CLEAR_IRQS, 0, NULL));
	/* CLEAR_IRQS leaves local interrupts alone. */
	EXPECT_EQ(IRQ_SIZE, s390_get_state(vcpu, out, 2 * IRQ_SIZE));
	close(vcpu);
}

TEST_HARNESS_MAIN
