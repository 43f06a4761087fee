"""Rules for integrity findings: one rule per mismatch kind, so reports and suppressions can name each.

Every rule covers tampering with a model (MODEL-07: "verify hashes and signatures") and with data
(DATA-07: trustworthiness); ``findings(..., subject="data")`` puts the data risk first. A tree that
cannot be pinned at all (symlinks, special files) also undermines versioning (DATA-05).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Literal

from mlwarden.core.findings import Finding, Location, Severity, Stage
from mlwarden.core.rules import Rule, RuleSet
from mlwarden.integrity.mismatch import Mismatch, MismatchKind

__all__ = ["INTEGRITY_RULES", "SCANNER_NAME", "SCANNER_VERSION", "findings", "rule_for"]

SCANNER_NAME = "integrity"
SCANNER_VERSION = 1

_TAMPER = ("MODEL-07", "DATA-07")
_RESTORE = "Do not load the artifact. Restore the reviewed version from a trusted source, or review and sign again."


def _rule(  # noqa: PLR0913 - a table row: every column is named at the call site
    number: int, title: str, severity: Severity, help_text: str, *, cwe: str, risks: tuple[str, ...] = _TAMPER,
    remediation: str = _RESTORE,
) -> Rule:  # fmt: skip
    return Rule(id=f"MW-INTEGRITY-{number:03d}", title=title, severity=severity, risk_ids=risks, stage=Stage.MODEL,
                help=help_text, remediation=remediation, cwe=cwe)  # fmt: skip


_RULES: dict[MismatchKind, Rule] = {
    MismatchKind.MODIFIED: _rule(1, "Signed file was modified", Severity.CRITICAL,
        "The file's bytes differ from the digest in the signed manifest: it was tampered with, corrupted "
        "or truncated after it was reviewed and signed.", cwe="CWE-354"),
    MismatchKind.MISSING: _rule(2, "Signed file is missing", Severity.HIGH,
        "A file listed in the signed manifest is not there. Loaders may fall back to other files or defaults.",
        cwe="CWE-354"),
    MismatchKind.EXTRA: _rule(3, "Unexpected file not covered by the signature", Severity.HIGH,
        "A file is present that the signer never saw; loaders that glob a directory may pick it up "
        "(an extra pickle, a custom code file).", cwe="CWE-345"),
    MismatchKind.BAD_SIGNATURE: _rule(4, "Signature does not verify", Severity.CRITICAL,
        "The signature is not a valid signature of this manifest by the trusted key: the manifest or the "
        "signature was altered, or a signature over another manifest was attached.", cwe="CWE-347"),
    MismatchKind.UNTRUSTED_KEY: _rule(5, "Signed by an untrusted key", Severity.CRITICAL,
        "The bundle names a different signer key than the one you trust.", cwe="CWE-347",
        remediation="Verify with the publisher's key from a trusted channel; do not trust the key inside the bundle."),
    MismatchKind.EXPIRED_KEY: _rule(6, "Trusted key is expired or not yet valid", Severity.HIGH,
        "The certificate given as the trusted key is outside its validity period.", cwe="CWE-324",
        remediation="Obtain the signer's current certificate and have the artifact signed again."),
    MismatchKind.MALFORMED: _rule(7, "Malformed signature", Severity.HIGH,
        "The signature file is not a Sigstore bundle with a DSSE in-toto statement that we can read.",
        cwe="CWE-347", remediation="Sign again with 'mlwarden sign' or 'model_signing sign key'."),
    MismatchKind.PATH_ESCAPE: _rule(8, "Path escapes the artifact root", Severity.CRITICAL,
        "A symlink in the tree, or a path in the signed manifest ('../x', '/etc/x'), points outside the "
        "artifact; following it would read or vouch for files the signer did not mean.", cwe="CWE-22"),
    MismatchKind.SYMLINK: _rule(9, "Symlink in a signed tree", Severity.MEDIUM,
        "A symlink was found and symlinks were not allowed when the artifact was signed.", cwe="CWE-59",
        risks=("MODEL-07", "DATA-07", "DATA-05"),
        remediation="Replace the link with the file, or sign with --allow-symlinks."),
    MismatchKind.UNSUPPORTED: _rule(10, "Entry cannot be hashed", Severity.MEDIUM,
        "A special file (FIFO, socket, device), an unreadable entry, a non-UTF-8 name or an unsupported "
        "hash algorithm keeps the tree from being pinned.", cwe="CWE-345",
        risks=("MODEL-07", "DATA-07", "DATA-05"), remediation="Remove the entry, or ask the signer to use SHA-256."),
}  # fmt: skip

INTEGRITY_RULES = RuleSet(_RULES.values())


_ABOUT_SIGNATURE = frozenset(
    {MismatchKind.BAD_SIGNATURE, MismatchKind.UNTRUSTED_KEY, MismatchKind.EXPIRED_KEY, MismatchKind.MALFORMED}
)


def _join(root: str, rel: str) -> str:
    return root if rel in (".", "") else f"{root.rstrip('/')}/{rel}"


def rule_for(kind: MismatchKind) -> Rule:
    """The rule that reports a mismatch of this kind."""
    return _RULES[kind]


def findings(
    mismatches: Iterable[Mismatch], *, root: str, subject: Literal["model", "data"] = "model"
) -> list[Finding]:
    """Findings for mismatches; ``subject="data"`` reports them under DATA-07 and the data stage."""
    result: list[Finding] = []
    for mismatch in mismatches:
        rule = rule_for(mismatch.kind)
        path = mismatch.path if mismatch.kind in _ABOUT_SIGNATURE else _join(root, mismatch.path)
        finding = rule.finding(location=Location(path=path), message=mismatch.detail, scanner=SCANNER_NAME,
                               scanner_version=SCANNER_VERSION, match_key=mismatch.kind.value)  # fmt: skip
        if subject == "data":
            finding = replace(finding, risk_id="DATA-07", stage=Stage.DATA)
        result.append(finding)
    return result
