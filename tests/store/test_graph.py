"""Lineage renderings: console tree, Mermaid (hostile names escaped), HTML, JSON."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from mlwarden.store.graph import (
    GraphEdge,
    LineageGraph,
    escape_mermaid,
    render_html,
    render_json,
    render_markdown,
    render_mermaid,
    render_tree,
)
from mlwarden.store.records import StoredArtifact

HOSTILE = 'evil"] --> X[<img src=x onerror=alert(1)>]\n%%{init: {"securityLevel":"loose"}}%%\x1b[31m`'


def _node(node_id: int, path: str, sha: str = "") -> StoredArtifact:
    return StoredArtifact(id=node_id, path=path, member="", sha256=sha, format="unknown", size=None, first_seen=None)


def _graph(hostile: str = HOSTILE) -> LineageGraph:
    nodes = {1: _node(1, "/data/raw.csv", "11" * 32), 2: _node(2, "/data/clean.csv"), 3: _node(3, "/m/model.pkl"),
             4: _node(4, hostile)}  # fmt: skip
    edges = (
        GraphEdge(from_id=1, to_id=2, relation="redacted-from", source="mlwarden", params={"operation": "redact"}),
        GraphEdge(from_id=2, to_id=3, relation="trained-on", source="dvc", params={"stage": "train"}),
        GraphEdge(from_id=3, to_id=4, relation="derived-from", source="manual"),
    )
    return LineageGraph(focus=(3,), nodes=nodes, edges=edges)


def test_console_tree() -> None:
    text = render_tree(_graph("/m/quantized.pkl"))
    assert text.splitlines() == [
        "/m/model.pkl (not hashed)",
        "├── made from",
        "│   └── ← /data/clean.csv (not hashed) trained-on (dvc train)",
        "│       └── ← /data/raw.csv (sha256 111111111111) redacted-from (mlwarden redact)",
        "└── used by",
        "    └── → /m/quantized.pkl (not hashed) derived-from (manual)",
    ]


def test_console_tree_shows_control_characters_escaped_and_marks_cycles() -> None:
    graph = _graph()
    text = render_tree(graph)
    assert "\x1b" not in text and "\\x1b" in text
    assert "\\n%%" in text
    cyclic = LineageGraph(focus=(1,), nodes={1: _node(1, "/a"), 2: _node(2, "/b")},
                          edges=(GraphEdge(from_id=1, to_id=2, relation="derived-from", source="manual"),
                                 GraphEdge(from_id=2, to_id=1, relation="derived-from", source="manual")))  # fmt: skip
    assert "(cycle)" in render_tree(cyclic)
    lonely = LineageGraph(focus=(1,), nodes={1: _node(1, "/a")}, edges=())
    assert "no recorded lineage" in render_tree(lonely)


def test_mermaid_escapes_hostile_names() -> None:
    text = render_mermaid(_graph())
    lines = text.splitlines()
    assert lines[0] == "graph LR"
    # Structure survives: exactly one line per node, per edge and per focus style.
    assert len(lines) == 1 + 4 + 3 + 1
    hostile_line = next(line for line in lines if line.startswith("    n4["))
    label = hostile_line[len('    n4["') : -len('"]')]
    assert '"' not in label and "<img" not in label and "[" not in label and "\n" not in label and "`" not in label
    assert "#34;" in label and "#60;img" in label
    assert re.fullmatch(r'    n4\["[^"\[\]<>`]*"\]', hostile_line.replace("<br/>", ""))
    assert '    n2 -->|"trained-on (dvc train)"| n3' in lines


def test_markdown_and_html_wrap_safely() -> None:
    markdown = render_markdown(_graph(), HOSTILE)
    assert markdown.count("```") == 2
    assert "<img" not in markdown
    html_page = render_html(_graph(), HOSTILE)
    assert "<img" not in html_page and "&lt;img" in html_page
    assert html_page.count("<pre") == 1


def test_json_document() -> None:
    document = json.loads(render_json(_graph()))
    assert document["version"] == 1
    assert document["focus"] == [3]
    assert [n["id"] for n in document["nodes"]] == [1, 2, 3, 4]
    assert document["nodes"][0]["sha256"] == "11" * 32
    assert document["edges"][0] == {"from": 1, "to": 2, "relation": "redacted-from", "source": "mlwarden",
                                    "params": {"operation": "redact"}, "created_at": None}  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_escaped_mermaid_text_is_always_inert(text: str) -> None:
    escaped = escape_mermaid(text)
    assert not set(escaped) & set('"[]{}<>|`\n\r;%') - {";"}
    assert all(part.isdigit() for part in re.findall(r"#([^;]*);", escaped))
