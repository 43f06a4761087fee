"""The packaged risk catalog: complete, well-formed, and every reference real."""

from __future__ import annotations

import copy
import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from mlwarden.artifacts.rules import ARTIFACT_RULES
from mlwarden.core.catalog import (
    Catalog,
    DasfRef,
    load_atlas,
    load_catalog,
    parse_atlas,
    parse_catalog,
    rules_covering,
    unknown_atlas_ids,
    unknown_risk_references,
)
from mlwarden.core.catalog_doc import render_markdown
from mlwarden.core.errors import ConfigError
from mlwarden.core.findings import Severity, Stage
from mlwarden.core.rules import Rule, RuleSet
from mlwarden.scanners.registry import load_registry

ROOT = Path(__file__).resolve().parents[2]
CATALOG_YAML = ROOT / "src" / "mlwarden" / "catalog" / "risks.yaml"

EXPECTED_IDS = (
    [f"DES-{n:02d}" for n in range(1, 4)]
    + [f"DATA-{n:02d}" for n in range(1, 11)]
    + [f"MODEL-{n:02d}" for n in range(1, 8)]
    + [f"SERVE-{n:02d}" for n in range(1, 11)]
    + [f"PLAT-{n:02d}" for n in range(1, 8)]
)


def _raw() -> dict[str, Any]:
    data = yaml.safe_load(CATALOG_YAML.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _rule(rule_id: str, *risks: str) -> Rule:
    return Rule(
        id=rule_id,
        title="test rule",
        severity=Severity.LOW,
        risk_ids=risks,
        stage=Stage.MODEL,
        help="help",
        remediation="fix",
    )


def _merged_rules() -> RuleSet:
    return load_registry(plugins=False).rules().merged(ARTIFACT_RULES)


# ---------------------------------------------------------------- completeness


def test_all_37_ids_present_exactly_in_order() -> None:
    catalog = load_catalog()
    assert len(EXPECTED_IDS) == 37
    assert list(catalog.ids()) == EXPECTED_IDS


def test_every_risk_is_filed_under_its_stage() -> None:
    catalog = load_catalog()
    counts = {stage: len(catalog.by_stage(stage)) for stage in Stage}
    assert counts == {Stage.DESIGN: 3, Stage.DATA: 10, Stage.MODEL: 7, Stage.SERVING: 10, Stage.PLATFORM: 7}


def test_every_risk_has_text_and_mitigations() -> None:
    for risk in load_catalog():
        assert risk.title and risk.description and risk.automated_by
        assert risk.mitigations, risk.id
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", risk.description) if s]
        assert 1 <= len(sentences) <= 3, risk.id


def test_lookup_is_case_insensitive_and_unknown_is_none() -> None:
    catalog = load_catalog()
    risk = catalog.get("serve-01")
    assert risk is not None and risk.id == "SERVE-01"
    assert catalog.get("SERVE-99") is None
    assert "SERVE-01" in catalog and "SERVE-99" not in catalog


def test_close_ids_suggest_same_prefix() -> None:
    close = load_catalog().close_ids("MODEL-99")
    assert close and all(i.startswith("MODEL-") for i in close)


def test_load_catalog_is_cached() -> None:
    assert load_catalog() is load_catalog()


def test_yaml_holds_no_rule_ids() -> None:
    assert "MW-" not in CATALOG_YAML.read_text(encoding="utf-8")


# ---------------------------------------------------------------- references


def test_packaged_atlas_matches_catalog_version() -> None:
    atlas = load_atlas()
    assert atlas.version == load_catalog().atlas_version == "5.6.0"
    assert {"AML.TA0004", "AML.T0010.001", "AML.M0005"} <= set(atlas.names)


def test_every_atlas_id_exists_in_shipped_atlas_data() -> None:
    assert unknown_atlas_ids(load_catalog(), load_atlas()) == ()


def test_known_bad_compendium_ids_are_not_used() -> None:
    used = {a for risk in load_catalog() for a in risk.references.atlas}
    # Not in ATLAS 5.6.0, or a different technique than the DASF compendium claims.
    assert not used & {"AML.T0022", "AML.T0021", "AML.T0002.000"}


def test_unknown_atlas_id_is_detected() -> None:
    data = _raw()
    data["risks"][0]["references"]["atlas"] = ["AML.T9999"]
    assert unknown_atlas_ids(parse_catalog(data), load_atlas()) == (("DES-01", "AML.T9999"),)


def test_owasp_ids_are_within_the_top_tens() -> None:
    llm = {f"LLM{n:02d}" for n in range(1, 11)}
    ml = {f"ML{n:02d}" for n in range(1, 11)}
    for risk in load_catalog():
        assert set(risk.references.owasp_llm_2025) <= llm, risk.id
        assert set(risk.references.owasp_ml_2023) <= ml, risk.id


def test_dasf_entries_carry_a_version() -> None:
    refs = [d for risk in load_catalog() for d in risk.references.dasf]
    assert refs
    for ref in refs:
        assert isinstance(ref, DasfRef)
        assert ref.version == "2.0"
        assert re.search(r"\d+\.\d+$", ref.id), ref.id


def test_every_non_design_risk_maps_to_dasf() -> None:
    for risk in load_catalog():
        if risk.stage is not Stage.DESIGN:
            assert risk.references.dasf, risk.id


def test_parse_atlas_reads_all_three_kinds() -> None:
    doc = {
        "version": "9.9",
        "matrices": [
            {
                "tactics": [{"id": "AML.TA0001", "name": "t"}],
                "techniques": [{"id": "AML.T0001.001", "name": "s"}],
                "mitigations": [{"id": "AML.M0001", "name": "m"}],
            }
        ],
    }
    atlas = parse_atlas(doc)
    assert atlas.version == "9.9"
    assert set(atlas.names) == {"AML.TA0001", "AML.T0001.001", "AML.M0001"}
    with pytest.raises(ConfigError):
        parse_atlas({"id": "ATLAS"})


# ---------------------------------------------------------------- validation


def _mutated(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    data = copy.deepcopy(_raw())
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "needle"),
    [
        (("risks", 0, "stage"), "deployment", "unknown stage"),
        (("risks", 0, "id"), "DESIGN-1", "does not look like"),
        (("risks", 0, "id"), "DES-1", "does not look like"),
        (("risks", 0, "stage"), "data", "filed under"),
        (("risks", 0, "title"), "", "non-empty"),
        (("risks", 1, "references", "atlas"), ["T0010"], "not a valid id"),
        (("risks", 3, "references", "owasp_llm_2025"), ["LLM11"], "not a valid id"),
        (("risks", 3, "references", "owasp_ml_2023"), ["ML00"], "not a valid id"),
        (("risks", 3, "references", "owasp_llm_2025"), ["LLM01:2025"], "not a valid id"),
        (("risks", 3, "references", "dasf"), [{"id": "Raw Data 1.1"}], "version"),
        (("risks", 3, "references", "cwe"), ["CWE-502"], "unknown reference"),
        (("risks", 3, "rules"), ["MW-X-001"], "unknown keys"),
        (("version",), 2, "version: 1"),
    ],
)
def test_malformed_catalog_raises_config_error(path: tuple[str | int, ...], value: object, needle: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(needle)):
        parse_catalog(_mutated(path, value))


def test_duplicate_id_raises_config_error() -> None:
    data = _raw()
    data["risks"].append(copy.deepcopy(data["risks"][0]))
    with pytest.raises(ConfigError, match="declared twice"):
        parse_catalog(data)


def test_catalog_is_frozen() -> None:
    catalog = load_catalog()
    with pytest.raises(AttributeError):
        catalog.risks = ()  # type: ignore[misc]
    assert isinstance(catalog, Catalog)


# ---------------------------------------------------------------- rule coverage


def test_every_rule_points_at_a_known_risk() -> None:
    rules = _merged_rules()
    assert len(rules) >= len(ARTIFACT_RULES)
    assert unknown_risk_references(load_catalog(), rules) == ()


def test_a_rule_naming_an_unknown_risk_is_caught() -> None:
    rules = _merged_rules().merged([_rule("MW-TEST-001", "MODEL-07", "MODEL-99")])
    assert unknown_risk_references(load_catalog(), rules) == (("MW-TEST-001", "MODEL-99"),)


def test_rules_covering_is_sorted_and_exact() -> None:
    rules = RuleSet([_rule("MW-B-002", "SERVE-01"), _rule("MW-A-001", "SERVE-01", "DATA-01"), _rule("MW-C-003", "X-1")])
    assert rules_covering("SERVE-01", rules) == ("MW-A-001", "MW-B-002")
    assert rules_covering("DATA-01", rules) == ("MW-A-001",)
    assert rules_covering("PLAT-07", rules) == ()


# ---------------------------------------------------------------- generated doc


def test_render_markdown_has_a_table_per_stage_and_rule_ids() -> None:
    rules = RuleSet([_rule("MW-TEST-001", "SERVE-01")])
    text = render_markdown(load_catalog(), rules)
    assert text.count("| Id | Title | MITRE ATLAS | OWASP | DASF | Rules |") == 5
    serve_row = next(line for line in text.splitlines() if line.startswith("| SERVE-01 |"))
    assert "`MW-TEST-001`" in serve_row and "AML.T0051" in serve_row and "LLM01:2025" in serve_row
    assert text == render_markdown(load_catalog(), rules)


def test_committed_catalog_doc_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    gen_docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen_docs)
    committed = gen_docs.CATALOG_DOC.read_text(encoding="utf-8")
    assert committed == gen_docs.generate(), "docs/catalog.md is stale: run `python scripts/gen_docs.py`"
