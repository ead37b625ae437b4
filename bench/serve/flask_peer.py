# bench/serve peer: a minimal Flask + scikit-learn server, as a Python user would deploy one.
# HistGradientBoosting on the same flights features (airports ordinal-encoded), single-row JSON in.
import csv, sys
import numpy as np
from flask import Flask, jsonify, request
from sklearn.ensemble import HistGradientBoostingClassifier

train_csv, port = sys.argv[1], int(sys.argv[2])
with open(train_csv, newline="") as f:
    records = list(csv.DictReader(f))
cats = {c: {v: i for i, v in enumerate(sorted({r[c] for r in records if r[c] != ""}))} for c in ("origin", "destination")}
FEATURES = ["month", "day_of_week", "hour", "distance", "origin", "destination"]

def encode(rows):
    X = np.empty((len(rows), len(FEATURES)))
    for i, r in enumerate(rows):
        for j, f in enumerate(FEATURES):
            v = r.get(f)
            X[i, j] = cats[f].get(v, np.nan) if f in cats else (np.nan if v is None else float(v))
    return X

X = encode(records)
y = np.array([int(r["delayed"]) for r in records])
model = HistGradientBoostingClassifier(max_iter=100, categorical_features=[4, 5]).fit(X, y)
app = Flask(__name__)

@app.post("/predict")
def predict():
    rows = request.get_json()["instances"]
    p = model.predict_proba(encode(rows))
    return jsonify({"predictions": p[:, 1].tolist()})

print("ready", flush=True)
app.run(host="127.0.0.1", port=port, threaded=True)
