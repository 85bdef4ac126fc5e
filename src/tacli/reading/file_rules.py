"""The rules a file breaks when it cannot be read as an engagement, or as the roster.

Declared apart from the validation and the roster's model, which import
pydantic, so that a run that only needs to know these rules (which findings
leave a file out of the reports) starts without it.
"""

from __future__ import annotations

from tacli.core.findings import Level, Rule

NOT_ENGAGEMENT = Rule("not-engagement", Level.ERROR, "The file is not an engagement: its top level is not a mapping with `tacli: 1`.")
SCHEMA_REQUIRED = Rule("schema-required", Level.ERROR, "A required key is missing.")
SCHEMA_UNKNOWN_KEY = Rule("schema-unknown-key", Level.ERROR, "A key the engagement format does not know (with a 'did you mean').")
SCHEMA_TYPE = Rule("schema-type", Level.ERROR, "A value of the wrong type or shape (text, number, date, list, mapping).")
UNKNOWN_VALUE = Rule("unknown-value", Level.ERROR, "A value or id the standards do not know: support type, topic, partner, role, tier, framework, duty, feature, criterion.")

VALIDATION_RULES = (NOT_ENGAGEMENT, SCHEMA_REQUIRED, SCHEMA_UNKNOWN_KEY, SCHEMA_TYPE, UNKNOWN_VALUE)

ROSTER_INVALID = Rule("roster-invalid", Level.ERROR, "The roster of the service area (--roster, `roster` in tacli.toml) cannot be read: not YAML, not a roster, or a key or value it does not take.")
