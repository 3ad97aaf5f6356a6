"""The prepared-request cache: bounded by the memory its entries take, and never holding a refused request."""

from __future__ import annotations

import gc
import tracemalloc

from auth.policy import ANONYMOUS_SCOPE
from auth.principal import ANONYMOUS
from db.compiled.session import CompiledReads
from db.engine import database_url
from schema import schema
from server.app import operation_limits
from server.callers import Callers
from server.compiled import CompiledQueries
from server.operation import OperationPreparer, RequestError
from server.settings import Settings

BUDGET = 2 * 1024 * 1024
REGION = "query Q%d($code: String!) { region(code: $code) { code name } }"


def _preparer() -> OperationPreparer:
    return OperationPreparer(
        schema._schema, operation_limits(Settings(_env_file=None)), production=False, cache_bytes=BUDGET
    )


def test_large_unique_requests_keep_the_cache_within_its_bytes() -> None:
    # given 120 distinct requests of about 90 KB each (a document padded with a comment, and a large variable)
    preparer = _preparer()
    requests = [(REGION % i + "#" + "x" * 45_000, {"code": str(i) * 15_000}) for i in range(120)]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        # when
        for text, variables in requests:
            preparer.prepare(text, None, variables)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # then the cache holds at most its budget, and memory grew by about that much, not by 120 x 90 KB
    assert 0 < preparer.cached_bytes <= BUDGET
    assert grown < 3 * BUDGET
    # and a recent request is still answered from the cache
    text, variables = requests[-1]
    assert preparer.prepare(text, None, variables) is preparer.prepare(text, None, variables)


def test_refused_requests_are_not_cached() -> None:
    preparer = _preparer()
    refused = [
        "{ nope%d }",  # does not validate
        "query Q%d($code: String!) { region(code: $code) { code } }",  # variable missing
        # over the cost limit
        "{ a%d: regions(first: 100) { nodes { departments(first: 100) { nodes { epcis(first: 100) { nodes "
        "{ code } } } } } } }",
    ]
    for i in range(50):
        for text in refused:
            try:
                preparer.prepare(text % i, None, {})
            except RequestError:
                pass
            else:
                raise AssertionError(f"{text % i} was not refused")
    assert preparer.cached_bytes == 0


def test_compiled_statements_of_large_unique_requests_keep_within_their_bytes() -> None:
    # given the compiled reads' caches, and 120 distinct large requests the compiler covers
    preparer = OperationPreparer(
        schema._schema, operation_limits(Settings(_env_file=None)), production=False, cache_bytes=0
    )
    compiled = CompiledQueries(
        CompiledReads(database_url("postgresql://nobody@127.0.0.1:9/none"), size=1, role="nobody"),
        Callers(),
        mode="on",
        cache_bytes=BUDGET,
    )
    requests = [(REGION % i + "#" + "x" * 45_000, {"code": str(i) * 15_000}) for i in range(120)]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        # when
        statements = [
            compiled._statement(preparer.prepare(text, None, variables), variables, ANONYMOUS_SCOPE, ANONYMOUS)
            for text, variables in requests
        ]
        del statements
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # then
    assert 0 < compiled.cached_bytes <= BUDGET
    assert grown < 3 * BUDGET
