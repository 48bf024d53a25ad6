"""The course's tau sweep as the seed notebook writes it, timed in PyTorch.

The walk is built one step at a time in a Python loop: a straight-through
Gumbel-Softmax draw on the logits [log theta, log(1 - theta)], a masked step
x[-1] + 2 xi - 1, and torch.hstack to grow the path. Each Jacobian sample is
torch.autograd.functional.jacobian(..., vectorize=True) of that walk.
"""
import torch
import torch.nn.functional as F

from torch_common import parse_args, run, sweep


def random_walk(theta, n_timesteps, tau=0.1):
    x = torch.tensor([0.0])
    for _ in range(n_timesteps - 1):
        logits = torch.hstack((theta, 1 - theta)).log()
        xi = F.gumbel_softmax(logits, tau=tau, hard=True)[0]
        next_x = x[-1] + 2 * xi - 1
        x = torch.hstack((x, next_x))
    return x


if __name__ == "__main__":
    run("torch-seed-loop", lambda: sweep(random_walk), parse_args(__doc__))
