/**
 * E2 (external anchor; Zhang, Frei & Bartlett 2024; Ahn et al. 2023): on the `regression`
 * family the in-context risk of the optimal single-layer LSA is
 * tr Lambda - tr(Lambda Gamma* Lambda) + sigma^2, which for Lambda = I is
 * d (d + 1 + sigma^2)/(L + d + 1 + sigma^2) + sigma^2.
 * - Monte Carlo: the risk of x_q^T Gamma* mu_hat on sampled prompts equals the formula,
 *   with the query integrated out given (context, w): r_n = (Gamma* mu_hat - w)^T Lambda
 *   (Gamma* mu_hat - w) + sigma^2 (an unbiased, lower-variance estimate);
 * - the fitted reduced LSA does not beat it on fresh prompts (paired);
 * - the isotropic closed form equals the general formula at Lambda = I (rounding).
 *
 * @module
 */

import type { Arbitrary } from "npm:fast-check@^4";
import { estimateMean } from "../model/risk.ts";
import {
  isotropicLsaRisk,
  regressionLsaGamma,
  regressionLsaRisk,
  regressionLsaRiskAt,
} from "../theory/regression_lsa.ts";
import {
  fitReducedWithErrors,
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
export const E2 = {
  id: "E2",
  title: "LSA optimal risk (ZFB 2024)",
  theorem: "Zhang, Frei & Bartlett 2024 (JMLR); Ahn et al. 2023 (NeurIPS)",
  statement: "The risk of the optimal single-layer LSA is tr Lambda - tr(Lambda Gamma* Lambda) + " +
    "sigma^2; for Lambda = I it is d (d + 1 + sigma^2)/(L + d + 1 + sigma^2) + sigma^2. Monte Carlo " +
    "agrees within margin.",
} as const;

/** A risk formula: (diagonal of Lambda, L, sigma) -> risk. */
export type RiskFormula = (covariance: number[], context: number, sigma: number) => number;

/** E2 control hooks. */
export interface E2Controls {
  /** Replaces the risk formula (negative control: a wrong formula). */
  formula?: RiskFormula;
  /** Adds this many margins to the formula's value in the Monte Carlo part (power control). */
  perturbation?: number;
  /** Replaces the settings arbitrary. */
  settings?: Arbitrary<RegressionSetting>;
  /** Replaces the number of Monte Carlo prompts. */
  prompts?: number;
}

/** The shared sizes and hooks of the E2 parts. */
interface E2Setup {
  quick: boolean;
  formula: RiskFormula;
  shift: number;
  settings: Arbitrary<RegressionSetting>;
  prompts: number;
  runs: number;
}

/** Resolves the E2 sizes and hooks from the check's size and the controls. */
function e2Setup(check: ResolvedCheck, controls: E2Controls): E2Setup {
  const quick = check.size === "quick";
  return {
    quick,
    formula: controls.formula ?? regressionLsaRisk,
    shift: controls.perturbation ?? 0,
    settings: controls.settings ?? regressionSettings(),
    prompts: controls.prompts ?? (quick ? 8000 : 40000),
    runs: quick ? 4 : 12,
  };
}

/** Monte Carlo: the risk of x_q^T Gamma* mu_hat on sampled prompts equals the formula. */
async function monteCarloRiskPart(check: ResolvedCheck, setup: E2Setup): Promise<ClaimPart> {
  const { formula, shift, settings, prompts, runs } = setup;
  const z = bonferroniZ(runs);
  const mc = new WorstCase();
  const mcGauge = new Gauge(check, "monte-carlo-risk", "equal");
  check.progress("E2: Monte Carlo risk at Gamma*");
  return await propertyPart(check, E2.id, "monte-carlo-risk", settings, async (setting) => {
    const stats = await sampleRegression(check, setting, prompts, 1);
    const d = stats.task.dim;
    const lambda = setting.covariance;
    const gamma = regressionLsaGamma(lambda, setting.context, setting.sigma);
    const risks = new Float64Array(stats.prompts);
    for (let n = 0; n < stats.prompts; n++) {
      let r = setting.sigma ** 2;
      for (let a = 0; a < d; a++) {
        let u = -stats.spike[n * d + a];
        for (let b = 0; b < d; b++) u += gamma[a * d + b] * stats.muHat[n * d + b];
        r += lambda[a] * u * u;
      }
      risks[n] = r;
    }
    const estimate = estimateMean(risks);
    const margin = z * estimate.standardError;
    const value = formula(lambda, setting.context, setting.sigma) + shift * margin;
    const ratio = Math.abs(estimate.mean - value) / margin;
    mc.record(ratio, `max |MC - formula|/margin = ${fmt(ratio)}`);
    expect(
      mcGauge.compare(estimate.mean, value, margin),
      () =>
        `Monte Carlo ${estimate.mean} ± ${estimate.standardError} vs formula ${value} ` +
        `(${JSON.stringify(setting)})`,
    );
  }, {
    gauge: mcGauge,
    measured: () => mc.text,
    target: "E[(Gamma* mu_hat - w)^T Lambda (Gamma* mu_hat - w)] + sigma^2 = formula",
    margin: `${fmt(z, 3)} SE (Bonferroni over ${runs}), ${prompts} prompts; ${samplingNote(check)}`,
    numRuns: runs,
  });
}

/** The least-squares LSA fitted on other prompts does not beat the optimum. */
async function fittedNotBelowPart(check: ResolvedCheck, setup: E2Setup): Promise<ClaimPart> {
  const { formula, settings, prompts, runs } = setup;
  const fitted = new WorstCase();
  // One-sided (the formula is a minimum) with a rounding margin: R(Gamma_hat) exceeds it by
  // the estimation excess ~ d^2/N R*, far above 1e-12 R*.
  const fittedGauge = new Gauge(check, "fitted-not-below", "at-least", { statistical: false });
  check.progress("E2: a fitted LSA does not beat the formula");
  return await propertyPart(check, E2.id, "fitted-not-below", settings, async (setting) => {
    const train = await sampleRegression(check, setting, prompts, 0);
    const fit = fitReducedWithErrors(train, train.queryLabel);
    // Exact risk of the fitted Gamma (closed form in Gamma) minus the formula's minimum:
    // non-negative for any Gamma if the formula is the minimum.
    const risk = regressionLsaRiskAt(
      setting.covariance,
      setting.context,
      setting.sigma,
      fit.gamma,
    );
    const minimum = formula(setting.covariance, setting.context, setting.sigma);
    const excess = risk - minimum;
    const scale = regressionLsaRisk(setting.covariance, setting.context, setting.sigma);
    fitted.record(-excess / scale, `min (R(Gamma_hat) - formula)/R* = ${fmt(excess / scale)}`);
    expect(
      fittedGauge.compare(risk, minimum, 1e-12 * scale),
      () => `fitted Gamma has risk ${excess} below the formula (${JSON.stringify(setting)})`,
    );
  }, {
    gauge: fittedGauge,
    measured: () => fitted.text,
    target: "R(Gamma_hat) >= formula for a Gamma_hat fitted on N prompts",
    margin: "1e-12 relative (float64 rounding of a d^2-term sum)",
    numRuns: runs,
  });
}

/** The isotropic closed form equals the general formula at Lambda = I (rounding). */
async function isotropicClosedFormPart(check: ResolvedCheck, setup: E2Setup): Promise<ClaimPart> {
  const { quick, formula } = setup;
  const iso = new WorstCase();
  const isoGauge = new Gauge(check, "isotropic-closed-form", "rounding");
  return await propertyPart(
    check,
    E2.id,
    "isotropic-closed-form",
    regressionSettings({ identity: true, dMax: 12, lMax: 10000 }),
    (setting) => {
      const d = setting.covariance.length;
      const general = formula(setting.covariance, setting.context, setting.sigma);
      const closed = isotropicLsaRisk(d, setting.context, setting.sigma);
      // The general form cancels: sum_j (1 - 1/m_j) + sigma^2 with m_j -> 1 as L grows, so its
      // rounding error is relative to the terms, not the result: 16 u (2 d + sigma^2 + R).
      const bound = 16 * (Number.EPSILON / 2) * (2 * d + setting.sigma ** 2 + closed);
      const err = Math.abs(general - closed);
      iso.record(err / bound, `max |general - closed|/bound = ${fmt(err / bound, 2)}`);
      expect(
        isoGauge.compare(err, 0, bound),
        () => `general ${general} vs closed form ${closed} (${JSON.stringify(setting)})`,
      );
    },
    {
      gauge: isoGauge,
      measured: () => iso.text,
      target:
        "tr Lambda - tr(Lambda Gamma* Lambda) + sigma^2 = d(d+1+sigma^2)/(L+d+1+sigma^2) + sigma^2 at Lambda = I",
      margin: "16 u (2d + sigma^2 + R): rounding of the cancelling sum of d terms of size ~1",
      numRuns: quick ? 100 : 500,
    },
  );
}

/** Computes the E2 parts: Monte Carlo risk, fitted not below, isotropic closed form. */
async function e2Parts(check: ResolvedCheck, controls: E2Controls = {}): Promise<ClaimPart[]> {
  const setup = e2Setup(check, controls);
  return [
    await monteCarloRiskPart(check, setup),
    await fittedNotBelowPart(check, setup),
    await isotropicClosedFormPart(check, setup),
  ];
}

/**
 * E2 as a claim (group `external`).
 *
 * @example Check E2 at quick size
 * ```ts
 * import assert from "node:assert/strict";
 * import { E2_CLAIM } from "./e2_lsa_risk.ts";
 * assert.equal(E2_CLAIM.id, "E2");
 * const result = await E2_CLAIM.check({ size: "quick", seed: 0 });
 * assert.equal(result.passed, true);
 * assert.deepEqual(result.parts.map((part) => part.name), [
 *   "monte-carlo-risk",
 *   "fitted-not-below",
 *   "isotropic-closed-form",
 * ]);
 * ```
 */
export const E2_CLAIM: Claim<E2Controls> = defineClaim<E2Controls>({
  ...E2,
  group: "external",
  parts: e2Parts,
});

/** Runs the E2 check (see {@linkcode E2_CLAIM}). */
export function checkE2(
  options: CheckOptions & { controls?: E2Controls } = {},
): Promise<ClaimResult> {
  return E2_CLAIM.check(options);
}
