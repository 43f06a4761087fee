"""Secrets in configuration files (YAML, JSON, TOML, INI, .env): the credentials a model pipeline leaks.

Leaked cloud keys and database URLs in training configs let an attacker read the training data,
replace the model in the registry or run up the bill; they are found here by the shared secrets
detector, so the guard and the notebook scanner judge text exactly the same way.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import ClassVar

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.encoding import decode_bytes
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding
from mlwarden.core.rules import Rule
from mlwarden.detectors.redact import keyed_digest, mask
from mlwarden.detectors.secrets import find_secrets
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.sensitive_rules import SECRET_RULES, secret_rule

__all__ = ["ConfigSecretsScanner", "line_offsets"]


def line_offsets(text: str) -> list[int]:
    """The offset at which each line starts, for turning match offsets into line numbers."""
    starts = [0]
    index = text.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


class ConfigSecretsScanner:
    """Reads configuration text and reports each secret with its line; never echoes the value."""

    name: ClassVar[str] = "config-secrets"
    version: ClassVar[int] = 1
    # TEXT too (.txt, .md, .sh, logs): measured on ~11k files of ordinary code and docs, a handful of hits.
    formats: ClassVar[frozenset[Format]] = frozenset(
        {Format.YAML, Format.JSON, Format.TOML, Format.INI, Format.DOTENV, Format.TEXT}
    )
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = SECRET_RULES

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield one finding per secret in the file."""
        limit = ctx.budget.max_text_bytes
        with artifact.open() as stream:
            raw = stream.read(limit + 1)
        ctx.budget.check("text_bytes", len(raw), where=artifact.display)
        text = decode_bytes(raw)
        line_starts = line_offsets(text)
        for match in find_secrets(text):
            value = text[match.start : match.end]
            line = bisect.bisect_right(line_starts, match.start)
            rule = secret_rule(match)
            yield rule.finding(
                location=artifact.location(line=line, column=match.start - line_starts[line - 1] + 1),
                message=f"{match.subtype} found in {artifact.basename} at line {line}",
                evidence=f"{match.subtype}: {mask(value)}",
                scanner=self.name,
                scanner_version=self.version,
                match_key=keyed_digest(value),
                confidence=match.confidence,
            )
