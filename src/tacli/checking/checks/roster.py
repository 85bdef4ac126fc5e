"""The coverage of the service area, against the center's roster (--roster,
`roster` in tacli.toml): the rules run across every engagement checked, once
(`coverage_findings`), not on one engagement at a time. Their findings are at
the roster's lines, but an engagement whose recipient is not on the roster,
which is told at its own recipient."""

from __future__ import annotations

from tacli.core.findings import Finding, Level, Rule, finding
from tacli.domain.coverage import NO_ENGAGEMENT, NO_RECENT_SERVICE, Served, coverage, entries_of, no_service_days

ROSTER_UNSERVED = Rule("roster-unserved", Level.INFO, "A recipient on the roster has no engagement.")
ROSTER_NO_RECENT_SERVICE = Rule("roster-no-recent-service", Level.INFO, "A recipient on the roster has had no service within the roster's days (365 unless it says).")
ROSTER_PRIORITY_UNSERVED = Rule("roster-priority-unserved", Level.WARNING, "A priority recipient on the roster has no TA: no engagement, or no service within the roster's days.")
ROSTER_UNKNOWN = Rule("roster-unknown", Level.WARNING, "An engagement's recipient is not on the roster, so coverage cannot count it.")

RULES = (ROSTER_UNSERVED, ROSTER_NO_RECENT_SERVICE, ROSTER_PRIORITY_UNSERVED, ROSTER_UNKNOWN)


def check(context):
    """Nothing on one engagement alone: see coverage_findings."""
    return iter(())


def _who(entry) -> str:
    flags = [word for word, on in (("priority", entry.priority), ("Title I", entry.title_i), ("in need of improvement", entry.in_need_of_improvement)) if on]
    return f"{entry.name}" + (f" ({', '.join(flags)})" if flags else "")


def coverage_findings(roster, facts: list[tuple[Served, tuple[int, int]]], today) -> list[Finding]:
    """The roster's recipients without TA, and the engagements whose recipient is not on it."""
    found = []
    days = no_service_days(roster)
    for item in coverage(roster, [served for served, _ in facts], today):
        where = roster.position(item.index)
        if item.standing == NO_ENGAGEMENT:
            rule = ROSTER_PRIORITY_UNSERVED if item.priority else ROSTER_UNSERVED
            found.append(finding(rule, roster.path, where, f"{_who(item.entry)} has no engagement: no TA reaches it"))
        elif item.standing == NO_RECENT_SERVICE:
            rule = ROSTER_PRIORITY_UNSERVED if item.priority else ROSTER_NO_RECENT_SERVICE
            held = f"its latest service was on {item.last_service}" if item.last_service else "no service of it has been held yet"
            names = ", ".join(sorted({served.engagement_id for served in item.engagements}))
            found.append(finding(rule, roster.path, where, f"{_who(item.entry)} has had no service in the last {days} days: {held} ({names})"))
    entries = list(roster.recipients)
    for served, position in facts:
        could_be = entries_of(entries, served)
        if len(could_be) > 1:
            districts = " and ".join(f"'{entries[index].district}'" for index in could_be)
            found.append(finding(ROSTER_UNKNOWN, served.path, position, f"the recipient '{served.name}' ({served.kind}) is on the roster {roster.path} twice, in {districts}, "
                                 "so coverage cannot count it: give its district here"))
        elif not could_be:
            import difflib

            close = difflib.get_close_matches(served.name, [entry.name for entry in entries if entry.kind == served.kind], n=1, cutoff=0.8)
            hint = f" did you mean '{close[0]}'?" if close else f" add it to the roster {roster.path}, or correct the name here."
            found.append(finding(ROSTER_UNKNOWN, served.path, position, f"the recipient '{served.name}' ({served.kind}) is not on the roster {roster.path}, so coverage cannot count it:{hint}"))
    return found
