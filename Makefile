# Backprop Lab. Two commands do everything on a fresh machine:
#   make lab    set up .venv and open the notebooks in JupyterLab (localhost, with a token)
#   make test   set up .venv and run every test (unit, property, notebooks, browser)
# Others: make notebooks (regenerate stored outputs), make bench, make app, make reproduce,
#         make student (the notebooks without their worked solutions, in student/),
#         make site (the course website, in build/site/html; LAUNCH=... sets its launch links).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BROWSER_STAMP := $(VENV)/.browser-installed
SITE_STAMP := $(VENV)/.site-installed
PORT   ?= 8888

.PHONY: setup lab test unit nbval notebooks bench app reproduce student browser site-deps site clean

# The venv is rebuilt when it is missing or broken, and reinstalled when the requirements change.
$(STAMP): requirements.txt pyproject.toml
	@if ! $(BIN)/python -c "import sys" >/dev/null 2>&1; then \
	    rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

lab: setup
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) --ServerApp.root_dir=notebooks

# Chromium (Debian's package) and Playwright, for tests/test_browser.py.
$(BROWSER_STAMP): requirements-browser.txt scripts/ensure_browser.sh $(STAMP)
	bash scripts/ensure_browser.sh
	$(BIN)/python -m pip install --quiet -r requirements-browser.txt
	@# no stamp while Chromium is missing, so the next run tries to install it again
	@if [ -x /usr/bin/chromium ]; then touch $(BROWSER_STAMP); fi

browser: $(BROWSER_STAMP)

# Sphinx, MyST-NB, the theme and MathJax, for make site and tests/test_site.py.
$(SITE_STAMP): requirements-site.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-site.txt
	touch $(SITE_STAMP)

site-deps: $(SITE_STAMP)

test: setup browser site-deps
	$(BIN)/python -m pytest

unit: setup
	$(BIN)/python -m pytest tests

nbval: setup
	$(BIN)/python -m pytest notebooks

# Re-execute every notebook in a fresh kernel and store its outputs (nbclient: what
# JupyterLab's "Restart and run all" does), then check them with strict nbval.
notebooks: setup
	$(BIN)/python scripts/run_notebooks.py notebooks/[0-9]*.ipynb
	$(BIN)/python -m pytest notebooks

bench: setup
	$(BIN)/python benchmarks/run_all.py

# The classroom app: the training explorer and the sensitivity widget as a Voila web app
# on localhost, with a token.
app: setup
	$(BIN)/python scripts/serve_app.py

# Higham & Higham's full run (10^6 SGD iterations); writes the figures in figures/.
reproduce: setup
	$(BIN)/python scripts/reproduce_higham.py

# The student version: each exercise's worked solution replaced by a stub, outputs cleared.
student: setup
	$(BIN)/python scripts/student_version.py

# The course website from the stored notebooks (nothing is executed), in build/site/html:
# open build/site/html/index.html, or publish that folder. The one setting is LAUNCH, where
# each page's "Launch this notebook" link goes: a URL with {path} for the notebook's path in
# the repository. Binder:
#   make site LAUNCH='https://mybinder.org/v2/gh/OWNER/REPO/main?urlpath=lab/tree/{path}'
# a JupyterHub, through nbgitpuller:
#   make site LAUNCH='https://HUB/hub/user-redirect/git-pull?repo=https://github.com/OWNER/REPO&branch=main&urlpath=lab/tree/REPO/{path}'
# Left empty, the link says how to run the notebooks instead.
LAUNCH ?=
site: export BACKPROPLAB_LAUNCH = $(LAUNCH)
site: $(SITE_STAMP)
	$(BIN)/python scripts/build_site.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build/site
