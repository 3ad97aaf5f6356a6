"""One request's operation, made ready to run: parsed, validated and checked against the limits, no SQL yet.

Parsing and validation are cached per document text (the extranet sends the same few documents over and
over); the operation chosen, the variables and the cost depend on the request. In production, validation
refuses introspection and no message suggests names ("Did you mean ...?"): the schema is not advertised.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cachetools import LRUCache
from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql.execution.values import get_variable_values
from graphql.validation import NoSchemaIntrospectionCustomRule, ValuesOfCorrectTypeRule
from graphql.validation.validate import ValidationAbortedError
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from schema.messages.errors import MessageError
from server.coercion import LiteralValuesRule, variable_errors
from server.limits import Fragments, LimitExceeded, OperationLimits
from server.limits.policy import CODE
from server.limits.text import DocumentText

# The rules Strawberry validates with, so that what passes here passes when Strawberry executes it; literals
# that do not read as their type are worded from the catalogue (server/coercion.py).
_RULES = (
    *(LiteralValuesRule if rule is ValuesOfCorrectTypeRule else rule for rule in specified_rules),
    MaybeNullValidationRule,
    OneOfInputValidationRule,
)
_TOO_MANY_TOKENS = "tokens. Parsing aborted."
# The document names no operation it holds, or holds several and the request names none.
UNRESOLVED = "OPERATION_RESOLUTION_FAILURE"
CACHE_BYTES = 64 * 1024 * 1024
# A parsed document takes its text twice (the tokens hold copies of comments and strings) and about 400 bytes
# per AST node (measured: the nodes, their locations and tokens); coerced variables a few times their JSON.
# Overestimates, so that the bound holds.
_BYTES_PER_NODE = 512
_ENTRY_BYTES = 2048


@dataclass(frozen=True)
class Document:
    """A document that parsed and validated."""

    text: str
    node: DocumentNode
    fragments: Fragments = field(compare=False)
    strings: DocumentText = field(compare=False)


@dataclass(frozen=True)
class Operation:
    """The operation a request runs, its coerced variables, ready for the context and execution."""

    document: Document
    definition: OperationDefinitionNode
    variables: dict[str, Any]
    # The request's variables as canonical JSON: with the text and the operation name, what the request asks.
    variables_key: str = ""
    cost: int = 0  # the estimated number of objects it may return (server/limits/cost.py)

    @property
    def name(self) -> str | None:
        return self.definition.name.value if self.definition.name else None

    @property
    def is_mutation(self) -> bool:
        return self.definition.operation is OperationType.MUTATION


class RequestError(Exception):
    """The request cannot run: errors for the client, nothing executed."""

    def __init__(self, errors: list[GraphQLError]) -> None:
        super().__init__(errors[0].message)
        self.errors = errors


class OperationPreparer:
    def __init__(
        self, schema: GraphQLSchema, limits: OperationLimits, *, production: bool, cache_bytes: int = CACHE_BYTES
    ):
        self.schema = schema
        self.limits = limits
        self.production = production
        self._rules = (*_RULES, NoSchemaIntrospectionCustomRule) if production else _RULES
        # Per instance, since the rules depend on the settings. Bounded by the memory the entries take, not
        # by their number: a flood of unique 95 KB requests must not grow the process by gigabytes. Only
        # documents and requests that passed every check are kept: a refusal is cheap to repeat.
        self._documents: LRUCache[str, Document] = LRUCache(maxsize=cache_bytes // 2, getsizeof=_document_bytes)
        # The same request again (the same document, operation and variables) is the same operation: its
        # limits, variables and cost need no second look.
        self._operations: LRUCache[tuple[str, str | None, str], Operation] = LRUCache(
            maxsize=cache_bytes // 2, getsizeof=_operation_bytes
        )

    @property
    def cached_bytes(self) -> int:
        """The estimated memory the cached documents and operations take."""
        return int(self._documents.currsize + self._operations.currsize)

    def document(self, text: str) -> Document | RequestError:
        """The document `text` parsed and validated, or the request error saying why it is refused."""
        known = self._documents.get(text)
        return known if known is not None else self._document(text)

    def _document(self, text: str) -> Document | RequestError:
        try:
            node = parse(text, max_tokens=self.limits.max_tokens)
        except GraphQLError as error:
            if error.message.endswith(_TOO_MANY_TOKENS):
                return RequestError([self.limits.tokens_exceeded()])
            return RequestError([error])
        errors = validate(self.schema, node, self._rules, hide_suggestions=self.production)
        if errors:
            return RequestError([self._coded(error) for error in errors])
        strings = DocumentText(node)
        if strings.error is not None:
            return RequestError([strings.error])
        return Document(text, node, Fragments(node), strings)

    def _coded(self, error: GraphQLError) -> GraphQLError:
        # graphql-core gives up on a document whose checks would take too long (a thousand fields of one
        # name to compare pairwise) or that has too many errors: that is a limit, and says so with a code.
        if not isinstance(error, ValidationAbortedError):
            return error
        return MessageError("limit.validation", code=CODE, extensions={"limit": "validation"})

    def prepare(self, text: str, operation_name: str | None, variables: Mapping[str, Any] | None) -> Operation:
        """Parse and validate (cached), choose the operation, check the shape limits, coerce the variables,
        check the cost; or raise RequestError."""
        try:
            variables_key = json.dumps(variables, sort_keys=True, separators=(",", ":"))
        except (TypeError, ValueError):
            variables_key = ""  # not JSON: coercion will refuse them
        key = (text, operation_name, variables_key)
        known = self._operations.get(key) if variables_key else None
        if known is not None:
            return known
        operation = self._prepared(text, operation_name, variables, variables_key)
        # Kept once every check passed: a refused request is not worth the memory.
        if operation.document.text not in self._documents and _document_bytes(operation.document) <= (
            self._documents.maxsize
        ):
            self._documents[operation.document.text] = operation.document
        if variables_key and _operation_bytes(operation) <= self._operations.maxsize:
            self._operations[key] = operation
        return operation

    def _prepared(
        self, text: str, operation_name: str | None, variables: Mapping[str, Any] | None, variables_key: str
    ) -> Operation:
        document = self.document(text)
        if isinstance(document, RequestError):
            raise document
        definition = get_operation_ast(document.node, operation_name)
        if definition is None:
            refusal = (
                MessageError("operation.unknown", {"name": operation_name}, code=UNRESOLVED)
                if operation_name
                else MessageError("operation.not_chosen", code=UNRESOLVED)
            )
            raise RequestError([refusal])
        if (fault := document.strings.check_variables(variables)) is not None:
            raise RequestError([fault])
        try:
            self.limits.check_shape(definition, document.fragments)
        except LimitExceeded as error:
            raise RequestError([error]) from error
        coerced = get_variable_values(
            self.schema, definition.variable_definitions or (), dict(variables or {}), hide_suggestions=self.production
        )
        if isinstance(coerced, list):
            definitions = definition.variable_definitions or ()
            worded = variable_errors(self.schema, definitions, dict(variables or {}), hide_suggestions=self.production)
            raise RequestError(worded or coerced)
        try:
            cost = self.limits.check_cost(self.schema, definition, document.fragments, coerced.coerced)
        except LimitExceeded as error:
            raise RequestError([error]) from error
        return Operation(document, definition, coerced.coerced, variables_key, cost)


def _document_bytes(document: Document) -> int:
    return _ENTRY_BYTES + 2 * len(document.text) + document.strings.nodes * _BYTES_PER_NODE


def _operation_bytes(operation: Operation) -> int:
    # The key holds the request's own copy of the text and its variables; the operation holds its document,
    # which may have left the documents' cache: counted here too.
    return _document_bytes(operation.document) + len(operation.document.text) + 5 * len(operation.variables_key)
