"""Cost functions C(a, y) for one sample, and their gradients dC/da.

The network's output is ``a = a[L]`` and the target is ``y``; both have shape
``(n_L,)`` for one sample or ``(n_samples, n_L)`` for a batch, in which case every row is
one sample and the value is returned per sample.

* quadratic, equation (18): ``C = 1/2 ||a - y||^2``, so ``dC/da = a - y``;
* cross_entropy (binary, summed over the output units, as in González 2018):
  ``C = -sum_j [y_j log a_j + (1 - y_j) log(1 - a_j)]``, so
  ``dC/da_j = (a_j - y_j) / (a_j (1 - a_j))``.

With a sigmoid output, ``sigma'(z) = a (1 - a)`` cancels that denominator and the output
delta (22) becomes exactly ``a - y``: nothing in the code special-cases this pair, the
cancellation happens in :func:`backproplab.lemma.output_delta`.  It is exact as long as
``a`` is a float strictly between 0 and 1, that is for ``-745 < z < 37``; beyond ``z = 37``
the sigmoid rounds to exactly 1, ``sigma'(z)`` to 0, and so does the computed delta.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

# Cross-entropy needs 0 < a < 1.  A sigmoid output rounds to exactly 1 once z > about 37
# (and to 0 below about -745), so a is moved to the nearest float inside the interval:
# no log(0), no division by 0, and every a that is already inside is left untouched, so
# a sigmoid's sigma'(z) = a (1 - a) still cancels exactly (see lemma.output_delta).
A_MIN = np.finfo(float).tiny          # the smallest positive normal float, about 2.2e-308
A_MAX = np.nextafter(1.0, 0.0)        # the largest float below 1, 1 - 1.1e-16


@dataclass(frozen=True)
class Cost:
    """A per-sample cost and its gradient with respect to the output activation.

    Attributes
    ----------
    name : str
        The name used to select it, e.g. ``"quadratic"``.
    value : callable
        ``value(a, y)``: the cost of each sample, shape ``()`` for one sample or
        ``(n_samples,)`` for a batch.
    gradient : callable
        ``gradient(a, y)``: ``dC/da``, the same shape as ``a``.
    """

    name: str
    value: Callable[[np.ndarray, np.ndarray], np.ndarray]
    gradient: Callable[[np.ndarray, np.ndarray], np.ndarray]

    def __repr__(self) -> str:
        return f"Cost({self.name!r})"


def quadratic(a, y):
    """``C = 1/2 ||a - y||^2`` (18), summed over the last axis (the output units)."""
    r = np.asarray(a, dtype=float) - y
    return 0.5 * np.sum(r * r, axis=-1)


def quadratic_gradient(a, y):
    """``dC/da = a - y``: differentiate ``1/2 sum_k (y_k - a_k)^2`` with respect to ``a_j``."""
    return np.asarray(a, dtype=float) - y


def cross_entropy(a, y):
    """Binary cross-entropy ``-sum_j [y_j log a_j + (1 - y_j) log(1 - a_j)]``.

    ``a`` is clipped to ``[A_MIN, A_MAX]`` so that outputs rounded to exactly 0 or 1 give a
    large finite cost instead of ``inf`` and a warning.
    """
    a = np.clip(a, A_MIN, A_MAX)
    return -np.sum(y * np.log(a) + (1.0 - y) * np.log1p(-a), axis=-1)


def cross_entropy_gradient(a, y):
    """``dC/da_j = (a_j - y_j) / (a_j (1 - a_j))``, with ``a`` clipped as in the cost."""
    a = np.clip(a, A_MIN, A_MAX)
    return (a - y) / (a * (1.0 - a))


COSTS = {
    "quadratic": Cost("quadratic", quadratic, quadratic_gradient),
    "cross_entropy": Cost("cross_entropy", cross_entropy, cross_entropy_gradient),
}


def get_cost(cost) -> Cost:
    """Return the :class:`Cost` named ``cost`` (or ``cost`` itself).

    Raises
    ------
    ValueError
        If the name is not one of ``COSTS``; the message lists the choices.
    """
    if isinstance(cost, Cost):
        return cost
    if isinstance(cost, str) and cost in COSTS:
        return COSTS[cost]
    choices = ", ".join(repr(name) for name in COSTS)
    raise ValueError(f"unknown cost {cost!r}: choose one of {choices}")
