"""The shipped examples: valid engagements, one clean, the others with the gaps real files have."""

import os

from conftest import EXAMPLES, ROOT


def test_every_example_is_a_valid_engagement(run_tacli):
    done = run_tacli("check", "--today", "2026-11-22", "examples", cwd=ROOT)
    assert done.returncode == 1
    rules = {line.split()[2] for line in done.stdout.splitlines()[:-1]}
    assert not {r for r in rules if r.startswith(("schema-", "unknown-", "yaml-", "file-", "not-"))}
    # the principal call marks its agenda and norms done without them, one report was completed late
    # and waits for a reviewer's second look, and the summer months of the intensive engagement had
    # telephone calls only
    assert rules == {"duty-open", "tast-due-soon", "tast-late", "tast-review-overdue", "duty-record", "fixsen-indicator", "fixsen-fidelity", "fixsen-contact-gap"}
    assert done.stdout.splitlines()[-1] == "4 files checked: 4 errors, 7 warnings in 2 files (1 YAML file without `tacli:` skipped)."


def test_the_coaching_example_is_clean(run_tacli):
    done = run_tacli("check", "--today", "2026-11-22", EXAMPLES / "little-acorns-oec-coaching.yaml")
    assert done.returncode == 0
    assert done.stdout == "1 file checked: no problems.\n"


def test_each_example_has_its_shape():
    texts = {p.name: p.read_text(encoding="utf-8") for p in EXAMPLES.glob("*.yaml")}
    assert "frameworks: [cali, csde, dunst, guskey, osep]" in texts["elm-street-data-teams.yaml"]
    assert "tier: sustained" in texts["riverside-district-intensive.yaml"]
    assert "frameworks: [oec, dunst, guskey, osep]" in texts["little-acorns-oec-coaching.yaml"]
    assert "tier: universal" in texts["hartford-data-webinars.yaml"]  # every level of TA has an engagement
    assert texts["roster.yaml"].count("\n  - {kind: ") == 7
    for name, text in texts.items():  # every example carries what the annual figures count
        if name != "roster.yaml":
            assert "evaluation_forms" in text and "outcomes:" in text, name
    assert "reviewers:" in texts["elm-street-data-teams.yaml"] and "reviews:" in texts["elm-street-data-teams.yaml"]


def test_the_readme_shows_what_check_prints_on_the_examples(run_tacli):
    """The Quick start's sample output is the real output, line for line."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("```text\nexamples/") + len("```text\n")
    shown = [line for line in readme[start : readme.index("```", start)].splitlines() if line != "..."]
    printed = run_tacli("check", "--today", "2026-11-22", "examples/", cwd=ROOT).stdout.splitlines()
    assert shown and all(line in printed for line in shown), shown
    assert shown[-1] == printed[-1]


def test_the_readme_names_every_shipped_framework_and_every_exit_code():
    """The table of frameworks has a row for each file of standards/, and the
    exit codes said beside the Quick start are all that tacli uses."""
    import re

    from tacli.core.outcome import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_USAGE

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shipped = sorted(path.stem for path in (ROOT / "standards").glob("*.yaml"))
    assert sorted(re.findall(r"^\| `(\w+)` \|", readme, flags=re.M)) == shipped
    said = readme[readme.index("`tacli check` prints one finding a line"):]
    said = said[: said.index("```")]
    assert [int(code) for code in re.findall(r"\b([0-9]) when", said)] == [EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL]


def readme_blocks(section: str) -> list[tuple[str, str]]:
    """The fenced blocks of a README section, in order: (language, text)."""
    import re

    return re.findall(r"^```(\w+)\n(.*?)^```$", section, flags=re.S | re.M)


def shown_lines(block: str) -> list[str]:
    """The lines a README block shows of an output, without the elisions ("...", "..., ...")."""
    return [line for line in block.splitlines() if line.strip() != "..." and not line.endswith(", ...")]


def in_order(expected: list[str], printed: list[str]) -> bool:
    """Every expected line is printed, in this order (others may come between)."""
    lines = iter(printed)
    return all(any(line == each for each in lines) for line in expected)


def test_the_readme_walkthrough_works_as_written(tmp_path):
    """The step-by-step section, typed as the README gives it (relative dates and
    all), in a home folder of its own: `cd`, tacli through its command line
    in-process, git when it is installed. Every command succeeds (check finds what
    is still to do), each output the README shows is what it printed, and the
    commit leaves nothing of the user's work out."""
    import shlex
    import shutil
    import subprocess

    from conftest import run_in_process

    git = shutil.which("git")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "TACLI_TODAY": "2026-11-23",  # the day the README's output was taken
        "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Dana Ruiz", "GIT_AUTHOR_EMAIL": "dana@example.org",
        "GIT_COMMITTER_NAME": "Dana Ruiz", "GIT_COMMITTER_EMAIL": "dana@example.org",
    }
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## A new engagement, step by step")
    section = readme[start : readme.index("\n## ", start + 3)]
    here, last, ran = home, None, []
    for language, block in readme_blocks(section):
        if language == "sh":
            for line in block.replace("\\\n", " ").splitlines():
                words = shlex.split(line)
                if words[0] == "cd":
                    here = home if words[1:] == ["~"] else here / words[1]
                    assert here.is_dir(), line
                elif words[0] == "tacli":
                    last = run_in_process(*words[1:], cwd=here, env=env)
                    assert last.returncode == (1 if words[1] == "check" else 0), (line, last.stderr)
                    assert "left out" not in last.stderr and "Traceback" not in last.stderr, last.stderr
                    ran.append(words[1])
                else:
                    assert words[0] == "git", line
                    if git:
                        done = subprocess.run([git, *words[1:]], cwd=here, env={**os.environ, **env}, capture_output=True, text=True)
                        assert done.returncode == 0, (line, done.stderr)
                        ran.append("git")
        elif block.startswith("$ tacli "):
            for command in block.split("$ tacli ")[1:]:
                words, *output = command.split("\n")
                printed = run_in_process(*shlex.split(words), cwd=here, env=env).stdout.splitlines()
                expected = shown_lines("\n".join(output))
                assert expected and all(line in printed for line in expected), (words, [line for line in expected if line not in printed])
        elif language == "text":
            expected = shown_lines(block)
            if not git:
                expected = [line for line in expected if "git init" not in line]
            printed = last.stdout.splitlines()
            assert in_order(expected, printed), (expected, printed)
            if expected[-1].startswith("1 file checked"):
                assert printed[-2:] == expected[-2:]
    assert ran[:5] == ["init", "new", "new", "mark", "check"] and "report" in ran
    if git:
        assert ran[-2:] == ["git", "git"]
        status = subprocess.run([git, "status", "--porcelain", "--ignored"], cwd=here, capture_output=True, text=True, check=True)
        assert status.stdout == ""  # all of it committed, nothing left aside
        committed = subprocess.run([git, "ls-files"], cwd=here, capture_output=True, text=True, check=True).stdout.splitlines()
        assert {"engagements/data-teams-at-elm-street-school.yaml", "reports/summary.md", "tacli.toml", "engagement.schema.json"} <= set(committed)
