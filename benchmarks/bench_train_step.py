"""The cost of readable code: one per-sample SGD step of ``net.train`` against bare numpy.

The bare loop does the same arithmetic inline (the library's stable sigmoid, sigma' from z,
the same draws from the same generator, the same per-layer updates) with no other
functions, no lists of layers and no checks.  Goal: the library costs at most 1.3 times the bare loop.
"""
import numpy as np

from backproplab import Network, load_dataset
from backproplab.activations import sigmoid
from common import machine, median_seconds

ITERATIONS = 20_000
ETA = 0.05


def bare_loop(W2, b2, W3, b3, W4, b4, X, Y, seed):
    """Per-sample SGD for a 2-2-3-2 sigmoid network, written out with nothing in between."""
    idx = np.random.default_rng(seed).integers(0, len(X), size=(ITERATIONS, 1))
    for k in idx:
        x, y = X[k], Y[k]
        z2 = x @ W2.T + b2
        a2 = sigmoid(z2)
        z3 = a2 @ W3.T + b3
        a3 = sigmoid(z3)
        z4 = a3 @ W4.T + b4
        a4 = sigmoid(z4)
        s4 = sigmoid(z4)
        d4 = s4 * (1 - s4) * (a4 - y)
        s3 = sigmoid(z3)
        d3 = s3 * (1 - s3) * (d4 @ W4)
        s2 = sigmoid(z2)
        d2 = s2 * (1 - s2) * (d3 @ W3)
        W4 -= ETA * (d4.T @ a3 / 1)
        b4 -= ETA * (d4.sum(axis=0) / 1)
        W3 -= ETA * (d3.T @ a2 / 1)
        b3 -= ETA * (d3.sum(axis=0) / 1)
        W2 -= ETA * (d2.T @ x / 1)
        b2 -= ETA * (d2.sum(axis=0) / 1)


def main():
    X, Y = load_dataset("higham")

    def library():
        Network([2, 2, 3, 2], seed=0).train(X, Y, learning_rate=ETA, iterations=ITERATIONS, seed=0,
                                             record_every=ITERATIONS)

    def bare():
        net = Network([2, 2, 3, 2], seed=0)
        bare_loop(*[p for pair in zip(net.weights, net.biases) for p in pair], X, Y, seed=0)

    # Same arithmetic, so the same final parameters.
    lib_net = Network([2, 2, 3, 2], seed=0)
    lib_net.train(X, Y, learning_rate=ETA, iterations=ITERATIONS, seed=0, record_every=ITERATIONS)
    bare_net = Network([2, 2, 3, 2], seed=0)
    bare_loop(*[p for pair in zip(bare_net.weights, bare_net.biases) for p in pair], X, Y, seed=0)
    for p, q in zip(lib_net.weights, bare_net.weights):
        np.testing.assert_allclose(p, q, rtol=1e-9)

    t_lib = median_seconds(library, repeats=5) / ITERATIONS
    t_bare = median_seconds(bare, repeats=5) / ITERATIONS
    ratio = t_lib / t_bare
    print("one per-sample SGD step, Higham 2-2-3-2 sigmoid network")
    print(f"machine: {machine()}")
    print(f"net.train {t_lib * 1e6:6.1f} us/step, bare numpy loop {t_bare * 1e6:6.1f} us/step, "
          f"ratio {ratio:.2f}  goal <= 1.3: {'met' if ratio <= 1.3 else 'NOT met'}")


if __name__ == "__main__":
    main()
