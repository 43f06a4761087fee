"""``PickleScanner``: plain pickles and joblib files (plain or compressed, detected by content)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO, ClassVar, Final

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding
from mlwarden.core.rules import Rule
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.pickle.analysis import SCANNER_VERSION, PickleSummary, scan_joblib_stream, scan_pickle_stream
from mlwarden.scanners.pickle.decompress import compression_of, open_decompressed
from mlwarden.scanners.pickle.rules import PICKLE_RULES

__all__ = ["PickleScanner"]

_PLAIN_VIEW: Final = "<read by pickle.load>"
_PLAIN_RULES: Final = frozenset({"MW-PICKLE-001", "MW-PICKLE-005"})
_VALID_PATH: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$")


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
            head = stream.read(4096)
            stream.seek(0)
            kind = compression_of(head)
            if kind is None:
                yield from self._uncompressed(stream, artifact, ctx)
                return
            inner = open_decompressed(stream, kind, ctx.budget, check=ctx.deadline.check)
            yield from scan_joblib_stream(inner, artifact=artifact, ctx=ctx, member=f"<{kind}-decompressed>")

    @staticmethod
    def _uncompressed(stream: BinaryIO, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """joblib's reading, then -- when it skipped raw array bytes -- what plain ``pickle.load`` would run.

        The same uncompressed file can be loaded with ``joblib.load`` (array bytes are data) or
        ``pickle.load`` (array bytes are opcodes). The second reading only adds dangerous imports and
        nested pickles with valid names that the first did not report: raw numbers parsed as opcodes
        are otherwise noise.
        """
        summary = PickleSummary()
        seen: set[tuple[str, str]] = set()
        for finding in scan_joblib_stream(stream, artifact=artifact, ctx=ctx, summary=summary):
            seen.add((finding.rule_id, finding.match_key))
            yield finding
        if not summary.arrays:
            return
        stream.seek(0)
        plain = scan_pickle_stream(stream, artifact=artifact, ctx=ctx, member=_PLAIN_VIEW, allow_trailing=True)
        for finding in plain:
            key = finding.match_key.removeprefix("nested:")
            if (
                finding.rule_id in _PLAIN_RULES
                and _VALID_PATH.match(key)
                and (finding.rule_id, finding.match_key) not in seen
            ):
                seen.add((finding.rule_id, finding.match_key))
                yield finding
