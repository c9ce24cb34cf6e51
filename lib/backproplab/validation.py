"""Checks of user input, so that mistakes give a clear ``ValueError``.

Each function returns the cleaned value (a float array, an int...) or raises a
``ValueError`` whose message names the argument, the value it got and what was expected:
one exception class to catch for any bad value, whatever its type (the widgets catch it).
Checks run before anything is changed or allocated, so a refused call leaves every
network as it was.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Set
from numbers import Integral, Real

import numpy as np


def as_real_array(values, name: str) -> np.ndarray:
    """``values`` as a float array, refusing what would be silently mangled by ``np.asarray``.

    ``None``, text, complex numbers (whose imaginary part a float conversion drops with only
    a warning), ragged nesting (rows of different lengths) and entries that are not real
    numbers each raise a ``ValueError`` naming ``name`` and, where there is one, the index
    of the first bad entry.  Real numbers and booleans are converted to float; an array
    that already is float is returned as it is (not copied).
    """
    if values is None or isinstance(values, (str, bytes)):
        raise ValueError(f"{name} must be an array of numbers, got {values!r}")
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError):  # numpy refuses nested sequences of different lengths
        raise ValueError(f"{name} must be an array of numbers with rows of equal length; got a ragged "
                         f"sequence (rows of different lengths or shapes)") from None
    if arr.dtype == float:
        return arr
    if arr.dtype.kind in "biuf":
        return arr.astype(float)
    if arr.dtype.kind == "c":
        flat = arr.ravel()
        i = int(np.argmax(flat.imag != 0)) if np.any(flat.imag != 0) else 0
        raise ValueError(f"{name} holds complex numbers ({name}{_index(arr, i)} is {flat[i].item()!r}); expected "
                         "real numbers (take .real if the imaginary parts are meant to be dropped)")
    # text, None or other objects among the entries: name the first one that is not a real
    # number, as it was given (np.asarray turns [1.0, "a"] into the strings "1.0" and "a")
    given = np.asarray(values, dtype=object)
    for i, v in enumerate(given.ravel()):
        v = v.item() if isinstance(v, np.generic) else v  # np.str_('a') as 'a'
        if v is None or isinstance(v, (str, bytes, complex)) or not _is_real(v):
            kind = "complex number" if isinstance(v, complex) else type(v).__name__
            raise ValueError(f"{name} must be an array of numbers: {name}{_index(given, i)} is {v!r} "
                             f"(a {kind}); expected a real number")
    return given.astype(float)


def _is_real(value) -> bool:
    """True for a number that float() takes (int, float, Fraction, Decimal, numpy numbers...)."""
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _index(arr: np.ndarray, flat_position: int) -> str:
    """``[i, j]``: where entry ``flat_position`` of ``arr.ravel()`` sits in ``arr``."""
    if arr.ndim == 0:
        return ""
    return "[" + ", ".join(str(int(i)) for i in np.unravel_index(flat_position, arr.shape)) + "]"


def as_data(values, name: str, n_columns: int) -> np.ndarray:
    """``values`` as a float array of shape ``(n_columns,)`` or ``(n_samples, n_columns)``.

    Raises
    ------
    ValueError
        For entries that are not real numbers (:func:`as_real_array`), a wrong shape, no
        samples, or NaN / infinite entries.
    """
    arr = as_real_array(values, name)
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
    arr = as_real_array(values, name)
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
    """Layer widths as a tuple of at least two positive ints, in order (a set has no order)."""
    if isinstance(sizes, (Set, Mapping)):
        raise ValueError(f"sizes must be a list of layer widths in order, input first, such as [2, 3, 2]; got "
                         f"the {type(sizes).__name__} {sizes!r}, which has no order")
    if isinstance(sizes, (str, bytes)):
        raise ValueError(f"sizes must be a list of layer widths such as [2, 3, 2], got {sizes!r}")
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


def as_seed(seed, name: str = "seed") -> int:
    """A seed for ``numpy.random.default_rng``: an integer >= 0 (``None``, which would draw
    fresh entropy and make every run different, is refused)."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, Integral) or seed < 0:
        raise ValueError(f"{name} must be an integer >= 0, such as 0 or 42; got {seed!r}")
    return int(seed)


def as_rng(rng, name: str = "rng") -> np.random.Generator:
    """A ``numpy.random.Generator`` (used as it is) or a seed for one (:func:`as_seed`)."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(as_seed(rng, name))


def as_init_scale(init_scale) -> float:
    """The standard deviation of the initial parameters: a finite number >= 0, as a float."""
    if isinstance(init_scale, (bool, np.bool_)) or not isinstance(init_scale, Real) \
            or not math.isfinite(init_scale) or init_scale < 0:
        raise ValueError(f"init_scale must be a finite number >= 0 (0.5 as in Higham & Higham), got {init_scale!r}")
    return float(init_scale)


def as_callback(callback):
    """``None`` or a callable ``callback(iteration, cost)``."""
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be a function called as callback(iteration, cost), or None; "
                         f"got {callback!r} ({type(callback).__name__})")
    return callback


def as_network(net, name: str = "net"):
    """``net`` itself, when it is a :class:`~backproplab.network.Network`."""
    from .network import Network  # here, not at the top: network imports this module
    if not isinstance(net, Network):
        raise ValueError(f"{name} must be a backproplab Network, such as Network([2, 3, 2]); got "
                         f"{type(net).__name__} {_short(net)}")
    return net


def _short(value, width: int = 60) -> str:
    """``repr(value)``, cut to ``width`` characters."""
    text = repr(value)
    return text if len(text) <= width else text[:width - 3] + "..."


def as_choice(value, name: str, choices) -> str:
    """One of the strings ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(repr(c) for c in choices)}; got {value!r}")
    return value


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
        m = as_real_array(m, f"mask[{l}]")
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
