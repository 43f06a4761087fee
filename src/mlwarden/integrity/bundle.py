"""The signature file: a Sigstore bundle (v0.3 JSON) holding a DSSE envelope over an in-toto statement.

This is the format OpenSSF model-signing v1.x writes for its private-key method, implemented here
with ``cryptography`` only:

- ``mediaType`` ``application/vnd.dev.sigstore.bundle.v0.3+json``;
- ``verificationMaterial.publicKey.hint``: SHA-256 (hex) of the signer's PEM SubjectPublicKeyInfo,
  with an empty ``tlogEntries`` (no transparency log for key-based signatures);
- ``dsseEnvelope``: base64 ``payload`` (the statement JSON), ``payloadType``
  ``application/vnd.in-toto+json`` and one signature, base64, over the DSSE pre-authentication
  encoding (PAE) of the payload. ECDSA signatures are DER, with SHA-256/384/512 by curve size.

See https://github.com/secure-systems-lab/dsse/blob/v1.0.0/protocol.md for PAE.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from mlwarden.integrity.keys import PrivateKey, PublicKey, ec_hash, key_hint
from mlwarden.integrity.mismatch import MalformedSignatureError

__all__ = [
    "BUNDLE_MEDIA_TYPE",
    "MAX_BUNDLE_BYTES",
    "PAYLOAD_TYPE",
    "Envelope",
    "make_bundle",
    "pae",
    "parse_bundle",
    "sign_pae",
    "verify_pae",
]

BUNDLE_MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json"
PAYLOAD_TYPE = "application/vnd.in-toto+json"
MAX_BUNDLE_BYTES = 256 << 20
"""A bundle lists one line per file or shard; 256 MiB is millions of entries and still bounded."""


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding: what is actually signed (lengths are in bytes)."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(kind), kind, len(payload), payload)


def sign_pae(key: PrivateKey, payload: bytes) -> bytes:
    """Sign the PAE of an in-toto payload: ECDSA (DER) with the curve's SHA-2, or pure Ed25519."""
    message = pae(PAYLOAD_TYPE, payload)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(message, ec.ECDSA(ec_hash(key.public_key())))
    return key.sign(message)


def verify_pae(key: PublicKey, payload_type: str, payload: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is ``key``'s signature over the PAE of ``payload``."""
    message = pae(payload_type, payload)
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, message, ec.ECDSA(ec_hash(key)))
        elif isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, message)
        else:  # pragma: no cover - keys.load_public_key admits only the two types
            return False
    except InvalidSignature:
        return False
    return True


def make_bundle(payload: bytes, signature: bytes, public_key: PublicKey) -> bytes:
    """The bundle JSON (compact, as model-signing writes it)."""
    bundle = {
        "mediaType": BUNDLE_MEDIA_TYPE,
        "verificationMaterial": {"publicKey": {"hint": key_hint(public_key)}, "tlogEntries": []},
        "dsseEnvelope": {
            "payload": base64.b64encode(payload).decode("ascii"),
            "payloadType": PAYLOAD_TYPE,
            "signatures": [{"sig": base64.b64encode(signature).decode("ascii"), "keyid": ""}],
        },
    }
    return json.dumps(bundle, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True, slots=True)
class Envelope:
    """What a bundle carries: the signed payload, its type, the signatures and the signer's key hint."""

    payload_type: str
    payload: bytes
    signatures: tuple[bytes, ...]
    hint: str | None


def _field(obj: object, key: str, where: str, path: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise MalformedSignatureError(path, f"missing {where}{key}")
    return obj[key]


def _b64(text: object, what: str, path: str) -> bytes:
    if not isinstance(text, str):
        raise MalformedSignatureError(path, f"{what} is not a base64 string")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise MalformedSignatureError(path, f"{what} is not valid base64") from None


def parse_bundle(data: bytes, path: str) -> Envelope:
    """Read a bundle's envelope; anything unexpected raises ``MalformedSignatureError`` naming the field."""
    try:
        bundle = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedSignatureError(path, f"not JSON ({exc})") from None
    media_type = _field(bundle, "mediaType", "", path)
    if media_type != BUNDLE_MEDIA_TYPE:
        raise MalformedSignatureError(path, f"unsupported bundle media type {media_type!r}")
    envelope = _field(bundle, "dsseEnvelope", "", path)
    payload_type = _field(envelope, "payloadType", "dsseEnvelope.", path)
    payload = _b64(_field(envelope, "payload", "dsseEnvelope.", path), "dsseEnvelope.payload", path)
    raw_signatures = _field(envelope, "signatures", "dsseEnvelope.", path)
    if not isinstance(raw_signatures, list) or not raw_signatures:
        raise MalformedSignatureError(path, "dsseEnvelope.signatures is empty")
    signatures = tuple(_b64(_field(s, "sig", "signature.", path), "signature", path) for s in raw_signatures)
    material = _field(bundle, "verificationMaterial", "", path)
    public_key = material.get("publicKey") if isinstance(material, dict) else None
    hint = public_key.get("hint") if isinstance(public_key, dict) else None
    if not isinstance(payload_type, str) or (hint is not None and not isinstance(hint, str)):
        raise MalformedSignatureError(path, "payloadType or publicKey.hint is not a string")
    return Envelope(payload_type, payload, signatures, hint or None)
