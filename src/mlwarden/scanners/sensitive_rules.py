"""Rules for sensitive data found in files: secrets, personal data and organisation identifiers.

One module, so the config, notebook, source and dataset scanners report the same thing under the
same rule id, and the guard can name the same rule when it redacts a request.
"""

from __future__ import annotations

from mlwarden.core.findings import Severity, Stage
from mlwarden.core.rules import Rule
from mlwarden.detectors.base import Match

__all__ = [
    "CREDENTIAL_URL",
    "GENERIC_CREDENTIAL",
    "ORG_IDENTIFIER",
    "PERSONAL_DATA",
    "PERSONAL_DATA_COLUMN",
    "PII_RULES",
    "PRIVATE_KEY",
    "PROVIDER_KEY",
    "SECRET_RULES",
    "SENSITIVE_PII_KINDS",
    "SENSITIVE_RULES",
    "pii_rule",
    "pii_severity",
    "secret_rule",
]

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


def secret_rule(match: Match) -> Rule:
    """Which rule a secret match reports under."""
    if match.subtype == "PRIVATE_KEY":
        return PRIVATE_KEY
    if match.subtype == "DATABASE_URL":
        return CREDENTIAL_URL
    if match.subtype == "GENERIC_CREDENTIAL":
        return GENERIC_CREDENTIAL
    return PROVIDER_KEY


# Special categories and identifiers whose leak enables identity theft or fraud: one is already high.
SENSITIVE_PII_KINDS = frozenset({"CREDIT_CARD", "IBAN", "US_SSN", "RU_PASSPORT", "RU_SNILS", "RU_INN"})

_PII_RISKS = ("DATA-02", "DATA-08", "DES-02", "SERVE-10")

PERSONAL_DATA = Rule(
    id="MW-PII-001",
    title="Personal data in a file",
    severity=Severity.MEDIUM,
    risk_ids=_PII_RISKS,
    stage=Stage.DATA,
    help=(
        "Text holds personal data (contacts, national identifiers, payment data, names or addresses). Under "
        "GDPR and Russian 152-FZ it must be classified, minimised and erasable; in notebooks and logs it leaks "
        "through version control and shared outputs."
    ),
    remediation=(
        "Remove or mask the values (mlwarden redact), keep personal data out of notebooks' outputs and "
        "repositories, and record the data's legal basis and owner."
    ),
    cwe="CWE-359",
)
PERSONAL_DATA_COLUMN = Rule(
    id="MW-PII-002",
    title="Dataset column holds personal data",
    severity=Severity.HIGH,
    risk_ids=("DATA-02", "DATA-08", "DES-02"),
    stage=Stage.DATA,
    help=(
        "Most sampled values of a dataset column are personal data of one kind; a model trained on it can "
        "memorise and reveal them, and every copy of the dataset falls under data-protection law."
    ),
    remediation=(
        "Drop the column if the model does not need it, otherwise pseudonymise it (mlwarden redact --mode hash) "
        "and keep the mapping outside the training environment; register the dataset's legal basis."
    ),
    cwe="CWE-359",
)
ORG_IDENTIFIER = Rule(
    id="MW-PII-003",
    title="Organisation identifiers (not personal data)",
    severity=Severity.INFO,
    risk_ids=("DATA-02",),
    stage=Stage.DATA,
    help=(
        "Company registration numbers (Russian INN of a legal entity, OGRN, KPP) identify organisations, not "
        "people; reported for data classification and never redacted as personal data."
    ),
    remediation="Nothing to fix; classify the data set as containing business identifiers.",
)

PII_RULES: tuple[Rule, ...] = (PERSONAL_DATA, PERSONAL_DATA_COLUMN, ORG_IDENTIFIER)
SENSITIVE_RULES: tuple[Rule, ...] = (*SECRET_RULES, *PII_RULES)


def pii_rule(match: Match) -> Rule:
    """Which rule a personal-data match reports under (organisation ids are not personal data)."""
    return ORG_IDENTIFIER if match.kind == "ORG_ID" else PERSONAL_DATA


def pii_severity(match: Match) -> Severity:
    """High for identifiers that enable fraud or identity theft, medium for contacts and names."""
    if match.kind == "ORG_ID":
        return Severity.INFO
    return Severity.HIGH if match.kind in SENSITIVE_PII_KINDS else Severity.MEDIUM
