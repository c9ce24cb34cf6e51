"""The cost of readable code: one per-sample SGD step of ``net.train`` against a lean numpy loop.

The lean loop is what one would write inline for Higham's 2-2-3-2 sigmoid network with the
quadratic cost: ``1 / (1 + np.exp(-z))`` for the sigmoid (which overflows, with a warning,
for z < -709: the library's sigmoid must not), sigma' as ``a (1 - a)``, no functions, no
lists of layers, no checks, nothing recorded.  It draws the same samples as ``train`` (the
same generator, seed and draws), so both end with the same parameters, which is checked.
Two spellings of it are timed: rows of a batch of one (``X[k]``, as ``train`` draws them) and
plain vectors (``X[i]``, ``W @ x``, ``np.outer``).  Goal: a step of ``train`` costs at most
1.3 times the faster of the two, in every round's median.

Second, recording: ``train`` on 10,000 samples of 784 inputs (the size of MNIST's test set)
with ``record_every=100``, with the default ``record_cost="auto"`` (on this much data, the
mean of the batch costs) and with ``record_cost="full"`` (the full-data cost), against the
same run recording nothing.
"""
import common  # first: one BLAS thread, before numpy loads

import numpy as np

from backproplab import Network, load_dataset
from common import alternating, machine, median, ratios, spread

ITERATIONS = 5_000
ROUNDS = 31
ETA = 0.05
SIZES = [2, 2, 3, 2]


def lean_rows(W2, b2, W3, b3, W4, b4, X, Y, seed):
    """Per-sample SGD for a 2-2-3-2 sigmoid network, rows of a batch of one, written out."""
    idx = np.random.default_rng(seed).integers(0, len(X), size=(ITERATIONS, 1))
    for k in idx:
        x, y = X[k], Y[k]
        a2 = 1 / (1 + np.exp(-(x @ W2.T + b2)))
        a3 = 1 / (1 + np.exp(-(a2 @ W3.T + b3)))
        a4 = 1 / (1 + np.exp(-(a3 @ W4.T + b4)))
        d4 = a4 * (1 - a4) * (a4 - y)
        d3 = a3 * (1 - a3) * (d4 @ W4)
        d2 = a2 * (1 - a2) * (d3 @ W3)
        W4 -= ETA * (d4.T @ a3)
        b4 -= ETA * d4[0]
        W3 -= ETA * (d3.T @ a2)
        b3 -= ETA * d3[0]
        W2 -= ETA * (d2.T @ x)
        b2 -= ETA * d2[0]


def lean_vectors(W2, b2, W3, b3, W4, b4, X, Y, seed):
    """The same, one sample as a vector: ``W @ x + b`` as on paper, ``np.outer`` for (25)."""
    idx = np.random.default_rng(seed).integers(0, len(X), size=(ITERATIONS, 1))[:, 0]
    for i in idx:
        x, y = X[i], Y[i]
        a2 = 1 / (1 + np.exp(-(W2 @ x + b2)))
        a3 = 1 / (1 + np.exp(-(W3 @ a2 + b3)))
        a4 = 1 / (1 + np.exp(-(W4 @ a3 + b4)))
        d4 = a4 * (1 - a4) * (a4 - y)
        d3 = a3 * (1 - a3) * (W4.T @ d4)
        d2 = a2 * (1 - a2) * (W3.T @ d3)
        W4 -= ETA * np.outer(d4, a3)
        b4 -= ETA * d4
        W3 -= ETA * np.outer(d3, a2)
        b3 -= ETA * d3
        W2 -= ETA * np.outer(d2, x)
        b2 -= ETA * d2


def parameters(net):
    return [p for pair in zip(net.weights, net.biases) for p in pair]


def step_ratio():
    X, Y = load_dataset("higham")

    def library():
        net = Network(SIZES, seed=0)
        net.train(X, Y, learning_rate=ETA, iterations=ITERATIONS, seed=0, record_every=ITERATIONS)
        return net

    def lean(loop):
        net = Network(SIZES, seed=0)
        loop(*parameters(net), X, Y, seed=0)
        return net

    # The same arithmetic up to the sigmoid's rounding, so the same final parameters.
    for loop in (lean_rows, lean_vectors):
        for p, q in zip(parameters(library()), parameters(lean(loop))):
            np.testing.assert_allclose(p, q, rtol=1e-9)

    times = alternating({"train": library, "rows": lambda: lean(lean_rows),
                         "vectors": lambda: lean(lean_vectors)}, ROUNDS)
    fastest_lean = [min(r, v) for r, v in zip(times["rows"], times["vectors"])]
    ratio = ratios(times["train"], fastest_lean)
    us = {name: median(t) / ITERATIONS * 1e6 for name, t in times.items()}
    print(f"one per-sample SGD step, Higham's {'-'.join(map(str, SIZES))} sigmoid network, {ITERATIONS:,} steps "
          f"a run, {ROUNDS} alternating rounds")
    print(f"  net.train {us['train']:5.1f} us/step; lean loop: rows {us['rows']:5.1f} us/step, "
          f"vectors {us['vectors']:5.1f} us/step (medians)")
    print(f"  train / lean rows loop:    {spread(ratios(times['train'], times['rows']))}  (min / median / max)")
    print(f"  train / lean vectors loop: {spread(ratios(times['train'], times['vectors']))}")
    print(f"  train / faster lean loop:  {spread(ratio)}  goal <= 1.3 (median): "
          f"{'met' if median(ratio) <= 1.3 else 'NOT met'}")


def recording_ratio():
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, (10_000, 784))
    Y = np.eye(10)[rng.integers(0, 10, 10_000)]
    iterations = 2_000

    def run(**record):
        Network([784, 30, 10], seed=0).train(X, Y, learning_rate=0.1, iterations=iterations, batch_size=10,
                                             **record)

    times = alternating({"none": lambda: run(record_every=iterations),
                         "auto": lambda: run(record_every=100),
                         "full": lambda: run(record_every=100, record_cost="full")}, rounds=7)
    print(f"recording on 10,000 x 784 samples, 784-30-10 network, batches of 10, {iterations:,} steps, "
          f"record_every=100, 7 alternating rounds")
    print(f"  time / time recording nothing: default (auto, here batch_mean) "
          f"{spread(ratios(times['auto'], times['none']))}, full {spread(ratios(times['full'], times['none']))}  "
          f"(min / median / max)")


if __name__ == "__main__":
    print(f"machine: {machine()}")
    step_ratio()
    recording_ratio()
