"""Generates sklearn_metrics.json: fixed inputs and scikit-learn 1.2's metric values and CV
splits, which learn-metrics and learn-validation tests compare against.
Run with: /usr/bin/python3 sklearn_metrics.py  (Debian's python3-sklearn)."""
import json
import os

import numpy as np
import sklearn
from sklearn import metrics as M
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold, TimeSeriesSplit
from sklearn.preprocessing import label_binarize

rng = np.random.RandomState(7)
out = {"sklearn": sklearn.__version__}

# Binary: scores rounded to 1 decimal so there are ties.
n = 60
yb = rng.randint(0, 2, n)
pb = np.clip(np.round(0.35 * yb + 0.65 * rng.rand(n), 1), 0, 1)
pb[0], pb[1] = 0.0, 1.0  # exercise clipping in log loss
predb = (pb >= 0.5).astype(int)
out["binary"] = {
    "y": yb.tolist(), "p1": pb.tolist(), "pred": predb.tolist(),
    "accuracy": M.accuracy_score(yb, predb),
    "balanced_accuracy": M.balanced_accuracy_score(yb, predb),
    "precision": M.precision_score(yb, predb), "recall": M.recall_score(yb, predb), "f1": M.f1_score(yb, predb),
    "roc_auc": M.roc_auc_score(yb, pb),
    "average_precision": M.average_precision_score(yb, pb),
    "log_loss": M.log_loss(yb, np.column_stack([1 - pb, pb])),
    "brier": M.brier_score_loss(yb, pb),
    "confusion": M.confusion_matrix(yb, predb).tolist(),
}

# Multiclass (4 classes; class 3 is never predicted).
k = 4
ym = rng.randint(0, k, 80)
raw = rng.rand(80, k) + 0.4 * np.eye(k)[ym]
raw[:, 3] *= 0.3
pm = raw / raw.sum(axis=1, keepdims=True)
predm = pm.argmax(axis=1)
mc = {"y": ym.tolist(), "proba": pm.tolist(), "pred": predm.tolist(),
      "accuracy": M.accuracy_score(ym, predm), "balanced_accuracy": M.balanced_accuracy_score(ym, predm),
      "log_loss": M.log_loss(ym, pm), "roc_auc_ovr_macro": M.roc_auc_score(ym, pm, multi_class="ovr", average="macro"),
      "average_precision_ovr_macro": M.average_precision_score(label_binarize(ym, classes=range(k)), pm, average="macro"),
      "confusion": M.confusion_matrix(ym, predm, labels=range(k)).tolist()}
for avg in ("macro", "micro", "weighted"):
    p, r, f, _ = M.precision_recall_fscore_support(ym, predm, average=avg, zero_division=0)
    mc[avg] = {"precision": p, "recall": r, "f1": f}
mc["brier_multiclass"] = float(np.mean(np.sum((pm - np.eye(k)[ym]) ** 2, axis=1)))
out["multiclass"] = mc

# Regression.
yr = rng.randn(50) * 3 + 10
yr[3] = 0.0  # MAPE's eps floor
pr = yr + rng.randn(50)
out["regression"] = {"y": yr.tolist(), "pred": pr.tolist(),
                      "rmse": M.mean_squared_error(yr, pr) ** 0.5, "mae": M.mean_absolute_error(yr, pr),
                      "r2": M.r2_score(yr, pr), "mape": M.mean_absolute_percentage_error(yr, pr)}

# Splitters.
ys = rng.randint(0, 3, 23)
ys[:2] = [2, 0]
groups = rng.randint(0, 7, 23)
tests = lambda cv, *a: [te.tolist() for _, te in cv.split(np.zeros((23, 1)), *a)]
out["splits"] = {
    "y": ys.tolist(), "groups": groups.tolist(),
    "kfold5": tests(KFold(5)),
    "stratified4": tests(StratifiedKFold(4), ys),
    "group3": tests(GroupKFold(3), ys, groups),
    "timeseries": [[tr.tolist(), te.tolist()] for tr, te in TimeSeriesSplit(3, max_train_size=8, gap=1).split(np.zeros((23, 1)))],
    "timeseries_default": [[tr.tolist(), te.tolist()] for tr, te in TimeSeriesSplit(4).split(np.zeros((23, 1)))],
}
json.dump(out, open(os.path.join(os.path.dirname(__file__), "sklearn_metrics.json"), "w"), indent=1)
print("ok", out["binary"]["roc_auc"], out["multiclass"]["roc_auc_ovr_macro"])
