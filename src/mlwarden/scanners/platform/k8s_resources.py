"""Kubernetes resources that are not pods: RBAC roles and bindings, Secrets, ConfigMaps, KServe authentication.

A model platform's blast radius is set as much by who may read its Secrets or exec into its pods as by the
pods' own settings. Roles are judged rule by rule (wildcards, escalation verbs, secret reads, exec), bindings
by the role they grant and to whom.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlwarden.core.findings import Finding, Severity
from mlwarden.scanners.platform import rules as R
from mlwarden.scanners.platform.common import Emit, find_secret
from mlwarden.scanners.platform.mlserve import emit_exposures
from mlwarden.scanners.platform.yaml_docs import Doc

__all__ = ["resource_checks"]

_ROLES = frozenset({"Role", "ClusterRole"})
_BINDINGS = frozenset({"RoleBinding", "ClusterRoleBinding"})
_ESCALATING_VERBS = frozenset({"escalate", "bind", "impersonate"})
_READ_VERBS = frozenset({"get", "list", "watch", "*"})
_EXEC_RESOURCES = frozenset({"pods/exec", "pods/attach", "nodes/proxy", "pods/ephemeralcontainers"})
_BROAD_GROUPS = frozenset({"system:anonymous", "system:unauthenticated", "system:authenticated"})
_HARMLESS_ROLES = frozenset({"system:public-info-viewer", "system:discovery", "system:basic-user"})
_AUTH_ANNOTATIONS = ("security.opendatahub.io/enable-auth", "serving.kserve.io/enable-auth")
_VISIBILITY_LABELS = ("networking.kserve.io/visibility", "networking.knative.dev/visibility")
_MAX_ITEMS = 10_000


def resource_checks(doc: Doc, data: dict[str, Any], resource: str, emit: Emit) -> Iterator[Finding]:
    """Findings for one non-pod resource (nothing for kinds it does not know)."""
    kind = data.get("kind")
    if kind in _ROLES:
        yield from _role(doc, data, resource, emit)
    elif kind in _BINDINGS:
        yield from _binding(doc, data, resource, emit)
    elif kind == "Secret":
        yield from _secret(doc, data, resource, emit)
    elif kind == "ConfigMap":
        yield from _config_map(doc, data, resource, emit)
    elif kind == "InferenceService":
        yield from _kserve_auth(doc, data, resource, emit)


def _strings(value: Any) -> list[str]:
    return [str(item) for item in value[:_MAX_ITEMS]] if isinstance(value, list) else []


def _rule_risk(rule: dict[str, Any]) -> tuple[str, Severity] | None:
    """The worst thing one RBAC rule grants, and how bad it is."""
    verbs = {verb.lower() for verb in _strings(rule.get("verbs"))}
    resources = {res.lower() for res in _strings(rule.get("resources"))}
    groups = set(_strings(rule.get("apiGroups")))
    if "*" in verbs and "*" in resources:
        return "every verb on every resource", Severity.CRITICAL
    if "*" in verbs or "*" in resources:
        what = "every verb" if "*" in verbs else "every resource"
        return f"{what} ({', '.join(sorted(resources | verbs))[:120]})", Severity.HIGH
    escalating = verbs & _ESCALATING_VERBS
    if escalating:
        return f"the {', '.join(sorted(escalating))} verb", Severity.HIGH
    if "secrets" in resources and verbs & _READ_VERBS:
        return "reading secrets", Severity.MEDIUM
    if resources & _EXEC_RESOURCES and verbs & {"create", "get", "*"}:
        return f"{', '.join(sorted(resources & _EXEC_RESOURCES))}", Severity.MEDIUM
    if "*" in groups and resources:
        return "every API group", Severity.MEDIUM
    return None


def _role(doc: Doc, data: dict[str, Any], resource: str, emit: Emit) -> Iterator[Finding]:
    rules = data.get("rules")
    for index, rule in enumerate(rules[:_MAX_ITEMS] if isinstance(rules, list) else []):
        risk = _rule_risk(rule) if isinstance(rule, dict) else None
        if risk is not None:
            what, severity = risk
            yield emit(
                R.K8S_RBAC_WILDCARD,
                f"{resource} grants {what}",
                line=doc.line(("rules", index)),
                key=f"{resource}:rule:{what}",
                severity=severity,
            )


def _subject_names(subjects: Any) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for item in subjects[:_MAX_ITEMS] if isinstance(subjects, list) else []:
        if isinstance(item, dict):
            out.append((str(item.get("kind", "")), str(item.get("name", ""))))
    return out


def _binding(doc: Doc, data: dict[str, Any], resource: str, emit: Emit) -> Iterator[Finding]:
    ref = data.get("roleRef")
    role = str(ref.get("name", "")) if isinstance(ref, dict) else ""
    subjects = _subject_names(data.get("subjects"))
    broad = [name for kind, name in subjects if name in _BROAD_GROUPS]
    default_sa = any(kind == "ServiceAccount" and name == "default" for kind, name in subjects)
    if role == "cluster-admin":
        whom = ", ".join(name for _, name in subjects)[:120] or "its subjects"
        yield emit(
            R.K8S_ADMIN_BINDING,
            f"{resource} makes {whom} cluster-admin",
            line=doc.line(("roleRef", "name")),
            key=f"{resource}:cluster-admin",
            severity=Severity.CRITICAL if broad or default_sa else None,
        )
    elif broad and role not in _HARMLESS_ROLES:
        yield emit(
            R.K8S_ADMIN_BINDING,
            f"{resource} grants {role[:80]} to {', '.join(broad)}",
            line=doc.line(("subjects",)),
            key=f"{resource}:broad:{role[:80]}",
            severity=Severity.CRITICAL if "system:authenticated" not in broad else None,
        )


def _secret(doc: Doc, data: dict[str, Any], resource: str, emit: Emit) -> Iterator[Finding]:
    for field in ("stringData", "data"):
        values = data.get(field)
        if not isinstance(values, dict):
            continue
        filled = [str(key) for key, value in values.items() if _real_value(value, encoded=field == "data")]
        if filled:
            yield emit(
                R.K8S_SECRET_MANIFEST,
                f"{resource} commits {field} for {', '.join(filled[:5])[:120]}",
                line=doc.line((field,)),
                key=f"{resource}:{field}",
            )
            return


def _real_value(value: Any, *, encoded: bool) -> bool:
    if not isinstance(value, str) or len(value.strip()) < (8 if encoded else 4):
        return False
    lowered = value.lower()
    return not any(mark in lowered for mark in ("{{", "${", "<", "changeme", "replace", "placeholder", "example"))


def _config_map(doc: Doc, data: dict[str, Any], resource: str, emit: Emit) -> Iterator[Finding]:
    values = data.get("data")
    for key, value in list(values.items())[:_MAX_ITEMS] if isinstance(values, dict) else []:
        if not isinstance(value, str):
            continue
        line = doc.line(("data", str(key)))
        yield from emit_exposures(value, emit, line=line, where=f"{resource} {str(key)[:80]}")
        hit = find_secret(str(key), value) if "\n" not in value.strip() else None
        if hit is not None:
            yield emit(
                R.K8S_ENV_SECRET,
                f"{resource} key {str(key)[:80]} holds a credential ({hit.kind}); ConfigMaps are not secret",
                line=line,
                key=hit.digest,
                evidence=f"{key}={hit.masked}",
                confidence=hit.confidence,
            )


def _kserve_auth(doc: Doc, data: dict[str, Any], resource: str, emit: Emit) -> Iterator[Finding]:
    meta = data.get("metadata")
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    labels = meta.get("labels") if isinstance(meta, dict) else None
    notes = annotations if isinstance(annotations, dict) else {}
    marks = labels if isinstance(labels, dict) else {}
    if any(str(notes.get(name, "")).lower() == "true" for name in _AUTH_ANNOTATIONS):
        return
    if any(str(marks.get(name, notes.get(name, ""))).lower() == "cluster-local" for name in _VISIBILITY_LABELS):
        return
    yield emit(
        R.K8S_KSERVE_NO_AUTH,
        f"{resource} is neither cluster-local nor marked for authentication: KServe itself does not "
        "authenticate prediction requests",
        line=doc.line(("metadata",)),
        key=f"{resource}:auth",
    )
