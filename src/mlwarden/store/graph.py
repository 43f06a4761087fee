"""The lineage graph around one artifact, and its three renderings: console tree, Mermaid, JSON.

Names in a lineage graph come from files, DVC stages and MLflow runs, so they are untrusted: the
console tree shows control characters as escapes (no terminal escape sequences get through), and
Mermaid labels carry every character outside a small safe set as a ``#NNN;`` entity, so a hostile
name cannot close a label, add nodes or inject HTML into a rendered page.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mlwarden.store.records import StoredArtifact

__all__ = [
    "GraphEdge",
    "LineageGraph",
    "escape_mermaid",
    "printable",
    "render_html",
    "render_json",
    "render_markdown",
    "render_mermaid",
    "render_tree",
]

_MERMAID_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-/:@+,=()")
_MAX_LABEL = 120


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphEdge:
    """``to_id`` was made from ``from_id`` (read "TO relation FROM")."""

    from_id: int
    to_id: int
    relation: str
    source: str
    params: Mapping[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LineageGraph:
    """Nodes and edges reachable upstream and downstream of the focus artifacts (all versions of a path)."""

    focus: tuple[int, ...]
    nodes: Mapping[int, StoredArtifact]
    edges: tuple[GraphEdge, ...]
    truncated: bool = False

    def parents(self, node: int) -> list[GraphEdge]:
        """Edges into ``node``: what it was made from."""
        return [edge for edge in self.edges if edge.to_id == node]

    def children(self, node: int) -> list[GraphEdge]:
        """Edges out of ``node``: what was made from it."""
        return [edge for edge in self.edges if edge.from_id == node]


def printable(text: str) -> str:
    """Control, format and escape characters shown as ``\\xNN``/``\\uNNNN``; the rest unchanged."""
    out = []
    for char in text:
        if char.isprintable() and char not in "\x1b\x9b":
            out.append(char)
        else:
            out.append(char.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def _label(node: StoredArtifact) -> str:
    name = node.path + (f"!/{node.member}" if node.member else "")
    if len(name) > _MAX_LABEL:
        name = "…" + name[-(_MAX_LABEL - 1) :]
    return name


def _digest(node: StoredArtifact) -> str:
    return f"sha256 {node.sha256[:12]}" if node.sha256 else "not hashed"


def _edge_text(edge: GraphEdge) -> str:
    operation = edge.params.get("operation") or edge.params.get("stage")
    extra = f" {operation}" if isinstance(operation, str) and operation else ""
    return f"{edge.relation} ({edge.source}{extra})"


def render_tree(graph: LineageGraph) -> str:
    """A console tree per focus node: what it was made from (upstream) and what was made from it."""
    lines: list[str] = []
    for focus in graph.focus:
        node = graph.nodes[focus]
        lines.append(f"{printable(_label(node))} ({_digest(node)})")
        branches = [
            ("made from", list(_walk(graph, focus, upstream=True))),
            ("used by", list(_walk(graph, focus, upstream=False))),
        ]
        branches = [(title, rows) for title, rows in branches if rows]
        if not branches:
            lines.append("└── no recorded lineage")
        for index, (title, rows) in enumerate(branches):
            last = index == len(branches) - 1
            lines.append(f"{'└── ' if last else '├── '}{title}")
            lines.extend(("    " if last else "│   ") + row for row in rows)
    if graph.truncated:
        lines.append("(graph truncated: too many nodes; use --format json for the stored part)")
    return "\n".join(lines) + "\n"


def _walk(graph: LineageGraph, start: int, *, upstream: bool) -> Iterator[str]:
    """Depth-first rows with box-drawing prefixes; a node met again on the same path is marked, not expanded."""
    stack: list[tuple[GraphEdge, str, bool, frozenset[int]]] = []

    def push(node: int, prefix: str, seen: frozenset[int]) -> None:
        edges = graph.parents(node) if upstream else graph.children(node)
        for position, edge in reversed(list(enumerate(edges))):
            stack.append((edge, prefix, position == len(edges) - 1, seen))

    push(start, "", frozenset({start}))
    while stack:
        edge, prefix, last, seen = stack.pop()
        other = edge.from_id if upstream else edge.to_id
        node = graph.nodes[other]
        arrow = "←" if upstream else "→"
        cycle = " (cycle)" if other in seen else ""
        yield (
            f"{prefix}{'└── ' if last else '├── '}{arrow} {printable(_label(node))} ({_digest(node)}) "
            f"{printable(_edge_text(edge))}{cycle}"
        )
        if not cycle:
            push(other, prefix + ("    " if last else "│   "), seen | {other})


def escape_mermaid(text: str) -> str:
    """Every character outside letters, digits, space and ``._-/:@+,=()`` becomes ``#<code>;``."""
    return "".join(char if char in _MERMAID_SAFE else f"#{ord(char)};" for char in text)


def render_mermaid(graph: LineageGraph) -> str:
    """``graph LR`` text: one node per artifact version, one labelled arrow per edge, focus nodes styled."""
    lines = ["graph LR"]
    for node_id in sorted(graph.nodes):
        node = graph.nodes[node_id]
        label = escape_mermaid(_label(node)) + "<br/>" + escape_mermaid(_digest(node))
        lines.append(f'    n{node_id}["{label}"]')
    for edge in graph.edges:
        lines.append(f'    n{edge.from_id} -->|"{escape_mermaid(_edge_text(edge))}"| n{edge.to_id}')
    for focus in graph.focus:
        lines.append(f"    style n{focus} stroke-width:3px")
    return "\n".join(lines) + "\n"


def render_markdown(graph: LineageGraph, title: str) -> str:
    """A Markdown section with the Mermaid diagram (GitHub and GitLab render it inline)."""
    return f"## Lineage of {_markdown_text(title)}\n\n```mermaid\n{render_mermaid(graph)}```\n"


def _markdown_text(text: str) -> str:
    escaped = "".join(f"\\{char}" if char in "\\`*_[]()#!|~" else char for char in printable(text))
    return html.escape(escaped, quote=False)


def render_html(graph: LineageGraph, title: str) -> str:
    """A self-contained page: the Mermaid source (for a page that loads Mermaid) and the same edges as a table."""
    rows = "".join(
        f"<tr><td>{html.escape(_label(graph.nodes[e.from_id]))}</td><td>{html.escape(_edge_text(e))}</td>"
        f"<td>{html.escape(_label(graph.nodes[e.to_id]))}</td></tr>"
        for e in graph.edges
    )
    name = html.escape(title)
    return (
        f'<!doctype html>\n<html><head><meta charset="utf-8"><title>Lineage of {name}</title></head><body>\n'
        f'<h1>Lineage of {name}</h1>\n<pre class="mermaid">\n{html.escape(render_mermaid(graph))}</pre>\n'
        f"<table><thead><tr><th>from</th><th>relation</th><th>to</th></tr></thead><tbody>{rows}</tbody></table>\n"
        "</body></html>\n"
    )


def render_json(graph: LineageGraph) -> str:
    """The graph as a versioned JSON document (``version: 1``)."""
    document = {
        "version": 1,
        "focus": list(graph.focus),
        "truncated": graph.truncated,
        "nodes": [_node_json(graph.nodes[node_id]) for node_id in sorted(graph.nodes)],
        "edges": [
            {
                "from": e.from_id,
                "to": e.to_id,
                "relation": e.relation,
                "source": e.source,
                "params": dict(e.params),
                "created_at": e.created_at.isoformat() if e.created_at else None,
            }
            for e in graph.edges
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"


def _node_json(node: StoredArtifact) -> dict[str, Any]:
    return {
        "id": node.id,
        "path": node.path,
        "member": node.member or None,
        "sha256": node.sha256 or None,
        "format": node.format,
        "size": node.size,
    }
