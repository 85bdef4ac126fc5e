"""`tacli new engagement`, `tacli new service` and `tacli mark` through the real command."""

from __future__ import annotations

import difflib
import os
import shutil
import stat

import pytest

from conftest import MINI_STANDARDS

TODAY = "2026-11-22"
ENV = {"TACLI_STANDARDS": str(MINI_STANDARDS), "TACLI_TODAY": TODAY}
NEW = ["new", "engagement", "Data Use at Elm", "--recipient", "Elm School", "--organization", "The Center", "--facilitator", "Dana Ruiz", "--start", "2026-09-01", "--end", "2027-06-30", "--frameworks", "mini"]


@pytest.fixture
def tacli(run_tacli, tmp_path):
    def run(*args, **kwargs):
        return run_tacli(*args, cwd=tmp_path, env={**ENV, **kwargs.pop("env", {})}, **kwargs)

    return run


def changed_lines(before: str, after: str) -> list[str]:
    """The lines an edit removed or added, without context."""
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_new_engagement_writes_a_valid_checklist(tacli, tmp_path):
    done = tacli(*NEW)
    assert done.returncode == 0, done.stderr
    path = tmp_path / "engagements" / "data-use-at-elm.yaml"
    assert done.stdout.splitlines() == ["wrote engagements/data-use-at-elm.yaml", "next: tacli check engagements/data-use-at-elm.yaml"]
    text = path.read_text()
    assert "tacli: 1" in text and "# Goals: What the work is for." in text
    checked = tacli("check", str(path))
    rules = {line.split()[2] for line in checked.stdout.splitlines()[:-1]}
    assert rules == {"plan-element", "coaching-readiness"}, checked.stdout


def test_new_engagement_lists_a_duty_added_to_the_spec(tacli, tmp_path):
    standards = tmp_path / "standards"
    shutil.copytree(MINI_STANDARDS, standards)
    spec = standards / "matrix.yaml"
    spec.write_text(spec.read_text().replace(
        "report:\n",
        "  - id: planning.facilitator.book-room\n    stage: planning\n    role: facilitator\n    number: \"2\"\n    text: Book a room\nreport:\n",
    ))
    done = tacli(*NEW, "--service-date", "2026-10-01", "--service-type", "visit", env={"TACLI_STANDARDS": str(standards)})
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "engagements" / "data-use-at-elm.yaml").read_text()
    assert "# Planning, Facilitator 2: Book a room\n      planning.facilitator.book-room: {status: open}" in text


def test_new_engagement_refuses_to_overwrite_without_force(tacli, tmp_path):
    assert tacli(*NEW).returncode == 0
    path = tmp_path / "engagements" / "data-use-at-elm.yaml"
    path.write_text("mine\n")
    again = tacli(*NEW)
    assert again.returncode == 2
    assert "already exists" in again.stderr and "--force" in again.stderr
    assert path.read_text() == "mine\n"
    assert tacli(*NEW, "--force").returncode == 0
    assert path.read_text().startswith("# yaml-language-server: $schema=../engagement.schema.json\n# A technical assistance engagement")


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--output", "../escape.yaml"], "outside"),
        (["--output", "/tmp/abs.yaml"], "outside"),
        (["--tier", "intensiv"], "did you mean 'intensive'"),
        (["--start", "2026-02-30"], "is not a real date: write YYYY-MM-DD"),
        (["--frameworks", "mini,cali2"], "unknown framework 'cali2'"),
        (["--service-date", "2026-10-01", "--service-type", "vist"], "did you mean 'visit'"),
        (["--end", "2020-01-01"], "before --start"),
        (["--service-date", "2026-08-31", "--service-type", "visit"], "--service-date 2026-08-31 falls outside the engagement (2026-09-01 to 2027-06-30)"),
        (["--service-date", "2027-07-01", "--service-type", "visit"], "falls outside the engagement"),
    ],
)
def test_new_engagement_refuses_bad_options(tacli, tmp_path, extra, message):
    done = tacli(*NEW, *extra)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "escape.yaml").exists()
    assert not (tmp_path / "engagements").exists() or not list((tmp_path / "engagements").iterdir())


def test_new_engagement_title_without_letters(tacli):
    done = tacli("new", "engagement", "!!!", "--recipient", "x", "--organization", "y", "--facilitator", "z")
    assert done.returncode == 2
    assert "no letters or digits" in done.stderr


def test_new_engagement_never_waits_without_a_terminal(tacli):
    done = tacli("new", "engagement", "Data Use", input="")
    assert done.returncode == 2
    assert "missing --recipient, --organization, --facilitator" in done.stderr


@pytest.fixture
def engagement(tacli, tmp_path):
    assert tacli(*NEW).returncode == 0
    return tmp_path / "engagements" / "data-use-at-elm.yaml"


def test_new_service_touches_only_its_own_lines(tacli, engagement):
    assert tacli("new", "service", str(engagement), "--date", "2026-10-01", "--type", "visit", "--hours", "2").returncode == 0
    first = engagement.read_text()
    done = tacli("new", "service", str(engagement), "--date", "2026-11-05", "--type", "visit", "--title", "Second visit")
    assert done.returncode == 0, done.stderr
    assert "added service 2026-11-05-second-visit" in done.stdout
    after = engagement.read_text()
    changes = changed_lines(first, after)
    assert all(line.startswith("+") for line in changes)
    assert changes[0] == "+  - id: 2026-11-05-second-visit"
    assert after.startswith(first)


def test_new_service_keeps_date_order(tacli, engagement):
    tacli("new", "service", str(engagement), "--date", "2026-11-05", "--type", "visit")
    tacli("new", "service", str(engagement), "--date", "2026-10-01", "--type", "visit")
    text = engagement.read_text()
    assert text.index("id: 2026-10-01-visit") < text.index("id: 2026-11-05-visit")


STYLED = """\
tacli: 1
id: elm-school
title: 'Data use at Elm School'
tier: basic
frameworks: [mini]
recipient:
    kind: school
    name: Elm School
provider:
    organization: The center
    facilitator:
        name: Dana Ruiz
start: 2026-09-01
coaching:
    coach: {name: Dana Ruiz}
    readiness:
        internet: {met: true}
plan:
    goals: [Teachers use data]
services:
- id: first-visit
  # the kick-off
  date: 2026-10-01
  type: visit
  mode: on-site
  duties:
      planning.facilitator.prepare-agenda: {status: done, date: 2026-09-30, evidence: agenda.pdf}

# notes after the services stay where they are
notes: Keep this.
"""


def test_new_service_matches_the_file_style(tacli, tmp_path):
    path = tmp_path / "styled.yaml"
    path.write_text(STYLED)
    done = tacli("new", "service", str(path), "--date", "2026-11-01", "--type", "visit")
    assert done.returncode == 0, done.stderr
    after = path.read_text()
    changes = changed_lines(STYLED, after)
    assert all(line.startswith("+") for line in changes)
    assert changes[:3] == ["+- id: 2026-11-01-visit", "+  date: 2026-11-01", "+  type: visit"]
    assert "+      planning.facilitator.prepare-agenda: {status: open}" in changes
    assert after.endswith("\n# notes after the services stay where they are\nnotes: Keep this.\n")


def test_mark_changes_one_line_and_keeps_comments(tacli, engagement):
    tacli("new", "service", str(engagement), "--date", "2026-10-01", "--type", "visit")
    before = engagement.read_text().replace("  name: Elm School\n", "  name: 'Elm School'   # quoted on purpose\n")
    engagement.write_text(before)
    done = tacli("mark", str(engagement), "planning.facilitator.prepare-agenda", "--done", "--date", "2026-09-30", "--evidence", "agenda: v2, sent by e-mail")
    assert done.returncode == 0, done.stderr
    after = engagement.read_text()
    assert changed_lines(before, after) == [
        "-      planning.facilitator.prepare-agenda: {status: open}",
        '+      planning.facilitator.prepare-agenda: {status: done, date: 2026-09-30, evidence: "agenda: v2, sent by e-mail"}',
    ]
    na = tacli("mark", str(engagement), "follow-up.facilitator.write-report", "--na", "The center writes it")
    assert na.returncode == 0
    assert "follow-up.facilitator.write-report: {status: not-applicable, reason: The center writes it}" in engagement.read_text()
    reopen = tacli("mark", str(engagement), "follow-up.facilitator.write-report", "--open")
    assert reopen.returncode == 0
    # a record holds the fields of its status only: open again, the reason goes
    assert "follow-up.facilitator.write-report: {status: open}" in engagement.read_text()


def test_mark_block_style_record_stays_block(tacli, tmp_path):
    path = tmp_path / "e.yaml"
    text = (MINI_STANDARDS.parent / "mini-engagement.yaml").read_text().replace(
        "      planning.facilitator.prepare-agenda: {status: done, date: 2026-09-30, evidence: agenda.pdf}\n",
        "      planning.facilitator.prepare-agenda:\n        status: open   # to do\n",
    )
    path.write_text(text)
    done = tacli("mark", str(path), "planning.facilitator.prepare-agenda", "--done", "--date", "2026-09-30")
    assert done.returncode == 0, done.stderr
    assert changed_lines(text, path.read_text()) == [
        "-        status: open   # to do",
        "+        status: done   # to do",
        "+        date: 2026-09-30",
    ]


@pytest.mark.parametrize("record, status, expected", [
    ("{status: done, date: 2026-09-30, evidence: agenda.pdf, by: Sam Park}", ["--na", "Not held"], "{status: not-applicable, by: Sam Park, reason: Not held}"),
    ("{status: not-applicable, reason: Not held, by: Sam Park}", ["--done", "--date", "2026-09-30"], "{status: done, by: Sam Park, date: 2026-09-30}"),
    ("{status: done, date: 2026-09-30, evidence: agenda.pdf, by: Sam Park}", ["--open"], "{status: open}"),
    (
        "\n        status: done   # the agenda\n        date: 2026-09-30\n        # sent to the principal\n        evidence: |\n          agenda.pdf\n          and the slides\n        by: Sam Park\n",
        ["--na", "Not held"],
        "\n        status: not-applicable   # the agenda\n        # sent to the principal\n        by: Sam Park\n        reason: Not held\n",
    ),
])
def test_a_change_of_status_takes_out_the_fields_of_the_old_one(tacli, tmp_path, record, status, expected):
    """A record holds the fields of its status only (done: date, evidence, by;
    not applicable: reason, by; open: nothing): never done with a reason."""
    path = tmp_path / "e.yaml"
    old = "      planning.facilitator.prepare-agenda: {status: done, date: 2026-09-30, evidence: agenda.pdf}\n"
    separator = " " if record.startswith("{") else ""
    text = (MINI_STANDARDS.parent / "mini-engagement.yaml").read_text().replace(old, f"      planning.facilitator.prepare-agenda:{separator}{record}" + ("\n" if record.startswith("{") else ""))
    path.write_text(text)
    done = tacli("mark", str(path), "planning.facilitator.prepare-agenda", *status)
    assert done.returncode == 0, done.stderr
    assert f"      planning.facilitator.prepare-agenda:{separator}{expected}" in path.read_text()


@pytest.mark.parametrize("record, expected", [
    (
        "{status: open, by: Sam Park, evidence: Sign-in sheet}",
        "{status: done, by: Sam Park, evidence: Sign-in sheet, date: 2026-09-30}",
    ),
    (
        "\n        status: open\n        by: Sam Park   # the coach\n        evidence: Sign-in sheet\n",
        "\n        status: done\n        by: Sam Park   # the coach\n        evidence: Sign-in sheet\n        date: 2026-09-30\n",
    ),
])
def test_mark_keeps_what_it_does_not_set(tacli, tmp_path, record, expected):
    """A recorded `by:` and earlier evidence stay: mark sets only the status, the date and what it is given."""
    path = tmp_path / "e.yaml"
    old = "      planning.facilitator.prepare-agenda: {status: done, date: 2026-09-30, evidence: agenda.pdf}\n"
    separator = " " if record.startswith("{") else ""
    text = (MINI_STANDARDS.parent / "mini-engagement.yaml").read_text().replace(old, f"      planning.facilitator.prepare-agenda:{separator}{record}" + ("\n" if record.startswith("{") else ""))
    path.write_text(text)
    done = tacli("mark", str(path), "planning.facilitator.prepare-agenda", "--done", "--date", "2026-09-30")
    assert done.returncode == 0, done.stderr
    assert f"      planning.facilitator.prepare-agenda:{separator}{expected}" in path.read_text()
    again = tacli("mark", str(path), "planning.facilitator.prepare-agenda", "--done", "--date", "2026-09-30", "--evidence", "Agenda v2")
    assert again.returncode == 0, again.stderr
    assert "Sign-in sheet" not in path.read_text() and "Agenda v2" in path.read_text() and "Sam Park" in path.read_text()


def test_mark_adds_a_missing_duty_in_spec_order(tacli, tmp_path):
    path = tmp_path / "e.yaml"
    text = (MINI_STANDARDS.parent / "mini-engagement.yaml").read_text().replace(
        "      planning.facilitator.prepare-agenda: {status: done, date: 2026-09-30, evidence: agenda.pdf}\n", ""
    )
    path.write_text(text)
    done = tacli("mark", str(path), "planning.facilitator.prepare-agenda", "--na", "No agenda for a call")
    assert done.returncode == 0, done.stderr
    after = path.read_text()
    assert changed_lines(text, after) == ["+      planning.facilitator.prepare-agenda: {status: not-applicable, reason: No agenda for a call}"]
    assert after.index("planning.facilitator.prepare-agenda") < after.index("follow-up.facilitator.write-report")


def test_edits_keep_windows_line_endings(tacli, tmp_path):
    path = tmp_path / "e.yaml"
    text = (MINI_STANDARDS.parent / "mini-engagement.yaml").read_text().replace(
        "      planning.facilitator.prepare-agenda: {status: done, date: 2026-09-30, evidence: agenda.pdf}\n",
        "      planning.facilitator.prepare-agenda:\n        status: open\n",
    )
    before = text.replace("\n", "\r\n").encode()
    path.write_bytes(before)
    assert tacli("new", "service", str(path), "--date", "2026-09-15", "--type", "visit").returncode == 0
    assert tacli("new", "service", str(path), "--date", "2026-11-01", "--type", "visit").returncode == 0
    marked = tacli("mark", str(path), "planning.facilitator.prepare-agenda", "--service", "first-visit", "--done", "--date", "2026-09-30")
    assert marked.returncode == 0, marked.stderr
    added = tacli("mark", str(path), "follow-up.facilitator.write-report", "--service", "2026-11-01-visit", "--open")
    assert added.returncode == 0, added.stderr
    after = path.read_bytes()
    assert after.count(b"\n") == after.count(b"\r\n") > before.count(b"\n")
    assert b"        status: done\r\n        date: 2026-09-30\r\n" in after


@pytest.mark.parametrize(
    "args",
    [
        ["mark", "{path}", "planning.facilitator.prepare-agenda", "--open"],
        ["new", "service", "{path}", "--date", "2026-10-02", "--type", "visit"],
    ],
)
def test_edits_at_the_end_of_a_file_without_a_final_line_break(tacli, tmp_path, args):
    path = tmp_path / "e.yaml"
    text = (MINI_STANDARDS.parent / "mini-engagement.yaml").read_text()
    text = text[: text.index("    duties:")].rstrip("\n")
    path.write_text(text)
    done = tacli(*[a.format(path=path) for a in args])
    assert done.returncode == 0, done.stderr
    after = path.read_text()
    assert after.startswith(text + "\n") and after.endswith("\n")
    assert changed_lines(text, after)[0].startswith("+    duties:" if args[0] == "mark" else "+  - id: 2026-10-02-visit")


FLOW_SERVICE = "services:\n  - {id: first-visit, date: 2026-10-01, type: visit, mode: on-site, duties: {follow-up.facilitator.write-report: {status: open}}}\n"


@pytest.mark.parametrize(
    "services, message",
    [
        (FLOW_SERVICE, "the duties of service 'first-visit' are written as a flow mapping"),
        (FLOW_SERVICE.replace(", duties: {follow-up.facilitator.write-report: {status: open}}", ""), "service 'first-visit' is written as a flow mapping"),
    ],
)
def test_mark_explains_why_it_cannot_add_a_duty_to_a_flow_mapping(tacli, tmp_path, services, message):
    path = tmp_path / "e.yaml"
    text = (MINI_STANDARDS.parent / "mini-engagement.yaml").read_text()
    path.write_text(text[: text.index("services:")] + services)
    before = path.read_bytes()
    done = tacli("mark", str(path), "planning.facilitator.prepare-agenda", "--open")
    assert done.returncode == 2
    assert message in done.stderr and "block mapping" in done.stderr
    assert path.read_bytes() == before
    changed = tacli("mark", str(path), "follow-up.facilitator.write-report", "--na", "The center writes it")
    assert changed.returncode == (0 if "duties" in services else 2), changed.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["planning.facilitator.prepare-agend", "--done"], "did you mean 'planning.facilitator.prepare-agenda'"),
        (["planning.facilitator.prepare-agenda"], "exactly one of --done, --na REASON or --open"),
        (["planning.facilitator.prepare-agenda", "--done", "--na", "x"], "exactly one of"),
        (["planning.facilitator.prepare-agenda", "--done", "--service", "frist-visit"], "did you mean 'first-visit'"),
        (["planning.facilitator.prepare-agenda", "--done", "--date", "2026-13-01"], "is not a real date: write YYYY-MM-DD"),
        (["planning.facilitator.prepare-agenda", "--done", "--date", "2027-01-01"], "after today"),
        (["planning.facilitator.prepare-agenda", "--na", " "], "needs a reason"),
    ],
)
def test_mark_refuses_and_leaves_the_file_untouched(tacli, tmp_path, args, message):
    path = tmp_path / "e.yaml"
    shutil.copy(MINI_STANDARDS.parent / "mini-engagement.yaml", path)
    before = path.read_bytes()
    done = tacli("mark", str(path), *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert path.read_bytes() == before


def test_edits_refuse_a_read_only_file(tacli, tmp_path):
    path = tmp_path / "e.yaml"
    shutil.copy(MINI_STANDARDS.parent / "mini-engagement.yaml", path)
    os.chmod(path, 0o444)
    before = path.read_bytes()
    done = tacli("mark", str(path), "planning.facilitator.prepare-agenda", "--open")
    assert done.returncode == 2
    assert "read-only" in done.stderr
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_edits_keep_permissions(tacli, tmp_path):
    path = tmp_path / "e.yaml"
    shutil.copy(MINI_STANDARDS.parent / "mini-engagement.yaml", path)
    os.chmod(path, 0o640)
    assert tacli("mark", str(path), "planning.facilitator.prepare-agenda", "--open").returncode == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["e.yaml"]


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_edits_through_a_symbolic_link_change_the_file_it_points_to(tacli, tmp_path):
    real = tmp_path / "shared" / "e.yaml"
    real.parent.mkdir()
    shutil.copy(MINI_STANDARDS.parent / "mini-engagement.yaml", real)
    link = tmp_path / "e.yaml"
    link.symlink_to(os.path.join("shared", "e.yaml"))
    done = tacli("mark", str(link), "planning.facilitator.prepare-agenda", "--open")
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert "planning.facilitator.prepare-agenda: {status: open}" in real.read_text()
    assert sorted(p.name for p in real.parent.iterdir()) == ["e.yaml"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("- just\n- a list\n", "not an engagement"),
        ("tacli: 1\nid: [\n", "e.yaml:2:5: this [ is never closed"),
        ("title: notes\n", "not an engagement file"),
        (b"tacli: 1\ntitle: caf\xe9\n", "not UTF-8"),
    ],
)
def test_edits_refuse_files_that_are_not_engagements(tacli, tmp_path, content, message):
    path = tmp_path / "e.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = path.read_bytes()
    for args in (["mark", str(path), "planning.facilitator.prepare-agenda", "--open"], ["new", "service", str(path), "--date", "2026-10-01", "--type", "visit"]):
        done = tacli(*args)
        assert done.returncode == 2, args
        assert message in done.stderr
        assert path.read_bytes() == before


def test_new_service_refuses_unknown_type_and_bad_date(tacli, tmp_path):
    path = tmp_path / "e.yaml"
    shutil.copy(MINI_STANDARDS.parent / "mini-engagement.yaml", path)
    before = path.read_bytes()
    bad_type = tacli("new", "service", str(path), "--date", "2026-10-01", "--type", "vist")
    assert bad_type.returncode == 2 and "did you mean 'visit'" in bad_type.stderr
    bad_date = tacli("new", "service", str(path), "--date", "2026-02-29", "--type", "visit")
    assert bad_date.returncode == 2 and "is not a real date: write YYYY-MM-DD" in bad_date.stderr
    duplicate = tacli("new", "service", str(path), "--date", "2026-10-01", "--type", "visit", "--id", "first-visit")
    assert duplicate.returncode == 2 and "already exists" in duplicate.stderr
    assert path.read_bytes() == before


def test_new_service_under_an_empty_services_key(tacli, engagement):
    text = engagement.read_text().replace("services: []\n", "services:\n\n# the end\n")
    engagement.write_text(text)
    assert tacli("check", str(engagement)).returncode in (0, 1)
    done = tacli("new", "service", str(engagement), "--date", "2026-10-01", "--type", "visit")
    assert done.returncode == 0, done.stderr
    after = engagement.read_text()
    assert "services:\n  - id: 2026-10-01-visit\n" in after
    assert after.endswith("# the end\n")


@pytest.mark.parametrize("title, slug", [("True", "true"), ("Null", "null"), ("1e5", "1e5"), ("Del\x7fta", "del-ta"), ("No", "no")])
def test_titles_that_yaml_would_retype(tacli, tmp_path, title, slug):
    """The id made from the title is written so that it reads back as text."""
    done = tacli("new", "engagement", title, "--recipient", "Oak School", "--organization", "The Center", "--facilitator", "Sam Park", "--start", "2026-09-01")
    assert done.returncode == 0, done.stderr
    path = tmp_path / "engagements" / f"{slug}.yaml"
    checked = tacli("check", str(path))
    assert "schema-" not in checked.stdout and checked.returncode in (0, 1), checked.stdout


@pytest.mark.parametrize("title", ["Con", "NUL", "com1"])
def test_a_title_that_makes_a_reserved_id_is_refused(tacli, title):
    done = tacli("new", "engagement", title, "--recipient", "Oak School", "--organization", "The Center", "--facilitator", "Sam Park")
    assert done.returncode == 2
    assert "a name Windows keeps for a device" in done.stderr


@pytest.mark.parametrize("service_id", ["first-visit\n", "nul", "a\x1bb", "Visit"])
def test_new_service_refuses_ids_that_cannot_name_a_report(tacli, tmp_path, service_id):
    path = tmp_path / "e.yaml"
    shutil.copy(MINI_STANDARDS.parent / "mini-engagement.yaml", path)
    before = path.read_bytes()
    done = tacli("new", "service", str(path), "--date", "2026-10-02", "--type", "visit", "--id", service_id)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("tacli: error: --id ")
    assert path.read_bytes() == before


def test_marking_the_report_duty_completes_the_report_and_the_reverse(tacli, tmp_path):
    """The report and its duty are one fact: one edit records both."""
    path = tmp_path / "e.yaml"
    text = (MINI_STANDARDS.parent / "mini-engagement.yaml").read_text()
    text = text.replace("      follow-up.facilitator.write-report: {status: done, date: 2026-10-05, evidence: report.md}\n", "").replace("      completed: 2026-10-05\n", "")
    path.write_text(text)
    done = tacli("mark", str(path), "follow-up.facilitator.write-report", "--done", "--date", "2026-10-06", "--evidence", "report.md")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"marked follow-up.facilitator.write-report done in {path} (and its Service Report completed on 2026-10-06)\n"
    changed = changed_lines(text, path.read_text())
    assert changed == [
        "+      follow-up.facilitator.write-report: {status: done, date: 2026-10-06, evidence: report.md}",
        "+      completed: 2026-10-06",
    ]
    assert tacli("check", str(path)).stdout.endswith("no problems.\n")
    reopened = tacli("mark", str(path), "follow-up.facilitator.write-report", "--open")
    assert reopened.returncode == 0
    assert "      completed: null\n" in path.read_text()
    other = tacli("mark", str(path), "planning.facilitator.prepare-agenda", "--done", "--date", "2026-09-30", "--evidence", "agenda.pdf")
    assert "and its" not in other.stdout


def test_a_duty_already_done_keeps_its_day(shipped, elm):
    done = shipped("mark", elm, "planning.facilitator.review-plans-and-data", "planning.facilitator.review-plans-and-data", "--service", "2026-09-29-data-teams-launch", "--done")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("marked planning.facilitator.review-plans-and-data done")  # named twice, marked once
    assert 'planning.facilitator.review-plans-and-data: {status: done, date: 2026-09-24, evidence: "Read the 2026' in elm.read_text()
    redated = shipped("mark", elm, "planning.facilitator.review-plans-and-data", "--service", "2026-09-29-data-teams-launch", "--done", "--date", "2026-09-23")
    assert redated.returncode == 0 and "date: 2026-09-23" in elm.read_text()


def test_a_whole_stage_opens_again_and_the_report_duty_waits_for_the_report(shipped, elm):
    reopened = shipped("mark", elm, "--service", "2026-11-17-principal-call", "--stage", "planning", "--role", "leadership", "--open")
    assert reopened.returncode == 0, reopened.stderr
    assert "marked 5 duties open" in reopened.stdout
    follow_up = shipped("mark", elm, "--service", "2026-11-17-principal-call", "--stage", "follow-up", "--role", "facilitator", "--done", "--evidence", "Notes")
    assert follow_up.returncode == 0, follow_up.stderr
    assert "follow-up.facilitator.complete-tast-report stays open: its TAST Report is not written" in follow_up.stderr
    refused = shipped("mark", elm, "follow-up.facilitator.complete-tast-report", "--service", "2026-11-17-principal-call", "--done")
    assert refused.returncode == 2 and "which has nothing in it yet: write it first (tacli tast" in refused.stderr


def test_a_completed_report_keeps_its_day(shipped, elm):
    again = shipped("tast", elm, "--service", "2026-09-29-data-teams-launch", "--complete")
    assert again.returncode == 2 and "was completed on 2026-10-02: it stays so" in again.stderr
    corrected = shipped("tast", elm, "--service", "2026-09-29-data-teams-launch", "--complete", "--date", "2026-10-01")
    assert corrected.returncode == 0, corrected.stderr
    added = shipped("tast", elm, "--service", "2026-09-29-data-teams-launch", "--next-step", "Plan the spring visit")
    assert added.returncode == 0 and "next:" not in added.stdout


def test_mark_without_duties_or_a_terminal_says_how(shipped, elm):
    done = shipped("mark", elm, "--service", "2026-11-17-principal-call")
    assert done.returncode == 2 and "the checklist to tick needs a terminal" in done.stderr


def test_options_take_any_case_and_are_written_as_the_standards_write_them(shipped, elm, tmp_path):
    made = shipped("new", "engagement", "Oak", "--tier", "TARGETED", "--partner", "RESC", "--recipient", "Oak", "--organization", "C", "--facilitator", "Z")
    assert made.returncode == 0, made.stderr
    text = (tmp_path / "engagements" / "oak.yaml").read_text(encoding="utf-8")
    assert "tier: targeted" in text and "partner: resc" in text
    added = shipped("new", "service", elm, "--date", "2026-11-20", "--type", "Site-Visit", "--mode", "Virtual", "--topics", "Data-Teams")
    assert added.returncode == 0, added.stderr
    assert "type: site-visit" in elm.read_text(encoding="utf-8") and "mode: virtual" in elm.read_text(encoding="utf-8")
    staged = shipped("mark", elm, "--service", "2026-11-17-principal-call", "--stage", "Delivery", "--done", "--date", "2026-11-17")
    assert staged.returncode == 0, staged.stderr
    section = shipped("tast", elm, "--service", "2026-11-17-principal-call", "--add", "Next Steps=Call in May")
    assert section.returncode == 0 and "Call in May" in elm.read_text(encoding="utf-8")
    assert shipped("due", elm, "--format", "JSON", "--facilitator", "").stdout.startswith("{")


def test_new_engagement_then_mark_a_duty(shipped, tmp_path):
    made = shipped(
        "new", "engagement", "Data Use at Oak", "--recipient", "Oak School", "--organization", "The Center",
        "--facilitator", "Sam Park", "--start", "2026-09-01", "--service-date", "2026-10-01", "--service-type", "site-visit",
    )
    assert made.returncode == 0, made.stderr
    path = tmp_path / "engagements" / "data-use-at-oak.yaml"
    marked = shipped("mark", str(path), "planning.facilitator.prepare-learning-agenda", "--done", "--date", "2026-09-30", "--evidence", "Agenda sent")
    assert marked.returncode == 0, marked.stderr
    assert "planning.facilitator.prepare-learning-agenda: {status: done, date: 2026-09-30, evidence: Agenda sent}" in path.read_text(encoding="utf-8")


def test_the_facilitators_week(shipped, elm):
    """new service, due (text and iCalendar), status, mark a whole stage, tast."""
    added = shipped("new", "service", elm, "--date", "2026-11-20", "--type", "site-visit")
    assert added.returncode == 0, added.stderr
    service = "2026-11-20-site-visit"
    due = shipped("due", elm, "--within", "14")
    assert due.returncode == 0 and service in due.stdout, due.stderr
    feed = shipped("due", elm, "--format", "ics")
    assert feed.returncode == 0 and feed.stdout.startswith("BEGIN:VCALENDAR"), feed.stderr
    status = shipped("status", elm)
    assert status.returncode == 0 and "2026-11-20  site-visit" in status.stdout, status.stderr
    marked = shipped("mark", elm, "--service", service, "--stage", "planning", "--done", "--date", "yesterday", "--evidence", "Agenda sent")
    assert marked.returncode == 0 and "planning" in marked.stdout, marked.stderr
    written = shipped("tast", elm, "--service", service, "--commendation", "Teams came prepared", "--complete")
    assert written.returncode == 0, written.stderr
    assert "Teams came prepared" in elm.read_text(encoding="utf-8")


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="the lock folder is named by the user's id")
@pytest.mark.parametrize("planted", ["file", "link to a file"])
def test_a_file_where_the_lock_folder_goes_is_a_usage_error(tacli, tmp_path, monkeypatch, planted):
    """Someone's file at $TMPDIR/tacli-locks-<uid> (a shared /tmp) stops an edit with what to do, not a crash."""
    import tempfile

    assert tacli(*NEW).returncode == 0
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    locks = temporary / f"tacli-locks-{os.getuid()}"
    if planted == "file":
        locks.write_text("x\n")
    else:
        (temporary / "elsewhere").write_text("x\n")
        locks.symlink_to(temporary / "elsewhere")
    before = (tmp_path / "engagements" / "data-use-at-elm.yaml").read_bytes()
    done = tacli("new", "reviewer", "engagements/data-use-at-elm.yaml", "Pat Kim")
    assert done.returncode == 2, done.stderr
    assert f"{locks} is not a private folder of this user: tacli keeps its edit locks there; remove it and run again" in done.stderr
    assert (tmp_path / "engagements" / "data-use-at-elm.yaml").read_bytes() == before


@pytest.mark.parametrize("given", [["--evidence", "caf\udce9"], ["--evidence=caf\udce9"], ["--na", "\udcff\udcfe"]])
def test_an_argument_that_is_not_utf8_text_is_refused_not_written(tacli, tmp_path, given):
    """Bytes typed in a terminal of another encoding reach tacli as lone
    surrogates: refused with what to do, never written as escapes."""
    assert tacli(*NEW, "--service-date", "2026-10-01", "--service-type", "visit").returncode == 0
    path = tmp_path / "engagements" / "data-use-at-elm.yaml"
    before = path.read_bytes()
    status = ["--done", "--date", "2026-10-01"] if "evidence" in given[0] else []
    done = tacli("mark", str(path), "planning.facilitator.prepare-agenda", "--service", "2026-10-01-visit", *status, *given)
    option = given[0].split("=")[0]
    assert done.returncode == 2 and f"an argument in {option} is not UTF-8 text" in done.stderr, done.stderr
    assert path.read_bytes() == before


def test_a_file_named_in_another_encoding_is_still_read(tacli, tmp_path):
    assert tacli(*NEW).returncode == 0
    named = tmp_path / "caf\udce9.yaml"
    (tmp_path / "engagements" / "data-use-at-elm.yaml").rename(named)
    done = tacli("check", str(named))
    assert done.returncode == 1 and "not UTF-8 text" not in done.stderr


@pytest.mark.parametrize("given, says", [
    (["--date", ""], "--date '' is not a date"),
    (["--date", "2026-10-01", "--evidence", ""], "--evidence is empty: say what shows it"),
    (["--date", "2026-10-01", "--evidence", "  "], "--evidence is empty: say what shows it"),
])
def test_an_empty_value_is_refused_not_taken_for_none(tacli, tmp_path, given, says):
    """An unset variable in a script (`--date "$DAY"`) is refused: never today, never an empty record."""
    assert tacli(*NEW, "--service-date", "2026-10-01", "--service-type", "visit").returncode == 0
    path = tmp_path / "engagements" / "data-use-at-elm.yaml"
    before = path.read_bytes()
    done = tacli("mark", str(path), "planning.facilitator.prepare-agenda", "--service", "2026-10-01-visit", "--done", *given)
    assert done.returncode == 2 and says in done.stderr, done.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("today, says", [("", "--today is empty: write YYYY-MM-DD"), ("20261122", "--today '20261122' is not a date: write YYYY-MM-DD"), ("2026-W47-1", "is not a date")])
def test_today_is_yyyy_mm_dd_and_never_empty(run_tacli, tmp_path, today, says):
    done = run_tacli("check", "--today", today, str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2 and says in done.stderr, done.stderr


@pytest.mark.parametrize("name", ["x.txt", "-", ".yaml", "notes"])
def test_new_engagement_refuses_a_file_name_no_folder_search_finds(tacli, tmp_path, name):
    done = tacli(*NEW, "-o", name)
    assert done.returncode == 2 and f"--output '{name}' is not named like an engagement file" in done.stderr
    assert not (tmp_path / "engagements").exists() or not any((tmp_path / "engagements").iterdir())


@pytest.mark.parametrize("command", [("check", "-f", "json"), ("due", "--facilitator", "", "-f", "json"), ("export", "--table", "services", "-f", "json")])
def test_dash_as_the_output_is_standard_output(tacli, tmp_path, command):
    import json

    assert tacli(*NEW).returncode == 0
    done = tacli(command[0], "engagements", *command[1:], "-o", "-")
    assert done.returncode in (0, 1), done.stderr
    assert json.loads(done.stdout)["tool"]["name"] == "tacli"
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("args, name", [
    (("report", "engagements", "--out-dir", "reports", "--templates", ""), "--templates"),
    (("init", ""), "DIR"),
    ((*NEW, "--dir", " "), "--dir"),
])
def test_an_empty_folder_is_refused_not_read_as_this_one(tacli, tmp_path, args, name):
    done = tacli(*args)
    assert done.returncode == 2 and f"{name} is empty: give a folder (. for the current one)" in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_new_engagement_recorded_as_not_in_need_keeps_the_tiers_frameworks_and_takes_services(run_tacli, tmp_path):
    """csde gives the support types every service names: an engagement whose
    school is recorded as not in need of improvement keeps it, takes a
    service, and check says how a center that serves such schools turns the warning off."""
    args = ["new", "engagement", "T", "--tier", "targeted", "--recipient", "R School", "--organization", "O", "--facilitator", "F", "--today", TODAY]
    assert run_tacli(*args, "--not-in-need-of-improvement", "-o", "not.yaml", cwd=tmp_path).returncode == 0
    assert "csde" in (tmp_path / "engagements" / "not.yaml").read_text().split("frameworks:")[1].split("\n")[0]
    added = run_tacli("new", "service", "engagements/not.yaml", "--date", TODAY, "--type", "professional-development", "--today", TODAY, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    checked = run_tacli("check", "engagements/not.yaml", "--today", TODAY, cwd=tmp_path)
    assert "turn this warning off (ignore = [\"recipient-eligibility\"] in tacli.toml)" in checked.stdout


@pytest.mark.parametrize("args, says", [
    (("report", "engagements", "--out-dir", ""), "--out-dir is empty: give a folder"),
    (("check", "engagements", "--config", ""), "--config is empty: give a file, or leave it out"),
    (("check", "engagements", "--standards", ""), "--standards is empty: give a folder"),
    (("check", "engagements", "--roster", ""), "--roster is empty: give a file, or leave it out"),
    (("check", "engagements", "-o", ""), "--output is empty: give a file, or leave it out"),
])
def test_an_empty_file_or_folder_option_is_refused_not_left_out(run_tacli, tmp_path, args, says):
    done = run_tacli(*args, "--today", TODAY, cwd=tmp_path)
    assert done.returncode == 2 and says in done.stderr, done.stderr


def test_an_empty_tacli_today_is_refused(run_tacli, tmp_path):
    done = run_tacli("check", str(tmp_path), cwd=tmp_path, env={"TACLI_TODAY": ""})
    assert done.returncode == 2 and "TACLI_TODAY is empty: set it to YYYY-MM-DD, or unset it" in done.stderr
    assert run_tacli("schema", cwd=tmp_path, env={"TACLI_TODAY": ""}).returncode == 0  # a command that works as of no day runs


def test_dash_for_a_folder_is_refused(run_tacli, tmp_path):
    done = run_tacli("report", str(tmp_path), "-o", "-", "--today", TODAY, cwd=tmp_path)
    assert done.returncode == 2 and "- is standard output, and --out-dir names a folder" in done.stderr
    assert not (tmp_path / "-").exists()


UNTITLED = ("new", "engagement", "--recipient", "Elm", "--organization", "CREC", "--facilitator", "Dana Ruiz", "--start", "2026-09-01", "--frameworks", "mini")


@pytest.mark.parametrize("title", ["Σχολείο", "北京数据团队", "Школа 5", "日本語 2026", "Школа №5"])
def test_a_title_without_latin_letters_asks_for_an_id_and_takes_one(tacli, tmp_path, title):
    """The id (file, reports' folder, web addresses) is made of the title's Latin
    letters: without them the title was refused as having "no letters or
    digits", or the engagement got a lone number as its id ("Школа 5": 5)."""
    refused = tacli(*UNTITLED, "--", title)
    assert refused.returncode == 2 and not (tmp_path / "engagements").exists()
    assert refused.stderr == (f"tacli: error: the title {title!r} has no Latin letters to make an id and a file name from: "
                              "give the engagement an id of lower-case Latin letters, digits and hyphens with --id, as in --id beijing-data-teams\n")
    made = tacli(*UNTITLED, "--id", "elm-2026", "--", title)
    assert made.returncode == 0, made.stderr
    text = (tmp_path / "engagements" / "elm-2026.yaml").read_text(encoding="utf-8")
    assert "id: elm-2026\n" in text and title in text
    assert tacli("check", "engagements/elm-2026.yaml").returncode in (0, 1)


def test_an_id_given_is_checked_and_names_the_file(tacli):
    wrong = tacli(*UNTITLED, "--id", "Elm School", "Elm data teams")
    assert wrong.returncode == 2 and wrong.stderr == "tacli: error: --id 'Elm School' should be lower-case letters and digits joined by hyphens, like elm-school-2026\n"
    made = tacli(*UNTITLED, "--id", "elm", "Elm data teams")
    assert made.returncode == 0 and made.stdout.startswith("wrote engagements/elm.yaml")
    again = tacli(*UNTITLED, "--id", "elm", "Another title")
    assert again.returncode == 2 and "engagements/elm.yaml already exists: choose another title, --id or --output" in again.stderr


def test_values_given_on_the_command_line_lose_the_spaces_pasted_around_them(tacli, tmp_path):
    made = tacli("new", "engagement", "--recipient", "  José  Martí ", "--organization", " CREC ", "--facilitator", "Maria Lopez  ",
                 "--start", "2026-09-01", "--frameworks", "mini", "Data  teams ")
    assert made.returncode == 0, made.stderr
    text = (tmp_path / "engagements" / "data-teams.yaml").read_text(encoding="utf-8")
    assert "title: Data teams\n" in text and 'name: "José Martí"\n' in text and "organization: CREC\n" in text and "name: Maria Lopez\n" in text


@pytest.mark.parametrize("duty, change", [
    ("follow-up.facilitator.debrief-with-leadership", ("--na", "not held")),  # the anchored record
    ("follow-up.facilitator.debrief-with-director", ("--open",)),  # the alias
])
def test_an_edit_of_a_value_shared_through_an_anchor_is_refused_with_where_and_what_to_do(run_tacli, tmp_path, duty, change):
    """A change to a record the file shares (&rec, then *rec) would change each
    alias too, or drop the anchor they name: refused before any write, saying
    where the anchor and its aliases are (it said "put the value in quotes")."""
    from conftest import EXAMPLES

    text = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8")
    text = text.replace("      follow-up.facilitator.debrief-with-leadership: {status: done, date: 2026-10-31,",
                        "      follow-up.facilitator.debrief-with-leadership: &rec {status: done, date: 2026-10-31,")
    text = text.replace("      follow-up.facilitator.debrief-with-director: {status: open}", "      follow-up.facilitator.debrief-with-director: *rec", 1)  # the service of line 324
    assert text.count("&rec") == 1 and text.count("*rec") == 1
    engagement = tmp_path / "elm.yaml"
    engagement.write_text(text, encoding="utf-8")
    refused = run_tacli("mark", "elm.yaml", duty, "--service", "2026-10-27-grade-3-coaching", *change, "--today", TODAY, cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr == ("tacli: error: elm.yaml:324:54: the edit would change a value the file shares through the YAML anchor &rec and its aliases (*rec) "
                              "at line 328: write the value out in full in place of each alias, then edit again; nothing was written\n")
    assert engagement.read_text(encoding="utf-8") == text
    elsewhere = run_tacli("mark", "elm.yaml", "follow-up.leadership.review-tast-report", "--service", "2026-10-27-grade-3-coaching", "--done",
                          "--date", "2026-11-20", "--evidence", "Notes", "--today", TODAY, cwd=tmp_path)
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert changed_lines(text, engagement.read_text(encoding="utf-8")) == [
        "-      follow-up.leadership.review-tast-report: {status: open}",
        "+      follow-up.leadership.review-tast-report: {status: done, date: 2026-11-20, evidence: Notes}",
    ]


def test_a_new_file_fits_an_80_column_editor(run_tacli, tmp_path):
    """Its comments (the standards' words) are folded at 80 columns: a
    facilitator's editor or `cat` at 80 columns shows every line whole."""
    made = run_tacli("new", "engagement", "Every framework", "--tier", "intensive", "--frameworks", "cali,csde,dunst,fixsen,guskey,oec,osep",
                     "--recipient", "Elm", "--organization", "CREC", "--facilitator", "Dana Ruiz", "--start", "2026-09-01",
                     "--service-date", "2026-09-10", "--service-type", "site-visit", "--today", TODAY, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    lines = (tmp_path / "engagements" / "every-framework.yaml").read_text(encoding="utf-8").splitlines()
    assert len(lines) > 300
    assert [line for line in lines if len(line) > 80] == []


@pytest.mark.parametrize("given", ["0o17", "0x1f", "1e3", "2026"])
def test_a_service_id_that_a_reader_would_take_for_a_number_is_written_quoted(run_tacli, tmp_path, given):
    """`--id 0o17` is an id (letters and digits) that YAML 1.2 reads as 15
    unquoted: it was written so, and the edit refused with the re-check's
    "write the id in quotes", which the user could not do."""
    from conftest import EXAMPLES

    shutil.copy(EXAMPLES / "hartford-data-webinars.yaml", tmp_path / "h.yaml")
    done = run_tacli("new", "service", "h.yaml", "--date", "2026-11-20", "--type", "telephone-ta", "--id", given, "--today", TODAY, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f'  - id: "{given}"\n' in (tmp_path / "h.yaml").read_text(encoding="utf-8")
    assert run_tacli("check", "h.yaml", "--today", TODAY, cwd=tmp_path).returncode == 0


def test_tast_without_a_service_to_write_for_says_why_and_what_to_do(run_tacli, tmp_path):
    """It said "name one with --service" of an engagement that had none."""
    made = run_tacli("new", "engagement", "Elm data teams", "--recipient", "Elm", "--organization", "CREC", "--facilitator", "Dana Ruiz",
                     "--start", "2026-09-01", "--frameworks", "cali,csde", "--today", TODAY, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    none = run_tacli("tast", "engagements/elm-data-teams.yaml", "--commendation", "Norms set", "--today", TODAY, cwd=tmp_path)
    assert (none.returncode, none.stderr) == (2, "tacli: error: the engagement has no services yet, and a TAST Report is written for a service: "
                                                 "add one first with `tacli new service FILE`\n")
    planned = run_tacli("new", "service", "engagements/elm-data-teams.yaml", "--date", "2026-12-01", "--type", "site-visit", "--today", TODAY, cwd=tmp_path)
    assert planned.returncode == 0, planned.stderr
    ahead = run_tacli("tast", "engagements/elm-data-teams.yaml", "--commendation", "Norms set", "--today", TODAY, cwd=tmp_path)
    assert (ahead.returncode, ahead.stderr) == (2, "tacli: error: no service is held yet (the first is on 2026-12-01): a TAST Report is written once its service is held\n")


def test_an_edit_of_two_places_with_an_anchored_value_between_them_is_made(run_tacli, tmp_path):
    """Only what an edit changes counts: two duties marked at once, with a value
    shared through an anchor between them, were refused as changing it."""
    from conftest import EXAMPLES

    text = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    service = next(n for n, line in enumerate(lines) if "- id: 2026-11-17-principal-call" in line)
    first = next(n for n in range(service, len(lines)) if "follow-up.leadership.debrief-with-facilitator: {status: open}" in lines[n])
    second = next(n for n in range(service, len(lines)) if "follow-up.leadership.revise-pd-plan: {status: open}" in lines[n])
    lines[first] = lines[first].replace("{status: open}", "&open {status: open}")
    lines[second] = lines[second].replace("{status: open}", "*open")
    text = "".join(lines)
    (tmp_path / "g.yaml").write_text(text, encoding="utf-8")
    duties = ("follow-up.facilitator.provide-feedback-to-participants", "follow-up.participants.evaluate-effectiveness")
    positions = sorted(next(n for n in range(service, len(lines)) if duty + ":" in lines[n]) for duty in duties)
    assert positions[0] < first < positions[1] or positions[0] < second < positions[1], "the anchor lies between the two duties"
    done = run_tacli("mark", "g.yaml", *duties, "--service", "2026-11-17-principal-call", "--done", "--date", "2026-11-20", "--evidence", "Notes",
                     "--today", TODAY, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    after = (tmp_path / "g.yaml").read_text(encoding="utf-8")
    assert len(changed_lines(text, after)) == 4 and "&open {status: open}" in after and "*open" in after


def test_an_id_another_engagement_has_is_refused_wherever_its_file_is(tacli, tmp_path):
    """Only a file of the same name in the folder written to was refused: an id
    typed with --id (or made from a title) that another file of the project
    has was written, and check then failed on duplicate-id."""
    assert tacli(*NEW).returncode == 0  # engagements/data-use-at-elm.yaml, id data-use-at-elm
    (tmp_path / "engagements" / "data-use-at-elm.yaml").rename(tmp_path / "engagements" / "first.yaml")
    again = tacli(*NEW)
    assert again.returncode == 2
    assert again.stderr == ("tacli: error: the id 'data-use-at-elm' is already the id of engagements/first.yaml, and reports are filed under it: "
                            "give the engagement another title, or an id with --id\n")
    given = tacli("new", "engagement", "Other", "--id", "data-use-at-elm", "--dir", "engagements/new", *NEW[3:])
    assert given.returncode == 2 and "give the engagement another with --id" in given.stderr
    assert not (tmp_path / "engagements" / "new").exists() or not any((tmp_path / "engagements" / "new").iterdir())


def test_an_id_longer_than_report_file_names_allow_is_refused_and_found(tacli, tmp_path):
    """An id names a folder of reports, and a service's a file (ID-agenda.md): a
    250-character service id was accepted, and every report and site run then
    failed on "File name too long" (leaving staged files behind)."""
    long = "x" * 250
    assert tacli(*NEW).returncode == 0
    refused = tacli("new", "service", "engagements/data-use-at-elm.yaml", "--date", "2026-10-01", "--type", "visit", "--id", long)
    assert refused.returncode == 2
    assert refused.stderr == f"tacli: error: --id '{long}' is 250 characters long, more than the 100 an id may have (it names report files): shorten it\n"
    text = (tmp_path / "engagements" / "data-use-at-elm.yaml").read_text(encoding="utf-8").replace("id: data-use-at-elm\n", f"id: {long}\n", 1)
    (tmp_path / "engagements" / "data-use-at-elm.yaml").write_text(text, encoding="utf-8")
    checked = tacli("check", "engagements/data-use-at-elm.yaml")
    assert checked.returncode == 1 and f"error schema-type the id is '{long}', not" not in checked.stdout
    assert "is 250 characters long, more than the 100 an id may have (it names report files): shorten it" in checked.stdout


def test_a_new_service_goes_after_a_last_value_that_is_an_alias(run_tacli, tmp_path):
    """The file's last value `*rec` is the anchored node, written lines earlier:
    the new service was put there, inside the last one, and refused with a
    message about a key of the new service."""
    from conftest import EXAMPLES

    lines = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert lines[-3].endswith("{status: open}") and lines[-1].endswith("{status: open}")
    lines[-3] = lines[-3].replace("{status: open}", "&rec {status: open}")
    lines[-1] = lines[-1].replace("{status: open}", "*rec")
    text = "\n".join(lines) + "\n"
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    done = run_tacli("new", "service", "a.yaml", "--date", "2026-11-20", "--type", "site-visit", "--today", TODAY, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    after = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    assert after.startswith(text) and after[len(text):].startswith("  - id: 2026-11-20-site-visit\n")


def test_force_replaces_the_file_that_has_the_id(tacli, tmp_path):
    """The file --force writes over is the one that has the id: it was counted as another."""
    assert tacli(*NEW).returncode == 0
    again = tacli(*NEW, "--force")
    assert again.returncode == 0, again.stderr


def test_the_key_after_an_anchored_block_mapping_is_not_part_of_it(run_tacli, tmp_path):
    """A block mapping's end mark is the next key's start: marking the duty
    right after an anchored record was refused as changing the record."""
    from conftest import EXAMPLES

    lines = (EXAMPLES / "elm-street-data-teams.yaml").read_text(encoding="utf-8").split("\n")
    service = next(n for n, line in enumerate(lines) if "- id: 2026-11-17-principal-call" in line)
    anchored = next(n for n in range(service, len(lines)) if "follow-up.leadership.debrief-with-facilitator: {status: open}" in lines[n])
    indent = lines[anchored][: len(lines[anchored]) - len(lines[anchored].lstrip())]
    lines[anchored] = lines[anchored].replace("{status: open}", "&open")
    lines.insert(anchored + 1, indent + "  status: open")
    alias = next(n for n in range(service, len(lines)) if "follow-up.leadership.revise-pd-plan: {status: open}" in lines[n])
    lines[alias] = lines[alias].replace("{status: open}", "*open")
    (tmp_path / "g.yaml").write_text("\n".join(lines), encoding="utf-8")
    args = ("--service", "2026-11-17-principal-call", "--done", "--date", "2026-11-20", "--evidence", "Notes", "--today", TODAY)
    after = run_tacli("mark", "g.yaml", "follow-up.leadership.debrief-with-participants", *args, cwd=tmp_path)
    assert after.returncode == 0, after.stderr
    shared = run_tacli("mark", "g.yaml", "follow-up.leadership.debrief-with-facilitator", *args, cwd=tmp_path)
    assert shared.returncode == 2 and "shares through the YAML anchor &open" in shared.stderr


def test_the_id_search_takes_engagements_only_and_a_key_written_with_a_space(tacli, tmp_path):
    (tmp_path / "engagements").mkdir()
    (tmp_path / "engagements" / "notes.yaml").write_text("id: data-use-at-elm\nkind: meeting notes\n", encoding="utf-8")  # not an engagement: no tacli:
    assert tacli(*NEW).returncode == 0
    spaced = (tmp_path / "engagements" / "data-use-at-elm.yaml").read_text(encoding="utf-8").replace("id: data-use-at-elm", "id : data-use-at-elm", 1)
    (tmp_path / "engagements" / "data-use-at-elm.yaml").rename(tmp_path / "engagements" / "first.yaml")
    (tmp_path / "engagements" / "first.yaml").write_text(spaced, encoding="utf-8")
    again = tacli(*NEW)
    assert again.returncode == 2 and "already the id of engagements/first.yaml" in again.stderr, again.stderr


def test_tast_refuses_a_count_of_forms_past_any_session(run_tacli, tmp_path):
    from conftest import EXAMPLES

    shutil.copy(EXAMPLES / "elm-street-data-teams.yaml", tmp_path / "elm.yaml")
    before = (tmp_path / "elm.yaml").read_bytes()
    done = run_tacli("tast", "elm.yaml", "--service", "2026-11-17-principal-call", "--forms-requested", "99999999999999999999", "--today", TODAY, cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "tacli: error: --forms-requested 99999999999999999999 is more than the 100,000 forms a service may have: give the number of forms\n")
    assert (tmp_path / "elm.yaml").read_bytes() == before
