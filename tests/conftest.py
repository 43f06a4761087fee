"""Suite-wide hygiene: no test may reach the network beyond loopback."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and host != "localhost":
        try:
            if not ipaddress.ip_address(host).is_loopback:
                raise RuntimeError(f"test tried to reach {host}: only loopback is allowed")
        except ValueError as exc:
            raise RuntimeError(f"test tried to resolve {host}: only loopback is allowed") from exc
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    # Vulnerability lookups stay offline in tests (subprocesses inherit this too); tests of the
    # online client set it themselves against a local fake server.
    monkeypatch.setenv("MLWARDEN_OSV", "off")
    yield
