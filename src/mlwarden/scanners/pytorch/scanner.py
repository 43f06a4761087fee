"""PyTorchScanner: decide by content which format torch.load would see, then scan what it would run.

torch.load checks only the first four bytes: ``PK\\x03\\x04`` means zip, anything else goes to the
legacy loader, which tries tar and then unpickles from byte 0. A file that does not start with a
local header but still ends with a zip directory is a pickle/zip polyglot: torch.load runs the
leading pickle, zip-aware tools see only the archive, so both are scanned.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.rules import LIMIT_EXCEEDED
from mlwarden.core.findings import Finding
from mlwarden.core.rules import Rule
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.pytorch.archive import ZipJob, scan_zip
from mlwarden.scanners.pytorch.legacy import is_tar, scan_legacy, scan_tar
from mlwarden.scanners.pytorch.rules import POLYGLOT, TORCH_RULES
from mlwarden.scanners.structured import FindingMaker
from mlwarden.scanners.zipread import LOCAL_SIG, ZipReadError, read_listing

__all__ = ["PyTorchScanner"]


class PyTorchScanner:
    """Scans zip, legacy-pickle and legacy-tar PyTorch checkpoints without importing torch."""

    name: ClassVar[str] = "pytorch"
    version: ClassVar[int] = 1
    formats: ClassVar[frozenset[Format]] = frozenset({Format.PYTORCH_ZIP, Format.PYTORCH_LEGACY})
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = (*TORCH_RULES, LIMIT_EXCEEDED)

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield findings for ``artifact`` as torch.load / torch.jit.load would read it."""
        make = FindingMaker(artifact, self.name, self.version)
        with artifact.open() as stream:
            size = stream.seek(0, 2)
            stream.seek(0)
            job = ZipJob(stream, artifact, ctx, make)
            if stream.read(4) == LOCAL_SIG:
                yield from scan_zip(job, size)
            elif is_tar(stream):
                yield from scan_tar(job)
            else:
                yield from scan_legacy(job, size)
                if _holds_zip(job, size):
                    yield make(
                        POLYGLOT,
                        "file starts with a pickle (torch.load unpickles it) but also holds a zip archive",
                        key="polyglot",
                    )
                    yield from scan_zip(job, size)


def _holds_zip(job: ZipJob, size: int) -> bool:
    try:
        listing = read_listing(job.stream, size, job.ctx.budget, job.ctx.deadline)
    except ZipReadError:
        return False
    return any(entry.data_offset >= 0 for entry in listing.entries)
