"""ONNX scanner: walks ModelProto over the protobuf wire format, never importing onnx.

What it looks for, and why:

- ``external_data`` locations that are absolute, climb with ``..``, name a URL or resolve (through
  symlinks) outside the model's directory. onnx and onnxruntime open those paths when the model is
  loaded, so a hostile model reads arbitrary files (CVE-2022-25882, and the symlink / sanitisation
  bypass CVE-2024-27318; the same path class as the onnx.hub tar traversal CVE-2024-5187).
- Nodes in operator domains that no standard runtime ships (custom ops). Running them requires
  registering a native custom-op library, which is code the model author asks you to load.
  Domains defined by the model's own local functions are composed of standard ops and not flagged.
- Absurd declared tensor sizes or negative dimensions (allocation DoS in loaders and converters).
- Code-like text or URLs in ``metadata_props``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding, Severity, Stage
from mlwarden.core.rules import Rule
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.protobuf_wire import LEN, MAX_DEPTH, Field, WireReader, as_signed
from mlwarden.scanners.structured import FindingMaker, MalformedError, code_signals, mask

__all__ = ["ONNX_RULES", "OnnxScanner"]

# Domains whose operators ship inside onnx / onnxruntime builds (no user library to register).
STANDARD_DOMAINS = frozenset(
    {
        "",
        "ai.onnx",
        "ai.onnx.ml",
        "ai.onnx.training",
        "ai.onnx.preview.training",
        "com.microsoft",
        "com.microsoft.nchwc",
        "com.microsoft.experimental",
    }
)
MAX_ELEMENTS = 1 << 36  # far beyond any real tensor (a 256k x 16k embedding is ~2**32)
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")

MALFORMED = Rule(
    id="MW-ONNX-001",
    title="ONNX model cannot be parsed",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-07", "SERVE-07"),
    stage=Stage.MODEL,
    help=(
        "The protobuf structure is broken: a varint, length or nesting that no valid ModelProto has. "
        "A file that claims to be ONNX but does not parse is corrupt or crafted to trip loaders."
    ),
    remediation="Do not load the file. Re-export the model from its source framework.",
    cwe="CWE-20",
)
EXTERNAL_PATH = Rule(
    id="MW-ONNX-002",
    title="ONNX external data path escapes the model directory",
    severity=Severity.HIGH,
    risk_ids=("SERVE-03", "MODEL-07"),
    stage=Stage.MODEL,
    help=(
        "A tensor's external_data location is absolute, contains '..', is a URL or resolves through a "
        "symlink outside the model directory. Loading the model makes onnx/onnxruntime read that file "
        "(CVE-2022-25882, CVE-2024-27318): a path-traversal read of arbitrary host files."
    ),
    remediation=(
        "Do not load the model. External data must be relative file names inside the model directory; "
        "re-save with onnx.save_model(..., save_as_external_data=True) from a trusted copy."
    ),
    cwe="CWE-22",
)
CUSTOM_DOMAIN = Rule(
    id="MW-ONNX-003",
    title="ONNX model uses custom operator domains",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-04", "MODEL-07"),
    stage=Stage.MODEL,
    help=(
        "Nodes use operator domains that standard runtimes do not implement. Running the model needs a "
        "custom-op shared library (SessionOptions.register_custom_ops_library), i.e. native code that "
        "comes with the model."
    ),
    remediation="Run the model only with custom-op libraries you build or verify yourself; otherwise reject it.",
    cwe="CWE-829",
)
ABSURD_SIZE = Rule(
    id="MW-ONNX-004",
    title="ONNX tensor declares an absurd size",
    severity=Severity.MEDIUM,
    risk_ids=("SERVE-07",),
    stage=Stage.MODEL,
    help="A tensor declares negative dimensions or more elements than any real model holds; loaders allocate it.",
    remediation="Do not load the model; re-export it and compare its initializer shapes.",
    cwe="CWE-789",
)
METADATA_CONTENT = Rule(
    id="MW-ONNX-005",
    title="ONNX metadata contains code-like text or URLs",
    severity=Severity.LOW,
    risk_ids=("SERVE-06", "MODEL-04"),
    stage=Stage.MODEL,
    help="metadata_props are shown by tools and model hubs; code or URLs there can target them or leak locations.",
    remediation="Review the metadata; remove entries that are not needed.",
)
ONNX_RULES: tuple[Rule, ...] = (MALFORMED, EXTERNAL_PATH, CUSTOM_DOMAIN, ABSURD_SIZE, METADATA_CONTENT)

_Visitor = Callable[[Field, int], Iterator[Finding]]


@dataclass
class _Walk:
    reader: WireReader
    make: FindingMaker
    base_dir: Path | None
    ops: dict[str, set[str]] = field(default_factory=dict)
    functions: set[tuple[str, str]] = field(default_factory=set)

    def model(self) -> Iterator[Finding]:
        for item in self.reader.fields(0, self.reader.size):
            if item.wire_type != LEN:
                continue
            if item.number == 7:
                yield from self.graph(item, 1)
            elif item.number == 25:
                yield from self.function(item, 1)
            elif item.number == 20:
                yield from self.submessages(item, 2, {1, 2}, self.graph)
            elif item.number == 14:
                yield from self.metadata(item)

    def submessages(self, parent: Field, depth: int, numbers: set[int], visit: _Visitor) -> Iterator[Finding]:
        _depth(depth, parent)
        for item in self.reader.fields(parent.offset, parent.end):
            if item.wire_type == LEN and item.number in numbers:
                yield from visit(item, depth + 1)

    def graph(self, graph: Field, depth: int) -> Iterator[Finding]:
        _depth(depth, graph)
        for item in self.reader.fields(graph.offset, graph.end):
            if item.wire_type != LEN:
                continue
            if item.number == 1:
                yield from self.node(item, depth + 1)
            elif item.number == 5:
                yield from self.tensor(item, depth + 1)
            elif item.number == 15:
                yield from self.submessages(item, depth + 1, {1, 2}, self.tensor)

    def node(self, node: Field, depth: int) -> Iterator[Finding]:
        _depth(depth, node)
        domain, op_type = "", ""
        for item in self.reader.fields(node.offset, node.end):
            if item.number == 7 and item.wire_type == LEN:
                domain = self.reader.text(item, 256)
            elif item.number == 4 and item.wire_type == LEN:
                op_type = self.reader.text(item, 256)
            elif item.number == 5 and item.wire_type == LEN:
                yield from self.attribute(item, depth + 1)
        self.ops.setdefault(domain, set()).add(op_type)

    def attribute(self, attr: Field, depth: int) -> Iterator[Finding]:
        _depth(depth, attr)
        for item in self.reader.fields(attr.offset, attr.end):
            if item.wire_type != LEN:
                continue
            if item.number in (5, 10):
                yield from self.tensor(item, depth + 1)
            elif item.number in (6, 11):
                yield from self.graph(item, depth + 1)
            elif item.number in (22, 23):
                yield from self.submessages(item, depth + 1, {1, 2}, self.tensor)

    def function(self, func: Field, depth: int) -> Iterator[Finding]:
        _depth(depth, func)
        name, domain = "", ""
        for item in self.reader.fields(func.offset, func.end):
            if item.number == 1 and item.wire_type == LEN:
                name = self.reader.text(item, 256)
            elif item.number == 10 and item.wire_type == LEN:
                domain = self.reader.text(item, 256)
            elif item.number == 7 and item.wire_type == LEN:
                yield from self.node(item, depth + 1)
        self.functions.add((domain, name))

    def tensor(self, tensor: Field, depth: int) -> Iterator[Finding]:
        _depth(depth, tensor)
        name = ""
        dims: list[int] = []
        locations: list[tuple[str, int]] = []
        for item in self.reader.fields(tensor.offset, tensor.end):
            if item.number == 8 and item.wire_type == LEN:
                name = self.reader.text(item, 512)
            elif item.number == 1:
                dims.extend(as_signed(v) for v in self.reader.ints(item))
            elif item.number == 13 and item.wire_type == LEN:
                key, value = self.entry(item)
                if key == "location":
                    locations.append((value, item.offset))
        yield from self.check_dims(name, dims, tensor.offset)
        for location, offset in locations:
            yield from self.check_location(name, location, offset)

    def entry(self, item: Field) -> tuple[str, str]:
        key = value = ""
        for part in self.reader.fields(item.offset, item.end):
            if part.number == 1 and part.wire_type == LEN:
                key = self.reader.text(part, 256)
            elif part.number == 2 and part.wire_type == LEN:
                value = self.reader.text(part, 4096)
        return key, value

    def metadata(self, item: Field) -> Iterator[Finding]:
        key, value = self.entry(item)
        labels = code_signals(f"{key}\n{value}")
        if labels:
            message = f"metadata_props {mask(key)!r} contains {'; '.join(labels)}"
            yield self.make(METADATA_CONTENT, message, key=f"meta:{key}", evidence=value)

    def check_dims(self, name: str, dims: list[int], offset: int) -> Iterator[Finding]:
        elements = 1
        for dim in dims:
            elements *= max(dim, 0)
        if any(d < 0 for d in dims) or elements > MAX_ELEMENTS:
            yield self.make(
                ABSURD_SIZE,
                f"tensor {mask(name)!r} declares dims {dims[:8]} ({elements} elements)",
                key=f"dims:{name}",
                offset=offset,
            )

    def check_location(self, name: str, location: str, offset: int) -> Iterator[Finding]:
        reason = external_path_problem(location, self.base_dir)
        if reason:
            yield self.make(
                EXTERNAL_PATH,
                f"tensor {mask(name)!r} loads external data from {mask(location)!r}: {reason}",
                key=f"location:{location}",
                evidence=location,
                offset=offset,
            )

    def custom_domains(self) -> Iterator[Finding]:
        for domain, ops in sorted(self.ops.items()):
            foreign = sorted(op for op in ops if (domain, op) not in self.functions)
            if domain in STANDARD_DOMAINS or not foreign:
                continue
            yield self.make(
                CUSTOM_DOMAIN,
                f"nodes in custom domain {mask(domain)!r} need a native custom-op library: "
                f"{', '.join(mask(op, 40) for op in foreign[:10])}",
                key=f"domain:{domain}",
                evidence=domain,
            )


def _depth(depth: int, item: Field) -> None:
    if depth > MAX_DEPTH:
        raise MalformedError(f"messages nested deeper than {MAX_DEPTH}", item.offset)


def external_path_problem(location: str, base_dir: Path | None) -> str:
    """Why ``location`` would make the loader read outside the model directory ('' when it would not)."""
    path = location.replace("\\", "/")
    if "\x00" in path:
        return "contains a NUL byte"
    if path.startswith("/") or _WINDOWS_DRIVE.match(path):
        return "absolute path"
    if "://" in path:
        return "URL, not a file next to the model"
    if ".." in path.split("/"):
        return "climbs out with '..'"
    if base_dir is None:
        return ""
    try:
        root = base_dir.resolve()
        target = (root / path).resolve()
    except (OSError, RuntimeError, ValueError):
        return "cannot be resolved safely"
    if not target.is_relative_to(root):
        return "resolves outside the model directory (symlink)"
    return ""


class OnnxScanner:
    """Reads ONNX ModelProto structure with the shared wire reader; onnx is never imported."""

    name: ClassVar[str] = "onnx"
    version: ClassVar[int] = 1
    formats: ClassVar[frozenset[Format]] = frozenset({Format.ONNX})
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = ONNX_RULES

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield findings for one ONNX model."""
        make = FindingMaker(artifact, self.name, self.version)
        base_dir = artifact.fs_path.parent if artifact.fs_path is not None else None
        with artifact.open() as stream:
            walk = _Walk(WireReader(stream, artifact.size, deadline=ctx.deadline), make, base_dir)
            try:
                yield from walk.model()
            except MalformedError as exc:
                yield make(MALFORMED, f"cannot parse as ONNX: {exc}", key=exc.reason, offset=exc.offset)
                return
        yield from walk.custom_domains()
