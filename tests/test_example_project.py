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
from typing import Any

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


# What `mlwarden scan examples/vulnerable-project` reports, file by file (the README's table; OSV is off in
# the suite, so MW-DEP-011 "advisories unavailable" does not appear). A change here is a behaviour change:
# update examples/vulnerable-project/README.md with it.
EXPECTED_RULES: dict[str, set[str]] = {
    ".env": {"MW-SECRET-004"},
    ".github/workflows/train.yml": {f"MW-CI-00{n}" for n in range(1, 7)},
    "Dockerfile": {f"MW-DOCKER-{n:03d}" for n in range(1, 13)},
    "config/training.yaml": {"MW-SECRET-001", "MW-SECRET-003"},
    "deploy/model-server.yaml": {f"MW-K8S-{n:03d}" for n in (1, 3, 4, 5, 7, 8, 9, 10, 11, 12, 14, 15)},
    "models/generated/bundle.tar.gz": {"MW-PICKLE-001"},
    "models/generated/checkpoint.pt": {"MW-PICKLE-001"},
    "models/generated/classifier.pkl": {"MW-PICKLE-001"},
    "notebook.ipynb": {"MW-CODE-012", "MW-PII-001"},
    "requirements.txt": {"MW-DEP-001", "MW-DEP-004", "MW-DEP-006"},
    "train.py": {f"MW-CODE-{n:03d}" for n in (1, 2, 6, 7, 9, 10, 17)},
}


def _cli(args: list[str]) -> int:
    from mlwarden.cli.main import main

    with pytest.raises(SystemExit) as caught:
        main(args)
    code = caught.value.code
    return code if isinstance(code, int) else 0


@pytest.fixture(scope="module")
def reports(example_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The JSON and SARIF reports of the example, written by the CLI, with the exit codes."""
    out = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as patch:  # module scope: the suite's autouse OSV switch is not on yet
        patch.setenv("MLWARDEN_OSV", "off")
        codes = {
            fmt: _cli(["scan", str(example_copy), "-f", fmt, "-o", str(out / f"r.{fmt}"), "--no-progress"])
            for fmt in ("json", "sarif")
        }
    return {
        "codes": codes,
        "json": json.loads((out / "r.json").read_text(encoding="utf-8")),
        "sarif": json.loads((out / "r.sarif").read_text(encoding="utf-8")),
    }


def _relative(report: dict[str, Any], root: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in report["findings"]:
        path = Path(finding["location"]["path"]).relative_to(root).as_posix()
        found.setdefault(path, set()).add(finding["rule_id"])
    return found


def test_example_reports_exactly_the_documented_rules(reports: dict[str, Any], example_copy: Path) -> None:
    assert reports["codes"] == {"json": 1, "sarif": 1}
    assert _relative(reports["json"], example_copy) == EXPECTED_RULES
    assert reports["json"]["errors"] == []


def test_example_reports_validate_against_their_schemas(reports: dict[str, Any]) -> None:
    import jsonschema

    root = Path(__file__).resolve().parents[1]
    report_schema = json.loads((root / "docs" / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(reports["json"], report_schema)
    sarif_schema = json.loads((root / "tests" / "report" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    jsonschema.validate(reports["sarif"], sarif_schema)


def test_every_emitted_rule_is_in_the_risk_catalog_output(
    reports: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(["risks", "--format", "json"]) == 0
    covered = {rule for risk in json.loads(capsys.readouterr().out) for rule in risk["rules"]}
    emitted = {finding["rule_id"] for finding in reports["json"]["findings"]}
    assert emitted <= covered, sorted(emitted - covered)
    sarif_rules = {rule["id"] for rule in reports["sarif"]["runs"][0]["tool"]["driver"]["rules"]}
    assert emitted <= sarif_rules


def test_fingerprints_are_stable_across_runs_and_moved_lines(example_copy: Path, tmp_path: Path) -> None:
    import mlwarden

    project = tmp_path / "p"
    project.mkdir()
    source = (example_copy / "train.py").read_text(encoding="utf-8")
    (project / "train.py").write_text(source, encoding="utf-8")

    def prints() -> dict[str, tuple[int | None, ...]]:
        found: dict[str, list[int | None]] = {}
        for finding in mlwarden.scan([project]).findings:
            found.setdefault(finding.fingerprint, []).append(finding.location.line)
        return {key: tuple(lines) for key, lines in found.items()}

    first, second = prints(), prints()
    assert first and first == second
    (project / "train.py").write_text("# moved\n\n\n" + source, encoding="utf-8")
    moved = prints()
    assert moved.keys() == first.keys()
    assert all(
        new == tuple(None if line is None else line + 3 for line in old)
        for old, new in zip((first[k] for k in sorted(first)), (moved[k] for k in sorted(first)), strict=True)
    )
