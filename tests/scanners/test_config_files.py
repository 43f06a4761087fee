"""The configuration-file secrets scanner, end to end through the engine."""

from __future__ import annotations

from pathlib import Path

from mlwarden.scanners.config_files import ConfigSecretsScanner
from mlwarden.scanners.engine import run_scan
from mlwarden.scanners.registry import Registry

AWS = "AKIA" + "Q3EXAMPLE7XYZ4AB"


def test_secret_in_yaml_has_line_and_masked_evidence(tmp_path: Path) -> None:
    config = tmp_path / "train.yaml"
    config.write_text(f"model: x\nstorage:\n  aws_access_key_id: {AWS}\n", encoding="utf-8")
    result = run_scan([config], registry=Registry((ConfigSecretsScanner(),)))
    (finding,) = result.findings
    assert finding.rule_id == "MW-SECRET-001"
    assert finding.location.line == 3
    assert AWS not in finding.evidence
    assert AWS not in finding.message
    assert AWS not in finding.match_key


def test_clean_config_gives_nothing(tmp_path: Path) -> None:
    config = tmp_path / "params.json"
    config.write_text('{"learning_rate": 0.01, "token_limit": 4096, "password": "${DB_PASSWORD}"}', encoding="utf-8")
    result = run_scan([config], registry=Registry((ConfigSecretsScanner(),)))
    assert result.findings == ()
    assert [a.format for a in result.artifacts] == ["json"]
