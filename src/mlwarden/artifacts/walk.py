"""Discovery: turn the paths a user gave into artifacts to scan, plus findings about the tree itself.

Path convention: ``Artifact.path`` is the target *as the user typed it*, joined with ``/`` and the
path relative to it. ``mlwarden scan proj/`` yields ``proj/models/a.pkl``; ``mlwarden scan .``
yields ``models/a.pkl``; a file target keeps its spelling (``../x/model.pt``). Names are decoded with
``os.fsdecode`` (undecodable bytes become surrogate escapes), so a path is always a ``str``;
``fs_path`` holds the real ``Path`` for plain files.

Directories are walked depth-first in sorted order. Tool and VCS caches and virtualenvs are
skipped. A symlink that resolves outside the target is reported (``MW-ARCHIVE-011``) and never
followed; one inside is followed, and every directory is entered at most once, so symlink loops
end. Only regular files are read (a FIFO would block), and only their first ``HEAD_BYTES`` bytes:
the engine streams the rest when it hashes and scans.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from mlwarden.artifacts.archive import Item, classify, emit
from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.extract import ExtractState
from mlwarden.artifacts.limits import Budget
from mlwarden.artifacts.rules import LIMIT_EXCEEDED, SYMLINK_ESCAPE, WALKER_NAME, WALKER_VERSION
from mlwarden.artifacts.sniff import HEAD_BYTES
from mlwarden.core.errors import UsageError
from mlwarden.core.files import NOT_REGULAR, open_regular
from mlwarden.core.findings import Location, ScanError, ScanErrorKind, Severity
from mlwarden.core.rules import Rule

__all__ = ["SKIPPED_DIRS", "walk"]

SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "node_modules",
        ".tox",
        ".mlwarden",
    }
)


@dataclass(slots=True)
class _Walk:
    """State of one walk over all targets."""

    budget: Budget
    files: int = 0
    stopped: bool = False
    visited: set[tuple[int, int]] = field(default_factory=set)


def walk(targets: Sequence[str | Path], *, budget: Budget) -> Iterator[Item]:
    """Every artifact under ``targets`` (archives expanded), with findings and errors met on the way.

    Raises ``UsageError`` at once, before anything is yielded, when a target does not exist.
    """
    checked: list[tuple[str, Path]] = []
    for target in targets:
        typed = os.fsdecode(target)
        if not Path(typed).exists():
            raise UsageError(f"path does not exist: {typed}", hint="check the path and try again")
        checked.append((_display_root(typed), Path(typed)))
    return _walk_all(checked, _Walk(budget))


def _display_root(typed: str) -> str:
    stripped = typed.rstrip("/" + os.sep)
    return stripped if stripped or not typed else typed[0]


def _join(root: str, rel: str) -> str:
    if root in ("", "."):
        return rel
    return f"{root}{rel}" if root.endswith("/") else f"{root}/{rel}"


def _walk_all(checked: list[tuple[str, Path]], state: _Walk) -> Iterator[Item]:
    for display, fs_target in checked:
        if fs_target.is_dir():
            yield from _walk_dir(display, fs_target, state)
        else:
            yield from _file(display, fs_target, state)
        if state.stopped:
            return


def _finding_at(rule: Rule, display: str, message: str, key: str, **extra: object) -> Item:
    severity = extra.get("severity")
    return rule.finding(
        location=Location(path=display),
        message=message,
        scanner=WALKER_NAME,
        scanner_version=WALKER_VERSION,
        match_key=key,
        evidence=str(extra.get("evidence", ""))[:200],
        severity=severity if isinstance(severity, Severity) else None,
    )


def _unreadable(display: str, exc: OSError) -> ScanError:
    return ScanError(
        path=display,
        kind=ScanErrorKind.UNREADABLE,
        message=f"cannot read {display}: {exc.strerror or exc}",
        hint="check the file's permissions, or exclude it",
    )


def _enter(fs_dir: Path, display: str, state: _Walk) -> Iterator[Item | list[os.DirEntry[str]]]:
    """The sorted entries of a directory not seen before (yielded as one list), or an error."""
    try:
        info = fs_dir.stat()
        if (info.st_dev, info.st_ino) in state.visited:
            return
        state.visited.add((info.st_dev, info.st_ino))
        with os.scandir(fs_dir) as it:
            yield sorted(it, key=lambda entry: entry.name)
    except OSError as exc:
        yield _unreadable(display, exc)


def _walk_dir(display_root: str, fs_root: Path, state: _Walk) -> Iterator[Item]:
    """Depth-first, sorted, without recursion (a hostile tree may be thousands of levels deep)."""
    real_root = os.path.realpath(fs_root)  # a str: prefix tests on it are cheap
    stack: list[tuple[str, Iterator[os.DirEntry[str]]]] = []
    for got in _enter(fs_root, display_root, state):
        if isinstance(got, list):
            stack.append(("", iter(got)))
        else:
            yield got
    while stack and not state.stopped:
        rel_dir, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        rel = f"{rel_dir}{entry.name}"
        for got in _entry(entry, _join(display_root, rel), real_root, state):
            if isinstance(got, list):
                stack.append((rel + "/", iter(got)))
            else:
                yield got


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _entry(
    entry: os.DirEntry[str], display: str, real_root: str, state: _Walk
) -> Iterator[Item | list[os.DirEntry[str]]]:
    """Classify one directory entry: descend, read as a file, report, or ignore."""
    try:
        is_link = entry.is_symlink()
        real = Path(os.path.realpath(entry.path) if is_link else entry.path)
        if is_link and not _inside(str(real), real_root):
            target = os.fsdecode(Path(entry.path).readlink())
            yield _finding_at(
                SYMLINK_ESCAPE,
                display,
                f"{display} is a symlink to {target}, outside the scan root; it was not followed",
                "symlink-escape",
                evidence=target,
            )
            return
        is_dir = real.is_dir() if is_link else entry.is_dir(follow_symlinks=False)
        is_file = not is_dir and (real.is_file() if is_link else entry.is_file(follow_symlinks=False))
    except OSError as exc:
        yield _unreadable(display, exc)
        return
    if is_dir:
        if entry.name not in SKIPPED_DIRS and not (real / "pyvenv.cfg").exists():
            yield from _enter(real, display, state)
    elif is_file:
        yield from _file(display, real, state)
    else:  # a FIFO, socket or device, or a link that leads nowhere: say so rather than skip it silently
        reason = "a dangling symlink or a symlink loop" if is_link else NOT_REGULAR
        yield _unreadable(display, OSError(0, reason))


def _file_opener(path: Path) -> Callable[[], BinaryIO]:
    """A lazy opener: the engine and every scanner get their own stream, opened only when needed."""
    return lambda: open_regular(path)  # a file swapped for a FIFO after the walk saw it must not block


def _file(display: str, path: Path, state: _Walk) -> Iterator[Item]:
    budget = state.budget
    state.files += 1
    if state.files > budget.max_files:
        state.stopped = True
        message = f"more than {budget.max_files} files; the walk stopped before {display}"
        yield _finding_at(LIMIT_EXCEEDED, display, message, "max_files", severity=Severity.MEDIUM)
        return
    opener = _file_opener(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            yield _unreadable(display, OSError(0, NOT_REGULAR))
            return
        if info.st_size > budget.max_file_bytes:
            message = f"{display} is {info.st_size} bytes, over max_file_bytes ({budget.max_file_bytes}); not scanned"
            yield _finding_at(LIMIT_EXCEEDED, display, message, "max_file_bytes", severity=Severity.MEDIUM)
            return
        with opener() as stream:
            head = stream.read(HEAD_BYTES)
        fmt = classify(head, name=path.name, size=info.st_size, opener=opener, budget=budget)
    except OSError as exc:
        yield _unreadable(display, exc)
        return
    artifact = Artifact(path=display, format=fmt, size=info.st_size, opener=opener, fs_path=path, name_hint=path.name)
    yield from emit(artifact, ExtractState(budget))
