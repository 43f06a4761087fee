"""GGUF scanner: a bounded reader of the header, metadata and tensor infos, plus chat-template checks.

Layout (llama.cpp ``gguf.cpp``, spec in ggml ``docs/gguf.md``): ``GGUF`` magic, u32 version (1-3),
tensor count and KV count (u64; u32 in v1), KV pairs (string key, u32 type, typed value; arrays
carry an element type and count), then tensor infos (name, u32 n_dims <= 4, u64 dims, u32 ggml
type, u64 offset aligned to ``general.alignment``). Old llama.cpp trusted these counts and lengths
and overflowed its heap (CVE-2024-21802 and the other Cisco Talos GGUF reports); readers that trust
tensor dims read out of bounds (CVE-2026-7482). llama.cpp now rejects duplicate keys and arrays
larger than the file (ggml-org/llama.cpp#19856). We never allocate what a count claims: strings and
arrays are skipped by seeking, and every count is checked against what the file can hold.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.artifacts.limits import Deadline
from mlwarden.core.findings import Finding, Severity, Stage
from mlwarden.core.rules import Rule
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.gguf_template import analyse_template
from mlwarden.scanners.structured import FindingMaker, MalformedError, code_signals, mask

__all__ = ["GGUF_RULES", "GgufScanner"]

MAX_TENSORS = 1 << 20
MAX_KV = 1 << 16
MAX_STRING = 16 << 20
MAX_TEMPLATE = 1 << 20
GGML_MAX_DIMS = 4
GGML_TYPE_LIMIT = 64
MAX_ELEMENTS = 1 << 40
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<B", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9

MALFORMED = Rule(
    id="MW-GGUF-001",
    title="GGUF file cannot be parsed",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-07", "SERVE-07"),
    stage=Stage.MODEL,
    help=(
        "The header, a metadata value or a tensor info breaks the GGUF format (bad magic or version, "
        "unknown types, more than 4 dimensions, misaligned or out-of-file offsets, duplicate keys). "
        "Loaders differ on such files; old llama.cpp versions corrupted memory on them."
    ),
    remediation="Do not load the file. Re-convert the model from its original weights with llama.cpp's tools.",
    cwe="CWE-20",
)
ABSURD = Rule(
    id="MW-GGUF-002",
    title="GGUF declares absurd counts or sizes",
    severity=Severity.HIGH,
    risk_ids=("SERVE-07", "MODEL-07"),
    stage=Stage.MODEL,
    help=(
        "A tensor count, KV count, string length, array length or tensor shape is larger than the file "
        "could hold or than any real model uses. This is how the 2024 llama.cpp heap overflows "
        "(CVE-2024-21802) and allocation DoS against GGUF loaders are triggered."
    ),
    remediation="Do not load the file; update llama.cpp / ollama and obtain the model from a trusted source.",
    cwe="CWE-789",
)
TEMPLATE_ESCAPE = Rule(
    id="MW-GGUF-003",
    title="GGUF chat template contains Jinja sandbox-escape constructs",
    severity=Severity.CRITICAL,
    risk_ids=("MODEL-07", "SERVE-03"),
    stage=Stage.MODEL,
    help=(
        "tokenizer.chat_template is rendered with Jinja when the model is loaded or chatted with. "
        "Dunder attributes (__class__, __mro__, __subclasses__, __globals__), os/subprocess access or "
        "strings building such names reach Python internals: code execution as in CVE-2024-34359."
    ),
    remediation=(
        "Do not load the model. Update llama-cpp-python (>= 0.2.72 renders in a sandbox) and replace the "
        "chat template with a reviewed one (--chat-template / chat_format)."
    ),
    cwe="CWE-1336",
)
TEMPLATE_SUSPICIOUS = Rule(
    id="MW-GGUF-004",
    title="GGUF chat template uses unusual Jinja constructs",
    severity=Severity.MEDIUM,
    risk_ids=("SERVE-03",),
    stage=Stage.MODEL,
    help=(
        "The template uses constructs real chat templates do not need (|attr, lipsum/cycler/joiner, "
        "str.format, request/config objects) or cannot be tokenised; they are building blocks of sandbox escapes."
    ),
    remediation="Review the template by hand and override it with a known chat template if unsure.",
    cwe="CWE-1336",
)
METADATA_CONTENT = Rule(
    id="MW-GGUF-005",
    title="GGUF general metadata contains code-like text or URLs",
    severity=Severity.LOW,
    risk_ids=("SERVE-06",),
    stage=Stage.MODEL,
    help="general.* strings are shown by hubs and UIs; code or URLs there can target them or leak locations.",
    remediation="Review the metadata values.",
)
GGUF_RULES: tuple[Rule, ...] = (MALFORMED, ABSURD, TEMPLATE_ESCAPE, TEMPLATE_SUSPICIOUS, METADATA_CONTENT)


class _Absurd(MalformedError):
    """A count or size no real file has; reported under ABSURD."""


@dataclass
class _Reader:
    stream: BinaryIO
    size: int
    deadline: Deadline
    wide: bool = True
    pos: int = 0
    steps: int = 0

    def take(self, count: int, what: str) -> bytes:
        data = self.stream.read(count)
        if len(data) != count:
            raise MalformedError(f"truncated {what}", self.pos)
        self.pos += count
        return data

    def skip(self, count: int, what: str) -> None:
        if self.pos + count > self.size:
            raise MalformedError(f"truncated {what}: {count} bytes run past the end of the file", self.pos)
        self.stream.seek(count, 1)
        self.pos += count

    def scalar(self, fmt: str, what: str) -> int | float:
        value: int | float = struct.unpack(fmt, self.take(struct.calcsize(fmt), what))[0]
        return value

    def count(self, what: str) -> int:
        return int(self.scalar("<Q" if self.wide else "<I", what))

    def string(self, what: str, keep: int = 0) -> str | None:
        start = self.pos
        length = self.count(f"{what} length")
        if length > MAX_STRING:
            raise _Absurd(f"{what} declares {length} bytes (limit {MAX_STRING})", start)
        if length <= keep:
            return self.take(length, what).decode("utf-8", "replace")
        self.skip(length, what)
        return None

    def tick(self) -> None:
        self.steps += 1
        if self.steps % 4096 == 0:
            self.deadline.check("gguf")


@dataclass
class _State:
    reader: _Reader
    make: FindingMaker
    keys: set[str] = field(default_factory=set)
    alignment: int = 32


class GgufScanner:
    """Parses GGUF metadata and tensor infos without llama.cpp, and checks the chat templates."""

    name: ClassVar[str] = "gguf"
    version: ClassVar[int] = 1
    formats: ClassVar[frozenset[Format]] = frozenset({Format.GGUF})
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = GGUF_RULES

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield findings for one GGUF file."""
        make = FindingMaker(artifact, self.name, self.version)
        with artifact.open() as stream:
            state = _State(_Reader(stream, artifact.size, ctx.deadline), make)
            try:
                yield from _parse(state)
            except _Absurd as exc:
                yield make(ABSURD, f"GGUF {exc}", key=exc.reason, offset=exc.offset)
            except MalformedError as exc:
                yield make(MALFORMED, f"cannot parse as GGUF: {exc}", key=exc.reason, offset=exc.offset)


def _parse(state: _State) -> Iterator[Finding]:
    reader = state.reader
    if reader.take(4, "magic") != b"GGUF":
        raise MalformedError("bad magic (expected 'GGUF')", 0)
    version = int(reader.scalar("<I", "version"))
    if not 1 <= version <= 3:
        raise MalformedError(f"unsupported version {version}", 4)
    reader.wide = version >= 2
    tensors = reader.count("tensor count")
    kvs = reader.count("KV count")
    if tensors > MAX_TENSORS:
        raise _Absurd(f"tensor count {tensors} (limit {MAX_TENSORS})", 8)
    if kvs > MAX_KV:
        raise _Absurd(f"metadata KV count {kvs} (limit {MAX_KV})", 8)
    for _ in range(kvs):
        reader.tick()
        yield from _kv(state)
    yield from _tensor_infos(state, tensors)


def _kv(state: _State) -> Iterator[Finding]:
    reader = state.reader
    start = reader.pos
    key = reader.string("key", keep=MAX_STRING) or ""
    if key in state.keys:
        yield state.make(
            MALFORMED,
            f"metadata key {mask(key)!r} appears twice; loaders disagree on which wins",
            key=f"dup:{key}",
            offset=start,
        )
    state.keys.add(key)
    vtype = int(reader.scalar("<I", "value type"))
    if vtype == _STRING:
        keep = MAX_TEMPLATE if key.startswith("tokenizer.chat_template") else 4096 if key.startswith("general.") else 0
        text = reader.string(f"value of {key!r}", keep=keep)
        if text is not None:
            yield from _check_text(state, key, text, start)
    elif vtype == _ARRAY:
        _array(reader, key, depth=0)
    elif vtype in _SCALARS:
        value = reader.scalar(_SCALARS[vtype], f"value of {key!r}")
        if key == "general.alignment":
            _set_alignment(state, value, start)
    else:
        raise MalformedError(f"unknown value type {vtype} for key {mask(key)!r}", start)


def _set_alignment(state: _State, value: int | float, offset: int) -> None:
    if not isinstance(value, int) or value <= 0 or value & (value - 1):
        raise MalformedError(f"general.alignment {value} is not a power of two", offset)
    state.alignment = value


def _array(reader: _Reader, key: str, depth: int) -> None:
    start = reader.pos
    if depth > 3:
        raise MalformedError(f"arrays nested deeper than 3 in {mask(key)!r}", start)
    etype = int(reader.scalar("<I", "array type"))
    count = reader.count("array length")
    width = struct.calcsize(_SCALARS[etype]) if etype in _SCALARS else 8
    if count * width > reader.size:
        raise _Absurd(f"array {mask(key)!r} declares {count} elements, more than the file holds", start)
    if etype in _SCALARS:
        reader.skip(count * width, f"array {key!r}")
        return
    if etype not in (_STRING, _ARRAY):
        raise MalformedError(f"unknown array element type {etype} in {mask(key)!r}", start)
    for _ in range(count):
        reader.tick()
        if etype == _STRING:
            reader.string(f"element of {key!r}")
        else:
            _array(reader, key, depth + 1)


def _check_text(state: _State, key: str, text: str, offset: int) -> Iterator[Finding]:
    if key.startswith("tokenizer.chat_template"):
        report = analyse_template(text)
        if report.escapes:
            yield state.make(
                TEMPLATE_ESCAPE,
                f"{key} reaches Python internals: {'; '.join(report.escapes)}",
                key=f"template:{key}",
                evidence=text[:200],
                offset=offset,
            )
        elif report.suspicious or report.error:
            found = "; ".join(report.suspicious) or report.error
            yield state.make(
                TEMPLATE_SUSPICIOUS, f"{key}: {found}", key=f"template:{key}", evidence=text[:200], offset=offset
            )
        return
    labels = code_signals(text)
    if labels:
        yield state.make(
            METADATA_CONTENT,
            f"{key} contains {'; '.join(labels)}",
            key=f"meta:{key}",
            evidence=text,
            offset=offset,
            severity=Severity.LOW,
        )


def _tensor_infos(state: _State, count: int) -> Iterator[Finding]:
    reader = state.reader
    offsets: list[tuple[str, int, int]] = []
    for _ in range(count):
        reader.tick()
        start = reader.pos
        name = reader.string("tensor name", keep=1024) or ""
        n_dims = int(reader.scalar("<I", "n_dims"))
        if n_dims > GGML_MAX_DIMS:
            raise MalformedError(f"tensor {mask(name)!r} has {n_dims} dimensions (GGML_MAX_DIMS is 4)", start)
        dims = [int(reader.scalar("<Q", "dimension")) for _ in range(n_dims)]
        ggml_type = int(reader.scalar("<I", "tensor type"))
        offset = int(reader.scalar("<Q", "tensor offset"))
        elements = 1
        for dim in dims:
            elements *= dim
        if elements > MAX_ELEMENTS:
            yield state.make(
                ABSURD,
                f"tensor {mask(name)!r} declares dims {dims} ({elements} elements)",
                key=f"dims:{name}",
                offset=start,
            )
        if ggml_type >= GGML_TYPE_LIMIT:
            raise MalformedError(f"tensor {mask(name)!r} has unknown ggml type {ggml_type}", start)
        offsets.append((name, offset, start))
    data_start = -(-reader.pos // state.alignment) * state.alignment
    for name, offset, start in offsets:
        if offset % state.alignment or data_start + offset > reader.size:
            yield state.make(
                MALFORMED,
                f"tensor {mask(name)!r} data offset {offset} is misaligned or past the end",
                key=f"offset:{name}",
                offset=start,
            )
