"""The robust zip reader: every candidate listed, anomalies reported, members streamed within limits."""

from __future__ import annotations

import contextlib
import io
import struct
import warnings
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlwarden.artifacts.limits import Budget
from mlwarden.core.errors import BudgetExceeded
from mlwarden.scanners.zipread import ZipListing, ZipReadError, open_member, read_listing


def make_zip(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_STORED, **kw: object) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compression) as archive:
        warnings.simplefilter("ignore", UserWarning)
        for name, data in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = compression
            with archive.open(info, "w", **kw) as handle:  # type: ignore[arg-type]
                handle.write(data)
    return buffer.getvalue()


def listing(data: bytes, budget: Budget | None = None) -> ZipListing:
    budget = budget or Budget()
    return read_listing(io.BytesIO(data), len(data), budget, budget.deadline())


def read_all(data: bytes, index: int = 0, budget: Budget | None = None) -> tuple[bytes, bool | None]:
    budget = budget or Budget()
    stream = io.BytesIO(data)
    entry = read_listing(stream, len(data), budget, budget.deadline()).entries[index]
    raw, member = open_member(stream, entry, budget)
    content = member.read()
    return content, raw.crc_ok


def kinds(result: ZipListing) -> set[str]:
    return {issue.kind for issue in result.issues}


def test_plain_archive_has_no_issues() -> None:
    data = make_zip([("a/x", b"hello"), ("a/y", b"world" * 100)], zipfile.ZIP_DEFLATED)
    result = listing(data)
    assert [e.name for e in result.entries] == ["a/x", "a/y"]
    assert result.issues == []
    assert read_all(data, 1) == (b"world" * 100, True)


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_methods_and_crc_mismatch_are_read_anyway(compression: int) -> None:
    data = bytearray(make_zip([("m", b"payload" * 50)], compression))
    for sig, at in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):
        pos = data.find(sig)
        data[pos + at : pos + at + 4] = b"\x01\x02\x03\x04"
    assert read_all(bytes(data)) == (b"payload" * 50, False)


def test_zip64_records_are_followed() -> None:
    data = make_zip([("big", b"z" * 1000)], force_zip64=True)
    result = listing(data)
    assert result.issues == []
    assert read_all(data) == (b"z" * 1000, True)


def test_duplicate_names_both_listed_case_insensitive() -> None:
    result = listing(make_zip([("a/data.pkl", b"1"), ("A/DATA.PKL", b"2")]))
    assert len(result.entries) == 2
    assert "duplicate" in kinds(result)


def test_local_flag_and_name_mismatch() -> None:
    data = bytearray(make_zip([("a/data.pkl", b"x")]))
    data[6:8] = struct.pack("<H", 0x20)  # "compressed patch" flag in the local header only: zipfile raises
    data[30:31] = b"b"
    result = listing(bytes(data))
    assert "header-mismatch" in kinds(result)
    assert read_all(bytes(data))[0] == b"x"


def test_prepended_bytes_use_both_offset_bases() -> None:
    data = b"#!/bin/sh\nexit 0\n" + make_zip([("a/x", b"data")])
    result = listing(data)
    assert "prefix" in kinds(result)
    readable = [e for e in result.entries if e.data_offset >= 0]
    assert [e.name for e in readable] == ["a/x"]


def test_encrypted_flag_is_reported() -> None:
    data = bytearray(make_zip([("a/x", b"data")]))
    cd = data.find(b"PK\x01\x02")
    data[cd + 8 : cd + 10] = struct.pack("<H", 1)
    data[6:8] = struct.pack("<H", 1)
    assert "encrypted" in kinds(listing(bytes(data)))


def test_no_end_record_is_an_error() -> None:
    with pytest.raises(ZipReadError):
        listing(b"PK\x03\x04" + b"\0" * 100)


def test_member_count_limit() -> None:
    data = make_zip([(f"m{i}", b"") for i in range(20)])
    with pytest.raises(BudgetExceeded):
        listing(data, Budget(max_archive_members=5))


def test_decompression_bomb_is_stopped() -> None:
    data = make_zip([("bomb", b"\0" * (40 << 20))], zipfile.ZIP_DEFLATED)
    with pytest.raises(BudgetExceeded) as info:
        read_all(data)
    assert info.value.resource == "compression_ratio"


def test_member_size_limit() -> None:
    data = make_zip([("m", b"\1" * 5000)])
    with pytest.raises(BudgetExceeded):
        read_all(data, budget=Budget(max_member_bytes=1000))


def test_seek_backwards_restarts_and_forward_skips() -> None:
    payload = bytes(range(256)) * 600
    data = make_zip([("m", payload)], zipfile.ZIP_DEFLATED)
    stream = io.BytesIO(data)
    budget = Budget()
    entry = listing(data).entries[0]
    _, member = open_member(stream, entry, budget)
    member.seek(100_000)
    assert member.read(4) == payload[100_000:100_004]
    member.seek(10)
    assert member.read(3) == payload[10:13]


_METHODS = st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])


@settings(max_examples=150, deadline=None)
@given(
    data=st.binary(max_size=600),
    cut=st.integers(0, 300),
    flip=st.integers(0, 600),
    value=st.integers(0, 255),
    method=_METHODS,
)
def test_fuzz_listing_and_reading(data: bytes, cut: int, flip: int, value: int, method: int) -> None:
    base = bytearray(make_zip([("a/data.pkl", b"\x80\x02N."), ("a/b", data)], method))
    base[flip % len(base)] = value
    mutated = bytes(base[: len(base) - cut])
    budget = Budget(max_member_bytes=1 << 20)
    with contextlib.suppress(ZipReadError, BudgetExceeded):
        stream = io.BytesIO(mutated)
        for entry in read_listing(stream, len(mutated), budget, budget.deadline()).entries:
            with contextlib.suppress(ZipReadError):
                open_member(stream, entry, budget)[1].read()
