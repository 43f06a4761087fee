"""``mlwarden redact`` and ``mlwarden forget``: new versions of a dataset, never edits in place."""

from __future__ import annotations

from pathlib import Path

import typer

from mlwarden.core.errors import UsageError

__all__ = ["forget_command", "redact_command"]


def _split(text: str | None, *, upper: bool = False) -> frozenset[str] | None:
    if not text:
        return None
    items = {item.strip().upper() if upper else item.strip() for item in text.split(",")}
    return frozenset(item for item in items if item)


def redact_command(
    dataset: Path = typer.Argument(..., help="CSV, TSV, JSONL or Parquet file to redact."),
    out: Path = typer.Option(..., "--out", "-o", help="Where to write the redacted copy."),
    mode: str = typer.Option("mask", "--mode", help="mask | hash (keyed HMAC) | pseudonym (consistent fakes)."),
    key_file: Path | None = typer.Option(None, "--key-file", help="HMAC key (default: .mlwarden/redact.key)."),
    columns: str | None = typer.Option(None, "--columns", help="Only these columns (comma-separated)."),
    kinds: str | None = typer.Option(None, "--kinds", help="Only these kinds, e.g. EMAIL,PHONE (secrets always)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
) -> None:
    """Write a copy of DATASET with personal data masked, hashed or pseudonymised; record lineage."""
    from mlwarden.dataops.redact import RedactOptions, redact_dataset

    options = RedactOptions(mode=mode, kinds=_split(kinds, upper=True), columns=_split(columns),
                            key_file=key_file, force=force)  # fmt: skip
    summary = redact_dataset(dataset, out, options=options)
    counts = ", ".join(f"{kind} {n:,}" for kind, n in sorted(summary.redacted.items())) or "none"
    typer.echo(f"wrote {summary.target}: {summary.rows:,} rows; values redacted: {counts}")
    if summary.skipped_rows:
        typer.echo(f"warning: {summary.skipped_rows:,} unparsable row(s) were not copied", err=True)


def forget_command(
    dataset: Path = typer.Argument(..., help="CSV, TSV, JSONL or Parquet file."),
    where: list[str] = typer.Option(..., "--where", "-w", help="column=value identifying the subject (repeatable)."),
    out: Path = typer.Option(..., "--out", "-o", help="Where to write the new version."),
    match: str = typer.Option("exact", "--match", help="exact | normalized (phones, e-mails, INN formatting)."),
    match_all: bool = typer.Option(False, "--all", help="Remove rows matching every --where (default: any)."),
    key_file: Path | None = typer.Option(None, "--key-file", help="HMAC key for the lineage record."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
) -> None:
    """Write a new version of DATASET without the rows of one data subject; record lineage."""
    from mlwarden.dataops.forget import ForgetOptions, forget_rows, parse_condition

    if match not in ("exact", "normalized"):
        raise UsageError(f"unknown --match {match!r}", hint="use exact or normalized")
    options = ForgetOptions(where=tuple(parse_condition(w) for w in where), normalized=match == "normalized",
                            match_all=match_all, key_file=key_file, force=force)  # fmt: skip
    summary = forget_rows(dataset, out, options=options)
    if summary.removed == 0:
        typer.echo(f"no matching rows: {summary.target} is an unchanged copy ({summary.rows:,} rows)")
    else:
        typer.echo(f"removed {summary.removed:,} of {summary.rows:,} rows; wrote {summary.target}")
    if summary.skipped_rows:
        typer.echo(f"warning: {summary.skipped_rows:,} unparsable row(s) were not copied", err=True)
