"""Regression corpus: one test per publicly reported scanner bypass, crafted with our own builder.

Each test names the advisory or issue that described the technique. Payloads are our own; none is
ever loaded.
"""

from __future__ import annotations

import pytest
from tests.factories.pickle_builder import PickleBuilder
from tests.scanners.pickle.helpers import keys, rule_ids, scan_bytes

from mlwarden.core.findings import Severity

CMD = "touch /tmp/mlwarden-canary"


def _critical(data: bytes) -> set[str]:
    findings = scan_bytes(data)
    return {f.match_key for f in findings if f.severity is Severity.CRITICAL}


# Denylist gaps reported against picklescan, modelscan and fickling: (module, name, source).
GADGETS = [
    ("pip", "main", "CVE-2025-1716 (picklescan: pip.main installs a package)"),
    ("asyncio.unix_events", "_UnixSubprocessTransport", "CVE-2025-10157 (picklescan: asyncio subprocess)"),
    ("pdb", "run", "GHSA-4675-36f9-wf6r (picklescan: debugger runs code)"),
    ("bdb", "Bdb.run", "GHSA-4675-36f9-wf6r (picklescan: debugger base)"),
    ("trace", "Trace.run", "GHSA-46h3-79wf-xr6c (picklescan: trace runs code)"),
    ("timeit", "timeit", "GHSA-v7x6-rv5q-mhwc (picklescan: timeit.timeit)"),
    ("cProfile", "run", "GHSA-7wx9-6375-f5wh (picklescan: profile/cProfile.run)"),
    ("profile", "run", "GHSA-7wx9-6375-f5wh (picklescan: profile.run)"),
    ("ensurepip", "_run_pip", "GHSA-xp4f-hrf8-rxw7 (picklescan: ensurepip._run_pip)"),
    ("idlelib.pyshell", "ModifiedInterpreter.runcode", "GHSA-r8g5-cgf2-4m4m (picklescan: idlelib)"),
    ("lib2to3.pgen2.pgen", "generate_grammar", "GHSA-r8g5-cgf2-4m4m (picklescan: lib2to3)"),
    ("pydoc", "pipepager", "picklescan advisory 2025 (pydoc.pipepager runs a shell command)"),
    ("pkgutil", "resolve_name", "GHSA-vvpj-8cmc-gx39 (picklescan: universal bypass via resolve_name)"),
    ("_operator", "attrgetter", "GHSA-m273-6v24-x4m4 (picklescan: _operator alias)"),
    ("operator", "methodcaller", "GHSA-955r-x9j8-7rhh (picklescan: operator.methodcaller)"),
    ("functools", "partial", "fickling PR #210 (functools.partial wrapper bypass)"),
    ("numpy.f2py.crackfortran", "getlincoef", "fickling PR #210 (numpy.f2py evaluates expressions)"),
    ("numpy.testing._private.utils", "runstring", "fickling unsafe imports (numpy runstring)"),
    ("distutils.file_util", "write_file", "CVE-2025-10155 (picklescan: distutils write_file)"),
    ("_io", "FileIO", "CVE-2025-10156 (picklescan: _io.FileIO)"),
    ("_pickle", "loads", "GHSA-84r2-jw7c-4r5q (picklescan: nested pickle via _pickle)"),
    ("aiohttp.client", "ClientSession", "GHSA-hgrh-qx5j-jfwx (picklescan: network modules)"),
    ("venv", "create", "GHSA-vqmv-47xg-9wpr (picklescan: venv/pip)"),
    ("ctypes", "CDLL", "modelscan PR #339 (ctypes.CDLL loads a library)"),
    ("mailcap", "findmatch", "modelscan PR #346 (mailcap runs the test command)"),
    ("webbrowser", "open", "modelaudit PR #243 (webbrowser opens a URL)"),
    ("_xxsubinterpreters", "run_string", "fickling GHSA-6ggj-6f2q-f7mx (subinterpreter runs source)"),
    ("pty", "spawn", "fickling PR #108 (pty.spawn)"),
    ("torch.utils.bottleneck.__main__", "run_cprofile", "picklescan advisory 2025 (torch.utils.bottleneck)"),
    ("torch.hub", "load", "nested repository code (torch.hub.load)"),
    ("runpy", "run_path", "runpy runs a script"),
    ("nt", "system", "Windows alias of os (picklescan tracks posix and nt separately)"),
    ("__builtin__", "eval", "Python 2 alias of builtins accepted by Python 3 loaders"),
    ("builtins", "__import__", "import machinery"),
    ("_posixsubprocess", "fork_exec", "low-level process spawning"),
    ("fickling.hook", "deactivate_safe_ml_environment", "fickling PR #249 (scanner tampering)"),
]


@pytest.mark.parametrize(("module", "name", "source"), GADGETS, ids=[f"{m}.{n}" for m, n, _ in GADGETS])
def test_denylisted_gadget_is_critical(module: str, name: str, source: str) -> None:
    data = PickleBuilder().call(module, name, CMD).stop().data
    found = _critical(data)
    assert any(key.endswith(name) for key in found), (source, found)


def test_stack_global_operands_through_memo_with_overwritten_entry() -> None:
    # picklescan issue #22 (imaginaryCTF 2023 "Safe Pickle"): the scanner resolved memo GETs with
    # its own bookkeeping; overwriting a memo slot with PUT made STACK_GLOBAL resolve to a safe name.
    b = PickleBuilder(protocol=4)
    b.unicode("collections").put(0).unicode("OrderedDict").put(1).pop().pop()
    b.unicode("os").put(0).unicode("system").put(1).pop().pop()  # same slots, new values
    b.get(0).get(1).stack_global().unicode(CMD).tuple_(1).reduce().stop()
    assert "os.system" in _critical(b.data)


def test_memoize_indices_follow_the_loader() -> None:
    # modelscan PR #54 / picklescan issue #14: names stored with MEMOIZE and read back with BINGET.
    b = PickleBuilder(protocol=4)
    b.unicode("subprocess").memoize().unicode("check_output").memoize().pop().pop()
    b.get(0).get(1).stack_global().mark().unicode("id").raw(b"l").tuple_(1).reduce().stop()
    assert "subprocess.check_output" in _critical(b.data)


def test_inst_opcode_imports_and_calls() -> None:
    # picklescan issue #13 and modelscan issue #51: INST imports and calls in one opcode.
    data = PickleBuilder(protocol=None).mark().string_nl("print(1)").inst("__builtin__", "exec").stop().data
    assert "builtins.exec" in _critical(data)


def test_obj_opcode_calls_an_imported_class() -> None:
    # fickling PR #108: (cpty\nspawn\nS"id"\no. calls through OBJ.
    data = PickleBuilder(protocol=None).mark().global_("pty", "spawn").string_nl("id").obj().stop().data
    assert "pty.spawn" in _critical(data)


def test_dunder_attribute_of_allowed_module_and_build_on_import() -> None:
    # modelscan issue #330: numpy.__builtins__ reached through STACK_GLOBAL, BUILD on numpy.size.
    b = PickleBuilder(protocol=4)
    b.stack_global("numpy", "size").memoize()
    b.stack_global("numpy", "__builtins__").memoize()
    b.get(0).empty_dict().empty_dict().unicode("shape").get(1).setitem().tuple_(2).build()
    b.get(0).get(0).unicode("eval").tuple_(2).reduce().unicode("1").tuple_(1).reduce().stop()
    findings = scan_bytes(b.data)
    assert "numpy.__builtins__" in keys(findings)
    assert "build-on-global" in keys(findings, "MW-PICKLE-003")


def test_import_module_and_getattr_chain() -> None:
    # modelscan issue #331 / picklescan issue #66: importlib.import_module + builtins.getattr chains.
    b = PickleBuilder(protocol=4)
    b.stack_global("importlib", "import_module").unicode("os").tuple_(1).reduce().memoize()
    b.stack_global("builtins", "getattr").get(0).unicode("system").tuple_(2).reduce()
    b.unicode(CMD).tuple_(1).reduce().stop()
    found = _critical(b.data)
    assert {"importlib.import_module", "builtins.getattr"} <= found


@pytest.mark.parametrize(
    "operand",
    [b"C\x02os", b"J\x2a\x00\x00\x00", b"\x96\x06\x00\x00\x00\x00\x00\x00\x00system"],
    ids=["bytes", "int", "bytearray"],
)
def test_stack_global_type_confusion_is_reported_not_crashing(operand: bytes) -> None:
    # modelscan issue #338: bytes, int and bytearray operands crashed the scanner (TypeError).
    b = PickleBuilder(protocol=4).raw(operand).unicode("system").stack_global().stop()
    findings = scan_bytes(b.data)
    assert "unresolved-global" in keys(findings, "MW-PICKLE-003")


@pytest.mark.parametrize("ext", ["ext1", "ext2", "ext4"])
def test_ext_opcode_with_unregistered_code(ext: str) -> None:
    # modelaudit PR #623 and fickling PR #172: EXT1/2/4 import through the extension registry.
    b = PickleBuilder(protocol=2)
    getattr(b, ext)(0x42)
    b.unicode(CMD).tuple_(1).reduce().stop()
    findings = scan_bytes(b.data)
    assert "ext-unknown" in keys(findings, "MW-PICKLE-003")
    assert any(f.severity >= Severity.HIGH for f in findings)


def test_ext_opcode_with_registered_code_is_resolved() -> None:
    import copyreg

    copyreg.add_extension("os", "system", 0x4321)
    try:
        data = PickleBuilder(protocol=2).ext2(0x4321).unicode(CMD).tuple_(1).reduce().stop().data
        assert "os.system" in _critical(data)
    finally:
        copyreg.remove_extension("os", "system", 0x4321)


def test_nullifai_payload_before_a_broken_opcode() -> None:
    # ReversingLabs "nullifAI" (Feb 2025): the payload runs, then the stream breaks on purpose.
    data = PickleBuilder(protocol=2).call_global("os", "system", CMD).raw(b"\x00\xff garbage").data
    findings = scan_bytes(data)
    assert "os.system" in keys(findings)
    assert "MW-PICKLE-004" in rule_ids(findings)


def test_payload_after_the_first_stop() -> None:
    # Several pickles back to back: loaders that read more than one (torch legacy) run the second.
    data = PickleBuilder().none().stop().data + PickleBuilder().call("subprocess", "run", CMD).stop().data
    assert "subprocess.run" in _critical(data)


def test_dotted_name_is_judged_component_by_component() -> None:
    # Protocol 4 resolves dotted names with getattr: module 'builtins' name 'list.__class__...'.
    data = PickleBuilder().stack_global("collections", "OrderedDict.__init__.__globals__").stop().data
    assert _critical(data)
    data = PickleBuilder().stack_global("os.path", "os.system").stop().data
    assert _critical(data)


def test_nested_pickle_inside_bytes_is_scanned() -> None:
    # GHSA-84r2-jw7c-4r5q: a pickle inside a bytes value, loaded by a later pickle.loads call.
    inner = PickleBuilder(protocol=2).call_global("os", "system", CMD).stop().data
    data = PickleBuilder().empty_list().binbytes(inner).append().stop().data
    findings = scan_bytes(data)
    assert "MW-PICKLE-005" in rule_ids(findings)
    assert "os.system" in keys(findings)


def test_subclass_module_of_a_denied_package() -> None:
    # JFrog 2025 (GHSA-gx77-x2pv-48v7 class): submodules of a blocked module slipped past exact matches.
    data = PickleBuilder().call("asyncio.subprocess", "create_subprocess_shell", CMD).stop().data
    assert _critical(data)


def test_unknown_module_called_is_high() -> None:
    data = PickleBuilder().call("evil_pkg.payload", "apply_weights", "x").stop().data
    findings = scan_bytes(data)
    assert [f.severity for f in findings if f.rule_id == "MW-PICKLE-002"] == [Severity.HIGH]


def test_unknown_function_named_like_a_runner_is_critical() -> None:
    data = PickleBuilder().call("evil_pkg.payload", "run", "x").stop().data
    assert "evil_pkg.payload.run" in _critical(data)
