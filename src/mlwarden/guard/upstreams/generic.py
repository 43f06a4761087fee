"""A generic JSON route: texts at configured dotted paths, rows from ``features`` names at the top level.

For model servers that speak none of the known protocols. ``text_fields`` (``prompt``,
``inputs.*.text``) say where input texts are, ``output_text_fields`` where generated texts are;
when ``features`` are configured the body is one record or ``{"rows": [records...]}``.
"""

from __future__ import annotations

from typing import Any

from mlwarden.guard.config import RouteConfig
from mlwarden.guard.upstreams.base import Prepared, Slot, dotted_slots
from mlwarden.guard.upstreams.tabular import rows_from_records

__all__ = ["output_slots", "prepare"]


def prepare(body: Any, route: RouteConfig) -> Prepared:
    """Point at the configured texts and rows."""
    rows = None
    if route.features and isinstance(body, dict):
        rows_field = body.get("rows")
        records: list[Any] = rows_field if isinstance(rows_field, list) else [body]
        names = {spec.name for spec in route.features}
        kept = [{k: v for k, v in r.items() if k in names} if isinstance(r, dict) else r for r in records]
        rows = rows_from_records(kept, route.features)
    return Prepared(body=body, slots=dotted_slots(body, route.text_fields), rows=rows)


def output_slots(body: Any, route: RouteConfig) -> list[Slot]:
    """The configured output texts."""
    return dotted_slots(body, route.output_text_fields)
