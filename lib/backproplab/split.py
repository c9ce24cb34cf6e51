"""Training, validation and test sets: a seeded, stratified random split.

The network learns from the training set; the validation set chooses between settings
(weight decay, dropout, when to stop); the test set is looked at once, at the end, to say
how well the chosen network does on data it has never influenced.

The split is *stratified*: each class is split in the given proportions on its own, so
that every class appears in every part in about the same share as in the whole data set.
On the digits (about 180 images of each digit) an unstratified split of 10 % could leave
one digit with half the examples of another; a stratified one cannot.
"""
from __future__ import annotations

import math
from numbers import Real

import numpy as np

from . import validation

PART_NAMES = ("training", "validation", "test")


def train_validation_test_split(X, Y, fractions=(0.6, 0.2, 0.2), seed=0, stratify=True):
    """Split ``(X, Y)`` at random into training, validation and test sets.

    Each class (the position of the largest entry of a row of ``Y``; for a single output
    column, ``Y > 0.5``) is shuffled with ``numpy.random.default_rng(seed)`` and cut in the
    proportions ``fractions`` (rounded to whole samples), then each part is shuffled so that
    the classes are mixed.  The same seed gives the same split.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
    Y : array_like of shape (n_samples, n_outputs)
        One-hot targets.
    fractions : sequence of three floats
        The shares of the training, validation and test sets: positive, summing to 1.
    seed : int
        Seed of ``numpy.random.default_rng``, an integer >= 0.
    stratify : bool
        Split each class on its own (default); ``False`` splits all the samples at once.

    Returns
    -------
    (X_train, Y_train), (X_val, Y_val), (X_test, Y_test) : three pairs of ndarray
        New arrays (copies), of shapes ``(n_part, n_features)`` and ``(n_part, n_outputs)``,
        with ``n_train + n_val + n_test = n_samples``.

    Raises
    ------
    ValueError
        For arrays of the wrong shape, fractions that are not three positive numbers
        summing to 1, or a part that would be empty.
    """
    X, Y = validation.as_batch(X, "X"), validation.as_batch(Y, "Y")
    if X.shape[0] != Y.shape[0]:
        raise ValueError(f"X has shape {X.shape} and Y has shape {Y.shape}; expected the same number of samples")
    fractions = _as_fractions(fractions)
    if not isinstance(stratify, (bool, np.bool_)):
        raise ValueError(f"stratify must be True or False, got {stratify!r}")
    rng = np.random.default_rng(validation.as_seed(seed))
    classes = np.argmax(Y, axis=1) if Y.shape[1] > 1 else (Y[:, 0] > 0.5).astype(int)
    groups = [np.flatnonzero(classes == c) for c in np.unique(classes)] if stratify else [np.arange(len(X))]
    cuts = np.cumsum(fractions)[:2]
    parts = [[], [], []]
    for group in groups:
        group = rng.permutation(group)
        for part, piece in zip(parts, np.split(group, np.round(cuts * len(group)).astype(int))):
            part.append(piece)
    parts = [rng.permutation(np.concatenate(part)) for part in parts]
    for name, part in zip(PART_NAMES, parts):
        if len(part) == 0:
            sizes = ", ".join(f"{n} {len(p)}" for n, p in zip(PART_NAMES, parts))
            raise ValueError(f"the {name} set would be empty ({sizes} of {len(X)} samples with fractions "
                             f"{tuple(fractions)}); use more samples or a larger {name} fraction")
    return tuple((X[idx], Y[idx]) for idx in parts)


def _as_fractions(fractions) -> tuple:
    """Three positive finite numbers summing to 1 (to within 1e-9)."""
    try:
        values = tuple(fractions)
    except TypeError:
        values = None
    if values is None or len(values) != 3 or not all(
            isinstance(f, Real) and not isinstance(f, bool) and math.isfinite(f) and f > 0 for f in values) \
            or abs(sum(values) - 1) > 1e-9:
        raise ValueError(f"fractions must be three positive numbers summing to 1 (training, validation, "
                         f"test), such as (0.6, 0.2, 0.2); got {fractions!r}")
    return tuple(float(f) for f in values)
