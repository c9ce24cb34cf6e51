"""Run every notebook in JupyterLab, take a full-length screenshot, report broken math.

For each notebook (default ``notebooks/[0-9]*.ipynb``) this opens a temporary copy in
JupyterLab's Simple interface in headless Chromium, runs all cells from the Run menu, waits
for widgets and math to be drawn, and saves the whole notebook as one PNG in
``screenshots/notebooks/``.  It reports, per notebook:

* cells that raised an error;
* rendered Markdown where ``$$`` is still visible (MathJax did not typeset it), or a
  single ``$`` (often an inline formula that did not typeset; sometimes a real dollar);
* MathJax errors (``mjx-merror`` elements, or undefined macros, which MathJax shows in red);
* widgets that failed to display, and plots stored in the notebook but not shown.

Exit code 1 when something is wrong (errors, ``$$``, MathJax errors, broken widgets,
missing plots).

Usage::

    python scripts/screenshot_notebooks.py [notebooks/NN_name.ipynb ...]
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lab_pages  # noqa: E402
import lab_session  # noqa: E402

OUT = lab_session.SCREENSHOTS / "notebooks"
_WIDGET_PROBLEMS_JS = """() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))
    .map(e => e.textContent).filter(t => /Error displaying widget|Loading widget\\.\\.\\.|model not found/.test(t))
    .map(t => t.trim().slice(0, 120))"""


def settle(page, timeout: float = 30) -> None:
    """Wait until images have loaded, MathJax has finished and no widget is still loading."""
    page.wait_for_function("""() => Array.from(document.images).every(i => i.complete)
        && !document.querySelector('.jp-Notebook .MathJax_Processing, .jp-Notebook mjx-processing')""",
                           timeout=timeout * 1000)
    lab_pages.wait_until(lambda: not page.evaluate(_WIDGET_PROBLEMS_JS), timeout, every=0.5)
    time.sleep(1.0)


def scroll_through(page) -> None:
    """Scroll the notebook from top to bottom a screen at a time, as a reader does."""
    page.evaluate("""async (sel) => {
        const s = document.querySelector(sel);
        if (!s) return;
        for (let y = 0; y < s.scrollHeight; y += s.clientHeight) {
            s.scrollTop = y; await new Promise(r => setTimeout(r, 150)); }
        s.scrollTop = 0; }""", lab_pages.SCROLLER)


def stored_plots(path: Path) -> int:
    """How many image outputs (plots) the stored notebook holds."""
    cells = json.loads(path.read_text())["cells"]
    return sum(1 for c in cells if c["cell_type"] == "code" for o in c.get("outputs", [])
               if "image/png" in o.get("data", {}))


def check_notebook(page, lab, name: str) -> dict:
    """Open, run, screenshot and inspect one notebook; a dict of what was found."""
    started = time.monotonic()
    lab_pages.open_notebook(page, lab, name, simple=True)
    errors = lab_pages.run_all_cells(page, timeout=300)
    settle(page)
    scroll_through(page)
    settle(page)
    png = OUT / (Path(name).stem + ".png")
    height = lab_pages.full_notebook_screenshot(page, png)
    math = lab_pages.math_problems(page)
    plots = page.evaluate("() => document.querySelectorAll('.jp-Notebook .jp-RenderedImage img').length")
    return {"name": name, "png": png, "height": height, "errors": errors, "math": math, "plots": plots,
            "widgets": page.evaluate(_WIDGET_PROBLEMS_JS), "seconds": time.monotonic() - started}


def describe(r: dict) -> tuple[bool, list]:
    """(is it bad, report lines) for one notebook's result."""
    lines, bad = [], bool(r["errors"] or r["widgets"] or r["plots"] < r["stored_plots"])
    if r["plots"] < r["stored_plots"]:
        lines.append(f"  PLOTS missing: the stored notebook has {r['stored_plots']}, the browser shows {r['plots']}")
    for e in r["errors"]:
        lines.append(f"  ERROR in a cell: {e.splitlines()[-1] if e else e}")
    for w in r["widgets"]:
        lines.append(f"  WIDGET not displayed: {w}")
    for m in r["math"]:
        if m["raw_dollars"] or m["mathjax_errors"]:
            bad = True
        what = []
        if m["raw_dollars"]:
            what.append(f"{m['raw_dollars']} raw $$ visible")
        elif m["dollars"]:
            what.append(f"{m['dollars']} single $ visible (check: a formula that did not typeset?)")
        what += [f"MathJax error: {e}" for e in m["mathjax_errors"]]
        lines.append(f"  cell {m['cell']}: {'; '.join(what)} -- near: {m['excerpt'].strip()!r}")
    head = (f"{'PROBLEMS' if bad else 'ok':8s} {r['name']}  ({r['seconds']:.0f} s, "
            f"plots shown {r['plots']} of {r['stored_plots']} stored, screenshot "
            f"{r['png']}, {r['height']} px)")
    return bad, [head, *lines]


def main(argv: list[str]) -> int:
    paths = [Path(p).resolve() for p in argv] or sorted(lab_session.NOTEBOOKS.glob("[0-9]*.ipynb"))
    if not paths:
        print(f"no notebooks in {lab_session.NOTEBOOKS}")
        return 1
    problem = lab_session.chromium_problem()
    if problem:
        print(problem)
        return 2
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    report, any_bad = [], False
    with tempfile.TemporaryDirectory(prefix="backproplab-shots-") as tmp:
        root = lab_session.copy_notebooks(Path(tmp) / "repo" / "notebooks", paths[0].parent)
        with lab_session.jupyterlab(root, Path(tmp) / "jupyter") as lab, sync_playwright() as playwright:
            context = lab_session.launch_chromium(playwright, Path(tmp) / "chromium-profile", 1280, 900)
            context.set_default_timeout(60_000)
            try:
                for path in paths:
                    page = context.new_page()
                    try:
                        result = check_notebook(page, lab, path.name)
                        result["stored_plots"] = stored_plots(path)
                        bad, lines = describe(result)
                    except Exception as exc:  # report and go on with the next notebook
                        page.screenshot(path=str(OUT / f"{path.stem}-FAILED.png"))
                        bad, lines = True, [f"FAILED   {path.name}: {type(exc).__name__}: {exc}"]
                    finally:
                        page.close()
                        lab.shutdown_kernels()
                    any_bad |= bad
                    report += lines
                    print("\n".join(lines), flush=True)
            finally:
                context.close()
    (OUT / "report.txt").write_text("\n".join(report) + "\n")
    print(f"\nscreenshots and report.txt in {OUT}")
    return 1 if any_bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
