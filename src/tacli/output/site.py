"""The static HTML site of `tacli site`: a dashboard for directors, a page per
engagement, and a printable page per TAST report and agenda.

Every page is rendered from the same views as the Markdown reports
(tacli.output.views), the engagement's status from tacli.domain.status and the
portfolio's key figures from tacli.domain.figures, so the site never tells another
story than `tacli report`, `tacli status` or `summary.md`. Links are relative
and the assets (Chart.js, the stylesheet, the filter script) are copied from
the package, so the site works from `file://` and from any static host.

Files are written by tacli.write.output_files, like reports: each ends with a marker
comment (HTML, or CSS/JS), so tacli replaces and prunes only its own files.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional

from tacli.domain.frameworks import duty_frameworks
from tacli.domain.obligations import DUTIES, KIND_NAMES, REVISION
from tacli.reading.pipeline import FileResult
from tacli.write.output_files import Output
from tacli.output.site_layout import (  # noqa: F401 - the site's layout, also imported from here
    _MARKERS, ANNUAL_FOLDER, ANNUAL_INDEX, ASSETS_FOLDER, CODE_MARKER, DASHBOARD, ENGAGEMENTS_FOLDER, HTML_MARKER, SITE_LAYOUT,
    TEXT_MARKER, existing_site_files, site_check_key, site_templates,
)
from tacli.output.site_annual import annual_index_view, annual_page, annual_view, portfolio_part, source_pages, year_figures
from tacli.output.views.agenda import agenda_context
from tacli.output.views.common import Lookups
from tacli.output.views.plan import plan_context
from tacli.output.views.summary import left_out_view
from tacli.output.views.tast import tast_context
from tacli.core import textformat
from tacli.core.collector import paused
from tacli.core.dates import LOOK_AHEAD_DAYS
from tacli.core.textformat import visible

if TYPE_CHECKING:  # pragma: no cover - pydantic's: not imported by a run whose every result is kept
    from tacli.standards.spec import Spec

# Files of the package copied into every site: path in the site -> file in site_assets.
ASSETS = {
    f"{ASSETS_FOLDER}/chart.umd.min.js": "chart.umd.min.js",
    f"{ASSETS_FOLDER}/chart.js-LICENSE.txt": "chart.js-LICENSE.md",
    f"{ASSETS_FOLDER}/site.css": "site.css",
    f"{ASSETS_FOLDER}/site.js": "site.js",
}

# The templates of the pages of every engagement (compile_portfolio_templates).
DASHBOARD_TEMPLATE, ANNUAL_INDEX_TEMPLATE, ANNUAL_TEMPLATE = "dashboard.html.j2", "annual_index.html.j2", "annual.html.j2"
SOURCE_ITEM_TEMPLATE = "_source_item.html.j2"  # a figure's source file, rendered once for every annual page (with_source_items)


def engagement_page(engagement_id: str) -> str:
    return f"{ENGAGEMENTS_FOLDER}/{engagement_id}/index.html"


def service_file(kind: str, service_id: str) -> str:
    """The file name of a service's TAST report (`tast`) or agenda (`agenda`) page, beside its engagement's page."""
    return f"{service_id}-{kind}.html"


def service_page(kind: str, engagement_id: str, service_id: str) -> str:
    return f"{ENGAGEMENTS_FOLDER}/{engagement_id}/{service_file(kind, service_id)}"


def with_site_marker(path: str, text: str) -> str:
    """A file's text with the comment that says tacli site wrote it, in the file's own syntax."""
    return "".join((text.rstrip("\n"), "\n", _MARKERS[os.path.splitext(path)[1]], "\n"))  # one copy of a page, not two


# --- rendering ---------------------------------------------------------------


def _assets_folder() -> Path:
    return Path(__file__).with_name("site_assets")


def paragraphs(text) -> Any:
    """Text written with blank lines between paragraphs (textformat.paragraphs), as
    HTML paragraphs with the writer's line breaks kept; every character escaped."""
    from markupsafe import Markup, escape

    if text is None:
        return Markup("")
    return Markup("\n").join(
        Markup("<p>") + Markup("<br>\n").join(escape(visible(line.strip())) for line in lines) + Markup("</p>")
        for lines in textformat.paragraphs(str(text))
    )


def json_data(value) -> Any:
    """Data for a `<script type="application/json">` element: sorted keys, and
    nothing in a string that could end the element, a line or reorder text
    (every character beyond ASCII, and `<`, `>`, `&`, as \\u escapes)."""
    from markupsafe import Markup

    text = json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return Markup(text)


@lru_cache(maxsize=1)
def environment():
    """The site's Jinja environment (tacli.output.templates.make_environment),
    escaping for HTML, with the site's own filters."""
    from tacli.output.templates import HTML, make_environment

    return make_environment([site_templates()], HTML, filters={"paragraphs": paragraphs, "json_data": json_data}, trusted=True)


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


# --- the pages ---------------------------------------------------------------


def _asset_outputs() -> list[Output]:
    folder = _assets_folder()
    return [Output("asset", path, with_site_marker(path, (folder / name).read_text(encoding="utf-8"))) for path, name in sorted(ASSETS.items())]


def _root(path: str) -> str:
    """The relative way from a page back to the site's root folder."""
    return "../" * path.count("/")


def portfolio_order(engagements: list[FileResult]) -> list[FileResult]:
    """The engagements as the dashboard lists them (tacli site and tacli serve): by id, then file."""
    return sorted(engagements, key=lambda e: (e.identity.id if e.identity is not None else e.engagement.id, e.name))


def site_in_parts(engagements: list[FileResult], spec: "Spec | Callable[[], Spec]", today: date, done=None, left_out=(), roster=None, loaded=None, background: bool = False) -> tuple[Iterator[Output], "LaterPages"]:
    """The files of the site in two parts: the assets and every engagement's own
    pages, made as they are read (in no set order: a write holds a few
    engagements' pages at a time, write.output_files), and a function that
    gives the pages of every engagement (the dashboard, the annual pages),
    asked for once the first part is read. With `background`, those are
    rendered in a forked process (core.background) while the caller writes the
    first part; the caller abandons them if it stops first (LaterPages.abandon),
    and closes the first part. `done` is called as each engagement's pages are
    ready, and once for the pages of every engagement (a step of the bar
    `tacli site` sizes). The dashboard names the files `left_out`
    (reading.pipeline.LeftOut); with a `roster` (reading.roster.Roster), it
    shows the service area's coverage. With `loaded` (output.reports.Loaded:
    its checker and files), pages are rendered only when tacli's cache does not
    hold them (site_pages), each engagement's on every core from its file read
    again (no run holds every engagement whole). `spec` may be a function that loads the standards:
    a run whose every page is kept needs none."""
    standards = spec if callable(spec) else lambda: spec

    @lru_cache(maxsize=1)
    def lookups() -> Lookups:
        return Lookups(standards())
    ordered = portfolio_order(engagements)

    def page(kind: str, path: str, template: str, **context) -> Output:
        text = render(template, **{**context, "root": _root(path), "today": today.isoformat()})
        return Output(kind, path, with_site_marker(path, text))

    kept_figures: dict = {}  # each engagement's figures (engagement_years), by file, through tacli's cache
    read_again = loaded is not None and loaded.checker is not None  # each engagement read again where its work is done, through tacli's cache when it has one

    def figures_and_parts() -> list:
        """Each engagement's part (and its figures, into kept_figures), asked for
        only when the pages are not kept: from tacli's cache (each kept on its
        own), else both from one reading of each file."""
        names = [item.name for item in ordered]
        targets = loaded.files(ordered)
        checker = loaded.checker
        if checker.cache is None:
            both = checker.map_files(targets, figures_and_part_work())
            kept_figures.update(zip(names, (figures for figures, _ in both)))
            return [part for _, part in both]
        kept_figures.update(zip(names, checker.map_files(targets, figures_work())))
        return checker.map_files(targets, portfolio_work())

    def portfolio_pages() -> Iterator[Output]:
        if read_again:
            parts = figures_and_parts()
        else:
            parts = [portfolio_part(standards(), item, today) for item in ordered]
        yield from _portfolio_pages(parts)

    def figures_of(item: FileResult) -> tuple:
        found = kept_figures.get(item.name)
        return found if found is not None else engagement_years(standards(), item, today)

    def _portfolio_pages(parts: list) -> Iterator[Output]:
        """Each page made when it is asked for: one held at a time (site_pages.PortfolioPages)."""
        with paused():
            by_year = year_figures(standards(), ordered, today, roster, parts)
            made = page("dashboard", DASHBOARD, DASHBOARD_TEMPLATE, **dashboard_view(ordered, standards(), today, lookups(), figures_of, list(by_year)),
                        left_out=left_out_site_view(left_out), coverage=coverage_view(roster, ordered, today, parts))
        yield made
        yield page("annual", ANNUAL_INDEX, ANNUAL_INDEX_TEMPLATE, view=annual_index_view(by_year))
        sources = source_pages(ordered, engagement_page, parts)
        items: dict = {}
        for year, figures in by_year.items():
            with paused():
                view = annual_view(standards(), figures, sources, lookups(), list(by_year))
                made = page("annual", annual_page(year), ANNUAL_TEMPLATE, view=with_source_items(view, _root(annual_page(year)), items))
                del view
            yield made
        del made

    from tacli.output.site_pages import PortfolioPages

    portfolio = PortfolioPages(portfolio_pages)
    rest = LaterPages(portfolio.made, done)  # what makes them is settled once the engagements' pages are made

    def own_pages() -> Iterator[Output]:
        nonlocal portfolio
        yield from _asset_outputs()
        kept = None
        if read_again:
            from tacli.io.cache import tree_digest
            from tacli.output.site_pages import cached_pages

            templates = tree_digest(site_templates())
            portfolio = PortfolioPages.through_the_cache(loaded, roster, portfolio_pages, templates)
            early = background and loaded.checker.also_done_for_every_file
            if early:
                # Each engagement's pages are in the cache, made as its file was
                # checked: taking them needs no worker, so the child starts now.
                kept = portfolio.kept()
                if kept is None:
                    rest.hand_to(_in_background(portfolio, done))
            yield from cached_pages(loaded, ordered, _pages_kept, templates, _compile_pages, done)
            if early and kept is None:  # the child makes them
                return
            if not early:
                kept = portfolio.kept()
        else:
            for item in ordered:
                yield from engagement_pages(standards(), item, today, lookups())
                if done is not None:
                    done()
        if kept is not None:
            rest.make = lambda: kept
        elif background:  # once the engagements' pages are made: workers that rendered them are done
            rest.hand_to(_in_background(portfolio, done))
        else:
            rest.make = portfolio.made

    return own_pages(), rest


@dataclass
class LaterPages:
    """The pages of every engagement, to come (site_in_parts): called, it gives
    them one at a time; `abandon` stops the child making them when they are not wanted."""

    make: Callable[[], Iterable[Output]]
    done: Optional[Callable[[], None]] = None
    abandon: Callable[[], None] = lambda: None

    def __call__(self) -> Iterator[Output]:
        yield from self.make()
        if self.done is not None:
            self.done()

    def hand_to(self, other: "LaterPages") -> None:
        """Made as `other` makes them (a child started meanwhile)."""
        self.make, self.abandon = other.make, other.abandon


def _in_background(portfolio, done) -> LaterPages:
    """The pages of every engagement (site_pages.PortfolioPages) made in a forked
    child (core.background), which keeps each in the cache and sends back
    their list (or, with the cache off, the pages); what the child's cache
    noted (a value it could not keep) comes back with them, for --verbose."""
    from tacli.core.background import Background

    cache = portfolio.cache
    if cache is None:  # the child leaves the pages in a file both share, not in a message the parent holds whole
        from tacli.core.spill import Spill

        portfolio.spill = Spill()
        portfolio.spill.opened()
    pending = Background(lambda: (portfolio.sent_from_a_child(), list(cache.notes) if cache is not None else []))

    def pages() -> Iterator[Output]:
        sent, notes = pending.result()
        if cache is not None:
            cache.notes.extend(note for note in notes if note not in cache.notes)
        return portfolio.received(sent)

    return LaterPages(pages, done, pending.abandon)


def with_source_items(view: dict, root: str, rendered: dict) -> dict:
    """An annual page's view (site_annual.annual_view) with each figure row's
    sources as the items of its list (`listed`, templates/site/_source_item.html.j2),
    each rendered once in `rendered` for every row and page that names it: a
    year's page names most engagements under most of its figures."""
    from markupsafe import Markup

    template = environment().get_template(SOURCE_ITEM_TEMPLATE)
    for section in view["sections"]:
        for row in section["rows"]:
            found = []
            for source in row["sources"]:
                key = (source["title"], source["href"], source["file"], root)
                item = rendered.get(key)
                if item is None:
                    item = rendered[key] = template.render(source=source, root=root)
                found.append(item)
            row["listed"] = Markup("".join(found))
    return view


def engagement_pages(spec: Spec, item: FileResult, today: date, lookups: Optional[Lookups] = None) -> list[Output]:
    """One engagement's pages: its own, and each service's TAST report (when its
    frameworks ask for one) and agenda."""
    lookups = lookups or Lookups(spec)
    outputs: list[Output] = []

    def page(kind: str, path: str, template: str, **context) -> None:
        text = render(template, **{**context, "root": _root(path), "today": today.isoformat()})
        outputs.append(Output(kind, path, with_site_marker(path, text)))

    engagement = item.engagement
    reports = bool(duty_frameworks(spec, engagement))
    page("engagement", engagement_page(engagement.id), "engagement.html.j2", **engagement_view(spec, item, today, lookups))
    for service in engagement.services:
        if reports:
            page("tast", service_page("tast", engagement.id, service.id), "tast.html.j2", **tast_context(spec, item, service, today, lookups))
        page("agenda", service_page("agenda", engagement.id, service.id), "agenda.html.j2", **agenda_context(spec, item, service, today, lookups))
    return outputs


def pages_work():
    """Each engagement's pages as tacli's cache keeps them (site_pages.pages_work),
    for the check that reads the files first (Checker.also)."""
    from tacli.io.cache import tree_digest
    from tacli.output.site_pages import pages_work

    return pages_work(_pages_kept, tree_digest(site_templates()), _compile_pages)


def figures_work():
    """Each engagement's figures for the dashboard (engagement_years) as a
    FileWork kept in the cache, for site_in_parts and for the check that reads the
    files first (Checker.also): after a few files change, the dashboard works
    out only theirs again."""
    from tacli.checking.checker import FileWork

    return FileWork(_figures_kept, "site-figures")


def _figures_kept(checker, target) -> tuple:
    return engagement_years(checker.spec, checker.read(target), checker.today)


def portfolio_work():
    """Each engagement's part of the pages of the whole portfolio (site_annual.portfolio_part:
    its part of each school year's annual figures, what coverage and the
    figures' sources need of it) as a FileWork kept in the cache under the
    day, for site_in_parts and for the check that reads the files first
    (Checker.also): the dashboard's coverage and the annual pages read no
    engagement whole, and after a few files change, only theirs are worked out
    again. The roster is matched in the sum (domain.annual.annual_sum,
    coverage_view), so it is not part of the key."""
    from tacli.checking.checker import FileWork

    return FileWork(_portfolio_kept, "portfolio-part")


def _portfolio_kept(checker, target):
    return portfolio_part(checker.spec, checker.read(target), checker.today)


def dashboard_work():
    """Each engagement's figures on the dashboard (engagement_years) and the school
    years of its services held (site_annual.years_held), as a FileWork kept in
    the cache under the day, for `tacli serve`'s dashboard: no engagement is
    read whole there. None for a file that is not usable now (it changed
    since it was found usable)."""
    from tacli.checking.checker import FileWork

    return FileWork(_dashboard_part, "dashboard-part")


def _dashboard_part(checker, target) -> Optional[tuple]:
    from tacli.output.site_annual import years_held

    item = checker.read(target)
    if not item.usable:
        return None
    return engagement_years(checker.spec, item, checker.today), years_held(item.engagement, checker.today)


def figures_and_part_work():
    """figures_work and portfolio_work from one reading of each file, for a run
    without tacli's cache (which keeps each on its own)."""
    from tacli.checking.checker import FileWork

    return FileWork(_figures_and_part, "site-figures-and-part")


def _figures_and_part(checker, target) -> tuple:
    item = checker.read(target)
    return engagement_years(checker.spec, item, checker.today), portfolio_part(checker.spec, item, checker.today)


def _compile_pages(templates=None) -> None:
    """The templates of an engagement's pages, compiled before worker processes are forked."""
    for name in ("engagement.html.j2", "tast.html.j2", "agenda.html.j2"):
        environment().get_template(name)


def compile_portfolio_templates() -> None:
    """The templates of the pages of every engagement (the dashboard, the annual pages), compiled."""
    for name in (DASHBOARD_TEMPLATE, ANNUAL_INDEX_TEMPLATE, ANNUAL_TEMPLATE, SOURCE_ITEM_TEMPLATE):
        environment().get_template(name)


def _pages_kept(checker, target, templates=None) -> list[tuple[str, str, str]]:
    """One engagement's pages as tacli's cache keeps them: (kind, path, text)."""
    return [(output.kind, output.path, output.text) for output in engagement_pages(checker.spec, checker.read(target), checker.today)]


def engagement_view(spec: Spec, item: FileResult, today: date, lookups: Lookups) -> dict:
    """An engagement page's variables (templates/site/engagement.html.j2): the
    plan report's view, the facts of `tacli status`, each service with its
    pages, the next steps in plain words and the reach against both lines."""
    from tacli.domain.figures import engagement_reach
    from tacli.domain.obligations import obligations
    from tacli.domain.status import engagement_status, next_steps

    engagement = item.engagement
    reports = bool(duty_frameworks(spec, engagement))
    plan = plan_context(spec, item, today, lookups)
    status = engagement_status(spec, engagement, item.name, today)
    views = {str(view["id"]): view for view in plan["services"]}
    services = [
        {  # the service's facts in `tacli status`, its view in the plan report, and its pages (beside this one)
            "status": service,
            "view": views[service["id"]],
            "tast": service_file("tast", service["id"]) if reports else None,
            "agenda": service_file("agenda", service["id"]),
        }
        for service in status["services"]
    ]
    steps = [next_view(obligation, today) for obligation in next_steps(obligations(spec, engagement, item.name, today))]
    reach = reach_view(spec, engagement_reach(spec, engagement))
    return {"plan": plan, "status": status, "services": services, "next": steps, "reach": reach}


def coverage_view(roster, ordered: list[FileResult], today: date, parts: Optional[list] = None) -> Optional[dict]:
    """The coverage of the service area on the dashboard (tacli.domain.coverage,
    as `tacli check --roster` finds it): the shares of the roster served, in all
    and among its Title I, in-need and priority recipients; every recipient
    without recent TA, priority ones first; the engagements whose recipient is
    not on the roster. None without a roster. `parts` (site_annual.portfolio_part
    of each engagement, in the same order) spares reading the engagements."""
    from tacli.domain.coverage import NO_ENGAGEMENT, SERVED, coverage, entry_of, no_service_days, served_among, served_by

    if roster is None:
        return None
    if parts is None:
        served = [served_by(item.name, item.engagement) for item in ordered]
        titles = {item.name: item.engagement.title for item in ordered}
    else:
        served = [part.served for part in parts]
        titles = {part.path: part.title for part in parts}
    covered = coverage(roster, served, today)

    def share(flag: Optional[str]) -> list:
        count, among = served_among(covered, flag)
        return [count, among, count / among if among else None]

    unserved = []
    for item in sorted((c for c in covered if c.standing != SERVED), key=lambda c: (not c.priority, c.index)):
        entry = item.entry
        flags = [name for name, on in (("priority", entry.priority), ("Title I", entry.title_i), ("in need of improvement", entry.in_need_of_improvement)) if on]
        unserved.append({
            "name": visible(entry.name),
            "district": visible(entry.district or ""),
            "kind": entry.kind.replace("-", " "),
            "flags": flags,
            "priority": item.priority,
            "standing": "no engagement" if item.standing == NO_ENGAGEMENT else (
                f"no service since {item.last_service.isoformat()}" if item.last_service is not None else "no service held yet"),
            "engagements": [{"title": visible(titles.get(s.path, s.engagement_id)), "href": engagement_page(s.engagement_id)} for s in item.engagements],
        })
    entries = list(roster.recipients)
    unknown = [{"title": visible(titles.get(s.path, s.engagement_id)), "href": engagement_page(s.engagement_id), "recipient": visible(s.name)}
               for s in served if entry_of(entries, s) is None]
    return {
        "area": visible(roster.area) if roster.area else None,
        "days": no_service_days(roster),
        "served": share(None),
        "title_i": share("title_i"),
        "in_need": share("in_need_of_improvement"),
        "priority": share("priority"),
        "without": sum(1 for c in covered if c.standing == NO_ENGAGEMENT),
        "no_recent": sum(1 for c in covered if c.standing not in (SERVED, NO_ENGAGEMENT)),
        "unserved": unserved,
        "unknown": unknown,
    }


def left_out_site_view(left_out) -> list[dict]:
    """The files left out (views.summary.left_out_view), each with the command
    that lists all its problems, for whoever keeps the file."""
    return [{**view, "command": f"tacli check {shlex.quote(item.name)}"} for item, view in zip(left_out, left_out_view(left_out))]


def engagement_years(spec: Spec, item: FileResult, today: date) -> tuple:
    """One engagement's figures (tacli.domain.figures) in full, and for each of its school years."""
    from tacli.domain.figures import engagement_figures

    full = engagement_figures(spec, item.engagement, today, path=item.name)
    return full, [engagement_figures(spec, item.engagement, today, school_year=year, path=item.name, spanned=full.school_years) for year in full.school_years]


def dashboard_view(ordered: list[FileResult], spec: Spec, today: date, lookups: Lookups, figures: Optional[Callable] = None, years: Optional[list[str]] = None) -> dict:
    """The dashboard's data: the portfolio's figures (tacli.domain.figures) over every
    engagement, for the page as it is without a script; and, for the filters,
    each engagement's figures in full and per school year, which site.js adds up
    as figures.combine does. `figures(item)` gives an engagement's figures as
    `engagement_years` does (tacli serve keeps them until its file changes);
    `years`, the school years of the annual pages (site_annual.annual_years),
    when the caller knows them: the engagements are then never read whole."""
    from tacli.domain.figures import combine
    from tacli.output.site_annual import annual_years

    stages = [stage for framework in spec.frameworks.values() if framework.duties for stage in framework.stages]
    stage_ids = list(dict.fromkeys(stage.id for stage in stages))
    stage_titles = {stage.id: stage.title for stage in reversed(stages)}
    whole, records, engagements, recipients, items = [], [], [], {}, {}
    for index, item in enumerate(ordered):
        full, by_year = figures(item) if figures is not None else engagement_years(spec, item, today)
        whole.append(full)
        coaching, reach = full.coaching, full.reach
        engagements.append({  # the engagement's id and title as its figures give them (engagement.id, engagement.title)
            "id": full.engagement_id,
            "title": full.title,
            "href": engagement_page(full.engagement_id),
            "f": list(full.facilitators),
            "p": full.partner or "",
            "t": full.tier,
            "c": None if coaching is None else [coaching.counted, coaching.cap],
            "x": None if reach is None else [reach.reached, reach.intended, reach.target_percent, reach.minimum_percent, reach.minimum_framework or ""],
        })
        for part in [full] + list(by_year):
            records.append(_record(index, part, stage_ids, recipients, items))
    portfolio = combine(spec, whole)
    labels = {
        "st": {i.id: _label(i) for i in lookups.support_types.values()},
        "tp": {i.id: _label(i) for i in lookups.topics.values()},
        "pa": {**{i.id: _label(i) for i in lookups.partners.values()}, "": "No partner"},
        "fw": {framework.id: framework_name(framework) for framework in spec.frameworks.values()},
        "stages": [[stage_id, stage_titles[stage_id]] for stage_id in stage_ids],
        "kinds": {kind: list(names) for kind, names in KIND_NAMES.items()},
        "kind_order": list(KIND_NAMES),
    }
    order = {i.id: n for n, i in enumerate(lookups.tiers.values())}
    ordered_items = sorted(items, key=lambda o: o.sort_key())
    engagement_index = {e["id"]: n for n, e in enumerate(engagements)}
    data = {
        "engagements": engagements,
        "records": records,
        "items": [_item(obligation, today, engagement_index, lookups) for obligation in ordered_items],
        "labels": labels,
        "look_ahead_days": LOOK_AHEAD_DAYS,
        "due_soon_days": _due_soon_days(spec),
        "report_due_days": _report_due_days(spec),
        "month_gap": MONTH_GAP,
        "support_types": spec.ids("support_types"),
        "topics": spec.ids("topics"),
        "partners": spec.ids("partners"),
        "facilitators": sorted({name for figures in whole for name in figures.facilitators}, key=lambda name: (name.casefold(), name)),
        # everyone with a row in the table of facilitators (a reviewer who owes a review too), in figures.combine's order
        "people": sorted({name for figures in whole for name in figures.by_facilitator}, key=lambda name: (name.casefold(), name)),
    }
    item_index = {obligation.uid: n for n, obligation in enumerate(ordered_items)}
    data = _shown(data)  # the script shows and compares these as the page does
    engagements = data["engagements"]
    return {
        "data": data,
        "view": portfolio_view(portfolio, data, stage_titles, [item_index[o.uid] for o in portfolio.items], today),
        "filters": {
            # the school years with something to show: a service held in them (the annual pages' years)
            "years": sorted(years if years is not None else annual_years(ordered, today)),
            "facilitators": data["facilitators"],
            "partners": [[key, labels["pa"][key] if key in labels["pa"] else key] for key in sorted({e["p"] for e in engagements}, key=lambda k: (k not in order, k))],
            "tiers": [[key, _label(lookups.tiers[key]) if key in lookups.tiers else key] for key in sorted({e["t"] for e in engagements}, key=lambda k: (order.get(k, len(order)), k))],
        },
        "engagements": engagements,
    }


def _report_due_days(spec: Spec) -> Optional[int]:
    """The days after its service a report is due, when every report of the standards says the same (CALI's TAST report: 7)."""
    days = {framework.report.due_days for framework in spec.frameworks.values() if framework.report is not None}
    return days.pop() if len(days) == 1 else None


def _due_soon_days(spec: Spec) -> Optional[int]:
    """The days before its due date a report counts as due soon, when every report of the standards says the same."""
    days = {framework.report.due_soon_days for framework in spec.frameworks.values() if framework.report is not None}
    return days.pop() if len(days) == 1 else None


def framework_name(framework) -> str:
    """A framework as a reader names it in passing: the source its title cites
    ("Fixsen et al., 2009" of "Intensive Technical Assistance (Fixsen et al.,
    2009)"), else its title."""
    found = re.search(r"\(([^()]+)\)\s*$", framework.title)
    return found.group(1) if found else framework.title


def _shown(value):
    """`value` with every string's unsafe characters shown as escapes (textformat.visible)."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, dict):
        return {_shown(key): _shown(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shown(item) for item in value]
    return value


def _label(item) -> str:
    return getattr(item, "label", None) or getattr(item, "title", None) or item.id


def _record(index: int, figures, stage_ids: list[str], recipients: dict, items: dict) -> dict:
    """One engagement's figures (of a school year, or of all: `y` null) for site.js."""
    duties = {counts.stage: counts for counts in figures.duties}
    reports = figures.reports
    for obligation in figures.items:
        items.setdefault(obligation, None)
    return {
        "e": index,
        "y": figures.school_year,
        "r": recipients.setdefault(figures.recipient, len(recipients)),
        "ti": figures.title_i,
        "s": figures.services,
        "h": figures.hours,
        "tr": figures.training_hours,
        "ta": figures.ta_hours,
        "m": figures.hours_by_month,
        "st": figures.hours_by_support_type,
        "tp": figures.hours_by_topic,
        "d": [[c.done, c.not_applicable, c.open] if (c := duties.get(stage)) else None for stage in stage_ids],
        "rp": _report_counts(reports),
        "rm": {month: _report_counts(counts) for month, counts in figures.reports_by_month.items()},
        "fa": {name: [part.services, part.hours, *_report_counts(part.reports), part.overdue] for name, part in figures.by_facilitator.items()},
        "it": sorted(obligation.uid for obligation in figures.items),
    }


def _report_counts(reports) -> list[int]:
    return [reports.due, reports.on_time, reports.late, reports.overdue, reports.due_soon]


def _item(obligation, today: date, engagement_index: dict, lookups: Lookups) -> dict:
    """An item of the dashboard's list: when, what kind and how many, for whom,
    what to do in plain words, and (for the facilitator) the command that records it."""
    label = obligation.service_label
    if label in lookups.support_types:  # a service without a title is named by its support type
        label = _label(lookups.support_types[label])
    return {
        "uid": obligation.uid,
        "due": obligation.due.isoformat(),
        "when": obligation.when(today),
        "overdue": obligation.overdue(today),
        "e": engagement_index[obligation.engagement_id],
        "service": label if obligation.service_id else "",
        "sd": obligation.service_date.isoformat() if obligation.service_id else "",
        "k": obligation.kind,
        "n": obligation.size,
        "what": obligation.plain(),
        "who": " ".join(obligation.facilitator.split()),
        "cmd": obligation.command,
    }


def next_view(obligation, today: date) -> dict:
    """One of an engagement's next steps on its page: the sentence in plain
    words, and the command that records it, for the facilitator."""
    return {"text": obligation.plain(today), "overdue": obligation.overdue(today), "command": obligation.command, "kind": obligation.kind,
            "service": obligation.service_id, "stage": obligation.stage}


# --- the dashboard's rules that site.js follows too ----------------------------

# Hours by month draw every month from the first with hours to the last; a run
# of more than MONTH_GAP months without hours is drawn as one break, so that a
# portfolio spanning years keeps bars that can be read.
MONTH_GAP = 6


def month_rows(by_month: dict[str, float]) -> list[list]:
    """[key, label, hours, months without hours] from the first month to the
    last: a month with hours, a month without (0 hours, part of a short gap),
    or a break for a run of more than MONTH_GAP months without (hours None)."""
    if not by_month:
        return []
    first, last = min(by_month), max(by_month)
    year, month = (int(part) for part in first.split("-"))
    rows, empty = [], []

    def flush():
        if len(empty) > MONTH_GAP:
            rows.append([f"{empty[0]}/{empty[-1]}", f"{empty[0]} to {empty[-1]}", None, len(empty)])
        else:
            rows.extend([key, key, 0, 0] for key in empty)
        empty.clear()

    while True:
        key = f"{year:04d}-{month:02d}"
        if key in by_month:
            flush()
            rows.append([key, key, by_month[key], 0])
        else:
            empty.append(key)
        if key >= last:
            break
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rows


def item_counts_text(counts: dict, days: int) -> str:
    """The line above the dashboard's list: how many things are overdue and due
    within `days`, by kind (figures.item_counts), so that it adds up to its rows."""
    def listed(position: int) -> str:
        return ", ".join(f"{pair[position]} {KIND_NAMES[kind][0 if pair[position] == 1 else 1]}" for kind, pair in counts.items() if pair[position])

    overdue, upcoming = listed(0), listed(1)
    if not overdue and not upcoming:
        return f"Nothing is overdue or due within {days} days."
    return " ".join([
        f"Overdue: {overdue}." if overdue else "Nothing is overdue.",
        f"Due within {days} days: {upcoming}." if upcoming else f"Nothing else is due within {days} days.",
    ])


def reach_standing(reached, intended, target, minimum) -> list[list]:
    """How a reach count stands, each part saying which line it is about: [text,
    warn] for the engagement's own target, then the standards' minimum."""
    if reached is None or not intended:
        return [["not counted yet", False]] if target is not None or minimum is not None else []
    parts = []
    for line, name in ((target, "its own target"), (minimum, "the standards' minimum")):
        if line is not None:
            meets = reached * 100 >= line * intended
            parts.append([f"{'meets' if meets else 'below'} {name}", not meets])
    return parts


def reach_view(spec: Spec, reach) -> Optional[dict]:
    """An intensive engagement's reach as its page says it: the count and share,
    the engagement's own target and the standards' minimum, each labelled, and
    how it stands against each."""
    from tacli.core.numbers import hours_text, percent_text

    if reach is None:
        return None
    share = reach.percent / 100 if reach.percent is not None else None
    framework = spec.frameworks.get(reach.minimum_framework or "")
    return {
        "reached": None if reach.reached is None else f"{reach.reached}" + (f" of {reach.intended}" if reach.intended else ""),
        "share": percent_text(share),
        "target": None if reach.target_percent is None else f"{hours_text(reach.target_percent)}%",
        "minimum": None if reach.minimum_percent is None else f"{hours_text(reach.minimum_percent)}%",
        "source": framework_name(framework) if framework is not None else None,
        "standing": reach_standing(reach.reached, reach.intended, reach.target_percent, reach.minimum_percent),
    }


def portfolio_view(portfolio, data: dict, stage_titles: dict, items: list[int], today: date) -> dict:
    """The dashboard's figures and tables from a figures.Portfolio: the same
    shape site.js builds from the records a reader's filters select."""
    from tacli.domain.figures import item_counts

    engagements, labels = data["engagements"], data["labels"]
    position = _positions(engagements)
    reports = portfolio.reports
    counts = item_counts(portfolio.items, today)
    return {
        "figures": {
            "engagements": portfolio.engagements,
            "recipients": portfolio.recipients,
            "title_i_recipients": portfolio.title_i_recipients,
            "services": portfolio.services,
            "hours": portfolio.hours,
            "training_hours": portfolio.training_hours,
            "ta_hours": portfolio.ta_hours,
            "title_i_share": portfolio.title_i_share,
            "on_time_rate": reports.on_time_rate,
            "reports_on_time": reports.on_time,
            "reports_due": reports.due,
            "overdue_reports": reports.overdue,
            "due_soon_reports": reports.due_soon,
            "overdue_revisions": counts.get(REVISION, (0, 0))[0],
            "overdue_duties": counts.get(DUTIES, (0, 0))[0],
            "upcoming_duties": counts.get(DUTIES, (0, 0))[1],
        },
        "item_counts_text": item_counts_text(counts, LOOK_AHEAD_DAYS),
        "months": month_rows(portfolio.hours_by_month),
        "support_types": [[key, labels["st"].get(key, key), value] for key, value in portfolio.hours_by_support_type.items()],
        "topics": [[key, labels["tp"].get(key, key), value] for key, value in portfolio.hours_by_topic.items()],
        "partners": [[key, labels["pa"].get(key, key), value] for key, value in portfolio.hours_by_partner.items()],
        "stages": [[c.stage, stage_titles.get(c.stage, c.stage), c.done, c.not_applicable, c.open, c.done / c.applicable if c.applicable else None] for c in portfolio.duties],
        "report_months": report_month_rows(portfolio.reports_by_month),
        "coaching": [[position[visible(c.engagement_id)], c.counted, c.cap] for c in portfolio.coaching],
        "reach": [
            [position[visible(r.engagement_id)], r.reached, r.intended, r.percent / 100 if r.percent is not None else None, r.target_percent, r.minimum_percent,
             r.minimum_framework or "", reach_standing(r.reached, r.intended, r.target_percent, r.minimum_percent)]
            for r in portfolio.reach
        ],
        "facilitators": [
            [visible(name), part.engagements, part.services, part.hours, part.overdue, part.reports.on_time, part.reports.late, part.reports.overdue, part.reports.on_time_rate]
            for name, part in portfolio.by_facilitator.items()
        ],
        "items": items,
    }


def report_month_rows(by_month: dict) -> list[list]:
    """The on-time rate per month (domain.reports.reports_by_month): [month, due,
    on time, late, overdue, rate] for each month with a report that was due."""
    return [[month, c.due, c.on_time, c.late, c.overdue, c.on_time_rate] for month, c in by_month.items() if c.due]


def _positions(engagements: list[dict]) -> dict[str, int]:
    """Each engagement id's place in the dashboard's list (the first, when files share an id)."""
    found: dict[str, int] = {}
    for n, engagement in enumerate(engagements):
        found.setdefault(engagement["id"], n)
    return found
