"""The one settings object. Nothing else in Maillage reads the environment."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from auth.identity import ClaimsConfig, OrganisationKey
from auth.oidc_config import OidcConfig


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

    # Identity: bearer access tokens from this OIDC issuer, for this audience. Unset: no token is
    # accepted and every caller is anonymous.
    oidc_issuer: str | None = None
    oidc_audience: str = "maillage"
    oidc_algorithms: tuple[str, ...] = ("RS256", "PS256", "ES256")
    oidc_accepted_typ: tuple[str, ...] = ("at+jwt", "application/at+jwt")
    oidc_leeway_seconds: int = Field(default=30, ge=0, le=300)
    oidc_jwks_ttl_seconds: int = Field(default=600, ge=10)
    oidc_roles_claim: str = Field(default="roles", description='Dotted path, e.g. "realm_access.roles".')
    oidc_organisation_claim: str = Field(default="siret", description="Claim naming the caller's organisation.")
    oidc_organisation_key: OrganisationKey = OrganisationKey.SIRET
    oidc_caf_claim: str = Field(default="caf", description="Claim holding the department code of the caller's Caf.")

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    def oidc(self) -> OidcConfig | None:
        if not self.oidc_issuer:
            return None
        return OidcConfig(
            issuer=self.oidc_issuer,
            audience=self.oidc_audience,
            algorithms=self.oidc_algorithms,
            accepted_typ=self.oidc_accepted_typ,
            leeway_seconds=self.oidc_leeway_seconds,
            jwks_ttl_seconds=self.oidc_jwks_ttl_seconds,
        )

    def claims(self) -> ClaimsConfig:
        return ClaimsConfig(
            roles_claim=self.oidc_roles_claim,
            organisation_claim=self.oidc_organisation_claim,
            organisation_key=self.oidc_organisation_key,
            caf_claim=self.oidc_caf_claim,
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, read from the environment once per process."""
    return Settings()
