"""The checks that run on a validated engagement, one module per group of rules.

Each module declares RULES and a `check(context)` generator of findings; this
package registers them in one place.
"""

from __future__ import annotations

from tacli.checking.checks import coaching, consistency, duties, intensive, plan
from tacli.checking.checks.context import Context

CHECK_MODULES = (consistency, duties, plan, intensive, coaching)
RULES = tuple(rule for module in CHECK_MODULES for rule in module.RULES)


def run_checks(context: Context):
    for module in CHECK_MODULES:
        yield from module.check(context)


__all__ = ["CHECK_MODULES", "RULES", "Context", "run_checks"]
