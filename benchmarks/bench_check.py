#!/usr/bin/env python3
"""Time `tacli check` on N generated engagements against check-jsonschema on the same files.

Both run in the same session on the same files, so the figures are ratios
that hold on any machine. Also compares start-up (`tacli --version`) with a
minimal typer application. Run from the repository root:

    python benchmarks/bench_check.py --files 1000

Needs tacli and check-jsonschema installed (`pip install ".[test]"`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TODAY = "2026-11-22"
MINIMAL_TYPER_APP = """
import typer
app = typer.Typer()
@app.command()
def main(version: bool = typer.Option(False, "--version")):
    print("0")
app()
"""


def command(name: str) -> list[str]:
    found = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    if not found:
        sys.exit(f"{name} is not installed: pip install '.[test]'")
    return [found]


def generate(folder: Path, count: int) -> list[Path]:
    """`count` engagements made from the shipped examples, each with its own id."""
    sources = sorted(EXAMPLES.glob("*.yaml"))
    if not sources:
        sys.exit(f"no examples in {EXAMPLES}")
    texts = [p.read_text(encoding="utf-8") for p in sources]
    paths = []
    for index in range(count):
        text = texts[index % len(texts)]
        text = re.sub(r"^id: (.+)$", lambda m: f"id: {m.group(1)}-{index:05d}", text, count=1, flags=re.M)
        path = folder / f"engagement-{index:05d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def timed(argv: list[str], repeat: int, ok=(0, 1)) -> float:
    """Median wall time of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode not in ok:
            sys.exit(f"{' '.join(argv[:3])} ... failed ({done.returncode}): {done.stderr[-500:]}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="engagements to generate (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the median counts (default 3)")
    args = parser.parse_args()

    tacli = command("tacli")
    checker = command("check-jsonschema")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "engagements"
        folder.mkdir()
        files = generate(folder, args.files)
        size = sum(p.stat().st_size for p in files) / len(files)
        schema = Path(tmp) / "engagement.schema.json"
        subprocess.run(tacli + ["schema", "-o", str(schema)], check=True, capture_output=True)
        app = Path(tmp) / "minimal_typer_app.py"
        app.write_text(MINIMAL_TYPER_APP, encoding="utf-8")

        rows = []
        parallel = timed(tacli + ["check", "--today", TODAY, str(folder)], args.repeat)
        serial = timed(tacli + ["check", "--today", TODAY, "--jobs", "1", str(folder)], args.repeat)
        peer = timed(checker + ["--schemafile", str(schema)] + [str(p) for p in files], args.repeat)
        rows.append(("tacli check (all cores)", parallel, peer / parallel))
        rows.append(("tacli check --jobs 1", serial, peer / serial))
        rows.append(("check-jsonschema (peer)", peer, 1.0))
        startup = timed(tacli + ["--version"], max(args.repeat, 10), ok=(0,))
        typer_app = timed([sys.executable, str(app), "--version"], max(args.repeat, 10), ok=(0,))

    print(f"{args.files} engagements, {size / 1024:.1f} KB each on average, {os.cpu_count()} cores, median of {args.repeat} runs")
    print()
    print("| command | wall time | speed-up over check-jsonschema |")
    print("| --- | ---: | ---: |")
    for name, seconds, ratio in rows:
        print(f"| {name} | {seconds:.2f} s | {ratio:.1f}x |")
    print()
    print("| start-up | wall time | ratio to a minimal typer app |")
    print("| --- | ---: | ---: |")
    print(f"| tacli --version | {startup * 1000:.0f} ms | {startup / typer_app:.2f} |")
    print(f"| minimal typer app --version (peer) | {typer_app * 1000:.0f} ms | 1.00 |")


if __name__ == "__main__":
    main()
