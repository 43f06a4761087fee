"""ML servers started without authentication: Jupyter, MLflow, Ray, TorchServe and Triton.

The same command line or setting is judged wherever it appears: a Dockerfile CMD/ENTRYPOINT/RUN/ENV, a
Kubernetes container's command, args and env, a ConfigMap value, a compose service's command and environment,
or a TorchServe ``config.properties``. Each check names what an attacker gets from the open endpoint; all
patterns are literal alternations without nested quantifiers (linear time) and read at most 64 KiB.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from mlwarden.core.findings import Finding, Severity
from mlwarden.core.rules import Rule
from mlwarden.scanners.platform import rules as R
from mlwarden.scanners.platform.common import Emit

__all__ = ["Exposure", "emit_exposures", "scan_properties", "server_exposures"]

_MAX_TEXT = 64 * 1024
_ANY_HOST = r"""["']?(?:0\.0\.0\.0|\*|::|\[::\])["']?(?:\s|$|:)"""
_JUPYTER_EMPTY = re.compile(
    r"""(?:--|\bc\.)(?:NotebookApp|ServerApp|IdentityProvider)\.token\s*=\s*(?:''|""|\\'\\'|\\"\\"|$|\s)"""
    r"""|\bJUPYTER_TOKEN\s*=\s*(?:''|""|$|\s)""",
    re.MULTILINE,
)
_JUPYTER_PASSWORD = re.compile(
    r"""(?:NotebookApp|ServerApp|PasswordIdentityProvider)\.(?:hashed_)?password\s*=\s*["']?(?:sha1|argon2)"""
    r"""|\bJUPYTER_PASSWORD\s*=\s*["']?[^\s"']"""
)
_JUPYTER_ANY_IP = re.compile(r"(?:--ip|(?:NotebookApp|ServerApp)\.ip)\s*=?\s*" + _ANY_HOST, re.MULTILINE)
_MLFLOW = re.compile(r"\bmlflow\s+(?:server|ui)\b")
_MLFLOW_HOST = re.compile(r"(?:--host|\s-h)(?:=|\s+)" + _ANY_HOST, re.MULTILINE)
_MLFLOW_AUTH = re.compile(r"--app-name(?:=|\s+)[\"']?basic-auth")
_RAY_DASHBOARD = re.compile(
    r"""--dashboard-host(?:=|\s+)""" + _ANY_HOST + r"""|\bdashboard_host\s*=\s*["'](?:0\.0\.0\.0|::)["']""",
    re.MULTILINE,
)
_TS_MANAGEMENT = re.compile(
    r"""(?im)^\s*(?:export\s+|echo\s+["']?)?(?:TS_)?management[_.]address\s*=\s*["']?https?://(?:0\.0\.0\.0|\[::\]|\*)"""
)
_TS_ALLOWED_URLS = re.compile(r"""(?im)^\s*(?:echo\s+["']?)?(?:TS_)?allowed[_.]urls\s*=\s*[^\n]*https?\)?\??://\.\*""")
_TRITON = re.compile(r"\btritonserver\b")
_TRITON_CONTROL = re.compile(r"--model-control-mode(?:=|\s+)[\"']?(?:explicit|poll)\b")
_TRITON_RESTRICTED = re.compile(r"--(?:http|grpc)-restricted-(?:api|protocol)(?:=|\s+)[\"']?[^\s]*model-repository")


@dataclass(frozen=True, slots=True)
class Exposure:
    """One open endpoint found in a command or setting."""

    rule: Rule
    message: str
    key: str
    severity: Severity | None = None


def server_exposures(text: str) -> Iterator[Exposure]:
    """The unauthenticated ML endpoints that ``text`` (a command line, env lines or a config file) starts."""
    sample = text[:_MAX_TEXT]
    if _JUPYTER_EMPTY.search(sample) and not _JUPYTER_PASSWORD.search(sample):
        open_ip = _JUPYTER_ANY_IP.search(sample) is not None
        where = " and listens on all interfaces" if open_ip else ""
        yield Exposure(
            R.SERVER_JUPYTER,
            f"Jupyter runs with an empty token and no password{where}",
            "jupyter:no-token",
            Severity.CRITICAL if open_ip else None,
        )
    if _MLFLOW.search(sample) and _MLFLOW_HOST.search(sample) and not _MLFLOW_AUTH.search(sample):
        message = "mlflow server listens on all interfaces without --app-name basic-auth"
        yield Exposure(R.SERVER_MLFLOW, message, "mlflow")
    if _RAY_DASHBOARD.search(sample):
        yield Exposure(R.SERVER_RAY, "the Ray dashboard and Jobs API listen on all interfaces", "ray:dashboard")
    if _TS_MANAGEMENT.search(sample):
        yield Exposure(R.SERVER_TORCHSERVE, "the TorchServe management API listens on all interfaces", "ts:management")
    if _TS_ALLOWED_URLS.search(sample):
        yield Exposure(
            R.SERVER_TORCHSERVE, "TorchServe allowed_urls accepts model archives from any URL", "ts:allowed-urls"
        )
    if _TRITON.search(sample) and _TRITON_CONTROL.search(sample) and not _TRITON_RESTRICTED.search(sample):
        yield Exposure(
            R.SERVER_TRITON,
            "tritonserver lets any client load and unload models (--model-control-mode explicit/poll, repository "
            "API not restricted)",
            "triton:model-control",
        )


def emit_exposures(text: str, emit: Emit, *, line: int | None, where: str) -> Iterator[Finding]:
    """Findings for the exposures in ``text``, all at ``line``; ``where`` prefixes the message and the key."""
    for found in server_exposures(text):
        yield emit(
            found.rule,
            f"{where}: {found.message}" if where else found.message,
            line=line,
            key=f"{where}:{found.key}",
            severity=found.severity,
        )


def scan_properties(text: str, emit: Emit) -> Iterator[Finding]:
    """TorchServe ``config.properties``: each open setting at its own line (other properties files: nothing)."""
    if "management_address" not in text and "allowed_urls" not in text:
        return
    for number, line in enumerate(text.splitlines()[:10_000], start=1):
        for found in server_exposures(line):
            yield emit(found.rule, found.message, line=number, key=found.key, severity=found.severity)
