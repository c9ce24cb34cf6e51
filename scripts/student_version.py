"""Write the student version of the notebooks: the worked solutions taken out.

Every exercise in ``notebooks/`` holds its solution between ``### BEGIN SOLUTION`` and
``### END SOLUTION``.  In the student version

* in a code cell, the lines from one marker to the other become
  ``raise NotImplementedError("your code here")`` at the same indentation, so the
  self-check after it prints NOT IMPLEMENTED YET until the student writes the code;
* in a Markdown cell, the block becomes *Your answer here.*;
* every output, execution count and stored widget state is cleared: students run the
  notebook themselves, top to bottom.

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
BLOCK = re.compile(r"^([ \t]*)### BEGIN SOLUTION[^\n]*\n.*?^[ \t]*### END SOLUTION[^\n]*(\n|$)", re.M | re.S)
CODE_STUB = 'raise NotImplementedError("your code here")'
ANSWER_STUB = "*Your answer here.*"


def strip_solutions(source: str, cell_type: str) -> str:
    """``source`` with every solution block replaced by the student's stub."""
    if cell_type == "code":
        return BLOCK.sub(lambda m: f"{m.group(1)}{CODE_STUB}{m.group(2)}", source)
    return BLOCK.sub(lambda m: f"{ANSWER_STUB}{m.group(2)}", source)


def student_notebook(nb):
    """A copy of the notebook ``nb`` with the solutions out and the outputs cleared."""
    nb = nbformat.from_dict(nb)  # a deep copy
    for cell in nb.cells:
        cell.source = strip_solutions(cell.source, cell.cell_type)
        if "### BEGIN SOLUTION" in cell.source or "### END SOLUTION" in cell.source:
            raise ValueError(f"unbalanced solution markers in cell {cell.get('id', '?')}:\n{cell.source}")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
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
