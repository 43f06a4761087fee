"""Fuzzing the service's parsers: hostile JSON into every adapter, random bytes into the SSE parser.

Each either succeeds or refuses with a GuardRejection (a clean 4xx/5xx); any other exception would be
a 500 and a bug.
"""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mlwarden.guard.config import HardeningConfig, RouteConfig, UpstreamKind
from mlwarden.guard.upstreams import ADAPTERS
from mlwarden.guard.upstreams.base import GuardRejection
from mlwarden.guard.upstreams.body import parse_json
from mlwarden.guard.upstreams.stream import SSEParser
from mlwarden.guard.upstreams.tabular import check_rows, check_schema

_scalars = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats(allow_nan=False) | st.text(max_size=20)
_keys = st.sampled_from(
    [
        "messages",
        "content",
        "prompt",
        "role",
        "type",
        "text",
        "n",
        "max_tokens",
        "stream",
        "dataframe_split",
        "dataframe_records",
        "instances",
        "inputs",
        "columns",
        "data",
        "shape",
        "datatype",
        "name",
        "f0",
        "f1",
        "outputs",
        "choices",
        "message",
        "predictions",
        "rows",
    ]
)
_json = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(_keys, inner, max_size=5), max_leaves=30
)


def _route(kind: UpstreamKind) -> RouteConfig:
    return RouteConfig.model_validate(
        {
            "path": "/x",
            "kind": kind,
            "upstream": "http://127.0.0.1:1",
            "features": [{"name": "f0", "min": 0, "max": 1}, {"name": "f1", "categories": ["a", "b"]}],
            "text_fields": ["prompt", "messages.*.content"],
            "output_text_fields": ["choices.*.text"],
            "json_schema": {"type": "object", "properties": {"n": {"type": "integer", "maximum": 3}}},
        }
    )


_ROUTES = {kind: _route(kind) for kind in UpstreamKind}


def _survives(call: Any) -> None:
    with contextlib.suppress(GuardRejection):
        call()


@settings(max_examples=300, deadline=None)
@given(body=_json, kind=st.sampled_from(list(UpstreamKind)))
def test_adapters_never_crash(body: Any, kind: UpstreamKind) -> None:
    route, adapter = _ROUTES[kind], ADAPTERS[kind]

    def request() -> None:
        check_schema(body, route.json_schema or {})
        prepared = adapter.prepare(body, route)
        if prepared.rows is not None:
            check_rows(prepared.rows, route)
        for slot in prepared.slots:
            slot.set(slot.text + "")

    def response() -> None:
        for slot in adapter.output_slots(body, route):
            slot.set(slot.text)
        adapter.harden(body, HardeningConfig())

    _survives(request)
    _survives(response)


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=300))
def test_parse_json_never_crashes(raw: bytes) -> None:
    _survives(lambda: parse_json(raw))


@settings(max_examples=200, deadline=None)
@given(chunks=st.lists(st.binary(max_size=64), max_size=8))
def test_sse_parser_only_raises_value_error(chunks: list[bytes]) -> None:
    parser = SSEParser()
    with contextlib.suppress(ValueError):
        for chunk in chunks:
            assert isinstance(parser.feed(chunk), list)
