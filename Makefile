# Two commands on a fresh Debian machine with Python 3.11 (see README.md):
#   make run    installs everything, opens the app on the embedded homeserver with a live
#               demo exercise (`oor demo`; `oor --embedded` is the app without one)
#   make test   installs everything, runs lint, layer contracts and the whole test suite
#   make test-fast  the unit tier only (no Synapse, no window)
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test test-fast lint bench records keeper chaos scale versus-nheko package translations screenshots clean

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

# The unit tier only (no Synapse, no window): seconds, for the edit-test loop.
test-fast: install
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m unit $(PYTEST_ARGS)

bench: install
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.startup
	$(PY) -m bench.latency
	$(PY) -m bench.instructions
	$(PY) -m bench.backup
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.exercise
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.charts
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.timeline

# Not in `make test`: a 100k-event session exported and verified (time, size).
records: install
	$(PY) -m bench.records $(ARGS)

# Not in `make test`: the records keeper's ingest rate into PostgreSQL (events/s).
keeper: install
	$(PY) -m bench.keeper $(ARGS)

# Not in `make test`: minutes of SIGKILLed homeservers and senders (N=500, 10 + 5 kills).
chaos: install
	$(PY) -m bench.chaos $(ARGS)

# Messages/s with p95 send→shown under 1 s: single process vs. the worker deployment
# (PostgreSQL, Redis, Synapse workers, nginx, all local). Minutes; not part of `make test`.
scale: install
	$(PY) -m bench.scale $(ARGS)

# This app against Nheko in one run (start-up, CPU, memory, message → shown), as ratios.
# Needs nheko, Xvfb and xdotool (installer/install-system-deps.sh --bench); minutes.
versus-nheko: install
	$(PY) -m bench.versus_nheko $(ARGS)

# The workstation package (build/deb/*.deb: a self-contained venv under /opt), then the
# slow test that unpacks it into a scratch root and runs the installed `oor`.
package: install
	bash installer/build-deb.sh
	OOR_DEB=$$(ls -t build/deb/open-operations-room_*_amd64.deb | head -1) \
	  QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m package tests/test_package.py

# Refresh the Arabic catalogue from the sources, then compile it into the package.
translations: install
	$(VENV)/bin/pyside6-lupdate -no-obsolete $$(find app -name '*.py' | sort) -ts resources/i18n/oor_ar.ts
	$(VENV)/bin/pyside6-lrelease resources/i18n/oor_ar.ts -qm app/ui/i18n/oor_ar.qm
	$(VENV)/bin/pyside6-lupdate -no-obsolete -pluralonly -target-language en $$(find app -name '*.py' | sort) -ts resources/i18n/oor_en.ts
	$(VENV)/bin/pyside6-lrelease resources/i18n/oor_en.ts -qm app/ui/i18n/oor_en.qm

screenshots: install
	QT_QPA_PLATFORM=offscreen $(PY) -m docs.screenshots

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
