# Independent check of C11 (not CI): population excess of untied LCA restricted to
# A = aI + cJ, B = bI + eJ (J a complex structure / one 2x2 rotation block), by Monte Carlo
# over the task m (s ~ U[0.5, 4], v uniform on the sphere), the query integrated out exactly.
import numpy as np, sys
from scipy.optimize import minimize
rng = np.random.default_rng(2026)
def tasks(d, K):
    s = rng.uniform(0.5, 4, K); g = rng.standard_normal((K, d)); v = g / np.linalg.norm(g, axis=1, keepdims=True)
    return np.sqrt(s)[:, None] * v, s
def J_of(d):
    J = np.zeros((d, d))
    for k in range(0, d - 1, 2): J[k, k+1] = -1; J[k+1, k] = 1
    return J
def excess(params, T, m, s, J):
    a, b, c, e = params; d = m.shape[1]; I = np.eye(d)
    A = a*I + c*J; B = b*I + e*J
    K = m.shape[0]
    Sig = I[None] + m[:, :, None] * m[:, None, :]
    Mstep = I[None] + np.einsum('ij,kjl->kil', B, Sig)
    P = np.broadcast_to(I, (K, d, d)).copy(); M = np.zeros((K, d, d))
    for _ in range(T): M += P; P = np.einsum('kij,kjl->kil', Mstep, P)
    M = np.einsum('kij,jl->kil', M, A)
    v = np.einsum('kji,kj->ki', M, m) - m / (1 + s)[:, None]
    return np.mean(np.einsum('ki,kij,kj->k', v, Sig, v))
d = int(sys.argv[1]) if len(sys.argv) > 1 else 4
m, s = tasks(d, 20000); J = J_of(d)
for T in [int(x) for x in (sys.argv[2] if len(sys.argv) > 2 else "3,4,8").split(",")]:
    tied = minimize(lambda p: excess([p[0], p[1], 0, 0], T, m, s, J), [0.3, -0.3], method='BFGS', options={'gtol':1e-12,'maxiter':400})
    best = None
    for c0, e0 in [(0.05, 0.1), (0.1, -0.2)]:
        r = minimize(lambda p: excess(p, T, m, s, J), [tied.x[0], tied.x[1], c0, e0], method='BFGS', options={'gtol':1e-12,'maxiter':400})
        if best is None or r.fun < best.fun: best = r
    a, b, c, e = best.x
    print(f"d={d} T={T}: tied opt (a,b)=({tied.x[0]:.5f},{tied.x[1]:.5f}) excess {tied.fun:.4e} | scalar+skew opt a={a:.5f} b={b:.5f} |skewA|/|a|={abs(c)/abs(a):.3f} |skewB|/|b|={abs(e)/abs(b):.3f} excess {best.fun:.4e} ratio {best.fun/tied.fun:.4f}", flush=True)
