"""summary.md's Mermaid diagrams at any size: 1,000 engagements (and one
engagement with thousands of services) give diagrams under Mermaid's text
limit, with at most the timeline's engagements each, whose every line is
one Mermaid reads as intended whatever the names hold.

The structure is checked here on every run; the slow test parses the same
summary with Mermaid itself where node and the Mermaid package are installed
(tests/mermaid)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from conftest import EXAMPLES, TODAY

from tacli.output.views.common import Lookups
from tacli.output.views.summary import TIMELINE_ENGAGEMENTS, summary_context
from tacli.output.templates import Renderer

MERMAID_MAX_TEXT = 50_000  # Mermaid's default maxTextSize
NASTY = 'Grade 3: "data" teams; #1 [pilot] {phase %%2%%} <b>bold</b> `x` & more\nsecond line ' + "very long words " * 20

GANTT_LINE = re.compile(
    r"  section [^:;#\"<>{}`%\n]*(#\w+;[^:;#\"<>{}`%\n]*)*"
    r"|  [^:;#\"<>{}`%\n]+(#\w+;[^:;#\"<>{}`%\n]*)* :((done|crit|active), )?milestone, \d{4}-\d\d-\d\d, 0d"
    r"|  Engagement :\d{4}-\d\d-\d\d, \d{4}-\d\d-\d\d"
    r"|  dateFormat YYYY-MM-DD|  axisFormat %Y-%m"
)
LABEL = r'"[^"%{}<>`\n]*"'
PIE_LINE = re.compile(rf"  title Hours by support type|  {LABEL} : \d+(\.\d+)?")
XY_LINE = re.compile(rf'  title "Hours by month"|  x-axis \[{LABEL}(, {LABEL})*\]|  y-axis "Hours"|  bar \[\d+(\.\d+)?(, \d+(\.\d+)?)*\]')


@pytest.fixture(scope="module")
def examples(spec):
    from tacli.output.reports import load_engagements

    from tacli.reading.pipeline import FileResult

    items = load_engagements([str(EXAMPLES)], spec, TODAY).engagements  # each read when first asked for: made whole here, to copy
    whole = [FileResult(item.name, list(item.findings), item.document, item.engagement, item.identity) for item in items]
    return sorted(whole, key=lambda item: item.engagement.id)


def _copies(items, count: int) -> list:
    """`count` engagements made from the examples, each with its own id and a name that tries to break Mermaid."""
    out = []
    for index in range(count):
        item = items[index % len(items)]
        shift = timedelta(days=7 * (index % 50))
        engagement = item.engagement
        services = [s.model_copy(update={"date": s.date + shift, "title": f"{NASTY} {index}"}) for s in engagement.services]
        copy = engagement.model_copy(update={
            "id": f"{engagement.id}-{index:04d}",
            "title": f"{NASTY} {index}",
            "start": engagement.start + shift,
            "end": engagement.end + shift if engagement.end else None,
            "services": services,
        })
        out.append(replace(item, name=f"{copy.id}.yaml", engagement=copy))
    return out


def _summary(spec, items) -> str:
    return Renderer().render("summary", summary_context(spec, items, TODAY, Lookups(spec)))


def _diagrams(text: str) -> list[str]:
    return re.findall(r"^```mermaid\n(.*?)^```$", text, re.M | re.S)


def _check(diagram: str) -> None:
    assert len(diagram) < MERMAID_MAX_TEXT
    kind, *lines = diagram.rstrip("\n").split("\n")
    pattern = {"gantt": GANTT_LINE, "pie showData": PIE_LINE, "xychart-beta": XY_LINE}[kind]
    for line in lines:
        assert pattern.fullmatch(line), line
    if kind == "gantt":
        assert 0 < sum(line.startswith("  section ") for line in lines) <= TIMELINE_ENGAGEMENTS


def test_a_thousand_engagements(spec, examples):
    text = _summary(spec, _copies(examples, 1000))
    diagrams = _diagrams(text)
    kinds = [diagram.split("\n")[0] for diagram in diagrams]
    assert kinds[:2] == ["pie showData", "xychart-beta"] and set(kinds[2:]) == {"gantt"}
    for diagram in diagrams:
        _check(diagram)
    assert "more engagements of this school year are not drawn" in text
    assert text.count("```") % 2 == 0


def test_one_engagement_with_thousands_of_services(spec, examples):
    item = examples[0]
    engagement = item.engagement
    first = engagement.services[0]
    services = [first.model_copy(update={"id": f"s-{n:05d}", "title": f"{NASTY} {n}", "date": engagement.start + timedelta(days=n % 280)}) for n in range(3000)]
    big = replace(item, engagement=engagement.model_copy(update={"services": services}))
    text = _summary(spec, [big])
    for diagram in _diagrams(text):
        _check(diagram)
    assert re.search(r"\d+ later services of this school year are not drawn", text)


@pytest.mark.slow
def test_mermaid_parses_a_thousand_engagements(spec, examples, mermaid_parse, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text(_summary(spec, _copies(examples, 1000)), encoding="utf-8")
    mermaid_parse([summary])


def test_no_hours_no_charts(spec, examples):
    item = examples[0]
    engagement = item.engagement
    services = [s.model_copy(update={"hours": None}) for s in engagement.services]
    text = _summary(spec, [replace(item, engagement=engagement.model_copy(update={"services": services}))])
    assert "| Hours | 0 |" in text
    assert [d.split("\n")[0] for d in _diagrams(text)] == ["gantt"]
