"""Applies each known bug (no issue names them) alone to the working tree, runs
`verify --quick --seed 0` on the claims that should catch it, restores the file, and
prints what failed. README, "Sharp verification". Run from the repository root:
python3 tools/inject_bugs.py (a minute or two; not in CI)."""
import subprocess, sys, time
BUGS = [
 ("B1 reduced-LSA fit: Gram index swapped (upper triangle filled, Cholesky reads the lower)", "src/training/training.ts",
  "for (let j = 0; j <= i; j++) gram[i * f + j] += phi[i] * phi[j];", "for (let j = 0; j <= i; j++) gram[j * f + i] += phi[i] * phi[j];"),
 ("B1b reduced-LSA fit: ridge guard 1e-12 -> 1e-2 of the mean diagonal", "src/training/training.ts",
  "gram[i * f + i] += 1e-12 * trace / f;", "gram[i * f + i] += 1e-2 * trace / f;"),
 ("B2 rate rho*: denominator 2 + m_lo + m_hi -> 1.9 + m_lo + m_hi", "src/model/reconstructed.ts",
  "return (high - low) / (2 + low + high);", "return (high - low) / (1.9 + low + high);"),
 ("B2b rate rho*: rhoStar reads rho at 0.99 alpha*", "src/theory/population.ts",
  "  return minimaxRate(low, high);\n}", "  return contractionRate(law, 0.99 * alphaStar(law));\n}"),
 ("B3 two-parameter optimum: Newton stops after 3 iterations", "src/theory/population.ts",
  "for (let iteration = 0; iteration < 2000 && current.value > 0; iteration++) {", "for (let iteration = 0; iteration < 3 && current.value > 0; iteration++) {"),
 ("B3b two-parameter optimum: returned beta off by one valley step (delta - alpha -> delta - 1.001 alpha)", "src/theory/population.ts",
  "          return { alpha, beta: delta - alpha, excess: LOADING2 * current.value };", "          return { alpha, beta: delta - 1.001 * alpha, excess: LOADING2 * current.value };"),
 ("B4 LSA gap: E[s(1+s)] -> E[s^2] in the denominator", "src/theory/population.ts",
  "const m2 = expectation(rule, (s) => s * (1 + s));\n  // m1 (m1 / m2)", "const m2 = expectation(rule, (s) => s * s);\n  // m1 (m1 / m2)"),
 ("B4b LSA gap: m1^2/m2 -> m1^2/(m2 + 0.05 m1)", "src/theory/population.ts",
  "(m2 > 0 ? m1 * (m1 / m2) : 0)", "(m2 > 0 ? m1 * (m1 / (m2 + 0.05 * m1)) : 0)"),
 ("B5 layers: closed-form LCA runs T + 1 layers", "src/model/predictors.ts",
  "    for (let k = 0; k < params.depth; k++) {\n      for (let a = 0; a < d; a++) sum[a] += r[a];", "    for (let k = 0; k <= params.depth; k++) {\n      for (let a = 0; a < d; a++) sum[a] += r[a];"),
 ("B5b layers: population residual c_T sums T - 1 terms (closed form u^T -> u^(T-1))", "src/theory/population.ts",
  "    return ((alpha + beta) / -beta - (alpha / -beta) * Math.pow(u, depth)) / (1 + s);", "    return ((alpha + beta) / -beta - (alpha / -beta) * Math.pow(u, depth - 1)) / (1 + s);"),
 ("B5c layers: term-by-term residual (the u ~ 1 fallback) sums T - 1 terms", "src/theory/population.ts",
  "  for (let k = 0; k < depth; k++) {\n    sum += power;\n    absoluteSum", "  for (let k = 1; k < depth; k++) {\n    sum += power;\n    absoluteSum"),
]
CLAIMS = {'B1 ': 'C1', 'B1b': 'C1', 'B2 ': 'C3,C4', 'B2b': 'C3,C4', 'B3 ': 'C6', 'B3b': 'C6', 'B4 ': 'C1,C2', 'B4b': 'C1,C2', 'B5 ': 'C2,C8,C9', 'B5b': 'C2,C3,C4,C5', 'B5c': 'C2,C3,C4,C5'}
ONLY = sys.argv[1:]
for name, path, old, new in BUGS:
    if ONLY and not any(name.startswith(o + ' ') for o in ONLY):
        continue
    which = [v for k, v in CLAIMS.items() if name.startswith(k)][0]
    src = open(path).read()
    if src.count(old) != 1:
        print(f"## {name}\nPATTERN NOT FOUND ({src.count(old)})\n", flush=True); continue
    open(path, "w").write(src.replace(old, new))
    try:
        t = time.time()
        r = subprocess.run(["npx", "-y", "deno@2.9.6", "run", "-A", "mod.ts", "verify", "--quick", "--seed", "0", "--claims", which], capture_output=True, text=True)
    finally:
        open(path, "w").write(src)
    fails = [l for l in r.stdout.splitlines() if "FAILS" in l or "claims hold" in l]
    print(f"## {name} (verify --quick --claims {which})\nexit {r.returncode}, {time.time()-t:.0f} s\n" + "\n".join(l[:300] for l in fails) + "\n", flush=True)
