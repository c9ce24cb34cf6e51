# Backprop Lab. Two commands do everything on a fresh machine:
#   make lab    set up .venv and open the notebooks in JupyterLab (localhost, with a token)
#   make test   set up .venv and run every test (unit, property, notebooks, browser, website,
#               grading with nbgrader, and the notebooks against a non-editable install:
#               make install-check)
# Others: make notebooks (regenerate stored outputs), make bench, make app, make reproduce,
#         make student (the notebooks without their worked solutions, in student/),
#         make site (the course website, in build/site/html; LAUNCH=... sets its launch links),
#         make grading-check (nbgrader releases and autogrades every notebook; make test: two).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BROWSER_STAMP := $(VENV)/.browser-installed
SITE_STAMP := $(VENV)/.site-installed
GRADING_VENV  := build/grading
GRADING_STAMP := $(GRADING_VENV)/.installed
PORT   ?= 8888
# make app: STUDENTS kernels are kept warm; APP_IP=0.0.0.0 serves the students' laptops.
STUDENTS ?= 30
APP_PORT ?= 8866
APP_IP   ?= 127.0.0.1

.PHONY: setup lab test unit nbval install-check notebooks bench app reproduce student browser site-deps site \
        grading-deps grading-check clean

# The venv is rebuilt when it is missing or broken, and reinstalled when the requirements change.
$(STAMP): requirements.txt pyproject.toml
	@if ! $(BIN)/python -c "import sys" >/dev/null 2>&1; then \
	    rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

# JupyterLab on 127.0.0.1 with its token; --allow-root when run as root (containers); no news pop-up.
lab: setup
	$(BIN)/python scripts/lab_session.py lab --port $(PORT) --root notebooks

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

# nbgrader (requirements-grading.txt: requirements.txt and nbgrader, as a grading hub installs
# them) in a venv of its own, so that its Jupyter server and lab extensions stay out of .venv
# and `make lab`; tests/test_grading.py runs nbgrader from there.
$(GRADING_STAMP): requirements-grading.txt requirements.txt pyproject.toml
	@if ! $(GRADING_VENV)/bin/python -c "import sys" >/dev/null 2>&1; then \
	    rm -rf $(GRADING_VENV) && $(PYTHON) -m venv $(GRADING_VENV); fi
	$(GRADING_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(GRADING_VENV)/bin/python -m pip install --quiet -r requirements-grading.txt
	touch $(GRADING_STAMP)

grading-deps: $(GRADING_STAMP)

test: setup browser site-deps grading-deps
	$(BIN)/python -m pytest
	$(MAKE) install-check

unit: setup
	$(BIN)/python -m pytest tests

nbval: setup
	$(BIN)/python -m pytest notebooks

# The library installed for real (pip install ., not editable) and the notebooks copied away
# from the repository, as on a hub or a student's laptop: a fresh venv in build/install-check
# gets the package, built from a clean copy of the sources (no build/ or *.egg-info left over
# from earlier builds), and the notebook runner at the versions of requirements.txt; copies
# of the notebooks, with no data/ or figures/ next to them, then run under strict nbval in
# that venv's kernel.  INSTALL_NOTEBOOKS picks other notebooks.
INSTALL_VENV      := build/install-check
INSTALL_NOTEBOOKS ?= notebooks/[0-9]*.ipynb tests/notebooks/installed_library.ipynb
install-check: setup
	rm -rf $(INSTALL_VENV)
	$(PYTHON) -m venv $(INSTALL_VENV)
	mkdir -p $(INSTALL_VENV)/src
	tar -c --exclude=__pycache__ --exclude='*.egg-info' pyproject.toml README.md lib data | tar -x -C $(INSTALL_VENV)/src
	$(INSTALL_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(INSTALL_VENV)/bin/python -m pip install --quiet ./$(INSTALL_VENV)/src \
	    $$(grep -E '^(ipykernel|nbval|pytest)\b' requirements.txt)
	mkdir -p $(INSTALL_VENV)/notebooks
	cp $(INSTALL_NOTEBOOKS) notebooks/sanitize.cfg $(INSTALL_VENV)/notebooks/
	printf '[pytest]\naddopts = --nbval --nbval-current-env --nbval-sanitize-with sanitize.cfg --nbval-cell-timeout=120 -p no:cacheprovider\nfilterwarnings = error::RuntimeWarning\n' \
	    > $(INSTALL_VENV)/notebooks/pytest.ini
	cd $(INSTALL_VENV)/notebooks && ../bin/python -c "import backproplab, sys; \
	    sys.exit(None if '/site-packages/' in backproplab.__file__ else 'not a non-editable install: ' + backproplab.__file__)"
	cd $(INSTALL_VENV)/notebooks && ../bin/python -m pytest

# Re-execute every notebook in a fresh kernel and store its outputs (nbclient: what
# JupyterLab's "Restart and run all" does) with its nbgrader metadata (derived from its
# exercises by scripts/nbgrader_metadata.py), then check them with strict nbval.
notebooks: setup
	$(BIN)/python scripts/run_notebooks.py notebooks/[0-9]*.ipynb
	$(BIN)/python -m pytest notebooks

# Every benchmarks/bench_*.py, the classroom app's load test (bench_app_load.py) included.
bench: setup browser
	$(BIN)/python benchmarks/run_all.py

# The classroom app: the training explorer and the sensitivity widget as a Voila web app,
# with a token, a warm kernel for each of STUDENTS, on APP_IP:APP_PORT (README: Running a class).
app: setup
	$(BIN)/python scripts/serve_app.py --students $(STUDENTS) --ip $(APP_IP) --port $(APP_PORT)

# Higham & Higham's full run (10^6 SGD iterations); writes the figures in figures/ and
# the run's numbers in data/higham_full_run.json (read by backproplab.data.load_full_run).
reproduce: setup
	$(BIN)/python scripts/reproduce_higham.py

# The student version: each exercise's worked solution replaced by a stub, outputs cleared.
student: setup
	$(BIN)/python scripts/student_version.py

# nbgrader on every notebook: generate_assignment gives make student's version, and autograde
# gives full marks to the worked solutions, zero to the stubs and loses one point for one wrong
# answer (tests/test_grading.py; make test autogrades two notebooks only, to stay quick).
grading-check: setup grading-deps
	BACKPROPLAB_GRADE_ALL=1 $(BIN)/python -m pytest tests/test_grading.py

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
	rm -rf $(VENV) .pytest_cache .hypothesis build/site $(GRADING_VENV)
