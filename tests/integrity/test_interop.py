"""Interoperability with OpenSSF model-signing 1.1.1 (private-key method), in both directions.

A model we sign verifies with model-signing's verifier, one model-signing signs verifies with ours,
and model-signing's verifier still accepts our bundles when they carry the scan attestation.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integrity.model_signing_compat import load_model_signing

from mlwarden.integrity.manifest import Serialization
from mlwarden.integrity.mismatch import IntegrityError, MismatchKind
from mlwarden.integrity.sign import hash_path, sign
from mlwarden.integrity.verify import verify

ms = load_model_signing()


@pytest.fixture
def in_model(model_dir: Path) -> Iterator[Path]:
    """Run inside the model directory, as the model-signing CLI is used (``model.sig`` lands inside)."""
    previous = Path.cwd()
    os.chdir(model_dir)
    try:
        yield model_dir
    finally:
        os.chdir(previous)


def _their_verify(model: Path, signature: Path, public: Path) -> None:
    ms.verifying.Config().use_elliptic_key_verifier(public_key=public).verify(model, signature)


def _their_sign(model: Path, signature: Path, private: Path, *, shards: bool = False) -> None:
    hashing = ms.hashing.Config().set_ignored_paths(paths=[signature.name])
    if shards:
        hashing = hashing.use_shard_serialization(shard_size=1000)
    ms.signing.Config().use_elliptic_key_signer(private_key=private).set_hashing_config(hashing).sign(model, signature)


@pytest.mark.parametrize(
    "serialization",
    [Serialization(), Serialization(method="files"), Serialization(shard_size=1000)],
    ids=["shards-default", "files", "shards-1000"],
)
def test_ours_verifies_with_model_signing(
    in_model: Path, keypair: tuple[Path, Path], serialization: Serialization
) -> None:
    private, public = keypair
    signed = sign(in_model, private_key=private, signature=in_model / "model.sig", serialization=serialization)
    assert "model.sig" in signed.manifest.serialization.ignore_paths
    _their_verify(in_model, in_model / "model.sig", public)


def test_ours_with_default_signature_location_verifies_with_model_signing(
    in_model: Path, keypair: tuple[Path, Path]
) -> None:
    private, public = keypair
    signed = sign(".", private_key=private)  # model.sig in the current directory, as model-signing does
    assert signed.signature == Path("model.sig")
    _their_verify(Path("."), Path("model.sig"), public)
    verify(".", public_key=public)


@pytest.mark.parametrize("shards", [False, True], ids=["files", "shards"])
def test_model_signing_signature_verifies_with_ours(in_model: Path, keypair: tuple[Path, Path], shards: bool) -> None:
    private, public = keypair
    _their_sign(Path("."), Path("model.sig"), private, shards=shards)
    verified = verify(".", public_key=public)
    assert verified.manifest.serialization.method == ("shards" if shards else "files")
    assert set(verified.manifest.files()) == {"config.json", "sub/weights.bin", "tokenizer.txt"}


def test_model_signing_signature_detects_tampering_with_ours(in_model: Path, keypair: tuple[Path, Path]) -> None:
    private, public = keypair
    _their_sign(Path("."), Path("model.sig"), private)
    (in_model / "tokenizer.txt").write_text("a b c d\n", encoding="utf-8")
    with pytest.raises(IntegrityError) as caught:
        verify(".", public_key=public)
    assert [(m.kind, m.path) for m in caught.value.mismatches] == [(MismatchKind.MODIFIED, "tokenizer.txt")]


def test_root_digest_matches_model_signing_for_files(model_dir: Path) -> None:
    ours = hash_path(model_dir, serialization=Serialization(method="files"))
    theirs = ms.hashing.Config().hash(model_dir)
    assert [(r.name, r.digest) for r in ours.resources] == [
        (d.identifier, d.digest.digest_hex) for d in theirs.resource_descriptors()
    ]


def test_single_file_both_directions(tmp_path: Path, keypair: tuple[Path, Path]) -> None:
    private, public = keypair
    weights = tmp_path / "weights.safetensors"
    weights.write_bytes(os.urandom(5000))
    sign(weights, private_key=private, signature=tmp_path / "ours.sig")
    _their_verify(weights, tmp_path / "ours.sig", public)
    ms.signing.Config().use_elliptic_key_signer(private_key=private).sign(weights, tmp_path / "theirs.sig")
    assert verify(weights, public_key=public, signature=tmp_path / "theirs.sig").manifest.resources[0].path == "."


def test_model_signing_accepts_the_scan_attestation(in_model: Path, keypair: tuple[Path, Path]) -> None:
    private, public = keypair
    signed = sign(in_model, private_key=private, signature=in_model / "model.sig", scan=True)
    assert signed.attestation is not None and signed.attestation["passed"] is True
    _their_verify(in_model, in_model / "model.sig", public)
    assert verify(in_model, public_key=public, signature=in_model / "model.sig").attestation == signed.attestation


def test_model_signing_rejects_our_ed25519_signature(tmp_path: Path, model_dir: Path) -> None:
    """Documented limit: model-signing 1.1.1 accepts only EC keys, so Ed25519 bundles are ours alone."""
    from mlwarden.integrity.keys import generate_keypair

    generate_keypair(tmp_path / "ed.pem", tmp_path / "ed.pub", algorithm="ed25519")
    sign(model_dir, private_key=tmp_path / "ed.pem", signature=tmp_path / "ed.sig")
    verify(model_dir, public_key=tmp_path / "ed.pub", signature=tmp_path / "ed.sig")
    with pytest.raises((ValueError, AttributeError)):  # it fails on the key type, one way or another
        _their_verify(model_dir, tmp_path / "ed.sig", tmp_path / "ed.pub")
