"""While one thread composes a text with tacli's C composer, ruamel.yaml's own
C loader used by another thread of the same process must still make its own
node classes and load the same data (tacli serve reads files in threads)."""

from __future__ import annotations

import threading

from ruamel.yaml import YAML

from tacli.io import yamlsource


def test_ruamel_s_own_c_loader_loads_while_another_thread_composes(monkeypatch):
    loader = yamlsource._c_loader()
    inside, release = threading.Event(), threading.Event()

    resolve = loader.resolve

    def held(self, kind, value, implicit):  # called by the C composer for each untagged node: hold it there once
        if not inside.is_set():
            inside.set()
            release.wait(10)
        return resolve(self, kind, value, implicit)

    monkeypatch.setattr(loader, "resolve", held)
    found = {}

    def compose():
        try:
            found["document"] = yamlsource.load_bytes(b"a: [1, b]\n", "x.yaml")
        except BaseException as exc:  # noqa: BLE001
            found["error"] = exc

    composing = threading.Thread(target=compose)
    composing.start()
    try:
        assert inside.wait(10)
        try:
            loaded = YAML(typ="safe", pure=False).load("a: [1, b]\n")
        except Exception as exc:  # noqa: BLE001
            loaded = f"{type(exc).__name__}: {exc}"
    finally:
        release.set()
        composing.join(10)
    assert "error" not in found
    assert found["document"].data == {"a": [1, "b"]}
    assert loaded == {"a": [1, "b"]}
