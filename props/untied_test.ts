/**
 * Untied (full-matrix) LCA: the token-level attention and the statistics form agree to
 * rounding; A = alpha I, B = beta I is the tied model; the adjoint gradient matches
 * central finite differences; the prediction is equivariant under rotations
 * (A, B, data) -> (R A R^T, R B R^T, R data), so the population loss is invariant.
 *
 * Tolerances: rounding bounds gamma_k M with M the same computation on absolute values
 * (token form: per layer d + L + 2d + 5 operations, readout d + L + 2; statistics form from
 * `statisticsFromBatch`: L + 2 for the entries, then per layer 3d + 3, readout d + 2).
 *
 * @module
 */

import assert from "node:assert/strict";
import { fc, fcParameters } from "../testkit/config.ts";
import { absBatch, gamma, paramArb, sampleArb } from "./arbitraries_test.ts";
import { lcaPredict } from "../src/model/predictors.ts";
import { samplePromptStatistics, statisticsFromBatch } from "../src/model/prompt_statistics.ts";
import { samplePromptBatch } from "../src/model/task.ts";
import {
  rotateUntied,
  untiedFromTied,
  type UntiedLcaParameters,
  untiedLoss,
  untiedPredict,
  untiedTokenPredict,
} from "../src/model/untied.ts";
import { symmetricEigen } from "../src/numeric/linalg.ts";

/** Random untied parameters of dimension d and depth T (entries in [-0.4, 0.4]). */
function untiedArb(
  d: number,
  depth: number,
  layerwise: boolean,
): fc.Arbitrary<UntiedLcaParameters> {
  const size = (layerwise ? depth : 1) * d * d;
  const entries = fc.array(paramArb(-0.4, 0.4), { minLength: size, maxLength: size });
  return fc.tuple(entries, entries).map(([a, b]) => ({
    dim: d,
    depth,
    layerwise,
    a: Float64Array.from(a),
    b: Float64Array.from(b),
  }));
}

const caseArb = fc.record({
  options: sampleArb(3, 1, 10),
  depth: fc.integer({ min: 1, max: 4 }),
  layerwise: fc.boolean(),
}).chain((c) => {
  const d = (c.options.d1 ?? 2) + (c.options.d2 ?? 2);
  return untiedArb(d, c.depth, c.layerwise).map((params) => ({ ...c, params }));
});

function absParams(p: UntiedLcaParameters): UntiedLcaParameters {
  return { ...p, a: p.a.map(Math.abs), b: p.b.map(Math.abs) };
}

/** Token vs statistics form; `aError` perturbs A_11 of the statistics side (control). */
function formsAgree(
  c: { options: Parameters<typeof samplePromptBatch>[0]; params: UntiedLcaParameters },
  aError = 0,
): boolean {
  const batch = samplePromptBatch(c.options);
  const stats = statisticsFromBatch(batch);
  const token = untiedTokenPredict(batch, c.params);
  const perturbed = { ...c.params, a: Float64Array.from(c.params.a) };
  perturbed.a[0] += aError;
  const closed = untiedPredict(stats, perturbed);
  const major = untiedTokenPredict(absBatch(batch), absParams(c.params));
  const d = c.params.dim, L = batch.context, T = c.params.depth;
  const k = T * (3 * d + L + 5) + d + L + 2 + (L + 2) + T * (3 * d + 3) + d + 2;
  for (let n = 0; n < batch.prompts; n++) {
    if (!(Math.abs(token[n] - closed[n]) <= 2 * gamma(k) * major[n])) return false;
  }
  return true;
}

Deno.test("untied LCA: token-level attention equals the statistics form to rounding", () => {
  fc.assert(fc.property(caseArb, (c) => formsAgree(c)), fcParameters(60));
});

Deno.test("untied LCA control: A_11 off by 1e-6 breaks the agreement", () => {
  const out = fc.check(
    fc.property(caseArb.filter((c) => c.params.depth >= 1), (c) => formsAgree(c, 1e-6)),
    fcParameters(30),
  );
  assert.ok(out.failed, "a perturbed A was not detected");
});

Deno.test("untied LCA: A = alpha I, B = beta I is the tied LCA (to rounding)", () => {
  fc.assert(
    fc.property(
      sampleArb(3, 1, 10),
      paramArb(-0.6, 0.6),
      paramArb(-0.6, 0.3),
      fc.integer({ min: 1, max: 6 }),
      fc.boolean(),
      (options, alpha, beta, depth, layerwise) => {
        const stats = samplePromptStatistics(options);
        const d = stats.task.dim;
        const untied = untiedPredict(stats, untiedFromTied(alpha, beta, d, depth, layerwise));
        const tied = lcaPredict(stats, { alpha, beta, depth });
        const absStats = {
          ...stats,
          sigmaHat: stats.sigmaHat.map(Math.abs),
          muHat: stats.muHat.map(Math.abs),
          query: stats.query.map(Math.abs),
        };
        const major = untiedPredict(
          absStats,
          untiedFromTied(Math.abs(alpha), Math.abs(beta), d, depth),
        );
        const k = depth * (3 * d + 4) + 2 * d + 4;
        for (let n = 0; n < stats.prompts; n++) {
          if (!(Math.abs(untied[n] - tied[n]) <= 2 * gamma(k) * major[n])) return false;
        }
        return true;
      },
    ),
    fcParameters(60),
  );
});

/** Max relative deviation of the adjoint gradient from central differences. */
function gradientDeviation(
  c: { options: Parameters<typeof samplePromptStatistics>[0]; params: UntiedLcaParameters },
  corrupt = false,
): number {
  const stats = samplePromptStatistics({ ...c.options, prompts: 5 });
  const target = stats.queryLabel;
  const g = untiedLoss(stats, target, c.params);
  if (corrupt) g.b[0] *= 1.001;
  let worst = 0;
  for (const key of ["a", "b"] as const) {
    for (let i = 0; i < c.params[key].length; i++) {
      const h = 1e-5;
      const plus = { ...c.params, [key]: Float64Array.from(c.params[key]) };
      const minus = { ...c.params, [key]: Float64Array.from(c.params[key]) };
      plus[key][i] += h;
      minus[key][i] -= h;
      const fd = (untiedLoss(stats, target, plus).loss - untiedLoss(stats, target, minus).loss) /
        (2 * h);
      // Central differences: truncation O(h^2 f''') and rounding O(u f / h); scale by |g| + 1e-6.
      const dev = Math.abs(fd - g[key][i]) / (Math.abs(g[key][i]) + 1e-4 * (1 + g.loss));
      worst = Math.max(worst, dev);
    }
  }
  return worst;
}

Deno.test("untied LCA: adjoint gradient equals central finite differences", () => {
  fc.assert(
    fc.property(caseArb, (c) => gradientDeviation(c) <= 1e-5),
    fcParameters(25),
  );
});

Deno.test("untied LCA control: a gradient entry off by 0.1% is detected", () => {
  const out = fc.check(
    fc.property(caseArb, (c) => gradientDeviation(c, true) <= 1e-5),
    fcParameters(25),
  );
  assert.ok(out.failed, "a corrupted gradient was not detected");
});

/** A random rotation: the eigenvectors of a random symmetric matrix (orthogonal). */
const rotationArb = (d: number) =>
  fc.array(paramArb(-1, 1), { minLength: d * d, maxLength: d * d }).map((v) => {
    const s = new Float64Array(d * d);
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) s[r * d + c] = v[r * d + c] + v[c * d + r];
    }
    return symmetricEigen(s, d).vectors;
  });

function rotateStats(stats: ReturnType<typeof samplePromptStatistics>, R: Float64Array) {
  const d = stats.task.dim;
  const rot = (v: Float64Array) => {
    const out = new Float64Array(v.length);
    for (let n = 0; n < v.length / d; n++) {
      for (let r = 0; r < d; r++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += R[r * d + c] * v[n * d + c];
        out[n * d + r] = s;
      }
    }
    return out;
  };
  const sigma = new Float64Array(stats.sigmaHat.length);
  for (let n = 0; n < stats.prompts; n++) {
    const o = n * d * d;
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) {
        let s = 0;
        for (let a = 0; a < d; a++) {
          for (let b = 0; b < d; b++) {
            s += R[r * d + a] * stats.sigmaHat[o + a * d + b] * R[c * d + b];
          }
        }
        sigma[o + r * d + c] = s;
      }
    }
  }
  return { ...stats, sigmaHat: sigma, muHat: rot(stats.muHat), query: rot(stats.query) };
}

Deno.test("untied LCA: y_hat(R A R^T, R B R^T; R data) = y_hat(A, B; data) (rotation equivariance)", () => {
  const arb = caseArb.chain((c) => rotationArb(c.params.dim).map((R) => ({ ...c, R })));
  const check = (
    c: {
      options: Parameters<typeof samplePromptStatistics>[0];
      params: UntiedLcaParameters;
      R: Float64Array;
    },
    wrong: boolean,
  ) => {
    const stats = samplePromptStatistics(c.options);
    const base = untiedPredict(stats, c.params);
    const rotatedParams = rotateUntied(c.params, c.R);
    // Control: rotate the parameters but not the data.
    const rotated = untiedPredict(wrong ? stats : rotateStats(stats, c.R), rotatedParams);
    const absStats = {
      ...stats,
      sigmaHat: stats.sigmaHat.map(Math.abs),
      muHat: stats.muHat.map(Math.abs),
      query: stats.query.map(Math.abs),
    };
    const major = untiedPredict(absStats, absParams(c.params));
    const d = c.params.dim;
    // Rotations of the data and parameters: O(d^2) extra operations per entry, ||R|| = 1; the
    // majorant on absolute values grows by at most d^(2T+2) through the |R| entries.
    const k = 8 * (c.params.depth + 1) * (3 * d + 4);
    for (let n = 0; n < stats.prompts; n++) {
      const bound = gamma(k) * major[n] * d ** (c.params.depth + 2);
      if (!(Math.abs(base[n] - rotated[n]) <= bound + 1e-300)) return false;
    }
    return true;
  };
  fc.assert(fc.property(arb, (c) => check(c, false)), fcParameters(40));
  const control = fc.check(
    fc.property(arb.filter((c) => c.params.dim >= 2), (c) => check(c, true)),
    fcParameters(40),
  );
  assert.ok(control.failed, "rotating the parameters alone was not detected");
});
