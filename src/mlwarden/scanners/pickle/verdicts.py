"""Judge one global a pickle imports: the logic over the tables in ``rules.py``.

Order matters and is the contract: (1) the name is mapped the way a loader maps it (``fix_imports``
for Python 2 names, module aliases such as ``posix`` -> ``os``); (2) an invalid, dunder or
non-ASCII path is dangerous or suspicious; (3) an exact allowlist entry or class pattern is safe —
before the denylist, so that ``types.SimpleNamespace`` or ``uuid.UUID`` pass although their modules
are denied; (4) a denylist prefix of the path, or of any suffix that re-enters a dangerous module
through an attribute (``torch.serialization`` + ``os.system``), is dangerous; (5) a name made of
loader/runner/writer words is dangerous by heuristic; (6) anything else is unknown, rated by tier.
"""

from __future__ import annotations

import _compat_pickle
import re
import sys
import unicodedata
from typing import Final

from mlwarden.scanners.pickle.rules import (
    ALLOWED,
    ALLOWED_DUNDERS,
    CLASS_PATTERNS,
    DANGEROUS_NAME_WORDS,
    DENYLIST,
    DUNDER,
    KNOWN_PACKAGES,
    MODULE_ALIASES,
    PATTERN_EXCLUDED,
    PYX_UNPICKLE,
    REENTRY_ALWAYS,
    REENTRY_TRUSTED,
    Judgement,
    Verdict,
)

__all__ = ["judge", "loader_name", "normalise_module", "split_words"]

_MAX_PARTS: Final = 32
_STDLIB: Final = frozenset(sys.stdlib_module_names) | {"builtins", "__builtin__", "exceptions", "copy_reg"}
_ML_PACKAGES: Final = KNOWN_PACKAGES - _STDLIB
_CAMEL_SPLIT: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_CLASS_LIKE: Final = re.compile(r"^_*[A-Z][A-Za-z0-9_]*$")
# Words that make even a CamelCase class name dangerous (Popen, CDLL, ShellExecutor, ...).
# Glued function names (loadmat, execfile, spawnve, popen2, evalf): a prefix is enough.
_DANGEROUS_PREFIXES: Final = ("load", "exec", "spawn", "popen", "eval")
_CLASS_WORDS: Final = frozenset({"popen", "spawn", "exec", "execute", "eval", "shell", "subprocess", "cdll", "dll"})
# Look-alike letters a loader treats as different modules but a reader takes for Latin ones.
_CONFUSABLES: Final = str.maketrans(
    "аеорсухіјѕԁһԛԝвмнктАВЕКМНОРСТХІЈЅοαινκτρυεΑΒΕΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhqwbmhktABEKMHOPCTXIJSoaivktpueABEHIKMNOPTYX",
)


def normalise_module(module: str) -> str:
    """The canonical module name: aliases of the same danger map to one name."""
    head, dot, rest = module.partition(".")
    head = MODULE_ALIASES.get(head, head)
    return head + dot + rest


def loader_name(module: str, name: str) -> tuple[str, str]:
    """``(module, name)`` as ``Unpickler.find_class`` resolves it with ``fix_imports`` (protocol < 3)."""
    module = module.strip()
    mapped = _compat_pickle.NAME_MAPPING.get((module, name))
    if mapped is not None:
        return mapped
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


def split_words(component: str) -> list[str]:
    """The lowercase words of one name component (``snake_case`` and ``camelCase`` split)."""
    return [w for w in _CAMEL_SPLIT.sub("_", component).lower().split("_") if w]


def judge(module: str, name: str) -> Judgement:
    """Judge the global a loader would resolve for ``module`` and ``name``.

    A dotted ``name`` is an attribute path the loader walks (protocol 4 ``getattr`` per component),
    so every prefix of ``module.name`` is checked against the denylist, and the allowlist must
    match the whole path exactly.
    """
    module, name = loader_name(module, name)
    norm_module = normalise_module(module)
    path = f"{norm_module}.{name}"
    parts = path.split(".")
    odd = _malformed(module, name, path, parts)
    if odd is not None:
        return odd
    tier = _tier(parts[0])
    if path in ALLOWED or ("." not in name and _matches_pattern(norm_module, name)):
        return Judgement(Verdict.SAFE, path, "on the ML serialization allowlist", tier == "known", tier)
    reason = _deny_reason(parts, len(norm_module.split(".")))
    if reason is not None:
        return Judgement(Verdict.DANGEROUS, path, reason, tier == "known", tier)
    reason = _name_hint(name)
    if reason is not None:
        return Judgement(Verdict.DANGEROUS, path, reason, tier == "known", tier, heuristic=True)
    if tier != "foreign" and _reenters_allowed(parts):
        return Judgement(Verdict.SAFE, path, "an allowlisted global reached through its package", True, tier)
    return _unknown(path, parts, tier)


def _reenters_allowed(parts: list[str]) -> bool:
    """``torch._utils`` + ``torch.channels_last``: a trusted module's attribute that *is* a top-level module,
    followed to an allowlisted global (pickle's ``whichmodule`` sometimes finds objects this way)."""
    for start in range(1, len(parts) - 1):
        if parts[start] in _ML_PACKAGES and ".".join(parts[start:]) in ALLOWED:
            return True
    return False


def _malformed(module: str, name: str, path: str, parts: list[str]) -> Judgement | None:
    """Invalid, absurdly deep, non-ASCII or dunder paths: judged before any table."""
    if not module or not name or any(not p.isidentifier() for p in parts):
        return Judgement(Verdict.DANGEROUS, path, "the module or name is not a valid Python identifier path")
    if len(parts) > _MAX_PARTS:
        reason = f"an attribute path of {len(parts)} components walks through modules; real classes are shallow"
        return Judgement(Verdict.DANGEROUS, path[:200], reason)
    if not path.isascii():
        return _non_ascii(module, name, path)
    dunder = _dunder_problem(parts)
    return None if dunder is None else Judgement(Verdict.DANGEROUS, path, dunder)


def _tier(head: str) -> str:
    if head in _ML_PACKAGES:
        return "known"
    return "stdlib" if head in _STDLIB else "foreign"


def _unknown(path: str, parts: list[str], tier: str) -> Judgement:
    if tier == "known":
        reason = f"'{path}' is not on the allowlist of what {parts[0]} writes when saving models"
    elif tier == "stdlib":
        reason = f"'{path}' is a standard-library global that model files do not need"
    elif parts[0] == "__main__":
        reason = "a class or function of the script that saved the file (__main__): loading needs that script"
    else:
        reason = f"module '{'.'.join(parts[:-1])}' is not a package real model files import"
    return Judgement(Verdict.UNKNOWN, path, reason, tier == "known", tier)


def _non_ascii(module: str, name: str, path: str) -> Judgement:
    skeleton_module = unicodedata.normalize("NFKC", module).translate(_CONFUSABLES)
    skeleton_name = unicodedata.normalize("NFKC", name).translate(_CONFUSABLES)
    if (skeleton_module, skeleton_name) != (module, name) and (skeleton_module + skeleton_name).isascii():
        twin = judge(skeleton_module, skeleton_name)
        if twin.verdict is Verdict.DANGEROUS:
            reason = f"non-ASCII look-alike of '{twin.key}' (a homoglyph spelling meant to pass name checks)"
            return Judgement(Verdict.DANGEROUS, path, reason, heuristic=True)
        if twin.verdict is Verdict.SAFE:
            reason = f"non-ASCII look-alike of the allowlisted '{twin.key}': not the real module"
            return Judgement(Verdict.UNKNOWN, path, reason, suspicious=True)
    reason = "non-ASCII module or name: no package real model files import is spelled this way"
    return Judgement(Verdict.UNKNOWN, path, reason, suspicious=True)


def _dunder_problem(parts: list[str]) -> str | None:
    for part in parts:
        if part in ALLOWED_DUNDERS or PYX_UNPICKLE.match(part):
            continue
        if DUNDER.match(part):
            return f"the attribute '{part}' reaches interpreter internals (builtins, globals, subclasses)"
    return None


def _deny_prefix(parts: list[str]) -> str | None:
    for end in range(len(parts), 0, -1):
        reason = DENYLIST.get(".".join(parts[:end]))
        if reason is not None:
            return reason
    return None


def _deny_reason(parts: list[str], module_parts: int) -> str | None:
    """A denylist prefix of the path, or of an attribute walk (in the *name*: module components are real
    submodules, resolved by the import system) that re-enters a dangerous module."""
    reason = _deny_prefix(parts)
    if reason is not None:
        return reason
    reentry = REENTRY_ALWAYS if _tier(parts[0]) == "foreign" else REENTRY_TRUSTED
    for start in range(module_parts, len(parts)):
        if parts[start] in reentry:
            inner = normalise_module(".".join(parts[start:])).split(".")
            reason = _deny_prefix(inner) or _name_hint(".".join(parts[start + 1 :]))
            if reason is not None:
                return f"reached through the attribute path '{'.'.join(parts[start:])}': {reason}"
    return None


def _name_hint(name: str) -> str | None:
    for component in name.split("."):
        words = {*split_words(component), component.lower()}
        if _CLASS_LIKE.match(component):
            words &= _CLASS_WORDS
        elif component.lower().startswith(_DANGEROUS_PREFIXES):
            return f"the name '{component}' starts like a loader or runner ({_DANGEROUS_PREFIXES}); not allowlisted"
        hit = words & DANGEROUS_NAME_WORDS
        if hit:
            return f"the name '{component}' says it {_describe(sorted(hit)[0])}; it is not on the allowlist"
    return None


def _describe(word: str) -> str:
    return f"does '{word}' (loads, runs, writes or connects), the kind of callable payloads use"


def _matches_pattern(module: str, name: str) -> bool:
    if name in PATTERN_EXCLUDED:
        return False
    return any(mod.fullmatch(module) and cls.fullmatch(name) for mod, cls, _ in CLASS_PATTERNS)
