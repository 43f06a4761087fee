"""Digests, shards, the walk and the manifest values, with bounded fuzzing of the parsers."""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlwarden.integrity.bundle import pae, parse_bundle
from mlwarden.integrity.digest import CHUNK_SIZE, HashJob, hash_jobs, hash_range, shard_ranges
from mlwarden.integrity.keys import generate_keypair, load_private_key
from mlwarden.integrity.manifest import Resource, Serialization, invalid_name_reason
from mlwarden.integrity.mismatch import IntegrityError
from mlwarden.integrity.sign import hash_path, sign
from mlwarden.integrity.statement import read_statement
from mlwarden.integrity.verify import verify


def test_hash_range_matches_hashlib_across_chunk_boundaries(tmp_path: Path) -> None:
    data = os.urandom(CHUNK_SIZE * 2 + 123)
    path = tmp_path / "f"
    path.write_bytes(data)
    assert hash_range(path) == hashlib.sha256(data).digest()
    assert hash_range(path, 7, CHUNK_SIZE + 9) == hashlib.sha256(data[7 : CHUNK_SIZE + 9]).digest()
    with pytest.raises(OSError, match="changed while it was hashed"):
        hash_range(path, 0, len(data) + 1)


def test_parallel_results_keep_job_order(tmp_path: Path) -> None:
    files = []
    for size in (10, 50_000, 1, 3_000_000):
        path = tmp_path / f"f{size}"
        path.write_bytes(os.urandom(size))
        files.append(path)
    jobs = [HashJob(p) for p in files]
    assert hash_jobs(jobs, workers=4) == [hashlib.sha256(p.read_bytes()).digest() for p in files]


def test_parallel_hashing_of_many_small_jobs_matches_serial(tmp_path: Path) -> None:
    files = []
    for index in range(200):
        path = tmp_path / f"f{index:03d}"
        path.write_bytes(os.urandom(index * 37))
        files.append(path)
    jobs = [HashJob(p) for p in files] + [HashJob(files[-1], 5, 90)]
    expected = [hashlib.sha256(p.read_bytes()).digest() for p in files]
    expected.append(hashlib.sha256(files[-1].read_bytes()[5:90]).digest())
    assert hash_jobs(jobs, workers=3) == expected


def test_parallel_hashing_reports_an_unreadable_job(tmp_path: Path) -> None:
    present = tmp_path / "present"
    present.write_bytes(b"x" * 1000)
    jobs = [HashJob(present)] * 50 + [HashJob(tmp_path / "vanished")] + [HashJob(present)] * 50
    with pytest.raises(FileNotFoundError):
        hash_jobs(jobs, workers=2)


def test_shard_ranges_follow_model_signing() -> None:
    assert shard_ranges(0, 4) == []
    assert shard_ranges(8, 4) == [(0, 4), (4, 8)]
    assert shard_ranges(9, 4) == [(0, 4), (4, 8), (8, 9)]


def test_resources_sort_by_path_components_not_strings() -> None:
    names = [Resource(path=p, digest="00") for p in ("a.txt", "a/b", "a-b")]
    # model-signing sorts PurePosixPath objects, which compare by components: "a/b" before "a-b".
    assert [r.path for r in sorted(names)] == ["a/b", "a-b", "a.txt"]


def test_hash_json_lists_shards_and_ignores_git(model_dir: Path) -> None:
    manifest = hash_path(model_dir)
    data = manifest.to_json()
    assert data["serialization"]["method"] == "shards"
    assert {r["name"].rsplit(":", 2)[0] for r in data["resources"]} == {
        "config.json",
        "sub/weights.bin",
        "tokenizer.txt",
    }
    config = next(r for r in data["resources"] if r["name"].startswith("config.json"))
    assert config["digest"] == hashlib.sha256((model_dir / "config.json").read_bytes()).hexdigest()


def test_round_trip_single_file_and_directory_ed25519(tmp_path: Path, model_dir: Path) -> None:
    generate_keypair(tmp_path / "k.pem", tmp_path / "k.pub", algorithm="ed25519")
    assert (tmp_path / "k.pem").stat().st_mode & 0o777 == 0o600
    sign(model_dir / "config.json", private_key=tmp_path / "k.pem", signature=tmp_path / "file.sig")
    verify(model_dir / "config.json", public_key=tmp_path / "k.pub", signature=tmp_path / "file.sig")
    sign(model_dir, private_key=tmp_path / "k.pem", signature=tmp_path / "dir.sig")
    verify(model_dir, public_key=tmp_path / "k.pub", signature=tmp_path / "dir.sig")


def test_encrypted_private_key_needs_the_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mlwarden.core.errors import SigningError, UsageError

    monkeypatch.setenv("MLWARDEN_KEY_PASSWORD", "correct horse " + "battery")
    generate_keypair(tmp_path / "k.pem", tmp_path / "k.pub")
    assert b"ENCRYPTED" in (tmp_path / "k.pem").read_bytes()
    load_private_key(tmp_path / "k.pem")
    monkeypatch.delenv("MLWARDEN_KEY_PASSWORD")
    with pytest.raises(SigningError, match="decrypt"):
        load_private_key(tmp_path / "k.pem")
    with pytest.raises(UsageError, match="already exists"):
        generate_keypair(tmp_path / "k.pem", tmp_path / "k2.pub")


def test_sign_refuses_to_overwrite_the_artifact(model_dir: Path, keypair: tuple[Path, Path]) -> None:
    from mlwarden.core.errors import UsageError

    with pytest.raises(UsageError, match="overwrite the artifact"):
        sign(model_dir / "config.json", private_key=keypair[0], signature=model_dir / "config.json")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_name_validation_never_crashes(name: str) -> None:
    reason = invalid_name_reason(name)
    if reason is None and name != ".":
        assert ".." not in name.split("/") and not name.startswith("/")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_parse_bundle_fuzz(data: bytes) -> None:
    from mlwarden.integrity.mismatch import MalformedSignatureError

    with contextlib.suppress(MalformedSignatureError):
        parse_bundle(data, "fuzz.sig")


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
                    max_leaves=12))  # fmt: skip
def test_read_statement_fuzz(value: object) -> None:
    import json

    with contextlib.suppress(IntegrityError):
        read_statement(json.dumps(value).encode(), "fuzz.sig")


def test_pae_matches_the_dsse_spec_example() -> None:
    # https://github.com/secure-systems-lab/dsse/blob/v1.0.0/protocol.md#test-vectors
    assert pae("http://example.com/HelloWorld", b"hello world") == (
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )


def test_blake2_and_unknown_hash_types(model_dir: Path, keypair: tuple[Path, Path], tmp_path: Path) -> None:
    blake = Serialization(method="files", hash_type="blake2")
    sign(model_dir, private_key=keypair[0], signature=tmp_path / "b.sig", serialization=blake)
    verify(model_dir, public_key=keypair[1], signature=tmp_path / "b.sig")
    with pytest.raises(ValueError, match="unsupported hash"):
        hash_path(model_dir, serialization=Serialization(hash_type="blake3"))
