"""Self-checks for notebooks 01 to 04: the four equations (22) to (25) and the paper exercises.

Every checker names the common mistakes of its exercise.  A mistake is a function with the
exercise's arguments that returns what the mistake gives; the message names the first
one that fits the student's answer (see :func:`._core.run_check`).
"""
from __future__ import annotations

import numpy as np

from ..activations import ACTIVATIONS
from ..lemma import bias_gradient, hidden_delta, output_delta, weight_gradient
from ._core import CheckResult, Mistake, run_check, seeded, shapes_of_layers
from ._numbers import check_numbers

_sigmoid = ACTIVATIONS["sigmoid"]

# (regular expression on "Type: message", hint) for errors an Activation argument causes
ACTIVATION_HINTS = [
    (r"'Activation' object is not callable",
     "the argument activation is an Activation object, not a function: activation.prime(z) is "
     "sigma'(z) and activation.sigma(z) is sigma(z)."),
    (r"'Activation' object has no attribute",
     "the argument activation has two functions: activation.sigma(z) and activation.prime(z)."),
]


def _delta_cases(seed, with_W):
    rng = np.random.default_rng(seed)
    cases = []
    for name in ("sigmoid", "tanh"):
        act = ACTIVATIONS[name]
        for n_l, n_next, n in shapes_of_layers():
            shape = (n_l,) if n is None else (n, n_l)
            where = f"{name}, {'one sample' if n is None else f'a batch of {n}'}, layer width {n_l}"
            z = rng.normal(0, 1.5, shape)
            if with_W:
                W_next = rng.normal(0, 1, (n_next, n_l))
                delta_next = rng.normal(0, 0.5, shape[:-1] + (n_next,))
                cases.append((where, (z, W_next, delta_next, act)))
            else:
                y = rng.uniform(0, 1, shape)
                cases.append((where, (z, act.sigma(z), y, act)))
    return cases


def _sigmoid_prime_of_a(a):
    return a * (1 - a)


OUTPUT_DELTA_MISTAKES = [
    ("your result equals a - y: did you forget the factor sigma'(z[L])?", lambda z, a, y, act: a - y),
    ("your result has the opposite sign: the cost's gradient is a - y, not y - a.",
     lambda z, a, y, act: act.prime(z) * (y - a)),
    ("your result uses sigma(z[L]) where (22) has its derivative sigma'(z[L]) (activation.prime).",
     lambda z, a, y, act: act.sigma(z) * (a - y)),
    ("your result uses the sigmoid's a (1 - a) on a tanh layer: use activation.prime(z_L), which is "
     "right for every activation.", lambda z, a, y, act: _sigmoid_prime_of_a(a) * (a - y)),
    ("your result is sigma' of a[L]: the derivative is taken at the weighted input, "
     "activation.prime(z_L).", lambda z, a, y, act: act.prime(a) * (a - y)),
    ("your result is the cost's value times sigma', not its gradient: dC/da = a - y.",
     lambda z, a, y, act: act.prime(z) * 0.5 * (a - y) ** 2),
    ("your result takes a matrix (dot) product: (22) multiplies entry by entry, the Hadamard product o, "
     "which is * in numpy.", lambda z, a, y, act: act.prime(z) @ (a - y)),
]


@seeded
def check_output_delta(student, seed=0) -> CheckResult:
    """``student(z_L, a_L, y, activation)`` should return (22) for the quadratic cost.

    ``activation`` is an :class:`~backproplab.activations.Activation`; use
    ``activation.prime(z_L)`` for sigma'(z[L]).  Diagnoses: sigma' forgotten, the sign
    (y - a), sigma for sigma', the sigmoid's a(1 - a) on a tanh layer, sigma' of a.
    """
    return run_check("output_delta", student, lambda z, a, y, act: output_delta(z, a, y, act, "quadratic"),
                     _delta_cases(seed, with_W=False), OUTPUT_DELTA_MISTAKES, ACTIVATION_HINTS)


def _tanh_prime_like_sigmoid(z):
    t = np.tanh(z)
    return t * (1 - t)


HIDDEN_DELTA_MISTAKES = [
    ("W is not transposed: (23) multiplies by (W[l+1])^T, which for one sample is "
     "W_next.T @ delta_next (for a batch of rows, delta_next @ W_next).",
     lambda z, W, d, act: act.prime(z) * (W @ d.T).T),
    ("your result works for one sample, not for a batch: in a batch every row is one sample, so the "
     "column formula W^T delta becomes delta_next @ W_next for rows.",
     lambda z, W, d, act: act.prime(z) * (W.T @ d)),
    ("your result is (W[l+1])^T delta[l+1] without the factor sigma'(z[l]): did you forget sigma'?",
     lambda z, W, d, act: d @ W),
    ("your result uses sigma(z[l]) where (23) has its derivative sigma'(z[l]) (activation.prime).",
     lambda z, W, d, act: act.sigma(z) * (d @ W)),
    ("your result uses the sigmoid's a (1 - a) on a tanh layer: use activation.prime(z_l), which is "
     "right for every activation.",
     lambda z, W, d, act: _sigmoid_prime_of_a(act.sigma(z)) * (d @ W)),
    ("your result uses tanh(z) (1 - tanh(z)): tanh' is 1 - tanh(z)^2; activation.prime(z_l) has it.",
     lambda z, W, d, act: _tanh_prime_like_sigmoid(z) * (d @ W)),
    ("your result has the opposite sign.", lambda z, W, d, act: -act.prime(z) * (d @ W)),
    ("your result takes a matrix (dot) product with sigma'(z[l]): (23) multiplies entry by entry, the "
     "Hadamard product o, which is * in numpy.", lambda z, W, d, act: act.prime(z) @ (d @ W)),
]


@seeded
def check_hidden_delta(student, seed=0) -> CheckResult:
    """``student(z_l, W_next, delta_next, activation)`` should return (23).

    Diagnoses: W not transposed, the column formula used on a batch of rows, sigma'
    forgotten, sigma for sigma', the sigmoid's a(1 - a) on a tanh layer, the sign.
    """
    return run_check("hidden_delta", student, hidden_delta, _delta_cases(seed, with_W=True), HIDDEN_DELTA_MISTAKES,
                     ACTIVATION_HINTS)


def _returns_new_array(name, student, argument=0):
    """``student`` wrapped: a Mistake if it returns (a view of) its argument or changes it."""
    def wrapped(*args):
        before = args[argument].copy()
        got = student(*args)
        if isinstance(got, np.ndarray) and np.shares_memory(got, args[argument]):
            raise Mistake(f"your function returns {name} itself (or a view of it), so changing the answer "
                          f"later would change {name} too: return a new array, e.g. {name}.copy().")
        if not np.array_equal(args[argument], before):
            raise Mistake(f"your function changed its input {name} in place: compute a new array and "
                          f"leave {name} as it was.")
        return got
    wrapped.__wrapped__ = student
    return wrapped


BIAS_GRADIENT_MISTAKES = [
    ("your result is the sum of the rows: the cost (9) is a mean over the samples, so divide by "
     "their number (or use delta.mean(axis=0)).", lambda d: d.sum(axis=0) if d.ndim == 2 else None),
    ("your result averages each row (axis=1), over the neurons: average over the samples, axis=0.",
     lambda d: d.mean(axis=1) if d.ndim == 2 else None),
    ("your result is the batch of deltas itself: the gradient of the mean cost (9) is their mean over "
     "the rows.", lambda d: d if d.ndim == 2 else None),
    ("your result is the mean of the entries of delta: for one sample (24) is delta itself, one "
     "entry per neuron.", lambda d: np.mean(d) if d.ndim == 1 else None),
]


@seeded
def check_bias_gradient(student, seed=0) -> CheckResult:
    """``student(delta)`` should return (24): delta for one sample, its mean over a batch.

    Diagnoses: a sum for the mean, the wrong axis, no average at all, the mean of one
    sample's entries, returning the input itself.
    """
    def cases():
        rng = np.random.default_rng(seed)
        return [("one sample of width 3", (rng.normal(size=3),)), ("one sample of width 1", (rng.normal(size=1),)),
                ("a batch of 4, width 3", (rng.normal(size=(4, 3)),)),
                ("a batch of 1, width 2", (rng.normal(size=(1, 2)),))]
    return run_check("bias_gradient", _returns_new_array("delta", student), bias_gradient, cases(),
                     BIAS_GRADIENT_MISTAKES)


BIAS_UPDATE_MISTAKES = [
    ("your step goes uphill: the learning rate's sign is wrong, a descent step is b - eta delta.",
     lambda b, d, eta: b + eta * d),
    ("your step is b - delta: the learning rate eta is missing.", lambda b, d, eta: b - d),
    ("your result is the step -eta delta alone: add it to b.", lambda b, d, eta: -eta * d),
    ("your result is b - delta / eta: multiply by the learning rate, do not divide.",
     lambda b, d, eta: b - d / eta),
]


@seeded
def check_bias_update(student, seed=0) -> CheckResult:
    """``student(b, delta, learning_rate)`` should return ``b - learning_rate * delta`` (a new array).

    Diagnoses: the learning rate's sign, eta forgotten, the step without b, dividing by
    eta, and changing ``b`` in place.
    """
    def cases():
        rng = np.random.default_rng(seed)
        return [(f"width {n}, learning rate {eta}", (rng.normal(size=n), rng.normal(size=n), eta))
                for n, eta in ((1, 0.1), (3, 0.05), (5, 2.0))]
    return run_check("bias_update", _returns_new_array("b", student), lambda b, d, eta: b - eta * d, cases(),
                     BIAS_UPDATE_MISTAKES)


WEIGHT_GRADIENT_MISTAKES = [
    ("your result is the outer product transposed, a[l-1] delta^T: (25) is delta[l] (a[l-1])^T, rows j "
     "for the neurons of layer l.", lambda d, a: np.outer(a, d) if d.ndim == 1 else (d.T @ a / len(d)).T),
    ("your result is the sum over the batch: the cost (9) is a mean, so divide by the number of "
     "samples.", lambda d, a: d.T @ a if d.ndim == 2 else None),
    ("your result is the outer product of the mean delta and the mean a: the gradient is the mean of "
     "the per-sample outer products, delta.T @ a_prev / n.",
     lambda d, a: np.outer(d.mean(axis=0), a.mean(axis=0)) if d.ndim == 2 else None),
    ("your result multiplies entry by entry: (25) is the outer product, np.outer(delta, a_prev) "
     "(for a batch of rows, delta.T @ a_prev / n).", lambda d, a: d * a),
    ("your result is a single number, the dot product: (25) is the outer product, a matrix of shape "
     "(n_l, n_(l-1)).", lambda d, a: np.dot(d, a) if d.ndim == 1 else None),
]


@seeded
def check_weight_gradient(student, seed=0) -> CheckResult:
    """``student(delta, a_prev)`` should return (25): the outer product, averaged over a batch.

    Diagnoses: the outer product transposed, a sum for the mean, the outer product of the
    means, an entrywise or a dot product.
    """
    def cases():
        rng = np.random.default_rng(seed)
        out = []
        for n_l, n_prev, n in ((1, 1, None), (3, 2, None), (2, 4, None), (3, 2, 5), (1, 3, 2)):
            where = f"{'one sample' if n is None else f'a batch of {n}'}, n_l = {n_l}, n_(l-1) = {n_prev}"
            lead = () if n is None else (n,)
            out.append((where, (rng.normal(size=lead + (n_l,)), rng.uniform(size=lead + (n_prev,)))))
        return out
    return run_check("weight_gradient", student, weight_gradient, cases(), WEIGHT_GRADIENT_MISTAKES)


# ----- notebook 01, exercises 2 and 3 --------------------------------------------------
def _tanh_cross_entropy_delta(z, t):
    """dC/dz for C = -[y log p + (1 - y) log(1 - p)], p = (1 + tanh z) / 2, y = (1 + t) / 2.

    Computed by central differences of that cost, so that no formula for the answer is used.
    """
    def cost(u):
        p = (1 + np.tanh(u)) / 2
        y = (1 + t) / 2
        return -(y * np.log(p) + (1 - y) * np.log1p(-p))
    h = 1e-6
    return (cost(z + h) - cost(z - h)) / (2 * h)


@seeded
def check_tanh_cross_entropy_delta(student, seed=0) -> CheckResult:
    """``student(z, t)``: the output delta of a tanh output with cross-entropy on ``(1 + a) / 2``.

    Checked against central differences of the cost, entry by entry, for targets t = -1 and
    t = +1.  Diagnoses: the factor tanh' kept, half the answer (p - y), the sign.
    """
    def cases():
        rng = np.random.default_rng(seed)
        z = np.concatenate([[-1.5, 0.0, 0.8], rng.uniform(-2.5, 2.5, 3)])
        return [(f"targets t = {t:+.0f}", (z.copy(), np.full_like(z, t))) for t in (-1.0, 1.0)]

    def reference(z, t):
        return _tanh_cross_entropy_delta(z, t)

    mistakes = [
        ("your result keeps the factor tanh'(z) = 1 - a^2: it cancels against the denominator "
         "p (1 - p) of dC/dp, as sigma' does for the sigmoid.", lambda z, t: (1 - np.tanh(z) ** 2) * (np.tanh(z) - t)),
        ("your result is half the right one, p - y: the chain rule along z -> a -> p -> C has the "
         "factors 1/2 (dp/da) and 4 p (1 - p) (da/dz).", lambda z, t: (np.tanh(z) - t) / 2),
        ("your result has the opposite sign: it is a - t, not t - a.", lambda z, t: t - np.tanh(z)),
        ("your result uses z where the output a = tanh(z) belongs: delta = a - t.", lambda z, t: z - t),
    ]
    return run_check("tanh_cross_entropy_delta", student, reference, cases(), mistakes)


def check_largest_output_delta(student) -> CheckResult:
    """``student()`` returns (delta_max, z_max): the largest quadratic output delta of a sigmoid
    with target 0, and where it is reached; found here by a fine search over z."""
    z = np.linspace(-5, 5, 2_000_001)
    a = _sigmoid.sigma(z)
    delta = output_delta(z, a, np.zeros_like(z), "sigmoid")
    k = int(np.argmax(delta))
    slips = [("delta_max", 0.25, "1/4 is the largest sigma'(z), at z = 0; delta = sigma'(z) a also has the "
                                 "factor a."),
             ("delta_max", 1 / 8, "that is delta at z = 0, sigma'(0) a(0) = 1/4 x 1/2: is the maximum at z = 0?"),
             ("delta_max", 2 / 3, "2/3 is the value of a at the maximum; delta there is a^2 (1 - a)."),
             ("z_max", 2 / 3, "2/3 is the value of a at the maximum; solve sigma(z) = 2/3 for z."),
             ("z_max", 0.0, "the peak of sigma' is at z = 0; the factor a = sigma(z) moves the peak of "
                            "delta to the right.")]
    return check_numbers("largest_output_delta", student, {"delta_max": float(delta[k]), "z_max": float(z[k])},
                         slips, rtol=2e-3)


# ----- notebook 02, exercises 2 and 3 --------------------------------------------------
def check_tiny_network(student) -> CheckResult:
    """``student()`` returns (z2, a2, z3, a3, delta3, delta2) of the 1-1-1 network of notebook 02,
    computed here with the library's forward pass and (22), (23)."""
    from ..network import Network
    net = Network.from_parameters([[[2.0]], [[4.0]]], [[-2.0], [-2.0]], activation="sigmoid")
    x, y = np.array([1.0]), np.array([1.0])
    trace, deltas = net.forward(x), net.deltas(x, y)
    expected = {"z2": trace.z[2][0], "a2": trace.a[2][0], "z3": trace.z[3][0], "a3": trace.a[3][0],
                "delta3": deltas[3][0], "delta2": deltas[2][0]}
    d3 = deltas[3][0]
    slips = [("delta3", -d3, "the sign: (22) has a - y, not y - a."),
             ("delta3", d3 / _sigmoid.prime(0.0), "the factor sigma'(z[3]) is missing from (22)."),
             ("delta2", -deltas[2][0], "the sign: check delta3 first, (23) keeps its sign."),
             ("delta2", _sigmoid.prime(0.0) * d3, "the weight w[3] is missing from (23)."),
             ("delta2", 4.0 * d3, "the factor sigma'(z[2]) is missing from (23).")]
    return check_numbers("tiny_network", student, {k: float(v) for k, v in expected.items()}, slips, rtol=1e-3)


def check_halving_norm(student) -> CheckResult:
    """``student()`` returns the largest ||W|| for which the bound of notebook 02 at least halves
    per layer: (1/4) ||W|| <= 1/2."""
    bound = _sigmoid.prime(0.0)  # the largest sigma'
    slips = [("largest_norm", 1 / bound, "at that norm the factor per layer is 1: the bound stops shrinking "
                                         "but does not halve."),
             ("largest_norm", 0.5 * bound, "the factor per layer is (1/4) ||W||; solve (1/4) ||W|| <= 1/2.")]
    return check_numbers("halving_norm", student, {"largest_norm": 0.5 / bound}, slips, rtol=1e-3)
