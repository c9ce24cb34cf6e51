"""Stochastic gradient descent (seed 004's pseudocode, seed 002's algorithm).

Each iteration picks ``batch_size`` training points uniformly at random *with
replacement* (Higham & Higham's scheme (15)), runs a forward and a backward pass on them
and moves every weight and bias against the gradient::

    W[l] <- W[l] - eta * delta[l] a[l-1]^T      (25)
    b[l] <- b[l] - eta * delta[l]               (24)

With ``batch_size=1`` this is per-sample SGD; with ``batch_size=n_samples`` it is close
to full-batch gradient descent (still drawn with replacement); see
:func:`gradient_descent` for the exact full-batch version.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import validation
from .budget import check_budget, chunk_rows
from .errors import TrainingDiverged

# The cost "explodes" when it exceeds this multiple of its starting value (and 1.0).
EXPLODE_FACTOR = 1e3
# Parameters larger than this mean the run has left any useful region.
PARAMETER_LIMIT = 1e8


@dataclass
class History:
    """The full-data cost recorded during training.

    Attributes
    ----------
    iterations : ndarray of int
        The iteration after which each cost was measured; 0 is before training.
    cost : ndarray of float
        The cost (9) over the whole data set at those iterations.
    learning_rate, batch_size : float, int
        The settings of the run.
    """

    iterations: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    cost: np.ndarray = field(default_factory=lambda: np.zeros(0))
    learning_rate: float = float("nan")
    batch_size: int = 1

    @property
    def final_cost(self) -> float:
        """The last recorded cost."""
        return float(self.cost[-1])


def _diverged(cost: float, start: float) -> bool:
    return not math.isfinite(cost) or cost > EXPLODE_FACTOR * max(start, 1.0)


def train(net, X, Y, learning_rate=0.05, iterations=10_000, batch_size=1, seed=0, record_every=100,
          callback=None) -> History:
    """Train ``net`` in place by stochastic gradient descent.

    Parameters
    ----------
    net : Network
    X : array_like of shape (n_samples, n_features)
    Y : array_like of shape (n_samples, n_outputs)
    learning_rate : float
        The step size eta, positive and finite.
    iterations : int
        Number of steps.
    batch_size : int
        Samples drawn (with replacement) per step.
    seed : int
        Seed of the sample choice; the same seed gives the same run.
    record_every : int
        Record the full-data cost every this many iterations (and at the start and end).
    callback : callable, optional
        Called as ``callback(iteration, cost)`` each time a cost is recorded; a widget uses
        it for a progress bar.

    Returns
    -------
    History

    Raises
    ------
    ValueError
        For bad input, or a run beyond the work budgets of :mod:`backproplab.budget`
        (checked before anything is allocated); the network is left unchanged.
    TrainingDiverged
        When the cost becomes non-finite or explodes, or a parameter becomes huge; the
        network keeps the parameters it had when that was detected.
    """
    learning_rate = validation.as_learning_rate(learning_rate)
    iterations = validation.as_count(iterations, "iterations")
    batch_size = validation.as_count(batch_size, "batch_size")
    record_every = validation.as_count(record_every, "record_every")
    check_budget(net.sizes, iterations, batch_size)  # before anything is allocated
    X, Y = net._check(X, Y)
    if X.ndim == 1:
        X, Y = X[None, :], Y[None, :]
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    eta = learning_rate
    weights, biases = net.weights, net.biases

    steps, costs = [0], [net._cost(X, Y)]
    start = costs[0]
    if callback is not None:
        callback(0, start)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        # The sample indices are drawn a bounded chunk of steps at a time (budget.chunk_rows).
        rows = chunk_rows(batch_size)
        for first in range(0, iterations, rows):
            chunk = rng.integers(0, n, size=(min(rows, iterations - first), batch_size))
            for offset, k in enumerate(chunk):
                x, y = X[k], Y[k]
                trace = net._forward(x)
                grad_W, grad_b = net._backprop(trace, y)
                for W, b, gW, gb in zip(weights, biases, grad_W, grad_b):
                    W -= eta * gW
                    b -= eta * gb
                it = first + offset + 1
                # A cheap per-step test on the batch's output: NaN or inf fails it.
                if not math.isfinite(trace.a[-1].sum()):
                    raise TrainingDiverged(it, eta, float("nan"))
                if it % record_every == 0 or it == iterations:
                    cost = net._cost(X, Y)
                    if _diverged(cost, start) or max(np.abs(W).max() for W in weights) > PARAMETER_LIMIT:
                        raise TrainingDiverged(it, eta, cost)
                    steps.append(it)
                    costs.append(cost)
                    if callback is not None:
                        callback(it, cost)
    return History(np.array(steps), np.array(costs), learning_rate, batch_size)


def gradient_descent(net, X, Y, learning_rate=0.05, iterations=1000, record_every=10, callback=None) -> History:
    """Full-batch gradient descent: every step uses the gradient of the whole data set.

    Same parameters, return value and errors as :func:`train`, without the sampling.
    """
    learning_rate = validation.as_learning_rate(learning_rate)
    iterations = validation.as_count(iterations, "iterations")
    record_every = validation.as_count(record_every, "record_every")
    X, Y = net._check(X, Y)
    check_budget(net.sizes, iterations, X.shape[0] if X.ndim == 2 else 1, batch_name="n_samples")
    steps, costs = [0], [net._cost(X, Y)]
    start = costs[0]
    if callback is not None:
        callback(0, start)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for it in range(1, iterations + 1):
            cost = net.step(X, Y, learning_rate)  # cost before this step
            if _diverged(cost, start):
                raise TrainingDiverged(it, learning_rate, cost)
            if it % record_every == 0 or it == iterations:
                cost = net._cost(X, Y)
                if _diverged(cost, start):
                    raise TrainingDiverged(it, learning_rate, cost)
                steps.append(it)
                costs.append(cost)
                if callback is not None:
                    callback(it, cost)
    return History(np.array(steps), np.array(costs), learning_rate, X.shape[0] if X.ndim == 2 else 1)
