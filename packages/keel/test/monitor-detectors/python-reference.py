"""Reference values pinned in python-random.test.ts and river-tests.test.ts.

Run with Debian's Python 3.11 and numpy: /usr/bin/python3 python-reference.py
"""
import json
import random

r = random.Random(12345)
a = r.choices([0, 1], k=5)
b = r.random()
c = r.sample(range(70), 30)
d = r.gauss(0, 1)
e = r.gauss(2, 3)
r2 = random.Random(42)
f = r2.choices([0, 1], k=3, weights=[0.3, 0.7])
g = r2.sample(range(1000), 10)
h = random.Random(2**40 + 7).random()
i = random.Random(0).random()
print("python-random:", json.dumps([a, b, c, d, e, f, g, h, i]))

# River's test_drift_detectors.py streams (numpy legacy generator); md5 pinned in river-tests.test.ts.
import hashlib  # noqa: E402

import numpy as np  # noqa: E402

np.random.seed(12345)
s1 = np.concatenate((np.random.randint(2, size=1000), np.random.randint(8, size=1000)))
np.random.seed(12345)
s2 = np.concatenate(
    [[np.random.binomial(1, 0.2) for _ in range(1000)], [np.random.binomial(1, 0.8) for _ in range(1000)]]
).astype(int)
np.random.seed(12345)
s3 = np.concatenate(
    (
        np.random.normal(0.0, 0.1, 500) > 0,
        np.random.normal(0.25, 0.1, 500) > 0,
        np.random.normal(0.0, 0.1, 500) > 0,
        np.random.normal(0.25, 0.1, 500) > 0,
    )
).astype(int)
print("numpy streams md5:", *(hashlib.md5(bytes(list(s))).hexdigest() for s in (s1, s2, s3)))
