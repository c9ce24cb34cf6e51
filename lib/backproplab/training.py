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

**What is recorded.**  ``record_cost="full"`` records the cost (9) of the whole training
set: exact, but one extra forward pass over all of it per recording, which on 10,000
samples of 784 pixels, every 100 steps, takes more time than the steps themselves.
``record_cost="batch_mean"`` records the mean cost of the samples the steps since the
previous recording trained on, each measured before its step: a number the steps compute
anyway, so recording costs nothing (it is the running loss of Keras or PyTorch loops), but
it is noisy and lags the network by half an interval.  The default, ``"auto"``, is
``"full"`` when a pass over the training set is small work, at most :data:`FULL_COST_WORK`
multiply-adds (``n_samples x n_parameters``: about a millisecond, as on Higham's ten points
or the explorer's data sets), and ``"batch_mean"`` above that; ``History.record_cost`` says
which.  Either way the cost at iteration 0 and ``History.final_cost`` (after the last step)
are full-data costs, and a validation cost is always exact.

**Two ways to take a step** (:mod:`~backproplab.steps`).  ``readable_step`` is the lemma as
the notebooks derive it; :func:`train` takes ``fast_step``, the same arithmetic in fewer
numpy calls, whenever it can.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .budget import check_budget, chunk_rows, n_parameters
from .early_stopping import BestParameters, validation_set
from .errors import PARAMETER_LIMIT, TrainingDiverged, largest_magnitude
from .steps import fast_step, fast_step_applies, readable_step
from .validation import (as_callback, as_choice, as_count, as_dropout, as_learning_rate, as_network, as_seed,
                         as_weight_decay)

# The cost "explodes" when it exceeds this multiple of its starting value (and 1.0).
EXPLODE_FACTOR = 1e3
# What History.cost holds (see the module's docstring), and when "auto" records the full cost:
# a pass over the training set of at most this many multiply-adds (n_samples x n_parameters)
# takes about a millisecond on the project's machine (100 samples through the explorer's
# largest network, 2-50-50-50-50-50-2, are 1.05 x 10^6).
RECORD_COSTS = ("auto", "batch_mean", "full")
FULL_COST_WORK = 2 * 10**6
# train takes fast_step whenever it applies; tests set this to False to run readable_step.
FAST_STEP = True


@dataclass
class History:
    """What was recorded during training, every ``record_every`` iterations.

    Attributes
    ----------
    iterations : ndarray of int, shape (n_records,)
        The iteration after which each cost was measured; 0 is before training.
    cost : ndarray of float, shape (n_records,)
        The cost at those iterations, as ``record_cost`` says.  At iteration 0 it is
        always the cost (9) over the whole training set.  After that, with
        ``record_cost="full"``, the cost (9) over the whole training set after the
        iteration, with no unit dropped (``net.cost(X, Y)``); with ``"batch_mean"``, the mean
        per-sample cost of the samples drawn since the previous recording, each measured
        just before the step that trained on it (with that step's dropout mask, if any).
        Neither includes the weight-decay term, so both compare with ``validation_cost``.
    learning_rate, batch_size, weight_decay, dropout : float, int, float, float
        The settings of the run.
    patience : int or None
        Early stopping's patience, or ``None`` when the run did not stop early on purpose.
    validation_cost : ndarray of float, shape (n_records,), or None
        The cost (9) over the validation set at the same iterations (always exact); ``None``
        when ``train`` was given no validation set.
    best_iteration : int or None
        The recorded iteration with the lowest validation cost (the first, if tied);
        ``None`` without a validation set.  With ``patience``, the network holds that
        iteration's parameters when ``train`` returns.
    stopped_at : int or None
        The iteration after which early stopping ended the run (its last recording);
        ``None`` when the run did all its iterations.
    record_cost : {"batch_mean", "full"}
        What ``cost`` holds (``train``'s ``"auto"`` resolved).
    final_cost : float
        The cost (9) over the whole training set of the network as training returned it
        (``net.cost(X, Y)``; after early stopping, at the restored parameters): exact
        whatever ``record_cost`` is.
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
    record_cost: str = "batch_mean"
    final_cost: float = float("nan")


def _diverged(cost: float, start: float) -> bool:
    return not math.isfinite(cost) or cost > EXPLODE_FACTOR * max(start, 1.0)


def _sample_indices(rng, n: int, iterations: int, batch_size: int):
    """Each step's ``batch_size`` indices into the data, drawn from ``rng`` a bounded chunk at a time."""
    rows = chunk_rows(batch_size)  # memory independent of iterations (budget.py)
    for first in range(0, iterations, rows):
        yield from rng.integers(0, n, size=(min(rows, iterations - first), batch_size))


def train(net, X, Y, learning_rate=0.05, iterations=10_000, batch_size=1, seed=0, record_every=100,
          callback=None, weight_decay=0.0, dropout=0.0, validation=None, patience=None,
          record_cost="auto") -> History:
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
        Seed (an integer >= 0) of the sample choice (and of the dropout masks, from a
        stream of their own); the same seed gives the same run.
    record_every : int
        Record a cost every this many iterations (and at the start and end).
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
        default) for none.
    validation : pair (X_val, Y_val) of array_like, optional
        A validation set, shapes as ``X`` and ``Y``: its cost (9) is recorded in
        ``History.validation_cost`` at every recording, exactly.
    patience : int, optional
        Early stopping, which needs ``validation``: stop after ``patience`` recordings in a
        row without a new lowest validation cost, and end with the parameters of the
        recording that had it (``History.best_iteration``), whether or not the run stopped
        early.  ``None`` (the default): train for all ``iterations``.
    record_cost : {"auto", "batch_mean", "full"}
        What ``History.cost`` records after iteration 0.  ``"full"``: the cost (9) over the
        whole training set, exact, at the price of one forward pass over all of it per
        recording.  ``"batch_mean"``: the mean cost of the samples trained on since the
        previous recording, each measured before its step, which costs nothing to record.
        ``"auto"`` (the default): ``"full"`` when ``n_samples x n_parameters`` is at most
        :data:`FULL_COST_WORK` (2 x 10^6: Higham's data, the explorer's), else
        ``"batch_mean"``.  ``History.final_cost`` is the full cost at the end in every case.

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
        network keeps the parameters it had when that was detected.  The error names the
        cause: the learning rate, or inputs, targets or starting weights so large that no
        learning rate helps.
    """
    net = as_network(net)
    learning_rate = as_learning_rate(learning_rate)
    iterations = as_count(iterations, "iterations")
    batch_size = as_count(batch_size, "batch_size")
    record_every = as_count(record_every, "record_every")
    seed = as_seed(seed)
    callback = as_callback(callback)
    weight_decay = as_weight_decay(weight_decay)
    dropout = as_dropout(dropout)
    record_cost = as_choice(record_cost, "record_cost", RECORD_COSTS)
    if dropout and net.L < 3:
        raise ValueError(f"dropout acts on hidden layers, and the network {list(net.sizes)} has none; "
                         "use dropout=0")
    patience = None if patience is None else as_count(patience, "patience")
    check_budget(net.sizes, iterations, batch_size)  # before anything is allocated
    X, Y = net._check(X, Y)
    if X.ndim == 1:
        X, Y = X[None, :], Y[None, :]
    if record_cost == "auto":
        record_cost = "full" if X.shape[0] * n_parameters(net.sizes) <= FULL_COST_WORK else "batch_mean"
    if validation is not None:
        X_val, Y_val = validation_set(net, validation)
    elif patience is not None:
        raise ValueError(f"patience={patience} needs a validation set to watch: pass validation=(X_val, Y_val)")

    rng = np.random.default_rng(seed)
    mask_rng = rng.spawn(1)[0] if dropout else None  # a stream of its own: rng's draws are unchanged
    make_step = fast_step if FAST_STEP and fast_step_applies(net) else readable_step
    step = make_step(net, X, Y, learning_rate, batch_size, weight_decay, dropout, mask_rng,
                     batch_costs=record_cost == "batch_mean")
    n, eta, weights = X.shape[0], learning_rate, net.weights
    start_size = largest_magnitude(net._parameters())  # what a divergence may blame
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

    def diverged(it, cost):
        return TrainingDiverged.blaming(it, eta, cost, X, Y, [start_size])

    stopped_at = None
    with np.errstate(all="ignore"):  # NaN and inf are caught below and reported as divergence
        start = net._cost(X, Y)
        if not math.isfinite(start):
            raise diverged(0, start)  # not the learning rate's fault: no step was taken
        record(0, start)
        total, count = 0.0, 0  # the batch costs summed since the last recording, and their samples
        for it, k in enumerate(_sample_indices(rng, n, iterations, batch_size), start=1):
            batch_cost = step(k)  # one step on the samples X[k], Y[k]; the sum of their costs before it
            if not math.isfinite(batch_cost):  # a step whose cost is not finite changes nothing
                raise diverged(it, float("nan"))
            total, count = total + batch_cost, count + batch_size
            if it % record_every == 0 or it == iterations:
                cost = total / count if record_cost == "batch_mean" else net._cost(X, Y)
                total, count = 0.0, 0
                # a batch mean that looks explosive is confirmed on the whole training set
                if _diverged(cost, start) and _diverged(net._cost(X, Y), start) \
                        or largest_magnitude(weights) > PARAMETER_LIMIT:
                    raise diverged(it, cost)
                if record(it, cost) and it < iterations:
                    stopped_at = it
                    break
        if best.parameters is not None:
            best.restore(net)  # early stopping ends at the lowest validation cost
        final_cost = net._cost(X, Y)
    return History(np.array(steps), np.array(costs), learning_rate, batch_size, weight_decay, dropout, patience,
                   np.array(validation_costs) if validation is not None else None, best.iteration, stopped_at,
                   record_cost, final_cost)


def gradient_descent(net, X, Y, learning_rate=0.05, iterations=1000, record_every=10, callback=None) -> History:
    """Full-batch gradient descent: every step uses the gradient of the whole data set.

    Same parameters, return value and errors as :func:`train`, without the sampling; every
    recorded cost is the full one (``record_cost="full"``).
    """
    net = as_network(net)
    learning_rate = as_learning_rate(learning_rate)
    iterations = as_count(iterations, "iterations")
    record_every = as_count(record_every, "record_every")
    callback = as_callback(callback)
    X, Y = net._check(X, Y)
    n = X.shape[0] if X.ndim == 2 else 1
    check_budget(net.sizes, iterations, n, batch_name="n_samples")
    start_size = largest_magnitude(net._parameters())
    with np.errstate(all="ignore"):  # NaN and inf are caught below and reported as divergence
        start = net._cost(X, Y)
    if not math.isfinite(start):
        raise TrainingDiverged.blaming(0, learning_rate, start, X, Y, [start_size])
    steps, costs = [0], [start]
    if callback is not None:
        callback(0, start)
    with np.errstate(all="ignore"):
        for it in range(1, iterations + 1):
            try:
                cost = net.step(X, Y, learning_rate)  # cost before this step
            except TrainingDiverged as exc:  # the step changed nothing; name this iteration
                raise TrainingDiverged.blaming(it, learning_rate, exc.cost, X, Y, [start_size]) from None
            if _diverged(cost, start):
                raise TrainingDiverged.blaming(it, learning_rate, cost, X, Y, [start_size])
            if it % record_every == 0 or it == iterations:
                cost = net._cost(X, Y)
                if _diverged(cost, start):
                    raise TrainingDiverged.blaming(it, learning_rate, cost, X, Y, [start_size])
                steps.append(it)
                costs.append(cost)
                if callback is not None:
                    callback(it, cost)
    return History(np.array(steps), np.array(costs), learning_rate, n, record_cost="full", final_cost=costs[-1])
