"""Production mode names its database and its identity provider: it refuses to start guessing either."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from server.settings import Settings
from tests.server.commands import assert_one_clear_line, run

DATABASE = "postgresql://maillage@db.example/maillage"


def test_production_without_a_database_url_is_refused() -> None:
    with pytest.raises(ValidationError, match="MAILLAGE_DATABASE_URL is required in production"):
        Settings(_env_file=None, environment="production", oidc_issuer="https://idp.example")


def test_production_without_an_issuer_is_refused_unless_anonymous_only_says_so() -> None:
    with pytest.raises(ValidationError, match=r"set MAILLAGE_OIDC_ISSUER .* or MAILLAGE_ANONYMOUS_ONLY=true"):
        Settings(_env_file=None, environment="production", database_url=DATABASE)
    assert Settings(_env_file=None, environment="production", database_url=DATABASE, anonymous_only=True)
    assert Settings(_env_file=None, environment="production", database_url=DATABASE, oidc_issuer="https://idp.example")


def test_development_needs_neither() -> None:
    assert Settings(_env_file=None).database_url is None


def test_serve_in_production_without_an_issuer_says_so_in_one_line(tmp_path: Path) -> None:
    result = run(["serve"], tmp_path, environment="production", database_url="postgresql://x@127.0.0.1:9/x")
    assert_one_clear_line(result, r"MAILLAGE_OIDC_ISSUER")
