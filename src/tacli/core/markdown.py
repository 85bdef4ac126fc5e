"""Escape text so that it shows literally in Markdown and in Mermaid diagrams.

Engagement files and standards are data: a note that holds `|`, `<script>`,
`# heading` or `{{ 7*7 }}` must show those characters, not change the
document around it. These functions escape only what would be read as
structure, so that the reports stay readable as plain text and in diffs.
Control and bidirectional characters are shown as escapes (textformat.visible):
a report carries none of them raw.
"""

from __future__ import annotations

import functools
import re

from tacli.core.textformat import paragraphs, visible

_SPACE = re.compile(r"\s+")
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ORDERED_MARKER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_LINE_MARKER = re.compile(r"^([-+=])(?=\s|$)")
_RULE_LINE = re.compile(r"^[-=](?:\s*[-=])*$")
_HEADING_MARKER = re.compile(r"^#{1,6}(?=\s|$)")
_CLOSING_HASHES = re.compile(r"(\s)(#+)$")

# A line of letters, digits, spaces and punctuation that is never structure:
# it starts with a letter (a line's first characters are the ones that can
# open a heading, quote, list or rule) and holds none of the characters above.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;:'()/?!%@=+-]*")
# Always escaped: they open code, emphasis, links, raw HTML and table cells.
_ALWAYS = set("\\`*[]<|")
# Escaped when the text holds two or more of them: alone they cannot pair up
# (GFM strikethrough `~~`, GitHub math `$...$`).
_PAIRED = set("~$")


def inline(text) -> str:
    """Text for one line of Markdown: a heading, a list item, a table cell.

    Line breaks and runs of white space become one space; characters that
    Markdown would read as structure are backslash-escaped.
    """
    if text is None:
        return ""
    if isinstance(text, str):
        return _inline_text(str(text))
    return _escape_line(_flat(text))


@functools.lru_cache(maxsize=16384)
def _inline_text(text: str) -> str:
    """inline() of a string, remembered: reports repeat the same titles and duty texts thousands of times."""
    return _escape_line(_flat(text))


def block(text) -> str:
    """Text for a paragraph: blank lines separate paragraphs, and each line
    break the writer typed is kept as a hard line break."""
    if text is None:
        return ""
    return "\n\n".join("\\\n".join(_escape_line(_flat(line)) for line in lines) for lines in paragraphs(str(text)))


def _flat(text) -> str:
    """One line: white space runs as one space, other control characters as visible escapes."""
    return visible(_SPACE.sub(" ", str(text)).strip())


def _escape_line(text: str) -> str:
    if not text:
        return ""
    if _PLAIN.fullmatch(text):  # no character that could be structure: most texts
        return text
    paired = {c for c in _PAIRED if text.count(c) >= 2}
    out = []
    last = len(text) - 1
    for index, char in enumerate(text):
        if char in _ALWAYS or char in paired:
            out.append("\\" + char)
        elif char == "_" and not (0 < index < last and text[index - 1].isalnum() and text[index + 1].isalnum()):
            out.append("\\_")  # `_` inside a word never makes emphasis (snake_case stays readable)
        elif char == "&" and _ENTITY.match(text, index):
            out.append("\\&")
        else:
            out.append(char)
    escaped = "".join(out)
    escaped = _CLOSING_HASHES.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
    return _escape_start(escaped)


def _escape_start(text: str) -> str:
    """A line that starts like a heading, quote, list, rule or setext underline."""
    if text.startswith(">"):
        return "\\" + text
    if _HEADING_MARKER.match(text) or _LINE_MARKER.match(text) or _RULE_LINE.match(text):
        return "\\" + text
    return _ORDERED_MARKER.sub(lambda m: m.group(1) + "\\" + m.group(2), text, count=1)


# Mermaid decodes `#name;` and `#123;` entity codes in labels, in every
# diagram type, before it parses: so any character can be written as one.
_MERMAID_CODES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "`": "#96;",
    "{": "#123;",  # with `{` encoded, no `%%{init: ...}%%` directive can be formed
    "}": "#125;",
}
# A Gantt task or section name also ends at `:`, `;` or `#`.
_GANTT_CODES = {**_MERMAID_CODES, ":": "#58;", ";": "#59;"}
_COMMENT = re.compile(r"%{2,}")  # `%%` starts a comment anywhere on a line


def _encode(text, codes: dict) -> str:
    encoded = "".join(codes.get(char, char) for char in _flat(text))
    return _COMMENT.sub(lambda m: "#37;" * len(m.group(0)), encoded)


# Words that a Gantt chart reads as a statement when a line starts with them.
_GANTT_KEYWORDS = re.compile(
    r"^(accdescr|acctitle|axisformat|call|click|dateformat|excludes|href|inclusiveenddates|includes|section|tickinterval|title|todaymarker|topaxis|weekday|weekend)",
    re.IGNORECASE,
)


def mermaid(text) -> str:
    """Text for a flowchart node label written in double quotes: `id["..."]`.

    One line; the characters Mermaid reads as syntax become entity codes.
    """
    if text is None:
        return ""
    return _encode(text, _MERMAID_CODES)


def mermaid_gantt(text) -> str:
    """Text for a Gantt chart's task or section name, which starts a line."""
    if text is None:
        return ""
    encoded = _encode(text, _GANTT_CODES)
    if _GANTT_KEYWORDS.match(encoded):
        encoded = f"#{ord(encoded[0])};" + encoded[1:]
    return encoded


class Text(str):
    """A string from an engagement or the standards: data, never markup.

    Jinja escapes a printed value through markupsafe's protocol, whose hook is
    named `__html__` whatever the document is. In the reports' environment
    (templates.make_environment, MARKDOWN) a Text answers it with Markdown
    escaping, so `{{ value }}` shows the text literally in any template; the
    site's environment (HTML) makes it a plain string first, which markupsafe
    then escapes for HTML.
    """

    __slots__ = ()

    def __html__(self) -> str:  # markupsafe's escape hook: here, Markdown's escaping
        return inline(self)
