"""The student version (``make student``): solutions out, no answer leaked, every notebook runs.

A student who opens a notebook from ``student/`` must be able to run it top to bottom
before writing any code: the exercise stubs raise ``NotImplementedError``, the self-checks
report NOT IMPLEMENTED YET instead of crashing, and no answer is visible anywhere before
the student gives it: for every solution, neither its lines nor its distinctive values
appear elsewhere in the student notebook, in a source or in an output of the run (printed
library code, a widget's text, a check cell).  The self-checks' hidden tests (for nbgrader's
autograder) are gone too, so a failing check never stops the student's run.

Every notebook in ``notebooks/`` is checked, whoever wrote it.
"""
import functools
import importlib.util
import math
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))

spec = importlib.util.spec_from_file_location("student_version", ROOT / "scripts" / "student_version.py")
student_version = importlib.util.module_from_spec(spec)
spec.loader.exec_module(student_version)


# ----- reading notebooks --------------------------------------------------------------
def _blocks(nb, cell_type):
    return sum(c.source.count(student_version.BEGIN) for c in nb.cells if c.cell_type == cell_type)


def _text(outputs):
    """Everything a reader sees in a cell's outputs, as one string (images aside)."""
    parts = []
    for out in outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            for kind in ("text/plain", "text/html", "text/markdown", "text/latex"):
                parts.append(out.data.get(kind, ""))
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
    return "\n".join(parts)


@functools.lru_cache(maxsize=None)
def student_run(path):
    """The student version of ``path``, executed top to bottom as a student would (cached)."""
    nb = student_version.student_notebook(nbformat.read(path, as_version=4))
    # student/ sits next to notebooks/, so relative paths resolve from either.
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    return nb


# ----- what a solution gives away: its lines and its values ----------------------------
TRIVIAL_LINE = re.compile(r"(return \w+(, \w+)*|else:|pass|return|\w+ = \w+|\)|\]|\}|\$+|\*\*\w+\.?\*\*)")


def _normal(line: str, code: bool) -> str:
    if code:
        line = re.sub(r"(^|\s)#.*$", "", line)  # a comment (the solution's marker lines included)
    return " ".join(line.split())


def solution_lines(source: str, code: bool) -> set:
    """The non-trivial lines of a solution, whitespace-normalised (comments dropped in code)."""
    lines = set()
    for line in source.split("\n"):
        text = _normal(line, code)
        if len(text) >= (14 if code else 30) and not TRIVIAL_LINE.fullmatch(text):
            lines.add(text)
    return lines


NUMBER = re.compile(
    r"(?P<frac>\\[dt]?frac\s*\{\s*(?P<fn>-?\d+)\s*\}\s*\{\s*(?P<fd>\d+)\s*\}|\\[dt]?frac(?P<sn>\d)(?P<sd>\d))"
    r"|(?P<slash>(?<![\w.])-?\d+\s*/\s*\d+(?![\w.]))"
    r"|(?P<ln>\\?(?:ln|log)\s*\(?\s*2\s*\)?(?![\d.]))"
    r"|(?P<dec>(?<![\w.])-?\d{1,3}(?:(?:\{,\}|,)\d{3})+(?:\.\d+)?(?![\d])|(?<![\w.])-?\d+\.\d+(?:e-?\d+)?|(?<![\w.(\[])-?\d+(?![\w.)\]]))")


def numbers(text: str):
    """``(value, exact, significant digits)`` for every number written in ``text``.

    Decimals (0.148, 23{,}860, 1e-3), fractions (4/27, \\frac{4}{27}, \\tfrac49) and ln 2.
    Fractions and ln 2 are exact; a decimal carries the digits it was written with.
    """
    for m in NUMBER.finditer(text):
        if m.group("frac"):
            n, d = (m.group("fn"), m.group("fd")) if m.group("fn") else (m.group("sn"), m.group("sd"))
            if int(d):
                yield int(n) / int(d), True, 15
        elif m.group("slash"):
            n, d = (int(p) for p in m.group("slash").replace(" ", "").split("/"))
            if d:
                yield n / d, True, 15
        elif m.group("ln"):
            yield math.log(2), True, 15
        else:
            raw = m.group("dec").replace("{,}", "").replace(",", "")
            digits = len(re.sub(r"e.*$", "", raw).lstrip("-").replace(".", "").lstrip("0")) or 1
            yield float(raw), False, digits


def _trivial(value: float) -> bool:
    """Integers up to 10, and simple halves and quarters: taught everywhere, not answers."""
    return abs(value) <= 10 and (value * 4) == round(value * 4)


def _same(solution, other) -> bool:
    """Whether a number written elsewhere gives away a number of a solution.

    Exact values (fractions, ln 2) must be equal.  Otherwise they are compared at the
    precision of the less precise one: at least 2 significant digits when the other number
    is as precise as the solution's (0.160 gives away 0.16), at least 3 when it is coarser
    (0.15 does not give away 4/27 or 0.148, 0.148 does).
    """
    (x, x_exact, x_digits), (y, y_exact, y_digits) = solution, other
    if x_exact and y_exact:
        return math.isclose(abs(x), abs(y), rel_tol=1e-12)
    if x == 0 or y == 0:
        return False
    x_digits = math.inf if x_exact else x_digits
    y_digits = math.inf if y_exact else y_digits
    digits = min(x_digits, y_digits)
    if digits < (2 if y_digits >= x_digits else 3):
        return False
    scale = 10 ** (math.floor(math.log10(max(abs(x), abs(y)))) - digits + 1)
    return round(abs(x) / scale) == round(abs(y) / scale)


def exercises(nb):
    """For each solution block: its cell index, text, whether it is code, and its prompt.

    The prompt is what the exercise itself states: the Markdown cells just before the
    solution cell and the solution cell's own lines outside the block.
    """
    out = []
    for i, cell in enumerate(nb.cells):
        if student_version.BEGIN not in cell.source:
            continue
        inside, block, rest = False, [], []
        for line in cell.source.split("\n"):
            text = line.strip()
            if text == student_version.BEGIN:
                inside = True
            elif text == student_version.END:
                inside = False
            else:
                (block if inside else rest).append(line)
        prompt = list(rest)
        j = i - 1
        while j >= 0 and nb.cells[j].cell_type == "markdown" and student_version.BEGIN not in nb.cells[j].source:
            prompt.insert(0, nb.cells[j].source)
            j -= 1
        out.append((i, "\n".join(block), cell.cell_type == "code", "\n".join(prompt)))
    return out


def leaks(teacher, student):
    """Every place where a solution's line or distinctive value shows in the student notebook."""
    found = []
    texts = []  # (where, text) for every source and output of the student's run
    for k, cell in enumerate(student.cells):
        texts.append((f"cell {k} source", cell.source))
        if cell.cell_type == "code":
            texts.append((f"cell {k} output", _text(cell.outputs)))
    corpus_lines = [(where, _normal(line, code=False), _normal(line, code=True))
                    for where, text in texts for line in text.split("\n")]
    corpus_numbers = [(where, n) for where, text in texts for n in numbers(text)]
    for i, block, code, prompt in exercises(teacher):
        for line in solution_lines(block, code):
            for where, plain, uncommented in corpus_lines:
                if line in (plain, uncommented):
                    found.append(f"solution in cell {i}: the line {line!r} shows in {where}")
        given = list(numbers(prompt))
        for value in numbers(block):
            if _trivial(value[0]) or any(_same(value, g) for g in given):
                continue
            for where, other in corpus_numbers:
                if _same(value, other):
                    found.append(f"solution in cell {i}: the value {value[0]:.6g} shows in {where}")
    return sorted(set(found))


# ----- the tests ------------------------------------------------------------------------
def test_strip_solutions_writes_nbgraders_stubs_at_the_markers_indentation():
    source = ("def f(x):\n"
              "    \"\"\"Doc.\"\"\"\n"
              "    ### BEGIN SOLUTION\n"
              "    y = 2 * x\n"
              "    return y\n"
              "    ### END SOLUTION\n")
    assert student_version.strip_solutions(source, "code") == (
        "def f(x):\n"
        "    \"\"\"Doc.\"\"\"\n"
        "    # YOUR CODE HERE\n"
        "    raise NotImplementedError()\n")
    markdown = "### BEGIN SOLUTION\nBecause sigma' <= 1/4.\n### END SOLUTION"
    assert student_version.strip_solutions(markdown, "markdown") == "YOUR ANSWER HERE"


def test_hidden_tests_go_as_nbgraders_clear_hidden_tests_takes_them_out():
    source = ("r = checks.check_f(my_f)\n"
              "display(r)\n"
              "### BEGIN HIDDEN TESTS\n"
              "assert r.passed, r.message\n"
              "### END HIDDEN TESTS")
    assert student_version.strip_hidden_tests(source) == "r = checks.check_f(my_f)\ndisplay(r)"
    assert student_version.strip_hidden_tests("x = 1\n") == "x = 1\n"


def test_cells_are_locked_as_nbgraders_lock_cells_locks_them():
    cells = [nbformat.v4.new_code_cell("x"), nbformat.v4.new_code_cell("y"), nbformat.v4.new_markdown_cell("z"),
             nbformat.v4.new_markdown_cell("w")]
    for cell, meta in zip(cells, [{"solution": True, "grade": False, "locked": False},
                                  {"solution": False, "grade": True, "locked": True},
                                  {"solution": True, "grade": True, "locked": False},
                                  {"solution": False, "grade": False, "locked": True}]):
        cell.metadata["nbgrader"] = meta
    nb = student_version.student_notebook(nbformat.v4.new_notebook(cells=cells))
    assert [(c.metadata.get("deletable"), c.metadata.get("editable")) for c in nb.cells] == [
        (False, None), (False, False), (False, None), (False, False)]


@pytest.mark.parametrize("marker, kind", [("SOLUTION", "solution"), ("HIDDEN TESTS", "hidden-test")])
@pytest.mark.parametrize("source", ["### BEGIN {m}\nx = 1\n", "x = 1\n### END {m}\n",
                                    "### BEGIN {m}\n### BEGIN {m}\n### END {m}\n",
                                    "x = 1  ### BEGIN {m}\ny = 2\n### END {m}\n"])
def test_unbalanced_or_misplaced_markers_are_an_error(source, marker, kind):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source.format(m=marker))])
    with pytest.raises(ValueError, match=f"unbalanced {kind} markers"):
        student_version.student_notebook(nb)


def test_the_leak_finder_finds_leaks():
    """The detector itself: a solution's line or value shown elsewhere is found, in any form."""
    teacher = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("**Exercise.** Find the largest delta for y = 0."),
        nbformat.v4.new_markdown_cell("### BEGIN SOLUTION\n$\\delta_{\\max} = \\frac{4}{27}$ at $z = \\ln 2$.\n"
                                      "### END SOLUTION"),
        nbformat.v4.new_code_cell("def f(delta, a_prev):\n    ### BEGIN SOLUTION\n"
                                  "    return np.outer(delta, a_prev)  # (25)\n    ### END SOLUTION"),
    ])
    student = student_version.student_notebook(teacher)
    assert leaks(teacher, student) == []
    for shown in ("largest delta 0.1481", "(4/27 = 0.148)", "z = 0.693", "\\tfrac{4}{27}",
                  "    return np.outer(delta, a_prev)"):
        leaky = nbformat.from_dict(student)
        cell = nbformat.v4.new_code_cell("print(1)")
        cell.outputs = [nbformat.v4.new_output("stream", text=shown)]
        leaky.cells.insert(0, cell)
        assert leaks(teacher, leaky), shown
    harmless = nbformat.from_dict(student)
    cell = nbformat.v4.new_code_cell("print(1)")
    cell.outputs = [nbformat.v4.new_output("stream", text="cost 0.15, z = 0.6 and 1/4, equation (27)")]
    harmless.cells.insert(0, cell)
    assert leaks(teacher, harmless) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_notebook_runs_and_reports_not_implemented(path, tmp_path):
    teacher = nbformat.read(path, as_version=4)
    code_blocks = _blocks(teacher, "code")
    assert code_blocks + _blocks(teacher, "markdown") > 0, f"{path.name} has no exercise"

    student_version.main(["--out", str(tmp_path), str(path)])
    written = nbformat.read(tmp_path / path.name, as_version=4)
    sources = "\n".join(c.source for c in written.cells)
    assert "SOLUTION" not in sources and "HIDDEN TESTS" not in sources
    assert sources.count(student_version.CODE_STUB.split("\n")[1]) == code_blocks
    assert all(c.outputs == [] for c in written.cells if c.cell_type == "code")
    assert "widgets" not in written.metadata

    nb = student_run(path)
    seen = "\n".join(_text(c.outputs) for c in nb.cells if c.cell_type == "code")
    assert len(re.findall("NOT IMPLEMENTED YET", seen)) >= code_blocks
    assert "Traceback" not in seen


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_solution_shows_anywhere_in_the_student_version(path):
    teacher = nbformat.read(path, as_version=4)
    found = leaks(teacher, student_run(path))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_solution_cell_holds_one_exercise_only(path):
    """nbgrader marks whole cells as solutions: a solution cell holds that exercise's function
    or answer, never its self-check or anything else to run."""
    nb = nbformat.read(path, as_version=4)
    for i, block, code, _ in exercises(nb):
        cell = nb.cells[i].source
        assert cell.count(student_version.BEGIN) == 1, f"{path.name} cell {i}: one solution per cell"
        if code:
            outside = student_version.strip_solutions(cell, "code").replace(student_version.CODE_STUB, "")
            assert not re.search(r"^(check|checks\.|print|reveal)", outside, re.M), \
                f"{path.name} cell {i}: the self-check belongs in the next cell"
