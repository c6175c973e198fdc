# Two set-up commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Accountwise needs Python 3.11; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-base: $(BIN)/python requirements/base.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-base requirements/test.txt requirements/s3.txt
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $@

install: $(VENV)/.installed-base

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/accountwise migrate --noinput
	$(BIN)/accountwise collectstatic --noinput --verbosity 0
	$(BIN)/accountwise setup_demo --url http://$(HOST):$(PORT)/
	BIN=$(BIN) scripts/serve $(HOST):$(PORT)

test: install-test
	scripts/test

clean:
	rm -rf $(VENV) *.egg-info
