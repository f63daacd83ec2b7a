# The two commands a new user needs (see README):
#   make serve   set up, build, and serve the site with live reload at http://127.0.0.1:8000
#   make test    set up and run every test (about 5 minutes)
#   make check   the fast loop: content rules, unit tests and one development build (under 1 minute)
# Both create .venv with the pinned requirements the first time, and again only when a
# requirements file changes. Everything else lives in tasks.py (Invoke).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --disable-pip-version-check --quiet

.PHONY: serve test check
serve: $(VENV)/.installed-build
	$(BIN)/invoke livereload

test: $(VENV)/.installed-dev node_modules/.package-lock.json
	$(BIN)/invoke test

check: $(VENV)/.installed-dev
	$(BIN)/invoke check

# The browser-tier checkers (axe-core, Nu HTML Checker, Lighthouse), pinned by
# package-lock.json. Without npm the browser tests skip locally and fail in CI.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else \
	  echo "npm not found: the browser checks will be skipped (CI installs it)." >&2; \
	fi

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
	  { echo "This site needs Python 3.11 or newer as '$(PYTHON)'. Install it, or run: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-build: requirements.txt | $(BIN)/python
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP) -r requirements-dev.txt
	touch $@ $(VENV)/.installed-build
