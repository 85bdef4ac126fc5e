"""Engagement models, built at run time from the loaded standards spec.

Nothing here names a duty, element, feature or vocabulary item: each comes
from the spec, so adding a duty to a standards file makes the model accept it
(and the checks ask for it) without a code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Literal, Optional

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, StrictBool, StrictFloat, StrictInt, WithJsonSchema, create_model

from tacli.core.numbers import MAX_FORMS
from tacli.standards.fields import field_name
from tacli.standards.vocabulary import DELIVERY_MODES, REVIEW_DECISIONS
from tacli.standards.spec import Spec

FORMAT_VERSION = 1
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# The longest id: an id names a folder of reports, and a service's with a suffix
# (-agenda.md) names a file, which most file systems keep under 255 bytes.
MAX_ID_LENGTH = 100
RECIPIENT_KINDS = ("district", "school", "early-childhood-program")
DUTY_STATUSES = ("done", "not-applicable", "open")
_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE_SHAPE.match(value):
        from tacli.core.dates import readings_of

        readings = readings_of(value) if isinstance(value, str) else ()
        if len(readings) == 1:
            raise ValueError(f"should be a date written YYYY-MM-DD: write '{value}' as {readings[0].isoformat()}")
        if readings:
            raise ValueError(f"should be a date written YYYY-MM-DD: '{value}' reads as {' or '.join(day.isoformat() for day in readings)}; write the one you mean")
        raise ValueError("should be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a real date: give a day that exists, as YYYY-MM-DD") from None


def _empty_list(**field: Any) -> Any:
    """A list field that is empty when left out: made anew for each engagement
    (a default of [] is deep-copied each time, a fifth of validating a file's
    optional lists), and shown in the JSON Schema with its default, as before."""
    extra = field.pop("json_schema_extra", None)

    def schema(value: dict) -> None:
        value["default"] = []
        if extra is not None:
            extra(value)

    return Field(default_factory=list, json_schema_extra=schema, **field)


# Names Windows keeps for devices: a folder or file named so cannot be made there,
# and reports are filed under engagement and service ids.
RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))})


def id_problem(value: Any) -> Optional[str]:
    """Why `value` cannot be an engagement or service id (ids name report files), or None."""
    if not isinstance(value, str):
        return "should be text: write the id in quotes"
    if not re.fullmatch(SLUG_PATTERN, value):
        return "should be lower-case letters and digits joined by hyphens, like elm-school-2026"
    if len(value) > MAX_ID_LENGTH:
        return _too_long(value)
    if value in RESERVED_NAMES:
        return f"'{value}' is a name Windows keeps for a device, and reports are filed under ids: choose another id"
    return None


def _too_long(value: str) -> str:
    return f"is {len(value)} characters long, more than the {MAX_ID_LENGTH} an id may have (it names report files): shorten it"


def _not_reserved(value: str) -> str:
    if value in RESERVED_NAMES:
        raise ValueError(id_problem(value))
    if len(value) > MAX_ID_LENGTH:
        raise ValueError(_too_long(value))
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("should not be blank: write it out")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date), WithJsonSchema({"type": "string", "format": "date"})]
# A text the engagement must give: blank is missing (its schema asks for a character that is not white space).
RequiredText = Annotated[str, AfterValidator(_not_blank), WithJsonSchema({"type": ["string", "number"], "pattern": r"\S"})]
# Text only (a number is not read as an id), of the id's shape, not a reserved name.
Slug = Annotated[str, Strict(), Field(pattern=SLUG_PATTERN), AfterValidator(_not_reserved),
                 WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN, "maxLength": MAX_ID_LENGTH, "not": {"enum": sorted(RESERVED_NAMES)}})]
TextList = list[str]


class Record(BaseModel):
    """Base of every engagement model: unknown keys are errors, numbers pass as text."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, populate_by_name=False)


class Person(Record):
    name: RequiredText
    role: Optional[str] = Field(None, description="Job title or role in the engagement.")
    email: Optional[str] = None
    phone: Optional[str] = None


class Participants(Record):
    count: Optional[StrictInt] = Field(None, ge=0)
    description: Optional[str] = None


class AgendaItem(Record):
    time: RequiredText = Field(description="The time frame, e.g. 09:00-09:30.")
    item: RequiredText
    outcome: Optional[str] = None


class DutyRecord(Record):
    status: Literal[DUTY_STATUSES] = Field(description="done (with a date and evidence), not-applicable (with a reason) or open.")  # type: ignore[valid-type]
    date: Optional[IsoDate] = Field(None, description="When the duty was done.")
    evidence: Optional[str] = Field(None, description="What shows it was done: a sign-in sheet, an agenda, an e-mail.")
    reason: Optional[str] = Field(None, description="Why the duty does not apply to this service (for not-applicable).")
    by: Optional[str] = Field(None, description="Who did it, when not the facilitator.")


class Agreement(Record):
    date: Optional[IsoDate] = None
    summary: Optional[str] = None


class ReachCount(Record):
    date: IsoDate
    reached: StrictInt = Field(ge=0)


class Reach(Record):
    beneficiaries: Optional[str] = Field(None, description="Who the engagement intends to benefit.")
    intended: Optional[StrictInt] = Field(None, ge=0)
    target_percent: Optional[StrictFloat] = Field(None, ge=0, le=100)
    reached: Optional[StrictInt] = Field(None, ge=0, description="The latest count of intended beneficiaries reached.")
    history: list[ReachCount] = _empty_list(description="Earlier counts of beneficiaries reached, each with its date, to show reach over time.")


class FidelityReview(Record):
    date: IsoDate
    measure: Optional[str] = None
    score: Optional[StrictFloat] = Field(None, ge=0, le=100, description="The measure's result, in percent of its criteria or points: a fidelity result.")
    summary: Optional[str] = None


class ReadinessRecord(Record):
    met: StrictBool
    evidence: Optional[str] = None


@dataclass
class EngagementModels:
    """The root model and what error messages need to explain it."""

    engagement: type[BaseModel]
    vocabularies: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    id_maps: dict[tuple, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def id_map(self, loc: tuple) -> Optional[tuple[str, tuple[str, ...]]]:
        """For a mapping keyed by spec ids (duties, features...): its label and ids."""
        shape = tuple("*" if isinstance(part, int) else part for part in loc)
        return self.id_maps.get(shape)


def _vocab(values) -> Any:
    values = tuple(values)
    if not values:
        return Annotated[str, AfterValidator(_reject_all)]
    return Literal[values]  # type: ignore[valid-type]


def _none_is_empty(value: Any) -> Any:
    """`services:` with nothing after it is an engagement with no services yet."""
    return [] if value is None else value


def _null_too(schema: dict) -> None:
    """The JSON Schema of a list that `_none_is_empty` also accepts as nothing."""
    listed = dict(schema)
    outer = {key: listed.pop(key) for key in ("description", "default") if key in listed}
    schema.clear()
    schema.update(anyOf=[listed, {"type": "null"}], **outer)


def _reject_all(value: str) -> str:
    raise ValueError("the standards define no values here")


def _id_model(name: str, ids, value_type, doc: dict[str, str]) -> type[BaseModel]:
    """A model with one optional field per spec id (its alias), so unknown ids are errors."""
    fields = {
        field_name(item_id): (Optional[value_type], Field(None, alias=item_id, description=doc.get(item_id)))
        for item_id in ids
    }
    return create_model(name, __base__=Record, **fields)


# Models already built, by the Spec they were built from (kept alive here, so an
# id is never reused while its entry stands).
_BUILT: dict[int, tuple[Spec, "EngagementModels"]] = {}


def models_for(spec: Spec) -> EngagementModels:
    """The engagement models of these standards, built once per Spec (a few tens of milliseconds)."""
    held = _BUILT.get(id(spec))
    if held is None or held[0] is not spec:
        held = _BUILT[id(spec)] = (spec, build_models(spec))
    return held[1]


def build_models(spec: Spec) -> EngagementModels:
    """Derive the engagement model from the spec."""
    models = EngagementModels(engagement=BaseModel)
    vocab = models.vocabularies

    def vocabulary(key: str, label: str, values) -> Any:
        values = tuple(values)
        vocab[key] = (label, values)
        return _vocab(values)

    duties = spec.every("duties")
    duty_model = _id_model("Duties", [d.id for d in duties], DutyRecord, {d.id: d.text for d in duties})
    models.id_maps[("services", "*", "duties")] = ("duty id", tuple(d.id for d in duties))

    report_sections = []
    for framework in spec.frameworks.values():
        if framework.report:
            report_sections.extend(s.id for s in framework.report.sections if s.id not in report_sections)
    decisions = vocabulary("decision", "review decision", REVIEW_DECISIONS)
    review_model = create_model(
        "Review",
        __base__=Record,
        reviewer=(RequiredText, Field(description="Who reviewed the report: one of the engagement's reviewers.")),
        decision=(decisions, Field(description="approved, or changes-requested (say which in the note); resubmitted: the report was revised as asked and goes back to this reviewer.")),
        date=(IsoDate, Field(description="The day of the decision, on or after the day the report was completed.")),
        note=(Optional[str], Field(None, description="What the reviewer said: the changes asked for, or a comment.")),
    )
    report_model = create_model(
        "TastReport",
        __base__=Record,
        completed=(Optional[IsoDate], Field(None, description="The date the report was completed.")),
        reviews=(list[review_model], _empty_list(description="Each reviewer's decisions on the report, in the order given; a reviewer's latest counts. The report is approved when every reviewer's latest decision is approved.")),
        **{field_name(s): (Optional[TextList], Field(None, alias=s)) for s in report_sections},
    )
    evaluation_model = _evaluation_model(spec, models)

    service_types = vocabulary("type", "support type", spec.ids("support_types"))
    topics = vocabulary("topics", "topic", spec.ids("topics"))
    modes = vocabulary("mode", "delivery mode", DELIVERY_MODES)
    service_model = create_model(
        "Service",
        __base__=Record,
        id=(Slug, Field(description="Unique within the engagement, e.g. 2026-10-02-data-teams.")),
        date=(IsoDate, Field(description="The date of the service; follow-up duties and the report are due after it.")),
        type=(service_types, Field(description="The support type, from the standards.")),
        mode=(modes, Field(description="How the service is delivered.")),
        hours=(Optional[StrictFloat], Field(None, ge=0, le=24, description="Hours of service (coaching offers count them against their cap).")),
        title=(Optional[str], None),
        facilitator=(Optional[Person], None),
        topics=(list[topics], _empty_list(description="Professional development topics, from the standards.")),
        participants=(Optional[Participants], None),
        purpose=(Optional[str], None),
        intended_outcomes=(TextList, _empty_list()),
        implementation_expectations=(TextList, _empty_list()),
        agenda=(list[AgendaItem], _empty_list(description="The learning agenda: time frames and outcomes.")),
        norms=(TextList, _empty_list()),
        evaluation_forms=(Optional[evaluation_model], Field(None, description="What the completed evaluation forms said: how many were requested and returned, the mean of their ratings, and the participants' comments.")),
        duties=(Optional[duty_model], Field(None, description="One record per duty of the standards' duty matrix, keyed by the duty id.")),
        tast_report=(Optional[report_model], Field(None, description="The service's report; its sections come from the standards.")),
        notes=(Optional[str], None),
    )

    roles = vocabulary("role", "role", spec.ids("roles"))
    staff_role_model = create_model(
        "StaffRole",
        __base__=Record,
        name=(RequiredText, ...),
        title=(Optional[str], None),
        role=(Optional[roles], Field(None, description="The standards role this person holds.")),
        responsibilities=(TextList, _empty_list()),
        contribution=(Optional[str], Field(None, description="How enacting the role contributes to the desired change.")),
    )
    element_types = {"text": str, "text-list": TextList, "people": list[staff_role_model]}
    plan_fields: dict[str, Any] = {}
    for element in spec.every("elements"):
        if element.value == "record":
            value_type: Any = create_model(
                "Element_" + field_name(element.id), __base__=Record, **{field_name(f): (Optional[TextList], Field(None, alias=f)) for f in element.fields}
            )
        else:
            value_type = element_types[element.value]
        plan_fields[field_name(element.id)] = (Optional[value_type], Field(None, alias=element.id, description=element.definition))
    plan_model = create_model("Plan", __base__=Record, **plan_fields)
    models.id_maps[("plan",)] = ("plan element", tuple(spec.ids("elements")))

    features = spec.every("features")
    feature_fields = {}
    for feature in features:
        indicator_ids = [i.id for i in feature.indicators]
        indicator_model = _id_model("Feature_" + field_name(feature.id), indicator_ids, str, {i.id: i.text for i in feature.indicators})
        feature_fields[field_name(feature.id)] = (Optional[indicator_model], Field(None, alias=feature.id, description=feature.title))
        models.id_maps[("intensive", "features", feature.id)] = (f"indicator of {feature.id}", tuple(indicator_ids))
    features_model = create_model("Features", __base__=Record, **feature_fields)
    models.id_maps[("intensive", "features")] = ("feature", tuple(f.id for f in features))
    intensive_model = create_model(
        "Intensive",
        __base__=Record,
        agreement=(Optional[Agreement], None),
        reach=(Optional[Reach], None),
        features=(Optional[features_model], None),
        fidelity_reviews=(list[FidelityReview], _empty_list()),
    )

    levels = vocabulary("level", "evidence level", spec.ids("evidence_levels"))
    outcome_model = create_model(
        "Outcome",
        __base__=Record,
        date=(IsoDate, Field(description="When it was observed.")),
        level=(levels, Field(description=f"The level of the evidence, one of the standards' evidence levels, lowest first: {', '.join(spec.ids('evidence_levels')) or 'none defined'}.")),
        observed=(RequiredText, Field(description="What was observed.")),
        evidence=(Optional[str], Field(None, description="Where the evidence is: a document, a data file, a link.")),
    )

    readiness = spec.every("readiness")
    readiness_model = _id_model("Readiness", [r.id for r in readiness], ReadinessRecord, {r.id: r.text or "" for r in readiness})
    models.id_maps[("coaching", "readiness")] = ("readiness criterion", tuple(r.id for r in readiness))
    terms = vocabulary("term", "term", spec.ids("terms"))
    coaching_model = create_model(
        "Coaching",
        __base__=Record,
        coach=(Person, ...),
        term=(Optional[terms], None),
        hour_cap=(Optional[StrictFloat], Field(None, ge=0)),
        readiness=(Optional[readiness_model], None),
    )

    partners = vocabulary("partner", "partner", spec.ids("partners"))
    kinds = vocabulary("kind", "recipient kind", RECIPIENT_KINDS)
    recipient_model = create_model(
        "Recipient",
        __base__=Record,
        kind=(kinds, Field(description="district, school or early-childhood-program.")),
        name=(RequiredText, ...),
        district=(Optional[str], Field(None, description="The recipient's district, for a school.")),
        title_i=(Optional[StrictBool], Field(None, description="A Title I school or district.")),
        in_need_of_improvement=(Optional[StrictBool], Field(None, description="Identified as in need of improvement.")),
        point_person=(Optional[Person], None),
    )
    provider_model = create_model(
        "Provider",
        __base__=Record,
        organization=(RequiredText, Field(description="The provider organization.")),
        partner=(Optional[partners], Field(None, description="The provider's partner id in the standards.")),
        facilitator=(Person, Field(description="The facilitator or coach.")),
    )

    tiers = vocabulary("tier", "tier", spec.tier_aliases)
    frameworks = vocabulary("frameworks", "framework", spec.frameworks)
    models.engagement = create_model(
        "Engagement",
        __base__=Record,
        tacli=(Literal[FORMAT_VERSION], Field(description="The engagement format version.")),  # type: ignore[valid-type]
        id=(Slug, Field(description="The engagement's id: lower-case words joined by hyphens.")),
        title=(RequiredText, ...),
        tier=(tiers, Field(description="How intensive the TA is: basic, targeted or intensive.")),
        frameworks=(list[frameworks], Field(min_length=1, description="The standards that apply to this engagement.")),
        recipient=(recipient_model, Field(description="Who receives the TA: a district, school or early-childhood program.")),
        provider=(provider_model, Field(description="Who provides the TA.")),
        start=(IsoDate, Field(description="The start date.")),
        end=(Optional[IsoDate], Field(None, description="The planned end date.")),
        plan=(Optional[plan_model], Field(None, description="The written plan: the planning elements of the standards.")),
        services=(Annotated[list[service_model], BeforeValidator(_none_is_empty)], _empty_list(description="The services delivered, each a dated session.", json_schema_extra=_null_too)),
        intensive=(Optional[intensive_model], Field(None, description="For intensive TA: the agreement, reach, features and fidelity reviews.")),
        coaching=(Optional[coaching_model], Field(None, description="For a coaching offer: the coach, term, hour cap and readiness.")),
        reviewers=(list[Person], _empty_list(description="Who reviews each service's report: a report is approved when every one of them approved it.")),
        outcomes=(list[outcome_model], _empty_list(description="Evidence that outcomes moved, each dated, at a level of the standards' evidence levels, with what was observed and where the evidence is.")),
        notes=(Optional[str], None),
    )
    return models


def _evaluation_model(spec: Spec, models: EngagementModels) -> type[BaseModel]:
    """A service's evaluation forms: counts, the mean of each rating the standards
    name (on their scale), comments, and a summary in words."""
    ratings = spec.every("ratings")
    scale = spec.rating_scale
    bounds = {"ge": scale.min, "le": scale.max} if scale is not None else {}
    mean = Annotated[StrictFloat, Field(**bounds)]
    on = f" on the scale {scale.min} to {scale.max}" if scale is not None else ""
    ratings_model = _id_model("Ratings", [r.id for r in ratings], mean, {r.id: f"{r.label}: the mean of the forms' ratings{on}." for r in ratings})
    models.id_maps[("services", "*", "evaluation_forms", "ratings")] = ("rating", tuple(r.id for r in ratings))
    return create_model(
        "EvaluationForms",
        __base__=Record,
        requested=(Optional[StrictInt], Field(None, ge=0, le=MAX_FORMS, description="How many forms were handed out or sent.")),
        returned=(Optional[StrictInt], Field(None, ge=0, le=MAX_FORMS, description="How many completed forms came back.")),
        rated=(Optional[StrictInt], Field(None, ge=0, le=MAX_FORMS, description="How many of them gave the ratings (default: every form returned).")),
        ratings=(Optional[ratings_model], Field(None, description=f"The mean rating of each thing the forms rate{on}.")),
        comments=(TextList, _empty_list(description="What the participants wrote, one comment an entry.")),
        summary=(Optional[str], Field(None, description="What the forms said, in a sentence.")),
    )


