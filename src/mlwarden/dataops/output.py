"""Writing a new dataset version safely: never over the input, never half-written.

The result goes to a temporary file beside the output and is renamed into place only when the
whole run succeeded, so a crash or a malformed row leaves no partial dataset behind.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mlwarden.core.errors import UsageError
from mlwarden.core.files import NOT_REGULAR

__all__ = ["atomic_output", "check_paths"]


def check_paths(source: Path, target: Path, *, force: bool) -> None:
    """Refuse to write over the input (always) or over an existing file (without ``force``)."""
    if not source.exists():
        raise UsageError(f"cannot read {source}: No such file or directory", hint="check the path")
    if not source.is_file():
        detail = "Is a directory" if source.is_dir() else NOT_REGULAR
        raise UsageError(f"cannot read {source}: {detail}", hint="pass a CSV, TSV, JSONL or Parquet file")
    if target.exists() and (target.resolve() == source.resolve() or target.samefile(source)):
        raise UsageError(f"refusing to overwrite the input {source}", hint="write a new version with --out NEW")
    if target.exists() and not force:
        raise UsageError(f"output {target} already exists", hint="choose another --out or pass --force")
    if target.exists() and not target.is_file():
        raise UsageError(f"output {target} is not a regular file", hint="choose another --out")


@contextlib.contextmanager
def atomic_output(source: Path, target: Path, *, force: bool) -> Iterator[Path]:
    """A temporary path to write to; renamed to ``target`` on success, deleted on any failure."""
    check_paths(source, target, force=force)
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(descriptor)
    temporary = Path(name)
    try:
        yield temporary
        temporary.chmod(stat.S_IMODE(source.stat().st_mode))
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
