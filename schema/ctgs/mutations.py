"""Changing CTGs: drafts, territory, themes, diagnostic, governance, signatories, activation, closing.

Refusals come as `errors` in each payload.
"""

from __future__ import annotations

import strawberry


@strawberry.type
class CtgMutations:
    pass
