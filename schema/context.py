"""The typed per-request context: the request's database access and its DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field

import strawberry
from starlette.requests import HTTPConnection

from auth.identity import Identity
from auth.policy import ANONYMOUS_SCOPE, Scope
from auth.principal import ANONYMOUS, Principal
from db.session import RequestDatabase
from schema.loaders import GraphLoaders
from schema.messages import DEFAULT


@dataclass
class Context:
    request: HTTPConnection  # a Request, or the WebSocket of a subscription
    database: RequestDatabase
    identity: Identity | None = None  # None: anonymous
    access: Scope = ANONYMOUS_SCOPE  # what the caller may see, from the access policy
    principal: Principal = ANONYMOUS
    request_id: str = ""  # what a client quotes about a failure, and what the logs hold of it
    graph: GraphLoaders = field(init=False)

    def __post_init__(self) -> None:
        # Loaders live for one request only: their cache must never outlive the caller's rights.
        self.graph = GraphLoaders(self.database)

    @property
    def language(self) -> str:
        """The request's language, negotiated from its Accept-Language (server/language.py): fr or en."""
        return str(self.request.scope.get("state", {}).get("language", DEFAULT))


Info = strawberry.Info[Context, None]
