"""The hash-chained audit log of every guard decision (PLAT-04), written off the request path.

Requests put records on a bounded asyncio queue; ONE writer task drains it in batches and commits
each batch in a worker thread, so a slow disk never stalls the event loop. Each row stores
``hash = SHA-256(prev_hash + canonical JSON of the record)``, and the record holds its own
sequence number, so an edited, deleted or reordered row breaks the chain at that row.
``verify_chain`` walks it. SQLite runs in WAL mode with ``synchronous=FULL``: a committed row is on
disk before the commit returns, so ``kill -9`` loses at most what was still queued (none of it when
``wait_for_commit`` is on, because then nobody was answered before the commit).

A UNIQUE ``prev_hash`` makes two instances that race on the same database fail one insert instead
of forking the chain; the loser re-reads the tail and retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, Column, MetaData, String, Table, Text, create_engine, event, insert, inspect, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from mlwarden.core.errors import StoreError
from mlwarden.guard.config import AuditConfig, FailMode
from mlwarden.guard.decision import Action, Decision, Reason

__all__ = [
    "GENESIS",
    "AuditLog",
    "ChainReport",
    "Exchange",
    "canonical_json",
    "chain_hash",
    "open_engine",
    "verify_chain",
]

log = logging.getLogger("mlwarden.guard.audit")

GENESIS = "0" * 64
_metadata = MetaData()
audit_table = Table(
    "guard_audit",
    _metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("record", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False, unique=True),
    Column("hash", String(64), nullable=False),
)


def canonical_json(record: dict[str, Any]) -> str:
    """One byte-exact JSON form per record: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def chain_hash(prev_hash: str, record_json: str) -> str:
    """The link: SHA-256 over the previous hash and this record's canonical JSON."""
    return hashlib.sha256((prev_hash + record_json).encode("utf-8")).hexdigest()


_RANK = {Action.ALLOW: 0, Action.REDACT: 1, Action.BLOCK: 2}


@dataclass
class Exchange:
    """One request as the audit log sees it: who, which route, what was decided and why, how long.

    Only rule ids, kinds and positions are kept from reasons, never the matched text; the input text
    itself only when the route sets ``log_text``, and then after redaction.
    """

    request_id: str
    route: str
    method: str
    client: str | None
    started: float = field(default_factory=time.perf_counter)
    key_id: str | None = None
    action: Action = Action.ALLOW
    reasons: list[tuple[str, Reason]] = field(default_factory=list)
    status: int = 200
    error: str | None = None
    upstream_seconds: float = 0.0
    bytes_in: int = 0
    stream: bool = False
    text: str | None = None

    def decide(self, decision: Decision, phase: str) -> None:
        """Fold one pipeline decision into the request's decision (block > redact > allow)."""
        if _RANK[decision.action] > _RANK[self.action]:
            self.action = decision.action
        self.reasons.extend((phase, reason) for reason in decision.reasons)

    def refuse(self, rule_id: str, kind: str, phase: str) -> None:
        """A control (not the pipeline) blocked the request."""
        self.action = Action.BLOCK
        self.reasons.append((phase, Reason(rule_id=rule_id, kind=kind, message=kind)))

    def record(self) -> dict[str, Any]:
        """The audit record (JSON-safe, no secrets)."""
        seen: set[tuple[str, str, str, int | None]] = set()
        reasons = []
        for phase, r in self.reasons:
            ident = (phase, r.rule_id, r.kind, r.start)
            if ident not in seen:
                seen.add(ident)
                reasons.append({"phase": phase, "rule_id": r.rule_id, "kind": r.kind, "subtype": r.subtype})
        record: dict[str, Any] = {
            "ts": round(time.time(), 6),
            "request_id": self.request_id,
            "route": self.route,
            "method": self.method,
            "key_id": self.key_id,
            "client": self.client,
            "status": self.status,
            "decision": self.action.value,
            "reasons": reasons[:50],
            "error": self.error,
            "latency_ms": round((time.perf_counter() - self.started) * 1000, 3),
            "upstream_ms": round(self.upstream_seconds * 1000, 3),
            "bytes_in": self.bytes_in,
            "stream": self.stream,
        }
        if self.text is not None:
            record["text"] = self.text
        return record


def _mask(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is reported without its text
        return "<invalid database URL>"


def open_engine(url: str) -> Engine:
    """An engine for the audit database: SQLite in WAL with synchronous=FULL, or PostgreSQL by URL."""
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001
        raise StoreError(
            f"invalid audit database URL {_mask(url)}", hint="use sqlite:///path or postgresql+psycopg://..."
        ) from None
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    connect_args: dict[str, Any] = {"timeout": 10} if sqlite else {"connect_timeout": 5}
    try:
        engine = create_engine(url, connect_args=connect_args, pool_pre_ping=not sqlite)
    except (SQLAlchemyError, ImportError) as exc:
        raise StoreError(f"cannot open audit database {_mask(url)}: {type(exc).__name__}") from None
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class _Chain:
    """Appends batches to the chain; the tail is cached and re-read only when another writer moved it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._tail: tuple[int, str] | None = None

    def _read_tail(self, conn: Any) -> tuple[int, str]:
        row = conn.execute(
            select(audit_table.c.seq, audit_table.c.hash).order_by(audit_table.c.seq.desc()).limit(1)
        ).first()
        return (int(row[0]), str(row[1])) if row else (0, GENESIS)

    def append(self, records: list[dict[str, Any]]) -> None:
        """Chain and insert ``records`` in one transaction (a UNIQUE prev_hash catches a moved tail)."""
        for attempt in range(5):
            try:
                with self.engine.begin() as conn:
                    seq, prev = self._tail or self._read_tail(conn)
                    rows = []
                    for record in records:
                        seq += 1
                        text = canonical_json({**record, "seq": seq})
                        digest = chain_hash(prev, text)
                        rows.append({"seq": seq, "record": text, "prev_hash": prev, "hash": digest})
                        prev = digest
                    conn.execute(insert(audit_table), rows)
                self._tail = (seq, prev)
                return
            except IntegrityError:
                self._tail = None
                log.warning("audit chain tail moved under us (another writer?); retry %d", attempt + 1)
            except BaseException:
                self._tail = None  # unknown outcome of the commit: re-read next time
                raise
        raise StoreError("could not append to the audit chain after 5 attempts")


@dataclass
class _Item:
    record: dict[str, Any]
    done: asyncio.Future[None] | None


@dataclass
class AuditLog:
    """The queue, the writer task and the fail-open/closed policy for one guard process."""

    config: AuditConfig
    on_drop: Callable[[], None] = lambda: None
    on_error: Callable[[], None] = lambda: None
    _queue: asyncio.Queue[_Item] = field(init=False)
    _engine: Engine | None = field(default=None, init=False)
    _task: asyncio.Task[None] | None = field(default=None, init=False)
    healthy: bool = field(default=True, init=False)

    async def start(self) -> None:
        """Open the database, create the table, start the writer."""
        self._queue = asyncio.Queue(maxsize=self.config.queue_size)
        self._engine = open_engine(self.config.url)
        try:
            await asyncio.to_thread(_metadata.create_all, self._engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot prepare audit database {_mask(self.config.url)}: {type(exc).__name__}") from None
        self._task = asyncio.create_task(self._writer(), name="mlwarden-audit-writer")

    def accepting(self) -> bool:
        """False when the queue is full and the log fails closed: refuse the request up front."""
        return self.config.fail_mode is FailMode.OPEN or not self._queue.full()

    def depth(self) -> int:
        """Records waiting for the writer."""
        return self._queue.qsize()

    def submit(self, record: dict[str, Any]) -> asyncio.Future[None] | None:
        """Queue ``record``; a future that resolves on commit, or None when it was dropped (queue full)."""
        done: asyncio.Future[None] | None = None
        if self.config.wait_for_commit:
            done = asyncio.get_running_loop().create_future()
        try:
            self._queue.put_nowait(_Item(record, done))
        except asyncio.QueueFull:
            self.on_drop()
            mode = self.config.fail_mode.value.upper()
            log.error("audit queue full (%d records): record dropped, failing %s", self.config.queue_size, mode)
            return None
        return done

    async def _next_batch(self) -> list[_Item]:
        batch = [await self._queue.get()]
        if not self.config.wait_for_commit and self.config.linger_ms:
            # NOTE: nobody waits for these records, so a short linger buys bigger batches: one commit
            # (and one fsync) per batch instead of per request under load.
            await asyncio.sleep(self.config.linger_ms / 1000)
        while len(batch) < self.config.batch_size and not self._queue.empty():
            batch.append(self._queue.get_nowait())
        return batch

    async def _commit(self, chain: _Chain, batch: list[_Item]) -> None:
        backoff = 0.05
        while True:
            try:
                await asyncio.to_thread(chain.append, [item.record for item in batch])
            except (SQLAlchemyError, StoreError, OSError) as exc:
                self.healthy = False
                self.on_error()
                log.error("audit database write failed (%s); retrying in %.2fs", type(exc).__name__, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 2.0)
                continue
            self.healthy = True
            return

    async def _writer(self) -> None:
        if self._engine is None:
            raise RuntimeError("audit writer started before the database was opened")
        chain = _Chain(self._engine)
        while True:
            batch = await self._next_batch()
            await self._commit(chain, batch)
            for item in batch:
                if item.done is not None and not item.done.done():
                    item.done.set_result(None)
                self._queue.task_done()

    async def stop(self, *, drain_timeout: float = 5.0) -> None:
        """Write what is queued (up to ``drain_timeout``), then stop the writer and close the database."""
        if self._task is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._queue.join(), drain_timeout)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._engine is not None:
            self._engine.dispose()


@dataclass
class ChainReport:
    """What ``verify_chain`` found: the number of rows, the head hash to anchor elsewhere, and problems."""

    rows: int = 0
    head: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No problem found."""
        return not self.problems


def _rows(engine: Engine) -> Iterator[Any]:
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=1000).execute(select(audit_table).order_by(audit_table.c.seq))
        yield from result


def _check_row(row: Any, expected_seq: int, prev: str) -> list[str]:
    problems = []
    seq = int(row.seq)
    if seq != expected_seq:
        problems.append(f"seq {seq}: expected seq {expected_seq} (rows deleted or reordered)")
    if row.prev_hash != prev:
        problems.append(f"seq {seq}: prev_hash does not match the previous row's hash (deletion or reordering)")
    if chain_hash(row.prev_hash, row.record) != row.hash:
        problems.append(f"seq {seq}: hash does not match the record (the record was edited)")
    try:
        inner = json.loads(row.record).get("seq")
    except (ValueError, AttributeError):
        inner = None
    if inner != seq:
        problems.append(f"seq {seq}: the record's own seq is {inner!r} (rows renumbered)")
    return problems


def verify_chain(url: str, *, max_problems: int = 100) -> ChainReport:
    """Walk the whole chain in order and report every broken link (up to ``max_problems``)."""
    engine = open_engine(url)
    report = ChainReport()
    try:
        if not inspect(engine).has_table(audit_table.name):
            raise StoreError(f"no guard audit log at {_mask(url)}", hint="pass the audit.url of guard.yaml as --db")
        for row in _rows(engine):
            report.rows += 1
            report.problems.extend(_check_row(row, report.rows, report.head))
            report.head = str(row.hash)
            if len(report.problems) >= max_problems:
                report.problems.append("too many problems; stopped")
                break
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read the audit log at {_mask(url)}: {type(exc).__name__}") from None
    finally:
        engine.dispose()
    return report
