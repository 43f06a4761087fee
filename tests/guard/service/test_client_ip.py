"""The client address behind reverse proxies: X-Forwarded-For is believed only from trusted peers."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from mlwarden.guard.client_ip import ClientAddress, parse_networks
from mlwarden.guard.config import GuardConfig

from .conftest import base_config, make_client

PROXIES = ClientAddress(parse_networks(["10.0.0.0/8", "::1"]))


def test_untrusted_peer_cannot_choose_its_address() -> None:
    assert PROXIES.resolve("203.0.113.9", ["1.2.3.4"]) == "203.0.113.9"
    assert ClientAddress().resolve("10.0.0.1", ["1.2.3.4"]) == "10.0.0.1"  # no proxies configured


def test_chain_is_read_from_the_right_past_trusted_hops() -> None:
    # client wrote a fake first entry; the edge proxy appended the real client; an inner proxy its peer
    assert PROXIES.resolve("10.0.0.2", ["6.6.6.6, 198.51.100.7", "10.0.0.1"]) == "198.51.100.7"
    assert PROXIES.resolve("::1", ["[2001:db8::5]:4711"]) == "2001:db8::5"
    assert PROXIES.resolve("10.0.0.2", ["198.51.100.7:8080"]) == "198.51.100.7"


def test_all_trusted_or_garbled_chains_stop_safely() -> None:
    assert PROXIES.resolve("10.0.0.2", ["10.1.1.1, 10.2.2.2"]) == "10.1.1.1"
    assert PROXIES.resolve("10.0.0.2", ["198.51.100.7, not-an-ip"]) == "10.0.0.2"
    assert PROXIES.resolve("10.0.0.2", [", ".join(["198.51.100.7"] * 40)]) == "10.0.0.2"
    assert PROXIES.resolve(None, []) == "unknown"


@given(st.lists(st.text(max_size=40), max_size=5), st.sampled_from(["10.0.0.2", "203.0.113.9", "::1", "junk"]))
def test_any_header_gives_a_peer_or_header_address(headers: list[str], peer: str) -> None:
    result = PROXIES.resolve(peer, headers)
    if peer == "junk":
        assert result == "junk"
    else:
        ipaddress.ip_address(result)  # always an address, never header text


def test_bad_proxy_entry_is_a_config_error(tmp_path: Path) -> None:
    config = base_config(tmp_path, listen={"trusted_proxies": ["10.0.0.0/8", "proxy.internal"]})
    with pytest.raises(ValidationError, match=r"proxy\.internal"):
        GuardConfig.model_validate(config)


@pytest.mark.anyio
@pytest.mark.parametrize("trusted", [True, False])
async def test_per_ip_bucket_follows_the_forwarded_client_only_from_a_trusted_proxy(
    tmp_path: Path, trusted: bool
) -> None:
    config = base_config(tmp_path, rate_limits={"per_ip": {"rate": 0.01, "burst": 1}})
    if trusted:
        config["listen"] = {"trusted_proxies": ["127.0.0.1"]}  # httpx's ASGI transport connects as 127.0.0.1
    async with make_client(config) as client:
        statuses = [
            (await client.post("/generic", json={"prompt": "a"}, headers={"x-forwarded-for": ip})).status_code
            for ip in ("198.51.100.1", "198.51.100.2", "198.51.100.1")
        ]
    assert statuses == ([200, 200, 429] if trusted else [200, 429, 429])
