"""Multi-document YAML through the bounded loader, one document at a time, with file line numbers.

``load_yaml`` reads one document; a manifest file holds many, separated by ``---``. A line that starts with
``---`` (or ``...``) at column 0 is always a document boundary in YAML (no scalar may contain one), so the
file is split on those lines and each piece is loaded on its own: one malformed or hostile document becomes
one finding and the others are still checked. Aliases, depth and size are capped per document, and the
number of documents per file.

Duplicate keys are legal to PyYAML (the last one wins) but rejected by the Go YAML libraries that kubectl,
docker compose and GitHub use, and a reviewer reading the first one sees a different manifest from the one
that is checked: each duplicate is reported, and the document is still checked with the values PyYAML keeps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import yaml

from mlwarden.core.errors import ConfigError
from mlwarden.core.yaml_loader import YamlDocument, load_yaml

__all__ = ["Doc", "DocError", "YamlKind", "duplicate_keys", "iter_documents", "yaml_kind"]

_BOUNDARY = re.compile(r"^(?:---|\.\.\.)(?:[ \t]|$)")
_API_VERSION = re.compile(r"^[ \t]*(?:- )?apiVersion[ \t]*:", re.MULTILINE)
_KIND = re.compile(r"^[ \t]*kind[ \t]*:", re.MULTILINE)
_SERVICES = re.compile(r"^services[ \t]*:", re.MULTILINE)
_MAX_DOC_BYTES = 4 * 1024 * 1024
_MAX_ALIASES = 100
_MAX_DEPTH = 64
_MAX_DOCUMENTS = 10_000
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlKind(StrEnum):
    """What a YAML file configures, by name and content."""

    KUBERNETES = "kubernetes"
    COMPOSE = "compose"
    GITHUB = "github-actions"
    GITLAB = "gitlab-ci"


def yaml_kind(path: str, head: str) -> YamlKind | None:
    """The kind of a YAML file from its path and first bytes, or None (cheap: no parsing)."""
    norm = path.replace("\\", "/").lower()
    base = norm.rsplit("/", 1)[-1]
    if base.endswith(".gitlab-ci.yml") or base.endswith(".gitlab-ci.yaml"):
        return YamlKind.GITLAB
    if "/.github/workflows/" in f"/{norm}":
        return YamlKind.GITHUB
    if _API_VERSION.search(head) and _KIND.search(head):
        return YamlKind.KUBERNETES
    if _SERVICES.search(head) and (
        base.startswith(("docker-compose", "compose")) or "image:" in head or "build:" in head
    ):
        return YamlKind.COMPOSE
    return None


@dataclass(frozen=True, slots=True)
class Doc:
    """One parsed document and the file line of each key path."""

    data: Any
    parsed: YamlDocument
    first_line: int
    duplicates: tuple[tuple[int, str], ...] = ()

    def line(self, path: tuple[str | int, ...]) -> int:
        """The 1-based file line of ``path`` (or of its nearest ancestor)."""
        found = self.parsed.line_of(tuple(str(p) if not isinstance(p, int) else p for p in path))
        return (found or 1) + self.first_line - 1


@dataclass(frozen=True, slots=True)
class DocError:
    """A document that could not be loaded: where, why, and whether it looks like a template."""

    line: int
    message: str
    templated: bool
    bomb: bool


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """(first line, text) of each document; directives and comments before ``---`` stay with it."""
    lines = text.splitlines(keepends=True)
    start = 0
    for index, line in enumerate(lines):
        if index > start and _BOUNDARY.match(line) and _has_content(lines[start:index]):
            yield start + 1, "".join(lines[start:index])
            start = index
    if _has_content(lines[start:]):
        yield start + 1, "".join(lines[start:])


def _has_content(lines: list[str]) -> bool:
    for line in lines:
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "%")) and not _BOUNDARY.match(stripped):
            return True
    return False


def duplicate_keys(text: str) -> list[tuple[int, str]]:
    """(1-based line, key) of every mapping key that repeats an earlier key of the same mapping.

    Read from the parser's event stream (iterative, no composing), so it is cheap and safe on any input
    that already loaded; merge keys (``<<``) are not duplicates.
    """
    found: list[tuple[int, str]] = []
    frames: list[list[Any]] = []  # per open collection: [seen keys, or None for a sequence; expecting a key]
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                if frames:
                    frames.pop()
            elif isinstance(event, yaml.NodeEvent):
                _node_event(event, frames, found)
    except yaml.YAMLError:
        return found
    return found


def _node_event(event: yaml.NodeEvent, frames: list[list[Any]], found: list[tuple[int, str]]) -> None:
    top = frames[-1] if frames else None
    if top is not None and top[0] is not None:
        if top[1] and isinstance(event, yaml.ScalarEvent) and event.value != "<<":
            if event.value in top[0]:
                found.append(((event.start_mark.line + 1) if event.start_mark else 0, event.value[:80]))
            top[0].add(event.value)
        top[1] = not top[1]
    if isinstance(event, yaml.MappingStartEvent):
        frames.append([set(), True])
    elif isinstance(event, yaml.SequenceStartEvent):
        frames.append([None, False])


def iter_documents(text: str, *, source: str) -> Iterator[Doc | DocError]:
    """Each document of ``text`` parsed safely, or the error that stopped it."""
    for count, (first, chunk) in enumerate(_chunks(text)):
        if count >= _MAX_DOCUMENTS:
            message = f"more than {_MAX_DOCUMENTS} documents in one file; the rest were not checked"
            yield DocError(first, message, templated=False, bomb=True)
            return
        try:
            parsed = load_yaml(
                chunk, source=source, max_bytes=_MAX_DOC_BYTES, max_aliases=_MAX_ALIASES, max_depth=_MAX_DEPTH
            )
        except ConfigError as exc:
            line = first + (exc.line - 1 if exc.line else 0)
            hostile = any(word in exc.detail for word in ("aliases", "nesting", "larger than"))
            yield DocError(line, exc.detail, templated="{{" in chunk, bomb=hostile)
            continue
        except RecursionError:
            yield DocError(first, "nesting too deep for the parser", templated=False, bomb=True)
            continue
        if parsed.data is not None:
            duplicates = tuple((first + line - 1, key) for line, key in duplicate_keys(chunk))
            yield Doc(parsed.data, parsed, first, duplicates)
