import assert from "node:assert/strict";
import { solveDense } from "../../testkit/dense_solve.ts";
import fc from "npm:fast-check@^4";
import { FC_SEED } from "../../testkit/config.ts";
import {
  fitReducedWithErrors,
  fullLsaGammaWithErrors,
  regressionSettings,
  sampleRegression,
  samplingNote,
} from "./regression_fit.ts";
import { resolveCheck } from "./resolve_check.ts";
import { type PromptStatistics, samplePromptStatistics } from "../model/prompt_statistics.ts";

/** Regression-family statistics: the covariance diagonal, the label noise sigma, and sizes. */
function regressionStats(
  covariance: number[],
  sigma: number,
  sizes: { prompts: number; context: number; seed: number; stream?: number },
): PromptStatistics {
  return samplePromptStatistics({ family: "regression", covariance, sigma, ...sizes });
}

/** The columns of the inverse of a square matrix, by one solve per unit vector (reference). */
function inverseColumns(matrix: number[][]): number[][] {
  const size = matrix.length;
  return Array.from(
    { length: size },
    (_, j) => solveDense(matrix, Array.from({ length: size }, (_, i) => (i === j ? 1 : 0))),
  );
}

/** Features phi_n = x_q (x) mu_hat of every prompt (reference, as rows). */
function features(stats: PromptStatistics): number[][] {
  const d = stats.task.dim;
  return Array.from({ length: stats.prompts }, (_, n) => {
    const row: number[] = [];
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) row.push(stats.query[n * d + a] * stats.muHat[n * d + b]);
    }
    return row;
  });
}

/**
 * The sandwich of a least-squares fit by explicit inverse columns (reference): Gamma_hat by
 * the normal equations, leverages h_n = phi_n^T G^{-1} phi_n and
 * SE_i^2 = [G^{-1} (sum w_n r_n^2 phi phi^T) G^{-1}]_ii with the HC3 weight
 * w_n = 1 / (1 - min(h_n, cap))^2 (cap 0.5), or w_n = 1 with `hc0`.
 */
function sandwichReference(
  phi: number[][],
  target: ArrayLike<number>,
  options: { cap?: number; hc0?: boolean } = {},
): { gamma: number[]; se: number[]; leverages: number[] } {
  const f = phi[0].length;
  const gram = Array.from(
    { length: f },
    (_, i) => Array.from({ length: f }, (_, j) => phi.reduce((s, p) => s + p[i] * p[j], 0)),
  );
  const rhs = Array.from({ length: f }, (_, i) => phi.reduce((s, p, n) => s + p[i] * target[n], 0));
  const gamma = solveDense(gram, rhs);
  const inverse = inverseColumns(gram);
  const meat = Array.from({ length: f }, () => new Array(f).fill(0));
  const leverages: number[] = [];
  phi.forEach((p, n) => {
    const r = p.reduce((s, v, i) => s + v * gamma[i], 0) - target[n];
    let h = 0;
    for (let i = 0; i < f; i++) for (let j = 0; j < f; j++) h += p[i] * inverse[j][i] * p[j];
    leverages.push(h);
    const w = options.hc0 ? 1 : 1 / (1 - Math.min(h, options.cap ?? 0.5)) ** 2;
    for (let i = 0; i < f; i++) for (let j = 0; j < f; j++) meat[i][j] += w * r * r * p[i] * p[j];
  });
  const se = Array.from({ length: f }, (_, i) => {
    let v = 0;
    for (let a = 0; a < f; a++) {
      for (let b = 0; b < f; b++) v += inverse[a][i] * meat[a][b] * inverse[b][i];
    }
    return Math.sqrt(v);
  });
  return { gamma, se, leverages };
}

Deno.test("fitReducedWithErrors: HC3 sandwich standard errors, recomputed independently", () => {
  // Control: the plain (HC0) sandwich is smaller, by more than the tolerance, so the weights
  // are not a no-op.
  const stats = regressionStats([0.25, 1], 0.3, { prompts: 60, context: 6, seed: 4 });
  const phi = features(stats);
  const { gamma, se: hc3 } = sandwichReference(phi, stats.queryLabel);
  const hc0 = sandwichReference(phi, stats.queryLabel, { hc0: true }).se;
  const fit = fitReducedWithErrors(stats, stats.queryLabel);
  for (let i = 0; i < 4; i++) {
    assert.ok(Math.abs(fit.gamma[i] - gamma[i]) <= 1e-9 * Math.abs(gamma[i]), `gamma ${i}`);
    assert.ok(Math.abs(fit.standardError[i] / hc3[i] - 1) <= 1e-9, `SE ${i}`);
    assert.ok(hc3[i] / hc0[i] - 1 > 1e-3, `control: HC3 above HC0 at ${i}`);
  }
});

Deno.test("fitReducedWithErrors: leverages above 0.5 are capped (weight 4), d = 3, non-label target", () => {
  // 12 prompts for 9 features: mean leverage 0.75, so most weights are capped. Control: the
  // uncapped weights 1 / (1 - h)^2 give standard errors larger by more than the tolerance.
  const stats = regressionStats([0.5, 1, 2], 0.5, { prompts: 12, context: 5, seed: 11 });
  const d = 3;
  const target = Array.from({ length: stats.prompts }, (_, n) => stats.queryLabel[n] + 0.1 * n);
  const phi = features(stats);
  const reference = sandwichReference(phi, target);
  assert.ok(reference.leverages.filter((h) => h > 0.5).length >= 3, "leverages above the cap");
  const uncapped = sandwichReference(phi, target, { cap: 0.999999 });
  const fit = fitReducedWithErrors(stats, target);
  for (let i = 0; i < d * d; i++) {
    const scale = Math.max(...reference.gamma.map(Math.abs));
    assert.ok(Math.abs(fit.gamma[i] - reference.gamma[i]) <= 1e-8 * scale, `gamma ${i}`);
    assert.ok(Math.abs(fit.standardError[i] / reference.se[i] - 1) <= 1e-8, `SE ${i}`);
    assert.ok(uncapped.se[i] / reference.se[i] - 1 > 1e-3, `control: uncapped SE at ${i}`);
  }
});

/**
 * The delta-method sandwich of a full LSA by an independent route (reference): the Jacobian of
 * y_hat = p^T G K x_q by central differences (exact up to rounding: y_hat is linear in each
 * coordinate), A = J^T J, and its pseudo-inverse as (A + v v^T)^{-1} - v v^T with v the unit
 * rescaling direction (p, -K) (A v = 0 exactly, and the only null direction for generic p, K
 * and enough prompts); the meat with HC3 weights and, for controls, with unit weights (HC0).
 */
function deltaMethodReference(
  stats: PromptStatistics,
  p: number[],
  k: number[],
): { pinv: (i: number, j: number) => number; meat: number[][]; plainMeat: number[][] } {
  const d = stats.task.dim, e = d + 1, size = e + e * d, N = stats.prompts;
  const predict = (theta: number[], n: number) => {
    const g = (r: number, c: number) =>
      r < d && c < d
        ? stats.sigmaHat[n * d * d + r * d + c]
        : r === d && c === d
        ? stats.meanY2[n]
        : stats.muHat[n * d + (r < d ? r : c)];
    let y = 0;
    for (let r = 0; r < e; r++) {
      for (let c = 0; c < e; c++) {
        let kx = 0;
        for (let a = 0; a < d; a++) kx += theta[e + c * d + a] * stats.query[n * d + a];
        y += theta[r] * g(r, c) * kx;
      }
    }
    return y;
  };
  const theta = [...p, ...k];
  const jac = Array.from({ length: N }, (_, n) =>
    theta.map((_, u) => {
      const up = [...theta], down = [...theta];
      up[u] += 0.5;
      down[u] -= 0.5;
      return predict(up, n) - predict(down, n);
    }));
  const residual = Array.from({ length: N }, (_, n) => predict(theta, n) - stats.queryLabel[n]);
  const norm = Math.hypot(...p, ...k);
  const v = [...p, ...k.map((x) => -x)].map((x) => x / norm);
  const a = Array.from(
    { length: size },
    (_, i) =>
      Array.from(
        { length: size },
        (_, j) => jac.reduce((s, row) => s + row[i] * row[j], 0) + v[i] * v[j],
      ),
  );
  const columns = inverseColumns(a);
  const pinv = (i: number, j: number) => columns[j][i] - v[i] * v[j];
  const meat = Array.from({ length: size }, () => new Array(size).fill(0));
  const plainMeat = Array.from({ length: size }, () => new Array(size).fill(0));
  jac.forEach((row, n) => {
    let h = 0;
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) h += row[i] * pinv(i, j) * row[j];
    const w = 1 / (1 - Math.min(Math.max(h, 0), 0.5)) ** 2;
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        meat[i][j] += w * residual[n] ** 2 * row[i] * row[j];
        plainMeat[i][j] += residual[n] ** 2 * row[i] * row[j];
      }
    }
  });
  return { pinv, meat, plainMeat };
}

Deno.test("fullLsaGammaWithErrors: Gamma = p_{d+1} K and delta-method HC3 errors, recomputed independently", () => {
  // Against deltaMethodReference (central differences and an explicit pseudo-inverse).
  const stats = regressionStats([0.5, 2], 0.4, { prompts: 40, context: 7, seed: 21 });
  const d = 2, e = 3, size = e + e * d;
  const p = [0.3, -0.2, 0.9];
  const k = [0.8, 0.1, -0.3, 0.6, 0.05, -0.15];
  const { pinv, meat, plainMeat } = deltaMethodReference(stats, p, k);
  const fit = fullLsaGammaWithErrors(stats, stats.queryLabel, p, k);
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      assert.equal(fit.gamma[r * d + c], p[d] * k[r * d + c], `gamma ${r},${c}`);
      const g = new Array(size).fill(0);
      g[d] = k[r * d + c];
      g[e + r * d + c] = p[d];
      const h = Array.from(
        { length: size },
        (_, i) => g.reduce((s, gj, j) => s + pinv(i, j) * gj, 0),
      );
      let variance = 0, plainVariance = 0;
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          variance += h[i] * meat[i][j] * h[j];
          plainVariance += h[i] * plainMeat[i][j] * h[j];
        }
      }
      const se = Math.sqrt(variance);
      assert.ok(se > 0, `SE ${r},${c} positive`);
      assert.ok(
        Math.abs(fit.standardError[r * d + c] / se - 1) <= 1e-7,
        `SE ${r},${c}: ${fit.standardError[r * d + c]} against ${se}`,
      );
      // Control: the HC0 sandwich differs by far more than the tolerance.
      assert.ok(
        Math.abs(fit.standardError[r * d + c] / Math.sqrt(plainVariance) - 1) > 1e-4,
        `control: HC0 at ${r},${c}`,
      );
    }
  }
});

Deno.test("fullLsaGammaWithErrors: a target it fits exactly has zero standard errors", () => {
  // With the LSA's own predictions as the target every residual is 0, so is the meat.
  const stats = regressionStats([1, 1], 0, { prompts: 10, context: 4, seed: 3 });
  const p = [0, 0, 1], k = [0.5, 0, 0, 0.5, 0, 0];
  // y_hat = p^T G K x_q = mu_hat^T (0.5 I) x_q for this p, K (the K row d is 0).
  const target = Array.from({ length: stats.prompts }, (_, n) => {
    let s = 0;
    for (let a = 0; a < 2; a++) s += 0.5 * stats.muHat[n * 2 + a] * stats.query[n * 2 + a];
    return s;
  });
  const fit = fullLsaGammaWithErrors(stats, target, p, k);
  assert.deepEqual([...fit.gamma], [0.5, 0, 0, 0.5]);
  for (const se of fit.standardError) assert.ok(se <= 1e-12, `SE ${se}`);
  const off = fullLsaGammaWithErrors(stats, target.map((t) => t + 0.1), p, k);
  assert.ok(off.standardError.some((se) => se > 1e-3), "control: residuals 0.1 give errors");
});

Deno.test("regressionSettings: documented ranges, quarter-grid covariances and the identity option", () => {
  fc.assert(
    fc.property(regressionSettings(), (s) => {
      assert.ok(s.covariance.length >= 2 && s.covariance.length <= 4, `d ${s.covariance.length}`);
      for (const c of s.covariance) {
        assert.ok(Number.isInteger(c * 4) && c >= 0.25 && c <= 4, `${c}`);
      }
      assert.ok(Number.isInteger(s.context) && s.context >= 3 && s.context <= 40, `L ${s.context}`);
      assert.ok(Number.isInteger(s.sigma * 20) && s.sigma >= 0 && s.sigma <= 1, `sigma ${s.sigma}`);
      assert.ok(Number.isInteger(s.seed) && s.seed >= 0 && s.seed <= 0xffffffff, `seed ${s.seed}`);
    }),
    { seed: FC_SEED, numRuns: 200 },
  );
  const options = { dMin: 3, dMax: 3, lMin: 50, lMax: 60, identity: true };
  fc.assert(
    fc.property(regressionSettings(options), (s) => {
      assert.deepEqual(s.covariance, [1, 1, 1]);
      assert.ok(s.context >= 50 && s.context <= 60, `L ${s.context}`);
    }),
    { seed: FC_SEED, numRuns: 50 },
  );
  // The ends of every range are reached (the arbitrary is not narrower than documented).
  const drawn = fc.sample(regressionSettings(), { seed: FC_SEED, numRuns: 3000 });
  const dims = new Set(drawn.map((s) => s.covariance.length));
  assert.deepEqual([...dims].sort(), [2, 3, 4]);
  const values = drawn.flatMap((s) => s.covariance);
  assert.equal(Math.min(...values), 0.25);
  assert.equal(Math.max(...values), 4);
  assert.equal(Math.min(...drawn.map((s) => s.context)), 3);
  assert.equal(Math.max(...drawn.map((s) => s.context)), 40);
  assert.equal(Math.min(...drawn.map((s) => s.sigma)), 0);
  assert.equal(Math.max(...drawn.map((s) => s.sigma)), 1);
  // Seeds span the u32 range (half of them above 2^31 - 1, fast-check's default maximum).
  assert.ok(drawn.filter((s) => s.seed > 0x7fffffff).length > 1000, "seeds above 2^31");
});

Deno.test("sampleRegression: the CPU backend's sampler with the regression family; others on the host", async () => {
  const setting = { covariance: [0.5, 2], context: 6, sigma: 0.2, seed: 9 };
  const requested: unknown[] = [];
  const cpu = resolveCheck();
  const spy = {
    ...cpu,
    sample: (options: Parameters<typeof cpu.sample>[0]) => {
      requested.push(options);
      return cpu.sample(options);
    },
  };
  const onCpu = await sampleRegression(spy, setting, 7, 3);
  assert.deepEqual(requested, [{
    family: "regression",
    covariance: [0.5, 2],
    sigma: 0.2,
    prompts: 7,
    context: 6,
    seed: 9,
    stream: 3,
  }]);
  const direct = regressionStats([0.5, 2], 0.2, { prompts: 7, context: 6, seed: 9, stream: 3 });
  assert.deepEqual([...onCpu.queryLabel], [...direct.queryLabel]);
  assert.notDeepEqual(
    [...(await sampleRegression(spy, setting, 7, 2)).queryLabel],
    [...direct.queryLabel],
    "control: another stream",
  );
  // Another backend: its sampler is not called; the host samples the same prompts.
  const gpu = {
    ...spy,
    backend: { name: "webgpu", adapter: "test", precision: "float32" },
    sample: () => Promise.reject(new Error("the backend's sampler must not be called")),
  };
  const onHost = await sampleRegression(gpu, setting, 7, 3);
  assert.deepEqual([...onHost.queryLabel], [...direct.queryLabel]);
  assert.equal(samplingNote(cpu), "prompts sampled by the cpu backend");
  assert.equal(
    samplingNote(gpu),
    "prompts sampled on the host in float64 (the webgpu kernels sample only the paper's family)",
  );
});
