"""The manifest: every file (or file shard) of a model or dataset with its digest.

The values follow OpenSSF model-signing v1.x so that the same manifest can be signed by either tool:
resources are named by their POSIX path relative to the root (``"."`` when the root is one file), or
``path:start:end`` under shard serialization; they are sorted by path components, then offsets; the
"root digest" is SHA-256 over the concatenated raw resource digests in that order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "DEFAULT_IGNORES",
    "DEFAULT_SHARD_SIZE",
    "Manifest",
    "Resource",
    "Serialization",
    "invalid_name_reason",
]

DEFAULT_SHARD_SIZE = 1_000_000_000
"""model-signing's default shard size (1 GB): files under it get one shard whose digest is ``sha256sum``'s."""

DEFAULT_IGNORES = (".git", ".gitattributes", ".github", ".gitignore")
"""What model-signing ignores by default; recorded in the manifest so every verifier ignores the same."""

Method = Literal["files", "shards"]


@dataclass(frozen=True, slots=True)
class Serialization:
    """How the manifest was made; a verifier must hash the tree the same way to compare."""

    method: Method = "shards"
    hash_type: str = "sha256"
    shard_size: int = DEFAULT_SHARD_SIZE
    allow_symlinks: bool = False
    ignore_paths: tuple[str, ...] = DEFAULT_IGNORES

    @property
    def algorithm(self) -> str:
        """The per-resource algorithm name model-signing writes (``sha256-sharded-N`` for shards)."""
        return f"{self.hash_type}-sharded-{self.shard_size}" if self.method == "shards" else self.hash_type

    def to_json(self) -> dict[str, Any]:
        """The ``predicate.serialization`` object."""
        data: dict[str, Any] = {"method": self.method, "hash_type": self.hash_type}
        if self.method == "shards":
            data["shard_size"] = self.shard_size
        data["allow_symlinks"] = self.allow_symlinks
        if self.ignore_paths:
            data["ignore_paths"] = list(self.ignore_paths)
        return data

    @classmethod
    def from_json(cls, data: object) -> Serialization:
        """Read ``predicate.serialization``; ``ValueError`` says which field is wrong."""
        if not isinstance(data, Mapping):
            raise ValueError("serialization must be an object")
        method = data.get("method")
        if method not in ("files", "shards"):
            raise ValueError(f"unknown serialization method {method!r}")
        hash_type = data.get("hash_type")
        if not isinstance(hash_type, str):
            raise ValueError("serialization.hash_type must be a string")
        shard_size = _shard_size(data.get("shard_size")) if method == "shards" else DEFAULT_SHARD_SIZE
        allow = data.get("allow_symlinks", False)
        ignores = data.get("ignore_paths", [])
        if not isinstance(allow, bool):
            raise ValueError("serialization.allow_symlinks must be true or false")
        if not isinstance(ignores, list) or not all(isinstance(p, str) for p in ignores):
            raise ValueError("serialization.ignore_paths must be a list of strings")
        return cls(method, hash_type, shard_size, allow, tuple(ignores))


def _shard_size(value: object) -> int:
    # model-signing writes its own shard size through a protobuf Struct, so it arrives as 1e9 (a float).
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"serialization.shard_size must be a positive integer, got {value!r}")
    return value


@dataclass(frozen=True, slots=True, order=True)
class Resource:
    """A file, or the shard ``[start, end)`` of a file, with its digest in lowercase hex."""

    sort_key: tuple[tuple[str, ...], int, int] = field(init=False, repr=False, compare=True)
    path: str = field(compare=False)
    digest: str = field(compare=False)
    start: int | None = field(default=None, compare=False)
    end: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        parts = () if self.path == "." else tuple(self.path.split("/"))
        object.__setattr__(self, "sort_key", (parts, self.start or 0, self.end or 0))

    @property
    def name(self) -> str:
        """The resource name in the manifest: ``path`` or ``path:start:end``."""
        return self.path if self.start is None else f"{self.path}:{self.start}:{self.end}"

    @classmethod
    def parse(cls, name: str, digest: str, *, sharded: bool) -> Resource:
        """A resource from its manifest name; ``ValueError`` when the name is not of the expected form."""
        if not sharded:
            return cls(path=name, digest=digest)
        path, _, rest = name.rpartition(":")
        path, _, first = path.rpartition(":")
        if not path or not first.isdigit() or not rest.isdigit() or int(first) >= int(rest):
            raise ValueError(f"shard name {name!r} is not 'path:start:end'")
        return cls(path=path, digest=digest, start=int(first), end=int(rest))


@dataclass(frozen=True, slots=True)
class Manifest:
    """A named, ordered set of resources and how they were serialised."""

    model_name: str
    serialization: Serialization
    resources: tuple[Resource, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "resources", tuple(sorted(self.resources)))

    def root_digest(self) -> str:
        """SHA-256 over the raw digests in manifest order: the in-toto subject digest."""
        hasher = hashlib.sha256()
        for resource in self.resources:
            hasher.update(bytes.fromhex(resource.digest))
        return hasher.hexdigest()

    def files(self) -> dict[str, list[Resource]]:
        """Resources grouped by file path, shards in offset order."""
        grouped: dict[str, list[Resource]] = {}
        for resource in self.resources:
            grouped.setdefault(resource.path, []).append(resource)
        return grouped

    def resources_json(self) -> list[dict[str, str]]:
        """``predicate.resources`` as model-signing writes it."""
        algorithm = self.serialization.algorithm
        return [{"name": r.name, "algorithm": algorithm, "digest": r.digest} for r in self.resources]

    def to_json(self) -> dict[str, Any]:
        """The form ``mlwarden hash --format json`` prints."""
        return {
            "name": self.model_name,
            "root_digest": {"sha256": self.root_digest()},
            "serialization": self.serialization.to_json(),
            "resources": self.resources_json(),
        }


def invalid_name_reason(name: str) -> str | None:
    """Why a resource path taken from a manifest is unsafe (absolute, ``..``, odd parts), or ``None``."""
    if name == ".":
        return None
    if not name or "\x00" in name or "\\" in name:
        return "empty name, NUL byte or backslash"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    parts = name.split("/")
    if ".." in parts:
        return "'..' component escapes the root"
    if any(part in ("", ".") for part in parts):
        return "empty or '.' path component"
    return None
