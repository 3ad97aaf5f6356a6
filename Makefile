# The two commands of the README: `make run` and `make test`. Both create the virtual environment first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint vendor-graphiql

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Maillage needs Python 3.11 or newer: run 'make PYTHON=python3.12 ...'" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Serve GraphQL and GraphiQL at http://127.0.0.1:8000/graphql with the demo data.
run: $(STAMP)
	$(BIN)/maillage serve --demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Lint, types, then every test against a real PostgreSQL (MAILLAGE_TEST_DATABASE_URL, or an embedded one).
test: lint
	$(BIN)/pytest

# Re-fetch the vendored GraphiQL, React and ReactDOM builds from the npm registry (not part of the build).
vendor-graphiql:
	server/static/graphiql/fetch.sh
