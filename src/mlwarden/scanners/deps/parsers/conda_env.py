"""Conda ``environment.yml``: conda packages, channels and the ``pip:`` subsection (a requirements file inline).

Read with the bounded YAML loader (alias and depth limits), so a YAML bomb is a finding, not a hang.
Conda packages are checked for pinning only: their versions and builds are not PyPI releases.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from mlwarden.core.errors import ConfigError
from mlwarden.core.findings import Severity
from mlwarden.core.yaml_loader import YamlDocument, load_yaml
from mlwarden.scanners.deps.model import Dependency, Issue, ParsedFile, Ticker, normalize, strip_userinfo
from mlwarden.scanners.deps.parsers.common import unparsable
from mlwarden.scanners.deps.parsers.requirements import IncludeReader, index_issues, parse_requirement_lines

__all__ = ["conda_pin", "parse_conda_env"]

_SPEC = re.compile(r"^(?:(?P<channel>[\w./:-]{1,200})::)?(?P<name>[A-Za-z0-9_][A-Za-z0-9_.-]{0,200})\s*(?P<spec>.*)$")
_TOOLS = {"python", "pip"}


def conda_pin(spec: str) -> tuple[str | None, bool]:
    """(exact version or None, whether the spec constrains anything) for a conda match spec tail."""
    text = spec.strip()
    if not text:
        return None, False
    if text.startswith("==") and "*" not in text and "," not in text and "|" not in text:
        return text[2:].strip().split("=")[0], True
    parts = text.lstrip("=").split("=") if text.startswith("=") and not text.startswith("==") else []
    if len(parts) == 2 and parts[0] and parts[1] and "*" not in parts[0]:
        return parts[0], True
    bits = text.split()
    if len(bits) == 2 and re.match(r"^\d[\w.+!]*$", bits[0]):
        return bits[0], True
    return None, True


def parse_conda_env(
    text: str, *, source: str, identity: str, reader: IncludeReader | None, ticker: Ticker | None = None
) -> ParsedFile:
    """Conda and pip dependencies of an environment file."""
    ticker = ticker or Ticker(where=source)
    out = ParsedFile(kind="environment.yml")
    try:
        doc = load_yaml(text, source=source, max_bytes=max(len(text.encode("utf-8", "replace")), 1) + 1)
    except ConfigError as exc:
        hostile = "alias" in exc.detail or "nesting" in exc.detail
        issue = unparsable(source, exc.line, source.rsplit("/", 1)[-1], exc.detail)
        out.issues.append(issue if not hostile else _with_severity(issue, Severity.MEDIUM))
        return out
    data = doc.data if isinstance(doc.data, dict) else {}
    _channels(data.get("channels"), doc, source, out)
    deps = data.get("dependencies")
    for index, item in enumerate(deps if isinstance(deps, list) else []):
        ticker.tick()
        if isinstance(item, str):
            _conda(item, doc.line_of(("dependencies", index)), source, out)
        elif isinstance(item, dict) and isinstance(item.get("pip"), list):
            lines = [(doc.line_of(("dependencies", index, "pip", j)) or 0, str(v)) for j, v in enumerate(item["pip"])]
            parse_requirement_lines(lines, source=source, identity=identity, reader=reader, out=out, ticker=ticker)
    return out


def _with_severity(issue: Issue, severity: Severity) -> Issue:
    return replace(issue, severity=severity)


def _channels(channels: Any, doc: YamlDocument, source: str, out: ParsedFile) -> None:
    for index, channel in enumerate(channels if isinstance(channels, list) else []):
        if isinstance(channel, str) and "://" in channel:
            line = doc.line_of(("channels", index))
            out.issues.extend(
                i for i in index_issues("channel", channel, source=source, line=line) if i.code != "extra-index"
            )


def _conda(spec: str, line: int | None, source: str, out: ParsedFile) -> None:
    match = _SPEC.match(spec.strip())
    if match is None:
        out.issues.append(unparsable(source, line, spec, "not a conda package spec"))
        return
    name = match.group("name")
    if normalize(name) in _TOOLS:
        return
    version, constrained = conda_pin(match.group("spec"))
    out.dependencies.append(
        Dependency(
            name=normalize(name),
            raw_name=name,
            source=source,
            line=line,
            specifier=match.group("spec").strip() if constrained else "",
            version=version,
            url=strip_userinfo(match.group("channel")) if match.group("channel") and "://" in spec else None,
            ecosystem="conda",
        )
    )
