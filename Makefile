# r2kit: the two commands a new user needs.
#   make lab    set up (first time only) and open the workshop in JupyterLab at the start page
#   make test   set up (first time only) and run the whole test suite, as CI does
#   make app    set up (first time only) and open the workshop as a code-free app (Voila; docs/app.md)
#   make quick  while developing: ruff and the tests not marked slow, without nbval's notebook comparison
#               (about a minute; leaves out the Binder install, the wheel, papermill reports, the browser)
# Set-up is a virtual environment in .venv with r2kit and pinned dependencies (ci/constraints.txt).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.r2kit-installed
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# Jupyter and Voila find r2kit's Voila template (share/jupyter) in the checkout first, so an edit shows at once.
export JUPYTER_PATH := $(CURDIR)/share/jupyter$(if $(JUPYTER_PATH),:$(JUPYTER_PATH),)
# The app: r2kit's template (nothing from the network), no tracebacks, a plain instruction if a cell fails, and the
# page shown at once, its outputs filling in as its cells run (the first controls are ready about a second sooner).
# tests/test_browser_app.py and ci/benchmark.py read this line, so they run the app participants get.
APP_ARGS := --template=r2kit --show_tracebacks=False --VoilaConfiguration.progressive_rendering=True \
	--VoilaExecutor.cell_error_instruction="Please tell your facilitator."

.PHONY: lab app test quick bench notebooks setup clean

$(STAMP): pyproject.toml ci/constraints.txt
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "r2kit needs Python 3.10 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c ci/constraints.txt -e ".[workshop,test]"
	touch $(STAMP)

setup: $(STAMP)

# The file browser starts at the repository, so that the notebooks and the exercise sheets (exercises/) both open.
lab: $(STAMP)
	@echo "Opening the workshop at notebooks/00_start_here.ipynb; the file list on the left shows the notebooks"
	@echo "and exercises folders. If no browser window opens, copy the address that ends in a token into your"
	@echo "browser. Stop with Ctrl+C (twice)."
	$(BIN)/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir="$(CURDIR)" notebooks/00_start_here.ipynb

# The same notebooks as an app: the page shows text, lists, buttons and results, never code. It opens at the list of
# notebooks; each opens in its own tab (start with 00_start_here). tests/test_browser_app.py runs this server.
app: $(STAMP)
	@echo "Opening the workshop as an app at the list of notebooks: start with 00_start_here.ipynb."
	@echo "If no browser window opens, copy the address below into your browser. Stop with Ctrl+C."
	$(BIN)/voila notebooks $(APP_ARGS)

# Coverage is measured in the notebook kernels too (pyproject.toml: patch = subprocess); every module needs 85%.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/coverage erase
	$(BIN)/coverage run ci/run_notebooks.py
	$(BIN)/coverage run -m pytest
	$(BIN)/coverage combine --quiet
	$(BIN)/python ci/coverage_check.py

quick: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not slow" -p no:nbval -o addopts="-ra" tests

# Benchmarks print figures against their targets (not part of the test suite).
bench: $(STAMP)
	$(BIN)/python ci/benchmark.py

# After changing a notebook, the data or an analysis: refresh the results nbval compares, then commit.
notebooks: $(STAMP)
	$(BIN)/python ci/execute_notebooks.py
	rm -rf notebooks/outputs

clean:
	rm -rf $(VENV) build dist
