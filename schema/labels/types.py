"""A value of an enum and its label."""

from __future__ import annotations

import strawberry


@strawberry.type(description="A value of one of the API's enums and how people name it, in the request's language.")
class EnumLabel:
    enum: str = strawberry.field(description="The enum's GraphQL name (ActionStatus).")
    value: str = strawberry.field(description="The value's GraphQL name (IN_PROGRESS).")
    label: str = strawberry.field(description="Its label: French by default (En cours), English on request.")
