"""Rules of the PyTorch container scanner (the pickles inside are judged by the pickle scanner's rules)."""

from __future__ import annotations

from mlwarden.core.findings import Severity, Stage
from mlwarden.core.rules import Rule

__all__ = [
    "CRC_MISMATCH",
    "DUPLICATE_MEMBER",
    "HEADER_MISMATCH",
    "HIDDEN_DATA",
    "HIDDEN_PICKLE",
    "LEGACY_TAR",
    "MALFORMED",
    "MISSING_RECORD",
    "POLYGLOT",
    "TORCHSCRIPT_CODE",
    "TORCHSCRIPT_DANGEROUS",
    "TORCH_RULES",
    "UNREADABLE_MEMBER",
    "ZIP64_TRICK",
]

_SAFE = (
    "Prefer weights in safetensors. Load pickled checkpoints only with torch.load(weights_only=True), and "
    "only after review."
)

MALFORMED = Rule(
    id="MW-TORCH-001",
    title="PyTorch file does not follow the checkpoint format",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help=(
        "The zip structure or the legacy pickle sequence is broken. torch refuses some of these files, but "
        "hand-made or lenient loaders may read them differently than a scanner does."
    ),
    remediation=f"Do not load the file; re-export it from a trusted source. {_SAFE}",
    cwe="CWE-20",
)
CRC_MISMATCH = Rule(
    id="MW-TORCH-002",
    title="Zip member CRC does not match its data",
    severity=Severity.HIGH,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help=(
        "torch reads zip members without checking CRCs, while Python's zipfile refuses them, so a bad CRC "
        "hides a member from zipfile-based scanners but not from torch.load. torch.save never writes one."
    ),
    remediation=f"Treat the file as tampered; do not load it. {_SAFE}",
    cwe="CWE-354",
)
DUPLICATE_MEMBER = Rule(
    id="MW-TORCH-003",
    title="Zip archive has several members with the same name",
    severity=Severity.HIGH,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help=(
        "Readers pick different copies of a duplicated name (zipfile the last, miniz by a case-insensitive "
        "binary search), so a reviewer's tool and torch.load can see different pickles."
    ),
    remediation=f"Treat the file as tampered; every copy was scanned. {_SAFE}",
    cwe="CWE-436",
)
HEADER_MISMATCH = Rule(
    id="MW-TORCH-004",
    title="Zip local header disagrees with the central directory",
    severity=Severity.HIGH,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help=(
        "The name, method, flags or sizes in a local header differ from the central directory. miniz "
        "(torch) ignores the local name and flags; zipfile raises; streaming readers trust the local header."
    ),
    remediation=f"Treat the file as tampered; do not load it. {_SAFE}",
    cwe="CWE-436",
)
MISSING_RECORD = Rule(
    id="MW-TORCH-005",
    title="PyTorch archive layout is unusual",
    severity=Severity.LOW,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help=(
        "torch takes the folder of the first central-directory entry as the archive name and loads "
        "<archive>/data.pkl. A missing data.pkl, several data.pkl, or members outside that folder are "
        "never written by torch.save and point to a hand-made archive."
    ),
    remediation=f"Check where the file comes from. {_SAFE}",
)
POLYGLOT = Rule(
    id="MW-TORCH-006",
    title="File is both a pickle and a zip archive",
    severity=Severity.HIGH,
    risk_ids=("MODEL-07", "MODEL-04"),
    stage=Stage.MODEL,
    help=(
        "torch.load treats a file as a zip only when it starts with a local header; otherwise it unpickles "
        "it from the first byte. A pickle prepended to a valid checkpoint runs on torch.load while "
        "zip-aware scanners only look inside the archive."
    ),
    remediation=f"Do not load the file. {_SAFE}",
    cwe="CWE-434",
)
ZIP64_TRICK = Rule(
    id="MW-TORCH-007",
    title="Zip end records disagree",
    severity=Severity.HIGH,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help=(
        "Several end-of-central-directory records, or a ZIP64 record that disagrees with the classic one, "
        "let two readers list different members."
    ),
    remediation=f"Treat the file as tampered; every directory found was scanned. {_SAFE}",
    cwe="CWE-436",
)
HIDDEN_DATA = Rule(
    id="MW-TORCH-008",
    title="Zip archive holds bytes no member accounts for",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help=(
        "Bytes before the first member, between members, or local headers that the central directory does "
        "not list are invisible to torch but seen by streaming unzippers and some scanners."
    ),
    remediation=f"Inspect the hidden bytes; re-export the model. {_SAFE}",
)
TORCHSCRIPT_CODE = Rule(
    id="MW-TORCH-009",
    title="Archive contains TorchScript code",
    severity=Severity.INFO,
    risk_ids=("MODEL-07", "SERVE-03"),
    stage=Stage.MODEL,
    help=(
        "torch.jit.load (and torch.load, which dispatches to it when constants.pkl exists) compiles and "
        "runs the code/ folder. weights_only=True does not apply to TorchScript archives."
    ),
    remediation="Load TorchScript only from trusted sources; export plain weights as safetensors otherwise.",
)
TORCHSCRIPT_DANGEROUS = Rule(
    id="MW-TORCH-010",
    title="TorchScript code references a dangerous module or builtin",
    severity=Severity.HIGH,
    risk_ids=("MODEL-07", "SERVE-03"),
    stage=Stage.MODEL,
    help=(
        "Compiled TorchScript refers only to torch ops and __torch__ classes. A reference to os, subprocess, "
        "builtins, eval/exec or a foreign import means the code was hand-edited."
    ),
    remediation="Do not load the archive; rebuild it with torch.jit.script from reviewed source.",
    cwe="CWE-94",
)
HIDDEN_PICKLE = Rule(
    id="MW-TORCH-011",
    title="Pickle stream where torch does not unpickle",
    severity=Severity.INFO,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help=(
        "A tensor storage, trailing bytes or an unused record holds pickle-like bytes. torch.load does not "
        "execute them, but a second-stage loader inside the model code could."
    ),
    remediation="Check the model's code for anything that unpickles its own tensors or extra files.",
)
LEGACY_TAR = Rule(
    id="MW-TORCH-012",
    title="Legacy tar-format PyTorch checkpoint",
    severity=Severity.INFO,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help="The pre-1.0 tar format cannot be loaded with weights_only=True; loading it always unpickles.",
    remediation=f"Convert the checkpoint in a sandbox and re-save it. {_SAFE}",
)
UNREADABLE_MEMBER = Rule(
    id="MW-TORCH-013",
    title="Zip member could not be inspected",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-07",),
    stage=Stage.MODEL,
    help="A member is encrypted or uses an unsupported compression method, so its content was not scanned.",
    remediation=f"Do not load the file until the member has been reviewed. {_SAFE}",
)

TORCH_RULES: tuple[Rule, ...] = (
    MALFORMED,
    CRC_MISMATCH,
    DUPLICATE_MEMBER,
    HEADER_MISMATCH,
    MISSING_RECORD,
    POLYGLOT,
    ZIP64_TRICK,
    HIDDEN_DATA,
    TORCHSCRIPT_CODE,
    TORCHSCRIPT_DANGEROUS,
    HIDDEN_PICKLE,
    LEGACY_TAR,
    UNREADABLE_MEMBER,
)
