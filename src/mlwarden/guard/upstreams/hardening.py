"""Output hardening for classifiers: top-k only, rounded probabilities, no logits, no model metadata.

Full-precision probability vectors are what model inversion (SERVE-02), membership inference
(SERVE-05) and extraction attacks feed on: confidence gaps reveal training members, and exact
scores let a surrogate be fitted with few queries. Keeping the top k classes, rounding what is
kept, and dropping logits and version fields takes most of that signal away while the answer
stays useful. The shape of the response is kept (other classes become 0.0), so clients that index
the vector keep working.
"""

from __future__ import annotations

import math
from typing import Any

from mlwarden.guard.config import HardeningConfig

__all__ = ["harden", "harden_vector"]

_MAX_DEPTH = 32


def _is_probabilities(values: list[Any]) -> bool:
    if len(values) < 2 or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return False
    return all(0.0 <= v <= 1.0 for v in values) and math.isclose(sum(values), 1.0, abs_tol=1e-3)


def harden_vector(values: list[float], config: HardeningConfig) -> list[float] | int:
    """One probability vector: the argmax alone (labels_only), or top-k kept and rounded, the rest 0.0."""
    order = sorted(range(len(values)), key=lambda i: values[i], reverse=True)
    if config.labels_only:
        return order[0]
    keep = set(order[: config.top_k]) if config.top_k is not None else set(order)
    digits = config.round_digits
    return [(round(v, digits) if digits is not None else v) if i in keep else 0.0 for i, v in enumerate(values)]


def _harden_mapping(scores: dict[str, Any], config: HardeningConfig) -> dict[str, Any] | str:
    values = list(scores.values())
    if not _is_probabilities(values):
        return scores
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    if config.labels_only:
        return str(ranked[0][0])
    kept = ranked[: config.top_k] if config.top_k is not None else ranked
    digits = config.round_digits
    return {k: (round(v, digits) if digits is not None else v) for k, v in kept}


def harden(node: Any, config: HardeningConfig, depth: int = 0) -> Any:
    """Walk a JSON response: drop configured fields, harden every probability vector or class->score map."""
    if depth > _MAX_DEPTH:
        return node
    if isinstance(node, list):
        if _is_probabilities(node):
            return harden_vector(node, config)
        return [harden(item, config, depth + 1) for item in node]
    if isinstance(node, dict):
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in node.values()) and node:
            hardened = _harden_mapping(node, config)
            if hardened is not node:
                return hardened
        return {k: harden(v, config, depth + 1) for k, v in node.items() if k not in config.drop_fields}
    return node


def harden_flat(data: list[Any], shape: list[int], config: HardeningConfig) -> tuple[list[Any], list[int]]:
    """A KServe v2 tensor: ``data`` flat in row-major order with ``shape`` [n, k]; hardened rows, new shape."""
    if len(shape) != 2 or shape[0] * shape[1] != len(data) or shape[1] < 2:
        return data, shape
    n, k = shape
    rows = [data[i * k : (i + 1) * k] for i in range(n)]
    if not all(_is_probabilities(row) for row in rows):
        return data, shape
    hardened = [harden_vector(row, config) for row in rows]
    if config.labels_only:
        return hardened, [n]
    return [v for row in hardened if isinstance(row, list) for v in row], shape
