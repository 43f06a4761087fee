"""The hash-chained audit log: records, durability settings, and tamper detection."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from mlwarden.guard.audit import AuditLog, canonical_json, chain_hash, verify_chain
from mlwarden.guard.config import AuditConfig

pytestmark = pytest.mark.anyio


async def _write(url: str, n: int) -> None:
    log = AuditLog(AuditConfig(url=url, wait_for_commit=True))
    await log.start()
    waits = [log.submit({"request_id": f"r{i}", "decision": "allow"}) for i in range(n)]
    await asyncio.gather(*[w for w in waits if w is not None])
    await log.stop()


@pytest.fixture
async def db(tmp_path: Path) -> Path:
    path = tmp_path / "a" / "audit.db"
    await _write(f"sqlite:///{path}", 20)
    return path


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


async def test_chain_is_valid_and_persistent(db: Path) -> None:
    await _write(_url(db), 5)  # a second process appends to the same chain
    report = verify_chain(_url(db))
    assert report.ok, report.problems
    assert report.rows == 25
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def _edit(db: Path, sql: str, *args: object) -> None:
    con = sqlite3.connect(db)
    con.execute(sql, args)
    con.commit()
    con.close()


async def test_edit_is_detected(db: Path) -> None:
    con = sqlite3.connect(db)
    record = json.loads(con.execute("SELECT record FROM guard_audit WHERE seq = 7").fetchone()[0])
    con.close()
    record["decision"] = "block"
    _edit(db, "UPDATE guard_audit SET record = ? WHERE seq = 7", canonical_json(record))
    report = verify_chain(_url(db))
    assert not report.ok
    assert any("seq 7" in p and "edited" in p for p in report.problems)


async def test_deletion_is_detected(db: Path) -> None:
    _edit(db, "DELETE FROM guard_audit WHERE seq = 10")
    assert any("seq 11" in p for p in verify_chain(_url(db)).problems)


async def test_reordering_is_detected(db: Path) -> None:
    _edit(db, "UPDATE guard_audit SET seq = -3 WHERE seq = 3")
    _edit(db, "UPDATE guard_audit SET seq = 3 WHERE seq = 4")
    _edit(db, "UPDATE guard_audit SET seq = 4 WHERE seq = -3")
    assert not verify_chain(_url(db)).ok


async def test_rehashed_edit_still_breaks_the_next_link(db: Path) -> None:
    con = sqlite3.connect(db)
    prev, text = con.execute("SELECT prev_hash, record FROM guard_audit WHERE seq = 5").fetchone()
    con.close()
    record = json.loads(text)
    record["decision"] = "block"
    new = canonical_json(record)
    _edit(db, "UPDATE guard_audit SET record = ?, hash = ? WHERE seq = 5", new, chain_hash(prev, new))
    problems = verify_chain(_url(db)).problems
    assert any(p.startswith("seq 6") for p in problems)


def _appender(target: list[int]) -> Callable[[], None]:
    return lambda: target.append(1)


async def test_queue_full_fails_open_or_closed(tmp_path: Path) -> None:
    for mode, accepting in (("open", True), ("closed", False)):
        log = AuditLog(AuditConfig(url=_url(tmp_path / f"{mode}.db"), queue_size=2, fail_mode=mode))  # type: ignore[arg-type]
        dropped: list[int] = []
        log.on_drop = _appender(dropped)
        await log.start()
        log._task.cancel()  # type: ignore[union-attr]  # a stalled writer
        for i in range(3):
            log.submit({"i": i})
        assert dropped == [1]
        assert log.accepting() is accepting
        log._task = None
        await log.stop()


async def test_two_writers_on_one_database_keep_one_chain(tmp_path: Path) -> None:
    url = _url(tmp_path / "shared.db")
    logs = [AuditLog(AuditConfig(url=url, wait_for_commit=True, batch_size=3)) for _ in range(2)]
    for log in logs:
        await log.start()
    waits = []
    for i in range(40):
        done = logs[i % 2].submit({"request_id": f"w{i % 2}-{i}"})
        assert done is not None
        waits.append(done)
        if i % 5 == 0:
            await asyncio.sleep(0)
    await asyncio.gather(*waits)
    for log in logs:
        await log.stop()
    report = verify_chain(url)
    assert report.ok, report.problems
    assert report.rows == 40
