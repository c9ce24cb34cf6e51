"""Batched backpropagation against a lean per-sample loop in the style of Nielsen's network.py.

``net.gradients(X, Y)`` handles a whole batch with one matrix product per layer.  The
reference runs one backprop per sample (column vectors, as network.py does, with the lean
sigmoid ``1 / (1 + np.exp(-z))`` and sigma' as ``a (1 - a)``) and sums.  Both are timed in
alternating rounds, on one BLAS thread, and must agree.  Goal: at 784-100-10 with 256
samples the batch is at least 20 times faster than the loop (median over the rounds).
"""
import common  # first: one BLAS thread, before numpy loads

import numpy as np

from backproplab import Network
from common import alternating, machine, median, ratios, spread

ROUNDS = 21


def lean_loop(weights, biases, X, Y):
    """Gradients of the mean quadratic cost of a sigmoid network, one sample at a time."""
    nabla_W = [np.zeros_like(W) for W in weights]
    nabla_b = [np.zeros_like(b) for b in biases]
    for x, y in zip(X, Y):
        a, acts = x[:, None], [x[:, None]]
        for W, b in zip(weights, biases):
            a = 1 / (1 + np.exp(-(W @ a + b[:, None])))
            acts.append(a)
        delta = (acts[-1] - y[:, None]) * acts[-1] * (1 - acts[-1])
        nabla_b[-1] += delta[:, 0]
        nabla_W[-1] += delta @ acts[-2].T
        for l in range(2, len(weights) + 1):
            delta = (weights[-l + 1].T @ delta) * acts[-l] * (1 - acts[-l])
            nabla_b[-l] += delta[:, 0]
            nabla_W[-l] += delta @ acts[-l - 1].T
    n = len(X)
    return [g / n for g in nabla_W], [g / n for g in nabla_b]


def compare(sizes, n_samples, goal=None):
    rng = np.random.default_rng(0)
    net = Network(sizes, seed=0)
    X = rng.uniform(0, 1, (n_samples, sizes[0]))
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n_samples)]
    weights, biases = list(net.weights), list(net.biases)
    batch_W, batch_b = net.gradients(X, Y)
    loop_W, loop_b = lean_loop(weights, biases, X, Y)
    for g, h in zip([*batch_W, *batch_b], [*loop_W, *loop_b]):
        np.testing.assert_allclose(g, h, rtol=1e-9, atol=1e-15)
    batch = lambda: net.gradients(X, Y)  # noqa: E731
    loop = lambda: lean_loop(weights, biases, X, Y)  # noqa: E731
    # as many batches as take the time of one loop, so that both timings meet the same load
    calls = max(1, round(common.seconds(loop, 3) / common.seconds(batch, 20)))
    times = alternating({"batch": batch, "loop": loop}, ROUNDS, number={"batch": calls, "loop": 1})
    speedup = ratios(times["loop"], times["batch"])
    verdict = "" if goal is None else f"  goal >= {goal}x (median): {'met' if median(speedup) >= goal else 'NOT met'}"
    name = "-".join(map(str, sizes))
    print(f"{name:>10} x {n_samples:>3} samples: batch {median(times['batch']) * 1e3:8.3f} ms, per-sample loop "
          f"{median(times['loop']) * 1e3:8.3f} ms (medians); batch faster by {spread(speedup)}x "
          f"(min / median / max){verdict}")


if __name__ == "__main__":
    print("net.gradients on a batch vs a lean per-sample backprop loop (Nielsen's network.py style), "
          f"{ROUNDS} alternating rounds")
    print(f"machine: {machine()}")
    compare([2, 3, 2], 10)
    compare([784, 100, 10], 256, goal=20)
