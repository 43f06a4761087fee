"""The dataset scanner: column-level personal-data classification for CSV, TSV, JSONL and Parquet.

One finding per column that *is* personal data (``MW-PII-002``), per free-text column that contains
some (``MW-PII-001``), per column of organisation ids (``MW-PII-003``, info) and per column holding
secrets; one ``MW-DATA-001`` when part of the file could not be read. Messages give counts, the
sample and a 95% interval; evidence holds masked examples only, never a value.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding, Severity
from mlwarden.core.rules import Rule
from mlwarden.detectors.base import Match
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.dataset.classify import (
    ClassifyOptions,
    ColumnVerdict,
    DatasetProfile,
    profile_stream,
    verdicts,
)
from mlwarden.scanners.dataset.rules import DATASET_RULES, MALFORMED_DATASET
from mlwarden.scanners.sensitive_rules import (
    ORG_IDENTIFIER,
    PERSONAL_DATA,
    PERSONAL_DATA_COLUMN,
    PII_RULES,
    SECRET_RULES,
    SENSITIVE_PII_KINDS,
    secret_rule,
)

__all__ = ["DatasetScanner", "describe_malformed", "describe_verdict"]

_SECRET_ORDER = ("PRIVATE_KEY", "DATABASE_URL")


def _percent(share: float) -> str:
    return f"{share:.0%}" if share >= 0.1 or share == 0 else f"{share:.1%}"


def _sample_note(verdict: ColumnVerdict, profile: DatasetProfile) -> str:
    if not profile.sampled:
        return f"{verdict.hits:,} of {verdict.values:,} values"
    low, high = verdict.interval
    return (
        f"{verdict.hits:,} of {verdict.values:,} sampled values; 95% CI {low * 100:.1f}-{high * 100:.1f}%; "
        f"{profile.rows_sampled:,} of {profile.rows:,} rows sampled"
    )


def describe_verdict(verdict: ColumnVerdict, profile: DatasetProfile) -> str:
    """The finding message: ``column `email`: 97% EMAIL (412,118 of 424,903 sampled values; …)``."""
    total = max(verdict.values, 1)
    if verdict.category == "personal":
        shares = ", ".join(f"{_percent(n / total)} {kind}" for kind, n in verdict.kinds)
        return f"column `{verdict.column}`: {shares} ({_sample_note(verdict, profile)})"
    kinds = ", ".join(f"{kind} {n:,}" for kind, n in verdict.kinds)
    what = {"free-text": "free text containing personal data", "org-id": "organisation identifiers"}.get(
        verdict.category, "secrets"
    )
    return f"column `{verdict.column}`: {what} in {_percent(verdict.hits / total)} of values ({kinds}; " + (
        f"{_sample_note(verdict, profile)})"
    )


def describe_malformed(profile: DatasetProfile) -> str | None:
    """What could not be read, or ``None`` when the whole file parsed."""
    stats, parts = profile.stats, []
    if stats.skipped:
        parts.append(f"{stats.skipped:,} row(s) skipped as unparsable (first at line/row {stats.first_skipped})")
    if stats.invalid_utf8:
        parts.append(
            f"{stats.invalid_utf8:,} invalid UTF-8 sequence(s) replaced (first at byte {stats.first_invalid_byte})"
        )
    if stats.unbalanced_quotes and profile.malformed is None:
        parts.append("quote characters are unbalanced: a quoted field may run on to the end of the file")
    if stats.columns_dropped:
        parts.append(f"{stats.columns_dropped:,} value(s) in columns beyond the column limit ignored")
    if profile.malformed is not None:
        where = f"after {profile.malformed.row or 0:,} rows"
        if profile.malformed.offset is not None:
            where += f" (near byte {profile.malformed.offset:,})"
        parts.append(f"parsing stopped {where}: {profile.malformed.message}")
    return "; ".join(parts) if parts else None


class DatasetScanner:
    """Classifies dataset columns by sampling their values through the shared detectors."""

    name: ClassVar[str] = "dataset"
    version: ClassVar[int] = 1
    formats: ClassVar[frozenset[Format]] = frozenset(
        {Format.CSV, Format.TSV, Format.JSONL, Format.PARQUET, Format.EXCEL}
    )
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = (*DATASET_RULES, *PII_RULES, *SECRET_RULES)

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield column findings, then re-raise a deadline that cut the read short."""
        options = ClassifyOptions.from_options(ctx.options, budget=ctx.budget)
        profile = profile_stream(
            artifact.open, artifact.format, path=artifact.display, size=artifact.size, options=options,
            deadline=ctx.deadline,
        )  # fmt: skip
        for column in profile.columns.values():
            for verdict in verdicts(column, options):
                yield self._finding(artifact, profile, verdict)
        problem = describe_malformed(profile)
        if problem is not None:
            row = profile.malformed.row if profile.malformed is not None else profile.stats.first_skipped
            yield MALFORMED_DATASET.finding(
                location=artifact.location(line=row, offset=profile.malformed.offset if profile.malformed else None),
                message=f"{artifact.basename}: {problem}",
                scanner=self.name,
                scanner_version=self.version,
                match_key="malformed" if profile.malformed is None else "malformed:stopped",
            )
        if profile.stopped is not None:
            raise profile.stopped

    def _finding(self, artifact: Artifact, profile: DatasetProfile, verdict: ColumnVerdict) -> Finding:
        rule, severity = self._rule(verdict)
        evidence = ", ".join(f"{kind} x{n:,}" for kind, n in verdict.kinds)
        if verdict.example:
            evidence += f"; e.g. {verdict.example}"
        return rule.finding(
            location=artifact.location(),
            message=describe_verdict(verdict, profile),
            scanner=self.name,
            scanner_version=self.version,
            match_key=f"column={verdict.column};{verdict.category};{verdict.kinds[0][0]}",
            evidence=evidence,
            confidence=max(0.0, min(verdict.confidence, 1.0)),
            severity=severity,
        )

    @staticmethod
    def _rule(verdict: ColumnVerdict) -> tuple[Rule, Severity]:
        kinds = {kind for kind, _ in verdict.kinds}
        sensitive = bool(kinds & SENSITIVE_PII_KINDS)
        if verdict.category == "personal":
            return PERSONAL_DATA_COLUMN, PERSONAL_DATA_COLUMN.severity
        if verdict.category == "free-text":
            return PERSONAL_DATA, Severity.HIGH if sensitive else PERSONAL_DATA.severity
        if verdict.category == "org-id":
            return ORG_IDENTIFIER, ORG_IDENTIFIER.severity
        subtype = next((s for s in _SECRET_ORDER if s in kinds), verdict.kinds[0][0])
        rule = secret_rule(Match(start=0, end=0, kind="SECRET", confidence=1.0, subtype=subtype))
        return rule, rule.severity
