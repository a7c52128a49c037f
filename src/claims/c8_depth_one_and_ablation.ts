/**
 * C8: T = 1 LCA equals reduced LSA with Gamma = alpha I (on every prompt, and in
 * the population: alpha_1 = gamma*); the ablation without S_t does not reach
 * Bayes with depth: at the LCA's own weights its excess tends to that of the zero
 * predictor, E[s/(1+s)], and with its weight re-fitted at every depth it levels
 * off at the positive floor inf_k E[(e^{-k(1+s)} - 1/(1+s))^2 s(1+s)] (it does
 * improve from T = 1 to moderate T on the way) while LCA's excess goes to 0.
 *
 * @module
 */

import fc from "npm:fast-check@^4";
import type { Arbitrary } from "npm:fast-check@^4";
import { lawSupport, type SpikeLaw } from "../model/law.ts";
import { contractionRate, zeroPredictorExcess } from "../theory/population.ts";
import { gammaStar } from "../theory/gamma_star.ts";
import { lcaExcess } from "../theory/lca_excess.ts";
import { optimalDepthStep } from "../theory/optimal_depth_step.ts";
import { lcaPredict, lcaTokenPredict, lsaReducedPredict } from "../model/predictors.ts";
import { defaultNodeCount, expectation, quadratureRule } from "../theory/quadrature.ts";
import { statisticsFromBatch } from "../model/prompt_statistics.ts";
import { samplePromptBatch } from "../model/task.ts";
import { lawArbitrary, taskArbitrary } from "./law_arbitraries.ts";
import type { ClaimPart } from "./claim_part.ts";
import type { ClaimResult } from "./claim_result.ts";
import { expect } from "./expect.ts";
import { fmt } from "./format_number.ts";
import { Gauge } from "./gauge.ts";
import { propertyPart } from "./property_part.ts";
import type { CheckOptions, ResolvedCheck } from "./resolve_check.ts";
import { WorstCase } from "./worst_case.ts";
import { type Claim, type ClaimPartsOutput, defineClaim } from "./define.ts";
import { summationErrorBound } from "./margins.ts";

/** Claim metadata. */
export const C8 = {
  id: "C8",
  title: "T = 1 and ablation",
  theorem: "T = 1 reduction; Fig. 4 ablation",
  statement: "One LCA layer equals reduced LSA (Gamma = alpha I); without the re-injection S_t, " +
    "depth does not bring the error to Bayes: at the LCA's weights it tends to the zero predictor's " +
    "excess, and with its weight re-fitted per depth it levels off at a positive floor that the " +
    "LCA's excess falls below.",
} as const;

/**
 * Population excess of the ablation x_q^T (I + beta Sigma)^T mu: along the spike
 * its coefficient is (1 + beta(1+s))^T against Bayes' 1/(1+s).
 */
export function ablationExcess(law: SpikeLaw, beta: number, depth: number): number {
  return ablationAtDepth(law, depth)(beta);
}

/**
 * beta -> the ablation's excess at depth T, with the law's rule fetched once (the grid
 * search evaluates it ~480 times per depth). u^T by repeated squaring: within 2 log2(T)
 * rounding errors of `u ** T` (relative), and 3x faster than it at T = 640, where the
 * search spent most of C8's time in `Math.pow`.
 */
function ablationAtDepth(law: SpikeLaw, depth: number): (beta: number) => number {
  const { nodes, weights } = quadratureRule(law, defaultNodeCount(depth));
  return (beta) => {
    let sum = 0;
    for (let i = 0; i < nodes.length; i++) {
      const s = nodes[i];
      let x = 1 + beta * (1 + s), power = 1;
      for (let k = depth; k > 0; k >>= 1) {
        if (k & 1) power *= x;
        x *= x;
      }
      sum += weights[i] * ((power - 1 / (1 + s)) ** 2 * s * (1 + s));
    }
    return sum;
  };
}

/** Minimises f over a grid, then refines by golden section between the grid neighbours. */
function gridGoldenMinimum(f: (x: number) => number, grid: number[]): number {
  let best = 0;
  const values = grid.map(f);
  for (let i = 1; i < grid.length; i++) if (values[i] < values[best]) best = i;
  let a = grid[Math.max(best - 1, 0)], b = grid[Math.min(best + 1, grid.length - 1)];
  const ratio = (Math.sqrt(5) - 1) / 2;
  // Golden section keeping the interior point that survives (one new evaluation per step);
  // 80 steps shrink the bracket by 0.618^80 ~ 2e-17, below float64 resolution.
  let c = b - ratio * (b - a), d = a + ratio * (b - a);
  let fc = f(c), fd = f(d);
  for (let i = 0; i < 80; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  return Math.min(f((a + b) / 2), fc, fd, values[best]);
}

/**
 * The ablation's best excess over beta at depth T. The optimum sits near
 * beta = -k/T, so the search runs over k = -beta T on a log grid in
 * [1e-4, 2T/(1+m_lo)] (the stable range), then refines by golden section.
 */
export function bestAblationExcess(law: SpikeLaw, depth: number): number {
  const { low } = lawSupport(law);
  const top = Math.log10(2 * depth / (1 + low));
  const grid = Array.from({ length: 401 }, (_, i) => 10 ** (-4 + (top + 4) * i / 400));
  const excess = ablationAtDepth(law, depth);
  return gridGoldenMinimum((k) => excess(-k / depth), grid);
}

/**
 * The floor of the ablation as T -> infinity: with beta = -k/T,
 * (1 - k(1+s)/T)^T -> exp(-k(1+s)), so the floor is
 * inf_k E[(exp(-k(1+s)) - 1/(1+s))^2 s(1+s)] (log grid over k in [1e-4, 1e3], then golden section).
 */
export function ablationFloor(law: SpikeLaw): number {
  const rule = quadratureRule(law, defaultNodeCount(1));
  const f = (k: number) =>
    expectation(rule, (s) => (Math.exp(-k * (1 + s)) - 1 / (1 + s)) ** 2 * s * (1 + s));
  const grid = Array.from({ length: 401 }, (_, i) => 10 ** (-4 + 7 * i / 400));
  return gridGoldenMinimum(f, grid);
}

/** C8 negative-control hooks. */
export interface C8Controls {
  /** Replaces the ablation's excess at (law, beta, T) (e.g. with the full LCA's, which does improve). */
  ablation?: (law: SpikeLaw, beta: number, depth: number) => number;
  /** Replaces the re-fitted ablation's best excess at (law, T) in (ii) (default the search). */
  refitted?: (law: SpikeLaw, depth: number) => number;
  /** Replaces the ablation's T -> infinity floor in (ii). */
  floor?: (law: SpikeLaw) => number;
  /** Replaces the population alpha_1 compared with gamma* (default `optimalDepthStep(law, 1)`). */
  depthOneStep?: (law: SpikeLaw) => number;
  /** Replaces the depths of the ablation part (default 10, 40, 160, 640 at quick size). */
  depths?: readonly number[];
  /** Replaces the laws of the ablation part. */
  ablationLaws?: Arbitrary<SpikeLaw>;
}

/** The T = 1 identity part: LCA_1 equals reduced LSA with Gamma = alpha I, and alpha_1 = gamma*. */
async function depthOnePart(check: ResolvedCheck, controls: C8Controls): Promise<ClaimPart> {
  const identity = new WorstCase();
  const identityGauge = new Gauge(check, "depth-one-equals-lsa", "rounding");
  check.progress("C8: T = 1 LCA equals reduced LSA");
  return await propertyPart(
    check,
    C8.id,
    "depth-one-equals-lsa",
    fc.record({
      task: taskArbitrary(lawArbitrary),
      alpha: fc.integer({ min: -1000, max: 1000 }).map((v) => v / 1000),
      context: fc.integer({ min: 1, max: 64 }),
    }),
    ({ task, alpha, context }) => {
      const batch = samplePromptBatch({ ...task, prompts: 16, context });
      const stats = statisticsFromBatch(batch);
      const d = task.d1 + task.d2;
      const gamma = new Float64Array(d * d);
      for (let j = 0; j < d; j++) gamma[j * d + j] = alpha;
      const lsa = lsaReducedPredict(stats, gamma);
      const closed = lcaPredict(stats, { alpha, beta: -alpha, depth: 1 });
      const token = lcaTokenPredict(batch, { alpha, beta: -alpha, depth: 1 });
      for (let n = 0; n < batch.prompts; n++) {
        // Both are sums of (L + 1) d products of |alpha x_q x_i y_i| / L terms.
        let scale = 0;
        for (let i = 0; i < context; i++) {
          let xx = 0;
          for (let a = 0; a < d; a++) {
            xx += Math.abs(batch.query[n * d + a] * batch.x[(n * context + i) * d + a]);
          }
          scale += Math.abs(alpha * batch.y[n * context + i]) * xx / context;
        }
        const bound = summationErrorBound(4 * (context + 1) * d, scale) + Number.MIN_VALUE;
        const error = Math.max(Math.abs(closed[n] - lsa[n]), Math.abs(token[n] - lsa[n]));
        identity.record(
          error / bound,
          `max |LCA_1 - LSA| / rounding bound = ${fmt(error / bound)}`,
        );
        expect(
          identityGauge.compare(error, 0, bound),
          () => `prompt ${n}: LCA ${closed[n]}, token ${token[n]}, LSA ${lsa[n]}`,
        );
      }
      const alphaOne = (controls.depthOneStep ?? ((law) => optimalDepthStep(law, 1)))(task.law);
      const population = Math.abs(alphaOne - gammaStar(task.law));
      expect(
        population <= 1e-12 * gammaStar(task.law),
        () => `alpha_1 != gamma* by ${population}`,
      );
    },
    {
      measured: () => identity.text,
      target: "LCA(T=1) = x_q^T (alpha I) mu_hat on every prompt; alpha_1 = gamma*",
      margin: "gamma_{4(L+1)d} times the sum of |terms| (float64 rounding)",
      numRuns: check.size === "quick" ? 30 : 150,
      gauge: identityGauge,
    },
  );
}

/**
 * (i) of the ablation part: at the LCA's weights W_V = -alpha_T the ablation tends to the zero
 * predictor: excess - E[s/(1+s)] = E[u^{2T} s(1+s)] - 2 E[u^T s], |u| <= rho(alpha_T).
 */
function expectAblationNearZeroPredictor(
  law: SpikeLaw,
  last: number,
  ablation: (law: SpikeLaw, beta: number, depth: number) => number,
  gauge: Gauge,
): void {
  const alphaLast = optimalDepthStep(law, last);
  const zero = zeroPredictorExcess(law);
  const atLcaWeights = ablation(law, -alphaLast, last);
  const rho = contractionRate(law, alphaLast);
  const rule = quadratureRule(law, defaultNodeCount(1));
  const tail = rho ** (2 * last) * expectation(rule, (s) => s * (1 + s)) +
    2 * rho ** last * expectation(rule, (s) => s);
  const rounding = summationErrorBound(defaultNodeCount(last) + 2 * last, zero + tail);
  expect(
    gauge.compare(Math.abs(atLcaWeights - zero), 0, tail + rounding),
    () =>
      `T=${last}: ablation at W_V = -alpha_T has excess ${atLcaWeights}, not within ${tail} of the zero predictor's ${zero}`,
  );
}

/** The re-fitted ablation's best excess at each depth (or the controls' replacements). */
function refittedAblation(
  law: SpikeLaw,
  depths: readonly number[],
  controls: C8Controls,
): number[] {
  return depths.map((depth) =>
    controls.refitted
      ? controls.refitted(law, depth)
      : controls.ablation
      ? controls.ablation(law, -optimalDepthStep(law, depth), depth)
      : bestAblationExcess(law, depth)
  );
}

/** The ablation part: without S_t depth does not bring the excess to Bayes' (i) and (ii). */
async function ablationPart(check: ResolvedCheck, controls: C8Controls): Promise<ClaimPart> {
  const quick = check.size === "quick";
  const ablation = controls.ablation ?? ablationExcess;
  const depths = controls.depths ?? (quick ? [10, 40, 160, 640] : [10, 40, 160, 640, 1280]);
  const ablationWorst = new WorstCase();
  const ablationGauge = new Gauge(check, "ablation-does-not-reach-bayes", "at-most", {
    statistical: false,
  });
  check.progress("C8: the ablation without S_t against depth");
  return await propertyPart(
    check,
    C8.id,
    "ablation-does-not-reach-bayes",
    controls.ablationLaws ?? lawArbitrary,
    (law) => {
      const last = depths[depths.length - 1];
      const alphaLast = optimalDepthStep(law, last);
      expectAblationNearZeroPredictor(law, last, ablation, ablationGauge);
      // (ii) Re-fitted per depth it approaches its positive T -> infinity floor, while
      // LCA's excess at alpha_T falls below that floor.
      const floor = (controls.floor ?? ablationFloor)(law);
      const best = refittedAblation(law, depths, controls);
      // best(T) -> floor at rate O(1/T) ((1 - k x/T)^T = e^{-k x}(1 + O(k^2 x^2 / T))), from
      // above or below: the last depth must be closer than the first, and the LCA with
      // S_t must beat the re-fitted ablation at every depth.
      const first = Math.abs(best[0] - floor), final = Math.abs(best[best.length - 1] - floor);
      expect(
        final < first,
        () =>
          `re-fitted ablation not approaching its floor ${floor}: T=${depths[0]}: ${
            best[0]
          }, T=${last}: ${best[best.length - 1]}`,
      );
      depths.forEach((depth, i) => {
        const alphaT = optimalDepthStep(law, depth);
        const lcaAtDepth = lcaExcess(law, { alpha: alphaT, beta: -alphaT, depth });
        expect(
          lcaAtDepth < best[i],
          () => `T=${depth}: LCA ${lcaAtDepth} not below the ablation's ${best[i]}`,
        );
      });
      const lca = lcaExcess(law, { alpha: alphaLast, beta: -alphaLast, depth: last });
      ablationWorst.record(
        lca / floor,
        `T=${last}: re-fitted ablation ${fmt(best[best.length - 1])} -> floor ${fmt(floor)}; LCA ${
          fmt(lca)
        }`,
      );
      expect(
        floor > 0 && lca < floor,
        () => `LCA excess ${lca} not below the ablation floor ${floor}`,
      );
    },
    {
      measured: () => `closest: ${ablationWorst.text}`,
      target:
        `W_V = -alpha_T: excess -> E[s/(1+s)] (zero predictor); re-fitted: |excess - floor| ` +
        `decreasing over T in {${
          depths.join(", ")
        }}, floor = inf_k E[(e^{-k(1+s)} - 1/(1+s))^2 s(1+s)] > LCA's E_T`,
      margin: "|excess - E[s/(1+s)]| <= rho^{2T} E[s(1+s)] + 2 rho^T E[s] + rounding",
      numRuns: quick ? 10 : 30,
      gauge: ablationGauge,
    },
  );
}

/** Computes the C8 parts: the T = 1 identity, then the ablation against depth. */
async function c8Parts(
  check: ResolvedCheck,
  controls: C8Controls = {},
): Promise<ClaimPartsOutput> {
  return [await depthOnePart(check, controls), await ablationPart(check, controls)];
}

/**
 * C8 as a claim (group `paper`).
 *
 * @example Check C8 at quick size
 * ```ts
 * import assert from "node:assert/strict";
 * import { C8_CLAIM } from "./c8_depth_one_and_ablation.ts";
 * assert.equal(C8_CLAIM.id, "C8");
 * const result = await C8_CLAIM.check({ size: "quick", seed: 0 });
 * assert.equal(result.passed, true);
 * assert.deepEqual(result.parts.map((part) => part.name), [
 *   "depth-one-equals-lsa",
 *   "ablation-does-not-reach-bayes",
 * ]);
 * ```
 */
export const C8_CLAIM: Claim<C8Controls> = defineClaim<C8Controls>({
  ...C8,
  group: "paper",
  parts: c8Parts,
});

/** Runs the C8 check (see {@linkcode C8_CLAIM}). */
export function checkC8(
  options: CheckOptions & { controls?: C8Controls } = {},
): Promise<ClaimResult> {
  return C8_CLAIM.check(options);
}
