"""Operation limits: what one GraphQL operation may ask of the service, checked before anything runs.

The shape limits (tokens, depth, aliases) need only the document; the cost estimate needs the variables'
values too, so it runs once they are coerced. Each check raises `LimitExceeded`, a GraphQL error naming
the limit and the operation's value, and the request is answered before any SQL runs.
"""

from __future__ import annotations

from server.limits.aliases import alias_count
from server.limits.cost import operation_cost
from server.limits.depth import operation_depth
from server.limits.errors import LimitExceeded
from server.limits.fragments import Fragments
from server.limits.policy import OperationLimits

__all__ = ["Fragments", "LimitExceeded", "OperationLimits", "alias_count", "operation_cost", "operation_depth"]
