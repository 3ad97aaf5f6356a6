"""Changing organisations. Refusals come as `errors` in each payload."""

from __future__ import annotations

import strawberry


@strawberry.type
class OrganisationMutations:
    pass
