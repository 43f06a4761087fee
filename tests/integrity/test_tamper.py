"""Each way an artifact or its signature can be wrong gives one precise mismatch."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from tests.integrity.conftest import write_ec_pair

from mlwarden.integrity.bundle import make_bundle, sign_pae
from mlwarden.integrity.keys import load_private_key
from mlwarden.integrity.manifest import Manifest, Resource, Serialization
from mlwarden.integrity.mismatch import IntegrityError, MalformedSignatureError, MismatchKind
from mlwarden.integrity.sign import sign
from mlwarden.integrity.statement import build_statement
from mlwarden.integrity.verify import verify


def _mismatches(root: Path, public: Path, signature: Path) -> list[tuple[MismatchKind, str]]:
    with pytest.raises(IntegrityError) as caught:
        verify(root, public_key=public, signature=signature)
    return [(m.kind, m.path) for m in caught.value.mismatches]


@pytest.fixture
def signed(model_dir: Path, keypair: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path, Path]:
    private, public = keypair
    signature = tmp_path / "model.sig"
    sign(model_dir, private_key=private, signature=signature, serialization=Serialization(shard_size=1024))
    verify(model_dir, public_key=public, signature=signature)
    return model_dir, public, signature


def test_modified_missing_and_extra_are_all_reported(signed: tuple[Path, Path, Path]) -> None:
    root, public, signature = signed
    weights = root / "sub" / "weights.bin"
    data = bytearray(weights.read_bytes())
    data[5000] ^= 1
    weights.write_bytes(bytes(data))
    (root / "tokenizer.txt").unlink()
    (root / "extra.pkl").write_bytes(b"\x80\x04N.")
    assert _mismatches(root, public, signature) == [
        (MismatchKind.EXTRA, "extra.pkl"),
        (MismatchKind.MODIFIED, "sub/weights.bin"),
        (MismatchKind.MISSING, "tokenizer.txt"),
    ]


def test_modified_detail_names_the_shard(signed: tuple[Path, Path, Path]) -> None:
    root, public, signature = signed
    weights = root / "sub" / "weights.bin"
    data = bytearray(weights.read_bytes())
    data[5000] ^= 1
    weights.write_bytes(bytes(data))
    with pytest.raises(IntegrityError) as caught:
        verify(root, public_key=public, signature=signature)
    assert "bytes 4096-5120" in caught.value.mismatches[0].detail


@pytest.mark.parametrize("keep", [0, 100])
def test_truncated_file(signed: tuple[Path, Path, Path], keep: int) -> None:
    root, public, signature = signed
    weights = root / "sub" / "weights.bin"
    weights.write_bytes(weights.read_bytes()[:keep])
    with pytest.raises(IntegrityError) as caught:
        verify(root, public_key=public, signature=signature)
    (mismatch,) = caught.value.mismatches
    assert (mismatch.kind, mismatch.path) == (MismatchKind.MODIFIED, "sub/weights.bin")
    assert "truncated" in mismatch.detail


def test_symlink_escaping_the_root_is_never_followed(signed: tuple[Path, Path, Path], tmp_path: Path) -> None:
    root, public, signature = signed
    outside = tmp_path / "secret.txt"
    outside.write_text("outside", encoding="utf-8")
    (root / "link.txt").symlink_to(outside)
    assert _mismatches(root, public, signature) == [(MismatchKind.PATH_ESCAPE, "link.txt")]


def test_symlink_inside_root_refused_unless_allowed(
    model_dir: Path, keypair: tuple[Path, Path], tmp_path: Path
) -> None:
    private, public = keypair
    (model_dir / "alias.json").symlink_to(model_dir / "config.json")
    from mlwarden.core.errors import SigningError

    with pytest.raises(SigningError, match="symlink"):
        sign(model_dir, private_key=private, signature=tmp_path / "s.sig")
    sign(model_dir, private_key=private, signature=tmp_path / "s.sig", serialization=Serialization(allow_symlinks=True))
    assert "alias.json" in verify(model_dir, public_key=public, signature=tmp_path / "s.sig").manifest.files()


def _forge(private: Path, manifest: Manifest, out: Path) -> None:
    """A correctly signed bundle over a hand-made manifest (what a compromised signer could produce)."""
    key = load_private_key(private)
    payload = build_statement(manifest)
    out.write_bytes(make_bundle(payload, sign_pae(key, payload), key.public_key()))


@pytest.mark.parametrize("name", ["../outside.txt", "/etc/passwd", "sub/../../x", "C:/x"])
def test_manifest_path_escape_is_refused_before_reading(
    model_dir: Path, keypair: tuple[Path, Path], tmp_path: Path, name: str
) -> None:
    private, public = keypair
    manifest = Manifest("m", Serialization(method="files"), (Resource(path=name, digest="00" * 32),))
    _forge(private, manifest, tmp_path / "evil.sig")
    assert _mismatches(model_dir, public, tmp_path / "evil.sig") == [(MismatchKind.PATH_ESCAPE, name)]


def test_signature_spliced_from_another_manifest(signed: tuple[Path, Path, Path], tmp_path: Path) -> None:
    root, public, signature = signed
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.bin").write_bytes(b"x")
    private = public.with_suffix(".pem")
    sign(other, private_key=private, signature=tmp_path / "other.sig")
    ours, theirs = json.loads(signature.read_bytes()), json.loads((tmp_path / "other.sig").read_bytes())
    ours["dsseEnvelope"]["signatures"] = theirs["dsseEnvelope"]["signatures"]
    signature.write_text(json.dumps(ours), encoding="utf-8")
    assert _mismatches(root, public, signature) == [(MismatchKind.BAD_SIGNATURE, str(signature))]


def test_valid_signature_of_another_model(signed: tuple[Path, Path, Path], tmp_path: Path) -> None:
    root, public, _ = signed
    other = tmp_path / "other"
    other.mkdir()
    (other / "config.json").write_text("{}", encoding="utf-8")
    sign(other, private_key=public.with_suffix(".pem"), signature=tmp_path / "other.sig")
    kinds = {kind for kind, _ in _mismatches(root, public, tmp_path / "other.sig")}
    assert kinds == {MismatchKind.MODIFIED, MismatchKind.EXTRA}


def test_edited_payload_fails_the_signature(signed: tuple[Path, Path, Path]) -> None:
    root, public, signature = signed
    bundle = json.loads(signature.read_bytes())
    statement = json.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))
    statement["predicate"]["resources"] = statement["predicate"]["resources"][:-1]
    bundle["dsseEnvelope"]["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
    signature.write_text(json.dumps(bundle), encoding="utf-8")
    assert _mismatches(root, public, signature) == [(MismatchKind.BAD_SIGNATURE, str(signature))]


def test_wrong_key_is_untrusted(signed: tuple[Path, Path, Path], tmp_path: Path) -> None:
    root, _, signature = signed
    (tmp_path / "other").mkdir()
    _, other_public = write_ec_pair(tmp_path / "other")
    assert _mismatches(root, other_public, signature) == [(MismatchKind.UNTRUSTED_KEY, str(signature))]


def test_wrong_key_without_hint_is_a_bad_signature(signed: tuple[Path, Path, Path], tmp_path: Path) -> None:
    root, _, signature = signed
    bundle = json.loads(signature.read_bytes())
    del bundle["verificationMaterial"]["publicKey"]
    signature.write_text(json.dumps(bundle), encoding="utf-8")
    (tmp_path / "other").mkdir()
    _, other_public = write_ec_pair(tmp_path / "other")
    assert _mismatches(root, other_public, signature) == [(MismatchKind.BAD_SIGNATURE, str(signature))]


def _certificate(private: Path, out: Path, *, days_ago: int) -> Path:
    key = serialization.load_pem_private_key(private.read_bytes(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "model signer")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=days_ago + 30)).not_valid_after(now - dt.timedelta(days=days_ago))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    out.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return out


def test_expired_certificate_key(signed: tuple[Path, Path, Path], tmp_path: Path) -> None:
    root, public, signature = signed
    expired = _certificate(public.with_suffix(".pem"), tmp_path / "expired.crt", days_ago=1)
    assert _mismatches(root, expired, signature) == [(MismatchKind.EXPIRED_KEY, str(signature))]
    valid = _certificate(public.with_suffix(".pem"), tmp_path / "valid.crt", days_ago=-30)
    verify(root, public_key=valid, signature=signature)


@pytest.mark.parametrize(
    "content",
    [b"{", b"[]", b"\xff\xfe", b'{"mediaType": "application/vnd.dev.sigstore.bundle.v0.1+json"}',
     b'{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", "dsseEnvelope": {}}'],
)  # fmt: skip
def test_malformed_signature(model_dir: Path, keypair: tuple[Path, Path], tmp_path: Path, content: bytes) -> None:
    signature = tmp_path / "bad.sig"
    signature.write_bytes(content)
    with pytest.raises(MalformedSignatureError) as caught:
        verify(model_dir, public_key=keypair[1], signature=signature)
    assert caught.value.mismatches[0].kind is MismatchKind.MALFORMED


def test_special_file_is_unsupported(signed: tuple[Path, Path, Path]) -> None:
    root, public, signature = signed
    os.mkfifo(root / "pipe")
    assert _mismatches(root, public, signature) == [(MismatchKind.UNSUPPORTED, "pipe")]


def test_missing_signature_is_a_usage_error(model_dir: Path, keypair: tuple[Path, Path], tmp_path: Path) -> None:
    from mlwarden.core.errors import UsageError

    with pytest.raises(UsageError, match="signature not found"):
        verify(model_dir, public_key=keypair[1], signature=tmp_path / "nope.sig")
