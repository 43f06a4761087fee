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


@pytest.mark.parametrize(
    ("url", "expected"),
    [("notaurl", "invalid database URL: notaurl"), ("bogus://x", "no database driver for bogus://x")],
)
def test_bad_db_url_fails_before_the_scan(
    tmp_path: Path, url: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text("hello", encoding="utf-8")
    code, out, err = _run(["scan", str(tmp_path), "--db", url, "--no-progress"], capsys)
    assert code == 2
    assert expected in err
    assert out == ""  # no report: nothing was scanned


def test_short_password_is_masked_without_garbling_the_message() -> None:
    from mlwarden.store.url import _first_line

    error = RuntimeError('connection to server at "127.0.0.1", port 1 failed: password p rejected')
    line = _first_line(error, "postgresql+psycopg://user:p@127.0.0.1:1/db")
    assert line == 'connection to server at "127.0.0.1", port 1 failed: password *** rejected'


def test_report_output_onto_a_directory_is_one_error_and_leaves_no_temporary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text("hello", encoding="utf-8")
    target = tmp_path / "out"
    target.mkdir()
    code, _, err = _run(["scan", str(tmp_path / "a.txt"), "-f", "json", "-o", str(target), "--no-progress"], capsys)
    assert code == 2
    assert f"cannot write the report to {target}: it is a directory" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "out"]  # no temporary left behind
