"""A fully connected network and its backward pass, built from the four equations.

Layers are numbered as in the lecture notes after Higham & Higham (2019): ``1, ..., L``,
with ``a[1] = x`` the input.  Every per-layer value is a :class:`~backproplab.layers.ByLayer`
indexed by those numbers: ``net.weights[l]`` is ``W^[l]`` and ``net.biases[l]`` is ``b^[l]``
for ``l = 2, ..., L``; ``trace.z[l]`` (``l >= 2``) and ``trace.a[l]`` (``l >= 1``) are
``z^[l]`` and ``a^[l]``; so are the deltas and the gradients.  ``[-1]`` is layer ``L``.

Shapes follow the math (unlike scikit-learn, which stores weights transposed):
``weights[l]`` is ``(n_l, n_{l-1})`` and ``biases[l]`` is ``(n_l,)``, where ``n_l`` is
``sizes[l-1]`` (``sizes`` is a plain Python sequence, input width first).
A batch of inputs is ``(n_samples, n_features)``, one sample per row.

``cost`` and ``gradients`` take the two regularisations of :mod:`~backproplab.regularisation`:
``weight_decay`` (lambda of L2 weight decay, which adds ``lambda W[l]`` to (25)) and ``mask``
(a fixed dropout mask of the hidden layers: the network whose hidden activations are
``d[l] o sigma``, so that (20) and (23) pick up ``d[l]``).  Both default to none, and
``predict`` and ``accuracy`` never drop a unit.

A sigmoid output with the cross-entropy cost is computed from ``z[L]``: its cost by
:func:`~backproplab.costs.cross_entropy_from_z` and its output delta as ``a[L] - y``, both
exact for every finite ``z`` (:mod:`~backproplab.costs` says why this pair is special).

Bad input raises a ``ValueError`` before anything changes (:mod:`~backproplab.validation`),
and so does a cost or gradient that overflows float64, naming what is too large (the inputs,
the targets or the weights: :func:`~backproplab.errors.overflow_message`); no numpy warning
leaks out.  A gradient step that would leave the parameters non-finite raises
:class:`~backproplab.errors.TrainingDiverged`, as training does.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np

from . import validation
from .activations import get_activation
from .budget import check_network_size
from .costs import get_cost, output_cost
from .errors import TrainingDiverged, overflow_message
from .layers import ByLayer
from .lemma import bias_gradient, hidden_delta, output_delta, weight_gradient
from .regularisation import add_weight_decay, l2_penalty, masked_activation


@dataclass
class Trace:
    """What a forward pass computed, layer by layer.

    Attributes
    ----------
    z : ByLayer of ndarray, layers 2..L
        ``z[l] = W[l] a[l-1] + b[l]`` (19); the input layer 1 has no weighted input.
    a : ByLayer of ndarray, layers 1..L
        ``a[1] = x`` (7) and ``a[l] = sigma(z[l])`` (20).  Each has shape ``(n_l,)`` for one
        sample or ``(n_samples, n_l)`` for a batch.
    """

    z: list
    a: list


class Network:
    """A fully connected feed-forward network trained by backpropagation.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths, input first: ``[2, 2, 3, 2]`` is Higham & Higham's network.
    activation : {"sigmoid", "tanh", "relu", "linear"}
        The activation of the hidden layers (and of the output, unless
        ``output_activation`` says otherwise).
    cost : {"quadratic", "cross_entropy"}
        The per-sample cost. Cross-entropy needs a sigmoid output.
    seed : int
        Seed (an integer >= 0) of the random initial weights and biases, drawn from
        ``N(0, init_scale^2)``.
    output_activation : str, optional
        The output layer's activation; defaults to ``activation``.
    init_scale : float
        Standard deviation of the initial parameters, a finite number >= 0; 0.5 as in
        Higham & Higham.

    Raises
    ------
    ValueError
        For a bad argument, or layers whose weights and biases would take more memory than
        :data:`backproplab.budget.MEMORY_BUDGET` (checked before anything is allocated).

    Attributes
    ----------
    weights : ByLayer of ndarray, layers 2..L
        ``weights[l]`` is ``W^[l]``, of shape ``(n_l, n_{l-1})``.
    biases : ByLayer of ndarray, layers 2..L
        ``biases[l]`` is ``b^[l]``, of shape ``(n_l,)``.
    L : int
        The number of layers, input included (the notes' ``L``).
    """

    def __init__(self, sizes, activation="sigmoid", cost="quadratic", seed=0,
                 output_activation=None, init_scale=0.5):
        sizes = validation.as_sizes(sizes)
        functions = _functions(activation, output_activation, cost)
        rng = np.random.default_rng(validation.as_seed(seed))
        init_scale = validation.as_init_scale(init_scale)
        check_network_size(sizes)  # every argument checked before anything is allocated
        weights = [init_scale * rng.standard_normal((n_out, n_in)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        biases = [init_scale * rng.standard_normal(n_out) for n_out in sizes[1:]]
        self._setup(sizes, weights, biases, *functions)

    @classmethod
    def from_parameters(cls, weights, biases, activation="sigmoid", output_activation=None, cost="quadratic"):
        """A network with the given weights and biases (copied, never aliased).

        Parameters
        ----------
        weights : sequence of array_like
            ``W^[2], ..., W^[L]`` in layer order (a list, or another network's ``weights``);
            ``W^[l]`` has shape ``(n_l, n_{l-1})``.
        biases : sequence of array_like
            ``b^[2], ..., b^[L]`` in layer order; ``b^[l]`` has shape ``(n_l,)``.

        Raises
        ------
        ValueError
            Naming the entry (``weights[1] (W[3])``) that is not an array of real numbers
            (text, ``None``, complex numbers, ragged rows), has the wrong shape, or holds NaN
            or infinite values.
        """
        functions = _functions(activation, output_activation, cost)
        weights = _parameter_arrays(weights, "weights", "W")
        biases = _parameter_arrays(biases, "biases", "b")
        if len(weights) < 1 or len(weights) != len(biases):
            raise ValueError(f"got {len(weights)} weight matrices and {len(biases)} bias vectors; "
                             "expected the same number, at least 1")
        # Messages name the position in the sequence given and the notes' layer: weights[0] is W[2].
        for i, W in enumerate(weights):
            if W.ndim != 2:
                raise ValueError(f"weights[{i}] (W[{i + 2}]) has shape {W.shape}; expected a matrix of "
                                 "shape (n_out, n_in)")
        sizes = [weights[0].shape[1]] + [W.shape[0] for W in weights]
        for i, (W, b) in enumerate(zip(weights, biases)):
            if W.shape[1] != sizes[i]:
                raise ValueError(f"weights[{i}] (W[{i + 2}]) has shape {W.shape}; expected ({W.shape[0]}, {sizes[i]}) "
                                 f"because weights[{i - 1}] (W[{i + 1}]) has {sizes[i]} rows")
            if b.shape != (sizes[i + 1],):
                raise ValueError(f"biases[{i}] (b[{i + 2}]) has shape {b.shape}; expected ({sizes[i + 1]},) "
                                 f"to match weights[{i}]")
            if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
                raise ValueError(f"weights[{i}] or biases[{i}] (layer {i + 2}) contains NaN or infinite values")
        net = cls.__new__(cls)
        net._setup(validation.as_sizes(sizes), weights, biases, *functions)
        return net

    def _setup(self, sizes, weights, biases, activation, output_activation, cost_function):
        self.sizes = sizes
        self.L = len(sizes)
        self.weights = ByLayer(weights, first=2, name="W")
        self.biases = ByLayer(biases, first=2, name="b")
        self.activation = activation
        self.output_activation = output_activation
        self.cost_function = cost_function
        # the activation of each layer 2..L, output last
        self._sigmas = [self.activation] * (len(sizes) - 2) + [self.output_activation]

    def __repr__(self) -> str:
        out = "" if self.output_activation == self.activation else f", output_activation={self.output_activation.name!r}"
        return (f"Network({list(self.sizes)}, activation={self.activation.name!r}{out}, "
                f"cost={self.cost_function.name!r})")

    def copy(self) -> "Network":
        """An independent copy (parameters copied)."""
        return Network.from_parameters(self.weights, self.biases, self.activation, self.output_activation,
                                       self.cost_function)

    # ----- forward pass ------------------------------------------------------------
    def forward(self, X, mask=None) -> Trace:
        """The forward pass (7), (19), (20): every ``z[l]`` and ``a[l]``.

        Parameters
        ----------
        X : array_like of shape (n_features,) or (n_samples, n_features)
        mask : sequence of array_like, optional
            A fixed dropout mask, one array per hidden layer ``2, ..., L-1`` (as
            :func:`~backproplab.regularisation.dropout_mask` draws it), each of shape
            ``(n_l,)`` or ``(n_samples, n_l)``: then ``a[l] = mask[l] o sigma(z[l])``.

        Returns
        -------
        Trace
        """
        X = validation.as_data(X, "X", self.sizes[0])
        with np.errstate(all="ignore"):  # an overflow is reported below, in words
            trace = self._masked(self._check_mask(mask, X))._forward(X)
        if not np.all(np.isfinite(trace.a[-1])):
            raise ValueError(f"the forward pass overflows float64: {overflow_message(X, [], self._parameters())}")
        return trace

    def _forward(self, X) -> Trace:
        z, a = [], [X]  # a[1] = x (7)
        for W, b, sigma in zip(self.weights, self.biases, self._sigmas):  # l = 2, ..., L
            z.append(a[-1] @ W.T + b)  # (19) z = W a + b, for rows: a @ W^T + b
            a.append(sigma.sigma(z[-1]))  # (20) a = sigma(z)
        return Trace(ByLayer(z, first=2, name="z"), ByLayer(a, first=1, name="a"))

    def predict(self, X) -> np.ndarray:
        """The output activations ``a[L]``: shape ``(n_L,)`` or ``(n_samples, n_L)``."""
        return self.forward(X).a[-1]

    def cost(self, X, Y, weight_decay=0.0, mask=None) -> float:
        """The cost (9): the mean over the samples of the per-sample cost, plus weight decay.

        Parameters
        ----------
        X : array_like of shape (n_features,) or (n_samples, n_features)
        Y : array_like of shape (n_outputs,) or (n_samples, n_outputs)
        weight_decay : float
            ``lambda >= 0``: adds ``(lambda / 2) sum_l ||W[l]||_F^2`` (biases not decayed).
        mask : sequence of array_like, optional
            A fixed dropout mask of the hidden layers (see :meth:`forward`): the cost of
            the masked network.

        Returns
        -------
        float
        """
        weight_decay = validation.as_weight_decay(weight_decay)
        X, Y = self._check(X, Y)
        with np.errstate(all="ignore"):  # an overflow is reported below, in words
            cost = self._masked(self._check_mask(mask, X))._cost(X, Y, weight_decay)
        if not math.isfinite(cost):
            raise ValueError(f"the cost is {cost}, not a finite number: {overflow_message(X, Y, self._parameters())}")
        return cost

    def _cost(self, X, Y, weight_decay=0.0) -> float:
        data_cost = float(np.mean(self._sample_costs(self._forward(X), Y)))  # (9)
        return data_cost + l2_penalty(self.weights, weight_decay)

    def _sample_costs(self, trace, Y):
        """The cost of each sample, from the output layer of a forward pass (``z[L]`` for the pair
        sigmoid with cross-entropy, ``a[L]`` otherwise: :func:`~backproplab.costs.output_cost`)."""
        return output_cost(trace.z[-1], trace.a[-1], Y, self.output_activation, self.cost_function)

    def _parameters(self) -> list:
        """Every weight matrix and bias vector, the arrays themselves (not copies)."""
        return [*self.weights, *self.biases]

    def accuracy(self, X, Y) -> float:
        """Fraction of samples whose largest output is at the position of the largest target."""
        X, Y = self._check(X, Y)
        with np.errstate(all="ignore"):  # a non-finite output simply counts as wrong
            out = self._forward(X).a[-1]
        if Y.shape[-1] == 1:  # one output unit: threshold halfway between the classes
            return float(np.mean((out > 0.5) == (Y > 0.5)))
        return float(np.mean(np.argmax(out, axis=-1) == np.argmax(Y, axis=-1)))

    # ----- backward pass -----------------------------------------------------------
    def gradients(self, X, Y, weight_decay=0.0, mask=None):
        """The gradient of ``cost(X, Y, weight_decay, mask)`` by backpropagation, (22) to (25).

        With ``weight_decay = lambda``, (25) gains ``+ lambda W[l]`` and (24) is unchanged;
        with a dropout ``mask``, (23) picks up ``mask[l]`` (see :mod:`~backproplab.regularisation`).

        Returns
        -------
        grad_W : ByLayer of ndarray, layers 2..L, shapes as ``weights``
        grad_b : ByLayer of ndarray, layers 2..L, shapes as ``biases``
        """
        weight_decay = validation.as_weight_decay(weight_decay)
        X, Y = self._check(X, Y)
        net = self._masked(self._check_mask(mask, X))
        with np.errstate(all="ignore"):  # an overflow is reported below, in words
            grad_W, grad_b = net._backprop(net._forward(X), Y)  # (22)-(25)
            grad_W = add_weight_decay(grad_W, self.weights, weight_decay)  # (25) + lambda W[l]
        self._check_finite([*grad_W, *grad_b], "the gradient", X, Y)
        return grad_W, grad_b

    def deltas(self, X, Y, mask=None) -> list:
        """Every ``delta[l] = dC/dz[l]`` (21), by (22) at the output and (23) backwards.

        Parameters
        ----------
        mask : sequence of array_like, optional
            A fixed dropout mask of the hidden layers (see :meth:`forward`).

        Returns
        -------
        ByLayer of ndarray, layers 2..L
            ``deltas[l]`` is ``delta^[l]``, the shape of ``trace.z[l]``.
        """
        X, Y = self._check(X, Y)
        net = self._masked(self._check_mask(mask, X))
        with np.errstate(all="ignore"):  # an overflow is reported below, in words
            deltas = net._deltas(net._forward(X), Y)
        self._check_finite(deltas, "a delta", X, Y)
        return deltas

    def _check_finite(self, arrays, what, X, Y) -> None:
        """Raise a ValueError, naming what is too large, when an array holds NaN or inf."""
        if not all(np.all(np.isfinite(arr)) for arr in arrays):
            raise ValueError(f"{what} overflows float64: {overflow_message(X, Y, self._parameters())}")

    def _deltas(self, trace, Y):
        z, a, W, L = trace.z, trace.a, self.weights, self.L
        sigma = ByLayer(self._sigmas, first=2, name="sigma")  # each layer's activation
        deltas = ByLayer([None] * (L - 1), first=2, name="delta")
        deltas[L] = output_delta(z[L], a[L], Y, sigma[L], self.cost_function)  # (22)
        for l in range(L - 1, 1, -1):  # l = L-1, ..., 2: the backward pass
            deltas[l] = hidden_delta(z[l], W[l + 1], deltas[l + 1], sigma[l])  # (23)
        return deltas

    def _backprop(self, trace, Y):
        deltas = self._deltas(trace, Y)
        grad_W = ByLayer([weight_gradient(deltas[l], trace.a[l - 1]) for l in deltas.layers], 2, "dC/dW")  # (25)
        grad_b = ByLayer([bias_gradient(deltas[l]) for l in deltas.layers], 2, "dC/db")  # (24)
        return grad_W, grad_b

    def step(self, X, Y, learning_rate) -> float:
        """One gradient-descent step on the batch ``(X, Y)``; returns the cost before it.

        Every parameter moves against the same gradient:
        ``W <- W - learning_rate dC/dW`` and ``b <- b - learning_rate dC/db``.
        A step that would make the cost or a parameter NaN or infinite raises
        :class:`~backproplab.errors.TrainingDiverged` and changes nothing.
        """
        learning_rate = validation.as_learning_rate(learning_rate)
        X, Y = self._check(X, Y)
        with np.errstate(all="ignore"):  # a non-finite result is reported below
            trace = self._forward(X)
            cost = float(np.mean(self._sample_costs(trace, Y)))
            grad_W, grad_b = self._backprop(trace, Y)
            new_W = [W - learning_rate * gW for W, gW in zip(self.weights, grad_W)]  # W - eta dC/dW, (25)
            new_b = [b - learning_rate * gb for b, gb in zip(self.biases, grad_b)]  # b - eta dC/db, (24)
        if not (math.isfinite(cost) and all(np.all(np.isfinite(p)) for p in [*new_W, *new_b])):
            raise TrainingDiverged.blaming(1 if math.isfinite(cost) else 0, learning_rate, cost, X, Y,
                                           self._parameters())
        for W, b, W_next, b_next in zip(self.weights, self.biases, new_W, new_b):
            W[...], b[...] = W_next, b_next
        return cost

    def train(self, X, Y, learning_rate=0.05, iterations=10_000, batch_size=1, seed=0, record_every=100,
              callback=None, weight_decay=0.0, dropout=0.0, validation=None, patience=None,
              record_cost="auto"):
        """Stochastic gradient descent; see :func:`backproplab.training.train`."""
        from .training import train
        return train(self, X, Y, learning_rate=learning_rate, iterations=iterations, batch_size=batch_size,
                     seed=seed, record_every=record_every, callback=callback, weight_decay=weight_decay,
                     dropout=dropout, validation=validation, patience=patience, record_cost=record_cost)

    def _check(self, X, Y, names=("X", "Y")):
        X, Y = validation.as_pair(X, Y, self.sizes[0], self.sizes[-1], names)
        validation.check_labels_for_cost(Y, self.cost_function.name)
        return X, Y

    def _check_mask(self, mask, X):
        """``None``, or the mask checked: a list of float arrays for the hidden layers 2..L-1."""
        return None if mask is None else validation.as_mask(mask, self.sizes, X.shape)

    def _masked(self, mask) -> "Network":
        """This network with the dropout ``mask`` on its hidden layers (itself when ``mask`` is None).

        The masked network shares this one's weight and bias arrays (they are not copied);
        its hidden activations are ``d[l] o sigma`` (:func:`~backproplab.regularisation.masked_activation`),
        so its forward pass gives ``a[l] = d[l] o sigma(z[l])`` and its (23)
        ``delta[l] = d[l] o sigma'(z[l]) o (W[l+1]^T delta[l+1])``.
        """
        if mask is None:
            return self
        net = copy.copy(self)
        net._sigmas = [*(masked_activation(s, d) for s, d in zip(self._sigmas, mask)), self.output_activation]
        return net


def _functions(activation, output_activation, cost):
    """``(activation, output_activation, cost_function)`` looked up by name, and checked together."""
    sigma = get_activation(activation)
    sigma_L = get_activation(output_activation if output_activation is not None else activation)
    cost_function = get_cost(cost)
    if cost_function.name == "cross_entropy" and sigma_L.name != "sigmoid":
        raise ValueError(f"cross_entropy needs outputs in (0, 1), so output_activation must be 'sigmoid', "
                         f"got {sigma_L.name!r}")
    return sigma, sigma_L, cost_function


def _parameter_arrays(values, name, symbol) -> list:
    """``values`` (weights or biases, layer 2 first) as a list of new float arrays, each checked by index."""
    if values is None or isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise ValueError(f"{name} must be a sequence of arrays, one per layer 2, ..., L; got {values!r}")
    # weights[0] is W[2]: messages name both the position in the sequence and the notes' layer
    return [np.array(validation.as_real_array(v, f"{name}[{i}] ({symbol}[{i + 2}])")) for i, v in enumerate(values)]
