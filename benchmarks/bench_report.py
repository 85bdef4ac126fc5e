#!/usr/bin/env python3
"""Time `tacli report` and `tacli site` against `tacli check` on the same N
engagements, in the same run: fresh (an empty cache and an empty folder),
`--check` with the cache warm and nothing changed, and again after 10 files
changed. The goals are ratios to check: fresh at most 3x `check` cold, and
`--check` warm at most 1.5x `check` warm. Run from the repository root:

    python benchmarks/bench_report.py --files 1000 --write docs/benchmarks.md

Needs tacli installed (`pip install .`).
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import TODAY, change, command, generate, machine, measure, measured_table, publish  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="engagements to generate (default 1000)")
    parser.add_argument("--write", metavar="FILE", help="put the table into FILE (docs/benchmarks.md) between its bench_report markers")
    args = parser.parse_args()

    tacli = command("tacli")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "engagements"
        folder.mkdir()
        files = generate(folder, args.files)
        base = ["--today", TODAY, "-q", str(folder)]

        def cache(name: str) -> dict:
            return {"TACLI_CACHE_DIR": str(Path(tmp) / f"cache-{name}")}

        check_cold = measure(tacli + ["check", *base], cache("check"))
        check_warm = measure(tacli + ["check", *base], cache("check"))
        rows.append(("tacli check, cold cache", check_cold, "1.00 (peer)"))
        rows.append(("tacli check, warm cache", check_warm, "1.00 (peer)"))
        for name in ("report", "site"):
            out = Path(tmp) / name
            run = tacli + [name, *base, "--out-dir", str(out)]
            fresh = measure(run, cache(name))
            rows.append((f"tacli {name}, fresh (empty cache and folder)", fresh, f"{fresh.wall / check_cold.wall:.2f}x check cold (goal 3x)"))
            again = measure(run + ["--check"], cache(name))
            rows.append((f"tacli {name} --check, warm, nothing changed", again, f"{again.wall / check_warm.wall:.2f}x check warm (goal 1.5x)"))
            shutil.rmtree(out)
            folder_only = measure(run, cache(name))
            rows.append((f"tacli {name}, empty folder, warm cache", folder_only, f"{folder_only.wall / check_cold.wall:.2f}x check cold"))
        change(files, 10)
        check_few = measure(tacli + ["check", *base], cache("check"))
        rows.append(("tacli check, warm, 10 files changed", check_few, "1.00 (peer)"))
        for name in ("report", "site"):
            few = measure(tacli + [name, *base, "--out-dir", str(Path(tmp) / name)], cache(name))
            rows.append((f"tacli {name}, warm, 10 files changed", few, f"{few.wall / check_few.wall:.2f}x check"))

    lines = [
        f"Measured on {datetime.date.today().isoformat()} with `python benchmarks/bench_report.py --files {args.files}`",
        f"on {machine()}: {args.files:,} engagements.",
        "",
        *measured_table(rows, last="ratio"),
    ]
    publish(lines, args.write, f"bench_report-{args.files}")


if __name__ == "__main__":
    main()
