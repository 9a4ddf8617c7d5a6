# podflame — one entry point: make, make test, make demo, make bench, make fuzz.
#
# Out-of-tree: every generated file (vmlinux.h, BPF object, skeleton, objects,
# test binaries) lives under $(BUILD). V=1 prints full commands.
# SANITIZE=1 builds everything with ASan+UBSan into build/san/ so the two
# builds never mix objects.

.DELETE_ON_ERROR:
.SUFFIXES:

SANITIZE ?= 0
ifeq ($(SANITIZE),1)
BUILD ?= build/san
else
BUILD ?= build
endif
PREFIX ?= /usr/local

CC ?= cc
CLANG ?= clang
BPFTOOL ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
PKG_CONFIG ?= pkg-config
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# libbpf 1.1 is Debian 12's; no API newer than it is used.
LIBBPF_MIN := 1.1.0
DEPS_CFLAGS := $(shell $(PKG_CONFIG) --cflags libbpf libelf zlib 2>/dev/null)
DEPS_LIBS := $(shell $(PKG_CONFIG) --libs libbpf libelf zlib 2>/dev/null || echo -lbpf -lelf -lz)

WARN := -Wall -Wextra -Werror -Wshadow -Wno-missing-field-initializers
CFLAGS ?= -O2 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE $(WARN) -I$(BUILD) -Iuser -I. $(DEPS_CFLAGS)
LDLIBS += $(DEPS_LIBS) -lm
ifeq ($(SANITIZE),1)
override CC := $(CLANG)
override CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
override LDFLAGS += -fsanitize=address,undefined
endif

# ---- sources ---------------------------------------------------------------
# Libraries are globbed so a new module is one new file, no Makefile edit.
FG_SRCS   := $(sort $(wildcard flamegraph/*.c))
USER_SRCS := $(sort $(wildcard user/*.c user/sym/*.c))
CMD_MAIN  := user/main.c
LIB_SRCS  := $(filter-out $(CMD_MAIN),$(USER_SRCS)) $(FG_SRCS)
LIB_OBJS  := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
MAIN_OBJ  := $(BUILD)/obj/$(CMD_MAIN:.c=.o)

# Text assets (JS, CSS) embedded as C strings: flamegraph/assets/NAME.EXT
# becomes the symbol fg_asset_NAME_EXT in $(BUILD)/gen/assets.c.
ASSETS    := $(sort $(wildcard flamegraph/assets/*))
ASSETS_C  := $(BUILD)/gen/assets.c
ASSETS_O  := $(BUILD)/obj/gen/assets.o

BPF_SRC   := bpf/profile.bpf.c
BPF_OBJ   := $(BUILD)/profile.bpf.o
SKEL      := $(BUILD)/profile.skel.h
VMLINUX_BTF_PATHS ?= /sys/kernel/btf/vmlinux /boot/vmlinux-$(shell uname -r)
VMLINUX_BTF ?= $(firstword $(wildcard $(VMLINUX_BTF_PATHS)))

BIN       := $(BUILD)/podflame

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
TEST_HELPER_SRCS := $(sort $(wildcard tests/helpers/*.c))
TEST_HELPER_BINS := $(patsubst tests/helpers/%.c,$(BUILD)/tests/helpers/%,$(TEST_HELPER_SRCS))

FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRCS))
FUZZ_SECONDS ?= 60

DEPS := $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_BINS:=.d) $(TEST_HELPER_BINS:=.d)

.PHONY: all clean test test-bins check demo bench fuzz fuzz-smoke install lint deps
all: $(BIN) $(TEST_HELPER_BINS)

deps:
	$(Q)scripts/install-deps.sh

# ---- BPF -------------------------------------------------------------------
# vmlinux.h from the running kernel's BTF; the small checked-in fallback when
# there is no BTF or no bpftool at build time (CO-RE relocates at load time).
$(BUILD)/vmlinux.h: | $(BUILD)
ifdef VMLINUX_H
	$(call msg,VMLINUX,$(VMLINUX_H))cp $(VMLINUX_H) $@
else
	$(call msg,VMLINUX,$@)if [ -n "$(VMLINUX_BTF)" ] && [ -x "$(BPFTOOL)" ]; then \
		$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@; \
	else \
		echo "note: no kernel BTF or bpftool at build time; using bpf/vmlinux_fallback.h" >&2; \
		cp bpf/vmlinux_fallback.h $@; \
	fi
endif

# -mcpu=v3 for the atomic compare-and-exchange the counts table claims slots
# with (kernel 5.12; bpf_loop already needs 5.17).
$(BPF_OBJ): $(BPF_SRC) bpf/profile.h $(BUILD)/vmlinux.h
	$(call msg,BPF,$@)$(CLANG) -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) \
		-I$(BUILD) -Ibpf $(filter-out -I%libbpf%,$(DEPS_CFLAGS)) -c $< -o $@
	$(Q)llvm-strip -g $@ 2>/dev/null || true

$(SKEL): $(BPF_OBJ)
	$(call msg,GEN-SKEL,$@)$(BPFTOOL) gen skeleton $< name profile_bpf > $@

# ---- user space ------------------------------------------------------------
$(ASSETS_C): $(ASSETS) scripts/embed-assets.sh | $(BUILD)
	$(call msg,EMBED,$@)mkdir -p $(dir $@) && scripts/embed-assets.sh $(ASSETS) > $@

$(BUILD)/obj/%.o: %.c | $(BUILD)
	$(call msg,CC,$<)mkdir -p $(dir $@) && $(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(ASSETS_O): $(ASSETS_C)
	$(call msg,CC,$<)mkdir -p $(dir $@) && $(CC) $(CFLAGS) -Wno-overlength-strings -c $< -o $@

# Anything that includes the skeleton must wait for it.
$(LIB_OBJS) $(MAIN_OBJ): | $(SKEL)

$(BUILD)/libpodflame.a: $(LIB_OBJS) $(ASSETS_O)
	$(call msg,AR,$@)rm -f $@ && ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(BUILD)/libpodflame.a
	$(call msg,LINK,$@)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD):
	$(Q)mkdir -p $(BUILD)

# ---- tests -----------------------------------------------------------------
$(BUILD)/tests/%: tests/unit/%.c tests/unit/check.h $(BUILD)/libpodflame.a
	$(call msg,CC,$<)mkdir -p $(dir $@) && $(CC) $(CFLAGS) -Itests/unit -MMD -MP -MF $@.d \
		$(LDFLAGS) $< $(BUILD)/libpodflame.a $(LDLIBS) -o $@

# Test workloads need a frame pointer in every function, leaves included;
# GCC 12 drops it in leaves despite -mno-omit-leaf-frame-pointer, clang keeps it.
$(BUILD)/tests/helpers/%: tests/helpers/%.c
	$(call msg,CC,$<)mkdir -p $(dir $@) && $(CLANG) -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g \
		-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-inline \
		-MMD -MP -MF $@.d $< -o $@ -lpthread

# The whole suite, as CI runs it, with one closing tally: unit, real-BPF
# integration and browser tests on this build, the same again under
# ASan+UBSan, and a short run of every fuzz target (past findings first).
# tests/run.sh [PATTERN] runs one pass, or a subset, on the current build.
test-bins: $(BIN) $(UNIT_BINS) $(TEST_HELPER_BINS)

test: test-bins
	$(Q)$(MAKE) --no-print-directory SANITIZE=1 test-bins
	$(Q)$(MAKE) --no-print-directory $(FUZZ_BINS)
	$(Q)FUZZ_SECONDS=$${FUZZ_SECONDS:-15} tests/run-all.sh $(FUZZ_BINS)

# Fast subset for the edit loop: unit tests only.
check: $(UNIT_BINS)
	$(Q)BUILD=$(BUILD) tests/run.sh --unit-only

# ---- fuzzing ---------------------------------------------------------------
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -Iuser -I. -Ibuild $(DEPS_CFLAGS)
FUZZ_LIB_SRCS := $(filter-out user/cmd_%.c user/record.c user/recording.c user/sampler.c,$(LIB_SRCS))

build/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB_SRCS) $(ASSETS_C)
	$(call msg,FUZZ-CC,$<)mkdir -p $(dir $@) && $(CLANG) $(FUZZ_CFLAGS) $^ $(DEPS_LIBS) -lm -o $@

fuzz: $(FUZZ_BINS)
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_BINS)

fuzz-smoke: $(FUZZ_BINS)
	$(Q)FUZZ_SECONDS=$${FUZZ_SECONDS:-20} tests/fuzz/run.sh $(FUZZ_BINS)

# ---- user-facing jobs ------------------------------------------------------
# A fresh machine has nothing to build with yet: install first, then build.
demo:
	$(Q)scripts/install-deps.sh
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/demo.sh

bench: $(BIN) $(TEST_HELPER_BINS)
	$(Q)BUILD=$(BUILD) tests/bench/run.sh

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/podflame

lint:
	clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h' | grep -v vmlinux_fallback)
	shellcheck -x -P SCRIPTDIR scripts/*.sh tests/*.sh tests/*/*.sh

clean:
	rm -rf build

-include $(DEPS)
