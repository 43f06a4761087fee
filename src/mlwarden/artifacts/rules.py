"""Rules for findings about containers themselves: bombs, traversal, truncation, exhausted limits.

The walker (``mlwarden.artifacts.walk``) and the archive expander (``mlwarden.artifacts.archive``)
make these findings under the scanner name ``WALKER_NAME``; model scanners reuse them when they read
members of a container themselves (a PyTorch zip, a ``.keras`` file).
"""

from __future__ import annotations

from mlwarden.core.findings import Severity, Stage
from mlwarden.core.rules import Rule

__all__ = [
    "ARCHIVE_BOMB",
    "ARCHIVE_CORRUPT",
    "ARCHIVE_DUPLICATE",
    "ARCHIVE_ENCRYPTED",
    "ARCHIVE_HEADER_MISMATCH",
    "ARCHIVE_LINK_MEMBER",
    "ARCHIVE_MEMBER_TOO_LARGE",
    "ARCHIVE_NESTING",
    "ARCHIVE_NOT_INSPECTED",
    "ARCHIVE_RULES",
    "ARCHIVE_TOO_MANY_MEMBERS",
    "ARCHIVE_TRAVERSAL",
    "ARTIFACT_RULES",
    "EXECUTABLE_DISGUISED",
    "LIMIT_EXCEEDED",
    "SYMLINK_ESCAPE",
    "WALKER_NAME",
    "WALKER_VERSION",
]

WALKER_NAME = "walk"
WALKER_VERSION = 1

_DOS = ("SERVE-07", "MODEL-07")

LIMIT_EXCEEDED = Rule(
    id="MW-LIMIT-001",
    title="Artifact exceeds a resource limit",
    severity=Severity.HIGH,
    risk_ids=_DOS,
    stage=Stage.MODEL,
    help=(
        "Reading the artifact hit a size, depth, member-count, decompression-ratio or time limit. "
        "Legitimate models rarely do; hostile files do so on purpose to exhaust the tools that load them."
    ),
    remediation="Do not load the artifact. If it is trusted, raise the named limit in mlwarden.yaml and rescan.",
    cwe="CWE-400",
)

ARCHIVE_BOMB = Rule(
    id="MW-ARCHIVE-001",
    title="Decompression bomb",
    severity=Severity.HIGH,
    risk_ids=_DOS,
    stage=Stage.MODEL,
    help=(
        "An archive member inflates far more than real data does (the ratio is measured on the bytes "
        "actually produced, not on the size the archive declares). Loaders that unpack it exhaust memory or disk."
    ),
    remediation="Do not unpack or load the archive. Ask its source for the original files.",
    cwe="CWE-409",
)

ARCHIVE_NESTING = Rule(
    id="MW-ARCHIVE-002",
    title="Archives nested too deep",
    severity=Severity.MEDIUM,
    risk_ids=_DOS,
    stage=Stage.MODEL,
    help=(
        "Archives inside archives beyond the depth limit (a zip quine contains itself forever). "
        "The inner levels were not scanned."
    ),
    remediation="Flatten the archive, or raise max_archive_depth in mlwarden.yaml if it is trusted.",
    cwe="CWE-409",
)

ARCHIVE_TOO_MANY_MEMBERS = Rule(
    id="MW-ARCHIVE-003",
    title="Archive has too many members",
    severity=Severity.MEDIUM,
    risk_ids=_DOS,
    stage=Stage.MODEL,
    help="The archive holds more members than max_archive_members; the rest were not scanned.",
    remediation="Split the archive, or raise max_archive_members in mlwarden.yaml if it is trusted.",
    cwe="CWE-400",
)

ARCHIVE_MEMBER_TOO_LARGE = Rule(
    id="MW-ARCHIVE-004",
    title="Archive member exceeds the extraction limit",
    severity=Severity.HIGH,
    risk_ids=_DOS,
    stage=Stage.MODEL,
    help=(
        "Unpacking produced more bytes than max_member_bytes for one member, or more than "
        "max_total_extracted_bytes for one file on disk; the rest of the archive was not scanned."
    ),
    remediation="Do not unpack the archive blindly; raise the named limit in mlwarden.yaml if it is trusted.",
    cwe="CWE-409",
)

ARCHIVE_TRAVERSAL = Rule(
    id="MW-ARCHIVE-005",
    title="Archive member name escapes the extraction directory",
    severity=Severity.HIGH,
    risk_ids=("MODEL-07", "PLAT-06"),
    stage=Stage.MODEL,
    help=(
        "A member name is absolute, has a drive letter, a backslash or a '..' component (zip-slip). A loader "
        "that extracts the archive writes outside its directory, for example over a script or a key."
    ),
    remediation="Do not extract the archive. Extract only with a tool that rejects such names.",
    cwe="CWE-22",
)

ARCHIVE_CORRUPT = Rule(
    id="MW-ARCHIVE-006",
    title="Archive cannot be parsed",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help=(
        "The archive is truncated or corrupt, so part of it was not scanned. Parsers disagree on broken "
        "archives, which attackers use to show a scanner one thing and a loader another."
    ),
    remediation="Re-download or rebuild the archive from its source and rescan.",
    cwe="CWE-20",
)

ARCHIVE_ENCRYPTED = Rule(
    id="MW-ARCHIVE-007",
    title="Encrypted archive member cannot be scanned",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help="The member is encrypted, so its content was not scanned; encryption also hides payloads from scanners.",
    remediation="Scan the decrypted content before use, or keep models in unencrypted, signed archives.",
)

ARCHIVE_DUPLICATE = Rule(
    id="MW-ARCHIVE-008",
    title="Archive holds two members with the same name",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help=(
        "Two entries share one name; loaders may read a different one than a scanner checks. Every "
        "entry was scanned, the later ones with a '#N' suffix."
    ),
    remediation="Rebuild the archive so that every member name is unique.",
)

ARCHIVE_LINK_MEMBER = Rule(
    id="MW-ARCHIVE-009",
    title="Archive member is a link or a device",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-07", "PLAT-06"),
    stage=Stage.MODEL,
    help=(
        "A symlink, hardlink or device member makes an extracting loader read or write another file "
        "(for example /etc/passwd or a key). It was not extracted."
    ),
    remediation="Extract only with a tool that refuses links (tarfile's 'data' filter) or rebuild the archive.",
    cwe="CWE-59",
)

ARCHIVE_HEADER_MISMATCH = Rule(
    id="MW-ARCHIVE-010",
    title="Zip local header disagrees with the central directory",
    severity=Severity.HIGH,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help=(
        "The member name in the local header differs from the central directory. Tools that read one or "
        "the other see different files: a known way to slip a payload past a scanner."
    ),
    remediation="Do not load the archive; rebuild it from its source.",
    cwe="CWE-436",
)

SYMLINK_ESCAPE = Rule(
    id="MW-ARCHIVE-011",
    title="Symlink escapes the scan root",
    severity=Severity.LOW,
    risk_ids=("MODEL-07", "PLAT-06"),
    stage=Stage.MODEL,
    help=(
        "A symlink in the scanned tree points outside it. A loader that follows it reads a file the "
        "artifact's author chose, such as /etc/passwd or a private key. It was not followed."
    ),
    remediation="Replace the symlink with the file it should contain, or remove it.",
    cwe="CWE-59",
)

ARCHIVE_NOT_INSPECTED = Rule(
    id="MW-ARCHIVE-012",
    title="Archive not inspected: its format needs an optional extra",
    severity=Severity.LOW,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help=(
        "The archive's members were not scanned because reading its format needs an optional dependency "
        "(7z: the 'archive' extra). Re-packing a model as 7z is a known way to slip past scanners (nullifAI)."
    ),
    remediation="Install the extra (pip install 'mlwarden[archive]') and rescan, or extract and scan the members.",
)

EXECUTABLE_DISGUISED = Rule(
    id="MW-ARCHIVE-013",
    title="Native executable named like a model or data file",
    severity=Severity.HIGH,
    risk_ids=("MODEL-07", "MODEL-04"),
    stage=Stage.MODEL,
    help=(
        "The file is a Windows (PE), Linux (ELF) or macOS (Mach-O) program although its name says model "
        "weights, a pickle or a data file. No ML library writes such a file. Hosting a program under a model "
        "name is how malware is staged in model repositories and how pickle/executable polyglots hide a "
        "second payload; a loader or a follow-up script may run it."
    ),
    remediation=(
        "Do not load or run the file; remove it from the model repository and ask the publisher why it is there."
    ),
    cwe="CWE-434",
)

ARCHIVE_RULES: tuple[Rule, ...] = (
    ARCHIVE_BOMB,
    ARCHIVE_NESTING,
    ARCHIVE_TOO_MANY_MEMBERS,
    ARCHIVE_MEMBER_TOO_LARGE,
    ARCHIVE_TRAVERSAL,
    ARCHIVE_CORRUPT,
    ARCHIVE_ENCRYPTED,
    ARCHIVE_DUPLICATE,
    ARCHIVE_LINK_MEMBER,
    ARCHIVE_HEADER_MISMATCH,
    SYMLINK_ESCAPE,
    ARCHIVE_NOT_INSPECTED,
    EXECUTABLE_DISGUISED,
)

ARTIFACT_RULES: tuple[Rule, ...] = (LIMIT_EXCEEDED, *ARCHIVE_RULES)
