"""``mlwarden risks``: the risk catalog with its framework references and the rules covering each risk.

The command only formats: the catalog, its validation and the coverage computation live in
``mlwarden.core.catalog`` so reports and docs give the same answers.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mlwarden.artifacts.rules import ARTIFACT_RULES
from mlwarden.core.catalog import Catalog, Risk, load_catalog, rules_covering
from mlwarden.core.errors import UsageError
from mlwarden.core.rules import Rule, RuleSet
from mlwarden.scanners.registry import load_registry

__all__ = ["all_rules", "risks_command"]

_FORMATS = ("table", "json")


def all_rules(*, plugins: bool = True) -> RuleSet:
    """Every rule mlwarden can report: scanners, containers, signature verification and the guard.

    ``plugins=False`` keeps to built-in scanners, so generated docs do not depend on what is installed.
    """
    from mlwarden.guard.injection.rules import INJECTION_RULES
    from mlwarden.guard.output import OUTPUT_RULES
    from mlwarden.integrity.rules import INTEGRITY_RULES

    rules = load_registry(plugins=plugins).rules().merged(ARTIFACT_RULES)
    return rules.merged([*INTEGRITY_RULES, *INJECTION_RULES, *OUTPUT_RULES])


def _risk_data(risk: Risk, rules: RuleSet) -> dict[str, Any]:
    return {**risk.to_dict(), "rules": list(rules_covering(risk.id, rules))}


def _references_text(risk: Risk) -> str:
    refs = risk.references
    parts = [*refs.atlas, *refs.owasp(), *(d.display() for d in refs.dasf)]
    return ", ".join(parts) or "-"


def _lookup(catalog: Catalog, risk_id: str) -> Risk:
    risk = catalog.get(risk_id)
    if risk is None:
        close = catalog.close_ids(risk_id)
        hint = f"did you mean: {', '.join(close)}? " if close else ""
        raise UsageError(
            f"unknown risk or rule id {risk_id!r}",
            hint=f"{hint}run 'mlwarden risks' to list all ids; rule ids are listed in docs/rules.md",
        )
    return risk


def _print_table(catalog: Catalog, rules: RuleSet) -> None:
    table = Table(title=f"mlwarden risk catalog ({len(catalog)} risks)")
    table.add_column("id", no_wrap=True)
    table.add_column("stage", no_wrap=True)
    table.add_column("title")
    table.add_column("references")
    table.add_column("rules")
    for risk in catalog:
        covering = ", ".join(rules_covering(risk.id, rules)) or "-"
        table.add_row(risk.id, risk.stage.value, risk.title, _references_text(risk), covering)
    Console(highlight=False).print(table)


def _print_risk(risk: Risk, rules: RuleSet) -> None:
    refs = risk.references
    out = Console(highlight=False)
    out.print(f"[bold]{risk.id}[/]  {escape(risk.title)}  [dim]({risk.stage.value})[/]", markup=True)
    out.print(risk.description, markup=False)
    out.print("\n[bold]Mitigations[/]", markup=True)
    for item in risk.mitigations:
        out.print(f"  - {item}", markup=False)
    out.print("\n[bold]References[/]", markup=True)
    out.print(f"  MITRE ATLAS: {', '.join(refs.atlas) or '-'}", markup=False)
    out.print(f"  OWASP: {', '.join(refs.owasp()) or '-'}", markup=False)
    out.print(f"  DASF: {', '.join(d.display() for d in refs.dasf) or '-'}", markup=False)
    out.print("\n[bold]How mlwarden checks it[/]", markup=True)
    out.print(f"  {risk.automated_by}", markup=False)
    out.print(f"  rules: {', '.join(rules_covering(risk.id, rules)) or '- (no rule yet)'}", markup=False)


def _rule_data(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": rule.title,
        "severity": rule.severity.label,
        "stage": rule.stage.value,
        "risks": list(rule.risk_ids),
        "help": rule.help,
        "remediation": rule.remediation,
        "cwe": rule.cwe,
    }


def _print_rule(rule: Rule) -> None:
    out = Console(highlight=False)
    out.print(f"[bold]{rule.id}[/]  {escape(rule.title)}  [dim]({rule.severity.label}, {rule.stage.value})[/]")
    out.print(rule.help, markup=False)
    out.print("\n[bold]Remediation[/]", markup=True)
    out.print(f"  {rule.remediation}", markup=False)
    out.print(f"\n  risks: {', '.join(rule.risk_ids)} (mlwarden risks ID for each)", markup=False)
    if rule.cwe:
        out.print(f"  CWE: {rule.cwe}", markup=False)


def _show_one(catalog: Catalog, rules: RuleSet, wanted: str, output_format: str) -> None:
    """One risk by id, or one rule by id (``mlwarden risks MW-K8S-001``)."""
    rule = rules.get(wanted.upper())
    if rule is not None:
        if output_format == "json":
            typer.echo(json.dumps(_rule_data(rule), indent=2, ensure_ascii=False))
        else:
            _print_rule(rule)
        return
    risk = _lookup(catalog, wanted)
    if output_format == "json":
        typer.echo(json.dumps(_risk_data(risk, rules), indent=2, ensure_ascii=False))
    else:
        _print_risk(risk, rules)


def risks_command(
    risk_id: Annotated[
        str | None,
        typer.Argument(help="A risk id such as SERVE-01, or a rule id such as MW-K8S-001; omit to list all."),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="Output format: table or json.")] = "table",
) -> None:
    """Show the risk catalog: ids, stages, ATLAS / OWASP / DASF references and the rules covering each risk."""
    if output_format not in _FORMATS:
        raise UsageError(f"unknown format {output_format!r}", hint=f"use one of: {', '.join(_FORMATS)}")
    catalog, rules = load_catalog(), all_rules()
    if risk_id is not None:
        _show_one(catalog, rules, risk_id, output_format)
    elif output_format == "json":
        typer.echo(json.dumps([_risk_data(r, rules) for r in catalog], indent=2, ensure_ascii=False))
    else:
        _print_table(catalog, rules)
