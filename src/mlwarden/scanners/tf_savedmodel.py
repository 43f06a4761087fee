"""TensorFlow SavedModel scanner: walks ``saved_model.pb`` graph nodes and functions, no TensorFlow.

Message and field numbers (tensorflow/core/protobuf/saved_model.proto, meta_graph.proto;
tensorflow/core/framework/graph.proto, node_def.proto, function.proto, attr_value.proto):
SavedModel.meta_graphs=2; MetaGraphDef.graph_def=2; GraphDef.node=1, library=2;
FunctionDefLibrary.function=1; FunctionDef.node_def=3; NodeDef.name=1, op=2, attr=5 (map entry
key=1, value=2); AttrValue.s=2, list=1 (ListValue.s=2).

The same walk reads a frozen ``GraphDef`` (``*.pb`` passed to ``tf.compat.v1.import_graph_def``;
its root holds the nodes directly) and the text format (``saved_model.pbtxt``, which TensorFlow
loads when there is no ``saved_model.pb``; ``op: "Name"`` lines are read without a protobuf parser).

A graph runs when the model is served, so ops that touch the host are the risk: Python callbacks
(``PyFunc`` family), file reads and writes (``ReadFile``, ``WriteFile``, ``MatchingFiles``,
``ImmutableConst`` memory-maps a path, file-reader and dataset ops that open host paths, dataset
ops that save to a path), debugger and print ops that write to a ``file://`` URL.
``SaveV2``/``RestoreV2``/``MergeV2Checkpoints`` are in every SavedModel and are not flagged.
"""

from __future__ import annotations

import re
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
        # readers and datasets that open host paths (the tf.io / tf.data file sources)
        "WholeFileReader", "WholeFileReaderV2", "TextLineReader", "TextLineReaderV2", "TFRecordReader",
        "TFRecordReaderV2", "FixedLengthRecordReader", "FixedLengthRecordReaderV2", "IdentityReader",
        "LMDBReader", "TextLineDataset", "TFRecordDataset", "TFRecordDatasetV2", "FixedLengthRecordDataset",
        "FixedLengthRecordDatasetV2", "ExperimentalLMDBDataset", "LMDBDataset", "CSVDataset", "CSVDatasetV2",
        "ExperimentalCSVDataset", "SqlDataset", "ExperimentalSqlDataset", "RecordInput",
        # writers: a dataset, a summary database or a record file at a host path
        "DatasetToTFRecord", "ExperimentalDatasetToTFRecord", "SaveDataset", "SaveDatasetV2",
        "CreateSummaryDbWriter",
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
        if any(item.number == 1 and item.wire_type == LEN for item in self.reader.fields(0, self.reader.size)):
            yield from self.graph(root, 0)  # a GraphDef (node = 1, a message); a SavedModel's field 1 is an int
            return
        for meta in self.children(root, 2, 0):
            for graph in self.children(meta, 2, 1):
                yield from self.graph(graph, 2)

    def graph(self, graph: Field, depth: int) -> Iterator[Finding]:
        for node in self.children(graph, 1, depth):
            yield from self.node(node, "graph", depth + 1)
        for library in self.children(graph, 2, depth):
            yield from self.library(library, depth + 1)

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
        yield from check_op(self.make, op, name, where, strings, offset)


def check_op(make: FindingMaker, op: str, name: str, where: str, strings: list[str], offset: int) -> Iterator[Finding]:
    """A finding when ``op`` calls Python or touches host files (``strings``: the node's string attributes)."""
    targets = [s for s in strings if "://" in s or s.startswith("/")]
    if op in PYTHON_OPS:
        rule = PYTHON_OP
    elif op in FILE_OPS or (op in _STREAM_OPS and any(t.startswith("file://") for t in targets)):
        rule = FILE_OP
    else:
        return
    detail = f" ({', '.join(mask(t, 60) for t in targets[:3])})" if targets else ""
    yield make(
        rule,
        f"{where} node {mask(name)!r} uses op {op}{detail}",
        key=f"{op}:{where}:{name}",
        evidence=op + detail,
        offset=offset,
    )


_TEXT_LIMIT = 64 << 20
_TEXT_OP = re.compile(r'(?m)^[ \t]*op:[ \t]*"([A-Za-z0-9_.>]{1,128})"')
_TEXT_STRING = re.compile(r'"([^"\n]{1,512})"')


def _text_graph(text: str, make: FindingMaker) -> Iterator[Finding]:
    """Ops of a text-format graph: each ``op: "X"`` line, with the quoted strings up to the next op."""
    ops = list(_TEXT_OP.finditer(text))
    for index, match in enumerate(ops):
        block_end = ops[index + 1].start() if index + 1 < len(ops) else len(text)
        strings = _TEXT_STRING.findall(text, match.end(), block_end)
        yield from check_op(make, match.group(1), f"#{index}", "text graph", strings, match.start())


class TfSavedModelScanner:
    """Flags host-touching ops in a SavedModel's graph and function library, without TensorFlow."""

    name: ClassVar[str] = "tf-savedmodel"
    version: ClassVar[int] = 2
    formats: ClassVar[frozenset[Format]] = frozenset({Format.TF_SAVEDMODEL})
    extra: ClassVar[str | None] = None
    rules: ClassVar[tuple[Rule, ...]] = TF_RULES

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield findings for one saved_model.pb, frozen GraphDef or text-format graph."""
        make = FindingMaker(artifact, self.name, self.version)
        if (artifact.name_hint or artifact.path).lower().endswith(".pbtxt"):
            with artifact.open() as stream:
                yield from _text_graph(stream.read(_TEXT_LIMIT).decode("utf-8", "replace"), make)
            return
        with artifact.open() as stream:
            walk = _Walk(WireReader(stream, artifact.size, deadline=ctx.deadline), make)
            try:
                yield from walk.saved_model()
            except MalformedError as exc:
                yield make(MALFORMED, f"cannot parse as SavedModel: {exc}", key=exc.reason, offset=exc.offset)
