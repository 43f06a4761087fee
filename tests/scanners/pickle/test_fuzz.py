"""Hostile input: arbitrary bytes, mutated pickles, deep nesting and lying lengths stay bounded."""

from __future__ import annotations

import pickle
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.factories.pickle_builder import PickleBuilder
from tests.scanners.pickle.helpers import rule_ids, scan_bytes

from mlwarden.artifacts.limits import Budget
from mlwarden.scanners.base import ScanContext

_SEED = pickle.dumps({"w": [1.5, 2, "x", b"y", (None, True)], "n": {"a": frozenset([1])}}, protocol=4)
_FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    for joblib in (False, True):
        scan_bytes(data, joblib=joblib)


@_FUZZ
@given(st.lists(st.tuples(st.integers(0, len(_SEED) - 1), st.integers(0, 255)), max_size=8), st.integers(0, len(_SEED)))
def test_mutated_pickles_never_raise(edits: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(_SEED)
    for where, value in edits:
        data[where] = value
    scan_bytes(bytes(data[:cut] if cut else data))


def test_million_marks_hit_the_depth_limit_quickly() -> None:
    start = time.monotonic()
    findings = scan_bytes(b"(" * 1_000_000 + b".")
    assert time.monotonic() - start < 10
    assert "MW-LIMIT-001" in rule_ids(findings)


def test_million_nested_lists_finish_bounded() -> None:
    data = b"\x80\x04" + b"]" * 1_000_000 + b"a" * 999_999 + b"."
    start = time.monotonic()
    findings = scan_bytes(data)
    assert time.monotonic() - start < 20
    assert "MW-LIMIT-001" in rule_ids(findings)


def test_hundred_gigabyte_declared_length_in_a_small_file() -> None:
    data = PickleBuilder().binbytes8_header(100 * 1024**3).raw(b"x" * 1000).data
    start = time.monotonic()
    findings = scan_bytes(data)
    assert time.monotonic() - start < 1
    assert [f.match_key for f in findings if f.rule_id == "MW-PICKLE-004"] == ["truncated"]


def test_opcode_budget_is_enforced() -> None:
    ctx = ScanContext(budget=Budget(max_pickle_opcodes=10_000))
    findings = scan_bytes(b"\x80\x04" + b"N0" * 50_000 + b"N.", ctx=ctx)
    assert "MW-LIMIT-001" in rule_ids(findings)


def test_truncated_and_invalid_streams_are_findings() -> None:
    assert "MW-PICKLE-004" in rule_ids(scan_bytes(b"\x80\x04\x8c\x05ab"))
    assert "MW-PICKLE-004" in rule_ids(scan_bytes(b"\x80\x04N\xff."))
    assert "MW-PICKLE-003" in rule_ids(scan_bytes(b"\x80\x04h\x07."))  # memo index never PUT


def test_large_payload_is_skipped_not_materialised() -> None:
    big = b"\x00" * (8 * 1024 * 1024)
    data = PickleBuilder().empty_list().raw(b"\x8e" + len(big).to_bytes(8, "little") + big).append().stop().data
    assert scan_bytes(data) == []
