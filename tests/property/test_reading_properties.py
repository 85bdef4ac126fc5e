"""Properties of reading and checking, on engagement files mutated at random.

(a) Whatever is done to a valid engagement (lines deleted, duplicated,
swapped, re-indented, characters inserted, the file cut short), `check`
never fails: every finding is on the file, at a line and column inside it,
with a one-line message, and none is an internal error.

(b) A file loaded by ruamel.yaml's round-trip loader and saved unchanged
checks the same as the file it came from. Positions may move (the dump
reformats), so the findings are compared by rule and message, line numbers
quoted in messages left out.

The number of examples is TACLI_HYPOTHESIS_EXAMPLES (tests/conftest.py), 16
by default.
"""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest

hypothesis = pytest.importorskip("hypothesis")

from conftest import EXAMPLE_FILES, MINI_ENGAGEMENT, MINI_STANDARDS, checker_for  # noqa: E402
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tacli.checking.checker import INTERNAL_ERROR  # noqa: E402
from tacli.reading.pipeline import Target  # noqa: E402

SOURCES = {path.name: (path.read_text(encoding="utf-8"), None) for path in EXAMPLE_FILES}
SOURCES["mini-engagement.yaml"] = (MINI_ENGAGEMENT, MINI_STANDARDS)
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Characters with a meaning in YAML, characters YAML refuses, and characters
# YAML 1.1 takes for line breaks, among any others.
ODD = ["\x00", "\x01", "\x1b", "\x7f", "\x9f", "\ufffe", "\x85", "\u2028", "\u2029", "\ufeff", "\t", "\r", "\n", " ",
       ":", ": ", "-", "- ", "#", " #", "?", "[", "]", "{", "}", ",", "&", "*", "!", "|", ">", "'", '"', "%", "@", "`", "\\",
       "0", "08:30", "é", "\U0001f600", "\u00a0"]
TEXT = st.lists(st.sampled_from(ODD) | st.characters(), min_size=1, max_size=6).map("".join)
PRINTABLE = st.sampled_from([piece for piece in ODD if piece.isprintable()]) | st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
PLAIN_TEXT = st.lists(PRINTABLE, min_size=1, max_size=8).map("".join)


@st.composite
def mutated(draw, insert=TEXT, operations=("delete", "duplicate", "swap", "insert", "truncate", "indent")):
    """(file name, text): one of the examples or the mini engagement, changed one to four times."""
    name = draw(st.sampled_from(sorted(SOURCES)))
    text = SOURCES[name][0]
    for _ in range(draw(st.integers(1, 4))):
        lines = text.splitlines(keepends=True)
        if not lines:
            break
        operation = draw(st.sampled_from(operations))
        at = draw(st.integers(0, len(lines) - 1))
        if operation == "delete":
            del lines[at]
        elif operation == "duplicate":
            lines.insert(at, lines[at])
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif operation == "insert":
            column = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:column] + draw(insert) + lines[at][column:]
        elif operation == "replace-value":
            key, colon, _ = lines[at].partition(": ")
            if colon:
                lines[at] = key + colon + draw(insert) + "\n"
        elif operation == "truncate":
            text = "".join(lines)
            lines = [text[: draw(st.integers(0, len(text)))]]
        elif operation == "indent":
            line = lines[at]
            indent = len(line) - len(line.lstrip(" "))
            lines[at] = " " * max(0, indent + draw(st.sampled_from([-4, -2, -1, 1, 2, 3]))) + line.lstrip(" ")
        text = "".join(lines)
    return name, text


def check(folder, name: str, text: str):
    """The findings of `tacli check` on `text`, written as the file `name`."""
    path = folder / name
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return checker_for(SOURCES[name][1]).check_file(Target(path, name, True)).findings


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("mutated")


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_check_never_fails_and_places_every_finding_in_the_file(folder, case):
    name, text = case
    findings = check(folder, name, text)
    lines = LINE_BREAK.split(text.removeprefix("\ufeff"))
    for found in findings:
        assert found.rule != INTERNAL_ERROR.id, found
        assert found.path == name
        assert 1 <= found.line <= len(lines), found
        assert 1 <= found.column <= len(lines[found.line - 1]) + 1, found
        assert len(found.message.splitlines()) == 1, found


def round_trip(text: str) -> str:
    from ruamel.yaml import YAML

    yaml = YAML()
    out = io.StringIO()
    yaml.dump(yaml.load(text), out)
    return out.getvalue()


def summary(findings) -> Counter:
    """Rules and messages, without the line numbers that a reformatted file
    moves; a null key may be written '' or 'null', and is the same key."""
    return Counter((found.rule, NULL_KEY.sub("key 'null'", LINE_NUMBER.sub("line N", found.message))) for found in findings)


LINE_NUMBER = re.compile(r"\bline \d+(, column \d+)?")
NULL_KEY = re.compile(r"\bkey '(|~|null|Null|NULL)'")


# A round trip of the largest example takes a second: half as many examples.
@settings(max_examples=max(1, settings().max_examples // 2), suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(mutated(insert=PLAIN_TEXT, operations=("delete", "duplicate", "replace-value", "insert")))
def test_a_file_saved_by_ruamel_yaml_checks_the_same(folder, case):
    name, text = case
    try:
        saved = round_trip(text)
    except Exception:  # noqa: BLE001 - not YAML that ruamel.yaml reads: no round trip to compare
        assume(False)
    assert summary(check(folder, name, saved)) == summary(check(folder, name, text))
