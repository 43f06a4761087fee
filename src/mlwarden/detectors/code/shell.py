"""Shell command text: downloads piped into an interpreter, and pip installs that are not pinned.

The same checks read notebook ``!``/``%pip``/``%%bash`` lines and the literal commands a Python
file passes to ``os.system`` or ``subprocess``. Every pattern is RE2 (linear time).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import re2

from mlwarden.detectors.code.patterns import PIP_EXTRA_INDEX, PIP_TRUSTED_HOST, PIP_UNPINNED, PIPE_TO_SHELL

__all__ = ["MAX_COMMAND_CHARS", "ShellRisk", "find_shell_risks"]

MAX_COMMAND_CHARS = 64 * 1024
_MAX_PIP_ARGS_CHARS = 4096

_INTERPRETER = (
    r"(?:sudo\s+(?:-\S+\s+)*)?(?:/usr/bin/env\s+)?(?:/[\w./-]*/)?(?:(?:ba|z|k|da|fi)?sh|python[0-9.]*|perl|ruby|node)\b"
)
_PIPE_PATTERNS = (
    # curl https://x/install.sh | sudo bash ; wget -qO- url | python3
    r"(?i)\b(?:curl|wget)\b[^\n;&]*\|\s*" + _INTERPRETER,
    # bash <(curl ...) ; sh -c "$(curl ...)" ; python -c "$(wget -O- ...)"
    r"(?i)\b(?:(?:ba|z)?sh|python[0-9.]*)\s+(?:-c\s+)?[\"']?(?:<\(|\$\()\s*(?:curl|wget)\b",
    # PowerShell: iwr url | iex ; iex (irm url)
    r"(?i)\b(?:iwr|irm|invoke-webrequest|invoke-restmethod)\b[^\n;]*\|\s*(?:iex|invoke-expression)\b",
    r"(?i)\b(?:iex|invoke-expression)\s*\(\s*(?:iwr|irm|invoke-webrequest|invoke-restmethod|new-object)\b",
)
_PIP = r"(?i)(?:^|[\s;&|(!%])(?:(?:python[0-9.]*|py)\s+-m\s+)?(?:uv\s+)?pip[0-9.]*\s+install\b([^\n;&|]*)"

# pip options that take a value (the value is not a package).
_OPTION_VALUES = frozenset(
    {
        "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "-f", "--find-links",
        "-t", "--target", "--prefix", "--root", "--src", "--upgrade-strategy", "--platform", "--python-version",
        "--implementation", "--abi", "--progress-bar", "--cache-dir", "--log", "--proxy", "--retries", "--timeout",
        "--exists-action", "--cert", "--client-cert", "--only-binary", "--no-binary", "-C", "--config-settings",
        "--global-option", "--install-option", "--report", "--python", "--extra-index-url", "--trusted-host",
    }
)  # fmt: skip
_LOCAL_SUFFIXES = (".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2")


@dataclass(frozen=True, slots=True)
class ShellRisk:
    """A risky shell construct: its pattern key, a non-secret description and where it starts."""

    key: str
    name: str
    offset: int
    confidence: float


@lru_cache(maxsize=1)
def _compiled() -> tuple[list[Any], Any]:
    options = re2.Options()
    options.max_mem = 32 << 20
    return [re2.compile(p, options) for p in _PIPE_PATTERNS], re2.compile(_PIP, options)


def find_shell_risks(command: str) -> Iterator[ShellRisk]:
    """Yield risks in one shell command text (a line or a script); offsets are into ``command``."""
    text = command[:MAX_COMMAND_CHARS]
    pipes, pip = _compiled()
    for regex in pipes:
        for found in regex.finditer(text):
            yield ShellRisk(PIPE_TO_SHELL, "download piped into an interpreter", found.start(), 0.9)
    for found in pip.finditer(text):
        yield from _pip_risks(found.group(1)[:_MAX_PIP_ARGS_CHARS], found.start())


def _split(args: str) -> list[str]:
    try:
        return shlex.split(args, comments=True)
    except ValueError:
        return args.split()


def _pip_risks(args: str, offset: int) -> Iterator[ShellRisk]:
    tokens = _split(args)
    unpinned: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        option = token.partition("=")[0]
        if option in ("--extra-index-url", "--trusted-host"):
            key = PIP_EXTRA_INDEX if option == "--extra-index-url" else PIP_TRUSTED_HOST
            yield ShellRisk(key, f"pip install {option}", offset, 0.8 if key == PIP_EXTRA_INDEX else 0.9)
        if token.startswith("-"):
            index += 2 if token in _OPTION_VALUES else 1  # "--opt=value" is one token
            continue
        if _is_unpinned(token):
            unpinned.append(_package_name(token))
        index += 1
    if unpinned:
        names = ", ".join(sorted(set(unpinned))[:10])
        yield ShellRisk(PIP_UNPINNED, f"pip install {names}", offset, 0.7)


def _is_unpinned(spec: str) -> bool:
    if not spec or any(ch in spec for ch in "{}$`"):
        return False  # a variable: the value is not known here
    lowered = spec.lower()
    if lowered.startswith((".", "/", "~", "file:")) or lowered.endswith(_LOCAL_SUFFIXES):
        return False
    if lowered.startswith("git+") or "://" in lowered:
        return "@" not in lowered.split("://", 1)[-1].split("/", 1)[-1]
    return "==" not in spec and " @ " not in spec and "@" not in spec


def _package_name(spec: str) -> str:
    name = spec
    for stop in ("[", "<", ">", "=", "!", "~", ";", " "):
        name = name.split(stop, 1)[0]
    return name[:60] or spec[:60]
