# MobileNet v1 Lab. Two commands: `make book` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Bytecode, written once: the venvs are installed with --no-compile (pip would compile every file
# of every package), so Python compiles a module when a process first imports it and keeps the
# result, under _build/pycache (the sources stay clean). An environment that sets
# PYTHONDONTWRITEBYTECODE (this machine's does) would make every process compile torch, matplotlib
# and the rest again: about 3.5 s more per Python process, and make test starts hundreds of them
# (kernels, otter runs, subprocess tests): the graded submissions took 172 s instead of 79 s.
unexport PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX := $(CURDIR)/_build/pycache
NOTEBOOKS := $(sort $(wildcard book/*.ipynb))
NBVAL := $(BIN)/python -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

NPM := _build/npm
VENDOR_STAMP := $(NPM)/.vendored
VENDOR := _build/vendor/vendor
WIDGET_FONTS := _build/vendor-extra/book/@jupyter-widgets
EDITIONS := _build/notebooks
DEMO := _build/demo-extra/demo/demo.json
CHROMIUM ?= /usr/bin/chromium
BOOK_BUILD := $(BIN)/jupyter-book build . -W -n --keep-going
# The Korean site (issue 13): the same sources, translated by locale/ko/LC_MESSAGES/*.po.
TRANSLATION := $(BIN)/python -m booktools.translation
KO_BUILD := $(TRANSLATION) html --language ko -W
# Its outputs: the Korean reader edition, run as the Colab-faithful run runs it (`make colab` runs
# it too, with the English reader edition under nbval and the Korean student edition).
KO_OUTPUTS := $(BIN)/python -m booktools.colab_faithful --editions ko-reader
# $(call beside,FIRST,LOG,SECOND): FIRST in the background (its output into LOG, shown once both
# are done) beside SECOND; fails when either fails. Each pair leaves a core idle when run in turn.
beside = mkdir -p $(dir $(2)) && ( $(1) ) > $(2) 2>&1 & first=$$!; $(3); second=$$?; \
	wait $$first; first=$$?; cat $(2); echo "$(notdir $(2)): exit $$first; beside it: exit $$second"; \
	test $$first = 0 && test $$second = 0

.PHONY: book test lint unit nbval build-check notebooks student student-test colab browser \
	browser-deps vendor execute cuda-smoke clean lock demo-models translations assignments grading \
	publish publish-test published-test

# Create the virtual environment and install the pinned lock (and the package, editable).
$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	@# --no-compile: no bytecode for every file of every package now (half the install time);
	@# Python compiles what it imports, when it first imports it.
	$(BIN)/python -m pip install -q --no-compile -r requirements.txt
	@touch $(STAMP)

## Build the HTML book into _build/html (executes every notebook; serves its own JavaScript),
## then the Korean site into _build/html/ko (locale/ko; renders the outputs of the Korean reader
## edition, run here as in `make colab`).
book: $(STAMP) vendor notebooks demo-models
	$(BOOK_BUILD)
	$(KO_OUTPUTS)
	$(KO_BUILD)
	@echo; echo "Book built: open $(CURDIR)/_build/html/index.html (한국어: _build/html/ko/index.html)"

## Lint, unit tests, the graded assignments, the Colab-faithful run (every chapter's English reader
## edition under nbval, strict, against the committed outputs; its Korean reader and student
## editions), the book builds with warnings as errors, the publish tree (its link test, the Colab
## path of a graded notebook), the editions' tests and the offline browser test of the built site.
test: lint unit grading colab build-check publish notebooks vendor browser-deps
	@# the publish tree's and the editions' tests (one process) beside the browser test: each
	@# leaves much of the second core idle; the pytest output follows the browser test's
	$(call beside,$(PUBLISHED_TESTS),_build/published-test.log,$(BROWSER_TESTS))
	@echo; echo "make test: all checks passed"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## The unit tests, two processes at once (pytest-xdist, a test file per process): 81 s instead of
## about 150 s on two cores.
unit: $(STAMP) demo-models
	$(BIN)/python -m pytest -p no:cacheprovider -q --durations=8 -n 2 --dist loadfile tests \
		--ignore=tests/test_student_edition.py \
		--ignore=tests/test_notebook_editions.py --ignore=tests/test_assignments.py \
		--ignore=tests/test_korean_outputs.py --ignore=tests/test_publish.py \
		--ignore=tests/test_colab_grading.py

## nbval (strict) on the MyST notebooks themselves, in .venv (`make test` runs nbval on the reader
## edition in the Colab-faithful environment instead: the same code cells and committed outputs).
nbval: $(STAMP)
	@if [ -n "$(NOTEBOOKS)" ]; then $(NBVAL) -q -n 2 --dist loadscope $(NOTEBOOKS); \
	else echo "no notebooks yet"; fi

## The -W build of `make test`. The Colab-faithful run has just re-executed every chapter and
## compared its outputs (glued values included) with the committed ones, so this build renders those
## outputs instead of executing every chapter again (BOOK_COMMITTED_OUTPUTS=1, see
## booktools/sphinxext/book_site.py; `make book` always executes).
## The Korean build runs beside the English one (each keeps one core busy) and is copied into
## _build/html/ko/ once both are done; its log follows the English build's.
build-check: $(STAMP) vendor notebooks demo-models
	rm -rf _build/html _build/jupyter_execute _build/.doctrees _build/ko
	$(call beside,$(TRANSLATION) build --language ko -W,_build/ko-build.log,\
		BOOK_COMMITTED_OUTPUTS=$(or $(BOOK_COMMITTED_OUTPUTS),1) $(BOOK_BUILD))
	$(TRANSLATION) install --language ko

## The notebook editions for Colab and Jupyter, in plain Markdown: _build/notebooks/reader/
## (solutions folded) and _build/notebooks/student/ (solutions stubbed, zipped for the book);
## the Korean ones in _build/notebooks/ko/, written beside the English ones.
notebooks: $(STAMP)
	$(call beside,$(BIN)/python -m booktools.editions --out $(EDITIONS) --language ko,\
		_build/ko-editions.log,$(BIN)/python -m booktools.editions --out $(EDITIONS))
student: notebooks

## Both editions: no MyST residue, every glued value present, links into the built site resolve;
## every checker passes in the reader edition and says "not done yet" in the student one (the
## Korean student notebooks as `make colab` ran them, else executed here); the Korean editions and
## site: Korean figures, comments and outputs, no more English than the baseline of each chapter.
EDITION_TESTS := tests/test_notebook_editions.py tests/test_student_edition.py \
	tests/test_korean_outputs.py
student-test: $(STAMP) notebooks
	$(BIN)/python -m pytest -p no:cacheprovider -q $(EDITION_TESTS)

## Graded assignments (otter-grader), one per chapter with exercises, in _build/assignments/:
## <chapter>/dist/student/ (notebook + public tests) and <chapter>/dist/autograder/*.zip (Gradescope,
## with the package's wheel), and ko/<chapter>/ (the Korean notebooks, graded by the same zip).
## Rebuilt only when their inputs changed.
assignments: $(STAMP)
	$(BIN)/python -m booktools.assignments --out _build/assignments

## Grade every assignment with `otter run` (no Docker): the reference solutions score full marks,
## the student notebooks 0, one wrong answer per chapter loses exactly its points.
grading: $(STAMP) assignments
	$(BIN)/python -m pytest -p no:cacheprovider -q --durations=8 tests/test_assignments.py

## What goes public, and nothing else (booktools/publish.py): _build/publish/site/ (the Pages site,
## both languages, the demo) and _build/publish/notebooks/ (the notebooks branch: both editions in
## both languages, the graded notebooks with their public tests, the zips, a README), then the link
## test over both (a dead link fails). The site is _build/html as built: `make book` (every chapter
## executed) builds it when there is none; `make test` publishes its -W build.
publish: $(STAMP) notebooks assignments
	@test -f _build/html/index.html || $(MAKE) book
	$(BIN)/python -m booktools.publish

## The publish tree's tests: its layout, the link test (and that it catches a removed folder), and
## the Colab path of a graded notebook in English and Korean (opened alone, its tests fetched from a
## loopback stand-in for the notebooks branch, graded by grader.check_all()).
PUBLISH_TESTS := tests/test_publish.py tests/test_colab_grading.py
publish-test: $(STAMP) publish
	$(BIN)/python -m pytest -p no:cacheprovider -q $(PUBLISH_TESTS)

## Both at once, as `make test` runs them (beside the browser test).
PUBLISHED_TESTS := $(BIN)/python -m pytest -p no:cacheprovider -q --durations=8 $(PUBLISH_TESTS) $(EDITION_TESTS)
published-test: $(STAMP) publish notebooks
	$(PUBLISHED_TESTS)

## The notebook editions (what Colab users open), copied out of the repo, in a venv with only torch,
## the tooling and the package's wheel: the English reader edition under nbval, the Korean reader
## edition run (the Korean site renders its outputs) and the Korean student edition run and saved
## for student-test; one thread per notebook, two at once.
colab: $(STAMP) notebooks
	$(BIN)/python -m booktools.colab_faithful

## Every notebook on a CUDA GPU (says so and stops when there is none).
cuda-smoke: $(STAMP)
	$(BIN)/python -m booktools.cuda_smoke

## MathJax, require.js, the widget manager (served by the site) and playwright-core, from npm.
vendor: $(VENDOR_STAMP)
$(VENDOR_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is required: apt-get install -y nodejs npm"; exit 1; }
	mkdir -p $(NPM) && cp package.json package-lock.json $(NPM)/
	cd $(NPM) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf _build/vendor _build/vendor-extra && mkdir -p $(VENDOR)/mathjax $(VENDOR)/html-manager
	cp $(NPM)/node_modules/requirejs/require.js $(VENDOR)/
	cd $(NPM)/node_modules/mathjax/es5 && cp -r tex-mml-chtml.js input output ui a11y adaptors sre \
		$(CURDIR)/$(VENDOR)/mathjax/
	cp $(NPM)/node_modules/@jupyter-widgets/html-manager/dist/embed-amd.js $(VENDOR)/html-manager/
	@# The widget manager's bundle loads its icon fonts from the folder of the AMD module that
	@# declares them, which require.js resolves relative to the page (widgets are on book/*.html):
	@# `@jupyter-widgets/controls` (and base, html-manager) → book/@jupyter-widgets/, and
	@# `@jupyter-widgets/html-manager/dist/libembed-amd` → book/@jupyter-widgets/html-manager/dist/.
	@# The browser test loads every declared font, so both folders are checked.
	for dir in $(WIDGET_FONTS) $(WIDGET_FONTS)/html-manager/dist; do mkdir -p $$dir && \
		cp $(NPM)/node_modules/@jupyter-widgets/html-manager/dist/*.{woff,woff2,ttf,eot,svg} $$dir/; \
	done
	@# onnxruntime-web for the demo page: its WebAssembly build only (one thread, no WebGPU).
	mkdir -p $(VENDOR)/onnxruntime-web
	cd $(NPM)/node_modules/onnxruntime-web/dist && cp ort.wasm.min.js ort-wasm-simd-threaded.mjs \
		ort-wasm-simd-threaded.wasm $(CURDIR)/$(VENDOR)/onnxruntime-web/
	@touch $@

## The demo page's networks: chapter 8's recipe trained and exported to ONNX (never committed).
demo-models: $(DEMO)
$(DEMO): $(STAMP) booktools/demo_models.py $(wildcard mobilenet_lab/*.py)
	$(BIN)/python -m booktools.demo_models --out $(dir $@)

## Open every page of the built book in headless Chromium, offline (build it first). What the
## test needs to know about the book (chapters, languages, Colab links) comes from the chapter
## registry, booktools/book.py, as _build/book.json.
BROWSER_TESTS := $(BIN)/python -m booktools.book --json _build/book.json && \
	CHROMIUM=$(CHROMIUM) node tests/browser/check_site.mjs _build/html _build/screenshots && \
	CHROMIUM=$(CHROMIUM) node tests/browser/check_demo.mjs _build/html _build/screenshots && \
	CHROMIUM=$(CHROMIUM) node tests/browser/check_demo.mjs _build/html _build/screenshots \
		ko/book/demo.html
browser: $(STAMP) vendor browser-deps
	@test -f _build/html/index.html || $(MAKE) build-check
	export BROWSER_SHOTS=all; $(BROWSER_TESTS)

## Debian's chromium, and fonts for the Korean glossary and the checkers' ✅ ❌ ⏳ in screenshots.
browser-deps:
	@test -x $(CHROMIUM) || (apt-get update && apt-get install -y chromium)
	@fc-list :lang=ko | grep -q . && fc-list | grep -qi emoji || \
		(apt-get update && apt-get install -y fonts-nanum fonts-noto-color-emoji)

## Re-execute every notebook in place (after editing one), so committed outputs stay current;
## then run its Korean editions as `make colab` does and keep the runs in locale/ko/runs/ (the
## Korean site and notebooks show the reader run; `make test` reuses a committed run of the same
## code and inputs instead of running it again, see booktools/colab_faithful.py).
execute: $(STAMP)
	$(BIN)/python -m booktools.execute $(or $(NB),$(NOTEBOOKS))
	$(MAKE) notebooks
	$(BIN)/python -m booktools.colab_faithful --editions ko-reader,ko-student --commit \
		$(notdir $(or $(NB),$(NOTEBOOKS)))

## After editing English prose: extract the strings again and update locale/ko/LC_MESSAGES/*.po
## (changed strings become fuzzy; tests/test_translation.py fails until they are translated);
## the same for the package's own words (checker feedback, quizzes: mobilenet_lab.po, compiled
## into mobilenet_lab/locale/; tests/test_i18n.py fails until they are translated); then the teacher
## page's translated answer key and the chapters' quiz outputs follow the quizzes.
translations: $(STAMP)
	$(BIN)/python -m booktools.messages
	$(BIN)/python -m booktools.translation gettext --language ko
	$(BIN)/python -m booktools.quiz_outputs

lock:
	$(BIN)/python -m pip freeze --exclude-editable | sed 's/+cpu//' > requirements.txt.new
	@echo "review requirements.txt.new, add '-e .' and replace requirements.txt"

clean:
	rm -rf _build
