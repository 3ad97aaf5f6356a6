"""Changing schemes and their signatures. Refusals come as `errors` in each payload."""

from __future__ import annotations

import strawberry


@strawberry.type
class SchemeMutations:
    pass
