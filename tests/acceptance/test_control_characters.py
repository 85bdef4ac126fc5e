"""Control characters from engagement values and file names never reach an
output raw: each finding stays one line in the text formats (so no value can
start a GitHub workflow command or repaint a terminal), JSON and SARIF stay
valid and give the original text back, and reports show them as escapes."""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET

import pytest
from conftest import DATA, MINI_STANDARDS

from tacli.cli import terminal

# What a value may hold, and how the text formats show it.
HOSTILE = "on-site\n::error file=x::injected \x1b[31mred\x1b[0m \x9b2J \u202eevil\u202c \u2066iso\u2069 \x7f \u2028end"
SHOWN = "on-site\\n::error file=x::injected \\x1b[31mred\\x1b[0m \\x9b2J \\u202eevil\\u202c \\u2066iso\\u2069 \\x7f \\u2028end"
# The same, as a YAML double-quoted scalar: the file itself is plain, valid UTF-8 text.
QUOTED = '"on-site\\n::error file=x::injected \\e[31mred\\e[0m \\x9b2J \\u202eevil\\u202c \\u2066iso\\u2069 \\x7f \\u2028end"'
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")  # all of them but tab and newline
NAME = "evil\n::error file=x::injected\x1b[31m\x9b\u202e.yaml" if sys.platform != "win32" else "evil.yaml"
ENV = {"TACLI_STANDARDS": str(MINI_STANDARDS), "TACLI_TODAY": "2026-11-22"}


@pytest.fixture
def folder(tmp_path):
    """An engagement whose delivery mode (echoed by its finding) and file name hold every unsafe kind of character."""
    text = (DATA / "mini-engagement.yaml").read_text(encoding="utf-8")
    (tmp_path / NAME).write_text(text.replace("mode: on-site", f"mode: {QUOTED}"), encoding="utf-8")
    return tmp_path


@pytest.fixture
def check(run_tacli, folder):
    def run(*args):
        return run_tacli("check", ".", *args, cwd=folder, env=ENV)

    return run


def test_the_text_format_gives_one_line_a_finding_and_no_workflow_command(check):
    result = check("--format", "text")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and lines[1] == "1 file checked: 1 error in 1 file."
    assert f"unknown delivery mode '{SHOWN}'" in lines[0]
    assert not any(line.startswith("::") for line in lines)
    assert not UNSAFE.search(result.stdout)
    if sys.platform != "win32":
        assert lines[0].startswith("evil\\n::error file=x::injected\\x1b[31m\\x9b\\u202e.yaml:28:11: error unknown-value ")


def test_the_terminal_view_shows_escapes_only(check, monkeypatch):
    monkeypatch.setattr(terminal, "is_terminal", lambda: True)
    result = check()
    plain = re.sub("\x1b\\[[0-9;]*m", "", result.stdout)  # the view's own colours
    assert not UNSAFE.search(plain)
    assert plain.splitlines()[0].startswith("evil\\n::error file=x::injected\\x1b[31m\\x9b\\u202e.yaml  1 error")
    assert not any(line.startswith("::") for line in plain.splitlines())
    assert "\x1b[1m" in result.stdout  # styled (NO_COLOR leaves bold)


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_json_and_sarif_stay_valid_and_give_the_original_text_back(check, output_format):
    result = check("--format", output_format)
    assert not UNSAFE.search(result.stdout)
    document = json.loads(result.stdout)
    # a message stays on one line in every format: its line breaks are written as escapes
    said = HOSTILE.replace("\n", "\\n").replace("\u2028", "\\u2028")
    if output_format == "json":
        [finding] = document["findings"]
        assert finding["path"] == NAME and finding["message"].startswith(f"unknown delivery mode '{said}'")
    else:
        [found] = document["runs"][0]["results"]
        assert found["message"]["text"].startswith(f"unknown delivery mode '{said}'")
    assert "\\u009b" in result.stdout and "\\u202e" in result.stdout and "\\u2028" in result.stdout


def test_github_annotations_keep_the_value_inside_the_annotation(check):
    lines = check("--format", "github").stdout.split("\n")[:-1]  # the runner reads lines as \n ends them
    assert len(lines) == 2 and lines[0].startswith("::error file=") and not lines[1].startswith("::")
    assert "file=evil\\n%3A%3Aerror file=x%3A%3Ainjected\\x1b" in lines[0]  # the path, shown with escapes, then escaped as a property
    assert not UNSAFE.search(lines[0])
    assert "'on-site\\n::error file=x::injected" in lines[0]  # the message, its line break written as an escape


def test_junit_stays_valid_xml_with_one_line_a_finding(check):
    root = ET.fromstring(check("--format", "junit").stdout)
    failure = root.find("./testsuite/testcase/failure")
    assert failure.text.count("\n") == 1 and SHOWN in failure.text


def test_messages_on_standard_error_are_one_line(run_tacli, folder):
    result = run_tacli("report", ".", "--kind", "summary", cwd=folder, env=ENV)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 2 and SHOWN in result.stderr and not UNSAFE.search(result.stderr)
    missing = run_tacli("check", "nowhere\n::error file=x::injected\x1b[2J.yaml", cwd=folder, env=ENV)
    assert missing.returncode == 2
    assert missing.stderr == "tacli: error: nowhere\\n::error file=x::injected\\x1b[2J.yaml: no such file or folder\n"


def test_a_report_shows_control_characters_as_escapes(run_tacli, tmp_path):
    text = (DATA / "mini-engagement.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Data use at Elm School", f"title: {QUOTED}")
    text = text.replace("notes: [Good session]", f"notes: [{QUOTED}]")
    (tmp_path / "elm.yaml").write_text(text, encoding="utf-8")
    for kind in ("tast", "plan", "summary"):
        result = run_tacli("report", "elm.yaml", "--kind", kind, cwd=tmp_path, env=ENV)
        assert result.returncode == 0, result.stderr
        assert not UNSAFE.search(result.stdout), kind
        assert "\\\\x1b\\[31mred\\\\x1b\\[0m \\\\x9b2J \\\\u202eevil" in result.stdout, kind
    tast = run_tacli("report", "elm.yaml", "--kind", "tast", cwd=tmp_path, env=ENV).stdout
    assert "- **Engagement:** on-site ::error file=x::injected \\\\x1b" in tast  # the line break is a space
    assert not any(line.startswith("::") for line in tast.splitlines())


def test_standards_text_is_shown_as_written_never_as_markup(run_tacli, tmp_path):
    """A framework's title with rich markup and an escape sequence: shown as
    written, with the escape visible, by `standards list` and `standards show`."""
    import shutil

    from conftest import MINI_STANDARDS

    folder = tmp_path / "standards"
    shutil.copytree(MINI_STANDARDS, folder)
    matrix = folder / "matrix.yaml"
    matrix.write_text(matrix.read_text(encoding="utf-8").replace("title: Mini standards", 'title: "Mini [bold]standards[/bold] [sic] \\e[31m"', 1), encoding="utf-8")
    for command in (("standards", "list"), ("standards", "show", "mini")):
        done = run_tacli(*command, "--standards", str(folder))
        assert done.returncode == 0, done.stderr
        assert "Mini [bold]standards[/bold] [sic]" in done.stdout and "\\x1b[31m" in done.stdout
        assert not UNSAFE.search(done.stdout)
