"""A bug inside tacli is an internal error: one message, exit 2, no traceback."""

from conftest import EXAMPLES


def test_a_bug_is_reported_as_an_internal_error(run_tacli, monkeypatch):
    import tacli.checks.plan as plan

    def broken(context):
        raise KeyError("boom")
        yield

    monkeypatch.setattr(plan, "check", broken)
    done = run_tacli("check", "--today", "2026-11-22", str(EXAMPLES / "little-acorns-oec-coaching.yaml"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "tacli: internal error: InternalError: while checking" in done.stderr
    assert "little-acorns-oec-coaching.yaml: KeyError: 'boom'" in done.stderr
    assert "This is a bug in tacli. Please report it" in done.stderr
