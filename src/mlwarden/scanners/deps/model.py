"""The values the dependency parsers produce: one ``Dependency`` per declared package, and ``Issue``s.

Parsers never make findings themselves; they describe what a file declares, and the checks decide
what is wrong with it. That keeps every parser small and lets one check cover every file kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mlwarden.artifacts.limits import Deadline
from mlwarden.core.errors import BudgetExceeded
from mlwarden.core.findings import Severity

__all__ = ["Dependency", "Issue", "ParsedFile", "Ticker", "normalize", "strip_userinfo"]

_SEPARATORS = re.compile(r"[-_.]+")
_USERINFO = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]{0,30}://)[^/@\s]{1,500}@")


def normalize(name: str) -> str:
    """The PEP 503 form of a project name: lowercase, runs of ``-_.`` folded into one ``-``."""
    return _SEPARATORS.sub("-", name).lower()


def strip_userinfo(url: str) -> str:
    """A URL with any ``user:password@`` replaced by ``***@`` so evidence never carries credentials."""
    return _USERINFO.sub(r"\1***@", url)


@dataclass(frozen=True, slots=True, kw_only=True)
class Dependency:
    """One declared package: what is asked for, where, and how tightly.

    ``version`` is set only when exactly one version can be installed (``==1.2.3``, ``===1.2.3`` or a
    lock entry); ``abstract`` marks library metadata (PEP 621, Poetry, setup.cfg) where ranges are the
    norm and a lock file does the pinning.
    """

    name: str
    raw_name: str
    source: str
    line: int | None
    specifier: str = ""
    version: str | None = None
    hashes: tuple[str, ...] = ()
    url: str | None = None
    vcs: bool = False
    editable: bool = False
    local: bool = False
    markers: str | None = None
    extras: tuple[str, ...] = ()
    is_lock: bool = False
    abstract: bool = False
    ecosystem: str = "PyPI"


@dataclass(frozen=True, slots=True, kw_only=True)
class Issue:
    """Something wrong with the file rather than with one package (an index option, a bad include).

    ``code`` picks the rule: ``extra-index``, ``insecure-index``, ``trusted-host``, ``include-cycle``,
    ``include-outside``, ``include-depth``, ``include-missing``, ``include-remote``, ``unparsable``.
    """

    code: str
    message: str
    source: str
    line: int | None
    key: str
    evidence: str = ""
    severity: Severity | None = None


@dataclass(slots=True)
class ParsedFile:
    """What one dependency file (and the files it includes) declares."""

    kind: str
    dependencies: list[Dependency] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    hash_mode: bool = False


@dataclass(slots=True)
class Ticker:
    """Bounds one parse: the number of entries read and the artifact's deadline (a giant lock file stops)."""

    deadline: Deadline | None = None
    max_entries: int = 200_000
    where: str = ""
    count: int = 0

    def tick(self) -> None:
        """Count one entry; raise ``BudgetExceeded`` past the limit, and check the deadline now and then."""
        self.count += 1
        if self.count > self.max_entries:
            raise BudgetExceeded("dependency_entries", self.max_entries, self.count, where=self.where)
        if self.deadline is not None and self.count % 512 == 0:
            self.deadline.check(self.where)
