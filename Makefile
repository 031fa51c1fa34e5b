# The two commands: `make run` and `make test`. Everything else is a step they use.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= data/index
export ASSISTANT_DATA_DIR ?= $(DATA_DIR)

.PHONY: install run test test-fast lint browser-deps ingest docs bench screenshots clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test,llm]'
	touch $(STAMP)

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >/dev/null 2>&1 \
	  || (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >/dev/null 2>&1 \
	  || echo "could not install chromium: browser tests will be skipped"; }

ingest: install
	$(BIN)/python -m assistant ingest --quiet

run: install
	@$(BIN)/python -m assistant stats --json 2>/dev/null | grep -q '"records": [1-9]' || $(BIN)/python -m assistant ingest
	$(BIN)/python -m assistant serve

# Layout (ruff format), lint (ruff check) and types on the typed seams (mypy, [tool.mypy]).
lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

test: install browser-deps lint
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-fast: install
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow"

docs: install
	$(BIN)/python -m assistant.cli.docs --write README.md

# Every tab at 1400x900 and 390x844 on the sample library, for the README (docs/screenshots/*.png).
screenshots: install browser-deps
	$(BIN)/python -m ui.screenshots --out docs/screenshots --library data/library

bench: install
	$(BIN)/python -m benchmarks.ingest --corpus ../shared/datasets/scifact/corpus.jsonl --limit 500 --json

clean:
	rm -rf $(VENV) data/index data/bench reports screenshots
