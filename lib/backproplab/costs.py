"""Cost functions C(a, y) for one sample, and their gradients dC/da.

The network's output is ``a = a[L]`` and the target is ``y``; both have shape
``(n_L,)`` for one sample or ``(n_samples, n_L)`` for a batch, in which case every row is
one sample and the value is returned per sample.

* quadratic, equation (18): ``C = 1/2 ||a - y||^2``, so ``dC/da = a - y``;
* cross_entropy (binary, summed over the output units, as in González 2018):
  ``C = -sum_j [y_j log a_j + (1 - y_j) log(1 - a_j)]``, so
  ``dC/da_j = (a_j - y_j) / (a_j (1 - a_j))``.

**A sigmoid output with cross-entropy** is the one pair the library computes from ``z``
rather than from ``a``.  With ``a = sigma(z)``, ``sigma'(z) = a (1 - a)`` cancels the cost
gradient's denominator and the output delta (22) is ``a - y``
(:func:`backproplab.lemma.output_delta`); and since ``-log sigma(z) = softplus(-z)`` and
``-log(1 - sigma(z)) = softplus(z)``, with ``softplus(t) = log(1 + e^t)``, the cost is
:func:`cross_entropy_from_z`.  Both are exact for every finite ``z``.  Computed from ``a`` they
are not: ``sigma(z)`` rounds to exactly 1 once ``z > 36.7`` (and to 0 once ``z < -745``), so
``log(1 - a)`` is ``log 0`` and ``sigma'(z) = a (1 - a)`` is 0, while ``a - y`` is still right.
:func:`output_cost` picks the form for a layer's activation and cost.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .activations import ACTIVATIONS

# Cross-entropy from a needs 0 < a < 1.  A sigmoid output rounds to exactly 1 once z > about 37
# (and to 0 below about -745), so a is moved to the nearest float inside the interval: no
# log(0), no division by 0, and every a that is already inside is left untouched.  (The
# network never relies on this: its sigmoid output's cost and delta come from z.)
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


def cross_entropy_from_z(z, y):
    """Cross-entropy of the sigmoid output ``a = sigma(z)``, from ``z``: exact for every finite ``z``.

    ``-log sigma(z) = log(1 + e^{-z}) = softplus(-z)`` and ``-log(1 - sigma(z)) = softplus(z)``, so::

        C = sum_j [ y_j softplus(-z_j) + (1 - y_j) softplus(z_j) ]

    Both terms are >= 0 (nothing cancels), and ``softplus(t) = logaddexp(0, t)`` never
    overflows: ``z = 40, y = 1`` gives ``4.2e-18`` and ``z = 1e4, y = 0`` gives ``1e4``,
    where the same cost computed from ``a = sigma(z)``, which rounds to 1, is 1.1e-16 and
    36.7 (:func:`cross_entropy` clips ``a`` to ``A_MAX = 1 - 1.1e-16``).

    Parameters
    ----------
    z : ndarray of shape (n_L,) or (n_samples, n_L)
        The output layer's weighted input ``z[L]``.
    y : ndarray, the same shape, entries in [0, 1]

    Returns
    -------
    float or ndarray of shape (n_samples,): the cost of each sample
    """
    z = np.asarray(z, dtype=float)
    return np.sum(y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z), axis=-1)


COSTS = {
    "quadratic": Cost("quadratic", quadratic, quadratic_gradient),
    "cross_entropy": Cost("cross_entropy", cross_entropy, cross_entropy_gradient),
}


def is_sigmoid_cross_entropy(activation, cost) -> bool:
    """True for the library's sigmoid output with the cross-entropy cost: the pair computed from ``z``."""
    return activation == ACTIVATIONS["sigmoid"] and cost == COSTS["cross_entropy"]


def output_cost(z_L, a_L, y, activation, cost):
    """The cost of each sample from the output layer's ``z[L]`` and ``a[L] = sigma(z[L])``.

    ``cost.value(a_L, y)``, except for a sigmoid output with cross-entropy, whose cost is
    computed from ``z_L`` (:func:`cross_entropy_from_z`) so that it stays exact when ``a_L``
    rounds to 0 or 1.

    Parameters
    ----------
    z_L, a_L : ndarray of shape (n_L,) or (n_samples, n_L)
    y : ndarray, the same shape
    activation : Activation
        The output layer's activation.
    cost : Cost

    Returns
    -------
    float or ndarray of shape (n_samples,)
    """
    if is_sigmoid_cross_entropy(activation, cost):
        return cross_entropy_from_z(z_L, y)
    return cost.value(a_L, y)


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
