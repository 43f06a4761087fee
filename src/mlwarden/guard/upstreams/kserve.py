"""KServe / Open Inference Protocol v2: ``POST /v2/models/{name}/infer``.

Request ``inputs`` are tensors ``{name, shape, datatype, data}``; a numeric ``[n, f]`` tensor with
``f`` equal to the number of configured features becomes ``n`` rows for range checks and
extraction detection, and ``BYTES`` tensors hold texts. In the response, ``[n, k]`` probability
tensors are hardened, and ``model_version`` and ``parameters`` are removed: which build answered
is model metadata an attacker uses to pick an exploit (SERVE-06).
"""

from __future__ import annotations

from typing import Any

from mlwarden.guard.config import HardeningConfig, RouteConfig
from mlwarden.guard.upstreams.base import GuardRejection, Prepared, Slot, require_mapping
from mlwarden.guard.upstreams.hardening import harden_flat

__all__ = ["harden_response", "output_slots", "prepare"]

_MAX_ELEMENTS = 1_000_000


def _flatten(data: Any) -> list[Any]:
    flat: list[Any] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        else:
            flat.append(node)
        if len(flat) > _MAX_ELEMENTS:
            raise GuardRejection(413, "too_many_rows", "tensor too large", rule_id="MW-GUARD-ROWS-001")
    return flat


def _tensor(item: Any) -> tuple[list[int], str, list[Any]]:
    if not isinstance(item, dict):
        raise GuardRejection(400, "invalid_request", "each input must be an object")
    shape, datatype, data = item.get("shape"), item.get("datatype"), item.get("data")
    if not isinstance(shape, list) or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise GuardRejection(400, "invalid_request", "'shape' must be a list of non-negative integers")
    if not isinstance(datatype, str) or not isinstance(data, list):
        raise GuardRejection(400, "invalid_request", "each input needs 'datatype' and a 'data' list")
    flat = _flatten(data)
    size = 1
    for dim in shape:
        size *= dim
    if size != len(flat):
        raise GuardRejection(400, "invalid_request", "'shape' does not match the number of elements")
    return shape, datatype, flat


def prepare(body: Any, route: RouteConfig) -> Prepared:
    """Validate the tensors, extract rows and texts."""
    data = require_mapping(body, "KServe v2")
    inputs = data.get("inputs")
    if not isinstance(inputs, list) or not inputs:
        raise GuardRejection(400, "invalid_request", "'inputs' must be a non-empty list")
    rows: list[list[Any]] = []
    slots: list[Slot] = []
    width = len(route.features)
    for item in inputs:
        shape, datatype, flat = _tensor(item)
        if datatype == "BYTES":
            item["data"] = flat
            slots.extend(Slot(flat, i) for i, value in enumerate(flat) if isinstance(value, str))
        elif len(shape) == 2 and (width == 0 or shape[1] == width):
            rows.extend(flat[i * shape[1] : (i + 1) * shape[1]] for i in range(shape[0]))
        elif width:
            raise GuardRejection(
                422, "schema_violation", f"expected a [n, {width}] tensor", rule_id="MW-GUARD-SCHEMA-001"
            )
    return Prepared(body=data, slots=slots, rows=rows)


def _outputs(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict) or not isinstance(body.get("outputs"), list):
        raise GuardRejection(502, "upstream_bad_response", "the upstream returned an unexpected response")
    return [item for item in body["outputs"] if isinstance(item, dict)]


def output_slots(body: Any, route: RouteConfig) -> list[Slot]:
    """``BYTES`` outputs (generated text)."""
    del route
    slots: list[Slot] = []
    for item in _outputs(body):
        data = item.get("data")
        if item.get("datatype") == "BYTES" and isinstance(data, list):
            slots.extend(Slot(data, i) for i, value in enumerate(data) if isinstance(value, str))
    return slots


def harden_response(body: Any, config: HardeningConfig) -> Any:
    """Harden ``[n, k]`` probability tensors, drop logits tensors and metadata fields."""
    outputs = []
    for item in _outputs(body):
        if str(item.get("name", "")).lower() in config.drop_fields:
            continue
        shape, data = item.get("shape"), item.get("data")
        if isinstance(shape, list) and isinstance(data, list):
            data, shape = harden_flat(_flatten(data), shape, config)
            extra = {"data": data, "shape": shape} | ({"datatype": "INT64"} if config.labels_only else {})
        else:
            extra = {}
        outputs.append({k: v for k, v in item.items() if k != "parameters"} | extra)
    return {k: v for k, v in body.items() if k not in ("model_version", "parameters")} | {"outputs": outputs}
