"""``pyproject.toml``: PEP 621 dependencies and extras, PEP 735 groups, Poetry tables and sources, uv sources.

These are abstract dependencies of a project: ranges are normal here (a lock file pins them), so only a
dependency with no constraint at all is reported as unpinned.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from mlwarden.scanners.deps.model import Dependency, Issue, ParsedFile, Ticker, normalize, strip_userinfo
from mlwarden.scanners.deps.parsers.common import from_pep508, line_of, load_toml, pinned_version
from mlwarden.scanners.deps.parsers.requirements import index_issues

__all__ = ["parse_pyproject", "poetry_to_pep440"]

_VERSION = re.compile(r"^\d+(?:\.\d+)*$")


def _caret(version: str) -> str:
    parts = [int(p) for p in version.split(".")]
    bump = next((i for i, p in enumerate(parts) if p != 0), len(parts) - 1)
    upper = [*parts[:bump], parts[bump] + 1]
    return f">={version},<{'.'.join(map(str, upper))}"


def _tilde(version: str) -> str:
    parts = [int(p) for p in version.split(".")]
    upper = [parts[0] + 1] if len(parts) == 1 else [parts[0], parts[1] + 1]
    return f">={version},<{'.'.join(map(str, upper))}"


def poetry_to_pep440(constraint: str) -> str | None:
    """A Poetry constraint (``^1.2``, ``~1.2.3``, ``1.2.3``, ``*``, PEP 440) as a PEP 440 specifier.

    Returns ``""`` for "any version" and None when there is no single PEP 440 equivalent (``||``).
    """
    text = constraint.strip()
    if text in {"", "*"}:
        return ""
    if "||" in text:
        return None
    parts: list[str] = []
    for piece in (p.strip() for p in text.split(",")):
        if piece.startswith("^") and _VERSION.match(piece[1:].strip()):
            parts.append(_caret(piece[1:].strip()))
        elif piece.startswith("~") and not piece.startswith("~=") and _VERSION.match(piece[1:].strip()):
            parts.append(_tilde(piece[1:].strip()))
        elif _VERSION.match(piece) or re.match(r"^\d+(?:\.\d+)*\.\*$", piece):
            parts.append(f"=={piece}")
        else:
            parts.append(piece.replace(" ", ""))
    return ",".join(parts)


class _Builder:
    """Collects dependencies of one pyproject with their lines."""

    def __init__(self, text: str, source: str, ticker: Ticker) -> None:
        self.lines = text.splitlines()
        self.source = source
        self.ticker = ticker
        self.out = ParsedFile(kind="pyproject")

    def line(self, needle: str, anchor: str = "") -> int | None:
        start = (line_of(self.lines, anchor) or 1) - 1 if anchor else 0
        return line_of(self.lines, needle, start) or line_of(self.lines, needle)

    def pep508(self, items: Any, anchor: str) -> None:
        if not isinstance(items, list):
            return
        for item in items:
            self.ticker.tick()
            if not isinstance(item, str):
                continue
            got = from_pep508(item, source=self.source, line=self.line(item, anchor), abstract=True)
            if isinstance(got, Dependency):
                self.out.dependencies.append(got)
            else:
                self.out.issues.append(got)

    def poetry(self, table: Any, anchor: str) -> None:
        if not isinstance(table, dict):
            return
        for raw_name, value in table.items():
            self.ticker.tick()
            if normalize(str(raw_name)) == "python":
                continue
            for entry in value if isinstance(value, list) else [value]:
                self._poetry_one(str(raw_name), entry, anchor)

    def _poetry_one(self, raw_name: str, entry: Any, anchor: str) -> None:
        spec = entry if isinstance(entry, str) else entry.get("version", "") if isinstance(entry, dict) else ""
        pep440 = poetry_to_pep440(str(spec))
        table = entry if isinstance(entry, dict) else {}
        git, url, path = table.get("git"), table.get("url"), table.get("path")
        direct = f"git+{git}" if git else url
        pin = table.get("rev") or table.get("tag") or table.get("branch")
        self.out.dependencies.append(
            Dependency(
                name=normalize(raw_name),
                raw_name=raw_name,
                source=self.source,
                line=self.line(raw_name, anchor),
                specifier=str(spec) if pep440 is None else pep440,
                version=pinned_version(pep440) if pep440 and not direct else None,
                url=strip_userinfo(f"{direct}@{pin}" if git and pin else str(direct)) if direct else None,
                vcs=bool(git),
                local=bool(path),
                abstract=True,
                markers=str(table["markers"]) if "markers" in table else None,
            )
        )


def parse_pyproject(text: str, *, source: str, ticker: Ticker | None = None) -> ParsedFile:
    """Every dependency a ``pyproject.toml`` declares, plus index configuration issues."""
    data = load_toml(text, source=source)
    builder = _Builder(text, source, ticker or Ticker(where=source))
    if isinstance(data, Issue):
        builder.out.issues.append(data)
        return builder.out
    project = _table(data, "project")
    builder.pep508(project.get("dependencies"), "[project]")
    for extra, items in _table(project, "optional-dependencies").items():
        builder.pep508(items, str(extra))
    for group, items in _table(data, "dependency-groups").items():
        builder.pep508(items, str(group))
    poetry = _table(_table(data, "tool"), "poetry")
    builder.poetry(poetry.get("dependencies"), "[tool.poetry.dependencies]")
    builder.poetry(poetry.get("dev-dependencies"), "dev-dependencies")
    for name, group in _table(poetry, "group").items():
        builder.poetry(_table(group, "dependencies"), f"[tool.poetry.group.{name}")
    _poetry_sources(poetry.get("source"), builder)
    _uv(_table(_table(data, "tool"), "uv"), builder)
    return builder.out


def _table(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _poetry_sources(sources: Any, builder: _Builder) -> None:
    for source in sources if isinstance(sources, list) else []:
        if not isinstance(source, dict):
            continue
        url = str(source.get("url", ""))
        priority = str(source.get("priority", "secondary" if source.get("secondary") else "primary"))
        line = builder.line(url) if url else None
        for issue in index_issues("source", url, source=builder.source, line=line):
            if issue.code != "extra-index":
                builder.out.issues.append(issue)
        if priority in {"supplemental", "secondary"} and url:
            shown = strip_userinfo(url)
            builder.out.issues.append(
                Issue(
                    code="extra-index",
                    source=builder.source,
                    line=line,
                    key=f"extra-index:{shown}",
                    message=f"Poetry source '{source.get('name', '')}' ({priority}) next to PyPI: a public package "
                    "with the same name can win; make internal sources 'explicit' or 'primary'",
                    evidence=f"priority = {priority!r}, url = {shown}"[:200],
                )
            )


def _uv(uv: dict[str, Any], builder: _Builder) -> None:
    strategy = str(uv.get("index-strategy", "first-index"))
    urls = [str(i.get("url", "")) for i in uv.get("index", []) if isinstance(i, dict)]
    extra = uv.get("extra-index-url", [])
    urls += [str(u) for u in (extra if isinstance(extra, list) else [extra])]
    for url in urls:
        line = builder.line(url)
        for issue in index_issues("--index-url", url, source=builder.source, line=line):
            builder.out.issues.append(issue)
        if strategy == "unsafe-best-match":
            shown = strip_userinfo(url)
            builder.out.issues.append(
                Issue(
                    code="extra-index",
                    source=builder.source,
                    line=line,
                    key=f"extra-index:{shown}",
                    message=f"uv index {shown} with index-strategy 'unsafe-best-match': the highest version from "
                    "any index wins, so a public package can shadow an internal one",
                    evidence=f"index-strategy = {strategy!r}",
                )
            )
    for host in uv.get("allow-insecure-host", []) if isinstance(uv.get("allow-insecure-host"), list) else []:
        builder.out.issues.extend(
            index_issues("--trusted-host", str(host), source=builder.source, line=builder.line(str(host)))
        )
    _uv_sources(_table(uv, "sources"), builder)


def _uv_sources(sources: dict[str, Any], builder: _Builder) -> None:
    """Mark dependencies that ``[tool.uv.sources]`` redirects to Git, a URL or a path."""
    by_name = {normalize(str(name)): value for name, value in sources.items() if isinstance(value, dict)}
    for index, dep in enumerate(builder.out.dependencies):
        source = by_name.get(dep.name)
        if source is None:
            continue
        git, url, path = source.get("git"), source.get("url"), source.get("path")
        pin = source.get("rev") or source.get("tag") or source.get("branch")
        if git or url or path:
            target = f"git+{git}@{pin}" if git and pin else f"git+{git}" if git else str(url or path)
            builder.out.dependencies[index] = _with_url(dep, target, vcs=bool(git), local=bool(path))


def _with_url(dep: Dependency, url: str, *, vcs: bool, local: bool) -> Dependency:
    return replace(dep, url=strip_userinfo(url), vcs=vcs, local=local, version=None)
