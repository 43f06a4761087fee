"""The guard as a REAL process in front of the example servers (real processes on 127.0.0.1 ports).

Round trip, upstream down and hanging, slow body, oversized and malformed bodies, and kill -9 under
a burst followed by a restart on the same audit database.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import signal
import socket
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from mlwarden.guard.audit import verify_chain
from mlwarden.guard.auth import hash_key

from .procs import EXAMPLES, free_port, hanging_server, mlwarden_cmd, running, start, stop, wait_http

pytestmark = pytest.mark.slow

KEY = "mwk_" + "integ" * 7
AUTH = {"authorization": f"Bearer {KEY}"}
ROW = {"dataframe_split": {"columns": ["f0", "f1", "f2", "f3"], "data": [[1.0, 2.0, 3.0, 4.0]]}}


def _features() -> list[dict[str, Any]]:
    return [{"name": f"f{i}", "min": 0, "max": 10} for i in range(4)]


def _config(tmp: Path, port: int, model: int, llm: int, hang: int, **audit: Any) -> dict[str, Any]:
    down = free_port()
    return {
        "listen": {"host": "127.0.0.1", "port": port, "body_timeout": 1.0},
        "routes": [
            {
                "path": "/invocations",
                "kind": "mlflow",
                "upstream": f"http://127.0.0.1:{model}",
                "features": _features(),
                "hardening": {"top_k": 1, "round_digits": 2},
                "max_body_bytes": 4096,
            },
            {"path": "/v1/chat/completions", "kind": "openai", "upstream": f"http://127.0.0.1:{llm}"},
            {
                "path": "/down/invocations",
                "kind": "mlflow",
                "upstream": f"http://127.0.0.1:{down}",
                "upstream_path": "/invocations",
            },
            {
                "path": "/hang/invocations",
                "kind": "mlflow",
                "upstream": f"http://127.0.0.1:{hang}",
                "upstream_path": "/invocations",
                "timeout": 1.0,
            },
        ],
        "api_keys": [{"id": "integ", "hash": hash_key(KEY), "scopes": []}],
        "rate_limits": {"per_key": {"rate": 10000, "burst": 10000}, "per_ip": {"rate": 10000, "burst": 10000}},
        "audit": {"url": f"sqlite:///{tmp / 'audit.db'}", **audit},
    }


@pytest.fixture(scope="module")
def upstreams(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int, int]]:
    tmp = tmp_path_factory.mktemp("upstreams")
    model, llm = free_port(), free_port()
    model_cmd = [str(Path(subprocess.sys.executable)), str(EXAMPLES / "model_server.py"), "--port", str(model)]
    llm_cmd = [str(Path(subprocess.sys.executable)), str(EXAMPLES / "fake_openai.py"), "--port", str(llm)]
    with (
        running(model_cmd, f"http://127.0.0.1:{model}/health", tmp / "model.log"),
        running(llm_cmd, f"http://127.0.0.1:{llm}/", tmp / "llm.log"),
        hanging_server() as hang,
    ):
        yield model, llm, hang


def _write_config(tmp: Path, config: dict[str, Any]) -> Path:
    path = tmp / "guard.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.fixture(scope="module")
def guard(tmp_path_factory: pytest.TempPathFactory, upstreams: tuple[int, int, int]) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("guard")
    port = free_port()
    path = _write_config(tmp, _config(tmp, port, *upstreams))
    cmd = [*mlwarden_cmd(), "guard", "serve", "--config", str(path), "--log-level", "warning"]
    with running(cmd, f"http://127.0.0.1:{port}/healthz", tmp / "guard.log", cwd=tmp):
        yield f"http://127.0.0.1:{port}"


def test_round_trip_tabular_and_streaming(guard: str) -> None:
    with httpx.Client(base_url=guard, timeout=10) as client:
        tab = client.post("/invocations", json=ROW, headers=AUTH)
        assert tab.status_code == 200, tab.text
        probs = tab.json()["predictions"][0]
        assert sum(1 for p in probs if p) == 1 and "logits" not in tab.json()
        body = {"messages": [{"role": "user", "content": "hello guard"}], "stream": True}
        with client.stream("POST", "/v1/chat/completions", json=body, headers=AUTH) as stream:
            text = "".join(stream.iter_text())
        assert "hello" in text and text.rstrip().endswith("data: [DONE]")
        assert client.get("/healthz").json()["status"] == "ok"
        assert "mlwarden_guard_requests_total" in client.get("/metrics").text


def test_upstream_down_and_hanging(guard: str) -> None:
    with httpx.Client(base_url=guard, timeout=10) as client:
        down = client.post("/down/invocations", json=ROW, headers=AUTH)
        started = time.monotonic()
        hang = client.post("/hang/invocations", json=ROW, headers=AUTH)
        waited = time.monotonic() - started
    assert down.status_code == 502 and down.json()["error"]["code"] == "upstream_unavailable"
    assert hang.status_code == 504 and hang.json()["error"]["code"] == "upstream_timeout"
    assert waited < 5
    assert "127.0.0.1" not in down.text + hang.text


def test_oversized_and_invalid_utf8(guard: str) -> None:
    with httpx.Client(base_url=guard, timeout=10) as client:
        big = client.post("/invocations", content=b"{" + b" " * 10_000 + b"}", headers=AUTH)
        bad = client.post("/invocations", content=b'{"instances": ["\xc3\x28"]}', headers=AUTH)
    assert big.status_code == 413
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_utf8"


def test_slow_body_is_cut(guard: str) -> None:
    port = int(guard.rsplit(":", 1)[1])
    head = f"POST /invocations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall((head + "Content-Length: 200\r\n\r\n").encode())
        started = time.monotonic()
        answer = b""
        try:
            for _ in range(20):  # one byte every 0.3 s would take 60 s for the whole body
                sock.sendall(b" ")
                time.sleep(0.3)
                sock.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    answer += sock.recv(4096)
                sock.setblocking(True)
                if answer:
                    break
        except OSError:
            pass  # the server closed the connection on us: also a cut
    assert time.monotonic() - started < 4
    assert answer.startswith(b"HTTP/1.1 408"), answer


def test_kill_9_under_burst_loses_no_committed_record(tmp_path: Path, upstreams: tuple[int, int, int]) -> None:
    port = free_port()
    config = _config(tmp_path, port, *upstreams, wait_for_commit=True)
    path = _write_config(tmp_path, config)
    cmd = [*mlwarden_cmd(), "guard", "serve", "--config", str(path), "--log-level", "warning"]
    url = f"http://127.0.0.1:{port}"
    proc = start(cmd, tmp_path / "guard.log", cwd=tmp_path)
    committed: list[str] = []
    try:
        wait_http(f"{url}/healthz", proc, tmp_path / "guard.log")

        limits = httpx.Limits(max_connections=16)
        with httpx.Client(base_url=url, timeout=5, limits=limits) as client:

            def one(_: int) -> str | None:
                try:
                    response = client.post("/invocations", json=ROW, headers=AUTH)
                except httpx.HTTPError:
                    return None
                audited = response.headers.get("x-mlwarden-audit") == "committed"
                return response.headers.get("x-request-id") if audited else None

            with concurrent.futures.ThreadPoolExecutor(16) as pool:
                futures = [pool.submit(one, i) for i in range(300)]
                t0 = time.monotonic()
                while sum(f.done() for f in futures) < 30 and time.monotonic() - t0 < 20:
                    time.sleep(0.01)  # kill once the burst is well under way, with requests in flight
                proc.send_signal(signal.SIGKILL)
                committed = [rid for f in futures if (rid := f.result()) is not None]
        proc.wait(5)
    finally:
        stop(proc)
    assert committed, "no request completed before the kill"
    db = tmp_path / "audit.db"
    with contextlib.closing(sqlite3.connect(db)) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    report = verify_chain(f"sqlite:///{db}")
    assert report.ok, report.problems
    with running(cmd, f"{url}/healthz", tmp_path / "guard2.log", cwd=tmp_path), httpx.Client(base_url=url) as client:
        assert client.post("/invocations", json=ROW, headers=AUTH).status_code == 200
    verified = subprocess.run(
        [*mlwarden_cmd(), "audit", "verify", "--db", f"sqlite:///{db}"], capture_output=True, text=True, check=False
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    with contextlib.closing(sqlite3.connect(db)) as con:
        stored = {json.loads(r[0])["request_id"] for r in con.execute("SELECT record FROM guard_audit")}
    assert set(committed) <= stored
