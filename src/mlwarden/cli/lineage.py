"""``mlwarden lineage add|show|import``: where datasets and models come from (DATA-06)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from mlwarden.cli.db import DB_HELP, open_cli_store
from mlwarden.core.errors import UsageError

if TYPE_CHECKING:
    from mlwarden.store.imports import ImportReport
    from mlwarden.store.records import AccessRecord, ArtifactRef
    from mlwarden.store.repository import SqlStore

__all__ = ["lineage_app"]

lineage_app = typer.Typer(help="Record and show lineage: dataset -> model -> derived model.", no_args_is_help=True)
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_FORMATS = ("console", "markdown", "html", "json")


def _ref(text: str, store: SqlStore, accessed: list[AccessRecord]) -> ArtifactRef:
    """A file is hashed now (this version); a full SHA-256 names a stored artifact; anything else is kept as written."""
    from mlwarden.store.hashing import file_digests
    from mlwarden.store.records import AccessRecord, ArtifactRef

    path = Path(text)
    if path.is_file():
        digests = file_digests(path)
        accessed.append(AccessRecord(operation="lineage-add", artifact_path=str(path.resolve()),
                                     artifact_sha256=digests.sha256))  # fmt: skip
        return ArtifactRef(path=text, sha256=digests.sha256, size=digests.size)
    if path.is_dir():
        return ArtifactRef(path=text, format="directory")
    if _SHA256.fullmatch(text) and (known := store.artifact(text)) is not None:
        return ArtifactRef(path=known.path, member=known.member, sha256=known.sha256)
    return ArtifactRef(path=text)


def _params(items: list[str]) -> dict[str, str]:
    pairs = [item.partition("=") for item in items]
    if any(not key or not sep for key, sep, _ in pairs):
        raise UsageError("--param takes key=value", hint="for example --param epochs=10")
    return {key: value for key, _, value in pairs}


@lineage_app.command("add")
def add_command(
    source: str = typer.Argument(..., metavar="FROM", help="The input: a dataset or model file, URI or SHA-256."),
    target: str = typer.Argument(..., metavar="TO", help="What was made from it (file, URI or SHA-256)."),
    relation: str = typer.Option(..., "--relation", "-r", help="How TO was made: trained-on, derived-from, …"),
    param: list[str] = typer.Option([], "--param", "-p", help="key=value kept with the edge (repeatable)."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Record that TO was made from FROM (read "TO relation FROM"); files are hashed, so the edge names versions."""
    from mlwarden.store.records import LineageEdge

    accessed: list[AccessRecord] = []
    with open_cli_store(db) as store:
        edge = LineageEdge(from_artifact=_ref(source, store, accessed), to_artifact=_ref(target, store, accessed),
                           relation=relation, source="manual", params=_params(param))  # fmt: skip
        added = store.add_lineage_many([edge], accessed)
    typer.echo(f"{'recorded' if added else 'already recorded'}: {target} {relation} {source}")


@lineage_app.command("show")
def show_command(
    artifact: str = typer.Argument(..., help="A path, URI or 8+ hex digits of a SHA-256."),
    output_format: str = typer.Option("console", "--format", "-f", help="console | markdown | html | json"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Print what ARTIFACT was made from and what was made from it (tree, Mermaid or JSON)."""
    from mlwarden.store import graph as render

    if output_format not in _FORMATS:
        raise UsageError(f"unknown format {output_format!r}", hint=f"one of: {', '.join(_FORMATS)}")
    with open_cli_store(db) as store:
        graph = store.lineage_of(artifact)
        where = store.display_url
    if not graph.focus:
        raise UsageError(f"no artifact {render.printable(artifact)!r} in {where}",
                         hint="record lineage with 'mlwarden lineage add' or 'mlwarden lineage import'")  # fmt: skip
    text = {"console": lambda: render.render_tree(graph), "json": lambda: render.render_json(graph),
            "markdown": lambda: render.render_markdown(graph, artifact),
            "html": lambda: render.render_html(graph, artifact)}[output_format]()  # fmt: skip
    typer.echo(text, nl=False)


@lineage_app.command("import")
def import_command(
    path: Path = typer.Argument(Path(), help="Project directory (dvc.lock, *.dvc, mlruns/, .mlwarden/)."),
    dvc: bool | None = typer.Option(None, "--dvc/--no-dvc", help="Require or skip DVC (default: auto-detect)."),
    mlflow: bool | None = typer.Option(None, "--mlflow/--no-mlflow", help="Require or skip MLflow's mlruns/."),
    log: bool | None = typer.Option(None, "--log/--no-log", help="Require or skip .mlwarden/lineage.jsonl."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Import lineage from DVC (verifying the working copy), MLflow runs and mlwarden's lineage log."""
    from mlwarden.store.imports import import_lineage

    if not path.is_dir():
        raise UsageError(f"not a directory: {path}", hint="give the project directory")
    with open_cli_store(db) as store:
        report = import_lineage(store, path, dvc=dvc, mlflow=mlflow, log=log)
        where = store.display_url
    _print_report(report, where)
    raise typer.Exit(1 if report.mismatches else 0)


def _print_report(report: ImportReport, where: str) -> None:
    from mlwarden.store.graph import printable

    for source, count in report.found.items():
        typer.echo(f"{source}: {count} edge(s)")
    if report.checks:
        counts: dict[str, int] = {}
        for check in report.checks:
            counts[check.status] = counts.get(check.status, 0) + 1
        typer.echo("dvc outputs: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    for check in report.checks:
        if check.status != "match":
            typer.echo(f"  {check.status}: {printable(check.output.path)}: {printable(check.detail)}")
            for problem in check.problems:
                typer.echo(f"    {printable(problem)}")
    for problem in report.problems:
        typer.echo(f"warning: {printable(problem)}", err=True)
    typer.echo(f"{report.added} new edge(s) stored in {where}")
    if report.mismatches:
        typer.echo("the working copy does not match what DVC recorded (exit 1)", err=True)
