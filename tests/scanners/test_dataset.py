"""Dataset scanner: column classification across formats, sampling, malformed input, fallbacks, fuzz."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.dataops.synthetic import email, people_rows, phone, snils, write_csv

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.limits import Budget, Deadline
from mlwarden.core.errors import BudgetExceeded, MissingExtraError
from mlwarden.core.findings import Finding, ScanErrorKind, ScanResult
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.dataset import ClassifyOptions, DatasetScanner, classify_dataset, columnar, reader, verdicts
from mlwarden.scanners.dataset.classify import profile_stream
from mlwarden.scanners.dataset.reader import ReadOptions
from mlwarden.scanners.dataset.sampling import Sampler, wilson_interval
from mlwarden.scanners.dataset.textio import Utf8Repair
from mlwarden.scanners.engine import ScanOptions, run_scan
from mlwarden.scanners.registry import load_registry

AWS = "AKIA" + "Q3EXAMPLE7XYZ4AB"


def _scan(path: Path, **options: Any) -> ScanResult:
    registry = load_registry(builtins=("mlwarden.scanners.dataset:DatasetScanner",), plugins=False)
    return run_scan([path], registry=registry, options=ScanOptions(scanner_options={"dataset": options}))


def _by_column(result: ScanResult) -> dict[str, list[Finding]]:
    found: dict[str, list[Finding]] = {}
    for finding in result.findings:
        column = finding.message.split("`")[1] if "`" in finding.message else ""
        found.setdefault(column, []).append(finding)
    return found


def _artifact(data: bytes, fmt: Format, name: str = "data.csv") -> Artifact:
    return Artifact(path=name, format=fmt, size=len(data), opener=lambda: io.BytesIO(data))


def test_csv_columns_classified_with_quoted_newlines(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", people_rows(300))
    result = _scan(path)
    columns = _by_column(result)
    assert {f.rule_id for f in columns["email"]} == {"MW-PII-002"}
    assert "100% EMAIL (300 of 300 values)" in columns["email"][0].message
    assert "RU_SNILS" in columns["snils"][0].message
    assert "RU_INN" in columns["inn"][0].message
    assert columns["comment"][0].rule_id == "MW-PII-001"
    assert "free text" in columns["comment"][0].message
    assert "id" not in columns and "amount" not in columns
    assert not result.errors
    text = path.read_text(encoding="utf-8")
    for finding in result.findings:
        assert email(0) not in finding.evidence and email(1) not in finding.message
        for value in finding.evidence.replace(";", " ").split():
            assert len(value) < 6 or value not in text or "*" in value or value.isupper()


def test_tsv_and_stdlib_fallback_agree(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.tsv", people_rows(200), delimiter="\t")
    arrow = {f.message for f in _scan(path).findings}
    stdlib = {f.message for f in _scan(path, force_stdlib=True).findings}
    assert arrow == stdlib
    assert any("column `phone`: 100% PHONE" in m for m in arrow)


def test_scanner_works_without_pyarrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "is_available", lambda module: False)
    path = write_csv(tmp_path / "people.csv", people_rows(100))
    profile = classify_dataset(path)
    assert profile.stats.engine == "stdlib"
    assert profile.columns["email"].whole["EMAIL"] == 100


def test_parquet_without_pyarrow_is_one_scan_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"email": [email(i) for i in range(10)]}), path)

    def missing(module: str, *, extra: str) -> Any:
        raise MissingExtraError(module, extra)

    monkeypatch.setattr(columnar, "require", missing)
    result = _scan(path)
    assert [e.kind for e in result.errors] == [ScanErrorKind.MISSING_EXTRA]
    assert "mlwarden[data]" in result.errors[0].hint


def test_jsonl_nested_paths(tmp_path: Path) -> None:
    rng = random.Random(3)
    lines = [
        json.dumps(
            {
                "user": {"email": email(i), "snils": snils(rng)},
                "msgs": [{"text": f"call {phone(rng)}"}, {"text": "hi"}],
                "score": 0.5,
            },
            ensure_ascii=False,
        )
        for i in range(50)
    ]
    path = tmp_path / "chat.jsonl"
    path.write_text("\n".join(lines) + "\nnot json\n", encoding="utf-8")
    columns = _by_column(_scan(path))
    assert columns["user.email"][0].rule_id == "MW-PII-002"
    assert columns["user.snils"][0].rule_id == "MW-PII-002"
    assert columns["msgs[].text"][0].rule_id == "MW-PII-001"
    assert "1 row(s) skipped" in columns[""][0].message


def test_parquet_string_int_and_struct_columns(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rng = random.Random(5)
    table = pa.table(
        {
            "contact": [email(i) for i in range(100)],
            "who": [{"snils": snils(rng), "age": 30} for _ in range(100)],
            "phones": [[phone(rng)] for _ in range(100)],
            "x": [float(i) for i in range(100)],
        }
    )
    path = tmp_path / "people.parquet"
    pq.write_table(table, path, row_group_size=30)
    columns = _by_column(_scan(path))
    assert "100% EMAIL" in columns["contact"][0].message
    assert "RU_SNILS" in columns["who.snils"][0].message
    assert "PHONE" in columns["phones"][0].message
    assert "x" not in columns


def test_fifty_thousand_rows_sampled_with_interval(tmp_path: Path) -> None:
    rng = random.Random(11)
    rows = [["contact", "n"]]
    for i in range(50_000):
        rows.append([email(i) if rng.random() < 0.7 else f"n/a {i % 7}", str(i)])
    path = write_csv(tmp_path / "big.csv", rows)
    options = ClassifyOptions(sample_rows=5_000, read=ReadOptions(block_bytes=256 * 1024))
    profile = classify_dataset(path, options=options)
    assert profile.sampled and profile.rows == 50_000
    assert 4_000 <= profile.rows_sampled <= 6_500
    (verdict,) = verdicts(profile.columns["contact"], options)
    share = verdict.hits / verdict.values
    assert abs(share - 0.7) < 0.03
    assert verdict.interval[0] < 0.7 < verdict.interval[1] or abs(share - 0.7) < 0.01
    finding = next(
        f for f in _scan(path, sample_rows=5_000, block_bytes=256 * 1024).findings if "`contact`" in f.message
    )
    assert "sampled values; 95% CI" in finding.message and "of 50,000 rows sampled" in finding.message


def test_name_hint_raises_confidence_but_never_classifies_alone(tmp_path: Path) -> None:
    rng = random.Random(2)
    rows = [["phone", "misc", "name"]]
    for i in range(100):
        value = phone(rng) if i % 100 < 35 else "unknown"
        rows.append([value, value, "widget"])
    columns = _by_column(_scan(write_csv(tmp_path / "h.csv", rows)))
    assert columns["phone"][0].rule_id == "MW-PII-002"
    assert columns["misc"][0].rule_id == "MW-PII-001"
    assert "name" not in columns


def test_secrets_and_org_ids_one_finding_per_column(tmp_path: Path) -> None:
    rows = [["cfg", "company_inn"]] + [[f"aws_key={AWS}", "7707083893"] for _ in range(20)]
    columns = _by_column(_scan(write_csv(tmp_path / "s.csv", rows)))
    assert [f.rule_id for f in columns["cfg"]] == ["MW-SECRET-001"]
    assert [f.rule_id for f in columns["company_inn"]] == ["MW-PII-003"]
    assert all(AWS not in f.evidence + f.message for f in columns["cfg"])


def test_unbalanced_quote_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('a,b\n1,ok\n2,"unterminated\n3,x\n' + "4,y\n" * 5, encoding="utf-8")
    for stdlib in (False, True):
        findings = _scan(path, force_stdlib=stdlib).findings
        assert [f.rule_id for f in findings] == ["MW-DATA-001"]


def test_megabyte_field_parses_and_oversized_row_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("a,b\n" + "1," + "z" * 1_200_000 + f"\n2,{email(2)}\n", encoding="utf-8")
    assert [f.rule_id for f in _scan(path).findings] == ["MW-PII-002"]
    for stdlib in (False, True):
        findings = _scan(path, block_bytes=256 * 1024, force_stdlib=stdlib).findings
        malformed = [f for f in findings if f.rule_id == "MW-DATA-001"]
        assert malformed and "parsing stopped" in malformed[0].message


def test_invalid_utf8_is_replaced_counted_and_the_rest_classified(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    # NOTE: the sniffer calls a file with invalid UTF-8 in its first 64 KiB binary, so the bad bytes come later.
    body = b"".join(f"{email(i)},x\n".encode() for i in range(4000))
    path.write_bytes(b"mail,v\n" + body + b"caf\xe9,\xff\xfe\n")
    findings = _scan(path).findings
    assert {f.rule_id for f in findings} == {"MW-PII-002", "MW-DATA-001"}
    malformed = next(f for f in findings if f.rule_id == "MW-DATA-001")
    assert "invalid UTF-8" in malformed.message


def test_deadline_keeps_findings_then_reports_limit(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", people_rows(50))
    ctx = ScanContext(budget=Budget(), deadline=Deadline(seconds=-1.0))
    artifact = Artifact(path="p.csv", format=Format.CSV, size=path.stat().st_size, opener=lambda: path.open("rb"))
    with pytest.raises(BudgetExceeded):
        list(DatasetScanner().scan(artifact, ctx))


def test_utf8_repair_keeps_sequences_split_across_chunks() -> None:
    text = ("ж" * 5 + "€" + "a") * 50
    repair = Utf8Repair(io.BytesIO(text.encode()), chunk_bytes=7)
    assert io.BufferedReader(repair).read().decode() == text
    assert repair.invalid == 0


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_repair_transcodes_across_odd_chunk_boundaries(encoding: str) -> None:
    text = ("ж" * 5 + '"€' + "\U0001f600" + "a\n") * 50  # the emoji is a surrogate pair in UTF-16
    bom = b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff"
    repair = Utf8Repair(io.BytesIO(bom + text.encode(encoding)), chunk_bytes=7)
    assert io.BufferedReader(repair).read().decode() == text
    assert (repair.invalid, repair.encoding, repair.quotes) == (0, encoding, 50)


def test_utf16_lone_surrogate_is_counted_as_invalid() -> None:
    data = b"\xff\xfe" + "ab".encode("utf-16-le") + b"\x00\xd8" + "cd".encode("utf-16-le")
    repair = Utf8Repair(io.BytesIO(data), chunk_bytes=3)
    assert io.BufferedReader(repair).read().decode() == "ab\ufffdcd"
    assert repair.invalid == 1 and repair.first_invalid is not None


@pytest.mark.parametrize("stdlib", [False, True])
def test_utf16_csv_export_is_classified_like_utf8(tmp_path: Path, stdlib: bool) -> None:
    utf8 = write_csv(tmp_path / "people.csv", people_rows(300))
    utf16 = tmp_path / "people16.csv"
    utf16.write_bytes(utf8.read_text(encoding="utf-8").encode("utf-16"))  # BOM + native order, like Excel
    expected = {f.message for f in _scan(utf8, force_stdlib=stdlib).findings}
    assert expected and {f.message for f in _scan(utf16, force_stdlib=stdlib).findings} == expected


def test_wilson_interval_and_sampler_bounds() -> None:
    low, high = wilson_interval(97, 100)
    assert 0.91 < low < 0.97 < high < 0.995
    assert wilson_interval(0, 0) == (0.0, 1.0)
    sampler = Sampler(max_rows=100, max_bytes=10**9, total_bytes=10_000)
    picked = sum(len(sampler.plan(i * 100, 100, 100)) for i in range(100))
    assert sampler.sampled and 90 <= picked <= 200


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.sampled_from([Format.CSV, Format.TSV, Format.JSONL]), st.booleans())
def test_fuzz_readers_never_crash(data: bytes, fmt: Format, stdlib: bool) -> None:
    options = ClassifyOptions(read=ReadOptions(block_bytes=4096, max_line_bytes=4096, force_stdlib=stdlib))
    profile = profile_stream(lambda: io.BytesIO(data), fmt, path="f", size=len(data), options=options)
    assert profile.rows >= 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=2, max_size=2), min_size=1, max_size=20))
def test_fuzz_csv_round_trip_counts_rows(rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    import csv

    csv.writer(buffer).writerows([["a", "b"], *rows])
    data = buffer.getvalue().encode("utf-8", "surrogatepass")
    profile = profile_stream(lambda: io.BytesIO(data), Format.CSV, path="f", size=len(data),
                             options=ClassifyOptions(read=ReadOptions(force_stdlib=True)))  # fmt: skip
    assert profile.malformed is None
    assert profile.rows <= len(rows)


def test_rows_wider_than_an_empty_header_are_named_by_position() -> None:
    data = b"\n\x00\r\x00"  # found by the fuzzer: an empty header line, then a one-column row
    for stdlib in (False, True):
        options = ClassifyOptions(read=ReadOptions(force_stdlib=stdlib))
        profile = profile_stream(lambda: io.BytesIO(data), Format.CSV, path="f", size=len(data), options=options)
        assert profile.rows >= 0
