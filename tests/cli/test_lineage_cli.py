"""``mlwarden lineage add|show|import``, ``mlwarden db upgrade`` and ``mlwarden scan --save/--db`` end to end."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from tests.store.helpers import dvc_project

from mlwarden.cli.main import main

SECRET = "pa" + "ssw0rd-x"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as caught:
        main(args)
    captured = capsys.readouterr()
    code = caught.value.code
    return (code if isinstance(code, int) else 0), captured.out, captured.err


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'inv' / 'mlwarden.db'}"


def test_add_then_show_in_every_format(tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "train.csv"
    data.write_text("a\n1\n", encoding="utf-8")
    model = tmp_path / "model.pkl"
    model.write_bytes(b"weights")
    code, out, _ = _run(["lineage", "add", str(data), str(model), "-r", "trained-on", "-p", "epochs=3", "--db", db],
                        capsys)  # fmt: skip
    assert code == 0 and out.startswith("recorded:")
    assert "already recorded" in _run(["lineage", "add", str(data), str(model), "-r", "trained-on", "-p", "epochs=3",
                                       "--db", db], capsys)[1]  # fmt: skip
    code, out, _ = _run(["lineage", "show", str(model), "--db", db], capsys)
    assert code == 0
    assert out.splitlines()[0].startswith(f"{model.resolve()} (sha256 ")
    assert f"← {data.resolve()}" in out and "trained-on (manual)" in out
    markdown = _run(["lineage", "show", str(model), "-f", "markdown", "--db", db], capsys)[1]
    assert "```mermaid\ngraph LR" in markdown
    html_page = _run(["lineage", "show", str(model), "-f", "html", "--db", db], capsys)[1]
    assert html_page.startswith("<!doctype html>")
    document = json.loads(_run(["lineage", "show", str(data), "-f", "json", "--db", db], capsys)[1])
    assert document["edges"][0]["params"] == {"epochs": "3"}


def test_show_errors(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["lineage", "show", "nothing-here", "--db", db], capsys)
    assert code == 2 and "no artifact" in err
    code, _, err = _run(["lineage", "show", "x", "-f", "svg", "--db", db], capsys)
    assert code == 2 and "unknown format" in err
    code, _, err = _run(["lineage", "add", "a", "b", "-r", "Bad Relation", "--db", db], capsys)
    assert code == 2 and "invalid relation" in err
    code, _, err = _run(["lineage", "add", "a", "b", "-r", "x", "-p", "novalue", "--db", db], capsys)
    assert code == 2 and "key=value" in err


def test_import_reports_dvc_mismatch_with_exit_1(tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    root = dvc_project(tmp_path / "proj")
    code, out, err = _run(["lineage", "import", str(root), "--db", db], capsys)
    assert code == 1
    assert "dvc: 4 edge(s)" in out and "1 missing" in out and "missing: metrics.json" in out
    assert "4 new edge(s) stored" in out and "does not match" in err
    (root / "metrics.json").write_bytes(b"{}")
    code, out, _ = _run(["lineage", "import", str(root), "--db", db], capsys)
    assert code == 0 and "4 match" in out
    assert "2 new edge(s)" in out  # metrics.json is now a known version (hashed): two edges name it
    assert "0 new edge(s)" in _run(["lineage", "import", str(root), "--db", db], capsys)[1]
    code, _, err = _run(["lineage", "import", str(root), "--mlflow", "--db", db], capsys)
    assert code == 2 and "no mlflow" in err


def test_db_upgrade_and_env_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run(["db", "upgrade"], capsys)
    assert code == 0 and "revision 0001 (head)" in out
    assert (tmp_path / ".mlwarden" / "mlwarden.db").is_file()
    monkeypatch.setenv("MLWARDEN_DB", f"sqlite:///{tmp_path / 'env.db'}")
    assert _run(["db", "upgrade"], capsys)[0] == 0
    assert (tmp_path / "env.db").is_file()


def test_unreachable_database_is_a_clean_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, out, err = _run(["db", "upgrade", "--db", f"postgresql://me:{SECRET}@127.0.0.1:{port}/x"], capsys)
    assert code == 2
    assert "cannot reach the database" in err and "me:***@" in err
    assert SECRET not in out + err
    assert "Traceback" not in err


def test_scan_save_stores_and_reports_new_findings(tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "params.json").write_text('{"lr": 0.1}', encoding="utf-8")
    report = tmp_path / "r.json"
    code, _, err = _run(["scan", str(project), "-f", "json", "-o", str(report), "--db", db], capsys)
    assert code == 0 and "scan #1 stored" in err and "first scan of these targets" in err
    (project / "train.yaml").write_text("aws_access_key_id: " + "AKIA" + "Q3EXAMPLE7XYZ4AB\n", encoding="utf-8")
    code, _, err = _run(["scan", str(project), "-f", "json", "-o", str(report), "--db", db], capsys)
    assert code == 1 and "scan #2 stored" in err and "1 new finding(s) since scan #1" in err


def test_scan_save_uses_the_default_store_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.json").write_text("{}", encoding="utf-8")
    code, _, err = _run(["scan", "p.json", "-f", "json", "-o", "r.json", "--save"], capsys)
    assert code == 0 and ".mlwarden/mlwarden.db" in err
    code, _out, _ = _run(["lineage", "add", "p.json", "model.bin", "-r", "trained-on"], capsys)
    assert code == 0


def test_scan_without_save_touches_no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.json").write_text("{}", encoding="utf-8")
    assert _run(["scan", "p.json", "-f", "json", "-o", "r.json"], capsys)[0] == 0
    assert not (tmp_path / ".mlwarden").exists()
