"""The access policy: what a Principal may see and change, as the Scope PostgreSQL and the application share.

A caller's scope is its keys (auth/rules.py): the union of what its memberships give, plus `public`, which
everyone holds. The Scope travels to PostgreSQL as transaction settings, which the row-level security policies
read (db/policies/), and the application's own queries and checks are built from the same rules, so that a
connection which bypassed row-level security would still be scoped.
"""

from __future__ import annotations

from dataclasses import dataclass

from auth.principal import Principal
from auth.rules import CNAF_EDITOR_KEY, NATIONAL_KEY, PUBLIC_KEY

# The settings a transaction's scope is made of: the caller's keys, and its identity (which owns its
# idempotency keys and its own habilitations).
KEYS_SETTING = "maillage.keys"
ISSUER_SETTING = "maillage.issuer"
SUBJECT_SETTING = "maillage.subject"


@dataclass(frozen=True)
class Scope:
    """What a caller may read and change, in the terms PostgreSQL's policies take."""

    keys: frozenset[str] = frozenset({PUBLIC_KEY})
    issuer: str = ""
    subject: str = ""

    def settings(self) -> dict[str, str]:
        """The `maillage.*` settings of a transaction run for this scope."""
        return {
            KEYS_SETTING: ",".join(sorted(self.keys - {PUBLIC_KEY})),
            ISSUER_SETTING: self.issuer,
            SUBJECT_SETTING: self.subject,
            # The policies' probes make PostgreSQL's cost estimates of a national read large enough to start its
            # JIT compiler, which then costs far more than the statement (hundreds of ms for a 30 ms count).
            "jit": "off",
        }

    @property
    def national(self) -> bool:
        """Cnaf staff read everything."""
        return NATIONAL_KEY in self.keys

    @property
    def national_editor(self) -> bool:
        return CNAF_EDITOR_KEY in self.keys


def scope_of(principal: Principal) -> Scope:
    keys = {key for membership in principal.memberships for key in membership.keys}
    identity = principal.identity
    return Scope(
        keys=frozenset({PUBLIC_KEY, *keys}),
        issuer=identity.issuer if identity else "",
        subject=identity.subject if identity else "",
    )


ANONYMOUS_SCOPE = Scope()
