"""A Dockerfile parser that keeps line numbers: directives, continuations, comments, heredocs, exec form.

It follows the Dockerfile reference rather than a regex per line: parser directives (``# escape=```) are read
only before anything else; a line ending in the escape character continues on the next one, and comment or
empty lines inside a continuation are dropped; ``RUN``/``COPY``/``ADD`` may carry heredocs (``<<EOF``,
``<<-EOF`` strips leading tabs, quoted delimiters) whose bodies follow the instruction; JSON arguments are the
exec form. Nothing is executed and variables are substituted only where a check asks for it. What Docker would
read differently from how the text looks (a continuation or heredoc that never ends, broken JSON in exec form)
is kept on the instruction as ``problem``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["Instruction", "parse_dockerfile", "substitute"]

_DIRECTIVE = re.compile(r"^#[ \t]*([A-Za-z][A-Za-z0-9_-]*)[ \t]*=[ \t]*(\S*)[ \t]*$")
_HEREDOC = re.compile(r"<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_.-]*)\2")
_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")
_HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD"})
_EXEC_KEYWORDS = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL"})
_JSON_START = re.compile(r"\s*\[\s*[\"']")  # `[ -f x ]` is a shell test, `["x"` or `['x'` meant JSON


@dataclass(frozen=True, slots=True)
class Instruction:
    """One instruction: its keyword, flags (``--from=x``), arguments, heredoc bodies and first line."""

    keyword: str
    args: str
    line: int
    end_line: int
    flags: tuple[str, ...] = ()
    heredocs: tuple[str, ...] = ()
    exec_form: tuple[str, ...] | None = None
    problem: str = ""

    def flag(self, name: str) -> str | None:
        """The value of ``--name=value`` (or ``""`` for a bare ``--name``), or None."""
        for item in self.flags:
            key, _, value = item.partition("=")
            if key == f"--{name}":
                return value
        return None

    @property
    def script(self) -> str:
        """The text a shell would see: shell form or joined exec form, plus heredoc bodies."""
        body = " ".join(self.exec_form) if self.exec_form is not None else self.args
        return "\n".join([body, *self.heredocs])


def _directives(lines: list[str]) -> tuple[str, int]:
    """The escape character and the index of the first line after the parser directives."""
    escape = "\\"
    index = 0
    while index < len(lines):
        found = _DIRECTIVE.match(lines[index])
        if not found:
            break
        if found.group(1).lower() == "escape" and found.group(2) in ("\\", "`"):
            escape = found.group(2)
        index += 1
    return escape, index


def _skippable(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _logical(lines: list[str], index: int, escape: str) -> tuple[str, int, bool]:
    """Join one instruction's continuation lines; return the text, the index after it and whether it ended."""
    parts: list[str] = []
    while index < len(lines):
        line = lines[index].rstrip()
        index += 1
        if not line.endswith(escape):
            parts.append(line)
            return "".join(parts), index, True
        parts.append(line[: -len(escape)])
        while index < len(lines) and _skippable(lines[index]):
            index += 1
    return "".join(parts), index, False


def _heredocs(args: str, lines: list[str], index: int) -> tuple[tuple[str, ...], int, str]:
    """Read the bodies of the heredocs named in ``args`` from ``lines[index:]``, in order.

    Returns the bodies, the index after them and the delimiter of a heredoc the file never closes ("" if none).
    """
    bodies: list[str] = []
    unterminated = ""
    for found in _HEREDOC.finditer(args):
        strip_tabs, delimiter = found.group(1) == "-", found.group(3)
        body: list[str] = []
        closed = False
        while index < len(lines):
            line = lines[index]
            index += 1
            text = line.lstrip("\t") if strip_tabs else line
            if text.rstrip("\r") == delimiter:
                closed = True
                break
            body.append(text)
        if not closed and not unterminated:
            unterminated = delimiter
        bodies.append("\n".join(body))
    return tuple(bodies), index, unterminated


def _split_flags(args: str) -> tuple[tuple[str, ...], str]:
    flags: list[str] = []
    rest = args.lstrip()
    while rest.startswith("--"):
        token, _, remainder = rest.partition(" ")
        flags.append(token)
        rest = remainder.lstrip()
    return tuple(flags), rest


def _problem(keyword: str, args: str, *, ended: bool, unterminated: str) -> str:
    """What makes the instruction malformed, in words ("" when nothing does)."""
    if not ended:
        return "the last line ends with a line continuation: the instruction never ends"
    if unterminated:
        return f"the heredoc <<{unterminated} is never closed: it swallows the rest of the file"
    if keyword in _EXEC_KEYWORDS and _JSON_START.match(args) and _exec_form(args) is None:
        return "looks like exec form (JSON) but is not valid JSON: Docker runs the text through /bin/sh -c"
    return ""


def _exec_form(args: str) -> tuple[str, ...] | None:
    text = args.strip()
    if not text.startswith("["):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def parse_dockerfile(text: str, *, check: Callable[[], None] | None = None) -> list[Instruction]:
    """Every instruction of a Dockerfile, in order; ``check`` is called per instruction (a deadline)."""
    lines = text.splitlines()
    escape, index = _directives(lines)
    out: list[Instruction] = []
    while index < len(lines):
        if _skippable(lines[index]):
            index += 1
            continue
        if check is not None:
            check()
        start = index
        logical, index, ended = _logical(lines, index, escape)
        keyword, _, rest = logical.strip().partition(" ")
        keyword = keyword.upper()
        flags, args = _split_flags(rest) if keyword != "ONBUILD" else ((), rest.strip())
        bodies: tuple[str, ...] = ()
        unterminated = ""
        if keyword in _HEREDOC_KEYWORDS and "<<" in args:
            bodies, index, unterminated = _heredocs(args, lines, index)
        out.append(
            Instruction(
                keyword=keyword,
                args=args,
                line=start + 1,
                end_line=index,
                flags=flags,
                heredocs=bodies,
                exec_form=_exec_form(args) if keyword in _EXEC_KEYWORDS else None,
                problem=_problem(keyword, args, ended=ended, unterminated=unterminated),
            )
        )
    return out


def substitute(text: str, variables: Mapping[str, str]) -> str:
    """Expand ``$VAR``, ``${VAR}``, ``${VAR:-default}`` and ``${VAR:+alt}``; unknown names stay as written."""

    def replace(found: re.Match[str]) -> str:
        name = found.group(1) or found.group(4)
        known = variables.get(name)
        operator, word = found.group(2), found.group(3) or ""
        if operator in (":-", "-"):
            return known if known else word
        if operator in (":+", "+"):
            return word if known else ""
        return known if known is not None else found.group(0)

    return _VARIABLE.sub(replace, text)
