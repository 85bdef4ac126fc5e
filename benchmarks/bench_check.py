#!/usr/bin/env python3
"""Time `tacli check` on N engagements, cold, warm and with a few files changed,
against check-jsonschema and yamllint on the same files in the same run.

The files are copies of the shipped examples (each with its own id). Every
figure comes from one run on one machine, so the ratios hold on any machine;
the seconds do not. Each tacli run gets a cache folder of the benchmark's own
(TACLI_CACHE_DIR): "cold" starts from an empty one, "warm" runs again with
nothing changed, "10 changed" after 10 of the files were edited. CPU time is
the command's and its worker processes'; peak memory is the parent process's
(its high-water mark, VmHWM, read while it runs). Run from the repository root:

    python benchmarks/bench_check.py --files 1000
    python benchmarks/bench_check.py --files 10000 --peer-files 1000 --write docs/benchmarks.md

The peers take about 40 ms a file: `--peer-files` runs them on the first files
only and scales their time to N (said so in the table). `--write` puts the
table into the file between its bench_check markers.

Needs tacli and its peers installed: `pip install ".[test,bench]"` (or
`--no-peers`). A peer that is missing stops the run: a table without it
would not say what tacli was measured against.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TODAY = "2026-11-22"
MINIMAL_TYPER_APP = """
import sys
import typer
app = typer.Typer()
@app.command()
def main(paths: list[str], today: str = typer.Option(None, "--today"), version: bool = typer.Option(False, "--version")):
    print("0")
app()
"""


def command(name: str) -> list[str]:
    found = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    if not found:
        peer = "" if name == "tacli" else " (or leave the peers out with --no-peers)"
        sys.exit(f"{name} is not installed: pip install '.[test,bench]'{peer}")
    if name == "tacli":
        as_installed()
    return [found]


def as_installed() -> None:
    """Run tacli from compiled byte code, as `pip install` leaves it. From a
    checkout installed with `pip install -e` where PYTHONDONTWRITEBYTECODE is
    set, each run would compile tacli's modules again (0.05 to 0.15 s a run)."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    import tacli

    package = Path(tacli.__file__).parent
    if subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], stdout=subprocess.DEVNULL).returncode != 0:
        print(f"bench: tacli's byte code could not be written in {package}: each run compiles its modules (0.05 to 0.15 s a run)", file=sys.stderr)


def example_texts() -> list[str]:
    """The shipped engagement files (not the roster of their service area)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.yaml"))]
    texts = [text for text in texts if re.search(r"^tacli: ", text, flags=re.M)]
    if not texts:
        sys.exit(f"no example engagements in {EXAMPLES}")
    return texts


def generate(folder: Path, count: int) -> list[Path]:
    """`count` engagements made from the shipped examples, each with its own id."""
    texts = example_texts()
    paths = []
    for index in range(count):
        text = texts[index % len(texts)]
        text = re.sub(r"^id: (.+)$", lambda m: f"id: {m.group(1)}-{index:05d}", text, count=1, flags=re.M)
        path = folder / f"engagement-{index:05d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def change(paths: list[Path], count: int = 10, round: int = 1) -> None:
    """Edit `count` files spread over the folder (a comment added: new bytes, same findings)."""
    step = max(1, len(paths) // count)
    for path in paths[::step][:count]:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"# edited in round {round}\n")


class Measured:
    def __init__(self, wall: float, cpu: float, peak_kb: int):
        self.wall, self.cpu, self.peak_kb = wall, cpu, peak_kb


def measure(argv: list[str], env: dict | None = None, ok=(0, 1)) -> Measured:
    """One run: wall time, CPU time (the process and the workers it waited for),
    and the parent process's peak resident memory."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    peak = [0]
    finished = threading.Event()

    def watch() -> None:  # never reaps the process (wait4 below does)
        status = Path(f"/proc/{process.pid}/status")
        while not finished.is_set():
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak[0] = max(peak[0], int(line.split()[1]))
            except (OSError, ValueError):
                pass
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    finished.set()
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    watcher.join()
    if process.returncode not in ok:
        sys.exit(f"{' '.join(argv[:3])} ... failed ({process.returncode}): {stderr[-500:]}")
    return Measured(wall, usage.ru_utime + usage.ru_stime, peak[0])


def timed(argv: list[str], repeat: int, ok=(0, 1), env: dict | None = None) -> float:
    """Median wall time of `repeat` runs, in seconds."""
    return statistics.median(measure(argv, env, ok).wall for _ in range(repeat))


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, {platform.system()}"


def write_section(target: Path, name: str, text: str) -> None:
    """Put `text` between the `name` markers of `target` (added at its end the first time)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    current = target.read_text(encoding="utf-8")
    block = f"{start}\n{text.rstrip()}\n{end}"
    if start in current and end in current:
        current = current[: current.index(start)] + block + current[current.index(end) + len(end):]
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    target.write_text(current, encoding="utf-8")


def measured_table(rows: list[tuple[str, Measured, str]], last: str = "note") -> list[str]:
    """A Markdown table of (name, Measured, note) rows: wall and CPU time, the parent's peak memory."""
    return [
        f"| command | wall time | CPU time | parent's peak memory | {last} |",
        "| --- | ---: | ---: | ---: | --- |",
    ] + [f"| {name} | {m.wall:.2f} s | {m.cpu:.2f} s | {m.peak_kb / 1024:.0f} MB | {note} |" for name, m, note in rows]


def publish(lines: list[str], write: str | None, section: str) -> None:
    """Print the table, and with --write put it into that file between its `section` markers."""
    table = "\n".join(lines) + "\n"
    print(table)
    if write:
        write_section(Path(write), section, table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="engagements to generate (default 1000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each warm and few-changed measurement; the median counts (default 1)")
    parser.add_argument("--peer-files", type=int, default=None, help="run the peers on this many of the files and scale (default: all)")
    parser.add_argument("--no-peers", action="store_true", help="leave check-jsonschema and yamllint out")
    parser.add_argument("--write", metavar="FILE", help="put the table into FILE (docs/benchmarks.md) between its bench_check markers")
    args = parser.parse_args()

    tacli = command("tacli")
    jsonschema, yamllint = ([], []) if args.no_peers else (command("check-jsonschema"), command("yamllint"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "engagements"
        folder.mkdir()
        files = generate(folder, args.files)
        size = sum(p.stat().st_size for p in files) / len(files)
        cache = {"TACLI_CACHE_DIR": str(Path(tmp) / "cache")}
        check = tacli + ["check", "--today", TODAY, "-q", str(folder)]
        rows: list[tuple[str, Measured, str]] = []
        serial = measure(check + ["--jobs", "1", "--no-cache"], cache)
        rows.append(("tacli check --jobs 1, no cache", serial, ""))
        cold = measure(check, cache)
        rows.append(("tacli check, cold cache (all cores)", cold, f"wall {cold.wall / serial.cpu:.2f}x the CPU of --jobs 1; CPU {cold.cpu / serial.cpu:.2f}x"))
        warm_runs = sorted((measure(check, cache) for _ in range(max(args.repeat, 1))), key=lambda m: m.wall)
        warm = warm_runs[len(warm_runs) // 2]  # the median run (statistics.median takes no key)
        rows.append(("tacli check, warm cache, nothing changed", warm, f"{cold.wall / warm.wall:.0f}x faster than cold"))
        few_runs = []
        for round in range(1, max(args.repeat, 1) + 1):  # 10 files changed again before each run
            change(files, 10, round)
            time.sleep(0.2)  # as a person saves: not within the file system's tick of the run (io.filestat)
            few_runs.append(measure(check, cache))
        few = sorted(few_runs, key=lambda m: m.wall)[len(few_runs) // 2]
        rows.append(("tacli check, warm cache, 10 files changed", few, ""))
        off = measure(check + ["--no-cache"], cache)
        rows.append(("tacli check --no-cache (all cores)", off, ""))

        peers: list[tuple[str, float, int]] = []
        if not args.no_peers:
            count = min(args.peer_files or args.files, args.files)
            some = [str(p) for p in files[:count]]
            schema = Path(tmp) / "engagement.schema.json"
            subprocess.run(tacli + ["schema", "-o", str(schema)], check=True, capture_output=True)
            peers.append(("check-jsonschema (types and keys only)", measure(jsonschema + ["--schemafile", str(schema)] + some).wall * args.files / count, count))
            peers.append(("yamllint (YAML style only)", measure(yamllint + ["-f", "parsable"] + some).wall * args.files / count, count))

        single = str(files[0])
        one = tacli + ["check", "--today", TODAY, single]
        measure(one, cache)  # its entry in the cache
        app = Path(tmp) / "minimal_typer_app.py"
        app.write_text(MINIMAL_TYPER_APP, encoding="utf-8")
        one_file = timed(one, 10, env=cache)
        typer_app = timed([sys.executable, str(app), single, "--today", TODAY], 10, ok=(0,))

    lines = [
        f"Measured on {datetime.date.today().isoformat()} with `python benchmarks/bench_check.py --files {args.files}"
        + (f" --peer-files {args.peer_files}" if args.peer_files else "") + "`",
        f"on {machine()}, tacli run from compiled byte code: {args.files:,} engagements of {size / 1024:.1f} KB on average.",
        "",
        *measured_table(rows),
    ]
    for name, seconds, count in peers:
        scaled = f" (run on {count:,} files, scaled)" if count < args.files else ""
        lines.append(f"| {name} | {seconds:.1f} s | | | {seconds / cold.wall:.0f}x tacli cold, {seconds / warm.wall:.0f}x warm{scaled} |")
    lines += [
        "",
        "| one file | wall time | ratio to a minimal typer app |",
        "| --- | ---: | ---: |",
        f"| tacli check FILE, warm cache | {one_file * 1000:.0f} ms | {one_file / typer_app:.2f} |",
        f"| minimal typer app taking the same arguments (peer) | {typer_app * 1000:.0f} ms | 1.00 |",
    ]
    publish(lines, args.write, f"bench_check-{args.files}")


if __name__ == "__main__":
    main()
