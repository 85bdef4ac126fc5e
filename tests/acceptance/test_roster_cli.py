"""`--roster FILE` and `roster` in tacli.toml: the coverage of the service area
in `tacli check`, and a roster that cannot be used."""

from __future__ import annotations

from conftest import EXAMPLES, ROOT


def test_check_shows_the_coverage_of_the_examples_roster(run_tacli):
    done = run_tacli("check", "--today", "2026-11-22", "examples/", "--roster", "examples/roster.yaml", cwd=ROOT)
    lines = [line for line in done.stdout.splitlines() if line.startswith("examples/roster.yaml:")]
    assert [line.split()[2] for line in lines] == ["roster-priority-unserved", "roster-unserved", "roster-no-recent-service", "roster-unserved"]
    assert "Oak Hill School (priority, Title I, in need of improvement) has no engagement" in lines[0]
    assert "its latest service was on 2021-12-13 (little-acorns-oec-coaching)" in lines[2]
    assert done.stdout.splitlines()[-1].startswith("4 files checked: 4 errors, 8 warnings, 3 infos in 3 files")
    assert done.returncode == 1  # the engagements' errors; coverage itself is warnings and infos


def test_the_roster_is_checked_with_the_configuration_s_rules(run_tacli):
    done = run_tacli("check", "--today", "2026-11-22", "examples/", "--roster", "examples/roster.yaml", "--select", "roster-*", cwd=ROOT)
    assert {line.split()[2] for line in done.stdout.splitlines()[:-1]} == {"roster-unserved", "roster-priority-unserved", "roster-no-recent-service"}


def test_roster_in_tacli_toml(run_tacli, tmp_path):
    (tmp_path / "engagements").mkdir()
    (tmp_path / "engagements" / "elm.yaml").write_bytes((EXAMPLES / "elm-street-data-teams.yaml").read_bytes())
    (tmp_path / "area.yaml").write_text("roster: 1\nrecipients:\n  - {kind: school, name: Elm Street School}\n  - {kind: school, name: Oak Hill School, priority: true}\n", encoding="utf-8")
    (tmp_path / "tacli.toml").write_text('engagements = "engagements"\nroster = "area.yaml"\n', encoding="utf-8")
    done = run_tacli("check", "--today", "2026-11-22", "--select", "roster-*", cwd=tmp_path)
    assert done.stdout.splitlines() == ["area.yaml:4:26: warning roster-priority-unserved Oak Hill School (priority) has no engagement: no TA reaches it",
                                         "1 file checked: 1 warning in 1 file."]
    shown = run_tacli("config", cwd=tmp_path).stdout
    assert "roster       area.yaml" in shown and "tacli.toml:2" in shown


def test_an_engagement_not_on_the_roster(run_tacli, tmp_path):
    roster = tmp_path / "area.yaml"
    roster.write_text("roster: 1\nrecipients:\n  - {kind: school, name: Elm Stret School}\n", encoding="utf-8")
    done = run_tacli("check", "--today", "2026-11-22", str(EXAMPLES / "elm-street-data-teams.yaml"), "--roster", str(roster), "--select", "roster-unknown")
    assert "warning roster-unknown the recipient 'Elm Street School' (school) is not on the roster" in done.stdout
    assert "did you mean 'Elm Stret School'?" in done.stdout


def test_a_roster_that_cannot_be_used_stops_the_check(run_tacli, tmp_path):
    engagement = tmp_path / "elm.yaml"
    engagement.write_bytes((EXAMPLES / "elm-street-data-teams.yaml").read_bytes())
    missing = run_tacli("check", str(engagement), "--roster", str(tmp_path / "nowhere.yaml"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    not_one = run_tacli("check", str(engagement), "--roster", str(engagement))
    assert not_one.returncode == 2 and "not a roster" in not_one.stderr and "it is an engagement file" in not_one.stderr
    twice = tmp_path / "twice.yaml"
    twice.write_text("roster: 1\nrecipients:\n  - {kind: school, name: Elm School}\n  - {kind: school, name: elm  school}\n", encoding="utf-8")
    done = run_tacli("check", str(engagement), "--roster", str(twice))
    assert done.returncode == 2 and "'elm  school' is on the roster twice (recipient 1 and 2): keep one" in done.stderr
