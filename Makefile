# casebook — the targets the README names.
#   make demo   install dependencies if missing, build, run casebook on the bundled example
#   make test   install dependencies if missing, build, run every test (unit + CLI)
#   make test-asan   the test suite again under AddressSanitizer + UndefinedBehaviorSanitizer
#   make test-valgrind   unit tests and `casebook ls` on every fixture under valgrind
#   make fuzz   build the libFuzzer targets with clang and run each for FUZZ_SECONDS (docs/testing.md)
#   make bench  the side-by-side benchmarks (slow; see docs/performance.md)
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 20
MESON_OPTS ?= --buildtype=debugoptimized -Dwerror=true

.PHONY: all deps build demo test test-asan test-valgrind fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	@scripts/install-deps.sh
	meson setup $(BUILD) $(MESON_OPTS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

demo: build
	@python3 examples/bundles/generate.py $(BUILD)/examples >/dev/null
	./$(BUILD)/casebook triage $(BUILD)/examples/replication-mtu.tar.gz -p examples/playbooks

test: build
	meson test -C $(BUILD) --print-errorlogs
	@python3 scripts/test-summary.py $(BUILD)

$(ASAN_BUILD)/build.ninja:
	@scripts/install-deps.sh
	meson setup $(ASAN_BUILD) --buildtype=debug -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false

test-asan: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C $(ASAN_BUILD) --print-errorlogs
	@python3 scripts/test-summary.py $(ASAN_BUILD)

test-valgrind: build
	scripts/valgrind-check.sh $(BUILD)

# A separate clang build: the library instrumented for libFuzzer, ASan and UBSan; the gcc builds are untouched.
$(FUZZ_BUILD)/build.ninja:
	@scripts/install-deps.sh
	CC=clang meson setup $(FUZZ_BUILD) --buildtype=debugoptimized -Dwerror=true -Dtests=false -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false

fuzz: deps $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD)
	scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	bench/lines.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
