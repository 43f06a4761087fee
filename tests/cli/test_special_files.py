"""A FIFO, a device or a directory where a command expects a file: one clear error, exit 2, never a hang.

``open()`` on a FIFO blocks until a writer appears, so each command runs under an alarm that fails the test
instead of hanging the suite.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from mlwarden.cli.main import main
from mlwarden.core.files import NOT_REGULAR, open_regular, read_regular, write_atomic

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo") or not hasattr(signal, "SIGALRM"), reason="POSIX only")


class _Hung(Exception):
    pass


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    def _fire(_signum: int, _frame: FrameType | None) -> None:
        raise _Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, _fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _run(args: list[str], cwd: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        with _deadline(20), pytest.raises(SystemExit) as caught:
            main(args)
    finally:
        os.chdir(old)
    code = caught.value.code
    return (code if isinstance(code, int) else 0), capsys.readouterr().err


@pytest.fixture
def workdir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "folder").mkdir()
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "w.bin").write_bytes(b"weights")
    (tmp_path / "people.csv").write_text("name,email\nIvan,ivan@example.ru\n", encoding="utf-8")
    assert _run(["keygen", "--private-key", "k.pem", "--public-key", "k.pub"], tmp_path, capsys)[0] == 0
    assert _run(["sign", "model", "--private-key", "k.pem", "--signature", "m.sig"], tmp_path, capsys)[0] == 0
    return tmp_path


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["scan", "model", "--policy", "pipe"], "pipe: cannot read policy file: " + NOT_REGULAR),
        (["scan", "model", "--policy", "folder"], "folder: cannot read policy file: Is a directory"),
        (["verify", "model", "--public-key", "k.pub", "--signature", "pipe"], "cannot read the signature pipe"),
        (["verify", "model", "--public-key", "pipe", "--signature", "m.sig"], "cannot read the public key pipe"),
        (["sign", "model", "--private-key", "pipe", "--signature", "n.sig"], "cannot read the private key pipe"),
        (["redact", "pipe", "--out", "x.csv"], f"cannot read pipe: {NOT_REGULAR}"),
        (["redact", "folder", "--out", "x.csv"], "cannot read folder: Is a directory"),
        (["forget", "pipe", "--where", "a=b", "--out", "x.csv"], f"cannot read pipe: {NOT_REGULAR}"),
        (["redact", "people.csv", "--out", "x.csv", "--key-file", "pipe"], "cannot read the key file pipe"),
    ],
    ids=[
        "policy-fifo",
        "policy-dir",
        "signature",
        "public-key",
        "private-key",
        "redact",
        "redact-dir",
        "forget",
        "key-file",
    ],
)
def test_special_file_is_a_clear_error_not_a_hang(
    workdir: Path, args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(args, workdir, capsys)
    assert code == 2, err
    assert expected in " ".join(err.split())
    assert "Traceback" not in err
    assert not (workdir / "x.csv").exists()


def test_open_regular_refuses_fifo_dir_and_device_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    for path, message in ((tmp_path / "pipe", NOT_REGULAR), (tmp_path, "Is a directory"), ("/dev/null", NOT_REGULAR)):
        with pytest.raises(OSError, match=message.replace("(", r"\(").replace(")", r"\)")):
            open_regular(path)


def test_read_regular_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert read_regular(path, max_bytes=10) == b"x" * 10
    with pytest.raises(OSError, match="larger than 9 bytes"):
        read_regular(path, max_bytes=9)
    with open_regular(path) as stream:
        assert stream.read(3) == b"xxx"


@pytest.mark.parametrize("command", ["scan", "sign"])
def test_output_onto_a_device_writes_through_it_and_keeps_the_node(
    workdir: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # `-o /dev/null` renamed a temporary file over the device: run as root, /dev/null became a regular file.
    # A FIFO with a reader stands in for the device here (making device nodes needs root).
    import stat
    import threading

    pipe = workdir / "pipe"
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    args = {
        "scan": ["scan", "model", "-f", "json", "-o", "pipe", "--no-progress"],
        "sign": ["sign", "model", "--private-key", "k.pem", "--signature", "pipe"],
    }[command]
    code, err = _run(args, workdir, capsys)
    reader.join(timeout=20)
    assert code == 0, err
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert received and received[0].startswith(b"{")


def test_write_atomic_replaces_a_regular_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "r.json"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["r.json"]
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path, b"x")
