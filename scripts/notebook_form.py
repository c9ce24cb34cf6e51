"""The canonical form of a stored notebook: what a rerun with no source change reproduces.

A notebook executed by nbclient (or saved by JupyterLab) carries things that change on
every run although nothing the reader sees has changed:

* execution timestamps in each cell's metadata (``metadata.execution``);
* the widget state (``metadata.widgets``), keyed by model ids that are new random UUIDs
  on every run, and outputs that refer to a widget by such an id;
* the Python patch version (``metadata.language_info.version``) of the machine that ran it;
* how printed text was cut into stream outputs, which depends on when the kernel flushed
  its output: consecutive outputs of the same stream are joined into one.

:func:`canonical` removes them.  A widget's output becomes a *snapshot*: the picture its
``Image`` shows (the figure the reader would see first) and its one-line text form, marked
``{"backproplab": {"widget_snapshot": true}}`` in the output's metadata so that a static
page (GitHub, nbviewer, the course website) can say "run the notebook to move the
sliders".  JupyterLab shows the snapshot until the cell is run; running it gives the live
widget.  nbval compares neither images nor widget views, so the snapshot does not affect
strict nbval; only the text form is compared.

Used by ``scripts/run_notebooks.py`` (``make notebooks``) and checked by
``tests/test_notebook_form.py``.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SNAPSHOT_MARK = {"backproplab": {"widget_snapshot": True}}


def _image_of(model_id: str, state: dict, seen=None) -> tuple:
    """The base64 PNG of the first ``Image`` widget inside the widget ``model_id`` and the
    width it is shown at in CSS pixels (None if its layout gives none); ``(None, None)`` if
    there is no picture."""
    seen = set() if seen is None else seen
    if model_id in seen or model_id not in state:
        return None, None
    seen.add(model_id)
    model = state[model_id]
    if model.get("model_name") == "ImageModel":
        layout = state.get(str(model.get("state", {}).get("layout", "")).removeprefix("IPY_MODEL_"), {})
        width = re.fullmatch(r"(\d+)px", str(layout.get("state", {}).get("width", "")))
        for buffer in model.get("buffers", []):
            if buffer.get("path") == ["value"] and buffer.get("encoding") == "base64":
                return buffer["data"], int(width.group(1)) if width else None
        return None, None
    for child in model.get("state", {}).get("children", []):
        found = _image_of(str(child).removeprefix("IPY_MODEL_"), state, seen)
        if found[0]:
            return found
    return None, None


def _snapshot(output: dict, state: dict) -> dict:
    """A widget's output as a static picture and its text form.

    A widget draws its picture at twice the size it shows it (for sharp projectors), so the
    snapshot keeps the width shown, in Jupyter's usual place: ``metadata["image/png"]["width"]``.
    """
    data = {"text/plain": output["data"].get("text/plain", "")}
    png, width = _image_of(output["data"][WIDGET_VIEW]["model_id"], state)
    metadata = copy.deepcopy(SNAPSHOT_MARK)
    if png:
        data["image/png"] = png
        if width:
            metadata["image/png"] = {"width": width}
    snapshot = {"output_type": output["output_type"], "data": data, "metadata": metadata}
    if output["output_type"] == "execute_result":
        snapshot["execution_count"] = output.get("execution_count")
    return nbformat.from_dict(snapshot)


def _join_streams(outputs) -> list:
    """``outputs`` with each run of consecutive outputs of the same stream joined into one."""
    joined = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
            previous["text"] = "".join(previous["text"]) + "".join(output["text"])
        else:
            joined.append(output)
    return joined


def canonical(nb):
    """``nb`` (a NotebookNode) in canonical form, changed in place and returned."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        outputs = [_snapshot(o, state) if WIDGET_VIEW in o.get("data", {}) else o for o in cell.outputs]
        cell.outputs = _join_streams(outputs)
    nb.metadata.pop("widgets", None)
    nb.metadata.get("language_info", {}).pop("version", None)
    return nb


def serialize(nb) -> str:
    """The text nbformat writes for ``nb``, as stored in the repository."""
    return nbformat.writes(nb) + "\n"


def write(nb, path: Path) -> None:
    """Write ``nb`` to ``path`` in canonical form."""
    Path(path).write_text(serialize(canonical(nb)), encoding="utf-8")


def problems_of(nb) -> list[str]:
    """What in the notebook ``nb`` changes from run to run although its source did not."""
    found = []
    if "widgets" in nb.metadata:
        found.append("stores widget state (metadata.widgets), whose model ids change on every run")
    if "version" in nb.metadata.get("language_info", {}):
        found.append("stores the Python version of the machine that ran it (metadata.language_info.version)")
    for i, cell in enumerate(nb.cells):
        if "execution" in cell.metadata:
            found.append(f"cell {i} stores execution timestamps (metadata.execution)")
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                found.append(f"cell {i} stores a live widget view instead of its snapshot")
        if len(_join_streams(copy.deepcopy(cell.get("outputs", [])))) != len(cell.get("outputs", [])):
            found.append(f"cell {i} stores its printed text cut into several pieces, as the kernel flushed it")
    return found


def problems(path: Path) -> list[str]:
    """Why the stored notebook at ``path`` is not in canonical form (empty when it is)."""
    text = Path(path).read_text(encoding="utf-8")
    found = problems_of(nbformat.reads(text, as_version=4))
    if not found and serialize(canonical(nbformat.reads(text, as_version=4))) != text:
        found.append("is not written the way nbformat writes it (key order, indentation or final newline)")
    return found


if __name__ == "__main__":  # python scripts/notebook_form.py NB.ipynb ...: report, exit 1 if any
    import sys
    bad = {p: problems(Path(p)) for p in sys.argv[1:]}
    for p, why in bad.items():
        for line in why:
            print(f"{p}: {line}")
    sys.exit(1 if any(bad.values()) else 0)
