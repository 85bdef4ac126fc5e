"""The checks that run on a validated engagement, one module per group of rules.

Each module declares RULES and a `check(context)` generator of findings; this
package registers them in one place.
"""

from __future__ import annotations

from tacli.checking.checks import coaching, consistency, duties, evaluations, intensive, outcomes, plan, reviews, roster
from tacli.checking.checks.context import Context

CHECK_MODULES = (consistency, duties, reviews, evaluations, plan, intensive, outcomes, coaching, roster)
RULES = tuple(rule for module in CHECK_MODULES for rule in module.RULES)


def run_checks(context: Context):
    for module in CHECK_MODULES:
        yield from module.check(context)


def run_modules(context: Context, only=None) -> list[tuple[str, list, bool]]:
    """Each module's findings, in order, and whether the module asked for the day
    (its findings then hold for that day only); with `only`, those modules alone."""
    found = []
    for module in CHECK_MODULES:
        if only is not None and module.__name__ not in only:
            continue
        context.asked_today = False
        findings = list(module.check(context))
        found.append((module.__name__, findings, context.asked_today))
    return found


__all__ = ["CHECK_MODULES", "RULES", "Context", "run_checks", "run_modules"]
