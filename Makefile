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

# svd_demo's verdict on the tutorial's M3 is exit status 4: the tutorial's method does not converge there in its
# 20,000 steps (docs/svd.md), and the demo says so. That is the lesson, not a failure of make demo.
demo: build
	@$(BIN)/tensors_demo --out $(OUT)
	@$(BIN)/inverse_demo --out $(OUT)
	@$(BIN)/svd_demo --out $(OUT) || [ $$? -eq 4 ]
	@echo "In $(OUT)/: the plots and the tapes' graphs (SVG: open them in a browser), drawn by gnuplot and Graphviz"
	@echo "from the CSV, .gp and .dot files beside them:" && ls $(OUT)

# The benchmarks (bench/), short: one step, LAPACK and whole-solve families, three repetitions each (the report
# takes their medians), and the whole solves at scale up to 128×128. The gemm_crossover family, the scale families'
# larger sizes and the truncated SVD (minutes) are left out: BENCH_FILTER=gemm_crossover or '^scale_' runs them. Then the
# robust methods on the full test suite (docs/suite_*.txt), the methods' convergence plots (docs/img/*_methods.svg),
# and the report: docs/benchmarks.md, docs/benchmarks.svg, docs/benchmarks_inverse.svg. The plots are drawn by
# gnuplot from the CSV beside each (io/plots/ has the scripts). More flags: BENCH_FLAGS=.
BENCH_FILTER ?= ^((svd|inverse)_|scale_(svd|inverse)/[a-z+-]+/([0-9]|[0-9][0-9]|1[0-2][0-9])$$)
BENCH_FLAGS ?=
BENCH_OUT := $(BUILD_DIR)/bench
bench: build
	@mkdir -p $(BENCH_OUT)
	@$(BIN)/tapegrad_bench --benchmark_filter='$(BENCH_FILTER)' --benchmark_min_time=0.1 \
	    --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
	    --benchmark_out=$(BENCH_OUT)/results.json --benchmark_out_format=json $(BENCH_FLAGS)
	@$(BIN)/svd_suite trust-region full --all > docs/suite_svd.txt
	@$(BIN)/inverse_suite full conjugate_gradient newton_schulz > docs/suite_inverse.txt
	@$(BIN)/tapegrad_method_plots --out docs/img
	@$(BIN)/tapegrad_report --results $(BENCH_OUT)/results.json --pytorch $(BENCH_OUT)/pytorch.json --out docs

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

clean:
	rm -rf build build-*
