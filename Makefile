# DiT Portal. `make run` sets up and runs the portal on its embedded defaults;
# `make test` runs the whole test suite. Both create the virtual environment first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Every install comes from uv.lock, never from a fresh resolution; uv uses this machine's
# Python and never downloads one.
SYNC := $(UV) sync --frozen --python $(BIN)/python
export UV_PYTHON_DOWNLOADS := never

.PHONY: help install run test lint format migrate clean e2e-deps bench bench-scale lock upgrade check-lock audit messages

help:
	@echo "make run     set up and run the portal (SQLite, eager Celery, console mail, demo accounts)"
	@echo "make test    run the whole test suite, with branch coverage"
	@echo "make lint    ruff check and format check"
	@echo "make lock    bring uv.lock in line with pyproject.toml (after changing a dependency)"
	@echo "make upgrade move every locked package to its newest allowed version, then test"
	@echo "make audit   look for known vulnerabilities in the locked packages (pip-audit)"
	@echo "make bench   seed 100k answers on PostgreSQL (DATABASE_URL), load-test under gunicorn"
	@echo "make bench-scale  staff results, export and audit at 10k and 100k answers (1M: BENCH_SCALE_MILLION=1)"
	@echo "make e2e-deps  install Chromium and Java for the browser gates (Debian, as root)"
	@echo "make format  apply ruff's fixes and formatting"
	@echo "make messages  refresh the translation catalogues in locale/ and compile them"
	@echo "make clean   remove the virtual environment, local database and caches"

# uv installs the lock; it is itself in the lock, and pip puts that exact, hash-checked
# release into the new virtual environment first.
$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11 (or newer).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python tools/uv_requirement.py > $(VENV)/uv-requirement.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(VENV)/uv-requirement.txt

$(STAMP): uv.lock | $(UV)
	$(SYNC) --extra dev
	@touch $(STAMP)

install: $(STAMP)

migrate: export DEBUG ?= true
migrate: $(STAMP)
	$(BIN)/python manage.py migrate --no-input

run: export DEBUG ?= true
# Links in the portal's email point where this server answers.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: migrate
	$(BIN)/python manage.py load_roadmap
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "DiT Portal: http://$(HOST):$(PORT)/   (staff pages: http://$(HOST):$(PORT)/staff/)"
	@echo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The coverage floor (pyproject's fail_under) holds for the whole suite; a part of it
# (PYTEST_ARGS) reports coverage without failing on it.
# On every core (pytest-xdist; TEST_WORKERS=0 runs in one process), each worker with its
# own test database.
TEST_WORKERS ?= auto
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --cov $(if $(PYTEST_ARGS),--cov-fail-under=0) $(PYTEST_ARGS)

# After changing a dependency in pyproject.toml: re-resolve only what the change needs.
lock: | $(UV)
	$(UV) lock --python $(BIN)/python

# Every package to its newest release within pyproject's ranges, then the whole suite.
upgrade: | $(UV)
	$(UV) lock --upgrade --python $(BIN)/python
	$(MAKE) test

check-lock: | $(UV)
	@$(UV) lock --check --python $(BIN)/python || { echo "uv.lock does not match pyproject.toml: run 'make lock' and commit uv.lock with the change." >&2; exit 1; }

audit: $(STAMP)
	$(UV) export --frozen --all-extras --no-emit-project --format requirements-txt --quiet -o $(VENV)/audit-requirements.txt
	$(BIN)/python tools/audit.py $(AUDIT_ARGS) $(VENV)/audit-requirements.txt

# Timings: seeds realistic volumes on DATABASE_URL (default: a PostgreSQL database dit_bench,
# created if missing; SQLite refused), serves with gunicorn, drives it with Locust, prints a
# table and writes bench/results.json. Not part of `make test`.
bench: $(STAMP)
	$(SYNC) --extra dev --extra bench
	@rm -f $(STAMP)  # the next `make test` or `make run` syncs back to the dev set
	$(BIN)/python bench/run.py

# How staff results, the CSV export and the publishing audit grow with the answers: 10,000
# and 100,000 (and 1,000,000 with BENCH_SCALE_MILLION=1) on the bench database; writes
# bench/scaling.json. Not part of `make test`.
bench-scale: $(STAMP)
	$(SYNC) --extra dev --extra bench
	@rm -f $(STAMP)  # the next `make test` or `make run` syncs back to the dev set
	$(BIN)/python bench/scaling.py

# The browser gates in `make test` use Debian's Chromium and any Java for the Nu Html
# Checker; without them they are skipped with a message saying to run this.
e2e-deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium default-jre-headless

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The catalogues in locale/: every string marked for translation, then compiled (the .mo
# files are committed, so a fresh install needs no gettext). Needs GNU gettext.
LANGS := tr pl bn yi
messages: export DEBUG ?= true
messages: $(STAMP)
	$(BIN)/python manage.py makemessages --no-obsolete $(addprefix -l ,$(LANGS)) \
		--ignore='.venv/*' --ignore='bench/*' --ignore='tests/*' --ignore='tools/*' \
		--ignore='static/*' --ignore='htmlcov/*' --ignore='locale/*' --ignore='.pseudo-locale-*'
	# A guess from a similar string is not a translation: it is emptied, for a person to write.
	for po in locale/*/LC_MESSAGES/django.po locale/django/*/LC_MESSAGES/django.po; do \
		msgattrib --clear-fuzzy --empty -o $$po $$po && msgfmt --check -o $${po%.po}.mo $$po; done

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
