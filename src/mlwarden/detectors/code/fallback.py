"""Line-based RE2 scan for the most important patterns, used when the source cannot be parsed.

A file that ``ast`` refuses (Python 2, a syntax error, nesting deep enough to exhaust the parser,
a size over the AST limit) still gets its worst patterns reported, with lower confidence.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from functools import lru_cache
from itertools import accumulate
from typing import Any

import re2

from mlwarden.detectors.code.patterns import (
    DYNAMIC_CODE,
    JOBLIB_LOAD,
    KERAS_UNSAFE,
    NUMPY_PICKLE,
    PANDAS_PICKLE,
    PICKLE_LOAD,
    SHELL_COMMAND,
    TLS_DISABLED,
    TORCH_LOAD,
    TRUST_REMOTE_CODE,
    YAML_UNSAFE,
)
from mlwarden.detectors.code.shell import find_shell_risks

__all__ = ["FALLBACK_CONFIDENCE", "scan_lines"]

FALLBACK_CONFIDENCE = 0.5
_MAX_LINE_CHARS = 8192

# (key, name, pattern, pattern that clears the line when it also matches or "")
_ROWS: tuple[tuple[str, str, str, str], ...] = (
    (PICKLE_LOAD, "unpickling call", r"\b(?:c?[Pp]ickle|dill|cloudpickle)\s*\.\s*(?:loads?|Unpickler)\s*\(", ""),
    (TORCH_LOAD, "torch load", r"\btorch\s*\.\s*load\s*\(", r"weights_only\s*=\s*True"),
    (JOBLIB_LOAD, "joblib load", r"\bjoblib\s*\.\s*load\s*\(", ""),
    (NUMPY_PICKLE, "numpy load allow_pickle", r"\b(?:np|numpy)\s*\.\s*load\s*\(.*allow_pickle\s*=\s*True", ""),
    (PANDAS_PICKLE, "pandas read_pickle", r"\b(?:pd|pandas)\s*\.\s*read_pickle\s*\(", ""),
    (YAML_UNSAFE, "yaml load", r"\byaml\s*\.\s*(?:load|load_all|unsafe_load|full_load)\s*\(", r"Safe|BaseLoader"),
    (TRUST_REMOTE_CODE, "trust_remote_code=True", r"\btrust_remote_code\s*=\s*True\b", ""),
    (DYNAMIC_CODE, "dynamic code", r"(?:^|[^\w.])(?:eval|exec)\s*\(\s*[^\s'\")]", ""),
    (SHELL_COMMAND, "shell command", r"\bos\s*\.\s*(?:system|popen)\s*\(|\bshell\s*=\s*True\b", ""),
    (TLS_DISABLED, "TLS verification disabled", r"\bverify\s*=\s*False\b|_create_unverified_context|\bCERT_NONE\b", ""),
    (KERAS_UNSAFE, "load_model(safe_mode=False)", r"\bsafe_mode\s*=\s*False\b", ""),
)


@lru_cache(maxsize=1)
def _compiled() -> tuple[list[tuple[str, str, Any, Any]], Any]:
    options = re2.Options()
    options.max_mem = 32 << 20
    rows = [
        (key, name, re2.compile("(?m)" + pattern, options), re2.compile(clear, options) if clear else None)
        for key, name, pattern, clear in _ROWS
    ]
    return rows, re2.compile(r"(?i)curl|wget|iwr|irm|iex|invoke-", options)


def scan_lines(lines: list[str]) -> Iterator[tuple[str, str, int, int, float]]:
    """Yield ``(key, name, line, column, confidence)`` for matches (1-based positions).

    Each pattern runs once over the whole text (RE2, linear); only the lines it hits are looked at again.
    """
    rows, shell_hint = _compiled()
    clipped = [line[:_MAX_LINE_CHARS] for line in lines]
    text = "\n".join(clipped)
    starts = list(accumulate((len(line) + 1 for line in clipped[:-1]), initial=0))
    for key, name, regex, clear in rows:
        for found in regex.finditer(text):
            number = bisect.bisect_right(starts, found.start())
            line = clipped[number - 1]
            if line.lstrip().startswith("#") or (clear is not None and clear.search(line) is not None):
                continue
            yield key, name, number, found.start() - starts[number - 1] + 1, FALLBACK_CONFIDENCE
    hinted = sorted({bisect.bisect_right(starts, m.start()) for m in shell_hint.finditer(text)})
    for number in hinted:
        for risk in find_shell_risks(clipped[number - 1]):
            if risk.key != "pip-unpinned":  # pip text in messages and docs is common in code
                yield risk.key, risk.name, number, risk.offset + 1, FALLBACK_CONFIDENCE
