#!/usr/bin/env python3
"""Time `tacli export` (every table, every format) against `tacli check` on the same N engagements.

`tacli export` reads every file as `check` does, over every core, then builds
rows from the domain rules; the ratio to `check` is the figure that holds on
any machine. Run from the repository root:

    python benchmarks/bench_export.py --files 1000

Needs tacli installed with its xlsx extra (`pip install '.[xlsx]'`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import TODAY, command, generate, timed  # noqa: E402

TABLES = ("engagements", "services", "duties", "findings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="engagements to generate (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the median counts (default 3)")
    parser.add_argument("--formats", default="csv,json,xlsx", help="formats to time, comma-separated (default csv,json,xlsx)")
    args = parser.parse_args()
    tacli = command("tacli")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "engagements"
        folder.mkdir()
        generate(folder, args.files)
        check = timed(tacli + ["check", "--today", TODAY, str(folder)], args.repeat)
        rows = [("tacli check", check)]
        for table in TABLES:
            for output_format in args.formats.split(","):
                out = Path(temporary) / f"{table}.{output_format}"
                rows.append((f"export {table} {output_format}", timed(tacli + ["export", "--today", TODAY, "--table", table, "-o", str(out), str(folder)], args.repeat)))
    print(f"{args.files} engagements, median of {args.repeat} runs")
    print(f"{'command':<28} {'seconds':>8} {'x check':>8}")
    for name, seconds in rows:
        print(f"{name:<28} {seconds:>8.2f} {seconds / check:>8.2f}")


if __name__ == "__main__":
    main()
