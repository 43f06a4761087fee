"""Which address a request really comes from, when the guard sits behind a reverse proxy.

Behind a proxy every request arrives from the proxy's address, so per-IP buckets would throttle
all clients as one and the audit log would name the proxy. ``X-Forwarded-For`` carries the chain,
but any client can write the header, so it is believed only when the peer is a configured trusted
proxy, and then read from the right: each trusted hop appended the address it saw, and the first
address from the right that is not a trusted proxy is the client. Entries further left were written
by that client and are never used.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

__all__ = ["ClientAddress", "parse_networks"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_MAX_HOPS = 32  # a longer header is junk or an attack; the peer's own address is used instead


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """CIDRs or single addresses (``10.0.0.0/8``, ``127.0.0.1``, ``::1``); ``ValueError`` names a bad one."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class ClientAddress:
    """Resolves the client address of a request from its peer and ``X-Forwarded-For`` headers."""

    def __init__(self, trusted: Sequence[Network] = ()) -> None:
        self.trusted = tuple(trusted)

    def _is_trusted(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address.version == net.version and address in net for net in self.trusted)

    def resolve(self, peer: str | None, forwarded_for: Sequence[str] = ()) -> str:
        """The client address: the peer's, unless the peer is a trusted proxy that forwarded a chain."""
        peer_address = _address(peer or "")
        if peer_address is None:
            return peer or "unknown"
        if not self.trusted or not self._is_trusted(peer_address) or not forwarded_for:
            return str(peer_address)
        hops = [part for header in forwarded_for for part in header.split(",")]
        if len(hops) > _MAX_HOPS:
            return str(peer_address)
        client = peer_address
        for hop in reversed(hops):
            address = _address(hop)
            if address is None:  # a garbled entry: nothing left of it can be trusted
                break
            client = address
            if not self._is_trusted(address):
                break
        return str(client)
