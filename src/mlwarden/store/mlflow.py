"""MLflow run metadata, read offline from an ``mlruns/`` file store; mlflow itself is never imported.

Layout read: ``mlruns/<experiment>/meta.yaml``; ``<experiment>/<run>/meta.yaml``, ``params/``, ``tags/``
(``mlflow.runName``, ``mlflow.source.name``, ``mlflow.log-model.history``), ``artifacts/`` (an
``MLmodel`` file marks a logged model), ``inputs/<id>/meta.yaml`` pointing at
``<experiment>/datasets/<id>/meta.yaml`` (``mlflow.log_input``, MLflow 2.4+); and the model
registry's ``mlruns/models/<name>/version-<n>/meta.yaml``. Edges: each logged dataset input ->
each model the run logged (``trained-on``, or ``evaluated-on`` for an evaluation context), and each
run model -> its registered version (``registered-from``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlwarden.core.errors import ConfigError
from mlwarden.core.files import read_regular
from mlwarden.core.yaml_loader import load_yaml
from mlwarden.store.records import ArtifactRef, LineageEdge

__all__ = ["MlflowDataset", "MlflowModel", "MlflowRun", "MlflowStore", "find_mlruns", "mlflow_edges", "read_mlruns"]

_MAX_RUNS = 10_000
_MAX_VALUE = 64 * 1024
_MAX_PARAMS = 100
_RESERVED = frozenset({".trash", "models", "tags", "datasets", "traces"})


@dataclass(frozen=True, slots=True, kw_only=True)
class MlflowDataset:
    """A dataset a run logged as input: name, MLflow's digest, where it came from and in which context."""

    name: str
    digest: str
    source: str
    context: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MlflowModel:
    """A model a run logged, located on disk when its artifacts are local, else as ``runs:/<run>/<path>``."""

    artifact_path: str
    location: str
    flavors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class MlflowRun:
    """The metadata of one run that matters for lineage."""

    experiment: str
    run_id: str
    run_name: str
    source_name: str
    params: Mapping[str, str]
    datasets: tuple[MlflowDataset, ...]
    models: tuple[MlflowModel, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MlflowStore:
    """Runs, registered model versions ``(name, version, source, run_id)`` and what could not be read."""

    root: Path
    runs: tuple[MlflowRun, ...] = ()
    registered: tuple[tuple[str, str, str, str], ...] = ()
    problems: tuple[str, ...] = field(default_factory=tuple)


def find_mlruns(path: Path) -> Path | None:
    """``path/mlruns`` or ``path`` itself when it is an MLflow file store, else ``None``."""
    for candidate in (path / "mlruns", path):
        if candidate.is_dir() and (candidate.name == "mlruns" or (candidate / "0" / "meta.yaml").is_file()):
            return candidate
    return None


def _yaml(path: Path) -> Mapping[str, Any]:
    try:
        raw = read_regular(path, max_bytes=_MAX_VALUE * 16)
    except OSError as exc:
        raise ConfigError(f"cannot read MLflow metadata: {exc.strerror or exc}", source=str(path)) from None
    data = load_yaml(raw.decode("utf-8", errors="replace"), source=str(path)).data
    if not isinstance(data, Mapping):
        raise ConfigError("expected a mapping", source=str(path))
    return data


def _values(directory: Path, limit: int) -> dict[str, str]:
    """Files of a ``params/`` or ``tags/`` folder (nested keys use subfolders); each value bounded."""
    values: dict[str, str] = {}
    if not directory.is_dir():
        return values
    for current, subdirs, files in os.walk(directory):
        subdirs.sort()
        for name in sorted(files):
            path = Path(current) / name
            with path.open("rb") as stream:
                values[path.relative_to(directory).as_posix()] = stream.read(_MAX_VALUE).decode("utf-8", "replace")
            if len(values) >= limit:
                return values
    return values


def _subdirs(directory: Path) -> Iterator[Path]:
    if directory.is_dir():
        yield from sorted(p for p in directory.iterdir() if p.is_dir() and not p.is_symlink())


def read_mlruns(root: Path) -> MlflowStore:
    """Every run of every experiment under ``root`` (bounded), plus the model registry; problems listed."""
    runs: list[MlflowRun] = []
    problems: list[str] = []
    for experiment_dir in _subdirs(root):
        if experiment_dir.name in _RESERVED or not (experiment_dir / "meta.yaml").is_file():
            continue
        try:
            experiment = str(_yaml(experiment_dir / "meta.yaml").get("name", experiment_dir.name))
        except (ConfigError, OSError) as exc:
            problems.append(f"{experiment_dir.name}/meta.yaml: {getattr(exc, 'message', exc)}")
            continue
        for run_dir in _subdirs(experiment_dir):
            if run_dir.name in _RESERVED or not (run_dir / "meta.yaml").is_file():
                continue
            if len(runs) >= _MAX_RUNS:
                problems.append(f"more than {_MAX_RUNS} runs: the rest were not read")
                return MlflowStore(root=root, runs=tuple(runs), problems=tuple(problems))
            try:
                runs.append(_read_run(experiment_dir, run_dir, experiment))
            except (ConfigError, OSError) as exc:
                problems.append(f"{run_dir.relative_to(root)}: {getattr(exc, 'message', exc)}")
    registered = _registered(root / "models", problems)
    return MlflowStore(root=root, runs=tuple(runs), registered=registered, problems=tuple(problems))


def _read_run(experiment_dir: Path, run_dir: Path, experiment: str) -> MlflowRun:
    meta = _yaml(run_dir / "meta.yaml")
    run_id = str(meta.get("run_id") or meta.get("run_uuid") or run_dir.name)
    tags = _values(run_dir / "tags", 1000)
    return MlflowRun(
        experiment=experiment,
        run_id=run_id,
        run_name=str(tags.get("mlflow.runName") or meta.get("run_name") or ""),
        source_name=tags.get("mlflow.source.name", ""),
        params=_values(run_dir / "params", _MAX_PARAMS),
        datasets=tuple(_datasets(experiment_dir, run_dir)),
        models=tuple(_models(run_dir, run_id, tags.get("mlflow.log-model.history", ""))),
    )


def _datasets(experiment_dir: Path, run_dir: Path) -> Iterator[MlflowDataset]:
    for input_dir in _subdirs(run_dir / "inputs"):
        if not (input_dir / "meta.yaml").is_file():
            continue
        link = _yaml(input_dir / "meta.yaml")
        source_id = str(link.get("source_id", ""))
        dataset_meta = experiment_dir / "datasets" / source_id / "meta.yaml"
        if str(link.get("source_type", "")).upper() != "DATASET" or not source_id or not dataset_meta.is_file():
            continue
        dataset = _yaml(dataset_meta)
        tags = link.get("tags")
        context = str(tags.get("mlflow.data.context", "")) if isinstance(tags, Mapping) else ""
        yield MlflowDataset(name=str(dataset.get("name", "")), digest=str(dataset.get("digest", "")),
                            source=_dataset_source(dataset), context=context)  # fmt: skip


def _dataset_source(dataset: Mapping[str, Any]) -> str:
    """The dataset's URI or path from MLflow's JSON ``source``, else ``mlflow-dataset:/<name>@<digest>``."""
    raw = dataset.get("source")
    try:
        source = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError:
        source = None
    if isinstance(source, Mapping):
        for key in ("uri", "url", "path", "file_path"):
            if isinstance(source.get(key), str) and source[key]:
                return str(source[key]).removeprefix("file://")
    return f"mlflow-dataset:/{dataset.get('name', '')}@{dataset.get('digest', '')}"


def _models(run_dir: Path, run_id: str, history: str) -> Iterator[MlflowModel]:
    seen: set[str] = set()
    try:
        logged = json.loads(history) if history else []
    except json.JSONDecodeError:
        logged = []
    for item in logged if isinstance(logged, list) else []:
        if isinstance(item, Mapping) and isinstance(item.get("artifact_path"), str):
            flavors = item.get("flavors")
            seen.add(item["artifact_path"])
            yield _model(run_dir, run_id, item["artifact_path"], tuple(flavors) if isinstance(flavors, Mapping) else ())
    artifacts = run_dir / "artifacts"
    for candidate in [artifacts, *_subdirs(artifacts)]:
        relative = candidate.relative_to(artifacts).as_posix()
        if (candidate / "MLmodel").is_file() and relative not in seen:
            yield _model(run_dir, run_id, "" if relative == "." else relative, ())


def _model(run_dir: Path, run_id: str, artifact_path: str, flavors: tuple[str, ...]) -> MlflowModel:
    local = run_dir / "artifacts" / artifact_path
    location = str(local) if local.exists() else f"runs:/{run_id}/{artifact_path}"
    return MlflowModel(artifact_path=artifact_path, location=location, flavors=flavors)


def _registered(models_dir: Path, problems: list[str]) -> tuple[tuple[str, str, str, str], ...]:
    found = []
    for model_dir in _subdirs(models_dir):
        for version_dir in _subdirs(model_dir):
            if not version_dir.name.startswith("version-") or not (version_dir / "meta.yaml").is_file():
                continue
            try:
                meta = _yaml(version_dir / "meta.yaml")
            except (ConfigError, OSError) as exc:
                problems.append(f"models/{model_dir.name}/{version_dir.name}: {getattr(exc, 'message', exc)}")
                continue
            found.append((str(meta.get("name", model_dir.name)), str(meta.get("version", version_dir.name[8:])),
                          str(meta.get("source", "")), str(meta.get("run_id", ""))))  # fmt: skip
    return tuple(found)


def mlflow_edges(store: MlflowStore) -> list[LineageEdge]:
    """Dataset inputs -> logged models of the same run; run models -> registered versions."""
    edges: list[LineageEdge] = []
    locations: dict[str, str] = {}
    for run in store.runs:
        base = {"run_id": run.run_id, "run_name": run.run_name, "experiment": run.experiment,
                "source_name": run.source_name, "params": dict(run.params)}  # fmt: skip
        for model in run.models:
            locations[f"runs:/{run.run_id}/{model.artifact_path}".rstrip("/")] = model.location
            for dataset in run.datasets:
                relation = "evaluated-on" if dataset.context.startswith("eval") else "trained-on"
                params = {**base, "dataset": dataset.name, "mlflow_digest": dataset.digest, "context": dataset.context,
                          "flavors": list(model.flavors)}  # fmt: skip
                edges.append(LineageEdge(from_artifact=ArtifactRef(path=dataset.source, format="dataset"),
                                         to_artifact=ArtifactRef(path=model.location, format="mlflow-model"),
                                         relation=relation, source="mlflow", params=params))  # fmt: skip
    for name, version, source, run_id in store.registered:
        if not source:
            continue
        origin = locations.get(source.rstrip("/"), source.removeprefix("file://"))
        edges.append(LineageEdge(from_artifact=ArtifactRef(path=origin, format="mlflow-model"),
                                 to_artifact=ArtifactRef(path=f"models:/{name}/{version}", format="mlflow-model"),
                                 relation="registered-from", source="mlflow", params={"run_id": run_id}))  # fmt: skip
    return edges
