#!/usr/bin/env python3
"""Independent numpy implementation of the benchmarked computations (not run in CI).

A line server for bench/peers_compare.ts: it reads one JSON request per line on stdin,
{"case": name, "params": {...}, "reps": k}, runs the case k times and answers one JSON
line {"seconds": [t_1, ..., t_k]}. One process for the whole comparison, so the JS and
numpy runs alternate in one process pair. Single-threaded BLAS: the driver sets
OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = MKL_NUM_THREADS = 1 before starting it.

Cases (same model as MODEL.md: x = h m + xi, y = h + sigma eps, s ~ U[0.5, 4]):
  tokens   sample N prompts of L tokens and reduce them to Sigma_hat = X^T X / L and
           mu_hat = X^T y / L (numpy's PCG64 normals, batched matmul);
  wishart  the exact sampler's statistics by the Bartlett decomposition (numpy normals +
           chisquare), batched: Sigma_hat, mu_hat, mean y, mean y^2 and the query, like
           src/model/wishart.ts;
  normals  N standard normals (the generator alone);
  step     `repeat` LCA spectral training steps (loss and gradient in alpha, beta) at N prompts,
           dimension d, depth T, from eigenvalues lambda and weights w;
  gemm     the ceiling: C = A B for n x n float64 matrices (2 n^3 flops).
"""

import json
import sys
import time

import numpy as np

rng = np.random.default_rng(12345)
LOADING = 1.0  # RESPONSE_LOADING of src/model/reconstructed.ts: y = LOADING h + sigma eps
TRIL = {}


def tasks(n, d):
    s = rng.uniform(0.5, 4.0, n)
    v = rng.standard_normal((n, d))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return np.sqrt(s)[:, None] * v


def tokens(p):
    n, L, d, sigma = p["N"], p["L"], p["d"], p.get("sigma", 0.1)
    m = tasks(n, d)
    h = rng.standard_normal((n, L, 1))
    x = h * m[:, None, :] + rng.standard_normal((n, L, d))
    y = h[..., 0] + sigma * rng.standard_normal((n, L))
    sig = np.matmul(x.transpose(0, 2, 1), x) / L
    mu = np.einsum("nld,nl->nd", x, y) / L
    return sig, mu


def wishart(p):
    """The exact sampler's statistics, batched over prompts, as a numpy user writes it.

    Like `src/model/wishart.ts`: W = A A^T + g g^T over z = (h, eps, xi_1..xi_d), with A
    lower triangular (q (q - 1) / 2 normals below the diagonal, sqrt(chi^2_{L-1-j}) on it)
    and S = sqrt(L) g; then Sigma_hat, mu_hat, mean y, mean y^2, and the query token.
    Only the normals that are used are drawn (no full q x q block masked by tril).
    """
    n, L, d, sigma = p["N"], p["L"], p["d"], p.get("sigma", 0.1)
    q = d + 2
    m = tasks(n, d)
    g = rng.standard_normal((n, q))
    if q not in TRIL:
        TRIL[q] = np.tril_indices(q, -1)
    rows, cols = TRIL[q]
    a = np.zeros((n, q, q))
    a[:, rows, cols] = rng.standard_normal((n, rows.size))
    diag = np.arange(q)
    a[:, diag, diag] = np.sqrt(rng.chisquare((L - 1) - diag, size=(n, q)))
    w = np.matmul(a, a.transpose(0, 2, 1))
    w += g[:, :, None] * g[:, None, :]
    whh, weh, wee = w[:, 0, 0], w[:, 1, 0], w[:, 1, 1]
    wxh, wxe, wxx = w[:, 2:, 0], w[:, 2:, 1], w[:, 2:, 2:]
    # m m^T W_hh + m W_xh^T + W_xh m^T + W_xx = m c^T + W_xh m^T + W_xx, c = W_hh m + W_xh.
    c = whh[:, None] * m + wxh
    sig = (m[:, :, None] * c[:, None, :] + wxh[:, :, None] * m[:, None, :] + wxx) / L
    mu = (LOADING * c + sigma * (weh[:, None] * m + wxe)) / L
    root = np.sqrt(L)
    mean_y = root * (LOADING * g[:, 0] + sigma * g[:, 1]) / L
    mean_y2 = (LOADING**2 * whh + 2 * LOADING * sigma * weh + sigma**2 * wee) / L
    z = rng.standard_normal((n, d + 2))  # the query token: (h, xi_1..xi_d, eps)
    query = z[:, :1] * m + z[:, 1:d + 1]
    query_label = LOADING * z[:, 0] + sigma * z[:, d + 1]
    return sig, mu, mean_y, mean_y2, query, query_label


def normals(p):
    return rng.standard_normal(p["count"])


STEP = {}


def step(p):
    for _ in range(p.get("repeat", 1)):
        one_step(p)


def one_step(p):
    n, d, T = p["N"], p["d"], p["T"]
    key = (n, d)
    if key not in STEP:
        lam = rng.uniform(0.2, 6.0, (n, d))
        w = rng.standard_normal((n, d))
        target = rng.standard_normal(n)
        STEP[key] = (lam, w, target)
    lam, w, target = STEP[key]
    alpha, beta = 0.2, -0.2
    u = 1 + beta * lam
    g = np.zeros_like(lam)
    g1 = np.zeros_like(lam)
    power = np.ones_like(lam)
    prev = np.zeros_like(lam)
    for k in range(T):
        g += power
        g1 += k * prev
        prev = power
        power = power * u
    pred = (w * alpha * g).sum(1)
    da = (w * g).sum(1)
    db = (w * alpha * g1 * lam).sum(1)
    r = pred - target
    return (r * r).mean(), 2 * (r * da).mean(), 2 * (r * db).mean()


GEMM = {}


def gemm(p):
    n = p["n"]
    if n not in GEMM:
        GEMM[n] = (rng.standard_normal((n, n)), rng.standard_normal((n, n)))
    a, b = GEMM[n]
    return a @ b


CASES = {"tokens": tokens, "wishart": wishart, "normals": normals, "step": step, "gemm": gemm}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        fn = CASES[req["case"]]
        seconds = []
        for _ in range(req.get("reps", 1)):
            t = time.perf_counter()
            fn(req["params"])
            seconds.append(time.perf_counter() - t)
        sys.stdout.write(json.dumps({"seconds": seconds}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
