"""GitLab CI (``.gitlab-ci.yml``): job images, scripts, literal variables and whether a security stage runs.

Jobs are the top-level mappings that are not reserved keywords. GitLab's own security templates
(``Security/SAST.gitlab-ci.yml``, ``Jobs/Secret-Detection.gitlab-ci.yml``...) count as a gate, as does any job
that runs a known scanner.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlwarden.core.findings import Finding
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
    for name, job in data.items():
        if isinstance(job, dict) and str(name) not in _RESERVED:
            yield from _job(doc, str(name), job, emit, texts)
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


def _job(doc: Doc, name: str, job: dict[str, Any], emit: Emit, texts: list[str]) -> Iterator[Finding]:
    texts.append(name)
    yield from _job_image(doc, job.get("image"), (name, "image"), emit, texts)
    yield from env_findings(doc, job.get("variables"), (name, "variables"), emit)
    for key in _SCRIPTS:
        lines = _lines(job.get(key))
        texts.extend(lines)
        if lines:
            script = "\n".join(lines)
            line = doc.line((name, key))
            yield from script_findings(script, emit, line=line, where=f"job {name} {key}", github=False)
