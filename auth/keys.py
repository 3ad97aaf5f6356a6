"""The trusted issuer's signature keys: found through discovery, cached, refreshed without hammering it.

One asyncio.Lock guards every fetch, and a request that waited on the lock takes the outcome of the fetch
that finished meanwhile instead of starting its own: a burst of requests on a cold cache costs one
discovery fetch and one JWKS fetch. An unknown `kid` may mean the issuer rotated its keys, so it earns one
re-fetch, but no more than one per cooldown: random kids must not turn this service into a load generator
aimed at the issuer. When the issuer is down, the keys already fetched keep verifying, whatever their age.
"""

from __future__ import annotations

import asyncio
import logging
import time

import httpx

from auth.discovery import IssuerMetadata, fetch_metadata
from auth.errors import InvalidToken, IssuerUnavailable
from auth.jwks import SignatureKey, SigningKeys, fetch_signing_keys
from auth.oidc_config import OidcConfig

logger = logging.getLogger(__name__)


class IssuerKeys:
    def __init__(self, config: OidcConfig, http: httpx.AsyncClient) -> None:
        self._config = config
        self._http = http
        self._lock = asyncio.Lock()
        self._metadata: IssuerMetadata | None = None
        self._metadata_fetched_at = 0.0
        self._keys: SigningKeys | None = None
        self._keys_fetched_at = 0.0
        # When the last fetch attempt ended (success or not), and why it failed if it did.
        self._attempt_ended_at: float | None = None
        self._failure: IssuerUnavailable | None = None
        self._unknown_kid_refetch_at: float | None = None

    async def key_for(self, kid: str | None, alg: str) -> SignatureKey:
        """The issuer's key for `kid` and `alg`, re-fetching the JWKS once when the kid is new to us."""
        asked_at = time.monotonic()
        key = (await self._usable_keys(asked_at)).find(kid, alg)
        if key is None and self._may_refetch_for_unknown_kid(asked_at):
            # Set before awaiting, so that concurrent requests with unknown kids do not each re-fetch.
            self._unknown_kid_refetch_at = time.monotonic()
            key = (await self._refresh(asked_at)).find(kid, alg)
        if key is None:
            raise InvalidToken("the token is signed with a key the issuer does not publish (unknown kid)")
        return key

    async def _usable_keys(self, asked_at: float) -> SigningKeys:
        if self._keys is not None:
            fresh = time.monotonic() - self._keys_fetched_at < self._config.jwks_ttl_seconds
            if fresh or self._failed_recently():
                return self._keys
        return await self._refresh(asked_at)

    def _failed_recently(self) -> bool:
        # While the issuer is down, try it again only once per cooldown rather than on every request.
        return (
            self._failure is not None
            and self._attempt_ended_at is not None
            and time.monotonic() - self._attempt_ended_at < self._config.unknown_kid_cooldown_seconds
        )

    def _may_refetch_for_unknown_kid(self, asked_at: float) -> bool:
        if self._keys_fetched_at >= asked_at:
            return False  # the keys were fetched after this token arrived: a re-fetch would tell nothing new
        last = self._unknown_kid_refetch_at
        return last is None or time.monotonic() - last >= self._config.unknown_kid_cooldown_seconds

    async def _refresh(self, asked_at: float) -> SigningKeys:
        async with self._lock:
            if self._attempt_ended_at is None or self._attempt_ended_at < asked_at:
                await self._fetch()
            if self._keys is not None:
                return self._keys
            assert self._failure is not None
            raise self._failure

    async def _fetch(self) -> None:
        try:
            metadata = await self._current_metadata()
            keys = await fetch_signing_keys(self._http, metadata.jwks_uri, timeout=self._config.http_timeout_seconds)
        except IssuerUnavailable as failure:
            self._failure = failure
            if self._keys is not None:
                logger.warning("keeping the cached signing keys: %s", failure.reason)
        else:
            self._keys, self._keys_fetched_at, self._failure = keys, time.monotonic(), None
        finally:
            self._attempt_ended_at = time.monotonic()

    async def _current_metadata(self) -> IssuerMetadata:
        if self._metadata is not None and (
            time.monotonic() - self._metadata_fetched_at < self._config.jwks_ttl_seconds
        ):
            return self._metadata
        try:
            metadata = await fetch_metadata(self._http, self._config.issuer, timeout=self._config.http_timeout_seconds)
        except IssuerUnavailable as failure:
            if self._metadata is None:
                raise
            # The jwks_uri learnt earlier is still the best guess while discovery is unavailable.
            logger.warning("keeping the cached discovery document: %s", failure.reason)
            return self._metadata
        self._metadata, self._metadata_fetched_at = metadata, time.monotonic()
        return metadata
