"""Real processes for the integration tests: free ports, start, wait until serving, stop."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "guard"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mlwarden_cmd() -> list[str]:
    script = Path(sys.executable).parent / "mlwarden"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from mlwarden.cli.main import main; main()"]


def start(cmd: list[str], log: Path, *, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("ab") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=cwd or ROOT, env=env)


def wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, *, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=1.0) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"process exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                client.get(url)
                return
            time.sleep(0.1)
    raise RuntimeError(f"{url} not serving after {timeout}s:\n{log.read_text(errors='replace')[-3000:]}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@contextlib.contextmanager
def running(cmd: list[str], health: str, log: Path, *, cwd: Path | None = None) -> Iterator[subprocess.Popen[bytes]]:
    proc = start(cmd, log, cwd=cwd)
    try:
        wait_http(health, proc, log)
        yield proc
    finally:
        stop(proc)


@contextlib.contextmanager
def hanging_server() -> Iterator[int]:
    """A TCP server that accepts connections and never answers (an upstream that hangs)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    try:
        yield int(server.getsockname()[1])
    finally:
        server.close()
