# liangxin — the entry points. A newcomer needs nothing but these.
#   make run    set up, write the sample city if no ledger is given, load it, show the summary
#   make test   set up and run the whole test suite
#   make bench  performance figures for this machine (docs/benchmarks.md)
#   make lint   ruff format check and lint

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export LIANGXIN_HOME ?= $(CURDIR)/liangxin-data
SAMPLE := $(CURDIR)/sample/sample-city.xlsx
LEDGER ?= $(SAMPLE)

.PHONY: setup run test bench lint format clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "需要 Python 3.11 或更新版本"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

$(SAMPLE): | $(STAMP)
	$(BIN)/liangxin sample $(SAMPLE)

run: setup $(if $(filter $(SAMPLE),$(LEDGER)),$(SAMPLE))
	$(BIN)/liangxin load "$(LEDGER)"
	$(BIN)/liangxin summary

test: setup
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) sample liangxin-data .pytest_cache .ruff_cache *.egg-info
