"""Dependency-scanner tests never reach the OSV API unless a test starts a loopback fake on purpose."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

OSV_FIXTURE = Path(__file__).parent / "data" / "osv"


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("MLWARDEN_OSV", "off")
    monkeypatch.delenv("MLWARDEN_OSV_DB", raising=False)
    monkeypatch.setenv("MLWARDEN_CACHE_DIR", str(tmp_path / "cache"))
    yield
