# Two commands a new machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
# eark-validator pins lxml 5.1.0, which beslutsgen's own dependencies cannot share: it gets
# a virtualenv of its own, used only by tests/eark_validate.py.
EARKSTAMP := .venv-eark/.installed

.PHONY: demo test lint typecheck unit bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(DEVSTAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(DEVSTAMP)

$(EARKSTAMP):
	$(PYTHON) -m venv .venv-eark && .venv-eark/bin/pip install --quiet eark-validator==1.1.3
	touch $(EARKSTAMP)

demo: $(STAMP)
	$(BIN)/beslutsgen validate decisions
	$(BIN)/beslutsgen render decisions -o output
	$(BIN)/beslutsgen meeting decisions/rs-2025-11-25-sammantrade.yaml \
	    decisions/rs-2026-06-16-sammantrade.yaml -o output
	# A second organisation (a municipality), from its own project folder.
	cd examples/kommun && ../../$(BIN)/beslutsgen render -o ../../output/kommun && \
	    ../../$(BIN)/beslutsgen meeting decisions/ks-2026-03-10-sammantrade.yaml \
	    -o ../../output/kommun
	$(BIN)/beslutsgen distribute decisions/rs-2025-11-25-sammantrade.yaml --dry-run -o output
	# Signing and archiving with a demo PKI made afresh (a real one comes from the
	# e-signing service); the demo archive is rebuilt each time, a real one never is.
	$(BIN)/python tools/make_demo_pki.py output/demo-pki
	BESLUTSGEN_P12_PASSWORD=demo $(BIN)/beslutsgen sign \
	    output/regionstyrelsen-2025-11-25/protokoll.pdf --p12 output/demo-pki/ordforande.p12 \
	    -o output/regionstyrelsen-2025-11-25/protokoll-signerat.pdf
	rm -rf output/arkiv
	BESLUTSGEN_SIGILL_PASSWORD=demo $(BIN)/beslutsgen archive \
	    output/regionstyrelsen-2025-11-25/protokoll-signerat.pdf \
	    --meeting decisions/rs-2025-11-25-sammantrade.yaml -o output/arkiv
	$(BIN)/beslutsgen verify output/arkiv

test: $(DEVSTAMP) $(EARKSTAMP)
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
