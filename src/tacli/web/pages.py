"""The pages of `tacli serve` that show: this week, the engagements, an
engagement, the dashboard, the printable TAST reports and agendas, a file's
YAML and history, the exports; and the long poll that reloads a page when a
file changes on disk.

Each page is built from the views `tacli site`, `tacli due` and `tacli status`
use (tacli.output.site, tacli.domain.obligations, tacli.domain.status) and
rendered from the site's templates where the site has the page.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
from functools import wraps
from typing import Optional
from urllib.parse import quote, unquote

from tacli.domain.obligations import CONTACT, COACHING_HOURS, DUTIES, ENGAGEMENT_END, FIDELITY_REVIEW, FIX_FILE, PLAN, REPORT

LONG_POLL_SECONDS = 20.0
POLL_STEP = 0.1


# --- what every page shares -------------------------------------------------------


class BadRequest(Exception):
    """A request no page of this app makes (a malformed form, an unknown value): 400 with the message."""


class NotFound(Exception):
    """Nothing here by that name (a file gone, a service renamed): 404 with the message."""


class Moved(Exception):
    """The file an address names has another key now (its id fixed or changed): the same page under it."""

    def __init__(self, old: str, new: str):
        super().__init__(new)
        self.old, self.new = old, new


def rekeyed(path: str, old: str, new: str) -> str:
    """`path` of the engagement keyed `old`, under its key `new`."""
    prefix = engagement_href(old)
    return engagement_href(new) + path[len(prefix):] if path.startswith(prefix) else path


def followed(web, path: str) -> str:
    """An address of this app with the key it names as the file has it now."""
    found = re.match(r"/engagements/([^/?#]+)/", path)
    if found is None:
        return path
    old = unquote(found.group(1))
    if web.workspace.entry(old) is not None:
        return path
    entry = web.workspace.moved(old)
    return rekeyed(path, old, entry.key) if entry is not None else path


def web_of(request):
    return request.app.state.web


def href(*parts: str, query: str = "") -> str:
    """A path of this app from ids, each quoted: ids are looked up, never trusted as paths."""
    return "/" + "/".join(quote(part, safe="") for part in parts) + ("/" if not parts or not parts[-1].endswith(".html") else "") + (f"?{query}" if query else "")


def engagement_href(key: str, *more: str) -> str:
    return href("engagements", key, *more)


def page(request, template: str, code: int = 200, live: str = "view", entry=None, title: str = "", **context):
    """A page of the app: the template with what the frame needs (the CSRF value,
    read-only, the workspace's version for the long poll, a notice)."""
    from starlette.responses import HTMLResponse

    from tacli.web.render import render

    web = web_of(request)
    frame = {
        "root": "/",
        "today": web.workspace.day.isoformat() if web.workspace.day else "",
        "csrf": web.settings.access.csrf,
        "read_only": web.settings.read_only,
        "version": web.workspace.version,
        "live": live,
        "live_key": entry.key if entry is not None else "",
        "live_revision": entry.revision if entry is not None else "",
        "notice": web.said(request.query_params.get("said")),
        "page_title": title,
        "path": request.url.path,
        "duplicates": duplicates_view(web),
    }
    text = render(template, **{**frame, **context})
    return HTMLResponse(text, status_code=code, headers={"cache-control": "no-store"})


def duplicates_view(web) -> list[dict]:
    """The engagement ids that more than one file has, for the warning every page shows:
    each file has a page of its own (the second one's key ends in ~2), but `tacli check`
    refuses both until one has another id."""
    found = []
    for given, names in web.workspace.duplicates().items():
        files = []
        for name in names:
            entry = web.workspace.entry_for(name)
            files.append({"name": name, "href": engagement_href(entry.key, "file") if entry is not None else ""})
        found.append({"id": given, "files": files})
    return found


def problem_page(request, code: int, title: str, message: str, back: Optional[tuple[str, str]] = None, sent: str = ""):
    """A page that says why, in the site's frame, with the way back (`back`: an
    address and its words, first), and what a form sent (`sent`), to copy."""
    return page(request, "problem.html.j2", code, title=title, message=message, heading=title, back=back, sent=sent)


FORM_PATHS = re.compile(r"/new/$|/engagements/([^/]+)/(?:services/new|services/[^/]+/(?:duties|report)|plan|file/edit)/$")


async def no_page(request, exc):
    """An address with no page (404), or a method a page does not take (405), in
    the site's frame with the way back; with --read-only, a form's address says
    that nothing can be changed here."""
    status = getattr(exc, "status_code", 404)
    web = web_of(request)
    form = FORM_PATHS.search(request.url.path)
    if web.settings.read_only and form is not None:
        key = unquote(form.group(1)) if form.group(1) else ""
        entry = web.workspace.entry(key) if key else None
        back = (engagement_href(entry.key), f"Back to {entry.summary.title or entry.name}") if entry is not None else None
        return problem_page(request, 405 if request.method == "POST" else 404, "Read only",
                            "tacli serve was started with --read-only: nothing can be changed here, so this form is not served. Start tacli serve without --read-only to record.", back)
    if status == 405:
        return problem_page(request, 405, "Not this way", "This address takes no such request: open it as a page (a form sends itself from its page).")
    return problem_page(request, 404, "Not found", "There is no page at this address: the links above lead to every page there is.")


def guarded(endpoint):
    """A page's handler: what it cannot show is a page that says why (400, 404),
    never a traceback; a bug is a 500 page, its one line on the terminal
    (and its traceback with TACLI_DEBUG)."""
    from starlette.requests import ClientDisconnect

    from tacli.core.findings import FindingsError
    from tacli.core.outcome import UsageError, debugging

    @wraps(endpoint)
    async def handler(request):
        try:
            return await endpoint(request)
        except BadRequest as exc:
            return problem_page(request, 400, "This request cannot be used", str(exc))
        except NotFound as exc:
            return problem_page(request, 404, "Not found", str(exc))
        except Moved as exc:
            from starlette.responses import RedirectResponse

            to = rekeyed(request.url.path, exc.old, exc.new) + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(to, status_code=303 if request.method in ("GET", "HEAD") else 307)
        except FindingsError as exc:
            return problem_page(request, 500, exc.summary, "; ".join(f"{f.path}:{f.line}: {f.message}" for f in exc.findings[:5]))
        except UsageError as exc:
            return problem_page(request, 422, "This cannot be done", str(exc))
        except ClientDisconnect:  # the browser went (a tab closed mid-save), or its body stalled: no one to answer, nothing to report
            from starlette.responses import Response

            return Response(status_code=408 if request.scope.get("tacli.stalled") else 400, headers={"connection": "close"})
        except Exception as exc:  # noqa: BLE001 - the last line of defence of one page
            if debugging():
                import traceback

                traceback.print_exc()
            print(f"tacli serve: internal error on {request.url.path}: {type(exc).__name__}: {exc}", file=sys.stderr)
            return problem_page(request, 500, "Something went wrong in tacli", f"{type(exc).__name__}: {exc}. This is a bug in tacli: please report it with what you did. Your files are as they were.")

    return handler


async def in_thread(function, *args):
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, *args)


def fresh(web) -> None:
    """The workspace as the files are now (a walk and a stat of each)."""
    web.workspace.refresh()


def entry_of(web, key: str):
    entry = web.workspace.entry(key)
    if entry is None and (moved := web.workspace.moved(key)) is not None:
        raise Moved(key, moved.key)
    if entry is None:
        raise NotFound(f"No engagement file is known as '{key}' now: it may have been renamed, removed or given another id. The list of engagements has them all.")
    from tacli.web.workspace import NOT_SERVED

    if entry.target.problem is not None and entry.target.problem.startswith(NOT_SERVED):
        raise NotFound(f"{entry.name} is {entry.target.problem.removeprefix(NOT_SERVED + ': it is ')}: no page here shows or changes it.")
    return entry


def usable_result(web, entry):
    """The engagement of `entry`, or NotFound for a file that cannot be used."""
    result = web.workspace.result(entry) if entry.usable else None
    if result is None:
        raise NotFound(f"{entry.name} is not a valid engagement now: open its file page to see what to fix.")
    return result


def service_of(engagement, service_id: str):
    found = next((service for service in engagement.services if service.id == service_id), None)
    if found is None:
        raise NotFound(f"{engagement.title} has no service '{service_id}' now.")
    return found


def record_link(key: str, obligation, read_only: bool) -> Optional[tuple[str, str]]:
    """Where a facilitator records an item of the list (the page of the form
    that does what its command does), and the words of the link."""
    service = obligation.service_id
    if read_only:
        if obligation.kind == FIX_FILE:
            return engagement_href(key, "file"), "See what to fix"
        return engagement_href(key), "See the engagement"
    if obligation.kind == PLAN:
        return engagement_href(key, "plan"), "Write the plan"
    if obligation.kind == REPORT:
        return engagement_href(key, "services", service, "report"), "Write the report" if "--complete" not in obligation.command else "Complete the report"
    if obligation.kind == DUTIES:
        return engagement_href(key, "services", service, "duties") + f"#stage-{quote(obligation.stage)}", "Record these duties" if len(obligation.items) > 1 else "Record this duty"
    if obligation.kind == CONTACT:
        return engagement_href(key, "services", "new"), "Record a service"
    if obligation.kind == FIDELITY_REVIEW:
        return engagement_href(key, "file", "edit"), "Add it in the file"
    if obligation.kind == FIX_FILE:
        return engagement_href(key, "file", "edit"), "Fix the file"
    if obligation.kind in (COACHING_HOURS, ENGAGEMENT_END):
        return engagement_href(key), "See the engagement"
    return None


# --- this week ------------------------------------------------------------------


@guarded
async def week(request):
    from tacli.core.dates import LOOK_AHEAD_DAYS
    from tacli.domain.obligations import due_within, led_by, names_person

    web = web_of(request)
    await in_thread(fresh, web)
    session = web.session()
    today = web.workspace.day
    params = request.query_params
    who = params.get("who") if "who" in params else (session.config.me or "")
    try:
        within = int(params.get("within", LOOK_AHEAD_DAYS))
    except ValueError:
        raise BadRequest("within is a number of days (7 shows a week ahead)") from None
    if not 0 <= within <= 366:
        raise BadRequest("within is a number of days from 0 to 366")
    items = led_by(due_within(web.workspace.owed(), today, within), who)
    people = sorted({person for entry in web.workspace.entries() for person in entry.summary.leaders}, key=lambda name: (name.casefold(), name))
    unknown = bool(who) and bool(people) and not any(names_person(person, who) for person in people)
    rows = []
    for item in items:
        entry = web.workspace.entry_for(item.path)
        key = entry.key if entry is not None else ""
        link = record_link(key, item, web.settings.read_only) if key else None
        rows.append({
            "due": item.due.isoformat(), "when": item.when(today), "overdue": item.overdue(today), "kind": item.kind, "fix": item.kind == FIX_FILE,
            "count": item.count_text(), "what": item.plain(), "engagement": item.engagement_title, "engagement_href": engagement_href(key) if key and item.kind != FIX_FILE else (engagement_href(key, "file") if key else None),
            "service": item.service_label if item.service_id else "", "service_date": item.service_date.isoformat() if item.service_id else "",
            "who": " ".join(item.facilitator.split()), "link": link,
        })
    groups = [("To fix first", [r for r in rows if r["fix"]]), ("Overdue", [r for r in rows if r["overdue"] and not r["fix"]]), ("Coming", [r for r in rows if not r["overdue"] and not r["fix"]])]
    return page(request, "week.html.j2", title="This week", who=who, me=session.config.me or "", within=within, people=people, unknown=unknown,
                groups=[(name, group) for name, group in groups if group], count=len(rows), engagements=len([e for e in web.workspace.entries()]))


# --- the engagements ------------------------------------------------------------


@guarded
async def engagements(request):
    web = web_of(request)
    await in_thread(fresh, web)
    today = web.workspace.day
    rows = []
    for entry in web.workspace.entries():
        summary = entry.summary
        overdue = sum(item.size for item in summary.owed if item.overdue(today) and item.kind != FIX_FILE)
        rows.append({
            "key": entry.key, "file": entry.name, "title": summary.title or entry.name, "usable": entry.usable, "facilitator": summary.facilitator,
            "overdue": overdue, "problem": summary.problem.message if summary.problem else "", "line": summary.problem.line if summary.problem else None,
            "href": engagement_href(entry.key) if entry.usable else engagement_href(entry.key, "file"),
        })
    rows.sort(key=lambda row: (row["usable"], row["title"].casefold(), row["file"]))
    return page(request, "engagements.html.j2", title="Engagements", rows=rows, folder=web.workspace.new_engagement_folder())


def part_spans(document) -> list[tuple[tuple, int, int]]:
    """The parts of an engagement file a page shows apart, each with its first and
    last line: each service (by id), each planning element, intensive TA."""
    from tacli.write.yaml_surgery import child

    def last_line(node) -> int:
        while node.id != "scalar" and node.flow_style is not True and node.value:
            last = node.value[-1]
            node = last[1] if isinstance(last, tuple) else last
        mark = node.end_mark
        return mark.line + 1 if mark.column > 0 else mark.line

    spans = []
    root = document.root
    _, services = child(root, "services")
    if services is not None and services.id == "sequence":
        for item in services.value:
            _, id_node = child(item, "id")
            if id_node is not None and id_node.id == "scalar":
                spans.append((("service", id_node.value), item.start_mark.line + 1, last_line(item)))
    _, plan = child(root, "plan")
    if plan is not None and plan.id == "mapping":
        for key, value in plan.value:
            if key.id == "scalar":
                spans.append((("element", key.value), key.start_mark.line + 1, last_line(value)))
    key, intensive = child(root, "intensive")
    if key is not None:
        spans.append((("intensive",), key.start_mark.line + 1, last_line(intensive)))
    return spans


def findings_by_part(document, findings) -> dict[tuple, list]:
    """Each finding under the part of the file it is about (part_spans), the rest under ("engagement",)."""
    spans = part_spans(document)
    parts: dict[tuple, list] = {}
    for item in findings:
        part = next((name for name, first, last in spans if first <= item.line <= last), ("engagement",))
        parts.setdefault(part, []).append(item)
    return parts


def finding_view(item) -> dict:
    return {"line": item.line, "column": item.column, "rule": item.rule, "level": item.level.value, "message": item.message}


def checked(web, entry):
    """The file read again with its nodes, and what `tacli check` finds in it (the
    configuration's select, ignore and levels applied)."""
    from tacli.checking.checker import Checker
    from tacli.reading.pipeline import read_target

    session = web.session()
    checker = Checker(session.spec, web.workspace.day or session.today)
    result = checker.examine(read_target(entry.target, checker.models))
    found = result.findings
    if session.config.rules is not None:
        found = session.config.rules.apply(found)
    return result, sorted(found, key=lambda f: f.sort_key())


@guarded
async def engagement(request):
    from starlette.responses import RedirectResponse

    from tacli.output.site import engagement_view
    from tacli.output.views.common import Lookups

    web = web_of(request)
    await in_thread(fresh, web)
    entry = entry_of(web, request.path_params["key"])
    if not entry.usable:
        return RedirectResponse(engagement_href(entry.key, "file"), status_code=303)
    result, found = await in_thread(checked, web, entry)
    if not result.usable:  # changed in between: show its problems
        return RedirectResponse(engagement_href(entry.key, "file"), status_code=303)
    spec = web.workspace.spec
    today = web.workspace.day
    view = engagement_view(spec, result, today, Lookups(spec))
    parts = findings_by_part(result.document, found)
    shown_services = {str(row["status"]["id"]) for row in view["services"]}
    shown_elements = {str(element["id"]) for framework in view["plan"]["planning"] for element in framework["elements"]}
    placed = {part for part in parts if (part[0] == "service" and part[1] in shown_services) or (part[0] == "element" and part[1] in shown_elements) or (part == ("intensive",) and view["plan"]["intensive"])}
    general = [item for part, items in parts.items() if part not in placed for item in items]
    engagement_model = result.engagement
    steps = []
    for step in view["next"]:
        link = None
        for item in entry.summary.owed:
            if item.command == step["command"]:
                link = record_link(entry.key, item, web.settings.read_only)
                break
        steps.append(link)
    return page(request, "engagement_page.html.j2", title=engagement_model.title, entry=entry, key=entry.key, **view,
                findings={f"{part[0]}:{part[1]}" if len(part) > 1 else part[0]: [finding_view(item) for item in items] for part, items in parts.items()},
                general=[finding_view(item) for item in general], counts=_counts(found), links=steps,
                has_plan=bool(view["plan"]["planning"]), has_reports=bool(view["plan"]["reports"]), file=entry.name)


def _counts(found) -> dict:
    return {level: sum(1 for item in found if item.level.value == level) for level in ("error", "warning", "info")}


@guarded
async def printable(request):
    """A service's TAST report or agenda, as the site prints it."""
    from tacli.output.views.agenda import agenda_context
    from tacli.output.views.common import Lookups
    from tacli.output.views.tast import tast_context
    from tacli.domain.frameworks import duty_frameworks

    web = web_of(request)
    await in_thread(fresh, web)
    entry = entry_of(web, request.path_params["key"])
    result = usable_result(web, entry)
    name = request.path_params["page"]
    for kind in ("tast", "agenda"):
        suffix = f"-{kind}.html"
        if name.endswith(suffix):
            service = service_of(result.engagement, name[: -len(suffix)])
            break
    else:
        raise NotFound(f"There is no page '{name}' here.")
    spec, today = web.workspace.spec, web.workspace.day
    if kind == "tast":
        if not duty_frameworks(spec, result.engagement):
            raise NotFound("This engagement's frameworks ask for no report per service.")
        context = tast_context(spec, result, service, today, Lookups(spec))
    else:
        context = agenda_context(spec, result, service, today, Lookups(spec))
    context["root"] = "/"
    return page(request, f"{kind}.html.j2", entry=entry, **context)


@guarded
async def dashboard(request):
    from starlette.responses import HTMLResponse

    web = web_of(request)
    await in_thread(fresh, web)

    def build() -> str:
        from tacli.output.site import left_out_site_view
        from tacli.output.views.common import Lookups
        from tacli.web.render import render

        spec, today = web.workspace.spec, web.workspace.day
        view = web.workspace.dashboard_view(Lookups(spec))
        keys = {}
        for entry in web.workspace.entries():
            if entry.usable:
                keys.setdefault(entry.summary.engagement_id, entry.key)
        for engagement_data in view["engagements"]:  # the site's links lead to its pages; here, to the app's (the embedded data too)
            found = keys.get(engagement_data["id"])
            engagement_data["href"] = engagement_href(found) if found is not None else "/engagements/"
        return render("dashboard.html.j2", **view, left_out=left_out_site_view(web.workspace.left_out()), root="/", today=today.isoformat(),
                      csrf=web.settings.access.csrf, read_only=web.settings.read_only, version=web.workspace.version, live="view", live_key="", live_revision="",
                      notice=None, page_title="Dashboard", path="/dashboard/", duplicates=duplicates_view(web))

    text = await in_thread(web.workspace.cached, "dashboard", build)
    return HTMLResponse(text, headers={"cache-control": "no-store"})


# --- a file: its text, its history ----------------------------------------------


@guarded
async def file_page(request):
    from tacli.io.userfiles import read_limited
    from tacli.web.workspace import file_text

    web = web_of(request)
    await in_thread(fresh, web)
    entry = entry_of(web, request.path_params["key"])
    result, found = await in_thread(checked, web, entry)
    raw = await in_thread(read_limited, entry.target.path)
    text = file_text(raw)[0]
    by_line: dict[int, list] = {}
    for item in found:
        by_line.setdefault(item.line, []).append(finding_view(item))
    lines = [{"number": n, "text": line, "findings": by_line.get(n, [])} for n, line in enumerate(text.splitlines() or [""], 1)]
    return page(request, "file.html.j2", title=f"{entry.summary.title or entry.name}: the file", entry=entry, key=entry.key, file=entry.name,
                title_text=entry.summary.title or entry.name, usable=result.usable, lines=lines, findings=[finding_view(item) for item in found], counts=_counts(found))


@guarded
async def history(request):
    from pathlib import Path

    from tacli.write.git import GitError, git_program, history as log, repository_of, uncommitted

    web = web_of(request)
    await in_thread(fresh, web)
    entry = entry_of(web, request.path_params["key"])
    path = Path(entry.name)
    repository, changes, commits, problem = None, None, [], None
    if git_program() is None:
        problem = "git is not installed, so there is no history to show: install git (https://git-scm.com) to keep one."
    else:
        try:
            repository = await in_thread(repository_of, path)
            if repository is None:
                problem = "This file is not in a git repository, so there is no history to show (tacli init makes one; so does git init)."
            else:
                changes = await in_thread(uncommitted, path)
                commits = await in_thread(log, path, 10)
        except GitError as exc:
            problem = str(exc)
    diff = [{"text": line, "kind": "add" if line.startswith("+") and not line.startswith("+++") else "remove" if line.startswith("-") and not line.startswith("---") else "head" if line.startswith("@@") else ""} for line in (changes or "").splitlines()]
    return page(request, "history.html.j2", title=f"{entry.summary.title or entry.name}: history", entry=entry, key=entry.key, file=entry.name, title_text=entry.summary.title or entry.name,
                problem=problem, diff=diff, clean=changes == "", commits=[c.__dict__ for c in commits], committing=web.commit())


# --- exports ---------------------------------------------------------------------------

EXPORT_TABLES = ("engagements", "services", "duties", "findings")
EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "json": "application/json"}


@guarded
async def exports(request):
    from tacli.output.export_formats import XLSX_INSTALL, xlsx_available

    web = web_of(request)
    await in_thread(fresh, web)
    return page(request, "exports.html.j2", title="Exports", tables=EXPORT_TABLES, xlsx=xlsx_available(), xlsx_install=XLSX_INSTALL)


@guarded
async def export_file(request):
    from starlette.responses import Response

    from tacli.commands.export import ExportOptions, run
    from tacli.io.writer import encoded

    web = web_of(request)
    name = request.path_params["name"]
    table, _, kind = name.rpartition(".")
    if table not in EXPORT_TABLES or kind not in EXPORT_TYPES:
        raise NotFound(f"There is no export '{name}': the tables are {', '.join(EXPORT_TABLES)}, as .csv, .xlsx or .json.")
    await in_thread(fresh, web)
    outcome = await in_thread(run, ExportOptions(web.settings.common, tuple(web.workspace.paths), table, kind, bom=kind == "csv"))
    data = b"".join(encoded(outcome.text))  # a Streamed CSV or JSON, read whole for the response
    filename = f"tacli-{table}-{web.workspace.day.isoformat()}.{kind}"
    return Response(data, media_type=EXPORT_TYPES[kind], headers={"content-disposition": f'attachment; filename="{filename}"', "cache-control": "no-store"})


# --- the app's own files ----------------------------------------------------------------

ASSETS = {  # name in the address -> (folder, file, type)
    "site.css": ("site", "site.css", "text/css; charset=utf-8"),
    "site.js": ("site", "site.js", "text/javascript; charset=utf-8"),
    "chart.umd.min.js": ("site", "chart.umd.min.js", "text/javascript; charset=utf-8"),
    "chart.js-LICENSE.txt": ("site", "chart.js-LICENSE.md", "text/plain; charset=utf-8"),
    "htmx.min.js": ("web", "htmx.min.js", "text/javascript; charset=utf-8"),
    "htmx-LICENSE.txt": ("web", "htmx-LICENSE.txt", "text/plain; charset=utf-8"),
    "serve.js": ("web", "serve.js", "text/javascript; charset=utf-8"),
    "serve.css": ("web", "serve.css", "text/css; charset=utf-8"),
}


async def asset(request):
    from pathlib import Path

    from starlette.responses import Response

    from tacli.web.render import assets_folder

    found = ASSETS.get(request.path_params["name"])
    if found is None:
        return Response("not found", status_code=404, media_type="text/plain")
    folder, name, kind = found
    base = Path(__file__).parents[1] / "output" / "site_assets" if folder == "site" else assets_folder()
    return Response((base / name).read_bytes(), media_type=kind, headers={"cache-control": "no-cache"})


# --- changes on disk -------------------------------------------------------------------


async def changes(request):
    """The long poll every shown page keeps open (serve.js; a hidden tab's is
    aborted, so that tabs never hold every connection a browser allows): answered
    as soon as a file changes (a view page reloads: HX-Refresh; a form's page is
    told that its file changed, and keeps what was typed), else after
    LONG_POLL_SECONDS with the same element, which asks again; ended when the
    browser is gone."""
    from starlette.responses import HTMLResponse, Response

    from tacli.web.render import render

    web = web_of(request)
    params = request.query_params
    try:
        since = int(params.get("since", "0"))
    except ValueError:
        since = -1
    kind = params.get("live", "view")
    key, revision = params.get("key", ""), params.get("revision", "")
    started = time.monotonic()
    last_look = started - 1.0  # without notifications, a look at the files at once
    last_asked = started
    while True:
        if web.stopping.is_set():
            return Response(status_code=204)
        now = time.monotonic()
        if not web.watching and now - last_look >= 1.0:  # no notifications from the system: look at the files
            last_look = now
            await in_thread(fresh, web)
        if kind == "form" and key:
            entry = web.workspace.entry(key) or web.workspace.moved(key)
            if entry is None or entry.revision != revision:
                return HTMLResponse(render("_changed.html.j2", gone=entry is None))
        elif kind != "form" and web.workspace.version != since:
            return Response(status_code=200, headers={"HX-Refresh": "true", "cache-control": "no-store"})
        if now - last_asked >= 1.0:  # a tab closed or hidden (serve.js aborts its poll): nothing to wait for
            last_asked = now
            if await request.is_disconnected():
                return Response(status_code=204)
        if now - started >= LONG_POLL_SECONDS:
            return HTMLResponse(render("_live.html.j2", version=web.workspace.version if kind != "form" else since, live=kind, live_key=key, live_revision=revision), headers={"cache-control": "no-store"})
        await asyncio.sleep(POLL_STEP)


def routes(read_only: bool) -> list:
    from starlette.routing import Route

    return [
        Route("/", week),
        Route("/dashboard/", dashboard),
        Route("/engagements/", engagements),
        Route("/engagements/{key}/", engagement),
        Route("/engagements/{key}/index.html", engagement),
        Route("/engagements/{key}/file/", file_page),
        Route("/engagements/{key}/history/", history),
        Route("/engagements/{key}/{page:str}", printable),
        Route("/exports/", exports),
        Route("/exports/{name}", export_file),
        Route("/assets/{name}", asset),
        Route("/changes", changes),
    ]

