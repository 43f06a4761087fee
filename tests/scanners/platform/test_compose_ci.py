"""docker-compose files, GitHub Actions workflows and GitLab CI: each rule positive and negative."""

from __future__ import annotations

import textwrap

import pytest
from tests.scanners.platform.helpers import by_rule, rule_ids, scan_text

from mlwarden.core.findings import Severity

SHA = "b4ffde65f46336ab88eb53be808477a3936bae11"
DIGEST = "@sha256:" + "e" * 64


def _compose(service: str) -> str:
    body = textwrap.indent(textwrap.dedent(service).strip(), "    ")
    return f"services:\n  model:\n    image: ghcr.io/acme/server:1.2{DIGEST}\n    mem_limit: 4g\n{body}\n"


def test_clean_compose_file() -> None:
    text = _compose(
        """
        volumes:
          - ./models:/models:ro
          - cache:/cache
        environment:
          MODEL_PATH: /models/m.onnx
          HF_TOKEN: ${HF_TOKEN}
        """
    )
    assert scan_text(text, path="docker-compose.yml") == []


@pytest.mark.parametrize(
    ("service", "rule", "severity"),
    [
        ("privileged: true", "MW-COMPOSE-001", Severity.CRITICAL),
        ("network_mode: host", "MW-COMPOSE-002", Severity.HIGH),
        ("pid: host", "MW-COMPOSE-002", Severity.HIGH),
        ("volumes:\n  - /var/run/docker.sock:/var/run/docker.sock", "MW-COMPOSE-003", Severity.CRITICAL),
        ("volumes:\n  - type: bind\n    source: /\n    target: /host", "MW-COMPOSE-003", Severity.CRITICAL),
        ("cap_add: [SYS_ADMIN]", "MW-COMPOSE-004", Severity.CRITICAL),
        ("cap_add: [NET_BIND_SERVICE]", "MW-COMPOSE-004", Severity.LOW),
        ("environment:\n  - POSTGRES_PASSWORD=pg-" + "Secr3t-77", "MW-COMPOSE-005", Severity.HIGH),
        ("security_opt:\n  - seccomp:unconfined", "MW-COMPOSE-008", Severity.HIGH),
    ],
)
def test_compose_rules(service: str, rule: str, severity: Severity) -> None:
    findings = scan_text(_compose(service), path="compose.yaml")
    assert [f.severity for f in by_rule(findings, rule)] == [severity], findings


def test_compose_image_and_limits() -> None:
    text = "services:\n  api:\n    image: ghcr.io/acme/api:latest\n  worker:\n    build: .\n    image: worker\n"
    findings = scan_text(text, path="docker-compose.yml")
    assert [f.location.line for f in by_rule(findings, "MW-COMPOSE-007")] == [3]  # a build target is not pulled
    assert len(by_rule(findings, "MW-COMPOSE-006")) == 2
    limited = "services:\n  api:\n    image: a:1" + DIGEST + "\n    deploy:\n      resources:\n        limits:\n"
    assert scan_text(limited + "          memory: 1g\n", path="compose.yml") == []


def _workflow(body: str, on: str = "on: [push]") -> str:
    return f"name: ci\n{on}\npermissions:\n  contents: read\njobs:\n{textwrap.indent(textwrap.dedent(body), '  ')}"


def test_clean_workflow_with_pinned_actions_and_a_gate() -> None:
    text = _workflow(
        f"""
        scan:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@{SHA}
            - uses: ./.github/actions/setup
            - run: pip install mlwarden==1.0 && mlwarden scan . --fail-on high
            - env:
                TITLE: ${{{{ github.event.pull_request.title }}}}
              run: echo "$TITLE"
            - run: echo "${{{{ secrets.TOKEN }}}}" | docker login --password-stdin
        """
    )
    assert scan_text(text, path=".github/workflows/ci.yml") == []


def test_unpinned_actions_first_and_third_party() -> None:
    text = _workflow(
        """
        build:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - uses: tj-actions/changed-files@v45
            - uses: docker://alpine:3.20
            - run: bandit -r src
        release:
          uses: acme/workflows/.github/workflows/release.yml@main
        """
    )
    findings = by_rule(scan_text(text, path=".github/workflows/b.yml"), "MW-CI-001")
    assert [(f.location.line, f.severity) for f in findings] == [
        (10, Severity.LOW),
        (11, Severity.MEDIUM),
        (12, Severity.MEDIUM),
        (15, Severity.MEDIUM),
    ]


def test_yaml_11_on_key_and_pwn_request() -> None:
    for on in ("on: pull_request_target", "'on': {workflow_run: {workflows: [ci]}}", "true: [pull_request_target]"):
        text = _workflow(
            f"""
            t:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@{SHA}
                  with:
                    ref: ${{{{ github.event.pull_request.head.sha }}}}
                - run: trivy fs .
            """,
            on=on,
        )
        findings = scan_text(text, path=".github/workflows/pr.yml")
        assert [f.severity for f in by_rule(findings, "MW-CI-002")] == [Severity.CRITICAL], (on, findings)
        assert by_rule(findings, "MW-CI-002")[0].location.line == 12
    plain = _workflow(
        f"t:\n  steps:\n    - uses: actions/checkout@{SHA}\n      with: {{ref: '${{{{ github.head_ref }}}}'}}\n",
        on="on: pull_request",
    )
    assert "MW-CI-002" not in rule_ids(scan_text(plain, path=".github/workflows/pr.yml"))


def test_script_injection_secret_echo_and_pipe_to_shell() -> None:
    text = _workflow(
        """
        t:
          runs-on: ubuntu-latest
          steps:
            - run: |
                echo "Title: ${{ github.event.issue.title }}"
                echo "${{ secrets.HF_TOKEN }}"
                curl -sSL https://install.example | bash
            - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea
              with:
                script: console.log("${{ github.event.comment.body }}")
            - run: echo "${{ github.event.pull_request.number }} ${{ github.sha }}"
        """
    )
    findings = scan_text(text, path=".github/workflows/x.yml")
    assert len(by_rule(findings, "MW-CI-003")) == 2
    assert len(by_rule(findings, "MW-CI-004")) == 1
    assert len(by_rule(findings, "MW-CI-008")) == 1
    assert "MW-CI-006" in rule_ids(findings)


def test_permissions_and_plain_secrets() -> None:
    missing = "on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{run: semgrep ci}]\n"
    assert [f.location.line for f in by_rule(scan_text(missing, path=".github/workflows/a.yml"), "MW-CI-005")] == [1]
    write_all = "on: push\npermissions: write-all\nenv:\n  API_KEY: ak-" + "9f8e7d6c5b4a\n" + missing.split("\n", 1)[1]
    findings = scan_text(write_all, path=".github/workflows/a.yml")
    assert [f.severity for f in by_rule(findings, "MW-CI-005")] == [Severity.MEDIUM]
    assert [f.location.line for f in by_rule(findings, "MW-CI-009")] == [4]


def test_gitlab_ci() -> None:
    token = "gl-" + "Xy7-secret-42"
    text = textwrap.dedent(
        f"""\
        image: python:latest
        variables:
          DEPLOY_TOKEN: "{token}"
          PIP_CACHE_DIR: .cache
        train:
          image: {{name: "nvidia/cuda"}}
          script:
            - curl -fsSL https://get.example | sh
            - echo $CI_REGISTRY_PASSWORD
            - echo $DEPLOY_TOKEN > token.txt
            - python train.py
        """
    )
    findings = scan_text(text, path=".gitlab-ci.yml")
    assert [f.location.line for f in by_rule(findings, "MW-CI-007")] == [1, 6]
    assert [f.location.line for f in by_rule(findings, "MW-CI-009")] == [3]
    assert len(by_rule(findings, "MW-CI-008")) == 1
    assert len(by_rule(findings, "MW-CI-004")) == 1
    assert len(by_rule(findings, "MW-CI-006")) == 1
    gated = "include:\n  - template: Security/SAST.gitlab-ci.yml\ntest:\n  image: python:3.11" + DIGEST
    assert scan_text(gated + "\n  script: [pytest]\n", path="ci/.gitlab-ci.yml") == []


def test_workflow_path_required_for_github_checks() -> None:
    text = _workflow("t:\n  steps:\n    - uses: foo/bar@v1\n")
    assert scan_text(text, path="docs/example-workflow.yml") == []


def test_secret_names() -> None:
    from mlwarden.scanners.platform.common import secret_named

    for name in ("HF_TOKEN", "DB_PASS", "dbPassword", "API_KEY", "aws-secret-access-key", "CLIENT_SECRET"):
        assert secret_named(name), name
    for name in ("MAX_NEW_TOKENS", "PASS_THROUGH", "TOKEN_URL", "PASSWORD_FILE", "SECRET_NAME", "CACHE_KEY", "KEY"):
        assert not secret_named(name), name
