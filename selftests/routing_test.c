// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_SET_GSI_ROUTING on x86: validation and errnos, atomic replacement,
 * MSI routes, several GSIs on one pin, and routing changes while lines are
 * asserted.  Runs on KVM too.
 */
#include <pthread.h>
#include <sys/mman.h>

#include "x86_irqchip.h"

FIXTURE(routing) {
	int dev;
	int kvmirq;
	int vm;
};

FIXTURE_SETUP(routing)
{
	self->vm = -1;
	KVMIRQ_OPEN_OR_SKIP();
	self->vm = irqchip_vm(self->dev);
	ASSERT_LE(0, self->vm);
}

FIXTURE_TEARDOWN(routing)
{
	CLOSE_FDS(self->vm, self->dev);
}

static struct kvm_irq_routing_entry msi_route(__u32 gsi, __u32 vector)
{
	struct kvm_irq_routing_entry e = { .gsi = gsi, .type = KVM_IRQ_ROUTING_MSI };

	e.u.msi.address_lo = 0xfee00000;
	e.u.msi.data = vector;
	return e;
}

/* Sets the master PIC's ELCR so pins 3-7 are level-triggered. */
static void level_pins(int vm)
{
	struct kvm_pic_state m = get_pic(vm, 0);

	m.elcr = 0xf8;
	if (set_pic(vm, 0, &m))
		abort();
}

TEST_F(routing, errnos)
{
	struct kvm_irq_routing_entry e[2];
	struct kvm_irq_routing *r;

	e[0] = irqchip_route(4096, 0, 0);
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 1));
	e[0] = irqchip_route(1, 0, 8);
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 1));
	e[0] = irqchip_route(1, 1, 8);
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 1));
	e[0] = irqchip_route(1, 2, 24);
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 1));
	e[0] = irqchip_route(1, 3, 0);
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 1));
	e[0] = irqchip_route(1, 0, 1);
	e[0].flags = 1;
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 1));
	/* MSI takes KVM_MSI_VALID_DEVID and nothing else. */
	e[0] = msi_route(1, 0x30);
	e[0].flags = KVM_MSI_VALID_DEVID;
	EXPECT_EQ(0, set_routing(self->vm, e, 1));
	e[0].flags = 2;
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 1));
	e[0].flags = 0x10000 | KVM_MSI_VALID_DEVID;
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 1));
	/* The padding word is not looked at. */
	e[0].flags = 0;
	e[0].pad = ~0u;
	EXPECT_EQ(0, set_routing(self->vm, e, 1));
	/* Types: 0, s390 adapter, unknown, a known one in the high bits. */
	e[0] = irqchip_route(1, 0, 1);
	e[0].type = 0;
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 1));
	e[0].type = KVM_IRQ_ROUTING_S390_ADAPTER;
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 1));
	e[0].type = 6;
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 1));
	e[0].type = 0x10000 | KVM_IRQ_ROUTING_IRQCHIP;
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 1));
	e[0] = msi_route(1, 0x30);
	e[0].type = 0x10000 | KVM_IRQ_ROUTING_MSI;
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 1));
	/* One route per irqchip per GSI; MSI shares with nothing. */
	e[0] = irqchip_route(1, 0, 1);
	e[1] = irqchip_route(1, 0, 2);
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 2));
	e[1] = msi_route(1, 0x30);
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 2));
	e[0] = msi_route(1, 0x31);
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 2));
	e[0] = irqchip_route(1, 0, 1);
	e[1] = irqchip_route(1, 1, 1);
	EXPECT_EQ(0, set_routing(self->vm, e, 2));

	/* Header: nr and flags; bad pointers. */
	r = calloc(1, sizeof(*r));
	ASSERT_NE(NULL, r);
	r->nr = 4097;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_SET_GSI_ROUTING, r)));
	r->nr = 0;
	r->flags = 1;
	EXPECT_EQ(EINVAL, kvmirq_errno(ioctl(self->vm, KVM_SET_GSI_ROUTING, r)));
	r->flags = 0;
	r->nr = 1;
	free(r);
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_SET_GSI_ROUTING, NULL)));
}

/* The entries array is read from after the header. */
TEST_F(routing, entries_fault)
{
	struct kvm_irq_routing *r;
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p + page, page));
	r = (void *)(p + page - sizeof(*r));
	r->nr = 1;
	r->flags = 0;
	EXPECT_EQ(EFAULT, kvmirq_errno(ioctl(self->vm, KVM_SET_GSI_ROUTING, r)));
	munmap(p, page);
}

/* A failed update changes nothing; an empty table unroutes everything. */
TEST_F(routing, atomic_and_empty)
{
	struct kvm_irq_routing_entry e[3];

	e[0] = irqchip_route(40, 0, 4);
	e[1] = irqchip_route(41, 0, 5);
	e[2] = irqchip_route(42, 0, 9);
	EXPECT_EQ(EINVAL, set_routing(self->vm, e, 3));
	EXPECT_EQ(-1, irq_line(self->vm, 40, 1));
	EXPECT_EQ(1, irq_line(self->vm, 4, 1));	/* the default table stays */
	EXPECT_EQ(0, set_routing(self->vm, e, 2));
	EXPECT_EQ(-1, irq_line(self->vm, 3, 1));
	EXPECT_EQ(1, irq_line(self->vm, 41, 1));
	EXPECT_EQ(0x30, get_pic(self->vm, 0).irr);
	EXPECT_EQ(0, set_routing(self->vm, NULL, 0));
	EXPECT_EQ(-1, irq_line(self->vm, 41, 0));
	EXPECT_EQ(-1, irq_line(self->vm, 0, 1));
}

/* The largest table: 4096 MSI routes. */
TEST_F(routing, max_table)
{
	struct kvm_irq_routing_entry *e = calloc(4096, sizeof(*e));
	int i;

	ASSERT_NE(NULL, e);
	for (i = 0; i < 4096; i++)
		e[i] = msi_route(i, 0x20 + i % 200);
	EXPECT_EQ(0, set_routing(self->vm, e, 4096));
	/* No vcpu: an MSI finds nobody (-1); deasserting sends nothing. */
	EXPECT_EQ(-1, irq_line(self->vm, 4095, 1));
	EXPECT_EQ(-1, irq_line(self->vm, 4095, 0));
	free(e);
}

/*
 * Several GSIs on one pin share the userspace source: lowering either
 * lowers the pin (KVM keeps one level per pin and source, not per GSI).
 */
TEST_F(routing, shared_pin)
{
	struct kvm_irq_routing_entry e[2];

	level_pins(self->vm);
	e[0] = irqchip_route(30, 0, 3);
	e[1] = irqchip_route(31, 0, 3);
	ASSERT_EQ(0, set_routing(self->vm, e, 2));
	EXPECT_EQ(1, irq_line(self->vm, 30, 1));
	EXPECT_EQ(0, irq_line(self->vm, 31, 1));
	EXPECT_EQ(1, irq_line(self->vm, 30, 0));
	EXPECT_EQ(0, get_pic(self->vm, 0).irr);
}

/* Rerouting while a line is high: the old pin keeps its level. */
TEST_F(routing, reroute_while_asserted)
{
	struct kvm_irq_routing_entry e[2];

	level_pins(self->vm);
	e[0] = irqchip_route(50, 0, 5);
	ASSERT_EQ(0, set_routing(self->vm, e, 1));
	EXPECT_EQ(1, irq_line(self->vm, 50, 1));
	e[0] = irqchip_route(50, 0, 6);
	e[1] = irqchip_route(50, 2, 6);
	ASSERT_EQ(0, set_routing(self->vm, e, 2));
	EXPECT_EQ(2, irq_line(self->vm, 50, 0));
	EXPECT_EQ(0x20, get_pic(self->vm, 0).irr);
	EXPECT_EQ(1, irq_line(self->vm, 50, 1));	/* PIC 1 + IOAPIC -1 */
	EXPECT_EQ(0x60, get_pic(self->vm, 0).irr);
	EXPECT_EQ(1 << 6, get_ioapic(self->vm).irr);
	/* Back to pin 5: the old line is lowered from its new GSI. */
	e[0] = irqchip_route(50, 0, 5);
	ASSERT_EQ(0, set_routing(self->vm, e, 1));
	EXPECT_EQ(1, irq_line(self->vm, 50, 0));
	EXPECT_EQ(0x40, get_pic(self->vm, 0).irr);
	/* Slave pins by routing. */
	e[0] = irqchip_route(60, 1, 7);
	ASSERT_EQ(0, set_routing(self->vm, e, 1));
	EXPECT_EQ(1, irq_line(self->vm, 60, 1));
	EXPECT_EQ(0x80, get_pic(self->vm, 1).irr);
}

/* Routing may change any time, also after vcpus exist, and repeatedly. */
TEST_F(routing, after_vcpus_and_repeatedly)
{
	struct kvm_irq_routing_entry e = irqchip_route(7, 2, 7);
	int vcpu = ioctl(self->vm, KVM_CREATE_VCPU, 0);
	int i;

	ASSERT_LE(0, vcpu);
	for (i = 0; i < 200; i++) {
		e.gsi = i;
		ASSERT_EQ(0, set_routing(self->vm, &e, 1));
	}
	close(vcpu);
}

/* Routing replaced while other threads raise lines through it. */
struct churn {
	int vm;
	int stop;
	int bad;
};

static void *churn_lines(void *arg)
{
	struct churn *c = arg;
	int i, r;

	for (i = 0; !__atomic_load_n(&c->stop, __ATOMIC_RELAXED); i++) {
		r = irq_line(c->vm, i % 40, i & 1);
		if (r < -1 || r > 2)
			c->bad++;
	}
	return NULL;
}

TEST_F(routing, replace_under_load)
{
	struct kvm_irq_routing_entry e[48];
	struct churn c = { .vm = self->vm };
	pthread_t th[3];
	int i, j, n;

	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, churn_lines, &c));
	for (i = 0; i < 300; i++) {
		n = 0;
		for (j = 0; j < 40; j++) {
			if ((i + j) % 3 == 0)
				e[n++] = msi_route(j, 0x40 + j);
			else
				e[n++] = irqchip_route(j, 2, (i + j) % 24);
			if ((i + j) % 5 == 0 && e[n - 1].type == KVM_IRQ_ROUTING_IRQCHIP)
				e[n++] = irqchip_route(j, (i + j) & 1, (i + j) % 8);
		}
		ASSERT_EQ(0, set_routing(self->vm, e, n));
	}
	__atomic_store_n(&c.stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ(0, c.bad);
}

TEST_HARNESS_MAIN
