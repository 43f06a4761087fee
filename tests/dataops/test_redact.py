"""``redact``: no detected PII survives, other cells are untouched, keyed and consistent replacements."""

from __future__ import annotations

import json
import random
import stat
from pathlib import Path

import pytest
from tests.dataops.synthetic import email, people_rows, phone, read_csv, snils, write_csv

from mlwarden.core.errors import UsageError
from mlwarden.dataops.redact import RedactOptions, redact_dataset
from mlwarden.detectors.detector_set import DetectorSet
from mlwarden.detectors.pii.checksums import inn12_valid, luhn_valid, snils_valid
from mlwarden.scanners.dataset.profile import PERSONAL_KINDS
from mlwarden.scanners.dataset.reader import ReadOptions
from mlwarden.scanners.dataset.textio import MalformedData

AWS = "AKIA" + "Q3EXAMPLE7XYZ4AB"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _personal(text: str) -> list[str]:
    return [m.kind for m in DetectorSet.default().detect(text) if m.kind in PERSONAL_KINDS]


def test_mask_round_trip_leaves_no_pii_and_other_cells_unchanged(tmp_path: Path) -> None:
    rows = people_rows(200)
    rows[5][5] = f"token aws_key={AWS}"
    source = write_csv(tmp_path / "in.csv", rows)
    summary = redact_dataset(source, tmp_path / "out.csv")
    out = read_csv(tmp_path / "out.csv")
    assert len(out) == len(rows) and out[0] == rows[0]
    for before, after in zip(rows[1:], out[1:], strict=True):
        assert after[0] == before[0] and after[6] == before[6]  # id, amount: byte for byte
        for cell in after:
            assert _personal(cell) == [], cell
        if before[5] in ("ok", "good product", "line one\nline two, quoted"):
            assert after[5] == before[5]
    assert out[1][1] == "u***@e***.ru" and out[1][2].startswith("+7 *** ***-**-")
    assert AWS not in (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert summary.redacted["EMAIL"] == 200 and summary.rows == 200
    assert json.loads((tmp_path / ".mlwarden" / "lineage.jsonl").read_text().splitlines()[-1])["operation"] == "redact"


def test_hash_is_keyed_and_stable(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", people_rows(20))
    key_a, key_b = tmp_path / "a.key", tmp_path / "b.key"
    key_a.write_text("a" * 32)
    key_b.write_text("b" * 32)
    for name, key in (("h1.csv", key_a), ("h2.csv", key_a), ("h3.csv", key_b)):
        redact_dataset(source, tmp_path / name, options=RedactOptions(mode="hash", key_file=key))
    first, again, other = (read_csv(tmp_path / n) for n in ("h1.csv", "h2.csv", "h3.csv"))
    assert first == again
    assert first[1][1].startswith("EMAIL_") and first[1][1] != other[1][1]
    assert all(_personal(cell) == [] for row in first for cell in row)


def test_default_project_key_is_created_private(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", people_rows(3))
    redact_dataset(source, tmp_path / "out.csv", options=RedactOptions(mode="hash"))
    key = tmp_path / ".mlwarden" / "redact.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    key.chmod(0o644)
    with pytest.raises(UsageError, match="readable by other users"):
        redact_dataset(source, tmp_path / "again.csv", options=RedactOptions(mode="hash"))


def test_pseudonyms_are_consistent_and_checksum_valid(tmp_path: Path) -> None:
    rng = random.Random(9)
    cards = ["4111 1111 1111 1111", "5500 0000 0000 0004"]
    rows = [["email", "snils", "inn", "card", "phone"]]
    people = people_rows(30)
    for i in range(30):
        rows.append([email(i % 10), snils(rng), people[i + 1][4], cards[i % 2], phone(rng)])
    source = write_csv(tmp_path / "in.csv", rows)
    redact_dataset(source, tmp_path / "ps.csv", options=RedactOptions(mode="pseudonym"))
    out = read_csv(tmp_path / "ps.csv")
    assert out[1][0] == out[11][0] != out[2][0]  # same input, same pseudonym
    for before, after in zip(rows[1:], out[1:], strict=True):
        assert after != before
        assert snils_valid(after[1].replace("-", "").replace(" ", ""))
        assert inn12_valid(after[2])
        assert luhn_valid(after[3].replace(" ", "")) and len(after[3]) == len(before[3])
        assert after[4].startswith("+7 ") and len(after[4]) == len(before[4])


def test_columns_and_kinds_restrict_what_is_replaced(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", people_rows(10))
    redact_dataset(source, tmp_path / "o.csv", options=RedactOptions(columns=frozenset({"email"})))
    out = read_csv(tmp_path / "o.csv")
    assert out[1][1] != email(0) and out[1][2] == read_csv(source)[1][2]
    redact_dataset(source, tmp_path / "k.csv", options=RedactOptions(kinds=frozenset({"PHONE"})))
    out = read_csv(tmp_path / "k.csv")
    assert out[1][1] == email(0) and "*" in out[1][2]
    with pytest.raises(UsageError):
        RedactOptions(kinds=frozenset({"ORG_ID"}))


def test_jsonl_untouched_lines_stay_byte_identical(tmp_path: Path) -> None:
    lines = [
        '{"a": 1, "note": "nothing here"}',
        json.dumps({"user": {"email": email(1)}, "tags": ["x", email(2)]}),
        "not json",
        '{"b":   "spacing kept"}',
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = redact_dataset(source, tmp_path / "out.jsonl")
    out = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert out[0] == lines[0] and out[2] == lines[3]
    changed = json.loads(out[1])
    assert changed["user"]["email"] == "u***@e***.ru" and changed["tags"][0] == "x"
    assert summary.skipped_rows == 1 and len(out) == 3


def test_parquet_round_trip_keeps_schema(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({"email": [email(i) for i in range(50)], "n": list(range(50)), "t": ["plain"] * 50})
    pq.write_table(table, tmp_path / "in.parquet")
    redact_dataset(tmp_path / "in.parquet", tmp_path / "out.parquet")
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.schema == table.schema
    assert out.column("n").to_pylist() == list(range(50)) and out.column("t").to_pylist() == ["plain"] * 50
    assert all(_personal(v) == [] for v in out.column("email").to_pylist())


def test_refuses_input_and_existing_output(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", people_rows(3))
    with pytest.raises(UsageError, match="overwrite the input"):
        redact_dataset(source, source, options=RedactOptions(force=True))
    (tmp_path / "exists.csv").write_text("x")
    with pytest.raises(UsageError, match="already exists"):
        redact_dataset(source, tmp_path / "exists.csv")
    redact_dataset(source, tmp_path / "exists.csv", options=RedactOptions(force=True))
    assert (tmp_path / "exists.csv").read_text() != "x"


def test_failed_run_leaves_no_output(tmp_path: Path) -> None:
    source = tmp_path / "wide.csv"
    source.write_text("a,b\n1," + "z" * 300_000 + "\n", encoding="utf-8")
    options = RedactOptions(read=ReadOptions(block_bytes=64 * 1024, max_line_bytes=64 * 1024))
    with pytest.raises(MalformedData):
        redact_dataset(source, tmp_path / "out.csv", options=options)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".mlwarden")) == ["wide.csv"]
