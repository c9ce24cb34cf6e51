"""The student version (``make student``): solutions out, every notebook still runs.

A student who opens a notebook from ``student/`` must be able to run it top to bottom
before writing any code: the exercise stubs raise ``NotImplementedError``, the self-checks
report NOT IMPLEMENTED YET instead of crashing, and no worked solution is left behind.
"""
import importlib.util
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


def _blocks(nb, cell_type):
    return sum(c.source.count("### BEGIN SOLUTION") for c in nb.cells if c.cell_type == cell_type)


def _text(outputs):
    """Everything a reader sees in a cell's outputs, as one string."""
    parts = []
    for out in outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.append(out.data.get("text/plain", ""))
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
    return "\n".join(parts)


def test_strip_solutions_keeps_indentation_and_the_lines_around():
    source = ("def f(x):\n"
              "    \"\"\"Doc.\"\"\"\n"
              "    ### BEGIN SOLUTION\n"
              "    y = 2 * x\n"
              "    return y\n"
              "    ### END SOLUTION\n"
              "\n"
              "print(check(f))")
    assert student_version.strip_solutions(source, "code") == (
        "def f(x):\n"
        "    \"\"\"Doc.\"\"\"\n"
        "    raise NotImplementedError(\"your code here\")\n"
        "\n"
        "print(check(f))")
    markdown = "**Answer.**\n### BEGIN SOLUTION\nBecause sigma' <= 1/4.\n### END SOLUTION\n"
    assert student_version.strip_solutions(markdown, "markdown") == "**Answer.**\n*Your answer here.*\n"


def test_unbalanced_markers_are_an_error():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1\n")])
    with pytest.raises(ValueError, match="unbalanced solution markers"):
        student_version.student_notebook(nb)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_notebook_runs_and_reports_not_implemented(path, tmp_path):
    teacher = nbformat.read(path, as_version=4)
    code_blocks = _blocks(teacher, "code")
    assert code_blocks + _blocks(teacher, "markdown") > 0, f"{path.name} has no exercise"

    student_version.main(["--out", str(tmp_path), str(path)])
    nb = nbformat.read(tmp_path / path.name, as_version=4)

    sources = "\n".join(c.source for c in nb.cells)
    assert "SOLUTION" not in sources
    assert sources.count(student_version.CODE_STUB) == code_blocks
    assert all(c.outputs == [] for c in nb.cells if c.cell_type == "code")
    assert "widgets" not in nb.metadata

    # Run it as a student would. student/ sits next to notebooks/ at the top of the
    # repository, so a notebook's relative paths (../figures/...) resolve from either.
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    seen = "\n".join(_text(c.outputs) for c in nb.cells if c.cell_type == "code")
    assert len(re.findall("NOT IMPLEMENTED YET", seen)) >= code_blocks
    assert "Traceback" not in seen
