"""Keras scanner: ``.keras`` v3 archives and legacy HDF5 models, read without TensorFlow or Keras.

``.keras`` is a zip whose ``config.json`` decides what Keras rebuilds; we read it with the shared
robust zip reader (every member candidate, including duplicates that ``zipfile`` would hide) and
walk it with ``keras_config``. Keras never writes Python files or pickles into the archive, so
code members are findings on their own and pickle members are analysed like any pickle.

Legacy ``.h5`` models keep the same config as the JSON string attribute ``model_config`` on the
root group. With the ``keras`` extra (h5py) we read that attribute exactly; h5py reads structure and
does not run code (it does run libhdf5's parser over the file). Without it we fall back to a bounded
byte scan for ``{"class_name"`` and parse the balanced JSON that follows. Each finding says which
path produced it.

A bare Keras architecture in JSON (``model.to_json()``, read back by ``model_from_json``, which in
Keras 2 has no safe mode) is walked the same way; other JSON files return at once.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO, ClassVar

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.errors import MissingExtraError
from mlwarden.core.extras import is_available, require
from mlwarden.core.findings import Finding, Severity, Stage
from mlwarden.core.rules import Rule
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.keras_config import KERAS_CONFIG_RULES, analyse_config
from mlwarden.scanners.structured import FindingMaker, MalformedError, load_json, mask
from mlwarden.scanners.zipread import ZipEntry, ZipReadError, open_member, read_listing

__all__ = ["KERAS_RULES", "KerasScanner"]

_CODE_SUFFIXES = (".py", ".pyc", ".pyo", ".so", ".dll", ".dylib", ".pyd", ".sh", ".bat", ".exe", ".jar")
_PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib", ".pt", ".pth", ".dill")
_ARCHIVE_ISSUES = frozenset({"duplicate", "hidden", "header-mismatch", "encrypted", "malformed"})
_CLASS_NAME = re.compile(rb'\{\s*"class_name"\s*:')
_SCAN_CHUNK = 1 << 20
_MAX_FALLBACK_CONFIGS = 32
_MAX_CONFIG_BYTES = 64 << 20

UNEXPECTED_MEMBER = Rule(
    id="MW-KERAS-005",
    title="Keras archive contains code or pickle members",
    severity=Severity.HIGH,
    risk_ids=("MODEL-04", "MODEL-07"),
    stage=Stage.MODEL,
    help=(
        "Keras writes config.json, metadata.json, weights and assets; never Python files, native "
        "libraries or pickles. Such members ride along with the model and run when some loader or "
        "helper script imports or unpickles them."
    ),
    remediation="Do not load the archive; extract only the expected members after review, or re-save the model.",
    cwe="CWE-506",
)
MALFORMED = Rule(
    id="MW-KERAS-006",
    title="Keras model cannot be parsed or its archive is ambiguous",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-07", "SERVE-07"),
    stage=Stage.MODEL,
    help=(
        "The archive or config is broken, or the zip holds duplicate, hidden or mismatched members, so "
        "Keras (Python zipfile) may read a different config.json than a reviewer's tool."
    ),
    remediation="Do not load the model; re-save it with Keras from a trusted copy.",
    cwe="CWE-436",
)
KERAS_RULES: tuple[Rule, ...] = (*KERAS_CONFIG_RULES, UNEXPECTED_MEMBER, MALFORMED)


class KerasScanner:
    """Reads Keras model configs from ``.keras`` zips and HDF5 files; Keras itself is never imported."""

    name: ClassVar[str] = "keras"
    version: ClassVar[int] = 2
    formats: ClassVar[frozenset[Format]] = frozenset({Format.HDF5, Format.KERAS_V3, Format.JSON})
    extra: ClassVar[str | None] = "keras"
    rules: ClassVar[tuple[Rule, ...]] = KERAS_RULES

    def scan(self, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
        """Yield findings for one Keras archive or HDF5 file."""
        make = FindingMaker(artifact, self.name, self.version)
        if artifact.format == Format.KERAS_V3:
            yield from _scan_archive(artifact, ctx, make)
        elif artifact.format == Format.JSON:
            yield from _scan_model_json(artifact, ctx, make)
        elif is_available("h5py"):
            yield from _scan_h5py(artifact, ctx, make)
        else:
            yield from _scan_h5_bytes(artifact, ctx, make)
            # NOTE: the byte scan has run and reported; say once per run that the exact reader was missing.
            raise MissingExtraError("h5py", "keras")


def _config_findings(
    config: Any, ctx: ScanContext, make: FindingMaker, *, member: str | None, how: str
) -> Iterator[Finding]:
    for hit in analyse_config(config, ctx.deadline):
        yield make(
            hit.rule,
            f"{hit.message} ({how})",
            key=hit.key,
            evidence=hit.evidence,
            member=member,
            severity=hit.severity,
        )


# ---- model_from_json architectures ----------------------------------------------------------

_MODEL_JSON_HINT = re.compile(rb'"class_name"\s*:\s*"(?:Sequential|Functional|Model)"')


def _scan_model_json(artifact: Artifact, ctx: ScanContext, make: FindingMaker) -> Iterator[Finding]:
    """A JSON file whose root is a serialized Keras model; every other JSON file is left alone."""
    with artifact.open() as stream:
        head = stream.read(_SCAN_CHUNK)
    if not _MODEL_JSON_HINT.search(head) or artifact.size > _MAX_CONFIG_BYTES:
        return
    with artifact.open() as stream:
        text = stream.read(_MAX_CONFIG_BYTES).decode("utf-8", "replace")
    try:
        config = load_json(text, ctx.budget, where=artifact.display).value
    except MalformedError:
        return  # NOTE: broken JSON is the config-file scanner's finding
    if isinstance(config, dict) and isinstance(config.get("config"), dict) and "layers" in config["config"]:
        yield from _config_findings(config, ctx, make, member=None, how="Keras model JSON")


# ---- .keras (v3) archives -------------------------------------------------------------------


def _scan_archive(artifact: Artifact, ctx: ScanContext, make: FindingMaker) -> Iterator[Finding]:
    with artifact.open() as stream:
        try:
            listing = read_listing(stream, artifact.size, ctx.budget, ctx.deadline)
        except ZipReadError as exc:
            yield make(MALFORMED, f"cannot parse as a Keras v3 archive: {exc}", key="zip")
            return
        for issue in listing.issues:
            if issue.kind in _ARCHIVE_ISSUES:
                yield make(
                    MALFORMED,
                    f"archive anomaly ({issue.kind}): {issue.message}",
                    key=f"zip:{issue.kind}:{issue.member}",
                    offset=issue.offset,
                )
        for entry in listing.entries:
            ctx.deadline.check("keras archive")
            if not entry.is_dir:
                yield from _member(stream, entry, artifact, ctx, make)


def _member(
    stream: BinaryIO, entry: ZipEntry, artifact: Artifact, ctx: ScanContext, make: FindingMaker
) -> Iterator[Finding]:
    name = entry.name
    lower = name.lower()
    if name == "config.json":
        yield from _archive_config(stream, entry, ctx, make)
    elif lower.endswith(_CODE_SUFFIXES):
        yield make(UNEXPECTED_MEMBER, f"archive member {mask(name)!r} is code", key=f"member:{name}", member=name)
    elif lower.endswith(_PICKLE_SUFFIXES) or (
        not lower.endswith((".h5", ".json", ".npz")) and _is_pickle(stream, entry, ctx)
    ):
        yield from _pickle_member(stream, entry, artifact, ctx)


def _pickle_member(stream: BinaryIO, entry: ZipEntry, artifact: Artifact, ctx: ScanContext) -> Iterator[Finding]:
    """Analyse a pickle member with the pickle analysis (bounded by the member budget): report what it
    would import and run, rather than only that it is there."""
    from mlwarden.scanners.pickle.analysis import scan_pickle_stream

    try:
        _, reader = open_member(stream, entry, ctx.budget)
    except (ZipReadError, ValueError) as exc:
        reason = f"pickle member {mask(entry.name)!r} cannot be read: {exc}"
        yield FindingMaker(artifact, KerasScanner.name, KerasScanner.version)(
            MALFORMED, reason, key=f"member:{entry.name}", member=entry.name
        )
        return
    yield from scan_pickle_stream(
        reader,
        artifact=artifact,
        ctx=ctx,
        member=entry.name,
        scanner_name=KerasScanner.name,
        scanner_version=KerasScanner.version,
    )


def _read_member(stream: BinaryIO, entry: ZipEntry, ctx: ScanContext, limit: int) -> bytes:
    try:
        _, reader = open_member(stream, entry, ctx.budget)
        data = reader.read(limit + 1)
    except (ZipReadError, zlib.error, EOFError, ValueError) as exc:
        raise MalformedError(f"member {entry.name!r} cannot be read: {exc}", entry.header_offset) from None
    ctx.budget.check("text_bytes", len(data), where=entry.name)
    return data


def _is_pickle(stream: BinaryIO, entry: ZipEntry, ctx: ScanContext) -> bool:
    try:
        head = _read_member(stream, entry, ctx, 2)
    except MalformedError:
        return False
    return len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5


def _archive_config(stream: BinaryIO, entry: ZipEntry, ctx: ScanContext, make: FindingMaker) -> Iterator[Finding]:
    try:
        data = _read_member(stream, entry, ctx, min(ctx.budget.max_text_bytes, _MAX_CONFIG_BYTES))
        document = load_json(data.decode("utf-8", "replace"), ctx.budget, where="config.json")
    except MalformedError as exc:
        yield make(MALFORMED, f"cannot parse config.json: {exc}", key="config", member=entry.name)
        return
    yield from _config_findings(document.value, ctx, make, member=entry.name, how="config.json of the .keras archive")


# ---- legacy HDF5 ------------------------------------------------------------------------------


def _scan_h5py(artifact: Artifact, ctx: ScanContext, make: FindingMaker) -> Iterator[Finding]:
    h5py = require("h5py", extra="keras")
    texts: dict[str, str] = {}
    with artifact.open() as stream:
        try:
            with h5py.File(stream, "r") as h5:
                for name in ("model_config", "training_config"):
                    if name in h5.attrs:
                        texts[name] = _attr_text(h5.attrs[name])
        except (OSError, ValueError, KeyError, RuntimeError, TypeError) as exc:
            yield make(MALFORMED, f"cannot parse as HDF5 (read with h5py): {exc}", key="hdf5")
            return
    for name, text in texts.items():
        ctx.budget.check("text_bytes", len(text), where=name)
        try:
            document = load_json(text, ctx.budget, where=name)
        except MalformedError as exc:
            yield make(MALFORMED, f"cannot parse the {name} attribute: {exc}", key=f"attr:{name}")
            continue
        yield from _config_findings(document.value, ctx, make, member=None, how=f"{name} attribute read with h5py")


def _attr_text(value: Any) -> str:
    if hasattr(value, "item") and not isinstance(value, bytes | str):
        value = value.item()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _scan_h5_bytes(artifact: Artifact, ctx: ScanContext, make: FindingMaker) -> Iterator[Finding]:
    with artifact.open() as stream:
        for offset, config in _embedded_configs(stream, artifact.size, ctx):
            how = f"config found by byte scan at offset {offset}; install mlwarden[keras] for exact HDF5 parsing"
            yield from _config_findings(config, ctx, make, member=None, how=how)


def _embedded_configs(stream: BinaryIO, size: int, ctx: ScanContext) -> Iterator[tuple[int, Any]]:
    """Top-level JSON objects starting with ``{"class_name"`` anywhere in the file, bounded."""
    pos = skip_until = found = 0
    while pos < size and found < _MAX_FALLBACK_CONFIGS:
        ctx.deadline.check("keras h5 byte scan")
        stream.seek(pos)
        window = stream.read(_SCAN_CHUNK + 64)
        for match in _CLASS_NAME.finditer(window):
            start = pos + match.start()
            if start < skip_until or start >= pos + _SCAN_CHUNK:
                continue
            parsed = _json_at(stream, start, ctx)
            if parsed is not None:
                found += 1
                skip_until = start + parsed[1]
                yield start, parsed[0]
        pos += _SCAN_CHUNK


def _json_at(stream: BinaryIO, start: int, ctx: ScanContext) -> tuple[Any, int] | None:
    """The JSON value at ``start`` and its length in bytes, or None when it does not parse."""
    stream.seek(start)
    text = stream.read(min(ctx.budget.max_text_bytes, _MAX_CONFIG_BYTES)).decode("utf-8", "surrogateescape")
    try:
        _, end = json.JSONDecoder().raw_decode(text)
        document = load_json(text[:end], ctx.budget, where="hdf5 attribute")
    except (ValueError, RecursionError):
        return None
    return document.value, len(text[:end].encode("utf-8", "surrogateescape"))
