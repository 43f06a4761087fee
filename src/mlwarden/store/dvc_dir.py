"""DVC directory outputs: check files against the ``.dir`` manifest in the local cache, or count them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlwarden.store.hashing import file_digests

if TYPE_CHECKING:
    from mlwarden.store.dvc import DvcOutput

__all__ = ["check_directory"]

_MAX_MANIFEST = 64 * 1024 * 1024
_MAX_FILES = 100_000
_SHOWN = 20


def _manifest_path(root: Path, md5: str) -> Path | None:
    """DVC 3 keeps manifests under ``.dvc/cache/files/md5/``, DVC 2 under ``.dvc/cache/``."""
    for base in (root / ".dvc" / "cache" / "files" / "md5", root / ".dvc" / "cache"):
        candidate = base / md5[:2] / md5[2:]
        if candidate.is_file():
            return candidate
    return None


def _walk(directory: Path) -> dict[str, int] | None:
    """Relative path -> size of every regular file, or ``None`` past ``_MAX_FILES``."""
    found: dict[str, int] = {}
    for current, subdirs, files in os.walk(directory):
        subdirs.sort()
        for name in files:
            full = Path(current) / name
            if full.is_file() and not full.is_symlink():
                found[full.relative_to(directory).as_posix()] = full.stat().st_size
            if len(found) > _MAX_FILES:
                return None
    return found


def _read_manifest(path: Path) -> list[dict[str, Any]] | None:
    if path.stat().st_size > _MAX_MANIFEST:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, list):
        return None
    return [e for e in data if isinstance(e, dict) and isinstance(e.get("relpath"), str) and e.get("md5")]


def check_directory(root: Path, directory: Path, entry: DvcOutput) -> tuple[str, str, tuple[str, ...]]:
    """(status, detail, problems) for a directory output."""
    files = _walk(directory)
    if files is None:
        return "unverifiable", f"more than {_MAX_FILES} files; not checked", ()
    manifest_path = _manifest_path(root, entry.md5)
    manifest = _read_manifest(manifest_path) if manifest_path is not None else None
    if manifest is None:
        return _compare_counts(files, entry)
    problems: list[str] = []
    listed = set()
    for item in manifest:
        relpath = str(item["relpath"])
        listed.add(relpath)
        if relpath not in files:
            problems.append(f"missing: {relpath}")
            continue
        digests = file_digests(directory / relpath, dos2unix=entry.legacy)
        if str(item["md5"]) not in (digests.md5, digests.md5_dos2unix):
            problems.append(f"modified: {relpath}")
    problems += [f"not in the manifest: {name}" for name in sorted(set(files) - listed)]
    if not problems:
        return "match", f"{len(manifest)} file(s) match the manifest in the DVC cache", ()
    detail = f"{len(problems)} difference(s) from the manifest in the DVC cache"
    return "modified", detail, tuple(problems[:_SHOWN])


def _compare_counts(files: dict[str, int], entry: DvcOutput) -> tuple[str, str, tuple[str, ...]]:
    count, total = len(files), sum(files.values())
    differences = []
    if entry.nfiles is not None and entry.nfiles != count:
        differences.append(f"{count} file(s), DVC recorded {entry.nfiles}")
    if entry.size is not None and entry.size != total:
        differences.append(f"{total} bytes, DVC recorded {entry.size}")
    if differences:
        return "modified", "; ".join(differences), ()
    return (
        "partial",
        "the .dir manifest is not in the local DVC cache: compared file count and total size only, not contents",
        (),
    )
