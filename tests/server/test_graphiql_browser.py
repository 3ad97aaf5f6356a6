"""GraphiQL in a real headless browser, with no request allowed off the machine.

Drives Debian's chromium (/usr/bin/chromium) with Playwright, never a browser Playwright downloads.
Without it the test is skipped, unless MAILLAGE_TEST_REQUIRE_BROWSER=1 (CI sets it) makes that a failure.
"""

from __future__ import annotations

import ipaddress
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, ConsoleMessage, Error, Page, Route, async_playwright, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.dev_personas import BY_NAME
from schema import schema
from tests.auth.issuer import LocalIssuer
from tests.schema import conftest as graph
from tests.schema.conftest import as_persona

# The graph's fixtures, here too: the app on the demo database, trusting an issuer of persona tokens.
demo_app = graph.demo_app
graph_issuer = graph.graph_issuer

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_BROWSER = "MAILLAGE_TEST_REQUIRE_BROWSER"

CTGS = "{ ctgs { totalCount nodes { title } } }"
QUERY_FIELDS = tuple(schema._schema.type_map["Query"].fields)  # type: ignore[attr-defined]
TOULOUSE = "Convention territoriale globale de Toulouse Métropole 2022-2026"
NANTES = "Convention territoriale globale de Nantes Métropole"


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get(REQUIRE_BROWSER) == "1":
            pytest.fail(f"{CHROMIUM} is missing and {REQUIRE_BROWSER}=1: install Debian's chromium package")
        pytest.skip(f"no headless browser: {CHROMIUM} is missing (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
async def browser(chromium: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium)
        yield browser
        await browser.close()


def _on_this_machine(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def _replace_text(page: Page, editor: str, text: str) -> None:
    """Types `text` into one of GraphiQL's editors in place of what it holds, as a paste would."""
    await page.locator(f"{editor} .CodeMirror").click()
    await page.keyboard.press("Control+A")
    await page.keyboard.insert_text(text)


async def _run(page: Page) -> None:
    await page.locator(".graphiql-execute-button").click()


async def test_a_persona_queries_through_graphiql_with_nothing_fetched_off_the_machine(
    browser: Browser, demo_app: tuple[str, AsyncEngine], graph_issuer: LocalIssuer
) -> None:
    # given a browser that lets only loopback requests through, and records any other
    base_url, _ = demo_app
    context = await browser.new_context()
    context.set_default_timeout(10_000)
    elsewhere: list[str] = []

    async def only_this_machine(route: Route) -> None:
        if _on_this_machine(route.request.url):
            await route.continue_()
        else:
            elsewhere.append(route.request.url)
            await route.abort()

    await context.route("**/*", only_this_machine)
    page = await context.new_page()
    # Console errors include the browser's reports of anything the Content-Security-Policy refused.
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    def on_page_error(error: Error) -> None:
        problems.append(str(error))

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    result = page.locator(".result-window")

    try:
        # when GraphiQL opens and runs the query anonymously
        await page.goto(f"{base_url}/graphql")
        try:
            await expect(page.locator(".graphiql-query-editor .CodeMirror")).to_be_visible()
        except AssertionError as error:
            raise AssertionError(f"GraphiQL did not start; blocked: {elsewhere}; errors: {problems}") from error

        # then its introspection loaded the schema: the docs explorer lists Query's fields
        await page.get_by_label("Show Documentation Explorer").click()
        explorer = page.locator(".graphiql-doc-explorer")
        await (
            explorer.locator(".graphiql-doc-explorer-root-type", has_text="query")
            .locator("..")
            .get_by_text("Query", exact=True)
            .click()
        )
        fields = explorer.locator(".graphiql-doc-explorer-field-name")
        await expect(fields.first).to_be_visible()
        listed = set(await fields.all_inner_texts())
        assert set(QUERY_FIELDS) <= listed, sorted(set(QUERY_FIELDS) - listed)

        await _replace_text(page, ".graphiql-query-editor", CTGS)
        await _run(page)

        # then no CTG is visible
        await expect(result).to_contain_text('"totalCount": 0')

        # when the Caf 31 agent's token goes into the headers editor and the query runs again
        headers = as_persona(graph_issuer, BY_NAME["caf-31-agent"])
        token = {"Authorization": headers["authorization"]}
        await _replace_text(page, ".graphiql-editor-tool .graphiql-editor:not(.hidden)", json.dumps(token))
        await _run(page)

        # then the result pane shows the Haute-Garonne CTGs, and only them
        await expect(result).to_contain_text(TOULOUSE)
        await expect(result).not_to_contain_text(NANTES)

        # when the query is edited once more: GraphiQL saves its tabs, headers included if it keeps
        # them, a moment after each edit
        await _replace_text(page, ".graphiql-query-editor", f"{CTGS} # edited")
        await page.wait_for_function("() => (localStorage.getItem('graphiql:tabState') || '').includes('# edited')")
        stored = await page.evaluate("JSON.stringify(window.localStorage)")
    finally:
        await context.close()

    # then the token stayed out of the browser's storage, and nothing left the machine or went wrong
    assert token["Authorization"].split()[1] not in stored
    assert elsewhere == []
    assert problems == []
