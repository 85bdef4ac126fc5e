"""The forms of `tacli serve`: each a page that shows what it edits and saves
through the command that makes the same change on the command line.

| form | saves with | as the command line |
| --- | --- | --- |
| a service's duties | commands.edits.mark | tacli mark FILE IDS... / --stage S --done, --na, --open |
| a service's TAST report | commands.tast.run | tacli tast FILE --service S --add ... --complete |
| a new service | commands.edits.new_service | tacli new service FILE --date --type ... |
| a new engagement | commands.new.run | tacli new engagement TITLE ... |
| the plan | commands.edits.plan | (no command: the plan is written in the file) |
| the file itself | commands.edits.save_text | (an editor) |

Every form carries the CSRF value and the digest of the file as the page
showed it: a save is refused, and what was typed kept, when the file changed
since (tacli.write.edit.ChangedOnDisk). As the user types, the form is sent
with `?check=1`, a dry run of the same command, and the page shows what the
command would say. A refusal is the command's own message, with its option
names said as the form's fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import parse_qsl

from tacli.web.pages import BadRequest, NotFound, engagement_href, entry_of, followed, guarded, in_thread, page, service_of, web_of

MAX_FIELDS = 4000  # a plan with many people, a checklist of every duty
MAX_FIELD = 100_000  # characters of a field, the file's text aside
MAX_TEXT = 5 * 2**20  # characters of a file's text: what tacli reads (io.userfiles)


class Forbidden(Exception):
    """A POST that no page of this server sent (no CSRF value, or another)."""


class Form:
    """A submitted form: its fields, each given once unless it is a list."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self.pairs = pairs
        self.kept: list[dict] = []  # the readings chosen of days that read two ways (picked)
        self.values: dict[str, list[str]] = {}
        for name, value in pairs:
            self.values.setdefault(name, []).append(value)

    def one(self, name: str, default: str = "") -> str:
        found = self.values.get(name)
        if not found:
            return default
        if len(found) > 1:
            raise BadRequest(f"the field '{name}' was sent {len(found)} times: send the form from its page")
        return found[0]

    def many(self, name: str) -> list[str]:
        return list(self.values.get(name, []))

    def lines(self, name: str) -> list[str]:
        """A text area of one entry a line: its lines, stripped, blank ones left out."""
        return [line.strip() for line in self.one(name).splitlines() if line.strip()]


async def read_form(request) -> Form:
    """The form of a POST: URL-encoded UTF-8 (anything else is a 400 that says
    so), at most MAX_FIELDS fields, with this server's CSRF value."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise BadRequest("a form of this app is sent URL-encoded (application/x-www-form-urlencoded): send it from its page")
    body = await request.body()
    if request.scope.get("tacli.too_large"):
        raise TooLarge()
    try:
        pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        raise BadRequest("the form's data is not URL-encoded UTF-8 text: send it from its page") from None
    except ValueError as exc:
        raise BadRequest(f"the form cannot be read: {exc}") from None
    for name, value in pairs:
        if len(value) > (MAX_TEXT if name == "text" else MAX_FIELD):
            raise BadRequest(f"the field '{name[:40]}' is longer than this form takes ({MAX_TEXT if name == 'text' else MAX_FIELD} characters)")
    form = Form(pairs)
    if not web_of(request).settings.access.csrf_ok(form.one("csrf") or None):
        raise Forbidden()
    return form


class TooLarge(Exception):
    """The form's body went over the server's bound (security.MAX_BODY)."""


def form_handler(endpoint):
    """A form's handler, with the answers to a request that is not a form of this server's."""
    from starlette.responses import HTMLResponse

    from tacli.web.pages import problem_page

    @guarded
    async def handler(request):
        try:
            return await endpoint(request)
        except NotFound as exc:  # the file went while the form was open: what was typed is given back, to copy
            if request.method != "POST":
                raise
            return problem_page(request, 404, "Not found", f"{exc} Nothing was saved; what you sent is below, to copy.", sent=await _sent(request))
        except Forbidden:
            return problem_page(request, 403, "Refused", "This form did not come from this server's page (its CSRF value is missing or wrong): nothing was saved. Open the page again and send it from there.")
        except TooLarge:
            return HTMLResponse("Too large: a form sends at most 12 MB.", status_code=413)

    handler.__name__ = endpoint.__name__
    return handler


async def _sent(request) -> str:
    """What a form sent, as its user typed it: the file's text, else each field
    filled in, one a line (not the page's own hidden values)."""
    try:
        pairs = parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=False, max_num_fields=MAX_FIELDS)
    except ValueError:
        return ""
    typed = [(name, value) for name, value in pairs if name not in ("csrf", "expected", "replace") and not name.startswith("was-")]
    text = next((value for name, value in typed if name == "text"), None)
    return text if text is not None else "\n".join(f"{name}: {value}" for name, value in typed)


# --- what a save does and says ------------------------------------------------------


@dataclass
class Attempt:
    """What came of running a command for a form: its outcome, or why it refused."""

    outcome: Any = None
    message: Optional[str] = None
    status: int = 200
    readings: list = field(default_factory=list)  # (ISO day, words) of a day that reads two ways
    field_name: str = ""  # the field those readings are for
    findings: list = field(default_factory=list)  # an invalid file's findings (the file's own form)
    stale: bool = False
    kept: list = field(default_factory=list)  # the choices made of days that read two ways, shown again (Form.kept)
    changed_duties: list = field(default_factory=list)  # duties someone else recorded since the checklist was shown (not written)

    @property
    def ok(self) -> bool:
        return self.message is None


WORDS = {  # the command line's option names as each form names its fields
    "--date": "the date", "--evidence": "the evidence", "--na": "the reason", "--stage": "the stage", "--role": "the role",
    "--type": "the support type", "--mode": "the mode", "--hours": "the hours", "--id": "the service id", "--topics": "the topics",
    "--title": "the title", "--start": "the start date", "--end": "the end date", "--recipient": "the recipient", "--organization": "the organization",
    "--facilitator": "the facilitator", "--tier": "the tier", "--partner": "the partner", "--recipient-kind": "the recipient kind",
    "--complete": "Complete", "--service": "the service", "--output": "the file name", "TITLE": "the title",
}


def in_form_words(message: str, fields: Optional[dict] = None, spec=None) -> str:
    """A command's message with its option names said as the form's fields, the
    standards' ids as their words (`spec`), and the commands it suggests left to
    the pages (a message says what to do here)."""
    words = {**WORDS, **(fields or {})}
    message = message.replace("choose another title, --id or --output, or overwrite it with --force", "choose another title or id (the form never writes over a file that is there)")
    message = message.replace("with --id, as in --id ", "in the Id field, as ")
    message = message.replace("give the engagement another with --id", "give the engagement another id").replace("another title, or an id with --id", "another title, or an id")
    if spec is not None:
        message = in_standard_words(message, spec)
    message = re.sub(r"(?<![\w-])(--[a-z-]+|TITLE)\b", lambda m: words.get(m.group(1), m.group(1)), message)
    message = re.sub(r" \((?:tacli tast|write it first: tacli tast) [^)]*\)", " (on its report page)", message)
    message = re.sub(r"\(tacli tast [^)]*\)", "(on its report page)", message)
    message = message.replace("(in this command too)", "(in this form too)").replace("give them on the command line (no terminal to ask in)", "fill them in")
    message = message.replace("run the command again", "open the page again")
    first = message.split(" ", 1)[0]
    if "/" in first or "\\" in first or first.endswith((".yaml", ".yml", ".yaml:", ".yml:")):  # a file's name, as it is written
        return message
    return message[:1].upper() + message[1:]


def in_standard_words(message: str, spec) -> str:
    """A message with each duty id as the duty's words, and each stage id before
    "duties" as the stage's title: a page says “Analyze feedback for future use”,
    not follow-up.facilitator.analyze-feedback."""
    def duty(match) -> str:
        found = spec.duty_by_id.get(match.group(1))
        return f"“{found.text}”" if found is not None else match.group(0)

    message = re.sub(r"(?<![\w.-])([a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9-]*)(?: \(\"[^\"]*\"\))?(?![\w-])", duty, message)
    stages = "|".join(re.escape(stage) for stage in sorted(spec.stage_by_id, key=len, reverse=True))
    if stages:
        message = re.sub(rf"(?<![\w-])({stages})(?= duties| / )", lambda m: spec.stage_by_id[m.group(1)].title, message)
    return message


def attempt(run: Callable, options, fields: Optional[dict] = None) -> Attempt:
    """Run a command's core for a form; its refusal as the form shows it."""
    from tacli.core.dates import AmbiguousDay
    from tacli.core.findings import FindingsError
    from tacli.commands.edits import DutiesChanged
    from tacli.core.outcome import UsageError
    from tacli.write.edit import ChangedOnDisk, InvalidEdit

    try:
        return Attempt(outcome=run(options))
    except AmbiguousDay as exc:
        name = next((key for key, value in vars(options).items() if value == exc.value and isinstance(value, str)), "")
        return Attempt(message=in_form_words(str(exc), fields), status=422, readings=[(day.isoformat(), words) for day, words in exc.readings], field_name=name)
    except ChangedOnDisk:
        return Attempt(message="The file changed on disk since this page was opened (in an editor, by git pull, or by tacli in a terminal): nothing was saved. "
                               "What you typed is kept below, and the page shows the file as it is now: look it over, then save again.", status=409, stale=True)
    except InvalidEdit as exc:
        from tacli.web.pages import finding_view

        return Attempt(message=in_form_words(str(exc), fields, spec_of(options)), status=422, findings=[finding_view(item) for item in exc.findings])
    except FindingsError as exc:
        return Attempt(message=f"{exc.summary}: {'; '.join(f.message for f in exc.findings[:3])}", status=500)
    except DutiesChanged as exc:
        return Attempt(message=in_form_words("; ".join(str(part) for part in exc.args), fields, spec_of(options)) + ". They are unticked below, as they are now: tick them again to record them over that, or record the others.",
                       status=409, changed_duties=list(exc.changed))
    except UsageError as exc:
        return Attempt(message=in_form_words(str(exc), fields, spec_of(options)), status=422)


def spec_of(options):
    """The standards the command ran with (loaded once a process), for a message's words."""
    from tacli.commands import Session

    common = getattr(options, "common", None)
    try:
        return Session(common).spec if common is not None else None
    except Exception:  # noqa: BLE001 - the message said with ids is still the message
        return None


def expected_of(form: Form) -> str:
    """The digest of the file as the form's page showed it: a form that does not
    carry it could write over a change it never showed, so it is refused."""
    expected = form.one("expected").strip()
    if not re.fullmatch(r"[0-9a-f]{64}", expected):
        raise BadRequest("the form does not say which version of the file it was made from (its 'expected' field): nothing was saved. Open the page again and send it from there")
    return expected


def picked(form: Form, name: str, today) -> str:
    """A day field as typed, or the reading chosen of one that reads two ways (a
    choice of a day typed since, which no longer reads that way, counts for
    nothing). The choice is kept in `form.kept`, for the page to show again:
    the live check that follows a choice must not take its buttons away."""
    from tacli.core.dates import AmbiguousDay, parse_day
    from tacli.core.outcome import UsageError

    typed = form.one(name).strip()
    choice = form.one(f"pick-{name}")
    if not typed or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", choice):
        return typed
    try:
        parse_day(typed, name, today)
    except AmbiguousDay as exc:
        readings = [(day.isoformat(), words) for day, words in exc.readings]
        if not any(kept["name"] == name for kept in form.kept):
            form.kept.append({"name": name, "readings": readings, "chosen": choice, "typed": typed})
        return choice
    except UsageError:
        pass
    return typed


def kept(result: "Attempt", form: Form) -> "Attempt":
    """`result` with the choices of `form`'s days that read two ways, to show again."""
    result.kept = [choice for choice in form.kept if not (result.readings and result.field_name == choice["name"])]
    return result


def committed(web, entry_name: str, message: str) -> str:
    """Commit the file saved when the server commits (--commit, `commit` in
    tacli.toml); what to add to the notice."""
    if not web.commit():
        return ""
    from tacli.write.git import GitError, commit_file

    try:
        commit = commit_file(Path(entry_name), message)
    except GitError as exc:
        return f" Not committed: {exc}."
    return f" Committed as {commit}: “{message}”."


async def saved(request, entry_name: str, notice: str, commit_message: str, to: str):
    """After a save: the workspace read again, the commit, and the page to go on to (303)."""
    from starlette.responses import RedirectResponse

    web = web_of(request)
    notice += await in_thread(committed, web, entry_name, commit_message)
    await in_thread(web.workspace.refresh)
    key = web.say(notice)
    to, mark, fragment = followed(web, to).partition("#")
    return RedirectResponse(f"{to}{'&' if '?' in to else '?'}said={key}{mark}{fragment}", status_code=303)


def check_answer(request, result: Attempt, ready: str = "Ready to save: nothing is written until you press the button.", file_href: str = ""):
    """The answer to `?check=1`: what the command would say, as the form shows it under its buttons."""
    from starlette.responses import HTMLResponse

    from tacli.web.render import render

    return HTMLResponse(render("_check.html.j2", result=result, ready=ready, file_href=file_href), headers={"cache-control": "no-store"})


@dataclass
class Snapshot:
    """A file as a form shows it: its bytes' digest, its text, and what they read as."""

    raw: bytes
    digest: str
    text: str
    result: Any  # reading.pipeline.FileResult
    encoding: str = "UTF-8"  # what the bytes were read as (web.workspace.file_text)


def snapshot(web, entry) -> Snapshot:
    from tacli.io.userfiles import read_limited
    from tacli.io.yamlsource import YamlError, load_bytes
    from tacli.reading.pipeline import FileResult
    from tacli.checking.checker import Checker
    from tacli.web.workspace import file_text
    from tacli.write.edit import digest

    raw = read_limited(entry.target.path)
    text, encoding = file_text(raw)
    checker = Checker(web.workspace.spec, web.workspace.day)
    try:
        result = checker.read_document(load_bytes(raw, entry.name))
    except YamlError as exc:
        result = FileResult(entry.name, [exc.finding])
    shown = digest(raw)
    web.remember(shown, text)
    return Snapshot(raw, shown, text, result, encoding)


def usable_snapshot(web, entry) -> Snapshot:
    shot = snapshot(web, entry)
    if not shot.result.usable:
        raise NotFound(f"{entry.name} is not a valid engagement now: open its file page to see what to fix, then come back.")
    return shot


def what_changed(web, expected: str, now: str) -> list[dict]:
    """The lines that changed between the file as the form showed it and as it is now."""
    import difflib

    before = web.shown(expected)
    if before is None:
        return []
    lines = []
    for line in list(difflib.unified_diff(before.splitlines(), now.splitlines(), "as the form showed it", "as it is now", lineterm="", n=1))[:200]:
        kind = "add" if line.startswith("+") and not line.startswith("+++") else "remove" if line.startswith("-") and not line.startswith("---") else "head" if line.startswith("@@") else ""
        lines.append({"text": line, "kind": kind})
    return lines


# --- a service's duties ------------------------------------------------------------------


def service_label(spec, service) -> str:
    """A service as a page names it (output.views.common.service_label)."""
    from tacli.output.views.common import Lookups, service_label as label

    return str(label(service, Lookups(spec)))


def _service_facts(spec, service) -> dict:
    """A service as the forms' pages name it: its id, day and label."""
    return {"id": service.id, "date": service.date.isoformat(), "label": service_label(spec, service)}


def duties_view(web, entry, service_id: str, state: Optional[dict] = None) -> dict:
    from tacli.domain.duties import dated_by_service, duty_record, duty_state
    from tacli.domain.reports import report_written, service_report
    from tacli.output.views.tast import checklist

    shot = usable_snapshot(web, entry)
    spec = web.workspace.spec
    engagement = shot.result.engagement
    service = service_of(engagement, service_id)
    report = service_report(spec, engagement)
    stages = checklist(spec, engagement, service)
    for stage in stages:  # a date left empty: what `tacli mark` dates it (the day of a past service for Planning and Delivery)
        by_service = dated_by_service(spec.stage_by_id[str(stage["id"])], service, web.workspace.day)
        stage["empty_date"] = f"{by_service.isoformat()} (the day of the service)" if by_service is not None else "today"
        for role in stage["roles"]:
            for duty in role["duties"]:
                duty["conditional"] = spec.duty_by_id[str(duty["id"])].condition is not None
                duty["seen"] = duty_state(duty_record(service, str(duty["id"])))  # sent back: a duty changed meanwhile is not overwritten
                duty["report"] = report is not None and report.duty == str(duty["id"])
    return {
        "key": entry.key, "file": entry.name, "engagement_title": engagement.title, "service": _service_facts(spec, service),
        "stages": stages, "expected": shot.digest, "state": state or {}, "today": web.workspace.day.isoformat(),
        "report": {"title": report.title, "written": report_written(report, service), "href": engagement_href(entry.key, "services", service.id, "report")} if report else None,
    }


@form_handler
async def duties(request):
    from tacli.commands.edits import MarkOptions, mark, open_duties
    from tacli.domain.duties import may_not_apply

    web = web_of(request)
    await in_thread(web.workspace.refresh)
    entry = entry_of(web, request.path_params["key"])
    service_id = request.path_params["service"]
    if request.method != "POST":
        view = await in_thread(duties_view, web, entry, service_id)
        return page(request, "duties.html.j2", title=f"Duties: {view['service']['label']}", live="form", entry=entry, focus=request.query_params.get("stage", ""), **view)
    form = await read_form(request)
    spec = web.workspace.spec
    stage = form.one("stage")
    if stage not in spec.stage_by_id:
        raise BadRequest("the form names no stage of the standards: send it from its page")
    action = form.one("action", "done")
    if action not in ("done", "na", "open"):
        raise BadRequest("the action is done, na or open")
    scope = form.one("scope", "ticked")
    ticked = [duty for duty in form.many("duty") if duty]
    for duty in ticked:
        if duty not in spec.duty_by_id:
            raise BadRequest(f"'{duty[:60]}' is not a duty of the standards: send the form from its page")
    seen = {name[len("seen-"):]: value for name, value in form.pairs if name.startswith("seen-") and name[len("seen-"):] in spec.duty_by_id}
    state = {stage: {"ticked": ticked, "action": action, "date": picked(form, "date", web.workspace.day), "evidence": form.one("evidence"), "reason": form.one("reason"),
                     "seen": {duty: seen[duty] for duty in ticked if duty in seen}}}  # a ticked duty keeps its record as first shown, until the user saw it change
    options = MarkOptions(
        web.settings.common, entry.name, tuple(ticked) if scope != "stage" else (), service_id, stage if scope == "stage" else None, None,
        done=action == "done", date=(picked(form, "date", web.workspace.day) or None) if action == "done" else None, evidence=(form.one("evidence").strip() or None) if action == "done" else None,
        na=form.one("reason").strip() if action == "na" else None, reopen=action == "open", expected=expected_of(form), dry_run="check" in request.query_params,
        seen=tuple(seen.items()),
    )
    result = None
    if scope != "stage" and not ticked:
        result = Attempt(message="Tick the duties to record, or use the button that records the whole stage.", status=422)
    elif action == "na" and not options.na:
        result = Attempt(message="Say why they do not apply: the reason is kept in the file.", status=422)
    elif action == "na":
        def unconditional() -> list:
            shot = usable_snapshot(web, entry)
            engagement = shot.result.engagement
            chosen = [spec.duty_by_id[d] for d in ticked] if scope != "stage" else open_duties(spec, engagement, service_of(engagement, service_id), stage)
            return [duty for duty in chosen if not may_not_apply(duty)]

        refused = await in_thread(unconditional)
        if refused:
            names = "; ".join(f"“{duty.text}” ({spec.stage_by_id[duty.stage].title}, {spec.role_by_id[duty.role].title if duty.role in spec.role_by_id else duty.role} {duty.number})" for duty in refused[:4])
            result = Attempt(message=f"Not applicable is for the duties the standards make conditional, and {'these are' if len(refused) > 1 else 'this one is'} not: {names}"
                                     f"{' and more' if len(refused) > 4 else ''}. They apply to every service: do them and mark them done. If one truly did not apply, say why in the file itself (tacli check will warn of it).", status=422)
    if result is None:
        result = await in_thread(attempt, mark, options)
    kept(result, form)
    if "check" in request.query_params:
        return check_answer(request, result)
    if not result.ok:
        if result.changed_duties:  # shown as they are now, unticked: recording over them is the user's choice, made seeing them
            state[stage] = {**state[stage], "ticked": [duty for duty in ticked if duty not in result.changed_duties], "seen": {}}
        view = await in_thread(duties_view, web, entry, service_id, {stage: {**state[stage], "result": result}})
        changed = await in_thread(what_changed, web, options.expected or "", (await in_thread(snapshot, web, entry)).text) if result.stale else []
        return page(request, "duties.html.j2", result.status, title=f"Duties: {view['service']['label']}", live="form", entry=entry, focus=stage, changed=changed, **view)
    text = result.outcome.text
    found = re.match(r"marked (\d+) duties", text)
    count = int(found.group(1)) if found else 1
    stage_title = spec.stage_by_id[stage].title
    things = f"{count} {stage_title} dut{'y' if count == 1 else 'ies'}"
    verb = {"done": "Record", "na": "Mark not applicable", "open": "Open again"}[action]
    said = {"done": f"Recorded {things} as done", "na": f"Marked {things} not applicable", "open": f"Opened {things} again"}[action]
    also = " ".join(_sentence(note.removeprefix("tacli: ").removeprefix("warning: ")) for note in result.outcome.notes)
    if "(and its" in text:
        said += " (and completed its report)" if action == "done" else " (and its report is no longer completed)"
    return await saved(request, entry.name, f"{said}.{' ' + in_form_words(also, None, spec) if also else ''}", f"{verb} {things} for {service_id}",
                       engagement_href(entry.key, "services", service_id, "duties") + f"?stage={stage}")


def _sentence(note: str) -> str:
    """A command's note as a sentence of the page's notice, which says more after it."""
    return note if note.endswith((".", "!", "?", ")")) else note + "."


# --- a service's TAST report ----------------------------------------------------------


def report_view(web, entry, service_id: str, state: Optional[dict] = None) -> dict:
    from tacli.commands.tast import report_of
    from tacli.domain.reports import report_state, report_written
    from tacli.standards.fields import field_value

    shot = usable_snapshot(web, entry)
    spec = web.workspace.spec
    engagement = shot.result.engagement
    service = service_of(engagement, service_id)
    report = report_of(spec, engagement)
    standing = report_state(report, service, web.workspace.day)
    sections = [{"id": section.id, "title": section.title, "entries": [str(e) for e in field_value(service.tast_report, section.id) or []] if service.tast_report is not None else []}
                for section in report.sections]
    return {
        "key": entry.key, "file": entry.name, "engagement_title": engagement.title, "service": _service_facts(spec, service),
        "report": {"title": report.title, "state": standing.state, "due": standing.due.isoformat(), "completed": standing.completed.isoformat() if standing.completed else None,
                   "written": report_written(report, service), "duty": report.duty, "duty_text": spec.duty_by_id[report.duty].text if report.duty in spec.duty_by_id else ""},
        "sections": sections, "expected": shot.digest, "state": state or {}, "printable": engagement_href(entry.key) + f"{service.id}-tast.html",
    }


@form_handler
async def report(request):
    from tacli.commands.tast import TastOptions, run

    web = web_of(request)
    await in_thread(web.workspace.refresh)
    entry = entry_of(web, request.path_params["key"])
    service_id = request.path_params["service"]
    if request.method != "POST":
        view = await in_thread(report_view, web, entry, service_id)
        return page(request, "report.html.j2", title=f"{view['report']['title']}: {view['service']['label']}", live="form", entry=entry, **view)
    form = await read_form(request)
    view = await in_thread(report_view, web, entry, service_id)
    action = form.one("action", "draft")
    if action not in ("draft", "complete"):
        raise BadRequest("the action is draft or complete")
    entries = tuple((section["id"], line) for section in view["sections"] for line in form.lines(f"section-{section['id']}"))
    complete = action == "complete"
    options = TastOptions(web.settings.common, entry.name, service_id, entries, complete, (picked(form, "date", web.workspace.day) or None) if complete else None,
                          expected=expected_of(form), dry_run="check" in request.query_params)
    if not entries and not complete:
        result = Attempt(message="Write an entry in one of the sections first (one entry a line); or, when the report is written in full, complete it.", status=422)
    else:
        result = await in_thread(attempt, run, options, {"--date": "the day it was completed"})
    kept(result, form)
    if "check" in request.query_params:
        return check_answer(request, result)
    state = {"sections": {section["id"]: form.one(f"section-{section['id']}") for section in view["sections"]}, "date": picked(form, "date", web.workspace.day), "action": action, "result": result}
    if not result.ok:
        view = await in_thread(report_view, web, entry, service_id, state)
        changed = await in_thread(what_changed, web, options.expected or "", (await in_thread(snapshot, web, entry)).text) if result.stale else []
        return page(request, "report.html.j2", result.status, title=f"{view['report']['title']}: {view['service']['label']}", live="form", entry=entry, changed=changed, **view)
    title = view["report"]["title"]
    count = len(entries)
    parts = []
    if count:
        parts.append(f"Saved {count} entr{'y' if count == 1 else 'ies'} in the {title}")
    if complete:
        parts.append(f"Completed the {title} and marked its duty done")
    message = f"Complete the {title} of {service_id}" if complete else f"Write {count} entr{'y' if count == 1 else 'ies'} of the {title} of {service_id}"
    return await saved(request, entry.name, "; ".join(parts) + ".", message, engagement_href(entry.key, "services", service_id, "report"))


# --- a new service -----------------------------------------------------------------------------


def service_view(web, entry, state: Optional[dict] = None) -> dict:
    from tacli.commands.edits import listed_items
    from tacli.output.views.common import Lookups
    from tacli.standards.vocabulary import DELIVERY_MODES

    shot = usable_snapshot(web, entry)
    spec = web.workspace.spec
    engagement = shot.result.engagement
    lookups = Lookups(spec)

    def labelled(ids, table) -> list:
        return [{"id": item, "title": getattr(table.get(item), "label", None) or getattr(table.get(item), "title", None) or item} for item in ids]

    return {
        "key": entry.key, "file": entry.name, "engagement_title": engagement.title, "expected": shot.digest,
        "start": engagement.start.isoformat(), "end": engagement.end.isoformat() if engagement.end else None,
        "types": labelled(listed_items(spec, engagement, "support_types"), lookups.support_types),
        "topics": labelled(listed_items(spec, engagement, "topics"), lookups.topics), "modes": list(DELIVERY_MODES),
        "state": state or {"mode": DELIVERY_MODES[0], "topics": []},
    }


@form_handler
async def new_service(request):
    from tacli.commands.edits import NewServiceOptions, new_service as add

    web = web_of(request)
    await in_thread(web.workspace.refresh)
    entry = entry_of(web, request.path_params["key"])
    if request.method != "POST":
        view = await in_thread(service_view, web, entry)
        return page(request, "service.html.j2", title=f"A new service: {view['engagement_title']}", live="form", entry=entry, **view)
    form = await read_form(request)
    state = {name: form.one(name) for name in ("date", "type", "mode", "hours", "title", "id")}
    state["date"] = picked(form, "date", web.workspace.day)
    state["topics"] = [topic for topic in form.many("topics") if topic]
    options = NewServiceOptions(web.settings.common, entry.name, state["date"] or None, state["type"] or None, state["hours"].strip() or None, state["mode"] or None,
                                state["id"].strip() or None, state["title"].strip() or None, ",".join(state["topics"]) or None,
                                expected=expected_of(form), dry_run="check" in request.query_params)
    if not options.date or not options.type:
        missing = " and ".join(name for name, value in (("the date (today, yesterday, 17 November 2026 ...)", options.date), ("the support type", options.type)) if not value)
        result = Attempt(message=f"Give {missing}.", status=422)
    else:
        result = await in_thread(attempt, add, options)
    kept(result, form)
    if "check" in request.query_params:
        return check_answer(request, result)
    if not result.ok:
        view = await in_thread(service_view, web, entry, {**state, "result": result})
        changed = await in_thread(what_changed, web, options.expected or "", (await in_thread(snapshot, web, entry)).text) if result.stale else []
        return page(request, "service.html.j2", result.status, title=f"A new service: {view['engagement_title']}", live="form", entry=entry, changed=changed, **view)
    found = re.match(r"added service (\S+) to", result.outcome.text)
    new_id = found.group(1) if found else ""
    to = engagement_href(entry.key, "services", new_id, "duties") if new_id and "tacli mark" in result.outcome.text else engagement_href(entry.key)
    return await saved(request, entry.name, f"Added the service {new_id}. Tick its duties here as they are done.", f"Add service {new_id}", to)


# --- a new engagement ---------------------------------------------------------------------


def engagement_form_view(web, state: Optional[dict] = None) -> dict:
    from tacli.output.views.common import Lookups
    from tacli.standards.models import RECIPIENT_KINDS

    spec = web.workspace.spec
    lookups = Lookups(spec)
    tiers = list(dict.fromkeys(spec.tier_aliases.values()))
    session = web.session()
    return {
        "tiers": [{"id": tier, "title": getattr(lookups.tiers.get(tier), "label", None) or tier} for tier in tiers],
        "kinds": list(RECIPIENT_KINDS),
        "partners": [{"id": item, "title": getattr(lookups.partners.get(item), "title", None) or item} for item in spec.ids("partners")],
        "folder": web.workspace.new_engagement_folder(),
        "state": state or {"tier": tiers[0] if tiers else "", "recipient_kind": "school", "facilitator": session.config.me or ""},
    }


@form_handler
async def new_engagement(request):
    from tacli.commands.new import NewEngagementOptions, run
    from tacli.io.yamltext import slug
    from tacli.write.scaffold import EngagementRequest

    web = web_of(request)
    await in_thread(web.workspace.refresh)
    if request.method != "POST":
        view = await in_thread(engagement_form_view, web)
        return page(request, "new_engagement.html.j2", title="A new engagement", live="view", **view)
    form = await read_form(request)
    names = ("title", "id", "tier", "recipient_kind", "recipient", "district", "title_i", "in_need_of_improvement", "organization", "partner", "facilitator", "start", "end")
    state = {name: form.one(name).strip() for name in names}
    state["start"], state["end"] = picked(form, "start", web.workspace.day), picked(form, "end", web.workspace.day)
    folder = web.workspace.new_engagement_folder()
    request_ = EngagementRequest(title=state["title"] or None, id=state["id"] or None, tier=state["tier"] or None, recipient=state["recipient"] or None, recipient_kind=state["recipient_kind"] or None,
                                 organization=state["organization"] or None, partner=state["partner"] or None, facilitator=state["facilitator"] or None,
                                 start=state["start"] or None, end=state["end"] or None, district=state["district"] or None,
                                 title_i={"yes": True, "no": False}.get(state["title_i"]), in_need_of_improvement={"yes": True, "no": False}.get(state["in_need_of_improvement"]))
    options = NewEngagementOptions(web.settings.common, request_, folder, dry_run="check" in request.query_params)
    missing = [label for name, label in (("title", "the title"), ("recipient", "the recipient"), ("organization", "the provider organization"), ("facilitator", "the facilitator")) if not state[name]]
    if folder is None:
        result = Attempt(message="tacli serve was started with files, not a folder: start it with the folder of your engagements to add one here.", status=422)
    elif missing:
        result = Attempt(message=f"Fill in {', '.join(missing[:-1]) + ' and ' + missing[-1] if len(missing) > 1 else missing[0]}.", status=422)
    else:
        result = await in_thread(attempt, run, options, {"--start": "the start date", "--end": "the planned end date", "--output": "the title", "--id": "the id"})
    kept(result, form)
    if "check" in request.query_params:
        return check_answer(request, result, "Ready: nothing is written until you press the button.")
    if not result.ok:
        view = await in_thread(engagement_form_view, web, {**state, "result": result})
        return page(request, "new_engagement.html.j2", result.status, title="A new engagement", **view)
    written = re.match(r"wrote (.+)\n", result.outcome.text)
    name = written.group(1) if written else ""
    await in_thread(web.workspace.refresh)
    entry = web.workspace.entry_for(name) or web.workspace.entry(state["id"] or slug(state["title"]))
    to = engagement_href(entry.key) if entry is not None else "/engagements/"
    return await saved(request, name, f"Started the engagement {state['title']} in {name}. Its plan and its first service come next.", f"Start engagement {state['title']}", to)


# --- the plan --------------------------------------------------------------------------------

PEOPLE_FIELDS = ("name", "title", "role", "responsibilities", "contribution")
BLANK_ROWS = 2


def plan_form_view(web, entry, state: Optional[dict] = None) -> dict:
    from tacli.commands.edits import plan_value
    from tacli.domain.frameworks import element_frameworks
    from tacli.standards.fields import field_value

    shot = usable_snapshot(web, entry)
    spec = web.workspace.spec
    engagement = shot.result.engagement
    frameworks = []
    for framework in element_frameworks(spec, engagement):
        elements = []
        for element in framework.elements:
            current = plan_value(element, field_value(engagement.plan, element.id) if engagement.plan is not None else None)
            value = (state or {}).get(element.id, current)
            view = {"id": element.id, "title": element.title, "definition": element.definition, "kind": element.value, "fields": list(element.fields or []),
                    "was": fingerprint(current), "model": element}
            if element.value == "text":
                view["text"] = value
            elif element.value == "text-list":
                view["text"] = "\n".join(value)
            elif element.value == "record":
                view["texts"] = {name: "\n".join(value.get(name) or []) for name in element.fields}
            else:
                rows = [{**person, "responsibilities": "\n".join(person.get("responsibilities") or []), "role": person.get("role") or "", "title": person.get("title") or "", "contribution": person.get("contribution") or ""} for person in value]
                view["people"] = rows + [dict.fromkeys(PEOPLE_FIELDS, "") for _ in range(BLANK_ROWS)]
            elements.append(view)
        frameworks.append({"id": framework.id, "title": framework.title, "elements": elements})
    roles = [{"id": role.id, "title": role.title} for role in spec.every("roles")]
    return {"key": entry.key, "file": entry.name, "engagement_title": engagement.title, "frameworks": frameworks, "roles": roles, "expected": shot.digest, "state": state or {}}


def fingerprint(value) -> str:
    """An element's value (commands.edits.plan_value) as a short digest: the plan
    form sends it back beside each element, to tell what the user changed."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()[:32]


def plan_values(form: Form, frameworks: list[dict]) -> tuple[tuple, dict]:
    """The elements the user changed, from the form (PlanOptions.elements), and the
    form's state to show again. An element whose fields the form does not carry,
    or whose value is the one the form's page showed (its `was-` fingerprint),
    is left as it is in the file: saving again after someone else changed
    another element never writes the old text over theirs."""
    from tacli.commands.edits import plan_value

    values, state = [], {}
    for framework in frameworks:
        for element in framework["elements"]:
            name = f"el-{element['id']}"
            if not any(key == name or key.startswith(name + "-") for key in form.values):
                continue
            if element["kind"] == "text":
                value = form.one(name).replace("\r\n", "\n").strip()
            elif element["kind"] == "text-list":
                value = tuple(form.lines(name))
            elif element["kind"] == "record":
                value = {field_: tuple(form.lines(f"{name}-{field_}")) for field_ in element["fields"]}
            else:
                people = []
                # the rows the form holds fields of (its `-rows` count is only what the page sent: a
                # number typed into it, unbounded, kept the server busy for ever)
                rows = sorted({int(found.group(1)) for key in form.values if (found := re.fullmatch(rf"{re.escape(name)}-([0-9]{{1,6}})-[a-z_]+", key))})
                for row in rows:
                    person = {key: form.one(f"{name}-{row}-{key}").strip() for key in PEOPLE_FIELDS if key != "responsibilities"}
                    person["responsibilities"] = form.lines(f"{name}-{row}-responsibilities")
                    if not any(person.values()):
                        continue
                    if not person["name"]:
                        raise PersonWithoutName(f"Each person of {element['title']} needs a name (row {row + 1}).")
                    people.append({key: person[key] or None for key in PEOPLE_FIELDS} | {"responsibilities": person["responsibilities"]})
                value = tuple(people)
            if form.one(f"was-{element['id']}") == fingerprint(plan_value(element["model"], value)):
                continue
            values.append((element["id"], value))
            state[element["id"]] = list(value) if isinstance(value, tuple) else ({k: list(v) for k, v in value.items()} if isinstance(value, dict) else value)
    return tuple(values), state


class PersonWithoutName(Exception):
    pass


@form_handler
async def plan(request):
    from tacli.commands.edits import PlanOptions, plan as write_plan

    web = web_of(request)
    await in_thread(web.workspace.refresh)
    entry = entry_of(web, request.path_params["key"])
    if request.method != "POST":
        view = await in_thread(plan_form_view, web, entry)
        return page(request, "plan.html.j2", title=f"The plan: {view['engagement_title']}", live="form", entry=entry, **view)
    form = await read_form(request)
    view = await in_thread(plan_form_view, web, entry)
    try:
        values, state = plan_values(form, view["frameworks"])
        options = PlanOptions(web.settings.common, entry.name, values, expected=expected_of(form), dry_run="check" in request.query_params)
        result = await in_thread(attempt, write_plan, options)
    except PersonWithoutName as exc:
        values, state, options = (), {}, None
        result = Attempt(message=str(exc), status=422)
    if "check" in request.query_params:
        return check_answer(request, result)
    if not result.ok:
        kept = {element_id: value for element_id, value in state.items()}
        view = await in_thread(plan_form_view, web, entry, kept)
        changed = await in_thread(what_changed, web, options.expected or "", (await in_thread(snapshot, web, entry)).text) if result.stale and options else []
        return page(request, "plan.html.j2", result.status, title=f"The plan: {view['engagement_title']}", live="form", entry=entry, result=result, changed=changed, **view)
    found = re.match(r"wrote (.+) in the plan of", result.outcome.text)
    titles = found.group(1) if found else "the plan"
    return await saved(request, entry.name, f"Saved {titles} in the plan.", f"Write {titles} in the plan of {view['key']}", engagement_href(entry.key) + "#" + (view["frameworks"][0]["id"] if view["frameworks"] else ""))


# --- the file itself -------------------------------------------------------------------------------


def text_diff(before: str, after: str, before_name: str, after_name: str) -> list[dict]:
    """The lines that differ between two texts, as the pages show a diff."""
    import difflib

    lines = []
    for line in list(difflib.unified_diff(before.replace("\r\n", "\n").splitlines(), after.replace("\r\n", "\n").splitlines(), before_name, after_name, lineterm="", n=1))[:400]:
        kind = "add" if line.startswith("+") and not line.startswith("+++") else "remove" if line.startswith("-") and not line.startswith("---") else "head" if line.startswith("@@") else ""
        lines.append({"text": line, "kind": kind})
    return lines


@form_handler
async def file_edit(request):
    from tacli.commands.edits import TextOptions, save_text
    from tacli.web.pages import checked, finding_view

    web = web_of(request)
    await in_thread(web.workspace.refresh)
    entry = entry_of(web, request.path_params["key"])
    common = {"entry": entry, "key": entry.key, "file": entry.name, "title_text": entry.summary.title or entry.name, "live": "form", "title": f"Edit the file: {entry.name}"}
    if request.method != "POST":
        shot = await in_thread(snapshot, web, entry)
        _, found = await in_thread(checked, web, entry)
        return page(request, "file_edit.html.j2", text=shot.text, expected=shot.digest, encoding=shot.encoding, findings=[finding_view(f) for f in found], **common)
    form = await read_form(request)
    text = form.one("text")
    expected = expected_of(form)
    now = await in_thread(snapshot, web, entry)
    if now.digest != expected and form.one("replace") != now.digest:
        # The file changed since this text was opened: replacing it would undo that
        # change unseen. Refused, with both changes, until the user confirms.
        result = Attempt(message="The file changed on disk since you opened it (in an editor, by git pull, or by tacli in a terminal): nothing was saved. "
                                 "Saving your text would undo that change. Below: what changed on disk, and how your text differs from the file as it is now. "
                                 "Copy what you need into your text and save, or replace the file with your text anyway.", status=409, stale=True)
        if "check" in request.query_params:
            return check_answer(request, result)
        changed = await in_thread(what_changed, web, expected, now.text)
        yours = text_diff(now.text, text, "the file as it is now", "your text")
        return page(request, "file_edit.html.j2", result.status, text=text, expected=expected, encoding=now.encoding, result=result, changed=changed, yours=yours,
                    replace=now.digest, findings=[], **common)
    options = TextOptions(web.settings.common, entry.name, text, expected=now.digest, dry_run="check" in request.query_params)
    taken = _id_of_another(web, entry, text)
    if taken is not None:
        given, other = taken
        result = Attempt(message=f"The id '{given}' is already the id of {other}: give this engagement its own id (its reports are filed under it). Nothing was saved.", status=422)
    elif text.count("\ufffd") > now.text.count("\ufffd"):
        # U+FFFD stands for characters lost on the way (a file read in the wrong
        # encoding, a paste): saving it would lose them in the file too.
        result = Attempt(message="The text holds the character \ufffd (U+FFFD), which stands for characters lost on the way, where the file has other characters: nothing was saved. "
                                 "Put the right characters in its place, or open the file again.", status=422)
    else:
        result = await in_thread(attempt, save_text, options)
    if "check" in request.query_params:
        return check_answer(request, result, "The text is a valid engagement: nothing is written until you press the button.", "../")
    if not result.ok:
        shot = await in_thread(snapshot, web, entry)
        changed = await in_thread(what_changed, web, now.digest, shot.text) if result.stale else []
        return page(request, "file_edit.html.j2", result.status, text=text, expected=now.digest if not result.stale else expected, encoding=shot.encoding, result=result,
                    changed=changed, findings=result.findings, **common)
    said = f"Saved {entry.name}." + (f" It was {now.encoding} text; it is now UTF-8, which tacli reads." if now.encoding != "UTF-8" else "")
    return await saved(request, entry.name, said, f"Edit {Path(entry.name).name} by hand", engagement_href(entry.key, "file"))


def _id_of_another(web, entry, text: str) -> Optional[tuple[str, str]]:
    """(the id, the file that has it) when `text` gives the engagement an id that
    another served file has, and the file had another: a save would leave two
    files with one id, which `tacli check` refuses (duplicate-id)."""
    from tacli.io.yamlsource import YamlError, load_bytes

    try:
        data = load_bytes(text.encode("utf-8"), entry.name).data
    except (YamlError, UnicodeError):
        return None  # the save says what is wrong with the text
    given = data.get("id") if isinstance(data, dict) else None
    if not isinstance(given, str) or given == entry.summary.engagement_id:
        return None
    other = next((e.name for e in web.workspace.entries() if e.name != entry.name and e.summary.engagement_id == given), None)
    if other is None:  # a served file that does not read now (a merge half done) has its id too
        from tacli.commands.new import engagement_with_id

        other = engagement_with_id(given, web.workspace.folders(), entry.target.path)
    return (given, other) if other is not None else None


def routes() -> list:
    from starlette.routing import Route

    both = ["GET", "POST"]
    return [
        Route("/new/", new_engagement, methods=both),
        Route("/engagements/{key}/services/new/", new_service, methods=both),
        Route("/engagements/{key}/services/{service}/duties/", duties, methods=both),
        Route("/engagements/{key}/services/{service}/report/", report, methods=both),
        Route("/engagements/{key}/plan/", plan, methods=both),
        Route("/engagements/{key}/file/edit/", file_edit, methods=both),
    ]



