"""A self-contained HTML report for people: one file, no network, safe to open from anywhere.

Every string from a scan goes through Jinja2 with ``autoescape=True`` (and through
``sanitize_terminal`` so control characters are visible rather than silently dropped). The page
loads nothing: CSS and the small filter script are inline, and a Content-Security-Policy with
their SHA-256 hashes (``default-src 'none'``) stops anything else from running or loading even if
an escaping bug ever let markup through.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import jinja2
from markupsafe import Markup

from mlwarden.core.findings import Finding, ScanError, ScanResult, Stage, SuppressedFinding
from mlwarden.core.rules import RuleSet
from mlwarden.report.base import ReportOptions
from mlwarden.report.sanitize import sanitize_terminal
from mlwarden.report.summary import SEVERITIES_DESC, by_stage_and_severity, display_order, iso_utc

__all__ = ["render"]

_TEMPLATE = "report.html.j2"


@dataclass(frozen=True, slots=True)
class _Assets:
    css: Markup
    js: Markup
    csp: str


def _csp_hash(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


@cache
def _assets() -> _Assets:
    """Our own CSS and script (trusted, so marked safe) and the CSP that allows exactly them."""
    folder = files("mlwarden.report") / "templates"
    css = (folder / "report.css").read_text(encoding="utf-8")
    js = (folder / "filter.js").read_text(encoding="utf-8")
    csp = (
        f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return _Assets(css=Markup(css), js=Markup(js), csp=csp)  # noqa: S704 - our packaged files


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("mlwarden.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _clean(text: str) -> str:
    """Control characters made visible, but line breaks kept for ``<pre>`` blocks."""
    return "\n".join(sanitize_terminal(line) for line in text.splitlines())


def _finding(finding: Finding, rules: RuleSet) -> dict[str, Any]:
    rule = rules.get(finding.rule_id)
    return {
        "severity": finding.severity.label,
        "rule_id": finding.rule_id,
        "title": _clean(rule.title if rule else finding.title),
        "risk_id": finding.risk_id,
        "stage": finding.stage.value,
        "location": _clean(finding.location.display()),
        "message": _clean(finding.message),
        "evidence": _clean(finding.evidence),
        "remediation": _clean(finding.remediation or (rule.remediation if rule else "")),
    }


def _error(error: ScanError) -> dict[str, str]:
    where = error.path + (f"!/{error.member}" if error.member else "")
    return {
        "location": _clean(where),
        "kind": error.kind.value,
        "message": _clean(error.message),
        "hint": _clean(error.hint),
    }


def _suppressed(item: SuppressedFinding) -> dict[str, str]:
    finding = item.finding
    return {
        "severity": finding.severity.label,
        "rule_id": finding.rule_id,
        "location": _clean(finding.location.display()),
        "message": _clean(finding.message),
        "reason": _clean(item.reason),
        "expires": _clean(item.expires or "never"),
    }


def _summary(result: ScanResult) -> dict[str, Any]:
    counts = result.count_by_severity()
    cards = [{"css": s.label, "label": s.label, "count": counts[s]} for s in SEVERITIES_DESC]
    cards += [
        {"css": "other", "label": label, "count": count}
        for label, count in (
            ("suppressed", len(result.suppressed)),
            ("errors", len(result.errors)),
            ("artifacts", len(result.artifacts)),
        )
    ]
    matrix = by_stage_and_severity(result.findings)
    rows = [
        {"stage": stage.value, "counts": list(matrix[stage].values()), "total": sum(matrix[stage].values())}
        for stage in Stage
        if any(matrix[stage].values())
    ]
    return {"cards": cards, "matrix": rows, "severity_labels": [s.label for s in SEVERITIES_DESC]}


def _context(result: ScanResult, rules: RuleSet, options: ReportOptions) -> dict[str, Any]:
    assets = _assets()
    targets = [_clean(target) for target in result.targets]
    seconds = max((result.finished - result.started).total_seconds(), 0.0)
    artifacts = [
        {
            "location": _clean(a.path + (f"!/{a.member}" if a.member else "")),
            "format": _clean(a.format),
            "size": a.size,
            "sha256": a.sha256 or "",
        }
        for a in result.artifacts
    ]
    return {
        "css": assets.css,
        "js": assets.js,
        "csp": assets.csp,
        "title_target": ", ".join(targets) or "nothing",
        "targets": targets,
        "started": iso_utc(result.started),
        "finished": iso_utc(result.finished),
        "duration": f"{seconds:.1f} s",
        "tool_version": result.tool_version,
        "findings": [_finding(finding, rules) for finding in display_order(result.findings)],
        "errors": [_error(error) for error in result.errors],
        "show_suppressed": options.show_suppressed,
        "suppressed": [_suppressed(item) for item in result.suppressed],
        "artifacts": artifacts,
        "notices": [_clean(notice) for notice in result.notices],
        **_summary(result),
    }


def render(result: ScanResult, rules: RuleSet, options: ReportOptions) -> bytes:
    """The report as one UTF-8 HTML document."""
    template = _environment().get_template(_TEMPLATE)
    return template.render(_context(result, rules, options)).encode("utf-8")
