"""GitHub Actions workflows: what third-party code runs, with which token, on whose input.

Checks follow the public record of CI compromises: moved tags of popular actions, ``pull_request_target``
jobs that check out a fork's head ("pwn requests"), event fields expanded into scripts, secrets printed to
logs. YAML 1.1 reads the key ``on`` as the boolean ``True``; both spellings are accepted. The shared script
checks (``script_findings``) also read GitLab jobs.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import re2

from mlwarden.core.findings import Finding, Severity
from mlwarden.scanners.platform import rules as R
from mlwarden.scanners.platform.common import Emit, Pin, find_secret, image_pin, shell_risks
from mlwarden.scanners.platform.yaml_docs import Doc

__all__ = ["GATE_WORDS", "env_findings", "has_gate", "scan_github", "script_findings"]

GATE_WORDS = (
    "mlwarden", "modelscan", "picklescan", "fickling", "bandit", "pip-audit", "pip_audit", "safety check", "trivy",
    "grype", "snyk", "semgrep", "codeql", "gitleaks", "trufflehog", "detect-secrets", "checkov", "hadolint", "kics",
    "tfsec", "osv-scanner", "dependency-review-action", "zizmor", "scorecard", "anchore", "sonar", "gosec",
    "npm audit", "nancy", "clair", "dockle",
)  # fmt: skip
_UNTRUSTED = (
    r"github\.head_ref\b"
    r"|github\.event\.[A-Za-z0-9_.*\[\]'\"-]*\.(?:title|body|message|page_name|label|email|head_branch|default_branch)\b"
    r"|github\.event\.[A-Za-z0-9_.*\[\]'\"-]*head\.ref\b"
    r"|github\.event\.[A-Za-z0-9_.*\[\]'\"-]*author\.name\b"
)
_EXPRESSION = r"\$\{\{([^}]{1,500})\}\}"
_ECHO = r"(?i)(?:^|[;&|(]|\s)(?:echo|printf|print|write-output|write-host|cat)\b([^\n]*)"
_CREDENTIAL_USE = (
    r"(?i)\$\{\{\s*(?:secrets\.|toJSON\(\s*secrets)"
    r"|\$\{?(?:[A-Z0-9_]*(?:TOKEN|PASSWORD|SECRET|API_KEY|PRIVATE_KEY)[A-Z0-9_]*)\b"
)
_PRIVILEGED_TRIGGERS = frozenset({"pull_request_target", "workflow_run", "issue_comment"})
_PR_TRIGGERS = frozenset({"pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"})
_ENV_DUMP = r"(?m)^\s*(?:env|printenv|export\s+-p|set)\s*$|(?:^|[;&|]\s*)(?:env|printenv)\s*(?:$|[;&|])"
_HEAD_REFS = ("github.event.pull_request.head", "github.head_ref", "github.event.workflow_run.head", "refs/pull/")
_SHA = r"^[0-9a-f]{40}$"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    options = re2.Options()
    options.max_mem = 16 << 20
    sources = {
        "untrusted": _UNTRUSTED,
        "expr": _EXPRESSION,
        "echo": _ECHO,
        "secret": _CREDENTIAL_USE,
        "sha": _SHA,
        "dump": _ENV_DUMP,
    }
    return {name: re2.compile(pattern, options) for name, pattern in sources.items()}


def has_gate(texts: list[str]) -> bool:
    """Whether any step, script, image or include names a known security scanner."""
    joined = "\n".join(texts).lower()
    return any(word in joined for word in GATE_WORDS)


def script_findings(script: str, emit: Emit, *, line: int, where: str, github: bool) -> Iterator[Finding]:
    """Injection, secrets echoed and piped downloads in one CI script."""
    patterns = _patterns()
    if github:
        for found in patterns["expr"].finditer(script):
            if patterns["untrusted"].search(found.group(1)):
                expression = found.group(0)[:120]
                yield emit(
                    R.CI_SCRIPT_INJECTION,
                    f"{where} expands {expression} into the script",
                    line=line,
                    key=f"{where}:{expression}",
                )
    for found in patterns["echo"].finditer(script):
        rest = found.group(1)
        ref = patterns["secret"].search(rest)
        if ref is not None and "::add-mask::" not in rest and not any(c in rest[ref.end() :] for c in ">|"):
            yield emit(R.CI_SECRET_ECHO, f"{where} prints a secret to the log", line=line, key=f"{where}:echo")
            break
    if patterns["dump"].search(script):
        yield emit(
            R.CI_SECRET_ECHO,
            f"{where} prints every environment variable (env/printenv/set), secrets included, to the log",
            line=line,
            key=f"{where}:env-dump",
            severity=Severity.MEDIUM,
        )
    for kind, name in shell_risks(script):
        if kind == "pipe-to-shell":
            yield emit(R.CI_PIPE_SHELL, f"{where}: {name}", line=line, key=f"{where}:{kind}", evidence=script[:160])


def env_findings(doc: Doc, env: Any, path: tuple[str | int, ...], emit: Emit) -> Iterator[Finding]:
    """Literal credentials in an ``env:``/``variables:`` mapping (GitLab's ``{value: ...}`` form too)."""
    if not isinstance(env, dict):
        return
    for name, raw in env.items():
        value = raw.get("value") if isinstance(raw, dict) else raw
        if str(name) == "ACTIONS_ALLOW_UNSECURE_COMMANDS" and str(value).lower() in ("true", "1"):
            yield emit(
                R.CI_UNSECURE_COMMANDS,
                "ACTIONS_ALLOW_UNSECURE_COMMANDS re-enables set-env and add-path",
                line=doc.line((*path, str(name))),
                key=f"{path}:unsecure-commands",
            )
        hit = find_secret(str(name), value)
        if hit is not None:
            yield emit(
                R.CI_PLAIN_SECRET,
                f"{name} holds a credential ({hit.kind}) in the pipeline file",
                line=doc.line((*path, str(name))),
                key=hit.digest,
                evidence=f"{name}={hit.masked}",
                confidence=hit.confidence,
            )


def is_github(data: Any) -> bool:
    """A workflow: a mapping with ``jobs`` and ``on`` (or YAML 1.1's ``True``)."""
    return isinstance(data, dict) and isinstance(data.get("jobs"), dict) and ("on" in data or True in data)


def _triggers(data: dict[Any, Any]) -> set[str]:
    on = data.get("on", data.get(True))
    if isinstance(on, str):
        return {on}
    if isinstance(on, (list, dict)):
        return {str(item) for item in on}
    return set()


def scan_github(doc: Doc, emit: Emit) -> Iterator[Finding]:
    """Yield findings for one workflow document."""
    data: dict[Any, Any] = doc.data
    triggers = _triggers(data)
    yield from _permissions(doc, data.get("permissions"), ("permissions",), emit, top=True)
    yield from env_findings(doc, data.get("env"), ("env",), emit)
    texts: list[str] = []
    for job_id, job in data["jobs"].items():
        if isinstance(job, dict):
            yield from _job(doc, str(job_id), job, emit, triggers, texts)
    if not has_gate(texts):
        yield emit(
            R.CI_NO_GATE,
            "this workflow runs no security scanner (mlwarden, modelscan, bandit, pip-audit, trivy, CodeQL...)",
            line=doc.line(("jobs",)),
            key="no-gate",
        )


def _permissions(doc: Doc, value: Any, path: tuple[str, ...], emit: Emit, *, top: bool) -> Iterator[Finding]:
    if value == "write-all":
        line = doc.line(path)
        yield emit(
            R.CI_PERMISSIONS, "permissions: write-all", line=line, key=f"{path}:write-all", severity=Severity.MEDIUM
        )
    elif value is None and top:
        yield emit(R.CI_PERMISSIONS, "no top-level permissions block", line=1, key="no-permissions")


def _job(
    doc: Doc, job_id: str, job: dict[str, Any], emit: Emit, triggers: set[str], texts: list[str]
) -> Iterator[Finding]:
    base = ("jobs", job_id)
    yield from _permissions(doc, job.get("permissions"), (*base, "permissions"), emit, top=False)
    yield from _runner(doc, job_id, job.get("runs-on"), emit, triggers)
    yield from env_findings(doc, job.get("env"), (*base, "env"), emit)
    if isinstance(job.get("uses"), str):
        texts.append(job["uses"])
        yield from _uses(job["uses"], emit, line=doc.line((*base, "uses")), where=f"job {job_id}")
    container = job.get("container")
    image = container.get("image") if isinstance(container, dict) else container
    if isinstance(image, str) and image_pin(image) in (Pin.LATEST, Pin.UNTAGGED):
        yield emit(R.CI_IMAGE_LATEST, f"job {job_id} runs in {image}", line=doc.line((*base, "container")), key=image)
    steps = job.get("steps")
    for index, step in enumerate(steps if isinstance(steps, list) else []):
        if isinstance(step, dict):
            yield from _step(doc, (*base, "steps", index), step, emit, triggers, texts)


def _runner_labels(runs_on: Any) -> list[str]:
    if isinstance(runs_on, dict):
        labels = runs_on.get("labels")
        group = runs_on.get("group")
        return [
            *([str(group)] if group else []),
            *([str(x) for x in labels] if isinstance(labels, list) else [str(labels)]),
        ]
    if isinstance(runs_on, list):
        return [str(x) for x in runs_on]
    return [str(runs_on)] if runs_on is not None else []


def _runner(doc: Doc, job_id: str, runs_on: Any, emit: Emit, triggers: set[str]) -> Iterator[Finding]:
    labels = _runner_labels(runs_on)
    pr = triggers & _PR_TRIGGERS
    self_hosted = any(label.lower() == "self-hosted" for label in labels) or (
        isinstance(runs_on, dict) and runs_on.get("group") is not None
    )
    if pr and self_hosted:
        yield emit(
            R.CI_SELF_HOSTED_PR,
            f"job {job_id} runs on a self-hosted runner ({', '.join(labels)[:80]}) for {', '.join(sorted(pr))}",
            line=doc.line(("jobs", job_id, "runs-on")),
            key=f"{job_id}:self-hosted",
        )


def _step(
    doc: Doc, path: tuple[str | int, ...], step: dict[str, Any], emit: Emit, triggers: set[str], texts: list[str]
) -> Iterator[Finding]:
    number = int(path[-1]) + 1 if isinstance(path[-1], int) else path[-1]
    where = f"job {path[1]} step {step.get('name') or step.get('id') or number}"
    uses, run = step.get("uses"), step.get("run")
    with_: dict[str, Any] = step["with"] if isinstance(step.get("with"), dict) else {}
    yield from env_findings(doc, step.get("env"), (*path, "env"), emit)
    if isinstance(uses, str):
        texts.append(uses)
        yield from _uses(uses, emit, line=doc.line((*path, "uses")), where=where)
        if uses.split("@", 1)[0].lower() == "actions/checkout" and triggers & _PRIVILEGED_TRIGGERS:
            ref = str(with_.get("ref", ""))
            if any(head in ref for head in _HEAD_REFS):
                yield from _pwn(emit, doc.line((*path, "with", "ref")), where, triggers, ref)
        script = with_.get("script")
        if uses.lower().startswith("actions/github-script") and isinstance(script, str):
            line = doc.line((*path, "with", "script"))
            yield from script_findings(script, emit, line=line, where=where, github=True)
    if isinstance(run, str):
        texts.append(run)
        yield from script_findings(run, emit, line=doc.line((*path, "run")), where=where, github=True)
        if triggers & _PRIVILEGED_TRIGGERS and ("gh pr checkout" in run or any(h in run for h in _HEAD_REFS)):
            yield from _pwn(emit, doc.line((*path, "run")), where, triggers, "gh pr checkout / head ref in run")


def _pwn(emit: Emit, line: int, where: str, triggers: set[str], ref: str) -> Iterator[Finding]:
    trigger = " and ".join(sorted(triggers & _PRIVILEGED_TRIGGERS))
    yield emit(
        R.CI_PWN_REQUEST,
        f"{where} checks out the pull request head ({ref[:80]}) in a {trigger} workflow",
        line=line,
        key=f"{where}:pwn",
    )


def _uses(uses: str, emit: Emit, *, line: int, where: str) -> Iterator[Finding]:
    if uses.startswith("./") or "${{" in uses:
        return
    if uses.startswith("docker://"):
        if "@sha256:" not in uses:
            yield emit(R.CI_UNPINNED_ACTION, f"{where} runs {uses} without a digest", line=line, key=uses)
        return
    action, _, ref = uses.partition("@")
    if _patterns()["sha"].search(ref):
        return
    owner = action.split("/", 1)[0].lower()
    first_party = owner in ("actions", "github")
    yield emit(
        R.CI_UNPINNED_ACTION,
        f"{where} uses {uses}: {'a first-party' if first_party else 'a third-party'} action pinned to "
        f"{'a movable ref' if ref else 'nothing'}",
        line=line,
        key=action.lower(),
        severity=Severity.LOW if first_party else None,
    )
