"""Stochastic gradient descent (Higham & Higham's scheme (15)), with regularisation.

Each iteration picks ``batch_size`` training points uniformly at random *with
replacement* (Higham & Higham's scheme (15)), runs a forward and a backward pass on them
and moves every weight and bias against the gradient::

    W[l] <- W[l] - eta * delta[l] a[l-1]^T      (25)
    b[l] <- b[l] - eta * delta[l]               (24)

With ``batch_size=1`` this is per-sample SGD; with ``batch_size=n_samples`` it is close
to full-batch gradient descent (still drawn with replacement); see
:func:`gradient_descent` for the exact full-batch version.

Three remedies for overfitting are options of :func:`train` (all off by default):
``weight_decay`` and ``dropout`` change (25) and (23) as :mod:`~backproplab.regularisation`
derives; ``validation`` and ``patience`` stop early, at the parameters with the lowest cost
on a validation set (:mod:`~backproplab.early_stopping`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .budget import check_budget, chunk_rows
from .early_stopping import BestParameters, validation_set
from .errors import TrainingDiverged
from .regularisation import add_weight_decay, dropout_mask
from .validation import as_count, as_dropout, as_learning_rate, as_weight_decay

# The cost "explodes" when it exceeds this multiple of its starting value (and 1.0).
EXPLODE_FACTOR = 1e3
# Parameters larger than this mean the run has left any useful region.
PARAMETER_LIMIT = 1e8


@dataclass
class History:
    """What was recorded during training, every ``record_every`` iterations.

    Attributes
    ----------
    iterations : ndarray of int, shape (n_records,)
        The iteration after which each cost was measured; 0 is before training.
    cost : ndarray of float, shape (n_records,)
        The cost (9) over the whole training set at those iterations: the mean per-sample
        cost of the network as evaluated, with no unit dropped and without the weight-decay
        term (``net.cost(X, Y)``), so that it compares with ``validation_cost``.
    learning_rate, batch_size, weight_decay, dropout : float, int, float, float
        The settings of the run.
    patience : int or None
        Early stopping's patience, or ``None`` when the run did not stop early on purpose.
    validation_cost : ndarray of float, shape (n_records,), or None
        The cost (9) over the validation set at the same iterations; ``None`` when
        ``train`` was given no validation set.
    best_iteration : int or None
        The recorded iteration with the lowest validation cost (the first, if tied);
        ``None`` without a validation set.  With ``patience``, the network holds that
        iteration's parameters when ``train`` returns.
    stopped_at : int or None
        The iteration after which early stopping ended the run (its last recording);
        ``None`` when the run did all its iterations.
    """

    iterations: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    cost: np.ndarray = field(default_factory=lambda: np.zeros(0))
    learning_rate: float = float("nan")
    batch_size: int = 1
    weight_decay: float = 0.0
    dropout: float = 0.0
    patience: int | None = None
    validation_cost: np.ndarray | None = None
    best_iteration: int | None = None
    stopped_at: int | None = None

    @property
    def final_cost(self) -> float:
        """The last recorded cost."""
        return float(self.cost[-1])


def _diverged(cost: float, start: float) -> bool:
    return not math.isfinite(cost) or cost > EXPLODE_FACTOR * max(start, 1.0)


def _sample_indices(rng, n: int, iterations: int, batch_size: int):
    """Each step's ``batch_size`` indices into the data, drawn from ``rng`` a bounded chunk at a time."""
    rows = chunk_rows(batch_size)  # memory independent of iterations (budget.py)
    for first in range(0, iterations, rows):
        yield from rng.integers(0, n, size=(min(rows, iterations - first), batch_size))


def train(net, X, Y, learning_rate=0.05, iterations=10_000, batch_size=1, seed=0, record_every=100,
          callback=None, weight_decay=0.0, dropout=0.0, validation=None, patience=None) -> History:
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
        Seed of the sample choice (and of the dropout masks, from a stream of their own);
        the same seed gives the same run.
    record_every : int
        Record the full-data cost every this many iterations (and at the start and end).
    callback : callable, optional
        Called as ``callback(iteration, cost)`` each time a cost is recorded; a widget uses
        it for a progress bar.
    weight_decay : float
        ``lambda >= 0`` of L2 weight decay: each step descends the batch cost plus
        ``(lambda / 2) sum_l ||W[l]||_F^2``, so (25) gains ``+ lambda W[l]``; biases are not
        decayed.  0 (the default) for none.
    dropout : float
        The probability ``0 <= p < 1`` of dropping each hidden unit, for every sample of
        every step (inverted dropout: kept units are scaled by ``1 / (1 - p)``; see
        :mod:`~backproplab.regularisation`).  The masks come from a generator spawned from
        ``seed``'s, so the samples drawn are the same with or without dropout.  0 (the
        default) for none.  Recorded costs are always of the whole network.
    validation : pair (X_val, Y_val) of array_like, optional
        A validation set, shapes as ``X`` and ``Y``: its cost (9) is recorded in
        ``History.validation_cost`` at every recording.
    patience : int, optional
        Early stopping, which needs ``validation``: stop after ``patience`` recordings in a
        row without a new lowest validation cost, and end with the parameters of the
        recording that had it (``History.best_iteration``), whether or not the run stopped
        early.  ``None`` (the default): train for all ``iterations``.

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
    learning_rate = as_learning_rate(learning_rate)
    iterations = as_count(iterations, "iterations")
    batch_size = as_count(batch_size, "batch_size")
    record_every = as_count(record_every, "record_every")
    weight_decay = as_weight_decay(weight_decay)
    dropout = as_dropout(dropout)
    if dropout and net.L < 3:
        raise ValueError(f"dropout acts on hidden layers, and the network {list(net.sizes)} has none; "
                         "use dropout=0")
    patience = None if patience is None else as_count(patience, "patience")
    check_budget(net.sizes, iterations, batch_size)  # before anything is allocated
    X, Y = net._check(X, Y)
    if X.ndim == 1:
        X, Y = X[None, :], Y[None, :]
    if validation is not None:
        X_val, Y_val = validation_set(net, validation)
    elif patience is not None:
        raise ValueError(f"patience={patience} needs a validation set to watch: pass validation=(X_val, Y_val)")

    rng = np.random.default_rng(seed)
    mask_rng = rng.spawn(1)[0] if dropout else None  # a stream of its own: rng's draws are unchanged
    n, eta, sizes = X.shape[0], learning_rate, net.sizes
    weights, biases = net.weights, net.biases
    steps, costs, validation_costs = [], [], []
    best = BestParameters(keep=patience is not None)

    def record(it, cost) -> bool:
        """Store one recording; True when early stopping says stop."""
        steps.append(it)
        costs.append(cost)
        if validation is not None:
            validation_costs.append(net._cost(X_val, Y_val))
            best.update(net, it, validation_costs[-1])
        if callback is not None:
            callback(it, cost)
        return patience is not None and best.since >= patience

    start = net._cost(X, Y)
    record(0, start)
    stopped_at = None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for it, k in enumerate(_sample_indices(rng, n, iterations, batch_size), start=1):
            x, y = X[k], Y[k]
            # the network with this step's dropout mask on its hidden layers (net itself without dropout)
            stepper = net._masked(dropout_mask(sizes, batch_size, dropout, mask_rng) if dropout else None)
            trace = stepper._forward(x)
            grad_W, grad_b = stepper._backprop(trace, y)  # (22)-(25)
            grad_W = add_weight_decay(grad_W, weights, weight_decay)  # (25) + lambda W[l]
            for W, b, gW, gb in zip(weights, biases, grad_W, grad_b):
                W -= eta * gW
                b -= eta * gb
            # A cheap per-step test on the batch's output: NaN or inf fails it.
            if not math.isfinite(trace.a[-1].sum()):
                raise TrainingDiverged(it, eta, float("nan"))
            if it % record_every == 0 or it == iterations:
                cost = net._cost(X, Y)
                if _diverged(cost, start) or max(np.abs(W).max() for W in weights) > PARAMETER_LIMIT:
                    raise TrainingDiverged(it, eta, cost)
                if record(it, cost) and it < iterations:
                    stopped_at = it
                    break
    if best.parameters is not None:
        best.restore(net)  # early stopping ends at the lowest validation cost
    return History(np.array(steps), np.array(costs), learning_rate, batch_size, weight_decay, dropout, patience,
                   np.array(validation_costs) if validation is not None else None, best.iteration, stopped_at)


def gradient_descent(net, X, Y, learning_rate=0.05, iterations=1000, record_every=10, callback=None) -> History:
    """Full-batch gradient descent: every step uses the gradient of the whole data set.

    Same parameters, return value and errors as :func:`train`, without the sampling.
    """
    learning_rate = as_learning_rate(learning_rate)
    iterations = as_count(iterations, "iterations")
    record_every = as_count(record_every, "record_every")
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
