"""GraphiQL served whole by the service: no CDN, so it works on networks that block them.

The page (on `GET /graphql`, see server/graphql.py) loads only files of the service's own, under
`/graphiql/assets/<digest>/<name>`: the vendored GraphiQL, React and ReactDOM builds
(server/static/graphiql/vendor, see its README) and the page's own script and stylesheet. The digest
is the file's SHA-256, so a URL names one content forever and browsers may cache it for a year; a new
version of a file gets a new URL. The page's Content-Security-Policy admits nothing but those files
and requests to the service itself: the page has no inline script or style.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router

STATIC = Path(__file__).parent / "static" / "graphiql"
ASSETS_PATH = "/graphiql/assets"

# In the order the page loads them: GraphiQL's bundle expects React and ReactDOM as globals.
STYLESHEETS = ("vendor/graphiql.min.css", "maillage-graphiql.css")
SCRIPTS = (
    "vendor/react.production.min.js",
    "vendor/react-dom.production.min.js",
    "vendor/graphiql.min.js",
    "maillage-graphiql.js",
)
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

# GraphiQL's stylesheet embeds its fonts and icons as data: URLs; everything else comes from 'self'.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class Asset:
    name: str  # the file's name, the last segment of its URL
    body: bytes
    media_type: str
    digest: str  # of the body: the segment of its URL before the name

    @property
    def url(self) -> str:
        return f"{ASSETS_PATH}/{self.digest}/{self.name}"


def _load(relative: str) -> Asset:
    path = STATIC / relative
    body = path.read_bytes()
    return Asset(path.name, body, MEDIA_TYPES[path.suffix], hashlib.sha256(body).hexdigest()[:16])


@cache
def assets() -> tuple[Asset, ...]:
    """The page's stylesheets then its scripts, read once per process."""
    return tuple(_load(relative) for relative in STYLESHEETS + SCRIPTS)


@cache
def page() -> str:
    stylesheets, scripts = assets()[: len(STYLESHEETS)], assets()[len(STYLESHEETS) :]
    links = "\n".join(f'    <link rel="stylesheet" href="{asset.url}">' for asset in stylesheets)
    tags = "\n".join(f'    <script src="{asset.url}"></script>' for asset in scripts)
    return f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Maillage · GraphiQL</title>
    <link rel="icon" href="data:,">
{links}
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
{tags}
  </body>
</html>
"""


def page_response() -> HTMLResponse:
    """The GraphiQL page; revalidated on every visit, so a new release's asset URLs are picked up."""
    return HTMLResponse(
        page(),
        headers={
            "content-security-policy": CONTENT_SECURITY_POLICY,
            "cache-control": "no-cache",
            "referrer-policy": "no-referrer",
            "x-content-type-options": "nosniff",
        },
    )


@cache
def _by_url() -> dict[str, Asset]:
    return {asset.url: asset for asset in assets()}


async def _asset(request: Request) -> Response:
    asset = _by_url().get(f"{ASSETS_PATH}/{request.path_params['digest']}/{request.path_params['name']}")
    if asset is None:  # an unknown file, or a digest of another version than this process serves
        return PlainTextResponse("Not Found", status_code=404)
    return Response(
        asset.body,
        media_type=asset.media_type,
        headers={"cache-control": IMMUTABLE, "x-content-type-options": "nosniff"},
    )


def assets_route() -> BaseRoute:
    """`GET /graphiql/assets/<digest>/<name>`, compressed for clients that accept it."""
    router = Router([Route("/{digest}/{name}", _asset, methods=["GET"])])
    return Mount(ASSETS_PATH, app=GZipMiddleware(router))
