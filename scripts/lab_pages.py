"""What a person does in the browser: open a notebook, run all cells, move a slider, look.

Playwright (sync API) page actions shared by ``tests/test_browser.py`` and
``scripts/screenshot_notebooks.py``.  The servers come from :mod:`lab_session`.
"""
from __future__ import annotations

import base64
import re
import time
from urllib.parse import quote

# The training explorer's DOM hooks (CSS classes set with widget.add_class).
READOUT, SLIDER, FIGURE, RETRAIN = ".bpl-readout", ".bpl-learning-rate", ".bpl-figure", ".bpl-retrain"

# Prompts of code cells: "[ ]:" not run, "[*]:" queued or running, "[7]:" done.
_PROMPTS_JS = """() => Array.from(document.querySelectorAll(
    '.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')).map(e => e.textContent.trim())"""
_ERRORS_JS = """() => Array.from(document.querySelectorAll(
    '.jp-Notebook .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
    .map(e => e.textContent.trim()).filter(t => /Error|Traceback|Exception/.test(t))"""


def open_notebook(page, lab, name: str, simple: bool = True, timeout: float = 90) -> None:
    """Open ``name`` in JupyterLab (``simple``: the Simple interface, one document) and wait
    until its kernel is idle."""
    path = ("doc/tree/" if simple else "lab/tree/") + quote(name)
    page.goto(lab.page_url(path), timeout=timeout * 1000)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout * 1000)
    wait_kernel_idle(page, timeout)


def kernel_status(page) -> str:
    """The notebook toolbar's kernel status ("Idle", "Busy", "Starting", ...) or ""."""
    text = page.evaluate("""() => { const e = document.querySelector('.jp-Notebook-ExecutionIndicator');
                                    return e ? e.textContent : ''; }""")
    m = re.search(r"Kernel status:\s*(\w+)", text)
    return m.group(1) if m else ""


def wait_kernel_idle(page, timeout: float = 60, steady: float = 2.0) -> None:
    """Wait until the kernel has been idle for ``steady`` seconds in a row.

    A freshly opened notebook reports "Idle" once before its kernel connection is
    initialised again; cells run in that moment can be dropped, hence the steady wait.
    """
    deadline, idle_since = time.monotonic() + timeout, None
    while True:
        now = time.monotonic()
        if kernel_status(page) == "Idle":
            idle_since = idle_since or now
            if now - idle_since >= steady:
                return
        else:
            idle_since = None
        if now > deadline:
            raise TimeoutError(f"kernel not idle after {timeout:.0f} s (status {kernel_status(page)!r})")
        time.sleep(0.25)


# Notes whether any prompt showed "[*]" since it was installed: stored outputs carry numbered
# prompts already, so only having seen the cells queued tells that *this* run happened.
_WATCH_RUN_JS = """() => {
    window.__bplSawRun = false;
    if (window.__bplWatch) window.__bplWatch.disconnect();
    window.__bplWatch = new MutationObserver(() => {
        if (!window.__bplSawRun && Array.from(document.querySelectorAll(
                '.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')).some(e => e.textContent.includes('*')))
            window.__bplSawRun = true; });
    window.__bplWatch.observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def run_all_cells(page, timeout: float = 120) -> list:
    """Run > Run All Cells from the menu bar, and wait until the run ends.

    Returns the error texts shown in outputs (empty when every cell ran).  Raises
    TimeoutError when cells are still running after ``timeout`` seconds.
    """
    for _attempt in range(3):
        page.evaluate(_WATCH_RUN_JS)
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        item = page.locator(".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel",
                            has_text=re.compile(r"^Run All Cells$"))
        item.wait_for(state="visible", timeout=10_000)
        time.sleep(0.3)  # let the menu settle: a click during its opening can be lost
        item.click()
        try:  # the run has started once a cell was queued ("[*]:")
            page.wait_for_function("() => window.__bplSawRun", timeout=10_000)
            break
        except Exception:
            page.keyboard.press("Escape")
    else:
        raise RuntimeError("Run > Run All Cells did not start the cells (three tries)")
    page.evaluate("() => window.__bplWatch.disconnect()")
    deadline, stalled_since = time.monotonic() + timeout, None
    while True:
        time.sleep(0.5)
        prompts, errors = page.evaluate(_PROMPTS_JS), page.evaluate(_ERRORS_JS)
        now = time.monotonic()
        if not any("*" in p for p in prompts) and kernel_status(page) == "Idle":
            if all(re.fullmatch(r"\[\d+\]:", p) for p in prompts) or errors:
                return errors
            stalled_since = stalled_since or now  # idle, yet some cells never ran
            if now - stalled_since > 5:
                raise RuntimeError(f"Run All Cells stopped without an error; prompts {prompts}")
        else:
            stalled_since = None
        if now > deadline:
            raise TimeoutError(f"Run All Cells did not finish within {timeout:.0f} s; prompts {prompts}")


def image_png(page, selector: str = f"img{FIGURE}") -> bytes:
    """The PNG bytes an ``ipywidgets.Image`` (the first ``selector`` match) shows right now,
    read back from its blob: URL."""
    data_url = page.locator(selector).first.evaluate("""async (img) => {
        const blob = await (await fetch(img.src)).blob();
        return await new Promise(res => { const r = new FileReader();
                                          r.onload = () => res(r.result); r.readAsDataURL(blob); });
    }""")
    return base64.b64decode(data_url.split(",", 1)[1])


def show_widgets(page) -> None:
    """Scroll so that the explorer's controls are at the top of the screen."""
    page.locator(SLIDER).first.evaluate("e => e.scrollIntoView({block: 'start'})")
    time.sleep(0.3)


def widget_state(page) -> dict:
    """Readout text, slider value text and figure PNG of the training explorer."""
    return {"readout": page.locator(READOUT).first.inner_text().strip(),
            "slider": page.locator(f"{SLIDER} .widget-readout").first.inner_text().strip(),
            "png": image_png(page)}


def wait_for_widgets(page, timeout: float = 60) -> None:
    """Wait until the explorer's readout, slider and figure are drawn and the figure has loaded."""
    for sel in (READOUT, f"{SLIDER} .noUi-handle", FIGURE):
        page.locator(sel).first.wait_for(state="visible", timeout=timeout * 1000)
    page.wait_for_function("""(sel) => { const img = document.querySelector(sel);
                                         return img && img.complete && img.naturalWidth > 0; }""",
                           arg=f"img{FIGURE}", timeout=timeout * 1000)


def move_slider_with_keyboard(page, presses: int = 3, key: str = "ArrowRight", slider: str = SLIDER) -> None:
    """Focus a slider's handle (default: the learning rate), as a person does with Tab, and
    press a key."""
    handle = page.locator(f"{slider} .noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(presses):
        handle.press(key)
        time.sleep(0.15)


def wait_until(condition, timeout: float = 30, every: float = 0.3) -> bool:
    """Poll ``condition()`` until it is true (returns True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())


def wait_for_change(page, before: dict, timeout: float = 60) -> dict:
    """Poll until the readout and the figure both differ from ``before`` and stop changing."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        now = widget_state(page)
        if now["readout"] != before["readout"] and now["png"] != before["png"]:
            if last is not None and now == last:
                return now
            last = now
        time.sleep(0.5)
    return widget_state(page)


# --- rendered Markdown: raw TeX left over, MathJax errors -----------------------------------
_MATH_JS = """() => {
  const report = [];
  document.querySelectorAll('.jp-Notebook .jp-Cell').forEach((cell, i) => {
    cell.querySelectorAll('.jp-RenderedMarkdown, .jp-RenderedLatex').forEach(md => {
      const copy = md.cloneNode(true);
      copy.querySelectorAll('code, pre, mjx-container, script, style').forEach(e => e.remove());
      const text = copy.textContent;
      // MathJax shows a TeX error as <mjx-merror>, an undefined macro as red text
      const errors = Array.from(md.querySelectorAll('mjx-merror, [data-mjx-error]'))
                          .map(e => e.getAttribute('data-mjx-error') || e.textContent)
        .concat(Array.from(md.querySelectorAll('mjx-assistive-mml [mathcolor="red"]'))
                          .map(e => 'shown in red: ' + e.textContent));
      if (text.includes('$') || errors.length)
        report.push({cell: i + 1, raw_dollars: (text.match(/\\$\\$/g) || []).length,
                     dollars: (text.match(/\\$/g) || []).length, mathjax_errors: errors,
                     excerpt: text.slice(Math.max(0, text.indexOf('$') - 40), text.indexOf('$') + 60)});
    });
  });
  return report;
}"""


def math_problems(page) -> list:
    """Rendered Markdown cells with a ``$`` left visible or a MathJax error, one dict each."""
    return page.evaluate(_MATH_JS)


SCROLLER = ".jp-NotebookPanel .jp-WindowedPanel-outer"  # the notebook's scrolling box


def full_notebook_screenshot(page, path, chunk: int = 8000) -> int:
    """One PNG of the whole notebook, however long; returns its height in pixels.

    JupyterLab's notebook scrolls inside its own panel, so a "full page" screenshot would
    show one screen only.  The viewport is made up to ``chunk`` pixels taller, the panel is
    scrolled a chunk at a time, and the pieces are joined (Pillow) down to the last cell.
    """
    import io

    from PIL import Image

    geometry = """(sel) => { const s = document.querySelector(sel); const r = s.getBoundingClientRect();
        const cells = s.querySelectorAll('.jp-Cell'); const last = cells[cells.length - 1];
        const end = last ? last.getBoundingClientRect().bottom - r.top + s.scrollTop + 24 : s.scrollHeight;
        return {x: r.left, y: r.top, width: r.width, view: s.clientHeight,
                total: Math.min(s.scrollHeight, Math.ceil(end)), scrollTop: s.scrollTop}; }"""
    size = page.viewport_size
    g = page.evaluate(geometry, SCROLLER)
    page.set_viewport_size({"width": size["width"],
                            "height": int(size["height"] + min(g["total"], chunk) - g["view"])})
    time.sleep(0.8)  # Lumino lays the panels out again after the resize
    g = page.evaluate(geometry, SCROLLER)
    sheet = Image.new("RGB", (int(g["width"]), g["total"]), "white")
    y = 0
    while y < g["total"]:
        top = page.evaluate("([sel, y]) => { const s = document.querySelector(sel); s.scrollTop = y; "
                            "return s.scrollTop; }", [SCROLLER, y])  # the browser may clamp y
        time.sleep(0.4)
        shot = page.screenshot(clip={"x": g["x"], "y": g["y"], "width": g["width"], "height": g["view"]})
        sheet.paste(Image.open(io.BytesIO(shot)).convert("RGB"), (0, int(top)))
        y = top + g["view"]
    sheet.save(path)
    page.evaluate("(sel) => { document.querySelector(sel).scrollTop = 0; }", SCROLLER)
    page.set_viewport_size(size)
    return g["total"]


def tall_screenshot(page, path, scroller: str = "#rendered_cells", max_height: int = 8000) -> None:
    """A screenshot of a page that scrolls inside ``scroller`` (Voila's lab template does):
    the viewport is made tall enough to show all of it (up to ``max_height``)."""
    size = page.viewport_size
    extra = page.evaluate("""(sel) => { const s = document.querySelector(sel);
                                        return s ? s.scrollHeight - s.clientHeight : 0; }""", scroller)
    page.set_viewport_size({"width": size["width"], "height": min(size["height"] + extra, max_height)})
    time.sleep(0.8)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


# --- the classroom app (Voila) --------------------------------------------------------------
PROGRESS = ".widget-hprogress"  # the training explorer's progress bar
ITERATIONS = ".widget-slider:has-text('iterations')"


def app_kernel_id(page) -> str:
    """The id of the kernel the app's page is connected to (from Voila's page config)."""
    return page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


# For each widget panel of the page (an outer VBox holding a figure): the boxes of its
# control rows, figure, readout and progress bar, the figure's natural size, and the font
# size of every piece of control or readout text.
_SECTIONS_JS = """() => {
  const box = e => { const r = e.getBoundingClientRect();
                     return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width,
                             height: r.height}; };
  const panels = Array.from(document.querySelectorAll('img.widget-image'))
    .map(img => { let p = img.parentElement;
                  while (p.parentElement && p.parentElement.closest('.widget-vbox')) p = p.parentElement.closest('.widget-vbox');
                  return [p, img]; });
  return panels.map(([panel, img]) => {
    const rows = Array.from(panel.children).filter(c => c.classList.contains('widget-hbox'));
    const html = Array.from(panel.children).filter(c => c.classList.contains('widget-html'));
    const progress = panel.querySelector('.widget-hprogress');
    const texts = Array.from(panel.querySelectorAll(
        '.widget-label, .widget-readout, .widget-html-content, .jupyter-button, select, input'))
      .filter(e => e.textContent.trim() || e.value)
      .map(e => ({text: (e.textContent.trim() || e.value).slice(0, 30), px: parseFloat(getComputedStyle(e).fontSize)}));
    return {panel: box(panel), rows: rows.map(box), figure: {...box(img), naturalWidth: img.naturalWidth,
            naturalHeight: img.naturalHeight}, readout: html.map(box), progress: progress ? box(progress) : null,
            texts, viewport: {width: innerWidth, height: innerHeight}};
  });
}"""


def app_sections(page) -> list:
    """One dict per widget panel of the app page (see ``_SECTIONS_JS``), in page order."""
    return page.evaluate(_SECTIONS_JS)


def scroll_to_panel(page, index: int) -> None:
    """Scroll so that the ``index``-th widget panel's top is at the top of the screen."""
    page.locator("img.widget-image").nth(index).evaluate("""img => {
        let p = img.parentElement;
        while (p.parentElement && p.parentElement.closest('.widget-vbox')) p = p.parentElement.closest('.widget-vbox');
        p.scrollIntoView({block: 'start'}); }""")
    time.sleep(0.5)
