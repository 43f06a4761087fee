"""Allowlist audit, round 2: gadgets built only from allowlisted globals, found by reading the libraries.

Every payload targets a canary inside ``tmp_path`` (``numpy.memmap(canary, mode="w+")`` would create it;
joblib's ``NDArrayWrapper`` would ``numpy.load(canary, allow_pickle=True)`` it). The tests only scan the
bytes and assert the canary is still absent; nothing here is ever unpickled. Each test names the
library line that makes the gadget work (versions in the dev venv: torch 2.13, scikit-learn 1.9,
joblib 1.6, numpy 2.4).
"""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import pytest
from tests.factories.pickle_builder import PickleBuilder
from tests.scanners.pickle.helpers import keys, scan_artifact, scan_bytes

from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding, Severity
from mlwarden.scanners.pickle.rules import Verdict
from mlwarden.scanners.pickle.verdicts import judge


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    return tmp_path / "canary"


def _all(data: bytes) -> list[Finding]:
    return scan_bytes(data) + scan_artifact(data) + scan_artifact(data, Format.JOBLIB)


def _assert_flagged(data: bytes, canary: Path, *, critical: str | None = None, issue: str | None = None) -> None:
    findings = _all(data)
    shown = [(f.rule_id, f.severity.label, f.match_key) for f in findings]
    if critical is not None:
        assert critical in {f.match_key for f in findings if f.severity is Severity.CRITICAL}, shown
    if issue is not None:
        assert issue in keys(findings, "MW-PICKLE-003"), shown
        assert all(f.severity >= Severity.HIGH for f in findings if f.match_key == issue), shown
    assert not canary.exists()


def _memmap_call_args(b: PickleBuilder, canary: Path) -> PickleBuilder:
    """Push the tuple (filename, dtype, mode, offset, shape) that makes numpy.memmap create the canary."""
    return b.mark().unicode(str(canary)).unicode("uint8").unicode("w+").int_(0).int_(1).tuple_(1).tuple_()


def _identity_with_forward(b: PickleBuilder, forward_module: str, forward_name: str) -> PickleBuilder:
    """An nn.Identity built by NEWOBJ whose BUILD state replaces ``forward`` (Module.__setstate__ updates
    __dict__, so the instance attribute wins over the class method)."""
    b.stack_global("torch.nn.modules.linear", "Identity").tuple_(0).newobj()
    return b.empty_dict().unicode("forward").stack_global(forward_module, forward_name).setitem().build()


# --- calling an object the pickle built ------------------------------------------------------------


def test_module_instance_called_runs_its_smuggled_forward(canary: Path) -> None:
    # torch/nn/modules/module.py Module.__setstate__ is self.__dict__.update(state), and _call_impl runs
    # self.forward(*args) when no hooks are set: REDUCE on the module instance runs numpy.memmap(*args).
    b = _identity_with_forward(PickleBuilder(), "numpy", "memmap")
    data = _memmap_call_args(b, canary).reduce().stop().data
    _assert_flagged(data, canary, critical="numpy.memmap", issue="call-built-object")


def test_module_instance_called_is_reported_even_with_a_safe_forward(canary: Path) -> None:
    # The call itself is the structure no pickler writes: REDUCE whose callable is a call result.
    b = _identity_with_forward(PickleBuilder(), "numpy", "log1p")
    data = b.int_(1).tuple_(1).reduce().stop().data
    _assert_flagged(data, canary, issue="call-built-object")


def test_sklearn_parallel_reexport_calls_its_items(canary: Path) -> None:
    # sklearn/pipeline.py imports Parallel (sklearn/utils/parallel.py:Parallel, a joblib.Parallel) and the
    # sklearn class pattern matched it as an estimator class; Parallel()(iterable) runs func(*args, **kw)
    # for every (func, args, kwargs) item (joblib/parallel.py BatchedCalls.__call__).
    b = PickleBuilder().stack_global("sklearn.pipeline", "Parallel").tuple_(0).reduce()
    b.mark().mark().stack_global("numpy", "memmap").mark().unicode(str(canary)).tuple_()
    b.empty_dict().mark().unicode("mode").unicode("w+").unicode("shape").int_(1).tuple_(1).setitems()
    data = b.tuple_().raw(b"l").tuple_(1).reduce().stop().data
    _assert_flagged(data, canary, critical="numpy.memmap", issue="call-built-object")
    assert judge("sklearn.pipeline", "Parallel").verdict is not Verdict.SAFE


def test_helper_argument_that_is_a_built_object(canary: Path) -> None:
    # torch/_tensor.py:_rebuild_from_type_v2 runs func(*args): func may be a module instance, whose
    # __call__ runs the smuggled forward (the helper's callee check only looked at the innermost global).
    b = PickleBuilder().stack_global("torch._tensor", "_rebuild_from_type_v2").mark()
    _identity_with_forward(b, "numpy", "memmap").stack_global("torch", "Tensor")
    data = _memmap_call_args(b, canary).empty_dict().raw(b"t").reduce().stop().data
    _assert_flagged(data, canary, critical="numpy.memmap", issue="call-built-object")


# --- an unsafe-to-call class smuggled where library code calls it ------------------------------------


def test_memmap_smuggled_as_a_method_the_helper_calls(canary: Path) -> None:
    # torch/_utils.py:_rebuild_device_tensor_from_cpu_tensor calls data.to(dtype=..., device=...): an
    # argparse.Namespace whose BUILD state sets "to" makes library code call whatever the pickle put there.
    b = PickleBuilder().stack_global("torch._utils", "_rebuild_device_tensor_from_cpu_tensor").mark()
    b.stack_global("argparse", "Namespace").tuple_(0).reduce()
    b.empty_dict().unicode("to").stack_global("numpy", "memmap").setitem().build()
    data = b.unicode("uint8").unicode(str(canary)).newfalse().raw(b"t").reduce().stop().data
    _assert_flagged(data, canary, critical="numpy.memmap")


def test_memmap_as_a_default_factory(canary: Path) -> None:
    # collections.defaultdict(numpy.memmap): any missing-key lookup by library code calls the factory.
    b = PickleBuilder().stack_global("collections", "defaultdict").stack_global("numpy", "memmap").tuple_(1)
    _assert_flagged(b.reduce().stop().data, canary, critical="numpy.memmap")


def test_memmap_as_subtype_and_joblib_subclass_stay_clean(tmp_path: Path) -> None:
    # The benign shapes: pickle.dumps(np.memmap) names the type for _reconstruct, and joblib.dump of a
    # memmap stores subclass=numpy.memmap in the NumpyArrayWrapper state (a type check in read()).
    np = pytest.importorskip("numpy")
    joblib = pytest.importorskip("joblib")
    with io.BytesIO() as raw:
        mm = np.memmap(tmp_path / "m.dat", dtype="float32", mode="w+", shape=(4,))
        data = pickle.dumps(mm, protocol=4)
        joblib.dump(mm, raw)
        assert scan_bytes(data) == []
        assert scan_bytes(raw.getvalue(), joblib=True) == []


# --- joblib's legacy NDArrayWrapper: numpy.load(allow_pickle=True) on a path the pickle names ----------


def _nd_wrapper(filename: str) -> bytes:
    """joblib <= 0.9's shape: copyreg._reconstructor(NDArrayWrapper, object, None) + BUILD state."""
    b = PickleBuilder(protocol=2).global_("copy_reg", "_reconstructor").mark()
    b.global_("joblib.numpy_pickle_compat", "NDArrayWrapper").global_("__builtin__", "object").none().tuple_()
    b.reduce().empty_dict().mark().unicode("filename").unicode(filename).unicode("subclass")
    b.global_("numpy", "ndarray").unicode("allow_mmap").newtrue().setitems().build()
    return b.stop().data


def test_ndarray_wrapper_loads_a_path_with_allow_pickle(canary: Path) -> None:
    # joblib/numpy_pickle_compat.py NDArrayWrapper.read: np.load(os.path.join(dirname, self.filename),
    # allow_pickle=True), reached from NumpyUnpickler.load_build (joblib/numpy_pickle.py) on every BUILD.
    # An absolute or '..' filename makes joblib.load unpickle any file on disk without our scan.
    for name in (str(canary), "../../canary.pkl", "sub/dir/x.npy", "notes.txt"):
        _assert_flagged(_nd_wrapper(name), canary, critical="joblib.numpy_pickle_compat.NDArrayWrapper")


def test_ndarray_wrapper_with_a_sibling_npy_is_clean() -> None:
    # The benign legacy shape: joblib 0.9 wrote model.pkl_01.npy beside model.pkl (scanned on its own).
    assert scan_bytes(_nd_wrapper("model.pkl_01.npy")) == []


# --- class patterns that matched things that are not state classes ----------------------------------


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("sklearn.pipeline", "Parallel"),  # joblib Parallel subclass: runs callables
        ("sklearn.ensemble._forest", "Parallel"),
        ("torch.nn.modules.linear", "F"),  # the torch.nn.functional module
        ("torch.nn.modules.loss", "_Reduction"),  # a module
        ("torch.nn.modules.rnn", "_VF"),  # torch._VF, a module proxy
        ("torch.optim.optimizer", "TypeVar"),  # typing helpers re-exported by import
        ("torch.optim.optimizer", "ParamSpec"),
        ("pandas.core.arrays.datetimes", "TypeVar"),
    ],
)
def test_class_patterns_skip_reexported_non_classes(module: str, name: str) -> None:
    assert judge(module, name).verdict is not Verdict.SAFE
