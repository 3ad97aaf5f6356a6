"""Changing habilitations: grant, suspend, revoke. Refusals come as `errors` in each payload."""

from __future__ import annotations

import strawberry


@strawberry.type
class HabilitationMutations:
    pass
