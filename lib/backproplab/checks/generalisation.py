"""Self-checks for notebook 07: the weight-decay gradient, the sensitivity under dropout, and numbers on paper."""
from __future__ import annotations

import math

import numpy as np

from ..activations import ACTIVATIONS
from ..layers import ByLayer
from ..lemma import hidden_delta
from ..network import Network
from ..regularisation import add_weight_decay, dropout_mask, masked_activation
from ._core import CheckResult, run_check, seeded
from ._numbers import check_numbers


# ----- exercise 1: the gradient with weight decay ------------------------------------------
def _decay_cases(seed):
    rng = np.random.default_rng(seed)
    cases = []
    for sizes, activation, cost, n in (([2, 3, 2], "sigmoid", "quadratic", None), ([3, 4, 2], "tanh", "quadratic", 5),
                                       ([2, 2, 3, 2], "sigmoid", "cross_entropy", 4),
                                       ([4, 5, 3], "sigmoid", "cross_entropy", 1)):
        output = "sigmoid" if cost == "cross_entropy" else None
        net = Network(sizes, activation=activation, cost=cost, output_activation=output,
                      seed=int(rng.integers(1000)))
        shape = (sizes[0],) if n is None else (n, sizes[0])
        X, Y = rng.uniform(-1, 1, shape), rng.uniform(0, 1, shape[:-1] + (sizes[-1],))
        lam = float(np.round(rng.uniform(0.05, 0.5), 3))
        samples = "one sample" if n is None else f"a batch of {n}"
        cases.append((f"a {activation} network {sizes} with the {cost} cost, {samples}, lambda = {lam}",
                      (net, X, Y, lam)))
    return cases


@seeded
def check_decayed_gradients(student, seed=0) -> CheckResult:
    """``student(net, X, Y, lam)`` should return ``(grad_W, grad_b)`` of ``net.cost(X, Y, weight_decay=lam)``.

    The cost is the mean per-sample cost plus ``(lam / 2) sum_l ||W[l]||_F^2``, biases not decayed.
    """
    def data(net, X, Y):
        return [list(g) for g in net.gradients(X, Y)]

    def changed(dW, db=lambda b, lam: 0 * b):
        """The data gradient with ``dW(W, lam)`` added to every dC/dW and ``db(b, lam)`` to every dC/db."""
        def wrong(net, X, Y, lam):
            grad_W, grad_b = data(net, X, Y)
            return ([g + dW(W, lam) for g, W in zip(grad_W, net.weights)],
                    [g + db(b, lam) for g, b in zip(grad_b, net.biases)])
        return wrong

    n_samples = lambda X: 1 if np.ndim(X) == 1 else len(X)  # noqa: E731
    mistakes = [
        ("Your dC/dW is the data term alone: the penalty (lambda/2) ||W[l]||^2 adds its own derivative "
         "to (25).", changed(lambda W, lam: 0 * W)),
        ("You added (lambda/2) W[l]: the power rule gives d/dw (lambda/2) w^2 = lambda w.",
         changed(lambda W, lam: lam / 2 * W)),
        ("You added 2 lambda W[l]: the 1/2 in (lambda/2) ||W||^2 cancels the 2 of the power rule.",
         changed(lambda W, lam: 2 * lam * W)),
        ("Your penalty term has the wrong sign: weight decay pulls the weights towards 0, so the "
         "gradient gains + lambda W[l].", changed(lambda W, lam: -lam * W)),
        ("You added lambda W[l] to the weights and lambda b[l] to the biases: the biases are not decayed, "
         "so (24) is unchanged.", changed(lambda W, lam: lam * W, lambda b, lam: lam * b)),
        ("You added lambda to every entry: the derivative of (lambda/2) w^2 depends on w; it is lambda w.",
         changed(lambda W, lam: lam + 0 * W)),
        ("You added lambda W[l]^2 (entry by entry): that is twice the penalty itself, not its derivative.",
         changed(lambda W, lam: lam * W * W)),
    ]

    def divided(net, X, Y, lam):  # the penalty averaged over the samples like the data cost
        grad_W, grad_b = data(net, X, Y)
        return [g + lam * W / n_samples(X) for g, W in zip(grad_W, net.weights)], grad_b
    mistakes.append(("You divided lambda W[l] by the number of samples: the penalty is added once to the "
                     "mean cost (9), not averaged with it.", divided))

    def reference(net, X, Y, lam):
        return net.gradients(X, Y, weight_decay=lam)

    return run_check("decayed_gradients", student, reference, _decay_cases(seed), mistakes)


# ----- exercise 2: the sensitivity (23) under dropout ----------------------------------------
SHAPES = [(3, 2, None), (4, 5, None), (3, 4, 6), (2, 3, 1), (1, 1, None)]  # (n_l, n_(l+1), n_samples)


def _dropout_cases(seed):
    rng = np.random.default_rng(seed)
    cases = []
    for name in ("sigmoid", "tanh"):
        act = ACTIVATIONS[name]
        # widths of 2 and more first: a layer with a kept and a dropped unit tells the mistakes apart
        for (n_l, n_next, n), p in zip(SHAPES, (0.2, 0.25, 0.4, 0.3, 0.1)):
            shape = (n_l,) if n is None else (n, n_l)
            z = rng.normal(0, 1.5, shape)
            W_next = rng.normal(0, 1, (n_next, n_l))
            delta_next = rng.normal(0, 0.5, shape[:-1] + (n_next,))
            keep = (rng.random(shape) >= p).astype(float)
            keep.flat[0] = 1.0  # a kept unit ...
            if keep.size > 1:
                keep.flat[-1] = 0.0  # ... and a dropped one
            samples = "one sample" if n is None else f"a batch of {n}"
            cases.append((f"{name}, {samples}, layer width {n_l}, p = {p}", (z, W_next, delta_next, keep, p, act)))
    return cases


@seeded
def check_dropout_delta(student, seed=0) -> CheckResult:
    """``student(z, W_next, delta_next, keep, p, activation)`` should return (23) under inverted dropout.

    ``keep`` holds 1 for a kept unit and 0 for a dropped one; the mask is ``d = keep / (1 - p)``.
    """
    def with_mask(mask):
        """(23) for the masked activation d o sigma, with ``d = mask(keep, p)``."""
        return lambda z, W, delta, keep, p, act: hidden_delta(z, W, delta, masked_activation(act, mask(keep, p)))

    mistakes = [
        ("Your result is (23) without dropout: a dropped unit passed nothing forward, so its sensitivity "
         "must be 0; multiply by the mask d[l].", with_mask(lambda keep, p: 1.0)),
        ("You multiplied by keep (0 or 1), but a kept unit's activation was also scaled by 1/(1 - p) in the "
         "forward pass, so its slope is too: d[l] = keep / (1 - p).", with_mask(lambda keep, p: keep)),
        ("You multiplied by (1 - p) where inverted dropout divides by it: d[l] = keep / (1 - p).",
         with_mask(lambda keep, p: keep * (1 - p))),
        ("You divided by p: the kept units are scaled by 1/(1 - p), one over the probability of keeping.",
         with_mask(lambda keep, p: keep / p)),
        ("You swapped the units: your mask keeps the dropped ones and drops the kept ones.",
         with_mask(lambda keep, p: (1 - keep) / (1 - p))),
        ("The mask appears twice in your result: (23) picks it up once, through d[l] o sigma'(z[l]).",
         with_mask(lambda keep, p: (keep / (1 - p)) ** 2)),
        ("Your result works for one sample, not for a batch: in a batch every row is one sample, so the column "
         "formula W^T delta becomes delta @ W for rows.",
         lambda z, W, delta, keep, p, act: keep / (1 - p) * act.prime(z) * (W.T @ delta)),
    ]
    return run_check("dropout_delta", student, with_mask(lambda keep, p: keep / (1 - p)), _dropout_cases(seed),
                     mistakes)


# ----- exercise 3: numbers on paper -------------------------------------------------------------
ETA, LAM, P, SIZES = 0.5, 0.01, 0.25, (64, 30, 10)  # the settings the notebook's exercise gives


def _expected_numbers() -> dict:
    """The three answers, measured with the library's own functions (never printed)."""
    def by_layer(values):
        return ByLayer(values, first=2, name="W")

    net = Network(list(SIZES), seed=0)
    zero = [np.zeros_like(W) for W in net.weights]
    ones = [np.ones_like(W) for W in net.weights]
    n_decayed = sum(int(np.count_nonzero(g)) for g in add_weight_decay(by_layer(zero), by_layer(ones), LAM))
    w, steps = 1.0, 0  # one weight with no data gradient, stepped by SGD on the decayed cost
    while w > 0.5:
        w = w - ETA * add_weight_decay(by_layer([np.zeros(1)]), by_layer([np.array([w])]), LAM)[2][0]
        steps += 1
    d = dropout_mask(SIZES, 1000, P, np.random.default_rng(0))[2]
    return dict(n_decayed=n_decayed, steps_to_half=steps, kept_value=float(d.max()))


def check_regularisation_numbers(student) -> CheckResult:
    """``student()`` should return ``(n_decayed, steps_to_half, kept_value)`` for notebook 07's Exercise 3.

    * ``n_decayed``: how many numbers of a 64-30-10 network weight decay acts on;
    * ``steps_to_half``: SGD steps with learning rate 0.5 and weight decay 0.01, and no data
      gradient, after which a weight is first at most half its starting value;
    * ``kept_value``: the mask entry of a kept unit under inverted dropout with p = 0.25.

    The right values are measured here with the library's functions and never printed: a wrong
    answer is told how far off it is, and the likely mistake.
    """
    expected = _expected_numbers()
    n_weights, n_biases = expected["n_decayed"], sum(SIZES[1:])
    slips = [
        ("n_decayed", n_weights + n_biases,
         "You counted the biases too: the penalty holds the weights only, so (24) is unchanged."),
        ("n_decayed", SIZES[0] * SIZES[1], "You counted the first layer's weights only: every W[l], l = 2, ..., L, "
                                           "is decayed."),
        ("n_decayed", SIZES[1] * SIZES[2], "You counted the last layer's weights only: every W[l], l = 2, ..., L, "
                                           "is decayed."),
        ("n_decayed", sum(SIZES), "You counted the neurons: weight decay acts on every entry of every weight matrix."),
        ("steps_to_half", expected["steps_to_half"] - 1,
         "You rounded down: after that many steps the weight is still a little above half."),
        ("steps_to_half", math.ceil(math.log(0.5) / math.log(1 - LAM)),
         "You used the factor 1 - lambda: a step multiplies the weight by 1 - eta lambda."),
        ("steps_to_half", round(1 / (ETA * LAM)),
         "You used 1/(eta lambda), the time scale of the decay; halving takes ln 2 times that."),
        ("steps_to_half", math.ceil(math.log(0.5) / math.log(1 - ETA * LAM / 2)),
         "You used the factor 1 - eta lambda / 2: the gradient of (lambda/2) w^2 is lambda w."),
        ("kept_value", 1 - P, "You multiplied by 1 - p: inverted dropout divides the kept units by 1 - p."),
        ("kept_value", 1 / P, "You divided by p: the kept units are divided by 1 - p, the probability of keeping."),
        ("kept_value", 1.0, "That is plain dropout: inverted dropout scales the kept units so that their mean is "
                            "unchanged."),
    ]
    return check_numbers("regularisation_numbers", student, expected, slips,
                         rtol={"n_decayed": 0, "steps_to_half": 0, "kept_value": 5e-3})
