"""``GuardPolicy``: what the guard checks in each direction and what it does about it.

Loaded from the ``detection``, ``input`` and ``output`` sections of ``guard.yaml`` (other sections
belong to the service: upstreams, auth, limits) with the bounded YAML loader; an unknown key or a
bad value is a ``ConfigError`` naming the file, key and line. ``GuardPolicy.default()`` is the
documented default: injection blocked, personal data and secrets redacted in both directions,
system-prompt leakage blocked and unexpected contacts flagged in outputs (docs/guard.md).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mlwarden.core.errors import ConfigError
from mlwarden.core.yaml_loader import load_yaml

__all__ = [
    "DetectionPolicy",
    "DirectionPolicy",
    "GuardPolicy",
    "HardeningPolicy",
    "InjectionPolicy",
    "OutputPolicy",
    "PiiPolicy",
    "SecretsPolicy",
    "ValidationPolicy",
]

PiiAction = Literal["redact", "block", "flag", "off"]
_SECTIONS = ("detection", "input", "output")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InjectionPolicy(_Model):
    """Block (or only flag) texts whose injection score reaches ``threshold``."""

    action: Literal["block", "flag", "off"] = "block"
    threshold: float = Field(default=0.5, ge=0.0, le=1.0)


class PiiPolicy(_Model):
    """Personal data: one action for every kind, overridden per kind (``kinds: {EMAIL: block}``).

    Organisation identifiers (``ORG_ID``: company INN, OGRN, KPP) are public registry data and are
    never redacted or blocked, whatever this says.
    """

    action: PiiAction = "redact"
    kinds: dict[str, PiiAction] = Field(default_factory=dict)
    min_confidence: float = Field(default=0.5, ge=0.0, le=1.0)

    def action_for(self, kind: str) -> PiiAction:
        """The action for one detector kind."""
        return self.kinds.get(kind, self.action)


class SecretsPolicy(_Model):
    """Credentials (API keys, private keys, connection URLs): redact or block."""

    action: PiiAction = "redact"


class DirectionPolicy(_Model):
    """The checks on one direction (requests to the model, or its responses)."""

    injection: InjectionPolicy = InjectionPolicy()
    pii: PiiPolicy = PiiPolicy()
    secrets: SecretsPolicy = SecretsPolicy()
    max_chars: int = Field(default=100_000, ge=1)


class ValidationPolicy(_Model):
    """Output validation: the response must be JSON matching ``json_schema``, or fully match a regex."""

    json_schema: dict[str, Any] | None = None
    regex_allowlist: tuple[str, ...] = ()
    action: Literal["block", "flag"] = "block"


class HardeningPolicy(_Model):
    """Classifier-output hardening against model extraction: fewer classes, coarser scores, no logits."""

    top_k: int | None = Field(default=None, ge=1)
    round_digits: int | None = Field(default=None, ge=0, le=10)
    strip_logits: bool = False


class OutputPolicy(DirectionPolicy):
    """Response checks: the direction checks plus validation, leakage and unexpected contacts."""

    injection: InjectionPolicy = InjectionPolicy(action="flag")
    validation: ValidationPolicy = ValidationPolicy()
    system_prompt_leak: Literal["block", "flag", "off"] = "block"
    leak_min_chars: int = Field(default=40, ge=8)
    unexpected_contacts: Literal["block", "flag", "off"] = "flag"
    contact_allowlist: tuple[str, ...] = ()
    hardening: HardeningPolicy = HardeningPolicy()


class DetectionPolicy(_Model):
    """Shared detection settings: the classifier, redaction style and the system prompt to protect."""

    classifier: bool = True
    redaction: Literal["placeholder", "mask"] = "placeholder"
    system_prompt: str | None = None


class GuardPolicy(_Model):
    """The whole guard policy (see docs/guard.md for every key)."""

    detection: DetectionPolicy = DetectionPolicy()
    input: DirectionPolicy = DirectionPolicy()
    output: OutputPolicy = OutputPolicy()

    @classmethod
    def default(cls) -> GuardPolicy:
        """Injection blocked on input (flagged on output), personal data and secrets redacted both ways."""
        return cls()

    @classmethod
    def from_mapping(cls, data: Any, *, source: str = "<policy>", lines: Any = None) -> GuardPolicy:
        """Validate the guard sections of a parsed ``guard.yaml`` (other top-level keys are ignored)."""
        if data is None:
            return cls.default()
        if not isinstance(data, dict):
            raise ConfigError("guard policy must be a mapping", source=source)
        sections = {key: value for key, value in data.items() if key in _SECTIONS}
        try:
            return cls.model_validate(sections)
        except ValidationError as exc:
            error = exc.errors()[0]
            path = tuple(error["loc"])
            raise ConfigError(
                error["msg"],
                source=source,
                key=".".join(str(part) for part in path),
                line=lines(path) if lines is not None else None,
                hint="see docs/guard.md for every key",
            ) from None

    @classmethod
    def from_yaml(cls, text: str, *, source: str = "guard.yaml") -> GuardPolicy:
        """Parse ``guard.yaml`` text with the bounded loader and validate it."""
        document = load_yaml(text, source=source, unique_keys=True)
        return cls.from_mapping(document.data, source=source, lines=document.line_of)
