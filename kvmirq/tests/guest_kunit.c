// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for guest.c: the checks on the guest-side structs, which run
 * before any model sees them.  Included at the end of guest.c (so it sees
 * its static functions) only when CONFIG_KUNIT is set; runs at insmod.
 */
#include <kunit/test.h>

struct kvmirq_io_case {
	const char *what;
	struct kvmirq_io io;
	int expect;
};

#define IO_CASE(_what, _expect, ...) \
	{ .what = _what, .expect = _expect, .io = { __VA_ARGS__ } }

static const struct kvmirq_io_case kvmirq_io_cases[] = {
	IO_CASE("pio read byte", 0, .space = KVMIRQ_SPACE_PIO, .len = 1,
		.addr = 0x20),
	IO_CASE("pio write dword, last port", 0, .space = KVMIRQ_SPACE_PIO,
		.len = 4, .addr = 0xffff, .flags = KVMIRQ_IO_WRITE,
		.data = 0xffffffff),
	IO_CASE("pio port above 16 bits", -EINVAL, .space = KVMIRQ_SPACE_PIO,
		.len = 1, .addr = 0x10000),
	IO_CASE("pio qword", -EINVAL, .space = KVMIRQ_SPACE_PIO, .len = 8),
	IO_CASE("pio len 3", -EINVAL, .space = KVMIRQ_SPACE_PIO, .len = 3),
	IO_CASE("pio len 0", -EINVAL, .space = KVMIRQ_SPACE_PIO, .len = 0),
	IO_CASE("write byte with bit 8", -EINVAL, .space = KVMIRQ_SPACE_PIO,
		.len = 1, .flags = KVMIRQ_IO_WRITE, .data = 0x100),
	IO_CASE("read ignores data", 0, .space = KVMIRQ_SPACE_PIO, .len = 1,
		.data = ~0ull),
	IO_CASE("mmio qword, any address", 0, .space = KVMIRQ_SPACE_MMIO,
		.len = 8, .addr = ~0ull, .flags = KVMIRQ_IO_WRITE,
		.data = ~0ull),
	IO_CASE("mmio len 16", -EINVAL, .space = KVMIRQ_SPACE_MMIO, .len = 16),
	IO_CASE("mmio word with bit 16", -EINVAL, .space = KVMIRQ_SPACE_MMIO,
		.len = 2, .flags = KVMIRQ_IO_WRITE, .data = 0x10000),
	IO_CASE("msr", 0, .space = KVMIRQ_SPACE_MSR, .len = 8,
		.addr = 0x800),
	IO_CASE("msr len 4", -EINVAL, .space = KVMIRQ_SPACE_MSR, .len = 4),
	IO_CASE("msr index above 32 bits", -EINVAL, .space = KVMIRQ_SPACE_MSR,
		.len = 8, .addr = 0x100000000ull),
	IO_CASE("unknown space", -EINVAL, .space = 3, .len = 1),
	IO_CASE("unknown flag", -EINVAL, .space = KVMIRQ_SPACE_PIO, .len = 1,
		.flags = 2),
	IO_CASE("every flag", -EINVAL, .space = KVMIRQ_SPACE_PIO, .len = 1,
		.flags = ~0u),
	IO_CASE("pad set", -EINVAL, .space = KVMIRQ_SPACE_PIO, .len = 1,
		.pad = 1),
};

static void kvmirq_io_case_desc(const struct kvmirq_io_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kvmirq_io, kvmirq_io_cases, kvmirq_io_case_desc);

static void kvmirq_check_io_test(struct kunit *test)
{
	const struct kvmirq_io_case *c = test->param_value;

	KUNIT_EXPECT_EQ_MSG(test, kvmirq_check_io(&c->io), c->expect,
			    "%s", c->what);
}

static void kvmirq_io_len_test(struct kunit *test)
{
	u32 len;

	for (len = 0; len <= 16; len++)
		KUNIT_EXPECT_EQ_MSG(test, kvmirq_io_len_ok(len, 8),
				    len == 1 || len == 2 || len == 4 || len == 8,
				    "len %u", len);
	KUNIT_EXPECT_FALSE(test, kvmirq_io_len_ok(8, 4));
	KUNIT_EXPECT_TRUE(test, kvmirq_io_len_ok(4, 4));
}

static struct kunit_case kvmirq_guest_test_cases[] = {
	KUNIT_CASE_PARAM(kvmirq_check_io_test, kvmirq_io_gen_params),
	KUNIT_CASE(kvmirq_io_len_test),
	{}
};

static struct kunit_suite kvmirq_guest_test_suite = {
	.name = "kvmirq_guest",
	.test_cases = kvmirq_guest_test_cases,
};

kunit_test_suite(kvmirq_guest_test_suite);
