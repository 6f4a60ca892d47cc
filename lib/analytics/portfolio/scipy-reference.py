"""Independent reference for optimise.scipy.test.ts: the same estimators and methods with numpy and
scipy (SLSQP for every optimisation, scipy.cluster.hierarchy for HRP), written from the definitions,
not from the TypeScript. Reads {"cases": [...]} as JSON on stdin, writes the answers as JSON."""
import json
import sys

import numpy as np
import scipy.cluster.hierarchy as sch
import scipy.spatial.distance as ssd
from scipy.optimize import minimize

OPTIONS = {"ftol": 1e-15, "maxiter": 2000}


def estimators(closes, periods=252):
    p = np.array([[np.nan if c is None else c for c in row] for row in closes], dtype=float).T
    r = p[1:] / p[:-1] - 1
    r = r[~np.all(np.isnan(r), axis=1)]
    n = r.shape[1]
    mu = np.empty(n)
    for j in range(n):
        col = r[~np.isnan(r[:, j]), j]
        mu[j] = np.prod(1 + col) ** (periods / len(col)) - 1
    cov = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            m = ~np.isnan(r[:, i]) & ~np.isnan(r[:, j])
            a, b = r[m, i], r[m, j]
            cov[i, j] = np.sum((a - a.mean()) * (b - b.mean())) / (m.sum() - 1) * periods
    return mu, cov


def constraints_of(symbols, s):
    lower = np.array([s.get("bounds", {}).get(x, {}).get("min", s.get("minWeight", 0.0)) for x in symbols])
    upper = np.array([s.get("bounds", {}).get(x, {}).get("max", s.get("maxWeight", 1.0)) for x in symbols])
    cons = [{"type": "eq", "fun": lambda w: np.sum(w) - 1, "jac": lambda w: np.ones_like(w)}]
    for sector, cap in s.get("sectorMax", {}).items():
        mask = np.array([s.get("sectors", {}).get(x) == sector for x in symbols], dtype=float)
        cons.append({"type": "ineq", "fun": lambda w, m=mask, c=cap: c - m @ w, "jac": lambda w, m=mask: -m})
    return list(zip(lower, upper)), cons


def slsqp(f, jac, x0, bounds, cons):
    res = minimize(f, x0, jac=jac, method="SLSQP", bounds=bounds, constraints=cons, options=OPTIONS)
    return res.x


def hrp(cov):
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    dist = np.sqrt(np.clip((1 - corr) / 2, 0, 1))
    np.fill_diagonal(dist, 0)
    order = sch.to_tree(sch.linkage(ssd.squareform(dist, checks=False), "single"), rd=False).pre_order()
    w = np.ones(len(cov))
    clusters = [order]

    def cluster_var(c):
        sub = cov[np.ix_(c, c)]
        ivp = 1 / np.diag(sub)
        ivp /= ivp.sum()
        return ivp @ sub @ ivp

    while clusters:
        clusters = [c[a:b] for c in clusters for a, b in ((0, len(c) // 2), (len(c) // 2, len(c))) if len(c) > 1]
        for k in range(0, len(clusters), 2):
            v1, v2 = cluster_var(clusters[k]), cluster_var(clusters[k + 1])
            alpha = 1 - v1 / (v1 + v2)
            w[clusters[k]] *= alpha
            w[clusters[k + 1]] *= 1 - alpha
    return w


def risk_parity(cov):
    n = len(cov)
    f = lambda y: 0.5 * y @ cov @ y - np.sum(np.log(y)) / n
    jac = lambda y: cov @ y - 1 / (n * y)
    y = minimize(f, 1 / np.sqrt(np.diag(cov)), jac=jac, method="SLSQP", bounds=[(1e-12, None)] * n, options=OPTIONS).x
    return y, f(y)


def solve(case):
    s = case["settings"]
    method = s["method"]
    mu, cov = estimators(case["closes"])
    n = len(mu)
    rf = s.get("riskFreeRate", 0.02)
    bounds, cons = constraints_of(case["symbols"], s)
    x0 = np.full(n, 1 / n)
    var = lambda w: w @ cov @ w
    var_jac = lambda w: 2 * cov @ w
    out = {"mu": mu.tolist(), "cov": cov.tolist()}
    heuristic = None
    if method == "min_volatility":
        w = slsqp(var, var_jac, x0, bounds, cons)
        out["objective"] = var(w)
    elif method == "efficient_return":
        t = s["targetReturn"]
        w = slsqp(var, var_jac, x0, bounds, cons + [{"type": "ineq", "fun": lambda w: mu @ w - t, "jac": lambda w: mu}])
        out["objective"] = var(w)
    elif method == "efficient_risk":
        t2 = s["targetVolatility"] ** 2
        w = slsqp(lambda w: -(mu @ w), lambda w: -mu, x0, bounds, cons + [{"type": "ineq", "fun": lambda w: t2 - var(w), "jac": lambda w: -var_jac(w)}])
        out["objective"] = mu @ w
    elif method == "max_sharpe":
        neg = lambda w: -(mu @ w - rf) / np.sqrt(var(w))
        w = slsqp(neg, None, x0, bounds, cons)
        out["objective"] = -neg(w)
    elif method == "risk_parity":
        y, fy = risk_parity(cov)
        heuristic = y / y.sum()
        out["spinu"] = fy
    elif method == "hrp":
        heuristic = hrp(cov)
    elif method == "equal_weight":
        heuristic = x0
    elif method == "inverse_volatility":
        iv = 1 / np.sqrt(np.diag(cov))
        heuristic = iv / iv.sum()
    if heuristic is not None:
        out["heuristic"] = heuristic.tolist()
        constrained = any(b != (0.0, 1.0) for b in bounds) or len(cons) > 1
        if constrained:
            # The nearest weights (least squares) that keep the bounds and sector caps.
            w = slsqp(lambda w: np.sum((w - heuristic) ** 2), lambda w: 2 * (w - heuristic), heuristic, bounds, cons)
            out["objective"] = float(np.sum((w - heuristic) ** 2))
        else:
            w = heuristic
    out["weights"] = w.tolist()
    return out


cases = json.load(sys.stdin)["cases"]
json.dump([solve(c) for c in cases], sys.stdout)
