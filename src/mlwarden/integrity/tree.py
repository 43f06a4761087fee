"""Walk a file or directory deterministically and hash it into a ``Manifest``.

The walk never leaves the root: a symlink is refused unless ``allow_symlinks`` is set, and even then a
link whose target resolves outside the root is reported as a path escape and never read. Special files
(FIFOs, sockets, devices) are refused, because reading one can block or change on every read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mlwarden.integrity.digest import HASH_ALGORITHMS, HashJob, hash_jobs, shard_ranges
from mlwarden.integrity.manifest import Manifest, Resource, Serialization
from mlwarden.integrity.mismatch import Mismatch, MismatchKind

__all__ = ["TreeFile", "Walk", "hash_tree", "walk_tree"]


@dataclass(frozen=True, slots=True)
class TreeFile:
    """A regular file to hash: its manifest path, where to read it, and its size."""

    rel: str
    path: Path
    size: int


@dataclass(slots=True)
class Walk:
    """The files found under a root and the problems that keep the walk from being trusted."""

    files: list[TreeFile] = field(default_factory=list)
    problems: list[Mismatch] = field(default_factory=list)


def _ignored(rel: str, ignores: Iterable[str]) -> bool:
    return any(rel == ignore or rel.startswith(ignore.rstrip("/") + "/") for ignore in ignores)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


class _Walker:
    def __init__(self, root: Path, serialization: Serialization, ignores: tuple[str, ...]) -> None:
        self.root = root
        self.allow_symlinks = serialization.allow_symlinks
        self.ignores = ignores
        self.result = Walk()
        self.seen_dirs: set[Path] = {root}

    def problem(self, kind: MismatchKind, rel: str, detail: str) -> None:
        self.result.problems.append(Mismatch(kind, rel, detail))

    def walk(self, directory: Path, prefix: str) -> None:
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            self.problem(MismatchKind.UNSUPPORTED, prefix or ".", f"cannot list directory: {exc.strerror}")
            return
        for entry in entries:
            rel = f"{prefix}{entry.name}"
            if _ignored(rel, self.ignores):
                continue
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError:
                self.problem(MismatchKind.UNSUPPORTED, repr(rel), "file name is not valid UTF-8")
                continue
            self.visit(Path(entry.path), rel)

    def visit(self, path: Path, rel: str) -> None:
        try:
            info = path.lstat()
        except OSError as exc:
            self.problem(MismatchKind.UNSUPPORTED, rel, f"cannot stat: {exc.strerror}")
            return
        if stat.S_ISLNK(info.st_mode):
            self.visit_link(path, rel)
        elif stat.S_ISDIR(info.st_mode):
            self.walk(path, f"{rel}/")
        elif stat.S_ISREG(info.st_mode):
            self.result.files.append(TreeFile(rel, path, info.st_size))
        else:
            self.problem(MismatchKind.UNSUPPORTED, rel, "not a regular file (FIFO, socket or device)")

    def visit_link(self, path: Path, rel: str) -> None:
        target = path.resolve()
        if not _inside(target, self.root):
            self.problem(MismatchKind.PATH_ESCAPE, rel, f"symlink points outside the root (to {target})")
        elif not self.allow_symlinks:
            self.problem(MismatchKind.SYMLINK, rel, "symlink refused (sign with --allow-symlinks to hash its target)")
        elif target.is_dir():
            if target in self.seen_dirs:
                self.problem(MismatchKind.SYMLINK, rel, "symlink loop to a directory already walked")
                return
            self.seen_dirs.add(target)
            self.walk(target, f"{rel}/")
        elif target.is_file():
            self.result.files.append(TreeFile(rel, target, target.stat().st_size))
        else:
            self.problem(MismatchKind.UNSUPPORTED, rel, "symlink to a missing or special file")


def walk_tree(root: Path, serialization: Serialization, *, extra_ignores: Iterable[str] = ()) -> Walk:
    """Every file under ``root`` (or ``root`` itself when it is a file, named ``"."``) in a stable order."""
    ignores = (*serialization.ignore_paths, *extra_ignores)
    if root.is_symlink():
        root = root.resolve()
    walker = _Walker(root.resolve(), serialization, ignores)
    if root.is_dir():
        walker.walk(walker.root, "")
    elif root.is_file():
        walker.result.files.append(TreeFile(".", root, root.stat().st_size))
    else:
        walker.problem(MismatchKind.MISSING, str(root), "no such file or directory")
    return walker.result


def _jobs(files: list[TreeFile], serialization: Serialization) -> list[tuple[TreeFile, HashJob]]:
    if serialization.method == "files":
        return [(f, HashJob(f.path)) for f in files]
    return [(f, HashJob(f.path, s, e)) for f in files for s, e in shard_ranges(f.size, serialization.shard_size)]


def hash_files(files: list[TreeFile], serialization: Serialization, *, workers: int | None = None) -> list[Resource]:
    """Hash the listed files the way ``serialization`` says (whole files, or shards of ``shard_size``)."""
    if serialization.hash_type not in HASH_ALGORITHMS:
        raise ValueError(f"unsupported hash algorithm {serialization.hash_type!r}")
    pairs = _jobs(files, serialization)
    digests = hash_jobs([job for _, job in pairs], algorithm=serialization.hash_type, workers=workers)
    sharded = serialization.method == "shards"
    return [
        Resource(path=f.rel, digest=d.hex(), start=job.start if sharded else None, end=job.end if sharded else None)
        for (f, job), d in zip(pairs, digests, strict=True)
    ]


def model_name(root: Path) -> str:
    """The informative manifest name: the root's last component (as model-signing names it)."""
    return root.name if root.name not in ("", "..", ".") else root.resolve().name


def hash_tree(
    root: Path,
    serialization: Serialization,
    *,
    extra_ignores: Iterable[str] = (),
    workers: int | None = None,
) -> tuple[Manifest, list[Mismatch]]:
    """The manifest of ``root`` and the walk's problems (symlinks, escapes, special files).

    Files that are problems are left out of the manifest; the caller decides whether a problem is
    fatal (signing refuses any; verification reports them with the other mismatches).
    """
    walk = walk_tree(root, serialization, extra_ignores=extra_ignores)
    resources = hash_files(walk.files, serialization, workers=workers)
    return Manifest(model_name(root), serialization, tuple(resources)), walk.problems
