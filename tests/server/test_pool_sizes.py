"""The compiled reads' pool is sized to the cores by default (each read holds its connection for one statement;
more connections than cores only make reads take turns on them), and the setting says otherwise."""

from __future__ import annotations

import os

import pytest
from sqlalchemy.engine import URL

from server.app import create_app
from server.settings import Settings


def test_the_compiled_pool_has_twice_the_cores_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(_env_file=None).compiled_pool_size == 2 * (os.cpu_count() or 1)
    monkeypatch.setenv("MAILLAGE_COMPILED_POOL_SIZE", "3")
    assert Settings(_env_file=None).compiled_pool_size == 3
    monkeypatch.setenv("MAILLAGE_COMPILED_POOL_SIZE", "0")
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        Settings(_env_file=None)


def test_the_application_opens_its_compiled_pool_at_that_size(database: URL) -> None:
    app = create_app(Settings(_env_file=None, compiled_pool_size=5, database_pool_size=7), database)
    assert app.state.compiled.reads.size == 5
