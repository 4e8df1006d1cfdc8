# Storefront: `make demo`, `make test`, `make bench`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test bench soak lint serve worker messages

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
# With DEBUG off the site needs a real SECRET_KEY: the demo keeps its own random one.
DEMO_SECRET := .demo-secret-key
DEMO_ENV = SECRET_KEY=$${SECRET_KEY:-$$(cat $(DEMO_SECRET))} DEBUG=$${DEBUG:-0} SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} \
	SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-0} CSRF_COOKIE_SECURE=$${CSRF_COOKIE_SECURE:-0}

$(DEMO_SECRET):
	$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

demo: install $(DEMO_SECRET)
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py collectstatic --no-input -v0
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) -m bench

# The production recipe (deploy/) on this machine, with worker kills and Redis restarts
# under load. Needs nginx, redis-server and PostgreSQL (SOAK_DATABASE_URL).
soak: install
	$(PY) bench/soak.py

lint: install
	$(VENV)/bin/ruff check .

# Dutch translations: extract every marked string (Python and templates, then JavaScript)
# into locale/nl/LC_MESSAGES/*.po, then compile the .mo files that are committed beside
# them (so a fresh clone runs without gettext). Needs GNU gettext (xgettext, msgfmt).
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=media \
	--ignore=bench --ignore=tests --ignore=build
# (DEBUG=1: extracting strings needs no production SECRET_KEY.)
messages: install
	DEBUG=1 $(PY) manage.py makemessages -l nl -d django --add-location=file --no-obsolete $(MESSAGES_IGNORE)
	DEBUG=1 $(PY) manage.py makemessages -l nl -d djangojs --add-location=file --no-obsolete $(MESSAGES_IGNORE)
	DEBUG=1 $(PY) manage.py compilemessages -l nl --ignore=.venv --ignore=node_modules
