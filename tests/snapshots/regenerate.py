"""Regenerate the report snapshots: every kind of report rendered from examples/.

    python tests/snapshots/regenerate.py

Run it only after changing a template, the report views, the examples or the
standards on purpose, then review `git diff tests/snapshots/` as a reader of
the reports would: the diff is the change users will see. The snapshots are
rendered as of TODAY (tests/conftest.py), with the shipped standards and
templates, exactly as this command would:

    tacli report examples/ --out-dir tests/snapshots/reports --today 2026-11-22 --prune

and the annual report of the school year (`annual/2026-27.md`) as

    tacli report examples/ --kind annual --year 2026-27 --roster examples/roster.yaml --today 2026-11-22
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
REPORTS = HERE / "reports"
EXAMPLES = ROOT / "examples"
TODAY = "2026-11-22"
ANNUAL = HERE / "annual" / "2026-27.md"


def render():
    """Every report of every kind for the examples, as tacli renders them."""
    from datetime import date

    from tacli.domain.reports import REPORT_KINDS
    from tacli.output.reports import load_engagements, plan_jobs, render_jobs
    from tacli.core.paths import shipped_standards
    from tacli.standards.spec import load_spec
    from tacli.output.templates import Renderer

    spec = load_spec(shipped_standards())
    today = date.fromisoformat(TODAY)
    loaded = load_engagements([str(EXAMPLES)], spec, today)
    engagements, problems = loaded.engagements, loaded.problems
    if problems:
        raise SystemExit("the examples do not validate:\n" + "\n".join(p.message for p in problems))
    jobs = plan_jobs(engagements, spec, today, REPORT_KINDS)
    return render_jobs(Renderer(), jobs)


def render_annual() -> str:
    """The annual report of the examples' school year, as `tacli report --kind annual` prints it."""
    from tacli.commands import CommonOptions
    from tacli.commands.report import ReportOptions, run

    import os

    options = ReportOptions(CommonOptions(today=TODAY), ("examples",), ("annual",), year="2026-27", roster="examples/roster.yaml")
    before = os.getcwd()
    os.chdir(ROOT)  # the files named as a user in the project names them
    try:
        outcome = run(options)
    finally:
        os.chdir(before)
    if outcome.code:
        raise SystemExit("the annual report of the examples could not be rendered:\n" + "\n".join(outcome.notes))
    return outcome.text


def main() -> int:
    from tacli.domain.reports import REPORT_KINDS
    from tacli.write.output_files import write_outputs

    result = write_outputs(render(), REPORTS, REPORT_KINDS, prune=True, force=True)
    for label, paths in (("wrote", result.missing + result.stale + result.foreign), ("removed", result.orphaned)):
        for path in paths:
            print(f"{label} tests/snapshots/reports/{path}")
    annual = render_annual()
    if not ANNUAL.exists() or ANNUAL.read_text(encoding="utf-8") != annual:
        ANNUAL.parent.mkdir(exist_ok=True)
        with open(ANNUAL, "w", encoding="utf-8", newline="") as handle:
            handle.write(annual)
        print(f"wrote tests/snapshots/annual/{ANNUAL.name}")
    print(f"{len(result.current)} unchanged")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
