/**
 * C1 (Theorem 4.1): single-layer LSA cannot reach the Bayes risk. The population
 * gap E[s/(1+s)] - E[s]^2/E[s(1+s)] is positive for every non-degenerate law and
 * zero for a point mass; trained LSA (reduced Gamma by least squares, full p, K by
 * Levenberg-Marquardt from several inits) and random LSA parameters never beat
 * R_Bayes + gap on fresh prompts beyond the Monte Carlo margin.
 *
 * @module
 */

import fc from "npm:fast-check@^4";
import type { Arbitrary } from "npm:fast-check@^4";
import type { SpikeLaw } from "../model/law.ts";
import { zeroPredictorExcess } from "../theory/population.ts";
import { gammaStar, lsaGap } from "../theory/gamma_star.ts";
import { symmetricEigen } from "../numeric/linalg.ts";
import { defaultNodeCount } from "../theory/quadrature.ts";
import { bayesPredict } from "../model/predictors.ts";
import { pairedExcess } from "../model/risk.ts";
import { fitReducedLsa } from "../training/fit_lsa.ts";
import type { PromptStatistics } from "../model/prompt_statistics.ts";
import { lawArbitrary, pointLawArbitrary, taskArbitrary } from "./law_arbitraries.ts";
import type { ClaimPart } from "./claim_part.ts";
import type { ClaimResult } from "./claim_result.ts";
import { expect } from "./expect.ts";
import { fmt } from "./format_number.ts";
import { Gauge } from "./gauge.ts";
import { propertyPart } from "./property_part.ts";
import type { CheckOptions, ResolvedCheck } from "./resolve_check.ts";
import { WorstCase } from "./worst_case.ts";
import { type Claim, type ClaimPartsOutput, defineClaim } from "./define.ts";
import { bonferroniZ, FAMILY_FALSE_ALARM, summationErrorBound } from "./margins.ts";
import { excessRoundingTerm } from "./float32_forward_bound.ts";
import { type Evaluated, float32MarginNote } from "./model_evaluation.ts";

/** Claim metadata. */
export const C1 = {
  id: "C1",
  title: "LSA gap",
  theorem: "Theorem 4.1",
  statement: "No single-layer LSA reaches the Bayes risk: its best risk exceeds R_Bayes by " +
    "E[s/(1+s)] - E[s]^2/E[s(1+s)] > 0 for every non-degenerate law (0 for a point mass).",
} as const;

/** Negative-control hooks of the C1 checker. */
export interface C1Controls {
  /** Replaces the law arbitrary of the positivity property (e.g. point masses, where the premise fails). */
  gapLaws?: Arbitrary<SpikeLaw>;
  /** Replaces the point-mass arbitrary of the zero-gap property (e.g. non-degenerate laws). */
  pointLaws?: Arbitrary<SpikeLaw>;
  /** Replaces the trained-LSA predictor (e.g. with the Bayes predictor, which must be caught). */
  lsaPredictor?: (test: PromptStatistics) => Float64Array;
  /** Replaces the reduced Gamma fitted by least squares (e.g. a mis-fit, which must be caught). */
  reducedGamma?: (fitted: Float64Array, dim: number) => Float64Array;
}

/**
 * The excess risk that least-squares estimation of the reduced LSA (d^2 features
 * phi = x_q (x) mu_hat, N training prompts) adds on top of the population optimum
 * Gamma_ref: (theta_hat - theta*)^T H (theta_hat - theta*) with theta_hat - theta* ~
 * N(0, H^{-1} V H^{-1} / N), H = E[phi phi^T], V = E[r^2 phi phi^T], r = t - phi^T theta*.
 * It is a weighted sum of chi-square(1) variables with weights lambda_i / N, lambda = eig(H^{-1/2} V H^{-1/2});
 * returns its mean sum(lambda)/N and the Laurent-Massart upper quantile
 * mean + 2 sqrt(sum(lambda^2) x)/N + 2 max(lambda) x / N, x = log(1/p), exceeded with
 * probability at most p. H and V are estimated on the (independent) test prompts.
 */
export function leastSquaresExcess(
  test: PromptStatistics,
  gammaRef: ArrayLike<number>,
  trainingPrompts: number,
  p: number,
): { mean: number; quantile: number } {
  const d = test.task.dim;
  const f = d * d;
  const h = new Float64Array(f * f);
  const v = new Float64Array(f * f);
  const phi = new Float64Array(f);
  for (let n = 0; n < test.prompts; n++) {
    let fit = 0;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        phi[a * d + b] = test.query[n * d + a] * test.muHat[n * d + b];
        fit += phi[a * d + b] * gammaRef[a * d + b];
      }
    }
    const r2 = (test.queryLabel[n] - fit) ** 2;
    for (let i = 0; i < f; i++) {
      for (let j = 0; j <= i; j++) {
        h[i * f + j] += phi[i] * phi[j] / test.prompts;
        v[i * f + j] += r2 * phi[i] * phi[j] / test.prompts;
      }
    }
  }
  for (let i = 0; i < f; i++) {
    for (let j = 0; j < i; j++) {
      h[j * f + i] = h[i * f + j];
      v[j * f + i] = v[i * f + j];
    }
  }
  // H^{-1/2} = Q diag(1/sqrt(values)) Q^T; then the eigenvalues of H^{-1/2} V H^{-1/2}.
  const eig = symmetricEigen(h, f);
  const root = new Float64Array(f * f);
  for (let i = 0; i < f; i++) {
    for (let j = 0; j < f; j++) {
      let sum = 0;
      for (let k = 0; k < f; k++) {
        sum += eig.vectors[i * f + k] * eig.vectors[j * f + k] / Math.sqrt(eig.values[k]);
      }
      root[i * f + j] = sum;
    }
  }
  const tmp = new Float64Array(f * f);
  for (let i = 0; i < f; i++) {
    for (let j = 0; j < f; j++) {
      let sum = 0;
      for (let k = 0; k < f; k++) sum += v[i * f + k] * root[k * f + j];
      tmp[i * f + j] = sum;
    }
  }
  const m = new Float64Array(f * f);
  for (let i = 0; i < f; i++) {
    for (let j = 0; j < f; j++) {
      let sum = 0;
      for (let k = 0; k < f; k++) sum += root[i * f + k] * tmp[k * f + j];
      m[i * f + j] = sum;
    }
  }
  const lambdas = symmetricEigen(m, f).values.map((x) => Math.max(x, 0) / trainingPrompts);
  let total = 0, squares = 0, top = 0;
  for (const l of lambdas) {
    total += l;
    squares += l * l;
    top = Math.max(top, l);
  }
  const x = Math.log(1 / p);
  return { mean: total, quantile: total + 2 * Math.sqrt(squares * x) + 2 * top * x };
}

/** Computes the C1 parts, in order. */
async function c1Parts(
  check: ResolvedCheck,
  controls: C1Controls = {},
): Promise<ClaimPartsOutput> {
  return [
    await gapPositivePart(check, controls),
    await gapZeroPart(check, controls),
    await trainedLsaPart(check, controls),
    await reachesGapPart(check, controls),
    await randomLsaPart(check),
  ];
}

/** Part 1: positivity of the population gap beyond the float64 rounding bound. */
function gapPositivePart(check: ResolvedCheck, controls: C1Controls): Promise<ClaimPart> {
  const quick = check.size === "quick";
  const nodes = defaultNodeCount(1);
  const positive = new WorstCase();
  const positiveGauge = new Gauge(check, "gap-positive", "rounding", { direction: "down" });
  check.progress("C1: population gap positive for non-degenerate laws");
  return propertyPart(check, C1.id, "gap-positive", controls.gapLaws ?? lawArbitrary, (law) => {
    const gap = lsaGap(law);
    const rounding = 4 * summationErrorBound(nodes, zeroPredictorExcess(law));
    positive.record(-gap / rounding, `min gap/rounding bound = ${fmt(gap / rounding)}`);
    // gap >= rounding: the lower bound 2 rounding - rounding.
    expect(
      positiveGauge.compare(gap, 2 * rounding, rounding),
      () => `gap ${gap} not above the rounding bound ${rounding}`,
    );
  }, {
    measured: () => positive.text,
    target: "gap > 4 gamma_n E[s/(1+s)] (one-sided; float64 rounding bound, n nodes)",
    margin: "rounding bound gamma_n = n u/(1 - n u)",
    numRuns: quick ? 60 : 300,
    gauge: positiveGauge,
  });
}

/** Part 2: the gap is zero for point masses. */
function gapZeroPart(check: ResolvedCheck, controls: C1Controls): Promise<ClaimPart> {
  const quick = check.size === "quick";
  const zero = new WorstCase();
  const zeroGauge = new Gauge(check, "gap-zero-point-mass", "rounding");
  return propertyPart(
    check,
    C1.id,
    "gap-zero-point-mass",
    controls.pointLaws ?? pointLawArbitrary,
    (law) => {
      const gap = lsaGap(law);
      const rounding = 4 * summationErrorBound(1, zeroPredictorExcess(law)) + Number.MIN_VALUE;
      zero.record(gap / rounding, `max |gap| = ${fmt(gap)}`);
      expect(
        zeroGauge.compare(Math.abs(gap), 0, rounding),
        () => `point-mass gap ${gap} exceeds ${rounding}`,
      );
    },
    {
      measured: () => zero.text,
      target: "|gap| <= rounding bound (two-sided: the gap vanishes)",
      margin: "float64 rounding bound",
      numRuns: quick ? 20 : 100,
      gauge: zeroGauge,
    },
  );
}

/**
 * Part 3: trained LSA never beats R_Bayes + gap on fresh prompts (L_te = infinity): one-sided,
 * the theorem's bound.
 */
function trainedLsaPart(check: ResolvedCheck, controls: C1Controls): Promise<ClaimPart> {
  const quick = check.size === "quick";
  const trainedRuns = quick ? 3 : 12;
  const zTrained = bonferroniZ(trainedRuns * 2);
  const trained = new WorstCase();
  const trainedGauge = new Gauge(check, "trained-lsa", "at-least");
  const prompts = quick ? 1500 : 4000;
  check.progress("C1: trained LSA against R_Bayes + gap");
  return propertyPart(
    check,
    C1.id,
    "trained-lsa",
    fc.record({ task: taskArbitrary(lawArbitrary), context: fc.constantFrom(Infinity, 200) }),
    async ({ task, context }) => {
      const gap = lsaGap(task.law);
      const result = await check.train({
        ...task,
        model: "lsa",
        prompts,
        context,
        steps: 1500, // a cap only: Levenberg-Marquardt stops on its certificate
        testPrompts: 10,
        lsaInits: 3,
      });
      const test = await check.sample({ ...task, prompts, context: Infinity, stream: 7 });
      const bayes = bayesPredict(test);
      const full = result.parameters.model === "lsa" ? result.parameters : undefined;
      const evaluated: Evaluated[] = controls.lsaPredictor
        ? [{ predictions: controls.lsaPredictor(test), bound: null }]
        : [
          await check.evaluate.lsaReduced(test, full!.gamma),
          await check.evaluate.lsa(test, {
            p: Float64Array.from(full!.full.p),
            k: Float64Array.from(full!.full.k),
          }),
        ];
      for (const { predictions: prediction, bound } of evaluated) {
        const excess = pairedExcess(prediction, bayes, test.queryLabel);
        const margin = zTrained * excess.standardError +
          summationErrorBound(prompts, Math.abs(excess.mean) * prompts) +
          excessRoundingTerm(prediction, test.queryLabel, bound);
        trained.record(
          (gap - excess.mean) / Math.max(margin, 1e-300),
          `excess ${fmt(excess.mean)} ± ${fmt(excess.standardError, 2)} vs gap ${fmt(gap)}`,
        );
        expect(
          trainedGauge.compare(excess.mean, gap, margin),
          () => `LSA excess ${excess.mean} below gap ${gap} - margin ${margin}`,
        );
      }
    },
    {
      measured: () => `closest: ${trained.text}`,
      target: "excess over Bayes >= gap - margin (one-sided: Theorem 4.1 is a lower bound)",
      margin: `${fmt(zTrained, 3)} SE (5 SE, Bonferroni over ${trainedRuns * 2})` +
        float32MarginNote(check.evaluate, "both LSAs"),
      numRuns: trainedRuns,
      gauge: trainedGauge,
    },
  );
}

/**
 * Part 4, attainment: the reduced LSA fitted by least squares (L_tr = inf) reaches the gap, up
 * to the excess that estimating d^2 coefficients from N prompts adds (its chi-square quantile).
 */
function reachesGapPart(check: ResolvedCheck, controls: C1Controls): Promise<ClaimPart> {
  const quick = check.size === "quick";
  const reachRuns = quick ? 4 : 12;
  const zReach = bonferroniZ(2 * reachRuns);
  const reach = new WorstCase();
  const reachGauge = new Gauge(check, "trained-lsa-reaches-gap", "at-most");
  const reachPrompts = quick ? 2000 : 6000;
  check.progress("C1: least-squares LSA reaches the gap");
  return propertyPart(
    check,
    C1.id,
    "trained-lsa-reaches-gap",
    taskArbitrary(lawArbitrary),
    async (task) => {
      const gap = lsaGap(task.law);
      const d = task.d1 + task.d2;
      const train = await check.sample({
        ...task,
        prompts: reachPrompts,
        context: Infinity,
        stream: 9,
      });
      const fitted = fitReducedLsa(train, train.queryLabel);
      const gamma = controls.reducedGamma ? controls.reducedGamma(fitted, d) : fitted;
      const test = await check.sample({
        ...task,
        prompts: reachPrompts,
        context: Infinity,
        stream: 10,
      });
      const lsa = await check.evaluate.lsaReduced(test, gamma);
      const excess = pairedExcess(lsa.predictions, bayesPredict(test), test.queryLabel);
      const optimum = new Float64Array(d * d);
      for (let j = 0; j < d; j++) optimum[j * d + j] = gammaStar(task.law);
      const estimation = leastSquaresExcess(
        test,
        optimum,
        reachPrompts,
        FAMILY_FALSE_ALARM / (2 * reachRuns),
      );
      const margin = estimation.quantile - estimation.mean + zReach * excess.standardError +
        excessRoundingTerm(lsa.predictions, test.queryLabel, lsa.bound);
      const target = gap + estimation.mean;
      reach.record(
        (excess.mean - target) / margin,
        `max (excess - gap - E[estimation])/margin = ${fmt((excess.mean - target) / margin)} ` +
          `(excess ${fmt(excess.mean)} ± ${fmt(excess.standardError, 2)}, gap ${fmt(gap)}, ` +
          `estimation ${fmt(estimation.mean, 2)})`,
      );
      expect(
        reachGauge.compare(excess.mean, target, margin),
        () =>
          `least-squares LSA excess ${excess.mean} above gap ${gap} + estimation ${estimation.mean} + margin ${margin}`,
      );
    },
    {
      measured: () => reach.text,
      target: "excess over Bayes <= gap + tr(H^-1 V)/N + margin (upper side: the best LSA " +
        "attains the gap; with the lower side of trained-lsa, two-sided)",
      margin:
        `chi-square (Laurent-Massart) quantile of the estimation excess + ${
          fmt(zReach, 3)
        } SE (Bonferroni over ${2 * reachRuns})` + float32MarginNote(check.evaluate, "the LSA"),
      numRuns: reachRuns,
      gauge: reachGauge,
    },
  );
}

/**
 * Part 5: random LSA parameters never beat it either: broad draws, and draws near the optimum
 * (p = e_{d+1}, K = [gamma* I; 0] plus a small perturbation), whose excess sits at the gap.
 */
function randomLsaPart(check: ResolvedCheck): Promise<ClaimPart> {
  const quick = check.size === "quick";
  const randomRuns = quick ? 20 : 100;
  const zRandom = bonferroniZ(randomRuns);
  const random = new WorstCase();
  const randomGauge = new Gauge(check, "random-lsa", "at-least");
  return propertyPart(
    check,
    C1.id,
    "random-lsa",
    taskArbitrary(lawArbitrary).chain((task) => {
      const d = task.d1 + task.d2;
      const weight = fc.double({ min: -1, max: 1, noNaN: true });
      return fc.record({
        task: fc.constant(task),
        p: fc.array(weight, { minLength: d + 1, maxLength: d + 1 }),
        k: fc.array(weight, { minLength: (d + 1) * d, maxLength: (d + 1) * d }),
        near: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 }).map((v) => v / 1000)),
      });
    }),
    async ({ task, p, k, near }) => {
      const gap = lsaGap(task.law);
      const d = task.d1 + task.d2;
      const test = await check.sample({ ...task, prompts: 2000, context: Infinity, stream: 8 });
      let pp = Float64Array.from(p), kk = Float64Array.from(k);
      if (near > 0) {
        const g = gammaStar(task.law);
        pp = pp.map((v, i) => (i === d ? 1 : 0) + near * v);
        kk = kk.map((v, i) => (i < d * d && i % (d + 1) === 0 ? g : 0) + near * g * v);
      }
      const lsa = await check.evaluate.lsa(test, { p: pp, k: kk });
      const excess = pairedExcess(lsa.predictions, bayesPredict(test), test.queryLabel);
      const margin = zRandom * excess.standardError +
        excessRoundingTerm(lsa.predictions, test.queryLabel, lsa.bound);
      random.record(
        (gap - excess.mean) / Math.max(margin, 1e-300),
        `excess ${fmt(excess.mean)} ± ${fmt(excess.standardError, 2)} vs gap ${fmt(gap)}`,
      );
      expect(
        randomGauge.compare(excess.mean, gap, margin),
        () => `random LSA excess ${excess.mean} < gap ${gap} - ${margin}`,
      );
    },
    {
      measured: () => `closest: ${random.text}`,
      target: "excess over Bayes >= gap - margin (one-sided; half the draws near the optimum)",
      margin: `${fmt(zRandom, 3)} SE (Bonferroni over ${randomRuns})` +
        float32MarginNote(check.evaluate, "the LSA"),
      numRuns: randomRuns,
      gauge: randomGauge,
    },
  );
}

/** Helper for the negative control: a predictor that is secretly Bayes. */
export function bayesInDisguise(test: PromptStatistics): Float64Array {
  return bayesPredict(test);
}

/**
 * C1 as a claim (group `paper`).
 *
 * @example Check C1 at quick size
 * ```ts
 * import assert from "node:assert/strict";
 * import { C1_CLAIM } from "./c1_lsa_gap.ts";
 * assert.equal(C1_CLAIM.id, "C1");
 * const result = await C1_CLAIM.check({ size: "quick", seed: 0 });
 * assert.equal(result.passed, true);
 * assert.deepEqual(result.parts.map((part) => part.name), [
 *   "gap-positive",
 *   "gap-zero-point-mass",
 *   "trained-lsa",
 *   "trained-lsa-reaches-gap",
 *   "random-lsa",
 * ]);
 * ```
 */
export const C1_CLAIM: Claim<C1Controls> = defineClaim<C1Controls>({
  ...C1,
  group: "paper",
  parts: c1Parts,
});

/** Runs the C1 check (see {@linkcode C1_CLAIM}). */
export function checkC1(
  options: CheckOptions & { controls?: C1Controls } = {},
): Promise<ClaimResult> {
  return C1_CLAIM.check(options);
}
