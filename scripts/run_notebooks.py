"""Execute notebooks top to bottom in a fresh kernel and store the outputs in place.

This is the machinery JupyterLab's "Restart Kernel and Run All Cells" uses (nbclient
with the notebook's kernel), run from the notebook's own folder.  The result is written in
canonical form (``notebook_form.py``: no timestamps, widgets stored as snapshots), so a
rerun with no source change leaves the file as it was; a cell tagged ``output-varies`` (its
output cannot repeat, e.g. measured times) keeps its stored output while its source is the same.
A lesson (``notebooks/[0-9]*``) also gets its nbgrader metadata, derived from its exercises by
``nbgrader_metadata.py``.  Usage::

    python scripts/run_notebooks.py notebooks/00_notation_and_chain_rule.ipynb ...
"""
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nbgrader_metadata  # noqa: E402
import notebook_form  # noqa: E402


# A cell whose output cannot be the same twice (wall-clock times, say) carries this tag: while
# its source is unchanged it keeps the output stored before, so that a rerun gives no diff.
VARIES = "output-varies"


def run(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    if nbgrader_metadata.is_lesson(path):
        nbgrader_metadata.apply(nb, path.name)  # before the run: a layout it cannot grade stops here
    before = {cell.get("id"): (cell.source, cell.outputs) for cell in nb.cells
              if VARIES in cell.metadata.get("tags", []) and cell.get("outputs")}
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    for cell in nb.cells:
        source, outputs = before.get(cell.get("id"), (None, None))
        if source is not None and source == cell.source:
            cell.outputs = outputs
    notebook_form.write(nb, path)
    print(f"executed {path}")


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]]
    if not paths:
        sys.exit("usage: python scripts/run_notebooks.py NOTEBOOK.ipynb ...")
    for p in paths:
        run(p)
