"""Kubernetes manifests: each rule positive and negative, nesting (CronJob, KServe, Seldon), multi-document files."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
import yaml
from tests.scanners.platform.helpers import by_rule, rule_ids, scan_text

from mlwarden.core.findings import Severity

IMAGE = "registry.example/ml/server:1.4.2@sha256:" + "d" * 64
HARDENED_CONTAINER: dict[str, Any] = {
    "name": "server",
    "image": IMAGE,
    "resources": {"limits": {"cpu": "2", "memory": "4Gi"}},
    "securityContext": {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    },
    "env": [
        {"name": "MODEL_PATH", "value": "/models/m.onnx"},
        {"name": "MAX_NEW_TOKENS", "value": "512"},
        {"name": "HF_TOKEN", "valueFrom": {"secretKeyRef": {"name": "hf", "key": "token"}}},
    ],
}
HARDENED_POD: dict[str, Any] = {
    "automountServiceAccountToken": False,
    "securityContext": {"runAsNonRoot": True, "runAsUser": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
    "containers": [HARDENED_CONTAINER],
}


def _deployment(pod: dict[str, Any] | None = None, **container: Any) -> dict[str, Any]:
    spec = {**HARDENED_POD, **(pod or {})}
    spec["containers"] = [{**HARDENED_CONTAINER, **container}]
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "model"},
        "spec": {"template": {"spec": spec}},
    }


def _scan(*docs: dict[str, Any]) -> list[Any]:
    return scan_text(yaml.safe_dump_all(docs, sort_keys=False), path="deploy/model.yaml")


def test_hardened_deployment_is_clean() -> None:
    assert _scan(_deployment()) == []


@pytest.mark.parametrize(
    ("pod", "container", "rule", "severity"),
    [
        ({}, {"securityContext": {"privileged": True}}, "MW-K8S-001", Severity.CRITICAL),
        ({}, {"securityContext": {"readOnlyRootFilesystem": True}}, "MW-K8S-002", Severity.MEDIUM),
        ({"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}}, {}, "MW-K8S-003", Severity.MEDIUM),
        ({"securityContext": {"runAsUser": 0, "seccompProfile": {"type": "RuntimeDefault"}}}, {}, "MW-K8S-003",
         Severity.HIGH),
        ({"volumes": [{"name": "m", "hostPath": {"path": "/srv/models"}}]}, {}, "MW-K8S-004", Severity.HIGH),
        ({"volumes": [{"name": "d", "hostPath": {"path": "/var/run/docker.sock"}}]}, {}, "MW-K8S-004",
         Severity.CRITICAL),
        ({"volumes": [{"name": "r", "hostPath": {"path": "/"}}]}, {}, "MW-K8S-004", Severity.CRITICAL),
        ({"hostNetwork": True}, {}, "MW-K8S-005", Severity.HIGH),
        ({"hostPID": True}, {}, "MW-K8S-005", Severity.HIGH),
        ({}, {"securityContext": {**HARDENED_CONTAINER["securityContext"], "capabilities": {"add": ["SYS_ADMIN"]}}},
         "MW-K8S-006", Severity.CRITICAL),
        ({}, {"securityContext": {**HARDENED_CONTAINER["securityContext"], "capabilities": {"add": ["NET_ADMIN"]}}},
         "MW-K8S-006", Severity.HIGH),
        ({}, {"resources": {}}, "MW-K8S-007", Severity.MEDIUM),
        ({}, {"resources": {"limits": {"memory": "1Gi"}}}, "MW-K8S-007", Severity.LOW),
        ({}, {"securityContext": {"allowPrivilegeEscalation": False}}, "MW-K8S-008", Severity.LOW),
        ({}, {"env": [{"name": "DB_PASSWORD", "value": "pg-" + "Secr3t-77"}]}, "MW-K8S-009", Severity.HIGH),
        ({"automountServiceAccountToken": True}, {}, "MW-K8S-010", Severity.LOW),
        ({}, {"image": "registry.example/ml/server:latest"}, "MW-K8S-011", Severity.MEDIUM),
        ({}, {"image": "registry.example/ml/server"}, "MW-K8S-011", Severity.MEDIUM),
        ({}, {"image": "server:latest", "imagePullPolicy": "IfNotPresent"}, "MW-K8S-012", Severity.LOW),
        ({}, {"image": "registry.example/ml/server:1.4.2"}, "MW-K8S-013", Severity.INFO),
        ({"securityContext": {"runAsNonRoot": True}}, {}, "MW-K8S-015", Severity.LOW),
        ({"securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "Unconfined"}}}, {}, "MW-K8S-015",
         Severity.MEDIUM),
    ],
)  # fmt: skip
def test_each_rule(pod: dict[str, Any], container: dict[str, Any], rule: str, severity: Severity) -> None:
    findings = _scan(_deployment(pod, **container))
    hits = by_rule(findings, rule)
    assert [f.severity for f in hits] == [severity], findings
    assert hits[0].location.line and hits[0].location.line > 1


def test_secret_values_are_masked_and_lines_point_at_the_value() -> None:
    value = "pg-" + "Secr3t-77"
    text = yaml.safe_dump(_deployment(env=[{"name": "DB_PASSWORD", "value": value}]), sort_keys=False)
    [finding] = by_rule(scan_text(text, path="k.yaml"), "MW-K8S-009")
    assert value not in finding.evidence and value not in finding.message
    assert text.splitlines()[finding.location.line - 1].strip() == f"value: {value}"  # type: ignore[operator]


def test_service_exposure() -> None:
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "m"}, "spec": {"type": "LoadBalancer"}}
    assert rule_ids(_scan(service)) == {"MW-K8S-014"}
    service["spec"] = {"type": "ClusterIP"}
    assert _scan(service) == []


def test_service_account_without_token_covers_its_pods() -> None:
    account = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "srv"},
               "automountServiceAccountToken": False}  # fmt: skip
    pod = {"serviceAccountName": "srv", "automountServiceAccountToken": None}
    deployment = _deployment(pod)
    del deployment["spec"]["template"]["spec"]["automountServiceAccountToken"]
    assert _scan(account, deployment) == []
    assert rule_ids(_scan(deployment)) == {"MW-K8S-010"}


def test_cronjob_and_pod_nesting() -> None:
    cronjob = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "retrain"},
        "spec": {"jobTemplate": {"spec": {"template": {"spec": {**HARDENED_POD, "hostIPC": True}}}}},
    }
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {**HARDENED_POD, "hostPID": True}}
    findings = _scan(cronjob, pod)
    assert {f.message.split(" sets")[0] for f in by_rule(findings, "MW-K8S-005")} == {"CronJob/retrain", "Pod/p"}


def test_kserve_inference_service_predictor_model() -> None:
    text = textwrap.dedent(
        """\
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: sklearn-iris
        spec:
          predictor:
            automountServiceAccountToken: false
            securityContext:
              runAsNonRoot: true
              seccompProfile: {type: RuntimeDefault}
            model:
              modelFormat: {name: sklearn}
              storageUri: gs://bucket/model
              securityContext:
                privileged: true
        """
    )
    findings = scan_text(text, path="isvc.yaml")
    [privileged] = by_rule(findings, "MW-K8S-001")
    assert privileged.location.line == 15 and "'model'" in privileged.message
    assert "MW-K8S-007" not in rule_ids(findings)  # KServe's webhook sets default limits


def test_seldon_deployment_component_specs() -> None:
    aws_example = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"
    rclone = "Xq9-" + "z" * 12
    text = textwrap.dedent(
        f"""\
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {{name: income}}
        spec:
          predictors:
            - name: default
              componentSpecs:
                - spec:
                    containers:
                      - name: classifier
                        image: seldonio/sklearnserver:latest
                        env:
                          - {{name: AWS_SECRET_ACCESS_KEY, value: "{aws_example}"}}
                          - {{name: RCLONE_CONFIG_S3_SECRET_ACCESS_KEY, value: "{rclone}"}}
        """
    )
    findings = scan_text(text, path="seldon.yaml")
    assert "MW-K8S-011" in rule_ids(findings)
    secrets = by_rule(findings, "MW-K8S-009")
    assert [f.location.line for f in secrets] == [14]  # the AWS documented example key is a placeholder


def test_crd_schema_with_containers_property_is_not_a_pod() -> None:
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "x"},
        "spec": {"properties": {"containers": {"type": "array", "items": {"type": "object"}}}},
    }
    assert _scan(crd) == []


def test_generic_kubernetes_yaml_without_pods_is_quiet() -> None:
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"token_url": "https://x"}}
    assert _scan(config) == []
