"""The per-project key behind keyed hashes and pseudonyms.

Phone numbers, INNs and SNILS are low-entropy: an unkeyed hash of one is reversed by hashing every
possible value. So ``redact --mode hash`` and the lineage log use HMAC-SHA256 with a secret key: the
user's ``--key-file`` or ``.mlwarden/redact.key``, created on first use with 0600 permissions.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from mlwarden.core.errors import UsageError
from mlwarden.core.files import read_regular

__all__ = ["KEY_FILE", "key_id", "keyed_hash", "load_key"]

KEY_FILE = Path(".mlwarden") / "redact.key"
_MIN_KEY_BYTES = 16
_MAX_KEY_BYTES = 64 * 1024


def _read(path: Path) -> bytes:
    try:
        key = read_regular(path, max_bytes=_MAX_KEY_BYTES).strip()
    except OSError as exc:
        raise UsageError(f"cannot read the key file {path}: {exc.strerror or exc}", hint="check --key-file") from None
    if len(key) < _MIN_KEY_BYTES:
        raise UsageError(f"the key in {path} is shorter than {_MIN_KEY_BYTES} bytes", hint="use a random key")
    return key


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process created it first; use theirs
    with os.fdopen(descriptor, "w", encoding="ascii") as stream:
        stream.write(secrets.token_hex(32) + "\n")


def load_key(key_file: Path | None = None, *, root: Path | None = None) -> bytes:
    """The key from ``key_file``, else the project key under ``root`` (created when missing)."""
    if key_file is not None:
        return _read(key_file)
    path = (root or Path.cwd()) / KEY_FILE
    if not path.exists():
        _create(path)
    elif os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise UsageError(f"{path} is readable by other users", hint=f"chmod 600 {path}")
    return _read(path)


def keyed_hash(key: bytes, purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` under ``key``, separated by ``purpose`` so uses never collide."""
    message = f"{purpose}\x1f{value}".encode("utf-8", "surrogatepass")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def key_id(key: bytes) -> str:
    """A short public identifier of a key, so a lineage record names the key without revealing it."""
    return keyed_hash(key, "key-id", "")[:16]
