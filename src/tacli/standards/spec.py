"""The standards spec: frameworks loaded from a folder of declarative YAML files.

Everything the checks ask for (duties, plan elements, intensive-TA features,
vocabularies, limits) comes from here, so a center can plug in its own
standards folder without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tacli.standards.vocabulary import (
    CONDITION_KINDS,
    DATED_RULES,
    DUTY_DATED_RULES,
    DELIVERY_MODES,
    DUTY_DUE_RULES,
    HOURS_KINDS,
    TRAINING,
    LIMITS,
    MODES_CONDITION,
    RECIPIENT_FACTS,
    QUOTED,
    RECORD_ROOTS,
    REPORT_KEYS,
    SECTIONS_REQUIRED,
    SOURCE_WORDS,
    STAGE_DUE_RULES,
)
from tacli.core.findings import Finding, FindingsError, finding
from tacli.standards.spec_rule import SPEC_INVALID
from tacli.io.userfiles import explain
from tacli.io.yamlsource import Document, YamlError, load_path
from tacli.core.paths import shipped_standards  # noqa: F401 - also imported from here


ID_PATTERN = r"^[a-z0-9]+([._-][a-z0-9]+)*$"


class SpecError(FindingsError):
    """The standards folder cannot be used; carries every finding about it."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


Id = Field(pattern=ID_PATTERN)


class Source(_Strict):
    document: str
    publisher: str
    year: Optional[int] = None
    citation: Optional[str] = None
    note: Optional[str] = None
    # Which words are the source's: `quoted` (word for word from a copy of it) or
    # `published-names` (the commonly published names of its items, no copy held).
    words: Literal[SOURCE_WORDS] = QUOTED  # type: ignore[valid-type]


class Stage(_Strict):
    id: str = Id
    title: str
    due: Literal[STAGE_DUE_RULES]  # type: ignore[valid-type]
    dated: Optional[Literal[DATED_RULES]] = None  # type: ignore[valid-type]
    ref: Optional[str] = None
    note: Optional[str] = None


class Role(_Strict):
    id: str = Id
    title: str
    ref: Optional[str] = None


class Duty(_Strict):
    id: str = Id
    stage: str
    role: str
    number: str
    text: str
    condition: Optional[str] = None
    due: Optional[Literal[DUTY_DUE_RULES]] = None  # type: ignore[valid-type]  # instead of its stage's
    recorded_in: Optional[str] = None  # the engagement data that shows it done: service.agenda, engagement.recipient.point_person
    dated: Optional[Literal[DUTY_DATED_RULES]] = None  # type: ignore[valid-type]  # besides its stage's: from-report
    ref: Optional[str] = None
    note: Optional[str] = None
    framework: str = ""


class ReportSection(_Strict):
    id: str = Id
    title: str


class Report(_Strict):
    id: str = Id
    title: str
    due_days: int = Field(ge=0)
    due_soon_days: int = Field(ge=0)
    duty: Optional[str] = None  # the duty that completing the report is
    review_duty: Optional[str] = None  # the duty that reviewing it is: its due rule says when a review is due
    quote: Optional[str] = None
    ref: Optional[str] = None
    note: Optional[str] = None
    sections: list[ReportSection]


class Element(_Strict):
    id: str = Id
    title: str
    definition: str
    value: Literal["text", "text-list", "record", "people"]
    fields: list[str] = []
    ref: Optional[str] = None


class Indicator(_Strict):
    id: str = Id
    text: str
    ref: Optional[str] = None


class Feature(_Strict):
    id: str = Id
    title: str
    illustration: Optional[str] = None
    ref: Optional[str] = None
    indicators: list[Indicator] = Field(min_length=1)


class Item(_Strict):
    """A named item of a vocabulary: a support type, topic, partner, tier, term..."""

    id: str = Id
    title: Optional[str] = None
    text: Optional[str] = None
    ref: Optional[str] = None
    note: Optional[str] = None
    aliases: list[str] = []
    support_type: Optional[str] = None
    counts_as: Optional[Literal[HOURS_KINDS]] = None  # type: ignore[valid-type]  # a support type's hours: training or technical assistance
    requires: Optional[Literal[SECTIONS_REQUIRED]] = None  # type: ignore[valid-type]  # an assumption that needs a framework with this section listed
    starts: Optional[date] = None  # a term's first day
    ends: Optional[date] = None  # a term's last day
    tier: Optional[str] = None  # a level of TA: the tier it is (ta_levels)

    @property
    def label(self) -> str:
        return self.title or self.text or self.id


class Limit(_Strict):
    value: Union[int, float]
    unit: str
    support_types: list[str] = []  # the support types the limit counts (default: every one)
    modes: list[str] = []  # the delivery modes the limit counts (default: every one)
    level: Optional[str] = None  # the outcome evidence level the limit asks for (outcome_evidence_days)
    quote: Optional[str] = None
    ref: Optional[str] = None
    note: Optional[str] = None


class RatingScale(_Strict):
    """The scale of the ratings on evaluation forms: whole points from `min` to `max`,
    and what the ends mean."""

    min: int
    max: int
    low: Optional[str] = None  # what the lowest point means
    high: Optional[str] = None  # what the highest point means
    ref: Optional[str] = None
    note: Optional[str] = None


class Condition(_Strict):
    """A condition of an offer on the services delivered under it, in the source's words."""

    id: str = Id
    kind: Literal[CONDITION_KINDS]  # type: ignore[valid-type]
    modes: list[str] = []  # kind modes: the delivery modes the offer allows
    support_types: list[str] = []  # the support types the condition applies to (default: every one)
    quote: str
    ref: Optional[str] = None
    note: Optional[str] = None


class Eligibility(_Strict):
    """Who the framework's TA is for: a fact the recipient's record should show."""

    id: str = Id
    field: Literal[tuple(RECIPIENT_FACTS)]  # type: ignore[valid-type]
    quote: str
    ref: Optional[str] = None
    note: Optional[str] = None


class Framework(_Strict):
    id: str = Id
    title: str
    source: Source
    definition: Optional[str] = None
    stages: list[Stage] = []
    roles: list[Role] = []
    duties: list[Duty] = []
    report: Optional[Report] = None
    elements: list[Element] = []
    features: list[Feature] = []
    assumptions: list[Item] = []
    tiers: list[Item] = []
    support_types: list[Item] = []
    topics: list[Item] = []
    partners: list[Item] = []
    aims: list[Item] = []
    priorities: list[Item] = []
    readiness: list[Item] = []
    terms: list[Item] = []
    evidence_levels: list[Item] = []  # levels of outcome evidence, lowest first (Guskey)
    ta_levels: list[Item] = []  # levels of TA a funder counts by, each the tier it is (OSEP)
    ratings: list[Item] = []  # what evaluation forms rate (quality, relevance, usefulness)
    rating_scale: Optional[RatingScale] = None
    limits: dict[str, Limit] = {}
    conditions: list[Condition] = []
    eligibility: list[Eligibility] = []


VOCABULARIES = ("assumptions", "tiers", "support_types", "topics", "partners", "aims", "priorities", "readiness", "terms", "evidence_levels", "ta_levels", "ratings")


@dataclass
class Spec:
    """All frameworks of one standards folder, with look-ups across them."""

    folder: Path
    frameworks: dict[str, Framework]
    files: dict[str, str] = field(default_factory=dict)

    def every(self, section: str) -> list:
        """Every item of `section` (e.g. "duties", "topics") across the frameworks, in spec order."""
        out: list = []
        for framework in self.frameworks.values():
            out.extend(getattr(framework, section))
        return out

    def ids(self, section: str) -> list[str]:
        return [item.id for item in self.every(section)]

    @cached_property
    def _owners(self) -> dict[tuple[str, str], str]:
        owners = {}
        for framework in self.frameworks.values():
            for section in ("duties", "elements", "features") + VOCABULARIES:
                for item in getattr(framework, section):
                    owners[(section, item.id)] = framework.id
            if framework.report:
                for report_section in framework.report.sections:
                    owners[("report_sections", report_section.id)] = framework.id
        return owners

    def owner(self, section: str, item_id: str) -> Optional[str]:
        """The id of the framework that defines `item_id` in `section` (support_types, topics, duties...)."""
        return self._owners.get((section, item_id))

    @cached_property
    def duty_by_id(self) -> dict[str, Duty]:
        return {duty.id: duty for duty in self.every("duties")}

    @cached_property
    def stage_by_id(self) -> dict[str, Stage]:
        return {stage.id: stage for stage in self.every("stages")}

    @cached_property
    def role_by_id(self) -> dict[str, Role]:
        return {role.id: role for role in self.every("roles")}

    @cached_property
    def training_support_types(self) -> frozenset[str]:
        """The support types whose hours count as training (`counts_as: training`); the others' as TA."""
        return frozenset(item.id for item in self.every("support_types") if item.counts_as == TRAINING)

    @cached_property
    def tier_aliases(self) -> dict[str, str]:
        """Every accepted tier name, aliases included, mapped to its canonical id."""
        names: dict[str, str] = {}
        for tier in self.every("tiers"):
            names[tier.id] = tier.id
            for alias in tier.aliases:
                names[alias] = tier.id
        return names

    @cached_property
    def evidence_rank(self) -> dict[str, int]:
        """Each outcome evidence level's place, lowest first, in the standards' order."""
        return {level.id: index for index, level in enumerate(self.every("evidence_levels"))}

    @cached_property
    def rating_scale(self) -> Optional[RatingScale]:
        """The scale evaluation forms rate on (one a folder), or None."""
        return next((f.rating_scale for f in self.frameworks.values() if f.rating_scale is not None), None)

    @cached_property
    def ta_level_of_tier(self) -> dict[str, Item]:
        """The level of TA (ta_levels) each tier id is, when the standards say."""
        return {level.tier: level for level in self.every("ta_levels") if level.tier}

    def limit(self, name: str, frameworks=None) -> Optional[Limit]:
        for fid in self.frameworks if frameworks is None else frameworks:
            framework = self.frameworks.get(fid)
            if framework and name in framework.limits:
                return framework.limits[name]
        return None

    def with_section(self, section: str, frameworks) -> list[Framework]:
        """The listed frameworks that define `section`, in spec order."""
        return [self.frameworks[f] for f in self.frameworks if f in frameworks and getattr(self.frameworks[f], section)]


# Standards already loaded in this process, by their files' names and bytes: a
# long-lived process (the test suite, a server) loads each set once, and a file
# changed on disk is loaded again.
_LOADED: dict[tuple, Spec] = {}
_MOST_CACHED_BYTES = 1 << 20


def load_spec(folder: Path, shown: Optional[str] = None) -> Spec:
    """Load and cross-check every framework file in `folder`; raise SpecError listing every problem.

    `shown` is the folder as the user wrote it, for the error's summary."""
    key = _content_key(folder, shown)
    if key is not None and key in _LOADED:
        return _LOADED[key]
    spec = _load_spec(folder, shown)
    if key is not None:
        _LOADED[key] = spec
    return spec


def _content_key(folder: Path, shown: Optional[str]) -> Optional[tuple]:
    """The folder's YAML files by name and bytes, or None when one is not a small
    regular file (a FIFO is never opened here: loading reports it)."""
    import os
    import stat

    try:
        entries = []
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if not entry.name.endswith((".yaml", ".yml")):
                continue
            status = entry.stat()
            if not stat.S_ISREG(status.st_mode) or status.st_size > _MOST_CACHED_BYTES:
                return None
            entries.append((entry.name, Path(entry.path).read_bytes()))
    except OSError:
        return None
    return (str(folder), shown, tuple(entries))


def _load_spec(folder: Path, shown: Optional[str]) -> Spec:
    subject = f"the standards in {shown or folder}"
    if not folder.is_dir():
        raise SpecError([finding(SPEC_INVALID, str(folder), (1, 1), "standards folder not found: give an existing folder with --standards or TACLI_STANDARDS")], subject)
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.is_dir())  # a FIFO or a device is reported, not skipped
    except OSError as exc:
        raise SpecError([finding(SPEC_INVALID, str(folder), (1, 1), f"cannot list the standards folder: {explain(exc)}")], subject) from None
    if not paths:
        raise SpecError([finding(SPEC_INVALID, str(folder), (1, 1), "the standards folder holds no .yaml files")], subject)
    problems: list[Finding] = []
    frameworks: dict[str, Framework] = {}
    documents: dict[str, Document] = {}
    for path in paths:
        try:
            document = load_path(path)
        except YamlError as exc:
            problems.append(_of_a_standards_file(exc.finding))
            continue
        problems.extend(_of_a_standards_file(item) for item in document.problems)
        framework = _validate_framework(document, problems)
        if framework is None:
            continue
        if framework.id in frameworks:
            problems.append(finding(SPEC_INVALID, document.path, document.locate(("id",)), f"framework id '{framework.id}' is already used by {documents[framework.id].path}: give each framework its own id"))
            continue
        frameworks[framework.id] = framework
        documents[framework.id] = document
    # Files that validated are cross-checked even when others did not, so one run
    # lists every problem; checks across the whole folder need every file.
    _cross_check(frameworks, documents, problems, whole_folder=not problems)
    if problems:
        raise SpecError(problems, subject)
    spec = Spec(folder, {fid: _with_owner(fw) for fid, fw in frameworks.items()}, {fid: d.path for fid, d in documents.items()})
    return spec


def _with_owner(framework: Framework) -> Framework:
    duties = [duty.model_copy(update={"framework": framework.id}) for duty in framework.duties]
    return framework.model_copy(update={"duties": duties})


# The reader's words for engagement files, said of a standards file instead.
_STANDARDS_WORDS = (
    ("write the engagement as a mapping, or create one with `tacli new engagement`", "write the framework as a mapping of its keys (docs/standards-format.md)"),
    ("split the engagement into smaller files", "split the framework into smaller files"),
    ("an engagement file needs far fewer", "a standards file needs far fewer"),
    ("an engagement needs far fewer", "a standards file needs far fewer"),
    ("engagement files hold plain text", "standards files hold plain text"),
)


def _of_a_standards_file(item: Finding) -> Finding:
    """A finding of the YAML reader about a standards file, in words for one."""
    from dataclasses import replace

    message = item.message
    for engagement_words, standards_words in _STANDARDS_WORDS:
        message = message.replace(engagement_words, standards_words)
    return replace(item, message=message) if message != item.message else item


def _validate_framework(document: Document, problems: list[Finding]) -> Optional[Framework]:
    if not isinstance(document.data, dict):
        problems.append(finding(SPEC_INVALID, document.path, document.locate(), "a standards file must be a mapping with id, title, source and its sections"))
        return None
    try:
        return Framework.model_validate(document.data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            if error["type"] == "extra_forbidden":
                where = document.locate_key(loc)
                message = f"unknown key '{loc[-1]}' in a standards file: see docs/standards-format.md for the keys each section takes"
            elif error["type"] == "missing":
                where = document.locate(loc[:-1])
                message = f"missing '{loc[-1]}'" + (f" in {_dotted(loc[:-1])}" if loc[:-1] else "") + ": add it"
            else:
                where = document.locate(loc)
                message = f"{_dotted(loc)}: {error['msg']}"
            problems.append(finding(SPEC_INVALID, document.path, where, message))
        return None


def _dotted(loc: tuple) -> str:
    return ".".join(str(part) for part in loc)


def _cross_check(frameworks: dict[str, Framework], documents: dict[str, Document], problems: list[Finding], whole_folder: bool = True) -> None:
    """References between items, unique ids across the folder, known limits.

    Without `whole_folder` (some file did not validate), only what each file can
    be checked for on its own and against the others that did validate.
    """
    seen: dict[tuple[str, str], str] = {}

    def report(fid: str, loc: tuple, message: str) -> None:
        document = documents[fid]
        problems.append(finding(SPEC_INVALID, document.path, document.locate(loc), message))

    sections = ("stages", "roles", "duties", "elements", "features") + VOCABULARIES
    for fid, framework in frameworks.items():
        for section in sections:
            for index, item in enumerate(getattr(framework, section)):
                owner = seen.get((section, item.id))
                if owner is not None:
                    where = "earlier in this file" if owner == fid else f"in {documents[owner].path}"
                    report(fid, (section, index, "id"), f"{section} id '{item.id}' is already defined {where}: ids must be unique")
                seen[(section, item.id)] = fid
        for index, feature in enumerate(framework.features):
            ids = [indicator.id for indicator in feature.indicators]
            for position, indicator_id in enumerate(ids):
                if indicator_id in ids[:position]:
                    report(fid, ("features", index, "indicators", position, "id"), f"indicator id '{indicator_id}' appears twice in feature '{feature.id}'")
        stages = {stage.id for stage in framework.stages}
        roles = {role.id for role in framework.roles}
        for index, duty in enumerate(framework.duties):
            if duty.stage not in stages:
                report(fid, ("duties", index, "stage"), f"duty '{duty.id}' names stage '{duty.stage}', which this file's stages do not define")
            if duty.role not in roles:
                report(fid, ("duties", index, "role"), f"duty '{duty.id}' names role '{duty.role}', which this file's roles do not define")
        if framework.duties and framework.report is None:
            report(fid, ("duties",), "a framework with duties needs a report section (title, due_days, due_soon_days, sections)")
        for index, element in enumerate(framework.elements):
            if element.value == "record" and not element.fields:
                report(fid, ("elements", index, "value"), f"element '{element.id}' is a record: list its fields")
        for name in framework.limits:
            if name not in LIMITS:
                report(fid, ("limits", name), f"unknown limit '{name}': the rules read {', '.join(sorted(LIMITS))}")
        duty_ids = {duty.id for duty in framework.duties}
        if framework.report is not None and framework.report.duty is not None and framework.report.duty not in duty_ids:
            report(fid, ("report", "duty"), f"the report names duty '{framework.report.duty}', which this file's duties do not define")
        if framework.report is not None and framework.report.review_duty is not None and framework.report.review_duty not in duty_ids:
            report(fid, ("report", "review_duty"), f"the report names review duty '{framework.report.review_duty}', which this file's duties do not define")
        if framework.report is not None:
            for index, section in enumerate(framework.report.sections):
                if section.id in REPORT_KEYS:
                    report(fid, ("report", "sections", index, "id"), f"a report section may not be called '{section.id}': the report holds {' and '.join(REPORT_KEYS)} besides its sections")
        scale = framework.rating_scale
        if scale is not None and not scale.min < scale.max:
            report(fid, ("rating_scale",), f"the rating scale runs from {scale.min} to {scale.max}: give a min below its max")
        for section in VOCABULARIES:
            if section != "ta_levels":
                for index, item in enumerate(getattr(framework, section)):
                    if item.tier is not None:
                        report(fid, (section, index, "tier"), f"{section} item '{item.id}' has tier: only levels of TA (ta_levels) do")
        for index, duty in enumerate(framework.duties):
            if duty.recorded_in is not None and duty.recorded_in.split(".")[0] not in RECORD_ROOTS:
                report(fid, ("duties", index, "recorded_in"), f"duty '{duty.id}' is recorded in '{duty.recorded_in}': write service.<key> or engagement.<key>.<key> (docs/standards-format.md)")
        for section in VOCABULARIES:
            if section != "support_types":
                for index, item in enumerate(getattr(framework, section)):
                    if item.counts_as is not None:
                        report(fid, (section, index, "counts_as"), f"{section} item '{item.id}' has counts_as: only support types do")
        for index, term in enumerate(framework.terms):
            if (term.starts is None) != (term.ends is None) or (term.starts and term.ends and term.starts > term.ends):
                report(fid, ("terms", index), f"term '{term.id}' needs both starts and ends, the first on or before the last")
        for index, condition in enumerate(framework.conditions):
            if condition.kind == MODES_CONDITION and not condition.modes:
                report(fid, ("conditions", index), f"condition '{condition.id}' is about modes: list them in modes")
    if not whole_folder:
        return
    scales = [fid for fid, fw in frameworks.items() if fw.rating_scale is not None]
    for fid in scales[1:]:
        report(fid, ("rating_scale",), f"a rating scale is already given in {documents[scales[0]].path}: evaluation forms rate on one scale")
    for fid, framework in frameworks.items():
        if framework.ratings and not scales:
            report(fid, ("ratings",), "ratings need a rating_scale (min and max) in this folder: add one")
    evidence_levels = {item.id for fw in frameworks.values() for item in fw.evidence_levels}
    tier_ids = {item.id for fw in frameworks.values() for item in fw.tiers}
    levelled: dict[str, str] = {}
    for fid, framework in frameworks.items():
        for index, level in enumerate(framework.ta_levels):
            if level.tier is None:
                report(fid, ("ta_levels", index), f"level '{level.id}' names no tier: add the tier it is (tier: ...)")
            elif level.tier not in tier_ids:
                report(fid, ("ta_levels", index, "tier"), f"level '{level.id}' names tier '{level.tier}', which no framework defines")
            elif level.tier in levelled:
                report(fid, ("ta_levels", index, "tier"), f"tier '{level.tier}' is already the level '{levelled[level.tier]}': a tier is one level")
            else:
                levelled[level.tier] = level.id
        for name, limit in framework.limits.items():
            if limit.level is not None and limit.level not in evidence_levels:
                report(fid, ("limits", name, "level"), f"limit '{name}' names evidence level '{limit.level}', which no framework defines (evidence_levels)")
    support_types = {item.id for fw in frameworks.values() for item in fw.support_types}
    modes = set(DELIVERY_MODES)
    for fid, framework in frameworks.items():
        for index, topic in enumerate(framework.topics):
            if topic.support_type and topic.support_type not in support_types:
                report(fid, ("topics", index, "support_type"), f"topic '{topic.id}' names support type '{topic.support_type}', which no framework defines")
        named = [(("limits", name), limit) for name, limit in framework.limits.items()] + [(("conditions", index), c) for index, c in enumerate(framework.conditions)]
        for loc, holder in named:
            for kind in holder.support_types:
                if kind not in support_types:
                    report(fid, loc + ("support_types",), f"support type '{kind}' is defined by no framework")
            for mode in holder.modes:
                if mode not in modes:
                    report(fid, loc + ("modes",), f"unknown delivery mode '{mode}': the modes are {', '.join(DELIVERY_MODES)}")
    if not any(fw.tiers for fw in frameworks.values()):
        first = next(iter(frameworks))
        report(first, (), "no framework in this folder defines tiers: engagements need basic/targeted/intensive tiers")
    aliases: dict[str, str] = {}
    for fid, framework in frameworks.items():
        for index, tier in enumerate(framework.tiers):
            for name in (tier.id, *tier.aliases):
                if name in aliases and aliases[name] != tier.id:
                    report(fid, ("tiers", index), f"tier name '{name}' is used by two tiers")
                aliases[name] = tier.id
