"""``uv.lock``: locked packages with their registry, Git or path source and artifact hashes."""

from __future__ import annotations

from typing import Any

from mlwarden.scanners.deps.model import Dependency, Issue, ParsedFile, Ticker, normalize, strip_userinfo
from mlwarden.scanners.deps.parsers.common import load_toml
from mlwarden.scanners.deps.parsers.poetry_lock import package_header_lines

__all__ = ["parse_uv_lock"]

_LOCAL = {"editable", "virtual", "directory", "path"}


def parse_uv_lock(text: str, *, source: str, ticker: Ticker | None = None) -> ParsedFile:
    """Locked packages of a uv project (the project itself, editable or virtual, is marked local)."""
    ticker = ticker or Ticker(where=source)
    out = ParsedFile(kind="uv.lock")
    data = load_toml(text, source=source)
    if isinstance(data, Issue):
        out.issues.append(data)
        return out
    headers = package_header_lines(text)
    packages = data.get("package", [])
    for index, package in enumerate(packages if isinstance(packages, list) else []):
        ticker.tick()
        if isinstance(package, dict) and isinstance(package.get("name"), str):
            out.dependencies.append(_package(package, source, headers[index] if index < len(headers) else None))
    return out


def _artifact_hashes(package: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    sdist = package.get("sdist")
    if isinstance(sdist, dict) and sdist.get("hash"):
        found.append(str(sdist["hash"]))
    wheels = package.get("wheels")
    for wheel in wheels if isinstance(wheels, list) else []:
        if isinstance(wheel, dict) and wheel.get("hash"):
            found.append(str(wheel["hash"]))
    return tuple(found)


def _package(package: dict[str, Any], source: str, line: int | None) -> Dependency:
    raw_name = str(package["name"])
    found = package.get("source")
    origin: dict[str, Any] = found if isinstance(found, dict) else {}
    kind = next(iter(origin), "registry")
    local = kind in _LOCAL
    url = str(origin[kind]) if kind in {"git", "url"} else None
    if kind == "git" and url and not url.startswith("git+"):
        url = f"git+{url}"
    version = str(package.get("version", "")) or None
    return Dependency(
        name=normalize(raw_name),
        raw_name=raw_name,
        source=source,
        line=line,
        specifier=f"=={version}" if version else "",
        version=None if local or url else version,
        hashes=_artifact_hashes(package),
        url=strip_userinfo(url) if url else None,
        vcs=kind == "git",
        local=local,
        is_lock=True,
    )
