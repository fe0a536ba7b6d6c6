# MobileNet v1 Lab. Two commands: `make book` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard book/*.ipynb))
NBVAL := $(BIN)/python -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

.PHONY: book test lint unit nbval build-check clean lock

# Create the virtual environment and install the pinned lock (and the package, editable).
$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	@touch $(STAMP)

## Build the HTML book into _build/html (executes every notebook).
book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo; echo "Book built: open $(CURDIR)/_build/html/index.html"

## Lint, unit tests, nbval (strict) on every notebook, and the book build with warnings as errors.
test: lint unit nbval build-check
	@echo; echo "make test: all checks passed"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider -q tests

nbval: $(STAMP)
	@if [ -n "$(NOTEBOOKS)" ]; then $(NBVAL) -q $(NOTEBOOKS); else echo "no notebooks yet"; fi

build-check: $(STAMP)
	rm -rf _build/html _build/jupyter_execute
	$(BIN)/jupyter-book build . -W -n --keep-going

## Re-execute every notebook in place (after editing one), so committed outputs stay current.
execute: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py $(or $(NB),$(NOTEBOOKS))

lock:
	$(BIN)/python -m pip freeze --exclude-editable | sed 's/+cpu//' > requirements.txt.new
	@echo "review requirements.txt.new, add '-e .' and replace requirements.txt"

clean:
	rm -rf _build
