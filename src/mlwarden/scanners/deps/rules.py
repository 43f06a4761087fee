"""Rules of the dependency scanner (MW-DEP-*), mapped to MODEL-04, PLAT-02 and PLAT-06."""

from __future__ import annotations

from mlwarden.core.findings import Severity, Stage
from mlwarden.core.rules import Rule

__all__ = [
    "DEP_RULES",
    "DIRECT_URL",
    "EXTRA_INDEX",
    "INCLUDE_PROBLEM",
    "INSECURE_INDEX",
    "KNOWN_MALICIOUS",
    "KNOWN_VULNERABILITY",
    "MISSING_HASH",
    "TYPOSQUAT",
    "UNPARSABLE",
    "UNPINNED",
    "VULN_DATA_INCOMPLETE",
]

_LIBS = "MODEL-04"
_VULNS = "PLAT-02"
_SDLC = "PLAT-06"

UNPINNED = Rule(
    id="MW-DEP-001",
    title="Dependency not pinned to one version",
    severity=Severity.LOW,
    risk_ids=(_SDLC, _LIBS),
    stage=Stage.PLATFORM,
    help=(
        "A requirement without '==' (or a library dependency with no constraint at all) installs whatever "
        "the index serves on the day of the build: a hijacked or broken release arrives unreviewed, and the "
        "version cannot be checked against advisories."
    ),
    remediation=(
        "Pin exact versions in application requirements (pip-compile, uv lock, poetry lock) and keep ranges "
        "only in library metadata backed by a lock file."
    ),
    cwe="CWE-1357",
)
MISSING_HASH = Rule(
    id="MW-DEP-002",
    title="Dependency without a hash in a file that uses hashes",
    severity=Severity.MEDIUM,
    risk_ids=(_LIBS, _SDLC),
    stage=Stage.MODEL,
    help=(
        "The file pins artifacts by hash for some packages but not for this one, so this package's download "
        "is not verified (and pip's hash-checking mode rejects the whole file)."
    ),
    remediation="Regenerate the file with hashes for every package (pip-compile --generate-hashes, uv, poetry).",
    cwe="CWE-494",
)
DIRECT_URL = Rule(
    id="MW-DEP-003",
    title="Dependency installed from a direct URL or version control",
    severity=Severity.MEDIUM,
    risk_ids=(_LIBS, _SDLC),
    stage=Stage.MODEL,
    help=(
        "A package fetched from a URL or a Git branch bypasses the index, its yanking and its advisories; "
        "a branch or tag can be moved to new code, and plain http can be tampered with in transit."
    ),
    remediation="Publish the package to your index, or pin the URL to an immutable commit and add a hash.",
    cwe="CWE-494",
)
EXTRA_INDEX = Rule(
    id="MW-DEP-004",
    title="Additional package index (dependency confusion)",
    severity=Severity.HIGH,
    risk_ids=(_LIBS,),
    stage=Stage.MODEL,
    help=(
        "With '--extra-index-url' (or a secondary/supplemental source) pip picks the highest version from any "
        "index, so anyone who registers an internal package name on PyPI wins: the torchtriton attack on "
        "PyTorch nightly users (December 2022) worked exactly this way."
    ),
    remediation=(
        "Use a single index that proxies PyPI ('--index-url'), or uv's default first-index strategy, Poetry "
        "'explicit' sources, and register your internal names on PyPI as placeholders."
    ),
    cwe="CWE-427",
)
INSECURE_INDEX = Rule(
    id="MW-DEP-005",
    title="Package index without TLS verification",
    severity=Severity.MEDIUM,
    risk_ids=(_LIBS, _SDLC),
    stage=Stage.MODEL,
    help=(
        "An index or find-links location over plain http, a '--trusted-host', or 'verify_ssl = false' lets "
        "anyone on the network path replace the packages being installed."
    ),
    remediation="Serve the index over https with a valid certificate and remove '--trusted-host'.",
    cwe="CWE-295",
)
TYPOSQUAT = Rule(
    id="MW-DEP-006",
    title="Possible typosquat of a popular package",
    severity=Severity.HIGH,
    risk_ids=(_LIBS,),
    stage=Stage.MODEL,
    help=(
        "The name is one typo, a swapped separator, a look-alike character or a common affix away from a "
        "popular Python or ML package; typosquats run their payload at install time."
    ),
    remediation="Check the name on the index and in the project's docs; replace it with the intended package.",
    cwe="CWE-1357",
)
KNOWN_MALICIOUS = Rule(
    id="MW-DEP-007",
    title="Known malicious package",
    severity=Severity.CRITICAL,
    risk_ids=(_LIBS,),
    stage=Stage.MODEL,
    help=(
        "The package (or this release of it) was publicly reported as malware: installing it ran code that "
        "stole credentials or mined cryptocurrency."
    ),
    remediation=(
        "Remove it, rebuild environments and images that installed it, and rotate every credential that was "
        "reachable from them."
    ),
    cwe="CWE-506",
)
KNOWN_VULNERABILITY = Rule(
    id="MW-DEP-008",
    title="Dependency version with a known vulnerability",
    severity=Severity.HIGH,
    risk_ids=(_VULNS, _LIBS),
    stage=Stage.PLATFORM,
    help=(
        "The pinned version is inside the affected range of a published advisory (OSV: GHSA, PYSEC, CVE). "
        "The severity comes from the advisory's CVSS vector when it has one."
    ),
    remediation="Upgrade to a fixed version named in the finding; if none exists, assess and mitigate.",
    cwe="CWE-1395",
)
INCLUDE_PROBLEM = Rule(
    id="MW-DEP-009",
    title="Requirements include that cannot be followed safely",
    severity=Severity.MEDIUM,
    risk_ids=(_SDLC,),
    stage=Stage.PLATFORM,
    help=(
        "A '-r' or '-c' include forms a cycle, nests too deep, points outside the scanned project or to a "
        "remote URL: what gets installed then depends on files nobody reviewed with this one."
    ),
    remediation="Keep included requirement files inside the repository, without cycles, and review them together.",
    cwe="CWE-829",
)
UNPARSABLE = Rule(
    id="MW-DEP-010",
    title="Dependency file or line that cannot be parsed",
    severity=Severity.LOW,
    risk_ids=(_SDLC,),
    stage=Stage.PLATFORM,
    help=(
        "The file (or one requirement in it) is not valid for its format, so its dependencies were not "
        "checked; installers may also read it differently from one another."
    ),
    remediation="Fix the syntax; 'pip install --dry-run -r FILE' or the tool that owns the lock file shows where.",
    cwe="CWE-1357",
)
VULN_DATA_INCOMPLETE = Rule(
    id="MW-DEP-011",
    title="Vulnerability data incomplete",
    severity=Severity.LOW,
    risk_ids=(_VULNS,),
    stage=Stage.PLATFORM,
    help=(
        "The advisory database could not be reached, so pinned versions were checked against a cached copy "
        "or not at all; a clean result here does not mean there are no known vulnerabilities."
    ),
    remediation="Allow access to api.osv.dev, or point 'osv_db' (or MLWARDEN_OSV_DB) at an OSV export and rescan.",
)

DEP_RULES: tuple[Rule, ...] = (
    UNPINNED,
    MISSING_HASH,
    DIRECT_URL,
    EXTRA_INDEX,
    INSECURE_INDEX,
    TYPOSQUAT,
    KNOWN_MALICIOUS,
    KNOWN_VULNERABILITY,
    INCLUDE_PROBLEM,
    UNPARSABLE,
    VULN_DATA_INCOMPLETE,
)
