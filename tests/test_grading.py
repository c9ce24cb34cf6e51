"""Grading with nbgrader: the lessons are nbgrader source notebooks.

* **Metadata** (no nbgrader needed): every lesson's ``metadata.nbgrader`` is what
  ``scripts/nbgrader_metadata.py`` derives from its exercises, and each rule of the
  derivation, with its errors, is checked on small notebooks.
* **The release**: in a temporary course directory, one assignment per lesson
  (``source/NN_name/NN_name.ipynb``), ``nbgrader generate_assignment "*"`` (every
  assignment) with default settings (no ``nbgrader_config.py``, no option) gives, cell by
  cell, the notebooks that ``make student`` writes.  The only difference allowed is inherent to nbgrader: the
  ``checksum`` and ``cell_type`` it records in each cell's ``metadata.nbgrader``, which its
  autograder compares with the gradebook to see whether an answer was changed.
* **Autograding**: fake students submit, to ``nbgrader autograde``, the teacher's notebooks
  ("completed"); ``make student``'s version with every answer filled in, as a class that got
  its notebooks through nbgitpuller hands them back ("filled_in"); the release as handed out
  ("stubs"); and the teacher's notebooks with each notebook's first code answer replaced by
  a wrong one, ``return None`` ("mistaken").  Read from the gradebook: "completed" and
  "filled_in" get every autograded point and their written answers wait for the teacher's
  grade; "stubs" gets 0 for every cell, the untouched written answers included, with nothing
  left to grade by hand; "mistaken" loses exactly the point of its wrong answer, whose
  self-check says FAILED.

nbgrader runs from its own venv, ``build/grading`` (``make grading-deps``, from
``requirements-grading.txt``).  Autograding executes every submitted notebook, so ``make
test`` autogrades two lessons (:data:`QUICK`: one with code, paper and paired written
answers, one with standalone written answers); ``make grading-check`` autogrades them all
(``BACKPROPLAB_GRADE_ALL=1``).  Without nbgrader these tests are skipped with the reason,
except under CI (``CI=true``), where they fail instead.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import nbgrader_metadata  # noqa: E402

spec = importlib.util.spec_from_file_location("student_version", ROOT / "scripts" / "student_version.py")
student_version = importlib.util.module_from_spec(spec)
spec.loader.exec_module(student_version)

LESSONS = nbgrader_metadata.lessons()
GRADING_BIN = ROOT / "build" / "grading" / "bin"
UNDER_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}
GRADE_ALL = os.environ.get("BACKPROPLAB_GRADE_ALL", "").strip().lower() in {"true", "1", "yes"}
QUICK = ["00_notation_and_chain_rule", "03_bias_gradient"]
GRADED = [p.stem for p in LESSONS] if GRADE_ALL else [name for name in QUICK if (ROOT / "notebooks" / f"{name}.ipynb").exists()]
# What nbgrader adds to a cell's metadata.nbgrader when it releases (and nothing else differs).
RECORDED_BY_NBGRADER = {"checksum", "cell_type"}


# ----------------------------------------------------------------------------- metadata
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_stored_metadata_is_what_the_script_derives(path):
    assert nbgrader_metadata.problems(path) == [], (
        f"{path.name}: its nbgrader metadata is not what its exercises give; write it with "
        f"`python scripts/nbgrader_metadata.py notebooks/{path.name}` (make notebooks does it too)")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_has_autograded_points(path):
    metas = [c.metadata["nbgrader"] for c in nbformat.read(path, as_version=4).cells]
    assert any(m["grade"] and not m["solution"] for m in metas), f"{path.name}: nothing to autograde"


def code(source):
    return nbformat.v4.new_code_cell(source)


def markdown(source):
    return nbformat.v4.new_markdown_cell(source)


def check_cell(name, fn="my_answer"):
    return code(nbgrader_metadata.CHECK_CELL_FORM.format(name=name).replace("my_function", fn))


def lesson(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


def test_each_kind_of_cell_gets_its_metadata():
    nb = lesson(markdown("# A lesson"),
                code("def my_f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION"),
                check_cell("f", "my_f"),
                markdown("**Exercise 2.** Derive it, then give the number."),
                markdown("### BEGIN SOLUTION\nBy the chain rule.\n### END SOLUTION"),
                code("def my_answer():\n    ### BEGIN SOLUTION\n    n = 3\n    ### END SOLUTION\n    return n"),
                check_cell("count"),
                markdown("Answer.\n\n### BEGIN SOLUTION\nNo.\n### END SOLUTION"))
    got = nbgrader_metadata.derive(nb)
    ids = [c.id for c in nb.cells]
    v = nbgrader_metadata.SCHEMA_VERSION
    locked = {"schema_version": v, "solution": False, "grade": False, "locked": True}
    answer = {"schema_version": v, "solution": True, "grade": False, "locked": False}
    test = {"schema_version": v, "solution": False, "grade": True, "locked": True, "points": 1}
    written = {"schema_version": v, "solution": True, "grade": True, "locked": False, "points": 1}
    assert got == [
        {**locked, "grade_id": f"cell-{ids[0]}"},
        {**answer, "grade_id": "f"},
        {**test, "grade_id": "f_check"},
        {**locked, "grade_id": f"cell-{ids[3]}"},
        {**written, "grade_id": "count_written"},  # the derivation before the exercise's numbers
        {**answer, "grade_id": "count"},
        {**test, "grade_id": "count_check"},
        {**written, "grade_id": f"written-{ids[7]}"},  # a written answer on its own
    ]
    nbgrader_metadata.apply(nb)
    assert [c.metadata["nbgrader"] for c in nb.cells] == got
    assert nbgrader_metadata.points(nb) == (2, 2)  # two self-checks, two written answers


@pytest.mark.parametrize("cells, error", [
    ([code("def my_f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION")],
     "must be followed by its self-check"),
    ([code("def my_f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"), markdown("Next.")],
     "must be followed by its self-check"),
    ([code("def my_f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"),
      code("f_result = checks.check_f(my_f)\nf_result")], "must end with its hidden test"),
    ([code("def my_f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"),
      code("r = checks.check_f(my_f)\ndisplay(r)\n### BEGIN HIDDEN TESTS\nassert r.passed, r.message\n"
           "### END HIDDEN TESTS")], "must end with its hidden test"),
    ([code("x = 1\n### BEGIN HIDDEN TESTS\nassert x == 1\n### END HIDDEN TESTS")], "hidden tests belong"),
    ([code("def my_f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"), check_cell("f", "my_f"),
      code("def my_g():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"), check_cell("f", "my_g")],
     "grade ids used twice: f, f_check"),
])
def test_a_layout_that_cannot_be_graded_is_an_error(cells, error):
    with pytest.raises(ValueError, match=error):
        nbgrader_metadata.derive(lesson(*cells))


def test_a_cell_without_an_id_is_an_error():
    nb = lesson(markdown("# A lesson"))
    del nb.cells[0]["id"]
    with pytest.raises(ValueError, match="has no id"):
        nbgrader_metadata.derive(nb)


def test_stale_metadata_is_reported(tmp_path):
    nb = lesson(markdown("# A lesson"), code("def my_f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"),
                check_cell("f", "my_f"))
    nbgrader_metadata.apply(nb)
    nb.cells[2].metadata["nbgrader"]["points"] = 5
    path = tmp_path / "00_x.ipynb"
    nbformat.write(nb, path)
    assert [p.split(":")[0] for p in nbgrader_metadata.problems(path)] == ["cell 3"]
    assert nbgrader_metadata.main(["--check", str(path)]) == 1
    assert nbgrader_metadata.main([str(path)]) == 0 and nbgrader_metadata.problems(path) == []


def test_older_self_checks_get_their_hidden_test():
    solution = "def my_f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"
    nb = lesson(code(solution), code("checks.check_f(my_f)"),
                code(solution.replace("my_f", "my_g")), code("g_result = checks.check_g(my_g)\ng_result"),
                code(solution.replace("my_f", "my_h")), check_cell("h", "my_h"),
                code(solution.replace("my_f", "my_k")), code("print(checks.check_k(my_k))"))
    assert nbgrader_metadata.add_hidden_tests(nb) == 2
    assert [c.source for c in nb.cells[1:6:2]] == [check_cell(n, f"my_{n}").source for n in "fgh"]
    assert nb.cells[7].source == "print(checks.check_k(my_k))"  # not a form it knows: left for derive to report
    with pytest.raises(ValueError, match="cell 8: a code solution must be followed by its self-check"):
        nbgrader_metadata.derive(nb)


# ----------------------------------------------------------------------------- nbgrader itself
def require_nbgrader() -> None:
    if (GRADING_BIN / "nbgrader").exists():
        return
    problem = f"nbgrader is not installed in {GRADING_BIN.parent.relative_to(ROOT)} (make grading-deps)"
    if UNDER_CI:
        pytest.fail(f"{problem}. Under CI (CI=true) the grading tests must run, not be skipped.")
    pytest.skip(f"grading test skipped: {problem}")


def nbgrader(course: Path, *args: str) -> str:
    """Run ``nbgrader ARGS`` in the course directory, as a teacher does; its log."""
    env = dict(os.environ)
    env["PATH"] = f"{GRADING_BIN}{os.pathsep}{env.get('PATH', '')}"  # nbgrader calls `alembic` by name
    # Default settings: no nbgrader_config.py and no Jupyter configuration or kernels from
    # this machine's user (the kernel is build/grading's own python3).
    env["JUPYTER_CONFIG_DIR"] = str(course.parent / "jupyter-config")
    env["JUPYTER_DATA_DIR"] = str(course.parent / "jupyter-data")
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    run = subprocess.run([str(GRADING_BIN / "nbgrader"), *args], cwd=course, env=env,
                         capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}"
    return run.stdout + run.stderr


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course directory with one assignment per lesson, released by generate_assignment."""
    require_nbgrader()
    course = tmp_path_factory.mktemp("grading") / "course"
    for path in LESSONS:
        (course / "source" / path.stem).mkdir(parents=True)
        shutil.copy(path, course / "source" / path.stem / path.name)
    assert not list(course.glob("*config*"))  # default settings
    nbgrader(course, "generate_assignment", "*")  # every assignment (one run: nbgrader takes seconds to start)
    assert sorted(p.name for p in (course / "release").iterdir()) == [p.stem for p in LESSONS]
    return course


@pytest.fixture(scope="module")
def make_student(tmp_path_factory):
    """What ``make student`` writes (scripts/student_version.py, on every lesson)."""
    out = tmp_path_factory.mktemp("student")
    student_version.main(["--out", str(out), *map(str, LESSONS)])
    return out


def without_recorded(metadata) -> dict:
    metadata = json.loads(json.dumps(metadata))
    for key in RECORDED_BY_NBGRADER:
        metadata.get("nbgrader", {}).pop(key, None)
    return metadata


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_nbgrader_release_is_make_students_version(path, course, make_student):
    release = nbformat.read(course / "release" / path.stem / path.name, as_version=4)
    ours = nbformat.read(make_student / path.name, as_version=4)
    assert (release.nbformat, release.nbformat_minor) == (ours.nbformat, ours.nbformat_minor)
    assert release.metadata == ours.metadata
    assert [c.id for c in release.cells] == [c.id for c in ours.cells]
    for i, (theirs, mine) in enumerate(zip(release.cells, ours.cells)):
        where = f"{path.name} cell {i + 1}"
        assert theirs.cell_type == mine.cell_type, where
        assert theirs.source == mine.source, f"{where}:\nnbgrader:\n{theirs.source}\nmake student:\n{mine.source}"
        assert theirs.get("outputs") == mine.get("outputs") == ([] if mine.cell_type == "code" else None), where
        assert theirs.get("execution_count") == mine.get("execution_count"), where
        # nbgrader records a checksum and the cell type in every cell it knows; nothing else differs
        assert RECORDED_BY_NBGRADER <= set(theirs.metadata["nbgrader"]), where
        assert without_recorded(theirs.metadata) == mine.metadata, where


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_release_holds_no_solution_and_no_hidden_test(path, course):
    release = nbformat.read(course / "release" / path.stem / path.name, as_version=4)
    text = "\n".join(c.source for c in release.cells)
    assert "SOLUTION" not in text and "HIDDEN TESTS" not in text and ".passed, " not in text
    teacher = nbformat.read(path, as_version=4)
    assert sum("### BEGIN HIDDEN TESTS" in c.source for c in teacher.cells) == \
        sum(c.metadata["nbgrader"]["grade"] and not c.metadata["nbgrader"]["solution"] for c in teacher.cells) > 0


# ----------------------------------------------------------------------------- autograding
def mistaken(nb):
    """``nb`` with its first code answer replaced by ``return None`` (a wrong answer, not a stub);
    the grade id of that answer's self-check."""
    nb = nbformat.from_dict(nb)
    for i, cell in enumerate(nb.cells):
        meta = cell.metadata["nbgrader"]
        if cell.cell_type == "code" and meta["solution"]:
            cell.source = student_version.BLOCK.sub(lambda m: f"{m.group(1)}return None{m.group(2)}", cell.source)
            return nb, nb.cells[i + 1].metadata["nbgrader"]["grade_id"]
    raise AssertionError("no code answer")


def filled_in(student, teacher):
    """``make student``'s notebook ``student`` with the teacher's answers typed into its answer cells."""
    nb = nbformat.from_dict(student)
    for mine, theirs in zip(nb.cells, teacher.cells):
        if mine.metadata["nbgrader"]["solution"]:
            mine.source = theirs.source
    return nb


GRADEBOOK_SCRIPT = """
import json, sys
from nbgrader.api import Gradebook
out = {}
with Gradebook("sqlite:///gradebook.db") as gb:
    for assignment, student in json.loads(sys.argv[1]):
        sub = gb.find_submission(assignment, student)
        out[f"{assignment}/{student}"] = {
            "score": sub.score, "max_score": sub.max_score, "needs_manual_grade": sub.needs_manual_grade,
            "cells": {g.cell.name: {"auto": g.auto_score, "max": g.max_score, "manual": g.needs_manual_grade,
                                    "written": g.cell.cell_type == "markdown"}
                      for nb in sub.notebooks for g in nb.grades}}
print(json.dumps(out))
"""

STUDENTS = ("completed", "filled_in", "stubs", "mistaken")


@pytest.fixture(scope="module")
def graded(course, make_student):
    """Submissions of the four fake students for each lesson in GRADED, autograded; the
    gradebook's scores, and the mistaken answers' grade ids."""
    wrong = {}
    for name in GRADED:
        teacher = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
        nb_wrong, wrong[name] = mistaken(teacher)
        versions = {"completed": teacher,
                    "filled_in": filled_in(nbformat.read(make_student / f"{name}.ipynb", as_version=4), teacher),
                    "stubs": nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4),
                    "mistaken": nb_wrong}
        for student, nb in versions.items():
            folder = course / "submitted" / student / name
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{name}.ipynb")
    nbgrader(course, "autograde", "*")  # every assignment with submissions
    pairs = [[name, student] for name in GRADED for student in STUDENTS]
    run = subprocess.run([str(GRADING_BIN / "python"), "-c", GRADEBOOK_SCRIPT, json.dumps(pairs)],
                         cwd=course, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout), wrong


@pytest.mark.parametrize("student", ["completed", "filled_in"])
@pytest.mark.parametrize("name", GRADED)
def test_completed_notebook_gets_every_autograded_point(name, student, graded):
    scores, _ = graded
    result = scores[f"{name}/{student}"]
    auto = {k: c for k, c in result["cells"].items() if not c["written"]}
    written = {k: c for k, c in result["cells"].items() if c["written"]}
    assert auto and all(c["auto"] == c["max"] == nbgrader_metadata.POINTS for c in auto.values()), auto
    assert result["score"] == sum(c["max"] for c in auto.values())
    # written answers: changed from the stub, so they wait for the teacher
    assert all(c["auto"] is None and c["manual"] for c in written.values()), written
    assert result["needs_manual_grade"] == bool(written)
    assert result["max_score"] == sum(c["max"] for c in result["cells"].values())
    # the points scripts/nbgrader_metadata.py --points announces are nbgrader's
    auto_points, manual_points = nbgrader_metadata.points(nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4))
    assert (result["score"], result["max_score"]) == (auto_points, auto_points + manual_points)


@pytest.mark.parametrize("name", GRADED)
def test_stubs_get_zero_with_nothing_to_grade_by_hand(name, graded):
    scores, _ = graded
    result = scores[f"{name}/stubs"]
    assert result["score"] == 0 and result["max_score"] > 0
    assert all(c["auto"] == 0 and not c["manual"] for c in result["cells"].values()), result["cells"]
    assert not result["needs_manual_grade"]


@pytest.mark.parametrize("name", GRADED)
def test_a_wrong_answer_loses_its_point_only(name, graded, course):
    scores, wrong = graded
    cells = scores[f"{name}/mistaken"]["cells"]
    assert cells[wrong[name]]["auto"] == 0
    assert all(c["auto"] == c["max"] for k, c in cells.items() if k != wrong[name] and not c["written"])
    # the self-check ran and said FAILED (a wrong answer, not a missing one); the hidden test raised
    nb = nbformat.read(course / "autograded" / "mistaken" / name / f"{name}.ipynb", as_version=4)
    check = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == wrong[name])
    shown = "\n".join(o.get("data", {}).get("text/plain", "") for o in check.outputs)
    assert re.search(r"\bFAILED\b", shown), shown
    assert [o.ename for o in check.outputs if o.output_type == "error"] == ["AssertionError"]
