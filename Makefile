# Stance Reader — `make run` serves the site, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
CHROMIUM ?= /usr/bin/chromium
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000
# Test workers (pytest-xdist): one per core, at most four; WORKERS=0 runs in one process.
WORKERS ?= auto
PYTEST = $(BIN)/pytest -q -p no:cacheprovider -n $(WORKERS) --maxprocesses=4 --durations=10

.PHONY: run test test-sqlite test-postgres bench lint browser postgres clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(PY) manage.py migrate --no-input
	$(PY) manage.py ensure_demo_user --project demo --address http://$(HOST):$(PORT)
	$(PY) manage.py import_articles --project demo --user demo samples/
	@echo "Stance Reader is served on http://$(HOST):$(PORT)/ (another port: make run PORT=8101)"
	STANCE_SIGNUP_OPEN=$${STANCE_SIGNUP_OPEN:-1} $(PY) manage.py runserver $(HOST):$(PORT)

# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium…"; \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)); \
	  else echo "Chromium is missing at $(CHROMIUM); install Debian's chromium package." >&2; fi; \
	fi
	@if [ "$$CI" = "true" ] && [ ! -x "$(CHROMIUM)" ]; then echo "CI: no browser at $(CHROMIUM)" >&2; exit 1; fi

# Start the local PostgreSQL cluster when it is installed but not answering.
postgres:
	@if ! $(PY) -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then \
	  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then \
	    echo "Starting PostgreSQL…"; \
	    pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -n1) main start || true; \
	    sleep 2; \
	  fi; \
	fi

test: $(VENV)/.dev browser postgres
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ] || $(PY) -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then \
	  $(MAKE) --no-print-directory test-postgres; \
	elif [ "$$CI" = "true" ]; then \
	  echo "CI: no PostgreSQL on 127.0.0.1:5432 and no DATABASE_URL" >&2; exit 1; \
	else \
	  echo "PostgreSQL not reachable: suite ran on SQLite only."; \
	fi

test-sqlite: $(VENV)/.dev
	@echo "== Test suite on SQLite"
	env -u DATABASE_URL DJANGO_ALLOW_ASYNC_UNSAFE=true $(PYTEST)

test-postgres: $(VENV)/.dev
	@echo "== Test suite on PostgreSQL"
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} DJANGO_ALLOW_ASYNC_UNSAFE=true $(PYTEST)

bench: $(VENV)/.dev
	$(PY) benchmarks/run_all.py

lint: $(VENV)/.dev
	$(BIN)/ruff check .
