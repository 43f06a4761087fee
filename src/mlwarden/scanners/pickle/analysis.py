"""The public pickle analysis: scan every pickle in a stream and yield findings.

Other scanners (PyTorch zip and legacy containers, NumPy ``.npy`` object arrays) call
:func:`scan_pickle_stream` on the pickle bytes they locate; :func:`scan_joblib_stream` adds joblib's
inline-array handling. Nothing here imports, unpickles or executes what it reads.
"""

from __future__ import annotations

import io
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, Final

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.rules import LIMIT_EXCEEDED
from mlwarden.core.errors import BudgetExceeded
from mlwarden.core.findings import Finding, Location, Severity
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.pickle.calls import (
    built_callees,
    callees,
    constructed_class,
    resolve_getattr,
    smuggled,
    vetted,
)
from mlwarden.scanners.pickle.fastpath import MARK_BYTE, MEMO_CODES, FastPath
from mlwarden.scanners.pickle.findings import ImportRecord, PickleReport, import_finding, issue_findings
from mlwarden.scanners.pickle.joblib import array_payload
from mlwarden.scanners.pickle.nested import nested_finding, pickle_bytes, shrink
from mlwarden.scanners.pickle.opcodes import Blob, ParseError, Source, Truncated, next_op
from mlwarden.scanners.pickle.rules import (
    CALLEE_ARGS,
    CANNOT_PARSE,
    CONDITIONAL,
    JOBLIB_WRAPPERS,
    SIBLING_NPY,
    SIDE_FILE_LOADERS,
    SUSPICIOUS_STRUCTURE,
    UNSAFE_TO_CALL,
    Verdict,
)
from mlwarden.scanners.pickle.symbolic import Machine
from mlwarden.scanners.pickle.values import Call, Container, Global, Memo, Nested, mask, render
from mlwarden.scanners.pickle.verdicts import judge

__all__ = ["SCANNER_VERSION", "PickleSummary", "scan_joblib_stream", "scan_pickle_stream"]

SCANNER_VERSION: Final = 1
_CHECK_EVERY: Final = 4096
_MAX_NESTING: Final = 3
_IMPORT_RULES: Final = frozenset({"MW-PICKLE-001", "MW-PICKLE-002", "MW-PICKLE-005"})


@dataclass(slots=True)
class PickleSummary:
    """What one scan saw, for callers that want more than findings (counts and imports)."""

    pickles: int = 0
    opcodes: int = 0
    arrays: int = 0  # joblib raw array payloads skipped (bytes a plain pickle.load would read as opcodes)
    imports: dict[str, Verdict] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Where:
    artifact: Artifact
    member: str | None
    scanner: str
    version: int

    def at(self, offset: int | None) -> Location:
        chain = "!/".join(m for m in (self.artifact.member, self.member) if m) or None
        return Location(path=self.artifact.path, member=chain, offset=offset)


def scan_pickle_stream(  # noqa: PLR0913 - the cross-scanner contract; all but one are keyword-only
    stream: BinaryIO,
    *,
    artifact: Artifact,
    ctx: ScanContext,
    member: str | None = None,
    base_offset: int = 0,
    scanner_name: str = "pickle",
    scanner_version: int = SCANNER_VERSION,
    allow_trailing: bool = False,
    summary: PickleSummary | None = None,
) -> Iterator[Finding]:
    """Scan every pickle from the stream's current position to EOF and yield findings.

    ``member`` names the pickle inside ``artifact`` (``archive/data.pkl``); it is appended to
    ``artifact.member`` with ``!/``. Offsets are ``base_offset`` plus the stream offset (``tell()``)
    of the opcode. ``allow_trailing`` stops quietly at non-pickle data after a STOP (containers
    such as the legacy torch format store raw bytes there). Resource limits become an
    ``MW-LIMIT-001`` finding; no exception escapes for any input.
    """
    where = _Where(artifact, member, scanner_name, scanner_version)
    scan = _Scan(where, ctx, stream, base_offset, joblib=False, summary=summary or PickleSummary())
    yield from scan.run(allow_trailing=allow_trailing)


def scan_joblib_stream(  # noqa: PLR0913 - same contract as scan_pickle_stream
    stream: BinaryIO,
    *,
    artifact: Artifact,
    ctx: ScanContext,
    member: str | None = None,
    base_offset: int = 0,
    scanner_name: str = "pickle",
    scanner_version: int = SCANNER_VERSION,
    summary: PickleSummary | None = None,
) -> Iterator[Finding]:
    """Like :func:`scan_pickle_stream` for an (already decompressed) ``joblib.dump`` stream.

    Raw array bytes after each ``NumpyArrayWrapper`` are skipped by their declared size; object
    arrays, which joblib writes as nested pickles, are scanned as pickles.
    """
    where = _Where(artifact, member, scanner_name, scanner_version)
    scan = _Scan(where, ctx, stream, base_offset, joblib=True, summary=summary or PickleSummary())
    yield from scan.run(allow_trailing=False)


class _Scan:
    """One stream's scan: drives the reader and machine, collects reports, makes findings."""

    def __init__(  # noqa: PLR0913 - internal; mirrors the public keyword arguments
        self,
        where: _Where,
        ctx: ScanContext,
        stream: BinaryIO,
        base_offset: int,
        *,
        joblib: bool,
        summary: PickleSummary,
        depth: int = 0,
    ) -> None:
        self.where = where
        self.ctx = ctx
        self.stream = stream
        self.base_offset = base_offset
        self.joblib = joblib
        self.summary = summary
        self.depth = depth
        self.report = PickleReport()
        self.pending: list[Finding] = []
        self.src: Source | None = None
        self.opcodes = 0
        self.stops = 0  # pickles parsed to their STOP
        self.broken = False  # a parse error or limit ended the scan
        self.extensions: dict[int, tuple[str, str]] = {}

    # --- driving -----------------------------------------------------------------------------
    def run(self, *, allow_trailing: bool) -> Iterator[Finding]:
        """Scan pickles back to back until EOF, a parse failure or a limit."""
        try:
            src = Source(self.stream, origin=self.base_offset)
        except (OSError, ValueError) as exc:
            yield self._cannot_parse(f"the stream cannot be read: {exc}", self.base_offset)
            return
        self.src = src
        index = 0
        while not src.peek_eof():
            start = src.pos
            ok = yield from self._one(src, index, allow_trailing=allow_trailing)
            if not ok:
                return
            index += 1
            if index > 1 and src.pos == start:
                return

    def _one(self, src: Source, index: int, *, allow_trailing: bool) -> Generator[Finding, None, bool]:
        """Scan one pickle; return False when scanning must stop (error, limit, trailing data)."""
        self.report = PickleReport(index=index, start=src.pos)
        machine = Machine(self, memo=Memo(), extensions=self.extensions)
        error: ParseError | None = None
        try:
            self._loop(src, machine)
        except ParseError as exc:
            error = exc
        except BudgetExceeded as exc:
            self.broken = True
            yield from self._flush()
            yield self._limit(exc, src.pos)
            return False
        except (RecursionError, MemoryError, OSError) as exc:
            error = ParseError(f"reading stopped: {type(exc).__name__}", src.pos)
        self.summary.pickles += 1
        self.stops += machine.stopped
        self.broken = self.broken or (error is not None and (index == 0 or bool(self.report.imports)))
        if error is not None and index > 0 and not self.report.imports:
            if not allow_trailing:
                yield self._trailing(self.report.start)
            yield from self._flush()
            return False
        yield from self._flush()
        if error is not None:
            yield self._cannot_parse(error.message, error.offset, truncated=isinstance(error, Truncated))
            return False
        return True

    def _loop(self, src: Source, machine: Machine) -> None:
        budget = self.ctx.budget
        deadline = self.ctx.deadline
        step = machine.step
        fast = FastPath(src, machine.memo) if src.seekable else None
        count = 0
        while not machine.stopped:
            # A stepped-over batch counts as one opcode: it is bounded by its bytes and the deadline.
            if fast is not None and src.i < len(src.buf) and src.buf[src.i] == MARK_BYTE and fast.batch(machine):
                pos = src.pos
            else:
                code, arg, pos = next_op(src)
                if fast is not None and fast.pending and code in MEMO_CODES:
                    fast.settle()
                step(code, arg, pos)
                if self.report.array is not None:
                    self._skip_array(src, pos)
            count += 1
            if count % _CHECK_EVERY == 0:
                self._account(count, machine, pos)
                budget.check("pickle_opcodes", self.opcodes + count, where=f"offset {pos}")
                deadline.check(f"pickle offset {pos}")
        self._account(count, machine, src.pos)

    def _account(self, count: int, machine: Machine, pos: int) -> None:
        self.ctx.budget.check("pickle_stack_depth", machine.depth(), where=f"offset {pos}")
        delta = count - self.report.counted
        self.report.counted = count
        self.opcodes += delta
        self.summary.opcodes += delta

    # --- sink interface used by the machine ----------------------------------------------
    def imported(self, glob: Global) -> None:
        """Record an import and its verdict."""
        record = self._record(glob)
        if record is not None:
            record.count += 1
            record.refs += 1

    def _record(self, glob: Global) -> ImportRecord | None:
        record = self.report.imports.get(glob.qualname)
        if record is None:
            if glob.via == "EXT" and glob.module == "<extension>":
                return None
            judgement = judge(glob.module, glob.name)
            record = ImportRecord(glob=glob, judgement=judgement)
            self.report.imports[glob.qualname] = record
            self.summary.imports[judgement.key] = judgement.verdict
        glob.key = record.judgement.key
        return record

    def referenced(self, glob: Global) -> None:
        """A memo GET or DUP pushed an import again: one more use that must be vetted."""
        record = self.report.imports.get(glob.qualname)
        if record is not None:
            record.refs += 1

    def called(self, call: Call, via: str) -> object | None:
        """Attach call evidence to every import the call site runs; resolve literal getattr calls."""
        for value, role in callees(call, via):
            if isinstance(value, Global) and role != "ref":
                self._run(value, role, call)
            elif isinstance(value, Global):
                self._check_unsafe(value, role, call)
        for built, role in built_callees(call, via):
            what = "instantiates" if role == "new" else "calls"
            self.issue(
                "call-built-object", f"a call site {what} an object the pickle built: {render(built)}", call.offset
            )
        func = call.func
        judged = frozenset(i for i, _ in CALLEE_ARGS.get(func.key, ())) if isinstance(func, Global) else frozenset()
        self._smuggled(call.args, judged, f"passed as an argument to {render(func)}", call)
        if isinstance(func, Global) and func.key in SIDE_FILE_LOADERS:
            items = call.args.items if isinstance(call.args, Container) else []
            self._side_file(func, items[0] if items else None, call)
        if isinstance(func, Global):
            kind = CONDITIONAL.get(func.key)
            record = self.report.imports.get(func.qualname)
            if kind is not None and record is not None and kind != "getattr":
                record.pending.append(call)
        resolved = resolve_getattr(call)
        if resolved is not None:
            self.imported(resolved)
            if self._is_safe(resolved) and isinstance(func, Global):
                self.report.imports[func.qualname].vetted += 1
        return resolved

    def _run(self, glob: Global, role: str, call: Call) -> None:
        record = self.report.imports.get(glob.qualname)
        if record is None:
            return
        if role == "new":
            record.news += 1
        else:
            record.calls += 1
        self._check_unsafe(glob, role, call)
        if not record.evidence and (record.judgement.verdict is not Verdict.SAFE or record.unsafe):
            record.evidence = mask(render(call))
            record.call_offset = call.offset

    def _check_unsafe(self, glob: Global, role: str, call: Call) -> None:
        record = self.report.imports.get(glob.qualname)
        entry = UNSAFE_TO_CALL.get(glob.key)
        if record is not None and entry is not None and role in entry[0] and not record.unsafe:
            record.unsafe = f"{entry[1]} (run here as {role}, not only named)"

    def _smuggled(self, value: object, skip: frozenset[int], where: str, call: Call) -> None:
        """An allowlisted class that must never run, placed where library code may call it."""
        for glob in smuggled(value, skip):
            record = self.report.imports.get(glob.qualname)
            entry = UNSAFE_TO_CALL.get(glob.key)
            if record is not None and entry is not None and not record.unsafe:
                record.unsafe = f"{entry[1]}; here it is {where}, where library code may call it"
                record.evidence = mask(render(call))
                record.call_offset = call.offset

    def _side_file(self, cls: Global, filename: object, call: Call) -> None:
        """joblib's NDArrayWrapper: the file it names is numpy.load-ed with allow_pickle=True."""
        record = self.report.imports.get(cls.qualname)
        if record is None or record.unsafe or (isinstance(filename, str) and SIBLING_NPY.fullmatch(filename)):
            return
        record.unsafe = f"{SIDE_FILE_LOADERS[cls.key]}; it names {render(filename)}, not a sibling .npy file"
        record.evidence = mask(render(call))
        record.call_offset = call.offset

    def _is_safe(self, glob: Global) -> bool:
        record = self.report.imports.get(glob.qualname)
        return record is not None and record.judgement.verdict is Verdict.SAFE and not record.unsafe

    def built(self, target: object, state: object, offset: int) -> None:
        """BUILD: keep dtype state, detect BUILD on imported objects and joblib wrappers."""
        if isinstance(target, Global):
            self.issue("build-on-global", f"BUILD sets state on the imported object {target.qualname}", offset)
        elif isinstance(target, Call):
            target.state = state
            cls = constructed_class(target)
            if cls is not None and cls.key in SIDE_FILE_LOADERS:
                fields = _dict_fields(state)
                if "filename" in fields:
                    self._side_file(cls, fields["filename"], target)
            if cls is None or cls.key not in JOBLIB_WRAPPERS:
                self._smuggled(state, frozenset(), f"set by BUILD on {render(target)}", target)
        if self.joblib:
            try:
                self.report.array = array_payload(target, state)
            except ValueError as exc:
                raise ParseError(str(exc), offset) from None

    def data(self, value: str | bytes | Blob, offset: int) -> object:
        """Sniff string and bytes literals for embedded pickles, scan them, and return what to push."""
        raw = pickle_bytes(value)
        if raw is None or self.depth >= _MAX_NESTING:
            return shrink(value, offset)
        nested = _Scan(self.where, self.ctx, io.BytesIO(raw), offset, joblib=False, summary=self.summary)
        nested.depth = self.depth + 1
        nested.extensions = self.extensions
        findings = list(nested.run(allow_trailing=True))
        complete = not isinstance(value, Blob) and nested.stops > 0 and not nested.broken
        # NOTE: only imports count; structure or parse findings in arbitrary data are noise.
        if any(f.rule_id in _IMPORT_RULES for f in findings):
            self.pending.append(nested_finding(value, offset, findings, self.where.at(offset), self.where))
            self.pending.extend(findings)
            return Nested(shrink(value, offset), clean=False)
        return Nested(shrink(value, offset), clean=complete) if nested.stops else shrink(value, offset)

    def issue(self, kind: str, message: str, offset: int) -> None:
        """Record a structural oddity (first offset and count per kind)."""
        self.report.add_issue(kind, message, offset)

    # --- helpers -----------------------------------------------------------------------------
    def _skip_array(self, src: Source, pos: int) -> None:
        payload = self.report.array
        self.report.array = None
        if payload is None:
            return
        if payload.is_object:
            inner = Machine(self, memo=Memo(), extensions=self.extensions)
            self._loop(src, inner)
            return
        self.summary.arrays += 1
        if payload.padded:
            src.skip(src.read(1)[0])
        src.skip(payload.nbytes)

    def _flush(self) -> Iterator[Finding]:
        yield from self.pending
        self.pending = []
        is_safe = {
            r.judgement.key: r.judgement.verdict is Verdict.SAFE and r.judgement.key not in UNSAFE_TO_CALL
            for r in self.report.imports.values()
        }
        for record in self.report.imports.values():
            kind = CONDITIONAL.get(record.judgement.key)
            if kind is not None:
                record.vetted += sum(vetted(kind, call, is_safe) for call in record.pending)
            finding = import_finding(record, self.where.at, self.where.scanner, self.where.version)
            if finding is not None:
                yield finding
        yield from issue_findings(self.report, self.where.at, self.where.scanner, self.where.version)
        self.report.imports.clear()
        self.report.issues.clear()

    def _cannot_parse(self, message: str, offset: int, *, truncated: bool = False) -> Finding:
        what = "is truncated" if truncated else "cannot be parsed"
        return CANNOT_PARSE.finding(
            location=self.where.at(offset),
            message=(
                f"The pickle {what} at offset {offset}: {message}. Everything before this offset was analysed; "
                "a loader would execute those opcodes before failing."
            ),
            scanner=self.where.scanner,
            scanner_version=self.where.version,
            match_key="truncated" if truncated else "invalid",
            evidence=mask(message)[:200],
        )

    def _trailing(self, offset: int) -> Finding:
        return SUSPICIOUS_STRUCTURE.finding(
            location=self.where.at(offset),
            message=(
                f"Data that is not a pickle follows the final STOP at offset {offset}. Standard picklers "
                "write nothing after STOP; appended data is a common way to hide payloads from scanners."
            ),
            scanner=self.where.scanner,
            scanner_version=self.where.version,
            match_key="trailing-data",
            severity=Severity.LOW,
            confidence=0.6,
        )

    def _limit(self, exc: BudgetExceeded, offset: int) -> Finding:
        return LIMIT_EXCEEDED.finding(
            location=self.where.at(offset),
            message=f"Pickle analysis stopped at offset {offset}: {exc.message}.",
            scanner=self.where.scanner,
            scanner_version=self.where.version,
            match_key=f"pickle:{exc.resource}",
            evidence=f"{exc.resource}: {exc.actual} > {exc.limit}",
        )


def _dict_fields(state: object) -> dict[str, object]:
    """The string-keyed items of a BUILD state (a dict, or the dict of a ``(dict, slotstate)`` tuple)."""
    if isinstance(state, Container) and state.kind == "tuple" and state.items:
        state = state.items[0]
    if not (isinstance(state, Container) and state.kind == "dict"):
        return {}
    return {k: v for k, v in (i for i in state.items if isinstance(i, tuple) and len(i) == 2) if isinstance(k, str)}
