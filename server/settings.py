"""The one settings object. Nothing else in Maillage reads the environment."""

from __future__ import annotations

import os
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from auth import dev_issuer
from auth.identity import ClaimsConfig, OrganisationKey
from auth.oidc_config import OidcConfig
from db.engine import Timeouts

LogFormat = Literal["json", "text"]


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
    # A compiled read holds its connection for one statement only: more connections than PostgreSQL has cores to
    # run them only make them take turns on the cores, and under load one read in a hundred waited tens of
    # milliseconds for its turn (bench/RESULTS.md: p99 on B 100 ms with 16 connections, 29 ms with 4, on 2 cores).
    compiled_pool_size: int = Field(
        default_factory=lambda: 2 * (os.cpu_count() or 1),
        ge=1,
        description="Connections of the compiled reads' pool, per process (default: twice this machine's cores).",
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The base URL clients, and the service itself, reach it by.",
    )
    dev_issuer: bool = Field(
        default=False,
        description="Serve a development OIDC issuer under /dev-issuer and trust it; refused in production.",
    )

    # HTTP: which browser origins may call, and how much one request may carry.
    cors_origins: tuple[str, ...] = Field(
        default=(),
        description='Origins whose pages may call the service, e.g. ["https://extranet.example.fr"]; empty: no CORS.',
    )
    max_body_bytes: int = Field(
        default=100 * 1024,
        ge=1024,
        description="Largest request body accepted; larger ones get 413 before anything runs.",
    )

    # Operation limits: checked before any SQL runs (server/limits/).
    max_tokens: int = Field(default=3000, ge=10, description="Most lexical tokens one GraphQL document may have.")
    max_depth: int = Field(default=12, ge=2, description="Deepest nesting of fields an operation may ask for.")
    max_aliases: int = Field(
        default=30, ge=0, description="Most aliases in one operation, fragments counted as often as spread."
    )
    max_cost: int = Field(
        default=50_000,
        ge=1,
        description="Most objects an operation may return by estimate, page sizes multiplied (`first`/`last`).",
    )
    prepared_cache_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=0,
        description="Memory each cache of requests (parsed and validated; compiled statements) may take, by "
        "estimate; 0: none is cached.",
    )
    trusted_documents_only: bool = Field(
        default=False,
        description="Serve only operations registered with `maillage documents load`, referenced by hash.",
    )
    statement_timeout_ms: int = Field(
        default=5000, ge=0, description="PostgreSQL statement_timeout of each request's transaction; 0: none."
    )
    database_connect_timeout_seconds: float = Field(
        default=5.0, gt=0, description="Longest wait for a new connection to PostgreSQL, authentication included."
    )
    database_acquire_timeout_seconds: float = Field(
        default=5.0, gt=0, description="Longest wait for a free connection of the pool."
    )
    database_pooler: Literal["none", "transaction"] = Field(
        default="none",
        description="What stands between the service and PostgreSQL: `transaction`, a pooler such as PgBouncer in "
        "transaction mode (each request's role and scope local to its transaction, no session state, no named "
        "prepared statements); `none`, PostgreSQL itself.",
    )

    # Exports (GET /export/...): bounded like every request, with room for a department's or the nation's rows.
    export_max_rows: int = Field(
        default=200_000, ge=1, description="Most rows one export may hold; more is refused before anything is sent."
    )
    export_statement_timeout_ms: int = Field(
        default=60_000, ge=0, description="PostgreSQL statement_timeout of an export's transaction; 0: none."
    )

    # Running: processes, logs, metrics, traces, shutdown.
    workers: int = Field(default=1, ge=1, description="uvicorn worker processes (more than 1 needs DATABASE_URL).")
    log_format: LogFormat = Field(default="json", description="`json`: one JSON object per line; `text`: plain.")
    metrics: bool = Field(default=True, description="Serve Prometheus metrics at /metrics.")
    metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Serve /metrics on this port of the same host, and not on the main one; unset: on the main one.",
    )
    # Read under prometheus_client's own name, which the library itself reads when the process starts: `serve`
    # sets it up for its workers when there are several (server/cli.py). Not for operators to set.
    metrics_multiprocess_dir: Path | None = Field(
        default=None,
        validation_alias="PROMETHEUS_MULTIPROC_DIR",
        description="Where the workers of one `serve` keep their metrics, summed when scraped.",
    )
    otlp_endpoint: str | None = Field(
        default=None,
        description="OTLP/HTTP collector base URL (http://collector:4318); traces go to /v1/traces under it.",
    )
    service_name: str = Field(default="maillage", description="The service.name of traces.")
    shutdown_drain_seconds: float = Field(
        default=0.0,
        ge=0,
        description="On SIGTERM, how long /readyz says 503 while the service still accepts, before it stops.",
    )
    shutdown_timeout_seconds: float = Field(
        default=30.0, gt=0, description="How long requests in flight may take to finish once the service stops."
    )

    # Reads: queries the compiler covers are answered by one SQL statement building the JSON (on), or always
    # by the resolvers (off); `verify` runs both and refuses to answer when they differ (tests, canaries).
    compiled_reads: Literal["on", "off", "verify"] = Field(
        default="on", description="on, off or verify: how queries the compiler covers are answered."
    )
    compiled_max_cost: int = Field(
        default=100_000,
        ge=0,
        description="Most objects, by estimate, a query answered by one compiled statement may return; "
        "costlier ones are answered by the resolvers.",
    )

    # Identity: bearer access tokens from this OIDC issuer, for this audience. Unset: no token is
    # accepted and every caller is anonymous.
    oidc_issuer: str | None = None
    anonymous_only: bool = Field(
        default=False,
        description="In production, serve without an OIDC issuer: every caller is anonymous, on purpose.",
    )
    oidc_audience: str = "maillage"
    oidc_algorithms: tuple[str, ...] = ("RS256", "PS256", "ES256")
    oidc_accepted_typ: tuple[str, ...] = ("at+jwt", "application/at+jwt")
    oidc_leeway_seconds: int = Field(default=30, ge=0, le=300)
    oidc_jwks_ttl_seconds: int = Field(default=600, ge=10)
    oidc_roles_claim: str = Field(default="roles", description='Dotted path, e.g. "realm_access.roles".')
    oidc_organisation_claim: str = Field(default="siret", description="Claim naming the caller's organisation.")
    oidc_organisation_key: OrganisationKey = OrganisationKey.SIRET
    oidc_caf_claim: str = Field(default="caf", description="Claim holding the department code of the caller's Caf.")

    @field_validator("public_url")
    @classmethod
    def _an_http_base_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError(f"{value!r} is not a base URL such as http://127.0.0.1:8000")
        return value.removesuffix("/")

    @field_validator("cors_origins")
    @classmethod
    def _exact_origins(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        # Browsers send Origin as scheme://host[:port], lower case, nothing after: anything else would never
        # match, and "*" would open the service to every site.
        for value in values:
            parts = urlsplit(value)
            if (
                parts.scheme not in ("http", "https")
                or not parts.netloc
                or value.endswith("/")
                or parts.path
                or parts.query
                or parts.fragment
                or value != value.lower()
            ):
                raise ValueError(f"{value!r} is not an origin such as https://extranet.example.fr")
        return values

    @model_validator(mode="after")
    def _dev_issuer_only_in_development(self) -> Settings:
        if self.dev_issuer and self.is_production:
            raise ValueError(
                "MAILLAGE_DEV_ISSUER=true is refused in production: whoever can run `maillage dev-token` "
                "there could act as anyone; unset MAILLAGE_DEV_ISSUER"
            )
        return self

    @model_validator(mode="after")
    def _trust_the_dev_issuer_by_default(self) -> Settings:
        # An issuer set explicitly wins; otherwise the dev issuer, once enabled, is the one trusted, and
        # its tokens name organisations by ref unless the claim settings say otherwise.
        if self.dev_issuer and not self.oidc_issuer:
            self.oidc_issuer = self.dev_issuer_url
            if "oidc_organisation_claim" not in self.model_fields_set:
                self.oidc_organisation_claim = dev_issuer.ORGANISATION_CLAIM
            if "oidc_organisation_key" not in self.model_fields_set:
                self.oidc_organisation_key = OrganisationKey.REF
        return self

    @model_validator(mode="after")
    def _production_names_its_database_and_issuer(self) -> Settings:
        if not self.is_production:
            return self
        if not self.database_url:
            raise ValueError(
                "MAILLAGE_DATABASE_URL is required in production: the embedded PostgreSQL is for development only"
            )
        if not self.oidc_issuer and not self.anonymous_only:
            raise ValueError(
                "in production, set MAILLAGE_OIDC_ISSUER (the identity provider whose tokens are accepted), or "
                "MAILLAGE_ANONYMOUS_ONLY=true to serve anonymous callers only"
            )
        return self

    @field_validator("otlp_endpoint")
    @classmethod
    def _an_http_endpoint(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{value!r} is not an OTLP/HTTP base URL such as http://collector:4318")
        return value.removesuffix("/")

    def database_timeouts(self) -> Timeouts:
        """Bounds on every wait for PostgreSQL. A round trip is bounded on the client's clock too, a second past
        the server's statement_timeout: a frozen server never enforces its own."""
        command = self.statement_timeout_ms / 1000 + 1.0 if self.statement_timeout_ms else None
        return Timeouts(
            connect=self.database_connect_timeout_seconds,
            acquire=self.database_acquire_timeout_seconds,
            command=command,
        )

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def dev_issuer_url(self) -> str:
        """The development issuer's identifier, whether or not it is enabled."""
        return dev_issuer.issuer_url(self.public_url)

    @property
    def trusts_dev_issuer(self) -> bool:
        return self.dev_issuer and self.oidc_issuer == self.dev_issuer_url

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
