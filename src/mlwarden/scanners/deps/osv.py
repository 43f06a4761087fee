"""Known vulnerabilities from OSV: the record format, version matching, and an offline export reader.

``OsvDirectory`` reads the export osv.dev publishes per ecosystem (PyPI ``all.zip``, unzipped into one
JSON file per advisory, or the zip itself). ``osv_api.OsvApi`` asks the public API. Both answer the
same ``VulnSource.lookup`` and run the same matcher, so offline and online results agree.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

from packaging.version import InvalidVersion, Version

from mlwarden.core.findings import Severity
from mlwarden.scanners.deps.cvss import cvss3_base_score, severity_for_score
from mlwarden.scanners.deps.model import normalize

__all__ = ["Advisory", "LookupResult", "OsvDirectory", "VulnSource", "advisory_for"]

MAX_RECORD_BYTES = 4 * 1024 * 1024
_DB_SEVERITY = {
    "CRITICAL": Severity.CRITICAL,
    "HIGH": Severity.HIGH,
    "MODERATE": Severity.MEDIUM,
    "MEDIUM": Severity.MEDIUM,
    "LOW": Severity.LOW,
}


@dataclass(frozen=True, slots=True)
class Advisory:
    """One advisory that affects one package version, with what a finding needs to say."""

    id: str
    aliases: tuple[str, ...]
    summary: str
    affected: str
    fixed: tuple[str, ...]
    severity: Severity
    score: float | None
    severity_source: str
    malicious: bool = False


@dataclass(frozen=True, slots=True)
class LookupResult:
    """Advisories per (name, version); ``warning`` says why the answer may be incomplete."""

    advisories: Mapping[tuple[str, str], tuple[Advisory, ...]] = field(default_factory=dict)
    warning: str | None = None
    missing: int = 0


class VulnSource(Protocol):
    """Anything that answers which advisories affect these (normalised name, version) pairs."""

    def lookup(self, packages: Sequence[tuple[str, str]]) -> LookupResult:
        """Advisories for each pair; never raises for network or data problems (it warns instead)."""
        ...


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except (InvalidVersion, TypeError):
        return None


def _in_range(events: Sequence[Mapping[str, Any]], version: Version) -> tuple[bool, list[str]]:
    """OSV's range evaluation: sorted events; introduced opens, fixed and last_affected close."""
    keyed: list[tuple[Version, str, str]] = []
    for event in events:
        for kind in ("introduced", "fixed", "last_affected"):
            if kind in event:
                raw = str(event[kind])
                parsed = Version("0") if raw == "0" else _version(raw)
                if parsed is not None:
                    keyed.append((parsed, kind, raw))
    keyed.sort(key=lambda item: item[0])
    affected = False
    for point, kind, _raw in keyed:
        if kind == "introduced" and version >= point:
            affected = True
        elif (kind == "fixed" and version >= point) or (kind == "last_affected" and version > point):
            affected = False
    return affected, [raw for _p, kind, raw in keyed if kind == "fixed"]


def _describe(events: Sequence[Mapping[str, Any]]) -> str:
    parts = [
        f"{kind} {event[kind]}"
        for event in events
        for kind in ("introduced", "fixed", "last_affected")
        if kind in event
    ]
    return ", ".join(parts)


def _severity(record: Mapping[str, Any]) -> tuple[Severity, float | None, str]:
    for item in record.get("severity") or []:
        if isinstance(item, dict) and str(item.get("type", "")).startswith("CVSS_V3"):
            score = cvss3_base_score(str(item.get("score", "")))
            if score is not None:
                return severity_for_score(score), score, "CVSS v3 base score"
    specific = record.get("database_specific")
    label = str(specific.get("severity", "")).upper() if isinstance(specific, dict) else ""
    if label in _DB_SEVERITY:
        return _DB_SEVERITY[label], None, f"advisory rating {label.lower()}"
    return Severity.MEDIUM, None, "no severity in the advisory"


def advisory_for(record: Mapping[str, Any], name: str, version: str, *, trust_match: bool = False) -> Advisory | None:
    """The Advisory if ``record`` affects PyPI package ``name`` at ``version`` (or ``trust_match``)."""
    parsed = _version(version)
    hit, fixed, ranges = trust_match, [], []
    for affected in record.get("affected") or []:
        package = affected.get("package") if isinstance(affected, dict) else None
        if not isinstance(package, dict) or normalize(str(package.get("name", ""))) != name:
            continue
        if not str(package.get("ecosystem", "")).startswith("PyPI"):
            continue
        versions = {str(v) for v in affected.get("versions") or []}
        hit = hit or version in versions or (parsed is not None and any(_version(v) == parsed for v in versions))
        for item in affected.get("ranges") or []:
            if not isinstance(item, dict) or item.get("type") != "ECOSYSTEM":
                continue
            events = [e for e in item.get("events") or [] if isinstance(e, dict)]
            inside, fixes = _in_range(events, parsed) if parsed is not None else (False, [])
            hit = hit or inside
            fixed += fixes
            ranges.append(_describe(events))
    if not hit:
        return None
    severity, score, source = _severity(record)
    ident = str(record.get("id", "?"))
    malicious = ident.startswith("MAL-")
    return Advisory(
        id=ident,
        aliases=tuple(str(a) for a in record.get("aliases") or []),
        summary=str(record.get("summary") or record.get("details") or "")[:200],
        affected="; ".join(r for r in ranges if r) or "listed versions",
        fixed=tuple(dict.fromkeys(fixed)),
        severity=Severity.CRITICAL if malicious else severity,
        score=score,
        severity_source=source,
        malicious=malicious,
    )


class OsvDirectory:
    """Advisories from an OSV export on disk: a directory of ``*.json`` records or the ``all.zip`` itself.

    The name index is built on first use and shared by every scanner call in the process.
    """

    _indexes: ClassVar[dict[tuple[str, float], tuple[dict[str, list[str]], int]]] = {}

    def __init__(self, path: Path) -> None:
        self.path = path

    def _records(self) -> Iterator[tuple[str, bytes]]:
        if self.path.is_file() and zipfile.is_zipfile(self.path):
            with zipfile.ZipFile(self.path) as archive:
                for info in archive.infolist():
                    if info.filename.endswith(".json") and info.file_size <= MAX_RECORD_BYTES:
                        yield info.filename, archive.read(info)
            return
        for file in sorted(self.path.rglob("*.json")):
            if file.is_file() and file.stat().st_size <= MAX_RECORD_BYTES:
                yield str(file), file.read_bytes()

    def _index(self) -> tuple[dict[str, list[str]], int]:
        key = (str(self.path.resolve()), self.path.stat().st_mtime)
        if key not in self._indexes:
            index: dict[str, list[str]] = {}
            broken = 0
            for ref, data in self._records():
                record = _loads(data)
                if record is None:
                    broken += 1
                    continue
                for affected in record.get("affected") or []:
                    package = affected.get("package") if isinstance(affected, dict) else None
                    if isinstance(package, dict) and str(package.get("ecosystem", "")).startswith("PyPI"):
                        index.setdefault(normalize(str(package.get("name", ""))), []).append(ref)
            self._indexes[key] = (index, broken)
        return self._indexes[key]

    def _read(self, ref: str) -> dict[str, Any] | None:
        if self.path.is_file():
            with zipfile.ZipFile(self.path) as archive:
                return _loads(archive.read(ref))
        return _loads(Path(ref).read_bytes())

    def lookup(self, packages: Sequence[tuple[str, str]]) -> LookupResult:
        """Match every pair against the export; an unreadable export is a warning, not an exception."""
        try:
            index, broken = self._index()
        except (OSError, zipfile.BadZipFile) as exc:
            return LookupResult(
                {}, f"OSV database {self.path} unreadable ({exc}): no vulnerability data", len(packages)
            )
        found: dict[tuple[str, str], tuple[Advisory, ...]] = {}
        for name, version in packages:
            hits = []
            for ref in dict.fromkeys(index.get(name, [])):
                record = self._read(ref)
                advisory = advisory_for(record, name, version) if record is not None else None
                if advisory is not None:
                    hits.append(advisory)
            found[(name, version)] = tuple(hits)
        warning = f"{broken} unreadable record(s) in the OSV database {self.path}" if broken else None
        return LookupResult(found, warning)


def _loads(data: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None
