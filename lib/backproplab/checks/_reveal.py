"""The library's code for an exercise, shown once the student's answer has passed."""
from __future__ import annotations

import inspect
import textwrap

from ._core import CheckResult


class Source:
    """Shows the library's code for an exercise, but only once the student's answer passed.

    ``reveal(result, lemma.output_delta)`` in a notebook prints nothing of the answer
    until ``result`` (the exercise's :class:`CheckResult`) has passed.
    """

    def __init__(self, result, functions, docstrings):
        self.result, self.functions, self.docstrings = result, functions, docstrings

    def __repr__(self) -> str:
        names = ", ".join(_qualname(f) for f in self.functions)
        if not (isinstance(self.result, CheckResult) and self.result.passed):
            verb = "appears" if len(self.functions) == 1 else "appear"
            return f"The library's {names} {verb} here once your answer passes its check."
        return "\n".join(source_of(f, self.docstrings) for f in self.functions).rstrip("\n")


def _qualname(function) -> str:
    return getattr(function, "__qualname__", getattr(function, "__name__", repr(function)))


def source_of(function, docstring=False) -> str:
    """The source code of ``function``, dedented, with its docstring left out by default."""
    source = textwrap.dedent(inspect.getsource(function))
    if docstring or not function.__doc__:
        return source
    kept, inside, done = [], False, False
    for line in source.splitlines(keepends=True):
        text = line.strip()
        if not done and not inside and text.startswith(('"""', 'r"""')):
            done = text.count('"""') >= 2  # a one-line docstring ends where it starts
            inside = not done
            continue
        if inside:
            inside = '"""' not in text
            done = not inside
            continue
        kept.append(line)
    return "".join(kept)


def reveal(result, *functions, docstrings=False) -> Source:
    """The library's code for an exercise, shown only once ``result`` has passed.

    Parameters
    ----------
    result : CheckResult
        The exercise's self-check.
    *functions : the library functions (or methods) to show.
    docstrings : bool
        Show their docstrings too (default: the code only).
    """
    return Source(result, functions, docstrings)
