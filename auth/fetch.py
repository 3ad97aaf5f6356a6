"""GET a JSON object from the issuer, turning every way it can fail into IssuerUnavailable."""

from __future__ import annotations

import json
from typing import Any

import httpx

from auth.errors import IssuerUnavailable


async def fetch_json_object(http: httpx.AsyncClient, url: str, *, what: str, timeout: float) -> dict[str, Any]:
    """The JSON object served at `url`; `what` names it in the reason when it cannot be had."""
    try:
        response = await http.get(url, timeout=timeout, headers={"Accept": "application/json"})
    except httpx.TimeoutException:
        raise IssuerUnavailable(f"the issuer's {what} did not answer in time ({url})") from None
    except httpx.HTTPError as error:
        raise IssuerUnavailable(f"the issuer's {what} cannot be fetched ({url}): {type(error).__name__}") from None
    if response.status_code != httpx.codes.OK:
        raise IssuerUnavailable(f"the issuer's {what} answered HTTP {response.status_code} ({url})")
    try:
        document = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise IssuerUnavailable(f"the issuer's {what} is not JSON ({url})") from None
    if not isinstance(document, dict):
        raise IssuerUnavailable(f"the issuer's {what} is not a JSON object ({url})")
    return document
