"""Stored notebooks are in canonical form, so a rerun with no source change gives no diff.

``scripts/notebook_form.py`` defines the form (no execution timestamps, no widget state
under random model ids, widgets stored as snapshots); ``make notebooks`` writes it.
"""
import base64
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import notebook_form  # noqa: E402

STORED = sorted(ROOT.glob("notebooks/*.ipynb")) + sorted(ROOT.glob("app/*.ipynb"))
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n fake picture").decode()


@pytest.mark.parametrize("path", STORED, ids=[p.name for p in STORED])
def test_stored_notebook_is_in_canonical_form(path):
    assert notebook_form.problems(path) == [], (
        f"{path.name} is not in canonical form; regenerate it with `make notebooks` "
        f"(or python scripts/run_notebooks.py {path.relative_to(ROOT)})")


def executed_notebook_with_a_widget():
    """What nbclient stores after running a cell that displays a panel: a VBox holding an Image."""
    box, image, layout = "a" * 32, "b" * 32, "c" * 32
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("explorer.widget", execution_count=1)
    cell.metadata["execution"] = {"iopub.execute_input": "2026-11-24T15:31:22.884568Z"}
    cell.outputs = [nbformat.v4.new_output(
        "execute_result", execution_count=1,
        data={notebook_form.WIDGET_VIEW: {"model_id": box, "version_major": 2, "version_minor": 0},
              "text/plain": "Explorer: what it shows"})]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), cell]
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    nb.metadata["widgets"] = {notebook_form.WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": {
        box: {"model_name": "VBoxModel", "state": {"children": [f"IPY_MODEL_{image}"]}},
        image: {"model_name": "ImageModel", "state": {"format": "png", "layout": f"IPY_MODEL_{layout}"},
                "buffers": [{"path": ["value"], "encoding": "base64", "data": PNG}]},
        layout: {"model_name": "LayoutModel", "state": {"width": "840px", "max_width": "100%"}},
    }}}
    return nb


def test_canonical_form_keeps_what_the_reader_sees_and_drops_what_changes_every_run():
    nb = executed_notebook_with_a_widget()
    assert len(notebook_form.problems_of(nb)) == 4
    notebook_form.canonical(nb)
    out = nb.cells[1].outputs[0]
    assert out.data["image/png"] == PNG  # the widget's picture, as the reader first sees it
    assert out.data["text/plain"] == "Explorer: what it shows"  # what nbval compares
    assert notebook_form.WIDGET_VIEW not in out.data
    assert out.metadata == {**notebook_form.SNAPSHOT_MARK, "image/png": {"width": 840}}  # drawn at 2x, shown at 840 px
    assert "widgets" not in nb.metadata and "version" not in nb.metadata.language_info
    assert "execution" not in nb.cells[1].metadata and nb.cells[1].execution_count == 1
    assert notebook_form.problems_of(nb) == []


def test_printed_text_is_one_output_however_the_kernel_flushed_it():
    nb = executed_notebook_with_a_widget()
    cell = nbformat.v4.new_code_cell("for i in range(3): print(i)", execution_count=2)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in ("0\n", "1\n")]
    cell.outputs += [nbformat.v4.new_output("stream", name="stderr", text="warning\n"),
                     nbformat.v4.new_output("stream", name="stdout", text="2\n")]
    nb.cells.append(cell)
    assert "cell 2 stores its printed text cut into several pieces, as the kernel flushed it" in notebook_form.problems_of(nb)
    notebook_form.canonical(nb)
    assert [(o.name, o.text) for o in nb.cells[2].outputs] == [("stdout", "0\n1\n"), ("stderr", "warning\n"),
                                                              ("stdout", "2\n")]
    assert notebook_form.problems_of(nb) == []


def test_canonical_form_is_stable(tmp_path):
    path = tmp_path / "nb.ipynb"
    notebook_form.write(executed_notebook_with_a_widget(), path)
    first = path.read_text()
    notebook_form.write(nbformat.read(path, as_version=4), path)
    assert path.read_text() == first and notebook_form.problems(path) == []
