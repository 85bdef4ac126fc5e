"""A headless Chromium driven over the DevTools protocol, for the site's
browser tests and the screenshots in docs/site.md.

The protocol is JSON over one websocket (the `websocket-client` package):
enough to open a page, collect its console errors, run a script in it,
print it to PDF and take a screenshot, with the system's `chromium` and
nothing downloaded. Regenerate the screenshots of docs/site.md with:

    tacli site examples --today 2026-11-22 --roster examples/roster.yaml --out-dir /tmp/site
    python tests/browser.py /tmp/site docs/images

and those of docs/serve.md (tacli serve on a copy of the examples) with:

    python tests/browser.py serve docs/images
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--hide-scrollbars", "--remote-debugging-port=0")
TIMEOUT = 30.0


def chromium() -> str | None:
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


class Browser:
    """One headless Chromium with one page (a tab), closed on exit."""

    def __init__(self, executable: str, width: int = 1280, height: int = 900):
        import websocket

        self.folder = tempfile.mkdtemp(prefix="tacli-chromium-")
        self.process = subprocess.Popen([executable, *FLAGS, f"--user-data-dir={self.folder}", f"--window-size={width},{height}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        endpoint = self._endpoint()
        self.socket = websocket.create_connection(endpoint, timeout=TIMEOUT, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable", session=True)
        self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=True)

    def _endpoint(self) -> str:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line and self.process.poll() is not None:
                break
            if line.startswith("DevTools listening on "):
                return line.split(" on ", 1)[1].strip()
        self.close()
        raise RuntimeError("chromium did not start its DevTools endpoint")

    def send(self, method: str, params: dict | None = None, session: bool = False) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def open(self, url: str) -> None:
        """Load `url` and wait for its load event (scripts have run)."""
        self.events.clear()
        self.send("Page.navigate", {"url": url}, session=True)
        deadline = time.monotonic() + TIMEOUT
        while not any(event.get("method") == "Page.loadEventFired" for event in self.events):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not load")
            self.events.append(json.loads(self.socket.recv()))

    def follow(self, script: str) -> None:
        """Run `script`, which leads the page elsewhere (a click on a link or a
        button), and wait for the next page's load event."""
        self.events.clear()
        self.evaluate(script)
        deadline = time.monotonic() + TIMEOUT
        while not any(event.get("method") == "Page.loadEventFired" for event in self.events):
            if time.monotonic() > deadline:
                raise RuntimeError(f"no page loaded after {script[:60]}")
            self.events.append(json.loads(self.socket.recv()))

    def wait_for(self, expression: str, timeout: float = TIMEOUT):
        """The value of `expression` once it is truthy, evaluated again and again
        (across a reload) until `timeout` seconds have passed."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(expression)
            except RuntimeError:  # the page is reloading
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise RuntimeError(f"{expression[:80]} did not come true within {timeout:g} seconds")
            time.sleep(0.05)

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and failed loads since the page was opened."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(params["exceptionDetails"].get("exception", {}).get("description") or params["exceptionDetails"].get("text"))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(" ".join(str(arg.get("value", arg.get("description"))) for arg in params.get("args", [])))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(f"{params['entry'].get('text')} {params['entry'].get('url', '')}".strip())
        return found

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, session=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]}...: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def media(self, kind: str) -> None:
        """Emulate `print` or `screen` media."""
        self.send("Emulation.setEmulatedMedia", {"media": kind if kind != "screen" else ""}, session=True)

    def pdf_pages(self, paper: tuple[float, float] = (8.5, 11)) -> int:
        """How many pages the page prints to (Letter by default), as the browser's Save as PDF would."""
        data = self.send("Page.printToPDF", {"paperWidth": paper[0], "paperHeight": paper[1], "preferCSSPageSize": True}, session=True)["data"]
        import re

        return len(re.findall(rb"/Type\s*/Page[^s]", base64.b64decode(data)))

    def screenshot(self, path: Path, full: bool = False, selector: str | None = None) -> None:
        """The viewport, the whole page (`full`), or the element `selector` picks."""
        params: dict = {"format": "png"}
        if selector:
            box = self.evaluate(f"(function () {{ var r = document.querySelector({json.dumps(selector)}).getBoundingClientRect(); "
                                "return {x: r.left + scrollX - 8, y: r.top + scrollY - 8, width: r.width + 16, height: r.height + 16}; })()")
            params.update(captureBeyondViewport=True, clip={**box, "scale": 1})
        elif full:
            size = self.send("Page.getLayoutMetrics", session=True)["cssContentSize"]
            params.update(captureBeyondViewport=True, clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1})
        Path(path).write_bytes(base64.b64decode(self.send("Page.captureScreenshot", params, session=True)["data"]))

    def close(self) -> None:
        try:
            if getattr(self, "socket", None) is not None:
                self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            if self.process.stderr:
                self.process.stderr.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


SCREENSHOTS = {  # file: (page and its query, width, height, the element to show or None for the top of the page)
    "site-dashboard.png": ("index.html", 1280, 1500, None),
    "site-dashboard-charts.png": ("index.html", 1280, 1100, "section[aria-labelledby=hours]"),
    "site-dashboard-filtered.png": ("index.html?year=2026-27&facilitator=Dana+Ruiz", 1280, 1500, None),
    "site-dashboard-phone.png": ("index.html", 375, 1800, None),
    "site-engagement.png": ("engagements/riverside-district-intensive/index.html", 1280, 1100, None),
    "site-next-steps.png": ("engagements/elm-street-data-teams/index.html", 1000, 800, "section[aria-labelledby=status]"),
    "site-logic-model.png": ("engagements/elm-street-data-teams/index.html", 1100, 900, "#element-logic_model + blockquote + figure"),
    "site-tast.png": ("engagements/elm-street-data-teams/2026-10-27-grade-3-coaching-tast.html", 1000, 1100, None),
    "site-coverage.png": ("index.html", 1280, 900, "section[aria-labelledby=coverage]"),
    "site-reports-on-time.png": ("index.html", 1280, 900, "section[aria-labelledby=reports-on-time]"),
    "site-annual.png": ("annual/2026-27.html", 1100, 1300, None),
}
# The dashboard of a folder where one file has a misspelled duty id: the examples,
# with the Elm Street engagement's first "communicate-logistics" misspelled.
LEFT_OUT = ("site-left-out.png", 1280, 620)
MISSPELLED = ("planning.facilitator.communicate-logistics:", "planning.facilitator.comunicate-logistics:")


def _open(browser: "Browser", site: Path, page: str) -> None:
    path, _, query = page.partition("?")
    browser.open((site.resolve() / path).as_uri() + (f"?{query}" if query else ""))
    browser.evaluate("new Promise(done => setTimeout(done, 100))")  # charts drawn after a filter from the address


def main(site: str, out: str) -> None:
    """Screenshots of a site rendered from the examples, for docs/site.md; and
    of the dashboard of the examples with one file broken (rendered here)."""
    executable = chromium()
    if executable is None:
        sys.exit("chromium is not installed: apt-get install chromium")
    for name, (page, width, height, selector) in SCREENSHOTS.items():
        with Browser(executable, width, height) as browser:
            _open(browser, Path(site), page)
            browser.screenshot(Path(out) / (name), selector=selector)
    examples = Path(__file__).resolve().parent.parent / "examples"
    with tempfile.TemporaryDirectory() as folder:
        broken = Path(folder) / "engagements"
        shutil.copytree(examples, broken)
        elm = broken / "elm-street-data-teams.yaml"
        elm.write_text(elm.read_text(encoding="utf-8").replace(*MISSPELLED, 1), encoding="utf-8")
        subprocess.run([sys.executable, "-m", "tacli", "site", "engagements", "--out-dir", "site", "--today", "2026-11-22", "--quiet"],
                       cwd=folder, capture_output=True, check=False)
        name, width, height = LEFT_OUT
        with Browser(executable, width, height) as browser:
            _open(browser, Path(folder) / "site", "index.html")
            browser.screenshot(Path(out) / name)


# tacli serve's pages (docs/serve.md): (file, address, width, height, the element to show or None, a script run first or None)
SERVE_SCREENSHOTS = (
    ("serve-week.png", "/?who=Dana+Ruiz", 1280, 900, None, None),
    ("serve-engagement.png", "/engagements/elm-street-data-teams/", 1280, 1150, None, None),
    ("serve-duties.png", "/engagements/elm-street-data-teams/services/2026-11-17-principal-call/duties/?stage=follow-up", 1280, 1300, "#stage-follow-up",
     "(function () { var form = document.querySelector('#stage-follow-up form');"
     " ['follow-up.facilitator.analyze-feedback', 'follow-up.facilitator.debrief-with-director'].forEach(function (id) { form.querySelector('input[value=\"' + id + '\"]').checked = true; });"
     " form.elements.date.value = '2026-11-01'; form.elements.evidence.value = 'Call notes';"
     " form.elements.date.dispatchEvent(new Event('change', {bubbles: true})); })()"),
    ("serve-report.png", "/engagements/elm-street-data-teams/services/2026-11-17-principal-call/report/", 1100, 1000, None, None),
    ("serve-plan.png", "/engagements/elm-street-data-teams/plan/", 1280, 1000, "#el-logic_model", None),
    ("serve-dashboard.png", "/dashboard/", 1280, 1000, None, None),
)


def serve_screenshots(out: str) -> None:
    """Screenshots of tacli serve on a copy of the examples, for docs/serve.md."""
    import re

    executable = chromium()
    if executable is None:
        sys.exit("chromium is not installed: apt-get install chromium")
    examples = Path(__file__).resolve().parent.parent / "examples"
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(examples, Path(folder) / "engagements")
        server = subprocess.Popen([sys.executable, "-m", "tacli", "serve", "engagements", "--today", "2026-11-22", "--port", "0", "--no-browser"],
                                  cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            address = None
            while address is None:
                line = server.stdout.readline()
                if not line:
                    sys.exit("tacli serve did not start")
                found = re.search(r"http://\S+", line)
                address = found.group(0) if found else None
            base = address.split("?")[0].rstrip("/")
            for name, page, width, height, selector, script in SERVE_SCREENSHOTS:
                with Browser(executable, width, height) as browser:
                    browser.open(address)
                    browser.open(base + page)
                    if script:
                        browser.evaluate(script)
                    browser.evaluate("new Promise(done => setTimeout(done, 900))")  # the form's check, the charts
                    browser.screenshot(Path(out) / name, selector=selector)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve_screenshots(sys.argv[2])
    else:
        main(*sys.argv[1:3])
