// SPDX-License-Identifier: GPL-2.0
/*
 * The fd model: system ioctls, VM and vcpu creation, devices, lifetime,
 * and the shape of kvmirq's guest-side interface.
 */
#include <assert.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "kvmirq_test.h"

/* ABI layout: the structs kvmirq accepts have KVM's sizes and offsets. */
#define ASSERT_LAYOUT(type, member, off) \
	static_assert(offsetof(type, member) == (off), #type "." #member)
static_assert(sizeof(struct kvm_create_device) == 12, "kvm_create_device");
ASSERT_LAYOUT(struct kvm_create_device, type, 0);
ASSERT_LAYOUT(struct kvm_create_device, fd, 4);
ASSERT_LAYOUT(struct kvm_create_device, flags, 8);
static_assert(sizeof(struct kvm_device_attr) == 24, "kvm_device_attr");
ASSERT_LAYOUT(struct kvm_device_attr, flags, 0);
ASSERT_LAYOUT(struct kvm_device_attr, group, 4);
ASSERT_LAYOUT(struct kvm_device_attr, attr, 8);
ASSERT_LAYOUT(struct kvm_device_attr, addr, 16);
static_assert(sizeof(struct kvm_enable_cap) == 104, "kvm_enable_cap");
ASSERT_LAYOUT(struct kvm_enable_cap, flags, 4);
ASSERT_LAYOUT(struct kvm_enable_cap, args, 8);
static_assert(sizeof(struct kvm_s390_irq) == 72, "kvm_s390_irq");
ASSERT_LAYOUT(struct kvm_s390_irq, u, 8);
ASSERT_LAYOUT(struct kvm_s390_irq, u.pgm.code, 8 + 28);
ASSERT_LAYOUT(struct kvm_s390_irq, u.pgm.flags, 8 + 37);
ASSERT_LAYOUT(struct kvm_s390_irq, u.mchk.fixed_logout, 8 + 32);
ASSERT_LAYOUT(struct kvm_s390_irq, u.io.io_int_word, 8 + 8);
ASSERT_LAYOUT(struct kvm_s390_irq, u.ext.ext_params2, 8 + 8);
static_assert(sizeof(struct kvm_s390_interrupt) == 16, "kvm_s390_interrupt");
ASSERT_LAYOUT(struct kvm_s390_interrupt, parm64, 8);
static_assert(sizeof(struct kvm_s390_irq_state) == 32, "kvm_s390_irq_state");
ASSERT_LAYOUT(struct kvm_s390_irq_state, len, 12);
ASSERT_LAYOUT(struct kvm_s390_irq_state, reserved, 16);

/* ABI numbers: KVM's, as the spec lists them, and kvmirq's own. */
static_assert(KVM_GET_API_VERSION == 0xae00, "KVM_GET_API_VERSION");
static_assert(KVM_CREATE_VM == 0xae01, "KVM_CREATE_VM");
static_assert(KVM_CHECK_EXTENSION == 0xae03, "KVM_CHECK_EXTENSION");
static_assert(KVM_GET_VCPU_MMAP_SIZE == 0xae04, "KVM_GET_VCPU_MMAP_SIZE");
static_assert(KVM_CREATE_VCPU == 0xae41, "KVM_CREATE_VCPU");
static_assert(KVM_ENABLE_CAP == 0x4068aea3, "KVM_ENABLE_CAP");
static_assert(KVM_CREATE_DEVICE == 0xc00caee0, "KVM_CREATE_DEVICE");
static_assert(KVM_SET_DEVICE_ATTR == 0x4018aee1, "KVM_SET_DEVICE_ATTR");
static_assert(KVM_GET_DEVICE_ATTR == 0x4018aee2, "KVM_GET_DEVICE_ATTR");
static_assert(KVM_HAS_DEVICE_ATTR == 0x4018aee3, "KVM_HAS_DEVICE_ATTR");
static_assert(KVM_S390_INTERRUPT == 0x4010ae94, "KVM_S390_INTERRUPT");
static_assert(KVM_S390_IRQ == 0x4048aeb4, "KVM_S390_IRQ");
static_assert(KVM_S390_SET_IRQ_STATE == 0x4020aeb5, "KVM_S390_SET_IRQ_STATE");
static_assert(KVM_S390_GET_IRQ_STATE == 0x4020aeb6, "KVM_S390_GET_IRQ_STATE");
static_assert(KVM_DEV_TYPE_FLIC == 6, "KVM_DEV_TYPE_FLIC");
static_assert(sizeof(struct kvmirq_io) == 32, "kvmirq_io");
static_assert(sizeof(struct kvmirq_ack) == 16, "kvmirq_ack");
static_assert(sizeof(struct kvmirq_eoi) == 8, "kvmirq_eoi");
static_assert(sizeof(struct kvmirq_s390_deliver) == 144, "kvmirq_s390_deliver");
ASSERT_LAYOUT(struct kvmirq_s390_deliver, irq, 40);
static_assert(KVMIRQ_GUEST_IO == 0xc020af20, "KVMIRQ_GUEST_IO");
static_assert(KVMIRQ_GUEST_ACK == 0xc010af21, "KVMIRQ_GUEST_ACK");
static_assert(KVMIRQ_GUEST_EOI == 0x4008af22, "KVMIRQ_GUEST_EOI");
static_assert(KVMIRQ_S390_DELIVER == 0xc090af23, "KVMIRQ_S390_DELIVER");

/*
 * KVM ABI: x86's vcpu limit is a build option, CONFIG_KVM_MAX_NR_VCPUS (6.12:
 * 1024 to 4096, 4096 with MAXSMP as in Debian's 6.12; 6.1: always 1024), and
 * ids go up to four times it.  kvmirq answers 1024, KVM's default.
 */
#define X86_MAX_VCPUS_MIN	1024
#define X86_MAX_VCPUS_MAX	4096
#define X86_VCPU_ID_RATIO	4

static long x86_max_vcpus(int dev)
{
	return ioctl(dev, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
}

static long x86_max_vcpu_id(int dev)
{
	return ioctl(dev, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPU_ID);
}

#define S390_MAX_VCPUS	248

FIXTURE(sys) {
	int dev;
	int kvmirq;
};

FIXTURE_SETUP(sys)
{
	KVMIRQ_OPEN_OR_SKIP();
}

FIXTURE_TEARDOWN(sys)
{
	CLOSE_FDS(self->dev);
}

TEST_F(sys, api_version)
{
	EXPECT_EQ(12, ioctl(self->dev, KVM_GET_API_VERSION, 0));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->dev, KVM_GET_API_VERSION, 1)));
}

TEST_F(sys, vcpu_mmap_size)
{
	long size = ioctl(self->dev, KVM_GET_VCPU_MMAP_SIZE, 0);

	ASSERT_GE(size, getpagesize());
	EXPECT_EQ(0, size % getpagesize());
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->dev, KVM_GET_VCPU_MMAP_SIZE, 1)));
}

/* KVM ABI: x86 KVM answers unknown system ioctls with EINVAL, not ENOTTY. */
TEST_F(sys, unknown_ioctls)
{
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->dev, _IO(KVMIO, 0x3f), 0)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->dev, KVM_CREATE_VCPU, 0)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->dev, KVM_CREATE_IRQCHIP, 0)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->dev, KVMIRQ_GUEST_IO, NULL)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->dev, _IO(0x42, 1), 0)));
}

TEST_F(sys, extensions)
{
	long nproc = sysconf(_SC_NPROCESSORS_ONLN);
	long max = x86_max_vcpus(self->dev);

	EXPECT_GE(max, X86_MAX_VCPUS_MIN);
	EXPECT_LE(max, X86_MAX_VCPUS_MAX);
	if (self->kvmirq)
		EXPECT_EQ(X86_MAX_VCPUS_MIN, max);
	EXPECT_EQ(nproc < max ? nproc : max,
		  ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS));
	EXPECT_EQ(max * X86_VCPU_ID_RATIO, x86_max_vcpu_id(self->dev));
	EXPECT_EQ(1, ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_CHECK_EXTENSION_VM));
	EXPECT_EQ(1, ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_ENABLE_CAP_VM));
	/* KVM ABI: 6.1's x86 answered 0 although the ioctl worked; 6.12: 1. */
	EXPECT_EQ(kvm_release(self->dev) > 601,
		  ioctl(self->dev, KVM_CHECK_EXTENSION, KVM_CAP_DEVICE_CTRL));
	EXPECT_EQ(0, ioctl(self->dev, KVM_CHECK_EXTENSION, -1L));
	EXPECT_EQ(0, ioctl(self->dev, KVM_CHECK_EXTENSION, 0x7fffffffL));
	EXPECT_EQ(0, ioctl(self->dev, KVM_CHECK_EXTENSION, 100000));
	/* Real KVM does not know kvmirq's capabilities. */
	EXPECT_EQ(self->kvmirq ? 1 : 0,
		  ioctl(self->dev, KVM_CHECK_EXTENSION, KVMIRQ_CAP_ABI_VERSION));
}

TEST_F(sys, create_vm_bad_type)
{
	static const unsigned long types[] = {
		1, 2, 0x391, 0x390 << 1, 1UL << 31, ~0UL,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++)
		EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->dev, KVM_CREATE_VM, types[i])))
			TH_LOG("type %#lx", types[i]);
}

TEST_F(sys, create_vm_s390)
{
	int vm;

	if (!self->kvmirq) {
		/* Real x86 KVM has no such machine type. */
		EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->dev, KVM_CREATE_VM,
						     KVMIRQ_VM_S390)));
		return;
	}
	vm = ioctl(self->dev, KVM_CREATE_VM, KVMIRQ_VM_S390);
	ASSERT_GE(vm, 0);
	EXPECT_EQ(FD_CLOEXEC, fcntl(vm, F_GETFD));
	EXPECT_EQ(0, close(vm));
}

TEST_F(sys, many_vms)
{
	enum { NR = 200 };
	int vms[NR], i;

	for (i = 0; i < NR; i++) {
		vms[i] = ioctl(self->dev, KVM_CREATE_VM,
			       self->kvmirq && (i & 1) ? KVMIRQ_VM_S390 : 0);
		ASSERT_GE(vms[i], 0) TH_LOG("VM %d: %s", i, strerror(errno));
	}
	/* Close in an order that is neither creation order nor its reverse. */
	for (i = 0; i < NR; i += 2)
		EXPECT_EQ(0, close(vms[i]));
	for (i = NR - 1; i > 0; i -= 2)
		EXPECT_EQ(0, close(vms[i]));
}

TEST_F(sys, guest_actions_union)
{
	long all, x86, s390;
	int vm;

	KVMIRQ_ONLY();
	all = ioctl(self->dev, KVM_CHECK_EXTENSION, KVMIRQ_CAP_GUEST_ACTIONS);
	vm = ioctl(self->dev, KVM_CREATE_VM, KVMIRQ_VM_X86);
	ASSERT_GE(vm, 0);
	x86 = ioctl(vm, KVM_CHECK_EXTENSION, KVMIRQ_CAP_GUEST_ACTIONS);
	close(vm);
	vm = ioctl(self->dev, KVM_CREATE_VM, KVMIRQ_VM_S390);
	ASSERT_GE(vm, 0);
	s390 = ioctl(vm, KVM_CHECK_EXTENSION, KVMIRQ_CAP_GUEST_ACTIONS);
	close(vm);
	EXPECT_EQ(all, x86 | s390);
	EXPECT_EQ(0, x86 & KVMIRQ_ACTION_S390_DELIVER);
	EXPECT_EQ(0, s390 & ~KVMIRQ_ACTION_S390_DELIVER);
}

/* An x86 VM (type 0), on real KVM or kvmirq. */
FIXTURE(vm) {
	int dev;
	int kvmirq;
	int vm;
};

FIXTURE_SETUP(vm)
{
	self->vm = -1;
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = ioctl(self->dev, KVM_CREATE_VM, 0);
	ASSERT_GE(self->vm, 0);
}

FIXTURE_TEARDOWN(vm)
{
	CLOSE_FDS(self->vm, self->dev);
}

TEST_F(vm, fd_flags)
{
	EXPECT_EQ(FD_CLOEXEC, fcntl(self->vm, F_GETFD));
	EXPECT_EQ(O_RDWR, fcntl(self->vm, F_GETFL) & O_ACCMODE);
}

/* KVM ABI: unknown VM ioctls, and other architectures' ones, are ENOTTY. */
TEST_F(vm, unknown_ioctls)
{
	struct kvm_s390_interrupt s390 = { 0 };

	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(self->vm, _IO(KVMIO, 0x3f), 0)));
	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(self->vm, KVM_GET_API_VERSION, 0)));
	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(self->vm, KVM_CREATE_VM, 0)));
	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(self->vm, KVM_S390_INTERRUPT, &s390)));
	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(self->vm, _IO(0x42, 1), 0)));
}

TEST_F(vm, extensions_match_system)
{
	static const long caps[] = {
		KVM_CAP_NR_VCPUS, KVM_CAP_MAX_VCPUS, KVM_CAP_MAX_VCPU_ID,
		KVM_CAP_CHECK_EXTENSION_VM, KVM_CAP_ENABLE_CAP_VM,
		KVM_CAP_DEVICE_CTRL, KVMIRQ_CAP_ABI_VERSION, -1,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(caps); i++)
		EXPECT_EQ(ioctl(self->dev, KVM_CHECK_EXTENSION, caps[i]),
			  ioctl(self->vm, KVM_CHECK_EXTENSION, caps[i]))
			TH_LOG("cap %ld", caps[i]);
}

TEST_F(vm, enable_cap_errors)
{
	struct kvm_enable_cap cap = { .cap = 100000 };

	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_ENABLE_CAP, NULL)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_ENABLE_CAP, &cap)));
	cap.cap = KVM_CAP_NR_VCPUS;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_ENABLE_CAP, &cap)));
	cap.flags = 1;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_ENABLE_CAP, &cap)));
}

TEST_F(vm, create_vcpu_ids)
{
	long max_id = x86_max_vcpu_id(self->dev);
	int a, b;

	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_CREATE_VCPU, max_id)));
	/*
	 * KVM ABI: the whole argument is the id, no truncation to 32 bits
	 * (6.12; 6.1 took the low 32 bits, so 1 << 32 was vcpu 0).
	 */
	if (kvm_release(self->dev) > 601)
		EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_CREATE_VCPU, 1UL << 32)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_CREATE_VCPU, -1L)));

	a = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(a, 0);
	EXPECT_EQ(FD_CLOEXEC, fcntl(a, F_GETFD));
	b = ioctl(self->vm, KVM_CREATE_VCPU, max_id - 1);
	ASSERT_GE(b, 0);
	EXPECT_EQ(EEXIST, kvmirq_errno(ioctl(self->vm, KVM_CREATE_VCPU, 0)));
	/* A vcpu belongs to its VM: closing its fd does not free the id. */
	close(a);
	EXPECT_EQ(EEXIST, kvmirq_errno(ioctl(self->vm, KVM_CREATE_VCPU, 0)));
	EXPECT_EQ(EEXIST, kvmirq_errno(ioctl(self->vm, KVM_CREATE_VCPU, max_id - 1)));
	close(b);
}

TEST_F(vm, create_vcpu_max)
{
	long max = x86_max_vcpus(self->dev);
	int i, fd;

	for (i = 0; i < max; i++) {
		/* Sparse ids, up to the top of the id range. */
		fd = ioctl(self->vm, KVM_CREATE_VCPU, i * 4 + 3);
		ASSERT_GE(fd, 0) TH_LOG("vcpu %d: %s", i, strerror(errno));
		close(fd);
	}
	/* KVM ABI: a full VM is EINVAL, checked before the id. */
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_CREATE_VCPU, 0)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_CREATE_VCPU, 3)));
}

TEST_F(vm, vcpu_unknown_ioctls)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_RESTART };
	int vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);

	ASSERT_GE(vcpu, 0);
	/* KVM ABI: unknown vcpu ioctls and foreign ioctl types are EINVAL. */
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vcpu, _IO(KVMIO, 0x3f), 0)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vcpu, KVM_CHECK_EXTENSION, 0)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vcpu, KVM_GET_API_VERSION, 0)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vcpu, KVM_S390_IRQ, &irq)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vcpu, _IO(0x42, 1), 0)));
	close(vcpu);
}

TEST_F(vm, vcpu_mmap)
{
	int vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	struct kvm_run *run;

	ASSERT_GE(vcpu, 0);
	run = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE, MAP_SHARED,
		   vcpu, 0);
	ASSERT_NE(MAP_FAILED, run);
	EXPECT_EQ(0, run->exit_reason);
	/* The mapping stays valid after both fds are gone. */
	close(vcpu);
	close(self->vm);
	self->vm = -1;
	EXPECT_EQ(0, run->immediate_exit);
	run->immediate_exit = 0;
	EXPECT_EQ(0, munmap(run, getpagesize()));
}

TEST_F(vm, create_device_errors)
{
	struct kvm_create_device cd = { .type = 1000 };

	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_CREATE_DEVICE, NULL)));
	EXPECT_EQ(ENODEV, kvmirq_errno(ioctl(self->vm, KVM_CREATE_DEVICE, &cd)));
	cd.type = ~0U;
	EXPECT_EQ(ENODEV, kvmirq_errno(ioctl(self->vm, KVM_CREATE_DEVICE, &cd)));
	/* The FLIC is s390's: an x86 VM has none, even to test for. */
	cd.type = KVM_DEV_TYPE_FLIC;
	EXPECT_EQ(ENODEV, kvmirq_errno(ioctl(self->vm, KVM_CREATE_DEVICE, &cd)));
	cd.flags = KVM_CREATE_DEVICE_TEST;
	EXPECT_EQ(ENODEV, kvmirq_errno(ioctl(self->vm, KVM_CREATE_DEVICE, &cd)));
}

/* Closing the VM fd first leaves the VM alive for its vcpu fds. */
TEST_F(vm, vcpu_outlives_vm_fd)
{
	int vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 1);

	ASSERT_GE(vcpu, 0);
	close(self->vm);
	self->vm = -1;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vcpu, _IO(KVMIO, 0x3f), 0)));
	EXPECT_EQ(0, close(vcpu));
}

static void expect_eio_in_child(struct __test_metadata *_metadata, int fd,
				unsigned long ioctl_nr, unsigned long arg)
{
	int status;
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(kvmirq_errno(ioctl(fd, ioctl_nr, arg)) == EIO ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* KVM ABI: VM and vcpu ioctls from another process (mm) are EIO. */
TEST_F(vm, foreign_mm)
{
	int vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);

	ASSERT_GE(vcpu, 0);
	expect_eio_in_child(_metadata, self->vm, KVM_CHECK_EXTENSION, 0);
	expect_eio_in_child(_metadata, self->vm, KVM_CREATE_VCPU, 1);
	expect_eio_in_child(_metadata, vcpu, _IO(KVMIO, 0x3f), 0);
	/* The system fd has no owner. */
	EXPECT_EQ(0, ioctl(self->dev, KVM_CHECK_EXTENSION, -1L));
	/* Nothing was created by the refused child. */
	close(ioctl(self->vm, KVM_CREATE_VCPU, 1));
	close(vcpu);
}

struct race {
	int vm;
	int fd;
	int stop;
	int errors;
	int created;
};

static void *create_vcpus_thread(void *arg)
{
	struct race *r = arg;
	int id, fd;

	for (id = 0; id < 64; id++) {
		fd = ioctl(r->vm, KVM_CREATE_VCPU, id);
		if (fd >= 0) {
			__atomic_add_fetch(&r->created, 1, __ATOMIC_RELAXED);
			close(fd);
		} else if (errno != EEXIST) {
			__atomic_add_fetch(&r->errors, 1, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

/* Two threads creating the same ids: each id is created exactly once. */
TEST_F(vm, concurrent_vcpu_creation)
{
	struct race r = { .vm = self->vm };
	pthread_t t[4];
	int i;

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, create_vcpus_thread, &r));
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	EXPECT_EQ(0, r.errors);
	EXPECT_EQ(64, r.created);
}

static void *ioctl_loop_thread(void *arg)
{
	struct race *r = arg;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		/* EINVAL while the fd is open; EBADF once it was closed. */
		if (ioctl(r->fd, _IO(KVMIO, 0x3f), 0) == 0 ||
		    (errno != EINVAL && errno != EBADF))
			__atomic_add_fetch(&r->errors, 1, __ATOMIC_RELAXED);
		ioctl(r->vm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
	}
	return NULL;
}

/* Closing VM and vcpu fds while other threads use them is safe. */
TEST_F(vm, close_while_in_use)
{
	struct race r;
	pthread_t t[2];
	int round, i;

	for (round = 0; round < 50; round++) {
		memset(&r, 0, sizeof(r));
		r.vm = ioctl(self->dev, KVM_CREATE_VM, 0);
		ASSERT_GE(r.vm, 0);
		r.fd = ioctl(r.vm, KVM_CREATE_VCPU, round);
		ASSERT_GE(r.fd, 0);
		for (i = 0; i < 2; i++)
			ASSERT_EQ(0, pthread_create(&t[i], NULL, ioctl_loop_thread, &r));
		usleep(1000);
		close(round & 1 ? r.vm : r.fd);
		usleep(1000);
		close(round & 1 ? r.fd : r.vm);
		__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
		for (i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		EXPECT_EQ(0, r.errors);
	}
}

/* The guest-side interface on an x86 VM: argument checks and errnos. */
TEST_F(vm, guest_io_checks)
{
	struct kvmirq_io io = { .space = KVMIRQ_SPACE_PIO, .len = 1, .addr = 0x80 };
	int vcpu;

	KVMIRQ_ONLY();
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_IO, NULL)));
	/* Port 0x80 belongs to no interrupt controller. */
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_IO, &io)));
	io.flags = KVMIRQ_IO_WRITE;
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_IO, &io)));

	io.flags = 2;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_IO, &io)));
	io.flags = 0;
	io.pad = 1;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_IO, &io)));
	io.pad = 0;
	io.len = 3;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_IO, &io)));
	io.len = 8;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_IO, &io)));
	io.len = 0;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_IO, &io)));
	io.len = 1;
	io.addr = 0x10000;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_IO, &io)));
	io.addr = 0x20;
	io.flags = KVMIRQ_IO_WRITE;
	io.data = 0x100;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_IO, &io)));
	io.space = 3;
	io.data = 0;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_IO, &io)));
	io.space = KVMIRQ_SPACE_MSR;
	io.len = 4;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_IO, &io)));
	io.len = 8;
	io.addr = 1ULL << 32;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_IO, &io)));

	vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	io.addr = 0x10;	/* the TSC MSR: no interrupt controller there */
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(vcpu, KVMIRQ_GUEST_IO, &io)));
	io.len = 2;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vcpu, KVMIRQ_GUEST_IO, &io)));
	close(vcpu);
}

/* Each action answers EOPNOTSUPP exactly while its capability bit is clear. */
TEST_F(vm, guest_ack_eoi_checks)
{
	long actions = ioctl(self->vm, KVM_CHECK_EXTENSION, KVMIRQ_CAP_GUEST_ACTIONS);
	struct kvmirq_s390_deliver d = { 0 };
	struct kvmirq_ack ack = { 0 };
	struct kvmirq_eoi eoi = { 0 };
	int vcpu;

	KVMIRQ_ONLY();
	vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);

	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_ACK, NULL)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(vcpu, KVMIRQ_GUEST_EOI, NULL)));
	ack.flags = 1;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_ACK, &ack)));
	ack.flags = 0;
	ack.pad = 1;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vcpu, KVMIRQ_GUEST_ACK, &ack)));
	ack.pad = 0;
	eoi.flags = 1;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_EOI, &eoi)));
	eoi.flags = 0;
	eoi.vector = 0x100;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_EOI, &eoi)));
	/* A LAPIC EOI names no vector: the LAPIC knows which one ends. */
	eoi.vector = 0x20;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vcpu, KVMIRQ_GUEST_EOI, &eoi)));

	if (!(actions & KVMIRQ_ACTION_PIC_ACK))
		EXPECT_EQ(EOPNOTSUPP, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_ACK, &ack)));
	if (!(actions & KVMIRQ_ACTION_CPU_ACK))
		EXPECT_EQ(EOPNOTSUPP, kvmirq_errno(ioctl(vcpu, KVMIRQ_GUEST_ACK, &ack)));
	if (!(actions & KVMIRQ_ACTION_IOAPIC_EOI))
		EXPECT_EQ(EOPNOTSUPP, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_EOI, &eoi)));
	eoi.vector = 0;
	if (!(actions & KVMIRQ_ACTION_LAPIC_EOI))
		EXPECT_EQ(EOPNOTSUPP, kvmirq_errno(ioctl(vcpu, KVMIRQ_GUEST_EOI, &eoi)));

	/* s390 delivery does not exist on x86, and nothing on the VM fd. */
	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(vcpu, KVMIRQ_S390_DELIVER, &d)));
	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(self->vm, KVMIRQ_S390_DELIVER, &d)));
	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(vcpu, _IO(KVMIRQIO, 0x3f), 0)));
	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(self->vm, _IO(KVMIRQIO, 0x3f), 0)));
	close(vcpu);
}

/* An s390 VM: kvmirq only. */
FIXTURE(s390) {
	int dev;
	int kvmirq;
	int vm;
};

FIXTURE_SETUP(s390)
{
	self->vm = -1;
	KVMIRQ_OPEN_OR_SKIP();
	KVMIRQ_ONLY();
	self->vm = ioctl(self->dev, KVM_CREATE_VM, KVMIRQ_VM_S390);
	ASSERT_GE(self->vm, 0);
}

FIXTURE_TEARDOWN(s390)
{
	CLOSE_FDS(self->vm, self->dev);
}

TEST_F(s390, extensions)
{
	long nproc = sysconf(_SC_NPROCESSORS_ONLN);

	EXPECT_EQ(nproc < S390_MAX_VCPUS ? nproc : S390_MAX_VCPUS,
		  ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS));
	EXPECT_EQ(S390_MAX_VCPUS, ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS));
	EXPECT_EQ(S390_MAX_VCPUS, ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPU_ID));
	EXPECT_EQ(1, ioctl(self->vm, KVM_CHECK_EXTENSION, KVM_CAP_DEVICE_CTRL));
	EXPECT_EQ(1, ioctl(self->vm, KVM_CHECK_EXTENSION, KVMIRQ_CAP_ABI_VERSION));
}

TEST_F(s390, create_vcpu_limits)
{
	int i, fd;

	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_CREATE_VCPU, S390_MAX_VCPUS)));
	for (i = S390_MAX_VCPUS - 1; i >= 0; i--) {
		fd = ioctl(self->vm, KVM_CREATE_VCPU, i);
		ASSERT_GE(fd, 0) TH_LOG("vcpu %d: %s", i, strerror(errno));
		close(fd);
	}
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_CREATE_VCPU, 0)));
}

/* x86 ioctls on an s390 VM fail as s390 KVM fails unknown ioctls. */
TEST_F(s390, x86_ioctls)
{
	struct kvm_irq_level irq = { .irq = 4, .level = 1 };
	struct kvm_msi msi = { 0 };
	struct kvmirq_io io = { .space = KVMIRQ_SPACE_PIO, .len = 1, .addr = 0x20 };
	char buf[1024] = { 0 };
	int vcpu;

	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(self->vm, KVM_IRQ_LINE, &irq)));
	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(self->vm, KVM_GET_IRQCHIP, buf)));
	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(self->vm, KVM_SIGNAL_MSI, &msi)));
	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(self->vm, KVMIRQ_GUEST_IO, &io)));
	vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(vcpu, 0);
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vcpu, KVM_GET_LAPIC, buf)));
	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(vcpu, KVMIRQ_GUEST_IO, &io)));
	close(vcpu);
}

TEST_F(s390, deliver_checks)
{
	long actions = ioctl(self->vm, KVM_CHECK_EXTENSION, KVMIRQ_CAP_GUEST_ACTIONS);
	struct kvmirq_s390_deliver d = { 0 };
	int vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);

	ASSERT_GE(vcpu, 0);
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(vcpu, KVMIRQ_S390_DELIVER, NULL)));
	d.flags = 1U << 5;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vcpu, KVMIRQ_S390_DELIVER, &d)));
	d.flags = 0;
	d.pad = 1;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(vcpu, KVMIRQ_S390_DELIVER, &d)));
	d.pad = 0;
	if (!(actions & KVMIRQ_ACTION_S390_DELIVER))
		EXPECT_EQ(EOPNOTSUPP, kvmirq_errno(ioctl(vcpu, KVMIRQ_S390_DELIVER, &d)));
	close(vcpu);
}

TEST_F(s390, flic_lifecycle)
{
	struct kvm_create_device cd = {
		.type = KVM_DEV_TYPE_FLIC, .fd = -2, .flags = KVM_CREATE_DEVICE_TEST,
	};
	struct kvm_device_attr attr = { .group = 1000 };
	int flic;

	/* KVM ABI: TEST creates nothing and leaves fd alone. */
	ASSERT_EQ(0, ioctl(self->vm, KVM_CREATE_DEVICE, &cd));
	EXPECT_EQ(-2, cd.fd);
	/* KVM ABI: flag bits other than TEST are ignored. */
	cd.flags = 0xfe;
	ASSERT_EQ(0, ioctl(self->vm, KVM_CREATE_DEVICE, &cd));
	flic = cd.fd;
	ASSERT_GE(flic, 0);
	EXPECT_EQ(FD_CLOEXEC, fcntl(flic, F_GETFD));
	/* KVM ABI: one FLIC per VM; a second is EINVAL. */
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_CREATE_DEVICE, &cd)));
	cd.flags = KVM_CREATE_DEVICE_TEST;
	EXPECT_EQ(0, ioctl(self->vm, KVM_CREATE_DEVICE, &cd));

	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(flic, KVM_HAS_DEVICE_ATTR, &attr)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(flic, KVM_SET_DEVICE_ATTR, &attr)));
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(flic, KVM_GET_DEVICE_ATTR, &attr)));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(flic, KVM_HAS_DEVICE_ATTR, NULL)));
	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(flic, _IO(KVMIO, 0x3f), 0)));
	EXPECT_EQ(ENOTTY, kvmirq_errno(ioctl(flic, KVM_CHECK_EXTENSION, 0)));
	expect_eio_in_child(_metadata, flic, KVM_HAS_DEVICE_ATTR,
			    (unsigned long)&attr);

	/* The device fd keeps the VM alive. */
	close(self->vm);
	self->vm = -1;
	EXPECT_EQ(ENXIO, kvmirq_errno(ioctl(flic, KVM_HAS_DEVICE_ATTR, &attr)));
	EXPECT_EQ(0, close(flic));
}

/* A device fd that cannot be reported leaves no device behind. */
TEST_F(s390, flic_unwritable_result)
{
	struct kvm_create_device *cd;
	int flic;

	cd = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, cd);
	cd->type = KVM_DEV_TYPE_FLIC;
	ASSERT_EQ(0, mprotect(cd, getpagesize(), PROT_READ));
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_CREATE_DEVICE, cd)));
	ASSERT_EQ(0, mprotect(cd, getpagesize(), PROT_READ | PROT_WRITE));
	/* Had a FLIC been left, this would be EINVAL. */
	ASSERT_EQ(0, ioctl(self->vm, KVM_CREATE_DEVICE, cd));
	flic = cd->fd;
	EXPECT_GE(flic, 0);
	close(flic);
	munmap(cd, getpagesize());
}

/* No fd leaks from failed creations. */
TEST_F(s390, no_fd_leak_on_errors)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };
	int before, after, flic, i;

	flic = ioctl(self->vm, KVM_CREATE_DEVICE, &cd) ? -1 : cd.fd;
	ASSERT_GE(flic, 0);
	before = dup(0);
	close(before);
	for (i = 0; i < 100; i++) {
		ioctl(self->vm, KVM_CREATE_DEVICE, &cd);
		ioctl(self->vm, KVM_CREATE_VCPU, S390_MAX_VCPUS);
		ioctl(self->dev, KVM_CREATE_VM, 12345);
	}
	after = dup(0);
	close(after);
	EXPECT_EQ(before, after);
	close(flic);
}

/* With the fd limit reached, creation fails cleanly with EMFILE. */
TEST_F(vm, fd_limit)
{
	struct rlimit old, lim;
	int vcpu, fd, r, err;

	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	fd = dup(0);
	ASSERT_GE(fd, 0);
	close(fd);
	lim.rlim_cur = fd;	/* no free fd left */
	lim.rlim_max = old.rlim_max;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &lim));
	vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	err = errno;
	r = ioctl(self->dev, KVM_CREATE_VM, 0);
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
	EXPECT_EQ(-1, vcpu);
	EXPECT_EQ(EMFILE, err);
	EXPECT_EQ(EMFILE, kvmirq_errno(r));
	/* Nothing was left half-built: the id is still free. */
	vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	EXPECT_GE(vcpu, 0);
	close(vcpu);
}

TEST_HARNESS_MAIN
