"""Peer side of bench/search: scikit-learn 1.2 (apt) searches, driven by JSON lines on stdin.

Commands (one JSON object per line, one JSON reply per line):
  {"cmd": "load", "train": csv, "features": [...], "n_jobs": 2}  (also starts joblib's workers)
  {"cmd": "search", "strategy": "random|halving", "trials": n, "folds": path, "seed": s,
   "scoring": "roc_auc|accuracy", "space": [{name, kind, low, high, log}], "max_iter": m,
   "factor": 3, "n_jobs": 2, "log": path}
      -> {"wall_s", "best_score", "trials": [{"t", "score", "resources"}] in completion order}

The folds are Keel's (a fold index per row, int32, written by the driver), used through
PredefinedSplit, so both sides score configs on exactly the same rows. Completion times come from
a scorer that appends a timestamp to `log` after each fold (it runs in joblib's worker processes);
a candidate is done when its last fold is scored.
"""
import json
import os
import sys
import time

import numpy as np
from joblib import Parallel, delayed
from scipy.stats import loguniform, randint, uniform
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401  (enables the class below)
from sklearn.metrics import get_scorer
from sklearn.model_selection import HalvingRandomSearchCV, PredefinedSplit, RandomizedSearchCV
from sklearn.utils import check_random_state

state = {}


def load_csv(path, columns):
    with open(path) as f:
        header = f.readline().strip().split(",")
    idx = [header.index(c) for c in columns]
    return np.loadtxt(path, delimiter=",", skiprows=1, usecols=idx, dtype=np.float64, ndmin=2)


class LogInt:
    """Integers log-uniform on [low - 0.5, high + 0.5], rounded: Keel's `logint` convention."""

    def __init__(self, low, high):
        self.low, self.high = low, high

    def rvs(self, random_state=None):
        rng = check_random_state(random_state)
        x = np.exp(rng.uniform(np.log(self.low - 0.5), np.log(self.high + 0.5)))
        return int(min(self.high, max(self.low, round(x))))


def distribution(p):
    lo, hi = p["low"], p["high"]
    if p["kind"] == "int":
        return LogInt(lo, hi) if p["log"] else randint(lo, hi + 1)
    return loguniform(lo, hi) if p["log"] else uniform(lo, hi - lo)


def config_key(params, names, max_iter):
    return json.dumps({**{n: float(params[n]) for n in names}, "max_iter": int(max_iter)}, sort_keys=True)


class TimedScorer:
    """The metric's scorer, plus a line `{t, key}` appended to `path` after every call."""

    def __init__(self, metric, path, names):
        self.metric, self.path, self.names = metric, path, names

    def __call__(self, estimator, X, y):
        score = get_scorer(self.metric)(estimator, X, y)
        params = estimator.get_params()
        line = json.dumps({"t": time.time(), "key": config_key(params, self.names, params["max_iter"])})
        with open(self.path, "a") as f:  # one short write per line: appends do not interleave
            f.write(line + "\n")
        return score


def search(msg):
    names = [p["name"] for p in msg["space"]]
    space = {p["name"]: distribution(p) for p in msg["space"]}
    folds = PredefinedSplit(np.fromfile(msg["folds"], dtype=np.int32))
    est = HistGradientBoostingClassifier(max_iter=msg["max_iter"], random_state=msg["seed"])
    scorer = TimedScorer(msg["scoring"], msg["log"], names)
    common = dict(cv=folds, scoring=scorer, refit=False, n_jobs=msg["n_jobs"], random_state=msg["seed"])
    if msg["strategy"] == "random":
        cv = RandomizedSearchCV(est, space, n_iter=msg["trials"], **common)
    else:
        cv = HalvingRandomSearchCV(est, space, n_candidates=msg["trials"], factor=msg["factor"],
                                   resource="max_iter", max_resources=msg["max_iter"], min_resources="exhaust",
                                   return_train_score=False, **common)
    open(msg["log"], "w").close()
    t0 = time.time()
    cv.fit(state["X"], state["y"])
    wall = time.time() - t0
    done = {}
    with open(msg["log"]) as f:
        for line in f:
            rec = json.loads(line)
            done[rec["key"]] = max(done.get(rec["key"], 0.0), rec["t"] - t0)
    res = cv.cv_results_
    resources = res.get("n_resources", [msg["max_iter"]] * len(res["params"]))
    trials = []
    for params, score, r in zip(res["params"], res["mean_test_score"], resources):
        key = config_key(params, names, r)
        trials.append({"t": done.get(key, wall), "score": None if np.isnan(score) else float(score),
                       "resources": int(r)})
    trials.sort(key=lambda x: x["t"])
    os.remove(msg["log"])
    return {"wall_s": wall, "best_score": float(cv.best_score_), "trials": trials,
            "max_resources": msg["max_iter"]}


def handle(msg):
    cmd = msg["cmd"]
    if cmd == "load":
        data = load_csv(msg["train"], msg["features"] + ["label"])
        state.update(X=np.ascontiguousarray(data[:, :-1]), y=data[:, -1].astype(np.int64))
        # Start joblib's reusable worker processes now, so that no search is charged for it.
        Parallel(n_jobs=msg["n_jobs"])(delayed(abs)(i) for i in range(2 * msg["n_jobs"]))
        return {"rows": int(data.shape[0])}
    if cmd == "search":
        return search(msg)
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
