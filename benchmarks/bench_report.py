#!/usr/bin/env python3
"""Time `tacli report` and `tacli site` against `tacli check` on the same N
engagements, in the same run: fresh (an empty cache and an empty folder),
`--check` with the cache warm and nothing changed (the first run after
writing, which reads every file; then the median of five, which find the
folder remembered), again after 10 files changed, and without the cache
(`--no-cache`, against `check --no-cache`). Each figure a goal
names is the median of five runs; the fresh runs of check, report and site
take turns. The goals are ratios to check: fresh at
most 3x `check` cold, and `--check` warm at most 1.5x `check` warm. Run from
the repository root:

    python benchmarks/bench_report.py --files 1000 --write docs/benchmarks.md

With `--out-base /dev/shm` the reports and sites are written into memory: the
same ratios without the disk's cost of making 10,000 files, which on some
machines varies several times over within minutes. On ext4 without a journal
(`dmesg | grep EXT4`: "without journal"), the kernel prefers not to reuse an
inode freed less than a minute ago, or six minutes while it is not yet
written back, and looks past each such inode for every file it makes: making 10,000
files took 7.5 s just after 60,000 were deleted, 0.3 s once they were
synced. The benchmark syncs before it starts, and its first row, making
10,000 plain files, says which state the disk was in. After deleting many
files, wait a minute before running it.

Needs tacli installed (`pip install .`).
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import TODAY, Measured, change, command, generate, machine, measure, measured_table, publish  # noqa: E402

REPEAT = 5  # runs of each measure that is a goal's, their median taken
# The peer of writing a folder: the same files, read into memory, then written one
# after another with nothing else done (no comparison, no temporary file, no sync):
# what creating them costs on this disk, whatever writes them.
# The disk's state: 10,000 files of 8 KB made in 1,000 new folders, before anything else.
DISK_PROBE = """
import os, sys
root, data = sys.argv[1], b"x" * 8000
for number in range(10000):
    folder = os.path.join(root, str(number // 10))
    if number % 10 == 0:
        os.makedirs(folder)
    with open(os.path.join(folder, f"{number}.html"), "wb") as handle:
        handle.write(data)
"""
PLAIN_WRITER = """
import os, sys
source, target = sys.argv[1], sys.argv[2]
files = []
for folder, _, names in os.walk(source):
    for name in names:
        with open(os.path.join(folder, name), "rb") as handle:
            files.append((os.path.relpath(os.path.join(folder, name), source), handle.read()))
for relative, data in files:
    path = os.path.join(target, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="engagements to generate (default 1000)")
    parser.add_argument("--out-base", metavar="DIR", help="write the reports and sites under DIR (default: the temporary folder of the engagements); "
                        "a folder in memory (/dev/shm) leaves out the disk's cost of making files")
    parser.add_argument("--write", metavar="FILE", help="put the table into FILE (docs/benchmarks.md) between its bench_report markers")
    args = parser.parse_args()

    tacli = command("tacli")
    rows = []
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory(dir=args.out_base) as out_tmp:
        outputs = Path(out_tmp)
        folder = Path(tmp) / "engagements"
        folder.mkdir()
        files = generate(folder, args.files)
        base = ["--today", TODAY, "-q", str(folder)]

        def cache(name: str) -> dict:
            return {"TACLI_CACHE_DIR": str(Path(tmp) / f"cache-{name}")}

        def median(runs: list) -> Measured:
            """The run of median wall time: one run is at the mercy of whatever else the machine does."""
            return sorted(runs, key=lambda run: run.wall)[len(runs) // 2]

        def into(name: str, folder: Path) -> list[str]:
            return tacli + [name, *base, "--out-dir", str(folder)]

        if hasattr(os, "sync"):
            os.sync()  # what earlier runs deleted, written back: see the docstring
        probe = measure([sys.executable, "-c", DISK_PROBE, str(outputs / "probe")])
        # Fresh runs, from an empty cache, interleaved (check, report, site, then
        # again, REPEAT times): a ratio is then of runs minutes apart at most, while
        # the machine's speed drifts. Each run writes a folder of its own: none is
        # deleted before a run (deleting 10,000 files keeps some disks busy for
        # seconds, which the next run would pay for).
        fresh_of: dict[str, list] = {"check": [], "report": [], "site": []}
        for number in range(REPEAT):
            for name, runs in fresh_of.items():
                shutil.rmtree(Path(tmp) / f"cache-{name}", ignore_errors=True)
                argv = tacli + ["check", *base] if name == "check" else into(name, outputs / f"{name}-{number}")
                runs.append(measure(argv, cache(name)))
        check_cold = median(fresh_of["check"])
        written = {name: outputs / f"{name}-{REPEAT - 1}" for name in ("report", "site")}  # the last run's folder: its files are the cache's
        first = {name: measure(into(name, out) + ["--check"], cache(name)) for name, out in written.items()}
        warm_of: dict[str, list] = {"check": [], "report": [], "site": []}  # taking turns too
        for _ in range(REPEAT):
            for name, runs in warm_of.items():
                runs.append(measure(tacli + ["check", *base] if name == "check" else into(name, written[name]) + ["--check"], cache(name)))
        check_warm = median(warm_of["check"])
        rows.append(("10,000 files of 8 KB made by a plain loop, first (the disk's state)", probe, f"{probe.wall / check_cold.wall:.2f}x check cold"))
        rows.append(("tacli check, cold cache", check_cold, "1.00 (peer)"))
        rows.append(("tacli check, warm cache", check_warm, "1.00 (peer)"))
        for name, out in written.items():
            fresh = median(fresh_of[name])
            rows.append((f"tacli {name}, fresh (empty cache and folder)", fresh, f"{fresh.wall / check_cold.wall:.2f}x check cold (goal 3x)"))
            rows.append((f"tacli {name} --check, first after writing (every file read)", first[name], f"{first[name].wall / check_warm.wall:.2f}x check warm"))
            again = median(warm_of[name])
            rows.append((f"tacli {name} --check, warm, nothing changed", again, f"{again.wall / check_warm.wall:.2f}x check warm (goal 1.5x)"))
            folder_only = measure(into(name, outputs / f"{name}-empty"), cache(name))
            rows.append((f"tacli {name}, empty folder, warm cache", folder_only, f"{folder_only.wall / check_cold.wall:.2f}x check cold"))
            plain = measure([sys.executable, "-c", PLAIN_WRITER, str(out), str(outputs / f"{name}-plain")])
            rows.append(("the same files written by a plain loop (peer: the disk's cost)", plain, f"{plain.wall / check_cold.wall:.2f}x check cold"))
        change(files, 10)
        check_few = measure(tacli + ["check", *base], cache("check"))
        rows.append(("tacli check, warm, 10 files changed", check_few, "1.00 (peer)"))
        for name in ("report", "site"):
            few = measure(tacli + [name, *base, "--out-dir", str(written[name])], cache(name))
            rows.append((f"tacli {name}, warm, 10 files changed", few, f"{few.wall / check_few.wall:.2f}x check"))
        # Without the cache: each engagement read again where its reports or pages
        # are made (no run holds every engagement), so the parent's memory too.
        check_off = measure(tacli + ["check", "--no-cache", *base])
        rows.append(("tacli check --no-cache", check_off, "1.00 (peer)"))
        for name in ("report", "site"):
            off = measure(into(name, outputs / f"{name}-no-cache") + ["--no-cache"])
            rows.append((f"tacli {name} --no-cache, empty folder", off, f"{off.wall / check_off.wall:.2f}x check --no-cache"))

    given = f" --out-base {args.out_base}" if args.out_base else ""
    lines = [
        f"Measured on {datetime.date.today().isoformat()} with `python benchmarks/bench_report.py --files {args.files}{given}`",
        f"on {machine()}, tacli run from compiled byte code: {args.files:,} engagements" + (f", the reports and sites written under {args.out_base}." if args.out_base else "."),
        "",
        *measured_table(rows, last="ratio"),
    ]
    publish(lines, args.write, f"bench_report-{args.files}" + ("-out-base" if args.out_base else ""))


if __name__ == "__main__":
    main()
