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
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding, Severity, Stage
from mlwarden.core.rules import Rule
from mlwarden.detectors.base import Match
from mlwarden.detectors.redact import keyed_digest, mask
from mlwarden.detectors.secrets import find_secrets
from mlwarden.scanners.base import ScanContext

__all__ = ["SECRET_RULES", "ConfigSecretsScanner"]

_RISKS = ("PLAT-05", "MODEL-03", "DATA-01")
_ROTATE = (
    "Revoke and rotate the credential now (it is in the history even after deletion), then load it at run "
    "time from a secret manager or an environment variable that is not committed."
)

PROVIDER_KEY = Rule(
    id="MW-SECRET-001",
    title="Provider API key or token in a file",
    severity=Severity.HIGH,
    risk_ids=_RISKS,
    stage=Stage.PLATFORM,
    help=(
        "A credential in a provider's documented format (cloud, code hosting, ML hub, payment, chat) "
        "is stored in clear."
    ),
    remediation=_ROTATE,
    cwe="CWE-798",
)
PRIVATE_KEY = Rule(
    id="MW-SECRET-002",
    title="Private key in a file",
    severity=Severity.CRITICAL,
    risk_ids=_RISKS,
    stage=Stage.PLATFORM,
    help="A PEM/OpenSSH private key block is stored in the project; whoever reads it can impersonate its owner.",
    remediation="Remove the key, revoke it and issue a new one kept out of the repository.",
    cwe="CWE-321",
)
CREDENTIAL_URL = Rule(
    id="MW-SECRET-003",
    title="Connection URL with an inline password",
    severity=Severity.HIGH,
    risk_ids=("DATA-01", "PLAT-05", "DATA-04"),
    stage=Stage.DATA,
    help="A database, cache or broker URL carries its password; it grants direct access to training or feature data.",
    remediation=_ROTATE,
    cwe="CWE-798",
)
GENERIC_CREDENTIAL = Rule(
    id="MW-SECRET-004",
    title="Credential-like value assigned to a secret-named key",
    severity=Severity.MEDIUM,
    risk_ids=_RISKS,
    stage=Stage.PLATFORM,
    help="A key named like a password, token or secret holds a literal value that is not a placeholder.",
    remediation=_ROTATE,
    cwe="CWE-798",
)

SECRET_RULES: tuple[Rule, ...] = (PROVIDER_KEY, PRIVATE_KEY, CREDENTIAL_URL, GENERIC_CREDENTIAL)


def rule_for(match: Match) -> Rule:
    """Which rule a secret match reports under."""
    if match.subtype == "PRIVATE_KEY":
        return PRIVATE_KEY
    if match.subtype == "DATABASE_URL":
        return CREDENTIAL_URL
    if match.subtype == "GENERIC_CREDENTIAL":
        return GENERIC_CREDENTIAL
    return PROVIDER_KEY


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
    formats: ClassVar[frozenset[Format]] = frozenset({Format.YAML, Format.JSON, Format.TOML, Format.INI, Format.DOTENV})
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = SECRET_RULES

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield one finding per secret in the file."""
        limit = ctx.budget.max_text_bytes
        with artifact.open() as stream:
            raw = stream.read(limit + 1)
        ctx.budget.check("text_bytes", len(raw), where=artifact.display)
        text = raw.decode("utf-8", errors="replace")
        line_starts = line_offsets(text)
        for match in find_secrets(text):
            value = text[match.start : match.end]
            line = bisect.bisect_right(line_starts, match.start)
            rule = rule_for(match)
            yield rule.finding(
                location=artifact.location(line=line, column=match.start - line_starts[line - 1] + 1),
                message=f"{match.subtype} found in {artifact.basename} at line {line}",
                evidence=f"{match.subtype}: {mask(value)}",
                scanner=self.name,
                scanner_version=self.version,
                match_key=keyed_digest(value),
                confidence=match.confidence,
            )
