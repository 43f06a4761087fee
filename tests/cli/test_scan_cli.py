"""``mlwarden scan`` end to end: reports, exit codes, policy errors and bad targets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlwarden.cli.main import main

AWS = "AKIA" + "Q3EXAMPLE7XYZ4AB"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as caught:
        main(args)
    captured = capsys.readouterr()
    code = caught.value.code
    return (code if isinstance(code, int) else 0), captured.out, captured.err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "config").mkdir(parents=True)
    (root / "config" / "train.yaml").write_text(f"aws_access_key_id: {AWS}\n", encoding="utf-8")
    (root / "params.json").write_text('{"lr": 0.1}', encoding="utf-8")
    return root


def test_findings_exit_1_and_json_report_is_written_first(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "out" / "report.json"
    code, _, err = _run(["scan", str(project), "-f", "json", "-o", str(report), "--no-progress"], capsys)
    assert code == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert [f["rule_id"] for f in data["findings"]] == ["MW-SECRET-001"]
    assert AWS not in report.read_text(encoding="utf-8")
    assert "report written" in err


def test_fail_on_and_exit_zero(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["scan", str(project), "--fail-on", "critical", "-f", "json"], capsys)[0] == 0
    assert _run(["scan", str(project), "--exit-zero", "-f", "json"], capsys)[0] == 0
    code, _, err = _run(["scan", str(project), "--fail-on", "severe"], capsys)
    assert code == 2
    assert "unknown severity" in err


def test_clean_target_exits_0_with_console_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "params.json").write_text('{"lr": 0.1}', encoding="utf-8")
    code, out, _ = _run(["scan", str(clean), "--no-progress"], capsys)
    assert code == 0
    assert out.strip()


def test_policy_suppression_applies_and_invalid_policy_exits_2(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "mlwarden.yaml").write_text(
        "suppressions:\n  - rule: MW-SECRET-001\n    path: 'config/*'\n    reason: fake key in fixture\n",
        encoding="utf-8",
    )
    code, out, _ = _run(["scan", str(project), "-f", "json"], capsys)
    assert code == 0
    assert json.loads(out)["summary"]["suppressed"] == 1
    (project / "mlwarden.yaml").write_text("fail_on: high\nsuppressions:\n  - rule: X\n", encoding="utf-8")
    code, _, err = _run(["scan", str(project)], capsys)
    assert code == 2
    assert "mlwarden.yaml:3" in err
    assert "reason" in err
    assert "Traceback" not in err


def test_missing_path_exits_2_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["scan", str(tmp_path / "nope")], capsys)
    assert code == 2
    assert "does not exist" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("fmt", ["console", "json", "sarif", "markdown", "html"])
def test_every_format_renders(project: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["scan", str(project), "-f", fmt, "--exit-zero"], capsys)
    assert code == 0
    assert out


def test_zero_byte_and_odd_named_files_do_not_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "odd"
    root.mkdir()
    (root / "empty.pkl").write_bytes(b"")
    odd = bytes(root) + b"/na\xffme\x1b[31m.yaml"
    with open(odd, "wb") as handle:
        handle.write(b"password: " + b"Tr41n-Pa55-word" + b"\n")
    code, out, _ = _run(["scan", str(root), "-f", "json"], capsys)
    assert code == 0  # the generic credential is medium: below the default fail level
    assert len(json.loads(out)["findings"]) == 1
