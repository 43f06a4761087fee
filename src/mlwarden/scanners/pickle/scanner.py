"""``PickleScanner``: plain pickles and joblib files (plain or compressed, detected by content)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding
from mlwarden.core.rules import Rule
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.pickle.analysis import SCANNER_VERSION, scan_joblib_stream
from mlwarden.scanners.pickle.decompress import compression_of, open_decompressed
from mlwarden.scanners.pickle.rules import PICKLE_RULES

__all__ = ["PickleScanner"]


class PickleScanner:
    """Resolves every global a pickle or joblib file would import and judges it against the allowlist.

    Pickles and joblib files share one walk in joblib mode: the inline array bytes joblib writes after
    a ``NumpyArrayWrapper`` are skipped by their declared size, exactly as ``joblib.load`` reads them,
    and nothing else changes for a plain pickle. Compressed joblib files are decompressed by content
    with the budget's size and ratio limits.
    """

    name: ClassVar[str] = "pickle"
    version: ClassVar[int] = SCANNER_VERSION
    formats: ClassVar[frozenset[Format]] = frozenset({Format.PICKLE, Format.JOBLIB})
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = PICKLE_RULES

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield findings for one pickle or joblib artifact."""
        with artifact.open() as stream:
            head = stream.read(8)
            stream.seek(0)
            kind = compression_of(head)
            if kind is None:
                yield from scan_joblib_stream(stream, artifact=artifact, ctx=ctx)
                return
            inner = open_decompressed(stream, kind, ctx.budget, check=ctx.deadline.check)
            yield from scan_joblib_stream(inner, artifact=artifact, ctx=ctx, member=f"<{kind}-decompressed>")
