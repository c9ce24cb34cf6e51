"""Write the student version of the notebooks: the worked solutions taken out.

Every exercise in ``notebooks/`` holds its solution between a line ``### BEGIN SOLUTION``
and a line ``### END SOLUTION``, in a cell that holds that exercise's function or answer
only.  The student version follows nbgrader's conventions (``nbgrader generate_assignment``
produces the same cells from the same source):

* in a code cell, the lines from one marker to the other become ``# YOUR CODE HERE`` and
  ``raise NotImplementedError()`` at the marker's indentation, so the self-check after it
  prints NOT IMPLEMENTED YET until the student writes the code;
* in a Markdown cell, the block becomes ``YOUR ANSWER HERE``;
* in a self-check, the hidden test (the lines from ``### BEGIN HIDDEN TESTS`` to
  ``### END HIDDEN TESTS``, an ``assert`` that the check passed) is removed, as nbgrader's
  ClearHiddenTests removes it: the student's run never stops at a failing check, and
  ``nbgrader autograde`` puts it back to score the answer;
* cells are locked as nbgrader's LockCells locks them in its release (from the
  ``metadata.nbgrader`` that ``scripts/nbgrader_metadata.py`` derives): an answer cannot be
  deleted, a self-check or a read-only cell can be neither edited nor deleted;
* every output, execution count and stored widget state is cleared (with the output
  settings ``collapsed`` and ``scrolled``, as nbgrader's ClearOutput does): students run the
  notebook themselves, top to bottom.

``nbgrader generate_assignment`` on the same notebooks gives the same cells (type, source,
metadata apart from the ``checksum`` and ``cell_type`` nbgrader records for grading):
``tests/test_grading.py`` compares them.

A paper exercise's numbers are returned by a function ``my_answer()`` whose body is the
solution, so that the stub raises only when the check calls it and the notebook still runs
top to bottom.

``make student`` runs this; it writes ``student/`` (not tracked by git), ready to hand out
or to put on a JupyterHub.  Usage::

    python scripts/student_version.py [--out student] [notebooks/NN_name.ipynb ...]
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
# A whole solution block, markers included (group 1: the marker's indentation); the website
# (scripts/build_site.py) folds such blocks away in Markdown cells.
BLOCK = re.compile(r"^([ \t]*)### BEGIN SOLUTION[^\n]*\n.*?^[ \t]*### END SOLUTION[^\n]*(\n|$)", re.M | re.S)
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"  # nbgrader's ClearSolutions.code_stub
ANSWER_STUB = "YOUR ANSWER HERE"  # nbgrader's ClearSolutions.text_stub


def _replace_blocks(source: str, begin: str, end: str, kind: str, stub: list[str]) -> str:
    """``source`` with each block from a line ``begin`` to a line ``end`` (both included)
    replaced by the lines ``stub``, at the indentation of ``begin``.

    Line by line, as nbgrader does: a line whose stripped text is ``begin`` starts a block,
    one whose stripped text is ``end`` ends it.  ``kind`` names the markers in errors.

    Raises
    ------
    ValueError
        For a block that is nested or never ended, or an end with no beginning.
    """
    kept, inside = [], False
    for line in source.split("\n"):
        text = line.strip()
        if text == begin:
            if inside:
                raise ValueError(f"unbalanced {kind} markers: a nested {begin}")
            inside = True
            indent = line[:line.find(begin)]
            kept.extend(indent + stub_line for stub_line in stub)
        elif text == end:
            if not inside:
                raise ValueError(f"unbalanced {kind} markers: {end} without {begin}")
            inside = False
        elif not inside:
            kept.append(line)
    if inside:
        raise ValueError(f"unbalanced {kind} markers: {begin} without {end}")
    return "\n".join(kept)


def strip_solutions(source: str, cell_type: str) -> str:
    """``source`` with every solution block (``### BEGIN SOLUTION`` to ``### END SOLUTION``)
    replaced by the student's stub, as nbgrader's ClearSolutions does.

    Raises
    ------
    ValueError
        For a block that is nested or never ended, or an end with no beginning.
    """
    stub = (CODE_STUB if cell_type == "code" else ANSWER_STUB).split("\n")
    return _replace_blocks(source, BEGIN, END, "solution", stub)


def strip_hidden_tests(source: str) -> str:
    """``source`` without its hidden tests: the lines from ``### BEGIN HIDDEN TESTS`` to
    ``### END HIDDEN TESTS``, both included, as nbgrader's ClearHiddenTests removes them.

    Raises
    ------
    ValueError
        For a block that is nested or never ended, or an end with no beginning.
    """
    return _replace_blocks(source, BEGIN_HIDDEN, END_HIDDEN, "hidden-test", [])


def lock(cell) -> None:
    """Mark ``cell`` undeletable and uneditable as nbgrader's LockCells does (its defaults):
    an answer (solution cell) cannot be deleted; a test (grade cell) or a read-only (locked)
    cell can be neither deleted nor edited."""
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("solution"):
        cell.metadata["deletable"] = False
    elif meta.get("grade") or meta.get("locked"):
        cell.metadata["deletable"] = False
        cell.metadata["editable"] = False


def student_notebook(nb):
    """A copy of the notebook ``nb`` with the solutions out and the outputs cleared."""
    nb = nbformat.from_dict(nb)  # a deep copy
    for cell in nb.cells:
        try:
            cell.source = strip_hidden_tests(strip_solutions(cell.source, cell.cell_type))
        except ValueError as exc:
            raise ValueError(f"{exc} in cell {cell.get('id', '?')}:\n{cell.source}") from None
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
            if marker in cell.source:
                kind = "hidden-test" if "HIDDEN" in marker else "solution"
                raise ValueError(f"unbalanced {kind} markers in cell {cell.get('id', '?')}: a marker must be "
                                 f"alone on its line:\n{cell.source}")
        lock(cell)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            for key in ("execution", "collapsed", "scrolled"):
                cell.metadata.pop(key, None)
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("celltoolbar", None)  # the classic notebook's cell toolbar, as nbgrader drops it
    return nb


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to convert (default: notebooks/[0-9]*.ipynb)")
    parser.add_argument("--out", type=Path, default=ROOT / "student", help="output folder (default: student/)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    args.out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        nb = student_notebook(nbformat.read(path, as_version=4))
        nbformat.write(nb, args.out / path.name)
        print(f"{path.name}: written to {args.out / path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
