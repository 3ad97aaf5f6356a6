"""Text a request carries, checked before anything runs: no NUL character anywhere, searches of bounded length.

PostgreSQL's text holds no NUL: an argument carrying one could only fail inside the database, as an internal
error. A search is matched against every row a caller may see: its length bounds that work (a 40 KB LIKE
pattern, or 90 KB of stop-words turned into a text-search query, runs until the statement timeout).
Both the document's literals and the variables' values are checked, since either may carry the text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    ObjectFieldNode,
    StringValueNode,
    VariableNode,
    Visitor,
    visit,
)

from schema.errors import InputError

SEARCH_ARGUMENT = "search"
MAX_SEARCH_LENGTH = 200


def nul_refused(argument: str) -> InputError:
    return InputError(argument, "argument.nul")


def search_too_long(length: int) -> InputError:
    return InputError(SEARCH_ARGUMENT, "argument.search_length", maximum=MAX_SEARCH_LENGTH, count=length)


class _Literals(Visitor):
    """The document's string literals, and the variables it passes as a search."""

    def __init__(self) -> None:
        super().__init__()
        self.error: InputError | None = None
        self.search_variables: set[str] = set()
        self.nodes = 0

    def enter(self, *_: Any) -> None:
        self.nodes += 1

    def _named(self, node: ArgumentNode | ObjectFieldNode) -> None:
        self.nodes += 1
        name, value = node.name.value, node.value
        if isinstance(value, StringValueNode):
            if "\x00" in value.value and self.error is None:
                self.error = nul_refused(name)
            elif name == SEARCH_ARGUMENT and len(value.value) > MAX_SEARCH_LENGTH and self.error is None:
                self.error = search_too_long(len(value.value))
        elif isinstance(value, VariableNode) and name == SEARCH_ARGUMENT:
            self.search_variables.add(value.name.value)

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        self._named(node)

    def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> None:
        self._named(node)

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        self.nodes += 1
        if "\x00" in node.value and self.error is None:
            self.error = nul_refused("query")


class DocumentText:
    """What the checks need of a document, worked out once per document text."""

    def __init__(self, document: DocumentNode) -> None:
        literals = _Literals()
        visit(document, literals)
        self.error = literals.error
        self.search_variables = frozenset(literals.search_variables)
        self.nodes = literals.nodes  # how many AST nodes: what the parsed document's memory grows with

    def check_variables(self, variables: Mapping[str, Any] | None) -> InputError | None:
        """The first fault of the request's variables, as they came in the request."""
        for name, value in (variables or {}).items():
            searched = name in self.search_variables
            for argument, text in _strings(name, value):
                if "\x00" in text or "\x00" in argument:
                    return nul_refused(argument)
                if (searched or argument == SEARCH_ARGUMENT) and len(text) > MAX_SEARCH_LENGTH:
                    return search_too_long(len(text))
        return None


def _strings(name: str, value: Any, depth: int = 0) -> Iterator[tuple[str, str]]:
    """Every string of a JSON value with the name of the field holding it (a list's items, their list's)."""
    if isinstance(value, str):
        yield name, value
    elif depth > 64:
        return
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(str(key), item, depth + 1)
            if isinstance(key, str) and "\x00" in key:
                yield key, ""
    elif isinstance(value, list):
        for item in value:
            yield from _strings(name, item, depth + 1)
