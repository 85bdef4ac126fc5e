"""Text surgery on YAML: the text of a node found from the composer's positions,
and changes spliced into it, so that every other byte (comments, key order,
quoting, blank lines, line endings) stays as the user wrote it."""

from __future__ import annotations

from tacli.io.yamltext import flow_mapping, scalar

CLEAR = object()  # a value that writes `null`: the key stays, with nothing in it
DROP = object()  # a value that takes the key, and its value, out of the record


def child(node, key: str):
    """(key node, value node) of `key` in a mapping node, or (None, None)."""
    if node is None or node.id != "mapping":
        return None, None
    for key_node, value_node in node.value:
        if key_node.id == "scalar" and key_node.value == key:
            return key_node, value_node
    return None, None


def last_index(node) -> int:
    """Where the text of a node really ends: block collections end at the next
    token, so descend; never before the last key met on the way (a key's value
    that is an alias, `*rec`, is the anchored node, whose text is earlier)."""
    floor = 0
    while node.id != "scalar" and node.flow_style is not True and node.value:
        last = node.value[-1]
        if isinstance(last, tuple):
            floor = max(floor, last[0].end_mark.index)
            node = last[1]
        else:
            node = last
    return max(node.end_mark.index, floor)


def line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def line_end(text: str, index: int) -> int:
    """Index just past the newline that ends the line holding `index`."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def splice(text: str, start: int, end: int, new: str) -> str:
    """`text` with `text[start:end]` replaced by `new`, whose lines end as the file's do.

    The pieces an edit writes end their lines with `\n`; a file written with
    Windows line endings (CRLF) gets CRLF on those lines too, not a mix. New
    lines at the end of a file whose last line has no line break start on a
    line of their own.
    """
    if start == len(text) and text and not text.endswith("\n"):
        new = "\n" + new
    first = text.find("\n")
    if first > 0 and text[first - 1] == "\r":
        new = new.replace("\n", "\r\n")
    return text[:start] + new + text[end:]


def insert_key(text: str, mapping, column: int, line: str) -> str:
    """A key added at the end of a block mapping, at its keys' column."""
    at = line_end(text, last_index(mapping) - 1)
    return splice(text, at, at, f"{' ' * column}{line}\n")


def replace_record(text: str, key_node, record, pairs: dict) -> str:
    """The record with the keys of `pairs` set (those given), those given as
    DROP taken out, every other key, its value and its comment kept as written."""
    dropped = {key for key, value in pairs.items() if value is DROP}
    wanted = {key: (None if value is CLEAR else value) for key, value in pairs.items() if value is not None and value is not DROP}
    if record.id == "mapping" and record.value and record.flow_style is not True:
        return update_block_mapping(text, record, wanted, dropped)
    if record.id == "mapping" and record.value:
        written = []
        for item_key, item_value in record.value:
            if item_key.value in dropped:
                continue
            if item_key.value in wanted:
                written.append(f"{item_key.value}: {scalar(wanted.pop(item_key.value))}")
            else:
                written.append(text[item_key.start_mark.index:item_value.end_mark.index])
        written += [f"{key}: {scalar(value)}" for key, value in wanted.items()]
        return splice(text, record.start_mark.index, record.end_mark.index, "{" + ", ".join(written) + "}")
    start = record.start_mark.index if record.end_mark.index > record.start_mark.index else key_node.end_mark.index + 1
    end = record.end_mark.index
    prefix = "" if text[start - 1] in " \t" else " "
    return text[:start] + prefix + flow_mapping(wanted) + text[end:]


def update_block_mapping(text: str, mapping, wanted: dict, dropped: frozenset = frozenset()) -> str:
    """Set each key of `wanted` in a block mapping: a key that is there gets its
    new value in place; a key that is not gets a line of its own at the end.
    A key of `dropped` loses its lines (a key that shares its line with text
    before it, `- key: value`, is set to null instead)."""
    wanted = dict(wanted)
    edits = []  # (start, end, new text), applied from the end of the file back
    for item_key, item_value in mapping.value:
        if item_key.value in dropped and item_key.value not in wanted:
            start = line_start(text, item_key.start_mark.index)
            if text[start:item_key.start_mark.index].strip():
                wanted[item_key.value] = None
            else:
                edits.append((start, line_end(text, max(last_index(item_value), item_key.end_mark.index + 1) - 1), ""))
                continue
        if item_key.value not in wanted:
            continue
        new = scalar(wanted.pop(item_key.value))
        start, end = item_value.start_mark.index, item_value.end_mark.index
        if end == start:  # `key:` with nothing after it
            colon = text.index(":", item_key.end_mark.index)
            edits.append((colon + 1, colon + 1, " " + new))
        else:
            old = text[start:end]
            edits.append((start, end, new + ("\n" * (len(old) - len(old.rstrip("\n"))))))
    if wanted:
        column = mapping.value[0][0].start_mark.column
        at = line_end(text, last_index(mapping) - 1)
        edits.append((at, at, "".join(f"{' ' * column}{key}: {scalar(value)}\n" for key, value in wanted.items())))
    for start, end, new in sorted(edits, reverse=True):
        text = splice(text, start, end, new)
    return text


def before_comments(text: str, at: int, column: int) -> int:
    """Move `at` up over the comment lines that introduce the key below it."""
    while at > 0:
        previous = line_start(text, at - 1)
        line = text[previous:at]
        if line.strip().startswith("#") and len(line) - len(line.lstrip()) == column:
            at = previous
        else:
            break
    return at
