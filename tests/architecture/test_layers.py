"""The layers of src/tacli import only downward, and no module imports itself
back through others: the import contract in pyproject.toml, checked by
import-linter on tacli and shown to be live on a package that breaks it."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from conftest import ROOT

importlinter = pytest.importorskip("importlinter", reason="pip install import-linter (a test dependency)")
grimp = pytest.importorskip("grimp")

CONTRACT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
LAYERS = CONTRACT["contracts"][0]["layers"]
# A layer may hold independent siblings, "tacli.cli | tacli.web": neither imports the other.
PACKAGES = [name.strip() for layer in LAYERS for name in layer.split("|")]


def lint(config: Path, capsys) -> tuple[int, str]:
    from importlinter.cli import lint_imports

    code = lint_imports(config_filename=str(config), no_cache=True, no_logo=True)
    return code, capsys.readouterr().out


def test_the_layers_are_the_packages_of_src_tacli():
    packages = sorted(p.name for p in (ROOT / "src" / "tacli").iterdir() if (p / "__init__.py").is_file())
    assert sorted(name.removeprefix("tacli.") for name in PACKAGES) == packages
    loose = sorted(p.name for p in (ROOT / "src" / "tacli").glob("*.py"))
    assert loose == ["__init__.py", "__main__.py"], "every module belongs to a layer"


def test_tacli_keeps_its_import_contract(capsys):
    code, out = lint(ROOT / "pyproject.toml", capsys)
    assert code == 0, out
    assert "KEPT" in out


def test_a_module_importing_upward_breaks_the_contract(tmp_path, monkeypatch, capsys):
    """The same contract, on a package with tacli's layers where `core` imports `cli`."""
    package = tmp_path / "layered"
    for name in PACKAGES:
        folder = package / name.removeprefix("tacli.")
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "cli" / "app.py").write_text("from layered.core import numbers\n")
    (package / "core" / "numbers.py").write_text("def number():\n    from layered.cli import app  # a back-arrow, hidden in a function\n")
    layers = ", ".join(f'"{layer.replace("tacli.", "layered.")}"' for layer in LAYERS)
    config = tmp_path / "pyproject.toml"
    config.write_text(textwrap.dedent(f"""\
        [tool.importlinter]
        root_package = "layered"

        [[tool.importlinter.contracts]]
        name = "layers"
        type = "layers"
        layers = [{layers}]
        """))
    monkeypatch.syspath_prepend(str(tmp_path))
    code, out = lint(config, capsys)
    assert code == 1, out
    assert "layered.core.numbers -> layered.cli.app" in out


def test_the_two_front_doors_never_import_each_other(tmp_path, monkeypatch, capsys):
    """The same contract, on a package with tacli's layers where the web app imports the command line."""
    package = tmp_path / "doors"
    for name in PACKAGES:
        folder = package / name.removeprefix("tacli.")
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "web" / "pages.py").write_text("def page():\n    from doors.cli import app  # the web app reaching into the command line\n")
    (package / "cli" / "app.py").write_text("from doors.core import numbers\n")
    (package / "core" / "numbers.py").write_text("")
    layers = ", ".join(f'"{layer.replace("tacli.", "doors.")}"' for layer in LAYERS)
    config = tmp_path / "pyproject.toml"
    config.write_text(f'[tool.importlinter]\nroot_package = "doors"\n\n[[tool.importlinter.contracts]]\nname = "layers"\ntype = "layers"\nlayers = [{layers}]\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    code, out = lint(config, capsys)
    assert code == 1, out
    assert "doors.web.pages -> doors.cli.app" in out


def test_only_serve_starts_the_web_app_and_by_name():
    """`tacli serve` reaches the web app by its module's name, when it runs; no
    other module of the command line names it (so no other command loads it)."""
    cli = ROOT / "src" / "tacli" / "cli"
    naming = sorted(path.name for path in cli.glob("*.py") if "tacli.web" in path.read_text(encoding="utf-8"))
    assert naming == ["app.py"]
    text = (cli / "app.py").read_text(encoding="utf-8")
    assert text.count("tacli.web") == 1 and 'importlib.import_module("tacli.web.serve")' in text


def cycles(package: str) -> list[list[str]]:
    """The groups of modules that import each other, directly or through others."""
    graph = grimp.build_graph(package, cache_dir=None)  # no .grimp_cache written into the folder the tests run in
    edges = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    found, index, low, stack, on_stack = [], {}, {}, [], set()

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in edges[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for module in sorted(edges):
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return found


def test_no_module_of_tacli_imports_itself_back():
    assert cycles("tacli") == []


def test_a_cycle_is_found(tmp_path, monkeypatch):
    package = tmp_path / "circular"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from circular import b\n")
    (package / "b.py").write_text("def f():\n    from circular import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert cycles("circular") == [["circular.a", "circular.b"]]
