"""Walking the lineage graph in the database: ancestors and descendants of the artifacts a user names."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import Connection, or_, select

from mlwarden.store._sql import artifact_from_row
from mlwarden.store.graph import GraphEdge, LineageGraph
from mlwarden.store.records import StoredArtifact, normalise_path, utc
from mlwarden.store.schema import artifacts, lineage_edges

__all__ = ["find_artifacts", "lineage_graph"]

_HEX_PREFIX = re.compile(r"[0-9a-fA-F]{8,64}")
_CHUNK = 500


def find_artifacts(connection: Connection, reference: str) -> list[StoredArtifact]:
    """Artifacts named by a path or URI (every version), or by a SHA-256 prefix of at least 8 hex digits."""
    conditions = [artifacts.c.path == normalise_path(reference), artifacts.c.path == reference]
    if _HEX_PREFIX.fullmatch(reference):
        conditions.append(artifacts.c.sha256.startswith(reference.lower(), autoescape=True))
    query = select(artifacts).where(or_(*conditions)).order_by(artifacts.c.id).limit(1000)
    return [artifact_from_row(row) for row in connection.execute(query)]


def _edges_touching(connection: Connection, ids: Iterable[int], *, upstream: bool) -> list[GraphEdge]:
    column = lineage_edges.c.to_artifact if upstream else lineage_edges.c.from_artifact
    pending = sorted(ids)
    found: list[GraphEdge] = []
    for start in range(0, len(pending), _CHUNK):
        query = select(lineage_edges).where(column.in_(pending[start : start + _CHUNK])).order_by(lineage_edges.c.id)
        found += [
            GraphEdge(
                from_id=r.from_artifact,
                to_id=r.to_artifact,
                relation=r.relation,
                source=r.source,
                params=r.params or {},
                created_at=utc(r.created_at),
            )
            for r in connection.execute(query)
        ]
    return found


def _closure(
    connection: Connection, focus: set[int], *, upstream: bool, max_nodes: int
) -> tuple[list[GraphEdge], set[int], bool]:
    """Breadth-first over edges in one direction; stops (truncated) after ``max_nodes`` nodes."""
    edges: dict[tuple[int, int, str, str], GraphEdge] = {}
    seen = set(focus)
    frontier = set(focus)
    while frontier:
        step = _edges_touching(connection, frontier, upstream=upstream)
        frontier = set()
        for edge in step:
            edges[(edge.from_id, edge.to_id, edge.relation, edge.source)] = edge
            other = edge.from_id if upstream else edge.to_id
            if other not in seen:
                seen.add(other)
                frontier.add(other)
        if len(seen) > max_nodes:
            return list(edges.values()), seen, True
    return list(edges.values()), seen, False


def lineage_graph(connection: Connection, reference: str, *, max_nodes: int = 2000) -> LineageGraph:
    """The graph of everything made from, and everything made into, the artifacts ``reference`` names."""
    focus = find_artifacts(connection, reference)
    ids = {item.id for item in focus}
    up_edges, up_nodes, up_cut = _closure(connection, ids, upstream=True, max_nodes=max_nodes)
    down_edges, down_nodes, down_cut = _closure(connection, ids, upstream=False, max_nodes=max_nodes)
    unique = {(e.from_id, e.to_id, e.relation, e.source): e for e in [*up_edges, *down_edges]}
    node_ids = sorted(up_nodes | down_nodes)
    nodes: dict[int, StoredArtifact] = {}
    for start in range(0, len(node_ids), _CHUNK):
        query = select(artifacts).where(artifacts.c.id.in_(node_ids[start : start + _CHUNK]))
        nodes.update({int(row.id): artifact_from_row(row) for row in connection.execute(query)})
    edges = tuple(sorted(unique.values(), key=lambda e: (e.from_id, e.to_id, e.relation, e.source)))
    return LineageGraph(focus=tuple(sorted(ids)), nodes=nodes, edges=edges, truncated=up_cut or down_cut)
