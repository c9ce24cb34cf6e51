"""Batched backpropagation against a per-sample loop in the style of Nielsen's network.py.

``net.gradients(X, Y)`` handles a whole batch with one matrix product per layer.  The
reference runs one backprop per sample (column vectors, as network.py does) and sums.
Both are timed in this run, side by side, and must agree.  Goal: at 784-100-10 with 256
samples the batch is at least 20 times faster than the loop.
"""
import numpy as np

from backproplab import Network
from backproplab.activations import sigmoid
from common import machine, median_seconds


def nielsen_loop(net, X, Y):
    """Gradients of the mean cost, one sample at a time (column vectors, sigmoid, quadratic)."""
    sig = sigmoid  # the library's stable formula, so that both sides do the same arithmetic
    sig_prime = lambda z: sig(z) * (1 - sig(z))
    nabla_W = [np.zeros_like(W) for W in net.weights]
    nabla_b = [np.zeros_like(b) for b in net.biases]
    for x, y in zip(X, Y):
        a, zs, acts = x[:, None], [], [x[:, None]]
        for W, b in zip(net.weights, net.biases):
            zs.append(W @ a + b[:, None])
            a = sig(zs[-1])
            acts.append(a)
        delta = (acts[-1] - y[:, None]) * sig_prime(zs[-1])
        nabla_b[-1] += delta[:, 0]
        nabla_W[-1] += delta @ acts[-2].T
        for l in range(2, len(net.sizes)):
            delta = (net.weights[-l + 1].T @ delta) * sig_prime(zs[-l])
            nabla_b[-l] += delta[:, 0]
            nabla_W[-l] += delta @ acts[-l - 1].T
    n = len(X)
    return [g / n for g in nabla_W], [g / n for g in nabla_b]


def compare(sizes, n_samples, goal=None):
    rng = np.random.default_rng(0)
    net = Network(sizes, seed=0)
    X = rng.uniform(0, 1, (n_samples, sizes[0]))
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n_samples)]
    batch_W, batch_b = net.gradients(X, Y)
    loop_W, loop_b = nielsen_loop(net, X, Y)
    for g, h in zip([*batch_W, *batch_b], [*loop_W, *loop_b]):
        np.testing.assert_allclose(g, h, rtol=1e-9, atol=1e-15)
    t_batch = median_seconds(lambda: net.gradients(X, Y), number=20)
    t_loop = median_seconds(lambda: nielsen_loop(net, X, Y), number=3)
    ratio = t_loop / t_batch
    verdict = "" if goal is None else (f"  goal >= {goal}x: {'met' if ratio >= goal else 'NOT met'}")
    name = "-".join(map(str, sizes))
    print(f"{name:>10} x {n_samples:>3} samples: batch {t_batch * 1e3:8.3f} ms, "
          f"per-sample loop {t_loop * 1e3:8.3f} ms, batch is {ratio:5.1f}x faster{verdict}")
    return ratio


if __name__ == "__main__":
    print("net.gradients on a batch vs a per-sample backprop loop (Nielsen's network.py style)")
    print(f"machine: {machine()}")
    compare([2, 3, 2], 10)
    compare([784, 100, 10], 256, goal=20)
