// SPDX-License-Identifier: GPL-2.0
/*
 * Whole-VM save and restore: the PIC pair, the IOAPIC, the GSI routes and,
 * for every vcpu, MP state, LAPIC, vcpu events and MSR_IA32_APICBASE are
 * saved from a VM with interrupts in flight (remote IRR, an RTC interrupt
 * awaiting its EOI, pending NMIs, a halted vcpu and one waiting for SIPI)
 * and restored into a fresh VM in the order of Firecracker, of
 * cloud-hypervisor (split irqchip) and of QEMU.  Then both VMs get the same
 * sequence of lines, MSIs, LAPIC writes and (kvmirq's guest side)
 * acknowledges and EOIs; every status and every GET must agree, step by
 * step.  Everything but the guest-side steps runs on /dev/kvm too.
 */
#include "x86_irqchip.h"
#include "x86_lapic.h"

#define NV		5
#define NR_ROUTES	42

enum order { ORDER_FIRECRACKER, ORDER_CLOUD_HYPERVISOR, ORDER_QEMU };

struct vcpu_snap {
	int mp;
	struct kvm_lapic_state lapic;
	struct kvm_vcpu_events ev;
	__u64 base;
};

struct snap {
	struct kvm_pic_state pic[2];
	struct kvm_ioapic_state ioapic;
	struct vcpu_snap v[NV];
};

struct vm {
	int fd;
	int v[NV];
	int split;
	int guest;	/* kvmirq: take interrupts before the snapshot */
};

FIXTURE(rs) {
	int dev;
	int kvmirq;
	struct vm src;
};

static struct kvm_irq_routing_entry msi_route(__u32 gsi, __u32 addr, __u32 data)
{
	struct kvm_irq_routing_entry e = { .gsi = gsi,
					   .type = KVM_IRQ_ROUTING_MSI };

	e.u.msi.address_lo = addr;
	e.u.msi.data = data;
	return e;
}

/* The VMM's route table: ISA lines to PIC and IOAPIC, 16-23, two MSIs. */
static int build_routes(struct kvm_irq_routing_entry *r, int split)
{
	int n = 0, gsi;

	if (!split) {
		for (gsi = 0; gsi < 16; gsi++)
			r[n++] = irqchip_route(gsi, gsi < 8 ? KVM_IRQCHIP_PIC_MASTER :
						KVM_IRQCHIP_PIC_SLAVE, gsi % 8);
		for (gsi = 0; gsi < 24; gsi++)
			r[n++] = irqchip_route(gsi, KVM_IRQCHIP_IOAPIC, gsi);
	}
	r[n++] = msi_route(30, msi_addr(2, 0, 0), 0x91);
	r[n++] = msi_route(31, msi_addr(0x0c, 1, 0), 0x92);
	return n;
}

static void close_vm(struct vm *m)
{
	int i;

	for (i = 0; i < NV; i++)
		if (m->v[i] >= 0)
			close(m->v[i]);
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
}

/* A VM with its irqchip and routes, and NV vcpus; 0 or -1. */
static int new_vm(int dev, struct vm *m, int split,
		  const struct kvm_irq_routing_entry *r, int nr, int routes_now)
{
	int i;

	m->split = split;
	for (i = 0; i < NV; i++)
		m->v[i] = -1;
	m->fd = split ? x86_split_vm(dev) : irqchip_vm(dev);
	if (m->fd < 0)
		return -1;
	if (routes_now && set_routing(m->fd, r, nr))
		return -1;
	for (i = 0; i < NV; i++) {
		m->v[i] = ioctl(m->fd, KVM_CREATE_VCPU, i);
		if (m->v[i] < 0)
			return -1;
	}
	return 0;
}

static void take_snap(const struct vm *m, struct snap *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	if (!m->split) {
		s->pic[0] = get_pic(m->fd, KVM_IRQCHIP_PIC_MASTER);
		s->pic[1] = get_pic(m->fd, KVM_IRQCHIP_PIC_SLAVE);
		s->ioapic = get_ioapic(m->fd);
	}
	for (i = 0; i < NV; i++) {
		s->v[i].mp = get_mp_state(m->v[i]);
		s->v[i].lapic = get_lapic(m->v[i]);
		s->v[i].ev = get_events(m->v[i]);
		if (get_msr(m->v[i], APIC_BASE_MSR, &s->v[i].base) != 1)
			s->v[i].base = ~0ULL;
	}
}

/* "" when equal, else which part differs. */
static const char *snap_diff(const struct snap *a, const struct snap *b,
			     char *buf, size_t len)
{
	unsigned int i, off;

	if (memcmp(&a->pic[0], &b->pic[0], sizeof(a->pic[0])))
		return "PIC master";
	if (memcmp(&a->pic[1], &b->pic[1], sizeof(a->pic[1])))
		return "PIC slave";
	if (memcmp(&a->ioapic, &b->ioapic, sizeof(a->ioapic)))
		return "IOAPIC";
	for (i = 0; i < NV; i++) {
		if (a->v[i].mp != b->v[i].mp) {
			snprintf(buf, len, "vcpu %u MP state %d vs %d", i,
				 a->v[i].mp, b->v[i].mp);
			return buf;
		}
		for (off = 0; off < 0x400; off += 0x10) {
			/*
			 * KVM ABI: KVM_SET_LAPIC over an empty ISR leaves PPR
			 * ignoring the restored ISR until the next PPR update;
			 * what the CPU then takes is compared instead.
			 */
			if (off == APIC_PROCPRI)
				continue;
			if (lapic_reg(&a->v[i].lapic, off) ==
			    lapic_reg(&b->v[i].lapic, off))
				continue;
			snprintf(buf, len, "vcpu %u LAPIC 0x%x: %#x vs %#x", i,
				 off, lapic_reg(&a->v[i].lapic, off),
				 lapic_reg(&b->v[i].lapic, off));
			return buf;
		}
		if (memcmp(&a->v[i].ev, &b->v[i].ev, sizeof(a->v[i].ev))) {
			snprintf(buf, len, "vcpu %u events", i);
			return buf;
		}
		if (a->v[i].base != b->v[i].base) {
			snprintf(buf, len, "vcpu %u APIC base", i);
			return buf;
		}
	}
	return "";
}

/*
 * The source VM: programmed chips, enabled LAPICs, and interrupts in
 * flight of every kind.
 */
static int build_source(int dev, struct vm *m, struct kvm_irq_routing_entry *r,
			int nr)
{
	struct kvm_lapic_state l;
	struct kvm_pic_state p;
	int i;

	if (new_vm(dev, m, m->split, r, nr, 1))
		return -1;
	for (i = 0; i < NV; i++) {
		if (lapic_setup(m->v[i], 0x1ff, 1u << (24 + i), 0xffffffff) ||
		    set_mp_state(m->v[i], KVM_MP_STATE_RUNNABLE))
			return -1;
	}
	l = get_lapic(m->v[3]);
	lapic_set(&l, APIC_TASKPRI, 0x40);
	if (set_lapic(m->v[3], &l))
		return -1;
	/* MSIs through the routes, and KVM_SIGNAL_MSI. */
	if (irq_line(m->fd, 30, 1) != 1 || irq_line(m->fd, 31, 1) != 2 ||
	    msi_phys(m->fd, 1, 0x94) != 1)
		return -1;
	ioctl(m->v[1], KVM_NMI);
	if (m->split)
		return set_mp_state(m->v[3], KVM_MP_STATE_HALTED);

	p = get_pic(m->fd, KVM_IRQCHIP_PIC_MASTER);
	p.irq_base = 0x20;
	p.imr = 0xf0;
	if (set_pic(m->fd, KVM_IRQCHIP_PIC_MASTER, &p))
		return -1;
	p = get_pic(m->fd, KVM_IRQCHIP_PIC_SLAVE);
	p.irq_base = 0x28;
	p.imr = 0xfe;
	if (set_pic(m->fd, KVM_IRQCHIP_PIC_SLAVE, &p))
		return -1;
	if (set_rte(m->fd, 16, RTE_LEVEL | RTE_DEST(1) | 0x50) ||
	    set_rte(m->fd, 17, RTE_LOGICAL | RTE_DEST(0x0c) | 0x51) ||
	    set_rte(m->fd, 8, RTE_DEST(2) | 0x38) ||
	    set_rte(m->fd, 19, RTE_LEVEL | RTE_LOGICAL | RTE_DEST(0x03) | 0x53) ||
	    set_rte(m->fd, 4, RTE_DEST(0) | 0x34) ||
	    set_rte(m->fd, 21, DM_INIT | RTE_DEST(4)))
		return -1;
	/* Level lines held high with remote IRR, edges, the RTC pending. */
	if (irq_line(m->fd, 16, 1) != 1 || irq_line(m->fd, 19, 1) != 2)
		return -1;
	irq_line(m->fd, 17, 1);
	irq_line(m->fd, 17, 0);
	if (irq_line(m->fd, 8, 1) < 1)
		return -1;
	irq_line(m->fd, 8, 0);
	irq_line(m->fd, 4, 1);
	irq_line(m->fd, 4, 0);
	irq_line(m->fd, 9, 1);
	/* vcpu 4 waits for SIPI, vcpu 3 halted. */
	irq_line(m->fd, 21, 1);
	irq_line(m->fd, 21, 0);
	if (get_mp_state(m->v[4]) != KVM_MP_STATE_INIT_RECEIVED)
		return -1;
	/* Interrupts in service too: the level one on vcpu 1 among them. */
	if (m->guest && (cpu_ack(m->v[2]) < 0 || cpu_ack(m->v[2]) < 0 ||
			 cpu_ack(m->v[1]) < 0 || cpu_ack(m->v[1]) < 0 ||
			 cpu_ack(m->v[0]) < 0))
		return -1;
	return set_mp_state(m->v[3], KVM_MP_STATE_HALTED);
}

static int put_chips(const struct vm *m, const struct snap *s)
{
	if (m->split)
		return 0;
	if (set_pic(m->fd, KVM_IRQCHIP_PIC_MASTER, &s->pic[0]) ||
	    set_pic(m->fd, KVM_IRQCHIP_PIC_SLAVE, &s->pic[1]))
		return -1;
	return set_ioapic(m->fd, &s->ioapic);
}

static int put_events(int vcpu, const struct vcpu_snap *v)
{
	struct kvm_vcpu_events e = v->ev;

	return ioctl(vcpu, KVM_SET_VCPU_EVENTS, &e);
}

static int put_lapic(int vcpu, const struct vcpu_snap *v)
{
	struct kvm_lapic_state l = v->lapic;

	return set_lapic(vcpu, &l);
}

/* Restores @s into the fresh VM @m; 0 or the failing step. */
static int restore(const struct vm *m, const struct snap *s,
		   const struct kvm_irq_routing_entry *r, int nr, enum order o)
{
	int i;

	switch (o) {
	case ORDER_FIRECRACKER:
	case ORDER_CLOUD_HYPERVISOR:
		/*
		 * VM state first (routes were set at device creation), then
		 * each vcpu: MP state, LAPIC, MSRs, events.
		 */
		if (put_chips(m, s))
			return 1;
		for (i = 0; i < NV; i++) {
			if (set_mp_state(m->v[i], s->v[i].mp))
				return 2;
			if (put_lapic(m->v[i], &s->v[i]))
				return 3;
			if (set_msr(m->v[i], APIC_BASE_MSR, s->v[i].base) != 1)
				return 4;
			if (put_events(m->v[i], &s->v[i]))
				return 5;
		}
		return 0;
	case ORDER_QEMU:
		/*
		 * Device state: each APIC (base, then KVM_SET_LAPIC), the PICs
		 * and IOAPIC, the MSI routes; then at post-init each vcpu's
		 * registers: events, then MP state.
		 */
		for (i = 0; i < NV; i++) {
			if (set_msr(m->v[i], APIC_BASE_MSR, s->v[i].base) != 1)
				return 6;
			if (put_lapic(m->v[i], &s->v[i]))
				return 7;
		}
		if (put_chips(m, s))
			return 8;
		if (set_routing(m->fd, r, nr))
			return 9;
		for (i = 0; i < NV; i++) {
			if (put_events(m->v[i], &s->v[i]))
				return 10;
			if (set_mp_state(m->v[i], s->v[i].mp))
				return 11;
		}
		return 0;
	}
	return -1;
}

#define NR_KVM_STEPS	16

/* Step @k of the common sequence on @m; returns what it observed. */
static int step(const struct vm *m, int k)
{
	int chip = !m->split;

	switch (k) {
	case 0:
		return 0;
	case 1:
		return chip ? irq_line(m->fd, 16, 0) : msi_phys(m->fd, 0, 0x60);
	case 2:
		return chip ? irq_line(m->fd, 16, 1) : msi_logical(m->fd, 0x1f, 0x61);
	case 3:
		return chip ? irq_line(m->fd, 17, 1) + 10 * irq_line(m->fd, 17, 0) :
			      irq_line(m->fd, 31, 1);
	case 4:		/* RTC: the restored pending EOI coalesces it */
		return chip ? irq_line(m->fd, 8, 1) + 10 * irq_line(m->fd, 8, 0) :
			      irq_line(m->fd, 30, 1);
	case 5:
		return lapic_clear_vectors(m->v[2]);
	case 6:
		return chip ? irq_line(m->fd, 8, 1) + 10 * irq_line(m->fd, 8, 0) :
			      irq_line(m->fd, 30, 1);
	case 7:
		return msi_phys(m->fd, 3, 0x93);
	case 8:
		return irq_line(m->fd, 30, 1);
	case 9:
		return ioctl(m->v[0], KVM_NMI);
	case 10:
		return chip ? irq_line(m->fd, 3, 1) : msi_phys(m->fd, 0xff, 0x62);
	case 11:
		return chip ? irq_line(m->fd, 19, 0) : 0;
	case 12:
		return set_mp_state(m->v[3], KVM_MP_STATE_RUNNABLE);
	case 13:	/* SIPI to the vcpu waiting for it */
		return msi_phys(m->fd, 4, DM_SIPI | 0x9a);
	case 14:
		return chip ? irq_line(m->fd, 19, 1) : msi_phys(m->fd, 1, 0x63);
	case 15:
		return irq_line(m->fd, 31, 1);
	}
	k -= NR_KVM_STEPS;
	/* Guest side: each vcpu takes an interrupt and ends it, four rounds. */
	if (k < 4 * NV * 2) {
		int v = m->v[(k / 2) % NV];

		return k % 2 ? cpu_eoi(v) : cpu_ack(v);
	}
	return 0;
}

FIXTURE_SETUP(rs)
{
	self->src.fd = -1;
	self->src.split = 0;
	self->src.guest = 0;
	KVMIRQ_OPEN_OR_SKIP();
}

FIXTURE_TEARDOWN(rs)
{
	if (self->src.fd >= 0)
		close_vm(&self->src);
	if (self->dev >= 0)
		close(self->dev);
}

static void round_trip(struct __test_metadata *_metadata, int dev,
		       int kvmirq, struct vm *src, enum order o)
{
	struct kvm_irq_routing_entry routes[NR_ROUTES];
	struct snap saved, a, b;
	int k, n, ra, rb, nr;
	struct vm dst;
	char buf[96];
	const char *d;

	src->split = o == ORDER_CLOUD_HYPERVISOR;
	src->guest = kvmirq;
	nr = build_routes(routes, src->split);
	ASSERT_EQ(0, build_source(dev, src, routes, nr));
	take_snap(src, &saved);

	ASSERT_EQ(0, new_vm(dev, &dst, src->split, routes, nr, o != ORDER_QEMU));
	ASSERT_EQ(0, restore(&dst, &saved, routes, nr, o));

	n = kvmirq ? NR_KVM_STEPS + 4 * NV * 2 : NR_KVM_STEPS;
	for (k = 0; k < n; k++) {
		ra = step(src, k);
		rb = step(&dst, k);
		EXPECT_EQ(ra, rb) {
			TH_LOG("step %d: %d vs %d", k, ra, rb);
		}
		take_snap(src, &a);
		take_snap(&dst, &b);
		d = snap_diff(&a, &b, buf, sizeof(buf));
		EXPECT_STREQ("", d) {
			TH_LOG("after step %d", k);
		}
		if (*d)
			break;
	}
	close_vm(&dst);
}

TEST_F(rs, firecracker_order)
{
	round_trip(_metadata, self->dev, self->kvmirq, &self->src, ORDER_FIRECRACKER);
}

TEST_F(rs, cloud_hypervisor_order)
{
	round_trip(_metadata, self->dev, self->kvmirq, &self->src, ORDER_CLOUD_HYPERVISOR);
}

TEST_F(rs, qemu_order)
{
	round_trip(_metadata, self->dev, self->kvmirq, &self->src, ORDER_QEMU);
}

/* The source really had interrupts in flight (else the test proves little). */
TEST_F(rs, source_state)
{
	struct kvm_irq_routing_entry routes[NR_ROUTES];
	struct snap s;

	ASSERT_EQ(0, build_source(self->dev, &self->src, routes,
				  build_routes(routes, 0)));
	take_snap(&self->src, &s);
	EXPECT_EQ(RTE_REMOTE_IRR, s.ioapic.redirtbl[16].bits & RTE_REMOTE_IRR);
	EXPECT_EQ(RTE_REMOTE_IRR, s.ioapic.redirtbl[19].bits & RTE_REMOTE_IRR);
	EXPECT_EQ(1, lapic_vec(&s.v[2].lapic, APIC_IRR, 0x38));
	EXPECT_EQ(1, lapic_vec(&s.v[2].lapic, APIC_IRR, 0x91));
	EXPECT_EQ(1, lapic_vec(&s.v[1].lapic, APIC_TMR, 0x50));
	EXPECT_EQ(1, s.v[1].ev.nmi.pending);
	EXPECT_EQ(KVM_MP_STATE_HALTED, s.v[3].mp);
	EXPECT_EQ(KVM_MP_STATE_INIT_RECEIVED, s.v[4].mp);
	EXPECT_EQ(0xfee00900ULL, s.v[0].base);
	EXPECT_NE(0, s.pic[1].irr & 0x02);
	/* RTC still pending its EOI: coalesced. */
	EXPECT_EQ(0, irq_line(self->src.fd, 8, 1));
}

TEST_HARNESS_MAIN
