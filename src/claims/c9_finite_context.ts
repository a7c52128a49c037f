/**
 * C9: at a fixed finite test context L_te, deep LCA tends to in-context OLS,
 * not to the Bayes predictor; prompts with lambda_max(Sigma_hat) > 2/alpha
 * diverge; with exact task statistics (L_te = infinity) it tends to Bayes, so
 * limits must take L_te before T.
 *
 * In the eigenbasis of Sigma_hat, LCA_T - OLS = -sum_j w_j (1 - alpha lambda_j)^T / lambda_j.
 *
 * @module
 */

import fc from "npm:fast-check@^4";
import { alphaStar, contractionRate } from "../theory/population.ts";
import { lcaExcess } from "../theory/lca_excess.ts";
import { bayesPredict, lcaPredict, olsPredict } from "../model/predictors.ts";
import { estimateMean } from "../model/risk.ts";
import {
  type PromptStatistics,
  type SpectralStatistics,
  spectralStatistics,
} from "../model/prompt_statistics.ts";
import { lawArbitrary, taskArbitrary } from "./law_arbitraries.ts";
import { stablePrompts } from "./stable_prompts.ts";
import type { ClaimPart } from "./claim_part.ts";
import type { ClaimResult } from "./claim_result.ts";
import { expect } from "./expect.ts";
import { fmt } from "./format_number.ts";
import { Gauge } from "./gauge.ts";
import { propertyPart } from "./property_part.ts";
import type { CheckOptions, ResolvedCheck } from "./resolve_check.ts";
import { WorstCase } from "./worst_case.ts";
import { type Claim, type ClaimPartsOutput, defineClaim } from "./define.ts";
import { bonferroniZ, summationErrorBound } from "./margins.ts";
import { excessRoundingTerm } from "./float32_forward_bound.ts";
import { type Evaluated, float32MarginNote } from "./model_evaluation.ts";

/** Claim metadata. */
export const C9 = {
  id: "C9",
  title: "Finite context",
  theorem: "Finite context (order of limits)",
  statement: "At fixed L_te and large T, LCA tends to in-context OLS, not Bayes, and diverges " +
    "where lambda_max(Sigma_hat) > 2/alpha; the limits must take L_te before T.",
} as const;

/** C9 negative-control hooks. */
export interface C9Controls {
  /** Test context of the OLS part (Infinity makes OLS the Bayes predictor, so "not Bayes" must fail). */
  context?: number;
  /**
   * Depth of the OLS part (default 200). With `context: Infinity` a depth such as 10 keeps
   * E[(LCA_T - Bayes)^2] = E_T(alpha*) far above rounding, so the statistical test decides.
   */
  depth?: number;
  /** Test context of the exact-statistics part (default Infinity; finite: LCA_T -> OLS, not Bayes). */
  exactContext?: number;
  /** The later depth of the divergence part (default 200; 50 equals the earlier one: no growth). */
  lateDepth?: number;
  /**
   * Replaces E_T(alpha*), the level the excess over Bayes must exceed by a margin, given the
   * measured excess and the margin (e.g. excess - 2 margins: 1 margin of slack, so a shift of
   * 3 margins fails at any seed; the true slack is 1-10 margins depending on the draws).
   */
  excessTarget?: (excess: number, margin: number) => number;
  /**
   * Moves OLS by this many of each prompt's bound in check (i) of `tends-to-ols-not-bayes`
   * (power control of |LCA_T - OLS| <= bound; 3 must fail).
   */
  olsShift?: number;
  /**
   * Moves LCA_200 by this many of each stable prompt's bound in `diverges-beyond-2-over-alpha`
   * (power control of the converging side; 3 must fail).
   */
  stableShift?: number;
}

/**
 * Check (i) of `tends-to-ols-not-bayes`: per prompt, |LCA_T - OLS| =
 * |sum_j w_j (1 - alpha lambda_j)^T / lambda_j| <= 0.9^T sum_j |w_j| / lambda_j (plus
 * rounding of the T-step recursion, and the float32 bound b_n of a kernel's evaluation).
 * Returns the worst gap/bound and the rounding floor.
 */
function expectLcaNearOls(
  stats: PromptStatistics,
  kept: SpectralStatistics,
  evaluated: Evaluated,
  least: Float64Array,
  d: number,
  olsDepth: number,
  olsShift: number | undefined,
): { worstRatio: number; roundingFloor: number } {
  const lca = evaluated.predictions;
  let worstRatio = 0;
  let roundingFloor = 0; // mean squared rounding error of LCA_T: below it, nothing is resolved
  for (let n = 0; n < stats.prompts; n++) {
    let weights = 0;
    for (let j = 0; j < d; j++) {
      weights += Math.abs(kept.weight[n * d + j]) / kept.lambda[n * d + j];
    }
    const bound = 0.9 ** olsDepth * weights +
      summationErrorBound(
        4 * olsDepth * d,
        Math.abs(lca[n]) + Math.abs(least[n]) + weights,
      ) + (evaluated.bound === null ? 0 : evaluated.bound[n]);
    roundingFloor += summationErrorBound(4 * olsDepth * d, Math.abs(lca[n]) + weights) ** 2 /
      stats.prompts;
    const gap = Math.abs(lca[n] - (least[n] + (olsShift ?? 0) * bound));
    worstRatio = Math.max(worstRatio, gap / bound);
    expect(gap <= bound, () => `prompt ${n}: |LCA_T - OLS| = ${gap} > ${bound}`);
  }
  return { worstRatio, roundingFloor };
}

/** (a) Stable prompts: LCA_T equals OLS up to 0.9^T, and OLS is measurably not Bayes. */
async function olsNotBayesPart(check: ResolvedCheck, controls: C9Controls): Promise<ClaimPart> {
  const prompts = check.size === "quick" ? 2000 : 8000;
  const olsDepth = controls.depth ?? 200;
  const runs = check.size === "quick" ? 4 : 16;
  const z = bonferroniZ(runs);
  const ols = new WorstCase();
  // "Significantly above": measured >= (E_T + 2 margin) - margin, i.e. E_T + margin.
  const olsGauge = new Gauge(check, "tends-to-ols-not-bayes", "at-least");
  check.progress("C9: LCA_T -> OLS at finite L_te");
  return await propertyPart(
    check,
    C9.id,
    "tends-to-ols-not-bayes",
    fc.record({ task: taskArbitrary(lawArbitrary), factor: fc.integer({ min: 4, max: 8 }) }),
    async ({ task, factor }) => {
      const d = task.d1 + task.d2;
      const context = controls.context ?? factor * d;
      const all = await check.sample({ ...task, prompts, context, stream: 4 });
      const alpha = alphaStar(task.law);
      const stats = stablePrompts(all, alpha);
      fc.pre(stats.prompts >= 200);
      const evaluated = await check.evaluate.lca(stats, { alpha, beta: -alpha, depth: olsDepth });
      const lca = evaluated.predictions;
      const least = olsPredict(stats);
      const bayes = bayesPredict(stats);
      const kept = spectralStatistics(stats);
      // (i) Per prompt, |LCA_T - OLS| <= 0.9^T sum_j |w_j| / lambda_j (+ rounding).
      const { worstRatio, roundingFloor } = expectLcaNearOls(
        stats,
        kept,
        evaluated,
        least,
        d,
        olsDepth,
        controls.olsShift,
      );
      // (ii) The excess over Bayes is E[(y_hat - w^T x_q)^2] (Bayes = E[y | x_q, task]):
      //      it must exceed the population E_T(alpha*) (what L_te = inf would give).
      const squared = new Float64Array(stats.prompts);
      for (let n = 0; n < stats.prompts; n++) squared[n] = (lca[n] - bayes[n]) ** 2;
      const overBayes = estimateMean(squared);
      // float32 kernels: + the derived bound of their rounding on the mean square (0 on the host)
      const margin = z * overBayes.standardError + roundingFloor +
        excessRoundingTerm(lca, bayes, evaluated.bound);
      const population = controls.excessTarget
        ? controls.excessTarget(overBayes.mean, margin)
        : lcaExcess(task.law, { alpha, beta: -alpha, depth: olsDepth });
      ols.record(
        -(overBayes.mean - population) / (z * overBayes.standardError),
        `L_te=${context}: |LCA_T - OLS|/bound <= ${fmt(worstRatio, 2)}; excess over Bayes ${
          fmt(overBayes.mean)
        } ± ${fmt(overBayes.standardError, 2)} vs E_T ${
          fmt(population, 2)
        } (${stats.prompts} stable prompts)`,
      );
      expect(
        olsGauge.compare(overBayes.mean, population + 2 * margin, margin),
        () =>
          `LCA_T not distinguishable from Bayes at L_te=${context}, T=${olsDepth}: ` +
          `${overBayes.mean} ± ${overBayes.standardError} vs E_T ${population} ` +
          `(z SE ${z * overBayes.standardError}, rounding floor ${roundingFloor})`,
      );
    },
    {
      measured: () => `least significant: ${ols.text}`,
      target:
        "LCA_T = OLS on every stable prompt; E[(LCA_T - Bayes)^2] > E_T(alpha*) at L_te in [4d, 8d], T = 200",
      margin:
        `0.9^T sum|w|/lambda + rounding; ${
          fmt(z, 3)
        } SE (Bonferroni over ${runs}) + rounding floor; one-sided (significantly above E_T); ` +
        "numeric fields: target = E_T + 2 margin, lower limit E_T + margin" +
        float32MarginNote(check.evaluate, "LCA_T"),
      numRuns: runs,
      gauge: olsGauge,
    },
  );
}

/**
 * The per-prompt checks of `diverges-beyond-2-over-alpha`: |LCA_T - OLS| grows from T = 50
 * to the late depth where max_j |1 - alpha lambda_j| >= 1.1 (with weight on those terms), and
 * stays within 2 (0.9)^50 sum |w|/lambda of OLS where it is <= 0.9. Returns the counts.
 */
function expectDivergence(
  spectral: SpectralStatistics,
  prompts: number,
  d: number,
  alpha: number,
  predictions: { early: Float64Array; late: Float64Array; least: Float64Array },
  stableShift: number | undefined,
): { unstable: number; stable: number } {
  const { early, late, least } = predictions;
  let unstable = 0, stable = 0;
  for (let n = 0; n < prompts; n++) {
    let worst = 0, unstableWeight = 0, totalWeight = 0;
    for (let j = 0; j < d; j++) {
      const lambda = spectral.lambda[n * d + j];
      const rate = Math.abs(1 - alpha * lambda);
      worst = Math.max(worst, rate);
      const weight = lambda > 1e-12 ? Math.abs(spectral.weight[n * d + j]) / lambda : 0;
      totalWeight += weight;
      if (rate >= 1.1) unstableWeight += weight;
    }
    const gapEarly = Math.abs(early[n] - least[n]);
    const gapLate = Math.abs(late[n] - least[n]);
    if (worst >= 1.1 && unstableWeight >= 1e-6 * totalWeight) {
      // The unstable terms grow by >= 1.1^150 = 1.6e6 between T = 50 and 200.
      unstable++;
      expect(
        gapLate > gapEarly,
        () => `prompt ${n} (rate ${worst}) did not diverge: ${gapEarly} -> ${gapLate}`,
      );
    } else if (worst <= 0.9) {
      stable++;
      const bound = 2 * 0.9 ** 50 * totalWeight +
        summationErrorBound(200 * d, Math.abs(early[n]) + totalWeight);
      const moved = Math.abs(late[n] + (stableShift ?? 0) * bound - least[n]);
      expect(
        moved <= bound,
        () => `stable prompt ${n} moved away from OLS: ${moved} > ${bound}`,
      );
    }
  }
  return { unstable, stable };
}

/** (b) Divergence exactly where max_j |1 - alpha lambda_j| > 1. */
async function divergencePart(check: ResolvedCheck, controls: C9Controls): Promise<ClaimPart> {
  const divergence = new WorstCase();
  check.progress("C9: divergence where lambda_max > 2/alpha");
  return await propertyPart(
    check,
    C9.id,
    "diverges-beyond-2-over-alpha",
    fc.record({ task: taskArbitrary(lawArbitrary), extra: fc.integer({ min: 1, max: 4 }) }),
    async ({ task, extra }) => {
      const d = task.d1 + task.d2;
      const stats = await check.sample({
        ...task,
        prompts: 400,
        context: d + extra,
        stream: 5,
      });
      const spectral = spectralStatistics(stats);
      const alpha = alphaStar(task.law);
      // On the host in float64 on every backend: the diverging prompts grow like
      // |1 - alpha lambda|^200, past float32's range (3.4e38), so a float32 kernel cannot
      // represent what this part checks.
      const early = lcaPredict(stats, { alpha, beta: -alpha, depth: 50 });
      const late = lcaPredict(stats, {
        alpha,
        beta: -alpha,
        depth: controls.lateDepth ?? 200,
      });
      const least = olsPredict(stats);
      const { unstable, stable } = expectDivergence(
        spectral,
        stats.prompts,
        d,
        alpha,
        { early, late, least },
        controls.stableShift,
      );
      fc.pre(unstable >= 1);
      divergence.record(
        -unstable,
        `${unstable} diverging and ${stable} converging prompts in the last run`,
      );
    },
    {
      measured: () => divergence.text,
      target: "|LCA_T - OLS| grows from T=50 to 200 iff max |1 - alpha lambda| >= 1.1; " +
        "<= 2 (0.9)^50 sum |w|/lambda when <= 0.9",
      margin: "exact spectral bounds + rounding",
      numRuns: check.size === "quick" ? 6 : 30,
    },
  );
}

/**
 * The bound of `exact-statistics-tend-to-bayes` on prompt n: rho^T sum_j |w_j|/lambda_j plus
 * the error of statistics sampled in float32 plus float64 rounding.
 */
function exactStatisticsBound(
  check: ResolvedCheck,
  stats: PromptStatistics,
  spectral: SpectralStatistics,
  n: number,
  d: number,
  at: { lca: Float64Array; bayes: Float64Array; rho: number; depth: number },
): number {
  const { lca, bayes, rho, depth } = at;
  let weights = 0;
  for (let j = 0; j < d; j++) {
    weights += Math.abs(spectral.weight[n * d + j]) / spectral.lambda[n * d + j];
  }
  // Statistics sampled in float32 (WebGPU) are exact only to its unit roundoff: Sigma_hat,
  // mu_hat and the task carry relative errors ~2^-24, which the solve amplifies by at most
  // the condition number 1 + s of Sigma = I + m m^T (once more through 1/(1 + s) in w);
  // |x_q| |mu_hat| bounds every product that enters, whatever the cancellation.
  let qq = 0, mm = 0;
  for (let j = 0; j < d; j++) {
    qq += stats.query[n * d + j] ** 2;
    mm += stats.muHat[n * d + j] ** 2;
  }
  const sampled = check.backend.precision === "float32"
    ? 8 * d * (1 + stats.strength[n]) ** 2 * 2 ** -24 * Math.sqrt(qq * mm)
    : 0;
  // Rounding: the T-step recursion and the exact statistics themselves (|m|^2 = s only to
  // a few u, so Sigma_hat^{-1} mu_hat and w differ by ~u |x_q| |m|) err relative to the
  // products |x_q| |mu_hat| (1 + s), not to |w^T x_q|, which can cancel (calibrate found
  // prompts with |LCA_T - Bayes| = 4e-17 above a bound scaled by |w^T x_q|).
  const scale = Math.abs(lca[n]) + Math.abs(bayes[n]) + weights +
    (1 + stats.strength[n]) * Math.sqrt(qq * mm);
  return rho ** depth * weights + sampled +
    summationErrorBound(4 * depth * d, scale);
}

/**
 * (c) Order of limits: with exact statistics LCA_T -> Bayes on every prompt (none diverges):
 * LCA_T - Bayes = -sum_j w_j (1 - alpha lambda_j)^T / lambda_j with lambda in {1, 1 + s}.
 */
async function exactStatisticsPart(
  check: ResolvedCheck,
  controls: C9Controls,
): Promise<ClaimPart> {
  const quick = check.size === "quick";
  const depth = 200;
  const exact = new WorstCase();
  const exactGauge = new Gauge(check, "exact-statistics-tend-to-bayes", "at-most", {
    statistical: false,
  });
  const exactContext = controls.exactContext ?? Infinity;
  return await propertyPart(
    check,
    C9.id,
    "exact-statistics-tend-to-bayes",
    taskArbitrary(lawArbitrary),
    async (task) => {
      const d = task.d1 + task.d2;
      const stats = await check.sample({
        ...task,
        prompts: quick ? 500 : 2000,
        context: exactContext,
        stream: 6,
      });
      const alpha = alphaStar(task.law);
      const evaluated = await check.evaluate.lca(stats, { alpha, beta: -alpha, depth });
      const lca = evaluated.predictions;
      const bayes = bayesPredict(stats);
      const spectral = spectralStatistics(stats);
      const rho = contractionRate(task.law, alpha);
      let worstRatio = 0;
      for (let n = 0; n < stats.prompts; n++) {
        const bound = exactStatisticsBound(check, stats, spectral, n, d, {
          lca,
          bayes,
          rho,
          depth,
        }) + (evaluated.bound === null ? 0 : evaluated.bound[n]);
        const gap = Math.abs(lca[n] - bayes[n]);
        worstRatio = Math.max(worstRatio, gap / bound);
        expect(
          exactGauge.compare(gap, 0, bound),
          () => `prompt ${n}: |LCA_T - Bayes| = ${gap} > ${bound} at L_te = ${exactContext}`,
        );
      }
      exact.record(worstRatio, `max |LCA_T - Bayes| / bound = ${fmt(worstRatio, 3)}`);
    },
    {
      measured: () => exact.text,
      target: "at L_te = inf, T = 200: |LCA_T - w^T x_q| <= rho*^T sum_j |w_j|/lambda_j on every " +
        "prompt (one-sided bound)",
      margin: "exact spectral bound + float64 rounding gamma_{4Td} (|LCA_T| + |w^T x_q| + " +
        "sum |w|/lambda + (1 + s) |x_q| |mu_hat|) (+ 8 d (1 + s) " +
        "2^-24 |x_q| |mu_hat| (1 + s) for statistics sampled in float32)" +
        float32MarginNote(check.evaluate, "LCA_T"),
      numRuns: quick ? 4 : 16,
      gauge: exactGauge,
    },
  );
}

/** Computes the C9 parts: (a) OLS not Bayes, (b) divergence, (c) exact statistics. */
async function c9Parts(
  check: ResolvedCheck,
  controls: C9Controls = {},
): Promise<ClaimPartsOutput> {
  return [
    await olsNotBayesPart(check, controls),
    await divergencePart(check, controls),
    await exactStatisticsPart(check, controls),
  ];
}

/**
 * C9 as a claim (group `paper`).
 *
 * @example Check C9 at quick size
 * ```ts
 * import assert from "node:assert/strict";
 * import { C9_CLAIM } from "./c9_finite_context.ts";
 * assert.equal(C9_CLAIM.id, "C9");
 * const result = await C9_CLAIM.check({ size: "quick", seed: 0 });
 * assert.equal(result.passed, true);
 * assert.deepEqual(result.parts.map((part) => part.name), [
 *   "tends-to-ols-not-bayes",
 *   "diverges-beyond-2-over-alpha",
 *   "exact-statistics-tend-to-bayes",
 * ]);
 * ```
 */
export const C9_CLAIM: Claim<C9Controls> = defineClaim<C9Controls>({
  ...C9,
  group: "paper",
  parts: c9Parts,
});

/** Runs the C9 check (see {@linkcode C9_CLAIM}). */
export function checkC9(
  options: CheckOptions & { controls?: C9Controls } = {},
): Promise<ClaimResult> {
  return C9_CLAIM.check(options);
}
