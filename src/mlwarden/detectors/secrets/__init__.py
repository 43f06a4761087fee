"""Secret detection: provider-specific key formats, private keys, credential URLs, assignments."""

from mlwarden.detectors.secrets.detector import find_secrets

__all__ = ["find_secrets"]
