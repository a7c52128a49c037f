# Independent check of C11 (not CI): population excess of untied LCA restricted to
# A = aI + cJ, B = bI + eJ (J a complex structure / one 2x2 rotation block), by Monte Carlo
# over the task m (s ~ U[0.5, 4], v uniform on the sphere), the query integrated out exactly.
#
#   python3 c11_tied_vs_untied.py [d] [T,T,...] [--full] [--trained ROWS.jsonl]
#
# --full (small d only): also minimise over full d x d matrices A and B (2 d^2 parameters,
#   BFGS from the scalar+skew optimum and from the tied optimum plus a symmetric traceless
#   kick), reporting the symmetric traceless and skew parts of the optimum relative to the
#   scalar (|.|_F / (|tr M/d| sqrt d), as the toolkit's untiedStructure).
# --layerwise: also minimise over per-layer scalars (A_t = a_t I, B_t = b_t I; 2T parameters)
#   and per-layer scalar + skew (A_t = a_t I + c_t J, B_t = b_t I + e_t J; 4T parameters), from
#   the tied optimum (and, for the skew family, from the per-layer scalar optimum plus a kick).
# --trained ROWS.jsonl: evaluate the trained matrices of `sweep untied` rows (shared
#   or layerwise, fields untied.a, untied.b, tied.alpha, tied.beta) on this Monte Carlo sample
#   and print the untied/tied excess ratio next to the toolkit's.
import json, sys
import numpy as np
from scipy.optimize import minimize
rng = np.random.default_rng(2026)
def tasks(d, K):
    s = rng.uniform(0.5, 4, K); g = rng.standard_normal((K, d)); v = g / np.linalg.norm(g, axis=1, keepdims=True)
    return np.sqrt(s)[:, None] * v, s
def J_of(d):
    J = np.zeros((d, d))
    for k in range(0, d - 1, 2): J[k, k+1] = -1; J[k+1, k] = 1
    return J
def excess_full(As, Bs, T, m, s):
    # As, Bs: lists of T matrices (layer t uses As[t], Bs[t]); q_{t+1} = q_t + A_t x + B_t Sig q_t.
    d = m.shape[1]; I = np.eye(d); K = m.shape[0]
    Sig = I[None] + m[:, :, None] * m[:, None, :]
    G = np.zeros((K, d, d))  # q_t = G_t x_q
    for t in range(T):
        G = G + As[t][None] + np.einsum('ij,kjl->kil', Bs[t], np.einsum('kij,kjl->kil', Sig, G))
    v = np.einsum('kji,kj->ki', G, m) - m / (1 + s)[:, None]
    return np.mean(np.einsum('ki,kij,kj->k', v, Sig, v))
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
def structure(M):
    d = M.shape[0]; sc = np.trace(M) / d; S = (M + M.T) / 2 - sc * np.eye(d); W = (M - M.T) / 2
    return sc, np.linalg.norm(S) / (abs(sc) * np.sqrt(d)), np.linalg.norm(W) / (abs(sc) * np.sqrt(d))
args = [a for a in sys.argv[1:]]
full = "--full" in args
layerwise = "--layerwise" in args
trained = None
if "--trained" in args:
    i = args.index("--trained"); trained = args[i + 1]; del args[i:i + 2]
args = [a for a in args if a not in ("--full", "--layerwise")]
d = int(args[0]) if len(args) > 0 else 4
Ts = [int(x) for x in (args[1] if len(args) > 1 else "3,4,8").split(",")]
m, s = tasks(d, 20000); J = J_of(d)
for T in Ts:
    tied = minimize(lambda p: excess([p[0], p[1], 0, 0], T, m, s, J), [0.3, -0.3], method='BFGS', options={'gtol':1e-12,'maxiter':400})
    best = None
    for c0, e0 in [(0.05, 0.1), (0.1, -0.2)]:
        r = minimize(lambda p: excess(p, T, m, s, J), [tied.x[0], tied.x[1], c0, e0], method='BFGS', options={'gtol':1e-12,'maxiter':400})
        if best is None or r.fun < best.fun: best = r
    a, b, c, e = best.x
    print(f"d={d} T={T}: tied opt (a,b)=({tied.x[0]:.5f},{tied.x[1]:.5f}) excess {tied.fun:.4e} | scalar+skew opt a={a:.5f} b={b:.5f} |skewA|/|a|={abs(c)/abs(a):.3f} |skewB|/|b|={abs(e)/abs(b):.3f} excess {best.fun:.4e} ratio {best.fun/tied.fun:.4f}", flush=True)
    if full:
        n = d * d
        f = lambda p: excess_full([p[:n].reshape(d, d)] * T, [p[n:].reshape(d, d)] * T, T, m, s)
        I = np.eye(d); Sk = np.zeros((d, d)); Sk[0, 0] = 1; Sk[-1, -1] = -1
        starts = [np.concatenate([(a*I + c*J).ravel(), (b*I + e*J).ravel()]),
                  np.concatenate([(tied.x[0]*I + 0.05*Sk + 0.05*J).ravel(), (tied.x[1]*I - 0.05*Sk + 0.1*J).ravel()])]
        fb = None
        for x0 in starts:
            r = minimize(f, x0, method='BFGS', options={'gtol':1e-12,'maxiter':2000})
            if fb is None or r.fun < fb.fun: fb = r
        A = fb.x[:n].reshape(d, d); B = fb.x[n:].reshape(d, d)
        sa, syA, skA = structure(A); sb, syB, skB = structure(B)
        print(f"    full {2*n}-parameter opt: tr A/d={sa:.5f} tr B/d={sb:.5f} skew A {skA:.3f} B {skB:.3f} sym A {syA:.2e} B {syB:.2e} excess {fb.fun:.4e} ratio {fb.fun/tied.fun:.4f}", flush=True)
    if layerwise:
        I = np.eye(d)
        f2 = lambda p: excess_full([p[t]*I for t in range(T)], [p[T+t]*I for t in range(T)], T, m, s)
        r2 = minimize(f2, np.concatenate([np.full(T, tied.x[0]), np.full(T, tied.x[1])]), method='BFGS', options={'gtol':1e-14,'maxiter':3000})
        f4 = lambda p: excess_full([p[t]*I + p[2*T+t]*J for t in range(T)], [p[T+t]*I + p[3*T+t]*J for t in range(T)], T, m, s)
        r4 = None
        for x0 in [np.concatenate([r2.x, np.full(T, 0.05), np.full(T, 0.1)]), np.concatenate([np.full(T, a), np.full(T, b), np.full(T, c), np.full(T, e)])]:
            r = minimize(f4, x0, method='BFGS', options={'gtol':1e-14,'maxiter':3000})
            if r4 is None or r.fun < r4.fun: r4 = r
        sk = [abs(r4.x[2*T+t])/abs(r4.x[t]) for t in range(T)] + [abs(r4.x[3*T+t])/abs(r4.x[T+t]) for t in range(1, T)]  # B_0 unused
        print(f"    per-layer scalars (2T = {2*T}): excess {r2.fun:.4e} ratio {r2.fun/tied.fun:.4f} (a_t: {' '.join(f'{v:.3f}' for v in r2.x[:T])}; b_t: {' '.join(f'{v:.3f}' for v in r2.x[T:])})", flush=True)
        print(f"    per-layer scalar+skew (4T = {4*T}): excess {r4.fun:.4e} ratio {r4.fun/tied.fun:.4f}, vs per-layer scalars {r4.fun/r2.fun:.4f}; max_t relative skew {max(sk):.3f}", flush=True)
if trained:
    for line in open(trained):
        r = json.loads(line); u = r['untied']; T = r['depth']
        if r['d'] != d: continue
        a = np.array(u['a']); b = np.array(u['b']); L = len(a) // (d * d)
        As = [a[(t if L > 1 else 0)*d*d:((t if L > 1 else 0)+1)*d*d].reshape(d, d) for t in range(T)]
        Bs = [b[(t if L > 1 else 0)*d*d:((t if L > 1 else 0)+1)*d*d].reshape(d, d) for t in range(T)]
        I = np.eye(d)
        eu = excess_full(As, Bs, T, m, s)
        et = excess_full([r['tied']['alpha']*I]*T, [r['tied']['beta']*I]*T, T, m, s)
        print(f"trained d={d} T={T}{' layerwise' if L > 1 else ''}: numpy excess untied {eu:.4e} tied opt {et:.4e} ratio {eu/et:.4f} | toolkit untied {u['excess']:.4e} tied {r['tied']['excess']:.4e} ratio {u['excess']/r['tied']['excess']:.4f}", flush=True)
