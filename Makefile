# SPDX-License-Identifier: GPL-2.0
#
# kvmirq: KVM's interrupt-controller ABI as a loadable module.
#
#   make                    build kvmirq.ko for the running kernel (W=1)
#   make KDIR=... module    build against other kernel headers
#   make install            install the module and the udev rule
#   make selftests          build the selftests
#   make check              everything CI runs (scripts/check.sh)
#   make debug-check        the debug kernel run: KASAN, lockdep, kmemleak,
#                           KUnit, fault injection, fuzzer (FUZZ_TIME=120,
#                           FUZZ_SEED=...; Documentation/reliability.rst)
#   make demo               boot the test VM and run the example client
#   make bench              the benchmark, in the test VM and against /dev/kvm
#   make checkpatch         scripts/checkpatch.pl --strict on all sources
#   make kernel-doc         scripts/kernel-doc on the module's headers

KVER	?= $(shell uname -r)
KDIR	?= /lib/modules/$(KVER)/build
BUILD	?= $(CURDIR)/build
SOURCES	:= $(wildcard kvmirq/*.[ch] kvmirq/*/*.[ch] kvmirq/*/tests/*.[ch]) uapi/linux/kvmirq.h \
	   $(wildcard selftests/*.[ch] selftests/*/*.[ch]) $(wildcard examples/*.c) \
	   $(wildcard bench/*.c)
HEADERS	:= $(wildcard kvmirq/*.h kvmirq/*/*.h kvmirq/*/tests/*.h) \
	   uapi/linux/kvmirq.h

all: module

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(BUILD)

install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	install -D -m 644 udev/60-kvmirq.rules /etc/udev/rules.d/60-kvmirq.rules
	depmod -a $(KVER)

selftests:
	$(MAKE) -C selftests BUILD=$(BUILD)

check:
	scripts/check.sh

debug-check:
	scripts/debug-check.sh

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

$(BUILD)/linux-tools/scripts/checkpatch.pl:
	scripts/linux-tools.sh $(BUILD)/linux-tools

checkpatch: $(BUILD)/linux-tools/scripts/checkpatch.pl
	perl $< --no-tree --strict --terse --show-types -f $(SOURCES)

$(BUILD)/linux-tools/scripts/kernel-doc:
	scripts/linux-tools.sh $(BUILD)/linux-tools

# W=1 runs kernel-doc on the .c files only; this covers the headers.  Any
# warning fails.
kernel-doc: $(BUILD)/linux-tools/scripts/kernel-doc
	@out=$$(perl $< -none $(HEADERS) 2>&1); \
	if [ -n "$$out" ]; then echo "$$out"; exit 1; fi; \
	echo "kernel-doc: $(words $(HEADERS)) headers, no warnings"

.PHONY: all module clean install selftests check debug-check demo bench checkpatch \
	kernel-doc
