"""Opening the files a user or a scanned tree names: regular files only, never blocking, bounded reads;
and writing reports and signatures whole or not at all, without ever replacing a device node.

``open()`` on a FIFO blocks until a writer appears, and ``read()`` on ``/dev/zero`` never ends, so a
policy, key, signature or dataset path that names one hung the command forever. Every reader of a
named file goes through here: the file is opened without blocking, checked to be a regular file on
the open descriptor (no window to swap it between a check and the open) and read up to a limit.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

__all__ = ["NOT_REGULAR", "open_regular", "read_regular", "write_atomic"]

NOT_REGULAR = "not a regular file (a FIFO, socket or device)"
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def open_regular(path: str | Path) -> BinaryIO:
    """Open ``path`` for binary reading; raise ``OSError`` unless it is a regular file (symlinks followed)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | _NONBLOCK)
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, NOT_REGULAR, str(path))
        if _NONBLOCK:
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_regular(path: str | Path, *, max_bytes: int) -> bytes:
    """The whole content of a regular file of at most ``max_bytes``; ``OSError`` (EFBIG) when larger."""
    with open_regular(path) as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise OSError(errno.EFBIG, f"larger than {max_bytes} bytes", str(path))
    return data


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: a temporary file beside it, renamed into place.

    An existing FIFO, device or socket (``-o /dev/null``, ``/dev/stdout``) is written to directly:
    renaming over it would replace the node with a regular file (run as root, /dev/null for everyone).
    """
    try:
        mode: int | None = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if mode is not None and not stat.S_ISREG(mode):
        with path.open("wb") as stream:
            stream.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
