"""The rule a standards folder breaks when it does not follow the standards format.

Declared apart from the spec's models, which import pydantic, so that the
rule catalogue's list of blocking rules can be known without them.
"""

from __future__ import annotations

from tacli.core.findings import Level, Rule

SPEC_INVALID = Rule("spec-invalid", Level.ERROR, "A standards file breaks the standards format (docs/standards-format.md).")
