"""A real small model server for the guard example: a scikit-learn classifier trained at start-up.

Serves the MLflow pyfunc scoring protocol (``POST /invocations``) and the KServe v2 inference
protocol (``POST /v2/models/iris-like/infer``), returning full-precision class probabilities and
model metadata, exactly the things the guard is there to harden.

    python examples/guard/model_server.py --port 5001
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np
import uvicorn
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

FEATURES = ["f0", "f1", "f2", "f3"]
MODEL_NAME = "iris-like"


def train() -> LogisticRegression:
    """Synthetic 3-class data, 4 features scaled to [0, 10]; trained in well under a second."""
    x, y = make_classification(n_samples=600, n_features=4, n_informative=3, n_redundant=0, n_classes=3, random_state=7)
    x = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0)) * 10
    return LogisticRegression(max_iter=500).fit(x, y)


MODEL = train()


def _rows(body: dict[str, Any]) -> np.ndarray:
    if "dataframe_split" in body:
        split = body["dataframe_split"]
        columns = split.get("columns") or FEATURES
        rows = [[dict(zip(columns, row, strict=False))[f] for f in FEATURES] for row in split["data"]]
    elif "dataframe_records" in body:
        rows = [[record[f] for f in FEATURES] for record in body["dataframe_records"]]
    else:
        rows = body.get("instances") or body.get("inputs")
    return np.asarray(rows, dtype=float)


async def invocations(request: Request) -> JSONResponse:
    body = await request.json()
    proba = MODEL.predict_proba(_rows(body))
    return JSONResponse({"predictions": proba.tolist(), "logits": MODEL.decision_function(_rows(body)).tolist()})


async def infer(request: Request) -> JSONResponse:
    body = await request.json()
    tensor = body["inputs"][0]
    x = np.asarray(tensor["data"], dtype=float).reshape(tensor["shape"])
    proba = MODEL.predict_proba(x)
    return JSONResponse(
        {
            "model_name": MODEL_NAME,
            "model_version": "sklearn-1.x-logreg-build-42",
            "outputs": [
                {
                    "name": "probabilities",
                    "shape": list(proba.shape),
                    "datatype": "FP64",
                    "data": proba.ravel().tolist(),
                },
                {
                    "name": "logits",
                    "shape": list(proba.shape),
                    "datatype": "FP64",
                    "data": MODEL.decision_function(x).ravel().tolist(),
                },
            ],
        }
    )


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


app = Starlette(
    routes=[
        Route("/invocations", invocations, methods=["POST"]),
        Route(f"/v2/models/{MODEL_NAME}/infer", infer, methods=["POST"]),
        Route("/health", health),
    ]
)

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5001)
    args = parser.parse_args()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
