"""A center's roster of its service area: the districts, schools and programs
it serves, with their flags (Title I, in need of improvement, priority). It is
a YAML file of its own, `roster: 1` at its top, given with `--roster FILE` or
`roster` in tacli.toml; a folder search never takes it for an engagement
(docs/roster.md).

Every problem in it is a `roster-invalid` finding at its line and column, and
the command stops (exit 2), as with the configuration: coverage counted from a
roster read wrong would mislead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError

from tacli.core.findings import FindingsError, finding
from tacli.reading.file_rules import ROSTER_INVALID
from tacli.domain.services import folded
from tacli.standards.models import RECIPIENT_KINDS, RequiredText

ROSTER_VERSION = 1


class RosterError(FindingsError):
    """The roster cannot be used; carries every finding about it."""


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class RosterEntry(_Record):
    kind: Literal[RECIPIENT_KINDS] = Field(description="district, school or early-childhood-program.")  # type: ignore[valid-type]
    name: RequiredText = Field(description="As the engagement files name the recipient.")
    district: Optional[str] = Field(None, description="The district of a school or program.")
    title_i: Optional[StrictBool] = Field(None, description="A Title I school or district.")
    in_need_of_improvement: Optional[StrictBool] = Field(None, description="Identified as in need of improvement.")
    priority: Optional[StrictBool] = Field(None, description="A priority of the center or its funder: coverage names it when it has no TA.")
    notes: Optional[str] = None


class RosterModel(_Record):
    roster: StrictInt
    area: Optional[str] = Field(None, description="The service area's name.")
    no_service_days: Optional[StrictInt] = Field(None, ge=1, description="Days after which a recipient's latest service no longer counts as recent (default 365).")
    recipients: list[RosterEntry] = Field(min_length=1)


@dataclass
class Roster:
    """The roster as read: its file as the user named it, its data, and where each entry is written."""

    path: str
    area: Optional[str]
    no_service_days: Optional[int]
    recipients: list[RosterEntry]
    document: Any  # io.yamlsource.Document

    def position(self, index: int, key: str = "name") -> tuple[int, int]:
        return self.document.locate(("recipients", index, key))


def load_roster(path: Path, shown: Optional[str] = None) -> Roster:
    """The roster at `path`, or RosterError with every problem in it."""
    from tacli.io.yamlsource import YamlError, load_path

    name = shown or str(path)
    subject = f"the roster {name}"
    if not path.exists() and not path.is_symlink():
        raise RosterError([finding(ROSTER_INVALID, name, (1, 1), "no such file: give the roster's path with --roster or `roster` in tacli.toml")], subject)
    if path.is_dir():
        raise RosterError([finding(ROSTER_INVALID, name, (1, 1), "it is a folder: give the roster file's path with --roster or `roster` in tacli.toml")], subject)
    try:
        document = load_path(path, name)
    except YamlError as exc:
        raise RosterError([finding(ROSTER_INVALID, name, (exc.finding.line, exc.finding.column), _of_a_roster(exc.finding.message))], subject) from None
    data = document.data
    if not isinstance(data, dict) or "roster" not in data:
        hint = " (it is an engagement file: the roster is a file of its own)" if isinstance(data, dict) and "tacli" in data else ""
        raise RosterError([finding(ROSTER_INVALID, name, document.locate(()), f"not a roster: its top level is a mapping with `roster: {ROSTER_VERSION}` and `recipients`{hint} (docs/roster.md)")], subject)
    problems = [finding(ROSTER_INVALID, name, (item.line, item.column), _of_a_roster(item.message)) for item in document.problems]
    try:
        model = RosterModel.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            if error["type"] == "extra_forbidden":
                from tacli.core.suggest import did_you_mean

                fields = RosterEntry.model_fields if len(loc) > 2 else RosterModel.model_fields
                hint = did_you_mean(str(loc[-1]), fields) or f" it takes {', '.join(fields)}."
                message = f"unknown key '{loc[-1]}' in {_where(loc[:-1])}:{hint}"
                problems.append(finding(ROSTER_INVALID, name, document.locate_key(loc), message))
            elif error["type"] == "literal_error" and loc[-1] == "kind":
                problems.append(finding(ROSTER_INVALID, name, document.locate(loc), f"unknown recipient kind '{error.get('input')}' in {_where(loc[:-1])}: one of {', '.join(RECIPIENT_KINDS)}"))
            elif error["type"] == "missing":
                problems.append(finding(ROSTER_INVALID, name, document.locate(loc[:-1]), f"missing '{loc[-1]}' in {_where(loc[:-1])}: add it"))
            else:
                problems.append(finding(ROSTER_INVALID, name, document.locate(loc), f"{_where(loc)}: {_in_words(error, loc)}"))
        raise RosterError(sorted(problems, key=lambda f: f.sort_key()), subject) from None
    if model.roster != ROSTER_VERSION:
        problems.append(finding(ROSTER_INVALID, name, document.locate(("roster",)), f"unsupported roster version {model.roster}: this tacli reads `roster: {ROSTER_VERSION}`"))
    seen: dict[tuple, int] = {}
    named: dict[tuple, list[int]] = {}  # (kind, name) -> the entries before, to find one without a district
    for index, entry in enumerate(model.recipients):
        named_as = (entry.kind, folded(entry.name))
        key = named_as + (folded(entry.district or ""),)
        where = document.locate(("recipients", index, "name"))
        if key in seen:
            problems.append(finding(ROSTER_INVALID, name, where, f"'{entry.name}' is on the roster twice (recipient {seen[key] + 1} and {index + 1}): keep one"))
        else:
            # With a district and without one, an engagement there would be either entry (coverage.matches).
            other = next((before for before in named.get(named_as, []) if not model.recipients[before].district or not entry.district), None)
            if other is not None:
                problems.append(finding(ROSTER_INVALID, name, where, f"'{entry.name}' is on the roster twice (recipient {other + 1} and {index + 1}), one of them without a district: "
                                        "give each its district, or keep one"))
        seen.setdefault(key, index)
        named.setdefault(named_as, []).append(index)
    if problems:
        raise RosterError(sorted(problems, key=lambda f: f.sort_key()), subject)
    return Roster(name, model.area, model.no_service_days, list(model.recipients), document)


# What reading YAML says of an engagement file, said of a roster.
_ROSTER_WORDS = (
    ("write the engagement as a mapping, or create one with `tacli new engagement`", f"write the roster: `roster: {ROSTER_VERSION}` and its `recipients` (docs/roster.md)"),
    ("an engagement needs far fewer; split it into smaller files", "a roster is read whole: keep only the recipients of the service area and their keys"),
    ("split the engagement into smaller files", "keep only the recipients of the service area and their keys"),
    ("engagement files hold", "a roster holds"),
    ("engagement files are", "a roster is"),
    ("an engagement file", "a roster"),
)


def _of_a_roster(message: str) -> str:
    for said, meant in _ROSTER_WORDS:
        message = message.replace(said, meant)
    return message


_SHOULD_BE = {
    "int_type": "should be a whole number", "int_parsing": "should be a whole number", "int_from_float": "should be a whole number",
    "string_type": "should be text", "bool_type": "should be true or false", "bool_parsing": "should be true or false",
    "dict_type": "should be a mapping of keys and values (name: ..., kind: ...)", "model_type": "should be a mapping of keys and values (name: ..., kind: ...)",
    "model_attributes_type": "should be a mapping of keys and values (name: ..., kind: ...)",
    "list_type": "should be a list, each item on a line that starts with '- '",
}


def _in_words(error: dict, loc: tuple) -> str:
    """A validation error of the roster in words, with what to write."""
    if loc == ("roster",):
        return f"should be the roster format's version: write `roster: {ROSTER_VERSION}`"
    if error["type"] == "too_short":
        return "should list at least one recipient: add each school, district or program of the service area, with its kind and name"
    if error["type"] in _SHOULD_BE:
        found = _found_as(error.get("input"))
        return _SHOULD_BE[error["type"]] + (f" (found {found})" if found else "")
    message = str(error.get("msg", ""))
    return message.removeprefix("Value error, ")


def _found_as(value) -> Optional[str]:
    """A roster value of the wrong kind, in words: a number as it is written."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return repr(value)
    return next((word for types, word in ((str, "text"), (list, "a list"), (dict, "a mapping")) if isinstance(value, types)), None)


def _where(loc: tuple) -> str:
    if len(loc) >= 2 and loc[0] == "recipients" and isinstance(loc[1], int):
        inner = ".".join(str(part) for part in loc[2:])
        return f"{inner + ' of ' if inner else ''}recipient {loc[1] + 1}"
    return ".".join(str(part) for part in loc) or "the top level"
