"""The Python source scanner end to end: code risks and secrets with lines, nothing else."""

from __future__ import annotations

from pathlib import Path

from mlwarden.scanners.engine import run_scan
from mlwarden.scanners.registry import Registry, load_registry
from mlwarden.scanners.source import SourceScanner

AWS = "AKIA" + "Q3EXAMPLE7XYZ4AB"


def _scan(path: Path) -> list[tuple[str, int | None]]:
    result = run_scan([path], registry=Registry((SourceScanner(),)))
    assert result.errors == ()
    return sorted((f.rule_id, f.location.line) for f in result.findings)


def test_code_risks_and_secret_with_lines(tmp_path: Path) -> None:
    path = tmp_path / "train.py"
    path.write_text(
        "import pickle as pk\nimport requests\n\n"
        f"KEY = '{AWS}'\n"
        "model = pk.load(open('m.pkl', 'rb'))\n"
        "requests.get('https://hub.example/m', verify=False)\n",
        encoding="utf-8",
    )
    assert _scan(path) == [("MW-CODE-001", 5), ("MW-CODE-011", 6), ("MW-SECRET-001", 4)]
    finding = next(f for f in run_scan([path], registry=Registry((SourceScanner(),))).findings)
    assert AWS not in finding.evidence
    assert finding.scanner == "source" and finding.match_key == "pickle-load:pickle.load"


def test_syntax_error_file_still_scanned_by_lines(tmp_path: Path) -> None:
    path = tmp_path / "legacy.py"
    path.write_text("import cPickle\nprint 'x'\nobj = cPickle.load(f)\n", encoding="utf-8")
    result = run_scan([path], registry=Registry((SourceScanner(),)))
    (finding,) = result.findings
    assert (finding.rule_id, finding.location.line, finding.confidence) == ("MW-CODE-001", 3, 0.5)


def test_clean_source_gives_nothing(tmp_path: Path) -> None:
    path = tmp_path / "clean.py"
    path.write_text(
        "import torch\nimport yaml\n\n"
        "def load(p):\n    return torch.load(p, weights_only=True)\n\n"
        "def cfg(f):\n    return yaml.safe_load(f)\n\n"
        "password = os.environ['DB_PASSWORD']\ntoken = self.get_token()\n",
        encoding="utf-8",
    )
    assert _scan(path) == []


def test_registered_and_dispatched_by_sniffed_format(tmp_path: Path) -> None:
    path = tmp_path / "script"  # no extension: sniffed as Python from its content
    path.write_text("#!/usr/bin/env python3\nimport os\nos.system(cmd)\n", encoding="utf-8")
    result = run_scan([path], registry=load_registry(plugins=False).only(["source", "notebook"]))
    assert [(f.rule_id, f.scanner) for f in result.findings] == [("MW-CODE-009", "source")]


def test_every_code_key_has_a_rule() -> None:
    from mlwarden.detectors.code import CODE_KEYS
    from mlwarden.scanners.code_rules import CODE_RULE_BY_KEY, CODE_RULES

    assert set(CODE_RULE_BY_KEY) == set(CODE_KEYS)
    assert [r.id for r in CODE_RULES] == [f"MW-CODE-{n:03d}" for n in range(1, len(CODE_KEYS) + 1)]


def test_rules_name_only_catalog_risks() -> None:
    from mlwarden.core.catalog import load_catalog
    from mlwarden.scanners.notebook import NotebookScanner

    known = {risk.id for risk in load_catalog().risks}
    for rule in (*SourceScanner.rules, *NotebookScanner.rules):
        assert set(rule.risk_ids) <= known, rule.id


def test_example_project_reports_the_rules_its_readme_lists() -> None:
    from mlwarden.scanners.notebook import NotebookScanner

    example = Path(__file__).resolve().parents[2] / "examples" / "vulnerable-project"
    registry = Registry((SourceScanner(), NotebookScanner()))
    result = run_scan([example / "train.py", example / "notebook.ipynb"], registry=registry)
    by_file: dict[str, set[str]] = {}
    for finding in result.findings:
        by_file.setdefault(Path(finding.location.path).name, set()).add(finding.rule_id)
    assert by_file["train.py"] == {f"MW-CODE-{n:03d}" for n in (1, 2, 6, 7, 9, 10, 17)}
    assert by_file["notebook.ipynb"] == {"MW-CODE-012", "MW-PII-001"}
    readme = (example / "README.md").read_text(encoding="utf-8")
    assert all(rule in readme for rules in by_file.values() for rule in rules)
