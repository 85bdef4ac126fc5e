"""tacli's edits of an engagement file (a service added, duties marked, a report
written), each touching only the lines it is about (tacli.write.yaml_surgery).

Edits work on the file's text, at positions the composer gives, rather than
re-dumping a round-tripped document: comments, key order, quoting, blank lines
and indentation stay exactly as the user wrote them. An edit is written only
if the result is still a valid engagement and the file has not changed on
disk since it was read; the write is atomic.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Optional

from tacli.core.outcome import UsageError
from tacli.write.scaffold import ServiceAnswers, Style, service_id, service_lines
from tacli.io.userfiles import FileTooLarge, NotRegularFile, explain, read_limited
from tacli.io.writer import WriteRefused, write_atomically
from tacli.io.yamlsource import Document, YamlError, load_bytes
from tacli.io.yamltext import block_text, flow_list, flow_mapping, scalar
from tacli.write.yaml_surgery import CLEAR, DROP, before_comments, child, insert_key, last_index, line_end, line_start, replace_record, splice, update_block_mapping


class EditError(UsageError):
    """The edit is refused; the file on disk is untouched."""


class InvalidEdit(EditError):
    """The edit would leave a file that is not a valid engagement: refused, with
    every finding that says why (`findings`), for a page that shows them all."""

    def __init__(self, message: str, findings: list):
        super().__init__(message)
        self.findings = findings


class ChangedOnDisk(EditError):
    """The file is not the one the edit was prepared from (a form opened before
    another change): refused, so that no change is written over one not seen."""


def digest(raw: bytes) -> str:
    """The fingerprint of a file's bytes that an edit can be made conditional on
    (`read_for_edit`'s `expected`): a form carries it from the page that showed the file."""
    import hashlib

    return hashlib.sha256(raw).hexdigest()


@dataclass
class Source:
    """A file as read for an edit: its bytes (to detect later changes), text,
    nodes and validated engagement."""

    path: Path
    raw: bytes
    text: str
    document: Document
    engagement: Any


def reparsed(source: Source, text: str) -> Source:
    """`source` after a first change, composed again so that a second change in
    the same edit finds its places (the bytes on disk stay those first read)."""
    try:
        document = load_bytes(text.encode("utf-8"), str(source.path))
    except YamlError as exc:
        raise EditError(f"the edit would break the file ({exc.finding.message}); nothing was written") from None
    return Source(source.path, source.raw, text, document, source.engagement)


def read_for_edit(path: Path, checker, expected: Optional[str] = None, valid: bool = True) -> Source:
    """Read an engagement that is valid enough to edit safely, or refuse. With
    `expected` (a `digest`), refuse unless the file is still exactly the one
    that digest was taken of. Without `valid`, a file that is not a valid
    engagement is read too (its `engagement` None, its `document` None when
    it is not even YAML): to be replaced as a whole, never edited in place."""
    try:
        mode = path.stat().st_mode
        raw = read_limited(path)
    except FileNotFoundError:
        raise EditError(f"{path}: no such file") from None
    except NotRegularFile as exc:
        raise EditError(f"{path}: {exc.what}, not an engagement file") from None
    except FileTooLarge as exc:
        raise EditError(f"{path}: the file is {exc}") from None
    except OSError as exc:
        raise EditError(f"{path}: cannot read the file: {explain(exc)}") from None
    if not mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise EditError(f"{path}: the file is read-only: make it writable (chmod u+w) to edit it")
    if expected is not None and digest(raw) != expected:
        raise ChangedOnDisk(f"{path} changed on disk since it was shown: nothing was written; look at it again, then redo the change")
    try:
        document = load_bytes(raw, str(path))
    except YamlError as exc:
        if not valid:
            return Source(path, raw, raw.decode("utf-8-sig", "replace"), None, None)
        raise EditError(_first(exc.finding)) from None
    result = checker.read_document(document)
    if not result.usable and valid:
        raise EditError(f"{_first(result.findings[0])} (fix the file first: tacli edits only files that are valid engagements)")
    return Source(path, raw, raw.decode("utf-8-sig"), document, result.engagement)


def _first(item) -> str:
    return f"{item.path}:{item.line}:{item.column}: {item.message}"


def save_edit(source: Source, new_text: str, checker, write: bool = True) -> None:
    """Write `new_text` over the file if it is still valid and unchanged on disk
    since read; without `write`, check all of that and write nothing (a dry run)."""
    shared = _shared_problem(source, new_text)
    if shared:
        raise EditError(shared)
    try:
        document = load_bytes(new_text.encode("utf-8"), str(source.path))
    except YamlError as exc:
        raise InvalidEdit(f"the edit would break the file ({exc.finding.message}); nothing was written", [exc.finding]) from None
    result = checker.read_document(document)
    if not result.usable:
        raise InvalidEdit(f"the edit would make the file invalid ({result.findings[0].message}); nothing was written", sorted(result.findings, key=lambda f: f.sort_key()))
    try:
        current = read_limited(source.path)
    except (NotRegularFile, FileTooLarge):
        current = None  # it was a regular file of a size tacli reads: it changed
    except OSError as exc:
        raise EditError(f"{source.path}: cannot read the file again: {explain(exc)}") from None
    if current != source.raw:
        raise ChangedOnDisk(f"{source.path} changed on disk since tacli read it: nothing was written; run the command again")
    if not write:
        return
    bom = "\ufeff" if source.raw.startswith(b"\xef\xbb\xbf") else ""
    try:
        write_atomically(source.path, bom + new_text)
    except WriteRefused as exc:
        raise EditError(f"{exc}; nothing was written") from None
    except OSError as exc:
        raise EditError(f"{source.path}: cannot write the file: {exc.strerror or exc}; it is unchanged") from None


def _shared_problem(source: Source, new_text: str) -> Optional[str]:
    """Why the edit from `source`'s text to `new_text` is refused when what it
    changes lies in a value the file shares through a YAML anchor and its
    aliases (`&rec {...}`, then `*rec`): the change would be every alias's too,
    or it would drop the anchor the aliases name. None otherwise."""
    old = source.text
    if source.document is None or "&" not in old or "*" not in old:
        return None
    shared = _shared_nodes(source.document.root)
    if not shared:
        return None
    changed = _changed_spans(old, new_text)
    for node, alias_lines in shared:
        start = node.start_mark.index
        block = node.id != "scalar" and node.flow_style is not True
        # A block collection's end mark is the next token's start (the next key, past
        # comments): it ends with its last value. Lines added right after it may be
        # its own (an indented key): refused rather than guessed.
        end = last_index(node) if block else node.end_mark.index
        after = line_end(old, end) + 1 if block else None
        if any((begin < end and start < finish) if begin < finish else start < begin < end or begin == after for begin, finish in changed):
            named = re.match(r"&([^\s,\[\]{}]+)", old[start:])
            anchor = f"&{named.group(1)}" if named else "an anchor"
            aliases = f" (*{named.group(1)})" if named else ""
            lines = f" at line{'s' if len(alias_lines) > 1 else ''} {', '.join(map(str, alias_lines))}" if alias_lines else ""
            return (f"{source.path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}: the edit would change a value the file shares through the YAML anchor "
                    f"{anchor} and its aliases{aliases}{lines}: write the value out in full in place of each alias, then edit again; nothing was written")
    return None


def _changed_spans(old: str, new: str) -> list[tuple[int, int]]:
    """The spans of `old` (character offsets, end excluded; an empty span where
    lines are only added) that `new` changes, a span a run of changed lines."""
    import difflib

    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    offsets = [0]
    for line in old_lines:
        offsets.append(offsets[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    return [(offsets[first], offsets[last]) for tag, first, last, _, _ in matcher.get_opcodes() if tag != "equal"]


def _shared_nodes(root) -> list[tuple[Any, list[int]]]:
    """The nodes reached more than once (an anchor's, through its aliases), in
    the file's order, each with the lines of the keys that name it again."""
    seen: dict[int, tuple[Any, list[int]]] = {}
    shared: dict[int, Any] = {}
    stack = [(root, None)]
    while stack:
        node, line = stack.pop()
        if id(node) in seen:
            shared[id(node)] = node
            if line is not None:
                seen[id(node)][1].append(line)
            continue
        seen[id(node)] = (node, [])
        if node.id == "mapping":
            stack.extend((value, key.start_mark.line + 1) for key, value in reversed(node.value))
        elif node.id == "sequence":
            stack.extend((item, None) for item in reversed(node.value))
    return sorted(((node, sorted(seen[key][1])) for key, node in shared.items()), key=lambda pair: pair[0].start_mark.index)


def _style(source: Source) -> Style:
    """The file's mapping indent and list dash offset, from the nodes it has."""
    root = source.document.root
    indent, dash = 2, 2
    for key_node, value_node in root.value:
        if value_node.id == "mapping" and value_node.flow_style is not True and value_node.value:
            indent = value_node.value[0][0].start_mark.column - key_node.start_mark.column or 2
            break
    key_node, services = child(root, "services")
    if services is not None and services.id == "sequence" and services.flow_style is not True and services.value:
        first = services.value[0]
        line = source.text[line_start(source.text, first.start_mark.index):first.start_mark.index]
        dash = line.find("-") if "-" in line else first.start_mark.column - 2
        dash -= key_node.start_mark.column
    return Style(indent=max(indent, 1), dash=max(dash, 0))


# --- add a service -------------------------------------------------------------


def add_service(source: Source, spec, answers: ServiceAnswers) -> str:
    """The file's text with a new service, in date order among the others."""
    engagement = source.engagement
    text, root = source.text, source.document.root
    new_id = service_id(answers)
    if new_id in [service.id for service in engagement.services]:
        raise EditError(f"a service with id '{new_id}' already exists: give another with --id")
    style = _style(source)
    key_node, services = child(root, "services")
    if key_node is None:
        block = service_lines(spec, engagement, answers, style, base=style.dash)
        return splice(text, len(text), len(text), "services:\n" + "\n".join(block) + "\n")
    base = key_node.start_mark.column + style.dash
    block = "\n".join(service_lines(spec, engagement, answers, style, base=base)) + "\n"
    if services.id != "sequence" or services.flow_style is True or not services.value:
        if services.id == "sequence" and services.value:
            raise EditError("services is written as a flow list ([...]): write it as a block list to add a service")
        if services.id == "scalar" and services.value not in ("", "~", "null"):
            raise EditError("services is not a list: fix the file first")
        start = key_node.end_mark.index
        after = line_end(text, services.end_mark.index if services.value else key_node.end_mark.index)
        return splice(text, start, after, ":\n" + block)
    later = [item for item in services.value if _item_date(item) is not None and _item_date(item) > answers.date]
    if later:
        at = line_start(text, later[0].start_mark.index)
        return splice(text, at, at, block)
    at = line_end(text, last_index(services.value[-1]) - 1)
    return splice(text, at, at, block)


def _item_date(item) -> Optional[date]:
    _, value = child(item, "date")
    if value is None or value.id != "scalar":
        return None
    try:
        return date.fromisoformat(value.value)
    except ValueError:
        return None


# --- mark a duty -------------------------------------------------------------------


# The fields a duty's record holds with each status; a change of status takes
# out those of the other (a record is never done with a reason, nor open with a date).
STATUS_FIELDS = {"done": ("date", "evidence", "by"), "not-applicable": ("reason", "by"), "open": ()}


@dataclass
class DutyChange:
    status: str
    date: Optional[date] = None
    evidence: Optional[str] = None
    reason: Optional[str] = None

    def pairs(self) -> dict:
        """The record's keys as the change sets them: a value, None to keep what is
        written, DROP for a field its status does not hold."""
        given = {"date": self.date, "evidence": self.evidence, "reason": self.reason, "by": None}
        kept = STATUS_FIELDS[self.status]
        return {"status": self.status, **{key: value if key in kept else DROP for key, value in given.items()}}


def find_service(source: Source, wanted: Optional[str]):
    """(index, node) of the service with id `wanted`, or of the only service."""
    _, services = child(source.document.root, "services")
    items = services.value if services is not None and services.id == "sequence" else []
    ids = []
    for index, item in enumerate(items):
        _, id_node = child(item, "id")
        ids.append(id_node.value if id_node is not None and id_node.id == "scalar" else None)
    if not items:
        raise EditError("the engagement has no services: add one with `tacli new service`")
    if wanted is None:
        if len(items) == 1:
            return 0, items[0]
        raise EditError(f"the engagement has {len(items)} services: say which with --service ({', '.join(i for i in ids if i)})")
    if wanted in ids:
        index = ids.index(wanted)
        return index, items[index]
    from tacli.core.suggest import did_you_mean

    hint = did_you_mean(wanted, [i for i in ids if i]) or f" services: {', '.join(i for i in ids if i)}."
    raise EditError(f"no service with id '{wanted}':{hint}")


def mark_duty(source: Source, spec, duty_id: str, service_id_: Optional[str], change: DutyChange) -> str:
    """The file's text with one duty's record set to `change`."""
    text = source.text
    _, service = find_service(source, service_id_)
    duties_key, duties = child(service, "duties")
    if duties_key is not None and duties.id == "mapping" and duties.value:
        duty_key, record = child(duties, duty_id)
        if duty_key is not None:
            return replace_record(text, duty_key, record, change.pairs())
    pairs = {key: value for key, value in change.pairs().items() if value is not DROP}  # a new record
    if duties_key is not None and duties.id == "mapping" and duties.value:
        if duties.flow_style is True:
            raise EditError(f"the duties of service '{_service_name(service)}' are written as a flow mapping ({{...}}): write them as a block mapping, one duty a line, to add {duty_id}")
        return _insert_duty(text, spec, duties, duty_id, pairs)
    if service.flow_style is True:
        raise EditError(f"service '{_service_name(service)}' is written as a flow mapping ({{...}}): write it as a block mapping to add {duty_id} to its duties")
    item_key_column = service.value[0][0].start_mark.column
    indent = _style(source).indent
    line = f"{' ' * (item_key_column + indent)}{duty_id}: {flow_mapping(pairs)}\n"
    if duties_key is not None:
        start = duties_key.end_mark.index
        after = line_end(text, duties.end_mark.index if duties.value else duties_key.end_mark.index)
        return splice(text, start, after, ":\n" + line)
    at = line_end(text, last_index(service) - 1)
    return splice(text, at, at, f"{' ' * item_key_column}duties:\n" + line)


def set_report_completed(source: Source, service_id_: Optional[str], completed: Optional[date]) -> str:
    """The file's text with the service's report completed on `completed`, or not
    completed (None): the other half of marking the report's duty."""
    text = source.text
    _, service = find_service(source, service_id_)
    key_node, report = child(service, "tast_report")
    pairs = {"completed": completed if completed is not None else CLEAR}
    if key_node is not None:
        return replace_record(text, key_node, report, pairs)
    if completed is None:
        return text
    if service.flow_style is True:
        raise EditError(f"service '{_service_name(service)}' is written as a flow mapping ({{...}}): write it as a block mapping to record its report")
    column = service.value[0][0].start_mark.column
    step = " " * _style(source).indent
    at = line_end(text, last_index(service) - 1)
    return splice(text, at, at, f"{' ' * column}tast_report:\n{' ' * column}{step}completed: {scalar(completed)}\n")


def append_to_report(source: Source, service_id_: Optional[str], section: str, entries: list[str]) -> str:
    """The file's text with `entries` added at the end of a section of the
    service's report (a list of texts), the section or the report made when absent."""
    text = source.text
    _, service = find_service(source, service_id_)
    name = _service_name(service)
    report_key, report = child(service, "tast_report")
    step = " " * _style(source).indent
    if report_key is None or (report.id != "mapping" or not report.value) and report.value in ("", "~", "null", []):
        if service.flow_style is True:
            raise EditError(f"service '{name}' is written as a flow mapping ({{...}}): write it as a block mapping to add to its report")
        column = service.value[0][0].start_mark.column
        block = f"{' ' * column}{step}{section}: {flow_list(entries)}\n"
        if report_key is None:
            at = line_end(text, last_index(service) - 1)
            return splice(text, at, at, f"{' ' * column}tast_report:\n" + block)
        after = line_end(text, report.end_mark.index if report.end_mark.index > report.start_mark.index else report_key.end_mark.index)
        return splice(text, report_key.end_mark.index, after, ":\n" + block)
    if report.id != "mapping":
        raise EditError(f"the report of service '{name}' is not a mapping: write tast_report as a mapping of its sections first")
    key_node, values = child(report, section)
    if key_node is None:
        if report.flow_style is True:
            written = [text[k.start_mark.index:v.end_mark.index] for k, v in report.value] + [f"{section}: {flow_list(entries)}"]
            return splice(text, report.start_mark.index, report.end_mark.index, "{" + ", ".join(written) + "}")
        return insert_key(text, report, report.value[0][0].start_mark.column, f"{section}: {flow_list(entries)}")
    if values.id == "sequence" and values.flow_style is True:
        kept = [text[item.start_mark.index:item.end_mark.index] for item in values.value]
        return splice(text, values.start_mark.index, values.end_mark.index, "[" + ", ".join(kept + [scalar(entry) for entry in entries]) + "]")
    if values.id == "sequence" and values.value:
        dash = values.value[0].start_mark.column - 2
        at = line_end(text, last_index(values) - 1)
        return splice(text, at, at, "".join(f"{' ' * dash}- {scalar(entry)}\n" for entry in entries))
    if values.id != "scalar" or values.value not in ("", "~", "null"):
        raise EditError(f"{section} of the report of service '{name}' is not a list: write it as a list of texts first")
    end = values.end_mark.index if values.end_mark.index > values.start_mark.index else key_node.end_mark.index + 1
    return splice(text, key_node.end_mark.index, end, ": " + flow_list(entries))


def _service_name(service) -> str:
    _, id_node = child(service, "id")
    return id_node.value if id_node is not None and id_node.id == "scalar" else "?"


def _insert_duty(text: str, spec, duties, duty_id: str, pairs: dict) -> str:
    order = list(spec.duty_by_id)
    rank = order.index(duty_id) if duty_id in order else len(order)
    column = duties.value[0][0].start_mark.column
    line = f"{' ' * column}{duty_id}: {flow_mapping(pairs)}\n"
    for key_node, _ in duties.value:
        other = order.index(key_node.value) if key_node.value in order else len(order)
        if other > rank:
            at = line_start(text, key_node.start_mark.index)
            at = before_comments(text, at, column)
            return splice(text, at, at, line)
    at = line_end(text, last_index(duties) - 1)
    return splice(text, at, at, line)


# --- lists of records: reviews, outcome evidence, comments ----------------------------


def _item_lines(item: str, block: Optional[list[str]], dash: int) -> str:
    """A list item's lines at `dash`: its block lines when given, else its flow text."""
    lines = block or [item]
    return "".join(f"{' ' * dash}- {lines[0]}\n" if index == 0 else f"{' ' * (dash + 2)}{line}\n" for index, line in enumerate(lines))


def _flow_with(text: str, holder, key: str, value: str) -> str:
    """A flow mapping (`{...}`) with `key: value` set: its other keys as written."""
    written = [text[k.start_mark.index:v.end_mark.index] if v.end_mark.index > v.start_mark.index else text[k.start_mark.index:k.end_mark.index] + ":"
               for k, v in holder.value if not (k.id == "scalar" and k.value == key)]
    existing = [k for k, _ in holder.value if k.id == "scalar" and k.value == key]
    if existing:
        at = [k for k, _ in holder.value].index(existing[0])
        written.insert(at, f"{key}: {value}")
    else:
        written.append(f"{key}: {value}")
    return splice(text, holder.start_mark.index, holder.end_mark.index, "{" + ", ".join(written) + "}")


def append_item(source: Source, holder, key: str, item: str, where: str, block: Optional[list[str]] = None, before: Optional[int] = None) -> str:
    """The file's text with one item added to the list `key` of the mapping
    `holder` (a node of `source`), the list made when absent. `item` is the
    item's flow text (`{reviewer: A, decision: approved}`); `block`, its lines
    as a block mapping, for a block list whose items are written so; `before`,
    the position among the items to put it at (default: the end). A block list
    gets lines of its own at its items' dash, a flow list the item in place;
    every other byte stays as written."""
    text = source.text
    style = _style(source)
    if holder.id != "mapping":
        raise EditError(f"{where} is not a mapping: fix the file first")
    key_node, values = child(holder, key)
    if holder.flow_style is True:
        if key_node is None or values.id == "scalar" and values.value in ("", "~", "null"):
            return _flow_with(text, holder, key, f"[{item}]")
    elif key_node is None:
        column = holder.value[0][0].start_mark.column if holder.value else 0
        return insert_key(text, holder, column, f"{key}:\n" + _item_lines(item, block, column + style.dash).rstrip("\n"))
    if values.id == "sequence" and values.flow_style is True:
        kept = [text[node.start_mark.index:node.end_mark.index] for node in values.value]
        kept.insert(len(kept) if before is None else before, item)
        return splice(text, values.start_mark.index, values.end_mark.index, "[" + ", ".join(kept) + "]")
    if values.id == "sequence" and values.value:
        dash = values.value[0].start_mark.column - 2
        nested = values.value[0].id == "mapping" and values.value[0].flow_style is not True
        lines = _item_lines(item, block if nested else None, dash)
        if before is not None and before < len(values.value):
            at = before_comments(text, line_start(text, values.value[before].start_mark.index), dash)
            return splice(text, at, at, lines)
        at = line_end(text, last_index(values) - 1)
        return splice(text, at, at, lines)
    if values.id != "scalar" or values.value not in ("", "~", "null"):
        raise EditError(f"{key} of {where} is not a list: write it as a list first")
    dash = key_node.start_mark.column + style.dash
    return _replace_value(text, key_node, values, "\n" + _item_lines(item, None, dash).rstrip("\n"))


def add_review(source: Source, service_id_: str, review: dict) -> str:
    """The file's text with a reviewer's decision added at the end of the
    reviews of the service's report (a completed report: it has `tast_report`)."""
    _, service = find_service(source, service_id_)
    report_key, report = child(service, "tast_report")
    if report_key is None:
        raise EditError(f"service '{_service_name(service)}' has no report to review")
    return append_item(source, report, "reviews", flow_mapping(review), f"the report of service '{_service_name(service)}'")


def add_outcome(source: Source, entry: dict) -> str:
    """The file's text with an outcome entry in `outcomes`, in date order (after
    those of its day), the list made before `services` when absent; written as
    the entries already there are (block mappings, or one flow mapping a line)."""
    text, root = source.text, source.document.root
    flow = flow_mapping(entry)
    block = [f"{key}: {scalar(value)}" for key, value in entry.items() if value is not None]
    key_node, values = child(root, "outcomes")
    if key_node is None:
        style = _style(source)
        lines = "outcomes:\n" + _item_lines(flow, block, style.dash)
        services_key, _ = child(root, "services")
        if services_key is None:
            return splice(text, len(text), len(text), lines)
        at = before_comments(text, line_start(text, services_key.start_mark.index), 0)
        return splice(text, at, at, lines)
    later = None
    if values.id == "sequence":
        for index, item in enumerate(values.value):
            day = _item_date(item)
            if day is not None and day > entry["date"]:
                later = index
                break
    return append_item(source, root, "outcomes", flow, "the engagement", block=block, before=later)


# The top-level keys a new `reviewers` list goes before, the first of them the
# file has (the order of docs/engagement-format.md); else it goes at the end.
REVIEWERS_BEFORE = ("outcomes", "plan", "intensive", "coaching", "services")


def _commented_key(line: str) -> bool:
    """Whether a line is a key commented out (`# end: the planned end date`)."""
    return re.match(r"\s*#\s*[a-z_]+:(\s|$)", line) is not None


def add_reviewer(source: Source, person: dict) -> str:
    """The file's text with a person (name, and role when given) added at the
    end of the engagement's `reviewers`, as the people already there are written
    (a flow mapping a line, or block mappings); the list made, one flow mapping
    a line, before the first of REVIEWERS_BEFORE when absent."""
    text, root = source.text, source.document.root
    flow = flow_mapping(person)
    block = [f"{key}: {scalar(value)}" for key, value in person.items() if value is not None]
    key_node, _ = child(root, "reviewers")
    if key_node is None and root.id == "mapping" and root.flow_style is not True:
        for name in REVIEWERS_BEFORE:
            later, _ = child(root, name)
            if later is not None:
                at = before_comments(text, line_start(text, later.start_mark.index), later.start_mark.column)
                while _commented_key(text[at:line_end(text, at)]):  # a key left out (`# end: ...`) stays above: it is not the next key's comment
                    at = line_end(text, at)
                return splice(text, at, at, f"{' ' * later.start_mark.column}reviewers:\n" + _item_lines(flow, None, later.start_mark.column + _style(source).dash))
    return append_item(source, root, "reviewers", flow, "the engagement", block=block)


def set_evaluation(source: Source, service_id_: str, counts: dict, ratings: dict, comments: list[str]) -> str:
    """The file's text with what a service's completed evaluation forms said:
    `counts` (requested, returned) and `ratings` (by rating id) set, `comments`
    added after those written; `evaluation_forms` made (before `duties`) when
    absent. Every other key, value and comment stays as written."""
    _, service = find_service(source, service_id_)
    name = _service_name(service)
    where = f"the evaluation forms of service '{name}'"
    key_node, forms = child(service, "evaluation_forms")
    text = source.text
    if key_node is None or forms.id == "scalar" and forms.value in ("", "~", "null"):
        pairs = {**counts, **({"ratings": None} if ratings else {})}
        if service.flow_style is True or key_node is not None and forms.id == "scalar":
            inner = [f"{key}: {scalar(value)}" for key, value in counts.items()]
            inner += [f"ratings: {flow_mapping(ratings)}"] if ratings else []
            inner += [f"comments: {flow_list(comments)}"] if comments else []
            value = "{" + ", ".join(inner) + "}"
            if key_node is not None:
                return _replace_value(text, key_node, forms, " " + value)
            return _flow_with(text, service, "evaluation_forms", value)
        column = service.value[0][0].start_mark.column
        style = _style(source)
        pad = " " * (column + style.indent)
        lines = [f"{' ' * column}evaluation_forms:"] + [f"{pad}{key}: {scalar(value)}" for key, value in pairs.items() if value is not None]
        if ratings:
            lines.append(f"{pad}ratings: {flow_mapping(ratings)}")
        if comments:
            lines.append(f"{pad}comments:")
            lines += [f"{' ' * (column + style.indent + style.dash)}- {scalar(entry)}" for entry in comments]
        duties_key, _ = child(service, "duties")
        if duties_key is not None:
            at = before_comments(text, line_start(text, duties_key.start_mark.index), column)
        else:
            at = line_end(text, last_index(service) - 1)
        return splice(text, at, at, "".join(line + "\n" for line in lines))
    if forms.id != "mapping":
        raise EditError(f"{where} are not a mapping: fix the file first")
    if forms.flow_style is True:
        present_ = {k.value: v for k, v in forms.value if k.id == "scalar"}
        for key, value in counts.items():
            text = _flow_with(text, _node(source, text, service_id_), key, scalar(value))
        if ratings:
            current = present_.get("ratings")
            merged = {}
            if current is not None and current.id == "mapping":
                merged = {k.value: source.text[v.start_mark.index:v.end_mark.index] for k, v in current.value if k.id == "scalar"}
            merged.update({key: scalar(value) for key, value in ratings.items()})
            text = _flow_with(text, _node(source, text, service_id_), "ratings", "{" + ", ".join(f"{k}: {v}" for k, v in merged.items()) + "}")
        for entry in comments:
            holder = _node(source, text, service_id_)
            text = append_item(reparsed(source, text), holder, "comments", scalar(entry), where)
        return text
    if counts:
        text = update_block_mapping(text, forms, counts)
    if ratings:
        holder = _node(source, text, service_id_)
        ratings_key, current = child(holder, "ratings")
        if ratings_key is None:
            text = insert_key(text, holder, holder.value[0][0].start_mark.column, f"ratings: {flow_mapping(ratings)}")
        elif current.id == "mapping" and current.value and current.flow_style is not True:
            text = update_block_mapping(text, current, ratings)
        elif current.id == "mapping":
            merged = {k.value: text[v.start_mark.index:v.end_mark.index] for k, v in current.value if k.id == "scalar"}
            merged.update({key: scalar(value) for key, value in ratings.items()})
            text = splice(text, current.start_mark.index, current.end_mark.index, "{" + ", ".join(f"{k}: {v}" for k, v in merged.items()) + "}")
        elif current.id == "scalar" and current.value in ("", "~", "null"):
            text = _replace_value(text, ratings_key, current, " " + flow_mapping(ratings))
        else:
            raise EditError(f"the ratings of {where} are not a mapping: fix the file first")
    for entry in comments:
        holder = _node(source, text, service_id_)
        text = append_item(reparsed(source, text), holder, "comments", scalar(entry), where)
    return text


def _node(source: Source, text: str, service_id_: str):
    """The evaluation forms of the service in `text` (the file after a first change)."""
    _, service = find_service(reparsed(source, text), service_id_)
    return child(service, "evaluation_forms")[1]


# --- set a plan element -----------------------------------------------------------


def set_plan_element(source: Source, spec, element_id: str, value: Any) -> str:
    """The file's text with one planning element of `plan` set to `value`: a text
    (str), a text list (list of str), a record (dict of field -> list of str), or
    people (list of dicts: name, title, role, responsibilities, contribution).
    A record's fields are set one by one, so that its other fields and their
    comments stay; any other element's value is written anew. Comments above
    the element (the standard's definition, as `new engagement` writes it) stay."""
    element = next((e for e in spec.every("elements") if e.id == element_id), None)
    if element is None:
        raise EditError(f"the standards have no planning element '{element_id}'")
    text, root = source.text, source.document.root
    style = _style(source)
    plan_key, plan = child(root, "plan")
    if plan_key is None or plan.id != "mapping" or plan.flow_style is True or not plan.value:
        if plan_key is not None and plan.id == "mapping" and plan.value:
            raise EditError("plan is written as a flow mapping ({...}): write it as a block mapping, one element a line, to edit it here")
        if plan_key is not None and not (plan.id == "scalar" and plan.value in ("", "~", "null")) and not (plan.id == "mapping" and not plan.value):
            raise EditError("plan is not a mapping of its elements: fix the file first")
        column = style.indent
        block = f"{' ' * column}{element_id}:{_element_text(element, value, column, style)}\n"
        if plan_key is None:
            return splice(text, len(text), len(text), "plan:\n" + block)
        after = line_end(text, plan.end_mark.index if plan.end_mark.index > plan.start_mark.index else plan_key.end_mark.index)
        return splice(text, plan_key.end_mark.index, after, ":\n" + block)
    column = plan.value[0][0].start_mark.column
    key_node, current = child(plan, element_id)
    if key_node is None:
        line = f"{' ' * column}{element_id}:{_element_text(element, value, column, style)}\n"
        order = [e.id for e in spec.every("elements")]
        rank = order.index(element_id)
        for other_key, _ in plan.value:
            if other_key.value in order and order.index(other_key.value) > rank:
                at = before_comments(text, line_start(text, other_key.start_mark.index), column)
                return splice(text, at, at, line)
        at = line_end(text, last_index(plan) - 1)
        return splice(text, at, at, line)
    if element.value == "record" and current.id == "mapping" and current.flow_style is not True and current.value:
        return _set_record_fields(text, current, value or {}, element, style)
    return _replace_value(text, key_node, current, _element_text(element, value, column, style))


def _replace_value(text: str, key_node, value_node, new: str) -> str:
    return splice(text, *_value_span(text, key_node, value_node, new))


def _value_span(text: str, key_node, value_node, new: str) -> tuple[int, int, str]:
    """(start, end, replacement) that puts `new` (what follows the key's colon:
    a space and a value, or a line break and lines) in place of the value of
    `key_node`. A value on the key's line that becomes another one-line value
    keeps the comment after it."""
    start, end = value_node.start_mark.index, value_node.end_mark.index
    block_scalar = value_node.id == "scalar" and value_node.style in ("|", ">")
    if "\n" not in new and end > start and "\n" not in text[start:end] and not block_scalar:
        return start, end, new.lstrip(" ")
    colon = text.index(":", key_node.end_mark.index)
    stop = last_index(value_node) if end > start else colon + 1
    after = line_end(text, max(stop - 1, colon + 1))
    if block_scalar and end > start and text[end - 1] == "\n":
        after = end  # a block scalar ends after its last line break
    return colon + 1, after, new + "\n"


def _text_list(entries, column: int, style: Style) -> str:
    if not entries:
        return " []"
    return "\n" + "\n".join(f"{' ' * (column + style.dash)}- {scalar(entry)}" for entry in entries)


def _element_text(element, value, column: int, style: Style) -> str:
    """What follows `element_id:` for `value`, its lines under `column`."""
    inner = column + style.indent
    if element.value == "text":
        return block_text(value or "", " " * inner) if value else ' ""'
    if element.value == "text-list":
        return _text_list(list(value or []), column, style)
    if element.value == "record":
        fields = value or {}
        return "\n" + "\n".join(f"{' ' * inner}{name}:{_text_list(list(fields.get(name) or []), inner, style)}" for name in element.fields)
    people = list(value or [])
    if not people:
        return " []"
    lines = []
    dash = column + style.dash
    for person in people:
        keys = [(key, person.get(key)) for key in ("name", "title", "role", "responsibilities", "contribution")]
        keys = [(key, item) for key, item in keys if item not in (None, "", [])]
        for index, (key, item) in enumerate(keys):
            lead = f"{' ' * dash}- " if index == 0 else " " * (dash + 2)
            lines.append(f"{lead}{key}: {flow_list(item) if isinstance(item, (list, tuple)) else scalar(item)}")
    return "\n" + "\n".join(lines)


def _set_record_fields(text: str, record, value: dict, element, style: Style) -> str:
    """A block-mapping record with each field of `value` set where it differs from
    what is written; its other keys, and the comments between them, as they are."""
    column = record.value[0][0].start_mark.column
    spans = []
    present = {key.value: (key, node) for key, node in record.value if key.id == "scalar"}
    missing = []
    for name in element.fields:
        wanted = list(value.get(name) or [])
        if name not in present:
            if wanted:
                missing.append(f"{' ' * column}{name}:{_text_list(wanted, column, style)}\n")
            continue
        key, node = present[name]
        if _entries(node) == wanted:
            continue
        flow = node.id == "sequence" and node.flow_style is True and wanted
        spans.append(_value_span(text, key, node, " " + flow_list(wanted) if flow else _text_list(wanted, column, style)))
    if missing:
        at = line_end(text, last_index(record) - 1)
        spans.append((at, at, "".join(missing)))
    for start, end, new in sorted(spans, reverse=True):
        text = splice(text, start, end, new)
    return text


def _entries(node) -> Optional[list]:
    if node.id == "sequence":
        return [item.value for item in node.value if item.id == "scalar"] if all(item.id == "scalar" for item in node.value) else None
    if node.id == "scalar" and node.value in ("", "~", "null"):
        return []
    return None


__all__ = ["ChangedOnDisk", "DutyChange", "EditError", "InvalidEdit", "Source", "digest", "add_outcome", "add_review", "add_service", "append_item", "set_evaluation", "mark_duty", "read_for_edit", "reparsed", "save_edit", "set_plan_element", "set_report_completed"]
