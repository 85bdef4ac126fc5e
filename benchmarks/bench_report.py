#!/usr/bin/env python3
"""Time `tacli report` and `tacli site` against `tacli check` on the same N
engagements, in the same run: fresh (an empty cache and an empty folder),
`--check` with the cache warm and nothing changed (the first run after
writing, which reads every file; then the median of three, which find the
folder remembered), and again after 10 files changed. Each figure a goal
names is the median of three runs. The goals are ratios to check: fresh at
most 3x `check` cold, and `--check` warm at most 1.5x `check` warm. Run from
the repository root:

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
from bench_check import TODAY, Measured, change, command, generate, machine, measure, measured_table, publish  # noqa: E402

REPEAT = 3  # runs of each measure that is a goal's, their median taken


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

        def median(runs: list) -> Measured:
            """The run of median wall time: one run is at the mercy of whatever else the machine does."""
            return sorted(runs, key=lambda run: run.wall)[len(runs) // 2]

        def fresh_runs(argv: list[str], name: str, out: Path | None = None) -> Measured:
            """`argv` from an empty cache (and an empty `out`), REPEAT times."""
            runs = []
            for number in range(REPEAT):
                shutil.rmtree(Path(tmp) / f"cache-{name}", ignore_errors=True)
                if out is not None:
                    shutil.rmtree(out, ignore_errors=True)
                runs.append(measure(argv, cache(name)))
            return median(runs)

        check_cold = fresh_runs(tacli + ["check", *base], "check")
        check_warm = median([measure(tacli + ["check", *base], cache("check")) for _ in range(REPEAT)])
        rows.append(("tacli check, cold cache", check_cold, "1.00 (peer)"))
        rows.append(("tacli check, warm cache", check_warm, "1.00 (peer)"))
        for name in ("report", "site"):
            out = Path(tmp) / name
            run = tacli + [name, *base, "--out-dir", str(out)]
            fresh = fresh_runs(run, name, out)
            rows.append((f"tacli {name}, fresh (empty cache and folder)", fresh, f"{fresh.wall / check_cold.wall:.2f}x check cold (goal 3x)"))
            first = measure(run + ["--check"], cache(name))
            rows.append((f"tacli {name} --check, first after writing (every file read)", first, f"{first.wall / check_warm.wall:.2f}x check warm"))
            again = median([measure(run + ["--check"], cache(name)) for _ in range(REPEAT)])
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
