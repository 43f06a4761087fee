"""Safetensors scanner: validates the header the way the reference loader does, and a bit more.

Layout: an 8-byte little-endian header length ``N``, ``N`` bytes of UTF-8 JSON, then the tensor
data. The reference loader (huggingface/safetensors, ``tensor.rs``) rejects a header over
100 MB, a header running past the file, unknown dtypes, negative or non-integer shapes, byte
ranges that do not match ``shape x dtype``, ranges that leave gaps or overlap, bytes after the last
tensor, and non-string ``__metadata__`` values. Files it rejects are not loadable by it, but other
readers (hand-written mmap parsers, conversion scripts using Python's ``json``) may accept them and
see something else: a parser differential (Trail of Bits safetensors audit, TOB-SFTN-7). Duplicate
JSON keys are accepted by both serde_json and Python (the last one wins) but not by every reader.
"""

from __future__ import annotations

import struct
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding, Severity, Stage
from mlwarden.core.rules import Rule
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.structured import (
    FindingMaker,
    MalformedError,
    code_signals,
    load_json,
    mask,
    read_exact,
)

__all__ = ["SAFETENSORS_RULES", "SafetensorsScanner"]

# The loader's cap (tensor.rs MAX_HEADER_SIZE).
MAX_HEADER_BYTES = 100_000_000
_MAX_FINDINGS = 50
_U64 = 1 << 64

# Element sizes in bits, as the loader knows them (F4/F6 are sub-byte formats).
DTYPE_BITS: dict[str, int] = {
    "BOOL": 8, "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6, "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8,
    "F8_E8M0": 8, "F8_E4M3FNUZ": 8, "F8_E5M2FNUZ": 8, "I16": 16, "U16": 16, "F16": 16, "BF16": 16,
    "I32": 32, "U32": 32, "F32": 32, "C64": 64, "F64": 64, "I64": 64, "U64": 64,
}  # fmt: skip

_RISKS = ("SERVE-07", "MODEL-07")

MALFORMED = Rule(
    id="MW-SAFETENSORS-001",
    title="Safetensors header cannot be parsed",
    severity=Severity.MEDIUM,
    risk_ids=_RISKS,
    stage=Stage.MODEL,
    help=(
        "The 8-byte header length, the JSON header or its __metadata__ section does not follow the "
        "safetensors format. The reference loader refuses such files; other readers may crash, "
        "allocate what the length claims, or read something else than the reference loader would."
    ),
    remediation="Do not load the file. Re-export it from the original tensors with the safetensors package.",
    cwe="CWE-20",
)
TENSOR_INVALID = Rule(
    id="MW-SAFETENSORS-002",
    title="Safetensors tensor entry is invalid",
    severity=Severity.MEDIUM,
    risk_ids=_RISKS,
    stage=Stage.MODEL,
    help=(
        "A tensor entry has an unknown dtype, a negative or non-integer shape, data offsets outside "
        "the file, or a byte range that does not equal shape x dtype size. Loaders that trust these "
        "fields read out of bounds or allocate absurd amounts of memory."
    ),
    remediation="Do not load the file. Re-export it with the safetensors package and compare tensor shapes.",
    cwe="CWE-1284",
)
LAYOUT = Rule(
    id="MW-SAFETENSORS-003",
    title="Safetensors data layout has gaps, overlaps or trailing bytes",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-07", "SERVE-07"),
    stage=Stage.MODEL,
    help=(
        "Tensor byte ranges must tile the data section exactly. Overlapping ranges make two tensors "
        "share bytes, gaps and trailing bytes hide data no tensor accounts for (a polyglot or "
        "smuggling technique). The reference loader refuses the file; lenient readers do not."
    ),
    remediation="Do not load the file. Inspect the hidden bytes, then re-export it with the safetensors package.",
    cwe="CWE-20",
)
DUPLICATE_KEY = Rule(
    id="MW-SAFETENSORS-004",
    title="Safetensors header repeats a JSON key",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help=(
        "JSON allows an object key twice. safetensors (serde_json) and Python's json keep the last "
        "value, other parsers keep the first or refuse; a reviewer's tool and the production loader "
        "can then see different tensors. The safetensors writer never emits duplicates."
    ),
    remediation="Treat the file as tampered. Re-export it from trusted weights.",
    cwe="CWE-436",
)
METADATA_CONTENT = Rule(
    id="MW-SAFETENSORS-005",
    title="Safetensors metadata contains code-like text or URLs",
    severity=Severity.LOW,
    risk_ids=("SERVE-06", "MODEL-04"),
    stage=Stage.MODEL,
    help=(
        "The free-form __metadata__ map is shown by hubs and read by tools. Code or URLs there are "
        "not executed by safetensors, but can target downstream tools or leak internal locations."
    ),
    remediation="Review the metadata values; strip them before publishing if they are not needed.",
)

SAFETENSORS_RULES: tuple[Rule, ...] = (MALFORMED, TENSOR_INVALID, LAYOUT, DUPLICATE_KEY, METADATA_CONTENT)


@dataclass(frozen=True, slots=True)
class _Issue:
    rule: Rule
    message: str
    key: str
    evidence: str = ""
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class _Span:
    name: str
    begin: int
    end: int


class SafetensorsScanner:
    """Validates a safetensors header without touching tensor data (and never with a framework)."""

    name: ClassVar[str] = "safetensors"
    version: ClassVar[int] = 1
    formats: ClassVar[frozenset[Format]] = frozenset({Format.SAFETENSORS})
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = SAFETENSORS_RULES

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield findings for the header of ``artifact``."""
        make = FindingMaker(artifact, self.name, self.version)
        try:
            with artifact.open() as stream:
                header, header_len = _read_header(stream, artifact.size, ctx)
        except MalformedError as exc:
            yield make(MALFORMED, f"cannot parse as safetensors: {exc}", key=exc.reason, offset=exc.offset)
            return
        data_size = artifact.size - 8 - header_len
        issues = _check(header, data_size, ctx)
        for count, issue in enumerate(issues):
            if count == _MAX_FINDINGS:
                rest = 1 + sum(1 for _ in issues)
                yield make(LAYOUT, f"{rest} further header problems not listed", key="more", severity=Severity.INFO)
                return
            yield make(issue.rule, issue.message, key=issue.key, evidence=issue.evidence, severity=issue.severity)


@dataclass(frozen=True, slots=True)
class _Header:
    value: dict[str, Any]
    duplicates: tuple[str, ...]


def _read_header(stream: BinaryIO, size: int, ctx: ScanContext) -> tuple[_Header, int]:
    (length,) = struct.unpack("<Q", read_exact(stream, 8, what="header length", offset=0))
    if length > MAX_HEADER_BYTES:
        raise MalformedError(f"header length {length} is over the loader's 100 MB cap (HeaderTooLarge)", 0)
    if 8 + length > size:
        raise MalformedError(f"header length {length} runs past the end of the {size}-byte file", 0)
    ctx.budget.check("text_bytes", length, where="safetensors header")
    raw = read_exact(stream, length, what="JSON header", offset=8)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedError("header is not valid UTF-8", 8 + exc.start) from None
    doc = load_json(text, ctx.budget, where="safetensors header")
    if not isinstance(doc.value, dict):
        raise MalformedError(f"header is a JSON {type(doc.value).__name__}, not an object", 8)
    return _Header(doc.value, doc.duplicates), length


def _check(header: _Header, data_size: int, ctx: ScanContext) -> Iterator[_Issue]:
    yield from _duplicates(header.duplicates)
    tensors = dict(header.value)
    yield from _metadata(tensors.pop("__metadata__", None))
    spans: list[_Span] = []
    for index, (name, info) in enumerate(tensors.items()):
        if index % 1024 == 0:
            ctx.deadline.check("safetensors header")
        span = yield from _entry(name, info, data_size)
        if span is not None:
            spans.append(span)
    yield from _layout(spans, data_size)


def _duplicates(keys: tuple[str, ...]) -> Iterator[_Issue]:
    for key in dict.fromkeys(keys):
        if key == "__metadata__":
            message = "the header has two __metadata__ objects; safetensors refuses the file, Python's json keeps one"
        else:
            message = (
                f"tensor {mask(key)!r} is defined more than once; safetensors and Python keep the last "
                "definition, parsers that keep the first load different weights"
            )
        yield _Issue(DUPLICATE_KEY, message, key=f"dup:{key}", evidence=key)


def _metadata(value: Any) -> Iterator[_Issue]:
    if value is None:
        return
    if not isinstance(value, dict):
        yield _Issue(MALFORMED, f"__metadata__ is a JSON {type(value).__name__}, not an object", key="metadata-type")
        return
    for key, item in value.items():
        if not isinstance(item, str):
            yield _Issue(
                MALFORMED,
                f"__metadata__ value {mask(key)!r} is a JSON {type(item).__name__}; safetensors requires "
                "strings and refuses the file",
                key=f"metadata-value:{key}",
                evidence=key,
            )
            continue
        labels = code_signals(f"{key}\n{item}")
        if labels:
            message = f"__metadata__ {mask(key)!r} contains {'; '.join(labels)}"
            yield _Issue(METADATA_CONTENT, message, key=f"meta:{key}", evidence=item)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < _U64


def _entry(name: str, info: Any, data_size: int) -> Generator[_Issue, None, _Span | None]:
    """Yield the problems of one tensor entry; return its byte span when the offsets are usable."""
    label = mask(name)
    if not isinstance(info, dict):
        yield _Issue(TENSOR_INVALID, f"tensor {label!r} is a JSON {type(info).__name__}, not an object", key=name)
        return None
    extra = sorted(set(info) - {"dtype", "shape", "data_offsets"})
    if extra:
        yield _Issue(
            TENSOR_INVALID,
            f"tensor {label!r} has fields the loader ignores ({', '.join(mask(e, 30) for e in extra[:5])}); "
            "they can carry hidden data",
            key=f"extra:{name}",
            severity=Severity.LOW,
        )
    offsets = info.get("data_offsets")
    span: _Span | None = None
    if isinstance(offsets, list) and len(offsets) == 2 and all(_is_count(o) for o in offsets):
        span = _Span(name, offsets[0], offsets[1])
    problem = _entry_problem(info, span, data_size)
    if problem:
        yield _Issue(TENSOR_INVALID, f"tensor {label!r}: {problem}", key=name, evidence=repr(info)[:200])
    return span if span is not None and span.end >= span.begin and span.end <= data_size else None


def _entry_problem(info: dict[str, Any], span: _Span | None, data_size: int) -> str:
    dtype = info.get("dtype")
    shape = info.get("shape")
    if not isinstance(dtype, str) or dtype not in DTYPE_BITS:
        return f"unknown dtype {mask(repr(dtype), 40)}"
    if not isinstance(shape, list) or not all(_is_count(d) for d in shape):
        return f"shape {mask(repr(shape), 60)} is not a list of non-negative integers"
    if span is None:
        return f"data_offsets {mask(repr(info.get('data_offsets')), 60)} is not a pair of non-negative integers"
    if span.end < span.begin:
        return f"data_offsets end {span.end} is before begin {span.begin}"
    if span.end > data_size:
        return f"data_offsets [{span.begin}, {span.end}) run past the {data_size}-byte data section"
    return _size_problem(dtype, shape, span.end - span.begin)


def _size_problem(dtype: str, shape: list[int], length: int) -> str:
    elements = 1
    for dim in shape:
        elements *= dim
        if elements >= _U64:
            return f"shape {mask(repr(shape), 60)} overflows 64 bits (absurd declared size)"
    bits = elements * DTYPE_BITS[dtype]
    if bits % 8:
        return f"{elements} elements of {dtype} do not end on a byte boundary"
    if length != bits // 8:
        return f"byte range of {length} bytes does not match shape x {dtype} = {bits // 8} bytes"
    return ""


def _layout(spans: list[_Span], data_size: int) -> Iterator[_Issue]:
    cursor = 0
    previous = ""
    for span in sorted(spans, key=lambda s: (s.begin, s.end)):
        if span.begin > cursor:
            yield _Issue(
                LAYOUT,
                f"{span.begin - cursor} bytes at data offset {cursor} belong to no tensor "
                f"(gap before {mask(span.name)!r})",
                key=f"gap:{span.name}",
            )
        elif span.begin < cursor:
            yield _Issue(
                LAYOUT,
                f"tensor {mask(span.name)!r} overlaps {mask(previous)!r} at data offset {span.begin}",
                key=f"overlap:{span.name}",
            )
        if span.end >= cursor:
            cursor, previous = span.end, span.name
    if cursor < data_size:
        yield _Issue(
            LAYOUT,
            f"{data_size - cursor} bytes after the last tensor belong to no tensor (appended data)",
            key="trailing",
        )
