"""Extraction-pattern detection: a sweep of the input space is flagged, normal traffic is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlwarden.guard.config import ExtractionConfig, FeatureSpec
from mlwarden.guard.extraction import ExtractionMonitor

from .conftest import AUTH, base_config, make_client

pytestmark = pytest.mark.anyio

_FEATURES = [FeatureSpec(name="a", min=0, max=10), FeatureSpec(name="b", min=0, max=10)]


def test_normal_traffic_stays_in_few_cells() -> None:
    monitor = ExtractionMonitor(ExtractionConfig(buckets=10, max_cells=20), _FEATURES)
    for i in range(500):
        assert monitor.observe("k", [[5 + (i % 3) * 0.1, 5.0]]) is None


def test_grid_sweep_is_flagged_per_key() -> None:
    monitor = ExtractionMonitor(ExtractionConfig(buckets=10, max_cells=20), _FEATURES)
    signals = [monitor.observe("attacker", [[x + 0.5, y + 0.5]]) for x in range(10) for y in range(10)]
    assert signals[-1] is not None and signals[-1].kind == "extraction-coverage"
    assert monitor.observe("someone-else", [[1, 1]]) is None


def test_volume_and_window() -> None:
    clock = [0.0]
    monitor = ExtractionMonitor(ExtractionConfig(window_seconds=60, max_queries=5), _FEATURES, clock=lambda: clock[0])
    assert all(monitor.observe("k", [[1, 1]]) is None for _ in range(5))
    signal = monitor.observe("k", [[1, 1]])
    assert signal is not None and signal.kind == "extraction-volume"
    clock[0] = 120.0
    assert monitor.observe("k", [[1, 1]]) is None


async def test_blocking_route(tmp_path: Path) -> None:
    config = base_config(tmp_path)
    config["routes"][1]["extraction"] = {"buckets": 4, "max_cells": 3, "action": "block"}
    async with make_client(config) as client:
        codes = []
        for x in range(0, 10, 2):
            response = await client.post("/invocations", json={"instances": [[x, x]]}, headers=AUTH)
            codes.append(response.status_code)
    assert codes[:3] == [200, 200, 200]
    assert codes[-1] == 429 and response.json()["error"]["code"] == "extraction_suspected"
