"""Dependencies going away mid-load: the audit database, Redis; PostgreSQL as the audit store."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from mlwarden.guard import audit as audit_module
from mlwarden.guard.audit import AuditLog, verify_chain
from mlwarden.guard.config import AuditConfig

from .conftest import ADMIN_KEY, AUTH, base_config, make_client
from .procs import free_port

pytestmark = pytest.mark.anyio

_ROW = {"instances": [[1, 2]]}


async def test_audit_database_down_then_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = audit_module._Chain.append
    broken = {"on": False}

    def flaky(self: audit_module._Chain, records: list[dict[str, object]]) -> None:
        if broken["on"]:
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        real(self, records)

    monkeypatch.setattr(audit_module._Chain, "append", flaky)
    config = base_config(tmp_path, audit={"url": f"sqlite:///{tmp_path / 'a.db'}", "fail_mode": "open"})
    async with make_client(config) as client:
        assert (await client.post("/invocations", json=_ROW, headers=AUTH)).status_code == 200
        broken["on"] = True
        during = [await client.post("/invocations", json=_ROW, headers=AUTH) for _ in range(3)]
        await asyncio.sleep(0.2)
        health = (await client.get("/healthz")).json()
        metrics = (await client.get("/metrics", headers={"authorization": f"Bearer {ADMIN_KEY}"})).text
        broken["on"] = False
        await asyncio.sleep(2.5)  # the writer's backoff, then it catches up
        healed = (await client.get("/healthz")).json()
    assert [r.status_code for r in during] == [200, 200, 200]  # fail open: served, logged
    assert health["audit"] == "failing" and healed["audit"] == "ok"
    assert "mlwarden_guard_audit_errors_total" in metrics
    assert "audit database write failed" in caplog.text
    report = verify_chain(f"sqlite:///{tmp_path / 'a.db'}")
    assert report.ok and report.rows >= 4  # nothing queued was lost


async def test_audit_fail_closed_refuses_when_commit_is_late(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def down(self: audit_module._Chain, records: list[dict[str, object]]) -> None:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(audit_module._Chain, "append", down)
    audit = {
        "url": f"sqlite:///{tmp_path / 'c.db'}",
        "fail_mode": "closed",
        "wait_for_commit": True,
        "commit_timeout": 0.2,
    }
    async with make_client(base_config(tmp_path, audit=audit)) as client:
        response = await client.post("/invocations", json=_ROW, headers=AUTH)
        health = await client.get("/healthz")
    assert response.status_code == 503 and response.json()["error"]["code"] == "audit_unavailable"
    assert health.status_code == 503


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A Redis of this test's own, so it can be killed mid-load without disturbing other tests."""
    if not os.environ.get("MLWARDEN_TEST_REDIS_URL") or not shutil.which("redis-server"):
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is required in CI: scripts/redis.sh start must run first")
        pytest.skip("no Redis: run `eval $(scripts/redis.sh start)` to enable")
    port = free_port()
    cmd = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, check=False).returncode:
            if time.monotonic() > deadline:
                pytest.fail("private Redis did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", proc
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.redis
@pytest.mark.parametrize(("mode", "status"), [("open", 200), ("closed", 503)])
async def test_redis_goes_away_mid_load(
    tmp_path: Path,
    private_redis: tuple[str, subprocess.Popen[bytes]],
    caplog: pytest.LogCaptureFixture,
    mode: str,
    status: int,
) -> None:
    url, proc = private_redis
    config = base_config(tmp_path, backend={"kind": "redis", "url": url, "fail_mode": mode, "timeout": 0.2})
    async with make_client(config) as client:
        before = [(await client.post("/invocations", json=_ROW, headers=AUTH)).status_code for _ in range(5)]
        proc.kill()
        proc.wait()
        after = [(await client.post("/invocations", json=_ROW, headers=AUTH)) for _ in range(3)]
    assert before == [200] * 5
    assert [r.status_code for r in after] == [status] * 3
    if status == 503:
        assert after[0].json()["error"]["code"] == "limits_unavailable"
    assert f"failing {mode.upper()}" in caplog.text


@pytest.mark.postgres
async def test_audit_chain_on_postgresql() -> None:
    url = os.environ.get("MLWARDEN_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("MLWARDEN_TEST_POSTGRES_URL is not set in CI")
        pytest.skip("no PostgreSQL: run `eval $(scripts/services.sh start)` to enable")
    from sqlalchemy import text

    def drop() -> None:
        # NOTE: the store suite shares this database and compares its tables with its migrations.
        engine = audit_module.open_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS guard_audit"))
        engine.dispose()

    drop()
    try:
        logs = [AuditLog(AuditConfig(url=url, wait_for_commit=True, batch_size=4)) for _ in range(2)]
        for log in logs:
            await log.start()
        waits = [logs[i % 2].submit({"request_id": str(i)}) for i in range(30)]
        await asyncio.gather(*[w for w in waits if w is not None])
        for log in logs:
            await log.stop()
        report = verify_chain(url)
    finally:
        drop()
    assert report.ok, report.problems
    assert report.rows == 30
