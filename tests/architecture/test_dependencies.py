"""Every library tacli's code imports is declared in pyproject.toml: one that
is only installed by chance here (by the test extras, or by hand) would be
missing on a user's machine, and tacli would fail or quietly do less there."""

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
# tomllib is the standard library's from Python 3.11; on 3.10 tacli falls back
# to tomli, which is declared and found as an import of its own.
STANDARD_LIBRARY = set(sys.stdlib_module_names) | {"tomllib"}


def _imported_top_level_modules() -> set[str]:
    found = set()
    for path in (ROOT / "src" / "tacli").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module" and node.args and isinstance(node.args[0], ast.Constant):
                found.add(str(node.args[0].value).split(".")[0])
    return found - STANDARD_LIBRARY - {"tacli", "__future__"}


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_library_is_a_declared_dependency():
    declared = {_normalized(re.split(r"[<>=!~;\[ ]", spec, maxsplit=1)[0]) for spec in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]}
    distributions = packages_distributions()
    missing = {}
    for module in sorted(_imported_top_level_modules()):
        names = {_normalized(name) for name in distributions.get(module, [module])}
        if not names & declared:
            missing[module] = sorted(names)
    assert missing == {}, f"imported by src/tacli but not in [project] dependencies: {missing}"
