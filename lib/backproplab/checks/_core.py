"""The machinery every self-check shares: run the student's function, compare, diagnose.

A check never raises: it returns a :class:`CheckResult` whose text is one line, as a tutor
would say it:

* ``PASSED``: every input agreed;
* ``FAILED``: what went wrong on which input and, where the answer looks like a common
  mistake, that mistake in one sentence ("your result equals a - y: did you forget
  sigma'(z[L])?");
* ``NOT IMPLEMENTED YET``: the stub still raises ``NotImplementedError``;
* ``CANNOT RUN``: the check itself was called wrongly (a seed that is not an integer >= 0).

An exception in the student's code becomes one line too: its type, its message, the line
of the student's function where it happened and a hint, never a numpy traceback.
"""
from __future__ import annotations

import functools
import inspect
import re
import warnings
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from ..layers import ByLayer
from ..network import Network

RTOL, ATOL = 1e-6, 1e-9


@dataclass
class CheckResult:
    """The outcome of a check.

    Attributes
    ----------
    name : str
        The exercise, the first word of the message.
    status : {"passed", "failed", "not implemented", "cannot run"}
    message : str
        One line for the student.
    """

    name: str
    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return self.message


class Mistake(Exception):
    """Raised by a checker's wrapper around the student's function for a mistake that the
    returned value cannot show (an input changed in place, a network left unchanged).
    Its text is the one-sentence diagnosis."""


def not_implemented(name) -> CheckResult:
    return CheckResult(name, "not implemented", f"{name}: NOT IMPLEMENTED YET (replace `# YOUR CODE HERE` "
                                                "and `raise NotImplementedError()` with your code)")


def seed_problem(name, seed) -> CheckResult | None:
    """A "cannot run" result when ``seed`` is not an integer >= 0, else None."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, Integral) or seed < 0:
        return CheckResult(name, "cannot run", f"{name}: CANNOT RUN: seed must be an integer >= 0 (it picks "
                                               f"the random test inputs), got {seed!r}")
    return None


def seeded(check):
    """A checker whose ``seed`` (it picks the random test inputs) is checked first: a bad one
    gives a CANNOT RUN result naming it, never an exception (a check never raises)."""
    name = check.__name__.removeprefix("check_")

    @functools.wraps(check)
    def checked(student, seed=0):
        problem = seed_problem(name, seed)
        return problem if problem is not None else check(student, seed)
    return checked


# ----- comparing an answer with the expected value -------------------------------------
def _fmt(value) -> str:
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return f"{value.item():.6g}"
        text = np.array2string(np.round(value, 6), separator=", ", threshold=20, max_line_width=10_000)
        return " ".join(text.split())  # one line, even for a matrix
    return repr(value)


def _is_sequence(value) -> bool:
    return isinstance(value, (list, tuple, ByLayer, dict))


def _items(got, expected):
    """``got`` as a list aligned with ``expected`` (a list, tuple or ByLayer), or a reason why not.

    A student may return a list (position 0 is the first layer), a ByLayer, or a dict keyed
    by the notes' layer numbers.
    """
    if isinstance(got, dict):
        if not isinstance(expected, ByLayer):
            return None, f"expected a sequence of {len(expected)} items, got a dict"
        layers = list(expected.layers)
        if sorted(got) != layers:
            return None, (f"your dict has the keys {sorted(got)}; expected the layers "
                          f"{layers[0]}, ..., {layers[-1]}")
        return [got[l] for l in layers], None
    if not isinstance(got, (list, tuple, ByLayer)) or len(got) != len(expected):
        what = f"{len(got)} items" if _is_sequence(got) else type(got).__name__
        return None, f"expected a sequence of {len(expected)} items, got {what}"
    return list(got), None


def _label(path, expected, i) -> str:
    first = expected.first if isinstance(expected, ByLayer) else 0
    return f"{path}[{first + i}]" if path else f"item {first + i}"


def _is_complex(value) -> bool:
    if _is_sequence(value):
        return any(_is_complex(v) for v in (value.values() if isinstance(value, dict) else value))
    return np.iscomplexobj(value) if isinstance(value, (np.ndarray, complex, np.complexfloating)) else False


def compare(expected, got, path="") -> str | None:
    """None if ``got`` matches ``expected``, else what differs (one clause).

    ``expected`` is an array or number, or a list, tuple or ByLayer of them (nested);
    ``path`` names the value in messages (``grad_W`` gives ``grad_W[3]`` for layer 3); a
    tuple of names, such as ``("grad_W", "grad_b")``, names the parts of a tuple.
    """
    if isinstance(expected, (list, tuple, ByLayer)):
        names = path if isinstance(path, tuple) else None  # the names of the parts, e.g. (grad_W, grad_b)
        prefix = "" if names else path
        items, why = _items(got, expected)
        if why:
            return f"{prefix}: {why}" if prefix else why
        for i, (e, g) in enumerate(zip(expected, items)):
            why = compare(e, g, names[i] if names else _label(prefix, expected, i))
            if why:
                return why
        return None
    where = f"{path}: " if path else ""
    if got is None:
        return f"{where}your function returned None"
    if _is_complex(got):
        return f"{where}your answer holds complex numbers ({_fmt(np.asarray(got))}); expected real numbers"
    try:
        got_arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"{where}expected an array of numbers, got {type(got).__name__}"
    if got_arr.shape != np.shape(expected):
        return f"{where}expected shape {np.shape(expected)}, got shape {got_arr.shape}"
    if not np.allclose(got_arr, expected, rtol=RTOL, atol=ATOL):
        return f"{where}expected {_fmt(np.asarray(expected, dtype=float))}, got {_fmt(got_arr)}"
    return None


def _generic_diagnosis(expected, got) -> str:
    """Mistakes any exercise can make: no return, complex numbers, a transposed result, NaN."""
    if got is None:
        return "Did you forget the `return`?"
    if _is_complex(got):
        return "A complex number usually comes from a square root or power of a negative number."
    if isinstance(expected, np.ndarray) and expected.ndim == 2 and not _is_sequence(got):
        try:
            got_arr = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return ""
        if got_arr.shape == expected.T.shape and np.allclose(got_arr.T, expected, rtol=RTOL, atol=ATOL):
            return "Your result is the transpose of the right one: rows and columns are swapped."
        if not np.all(np.isfinite(got_arr)):
            return "Your result contains NaN or inf: an overflow, e.g. np.exp of a large number?"
    return ""


# ----- exceptions in the student's code -----------------------------------------------
def _kind(exc) -> str:
    """A coarse class of an exception, so that ``np.dot`` and ``@`` shape errors match."""
    text = str(exc)
    if isinstance(exc, ValueError) and re.search(r"matmul|not aligned|core dimension", text):
        return "product shapes"
    if isinstance(exc, ValueError) and "broadcast" in text:
        return "broadcast shapes"
    return type(exc).__name__


def _line_in(student, exc) -> str:
    """" (line 3 of my_f)" for the last frame of the traceback inside ``student``, or ""."""
    inner = inspect.unwrap(student)
    code = getattr(inner, "__code__", None)
    if code is None:
        return ""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == code.co_filename:
            line = tb.tb_lineno - code.co_firstlineno + 1
        tb = tb.tb_next
    return f" (line {line} of {inner.__name__})" if line and line > 0 else ""


def _input_shapes(student, args) -> str:
    """"z_l (3,), W_next (2, 3)": the inputs' shapes, named as in the student's function."""
    try:
        names = list(inspect.signature(inspect.unwrap(student)).parameters)
    except (TypeError, ValueError):
        names = []
    parts = []
    for i, a in enumerate(args):
        if isinstance(a, np.ndarray):
            name = names[i] if i < len(names) else f"argument {i + 1}"
            parts.append(f"{name} {a.shape}")
    return ", ".join(parts)


GENERIC_HINTS = [
    ("product shapes", "The inputs had shapes {shapes}: check which matrix needs a transpose."),
    ("broadcast shapes", "The inputs had shapes {shapes}: which product should be a matrix product?"),
    ("NameError", "A name your function uses is not defined: a typo, or a variable from outside the "
                  "function (it gets everything it needs as arguments)?"),
    ("IndexError", "An index is out of range: the notes number layers 2, ..., L and neurons from 1, "
                   "numpy counts entries from 0."),
]


PLAIN_WORDS = {"product shapes": "shapes that do not fit a matrix product",
               "broadcast shapes": "arrays of shapes that cannot be combined entry by entry"}


def _explain_exception(name, description, student, args, exc, diagnosis, hints) -> str:
    kind = _kind(exc)
    text = PLAIN_WORDS.get(kind) or (str(exc).splitlines()[0] if str(exc) else "")
    if len(text) > 110:
        text = text[:107] + "..."
    head = f"{name}: FAILED on {description}: your code raised {type(exc).__name__}"
    head += f" ({text})" if text else ""
    head += _line_in(student, exc) + "."
    if diagnosis:
        return f"{head} {_capital(diagnosis)}"
    message = f"{type(exc).__name__}: {exc}"
    for pattern, sentence in hints:
        if re.search(pattern, message):
            return f"{head} {_capital(sentence)}"
    for pattern, sentence in GENERIC_HINTS:
        if pattern == kind:
            return f"{head} {sentence.format(shapes=_input_shapes(student, args))}"
    return head


# ----- the check -----------------------------------------------------------------------
def run_check(name, student, reference, cases, mistakes=(), hints=(), path="") -> CheckResult:
    """Compare ``student(*args)`` with ``reference(*args)`` for every ``args`` in ``cases``.

    Parameters
    ----------
    name : str
        The exercise's name, the first word of every message.
    student, reference : callable
        The student's function and the library's.
    cases : list of (str, tuple)
        ``(description, args)`` pairs, in the order a student should meet them (one sample
        before a batch); each argument is copied before each call so neither function can
        change what the other sees.
    mistakes : sequence of (str, callable)
        The common mistakes of the exercise, each as ``(sentence, wrong)``: ``wrong`` takes
        the same arguments and returns what that mistake would give.  When the student's
        answer is wrong but equals ``wrong(*args)``, or the student's code raises an error of
        the kind ``wrong(*args)`` raises, the message ends with ``sentence``.
    hints : sequence of (str, str)
        ``(regular expression, sentence)``: when the student's code raises an exception whose
        ``"Type: message"`` matches, the message ends with that sentence.
    path : str or tuple of str
        The name of the returned value in messages, e.g. ``"grad_W"``, or the names of the
        parts of a returned tuple, e.g. ``("grad_W", "grad_b")``.

    Returns
    -------
    CheckResult
    """
    if not callable(student):
        return CheckResult(name, "failed", f"{name}: FAILED: expected your function, got "
                                           f"{type(student).__name__} (pass the function itself, without ())")
    try:
        return _run(name, student, reference, cases, mistakes, hints, path)
    except Exception as exc:  # a check never raises, as promised; this would be the checker's own bug
        return CheckResult(name, "cannot run", f"{name}: CANNOT RUN: the check itself failed with "
                                               f"{type(exc).__name__}: {exc}")


def _run(name, student, reference, cases, mistakes, hints, path) -> CheckResult:
    for description, args in cases:
        expected = reference(*[_copy(a) for a in args])
        try:
            got = call_quietly(student, *[_copy(a) for a in args])  # overflow shows as NaN or inf
        except NotImplementedError:
            return not_implemented(name)
        except Mistake as mistake:
            return CheckResult(name, "failed", f"{name}: FAILED on {description}: {_capital(str(mistake))}")
        except Exception as exc:  # the student's bug, reported rather than raised
            diagnosis = _diagnose(student, cases, args, ("error", _kind(exc)), mistakes, path)
            return CheckResult(name, "failed", _explain_exception(name, description, student, args, exc,
                                                                  diagnosis, hints))
        why = compare(expected, got, path)
        if why:
            diagnosis = (_diagnose(student, cases, args, ("value", got), mistakes, path)
                         or _generic_diagnosis(expected, got))
            why = why if why.endswith(".") else why + "."
            tail = f" {_capital(diagnosis)}" if diagnosis else ""
            return CheckResult(name, "failed", f"{name}: FAILED on {description}: {why}{tail}")
    return CheckResult(name, "passed", f"{name}: PASSED on {len(cases)} random inputs")


def _outcome(function, args):
    """What ``function(*args)`` gives: ``("value", result)``, or ``("error", kind)`` if it raises."""
    try:
        return "value", call_quietly(function, *[_copy(a) for a in args])
    except Exception as exc:  # Mistake included: a wrapper's diagnosis is an outcome too
        return "error", _kind(exc)


def _same_outcome(mistake, student, path) -> bool:
    if mistake[0] != student[0]:
        return False
    if mistake[0] == "error":
        return mistake[1] == student[1]
    return mistake[1] is not None and compare(mistake[1], student[1], path) is None


def _diagnose(student, cases, args, outcome, mistakes, path="") -> str:
    """The sentence of the mistake that explains the student's outcome on ``args``, or "".

    A candidate must give the same outcome on the failing input (the same value, or an
    error of the same kind); among several, the one that agrees with the student on the
    most other inputs wins (at z = 0 several mistakes give the same number, and for a
    batch several shape errors look alike; over all inputs only one fits).
    """
    candidates = [(sentence, wrong) for sentence, wrong in mistakes
                  if _same_outcome(_outcome(wrong, args), outcome, path)]
    if len(candidates) <= 1:
        return candidates[0][0] if candidates else ""
    theirs = [(other, _outcome(student, other)) for _, other in cases]
    scores = [sum(_same_outcome(_outcome(wrong, other), answer, path) for other, answer in theirs)
              for _, wrong in candidates]
    return candidates[scores.index(max(scores))][0]


MATH_WORDS = {"sigma", "delta", "tanh", "softplus", "eta"}


def _capital(sentence: str) -> str:
    """The sentence with a capital, unless it starts with a symbol or code (z, net.weights, sigma')."""
    first = sentence.split(" ", 1)[0].rstrip(",:")
    if re.fullmatch(r"[a-z]{2,}", first) and first not in MATH_WORDS:
        return sentence[:1].upper() + sentence[1:]
    return sentence


def _copy(a):
    if isinstance(a, np.ndarray):
        return a.copy()
    if isinstance(a, Network):
        return a.copy()
    return a


def call_quietly(function, *args):
    """``function(*args)`` with numpy's floating-point warnings silenced (for wrappers)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args)


def shapes_of_layers():
    """(n_l, n_next, n_samples) triples: one sample and batches, narrow and wide layers.

    A batch never has as many samples as a layer has neurons, so a transposed product
    cannot pass by accident.
    """
    return [(1, 1, None), (3, 2, None), (4, 5, None), (2, 3, 1), (3, 4, 6)]


# Names of the first version of this module, for checker modules written against it.
_same = compare
_shapes = shapes_of_layers
