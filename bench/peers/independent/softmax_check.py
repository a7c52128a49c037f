# Independent check of C13's finite-context table (not CI): recomputes cells of
# docs/records/softmax-study.json from MODEL.md alone. For each chosen cell (L_te, T) it takes the
# recorded parameters (trained sca and sca-centred alpha, beta, tau; trained lca2 alpha, beta; the
# optimal schedule's steps), draws fresh prompts in numpy (s ~ U[0.5, 4], v uniform on the sphere,
# x = h m + xi, y = h + eps, sigma = 0.1, d1 = d2 = 2), runs the models from their definitions
# (softmax cross-attention: A_t = sum_i x_i softmax_i(tau x_i^T q_t), q_{t+1} = q_t + alpha x_q
# + (beta/tau)(A_t - [centred] x_bar); LCA: A_t = Sigma_hat q_t; schedule: q_{t+1} = q_t +
# alpha_t (x_q - Sigma_hat q_t); y_hat = q_T^T mu_hat) and prints the excess over the Bayes
# prediction w^T x_q, w = m/(1 + s), against the record's, in combined standard errors.
#
#   python3 bench/peers/independent/softmax_check.py [N] [L,T L,T ...]
import json, sys
import numpy as np

rng = np.random.default_rng(13)
record = json.load(open("docs/records/softmax-study.json"))
cells = {(c["context"], c["depth"]): c for c in record["data"]["cells"]}
N = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
chosen = [tuple(map(int, a.split(","))) for a in sys.argv[2:]] or [(64, 4), (256, 2), (32, 8)]
d, sigma = 4, 0.1

def prompts(L):
    s = rng.uniform(0.5, 4, N); g = rng.standard_normal((N, d)); v = g / np.linalg.norm(g, axis=1, keepdims=True)
    m = np.sqrt(s)[:, None] * v
    h = rng.standard_normal((N, L + 1)); xi = rng.standard_normal((N, L + 1, d))
    x = h[:, :, None] * m[:, None, :] + xi; y = h + sigma * rng.standard_normal((N, L + 1))
    return x[:, :L], y[:, :L], x[:, L], m / (1 + s)[:, None]

def softmax_ca(x, y, xq, alpha, beta, tau, T, centred):
    xbar = x.mean(1); mu = (y[:, :, None] * x).mean(1); q = np.zeros_like(xq)
    for _ in range(T):
        r = tau * np.einsum("nld,nd->nl", x, q); r -= r.max(1, keepdims=True)
        p = np.exp(r); p /= p.sum(1, keepdims=True)
        A = np.einsum("nl,nld->nd", p, x) - (xbar if centred else 0)
        q = q + alpha * xq + (beta / tau) * A
    return np.einsum("nd,nd->n", q, mu)

def schedule(x, y, xq, alphas, betas):
    mu = (y[:, :, None] * x).mean(1); S = np.einsum("nli,nlj->nij", x, x) / x.shape[1]; q = np.zeros_like(xq)
    for a, b in zip(alphas, betas):
        q = q + a * xq + b * np.einsum("nij,nj->ni", S, q)
    return np.einsum("nd,nd->n", q, mu)

for (L, T) in chosen:
    c = cells[(L, T)]; x, y, xq, w = prompts(L); bayes = np.einsum("nd,nd->n", w, xq)
    preds = {
        "sca": softmax_ca(x, y, xq, c["sca"]["alpha"], c["sca"]["beta"], c["sca"]["tau"], T, False),
        "scaCentred": softmax_ca(x, y, xq, c["scaCentred"]["alpha"], c["scaCentred"]["beta"], c["scaCentred"]["tau"], T, True),
        "lca2": schedule(x, y, xq, [c["lca2"]["alpha"]] * T, [c["lca2"]["beta"]] * T),
        "schedule": schedule(x, y, xq, c["schedule"]["alphas"], [-a for a in c["schedule"]["alphas"]]),
    }
    for name, yhat in preds.items():
        e = (yhat - bayes) ** 2; mean, se = e.mean(), e.std(ddof=1) / np.sqrt(N)
        rec = c[name]["excess"]; z = (mean - rec["mean"]) / np.hypot(se, rec["standardError"])
        print(f"L_te={L:4d} T={T} {name:11s} numpy {mean:.4g} ± {se:.2g}   record {rec['mean']:.4g} ± {rec['standardError']:.2g}   z = {z:+.2f}")
