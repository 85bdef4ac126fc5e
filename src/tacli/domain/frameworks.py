"""Which frameworks apply to an engagement: its canonical tier, the frameworks
whose duties, elements, features and offers it follows, and their limits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:  # pragma: no cover
    from tacli.standards.spec import Framework, Limit, Spec

from tacli.domain.records import present
from tacli.standards.vocabulary import INTENSIVE_TIER


def canonical_tier(spec: "Spec", engagement: Any) -> str:
    """The tier's id, whichever of its names (aliases) the engagement uses."""
    return spec.tier_aliases.get(engagement.tier, engagement.tier)


def is_intensive(spec: "Spec", engagement: Any) -> bool:
    return canonical_tier(spec, engagement) == INTENSIVE_TIER


def stage_rank(spec: "Spec") -> dict[str, int]:
    """Each stage id's place in the order the standards list the stages (Planning,
    Delivery, Follow Up): every list of duties by stage, in `due`, `status`, the
    site and the checklist of `mark`, follows it, never the ids' alphabetical order."""
    return {stage_id: index for index, stage_id in enumerate(spec.stage_by_id)}


def role_rank(spec: "Spec") -> dict[str, int]:
    """Each role id's place in the order the standards list the roles."""
    return {role_id: index for index, role_id in enumerate(spec.role_by_id)}


def duty_frameworks(spec: "Spec", engagement: Any) -> list["Framework"]:
    """The listed frameworks with a duty matrix and a per-service report (CALI)."""
    return [f for f in spec.with_section("duties", engagement.frameworks) if f.report is not None]


def feature_frameworks(spec: "Spec", engagement: Any) -> list["Framework"]:
    """The listed frameworks whose intensive-TA features apply: only to intensive TA.

    An intensive engagement that lists none is told so (tier-framework); its
    features are not asked for until it does."""
    if not is_intensive(spec, engagement):
        return []
    return spec.with_section("features", engagement.frameworks)


def element_frameworks(spec: "Spec", engagement: Any) -> list["Framework"]:
    """The listed frameworks with planning elements (Dunst)."""
    return spec.with_section("elements", engagement.frameworks)


def missing_elements(spec: "Spec", engagement: Any) -> list:
    """The planning elements of the listed frameworks that the plan leaves
    unwritten (blank text, or records and lists of nothing but blanks): those
    `tacli check` reports as missing (plan-element), `tacli status` lists and
    `tacli due` asks to write."""
    from tacli.standards.fields import field_value

    return [element for framework in element_frameworks(spec, engagement) for element in framework.elements
            if not present(field_value(engagement.plan, element.id))]


def offer_frameworks(spec: "Spec", engagement: Any) -> list["Framework"]:
    """The listed coaching offers: frameworks with readiness criteria (OEC)."""
    return spec.with_section("readiness", engagement.frameworks)


def evidence_frameworks(spec: "Spec", engagement: Any) -> list["Framework"]:
    """The listed frameworks with levels of outcome evidence (Guskey)."""
    return spec.with_section("evidence_levels", engagement.frameworks)


def frameworks_with_features(spec: "Spec") -> list["Framework"]:
    """Every framework of the standards that defines intensive-TA features."""
    return [f for f in spec.frameworks.values() if f.features]


def default_frameworks(spec: "Spec", tier: str) -> list[str]:
    """The frameworks a new engagement of `tier` follows unless told otherwise:
    all but coaching offers, and intensive-TA features only for intensive TA;
    the levels of outcome evidence and the ratings of evaluation forms for every tier."""
    chosen = []
    for framework in spec.frameworks.values():
        if framework.readiness:
            continue
        if framework.features and tier != INTENSIVE_TIER:
            continue
        if framework.duties or framework.elements or framework.features or framework.support_types or framework.evidence_levels or framework.ratings:
            chosen.append(framework.id)
    return chosen


def feature_limit(spec: "Spec", engagement: Any, name: str) -> Optional["Limit"]:
    """A limit of the intensive-TA frameworks that apply to the engagement."""
    return spec.limit(name, [f.id for f in feature_frameworks(spec, engagement)])



def counts(values: Any, value: str) -> bool:
    """Whether a limit or condition listing `values` (empty: every one) counts `value`."""
    return not values or value in values

