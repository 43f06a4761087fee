"""Hash a model or dataset and sign its manifest, in the format OpenSSF model-signing reads.

``sign()`` refuses a tree it cannot vouch for (a symlink, a link out of the root, a special file), and
with ``scan=True`` refuses an artifact whose scan has findings at or above ``fail_on``; the scan
summary then travels inside the signed statement (see ``integrity.statement``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mlwarden.core.errors import SigningError, UsageError
from mlwarden.core.files import write_atomic
from mlwarden.core.findings import Severity
from mlwarden.integrity.bundle import make_bundle, sign_pae
from mlwarden.integrity.keys import PrivateKey, key_hint, load_private_key
from mlwarden.integrity.manifest import Manifest, Serialization
from mlwarden.integrity.mismatch import Mismatch
from mlwarden.integrity.statement import build_statement
from mlwarden.integrity.tree import hash_tree

__all__ = ["DEFAULT_SIGNATURE", "SignedArtifact", "hash_path", "sign", "signature_ignore"]

DEFAULT_SIGNATURE = Path("model.sig")
"""model-signing's default: ``model.sig`` in the current directory (ignored when it lies inside the root)."""


@dataclass(frozen=True, slots=True)
class SignedArtifact:
    """What was signed: the manifest, where the signature went, the signer's key hint and any attestation."""

    root: Path
    signature: Path
    manifest: Manifest
    key_hint: str
    attestation: Mapping[str, Any] | None = None


def signature_ignore(root: Path, signature: Path) -> str | None:
    """The signature's POSIX path relative to a root directory when it lies inside it, else ``None``."""
    if not root.is_dir():
        return None
    try:
        rel = signature.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    return rel.as_posix()


def _refuse(problems: list[Mismatch]) -> SigningError:
    lines = "; ".join(p.display() for p in problems[:5])
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return SigningError(
        f"refusing to hash a tree that cannot be trusted: {lines}{more}",
        hint="remove symlinks and special files, or pass --allow-symlinks for links that stay inside the root",
    )


def hash_path(
    path: Path,
    *,
    serialization: Serialization | None = None,
    signature: Path | None = None,
    workers: int | None = None,
) -> Manifest:
    """The manifest of a file or directory; raises ``SigningError`` on symlinks, escapes and special files."""
    if not path.exists():
        raise UsageError(f"path does not exist: {path}", hint="check the path and try again")
    serialization = serialization or Serialization()
    ignore = signature_ignore(path, signature) if signature is not None else None
    if ignore is not None and ignore not in serialization.ignore_paths:
        serialization = replace(serialization, ignore_paths=(*serialization.ignore_paths, ignore))
    try:
        manifest, problems = hash_tree(path, serialization, workers=workers)
    except OSError as exc:
        raise SigningError(
            f"cannot read {path}: {exc}", hint="check permissions; do not modify files while hashing"
        ) from None
    if problems:
        raise _refuse(problems)
    return manifest


def _write_atomic(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise UsageError(f"cannot write the signature {path}: {exc.strerror}", hint="choose a writable path") from None


def sign(  # noqa: PLR0913 - keyword-only options, each named for what it controls
    path: str | Path,
    *,
    private_key: Path | PrivateKey,
    signature: str | Path | None = None,
    serialization: Serialization | None = None,
    scan: bool = False,
    fail_on: Severity = Severity.HIGH,
    workers: int | None = None,
) -> SignedArtifact:
    """Hash ``path``, sign the manifest with ``private_key`` and write the bundle to ``signature``.

    With ``scan=True`` the artifact is scanned first and signing is refused (``ScanRefusedError``)
    when a finding reaches ``fail_on``; otherwise the scan summary is signed with the manifest.
    """
    root = Path(path)
    signature_path = Path(signature) if signature is not None else DEFAULT_SIGNATURE
    if root.exists() and signature_path.resolve() == root.resolve():
        raise UsageError("the signature cannot overwrite the artifact", hint="choose another --signature path")
    key = load_private_key(private_key) if isinstance(private_key, Path) else private_key
    attestation: dict[str, Any] | None = None
    if scan:
        from mlwarden.integrity.attest import scan_attestation

        attestation = scan_attestation(root, fail_on=fail_on)
    manifest = hash_path(root, serialization=serialization, signature=signature_path, workers=workers)
    payload = build_statement(manifest, attestation)
    bundle = make_bundle(payload, sign_pae(key, payload), key.public_key())
    _write_atomic(signature_path, bundle)
    return SignedArtifact(root, signature_path, manifest, key_hint(key.public_key()), attestation)
