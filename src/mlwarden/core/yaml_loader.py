"""A bounded, line-aware YAML loader for policy files and untrusted YAML alike.

PyYAML's ``safe_load`` never runs code, but an alias-heavy document (the "billion laughs" shape)
still makes every consumer that walks the data do exponential work. This loader caps the size,
the number of aliases and the nesting depth, and remembers the line of every mapping key so that
an error can name the line a user must fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from mlwarden.core.errors import ConfigError

__all__ = ["YamlDocument", "load_yaml"]

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class YamlDocument:
    """Parsed data plus the 1-based line of each key path, e.g. ``("suppressions", 0, "rule")``."""

    data: Any
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)

    def line_of(self, path: tuple[str | int, ...]) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def load_yaml(
    text: str,
    *,
    source: str,
    max_bytes: int = 1024 * 1024,
    max_aliases: int = 100,
    max_depth: int = 64,
    unique_keys: bool = False,
) -> YamlDocument:
    """Parse one YAML document safely; raise ConfigError naming the source and line on any problem.

    ``unique_keys`` refuses a mapping that repeats a key: YAML says keys are unique, but PyYAML keeps
    the last one silently, and in a policy the two lines a reviewer sees may not be the one in force.
    """
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise ConfigError(f"file is larger than {max_bytes} bytes", source=source)
    _check_depth(text, source=source, max_depth=max_depth)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"invalid YAML: {problem}", source=source, line=line) from None
    if node is None:
        return YamlDocument(data=None, lines={})
    lines: dict[tuple[str | int, ...], int] = {(): node.start_mark.line + 1}
    _check_shape(node, source=source, max_aliases=max_aliases, max_depth=max_depth, lines=lines)
    if unique_keys:
        _check_unique_keys(node, source=source)
    constructor = _Loader("")
    try:
        data = constructor.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(f"invalid YAML value: {exc}", source=source, line=line) from None
    finally:
        constructor.dispose()
    return YamlDocument(data=data, lines=lines)


def _check_depth(text: str, *, source: str, max_depth: int) -> None:
    """Refuse deep nesting from the event stream, before composing.

    The composer recurses once per level (in C with libyaml), so ``[[[...]]]`` 100,000 levels deep
    overflows the C stack and kills the process; the parser's event stream is iterative and cheap.
    Syntax errors are left to the composer, which reports them with their line.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    line = event.start_mark.line + 1 if event.start_mark is not None else None
                    raise ConfigError(f"nesting deeper than {max_depth}", source=source, line=line)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return


def _check_shape(
    root: yaml.Node,
    *,
    source: str,
    max_aliases: int,
    max_depth: int,
    lines: dict[tuple[str | int, ...], int],
) -> None:
    """Walk the node graph once, counting shared (aliased) nodes and depth, and record key lines."""
    seen: set[int] = set()
    aliases = 0
    for node, path, depth in _nodes(root):
        if depth > max_depth:
            raise ConfigError(f"nesting deeper than {max_depth}", source=source, line=node.start_mark.line + 1)
        if id(node) in seen:
            aliases += 1
            if aliases > max_aliases:
                raise ConfigError(
                    f"more than {max_aliases} aliases (a YAML bomb?)", source=source, line=node.start_mark.line + 1
                )
            continue
        seen.add(id(node))
        lines.setdefault(path, node.start_mark.line + 1)


def _check_unique_keys(root: yaml.Node, *, source: str) -> None:
    """Refuse a mapping whose scalar keys repeat (merge keys ``<<`` excepted: overriding is their point)."""
    for node, _path, _depth in _nodes(root):
        if not isinstance(node, yaml.MappingNode):
            continue
        first: dict[str, int] = {}
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                continue
            line = key_node.start_mark.line + 1
            key = key_node.value
            if key in first:
                raise ConfigError(f"duplicate key {key!r} (first on line {first[key]})", source=source, line=line)
            first[key] = line


def _nodes(root: yaml.Node) -> Iterator[tuple[yaml.Node, tuple[str | int, ...], int]]:
    """Depth-first (node, key path, depth), iteratively, so deep documents cannot overflow the stack."""
    stack: list[tuple[yaml.Node, tuple[str | int, ...], int]] = [(root, (), 0)]
    visited: set[int] = set()
    while stack:
        node, path, depth = stack.pop()
        yield node, path, depth
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in reversed(node.value):
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark.line)
                stack.append((value_node, (*path, str(key)), depth + 1))
                stack.append((key_node, (*path, str(key)), depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            for index in reversed(range(len(node.value))):
                stack.append((node.value[index], (*path, index), depth + 1))
