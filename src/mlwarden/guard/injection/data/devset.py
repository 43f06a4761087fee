"""The hand-written development set for the prompt-injection detector (``dev.jsonl``).

It exists to choose operating points (thresholds, classifier floor and weight) without touching the
held-out benchmark. It was written blind to the training data, the validation split, the rules and
the benchmark corpus, so tuning on it does not leak those into the choice. Each record is
``{"text", "label" (1 attack, 0 benign), "category", "language"}``; benign records have category
``benign``.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["DEV_PATH", "load_dev"]

DEV_PATH = Path(__file__).with_name("dev.jsonl")


def load_dev(path: Path = DEV_PATH) -> list[dict[str, object]]:
    """Every record of the development set, in file order."""
    records: list[dict[str, object]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError(f"{path}: every line must be a JSON object")
                records.append(record)
    return records
