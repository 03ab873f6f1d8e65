# tapegrad's front door. Every target first installs any missing Debian package (scripts/install-deps.sh),
# then configures and builds a CMake preset (release unless PRESET= says otherwise).
PRESET ?= release
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
BUILD_DIR := $(if $(filter release,$(PRESET)),build,build-$(PRESET))
BIN := $(BUILD_DIR)/bin
OUT ?= out

.PHONY: deps build test demo bench bench-pytorch clean

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake --preset $(PRESET) $(CMAKE_FLAGS) --log-level=WARNING
	@cmake --build --preset $(PRESET) -j $(JOBS)

test: build
	@ctest --preset $(PRESET) -j $(JOBS)

demo: build
	@$(BIN)/tensors_demo --out $(OUT)
	@$(BIN)/inverse_demo --out $(OUT)
	@$(BIN)/svd_demo --out $(OUT)
	@echo "The plots (open them in a browser) and the loss CSVs are in $(OUT)/:" && ls $(OUT)

# The step, LAPACK and gemm-crossover benchmarks (bench/); pass more flags with BENCH_FLAGS=.
BENCH_FLAGS ?=
bench: build
	@$(BIN)/tapegrad_bench --benchmark_min_time=0.2 $(BENCH_FLAGS)

clean:
	rm -rf build build-*
