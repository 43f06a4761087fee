"""Red-team corpus: gadgets in (or reachable from) the allowlist, and structural hiding tricks.

Every payload targets a canary path inside ``tmp_path`` (it would create or write that file if a
loader ran it); the tests only scan and then assert the canary is still absent. Comments name the
public source of the technique or the reasoning that found it. Nothing here is ever unpickled.
"""

from __future__ import annotations

import base64
import struct
from pathlib import Path

import pytest
from tests.factories.pickle_builder import PickleBuilder
from tests.scanners.pickle.helpers import keys, rule_ids, scan_artifact, scan_bytes

from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding, Severity


def _critical(findings: list[Finding]) -> set[str]:
    return {f.match_key for f in findings if f.severity is Severity.CRITICAL}


def _memmap_args(b: PickleBuilder, canary: Path) -> PickleBuilder:
    """Push (filename, dtype, mode, offset, shape): numpy.memmap's arguments that create the canary."""
    return b.unicode(str(canary)).unicode("uint8").unicode("w+").int_(0).int_(1).tuple_(1).raw(b"t")


def _memmap_tuple(b: PickleBuilder, canary: Path) -> PickleBuilder:
    return _memmap_args(b.mark(), canary)


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    return tmp_path / "canary"


def _assert_flagged(data: bytes, key: str, canary: Path) -> list[Finding]:
    findings = scan_bytes(data) + scan_artifact(data) + scan_artifact(data, Format.JOBLIB)
    assert key in _critical(findings), [(f.severity.label, f.match_key) for f in findings]
    assert not canary.exists()
    return findings


# --- allowlist gadgets ------------------------------------------------------------------------


def test_memmap_called_directly_creates_a_file(canary: Path) -> None:
    # Allowlist audit: numpy.memmap is on the allowlist because _reconstruct(numpy.memmap, ...) names it,
    # but numpy.memmap(filename, mode="w+") creates the file. Naming is fine; running it is not.
    b = PickleBuilder().stack_global("numpy", "memmap")
    data = _memmap_tuple(b, canary).reduce().stop().data
    _assert_flagged(data, "numpy.memmap", canary)


def test_memmap_as_reconstruct_subtype_is_clean() -> None:
    # The benign shape: pickle.dumps(np.memmap(...)) names the type without running memmap.__new__.
    b = PickleBuilder().stack_global("numpy.core.multiarray", "_reconstruct").mark().stack_global("numpy", "memmap")
    b.int_(0).tuple_(1).binbytes(b"b").tuple_().reduce().stop()
    assert scan_bytes(b.data) == []


def test_memmap_through_newobj(canary: Path) -> None:
    # NEWOBJ runs cls.__new__(cls, *args); numpy.memmap does its work in __new__.
    data = _memmap_tuple(PickleBuilder().stack_global("numpy", "memmap"), canary).newobj().stop().data
    _assert_flagged(data, "numpy.memmap", canary)


def test_memmap_through_newobj_ex_kwargs(canary: Path) -> None:
    # NEWOBJ_EX passes keyword arguments: memmap.__new__(memmap, filename=..., mode="w+", shape=(1,)).
    b = PickleBuilder().stack_global("numpy", "memmap").tuple_(0)
    b.empty_dict().mark().unicode("filename").unicode(str(canary)).unicode("mode").unicode("w+")
    b.unicode("shape").int_(1).tuple_(1).setitems().newobj_ex().stop()
    _assert_flagged(b.data, "numpy.memmap", canary)


def test_rebuild_from_type_v2_runs_its_func_argument(canary: Path) -> None:
    # torch._tensor._rebuild_from_type_v2(func, new_type, args, state) calls func(*args): an allowlisted
    # helper must not launder a callable (allowlist audit; cf. JFrog 2025 on torch rebuild helpers).
    b = PickleBuilder().stack_global("torch._tensor", "_rebuild_from_type_v2").mark()
    b.stack_global("numpy", "memmap").stack_global("torch", "Tensor")
    _memmap_tuple(b, canary).empty_dict().raw(b"t").reduce().stop()
    _assert_flagged(b.data, "numpy.memmap", canary)


def test_reconstructor_base_is_called(canary: Path) -> None:
    # copyreg._reconstructor(cls, base, state) runs base.__new__(cls, state) and base.__init__(obj, state).
    b = PickleBuilder().stack_global("copyreg", "_reconstructor").mark()
    b.stack_global("numpy", "memmap").stack_global("numpy", "memmap").unicode(str(canary)).raw(b"t").reduce().stop()
    _assert_flagged(b.data, "numpy.memmap", canary)


def test_copyreg_newobj_helper(canary: Path) -> None:
    # copyreg.__newobj__(cls, *args) is cls.__new__(cls, *args), protocol 2's NEWOBJ in function form.
    b = PickleBuilder().stack_global("copyreg", "__newobj__").mark().stack_global("numpy", "memmap")
    _memmap_args(b, canary).reduce().stop()
    _assert_flagged(b.data, "numpy.memmap", canary)


def test_pandas_new_index_runs_cls_new(canary: Path) -> None:
    # pandas.core.indexes.base._new_Index(cls, d) returns cls.__new__(cls, **d) for unknown classes.
    b = PickleBuilder().stack_global("pandas.core.indexes.base", "_new_Index").stack_global("numpy", "memmap")
    b.empty_dict().mark().unicode("filename").unicode(str(canary)).unicode("mode").unicode("w+").setitems()
    b.tuple_(2).reduce().stop()
    _assert_flagged(b.data, "numpy.memmap", canary)


def test_numpy_random_ctor_calls_its_argument(canary: Path) -> None:
    # numpy.random._pickle.__generator_ctor(name, bit_generator_ctor) calls bit_generator_ctor(name).
    b = PickleBuilder().stack_global("numpy.random._pickle", "__generator_ctor")
    b.unicode(str(canary)).stack_global("numpy", "memmap").tuple_(2).reduce().stop()
    _assert_flagged(b.data, "numpy.memmap", canary)


def test_load_from_bytes_with_a_hostile_legacy_stream(canary: Path) -> None:
    # torch.storage._load_from_bytes(b) is torch.load(b, weights_only=False): the bytes are a pickle that
    # runs on load (allowlist audit; picklescan/modelscan list torch.load-style nested loaders).
    inner = PickleBuilder(protocol=2).call_global("os", "system", f"touch {canary}").stop().data
    b = PickleBuilder().stack_global("torch.storage", "_load_from_bytes").binbytes(inner).tuple_(1).reduce().stop()
    findings = _assert_flagged(b.data, "os.system", canary)
    assert "torch.storage._load_from_bytes" in _critical(findings)
    assert "MW-PICKLE-005" in rule_ids(findings)


def test_load_from_bytes_with_a_computed_argument(canary: Path) -> None:
    # The vetting only accepts a literal we scanned; a computed argument is judged as torch.load.
    b = PickleBuilder().stack_global("torch.storage", "_load_from_bytes")
    b.stack_global("builtins", "bytes").unicode(str(canary)).tuple_(1).reduce().tuple_(1).reduce().stop()
    _assert_flagged(b.data, "torch.storage._load_from_bytes", canary)


def test_getattr_resolved_to_a_dangerous_attribute(canary: Path) -> None:
    # getattr(<allowlisted class>, "<literal>") is resolved statically: pathlib.Path.write_text is reached.
    b = PickleBuilder().stack_global("builtins", "getattr").stack_global("pathlib", "Path")
    b.unicode("write_text").tuple_(2).reduce().memoize().pop()
    b.stack_global("pathlib", "Path").unicode(str(canary)).tuple_(1).reduce().unicode("x").tuple_(1).reduce().stop()
    findings = _assert_flagged(b.data, "builtins.getattr", canary)
    assert "pathlib.Path.write_text" in _critical(findings)


def test_getattr_vetted_once_but_reused_unvetted(canary: Path) -> None:
    # One harmless getattr(ZoneInfo, "_unpickle") must not vet a second, computed use of the same import.
    b = PickleBuilder().stack_global("builtins", "getattr").memoize()
    b.stack_global("zoneinfo", "ZoneInfo").unicode("_unpickle").tuple_(2).reduce().pop()
    b.get(0).stack_global("builtins", "object").unicode(str(canary)).tuple_(2).reduce().stop()
    _assert_flagged(b.data, "builtins.getattr", canary)


def test_partial_state_swaps_the_wrapped_function(canary: Path) -> None:
    # functools.partial(np.log1p) looks harmless; BUILD's state (func, args, kwds, dict) replaces func
    # (fickling PR #210 wrapped callables in partial; the swap is our own variation).
    b = PickleBuilder().stack_global("functools", "partial").stack_global("numpy", "log1p").tuple_(1).reduce()
    b.mark().stack_global("numpy", "memmap").unicode(str(canary)).tuple_(1).empty_dict().none().raw(b"t").build()
    b.stop()
    findings = _assert_flagged(b.data, "functools.partial", canary)
    assert "numpy.log1p" not in keys(findings)


def test_copyreg_add_extension_then_ext(canary: Path) -> None:
    # EXT codes resolve through copyreg's registry; a pickle can register its own code first
    # (modelaudit PR #623 / fickling PR #172 covered EXT; registering inside the stream is the next step).
    b = PickleBuilder(protocol=2).stack_global("copyreg", "add_extension")
    b.unicode("os").unicode("system").int_(0x4242).tuple_(3).reduce().pop()
    b.ext2(0x4242).unicode(f"touch {canary}").tuple_(1).reduce().stop()
    findings = _assert_flagged(b.data, "os.system", canary)
    assert "copyreg.add_extension" in _critical(findings)


# --- structural hiding ------------------------------------------------------------------------


def test_nested_pickle_longer_than_the_kept_prefix(canary: Path) -> None:
    # A nested pickle longer than 4 KiB whose payload comes after the first 256 bytes (only a prefix was
    # scanned before: GHSA-84r2-jw7c-4r5q class, nested pickles inside BINBYTES/BINUNICODE).
    inner = PickleBuilder().unicode("x" * 6000).pop().call("os", "system", f"touch {canary}").stop().data
    for text in (False, True):
        b = PickleBuilder().empty_list()
        b.unicode(inner.decode("latin-1")) if text else b.binbytes(inner)
        data = b.append().stop().data
        findings = _assert_flagged(data, "os.system", canary)
        assert "MW-PICKLE-005" in rule_ids(findings)


def test_nested_pickle_in_base64_and_in_persistent_ids(canary: Path) -> None:
    # Payloads shipped as base64 text, and pickles inside persistent ids (PERSID is ASCII: base64 fits).
    inner = PickleBuilder().call("subprocess", "run", f"touch {canary}").stop().data
    encoded = base64.b64encode(inner).decode()
    _assert_flagged(PickleBuilder().unicode(encoded).stop().data, "subprocess.run", canary)
    data = PickleBuilder(protocol=None).raw(b"P" + encoded.encode() + b"\n").stop().data
    _assert_flagged(data, "subprocess.run", canary)
    data = PickleBuilder().binbytes(inner).binpersid().stop().data
    _assert_flagged(data, "subprocess.run", canary)


def test_protocol_0_with_crlf_and_padded_names(canary: Path) -> None:
    # Text opcodes with \r\n line ends or padded module names: loaders keep the \r (import fails) but
    # a scanner must not be talked out of the match either way.
    cmd = f"touch {canary}".encode()
    for module in (b"os\r", b" os", b"os "):
        data = b"c" + module + b"\nsystem\n(S'" + cmd + b"'\ntR."
        assert _critical(scan_bytes(data)), module
    assert not canary.exists()


@pytest.mark.parametrize(
    ("module", "name"),
    [("оs", "system"), ("ｏｓ", "system"), ("subprocеss", "run"), ("builtins", "еval")],
    ids=["cyrillic-o", "fullwidth", "cyrillic-e", "cyrillic-name"],
)
def test_homoglyph_spellings_of_dangerous_names(module: str, name: str, canary: Path) -> None:
    # Look-alike letters never import the real module, but they are written to fool human and regex review.
    data = PickleBuilder().call(module, name, f"touch {canary}").stop().data
    assert _critical(scan_bytes(data))
    assert not canary.exists()


def test_homoglyph_of_an_allowlisted_name_is_never_safe() -> None:
    data = PickleBuilder().stack_global("tоrch._utils", "_rebuild_tensor_v2").stop().data
    findings = scan_bytes(data)
    assert [f.severity for f in findings] == [Severity.HIGH]


@pytest.mark.parametrize(
    ("module", "name", "key"),
    [
        ("torch.serialization", "os.system", "torch.serialization.os.system"),
        ("sklearn.base", "copy.deepcopy", "sklearn.base.copy.deepcopy"),
        ("numpy", "core.multiarray.numpy.load", "numpy.core.multiarray.numpy.load"),
        (
            "torch",
            "nn.modules.linear.torch.nn.modules.linear.torch.load",
            "torch.nn.modules.linear.torch.nn.modules.linear.torch.load",
        ),
    ],
)
def test_attribute_paths_that_reenter_dangerous_modules(module: str, name: str, key: str, canary: Path) -> None:
    # Protocol 4 walks dotted names with getattr; modules hold other modules as attributes
    # (modelscan issue #330 reached numpy.__builtins__; these reach os/copy/numpy.load without dunders).
    data = PickleBuilder().call(module, name, f"touch {canary}").stop().data
    assert key in _critical(scan_bytes(data))
    assert not canary.exists()


def test_very_long_global_names(canary: Path) -> None:
    # A 200 KB dotted name (well past the old 64 KiB line limit) and a >4 KiB STACK_GLOBAL operand.
    hop = "nn.modules.linear.torch." * 8000
    data = PickleBuilder(protocol=None).global_("torch", hop + "load").stop().data
    assert _critical(scan_bytes(data))
    data = PickleBuilder().stack_global("torch", hop[:5000] + "load").stop().data
    assert _critical(scan_bytes(data))
    assert not canary.exists()


def test_lying_frame_and_extra_protocol_opcodes(canary: Path) -> None:
    # FRAME lengths are advisory for the C loader; PROTO may repeat mid-stream (it only changes fix_imports).
    b = PickleBuilder().frame(3).raw(b"\x80\x02").frame(1 << 40).raw(b"\x80\x05")
    data = b.call("os", "system", f"touch {canary}").stop().data
    _assert_flagged(data, "os.system", canary)


def test_callable_hidden_with_memo_pop_mark_and_dup(canary: Path) -> None:
    # MEMOIZE after POP, POP_MARK and DUP move the callable around so that REDUCE's operand is a memo read.
    b = PickleBuilder().mark().stack_global("os", "system").memoize().raw(b"1")  # POP_MARK drops it
    b.none().pop().get(0).raw(b"2").pop()  # DUP then POP: the memo copy survives
    b.get(0).unicode(f"touch {canary}").tuple_(1).reduce().stop()
    _assert_flagged(b.data, "os.system", canary)


def test_build_state_smuggles_a_dangerous_global(canary: Path) -> None:
    # BUILD on an allowlisted class with a __dict__ (and a slot state) holding a dangerous callable.
    b = PickleBuilder().stack_global("collections", "OrderedDict").tuple_(0).reduce()
    b.empty_dict().unicode("__setstate__").stack_global("os", "system").setitem()
    b.empty_dict().unicode("__reduce_ex__").stack_global("builtins", "exec").setitem().tuple_(2).build().stop()
    findings = _assert_flagged(b.data, "os.system", canary)
    assert "builtins.exec" in _critical(findings)


def test_appends_and_setitems_on_imported_objects(canary: Path) -> None:
    # APPENDS calls target.extend(items): with an imported list (sys.path) it rewires later imports.
    b = PickleBuilder().stack_global("sys", "path").mark().unicode(str(canary)).raw(b"e").stop()
    findings = scan_bytes(b.data)
    assert "sys.path" in _critical(findings)
    assert "mutate-global" in keys(findings, "MW-PICKLE-003")
    b = PickleBuilder().stack_global("torch.nn.modules.linear", "Linear").unicode("k").unicode("v").setitem().stop()
    assert "mutate-global" in keys(scan_bytes(b.data), "MW-PICKLE-003")


# --- joblib -------------------------------------------------------------------------------------


def _wrapper(b: PickleBuilder, dtype: str, shape: tuple[int, ...]) -> PickleBuilder:
    """A joblib NumpyArrayWrapper BUILD (protocol 4), as joblib.dump writes it."""
    b.stack_global("joblib.numpy_pickle", "NumpyArrayWrapper").memoize().tuple_(0).newobj()
    b.empty_dict().mark().unicode("subclass").stack_global("numpy", "ndarray").unicode("shape")
    for dim in shape:
        b.int_(dim)
    b.tuple_(len(shape)).unicode("order").unicode("C").unicode("dtype")
    b.stack_global("numpy", "dtype").unicode(dtype).newfalse().newtrue().tuple_(3).reduce()
    b.mark().int_(3).unicode("<").none().none().none().int_(-1).int_(-1).int_(0).raw(b"t").build()
    b.unicode("allow_mmap").newfalse().setitems().build()
    return b


def test_joblib_object_array_payload(canary: Path) -> None:
    # joblib writes object arrays as a nested pickle right after the wrapper: that pickle runs on load.
    b = _wrapper(PickleBuilder(), "O8", (1,))
    b.raw(PickleBuilder().call("os", "system", f"touch {canary}").stop().data).stop()
    findings = scan_artifact(b.data, Format.JOBLIB)
    assert "os.system" in _critical(findings)
    assert not canary.exists()


def test_joblib_payload_right_after_the_declared_array_bytes(canary: Path) -> None:
    # joblib reads exactly shape*itemsize bytes and continues unpickling after them: a wrapper declaring
    # fewer bytes than a naive reader expects lands the loader in the payload. We skip what joblib skips.
    b = _wrapper(PickleBuilder(), "<f8", (1,)).raw(struct.pack("<d", 1.0))
    b.pop().call("os", "system", f"touch {canary}").stop()
    findings = scan_artifact(b.data, Format.JOBLIB)
    assert "os.system" in _critical(findings)
    assert not canary.exists()


def test_joblib_array_bytes_that_pickle_load_would_execute(canary: Path) -> None:
    # The reverse: bytes joblib skips as array data are opcodes to plain pickle.load. A .pkl loaded with
    # pickle.load runs them, so the scanner also reports what a plain loader would run.
    hidden = PickleBuilder(protocol=None).call_global("os", "system", f"touch {canary}").pop().data
    padded = hidden + b"N" * (-len(hidden) % 8)  # NONE opcodes pad the hidden code to whole float64s
    b = _wrapper(PickleBuilder(), "<f8", (len(padded) // 8,)).raw(padded).stop()
    findings = scan_artifact(b.data, Format.JOBLIB)
    assert "os.system" in _critical(findings)
    assert not canary.exists()
