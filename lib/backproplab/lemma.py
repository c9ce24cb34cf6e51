"""The four equations of backpropagation: Lemma 1 of Higham & Higham (2019).

Each function is one equation and works on one sample or on a batch.

Shapes.  For one sample, ``z``, ``a`` and ``delta`` of layer ``l`` are vectors of shape
``(n_l,)``.  For a batch they are ``(n_samples, n_l)``, one row per sample (the shape of a
data file), so the column-vector formula ``W^T delta`` becomes the row form
``delta @ W``: this module is where that transpose happens.  ``W[l]`` always has shape
``(n_l, n_{l-1})`` and ``b[l]`` shape ``(n_l,)``.

For a batch the gradients (24) and (25) are averaged over the samples, because the cost
of a batch (9) is the mean of the per-sample costs; the deltas stay per sample.
"""
from __future__ import annotations

import numpy as np

from .activations import get_activation
from .costs import get_cost, is_sigmoid_cross_entropy


def output_delta(z_L, a_L, y, activation, cost="quadratic"):
    """Equation (22): ``delta[L] = sigma'(z[L]) o dC/da[L]``.

    For the quadratic cost (18) ``dC/da[L] = a[L] - y``, which gives the lemma's
    ``delta[L] = sigma'(z[L]) o (a[L] - y)``.  For cross-entropy with a sigmoid output the
    factor ``sigma'(z) = a (1 - a)`` cancels the cost gradient's denominator, leaving
    ``a[L] - y``, and that is what is returned, computed from ``z[L]`` so that it is exact
    (to about 1e-15) for every finite ``z``.

    Parameters
    ----------
    z_L, a_L : ndarray of shape (n_L,) or (n_samples, n_L)
        Weighted input and activation of the output layer, ``a_L = sigma(z_L)``.
    y : ndarray, the same shape as ``a_L``
        The target output.
    activation : str or Activation
        The output layer's activation ``sigma``.
    cost : str or Cost
        ``"quadratic"`` (default) or ``"cross_entropy"``.

    Returns
    -------
    delta_L : ndarray, the same shape as ``z_L``
    """
    sigma = get_activation(activation)
    C = get_cost(cost)
    if is_sigmoid_cross_entropy(sigma, C):
        # (22) with the cancellation done by hand: sigma'(z) (a - y) / (a (1 - a)) = a - y.
        # Multiplied out in floating point it would be 0 once sigma(z) rounds to 1 (z > 36.7)
        # or to 0 (z < -745): sigma'(z) = a (1 - a) is then 0, while a - y is not.  And a - y is
        # computed as (1 - y) a - y (1 - a) with 1 - a = sigma(-z) from z: a float a near 1 has
        # lost the digits of 1 - a (sigma(20) = 1 - 2.06e-9 keeps only 8 of them in 1 - a).
        return (1.0 - y) * np.asarray(a_L, dtype=float) - y * sigma.sigma(-np.asarray(z_L, dtype=float))
    return sigma.prime(z_L) * C.gradient(a_L, y)  # (22), componentwise (Hadamard) product


def hidden_delta(z_l, W_next, delta_next, activation):
    """Equation (23): ``delta[l] = sigma'(z[l]) o (W[l+1]^T delta[l+1])``.

    Parameters
    ----------
    z_l : ndarray of shape (n_l,) or (n_samples, n_l)
        Weighted input of layer ``l``.
    W_next : ndarray of shape (n_{l+1}, n_l)
        The weights ``W[l+1]`` from layer ``l`` to layer ``l+1``.
    delta_next : ndarray of shape (n_{l+1},) or (n_samples, n_{l+1})
        ``delta[l+1]``.
    activation : str or Activation
        Layer ``l``'s activation ``sigma``.

    Returns
    -------
    delta_l : ndarray, the same shape as ``z_l``
    """
    sigma = get_activation(activation)
    # W^T delta for a column vector delta is delta @ W for a row (or a batch of rows).
    return sigma.prime(z_l) * (delta_next @ W_next)  # (23)


def bias_gradient(delta):
    """Equation (24): ``dC/db[l] = delta[l]``.

    Parameters
    ----------
    delta : ndarray of shape (n_l,) or (n_samples, n_l)

    Returns
    -------
    grad_b : ndarray of shape (n_l,)
        ``delta`` itself for one sample; the mean over the samples for a batch.
    """
    delta = np.asarray(delta, dtype=float)
    if delta.ndim == 1:
        return delta.copy()  # (24)
    return delta.sum(axis=0) / delta.shape[0]  # (24), averaged as the cost (9) is


def weight_gradient(delta, a_prev):
    """Equation (25): ``dC/dW[l] = delta[l] a[l-1]^T``, the outer product.

    Componentwise, ``dC/dw[l]_jk = delta[l]_j a[l-1]_k``.

    Parameters
    ----------
    delta : ndarray of shape (n_l,) or (n_samples, n_l)
    a_prev : ndarray of shape (n_{l-1},) or (n_samples, n_{l-1})
        The activation ``a[l-1]`` of the previous layer.

    Returns
    -------
    grad_W : ndarray of shape (n_l, n_{l-1})
        For a batch, the mean over samples of the per-sample outer products, which is
        ``delta.T @ a_prev / n_samples``.
    """
    delta = np.asarray(delta, dtype=float)
    if delta.ndim == 1:
        return np.outer(delta, a_prev)  # (25)
    # (25) averaged over the batch: delta^T a_prev / n is the sum of the per-sample outer
    # products, divided by n.  We form it as (a_prev^T delta)^T, the same numbers, because
    # BLAS computes the product faster that way round (benchmarks/bench_gradients.py).
    n = delta.shape[0]
    return (np.asarray(a_prev, dtype=float).T @ (delta / n)).T
