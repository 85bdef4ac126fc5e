"""The JSON Schema of the engagement format, from the same spec-derived models `tacli check` uses."""

from __future__ import annotations

import json

from tacli import __version__
from tacli.spec import Spec

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def engagement_schema(spec: Spec) -> dict:
    from tacli.models import build_models

    schema = build_models(spec).engagement.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": SCHEMA_DIALECT,
        "title": f"tacli engagement (format 1, tacli {__version__})",
        "description": f"An education technical assistance engagement, for the standards: {', '.join(spec.frameworks)}.",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def schema_text(spec: Spec) -> str:
    """The schema as JSON text; field order follows the models, so the text is stable."""
    return json.dumps(engagement_schema(spec), indent=2, ensure_ascii=False) + "\n"
