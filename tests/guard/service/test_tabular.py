"""Tabular routes: feature ranges, schema, row caps, output hardening, KServe metadata stripping."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from mlwarden.guard.config import HardeningConfig
from mlwarden.guard.upstreams.base import GuardRejection
from mlwarden.guard.upstreams.hardening import harden, harden_vector
from mlwarden.guard.upstreams.tabular import check_schema

from .conftest import AUTH, base_config, make_client

pytestmark = pytest.mark.anyio


async def test_mlflow_in_range_is_hardened(client: httpx.AsyncClient) -> None:
    body = {"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2], [3, 4]]}}
    response = await client.post("/invocations", json=body, headers=AUTH)
    assert response.status_code == 200
    data = response.json()
    assert data["predictions"] == [[0.0, 0.65, 0.0], [0.0, 0.65, 0.0]]
    assert "logits" not in data


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"dataframe_split": {"columns": ["a", "b"], "data": [[1, 99]]}}, "feature_out_of_range"),
        ({"dataframe_records": [{"a": 1, "b": 2, "c": 3}]}, "schema_violation"),
        ({"dataframe_records": [{"a": 1}]}, "schema_violation"),
        ({"instances": [[1, "x"]]}, "schema_violation"),
        ({"instances": [[1, 2]], "inputs": [[1, 2]]}, "invalid_request"),
        ({"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2]] * 1001}}, "too_many_rows"),
    ],
)
async def test_mlflow_invalid_rows_refused(client: httpx.AsyncClient, body: object, code: str) -> None:
    response = await client.post("/invocations", json=body, headers=AUTH)
    assert response.status_code in (400, 413, 422)
    assert response.json()["error"]["code"] == code


async def test_kserve_hardening_strips_metadata(client: httpx.AsyncClient) -> None:
    body = {"inputs": [{"name": "x", "shape": [1, 2], "datatype": "FP32", "data": [1.0, 2.0]}]}
    response = await client.post("/v2/models/iris/infer", json=body, headers=AUTH)
    data = response.json()
    assert "model_version" not in data
    assert [o["name"] for o in data["outputs"]] == ["probabilities"]
    assert data["outputs"][0]["data"] == [0.0, 0.7, 0.2]


async def test_json_schema_on_route(tmp_path: Path) -> None:
    config = base_config(tmp_path)
    config["routes"][3]["json_schema"] = {
        "type": "object",
        "required": ["prompt"],
        "additionalProperties": False,
        "properties": {"prompt": {"type": "string", "maxLength": 10}},
    }
    async with make_client(config) as client:
        assert (await client.post("/generic", json={"prompt": "short"})).status_code == 200
        too_long = await client.post("/generic", json={"prompt": "x" * 11})
        extra = await client.post("/generic", json={"prompt": "a", "debug": True})
    assert too_long.status_code == 422 and extra.status_code == 422


def test_harden_vector_and_mapping() -> None:
    config = HardeningConfig(top_k=2, round_digits=1)
    assert harden_vector([0.05, 0.7, 0.25], config) == [0.0, 0.7, 0.2]
    assert harden({"cat": 0.61, "dog": 0.3, "emu": 0.09}, config) == {"cat": 0.6, "dog": 0.3}
    assert harden_vector([0.2, 0.8], HardeningConfig(labels_only=True)) == 1
    assert harden([1.5, 2.5], config) == [1.5, 2.5]  # not probabilities: left alone


def test_schema_subset_is_bounded() -> None:
    deep: dict[str, object] = {"type": "object"}
    node = deep
    for _ in range(40):
        child: dict[str, object] = {"type": "object"}
        node["properties"] = {"x": child}
        node = child
    value: dict[str, object] = {}
    cursor = value
    for _ in range(40):
        cursor["x"] = {}
        cursor = cursor["x"]  # type: ignore[assignment]
    with pytest.raises(GuardRejection):
        check_schema(value, deep)


async def test_openai_logprobs_are_not_requested_nor_returned_when_hardened(tmp_path: Path) -> None:
    seen: list[dict[str, object]] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        import json

        seen.append(json.loads(request.content))
        choice = {"message": {"content": "hi"}, "logprobs": {"content": [{"token": "hi", "logprob": -0.01}]}}
        return httpx.Response(200, json={"choices": [choice]})

    config = base_config(tmp_path)
    config["routes"][0]["hardening"] = {}
    body = {"messages": [{"role": "user", "content": "x"}], "logprobs": True, "top_logprobs": 5}
    async with make_client(config, upstream) as client:
        response = await client.post("/v1/chat/completions", json=body, headers=AUTH)
    assert "logprobs" not in seen[0] and "top_logprobs" not in seen[0]
    assert "logprobs" not in response.text
