# cylcomed top-level build.
#
#   make               module (KDIR), BPF objects and skeletons, agent, tools
#   make kmod-all      the module for every installed test kernel
#   make check         unit tests, fuzz smoke runs, kernel checks, VM suite
#   make demo          the product's scenario in a guest
#   make bench         ring-buffer ingest and serial guard benchmarks in a 6.12 guest,
#                      host-side: event encoding, risk log, pairing, CP-ABE, SSI, anomaly models vs scikit-learn
#   make install DESTDIR=...
#
# Every build output goes under build/ except kmod/cylcomed.ko (kbuild
# builds in place).  Warnings are errors everywhere.

VERSION		:= 0.1.0
BUILD		:= build
SHELL		:= /bin/bash

# Test kernels: Debian's 6.1 and 6.12 as installed by scripts/setup.
TEST_KERNELS	:= $(sort $(notdir $(wildcard /lib/modules/6.1.0-*-amd64 /lib/modules/6.12.*+deb12-amd64)))
KERNEL_61	:= $(firstword $(filter 6.1.%,$(TEST_KERNELS)))
RUNNING_KDIR	:= /lib/modules/$(shell uname -r)/build
KDIR		?= $(if $(wildcard $(RUNNING_KDIR)/Makefile),$(RUNNING_KDIR),/lib/modules/$(KERNEL_61)/build)

CC		:= gcc
CLANG		?= clang
BPFTOOL		?= bpftool
LLVM_STRIP	?= llvm-strip

HARDEN		:= -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
CFLAGS		?= -O2 -g
CFLAGS		+= -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
		   $(HARDEN) -Iinclude/uapi -Iagent -I$(BUILD)/bpf
LDFLAGS		+= -pie -Wl,-z,relro,-z,now

PKGS		:= libbpf libelf jansson yaml-0.1 libnl-3.0 libnl-genl-3.0 openssl
PKG_CFLAGS	:= $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS	:= $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lz
CFLAGS		+= $(PKG_CFLAGS)

# Installation layout (FHS).
PREFIX		?= /usr
SBINDIR		?= $(PREFIX)/sbin
LIBDIR_CYL	?= $(PREFIX)/lib/cylcomed
MANDIR		?= $(PREFIX)/share/man
UNITDIR		?= /lib/systemd/system
SYSCONFDIR	?= /etc
DKMSDIR		?= $(PREFIX)/src/cylcomed-$(VERSION)
MENDERMODDIR	?= $(PREFIX)/share/mender/modules/v3

SETUP_STAMP	:= $(BUILD)/.setup-stamp

all: kmod bpf agent tools

# --- setup: run scripts/setup when its stamp is missing or older than it ---
$(SETUP_STAMP): scripts/setup
	scripts/setup
	@mkdir -p $(@D) && touch $@

setup: $(SETUP_STAMP)

# --- kernel module ---
kmod:
	$(MAKE) -C kmod KDIR=$(KDIR)

# One out-of-tree build per test kernel, in build/kmod/<version>/.
kmod-all: $(addprefix $(BUILD)/kmod/,$(addsuffix /cylcomed.ko,$(TEST_KERNELS)))

KMOD_SOURCES	:= $(filter-out %.mod.c,$(wildcard kmod/*.c kmod/*.h))
KMOD_SRCS	:= $(KMOD_SOURCES) kmod/Kbuild $(wildcard include/uapi/cylcomed/*.h)

$(BUILD)/kmod/%/cylcomed.ko: $(KMOD_SRCS)
	@mkdir -p $(@D)
	cp $(KMOD_SOURCES) kmod/Kbuild $(@D)/
	ln -sfn $(CURDIR)/include $(@D)/include
	$(MAKE) -C /lib/modules/$*/build M=$(CURDIR)/$(@D) modules

# --- BPF ---
BPF_PROGS	:= lsm_guard
# Test-only programs: built with the others so they cannot rot, never installed.
BPF_TEST_PROGS	:= bench_producer
BPF_OBJS	:= $(addprefix $(BUILD)/bpf/,$(addsuffix .bpf.o,$(BPF_PROGS)))
BPF_TEST_OBJS	:= $(addprefix $(BUILD)/bpf/,$(addsuffix .bpf.o,$(BPF_TEST_PROGS)))
BPF_SKELS	:= $(addprefix $(BUILD)/bpf/,$(addsuffix .skel.h,$(BPF_PROGS) $(BPF_TEST_PROGS)))

bpf: $(BPF_OBJS) $(BPF_TEST_OBJS) $(BPF_SKELS)

# vmlinux.h from the oldest supported kernel's BTF, so programs only use
# what 6.1 has; CO-RE relocates field offsets on newer kernels.
$(BUILD)/bpf/vmlinux.h: scripts/vmlinux-btf
	@mkdir -p $(@D)
	scripts/vmlinux-btf /boot/vmlinuz-$(KERNEL_61) $(BUILD)/bpf/vmlinux.btf
	$(BPFTOOL) btf dump file $(BUILD)/bpf/vmlinux.btf format c > $@.tmp
	mv $@.tmp $@

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(BUILD)/bpf/vmlinux.h $(wildcard include/uapi/cylcomed/*.h bpf/*.h)
	$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror \
		-I$(BUILD)/bpf -Iinclude/uapi -c $< -o $@
	$(LLVM_STRIP) -g $@

$(BUILD)/bpf/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $* > $@.tmp
	mv $@.tmp $@

# --- agent, cylctl, tests (fragments, one per area) ---
include agent/agent.mk
include tests/sim/sim.mk
include tests/unit/unit.mk
include tests/cli/cli.mk
include tests/fuzz/fuzz.mk
include tests/bench/bench.mk

tools: $(SIM_BINS)

# --- checks and demo ---
check: $(SETUP_STAMP)
	$(MAKE) all kmod-all unit-tests fuzz-targets bench-tools
	scripts/check

demo: $(SETUP_STAMP)
	$(MAKE) all kmod-all
	scripts/demo

# Not part of check: it measures, it asserts nothing.
BENCH_KERNEL	?= 6.12
bench: $(SETUP_STAMP)
	$(MAKE) all kmod-all bench-tools
	scripts/vmtest --kernel $(BENCH_KERNEL) -- tests/bench/ringbuf.sh
	$(BUILD)/tests/bench/event_encode
	$(BUILD)/tests/bench/risklog
	$(BUILD)/tests/bench/pairing
	$(BUILD)/tests/bench/abe
	$(BUILD)/tests/bench/ssi
	$(BUILD)/tests/bench/detect
	scripts/vmtest --kernel $(BENCH_KERNEL) -- tests/bench/ldisc.sh

# --- install ---
install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBDIR_CYL)/bpf \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(SYSCONFDIR)/cylcomed $(DESTDIR)$(DKMSDIR)/include/uapi/cylcomed \
		$(DESTDIR)$(SYSCONFDIR)/mender/scripts \
		$(DESTDIR)$(MENDERMODDIR)
	install -m 0755 $(AGENT_BINS) $(DESTDIR)$(SBINDIR)/
	install -m 0644 $(BPF_OBJS) $(DESTDIR)$(LIBDIR_CYL)/bpf/
	install -m 0644 Documentation/man/*.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 packaging/cylcomedd.service $(DESTDIR)$(UNITDIR)/
	install -m 0600 etc/policy.yaml $(DESTDIR)$(SYSCONFDIR)/cylcomed/policy.yaml
	# Mender state scripts (Documentation/mender.md): Mender runs the
	# Download one from here; the Artifact ones belong in the artifact.
	install -m 0755 mender/scripts/*_cylcomed $(DESTDIR)$(SYSCONFDIR)/mender/scripts/
	install -m 0644 mender/scripts/version $(DESTDIR)$(SYSCONFDIR)/mender/scripts/
	install -m 0755 mender/modules/cylcomed-bundle $(DESTDIR)$(MENDERMODDIR)/
	install -m 0644 $(KMOD_SOURCES) kmod/Kbuild kmod/Makefile $(DESTDIR)$(DKMSDIR)/
	install -m 0644 include/uapi/cylcomed/*.h $(DESTDIR)$(DKMSDIR)/include/uapi/cylcomed/
	sed 's/@VERSION@/$(VERSION)/' packaging/dkms.conf > $(DESTDIR)$(DKMSDIR)/dkms.conf

clean:
	-$(MAKE) -C kmod clean
	rm -rf $(BUILD)

.PHONY: all setup kmod kmod-all bpf tools check demo bench install clean
.DELETE_ON_ERROR:
