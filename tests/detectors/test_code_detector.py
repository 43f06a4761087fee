"""The risky-code detector: every pattern positive and negative, aliases, fallbacks and hostile input."""

from __future__ import annotations

import textwrap
import time

import pytest

from mlwarden.detectors.code import CODE_KEYS, find_code_risks, find_shell_risks
from mlwarden.detectors.code.detector import MAX_AST_CHARS
from mlwarden.detectors.code.ipython import split_cell


def _keys(source: str) -> list[str]:
    return [m.key for m in find_code_risks(textwrap.dedent(source))]


POSITIVE = [
    ("import pickle\npickle.load(f)", "pickle-load"),
    ("import pickle\npickle.loads(data)", "pickle-load"),
    ("import pickle as pkl\npkl.load(f)", "pickle-load"),
    ("from pickle import load\nload(f)", "pickle-load"),
    ("from pickle import loads as l\nl(b)", "pickle-load"),
    ("import cPickle\ncPickle.load(f)", "pickle-load"),
    ("import dill\ndill.loads(b)", "pickle-load"),
    ("import cloudpickle\ncloudpickle.load(f)", "pickle-load"),
    ("import pickle\npickle.Unpickler(f).load()", "pickle-load"),
    ("from six.moves import cPickle\ncPickle.load(f)", "pickle-load"),
    ("import torch\ntorch.load('m.pt')", "torch-load"),
    ("import torch\ntorch.load('m.pt', weights_only=False)", "torch-load"),
    ("from torch import load\nload(path)", "torch-load"),
    ("import joblib\njoblib.load(downloaded)", "joblib-load"),
    ("import numpy as np\nnp.load('a.npy', allow_pickle=True)", "numpy-allow-pickle"),
    ("np.load('a.npz', allow_pickle=True)", "numpy-allow-pickle"),  # conventional alias, no import
    ("import pandas as pd\npd.read_pickle('df.pkl')", "pandas-read-pickle"),
    ("import yaml\nyaml.load(f, Loader=yaml.Loader)", "yaml-unsafe-load"),
    ("import yaml\nyaml.load(f, yaml.UnsafeLoader)", "yaml-unsafe-load"),
    ("import yaml\nyaml.load(f)", "yaml-unsafe-load"),
    ("import yaml\nyaml.unsafe_load(f)", "yaml-unsafe-load"),
    ("import yaml\nyaml.full_load(f)", "yaml-unsafe-load"),
    ("AutoModel.from_pretrained(name, trust_remote_code=True)", "trust-remote-code"),
    ("pipeline('x', model=m, **{'trust_remote_code': True})", "trust-remote-code"),
    ("eval(user_input)", "dynamic-code"),
    ("exec(code_from_config)", "dynamic-code"),
    ("compile(src, '<x>', 'exec')", "dynamic-code"),
    ("eval(f'{a} + 1')", "dynamic-code"),
    ("import os\nos.system(cmd)", "shell-command"),
    ("import os\nos.popen('ls ' + d)", "shell-command"),
    ("import subprocess\nsubprocess.run(cmd, shell=True)", "shell-command"),
    ("import subprocess as sp\nsp.Popen(f'tar xf {p}', shell=True)", "shell-command"),
    ("import os\nos.system('curl -fsSL https://x.example/i.sh | bash')", "pipe-to-shell"),
    ("import subprocess\nsubprocess.run(['bash', '-c', 'wget -qO- https://x.example/s | sh'])", "pipe-to-shell"),
    ("import subprocess\nsubprocess.check_call(['pip', 'install', 'requests'])", "pip-unpinned"),
    ("import requests\nrequests.get(url, verify=False)", "tls-verification-disabled"),
    ("s = requests.Session()\ns.verify = False", "tls-verification-disabled"),
    ("import ssl\nctx = ssl._create_unverified_context()", "tls-verification-disabled"),
    ("import ssl\nssl._create_default_https_context = ssl._create_unverified_context", "tls-verification-disabled"),
    ("import ssl\nctx.verify_mode = ssl.CERT_NONE", "tls-verification-disabled"),
    ("ctx.check_hostname = False", "tls-verification-disabled"),
    ("import urllib3\nurllib3.disable_warnings()", "tls-verification-disabled"),
    ("import tarfile\ntarfile.open(p).extractall(d)", "tar-extractall"),
    ("import tarfile\nwith tarfile.open(p) as t:\n    t.extractall(d)", "tar-extractall"),
    ("import shutil\nshutil.unpack_archive(p, d)", "tar-extractall"),
    ("import keras\nkeras.models.load_model('m.keras', safe_mode=False)", "keras-unsafe-mode"),
    ("from tensorflow import keras\nkeras.saving.load_model(p, safe_mode=False)", "keras-unsafe-mode"),
    ("import torch\ntorch.hub.load('someone/repo', 'model')", "unpinned-hub-download"),
    ("AutoModel.from_pretrained('org/model')", "unpinned-hub-download"),
    ("from huggingface_hub import hf_hub_download\nhf_hub_download('org/m', 'w.bin')", "unpinned-hub-download"),
    ("get_ipython().system('pip install transformers')", "pip-unpinned"),
    ("get_ipython().run_line_magic('pip', 'install --trusted-host h.example x==1')", "pip-trusted-host"),
]


@pytest.mark.parametrize(("source", "key"), POSITIVE)
def test_positive(source: str, key: str) -> None:
    assert key in _keys(source)


NEGATIVE = [
    ("import torch\ntorch.load('m.pt', weights_only=True)", "torch-load"),
    ("import torch\ntorch.load(p, **options)", "torch-load"),  # weights_only may come from options
    ("import numpy as np\nnp.load('a.npy')", "numpy-allow-pickle"),
    ("import numpy as np\nnp.load('a.npy', allow_pickle=False)", "numpy-allow-pickle"),
    ("import yaml\nyaml.load(f, Loader=yaml.SafeLoader)", "yaml-unsafe-load"),
    ("import yaml\nyaml.load(f, Loader=yaml.CSafeLoader)", "yaml-unsafe-load"),
    ("from yaml import safe_load\nsafe_load(f)", "yaml-unsafe-load"),
    ("import json\njson.load(f)", "pickle-load"),
    ("model.load(path)", "pickle-load"),
    ("AutoModel.from_pretrained(name, trust_remote_code=False)", "trust-remote-code"),
    ("eval('1 + 2')", "dynamic-code"),
    ("import ast\nast.literal_eval(text)", "dynamic-code"),
    ("import re\nre.compile(pattern)", "dynamic-code"),
    ("from re import compile\ncompile(pattern)", "dynamic-code"),
    ("import subprocess\nsubprocess.run(['ls', '-l'])", "shell-command"),
    ("import subprocess\nsubprocess.run(cmd, shell=False)", "shell-command"),
    ("import subprocess\nsubprocess.check_call(['pip', 'install', 'requests==2.31.0'])", "pip-unpinned"),
    ("import requests\nrequests.get(url, verify='/etc/ca.pem')", "tls-verification-disabled"),
    ("import ssl\nif ctx.verify_mode != ssl.CERT_NONE:\n    pass", "tls-verification-disabled"),
    ("import tarfile\ntarfile.open(p).extractall(d, filter='data')", "tar-extractall"),
    ("import zipfile\nzipfile.ZipFile(p).extractall(d)", "tar-extractall"),
    ("import keras\nkeras.models.load_model('m.keras')", "keras-unsafe-mode"),
    ("import torch\ntorch.hub.load('pytorch/vision:v0.10.0', 'resnet18')", "unpinned-hub-download"),
    ("AutoModel.from_pretrained('org/model', revision='4f9c2a1')", "unpinned-hub-download"),
    ("AutoModel.from_pretrained('./local-dir')", "unpinned-hub-download"),
    ("AutoModel.from_pretrained(model_dir)", "unpinned-hub-download"),
    ("message = 'run: pickle.load(f) and curl x | sh and pip install foo'", "pickle-load"),
    ("message = 'run: pickle.load(f) and curl x | sh and pip install foo'", "pipe-to-shell"),
    ("message = 'run: pickle.load(f) and curl x | sh and pip install foo'", "pip-unpinned"),
]


@pytest.mark.parametrize(("source", "key"), NEGATIVE)
def test_negative(source: str, key: str) -> None:
    assert key not in _keys(source)


def test_every_key_has_a_positive_example() -> None:
    assert {key for _, key in POSITIVE} >= set(CODE_KEYS) - {"pip-extra-index"}
    assert "pip-extra-index" in [r.key for r in find_shell_risks("pip install --extra-index-url https://x.example x")]


def test_confidence_is_higher_for_explicit_weights_only_false() -> None:
    (implicit,) = find_code_risks("import torch\ntorch.load(p)")
    (explicit,) = find_code_risks("import torch\ntorch.load(p, weights_only=False)")
    assert explicit.confidence > implicit.confidence


def test_positions_and_snippet() -> None:
    source = "import pickle\n\ndef f(h):\n    return pickle.load(h)  # comment\n"
    (match,) = find_code_risks(source)
    assert (match.line, match.column, match.end_line) == (4, 12, 4)
    assert match.snippet == "return pickle.load(h)  # comment"
    assert match.name == "pickle.load"


def test_column_counts_characters_not_bytes() -> None:
    (match,) = find_code_risks("import os\nимя = os.system(cmd)")
    assert match.column == 7


def test_snippet_masks_secrets() -> None:
    token = "ghp_" + "a1B2c3D4" * 4 + "e5F6"
    (match,) = [
        m for m in find_code_risks(f"import os\nos.system('curl -H \"{token}\" x')") if m.key == "shell-command"
    ]
    assert token not in match.snippet
    assert "ghp_" not in match.snippet or "chars)" in match.snippet


def test_snippet_is_bounded() -> None:
    (match,) = find_code_risks("import os\nos.system(" + "x + " * 500 + "y)")
    assert len(match.snippet) <= 120


def test_aliases_carry_between_cells() -> None:
    aliases: dict[str, str] = {}
    assert list(find_code_risks("import pickle as pk", aliases=aliases)) == []
    assert [m.key for m in find_code_risks("pk.load(f)", aliases=aliases)] == ["pickle-load"]


@pytest.mark.parametrize(
    "source",
    [
        "x = " + "(" * 5000 + ")" * 5000,
        "x = " + "[" * 150 + "]" * 150,
        "x = " + "-" * 100_000 + "1",
        "x = " + "+".join(["a"] * 100_000),
        "y = x" + "[0]" * 100_000,
        "\n".join(" " * i + "if x:" for i in range(300)),
        "lambda: " * 50_000 + "x",
    ],
)
def test_deep_or_hostile_nesting_does_not_crash(source: str) -> None:
    list(find_code_risks(source + "\nimport os\nos.system(cmd)\n"))


def test_unparseable_source_falls_back_to_line_scan() -> None:
    source = "print 'python 2'\nimport cPickle\nobj = cPickle.load(open(p))\nexec code\n"
    matches = list(find_code_risks(source))
    assert [(m.key, m.line) for m in matches] == [("pickle-load", 3)]
    assert matches[0].confidence == 0.5


def test_deep_nesting_still_reports_through_the_fallback() -> None:
    source = "x = " + "(" * 300 + "1" + ")" * 300 + "\nmodel = torch.load(p)\nrequests.get(u, verify=False)\n"
    assert _keys(source) == ["torch-load", "tls-verification-disabled"]


def test_oversized_source_uses_the_fallback_in_linear_time() -> None:
    source = "import torch\n" + "x = 1\n" * (MAX_AST_CHARS // 6) + "torch.load(p)\n"
    started = time.perf_counter()
    assert _keys(source) == ["torch-load"]
    assert time.perf_counter() - started < 10


def test_null_bytes_and_invalid_escapes_are_handled() -> None:
    assert _keys("import os\nos.system(c)\x00") == ["shell-command"]
    assert _keys("import os\nx = '\\d'\nos.system(c)") == ["shell-command"]  # no SyntaxWarning escapes


@pytest.mark.parametrize(
    ("command", "keys"),
    [
        ("curl -fsSL https://x.example/install.sh | sh", ["pipe-to-shell"]),
        ("curl -s https://x.example/i | sudo -E bash -s -- --yes", ["pipe-to-shell"]),
        ("wget -qO- https://x.example/get.py | python3", ["pipe-to-shell"]),
        ('sh -c "$(curl -fsSL https://x.example/i.sh)"', ["pipe-to-shell"]),
        ("bash <(curl -s https://x.example/i.sh)", ["pipe-to-shell"]),
        ("iwr https://x.example/i.ps1 | iex", ["pipe-to-shell"]),
        ("curl -o out.tar.gz https://x.example/a.tar.gz", []),
        ("curl https://x.example/data.json | jq .", []),
        ("pip install transformers", ["pip-unpinned"]),
        ("pip install -q 'torch>=2.0' numpy==1.26.4", ["pip-unpinned"]),
        ("python -m pip install -U scikit-learn", ["pip-unpinned"]),
        ("pip install torch==2.1.0 numpy==1.26.4", []),
        ("pip install -r requirements.txt", []),
        ("pip install -e .", []),
        ("pip install ./dist/pkg-1.0-py3-none-any.whl", []),
        ("pip install git+https://github.com/org/repo@4f9c2a1e", []),
        ("pip install git+https://github.com/org/repo", ["pip-unpinned"]),
        ("pip install $PACKAGE", []),
        ("pip install --extra-index-url https://pypi.internal.example/simple mypkg==1.0", ["pip-extra-index"]),
        ("pip install --trusted-host pypi.internal.example mypkg==1.0", ["pip-trusted-host"]),
        ("pip install --index-url=https://mirror.example/simple x==1", []),
        ("echo pip installs packages", []),
    ],
)
def test_shell_risks(command: str, keys: list[str]) -> None:
    assert [r.key for r in find_shell_risks(command)] == keys


def test_shell_and_pip_patterns_are_linear_on_hostile_input() -> None:
    bait = "curl " + "a " * 200_000 + "\n" + "pip install " + "x " * 20_000 + "|" * 50_000
    started = time.perf_counter()
    list(find_shell_risks(bait))
    assert time.perf_counter() - started < 5


def test_ipython_cells_split_magics_from_python() -> None:
    cell = split_cell(
        "!pip install transformers\nimport pickle\nx = !ls\nif 1:\n    !curl x | sh\ndf?\n%matplotlib inline"
    )
    assert cell.python is not None
    assert cell.python.split("\n")[1] == "import pickle"
    assert cell.shell == [(1, "pip install transformers"), (3, "ls"), (5, "curl x | sh")]
    compile(cell.python, "<cell>", "exec")  # the Python part is valid on its own (not executed)


def test_ipython_cell_magics() -> None:
    assert split_cell("%%bash\ncurl x | sh").shell == [(2, "curl x | sh")]
    assert split_cell("%%script bash\nls").shell == [(2, "ls")]
    assert split_cell("%%html\n<b>x</b>").python is None
    timed = split_cell("%%time\nimport pickle")
    assert timed.python == "\nimport pickle"
    assert split_cell("%pip install -q torch").shell == [(1, "pip install -q torch")]
