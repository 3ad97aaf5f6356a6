"""Operations referenced by hash: registered documents, and the mode that accepts nothing else.

A request names a registered document by `documentId: "sha256:<hex>"` (GraphQL over HTTP, persisted
documents appendix) or by `extensions.persistedQuery.sha256Hash` (what Apollo clients send). A hash names
one text forever, so documents found are kept in memory: a hit costs no SQL after the first. Misses are
not kept, since the operator may register the document at any time.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError

from db.documents import registered_body
from db.session import RequestDatabase

_HEX = re.compile(r"[0-9a-f]{64}")
PREFIX = "sha256:"


class DocumentRefused(GraphQLError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, extensions={"code": code})


def sha256_of(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def requested_hash(document_id: object, extensions: Mapping[str, Any] | None) -> str | None:
    """The lower-case hex SHA-256 a request names its document by, or None when it names none."""
    if document_id is not None:
        if not isinstance(document_id, str) or not document_id.startswith(PREFIX):
            raise DocumentRefused("BAD_REQUEST", 'documentId must be "sha256:" followed by 64 lower-case hex digits')
        digest: object = document_id.removeprefix(PREFIX)
    else:
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            return None
        if not isinstance(persisted, dict) or persisted.get("version", 1) != 1:
            raise DocumentRefused("BAD_REQUEST", "extensions.persistedQuery must be {version: 1, sha256Hash: <hex>}")
        digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not _HEX.fullmatch(digest):
        raise DocumentRefused("BAD_REQUEST", "a document hash is 64 lower-case hex digits (SHA-256)")
    return digest


class TrustedDocuments:
    def __init__(self, *, only: bool) -> None:
        self.only = only
        # Bounded by what the operator registered: only registered documents are ever kept.
        self._bodies: dict[str, str] = {}

    async def query_for(self, database: RequestDatabase, query: str | None, digest: str | None) -> str | None:
        """The document text to run: the request's own, or the registered one its hash names.

        None when the request carries neither (the caller refuses it as it refuses any request without a query).
        """
        if digest is None:
            if self.only and query is not None:
                raise DocumentRefused(
                    "TRUSTED_DOCUMENT_REQUIRED",
                    "this service runs registered operations only: send the document's hash as "
                    'documentId ("sha256:<hex>") instead of its text',
                )
            return query
        if query is not None and sha256_of(query) != digest:
            raise DocumentRefused("BAD_REQUEST", "the document's SHA-256 is not the hash the request names")
        if query is not None and not self.only:
            return query  # an Apollo client's retry with the text: any valid operation may run
        body = await self._registered(database, digest)
        if body is None:
            raise DocumentRefused(
                "PERSISTED_QUERY_NOT_FOUND", f"no operation is registered under sha256:{digest}; register it first"
            )
        return body

    async def _registered(self, database: RequestDatabase, digest: str) -> str | None:
        body = self._bodies.get(digest)
        if body is None:
            body = await registered_body(database, digest)
            if body is not None:
                self._bodies[digest] = body
        return body
