# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8050
export HOST PORT

.PHONY: run test test-sqlite test-postgres browsers redis pdf-libs pdf-tools translations extract-messages bench check-data clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy --statistics -d dashboard/translations

## run: install, migrate, load the reference and demonstration data, serve on HOST:PORT
run: translations pdf-libs
	$(BIN)/python -m dashboard init-db
	$(BIN)/python -m dashboard load-data --demo
	$(BIN)/python -m dashboard serve --host $(HOST) --port $(PORT)

## test: lint, then the whole suite on SQLite, then on PostgreSQL when DASHBOARD_TEST_DATABASE_URL is set
# The HTTP-level tests run on every core (pytest-xdist, one module per worker at a time).
test: $(VENV)/.installed-dev browsers redis pdf-libs pdf-tools
	$(BIN)/ruff check .
	$(BIN)/pybabel compile --use-fuzzy --statistics -d dashboard/translations
	DASHBOARD_TEST_DATABASE_URL= $(BIN)/python -m pytest -n auto --dist loadfile -m "not browser"
	@# Browser tests read pages, not the database: they run once, on SQLite, one chromium
	@# and one live server per worker.
	DASHBOARD_TEST_DATABASE_URL= $(BIN)/python -m pytest -n auto --dist loadfile -m browser
	@if [ -n "$$DASHBOARD_TEST_DATABASE_URL" ]; then \
		if ! command -v pg_dump >/dev/null 2>&1 || ! command -v pg_restore >/dev/null 2>&1; then \
			echo "installing Debian's postgresql-client (the backup tests run pg_dump and pg_restore)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null; \
		fi; \
		echo "== the suite again on $$DASHBOARD_TEST_DATABASE_URL (browser tests excluded)"; \
		$(BIN)/python -m pytest -n auto --dist loadfile -m "not browser"; \
	fi

# Browser tests use Debian's chromium and its driver; nothing downloads a browser.
browsers:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Debian's chromium and chromium-driver"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
		else \
			echo "chromium is missing: install the Debian packages chromium and chromium-driver as root"; \
		fi; \
	fi

# WeasyPrint lays out the PDF report through Pango (and HarfBuzz, which Pango brings).
pdf-libs:
	@if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Debian's libpango-1.0-0 and libpangoft2-1.0-0 (the PDF report)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
		else \
			echo "Pango is missing: install the Debian packages libpango-1.0-0 and libpangoft2-1.0-0 as root"; \
		fi; \
	fi

# The report's tests read the PDF's text with pdftotext (Debian's poppler-utils).
pdf-tools:
	@if ! command -v pdftotext >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Debian's poppler-utils (pdftotext, for the report's tests)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
		else \
			echo "pdftotext is missing: install the Debian package poppler-utils as root"; \
		fi; \
	fi

# The page cache's tests start a Redis server of their own (Debian's redis-server).
redis:
	@if ! command -v redis-server >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Debian's redis-server"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
		else \
			echo "redis-server is missing: install the Debian package redis-server as root"; \
		fi; \
	fi

## extract-messages: refresh the translation catalogues after changing user-facing text
extract-messages: $(VENV)/.installed-dev
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 --no-location --sort-output -o dashboard/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i dashboard/translations/messages.pot -d dashboard/translations
	$(BIN)/python -m dashboard.devtools.isolate_catalogue dashboard/translations/ar/LC_MESSAGES/messages.po

bench: $(VENV)/.installed
	$(BIN)/python -m dashboard bench

check-data: $(VENV)/.installed
	$(BIN)/python -m dashboard check-data data/plan/plan.yaml --values data/demo/indicator_values.csv

clean:
	rm -rf $(VENV) instance .pytest_cache test-artifacts
