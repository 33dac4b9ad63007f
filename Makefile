# Two commands a new machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck unit bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(DEVSTAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(DEVSTAMP)

demo: $(STAMP)
	$(BIN)/beslutsgen validate decisions
	$(BIN)/beslutsgen render decisions -o output
	$(BIN)/beslutsgen meeting decisions/rs-2025-11-25-sammantrade.yaml -o output
	$(BIN)/beslutsgen distribute decisions/rs-2025-11-25-sammantrade.yaml --dry-run -o output

test: $(DEVSTAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(DEVSTAMP)
	$(BIN)/python benchmarks/render.py
	$(BIN)/python benchmarks/meeting.py

docs: $(STAMP)
	$(BIN)/python tools/make_docs.py

clean:
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
