"""Generates estimators.json: scikit-learn 1.2's outputs on the BENCH_TASKS penguins and
cars-mpg splits (row ids from bench_splits.json), for the parity tests of Keel's estimators.
Run with: /usr/bin/python3 estimators.py  (after bench_splits.py)."""
import json
import os

import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(__file__)
DATA = os.path.join(HERE, "../../../../../node_modules/vega-datasets/data")
splits = json.load(open(os.path.join(HERE, "bench_splits.json")))

rows = json.load(open(os.path.join(DATA, "penguins.json")))
num = ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"]
feat = lambda r: [r[c] for c in num] + [r["Island"] == s for s in ("Biscoe", "Dream", "Torgersen")] + [r["Sex"] == "MALE"]
classes = ["Adelie", "Chinstrap", "Gentoo"]
tr, te = splits["penguins"]["train_ids"], splits["penguins"]["test_ids"]
Xtr = np.array([feat(rows[i]) for i in tr], dtype=float)
Xte = np.array([feat(rows[i]) for i in te], dtype=float)
ytr = np.array([classes.index(rows[i]["Species"]) for i in tr])
sc = StandardScaler().fit(Xtr)
Str, Ste = sc.transform(Xtr), sc.transform(Xte)
out = {"penguins": {
    "gaussian_nb": GaussianNB().fit(Xtr, ytr).predict_proba(Xte).tolist(),
    "knn_uniform": KNeighborsClassifier(5).fit(Str, ytr).predict_proba(Ste).tolist(),
    "knn_distance": KNeighborsClassifier(7, weights="distance").fit(Str, ytr).predict_proba(Ste).tolist(),
    "dummy_prior": DummyClassifier(strategy="prior").fit(Xtr, ytr).predict_proba(Xte).tolist(),
    "logistic": LogisticRegression(max_iter=1000).fit(Str, ytr).predict_proba(Ste).tolist(),
    "logistic_c01": LogisticRegression(C=0.1, max_iter=1000).fit(Str, ytr).predict_proba(Ste).tolist(),
}}

cars = json.load(open(os.path.join(DATA, "cars.json")))
cf = lambda r: [r["Cylinders"], r["Displacement"], r["Horsepower"], r["Weight_in_lbs"], r["Acceleration"], int(r["Year"][:4])]
tr, te = splits["cars"]["train_ids"], splits["cars"]["test_ids"]
Xtr = np.array([cf(cars[i]) for i in tr], dtype=float)
Xte = np.array([cf(cars[i]) for i in te], dtype=float)
ytr = np.array([cars[i]["Miles_per_Gallon"] for i in tr], dtype=float)
sc = StandardScaler().fit(Xtr)
out["cars"] = {
    "linear": LinearRegression().fit(Xtr, ytr).predict(Xte).tolist(),
    "ridge10": Ridge(alpha=10).fit(Xtr, ytr).predict(Xte).tolist(),
    "knn_distance": KNeighborsRegressor(4, weights="distance").fit(sc.transform(Xtr), ytr).predict(sc.transform(Xte)).tolist(),
}
json.dump(out, open(os.path.join(HERE, "estimators.json"), "w"))
print("ok")
