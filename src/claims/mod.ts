/**
 * The built-in claims one by one (C1-C10, each with its negative-control hooks),
 * and the machinery claims are built from: the runner of fast-check properties
 * as replayable parts, the Bonferroni multiplier and rounding bounds.
 *
 * @example Run one claim with a negative control
 * ```ts
 * import { C7_CLAIM } from "./mod.ts";
 * const result = await C7_CLAIM.check({ size: "quick", seed: 0 });
 * console.log(result.passed); // true
 * ```
 *
 * @module
 */

export { C1, C1_CLAIM, type C1Controls, checkC1 } from "./c1_lsa_gap.ts";
export { C2, C2_CLAIM, type C2Controls, checkC2 } from "./c2_bayes.ts";
export {
  C3,
  C3_CLAIM,
  type C3Controls,
  C4,
  C4_CLAIM,
  type C4Controls,
  checkC3,
  checkC4,
} from "./c3_c4_geometric.ts";
export { C5, C5_CLAIM, type C5Controls, checkC5 } from "./c5_one_parameter.ts";
export { C6, C6_CLAIM, type C6Controls, checkC6 } from "./c6_two_parameter.ts";
export { C7, C7_CLAIM, type C7Controls, checkC7 } from "./c7_support_only.ts";
export { C8, C8_CLAIM, type C8Controls, checkC8 } from "./c8_depth_one_and_ablation.ts";
export { C9, C9_CLAIM, type C9Controls, checkC9 } from "./c9_finite_context.ts";
export { C10, C10_CLAIM, type C10Controls, checkC10 } from "./c10_training_context.ts";
export {
  type AnyClaim,
  CLAIMS,
  claimsOfModule,
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
export {
  type CheckOptions,
  type CheckSize,
  type ClaimPart,
  type ClaimResult,
  ClaimViolation,
  expect,
  propertyPart,
  type PropertyReport,
  resolveCheck,
  type ResolvedCheck,
  WorstCase,
} from "./result.ts";
export {
  bonferroniZ,
  FAMILY_FALSE_ALARM,
  FLOAT64_UNIT_ROUNDOFF,
  normalQuantile,
  summationErrorBound,
} from "./statistics.ts";
