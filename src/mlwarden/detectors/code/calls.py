"""The AST pass: resolve import aliases, then judge calls, keyword arguments and references.

Everything here walks the tree with ``ast.walk`` (iterative), never a recursive visitor, so a deep
but parseable tree cannot exhaust the Python stack. Nothing is ever evaluated.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from mlwarden.detectors.code.patterns import (
    BUILTIN_CODE,
    CALL_TABLE,
    DEFAULT_ALIASES,
    KERAS_UNSAFE,
    SAFE_YAML_LOADERS,
    SHELL_COMMAND,
    TAR_EXTRACTALL,
    TLS_DISABLED,
    TLS_REFERENCES,
    TRUST_REMOTE_CODE,
    UNPINNED_DOWNLOAD,
)
from mlwarden.detectors.code.shell import find_shell_risks

__all__ = ["Hit", "analyze", "collect_aliases"]

_TABLE: dict[str, tuple[str, str]] = {name: (key, check) for name, key, check in CALL_TABLE}
_IPYTHON_SHELL_MAGICS = frozenset({"pip", "conda", "sx", "system", "sh", "bash", "script", "mamba"})


@dataclass(frozen=True, slots=True)
class Hit:
    """A risky node before it is turned into a CodeMatch with positions and a snippet."""

    key: str
    name: str
    node: ast.expr | ast.stmt
    confidence: float


def collect_aliases(nodes: Iterable[ast.AST], aliases: dict[str, str]) -> None:
    """Record ``import x as y`` and ``from x import y as z`` bindings into ``aliases`` (flow-insensitive)."""
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    aliases[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name != "*":
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"


def _parts(node: ast.expr) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    parts.reverse()
    return parts


def qualify(node: ast.expr, aliases: dict[str, str]) -> str | None:
    """The dotted name an expression refers to, through import aliases (``pkl.load`` -> ``pickle.load``)."""
    parts = _parts(node)
    if parts is None:
        return None
    head = parts[0]
    if head in aliases:
        head = aliases[head]
    elif head in DEFAULT_ALIASES:
        head = DEFAULT_ALIASES[head]
    elif len(parts) == 1 and head in BUILTIN_CODE:
        head = f"builtins.{head}"
    return ".".join([head, *parts[1:]])


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _keywords(call: ast.Call) -> Iterator[tuple[str, ast.expr]]:
    """Named arguments, including the keys of a literal ``**{...}``."""
    for keyword in call.keywords:
        if keyword.arg is not None:
            yield keyword.arg, keyword.value
        elif isinstance(keyword.value, ast.Dict):
            for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    yield key.value, value


def _opaque_kwargs(call: ast.Call) -> bool:
    """Whether ``**something`` may supply any keyword, so a missing one proves nothing."""
    return any(k.arg is None and not isinstance(k.value, ast.Dict) for k in call.keywords)


def _is_const(node: ast.expr | None, value: object) -> bool:
    return isinstance(node, ast.Constant) and node.value is value


def _arg(call: ast.Call, index: int, name: str) -> ast.expr | None:
    if len(call.args) > index and not isinstance(call.args[index], ast.Starred):
        return call.args[index]
    return _keyword(call, name)


def literal_text(node: ast.expr | None) -> str | None:
    """The text of a string literal, f-string (holes as ``{}``) or list of them (joined by spaces)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)  # type: ignore[misc]
    if isinstance(node, ast.List | ast.Tuple):
        texts = [literal_text(item) for item in node.elts[:200]]
        return " ".join(t for t in texts if t is not None)
    return None


# --- argument checks: each returns a confidence when the call is risky, or None ----------------------


def _always(call: ast.Call) -> float | None:
    return 0.9


def _weak(call: ast.Call) -> float | None:
    return 0.4


def _weights_only(call: ast.Call) -> float | None:
    value = _keyword(call, "weights_only")
    if value is None:
        if _opaque_kwargs(call):
            return None
        return 0.6  # torch >= 2.6 defaults to weights_only=True; older versions unpickle anything
    if _is_const(value, True):
        return None
    return 0.95 if _is_const(value, False) else 0.5


def _allow_pickle(call: ast.Call) -> float | None:
    value = _keyword(call, "allow_pickle")
    if value is None or _is_const(value, False):
        return None
    return 0.9 if _is_const(value, True) else 0.5


def _yaml_loader(call: ast.Call) -> float | None:
    loader = _arg(call, 1, "Loader")
    if loader is None:
        return None if _opaque_kwargs(call) else 0.7  # PyYAML < 6 falls back to FullLoader (with a warning); 6 raises
    parts = _parts(loader)
    if parts is None:
        return 0.5
    return None if parts[-1] in SAFE_YAML_LOADERS else 0.95


def _code_arg(call: ast.Call) -> float | None:
    if not call.args or isinstance(call.args[0], ast.Constant):
        return None
    return 0.8


def _shell_always(call: ast.Call) -> float | None:
    return 0.5 if isinstance(_arg(call, 0, "cmd"), ast.Constant) else 0.85


def _shell_kw(call: ast.Call) -> float | None:
    if not _is_const(_keyword(call, "shell"), True):
        return None
    return 0.5 if isinstance(_arg(call, 0, "args"), ast.Constant) else 0.85


def _hub_id(node: ast.expr | None) -> str | None:
    text = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
    if not text or text.startswith((".", "/", "~")) or text.count("/") != 1 or " " in text or "\\" in text:
        return None
    return text


def _hub_ref(call: ast.Call) -> float | None:
    repo = _hub_id(_arg(call, 0, "repo_or_dir"))
    source = _keyword(call, "source")
    if repo is None or ":" in repo or (isinstance(source, ast.Constant) and source.value == "local"):
        return None
    return 0.6


def _revision(call: ast.Call) -> float | None:
    repo = _hub_id(_arg(call, 0, "repo_id")) or _hub_id(_keyword(call, "pretrained_model_name_or_path"))
    revision = _keyword(call, "revision")
    if repo is None or _opaque_kwargs(call) or (revision is not None and not _is_const(revision, None)):
        return None
    return 0.5


def _archive_filter(call: ast.Call) -> float | None:
    return None if _keyword(call, "filter") is not None or _opaque_kwargs(call) else 0.5


_CHECKS: dict[str, Callable[[ast.Call], float | None]] = {
    "always": _always,
    "weak": _weak,
    "weights_only": _weights_only,
    "allow_pickle": _allow_pickle,
    "yaml_loader": _yaml_loader,
    "code_arg": _code_arg,
    "shell_always": _shell_always,
    "shell_kw": _shell_kw,
    "hub_ref": _hub_ref,
    "revision": _revision,
    "archive_filter": _archive_filter,
}


def _shell_text_hits(call: ast.Call, text: str | None) -> Iterator[Hit]:
    if text:
        for risk in find_shell_risks(text):
            yield Hit(risk.key, risk.name, call, risk.confidence)


def _table_hits(call: ast.Call, name: str) -> Iterator[Hit]:
    row = _TABLE.get(name)
    if row is None:
        return
    key, check = row
    confidence = _CHECKS[check](call)
    if confidence is not None:
        yield Hit(key, name, call, confidence)
    if key == SHELL_COMMAND:
        yield from _shell_text_hits(call, literal_text(_arg(call, 0, "args")))


def _keyword_hits(call: ast.Call, name: str) -> Iterator[Hit]:
    short = name.rsplit(".", 1)[-1] if name else "call"
    for arg, value in _keywords(call):
        if arg == "trust_remote_code" and _is_const(value, True):
            yield Hit(TRUST_REMOTE_CODE, f"{short}(trust_remote_code=True)", call, 0.9)
        elif arg == "verify" and _is_const(value, False):
            yield Hit(TLS_DISABLED, f"{short}(verify=False)", call, 0.85)
        elif arg == "safe_mode" and _is_const(value, False) and short == "load_model":
            yield Hit(KERAS_UNSAFE, "load_model(safe_mode=False)", call, 0.9)


def _is_ipython(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "get_ipython"


def _method_hits(call: ast.Call, aliases: dict[str, str]) -> Iterator[Hit]:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return
    if func.attr == "extractall" and _keyword(call, "filter") is None and not _opaque_kwargs(call):
        receiver = qualify(func.value.func, aliases) if isinstance(func.value, ast.Call) else None
        if receiver is not None and receiver.startswith("tarfile."):
            yield Hit(TAR_EXTRACTALL, "tarfile extractall", call, 0.85)
        elif receiver is None and any(v.split(".", 1)[0] == "tarfile" for v in aliases.values()):
            yield Hit(TAR_EXTRACTALL, "tarfile extractall", call, 0.6)
    elif func.attr == "from_pretrained":
        confidence = _revision(call)
        if confidence is not None:
            yield Hit(UNPINNED_DOWNLOAD, "from_pretrained without revision", call, confidence)
    elif _is_ipython(func.value):
        yield from _ipython_hits(call, func.attr)


def _ipython_hits(call: ast.Call, method: str) -> Iterator[Hit]:
    """``get_ipython().system(...)`` and friends: what nbconvert writes for ``!`` and ``%pip`` lines."""
    if method in ("system", "getoutput"):
        yield from _shell_text_hits(call, literal_text(_arg(call, 0, "cmd")))
    elif method in ("run_line_magic", "run_cell_magic"):
        magic = literal_text(_arg(call, 0, "magic_name")) or ""
        if magic in _IPYTHON_SHELL_MAGICS:
            rest = [literal_text(arg) or "" for arg in call.args[1:3]]
            yield from _shell_text_hits(call, f"{magic} " + "\n".join(rest))


def _reference_hits(node: ast.Attribute | ast.Name, aliases: dict[str, str]) -> Iterator[Hit]:
    name = qualify(node, aliases)
    if name is not None and name in TLS_REFERENCES:
        yield Hit(TLS_DISABLED, name, node, TLS_REFERENCES[name])


def _assign_hits(node: ast.Assign) -> Iterator[Hit]:
    if not _is_const(node.value, False):
        return
    for target in node.targets:
        if isinstance(target, ast.Attribute) and target.attr in ("check_hostname", "verify"):
            yield Hit(TLS_DISABLED, f"{target.attr} = False", node, 0.75)


def analyze(tree: ast.AST, aliases: dict[str, str]) -> Iterator[Hit]:
    """Every risky construct in ``tree``; ``aliases`` is extended with this tree's imports."""
    nodes = list(ast.walk(tree))
    collect_aliases(nodes, aliases)
    compared: set[int] = set()
    for node in nodes:
        if isinstance(node, ast.Compare):  # `mode != ssl.CERT_NONE` reads the constant, it does not set it
            compared.update(id(side) for side in (node.left, *node.comparators))
        elif isinstance(node, ast.Call):
            name = qualify(node.func, aliases) or ""
            yield from _table_hits(node, name)
            yield from _keyword_hits(node, name)
            yield from _method_hits(node, aliases)
        elif isinstance(node, ast.Attribute | ast.Name) and isinstance(node.ctx, ast.Load) and id(node) not in compared:
            yield from _reference_hits(node, aliases)
        elif isinstance(node, ast.Assign):
            yield from _assign_hits(node)
