"""Regularisation as changes to the lemma: weight decay (L2) and dropout.

Higham & Higham's lecture lists overfitting among the challenges of training; these are two
of the standard remedies.  Each changes one equation of Lemma 1 and nothing else.

**Weight decay.**  Add the squared Frobenius norms of the weights to the cost (9)::

    C = (1/N) sum_i C_i  +  (lambda / 2) sum_{l=2..L} ||W[l]||_F^2        (biases not decayed)

The penalty does not depend on any ``z[l]``, so the sensitivities (22), (23) and the bias
gradient (24) are unchanged.  Differentiating ``(lambda / 2) w_jk^2`` gives ``lambda w_jk``,
so (25) gains one term::

    dC/dW[l] = delta[l] a[l-1]^T + lambda W[l]                            (25) with weight decay

and a gradient step ``W <- W - eta (delta a^T + lambda W) = (1 - eta lambda) W - eta delta a^T``
first shrinks every weight by the factor ``1 - eta lambda``: hence the name.

**Dropout** (inverted dropout, on hidden layers only).  In each training step every hidden
unit is kept with probability ``1 - p`` and dropped otherwise, independently for every
sample; a kept unit's activation is divided by ``1 - p``, so that its expected value is the
undropped one and nothing needs rescaling at evaluation time.  With the *mask* ``d[l]``,
whose entries are 0 (dropped) or ``1 / (1 - p)`` (kept), the forward pass (20) becomes
``a[l] = d[l] o sigma(z[l])``: for a fixed mask, layer ``l`` simply has the activation
``d[l] o sigma`` (:func:`masked_activation`), whose derivative is ``d[l] o sigma'``, and the
lemma's own (23) turns into::

    delta[l] = d[l] o sigma'(z[l]) o (W[l+1]^T delta[l+1])                 (23) with dropout

(22), (24) and (25) keep their form, with the masked ``a[l-1]`` in (25): a dropped unit has
sensitivity 0, and the weights leaving it get gradient 0 in that step.  For a *fixed* mask
the masked network is an ordinary function of the parameters, so its gradient can be checked
against central differences (``numerical_gradients(net, X, Y, mask=mask)``).  At evaluation
(``cost``, ``predict``, ``accuracy``) no unit is dropped.
"""
from __future__ import annotations

import numpy as np

from . import validation
from .activations import Activation
from .layers import ByLayer


def l2_penalty(weights, weight_decay: float) -> float:
    """The weight-decay term ``(lambda / 2) sum_l ||W[l]||_F^2`` (biases are not decayed).

    Parameters
    ----------
    weights : sequence of ndarray
        ``W^[2], ..., W^[L]`` (``net.weights``).
    weight_decay : float
        ``lambda >= 0``.
    """
    if weight_decay == 0.0:
        return 0.0
    return 0.5 * weight_decay * sum(float(np.sum(W * W)) for W in weights)


def add_weight_decay(grad_W, weights, weight_decay: float):
    """``grad_W[l] + lambda W[l]`` for every layer: (25) with weight decay.

    Parameters
    ----------
    grad_W : ByLayer of ndarray, layers 2..L
        The gradient of the data cost, ``delta[l] a[l-1]^T`` (25).
    weights : ByLayer of ndarray, layers 2..L
    weight_decay : float
        ``lambda >= 0``; for 0, ``grad_W`` itself is returned.

    Returns
    -------
    ByLayer of ndarray, layers 2..L, shapes as ``weights``
    """
    if weight_decay == 0.0:
        return grad_W
    return ByLayer([g + weight_decay * W for g, W in zip(grad_W, weights)], first=grad_W.first, name=grad_W.name)


def masked_activation(sigma: Activation, d) -> Activation:
    """The activation of a layer under dropout mask ``d``: ``d o sigma(z)``, derivative ``d o sigma'(z)``.

    Parameters
    ----------
    sigma : Activation
        The layer's activation.
    d : ndarray of shape (n_l,) or (n_samples, n_l)
        The layer's mask: 0 for a dropped unit, ``1 / (1 - p)`` for a kept one.
    """
    return Activation(f"{sigma.name} with dropout", lambda z: d * sigma.sigma(z), lambda z: d * sigma.prime(z))


def dropout_mask(sizes, n_samples, p: float, rng) -> ByLayer:
    """Draw an inverted-dropout mask for the hidden layers ``2, ..., L-1``.

    Parameters
    ----------
    sizes : sequence of int
        The network's layer widths, input first (``net.sizes``).
    n_samples : int or None
        Samples in the batch; ``None`` for the masks of a single sample.
    p : float
        The probability of dropping a unit, ``0 <= p < 1``.
    rng : numpy.random.Generator or int
        The source of randomness, ``numpy.random.default_rng(seed)`` or the seed itself (an
        integer >= 0).

    Returns
    -------
    ByLayer of ndarray, layers 2..L-1
        ``mask[l]`` has shape ``(n_samples, n_l)`` (or ``(n_l,)``) and entries 0 (dropped, with
        probability ``p``) or ``1 / (1 - p)`` (kept).
    """
    p = validation.as_dropout(p)
    shape = () if n_samples is None else (validation.as_count(n_samples, "n_samples"),)
    rng = validation.as_rng(rng)  # a Generator is used as it is
    keep = 1.0 - p
    return ByLayer([(rng.random(shape + (n,)) < keep) / keep for n in sizes[1:-1]], first=2, name="mask")
