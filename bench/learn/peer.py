"""Peer side of bench/learn: scikit-learn 1.2 / xgboost 1.7 (apt), driven by JSON lines on stdin.

Commands (one JSON object per line, one JSON reply per line):
  {"cmd": "load", "train": csv, "test": csv, "features": [...], "kind": "binary|multiclass|regression", "n_classes": k}
  {"cmd": "fit", "model": "dummy|linear|tree|rf|hgb|xgb"}  -> fit/predict seconds and test metrics
  {"cmd": "predict_bench", "trees": t, "depth": d, "learning_rate": lr, "repeats": r}  -> xgboost
      batch predict_proba seconds on the test rows (median of r)
  {"cmd": "score", "pred": path}  -> test metrics of predictions written by Keel (float64, row-major
                                     probabilities for classifiers, values for regressors)
Metrics are computed here with sklearn for both sides, so the definitions are identical.
"""
import json
import os
import sys
import time

import numpy as np
from sklearn import metrics
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from xgboost import XGBClassifier, XGBRegressor

state = {}


def load_csv(path, columns):
    cache = path + ".npz"
    if os.path.exists(cache) and os.path.getmtime(cache) >= os.path.getmtime(path):
        z = np.load(cache)
        if list(z["names"]) == columns:
            return z["data"]
    with open(path) as f:
        header = f.readline().strip().split(",")
    idx = [header.index(c) for c in columns]
    data = np.loadtxt(path, delimiter=",", skiprows=1, usecols=idx, dtype=np.float64, ndmin=2)
    np.savez(cache, data=data, names=np.array(columns))
    return data


def make_model(name, kind):
    clf = kind != "regression"
    if name == "dummy":
        return DummyClassifier(strategy="most_frequent") if clf else DummyRegressor(strategy="mean")
    if name == "linear":
        return make_pipeline(StandardScaler(), LogisticRegression(solver="lbfgs", max_iter=1000) if clf else Ridge())
    if name == "tree":
        return (DecisionTreeClassifier if clf else DecisionTreeRegressor)(max_depth=8, random_state=0)
    if name == "rf":
        return (RandomForestClassifier if clf else RandomForestRegressor)(n_estimators=100, n_jobs=2, random_state=0)
    if name == "hgb":
        return (HistGradientBoostingClassifier if clf else HistGradientBoostingRegressor)(random_state=0)
    if name == "xgb":
        cls = XGBClassifier if clf else XGBRegressor
        return cls(tree_method="hist", n_estimators=200, max_depth=6, learning_rate=0.1, n_jobs=2)
    raise ValueError(f"unknown model {name}")


def score(kind, y, out):
    if kind == "regression":
        mse = metrics.mean_squared_error(y, out)
        return {"rmse": float(np.sqrt(mse)), "mae": float(metrics.mean_absolute_error(y, out)),
                "r2": float(metrics.r2_score(y, out))}
    k = state["n_classes"]
    proba = out.reshape(-1, k)
    pred = proba.argmax(axis=1)
    res = {"accuracy": float(metrics.accuracy_score(y, pred)),
           "macro_f1": float(metrics.f1_score(y, pred, average="macro", labels=list(range(k)), zero_division=0)),
           "log_loss": float(metrics.log_loss(y, proba, labels=list(range(k))))}
    if kind == "binary":
        res["roc_auc"] = float(metrics.roc_auc_score(y, proba[:, 1]))
    return res


def fit(name):
    kind = state["kind"]
    model = make_model(name, kind)
    t0 = time.perf_counter()
    model.fit(state["X"], state["y"])
    t1 = time.perf_counter()
    out = model.predict(state["Xt"]) if kind == "regression" else model.predict_proba(state["Xt"])
    t2 = time.perf_counter()
    if kind != "regression" and out.shape[1] != state["n_classes"]:
        # A class absent from the training set: widen to all classes.
        full = np.zeros((out.shape[0], state["n_classes"]))
        full[:, model.classes_.astype(int)] = out
        out = full
    res = {"fit_s": t1 - t0, "predict_s": t2 - t1, "metrics": score(kind, state["yt"], np.asarray(out, dtype=np.float64))}
    n_iter = getattr(model, "n_iter_", None)
    if n_iter is not None:
        res["n_iter"] = int(n_iter)
    return res


def predict_bench(msg):
    """xgboost's own batch predict_proba on the test rows, median of `repeats` runs."""
    model = XGBClassifier(tree_method="hist", n_estimators=msg["trees"], max_depth=msg["depth"],
                          learning_rate=msg["learning_rate"], n_jobs=2)
    model.fit(state["X"], state["y"])
    model.predict_proba(state["Xt"])  # warm-up
    times = []
    for _ in range(msg["repeats"]):
        t0 = time.perf_counter()
        model.predict_proba(state["Xt"])
        times.append(time.perf_counter() - t0)
    return {"predict_s": float(np.median(times)), "rows": int(state["Xt"].shape[0])}


def handle(msg):
    cmd = msg["cmd"]
    if cmd == "load":
        cols = msg["features"] + ["label"]
        tr = load_csv(msg["train"], cols)
        te = load_csv(msg["test"], cols)
        state.update(kind=msg["kind"], n_classes=msg.get("n_classes", 0),
                     X=np.ascontiguousarray(tr[:, :-1]), y=tr[:, -1], Xt=np.ascontiguousarray(te[:, :-1]), yt=te[:, -1])
        if msg["kind"] != "regression":
            state["y"] = state["y"].astype(np.int64)
            state["yt"] = state["yt"].astype(np.int64)
        return {"rows": int(tr.shape[0]), "test_rows": int(te.shape[0])}
    if cmd == "fit":
        return fit(msg["model"])
    if cmd == "predict_bench":
        return predict_bench(msg)
    if cmd == "score":
        out = np.fromfile(msg["pred"], dtype=np.float64)
        return {"metrics": score(state["kind"], state["yt"], out)}
    raise ValueError(f"unknown command {cmd}")


for line in sys.stdin:
    if not line.strip():
        continue
    try:
        reply = handle(json.loads(line))
    except Exception as e:  # reported to the driver, which prints it
        reply = {"error": f"{type(e).__name__}: {e}"}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
