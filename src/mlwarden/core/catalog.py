"""The risk catalog as typed, validated data, and which rules cover each risk.

Every finding names a catalog risk id, and every report, SARIF rule and ``mlwarden risks`` answer
reads the same packaged ``catalog/risks.yaml`` through this module, so a risk's title and its
ATLAS / OWASP / DASF references are written once. The catalog holds no rule ids: coverage is
computed from a ``RuleSet`` at run time, so adding a rule can never leave the catalog stale.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from mlwarden.core.errors import ConfigError
from mlwarden.core.findings import Stage
from mlwarden.core.rules import Rule, RuleSet

__all__ = [
    "STAGE_PREFIXES",
    "AtlasData",
    "Catalog",
    "DasfRef",
    "References",
    "Risk",
    "coverage",
    "load_atlas",
    "load_catalog",
    "parse_atlas",
    "parse_catalog",
    "rules_covering",
    "unknown_atlas_ids",
    "unknown_risk_references",
]

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

STAGE_PREFIXES: Mapping[Stage, str] = {
    Stage.DESIGN: "DES",
    Stage.DATA: "DATA",
    Stage.MODEL: "MODEL",
    Stage.SERVING: "SERVE",
    Stage.PLATFORM: "PLAT",
}
_RISK_ID = re.compile(r"^(DES|DATA|MODEL|SERVE|PLAT)-\d{2}$")
_ATLAS_ID = re.compile(r"^AML\.(?:TA\d{4}|T\d{4}(?:\.\d{3})?|M\d{4})$")
_OWASP_LLM = re.compile(r"^LLM(?:0[1-9]|10)$")
_OWASP_ML = re.compile(r"^ML(?:0[1-9]|10)$")
_RISK_KEYS = frozenset({"id", "stage", "title", "description", "mitigations", "references", "automated_by"})
_REF_KEYS = frozenset({"atlas", "owasp_llm_2025", "owasp_ml_2023", "dasf"})
_SOURCE = "mlwarden/catalog/risks.yaml"


@dataclass(frozen=True, slots=True)
class DasfRef:
    """A Databricks AI Security Framework risk id; DASF renumbers between versions, so the version travels along."""

    version: str
    id: str

    def display(self) -> str:
        """``DASF 2.0 Raw Data 1.8``."""
        return f"DASF {self.version} {self.id}"


@dataclass(frozen=True, slots=True, kw_only=True)
class References:
    """Where a risk sits in the public frameworks users already report against."""

    atlas: tuple[str, ...] = ()
    owasp_llm_2025: tuple[str, ...] = ()
    owasp_ml_2023: tuple[str, ...] = ()
    dasf: tuple[DasfRef, ...] = ()

    def owasp(self) -> tuple[str, ...]:
        """OWASP ids with their list year, e.g. ``LLM01:2025``, ``ML06:2023``."""
        return (*(f"{i}:2025" for i in self.owasp_llm_2025), *(f"{i}:2023" for i in self.owasp_ml_2023))

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "atlas": list(self.atlas),
            "owasp_llm_2025": list(self.owasp_llm_2025),
            "owasp_ml_2023": list(self.owasp_ml_2023),
            "dasf": [{"version": d.version, "id": d.id} for d in self.dasf],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Risk:
    """One catalog risk: the stable id every finding points at."""

    id: str
    stage: Stage
    title: str
    description: str
    mitigations: tuple[str, ...]
    references: References
    automated_by: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output (without rule coverage, which depends on the rule set)."""
        return {
            "id": self.id,
            "stage": self.stage.value,
            "title": self.title,
            "description": self.description,
            "mitigations": list(self.mitigations),
            "references": self.references.to_dict(),
            "automated_by": self.automated_by,
        }


@dataclass(frozen=True, slots=True)
class Catalog:
    """The ordered risk catalog, looked up by id or by stage; duplicate ids are rejected."""

    risks: tuple[Risk, ...]
    atlas_version: str = ""
    _by_id: dict[str, Risk] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Risk] = {}
        for risk in self.risks:
            if risk.id in by_id:
                raise ConfigError(f"risk id {risk.id} is declared twice", source=_SOURCE, key="risks")
            by_id[risk.id] = risk
        object.__setattr__(self, "_by_id", by_id)

    def __iter__(self) -> Iterator[Risk]:
        return iter(self.risks)

    def __len__(self) -> int:
        return len(self.risks)

    def __contains__(self, risk_id: object) -> bool:
        return risk_id in self._by_id

    def get(self, risk_id: str) -> Risk | None:
        """The risk with this id (case-insensitive), or ``None``."""
        return self._by_id.get(risk_id.strip().upper())

    def ids(self) -> tuple[str, ...]:
        """Every risk id in catalog order."""
        return tuple(r.id for r in self.risks)

    def by_stage(self, stage: Stage) -> tuple[Risk, ...]:
        """The risks of one stage, in catalog order."""
        return tuple(r for r in self.risks if r.stage is stage)

    def close_ids(self, risk_id: str, limit: int = 5) -> tuple[str, ...]:
        """Ids that look like a mistyped ``risk_id``: same prefix first, then by similarity."""
        wanted = risk_id.strip().upper()
        prefix = wanted.split("-", 1)[0]
        similar = difflib.get_close_matches(wanted, self.ids(), n=limit, cutoff=0.5)
        same_prefix = [i for i in self.ids() if i.split("-", 1)[0] == prefix]
        ordered = dict.fromkeys([*similar, *same_prefix])
        return tuple(ordered)[:limit]


def _fail(message: str, key: str) -> ConfigError:
    return ConfigError(message, source=_SOURCE, key=key, hint="fix the catalog entry; risk ids are stable")


def _text(value: object, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail("expected a non-empty string", key)
    return value.strip()


def _texts(value: object, key: str, pattern: re.Pattern[str] | None = None) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail("expected a list", key)
    items = tuple(_text(item, f"{key}[{n}]") for n, item in enumerate(value))
    for n, item in enumerate(items):
        if pattern is not None and not pattern.match(item):
            raise _fail(f"{item!r} is not a valid id here", f"{key}[{n}]")
    if len(set(items)) != len(items):
        raise _fail("list holds the same id twice", key)
    return items


def _dasf(value: object, key: str) -> tuple[DasfRef, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail("expected a list of {version, id} mappings", key)
    refs: list[DasfRef] = []
    for n, item in enumerate(value):
        if not isinstance(item, dict) or set(item) != {"version", "id"}:
            raise _fail("a DASF reference needs exactly 'version' and 'id'", f"{key}[{n}]")
        where = f"{key}[{n}]"
        refs.append(DasfRef(version=_text(item["version"], f"{where}.version"), id=_text(item["id"], f"{where}.id")))
    return tuple(refs)


def _references(value: object, key: str) -> References:
    if not isinstance(value, dict):
        raise _fail("expected a mapping", key)
    unknown = set(value) - _REF_KEYS
    if unknown:
        raise _fail(f"unknown reference list(s): {', '.join(sorted(map(str, unknown)))}", key)
    return References(
        atlas=_texts(value.get("atlas"), f"{key}.atlas", _ATLAS_ID),
        owasp_llm_2025=_texts(value.get("owasp_llm_2025"), f"{key}.owasp_llm_2025", _OWASP_LLM),
        owasp_ml_2023=_texts(value.get("owasp_ml_2023"), f"{key}.owasp_ml_2023", _OWASP_ML),
        dasf=_dasf(value.get("dasf"), f"{key}.dasf"),
    )


def _risk(value: object, key: str) -> Risk:
    if not isinstance(value, dict):
        raise _fail("expected a mapping", key)
    if set(value) != _RISK_KEYS:
        missing, extra = _RISK_KEYS - set(value), set(value) - _RISK_KEYS
        raise _fail(f"missing keys {sorted(missing)}, unknown keys {sorted(map(str, extra))}", key)
    risk_id = _text(value["id"], f"{key}.id")
    if not _RISK_ID.match(risk_id):
        raise _fail(f"risk id {risk_id!r} does not look like DES|DATA|MODEL|SERVE|PLAT-NN", f"{key}.id")
    try:
        stage = Stage(value["stage"])
    except ValueError:
        choices = ", ".join(s.value for s in Stage)
        raise _fail(f"unknown stage {value['stage']!r}; expected one of: {choices}", f"{key}.stage") from None
    if risk_id.split("-", 1)[0] != STAGE_PREFIXES[stage]:
        raise _fail(f"risk {risk_id} is filed under stage '{stage.value}'", f"{key}.stage")
    return Risk(
        id=risk_id,
        stage=stage,
        title=_text(value["title"], f"{key}.title"),
        description=_text(value["description"], f"{key}.description"),
        mitigations=_texts(value["mitigations"], f"{key}.mitigations"),
        references=_references(value["references"], f"{key}.references"),
        automated_by=_text(value["automated_by"], f"{key}.automated_by"),
    )


def parse_catalog(data: object) -> Catalog:
    """Validate parsed ``risks.yaml`` data; any malformed entry raises ``ConfigError`` naming its key."""
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("risks"), list):
        raise _fail("expected 'version: 1' and a 'risks' list", "")
    frameworks = data.get("frameworks", {})
    atlas_version = frameworks.get("atlas", "") if isinstance(frameworks, dict) else ""
    risks = tuple(_risk(item, f"risks[{n}]") for n, item in enumerate(data["risks"]))
    return Catalog(risks, atlas_version=str(atlas_version))


def _read_packaged(*parts: str) -> str:
    return resources.files("mlwarden").joinpath("catalog", *parts).read_text(encoding="utf-8")


def _safe_load(text: str) -> Any:
    """``yaml.safe_load`` with the C loader when PyYAML was built with libyaml (several times faster)."""
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


@functools.cache
def load_catalog() -> Catalog:
    """The packaged catalog, parsed and validated once per process."""
    return parse_catalog(_safe_load(_read_packaged("risks.yaml")))


@dataclass(frozen=True, slots=True)
class AtlasData:
    """The ids (tactics, techniques, sub-techniques, mitigations) of one pinned MITRE ATLAS release."""

    version: str
    names: Mapping[str, str]

    def __contains__(self, atlas_id: object) -> bool:
        return atlas_id in self.names


def parse_atlas(data: object) -> AtlasData:
    """Collect every id of an ``ATLAS.yaml`` document (``matrices[].tactics|techniques|mitigations``)."""
    if not isinstance(data, dict) or not isinstance(data.get("matrices"), list):
        raise ConfigError("not an ATLAS.yaml document: no 'matrices' list", source="ATLAS.yaml")
    names: dict[str, str] = {}
    for matrix in data["matrices"]:
        for kind in ("tactics", "techniques", "mitigations"):
            for entry in matrix.get(kind, ()) if isinstance(matrix, dict) else ():
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    names[entry["id"]] = str(entry.get("name", ""))
    return AtlasData(version=str(data.get("version", "")), names=dict(sorted(names.items())))


@functools.cache
def load_atlas() -> AtlasData:
    """The packaged ATLAS release; read only by validation and tests, never on the scan path."""
    return parse_atlas(_safe_load(_read_packaged("atlas", "ATLAS.yaml")))


def unknown_atlas_ids(catalog: Catalog, atlas: AtlasData) -> tuple[tuple[str, str], ...]:
    """``(risk id, ATLAS id)`` for every ATLAS reference the pinned release does not define."""
    return tuple((r.id, a) for r in catalog for a in r.references.atlas if a not in atlas)


def rules_covering(risk_id: str, rules: RuleSet) -> tuple[str, ...]:
    """The ids of the rules that name ``risk_id``, sorted."""
    return tuple(sorted(rule.id for rule in rules.covering(risk_id)))


def coverage(catalog: Catalog, rules: RuleSet) -> dict[str, tuple[str, ...]]:
    """Risk id -> ids of the rules covering it, for every risk in catalog order."""
    return {risk.id: rules_covering(risk.id, rules) for risk in catalog}


def unknown_risk_references(catalog: Catalog, rules: Iterable[Rule]) -> tuple[tuple[str, str], ...]:
    """``(rule id, risk id)`` for every risk a rule names that the catalog does not hold."""
    return tuple((rule.id, risk) for rule in rules for risk in rule.risk_ids if risk not in catalog)
