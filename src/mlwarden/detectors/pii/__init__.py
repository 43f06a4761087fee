"""Personal data (EN and Russian 152-FZ) and organisation identifiers, validated rather than guessed."""

from mlwarden.detectors.pii.detector import PII_KINDS, find_pii

__all__ = ["PII_KINDS", "find_pii"]
