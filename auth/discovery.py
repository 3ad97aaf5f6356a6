"""The issuer's OpenID discovery document: where its keys are, and proof that it is the issuer we trust."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from auth.errors import IssuerUnavailable
from auth.fetch import fetch_json_object

WELL_KNOWN_PATH = "/.well-known/openid-configuration"


@dataclass(frozen=True)
class IssuerMetadata:
    issuer: str
    jwks_uri: str


def discovery_url(issuer: str) -> str:
    """OpenID Connect Discovery 1.0 §4: the well-known path is appended after one trailing slash is removed."""
    return issuer.removesuffix("/") + WELL_KNOWN_PATH


async def fetch_metadata(http: httpx.AsyncClient, issuer: str, *, timeout: float) -> IssuerMetadata:
    """The issuer's metadata, checked against the configured issuer identifier."""
    url = discovery_url(issuer)
    document = await fetch_json_object(http, url, what="discovery document", timeout=timeout)
    advertised = document.get("issuer")
    # Discovery §4.3: the document must name exactly the issuer it was fetched for. Anything else
    # is a misconfiguration (or a hijacked endpoint), never a reason to trust another issuer.
    if advertised != issuer:
        raise IssuerUnavailable(
            f"the discovery document at {url} names issuer {advertised!r}, not the configured {issuer!r}"
        )
    jwks_uri = document.get("jwks_uri")
    if not isinstance(jwks_uri, str) or not jwks_uri.startswith(("https://", "http://")):
        raise IssuerUnavailable(f"the discovery document at {url} has no usable jwks_uri")
    return IssuerMetadata(issuer=issuer, jwks_uri=jwks_uri)
