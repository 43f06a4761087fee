"""Hostile and odd input: malformed documents, YAML bombs, giant files, templates; the engine and example project."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.platform.helpers import by_rule, rule_ids, scan_text

from mlwarden.artifacts.limits import Budget
from mlwarden.core.errors import BudgetExceeded
from mlwarden.core.findings import Severity
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.engine import run_scan
from mlwarden.scanners.platform import PlatformScanner
from mlwarden.scanners.platform.rules import PLATFORM_RULES
from mlwarden.scanners.registry import BUILTIN_SCANNERS, Registry

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "vulnerable-project"
POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: [{image: x}]\n"


def test_multi_document_with_a_malformed_document() -> None:
    text = f"{POD}---\napiVersion: v1\nkind: Pod\nspec: [unclosed\n---\n{POD.replace('name: p', 'name: q')}"
    findings = scan_text(text, path="k8s/all.yaml")
    namespaces = by_rule(findings, "MW-K8S-005")
    assert [f.location.line for f in namespaces] == [5, 16]
    [malformed] = by_rule(findings, "MW-K8S-016")
    assert malformed.severity is Severity.LOW and malformed.location.line in (10, 11)


def test_yaml_bomb_is_a_finding_and_fast() -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    body = "\n".join(f"  {x}" for x in levels)
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: lol}}\ndata:\n{body}\n"
    started = time.perf_counter()
    findings = scan_text(text, path="bomb.yaml")
    assert time.perf_counter() - started < 2.0
    [bomb] = findings
    assert bomb.rule_id == "MW-K8S-016" and bomb.severity is Severity.HIGH and "aliases" in bomb.message


def test_compose_and_ci_bombs_use_their_own_rules() -> None:
    bomb = "x: &a [1]\n" + "".join(f"y{i}: *a\n" for i in range(150))
    assert rule_ids(scan_text("services:\n  a: {image: b}\n" + bomb, path="docker-compose.yml")) == {"MW-COMPOSE-009"}
    assert rule_ids(scan_text("on: push\njobs: {}\n" + bomb, path=".github/workflows/a.yml")) == {"MW-CI-010"}


def test_deep_nesting_is_a_finding() -> None:
    text = "apiVersion: v1\nkind: Pod\nspec: " + "[" * 5000 + "]" * 5000 + "\n"
    assert rule_ids(scan_text(text, path="deep.yaml")) == {"MW-K8S-016"}


def test_giant_file_raises_budget_exceeded() -> None:
    text = POD + "# padding\n" * 2000
    ctx = ScanContext(options={"max_yaml_bytes": 4096})
    try:
        scan_text(text, path="big.yaml", ctx=ctx)
    except BudgetExceeded as exc:
        assert exc.resource == "platform_file_bytes"
    else:
        raise AssertionError("expected BudgetExceeded")


def test_giant_file_through_the_engine_is_a_limit_finding(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(POD + "# padding\n" * 2000, encoding="utf-8")
    registry = Registry((PlatformScanner(),))
    from mlwarden.scanners.engine import ScanOptions

    options = ScanOptions(scanner_options={"platform": {"max_yaml_bytes": 4096}}, budget=Budget())
    result = run_scan([path], registry=registry, options=options)
    assert [f.rule_id for f in result.findings] == ["MW-LIMIT-001"] and not result.errors


def test_unrendered_helm_template_is_skipped_with_one_note() -> None:
    text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\n"
    [note] = scan_text(text + "---\n" + text, path="chart/templates/deploy.yaml")
    assert note.rule_id == "MW-K8S-026" and note.severity is Severity.INFO and "render" in note.message


def test_unrelated_yaml_returns_at_once() -> None:
    assert scan_text("model:\n  lr: 0.1\n  layers: [1, 2]\n", path="config/training.yaml") == []
    assert scan_text(": : [\n", path="broken.yaml") == []  # not ours: config scanners judge it


def test_rules_name_only_catalog_risks_and_unique_ids() -> None:
    from mlwarden.core.catalog import load_catalog

    known = {risk.id for risk in load_catalog().risks}
    assert all(set(rule.risk_ids) <= known for rule in PLATFORM_RULES)
    assert len({rule.id for rule in PLATFORM_RULES}) == len(PLATFORM_RULES)
    assert "mlwarden.scanners.platform:PlatformScanner" in BUILTIN_SCANNERS


def test_example_project_reports_the_rules_its_readme_lists() -> None:
    targets = [EXAMPLE / "Dockerfile", EXAMPLE / "deploy", EXAMPLE / ".github"]
    result = run_scan(targets, registry=Registry((PlatformScanner(),)))
    by_file: dict[str, set[str]] = {}
    for finding in result.findings:
        by_file.setdefault(Path(finding.location.path).name, set()).add(finding.rule_id)
        assert finding.location.line
    assert {"MW-DOCKER-001", "MW-DOCKER-002", "MW-DOCKER-005", "MW-DOCKER-006"} <= by_file["Dockerfile"]
    assert {"MW-K8S-001", "MW-K8S-004", "MW-K8S-007", "MW-K8S-009", "MW-K8S-011"} <= by_file["model-server.yaml"]
    assert {"MW-CI-001", "MW-CI-002"} <= by_file["train.yml"]
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    assert all(rule in readme for rules in by_file.values() for rule in rules)


def test_walker_reads_dot_github(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text("on: push\njobs:\n  a:\n    steps: [{uses: foo/bar@v1}]\n", encoding="utf-8")
    result = run_scan([tmp_path], registry=Registry((PlatformScanner(),)))
    assert "MW-CI-001" in {f.rule_id for f in result.findings}
    assert result.findings[0].location.path.endswith(".github/workflows/ci.yml")


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="apiVersonkd:-[]{}&*!|>'\" \n\t#%.01", max_size=300))
def test_fuzz_kubernetes_like_yaml_never_crashes(noise: str) -> None:
    text = "apiVersion: v1\nkind: Pod\n" + noise
    for finding in scan_text(text, path="fuzz.yaml"):
        assert finding.location.line is None or finding.location.line >= 1


def test_broken_yaml_that_only_mentions_services_is_not_reported() -> None:
    text = "services:\n  api:\n    image: a\n  - broken: [\n"
    assert scan_text(text, path="helm/values.yaml") == []
    assert rule_ids(scan_text(text, path="docker-compose.yml")) == {"MW-COMPOSE-009"}
