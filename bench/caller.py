"""Who the benchmark calls as: a development persona (a Cnaf analyst unless told) with a real token, so
that authorization is measured too.

The services run with the development issuer on, sharing one key folder and one issuer URL (the first
service's), and the load generator presents a token that issuer signed: each request goes through token
verification, the caller's resolution, its scope and row-level security, as in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auth.dev_issuer import DevIssuer, issuer_url
from auth.dev_personas import PERSONAS, Persona
from server.settings import Settings

PERSONA = next(persona for persona in PERSONAS if persona.name == "cnaf-analyst")


BENCH_MAX_COST = 100_000_000


@dataclass(frozen=True)
class BenchCaller:
    data_dir: Path  # where the development issuer keeps its key
    public_url: str  # the issuer's base URL: the first service's

    def environment(self) -> dict[str, str]:
        """What every service's environment adds."""
        return {
            "MAILLAGE_DEV_ISSUER": "true",
            "MAILLAGE_PUBLIC_URL": self.public_url,
            "MAILLAGE_DATA_DIR": str(self.data_dir),
            # The workloads ask for pages of 100 under pages of 100: far over the default cost limit.
            "MAILLAGE_MAX_COST": str(BENCH_MAX_COST),
            # …and past the compiled reads' own bound, which leaves such pages to the resolvers by default.
            "MAILLAGE_COMPILED_MAX_COST": str(BENCH_MAX_COST),
        }

    def settings(self) -> Settings:
        """Settings of an in-process app trusting the same issuer (served by the first service)."""
        return Settings(
            _env_file=None,
            dev_issuer=True,
            public_url=self.public_url,
            data_dir=self.data_dir,
            max_cost=BENCH_MAX_COST,
            compiled_max_cost=BENCH_MAX_COST,
        )

    def issuer(self) -> str:
        """The `iss` of the tokens, as the audit trail records it."""
        return issuer_url(self.public_url)

    def headers(self, persona: Persona = PERSONA) -> dict[str, str]:
        """A fresh token for `persona` (valid an hour)."""
        settings = self.settings()
        issuer = DevIssuer.open(self.data_dir, issuer=self.issuer(), audience=settings.oidc_audience)
        return {"authorization": f"Bearer {issuer.access_token(persona)}"}
