"""The view of an engagement's plan: the planning elements, the services and
their reports, and intensive TA's features, reach and fidelity reviews."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Optional

from tacli.core.markdown import Text
from tacli.domain.frameworks import duty_frameworks, element_frameworks, feature_frameworks
from tacli.domain.intensive import latest_reach
from tacli.domain.services import in_order
from tacli.output.views.common import Lookups, engagement_view, labelled, percent, service_view, text, texts
from tacli.reading.pipeline import FileResult
from tacli.standards.fields import field_value

if TYPE_CHECKING:  # pragma: no cover - pydantic's: not imported by a run whose every result is kept
    from tacli.standards.spec import Spec


def field_title(field_id: str) -> str:
    """A record field's heading, from its id in the spec: `inputs` -> "Inputs"."""
    words = field_id.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _element_view(element, value, lookups: Lookups) -> dict:
    view: dict[str, Any] = {
        "id": Text(element.id),
        "title": Text(element.title),
        "definition": Text(element.definition),
        "ref": text(element.ref),
        "value": Text(element.value),
        "text": None,
        "entries": [],
        "fields": [],
        "people": [],
    }
    if element.value == "text":
        view["text"] = text(value) if value and str(value).strip() else None
        recorded = view["text"] is not None
    elif element.value == "text-list":
        view["entries"] = texts(value)
        recorded = bool(view["entries"])
    elif element.value == "record":
        view["fields"] = [
            {"id": Text(f), "title": Text(field_title(f)), "entries": texts(field_value(value, f) if hasattr(type(value), "model_fields") else None)}
            for f in element.fields
        ]
        recorded = any(f["entries"] for f in view["fields"])
    else:  # people
        view["people"] = [
            {
                "name": Text(p.name),
                "title": text(p.title),
                "role": labelled(p.role, lookups.roles),
                "responsibilities": texts(p.responsibilities),
                "contribution": text(p.contribution),
            }
            for p in value or []
        ]
        recorded = bool(view["people"])
    view["recorded"] = recorded
    return view


def features_view(spec: Spec, engagement) -> list[dict]:
    """Each applicable framework's intensive-TA features with the evidence recorded."""
    features = engagement.intensive.features if engagement.intensive else None
    out = []
    for framework in feature_frameworks(spec, engagement):
        items = []
        for feature in framework.features:
            value = field_value(features, feature.id)
            indicators = [{"id": Text(i.id), "text": Text(i.text), "evidence": text(field_value(value, i.id)) if field_value(value, i.id) else None} for i in feature.indicators]
            evidenced = sum(1 for i in indicators if i["evidence"])
            items.append({
                "id": Text(feature.id),
                "title": Text(feature.title),
                "ref": text(feature.ref),
                "indicators": indicators,
                "recorded": value is not None,
                "evidenced": evidenced,
                "complete": evidenced == len(indicators),
            })
        out.append({"id": Text(framework.id), "title": Text(framework.title), "features": items})
    return out


def reach_view(reach) -> Optional[dict]:
    """The reach target and the counts of beneficiaries reached, over time."""
    if reach is None:
        return None
    reached, _ = latest_reach(reach)
    history = [{"date": text(c.date), "reached": text(c.reached), "percent": percent(c.reached, reach.intended)} for c in sorted(reach.history, key=lambda c: c.date)]
    return {
        "beneficiaries": text(reach.beneficiaries),
        "intended": text(reach.intended),
        "target_percent": text(reach.target_percent),
        "reached": text(reached),
        "reached_percent": percent(reached, reach.intended),
        "history": history,
        "below_target": reached is not None and bool(reach.intended) and reach.target_percent is not None and reached * 100 < reach.target_percent * reach.intended,
    }


def _intensive_view(spec: Spec, engagement) -> Optional[dict]:
    frameworks = features_view(spec, engagement)
    intensive = engagement.intensive
    if not frameworks and intensive is None:
        return None
    agreement = intensive.agreement if intensive else None
    reach = intensive.reach if intensive else None
    reviews = sorted(intensive.fidelity_reviews, key=lambda r: r.date) if intensive else []
    return {
        "frameworks": frameworks,
        "agreement": None if agreement is None else {"date": text(agreement.date), "summary": text(agreement.summary)},
        "reach": reach_view(reach),
        "fidelity_reviews": [{"date": text(r.date), "measure": text(r.measure), "score": text(r.score), "summary": text(r.summary)} for r in reviews],
        "fidelity_scores": _scores_by_measure(reviews),
    }


def _scores_by_measure(reviews: list) -> list[dict]:
    """Each fidelity measure's scores, first and latest (a measure's scores are
    comparable, two measures' are not), in the order the measures were first used."""
    by_measure: dict = {}
    for review in reviews:
        if review.score is not None:
            by_measure.setdefault(review.measure or "", []).append(review)
    return [{"measure": text(measure) if measure else None, "reviews": len(scored),
             "first": {"date": text(scored[0].date), "score": text(scored[0].score)},
             "latest": {"date": text(scored[-1].date), "score": text(scored[-1].score)}} for measure, scored in by_measure.items()]


def plan_context(spec: Spec, item: FileResult, today: date, lookups: Lookups) -> dict:
    engagement = item.engagement
    planning = []
    for framework in element_frameworks(spec, engagement):
        elements = [_element_view(e, field_value(engagement.plan, e.id), lookups) for e in framework.elements]
        planning.append({"id": Text(framework.id), "title": Text(framework.title), "elements": elements})
    return {
        "engagement": engagement_view(spec, engagement, lookups),
        "services": [service_view(spec, engagement, s, lookups, today) for s in in_order(engagement.services)],
        "reports": bool(duty_frameworks(spec, engagement)),
        "planning": planning,
        "intensive": _intensive_view(spec, engagement),
        "root": Text("../"),
    }
