"""``Pipfile.lock`` (JSON): locked packages of the default and develop groups, and the index sources."""

from __future__ import annotations

import json
from typing import Any

from mlwarden.scanners.deps.model import Dependency, ParsedFile, Ticker, normalize, strip_userinfo
from mlwarden.scanners.deps.parsers.common import line_of, pinned_version, unparsable
from mlwarden.scanners.deps.parsers.requirements import index_issues

__all__ = ["parse_pipfile_lock"]


def parse_pipfile_lock(text: str, *, source: str, ticker: Ticker | None = None) -> ParsedFile:
    """Locked packages and ``_meta.sources`` of a Pipenv project."""
    ticker = ticker or Ticker(where=source)
    out = ParsedFile(kind="Pipfile.lock")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        out.issues.append(unparsable(source, getattr(exc, "lineno", None), "Pipfile.lock", f"invalid JSON: {exc}"))
        return out
    if not isinstance(data, dict):
        out.issues.append(unparsable(source, 1, "Pipfile.lock", "the top level is not an object"))
        return out
    lines = text.splitlines()
    _sources(data.get("_meta"), lines, source, out)
    for group in ("default", "develop"):
        entries = data.get(group)
        for raw_name, entry in entries.items() if isinstance(entries, dict) else []:
            ticker.tick()
            if isinstance(entry, dict):
                out.dependencies.append(_entry(str(raw_name), entry, source, line_of(lines, f'"{raw_name}": {{')))
    return out


def _sources(meta: Any, lines: list[str], source: str, out: ParsedFile) -> None:
    sources = meta.get("sources") if isinstance(meta, dict) else None
    for item in sources if isinstance(sources, list) else []:
        if not isinstance(item, dict):
            continue
        url = str(item.get("url", ""))
        line = line_of(lines, url) if url else None
        out.issues.extend(index_issues("--index-url", url, source=source, line=line))
        if item.get("verify_ssl") is False:
            out.issues.extend(index_issues("--trusted-host", strip_userinfo(url), source=source, line=line))


def _entry(raw_name: str, entry: dict[str, Any], source: str, line: int | None) -> Dependency:
    version = str(entry.get("version", ""))
    git = entry.get("git")
    ref = entry.get("ref")
    url = f"git+{git}@{ref}" if git and ref else f"git+{git}" if git else entry.get("file")
    hashes = entry.get("hashes")
    return Dependency(
        name=normalize(raw_name),
        raw_name=raw_name,
        source=source,
        line=line,
        specifier=version,
        version=None if url else pinned_version(version),
        hashes=tuple(str(h) for h in hashes) if isinstance(hashes, list) else (),
        url=strip_userinfo(str(url)) if url else None,
        vcs=bool(git),
        editable=bool(entry.get("editable")),
        local=bool(entry.get("path")),
        markers=str(entry["markers"]) if entry.get("markers") else None,
        is_lock=True,
    )
