"""Real files written by torch, scikit-learn, numpy, pandas, collections and joblib: zero findings."""

from __future__ import annotations

import collections
import datetime
import decimal
import fractions
import io
import pickle
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from tests.scanners.pickle.helpers import scan_artifact, scan_bytes

from mlwarden.artifacts.formats import Format

np = pytest.importorskip("numpy")


def _sklearn_models() -> dict[str, Any]:
    from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(0)
    x = rng.random((60, 4))
    y = (x[:, 0] > 0.5).astype(int)
    return {
        "logreg": LogisticRegression().fit(x, y),
        "forest": RandomForestClassifier(n_estimators=3, random_state=0).fit(x, y),
        "boosting": GradientBoostingClassifier(n_estimators=3).fit(x, y),
        "pipeline": Pipeline([("scale", StandardScaler()), ("model", LogisticRegression())]).fit(x, y),
    }


def _values() -> dict[str, Any]:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "n": [1, 2],
            "when": pd.to_datetime(["2020-01-01", "2021-06-01"]),
            "cat": pd.Categorical(["x", "y"]),
            "text": ["p", "q"],
            "tz": pd.to_datetime(["2020-01-01", "2021-01-01"]).tz_localize("UTC"),
        }
    )
    return {
        "arrays": [np.arange(5), np.array([1, "a", None], dtype=object), np.float32(1.5), np.zeros((2, 2), order="F")],
        "structured": np.array([(1, 2.0)], dtype=[("a", "i4"), ("b", "f8")]),
        "frame": frame,
        "series": pd.Series([1.0, 2.0], index=pd.date_range("2020", periods=2)),
        "collections": [
            collections.OrderedDict(a=1),
            collections.defaultdict(list),
            collections.Counter("ab"),
            collections.deque([1]),
        ],
        "plain": [{1, 2}, frozenset([3]), bytearray(b"x"), complex(1, 2), slice(1, 2), range(3), b"\x80\x04raw"],
        "stdlib": [
            datetime.datetime(2020, 1, 1),
            datetime.timedelta(1),
            decimal.Decimal("1.1"),
            fractions.Fraction(1, 3),
        ],
        "uuid": uuid.UUID(int=7),
        "path": Path("/data/train.csv"),
    }


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_dumps_of_models_and_values_is_clean(protocol: int) -> None:
    for name, obj in {**_sklearn_models(), **_values()}.items():
        findings = scan_bytes(pickle.dumps(obj, protocol=protocol))
        assert findings == [], (name, [f.message for f in findings])


def test_torch_save_data_pkl_is_clean() -> None:
    torch = pytest.importorskip("torch")
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU(), torch.nn.BatchNorm1d(2))
    objects = {
        "state_dict": model.state_dict(),
        "module": model,
        "mixed": {"half": torch.zeros(2, dtype=torch.float16), "param": torch.nn.Parameter(torch.zeros(1))},
    }
    for name, obj in objects.items():
        buf = io.BytesIO()
        torch.save(obj, buf)
        archive = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
        member = next(n for n in archive.namelist() if n.endswith("data.pkl"))
        findings = scan_bytes(archive.read(member))
        assert findings == [], (name, [f.message for f in findings])


@pytest.mark.parametrize("compress", [0, 3, ("zlib", 3), ("gzip", 3), ("bz2", 3), ("lzma", 3), ("xz", 3)])
def test_joblib_dump_is_clean(tmp_path: Path, compress: object) -> None:
    import joblib

    for name, obj in {**_sklearn_models(), **_values()}.items():
        target = tmp_path / f"{name}.joblib"
        joblib.dump(obj, target, compress=compress)
        findings = scan_artifact(target.read_bytes(), Format.JOBLIB)
        assert findings == [], (name, compress, [f.message for f in findings])
