"""What can be wrong with a signed artifact, one precise value per problem.

``verify()`` collects every mismatch it can see (all modified files, not just the first) and raises one
``IntegrityError`` holding them, so a CI log shows the whole difference in one run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from mlwarden.core.errors import VerificationError

__all__ = ["IntegrityError", "MalformedSignatureError", "Mismatch", "MismatchKind"]


class MismatchKind(StrEnum):
    """The kinds of mismatch, each with its own rule id (see ``integrity.rules``)."""

    MODIFIED = "modified"
    MISSING = "missing"
    EXTRA = "extra"
    BAD_SIGNATURE = "bad-signature"
    UNTRUSTED_KEY = "untrusted-key"
    EXPIRED_KEY = "expired-key"
    MALFORMED = "malformed"
    PATH_ESCAPE = "path-escape"
    SYMLINK = "symlink"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One problem: its kind, the path it concerns (relative to the root, or the signature) and details."""

    kind: MismatchKind
    path: str
    detail: str

    def display(self) -> str:
        """``kind: path: detail`` on one line."""
        return f"{self.kind.value}: {self.path}: {self.detail}"


class IntegrityError(VerificationError):
    """Verification failed; ``mismatches`` lists every problem found."""

    def __init__(self, mismatches: Sequence[Mismatch], *, hint: str = "") -> None:
        if not mismatches:
            raise ValueError("an IntegrityError needs at least one mismatch")
        self.mismatches = tuple(mismatches)
        first = self.mismatches[0].display()
        more = f" (and {len(self.mismatches) - 1} more)" if len(self.mismatches) > 1 else ""
        super().__init__(f"verification failed: {first}{more}", hint=hint or _hint(self.mismatches))


class MalformedSignatureError(IntegrityError):
    """The signature file is not a bundle we can read; nothing else was checked."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(
            [Mismatch(MismatchKind.MALFORMED, path, detail)],
            hint="pass the signature written by 'mlwarden sign' or 'model_signing sign' with --signature",
        )


def _hint(mismatches: Sequence[Mismatch]) -> str:
    kinds = {m.kind for m in mismatches}
    if kinds & {MismatchKind.UNTRUSTED_KEY, MismatchKind.BAD_SIGNATURE, MismatchKind.EXPIRED_KEY}:
        return "check that --public-key is the signer's current key; do not use the artifact until it verifies"
    return "do not use the artifact: restore the reviewed version, or review the changes and sign again"
