"""Hypothesis: sniffing and walking never raise and always end, whatever the bytes."""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.artifacts.conftest import run_walk
from tests.factories.archives import deep_nested_zip, gzip_bytes, tar_bytes, zip_bytes

from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.headparse import parse_pickle_head, parse_proto_fields
from mlwarden.artifacts.limits import Budget
from mlwarden.artifacts.sniff import sniff

NAMES = st.sampled_from(["model.pkl", "x.zip", "saved_model.pb", "m.onnx", ".env", "requirements.txt", "a", "d.csv"])
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEEDS = [
    zip_bytes([("a/data.pkl", pickle.dumps([1, 2])), ("b.txt", b"hello\n")]),
    tar_bytes([("a.txt", b"hello\n"), ("inner.zip", zip_bytes([("x.pkl", pickle.dumps(1))]))]),
    gzip_bytes(tar_bytes([("x.txt", b"x" * 3000)])),
    deep_nested_zip(4),
    pickle.dumps({"a": [1, 2, 3]}, protocol=0),
]
SMALL = Budget(max_archive_depth=3, max_archive_members=50, max_member_bytes=1 << 20, max_total_extracted_bytes=4 << 20)


@FUZZ
@given(data=st.binary(max_size=4096), name=NAMES, extra=st.integers(min_value=0, max_value=1 << 20))
def test_sniff_never_raises(data: bytes, name: str, extra: int) -> None:
    assert isinstance(sniff(data, name=name, size=len(data) + extra), Format)
    parse_pickle_head(data)
    parse_proto_fields(data, truncated=bool(extra))


@FUZZ
@given(
    prefix=st.sampled_from([b"\x80\x04", b"(", b"PK\x03\x04", b"\x08\x01", b"GGUF", b"\x1f\x8b\x08", b"{"]),
    rest=st.binary(max_size=2048),
)
def test_sniff_never_raises_on_magic_prefixes(prefix: bytes, rest: bytes) -> None:
    data = prefix + rest
    assert isinstance(sniff(data, name="x", size=len(data)), Format)


def _walk_one(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        walked = run_walk([path], SMALL)
        for artifact in walked.artifacts:
            with artifact.open() as stream:
                stream.read(64)
        assert walked.artifacts or walked.errors or walked.findings


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=4096), name=NAMES)
def test_walk_over_arbitrary_bytes_never_raises(data: bytes, name: str) -> None:
    _walk_one(data, name)


@settings(max_examples=120, deadline=None)
@given(
    seed=st.sampled_from(SEEDS),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
    cut=st.floats(0.05, 1.0),
)
def test_walk_over_mutated_archives_never_raises(seed: bytes, flips: list[tuple[float, int]], cut: float) -> None:
    data = bytearray(seed)
    for where, value in flips:
        data[int(where * len(data))] = value
    _walk_one(bytes(data[: max(1, int(len(data) * cut))]), "fuzz.bin")
