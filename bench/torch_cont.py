"""Cont's threshold model in PyTorch, timed for bench/sections/20-cont.js.

Written from the published description of BlackBIRDS' `RamaCont` model
(Quera-Bofarull, Dyer et al.): one common signal eps_t ~ N(0, sigma^2) per
step; straight-through orders (exact indicators forward, the gradient of
sigmoid(k (eps - nu) / sigma) backward, the `hard + soft - soft.detach()`
idiom); thresholds reset to |r_t| with probability s through
`torch.nn.functional.gumbel_softmax(..., hard=True)` on the logits
[log s, log(1 - s)]. As in diffabm's default, |r_t| enters the thresholds
detached (`--feedback` keeps it in the graph, as BlackBIRDS does).

One workload: a simulation (1,000 agents, 300 steps unless told otherwise)
and the gradient of the scalar loss mean_t r_t^2 with respect to the four
parameters the course calibrates (sigma, eta, s, gamma0; gamma1 fixed),
timed in-process after one warm-up call, with torch.set_num_threads(--threads).

Prints one JSON object: seconds per call.
"""
import argparse
import json
import math
import platform
import sys
import time

import torch

TRUTH = {"sigma": 0.001, "eta": 10.0, "s": 0.05, "gamma0": math.log(0.001), "gamma1": 0.5}


def cont_model(sigma, eta, s, gamma0, gamma1, n_agents, n_timesteps, k=10.0, tau=0.1, feedback=False):
    """Returns r_1..r_T of one simulation, differentiable in the parameters."""
    nu = torch.exp(gamma0 + gamma1 * torch.randn(n_agents))
    logits = torch.stack([torch.log(s), torch.log(1 - s)]).expand(n_agents, 2)
    returns = []
    for _ in range(n_timesteps):
        eps = sigma * torch.randn(())
        soft = torch.sigmoid(k * (eps - nu) / sigma) - torch.sigmoid(k * (-eps - nu) / sigma)
        hard = (eps > nu).float() - (eps < -nu).float()
        order = hard + soft - soft.detach()
        r = order.sum() / (n_agents * eta)
        returns.append(r)
        reset = torch.nn.functional.gumbel_softmax(logits, tau=tau, hard=True)[:, 0]
        size = r.abs() if feedback else r.abs().detach()
        nu = size * reset + (1 - reset) * nu
    return torch.stack(returns)


def simulation_and_gradient(n_agents, n_timesteps, feedback):
    params = {name: torch.tensor(value, requires_grad=name != "gamma1") for name, value in TRUTH.items()}
    r = cont_model(**params, n_agents=n_agents, n_timesteps=n_timesteps, feedback=feedback)
    loss = (r ** 2).mean()
    grads = torch.autograd.grad(loss, [params[name] for name in ("sigma", "eta", "s", "gamma0")])
    return [g.item() for g in grads]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--agents", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--feedback", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    simulation_and_gradient(args.agents, args.steps, args.feedback)  # warm-up
    seconds = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        simulation_and_gradient(args.agents, args.steps, args.feedback)
        seconds.append(time.perf_counter() - start)
    json.dump(
        {
            "seconds": seconds,
            "threads": torch.get_num_threads(),
            "torch": torch.__version__,
            "python": platform.python_version(),
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
