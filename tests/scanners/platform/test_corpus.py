"""The dev corpus of broken and hardened platform files, end to end through the engine.

``broken/`` holds realistic misconfigured or malformed files with the rules each must raise (at least these);
``hardened/`` holds files written to the standards the rules come from (CIS Docker Benchmark section 4, Pod
Security Standards restricted, RBAC least privilege, pinned CI) and must raise nothing at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mlwarden.core.findings import Severity
from mlwarden.scanners.engine import run_scan
from mlwarden.scanners.platform import PlatformScanner
from mlwarden.scanners.registry import Registry

CORPUS = Path(__file__).parent / "corpus"

EXPECTED: dict[str, set[str]] = {
    "pss-baseline.yaml": {"MW-K8S-006", "MW-K8S-017", "MW-K8S-018", "MW-K8S-019", "MW-K8S-020", "MW-K8S-021"},
    "rbac.yaml": {"MW-K8S-022", "MW-K8S-023"},
    "secrets-and-configmaps.yaml": {"MW-K8S-009", "MW-K8S-024", "MW-SERVER-004"},
    "kserve-open.yaml": {"MW-K8S-025"},
    "ml-servers.yaml": {"MW-SERVER-001", "MW-SERVER-002", "MW-SERVER-003", "MW-SERVER-005"},
    "bom-crlf-pod.yaml": {"MW-K8S-005", "MW-K8S-011"},
    "cp1251-comments.yaml": {"MW-K8S-005"},
    "duplicate-keys.yaml": {"MW-K8S-016"},
    "helm-deployment.yaml": {"MW-K8S-026"},
    "Dockerfile.continuation-at-eof": {"MW-DOCKER-017"},
    "Dockerfile.unterminated-heredoc": {"MW-DOCKER-017"},
    "Dockerfile.bad-exec-json": {"MW-DOCKER-017"},
    "Dockerfile.cis-section4": {"MW-DOCKER-014", "MW-DOCKER-015", "MW-DOCKER-016"},
    "Dockerfile.notebook": {"MW-SERVER-001"},
    "docker-compose.ml.yml": {"MW-COMPOSE-002", "MW-SERVER-001", "MW-SERVER-002", "MW-SERVER-004"},
    "pr-gpu-tests.yml": {"MW-CI-004", "MW-CI-011", "MW-CI-012"},
    ".gitlab-ci.yml": {"MW-CI-013"},
    "config.properties": {"MW-SERVER-004"},
}


def _scan(folder: str) -> dict[str, list[tuple[str, int | None, Severity]]]:
    result = run_scan([CORPUS / folder], registry=Registry((PlatformScanner(),)))
    assert not result.errors, result.errors
    found: dict[str, list[tuple[str, int | None, Severity]]] = {}
    for finding in result.findings:
        name = Path(finding.location.path).name
        found.setdefault(name, []).append((finding.rule_id, finding.location.line, finding.severity))
    return found


@pytest.fixture(scope="module")
def broken() -> dict[str, list[tuple[str, int | None, Severity]]]:
    return _scan("broken")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_raises_its_rules_with_lines(
    broken: dict[str, list[tuple[str, int | None, Severity]]], name: str
) -> None:
    found = broken.get(name, [])
    assert EXPECTED[name] <= {rule for rule, _, _ in found}
    assert all(line is not None and line >= 1 for _, line, _ in found)


def test_every_broken_file_is_listed() -> None:
    names = {path.name for path in (CORPUS / "broken").rglob("*") if path.is_file()}
    assert names == set(EXPECTED)


def test_hardened_files_raise_nothing() -> None:
    assert _scan("hardened") == {}


def test_exact_lines_and_severities(broken: dict[str, list[tuple[str, int | None, Severity]]]) -> None:
    rbac = sorted(broken["rbac.yaml"], key=lambda item: item[1] or 0)
    assert [(rule, line, severity) for rule, line, severity in rbac] == [
        ("MW-K8S-022", 6, Severity.CRITICAL),  # every verb on every resource
        ("MW-K8S-022", 19, Severity.MEDIUM),  # secrets
        ("MW-K8S-022", 22, Severity.MEDIUM),  # pods/exec
        ("MW-K8S-023", 33, Severity.CRITICAL),  # cluster-admin to the default service account
        ("MW-K8S-023", 48, Severity.CRITICAL),  # view to system:unauthenticated
    ]
    assert ("MW-SERVER-001", 5, Severity.CRITICAL) in broken["Dockerfile.notebook"]
    assert ("MW-CI-013", 9, Severity.HIGH) in broken[".gitlab-ci.yml"]
    assert ("MW-K8S-016", 11, Severity.LOW) in broken["duplicate-keys.yaml"]
    assert {(r, line) for r, line, _ in broken["config.properties"]} == {("MW-SERVER-004", 2), ("MW-SERVER-004", 5)}
    assert {line for rule, line, _ in broken["Dockerfile.bad-exec-json"] if rule == "MW-DOCKER-017"} == {5, 6}
