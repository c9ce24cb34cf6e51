"""The model behind the training explorer: control values in, a trained network's story out.

Nothing here knows about widgets.  :func:`run_experiment` takes the values of the
explorer's controls, trains a network with :meth:`Network.train` (stochastic gradient
descent, as in the lecture notes "Gradient Descent and Backpropagation") and returns an
:class:`ExperimentResult`: the recorded cost, the final accuracy, the class the network
assigns to every point of a grid (the decision regions) and a plain-words :func:`diagnose`
of what went wrong, if anything.

Every value is checked here, not only by the sliders: in a classroom app a browser can send
any value.  :func:`run_experiment` refuses a value outside its control's range and a run
beyond :data:`MAX_WORK`; :func:`clamp_settings` brings values back into range.

With sigmoid or tanh outputs and the quadratic cost (18) the cost is bounded, so a too
large learning rate rarely makes it infinite (:class:`TrainingDiverged`).  What happens
instead, and what :func:`diagnose` looks for:

* the cost ends *higher* than it started ("went up");
* the cost reaches a low value and then jumps far above it ("unstable");
* every output unit is pushed into the flat tail of its activation, where
  ``sigma'(z) ~ 0``: by (22) the output delta is then ~0, the gradient vanishes and
  training is stuck ("saturated");
* the cost hardly moves at all: a too *small* learning rate, too few iterations, or a
  plateau ("no progress");
* the cost fell, but some training points are still on the wrong side ("partial").
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np

from .data import load_dataset, make_dataset
from .errors import TrainingDiverged
from .network import Network
from .plots import class_regions, grid_for

DATASETS = ("higham", "xor", "circles", "moons", "spirals")
ACTIVATION_CHOICES = ("sigmoid", "tanh")
GENERATED_POINTS, GENERATED_NOISE, DATA_SEED = 100, 0.03, 0  # the drawn data sets are fixed
MAX_WIDTH, MAX_HIDDEN_LAYERS = 50, 5  # keep every run small enough for a classroom
MAX_HIDDEN_TEXT = 100  # characters in the hidden-layers box
RESOLUTION = 160  # decision-region grid: RESOLUTION x RESOLUTION points (smooth at 2x pixel density)
CURVE_POINTS = 100  # about this many recorded costs per run

# The range of each control.  The widget's sliders stop there, but a browser can send any
# value, so run_experiment refuses and clamp_settings clamps what lies outside.
LEARNING_RATE_RANGE = (1e-3, 100.0)
BATCH_SIZE_RANGE = (1, 100)
ITERATIONS_RANGE = (1, 100_000)
ITERATION_CHOICES = (100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000)
SEED_RANGE = (0, 10**6)
# The work of one run, iterations x batch size x parameters, is at most this: about 1 to 7
# seconds on a classroom laptop, whatever the controls say.
MAX_WORK = 10**9

# The explorer's starting values: quick (well under 0.1 s) and a clean fit on Higham's
# ten points from any seed: seeds 0 to 29 all end with 10 of 10 right.  Higham & Higham's
# own 2-2-3-2 network sits on a long plateau first (notebook 05, Section 2): with "2, 3"
# only about 3 seeds in 10 get there within 1,000 steps.
DEFAULTS = dict(learning_rate=10.0, activation="sigmoid", dataset="higham", hidden="8", iterations=1000,
                batch_size=10, seed=0)

# The guided experiment of notebook 05 and of the classroom app, one step at a time: what
# to set, as complete keyword arguments of run_experiment.  tests/test_widget_training.py
# checks what each step shows.
GUIDED_EXPERIMENT = [
    ("too small", {**DEFAULTS, "learning_rate": 0.01}),  # the cost stays on the plateau
    ("about right", dict(DEFAULTS)),  # 10 of 10 right, from any seed
    ("too large", {**DEFAULTS, "learning_rate": 100.0}),  # the cost ends above its start
    ("tanh, learning rate 10", {**DEFAULTS, "activation": "tanh"}),  # too large for tanh
    ("tanh, learning rate 1", {**DEFAULTS, "activation": "tanh", "learning_rate": 1.0, "iterations": 2000}),
    ("circles", {**DEFAULTS, "dataset": "circles", "iterations": 5000}),
    ("spirals", {**DEFAULTS, "dataset": "spirals", "hidden": "20, 20", "iterations": 20_000}),
]

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
        ``"ok"`` (every training point right), ``"partial"``, ``"diverged"``, ``"went up"``,
        ``"unstable"``, ``"saturated"`` or ``"no progress"`` (see :func:`diagnose`), and a
        plain sentence ("" for "ok").
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
    if len(text) > MAX_HIDDEN_TEXT:
        raise ValueError(f"hidden layer sizes: at most {MAX_HIDDEN_TEXT} characters, like '2, 3'; "
                         f"got {len(text):,} characters")
    parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    if not all(p.isdigit() for p in parts):
        raise ValueError(f"hidden layer sizes must be whole numbers separated by commas, like '2, 3'; got {text!r}")
    hidden = tuple(int(p) for p in parts)
    if any(n < 1 or n > MAX_WIDTH for n in hidden):
        raise ValueError(f"each hidden layer needs between 1 and {MAX_WIDTH} neurons; got {text!r}")
    if len(hidden) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, please; got {len(hidden)}")
    return hidden


def n_parameters(hidden) -> int:
    """How many weights and biases a ``[2, *hidden, 2]`` network has: sum of ``(n_{l-1} + 1) n_l``."""
    sizes = [2, *parse_hidden(hidden), 2]
    return sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def check_budget(iterations, batch_size, hidden) -> int:
    """The work of a run, ``iterations x batch_size x parameters``; a ``ValueError`` beyond
    :data:`MAX_WORK`, saying what to change."""
    work = iterations * batch_size * n_parameters(hidden)
    if work > MAX_WORK:
        raise ValueError(f"that run is too big for the classroom: {iterations:,} iterations x batch size "
                         f"{batch_size} x {n_parameters(hidden):,} parameters = {work:,}, over the limit of "
                         f"{MAX_WORK:,}; use fewer iterations, a smaller batch or fewer neurons")
    return work


def _number(x) -> str:
    """A control value as a person reads it: 100,000 and 0.001."""
    if isinstance(x, Integral) or (float(x).is_integer() and abs(x) < 1e15):
        return f"{int(x):,}"
    return f"{x:.6g}"


def _in_range(name, value, low, high, kind):
    """``value`` if it is a ``kind`` number within ``[low, high]``; else a ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, kind) or not low <= value <= high:
        whole = "whole " if kind is Integral else ""
        raise ValueError(f"{name} must be a {whole}number from {_number(low)} to {_number(high)}, got {value!r}")
    return value


def check_settings(learning_rate, activation, dataset, hidden, iterations, batch_size, seed) -> dict:
    """The settings of a run, each checked against its control's range (``ValueError`` if not)."""
    if activation not in ACTIVATION_CHOICES:
        raise ValueError(f"unknown activation {activation!r}: choose one of {', '.join(ACTIVATION_CHOICES)}")
    if dataset not in DATASETS:
        raise ValueError(f"unknown data set {dataset!r}: choose one of {', '.join(DATASETS)}")
    settings = dict(learning_rate=float(_in_range("learning rate", learning_rate, *LEARNING_RATE_RANGE, Real)),
                    activation=activation, dataset=dataset, hidden=parse_hidden(hidden),
                    iterations=int(_in_range("iterations", iterations, *ITERATIONS_RANGE, Integral)),
                    batch_size=int(_in_range("batch size", batch_size, *BATCH_SIZE_RANGE, Integral)),
                    seed=int(_in_range("seed", seed, *SEED_RANGE, Integral)))
    check_budget(settings["iterations"], settings["batch_size"], settings["hidden"])
    return settings


def clamp_settings(values) -> tuple:
    """Bring each number back into its control's range (a text or a choice is left for
    :func:`check_settings` to refuse).

    Parameters
    ----------
    values : dict, keyword arguments of :func:`run_experiment`

    Returns
    -------
    settings : dict, the values with every number clamped (rounded to a whole number where
        the control takes whole numbers)
    notes : list of str, one plain sentence per value changed (empty if none was)
    """
    ranges = {"learning_rate": LEARNING_RATE_RANGE, "iterations": ITERATIONS_RANGE,
              "batch_size": BATCH_SIZE_RANGE, "seed": SEED_RANGE}
    settings, notes = dict(values), []
    for name, (low, high) in ranges.items():
        value = settings[name]
        words = name.replace("_", " ")
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            settings[name] = DEFAULTS[name]
            notes.append(f"{words} {value!r} is not a number: used {_number(DEFAULTS[name])}")
            continue
        new = min(max(value, low), high)
        new = float(new) if isinstance(low, float) else int(round(new))
        if new != value:
            why = (f"is outside {_number(low)} to {_number(high)}" if not low <= value <= high
                   else "is not a whole number")
            notes.append(f"{words} {_number(value)} {why}: used {_number(new)}")
            settings[name] = new
    return settings, notes


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


def diagnose(iterations, cost, learning_rate, one_class=False, saturated=False, accuracy=None):
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
    accuracy : float, optional
        Its final accuracy, from 0 to 1; saturated outputs are only a problem below 1, and
        below 1 a run that learned is a "partial" fit.  None: not known (never "partial").

    Returns
    -------
    status : str
        ``"went up"``, ``"unstable"``, ``"saturated"``, ``"no progress"``, ``"partial"`` or
        ``"ok"`` (checked in that order).
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
    short = accuracy is not None and accuracy < 1.0
    if saturated and short:
        return "saturated", (f"the outputs are saturated (sigma' is about 0, so the gradient vanished) and the cost "
                             f"is stuck at {final:.3f} with {accuracy:.0%} accuracy: {too_large}")
    if one_class:
        return "no progress", (f"every point is still put in one class (cost {start:.3f} at the start, "
                               f"{final:.3f} at the end): the network has not learned yet; try more iterations "
                               f"or another learning rate")
    if start - final < PROGRESS * start:
        return "no progress", (f"the cost hardly moved (from {start:.3f} to {final:.3f}): the learning rate {lr} "
                               f"may be too small; try a larger one or more iterations")
    if short:
        return "partial", (f"a partial fit: {accuracy:.0%} of the points are on the right side (cost {start:.3f} "
                           f"at the start, {final:.3f} at the end); try more iterations, more neurons or another "
                           f"learning rate")
    return "ok", ""


def run_experiment(learning_rate=10.0, activation="sigmoid", dataset="higham", hidden="8", iterations=1000,
                   batch_size=10, seed=0, callback=None) -> ExperimentResult:
    """Train a fresh network on a data set and report how it went (defaults: :data:`DEFAULTS`).

    Parameters
    ----------
    learning_rate : float, from 0.001 to 100
        The step size eta of stochastic gradient descent.
    activation : {"sigmoid", "tanh"}
        The activation of every layer, output included.
    dataset : {"higham", "xor", "circles", "moons", "spirals"}
    hidden : str or sequence of int
        Hidden layer widths, e.g. ``"2, 3"`` gives Higham & Higham's ``[2, 2, 3, 2]``.
    iterations : int, from 1 to 100,000
        Number of SGD steps.
    batch_size : int, from 1 to 100
        Samples drawn (with replacement) per step.
    seed : int, from 0 to 10**6
        Seeds both the initial weights and the choice of samples.
    callback : callable, optional
        ``callback(iteration, cost)``, passed on to :meth:`Network.train`.

    Returns
    -------
    ExperimentResult

    Raises
    ------
    ValueError
        For a value outside its control's range (see :func:`check_settings`) or a run
        beyond :data:`MAX_WORK`, with a readable message; nothing is trained then.
    """
    settings = check_settings(learning_rate, activation, dataset, hidden, iterations, batch_size, seed)
    learning_rate, hidden, iterations, batch_size, seed = (settings[k] for k in (
        "learning_rate", "hidden", "iterations", "batch_size", "seed"))
    X, Y = get_data(dataset)
    net = Network([2, *hidden, 2], activation=activation, seed=seed)
    steps, costs = [], []

    def record(iteration, cost):  # keeps the history even if training stops early
        steps.append(iteration)
        costs.append(cost)
        if callback is not None:
            callback(iteration, cost)

    every = max(1, iterations // CURVE_POINTS)
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
