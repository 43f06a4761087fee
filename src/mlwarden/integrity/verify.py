"""Verify a model or dataset against its signature; fail closed with every mismatch listed.

Order of checks, each one a gate for the next: the bundle parses; the key hint names the key we
trust; the key is within its certificate's validity window (when given a certificate); the signature
verifies over the payload; the statement is well formed, consistent and names no path outside the
root; only then is the tree read and compared, file by file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlwarden.core.errors import UsageError
from mlwarden.core.files import read_regular
from mlwarden.integrity.bundle import MAX_BUNDLE_BYTES, PAYLOAD_TYPE, Envelope, parse_bundle, verify_pae
from mlwarden.integrity.keys import TrustedKey, load_public_key
from mlwarden.integrity.manifest import Manifest, Resource
from mlwarden.integrity.mismatch import IntegrityError, MalformedSignatureError, Mismatch, MismatchKind
from mlwarden.integrity.sign import DEFAULT_SIGNATURE, signature_ignore
from mlwarden.integrity.statement import read_statement
from mlwarden.integrity.tree import hash_tree

__all__ = ["Verified", "compare_manifests", "verify"]


@dataclass(frozen=True, slots=True)
class Verified:
    """A successful verification: the signed manifest, the signer's key hint and the signed attestation."""

    root: Path
    signature: Path
    manifest: Manifest
    key_hint: str
    attestation: Mapping[str, Any] | None


def _read_signature(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BUNDLE_BYTES:
            raise MalformedSignatureError(str(path), f"{size} bytes is larger than any bundle we accept")
        return read_regular(path, max_bytes=MAX_BUNDLE_BYTES)
    except FileNotFoundError:
        raise UsageError(
            f"signature not found: {path}", hint="pass --signature (default: model.sig in the current directory)"
        ) from None
    except OSError as exc:
        raise UsageError(f"cannot read the signature {path}: {exc.strerror}", hint="check the path") from None


def _check_key(envelope: Envelope, trusted: TrustedKey, where: str, now: dt.datetime) -> None:
    if envelope.payload_type != PAYLOAD_TYPE:
        raise MalformedSignatureError(where, f"unsupported DSSE payload type {envelope.payload_type!r}")
    if envelope.hint is not None and envelope.hint != trusted.hint:
        detail = f"signed by another key (key hint {envelope.hint[:16]}…, trusted key {trusted.hint[:16]}…)"
        raise IntegrityError([Mismatch(MismatchKind.UNTRUSTED_KEY, where, detail)])
    if trusted.not_after is not None and now > trusted.not_after:
        detail = f"the trusted key's certificate expired on {trusted.not_after.isoformat()}"
        raise IntegrityError([Mismatch(MismatchKind.EXPIRED_KEY, where, detail)])
    if trusted.not_before is not None and now < trusted.not_before:
        detail = f"the trusted key's certificate is not valid before {trusted.not_before.isoformat()}"
        raise IntegrityError([Mismatch(MismatchKind.EXPIRED_KEY, where, detail)])
    if not any(verify_pae(trusted.key, envelope.payload_type, envelope.payload, s) for s in envelope.signatures):
        detail = "the signature does not verify with the trusted key (payload or signature was altered)"
        if envelope.hint is None:
            detail = "the signature does not verify with the trusted key (wrong key, or altered payload)"
        raise IntegrityError([Mismatch(MismatchKind.BAD_SIGNATURE, where, detail)])


def _describe(expected: list[Resource], actual: list[Resource], sharded: bool) -> str:
    if not sharded:
        return f"content differs (sha256 {expected[0].digest[:16]}… signed, {actual[0].digest[:16]}… now)"
    signed_size = expected[-1].end or 0
    size = (actual[-1].end or 0) if actual else 0
    if size != signed_size:
        change = "truncated" if size < signed_size else "grew"
        return f"size changed from {signed_size} to {size} bytes ({change})"
    differing = [e for e, a in zip(expected, actual, strict=False) if e.digest != a.digest]
    first = differing[0] if differing else expected[0]
    return f"content differs in {len(differing)} shard(s), first at bytes {first.start}-{first.end}"


def compare_manifests(expected: Manifest, actual: Manifest) -> list[Mismatch]:
    """Every file that is modified, missing or unexpected, by path (shards grouped per file)."""
    signed, present = expected.files(), actual.files()
    sharded = expected.serialization.method == "shards"
    mismatches: list[Mismatch] = []
    for path in sorted(signed.keys() | present.keys()):
        want, have = signed.get(path), present.get(path)
        if want is None:
            mismatches.append(Mismatch(MismatchKind.EXTRA, path, "file is not in the signed manifest"))
        elif have is None:
            mismatches.append(Mismatch(MismatchKind.MISSING, path, "signed file is missing"))
        elif [(r.name, r.digest) for r in want] != [(r.name, r.digest) for r in have]:
            mismatches.append(Mismatch(MismatchKind.MODIFIED, path, _describe(want, have, sharded)))
    return mismatches


def _compare_tree(root: Path, manifest: Manifest, signature: Path, workers: int | None) -> list[Mismatch]:
    ignore = signature_ignore(root, signature)
    try:
        actual, problems = hash_tree(root, manifest.serialization, extra_ignores=[ignore] if ignore else [],
                                     workers=workers)  # fmt: skip
    except ValueError as exc:
        return [Mismatch(MismatchKind.UNSUPPORTED, str(signature), str(exc))]
    except OSError as exc:
        return [Mismatch(MismatchKind.MODIFIED, str(root), f"a file changed or vanished while hashing: {exc}")]
    reported = {p.path for p in problems}
    mismatches = [_emptied(root, m) for m in compare_manifests(manifest, actual) if m.path not in reported]
    return [*problems, *mismatches]


def _emptied(root: Path, mismatch: Mismatch) -> Mismatch:
    # A shard manifest cannot list an empty file, so a signed file truncated to 0 bytes looks "missing".
    if mismatch.kind is not MismatchKind.MISSING or not root.is_dir():
        return mismatch
    candidate = root / mismatch.path
    if candidate.is_file() and not candidate.is_symlink() and candidate.stat().st_size == 0:
        return Mismatch(MismatchKind.MODIFIED, mismatch.path, "truncated to 0 bytes")
    return mismatch


def verify(
    path: str | Path,
    *,
    public_key: Path | TrustedKey,
    signature: str | Path | None = None,
    workers: int | None = None,
    now: dt.datetime | None = None,
) -> Verified:
    """Verify ``path`` against ``signature`` (default ``model.sig``) made by the holder of ``public_key``.

    Returns ``Verified`` only when every file matches; otherwise raises ``IntegrityError`` (a
    ``VerificationError``) listing each mismatch, or ``UsageError`` when an input cannot be read.
    """
    root = Path(path)
    if not root.exists() and not root.is_symlink():
        raise UsageError(f"path does not exist: {root}", hint="check the path and try again")
    signature_path = Path(signature) if signature is not None else DEFAULT_SIGNATURE
    trusted = load_public_key(public_key) if isinstance(public_key, Path) else public_key
    where = str(signature_path)
    envelope = parse_bundle(_read_signature(signature_path), where)
    _check_key(envelope, trusted, where, now or dt.datetime.now(dt.UTC))
    manifest, attestation = read_statement(envelope.payload, where)
    mismatches = _compare_tree(root, manifest, signature_path, workers)
    if mismatches:
        raise IntegrityError(mismatches)
    return Verified(root, signature_path, manifest, trusted.hint, attestation)
