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
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from tacli.domain.frameworks import duty_frameworks
from tacli.reading.pipeline import FileResult
from tacli.write.output_files import Layout, Output
from tacli.output.views.agenda import agenda_context
from tacli.output.views.common import Lookups
from tacli.output.views.plan import plan_context
from tacli.output.views.summary import left_out_view
from tacli.output.views.tast import tast_context
from tacli.standards.spec import Spec
from tacli.core import textformat
from tacli.core.dates import LOOK_AHEAD_DAYS
from tacli.core.textformat import visible

_SAYS = "Written by tacli site from the engagement files: change them, not this file; tacli rewrites it."
HTML_MARKER = f"<!-- {_SAYS} -->"
CODE_MARKER = f"/* {_SAYS} */"
TEXT_MARKER = f"-- {_SAYS}"
_MARKERS = {".html": HTML_MARKER, ".css": CODE_MARKER, ".js": CODE_MARKER, ".txt": TEXT_MARKER}

DASHBOARD = "index.html"
ASSETS_FOLDER = "assets"
ENGAGEMENTS_FOLDER = "engagements"
# Files of the package copied into every site: path in the site -> file in site_assets.
ASSETS = {
    f"{ASSETS_FOLDER}/chart.umd.min.js": "chart.umd.min.js",
    f"{ASSETS_FOLDER}/chart.js-LICENSE.txt": "chart.js-LICENSE.md",
    f"{ASSETS_FOLDER}/site.css": "site.css",
    f"{ASSETS_FOLDER}/site.js": "site.js",
}


def engagement_page(engagement_id: str) -> str:
    return f"{ENGAGEMENTS_FOLDER}/{engagement_id}/index.html"


def service_file(kind: str, service_id: str) -> str:
    """The file name of a service's TAST report (`tast`) or agenda (`agenda`) page, beside its engagement's page."""
    return f"{service_id}-{kind}.html"


def service_page(kind: str, engagement_id: str, service_id: str) -> str:
    return f"{ENGAGEMENTS_FOLDER}/{engagement_id}/{service_file(kind, service_id)}"


def with_site_marker(path: str, text: str) -> str:
    """A file's text with the comment that says tacli site wrote it, in the file's own syntax."""
    return text.rstrip("\n") + "\n" + _MARKERS[Path(path).suffix] + "\n"


def existing_site_files(out_dir: Path) -> list[str]:
    """Regular files (links not followed) where the site puts its own: the
    dashboard, the assets folder and the engagement pages."""
    found = []
    if (out_dir / DASHBOARD).is_file() and not (out_dir / DASHBOARD).is_symlink():
        found.append(DASHBOARD)
    for pattern in (f"{ASSETS_FOLDER}/*", f"{ENGAGEMENTS_FOLDER}/*/*"):
        for path in sorted(out_dir.glob(pattern)):
            relative = path.relative_to(out_dir)
            if path.suffix in _MARKERS and not any((out_dir / Path(*relative.parts[:i])).is_symlink() for i in range(1, len(relative.parts) + 1)) and path.is_file():
                found.append(relative.as_posix())
    return found


SITE_LAYOUT = Layout(tuple(sorted(set(_MARKERS.values()))), existing_site_files)


# --- rendering ---------------------------------------------------------------


def _assets_folder() -> Path:
    return Path(__file__).with_name("site_assets")


def _site_templates() -> Path:
    from tacli.output.templates import shipped_templates

    return shipped_templates() / "site"


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

    return make_environment([_site_templates()], HTML, filters={"paragraphs": paragraphs, "json_data": json_data})


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


# --- the pages ---------------------------------------------------------------


def _asset_outputs() -> list[Output]:
    folder = _assets_folder()
    return [Output("asset", path, with_site_marker(path, (folder / name).read_text(encoding="utf-8"))) for path, name in sorted(ASSETS.items())]


def _root(path: str) -> str:
    """The relative way from a page back to the site's root folder."""
    return "../" * path.count("/")


def build_site(engagements: list[FileResult], spec: Spec, today: date, done=None, left_out=()) -> list[Output]:
    """Every file of the site, in path order; `done` is called as each page is
    rendered. The dashboard names the files `left_out` (reading.pipeline.LeftOut)."""
    from tacli.domain.status import engagement_status

    lookups = Lookups(spec)
    ordered = sorted(engagements, key=lambda e: (e.engagement.id, e.name))
    outputs = _asset_outputs()

    def page(kind: str, path: str, template: str, **context) -> None:
        text = render(template, **{**context, "root": _root(path), "today": today.isoformat()})
        outputs.append(Output(kind, path, with_site_marker(path, text)))
        if done is not None:
            done()

    page("dashboard", DASHBOARD, "dashboard.html.j2", **dashboard_view(ordered, spec, today, lookups), left_out=left_out_view(left_out))
    for item in ordered:
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
        page("engagement", engagement_page(engagement.id), "engagement.html.j2", plan=plan, status=status, services=services)
        for service in engagement.services:
            if reports:
                page("tast", service_page("tast", engagement.id, service.id), "tast.html.j2", **tast_context(spec, item, service, today, lookups))
            page("agenda", service_page("agenda", engagement.id, service.id), "agenda.html.j2", **agenda_context(spec, item, service, today, lookups))
    outputs.sort(key=lambda output: output.path)
    return outputs


def page_count(engagements: list[FileResult], spec: Spec) -> int:
    """How many pages build_site renders (for a progress bar)."""
    count = 1
    for item in engagements:
        per_service = 2 if duty_frameworks(spec, item.engagement) else 1
        count += 1 + per_service * len(item.engagement.services)
    return count


def dashboard_view(ordered: list[FileResult], spec: Spec, today: date, lookups: Lookups) -> dict:
    """The dashboard's data: the portfolio's figures (tacli.domain.figures) over every
    engagement, for the page as it is without a script; and, for the filters,
    each engagement's figures in full and per school year, which site.js adds up
    as figures.combine does."""
    from tacli.domain.figures import combine, engagement_figures

    stages = [stage for framework in spec.frameworks.values() if framework.duties for stage in framework.stages]
    stage_ids = list(dict.fromkeys(stage.id for stage in stages))
    stage_titles = {stage.id: stage.title for stage in reversed(stages)}
    whole, records, engagements, recipients, items = [], [], [], {}, {}
    for index, item in enumerate(ordered):
        engagement = item.engagement
        full = engagement_figures(spec, engagement, today, path=item.name)
        whole.append(full)
        coaching, reach = full.coaching, full.reach
        engagements.append({
            "id": engagement.id,
            "title": engagement.title,
            "href": engagement_page(engagement.id),
            "f": list(full.facilitators),
            "p": full.partner or "",
            "t": full.tier,
            "c": None if coaching is None else [coaching.counted, coaching.cap],
            "x": None if reach is None else [reach.reached, reach.intended, reach.target_percent, reach.minimum_percent],
        })
        for figures in [full] + [engagement_figures(spec, engagement, today, school_year=year, path=item.name) for year in full.school_years]:
            records.append(_record(index, figures, stage_ids, recipients, items))
    portfolio = combine(spec, whole)
    labels = {
        "st": {i.id: _label(i) for i in lookups.support_types.values()},
        "tp": {i.id: _label(i) for i in lookups.topics.values()},
        "pa": {**{i.id: _label(i) for i in lookups.partners.values()}, "": "No partner"},
        "stages": [[stage_id, stage_titles[stage_id]] for stage_id in stage_ids],
    }
    order = {i.id: n for n, i in enumerate(lookups.tiers.values())}
    data = {
        "engagements": engagements,
        "records": records,
        "items": [_item(obligation, today, {e["id"]: n for n, e in enumerate(engagements)}) for obligation in sorted(items, key=lambda o: o.sort_key())],
        "labels": labels,
        "look_ahead_days": LOOK_AHEAD_DAYS,
        "support_types": spec.ids("support_types"),
        "topics": spec.ids("topics"),
        "partners": spec.ids("partners"),
    }
    item_index = {obligation.uid: n for n, obligation in enumerate(sorted(items, key=lambda o: o.sort_key()))}
    data = _shown(data)  # the script shows and compares these as the page does
    engagements = data["engagements"]
    return {
        "data": data,
        "view": portfolio_view(portfolio, engagements, stage_titles, labels, [item_index[o.uid] for o in portfolio.items]),
        "filters": {
            "years": sorted({year for figures in whole for year in figures.school_years}),
            "facilitators": sorted({name for figures in whole for name in figures.facilitators}, key=str.casefold),
            "partners": [[key, labels["pa"][key] if key in labels["pa"] else key] for key in sorted({e["p"] for e in engagements}, key=lambda k: (k not in order, k))],
            "tiers": [[key, _label(lookups.tiers[key]) if key in lookups.tiers else key] for key in sorted({e["t"] for e in engagements}, key=lambda k: (order.get(k, len(order)), k))],
        },
        "engagements": engagements,
    }


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
        "rp": [reports.due, reports.on_time, reports.late, reports.overdue, reports.due_soon],
        "it": sorted(obligation.uid for obligation in figures.items),
    }


def _item(obligation, today: date, engagement_index: dict) -> dict:
    return {
        "uid": obligation.uid,
        "due": obligation.due.isoformat(),
        "when": obligation.when(today),
        "overdue": obligation.overdue(today),
        "e": engagement_index[obligation.engagement_id],
        "service": obligation.service_label,
        "what": obligation.what,
        "who": obligation.facilitator,
    }


def portfolio_view(portfolio, engagements: list[dict], stage_titles: dict, labels: dict, items: list[int]) -> dict:
    """The dashboard's figures and tables from a figures.Portfolio: the same
    shape site.js builds from the records a reader's filters select."""
    reports = portfolio.reports
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
            "overdue_reports": reports.overdue,
            "due_soon_reports": reports.due_soon,
        },
        "months": [[key, key, value] for key, value in portfolio.hours_by_month.items()],
        "support_types": [[key, labels["st"].get(key, key), value] for key, value in portfolio.hours_by_support_type.items()],
        "topics": [[key, labels["tp"].get(key, key), value] for key, value in portfolio.hours_by_topic.items()],
        "partners": [[key, labels["pa"].get(key, key), value] for key, value in portfolio.hours_by_partner.items()],
        "stages": [[c.stage, stage_titles.get(c.stage, c.stage), c.done, c.not_applicable, c.open, c.done / c.applicable if c.applicable else None] for c in portfolio.duties],
        "coaching": [[_index(engagements, c.engagement_id), c.counted, c.cap] for c in portfolio.coaching],
        "reach": [[_index(engagements, r.engagement_id), r.reached, r.intended, r.percent / 100 if r.percent is not None else None, r.target_percent, r.minimum_percent, r.meets_minimum] for r in portfolio.reach],
        "items": items,
    }


def _index(engagements: list[dict], engagement_id: str) -> int:
    return next(n for n, e in enumerate(engagements) if e["id"] == engagement_id)
