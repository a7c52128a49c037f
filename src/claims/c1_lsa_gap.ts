/**
 * C1 (Theorem 4.1): single-layer LSA cannot reach the Bayes risk. The population
 * gap E[s/(1+s)] - E[s]^2/E[s(1+s)] is positive for every non-degenerate law and
 * zero for a point mass; trained LSA (reduced Gamma by least squares, full p, K by
 * gradient descent from several inits) and random LSA parameters never beat
 * R_Bayes + gap on fresh prompts beyond the Monte Carlo margin.
 *
 * @module
 */

import fc from "npm:fast-check@^4";
import type { Arbitrary } from "npm:fast-check@^4";
import type { SpikeLaw } from "../model/law.ts";
import { lsaGap, zeroPredictorExcess } from "../theory/population.ts";
import { defaultNodeCount } from "../theory/quadrature.ts";
import { bayesPredict, lsaPredict, lsaReducedPredict } from "../model/predictors.ts";
import { pairedExcess } from "../model/risk.ts";
import type { PromptStatistics } from "../model/statistics.ts";
import { lawArbitrary, pointLawArbitrary, taskArbitrary } from "./arbitraries.ts";
import {
  type CheckOptions,
  type ClaimResult,
  expect,
  fmt,
  propertyPart,
  type ResolvedCheck,
  WorstCase,
} from "./result.ts";
import { type Claim, type ClaimPartsOutput, defineClaim } from "./define.ts";
import { bonferroniZ, summationErrorBound } from "./statistics.ts";

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
  /** Replaces the trained-LSA predictor (e.g. with the Bayes predictor, which must be caught). */
  lsaPredictor?: (test: PromptStatistics) => Float64Array;
}

/** Computes the C1 parts. */
async function c1Parts(
  check: ResolvedCheck,
  controls: C1Controls = {},
): Promise<ClaimPartsOutput> {
  const quick = check.size === "quick";
  const parts = [];
  const nodes = defaultNodeCount(1);

  // 1. Positivity of the population gap beyond the float64 rounding bound.
  const positive = new WorstCase();
  check.progress("C1: population gap positive for non-degenerate laws");
  parts.push(
    await propertyPart(check, C1.id, "gap-positive", controls.gapLaws ?? lawArbitrary, (law) => {
      const gap = lsaGap(law);
      const rounding = 4 * summationErrorBound(nodes, zeroPredictorExcess(law));
      positive.record(-gap / rounding, `min gap/rounding bound = ${fmt(gap / rounding)}`);
      expect(gap > rounding, () => `gap ${gap} not above the rounding bound ${rounding}`);
    }, {
      measured: () => positive.text,
      target: "gap > 4 gamma_n E[s/(1+s)] (float64 rounding bound, n nodes)",
      margin: "rounding bound gamma_n = n u/(1 - n u)",
      numRuns: quick ? 60 : 300,
    }),
  );

  // 2. Zero for point masses.
  const zero = new WorstCase();
  parts.push(
    await propertyPart(check, C1.id, "gap-zero-point-mass", pointLawArbitrary, (law) => {
      const gap = lsaGap(law);
      const rounding = 4 * summationErrorBound(1, zeroPredictorExcess(law)) + Number.MIN_VALUE;
      zero.record(gap / rounding, `max |gap| = ${fmt(gap)}`);
      expect(Math.abs(gap) <= rounding, () => `point-mass gap ${gap} exceeds ${rounding}`);
    }, {
      measured: () => zero.text,
      target: "|gap| <= rounding bound",
      margin: "float64 rounding bound",
      numRuns: quick ? 20 : 100,
    }),
  );

  // 3. Trained LSA never beats R_Bayes + gap on fresh prompts (L_te = infinity).
  const trainedRuns = quick ? 3 : 12;
  const zTrained = bonferroniZ(trainedRuns * 2);
  const trained = new WorstCase();
  const prompts = quick ? 1500 : 4000;
  check.progress("C1: trained LSA against R_Bayes + gap");
  parts.push(
    await propertyPart(
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
          steps: quick ? 300 : 1500,
          testPrompts: 10,
          lsaInits: 3,
        });
        const test = await check.sample({ ...task, prompts, context: Infinity, stream: 7 });
        const bayes = bayesPredict(test);
        const full = result.parameters.model === "lsa" ? result.parameters : undefined;
        const predictions = controls.lsaPredictor ? [controls.lsaPredictor(test)] : [
          lsaReducedPredict(test, full!.gamma),
          lsaPredict(test, {
            p: Float64Array.from(full!.full.p),
            k: Float64Array.from(full!.full.k),
          }),
        ];
        for (const prediction of predictions) {
          const excess = pairedExcess(prediction, bayes, test.queryLabel);
          const margin = zTrained * excess.standardError +
            summationErrorBound(prompts, Math.abs(excess.mean) * prompts);
          trained.record(
            (gap - excess.mean) / Math.max(margin, 1e-300),
            `excess ${fmt(excess.mean)} ± ${fmt(excess.standardError, 2)} vs gap ${fmt(gap)}`,
          );
          expect(
            excess.mean >= gap - margin,
            () => `LSA excess ${excess.mean} below gap ${gap} - margin ${margin}`,
          );
        }
      },
      {
        measured: () => `closest: ${trained.text}`,
        target: "excess over Bayes >= gap - margin",
        margin: `${fmt(zTrained, 3)} SE (5 SE, Bonferroni over ${trainedRuns * 2})`,
        numRuns: trainedRuns,
      },
    ),
  );

  // 4. Random LSA parameters never beat it either.
  const randomRuns = quick ? 20 : 100;
  const zRandom = bonferroniZ(randomRuns);
  const random = new WorstCase();
  parts.push(
    await propertyPart(
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
        });
      }),
      async ({ task, p, k }) => {
        const gap = lsaGap(task.law);
        const test = await check.sample({ ...task, prompts: 2000, context: Infinity, stream: 8 });
        const excess = pairedExcess(
          lsaPredict(test, { p: Float64Array.from(p), k: Float64Array.from(k) }),
          bayesPredict(test),
          test.queryLabel,
        );
        const margin = zRandom * excess.standardError;
        random.record(
          (gap - excess.mean) / Math.max(margin, 1e-300),
          `excess ${fmt(excess.mean)} vs gap ${fmt(gap)}`,
        );
        expect(
          excess.mean >= gap - margin,
          () => `random LSA excess ${excess.mean} < gap ${gap} - ${margin}`,
        );
      },
      {
        measured: () => `closest: ${random.text}`,
        target: "excess over Bayes >= gap - margin",
        margin: `${fmt(zRandom, 3)} SE (Bonferroni over ${randomRuns})`,
        numRuns: randomRuns,
      },
    ),
  );
  return parts;
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
 * import { C1_CLAIM } from "./c1_lsa_gap.ts";
 * console.log(C1_CLAIM.id, C1_CLAIM.statement);
 * const result = await C1_CLAIM.check({ size: "quick", seed: 0 });
 * console.log(result.passed, result.parts.map((part) => part.name));
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
