# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test ingest bench eval clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# torch first, pinned: pip then takes the CPU build on disk instead of a CUDA one.
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

ingest: $(STAMP)
	$(PY) -m ingest --if-stale

run: ingest
	$(PY) -m bot run

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -q

eval: ingest
	$(PY) -m bot eval

bench: ingest
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) data
