"""NumPy ``.npy`` and ``.npz`` scanner: parse headers as numpy.lib.format does, find pickled object arrays.

A ``.npy`` file is magic ``\\x93NUMPY``, a version (1.0 and 2.0 latin-1, 3.0 UTF-8), a header length
(2 bytes for 1.0, 4 otherwise) and a Python dict literal with exactly ``descr``, ``fortran_order``
and ``shape``, which numpy parses with ``ast.literal_eval`` and refuses above 10,000 characters
unless ``allow_pickle=True``. When the dtype holds objects (``|O``, or a structured or comma-spec
dtype with an object field) the data is a pickle that ``np.load(allow_pickle=True)`` unpickles, so
it goes to the pickle analysis. ``.npz`` is read by numpy with Python's zipfile: every member whose
head is the npy magic is parsed, whatever its name; members are listed with the shared robust reader.
"""

from __future__ import annotations

import ast
import math
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.rules import LIMIT_EXCEEDED
from mlwarden.core.errors import BudgetExceeded
from mlwarden.core.findings import Finding, Severity, Stage
from mlwarden.core.rules import Rule
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.pytorch.archive import drain
from mlwarden.scanners.pytorch.pickles import looks_like_pickle, scan_pickles
from mlwarden.scanners.structured import FindingMaker, MalformedError, read_exact
from mlwarden.scanners.zipread import LOCAL_SIG, ZipEntry, ZipReadError, open_member, read_listing
from mlwarden.scanners.zipread.findings import member_limit_finding

__all__ = ["NUMPY_RULES", "NumpyScanner"]

MAGIC = b"\x93NUMPY"
MAX_HEADER_CHARS = 10_000  # numpy's _MAX_HEADER_SIZE
_PARSE_LIMIT = 1 << 16  # we read a bit more than numpy accepts, to describe the header
_MAX_DIMS = 64  # NPY_MAXDIMS in numpy 2
_HEAD = 64
_SIMPLE = re.compile(r"([<>|=]?)([?bBhHiIlLqQpPefdgFDGbiufcSUVaOmM])(\d*)(\[\w+\])?")
_OBJECT = re.compile(r"(?<![A-Za-z])O\d*(?![A-Za-z])|object")

OBJECT_ARRAY = Rule(
    id="MW-NUMPY-001",
    title="NumPy array of Python objects: loading it unpickles",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help=(
        "An object dtype stores its data as a pickle; np.load refuses it unless allow_pickle=True, and with "
        "it runs whatever the pickle says. The pickle is scanned separately; this finding stands even when "
        "it looks benign (then at low severity), because a reviewer must decide to allow pickles."
    ),
    remediation="Store numeric arrays (or safetensors) instead; if objects are needed, load only after review.",
    cwe="CWE-502",
)
MALFORMED_HEADER = Rule(
    id="MW-NUMPY-002",
    title="NumPy header is malformed or over numpy's limits",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-07", "SERVE-07"),
    stage=Stage.MODEL,
    help=(
        "numpy refuses headers that are not a dict literal with exactly descr, fortran_order and shape, "
        "an unknown version, or more than 10,000 characters (unless allow_pickle=True). Other readers "
        "may parse them differently."
    ),
    remediation="Do not load the file; re-create it with np.save from trusted data.",
    cwe="CWE-20",
)
SIZE_MISMATCH = Rule(
    id="MW-NUMPY-003",
    title="NumPy array shape does not match its data",
    severity=Severity.MEDIUM,
    risk_ids=("SERVE-07", "MODEL-07"),
    stage=Stage.MODEL,
    help=(
        "The declared shape times the item size exceeds the bytes present, or the shape is absurd (too many "
        "dimensions, negative). Memory-mapping readers read out of bounds; others allocate what is declared."
    ),
    remediation="Do not load the file; re-create it with np.save.",
    cwe="CWE-1284",
)
TRAILING_DATA = Rule(
    id="MW-NUMPY-004",
    title="Bytes follow the array data",
    severity=Severity.LOW,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help="np.save writes nothing after the data; np.load ignores extra bytes, which can smuggle a payload.",
    remediation="Inspect the trailing bytes and re-create the file with np.save.",
)
NPZ_ANOMALY = Rule(
    id="MW-NUMPY-005",
    title="NPZ archive structure is inconsistent",
    severity=Severity.HIGH,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help=(
        "Duplicate names, CRC mismatches, local headers that disagree with the central directory, hidden "
        "entries or end-record tricks make tools see different members than np.load (Python zipfile) does."
    ),
    remediation="Treat the archive as tampered; re-create it with np.savez from trusted arrays.",
    cwe="CWE-436",
)
NUMPY_RULES: tuple[Rule, ...] = (OBJECT_ARRAY, MALFORMED_HEADER, SIZE_MISMATCH, TRAILING_DATA, NPZ_ANOMALY)
_ISSUE_SEVERITY = {"gap": Severity.MEDIUM, "prefix": Severity.MEDIUM, "encrypted": Severity.MEDIUM}


@dataclass(frozen=True, slots=True)
class _Header:
    descr: Any
    shape: tuple[int, ...]
    data_offset: int


@dataclass(frozen=True, slots=True)
class _Job:
    artifact: Artifact
    ctx: ScanContext
    make: FindingMaker


class NumpyScanner:
    """Validates .npy headers and .npz members; object arrays go to the pickle analysis."""

    name: ClassVar[str] = "numpy"
    version: ClassVar[int] = 1
    formats: ClassVar[frozenset[Format]] = frozenset({Format.NUMPY, Format.NUMPY_NPZ})
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = (*NUMPY_RULES, LIMIT_EXCEEDED)

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield findings for one .npy or .npz artifact, dispatching on its magic bytes."""
        job = _Job(artifact, ctx, FindingMaker(artifact, self.name, self.version))
        with artifact.open() as stream:
            size = stream.seek(0, 2)
            stream.seek(0)
            head = stream.read(len(MAGIC))
            stream.seek(0)
            if head == MAGIC:
                yield from _npy(job, stream, size, None)
            elif head.startswith(LOCAL_SIG) or artifact.format is Format.NUMPY_NPZ:
                yield from _npz(job, stream, size)
            else:
                yield job.make(MALFORMED_HEADER, "no .npy magic and not a zip archive", key="magic", offset=0)


def _npy(job: _Job, stream: BinaryIO, size: int, member: str | None) -> Iterator[Finding]:
    try:
        header = _read_header(stream, size)
    except MalformedError as exc:
        yield job.make(
            MALFORMED_HEADER, f"cannot load as .npy: {exc}", key=exc.reason, member=member, offset=exc.offset
        )
        return
    if _has_object(header.descr):
        yield from _object_array(job, stream, header, member)
        return
    yield from _check_size(job, stream, header, size, member)


def _object_array(job: _Job, stream: BinaryIO, header: _Header, member: str | None) -> Iterator[Finding]:
    """The object-dtype finding, LOW when the embedded pickle only rebuilds plain values, then its findings."""
    message = f"dtype {_short(header.descr)} holds Python objects: np.load needs allow_pickle=True"
    stream.seek(header.data_offset)
    inner: list[Finding] = []
    severity = Severity.MEDIUM
    try:
        inner.extend(
            scan_pickles(
                stream,
                artifact=job.artifact,
                ctx=job.ctx,
                member=member,
                scanner=job.make.scanner,
                version=job.make.version,
            )
        )
        if all(finding.severity < Severity.MEDIUM for finding in inner):
            severity = Severity.LOW
    finally:  # a limit hit inside the pickle must not lose what was already found
        yield job.make(
            OBJECT_ARRAY, message, key="object-dtype", member=member, evidence=_short(header.descr), severity=severity
        )
        yield from inner


def _read_header(stream: BinaryIO, size: int) -> _Header:
    prefix = read_exact(stream, len(MAGIC) + 2, what="magic and version", offset=0)
    version = (prefix[6], prefix[7])
    if version not in ((1, 0), (2, 0), (3, 0)):
        raise MalformedError(f"unsupported format version {version[0]}.{version[1]}", 6)
    width = 2 if version == (1, 0) else 4
    (length,) = struct.unpack("<H" if width == 2 else "<I", read_exact(stream, width, what="header length", offset=8))
    start = 8 + width
    if length > _PARSE_LIMIT or start + length > size:
        raise MalformedError(f"header length {length} is implausible for a {size}-byte file", 8)
    raw = read_exact(stream, length, what="header", offset=start)
    text = raw.decode("utf-8" if version == (3, 0) else "latin-1", "replace")
    if len(text) > MAX_HEADER_CHARS:
        raise MalformedError(f"header of {len(text)} characters is over numpy's {MAX_HEADER_CHARS} limit", start)
    value = _literal(text, version, start)
    if not isinstance(value, dict) or set(value) != {"descr", "fortran_order", "shape"}:
        raise MalformedError("header is not a dict with exactly descr, fortran_order and shape", start)
    shape = value["shape"]
    if not isinstance(shape, tuple) or not all(isinstance(d, int) for d in shape):
        raise MalformedError(f"shape {str(shape)[:60]} is not a tuple of integers", start)
    if not isinstance(value["fortran_order"], bool):
        raise MalformedError("fortran_order is not a bool", start)
    if not isinstance(value["descr"], (str, list)):
        raise MalformedError("descr is neither a string nor a list of fields", start)
    return _Header(value["descr"], tuple(shape), start + length)


def _literal(text: str, version: tuple[int, int], offset: int) -> Any:
    """ast.literal_eval evaluates literals only (no names, calls or attributes), so it is safe here."""
    candidates = [text]
    if version <= (2, 0):
        candidates.append(re.sub(r"(?<=\d)L\b", "", text))  # headers written by Python 2 numpy
    for candidate in candidates:
        try:
            return ast.literal_eval(candidate)
        except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError):
            continue
    raise MalformedError("header is not a Python literal", offset)


def _has_object(descr: Any, depth: int = 0) -> bool:
    """Whether np.dtype(descr).hasobject: an O/object type code anywhere in the types (not field names)."""
    if isinstance(descr, str):
        return bool(_OBJECT.search(descr))
    if isinstance(descr, list) and depth < 32:
        return any(isinstance(f, tuple) and len(f) >= 2 and _has_object(f[1], depth + 1) for f in descr)
    return False


def _itemsize(descr: Any, depth: int = 0) -> int | None:
    """Bytes per element for the descr spellings np.save writes; None when unsure."""
    if isinstance(descr, str):
        match = _SIMPLE.fullmatch(descr)
        if match is None:
            return None
        kind, digits = match.group(2), match.group(3)
        count = int(digits) if digits else 1
        return count * 4 if kind == "U" else count
    if not isinstance(descr, list) or depth > 8:
        return None
    total = 0
    for field in descr:
        if not isinstance(field, tuple) or len(field) not in (2, 3):
            return None
        inner = _itemsize(field[1], depth + 1)
        dims = field[2] if len(field) == 3 else ()
        if inner is None or not isinstance(dims, tuple) or not all(isinstance(d, int) and d >= 0 for d in dims):
            return None
        total += inner * math.prod(dims)
    return total


def _check_size(job: _Job, stream: BinaryIO, header: _Header, size: int, member: str | None) -> Iterator[Finding]:
    shape = header.shape
    if len(shape) > _MAX_DIMS or any(d < 0 for d in shape):
        message = f"shape {str(shape)[:80]} is invalid (negative or more than {_MAX_DIMS} dimensions)"
        yield job.make(SIZE_MISMATCH, message, key="shape", member=member)
        return
    itemsize = _itemsize(header.descr)
    if itemsize is None:
        return
    expected = math.prod(shape) * itemsize
    actual = size - header.data_offset
    if actual < expected:
        message = f"shape {str(shape)[:80]} x {itemsize} bytes needs {expected} bytes but {actual} are present"
        yield job.make(SIZE_MISMATCH, message, key="truncated", member=member, offset=header.data_offset)
    elif actual > expected:
        start = header.data_offset + expected
        stream.seek(start)
        head = stream.read(_HEAD)
        pickled = looks_like_pickle(head, whole=actual - expected <= _HEAD)
        message = f"{actual - expected} bytes follow the array data" + (" and look like a pickle" if pickled else "")
        key = "trailing-pickle" if pickled else "trailing"
        severity = Severity.MEDIUM if pickled else None
        yield job.make(TRAILING_DATA, message, key=key, member=member, offset=start, severity=severity)


def _short(descr: Any) -> str:
    return str(descr)[:80]


def _npz(job: _Job, stream: BinaryIO, size: int) -> Iterator[Finding]:
    try:
        listing = read_listing(stream, size, job.ctx.budget, job.ctx.deadline)
    except ZipReadError as exc:
        yield job.make(NPZ_ANOMALY, f"cannot read the zip structure: {exc}", key="zip", severity=Severity.MEDIUM)
        return
    for issue in listing.issues:
        severity = _ISSUE_SEVERITY.get(issue.kind)
        key = f"{issue.kind}:{issue.member or ''}"
        yield job.make(NPZ_ANOMALY, issue.message, key=key, member=issue.member, offset=issue.offset, severity=severity)
    for index, entry in enumerate(listing.entries):
        if index % 256 == 0:
            job.ctx.deadline.check("npz members")
        if not entry.is_dir:
            yield from _guard(job, entry, _npz_member(job, stream, entry))


def _npz_member(job: _Job, stream: BinaryIO, entry: ZipEntry) -> Iterator[Finding]:
    raw, member = open_member(stream, entry, job.ctx.budget)
    if member.read(len(MAGIC)) != MAGIC:
        return
    member.seek(0)
    yield from _npy(job, member, entry.size, entry.name)
    if entry.size <= 1 << 20 or member.tell() >= entry.size:
        drain(member, job.ctx)
    if raw.crc_ok is False:
        message = f"CRC-32 of {entry.name} does not match the directory"
        yield job.make(NPZ_ANOMALY, message, key=f"crc:{entry.name}", member=entry.name)


def _guard(job: _Job, entry: ZipEntry, findings: Iterator[Finding]) -> Iterator[Finding]:
    """One member's limit or unreadable data becomes a finding; the other members are still scanned."""
    try:
        yield from findings
    except ZipReadError as exc:
        message = f"member not inspected: {exc}"
        yield job.make(
            NPZ_ANOMALY, message, key=f"unreadable:{entry.name}", member=entry.name, severity=Severity.MEDIUM
        )
    except BudgetExceeded as exc:
        if exc.resource == "seconds_per_artifact":
            raise
        yield member_limit_finding(job.artifact, entry.name, exc, scanner=job.make.scanner, version=job.make.version)
