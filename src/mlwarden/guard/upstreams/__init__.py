"""Protocol adapters, one per upstream kind; ``ADAPTERS`` maps every ``UpstreamKind`` to one.

The service's handler is protocol-agnostic: it asks the adapter for the texts and rows of a
request, and for the texts (and hardened form) of a response.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mlwarden.guard.config import HardeningConfig, RouteConfig, UpstreamKind
from mlwarden.guard.upstreams import generic, kserve, mlflow, openai
from mlwarden.guard.upstreams.base import Prepared, Slot
from mlwarden.guard.upstreams.hardening import harden

__all__ = ["ADAPTERS", "Adapter"]


@dataclass(frozen=True, slots=True)
class Adapter:
    """The three things the handler needs from a protocol."""

    prepare: Callable[[Any, RouteConfig], Prepared]
    output_slots: Callable[[Any, RouteConfig], list[Slot]]
    harden: Callable[[Any, HardeningConfig], Any]


ADAPTERS: dict[UpstreamKind, Adapter] = {
    UpstreamKind.OPENAI: Adapter(openai.prepare, openai.output_slots, harden),
    UpstreamKind.MLFLOW: Adapter(mlflow.prepare, mlflow.output_slots, harden),
    UpstreamKind.KSERVE: Adapter(kserve.prepare, kserve.output_slots, kserve.harden_response),
    UpstreamKind.GENERIC: Adapter(generic.prepare, generic.output_slots, harden),
}
