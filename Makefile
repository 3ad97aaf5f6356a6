# The two commands of the README: `make run` and `make test`. Both create the virtual environment first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint lock vendor-graphiql

# Installs the versions pinned in requirements-dev.lock (see `make lock`), never newer ones.
$(STAMP): pyproject.toml requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Maillage needs Python 3.11 or newer: run 'make PYTHON=python3.12 ...'" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint requirements-dev.lock -e '.[dev]'
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

# Pin anew, from pyproject.toml's ranges, the newest releases they allow: requirements.lock for the image (the
# service alone), requirements-dev.lock for make and CI (with the dev tools, the embedded PostgreSQL, the bench's
# tools), at the same versions. Run it after changing a dependency, or to take updates; review and commit both.
LOCK_VENV := .lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet .
	{ echo "# The service's pinned dependencies, made by 'make lock' from pyproject.toml; do not edit."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --exclude maillage; } > requirements.lock
	$(LOCK_VENV)/bin/python -m pip install --quiet '.[dev,embedded,bench]'
	{ echo "# The service's and the development tools' pinned dependencies, made by 'make lock'; do not edit."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --exclude maillage; } > requirements-dev.lock
	rm -rf $(LOCK_VENV)

# Re-fetch the vendored GraphiQL, React and ReactDOM builds from the npm registry (not part of the build).
vendor-graphiql:
	server/static/graphiql/fetch.sh
