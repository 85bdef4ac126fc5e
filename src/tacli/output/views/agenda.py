"""The view of a service's agenda."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from tacli.core.markdown import Text
from tacli.output.views.common import Lookups, engagement_view, service_view
from tacli.reading.pipeline import FileResult

if TYPE_CHECKING:  # pragma: no cover - pydantic's: not imported by a run whose every result is kept
    from tacli.standards.spec import Spec


def agenda_context(spec: Spec, item: FileResult, service, today: date, lookups: Lookups) -> dict:
    engagement = item.engagement
    return {
        "engagement": engagement_view(spec, engagement, lookups),
        "service": service_view(spec, engagement, service, lookups, today),
        "root": Text("../"),
    }
