"""Sphinx configuration of the course website (``make site``; see scripts/build_site.py).

scripts/build_site.py copies this file into the staged project (build/site-src/) with the
notebooks, the landing page made from README.md, the teacher's guide and the references.
"""
project = "Backprop Lab"
author = "The Backprop Lab developers"
copyright = "The Backprop Lab developers, MIT licence"

extensions = ["myst_nb", "sphinx.ext.githubpages"]  # githubpages: writes .nojekyll, so GitHub Pages serves _static/
root_doc = "index"
exclude_patterns = ["_downloads_extra", "_static", "**/.ipynb_checkpoints"]

# --- notebooks: shown with their stored outputs, never executed -------------------------
nb_execution_mode = "off"
nb_ipywidgets_js = {}              # no widget JavaScript (it would come from a CDN): widgets are snapshots
nb_render_markdown_format = "myst"  # a snapshot's figure and caption are a MyST figure directive
nb_merge_streams = True            # consecutive prints as one block, as JupyterLab shows them
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
myst_dmath_double_inline = True    # $$...$$ inside a paragraph is display math, as in JupyterLab

# --- math: MathJax 3 from the site itself (build_site.py copies it to _static/mathjax/) --
mathjax_path = "mathjax/tex-chtml.js"

# --- theme --------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Backprop Lab"
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_extra_path = ["_downloads_extra"]   # each notebook as stored, next to its page, to download
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_context = {"default_mode": "light"}
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    "use_download_button": False,   # each notebook page has its own download link
    "use_fullscreen_button": True,  # for projecting
    "use_repository_button": False,
    "use_source_button": False,
    "use_issues_button": False,
    "navigation_with_keys": False,
}
