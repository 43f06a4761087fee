"""PERSON and ADDRESS (placeholder until the dictionary lands)."""

from __future__ import annotations

from collections.abc import Iterator

from mlwarden.detectors.base import Match

__all__ = ["find_addresses", "find_persons"]


def find_persons(text: str) -> Iterator[Match]:
    """Person names."""
    return iter(())


def find_addresses(text: str) -> Iterator[Match]:
    """Postal addresses."""
    return iter(())
