"""The bundled example project: the demo's expectations, and scanning with heavy frameworks blocked."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "vulnerable-project"


def _make_models_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_models", EXAMPLE / "make_models.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # our own example script, not an artifact
    return module


@pytest.fixture(scope="module")
def example_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project with its generated model files, in a temporary folder."""
    root = tmp_path_factory.mktemp("example") / "vulnerable-project"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("generated"))
    module = _make_models_module()
    module.OUT = root / "models" / "generated"
    module.main()
    return root


BLOCKER = textwrap.dedent(
    """
    import importlib.abc, json, sys
    BLOCKED = {"torch", "onnx", "h5py", "tensorflow", "keras", "art", "numpy", "pandas", "sklearn", "joblib"}

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"blocked heavy import: {name}")
            return None

    sys.meta_path.insert(0, Block())
    import mlwarden
    result = mlwarden.scan([sys.argv[1]])
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    print(json.dumps({
        "rules": sorted({f.rule_id for f in result.findings}),
        "errors": [e.message for e in result.errors],
        "heavy": heavy,
    }))
    """
)


def test_scan_works_with_heavy_frameworks_blocked(example_copy: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", BLOCKER, str(example_copy)], capture_output=True, text=True, check=False, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["heavy"] == []
    assert "MW-SECRET-001" in report["rules"]
    assert not [e for e in report["errors"] if "blocked heavy import" in e]


def test_demo_payload_never_runs(example_copy: Path) -> None:
    import mlwarden

    canary = _make_models_module().CANARY
    canary.unlink(missing_ok=True)
    result = mlwarden.scan([example_copy])
    assert not canary.exists()
    assert result.max_severity() is mlwarden.Severity.CRITICAL
    secret_paths = {f.location.path for f in result.findings if f.rule_id.startswith("MW-SECRET")}
    assert any(path.endswith("training.yaml") for path in secret_paths)
    assert any(path.endswith(".env") for path in secret_paths)
