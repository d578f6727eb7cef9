# CME Tracker. `make run` serves the app with demo data; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# manage.py defaults to config.settings.base; the tests always use config.settings.test.
TEST_ENV := DJANGO_SETTINGS_MODULE=config.settings.test

.PHONY: install run serve test test-fast test-browser lint typecheck check bench demo-data assets clean

# Set-up alone: the virtual environment, pinned Python packages, front-end assets.
install: $(VENV)/.installed static_build/.built

$(VENV)/.installed: requirements/lock.txt
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "CME Tracker needs Python 3.11 or newer: set PYTHON=python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static_build/.built: node_modules/.installed frontend/build.mjs $(shell find frontend -type f)
	npm run --silent build
	touch $@

assets: static_build/.built

# Migrate the embedded SQLite database, load the demo authority, serve with the worker.
run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py demo_data --if-empty
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py show_demo_logins --port $(PORT)
	$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile - --error-logfile -

demo-data: install
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py demo_data $(ARGS)

# Every test: lint, types, architecture contracts, migrations, the suite and the browser tests.
test: install check
	$(TEST_ENV) $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS); status=$$?; [ $$status -eq 5 ] && status=0; exit $$status

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(BIN)/djlint cme --lint
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/python manage.py check

lint: check

typecheck: install
	$(BIN)/mypy .

# Benchmarks print their figures; the Splink baseline and FEBRL4 come from requirements/bench.txt.
bench: install
	$(BIN)/python -m pip install --quiet -r requirements/bench.txt
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules static_build var
