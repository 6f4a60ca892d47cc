"""Reference for lib/analytics/leadlag.ts, computed independently with numpy (and scipy for Φ⁻¹).

Reads JSON on stdin: {"cases": [{"source": [{"date", "close"}], "target": [...], "windowYears", "asOf", "maxLag"}],
"quantiles": [p, ...]}; writes {"cases": [{"n", "lags": [{"k", "rho"}], "leadTimeDays", "correlation"}],
"quantiles": [norm.ppf(p), ...]} (quantiles null without scipy).
"""
import datetime
import json
import sys

import numpy as np


def window_start(as_of, years):
    d = datetime.date.fromisoformat(as_of)
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def analyse(case):
    start = window_start(case["asOf"], case["windowYears"]).isoformat()
    end = case["asOf"]
    src = {p["date"]: p["close"] for p in case["source"] if start <= p["date"] <= end}
    tgt = {p["date"]: p["close"] for p in case["target"] if start <= p["date"] <= end}
    days = sorted(set(src) & set(tgt))
    x = np.diff(np.log(np.array([src[d] for d in days], dtype=np.float64)))
    y = np.diff(np.log(np.array([tgt[d] for d in days], dtype=np.float64)))
    n = len(x)
    K = case["maxLag"]
    lags = []
    for k in range(-K, K + 1):
        if k >= 0:
            a, b = x[: n - k], y[k:]
        else:
            a, b = x[-k:], y[: n + k]
        lags.append({"k": k, "rho": float(np.corrcoef(a, b)[0, 1])})
    # Same rule as the module: visit 0, 1, -1, 2, -2, ...; a later lag wins only when larger by more than 1e-12.
    by_k = {l["k"]: l["rho"] for l in lags}
    best = 0
    for d in range(1, K + 1):
        for k in (d, -d):
            if abs(by_k[k]) > abs(by_k[best]) + 1e-12:
                best = k
    return {"n": n, "days": len(days), "lags": lags, "leadTimeDays": best, "correlation": by_k[best]}


def main():
    request = json.load(sys.stdin)
    quantiles = None
    if request.get("quantiles"):
        try:
            from scipy.stats import norm

            quantiles = [float(norm.ppf(p)) for p in request["quantiles"]]
        except ImportError:
            pass
    json.dump({"cases": [analyse(c) for c in request.get("cases", [])], "quantiles": quantiles}, sys.stdout)


main()
