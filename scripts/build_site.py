"""Build the course website from the stored notebooks: ``make site``.

Nothing is executed: each page shows the outputs stored in ``notebooks/``.  The build

1. stages a Sphinx project in ``build/site/src/`` (a copy; the repository is only read):
   ``site/conf.py`` and ``site/_static/``; the landing page ``index.md``, made from
   ``site/index.md`` with README.md's title, introduction and table of notebooks (README.md
   is the one source of truth: the table is never copied by hand); each notebook of that
   table, in that order, in canonical form (``notebook_form.canonical``) with a "launch /
   download" bar under its title and every widget snapshot shown as a captioned figure;
   every ``docs/*.md`` (the teacher's guide); the References page (README.md's
   ``## References`` section when it has one, else ``site/references.md``); MathJax's
   files, so that math is typeset from the site itself, never from a CDN;
2. runs Sphinx with MyST-NB (``nb_execution_mode = "off"``) into ``build/site/html/``.

The one setting is LAUNCH, where "Launch this notebook" opens a notebook: a URL with
``{path}`` for the notebook's path in the repository (``notebooks/00_....ipynb``), e.g. ::

    make site LAUNCH='https://mybinder.org/v2/gh/OWNER/REPO/main?urlpath=lab/tree/{path}'
    make site LAUNCH='https://HUB/hub/user-redirect/git-pull?repo=https://github.com/OWNER/REPO&branch=main&urlpath=lab/tree/REPO/{path}'

Left empty, the link explains how to run the notebooks instead.  Usage::

    python scripts/build_site.py [--launch URL] [--out build/site/html] [--src build/site/src] [--docs docs] [--strict]
"""
from __future__ import annotations

import argparse
import base64
import copy
import html
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "site"
sys.path.insert(0, str(ROOT / "scripts"))
import notebook_form  # noqa: E402
from student_version import BLOCK as SOLUTION, strip_hidden_tests  # noqa: E402  (### BEGIN SOLUTION ... ### END SOLUTION)

ENV_LAUNCH = "BACKPROPLAB_LAUNCH"  # what `make site LAUNCH=...` sets
RUNNING_ANCHOR = "running-the-notebooks"  # the landing page's section on running them
# A widget snapshot's caption: "[Run the notebook](launch link) to move the sliders."
RUN_THE_NOTEBOOK, TO_MOVE_THE_SLIDERS = "Run the notebook", "to move the sliders."
# MathJax's combined components other than tex-chtml.js, and its SVG output: never loaded
MATHJAX_UNUSED = re.compile(r"^(mml-|tex-svg|tex-mml-|tex-chtml-full|node-main|output/svg)")


class SiteError(Exception):
    """Why the website cannot be built, in words that say what to fix."""


# ----------------------------------------------------------------------------- README.md
@dataclass
class Lesson:
    """One row of README.md's table of notebooks."""
    name: str      # e.g. 00_notation_and_chain_rule
    cells: list    # the row's cells, as written in README.md

    @property
    def path(self) -> str:
        return f"notebooks/{self.name}.ipynb"


def sections(markdown: str) -> dict:
    """README.md's ``## `` sections by title: {title: body}; "" holds the text before the first."""
    parts = re.split(r"^## +(.+?)[ \t]*$", markdown, flags=re.M)
    found = {"": parts[0]}
    for title, body in zip(parts[1::2], parts[2::2]):
        found[title.strip()] = body
    return found


def table_cells(line: str) -> list:
    """The cells of a Markdown table row (``|`` inside backticks or escaped as ``\\|`` kept)."""
    cells, cell, in_code = [], "", False
    text = line.strip().strip("|") if line.strip().endswith("|") else line.strip().lstrip("|")
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] == "|":
            cell += "\\|"
            i += 2
            continue
        if ch == "`":
            in_code = not in_code
        if ch == "|" and not in_code:
            cells.append(cell.strip())
            cell = ""
        else:
            cell += ch
        i += 1
    cells.append(cell.strip())
    return cells


def notebook_table(body: str):
    """(lines before, header cells, lessons, lines after) of the first table in ``body``
    whose first column is headed "notebook"."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if line.lstrip().startswith("|") and table_cells(line)[0].strip("`* ").lower() == "notebook":
            end = i + 2
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                end += 1
            lessons = []
            for row in lines[i + 2:end]:
                cells = table_cells(row)
                name = re.sub(r"[`*\[\]]|\(.*?\)", "", cells[0]).strip().removesuffix(".ipynb")
                lessons.append(Lesson(name, cells))
            return lines[:i], table_cells(line), lessons, lines[end:]
    raise SiteError("README.md: no table of notebooks (a table whose first column is headed "
                     "'notebook') under '## The notebooks'")


def read_readme(readme: Path):
    """title, introduction, the notebooks section (its parts) and the References section or None."""
    text = readme.read_text(encoding="utf-8")
    parts = sections(text)
    head = parts[""]
    title_match = re.search(r"^# +(.+)$", head, re.M)
    if not title_match:
        raise SiteError("README.md has no '# Title' line")
    intro = head[title_match.end():].strip()
    if "The notebooks" not in parts:
        raise SiteError("README.md has no '## The notebooks' section")
    references = parts.get("References")
    return title_match.group(1).strip(), intro, notebook_table(parts["The notebooks"]), references


def check_lessons(lessons: list, notebooks_dir: Path) -> None:
    """Every notebook in README.md's table exists, and every numbered notebook is in the table."""
    listed = {lesson.name for lesson in lessons}
    missing = [lesson.path for lesson in lessons if not (notebooks_dir / f"{lesson.name}.ipynb").exists()]
    unlisted = sorted(p.name for p in notebooks_dir.glob("[0-9]*.ipynb") if p.stem not in listed)
    problems = [f"README.md's table of notebooks lists {p}, which does not exist" for p in missing]
    problems += [f"notebooks/{n} is not in README.md's table of notebooks: add a row for it "
                 "(the website's navigation follows that table)" for n in unlisted]
    if problems:
        raise SiteError("\n".join(problems))


# ----------------------------------------------------------------------------- launch links
def launch_url(template: str, path: str) -> str:
    """The launch URL of the notebook at ``path`` (in the repository) from the LAUNCH template."""
    return template.replace("{path}", urllib.parse.quote(path, safe="/"))


def check_launch(template: str) -> str:
    template = template.strip()
    if template and (not re.match(r"^https?://", template) or "{path}" not in template):
        raise SiteError(
            f"LAUNCH={template!r}: expected a URL starting with https:// that contains {{path}} "
            "where the notebook's path goes, e.g. "
            "https://mybinder.org/v2/gh/OWNER/REPO/main?urlpath=lab/tree/{path}")
    return template


# ----------------------------------------------------------------------------- notebooks
def markdown_escape(text: str) -> str:
    """``text`` as literal Markdown (every ASCII punctuation character backslash-escaped)."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def action_bar(lesson: Lesson, launch: str) -> str:
    """The HTML bar under a notebook page's title: launch it, download it."""
    file_name = f"{lesson.name}.ipynb"
    if launch:
        run = (f'<a class="bpl-launch" href="{html.escape(launch_url(launch, lesson.path))}">'
               "Launch this notebook</a>")
    else:
        run = f'<a class="bpl-launch" href="../index.html#{RUNNING_ANCHOR}">Run this notebook</a>'
    download = (f'<a class="bpl-download" href="{html.escape(file_name)}" download>'
                f"Download {html.escape(file_name)}</a>")
    return f'<div class="bpl-actions">{run}{download}</div>'


def is_snapshot(output) -> bool:
    return bool(output.get("metadata", {}).get("backproplab", {}).get("widget_snapshot"))


def snapshot_output(output, figure_path: str | None, run_link: str):
    """A widget snapshot as a Markdown output: its picture as a figure whose caption says
    that the widget comes alive when the notebook runs, with the widget's one-line text form.
    The picture is shown at the width the widget shows it (it is drawn at twice that)."""
    text = " ".join(str(output.get("data", {}).get("text/plain", "")).split()) or "an interactive widget"
    caption = f"[{RUN_THE_NOTEBOOK}]({run_link}) {TO_MOVE_THE_SLIDERS}"
    width = output.get("metadata", {}).get("image/png", {}).get("width")
    if figure_path:
        size = f":width: {int(width)}px\n" if width else ""
        body = (f":::{{figure}} {figure_path}\n:alt: Snapshot of the widget {text}\n{size}:figclass: bpl-snapshot\n\n"
                f"**Snapshot of an interactive widget.** {caption} "
                f"<span class=\"bpl-snapshot-text\">{markdown_escape(text)}</span>\n:::\n")
    else:  # a widget view with no stored state: there is nothing to show but its text form
        body = (f":::{{note}} Interactive widget\n{markdown_escape(text)}\n\n{caption}\n:::\n")
    return nbformat.v4.new_output("display_data", data={"text/markdown": body},
                                  metadata={"backproplab": {"widget_snapshot": True}})


def hide_solution(cell) -> None:
    """Fold a worked solution away: a student sees it only by asking for it.

    A code cell holding ``### BEGIN SOLUTION`` gets MyST-NB's ``hide-input`` tag (its output,
    the self-check's PASSED, stays visible); in a Markdown cell the block between the markers
    goes into a ``<details>`` element.
    """
    if "### BEGIN SOLUTION" not in cell.source:
        return
    if cell.cell_type == "code":
        tags = cell.metadata.setdefault("tags", [])
        if "hide-input" not in tags:
            tags.append("hide-input")
        cell.metadata.setdefault("mystnb", {}).update(
            code_prompt_show="Show the worked solution", code_prompt_hide="Hide the worked solution")
    else:
        cell.source = SOLUTION.sub(
            lambda m: ('\n<details class="bpl-solution"><summary>Show the worked answer</summary>\n\n'
                       + re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[^\n]*\n?", "", m.group(0), flags=re.M).strip()
                       + "\n\n</details>\n\n"), cell.source)


def site_notebook(nb, lesson: Lesson, launch: str, snapshots_dir: Path):
    """A copy of the stored notebook ``nb`` as the website shows it.

    Any stored form works: the canonical form (snapshots), and the older one with widget views
    and widget state (converted here by ``notebook_form.canonical``); a widget view whose
    state is missing shows its text form.
    """
    nb = notebook_form.canonical(copy.deepcopy(nb))
    if launch:
        run_link = launch_url(launch, lesson.path)
    else:
        run_link = f"../index.md#{RUNNING_ANCHOR}"
    shown = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            if not is_snapshot(output):
                outputs.append(output)
                continue
            figure = None
            png = output.get("data", {}).get("image/png")
            if png:
                shown += 1
                figure_file = snapshots_dir / f"{lesson.name}-widget-{shown}.png"
                write_if_changed(figure_file, base64.b64decode(png))
                figure = f"{snapshots_dir.name}/{figure_file.name}"
            outputs.append(snapshot_output(output, figure, run_link))
        cell.outputs = outputs
    for cell in nb.cells:
        hide_solution(cell)
        if cell.cell_type == "code":  # the autograder's assert is for nbgrader, not for the reader
            cell.source = strip_hidden_tests(cell.source)
    bar = action_bar(lesson, launch)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            title = re.search(r"^# .*$", cell.source, re.M)
            if title:
                cell.source = f"{cell.source[:title.end()]}\n\n{bar}\n{cell.source[title.end():]}"
                break
    else:
        raise SiteError(f"{lesson.path} has no '# Title' in a Markdown cell")
    return nb


# ----------------------------------------------------------------------------- the landing page
def linked_table(header: list, lessons: list) -> str:
    """README.md's table with each notebook's name linked to its page."""
    rows = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for lesson in lessons:
        cells = list(lesson.cells)
        cells[0] = f"[{cells[0]}]({lesson.path})"
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def plain_title(title: str) -> str:
    """A notebook's title without its formulas, for the navigation: "01 · The output delta"."""
    text = re.sub(r"\$[^$]*\$", "", title)
    text = re.sub(r"\s*:\s*(?=,|$)", "", text)      # "delta: $...$" -> "delta"
    text = re.sub(r"\s+([,.;:])", r"\1", text)       # "gradient $...$, equation" -> "gradient, equation"
    return re.sub(r"\s+", " ", text).strip(" ,:;")


def nav_title(lesson: Lesson) -> str:
    """The navigation's name of a notebook: its Markdown title, formulas left out."""
    nb = nbformat.read(ROOT / lesson.path, as_version=4)
    for cell in nb.cells:
        match = re.search(r"^# +(.+)$", cell.source, re.M) if cell.cell_type == "markdown" else None
        if match:
            return re.sub(r"[<>]", "", plain_title(match.group(1)))
    return lesson.name


def toctree(caption: str, entries: list) -> str:
    if not entries:
        return ""
    return "```{toctree}\n:hidden:\n:caption: " + caption + "\n\n" + "\n".join(entries) + "\n```\n"


def landing_page(template: str, title: str, intro: str, table_parts, launch: str, docs: list) -> str:
    before, header, lessons, after = table_parts
    notebooks = "\n".join(before).strip() + "\n\n" + linked_table(header, lessons) + "\n\n" + "\n".join(after).strip()
    if launch:
        running = ("Each notebook's page has a **Launch this notebook** link: it opens the notebook, "
                   f"ready to run, on [{urllib.parse.urlsplit(launch).hostname}]"
                   f"({launch_url(launch, lessons[0].path)}).")
    else:
        running = ("This copy of the website was built without a launch address (`make site "
                   "LAUNCH=...`), so its pages have no one-click launch link.")
    nav = (toctree("The notebooks", [f"{nav_title(lesson)} <{lesson.path.removesuffix('.ipynb')}>" for lesson in lessons])
           + toctree("For teachers", [f"docs/{d.stem}" for d in docs])
           + toctree("Sources", ["references"]))
    replacements = {"{{title}}": title, "{{intro}}": intro, "{{notebooks}}": notebooks,
                    "{{running}}": running, "{{running_anchor}}": RUNNING_ANCHOR, "{{toctrees}}": nav,
                    "{{teachers}}": " ".join(f"[{doc_title(d)}](docs/{d.name})" for d in docs)
                    or "The teacher's guide is not written yet."}
    page = template
    for key, value in replacements.items():
        page = page.replace(key, value)
    return page


def readme_links_to_landing(markdown: str) -> str:
    """A page of the guide with its links to README.md pointing at the landing page instead
    (on the website, the landing page is what README.md is in the repository)."""
    return re.sub(r"\]\((?:\.\./)?README\.md(#[^)\s]*)?\)",
                  lambda m: "](../index.md" + (m.group(1) if m.group(1) == "#the-notebooks" else "") + ")",
                  markdown)


def stage_linked_files(docs: list, docs_dir: Path, src: Path) -> set:
    """Copy the repository's files that the guide links to (``../Makefile``, a data file) into
    the staged project, where MyST turns such a link into a download.  Pages (``.md``,
    ``.ipynb``) are not copied: a link to one that is not on the site stays a build warning."""
    written = set()
    for doc in docs:
        for target in re.findall(r"\]\(([^)\s#]+)(?:#[^)\s]*)?\)", doc.read_text(encoding="utf-8")):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.endswith((".md", ".ipynb")):
                continue
            file = (docs_dir / urllib.parse.unquote(target)).resolve()
            if file.is_file() and file.is_relative_to(ROOT.resolve()) and ".git" not in file.parts:
                dest = src / "docs" / target
                dest = dest.resolve() if dest.resolve().is_relative_to(src.resolve()) else None
                if dest is not None:
                    write_if_changed(dest, file.read_bytes())
                    written.add(dest)
    return written


def doc_title(path: Path) -> str:
    match = re.search(r"^# +(.+)$", path.read_text(encoding="utf-8"), re.M)
    return match.group(1).strip() if match else path.stem.replace("_", " ")


# ----------------------------------------------------------------------------- files
def write_if_changed(path: Path, data) -> None:
    """Write ``data`` (str or bytes) unless the file already holds it (keeps Sphinx incremental)."""
    data = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def sync_tree(source: Path, dest: Path, keep=lambda rel: True) -> set:
    """Copy the files under ``source`` to ``dest`` (only those that changed); return their paths."""
    written = set()
    for file in sorted(source.rglob("*")):
        rel = file.relative_to(source)
        if file.is_file() and keep(rel.as_posix()):
            target = dest / rel
            if not target.exists() or target.stat().st_size != file.stat().st_size \
                    or target.read_bytes() != file.read_bytes():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, target)
            written.add(target)
    return written


def mathjax_dir() -> Path:
    """MathJax 3's browser components (``es5/``), from the package django-static-mathjax."""
    spec = importlib.util.find_spec("mathjax")
    for base in (spec.submodule_search_locations or []) if spec else []:
        es5 = Path(base) / "static" / "mathjax" / "es5"
        if (es5 / "tex-chtml.js").exists():
            return es5
    raise SiteError("MathJax is not installed: pip install -r requirements-site.txt "
                     "(the package django-static-mathjax holds MathJax's files)")


def remove_stale(root: Path, keep: set) -> None:
    """Delete files under ``root`` that this build did not write (renamed or removed sources)."""
    for file in sorted(root.rglob("*"), reverse=True):
        if file.is_file() and file not in keep:
            file.unlink()
        elif file.is_dir() and not any(file.iterdir()):
            file.rmdir()


# ----------------------------------------------------------------------------- the build
def stage(src: Path, launch: str, docs_dir: Path) -> list:
    """Write the Sphinx project to ``src``; return the notebooks' lessons in course order."""
    title, intro, table_parts, references = read_readme(ROOT / "README.md")
    lessons = table_parts[2]
    check_lessons(lessons, ROOT / "notebooks")
    written = set()

    def put(rel: str, data) -> None:
        write_if_changed(src / rel, data)
        written.add(src / rel)

    written |= sync_tree(SITE, src, keep=lambda rel: rel == "conf.py" or rel.startswith("_static/"))
    written |= sync_tree(mathjax_dir(), src / "_static" / "mathjax", keep=lambda rel: not MATHJAX_UNUSED.match(rel))
    put("_static/mathjax/LICENSE", (mathjax_dir().parent / "LICENSE").read_bytes())

    docs = sorted(docs_dir.glob("*.md"), key=lambda p: (p.stem != "teaching", p.stem)) if docs_dir.is_dir() else []
    for doc in docs:
        put(f"docs/{doc.name}", readme_links_to_landing(doc.read_text(encoding="utf-8")))
    if docs_dir.is_dir():  # pictures and other files the guide links to
        written |= sync_tree(docs_dir, src / "docs", keep=lambda rel: not rel.endswith(".md"))
        written |= stage_linked_files(docs, docs_dir, src)

    snapshots = src / "notebooks" / "_snapshots"
    for lesson in lessons:
        stored = ROOT / lesson.path
        nb = site_notebook(nbformat.read(stored, as_version=4), lesson, launch, snapshots)
        put(lesson.path, nbformat.writes(nb))
        put(f"_downloads_extra/{lesson.path}", stored.read_bytes())  # the file as stored, to download
    written |= set(snapshots.glob("*.png"))

    put("index.md", landing_page((SITE / "index.md").read_text(encoding="utf-8"), title, intro,
                                 table_parts, launch, docs))
    if references is not None:
        put("references.md", "# References\n\n" + references.strip() + "\n")
    else:
        put("references.md", (SITE / "references.md").read_bytes())
    remove_stale(src, written)
    return lessons


def build(out: Path, src: Path, launch: str = "", docs_dir: Path = ROOT / "docs",
          strict: bool = False, quiet: bool = False) -> None:
    """Stage the project in ``src`` and build the website into ``out``; ``strict``: a Sphinx
    warning (a broken link, a missing picture) fails the build, as in tests/test_site.py."""
    launch = check_launch(launch)
    started = time.monotonic()
    stage(src, launch, docs_dir)
    argv = [sys.executable, "-m", "sphinx", "-b", "html", "--doctree-dir", str(out.parent / "doctrees")]
    argv += ["--fail-on-warning", "--keep-going"] if strict else []
    argv += ["--quiet"] if quiet else []
    argv += [str(src), str(out)]
    result = subprocess.run(argv, cwd=ROOT, capture_output=quiet, text=True)
    if result.returncode:
        raise SiteError(f"Sphinx failed (exit {result.returncode})"
                        + (f":\n{result.stdout[-4000:]}{result.stderr[-8000:]}" if quiet else "; see its messages above"))
    if not quiet:
        print(f"built the course website in {time.monotonic() - started:.0f} s: open {out / 'index.html'}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--launch", default=os.environ.get(ENV_LAUNCH, ""),
                        help="launch URL with {path} (default: $%s, else no launch link)" % ENV_LAUNCH)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site" / "html",
                        help="the website (default build/site/html)")
    parser.add_argument("--src", type=Path, default=ROOT / "build" / "site" / "src",
                        help="where the Sphinx project is staged (default build/site/src)")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="the teacher's guide's folder (default docs)")
    parser.add_argument("--strict", action="store_true", help="fail on any Sphinx warning")
    args = parser.parse_args(argv)
    try:
        build(args.out, args.src, args.launch, args.docs, strict=args.strict)
    except SiteError as problem:
        sys.exit(f"make site: {problem}")


if __name__ == "__main__":
    main()
