"""Regenerate the report snapshots: every kind of report rendered from examples/.

    python tests/snapshots/regenerate.py

Run it only after changing a template, the report views, the examples or the
standards on purpose, then review `git diff tests/snapshots/` as a reader of
the reports would: the diff is the change users will see. The snapshots are
rendered as of TODAY (tests/conftest.py), with the shipped standards and
templates, exactly as this command would:

    tacli report examples/ --out-dir tests/snapshots/reports --today 2026-11-22 --prune
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
REPORTS = HERE / "reports"
EXAMPLES = ROOT / "examples"
TODAY = "2026-11-22"


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


def main() -> int:
    from tacli.domain.reports import REPORT_KINDS
    from tacli.write.output_files import write_outputs

    result = write_outputs(render(), REPORTS, REPORT_KINDS, prune=True, force=True)
    for label, paths in (("wrote", result.missing + result.stale + result.foreign), ("removed", result.orphaned)):
        for path in paths:
            print(f"{label} tests/snapshots/reports/{path}")
    print(f"{len(result.current)} unchanged")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
