"""GraphiQL served by the service itself: a page loading only same-origin files, under a strict CSP."""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy.engine import URL

from server.app import create_app
from server.settings import Settings
from tests.conftest import serve

HTML = {"accept": "text/html"}
VENDORED = Path(__file__).resolve().parents[2] / "server" / "static" / "graphiql"


class _Page(HTMLParser):
    """The URLs a page loads, and whether it holds inline scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []
        self.urls: list[str] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.urls += [value for name, value in values.items() if name in ("src", "href", "action", "srcset")]
        if tag == "script":
            self.scripts.append(values.get("src", ""))
        if tag == "link" and values.get("rel") == "stylesheet":
            self.stylesheets.append(values["href"])
        if tag == "style" or "style" in values or any(name.startswith("on") for name in values):
            self.inline.append(tag)


async def _page(client: httpx.AsyncClient) -> tuple[httpx.Response, _Page]:
    response = await client.get("/graphql", headers=HTML)
    assert response.status_code == 200, response.text
    parsed = _Page()
    parsed.feed(response.text)
    return response, parsed


async def test_the_page_loads_nothing_from_another_origin(http: httpx.AsyncClient) -> None:
    _, page = await _page(http)

    assert page.scripts
    assert page.stylesheets
    absolute = [url for url in page.urls if urlsplit(url).scheme in ("http", "https") or url.startswith("//")]
    assert absolute == []
    assert all(url.startswith("/graphiql/assets/") for url in page.scripts + page.stylesheets)


async def test_the_page_has_no_inline_script_or_style(http: httpx.AsyncClient) -> None:
    _, page = await _page(http)

    assert "" not in page.scripts, "an inline <script>"
    assert page.inline == []


async def test_the_page_allows_only_its_own_origin(http: httpx.AsyncClient) -> None:
    response, _ = await _page(http)

    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in response.headers["content-security-policy"].split(";")
        if directive.strip()
    }
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    # No source but the service itself and data: URLs (GraphiQL's embedded fonts and icons).
    assert {source for sources in policy.values() for source in sources} <= {"'none'", "'self'", "data:"}
    assert response.headers["cache-control"] == "no-cache"


async def test_every_file_of_the_page_is_served_for_a_year_under_its_digest(http: httpx.AsyncClient) -> None:
    _, page = await _page(http)

    for url in page.scripts + page.stylesheets:
        response = await http.get(url)

        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/javascript" if url.endswith(".js") else "text/css")
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["x-content-type-options"] == "nosniff"
        digest = url.split("/")[-2]
        assert hashlib.sha256(response.content).hexdigest().startswith(digest), url


async def test_the_page_loads_react_then_graphiql_then_its_own_script(http: httpx.AsyncClient) -> None:
    _, page = await _page(http)

    names = [url.rsplit("/", 1)[1] for url in page.scripts]
    assert names == [
        "react.production.min.js",
        "react-dom.production.min.js",
        "graphiql.min.js",
        "maillage-graphiql.js",
    ]


async def test_files_are_compressed_for_clients_that_accept_it(http: httpx.AsyncClient) -> None:
    _, page = await _page(http)
    bundle = next(url for url in page.scripts if url.endswith("/graphiql.min.js"))

    response = await http.get(bundle, headers={"accept-encoding": "gzip"})

    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < len(response.content) / 3


async def test_a_file_under_another_digest_is_not_found(http: httpx.AsyncClient) -> None:
    _, page = await _page(http)
    bundle = next(url for url in page.scripts if url.endswith("/graphiql.min.js"))
    stale = bundle.replace(bundle.split("/")[-2], "0" * 16)

    assert (await http.get(stale)).status_code == 404
    assert (await http.get("/graphiql/assets/" + bundle.split("/")[-2] + "/fetch.sh")).status_code == 404


async def test_without_graphiql_neither_the_page_nor_its_files_are_served(database: URL) -> None:
    settings = Settings(_env_file=None, graphiql=False)
    async with serve(create_app(settings, database)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        page = await client.get("/graphql", headers=HTML)
        assets = await client.get("/graphiql/assets/0000000000000000/graphiql.min.js")

    # a browser asking for the page gets no HTML: the endpoint only speaks JSON then (GraphQL over HTTP: 406)
    assert page.status_code == 406
    assert page.headers["content-type"].startswith("application/json")
    assert "<html" not in page.text.lower()
    assert assets.status_code == 404


@pytest.mark.parametrize("package", ["graphiql", "react", "react-dom"])
def test_each_vendored_package_comes_with_its_licence(package: str) -> None:
    assert "MIT License" in (VENDORED / "LICENSES" / f"{package}.txt").read_text()


def test_the_vendored_files_are_the_ones_fetch_sh_recorded() -> None:
    # SHA256SUMS is written by fetch.sh from the npm registry's tarballs: a hand edit shows here.
    lines = (VENDORED / "SHA256SUMS").read_text().splitlines()

    assert {line.split()[1] for line in lines} >= {
        "vendor/graphiql.min.js",
        "vendor/graphiql.min.css",
        "vendor/react.production.min.js",
        "vendor/react-dom.production.min.js",
    }
    for line in lines:
        digest, name = line.split()
        assert hashlib.sha256((VENDORED / name).read_bytes()).hexdigest() == digest, name
