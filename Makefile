# researchmap: every target creates .venv when missing and installs what it needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
HOST   ?= 127.0.0.1
PORT   ?= 8000
ARGS   ?=

.PHONY: build serve test bench eval fuzz clean install install-test browser

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test browser

# Debian's chromium for the browser tests (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

build: $(VENV)/.installed
	$(PY) build.py $(ARGS)

serve: $(VENV)/.installed
	$(VENV)/bin/researchmap serve --host $(HOST) --port $(PORT) $(ARGS)

test: install-test
	$(PY) -m pytest -q $(ARGS)

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-test
	$(PIP) install -e '.[test,bench]'
	touch $@

bench: $(VENV)/.installed-bench browser
	$(PY) bench/run.py $(ARGS)

eval: $(VENV)/.installed
	$(PY) eval/run_eval.py $(ARGS)
	$(PY) eval/topic_fit.py

fuzz: install-test
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-12500} $(PY) -m pytest -q tests/test_fuzz.py -p no:cacheprovider $(ARGS)

clean:
	rm -rf _site ._site.* .researchmap-cache .pytest_cache .hypothesis bench/out
