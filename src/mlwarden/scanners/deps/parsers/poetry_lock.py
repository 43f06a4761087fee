"""``poetry.lock``: every locked package with its version, source and file hashes (old and new layouts)."""

from __future__ import annotations

from typing import Any

from mlwarden.scanners.deps.model import Dependency, Issue, ParsedFile, Ticker, normalize, strip_userinfo
from mlwarden.scanners.deps.parsers.common import load_toml

__all__ = ["package_header_lines", "parse_poetry_lock"]


def package_header_lines(text: str) -> list[int]:
    """1-based line numbers of each ``[[package]]`` header, in order."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.strip() == "[[package]]"]


def parse_poetry_lock(text: str, *, source: str, ticker: Ticker | None = None) -> ParsedFile:
    """Locked packages of a Poetry project."""
    ticker = ticker or Ticker(where=source)
    out = ParsedFile(kind="poetry.lock")
    data = load_toml(text, source=source)
    if isinstance(data, Issue):
        out.issues.append(data)
        return out
    packages = data.get("package", [])
    legacy = data.get("metadata", {}).get("files", {}) if isinstance(data.get("metadata"), dict) else {}
    headers = package_header_lines(text)
    for index, package in enumerate(packages if isinstance(packages, list) else []):
        ticker.tick()
        if isinstance(package, dict) and isinstance(package.get("name"), str):
            line = headers[index] if index < len(headers) else None
            out.dependencies.append(_package(package, legacy, source, line))
    return out


def _hashes(files: Any) -> tuple[str, ...]:
    if not isinstance(files, list):
        return ()
    return tuple(str(f["hash"]) for f in files if isinstance(f, dict) and f.get("hash"))


def _package(package: dict[str, Any], legacy: Any, source: str, line: int | None) -> Dependency:
    raw_name = str(package["name"])
    found = package.get("source")
    origin: dict[str, Any] = found if isinstance(found, dict) else {}
    kind = str(origin.get("type", ""))
    url: str | None = None
    if kind == "git":
        ref = origin.get("resolved_reference") or origin.get("reference") or ""
        url = f"git+{origin.get('url', '')}@{ref}" if ref else f"git+{origin.get('url', '')}"
    elif kind == "url":
        url = str(origin.get("url", ""))
    hashes = _hashes(package.get("files"))
    if not hashes and isinstance(legacy, dict):
        hashes = _hashes(legacy.get(raw_name) or legacy.get(normalize(raw_name)))
    version = str(package.get("version", "")) or None
    return Dependency(
        name=normalize(raw_name),
        raw_name=raw_name,
        source=source,
        line=line,
        specifier=f"=={version}" if version else "",
        version=None if url or kind in {"directory", "file"} else version,
        hashes=hashes,
        url=strip_userinfo(url) if url else None,
        vcs=kind == "git",
        local=kind in {"directory", "file"},
        is_lock=True,
    )
