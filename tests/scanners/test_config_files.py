"""The configuration-file secrets scanner, end to end through the engine."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.scanners.base import ScanContext
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


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([Format.YAML, Format.JSON, Format.TOML, Format.INI, Format.DOTENV]))
def test_fuzz_any_bytes_in_any_config_format(data: bytes, fmt: Format) -> None:
    artifact = Artifact(path="conf", format=fmt, size=len(data), opener=lambda: io.BytesIO(data))
    for finding in ConfigSecretsScanner().scan(artifact, ScanContext()):
        assert finding.location.line is not None and finding.location.line >= 1


def test_bom_and_windows_1251_configs_keep_their_lines() -> None:
    text = "# Учётные данные для выгрузки датасета, не коммитить\nname: x\nkey: " + AWS + "\n"
    for data in (b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("cp1251"), text.encode("utf-16")):
        artifact = Artifact(path="c.yaml", format=Format.YAML, size=len(data), opener=lambda d=data: io.BytesIO(d))
        [finding] = list(ConfigSecretsScanner().scan(artifact, ScanContext()))
        assert finding.location.line == 3
