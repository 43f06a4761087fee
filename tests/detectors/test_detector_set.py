"""``DetectorSet``: PII plus secrets, overlap resolution, filters, and ``detect_column`` == ``detect``."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.factories import pii as factory

from mlwarden.detectors.detector_set import COLUMN_SEPARATOR, DetectorSet

RNG = random.Random(11)
INN12 = factory.inn12(RNG)
INN10 = factory.inn10(RNG)
SNILS = factory.snils(RNG)
MOBILE = factory.ru_mobile(RNG)
AWS = "AKIA" + "Q3EXAMPLE7XYZ4AB"
GITHUB = "ghp_" + "x1Y2z3" * 6


def test_pii_and_secrets_together_sorted() -> None:
    text = f"key={AWS} ИНН {INN12} tel {MOBILE} token: {GITHUB}"
    found = DetectorSet.default().detect(text)
    assert [(m.kind, m.subtype) for m in found] == [
        ("SECRET", "AWS_ACCESS_KEY"),
        ("RU_INN", None),
        ("PHONE", None),
        ("SECRET", "GITHUB_TOKEN"),
    ]
    assert text[found[0].start : found[0].end] == AWS


def test_secret_wins_over_pii_inside_it() -> None:
    url = "postgresql://app:" + "s3cr3t" + "-" + "pw" + "@db.example.com:5432/x"
    found = DetectorSet.default().detect(url)
    assert [m.kind for m in found] == ["SECRET"]


def test_kinds_min_confidence_and_secrets_switch() -> None:
    text = f"ИНН {INN12}, then a long unrelated sentence, and value {INN10}, key={AWS}"
    only_inn = DetectorSet(kinds=frozenset({"RU_INN"})).detect(text)
    assert [m.kind for m in only_inn] == ["RU_INN"]
    strict = DetectorSet(min_confidence=0.9, secrets=False).detect(text)
    assert [m.kind for m in strict] == ["RU_INN"]  # the context-free org INN is below 0.9
    assert all(m.kind != "SECRET" for m in DetectorSet(secrets=False).detect(text))


def test_filtered_kind_does_not_hide_a_wanted_one() -> None:
    bare = SNILS.replace("-", "").replace(" ", "")
    only_snils = DetectorSet(kinds=frozenset({"RU_SNILS"})).detect(f"СНИЛС {bare}")
    assert [m.kind for m in only_snils] == ["RU_SNILS"]


def test_detect_column_equals_detect() -> None:
    values = [
        f"тел. {MOBILE}",
        "ИНН",  # its context must not leak into the next value
        INN12,
        f"key={AWS}",
        "",
        "a@b.co",
        "СНИЛС",
        SNILS,
        "Иванов Иван",
        "Иванович",
        "password:",
        "Tr41n-Pa55-word-long",
        COLUMN_SEPARATOR + INN12,
    ]
    detectors = DetectorSet.default()
    assert detectors.detect_column(values) == [detectors.detect(v) for v in values]


def test_detect_column_empty_and_large() -> None:
    detectors = DetectorSet.default()
    assert detectors.detect_column([]) == []
    values = [f"row {i} mail u{i}@example.com" for i in range(30000)]
    found = detectors.detect_column(values)
    assert len(found) == len(values)
    assert all(len(row) == 1 and row[0].kind == "EMAIL" for row in found)


_VALUE = st.lists(
    st.sampled_from(["ИНН ", INN12, "тел ", MOBILE, " ", "\n", "\x00", "\u200b", "😀", "a@b.co", "Иван ", "Петрович",
                     "password=", "Zx9-Qw8-Er7-Ty6", "дата рождения ", "01.02.1990", AWS, ":", "-"]),
    max_size=6,
).map("".join)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(st.lists(_VALUE, max_size=8))
def test_fuzz_detect_column_equals_detect(values: list[str]) -> None:
    detectors = DetectorSet.default()
    assert detectors.detect_column(values) == [detectors.detect(v) for v in values]


def test_default_is_the_shared_configuration() -> None:
    assert DetectorSet.default() == DetectorSet()
    assert DetectorSet.default().min_confidence == 0.5


_COLUMNS = st.sampled_from([None, "ssn", "passport", "dob", "tax_id", "full_name", "order_id", "phone"])


@settings(max_examples=60, deadline=None)
@given(st.lists(_VALUE, max_size=6), _COLUMNS)
def test_fuzz_detect_column_with_a_column_name_equals_detect(values: list[str], column: str | None) -> None:
    detectors = DetectorSet.default()
    expected = [detectors.detect(v, column_name=column) for v in values]
    assert detectors.detect_column(values, column_name=column) == expected


def test_column_name_is_context_for_every_value() -> None:
    detectors = DetectorSet.default()
    values = ["4510123456", "4511123457", "not a number"]
    assert [[m.kind for m in row] for row in detectors.detect_column(values)] == [[], [], []]
    found = detectors.detect_column(values, column_name="passport")
    assert [[m.kind for m in row] for row in found] == [["RU_PASSPORT"], ["RU_PASSPORT"], []]


def test_dataset_scanner_passes_column_names(tmp_path: Path) -> None:
    from mlwarden.scanners.dataset import classify_dataset

    path = tmp_path / "people.csv"
    path.write_text("passport,comment\n" + "".join(f"45{i:02d}123456,ok\n" for i in range(10, 40)), encoding="utf-8")
    profile = classify_dataset(path)
    assert profile.columns["passport"].whole["RU_PASSPORT"] == 30
    assert not profile.columns["comment"].whole
