/**
 * C6 (two-parameter theorem): from beta_0 in the stability range
 * (-2/(1+m_hi), 0) and alpha_0 = alpha*(beta_0), training on the population
 * loss reaches the two-parameter optimum, and along T the trained
 * beta_T -> -alpha* and alpha_T/(-beta_T) -> 1.
 *
 * Training here is damped Newton (second order) from the paper's initialisation:
 * the valley along alpha = -beta is so ill-conditioned (up to 1e20 at moderate T)
 * that first-order descent stalls in float64. The limit, not the path, is the claim.
 *
 * @module
 */

import fc from "npm:fast-check@^4";
import type { Arbitrary } from "npm:fast-check@^4";
import { lawSupport, type SpikeLaw } from "../model/law.ts";
import { alphaStar, zeroPredictorExcess } from "../theory/population.ts";
import { bestAlphaForBeta, lcaExcess } from "../theory/lca_excess.ts";
import { twoParameterOptimum } from "../theory/two_parameter_optimum.ts";
import {
  bayesTarget,
  type SpectralStatistics,
  spectralStatistics,
} from "../model/prompt_statistics.ts";
import { empiricalBestAlpha } from "../training/lca_objective.ts";
import { lawArbitrary, taskArbitrary, type TaskDraw } from "./law_arbitraries.ts";
import { ResolvableDepths } from "./resolvable_depths.ts";
import {
  empiricalTwoParameter,
  lossReached,
  twoParameterSandwich,
} from "./empirical_two_parameter.ts";
import { bonferroniZ } from "./margins.ts";
import type { ModelSigns } from "./population_training.ts";
import type { ClaimPart } from "./claim_part.ts";
import type { ClaimResult } from "./claim_result.ts";
import { expect } from "./expect.ts";
import { fmt } from "./format_number.ts";
import { Gauge } from "./gauge.ts";
import { propertyPart } from "./property_part.ts";
import type { CheckOptions, ResolvedCheck } from "./resolve_check.ts";
import { WorstCase } from "./worst_case.ts";
import { type Claim, type ClaimPartsOutput, defineClaim } from "./define.ts";

/** Claim metadata. */
export const C6 = {
  id: "C6",
  title: "beta_T -> -alpha*",
  theorem: "Two-parameter LCA theorem",
  statement: "From beta_0 in (-2/(1+m_hi), 0) and alpha_0 = alpha*(beta_0), trained " +
    "beta_T -> -alpha* and alpha_T/(-beta_T) -> 1 as T grows.",
} as const;

/** C6 negative-control hooks. */
export interface C6Controls {
  /** Sign conventions of the trained model (skipSign -1 flips W_S). */
  signs?: ModelSigns;
  /** Replaces the population optimum the empirical fit is compared with. */
  optimum?: (law: SpikeLaw, depth: number) => { alpha: number; beta: number };
  /**
   * Replaces each trained (alpha_T, beta_T) of the population part after its optimisation
   * check (so the convergence checks see the replacement).
   */
  trained?: (
    law: SpikeLaw,
    depth: number,
    point: { alpha: number; beta: number },
  ) => { alpha: number; beta: number };
  /** Replaces the tasks of the empirical part (e.g. a law whose residuals are rounding). */
  empiricalTasks?: Arbitrary<TaskDraw>;
  /**
   * Gauss-Newton iterations of the empirical fit (default 100; 0 leaves the fit at the
   * paper's initialisation).
   */
  empiricalIterations?: number;
}

/** Computes the C6 parts, in order. */
async function c6Parts(
  check: ResolvedCheck,
  controls: C6Controls = {},
): Promise<ClaimPartsOutput> {
  return [await limitsPart(check, controls), await empiricalPart(check, controls)];
}

/** A trained two-parameter point at one depth. */
interface TrainedPoint {
  /** The depth T. */
  depth: number;
  /** alpha_T (its sign flipped with W_S). */
  alpha: number;
  /** beta_T. */
  beta: number;
}

/**
 * The population part: from the paper's initialisation, training reaches the two-parameter
 * optimum at each depth, and alpha_T/(-beta_T) approaches 1 over the depths.
 */
function limitsPart(check: ResolvedCheck, controls: C6Controls): Promise<ClaimPart> {
  const quick = check.size === "quick";
  // Beyond T = 20 the valley floor sits at |alpha + beta| ~ rho*^T (1e-28 at T = 40 on
  // narrow supports) and training from the paper's initialisation does not reach it in
  // 2000 damped-Newton iterations (measured: stuck at alpha 0.816 vs 0.885 for
  // beta(0.5, 0.5) on [0, 0.25], T = 40), so the grid stops at T = 20 (README, C6).
  const depths = [5, 10, 20];
  const limit = new WorstCase();
  const optimum = new WorstCase();
  const gauge = new Gauge(check, "two-parameter-limits", "rounding");
  check.progress("C6: two-parameter gradient descent on the population loss");
  return propertyPart(
    check,
    C6.id,
    "two-parameter-limits",
    fc.record({ law: lawArbitrary, fraction: fc.integer({ min: 5, max: 95 }).map((v) => v / 100) }),
    ({ law, fraction }) => {
      const star = alphaStar(law);
      const trained = trainedPoints(law, fraction, depths, controls, { star, optimum, gauge });
      expectConvergence(trained, star, limit);
    },
    {
      measured: () => `worst: ${limit.text}; ${optimum.text}`,
      target:
        `|alpha_T/(-beta_T) - 1| at the last T in {${
          depths.join(", ")
        }} below every earlier one (a limit; not monotone step to step for some laws); ` +
        "alpha_T/(-beta_T) nearer 1 than -1; |beta_T + alpha*| reported (not monotone at " +
        "T <= 20 for some laws: not asserted)",
      margin: "trained vs optimum within 1e-6 alpha*; ratio resolved to 8 eps",
      numRuns: quick ? 4 : 20,
      gauge,
    },
  );
}

/**
 * (alpha_T, beta_T) trained at each depth from beta_0 = -fraction 2/(1 + m_hi) and
 * alpha_0 = alpha*(beta_0), each compared with the optimum (unless the signs are controlled),
 * then replaced by the `trained` control.
 */
function trainedPoints(
  law: SpikeLaw,
  fraction: number,
  depths: number[],
  controls: C6Controls,
  { star, optimum, gauge }: { star: number; optimum: WorstCase; gauge: Gauge },
): TrainedPoint[] {
  const skip = (controls.signs ?? {}).skipSign ?? 1;
  const beta0 = -fraction * 2 / (1 + lawSupport(law).high);
  const trained = depths.map((depth) => {
    // With W_S flipped, the model's alpha enters E_T as -alpha.
    const alpha0 = bestAlphaForBeta(law, beta0, depth);
    const run = twoParameterOptimum(law, depth, { start: { alpha: alpha0, beta: beta0 } });
    return { depth, alpha: skip * run.alpha, beta: run.beta };
  });
  if (!controls.signs) {
    for (const { depth, alpha, beta } of trained) {
      // From the paper's initialisation, the optimum reached from (alpha_T, -alpha_T).
      const best = twoParameterOptimum(law, depth);
      const distance = Math.hypot(alpha - best.alpha, beta - best.beta) / star;
      optimum.record(distance, `max |trained - optimum|/alpha* = ${fmt(distance, 2)}`);
      expect(
        gauge.compare(distance, 0, 1e-6),
        () => `T=${depth}: trained (${alpha}, ${beta}) vs optimum (${best.alpha}, ${best.beta})`,
      );
    }
  }
  if (controls.trained) {
    trained.forEach((point, i) => {
      const replaced = controls.trained!(law, point.depth, point);
      trained[i] = { depth: point.depth, alpha: replaced.alpha, beta: replaced.beta };
    });
  }
  return trained;
}

/**
 * The last depth's |alpha_T/(-beta_T) - 1| is below every earlier one (or all at rounding),
 * and alpha_T/(-beta_T) converges to 1, not -1; records |beta_T + alpha*| at the last depth.
 */
function expectConvergence(trained: TrainedPoint[], star: number, limit: WorstCase): void {
  const betaGap = trained.map(({ beta }) => Math.abs(beta + star));
  const ratioGap = trained.map(({ alpha, beta }) => Math.abs(alpha / -beta - 1));
  // alpha/(-beta) - 1 is resolved only down to float64 rounding of the ratio.
  const floor = 8 * Number.EPSILON;
  // beta_T -> -alpha* is the theorem, but at T <= 20 the approach is slow and not monotone:
  // `calibrate` (seed 19) found Beta(0.5, 0.88) on [0.615, 5.032] with beta_T + alpha* =
  // 1.50e-4, -2.56e-4, -3.26e-4 at T = 10, 20, 30, Beta(0.5, 1.04) with +1.61e-3, -2.24e-3,
  // -1.70e-3 at T = 5, 10, 20 and Beta(0.5, 1.11) with 1.4e-4 -> 2.3e-3 from T = 5 to 20, each
  // optimum resolved (E_T at beta = -alpha* is higher by 1e-4 to 6e-2 relative). Without a
  // rate for beta_T, |beta_T + alpha*| is reported, not asserted. The ratio's gap is not
  // monotone either: `calibrate` over 200 seeds found Beta(0.63, 0.5) on [0.006, 6.004] with
  // |alpha_T/(-beta_T) - 1| = 2.50e-3, 2.59e-3, 1.61e-5, 6.66e-5, 1.89e-6, 2.35e-6, 9.5e-8 at
  // T = 5, 10, 15, 20, 25, 30, 40 (falling overall, oscillating step to step). The limit is the
  // claim, so the last depth must be the closest to it: its gap is below every earlier one.
  const lastGap = ratioGap[ratioGap.length - 1];
  for (let i = 0; i < trained.length - 1; i++) {
    expect(
      lastGap < ratioGap[i] || Math.max(lastGap, ratioGap[i]) <= floor,
      () =>
        `not converging: at T=${trained[trained.length - 1].depth} |beta+alpha*| ${
          betaGap[betaGap.length - 1]
        }, |alpha/(-beta)-1| ${lastGap} is not below T=${trained[i].depth}'s ${
          ratioGap[i]
        } (|beta+alpha*| ${betaGap[i]}; alpha* ${star})`,
    );
  }
  const last = trained[trained.length - 1];
  const ratio = last.alpha / -last.beta;
  expect(
    Math.abs(ratio - 1) < Math.abs(ratio + 1),
    () => `alpha_T/(-beta_T) = ${ratio} at T=${last.depth} is converging to -1, not 1`,
  );
  limit.record(
    betaGap[betaGap.length - 1] / star,
    `T=${last.depth}: beta_T/(-alpha*) = ${fmt(-last.beta / star, 6)}, alpha_T/(-beta_T) = ${
      fmt(last.alpha / -last.beta, 8)
    }`,
  );
}

/** What the empirical part's comparisons share. */
interface EmpiricalContext {
  /** The negative-control hooks. */
  controls: C6Controls;
  /** The Bonferroni multiplier of the sandwich standard errors. */
  z: number;
  /** Worst |fit - optimum| / margin over alpha, beta and alpha + beta. */
  empirical: WorstCase;
  /** Worst relative excess of the fit's empirical loss over the optimum's. */
  worstLoss: WorstCase;
  /** The part's comparison. */
  gauge: Gauge;
}

/**
 * The two-parameter population optimum equals what training on samples finds: Gauss-Newton
 * on N prompts with exact task statistics and the Bayes target, from the paper's
 * initialisation, against twoParameterOptimum within z sandwich SE (two-sided).
 */
function empiricalPart(check: ResolvedCheck, controls: C6Controls): Promise<ClaimPart> {
  const quick = check.size === "quick";
  const runs = quick ? 2 : 8;
  // T = 8 was tried at full size: along the valley alpha = -beta the empirical loss is flat to
  // float64 resolution there, and Gauss-Newton stopped 0.0019 (12 SE) from the optimum along it
  // (alpha + beta agreed to 5e-10), so the depths stay at 2 and 5.
  const empiricalDepths = [2, 5];
  const z = bonferroniZ(3 * runs * empiricalDepths.length);
  const prompts = quick ? 2000 : 8000;
  const context: EmpiricalContext = {
    controls,
    z,
    empirical: new WorstCase(),
    worstLoss: new WorstCase(),
    gauge: new Gauge(check, "empirical-two-parameter", "equal"),
  };
  const optimumOf = controls.optimum ??
    ((law: SpikeLaw, depth: number) => twoParameterOptimum(law, depth));
  const resolvable = new ResolvableDepths();
  check.progress("C6: two-parameter training on samples against the population optimum");
  return propertyPart(
    check,
    C6.id,
    "empirical-two-parameter",
    controls.empiricalTasks ?? taskArbitrary(lawArbitrary),
    async (task) => {
      const stats = await check.sample({ ...task, prompts, context: Infinity, stream: 11 });
      const spectral = spectralStatistics(stats);
      const target = bayesTarget(stats);
      const d = task.d1 + task.d2;
      let checked = 0;
      for (const depth of empiricalDepths) {
        const best = optimumOf(task.law, depth);
        const relative = lcaExcess(task.law, { ...best, depth }) / zeroPredictorExcess(task.law);
        if (!resolvable.check(relative, d, depth)) continue;
        checked++;
        compareFitWithOptimum(context, { spectral, target, law: task.law, depth, best });
      }
      fc.pre(checked > 0);
    },
    {
      measured: () => `${context.empirical.text}; ${context.worstLoss.text}; ${resolvable.text}`,
      target: "(alpha_hat, beta_hat) on N prompts (L = inf, target w^T x_q) = population " +
        "two-parameter optimum (two-sided, for alpha, beta and alpha + beta); the fit's " +
        "empirical loss <= the optimum's (training reached the empirical minimiser)",
      margin: `${fmt(z, 3)} sandwich SE (Bonferroni over ${
        3 * runs * empiricalDepths.length
      }); loss within its rounding bound`,
      numRuns: runs,
      gauge: context.gauge,
    },
  );
}

/**
 * At one resolvable depth: fits the two-parameter LCA on the samples from the paper's
 * initialisation, requires its loss to reach the optimum's, and compares alpha, beta and
 * alpha + beta with the optimum within z sandwich SE.
 */
function compareFitWithOptimum(
  { controls, z, empirical, worstLoss, gauge }: EmpiricalContext,
  { spectral, target, law, depth, best }: {
    spectral: SpectralStatistics;
    target: ArrayLike<number>;
    law: SpikeLaw;
    depth: number;
    best: { alpha: number; beta: number };
  },
): void {
  const beta0 = -0.5 * 2 / (1 + lawSupport(law).high);
  const fit = empiricalTwoParameter(spectral, target, depth, {
    alpha: empiricalBestAlpha(spectral, target, beta0, depth),
    beta: beta0,
  }, controls.empiricalIterations);
  // Training must find the empirical minimiser: its loss on these samples is at most the
  // population optimum's, up to the loss's rounding (exact, one-sided). Without this a
  // Gauss-Newton that stopped at its start passed, since the sandwich SE at such a fit
  // grows with its residuals (mutation finding, docs/mutation.md).
  const atBest = twoParameterSandwich(spectral, target, depth, best);
  const lossSlack = fit.lossError + atBest.lossError;
  const trainedLossOk = lossReached(fit, atBest);
  worstLoss.record(
    (fit.loss - atBest.loss) / atBest.loss,
    `loss at fit / at optimum - 1 = ${fmt((fit.loss - atBest.loss) / atBest.loss)} (T=${depth})`,
  );
  expect(
    trainedLossOk,
    () =>
      `T=${depth}: training stopped short: empirical loss ${fit.loss} at the fit (${fit.alpha}, ` +
      `${fit.beta}) > ${atBest.loss} at the population optimum + rounding ${lossSlack}`,
  );
  const se = fit;
  const marginA = z * se.seAlpha + 1e-9 * Math.abs(best.alpha);
  const marginB = z * se.seBeta + 1e-9 * Math.abs(best.beta);
  const sum = fit.alpha + fit.beta, bestSum = best.alpha + best.beta;
  const marginS = z * se.seSum + 1e-9 * Math.abs(best.alpha);
  const ratio = Math.max(
    Math.abs(fit.alpha - best.alpha) / marginA,
    Math.abs(fit.beta - best.beta) / marginB,
    Math.abs(sum - bestSum) / marginS,
  );
  empirical.record(
    ratio,
    `max |fit - optimum|/margin = ${fmt(ratio)} (alpha, beta, alpha + beta; SE ${
      fmt(se.seAlpha, 2)
    }, ${fmt(se.seBeta, 2)}, ${fmt(se.seSum, 2)})`,
  );
  const okA = gauge.compare(fit.alpha, best.alpha, marginA);
  const okB = gauge.compare(fit.beta, best.beta, marginB);
  const okS = gauge.compare(sum, bestSum, marginS);
  expect(
    okA && okB && okS,
    () =>
      `T=${depth}: fitted (${fit.alpha} ± ${se.seAlpha}, ${fit.beta} ± ${se.seBeta}) vs ` +
      `optimum (${best.alpha}, ${best.beta})`,
  );
}

/**
 * C6 as a claim (group `paper`).
 *
 * @example Check C6 at quick size
 * ```ts
 * import assert from "node:assert/strict";
 * import { C6_CLAIM } from "./c6_two_parameter.ts";
 * assert.equal(C6_CLAIM.id, "C6");
 * const result = await C6_CLAIM.check({ size: "quick", seed: 0 });
 * assert.equal(result.passed, true);
 * assert.deepEqual(result.parts.map((part) => part.name), [
 *   "two-parameter-limits",
 *   "empirical-two-parameter",
 * ]);
 * ```
 */
export const C6_CLAIM: Claim<C6Controls> = defineClaim<C6Controls>({
  ...C6,
  group: "paper",
  parts: c6Parts,
});

/** Runs the C6 check (see {@linkcode C6_CLAIM}). */
export function checkC6(
  options: CheckOptions & { controls?: C6Controls } = {},
): Promise<ClaimResult> {
  return C6_CLAIM.check(options);
}
