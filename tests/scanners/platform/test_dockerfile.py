"""Dockerfile parsing and checks: every rule positive and negative, stages, heredocs, directives, fuzz."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scanners.platform.helpers import by_rule, dockerfile, rule_ids

from mlwarden.core.findings import Severity
from mlwarden.scanners.platform.dockerfile_parse import parse_dockerfile, substitute

# A clean final stage: pinned by digest, non-root, with a health check.
DIGEST = "python:3.11-slim@sha256:" + "a" * 64
CLEAN_TAIL = "USER 10001\nHEALTHCHECK CMD curl -f http://localhost:8080/health || exit 1\n"


def _df(body: str) -> str:
    return f"FROM {DIGEST}\n{textwrap.dedent(body)}\n{CLEAN_TAIL}"


def test_clean_dockerfile_has_no_findings() -> None:
    text = _df(
        """
        WORKDIR /app
        RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
        RUN pip install --no-cache-dir torch==2.3.0 -r requirements.txt .
        COPY . /app
        EXPOSE 8080
        ENV MODEL_DIR=/models MAX_NEW_TOKENS=512 TOKENIZER_PATH=/models/tok
        """
    )
    assert dockerfile(text) == []


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("ADD https://example.com/model.bin /m.bin", "MW-DOCKER-004"),
        ("RUN curl -fsSL https://get.example.com | sh", "MW-DOCKER-005"),
        ("RUN wget -qO- https://x.example/i.sh | sudo bash -s", "MW-DOCKER-005"),
        ("RUN apt-get install -y git", "MW-DOCKER-008"),
        ("RUN pip install transformers", "MW-DOCKER-009"),
        ("RUN chmod -R 777 /models", "MW-DOCKER-010"),
        ("EXPOSE 22/tcp 8080", "MW-DOCKER-011"),
        ("RUN sudo apt-get update", "MW-DOCKER-012"),
        ("RUN curl -k https://x.example/a -o a", "MW-DOCKER-013"),
        ("RUN pip install --trusted-host pypi.example torch==2.0", "MW-DOCKER-013"),
        ("ENV PYTHONHTTPSVERIFY=0", "MW-DOCKER-013"),
        ("RUN apk add --allow-untrusted pkg", "MW-DOCKER-013"),
    ],
)
def test_each_instruction_rule_fires(body: str, rule: str) -> None:
    findings = dockerfile(_df(body))
    assert rule in rule_ids(findings), findings
    assert all(f.location.line for f in findings)


@pytest.mark.parametrize(
    "body",
    [
        "ADD --checksum=sha256:" + "b" * 64 + " https://example.com/model.bin /m.bin",
        "ADD model.tar.gz /models/",
        "RUN curl -fsSL https://x.example/i.sh -o i.sh && sha256sum -c i.sh.sha256 && sh i.sh",
        "RUN chmod 755 /app",
        "EXPOSE 2222 8022",
        "RUN pip install -r requirements.txt",
        "RUN curl -fsSLo out https://x.example/a",
    ],
)
def test_safe_variants_are_quiet(body: str) -> None:
    assert dockerfile(_df(body)) == []


def test_base_image_pinning_levels() -> None:
    latest = dockerfile("FROM python:latest\n" + CLEAN_TAIL)
    untagged = dockerfile("FROM registry.example:5000/team/python\n" + CLEAN_TAIL)
    tagged = dockerfile("FROM python:3.11\n" + CLEAN_TAIL)
    assert [f.severity for f in by_rule(latest, "MW-DOCKER-002")] == [Severity.MEDIUM]
    assert len(by_rule(untagged, "MW-DOCKER-002")) == 1  # a registry port is not a tag
    assert [f.severity for f in by_rule(tagged, "MW-DOCKER-003")] == [Severity.LOW]
    assert dockerfile("FROM scratch\n" + CLEAN_TAIL) == []


def test_global_arg_substitution_in_from() -> None:
    findings = dockerfile("ARG BASE=python\nARG TAG=latest\nFROM ${BASE}:${TAG}\n" + CLEAN_TAIL)
    assert "FROM python:latest" in by_rule(findings, "MW-DOCKER-002")[0].message
    unresolved = dockerfile("ARG BASE\nFROM $BASE\n" + CLEAN_TAIL)
    assert unresolved == []  # the value is given at build time: nothing to judge
    assert substitute("${A:-x}/${B:+y}/$C", {"B": "1"}) == "x/y/$C"


def test_user_rules_follow_multi_stage_semantics() -> None:
    # USER in a builder stage does not carry to an unrelated final stage.
    text = f"FROM {DIGEST} AS build\nUSER 10001\nFROM {DIGEST}\nHEALTHCHECK CMD true\n"
    missing = by_rule(dockerfile(text), "MW-DOCKER-001")
    assert len(missing) == 1 and missing[0].location.line == 3 and missing[0].confidence < 1
    # A final stage built FROM an earlier stage inherits its USER (and health check).
    text = f"FROM {DIGEST} AS base\nUSER app\nHEALTHCHECK CMD true\nFROM base\nRUN echo hi\n"
    assert dockerfile(text) == []
    # The last USER of the final stage wins.
    text = f"FROM {DIGEST}\nUSER app\nUSER root\nHEALTHCHECK CMD true\n"
    root = by_rule(dockerfile(text), "MW-DOCKER-001")
    assert len(root) == 1 and root[0].location.line == 3 and root[0].confidence == 1.0
    assert by_rule(dockerfile(f"FROM {DIGEST}\nUSER 0:0\nHEALTHCHECK NONE\n"), "MW-DOCKER-001")
    # Distroless nonroot images already run unprivileged.
    nonroot = "gcr.io/distroless/python3:nonroot@sha256:" + "c" * 64
    assert dockerfile(f'FROM {nonroot}\nHEALTHCHECK CMD ["/probe"]\n') == []


def test_healthcheck_none_and_missing() -> None:
    none = by_rule(dockerfile(f"FROM {DIGEST}\nUSER 1000\nHEALTHCHECK NONE\n"), "MW-DOCKER-007")
    assert len(none) == 1 and "NONE" in none[0].message
    missing = by_rule(dockerfile(f"FROM {DIGEST}\nUSER 1000\n"), "MW-DOCKER-007")
    assert len(missing) == 1


def test_secrets_in_env_arg_run_and_heredoc() -> None:
    password = "Hunter" + "2-" + "xq9"
    hf = "hf_" + "A" * 10 + "bcdefghijklmnopqrstuvwx"
    text = _df(
        f"""
        ARG HF_TOKEN={hf}
        ENV DB_PASSWORD={password} MODEL=/m
        ENV API_KEY ${{API_KEY}}
        RUN echo "password={password}" > /etc/app.conf
        COPY <<EOF /app/.env
        SECRET_KEY={password}
        EOF
        """
    )
    secrets = by_rule(dockerfile(text), "MW-DOCKER-006")
    assert len(secrets) == 4, secrets
    assert all(password not in f.evidence and password not in f.message for f in secrets)
    assert all(hf not in f.evidence for f in secrets)
    assert {f.location.line for f in secrets} == {3, 4, 6, 7}


def test_line_continuations_comments_and_escape_directive() -> None:
    text = "# escape=`\nFROM python:latest\nRUN apt-get update && `\n# a comment\n\n    curl https://x.example | sh\n"
    instructions = parse_dockerfile(text)
    assert [i.keyword for i in instructions] == ["FROM", "RUN"]
    assert instructions[1].line == 3 and "curl" in instructions[1].args
    assert "MW-DOCKER-005" in rule_ids(dockerfile(text))
    # A backslash does not continue lines once the escape character is a backtick.
    assert len(parse_dockerfile("# escape=`\nFROM x\nRUN a \\\nRUN b\n")) == 3
    # A directive after the first instruction is only a comment.
    assert parse_dockerfile("FROM x\n# escape=`\nRUN a `\nRUN b\n")[1].args == "a `"


def test_heredocs_are_read_and_skipped() -> None:
    text = textwrap.dedent(
        """\
        FROM python:3.11
        RUN <<-EOT bash
        \tset -e
        \tcurl https://x.example/i.sh | sh
        \tEOT
        RUN <<"A" cat <<B
        FROM not-an-instruction
        A
        USER root
        B
        USER 1000
        """
    )
    instructions = parse_dockerfile(text)
    assert [i.keyword for i in instructions] == ["FROM", "RUN", "RUN", "USER"]
    assert instructions[2].heredocs == ("FROM not-an-instruction", "USER root")
    findings = dockerfile(text)
    assert by_rule(findings, "MW-DOCKER-005")[0].location.line == 2
    assert "MW-DOCKER-001" not in rule_ids(findings)


def test_exec_form_run_is_checked() -> None:
    findings = dockerfile(_df('RUN ["/bin/sh", "-c", "curl https://x.example | sh"]'))
    assert "MW-DOCKER-005" in rule_ids(findings)


def test_files_named_like_dockerfiles_but_not_dockerfiles_are_skipped() -> None:
    python = '"""Module."""\n\nfrom __future__ import annotations\nfrom os import path\n'
    assert dockerfile(python) == []
    markdown = "# Dockerfile notes\n\nFROM here on, use USER root carefully.\nThe image has two stages.\nSee below.\n"
    assert dockerfile(markdown) == []


def test_unterminated_heredoc_and_trailing_escape_do_not_crash() -> None:
    assert parse_dockerfile("FROM x\nRUN <<EOF\necho\n")[1].heredocs == ("echo",)
    assert parse_dockerfile("FROM x\nRUN echo \\")[1].args.strip() == "echo"


_FUZZ_LINES = [
    "FROM python:3.11 AS a", "FROM a", "USER root", "USER 1000", "RUN <<EOF", "EOF", "RUN echo \\", "\\",
    "# escape=`", "`", 'ENV A=b C="d e"', "ENV X", "ARG Y=${Z:-w}", "ADD http://x /y", "HEALTHCHECK NONE",
    "COPY <<-'E' /f", "\tE", 'RUN ["sh", "-c"', "EXPOSE 22", "", "   ", "# c", "ONBUILD RUN sudo x",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_FUZZ_LINES), max_size=30), st.text(max_size=80))
def test_fuzz_arbitrary_dockerfiles_never_crash(lines: list[str], noise: str) -> None:
    text = "\n".join([*lines, noise])
    for finding in dockerfile(text):
        assert finding.location.line is None or finding.location.line >= 1
