"""The model behind notebook 07's generalisation explorer: data, one training run, what it means.

Nothing here knows about widgets (the widget is :mod:`backproplab.widgets.generalisation`).

**Data.**  Each data set is split once, with fixed seeds, into a pool of training data, a
validation set and a test set (:func:`get_split`):

* ``"digits"``: the 1,797 handwritten digits, split 60/20/20 and stratified by
  :func:`~backproplab.split.train_validation_test_split` with seed 0 (1,078 / 360 / 359);
* ``"moons"``, ``"circles"``, ``"spirals"``, ``"xor"``: 1,000 training, 200 validation and 500
  test points drawn by :func:`~backproplab.data.make_dataset` with three seeds, then centred
  on 0 and stretched by 4, ``x -> 4 (x - 0.5)``: the sigmoid units then start in their steep
  middle part and a network fits (and overfits) a few points in a few hundred steps.

A run trains on the first ``n_train`` samples of the pool in :func:`balanced_order`, which
takes the classes in turn: ten digits are one of each.

**A run** (:func:`run_generalisation`) trains a fresh ``[n_in, hidden, n_out]`` network
(sigmoid units, cross-entropy cost, as in notebook 01) with :meth:`Network.train`, records
the exact cost (9) on the training and on the validation set at every recording
(:class:`CostRecorder`, independent of how ``History`` records), and says in words whether
the network overfits, underfits or neither (:func:`diagnose_fit`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from numbers import Integral, Real

import numpy as np

from .budget import check_budget
from .data import load_dataset, make_dataset
from .errors import TrainingDiverged
from .explorer import decision_regions
from .network import Network
from .split import train_validation_test_split

DATASETS = ("moons", "circles", "spirals", "xor", "digits")
NOISE = {"moons": 0.07, "circles": 0.06, "spirals": 0.03, "xor": 0.04}  # jitter of the 2-D sets
POINTS = {"training": 1000, "validation": 200, "test": 500}  # of each 2-D set
SEEDS = {"training": 1, "validation": 2, "test": 3}
STRETCH = 4.0  # 2-D points x -> STRETCH (x - 0.5)
# Fixed training settings: the explorer is about generalisation, not about the learning rate.
LEARNING = {"2-D": dict(learning_rate=2.0, batch_size=20), "digits": dict(learning_rate=1.0, batch_size=16)}
NETWORK = dict(activation="sigmoid", output_activation="sigmoid", cost="cross_entropy")

# The controls' ranges; the kernel clamps every value into them (check_settings).
MIN_TRAIN = 10
MAX_WIDTH = 100
MAX_WEIGHT_DECAY = 0.1
MAX_DROPOUT = 0.8
MIN_ITERATIONS, MAX_ITERATIONS = 10, 10_000
MAX_SEED = 10**6
PATIENCE = 5  # early stopping: recordings without a new lowest validation cost
CURVE_POINTS = 25  # recordings per run: every recording costs two passes over the data
RESOLUTION = 64  # decision-region grid: RESOLUTION x RESOLUTION points
DEFAULTS = dict(dataset="moons", n_train=20, hidden=50, weight_decay=0.0, dropout=0.0, early_stopping=False,
                iterations=1000, seed=0)

# Thresholds of diagnose_fit().  SGD makes the recorded costs jitter, so the end of a run is
# the median of its last TAIL recordings, not the last one.
RISE = 1.25  # "overfitting": the validation cost ends at least 1.25 times its lowest value, while the
TAIL = 5  # training cost ends at most 1/1.25 = 80 % of its value there (both: the median of the last 5 recordings)
UNDERFIT = 0.90  # "underfitting": fewer than 90 % of the training samples classified right


# ----- data --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Split:
    """A data set cut into a training pool, a validation set and a test set.

    Attributes
    ----------
    name : str
    kind : {"2-D", "digits"}
    training, validation, test : pair of ndarray (X, Y)
        Read-only arrays, ``X`` of shape ``(n, n_features)``, one-hot ``Y`` of shape ``(n, n_classes)``.
    order : ndarray of int
        :func:`balanced_order` of the training pool: a run trains on ``order[:n_train]``.
    """

    name: str
    kind: str
    training: tuple
    validation: tuple
    test: tuple
    order: np.ndarray = field(repr=False)

    @property
    def pool_size(self) -> int:
        """How many training samples the pool holds."""
        return len(self.order)


def balanced_order(Y) -> np.ndarray:
    """Indices of the rows of one-hot ``Y`` taking the classes in turn, each class in its own order.

    The first ``n`` indices hold every class ``n // n_classes`` or ``n // n_classes + 1`` times
    (while a class has samples left).
    """
    labels = np.argmax(np.asarray(Y), axis=1)
    rank = np.zeros(len(labels), dtype=int)
    for c in np.unique(labels):
        members = labels == c
        rank[members] = np.arange(members.sum())  # 0, 1, 2, ... within the class
    return np.lexsort((labels, rank))  # by rank, then by class


def _read_only(*arrays):
    for a in arrays:
        a.flags.writeable = False
    return arrays


@lru_cache(maxsize=None)
def get_split(name) -> Split:
    """The training pool, validation set and test set of data set ``name`` (made once, then cached).

    Raises
    ------
    ValueError
        For a name not in :data:`DATASETS`.
    """
    if not isinstance(name, str) or name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}: choose one of {', '.join(DATASETS)}")
    if name == "digits":
        parts = train_validation_test_split(*load_dataset("digits"), fractions=(0.6, 0.2, 0.2), seed=0)
        kind = "digits"
    else:
        parts = []
        for part in ("training", "validation", "test"):
            X, Y = make_dataset(name, POINTS[part], NOISE[name], seed=SEEDS[part])
            parts.append((STRETCH * (X - 0.5), Y))
        kind = "2-D"
    parts = [_read_only(X, Y) for X, Y in parts]
    return Split(name, kind, *parts, order=_read_only(balanced_order(parts[0][1]))[0])


def training_set(split: Split, n_train: int):
    """The first ``n_train`` samples of the pool in balanced order: ``(X, Y)``."""
    X, Y = split.training
    idx = split.order[:n_train]
    return X[idx], Y[idx]


# ----- exact costs at every recording --------------------------------------------------------
@dataclass
class Curves:
    """Training and validation costs (9) recorded during a run.

    Attributes
    ----------
    iterations : ndarray of int, shape (n_records,), 0 = before training
    training_cost, validation_cost : ndarray of float, shape (n_records,)
        The mean per-sample cost of the whole network (no unit dropped, no weight-decay
        term) on each set, so that the two compare.
    """

    iterations: np.ndarray
    training_cost: np.ndarray
    validation_cost: np.ndarray

    @property
    def best(self) -> int:
        """The position of the lowest validation cost (the first, if tied)."""
        return int(np.argmin(self.validation_cost))


class CostRecorder:
    """A ``callback`` for :meth:`Network.train`: the exact costs of ``net`` at each recording.

    Parameters
    ----------
    net : Network, the network being trained
    training, validation : pair (X, Y) of ndarray
    then : callable, optional
        Called afterwards as ``then(iteration, training_cost, validation_cost)`` (a widget's
        progress bar).
    """

    def __init__(self, net, training, validation, then=None):
        self.net, self.training, self.validation, self.then = net, training, validation, then
        self.iterations, self.training_cost, self.validation_cost = [], [], []

    def __call__(self, iteration, _cost) -> None:
        # the costs are computed here, whatever `train` itself records
        c_train, c_val = self.net.cost(*self.training), self.net.cost(*self.validation)
        self.iterations.append(int(iteration))
        self.training_cost.append(c_train)
        self.validation_cost.append(c_val)
        if self.then is not None:
            self.then(iteration, c_train, c_val)

    def curves(self) -> Curves:
        """What was recorded so far."""
        return Curves(np.array(self.iterations, dtype=int), np.array(self.training_cost),
                      np.array(self.validation_cost))


def train_with_curves(net, training, validation, patience=None, **options):
    """``net.train(*training, **options)``, also recording both costs at every recording.

    Parameters
    ----------
    net : Network
    training, validation : pair (X, Y) of ndarray
    patience : int, optional
        Early stopping on ``validation`` with this patience (``train``'s ``validation`` and
        ``patience``); ``None`` (the default) trains for all the iterations.
    **options
        Other keyword arguments of :meth:`Network.train` (``learning_rate``, ``iterations``,
        ``weight_decay``, ``dropout``...).

    Returns
    -------
    history : History, what ``train`` returned
    curves : Curves
    """
    recorder = CostRecorder(net, training, validation)
    stop = {} if patience is None else dict(validation=validation, patience=patience)
    history = net.train(*training, callback=recorder, **stop, **options)
    return history, recorder.curves()


# ----- the controls, checked in the kernel ---------------------------------------------------
def _clamp(value, low, high, name, notes, fmt="{:g}"):
    """``value`` moved into ``[low, high]``; a note says so if it moved."""
    clamped = min(max(value, low), high)
    if clamped != value:
        notes.append(f"{name} {fmt.format(value)} is outside {fmt.format(low)} to {fmt.format(high)}: "
                     f"using {fmt.format(clamped)}")
    return clamped


def _whole(value, name) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    return int(value)


def _number(value, name) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def check_settings(dataset="moons", n_train=20, hidden=50, weight_decay=0.0, dropout=0.0, early_stopping=False,
                   iterations=1000, seed=0):
    """The control values made safe: a wrong type is refused, a number out of range is clamped.

    Returns
    -------
    settings : dict
        The values a run uses, keys as :data:`DEFAULTS`.
    notes : list of str
        One sentence per value that was clamped, for the readout.

    Raises
    ------
    ValueError
        For an unknown data set, a value of the wrong type, NaN or infinity.
    """
    notes = []
    split = get_split(dataset)  # refuses an unknown name
    if not isinstance(early_stopping, (bool, np.bool_)):
        raise ValueError(f"early_stopping must be True or False, got {early_stopping!r}")
    n_train = _whole(n_train, "the training set size")
    if n_train > split.pool_size:
        notes.append(f"the training set size {n_train:,} is more than the {split.pool_size:,} training samples "
                     f"of {dataset}: using all {split.pool_size:,}")
        n_train = split.pool_size
    settings = dict(
        dataset=dataset,
        n_train=_clamp(n_train, MIN_TRAIN, split.pool_size, "the training set size", notes, "{:,}"),
        hidden=_clamp(_whole(hidden, "the hidden width"), 1, MAX_WIDTH, "the hidden width", notes),
        weight_decay=_clamp(_number(weight_decay, "the weight decay"), 0.0, MAX_WEIGHT_DECAY, "the weight decay",
                            notes),
        dropout=_clamp(_number(dropout, "the dropout rate"), 0.0, MAX_DROPOUT, "the dropout rate", notes),
        early_stopping=bool(early_stopping),
        iterations=_clamp(_whole(iterations, "iterations"), MIN_ITERATIONS, MAX_ITERATIONS, "iterations", notes,
                          "{:,}"),
        seed=_clamp(_whole(seed, "the seed"), 0, MAX_SEED, "the seed", notes))
    return settings, notes


# ----- one run and what it means ---------------------------------------------------------------
@dataclass
class GeneralisationResult:
    """What one run of the explorer produced.

    Attributes
    ----------
    settings : dict, the values used (after :func:`check_settings`)
    notes : list of str, the values that were clamped
    split : Split; X, Y : the training set used, shapes ``(n_train, n_features)``, ``(n_train, n_classes)``
    curves : Curves, up to the end of the run (or the failure)
    status, message : str
        ``"ok"``, ``"overfitting"``, ``"underfitting"`` or ``"diverged"`` and a plain sentence.
    stopped_at, restored : int or None
        With early stopping: the iteration the run stopped after (None if it ran to the end)
        and the iteration whose parameters the network holds.
    train_accuracy, test_accuracy : float (nan if diverged)
    n_test_correct : int
    regions, extent : the 2-D sets' decision regions (``None`` for the digits or after a divergence)
    confusion : ndarray of int, shape (10, 10), or None: the digits' test confusion matrix
    net : Network, after training
    """

    settings: dict
    notes: list
    split: Split = field(repr=False)
    X: np.ndarray = field(repr=False)
    Y: np.ndarray = field(repr=False)
    curves: Curves
    status: str
    message: str
    stopped_at: int | None = None
    restored: int | None = None
    train_accuracy: float = float("nan")
    test_accuracy: float = float("nan")
    n_test_correct: int = 0
    regions: np.ndarray | None = field(default=None, repr=False)
    extent: tuple | None = None
    confusion: np.ndarray | None = field(default=None, repr=False)
    net: Network | None = field(default=None, repr=False)


def confusion_matrix(net, X, Y) -> np.ndarray:
    """``M[i, j]``: how many samples of class ``i`` the network puts in class ``j`` (argmax)."""
    n = Y.shape[1]
    true, predicted = np.argmax(Y, axis=1), np.argmax(net.predict(X), axis=1)
    return np.bincount(n * true + predicted, minlength=n * n).reshape(n, n)


def diagnose_fit(curves: Curves, train_accuracy: float, settings: dict):
    """Say in words whether the trained network underfits, overfits or neither.

    Checked in this order: *underfitting* (fewer than ``UNDERFIT`` of the training samples
    right); *overfitting* (at the end of the run, the validation cost is at least ``RISE``
    times its lowest value, while the training cost is at most ``1 / RISE`` times its value at
    that point: one rose while the other fell; "at the end" is the median of the last ``TAIL``
    recordings); else *ok*.

    Returns
    -------
    status : {"underfitting", "overfitting", "ok"}
    message : str
    """
    c_train, c_val, its = curves.training_cost, curves.validation_cost, curves.iterations
    best = curves.best
    train_end, val_end = float(np.median(c_train[-TAIL:])), float(np.median(c_val[-TAIL:]))
    if train_accuracy < UNDERFIT:
        causes = []
        if settings["weight_decay"] > 0:
            causes.append(f"weight decay {settings['weight_decay']:g} too strong")
        if settings["dropout"] > 0:
            causes.append(f"dropout {settings['dropout']:g} too high")
        causes += [f"{settings['hidden']} hidden units too few", f"{settings['iterations']:,} iterations too few"]
        return "underfitting", (f"Underfitting: the network gets only {train_accuracy:.0%} of its own training set "
                                f"right (training cost {train_end:.3g}). Perhaps {', or '.join(causes)}.")
    if val_end >= RISE * c_val[best] and train_end * RISE <= c_train[best]:
        return "overfitting", (f"Overfitting: the validation cost rose from {c_val[best]:.3g} (iteration "
                               f"{its[best]:,}) to about {val_end:.3g} while the training cost fell from "
                               f"{c_train[best]:.3g} to about {train_end:.3g}. Try weight decay, dropout, early "
                               "stopping or more training data.")
    return "ok", (f"No sign of overfitting: the validation cost ends at about {val_end:.3g}, within "
                  f"{RISE - 1:.0%} of its lowest value {c_val[best]:.3g}.")


def run_generalisation(dataset="moons", n_train=20, hidden=50, weight_decay=0.0, dropout=0.0, early_stopping=False,
                       iterations=1000, seed=0, callback=None) -> GeneralisationResult:
    """Train a fresh network with the explorer's settings and report how well it generalises.

    Parameters
    ----------
    dataset : {"moons", "circles", "spirals", "xor", "digits"}
    n_train : int, the training set size (the first ``n_train`` of the pool, classes in turn)
    hidden : int, the width of the one hidden layer
    weight_decay : float, lambda of L2 weight decay (0 for none)
    dropout : float, the probability of dropping a hidden unit (0 for none)
    early_stopping : bool, stop after :data:`PATIENCE` recordings without a new lowest
        validation cost and restore the best parameters
    iterations, seed : int, SGD steps, and the seed of the initial weights, the samples and the masks
    callback : callable, optional
        ``callback(iteration, training_cost, validation_cost)`` at every recording.

    Returns
    -------
    GeneralisationResult

    Raises
    ------
    ValueError
        For a control value of the wrong type (:func:`check_settings`) or a run beyond the
        work budget (:func:`~backproplab.budget.check_budget`).
    """
    s, notes = check_settings(dataset, n_train, hidden, weight_decay, dropout, early_stopping, iterations, seed)
    split = get_split(s["dataset"])
    X, Y = training_set(split, s["n_train"])
    learning = LEARNING[split.kind]
    sizes = [X.shape[1], s["hidden"], Y.shape[1]]
    check_budget(sizes, s["iterations"], learning["batch_size"])  # before anything is trained
    net = Network(sizes, seed=s["seed"], **NETWORK)
    recorder = CostRecorder(net, (X, Y), split.validation, callback)
    stop = dict(validation=split.validation, patience=PATIENCE) if s["early_stopping"] else {}
    try:
        history = net.train(X, Y, iterations=s["iterations"], seed=s["seed"],
                            record_every=max(1, s["iterations"] // CURVE_POINTS), callback=recorder,
                            weight_decay=s["weight_decay"], dropout=s["dropout"], **learning, **stop)
    except TrainingDiverged as exc:
        message = (f"Training diverged at iteration {exc.iteration:,}: the cost grew without bound, so there is "
                   "no accuracy to show. Try a smaller weight decay or another seed.")
        return GeneralisationResult(s, notes, split, X, Y, recorder.curves(), "diverged", message, net=net)
    curves = recorder.curves()
    train_accuracy = net.accuracy(X, Y)
    status, message = diagnose_fit(curves, train_accuracy, s)
    restored = None
    if s["early_stopping"]:  # the network holds the parameters of the lowest validation cost
        restored = history.best_iteration
        if status == "overfitting":
            status = "ok"
        if status == "ok":
            message = early_stopping_message(curves, history.stopped_at, restored)
    X_test, Y_test = split.test
    test_accuracy = net.accuracy(X_test, Y_test)
    regions = extent = confusion = None
    if split.kind == "2-D":
        regions, extent = region_grid(net, split)
    else:
        confusion = confusion_matrix(net, X_test, Y_test)
    return GeneralisationResult(s, notes, split, X, Y, curves, status, message, history.stopped_at, restored,
                                train_accuracy, test_accuracy, int(round(test_accuracy * len(X_test))),
                                regions, extent, confusion, net)


def early_stopping_message(curves: Curves, stopped_at, restored) -> str:
    """What early stopping did, in words: where it stopped and which parameters it kept."""
    lowest = float(curves.validation_cost[list(curves.iterations).index(restored)])
    if stopped_at is None:
        return (f"Early stopping: the run did all its iterations; the network holds the parameters of iteration "
                f"{restored:,}, where the validation cost was lowest ({lowest:.3g}).")
    return (f"Early stopping: {PATIENCE} recordings in a row did not beat the validation cost {lowest:.3g} of "
            f"iteration {restored:,}, so the run stopped at iteration {stopped_at:,} and the network holds the "
            f"parameters of iteration {restored:,}.")


def region_grid(net, split: Split):
    """The decision regions over the whole 2-D data set (the same grid for every run on it)."""
    everything = np.vstack([split.training[0], split.validation[0], split.test[0]])
    return decision_regions(net, everything, resolution=RESOLUTION)
