"""The site's core (tacli.output.site): HTML escaping of views that hold Markdown
`Text`, the embedded JSON, paragraphs, number formats, markers, the layout
of the site's files, and the colours' contrast (WCAG AA)."""

from __future__ import annotations

import json
import re

import pytest

from tacli.core.markdown import Text
from tacli.core.numbers import hours_text, percent_text
from tacli.write.output_files import written_by_tacli
from tacli.output.site import (
    CODE_MARKER,
    HTML_MARKER,
    SITE_LAYOUT,
    _assets_folder,
    environment,
    existing_site_files,
    json_data,
    paragraphs,
    with_site_marker,
)


def test_markdown_text_is_escaped_for_html_not_for_markdown():
    template = environment().from_string("<p title=\"{{ v }}\">{{ v }}</p>{{ items|join(', ') }}")
    out = template.render(v=Text("a <b> & *c* | \"d\" \u202e"), items=[Text("<x>"), Text("y_z")])
    assert out == '<p title="a &lt;b&gt; &amp; *c* | &#34;d&#34; \\u202e">a &lt;b&gt; &amp; *c* | &#34;d&#34; \\u202e</p>&lt;x&gt;, y_z'


def test_json_data_cannot_end_its_script_element():
    text = str(json_data({"b": "</script><!-- & \u2028 é", "a": 1}))
    assert text == '{"a":1,"b":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028 \\u00e9"}'
    assert json.loads(text) == {"a": 1, "b": "</script><!-- & \u2028 é"}


def test_paragraphs_keep_lines_and_escape():
    assert str(paragraphs("one <b>\ntwo\n\n  \nthree\x1b")) == "<p>one &lt;b&gt;<br>\ntwo</p>\n<p>three\\x1b</p>"
    assert str(paragraphs(None)) == ""


@pytest.mark.parametrize("value, text", [(3.0, "3"), (2.5, "2.5"), (0.1 + 0.2, "0.3"), (121.5, "121.5"), (None, "")])
def test_hours_text(value, text):
    assert hours_text(value) == text


@pytest.mark.parametrize("ratio, text", [(None, None), (0.5, "50%"), (103 / 121.5, "84.8%"), (1.0, "100%"), (0.98387, "98.4%")])
def test_percent_text(ratio, text):
    assert percent_text(ratio) == text


def test_each_file_type_carries_its_marker(tmp_path):
    for name, marker in (("a.html", HTML_MARKER), ("a.css", CODE_MARKER), ("a.js", CODE_MARKER)):
        path = tmp_path / name
        path.write_text(with_site_marker(name, "body\n\n"))
        assert path.read_text() == f"body\n{marker}\n"
        assert written_by_tacli(path, SITE_LAYOUT.markers)
        assert not written_by_tacli(path)  # a report's marker is not the site's


def test_the_site_layout_lists_only_where_the_site_writes(tmp_path):
    for name in ("index.html", "other.html", "assets/site.css", "assets/x.png", "engagements/a/index.html", "engagements/a/deep/x.html", "notes/x.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "engagements/b").symlink_to(tmp_path / "engagements/a")
    assert existing_site_files(tmp_path) == ["index.html", "assets/site.css", "engagements/a/index.html"]


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_meet_wcag_aa():
    css = (_assets_folder() / "site.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([a-z]+): (#[0-9a-f]{6});", css))
    for text in ("ink", "muted", "link", "warn", "ok"):
        for background in ("paper", "panel"):
            assert contrast(colours[text], colours[background]) >= 4.5, (text, background)
    for text in ("ink", "link", "warn"):  # the files that could not be used: a panel of their own
        assert contrast(colours[text], colours["alert"]) >= 4.5, (text, "alert")
    assert contrast(colours["focus"], colours["paper"]) >= 3  # focus outline
    assert contrast("#ffffff", "#17324d") >= 4.5  # the navigation bar
    script = (_assets_folder() / "site.js").read_text(encoding="utf-8")
    chart_colours = re.findall(r"#[0-9a-f]{6}", script.split("function fmt", 1)[0])
    assert len(chart_colours) >= 8
    for colour in chart_colours:
        assert contrast(colour, "#ffffff") >= 3, colour  # graphical objects
    gap = dict(re.findall(r"GAP_([A-Z]+) = \"(#[0-9a-f]{6})\"", script))
    assert contrast(gap["INK"], gap["FILL"]) >= 4.5  # the words on a break of the month axis
