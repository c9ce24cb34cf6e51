"""The machinery every self-check shares: run the student's function, compare, report.

A check never raises: it returns a :class:`CheckResult` whose text is one line, PASSED,
FAILED (what went wrong, on which input) or NOT IMPLEMENTED YET.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..layers import ByLayer
from ..network import Network

RTOL, ATOL = 1e-6, 1e-9


@dataclass
class CheckResult:
    """The outcome of a check: ``status`` is "passed", "failed" or "not implemented"."""

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


def _fmt(value) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, np.ndarray):
        return np.array2string(np.round(value, 6), separator=", ", threshold=20)
    return repr(value)


def _same(expected, got) -> str | None:
    """None if ``got`` matches ``expected`` (arrays, or lists/tuples of arrays), else why not."""
    if isinstance(expected, (list, tuple, ByLayer)):
        if not isinstance(got, (list, tuple, ByLayer)) or len(got) != len(expected):
            return f"expected a sequence of {len(expected)} items, got {type(got).__name__}"
        for i, (e, g) in enumerate(zip(expected, got)):
            why = _same(e, g)
            if why:
                return f"item {i}: {why}"
        return None
    try:
        got_arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"expected an array of numbers, got {type(got).__name__}"
    if got_arr.shape != np.shape(expected):
        return f"expected shape {np.shape(expected)}, got shape {got_arr.shape}"
    if not np.allclose(got_arr, expected, rtol=RTOL, atol=ATOL):
        return f"expected {_fmt(np.asarray(expected))}, got {_fmt(got_arr)}"
    return None


def run_check(name, student, reference, cases, mistakes=()) -> CheckResult:
    """Compare ``student(*args)`` with ``reference(*args)`` for every ``args`` in ``cases``.

    Parameters
    ----------
    name : str
        The exercise's name, the first word of every message.
    student, reference : callable
        The student's function and the library's.
    cases : list of (str, tuple)
        ``(description, args)`` pairs; each argument is copied before each call so neither
        function can change what the other sees.
    mistakes : sequence of (str, callable)
        The common mistakes of the exercise, each as ``(sentence, wrong)``: ``wrong`` takes
        the same arguments and returns what that mistake would give.  When the student's
        answer is wrong but equals ``wrong(*args)``, the message ends with ``sentence``
        (e.g. "your result equals a - y: did you forget sigma'(z)?").
    """
    for description, args in cases:
        expected = reference(*[_copy(a) for a in args])
        try:
            got = student(*[_copy(a) for a in args])
        except NotImplementedError:
            return CheckResult(name, "not implemented", f"{name}: NOT IMPLEMENTED YET (replace the "
                                                        "`raise NotImplementedError` with your code)")
        except Exception as exc:  # the student's bug, reported rather than raised
            return CheckResult(name, "failed", f"{name}: FAILED on {description}: raised "
                                               f"{type(exc).__name__}: {exc}{_hint(description)}")
        why = _same(expected, got)
        if why:
            diagnosis = _diagnose(got, args, mistakes)
            tail = f" {diagnosis[:1].upper()}{diagnosis[1:]}" if diagnosis else _hint(description)
            why = why if why.endswith(".") else why + "."
            return CheckResult(name, "failed", f"{name}: FAILED on {description}: {why}{tail}")
    return CheckResult(name, "passed", f"{name}: PASSED on {len(cases)} random inputs")


def _diagnose(got, args, mistakes) -> str:
    """The sentence of the first mistake whose result equals ``got``, or ""."""
    for sentence, wrong in mistakes:
        try:
            with np.errstate(all="ignore"):
                if _same(wrong(*[_copy(a) for a in args]), got) is None:
                    return sentence
        except Exception:  # a mistake that does not apply to these arguments
            continue
    return ""


def _hint(description) -> str:
    if "batch" in description:
        return (" (in a batch every row is one sample, so a column-vector formula W^T delta "
                "becomes delta @ W for rows)")
    return ""


def _copy(a):
    if isinstance(a, np.ndarray):
        return a.copy()
    if isinstance(a, Network):
        return a.copy()
    return a


def _shapes():
    """(n_l, n_next, n_samples) triples: one sample and batches, narrow and wide layers."""
    return [(1, 1, None), (3, 2, None), (4, 5, None), (2, 3, 1), (3, 4, 6)]
