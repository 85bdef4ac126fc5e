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
