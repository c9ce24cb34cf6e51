"""Gradient checking: backpropagation against central finite differences.

The central difference ``(C(p + eps) - C(p - eps)) / (2 eps)`` has truncation error of
order ``eps^2`` and rounding error of order ``machine_eps / eps``; ``eps = 1e-6`` balances
the two for the costs here (notebook 00 plots this trade-off).  Below about
``sqrt(machine_eps) = 1.5e-8`` rounding dominates, and a far smaller ``eps`` leaves every
nudged cost equal to the unnudged one: :func:`numerical_gradients` then refuses to return
an all-zero "gradient".
"""
from __future__ import annotations

import math
from numbers import Real

import numpy as np

from . import validation
from .errors import overflow_message
from .layers import ByLayer

# Below this step, rounding error dominates a central difference (sqrt of machine epsilon).
EPS_ROUNDING = math.sqrt(np.finfo(float).eps)


def as_eps(eps) -> float:
    """The step of a central difference: a positive finite number, as a float."""
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, Real) or not math.isfinite(eps) or eps <= 0:
        raise ValueError(f"eps must be a positive finite number (about 1e-6 is best), got {eps!r}")
    return float(eps)


def numerical_gradients(net, X, Y, eps=1e-6, weight_decay=0.0, mask=None):
    """Central-difference estimates of ``d net.cost(X, Y, weight_decay, mask)`` for every weight and bias.

    Each parameter is nudged by ``+eps`` and ``-eps`` in turn and restored exactly
    afterwards, so the network is unchanged when this returns (even on error).

    Parameters
    ----------
    net : Network
    X, Y : array_like, as for ``net.cost``
    eps : float
        The step of the central difference.
    weight_decay : float
        ``lambda >= 0``: differentiate the cost with the weight-decay term.
    mask : sequence of array_like, optional
        A fixed dropout mask of the hidden layers: differentiate the masked network's cost.

    Returns
    -------
    grad_W, grad_b : ByLayer of ndarray, layers 2..L, shapes as ``net.weights`` and ``net.biases``

    Raises
    ------
    ValueError
        For bad input (``net`` not a Network, ``eps`` not a positive finite number...); when
        ``eps`` is so small (below ``EPS_ROUNDING``) that every difference is exactly 0, or
        so large that a nudged cost is not finite; or when the cost itself overflows.
    """
    validation.as_network(net)
    eps = as_eps(eps)
    weight_decay = validation.as_weight_decay(weight_decay)
    X, Y = net._check(X, Y)
    masked = net._masked(net._check_mask(mask, X))  # shares net's parameter arrays

    def estimate(P):
        G = np.zeros_like(P)
        for idx in np.ndindex(P.shape):
            old = P[idx]
            try:
                P[idx] = old + eps
                up = masked._cost(X, Y, weight_decay)
                P[idx] = old - eps
                down = masked._cost(X, Y, weight_decay)
            finally:
                P[idx] = old
            G[idx] = (up - down) / (2 * eps)
        return G

    with np.errstate(all="ignore"):  # a nudged cost that overflows is reported below
        grad_W = ByLayer([estimate(W) for W in net.weights], 2, "dC/dW")
        grad_b = ByLayer([estimate(b) for b in net.biases], 2, "dC/db")
    every = [*grad_W, *grad_b]
    if not all(np.all(np.isfinite(G)) for G in every):
        with np.errstate(all="ignore"):
            cost = masked._cost(X, Y, weight_decay)
        if not math.isfinite(cost):
            raise ValueError(f"the cost is {cost}, not a finite number: "
                             f"{overflow_message(X, Y, net._parameters())}")
        raise ValueError(f"eps={eps!r} is so large that a nudged cost is not a finite number; use eps around 1e-6")
    if eps < EPS_ROUNDING and not any(np.any(G) for G in every):
        raise ValueError(f"eps={eps!r} is so small that every central difference is exactly 0: the cost at p + eps "
                         f"and at p - eps round to the same number for every parameter; use eps around 1e-6 "
                         f"(the default), where truncation and rounding errors balance")
    return grad_W, grad_b


def relative_error(a, b) -> float:
    """``max |a - b| / max(|a|, |b|, tiny)`` over all entries (0 when both are zero).

    ``a`` and ``b`` may be arrays, or sequences of arrays such as the ``grad_W`` that
    ``gradients`` returns (``[*grad_W, *grad_b]`` for every parameter at once).
    """
    a, b = _flat(a), _flat(b)
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0))
    if scale == 0.0:
        return 0.0
    return float(np.max(np.abs(a - b)) / scale)


def gradient_check(net, X, Y, eps=1e-6, weight_decay=0.0, mask=None) -> float:
    """The largest relative error between ``net.gradients`` and central differences.

    Backpropagation is right when this is tiny (below about 1e-7 with ``eps=1e-6``).
    ``weight_decay`` and ``mask`` are passed to both, as in :func:`numerical_gradients`.
    """
    num_W, num_b = numerical_gradients(net, X, Y, eps, weight_decay, mask)  # checks every argument
    grad_W, grad_b = net.gradients(X, Y, weight_decay, mask)
    return relative_error([*grad_W, *grad_b], [*num_W, *num_b])


def _flat(values) -> np.ndarray:
    """An array, or a sequence of arrays (a list, a ByLayer), as one flat array."""
    if isinstance(values, (list, tuple, ByLayer)):
        return np.concatenate([np.ravel(v) for v in values])
    return np.ravel(values)
