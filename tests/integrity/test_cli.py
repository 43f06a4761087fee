"""``mlwarden keygen | sign | verify | hash``: exit codes 0 / 1 / 2 and what is printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.factories.pickle_builder import PickleBuilder

from mlwarden.cli.main import main


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as caught:
        main(args)
    captured = capsys.readouterr()
    code = caught.value.code
    return (code if isinstance(code, int) else 0), captured.out, captured.err


@pytest.fixture
def keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    private, public = str(tmp_path / "k.pem"), str(tmp_path / "k.pub")
    assert _run(["keygen", "--private-key", private, "--public-key", public], capsys)[0] == 0
    return private, public


def test_sign_verify_tamper(
    model_dir: Path, keys: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = keys
    sig = str(tmp_path / "m.sig")
    code, out, _ = _run(["sign", str(model_dir), "--private-key", private, "--signature", sig], capsys)
    assert code == 0 and "signed 3 file(s)" in out
    code, out, _ = _run(["verify", str(model_dir), "--public-key", public, "--signature", sig], capsys)
    assert code == 0 and "verified 3 file(s)" in out
    (model_dir / "config.json").write_text("{}", encoding="utf-8")
    code, out, _ = _run(["verify", str(model_dir), "--public-key", public, "--signature", sig], capsys)
    assert code == 1 and "MW-INTEGRITY-001" in out and "config.json" in out
    code, out, _ = _run(["verify", str(model_dir), "--public-key", public, "--signature", sig, "--format", "json",
                         "--kind", "data"], capsys)  # fmt: skip
    (finding,) = json.loads(out)["findings"]
    assert code == 1 and finding["risk_id"] == "DATA-07" and finding["path"].endswith("config.json")


def test_usage_errors_exit_2(
    model_dir: Path, keys: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = keys
    bad = tmp_path / "bad.sig"
    bad.write_text("not json", encoding="utf-8")
    code, _, err = _run(["verify", str(model_dir), "--public-key", public, "--signature", str(bad)], capsys)
    assert code == 2 and "malformed" in err and "hint:" in err
    assert (
        _run(["verify", str(model_dir), "--public-key", public, "--signature", str(tmp_path / "no.sig")], capsys)[0]
        == 2
    )
    assert _run(["verify", str(model_dir)], capsys)[0] == 2  # missing --public-key
    assert _run(["sign", str(tmp_path / "absent"), "--private-key", private], capsys)[0] == 2
    assert _run(["keygen", "--private-key", private, "--public-key", public], capsys)[0] == 2  # never overwrite


def test_sign_scan_refusal_exits_1(
    model_dir: Path, keys: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    canary = tmp_path / "canary"
    (model_dir / "model.pkl").write_bytes(
        PickleBuilder(protocol=2).call_global("os", "system", f"touch {canary}").stop().data
    )
    sig = tmp_path / "m.sig"
    code, _, err = _run(["sign", str(model_dir), "--private-key", keys[0], "--signature", str(sig), "--scan"], capsys)
    assert code == 1 and "refusing to sign" in err
    assert not sig.exists() and not canary.exists()


def test_default_signature_location(model_dir: Path, keys: tuple[str, str], monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.chdir(model_dir)
    assert _run(["sign", ".", "--private-key", keys[0]], capsys)[0] == 0
    assert (model_dir / "model.sig").is_file()
    assert _run(["verify", ".", "--public-key", keys[1]], capsys)[0] == 0


def test_hash_text_and_json(model_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["hash", str(model_dir), "--files"], capsys)
    assert code == 0 and "config.json" in out and "root digest" in out
    code, out, _ = _run(["hash", str(model_dir), "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["serialization"]["method"] == "shards"
    assert _run(["hash", str(model_dir), "--format", "xml"], capsys)[0] == 2
