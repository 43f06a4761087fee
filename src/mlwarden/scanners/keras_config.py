"""The Keras model-config walker shared by the ``.keras`` (v3 zip) and legacy HDF5 readers.

Keras rebuilds a model by resolving names found in its JSON config, so the config decides what
code runs at load time. Known ways a config runs attacker code (all looked for here):

- ``Lambda`` layers carrying marshalled bytecode (``__lambda__`` in Keras 3, ``function_type:
  lambda`` in Keras 2 / HDF5). CVE-2024-3660 (Keras < 2.13, no safe_mode at all); safe_mode is
  silently ignored for ``.h5`` files, CVE-2025-9905 (GHSA-36rr-ww3j-vrjv).
- ``module`` + ``class_name`` (+ ``registered_name``) naming any importable callable: Keras < 3.9
  imported and called it even with safe_mode=True, CVE-2025-1550 (GHSA-48g7-3x6r-xfhp).
- Function references that stay inside Keras but are dangerous: ``keras.utils.get_file`` fetches
  and writes files (CVE-2025-8747), ``keras.config.enable_unsafe_deserialization`` /
  ``set_global_attribute`` switch safe_mode off before a later Lambda (CVE-2025-9906), and
  ``load_model`` loads a second model with safe_mode=False.
- Layers that read files or models named in the config: ``TFSMLayer`` (CVE-2026-1462),
  ``StringLookup``/``IntegerLookup``/``TextVectorization`` with a vocabulary path
  (GHSA-qg93-c7p6-gg7f), and ``TFOpLambda`` calling TensorFlow I/O or Python-function ops.
- Custom objects from user modules: not an exploit by themselves, but loading needs their code.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mlwarden.artifacts.limits import Deadline
from mlwarden.core.findings import Severity, Stage
from mlwarden.core.rules import Rule
from mlwarden.scanners.structured import iter_json_nodes, mask

__all__ = [
    "CUSTOM_OBJECT",
    "EXTERNAL_LOAD",
    "FOREIGN_CALLABLE",
    "KERAS_CONFIG_RULES",
    "LAMBDA_CODE",
    "ConfigHit",
    "analyse_config",
]

KERAS_ROOTS = frozenset({"keras", "keras_hub", "keras_nlp", "keras_cv", "keras_rs", "tf_keras", "tensorflow"})
DANGEROUS_ROOTS = frozenset(
    {
        "os", "posix", "nt", "subprocess", "builtins", "__builtin__", "sys", "importlib", "shutil", "socket",
        "runpy", "pickle", "_pickle", "marshal", "ctypes", "pty", "code", "codeop", "webbrowser", "pathlib",
        "multiprocessing", "io", "requests", "urllib", "http", "asyncio", "types", "operator", "functools",
    }
)  # fmt: skip
# Keras-internal callables that fetch files, re-enable unsafe loading or run marshalled code.
DANGEROUS_KERAS_NAMES = frozenset(
    {
        "get_file", "enable_unsafe_deserialization", "set_global_attribute", "load_model", "legacy_load_model",
        "func_load", "load_weights", "deserialize_keras_object", "TFSMLayer",
    }
)  # fmt: skip
_TF_OP_PREFIXES = (
    "io.", "raw_ops.", "py_function", "numpy_function", "compat.v1.py_func", "compat.v1.io.", "print",
    "saved_model.", "keras.", "load_library", "load_op_library", "summary.", "debugging.experimental",
)  # fmt: skip
_FILE_LAYERS = frozenset({"StringLookup", "IntegerLookup", "TextVectorization"})
_BYTECODE_NAMES = frozenset(
    {
        "os", "system", "popen", "Popen", "subprocess", "eval", "exec", "__import__", "socket", "compile",
        "check_output", "getattr", "builtins", "__builtins__", "pty", "spawn", "urllib", "requests", "open",
        "shutil", "rmtree", "remove", "unlink", "chmod", "environ",
    }
)  # fmt: skip

_STAGE = Stage.MODEL
LAMBDA_CODE = Rule(
    id="MW-KERAS-001",
    title="Keras Lambda layer embeds executable bytecode",
    severity=Severity.CRITICAL,
    risk_ids=("MODEL-07", "MODEL-04"),
    stage=_STAGE,
    help=(
        "A Lambda (or any __lambda__ object) stores marshalled Python bytecode that Keras rebuilds into a "
        "function when the model is loaded or called. safe_mode blocks it only for .keras files in "
        "Keras >= 2.13; legacy .h5 loading ignores safe_mode (CVE-2024-3660, CVE-2025-9905)."
    ),
    remediation=(
        "Do not load the model. Rebuild the Lambda as a registered custom layer in reviewed code, or "
        "re-export the model from its source without Lambda layers."
    ),
    cwe="CWE-94",
)
FOREIGN_CALLABLE = Rule(
    id="MW-KERAS-002",
    title="Keras config references a Python callable outside Keras or a dangerous Keras function",
    severity=Severity.CRITICAL,
    risk_ids=("MODEL-07", "MODEL-04"),
    stage=_STAGE,
    help=(
        "Keras imports the named module and calls the named object while rebuilding the model. A module "
        "outside Keras (CVE-2025-1550) or Keras functions such as utils.get_file (CVE-2025-8747), "
        "config.enable_unsafe_deserialization or load_model (CVE-2025-9906) run attacker-chosen actions."
    ),
    remediation=(
        "Do not load the model. Upgrade Keras to >= 3.11.3 and load with safe_mode=True; remove the "
        "reference and re-export the model from trusted code."
    ),
    cwe="CWE-502",
)
EXTERNAL_LOAD = Rule(
    id="MW-KERAS-003",
    title="Keras layer reads files or models named in its config",
    severity=Severity.HIGH,
    risk_ids=("SERVE-03", "MODEL-07"),
    stage=_STAGE,
    help=(
        "TFSMLayer loads a SavedModel from a path in the config (CVE-2026-1462); lookup layers read a "
        "vocabulary file path (GHSA-qg93-c7p6-gg7f); TFOpLambda can call TensorFlow file or Python-"
        "function ops. Loading the model reads host files or runs a second, unscanned model."
    ),
    remediation="Do not load the model; ship vocabularies as assets inside the archive and avoid TFSMLayer.",
    cwe="CWE-73",
)
CUSTOM_OBJECT = Rule(
    id="MW-KERAS-004",
    title="Keras model needs custom objects from user code",
    severity=Severity.MEDIUM,
    risk_ids=("MODEL-04",),
    stage=_STAGE,
    help=(
        "The config names classes registered outside Keras (module or 'package>Name'). Loading needs "
        "their code via custom_objects or an import, so the model is only as safe as that code."
    ),
    remediation="Review the named modules; load only with custom_objects you wrote or vetted.",
    cwe="CWE-829",
)
KERAS_CONFIG_RULES: tuple[Rule, ...] = (LAMBDA_CODE, FOREIGN_CALLABLE, EXTERNAL_LOAD, CUSTOM_OBJECT)


@dataclass(frozen=True, slots=True)
class ConfigHit:
    """One problem in a config: the rule, a message naming the JSON path, and a stable key."""

    rule: Rule
    message: str
    key: str
    evidence: str = ""
    severity: Severity | None = None


def analyse_config(config: Any, deadline: Deadline) -> Iterator[ConfigHit]:
    """Walk a parsed Keras config tree; yield each distinct problem once."""
    seen: set[str] = set()
    for count, (path, node) in enumerate(iter_json_nodes(config)):
        if count % 4096 == 0:
            deadline.check("keras config")
        if not isinstance(node, dict):
            continue
        for hit in _node(path, node):
            if hit.key not in seen:
                seen.add(hit.key)
                yield hit


def _node(path: str, node: dict[str, Any]) -> Iterator[ConfigHit]:
    class_name = node.get("class_name")
    config = node.get("config")
    if class_name == "__lambda__":
        code = config.get("code") if isinstance(config, dict) else None
        yield _lambda_hit(path, code)
    module = node.get("module")
    if "function_type" in node:
        pass  # a Keras 2 Lambda's own config: its module is checked with the function it names
    elif isinstance(module, str):
        yield from _reference(path, module, class_name, config)
    elif isinstance(node.get("registered_name"), str):
        yield from _registered(path, node["registered_name"])
    if isinstance(class_name, str) and isinstance(config, dict):
        yield from _layer(path, class_name, config)


def _lambda_hit(path: str, code: Any) -> ConfigHit:
    names = bytecode_names(code)
    detail = f"; bytecode names: {', '.join(names)}" if names else ""
    return ConfigHit(
        LAMBDA_CODE,
        f"{path} holds marshalled Python bytecode that runs when the model is loaded{detail}",
        key=f"lambda:{path}",
        evidence=str(code)[:120] if code is not None else "",
    )


def bytecode_names(code: Any) -> list[str]:
    """Suspicious identifiers inside base64 marshalled bytecode, found without unmarshalling it."""
    text = code[0] if isinstance(code, list) and code else code
    if not isinstance(text, str):
        return []
    try:
        raw = base64.b64decode(text[: 1 << 20], validate=False)
    except (binascii.Error, ValueError):
        return []
    # marshal stores names as length-prefixed strings: one length byte (short ascii) or four.
    return sorted(
        name
        for name in _BYTECODE_NAMES
        if bytes([len(name)]) + name.encode() in raw or len(name).to_bytes(4, "little") + name.encode() in raw
    )


def _dotted(module: str, class_name: Any, config: Any) -> str:
    name = config if class_name == "function" and isinstance(config, str) else class_name
    return f"{module}.{name}" if isinstance(name, str) else module


def _reference(path: str, module: str, class_name: Any, config: Any) -> Iterator[ConfigHit]:
    target = _dotted(module, class_name, config)
    root = module.split(".", 1)[0]
    leaf = target.rsplit(".", 1)[-1]
    if root in DANGEROUS_ROOTS or (root in KERAS_ROOTS and leaf in DANGEROUS_KERAS_NAMES and leaf != "TFSMLayer"):
        yield ConfigHit(
            FOREIGN_CALLABLE,
            f"{path} makes Keras import and call {mask(target)!r} while loading",
            key=f"ref:{target}",
            evidence=target,
        )
    elif root not in KERAS_ROOTS:
        severity = Severity.HIGH if class_name == "function" else None
        rule = FOREIGN_CALLABLE if class_name == "function" else CUSTOM_OBJECT
        verb = "function" if class_name == "function" else "class"
        yield ConfigHit(
            rule,
            f"{path} names the {verb} {mask(target)!r} from module {mask(module)!r}, outside Keras",
            key=f"ref:{target}",
            evidence=target,
            severity=severity,
        )


def _registered(path: str, registered: str) -> Iterator[ConfigHit]:
    package, sep, _ = registered.partition(">")
    if sep and package not in KERAS_ROOTS:
        yield ConfigHit(
            CUSTOM_OBJECT,
            f"{path} needs the registered custom object {mask(registered)!r}",
            key=f"registered:{registered}",
            evidence=registered,
        )


def _layer(path: str, class_name: str, config: dict[str, Any]) -> Iterator[ConfigHit]:
    if class_name == "Lambda":
        yield from _legacy_lambda(path, config)
    elif class_name == "TFSMLayer":
        target = str(config.get("filepath", ""))
        yield ConfigHit(
            EXTERNAL_LOAD,
            f"{path} is a TFSMLayer that loads the SavedModel at {mask(target)!r} (CVE-2026-1462)",
            key=f"tfsm:{target}",
            evidence=target,
        )
    elif class_name in _FILE_LAYERS and isinstance(config.get("vocabulary"), str):
        target = config["vocabulary"]
        yield ConfigHit(
            EXTERNAL_LOAD,
            f"{path} is a {class_name} that reads its vocabulary from {mask(target)!r} at load time",
            key=f"vocab:{target}",
            evidence=target,
        )
    elif class_name in ("TFOpLambda", "SlicingOpLambda") and isinstance(config.get("function"), str):
        function = config["function"]
        if function.startswith(_TF_OP_PREFIXES):
            yield ConfigHit(
                EXTERNAL_LOAD,
                f"{path} is a {class_name} calling tf.{mask(function)}, which touches files or runs Python",
                key=f"tfop:{function}",
                evidence=function,
            )


def _legacy_lambda(path: str, config: dict[str, Any]) -> Iterator[ConfigHit]:
    """Keras 2 / HDF5 Lambda: ``function`` is bytecode (type lambda) or a module-level name (type function)."""
    for field in ("function", "output_shape"):
        kind = config.get(f"{field}_type")
        value = config.get(field)
        if kind == "lambda" and isinstance(value, list | str):
            yield _lambda_hit(f"{path}.config.{field}", value)
        elif kind == "function" and isinstance(value, str):
            module = config.get("module")
            module = module if isinstance(module, str) else ""
            yield from _reference(f"{path}.config.{field}", module or "__main__", "function", value)
