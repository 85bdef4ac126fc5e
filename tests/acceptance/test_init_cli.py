"""`tacli init [DIR]`: a folder of the user's own for engagements, through the
command line in-process: every file there and usable by the other commands,
a second run that writes nothing, nothing the user wrote ever replaced or
written through, and plain usage errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import MINI_STANDARDS, ROOT, run_in_process

from tacli.write.project import PIN_PLACEHOLDER, SOURCE_PLACEHOLDER

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TODAY = ("--today", "2026-11-22")
FILES = (
    "tacli.toml", "engagements/README.md", "engagement.schema.json", ".gitignore",
    ".pre-commit-config.yaml", ".github/workflows/tacli.yml", ".gitlab-ci.yml",
)
HAS_GIT = shutil.which("git") is not None
NEW = ("new", "engagement", "Oak Hill data teams", "--recipient", "Oak Hill School", "--organization", "Central RESC",
       "--facilitator", "Dana Ruiz", "--tier", "targeted", "--start", "2026-12-01", *TODAY)


def yaml_of(path):
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def snapshot(folder) -> dict:
    """Every file under `folder` (outside .git) with its bytes and modification time."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if ".git" in path.relative_to(folder).parts[:1] or not path.is_file():
            continue
        found[path.relative_to(folder).as_posix()] = (path.read_bytes(), path.stat().st_mtime_ns)
    return found


@pytest.fixture
def center(tmp_path):
    """A fresh `tacli init center --me 'Dana Ruiz'` in tmp_path; the folder, and what it printed."""
    done = run_in_process("init", "center", "--me", "Dana Ruiz", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path / "center", done


def test_a_fresh_folder_gets_every_file_and_says_what_to_do_next(center):
    folder, done = center
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert [line.split()[1] for line in lines[: len(FILES)]] == [f"center/{name}" for name in FILES]
    assert all(line.startswith("wrote ") for line in lines[: len(FILES)])
    for name in FILES:
        assert (folder / name).is_file(), name
    assert "Next:" in lines and "  cd center" in lines
    assert any(line.strip().startswith("tacli new engagement") for line in lines)
    assert any(line.strip().startswith("tacli due") for line in lines)
    # the pipelines still name the placeholder, and the output says to fill it in
    assert SOURCE_PLACEHOLDER in done.stdout
    if HAS_GIT:
        assert (folder / ".git").is_dir()
        assert "made center a git repository (git init)" in lines
    assert not list(folder.rglob(".tacli-*"))  # no temporary file left


def test_the_configuration_is_read_by_tacli_config(center):
    folder, _ = center
    data = tomllib.loads((folder / "tacli.toml").read_text(encoding="utf-8"))
    assert data == {"engagements": "engagements", "reports": "reports", "schema": "engagement.schema.json", "me": "Dana Ruiz"}
    shown = run_in_process("config", "--json", cwd=folder)
    assert shown.returncode == 0, shown.stderr
    settings = json.loads(shown.stdout)["settings"]
    assert json.loads(shown.stdout)["file"] == "tacli.toml"
    assert settings["engagements"] == {"value": "engagements", "source": "tacli.toml:5"}
    assert settings["reports"]["value"] == "reports" and settings["schema"]["value"] == "engagement.schema.json"
    assert settings["me"]["value"] == "Dana Ruiz" and settings["me"]["source"].startswith("tacli.toml:")


def test_without_me_the_setting_is_left_commented_with_what_it_does(tmp_path):
    done = run_in_process("init", "center", "--no-git", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "center" / "tacli.toml").read_text(encoding="utf-8")
    assert '# me = "Your Name"' in text and "tacli due" in text
    assert "me" not in tomllib.loads(text)


def test_a_name_with_quotes_and_backslashes_is_written_as_toml(tmp_path):
    name = 'Dana "DR" Ruiz \\ Nuñez'
    done = run_in_process("init", "center", "--no-git", "--me", name, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert tomllib.loads((tmp_path / "center" / "tacli.toml").read_text(encoding="utf-8"))["me"] == name


def test_the_pipelines_and_pre_commit_configuration_are_valid_and_pinned(center):
    folder, _ = center
    workflow = yaml_of(folder / ".github/workflows/tacli.yml")
    steps = [step.get("run", step.get("uses")) for step in workflow["jobs"]["check"]["steps"]]
    assert "tacli check" in steps and "tacli report --check" in steps
    assert workflow["env"]["TACLI"] == f"git+{SOURCE_PLACEHOLDER}@v{__import__('tacli').__version__}"
    gitlab = yaml_of(folder / ".gitlab-ci.yml")
    assert "tacli check" in gitlab["check-engagements"]["script"]
    hooks = yaml_of(folder / ".pre-commit-config.yaml")["repos"][0]
    assert [hook["id"] for hook in hooks["hooks"]] == ["tacli-check", "tacli-report"]
    assert hooks["repo"] == SOURCE_PLACEHOLDER


def test_the_source_of_tacli_can_be_given(tmp_path):
    url, rev = "https://git.example.org/our-center/tacli.git", "v2.1.0"
    done = run_in_process("init", "center", "--no-git", "--tacli-url", url, "--tacli-rev", rev, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "center"
    assert yaml_of(folder / ".github/workflows/tacli.yml")["env"]["TACLI"] == f"git+{url}@{rev}"
    assert yaml_of(folder / ".gitlab-ci.yml")["check-engagements"]["variables"]["TACLI"] == f"git+{url}@{rev}"
    hooks = yaml_of(folder / ".pre-commit-config.yaml")["repos"][0]
    assert (hooks["repo"], hooks["rev"]) == (url, rev)
    assert SOURCE_PLACEHOLDER not in done.stdout and "pre-commit install" in done.stdout
    for name in (".github/workflows/tacli.yml", ".gitlab-ci.yml", ".pre-commit-config.yaml"):
        assert SOURCE_PLACEHOLDER not in (folder / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("url", ["github.com/org/tacli.git", "https://host/tacli.git # x", 'https://host/"tacli".git', "https://host/tacli.git\nname: evil"])
def test_a_source_that_is_not_a_git_address_is_a_usage_error(tmp_path, url):
    done = run_in_process("init", "center", "--tacli-url", url, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("tacli: error: --tacli-url") and len(done.stderr.splitlines()) == 1
    assert not (tmp_path / "center").exists()


@pytest.mark.parametrize("choice, present, absent", [
    ("github", ".github/workflows/tacli.yml", ".gitlab-ci.yml"),
    ("gitlab", ".gitlab-ci.yml", ".github/workflows/tacli.yml"),
])
def test_one_ci_system(tmp_path, choice, present, absent):
    done = run_in_process("init", "center", "--no-git", "--ci", choice, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "center" / present).is_file() and not (tmp_path / "center" / absent).exists()


def test_no_ci(tmp_path):
    done = run_in_process("init", "center", "--no-git", "--ci", "none", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "center" / ".github").exists() and not (tmp_path / "center" / ".gitlab-ci.yml").exists()
    assert (tmp_path / "center" / ".pre-commit-config.yaml").is_file()


def test_the_schema_is_the_one_tacli_schema_writes_and_a_valid_json_schema(center):
    from jsonschema import Draft202012Validator

    folder, _ = center
    schema = json.loads((folder / "engagement.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    current = run_in_process("schema", "--check", "-o", "engagement.schema.json", cwd=folder)
    assert current.returncode == 0, current.stdout + current.stderr


def test_before_the_first_engagement_every_command_says_nothing_yet_and_passes(center):
    """CI runs on the first push of a new folder: an empty engagements folder is
    not an error, and each command says how to start."""
    folder, _ = center
    hint = "tacli: engagements holds no engagement file yet: `tacli new engagement TITLE` starts one\n"
    for args in (("check",), ("check", "--format", "sarif"), ("due",), ("report",), ("report", "--check"), ("site", "--out-dir", "site"), ("export", "--table", "services")):
        done = run_in_process(*args, *TODAY, cwd=folder)
        assert done.returncode == 0, (args, done.stderr)
        assert done.stderr.startswith(hint), (args, done.stderr)
    assert run_in_process("check", "engagements", *TODAY, cwd=folder).returncode == 2  # a folder named on purpose: a wrong path?


def test_a_new_engagement_there_is_checked_due_and_reported(center):
    folder, _ = center
    new = run_in_process(*NEW, cwd=folder)
    assert new.returncode == 0 and new.stderr == "", new.stderr  # no note: the schema it points to exists
    written = folder / "engagements" / "oak-hill-data-teams.yaml"
    assert written.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../engagement.schema.json\n")
    checked = run_in_process("check", *TODAY, cwd=folder)
    assert checked.returncode == 1, checked.stderr
    assert checked.stdout.splitlines()[-1] == "1 file checked: 6 errors, 1 warning in 1 file."
    assert all(line.startswith("engagements/oak-hill-data-teams.yaml:") for line in checked.stdout.splitlines()[:-1])
    due = run_in_process("due", *TODAY, cwd=folder)
    assert due.returncode == 0 and due.stderr == "", due.stderr  # nothing left out: no file there but the user's
    assert "for Dana Ruiz" in due.stdout.splitlines()[0]
    assert run_in_process("report", *TODAY, cwd=folder).returncode == 0
    assert run_in_process("report", "--check", *TODAY, cwd=folder).returncode == 0
    assert (folder / "reports" / "oak-hill-data-teams" / "plan.md").is_file()


def test_the_pre_commit_hook_reads_none_of_the_files_init_wrote_as_an_engagement(center):
    """pre-commit hands tacli-check every YAML file of a commit: the pipelines and
    the pre-commit configuration have no top-level `tacli:`, so they are skipped."""
    folder, _ = center
    assert run_in_process(*NEW, cwd=folder).returncode == 0
    named = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.y*ml") if ".git" not in p.parts)
    assert len(named) == 4
    checked = run_in_process("check", "--skip-other-yaml", *TODAY, *named, cwd=folder)
    assert checked.stdout.splitlines()[-1] == "1 file checked: 6 errors, 1 warning in 1 file (3 YAML files without `tacli:` skipped)."


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_git_leaves_out_nothing_of_the_users_work(center):
    folder, _ = center
    assert run_in_process(*NEW, cwd=folder).returncode == 0
    assert run_in_process("report", *TODAY, cwd=folder).returncode == 0
    (folder / "tacli.sarif").write_text("{}")
    (folder / ".tacli-x.yaml-1.tmp").write_text("")
    listed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=folder, capture_output=True, text=True, check=True).stdout
    paths = {line[3:] for line in listed.splitlines()}
    assert {*FILES, "engagements/oak-hill-data-teams.yaml", "reports/summary.md", "reports/oak-hill-data-teams/plan.md"} <= paths
    assert "tacli.sarif" not in paths and ".tacli-x.yaml-1.tmp" not in paths


def test_a_second_run_writes_nothing_and_says_so(center):
    folder, _ = center
    before = snapshot(folder)
    again = run_in_process("init", "center", "--me", "Dana Ruiz", cwd=folder.parent)
    assert again.returncode == 0, again.stderr
    assert again.stdout == "center is already set up: every file tacli init writes is there, and nothing was written.\n"
    assert again.stderr == ""
    assert snapshot(folder) == before


@pytest.mark.parametrize("inside", ["engagements", "engagements/new-folder"])
def test_a_folder_inside_a_project_is_refused_and_nothing_is_written(center, inside):
    """`tacli init` run by mistake in a project's engagements folder made a second
    project there: every command run in it then checked its empty engagements
    folder, "0 files checked: no problems", beside an engagement with errors."""
    folder, _ = center
    before = snapshot(folder)
    done = run_in_process("init", inside, "--me", "X", cwd=folder)
    assert done.returncode == 2, done.stdout
    assert done.stderr.startswith(f"tacli: error: {inside} is inside the tacli project that ") and "tacli.toml sets up" in done.stderr
    assert "tacli commands already work anywhere in the current folder" in done.stderr and "run tacli init with a folder outside the current folder" in done.stderr
    assert snapshot(folder) == before
    here = run_in_process("init", "--me", "X", cwd=folder / "engagements")
    assert here.returncode == 2 and here.stderr.startswith("tacli: error: . is inside the tacli project") and snapshot(folder) == before


def test_where_a_folder_really_is_decides_whether_it_is_inside_a_project(center, tmp_path):
    """A link from outside into a project's folder was taken where it was
    written, and made the nested project; a link inside a project to a folder
    outside every project was refused. A broken pyproject.toml above is no
    project tacli can use, and does not stop init."""
    folder, _ = center
    before = snapshot(folder)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "into").symlink_to(folder / "engagements")
    into = run_in_process("init", "into", "--me", "X", cwd=tmp_path / "elsewhere")
    assert into.returncode == 2 and into.stderr.startswith("tacli: error: into is inside the tacli project that "), into.stderr
    assert snapshot(folder) == before
    outside = tmp_path / "outside"
    outside.mkdir()
    (folder / "out").symlink_to(outside)
    out = run_in_process("init", "out", "--me", "X", "--no-git", cwd=folder)
    assert out.returncode == 0, out.stderr
    assert (outside / "tacli.toml").is_file()
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "pyproject.toml").write_text("name=x tacli\n", encoding="utf-8")
    below = run_in_process("init", "sub", "--me", "X", "--no-git", cwd=tmp_path / "broken")
    assert below.returncode == 0, below.stderr


def test_a_file_already_there_is_kept_byte_for_byte(tmp_path):
    folder = tmp_path / "center"
    (folder / "engagements").mkdir(parents=True)
    mine = {".gitignore": b"/private/\r\n*.docx\n", "engagements/README.md": b"# Our files\n", ".gitlab-ci.yml": b"stages: [test]\n"}
    for name, data in mine.items():
        (folder / name).write_bytes(data)
    done = run_in_process("init", "center", "--no-git", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for name, data in mine.items():
        assert (folder / name).read_bytes() == data
        assert f"kept center/{name}: already there" in done.stdout.splitlines()
    assert (folder / "tacli.toml").is_file() and (folder / ".pre-commit-config.yaml").is_file()


def test_a_folder_in_place_of_a_file_is_left_alone(tmp_path):
    folder = tmp_path / "center"
    (folder / ".gitignore").mkdir(parents=True)
    done = run_in_process("init", "center", "--no-git", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "skipped center/.gitignore: a folder is there" in done.stdout.splitlines()
    assert (folder / ".gitignore").is_dir()


def test_nothing_is_written_through_a_symbolic_link(tmp_path):
    folder, elsewhere = tmp_path / "center", tmp_path / "elsewhere"
    folder.mkdir()
    (elsewhere / "github").mkdir(parents=True)
    (elsewhere / "ci.yml").write_text("mine\n")
    (folder / ".gitlab-ci.yml").symlink_to(elsewhere / "ci.yml")
    (folder / ".gitignore").symlink_to(elsewhere / "not-there")  # a broken link
    (folder / ".github").symlink_to(elsewhere / "github", target_is_directory=True)
    done = run_in_process("init", "center", "--no-git", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "skipped center/.gitlab-ci.yml: a symbolic link is there: tacli does not write through links" in lines
    assert "skipped center/.gitignore: a symbolic link is there: tacli does not write through links" in lines
    assert "skipped center/.github/workflows/tacli.yml: .github is a symbolic link: tacli does not write through links" in lines
    assert (elsewhere / "ci.yml").read_text() == "mine\n"
    assert not (elsewhere / "not-there").exists() and list((elsewhere / "github").iterdir()) == []
    assert (folder / "tacli.toml").is_file()


def test_a_file_that_cannot_be_written_is_named_and_the_others_are_written(tmp_path, monkeypatch):
    import errno

    from tacli.io import writer

    real = writer.create_atomically

    def full_disk_for_the_schema(path, text):
        if str(path).endswith(".json"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, text)

    monkeypatch.setattr(writer, "create_atomically", full_disk_for_the_schema)
    done = run_in_process("init", "center", "--no-git", cwd=tmp_path)
    assert done.returncode == 2
    assert "could not write center/engagement.schema.json: No space left on device" in done.stdout.splitlines()
    assert done.stderr == "tacli: error: 1 file could not be written (above): the others are in place; run tacli init again once the cause is fixed\n"
    assert not (tmp_path / "center" / "engagement.schema.json").exists() and (tmp_path / "center" / "tacli.toml").is_file()
    assert not list((tmp_path / "center").rglob(".tacli-*"))
    monkeypatch.setattr(writer, "create_atomically", real)
    again = run_in_process("init", "center", "--no-git", cwd=tmp_path)
    assert again.returncode == 0 and "wrote center/engagement.schema.json  for editors: completion and checks as you type" in again.stdout.splitlines()


def test_a_folder_that_is_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "center").write_text("notes\n")
    done = run_in_process("init", "center", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "tacli: error: center is a file, not a folder: give a folder for the engagements (tacli init makes it when it does not exist)\n"
    assert (tmp_path / "center").read_text() == "notes\n"


def test_a_folder_that_cannot_be_written_is_a_usage_error(tmp_path, monkeypatch):
    folder = tmp_path / "center"
    folder.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if os.path.abspath(path) == str(folder) else real_access(path, mode, **kw))
    done = run_in_process("init", "center", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "tacli: error: cannot write in center: permission denied\n"
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_folder_whose_parent_cannot_be_written_is_a_usage_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    try:
        done = run_in_process("init", "locked/center", cwd=tmp_path)
    finally:
        locked.chmod(0o755)
    assert done.returncode == 2 and done.stderr.startswith("tacli: error: cannot make the folder locked/center: ")
    assert "Traceback" not in done.stderr


def test_a_folder_inside_tacli_s_own_code_is_refused(tmp_path):
    done = run_in_process("init", str(ROOT / "my-engagements"))
    assert done.returncode == 2 and "inside tacli's own code" in done.stderr
    assert not (ROOT / "my-engagements").exists()


def test_without_git_it_still_works_and_says_so(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    done = run_in_process("init", "center", cwd=tmp_path, env={"PATH": str(empty)})
    assert done.returncode == 0, done.stderr
    assert "git is not installed: center is not a git repository yet (install git, then run `git init` in it)" in done.stdout.splitlines()
    assert not (tmp_path / "center" / ".git").exists()
    assert all((tmp_path / "center" / name).is_file() for name in FILES)
    assert "git add" not in done.stdout


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_a_folder_inside_a_repository_gets_no_repository_of_its_own(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    done = run_in_process("init", "center", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"center is in the git repository {tmp_path.resolve().as_posix()}: no new repository made" in done.stdout.splitlines()
    assert not (tmp_path / "center" / ".git").exists()


def test_the_current_folder_by_default(tmp_path):
    done = run_in_process("init", "--no-git", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "wrote tacli.toml " in done.stdout and "cd " not in done.stdout
    assert all((tmp_path / name).is_file() for name in FILES)


def test_the_folder_s_own_configuration_is_kept_and_says_where_things_go(tmp_path):
    folder = tmp_path / "center"
    folder.mkdir()
    (folder / "tacli.toml").write_text('engagements = "work/engagements"\nme = "Ana"\n', encoding="utf-8")
    done = run_in_process("init", "center", "--no-git", "--me", "Dana Ruiz", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (folder / "tacli.toml").read_text(encoding="utf-8") == 'engagements = "work/engagements"\nme = "Ana"\n'
    lines = done.stdout.splitlines()
    assert "kept center/tacli.toml: already there" in lines
    assert "center/tacli.toml is kept as it is: --me not written into it" in lines
    assert (folder / "work" / "engagements" / "README.md").is_file() and (folder / "work" / "engagement.schema.json").is_file()
    assert not (folder / "engagements").exists()


def test_a_configuration_in_pyproject_gets_no_tacli_toml(tmp_path):
    folder = tmp_path / "center"
    folder.mkdir()
    (folder / "pyproject.toml").write_text('[tool.tacli]\nengagements = "engagements"\n', encoding="utf-8")
    done = run_in_process("init", "center", "--no-git", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (folder / "tacli.toml").exists()
    assert "kept center/pyproject.toml: its [tool.tacli] table is the configuration, so no tacli.toml is written" in done.stdout
    assert run_in_process("config", cwd=folder).returncode == 0


def test_a_broken_configuration_there_stops_it_before_anything_is_written(tmp_path):
    folder = tmp_path / "center"
    folder.mkdir()
    (folder / "tacli.toml").write_text('engagemnts = "engagements"\n', encoding="utf-8")
    done = run_in_process("init", "center", cwd=tmp_path)
    assert done.returncode == 2
    assert "config-invalid unknown key 'engagemnts'" in done.stderr
    assert [p.name for p in folder.iterdir()] == ["tacli.toml"]


def test_the_center_s_own_standards(tmp_path):
    folder = tmp_path / "center"
    shutil.copytree(MINI_STANDARDS, folder / "ta-standards")
    done = run_in_process("init", "center", "--no-git", "--standards", "center/ta-standards", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert tomllib.loads((folder / "tacli.toml").read_text(encoding="utf-8"))["standards"] == "ta-standards"
    current = run_in_process("schema", "--check", "-o", "engagement.schema.json", cwd=folder)
    assert current.returncode == 0, current.stdout + current.stderr
    shown = json.loads(run_in_process("config", "--json", cwd=folder).stdout)["settings"]["standards"]
    assert shown["value"] == "ta-standards" and shown["source"].startswith("tacli.toml:")


def test_a_name_that_is_blank_or_not_one_line_is_a_usage_error(tmp_path):
    for name in ("", "  ", "Dana\nRuiz"):
        done = run_in_process("init", "center", "--me", name, cwd=tmp_path)
        assert done.returncode == 2 and done.stderr.startswith("tacli: error: --me") and len(done.stderr.splitlines()) == 1
    assert not (tmp_path / "center").exists()


def test_the_shipped_placeholders_are_those_of_docs_ci():
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert f"git+{SOURCE_PLACEHOLDER}@{PIN_PLACEHOLDER}" in text and f"rev: {PIN_PLACEHOLDER}" in text
