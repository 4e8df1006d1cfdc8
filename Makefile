# Storefront: `make demo`, `make test`, `make bench`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test bench lint serve worker

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(INSTALLED)

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_INSTALLED)

install: $(INSTALLED) $(NODE_INSTALLED)

# The demo runs like production (branded error pages, no debug pages) over plain HTTP;
# `make demo DEBUG=1` asks for Django's debug pages.
DEMO_ENV = DEBUG=$${DEBUG:-0} SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} \
	SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-0} CSRF_COOKIE_SECURE=$${CSRF_COOKIE_SECURE:-0}

demo: install
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py collectstatic --no-input -v0
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) -m bench

lint: install
	$(VENV)/bin/ruff check .
