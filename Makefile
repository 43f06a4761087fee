# Two entry points for a fresh machine: `make demo` and `make test` (the README names both; CI runs `make test`).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXAMPLE := examples/vulnerable-project

.PHONY: demo test lint typecheck layers unit docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: install, build the example's model files, scan the example project (console + HTML report)
demo: $(STAMP)
	$(BIN)/python $(EXAMPLE)/make_models.py
	@mkdir -p out
	$(BIN)/mlwarden scan $(EXAMPLE) --format html --output out/report.html --exit-zero --no-progress
	@$(BIN)/mlwarden scan $(EXAMPLE) --no-progress; code=$$?; \
	  echo ""; echo "mlwarden exit code: $$code (1 = findings at or above the fail level: the gate would block this project)"; \
	  echo "HTML report: out/report.html"; test $$code -eq 1

## test: install, then every quality gate and the whole test suite
test: $(STAMP) lint typecheck layers unit

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples scripts
	$(BIN)/ruff format --check src tests benchmarks examples scripts

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

# pytest exits 5 when it collected no test; that is a failure here, never a silent pass.
# The `postgres` and `redis` tests need servers: scripts/services.sh (PostgreSQL) and scripts/redis.sh start
# throwaway ones on 127.0.0.1 (state in a directory of this run's own) and the EXIT trap stops them afterwards,
# also when tests fail or are interrupted.
unit: $(STAMP)
	@state=$$(mktemp -d "$${TMPDIR:-/tmp}/mlwarden-services.XXXXXX") && export MLWARDEN_SERVICES_DIR="$$state" && \
	  trap 'scripts/services.sh stop; scripts/redis.sh stop; rm -rf "$$MLWARDEN_SERVICES_DIR"' EXIT && \
	  trap 'exit 130' INT TERM && \
	  eval "$$(scripts/services.sh start)" && eval "$$(scripts/redis.sh start)" && \
	  $(BIN)/pytest -q -p no:cacheprovider

## docs: regenerate docs/catalog.md and docs/rules.md from the code
docs: $(STAMP)
	$(BIN)/python scripts/gen_docs.py

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache
