"""Dates, ids and tiers that must agree with each other, within one engagement and across files."""

from __future__ import annotations

from tacli.domain import feature_frameworks, frameworks_with_features, is_intensive
from tacli.findings import Level, Rule, finding

DATE_RANGE = Rule("date-range", Level.ERROR, "The planned end is before the start, or a service falls outside the engagement's dates.")
DUPLICATE_ID = Rule("duplicate-id", Level.ERROR, "Two services of an engagement, or two engagement files checked together, share one id.")
TIER_FRAMEWORK = Rule("tier-framework", Level.WARNING, "An intensive engagement does not list a framework with intensive-TA features (fixsen).")

RULES = (DATE_RANGE, DUPLICATE_ID, TIER_FRAMEWORK)


def check(context):
    engagement = context.engagement
    start, end = engagement.start, engagement.end
    if end is not None and end < start:
        yield context.at(DATE_RANGE, ("end",), f"the planned end {end} is before the start {start}: correct one of them")
    seen: dict[str, int] = {}
    for index, service in enumerate(engagement.services):
        if service.id in seen:
            yield context.at(DUPLICATE_ID, ("services", index, "id"), f"service id '{service.id}' is already used by services[{seen[service.id]}]: give each service its own id")
        else:
            seen[service.id] = index
        if service.date < start or (end is not None and service.date > end):
            window = f"{start} to {end}" if end else f"from {start}"
            yield context.at(DATE_RANGE, ("services", index, "date"), f"service '{service.id}' on {service.date} falls outside the engagement ({window}): correct the date or the engagement's start/end")
    if is_intensive(context.spec, engagement) and not feature_frameworks(context.spec, engagement):
        with_features = frameworks_with_features(context.spec)
        if with_features:
            yield context.at(TIER_FRAMEWORK, ("frameworks",), f"an intensive engagement should list '{with_features[0].id}' in frameworks, so that its intensive-TA features are checked")


def across_files(results):
    """Engagement ids shared by files checked together: reports are filed under
    the id, so the second file to use one is told to change it."""
    first_with_id: dict[str, str] = {}
    for result in results:
        identity = result.identity
        if identity is None:
            continue
        if identity.id in first_with_id:
            yield finding(
                DUPLICATE_ID, result.name, identity.position,
                f"engagement id '{identity.id}' is already used by {first_with_id[identity.id]}: give each engagement its own id (reports are filed under it)",
            )
        else:
            first_with_id[identity.id] = result.name
