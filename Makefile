# tapegrad's front door. Every target first installs any missing Debian package (scripts/install-deps.sh),
# then configures and builds a CMake preset (release unless PRESET= says otherwise). `make` alone builds.
PRESET ?= release
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
BUILD_DIR := $(if $(filter release,$(PRESET)),build,build-$(PRESET))
BIN := $(BUILD_DIR)/bin
OUT ?= out
PREFIX ?= /usr/local
DEMOS := tensors_demo inverse_demo svd_demo

# The builds' make runs inside this one: without this each of its directories says "Entering/Leaving directory".
MAKEFLAGS += --no-print-directory

.DEFAULT_GOAL := build
.PHONY: help deps configure build test demo demo-image install fuzz bench docs bench-pytorch clean

help:
	@echo "make                 build everything (the release preset: build/, programs in build/bin/)"
	@echo "make test            build, then run every test (ctest)"
	@echo "make demo            build the three demos only, and run them (plots and CSV in OUT=out/)"
	@echo "make demo-image      a photograph by descent: camera.png (from Debian's python3-skimage) at ranks 1, 5, 20, 50; IMAGE= any picture"
	@echo "make install         install the library, its headers and its CMake package under PREFIX=/usr/local"
	@echo "make fuzz            fuzz the matrix-file reader for FUZZ_SECONDS=60 (libFuzzer; installs clang-14)"
	@echo "make bench           run the benchmarks and regenerate docs/benchmarks.md and the docs' generated numbers"
	@echo "make docs            fill the docs' generated blocks from the programs (make bench does it too)"
	@echo "make bench-pytorch   time the tutorial's PyTorch loops (installs python3-torch) for the report"
	@echo "make clean           remove the builds"
	@echo "Options: PRESET=release|debug|asan  JOBS=$(JOBS)  CMAKE_FLAGS=-D...  OUT=out  PREFIX=/usr/local"

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) $(CMAKE_FLAGS) --log-level=WARNING > /dev/null

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

test: build
	@ctest --preset $(PRESET) -j $(JOBS)

install: build
	@cmake --install $(BUILD_DIR) --prefix $(PREFIX)

# svd_demo's verdict on the tutorial's M3 is exit status 4: the tutorial's method does not converge there in its
# 20,000 steps (docs/svd.md), and the demo says so. That is the lesson, not a failure of make demo.
demo: configure
	@cmake --build --preset $(PRESET) -j $(JOBS) --target $(DEMOS) > $(BUILD_DIR)/demo-build.log 2>&1 \
	    || { cat $(BUILD_DIR)/demo-build.log; exit 1; }
	@$(BIN)/tensors_demo --out $(OUT)
	@$(BIN)/inverse_demo --out $(OUT)
	@$(BIN)/svd_demo --out $(OUT) || [ $$? -eq 4 ]
	@echo "In $(OUT)/: the plots and the tapes' graphs (SVG: open them in a browser), drawn by gnuplot and Graphviz"
	@echo "from the CSV, .gp and .dot files beside them:" && ls $(OUT)

# A photograph by descent (image_demo, issue 14): camera.png, taken once from Debian's python3-skimage into the build
# tree (scripts/fetch-sample-image.sh), at ranks 1, 5, 20 and 50. IMAGE= runs it on any picture instead.
IMAGE ?= $(BUILD_DIR)/images/camera.png
demo-image: configure
	@cmake --build --preset $(PRESET) -j $(JOBS) --target image_demo > $(BUILD_DIR)/demo-build.log 2>&1 \
	    || { cat $(BUILD_DIR)/demo-build.log; exit 1; }
	@if [ "$(IMAGE)" = "$(BUILD_DIR)/images/camera.png" ]; then bash scripts/fetch-sample-image.sh $(BUILD_DIR)/images camera.png; fi
	@$(BIN)/image_demo --image $(IMAGE) --out $(OUT)

# The benchmarks (bench/), short: one step, LAPACK and whole-solve families, three repetitions each (the report
# takes their medians), the whole solves at scale up to 128×128, and the 5 largest triplets at 1000×500 and
# 2000×1000 (under half a minute more). The gemm_crossover family, the scale families' larger sizes and the
# truncated SVD's other k and 4000×2000 (minutes) are left out: BENCH_FILTER=gemm_crossover or '^scale_' runs
# them. Then the
# robust methods on the full test suite (docs/suite_*.txt), the methods' convergence plots (docs/img/*_methods.svg),
# and the report: docs/benchmarks.md, docs/benchmarks.svg, docs/benchmarks_inverse.svg; then the docs' generated
# blocks (scripts/generate-docs.sh). Five repetitions, interleaved at random, and the report takes each benchmark's
# median: on a shared machine a core's speed drifts from minute to minute, and interleaved, the drift falls on
# neither half of a ratio in the report (tape ÷ hand-derived) systematically. The plots are drawn by
# gnuplot from the CSV beside each (io/plots/ has the scripts). More flags: BENCH_FLAGS=.
BENCH_FILTER ?= ^((svd|inverse)_|scale_(svd|inverse)/[a-z+-]+/([0-9]|[0-9][0-9]|1[0-2][0-9])$$|scale_truncated/[a-z]+/[a-z-]+/(1000/500|2000/1000)(/5)?$$)
BENCH_FLAGS ?=
BENCH_OUT := $(BUILD_DIR)/bench
bench: build
	@mkdir -p $(BENCH_OUT)
	@$(BIN)/tapegrad_bench --benchmark_filter='$(BENCH_FILTER)' --benchmark_min_time=0.1 \
	    --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true \
	    --benchmark_out=$(BENCH_OUT)/results.json --benchmark_out_format=json $(BENCH_FLAGS)
	@$(BIN)/svd_suite trust-region full --all > docs/suite_svd.txt
	@$(BIN)/inverse_suite full conjugate_gradient newton_schulz > docs/suite_inverse.txt
	@$(BIN)/tapegrad_method_plots --out docs/img
	@$(BIN)/tapegrad_report --results $(BENCH_OUT)/results.json --pytorch $(BENCH_OUT)/pytorch.json --out docs
	@bash scripts/generate-docs.sh

# The docs' generated blocks alone (scripts/generate-docs.sh): the numbers of docs/svd.md, from the programs.
docs: build
	@bash scripts/generate-docs.sh

# The tutorial's own PyTorch loops, timed (bench/pytorch_reference.py), for the report's PyTorch columns. Not
# part of CI: it installs Debian's python3-torch (large) and runs the script with Debian's python3, the one that
# package installs into. The report is rewritten if make bench has results; else run make bench next.
PYTHON ?= /usr/bin/python3
bench-pytorch: build
	@bash scripts/install-deps.sh python3-torch
	@mkdir -p $(BENCH_OUT)
	@$(PYTHON) bench/pytorch_reference.py --out $(BENCH_OUT)/pytorch.json
	@if [ -f $(BENCH_OUT)/results.json ]; then \
	    $(BIN)/tapegrad_report --results $(BENCH_OUT)/results.json --pytorch $(BENCH_OUT)/pytorch.json --out docs; \
	else echo "now run: make bench"; fi

# The matrix-file reader fuzzed by libFuzzer for FUZZ_SECONDS (tests/fuzz/), seeded with the tutorial's matrix
# files; what it finds new is kept in build-fuzz/corpus for the next run. Installs Debian's clang-14 and its
# fuzzer runtime, which only this target needs. FUZZ_SEED=1 by default, so that a run (CI's) can be repeated
# input for input; FUZZ_SEED=0 lets libFuzzer pick one.
FUZZ_SECONDS ?= 60
FUZZ_SEED ?= 1
fuzz:
	@bash scripts/install-deps.sh clang-14 libclang-rt-14-dev
	@cmake --preset fuzz --log-level=WARNING > /dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	@mkdir -p build-fuzz/corpus
	@build-fuzz/bin/fuzz_matrix_file -max_total_time=$(FUZZ_SECONDS) -seed=$(FUZZ_SEED) -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 build-fuzz/corpus io/data

clean:
	rm -rf build build-*
