#!/usr/bin/env python3
"""The tutorial's own PyTorch loops, timed, for the PyTorch column of docs/benchmarks.md.

    make bench-pytorch                  # installs python3-torch, writes build/bench/pytorch.json
    python3 bench/pytorch_reference.py --out build/bench/pytorch.json

It times one descent step of each tutorial loop at the sizes of bench/bench_steps.cpp (svd_step_*: 5x4 up to
512x512; inverse_step_*: 4x4 up to 512x512), in float64 on one thread, as the tape is timed: the same update
(p -= lr * p.grad; p.grad *= momentum, the tutorial's hand-written momentum), the same lr 1e-3 that keeps every
size finite. Then it times the whole tutorial run: 20,000 SVD steps on the tutorial's M1 (io/data).

Times are CPU time of this process (time.process_time), as Google Benchmark's cpu_time, because the benchmark
machine is shared and wall time would count the other jobs too. Each size: a warm-up, then several timed runs
of as many steps as fit the size's time budget; the step time is the median run's time over its steps.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import sys
import sysconfig
import time

# One thread for the BLAS under torch as well: torch.set_num_threads sets torch's own pool, but Debian's torch
# calls OpenBLAS, which starts its own threads unless told before it loads.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

try:
    import torch
except ImportError:
    sys.exit(f"pytorch_reference.py: PyTorch is not installed for {sys.executable}.\n"
             "Install Debian's package (as root: apt-get install --no-install-recommends python3-torch), "
             "or run `make bench-pytorch`, which does that and runs this script with /usr/bin/python3.")

SVD_SHAPES = [(5, 4), (16, 16), (64, 64), (256, 256), (512, 512)]
INVERSE_SIZES = [4, 16, 64, 256, 512]
STEP_LR, MOMENTUM = 1e-3, 0.9          # bench/bench_steps.cpp's step_options
TUTORIAL_LR, TUTORIAL_STEPS = 0.9, 20000  # the tutorial's SVD run (linalg/svd.hpp's defaults)
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "io", "data")

mse = torch.nn.functional.mse_loss


def svd_loss_tutorial(U, d, V, M, I):
    """The tutorial's loss as it writes it: U @ diag(d²) @ Vᵀ, a k×k product more than the tape does."""
    return mse(U @ torch.diag(d * d) @ V.T, M) + mse(U.T @ U, I) / 100 + mse(V.T @ V, I) / 100


def svd_loss_broadcast(U, d, V, M, I):
    """The same numbers with d² broadcast over U's columns, the arithmetic linalg/losses.cpp records."""
    return mse((U * (d * d)) @ V.T, M) + mse(U.T @ U, I) / 100 + mse(V.T @ V, I) / 100


def inverse_loss(X, M, I):
    return mse(X @ M, I)


def momentum_step(params, lr):
    """The tutorial's update: keep the gradient, scaled, as the next step's momentum."""
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
            p.grad *= MOMENTUM


def make_step(loss_fn, params, constants, lr):
    def step():
        loss = loss_fn(*params, *constants)
        loss.backward()
        momentum_step(params, lr)
        return loss
    return step


def rand(*shape, grad=False):
    return torch.rand(*shape, dtype=torch.float64, requires_grad=grad)


def svd_problem(m, n, loss_fn, lr=STEP_LR, M=None):
    k = min(m, n)
    M = rand(m, n) if M is None else M
    U, d, V = rand(m, k, grad=True), rand(k, grad=True), rand(n, k, grad=True)
    return [U, d, V], make_step(loss_fn, [U, d, V], [M, torch.eye(k, dtype=torch.float64)], lr)


def inverse_problem(n):
    X = rand(n, n, grad=True)
    return [X], make_step(inverse_loss, [X], [rand(n, n), torch.eye(n, dtype=torch.float64)], STEP_LR)


def time_steps(step, budget_s, runs=5, max_steps=20000):
    """Median CPU µs per step over `runs` timed runs, after a warm-up; the runs share budget_s between them."""
    warm_until = time.process_time() + min(0.05, budget_s / 10)
    warm_steps = 0
    while warm_steps < 3 or time.process_time() < warm_until:
        step()
        warm_steps += 1
    start = time.process_time()
    step()
    one = max(time.process_time() - start, 1e-7)
    steps = max(1, min(max_steps, int(budget_s / runs / one)))
    per_step_us, wall_us = [], []
    for _ in range(runs):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for _ in range(steps):
            step()
        per_step_us.append((time.process_time() - cpu0) / steps * 1e6)
        wall_us.append((time.perf_counter() - wall0) / steps * 1e6)
    return {"us_per_step": statistics.median(per_step_us), "wall_us_per_step": statistics.median(wall_us),
            "runs_us_per_step": per_step_us, "steps_per_run": steps}


def all_finite(params):
    return all(bool(torch.isfinite(p).all()) for p in params)


def read_matrix(name):
    rows = []
    with open(os.path.join(DATA, name)) as f:
        for line in f:
            line = line.split("#")[0].strip()
            if line:
                rows.append([float(x) for x in line.replace(",", " ").split()])
    return torch.tensor(rows, dtype=torch.float64)


def tutorial_run(runs):
    """The tutorial's whole SVD: 20,000 momentum steps on M1, lr 0.9, from torch.manual_seed(314) guesses."""
    M = read_matrix("svd_M1_5x4.csv")
    seconds = []
    for _ in range(runs):
        torch.manual_seed(314)
        (U, d, V), step = svd_problem(*M.shape, svd_loss_tutorial, lr=TUTORIAL_LR, M=M)
        start = time.process_time()
        for _ in range(TUTORIAL_STEPS):
            loss = step()
        seconds.append(time.process_time() - start)
    # What the run found, so a reader can tell a converged run from one stuck at a stationary point.
    return {"matrix": "svd_M1_5x4.csv", "steps": TUTORIAL_STEPS, "lr": TUTORIAL_LR, "momentum": MOMENTUM,
            "seconds": statistics.median(seconds), "runs_seconds": seconds, "final_loss": float(loss),
            "singular_values": sorted((float(x) ** 2 for x in d.detach()), reverse=True)}


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def torch_blas():
    """The BLAS torch calls: its build setting (BLAS_INFO=generic on Debian: the system's libblas.so.3) and,
    where that is the system's, the library the Debian alternative points to (OpenBLAS or the reference BLAS)."""
    match = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    info = match.group(1) if match else "unknown"
    system_blas = os.path.join("/usr/lib", sysconfig.get_config_var("MULTIARCH") or "", "libblas.so.3")
    if info == "generic" and os.path.exists(system_blas):
        info += " (libblas.so.3 is " + os.path.realpath(system_blas) + ")"
    return info


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="where to write the JSON results")
    parser.add_argument("--budget", type=float, default=1.5, help="CPU seconds per size and loop (default 1.5)")
    parser.add_argument("--tutorial-runs", type=int, default=3, help="timed runs of the 20,000-step tutorial")
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(1)
    result = {
        "context": {
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "host_name": platform.node(), "cpu": cpu_model(), "num_cpus": os.cpu_count(),
            "python": platform.python_version(), "torch": torch.__version__, "blas": torch_blas(),
            "threads": torch.get_num_threads(),
            "dtype": "float64", "timer": "time.process_time (CPU time)",
        },
        "command": " ".join([sys.executable, "bench/pytorch_reference.py", *sys.argv[1:]]),
        "svd_step_tutorial": [], "svd_step_broadcast": [], "inverse_step": [],
    }
    for key, loss_fn in (("svd_step_tutorial", svd_loss_tutorial), ("svd_step_broadcast", svd_loss_broadcast)):
        for m, n in SVD_SHAPES:
            params, step = svd_problem(m, n, loss_fn)
            timing = time_steps(step, args.budget)
            result[key].append({"m": m, "n": n, **timing, "finite": all_finite(params)})
            print(f"{key} {m}x{n}: {timing['us_per_step']:.2f} us/step", file=sys.stderr)
    for n in INVERSE_SIZES:
        params, step = inverse_problem(n)
        timing = time_steps(step, args.budget)
        result["inverse_step"].append({"n": n, **timing, "finite": all_finite(params)})
        print(f"inverse_step {n}x{n}: {timing['us_per_step']:.2f} us/step", file=sys.stderr)
    result["tutorial_run"] = tutorial_run(args.tutorial_runs)
    print(f"tutorial run: {result['tutorial_run']['seconds']:.3f} s for {TUTORIAL_STEPS} steps", file=sys.stderr)

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
