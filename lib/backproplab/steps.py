"""One step of stochastic gradient descent, two ways: as the lemma reads, and fast.

:func:`readable_step` is the lemma as the notebooks derive it: ``net._forward``, then
``net._backprop`` (22)-(25), then every parameter moves against its gradient.  For a small
network most of its time is the overhead of each numpy call and of the lists of layers, not
arithmetic, so :func:`~backproplab.training.train` takes :func:`fast_step` when it can
(:func:`fast_step_applies`): the very same arithmetic, in the same order (tests check that the
two give equal parameters, to the last bit), in fewer numpy calls, reusing ``a[l]`` for
``sigma'(z[l])`` (``Activation.prime_of_a``).

Each function returns ``step(k)``, a step on the samples ``X[k], Y[k]`` that returns the sum
of their costs before it.
"""
from __future__ import annotations

import math

import numpy as np

from .activations import ACTIVATIONS
from .costs import COSTS, cross_entropy_from_z, is_sigmoid_cross_entropy
from .regularisation import add_weight_decay, dropout_mask


def readable_step(net, X, Y, learning_rate, batch_size, weight_decay=0.0, dropout=0.0, mask_rng=None,
                  batch_costs=True):
    """One SGD step as the lemma reads: returns ``step(k)``, a step on ``X[k], Y[k]``.

    ``step(k)`` runs the forward pass, the backward pass (22)-(25) and the update of every
    parameter, and returns the sum of the batch's per-sample costs before the step; when
    that is not finite it returns it at once and changes nothing.  (``batch_costs`` is for
    :func:`fast_step`'s sake: this step always computes the cost.)
    """
    def step(k):
        x, y = X[k], Y[k]
        # the network with this step's dropout mask on its hidden layers (net itself without dropout)
        stepper = net._masked(dropout_mask(net.sizes, batch_size, dropout, mask_rng) if dropout else None)
        trace = stepper._forward(x)
        cost = float(np.sum(stepper._sample_costs(trace, y)))
        if not math.isfinite(cost):
            return cost
        grad_W, grad_b = stepper._backprop(trace, y)  # (22)-(25)
        grad_W = add_weight_decay(grad_W, net.weights, weight_decay)  # (25) + lambda W[l]
        for W, b, gW, gb in zip(net.weights, net.biases, grad_W, grad_b):
            W -= learning_rate * gW
            b -= learning_rate * gb
        return cost

    return step


def fast_step_applies(net) -> bool:
    """True when every activation is one of the library's (with ``prime_of_a``) and the cost
    is the quadratic one or cross-entropy of a sigmoid output: what :func:`fast_step` knows."""
    known = all(sigma in ACTIVATIONS.values() for sigma in net._sigmas)
    return known and (net.cost_function == COSTS["quadratic"]
                      or is_sigmoid_cross_entropy(net.output_activation, net.cost_function))


def fast_step(net, X, Y, learning_rate, batch_size, weight_decay=0.0, dropout=0.0, mask_rng=None,
              batch_costs=True):
    """:func:`readable_step` in fewer numpy calls: the same numbers, the same ``step(k)``.

    For Higham's 2-2-3-2 network a step is about 50 numpy calls on arrays of 2 or 3 numbers,
    so the calls and the Python around them are the cost.  This step keeps ``a[l]`` to get
    ``sigma'(z[l])`` from it (``prime_of_a``) instead of computing ``sigma(z[l])`` again,
    works on plain lists, and updates each layer's ``W`` and ``b`` as soon as ``delta[l-1]``
    has used ``W[l]``.  Every number is computed by the same operations, in the same order,
    as in :func:`readable_step`, so the parameters come out equal.  It holds on to ``net``'s
    weight and bias arrays and updates them in place: a callback that replaces one
    (``net.weights[l] = ...``) rather than writing into it (``net.weights[l][...] = ...``) is
    not seen by the rest of the run.  With ``batch_costs=False`` (the run records full costs,
    not batch means) a cross-entropy step skips its batch's cost, which costs as much as a
    fifth of a small step, and returns 0.0, or NaN when ``z[L]`` is not finite (then neither
    would the cost be: it is finite for every finite ``z``).
    """
    quadratic = net.cost_function == COSTS["quadratic"]  # else cross-entropy of a sigmoid output
    layers = list(zip(net.weights, net.biases, net._sigmas))
    # views, which follow the in-place updates: each W^T, and each b as a 1 x n_l row (for a batch of one)
    transposed, rows = [W.T for W in net.weights], [b[None, :] for b in net.biases]
    eta = np.array(learning_rate)  # a 0-d array multiplies as the float does, with less overhead
    L = len(layers)

    def step(k):
        x, y = X.take(k, axis=0), Y.take(k, axis=0)
        masks = list(dropout_mask(net.sizes, batch_size, dropout, mask_rng)) if dropout else []
        a, s = [x], [x]  # a[l]: the activations, dropout mask applied; s[l] = sigma(z[l])
        for l, (W, b, sigma) in enumerate(layers):
            z = np.dot(a[l], transposed[l])
            z += b  # (19)
            s.append(sigma.sigma(z))  # (20)
            a.append(s[-1] * masks[l] if l < len(masks) else s[-1])
        if quadratic:
            r = a[L] - y
            cost = 0.5 * float(np.vdot(r, r))
            delta = layers[-1][2].prime_of_a(a[L]) * r  # (22)
        else:  # sigmoid output with cross-entropy, from z as in costs.output_cost and lemma.output_delta
            cost = float(np.sum(cross_entropy_from_z(z, y))) if batch_costs else 0.0 * float(np.sum(z))
            delta = (1.0 - y) * a[L] - y * layers[-1][2].sigma(-z)  # (22), sigma'(z) cancelled: a - y
        if not math.isfinite(cost):
            return cost
        for l in range(L - 1, -1, -1):  # the notes' layers L, ..., 2; delta is this layer's
            W, b, _ = layers[l]
            if batch_size == 1:
                grad_W = np.dot(delta.T, a[l])  # (25) for one sample: the outer product delta a^T
            else:
                grad_W = np.dot(a[l].T, delta / batch_size).T  # (25), the mean over the batch
            if weight_decay:
                grad_W = grad_W + weight_decay * W  # (25) + lambda W[l]
            below = None
            if l > 0:  # (23): the delta of the layer below, from W[l] before its update
                prime = layers[l - 1][2].prime_of_a(s[l])
                below = (masks[l - 1] * prime if masks else prime) * np.dot(delta, W)
            W -= eta * grad_W
            if batch_size == 1:
                rows[l] -= eta * delta  # (24)
            else:
                b -= eta * (delta.sum(axis=0) / batch_size)  # (24), the mean over the batch
            delta = below
        return cost

    return step
