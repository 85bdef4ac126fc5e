#!/usr/bin/env python3
"""Time `tacli due` (every format) and `tacli report` against `tacli check` on the same N engagements.

`tacli due` reads every file as `check` does and then works out what each
engagement owes, so on a folder it must take no longer than `check`: the
ratio is the figure that holds on any machine. Run from the repository root:

    python benchmarks/bench_due.py --files 1000

Needs tacli installed (`pip install .`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import TODAY, command, generate, timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="engagements to generate (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the median counts (default 3)")
    parser.add_argument("--report", action="store_true", help="also time `tacli report` into a fresh folder")
    args = parser.parse_args()
    tacli = command("tacli")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "engagements"
        folder.mkdir()
        generate(folder, args.files)
        check = timed(tacli + ["check", "--today", TODAY, str(folder)], args.repeat)
        rows = [("tacli check", check)]
        for output_format in ("text", "json", "csv", "ics"):
            rows.append((f"tacli due --format {output_format}", timed(tacli + ["due", "--today", TODAY, "--format", output_format, str(folder)], args.repeat)))
        if args.report:
            out = Path(temporary) / "reports"
            rows.append(("tacli report (first run)", timed(tacli + ["report", "--today", TODAY, "--out-dir", str(out), str(folder)], 1)))
    print(f"{args.files} engagements, median of {args.repeat} runs")
    print(f"{'command':<28} {'seconds':>8} {'x check':>8}")
    for name, seconds in rows:
        print(f"{name:<28} {seconds:>8.2f} {seconds / check:>8.2f}")


if __name__ == "__main__":
    main()
