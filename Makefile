# liangxin — the entry points. A newcomer needs nothing but these.
#   make run    set up, write the sample city if no ledger is given, load it, show the summary,
#               then serve the web app at http://$(HOST):$(PORT) (Ctrl+C stops it)
#   make test   set up (the venv, and Debian's Chromium, a Chinese font, LibreOffice and poppler
#               for the browser and report tests, and Node.js when missing for the Cypher check,
#               installed with apt-get when run as root; the Cypher checker's pinned npm
#               packages) and run the whole test suite
#   make bench  performance figures for this machine (docs/benchmarks.md)
#   make lint   ruff format check and lint, and the mypy type check ([tool.mypy] in pyproject.toml)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export LIANGXIN_HOME ?= $(CURDIR)/liangxin-data
SAMPLE := $(CURDIR)/sample/sample-city.xlsx
LEDGER ?= $(SAMPLE)
HOST   ?= 127.0.0.1
PORT   ?= 8000
CHROMIUM ?= /usr/bin/chromium
SYSTEM_PACKAGES := chromium fonts-wqy-zenhei libreoffice-writer-nogui poppler-utils
NODE_PACKAGES := nodejs npm
CYPHER_LINT := tools/cypher-lint
CYPHER_STAMP := $(CYPHER_LINT)/node_modules/.installed

.PHONY: setup system-packages cypher-checker run test bench lint format clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "需要 Python 3.11 或更新版本"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

$(SAMPLE): | $(STAMP)
	$(BIN)/liangxin sample $(SAMPLE)

# Debian packages the browser and report-rendering tests need (Chromium, a Chinese font,
# LibreOffice for Word → PDF, poppler for PDF → PNG); installed only when missing, only as root.
# Likewise Node.js and npm for the Cypher check (tests/test_cypher.py), only when there is no node
# or npm at all: a Node.js already installed (even a newer one than Debian's) is used as it is.
system-packages:
	@if [ -x $(CHROMIUM) ] && fc-list :lang=zh 2>/dev/null | grep -q . && command -v soffice >/dev/null \
		&& command -v pdftoppm >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "安装浏览器和报告测试所需的系统软件包：$(SYSTEM_PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else \
		echo "提示：浏览器和报告渲染测试需要 $(SYSTEM_PACKAGES)（sudo apt-get install $(SYSTEM_PACKAGES)），未安装时跳过这些测试"; \
	fi
	@if command -v node >/dev/null && command -v npm >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "安装 Cypher 语句检查所需的系统软件包：$(NODE_PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(NODE_PACKAGES) >/dev/null; \
	else \
		echo "提示：Cypher 语句检查需要 $(NODE_PACKAGES)（sudo apt-get install $(NODE_PACKAGES)），未安装时跳过这项测试"; \
	fi

# The Cypher checker's npm packages, exactly as tools/cypher-lint/package-lock.json pins them;
# installed again when the lock changes. Without npm (see above) nothing is installed.
cypher-checker: $(CYPHER_STAMP)

$(CYPHER_STAMP): $(CYPHER_LINT)/package.json $(CYPHER_LINT)/package-lock.json | system-packages
	@if ! command -v npm >/dev/null; then exit 0; fi; \
	npm ci --prefix $(CYPHER_LINT) --no-audit --no-fund --prefer-offline --loglevel=error \
		&& touch $@

run: setup $(if $(filter $(SAMPLE),$(LEDGER)),$(SAMPLE))
	$(BIN)/liangxin load "$(LEDGER)"
	$(BIN)/liangxin summary
	$(BIN)/liangxin serve --host $(HOST) --port $(PORT)

test: setup system-packages cypher-checker
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) sample liangxin-data tests/output .pytest_cache .ruff_cache .mypy_cache *.egg-info \
		$(CYPHER_LINT)/node_modules
