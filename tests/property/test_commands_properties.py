"""Every command on any valid engagement: never an internal error, and the
places that show the same fact agree on it.

The engagements are the shipped examples moved anywhere in the calendar (up
to its first and last days, 0001-01-01 and 9999-12-31), with two services on
one day, without a planned end, with odd but valid hours and caps, and a
coaching section without a coaching offer; `--today` anywhere around them.
Each goes through `check`, `status`, `due` (every format), `report`, `site`
and `export` (every table), in-process, as a user would run them. Then:

- the hour cap: `status`, the export, the summary and the site give the same
  cap and hours counted against it (or none);
- the report counts: due, on time, late and overdue are the same in the
  export, the summary, the site and the report states `status` lists;
- the order of services: `status`, the services table of the export, the plan
  report and the engagement's page list the services in one order.

Each example runs every command, so the fast suite tries 5 (and the two at
the ends of the calendar); TACLI_HYPOTHESIS_EXAMPLES=200 tries more.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import date, timedelta

import pytest

hypothesis = pytest.importorskip("hypothesis")

from conftest import EXAMPLE_FILES, run_in_process  # noqa: E402
from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SOURCES = {path.name: path.read_text(encoding="utf-8") for path in EXAMPLE_FILES}
DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
ODD_HOURS = ["0", "0.25", "24", "0.0000001", "23.99", "1"]


def _dates(text: str) -> list[date]:
    return [date(*map(int, match.groups())) for match in DAY.finditer(text)]


def _shifted(text: str, days: int) -> str:
    return DAY.sub(lambda match: (date(*map(int, match.groups())) + timedelta(days=days)).isoformat(), text)


def _service_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each service's lines; services is the last key of every example."""
    starts = [match.start() for match in re.finditer(r"^  - ", text, re.MULTILINE) if match.start() > text.index("\nservices:")]
    return list(zip(starts, starts[1:] + [len(text)]))


@st.composite
def engagement_cases(draw):
    """(example name, engagement text, --today) for a valid engagement."""
    name = draw(st.sampled_from(sorted(SOURCES)))
    text = SOURCES[name]
    days = _dates(text)
    earliest = (date.min - min(days)).days
    latest = (date.max - max(days)).days
    offset = draw(st.sampled_from([earliest, latest, 0]) | st.integers(earliest, latest))
    text = _shifted(text, offset)
    blocks = _service_blocks(text)
    if blocks and draw(st.booleans()):  # a second service on the day of another, written after it, with an id that sorts first
        start, end = blocks[draw(st.integers(0, len(blocks) - 1))]
        copy = re.sub(r"^  - (\{?)id: [a-z0-9-]+", r"  - \1id: 0-same-day", text[start:end], count=1)
        assert "0-same-day" in copy
        text = text.rstrip("\n") + "\n" + copy.rstrip("\n") + "\n"
    if draw(st.booleans()):
        text = re.sub(r"^end: .*\n", "", text, count=1, flags=re.MULTILINE)
    if draw(st.booleans()):
        hours = list(re.finditer(r"^    hours: .*$", text, re.MULTILINE))
        if hours:
            chosen = hours[draw(st.integers(0, len(hours) - 1))]
            text = text[: chosen.start()] + f"    hours: {draw(st.sampled_from(ODD_HOURS))}" + text[chosen.end():]
    if "hour_cap:" in text and draw(st.booleans()):
        text = re.sub(r"hour_cap: .*", f"hour_cap: {draw(st.sampled_from(['0', '0.5', '21', '1000']))}", text, count=1)
    if "coaching:" not in text and draw(st.booleans()):  # a coaching section, but no coaching offer: no cap applies
        services = text.index("\nservices:")
        text = text[:services] + "\ncoaching:\n  coach: {name: Dana Ruiz}\n  hour_cap: 2" + text[services:]
    first, last = min(_dates(text)), max(_dates(text))
    today = draw(st.sampled_from([first, last, date.min, date.max]) | st.dates(min_value=first, max_value=last))
    return name, text, today


def _run(*args) -> str:
    result = run_in_process(*args)
    shown = result.stdout + result.stderr
    assert result.returncode in (0, 1), (args, result.returncode, shown[-2000:])
    assert "internal error" not in shown and "Traceback" not in shown, (args, shown[-2000:])
    return result.stdout


def _site_data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="site-data">(.*?)</script>', page, re.DOTALL)
    return json.loads(found.group(1))


def _summary_row(summary: str, title: str) -> list[str]:
    row = next(line for line in summary.splitlines() if line.startswith(f"| [{title}]("))
    return [cell.strip() for cell in row.strip("|").split(" | ")]


@settings(max_examples=int(os.environ.get("TACLI_HYPOTHESIS_EXAMPLES") or 5), suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@example(("elm-street-data-teams.yaml", _shifted(SOURCES["elm-street-data-teams.yaml"], (date.max - max(_dates(SOURCES["elm-street-data-teams.yaml"]))).days - 1), date.max))
@example(("little-acorns-oec-coaching.yaml", _shifted(SOURCES["little-acorns-oec-coaching.yaml"], (date.min - min(_dates(SOURCES["little-acorns-oec-coaching.yaml"]))).days), date.min))
@given(engagement_cases())
def test_every_command_on_any_valid_engagement(tmp_path_factory, case):
    name, text, today = case
    folder = tmp_path_factory.mktemp("case")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    file, when = str(path), ("--today", today.isoformat())

    found = json.loads(_run("check", file, "--format", "json", *when))
    assert not [item for item in found["findings"] if item["rule"] in ("schema-type", "schema-required", "schema-unknown-key", "internal-error")], found
    status = json.loads(_run("status", file, "--format", "json", *when))
    _run("status", file, *when)
    for output_format in ("text", "json", "csv", "ics"):
        _run("due", file, "--format", output_format, "--within", "100000", *when)
    _run("report", file, "--out-dir", str(folder / "reports"), *when)
    _run("site", file, "--out-dir", str(folder / "site"), *when)
    engagement_row = json.loads(_run("export", file, "--table", "engagements", "--format", "json", *when))["rows"][0]
    service_rows = json.loads(_run("export", file, "--table", "services", "--format", "json", *when))["rows"]
    duties = list(csv.DictReader(io.StringIO(_run("export", file, "--table", "duties", "--format", "csv", *when))))
    assert {row["service_id"] for row in duties} <= {row["service_id"] for row in service_rows}
    annual = {(row["figure"], row["breakdown"]): row for row in json.loads(_run("export", file, "--table", "annual", "--format", "json", *when))["rows"]}
    assert _run("report", file, "--kind", "annual", *when).startswith("# Annual report ")
    year = annual[("services", None)]["school_year"]
    held = [row for row in service_rows if row["school_year"] == year and row["date"] <= today.isoformat()]
    assert annual[("services", None)]["value"] == len(held) and annual[("engagements", None)]["value"] == (1 if held else 0)
    assert annual[("reports_on_time", None)]["value"] + annual[("reports_late", None)]["value"] + annual[("reports_overdue", None)]["value"] == annual[("reports_due", None)]["value"]

    engagement_id = status["id"]
    summary = (folder / "reports" / "summary.md").read_text(encoding="utf-8")
    site = _site_data((folder / "site" / "index.html").read_text(encoding="utf-8"))
    page = (folder / "site" / "engagements" / engagement_id / "index.html").read_text(encoding="utf-8")
    plan = (folder / "reports" / engagement_id / "plan.md").read_text(encoding="utf-8")
    row = _summary_row(summary, status["title"])

    # the hour cap, and the hours counted against it
    cap, counted = status["hours"]["cap"], status["hours"]["counted"]
    assert engagement_row["coaching_hour_cap"] == cap and engagement_row["coaching_hours_counted"] == counted
    assert site["engagements"][0]["c"] == (None if cap is None else [counted, cap])
    hours_cell = row[4]
    if cap is None:
        assert "under the cap" not in hours_cell
    else:
        assert re.search(r"\((\S+) of (\S+) under the cap", hours_cell).groups() == (_hours(counted), _hours(cap))

    # the report counts
    states = [service["report"] for service in status["services"] if service["report"] is not None]
    on_time = sum(1 for state in states if state["state"] == "completed" and not state["days_late"])
    late = sum(1 for state in states if state["state"] == "completed" and state["days_late"])
    overdue = sum(1 for state in states if state["state"] == "overdue")
    due_soon = sum(1 for state in states if state["state"] == "due-soon")
    counts = (on_time + late + overdue, on_time, late, overdue, due_soon)
    exported = tuple(engagement_row[f"reports_{key}"] for key in ("due", "on_time", "late", "overdue", "due_soon"))
    assert exported == counts
    whole = next(record for record in site["records"] if record["y"] is None)
    assert tuple(whole["rp"]) == counts
    reports_cell = row[5]
    if states and counts[0]:
        assert reports_cell.startswith(f"{on_time} of {counts[0]} on time")
    else:
        assert reports_cell == "-"

    # the order of services
    ordered = [service["id"] for service in status["services"]]
    assert [row["service_id"] for row in service_rows] == ordered
    assert re.findall(r"\(\.\./[a-z0-9-]+/([a-z0-9-]+)-agenda\.md\)", plan) == ordered
    assert re.findall(r'href="([a-z0-9-]+)-agenda\.html"', page) == ordered
    days = [service["date"] for service in status["services"]]
    assert days == sorted(days)
    if "0-same-day" in ordered:  # written after the service of its day: listed after it, whatever its id
        same = [service["id"] for service in status["services"] if service["date"] == days[ordered.index("0-same-day")]]
        assert same[-1] == "0-same-day"


def _hours(value) -> str:
    from tacli.core.numbers import hours_text

    return hours_text(value)
