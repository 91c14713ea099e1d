# Samarbeid: `make run` sets up everything and starts the app; `make test` checks everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= sqlite
HOST ?= 127.0.0.1
PORT ?= 8000
VENDOR := samarbeid/static/vendor

.PHONY: run setup venv assets migrate demo test lint typecheck pytest test-postgres serve bench soak fuzz audit-deps clean

# `make run` serves as clerks see it: DEBUG off (the product's own 404 and 405 pages, not
# Django's debug pages), static files from collectstatic through whitenoise as `make serve`
# does, over plain HTTP on this machine (no redirect to HTTPS, cookies without Secure), with
# a secret key kept in var/ across restarts. `DEBUG=true make run` shows Django's debug pages.
# A background worker (`manage.py db_worker`) runs beside the server and stops with it.
RUN_ENV = DEBUG=$${DEBUG:-false} SECRET_KEY="$${SECRET_KEY:-$$(cat var/run-secret-key)}" \
	SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 SECURE_COOKIES=false \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-$(HOST),127.0.0.1,localhost} \
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}

var/run-secret-key:
	mkdir -p var
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

run: setup demo var/run-secret-key
	$(RUN_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	@echo ""
	@echo "  Samarbeid runs at http://$(HOST):$(PORT)/"
	@echo "  Demo log-ins (password 'demo-passord-12k' for each):"
	@echo "    sekretariat         secretariat of every arena"
	@echo "    koordinator-larvik  coordinator for Larvik (3909)"
	@echo "    leser               reader: sees internal records, writes nothing"
	@echo ""
	@echo "  A background worker runs the tasks (invoice runs, report files, municipal changes, the daily reminders at 07:00) beside it."
	@echo ""
	$(RUN_ENV) $(PY) manage.py schedule_reminders
	$(RUN_ENV) $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

setup: venv assets migrate

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

assets: $(VENDOR)/.built

$(VENDOR)/.built: package.json
	npm install --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/@digdir/designsystemet-css/dist/src/index.css $(VENDOR)/designsystemet.css
	cp node_modules/@digdir/designsystemet-theme/brand/digdir.css $(VENDOR)/designsystemet-theme.css
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	touch $@

migrate: venv
	mkdir -p var
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo

# lint-imports: the layers in pyproject.toml ([tool.importlinter]; docs/CONTRIBUTING.md).
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: venv
	$(VENV)/bin/mypy samarbeid bench conftest.py

pytest: setup
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# DB=postgres runs the suite on PostgreSQL (DATABASE_URL must point at a server).
test: setup lint typecheck
ifeq ($(DB),postgres)
	@test -n "$$DATABASE_URL" || (echo "DB=postgres needs DATABASE_URL, e.g. postgres://samarbeid:samarbeid@127.0.0.1:5432/samarbeid" && exit 1)
endif
	$(MAKE) pytest

serve: setup
	DEBUG=$${DEBUG:-false} $(PY) manage.py collectstatic --no-input
	$(VENV)/bin/gunicorn samarbeid.wsgi --bind $(HOST):$(PORT) --workers $${WORKERS:-3} --access-logfile -

bench: setup
	$(PY) bench/run.py

# Memory of each gunicorn worker over a 30-minute load (SOAK_ARGS="--minutes 10" for less).
soak: setup
	$(PY) bench/soak.py $(SOAK_ARGS)

audit-deps: venv
	$(VENV)/bin/pip-audit -r requirements.txt

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
