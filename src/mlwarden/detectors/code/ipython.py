"""IPython cell syntax: separate shell commands (``!``, ``%pip``, ``%%bash``) from the Python around them.

A notebook code cell is Python plus IPython's line and cell magics. The Python part keeps its line
numbers (magic lines become ``pass`` at the same indentation) so the AST detector can read it; the
shell part goes to the shell checks with the line it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["CellCode", "split_cell"]

# Cell magics whose body is shell script, and those whose body is still Python.
_SHELL_CELLS = frozenset({"bash", "sh", "script", "system", "!", "zsh"})
_PYTHON_CELLS = frozenset({"time", "timeit", "capture", "prun", "debug", "python", "python3", "pypy"})
# Line magics that run their argument in a shell, with the program name the shell checks expect.
_SHELL_LINES = {"pip": "pip", "conda": "conda", "mamba": "mamba", "sx": "", "system": "", "sh": ""}
_ASSIGNED_SHELL = re.compile(r"^[ \t]*[A-Za-z_][\w, \t]*=[ \t]*!(.*)$")
_HELP = re.compile(r"^[ \t]*(?:\?{1,2}[A-Za-z_][\w.]*|[A-Za-z_][\w.]*\?{1,2})[ \t]*$")
_LINE_MAGIC = re.compile(r"^([ \t]*)(!!?|%%?)([A-Za-z_][\w]*)?(.*)$")


@dataclass(slots=True)
class CellCode:
    """A cell split into Python (``python`` is None when the cell is not Python) and shell lines."""

    python: str | None
    shell: list[tuple[int, str]] = field(default_factory=list)


def _cell_magic(first: str) -> str:
    return first[2:].split(None, 1)[0] if len(first) > 2 and first[2:].strip() else ""


def _shell_cell(lines: list[str], magic: str, first: str) -> CellCode:
    # %%script bash / %%script python: the interpreter is the first argument.
    words = first.split()
    interpreter = words[1] if magic == "script" and len(words) > 1 else magic
    if interpreter.startswith("python"):
        return CellCode(python="\n" + "\n".join(lines[1:]))
    return CellCode(python=None, shell=[(n, line) for n, line in enumerate(lines[1:], start=2) if line.strip()])


def _line(line: str) -> tuple[str, str | None]:
    """(python replacement, shell text or None) for one line of a code cell."""
    assigned = _ASSIGNED_SHELL.match(line)
    if assigned:
        return "", assigned.group(1)
    magic = _LINE_MAGIC.match(line)
    if magic is None:
        return line, None
    indent, marker, name, rest = magic.groups()
    placeholder = f"{indent}pass" if indent else ""
    if marker.startswith("!"):
        return placeholder, f"{name or ''}{rest}"
    if name in _SHELL_LINES:
        program = _SHELL_LINES[name]
        return placeholder, f"{program}{rest}" if program else rest.strip()
    return placeholder, None


def split_cell(source: str) -> CellCode:
    """Split one code cell; line numbers in ``shell`` are 1-based within the cell."""
    lines = source.split("\n")
    first = lines[0].strip()
    if first.startswith("%%"):
        magic = _cell_magic(first)
        if magic in _SHELL_CELLS or first.startswith("%%!"):
            return _shell_cell(lines, "!" if first.startswith("%%!") else magic, first)
        if magic not in _PYTHON_CELLS:
            return CellCode(python=None)  # %%html, %%javascript, %%sql, %%writefile ...: not Python
        lines[0] = ""
    python: list[str] = []
    shell: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if _HELP.match(line):
            python.append("")  # help syntax: obj? / ?obj / obj??
            continue
        replacement, command = _line(line)
        python.append(replacement)
        if command is not None and command.strip():
            shell.append((number, command))
    return CellCode(python="\n".join(python), shell=shell)
