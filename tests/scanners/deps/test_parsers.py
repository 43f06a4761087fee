"""pyproject.toml, poetry.lock, uv.lock, Pipfile.lock, environment.yml and setup.cfg, incl. malformed input."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from mlwarden.core.findings import Severity
from mlwarden.scanners.deps.parsers.conda_env import conda_pin, parse_conda_env
from mlwarden.scanners.deps.parsers.pipfile_lock import parse_pipfile_lock
from mlwarden.scanners.deps.parsers.poetry_lock import parse_poetry_lock
from mlwarden.scanners.deps.parsers.pyproject import parse_pyproject, poetry_to_pep440
from mlwarden.scanners.deps.parsers.setup_cfg import parse_setup_cfg
from mlwarden.scanners.deps.parsers.uv_lock import parse_uv_lock

PYPROJECT = """
[project]
name = "demo"
dependencies = ["torch>=2.1", "numpy", "requests==2.31.0"]

[project.optional-dependencies]
hub = ["huggingface_hub>=0.20"]

[dependency-groups]
dev = ["pytest>=8", {include-group = "lint"}]

[tool.poetry.dependencies]
python = "^3.11"
pandas = "^2.1.4"
mylib = { git = "https://github.com/org/mylib.git", branch = "main" }
local = { path = "../local" }

[[tool.poetry.source]]
name = "corp"
url = "https://pypi.corp.example/simple"
priority = "supplemental"

[tool.uv]
index-strategy = "unsafe-best-match"
extra-index-url = ["http://mirror.example/simple"]

[tool.uv.sources]
numpy = { git = "https://github.com/numpy/numpy", rev = "0123456789abcdef0123456789abcdef01234567" }
"""


def test_poetry_constraints() -> None:
    assert poetry_to_pep440("^1.2.3") == ">=1.2.3,<2"
    assert poetry_to_pep440("^0.2.3") == ">=0.2.3,<0.3"
    assert poetry_to_pep440("~1.2.3") == ">=1.2.3,<1.3"
    assert poetry_to_pep440("1.2.3") == "==1.2.3"
    assert poetry_to_pep440("*") == ""
    assert poetry_to_pep440(">=1, <2") == ">=1,<2"
    assert poetry_to_pep440("^1 || ^2") is None


def test_pyproject_pep621_poetry_and_uv() -> None:
    parsed = parse_pyproject(PYPROJECT, source="pyproject.toml")
    by_name = {d.name: d for d in parsed.dependencies}
    assert set(by_name) == {"torch", "numpy", "requests", "huggingface-hub", "pytest", "pandas", "mylib", "local"}
    assert all(d.abstract for d in parsed.dependencies)
    assert by_name["requests"].version == "2.31.0" and by_name["torch"].line == 4
    assert by_name["pandas"].specifier == ">=2.1.4,<3"
    assert by_name["mylib"].vcs and by_name["mylib"].url and by_name["mylib"].url.endswith("@main")
    assert by_name["numpy"].vcs and by_name["local"].local
    codes = sorted(i.code for i in parsed.issues)
    assert codes == ["extra-index", "extra-index", "insecure-index"]


def test_malformed_toml_is_an_issue_with_a_line() -> None:
    parsed = parse_pyproject("[project]\nname = \n", source="pyproject.toml")
    (issue,) = parsed.issues
    assert issue.code == "unparsable" and issue.line == 2


POETRY_LOCK = """
[[package]]
name = "requests"
version = "2.30.0"
files = [{file = "requests-2.30.0-py3-none-any.whl", hash = "sha256:aa"}]

[[package]]
name = "mylib"
version = "0.1.0"
files = []

[package.source]
type = "git"
url = "https://github.com/org/mylib.git"
reference = "main"
resolved_reference = "0123456789abcdef0123456789abcdef01234567"

[[package]]
name = "old-style"
version = "1.0"

[metadata.files]
old-style = [{file = "old_style-1.0.tar.gz", hash = "sha256:bb"}]
"""


def test_poetry_lock_versions_sources_and_both_hash_layouts() -> None:
    requests, mylib, old = parse_poetry_lock(POETRY_LOCK, source="poetry.lock").dependencies
    assert requests.is_lock and requests.version == "2.30.0" and requests.hashes == ("sha256:aa",)
    assert requests.line == 2
    assert mylib.vcs and mylib.version is None and mylib.url and mylib.url.endswith("01234567")
    assert old.hashes == ("sha256:bb",)


UV_LOCK = """
version = 1

[[package]]
name = "demo"
version = "0.1.0"
source = { editable = "." }

[[package]]
name = "pillow"
version = "10.0.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.example/pillow-10.0.0.tar.gz", hash = "sha256:cc", size = 1 }
wheels = [{ url = "https://files.example/pillow-10.0.0-cp311.whl", hash = "sha256:dd", size = 1 }]

[[package]]
name = "nohash"
version = "1.0"
source = { registry = "https://pypi.org/simple" }
"""


def test_uv_lock() -> None:
    demo, pillow, nohash = parse_uv_lock(UV_LOCK, source="uv.lock").dependencies
    assert demo.local and demo.version is None
    assert pillow.version == "10.0.0" and pillow.hashes == ("sha256:cc", "sha256:dd")
    assert nohash.hashes == ()


def test_pipfile_lock_and_its_sources() -> None:
    data = {
        "_meta": {"sources": [{"name": "pypi", "url": "http://pypi.example/simple", "verify_ssl": False}]},
        "default": {"requests": {"version": "==2.30.0", "hashes": ["sha256:ee"], "index": "pypi"}},
        "develop": {"tool": {"git": "https://github.com/org/tool.git", "ref": "v1"}},
    }
    parsed = parse_pipfile_lock(json.dumps(data, indent=4), source="Pipfile.lock")
    requests, tool = parsed.dependencies
    assert requests.version == "2.30.0" and requests.hashes == ("sha256:ee",) and requests.line is not None
    assert tool.vcs and tool.version is None
    assert sorted(i.code for i in parsed.issues) == ["insecure-index", "trusted-host"]


def test_pipfile_lock_malformed() -> None:
    assert [i.code for i in parse_pipfile_lock("{not json", source="Pipfile.lock").issues] == ["unparsable"]
    assert [i.code for i in parse_pipfile_lock("[1, 2]", source="Pipfile.lock").issues] == ["unparsable"]


ENV = """
name: demo
channels:
  - pytorch
  - http://conda.example/channel
dependencies:
  - python=3.11
  - pytorch::pytorch=2.1.0=py3.11_cuda12.1_0
  - numpy==1.26.4
  - pandas
  - scipy=1.11
  - pip
  - pip:
      - reqeusts==2.31.0
      - --extra-index-url https://pypi.corp.example/simple
"""


def test_conda_environment_with_pip_section() -> None:
    parsed = parse_conda_env(ENV, source="environment.yml", identity="/x/environment.yml", reader=None)
    conda = {d.name: d for d in parsed.dependencies if d.ecosystem == "conda"}
    assert set(conda) == {"pytorch", "numpy", "pandas", "scipy"}
    assert conda["pytorch"].version == "2.1.0" and conda["numpy"].version == "1.26.4"
    assert conda["pandas"].specifier == "" and conda["scipy"].version is None
    (pip_dep,) = [d for d in parsed.dependencies if d.ecosystem == "PyPI"]
    assert pip_dep.name == "reqeusts" and pip_dep.line == 14
    assert sorted(i.code for i in parsed.issues) == ["extra-index", "insecure-index"]


def test_conda_pin_forms() -> None:
    assert conda_pin("==1.2.3") == ("1.2.3", True)
    assert conda_pin("=1.2") == (None, True)
    assert conda_pin("1.2.3 py311_0") == ("1.2.3", True)
    assert conda_pin("") == (None, False)


def test_yaml_bomb_is_a_medium_issue_not_a_hang() -> None:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(20)]
    text = "\n".join(lines) + "\ndependencies: [*u]\n"
    parsed = parse_conda_env(text, source="environment.yml", identity="e", reader=None)
    (issue,) = parsed.issues
    assert issue.code == "unparsable" and issue.severity is Severity.MEDIUM and "alias" in issue.message


def test_malformed_yaml() -> None:
    parsed = parse_conda_env("dependencies: [a, b\n", source="environment.yml", identity="e", reader=None)
    assert [i.code for i in parsed.issues] == ["unparsable"]


def test_setup_cfg() -> None:
    text = (
        "[metadata]\nname = demo\n\n[options]\ninstall_requires =\n    requests>=2\n    numpy==1.26.0\n"
        "    # comment\n\n[options.extras_require]\nml =\n    torch\n    bad requirement!\n"
    )
    parsed = parse_setup_cfg(text, source="setup.cfg")
    assert [(d.name, d.line) for d in parsed.dependencies] == [("requests", 6), ("numpy", 7), ("torch", 12)]
    assert [i.code for i in parsed.issues] == ["unparsable"]
    assert parse_setup_cfg("[options\nx", source="setup.cfg").issues[0].code == "unparsable"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([*'[]{}="\n ,.abc:-#1', "[[package]]", "name", "version"]), max_size=60).map("".join))
def test_fuzz_toml_and_lock_parsers_never_raise(text: str) -> None:
    for parser in (parse_pyproject, parse_poetry_lock, parse_uv_lock, parse_setup_cfg, parse_pipfile_lock):
        parser(text, source="f")
    parse_conda_env(text, source="f", identity="f", reader=None)
