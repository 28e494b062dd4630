# Wardfleet: every everyday task is one `make` target. `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
SCREENSHOTS ?= build/screenshots
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help demo test check pytest lint typecheck imports i18n i18n-check bench \
        screenshot installer system-deps system-deps-qt venv dev-venv clean

help: ## List every target with what it does
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  %-16s %s\n", $$1, $$2}'

$(VENV)/.app: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.dev: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev,hub]'
	@touch $(VENV)/.app $@

venv: $(VENV)/.app ## Create .venv with the app installed

dev-venv: $(VENV)/.dev ## Create .venv with the app, hub and developer tools

system-deps: ## As root on Debian/Ubuntu: apt packages for Qt, Xvfb and the test peers
	@sh scripts/install-system-deps.sh all

system-deps-qt: ## As root on Debian/Ubuntu: apt packages the GUI needs
	@sh scripts/install-system-deps.sh qt

demo: system-deps-qt venv ## Open the GUI on the simulated demo ward (loopback only)
	$(PY) -m wardfleet --demo

test: system-deps dev-venv ## Every check and test (what CI runs)
	$(MAKE) --no-print-directory check pytest

check: lint typecheck imports i18n-check ## Static checks: ruff, mypy, import contracts, stale .ts

lint: dev-venv ## ruff lint and format check
	$(VENV)/bin/ruff check app tests bench scripts
	$(VENV)/bin/ruff format --check app tests bench scripts

typecheck: dev-venv ## mypy (strict on domain, store, protocols, services, sync)
	$(VENV)/bin/mypy

imports: dev-venv ## import-linter: the layer boundaries of docs/architecture.md
	$(VENV)/bin/lint-imports

# Qt tests run in a process of their own: a qasync loop per test leaves Qt state that
# later non-Qt tests' event processing must not meet (seen as rare segfaults).
QT_TESTS := tests/ui tests/sync/test_hub_dialog.py

pytest: dev-venv ## The test suite (peers run for real; under CI=true a skipped peer fails)
ifeq ($(PYTEST_ARGS),)
	$(PY) -m pytest $(addprefix --ignore=,$(QT_TESTS))
	$(PY) -m pytest $(QT_TESTS)
else
	$(PY) -m pytest $(PYTEST_ARGS)
endif

i18n: dev-venv ## Update i18n/*.ts from the sources and compile .qm files
	$(PY) scripts/i18n.py

i18n-check: dev-venv ## Fail when i18n/*.ts are stale against the sources
	$(PY) scripts/i18n.py --check

bench: system-deps dev-venv ## Benchmarks, printed as ratios against a baseline run alongside
	$(PY) -m bench

screenshot: system-deps-qt dev-venv ## Run the demo under Xvfb and save PNGs to build/screenshots
	mkdir -p $(SCREENSHOTS)
	# A fresh data folder: the made-up graph history, the example profile and the SNMP
	# credential set (its secret in an in-process keyring) stay in it (ui/screenshot*.py).
	rm -rf build/screenshot-data
	WARDFLEET_SCREENSHOT_HISTORY_DAYS=30 WARDFLEET_SCREENSHOT_SEED=1 \
	  QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1440x900x24" \
	  $(PY) -m wardfleet --demo --data-dir build/screenshot-data --screenshot $(SCREENSHOTS)

installer: dev-venv ## Build a standalone app folder with PyInstaller (installer/)
	$(PY) installer/build.py

clean: ## Remove build output and caches (keeps .venv)
	rm -rf build dist .mypy_cache .ruff_cache .pytest_cache .hypothesis .import_linter_cache
