/**
 * C2: the Bayes-risk formula, the LSA-gap formula and the LCA excess E_T agree
 * with Monte Carlo on sampled prompts (exact task statistics, fresh queries).
 *
 * @module
 */

import type { SpikeLaw } from "../model/law.ts";
import { alphaStar, bayesRisk } from "../theory/population.ts";
import { gammaStar, lsaGap } from "../theory/gamma_star.ts";
import { lcaExcess } from "../theory/lca_excess.ts";
import { bayesPredict } from "../model/predictors.ts";
import { pairedExcess, squaredRisk } from "../model/risk.ts";
import fc from "npm:fast-check@^4";
import { lawArbitrary, pointLawArbitrary, taskArbitrary } from "./law_arbitraries.ts";
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
export const C2 = {
  id: "C2",
  title: "Bayes formulas",
  theorem: "Model setup (Bayes predictor)",
  statement: "R_Bayes = sigma^2 + E[1/(1+s)], the LSA gap and E_T(alpha) agree with Monte Carlo.",
} as const;

/** Negative-control hooks of the C2 checker. */
export interface C2Controls {
  /** Replaces the Bayes-risk formula under test. */
  bayesRiskFormula?: (law: SpikeLaw, sigma: number) => number;
}

/** gamma I at the task's dimension d = d1 + d2 (row-major). */
function scaledIdentity(task: { d1: number; d2: number }, gamma: number): Float64Array {
  const d = task.d1 + task.d2;
  const identity = new Float64Array(d * d);
  for (let j = 0; j < d; j++) identity[j * d + j] = gamma;
  return identity;
}

/** Computes the C2 parts. */
async function c2Parts(
  check: ResolvedCheck,
  controls: C2Controls = {},
): Promise<ClaimPartsOutput> {
  const quick = check.size === "quick";
  const formula = controls.bayesRiskFormula ?? bayesRisk;
  const runs = quick ? 8 : 40;
  const prompts = quick ? 4000 : 20000;
  const z = bonferroniZ(runs * 3);
  const worst = { bayes: new WorstCase(), gap: new WorstCase(), lca: new WorstCase() };
  const gauge = new Gauge(check, "formulas-vs-monte-carlo", "equal");
  check.progress("C2: formulas against Monte Carlo");
  const part = await propertyPart(
    check,
    C2.id,
    "formulas-vs-monte-carlo",
    fc.record({
      task: taskArbitrary(
        fc.oneof({ weight: 4, arbitrary: lawArbitrary }, {
          weight: 1,
          arbitrary: pointLawArbitrary,
        }),
      ),
      depth: fc.integer({ min: 1, max: 10 }),
    }),
    async ({ task, depth }) => {
      const test = await check.sample({ ...task, prompts, context: Infinity, stream: 3 });
      const bayes = bayesPredict(test);
      const compare = (
        name: keyof typeof worst,
        estimate: { mean: number; standardError: number },
        value: number,
        evaluated?: Evaluated,
      ) => {
        // float32 kernels: the derived bound of their rounding (0 on the float64 host)
        const float32 = evaluated
          ? excessRoundingTerm(evaluated.predictions, test.queryLabel, evaluated.bound)
          : 0;
        const margin = z * estimate.standardError +
          summationErrorBound(prompts, Math.abs(estimate.mean) * prompts) + 1e-15 + float32;
        const deviation = Math.abs(estimate.mean - value);
        worst[name].record(
          deviation / margin,
          `|MC - formula| / margin = ${fmt(deviation / margin)}`,
        );
        expect(
          gauge.compare(estimate.mean, value, margin),
          () => `${name}: Monte Carlo ${estimate.mean} vs formula ${value}, margin ${margin}`,
        );
      };
      compare("bayes", squaredRisk(bayes, test.queryLabel), formula(task.law, task.sigma));
      const lsa = await check.evaluate.lsaReduced(test, scaledIdentity(task, gammaStar(task.law)));
      compare(
        "gap",
        pairedExcess(lsa.predictions, bayes, test.queryLabel),
        lsaGap(task.law),
        lsa,
      );
      const a = alphaStar(task.law);
      const lca = await check.evaluate.lca(test, { alpha: a, beta: -a, depth });
      compare(
        "lca",
        pairedExcess(lca.predictions, bayes, test.queryLabel),
        lcaExcess(task.law, { alpha: a, beta: -a, depth }),
        lca,
      );
    },
    {
      measured: () =>
        `worst: Bayes ${worst.bayes.text}; gap ${worst.gap.text}; E_T ${worst.lca.text}`,
      target: "|Monte Carlo - formula| <= margin (two-sided, for R_Bayes, the gap and E_T)",
      margin: `${fmt(z, 3)} SE (5 SE, Bonferroni over ${runs * 3}) + rounding` +
        float32MarginNote(check.evaluate, "the gap's and E_T's predictors"),
      numRuns: runs,
      gauge,
    },
  );
  return [part];
}

/**
 * C2 as a claim (group `paper`).
 *
 * @example Check C2 at quick size
 * ```ts
 * import assert from "node:assert/strict";
 * import { C2_CLAIM } from "./c2_bayes.ts";
 * assert.equal(C2_CLAIM.id, "C2");
 * const result = await C2_CLAIM.check({ size: "quick", seed: 0 });
 * assert.equal(result.passed, true);
 * assert.deepEqual(result.parts.map((part) => part.name), ["formulas-vs-monte-carlo"]);
 * ```
 */
export const C2_CLAIM: Claim<C2Controls> = defineClaim<C2Controls>({
  ...C2,
  group: "paper",
  parts: c2Parts,
});

/** Runs the C2 check (see {@linkcode C2_CLAIM}). */
export function checkC2(
  options: CheckOptions & { controls?: C2Controls } = {},
): Promise<ClaimResult> {
  return C2_CLAIM.check(options);
}
