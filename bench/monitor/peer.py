"""Peer side of bench/monitor: SciPy 1.10 / numpy (apt's /usr/bin/python3) running, per column, the
drift tests Evidently's defaults choose, driven by JSON lines on stdin (one JSON reply per line).

  {"cmd": "load", "dir": peer_dir, "columns": {name: "numerical" | "categorical"}}
      reads each side's column (CSV written once by DuckDB, cached as .npy) into memory; untimed.
  {"cmd": "run", "methods": {name: "wasserstein" | "ks" | "jensenshannon"}}
      per column, TIMED: drop missing values (NaN / empty text), then
        wasserstein:   scipy.stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)
        ks:            scipy.stats.ks_2samp(ref, cur) p-value (method "auto": asymptotic here)
        jensenshannon: Evidently's get_binned_data (numpy Sturges bins of the pooled values when the
                       column is numerical with > 20 distinct reference values, else shares per
                       value over the union, counted with np.unique) then
                       scipy.spatial.distance.jensenshannon
      -> {"seconds": total, "columns": {name: {"score": x, "seconds": s}}}
Nothing is read or parsed inside the timed part: the arrays are already numpy arrays in memory.
"""
import json
import os
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance

state = {}


def load_column(path, kind):
    cache = path + ".npy"
    if os.path.exists(cache) and os.path.getmtime(cache) >= os.path.getmtime(path):
        return np.load(cache)
    if kind == "numerical":
        data = np.loadtxt(path, dtype=np.float64, ndmin=1)
    else:
        with open(path, encoding="utf-8") as f:
            data = np.array(f.read().split("\n")[:-1])
    np.save(cache, data)
    return data


def present(x, kind):
    return x[np.isfinite(x)] if kind == "numerical" else x[x != ""]


def binned_shares(ref, cur, kind):
    """Evidently's get_binned_data(feel_zeroes=False)."""
    if kind == "numerical" and len(np.unique(ref)) > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        return np.histogram(ref, bins)[0] / len(ref), np.histogram(cur, bins)[0] / len(cur)
    rk, rc = np.unique(ref, return_counts=True)
    ck, cc = np.unique(cur, return_counts=True)
    keys = np.union1d(rk, ck)
    rs = np.zeros(len(keys))
    cs = np.zeros(len(keys))
    rs[np.searchsorted(keys, rk)] = rc
    cs[np.searchsorted(keys, ck)] = cc
    return rs / len(ref), cs / len(cur)


def run_test(method, ref, cur, kind):
    if method == "wasserstein":
        return stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)
    if method == "ks":
        return stats.ks_2samp(ref, cur).pvalue
    if method == "jensenshannon":
        r, c = binned_shares(ref, cur, kind)
        return distance.jensenshannon(r, c)
    raise ValueError(f"the peer has no test {method}")


def handle(msg):
    if msg["cmd"] == "load":
        state["columns"] = {}
        for name, kind in msg["columns"].items():
            ref = load_column(os.path.join(msg["dir"], f"reference-{name}.csv"), kind)
            cur = load_column(os.path.join(msg["dir"], f"current-{name}.csv"), kind)
            state["columns"][name] = (kind, ref, cur)
        return {"ok": True}
    if msg["cmd"] == "run":
        out = {}
        total = 0.0
        for name, method in msg["methods"].items():
            kind, ref, cur = state["columns"][name]
            t0 = time.perf_counter()
            score = run_test(method, present(ref, kind), present(cur, kind), kind)
            s = time.perf_counter() - t0
            total += s
            out[name] = {"score": float(score), "seconds": s}
        return {"seconds": total, "columns": out}
    raise ValueError(f"unknown command {msg['cmd']}")


for line in sys.stdin:
    try:
        reply = handle(json.loads(line))
    except Exception as e:  # reported to the driver, which stops
        reply = {"error": f"{type(e).__name__}: {e}"}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
