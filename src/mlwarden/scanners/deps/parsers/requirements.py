"""``requirements.txt`` as pip reads it: continuations, comments, options, hashes and ``-r``/``-c`` includes.

Includes are resolved by a reader the scanner supplies (relative to the including file, refused outside
the scan root); the parser detects cycles, bounds nesting depth and the number of included files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from mlwarden.core.errors import BudgetExceeded
from mlwarden.core.findings import Severity
from mlwarden.scanners.deps.model import Dependency, Issue, ParsedFile, Ticker, normalize, strip_userinfo
from mlwarden.scanners.deps.parsers.common import VCS_PREFIXES, from_pep508, is_local_ref, unparsable

__all__ = [
    "MAX_INCLUDED_FILES",
    "MAX_INCLUDE_DEPTH",
    "IncludeReader",
    "IncludeRefused",
    "Included",
    "Option",
    "logical_lines",
    "parse_line",
    "parse_requirement_lines",
    "parse_requirements",
]

MAX_INCLUDE_DEPTH = 8
MAX_INCLUDED_FILES = 200

_COMMENT = re.compile(r"(^|\s+)#.*$")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]{0,200})")
_WHEEL_OR_SDIST = re.compile(r"/([A-Za-z0-9][A-Za-z0-9._]{0,200}?)-\d[^/]*\.(?:whl|tar\.gz|zip|tar\.bz2)(?:[#?].*)?$")
_LOOPBACK = re.compile(r"^https?://(?:localhost|127\.\d+\.\d+\.\d+|\[::1\])(?:[:/]|$)", re.IGNORECASE)
_SHORT = {"-r": "--requirement", "-c": "--constraint", "-e": "--editable", "-i": "--index-url", "-f": "--find-links"}
_URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]{0,30}://")


class IncludeRefused(Exception):
    """The reader will not open an include; ``code`` names the Issue (``include-outside``, ...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Included:
    """An included file the reader opened: its display path, a stable identity (real path) and text."""

    display: str
    identity: str
    text: str


IncludeReader = Callable[[str, str], Included]


@dataclass(frozen=True, slots=True)
class Option:
    """A pip option line: canonical long name and its value."""

    name: str
    value: str


@dataclass(slots=True)
class _State:
    out: ParsedFile
    reader: IncludeReader | None
    ticker: Ticker
    stack: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, joined line without comment) the way pip joins ``\\`` continuations."""
    pending: list[str] = []
    first = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        is_comment = raw.lstrip().startswith("#")
        if raw.endswith("\\") and not is_comment:
            if not pending:
                first = number
            pending.append(raw[:-1])
            continue
        line_no, joined = number, raw
        if pending:
            pending.append(" " + raw if is_comment else raw)
            line_no, joined = first, "".join(pending)
            pending = []
        yield line_no, _COMMENT.sub("", joined).strip()
    if pending:
        yield first, _COMMENT.sub("", "".join(pending)).strip()


def _option(tokens: list[str]) -> tuple[Option, list[str]]:
    head = tokens[0]
    if head.startswith("--") and "=" in head:
        name, value = head.split("=", 1)
        rest = tokens[1:]
    elif not head.startswith("--") and len(head) > 2:
        name, value, rest = head[:2], head[2:].lstrip("="), tokens[1:]
    else:
        name, value, rest = head, (tokens[1] if len(tokens) > 1 else ""), tokens[2:]
    return Option(_SHORT.get(name, name), value), rest


def parse_line(text: str, *, source: str, line: int) -> Dependency | Issue | Option | None:
    """One logical line: a Dependency, an Option, an Issue for a line we cannot read, or None if blank."""
    tokens = text.split()
    if not tokens:
        return None
    if tokens[0].startswith("-"):
        option, rest = _option(tokens)
        if option.name == "--editable":
            return _requirement(" ".join([option.value, *rest]).strip(), source=source, line=line, editable=True)
        return option
    return _requirement(text, source=source, line=line, editable=False)


def _requirement(text: str, *, source: str, line: int, editable: bool) -> Dependency | Issue | None:
    spec, _, options = text.partition(" -")
    options = "-" + options if options else ""
    hashes = tuple(re.findall(r"--hash[= ](\S+)", options))
    spec = spec.strip()
    if not spec:
        return unparsable(source, line, text, "option without a value")
    if is_local_ref(spec) or _URL_SCHEME.match(spec) or spec.startswith(VCS_PREFIXES):
        return _url_requirement(spec, source=source, line=line, editable=editable, hashes=hashes)
    return from_pep508(spec, source=source, line=line, hashes=hashes, editable=editable)


def _url_requirement(
    spec: str, *, source: str, line: int, editable: bool, hashes: tuple[str, ...]
) -> Dependency | Issue:
    local = is_local_ref(spec) or spec.startswith("file:")
    match = _EGG.search(spec) or _WHEEL_OR_SDIST.search(spec)
    raw_name = match.group(1) if match else spec.rstrip("/").rsplit("/", 1)[-1][:100] or spec[:100]
    return Dependency(
        name=normalize(raw_name),
        raw_name=raw_name,
        source=source,
        line=line,
        url=strip_userinfo(spec),
        vcs=spec.startswith(VCS_PREFIXES),
        editable=editable,
        local=local,
        hashes=hashes,
    )


def parse_requirements(
    text: str, *, source: str, identity: str, reader: IncludeReader | None, ticker: Ticker | None = None
) -> ParsedFile:
    """Parse a requirements file and, through ``reader``, the files it includes."""
    state = _State(ParsedFile(kind="requirements"), reader, ticker or Ticker(where=source), [identity], {identity})
    _parse_into(logical_lines(text), source, state)
    return state.out


def parse_requirement_lines(
    lines: Iterable[tuple[int, str]],
    *,
    source: str,
    identity: str,
    reader: IncludeReader | None,
    out: ParsedFile,
    ticker: Ticker,
) -> None:
    """Parse already-split lines (the ``pip:`` section of a conda environment) into ``out``."""
    _parse_into(lines, source, _State(out, reader, ticker, [identity], {identity}))


def _parse_into(lines: Iterable[tuple[int, str]], source: str, state: _State) -> None:
    for number, text in lines:
        state.ticker.tick()
        item = parse_line(text, source=source, line=number)
        if isinstance(item, Dependency):
            state.out.dependencies.append(item)
        elif isinstance(item, Issue):
            state.out.issues.append(item)
        elif isinstance(item, Option):
            _apply_option(item, source, number, state)


def _apply_option(option: Option, source: str, line: int, state: _State) -> None:
    if option.name in {"--requirement", "--constraint"}:
        _include(option, source, line, state)
    elif option.name == "--require-hashes":
        state.out.hash_mode = True
    elif option.name in {"--index-url", "--extra-index-url", "--find-links", "--trusted-host"}:
        state.out.issues.extend(index_issues(option.name, option.value, source=source, line=line))


def index_issues(name: str, value: str, *, source: str, line: int | None) -> list[Issue]:
    """Issues for one index option: extra indexes (dependency confusion) and sources without TLS."""
    shown = strip_userinfo(value)
    issues: list[Issue] = []
    evidence = f"{name} {shown}"[:200]
    remote = bool(_URL_SCHEME.match(value))
    if name == "--trusted-host":
        issues.append(
            Issue(
                code="trusted-host",
                message=f"TLS verification disabled for {shown}",
                source=source,
                line=line,
                key=f"trusted-host:{shown}",
                evidence=evidence,
            )
        )
        return issues
    if remote and value.lower().startswith("http://") and not _LOOPBACK.match(value):
        issues.append(
            Issue(
                code="insecure-index",
                message=f"{name} over plain http: {shown}",
                source=source,
                line=line,
                key=f"insecure-index:{shown}",
                evidence=evidence,
            )
        )
    if name == "--extra-index-url" or (name == "--find-links" and remote):
        note = " (with credentials in the URL)" if shown != value else ""
        issues.append(
            Issue(
                code="extra-index",
                message=f"{name} {shown}{note}: pip takes the highest version "
                "from any index, so a public package can shadow an internal one",
                source=source,
                line=line,
                key=f"extra-index:{shown}",
                evidence=evidence,
            )
        )
    return issues


def _include(option: Option, source: str, line: int, state: _State) -> None:
    ref = option.value
    flag = "-r" if option.name == "--requirement" else "-c"
    parent = state.stack[-1]

    def problem(code: str, message: str, severity: Severity | None = None) -> None:
        state.out.issues.append(
            Issue(
                code=code,
                message=message,
                source=source,
                line=line,
                key=f"{code}:{ref}",
                evidence=f"{flag} {strip_userinfo(ref)}"[:200],
                severity=severity,
            )
        )

    if not ref:
        problem("unparsable", f"{flag} without a file name")
        return
    if _URL_SCHEME.match(ref):
        problem("include-remote", f"{flag} {strip_userinfo(ref)} includes a remote file; it was not fetched")
        return
    if state.reader is None:
        problem("include-missing", f"{flag} {ref} was not followed (the file is inside an archive)", Severity.INFO)
        return
    if len(state.stack) > MAX_INCLUDE_DEPTH:
        problem("include-depth", f"{flag} {ref} nests includes deeper than {MAX_INCLUDE_DEPTH} levels")
        return
    try:
        included = state.reader(ref, parent)
    except IncludeRefused as exc:
        problem(exc.code, exc.message, Severity.LOW if exc.code == "include-missing" else None)
        return
    if included.identity in state.stack:
        chain = " -> ".join([*(s.rsplit("/", 1)[-1] for s in state.stack), included.display.rsplit("/", 1)[-1]])
        problem("include-cycle", f"{flag} {ref} forms an include cycle: {chain}")
        return
    if included.identity in state.seen:
        return
    if len(state.seen) >= MAX_INCLUDED_FILES:
        raise BudgetExceeded("included_files", MAX_INCLUDED_FILES, len(state.seen) + 1, where=source)
    state.seen.add(included.identity)
    state.stack.append(included.identity)
    try:
        _parse_into(logical_lines(included.text), included.display, state)
    finally:
        state.stack.pop()
