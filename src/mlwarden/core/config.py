"""The policy file ``mlwarden.yaml``: user-facing configuration, validated at the trust boundary.

The policy configures scanners by *name* and never names code to import, because the file lives
in the repository being scanned and must not be able to run anything.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mlwarden.core.errors import ConfigError, PolicyError
from mlwarden.core.files import read_regular
from mlwarden.core.findings import Severity
from mlwarden.core.yaml_loader import load_yaml

__all__ = ["POLICY_FILENAME", "LimitsConfig", "Policy", "ScannersConfig", "Suppression", "load_policy"]

POLICY_FILENAME = "mlwarden.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Suppression(_Strict):
    """Silence one rule (or a rule glob) on paths matching a glob, for a stated reason, until a date."""

    rule: str = Field(min_length=1, description="rule id or glob, e.g. MW-PICKLE-002 or MW-SECRET-*")
    path: str = Field(default="**", description="path glob relative to the scan root; '**' matches everything")
    reason: str = Field(min_length=3, description="why this is acceptable; shown in every report")
    expires: dt.date | None = Field(default=None, description="after this date the suppression stops applying")
    fingerprint: str | None = Field(default=None, description="limit to one finding's fingerprint")


class ScannersConfig(_Strict):
    """Which scanners run and their options, keyed by scanner name."""

    enabled: list[str] | None = None
    disabled: list[str] = Field(default_factory=list)
    options: dict[str, dict[str, Any]] = Field(default_factory=dict)


class LimitsConfig(_Strict):
    """Overrides of the reader budgets (see ``mlwarden.artifacts.limits.Budget``)."""

    max_file_bytes: int | None = Field(default=None, gt=0)
    max_member_bytes: int | None = Field(default=None, gt=0)
    max_total_extracted_bytes: int | None = Field(default=None, gt=0)
    max_archive_depth: int | None = Field(default=None, ge=0)
    max_archive_members: int | None = Field(default=None, gt=0)
    max_compression_ratio: float | None = Field(default=None, gt=1)
    max_seconds_per_artifact: float | None = Field(default=None, gt=0)

    def overrides(self) -> dict[str, Any]:
        """Only the limits the user set."""
        return {key: value for key, value in self.model_dump().items() if value is not None}


class Policy(_Strict):
    """The whole ``mlwarden.yaml``."""

    version: int = Field(default=1, ge=1, le=1)
    fail_on: Severity = Severity.HIGH
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    exclude: list[str] = Field(default_factory=list, description="path globs never scanned")
    suppressions: list[Suppression] = Field(default_factory=list)
    scanners: ScannersConfig = Field(default_factory=ScannersConfig)
    limits: LimitsConfig = Field(default_factory=LimitsConfig)

    @field_validator("fail_on", mode="before")
    @classmethod
    def _severity_by_name(cls, value: Any) -> Any:
        if isinstance(value, str):
            return Severity.parse(value)
        return value


_MAX_POLICY_BYTES = 1024 * 1024
_POLICY_HINT = "pass a UTF-8 YAML file of at most 1 MiB with --policy (docs/policy.md)"


def load_policy(path: Path) -> Policy:
    """Read and validate a policy file; raise PolicyError naming the key and line of the first problem."""
    source = str(path)
    try:
        text = read_regular(path, max_bytes=_MAX_POLICY_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise PolicyError("policy file not found", source=source, hint="check the --policy path") from None
    except OSError as exc:
        detail = exc.strerror or str(exc)
        raise PolicyError(f"cannot read policy file: {detail}", source=source, hint=_POLICY_HINT) from None
    except UnicodeDecodeError as exc:
        raise PolicyError(f"not UTF-8 text: {exc.reason}", source=source, hint=_POLICY_HINT) from None
    try:
        document = load_yaml(text, source=source, unique_keys=True)
    except ConfigError as exc:
        raise PolicyError(exc.detail, source=source, line=exc.line, hint="fix the YAML syntax") from None
    data = document.data if document.data is not None else {}
    if not isinstance(data, dict):
        raise PolicyError("the policy must be a mapping of keys", source=source, line=document.line_of(()))
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        key_path = tuple(error["loc"])
        raise PolicyError(
            error["msg"],
            source=source,
            key=".".join(str(part) for part in key_path),
            line=document.line_of(key_path),
            hint="see docs/policy.md for every key",
        ) from None
