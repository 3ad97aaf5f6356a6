"""The labels of the enums' values, for a frontend to show them as people name them."""

from __future__ import annotations

import strawberry

from db.labels import VOCABULARIES, labels
from schema.context import Info
from schema.errors import InputError
from schema.labels.types import EnumLabel


@strawberry.type
class LabelQueries:
    @strawberry.field(
        description="The labels of the values of the API's enums (all of them, or those named), in the request's "
        "language (Accept-Language: French by default, English on request), in the enums' order. Anyone may "
        "read them."
    )
    def enum_labels(self, info: Info, enums: list[str] | None = None) -> list[EnumLabel]:
        names = list(VOCABULARIES) if enums is None else list(dict.fromkeys(enums))
        language = info.context.language
        found: list[EnumLabel] = []
        for name in names:
            vocabulary = labels(name, language)
            if vocabulary is None:
                raise InputError("enums", "argument.unknown_enum", value=name)
            found.extend(EnumLabel(enum=name, value=value, label=label) for value, label in vocabulary.items())
        return found
