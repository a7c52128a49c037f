/**
 * The built-in claims one by one (C1-C10 from the paper, C11-C13 beyond it, E1-E3 from
 * the prior work), each with its negative-control hooks, their registries
 * (`ALL_CLAIMS`, the default of `selectClaims` and `verifyClaims`, and the paper's
 * `CLAIMS`), and the machinery claims are built from: the runner of fast-check
 * properties as replayable parts, the Bonferroni multiplier and rounding bounds.
 *
 * @example Run one claim, then the same claim with a negative control
 * ```ts
 * import assert from "node:assert/strict";
 * import fc from "npm:fast-check@^4";
 * import { C7_CLAIM } from "./mod.ts";
 * const result = await C7_CLAIM.check({ size: "quick", seed: 0 });
 * assert.equal(result.passed, true);
 * // The control: the same law twice, so the shape does not change and gamma* cannot move.
 * const law = { kind: "uniform", low: 0.5, high: 4 } as const;
 * const pairs = fc.constant([law, law] as [typeof law, typeof law]);
 * const control = await C7_CLAIM.check({ size: "quick", seed: 0, controls: { pairs } });
 * assert.equal(control.passed, false);
 * ```
 *
 * @module
 */

export { C1_CLAIM, type C1Controls } from "./c1_lsa_gap.ts";
export { C2_CLAIM, type C2Controls } from "./c2_bayes.ts";
export { C3_CLAIM, type C3Controls, C4_CLAIM, type C4Controls } from "./c3_c4_geometric.ts";
export { C5_CLAIM, type C5Controls } from "./c5_one_parameter.ts";
export type { ModelSigns } from "./population_training.ts";
export { C6_CLAIM, type C6Controls } from "./c6_two_parameter.ts";
export { C7_CLAIM, type C7Controls } from "./c7_support_only.ts";
export { C8_CLAIM, type C8Controls } from "./c8_depth_one_and_ablation.ts";
export { C9_CLAIM, type C9Controls } from "./c9_finite_context.ts";
export { C10_CLAIM, type C10Controls } from "./c10_training_context.ts";
export { C11_CLAIM, type C11Controls } from "./c11_untied.ts";
export { C12_CLAIM, type C12Controls, type C12Part } from "./c12_depth_schedules.ts";
export type { ScheduleControls } from "./c12_schedule_parts.ts";
export { C13_CLAIM, C13_PARTS, type C13Controls, type C13Part } from "./c13_softmax_attention.ts";
export type { C13LimitControls } from "./c13_limit_parts.ts";
export type { UntiedLcaParameters } from "../model/models.ts";
export { E1_CLAIM, type E1Controls, type GammaFormula } from "./e1_lsa_optimum.ts";
export { E2_CLAIM, type E2Controls, type RiskFormula } from "./e2_lsa_risk.ts";
export { E3_CLAIM, type E3Controls, type StepFormula } from "./e3_gradient_step.ts";
export type { RegressionSetting } from "./regression_fit.ts";
export {
  ALL_CLAIMS,
  type AnyClaim,
  BEYOND_CLAIMS,
  CLAIMS,
  claimsOfModule,
  EXTERNAL_CLAIMS,
  loadClaimsModule,
  selectClaims,
  verifyClaims,
} from "./claims.ts";
export {
  type Claim,
  type ClaimDefinition,
  type ClaimPartsOutput,
  defineClaim,
  isClaim,
} from "./define.ts";
export type { CheckSize, ClaimPart, PartSense, PropertyReport } from "./claim_part.ts";
export type { ClaimResult } from "./claim_result.ts";
export { directPart } from "./direct_part.ts";
export { expect } from "./expect.ts";
export { Gauge } from "./gauge.ts";
export type { Perturbation } from "./perturbation_margins.ts";
export { propertyPart } from "./property_part.ts";
export { type CheckOptions, resolveCheck, type ResolvedCheck } from "./resolve_check.ts";
export type { Evaluated, ModelEvaluation } from "./model_evaluation.ts";
export { WorstCase } from "./worst_case.ts";
export {
  bonferroniZ,
  FAMILY_FALSE_ALARM,
  FLOAT64_UNIT_ROUNDOFF,
  normalQuantile,
  summationErrorBound,
} from "./margins.ts";
export type { Arbitrary, Random, Stream, Value } from "npm:fast-check@^4";
export type { TaskDraw } from "./law_arbitraries.ts";
