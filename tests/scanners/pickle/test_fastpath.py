"""The batch fast path: data batches are stepped over, and nothing it skips changes what is reported."""

from __future__ import annotations

import pickle
import random
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.pickle.helpers import keys, rule_ids, scan_bytes

from mlwarden.core.findings import Finding, Severity
from mlwarden.scanners.pickle import fastpath
from mlwarden.scanners.pickle.grammar import grammar

CMD = "touch /tmp/never"


def _u(text: str) -> bytes:
    raw = text.encode()
    return b"\x8c" + bytes([len(raw)]) + raw if len(raw) < 256 else b"X" + struct.pack("<I", len(raw)) + raw


def _records(count: int, seed: int = 0) -> list[dict[str, object]]:
    rng = random.Random(seed)
    labels = ("cat", "dog", "bird")
    return [
        {"id": i, "score": rng.random(), "label": rng.choice(labels) + str(i), "tags": (rng.choice(labels), "v")}
        for i in range(count)
    ]


def _findings(data: bytes) -> list[tuple[str, str, Severity]]:
    return sorted((f.rule_id, f.match_key, f.severity) for f in scan_bytes(data))


class _Spy:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.skipped = 0
        original = fastpath.FastPath.batch

        def batch(path: fastpath.FastPath, machine: object) -> bool:
            done = original(path, machine)  # type: ignore[arg-type]
            self.skipped += done
            return done

        monkeypatch.setattr(fastpath.FastPath, "batch", batch)


def _without_fast_path(monkeypatch: pytest.MonkeyPatch, data: bytes) -> list[tuple[str, str, Severity]]:
    with monkeypatch.context() as patch:
        patch.setattr(fastpath.FastPath, "batch", lambda self, machine: False)
        return _findings(data)


def _memoised_name_pickle() -> bytes:
    """300 memoised strings (slow path), then a batch that memoises 'os' (skipped), then
    STACK_GLOBAL over a LONG_BINGET of that slot: the module name lives only in the skipped batch."""
    out = bytearray(b"\x80\x04]\x94(")
    for i in range(300):
        out += _u(f"s{i}") + b"\x94"
    out += b"e("
    out += _u("os") + b"\x94"  # memo slot 1 + 300 = 301
    for i in range(40):
        out += _u(f"t{i}") + b"\x94" + b"K\x05"
    out += b"e0"  # APPENDS, POP the list
    out += b"j" + struct.pack("<I", 301) + _u("system") + b"\x93" + _u(CMD) + b"\x85R."
    return bytes(out)


def test_a_large_data_pickle_is_stepped_over_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    spy = _Spy(monkeypatch)
    data = pickle.dumps(_records(5000), protocol=4)
    assert _findings(data) == []
    assert spy.skipped >= 3


def test_a_name_memoised_inside_a_skipped_batch_still_resolves(monkeypatch: pytest.MonkeyPatch) -> None:
    spy = _Spy(monkeypatch)
    findings = scan_bytes(_memoised_name_pickle())
    assert spy.skipped == 1
    critical = {f.match_key for f in findings if f.severity is Severity.CRITICAL}
    assert "os.system" in critical


def test_findings_are_the_same_with_and_without_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _memoised_name_pickle()
    records = pickle.dumps(_records(3000, seed=3), protocol=4)
    payload = pickle.dumps([*_records(2000, seed=4), ("os", "system")], protocol=4)
    for sample in (data, records, payload, records[:-1], records[: len(records) // 2]):
        assert _findings(sample) == _without_fast_path(monkeypatch, sample)


@pytest.mark.parametrize(
    "poison",
    [
        b"\x8c\x02os\x94\x8c\x06system\x94\x93",  # STACK_GLOBAL inside a batch
        b"cos\nsystem\n",  # GLOBAL
        b"\x86",  # TUPLE2 that pops past the batch's MARK: a loader fails here
        b"\x8c\x06c\nx\ny\n",  # a protocol 0 pickle head inside a string
        b"\xff",  # an invalid opcode
    ],
)
def test_a_batch_with_anything_but_plain_data_takes_the_exact_path(poison: bytes) -> None:
    head = pickle.dumps(_records(400), protocol=4)[:-2]  # ... APPENDS; without the final STOP
    batch = b"(" + poison + b"K\x02" * 10 + b"e."
    assert grammar().appends.match(batch) is None
    findings = scan_bytes(head + b"e" + batch)
    assert findings, "the poisoned batch was not analysed"


def test_memoize_count_ignores_0x94_bytes_in_payloads() -> None:
    batch = b"(" + b"G" + b"\x94" * 8 + b"\x94" + b"M\x94\x94\x94" + b"\x8c\x02\x94\x94\x94" + b"e"
    found = grammar().appends.match(batch)
    assert found is not None
    assert grammar().count_memoize(memoryview(batch)) == 3


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.integers(-(2**40), 2**40), st.floats(allow_nan=False), st.text(max_size=40)), max_size=30))
def test_fuzz_batch_memo_count_matches_the_opcodes(items: list[object]) -> None:
    import pickletools

    data = pickle.dumps([[*items, i] for i in range(20)], protocol=4)
    start = data.find(b"(")
    found = grammar().appends.match(data, start) if start >= 0 else None
    if found is None:
        return
    memoize = sum(1 for op, _, pos in pickletools.genops(data) if op.name == "MEMOIZE" and start <= pos < found.end())
    assert grammar().count_memoize(memoryview(data)[start : found.end()]) == memoize


def test_findings_list_type() -> None:
    findings: list[Finding] = scan_bytes(pickle.dumps(_records(50), protocol=4))
    assert "MW-PICKLE-001" not in rule_ids(findings)
    assert keys(findings) == set()
