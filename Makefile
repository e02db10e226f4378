# parlib: `make help` lists the targets. Every target creates .venv on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PARLIB := $(VENV)/bin/parlib
STAMP := $(VENV)/.parlib-installed

.PHONY: help setup demo test data bench clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	$(PY) -m ipykernel install --sys-prefix --name parlib --display-name "Python (parlib)" > /dev/null
	touch $(STAMP)

setup: $(STAMP) ## create .venv with parlib, its dependencies and the 'parlib' Jupyter kernel

demo: $(STAMP) ## the main job on the bundled data: Hưng Yên's scores 2021-2022 with sources
	$(PARLIB) scores "Hưng Yên" --years 2021-2022

test: $(STAMP) ## run the whole test suite (unit, invariants on real data, hygiene, doctests)
	$(PY) -m pytest

data: $(STAMP) ## maintainers: rebuild data/ from ../shared/data-raw (not needed to use parlib)
	$(PY) tools/build_pci.py > /dev/null
	$(PY) tools/build_geo.py
	$(PY) tools/build_data.py

bench: $(STAMP) ## run the benchmarks in benchmarks/
	for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b; done

clean: ## remove .venv and generated reports
	rm -rf $(VENV) reports/*/ .pytest_cache
