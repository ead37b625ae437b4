"""Generates bench_splits.json: the BENCH_TASKS.md test-row ids of penguins and cars-mpg
(sklearn train_test_split, random_state=42) and scikit-learn 1.2's reference metrics for the
linear peer models, so the TypeScript tests use exactly the same split.
Run with: /usr/bin/python3 bench_splits.py  (Debian's python3-sklearn)."""
import json
import os

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

DATA = os.path.join(os.path.dirname(__file__), "../../../../../node_modules/vega-datasets/data")


def penguins():
    rows = json.load(open(os.path.join(DATA, "penguins.json")))
    num = ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"]
    keep = [i for i, r in enumerate(rows) if all(r[c] is not None for c in num) and r["Sex"] in ("MALE", "FEMALE")]
    classes = sorted({rows[i]["Species"] for i in keep})
    X = np.array([[rows[i][c] for c in num]
                  + [rows[i]["Island"] == s for s in ("Biscoe", "Dream", "Torgersen")]
                  + [rows[i]["Sex"] == "MALE"] for i in keep], dtype=float)
    y = np.array([classes.index(rows[i]["Species"]) for i in keep])
    ids = np.array(keep)
    Xtr, Xte, ytr, yte, idtr, idte = train_test_split(X, y, ids, test_size=0.2, random_state=42, stratify=y)
    model = make_pipeline(StandardScaler(), LogisticRegression(solver="lbfgs", max_iter=1000)).fit(Xtr, ytr)
    return {"test_ids": idte.tolist(), "train_ids": idtr.tolist(), "logistic_accuracy": accuracy_score(yte, model.predict(Xte))}


def cars():
    rows = json.load(open(os.path.join(DATA, "cars.json")))
    keep = [i for i, r in enumerate(rows) if r["Miles_per_Gallon"] is not None and r["Horsepower"] is not None]
    X = np.array([[rows[i]["Cylinders"], rows[i]["Displacement"], rows[i]["Horsepower"], rows[i]["Weight_in_lbs"],
                   rows[i]["Acceleration"], int(rows[i]["Year"][:4])] for i in keep], dtype=float)
    y = np.array([rows[i]["Miles_per_Gallon"] for i in keep], dtype=float)
    ids = np.array(keep)
    Xtr, Xte, ytr, yte, idtr, idte = train_test_split(X, y, ids, test_size=0.2, random_state=42)
    model = make_pipeline(StandardScaler(), Ridge()).fit(Xtr, ytr)
    pred = model.predict(Xte)
    return {"test_ids": idte.tolist(), "train_ids": idtr.tolist(), "ridge_r2": r2_score(yte, pred),
            "ridge_rmse": mean_squared_error(yte, pred) ** 0.5}


out = {"sklearn": sklearn.__version__, "penguins": penguins(), "cars": cars()}
json.dump(out, open(os.path.join(os.path.dirname(__file__), "bench_splits.json"), "w"), indent=1)
print(out["penguins"]["logistic_accuracy"], out["cars"]["ridge_r2"], out["cars"]["ridge_rmse"])
