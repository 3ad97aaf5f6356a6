"""Persisted-document manifests, as the extranet's build emits them, read and checked before registering.

Two formats are accepted:

- a JSON object mapping each hash to its document, `{"<sha256>": "query ..."}`, as GraphQL Codegen's client
  preset writes `persisted-documents.json` (keys may carry the `sha256:` prefix);
- Apollo's persisted query manifest, `{"format": "apollo-persisted-query-manifest", "version": 1,
  "operations": [{"id": "<sha256>", "name": ..., "type": ..., "body": "query ..."}]}`.

Every hash must be the SHA-256 of its document's exact text, and every document must validate against the
schema: a manifest with one bad entry is refused whole, naming it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graphql import GraphQLError, GraphQLSchema, parse, validate

from server.trusted_documents import PREFIX, sha256_of

APOLLO_FORMAT = "apollo-persisted-query-manifest"
_HEX = re.compile(r"[0-9a-f]{64}")


class ManifestError(Exception):
    """The manifest cannot be registered; the message names the entry and what is wrong."""


def _entries(raw: Any, name: str) -> Iterable[tuple[Any, Any]]:
    if isinstance(raw, dict) and raw.get("format") == APOLLO_FORMAT:
        if raw.get("version") != 1:
            raise ManifestError(f"{name}: only version 1 of {APOLLO_FORMAT} is known, not {raw.get('version')!r}")
        operations = raw.get("operations")
        if not isinstance(operations, list) or not all(isinstance(op, dict) for op in operations):
            raise ManifestError(f"{name}: `operations` must be a list of {{id, body}} objects")
        return [(operation.get("id"), operation.get("body")) for operation in operations]
    if isinstance(raw, dict):
        return raw.items()
    raise ManifestError(f"{name}: expected a JSON object of hash → document, or an Apollo persisted query manifest")


def read_manifest(path: Path, schema: GraphQLSchema) -> dict[str, str]:
    """The manifest's documents by lower-case hex SHA-256, each hash checked against its text."""
    name = path.name
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ManifestError(f"cannot read {path} ({error.strerror})") from error
    except ValueError as error:
        raise ManifestError(f"{name} is not UTF-8 JSON ({error})") from error
    documents: dict[str, str] = {}
    for key, body in _entries(raw, name):
        if not isinstance(key, str) or not isinstance(body, str):
            raise ManifestError(f"{name}: every entry needs a string hash and a string document, got {key!r}")
        digest = key.removeprefix(PREFIX).lower()
        if not _HEX.fullmatch(digest):
            raise ManifestError(f"{name}: {key!r} is not a SHA-256 hash (64 hex digits)")
        actual = sha256_of(body)
        if actual != digest:
            raise ManifestError(
                f"{name}: the document under {key} hashes to {actual} with SHA-256; "
                "was the manifest made with another algorithm? (GraphQL Codegen: hashAlgorithm 'sha256')"
            )
        try:
            errors = validate(schema, parse(body))
        except GraphQLError as error:
            errors = [error]
        if errors:
            raise ManifestError(f"{name}: the document under {key} does not validate: {errors[0].message}")
        documents[digest] = body
    return documents
