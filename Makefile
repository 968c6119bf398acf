# Two commands on a fresh Debian machine with Python 3.11 (see README.md):
#   make run    installs everything, opens the app on the embedded homeserver with a live
#               demo exercise (`oor demo`; `oor --embedded` is the app without one)
#   make test   installs everything, runs lint, layer contracts and the whole test suite
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test lint bench translations screenshots clean

$(STAMP): pyproject.toml installer/install-system-deps.sh
	bash installer/install-system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[synapse,dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(VENV)/bin/oor demo $(ARGS)

lint: install
	$(VENV)/bin/ruff check app tests bench docs
	$(VENV)/bin/ruff format --check app tests bench docs

test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: install
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.startup
	$(PY) -m bench.latency
	$(PY) -m bench.instructions
	$(PY) -m bench.backup
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.exercise
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.charts
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.timeline

# Refresh the Arabic catalogue from the sources, then compile it into the package.
translations: install
	$(VENV)/bin/pyside6-lupdate -no-obsolete $$(find app -name '*.py' | sort) -ts resources/i18n/oor_ar.ts
	$(VENV)/bin/pyside6-lrelease resources/i18n/oor_ar.ts -qm app/ui/i18n/oor_ar.qm

screenshots: install
	QT_QPA_PLATFORM=offscreen $(PY) -m docs.screenshots

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
