"""Signing keys: generate, write safely, load, and identify.

ECDSA P-256 is the default because it is what OpenSSF model-signing's private-key method accepts
(P-256, P-384 and P-521, each with the SHA-2 hash of its size). Ed25519 is offered for our own
format; model-signing 1.1.1 rejects Ed25519 keys, so its verifier cannot check those signatures.

A private key is written with mode 0600 and never overwritten. It is encrypted when the environment
variable ``MLWARDEN_KEY_PASSWORD`` is set (an argument would leak into shell history and ``ps``).
A public key may also be given as an X.509 certificate, whose validity period is then enforced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from mlwarden.core.errors import SigningError, UsageError
from mlwarden.core.files import read_regular

__all__ = [
    "KEY_ALGORITHMS",
    "PASSWORD_ENV",
    "KeyAlgorithm",
    "PrivateKey",
    "PublicKey",
    "TrustedKey",
    "ec_hash",
    "generate_keypair",
    "key_hint",
    "load_private_key",
    "load_public_key",
]

PASSWORD_ENV = "MLWARDEN_KEY_PASSWORD"  # noqa: S105 - the variable name, not a password
KEY_ALGORITHMS = ("ecdsa-p256", "ecdsa-p384", "ed25519")
KeyAlgorithm = Literal["ecdsa-p256", "ecdsa-p384", "ed25519"]
PrivateKey = ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
PublicKey = ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey

_CURVES = {"secp256r1", "secp384r1", "secp521r1"}
_MAX_KEY_FILE = 1 << 20


@dataclass(frozen=True, slots=True)
class TrustedKey:
    """A verification key and, when it came from a certificate, the certificate's validity window."""

    key: PublicKey
    not_before: dt.datetime | None = None
    not_after: dt.datetime | None = None

    @property
    def hint(self) -> str:
        """The key identifier written in bundles: SHA-256 of the key's SubjectPublicKeyInfo PEM."""
        return key_hint(self.key)


def ec_hash(key: ec.EllipticCurvePublicKey) -> hashes.HashAlgorithm:
    """The hash model-signing pairs with each curve: SHA-256, SHA-384 or SHA-512 by key size."""
    sizes: dict[int, hashes.HashAlgorithm] = {256: hashes.SHA256(), 384: hashes.SHA384(), 521: hashes.SHA512()}
    return sizes[key.curve.key_size]


def key_hint(key: PublicKey) -> str:
    """SHA-256 (hex) of the public key as PEM SubjectPublicKeyInfo, as model-signing computes it."""
    pem = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(pem).hexdigest()


def _check_curve(key: ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey, source: Path) -> None:
    if key.curve.name not in _CURVES:
        raise UsageError(f"{source}: unsupported curve {key.curve.name}", hint="use P-256, P-384 or P-521")


def _as_private(key: object, source: Path) -> PrivateKey:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        _check_curve(key, source)
        return key
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key
    raise UsageError(f"{source}: unsupported key type {type(key).__name__}", hint="use ECDSA or Ed25519 keys")


def _as_public(key: object, source: Path) -> PublicKey:
    if isinstance(key, ec.EllipticCurvePublicKey):
        _check_curve(key, source)
        return key
    if isinstance(key, ed25519.Ed25519PublicKey):
        return key
    raise UsageError(f"{source}: unsupported key type {type(key).__name__}", hint="use ECDSA or Ed25519 keys")


def _read(path: Path, what: str) -> bytes:
    try:
        if path.stat().st_size > _MAX_KEY_FILE:
            raise UsageError(f"{path}: too large to be a {what}", hint="pass a PEM file")
        return read_regular(path, max_bytes=_MAX_KEY_FILE)
    except OSError as exc:
        raise UsageError(f"cannot read the {what} {path}: {exc.strerror}", hint="check the path") from None


def _password() -> bytes | None:
    value = os.environ.get(PASSWORD_ENV)
    return value.encode("utf-8") if value else None


def generate_keypair(private_path: Path, public_path: Path, *, algorithm: KeyAlgorithm = "ecdsa-p256") -> str:
    """Write a new key pair (private 0600, never overwriting); return the public key's hint."""
    key: PrivateKey
    if algorithm == "ed25519":
        key = ed25519.Ed25519PrivateKey.generate()
    elif algorithm in ("ecdsa-p256", "ecdsa-p384"):
        key = ec.generate_private_key(ec.SECP256R1() if algorithm == "ecdsa-p256" else ec.SECP384R1())
    else:
        raise UsageError(f"unknown key algorithm {algorithm!r}", hint=f"choose one of {', '.join(KEY_ALGORITHMS)}")
    password = _password()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    )
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    for path in (private_path, public_path):
        if path.exists() or path.is_symlink():
            raise UsageError(f"{path} already exists", hint="choose new paths; keys are never overwritten")
    _write_new(private_path, private_pem, mode=0o600)
    _write_new(public_path, public_pem, mode=0o644)
    return key_hint(key.public_key())


def _write_new(path: Path, data: bytes, *, mode: int) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}", hint="choose a writable path") from None


def load_private_key(path: Path) -> PrivateKey:
    """Load a PEM private key (decrypting it with ``MLWARDEN_KEY_PASSWORD`` when it is encrypted)."""
    data = _read(path, "private key")
    try:
        key = serialization.load_pem_private_key(data, password=_password())
    except TypeError as exc:
        hint = f"set {PASSWORD_ENV} to the key's password" if "encrypted" in str(exc) else "check the key file"
        raise SigningError(f"{path}: cannot decrypt the private key ({exc})", hint=hint) from None
    except ValueError as exc:
        raise SigningError(
            f"{path}: not a usable PEM private key ({exc})", hint="generate one with 'mlwarden keygen'"
        ) from None
    return _as_private(key, path)


def load_public_key(path: Path) -> TrustedKey:
    """Load a PEM public key, or an X.509 certificate (whose validity window is kept for verification)."""
    data = _read(path, "public key")
    if b"-----BEGIN CERTIFICATE-----" in data:
        try:
            cert = x509.load_pem_x509_certificate(data)
        except ValueError as exc:
            raise UsageError(f"{path}: unreadable certificate ({exc})", hint="pass a PEM certificate") from None
        return TrustedKey(_as_public(cert.public_key(), path), cert.not_valid_before_utc, cert.not_valid_after_utc)
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise UsageError(
            f"{path}: not a PEM public key ({exc})", hint="pass the .pub file from 'mlwarden keygen'"
        ) from None
    return TrustedKey(_as_public(key, path))
