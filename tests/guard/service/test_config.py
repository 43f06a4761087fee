"""guard.yaml: defaults, line-accurate errors, key hashing."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlwarden.core.errors import ConfigError
from mlwarden.guard.auth import KeyRing, extract_key, hash_key
from mlwarden.guard.config import ApiKeyConfig, load_guard_config, parse_guard_config

_MINIMAL = """\
routes:
  - path: /invocations
    kind: mlflow
    upstream: http://127.0.0.1:5001
"""


def test_minimal_config_defaults() -> None:
    config = parse_guard_config(_MINIMAL)
    assert config.listen.host == "127.0.0.1"
    assert config.audit.url.endswith(".mlwarden/guard-audit.db")
    assert config.routes[0].auth is True


def test_error_names_key_and_line() -> None:
    text = _MINIMAL + "    timeout: -1\n"
    with pytest.raises(ConfigError) as info:
        parse_guard_config(text, source="guard.yaml")
    assert info.value.line == 5
    assert "routes.0.timeout" in str(info.value)


def test_pipeline_sections_are_validated() -> None:
    with pytest.raises(ConfigError) as info:
        parse_guard_config(_MINIMAL + "input:\n  injection:\n    action: explode\n")
    assert "input.injection.action" in str(info.value)
    assert info.value.line == 7


def test_plain_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "guard.yaml"
    path.write_text(_MINIMAL + "api_keys:\n  - id: a\n    hash: mwk_plaintext\n")
    with pytest.raises(ConfigError) as info:
        load_guard_config(path)
    assert info.value.line == 7


def test_sha256_and_scrypt_keys() -> None:
    fast, slow = "mwk_" + "a" * 40, "correct horse " + "battery"
    ring = KeyRing(
        [
            ApiKeyConfig(id="fast", hash=hash_key(fast), scopes=["x"]),
            ApiKeyConfig(id="slow", hash=hash_key(slow, scheme="scrypt")),
            ApiKeyConfig(id="off", hash=hash_key("mwk_disabled"), disabled=True),
        ]
    )
    assert ring.authenticate(fast).key_id == "fast"  # type: ignore[union-attr]
    assert ring.authenticate(slow).key_id == "slow"  # type: ignore[union-attr]
    assert ring.authenticate(slow).key_id == "slow"  # type: ignore[union-attr]  # cached
    assert ring.authenticate("mwk_disabled") is None
    assert ring.authenticate("nope") is None


def test_extract_key() -> None:
    assert extract_key("Bearer abc", None) == "abc"
    assert extract_key("bearer abc ", None) == "abc"
    assert extract_key(None, "k") == "k"
    assert extract_key("Basic zzz", None) is None
    assert extract_key(None, "x" * 1000) is None
