"""docker-compose files: the host access and limits of each service that runs a model.

Short and long volume syntax, list and mapping ``environment``, and both ``mem_limit`` and
``deploy.resources.limits`` are read, because the Compose specification accepts all of them. ``x-`` extension
fields and YAML anchors/merge keys are resolved by the loader; ``extends`` from another file is not followed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlwarden.core.findings import Finding, Severity
from mlwarden.scanners.platform import rules as R
from mlwarden.scanners.platform.common import Emit, Pin, capability_severity, find_secret, host_path_severity, image_pin
from mlwarden.scanners.platform.mlserve import emit_exposures
from mlwarden.scanners.platform.yaml_docs import Doc

__all__ = ["is_compose", "scan_compose"]

_NAMESPACES = ("network_mode", "pid", "ipc", "userns_mode", "uts", "cgroup")
_UNCONFINED = ("seccomp:unconfined", "seccomp=unconfined", "apparmor:unconfined", "apparmor=unconfined")


def is_compose(data: Any) -> bool:
    """A mapping whose ``services`` are mappings with an image or a build."""
    services = data.get("services") if isinstance(data, dict) else None
    return isinstance(services, dict) and any(
        isinstance(s, dict) and ("image" in s or "build" in s) for s in services.values()
    )


def scan_compose(doc: Doc, emit: Emit) -> Iterator[Finding]:
    """Yield findings for every service of one compose document."""
    services = doc.data.get("services")
    for name, service in services.items():
        if isinstance(service, dict):
            yield from _service(doc, str(name), service, emit)


def _service(doc: Doc, name: str, svc: dict[str, Any], emit: Emit) -> Iterator[Finding]:
    base = ("services", name)
    where = f"service '{name}'"
    if svc.get("privileged") is True:
        line = doc.line((*base, "privileged"))
        yield emit(R.COMPOSE_PRIVILEGED, f"{where} is privileged", line=line, key=f"{name}:privileged")
    for field in _NAMESPACES:
        if str(svc.get(field, "")).lower() == "host":
            line = doc.line((*base, field))
            yield emit(R.COMPOSE_HOST_NAMESPACE, f"{where} sets {field}: host", line=line, key=f"{name}:{field}")
    yield from _volumes(doc, name, svc, emit)
    yield from _caps_and_options(doc, name, svc, emit)
    yield from _environment(doc, name, svc, emit)
    yield from _limits(doc, name, svc, emit)
    yield from _servers(doc, name, svc, emit)
    image = svc.get("image")
    if isinstance(image, str) and "build" not in svc and image_pin(image) in (Pin.LATEST, Pin.UNTAGGED):
        line = doc.line((*base, "image"))
        yield emit(R.COMPOSE_IMAGE_LATEST, f"{where} runs {image}", line=line, key=f"{name}:image:{image}")


def _host_source(volume: Any) -> str | None:
    if isinstance(volume, str):
        source, sep, _ = volume.partition(":")
        return source if sep and source.startswith("/") else None
    if isinstance(volume, dict) and volume.get("type", "bind") == "bind":
        target = volume.get("source")
        return target if isinstance(target, str) and target.startswith("/") else None
    return None


def _volumes(doc: Doc, name: str, svc: dict[str, Any], emit: Emit) -> Iterator[Finding]:
    volumes = svc.get("volumes")
    for index, volume in enumerate(volumes if isinstance(volumes, list) else []):
        source = _host_source(volume)
        if source is None:
            continue
        severity = host_path_severity(source)
        if severity is Severity.CRITICAL:
            yield emit(
                R.COMPOSE_HOST_MOUNT,
                f"service '{name}' mounts the host path {source}",
                line=doc.line(("services", name, "volumes", index)),
                key=f"{name}:mount:{source}",
            )


def _caps_and_options(doc: Doc, name: str, svc: dict[str, Any], emit: Emit) -> Iterator[Finding]:
    caps = svc.get("cap_add")
    if isinstance(caps, list) and caps:
        names = [str(cap) for cap in caps]
        yield emit(
            R.COMPOSE_CAPABILITIES,
            f"service '{name}' adds capabilities {', '.join(names)}",
            line=doc.line(("services", name, "cap_add")),
            key=f"{name}:caps:{','.join(sorted(names))}",
            severity=max(capability_severity(cap) for cap in names),
        )
    options = svc.get("security_opt")
    for option in options if isinstance(options, list) else []:
        if str(option).replace(" ", "").lower() in _UNCONFINED:
            yield emit(
                R.COMPOSE_UNCONFINED,
                f"service '{name}' sets security_opt {option}",
                line=doc.line(("services", name, "security_opt")),
                key=f"{name}:{option}",
            )


def _pairs(environment: Any) -> Iterator[tuple[str | int, str, Any]]:
    if isinstance(environment, dict):
        for key, value in environment.items():
            yield str(key), str(key), value
    elif isinstance(environment, list):
        for index, item in enumerate(environment):
            if isinstance(item, str) and "=" in item:
                key, _, value = item.partition("=")
                yield index, key, value


def _environment(doc: Doc, name: str, svc: dict[str, Any], emit: Emit) -> Iterator[Finding]:
    for path_key, var, value in _pairs(svc.get("environment")):
        hit = find_secret(var, value)
        if hit is not None:
            yield emit(
                R.COMPOSE_SECRET,
                f"service '{name}' environment {var} holds a credential ({hit.kind})",
                line=doc.line(("services", name, "environment", path_key)),
                key=hit.digest,
                evidence=f"{var}={hit.masked}",
                confidence=hit.confidence,
            )


def _servers(doc: Doc, name: str, svc: dict[str, Any], emit: Emit) -> Iterator[Finding]:
    """Jupyter, MLflow, Ray, TorchServe or Triton started open by ``command``/``entrypoint``/``environment``."""
    parts: list[str] = []
    for key in ("entrypoint", "command"):
        value = svc.get(key)
        parts.append(" ".join(str(v) for v in value[:1000]) if isinstance(value, list) else str(value or ""))
    parts.extend(f"\n{var}={'' if value is None else value}\n" for _, var, value in _pairs(svc.get("environment")))
    field = "command" if "command" in svc else "entrypoint" if "entrypoint" in svc else "environment"
    line = doc.line(("services", name, field))
    yield from emit_exposures(" ".join(parts), emit, line=line, where=f"service '{name}'")


def _limits(doc: Doc, name: str, svc: dict[str, Any], emit: Emit) -> Iterator[Finding]:
    if "mem_limit" in svc:
        return
    deploy = svc.get("deploy")
    resources = deploy.get("resources") if isinstance(deploy, dict) else None
    limits = resources.get("limits") if isinstance(resources, dict) else None
    if isinstance(limits, dict) and "memory" in limits:
        return
    yield emit(
        R.COMPOSE_NO_LIMITS,
        f"service '{name}' has no memory limit",
        line=doc.line(("services", name)),
        key=f"{name}:limits",
    )
