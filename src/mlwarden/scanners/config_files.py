"""Secrets in configuration files (YAML, JSON, TOML, INI, .env): the credentials a model pipeline leaks.

Leaked cloud keys and database URLs in training configs let an attacker read the training data,
replace the model in the registry or run up the bill; they are found here by the shared secrets
detector, so the guard and the notebook scanner judge text exactly the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding
from mlwarden.core.rules import Rule
from mlwarden.detectors.redact import keyed_digest, mask
from mlwarden.detectors.secrets import find_secrets
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.sensitive_rules import SECRET_RULES, secret_rule
from mlwarden.scanners.textread import read_text, secret_positions

__all__ = ["ConfigSecretsScanner"]


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
        text = read_text(artifact, ctx)
        for match, line, column in secret_positions(text, list(find_secrets(text))):
            value = text[match.start : match.end]
            rule = secret_rule(match)
            yield rule.finding(
                location=artifact.location(line=line, column=column),
                message=f"{match.subtype} found in {artifact.basename} at line {line}",
                evidence=f"{match.subtype}: {mask(value)}",
                scanner=self.name,
                scanner_version=self.version,
                match_key=keyed_digest(value),
                confidence=match.confidence,
            )
