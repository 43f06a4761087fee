"""TensorFlow SavedModel scanner: walks ``saved_model.pb`` graph nodes and functions, no TensorFlow.

Message and field numbers (tensorflow/core/protobuf/saved_model.proto, meta_graph.proto;
tensorflow/core/framework/graph.proto, node_def.proto, function.proto, attr_value.proto):
SavedModel.meta_graphs=2; MetaGraphDef.graph_def=2; GraphDef.node=1, library=2;
FunctionDefLibrary.function=1; FunctionDef.node_def=3; NodeDef.name=1, op=2, attr=5 (map entry
key=1, value=2); AttrValue.s=2, list=1 (ListValue.s=2).

A graph runs when the model is served, so ops that touch the host are the risk: Python callbacks
(``PyFunc`` family), file reads and writes (``ReadFile``, ``WriteFile``, ``MatchingFiles``,
``ImmutableConst`` memory-maps a path), debugger and print ops that write to a ``file://`` URL.
``SaveV2``/``RestoreV2``/``MergeV2Checkpoints`` are in every SavedModel and are not flagged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding, Severity, Stage
from mlwarden.core.rules import Rule
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.protobuf_wire import LEN, MAX_DEPTH, Field, WireReader
from mlwarden.scanners.structured import FindingMaker, MalformedError, mask

__all__ = ["TF_RULES", "TfSavedModelScanner"]

PYTHON_OPS = frozenset({"PyFunc", "PyFuncStateless", "EagerPyFunc"})
FILE_OPS = frozenset(
    {
        "ReadFile", "WriteFile", "MatchingFiles", "ImmutableConst", "DebugIdentity", "DebugIdentityV2",
        "DebugIdentityV3", "DebugNanCount", "DebugNumericSummary", "DebugNumericSummaryV2",
        "CreateSummaryFileWriter", "WriteAudioSummary", "WriteImageSummary", "WriteRawProtoSummary",
    }
)  # fmt: skip
# Ops that write only when an attribute names a file:// (or remote) destination.
_STREAM_OPS = frozenset({"PrintV2"})

PYTHON_OP = Rule(
    id="MW-TF-001",
    title="SavedModel graph calls back into Python",
    severity=Severity.HIGH,
    risk_ids=("MODEL-07", "MODEL-04"),
    stage=Stage.MODEL,
    help=(
        "PyFunc, PyFuncStateless and EagerPyFunc run a Python callable in the serving process. The "
        "callable is not serialised, so the graph expects code registered by whoever loads it."
    ),
    remediation="Do not serve the model; re-export it without tf.py_function / tf.numpy_function.",
    cwe="CWE-94",
)
FILE_OP = Rule(
    id="MW-TF-002",
    title="SavedModel graph reads or writes host files",
    severity=Severity.HIGH,
    risk_ids=("SERVE-03", "MODEL-07"),
    stage=Stage.MODEL,
    help=(
        "ReadFile, WriteFile, MatchingFiles, ImmutableConst, debugger and summary-writer ops, or PrintV2 "
        "to a file:// stream let a served model read, list or overwrite files on the host."
    ),
    remediation="Do not serve the model; inspect the named ops and re-export it from reviewed code.",
    cwe="CWE-73",
)
MALFORMED = Rule(
    id="MW-TF-003",
    title="SavedModel protobuf cannot be parsed",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-07", "SERVE-07"),
    stage=Stage.MODEL,
    help="saved_model.pb is not a valid protobuf; it is corrupt or crafted to trip loaders.",
    remediation="Do not load the model; re-export it with TensorFlow from a trusted copy.",
    cwe="CWE-20",
)
TF_RULES: tuple[Rule, ...] = (PYTHON_OP, FILE_OP, MALFORMED)


@dataclass
class _Walk:
    reader: WireReader
    make: FindingMaker

    def children(self, parent: Field, number: int, depth: int) -> Iterator[Field]:
        if depth > MAX_DEPTH:
            raise MalformedError(f"messages nested deeper than {MAX_DEPTH}", parent.offset)
        for item in self.reader.fields(parent.offset, parent.end):
            if item.number == number and item.wire_type == LEN:
                yield item

    def saved_model(self) -> Iterator[Finding]:
        root = Field(0, LEN, self.reader.size, 0)
        for meta in self.children(root, 2, 0):
            for graph in self.children(meta, 2, 1):
                for node in self.children(graph, 1, 2):
                    yield from self.node(node, "graph", 3)
                for library in self.children(graph, 2, 2):
                    yield from self.library(library, 3)

    def library(self, library: Field, depth: int) -> Iterator[Finding]:
        for function in self.children(library, 1, depth):
            name = next((self.reader.text(s, 256) for s in self.children_names(function, depth)), "?")
            for node in self.children(function, 3, depth + 1):
                yield from self.node(node, f"function {name}", depth + 2)

    def children_names(self, function: Field, depth: int) -> Iterator[Field]:
        for signature in self.children(function, 1, depth + 1):
            yield from self.children(signature, 1, depth + 2)

    def node(self, node: Field, where: str, depth: int) -> Iterator[Finding]:
        name = op = ""
        strings: list[str] = []
        for item in self.children_any(node, depth):
            if item.number == 1:
                name = self.reader.text(item, 256)
            elif item.number == 2:
                op = self.reader.text(item, 128)
            elif item.number == 5:
                strings.extend(self.attr_strings(item, depth + 1))
        yield from self.check(op, name, where, strings, node.offset)

    def children_any(self, parent: Field, depth: int) -> Iterator[Field]:
        if depth > MAX_DEPTH:
            raise MalformedError(f"messages nested deeper than {MAX_DEPTH}", parent.offset)
        for item in self.reader.fields(parent.offset, parent.end):
            if item.wire_type == LEN:
                yield item

    def attr_strings(self, entry: Field, depth: int) -> Iterator[str]:
        for value in self.children(entry, 2, depth):
            for item in self.children_any(value, depth + 1):
                if item.number == 2:
                    yield self.reader.text(item, 512)
                elif item.number == 1:
                    for text in self.children(item, 2, depth + 2):
                        yield self.reader.text(text, 512)

    def check(self, op: str, name: str, where: str, strings: list[str], offset: int) -> Iterator[Finding]:
        targets = [s for s in strings if "://" in s or s.startswith("/")]
        if op in PYTHON_OPS:
            rule = PYTHON_OP
        elif op in FILE_OPS or (op in _STREAM_OPS and any(t.startswith("file://") for t in targets)):
            rule = FILE_OP
        else:
            return
        detail = f" ({', '.join(mask(t, 60) for t in targets[:3])})" if targets else ""
        yield self.make(
            rule,
            f"{where} node {mask(name)!r} uses op {op}{detail}",
            key=f"{op}:{where}:{name}",
            evidence=op + detail,
            offset=offset,
        )


class TfSavedModelScanner:
    """Flags host-touching ops in a SavedModel's graph and function library, without TensorFlow."""

    name: ClassVar[str] = "tf-savedmodel"
    version: ClassVar[int] = 1
    formats: ClassVar[frozenset[Format]] = frozenset({Format.TF_SAVEDMODEL})
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = TF_RULES

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield findings for one saved_model.pb."""
        make = FindingMaker(artifact, self.name, self.version)
        with artifact.open() as stream:
            walk = _Walk(WireReader(stream, artifact.size, deadline=ctx.deadline), make)
            try:
                yield from walk.saved_model()
            except MalformedError as exc:
                yield make(MALFORMED, f"cannot parse as SavedModel: {exc}", key=exc.reason, offset=exc.offset)
