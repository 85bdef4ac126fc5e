"""The shipped examples: valid engagements, one clean, the others with the gaps real files have."""

from conftest import EXAMPLES, ROOT


def test_every_example_is_a_valid_engagement(run_tacli):
    done = run_tacli("check", "--today", "2026-11-22", "examples", cwd=ROOT)
    assert done.returncode == 1
    rules = {line.split()[2] for line in done.stdout.splitlines()[:-1]}
    assert not {r for r in rules if r.startswith(("schema-", "unknown-", "yaml-", "file-", "not-"))}
    # the principal call marks its agenda and norms done without them, one report was completed late,
    # and the summer months of the intensive engagement had telephone calls only
    assert rules == {"duty-open", "tast-due-soon", "tast-late", "duty-record", "fixsen-indicator", "fixsen-fidelity", "fixsen-contact-gap"}
    assert done.stdout.splitlines()[-1] == "3 files checked: 4 errors, 6 warnings in 2 files."


def test_the_coaching_example_is_clean(run_tacli):
    done = run_tacli("check", "--today", "2026-11-22", EXAMPLES / "little-acorns-oec-coaching.yaml")
    assert done.returncode == 0
    assert done.stdout == "1 file checked: no problems.\n"


def test_each_example_has_its_shape():
    texts = {p.name: p.read_text(encoding="utf-8") for p in EXAMPLES.glob("*.yaml")}
    assert "frameworks: [cali, csde, dunst]" in texts["elm-street-data-teams.yaml"]
    assert "tier: sustained" in texts["riverside-district-intensive.yaml"]
    assert "frameworks: [oec, dunst]" in texts["little-acorns-oec-coaching.yaml"]


def test_the_readme_shows_what_check_prints_on_the_examples(run_tacli):
    """The Quick start's sample output is the real output, line for line."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("```text\nexamples/") + len("```text\n")
    shown = [line for line in readme[start : readme.index("```", start)].splitlines() if line != "..."]
    printed = run_tacli("check", "--today", "2026-11-22", "examples/", cwd=ROOT).stdout.splitlines()
    assert shown and all(line in printed for line in shown), shown
    assert shown[-1] == printed[-1]


def test_the_readme_walkthrough_works_as_written(run_tacli, tmp_path):
    """The step-by-step commands, typed as the README gives them (relative dates
    and all), succeed, and check, due and status print what the README shows."""
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## A new engagement, step by step") :]
    commands = section[section.index("```sh\n") + 6 : section.index("```", section.index("```sh\n") + 6)].replace("\\\n", " ")
    env = {"TACLI_TODAY": "2026-11-23"}  # the day the README's output was taken
    results = []
    for line in commands.splitlines():
        words = shlex.split(line)
        assert words[0] == "tacli"
        results.append(run_tacli(*words[1:], cwd=tmp_path, env=env))
    assert [done.returncode for done in results] == [0, 0, 0, 1], [done.stderr for done in results]
    shown = section[section.index("```text\n") + 8 : section.index("```", section.index("```text\n") + 8)].splitlines()
    assert results[-1].stdout.splitlines()[-2:] == shown
    outputs = section[section.index("$ tacli due") :]
    for command in ("due", "status engagements/data-teams-at-elm-street-school.yaml"):
        printed = run_tacli(*shlex.split(command), cwd=tmp_path, env=env).stdout.splitlines()
        block = outputs[outputs.index(f"$ tacli {command}\n") :].split("\n")[1:]
        expected = [line for line in block[: block.index("")] if line.strip() != "..." and not line.endswith(", ...")]
        assert all(line in printed for line in expected), (expected, printed)
