# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: setup build run test lint bench clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

build: setup
	$(BIN)/election-kg build

run: build
	$(BIN)/election-kg serve --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check scripts server tests

test: setup lint
	$(BIN)/python -m pytest

bench: build
	$(BIN)/python scripts/bench_build.py

clean:
	rm -rf $(VENV) data/dist data/.builds *.egg-info
