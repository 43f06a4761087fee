"""``mlwarden redact`` and ``mlwarden forget`` end to end: summaries and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.dataops.synthetic import email, people_rows, write_csv

from mlwarden.cli.main import main


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write_csv(tmp_path / "people.csv", people_rows(20))


def test_redact_prints_summary(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["redact", str(dataset), "--out", "red.csv", "--mode", "hash"], capsys)
    assert code == 0 and "20 rows" in out and "EMAIL 20" in out
    code, _, err = _run(["redact", str(dataset), "--out", "red.csv"], capsys)
    assert code == 2 and "already exists" in err
    code, _, err = _run(["redact", str(dataset), "--out", "x.csv", "--mode", "rot13"], capsys)
    assert code == 2 and "unknown mode" in err


def test_forget_reports_rows_and_usage_errors(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["forget", str(dataset), "--where", f"email={email(4)}", "--out", "f.csv"], capsys)
    assert code == 0 and "removed 1 of 20 rows" in out
    code, out, _ = _run(["forget", str(dataset), "--where", "email=nobody@example.com", "--out", "g.csv"], capsys)
    assert code == 0 and "no matching rows" in out
    code, _, err = _run(["forget", str(dataset), "--where", "nope=1", "--out", "h.csv"], capsys)
    assert code == 2 and "no such column" in err
    code, _, err = _run(["forget", str(dataset), "--where", "x=1", "--out", "i.csv", "--match", "fuzzy"], capsys)
    assert code == 2
    assert email(4) not in (dataset.parent / ".mlwarden" / "lineage.jsonl").read_text(encoding="utf-8")
