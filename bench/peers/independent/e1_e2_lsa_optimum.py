# Independent check of E1/E2 (not part of CI): exact moments by Isserlis + Kronecker normal
# equations (no use of the diagonal structure or the closed form), and a numpy Monte Carlo fit.
import json, os, subprocess, sys
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..'))
import numpy as np
D = "npx -y deno@2.9.6".split()

def exact(lam, L, s):
    d = len(lam); Lm = np.diag(lam)
    T = (np.einsum('ab,cd->abcd', Lm, Lm) + np.einsum('ac,bd->abcd', Lm, Lm) + np.einsum('ad,bc->abcd', Lm, Lm))
    Ey2xx = np.einsum('ccab->ab', T) + s*s*Lm          # E_w (w^T x)^2 = |x|^2
    C = Ey2xx / L + (1 - 1/L) * Lm @ Lm                  # E[mu mu^T]
    # R(G) = tr(Lm G C G^T) - 2 tr(G^T Lm Lm) + tr Lm + s^2 ; vec (column-major): (C kron Lm) vec G = vec(Lm Lm)
    A = np.kron(C.T, Lm)
    g = np.linalg.solve(A, (Lm @ Lm).flatten(order='F'))
    G = g.reshape((d, d), order='F')
    R = np.trace(Lm @ G @ C @ G.T) - 2*np.trace(G.T @ Lm @ Lm) + np.trace(Lm) + s*s
    return G, R

def mc_fit(lam, L, s, N, rng):
    d = len(lam); sc = np.sqrt(lam)
    w = rng.standard_normal((N, d))
    X = rng.standard_normal((N, L, d)) * sc
    y = np.einsum('nld,nd->nl', X, w) + s * rng.standard_normal((N, L))
    mu = np.einsum('nl,nld->nd', y, X) / L
    xq = rng.standard_normal((N, d)) * sc
    yq = np.einsum('nd,nd->n', xq, w) + s * rng.standard_normal(N)
    Phi = np.einsum('na,nb->nab', xq, mu).reshape(N, d*d)
    A = Phi.T @ Phi
    g = np.linalg.solve(A, Phi.T @ yq)
    r = Phi @ g - yq
    B = np.linalg.inv(A)
    V = B @ (Phi.T * r**2) @ Phi @ B
    return g.reshape(d, d), np.sqrt(np.diag(V)).reshape(d, d), (w, mu, lam, s)

def toolkit_population(lam, L, s):
    out = subprocess.run(D + ["run", "-A", "mod.ts", "population", "--family", "regression", "--covariance",
        ",".join(map(str, lam)), "--context", str(L), "--sigma", str(s), "--json"], capture_output=True, text=True, cwd=REPO)
    j = json.loads(out.stdout); return np.array(j["lsaGamma"]), j["lsaRisk"]

def toolkit_train(lam, L, s, N):
    out = subprocess.run(D + ["run", "-A", "mod.ts", "train", "--family", "regression", "--model", "lsa", "--covariance",
        ",".join(map(str, lam)), "--context", str(L), "--sigma", str(s), "--prompts", str(N), "--steps", "3000", "--test-prompts", "10", "--json"],
        capture_output=True, text=True, cwd=REPO)
    j = json.loads(out.stdout); return np.array(j["lsaGamma"]), np.array(j["lsaGammaFull"])

rng = np.random.default_rng(12345)
settings = [([3, 1.5, 0.7, 0.2, 0.1], 7, 0.3), ([0.6, 2.2, 1.3], 17, 0.8), ([1.7, 0.35], 2, 0.0), ([1, 1, 1, 1, 1, 1], 11, 0.45)]
for lam, L, s in settings:
    G, R = exact(lam, L, s)
    Gt, Rt = toolkit_population(lam, L, s)
    sig = lambda a, b: np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300) * (np.abs(b) > 1e-12))
    print(f"Lambda={lam} L={L} sigma={s}")
    print(f"  Gamma* diag numpy  {np.round(np.diag(G), 8)}  toolkit {np.round(np.diag(Gt), 8)}  max rel diff {sig(Gt, G):.2e}, max |offdiag| numpy {np.max(np.abs(G - np.diag(np.diag(G)))):.1e}")
    print(f"  risk numpy {R:.10f} toolkit {Rt:.10f} rel diff {abs(R-Rt)/R:.2e}")
    N = 20000
    Gh, se, (w, mu, lam_, s_) = mc_fit(lam, L, s, N, rng)
    z = np.abs(Gh - Gt) / se
    print(f"  numpy MC least-squares fit (N={N}) vs toolkit Gamma*: max |diff|/SE = {z.max():.2f} over {z.size} entries")
    # MC risk at toolkit Gamma* with the query integrated out, numpy-sampled
    u = mu @ Gt.T - w
    rr = (u**2 * np.array(lam)).sum(1) + s*s
    print(f"  numpy MC risk at toolkit Gamma* {rr.mean():.5f} ± {rr.std()/np.sqrt(N):.5f} vs toolkit lsaRisk {Rt:.5f}: {(rr.mean()-Rt)/(rr.std()/np.sqrt(N)):.2f} SE")
    if len(lam) <= 5:
        Gr, Gf = toolkit_train(lam, L, s, N)
        print(f"  toolkit train --model lsa (N={N}) reduced vs numpy exact: max |diff|/SE = {(np.abs(Gr - G) / se).max():.2f}; full p_d K: {(np.abs(Gf - G) / se).max():.2f} (SE from an independent numpy sample of the same size)")
