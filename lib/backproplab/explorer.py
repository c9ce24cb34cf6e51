"""The model behind the training explorer: control values in, a trained network's story out.

Nothing here knows about widgets.  :func:`run_experiment` takes the values of the
explorer's controls, trains a network with :meth:`Network.train` (stochastic gradient
descent, seed 004's pseudocode) and returns an :class:`ExperimentResult`: the recorded
cost, the final accuracy, the class the network assigns to every point of a grid (the
decision regions) and a plain-words :func:`diagnose` of what went wrong, if anything.

With sigmoid or tanh outputs and the quadratic cost (18) the cost is bounded, so a too
large learning rate rarely makes it infinite (:class:`TrainingDiverged`).  What happens
instead, and what :func:`diagnose` looks for:

* the cost ends *higher* than it started ("went up");
* the cost reaches a low value and then jumps far above it ("unstable");
* every output unit is pushed into the flat tail of its activation, where
  ``sigma'(z) ~ 0``: by (22) the output delta is then ~0, the gradient vanishes and
  training is stuck ("saturated");
* the cost hardly moves at all: a too *small* learning rate, too few iterations, or a
  plateau ("no progress").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .data import load_dataset, make_dataset
from .errors import TrainingDiverged
from .network import Network
from .plots import class_regions, grid_for

DATASETS = ("higham", "xor", "circles", "moons", "spirals")
ACTIVATION_CHOICES = ("sigmoid", "tanh")
GENERATED_POINTS, GENERATED_NOISE, DATA_SEED = 100, 0.03, 0  # the drawn data sets are fixed
MAX_WIDTH, MAX_HIDDEN_LAYERS = 50, 5  # keep every run small enough for a classroom
RESOLUTION = 80  # decision-region grid: RESOLUTION x RESOLUTION points
CURVE_POINTS = 100  # about this many recorded costs per run
# The explorer's starting values: quick (about 0.1 s) and a clear result on Higham's data.
DEFAULTS = dict(learning_rate=5.0, activation="sigmoid", dataset="higham", hidden="2, 3", iterations=1000,
                batch_size=10, seed=0)

# Thresholds of diagnose(), relative to the run itself.
JUMP_FACTOR = 2.0  # "unstable": the final cost is more than twice the lowest cost reached
SATURATION = 0.1  # "saturated": sigma'(z) below 10 % of its peak for every output of every sample
PROGRESS = 0.10  # "no progress": the cost fell by less than 10 % of its starting value


@dataclass
class ExperimentResult:
    """What one training run produced.

    Attributes
    ----------
    settings : dict, the control values of the run (``hidden`` as a tuple of ints)
    X : ndarray of shape (n_samples, 2); Y : its one-hot targets, shape (n_samples, 2)
    iterations, cost : ndarray of shape (n_records,)
        When the full-data cost (9) was recorded (0 = before training) and its values; up
        to the failure if training diverged.
    status, message : str
        ``"ok"``, ``"diverged"``, ``"went up"``, ``"unstable"``, ``"saturated"`` or
        ``"no progress"`` (see :func:`diagnose`), and a plain sentence ("" for "ok").
    accuracy : float, the fraction of training points classified correctly (nan if diverged)
    regions : ndarray of shape (RESOLUTION, RESOLUTION) or None (if diverged)
        The class (0 or 1) the network assigns to each grid point; row 0 at the bottom.
    extent : tuple of float, ``(x_min, x_max, y_min, y_max)`` of the grid
    net : Network, the network after training
    """

    settings: dict
    X: np.ndarray
    Y: np.ndarray
    iterations: np.ndarray
    cost: np.ndarray
    status: str
    message: str
    accuracy: float
    regions: np.ndarray | None
    extent: tuple
    net: Network = field(repr=False)

    @property
    def final_cost(self) -> float:
        """The last recorded cost."""
        return float(self.cost[-1])

    @property
    def n_correct(self) -> int:
        """How many training points are classified correctly (0 if diverged)."""
        return 0 if np.isnan(self.accuracy) else int(round(self.accuracy * len(self.X)))


def parse_hidden(text) -> tuple:
    """Hidden layer widths from text such as ``"2, 3"`` (or a sequence of ints).

    An empty text means no hidden layer.

    Raises
    ------
    ValueError
        With a readable message for anything that is not up to ``MAX_HIDDEN_LAYERS``
        whole numbers from 1 to ``MAX_WIDTH``.
    """
    if not isinstance(text, str):
        text = ", ".join(str(n) for n in text)
    parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    if not all(p.isdigit() for p in parts):
        raise ValueError(f"hidden layer sizes must be whole numbers separated by commas, like '2, 3'; got {text!r}")
    hidden = tuple(int(p) for p in parts)
    if any(n < 1 or n > MAX_WIDTH for n in hidden):
        raise ValueError(f"each hidden layer needs between 1 and {MAX_WIDTH} neurons; got {text!r}")
    if len(hidden) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, please; got {len(hidden)}")
    return hidden


def get_data(dataset):
    """Higham & Higham's ten points or 100 drawn points: ``X`` (n, 2) and one-hot ``Y`` (n, 2)."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown data set {dataset!r}: choose one of {', '.join(DATASETS)}")
    if dataset == "higham":
        return load_dataset("higham")
    return make_dataset(dataset, GENERATED_POINTS, GENERATED_NOISE, seed=DATA_SEED)


def decision_regions(net, X, resolution=RESOLUTION):
    """The class the network assigns to each point of a grid over the data.

    Returns
    -------
    regions : ndarray of int, shape (resolution, resolution)
        Row ``i`` is the ``i``-th grid line from the bottom.
    extent : tuple of float
        ``(x_min, x_max, y_min, y_max)``.
    """
    xx, yy, points = grid_for(X, resolution=resolution)
    return class_regions(net, points).reshape(xx.shape), grid_extent(X)


def grid_extent(X) -> tuple:
    """``(x_min, x_max, y_min, y_max)`` of the grid over the data (``plots.grid_for``)."""
    xx, yy, _ = grid_for(X, resolution=2)
    return float(xx.min()), float(xx.max()), float(yy.min()), float(yy.max())


def one_class(net, X) -> bool:
    """True if the network puts every training point in the same class."""
    return bool(np.unique(class_regions(net, X)).size == 1)


def output_saturated(net, X) -> bool:
    """True if every output unit sits in a flat tail of its activation for every sample:
    ``sigma'(z[L])`` below ``SATURATION`` times its peak ``sigma'(0)`` (1/4 for the sigmoid,
    1 for tanh).  Then the output delta (22) is nearly 0 and so is every gradient."""
    sigma = net.output_activation
    z_L = net.forward(X).z[-1]
    return bool(np.all(sigma.prime(z_L) < SATURATION * sigma.prime(0.0)))


def diagnose(iterations, cost, learning_rate, one_class=False, saturated=False, accuracy=0.0):
    """Say in plain words whether a run went wrong, from its recorded cost.

    Parameters
    ----------
    iterations, cost : ndarray of shape (n_records,)
        The run's history; ``cost[0]`` is the cost before training.
    learning_rate : float
    one_class : bool
        The trained network puts every training point in the same class (:func:`one_class`).
    saturated : bool
        Its output units are saturated (:func:`output_saturated`).
    accuracy : float
        Its final accuracy; saturated outputs are only a problem below 1.

    Returns
    -------
    status : str
        ``"went up"``, ``"unstable"``, ``"saturated"``, ``"no progress"`` or ``"ok"``
        (checked in that order).
    message : str
        Empty for ``"ok"``.
    """
    start, final = float(cost[0]), float(cost[-1])
    best = int(np.argmin(cost))
    lr = f"{learning_rate:.3g}"
    too_large = f"the learning rate {lr} is too large, try a smaller one"
    if final > start:
        return "went up", f"the cost went up (from {start:.3f} to {final:.3f}): {too_large}"
    if final > JUMP_FACTOR * cost[best]:
        return "unstable", (f"the cost jumped back up (from {cost[best]:.3g} at iteration {iterations[best]:,} "
                            f"to {final:.3g}): {too_large}")
    if saturated and accuracy < 1.0:
        return "saturated", (f"the outputs are saturated (sigma' is about 0, so the gradient vanished) and the cost "
                             f"is stuck at {final:.3f} with {accuracy:.0%} accuracy: {too_large}")
    if one_class:
        return "no progress", (f"every point is still put in one class (cost {start:.3f} at the start, "
                               f"{final:.3f} at the end): the network has not learned yet; try more iterations "
                               f"or another learning rate")
    if start - final < PROGRESS * start:
        return "no progress", (f"the cost hardly moved (from {start:.3f} to {final:.3f}): the learning rate {lr} "
                               f"may be too small; try a larger one or more iterations")
    return "ok", ""


def run_experiment(learning_rate=5.0, activation="sigmoid", dataset="higham", hidden="2, 3", iterations=1000,
                   batch_size=10, seed=0, callback=None) -> ExperimentResult:
    """Train a fresh network on a data set and report how it went (defaults: :data:`DEFAULTS`).

    Parameters
    ----------
    learning_rate : float
        The step size eta of stochastic gradient descent.
    activation : {"sigmoid", "tanh"}
        The activation of every layer, output included.
    dataset : {"higham", "xor", "circles", "moons", "spirals"}
    hidden : str or sequence of int
        Hidden layer widths, e.g. ``"2, 3"`` gives Higham & Higham's ``[2, 2, 3, 2]``.
    iterations, batch_size : int
        Number of SGD steps and samples drawn (with replacement) per step.
    seed : int
        Seeds both the initial weights and the choice of samples.
    callback : callable, optional
        ``callback(iteration, cost)``, passed on to :meth:`Network.train`.

    Returns
    -------
    ExperimentResult

    Raises
    ------
    ValueError
        For a bad control value, with a readable message.
    """
    hidden = parse_hidden(hidden)
    X, Y = get_data(dataset)
    if activation not in ACTIVATION_CHOICES:
        raise ValueError(f"unknown activation {activation!r}: choose one of {', '.join(ACTIVATION_CHOICES)}")
    net = Network([2, *hidden, 2], activation=activation, seed=seed)
    steps, costs = [], []

    def record(iteration, cost):  # keeps the history even if training stops early
        steps.append(iteration)
        costs.append(cost)
        if callback is not None:
            callback(iteration, cost)

    settings = dict(learning_rate=learning_rate, activation=activation, dataset=dataset, hidden=hidden,
                    iterations=iterations, batch_size=batch_size, seed=seed)
    every = max(1, iterations // CURVE_POINTS) if isinstance(iterations, int) else 1
    try:
        net.train(X, Y, learning_rate, iterations, batch_size=batch_size, seed=seed, record_every=every,
                  callback=record)
    except TrainingDiverged as exc:
        return ExperimentResult(settings, X, Y, np.array(steps), np.array(costs), "diverged", str(exc),
                                float("nan"), None, grid_extent(X), net)
    regions, extent = decision_regions(net, X)
    accuracy = net.accuracy(X, Y)
    status, message = diagnose(np.array(steps), np.array(costs), learning_rate, one_class(net, X),
                               output_saturated(net, X), accuracy)
    return ExperimentResult(settings, X, Y, np.array(steps), np.array(costs), status, message,
                            accuracy, regions, extent, net)
