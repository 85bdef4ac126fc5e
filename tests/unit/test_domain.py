"""The shared domain rules, and the places that use them agreeing: what
`tacli check` says about a report and what `tacli report` shows of it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from conftest import EXAMPLES, MINI_ENGAGEMENT, TODAY, edited, EXAMPLE_FILES

from tacli.checking.checker import Checker
from tacli.domain.reports import DUE_SOON, OVERDUE, REPORT_KINDS, report_due, report_kind, report_path, report_state
from tacli.core.numbers import number
from tacli.output.reports import load_engagements, plan_jobs
from tacli.core.paths import shipped_standards
from tacli.standards.spec import load_spec
from tacli.io.yamlsource import load_bytes


# numbers and paths


@pytest.mark.parametrize("value, shown", [
    (3.0, "3"), (2.5, "2.5"), (0.25, "0.25"), (1234567.5, "1234567.5"), (1.23456789, "1.23456789"),
    (21, "21"), (60.0, "60"), (None, ""), (1e20, "1e+20"), (1e-7, "0.0000001"), (-2.5e-12, "-0.0000000000025"),
])
def test_numbers_as_a_reader_writes_them(value, shown):
    assert number(value) == shown


def test_one_table_builds_and_recognises_report_paths():
    for kind in REPORT_KINDS:
        path = report_path(kind, "elm-school", "2026-10-01-visit")
        assert report_kind(path) == kind
    assert report_path("tast", "elm", "first") == "elm/first-tast.md"
    assert report_path("summary") == "summary.md"
    for not_a_report in ("notes/readme.md", "elm/first-tast.txt", "elm/Plan.md", "elm/sub/plan.md", "x_y/plan.md"):
        assert report_kind(not_a_report) is None


def test_a_report_due_after_the_last_day_is_due_on_the_last_day():
    report = load_spec(shipped_standards()).frameworks["cali"].report
    assert report_due(report, date(9999, 12, 30)) == date.max
    assert report_due(report, date(2026, 10, 1)) == date(2026, 10, 8)


# check and report agree


def _check_states(checker, document) -> dict[str, str]:
    """Each service's report state as `tacli check` tells it."""
    states = {}
    for item in checker.examine(checker.read_document(document)).findings:
        if item.rule in ("tast-overdue", "tast-due-soon"):
            service = re.search(r"for service '([^']+)'", item.message).group(1)
            states[service] = {"tast-overdue": OVERDUE, "tast-due-soon": DUE_SOON}[item.rule]
    return states


def _report_states(spec, engagements, today) -> dict[str, str]:
    """Each service's report state as its rendered TAST report shows it."""
    states = {}
    for job in plan_jobs(engagements, spec, today, ("tast",)):
        view = job.context()
        state = str(view["report"]["state"])
        if state in (OVERDUE, DUE_SOON):
            states[str(view["service"]["id"])] = state
    return states


def _days_around_each_due_date(engagements, spec):
    report = spec.frameworks["cali"].report
    days = {TODAY}
    for item in engagements:
        for service in item.engagement.services:
            due = report_due(report, service.date)
            days.update(due + timedelta(days=offset) for offset in (-3, -2, 0, 1) if due != date.max)
            days.add(service.date)
    return sorted(days)


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLE_FILES))
def test_check_and_report_agree_on_every_service_of_the_examples(spec, example):
    path = EXAMPLES / example
    loaded = load_engagements([str(path)], spec, TODAY)
    engagements, problems = loaded.engagements, loaded.problems
    assert problems == []
    for today in _days_around_each_due_date(engagements, spec):
        checker = Checker(spec, today)
        document = load_bytes(path.read_bytes(), str(path))
        assert _check_states(checker, document) == _report_states(spec, engagements, today), today


def test_check_and_report_agree_on_a_service_at_the_end_of_the_calendar(tmp_path):
    from conftest import MINI_STANDARDS

    mini = load_spec(MINI_STANDARDS)
    text = edited(edited(MINI_ENGAGEMENT, "date: 2026-10-01", "date: 9999-12-30"), "end: 2027-06-30\n", "")
    text = edited(text, "      completed: 2026-10-05\n", "")
    path = tmp_path / "late.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_engagements([str(path)], mini, date(9999, 12, 31))
    engagements, problems = loaded.engagements, loaded.problems
    assert problems == []
    for today in (date(9999, 12, 29), date(9999, 12, 30), date(9999, 12, 31)):
        document = load_bytes(text.encode("utf-8"), str(path))
        report_states = _report_states(mini, engagements, today)
        assert _check_states(Checker(mini, today), document) == report_states
        assert report_state(mini.frameworks["mini"].report, engagements[0].engagement.services[0], today).due == date.max
    assert _report_states(mini, engagements, date(9999, 12, 31)) == {"first-visit": DUE_SOON}


def test_check_and_report_agree_on_intensive_ta_without_fixsen(spec, tmp_path):
    text = (EXAMPLES / "riverside-district-intensive.yaml").read_text(encoding="utf-8")
    text = edited(text, "frameworks: [fixsen, dunst, csde, guskey, osep]", "frameworks: [dunst, csde, guskey, osep]")
    text = re.sub(r"\nintensive:\n(?:  .*\n|\n)*", "\n", text)  # the intensive section would name fixsen's features
    path = tmp_path / "riverside.yaml"
    path.write_text(text, encoding="utf-8")
    checker = Checker(spec, TODAY)
    findings = checker.examine(checker.read_document(load_bytes(text.encode("utf-8"), str(path)))).findings
    rules = {item.rule for item in findings}
    assert "tier-framework" in rules
    assert not {rule for rule in rules if rule.startswith("fixsen-")}
    loaded = load_engagements([str(path)], spec, TODAY)
    engagements, problems = loaded.engagements, loaded.problems
    assert problems == []
    summary = plan_jobs(engagements, spec, TODAY, ("summary",))[0].context()
    plan = plan_jobs(engagements, spec, TODAY, ("plan",))[0].context()
    assert summary["intensive_gaps"] == []
    assert plan["intensive"] is None


# one definition of each rule


def _engagement(spec, text: str, name: str = "case.yaml"):
    result = Checker(spec, TODAY).read_document(load_bytes(text.encode("utf-8"), name))
    assert result.usable, result.findings
    return result.engagement


ELM = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8")


def _two_services_on_one_day(text: str) -> tuple[str, str]:
    """The first service of `text` copied after the last, on the first one's day,
    with an id that sorts before it (so id order and file order disagree)."""
    services = text.index("services:\n") + len("services:\n")
    first_end = text.index("\n  - id: ", services + 1) + 1
    first = text[services:first_end]
    day = re.search(r"date: (\d{4}-\d{2}-\d{2})", first).group(1)
    copy = re.sub(r"id: [a-z0-9-]+", "id: 0000-afternoon", first, count=1)
    body_end = text.index("\n", text.rindex("\n  - id: ")) + 1
    rest = text[body_end:]
    last = re.search(r"\n(?=[a-z_]+:)", rest)  # the end of the services list
    at = body_end + (last.start() + 1 if last else len(rest))
    return text[:at] + copy + text[at:], day


def test_services_are_in_date_order_then_as_the_file_gives_them(spec):
    from tacli.domain.services import in_order

    text, day = _two_services_on_one_day(ELM)
    engagement = _engagement(spec, text)
    ordered = [service.id for service in in_order(engagement.services)]
    same_day = [service.id for service in engagement.services if str(service.date) == day]
    assert same_day[-1] == "0000-afternoon" and ordered.index(same_day[0]) + 1 == ordered.index("0000-afternoon")
    assert [s.date for s in in_order(engagement.services)] == sorted(s.date for s in engagement.services)


def test_a_service_owes_the_report_of_the_first_duty_framework(spec):
    from tacli.domain.reports import service_report

    engagement = _engagement(spec, ELM)
    assert service_report(spec, engagement) is spec.frameworks["cali"].report
    riverside = _engagement(spec, (EXAMPLES / "riverside-district-intensive.yaml").read_text(encoding="utf-8"))
    assert service_report(spec, riverside) is None


def test_no_hour_cap_applies_without_a_coaching_offer(spec):
    from tacli.domain.figures import engagement_figures
    from tacli.domain.hours import coaching_hours, hour_cap
    from tacli.domain.status import engagement_status
    from tacli.output.export_tables import engagement_rows

    text = ELM + "coaching:\n  coach: {name: Dana Ruiz}\n  hour_cap: 2\n"
    engagement = _engagement(spec, text)
    assert hour_cap(spec, engagement) is None and coaching_hours(spec, engagement) is None
    assert engagement_status(spec, engagement, "x.yaml", TODAY)["hours"]["cap"] is None
    assert engagement_rows(spec, engagement, "x.yaml", TODAY)[0]["coaching_hour_cap"] is None
    assert engagement_figures(spec, engagement, TODAY).coaching is None
    acorns = _engagement(spec, (EXAMPLES / "little-acorns-oec-coaching.yaml").read_text(encoding="utf-8"))
    capped = coaching_hours(spec, acorns)
    assert capped is not None and capped.cap == hour_cap(spec, acorns) == 21
    assert engagement_status(spec, acorns, "x.yaml", TODAY)["hours"]["left"] == capped.left


def test_a_coaching_section_without_an_offer_is_told(spec):
    text = ELM + "coaching:\n  coach: {name: Dana Ruiz}\n  hour_cap: 2\n"
    checker = Checker(spec, TODAY)
    found = [f for f in checker.examine(checker.read_document(load_bytes(text.encode("utf-8"), "c.yaml"))).findings if f.rule == "unlisted-framework"]
    assert [(f.line, f.message) for f in found] == [(text.count("\n") - 2, "a coaching section is recorded (its hour_cap 2 does not apply), but this engagement lists no coaching offer, so it is not checked: add 'oec' to frameworks, or remove coaching")]


def test_reports_are_counted_one_way():
    from tacli.domain.reports import COMPLETED, PENDING, ReportCounts, ReportState, count_reports

    day = date(2026, 10, 8)
    states = [
        ReportState(day, day, COMPLETED, 0),  # on time
        ReportState(day, day + timedelta(days=2), COMPLETED, 0),  # late
        ReportState(day, None, OVERDUE, -1),
        ReportState(day, None, DUE_SOON, 1),
        ReportState(day, None, PENDING, 30),
    ]
    counts = count_reports(states)
    assert counts == ReportCounts(due=3, on_time=1, late=1, overdue=1, due_soon=1)
    assert counts.on_time_rate == 1 / 3
    assert count_reports([]).on_time_rate is None
    assert count_reports(states[:2]) + count_reports(states[2:]) == counts


def test_the_look_ahead_of_what_is_due_is_not_the_reports_due_soon(spec):
    from tacli.core.dates import LOOK_AHEAD_DAYS

    assert LOOK_AHEAD_DAYS == 7 and spec.frameworks["cali"].report.due_soon_days == 2


# the order of stages


def test_stages_come_in_the_standards_order_in_due_status_and_the_site(spec):
    """Planning, Delivery, Follow Up: as the standards list them, not by id
    ("delivery" sorts before "planning"). A service held yesterday owes its
    Planning and Delivery duties on the same day."""
    from tacli.domain.figures import portfolio
    from tacli.domain.frameworks import stage_rank
    from tacli.domain.obligations import DUTIES, obligations
    from tacli.domain.status import engagement_status

    text = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8")
    text += "  - {id: 2026-11-21-visit, date: 2026-11-21, type: site-visit, mode: on-site, hours: 2}\n"
    checker = Checker(spec, TODAY)
    engagement = checker.read_document(load_bytes(text.encode(), "elm.yaml")).engagement
    assert list(stage_rank(spec))[:3] == ["planning", "delivery", "follow-up"]
    held = date(2026, 11, 21)
    same_day = [item.stage for item in obligations(spec, engagement, "elm.yaml", TODAY) if item.kind == DUTIES and item.service_id == "2026-11-21-visit" and item.due == held]
    assert same_day == ["planning", "delivery"]
    owed = [item.what for item in obligations(spec, engagement, "elm.yaml", TODAY) if item.kind != "coaching-hours"]
    assert [item["what"] for item in engagement_status(spec, engagement, "elm.yaml", TODAY)["next"]] == owed[:3]  # status's next, in that order
    listed = [item.stage for item in portfolio(spec, [engagement], TODAY).items if item.service_id == "2026-11-21-visit" and item.kind == DUTIES and item.due == held]
    assert listed == ["planning", "delivery"]


def test_missing_elements_are_those_blank_as_check_reports_them(spec):
    from tacli.domain.frameworks import missing_elements
    from tacli.domain.obligations import PLAN, obligations

    elm = _engagement(spec, ELM)
    assert missing_elements(spec, elm) == []
    assert PLAN not in [item.kind for item in obligations(spec, elm, "elm.yaml", TODAY)]
    blank = _engagement(spec, edited(ELM, "    - Data-driven decision-making in grade-level data teams (five-step cycle)\n    - Common formative assessments in reading comprehension\n",
                                     "    - ' '  # a list of nothing but blanks is missing\n"))
    assert [element.id for element in missing_elements(spec, blank)] == ["intervention_practices"]
    owed = [item for item in obligations(spec, blank, "elm.yaml", TODAY) if item.kind == PLAN]
    assert [(item.due, item.what, item.command) for item in owed] == [(blank.start, "write the plan: Intervention Practices missing", "tacli serve elm.yaml")]


def test_obligations_asked_again_of_the_same_engagement_are_the_same_and_a_list_of_their_own(spec):
    """The last engagement's obligations are remembered (its page, status and
    figures each ask): the same answer, in a new list; another engagement
    object, path or day is worked out anew."""
    from tacli.domain import obligations as module

    elm = _engagement(spec, ELM)
    first = module.obligations(spec, elm, "elm.yaml", TODAY)
    worked = []
    original = module._worked_out
    module._worked_out = lambda *args: worked.append(args) or original(*args)
    try:
        again = module.obligations(spec, elm, "elm.yaml", TODAY)
        assert again == first and again is not first and worked == []
        again.clear()
        assert module.obligations(spec, elm, "elm.yaml", TODAY) == first
        later = module.obligations(spec, elm, "elm.yaml", TODAY + timedelta(days=400))
        assert later != first and len(worked) == 1
        assert module.obligations(spec, elm, "other.yaml", TODAY + timedelta(days=400)) != later and len(worked) == 2
        without = elm.model_copy(update={"services": []})
        assert module.obligations(spec, without, "elm.yaml", TODAY) != first and len(worked) == 3
    finally:
        module._worked_out = original


def test_files_to_fix_are_in_path_order_whether_or_not_their_id_could_be_read():
    """A file whose schema failed still has an engagement id, one that did not
    parse has none: neither decides the order, the path does."""
    from tacli.domain.obligations import Obligation, file_to_fix

    files = [file_to_fix("z.yaml", 1, "unknown key", TODAY, engagement_id="aaa"),
             file_to_fix("m.yaml", 1, "unknown key", TODAY, engagement_id="zzz"),
             file_to_fix("bad/a.yaml", 1, "a tab", TODAY)]
    assert [item.path for item in sorted(files, key=Obligation.sort_key)] == ["bad/a.yaml", "m.yaml", "z.yaml"]
