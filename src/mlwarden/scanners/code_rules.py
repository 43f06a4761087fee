"""Rules of the source and notebook scanners: risky code patterns (MW-CODE-*) and notebook checks (MW-NB-*).

Each code rule corresponds to one stable pattern key of ``mlwarden.detectors.code``; the mapping
is total (a test checks it), so a new pattern cannot ship without a rule id.
"""

from __future__ import annotations

from mlwarden.core.findings import Severity, Stage
from mlwarden.core.rules import Rule
from mlwarden.detectors.code import patterns as keys

__all__ = ["CODE_RULES", "CODE_RULE_BY_KEY", "NOTEBOOK_MALFORMED", "NOTEBOOK_RULES", "TRACEBACK_PATHS"]

_UNTRUSTED = "Only files you produced yourself, or verified by digest, are safe to load this way."


def _rule(  # noqa: PLR0913, PLR0917 - one positional per Rule field: a table row
    number: int, title: str, severity: Severity, risks: tuple[str, ...], cwe: str, help_: str, fix: str
) -> Rule:
    stage = Stage.MODEL if risks[0].startswith("MODEL") else Stage.PLATFORM
    if risks[0].startswith(("SERVE", "DATA")):
        stage = Stage.SERVING if risks[0].startswith("SERVE") else Stage.DATA
    return Rule(
        id=f"MW-CODE-{number:03d}", title=title, severity=severity, risk_ids=risks, stage=stage,
        help=help_, remediation=fix, cwe=cwe,
    )  # fmt: skip


CODE_RULE_BY_KEY: dict[str, Rule] = {
    keys.PICKLE_LOAD: _rule(
        1, "Code unpickles data (pickle, dill, cloudpickle)", Severity.HIGH, ("MODEL-07", "PLAT-06"), "CWE-502",
        "Unpickling runs any callable the data names; a model or dataset file from elsewhere becomes code "
        "execution in the training or serving process.",
        f"Store models as safetensors/ONNX and data as Parquet/JSON. {_UNTRUSTED} Scan them with mlwarden first.",
    ),
    keys.TORCH_LOAD: _rule(
        2, "torch.load without weights_only=True", Severity.HIGH, ("MODEL-07", "PLAT-06"), "CWE-502",
        "torch.load unpickles the checkpoint. With weights_only=False (explicit, or the default before "
        "torch 2.6) a malicious checkpoint runs code when loaded.",
        "Pass weights_only=True (and pin torch>=2.6), or load safetensors with safetensors.torch.load_file.",
    ),
    keys.JOBLIB_LOAD: _rule(
        3, "joblib.load of a model file", Severity.HIGH, ("MODEL-07", "PLAT-06"), "CWE-502",
        "joblib files are pickles; loading one downloaded or shared runs whatever it contains.",
        f"Export scikit-learn models with skops or ONNX. {_UNTRUSTED}",
    ),
    keys.NUMPY_PICKLE: _rule(
        4, "numpy.load with allow_pickle=True", Severity.HIGH, ("MODEL-07", "DATA-07"), "CWE-502",
        "allow_pickle=True lets an .npy/.npz file carry pickled objects, which run code when the array is read.",
        "Keep allow_pickle=False (the default) and store object data in a typed format.",
    ),
    keys.PANDAS_PICKLE: _rule(
        5, "pandas.read_pickle", Severity.MEDIUM, ("DATA-07", "MODEL-07"), "CWE-502",
        "read_pickle unpickles; a dataset shared as a pickle is code that runs in the analyst's session.",
        "Exchange data frames as Parquet, Feather or CSV.",
    ),
    keys.YAML_UNSAFE: _rule(
        6, "YAML loaded without a safe loader", Severity.HIGH, ("PLAT-06", "MODEL-03"), "CWE-502",
        "yaml.load with Loader/UnsafeLoader/FullLoader (or unsafe_load, full_load) can build arbitrary Python "
        "objects from a config file, so editing a config becomes code execution.",
        "Use yaml.safe_load (or Loader=yaml.SafeLoader / CSafeLoader).",
    ),
    keys.TRUST_REMOTE_CODE: _rule(
        7, "trust_remote_code=True", Severity.HIGH, ("MODEL-07", "MODEL-04"), "CWE-94",
        "The model repository's Python files are downloaded and imported; whoever controls the repository, "
        "or a later commit to it, runs code on this machine.",
        "Use architectures built into the library; if remote code is unavoidable, review it and pin revision= "
        "to a reviewed commit.",
    ),
    keys.DYNAMIC_CODE: _rule(
        8, "eval/exec/compile on non-literal input", Severity.MEDIUM, ("SERVE-03", "PLAT-06"), "CWE-95",
        "Evaluating a computed string runs whatever reaches it: model output, a request or a config value.",
        "Parse data with json or ast.literal_eval, and dispatch through an explicit table of functions.",
    ),
    keys.SHELL_COMMAND: _rule(
        9, "Shell command execution", Severity.MEDIUM, ("SERVE-03", "PLAT-06"), "CWE-78",
        "os.system, os.popen or subprocess with shell=True hand a string to the shell; any variable part of it "
        "(a path, a model name, model output) can inject commands.",
        "Call subprocess.run with an argument list and shell=False; validate every variable part.",
    ),
    keys.PIPE_TO_SHELL: _rule(
        10, "Download piped into a shell or interpreter", Severity.HIGH, ("MODEL-04", "PLAT-06"), "CWE-494",
        "curl/wget output is executed without review or an integrity check; whoever controls the URL, the DNS "
        "or the network path runs code here.",
        "Download to a file, verify its checksum or signature, review it, then run it; better, install a "
        "pinned package.",
    ),
    keys.TLS_DISABLED: _rule(
        11, "TLS certificate verification disabled", Severity.MEDIUM, ("DATA-04", "MODEL-04"), "CWE-295",
        "verify=False, CERT_NONE or an unverified SSL context let anyone on the network path read or replace "
        "downloaded models, datasets and credentials.",
        "Keep verification on; for a private CA pass its bundle (verify='/path/ca.pem' or SSL_CERT_FILE).",
    ),
    keys.PIP_UNPINNED: _rule(
        12, "pip install of unpinned packages", Severity.LOW, ("MODEL-04", "PLAT-06"), "CWE-829",
        "Installing without ==version (and hashes) takes whatever the index serves today: a hijacked release "
        "or a typosquat lands in the environment, and runs are not reproducible.",
        "Pin exact versions in a requirements or lock file with --require-hashes, and install from it.",
    ),
    keys.PIP_EXTRA_INDEX: _rule(
        13, "pip --extra-index-url (dependency confusion)", Severity.MEDIUM, ("MODEL-04",), "CWE-427",
        "pip picks the highest version across all indexes, so a public package named like an internal one "
        "wins over the private index.",
        "Use one --index-url that proxies PyPI, or pin versions with hashes.",
    ),
    keys.PIP_TRUSTED_HOST: _rule(
        14, "pip --trusted-host disables TLS checks", Severity.MEDIUM, ("MODEL-04", "DATA-04"), "CWE-295",
        "--trusted-host accepts plain HTTP or invalid certificates from that index, so packages can be "
        "replaced in transit.",
        "Serve the index over HTTPS with a valid certificate; pass the CA bundle with --cert if it is private.",
    ),
    keys.TAR_EXTRACTALL: _rule(
        15, "Archive extracted without a member filter", Severity.MEDIUM, ("DATA-07", "MODEL-07"), "CWE-22",
        "tarfile.extractall (and shutil.unpack_archive) without filter= follows '../' paths, absolute paths "
        "and links in members (CVE-2007-4559), so a dataset or model archive can overwrite files.",
        "Pass filter='data' (Python 3.12+, backported to 3.8.17+/3.9.17+/3.10.12+/3.11.4+) or check each member.",
    ),
    keys.KERAS_UNSAFE: _rule(
        16, "Keras load_model with safe_mode=False", Severity.HIGH, ("MODEL-07",), "CWE-94",
        "safe_mode=False lets a .keras file deserialize Lambda layers, i.e. run its embedded bytecode.",
        "Keep safe_mode=True (the default); rebuild Lambda layers in code.",
    ),
    keys.UNPINNED_DOWNLOAD: _rule(
        17, "Model or hub code downloaded without a pinned revision", Severity.LOW, ("MODEL-07", "MODEL-01"),
        "CWE-494",
        "from_pretrained, hf_hub_download, snapshot_download or torch.hub.load by name fetch whatever the "
        "repository holds today; a compromised or changed repository changes the model silently.",
        "Pass revision='<commit sha>' (torch.hub: 'owner/repo:<tag or sha>') and record it with the run.",
    ),
}  # fmt: skip

CODE_RULES: tuple[Rule, ...] = tuple(CODE_RULE_BY_KEY.values())

NOTEBOOK_MALFORMED = Rule(
    id="MW-NB-001",
    title="Notebook cannot be parsed",
    severity=Severity.MEDIUM,
    risk_ids=("PLAT-06",),
    stage=Stage.PLATFORM,
    help=(
        "The .ipynb file is not valid notebook JSON (or has cells of the wrong type). Jupyter may refuse it or "
        "read it differently than a scanner, and parts of it were not checked."
    ),
    remediation="Re-save the notebook from Jupyter (or fix it with nbformat) and scan it again.",
    cwe="CWE-20",
)
TRACEBACK_PATHS = Rule(
    id="MW-NB-002",
    title="Committed error output reveals local paths or user names",
    severity=Severity.LOW,
    risk_ids=("SERVE-06", "PLAT-05"),
    stage=Stage.PLATFORM,
    help=(
        "An error traceback saved in the notebook shows home directories, user names and the layout of the "
        "machine or cluster it ran on, which helps an attacker aim at it."
    ),
    remediation="Clear outputs before committing (nbstripout, jupyter nbconvert --clear-output).",
    cwe="CWE-209",
)

NOTEBOOK_RULES: tuple[Rule, ...] = (NOTEBOOK_MALFORMED, TRACEBACK_PATHS)
