"""Input validation for tabular models: a JSON Schema subset for the body and feature ranges for each row.

Out-of-range features are how inversion and extraction attacks probe a model's behaviour where no
real data lives (SERVE-02, SERVE-05); they are also how a malformed client crashes a model server.
The schema checker is a deliberately small subset (type, properties, required,
additionalProperties, items, min/maxItems, minimum/maximum, enum, maxLength), implemented here in
bounded time so that validation needs no extra dependency and cannot be made to recurse forever.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from mlwarden.guard.config import FeatureSpec, RouteConfig
from mlwarden.guard.upstreams.base import GuardRejection

__all__ = ["check_rows", "check_schema", "rows_from_records"]

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
    "null": (type(None),),
}
_MAX_DEPTH = 32


def _reject(where: str, what: str) -> GuardRejection:
    return GuardRejection(422, "schema_violation", f"{where or 'body'}: {what}", rule_id="MW-GUARD-SCHEMA-001")


def _type_ok(value: Any, expected: Any) -> bool:
    names = expected if isinstance(expected, list) else [expected]
    for name in names:
        kinds = _TYPES.get(str(name), ())
        if isinstance(value, bool) and name in ("number", "integer"):
            continue
        if isinstance(value, kinds):
            return True
    return False


def _check_scalar(value: Any, schema: dict[str, Any], where: str) -> None:
    if "enum" in schema and value not in schema["enum"]:
        raise _reject(where, "value not allowed")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise _reject(where, "below the minimum")
        if "maximum" in schema and value > schema["maximum"]:
            raise _reject(where, "above the maximum")
    if isinstance(value, str) and "maxLength" in schema and len(value) > schema["maxLength"]:
        raise _reject(where, "string too long")


def _check_object(value: dict[str, Any], schema: dict[str, Any], where: str, depth: int) -> None:
    props = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in value:
            raise _reject(where, f"missing required property {name!r}")
    for name, item in value.items():
        if name in props:
            check_schema(item, props[name], f"{where}.{name}", depth + 1)
        elif schema.get("additionalProperties") is False:
            raise _reject(where, "unexpected property")


def _check_array(value: list[Any], schema: dict[str, Any], where: str, depth: int) -> None:
    if "minItems" in schema and len(value) < schema["minItems"]:
        raise _reject(where, "too few items")
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        raise _reject(where, "too many items")
    items = schema.get("items")
    if isinstance(items, dict):
        for index, item in enumerate(value):
            check_schema(item, items, f"{where}[{index}]", depth + 1)


def check_schema(value: Any, schema: dict[str, Any], where: str = "", depth: int = 0) -> None:
    """Raise a 422 rejection when ``value`` does not satisfy the schema subset."""
    if depth > _MAX_DEPTH:
        raise _reject(where, "nested too deeply")
    if "type" in schema and not _type_ok(value, schema["type"]):
        raise _reject(where, f"expected {schema['type']}")
    if isinstance(value, dict):
        _check_object(value, schema, where, depth)
    elif isinstance(value, list):
        _check_array(value, schema, where, depth)
    else:
        _check_scalar(value, schema, where)


def rows_from_records(records: Sequence[Any], features: Sequence[FeatureSpec]) -> list[list[Any]]:
    """Rows in feature order from ``[{name: value}, ...]`` (missing values become None)."""
    rows = []
    names = {spec.name for spec in features}
    for record in records:
        if not isinstance(record, dict):
            raise GuardRejection(400, "invalid_request", "each record must be an object")
        if not set(record) <= names:
            raise _reject("record", "unknown feature")
        rows.append([record.get(spec.name) for spec in features])
    return rows


def _check_value(value: Any, spec: FeatureSpec, where: str) -> None:
    if value is None:
        if spec.required:
            raise _reject(where, f"feature {spec.name!r} is missing")
        return
    if spec.categories is not None:
        if value not in spec.categories:
            raise _reject(where, f"feature {spec.name!r} has an unknown category")
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _reject(where, f"feature {spec.name!r} must be a finite number")
    if (spec.min is not None and value < spec.min) or (spec.max is not None and value > spec.max):
        raise GuardRejection(
            422, "feature_out_of_range", f"{where}: feature {spec.name!r} is out of range", rule_id="MW-GUARD-RANGE-001"
        )


def check_rows(rows: list[list[Any]], route: RouteConfig) -> None:
    """Every row has the configured features, each in range; at most ``max_rows`` rows."""
    if len(rows) > route.max_rows:
        raise GuardRejection(413, "too_many_rows", "too many rows in one request", rule_id="MW-GUARD-ROWS-001")
    if not route.features:
        return
    width = len(route.features)
    for index, row in enumerate(rows):
        if len(row) != width:
            raise _reject(f"row {index}", f"expected {width} features")
        for value, spec in zip(row, route.features, strict=True):
            _check_value(value, spec, f"row {index}")
