"""GitLab CI (``.gitlab-ci.yml``): job images, scripts, literal variables and whether a security stage runs.

Jobs are the top-level mappings that are not reserved keywords. GitLab's own security templates
(``Security/SAST.gitlab-ci.yml``, ``Jobs/Secret-Detection.gitlab-ci.yml``...) count as a gate, as does any job
that runs a known scanner.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlwarden.core.findings import Finding, Severity
from mlwarden.scanners.platform import rules as R
from mlwarden.scanners.platform.ci import env_findings, has_gate, script_findings
from mlwarden.scanners.platform.common import Emit, Pin, image_pin
from mlwarden.scanners.platform.yaml_docs import Doc

__all__ = ["scan_gitlab"]

_RESERVED = frozenset({"stages", "variables", "include", "default", "workflow", "image", "services", "before_script",
                       "after_script", "cache", "types", "spec"})  # fmt: skip
_SCRIPTS = ("before_script", "script", "after_script")
_GATE_TEMPLATES = ("security/", "jobs/sast", "jobs/secret-detection", "jobs/dependency-scanning",
                   "jobs/container-scanning", "jobs/dast", "sast", "secret-detection")  # fmt: skip
_MAX_SCRIPT_LINES = 10_000
_NO_TLS = ("tcp://docker:2375", ":2375")


def _lines(script: Any) -> list[str]:
    """A script as its lines (a string, or a list nested one level, as GitLab allows)."""
    if isinstance(script, str):
        return [script]
    out: list[str] = []
    for item in script if isinstance(script, list) else []:
        out.extend(str(x) for x in (item if isinstance(item, list) else [item]))
    return out[:_MAX_SCRIPT_LINES]


def _image(value: Any) -> str | None:
    name = value.get("name") if isinstance(value, dict) else value
    return name if isinstance(name, str) else None


def _include_texts(include: Any) -> list[str]:
    items = include if isinstance(include, list) else [include]
    texts: list[str] = []
    for item in items:
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, dict):
            texts.extend(str(v) for v in item.values() if isinstance(v, str))
    return texts


def scan_gitlab(doc: Doc, emit: Emit) -> Iterator[Finding]:
    """Yield findings for one GitLab CI document."""
    data = doc.data
    if not isinstance(data, dict):
        return
    includes = _include_texts(data.get("include"))
    texts = list(includes)
    yield from env_findings(doc, data.get("variables"), ("variables",), emit)
    yield from _job_image(doc, data.get("image"), ("image",), emit, texts)
    default = data.get("default")
    if isinstance(default, dict):
        yield from _job_image(doc, default.get("image"), ("default", "image"), emit, texts)
        yield from _services(
            doc, default.get("services"), ("default", "services"), emit, texts, [data.get("variables")]
        )
    yield from _services(doc, data.get("services"), ("services",), emit, texts, [data.get("variables")])
    for name, job in data.items():
        if isinstance(job, dict) and str(name) not in _RESERVED:
            yield from _job(doc, str(name), job, emit, texts, data.get("variables"))
    gated = any(t.lower().startswith(_GATE_TEMPLATES) or "/security/" in t.lower() for t in includes)
    if not gated and not has_gate(texts):
        yield emit(R.CI_NO_GATE, "this pipeline has no security stage or scanner job", line=1, key="no-gate")


def _job_image(doc: Doc, value: Any, path: tuple[str, ...], emit: Emit, texts: list[str]) -> Iterator[Finding]:
    image = _image(value)
    if image is None:
        return
    texts.append(image)
    if image_pin(image) in (Pin.LATEST, Pin.UNTAGGED):
        yield emit(R.CI_IMAGE_LATEST, f"{'.'.join(path)}: {image}", line=doc.line(path), key=f"{path}:{image}")


def _tls_off(variables: Any) -> bool:
    if not isinstance(variables, dict):
        return False
    certdir = variables.get("DOCKER_TLS_CERTDIR", None)
    certdir = certdir.get("value") if isinstance(certdir, dict) else certdir
    host = str(variables.get("DOCKER_HOST", ""))
    return (certdir is not None and str(certdir).strip() == "") or any(mark in host for mark in _NO_TLS)


def _services(
    doc: Doc, value: Any, path: tuple[str, ...], emit: Emit, texts: list[str], variables: list[Any]
) -> Iterator[Finding]:
    """Service images: pinned like job images; docker:dind needs a privileged runner."""
    for index, item in enumerate(value if isinstance(value, list) else []):
        image = _image(item)
        if image is None:
            continue
        texts.append(image)
        if image_pin(image) in (Pin.LATEST, Pin.UNTAGGED):
            yield emit(
                R.CI_IMAGE_LATEST, f"{'.'.join(path)}: {image}", line=doc.line((*path, index)), key=f"{path}:{image}"
            )
        if "dind" in image.lower().rsplit("/", 1)[-1]:
            no_tls = any(_tls_off(v) for v in variables)
            yield emit(
                R.CI_DIND,
                f"{'.'.join(path)} runs {image}: the job needs a privileged runner"
                + (" and the daemon listens without TLS" if no_tls else ""),
                line=doc.line((*path, index)),
                key=f"{path}:dind",
                severity=Severity.HIGH if no_tls else None,
            )


def _job(doc: Doc, name: str, job: dict[str, Any], emit: Emit, texts: list[str], top_vars: Any) -> Iterator[Finding]:
    texts.append(name)
    yield from _job_image(doc, job.get("image"), (name, "image"), emit, texts)
    yield from env_findings(doc, job.get("variables"), (name, "variables"), emit)
    yield from _services(doc, job.get("services"), (name, "services"), emit, texts, [top_vars, job.get("variables")])
    for key in _SCRIPTS:
        lines = _lines(job.get(key))
        texts.extend(lines)
        if lines:
            script = "\n".join(lines)
            line = doc.line((name, key))
            yield from script_findings(script, emit, line=line, where=f"job {name} {key}", github=False)
