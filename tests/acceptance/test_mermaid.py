"""Mermaid itself parses every diagram of the examples' reports (plans'
flowcharts, the summary's charts and timelines). tests/unit/test_summary_charts.py
does the same for the summary of 1,000 engagements.

Slow (Mermaid starts in node, in a jsdom window), and skipped when node or the
Mermaid package is missing: `npm install --prefix tests/mermaid` installs it
(.ci/run does)."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, TODAY, run_in_process


@pytest.mark.slow
def test_the_examples_reports_parse(mermaid_parse, tmp_path):
    out = tmp_path / "reports"
    assert run_in_process("report", "--today", TODAY.isoformat(), "--out-dir", str(out), str(EXAMPLES)).returncode == 0
    mermaid_parse(sorted(out.rglob("*.md")))
