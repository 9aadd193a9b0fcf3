# Two commands on a fresh machine: `make run` and `make test`. Everything else they install.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= $(or $(INBOX_PORT),8501)
DB ?= $(or $(INBOX_DB_PATH),data/inbox.duckdb)
# Debian packages need root; use sudo when we are not root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BROWSER_PACKAGES := chromium fonts-noto-color-emoji fonts-liberation

.PHONY: run test lint format bench browser postgres clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	@INBOX_DB_PATH=$(DB) $(BIN)/python -m inbox.demo_data --if-missing
	@echo "Open http://localhost:$(PORT) in your browser (Ctrl+C stops the server)."
	INBOX_DB_PATH=$(DB) $(BIN)/streamlit run app.py --server.port $(PORT)

# Debian's Chromium for the browser tests (Playwright cannot download its own here), and fonts
# so that screenshots show text and emoji as people see them.
browser:
	@if ! [ -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto color emoji"; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	fi
	@/usr/bin/chromium --version

# Debian's PostgreSQL for the tests that need a real server: each run starts its own cluster
# in a temporary folder (tests/postgres_server.py); nothing is started here.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql >/dev/null; \
	fi
	@ls -d /usr/lib/postgresql/*/bin | tail -1

test: $(VENV)/.installed-dev browser postgres
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed-dev browser postgres
	$(BIN)/python -m bench.page_rerun
	$(BIN)/python -m bench.chat_list
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.polling
	$(BIN)/python -m bench.live_page
	$(BIN)/python -m bench.load_sessions
	$(BIN)/python -m bench.ingest
	$(BIN)/python -m bench.batch_ingest
	$(BIN)/python -m bench.doors
	$(BIN)/python -m bench.engines
	$(BIN)/python -m bench.widgets

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
