# Backprop Lab. Two commands do everything on a fresh machine:
#   make lab    set up .venv and open the notebooks in JupyterLab (localhost, with a token)
#   make test   set up .venv and run every test (unit, property, notebooks, browser)
# Others: make notebooks (regenerate stored outputs), make bench, make app, make reproduce,
#         make student (the notebooks without their worked solutions, in student/).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BROWSER_STAMP := $(VENV)/.browser-installed
PORT   ?= 8888
# make app: STUDENTS kernels are kept warm; APP_IP=0.0.0.0 serves the students' laptops.
STUDENTS ?= 30
APP_PORT ?= 8866
APP_IP   ?= 127.0.0.1

.PHONY: setup lab test unit nbval notebooks bench app reproduce student browser clean

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

test: setup browser
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

# Every benchmarks/bench_*.py, the classroom app's load test (bench_app_load.py) included.
bench: setup browser
	$(BIN)/python benchmarks/run_all.py

# The classroom app: the training explorer and the sensitivity widget as a Voila web app,
# with a token, a warm kernel for each of STUDENTS, on APP_IP:APP_PORT (README: Running a class).
app: setup
	$(BIN)/python scripts/serve_app.py --students $(STUDENTS) --ip $(APP_IP) --port $(APP_PORT)

# Higham & Higham's full run (10^6 SGD iterations); writes the figures in figures/.
reproduce: setup
	$(BIN)/python scripts/reproduce_higham.py

# The student version: each exercise's worked solution replaced by a stub, outputs cleared.
student: setup
	$(BIN)/python scripts/student_version.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
