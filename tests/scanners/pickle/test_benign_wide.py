"""Zero findings for benign pickles written by the real libraries in the venv, in many shapes.

Each object is pickled at protocols 2, 4 and 5 (torch.save uses 2, joblib 5), through torch.save
and through joblib.dump. Only genuinely unknown user classes may be reported, and only at medium:
a user's own class is the common benign reason for an unknown import (design decision, see
``findings._unknown_severity``).
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import datetime
import decimal
import enum
import fractions
import io
import pathlib
import pickle
import re
import types
import uuid
import warnings
import zipfile
import zoneinfo
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from tests.scanners.pickle.helpers import scan_artifact, scan_bytes

from mlwarden.artifacts.formats import Format
from mlwarden.core.findings import Finding, Severity

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")


class Color(enum.Enum):
    RED = 1


@dataclasses.dataclass
class Config:
    layers: int = 2


def _fit(estimators: dict[str, Any], x: Any, y: Any) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence warnings of tiny fits
        return {name: est.fit(x, y) for name, est in estimators.items()}


@cache
def _sklearn() -> dict[str, Any]:
    from sklearn import (
        calibration,
        cluster,
        compose,
        decomposition,
        discriminant_analysis,
        dummy,
        ensemble,
        feature_selection,
        impute,
        isotonic,
        kernel_approximation,
        linear_model,
        metrics,
        mixture,
        model_selection,
        multiclass,
        naive_bayes,
        neighbors,
        neural_network,
        pipeline,
        preprocessing,
        svm,
        tree,
    )
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    rng = np.random.default_rng(0)
    x = rng.random((40, 4))
    y = (x[:, 0] > 0.5).astype(int)
    logreg = linear_model.LogisticRegression
    models = _fit(
        {
            "ridge": linear_model.Ridge(),
            "sgd": linear_model.SGDClassifier(max_iter=5),
            "logreg": logreg(),
            "forest": ensemble.RandomForestClassifier(n_estimators=2),
            "extra": ensemble.ExtraTreesRegressor(n_estimators=2),
            "gboost": ensemble.GradientBoostingClassifier(n_estimators=2),
            "hist_gb": ensemble.HistGradientBoostingClassifier(max_iter=2),
            "ada": ensemble.AdaBoostClassifier(n_estimators=2),
            "isolation": ensemble.IsolationForest(n_estimators=2),
            "tree": tree.DecisionTreeClassifier(),
            "svc": svm.SVC(),
            "linsvc": svm.LinearSVC(),
            "knn": neighbors.KNeighborsClassifier(algorithm="kd_tree"),
            "knn_ball": neighbors.KNeighborsClassifier(algorithm="ball_tree"),
            "gnb": naive_bayes.GaussianNB(),
            "kmeans": cluster.KMeans(n_clusters=2, n_init=1),
            "pca": decomposition.PCA(2),
            "mlp": neural_network.MLPClassifier(max_iter=3),
            "calibrated": calibration.CalibratedClassifierCV(cv=2),
            "lda": discriminant_analysis.LinearDiscriminantAnalysis(),
            "gmm": mixture.GaussianMixture(2),
            "dummy": dummy.DummyClassifier(),
            "ovr": multiclass.OneVsRestClassifier(logreg()),
            "voting": ensemble.VotingClassifier([("a", logreg()), ("b", tree.DecisionTreeClassifier())]),
            "stacking": ensemble.StackingClassifier([("a", logreg())], cv=2),
            "pipeline": pipeline.make_pipeline(preprocessing.StandardScaler(), decomposition.PCA(2), logreg()),
            "grid": model_selection.GridSearchCV(logreg(), {"C": [1, 2]}, cv=2),
            "grid_f1": model_selection.GridSearchCV(
                logreg(), {"C": [1]}, cv=2, scoring=metrics.make_scorer(metrics.f1_score)
            ),
            "func": preprocessing.FunctionTransformer(np.log1p),
            "quantile": preprocessing.QuantileTransformer(n_quantiles=10),
            "kbins": preprocessing.KBinsDiscretizer(n_bins=3),
            "select": feature_selection.SelectKBest(k=2),
            "imputer": impute.KNNImputer(),
            "nystroem": kernel_approximation.Nystroem(n_components=5),
        },
        x,
        y,
    )
    models["isotonic"] = isotonic.IsotonicRegression().fit(x[:, 0], x[:, 1])
    frame = pd.DataFrame({"num": [1.0, 2.0, 3.0], "cat": ["a", "b", "a"], "txt": ["red fox", "lazy dog", "fox"]})
    models["columns"] = compose.ColumnTransformer(
        [
            ("num", preprocessing.StandardScaler(), ["num"]),
            ("cat", preprocessing.OneHotEncoder(handle_unknown="ignore"), ["cat"]),
            ("txt", TfidfVectorizer(), "txt"),
        ]
    ).fit(frame)
    models["counts"] = CountVectorizer(token_pattern=r"\w+").fit(["alpha beta", "beta gamma"])
    return models


@cache
def _numpy() -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # np.matrix is pending deprecation
        return _numpy_values()


def _numpy_values() -> dict[str, Any]:
    codes = ["?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16"]
    codes += ["M8[ns]", "M8[D]", "m8[s]", "U5", "S5", "V4", "O"]
    values: dict[str, Any] = {f"array_{c}": np.zeros(3, dtype=c) for c in codes}
    values.update({f"scalar_{c}": np.zeros(1, dtype=c)[0] for c in codes})
    values["structured"] = np.zeros(2, dtype=[("a", "<i4"), ("b", ">f8", (2,)), ("c", "U3"), ("d", [("x", "u1")])])
    values["masked"] = np.ma.masked_array([1, 2, 3], mask=[0, 1, 0])
    values["matrix"] = np.matrix([[1, 2], [3, 4]])
    values["recarray"] = np.rec.array([(1, 2.0)], dtype=[("a", "i4"), ("b", "f8")])
    values["fortran"] = np.asfortranarray(np.ones((2, 3)))
    values["random"] = [np.random.default_rng(1), np.random.RandomState(1), np.random.SeedSequence(1)]
    bit_generators = (np.random.PCG64, np.random.PCG64DXSM, np.random.Philox, np.random.SFC64, np.random.MT19937)
    values["bit_generators"] = [np.random.Generator(bg(1)) for bg in bit_generators]
    values["dtypes"] = [
        np.dtype("f4"),
        np.dtype([("a", "i4")]),
        np.float64,
        np.int64,
        np.bool_,
        np.dtypes.Float64DType(),
    ]
    return values


@cache
def _pandas() -> dict[str, Any]:
    index = pd.MultiIndex.from_product([["a", "b"], [1, 2]])
    return {
        "multiindex": pd.DataFrame({"v": range(4)}, index=index),
        "period": pd.Series(pd.period_range("2020-01", periods=3, freq="M")),
        "interval": pd.Series(pd.interval_range(0, 3)),
        "sparse": pd.Series(pd.arrays.SparseArray([0, 0, 1])),
        "categorical": pd.Series(pd.Categorical(["a", "b"], ordered=True)),
        "tz": pd.Series(pd.date_range("2020", periods=2, tz="Europe/Paris")),
        "nullable": pd.DataFrame(
            {
                "i": pd.array([1, None], dtype="Int64"),
                "b": pd.array([True, None], dtype="boolean"),
                "s": pd.array(["a", None], dtype="string"),
                "f": pd.array([1.0, None], dtype="Float64"),
            }
        ),
        "timedelta": pd.Series(pd.to_timedelta(["1D", "2h"])),
        "scalars": [pd.Timedelta("1D"), pd.Timestamp("2020-01-01", tz="UTC"), pd.NaT, pd.NA, pd.Period("2020-01", "M")],
        "offsets": [pd.offsets.Day(2), pd.offsets.MonthEnd(), pd.offsets.BusinessDay()],
        "indexes": [pd.RangeIndex(5), pd.timedelta_range("1D", periods=2), pd.CategoricalIndex(["a"])],
        "objects": pd.DataFrame({"o": [{"a": 1}, [1]]}),
    }


@cache
def _scipy_and_stdlib() -> dict[str, Any]:
    import scipy.sparse as sp

    eye = np.eye(4)
    sparse = [sp.csr_matrix(eye), sp.csc_matrix(eye), sp.coo_matrix(eye), sp.lil_matrix(eye), sp.dok_matrix(eye)]
    sparse += [sp.bsr_matrix(eye), sp.dia_matrix(eye), sp.csr_array(eye), sp.coo_array(eye)]
    return {
        "sparse": sparse,
        "zoneinfo": [zoneinfo.ZoneInfo("Europe/Paris"), datetime.datetime(2020, 1, 1, tzinfo=zoneinfo.ZoneInfo("UTC"))],
        "timezone": [datetime.UTC, datetime.timezone(datetime.timedelta(hours=2), "X")],
        "regex": [re.compile(r"\w+", re.IGNORECASE), re.compile(rb"x"), re.IGNORECASE],
        "collections": [
            collections.OrderedDict(a=1),
            collections.defaultdict(int),
            collections.Counter("ab"),
            collections.deque([1], maxlen=3),
        ],
        "misc": [decimal.Decimal("1.5"), fractions.Fraction(1, 3), uuid.UUID(int=7), pathlib.PurePosixPath("/x")],
        "plain": [datetime.date(2020, 1, 1), range(1, 5, 2), slice(1, None), Ellipsis, 1j, frozenset({1}), 10**100],
        "namespaces": [argparse.Namespace(a=1), types.SimpleNamespace(a=1)],
    }


@cache
def _torch() -> dict[str, Any]:
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # quantized and sparse CSR tensors warn on creation
        return _torch_values(torch)


def _torch_values(torch: Any) -> dict[str, Any]:
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2), torch.nn.ReLU(), torch.nn.LSTM(4, 4))
    opt = torch.optim.AdamW(net.parameters(), lr=0.1)
    dtypes = [torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int8, torch.int16, torch.int32]
    dtypes += [torch.int64, torch.uint8, torch.bool, torch.complex64, torch.float8_e4m3fn, torch.uint16]
    return {
        "dtypes": {str(dt): torch.zeros(2, dtype=dt) for dt in dtypes},
        "quantized": torch.quantize_per_tensor(torch.rand(3), 0.1, 0, torch.quint8),
        "sparse": [torch.zeros(3, 3).to_sparse(), torch.eye(3).to_sparse_csr()],
        "state_dict": net.state_dict(),
        "module": net,
        "optimizer": opt.state_dict(),
        "scheduler": torch.optim.lr_scheduler.StepLR(opt, 1).state_dict(),
        "meta": {"size": torch.Size([2, 3]), "dtype": torch.float16, "device": torch.device("cpu")},
        "parameter": torch.nn.Parameter(torch.ones(2)),
        # Whole modules as people torch.save them (not only state dicts): layers that keep a function
        # reference (the transformer layers store F.relu / F.gelu as their activation).
        "transformer": torch.nn.TransformerEncoderLayer(8, 2, dim_feedforward=16),
        "transformer_gelu": torch.nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, activation="gelu"),
        "transformer_full": torch.nn.Transformer(8, 2, 1, 1, dim_feedforward=16),
        "functions": [getattr(torch.nn.functional, n) for n in ("gelu", "softplus", "logsigmoid", "softshrink")],
        "layers": torch.nn.ModuleList(
            [
                torch.nn.MultiheadAttention(8, 2),
                torch.nn.Embedding(10, 4),
                torch.nn.GRU(4, 4),
                torch.nn.LayerNorm(4),
                torch.nn.Dropout(0.1),
                *(getattr(torch.nn, name)() for name in ("GELU", "SiLU", "Mish", "Tanh", "Sigmoid", "Softmax")),
                *(getattr(torch.nn, name)() for name in ("LeakyReLU", "ELU", "Hardswish", "Softplus", "PReLU")),
            ]
        ),
    }


def _report(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.severity.label, f.rule_id, f.match_key) for f in findings]


GROUPS = ["sklearn", "numpy", "pandas", "scipy_stdlib", "torch"]


def _group(name: str) -> dict[str, Any]:
    return {"sklearn": _sklearn, "numpy": _numpy, "pandas": _pandas, "scipy_stdlib": _scipy_and_stdlib}.get(
        name, _torch
    )()


@pytest.mark.parametrize("group", GROUPS)
def test_pickle_dumps_is_clean(group: str) -> None:
    for name, obj in _group(group).items():
        for protocol in (2, 4, 5):
            findings = scan_bytes(pickle.dumps(obj, protocol=protocol))
            assert findings == [], (name, protocol, _report(findings))


@pytest.mark.parametrize("group", GROUPS)
def test_joblib_dump_is_clean(tmp_path: Path, group: str) -> None:
    joblib = pytest.importorskip("joblib")
    for name, obj in _group(group).items():
        target = tmp_path / "model.joblib"
        joblib.dump(obj, target)
        findings = scan_artifact(target.read_bytes(), Format.JOBLIB)
        assert findings == [], (name, _report(findings))


@pytest.mark.parametrize("group", ["torch", "numpy"])
def test_torch_save_members_are_clean(group: str) -> None:
    torch = pytest.importorskip("torch")
    for name, obj in _group(group).items():
        buffer = io.BytesIO()
        try:
            torch.save(obj, buffer)
        except (pickle.PicklingError, TypeError, AttributeError):
            continue  # some numpy objects are refused by torch's pickler; nothing to scan
        archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
        for member in (n for n in archive.namelist() if n.endswith(".pkl")):
            findings = scan_bytes(archive.read(member))
            assert findings == [], (name, member, _report(findings))


def test_user_classes_are_medium_unknown_imports() -> None:
    # Enum members are rebuilt by calling the class (REDUCE) and dataclasses through NEWOBJ: both are a
    # user's own class, reported once at medium, never high or critical.
    for obj in (Color.RED, Config(), [Config(), Color.RED]):
        for protocol in (0, 2, 5):
            findings = scan_bytes(pickle.dumps(obj, protocol=protocol))
            assert findings, obj
            assert {f.severity for f in findings} == {Severity.MEDIUM}, _report(findings)
            assert {f.rule_id for f in findings} == {"MW-PICKLE-002"}
