#!/usr/bin/env python3
"""Time `tacli site` against `tacli report` on the same N engagements.

Both read every file as `check` does and render a page or a report per
engagement and service, so the site must take no more than twice `report`:
the ratio is the figure that holds on any machine. Each command writes into
a fresh folder (the first run writes everything), then runs again over the
folder it wrote (nothing changed: what CI's `--check` and a re-run cost).
Run from the repository root:

    python benchmarks/bench_site.py --files 1000

Needs tacli installed (`pip install .`).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import TODAY, command, generate, timed  # noqa: E402

TARGET_RATIO = 2.0


def fresh(argv: list[str], out: Path, repeat: int) -> float:
    """Median time of `argv` writing into an empty `out`."""
    times = []
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        times.append(timed(argv, 1, ok=(0,)))
    return sorted(times)[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="engagements to generate (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the median counts (default 3)")
    args = parser.parse_args()
    tacli = command("tacli")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "engagements"
        folder.mkdir()
        generate(folder, args.files)
        rows = []
        for name in ("report", "site"):
            out = Path(temporary) / name
            argv = tacli + [name, "--today", TODAY, "--quiet", "--out-dir", str(out), str(folder)]
            rows.append((f"tacli {name} (fresh folder)", fresh(argv, out, args.repeat)))
            rows.append((f"tacli {name} (nothing changed)", timed(argv, args.repeat, ok=(0,))))
            rows.append((f"tacli {name} --check", timed(argv + ["--check"], args.repeat, ok=(0,))))
            files = [p for p in out.rglob("*") if p.is_file()]
            rows.append((f"  {len(files)} files, {sum(p.stat().st_size for p in files) / 2**20:.1f} MB", None))
    report = {name: seconds for name, seconds in rows if seconds is not None and name.startswith("tacli report")}
    print(f"{args.files} engagements, median of {args.repeat} runs")
    print()
    print("| command | wall time | ratio to the same `tacli report` run |")
    print("| --- | ---: | ---: |")
    for name, seconds in rows:
        if seconds is None:
            print(f"| {name.strip()} | | |")
            continue
        peer = report[name.replace("tacli site", "tacli report")]
        print(f"| {name} | {seconds:.2f} s | {seconds / peer:.2f} |")
    site, peer = dict(rows)["tacli site (fresh folder)"], report["tacli report (fresh folder)"]
    verdict = "met" if site <= TARGET_RATIO * peer else "NOT met"
    print()
    print(f"Target: site no more than {TARGET_RATIO:g}x report on a fresh folder: {verdict} ({site / peer:.2f}x).")


if __name__ == "__main__":
    main()
