"""Rules are data kept apart from findings: a finding refers to its rule by id.

SARIF ``tool.driver.rules``, the per-rule docs and ``mlwarden risks ID`` all read the same
``RuleSet``, so a rule's help text is written once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from mlwarden.core.findings import Finding, Location, Severity, Stage

__all__ = ["Rule", "RuleSet"]

_RULE_ID = re.compile(r"^MW-[A-Z0-9]+(?:-[A-Z0-9]+)*-\d{3}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One check: its stable id, what it means, how bad it is by default and which risks it covers."""

    id: str
    title: str
    severity: Severity
    risk_ids: tuple[str, ...]
    stage: Stage
    help: str
    remediation: str
    cwe: str | None = None

    def __post_init__(self) -> None:
        if not _RULE_ID.match(self.id):
            raise ValueError(f"rule id {self.id!r} does not look like MW-<AREA>-<NNN>")
        if not self.risk_ids:
            raise ValueError(f"rule {self.id} names no risk")

    def finding(  # noqa: PLR0913 - every argument is keyword-only and named for its contract field
        self,
        *,
        location: Location,
        message: str,
        scanner: str,
        scanner_version: int,
        match_key: str,
        evidence: str = "",
        confidence: float = 1.0,
        severity: Severity | None = None,
        remediation: str | None = None,
    ) -> Finding:
        """Make a Finding of this rule; severity and remediation default to the rule's own."""
        return Finding(
            rule_id=self.id,
            risk_id=self.risk_ids[0],
            stage=self.stage,
            severity=self.severity if severity is None else severity,
            title=self.title,
            message=message,
            location=location,
            evidence=evidence,
            remediation=self.remediation if remediation is None else remediation,
            confidence=confidence,
            scanner=scanner,
            scanner_version=scanner_version,
            match_key=match_key,
        )


class RuleSet:
    """An immutable, id-indexed collection of rules; duplicate ids are a programming error."""

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        by_id: dict[str, Rule] = {}
        for rule in rules:
            known = by_id.get(rule.id)
            if known is not None and known != rule:
                raise ValueError(f"rule id {rule.id} is declared twice with different contents")
            by_id[rule.id] = rule
        self._by_id = dict(sorted(by_id.items()))

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def get(self, rule_id: str) -> Rule | None:
        """The rule with this id, or ``None``."""
        return self._by_id.get(rule_id)

    def covering(self, risk_id: str) -> tuple[Rule, ...]:
        """Every rule that names ``risk_id`` among its risks."""
        return tuple(rule for rule in self if risk_id in rule.risk_ids)

    def merged(self, other: Iterable[Rule]) -> RuleSet:
        """A new set holding these rules and ``other``."""
        return RuleSet([*self, *other])
