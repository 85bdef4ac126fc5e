#!/usr/bin/env python3
"""Time `tacli serve` on N engagements against `tacli check` on the same files.

Two figures, each in the same run as `tacli check` (its peer): the time from
starting `tacli serve` to its first page (This week, opened with the key as a
browser opens it), and the time from a file changing on disk to the dashboard
showing it (the page's long poll answers, then the dashboard is fetched again,
as the browser does when told to reload). The first dashboard, which reads
every engagement in the server's process, is timed too. Run from the
repository root:

    python benchmarks/bench_serve.py --files 1000

Needs tacli installed (`pip install .`).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import TODAY, command, generate, timed  # noqa: E402

TARGET_LATENCY = 1.0  # seconds from a change on disk to the dashboard showing it


def start(tacli: list[str], folder: Path):
    """`tacli serve` on a free port: (process, address with the key, seconds it took to print it)."""
    began = time.perf_counter()
    process = subprocess.Popen(tacli + ["serve", str(folder), "--port", "0", "--today", TODAY, "--no-browser"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while True:
        line = process.stdout.readline()
        if not line:
            sys.exit(f"tacli serve did not start: {process.stderr.read()[-500:]}")
        found = re.search(r"http://\S+", line)
        if found:
            return process, found.group(0), began


def stop(process) -> None:
    process.terminate()
    process.wait(timeout=60)
    process.stdout.close()
    process.stderr.close()


def opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def first_page(tacli: list[str], folder: Path) -> tuple[float, float]:
    """Seconds from starting the server to its first page (and to its address printed)."""
    process, address, began = start(tacli, folder)
    printed = time.perf_counter() - began
    try:
        with opener().open(address, timeout=300) as response:
            body = response.read()
        assert b"<h1>This week" in body
        return time.perf_counter() - began, printed
    finally:
        stop(process)


def change_to_dashboard(tacli: list[str], folder: Path, changes: int) -> tuple[float, list[float], list[float]]:
    """The first dashboard's time, and for each change: seconds until the long poll
    answered, and until the dashboard fetched after it showed the change."""
    process, address, _ = start(tacli, folder)
    base = address.split("?")[0]
    browser = opener()
    try:
        browser.open(address, timeout=300).read()
        began = time.perf_counter()
        page = browser.open(base + "dashboard/", timeout=600).read().decode("utf-8")
        first = time.perf_counter() - began
        target = folder / "engagement-00000.yaml"
        text = target.read_text(encoding="utf-8")
        title = re.search(r"^title: (.+)$", text, re.M).group(1)
        noticed, shown = [], []
        for index in range(changes):
            version = re.search(r"since=(\d+)", page).group(1)
            answered = {}

            def poll():
                browser.open(base + f"changes?since={version}&live=view", timeout=60).read()
                answered["at"] = time.perf_counter()

            waiting = threading.Thread(target=poll)
            waiting.start()
            time.sleep(0.5)  # the page has its long poll open, as a browser's would
            new_title = f"Changed {index} {title}"
            changed = time.perf_counter()
            target.write_text(text.replace(f"title: {title}", f"title: {new_title}", 1), encoding="utf-8")
            waiting.join(60)
            page = browser.open(base + "dashboard/", timeout=600).read().decode("utf-8")
            done = time.perf_counter()
            if new_title not in page:
                sys.exit("the dashboard did not show the change")
            noticed.append(answered["at"] - changed)
            shown.append(done - changed)
        target.write_text(text, encoding="utf-8")
        return first, noticed, shown
    finally:
        stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="engagements to generate (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing; the median counts (default 3)")
    args = parser.parse_args()
    tacli = command("tacli")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "engagements"
        folder.mkdir()
        generate(folder, args.files)
        checks, pages, printed = [], [], []
        for _ in range(args.repeat):  # one after the other, so that a busy moment weighs on both
            checks.append(timed(tacli + ["check", "--today", TODAY, "--quiet", str(folder)], 1))
            page, address = first_page(tacli, folder)
            pages.append(page)
            printed.append(address)
        first, noticed, shown = change_to_dashboard(tacli, folder, args.repeat)
    median = lambda values: sorted(values)[len(values) // 2]  # noqa: E731
    check = median(checks)
    ratio = median([page / peer for page, peer in zip(pages, checks)])
    print(f"{args.files} engagements, median of {args.repeat} runs (check and serve in turn)")
    print()
    print("| what | wall time | to `tacli check` |")
    print("| --- | ---: | ---: |")
    print(f"| tacli check (peer) | {check:.2f} s | 1.00 |")
    print(f"| tacli serve: start to its address printed | {median(printed):.2f} s | {median([a / c for a, c in zip(printed, checks)]):.2f} |")
    print(f"| tacli serve: start to the first page | {median(pages):.2f} s | {ratio:.2f} |")
    print(f"| the first dashboard (every engagement read) | {first:.2f} s | {first / check:.2f} |")
    print(f"| a change on disk: the page told | {median(noticed):.2f} s | |")
    print(f"| a change on disk: the dashboard showing it | {median(shown):.2f} s | |")
    print()
    verdict_first = "met" if ratio <= 1 else "NOT met"
    verdict_change = "met" if median(shown) < TARGET_LATENCY else "NOT met"
    print(f"Target: the first page no slower than check: {verdict_first} ({ratio:.2f}x, the median of each run's ratio);"
          f" a change shown in under {TARGET_LATENCY:g} s: {verdict_change} ({median(shown):.2f} s).")


if __name__ == "__main__":
    main()
