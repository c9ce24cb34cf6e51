"""The course website (``make site``), opened as a student opens it: in a real browser, offline.

The site is built once for this module into a temporary folder, with a Binder LAUNCH setting
and Sphinx in strict mode (any warning, such as a broken link or a missing picture, fails the
build).  A local HTTP server on 127.0.0.1 serves it to headless Chromium (Debian's package,
driven by Playwright), in which every request that is not for that server is blocked and
recorded: a page that needs the internet (a CDN for MathJax, fonts, icons or widget
JavaScript) fails the test.  Each page must load with no console error and no failed request;
math must be typeset by the site's own MathJax (no raw ``$$``, no MathJax error); each
notebook page must show every figure it stores at its natural size, each widget snapshot
with its caption, a launch link built from LAUNCH and a download link giving the stored
file; every link between pages must lead somewhere that exists.

Fast checks of the build's pieces (README's table, launch links, both stored widget forms)
need no browser and run first.  Where Chromium, Playwright or Sphinx is missing the browser
tests are skipped with the reason, except under CI (``CI=true``), where they fail instead.
"""
from __future__ import annotations

import base64
import functools
import http.server
import importlib.util
import os
import re
import sys
import threading
import urllib.parse
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import build_site  # noqa: E402
import lab_session  # noqa: E402
import notebook_form  # noqa: E402

LAUNCH = "https://mybinder.org/v2/gh/OWNER/REPO/main?urlpath=lab/tree/{path}"
UNDER_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}
TITLE, INTRO, (_, HEADER, LESSONS, _), README_REFERENCES = build_site.read_readme(ROOT / "README.md")
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = (["index.html"] + [f"notebooks/{lesson.name}.html" for lesson in LESSONS]
         + [f"docs/{doc.stem}.html" for doc in DOCS] + ["references.html", "search.html", "genindex.html"])
# A projector's width: the text column is wide enough for every stored figure at its natural size.
VIEWPORT = {"width": 1920, "height": 1080}


def stored(lesson) -> nbformat.NotebookNode:
    """The lesson's stored notebook in canonical form (what the website shows)."""
    return notebook_form.canonical(nbformat.read(ROOT / lesson.path, as_version=4))


def outputs(nb):
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]


# ----------------------------------------------------------------------------- no browser
def test_readme_table_gives_the_course_order_and_every_notebook():
    assert [lesson.name for lesson in LESSONS] == sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
    assert HEADER[0] == "notebook" and all(len(lesson.cells) == len(HEADER) for lesson in LESSONS)


def test_a_notebook_missing_from_the_readme_table_is_an_error(tmp_path):
    (tmp_path / "00_a.ipynb").write_text("{}")
    (tmp_path / "01_b.ipynb").write_text("{}")
    with pytest.raises(build_site.SiteError, match="01_b.ipynb is not in README.md's table"):
        build_site.check_lessons([build_site.Lesson("00_a", ["`00_a`"])], tmp_path)


def test_table_cells_keep_pipes_inside_code():
    assert build_site.table_cells("| `a|b` | x \\| y | z |") == ["`a|b`", "x \\| y", "z"]


def test_launch_setting():
    assert build_site.launch_url(LAUNCH, "notebooks/01_output_delta.ipynb") == \
        "https://mybinder.org/v2/gh/OWNER/REPO/main?urlpath=lab/tree/notebooks/01_output_delta.ipynb"
    hub = "https://hub.example.org/hub/user-redirect/git-pull?repo=R&branch=main&urlpath=lab/tree/REPO/{path}"
    assert build_site.launch_url(hub, "notebooks/00_a.ipynb").endswith("urlpath=lab/tree/REPO/notebooks/00_a.ipynb")
    assert build_site.check_launch("") == ""
    for bad in ("https://mybinder.org/v2/gh/OWNER/REPO/main", "mybinder.org/{path}"):
        with pytest.raises(build_site.SiteError, match=r"expected a URL starting with https:// that contains \{path\}"):
            build_site.check_launch(bad)


def test_without_launch_setting_the_link_says_how_to_run_the_notebooks():
    bar = build_site.action_bar(LESSONS[0], "")
    assert 'href="../index.html#running-the-notebooks">Run this notebook</a>' in bar
    assert f'href="{LESSONS[0].name}.ipynb" download>' in bar


def test_plain_titles_for_the_navigation():
    assert build_site.plain_title(r"01 · The output delta: $\delta^{[L]} = x$") == "01 · The output delta"
    assert build_site.plain_title(r"04 · The weight gradient $\partial C$, equation (25), and more") == \
        "04 · The weight gradient, equation (25), and more"


PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n a picture").decode()


def notebook_with_widgets(state: bool):
    """A notebook as nbclient stores it: a widget view (with or without its widget state)."""
    box, image = "a" * 32, "b" * 32
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("explorer.widget", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("execute_result", execution_count=1, data={
        notebook_form.WIDGET_VIEW: {"model_id": box, "version_major": 2, "version_minor": 0},
        "text/plain": "Explorer: the cost as the learning rate moves"})]
    nb.cells = [nbformat.v4.new_markdown_cell("# 00 · A title\n\nText."), cell]
    if state:
        nb.metadata["widgets"] = {notebook_form.WIDGET_STATE: {"state": {
            box: {"model_name": "VBoxModel", "state": {"children": [f"IPY_MODEL_{image}"]}},
            image: {"model_name": "ImageModel", "state": {},
                    "buffers": [{"path": ["value"], "encoding": "base64", "data": PNG}]}}}}
    return nb


@pytest.mark.parametrize("state", [True, False], ids=["with widget state", "widget view without state"])
def test_both_stored_widget_forms_become_a_captioned_snapshot(tmp_path, state):
    lesson = build_site.Lesson("00_a", ["`00_a`"])
    nb = build_site.site_notebook(notebook_with_widgets(state), lesson, LAUNCH, tmp_path / "_snapshots")
    (out,) = nb.cells[1].outputs
    text = out.data["text/markdown"]
    assert notebook_form.WIDGET_VIEW not in out.data and "widgets" not in nb.metadata
    assert "[Run the notebook](https://mybinder.org/v2/gh/OWNER/REPO/main?urlpath=lab/tree/notebooks/00_a.ipynb) " \
           "to move the sliders." in text
    assert "Explorer: the cost as the learning rate moves" in text.replace("\\", "")
    if state:  # the picture the widget showed first, as a figure
        assert text.startswith(":::{figure} _snapshots/00_a-widget-1.png")
        assert (tmp_path / "_snapshots" / "00_a-widget-1.png").read_bytes() == base64.b64decode(PNG)
    else:  # nothing to show but its text form
        assert text.startswith(":::{note} Interactive widget") and not (tmp_path / "_snapshots").exists()
    assert '<div class="bpl-actions">' in nb.cells[0].source.split("\n\n")[1]  # right under the title


def test_worked_solutions_are_folded_away():
    code = nbformat.v4.new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n\ncheck(f)")
    text = nbformat.v4.new_markdown_cell("**Answer.**\n\n### BEGIN SOLUTION\nIt is $x$.\n### END SOLUTION\n\nNext.")
    build_site.hide_solution(code)
    build_site.hide_solution(text)
    assert "hide-input" in code.metadata["tags"]
    assert code.metadata["mystnb"]["code_prompt_show"] == "Show the worked solution"
    assert "<summary>Show the worked answer</summary>\n\nIt is $x$.\n\n</details>" in text.source
    assert "SOLUTION" not in text.source and text.source.endswith("Next.")


def test_guide_links_to_the_readme_go_to_the_landing_page():
    guide = "See [the README](../README.md), [its table](../README.md#the-notebooks) and [a class](../README.md#running-a-class)."
    assert build_site.readme_links_to_landing(guide) == \
        "See [the README](../index.md), [its table](../index.md#the-notebooks) and [a class](../index.md)."


# ----------------------------------------------------------------------------- the built site
def require(problem: str | None) -> None:
    if problem is None:
        return
    if UNDER_CI:
        pytest.fail(f"{problem}. Under CI (CI=true) the website test must run, not be skipped.")
    pytest.skip(f"website test skipped: {problem}")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The website, built once (strict: a Sphinx warning fails) with the Binder LAUNCH setting."""
    require(None if importlib.util.find_spec("myst_nb") else
            "Sphinx and MyST-NB are not installed: make site-deps (pip install -r requirements-site.txt)")
    base = tmp_path_factory.mktemp("site")
    out = base / "html"
    build_site.build(out, base / "src", LAUNCH, strict=True, quiet=True)
    return out


@pytest.fixture(scope="module")
def server(site):
    """The built site over HTTP on 127.0.0.1 (a random free port), as a web host serves it."""
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


class Offline:
    """A browser context in which only the local server answers; everything else is recorded."""

    def __init__(self, context, base: str):
        self.context, self.base, self.outside = context, base, []
        context.route("**/*", self._route)

    def _route(self, route):
        if route.request.url.startswith(self.base):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort("internetdisconnected")

    def open(self, path: str):
        """Open ``path``; return the page and what went wrong on it (console errors, failures)."""
        page = self.context.new_page()
        problems = []
        page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
        response = page.goto(self.base + path, wait_until="load")
        assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"
        page.wait_for_load_state("networkidle")
        page.evaluate("async () => { if (window.MathJax && MathJax.startup) await MathJax.startup.promise; }")
        return page, problems


@pytest.fixture(scope="module")
def browser(server, tmp_path_factory):
    require(lab_session.chromium_problem())
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        context = lab_session.launch_chromium(playwright, tmp_path_factory.mktemp("chromium-profile"),
                                              width=VIEWPORT["width"], height=VIEWPORT["height"])
        context.set_default_timeout(30_000)
        try:
            yield Offline(context, server)
        finally:
            context.close()


PAGE_FACTS = """() => {
  const article = document.querySelector('article') || document.body;
  const text = article.cloneNode(true);  // the prose, without code, typeset math or scripts
  text.querySelectorAll('pre, code, script, mjx-container, mjx-assistive-mml').forEach(e => e.remove());
  return {
    mathSpans: article.querySelectorAll('.math').length,
    typeset: article.querySelectorAll('mjx-container').length,
    mathErrors: [...document.querySelectorAll('mjx-merror')].map(e => e.getAttribute('data-mjx-error') || e.textContent),
    mathjaxSrc: [...document.querySelectorAll('script[src]')].map(s => s.src).filter(s => /mathjax/i.test(s)),
    prose: text.textContent,
    images: [...article.querySelectorAll('img')].map(i => ({src: i.getAttribute('src'), complete: i.complete,
      natural: i.naturalWidth, shown: i.getBoundingClientRect().width, alt: i.alt,
      declared: parseFloat(i.style.width || i.getAttribute('width')) || null})),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  };
}"""


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline_with_math_and_figures(browser, path):
    page, problems = browser.open(path)
    facts = page.evaluate(PAGE_FACTS)
    page.close()
    assert problems == [], f"{path}: " + "\n".join(problems)
    assert browser.outside == [], f"requests that left the machine: {browser.outside}"
    # math: typeset by the site's own MathJax, without errors and with no TeX left in the prose
    if facts["mathSpans"]:
        assert facts["mathjaxSrc"] and all(s.startswith(browser.base + "_static/mathjax/") for s in facts["mathjaxSrc"])
        assert facts["typeset"] >= facts["mathSpans"], f"{path}: only {facts['typeset']} of {facts['mathSpans']} formulas typeset"
    assert facts["mathErrors"] == [], f"{path}: MathJax errors {facts['mathErrors']}"
    for raw in ("$$", "\\(", "\\[", "\\frac", "\\delta", "\\begin{"):
        assert raw not in facts["prose"], f"{path}: raw TeX {raw!r} in the page's text"
    # figures: every one loaded and shown at its natural size
    for image in facts["images"]:
        assert image["complete"] and image["natural"] > 0, f"{path}: picture {image['src']} did not load"
        # a widget's snapshot is drawn at twice the width it is shown at, for sharp projectors:
        # it declares that width; every other figure is shown at its natural size
        want = image["declared"] or image["natural"]
        assert abs(image["shown"] - want) <= 1, f"{path}: {image['src']} shown at {image['shown']} px, not {want} px"
        assert image["natural"] >= image["shown"] - 1, f"{path}: {image['src']} is stretched beyond its pixels"


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.name for lesson in LESSONS])
def test_notebook_page_shows_what_the_notebook_stores(browser, lesson):
    nb = stored(lesson)
    page, problems = browser.open(f"notebooks/{lesson.name}.html")
    try:
        article = page.locator("article")
        # every stored picture: plain figures, and the widgets' snapshots as captioned figures
        pictures = [o for o in outputs(nb) if "image/png" in o.get("data", {})]
        snapshots = [o for o in pictures if build_site.is_snapshot(o)]
        assert article.locator("img").count() == len(pictures)
        figures = article.locator("figure.bpl-snapshot")
        assert figures.count() == len(snapshots)
        for i in range(figures.count()):
            caption = figures.nth(i).locator("figcaption")
            assert "Run the notebook to move the sliders." in caption.inner_text()
            assert caption.locator("a").first.get_attribute("href") == build_site.launch_url(LAUNCH, lesson.path)
        # the stored outputs, not a new run: each printed line is on the page as stored
        prose = article.inner_text()
        printed = [line for o in outputs(nb) if o.output_type == "stream" for line in o.text.splitlines() if line.strip()]
        assert printed and all(" ".join(line.split()) in " ".join(prose.split()) for line in printed[:40])
        # code cells are part of the lesson; worked solutions are folded, not gone
        code_cells = [c for c in nb.cells if c.cell_type == "code"]
        assert article.locator("div.cell_input").count() == len(code_cells)
        # the autograder's hidden tests are for nbgrader, not for the reader
        assert any("BEGIN HIDDEN TESTS" in c.source for c in code_cells)
        assert "HIDDEN TESTS" not in prose and "_result.passed" not in prose
        # launch and download, right under the title
        launch = article.locator(".bpl-actions a.bpl-launch")
        assert launch.inner_text() == "Launch this notebook"
        assert launch.get_attribute("href") == build_site.launch_url(LAUNCH, lesson.path)
        download = article.locator(".bpl-actions a.bpl-download")
        response = page.request.get(urllib.parse.urljoin(page.url, download.get_attribute("href")))
        assert response.ok and response.body() == (ROOT / lesson.path).read_bytes()
    finally:
        page.close()
    assert problems == [] and browser.outside == []


def test_navigation_follows_the_readme_table_and_links_between_pages_work(browser, site):
    page, problems = browser.open("index.html")
    try:
        nav = page.locator("nav.bd-docs-nav a.reference.internal")
        hrefs = [urllib.parse.urlsplit(nav.nth(i).get_attribute("href")).path for i in range(nav.count())]
        notebooks = [h for h in hrefs if h.startswith("notebooks/")]
        assert notebooks == [f"notebooks/{lesson.name}.html" for lesson in LESSONS]  # course order
        assert [h for h in hrefs if h.startswith("docs/")] == [f"docs/{doc.stem}.html" for doc in
                                                             sorted(DOCS, key=lambda p: (p.stem != "teaching", p.stem))]
        assert "references.html" in hrefs
        # the landing page's table is README.md's, one row per notebook, linked to its page
        rows = page.locator("article table").filter(has_text=HEADER[1]).locator("tbody tr")
        assert rows.count() == len(LESSONS)
        for i, lesson in enumerate(LESSONS):
            assert rows.nth(i).locator("a").first.get_attribute("href") == f"notebooks/{lesson.name}.html"
        # as a student does: the table's first notebook, then "next" to the second
        rows.nth(0).locator("a").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"notebooks/{LESSONS[0].name}.html")
        page.locator("a.right-next").click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"notebooks/{LESSONS[1].name}.html")
    finally:
        page.close()
    assert problems == []
    # every link on every page to another page of the site leads to a file that exists,
    # and a link to a place in a page to an element with that id
    broken = []
    for path in PAGES:
        page, _ = browser.open(path)
        links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
        page.close()
        for link in set(links):
            if not link.startswith(browser.base):
                continue
            target, _, fragment = link[len(browser.base):].partition("#")
            target = urllib.parse.unquote(target.split("?")[0]) or "index.html"
            file = site / target
            if not file.is_file():
                broken.append(f"{path} -> {link}")
            elif fragment and file.suffix == ".html" and f'id="{fragment}"' not in file.read_text(encoding="utf-8"):
                broken.append(f"{path} -> {link} (no element with that id)")
    assert broken == []


def test_references_page_cites_the_sources_by_author_and_year(browser):
    page, problems = browser.open("references.html")
    text = page.locator("article").inner_text()
    page.close()
    for needed in ("Higham", "2019", "SIAM Review", "10.1137/18M1165748", "Steinitz", "2013",
                   "González", "2018", "Mishra", "2020", "Gradient Descent and Backpropagation"):
        assert needed in text
    assert not re.search(r"\bseeds?\b", text, re.I)  # sources are cited by author, never by file number
    assert problems == []


def test_search_finds_a_word_of_the_course(browser):
    page, problems = browser.open("search.html?q=sensitivity")
    try:
        page.locator("#search-results ul.search li").first.wait_for()
        results = page.locator("#search-results ul.search li a").all_inner_texts()
    finally:
        page.close()
    assert any("output sensitivity" in r for r in results), results
    assert problems == [] and browser.outside == []
