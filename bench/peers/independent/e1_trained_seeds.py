import json, os, subprocess, numpy as np
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..'))
D = "npx -y deno@2.9.6".split()
lam, L, s, N = [3, 1.5, 0.7, 0.2, 0.1], 7, 0.3, 20000
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'e1_e2_lsa_optimum.py')).read().split("rng = np.random")[0])
rng = np.random.default_rng(7)
_, se, _ = mc_fit(lam, L, s, N, rng)
G, _ = exact(lam, L, s)
for seed in [1, 2, 3]:
    out = subprocess.run(D + ["run", "-A", "mod.ts", "train", "--family", "regression", "--model", "lsa", "--covariance", ",".join(map(str, lam)), "--context", str(L), "--sigma", str(s), "--prompts", str(N), "--steps", "10", "--test-prompts", "10", "--seed", str(seed), "--json"], capture_output=True, text=True, cwd=REPO)
    Gr = np.array(json.loads(out.stdout)["lsaGamma"])
    z = (Gr - G) / se
    print(seed, "max|z|", np.abs(z).max().round(2), "mean z diag", np.diag(z).round(2), "rms z", np.sqrt((z**2).mean()).round(2))
