# parlib: `make help` lists the targets. Every target creates .venv on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PARLIB := $(VENV)/bin/parlib
STAMP := $(VENV)/.parlib-installed

.PHONY: help setup demo report overview lab notebooks test lint data bench clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	$(PY) -m ipykernel install --sys-prefix --name parlib --display-name "Python (parlib)" > /dev/null
	touch $(STAMP)

setup: $(STAMP) ## create .venv with parlib, its dependencies and the 'parlib' Jupyter kernel

demo: $(STAMP) ## the main job: render Hưng Yên's 2022 assessment report (Vietnamese) and print its path
	$(PARLIB) report "Hưng Yên" --year 2022 --lang vi

report: $(STAMP) ## render one report: make report PROVINCE="Quảng Ninh" YEAR=2023 LANG_=en
	$(PARLIB) report "$(PROVINCE)" --year $(YEAR) --lang $(or $(LANG_),en)

overview: $(STAMP) ## render the national overview: make overview YEAR=2022 LANG_=vi
	$(PARLIB) overview --year $(YEAR) --lang $(or $(LANG_),en)

lab: $(STAMP) ## open JupyterLab on the notebooks
	$(VENV)/bin/jupyter lab notebooks/

notebooks: $(STAMP) ## re-pair notebooks/*.ipynb from their .py (jupytext), without outputs
	for f in notebooks/*.py; do $(VENV)/bin/jupytext --to ipynb "$$f" -q; done

test: $(STAMP) ## lint and format check (ruff), then the whole test suite (unit, real data, hygiene, doctests)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest

lint: $(STAMP) ## fix what ruff can fix and format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

data: $(STAMP) ## maintainers: rebuild data/ from ../shared/data-raw (not needed to use parlib)
	$(PY) tools/build_pci.py > /dev/null
	$(PY) tools/build_geo.py
	$(PY) tools/build_data.py
	$(PY) tools/build_coverage.py

bench: $(STAMP) ## run the benchmarks in benchmarks/
	for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b; done

clean: ## remove .venv and generated reports
	rm -rf $(VENV) reports/*/ .pytest_cache
