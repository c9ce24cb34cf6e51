"""Activation functions sigma and their derivatives sigma'.

Each activation is an :class:`Activation`: a name, the function ``sigma`` and its
derivative ``prime``.  Both act componentwise on arrays of any shape, as in the lecture
notes, where ``sigma(z)`` for a vector ``z`` means ``sigma`` applied to every entry.

The derivatives are the ones derived in the notebooks:

* sigmoid: ``sigma'(z) = sigma(z) (1 - sigma(z))`` (reciprocal and exponent rules; the anonymous
  lecture notes "Gradient Descent and Backpropagation");
* tanh: ``tanh'(z) = 1 - tanh(z)^2`` (Steinitz 2013);
* relu: ``0`` for ``z < 0`` and ``1`` for ``z > 0`` (we take ``0`` at ``z = 0``);
* linear: ``1``.

Each of these derivatives is also a function of the activation's value ``a = sigma(z)``
alone (``a (1 - a)``, ``1 - a^2``, ``1`` where ``a > 0``, ``1``): ``prime_of_a``, which lets
training reuse the activations of the forward pass instead of computing ``sigma(z)`` again.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Activation:
    """An activation function together with its derivative.

    Attributes
    ----------
    name : str
        The name used to select it, e.g. ``"sigmoid"``.
    sigma : callable
        ``sigma(z)``, componentwise, any shape in and the same shape out.
    prime : callable
        ``sigma'(z)``, componentwise, any shape in and the same shape out.
    prime_of_a : callable or None
        ``sigma'(z)`` written through the activation ``a = sigma(z)``, the same numbers as
        ``prime(z)``; ``None`` when sigma' is not a function of sigma's value.
    """

    name: str
    sigma: Callable[[np.ndarray], np.ndarray]
    prime: Callable[[np.ndarray], np.ndarray]
    prime_of_a: Callable[[np.ndarray], np.ndarray] | None = None

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


def sigmoid(z):
    """The logistic sigmoid ``1 / (1 + exp(-z))``, computed without overflow.

    ``exp(-z)`` overflows for ``z < -709``.  For ``z < 0`` multiply the top and the bottom
    by ``exp(z)``; both cases are then one formula whose exponentials are at most 1::

        sigma(z) = exp(min(z, 0)) / (1 + exp(-|z|))

    so ``sigmoid(-1000)`` is 0 and ``sigmoid(1000)`` is 1, with no warning, and small
    values such as ``sigmoid(-40) = 4.2e-18`` keep all their digits (within two units in
    the last place wherever ``sigma(z)`` is a normal float, ``z > -708``).  It costs two
    exponentials where ``1 / (1 + exp(-z))`` costs one, but the same number of numpy calls
    as that formula with a guard against its overflow, and for small arrays the calls are
    what takes the time.

    Parameters
    ----------
    z : float or ndarray of any shape

    Returns
    -------
    float or ndarray of the same shape as ``z``, values in [0, 1]
    """
    # np.copysign(z, -1.0) is -|z| in one step; both ufuncs take numbers, lists or arrays
    return np.exp(np.minimum(z, 0.0)) / (1.0 + np.exp(np.copysign(z, -1.0)))


def sigmoid_prime(z):
    """``sigma'(z) = sigma(z) (1 - sigma(z))``, derived in notebook 00.

    It is computed from the very same number ``s = sigma(z)`` that the forward pass stores
    as the activation ``a``, so ``sigma'(z)`` equals ``a (1 - a)`` to the last bit: that is
    what lets the cross-entropy output delta cancel to exactly ``a - y``.
    """
    s = sigmoid(z)
    return s * (1.0 - s)


def sigmoid_prime_of_a(a):
    """``sigma'(z) = a (1 - a)`` from the activation ``a = sigma(z)``: :func:`sigmoid_prime` without ``sigma(z)``."""
    return a * (1.0 - a)


def tanh(z):
    """The hyperbolic tangent, componentwise; values in [-1, 1]."""
    return np.tanh(z)


def tanh_prime(z):
    """``tanh'(z) = 1 - tanh(z)^2`` (Steinitz 2013)."""
    t = np.tanh(z)
    return 1.0 - t * t


def tanh_prime_of_a(a):
    """``tanh'(z) = 1 - a^2`` from the activation ``a = tanh(z)``."""
    return 1.0 - a * a


def relu(z):
    """``max(0, z)``, componentwise."""
    return np.maximum(0.0, z)


def relu_prime(z):
    """1 where ``z > 0``, else 0 (the kink at 0 gets derivative 0)."""
    return (np.asarray(z) > 0).astype(float)


def relu_prime_of_a(a):
    """1 where the activation ``a = max(0, z)`` is positive (that is where ``z > 0``), else 0."""
    return (a > 0).astype(float)


def linear(z):
    """The identity ``sigma(z) = z``: an output layer with no squashing (Steinitz 2013)."""
    return np.array(z, dtype=float)


def linear_prime(z):
    """The derivative of the identity: 1 everywhere."""
    return np.ones_like(np.asarray(z, dtype=float))


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime, sigmoid_prime_of_a),
    "tanh": Activation("tanh", tanh, tanh_prime, tanh_prime_of_a),
    "relu": Activation("relu", relu, relu_prime, relu_prime_of_a),
    "linear": Activation("linear", linear, linear_prime, linear_prime),
}


def get_activation(activation) -> Activation:
    """Return the :class:`Activation` named ``activation`` (or ``activation`` itself).

    Raises
    ------
    ValueError
        If the name is not one of ``ACTIVATIONS``; the message lists the choices.
    """
    if isinstance(activation, Activation):
        return activation
    if isinstance(activation, str) and activation in ACTIVATIONS:
        return ACTIVATIONS[activation]
    choices = ", ".join(repr(name) for name in ACTIVATIONS)
    raise ValueError(f"unknown activation {activation!r}: choose one of {choices}")
