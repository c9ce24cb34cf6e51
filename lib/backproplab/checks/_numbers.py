"""Checks of a paper exercise's numbers: PASSED, or how far off each number is.

The student returns the numbers from a function ``my_answer()``; the expected values are
computed by the checker (in the library, never in the notebook) and never printed.
"""
from __future__ import annotations

import numpy as np

from ._core import CheckResult, _capital, _explain_exception, call_quietly, not_implemented


def check_numbers(name, student, expected, slips=(), rtol=2e-3) -> CheckResult:
    """Check the numbers of a paper exercise without showing the expected ones.

    Parameters
    ----------
    name : str
    student : callable
        The student's ``my_answer()``, returning one number or a tuple of numbers.
    expected : dict
        ``{quantity name: value}`` in the order ``my_answer`` returns them.
    slips : sequence of (str, float, str)
        ``(quantity name, value, sentence)``: a typical slip and what it suggests.
    rtol : float or dict
        Relative tolerance: three significant digits or an exact fraction pass.  A dict gives
        each quantity its own (``0`` for a count that must be exact); missing ones get 2e-3.

    Returns
    -------
    CheckResult
        PASSED, or for each wrong quantity how far off it is (never the expected value).
    """
    if not callable(student):
        return CheckResult(name, "failed", f"{name}: FAILED: expected your function my_answer, got "
                                           f"{type(student).__name__} (pass the function, without ())")
    try:
        return _numbers(name, student, expected, slips, rtol)
    except Exception as exc:  # a check never raises, as promised; this would be the checker's own bug
        return CheckResult(name, "cannot run", f"{name}: CANNOT RUN: the check itself failed with "
                                               f"{type(exc).__name__}: {exc}")


def _numbers(name, student, expected, slips, rtol) -> CheckResult:
    try:
        got = call_quietly(student)
    except NotImplementedError:
        return not_implemented(name)
    except Exception as exc:
        first = next(iter(expected))
        hint = [(r"^NameError", f"assign each number inside my_answer(), above its return, e.g. `{first} = ...`")]
        return CheckResult(name, "failed", _explain_exception(name, "your answer", student, (), exc, "", hint))
    names = list(expected)
    values = got if isinstance(got, (tuple, list)) else (got,)
    if len(values) != len(names):
        return CheckResult(name, "failed", f"{name}: FAILED: my_answer() should return {len(names)} "
                                           f"number(s), {', '.join(names)}; it returned {len(values)}")
    problems = []
    tolerance = rtol if isinstance(rtol, dict) else dict.fromkeys(names, rtol)
    for quantity, value in zip(names, values):
        rtol = tolerance.get(quantity, 2e-3)
        problem = _number_problem(quantity, value, expected[quantity], rtol)
        if problem is not None:
            for slip_quantity, slip, sentence in slips:
                if slip_quantity == quantity and _number_problem(quantity, value, slip, max(rtol, 1e-3)) is None:
                    problem += f" {_capital(sentence)}"
                    break
            problems.append(problem)
    if problems:
        return CheckResult(name, "failed", f"{name}: FAILED: " + " ".join(problems))
    if all(tolerance.get(q, 2e-3) == 0 for q in names):
        return CheckResult(name, "passed", f"{name}: PASSED ({', '.join(names)} right exactly)")
    return CheckResult(name, "passed", f"{name}: PASSED ({', '.join(names)} right)")


def _short(value) -> str:
    """``repr(value)`` on one line, at most 60 characters."""
    text = " ".join(repr(value).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _number_problem(quantity, value, expected, rtol) -> str | None:
    if isinstance(value, (bool, np.bool_)) or value is None or value is Ellipsis:
        return f"{quantity} = {_short(value)} is not a number yet."
    if np.iscomplexobj(value):
        return f"{quantity} = {_short(value)} is complex; expected a real number."
    if np.ndim(value) != 0:
        return f"{quantity} = {_short(value)} is not one number."
    try:
        value = float(value)
    except (TypeError, ValueError):
        return f"{quantity} = {_short(value)} is not a number."
    if not np.isfinite(value):
        return f"{quantity} = {value!r} is not finite."
    shown = f"{value:,.0f}" if rtol == 0 and value == round(value) else f"{value:.4g}"
    if expected == 0:
        return None if abs(value) <= 1e-12 else f"{quantity} = {shown} should be exactly 0."
    off = (value - expected) / abs(expected)
    if abs(off) <= rtol:
        return None
    if np.sign(value) == -np.sign(expected) and abs(abs(value) - abs(expected)) <= rtol * abs(expected):
        return f"{quantity} = {shown} has the wrong sign."
    size = "too large" if value > expected else "too small"
    if abs(off) < 0.05 and rtol > 0:
        return (f"{quantity} = {shown} is close but {size} by {abs(off):.1%}: give three significant "
                f"digits, or the exact fraction.")
    if abs(off) < 0.05:
        return f"{quantity} = {shown} is {size} by {abs(off):.1%}."
    if abs(off) < 10:
        return f"{quantity} = {shown} is {size} by {abs(off):.0%}."
    return f"{quantity} = {shown} is {size} by a factor of about {abs(value / expected):.0f}."
