/**
 * E1 (external anchor; Zhang, Frei & Bartlett 2024, JMLR; Ahn et al. 2023,
 * NeurIPS): on the `regression` family, the single-layer LSA minimising the in-context
 * risk with L context examples has Gamma* = ((1 + 1/L) Lambda + (tr Lambda + sigma^2)/L I)^{-1}.
 * Checked on the toolkit's own sampler, least-squares LSA fit and full-LSA training:
 * - the Wishart moment E[mu_hat mu_hat^T] = Lambda M behind the formula (Monte Carlo);
 * - reduced LSA fitted to the noisy labels converges to Gamma* (sandwich SE);
 * - full LSA (p, K) trained by Levenberg-Marquardt: its effective Gamma p_{d+1} K_{1:d}
 *   converges to Gamma* within the same standard errors.
 *
 * @module
 */

import type { Arbitrary } from "npm:fast-check@^4";
import { regressionLsaGamma } from "../theory/regression_lsa.ts";
import { train } from "../training/training.ts";
import {
  fitReducedWithErrors,
  FITTED_GAMMA_MIN_CONTEXT,
  fullLsaGammaWithErrors,
  type RegressionSetting,
  regressionSettings,
  sampleRegression,
  samplingNote,
} from "./regression_fit.ts";
import type { ClaimPart } from "./claim_part.ts";
import type { ClaimResult } from "./claim_result.ts";
import { expect } from "./expect.ts";
import { fmt } from "./format_number.ts";
import { Gauge } from "./gauge.ts";
import { propertyPart } from "./property_part.ts";
import type { CheckOptions, ResolvedCheck } from "./resolve_check.ts";
import { WorstCase } from "./worst_case.ts";
import { type Claim, defineClaim } from "./define.ts";
import { bonferroniZ } from "./margins.ts";

/** Claim metadata. */
export const E1 = {
  id: "E1",
  title: "LSA optimum Gamma* (ZFB 2024)",
  theorem: "Zhang, Frei & Bartlett 2024 (JMLR); Ahn et al. 2023 (NeurIPS)",
  statement: "On x ~ N(0, Lambda), w ~ N(0, I), y = w^T x + eps, the single-layer LSA that " +
    "minimises the in-context risk has Gamma* = ((1 + 1/L) Lambda + (tr Lambda + sigma^2)/L I)^{-1}; " +
    "trained reduced and full LSA converge to it within their standard errors.",
} as const;

/** A Gamma* formula: (diagonal of Lambda, L, sigma) -> d x d row-major. */
export type GammaFormula = (covariance: number[], context: number, sigma: number) => Float64Array;

/** E1 control hooks. */
export interface E1Controls {
  /** Replaces the Gamma* formula (negative control: a wrong formula). */
  formula?: GammaFormula;
  /** Adds this many margins to Gamma*_{11} in the trained parts (power control). */
  perturbation?: number;
  /** Replaces the settings arbitrary. */
  settings?: Arbitrary<RegressionSetting>;
  /** Replaces the number of training prompts. */
  prompts?: number;
}

const formulaOf = (c: number[], L: number, s: number) => regressionLsaGamma(c, L, s);

/** Largest dimension of the settings (Bonferroni over runs x d^2 entries). */
const D_MAX = 4;

/** The shared sizes and hooks of the E1 parts. */
interface E1Setup {
  quick: boolean;
  formula: GammaFormula;
  shift: number;
  settings: Arbitrary<RegressionSetting>;
  fittedSettings: Arbitrary<RegressionSetting>;
  prompts: number;
  momentPrompts: number;
  runs: number;
}

/** Resolves the E1 sizes and hooks from the check's size and the controls. */
function e1Setup(check: ResolvedCheck, controls: E1Controls): E1Setup {
  const quick = check.size === "quick";
  return {
    quick,
    formula: controls.formula ?? formulaOf,
    shift: controls.perturbation ?? 0,
    settings: controls.settings ?? regressionSettings(),
    // The fitted-Gamma z-tests need L >= FITTED_GAMMA_MIN_CONTEXT (normal tails; see there).
    fittedSettings: controls.settings ?? regressionSettings({ lMin: FITTED_GAMMA_MIN_CONTEXT }),
    prompts: controls.prompts ?? (quick ? 4000 : 20000),
    momentPrompts: controls.prompts ?? (quick ? 20000 : 80000),
    runs: quick ? 3 : 10,
  };
}

/** (a) The Wishart moment behind the formula: E[mu_hat mu_hat^T] = Lambda M. */
async function wishartMomentPart(check: ResolvedCheck, setup: E1Setup): Promise<ClaimPart> {
  const { formula, settings, momentPrompts, runs } = setup;
  const zMoment = bonferroniZ(runs * D_MAX * D_MAX);
  const moment = new WorstCase();
  const momentGauge = new Gauge(check, "wishart-moment", "equal");
  check.progress("E1: the moment E[mu_hat mu_hat^T] by Monte Carlo");
  return await propertyPart(check, E1.id, "wishart-moment", settings, async (setting) => {
    const stats = await sampleRegression(check, setting, momentPrompts, 1);
    const d = stats.task.dim;
    const gamma = formula(setting.covariance, setting.context, setting.sigma);
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        let mean = 0, sq = 0;
        for (let n = 0; n < stats.prompts; n++) {
          const v = stats.muHat[n * d + a] * stats.muHat[n * d + b];
          mean += v;
          sq += v * v;
        }
        mean /= stats.prompts;
        const se = Math.sqrt(Math.max(sq / stats.prompts - mean * mean, 0) / (stats.prompts - 1));
        // Lambda M = Lambda Gamma*^{-1} (diagonal): the formula's own moment.
        const expected = a === b ? setting.covariance[a] / gamma[a * d + a] : 0;
        const ratio = Math.abs(mean - expected) / (zMoment * se);
        moment.record(ratio, `max |moment - Lambda M|/margin = ${fmt(ratio)}`);
        expect(
          momentGauge.compare(mean, expected, zMoment * se),
          () =>
            `E[mu mu^T]_${a}${b} = ${mean} ± ${se}, formula ${expected} (${
              JSON.stringify(setting)
            })`,
        );
      }
    }
  }, {
    gauge: momentGauge,
    measured: () => moment.text,
    target: "E[mu_hat mu_hat^T] = Lambda ((1 + 1/L) Lambda + (tr Lambda + sigma^2)/L I) entrywise",
    margin:
      `${fmt(zMoment, 3)} SE (Bonferroni over ${runs} runs x d^2 entries), ${momentPrompts} ` +
      "prompts; " +
      samplingNote(check),
    numRuns: runs,
  });
}

/** How a fitted Gamma is compared with Gamma* (`label` names the fit in messages). */
interface GammaComparison {
  z: number;
  shift: number;
  worst: WorstCase;
  label: string;
  setting: RegressionSetting;
  gauge: Gauge;
}

/** Compares every entry of a fitted Gamma with Gamma* (entry 0 moved by `shift` margins). */
function compareGamma(
  fitted: ArrayLike<number>,
  se: Float64Array,
  target: Float64Array,
  d: number,
  { z, shift, worst, label, setting, gauge }: GammaComparison,
): void {
  for (let i = 0; i < d * d; i++) {
    const margin = z * se[i];
    const goal = target[i] + (i === 0 ? shift * margin : 0);
    const ratio = Math.abs(fitted[i] - goal) / margin;
    worst.record(ratio, `max |Gamma_hat - Gamma*|/margin = ${fmt(ratio)}`);
    expect(
      gauge.compare(fitted[i], goal, margin),
      () =>
        `${label} Gamma_${Math.floor(i / d)}${i % d} = ${fitted[i]} ± ${se[i]} vs Gamma* ${goal} ` +
        `(${JSON.stringify(setting)})`,
    );
  }
}

/** (b) Reduced LSA fitted by least squares to the noisy labels. */
async function trainedReducedPart(check: ResolvedCheck, setup: E1Setup): Promise<ClaimPart> {
  const { formula, shift, fittedSettings, prompts, runs } = setup;
  const z = bonferroniZ(runs * D_MAX * D_MAX);
  const reduced = new WorstCase();
  const reducedGauge = new Gauge(check, "trained-reduced", "equal");
  check.progress("E1: reduced LSA fitted to noisy labels");
  return await propertyPart(check, E1.id, "trained-reduced", fittedSettings, async (setting) => {
    const stats = await sampleRegression(check, setting, prompts, 0);
    const fit = fitReducedWithErrors(stats, stats.queryLabel);
    const d = stats.task.dim;
    compareGamma(
      fit.gamma,
      fit.standardError,
      formula(setting.covariance, setting.context, setting.sigma),
      d,
      { z, shift, worst: reduced, label: "reduced", setting, gauge: reducedGauge },
    );
  }, {
    gauge: reducedGauge,
    measured: () => reduced.text,
    target: "Gamma_hat (least squares on N prompts, noisy labels) = Gamma* entrywise",
    margin: `${fmt(z, 3)} sandwich SE (Bonferroni over ${runs} runs x d^2 entries); ` +
      samplingNote(check),
    numRuns: runs,
  });
}

/** (c) Full LSA (p, K) trained by Levenberg-Marquardt: its effective Gamma p_{d+1} K_{1:d}. */
async function trainedFullPart(check: ResolvedCheck, setup: E1Setup): Promise<ClaimPart> {
  const { quick, formula, shift, fittedSettings, runs } = setup;
  const z = bonferroniZ(runs * D_MAX * D_MAX);
  const full = new WorstCase();
  const fullGauge = new Gauge(check, "trained-full", "equal");
  const fullRuns = quick ? 2 : 4;
  check.progress("E1: full LSA (p, K) trained by Levenberg-Marquardt");
  return await propertyPart(
    check,
    E1.id,
    "trained-full",
    fittedSettings,
    async (setting) => {
      const fullPrompts = quick ? 4000 : 8000;
      const stats = await sampleRegression(check, setting, fullPrompts, 0);
      const d = stats.task.dim;
      // Float64 training on the host (the same prompts: seed, stream 0).
      const trained = train({
        model: "lsa",
        family: "regression",
        covariance: setting.covariance,
        context: setting.context,
        sigma: setting.sigma,
        seed: setting.seed,
        prompts: fullPrompts,
        testPrompts: 2,
        steps: quick ? 1500 : 2500,
        lsaInits: 1,
      });
      if (trained.parameters.model !== "lsa") throw new Error("unreachable");
      const { p, k } = trained.parameters.full;
      // The effective Gamma of p^T G K x_q (the mu_hat x_q^T block): p_{d+1} K_{1:d}.
      const fit = fullLsaGammaWithErrors(stats, stats.queryLabel, p, k);
      compareGamma(
        fit.gamma,
        fit.standardError,
        formula(setting.covariance, setting.context, setting.sigma),
        d,
        { z, shift, worst: full, label: "full", setting, gauge: fullGauge },
      );
    },
    {
      gauge: fullGauge,
      measured: () => full.text,
      target: "full LSA's effective Gamma p_{d+1} K_{1:d} = Gamma* entrywise",
      margin: `${fmt(z, 3)} delta-method sandwich SE of p_{d+1} K_{1:d} (pseudo-inverse over ` +
        "the rescaling symmetry); trained on the host in float64",
      numRuns: fullRuns,
    },
  );
}

/** Computes the E1 parts: (a) the Wishart moment, (b) reduced LSA fitted, (c) full LSA trained. */
async function e1Parts(check: ResolvedCheck, controls: E1Controls = {}): Promise<ClaimPart[]> {
  const setup = e1Setup(check, controls);
  return [
    await wishartMomentPart(check, setup),
    await trainedReducedPart(check, setup),
    await trainedFullPart(check, setup),
  ];
}

/**
 * E1 as a claim (group `external`).
 *
 * @example Check E1 at quick size
 * ```ts
 * import assert from "node:assert/strict";
 * import { E1_CLAIM } from "./e1_lsa_optimum.ts";
 * assert.equal(E1_CLAIM.id, "E1");
 * const result = await E1_CLAIM.check({ size: "quick", seed: 0 });
 * assert.equal(result.passed, true);
 * assert.deepEqual(result.parts.map((part) => part.name), [
 *   "wishart-moment",
 *   "trained-reduced",
 *   "trained-full",
 * ]);
 * ```
 */
export const E1_CLAIM: Claim<E1Controls> = defineClaim<E1Controls>({
  ...E1,
  group: "external",
  parts: e1Parts,
});

/** Runs the E1 check (see {@linkcode E1_CLAIM}). */
export function checkE1(
  options: CheckOptions & { controls?: E1Controls } = {},
): Promise<ClaimResult> {
  return E1_CLAIM.check(options);
}
