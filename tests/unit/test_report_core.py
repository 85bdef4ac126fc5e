"""The report core without the command: Markdown and Mermaid escaping, the
sandboxed environment, views built from the spec, output paths and --check."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import DATA, EXAMPLES, MINI_STANDARDS, TODAY

from tacli.core import markdown
from tacli.core.markdown import Text
from tacli.domain.reports import REPORT_KINDS as KINDS
from tacli.core.outcome import UsageError
from tacli.output.reports import Output, load_engagements, parse_kinds, plan_jobs, render_jobs
from tacli.write.output_files import compare, existing_reports, with_marker, write_outputs
from tacli.output.templates import Renderer, TemplateProblem, shipped_templates, tidy


# --- Markdown escaping -----------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Grade 3-5 teachers", "Grade 3-5 teachers"),
    ("snake_case stays", "snake_case stays"),
    ("_emphasis_ goes", "\\_emphasis\\_ goes"),
    ("a | b", "a \\| b"),
    ("7*7", "7\\*7"),
    ("{{ 7*7 }} {% raw %}", "{{ 7\\*7 }} {% raw %}"),
    ("<script>x</script>", "\\<script>x\\</script>"),
    ("[link](http://x)", "\\[link\\](http://x)"),
    ("`code`", "\\`code\\`"),
    ("back\\slash", "back\\\\slash"),
    ("one ~ tilde", "one ~ tilde"),
    ("~~strike~~", "\\~\\~strike\\~\\~"),
    ("costs $5", "costs $5"),
    ("$x$ math", "\\$x\\$ math"),
    ("R&D", "R&D"),
    ("&amp; &#35; &copy;", "\\&amp; \\&#35; \\&copy;"),
    ("# heading", "\\# heading"),
    ("#1 priority", "#1 priority"),
    ("Plan #", "Plan \\#"),
    ("> quote", "\\> quote"),
    ("- item", "\\- item"),
    ("+ item", "\\+ item"),
    ("1. item", "1\\. item"),
    ("2) item", "2\\) item"),
    ("2.5 hours", "2.5 hours"),
    ("===", "\\==="),
    ("---", "\\---"),
    ("line\nbreak\r\n  and   spaces", "line break and spaces"),
    ("\x1b[31mred\x1b[0m", "\\\\x1b\\[31mred\\\\x1b\\[0m"),
    ("csi \x9b2J del \x7f nul \x00", "csi \\\\x9b2J del \\\\x7f nul \\\\x00"),
    ("\u202eevil\u202c \u2066iso\u2069", "\\\\u202eevil\\\\u202c \\\\u2066iso\\\\u2069"),
    ("separators\u2028and\x85next", "separators and next"),
    ("  ", ""),
    (None, ""),
])
def test_inline_escaping(text, expected):
    assert markdown.inline(text) == expected


def test_plain_text_shortcut_escapes_as_the_full_escape_would(monkeypatch):
    """A plain line skips the character loop (markdown._PLAIN): the loop would leave it as it is too."""
    from hypothesis import given, strategies as st

    import re

    texts = st.from_regex(markdown._PLAIN, fullmatch=True)

    @given(texts)
    def same(text):
        shortcut = markdown._escape_line(text)
        with monkeypatch.context() as patch:
            patch.setattr(markdown, "_PLAIN", re.compile(r"(?!)"))
            assert markdown._escape_line(text) == shortcut == text

    same()
    assert markdown.inline(Text("Grade 3 - data")) == "Grade 3 - data" and markdown.inline("- item") == "\\- item"


def test_block_keeps_paragraphs_and_line_breaks():
    assert markdown.block("# one\n- two\n\n\nthree  \r\n") == "\\# one\\\n\\- two\n\nthree"


def test_block_shows_control_characters_as_escapes():
    assert markdown.block("one \x1b[2J\ntwo \u202e") == "one \\\\x1b\\[2J\\\ntwo \\\\u202e"


def test_text_escapes_itself_when_printed():
    assert Text("a|b").__html__() == "a\\|b"
    assert Text("a|b") == "a|b"  # and is the plain string for comparisons and filters


@pytest.mark.parametrize("text, expected", [
    ('say "hi"', "say #quot;hi#quot;"),
    ("<b>&</b>", "#lt;b#gt;#amp;#lt;/b#gt;"),
    ("#quot; stays literal", "#35;quot; stays literal"),
    ("%%{init: {}}%%", "#37;#37;#123;init: #123;#125;#125;#37;#37;"),
    ("80% done: yes; `x`", "80% done: yes; #96;x#96;"),
    ("a\nb", "a b"),
    ("a\x1bb\u202ec", "a\\x1bb\\u202ec"),
])
def test_mermaid_labels(text, expected):
    assert markdown.mermaid(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Module 2: data; #3", "Module 2#58; data#59; #35;3"),
    ("Section 504 review", "#83;ection 504 review"),
    ("title of the day", "#116;itle of the day"),
    ("Click here", "#67;lick here"),
    ("Coaching", "Coaching"),
])
def test_gantt_names(text, expected):
    assert markdown.mermaid_gantt(text) == expected


def test_tidy_makes_white_space_stable():
    assert tidy("\n\n# A  \n\n\n\nb\t\r\nc\n\n\n") == "# A\n\nb\nc\n"


def _tidy_whole(text: str) -> str:
    """tidy as it was first written: every line of the text in one list."""
    import re

    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def test_tidy_a_block_at_a_time_is_tidy_of_the_whole_text(monkeypatch):
    """Blocks of a few characters, so that their edges fall everywhere: on a
    newline, inside a run of blank lines, a \\r\\n, trailing spaces, at either end."""
    from hypothesis import given, settings, strategies as st

    import tacli.output.templates as templates

    pieces = st.sampled_from(["\n", "\r\n", "\r", " ", "\t", "\u00a0", "\u2028", "\x1c", "a", "# b", "\n\n\n"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=40).map("".join), st.integers(0, 6))
    def same(text, block):
        with monkeypatch.context() as patch:
            patch.setattr(templates, "TIDY_BLOCK", block)
            assert tidy(text) == _tidy_whole(text)

    same()


# --- kinds -----------------------------------------------------------------


@pytest.mark.parametrize("given, expected", [
    (None, KINDS),
    (["all"], KINDS),
    (["summary,tast"], ("tast", "summary")),
    (["plan", "plan", " agenda "], ("agenda", "plan")),
])
def test_parse_kinds(given, expected):
    assert parse_kinds(given) == expected


def test_unknown_kind_suggests_one():
    with pytest.raises(UsageError, match="unknown report kind 'agendas': did you mean 'agenda'"):
        parse_kinds(["agendas"])


# --- rendering with the mini spec ------------------------------------------


@pytest.fixture(scope="module")
def spec():
    from tacli.standards.spec import load_spec

    return load_spec(MINI_STANDARDS)


@pytest.fixture(scope="module")
def engagements(spec):
    loaded = load_engagements([str(DATA / "mini-engagement.yaml")], spec, TODAY)
    found, problems = loaded.engagements, loaded.problems
    assert problems == []
    return found


def test_jobs_follow_the_path_convention(spec, engagements):
    jobs = plan_jobs(engagements, spec, TODAY, KINDS)
    assert [(job.kind, job.path) for job in jobs] == [
        ("summary", "summary.md"),
        ("agenda", "elm-school/first-visit-agenda.md"),
        ("tast", "elm-school/first-visit-tast.md"),
        ("plan", "elm-school/plan.md"),
    ]


def test_views_take_every_title_from_the_spec(spec, engagements):
    job = next(j for j in plan_jobs(engagements, spec, TODAY, ("tast",)))
    view = job.context()
    assert view["report"]["title"] == "Service Report"
    assert [(s["title"], [r["title"] for r in s["roles"]]) for s in view["checklist"]] == [("Planning", ["Facilitator"]), ("Follow Up", ["Facilitator"])]
    assert view["checklist"][1]["roles"][0]["duties"][0]["text"] == "Write the report, if needed"
    assert [(s["title"], s["entries"]) for s in view["sections"]] == [("Notes", ["Good session"])]
    assert (view["report"]["due"], view["report"]["completed"], view["report"]["state"]) == ("2026-10-08", "2026-10-05", "completed")
    assert view["service"]["type"] == {"id": "visit", "title": "site visits"}


def test_report_state_follows_the_date(spec, engagements):
    from tacli.domain.reports import report_state

    service = engagements[0].engagement.services[0].model_copy(update={"tast_report": None})
    report = spec.frameworks["mini"].report
    assert report_state(report, service, date(2026, 10, 1)).state == "pending"
    assert report_state(report, service, date(2026, 10, 6)).state == "due-soon"
    assert report_state(report, service, date(2026, 10, 8)).state == "due-soon"
    assert report_state(report, service, date(2026, 10, 9)).state == "overdue"


def test_summary_counts_duties_that_apply(spec, engagements):
    view = plan_jobs(engagements, spec, TODAY, ("summary",))[0].context()
    row = view["engagements"][0]
    assert [s["title"] for s in view["stages"]] == ["Planning", "Follow Up"]
    assert row["stages"] == [{"done": 1, "applicable": 1, "percent": "100%"}, {"done": 2, "applicable": 2, "percent": "100%"}]
    assert row["hours"] == {"total": "3", "used": "0", "cap": "10", "over": False}  # a site visit does not count against the coaching cap


def test_a_service_that_is_not_there(spec, engagements):
    with pytest.raises(UsageError, match="no service 'first' in the engagements given: did you mean 'first-visit'"):
        plan_jobs(engagements, spec, TODAY, KINDS, "first")


def test_rendering_twice_gives_the_same_text(spec, engagements):
    first = render_jobs(Renderer(), plan_jobs(engagements, spec, TODAY, KINDS))
    second = render_jobs(Renderer(), plan_jobs(engagements, spec, TODAY, KINDS))
    assert first == second


def test_the_shipped_templates_are_found():
    names = {p.name for p in shipped_templates().iterdir()}
    assert {f"{kind}.md.j2" for kind in KINDS} <= names


def override(tmp_path: Path, body: str) -> Renderer:
    (tmp_path / "plan.md.j2").write_text(body)
    return Renderer(tmp_path)


def test_values_printed_by_a_template_are_escaped(tmp_path):
    renderer = override(tmp_path, "{{ a }} {{ b }} {{ c|upper }} {{ [a, b]|join(', ') }} {{ d }} {{ 3.0 }}\n")
    text = renderer.render("plan", {"a": Text("x|y"), "b": "plain *str*", "c": Text("c_"), "d": ["l|st"]})
    assert text == "x\\|y plain \\*str\\* C\\_ x\\|y, plain \\*str\\* \\['l\\|st'\\] 3.0\n"


def test_filters_make_markdown_that_is_not_escaped_again(tmp_path):
    renderer = override(tmp_path, '{{ a|md }}|{{ a|md_block }}|["{{ a|mermaid }}"]|{{ a|mermaid_gantt }}|{{ 3.0|number }}\n')
    assert renderer.render("plan", {"a": Text('a "b": c')}) == 'a "b": c|a "b": c|["a #quot;b#quot;: c"]|a #quot;b#quot;#58; c|3\n'


def test_a_missing_variable_is_an_error_with_file_and_line(tmp_path):
    renderer = override(tmp_path, "# Plan\n\n{{ engagement.nothing }}\n")
    with pytest.raises(TemplateProblem, match=r"plan\.md\.j2:3: undefined variable: .*'nothing'"):
        renderer.render("plan", {"engagement": {}})


def test_the_sandbox_refuses_python_internals(tmp_path):
    renderer = override(tmp_path, "{{ ''.__class__.__mro__ }}\n")
    with pytest.raises(TemplateProblem, match=r"plan\.md\.j2:1: the template was refused by the sandbox: access to attribute '__class__'"):
        renderer.render("plan", {})


def test_the_sandbox_keeps_the_view_unchanged(tmp_path):
    renderer = override(tmp_path, "{{ items.append(1) }}\n")
    items: list = []
    with pytest.raises(TemplateProblem, match="refused by the sandbox"):
        renderer.render("plan", {"items": items})
    assert items == []


# --- comparing and writing -------------------------------------------------


def test_existing_reports_follow_the_convention(tmp_path):
    for path in ("summary.md", "a/plan.md", "a/s-1-tast.md", "a/s-1-agenda.md", "a/notes.md", "a/plan.txt", "A/plan.md", ".git/plan.md", "README.md", "a/b/plan.md"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x")
    assert existing_reports(tmp_path, KINDS) == ["summary.md", "a/plan.md", "a/s-1-agenda.md", "a/s-1-tast.md"]
    assert existing_reports(tmp_path, ("tast",)) == ["a/s-1-tast.md"]
    assert existing_reports(tmp_path / "missing", KINDS) == []


def test_compare_and_write(tmp_path):
    outputs = [Output("plan", "a/plan.md", with_marker("# A\n")), Output("summary", "summary.md", with_marker("# S\n"))]
    first = write_outputs(outputs, tmp_path, KINDS)
    assert (first.missing, first.stale, first.current) == (["a/plan.md", "summary.md"], [], [])
    assert (tmp_path / "a" / "plan.md").read_text() == with_marker("# A\n")
    (tmp_path / "summary.md").write_text(with_marker("# old\n"))
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "plan.md").write_text(with_marker("# orphan\n"))
    result = compare(outputs, tmp_path, KINDS)
    assert (result.current, result.stale, result.orphaned, result.ok) == (["a/plan.md"], ["summary.md"], ["b/plan.md"], False)
    assert compare(outputs, tmp_path, KINDS, orphans=False).orphaned == []
    write_outputs(outputs, tmp_path, KINDS, prune=True)
    assert compare(outputs, tmp_path, KINDS).ok
    assert not (tmp_path / "b").exists()


_SEGMENT = "abz019-._ACDE" + "\u00e9\u4e2d"


def test_report_order_sorts_as_the_paths_parts_would():
    """report_order is a text (smaller than a list of parts, held for each of
    100,000 reports while they sort): the summary first, then the paths by
    their parts, where a part that is a prefix of another comes first."""
    from hypothesis import given, settings, strategies as st

    from tacli.output.reports import report_order

    segment = st.text(alphabet=_SEGMENT, min_size=1, max_size=6)
    path = st.one_of(st.just("summary.md"), st.lists(segment, min_size=1, max_size=4).map("/".join))

    @settings(max_examples=400, deadline=None)
    @given(st.lists(path, max_size=30))
    def same_order(paths):
        by_parts = sorted(paths, key=lambda p: (p != "summary.md", p.split("/")))
        assert sorted(paths, key=report_order) == by_parts

    same_order()


def test_a_usable_engagement_keeps_none_of_its_findings(tmp_path):
    """What reports and pages say of a usable file comes from the file: the
    check's findings of each (some 1.3 KB an engagement) are not held."""
    from tacli.commands import CommonOptions, Session
    from tacli.reading.stored import LazyResult

    session = Session(CommonOptions(today="2026-11-22"))
    loaded = load_engagements([str(EXAMPLES)], lambda: session.spec, session.today, checker=session.checker())
    assert loaded.engagements and all(isinstance(item, LazyResult) and item.findings == [] for item in loaded.engagements)
    assert all(item.detached().findings == [] for item in loaded.engagements)


def test_each_file_is_counted_once_its_last_report_is_rendered():
    from tacli.output.reports import _each_file_done

    counted: list[int] = []
    one_rendered = _each_file_done([["a"], [], ["b", "c"], []], lambda: counted.append(len(counted) + 1))
    assert counted == []  # the first file's report is still to come
    one_rendered()
    assert counted == [1, 2]  # the first file, and the second, which has none
    one_rendered()
    assert counted == [1, 2]
    one_rendered()
    assert counted == [1, 2, 3, 4]
    assert _each_file_done([[]], None) is None
