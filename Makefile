# dachuan (打传 案件办理系统) -- build / run / test entry points.
#
#   make run     install what is missing, migrate, load demo data, start the app
#   make test    install test prerequisites, run the whole suite
#
# Everything below can be overridden on the command line, e.g.
#   make test PYTEST_ARGS='-x -k timers'
#   make bench BENCH_ARGS='--cases 200 --pg postgresql+psycopg://u@127.0.0.1/db'

PYTHON      ?= python3
VENV        ?= .venv
PYTEST_ARGS ?=
BENCH_ARGS  ?= --cases 200
LOAD_ARGS   ?= --seconds 30

VENV_PY     := $(VENV)/bin/python
DACHUAN     := $(VENV)/bin/dachuan
STAMP       := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help venv run test bench check-bpmn clean distclean deps-run deps-test

help:
	@echo "make run         install missing pieces, migrate, load demo data, start web app + timer worker"
	@echo "make test        install test prerequisites (Chromium, PostgreSQL, ...) and run pytest"
	@echo "make bench       run the benchmarks in bench/ (engine: $(BENCH_ARGS))"
	@echo "make check-bpmn  validate the diagrams under bpmn/"
	@echo "make venv        create/refresh $(VENV) (pip install -e '.[test]')"
	@echo "make clean       remove caches and build output (keeps $(VENV) and instance/)"
	@echo "make distclean   clean + remove $(VENV)"

# --- virtualenv -------------------------------------------------------------

venv: $(STAMP)

$(VENV_PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the packaging metadata changes.
$(STAMP): setup.cfg pyproject.toml | $(VENV_PY)
	$(VENV_PY) -m pip install -q --upgrade pip
	$(VENV_PY) -m pip install -q -e '.[test]'
	touch $@

# --- system packages (Debian) ---------------------------------------------

deps-run:
	PYTHON=$(PYTHON) scripts/system_deps.sh run

deps-test:
	PYTHON=$(PYTHON) scripts/system_deps.sh test

# --- main targets -----------------------------------------------------------
# Steps run in order inside the recipe (not as parallel prerequisites), so
# `make -j` cannot start pip before the system packages are in place.

run:
	@$(MAKE) --no-print-directory deps-run
	@$(MAKE) --no-print-directory venv
	$(DACHUAN) migrate
	$(DACHUAN) load-demo
	$(DACHUAN) run

test:
	@$(MAKE) --no-print-directory deps-test
	@$(MAKE) --no-print-directory venv
	$(VENV_PY) -m pytest $(PYTEST_ARGS)

bench:
	@$(MAKE) --no-print-directory deps-run
	@$(MAKE) --no-print-directory venv
	$(VENV_PY) bench/engine.py $(BENCH_ARGS)
	$(VENV_PY) bench/notices.py
	$(VENV_PY) bench/load.py $(LOAD_ARGS)

check-bpmn:
	@$(MAKE) --no-print-directory venv
	$(DACHUAN) check-bpmn

# --- cleaning -----------------------------------------------------------------
# instance/ (the SQLite database of `make run`) is deliberately kept.

clean:
	rm -rf build dist .pytest_cache test-output *.egg-info
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
