"""What a pickle may import: the allowlist, the denylist and the rules (a data module).

The **allowlist** decides: anything a pickle imports that is not on it is a finding. Entries are
exact ``module.name`` strings, each with the reason it exists (which library writes it). A few
class-name patterns cover families of plain classes (``torch.nn.modules.*.Linear``); they accept
only CamelCase names without dunders, and no pattern covers a module with dangerous members.

The **denylist** only rates severity and explains the danger: a match is critical and names the
public advisory that showed the technique. Module names are normalised first (``posix``/``nt`` ->
``os``, ``__builtin__`` -> ``builtins``, ``_io`` -> ``io``, ...) and dotted names are judged
component by component, so ``builtins`` + ``getattr`` and ``os.path`` + ``os.system``-style
splits both resolve to the attribute path a loader would walk.

The runtime pickle guard, if built, imports these tables from here: there is exactly one copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from mlwarden.core.findings import Severity, Stage
from mlwarden.core.rules import Rule

__all__ = [
    "ALLOWED",
    "CANNOT_PARSE",
    "CLASS_PATTERNS",
    "DANGEROUS_CALLABLE",
    "DENYLIST",
    "KNOWN_PACKAGES",
    "NESTED_PICKLE",
    "NON_ALLOWLISTED_IMPORT",
    "PICKLE_RULES",
    "SUSPICIOUS_STRUCTURE",
    "Judgement",
    "Verdict",
    "judge",
    "normalise_module",
]

_RISKS: Final = ("MODEL-07", "MODEL-04", "SERVE-03")
_CONVERT: Final = (
    "Do not load this file with pickle, joblib.load or torch.load(weights_only=False). Ask the publisher "
    "for a safetensors (weights) or ONNX/skops (estimators) export, or load it with "
    "torch.load(weights_only=True) in an isolated sandbox without network or secrets."
)

DANGEROUS_CALLABLE = Rule(
    id="MW-PICKLE-001",
    title="Pickle imports a callable that can run code, touch files or reach the network",
    severity=Severity.CRITICAL,
    risk_ids=_RISKS,
    stage=Stage.MODEL,
    help=(
        "Unpickling imports every global the stream names and calls it with attacker-chosen arguments. "
        "The named callable executes commands, evaluates code, opens files or sockets, installs packages "
        "or reaches such a callable indirectly (getattr, attrgetter, partial, import helpers). Loading "
        "this file runs that code with the loader's privileges."
    ),
    remediation=_CONVERT,
    cwe="CWE-502",
)

NON_ALLOWLISTED_IMPORT = Rule(
    id="MW-PICKLE-002",
    title="Pickle imports a global that is not on the ML serialization allowlist",
    severity=Severity.MEDIUM,
    risk_ids=_RISKS,
    stage=Stage.MODEL,
    help=(
        "Real model files written by torch, numpy, scikit-learn, joblib and pandas import a small, known "
        "set of rebuild helpers and classes. This file imports something else. It may be a custom class "
        "of the model's own package (then loading also imports and runs that package) or a gadget that "
        "no denylist knows yet. It is rated high when the module is unknown and the global is called."
    ),
    remediation=(
        "Check the named module: if it is your own trusted package, suppress this finding for the file "
        "in mlwarden.yaml with a reason. Otherwise treat the file as untrusted: " + _CONVERT
    ),
    cwe="CWE-502",
)

SUSPICIOUS_STRUCTURE = Rule(
    id="MW-PICKLE-003",
    title="Pickle has a structure no standard pickler writes",
    severity=Severity.MEDIUM,
    risk_ids=_RISKS,
    stage=Stage.MODEL,
    help=(
        "The opcode stream uses constructs that pickle.dump, torch.save and joblib.dump never produce: "
        "extension codes missing from the registry, STACK_GLOBAL operands that are not plain strings, memo "
        "reads of entries never written, stack underflow, BUILD on an imported function, or data after the "
        "final STOP. Such tricks are used to confuse scanners (a loader executes everything up to the point "
        "where it fails)."
    ),
    remediation="Treat the file as crafted and untrusted. " + _CONVERT,
    cwe="CWE-502",
)

CANNOT_PARSE = Rule(
    id="MW-PICKLE-004",
    title="Pickle cannot be parsed completely",
    severity=Severity.MEDIUM,
    risk_ids=_RISKS,
    stage=Stage.MODEL,
    help=(
        "The stream is truncated, declares more bytes than the file holds, or contains an invalid opcode. "
        "A loader executes every opcode before the broken one (the 'nullifAI' technique places a payload "
        "before a deliberate break), so the part before the offset was still analysed and anything after "
        "it could not be."
    ),
    remediation=(
        "Re-download the file and compare its hash with the publisher's. If it is still broken, do not load "
        "it: " + _CONVERT
    ),
    cwe="CWE-502",
)

NESTED_PICKLE = Rule(
    id="MW-PICKLE-005",
    title="Pickle carries another pickle inside a string or bytes value",
    severity=Severity.MEDIUM,
    risk_ids=_RISKS,
    stage=Stage.MODEL,
    help=(
        "A string or bytes value in the stream is itself a pickle that imports globals. Code that later "
        "calls pickle.loads or torch.load on that value runs it; the embedded pickle was scanned and its "
        "own findings are reported at their offsets."
    ),
    remediation="Review why a model carries a serialized object inside a value. " + _CONVERT,
    cwe="CWE-502",
)

PICKLE_RULES: tuple[Rule, ...] = (
    DANGEROUS_CALLABLE,
    NON_ALLOWLISTED_IMPORT,
    SUSPICIOUS_STRUCTURE,
    CANNOT_PARSE,
    NESTED_PICKLE,
)


class Verdict(StrEnum):
    """How an imported global is judged."""

    SAFE = "safe"
    DANGEROUS = "dangerous"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Judgement:
    """The verdict on one import, with the normalised key and a reason a user can read."""

    verdict: Verdict
    key: str
    reason: str
    known_package: bool = False


# --- the allowlist: decides what passes ------------------------------------------------------
# Exact module.name entries grouped by the library that writes them, with the reason beside each group.
# Class patterns accept CamelCase class names in packages whose classes only store state.

_TORCH_DTYPES: Final = [
    "float32",
    "float64",
    "float16",
    "bfloat16",
    "float8_e4m3fn",
    "float8_e5m2",
    "float8_e4m3fnuz",
    "float8_e5m2fnuz",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "bool",
    "complex32",
    "complex64",
    "complex128",
    "qint8",
    "quint8",
    "qint32",
    "quint4x2",
    "quint2x4",
    "half",
    "float",
    "double",
    "long",
    "int",
    "short",
    "cfloat",
    "cdouble",
    "chalf",
    "strided",
    "sparse_coo",
    "sparse_csr",
    "sparse_csc",
    "sparse_bsr",
    "sparse_bsc",
    "_mkldnn",
    "contiguous_format",
    "channels_last",
    "channels_last_3d",
    "preserve_format",
    "per_tensor_affine",
    "per_channel_affine",
    "per_tensor_symmetric",
    "per_channel_symmetric",
    "per_channel_affine_float_qparams",
]

_TORCH_STORAGES: Final = [
    "Float",
    "Double",
    "Half",
    "BFloat16",
    "Long",
    "Int",
    "Short",
    "Char",
    "Byte",
    "Bool",
    "ComplexFloat",
    "ComplexDouble",
    "QUInt8",
    "QInt8",
    "QInt32",
    "QUInt4x2",
    "QUInt2x4",
    "Untyped",
    "Typed",
]

ALLOWED: Final[frozenset[str]] = frozenset(
    [
        # torch.save (zip and legacy formats): tensor and parameter rebuild helpers, storages, dtypes.
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_tensor_v3",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
        "torch._utils._rebuild_qtensor",
        "torch._utils._rebuild_sparse_tensor",
        "torch._utils._rebuild_nested_tensor",
        "torch._utils._rebuild_meta_tensor_no_storage",
        "torch._utils._rebuild_wrapper_subclass",
        "torch._utils._rebuild_device_tensor_from_numpy",
        "torch._utils._rebuild_device_tensor_from_cpu_tensor",
        "torch._tensor._rebuild_from_type",
        "torch._tensor._rebuild_from_type_v2",
        "torch.serialization._get_layout",
        "torch.storage.UntypedStorage",
        "torch.storage.TypedStorage",
        "torch.storage._TypedStorage",
        "torch.Size",
        "torch.device",
        "torch.dtype",
        "torch.Tensor",
        "torch.nn.parameter.Parameter",
        "torch.nn.parameter.UninitializedParameter",
        "torch.nn.parameter.Buffer",
        "torch.nn.utils.parametrize.ParametrizationList",
        "torch.ao.quantization.observer.MinMaxObserver",
        *(f"torch.{name}" for name in _TORCH_DTYPES),
        *(f"torch.{name}Storage" for name in _TORCH_STORAGES),
        *(f"torch.cuda.{name}Storage" for name in _TORCH_STORAGES),
        # numpy pickling (pickle.dumps of arrays, scalars, dtypes, masked arrays, random state).
        "numpy.core.multiarray._reconstruct",
        "numpy._core.multiarray._reconstruct",
        "numpy.core.multiarray.scalar",
        "numpy._core.multiarray.scalar",
        "numpy.core.numeric._frombuffer",
        "numpy._core.numeric._frombuffer",
        "numpy.dtype",
        "numpy.ndarray",
        "numpy.matrix",
        "numpy.matrixlib.defmatrix.matrix",
        "numpy.recarray",
        "numpy.record",
        "numpy.core.records.recarray",
        "numpy._core.records.recarray",
        "numpy.ma.MaskedArray",
        "numpy.ma.core.MaskedArray",
        "numpy.ma.core._mareconstruct",
        "numpy.memmap",
        "numpy.random._pickle.__randomstate_ctor",
        "numpy.random._pickle.__bit_generator_ctor",
        "numpy.random._pickle.__generator_ctor",
        "numpy.random.mtrand.RandomState",
        "numpy.random._generator.Generator",
        "numpy.random._mt19937.MT19937",
        "numpy.random._pcg64.PCG64",
        "numpy.random._pcg64.PCG64DXSM",
        "numpy.random._philox.Philox",
        "numpy.random._sfc64.SFC64",
        "numpy.random.bit_generator.SeedSequence",
        "numpy.random.bit_generator.__pyx_unpickle_SeedSequence",
        # Python's own pickling of plain values (protocol 0-2 helpers and builtin containers).
        "copyreg._reconstructor",
        "copyreg.__newobj__",
        "copyreg.__newobj_ex__",
        "_codecs.encode",  # protocol 2 writes bytes as _codecs.encode(str, 'latin1')
        "builtins.object",
        "builtins.list",
        "builtins.dict",
        "builtins.set",
        "builtins.frozenset",
        "builtins.tuple",
        "builtins.bytearray",
        "builtins.bytes",
        "builtins.str",
        "builtins.int",
        "builtins.float",
        "builtins.complex",
        "builtins.bool",
        "builtins.slice",
        "builtins.range",
        "builtins.xrange",  # Python 2 range, mapped by fix_imports
        "builtins.reversed",
        "builtins.enumerate",
        "builtins.NotImplemented",
        "builtins.Ellipsis",
        # collections and the standard library value types that models and configs hold.
        "collections.OrderedDict",
        "collections.defaultdict",
        "collections.Counter",
        "collections.deque",
        "collections.ChainMap",
        "datetime.datetime",
        "datetime.date",
        "datetime.time",
        "datetime.timedelta",
        "datetime.timezone",
        "decimal.Decimal",
        "fractions.Fraction",
        "uuid.UUID",
        "uuid.SafeUUID",
        "enum.Enum",
        "argparse.Namespace",  # training scripts save their parsed arguments
        "types.SimpleNamespace",
        "zoneinfo.ZoneInfo",
        "zoneinfo._zoneinfo.ZoneInfo",
        "pytz._p",
        "pytz._UTC",
        "dateutil.tz.tz.tzutc",
        "dateutil.tz.tz.tzoffset",
        "pathlib.Path",  # configs and training arguments hold paths; methods are judged separately
        "pathlib.PosixPath",
        "pathlib.WindowsPath",
        "pathlib.PurePosixPath",
        "pathlib.PureWindowsPath",
        "re._compile",  # compiled patterns in tokenizers and sklearn vectorizers
        # pandas (DataFrame, Series, indexes, dtypes, extension arrays, block managers).
        "pandas.DataFrame",
        "pandas.Series",
        "pandas.Index",
        "pandas.RangeIndex",
        "pandas.MultiIndex",
        "pandas.DatetimeIndex",
        "pandas.TimedeltaIndex",
        "pandas.PeriodIndex",
        "pandas.IntervalIndex",
        "pandas.CategoricalIndex",
        "pandas.Categorical",
        "pandas.CategoricalDtype",
        "pandas.DatetimeTZDtype",
        "pandas.PeriodDtype",
        "pandas.IntervalDtype",
        "pandas.StringDtype",
        "pandas.Interval",
        "pandas.Timestamp",
        "pandas.Timedelta",
        "pandas.Period",
        "pandas.arrays.DatetimeArray",
        "pandas.arrays.TimedeltaArray",
        "pandas.arrays.PeriodArray",
        "pandas.arrays.StringArray",
        "pandas.arrays.IntervalArray",
        "pandas.arrays.IntegerArray",
        "pandas.arrays.FloatingArray",
        "pandas.arrays.BooleanArray",
        "pandas.arrays.ArrowStringArray",
        "pandas._libs.arrays.__pyx_unpickle_NDArrayBacked",
        "pandas._libs.internals._unpickle_block",
        "pandas._libs.tslibs.timestamps._unpickle_timestamp",
        "pandas._libs.tslibs.timedeltas._timedelta_unpickle",
        "pandas._libs.tslibs.nattype.__nat_unpickle",
        "pandas._libs.tslibs.timezones.tz_standardize",
        "pandas.core.indexes.base._new_Index",
        "pandas.core.indexes.datetimes._new_DatetimeIndex",
        "pandas.core.indexes.interval._new_IntervalIndex",
        "pandas.core.indexes.period._new_PeriodIndex",
        "pandas.core.internals.managers.BlockManager",
        "pandas.core.internals.managers.SingleBlockManager",
        "pandas.core.internals.blocks.new_block",
        "pandas.core.frame.DataFrame",
        "pandas.core.series.Series",
        "pandas.core.arrays.categorical.Categorical",
        "pandas.core.dtypes.dtypes.CategoricalDtype",
        "pandas.core.arrays.sparse.array.SparseArray",
        # joblib.dump: the wrappers before inline array bytes.
        "joblib.numpy_pickle.NumpyArrayWrapper",
        "joblib.numpy_pickle.NDArrayWrapper",
        "joblib.numpy_pickle_compat.NDArrayWrapper",
        "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper",
        # xgboost / lightgbm / catboost estimators pickle their boosters as bytes or model text.
        "xgboost.core.Booster",
        "xgboost.sklearn.XGBClassifier",
        "xgboost.sklearn.XGBRegressor",
        "xgboost.sklearn.XGBRanker",
        "xgboost.sklearn.XGBRFClassifier",
        "xgboost.sklearn.XGBRFRegressor",
        "lightgbm.basic.Booster",
        "lightgbm.sklearn.LGBMClassifier",
        "lightgbm.sklearn.LGBMRegressor",
        "lightgbm.sklearn.LGBMRanker",
        "catboost.core.CatBoostClassifier",
        "catboost.core.CatBoostRegressor",
        # scikit-learn Cython internals pickled inside fitted estimators.
        "sklearn.tree._tree.Tree",
        "sklearn._loss._loss.CyHalfBinomialLoss",
        "sklearn._loss._loss.CyHalfMultinomialLoss",
        "sklearn._loss._loss.CyHalfSquaredError",
        "sklearn._loss._loss.CyAbsoluteError",
        "sklearn._loss._loss.CyPinballLoss",
        "sklearn._loss._loss.CyHalfPoissonLoss",
        "sklearn._loss._loss.CyHalfGammaLoss",
        "sklearn._loss._loss.CyHalfTweedieLoss",
        "sklearn._loss._loss.CyHuberLoss",
        "sklearn._loss._loss.CyExponentialLoss",
        "sklearn.neighbors._kd_tree.KDTree",
        "sklearn.neighbors._ball_tree.BallTree",
        "sklearn.neighbors._kd_tree.newObj",
        "sklearn.neighbors._ball_tree.newObj",
        "sklearn.utils._bunch.Bunch",
        "scipy.sparse._csr.csr_matrix",
        "scipy.sparse._csc.csc_matrix",
        "scipy.sparse._coo.coo_matrix",
        "scipy.sparse._csr.csr_array",
        "scipy.sparse._csc.csc_array",
        "scipy.sparse.csr.csr_matrix",
        "scipy.sparse.csc.csc_matrix",
        # transformers / tokenizers: training_args.bin and pickled tokenizers.
        "tokenizers.Tokenizer",
        "tokenizers.AddedToken",
        "tokenizers.models.Model",
        "transformers.tokenization_utils_base.BatchEncoding",
        "transformers.tokenization_utils.Trie",
    ]
)

# (module pattern, name pattern, why): CamelCase classes of state-only class families.
_CAMEL: Final = r"[A-Z][A-Za-z0-9]*"
CLASS_PATTERNS: Final[tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...]] = tuple(
    (re.compile(module), re.compile(_CAMEL), why)
    for module, why in (
        (r"torch\.nn\.modules\.[a-z_]+", "full nn.Module pickles name every layer class"),
        (r"torch\.ao\.nn\.[a-z_.]+", "quantized layer classes"),
        (r"torch\.nn\.(?:quantized|intrinsic|qat)\.[a-z_.]+", "quantized layer classes"),
        (r"torch\.optim\.[a-z_]+", "optimizer state objects in training checkpoints"),
        (r"torch\.optim\.lr_scheduler", "scheduler state in training checkpoints"),
        (r"numpy\.dtypes", "numpy 2 dtype classes (Float64DType, ...)"),
        (
            r"sklearn\.(?:linear_model|ensemble|tree|svm|neighbors|naive_bayes|cluster|decomposition|"
            r"preprocessing|pipeline|compose|feature_extraction|feature_selection|impute|"
            r"model_selection|neural_network|discriminant_analysis|kernel_approximation|"
            r"calibration|multiclass|multioutput|dummy|isotonic|manifold|mixture|"
            r"cross_decomposition|covariance|semi_supervised|random_projection|gaussian_process|"
            r"kernel_ridge|_loss)(?:\.[a-z_]+)*",
            "fitted scikit-learn estimators and their internals",
        ),
        (r"pandas\.core\.(?:arrays|dtypes|indexes)(?:\.[a-z_]+)*", "pandas extension arrays and dtypes"),
        (r"pandas\._libs\.tslibs\.offsets", "date offsets in indexes (Day, MonthEnd, ...)"),
        (r"transformers\.(?:training_args|trainer_utils|debug_utils|trainer_pt_utils)", "training_args.bin"),
        (r"transformers\.models\.[a-z0-9_]+\.configuration_[a-z0-9_]+", "model configs"),
        (r"transformers\.configuration_utils", "model configs"),
        (r"accelerate\.utils\.dataclasses", "training_args.bin enums"),
        (r"tokenizers\.(?:models|pre_tokenizers|normalizers|decoders|processors)", "tokenizer parts"),
    )
)

# Top-level packages whose members we know; an unknown global under them is rated lower than one
# from a package we have never seen, because it is more likely a new version's class.
KNOWN_PACKAGES: Final = frozenset(
    {
        "torch",
        "numpy",
        "sklearn",
        "scipy",
        "pandas",
        "joblib",
        "xgboost",
        "lightgbm",
        "catboost",
        "transformers",
        "tokenizers",
        "accelerate",
        "collections",
        "datetime",
        "builtins",
        "copyreg",
        "_codecs",
        "decimal",
        "fractions",
        "uuid",
        "enum",
        "re",
        "zoneinfo",
        "pytz",
        "dateutil",
    }
)


# --- module normalisation ----------------------------------------------------------------------

_MODULE_ALIASES: Final[dict[str, str]] = {
    "posix": "os",
    "nt": "os",
    "__builtin__": "builtins",  # Python 2 name, still accepted by Python 3 loaders (fix_imports)
    "__builtins__": "builtins",
    "exceptions": "builtins",
    "_io": "io",
    "_pickle": "pickle",
    "cPickle": "pickle",
    "copy_reg": "copyreg",
    "_operator": "operator",
    "_functools": "functools",
    "_posixsubprocess": "subprocess",
    "commands": "subprocess",
    "popen2": "subprocess",
    "_socket": "socket",
    "_ssl": "ssl",
    "_thread": "threading",
    "thread": "threading",
    "_ctypes": "ctypes",
    "_collections": "collections",
    "_asyncio": "asyncio",
    "_multiprocessing": "multiprocessing",
    "_sre": "re",
    "urllib2": "urllib",
    "httplib": "http",
    "_xxsubinterpreters": "_interpreters",
    "_winapi": "subprocess",
}


def normalise_module(module: str) -> str:
    """The canonical module name: aliases of the same danger map to one name."""
    head, dot, rest = module.partition(".")
    head = _MODULE_ALIASES.get(head, head)
    return head + dot + rest


# --- the denylist: rates severity, explains, links the advisory --------------------------------
# Keys are normalised dotted prefixes: "os" matches os.system and os.path.join; "builtins.eval"
# matches only that name. Values are the reason shown to users.
DENYLIST: Final[dict[str, str]] = {
    # Shell and process execution.
    "os": "os/posix/nt functions run shell commands, spawn processes and change files",
    "subprocess": "spawns processes",
    "pty": "pty.spawn runs a program (fickling PR #108)",
    "asyncio": "asyncio subprocess transports spawn processes (CVE-2025-10157, picklescan)",
    "multiprocessing": "starts processes that run arbitrary callables",
    "threading": "runs an arbitrary callable in a thread",
    "concurrent": "executors run arbitrary callables",
    "signal": "sends signals to processes (modelscan PR #339)",
    "_interpreters": "runs source code in a subinterpreter (fickling GHSA-6ggj-6f2q-f7mx)",
    # Code evaluation and import machinery.
    "builtins.eval": "evaluates a Python expression",
    "builtins.exec": "executes Python source",
    "builtins.compile": "compiles source into a code object",
    "builtins.__import__": "imports any module by name",
    "builtins.getattr": "reaches any attribute of any object (getattr chains bypass name checks)",
    "builtins.setattr": "changes attributes of imported objects",
    "builtins.delattr": "removes attributes of imported objects",
    "builtins.globals": "exposes interpreter globals",
    "builtins.locals": "exposes interpreter locals",
    "builtins.vars": "exposes an object's namespace",
    "builtins.open": "opens files for reading or writing",
    "builtins.input": "reads from the terminal",
    "builtins.breakpoint": "starts a debugger",
    "builtins.help": "starts the interactive help pager",
    "builtins.type": "creates classes dynamically",
    "builtins.memoryview": "exposes raw memory of objects",
    "builtins.exit": "terminates the loading process",
    "builtins.quit": "terminates the loading process",
    "builtins.print": "writes to the loader's output",
    "builtins.super": "reaches parent-class methods of arbitrary objects",
    "builtins.classmethod": "wraps arbitrary callables",
    "builtins.staticmethod": "wraps arbitrary callables",
    "builtins.property": "wraps arbitrary callables",
    "sys": "sys.modules and sys attributes reach every loaded module",
    "importlib": "imports any module by name (picklescan issue #66)",
    "pkgutil": "pkgutil.resolve_name reaches any callable by name (GHSA-vvpj-8cmc-gx39)",
    "imp": "imports or loads modules from files",
    "zipimport": "imports code from archives",
    "runpy": "runs modules and scripts",
    "code": "code.interact/InteractiveInterpreter run source strings",
    "codeop": "compiles source strings",
    "types": "types.CodeType/FunctionType build functions from code objects",
    "marshal": "marshal.loads builds code objects",
    "inspect": "reaches frames, globals and source of live objects",
    "gc": "gc.get_objects reaches every live object",
    "ctypes": "calls native functions and loads shared libraries (modelscan PR #339)",
    "cffi": "calls native code",
    "operator.attrgetter": "walks attribute paths on objects (GHSA-m273-6v24-x4m4)",
    "operator.methodcaller": "calls a named method on an object (GHSA-955r-x9j8-7rhh)",
    "operator.itemgetter": "indexes objects such as sys.modules",
    "functools.partial": "wraps a dangerous callable so the REDUCE target looks harmless (fickling PR #210)",
    "functools.reduce": "chains calls",
    "functools.partialmethod": "wraps a callable",
    "copyreg._reconstructor.__globals__": "reaches module globals",
    # Code runners hiding in the standard library (picklescan advisories 2024-2025).
    "pdb": "the debugger runs source strings (GHSA-4675-36f9-wf6r)",
    "bdb": "the debugger base runs source strings (GHSA-4675-36f9-wf6r)",
    "timeit": "timeit.timeit runs a source string (GHSA-v7x6-rv5q-mhwc)",
    "trace": "trace.Trace.run runs a source string (GHSA-46h3-79wf-xr6c)",
    "profile": "profile.run runs a source string (GHSA-7wx9-6375-f5wh)",
    "cProfile": "cProfile.run runs a source string (GHSA-7wx9-6375-f5wh)",
    "doctest": "doctest runs examples from strings",
    "pydoc": "pydoc.pipepager runs a shell command (picklescan advisory, 2025)",
    "idlelib": "IDLE helpers run source and shell commands (GHSA-r8g5-cgf2-4m4m)",
    "lib2to3": "lib2to3 drivers load and run grammar and fixer code (GHSA-r8g5-cgf2-4m4m)",
    "mailcap": "mailcap.findmatch runs the entry's test command (modelscan PR #346)",
    "logging.config": "logging.config.listen/fileConfig evaluate configuration code",
    "cgitb": "runs handlers that inspect frames",
    "unittest.mock": "mock objects call arbitrary callables",
    "site": "site.addsitedir runs .pth files",
    "sysconfig": "exposes and changes interpreter configuration",
    # Package installation.
    "pip": "pip.main installs packages that run setup code (CVE-2025-1716)",
    "ensurepip": "ensurepip._run_pip installs packages (GHSA-xp4f-hrf8-rxw7)",
    "setuptools": "runs setup scripts and installs packages",
    "distutils": "distutils.file_util.write_file and spawn write files and run commands (CVE-2025-10155)",
    "venv": "creates environments and runs pip (GHSA-vqmv-47xg-9wpr)",
    # Files and archives.
    "io": "io.open/FileIO open files for reading or writing (CVE-2025-10156)",
    "shutil": "copies, moves, deletes and unpacks files",
    **{
        f"pathlib.{cls}.{method}": "Path methods read, write and delete files"
        for cls in ("Path", "PosixPath", "WindowsPath", "PurePath", "PurePosixPath", "PureWindowsPath")
        for method in (
            "write_text",
            "write_bytes",
            "read_text",
            "read_bytes",
            "open",
            "unlink",
            "rmdir",
            "touch",
            "mkdir",
            "rename",
            "replace",
            "symlink_to",
            "hardlink_to",
            "chmod",
        )
    },
    "tempfile": "creates files",
    "fileinput": "reads and rewrites files in place",
    "glob": "enumerates the file system",
    "linecache": "reads arbitrary files",
    "zipfile": "extracts archives (path traversal)",
    "tarfile": "extracts archives (path traversal)",
    "shelve": "opens pickle databases (nested unpickling)",
    "dbm": "opens databases on disk",
    # Nested deserialisers: loading another stream with full code execution.
    "pickle": "pickle.loads runs a nested pickle (GHSA-84r2-jw7c-4r5q)",
    "dill": "dill.loads runs a nested pickle with code objects",
    "cloudpickle": "cloudpickle rebuilds functions from code objects",
    "joblib.load": "joblib.load runs a nested pickle",
    "joblib.numpy_pickle.load": "joblib.load runs a nested pickle",
    "yaml": "yaml.load/unsafe_load build arbitrary objects",
    "jsonpickle": "jsonpickle.decode builds arbitrary objects",
    "numpy.load": "numpy.load(allow_pickle=True) runs a nested pickle",
    "numpy.testing._private.utils.runstring": "runs a source string",
    "numpy.f2py": "f2py helpers evaluate expressions (crackfortran.getlincoef, fickling PR #210)",
    "numpy.distutils": "builds and runs compilers",
    "torch.load": "torch.load runs a nested pickle",
    "torch.serialization.load": "torch.load runs a nested pickle",
    "torch.storage._load_from_bytes": "calls torch.load(weights_only=False) on embedded bytes",
    "torch.hub": "torch.hub.load downloads and runs repository code",
    "torch.jit": "TorchScript loading compiles and runs code",
    "torch.package": "torch.package imports code shipped in the archive",
    "torch.utils.bottleneck": "runs a script under the profiler (picklescan advisory, 2025)",
    "torch.utils.cpp_extension": "compiles and loads native code",
    "torch._inductor": "compiles and runs generated code",
    "torch._dynamo": "compiles and runs code",
    "torch.fx": "builds and runs generated Python code",
    "torch.ops": "calls arbitrary registered operators",
    "torch._C._load_for_lite_interpreter": "loads a TorchScript program",
    "tensorflow.io": "reads and writes files (tf.io.write_file)",
    "tensorflow.keras": "loads models whose Lambda layers run code",
    "tensorflow.python.keras": "loads models whose Lambda layers run code",
    "tensorflow.compat": "exposes the file and execution APIs of TensorFlow",
    "keras": "loads models whose Lambda layers run code",
    # Network.
    "socket": "opens network connections",
    "ssl": "opens network connections",
    "http": "makes HTTP requests (GHSA-hgrh-qx5j-jfwx)",
    "urllib": "makes HTTP requests",
    "requests": "makes HTTP requests",
    "aiohttp": "makes HTTP requests (GHSA-hgrh-qx5j-jfwx)",
    "httpx": "makes HTTP requests",
    "ftplib": "opens FTP connections",
    "smtplib": "sends mail",
    "telnetlib": "opens network connections",
    "xmlrpc": "calls remote procedures",
    "webbrowser": "opens URLs in a browser (modelaudit PR #243)",
    # Platform specifics.
    "msvcrt": "Windows C runtime functions",
    "winreg": "reads and writes the Windows registry",
    "_winreg": "reads and writes the Windows registry",
    # Scanners themselves: a pickle that imports them wants to disable them (fickling PR #249).
    "fickling": "tampers with the fickling safety hooks",
    "picklescan": "tampers with the picklescan scanner",
    "modelscan": "tampers with the modelscan scanner",
    "mlwarden": "tampers with this scanner",
}

# Dunder names a loader may legitimately resolve; any other dunder component is dangerous,
# because attributes such as __builtins__, __globals__ or __subclasses__ reach the interpreter.
_ALLOWED_DUNDERS: Final = frozenset({"__newobj__", "__newobj_ex__"})
_DUNDER = re.compile(r"^__\w+__$")
_PYX_UNPICKLE = re.compile(r"^__pyx_unpickle_[A-Za-z0-9_]+$")


def _dunder_problem(parts: list[str]) -> str | None:
    for part in parts:
        if part in _ALLOWED_DUNDERS or _PYX_UNPICKLE.match(part) or part.startswith("__randomstate"):
            continue
        if part in {"__bit_generator_ctor", "__generator_ctor", "__nat_unpickle"}:
            continue
        if _DUNDER.match(part):
            return f"the attribute '{part}' reaches interpreter internals (builtins, globals, subclasses)"
    return None


def _deny_reason(path: str) -> str | None:
    parts = path.split(".")
    for end in range(1, len(parts) + 1):
        reason = DENYLIST.get(".".join(parts[:end]))
        if reason is not None:
            return reason
    return None


def judge(module: str, name: str) -> Judgement:
    """Judge the global a loader would resolve for ``module`` and ``name``.

    A dotted ``name`` is an attribute path the loader walks (protocol 4 ``getattr`` per component),
    so every prefix of ``module.name`` is checked against the denylist, and the allowlist must
    match the whole path exactly.
    """
    norm_module = normalise_module(module.strip())
    path = f"{norm_module}.{name}"
    parts = path.split(".")
    if not module or not name or any(not p.isidentifier() for p in parts):
        return Judgement(Verdict.DANGEROUS, path, "the module or name is not a valid Python identifier path")
    reason = _dunder_problem(parts) or _deny_reason(path)
    if reason is not None:
        return Judgement(Verdict.DANGEROUS, path, reason)
    known = parts[0] in KNOWN_PACKAGES
    if path in ALLOWED or ("." not in name and _matches_pattern(norm_module, name)):
        return Judgement(Verdict.SAFE, path, "on the ML serialization allowlist", known)
    if known:
        reason = f"'{path}' is not on the allowlist of what {parts[0]} writes when saving models"
    else:
        reason = f"module '{norm_module}' is not a package real model files import"
    return Judgement(Verdict.UNKNOWN, path, reason, known)


def _matches_pattern(module: str, name: str) -> bool:
    return any(mod.fullmatch(module) and cls.fullmatch(name) for mod, cls, _ in CLASS_PATTERNS)
