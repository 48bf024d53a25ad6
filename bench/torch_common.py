"""Shared timing and statistics helpers for the PyTorch side of the benchmark.

The scripts beside this file time the course's tau sweep in PyTorch and print
one JSON object on stdout. Each measures in-process: one untimed warm-up
sweep, then `--repeats` timed sweeps with time.perf_counter.
"""
import argparse
import json
import os
import platform
import sys
import time

import torch

TAUS = [0.1, 0.5, 1.0]
N_GRADIENT_SAMPLES = 50
N_TIMESTEPS = 50
THETA = 0.4


def sweep(random_walk):
    """The course's tau sweep: Jacobian samples of `random_walk` for each tau."""
    theta = torch.tensor(THETA)
    samples = {tau: [] for tau in TAUS}
    for tau in TAUS:
        for _ in range(N_GRADIENT_SAMPLES):
            dx_dtheta = torch.autograd.functional.jacobian(
                lambda th: random_walk(th, N_TIMESTEPS, tau), theta, vectorize=True
            )
            samples[tau].append(dx_dtheta)
    return samples


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeats", type=int, default=3, help="timed sweeps after one warm-up sweep")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="torch.set_num_threads (default: all cores)")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def summarise(samples_per_tau):
    """Mean and variance over samples of each tau's Jacobian, per time step."""
    out = {}
    for tau, grads in samples_per_tau.items():
        stacked = torch.stack(grads).double()  # [n, T]
        out[str(tau)] = {
            "mean": stacked.mean(0).tolist(),
            "var": stacked.var(0, unbiased=True).tolist(),
        }
    return out


def run(name, sweep, args):
    """Times `sweep()` (which returns {tau: [Jacobian, ...]}) and prints JSON."""
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    sweep()  # warm-up: first-call costs (allocator, dispatcher, vmap setup)
    times = []
    last = None
    for _ in range(args.repeats):
        start = time.perf_counter()
        last = sweep()
        times.append(time.perf_counter() - start)
    json.dump(
        {
            "name": name,
            "seconds": times,
            "threads": torch.get_num_threads(),
            "torch": torch.__version__,
            "python": platform.python_version(),
            "stats": summarise(last),
        },
        sys.stdout,
    )
    sys.stdout.write("\n")
