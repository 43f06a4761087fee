"""``mlwarden detect``: JSON lines and plain lines in, one result line out per input line."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from tests.factories import pii as factory
from typer.testing import CliRunner

from mlwarden.cli.detect import detect_command, line_text
from mlwarden.core.errors import UsageError

RNG = random.Random(3)
INN12 = factory.inn12(RNG)
MOBILE = factory.ru_mobile(RNG)


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    app.command("detect")(detect_command)

    @app.command("noop")
    def _noop() -> None:
        """Keep the app multi-command, like the real one."""

    return app


def _run(app: typer.Typer, stdin: bytes, *args: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(app, ["detect", *args], input=stdin)
    assert result.exit_code == 0, result.exception
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_jsonl_in_jsonl_out_with_offsets(app: typer.Typer) -> None:
    text = f"😀 ИНН {INN12}, тел. {MOBILE}"
    lines = [json.dumps({"text": text, "id": 7}, ensure_ascii=False), json.dumps({"text": "nothing here"})]
    out = _run(app, ("\n".join(lines) + "\n").encode())
    assert len(out) == 2
    matches = out[0]["matches"]
    assert isinstance(matches, list)
    assert [(text[m["start"] : m["end"]], m["kind"]) for m in matches] == [(INN12, "RU_INN"), (MOBILE, "PHONE")]
    assert set(matches[0]) == {"start", "end", "kind", "confidence"}
    assert out[1] == {"matches": []}


def test_plain_lines_empty_lines_and_subtypes(app: typer.Typer) -> None:
    org = factory.inn10(RNG)
    stdin = f"see a@b.co\n\nИНН {org}\n[1, 2]\n{{broken json a@b.co\n".encode()
    out = _run(app, stdin, "-")
    assert len(out) == 5
    assert out[0]["matches"] == [{"start": 4, "end": 10, "kind": "EMAIL", "confidence": 0.95}]
    assert out[1] == {"matches": []}
    assert out[2]["matches"][0]["subtype"] == "RU_INN_ORG"  # type: ignore[index]
    assert out[3] == {"matches": []}
    assert out[4]["matches"][0]["kind"] == "EMAIL"  # type: ignore[index]


def test_invalid_utf8_is_replaced_and_offsets_count_replacements(app: typer.Typer) -> None:
    out = _run(app, b"\xff\xfe\xc3 a@b.co\n")
    (match,) = out[0]["matches"]  # type: ignore[misc]
    assert (match["start"], match["end"]) == (4, 10)  # three U+FFFD, a space, then the address


def test_crlf_and_last_line_without_newline(app: typer.Typer) -> None:
    out = _run(app, b"a@b.co\r\nx@y.co")
    assert [o["matches"][0]["end"] for o in out] == [6, 6]  # type: ignore[index]


def test_file_source_and_json_format(app: typer.Typer, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": f"ИНН {INN12}"}) + "\n" + "plain\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["detect", str(source), "--format", "json"])
    assert result.exit_code == 0, result.exception
    data = json.loads(result.stdout)
    assert [len(item["matches"]) for item in data] == [1, 0]


def test_options_filter(app: typer.Typer) -> None:
    out = _run(app, f"ИНН {INN12} a@b.co\n".encode(), "--kinds", "email")
    assert [m["kind"] for m in out[0]["matches"]] == ["EMAIL"]  # type: ignore[union-attr]


def test_bad_format_and_missing_file(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["detect", "--format", "xml"], input=b"")
    assert isinstance(result.exception, UsageError)
    result = CliRunner().invoke(app, ["detect", str(tmp_path / "missing.jsonl")])
    assert isinstance(result.exception, UsageError)


def test_line_text_rules() -> None:
    assert line_text(b'{"text": "x", "other": 1}\n') == "x"
    assert line_text(b'{"other": 1}') == '{"other": 1}'
    assert line_text(b'{"text": 5}') == '{"text": 5}'
    assert line_text(b"plain\r\n") == "plain"


def test_streams_over_a_real_pipe() -> None:
    """The installed entry point answers each line before the input is closed."""
    proc = subprocess.Popen(
        [sys.executable, "-c", "from mlwarden.cli.main import main; main()", "detect", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(json.dumps({"text": "a@b.co"}).encode() + b"\n")
    proc.stdin.flush()
    first = proc.stdout.readline()
    proc.stdin.close()
    proc.wait(timeout=30)
    proc.stdout.close()
    assert json.loads(first)["matches"][0]["kind"] == "EMAIL"
    assert proc.returncode == 0


def test_unknown_kind_is_an_error_not_an_empty_result(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["detect", "--kinds", "EMAIL,EMIAL"], input=b"a@b.co\n")
    assert isinstance(result.exception, UsageError)
    assert "EMIAL" in result.exception.message and "EMAIL" in result.exception.hint
    assert _run(app, b"key\n", "--kinds", "secret,org_id") == [{"matches": []}]
