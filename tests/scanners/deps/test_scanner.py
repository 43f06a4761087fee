"""The scanner end to end through ``mlwarden.scan``: recognition, findings per rule, includes, offline OSV."""

from __future__ import annotations

from pathlib import Path

import mlwarden
from mlwarden.core.catalog import load_catalog, unknown_risk_references
from mlwarden.core.config import Policy
from mlwarden.core.findings import Finding, Severity
from mlwarden.core.policy import gate
from mlwarden.scanners.deps.rules import DEP_RULES

FIXTURE = Path(__file__).parent / "data" / "osv"


def _scan(root: Path, **options: object) -> list[Finding]:
    policy = Policy.model_validate({"scanners": {"options": {"dependencies": {"include_root": str(root), **options}}}})
    result = mlwarden.scan([root], policy=policy)
    return [f for f in result.findings if f.rule_id.startswith("MW-DEP")]


def _rules(findings: list[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for finding in findings:
        out.setdefault(finding.rule_id, []).append(finding)
    return out


def test_requirements_findings_with_offline_osv(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "torch==2.5.1 --hash=sha256:aa\ntransformers==4.35.2\nreqeusts==2.31.0\npandas\ntorchtriton==2.0.0\n"
        "git+https://github.com/org/lib.git@main#egg=lib\n-r common/base.txt\n"
        "--extra-index-url https://pypi.corp.example/simple\n"
    )
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "base.txt").write_text("pillow==9.5.0 --hash=sha256:bb\n-r ../requirements.txt\n")
    rules = _rules(_scan(tmp_path, osv="offline", osv_db=str(FIXTURE)))
    vulns = {f.match_key: f for f in rules["MW-DEP-008"]}
    assert set(vulns) == {"torch:MWTEST-2024-0001", "transformers:MWTEST-2024-0002", "pillow:MWTEST-2024-0003"}
    torch = vulns["torch:MWTEST-2024-0001"]
    assert torch.severity is Severity.CRITICAL and "fixed in 2.6.0" in torch.message and "CVSS 9.8" in torch.message
    assert torch.remediation == "Upgrade torch to 2.6.0 or later."
    assert vulns["pillow:MWTEST-2024-0003"].location.path.endswith("common/base.txt")
    assert [f.match_key for f in rules["MW-DEP-006"]] == ["typosquat:reqeusts"]
    assert [f.match_key for f in rules["MW-DEP-007"]] == ["malicious:torchtriton"]
    assert {f.match_key for f in rules["MW-DEP-001"]} == {"unpinned:pandas"}
    assert "cannot be checked" in rules["MW-DEP-001"][0].message
    assert {f.match_key for f in rules["MW-DEP-002"]} >= {"hash:transformers", "hash:reqeusts", "hash:pandas"}
    assert rules["MW-DEP-003"][0].severity is Severity.MEDIUM
    assert rules["MW-DEP-004"][0].severity is Severity.HIGH
    assert any("include cycle" in f.message for f in rules["MW-DEP-009"])
    assert rules["MW-DEP-011"][0].message.startswith("1 unreadable record")  # the fixture's broken.json


def test_include_outside_root_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "secret.txt").write_text("leaked==1\n")
    (project / "requirements.txt").write_text("-r ../secret.txt\nok==1.0\n")
    findings = _scan(project)
    assert not [f for f in findings if "leaked" in f.match_key]
    (outside,) = [f for f in findings if f.rule_id == "MW-DEP-009"]
    assert "outside the scan root" in outside.message


def test_other_files_are_recognised_by_name(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["numpy", "tranformers>=4"]\n')
    (tmp_path / "poetry.lock").write_text('[[package]]\nname = "requests"\nversion = "2.30.0"\nfiles = []\n')
    (tmp_path / "environment.yml").write_text("name: x\ndependencies:\n  - pandas\n  - pip:\n    - torch==2.0.0\n")
    (tmp_path / "setup.cfg").write_text("[options]\ninstall_requires =\n    colourama\n")
    (tmp_path / "Pipfile.lock").write_text('{"default": {"numpy": {"version": "==1.21.1"}}}')
    (tmp_path / "uv.lock").write_text('version = 1\n[[package]]\nname = "torch"\nversion = "2.1.0"\n')
    (tmp_path / "config.yaml").write_text("dependencies: [a]\nother: 1\n")  # not a conda file
    findings = _scan(tmp_path, osv="offline", osv_db=str(FIXTURE))
    where = {(f.location.path.rsplit("/", 1)[-1], f.rule_id, f.match_key) for f in findings}
    assert ("pyproject.toml", "MW-DEP-001", "unpinned:numpy") in where
    assert ("pyproject.toml", "MW-DEP-006", "typosquat:tranformers") in where
    assert ("poetry.lock", "MW-DEP-008", "requests:MWTEST-2024-0004") in where
    assert ("environment.yml", "MW-DEP-001", "unpinned:pandas") in where
    assert ("environment.yml", "MW-DEP-008", "torch:MWTEST-2024-0001") in where
    assert ("setup.cfg", "MW-DEP-007", "malicious:colourama") in where
    assert ("Pipfile.lock", "MW-DEP-008", "numpy:MWTEST-2024-0005") in where
    assert ("uv.lock", "MW-DEP-008", "torch:MWTEST-2024-0001") in where
    assert not [f for f in findings if f.location.path.endswith("config.yaml")]


def test_unreachable_osv_is_a_visible_finding(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("torch==2.0.0\n")
    findings = _scan(tmp_path, osv="online", osv_url="http://127.0.0.1:9", osv_timeout=0.5)
    (warning,) = [f for f in findings if f.rule_id == "MW-DEP-011"]
    assert warning.severity is Severity.MEDIUM and "results incomplete" in warning.message


def test_malformed_files_are_findings_and_exit_codes_follow_the_gate(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\n")
    (tmp_path / "Pipfile.lock").write_text("{")
    result = mlwarden.scan([tmp_path])
    unparsable = [f for f in result.findings if f.rule_id == "MW-DEP-010"]
    assert len(unparsable) == 2 and not result.errors
    assert gate(result, fail_on=Severity.HIGH).exit_code == 0
    assert gate(result, fail_on=Severity.LOW).exit_code == 1


def test_giant_lock_file_hits_the_entry_limit(tmp_path: Path) -> None:
    body = "".join(f'[[package]]\nname = "p{i}"\nversion = "1.0"\n\n' for i in range(300))
    (tmp_path / "poetry.lock").write_text(body)
    policy = Policy.model_validate({"scanners": {"options": {"dependencies": {"max_entries": 100}}}})
    result = mlwarden.scan([tmp_path], policy=policy)
    assert [f.rule_id for f in result.findings] == ["MW-LIMIT-001"]


def test_rules_name_only_catalog_risks() -> None:
    assert unknown_risk_references(load_catalog(), DEP_RULES) == ()
    assert {risk for rule in DEP_RULES for risk in rule.risk_ids} == {"MODEL-04", "PLAT-02", "PLAT-06"}
