"""``mlwarden guard``: the inference firewall's commands.

``guard check`` runs the same pipeline as the service (``mlwarden.guard.pipeline.Guard``) over
JSON lines, without the network. SERVICE ENGINEER: add ``serve`` to ``guard_app`` below this
module's ``check`` command (``@guard_app.command("serve")``); ``main.py`` already registers
``guard_app`` under the name ``guard``.

Input: one prompt per line. A line that is a JSON object with a string ``text`` field is checked on
that field; any other line (not JSON, or JSON without a string ``text``) is checked as plain text,
without its line ending. Output: exactly one JSON line per input line, in order and flushed per
line: ``{"decision": "allow"|"redact"|"block", "reasons": [...], "text": ...}`` where ``text`` (the
redacted prompt) appears only when the decision is ``redact``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer

from mlwarden.cli.detect import line_text
from mlwarden.core.errors import UsageError

if TYPE_CHECKING:
    from mlwarden.guard.policy import GuardPolicy

__all__ = ["check_command", "guard_app", "load_policy"]

guard_app = typer.Typer(
    name="guard",
    help="The inference firewall: check prompts offline, or serve it in front of a model server.",
    no_args_is_help=True,
)


def load_policy(path: Path | None) -> GuardPolicy:
    """The policy in ``path`` (a policy-only file or a whole guard.yaml), or the documented default."""
    from mlwarden.guard.config import load_check_policy  # imported on use: keeps `mlwarden --help` fast

    return load_check_policy(path)


@contextmanager
def _open(source: str) -> Iterator[BinaryIO]:
    if source == "-":
        yield sys.stdin.buffer
        return
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"cannot read {source!r}: not a file", hint="pass a JSON-lines file, or '-' for stdin")
    with path.open("rb") as handle:
        yield handle


@guard_app.command("check")
def check_command(
    source: Annotated[str, typer.Argument(help="JSON lines {\"text\": ...}, or '-' for stdin.")] = "-",
    config: Annotated[Path | None, typer.Option("--config", help="guard.yaml (default policy without it).")] = None,
) -> None:
    """Check each prompt like the service would: one JSON decision per input line."""
    from mlwarden.guard.pipeline import Guard  # imported on use: keeps `mlwarden --help` fast

    guard = Guard(load_policy(config))
    out = sys.stdout
    with _open(source) as handle:
        for raw in handle:
            decision = guard.check_input(line_text(raw))
            out.write(json.dumps(decision.to_json(), ensure_ascii=False) + "\n")
            out.flush()


@guard_app.command("serve")
def serve_command(
    config: Annotated[Path, typer.Option("--config", help="guard.yaml: routes, keys, limits, audit, policy.")],
    host: Annotated[str | None, typer.Option("--host", help="Override listen.host.")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Override listen.port (0: any free port).")] = None,
    log_level: Annotated[str, typer.Option("--log-level", help="debug, info, warning or error.")] = "info",
) -> None:
    """Run the guard service in front of the configured model servers (needs the 'guard' extra)."""
    from mlwarden.core.extras import require

    for module in ("starlette", "uvicorn", "httpx", "prometheus_client"):
        require(module, extra="guard")
    from mlwarden.guard.server import serve

    if log_level not in ("debug", "info", "warning", "error"):
        raise UsageError(f"unknown log level {log_level!r}", hint="use debug, info, warning or error")
    serve(config, host=host, port=port, log_level=log_level)
