"""MLflow pyfunc ``/invocations``: the four JSON input layouts, tabular rows, string cells as texts.

MLflow accepts ``dataframe_split`` ({columns, data}), ``dataframe_records`` ([{col: value}]),
``instances`` and ``inputs`` (lists of rows, or of records, or a column -> values mapping). Each is
turned into rows in the order of the route's ``features`` for range checks and extraction
detection. String cells are also texts for the pipeline (a text model behind pyfunc).
"""

from __future__ import annotations

from typing import Any

from mlwarden.guard.config import RouteConfig
from mlwarden.guard.upstreams.base import GuardRejection, Prepared, Slot, require_mapping
from mlwarden.guard.upstreams.tabular import rows_from_records

__all__ = ["output_slots", "prepare"]

_LAYOUTS = ("dataframe_split", "dataframe_records", "instances", "inputs")


def _split_rows(split: Any, route: RouteConfig) -> list[list[Any]]:
    if not isinstance(split, dict) or not isinstance(split.get("data"), list):
        raise GuardRejection(400, "invalid_request", "'dataframe_split' needs 'data' (and 'columns')")
    columns = split.get("columns")
    data = split["data"]
    if not all(isinstance(row, list) for row in data):
        raise GuardRejection(400, "invalid_request", "'dataframe_split.data' must be a list of rows")
    if route.features and isinstance(columns, list):
        return rows_from_records([dict(zip(columns, row, strict=False)) for row in data], route.features)
    return [list(row) for row in data]


def _list_rows(items: Any, route: RouteConfig) -> list[list[Any]]:
    if isinstance(items, dict):  # column -> values
        columns = list(items)
        values = [v if isinstance(v, list) else [v] for v in items.values()]
        if len({len(v) for v in values}) > 1:
            raise GuardRejection(400, "invalid_request", "columns have different lengths")
        records = [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]
        return rows_from_records(records, route.features) if route.features else [list(r.values()) for r in records]
    if not isinstance(items, list):
        raise GuardRejection(400, "invalid_request", "inputs must be a list or an object")
    if items and all(isinstance(item, dict) for item in items):
        return rows_from_records(items, route.features) if route.features else [list(i.values()) for i in items]
    return [item if isinstance(item, list) else [item] for item in items]


def _text_slots(container: Any) -> list[Slot]:
    slots: list[Slot] = []
    stack = [container]
    while stack and len(slots) < 10_000:
        node = stack.pop()
        pairs = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in pairs:
            if isinstance(value, str):
                slots.append(Slot(node, key))
            elif isinstance(value, dict | list):
                stack.append(value)
    return slots


def prepare(body: Any, route: RouteConfig) -> Prepared:
    """Validate the layout, extract rows and the string cells."""
    data = require_mapping(body, "MLflow")
    present = [name for name in _LAYOUTS if name in data]
    if len(present) != 1:
        raise GuardRejection(400, "invalid_request", f"exactly one of {', '.join(_LAYOUTS)} is required")
    layout = present[0]
    payload = data[layout]
    if layout == "dataframe_split":
        rows = _split_rows(payload, route)
        texts = _text_slots(payload.get("data"))
    elif layout == "dataframe_records":
        if not isinstance(payload, list):
            raise GuardRejection(400, "invalid_request", "'dataframe_records' must be a list")
        rows = _list_rows(payload, route)
        texts = _text_slots(payload)
    else:
        rows = _list_rows(payload, route)
        texts = _text_slots(payload)
    return Prepared(body=data, slots=texts, rows=rows)


def output_slots(body: Any, route: RouteConfig) -> list[Slot]:
    """String predictions (a text model): checked like any model output."""
    del route
    if not isinstance(body, dict | list):
        raise GuardRejection(502, "upstream_bad_response", "the upstream returned an unexpected response")
    predictions = body.get("predictions", body) if isinstance(body, dict) else body
    return _text_slots(predictions) if isinstance(predictions, dict | list) else []
