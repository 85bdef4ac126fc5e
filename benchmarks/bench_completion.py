"""Shell completion runs tacli once for every Tab, so it must answer well
under half a second. Times each kind of completion (the installed `tacli`,
as the shell runs it) against `tacli --version`, the start-up alone, in the
same run. Times are processor time (user + system), the median of the runs.

    python benchmarks/bench_completion.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ELM = "examples/elm-street-data-teams.yaml"
CASES = {
    "command names (tacli ch<Tab>)": "tacli ch",
    "--format of check": "tacli check --format ",
    "framework ids (standards show <Tab>)": "tacli standards show ",
    "service ids from the file": f"tacli mark {ELM} --service ",
    "open duty ids of a service": f"tacli mark {ELM} --service 2026-11-17-principal-call ",
    "support types of the file's frameworks": f"new service {ELM} --type ",
}


def tacli() -> list[str]:
    found = shutil.which("tacli", path=os.path.dirname(sys.executable)) or shutil.which("tacli")
    return [found] if found else [sys.executable, "-m", "tacli"]


def timed(command: list[str], env: dict, runs: int) -> float:
    """The median processor time (user + system) of a run: on a busy machine
    it moves far less than the wall clock, which the shell's user waits on."""
    import resource

    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    base = {k: v for k, v in os.environ.items() if not k.startswith("TACLI_")}
    startup = timed(tacli() + ["--version"], base, runs)
    print(f"{'tacli --version (start-up alone)':45} {startup * 1000:6.0f} ms")
    for label, line in CASES.items():
        if not line.startswith("tacli "):
            line = "tacli " + line
        words = line.split(" ")
        env = {**base, "_TACLI_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
        seconds = timed(tacli(), env, runs)
        print(f"{label:45} {seconds * 1000:6.0f} ms  {seconds / startup:4.1f}x start-up")


if __name__ == "__main__":
    main()
