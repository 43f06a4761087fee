"""The error tree. Library code raises these; only ``cli/main.py`` turns them into exit codes.

Each error carries a ``hint`` saying what the user can do, because an error that only says what
went wrong leaves the user to guess the fix.
"""

from __future__ import annotations

__all__ = [
    "ArtifactError",
    "BudgetExceeded",
    "ConfigError",
    "MissingExtraError",
    "MlwardenError",
    "PolicyError",
    "RegistryError",
    "SigningError",
    "StoreError",
    "UsageError",
    "VerificationError",
]


class MlwardenError(Exception):
    """Base of every error mlwarden raises on purpose."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(MlwardenError):
    """The command line asked for something that cannot be done (bad path, bad option)."""


class ConfigError(MlwardenError):
    """A configuration file is invalid; ``source``, ``key`` and ``line`` say where."""

    def __init__(
        self,
        message: str,
        *,
        source: str = "",
        key: str = "",
        line: int | None = None,
        hint: str = "",
    ) -> None:
        where = source
        if line is not None:
            where += f":{line}"
        if key:
            where += f" (key '{key}')"
        super().__init__(f"{where}: {message}" if where else message, hint=hint)
        self.detail = message
        self.source = source
        self.key = key
        self.line = line


class PolicyError(ConfigError):
    """The policy file (``mlwarden.yaml``) is invalid."""


class RegistryError(MlwardenError):
    """The scanner registry cannot be built (for example two scanners share a name)."""


class ArtifactError(MlwardenError):
    """An artifact could not be read as the format it claims to be."""


class BudgetExceeded(ArtifactError):
    """A reader hit a resource limit; the artifact is suspicious, so scanners turn this into a finding."""

    def __init__(self, resource: str, limit: int | float, actual: int | float, *, where: str = "") -> None:
        message = f"{resource} limit exceeded: {actual} > {limit}"
        if where:
            message += f" in {where}"
        super().__init__(message, hint=f"raise the '{resource}' limit in mlwarden.yaml if this artifact is trusted")
        self.resource = resource
        self.limit = limit
        self.actual = actual


class MissingExtraError(MlwardenError):
    """A deeper check needs an optional dependency that is not installed."""

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(
            f"the optional module '{module}' is not installed",
            hint=f"pip install 'mlwarden[{extra}]'",
        )
        self.module = module
        self.extra = extra


class VerificationError(MlwardenError):
    """An artifact does not match its signature, or the signature cannot be trusted.

    Verification fails closed: any doubt raises this error, never a partial success. Implementations
    (``mlwarden.integrity``) raise subclasses that list each mismatch precisely.
    """


class SigningError(MlwardenError):
    """Signing was refused or impossible: an unusable key, an unsafe tree, or a scan that failed the gate."""


class StoreError(MlwardenError):
    """The inventory database cannot be opened, reached or written (locked, unreachable, bad URL, permissions).

    Messages name the database by its URL with the password masked, never in clear.
    """
