"""Risky code in Python sources and notebooks: unsafe deserialisation, shell use, disabled TLS, remote code."""

from mlwarden.detectors.code.detector import MAX_AST_CHARS, find_code_risks
from mlwarden.detectors.code.match import CodeMatch
from mlwarden.detectors.code.patterns import CODE_KEYS
from mlwarden.detectors.code.shell import ShellRisk, find_shell_risks

__all__ = ["CODE_KEYS", "MAX_AST_CHARS", "CodeMatch", "ShellRisk", "find_code_risks", "find_shell_risks"]
