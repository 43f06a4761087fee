"""Secret formats as data. Each pattern is RE2 syntax (linear time on hostile input).

Group 1 of every pattern is the secret itself; the rest is context. Formats come from each
provider's published token documentation.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ASSIGNMENT_PATTERN", "PROVIDER_PATTERNS", "SECRET_KEY_NAMES", "SecretPattern"]


@dataclass(frozen=True, slots=True)
class SecretPattern:
    """A named secret format: ``subtype`` is reported, ``confidence`` reflects how unique the shape is."""

    subtype: str
    regex: str
    confidence: float


PROVIDER_PATTERNS: tuple[SecretPattern, ...] = (
    # AWS access key ids: documented 4-letter prefixes + 16 base32 characters.
    SecretPattern("AWS_ACCESS_KEY", r"\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b", 0.95),
    SecretPattern(
        "AWS_SECRET_KEY",
        r"(?i)aws.{0,20}?(?:secret|private).{0,20}?['\"=:\s]{1,4}([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+]|$)",
        0.9,
    ),
    # GitHub tokens: ghp_/gho_/ghu_/ghs_/ghr_ + 36 chars, and fine-grained github_pat_.
    SecretPattern("GITHUB_TOKEN", r"\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255})\b", 0.97),
    SecretPattern("GITHUB_TOKEN", r"\b(github_pat_[A-Za-z0-9_]{60,255})\b", 0.97),
    SecretPattern("GITLAB_TOKEN", r"\b(glpat-[A-Za-z0-9_\-]{20,64})\b", 0.95),
    SecretPattern("SLACK_TOKEN", r"\b(xox[abposr]-[A-Za-z0-9-]{10,200})\b", 0.95),
    SecretPattern(
        "SLACK_WEBHOOK", r"(https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+)", 0.95
    ),
    SecretPattern(
        "OPENAI_API_KEY",
        r"\b(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,200}T3BlbkFJ[A-Za-z0-9_\-]{20,200})\b",
        0.98,
    ),
    SecretPattern("OPENAI_API_KEY", r"\b(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,200})\b", 0.9),
    SecretPattern("ANTHROPIC_API_KEY", r"\b(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_\-]{80,120})\b", 0.98),
    SecretPattern("HUGGINGFACE_TOKEN", r"\b(hf_[A-Za-z]{34})\b", 0.9),
    SecretPattern("STRIPE_KEY", r"\b((?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,99})\b", 0.95),
    SecretPattern("GOOGLE_API_KEY", r"\b(AIza[0-9A-Za-z_\-]{35})\b", 0.9),
    SecretPattern("GCP_SERVICE_ACCOUNT", r"\"type\"\s*:\s*\"(service_account)\"", 0.6),
    SecretPattern("AZURE_STORAGE_KEY", r"AccountKey=([A-Za-z0-9+/]{86}==)", 0.95),
    SecretPattern("SENDGRID_KEY", r"\b(SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})\b", 0.95),
    SecretPattern("TELEGRAM_BOT_TOKEN", r"\b(\d{8,10}:AA[A-Za-z0-9_\-]{33})\b", 0.9),
    SecretPattern("NPM_TOKEN", r"\b(npm_[A-Za-z0-9]{36})\b", 0.9),
    SecretPattern("PYPI_TOKEN", r"\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,})", 0.98),
    SecretPattern("YANDEX_CLOUD_KEY", r"\b(AQVN[A-Za-z0-9_\-]{35,38})\b", 0.85),
    SecretPattern("YANDEX_CLOUD_TOKEN", r"\b(t1\.[A-Z0-9a-z_\-]+[=]{0,2}\.[A-Z0-9a-z_\-]{86}[=]{0,2})", 0.9),
    SecretPattern(
        "PRIVATE_KEY",
        r"(-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----)",
        0.99,
    ),
    SecretPattern("JWT", r"\b(eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{16,})", 0.85),
    # URLs with an inline password: scheme://user:password@host (databases, brokers, object stores).
    SecretPattern(
        "DATABASE_URL",
        r"\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|clickhouse|oracle)"
        r"(?:\+[a-z0-9]+)?://[^\s:/@'\"]{1,64}:([^\s@'\"/]{3,128})@[^\s'\"]+",
        0.9,
    ),
)

# Key names whose value is a credential when it is long and random enough.
SECRET_KEY_NAMES = (
    r"(?:api[_\-.]?key|apikey|secret(?:[_\-.]?key)?|access[_\-.]?token|auth[_\-.]?token|password|passwd|pwd"  # noqa: S105
    r"|token|client[_\-.]?secret|private[_\-.]?key|credentials?)"
)

ASSIGNMENT_PATTERN = (
    r"(?i)([A-Za-z0-9_\-.]*"
    + SECRET_KEY_NAMES
    + r"[A-Za-z0-9_\-.]*)['\"]?\s*(?:=|:|:=|=>)\s*['\"]?([^\s'\",;#]{8,256})"
)
