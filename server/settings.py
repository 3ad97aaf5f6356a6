"""The one settings object. Nothing else in Maillage reads the environment."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Every setting comes from a `MAILLAGE_`-prefixed environment variable (or a `.env` file)."""

    model_config = SettingsConfigDict(env_prefix="MAILLAGE_", env_file=".env", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL. Unset: an embedded PostgreSQL is started in `data_dir`.",
    )
    data_dir: Path = Field(
        default=Path(".maillage"),
        description="Folder for local state: the embedded PostgreSQL's data lives in `data_dir/pgdata`.",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    graphiql: bool = Field(default=True, description="Serve the GraphiQL IDE on GET /graphql.")
    log_level: str = "info"
    database_pool_size: int = Field(default=10, ge=1)

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, read from the environment once per process."""
    return Settings()
