// SPDX-License-Identifier: GPL-2.0
/*
 * Info-leak check: every ioctl that writes a struct back is called on a
 * buffer pre-filled with a poison pattern (and a canary after it).
 *
 *  - on success, the padding and reserved bytes the row lists come back
 *    zero (as KVM fills them), the output fields pass the row's check, and
 *    nothing past the struct is written;
 *  - on failure, the kernel wrote nothing at all, in the struct or in the
 *    buffer a pointer in it names.
 *
 * On the debug kernel (CONFIG_INIT_STACK_ALL_PATTERN, KASAN) stale kernel
 * stack or heap bytes show up as non-zero.  To cover a new GET-style ioctl,
 * add one FIXTURE_VARIANT_ADD row below.  Runs against /dev/kvm too, where
 * rows for kvmirq-only ioctls and s390 skip.
 */
#include <stddef.h>

#include "kvmirq_test.h"

#define POISON		0xa5
#define CANARY_LEN	64
#define AUX_LEN		4096

enum leak_fd { ON_VM_X86, ON_VCPU_X86, ON_VM_S390, ON_VCPU_S390, ON_FLIC, NR_LEAK_FDS };

struct leak_range {
	size_t off, len;
};

FIXTURE(leak) {
	int dev;
	int kvmirq;
	int fds[NR_LEAK_FDS];
	unsigned char buf[1024 + CANARY_LEN];
	unsigned char aux[AUX_LEN];
};

/*
 * @in: sets the input fields (the rest of the struct stays poison); may
 *      point a field at @aux, which is poisoned too
 * @zero: byte ranges { offset, length } that must be zero after a successful
 *        call
 * @check: optional; NULL if the output fields are right, else what is wrong
 * @fd_out: offset of an fd the kernel writes on success (closed), or -1
 */
FIXTURE_VARIANT(leak) {
	enum leak_fd on;
	unsigned long nr;
	size_t size;
	int kvmirq_only;
	void (*in)(void *arg, void *aux);
	struct leak_range zero[4];
	const char *(*check)(const void *arg);
	int fd_out;
};

static void in_flic(void *arg, void *aux)
{
	struct kvm_create_device *cd = arg;

	cd->type = KVM_DEV_TYPE_FLIC;
	cd->flags = 0;
}

static void in_flic_test(void *arg, void *aux)
{
	struct kvm_create_device *cd = arg;

	cd->type = KVM_DEV_TYPE_FLIC;
	cd->flags = KVM_CREATE_DEVICE_TEST;
}

static void in_bad_device(void *arg, void *aux)
{
	struct kvm_create_device *cd = arg;

	cd->type = 0xffff;
	cd->flags = 0;
}

/* KVM ABI: the TEST flag writes nothing back, not even fd. */
static const char *fd_untouched(const void *arg)
{
	const struct kvm_create_device *cd = arg;

	return cd->fd == 0xa5a5a5a5 ? NULL : "fd written with KVM_CREATE_DEVICE_TEST";
}

static void set_io(void *arg, __u32 space, __u32 len, __u64 addr)
{
	struct kvmirq_io *io = arg;

	io->space = space;
	io->len = len;
	io->flags = 0;
	io->pad = 0;
	io->addr = addr;
}

static void in_pio_read(void *arg, void *aux)
{
	set_io(arg, KVMIRQ_SPACE_PIO, 1, 0x20);
}

static void in_ioapic_read(void *arg, void *aux)
{
	set_io(arg, KVMIRQ_SPACE_MMIO, 4, 0xfec00010);
}

static void in_lapic_read(void *arg, void *aux)
{
	set_io(arg, KVMIRQ_SPACE_MMIO, 4, 0xfee00030);
}

static void in_msr_read(void *arg, void *aux)
{
	set_io(arg, KVMIRQ_SPACE_MSR, 8, 0x1b);
}

/* A read returns its width, zero-extended. */
static const char *io_zero_extended(const void *arg)
{
	const struct kvmirq_io *io = arg;

	if (io->len < 8 && io->data >> (8 * io->len))
		return "read data has bits above its width";
	return NULL;
}

static void in_ack(void *arg, void *aux)
{
	struct kvmirq_ack *ack = arg;

	ack->flags = 0;
	ack->pad = 0;
}

static const char *ack_sane(const void *arg)
{
	const struct kvmirq_ack *ack = arg;

	if (ack->source > KVMIRQ_ACK_SIPI)
		return "source out of range";
	if (ack->vector > 0xff || (ack->source == KVMIRQ_ACK_NONE && ack->vector))
		return "vector out of range";
	return NULL;
}

static void in_deliver(void *arg, void *aux)
{
	struct kvmirq_s390_deliver *d = arg;

	d->psw_mask = ~0ull;
	d->cr0 = ~0ull;
	d->cr6 = ~0ull;
	d->cr14 = ~0ull;
	d->flags = KVMIRQ_S390_DELIVER_PEEK;
	d->pad = 0;
}

static const char *deliver_sane(const void *arg)
{
	const struct kvmirq_s390_deliver *d = arg;
	static const unsigned char zero[sizeof(d->irq)];

	if (!d->irq.type && memcmp(&d->irq, zero, sizeof(zero)))
		return "no interrupt, but the irq is not all zero";
	return NULL;
}

static void in_flic_attr(void *arg, void *aux)
{
	struct kvm_device_attr *attr = arg;

	attr->flags = 0;
	attr->group = 1000;	/* no such group */
	attr->attr = AUX_LEN;
	attr->addr = (unsigned long)aux;
}

#define LEAK_STRUCT(type)	.size = sizeof(type)

FIXTURE_VARIANT_ADD(leak, create_device_flic) {
	.on = ON_VM_S390, .nr = KVM_CREATE_DEVICE, LEAK_STRUCT(struct kvm_create_device),
	.kvmirq_only = 1, .in = in_flic, .fd_out = offsetof(struct kvm_create_device, fd),
};

FIXTURE_VARIANT_ADD(leak, create_device_test_flag) {
	.on = ON_VM_S390, .nr = KVM_CREATE_DEVICE, LEAK_STRUCT(struct kvm_create_device),
	.kvmirq_only = 1, .in = in_flic_test, .check = fd_untouched, .fd_out = -1,
};

FIXTURE_VARIANT_ADD(leak, create_device_unknown_type) {
	.on = ON_VM_X86, .nr = KVM_CREATE_DEVICE, LEAK_STRUCT(struct kvm_create_device),
	.in = in_bad_device, .fd_out = -1,
};

FIXTURE_VARIANT_ADD(leak, guest_io_pio_vm) {
	.on = ON_VM_X86, .nr = KVMIRQ_GUEST_IO, LEAK_STRUCT(struct kvmirq_io),
	.kvmirq_only = 1, .in = in_pio_read, .check = io_zero_extended, .fd_out = -1,
	.zero = { { offsetof(struct kvmirq_io, pad), 4 } },
};

FIXTURE_VARIANT_ADD(leak, guest_io_pio_vcpu) {
	.on = ON_VCPU_X86, .nr = KVMIRQ_GUEST_IO, LEAK_STRUCT(struct kvmirq_io),
	.kvmirq_only = 1, .in = in_pio_read, .check = io_zero_extended, .fd_out = -1,
	.zero = { { offsetof(struct kvmirq_io, pad), 4 } },
};

FIXTURE_VARIANT_ADD(leak, guest_io_ioapic) {
	.on = ON_VM_X86, .nr = KVMIRQ_GUEST_IO, LEAK_STRUCT(struct kvmirq_io),
	.kvmirq_only = 1, .in = in_ioapic_read, .check = io_zero_extended, .fd_out = -1,
	.zero = { { offsetof(struct kvmirq_io, pad), 4 } },
};

FIXTURE_VARIANT_ADD(leak, guest_io_lapic) {
	.on = ON_VCPU_X86, .nr = KVMIRQ_GUEST_IO, LEAK_STRUCT(struct kvmirq_io),
	.kvmirq_only = 1, .in = in_lapic_read, .check = io_zero_extended, .fd_out = -1,
	.zero = { { offsetof(struct kvmirq_io, pad), 4 } },
};

FIXTURE_VARIANT_ADD(leak, guest_io_msr) {
	.on = ON_VCPU_X86, .nr = KVMIRQ_GUEST_IO, LEAK_STRUCT(struct kvmirq_io),
	.kvmirq_only = 1, .in = in_msr_read, .check = io_zero_extended, .fd_out = -1,
	.zero = { { offsetof(struct kvmirq_io, pad), 4 } },
};

FIXTURE_VARIANT_ADD(leak, guest_ack_vm) {
	.on = ON_VM_X86, .nr = KVMIRQ_GUEST_ACK, LEAK_STRUCT(struct kvmirq_ack),
	.kvmirq_only = 1, .in = in_ack, .check = ack_sane, .fd_out = -1,
	.zero = { { offsetof(struct kvmirq_ack, flags), 4 },
		  { offsetof(struct kvmirq_ack, pad), 4 } },
};

FIXTURE_VARIANT_ADD(leak, guest_ack_vcpu) {
	.on = ON_VCPU_X86, .nr = KVMIRQ_GUEST_ACK, LEAK_STRUCT(struct kvmirq_ack),
	.kvmirq_only = 1, .in = in_ack, .check = ack_sane, .fd_out = -1,
	.zero = { { offsetof(struct kvmirq_ack, flags), 4 },
		  { offsetof(struct kvmirq_ack, pad), 4 } },
};

FIXTURE_VARIANT_ADD(leak, s390_deliver) {
	.on = ON_VCPU_S390, .nr = KVMIRQ_S390_DELIVER,
	LEAK_STRUCT(struct kvmirq_s390_deliver),
	.kvmirq_only = 1, .in = in_deliver, .check = deliver_sane, .fd_out = -1,
	.zero = { { offsetof(struct kvmirq_s390_deliver, pad), 4 },
		  { offsetof(struct kvmirq_s390_deliver, reserved),
		    sizeof(((struct kvmirq_s390_deliver *)0)->reserved) } },
};

FIXTURE_VARIANT_ADD(leak, flic_get_attr) {
	.on = ON_FLIC, .nr = KVM_GET_DEVICE_ATTR, LEAK_STRUCT(struct kvm_device_attr),
	.kvmirq_only = 1, .in = in_flic_attr, .fd_out = -1,
};

FIXTURE_SETUP(leak)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };
	int i;

	for (i = 0; i < NR_LEAK_FDS; i++)
		self->fds[i] = -1;
	KVMIRQ_OPEN_OR_SKIP();
	if (variant->kvmirq_only)
		KVMIRQ_ONLY();
	self->fds[ON_VM_X86] = ioctl(self->dev, KVM_CREATE_VM, KVMIRQ_VM_X86);
	ASSERT_GE(self->fds[ON_VM_X86], 0);
	self->fds[ON_VCPU_X86] = ioctl(self->fds[ON_VM_X86], KVM_CREATE_VCPU, 0);
	ASSERT_GE(self->fds[ON_VCPU_X86], 0);
	if (!self->kvmirq)
		return;
	self->fds[ON_VM_S390] = ioctl(self->dev, KVM_CREATE_VM, KVMIRQ_VM_S390);
	ASSERT_GE(self->fds[ON_VM_S390], 0);
	self->fds[ON_VCPU_S390] = ioctl(self->fds[ON_VM_S390], KVM_CREATE_VCPU, 0);
	ASSERT_GE(self->fds[ON_VCPU_S390], 0);
	/* The create_device rows need the FLIC slot free. */
	if (variant->on == ON_FLIC) {
		ASSERT_EQ(0, ioctl(self->fds[ON_VM_S390], KVM_CREATE_DEVICE, &cd));
		self->fds[ON_FLIC] = cd.fd;
	}
}

FIXTURE_TEARDOWN(leak)
{
	int i;

	for (i = NR_LEAK_FDS - 1; i >= 0; i--)
		if (self->fds[i] >= 0)
			close(self->fds[i]);
	if (self->dev >= 0)
		close(self->dev);
}

static int all_bytes(const unsigned char *p, size_t len, unsigned char v)
{
	while (len--)
		if (*p++ != v)
			return 0;
	return 1;
}

TEST_F(leak, poisoned_buffer)
{
	unsigned char before[sizeof(self->buf)], aux_before[AUX_LEN];
	int fd = self->fds[variant->on], out, r, err, i;
	const struct leak_range *z;
	const char *wrong;

	ASSERT_LE(variant->size, sizeof(self->buf) - CANARY_LEN);
	if (fd < 0)
		KVMIRQ_SKIP("no such fd on this device");
	memset(self->buf, POISON, sizeof(self->buf));
	memset(self->aux, POISON, sizeof(self->aux));
	variant->in(self->buf, self->aux);
	memcpy(before, self->buf, sizeof(before));
	memcpy(aux_before, self->aux, sizeof(aux_before));

	r = ioctl(fd, variant->nr, self->buf);
	err = errno;
	EXPECT_TRUE(all_bytes(self->buf + variant->size, CANARY_LEN, POISON))
		TH_LOG("the kernel wrote past the %zu-byte struct", variant->size);
	if (r < 0) {
		TH_LOG("failed with %s: nothing may be written", strerror(err));
		EXPECT_EQ(0, memcmp(before, self->buf, sizeof(before)));
		EXPECT_EQ(0, memcmp(aux_before, self->aux, sizeof(aux_before)));
		return;
	}
	for (i = 0; i < 4; i++) {
		z = &variant->zero[i];
		EXPECT_TRUE(all_bytes(self->buf + z->off, z->len, 0))
			TH_LOG("bytes %zu..%zu are not zero", z->off, z->off + z->len - 1);
	}
	wrong = variant->check ? variant->check(self->buf) : NULL;
	EXPECT_EQ(NULL, wrong) TH_LOG("%s", wrong);
	if (variant->fd_out >= 0) {
		memcpy(&out, self->buf + variant->fd_out, sizeof(out));
		EXPECT_EQ(0, close(out)) TH_LOG("the returned fd %d is not open", out);
	}
}

TEST_HARNESS_MAIN
