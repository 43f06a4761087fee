"""Kubernetes manifests: the pod specs that serve models, wherever a resource nests them.

Pod templates are found generically: any mapping with a ``containers`` list of container mappings is a pod
spec, so Deployments, StatefulSets, CronJobs (``jobTemplate.spec.template.spec``), Seldon's
``componentSpecs[].spec`` and custom resources need no table of paths. KServe's InferenceService is the one
special case: its predictor, transformer and explainer are pod specs whose framework keys (``model``,
``sklearn``, ``pytorch``...) are single containers. The pod-level and container-level checks follow the Pod
Security Standards (baseline and restricted); resources that are not pods (RBAC, Secrets, ConfigMaps,
InferenceService authentication) are judged in ``k8s_resources``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mlwarden.core.findings import Finding, Severity
from mlwarden.scanners.platform import rules as R
from mlwarden.scanners.platform.common import Emit, Pin, capability_severity, find_secret, host_path_severity, image_pin
from mlwarden.scanners.platform.k8s_resources import resource_checks
from mlwarden.scanners.platform.mlserve import emit_exposures
from mlwarden.scanners.platform.yaml_docs import Doc

__all__ = ["scan_kubernetes"]

Path = tuple[str | int, ...]
_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")
_KSERVE_COMPONENTS = frozenset({"predictor", "transformer", "explainer"})
_KSERVE_FRAMEWORKS = ("model", "sklearn", "xgboost", "lightgbm", "tensorflow", "pytorch", "triton", "onnx",
                      "huggingface", "paddle", "pmml", "alibi", "art")  # fmt: skip
_HOST_NAMESPACES = ("hostNetwork", "hostPID", "hostIPC")
_MAX_NODES = 200_000
_SAFE_SYSCTLS = frozenset(
    {"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
     "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
     "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
     "net.ipv4.tcp_keepalive_probes"}
)  # fmt: skip
_SELINUX_TYPES = frozenset({"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"})
_APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/"


@dataclass(frozen=True, slots=True)
class _Pod:
    doc: Doc
    spec: dict[str, Any]
    path: Path
    resource: str
    kserve: bool


@dataclass(frozen=True, slots=True)
class _Container:
    pod: _Pod
    spec: dict[str, Any]
    path: Path
    name: str
    framework: bool

    def effective(self, key: str) -> Any:
        """``securityContext[key]`` of the container, else of the pod (the container's value wins)."""
        for source in (self.spec.get("securityContext"), self.pod.spec.get("securityContext")):
            if isinstance(source, dict) and key in source:
                return source[key]
        return None


def scan_kubernetes(docs: list[Doc], emit: Emit) -> Iterator[Finding]:
    """Yield findings for every resource of one manifest file."""
    no_token_accounts = _accounts_without_token(docs)
    for doc in docs:
        data = doc.data
        if not isinstance(data, dict) or "kind" not in data:
            continue
        resource = _resource(data)
        if data.get("kind") == "Service":
            yield from _service(doc, data, resource, emit)
        yield from resource_checks(doc, data, resource, emit)
        for pod in _pods(doc, resource):
            yield from _pod_checks(pod, emit, no_token_accounts)
            for container in _containers(pod):
                yield from _container_checks(container, emit)


def _resource(data: dict[str, Any]) -> str:
    meta = data.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    return f"{data.get('kind')}/{name or '?'}"


def _accounts_without_token(docs: list[Doc]) -> set[str]:
    return {
        str(doc.data.get("metadata", {}).get("name"))
        for doc in docs
        if isinstance(doc.data, dict)
        and doc.data.get("kind") == "ServiceAccount"
        and isinstance(doc.data.get("metadata"), dict)
        and doc.data.get("automountServiceAccountToken") is False
    }


def _is_pod_spec(node: dict[str, Any]) -> bool:
    listed = node.get("containers")
    return isinstance(listed, list) and bool(listed) and all(isinstance(c, dict) for c in listed)


def _pods(doc: Doc, resource: str) -> Iterator[_Pod]:
    """Every pod spec in the document, iteratively (bounded), with its key path."""
    kserve = resource.startswith("InferenceService/")
    stack: list[tuple[Path, Any]] = [((), doc.data)]
    seen = 0
    while stack and seen < _MAX_NODES:
        path, node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            is_component = kserve and path[-1:] and str(path[-1]) in _KSERVE_COMPONENTS
            if _is_pod_spec(node) or is_component:
                yield _Pod(doc, node, path, resource, kserve)
                continue
            stack.extend(((*path, str(k)), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in enumerate(node))


def _containers(pod: _Pod) -> Iterator[_Container]:
    for key in _CONTAINER_LISTS:
        listed = pod.spec.get(key)
        if isinstance(listed, list):
            for index, item in enumerate(listed):
                if isinstance(item, dict):
                    name = str(item.get("name") or f"{key}[{index}]")
                    yield _Container(pod, item, (*pod.path, key, index), name, framework=False)
    if pod.kserve:
        for key in _KSERVE_FRAMEWORKS:
            item = pod.spec.get(key)
            if isinstance(item, dict):
                yield _Container(pod, item, (*pod.path, key), key, framework=True)


def _service(doc: Doc, data: dict[str, Any], resource: str, emit: Emit) -> Iterator[Finding]:
    spec = data.get("spec")
    kind = spec.get("type") if isinstance(spec, dict) else None
    if kind in ("LoadBalancer", "NodePort"):
        yield emit(
            R.K8S_EXPOSED_SERVICE,
            f"{resource} is type {kind}: reachable from outside the cluster; make sure the model endpoint "
            "authenticates callers and limits their rate",
            line=doc.line(("spec", "type")),
            key=f"{resource}:service-{kind}",
        )


def _pod_checks(pod: _Pod, emit: Emit, no_token_accounts: set[str]) -> Iterator[Finding]:
    spec, where = pod.spec, pod.resource
    for field in _HOST_NAMESPACES:
        if spec.get(field) is True:
            line = pod.doc.line((*pod.path, field))
            yield emit(R.K8S_HOST_NAMESPACE, f"{where} sets {field}: true", line=line, key=f"{where}:{field}")
    windows = [(c.path, c.spec.get("securityContext")) for c in _containers(pod)]
    for path, context in [(pod.path, spec.get("securityContext")), *windows]:
        options = context.get("windowsOptions") if isinstance(context, dict) else None
        if isinstance(options, dict) and options.get("hostProcess") is True:
            line = pod.doc.line((*path, "securityContext", "windowsOptions", "hostProcess"))
            yield emit(
                R.K8S_HOST_NAMESPACE,
                f"{where} runs a Windows HostProcess container",
                line=line,
                key=f"{where}:hostProcess",
            )
    yield from _host_paths(pod, emit)
    account = str(spec.get("serviceAccountName") or spec.get("serviceAccount") or "default")
    token = spec.get("automountServiceAccountToken")
    if token is not False and not (token is None and account in no_token_accounts):
        yield emit(
            R.K8S_SA_TOKEN,
            f"{where} mounts the service account token of '{account}'",
            line=pod.doc.line((*pod.path, "automountServiceAccountToken")),
            key=f"{where}:sa-token",
        )
    yield from _seccomp(pod, emit)
    yield from _sysctls(pod, emit)
    yield from _mac(pod, spec.get("securityContext"), (*pod.path, "securityContext"), where, emit)
    annotations = _template_annotations(pod)
    for key, value in annotations.items():
        if str(key).startswith(_APPARMOR_PREFIX) and str(value).lower() == "unconfined":
            yield emit(
                R.K8S_MAC_DISABLED,
                f"{where} runs container '{str(key).removeprefix(_APPARMOR_PREFIX)}' without AppArmor (unconfined)",
                line=pod.doc.line((*pod.path[:-1], "metadata", "annotations", str(key))),
                key=f"{where}:apparmor:{key}",
            )


def _template_annotations(pod: _Pod) -> dict[str, Any]:
    """The annotations of the object around the pod spec (a Pod's or a template's metadata)."""
    node: Any = pod.doc.data
    for step in pod.path[:-1]:
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            return {}
    meta = node.get("metadata") if isinstance(node, dict) else None
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    return annotations if isinstance(annotations, dict) else {}


def _sysctls(pod: _Pod, emit: Emit) -> Iterator[Finding]:
    context = pod.spec.get("securityContext")
    listed = context.get("sysctls") if isinstance(context, dict) else None
    for index, item in enumerate(listed if isinstance(listed, list) else []):
        name = str(item.get("name", "")) if isinstance(item, dict) else ""
        if name and name not in _SAFE_SYSCTLS:
            yield emit(
                R.K8S_UNSAFE_SYSCTL,
                f"{pod.resource} sets the unsafe sysctl {name[:80]}",
                line=pod.doc.line((*pod.path, "securityContext", "sysctls", index)),
                key=f"{pod.resource}:sysctl:{name[:80]}",
            )


def _mac(pod: _Pod, context: Any, path: Path, where: str, emit: Emit) -> Iterator[Finding]:
    """AppArmor ``Unconfined`` and SELinux options outside the baseline, on a pod or container context."""
    if not isinstance(context, dict):
        return
    profile = context.get("appArmorProfile")
    if isinstance(profile, dict) and str(profile.get("type", "")).lower() == "unconfined":
        line = pod.doc.line((*path, "appArmorProfile"))
        yield emit(R.K8S_MAC_DISABLED, f"{where} sets appArmorProfile Unconfined", line=line, key=f"{where}:apparmor")
    selinux = context.get("seLinuxOptions")
    if not isinstance(selinux, dict):
        return
    kind = str(selinux.get("type") or "")
    custom = [name for name in ("user", "role") if selinux.get(name)]
    if kind not in _SELINUX_TYPES or custom:
        what = f"type {kind}" if kind not in _SELINUX_TYPES else f"custom SELinux {' and '.join(custom)}"
        yield emit(
            R.K8S_MAC_DISABLED,
            f"{where} sets seLinuxOptions {what[:80]}",
            line=pod.doc.line((*path, "seLinuxOptions")),
            key=f"{where}:selinux",
            severity=Severity.HIGH if kind in ("spc_t", "unconfined_t") else None,
        )


def _host_paths(pod: _Pod, emit: Emit) -> Iterator[Finding]:
    volumes = pod.spec.get("volumes")
    for index, volume in enumerate(volumes if isinstance(volumes, list) else []):
        host = volume.get("hostPath") if isinstance(volume, dict) else None
        if isinstance(host, dict) and isinstance(host.get("path"), str):
            path = host["path"]
            yield emit(
                R.K8S_HOSTPATH,
                f"{pod.resource} mounts the host path {path}",
                line=pod.doc.line((*pod.path, "volumes", index, "hostPath", "path")),
                key=f"{pod.resource}:hostPath:{path}",
                severity=host_path_severity(path),
            )


def _seccomp_type(context: Any) -> str | None:
    profile = context.get("seccompProfile") if isinstance(context, dict) else None
    kind = profile.get("type") if isinstance(profile, dict) else None
    return str(kind) if kind is not None else None


def _seccomp(pod: _Pod, emit: Emit) -> Iterator[Finding]:
    pod_type = _seccomp_type(pod.spec.get("securityContext"))
    types = [_seccomp_type(c.spec.get("securityContext")) or pod_type for c in _containers(pod)]
    if any(kind is None or kind == "Unconfined" for kind in types):
        unconfined = "Unconfined" in types
        yield emit(
            R.K8S_SECCOMP,
            f"{pod.resource}: seccompProfile is {'Unconfined' if unconfined else 'not set'}",
            line=pod.doc.line((*pod.path, "securityContext")),
            key=f"{pod.resource}:seccomp",
            severity=Severity.MEDIUM if unconfined else None,
        )


def _container_checks(c: _Container, emit: Emit) -> Iterator[Finding]:
    yield from _privileges(c, emit)
    yield from _capabilities(c, emit)
    yield from _limits(c, emit)
    yield from _env(c, emit)
    yield from _image(c, emit)
    yield from _baseline(c, emit)
    yield from _servers(c, emit)


def _baseline(c: _Container, emit: Emit) -> Iterator[Finding]:
    """Pod Security Standards baseline items on one container: host ports, /proc, AppArmor, SELinux."""
    where = f"{c.pod.resource} container '{c.name}'"
    ports = c.spec.get("ports")
    for index, port in enumerate(ports if isinstance(ports, list) else []):
        host = port.get("hostPort") if isinstance(port, dict) else None
        if isinstance(host, int) and not isinstance(host, bool) and host > 0:
            line = _line(c, "ports", index, "hostPort")
            yield emit(R.K8S_HOST_PORT, f"{where} binds host port {host}", line=line, key=f"{where}:hostPort:{host}")
    sc = c.spec.get("securityContext")
    if isinstance(sc, dict) and str(sc.get("procMount", "")).lower() == "unmasked":
        line = _line(c, "securityContext", "procMount")
        yield emit(R.K8S_PROC_MOUNT, f"{where} mounts /proc unmasked", line=line, key=f"{where}:procMount")
    yield from _mac(c.pod, sc, (*c.path, "securityContext"), where, emit)


def _servers(c: _Container, emit: Emit) -> Iterator[Finding]:
    parts: list[str] = []
    for key in ("command", "args"):
        value = c.spec.get(key)
        if isinstance(value, list):
            parts.append(" ".join(str(item) for item in value[:1000]))
        elif isinstance(value, str):
            parts.append(value)
    env = c.spec.get("env")
    for item in env if isinstance(env, list) else []:
        if isinstance(item, dict) and "name" in item and "value" in item:
            parts.append(f"\n{item['name']}={'' if item['value'] is None else item['value']}\n")
    if parts:
        line = _line(c, "command" if "command" in c.spec else "args")
        yield from emit_exposures(" ".join(parts), emit, line=line, where=f"{c.pod.resource} container '{c.name}'")


def _line(c: _Container, *keys: str | int) -> int:
    return c.pod.doc.line((*c.path, *keys))


def _privileges(c: _Container, emit: Emit) -> Iterator[Finding]:
    where = f"{c.pod.resource} container '{c.name}'"
    sc: dict[str, Any] = c.spec["securityContext"] if isinstance(c.spec.get("securityContext"), dict) else {}
    privileged = sc.get("privileged") is True
    if privileged:
        line = _line(c, "securityContext", "privileged")
        yield emit(R.K8S_PRIVILEGED, f"{where} is privileged", line=line, key=f"{where}:privileged")
    elif sc.get("allowPrivilegeEscalation") is not False:
        yield emit(
            R.K8S_PRIV_ESCALATION,
            f"{where} does not set allowPrivilegeEscalation: false",
            line=_line(c, "securityContext", "allowPrivilegeEscalation"),
            key=f"{where}:escalation",
        )
    non_root = c.effective("runAsNonRoot")
    user = c.effective("runAsUser")
    if user == 0 or (non_root is not True and not (isinstance(user, int) and user > 0)):
        yield emit(
            R.K8S_ROOT,
            f"{where} runs as root (runAsUser: 0)" if user == 0 else f"{where} may run as root",
            line=_line(c, "securityContext", "runAsUser" if user == 0 else "runAsNonRoot"),
            key=f"{where}:root",
            severity=Severity.HIGH if user == 0 else None,
        )
    if sc.get("readOnlyRootFilesystem") is not True:
        line = _line(c, "securityContext", "readOnlyRootFilesystem")
        yield emit(R.K8S_WRITABLE_ROOT, f"{where} has a writable root file system", line=line, key=f"{where}:rootfs")


def _capabilities(c: _Container, emit: Emit) -> Iterator[Finding]:
    sc = c.spec.get("securityContext")
    caps = sc.get("capabilities") if isinstance(sc, dict) else None
    added = caps.get("add") if isinstance(caps, dict) else None
    where = f"{c.pod.resource} container '{c.name}'"
    dropped = caps.get("drop") if isinstance(caps, dict) else None
    drops_all = isinstance(dropped, list) and any(str(cap).upper() in ("ALL", "CAP_ALL") for cap in dropped)
    if not drops_all and not (isinstance(sc, dict) and sc.get("privileged") is True):
        yield emit(
            R.K8S_CAPS_NOT_DROPPED,
            f"{where} does not drop ALL capabilities",
            line=_line(c, "securityContext", "capabilities"),
            key=f"{where}:drop-all",
        )
    if isinstance(added, list) and added:
        names = [str(cap) for cap in added]
        yield emit(
            R.K8S_CAPABILITIES,
            f"{where} adds capabilities {', '.join(names)}",
            line=_line(c, "securityContext", "capabilities", "add"),
            key=f"{where}:caps:{','.join(sorted(names))}",
            severity=max(capability_severity(name) for name in names),
        )


def _limits(c: _Container, emit: Emit) -> Iterator[Finding]:
    if c.framework:
        return  # KServe's webhook applies default requests and limits to framework containers
    resources = c.spec.get("resources")
    limits = resources.get("limits") if isinstance(resources, dict) else None
    missing = [name for name in ("cpu", "memory") if not isinstance(limits, dict) or name not in limits]
    if missing:
        where = f"{c.pod.resource} container '{c.name}'"
        yield emit(
            R.K8S_NO_LIMITS,
            f"{where} has no {' or '.join(missing)} limit",
            line=_line(c, "resources", "limits"),
            key=f"{where}:limits",
            severity=None if "memory" in missing else Severity.LOW,
        )


def _env(c: _Container, emit: Emit) -> Iterator[Finding]:
    env = c.spec.get("env")
    for index, item in enumerate(env if isinstance(env, list) else []):
        if not isinstance(item, dict) or "value" not in item:
            continue
        name = str(item.get("name", ""))
        hit = find_secret(name, item["value"])
        if hit is not None:
            yield emit(
                R.K8S_ENV_SECRET,
                f"{c.pod.resource} container '{c.name}' env {name} holds a credential ({hit.kind}); "
                "use valueFrom.secretKeyRef",
                line=_line(c, "env", index, "value"),
                key=hit.digest,
                evidence=f"{name}={hit.masked}",
                confidence=hit.confidence,
            )


def _image(c: _Container, emit: Emit) -> Iterator[Finding]:
    image = c.spec.get("image")
    if not isinstance(image, str):
        return
    pin = image_pin(image)
    where = f"{c.pod.resource} container '{c.name}'"
    line = _line(c, "image")
    key = f"{where}:image:{image.split('@', 1)[0]}"
    if pin in (Pin.LATEST, Pin.UNTAGGED):
        yield emit(R.K8S_IMAGE_LATEST, f"{where} runs {image} ({pin.value})", line=line, key=key)
        policy = c.spec.get("imagePullPolicy")
        if policy in ("IfNotPresent", "Never"):
            yield emit(
                R.K8S_PULL_POLICY,
                f"{where} runs a mutable tag with imagePullPolicy {policy}",
                line=_line(c, "imagePullPolicy"),
                key=f"{where}:pull-policy",
            )
    elif pin is Pin.TAG:
        yield emit(R.K8S_IMAGE_TAG_ONLY, f"{where} image {image} has no digest", line=line, key=key)
