# Guichet — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium

.PHONY: install demo test lint browser messages clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Web (http://127.0.0.1:8000), Celery worker and Celery beat in the foreground on the embedded defaults.
demo: install
	DEBUG=1 DEMO=1 $(PY) manage.py migrate --noinput
	DEBUG=1 DEMO=1 $(PY) manage.py demo_data
	DEBUG=1 DEMO=1 $(PY) manage.py run_demo

test: install browser
	$(PY) -m pytest

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
