"""Reading YAML safely: yaml-syntax, yaml-duplicate-key, yaml-tag, yaml-limits,
file-encoding, file-empty and file-unreadable, each at its 1-based line and column."""

from __future__ import annotations

import time

import pytest
from conftest import MINI_STANDARDS, findings_of, hits, EXAMPLE_FILES

from tacli.io.yamlsource import MAX_FILE_BYTES, YamlError, load_bytes, load_path

BASE = (MINI_STANDARDS.parent / "mini-engagement.yaml").read_text(encoding="utf-8")


def message_of(text, rule: str) -> str:
    [found] = [f for f in findings_of(text) if f.rule == rule]
    return found.message


def test_the_base_engagement_is_clean():
    assert hits(BASE) == []


# yaml-syntax


def test_tab_that_starts_a_line():
    text = "tacli: 1\nrecipient:\n\tname: Elm School\n"
    assert hits(text) == [("yaml-syntax", 3, 1)]
    assert message_of(text, "yaml-syntax") == "a tab character indents this line: indent with spaces, never tabs"


def test_tab_after_spaces_in_a_block():
    text = "tacli: 1\nrecipient:\n  name: Elm School\n\t kind: school\n"
    assert hits(text) == [("yaml-syntax", 4, 1)]
    assert "indent with spaces, never tabs" in message_of(text, "yaml-syntax")


def test_tab_inside_a_value_is_fine():
    assert hits(BASE.replace("title: Data use at Elm School", "title: Data use\tat Elm School")) == []


def test_unclosed_flow_sequence_is_reported_at_its_bracket():
    text = "tacli: 1\nframeworks: [mini, plain\ntitle: Data use\n"
    assert hits(text) == [("yaml-syntax", 2, 13)]  # the parser notices on line 3; the [ to close is on line 2
    assert message_of(text, "yaml-syntax") == "this [ is never closed: end it with ] after its last item, on this line"


@pytest.mark.parametrize("text", ["tacli: 1\nframeworks: [mini\n", "tacli: 1\nframeworks: [\n"])
def test_unclosed_flow_sequence_at_the_end_of_the_file(text):
    assert hits(text) == [("yaml-syntax", 2, 13)]


def test_unclosed_quote_is_reported_at_the_quote():
    text = 'tacli: 1\ntitle: "Data use\nid: elm\n'
    assert hits(text) == [("yaml-syntax", 2, 8)]
    assert message_of(text, "yaml-syntax") == 'this " is never closed: end the text with another "'


def test_two_documents_in_one_file():
    assert hits("tacli: 1\n---\nid: elm\n") == [("yaml-syntax", 2, 1)]
    assert "one document" in message_of("tacli: 1\n---\nid: elm\n", "yaml-syntax")


# The common mistakes, each said in plain words at the line to fix: no parser's
# words ("<block end>", "scalar", "token"), one line, a thing to do after the colon.
SYNTAX_MISTAKES = [
    # uneven indentation: a key indented less than the keys above it
    ("tacli: 1\nrecipient:\n    kind: school\n  name: Elm\n", (4, 3),
     "this line is indented differently from the lines above it (2 spaces, not 4 or 0): line it up with the keys it belongs with"),
    # ...or more than a key above it that has a value: the parser reads it as that value's text
    ("tacli: 1\nrecipient:\n  kind: school\n   name: Elm\n", (4, 4),
     "this line is indented more than the line above it (3 spaces, not 2): line it up with the keys above it (or, if it continues the value above, put that value in quotes)"),
    # a tab
    ("tacli: 1\nrecipient:\n  kind: school\n\tname: Elm\n", (4, 1), "a tab character indents this line: indent with spaces, never tabs"),
    # a missing colon: the parser notices a line later, or at the next key's colon
    ("tacli: 1\nid elm\ntitle: Data use\n", (2, 1), "a colon is missing after the key: write `id: elm`"),
    # a key over YAML's 1,024 characters: its colon is there, but read too late
    ("tacli: 1\n" + "k" * 1100 + ": x\ntitle: Data use\n", (2, 1), "this key is longer than the 1,024 characters YAML allows a key: shorten it (a long text goes after the colon, as a value)"),
    ("tacli: 1\nrecipient:\n  kind school\n  name: Elm\n", (3, 3), "a colon is missing after the key: write `kind: school`"),
    ("tacli: 1\nid:elm\ntitle: Data use\n", (2, 4), "a space is missing after the colon: write `id: elm`"),
    # a colon and a space inside a value
    ("tacli: 1\ntitle: Elm: data teams\n", (2, 8),
     'this value holds a colon and a space: put it in quotes, as in `title: "Elm: data teams"` (or write its keys on the lines below, indented)'),
    # ... of a plain key, in words like a key's: text (a title is never a record)
    ("tacli: 1\ntitle: note: data teams\n", (2, 8), 'this value holds a colon and a space: put it in quotes, as in `title: "note: data teams"` (or write its keys on the lines below, indented)'),
    # ... that reads as a record whose braces were left out (a duty's): both ways out
    ("tacli: 1\nduties:\n  delivery.norms: status: done, date: 2026-11-20\n", (3, 19),
     'this value holds a colon and a space: if it is a record, put it in braces, as in `delivery.norms: {status: done, date: 2026-11-20}`; '
     'if it is text, in quotes, as in `delivery.norms: "status: done, date: 2026-11-20"`'),
    # unclosed quotes and brackets, at the quote or bracket to close
    ("tacli: 1\ntitle: 'Data use\nid: elm\n", (2, 8), "this ' is never closed: end the text with another '"),
    ('tacli: 1\ntitle: "Data use\nid: "elm"\n', (2, 8), 'this " is not closed on its line, so the text runs on to line 3: close it on this line with another "'),
    # ...closed by the first quote of an empty "" further down, the second one then never closed
    ('tacli: 1\ntitle: "Data use\nid: elm\nnote: ""\n', (2, 8), 'this " is not closed on its line, so the text runs on to line 4: close it on this line with another "'),
    ("tacli: 1\ntitle: 'Data use\nid: elm\nnote: ' '\n", (2, 8), "this ' is not closed on its line, so the text runs on to line 4: close it on this line with another '"),
    ("tacli: 1\nrecipient: {kind: school\nid: elm\n", (2, 12), "this { is never closed: end it with } after its last item, on this line"),
    ("tacli: 1\nframeworks: [mini]]\n", (2, 19), "this ] closes nothing: delete it, or open it with [ where its list begins"),
    ("tacli: 1\nframeworks: [mini, 'plain' x]\n", (2, 28),
     "a comma or the closing ] is missing here: separate the items with commas (put an item with spaces or commas of its own in quotes)"),
    # an apostrophe inside single quotes
    ("tacli: 1\nnote: 'it's fine'\n", (2, 10), "an apostrophe inside '...' ends the text early: write it twice ('it''s'), or put the value in double quotes"),
    # a list item at the wrong level
    ("tacli: 1\nservices:\n  - id: a\n    date: 2026-10-01\n - id: b\n", (5, 2),
     "this list item is indented 1 space, the items above it 2: line up the - of the items of one list"),
    ("tacli: 1\nservices:\n  - id: a\n    date: 2026-10-01\n     - id: b\n", (5, 6),
     "this line is indented more than the line above it (5 spaces, not 4): line it up with the keys above it (or, if it continues the value above, put that value in quotes)"),
    ("tacli: 1\nid: elm\n- visit\n", (3, 1), "a list item (-) among the keys of a mapping: indent it under its key, or write it as `key: value`"),
    # the text of `key: |` not indented
    ("tacli: 1\nnote: |\nfirst line\nid: elm\n", (3, 1), "the text of `note: |` must be indented more than its key: indent this line (and the text after it) by 2 spaces"),
    # a value that YAML reads as something else
    ("tacli: 1\ntitle: @elm\n", (2, 8), "a value cannot start with @: put the value in quotes"),
    ("tacli: 1\ntitle: &\n", (2, 8), "a value cannot start with & (YAML reads it as an anchor): put the value in quotes"),
    ("tacli: 1\nnote: > see below\n", (2, 7), "after | or > only a comment may follow on its line: write the text on the lines below, indented, or put a value that starts with | or > in quotes"),
    ("tacli: 1\nframeworks: - mini\n", (2, 13), "a list cannot start on the line of its key: put each item on a line of its own below it, indented, starting with - (or put the value in quotes)"),
    ('tacli: 1\ntitle: "C:\\new\\x"\n', (2, 17), "a backslash in double quotes starts an escape: write \\\\ for a backslash, or put the text in single quotes"),
]


@pytest.mark.parametrize("text, place, message", SYNTAX_MISTAKES, ids=[m[2][:40] for m in SYNTAX_MISTAKES])
def test_a_common_mistake_is_said_in_plain_words_at_the_line_to_fix(text, place, message):
    [found] = findings_of(text)
    assert (found.rule, (found.line, found.column)) == ("yaml-syntax", place)
    assert found.message == message
    assert not any(word in found.message for word in ("<", "scalar", "token", "parsing", "block end"))


def test_a_duplicate_key_is_its_own_rule_not_a_syntax_error():
    assert hits("tacli: 1\nid: elm\nid: oak\n") == [("yaml-duplicate-key", 3, 1)]


# yaml-duplicate-key


def test_duplicate_top_level_key():
    text = BASE.replace("title: Data use at Elm School\n", "title: Data use at Elm School\ntitle: Data use\n")
    assert hits(text) == [("yaml-duplicate-key", 4, 1)]
    assert message_of(text, "yaml-duplicate-key") == "duplicate key 'title' (first at line 3): keep one of them"


def test_duplicate_nested_key():
    text = BASE.replace("  name: Elm School\n", "  name: Elm School\n  name: Oak School\n")
    assert hits(text) == [("yaml-duplicate-key", 9, 3)]


def test_same_key_in_different_mappings_is_fine():
    # `name` appears in recipient, provider.facilitator and coaching.coach
    assert hits(BASE) == []


# yaml-tag


def test_python_object_tag_constructs_nothing():
    text = "tacli: 1\nid: !!python/object:os.system echo hello\n"
    assert hits(text) == [("yaml-tag", 2, 5)]
    assert "YAML tag '!!python/object:os.system' is not allowed" in message_of(text, "yaml-tag")


def test_python_object_tag_on_a_mapping():
    assert hits("tacli: 1\nid: !!python/object:os.system {command: ls}\n") == [("yaml-tag", 2, 5)]


def test_custom_tag():
    text = "tacli: 1\nid: !foo elm-school\n"
    assert hits(text) == [("yaml-tag", 2, 5)]
    assert "'!foo'" in message_of(text, "yaml-tag")


def test_custom_tag_on_a_mapping():
    assert hits("tacli: 1\nrecipient: !foo {kind: school}\n") == [("yaml-tag", 2, 12)]


@pytest.mark.parametrize("value", ["!!binary aGVsbG8=", "!!set {a, b}"])
def test_other_standard_tags(value):
    assert hits(f"tacli: 1\nid: {value}\n") == [("yaml-tag", 2, 5)]


def test_plain_standard_tags_are_accepted():
    assert hits(BASE.replace("id: elm-school", "id: !!str elm-school")) == []


def test_merge_key():
    text = "tacli: 1\nbase: &who {name: Dana Ruiz}\nrecipient:\n  <<: *who\n  kind: school\n"
    assert hits(text) == [("yaml-tag", 4, 3)]
    assert "merge keys (<<) are not supported" in message_of(text, "yaml-tag")


def test_complex_key():
    text = "tacli: 1\n? [a, b]\n: value\n"
    assert hits(text) == [("yaml-tag", 2, 3)]
    assert message_of(text, "yaml-tag") == "a key must be a plain value, not a mapping or a list"


def test_recursive_alias_in_a_list():
    assert hits("tacli: 1\nnotes: &loop [*loop]\n") == [("yaml-tag", 2, 8)]


def test_recursive_alias_in_a_mapping():
    text = "tacli: 1\nrecipient: &loop\n  inner: *loop\n"
    assert hits(text) == [("yaml-tag", 2, 12)]
    assert "recursive alias" in message_of(text, "yaml-tag")


def test_plain_alias_is_fine():
    text = BASE.replace("provider:\n", "provider: &center\n").replace("plan:\n", "notes_of: *center\nplan:\n")
    assert ("yaml-tag", 17, 1) not in hits(text)
    assert {rule for rule, *_ in hits(text)} == {"schema-unknown-key"}  # notes_of is unknown, the alias is not a problem


# yaml-limits


def test_deep_flow_nesting_does_not_crash():
    started = time.monotonic()
    assert hits("[" * 100_000 + "]" * 100_000) == [("yaml-limits", 1, 65)]
    assert time.monotonic() - started < 10


def test_deep_block_nesting():
    lines = ["tacli: 1"] + [f"{'  ' * depth}k{depth}:" for depth in range(70)] + ["  " * 70 + "leaf"]
    # line 1 opens the top mapping; line n (key k{n-2}, indented n-2 times) opens
    # mapping number n-1, so the 65th starts on line 66 at column 2 * 64 + 1
    assert hits("\n".join(lines) + "\n") == [("yaml-limits", 66, 129)]


def test_nesting_64_deep_is_allowed():
    assert hits("[" * 64 + "]" * 64) == [("not-engagement", 1, 1)]
    assert hits("[" * 65 + "]" * 65) == [("yaml-limits", 1, 65)]


def billion_laughs(levels: int = 9) -> str:
    lines = ["tacli: 1", "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_quickly():
    started = time.monotonic()
    text = billion_laughs()
    assert hits(text) == [("yaml-limits", 1, 1)]
    assert time.monotonic() - started < 5
    assert message_of(text, "yaml-limits") == "aliases expand the file to more than 200,000 values: remove the repeated aliases"


def test_file_over_5_mb(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"tacli: 1\n" + b"#" * MAX_FILE_BYTES)
    with pytest.raises(YamlError) as raised:
        load_path(path, "big.yaml")
    found = raised.value.finding
    assert (found.rule, found.line, found.column) == ("yaml-limits", 1, 1)
    assert "5,242,889 bytes, more than the 5,242,880 bytes" in found.message


def test_file_of_exactly_5_mb_is_read(tmp_path):
    path = tmp_path / "big.yaml"
    head = b"tacli: 1\n"
    path.write_bytes(head + b"#" * (MAX_FILE_BYTES - len(head)))
    assert load_path(path).data == {"tacli": 1}


# file-encoding


def test_latin_1_byte():
    text = b"tacli: 1\nid: caf\xe9\n"
    assert hits(text) == [("file-encoding", 2, 8)]
    assert message_of(text, "file-encoding") == "the file is not UTF-8 text (byte 0xe9): save it as UTF-8"


def test_latin_1_byte_after_other_non_ascii_counts_characters():
    # "é" before it is two bytes but one character, like every other column
    assert hits("tacli: 1\ntitle: ét".encode("utf-8") + b"\xe9\n") == [("file-encoding", 2, 10)]


def test_latin_1_byte_after_a_utf_8_bom():
    text = b"\xef\xbb\xbftacli: 1\nid: caf\xe9\n"
    assert hits(text) == [("file-encoding", 2, 8)]
    assert "(byte 0xe9)" in message_of(text, "file-encoding")


def test_utf_8_bom_is_accepted():
    assert hits(b"\xef\xbb\xbf" + BASE.encode("utf-8")) == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf_16_with_bom(encoding):
    raw = BASE.encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    assert hits(raw) == [("file-encoding", 1, 1)]
    assert message_of(raw, "file-encoding") == "the file is UTF-16 text: save it as UTF-8"


def test_nul_byte():
    text = b"tacli: 1\nid: a\x00b\n"
    assert hits(text) == [("file-encoding", 2, 6)]
    assert "NUL character" in message_of(text, "file-encoding")


# file-empty


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n\n# and another\n"], ids=["empty", "blank", "comments"])
def test_empty_file(text):
    assert hits(text) == [("file-empty", 1, 1)]


# file-unreadable


def test_unreadable_file(tmp_path):
    # A folder cannot be read as a file on any system (reading it raises an OSError).
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    with pytest.raises(YamlError) as raised:
        load_path(folder, "folder.yaml")
    found = raised.value.finding
    assert (found.path, found.rule, found.line, found.column) == ("folder.yaml", "file-unreadable", 1, 1)
    assert found.message.startswith("cannot read the file: ")


# positions


def test_document_positions_are_1_based():
    document = load_bytes(BASE.encode("utf-8"), "case.yaml")
    assert document.locate() == (1, 1)
    assert document.locate(("tacli",)) == (1, 8)
    assert document.locate(("recipient",)) == (6, 1)  # a mapping is found at its key
    assert document.locate(("recipient", "kind")) == (7, 9)
    assert document.locate(("services", 0)) == (25, 5)
    assert document.locate(("services", 0, "missing")) == (25, 5)  # nearest node above
    assert document.locate_key(("services", 0, "hours")) == (29, 5)


def test_the_c_parser_is_used():
    """ruamel.yaml 0.19 no longer pulls in its C extension; tacli declares it and relies on it for speed."""
    from tacli.io.yamlsource import _composer

    assert _composer().Parser.__name__ == "CParser"


def test_many_values_without_aliases_are_not_blamed_on_aliases(monkeypatch):
    import tacli.io.yamlsource

    monkeypatch.setattr(tacli.io.yamlsource, "MAX_VALUES", 1_000)  # the limit is counted the same way at 200,000
    text = "tacli: 1\nnotes: [" + ", ".join(["x"] * 1_001) + "]\n"
    assert hits(text) == [("yaml-limits", 1, 1)]
    assert message_of(text, "yaml-limits") == "the file holds more than 1,000 values: an engagement needs far fewer; split it into smaller files"


# yaml-limits: numbers too long to convert


@pytest.mark.parametrize("number", ["1" * 5000, "-" + "9" * 4301, "!!int " + "1" * 5000])
def test_a_huge_integer_is_a_finding_at_its_place(number):
    text = f"tacli: 1\nid: elm\nhours:\n  - {number}\n"
    assert hits(text) == [("yaml-limits", 4, 5)]
    digits = len(number.replace("!!int ", "").lstrip("-"))
    assert message_of(text, "yaml-limits") == f"the number is {digits:,} digits long, more than the 4,300 tacli reads: shorten it, or quote it if it is text"


def test_an_integer_of_4300_digits_is_read():
    assert load_bytes(f"n: {'7' * 4300}\n".encode(), "case.yaml").data == {"n": int("7" * 4300)}


# file-encoding: characters YAML does not allow


@pytest.mark.parametrize(
    ("char", "code"),
    [("\x01", "0001"), ("\x1b", "001B"), ("\x7f", "007F"), ("\x80", "0080"), ("\x9f", "009F"), ("\ufffe", "FFFE"), ("\uffff", "FFFF")],
)
def test_a_character_yaml_does_not_allow_is_found_at_its_place(char, code):
    text = f"tacli: 1\ntitle: Data {char}use\n"
    assert hits(text) == [("file-encoding", 2, 13)]
    what = "character" if code.startswith("FFF") else "control character"
    assert message_of(text, "file-encoding") == (
        f"the file holds the {what} U+{code}, which YAML does not allow: delete it, or write it as \\u{code.lower()} inside double quotes"
    )


def test_a_control_character_after_non_ascii_text_counts_characters():
    assert hits("tacli: 1\ntitle: Données\x02\n") == [("file-encoding", 2, 15)]


def test_a_control_character_after_lone_carriage_returns_is_on_its_line():
    assert hits("tacli: 1\rid: elm\rtitle: a\x01b\r") == [("file-encoding", 3, 9)]


@pytest.mark.parametrize("char", ["\t", "\x85", "\xa0", "\u2028", "\u2029", "\ue000", "\ufffd", "\U0001f600"])
def test_characters_yaml_allows_are_accepted(char):
    assert hits(BASE.replace("title: Data use at Elm School", f"title: Data use{char}at Elm School")) == []


# YAML 1.2 that the fast parser (YAML 1.1) refuses


@pytest.mark.parametrize(
    ("value", "data"),
    [
        ("{time: 08:30-09:00}", {"time": "08:30-09:00"}),
        ("[https://example.org/agenda, b]", ["https://example.org/agenda", "b"]),
        ("[Who leads which session?]", ["Who leads which session?"]),
        ("{url: http://example.org:8080/x?y=1}", {"url": "http://example.org:8080/x?y=1"}),
    ],
)
def test_yaml_1_2_flow_collections(value, data):
    assert load_bytes(f"x: {value}\n".encode(), "case.yaml").data == {"x": data}


def test_a_yaml_1_2_directive():
    assert load_bytes(b"%YAML 1.2\n---\ntacli: 1\n", "case.yaml").data == {"tacli": 1}


def test_an_anchor_defined_again_refers_to_the_last_one():
    # YAML 1.2 allows it (the C parser refuses), and ruamel.yaml's warning is not printed
    assert load_bytes(b"a: &x 1\nb: &x 2\nc: *x\n", "case.yaml").data == {"a": 1, "b": 2, "c": 2}


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_yaml_1_1_line_breaks_do_not_shift_later_lines(char):
    text = f"tacli: 1\ntitle: Data{char}use\nrecipient: [\n"
    assert hits(text) == [("yaml-syntax", 3, 12)]
    document = load_bytes(f"tacli: 1\ntitle: Data{char}use\nid: elm\n".encode(), "case.yaml")
    assert document.locate(("id",)) == (3, 5)


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_a_yaml_1_1_line_break_is_an_ordinary_character(char):
    text = f"title: 'a{char}b'\nnote: a{char} b\n# a comment{char}id: not a key\nkey{char}: [x{char}y, {char}]\n"
    document = load_bytes(text.encode(), "case.yaml")
    assert document.data == {"title": f"a{char}b", "note": f"a{char} b", f"key{char}": [f"x{char}y", char]}
    assert document.locate((f"key{char}", 1)) == (4, 13)


def test_a_text_with_no_free_stand_in_is_read_by_the_yaml_1_2_parser(monkeypatch):
    import tacli.io.yamlsource

    monkeypatch.setattr(tacli.io.yamlsource, "_PRIVATE_USE", (range(0xE000, 0xE002),))
    text = "tacli: 1\ntitle: \ue000\ue001 a\u2028b\nid: [elm\n"
    assert hits(text) == [("yaml-syntax", 3, 5)]
    document = load_bytes("title: \ue000\ue001 a\u2028b\nid: elm\n".encode(), "case.yaml")
    assert document.data == {"title": "\ue000\ue001 a\u2028b", "id": "elm"}
    assert document.locate(("id",)) == (2, 5)


def test_a_syntax_error_quotes_a_yaml_1_1_line_break_as_itself():
    [found] = findings_of("tacli: 1\nx: *a\u2028b\n")
    assert (found.rule, found.line, found.column) == ("yaml-syntax", 2, 4)
    assert "'a\\u2028b'" in found.message


def test_a_yaml_1_2_syntax_error_is_reported_where_yaml_1_2_finds_it():
    # the C parser stops at the time on line 2; the real error is on line 3
    text = "tacli: 1\nagenda: [{time: 08:30-09:00}]\nid: [elm\n"
    assert hits(text) == [("yaml-syntax", 3, 5)]


def test_deep_nesting_read_by_the_yaml_1_2_parser():
    # the time in the flow mapping stops the C parser: the YAML 1.2 parser reads it all
    assert hits("tacli: 1\nx: [{a: 08:30}]\ny: " + "[" * 100 + "]" * 100) == [("yaml-limits", 3, 67)]


def test_an_unknown_yaml_version_is_a_syntax_error():
    assert hits("%YAML 1.3\n---\ntacli: 1\n") == [("yaml-syntax", 1, 1)]


def test_the_examples_saved_by_ruamel_yaml_still_check_clean():
    import io

    from ruamel.yaml import YAML

    from conftest import checker_for

    for path in EXAMPLE_FILES:
        yaml = YAML()
        out = io.StringIO()
        yaml.dump(yaml.load(path.read_text(encoding="utf-8")), out)
        document = load_bytes(out.getvalue().encode("utf-8"), path.name)
        original = load_bytes(path.read_bytes(), path.name)
        assert document.data == original.data, path.name
        checker = checker_for()
        assert {(f.rule, f.message) for f in checker.examine(checker.read_document(document)).findings} == {(f.rule, f.message) for f in checker.examine(checker.read_document(original)).findings}
