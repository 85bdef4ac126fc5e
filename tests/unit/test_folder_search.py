"""A folder search skips what the repository ignores (.gitignore, as git reads it)."""

from pathlib import Path

from tacli.reading.pipeline import find_targets


def tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def found(folder: Path) -> list[str]:
    return [Path(target.name).relative_to(folder).as_posix() for target in find_targets([str(folder)])]


def test_gitignore_rules_are_honoured_at_every_level(tmp_path):
    (tmp_path / ".git").mkdir()
    tree(tmp_path, {
        ".gitignore": "node_modules/\ndrafts/*.yaml\n!drafts/keep.yaml\n",
        "a.yaml": "",
        "node_modules/pkg/x.yaml": "",
        "drafts/old.yaml": "",
        "drafts/keep.yaml": "",
        "team/.gitignore": "scratch.yaml\n",
        "team/scratch.yaml": "",
        "team/b.yaml": "",
        "build/c.yaml": "",
    })
    assert found(tmp_path) == ["a.yaml", "build/c.yaml", "drafts/keep.yaml", "team/b.yaml"]


def test_the_rules_above_the_folder_apply_up_to_the_repository_top(tmp_path):
    (tmp_path / ".git").mkdir()
    tree(tmp_path, {".gitignore": "engagements/archive/\n", "engagements/a.yaml": "", "engagements/archive/old.yaml": ""})
    assert found(tmp_path / "engagements") == ["a.yaml"]


def test_outside_a_repository_only_the_folders_own_rules_count(tmp_path):
    tree(tmp_path, {".gitignore": "engagements/\n", "engagements/.gitignore": "tmp/\n", "engagements/a.yaml": "", "engagements/tmp/b.yaml": ""})
    assert found(tmp_path / "engagements") == ["a.yaml"]


def test_a_file_named_on_the_command_line_is_checked_even_if_ignored(tmp_path):
    (tmp_path / ".git").mkdir()
    tree(tmp_path, {".gitignore": "*.yaml\n", "a.yaml": ""})
    assert [target.name for target in find_targets([str(tmp_path / "a.yaml")])] == [str(tmp_path / "a.yaml")]
