"""The nbgrader metadata of the lessons, derived from their structure (its only source).

nbgrader (https://nbgrader.readthedocs.io) grades a notebook by its cells' metadata
(``metadata.nbgrader``, schema version 3, nbgrader 0.9).  Nobody writes it by hand here:
this script derives it from the way every exercise is laid out, so a new exercise or a new
notebook gets it by running the script, and ``tests/test_grading.py`` fails when a stored
notebook's metadata is not what the script derives.

The layout, and what each cell becomes:

* A **code cell with a solution region** (``### BEGIN SOLUTION`` ... ``### END SOLUTION``:
  an exercise's function, or ``my_answer()`` for a paper exercise's numbers) is an
  *autograded answer*: ``solution``, no points of its own, grade id ``NAME``.
* The **self-check right after it**, ``NAME_result = checks.check_NAME(...)``, is an
  *autograder test* worth :data:`POINTS` point: ``grade`` and ``locked``, grade id
  ``NAME_check``.  It ends with a hidden test, ``assert NAME_result.passed,
  NAME_result.message`` between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``:
  nbgrader removes it from the students' version (their run never stops at a failing
  check) and puts it back when it grades, so a failing check or a stub scores 0.
  ``NAME`` is the check's name without ``check_``: unique in a notebook, and stable.
* A **Markdown cell with a solution region** is a *written answer, graded by hand*:
  ``solution`` and ``grade``, :data:`POINTS` point, grade id ``NAME_written`` when the next
  cell is the same exercise's code answer (a derivation, then its numbers), else
  ``written-CELLID`` (the cell's nbformat id, which never changes).
* **Every other cell** is *read-only*: ``locked``, grade id ``cell-CELLID`` (the form
  nbgrader's own "Create Assignment" tool gives).  Students cannot edit or delete it, and
  when nbgrader grades it restores it from the teacher's version.

The lessons are ``notebooks/[0-9]*.ipynb``.  ``make notebooks`` (``scripts/run_notebooks.py``)
applies the metadata as part of writing the canonical form; to apply it without
re-executing (it changes no output)::

    python scripts/nbgrader_metadata.py notebooks/07_name.ipynb ...   # write it in place
    python scripts/nbgrader_metadata.py --check                        # report, exit 1 if stale
    python scripts/nbgrader_metadata.py --points                       # each lesson's points

A notebook written before the self-checks had hidden tests (``checks.check_NAME(FN)``, or
``NAME_result = checks.check_NAME(FN)`` then ``NAME_result``) gets them with
``--add-hidden-tests``; re-run it afterwards (``scripts/run_notebooks.py``), since a check
then displays its result rather than returning it.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import notebook_form  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_VERSION = 3  # nbgrader 0.9's cell metadata schema
POINTS = 1  # per autograder test and per written answer
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
CHECK_CALL = re.compile(r"^(?P<var>\w+) = checks\.check_(?P<name>\w+)\(", re.M)

OLD_CHECK = re.compile(r"(?:(?P<var>\w+) = )?checks\.check_(?P<name>\w+)\((?P<fn>\w+)\)(?:\n(?P<last>\w+))?")
CHECK_CELL_FORM = """\
{name}_result = checks.check_{name}(my_function)
display({name}_result)
### BEGIN HIDDEN TESTS
assert {name}_result.passed, {name}_result.message
### END HIDDEN TESTS"""


def lessons() -> list[Path]:
    """The course's notebooks, which are nbgrader source notebooks."""
    return sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


def is_lesson(path) -> bool:
    path = Path(path).resolve()
    return path.parent == (ROOT / "notebooks").resolve() and path.name[:1].isdigit()


def _has_solution(cell) -> bool:
    return any(line.strip() == BEGIN for line in cell.source.split("\n"))


def _has_hidden_tests(cell) -> bool:
    return any(line.strip() == BEGIN_HIDDEN for line in cell.source.split("\n"))


def _check_name(cell, where: str) -> str:
    """The exercise name of a self-check cell, after checking that it has the expected form."""
    form = CHECK_CELL_FORM.format(name="NAME")
    match = CHECK_CALL.search(cell.source) if cell.cell_type == "code" else None
    if not match:
        raise ValueError(f"{where}: a code solution must be followed by its self-check, of the form\n{form}\n"
                         f"got:\n{cell.source}")
    name, var = match["name"], match["var"]
    hidden = f"{BEGIN_HIDDEN}\nassert {var}.passed, {var}.message\n{END_HIDDEN}"
    if var != f"{name}_result" or hidden not in cell.source or not cell.source.rstrip().endswith(END_HIDDEN):
        raise ValueError(f"{where}: the self-check must end with its hidden test, of the form\n{form}\n"
                         f"got:\n{cell.source}")
    return name


def add_hidden_tests(nb) -> int:
    """Rewrite each self-check after a code solution that is in the older form into
    :data:`CHECK_CELL_FORM` (in place); the number of cells rewritten.  Any other check
    cell is left as it is (``derive`` then says what it expects)."""
    rewritten = 0
    for cell, nxt in zip(nb.cells, nb.cells[1:]):
        if not (cell.cell_type == "code" and _has_solution(cell) and nxt.cell_type == "code"):
            continue
        old = OLD_CHECK.fullmatch(nxt.source.strip())
        if old and old["var"] in (None, f"{old['name']}_result") and old["last"] == old["var"]:
            nxt.source = CHECK_CELL_FORM.format(name=old["name"]).replace("my_function", old["fn"])
            rewritten += 1
    return rewritten


def _meta(grade_id: str, *, solution=False, grade=False, locked=False) -> dict:
    meta = {"schema_version": SCHEMA_VERSION, "grade_id": grade_id,
            "solution": solution, "grade": grade, "locked": locked}
    if grade:
        meta["points"] = POINTS
    return meta


def derive(nb, label: str = "notebook") -> list[dict]:
    """The ``metadata.nbgrader`` of each cell of ``nb``, in order.

    Raises
    ------
    ValueError
        For a layout this scheme cannot grade: a code solution not followed by its
        self-check, a self-check without its hidden test, hidden tests anywhere else, a cell
        without an id, or two cells with the same grade id.
    """
    derived: list[dict | None] = [None] * len(nb.cells)
    for i, cell in enumerate(nb.cells):
        if "id" not in cell:
            raise ValueError(f"{label}: cell {i} has no id; save the notebook as nbformat 4.5 "
                             f"(JupyterLab does) so that every cell has one")
        if not (_has_solution(cell) and cell.cell_type == "code"):
            continue
        where = f"{label}, cell {i + 1}"
        if i + 1 == len(nb.cells):
            raise ValueError(f"{where}: a code solution must be followed by its self-check")
        name = _check_name(nb.cells[i + 1], f"{label}, cell {i + 2}")
        derived[i] = _meta(name, solution=True)
        derived[i + 1] = _meta(f"{name}_check", grade=True, locked=True)
    for i, cell in enumerate(nb.cells):
        if derived[i] is not None:
            continue
        if _has_hidden_tests(cell):
            raise ValueError(f"{label}, cell {i + 1}: hidden tests belong in the self-check right after a "
                             f"code solution only")
        if _has_solution(cell) and cell.cell_type == "markdown":
            nxt = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
            paired = nxt is not None and nxt.cell_type == "code" and derived[i + 1] is not None \
                and derived[i + 1]["solution"]
            grade_id = f"{derived[i + 1]['grade_id']}_written" if paired else f"written-{cell.id}"
            derived[i] = _meta(grade_id, solution=True, grade=True)
        elif _has_solution(cell):
            raise ValueError(f"{label}, cell {i + 1}: a solution region in a {cell.cell_type} cell")
        else:
            derived[i] = _meta(f"cell-{cell.id}", locked=True)
    ids = [m["grade_id"] for m in derived]
    duplicates = sorted({g for g in ids if ids.count(g) > 1})
    if duplicates:
        raise ValueError(f"{label}: grade ids used twice: {', '.join(duplicates)} (two self-checks of one name?)")
    return derived


def apply(nb, label: str = "notebook"):
    """``nb`` with each cell's ``metadata.nbgrader`` set to what :func:`derive` gives (in place)."""
    for cell, meta in zip(nb.cells, derive(nb, label)):
        cell.metadata["nbgrader"] = meta
    return nb


def problems(path) -> list[str]:
    """How the stored metadata of the lesson at ``path`` differs from the derived one."""
    nb = nbformat.read(path, as_version=4)
    try:
        derived = derive(nb, Path(path).name)
    except ValueError as exc:
        return [str(exc)]
    found = []
    for i, (cell, meta) in enumerate(zip(nb.cells, derived)):
        stored = cell.metadata.get("nbgrader")
        if stored != meta:
            found.append(f"cell {i + 1}: metadata.nbgrader is {stored}, expected {meta}")
    return found


def points(nb) -> tuple[float, float]:
    """The points of ``nb``: (autograded, graded by hand), from its metadata as :func:`derive` gives it."""
    auto = manual = 0
    for meta in derive(nb):
        if meta["grade"]:
            if meta["solution"]:
                manual += meta["points"]
            else:
                auto += meta["points"]
    return auto, manual


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="lessons (default: notebooks/[0-9]*.ipynb)")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--check", action="store_true", help="only report notebooks whose metadata is stale")
    action.add_argument("--points", action="store_true", help="print each notebook's points, write nothing")
    action.add_argument("--add-hidden-tests", action="store_true",
                        help="first give self-checks in the older form their hidden test")
    args = parser.parse_args(argv)
    paths = args.notebooks or lessons()
    stale = 0
    if args.points:
        width = max(len(path.stem) for path in paths)
        for path in paths:
            auto, manual = points(nbformat.read(path, as_version=4))
            print(f"{path.stem:{width}s}  {auto:g} autograded + {manual:g} graded by hand = {auto + manual:g} points")
        return 0
    for path in paths:
        if args.check:
            for line in problems(path):
                print(f"{path}: {line}")
                stale += 1
        else:
            nb = nbformat.read(path, as_version=4)
            if args.add_hidden_tests:
                print(f"{path}: {add_hidden_tests(nb)} self-checks given their hidden test; "
                      f"re-run it: python scripts/run_notebooks.py {path}")
            notebook_form.write(apply(nb, path.name), path)
            print(f"{path}: nbgrader metadata written")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
