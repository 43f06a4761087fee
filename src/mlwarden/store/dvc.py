"""DVC metadata, read offline: ``dvc.lock`` stages and ``*.dvc`` files, checked against the working copy.

DVC records an MD5 per output. DVC 3 entries say ``hash: md5`` and hash the raw bytes; older entries
(no ``hash`` key) hashed text files after turning CRLF into LF, so for those both digests are tried.
A directory output is an MD5 ending in ``.dir`` that names a JSON manifest in DVC's cache; when that
manifest is in the local cache every file is checked, otherwise only the file count and total size
are compared and the check says so. ``deps -> outs`` of each stage become lineage edges.

Nothing here runs DVC or reads outside the project: paths that leave the project root, and anything
that is not a regular file, are reported as unverifiable, never opened.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlwarden.core.errors import ConfigError
from mlwarden.core.files import read_regular
from mlwarden.core.yaml_loader import load_yaml
from mlwarden.store.hashing import FileDigests, file_digests
from mlwarden.store.records import ArtifactRef, LineageEdge

__all__ = ["DvcCheck", "DvcOutput", "DvcProject", "DvcStage", "dvc_edges", "find_dvc", "read_dvc", "verify_dvc"]

_MAX_METADATA = 8 * 1024 * 1024
_MAX_WALK = 20_000
_SKIP_DIRS = frozenset({".git", ".dvc", ".venv", "venv", "node_modules", ".mlwarden", "__pycache__", "mlruns"})


@dataclass(frozen=True, slots=True, kw_only=True)
class DvcOutput:
    """One ``path`` + ``md5`` entry of a stage's deps/outs or a ``.dvc`` file's outs."""

    path: str
    md5: str
    legacy: bool
    size: int | None = None
    nfiles: int | None = None
    declared_in: str = ""

    @property
    def is_dir(self) -> bool:
        """A directory output: its MD5 names a ``.dir`` manifest."""
        return self.md5.endswith(".dir")


@dataclass(frozen=True, slots=True, kw_only=True)
class DvcStage:
    """A ``dvc.lock`` stage (or a ``.dvc`` import): its inputs and outputs."""

    name: str
    cmd: str
    deps: tuple[DvcOutput, ...]
    outs: tuple[DvcOutput, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class DvcProject:
    """What a DVC project records: stages from ``dvc.lock``, tracked files from ``*.dvc``."""

    root: Path
    stages: tuple[DvcStage, ...] = ()
    tracked: tuple[DvcOutput, ...] = ()
    problems: tuple[str, ...] = ()

    def outputs(self) -> Iterator[DvcOutput]:
        """Every entry with an MD5 (deps included), each path once."""
        seen: set[str] = set()
        for entry in [*self.tracked, *(e for s in self.stages for e in (*s.deps, *s.outs))]:
            if entry.md5 and entry.path not in seen:
                seen.add(entry.path)
                yield entry


@dataclass(frozen=True, slots=True, kw_only=True)
class DvcCheck:
    """The verdict on one entry: ``match``, ``modified``, ``missing``, ``partial`` or ``unverifiable``."""

    output: DvcOutput
    status: str
    detail: str = ""
    digests: FileDigests | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)


def find_dvc(root: Path) -> bool:
    """Whether ``root`` looks like a DVC project (``dvc.lock``, ``.dvc/`` or a ``*.dvc`` file at the top)."""
    return (root / "dvc.lock").is_file() or (root / ".dvc").is_dir() or any(root.glob("*.dvc"))


def _load(path: Path) -> Any:
    try:
        raw = read_regular(path, max_bytes=_MAX_METADATA)
    except OSError as exc:
        raise ConfigError(exc.strerror or str(exc), source=str(path)) from None
    return load_yaml(raw.decode("utf-8", errors="replace"), source=str(path)).data


def _entry(raw: Any, base: Path, root: Path, declared_in: str) -> DvcOutput | None:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("path"), str):
        return None
    md5 = raw.get("md5") or raw.get("etag") or ""
    relative = os.path.relpath(os.path.normpath(base / raw["path"]), root)
    size, nfiles = raw.get("size"), raw.get("nfiles")
    return DvcOutput(
        path=relative,
        md5=str(md5),
        legacy=raw.get("hash") != "md5",
        size=size if isinstance(size, int) else None,
        nfiles=nfiles if isinstance(nfiles, int) else None,
        declared_in=declared_in,
    )


def _entries(raw: Any, base: Path, root: Path, declared_in: str) -> tuple[DvcOutput, ...]:
    items = raw if isinstance(raw, list) else []
    return tuple(e for e in (_entry(item, base, root, declared_in) for item in items) if e is not None)


def _lock_stages(root: Path) -> tuple[DvcStage, ...]:
    data = _load(root / "dvc.lock")
    if not isinstance(data, Mapping):
        raise ConfigError("expected a mapping at the top", source=str(root / "dvc.lock"))
    stages = data.get("stages") if "schema" in data else data  # dvc.lock 1.0 had stages at the top
    if not isinstance(stages, Mapping):
        return ()
    found = []
    for name, stage in stages.items():
        if isinstance(stage, Mapping):
            cmd = stage.get("cmd", "")
            found.append(DvcStage(name=str(name), cmd=str(cmd if not isinstance(cmd, list) else " && ".join(cmd)),
                                  deps=_entries(stage.get("deps"), root, root, "dvc.lock"),
                                  outs=_entries(stage.get("outs"), root, root, "dvc.lock")))  # fmt: skip
    return tuple(found)


def _dvc_files(root: Path) -> Iterator[Path]:
    seen = 0
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in _SKIP_DIRS)
        for name in sorted(files):
            seen += 1
            if seen > _MAX_WALK:
                return
            if name.endswith(".dvc"):
                yield Path(directory) / name


def read_dvc(root: Path) -> DvcProject:
    """Parse ``dvc.lock`` and every ``*.dvc`` file under ``root``; unreadable files become ``problems``."""
    root = root.resolve()
    stages: list[DvcStage] = []
    tracked: list[DvcOutput] = []
    problems: list[str] = []
    if (root / "dvc.lock").is_file():
        try:
            stages += _lock_stages(root)
        except (ConfigError, OSError) as exc:
            problems.append(f"dvc.lock: {getattr(exc, 'message', exc)}")
    for path in _dvc_files(root):
        declared = os.path.relpath(path, root)
        try:
            data = _load(path)
        except (ConfigError, OSError) as exc:
            problems.append(f"{declared}: {getattr(exc, 'message', exc)}")
            continue
        if not isinstance(data, Mapping):
            problems.append(f"{declared}: not a DVC file (expected a mapping)")
            continue
        outs = _entries(data.get("outs"), path.parent, root, declared)
        tracked += outs
        deps = _dvc_import_deps(data.get("deps"), path.parent, root, declared)
        if deps:
            stages.append(DvcStage(name=f"import:{declared}", cmd="dvc import", deps=deps, outs=outs))
    return DvcProject(root=root, stages=tuple(stages), tracked=tuple(tracked), problems=tuple(problems))


def _dvc_import_deps(raw: Any, base: Path, root: Path, declared: str) -> tuple[DvcOutput, ...]:
    """``dvc import`` / ``import-url`` deps: a path in another repository, or a URL."""
    deps = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, Mapping) or not isinstance(item.get("path"), str):
            continue
        repo = item.get("repo")
        if isinstance(repo, Mapping) and isinstance(repo.get("url"), str):
            rev = repo.get("rev_lock") or repo.get("rev") or ""
            uri = f"{repo['url']}#{item['path']}" + (f"@{rev}" if rev else "")
            location = uri if "://" in uri else f"repo:/{uri}"
            deps.append(DvcOutput(path=location, md5=str(item.get("md5") or ""), legacy=True, declared_in=declared))
        elif "://" in item["path"]:
            deps.append(DvcOutput(path=item["path"], md5="", legacy=True, declared_in=declared))
        elif (entry := _entry(item, base, root, declared)) is not None:
            deps.append(entry)
    return tuple(deps)


def verify_dvc(project: DvcProject) -> list[DvcCheck]:
    """Check every recorded MD5 against the working copy."""
    return [_check(project.root, entry) for entry in project.outputs()]


def _inside(root: Path, relative: str) -> Path | None:
    if "://" in relative or relative.startswith("repo:/"):
        return None
    candidate = (root / relative).resolve()
    return candidate if candidate == root or root in candidate.parents else None


def _check(root: Path, entry: DvcOutput) -> DvcCheck:
    path = _inside(root, entry.path)
    if path is None:
        return DvcCheck(output=entry, status="unverifiable", detail="outside the project or remote; not opened")
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return DvcCheck(output=entry, status="missing", detail="not in the working copy (dvc pull / dvc checkout?)")
    except OSError as exc:
        return DvcCheck(output=entry, status="unverifiable", detail=f"cannot stat: {exc.strerror or exc}")
    if entry.is_dir:
        if not stat.S_ISDIR(mode):
            return DvcCheck(output=entry, status="modified", detail="recorded as a directory, found a file")
        from mlwarden.store.dvc_dir import check_directory

        status, detail, problems = check_directory(root, path, entry)
        return DvcCheck(output=entry, status=status, detail=detail, problems=problems)
    if not stat.S_ISREG(mode):
        return DvcCheck(output=entry, status="unverifiable", detail="not a regular file; not opened")
    return _check_file(path, entry)


def _check_file(path: Path, entry: DvcOutput) -> DvcCheck:
    try:
        digests = file_digests(path, dos2unix=entry.legacy)
    except OSError as exc:
        return DvcCheck(output=entry, status="unverifiable", detail=f"cannot read: {exc.strerror or exc}")
    if entry.md5 in (digests.md5, digests.md5_dos2unix):
        how = "md5 of the content" if entry.md5 == digests.md5 else "md5 with CRLF as LF (DVC 2 text files)"
        return DvcCheck(output=entry, status="match", detail=how, digests=digests)
    return DvcCheck(output=entry, status="modified", detail=f"recorded md5 {entry.md5}, found {digests.md5}",
                    digests=digests)  # fmt: skip


def dvc_edges(project: DvcProject, checks: list[DvcCheck]) -> list[LineageEdge]:
    """One ``derived-from`` edge per stage dependency and output; a node's SHA-256 only when its MD5 matched."""
    by_path = {check.output.path: check for check in checks}
    edges = []
    for stage in project.stages:
        for dep in stage.deps:
            for out in stage.outs:
                params = {"stage": stage.name, "cmd": stage.cmd[:500], "from_md5": dep.md5, "to_md5": out.md5,
                          "declared_in": out.declared_in}  # fmt: skip
                relation = "imported-from" if stage.name.startswith("import:") else "derived-from"
                edges.append(LineageEdge(from_artifact=_ref(project.root, dep, by_path),
                                         to_artifact=_ref(project.root, out, by_path),
                                         relation=relation, source="dvc", params=params))  # fmt: skip
    return edges


def _ref(root: Path, entry: DvcOutput, checks: Mapping[str, DvcCheck]) -> ArtifactRef:
    check = checks.get(entry.path)
    matched = check is not None and check.status == "match" and check.digests is not None
    sha256 = check.digests.sha256 if matched and check is not None and check.digests is not None else ""
    location = entry.path if ("://" in entry.path or entry.path.startswith("repo:/")) else str(root / entry.path)
    return ArtifactRef(path=location, sha256=sha256, format="directory" if entry.is_dir else "unknown",
                       size=entry.size)  # fmt: skip
