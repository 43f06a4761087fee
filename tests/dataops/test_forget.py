"""``forget``: a subject's rows removed into a new version; input untouched; no value in the log."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from tests.dataops.synthetic import email, people_rows, read_csv, write_csv

from mlwarden.core.errors import UsageError
from mlwarden.dataops.forget import ForgetOptions, forget_rows, parse_condition


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_rows_removed_input_unchanged_lineage_without_value(tmp_path: Path) -> None:
    rows = people_rows(50)
    rows[10][1] = rows[20][1] = email(3)  # the subject appears three times
    source = write_csv(tmp_path / "in.csv", rows)
    before = _sha(source)
    summary = forget_rows(source, tmp_path / "out.csv", options=ForgetOptions(where=(("email", email(3)),)))
    assert summary.removed == 3 and summary.rows == 50
    out = read_csv(tmp_path / "out.csv")
    assert len(out) == 48 and all(row[1] != email(3) for row in out)
    assert out[1] == rows[1]
    assert _sha(source) == before
    log = (tmp_path / ".mlwarden" / "lineage.jsonl").read_text(encoding="utf-8")
    edge = json.loads(log.splitlines()[-1])
    assert edge["operation"] == "forget" and edge["from"]["sha256"] == before
    assert edge["to"]["sha256"] == _sha(tmp_path / "out.csv") and edge["params"]["rows_removed"] == 3
    assert email(3) not in log and "user3" not in log


def test_normalized_match_any_and_all(tmp_path: Path) -> None:
    rows = [["phone", "mail"], ["+7 (916) 123-45-67", "A@Example.ru"], ["89161234567", "b@example.ru"], ["1", "c@x.ru"]]
    source = write_csv(tmp_path / "in.csv", rows)
    exact = forget_rows(source, tmp_path / "e.csv", options=ForgetOptions(where=(("phone", "79161234567"),)))
    assert exact.removed == 0
    normalized = ForgetOptions(where=(("phone", "79161234567"), ("mail", "a@example.RU")), normalized=True)
    assert forget_rows(source, tmp_path / "n.csv", options=normalized).removed == 2
    both = ForgetOptions(where=normalized.where, normalized=True, match_all=True)
    assert forget_rows(source, tmp_path / "b.csv", options=both).removed == 1


def test_unknown_column_is_a_usage_error_and_writes_nothing(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "in.csv", people_rows(5))
    with pytest.raises(UsageError, match="no such column"):
        forget_rows(source, tmp_path / "out.csv", options=ForgetOptions(where=(("nope", "1"),)))
    assert not (tmp_path / "out.csv").exists()
    header_only = write_csv(tmp_path / "h.csv", [["a", "b"]])
    with pytest.raises(UsageError):
        forget_rows(header_only, tmp_path / "o2.csv", options=ForgetOptions(where=(("nope", "1"),)))


def test_jsonl_and_parquet(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps({"user": {"email": email(i)}, "n": i}) for i in range(5)) + "\n")
    summary = forget_rows(source, tmp_path / "out.jsonl", options=ForgetOptions(where=(("user.email", email(2)),)))
    assert summary.removed == 1
    assert email(2) not in (tmp_path / "out.jsonl").read_text() and email(1) in (tmp_path / "out.jsonl").read_text()
    with pytest.raises(UsageError):
        forget_rows(source, tmp_path / "x.jsonl", options=ForgetOptions(where=(("user.phone", "1"),)))
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({"email": [email(i) for i in range(5)], "n": list(range(5))}), tmp_path / "p.parquet")
    forget_rows(tmp_path / "p.parquet", tmp_path / "q.parquet", options=ForgetOptions(where=(("n", "4"),)))
    assert pq.read_table(tmp_path / "q.parquet").column("n").to_pylist() == [0, 1, 2, 3]


def test_parse_condition() -> None:
    assert parse_condition("note=a=b") == ("note", "a=b")
    with pytest.raises(UsageError):
        parse_condition("novalue")
    with pytest.raises(UsageError):
        ForgetOptions(where=())
