"""``mlwarden keygen | sign | verify | hash``: parse options, call ``mlwarden.integrity``, print.

Exit codes: 0 verified (or signed); 1 any mismatch, or a scan that refused signing; 2 usage errors and
unreadable or malformed signatures (through the error boundary in ``cli/main.py``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, cast

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from mlwarden.core.errors import UsageError
from mlwarden.core.findings import Finding, Severity
from mlwarden.core.policy import EXIT_FINDINGS
from mlwarden.integrity.manifest import DEFAULT_SHARD_SIZE, Serialization
from mlwarden.integrity.mismatch import IntegrityError, MalformedSignatureError

__all__ = ["hash_command", "keygen_command", "sign_command", "verify_command"]

_SIG_HELP = "Signature (Sigstore bundle) path; default: model.sig in the current directory, as model-signing."


def _serialization(files: bool, shard_size: int, allow_symlinks: bool) -> Serialization:
    if shard_size <= 0:
        raise UsageError(f"--shard-size must be positive, got {shard_size}", hint="for example --shard-size 1000000000")
    return Serialization(method="files" if files else "shards", shard_size=shard_size, allow_symlinks=allow_symlinks)


def _severity(text: str) -> Severity:
    try:
        return Severity.parse(text)
    except ValueError as exc:
        raise UsageError(str(exc), hint="for example --fail-on high") from None


def keygen_command(
    private_key: Path = typer.Option(..., "--private-key", help="Where to write the PEM private key (mode 0600)."),
    public_key: Path = typer.Option(..., "--public-key", help="Where to write the PEM public key."),
    algorithm: str = typer.Option("ecdsa-p256", "--algorithm", help="ecdsa-p256 (default) | ecdsa-p384 | ed25519."),
) -> None:
    """Generate a signing key pair; set MLWARDEN_KEY_PASSWORD to encrypt the private key."""
    from mlwarden.integrity.keys import KEY_ALGORITHMS, KeyAlgorithm, generate_keypair

    if algorithm not in KEY_ALGORITHMS:
        raise UsageError(f"unknown --algorithm {algorithm!r}", hint=f"choose one of {', '.join(KEY_ALGORITHMS)}")
    hint = generate_keypair(private_key, public_key, algorithm=cast(KeyAlgorithm, algorithm))
    typer.echo(f"wrote {private_key} (private, keep it secret) and {public_key}; key hint {hint}")


def sign_command(
    path: Path = typer.Argument(..., help="Model or dataset: a file or a directory."),
    private_key: Path = typer.Option(..., "--private-key", help="PEM private key (ECDSA P-256/384/521 or Ed25519)."),
    signature: Path | None = typer.Option(None, "--signature", help=_SIG_HELP),
    scan: bool = typer.Option(False, "--scan", help="Scan first; refuse to sign on findings at --fail-on."),
    fail_on: str = typer.Option("high", "--fail-on", help="Severity that blocks signing with --scan."),
    files: bool = typer.Option(False, "--files", help="One digest per file instead of per shard."),
    shard_size: int = typer.Option(DEFAULT_SHARD_SIZE, "--shard-size", help="Shard size in bytes."),
    allow_symlinks: bool = typer.Option(False, "--allow-symlinks", help="Hash links that stay inside the root."),
) -> None:
    """Hash PATH and sign its manifest (interoperable with OpenSSF model-signing)."""
    from mlwarden.integrity.attest import ScanRefusedError
    from mlwarden.integrity.sign import sign

    serialization = _serialization(files, shard_size, allow_symlinks)
    try:
        signed = sign(path, private_key=private_key, signature=signature, serialization=serialization,
                      scan=scan, fail_on=_severity(fail_on))  # fmt: skip
    except ScanRefusedError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        typer.echo(f"hint: {exc.hint}", err=True)
        raise typer.Exit(EXIT_FINDINGS) from None
    scanned = "; scan summary attested" if signed.attestation else ""
    typer.echo(f"signed {len(signed.manifest.files())} file(s) of {path} into {signed.signature}{scanned}")


def _subject(text: str) -> Literal["model", "data"]:
    if text == "model":
        return "model"
    if text == "data":
        return "data"
    raise UsageError(f"unknown --kind {text!r}", hint="use model or data")


def _mismatch_table(exc: IntegrityError, root: str, subject: Literal["model", "data"]) -> Table:
    from mlwarden.integrity.rules import findings

    table = Table(title=f"verification failed: {len(exc.mismatches)} mismatch(es)")
    for column in ("rule", "risk", "kind", "path", "detail"):
        table.add_column(column, overflow="fold")
    for mismatch, finding in zip(exc.mismatches, findings(exc.mismatches, root=root, subject=subject), strict=True):
        cells = (finding.rule_id, finding.risk_id, mismatch.kind.value, mismatch.path, mismatch.detail)
        table.add_row(*(Text(cell) for cell in cells))
    return table


def verify_command(
    path: Path = typer.Argument(..., help="Model or dataset: the file or directory that was signed."),
    public_key: Path = typer.Option(..., "--public-key", help="The signer's PEM public key (or X.509 certificate)."),
    signature: Path | None = typer.Option(None, "--signature", help=_SIG_HELP),
    subject: str = typer.Option("model", "--kind", help="model (MODEL-07) or data (DATA-07) for the findings."),
    output_format: str = typer.Option("table", "--format", help="table | json."),
) -> None:
    """Verify PATH against its signature; exit 1 listing every modified, missing or extra file."""
    from mlwarden.integrity.rules import findings
    from mlwarden.integrity.verify import verify

    kind = _subject(subject)
    try:
        verified = verify(path, public_key=public_key, signature=signature)
    except MalformedSignatureError:
        raise
    except IntegrityError as exc:
        if output_format == "json":
            rows = [_finding_json(f) for f in findings(exc.mismatches, root=str(path), subject=kind)]
            typer.echo(json.dumps({"verified": False, "findings": rows}, indent=2))
        else:
            Console(highlight=False, soft_wrap=True).print(_mismatch_table(exc, str(path), kind))
        raise typer.Exit(EXIT_FINDINGS) from None
    count = len(verified.manifest.files())
    typer.echo(f"verified {count} file(s) of {path}: signed by key {verified.key_hint[:16]}…")


def _finding_json(finding: Finding) -> dict[str, object]:
    return {"rule_id": finding.rule_id, "risk_id": finding.risk_id, "severity": finding.severity.label,
            "path": finding.location.path, "message": finding.message}  # fmt: skip


def hash_command(
    path: Path = typer.Argument(..., help="A file or directory."),
    output_format: str = typer.Option("text", "--format", help="text | json (the manifest)."),
    files: bool = typer.Option(False, "--files", help="One digest per file instead of per shard."),
    shard_size: int = typer.Option(DEFAULT_SHARD_SIZE, "--shard-size", help="Shard size in bytes."),
    allow_symlinks: bool = typer.Option(False, "--allow-symlinks", help="Hash links that stay inside the root."),
) -> None:
    """Print the manifest of PATH: every file's (or shard's) SHA-256 and the root digest."""
    from mlwarden.integrity.sign import DEFAULT_SIGNATURE, hash_path

    if output_format not in ("text", "json"):
        raise UsageError(f"unknown --format {output_format!r}", hint="use text or json")
    manifest = hash_path(path, serialization=_serialization(files, shard_size, allow_symlinks),
                         signature=DEFAULT_SIGNATURE)  # fmt: skip
    if output_format == "json":
        typer.echo(json.dumps(manifest.to_json(), indent=2, ensure_ascii=False))
        return
    for resource in manifest.resources:
        typer.echo(f"{resource.digest}  {resource.name}")
    typer.echo(f"{manifest.root_digest()}  (root digest of {manifest.model_name})")
