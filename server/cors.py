"""Cross-origin calls from the extranet's own origins, and from no other.

With no origin configured the service sends no CORS header at all, and browsers keep pages elsewhere from
reading its answers. Tokens travel in the Authorization header, never in cookies, so credentials are not
allowed: a page on a listed origin calls with the token it holds, never with ambient credentials.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from server.graphql_errors import graphql_error_response

# How long a browser may reuse a preflight's answer (browsers cap it: Chromium at two hours).
PREFLIGHT_MAX_AGE_SECONDS = 600


class ExtranetCORS(CORSMiddleware):
    def preflight_response(self, request_headers: Headers) -> Response:
        # An origin outside the list learns nothing of the policy (Starlette would still list the allowed
        # methods and headers in its refusal).
        if not self.is_allowed_origin(request_headers["origin"]):
            return graphql_error_response(
                403, "server.origin_not_allowed", code="ORIGIN_NOT_ALLOWED", headers={"Vary": "Origin"}
            )
        return super().preflight_response(request_headers)


def cors_middleware(origins: Sequence[str]) -> list[Middleware]:
    """The CORS layer for `origins`; none at all when there are none."""
    if not origins:
        return []
    return [
        Middleware(
            ExtranetCORS,
            allow_origins=list(origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            allow_credentials=False,
            max_age=PREFLIGHT_MAX_AGE_SECONDS,
        )
    ]
