# Two commands for a fresh machine (see README):
#   make run   - set up .venv, install, run the main job (the default plan) on the bundled China data -> out/
#   make test  - set up .venv, install, run lint, types, layer contracts and the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup lint browser dataset bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/hinterland data report --out out/data
	$(BIN)/hinterland plan --out out/plan --store out/hinterland_runs.duckdb

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

# Debian's Chromium drives the dashboard's end-to-end tests (Playwright never downloads a browser);
# Noto CJK fonts let it draw the Chinese labels.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	  || echo "warning: could not install Debian's chromium; the browser tests will be skipped"; }

test: lint browser
	$(BIN)/python -m pytest -n 2 -m "not slow" -q

dataset: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[build]"
	$(BIN)/python scripts/build_china_dataset.py

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
