"""Every integrity rule names only catalog risks, and every mismatch kind has a rule."""

from __future__ import annotations

from mlwarden.core.catalog import load_catalog
from mlwarden.integrity.mismatch import Mismatch, MismatchKind
from mlwarden.integrity.rules import INTEGRITY_RULES, findings, rule_for


def test_rules_cover_every_kind_with_catalog_risks() -> None:
    catalog = load_catalog()
    for kind in MismatchKind:
        rule = rule_for(kind)
        assert rule.id.startswith("MW-INTEGRITY-")
        assert all(catalog.get(risk) is not None for risk in rule.risk_ids), rule.id
    assert len(INTEGRITY_RULES) == len(MismatchKind)


def test_findings_locations() -> None:
    made = findings(
        [Mismatch(MismatchKind.MODIFIED, "a/b.bin", "x"), Mismatch(MismatchKind.BAD_SIGNATURE, "model.sig", "y")],
        root="models/m",
    )
    assert [f.location.path for f in made] == ["models/m/a/b.bin", "model.sig"]
    assert [f.risk_id for f in made] == ["MODEL-07", "MODEL-07"]
