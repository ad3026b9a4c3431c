# Guichet — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
LOCK := requirements.lock
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium

.PHONY: install lock demo dev test lint browser messages clean

install: $(STAMP)

# The exact versions of requirements.lock, checked against their hashes; the code runs from this folder.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# After changing a dependency in pyproject.toml: regenerate requirements.lock (other pins stay as they are).
# `make lock UPGRADE=1` moves every pin to the newest release its range in pyproject.toml allows.
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "uv>=0.5,<1"
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" --quiet $(if $(UPGRADE),--upgrade) --output-file $(LOCK)

# Web (http://$(ADDR)/), Celery worker and Celery beat in the foreground on the embedded defaults, run as
# production runs (DEBUG off: Guichet's own 404/403/500 pages, static files served by whitenoise) on a
# demo server (DEMO=1: demo bank, demo accounts). `make demo ADDR=127.0.0.1:8100` moves the web server.
ADDR ?= 127.0.0.1:8000
DEMO_ENV = DEMO=1 SITE_URL=$${SITE_URL:-http://$(ADDR)}
demo: install
	DEBUG=0 $(DEMO_ENV) $(PY) manage.py migrate --noinput
	DEBUG=0 $(DEMO_ENV) $(PY) manage.py demo_data
	DEBUG=0 $(DEMO_ENV) $(PY) manage.py run_demo --addr $(ADDR)

# The same for developers, with Django's debug pages (tracebacks, the URL list on a 404).
dev: install
	DEBUG=1 $(DEMO_ENV) $(PY) manage.py migrate --noinput
	DEBUG=1 $(DEMO_ENV) $(PY) manage.py demo_data
	DEBUG=1 $(DEMO_ENV) $(PY) manage.py run_demo --addr $(ADDR)

# Two test processes (pytest-xdist): the suite waits on browsers and servers as much as on the CPU.
TEST_WORKERS ?= 2
test: install browser
	$(PY) -m pytest -n $(TEST_WORKERS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# Browser tests drive Debian's Chromium; install it when we may (root with apt), otherwise they say why they skip.
browser:
	@test -x $(CHROMIUM) || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)) ; } || \
	  echo "Chromium is not installed: browser tests will be skipped (apt-get install chromium)"

# Refresh the translation catalogues (needs gettext); the compiled .mo files are committed.
messages: install
	$(PY) manage.py makemessages -l fr -l de -l en --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var
