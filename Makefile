# One target per job. `make report` and `make test` bootstrap everything they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.archbook-installed
ASSETS := vendor/js
ASSETS_STAMP := $(ASSETS)/.stamp
SYSTEM ?= data/video-editor
OUT ?= reports

.PHONY: all venv assets report test bench bench-peers lab serve clean

# The venv (pip) and the offline JS (npm) are independent: fetch them side by side.
MAKEFLAGS += --jobs=2 --output-sync=target

all: report

# (Re)create the virtualenv when it is missing or pyproject.toml changed.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test,bench]"
	$(PY) -m ipykernel install --sys-prefix --name archbook --display-name "archbook (.venv)" >/dev/null
	@touch $(STAMP)

venv: $(STAMP)

# Offline JavaScript for the HTML reports (mermaid, require.js, the widget manager),
# fetched once from the npm registry at set-up time. Reports never touch a CDN.
# package-lock.json pins every package by integrity hash; `npm ci` installs exactly that.
$(ASSETS_STAMP): package.json package-lock.json
	@mkdir -p $(ASSETS) .cache/npm
	cp package.json package-lock.json .cache/npm/
	cd .cache/npm && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null
	cp .cache/npm/node_modules/mermaid/dist/mermaid.min.js $(ASSETS)/
	cp .cache/npm/node_modules/requirejs/require.js $(ASSETS)/
	cp .cache/npm/node_modules/@jupyter-widgets/html-manager/dist/embed-amd.js $(ASSETS)/
	@touch $(ASSETS_STAMP)

assets: $(ASSETS_STAMP)

report: $(STAMP) $(ASSETS_STAMP)
	$(VENV)/bin/archbook build $(SYSTEM) --out $(OUT)

test: $(STAMP) $(ASSETS_STAMP)
	$(PY) -m pytest -q -m "not slow" tests --nbval-lax --nbval-kernel-name archbook notebooks

bench: $(STAMP) bench-peers
	$(PY) bench/run_all.py

# npm peers the benches compare against (widdershins, graphql-markdown); never used by the product
bench-peers:
	cd bench/peers/widdershins && npm install --no-audit --no-fund --silent
	cd bench/peers/graphql-markdown && npm install --no-audit --no-fund --silent

lab: $(STAMP) $(ASSETS_STAMP)
	$(VENV)/bin/archbook lab

serve: $(STAMP)
	$(VENV)/bin/archbook serve $(SYSTEM)

clean:
	rm -rf $(VENV) $(ASSETS) .cache reports
