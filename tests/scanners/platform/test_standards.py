"""Rules from public standards, one case each way: what must be reported and its nearest benign twin."""

from __future__ import annotations

import io
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.platform.helpers import by_rule, dockerfile, rule_ids, scan_text

from mlwarden.artifacts.artifact import Artifact
from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Severity
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.platform import PlatformScanner
from mlwarden.scanners.platform.mlserve import server_exposures
from mlwarden.scanners.platform.yaml_docs import duplicate_keys

BASE = "FROM python:3.11-slim@sha256:" + "a" * 64 + "\nUSER 10001\nHEALTHCHECK CMD true\n"


@pytest.mark.parametrize(
    ("body", "rule", "expected"),
    [
        ("RUN apt-get update", "MW-DOCKER-014", True),
        ("RUN apt-get update && apt-get install -y --no-install-recommends curl", "MW-DOCKER-014", False),
        ("RUN apk update", "MW-DOCKER-014", True),
        ("ADD src/ /app/", "MW-DOCKER-015", True),
        ("ADD vendor.tar.gz /opt/", "MW-DOCKER-015", False),
        ("COPY .env /app/.env", "MW-DOCKER-016", True),
        ("COPY --chown=app secrets/service-account.json /app/", "MW-DOCKER-016", True),
        ("COPY id_ed25519 /root/.ssh/", "MW-DOCKER-016", True),
        ("COPY .env.example /app/", "MW-DOCKER-016", False),
        ("COPY tokenizer.json /app/", "MW-DOCKER-016", False),
        ("RUN [ -f /app/x ] && echo ok", "MW-DOCKER-017", False),
        ('CMD ["python", "app.py"', "MW-DOCKER-017", True),
        ("CMD ['python', 'app.py']", "MW-DOCKER-017", True),
        ("WORKDIR /app\nCOPY app.py .\nRUNN echo typo", "MW-DOCKER-017", True),
        ("RUN echo a \\", "MW-DOCKER-017", True),
        ("RUN <<EOF\necho unterminated", "MW-DOCKER-017", True),
        ("RUN <<EOF\necho closed\nEOF", "MW-DOCKER-017", False),
    ],
)
def test_dockerfile_cis_and_malformed(body: str, rule: str, expected: bool) -> None:
    assert (rule in rule_ids(dockerfile(BASE + body + "\n"))) is expected


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("jupyter lab --ip=0.0.0.0 --NotebookApp.token=''", "MW-SERVER-001"),
        ("jupyter notebook --ServerApp.token= --no-browser", "MW-SERVER-001"),
        ("c.NotebookApp.token = ''", "MW-SERVER-001"),
        ("JUPYTER_TOKEN=\n", "MW-SERVER-001"),
        ("mlflow server -h 0.0.0.0", "MW-SERVER-002"),
        ("mlflow ui --host=0.0.0.0 --port 5000", "MW-SERVER-002"),
        ("ray start --head --dashboard-host 0.0.0.0", "MW-SERVER-003"),
        ("python -c 'import ray; ray.init(dashboard_host=\"0.0.0.0\")'", "MW-SERVER-003"),
        ("management_address=http://0.0.0.0:8081", "MW-SERVER-004"),
        ("TS_ALLOWED_URLS=https?://.*", "MW-SERVER-004"),
        ("tritonserver --model-repository=/m --model-control-mode explicit", "MW-SERVER-005"),
    ],
)
def test_server_exposures(text: str, rule: str) -> None:
    assert rule in {found.rule.id for found in server_exposures(text)}


@pytest.mark.parametrize(
    "text",
    [
        "jupyter lab --ip=0.0.0.0 --NotebookApp.token='' --NotebookApp.password='argon2:$argon2id$v=19$m=10240'",
        "jupyter lab --ip=0.0.0.0",
        "mlflow server --host 0.0.0.0 --app-name basic-auth",
        "mlflow server --host 127.0.0.1",
        "ray start --head --dashboard-host=127.0.0.1",
        "management_address=http://127.0.0.1:8081",
        "allowed_urls=https://models.example.com/.*",
        "tritonserver --model-repository=/m --model-control-mode=none",
        "tritonserver --model-control-mode=explicit --http-restricted-api=model-repository:admin-key=s3cr3t",
        "python serve.py --host 0.0.0.0 --token ''",
    ],
)
def test_server_exposures_benign_twins(text: str) -> None:
    assert list(server_exposures(text)) == []


def _pod(spec: str) -> str:
    return f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n{spec}"


def test_pss_restricted_and_baseline_details() -> None:
    caps = "  containers:\n  - name: c\n    image: x:1\n    securityContext:\n      capabilities: {drop: [all]}\n"
    assert "MW-K8S-021" not in rule_ids(scan_text(_pod(caps), path="p.yaml"))
    privileged = "  containers:\n  - name: c\n    image: x:1\n    securityContext: {privileged: true}\n"
    assert "MW-K8S-021" not in rule_ids(scan_text(_pod(privileged), path="p.yaml"))  # MW-K8S-001 says it all
    windows = "  securityContext:\n    windowsOptions: {hostProcess: true}\n  containers: [{name: c, image: x:1}]\n"
    assert "MW-K8S-005" in rule_ids(scan_text(_pod(windows), path="p.yaml"))
    apparmor = "  containers:\n  - {name: c, image: 'x:1', securityContext: {appArmorProfile: {type: Unconfined}}}\n"
    assert "MW-K8S-020" in rule_ids(scan_text(_pod(apparmor), path="p.yaml"))
    selinux = "  securityContext:\n    seLinuxOptions: {type: container_t, level: s0}\n  containers: [{image: x}]\n"
    assert "MW-K8S-020" not in rule_ids(scan_text(_pod(selinux), path="p.yaml"))
    no_host_port = "  containers:\n  - {name: c, image: x:1, ports: [{containerPort: 80, hostPort: 0}]}\n"
    assert "MW-K8S-017" not in rule_ids(scan_text(_pod(no_host_port), path="p.yaml"))


def test_rbac_narrow_roles_and_harmless_bindings_are_quiet() -> None:
    text = (
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules:\n"
        "- {apiGroups: [apps], resources: [deployments], verbs: [get, list, watch]}\n---\n"
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\n"
        "roleRef: {kind: ClusterRole, name: system:public-info-viewer}\n"
        "subjects: [{kind: Group, name: system:unauthenticated}]\n"
    )
    assert scan_text(text, path="rbac.yaml") == []
    escalate = text.replace("verbs: [get, list, watch]", "verbs: [bind, get]")
    [finding] = by_rule(scan_text(escalate, path="rbac.yaml"), "MW-K8S-022")
    assert finding.severity is Severity.HIGH and finding.location.line == 5


def test_kserve_auth_annotation_and_secret_placeholders() -> None:
    isvc = (
        "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: m\n  annotations:\n"
        "    security.opendatahub.io/enable-auth: 'true'\nspec:\n  predictor:\n    model: {storageUri: s3://m}\n"
    )
    assert "MW-K8S-025" not in rule_ids(scan_text(isvc, path="isvc.yaml"))
    secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {token: '{{ .Values.token }}', b: ''}\n"
    assert scan_text(secret, path="secret.yaml") == []


def test_github_self_hosted_issue_comment_and_env_dump() -> None:
    flow = "on: {0}\npermissions: {{contents: read}}\njobs:\n  a:\n    runs-on: {1}\n    steps:\n    - run: {2}\n"
    push = flow.format("push", "[self-hosted, gpu]", "trivy fs .")
    assert "MW-CI-011" not in rule_ids(scan_text(push, path=".github/workflows/a.yml"))
    group = flow.format("pull_request", "{group: gpu-runners}", "trivy fs .")
    assert "MW-CI-011" in rule_ids(scan_text(group, path=".github/workflows/a.yml"))
    dump = flow.format("push", "ubuntu-22.04", "env | sort")
    [echo] = by_rule(scan_text(dump, path=".github/workflows/a.yml"), "MW-CI-004")
    assert echo.severity is Severity.MEDIUM
    quiet = flow.format("push", "ubuntu-22.04", "env FOO=1 trivy fs .")
    assert "MW-CI-004" not in rule_ids(scan_text(quiet, path=".github/workflows/a.yml"))
    comment = (
        "on: issue_comment\njobs:\n  a:\n    steps:\n    - uses: actions/checkout@" + "a" * 40 + "\n"
        "      with: {ref: 'refs/pull/${{ github.event.issue.number }}/head'}\n"
    )
    assert "MW-CI-002" in rule_ids(scan_text(comment, path=".github/workflows/a.yml"))


def test_gitlab_dind_with_tls_is_medium_and_service_images_are_pinned() -> None:
    text = "job:\n  image: docker:24.0.7\n  services: [docker:24.0.7-dind, redis]\n  script: [trivy image x]\n"
    findings = scan_text(text, path=".gitlab-ci.yml")
    [dind] = by_rule(findings, "MW-CI-013")
    assert dind.severity is Severity.MEDIUM and dind.location.line == 3
    assert [f.message for f in by_rule(findings, "MW-CI-007")] == ["job.services: redis"]


def _artifact(data: bytes, path: str) -> Artifact:
    return Artifact(path=path, format=Format.YAML, size=len(data), opener=lambda: io.BytesIO(data))


def test_utf16_and_cp1251_manifests_decode() -> None:
    pod = _pod("  hostIPC: true\n  containers: [{name: c, image: x:1}]\n")
    for data in (pod.encode("utf-16"), ("# Модель для продакшена, узел\n" + pod).encode("cp1251")):
        findings = list(PlatformScanner().scan(_artifact(data, "pod.yaml"), ScanContext()))
        assert "MW-K8S-005" in rule_ids(findings)


def test_duplicate_keys_in_compose_and_ci_use_their_malformed_rules() -> None:
    compose = "services:\n  a:\n    image: x:1\n    image: x:2\n    mem_limit: 1g\n"
    assert by_rule(scan_text(compose, path="docker-compose.yml"), "MW-COMPOSE-009")[0].location.line == 4
    merge = "x: &a {image: 'x:1'}\nservices:\n  a:\n    <<: *a\n    <<: *a\n    mem_limit: 1g\n"
    assert duplicate_keys(merge) == []  # merge keys may repeat


def test_too_many_documents_is_one_finding() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\n" + "---\na: 1\n" * 10_050
    [finding] = scan_text(text, path="many.yaml")
    assert finding.rule_id == "MW-K8S-016" and "documents" in finding.message


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12), st.sampled_from(["*", "ALL"]))
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=25,
)
_KEYS = st.sampled_from(
    ["rules", "subjects", "roleRef", "data", "stringData", "metadata", "spec", "containers", "securityContext",
     "sysctls", "ports", "hostPort", "procMount", "seLinuxOptions", "appArmorProfile", "windowsOptions", "verbs",
     "resources", "annotations", "labels", "env", "command", "args", "capabilities"]
)  # fmt: skip
_KINDS = st.sampled_from(
    ["Pod", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "Secret", "ConfigMap", "InferenceService"]
)


def _shape(depth: int) -> st.SearchStrategy[Any]:
    if depth == 0:
        return _VALUES
    child = _shape(depth - 1)
    return st.one_of(_VALUES, st.lists(child, max_size=3), st.dictionaries(_KEYS, child, max_size=5))


@settings(max_examples=150, deadline=None)
@given(_KINDS, st.dictionaries(_KEYS, _shape(4), max_size=6))
def test_fuzz_kubernetes_resources_of_any_shape(kind: str, body: dict[str, Any]) -> None:
    text = yaml.safe_dump({"apiVersion": "v1", "kind": kind, **body}, allow_unicode=True)
    for finding in scan_text(text, path="fuzz.yaml"):
        assert finding.location.line is None or finding.location.line >= 1


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["services", "x-a", "jobs", "on", "variables", "include", "job"]), _shape(3)))
def test_fuzz_compose_and_ci_of_any_shape(body: dict[str, Any]) -> None:
    text = yaml.safe_dump(body, allow_unicode=True)
    for path in ("docker-compose.yml", ".github/workflows/f.yml", ".gitlab-ci.yml"):
        scan_text(text, path=path)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab:-[]{}?&*!|>'\"<, \n\t#", max_size=200))
def test_fuzz_duplicate_keys_never_raises(text: str) -> None:
    for line, key in duplicate_keys(text):
        assert line >= 0 and isinstance(key, str)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_properties_and_exposures(text: str) -> None:
    list(server_exposures(text))
    data = text.encode("utf-8", "surrogatepass")
    artifact = Artifact(path="config.properties", format=Format.TEXT, size=len(data), opener=lambda: io.BytesIO(data))
    list(PlatformScanner().scan(artifact, ScanContext()))
