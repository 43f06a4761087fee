"""Bounded JSON and text helpers shared by the model-format scanners: hostile text stays fast and typed."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlwarden.artifacts.limits import Budget
from mlwarden.core.errors import BudgetExceeded
from mlwarden.scanners.structured import MalformedError, code_signals, iter_json_nodes, load_json, mask


def test_duplicate_keys_are_remembered_and_the_last_wins() -> None:
    doc = load_json('{"a": 1, "a": 2, "b": {"c": 1, "c": 3}}', Budget(), where="x")
    assert doc.value == {"a": 2, "b": {"c": 3}} and sorted(doc.duplicates) == ["a", "c"]


@pytest.mark.parametrize("text", ['"' + "a" * 5_000_000, '"' + "\\\\" * 2_000_000, '{"a": NaN}', "{", "\ufeff{}"])
def test_malformed_json_is_a_malformed_error_and_fast(text: str) -> None:
    started = time.perf_counter()
    with pytest.raises(MalformedError):
        load_json(text, Budget(), where="x")
    assert time.perf_counter() - started < 2.0


def test_deep_json_is_a_budget_finding_not_a_recursion_error() -> None:
    with pytest.raises(BudgetExceeded):
        load_json("[" * 100_000 + "]" * 100_000, Budget(), where="x")
    # brackets inside strings do not count as depth
    assert load_json('["' + "[" * 1000 + '"]', Budget(), where="x").value == ["[" * 1000]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet='{}[]",:\\ 0a-eE.tnul\n', max_size=200))
def test_fuzz_load_json_raises_only_its_own_errors(text: str) -> None:
    try:
        doc = load_json(text, Budget(), where="fuzz")
    except (MalformedError, BudgetExceeded):
        return
    assert sum(1 for _ in iter_json_nodes(doc.value)) >= 1


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_text_signals_and_mask(text: str) -> None:
    code_signals(text)
    assert len(mask(text, 40)) <= 40
