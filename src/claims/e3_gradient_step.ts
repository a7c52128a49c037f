/**
 * E3 (external anchor; von Oswald et al. 2023, ICML, "Transformers learn in-context by
 * gradient descent"): with Lambda = I the trained single-layer LSA is one step of gradient
 * descent from w = 0 on the in-context least squares (1/(2L)) sum_i (y_i - w^T x_i)^2, with
 * step eta* = L/(L + d + 1 + sigma^2): its predictions are x_q^T eta* mu_hat.
 * - the literal gradient step computed from the tokens equals x_q^T eta mu_hat (rounding);
 * - the trained LSA matrix equals eta* I: the isotropic part tr(Gamma_hat)/d and every entry
 *   within sandwich standard errors;
 * - the trained LSA's test predictions match the gradient step's: the paired risk
 *   difference is within its standard error.
 *
 * @module
 */

import type { Arbitrary } from "npm:fast-check@^4";
import { samplePromptBatch } from "../model/task.ts";
import { statisticsFromBatch } from "../model/prompt_statistics.ts";
import { lsaReducedPredict } from "../model/predictors.ts";
import { pairedExcess } from "../model/risk.ts";
import { gradientStepSize, oneStepGradientPredict } from "../theory/regression_lsa.ts";
import {
  fitReducedWithErrors,
  FITTED_GAMMA_MIN_CONTEXT,
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
import { bonferroniZ, summationErrorBound } from "./margins.ts";
import { excessRoundingTerm } from "./float32_forward_bound.ts";
import { float32MarginNote } from "./model_evaluation.ts";

/** Claim metadata. */
export const E3 = {
  id: "E3",
  title: "LSA = one GD step (von Oswald 2023)",
  theorem: "von Oswald et al. 2023 (ICML), with the optimal step",
  statement: "With Lambda = I the trained single-layer LSA is one gradient step from w = 0 on " +
    "the in-context least squares with step eta* = L/(L + d + 1 + sigma^2): its predictions match " +
    "x_q^T eta* mu_hat within margin.",
} as const;

/** A step formula: (d, L, sigma) -> eta. */
export type StepFormula = (dim: number, context: number, sigma: number) => number;

/** E3 control hooks. */
export interface E3Controls {
  /** Replaces eta* (negative control: a wrong formula). */
  formula?: StepFormula;
  /** Adds this many margins to eta* in the isotropic-part comparison (power control). */
  perturbation?: number;
  /** Replaces the settings arbitrary. */
  settings?: Arbitrary<RegressionSetting>;
  /** Moves the closed form x_q^T eta mu_hat by this many rounding bounds (power control of (a)). */
  identityShift?: number;
  /**
   * Replaces the fitted Gamma_hat (given it and its sandwich SEs) before every comparison,
   * e.g. an off-diagonal entry moved by 3 margins: a power control of the entry check.
   */
  fitted?: (gamma: Float64Array, standardError: Float64Array, z: number) => Float64Array;
  /** Replaces the number of training prompts. */
  prompts?: number;
}

/** The shared sizes and hooks of the E3 parts. */
interface E3Setup {
  quick: boolean;
  formula: StepFormula;
  shift: number;
  settings: Arbitrary<RegressionSetting>;
  fittedSettings: Arbitrary<RegressionSetting>;
  prompts: number;
  runs: number;
}

/** Resolves the E3 sizes and hooks from the check's size and the controls. */
function e3Setup(check: ResolvedCheck, controls: E3Controls): E3Setup {
  const quick = check.size === "quick";
  return {
    quick,
    formula: controls.formula ?? gradientStepSize,
    shift: controls.perturbation ?? 0,
    settings: controls.settings ?? regressionSettings({ identity: true }),
    // The fitted-Gamma z-tests need L >= FITTED_GAMMA_MIN_CONTEXT (normal tails; see there).
    fittedSettings: controls.settings ??
      regressionSettings({ identity: true, lMin: FITTED_GAMMA_MIN_CONTEXT }),
    prompts: controls.prompts ?? (quick ? 4000 : 20000),
    runs: quick ? 3 : 10,
  };
}

/** (a) The gradient step from the tokens is x_q^T eta mu_hat. */
async function gradientStepIdentityPart(
  check: ResolvedCheck,
  controls: E3Controls,
  setup: E3Setup,
): Promise<ClaimPart> {
  const { quick, formula, settings } = setup;
  const rounding = new WorstCase();
  const identityGauge = new Gauge(check, "gradient-step-identity", "rounding");
  return await propertyPart(check, E3.id, "gradient-step-identity", settings, (setting) => {
    const batch = samplePromptBatch({
      family: "regression",
      covariance: setting.covariance,
      sigma: setting.sigma,
      context: setting.context,
      seed: setting.seed,
      prompts: 20,
    });
    const d = batch.task.dim;
    const eta = formula(d, setting.context, setting.sigma);
    const step = oneStepGradientPredict(batch, eta);
    const stats = statisticsFromBatch(batch);
    const gamma = new Float64Array(d * d);
    for (let j = 0; j < d; j++) gamma[j * d + j] = eta;
    const closed = lsaReducedPredict(stats, gamma);
    for (let n = 0; n < batch.prompts; n++) {
      let abs = 0;
      for (let i = 0; i < setting.context; i++) {
        for (let a = 0; a < d; a++) {
          abs += Math.abs(
            eta * batch.y[n * setting.context + i] * batch.x[(n * setting.context + i) * d + a] *
              batch.query[n * d + a],
          ) / setting.context;
        }
      }
      // Both sides sum the same L d products in different orders: twice the bound of one.
      const bound = 2 * summationErrorBound(4 * setting.context * d, abs);
      const err = Math.abs(step[n] - (closed[n] + (controls.identityShift ?? 0) * bound));
      rounding.record(
        err / bound,
        `max |step - x_q^T eta mu_hat|/bound = ${fmt(err / bound, 2)}`,
      );
      expect(
        identityGauge.compare(err, 0, bound),
        () => `prompt ${n}: ${step[n]} vs ${closed[n]} (bound ${bound})`,
      );
    }
  }, {
    gauge: identityGauge,
    measured: () => rounding.text,
    target: "w_1 = w_0 - eta grad (1/2L) sum (y_i - w^T x_i)^2 at w_0 = 0 gives x_q^T eta mu_hat",
    margin: "2 gamma_{4Ld} sum|terms| (Higham 3.5)",
    numRuns: quick ? 20 : 100,
  });
}

/**
 * The fitted Gamma_hat is eta* I (the goal moved by `shift` margins): the isotropic part
 * tr(Gamma_hat)/d, then every entry, within z sandwich SEs.
 */
function expectGammaIsStep(
  fit: { gamma: Float64Array; standardError: Float64Array },
  d: number,
  eta: number,
  by: { z: number; shift: number; worst: WorstCase; gauge: Gauge; setting: RegressionSetting },
): void {
  const { z, shift, worst, gauge, setting } = by;
  // Isotropic part: tr(Gamma_hat)/d; its SE from the diagonal entries' SEs (upper bound
  // by Cauchy-Schwarz: sd of a mean <= mean of the sds).
  let trace = 0, traceSe = 0;
  for (let j = 0; j < d; j++) {
    trace += fit.gamma[j * d + j] / d;
    traceSe += fit.standardError[j * d + j] / d;
  }
  const margin = z * traceSe;
  const goal = eta + shift * margin;
  const ratio = Math.abs(trace - goal) / margin;
  worst.record(ratio, `max |tr Gamma_hat/d - eta*|/margin = ${fmt(ratio)}`);
  expect(
    gauge.compare(trace, goal, margin),
    () => `tr Gamma_hat/d = ${trace} ± ${traceSe} vs eta* ${goal} (${JSON.stringify(setting)})`,
  );
  for (let i = 0; i < d * d; i++) {
    const target = i % (d + 1) === 0 ? goal : 0;
    const r = Math.abs(fit.gamma[i] - target) / (z * fit.standardError[i]);
    worst.record(r, `max |Gamma_hat - eta* I|/margin = ${fmt(r)}`);
    expect(
      gauge.compare(fit.gamma[i], target, z * fit.standardError[i]),
      () => `Gamma_hat entry ${i} = ${fit.gamma[i]} ± ${fit.standardError[i]} vs ${target}`,
    );
  }
}

/** (b) The trained matrix is eta* I, and (c) its predictions are the gradient step's. */
async function trainedIsGradientStepPart(
  check: ResolvedCheck,
  controls: E3Controls,
  setup: E3Setup,
): Promise<ClaimPart> {
  const { formula, shift, fittedSettings, prompts, runs } = setup;
  const z = bonferroniZ(runs * 17);
  const trained = new WorstCase();
  const predictions = new WorstCase();
  const trainedGauge = new Gauge(check, "trained-is-gradient-step", "equal");
  check.progress("E3: trained LSA vs eta* I");
  return await propertyPart(
    check,
    E3.id,
    "trained-is-gradient-step",
    fittedSettings,
    async (setting) => {
      const stats = await sampleRegression(check, setting, prompts, 0);
      const raw = fitReducedWithErrors(stats, stats.queryLabel);
      const fit = controls.fitted
        ? { ...raw, gamma: controls.fitted(raw.gamma, raw.standardError, z) }
        : raw;
      const d = stats.task.dim;
      const eta = formula(d, setting.context, setting.sigma);
      expectGammaIsStep(fit, d, eta, { z, shift, worst: trained, gauge: trainedGauge, setting });
      // (c) Predictions on fresh prompts: trained LSA vs the gradient step, paired.
      const test = await sampleRegression(check, setting, prompts, 1);
      const gammaStep = new Float64Array(d * d);
      for (let j = 0; j < d; j++) gammaStep[j * d + j] = eta;
      const ours = await check.evaluate.lsaReduced(test, fit.gamma);
      const step = await check.evaluate.lsaReduced(test, gammaStep);
      const diff = pairedExcess(ours.predictions, step.predictions, test.queryLabel);
      // float32 kernels: + the derived bounds of both predictors' rounding (0 on the host)
      const margin = z * diff.standardError +
        excessRoundingTerm(ours.predictions, test.queryLabel, ours.bound) +
        excessRoundingTerm(step.predictions, test.queryLabel, step.bound);
      const pr = Math.abs(diff.mean) / margin;
      predictions.record(pr, `max |paired risk difference|/margin = ${fmt(pr)}`);
      expect(
        trainedGauge.compare(diff.mean, 0, margin),
        () => `risk(trained) - risk(step) = ${diff.mean} ± ${diff.standardError}`,
      );
    },
    {
      gauge: trainedGauge,
      measured: () => `${trained.text}; ${predictions.text}`,
      target: "Gamma_hat = eta* I (trace and entries); paired test-risk difference to the step = 0",
      margin: `${fmt(z, 3)} sandwich / paired SE (Bonferroni over ${runs} runs x (d^2 + 1)); ` +
        samplingNote(check) + float32MarginNote(check.evaluate, "both LSAs"),
      numRuns: runs,
    },
  );
}

/** Computes the E3 parts: (a) the gradient-step identity, (b, c) the trained LSA is the step. */
async function e3Parts(check: ResolvedCheck, controls: E3Controls = {}): Promise<ClaimPart[]> {
  const setup = e3Setup(check, controls);
  return [
    await gradientStepIdentityPart(check, controls, setup),
    await trainedIsGradientStepPart(check, controls, setup),
  ];
}

/**
 * E3 as a claim (group `external`).
 *
 * @example Check E3 at quick size
 * ```ts
 * import assert from "node:assert/strict";
 * import { E3_CLAIM } from "./e3_gradient_step.ts";
 * assert.equal(E3_CLAIM.id, "E3");
 * const result = await E3_CLAIM.check({ size: "quick", seed: 0 });
 * assert.equal(result.passed, true);
 * assert.deepEqual(result.parts.map((part) => part.name), [
 *   "gradient-step-identity",
 *   "trained-is-gradient-step",
 * ]);
 * ```
 */
export const E3_CLAIM: Claim<E3Controls> = defineClaim<E3Controls>({
  ...E3,
  group: "external",
  parts: e3Parts,
});

/** Runs the E3 check (see {@linkcode E3_CLAIM}). */
export function checkE3(
  options: CheckOptions & { controls?: E3Controls } = {},
): Promise<ClaimResult> {
  return E3_CLAIM.check(options);
}
