"""Denylist coverage against the standard library and the ML libraries' own loaders.

The module list is ours and static; the test imports those *standard-library* modules (never a
name found in an artifact) only to enumerate their members, so that a function added to a dangerous
module in a future Python is still judged dangerous by the module rule rather than by luck.
"""

from __future__ import annotations

import importlib
import sys
import warnings
from types import ModuleType

import pytest
from tests.factories.pickle_builder import PickleBuilder
from tests.scanners.pickle.helpers import scan_bytes

from mlwarden.core.findings import Severity
from mlwarden.scanners.pickle.rules import ALLOWED, Verdict
from mlwarden.scanners.pickle.verdicts import judge

# Modules that run code, spawn processes, write files, open sockets or load native code. Every
# member that is not explicitly allowlisted must be judged dangerous (critical).
DANGEROUS_STDLIB = (  # noqa: SIM905 - a module list reads better as data
    "os os.path posix subprocess pty shutil tempfile pathlib io _io codecs socket ssl http.client http.server "
    "http.cookiejar urllib.request urllib.parse ftplib smtplib xmlrpc.client xmlrpc.server webbrowser ctypes "
    "_ctypes importlib importlib.util importlib.machinery pkgutil runpy zipimport code codeop pdb bdb cmd trace "
    "timeit profile cProfile pstats doctest unittest unittest.mock multiprocessing multiprocessing.pool "
    "concurrent.futures threading _thread asyncio asyncio.subprocess signal sys builtins marshal pickle _pickle "
    "shelve dbm sqlite3 tarfile zipfile glob fileinput linecache lib2to3 sysconfig site gc inspect types "
    "functools operator _operator itertools copyreg copy weakref resource mmap select selectors fcntl termios "
    "grp pwd platform uuid pydoc wsgiref xml.etree.ElementTree xml.sax xml.dom.minidom plistlib logging "
    "logging.config logging.handlers ensurepip venv gzip bz2 lzma zlib atexit sched contextlib configparser "
    "netrc mailbox faulthandler tracemalloc py_compile compileall zipapp socketserver imaplib poplib "
    "getpass readline encodings _posixsubprocess"
).split()
DEPRECATED_STDLIB = "telnetlib cgi cgitb mailcap crypt nntplib imp asyncore asynchat smtpd distutils".split()  # noqa: SIM905

# Loaders, runners and writers of the ML libraries, named as pickles name them (never imported here).
ML_LOADERS = [
    ("numpy", "load"),
    ("numpy.lib.npyio", "load"),
    ("numpy.lib._npyio_impl", "load"),
    ("numpy.lib.format", "read_array"),
    ("numpy.testing._private.utils", "runstring"),
    ("numpy.f2py.crackfortran", "getlincoef"),
    ("numpy.distutils.exec_command", "exec_command"),
    ("numpy.ctypeslib", "load_library"),
    ("numpy", "fromfile"),
    ("torch", "load"),
    ("torch.serialization", "load"),
    ("torch.jit", "load"),
    ("torch.jit._serialization", "load"),
    ("torch.hub", "load"),
    ("torch.hub", "download_url_to_file"),
    ("torch.utils.cpp_extension", "load"),
    ("torch.utils.cpp_extension", "load_inline"),
    ("torch._C", "_jit_pass_lower_all_tuples"),
    ("torch._C", "_load_for_lite_interpreter"),
    ("torch.ops", "load_library"),
    ("torch.classes", "load_library"),
    ("torch.package", "PackageImporter"),
    ("torch.multiprocessing", "spawn"),
    ("torch", "save"),
    ("pandas", "read_pickle"),
    ("pandas.io.pickle", "read_pickle"),
    ("pandas", "read_csv"),
    ("pandas", "eval"),
    ("sklearn.externals.joblib", "load"),
    ("sklearn.datasets", "fetch_openml"),
    ("transformers", "AutoModel.from_pretrained"),
    ("transformers.models.bert.modeling_bert", "BertModel.from_pretrained"),
    ("transformers.dynamic_module_utils", "get_class_from_dynamic_module"),
    ("tensorflow.io", "write_file"),
    ("tensorflow.io.gfile", "GFile"),
    ("keras.models", "load_model"),
    ("keras.saving.pickle_utils", "deserialize_model_from_bytecode"),
    ("dill", "loads"),
    ("dill._dill", "_create_code"),
    ("cloudpickle", "loads"),
    ("joblib", "load"),
    ("joblib.numpy_pickle", "load"),
    ("yaml", "unsafe_load"),
    ("scipy.io", "loadmat"),
    ("scipy.io.matlab", "loadmat"),
    ("huggingface_hub", "hf_hub_download"),
    ("datasets", "load_dataset"),
    ("some_unknown_pkg", "load_weights"),
    ("some_unknown_pkg.utils", "exec_script"),
]


_EXCEPTION_SUFFIXES = ("Error", "Exception", "Warning", "Exit", "Interrupt", "Iteration")


def _members(module: ModuleType) -> list[str]:
    return [name for name in dir(module) if not (name.startswith("__") and name.endswith("__"))]


def _import(name: str) -> ModuleType | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return importlib.import_module(name)
        except ImportError:
            return None


@pytest.mark.parametrize("module_name", DANGEROUS_STDLIB + DEPRECATED_STDLIB)
def test_every_member_of_a_dangerous_stdlib_module_is_critical(module_name: str) -> None:
    module = _import(module_name)
    if module is None:
        pytest.skip(f"{module_name} is not available on this platform/version")
    missed = []
    for name in _members(module):
        if f"{module_name}.{name}" in ALLOWED:
            continue
        judgement = judge(module_name, name)
        # Only builtins' exception classes pass by pattern; everything else must be dangerous.
        exception = module_name == "builtins" and name.endswith(_EXCEPTION_SUFFIXES)
        if judgement.verdict is not Verdict.DANGEROUS and not (exception and judgement.verdict is Verdict.SAFE):
            missed.append(name)
    assert missed == [], f"{module_name}: {missed}"


@pytest.mark.parametrize(("module", "name"), ML_LOADERS, ids=[f"{m}.{n}" for m, n in ML_LOADERS])
def test_ml_library_loaders_are_critical(module: str, name: str) -> None:
    assert judge(module, name).verdict is Verdict.DANGEROUS
    data = PickleBuilder().call(module, name, "/tmp/x").stop().data
    assert any(f.severity is Severity.CRITICAL for f in scan_bytes(data))


def test_no_stdlib_module_is_trusted_wholesale() -> None:
    # Any standard-library global that is not allowlisted is at least medium, and high once it is run.
    for module_name in sorted(sys.stdlib_module_names):
        judgement = judge(module_name, "some_new_function")
        assert judgement.verdict is not Verdict.SAFE, module_name
    data = PickleBuilder().call("string", "capwords", "x").stop().data
    assert [f.severity for f in scan_bytes(data)] == [Severity.HIGH]
    data = PickleBuilder().stack_global("string", "capwords").stop().data
    assert [f.severity for f in scan_bytes(data)] == [Severity.MEDIUM]


@pytest.mark.parametrize(
    ("module", "name"),
    [("__builtin__", "reduce"), ("__builtin__", "intern"), ("itertools", "imap"), ("copy_reg", "add_extension")],
)
def test_python2_names_are_mapped_like_fix_imports(module: str, name: str) -> None:
    # Unpickler(fix_imports=True) maps __builtin__.reduce to functools.reduce for protocol < 3.
    assert judge(module, name).verdict is Verdict.DANGEROUS
