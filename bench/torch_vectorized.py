"""The course's tau sweep with a vectorised walk, timed in PyTorch.

All T - 1 steps are drawn by one gumbel_softmax call on the logits broadcast to
[T - 1, 2], and the positions are a cumulative sum, so a walk is a handful of
tensor operations instead of a Python loop. Each Jacobian sample is still one
torch.autograd.functional.jacobian(..., vectorize=True) call, as in the seed.
"""
import torch
import torch.nn.functional as F

from torch_common import parse_args, run, sweep


def random_walk(theta, n_timesteps, tau=0.1):
    logits = torch.stack((theta, 1 - theta)).log().expand(n_timesteps - 1, 2)
    xi = F.gumbel_softmax(logits, tau=tau, hard=True)[:, 0]
    steps = 2 * xi - 1
    return torch.cat((torch.zeros(1), torch.cumsum(steps, 0)))


if __name__ == "__main__":
    run("torch-vectorized", lambda: sweep(random_walk), parse_args(__doc__))
