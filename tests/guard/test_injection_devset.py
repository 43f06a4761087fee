"""Integrity of the hand-written injection dev set (format, balance, coverage), not detector accuracy."""

from __future__ import annotations

import json
from collections import Counter

from mlwarden.guard.injection.data.devset import DEV_PATH, load_dev

ATTACK_CATEGORIES = {
    "override", "roleplay", "extraction", "exfiltration", "indirect", "delimiter", "obfuscation", "multilingual",
}  # fmt: skip


def test_every_line_is_a_valid_record() -> None:
    lines = DEV_PATH.read_text(encoding="utf-8").splitlines()
    assert lines
    for number, line in enumerate(lines, 1):
        record = json.loads(line)
        assert set(record) == {"text", "label", "category", "language"}, number
        assert isinstance(record["text"], str) and record["text"].strip(), number
        assert record["label"] in (0, 1) and not isinstance(record["label"], bool), number
        assert isinstance(record["language"], str) and record["language"], number
        expected = {"benign"} if record["label"] == 0 else ATTACK_CATEGORIES
        assert record["category"] in expected, number


def test_loader_reads_every_line() -> None:
    lines = [line for line in DEV_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(load_dev()) == len(lines)


def test_no_duplicate_texts() -> None:
    texts = Counter(str(record["text"]).strip() for record in load_dev())
    assert [text for text, count in texts.items() if count > 1] == []


def test_balance_and_coverage() -> None:
    records = load_dev()
    labels = Counter(record["label"] for record in records)
    assert labels[0] >= 450
    assert labels[1] >= 300
    assert sum(1 for record in records if record["language"] == "ru") >= 100
    assert {str(record["category"]) for record in records if record["label"] == 1} == ATTACK_CATEGORIES
    non_english_benign = sum(1 for record in records if record["label"] == 0 and record["language"] != "en")
    assert non_english_benign >= 120
