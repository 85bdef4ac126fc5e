"""User templates are bounded: whatever a template in --templates DIR does, `tacli
report` ends quickly with one line that names the template, its line where
known, and the limit it went over. Every run here is guarded by `within`, so a
template that escapes the limits fails its test instead of hanging the suite."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import DATA, EXAMPLES, MINI_STANDARDS, ROOT, TESTS, run_in_process, within

from tacli.output import isolation, template_limits as templatelimits, templates
from tacli.output.templates import RunLimits

ENV = {"TACLI_STANDARDS": str(MINI_STANDARDS), "TACLI_TODAY": "2026-11-22"}
SECONDS = 0.5  # each report's time limit in these tests
GUARD = 30  # seconds after which a run counts as hung


@pytest.fixture(scope="module", autouse=True)
def loaded():
    """One report rendered in this process first, so that each guarded run (a fork of
    it) starts with the modules and the standards' models already loaded."""
    run_in_process("report", DATA / "mini-engagement.yaml", "--kind", "plan", env=ENV)


@pytest.fixture(autouse=True)
def short_limits(monkeypatch):
    monkeypatch.setattr(templates, "USER_LIMITS", RunLimits(seconds=SECONDS))


@pytest.fixture
def plan(run_tacli, engagement, tmp_path):
    """Render the plan with `body` as the user's plan.md.j2, guarded against hanging."""
    folder = tmp_path / "org-templates"
    folder.mkdir()

    def render(body: str):
        (folder / "plan.md.j2").write_text(body, encoding="utf-8")
        return within(GUARD, run_tacli, "report", engagement, "--kind", "plan", "--templates", folder, cwd=tmp_path, env=ENV)

    return render


def body_of(report: str) -> str:
    """The rendered text without the closing line that marks the report as tacli's."""
    from tacli.write.output_files import MARKER

    assert report.endswith("\n" + MARKER + "\n"), report[-200:]
    return report[: -len(MARKER) - 2]


def assert_refused(result, limit: str, line: bool = True) -> None:
    """Exit 2 with one line: the template's file (and line), and the limit."""
    assert result.returncode == 2, result.stdout[:300] + result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    where = r"org-templates/plan\.md\.j2" + (r":\d+" if line else "")
    assert result.stderr.startswith("tacli: error: ") and re.search(where + ": ", result.stderr), result.stderr
    assert limit in result.stderr, result.stderr


LOOPS = "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}"
DOUBLING = "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s OP ns.s %}{% endfor %}{{ ns.s|length }}"


@pytest.mark.parametrize("body, limit", [
    pytest.param(LOOPS, f"the template went over a limit: it ran for more than {SECONDS:g} seconds", id="nested loops"),
    pytest.param("{% macro twice(n) %}{% if n %}{{ twice(n - 1) }}{{ twice(n - 1) }}{% endif %}{% endmacro %}{{ twice(60) }}",
                 "it ran for more than", id="recursive macro"),
    pytest.param("{% set depth = (depth|default(0)) + 1 %}{% if depth < 60 %}{% include 'plan.md.j2' %}{% include 'plan.md.j2' %}{% endif %}",
                 "it ran for more than", id="recursive include"),
    pytest.param("{% for i in range(50000) %}{% endfor %}", "went over a limit: range() of more than 10,000 numbers", id="range"),
    pytest.param("{{ range(10 ** 30)|length }}", "range() of more than 10,000 numbers", id="range of a huge number"),
    pytest.param("{{ lipsum(1000000) }}", "refused by the sandbox: lipsum() is not available", id="lipsum"),
    pytest.param("{{ (9**9)**9**9 }}", "a number of more than 100 digits (with `**`)", id="chained power"),
    pytest.param("{{ 2**64**64**64**64**64 }}", "a number of more than 100 digits (with `**`)", id="long chained power"),
    pytest.param("{% set ns = namespace(n=10**50) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}{% endfor %}",
                 "a number of more than 100 digits (with `*`)", id="squaring"),
    pytest.param("{{ 'x'|center(1000000000) }}", "characters of text (with the center filter)", id="center"),
    pytest.param("{{ 'a\\nb'|indent(1000000000) }}", "(with the indent filter)", id="indent"),
    pytest.param("{{ ('a ' * 50000)|wordwrap(1, wrapstring='x' * 100000) }}", "(with the wordwrap filter)", id="wordwrap"),
    pytest.param("{{ '%1000000000s'|format(1) }}", "(with the format filter)", id="format width"),
    pytest.param("{{ '%s' * 50000 % (('x' * 100000,) * 50000) }}", "(with `%`)", id="printf"),
    pytest.param("{{ range(10000)|join('x' * 100000) }}", "(with the join filter)", id="join"),
    pytest.param("{{ 'x' * 1000000000 }}", "more than 10,000,000 characters of text (with `*`)", id="repeat"),
    pytest.param(DOUBLING.replace("OP", "~"), "(with `~`)", id="doubling with ~"),
    pytest.param(DOUBLING.replace("OP", "+"), "(with `+`)", id="doubling with +"),
    pytest.param("{{ 'x'.ljust(1000000000) }}", "(with str.ljust)", id="str.ljust"),
    pytest.param("{{ ('y' * 100000).replace('', 'x' * 100000) }}", "(with str.replace)", id="str.replace"),
    pytest.param("{{ '{:>1000000000}'.format(1) }}", "(with str.format)", id="str.format"),
    pytest.param("{{ '{:{}}'.format(1, 1000000000) }}", "(with str.format)", id="str.format nested width"),
    pytest.param("{{ [('x' * 100000)] * 100000 }}", "(printing a list or a mapping)", id="printing a list"),
    pytest.param("{{ range(10)|batch(1000000000, 'x')|list|length }}", "(with the batch filter)", id="batch"),
    pytest.param("{{ range(10)|slice(1000000000)|list|length }}", "(with the slice filter)", id="slice"),
    pytest.param("{{ {'a': [1, 2]}|tojson(1000000000) }}", "(with the tojson filter)", id="tojson"),
])
def test_a_hostile_template_is_stopped_with_one_line(plan, body, limit):
    assert_refused(plan(body), limit)


def test_a_report_longer_than_the_limit_is_stopped(plan):
    body = "{% for a in range(10000) %}{% for b in range(10000) %}" + "x" * 1000 + "\n{% endfor %}{% endfor %}"
    assert_refused(plan(body), "its output is longer than 10,000,000 characters", line=False)


def test_a_long_truncate_is_harmless(plan):
    """truncate never pads: a huge length gives the text back as it is."""
    result = plan("{{ 'short text'|truncate(1000000000) }}\n")
    assert (result.returncode, body_of(result.stdout)) == (0, "short text\n"), result.stderr


def test_ordinary_uses_of_the_measured_operations_still_work(plan):
    body = (
        "{{ 'x'|center(5) }}|{{ 'a\\nb'|indent(2) }}|{{ '%05.1f'|format(3.14159) }}|{{ '{:>4}'.format(7) }}|{{ 'ab' * 2 }}"
        "|{{ 2 ** 10 }}|{{ 'a' ~ 1 ~ 'b' }}|{{ [1, 2] + [3] }}|{{ range(3)|join(',') }}|{{ 'abc'.replace('b', 'B') }}|{{ '%s-%s' % ('a', 'b') }}\n"
    )
    result = plan(body)
    assert result.returncode == 0, result.stderr
    # printed as any value is (a Markdown cell's text: one line, its spaces at the ends left out)
    assert body_of(result.stdout) == "x|a b|003.1|7|abab|1024|a1b|\\[1, 2, 3\\]|0,1,2|aBc|a-b\n"


def test_the_memory_limit_stops_what_the_sandbox_lets_through(plan, monkeypatch):
    if not isolation.limits_memory():
        pytest.skip("the memory limit is enforced where the system reports a process's address space (Linux)")
    monkeypatch.setattr(templatelimits, "MAX_TEXT", 10**12)
    assert_refused(plan("{{ ('x' * 3000000000)|length }}"), "the template went over a limit: it needs more than 512 MB of memory")


def test_a_child_that_does_not_stop_by_itself_is_killed(plan, monkeypatch):
    if not isolation.CAN_ISOLATE:
        pytest.skip("no child processes here")
    monkeypatch.setattr(templatelimits.Meter, "checkpoint", lambda self: None)
    monkeypatch.setattr(isolation, "GRACE", 0.5)
    assert_refused(plan(LOOPS), "the template went over a limit: it ", line=False)


def test_without_child_processes_the_sandbox_still_bounds_the_time(plan, monkeypatch):
    monkeypatch.setattr(isolation, "CAN_ISOLATE", False)
    assert_refused(plan(LOOPS), f"it ran for more than {SECONDS:g} seconds")
    assert_refused(plan(DOUBLING.replace("OP", "~")), "(with `~`)")


def test_an_override_of_every_template_renders_the_snapshots(run_tacli, tmp_path, monkeypatch):
    """The user's templates, rendered in a child process, give the very bytes of the
    shipped ones. With tacli's own limits: the summary of every example may take
    more than this module's half second on a busy machine."""
    monkeypatch.setattr(templates, "USER_LIMITS", RunLimits())
    folder = tmp_path / "copies"
    shutil.copytree(ROOT / "templates", folder)
    snapshots = TESTS / "snapshots" / "reports"
    result = within(GUARD, run_tacli, "report", EXAMPLES, "--out-dir", snapshots, "--check", "--templates", folder, "--today", "2026-11-22", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith("reports are current in " + snapshots.as_posix() + ".\n")


@pytest.mark.parametrize("body, shown", [
    ('{{ "# not a heading | cell *bold*" }}', "\\# not a heading \\| cell \\*bold\\*"),
    ('{{ "\\u202e" }}{{ "\\x07" }}', "\\\\u202e\\\\x07"),
    ('{% set x = "\\u202e" %}{{ x }}', "\\\\u202e"),
    ('{{ "a" ~ "\\u202e" }}', "a\\\\u202e"),
    ('{{ "\\ud800" }}{{ "%c"|format(55296) }}', "\\\\ud800\\\\ud800"),  # a lone surrogate was an internal error
])
def test_a_constant_a_template_prints_is_escaped_as_any_value(plan, body, shown):
    """Jinja2 worked a constant out when it compiled the template, with
    markupsafe's escape alone: a bidirectional override or a Markdown heading
    in {{ "..." }} went out raw, though a variable holding it was escaped."""
    result = plan(body)
    assert result.returncode == 0, result.stderr
    assert body_of(result.stdout).rstrip("\n") == shown
