"""Secret formats as data. Each pattern is RE2 syntax (linear time on hostile input).

Group 1 of every pattern is the secret itself; the rest is context. Formats come from each
provider's published token documentation.

Every pattern declares its *anchors*: literals of which each match contains at least one (compared
case-insensitively when the pattern starts with ``(?i)``). The detector scans a text once for all
anchors and runs only the patterns whose anchors occur, so a text without ``ghp_`` never pays for the
GitHub pattern. An anchor must be implied by the regex itself; ``tests/detectors/test_secrets_providers.py``
checks every pattern against its examples and generated matches.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ASSIGNMENT_ANCHORS", "ASSIGNMENT_PATTERN", "PROVIDER_PATTERNS", "SECRET_KEY_NAMES", "SecretPattern"]


@dataclass(frozen=True, slots=True)
class SecretPattern:
    """A named secret format: ``subtype`` is reported, ``confidence`` reflects how unique the shape is.

    ``anchors``: literals of which every match of ``regex`` contains at least one (see the module docstring).
    """

    subtype: str
    regex: str
    confidence: float
    anchors: tuple[str, ...]

    @property
    def ignore_case(self) -> bool:
        """Whether the pattern, and so its anchors, ignore case."""
        return self.regex.startswith("(?i)")


def _keyed(context: str, value: str) -> str:
    """A provider whose keys have no prefix: its name, then within a few characters an assignment and the value."""
    return rf"(?i){context}[\w.-]{{0,30}}['\"]?\s{{0,3}}(?:=|:|:=|=>)\s{{0,3}}['\"]?({value})(?:[^A-Za-z0-9_\-]|$)"


_GITLAB_PREFIXES = (
    "glpat-", "gldt-", "glrt-", "glptt-", "glft-", "glcbt-", "glsoat-", "gloas-", "glagent-", "glimt-", "glffct-",
)  # fmt: skip

PROVIDER_PATTERNS: tuple[SecretPattern, ...] = (
    # --- Cloud providers ---------------------------------------------------------------------------------
    # AWS access key ids: documented 4-letter prefixes + 16 base32 characters.
    SecretPattern(
        "AWS_ACCESS_KEY", r"\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b", 0.95, ("AKIA", "ASIA", "ABIA", "ACCA")
    ),
    SecretPattern(
        "AWS_SECRET_KEY",
        r"(?i)aws.{0,20}?(?:secret|private).{0,20}?['\"=:\s]{1,4}([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+]|$)",
        0.9,
        ("aws",),
    ),
    SecretPattern("GOOGLE_API_KEY", r"\b(AIza[0-9A-Za-z_\-]{35})(?:[^0-9A-Za-z_\-]|$)", 0.9, ("AIza",)),
    SecretPattern("GCP_OAUTH_SECRET", r"\b(GOCSPX-[A-Za-z0-9_\-]{28})(?:[^A-Za-z0-9_\-]|$)", 0.95, ("GOCSPX-",)),
    SecretPattern("GCP_ACCESS_TOKEN", r"\b(ya29\.[0-9A-Za-z_\-]{30,1000})", 0.85, ("ya29.",)),
    SecretPattern("GCP_SERVICE_ACCOUNT", r"\"type\"\s*:\s*\"(service_account)\"", 0.6, ('"service_account"',)),
    SecretPattern("AZURE_STORAGE_KEY", r"AccountKey=([A-Za-z0-9+/]{86}==)", 0.95, ("AccountKey=",)),
    # Entra ID (Azure AD) client secrets: 3 chars, a digit, "Q~", then 31-34 chars.
    SecretPattern(
        "AZURE_CLIENT_SECRET",
        r"(?:^|[^A-Za-z0-9_~.\-])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34})(?:[^A-Za-z0-9_~.\-]|$)",
        0.9,
        ("Q~",),
    ),
    SecretPattern("DIGITALOCEAN_TOKEN", r"\b(do[opr]_v1_[a-f0-9]{64})\b", 0.97, ("dop_v1_", "doo_v1_", "dor_v1_")),
    SecretPattern("YANDEX_CLOUD_KEY", r"\b(AQVN[A-Za-z0-9_\-]{35,38})\b", 0.85, ("AQVN",)),
    SecretPattern("YANDEX_CLOUD_TOKEN", r"\b(t1\.[A-Z0-9a-z_\-]+[=]{0,2}\.[A-Z0-9a-z_\-]{86}[=]{0,2})", 0.9, ("t1.",)),
    SecretPattern("YANDEX_CLOUD_STATIC_KEY", r"\b(YC[A-Za-z0-9_\-]{38})\b", 0.75, ("YC",)),
    SecretPattern("DATABRICKS_TOKEN", r"\b(dapi[a-f0-9]{32}(?:-\d)?)\b", 0.9, ("dapi",)),
    # --- Code hosting and package registries -----------------------------------------------------------------
    # GitHub: ghp_/gho_/ghu_/ghs_/ghr_ + 36..255 chars, and fine-grained github_pat_.
    SecretPattern(
        "GITHUB_TOKEN",
        r"\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255})\b",
        0.97,
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    ),
    SecretPattern("GITHUB_TOKEN", r"\b(github_pat_[A-Za-z0-9_]{60,255})\b", 0.97, ("github_pat_",)),
    # GitLab: personal/project/group (glpat-), deploy (gldt-), runner (glrt-), trigger (glptt-), feed (glft-),
    # CI job (glcbt-), SCIM (glsoat-), OAuth app secret (gloas-), agent (glagent-), incoming mail (glimt-).
    SecretPattern(
        "GITLAB_TOKEN",
        r"\b((?:glpat|gldt|glrt|glptt|glft|glcbt|glsoat|gloas|glagent|glimt|glffct)-[A-Za-z0-9_\-]{20,64}(?:\.[A-Za-z0-9_.\-]{2,64})?)",
        0.95,
        _GITLAB_PREFIXES,
    ),
    SecretPattern("GITLAB_TOKEN", r"\b(GR1348941[A-Za-z0-9_\-]{20,64})\b", 0.9, ("GR1348941",)),
    SecretPattern("NPM_TOKEN", r"\b(npm_[A-Za-z0-9]{36})\b", 0.9, ("npm_",)),
    SecretPattern("PYPI_TOKEN", r"\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,})", 0.98, ("pypi-AgEIcHlwaS5vcmc",)),
    SecretPattern("DOCKERHUB_TOKEN", r"\b(dckr_(?:pat|oat)_[A-Za-z0-9_\-]{27,})", 0.95, ("dckr_pat_", "dckr_oat_")),
    # --- Chat and messaging ------------------------------------------------------------------------------------
    SecretPattern("SLACK_TOKEN", r"\b(xox[abposre]-[A-Za-z0-9-]{10,200})\b", 0.95, ("xox",)),
    SecretPattern("SLACK_TOKEN", r"\b(xoxe\.xox[bp]-\d-[A-Za-z0-9]{100,200})\b", 0.95, ("xoxe.xox",)),
    SecretPattern("SLACK_APP_TOKEN", r"\b(xapp-\d-[A-Z0-9]{8,14}-\d{8,16}-[a-f0-9]{32,80})\b", 0.95, ("xapp-",)),
    SecretPattern(
        "SLACK_WEBHOOK",
        r"(https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+)",
        0.95,
        ("https://hooks.slack.com/services/",),
    ),
    SecretPattern("TELEGRAM_BOT_TOKEN", r"\b(\d{8,10}:AA[A-Za-z0-9_\-]{33})(?:[^A-Za-z0-9_\-]|$)", 0.9, (":AA",)),
    SecretPattern(
        "DISCORD_BOT_TOKEN",
        r"\b([MNO][A-Za-z0-9_\-]{23,25}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,38})\b",
        0.8,
        (".",),
    ),
    SecretPattern(
        "DISCORD_WEBHOOK",
        r"(https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{15,20}/[A-Za-z0-9_\-]{60,70})",
        0.95,
        ("/api/webhooks/",),
    ),
    SecretPattern("TWILIO_API_KEY", r"\b(SK[0-9a-f]{32})\b", 0.8, ("SK",)),
    SecretPattern(
        "SENDGRID_KEY", r"\b(SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})(?:[^A-Za-z0-9_\-]|$)", 0.95, ("SG.",)
    ),
    SecretPattern("MAILGUN_KEY", r"\b(key-[0-9a-f]{32})\b", 0.85, ("key-",)),
    SecretPattern("MAILGUN_KEY", _keyed("mailgun", r"[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}"), 0.85, ("mailgun",)),
    # --- Payments ----------------------------------------------------------------------------------------------
    SecretPattern("STRIPE_KEY", r"\b((?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,247})\b", 0.95, ("k_live_", "k_test_")),
    SecretPattern("STRIPE_WEBHOOK_SECRET", r"\b(whsec_[A-Za-z0-9]{32,})\b", 0.9, ("whsec_",)),
    # --- AI and ML platforms ---------------------------------------------------------------------------------------
    SecretPattern(
        "OPENAI_API_KEY",
        r"\b(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,200}T3BlbkFJ[A-Za-z0-9_\-]{20,200})\b",
        0.98,
        ("T3BlbkFJ",),
    ),
    SecretPattern(
        "OPENAI_API_KEY",
        r"\b(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,200})\b",
        0.9,
        ("sk-proj-", "sk-svcacct-", "sk-admin-"),
    ),
    SecretPattern(
        "ANTHROPIC_API_KEY", r"\b(sk-ant-(?:api|admin|oat|ort)\d{2}-[A-Za-z0-9_\-]{80,120})", 0.98, ("sk-ant-",)
    ),
    # Hugging Face user tokens (hf_ + 34 letters) and legacy organisation tokens (api_org_).
    SecretPattern("HUGGINGFACE_TOKEN", r"\b((?:hf_|api_org_)[A-Za-z]{34})\b", 0.9, ("hf_", "api_org_")),
    SecretPattern("REPLICATE_TOKEN", r"\b(r8_[A-Za-z0-9]{37})\b", 0.9, ("r8_",)),
    SecretPattern("GROQ_API_KEY", r"\b(gsk_[A-Za-z0-9]{52})\b", 0.95, ("gsk_",)),
    SecretPattern("PERPLEXITY_API_KEY", r"\b(pplx-[A-Za-z0-9]{48})\b", 0.9, ("pplx-",)),
    SecretPattern("XAI_API_KEY", r"\b(xai-[A-Za-z0-9]{80})\b", 0.9, ("xai-",)),
    SecretPattern("PINECONE_API_KEY", r"\b(pcsk_[A-Za-z0-9]{4,10}_[A-Za-z0-9]{40,90})\b", 0.95, ("pcsk_",)),
    SecretPattern("LANGSMITH_API_KEY", r"\b(lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})\b", 0.97, ("lsv2_",)),
    # Keys without a prefix: only next to the provider's name (WANDB_API_KEY=..., cohere_key: ...).
    SecretPattern("WANDB_API_KEY", _keyed("wandb", r"(?:local-)?[a-f0-9]{40}"), 0.85, ("wandb",)),
    SecretPattern("COHERE_API_KEY", _keyed("(?:cohere|co_api)", r"[A-Za-z0-9]{40}"), 0.8, ("cohere", "co_api")),
    SecretPattern("MISTRAL_API_KEY", _keyed("mistral", r"[A-Za-z0-9]{32}"), 0.8, ("mistral",)),
    # --- Keys, tokens, URLs ---------------------------------------------------------------------------------------
    SecretPattern(
        "PRIVATE_KEY",
        r"(-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----)",
        0.99,
        ("-----BEGIN ",),
    ),
    # JWTs are validated structurally by the detector (the header must decode to JSON naming "alg").
    SecretPattern("JWT", r"\b(eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{16,})", 0.85, ("eyJ",)),
    # URLs with an inline password: scheme://user:password@host (databases, brokers, object stores).
    SecretPattern(
        "DATABASE_URL",
        r"\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|clickhouse|oracle"
        r"|snowflake|cockroachdb|neo4j(?:\+s)?|bolt|kafka|nats|ldaps?|ftp|sftp)"
        r"(?:\+[a-z0-9]+)?://[^\s:/@'\"]{1,64}:([^\s@'\"/]{3,128})@[^\s'\"]+",
        0.9,
        ("://",),
    ),
)

# Key names whose value is a credential when it is long and random enough.
SECRET_KEY_NAMES = (
    r"(?:api[_\-.]?key|apikey|secret(?:[_\-.]?key)?|access[_\-.]?token|auth[_\-.]?token|password|passwd|pwd"  # noqa: S105
    r"|token|client[_\-.]?secret|private[_\-.]?key|credentials?)"
)
# Every key name above contains one of these (case-insensitively), and every assignment an ``=`` or ``:``.
ASSIGNMENT_ANCHORS = ("api", "secret", "token", "passw", "pwd", "private", "credential")

ASSIGNMENT_PATTERN = (
    r"(?i)([A-Za-z0-9_\-.]*"
    + SECRET_KEY_NAMES
    + r"[A-Za-z0-9_\-.]*)['\"]?[ \t]*"
    # A quoted value is taken whole up to its closing quote, ``#`` and spaces included ("Volga68#uPlK").
    + r"(?:(?:=>|:=|=|:)[ \t]*(?:\"([^\"\n\x00]{8,256})\"|'([^'\n\x00]{8,256})')"
    # Unquoted: a colon separates only when followed by a blank or a quote (YAML, JSON, INI), so
    # ``secretsmanager:GetSecret`` or ``arn:...:secret:name`` are not assignments. ``#`` inside the value is
    # part of it; a comment starts with whitespace, which already ends the value.
    + r"|(?:=>|:=|=|:[ \t]*['\"]|:[ \t]+)[ \t]*['\"]?([^\s'\",;]{8,256}))"
)
