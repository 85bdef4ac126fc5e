"""Every kind of report rendered from examples/ against committed snapshots, and
the Markdown linter run on all of them.

After changing a template or the examples on purpose, run
`python tests/snapshots/regenerate.py` and review `git diff tests/snapshots/`.
"""

from __future__ import annotations

import difflib
import importlib.util
import json

import pytest
from conftest import ROOT, TESTS, EXAMPLE_FILES

from tacli.domain.reports import REPORT_KINDS as KINDS
from tacli.write.output_files import existing_reports

SNAPSHOTS = TESTS / "snapshots"
REPORTS = SNAPSHOTS / "reports"
LINT_CONFIG = ROOT / "templates" / "pymarkdown.json"

_spec = importlib.util.spec_from_file_location("snapshots_regenerate", SNAPSHOTS / "regenerate.py")
regenerate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regenerate)

pytestmark = pytest.mark.skipif(not any(EXAMPLE_FILES), reason="no examples to render")


@pytest.fixture(scope="module")
def outputs():
    return regenerate.render()


def read(path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_rendered_from_the_examples(outputs, kind):
    assert any(output.kind == kind for output in outputs), f"the examples give no {kind} report"


@pytest.mark.parametrize("kind", KINDS)
def test_reports_match_the_snapshots(outputs, kind):
    hint = "if the change is intended, run `python tests/snapshots/regenerate.py` and review the diff"
    expected = set(existing_reports(REPORTS, (kind,)))
    rendered = {output.path: output.text for output in outputs if output.kind == kind}
    assert sorted(rendered) == sorted(expected), f"the {kind} reports differ from tests/snapshots/reports: {hint}"
    for path, text in rendered.items():
        snapshot = read(REPORTS / path)
        if text != snapshot:
            diff = "".join(difflib.unified_diff(snapshot.splitlines(True), text.splitlines(True), f"snapshot/{path}", f"rendered/{path}"))
            pytest.fail(f"{path} differs from its snapshot ({hint}):\n{diff}")


def test_the_check_command_finds_the_snapshots_current(run_tacli):
    result = run_tacli("report", "examples", "--out-dir", REPORTS, "--check", "--today", regenerate.TODAY, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith(f"reports are current in {REPORTS.as_posix()}.\n")


def test_every_report_passes_the_markdown_linter(outputs, tmp_path):
    api = pytest.importorskip("pymarkdown.api")
    for output in outputs:
        target = tmp_path / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output.text, encoding="utf-8")
    result = api.PyMarkdownApi().configuration_file_path(str(LINT_CONFIG)).scan_path(str(tmp_path), recurse_if_directory=True)
    problems = [f"{f.scan_file}:{f.line_number}:{f.column_number}: {f.rule_id} {f.rule_description} {f.extra_error_information or ''}" for f in result.scan_failures]
    assert not problems, "\n".join(problems)
    assert not result.pragma_errors


def test_the_annual_report_matches_its_snapshot_and_passes_the_linter(tmp_path):
    text = regenerate.render_annual()
    snapshot = read(regenerate.ANNUAL)
    if text != snapshot:
        diff = "".join(difflib.unified_diff(snapshot.splitlines(True), text.splitlines(True), "snapshot/annual/2026-27.md", "rendered"))
        pytest.fail(f"the annual report differs from its snapshot (if intended, run `python tests/snapshots/regenerate.py`):\n{diff}")
    api = pytest.importorskip("pymarkdown.api")
    (tmp_path / "annual.md").write_text(text, encoding="utf-8")
    result = api.PyMarkdownApi().configuration_file_path(str(LINT_CONFIG)).scan_path(str(tmp_path / "annual.md"))
    assert not result.scan_failures, [f"{f.line_number}: {f.rule_id} {f.rule_description}" for f in result.scan_failures]


def test_the_lint_configuration_is_small():
    """All rules on but line length; headings may repeat under different parents."""
    assert json.loads(LINT_CONFIG.read_text()) == {"plugins": {"md013": {"enabled": False}, "md024": {"siblings_only": True}}}


def test_an_overdue_report_passes_the_markdown_linter(run_tacli, tmp_path):
    """The snapshots hold a late report (its WARNING alert); weeks later one is overdue (CAUTION)."""
    api = pytest.importorskip("pymarkdown.api")
    out = tmp_path / "reports"
    result = run_tacli("report", "examples", "--out-dir", out, "--kind", "tast,summary", "--today", "2026-12-15", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "> [!CAUTION]\n" in (out / "elm-street-data-teams" / "2026-11-17-principal-call-tast.md").read_text(encoding="utf-8")
    result = api.PyMarkdownApi().configuration_file_path(str(LINT_CONFIG)).scan_path(str(out), recurse_if_directory=True)
    assert not result.scan_failures and not result.pragma_errors
