"""What the guard decided about one piece of text, and why.

A Decision is the contract between the pipeline (pure, no HTTP), the ASGI service, the CLI
(`mlwarden guard check`) and the audit log: all of them read only these values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Action", "Decision", "Reason"]


class Action(StrEnum):
    """Allow the text as is, pass it on with spans redacted, or refuse it."""

    ALLOW = "allow"
    REDACT = "redact"
    BLOCK = "block"


@dataclass(frozen=True, slots=True, kw_only=True)
class Reason:
    """One cause of a decision: which rule, what kind of match, where, how sure.

    ``start``/``end`` are character offsets in the text that was checked (None for whole-request
    reasons such as a rate limit). ``message`` is safe to show a client: it never echoes a secret.
    """

    rule_id: str
    kind: str
    message: str
    confidence: float = 1.0
    start: int | None = None
    end: int | None = None
    subtype: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """The verdict on one text: ``text`` is the redacted text when ``action`` is REDACT, else None."""

    action: Action
    reasons: tuple[Reason, ...] = ()
    text: str | None = None
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def blocked(self) -> bool:
        """Whether the request or response must not go through."""
        return self.action is Action.BLOCK

    def to_json(self) -> dict[str, object]:
        """The JSON line form used by ``mlwarden guard check`` and the audit log."""
        out: dict[str, object] = {
            "decision": self.action.value,
            "reasons": [
                {
                    key: value
                    for key, value in {
                        "rule_id": r.rule_id,
                        "kind": r.kind,
                        "subtype": r.subtype,
                        "message": r.message,
                        "confidence": round(r.confidence, 3),
                        "start": r.start,
                        "end": r.end,
                    }.items()
                    if value is not None
                }
                for r in self.reasons
            ],
        }
        if self.action is Action.REDACT and self.text is not None:
            out["text"] = self.text
        return out
