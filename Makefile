# DiT Portal. `make run` sets up and runs the portal on its embedded defaults;
# `make test` runs the whole test suite. Both create the virtual environment first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run test lint format migrate clean e2e-deps bench

help:
	@echo "make run     set up and run the portal (SQLite, eager Celery, console mail, demo accounts)"
	@echo "make test    run the whole test suite"
	@echo "make lint    ruff check and format check"
	@echo "make bench   seed 100k answers on PostgreSQL (DATABASE_URL), load-test under gunicorn"
	@echo "make e2e-deps  install Chromium and Java for the browser gates (Debian, as root)"
	@echo "make format  apply ruff's fixes and formatting"
	@echo "make clean   remove the virtual environment, local database and caches"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11 (or newer).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --no-input

run: export DEBUG ?= true
run: migrate
	$(BIN)/python manage.py load_roadmap
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "DiT Portal: http://$(HOST):$(PORT)/   (staff pages: http://$(HOST):$(PORT)/staff/)"
	@echo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Timings: seeds realistic volumes on DATABASE_URL (default: a PostgreSQL database dit_bench,
# created if missing; SQLite refused), serves with gunicorn, drives it with Locust, prints a
# table and writes bench/results.json. Not part of `make test`.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python bench/run.py

# The browser gates in `make test` use Debian's Chromium and any Java for the Nu Html
# Checker; without them they are skipped with a message saying to run this.
e2e-deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium default-jre-headless

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
