"""The CLI's error boundary: one line saying what and where, one hint, exit 2, the text printed verbatim."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlwarden.cli.main import main


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as caught:
        main(args)
    captured = capsys.readouterr()
    code = caught.value.code
    return (code if isinstance(code, int) else 0), captured.out, " ".join(captured.err.split())


def test_brackets_in_messages_and_hints_are_not_eaten_as_markup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "x[red]y.yaml"
    code, _, err = _run(["scan", str(tmp_path), "--policy", str(policy)], capsys)
    assert code == 2
    assert f"{policy}: policy file not found" in err


def test_missing_driver_hint_names_the_extra(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["db", "upgrade", "--db", "bogus://host/db"], capsys)
    assert code == 2
    assert "pip install 'mlwarden[postgres]'" in err
    assert "Traceback" not in err
