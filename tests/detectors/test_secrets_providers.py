"""One synthetic token per provider format, and the look-alikes each format must not flag.

Every token is assembled at run time (prefix + body), so neither push protection nor our own scanner
flags this file. Bodies are deterministic pseudo-random strings of the documented alphabet and length.
"""

from __future__ import annotations

import base64
import json
import random
import re
import string

import pytest
import re2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlwarden.detectors.secrets import find_secrets
from mlwarden.detectors.secrets.detector import _scan
from mlwarden.detectors.secrets.patterns import (
    ASSIGNMENT_ANCHORS,
    ASSIGNMENT_PATTERN,
    PROVIDER_PATTERNS,
    SECRET_KEY_NAMES,
    SecretPattern,
)

_RNG = random.Random(20240601)
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
URLSAFE = ALNUM + "_-"


def body(length: int, alphabet: str = ALNUM) -> str:
    """A random-looking string that always mixes classes (so entropy checks see a real key)."""
    return "".join(_RNG.choice(alphabet) for _ in range(length))


def _b64url(obj: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


JWT = _b64url({"alg": "HS256", "typ": "JWT"}) + "." + _b64url({"sub": "1234567890", "iat": 1}) + "." + body(43, URLSAFE)

PROVIDERS: list[tuple[str, str, str]] = [
    ("AWS_ACCESS_KEY", "aws_access_key_id = {}", "AKIA" + body(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")),
    ("AWS_SECRET_KEY", "aws_secret_access_key = {}", body(40, ALNUM + "/+")),
    ("GOOGLE_API_KEY", "key={}", "AIza" + body(35, URLSAFE)),
    ("GCP_OAUTH_SECRET", '"client_secret": "{}"', "GOCSPX-" + body(28, URLSAFE)),
    ("GCP_ACCESS_TOKEN", "Authorization: Bearer {}", "ya29." + body(120, URLSAFE)),
    ("GCP_SERVICE_ACCOUNT", '"type": {}, "project_id": "x"', '"service_account"'),
    ("AZURE_STORAGE_KEY", "DefaultEndpointsProtocol=https;AccountName=x;AccountKey={}", body(86, ALNUM + "+/") + "=="),
    ("AZURE_CLIENT_SECRET", "AZURE_CLIENT_SECRET={}", body(3) + "8Q~" + body(34, ALNUM + "_~.-")),
    ("DIGITALOCEAN_TOKEN", "DO_TOKEN={}", "dop_v1_" + body(64, HEX)),
    ("YANDEX_CLOUD_KEY", "api_key: {}", "AQVN" + body(36, URLSAFE)),
    ("YANDEX_CLOUD_TOKEN", "iam: {}", "t1." + body(30, URLSAFE) + "." + body(86, URLSAFE)),
    ("YANDEX_CLOUD_STATIC_KEY", "key_id: {}", "YC" + body(38, URLSAFE)),
    ("DATABRICKS_TOKEN", "DATABRICKS_TOKEN={}", "dapi" + body(32, HEX)),
    ("GITHUB_TOKEN", "token: {}", "ghp_" + body(36)),
    ("GITHUB_TOKEN", "token: {}", "github_pat_" + body(22) + "_" + body(59)),
    ("GITLAB_TOKEN", "GITLAB_TOKEN={}", "glpat-" + body(20, URLSAFE)),
    ("GITLAB_TOKEN", "runner: {}", "glrt-" + body(20, URLSAFE) + ".01." + body(9, HEX)),
    ("GITLAB_TOKEN", "deploy: {}", "gldt-" + body(20, URLSAFE)),
    ("GITLAB_TOKEN", "registration_token = {}", "GR1348941" + body(20, URLSAFE)),
    ("NPM_TOKEN", "//registry.npmjs.org/:_authToken={}", "npm_" + body(36)),
    ("PYPI_TOKEN", "password = {}", "pypi-AgEIcHlwaS5vcmc" + body(70, URLSAFE)),
    ("DOCKERHUB_TOKEN", "DOCKER_PAT={}", "dckr_pat_" + body(27, URLSAFE)),
    (
        "SLACK_TOKEN",
        "SLACK_BOT_TOKEN={}",
        "xoxb-" + body(13, string.digits) + "-" + body(13, string.digits) + "-" + body(24),
    ),
    ("SLACK_TOKEN", "SLACK_REFRESH={}", "xoxe." + "xoxp-1-" + body(140)),
    (
        "SLACK_APP_TOKEN",
        "SLACK_APP_TOKEN={}",
        "xapp-1-A"
        + body(10, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        + "-"
        + body(13, string.digits)
        + "-"
        + body(64, HEX),
    ),
    ("SLACK_WEBHOOK", "url: {}", "https://hooks.slack.com/services/T" + body(10) + "/B" + body(10) + "/" + body(24)),
    ("TELEGRAM_BOT_TOKEN", "bot = {}", body(10, string.digits) + ":AA" + body(33, URLSAFE)),
    (
        "DISCORD_BOT_TOKEN",
        "DISCORD_TOKEN={}",
        "M" + body(25, URLSAFE) + "." + body(6, URLSAFE) + "." + body(38, URLSAFE),
    ),
    (
        "DISCORD_WEBHOOK",
        "hook = {}",
        "https://discord.com/api/webhooks/" + body(18, string.digits) + "/" + body(68, URLSAFE),
    ),
    ("TWILIO_API_KEY", "TWILIO_API_KEY={}", "SK" + body(32, HEX)),
    ("SENDGRID_KEY", "SENDGRID_API_KEY={}", "SG." + body(22, URLSAFE) + "." + body(43, URLSAFE)),
    ("MAILGUN_KEY", "MAILGUN_API_KEY={}", "key-" + body(32, HEX)),
    ("MAILGUN_KEY", "mailgun_api_key: {}", body(32, HEX) + "-" + body(8, HEX) + "-" + body(8, HEX)),
    ("STRIPE_KEY", "STRIPE_SECRET_KEY={}", "sk_" + "live_" + body(99)),
    ("STRIPE_WEBHOOK_SECRET", "STRIPE_WEBHOOK={}", "whsec_" + body(32)),
    ("OPENAI_API_KEY", "OPENAI_API_KEY={}", "sk-proj-" + body(40, URLSAFE) + "T3Blbk" + "FJ" + body(40, URLSAFE)),
    ("OPENAI_API_KEY", "OPENAI_API_KEY={}", "sk-svcacct-" + body(60, URLSAFE)),
    ("ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY={}", "sk-ant-" + "api03-" + body(93, URLSAFE) + "AA"),
    ("HUGGINGFACE_TOKEN", "HF_TOKEN={}", "hf_" + body(34, string.ascii_letters)),
    ("REPLICATE_TOKEN", "REPLICATE_API_TOKEN={}", "r8_" + body(37)),
    ("GROQ_API_KEY", "GROQ_API_KEY={}", "gsk_" + body(52)),
    ("PERPLEXITY_API_KEY", "PPLX={}", "pplx-" + body(48)),
    ("XAI_API_KEY", "XAI={}", "xai-" + body(80)),
    ("PINECONE_API_KEY", "PINECONE_API_KEY={}", "pcsk_" + body(6) + "_" + body(63)),
    ("LANGSMITH_API_KEY", "LANGSMITH_API_KEY={}", "lsv2_" + "pt_" + body(32, HEX) + "_" + body(10, HEX)),
    ("WANDB_API_KEY", "WANDB_API_KEY={}", body(40, HEX)),
    ("COHERE_API_KEY", "COHERE_API_KEY={}", body(40)),
    ("MISTRAL_API_KEY", "MISTRAL_API_KEY={}", body(32)),
    (
        "PRIVATE_KEY",
        "{}",
        "-----BEGIN OPENSSH " + "PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----",
    ),
    ("JWT", "Authorization: Bearer {}", JWT),
    ("DATABASE_URL", "DATABASE_URL={}", "postgresql+psycopg://trainer:" + body(16) + "@db.internal:5432/features"),
    ("DATABASE_URL", "uri: {}", "mongodb+srv://etl:" + body(12) + "@cluster0.example.net/db"),
    ("DATABASE_URL", "broker: {}", "amqps://worker:" + body(12) + "@mq.internal/"),
]


@pytest.mark.parametrize(
    ("subtype", "template", "token"), PROVIDERS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PROVIDERS)]
)
def test_provider_token_is_found_with_its_span(subtype: str, template: str, token: str) -> None:
    text = "# config\n" + template.format(token) + "\n"
    matches = [m for m in find_secrets(text) if m.subtype == subtype]
    assert matches, f"{subtype} not found in {template.format('<token>')}"
    value = text[matches[0].start : matches[0].end]
    assert value in token or token.startswith(value[:8]) or value in text


def test_every_provider_subtype_has_a_positive_example() -> None:
    declared = {p.subtype for p in PROVIDER_PATTERNS}
    assert declared <= {subtype for subtype, _, _ in PROVIDERS}


def test_service_account_json_is_found() -> None:
    text = '{"type": "service_account", "project_id": "x", "private_key": "-----BEGIN ' + 'PRIVATE KEY-----\\nMII"}'
    subtypes = {m.subtype for m in find_secrets(text)}
    assert {"GCP_SERVICE_ACCOUNT", "PRIVATE_KEY"} <= subtypes


NEGATIVES = [
    # JWT look-alikes: the header must decode to JSON with "alg".
    "eyJ" + "notbase64json" + ".eyJ" + "alsonotjson12" + "." + "signaturesignaturesig",
    "x = " + _b64url({"typ": "JWT"}) + "." + _b64url({"sub": "1"}) + "." + "a" * 20,
    # Prefix-less provider keys need their provider's name next to them.
    "sha1 = " + "0123456789abcdef" * 2 + "01234567",
    "commit: " + "deadbeef" * 5,
    # A database URL whose password is a placeholder.
    "url = postgresql://user:password@localhost/db",
    "url = mysql://root:${DB_PASSWORD}@db/x",
    # Words and identifiers next to secret-named keys.
    "token_type = 'bare-quoted-string'",
    "password: Incomplete",
    "self.password = password",
    "token = self.get_token()",
    "tokens = ParseResults([default_value])",
    "ctx.load_cert_chain(CERTFILE, password=KEY_PASSWORD)",
    "arn:aws:secretsmanager:us-west-2:123456789012:secret:MyTestSecret-a1b2c3",
    '"Action": "secretsmanager:GetSecretValue"',
    "X-Amz-Credential=[credential]&X-Amz-Signature=[signature]",
    "api_key: https://docs.example.com/keys/how-to-create",
    # Short or structured strings with prefixes seen in real keys.
    "sk_live_",
    "hf_hub_download(repo_id='org/model')",
    "AKIA is the prefix of AWS access key ids",
    "github_pat_ is the fine-grained token prefix",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_look_alikes_are_not_secrets(text: str) -> None:
    assert [m.subtype for m in find_secrets(text)] == []


def test_password_with_digits_is_still_found() -> None:
    assert [m.subtype for m in find_secrets("db_password = 'Summer" + "2024!'")] == ["GENERIC_CREDENTIAL"]


def test_trailing_call_bracket_is_not_part_of_the_value() -> None:
    text = "connect(password='" + "Tr41n" + "-Pa55')"
    (match,) = find_secrets(text)
    assert text[match.end - 1] != ")"


# --- Anchors: the detector runs a pattern only when one of its declared literals occurs in the text ------------

EXAMPLES = [template.format(token) for _, template, token in PROVIDERS]
_FULL_SCAN = range(len(PROVIDER_PATTERNS) + 1)  # every provider pattern, then the assignment fallback
_PATTERN_IDS = [f"{p.subtype}-{i}" for i, p in enumerate(PROVIDER_PATTERNS)]


def _anchored(pattern: SecretPattern, matched: str) -> bool:
    if pattern.ignore_case:  # RE2's (?i) folds like casefold: "ſ" is an "s", the Kelvin sign a "k"
        return any(anchor.casefold() in matched.casefold() for anchor in pattern.anchors)
    return any(anchor in matched for anchor in pattern.anchors)


def _matches(text: str) -> list[tuple[int, int, str, str | None, float, bool]]:
    return [(m.start, m.end, m.kind, m.subtype, m.confidence, m.validated) for m in find_secrets(text)]


def _full_scan(text: str) -> list[tuple[int, int, str, str | None, float, bool]]:
    return [(m.start, m.end, m.kind, m.subtype, m.confidence, m.validated) for m in _scan(text, _FULL_SCAN)]


@pytest.mark.parametrize("pattern", PROVIDER_PATTERNS, ids=_PATTERN_IDS)
def test_every_pattern_matches_an_example_and_every_match_holds_an_anchor(pattern: SecretPattern) -> None:
    regex = re2.compile(pattern.regex)
    matched = [found.group(0) for text in EXAMPLES for found in regex.finditer(text)]
    assert matched, f"add an example of {pattern.regex!r} to PROVIDERS"
    assert pattern.anchors and all(pattern.anchors)
    for value in matched:
        assert _anchored(pattern, value), f"{pattern.subtype}: none of {pattern.anchors} in a match"


def test_case_is_ignored_only_by_the_whole_pattern() -> None:
    # ``ignore_case`` reads the leading flag; a flag in the middle would need folded anchors the test cannot see.
    for pattern in PROVIDER_PATTERNS:
        assert "(?i" not in pattern.regex[4:], pattern.subtype
    assert ASSIGNMENT_PATTERN.startswith("(?i)")
    key_names = re2.compile(f"(?i){SECRET_KEY_NAMES}")
    for name in ("api_key", "apikey", "secret", "access-token", "auth.token", "password", "passwd", "pwd",
                 "token", "client_secret", "private_key", "credentials"):  # fmt: skip
        assert key_names.fullmatch(name)
        assert any(anchor in name for anchor in ASSIGNMENT_ANCHORS), name


@pytest.mark.parametrize("text", [*EXAMPLES, *NEGATIVES, "\n".join(EXAMPLES)])
def test_anchor_gate_changes_nothing(text: str) -> None:
    assert _matches(text) == _full_scan(text)
    assert _matches(text.upper()) == _full_scan(text.upper())
    folded = text.replace("s", "\u017f").replace("k", "\u212a")  # RE2 folds these into (?i) patterns
    assert _matches(folded) == _full_scan(folded)


@pytest.mark.parametrize("pattern", PROVIDER_PATTERNS, ids=_PATTERN_IDS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_generated_matches_hold_an_anchor(pattern: SecretPattern, data: st.DataObject) -> None:
    text = data.draw(st.from_regex(re.compile(pattern.regex, re.ASCII)))
    for found in re2.compile(pattern.regex).finditer(text):
        assert _anchored(pattern, found.group(0)), f"{pattern.subtype}: none of {pattern.anchors} in {text!r}"
    assert _matches(text) == _full_scan(text)


def test_a_secret_after_a_megabyte_of_noise_is_still_found() -> None:
    noise = "".join(_RNG.choice(ALNUM + "._-:= \n") for _ in range(1 << 20))
    token = "ghp_" + body(36)
    text = noise + " " + token + "\n"
    assert [text[m.start : m.end] for m in find_secrets(text) if m.subtype == "GITHUB_TOKEN"] == [token]
