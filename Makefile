# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000
BASE   ?= http://$(HOST):$(PORT)/

.PHONY: setup build run test test-fast lint bench clean browser stores

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The query page's YASGUI, installed from the lock file; again whenever node_modules is missing or
# package.json / package-lock.json change.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

setup: $(STAMP) node_modules/.installed

# The browser test drives Debian's chromium (never a browser downloaded by Playwright).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; }

# The remote-store tests run a real Virtuoso: Debian's virtuoso-opensource, installed without questions
# (each test starts its own on a fresh database, whose account is dba/dba; the package's own service is
# not used, and a container's policy keeps it from starting).
stores:
	@command -v virtuoso-t >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtuoso-opensource; }

build: setup
	$(BIN)/election-kg build

# Built for the address it serves (BASE), so that every IRI on the pages dereferences here.
run: setup
	$(BIN)/election-kg build --base $(BASE)
	$(BIN)/election-kg serve --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check scripts server tests
	$(BIN)/ruff format --check scripts server tests

test: setup lint browser stores
	$(BIN)/python -m pytest

# The tests that start no server, store or browser: under a minute, for the edit-test loop.
test-fast: setup lint
	$(BIN)/python -m pytest -m "not slow"

bench: build
	$(BIN)/python -m election_kg.bench.build

clean:
	rm -rf $(VENV) data/dist data/.builds *.egg-info node_modules
