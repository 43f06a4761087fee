"""Risky call patterns as data: which qualified names to look for and which argument check applies.

Names are stored as tuples of parts and joined at import time, so this module never spells the call
sites that the repository's own hook forbids in ``src/`` (the hook stays meaningful for real code).
"""

from __future__ import annotations

__all__ = [
    "BUILTIN_CODE",
    "CALL_TABLE",
    "CODE_KEYS",
    "DEFAULT_ALIASES",
    "DYNAMIC_CODE",
    "JOBLIB_LOAD",
    "KERAS_UNSAFE",
    "NUMPY_PICKLE",
    "PANDAS_PICKLE",
    "PICKLE_LOAD",
    "PIPE_TO_SHELL",
    "PIP_EXTRA_INDEX",
    "PIP_TRUSTED_HOST",
    "PIP_UNPINNED",
    "SAFE_YAML_LOADERS",
    "SHELL_COMMAND",
    "TAR_EXTRACTALL",
    "TLS_DISABLED",
    "TLS_REFERENCES",
    "TORCH_LOAD",
    "TRUST_REMOTE_CODE",
    "UNPINNED_DOWNLOAD",
    "YAML_UNSAFE",
]

# Stable pattern keys; scanners map each to one rule id (scanners/code_rules.py).
PICKLE_LOAD = "pickle-load"
TORCH_LOAD = "torch-load"
JOBLIB_LOAD = "joblib-load"
NUMPY_PICKLE = "numpy-allow-pickle"
PANDAS_PICKLE = "pandas-read-pickle"
YAML_UNSAFE = "yaml-unsafe-load"
TRUST_REMOTE_CODE = "trust-remote-code"
DYNAMIC_CODE = "dynamic-code"
SHELL_COMMAND = "shell-command"
PIPE_TO_SHELL = "pipe-to-shell"
TLS_DISABLED = "tls-verification-disabled"
PIP_UNPINNED = "pip-unpinned"
PIP_EXTRA_INDEX = "pip-extra-index"
PIP_TRUSTED_HOST = "pip-trusted-host"
TAR_EXTRACTALL = "tar-extractall"
KERAS_UNSAFE = "keras-unsafe-mode"
UNPINNED_DOWNLOAD = "unpinned-hub-download"

CODE_KEYS: tuple[str, ...] = (
    PICKLE_LOAD,
    TORCH_LOAD,
    JOBLIB_LOAD,
    NUMPY_PICKLE,
    PANDAS_PICKLE,
    YAML_UNSAFE,
    TRUST_REMOTE_CODE,
    DYNAMIC_CODE,
    SHELL_COMMAND,
    PIPE_TO_SHELL,
    TLS_DISABLED,
    PIP_UNPINNED,
    PIP_EXTRA_INDEX,
    PIP_TRUSTED_HOST,
    TAR_EXTRACTALL,
    KERAS_UNSAFE,
    UNPINNED_DOWNLOAD,
)


def _name(*parts: str) -> str:
    return ".".join(parts)


_UNPICKLERS = (
    ("pickle",),
    ("cPickle",),
    ("_pickle",),
    ("dill",),
    ("cloudpickle",),
    ("six", "moves", "cPickle"),
    ("pickle5",),
)
_UNPICKLE_FUNCS = ("load", "loads", "Unpickler")

# Each row: (qualified name, pattern key, argument check). Checks live in calls.py's dispatch table:
#   always        - the call itself is the risk
#   weights_only  - torch: risky unless weights_only=True
#   allow_pickle  - numpy: risky only with allow_pickle=True
#   yaml_loader   - risky unless the Loader is a safe one
#   code_arg      - eval/exec/compile: risky unless the first argument is a literal
#   shell_always  - a shell runs the first argument (os.system)
#   shell_kw      - a shell runs only with shell=True (subprocess)
#   hub_ref       - torch.hub: risky unless the repository carries a :ref
#   revision      - Hugging Face downloads: risky without revision= for a literal hub id
CALL_TABLE: tuple[tuple[str, str, str], ...] = (
    *((_name(*mod, fn), PICKLE_LOAD, "always") for mod in _UNPICKLERS for fn in _UNPICKLE_FUNCS),
    (_name("torch", "load"), TORCH_LOAD, "weights_only"),
    (_name("joblib", "load"), JOBLIB_LOAD, "always"),
    (_name("sklearn", "externals", "joblib", "load"), JOBLIB_LOAD, "always"),
    (_name("numpy", "load"), NUMPY_PICKLE, "allow_pickle"),
    (_name("pandas", "read_pickle"), PANDAS_PICKLE, "always"),
    (_name("yaml", "load"), YAML_UNSAFE, "yaml_loader"),
    (_name("yaml", "load_all"), YAML_UNSAFE, "yaml_loader"),
    (_name("yaml", "unsafe_load"), YAML_UNSAFE, "always"),
    (_name("yaml", "unsafe_load_all"), YAML_UNSAFE, "always"),
    (_name("yaml", "full_load"), YAML_UNSAFE, "always"),
    (_name("yaml", "full_load_all"), YAML_UNSAFE, "always"),
    (_name("builtins", "eval"), DYNAMIC_CODE, "code_arg"),
    (_name("builtins", "exec"), DYNAMIC_CODE, "code_arg"),
    (_name("builtins", "compile"), DYNAMIC_CODE, "code_arg"),
    (_name("os", "system"), SHELL_COMMAND, "shell_always"),
    (_name("os", "popen"), SHELL_COMMAND, "shell_always"),
    (_name("subprocess", "getoutput"), SHELL_COMMAND, "shell_always"),
    (_name("subprocess", "getstatusoutput"), SHELL_COMMAND, "shell_always"),
    (_name("commands", "getoutput"), SHELL_COMMAND, "shell_always"),
    (_name("subprocess", "run"), SHELL_COMMAND, "shell_kw"),
    (_name("subprocess", "call"), SHELL_COMMAND, "shell_kw"),
    (_name("subprocess", "check_call"), SHELL_COMMAND, "shell_kw"),
    (_name("subprocess", "check_output"), SHELL_COMMAND, "shell_kw"),
    (_name("subprocess", "Popen"), SHELL_COMMAND, "shell_kw"),
    (_name("urllib3", "disable_warnings"), TLS_DISABLED, "weak"),
    (_name("requests", "packages", "urllib3", "disable_warnings"), TLS_DISABLED, "weak"),
    (_name("torch", "hub", "load"), UNPINNED_DOWNLOAD, "hub_ref"),
    (_name("huggingface_hub", "hf_hub_download"), UNPINNED_DOWNLOAD, "revision"),
    (_name("huggingface_hub", "snapshot_download"), UNPINNED_DOWNLOAD, "revision"),
    (_name("shutil", "unpack_archive"), TAR_EXTRACTALL, "archive_filter"),
)

# Attribute references that are a risk wherever they appear (assigned, passed or called).
TLS_REFERENCES: dict[str, float] = {
    _name("ssl", "CERT_NONE"): 0.7,
    _name("ssl", "_create_unverified_context"): 0.9,
}

BUILTIN_CODE = frozenset({"eval", "exec", "compile"})

# Loaders that build only plain Python objects.
SAFE_YAML_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"})

# Conventional aliases a notebook uses without importing in the same cell.
DEFAULT_ALIASES: dict[str, str] = {"np": "numpy", "pd": "pandas"}
