# Guichet — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
LOCK := requirements.lock
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium

.PHONY: install lock demo test lint browser messages clean

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
