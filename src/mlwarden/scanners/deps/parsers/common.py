"""Helpers every parser shares: PEP 508 requirements, pin detection, bounded TOML and line lookup."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet

from mlwarden.scanners.deps.model import Dependency, Issue, normalize, strip_userinfo

__all__ = [
    "VCS_PREFIXES",
    "TomlResult",
    "from_pep508",
    "is_local_ref",
    "line_of",
    "load_toml",
    "pinned_version",
    "unparsable",
]

VCS_PREFIXES = ("git+", "hg+", "svn+", "bzr+")
_LOCAL_PREFIXES = ("./", "../", "/", "~", "file:", ".\\", "..\\")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")

TomlResult = dict[str, Any] | Issue


def pinned_version(specifier: SpecifierSet | str) -> str | None:
    """The single version a specifier allows (``==1.2``/``===1.2``), or None for ranges and wildcards."""
    spec = specifier if isinstance(specifier, SpecifierSet) else _spec_or_none(specifier)
    if spec is None:
        return None
    for item in spec:
        if item.operator == "===" or (item.operator == "==" and not item.version.endswith(".*")):
            return item.version
    return None


def _spec_or_none(text: str) -> SpecifierSet | None:
    try:
        return SpecifierSet(text)
    except ValueError:
        return None


def is_local_ref(text: str) -> bool:
    """Whether a requirement reference is a path on this machine rather than a name or a remote URL."""
    return text in {".", ".."} or text.startswith(_LOCAL_PREFIXES) or bool(_WINDOWS_DRIVE.match(text))


def unparsable(source: str, line: int | None, text: str, reason: str) -> Issue:
    """An Issue for a requirement (or file) the parser could not read."""
    return Issue(
        code="unparsable",
        message=f"cannot parse {text[:80]!r}: {reason}",
        source=source,
        line=line,
        key=f"unparsable:{text[:120]}",
        evidence=strip_userinfo(text[:200]),
    )


def from_pep508(
    text: str,
    *,
    source: str,
    line: int | None,
    abstract: bool = False,
    hashes: Sequence[str] = (),
    editable: bool = False,
) -> Dependency | Issue:
    """A Dependency from one PEP 508 string (``name[extra]>=1; marker`` or ``name @ url``)."""
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        return unparsable(source, line, text, str(exc).splitlines()[0][:160])
    url = req.url or ""
    local = bool(url) and (url.startswith("file:") or is_local_ref(url))
    return Dependency(
        name=normalize(req.name),
        raw_name=req.name,
        source=source,
        line=line,
        specifier=str(req.specifier),
        version=None if url else pinned_version(req.specifier),
        hashes=tuple(hashes),
        url=strip_userinfo(url) if url else None,
        vcs=url.startswith(VCS_PREFIXES),
        editable=editable,
        local=local,
        markers=str(req.marker) if req.marker else None,
        extras=tuple(sorted(req.extras)),
        abstract=abstract,
    )


def load_toml(text: str, *, source: str) -> TomlResult:
    """Parse TOML; a syntax error becomes an ``unparsable`` Issue with its line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        return unparsable(source, line, source.rsplit("/", 1)[-1], f"invalid TOML: {exc}")
    except (RecursionError, ValueError) as exc:
        return unparsable(source, None, source.rsplit("/", 1)[-1], f"invalid TOML: {type(exc).__name__}")


def line_of(lines: Sequence[str], needle: str, start: int = 0) -> int | None:
    """The 1-based number of the first line at or after ``start`` (0-based) containing ``needle``."""
    for index in range(max(start, 0), len(lines)):
        if needle in lines[index]:
            return index + 1
    return None
