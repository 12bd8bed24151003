# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test ingest bench eval clean lock

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# torch first, pinned: pip then takes the CPU build on disk instead of a CUDA one.
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	# The versions CI tested (requirements.lock), then the project itself without resolving.
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# After changing pyproject.toml's dependencies: freeze a clean install of '.[test]' into the lock.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet torch==2.13.0
	.lock-venv/bin/python -m pip install --quiet '.[test]'
	head -n 3 requirements.lock > requirements.lock.tmp
	.lock-venv/bin/python -m pip freeze --exclude careerbot >> requirements.lock.tmp
	mv requirements.lock.tmp requirements.lock
	rm -rf .lock-venv build

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
