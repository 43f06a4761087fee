"""Python source files: risky code patterns (MW-CODE-*) and hard-coded secrets (MW-SECRET-*), with lines.

The code checks are the AST detector shared with the notebook scanner; secrets come from the same
detector the config scanner uses, so a key is reported the same way wherever it is committed.
Plain text files (Format.TEXT) are not read here: ``config-secrets`` covers them for secrets only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding, Location
from mlwarden.core.rules import Rule
from mlwarden.detectors.base import Match
from mlwarden.detectors.code import CodeMatch, ShellRisk, find_code_risks
from mlwarden.detectors.code.detector import masked_snippet
from mlwarden.detectors.redact import keyed_digest, mask
from mlwarden.detectors.secrets import find_secrets
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.code_rules import CODE_RULE_BY_KEY, CODE_RULES
from mlwarden.scanners.sensitive_rules import SECRET_RULES, secret_rule
from mlwarden.scanners.textread import read_text, secret_positions

__all__ = ["FindingFactory", "SourceScanner"]


@dataclass(frozen=True, slots=True)
class FindingFactory:
    """Builds the findings of one artifact for a text scanner (source or notebook)."""

    artifact: Artifact
    scanner: str
    version: int

    def location(self, *, line: int | None = None, column: int | None = None, cell: int | None = None) -> Location:
        """A location in this artifact."""
        return self.artifact.location(line=line, column=column, cell=cell)

    def secret(self, match: Match, value: str, location: Location, where: str) -> Finding:
        """A secret finding; the value appears only masked and as a keyed digest."""
        rule = secret_rule(match)
        return rule.finding(
            location=location,
            message=f"{match.subtype} found in {where}",
            evidence=f"{match.subtype}: {mask(value)}",
            scanner=self.scanner,
            scanner_version=self.version,
            match_key=keyed_digest(value),
            confidence=match.confidence,
        )

    def code(self, match: CodeMatch, *, cell: int | None = None) -> Finding:
        """A risky-code finding at the match's line (within the cell for notebooks)."""
        rule = CODE_RULE_BY_KEY[match.key]
        where = f"cell {cell}, line {match.line}" if cell is not None else f"line {match.line}"
        return rule.finding(
            location=self.location(line=match.line, column=match.column, cell=cell),
            message=f"{rule.title}: {match.name} ({where})",
            evidence=match.snippet,
            scanner=self.scanner,
            scanner_version=self.version,
            match_key=f"{match.key}:{match.name}",
            confidence=match.confidence,
        )

    def shell(self, risk: ShellRisk, command: str, *, line: int, cell: int | None = None) -> Finding:
        """A finding for a shell line (a notebook ``!`` command or a ``%%bash`` cell line)."""
        rule = CODE_RULE_BY_KEY[risk.key]
        return rule.finding(
            location=self.location(line=line, column=risk.offset + 1, cell=cell),
            message=f"{rule.title}: {risk.name} (cell {cell}, line {line})",
            evidence=masked_snippet(command),
            scanner=self.scanner,
            scanner_version=self.version,
            match_key=f"{risk.key}:{risk.name}",
            confidence=risk.confidence,
        )


class SourceScanner:
    """Reads a Python file once: AST code checks, then secrets with their lines."""

    name: ClassVar[str] = "source"
    version: ClassVar[int] = 1
    formats: ClassVar[frozenset[Format]] = frozenset({Format.PYTHON})
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = (*CODE_RULES, *SECRET_RULES)

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield code-risk findings, then secret findings, for one Python file."""
        text = read_text(artifact, ctx)
        make = FindingFactory(artifact, self.name, self.version)
        for match in find_code_risks(text):
            yield make.code(match)
        ctx.deadline.check(artifact.display)
        for secret, line, column in secret_positions(text, list(find_secrets(text))):
            value = text[secret.start : secret.end]
            location = make.location(line=line, column=column)
            yield make.secret(secret, value, location, f"{artifact.basename} at line {line}")
