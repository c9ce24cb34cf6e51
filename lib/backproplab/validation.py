"""Checks of user input, so that mistakes give a clear ``ValueError``.

Each function returns the cleaned value (a float array, an int...) or raises a
``ValueError`` whose message says what was wrong and what was expected.
"""
from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np


def as_data(values, name: str, n_columns: int) -> np.ndarray:
    """``values`` as a float array of shape ``(n_columns,)`` or ``(n_samples, n_columns)``.

    Raises
    ------
    ValueError
        For a wrong shape, no samples, or NaN / infinite entries.
    """
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers: {exc}") from None
    expected = f"shape ({n_columns},) for one sample or (n_samples, {n_columns}) for a batch"
    if arr.ndim not in (1, 2):
        raise ValueError(f"{name} has shape {arr.shape}; expected {expected}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); expected {expected} with n_samples >= 1")
    if arr.shape[-1] != n_columns:
        raise ValueError(f"{name} has shape {arr.shape}; expected {expected}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values; every entry must be a finite number")
    return arr


def as_batch(values, name: str) -> np.ndarray:
    """``values`` as a float array of shape ``(n_samples, n_columns)``, any number of columns."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers: {exc}") from None
    if arr.ndim != 2:
        raise ValueError(f"{name} has shape {arr.shape}; expected (n_samples, n_columns)")
    return as_data(arr, name, arr.shape[1])


def as_pair(X, Y, n_in: int, n_out: int, names=("X", "Y")):
    """Check inputs ``X`` and targets ``Y`` together: each shape, and the same sample count."""
    x_name, y_name = names
    X = as_data(X, x_name, n_in)
    Y = as_data(Y, y_name, n_out)
    if X.ndim != Y.ndim or (X.ndim == 2 and X.shape[0] != Y.shape[0]):
        want = (n_out,) if X.ndim == 1 else (X.shape[0], n_out)
        raise ValueError(f"{y_name} has shape {Y.shape} but {x_name} has shape {X.shape}; "
                         f"expected {y_name} of shape {want}")
    return X, Y


def as_sizes(sizes) -> tuple:
    """Layer widths as a tuple of at least two positive ints."""
    try:
        sizes = tuple(sizes)
    except TypeError:
        raise ValueError(f"sizes must be a list of layer widths such as [2, 3, 2], got {sizes!r}") from None
    if len(sizes) < 2:
        raise ValueError(f"sizes {list(sizes)} has {len(sizes)} layer(s); a network needs at least 2 (input and output)")
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, Integral) or n < 1:
            raise ValueError(f"sizes {list(sizes)} contains {n!r}; every layer width must be an integer >= 1")
    return tuple(int(n) for n in sizes)


def as_learning_rate(learning_rate) -> float:
    """A positive, finite learning rate as a float."""
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, Real) \
            or not math.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"learning_rate must be a positive finite number, got {learning_rate!r}")
    return float(learning_rate)


def as_count(value, name: str) -> int:
    """An integer >= 1 (iterations, batch sizes, ...)."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def as_weight_decay(weight_decay) -> float:
    """The weight-decay coefficient lambda: a finite number >= 0, as a float."""
    if isinstance(weight_decay, bool) or not isinstance(weight_decay, Real) \
            or not math.isfinite(weight_decay) or weight_decay < 0:
        raise ValueError(f"weight_decay must be a finite number >= 0 (0 for none), got {weight_decay!r}")
    return float(weight_decay)


def as_dropout(p) -> float:
    """The dropout probability: a number with ``0 <= p < 1``, as a float."""
    if isinstance(p, bool) or not isinstance(p, Real) or not (0 <= p < 1):
        raise ValueError(f"dropout must be a probability 0 <= p < 1 (0 for none), got {p!r}")
    return float(p)


def as_mask(mask, sizes, x_shape):
    """A dropout mask as a list of float arrays, one per hidden layer ``2, ..., L-1``.

    ``mask`` is a sequence in layer order (a list, or the ``ByLayer`` that
    :func:`~backproplab.regularisation.dropout_mask` draws); ``mask[l]`` has shape
    ``(n_l,)`` (the same for every sample) or, for a batch ``x_shape = (n_samples, n_1)``,
    ``(n_samples, n_l)``; every entry finite.
    """
    hidden = sizes[1:-1]
    if not hidden:
        raise ValueError(f"a mask acts on hidden layers, and the network {list(sizes)} has none")
    if isinstance(mask, (str, bytes)) or not hasattr(mask, "__len__") or len(mask) != len(hidden):
        n = len(mask) if hasattr(mask, "__len__") else "not a sequence"
        raise ValueError(f"mask must hold one array for each hidden layer 2, ..., {len(sizes) - 1} "
                         f"({len(hidden)} of them), got {n}")
    if hasattr(mask, "layers") and list(mask.layers) != list(range(2, len(sizes))):
        raise ValueError(f"mask holds layers {list(mask.layers)}; expected the hidden layers "
                         f"{list(range(2, len(sizes)))}")
    arrays = []
    for l, (m, n) in enumerate(zip(mask, hidden), start=2):
        try:
            m = np.asarray(m, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"mask[{l}] must be an array of numbers: {exc}") from None
        allowed = [(n,)] + ([(x_shape[0], n)] if len(x_shape) == 2 else [])
        if m.shape not in allowed:
            raise ValueError(f"mask[{l}] has shape {m.shape}; expected {' or '.join(map(str, allowed))} "
                             f"for layer {l} of {n} units")
        if not np.all(np.isfinite(m)):
            raise ValueError(f"mask[{l}] contains NaN or infinite values")
        arrays.append(m)
    return arrays


def check_labels_for_cost(Y: np.ndarray, cost_name: str) -> None:
    """Cross-entropy needs targets in [0, 1]."""
    if cost_name == "cross_entropy" and (Y.min() < 0 or Y.max() > 1):
        raise ValueError(
            f"cross_entropy needs targets Y in [0, 1], got values from {Y.min():g} to {Y.max():g}"
        )
