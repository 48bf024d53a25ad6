"""The course's agent-based SIR model in PyTorch, timed for bench/sections/40-sir.js.

Two versions of the model: the course's code as written (the fraction infected
is Python's built-in `sum` over the agents' tensor, one scalar addition per
agent) and the same code with a tensor `sum`. Both draw every state change with
`torch.nn.functional.gumbel_softmax(..., hard=True)` on the logits
[log p, log(1 - p)], as the course does.

Two workloads, each timed in-process after one warm-up call:
- an epoch of the fit: a simulation at (10^u_beta, 10^u_gamma), the L2 loss
  against fixed observations, its gradient, norm clipping at 1 and an Adam step;
- the Jacobian of the daily infections and recoveries with respect to
  (beta, gamma), `torch.autograd.functional.jacobian(..., vectorize=True)`.

Prints one JSON object: seconds per call of each workload and version, and
the operations per step of the vectorised epoch with the time of a small one.
"""
import argparse
import json
import platform
import sys
import time

import torch

N_AGENTS = 1000
N_TIMESTEPS = 60
DELTA_T = 1.0
INITIAL_FRACTION_INFECTED = 0.01
TRUE_BETA = 0.2
TRUE_GAMMA = 0.05


def sample_bernoulli(p, tau):
    logits = torch.vstack([p, 1 - p]).t().log()
    return torch.nn.functional.gumbel_softmax(logits=logits, tau=tau, hard=True)[:, 0]


def make_sir(total):
    """The course's model; `total` adds up the infected indicators."""

    def sir(beta, gamma, initial_fraction_infected, n_agents, n_timesteps, delta_t, tau=0.5):
        I = sample_bernoulli(initial_fraction_infected * torch.ones(n_agents), tau)
        S = 1.0 - I
        R = torch.zeros(n_agents)
        infections_per_timestep = torch.tensor([])
        recoveries_per_timestep = torch.tensor([])
        for _ in range(n_timesteps):
            probs_infected = S * (1.0 - torch.exp(-beta * total(I) / n_agents * delta_t))
            probs_infected = torch.clip(probs_infected, 1e-8, 1.0)
            is_infected = sample_bernoulli(probs_infected, tau)
            probs_recovery = I * (1.0 - torch.exp(-gamma * delta_t))
            probs_recovery = torch.clip(probs_recovery, 1e-8, 1.0)
            is_recovered = sample_bernoulli(probs_recovery, tau)
            S = S - is_infected
            I = I + is_infected - is_recovered
            R = R + is_recovered
            infections_per_timestep = torch.hstack((infections_per_timestep, is_infected.sum() / n_agents))
            recoveries_per_timestep = torch.hstack((recoveries_per_timestep, is_recovered.sum() / n_agents))
        return infections_per_timestep, recoveries_per_timestep

    return sir


VERSIONS = {
    "course": make_sir(sum),  # Python's built-in sum, as the course writes it
    "vectorized": make_sir(torch.sum),
}


def epoch_runner(sir):
    """One epoch of the course's fit, from log10 = 0, as a closure."""
    with torch.no_grad():
        obs_inf, obs_rec = sir(torch.tensor(TRUE_BETA), torch.tensor(TRUE_GAMMA), INITIAL_FRACTION_INFECTED, N_AGENTS, N_TIMESTEPS, DELTA_T)
    log_beta = torch.tensor(0.0, requires_grad=True)
    log_gamma = torch.tensor(0.0, requires_grad=True)
    optimizer = torch.optim.Adam([log_beta, log_gamma], lr=0.05)

    def epoch():
        optimizer.zero_grad()
        inf, rec = sir(10**log_beta, 10**log_gamma, INITIAL_FRACTION_INFECTED, N_AGENTS, N_TIMESTEPS, DELTA_T)
        loss = torch.sum((inf - obs_inf) ** 2 + (rec - obs_rec) ** 2)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([log_beta, log_gamma], 1)
        optimizer.step()
        # Start every timed epoch from the same point.
        with torch.no_grad():
            log_beta.zero_()
            log_gamma.zero_()
        return loss.item()

    return epoch


def jacobian_runner(sir):
    def faux(x):
        beta, gamma = x
        return sir(beta, gamma, INITIAL_FRACTION_INFECTED, N_AGENTS, N_TIMESTEPS, DELTA_T)

    def jac():
        return torch.autograd.functional.jacobian(faux, torch.tensor([TRUE_BETA, TRUE_GAMMA]), vectorize=True)

    return jac


def timed(run, repeats):
    run()  # warm-up
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        out.append(time.perf_counter() - start)
    return out


def operation_counts():
    """Top-level operations (ATen calls and backward nodes) per simulated step in one epoch of the vectorised version, and the
    median time of a small one (a product of [2, N_AGENTS] tensors), in microseconds."""
    epoch = epoch_runner(VERSIONS["vectorized"])
    epoch()
    with torch.autograd.profiler.profile() as prof:
        epoch()
    # Forward ATen calls and backward nodes (autograd::engine::evaluate_function), each counted once.
    top = [e for e in prof.function_events if e.cpu_parent is None]
    a = torch.ones(2, N_AGENTS)
    reps = 2000
    times = []
    for _ in range(5):
        x = a
        start = time.perf_counter()
        for _ in range(reps):
            x = x * 1.0001
        times.append((time.perf_counter() - start) / reps * 1e6)
    times.sort()
    return {"opsPerStep": len(top) / N_TIMESTEPS, "usPerOp": times[len(times) // 2]}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--versions", default="course,vectorized")
    parser.add_argument("--workloads", default="epoch,jacobian")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    seconds = {}
    counts = operation_counts()
    for version in args.versions.split(","):
        sir = VERSIONS[version]
        for workload in args.workloads.split(","):
            run = epoch_runner(sir) if workload == "epoch" else jacobian_runner(sir)
            seconds[f"{workload}-{version}"] = timed(run, args.repeats)
    json.dump(
        {"seconds": seconds, "counts": counts, "threads": torch.get_num_threads(), "torch": torch.__version__, "python": platform.python_version()},
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
