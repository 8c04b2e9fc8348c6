# gonghui — two commands for a fresh machine: `make run` and `make test`.
PYTHON_VERSION := $(shell cat .python-version)
PY_BASE := $(shell command -v $(HOME)/.pyenv/versions/$(PYTHON_VERSION)/bin/python3 2>/dev/null || command -v python3.12 2>/dev/null || echo python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# Browser tests drive Debian's Chromium; CJK fonts so screenshots show Chinese.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then \
	  echo 'Installing chromium, fonts-noto-cjk and fonts-noto-color-emoji (Debian packages)...'; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-noto-color-emoji >/dev/null; \
	fi

.PHONY: browser-deps run test test-fast test-browser bench bench-quick lint format openapi openapi-check install clean-db

$(STAMP): pyproject.toml package.json package-lock.json
	@test -x $(PY) || $(PY_BASE) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(STAMP)

install: $(STAMP)

# The demo is served as a union office would see it: Django's debug pages (which list the site's
# addresses and show tracebacks) only with `make run DJANGO_DEBUG=1`.
run: export DJANGO_DEBUG ?= 0
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py runall --host $(HOST) --port $(PORT)

test: install browser-deps
	$(PY) -m pytest -q -n 2 --dist loadfile

test-fast: install
	$(PY) -m pytest -q -n 2 --dist loadfile -m "not browser"

test-browser: install browser-deps
	$(PY) -m pytest -q -m browser

bench: install
	$(PY) -m pip install -q -e ".[dev,bench]"
	$(PY) bench/run_all.py

bench-quick: install
	$(PY) -m pip install -q -e ".[dev,bench]"
	$(PY) bench/run_all.py --quick

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy orgs/services.py orgs/selectors.py orgs/access.py accounts/services.py audit/services.py core/services.py core/crypto.py dues/services.py dues/selectors.py dues/rules.py

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

openapi: install
	$(PY) manage.py openapi --write

openapi-check: install
	$(PY) manage.py openapi --check
