"""The secrets detector: provider formats, credential URLs, assignments, and what it must not flag.

Fake tokens are assembled at run time so neither push protection nor our own scanner flags this file.
"""

from __future__ import annotations

import time

import pytest

from mlwarden.detectors.redact import keyed_digest, mask
from mlwarden.detectors.secrets import find_secrets

AWS = "AKIA" + "Q3EXAMPLE7XYZ4AB"
GITHUB = "ghp_" + "x1Y2z3" * 6
SLACK = "xoxb-" + "123456789012-" + "abcdefABCDEF1234"
HF = "hf_" + "abcdefghij" * 3 + "klmn"
PEM = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"


def _subtypes(text: str) -> list[str | None]:
    return [m.subtype for m in find_secrets(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"key = {AWS}", "AWS_ACCESS_KEY"),
        (f"token: {GITHUB}", "GITHUB_TOKEN"),
        (f"SLACK={SLACK}", "SLACK_TOKEN"),
        (f"HF_TOKEN={HF}", "HUGGINGFACE_TOKEN"),
        (PEM, "PRIVATE_KEY"),
        ("url: postgresql://app:" + "S3cretPass" + "@db.internal:5432/x", "DATABASE_URL"),
        ("redis://:" + "hunter22pass" + "@cache:6379/0", None),  # no user: not our URL shape
        ("db_password: " + "Tr41n-Pa55-word", "GENERIC_CREDENTIAL"),
        ("api_key = '" + "9f8Kq2LmZx7Vb3Nw1Rt6Yp0Hs5Jd4Gc" + "'", "GENERIC_CREDENTIAL"),
    ],
)
def test_detects(text: str, expected: str | None) -> None:
    found = _subtypes(text)
    if expected is None:
        assert "DATABASE_URL" not in found
    else:
        assert expected in found


@pytest.mark.parametrize(
    "text",
    [
        "api_key = ${API_KEY}",
        "password: changeme",
        "token: <your-token-here>",
        "secret_key = os.environ['SECRET_KEY']",
        "password_hash_algorithm: argon2",
        "api_key: settings.openai.api_key",
        "model_name: bert-base-uncased",
        "learning_rate: 0.0003",
        "sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "token_limit: 4096",
        "password: {{ vault_password }}",
    ],
)
def test_does_not_flag_placeholders_and_ordinary_config(text: str) -> None:
    assert _subtypes(text) == []


def test_offsets_point_at_the_secret_itself() -> None:
    text = f"x = 1\naws_key = {AWS}\n"
    (match,) = [m for m in find_secrets(text) if m.subtype == "AWS_ACCESS_KEY"]
    assert text[match.start : match.end] == AWS


def test_mask_and_digest_never_reveal_the_value() -> None:
    masked = mask(AWS)
    assert AWS not in masked
    assert masked.startswith("AK") and "(20 chars)" in masked
    assert mask("Tr41n1ng-Pa55") == "T…(13 chars)"
    assert mask("hunter2") == "*******(7 chars)"
    assert keyed_digest(AWS) == keyed_digest(AWS)
    assert keyed_digest(AWS) != keyed_digest(AWS + "x")
    assert AWS not in keyed_digest(AWS)


def test_hostile_input_runs_in_linear_time() -> None:
    # Backtracking bait for naive patterns: long runs of near-matches with no terminator.
    bait = "password=" + "a" * 200_000 + "\n" + "postgresql://" + "u" * 200_000 + ":" * 50_000
    started = time.perf_counter()
    list(find_secrets(bait))
    assert time.perf_counter() - started < 5.0
