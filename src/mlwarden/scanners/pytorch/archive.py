"""The zip checkpoint format (torch.save since 1.6, torch.jit.save): read it the way torch does, and wider.

torch (caffe2/serialize/inline_container.cc) names the archive after the folder of the first
central-directory entry and loads ``<archive>/data.pkl`` through miniz, which matches names without
regard to case and skips CRC checks; torch.load hands archives holding ``constants.pkl`` to
torch.jit.load, which runs the TorchScript in ``code/``; torch.package loads pickles of any name.
So every member whose name or first bytes say "pickle" is scanned, wherever it sits, every duplicate
and every local-only entry included. Tensor storages (``data/<key>``) are not unpickled by torch and
are only sniffed at their head, which keeps a multi-gigabyte checkpoint fast and memory flat.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from mlwarden.artifacts.artifact import Artifact
from mlwarden.core.errors import BudgetExceeded
from mlwarden.core.findings import Finding
from mlwarden.core.rules import Rule
from mlwarden.scanners.base import ScanContext
from mlwarden.scanners.pytorch.pickles import looks_like_pickle, read_frame, scan_pickles
from mlwarden.scanners.pytorch.rules import (
    CRC_MISMATCH,
    DUPLICATE_MEMBER,
    HEADER_MISMATCH,
    HIDDEN_DATA,
    HIDDEN_PICKLE,
    MALFORMED,
    MISSING_RECORD,
    TORCHSCRIPT_CODE,
    TORCHSCRIPT_DANGEROUS,
    UNREADABLE_MEMBER,
    ZIP64_TRICK,
)
from mlwarden.scanners.structured import FindingMaker
from mlwarden.scanners.zipread import ZipEntry, ZipListing, ZipReadError, open_member, read_listing
from mlwarden.scanners.zipread.findings import member_limit_finding

__all__ = ["ISSUE_RULES", "ZipJob", "drain", "scan_zip"]

ISSUE_RULES: dict[str, Rule] = {
    "duplicate": DUPLICATE_MEMBER,
    "header-mismatch": HEADER_MISMATCH,
    "zip64": ZIP64_TRICK,
    "prefix": HIDDEN_DATA,
    "gap": HIDDEN_DATA,
    "hidden": HIDDEN_DATA,
    "encrypted": UNREADABLE_MEMBER,
    "malformed": MALFORMED,
}
_HEAD = 64
_JIT_PICKLE = frozenset(
    f"torch.jit._pickle.{name}"
    for name in (
        "build_intlist",
        "build_tensorlist",
        "build_doublelist",
        "build_boollist",
        "build_tensor_from_id",
        "restore_type_tag",
    )
)
_CODE_LIMIT = 4 << 20
_SMALL = 1 << 16
_PICKLE_SUFFIXES = (".pkl", ".debug_pkl", ".pickle", ".pck")
_STORAGE = re.compile(r"(?:\.?data/)(?:\d+|[\w.-]+\.storage)")
# Linear-time: alternations of literals, single-character lookbehind, no nested quantifiers.
_TS_DANGER = re.compile(
    r"(?<![\w.])(?:os|posix|nt|subprocess|builtins|__builtin__|sys|socket|shutil|ctypes|importlib|pickle"
    r"|marshal|pty|runpy|webbrowser|urllib|requests)\s*\.\s*\w+"
    r"|__import__|__builtins__|(?<![\w.])(?:eval|exec|compile|open|breakpoint)\s*\("
    r"|^[ \t]*(?:import|from)[ \t]+(?!__torch__|torch\b)\w+",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class ZipJob:
    """What a member scan needs: the shared stream, the artifact, the context and the finding maker."""

    stream: BinaryIO
    artifact: Artifact
    ctx: ScanContext
    make: FindingMaker


def scan_zip(job: ZipJob, size: int) -> Iterator[Finding]:
    """Yield structural findings, then the findings of every pickle-like member."""
    try:
        listing = read_listing(job.stream, size, job.ctx.budget, job.ctx.deadline)
    except ZipReadError as exc:
        yield job.make(MALFORMED, f"cannot read the zip structure: {exc}", key="zip")
        return
    for issue in listing.issues:
        rule = ISSUE_RULES.get(issue.kind, MALFORMED)
        key = f"{issue.kind}:{issue.member or ''}"
        yield job.make(rule, issue.message, key=key, member=issue.member, offset=issue.offset)
    prefix, torchscript = yield from _layout(job, listing)
    for index, entry in enumerate(listing.entries):
        if index % 256 == 0:
            job.ctx.deadline.check("zip members")
        if not entry.is_dir:
            findings = guarded(job, entry, _member(job, entry, prefix))
            yield from (f for f in findings if not (torchscript and _torchscript_global(f)))


def _layout(job: ZipJob, listing: ZipListing) -> Generator[Finding, None, tuple[str, bool]]:
    central = [e for e in listing.entries if e.source == "central"]
    first = central[0].name if central else ""
    if "/" not in first:
        yield job.make(MISSING_RECORD, f"first entry {first[:80]!r} is not in a folder; torch refuses it", key="root")
        return "", False
    prefix = first.split("/", 1)[0] + "/"
    lowered = [e.name.lower() for e in central]
    low = prefix.lower()
    torchscript = low + "constants.pkl" in lowered or any(n.startswith(low + "code/") for n in lowered)
    if torchscript:
        yield job.make(
            TORCHSCRIPT_CODE, "TorchScript archive: torch.jit.load compiles and runs its code/ folder", key="ts"
        )
    elif prefix.lower() + "data.pkl" not in lowered:
        yield job.make(MISSING_RECORD, f"no {prefix}data.pkl: torch.load cannot read this archive", key="nodata")
    outside = [e.name for e in central if not e.name.startswith(prefix)]
    if outside:
        shown = ", ".join(repr(n[:60]) for n in outside[:3])
        yield job.make(MISSING_RECORD, f"{len(outside)} members outside {prefix}: {shown}", key="outside")
    return prefix, torchscript


def _torchscript_global(finding: Finding) -> bool:
    """Globals that only TorchScript's C++ unpickler resolves (to compiled classes or list builders).

    It never imports Python modules; the risk of a TorchScript archive is its code/, checked apart.
    """
    key = finding.match_key
    return finding.rule_id.startswith("MW-PICKLE-") and (key.startswith("__torch__.") or key in _JIT_PICKLE)


def guarded(job: ZipJob, entry: ZipEntry, findings: Iterator[Finding]) -> Iterator[Finding]:
    """Run one member's scan; a member-level limit becomes a finding and the other members still run."""
    try:
        yield from findings
    except ZipReadError as exc:
        yield job.make(UNREADABLE_MEMBER, f"not inspected: {exc}", key=f"unreadable:{entry.name}", member=entry.name)
    except BudgetExceeded as exc:
        if exc.resource == "seconds_per_artifact":
            raise
        yield member_limit_finding(job.artifact, entry.name, exc, scanner=job.make.scanner, version=job.make.version)


def _member(job: ZipJob, entry: ZipEntry, prefix: str) -> Iterator[Finding]:
    raw, stream = open_member(job.stream, entry, job.ctx.budget)
    relative = entry.name[len(prefix) :] if prefix and entry.name.startswith(prefix) else entry.name
    head = stream.read(_HEAD)
    whole = len(head) >= entry.size
    if _STORAGE.fullmatch(relative):
        if looks_like_pickle(head, whole=whole):
            yield from _hidden_pickle(job, entry, stream)
        return
    if relative.lower().endswith(_PICKLE_SUFFIXES) or looks_like_pickle(head, whole=whole):
        stream.seek(0)
        yield from scan_pickles(
            stream,
            artifact=job.artifact,
            ctx=job.ctx,
            member=entry.name,
            scanner=job.make.scanner,
            version=job.make.version,
        )
    elif relative.startswith("code/") and relative.endswith(".py"):
        yield from _torchscript(job, entry, head + stream.read(_CODE_LIMIT))
    elif entry.size > _SMALL:
        return
    drain(stream, job.ctx)
    if raw.crc_ok is False:
        yield job.make(
            CRC_MISMATCH,
            f"CRC-32 of {entry.name} does not match the directory",
            key=f"crc:{entry.name}",
            member=entry.name,
        )


def drain(stream: BinaryIO, ctx: ScanContext) -> None:
    """Read a member to its end so its CRC gets checked (the member reader bounds the size)."""
    count = 0
    while stream.read(1 << 20):
        count += 1
        if count % 64 == 0:
            ctx.deadline.check("zip member")


def _hidden_pickle(job: ZipJob, entry: ZipEntry, stream: BinaryIO) -> Iterator[Finding]:
    frame = read_frame(stream, 0, max_ops=job.ctx.budget.max_pickle_opcodes)
    if frame.complete and frame.globals:
        names = ", ".join(sorted(set(frame.globals))[:8])
        yield job.make(
            HIDDEN_PICKLE,
            f"tensor storage {entry.name} holds a pickle importing {names}",
            key=f"storage:{entry.name}",
            member=entry.name,
            evidence=names,
        )


def _torchscript(job: ZipJob, entry: ZipEntry, data: bytes) -> Iterator[Finding]:
    text = data.decode("utf-8", "replace")
    seen: set[str] = set()
    for match in _TS_DANGER.finditer(text):
        found = " ".join(match.group().split())
        if found in seen or len(seen) >= 10:
            continue
        seen.add(found)
        line = text.count("\n", 0, match.start()) + 1
        yield job.make(
            TORCHSCRIPT_DANGEROUS,
            f"TorchScript code in {entry.name} line {line} uses {found[:60]!r}",
            key=f"ts:{entry.name}:{found[:60]}",
            member=entry.name,
            evidence=found,
        )
