"""MLflow: a hand-built mlruns/ file store read offline (never importing mlflow) into lineage edges."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.store.helpers import RUN, build_mlruns, write

from mlwarden.store.mlflow import find_mlruns, mlflow_edges, read_mlruns


def test_find_mlruns(tmp_path: Path) -> None:
    mlruns = build_mlruns(tmp_path)
    assert find_mlruns(tmp_path) == mlruns
    assert find_mlruns(mlruns) == mlruns
    assert find_mlruns(tmp_path / "mlruns" / "1") is None


def test_runs_datasets_models_and_registry(tmp_path: Path) -> None:
    store = read_mlruns(build_mlruns(tmp_path))
    (run,) = store.runs
    assert (run.experiment, run.run_id, run.run_name, run.source_name) == ("churn", RUN, "brave-fox", "train.py")
    assert run.params == {"epochs": "5", "lr": "0.1"}
    assert [(d.name, d.source, d.context) for d in run.datasets] == [
        ("train", "/data/train.csv", "training"),
        ("holdout", "mlflow-dataset:/holdout@4d5e6f", "evaluation"),
    ]
    assert [m.artifact_path for m in run.models] == ["model", "extra"]
    assert run.models[0].flavors == ("python_function", "sklearn")
    assert store.registered == (("churn", "1", f"runs:/{RUN}/model", RUN),)
    assert store.problems == ()
    assert "mlflow" not in sys.modules


def test_edges_from_datasets_to_models_and_registered_versions(tmp_path: Path) -> None:
    mlruns = build_mlruns(tmp_path)
    edges = mlflow_edges(read_mlruns(mlruns))
    model_dir = str(mlruns / "1" / RUN / "artifacts" / "model")
    trained = [e for e in edges if e.relation == "trained-on"]
    assert {(e.from_artifact.path, e.to_artifact.path) for e in trained} == {
        ("/data/train.csv", model_dir),
        ("/data/train.csv", str(mlruns / "1" / RUN / "artifacts" / "extra")),
    }
    assert trained[0].params["run_name"] == "brave-fox"
    assert trained[0].params["params"] == {"epochs": "5", "lr": "0.1"}
    assert len([e for e in edges if e.relation == "evaluated-on"]) == 2
    (registered,) = [e for e in edges if e.relation == "registered-from"]
    assert (registered.from_artifact.path, registered.to_artifact.path) == (model_dir, "models:/churn/1")
    assert all(e.source == "mlflow" for e in edges)


def test_broken_metadata_is_reported_not_raised(tmp_path: Path) -> None:
    mlruns = build_mlruns(tmp_path)
    write(mlruns / "1" / "ffff" / "meta.yaml", "run_id: [unclosed\n")
    write(mlruns / "2" / "meta.yaml", "- not a mapping\n")
    write(mlruns / "1" / RUN / "tags" / "mlflow.log-model.history", "not json")
    store = read_mlruns(mlruns)
    assert len(store.problems) == 2
    assert [m.artifact_path for m in store.runs[0].models] == ["extra", "model"]


def test_remote_artifacts_are_named_by_run_uri(tmp_path: Path) -> None:
    mlruns = build_mlruns(tmp_path)
    import shutil

    shutil.rmtree(mlruns / "1" / RUN / "artifacts")
    (run,) = read_mlruns(mlruns).runs
    assert [m.location for m in run.models] == [f"runs:/{RUN}/model"]
