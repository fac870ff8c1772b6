# The one place where commands are spelled out. `make run` and `make test` are all a newcomer needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# What makemessages leaves out: installed code, front-end packages and the tests.
MAKEMESSAGES_ARGS := --no-obsolete --ignore=.venv --ignore=node_modules --ignore=tests --ignore=var

.PHONY: help install gettext messages run worker migrate content export labour-figures labour-csv-given test coverage lint format hooks lock outdated bench bench-tools soak clean

help:
	@echo "make run      install, migrate, load the content and serve http://$(HOST):$(PORT) with a task worker"
	@echo "make worker   a task worker alone (e-mails, periodic jobs)"
	@echo "make test     the whole test suite (DATABASE_URL picks the database; SQLite by default)"
	@echo "make coverage the whole suite with the app code's coverage"
	@echo "make lint     ruff, mypy, the layers contract (import-linter) and makemigrations --check"
	@echo "make format   ruff format and ruff check --fix"
	@echo "make hooks    install the pre-commit hooks (ruff, django-upgrade)"
	@echo "make labour-figures CSV=file [RETRIEVED_ON=YYYY-MM-DD]  import a BLS release of the labour figures"
	@echo "make messages add newly marked strings to every language's catalog (locale/)"
	@echo "make lock     re-pin requirements.lock from requirements*.in"
	@echo "make outdated list the pinned packages that have a newer release"
	@echo "make bench    load benchmark (gunicorn, PostgreSQL, Redis, wrk); writes bench/report.md"
	@echo "make soak     mixed load, a PostgreSQL restart, two instances, a Redis outage; exits non-zero on failure"

# Reinstall only when the lock files change (the stamp file records the last install).
$(VENV)/.installed: requirements.lock package.json package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The message catalogs are compiled here (.mo files are built, never committed), with
# Debian's gettext, installed if missing as .ci/run installs the browser.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

install: $(VENV)/.installed $(MO_FILES)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | gettext
	msgfmt --check-format -o $@ $<

gettext:
	@command -v msgfmt >/dev/null && command -v xgettext >/dev/null || { \
		echo "Installing Debian's gettext (msgfmt, xgettext) for the message catalogs"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

# After marking new strings: bring them into every language's catalog (then translate them
# in locale/<language>/LC_MESSAGES/django.po; `make test` fails while any is missing).
# `make messages LOCALE=fr` starts the catalog of a new language.
messages: install gettext
	$(MANAGE) makemessages $(if $(LOCALE),--locale $(LOCALE),--all) $(MAKEMESSAGES_ARGS)

migrate: install
	$(MANAGE) migrate --noinput

content: migrate
	$(MANAGE) load_content

# The web server and a task worker together (Procfile, under honcho): one Ctrl-C stops both.
run: migrate
	$(MANAGE) load_content --if-empty
	HOST=$(HOST) $(BIN)/honcho start --port $(PORT) --procfile Procfile

# A task worker alone (e-mails, periodic jobs); run as many as you like.
worker: migrate
	$(MANAGE) run_worker

# The tests run in TEST_WORKERS processes (pytest-xdist, each with its own test database and,
# for the browser tests, its own Chromium and live server), one more than the cores: the
# browser tests spend much of their time waiting for Chromium, which runs beside them.
# Idle workers steal queued tests, so a slow file doesn't hold the run up. TEST_WORKERS=0 runs
# everything in this process; PYTEST_ARGS are passed on.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
PYTEST := $(BIN)/pytest --numprocesses=$(TEST_WORKERS) --maxprocesses=4 --dist=worksteal
test: install
	$(PYTEST) $(PYTEST_ARGS)

# The same suite with the app code's coverage measured (its tracer doubles the run's time, so
# it is a target of its own); the total is the last line of its table.
coverage: install
	$(PYTEST) --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(MANAGE) makemigrations --check --dry-run

# Run the checks of .pre-commit-config.yaml before each commit (local hooks, pinned tools).
hooks: install
	$(BIN)/pre-commit install

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lock:
	$(BIN)/pip-compile --quiet --strip-extras --allow-unsafe --no-emit-index-url \
		--no-emit-find-links --upgrade -o requirements.lock requirements-dev.in

outdated: install
	$(BIN)/pip list --outdated

# The load benchmark and the fault/soak run need wrk and a running PostgreSQL and Redis.
# Write the curated catalog and quiz back to fixtures/, for review in git.
export: install
	$(MANAGE) export_content

# Import a newer release of the federal wage and outlook figures (us-labour-market.csv's shape):
# every row is checked first and a bad file changes nothing; then `make export` for review.
labour-figures: labour-csv-given migrate
	$(MANAGE) import_labour_figures "$(CSV)" $(if $(RETRIEVED_ON),--retrieved-on $(RETRIEVED_ON))

labour-csv-given:
	@test -n "$(CSV)" || (echo "usage: make labour-figures CSV=path/to/file.csv [RETRIEVED_ON=YYYY-MM-DD]" && exit 2)

bench-tools:
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)

bench: install bench-tools
	$(BIN)/python -m bench.bench

soak: install bench-tools
	$(BIN)/python -m bench.soak

clean:
	rm -rf $(VENV) node_modules var
