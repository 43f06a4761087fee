"""Hugging Face config scanner: auto_map custom code and the module files it would import."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.errors import BudgetExceeded
from mlwarden.core.findings import Finding
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.hf_folder import HuggingFaceConfigScanner


def _scan_bytes(data: bytes, name: str = "config.json", fs_path: Path | None = None) -> list[Finding]:
    artifact = Artifact(
        path=f"model/{name}", format=Format.JSON, size=len(data), opener=lambda: io.BytesIO(data), fs_path=fs_path
    )
    return list(HuggingFaceConfigScanner().scan(artifact, ScanContext()))


def _write(tmp_path: Path, name: str, config: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(config))
    return path


def _rules(findings: list[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings)


def test_plain_configs_and_other_json_are_clean() -> None:
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 64}
    assert _scan_bytes(json.dumps(config).encode()) == []
    auto = {"auto_map": {"AutoModel": "modeling_x.XModel"}}
    assert _scan_bytes(json.dumps(auto).encode(), name="data.json") == []
    assert _scan_bytes(b"{broken") == []


def test_auto_map_with_module_files(tmp_path: Path) -> None:
    (tmp_path / "modeling_evil.py").write_text("import os\n")
    config = {
        "model_type": "evil",
        "auto_map": {"AutoConfig": "configuration_evil.EvilConfig", "AutoModelForCausalLM": "modeling_evil.EvilModel"},
    }
    path = _write(tmp_path, "config.json", config)
    findings = _scan_bytes(path.read_bytes(), fs_path=path)
    assert _rules(findings) == ["MW-HF-001", "MW-HF-003"]
    assert "configuration_evil.py" in findings[0].message and "modeling_evil.py" in findings[0].message
    assert "modeling_evil.py" in findings[1].message


def test_tokenizer_config_lists_and_cross_repo(tmp_path: Path) -> None:
    config = {"auto_map": {"AutoTokenizer": ["other/repo--tokenization_x.XTokenizer", None]}}
    path = _write(tmp_path, "tokenizer_config.json", config)
    findings = _scan_bytes(path.read_bytes(), name="tokenizer_config.json", fs_path=path)
    assert _rules(findings) == ["MW-HF-002"] and "other/repo" in findings[0].message


def test_module_name_with_path_is_flagged() -> None:
    config = {"auto_map": {"AutoModel": "../../evil.Model"}}
    assert "MW-HF-002" in _rules(_scan_bytes(json.dumps(config).encode()))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_arbitrary_bytes(data: bytes) -> None:
    with contextlib.suppress(BudgetExceeded):
        _scan_bytes(data)
        _scan_bytes(b'{"auto_map": ' + data)
