# Quick start: `make demo` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench crash lock serve clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,serve]'
	touch $(STAMP)

demo: $(STAMP)
	rm -f data/demo.db data/demo.db-wal data/demo.db-shm
	$(BIN)/monitor run --replay data/archive/demo --db data/demo.db

# The core suite (on every core, pytest-xdist), then the tests that start servers, build wheels or kill
# processes (one at a time), each timed (see the README).
test: $(STAMP)
	$(BIN)/ruff check monitor pipelines tests bench
	@start=$$(date +%s); $(BIN)/python -m pytest -n auto --dist worksteal -m "not server and not crash and not install"; rc=$$?; \
	  echo "core suite: $$(( $$(date +%s) - start )) s"; exit $$rc
	@$(BIN)/python tests/browser_setup.py
	@start=$$(date +%s); $(BIN)/python -m pytest -m "server or crash or install"; rc=$$?; \
	  echo "server, crash and install tests: $$(( $$(date +%s) - start )) s"; exit $$rc

# Many kill -9 trials (a few minutes): the store must come through every one sound.
crash: $(STAMP)
	MONITOR_CRASH_TRIALS=25 $(BIN)/python -m pytest -m crash

# Pinned versions for every host (cron machines run the same ones): regenerate after changing pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra test --extra serve \
	  --output-file constraints.txt pyproject.toml

# Browse the demo store in Datasette on http://127.0.0.1:8001 (run `make demo` first).
serve: $(STAMP)
	$(BIN)/monitor serve --db data/demo.db

lint: $(STAMP)
	$(BIN)/ruff check monitor pipelines tests bench

# The other benchmarks, then the table of ratios against bare Scrapy (bench/throughput.py, which also runs
# bench/incremental_requests.py and writes bench/results/latest.md): under 10 minutes on two cores.
bench: $(STAMP)
	$(BIN)/python bench/maintext_f1.py
	$(BIN)/python bench/extract_eval.py
	$(BIN)/python bench/extract_speed.py
	$(BIN)/python bench/demo_run.py
	$(BIN)/python bench/hostile_input.py
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
