/**
 * C13 (beyond the paper): softmax cross-attention, what linearization gives up. Softmax
 * cross-attention (`model/softmax_models.ts`) replaces the LCA's linear attention by
 * A_t = sum_i x_i softmax_i(tau x_i^T q_t) with W_V = beta/tau. Two limits tie it to LCA:
 * - small tau: A_t = x_bar + tau (Sigma_hat - x_bar x_bar^T) q_t + O(tau^2), so `sca-centred`
 *   (A_t - x_bar) meets LCA on the centred covariance with a gap linear in tau, while `sca`
 *   keeps (beta/tau) x_bar and its gap grows like 1/tau;
 * - long context: given the task the covariates are Gaussian, the tilted mean
 *   E[x e^{tau x^T q}]/E[e^{tau x^T q}] is tau Sigma q, and the softmax average is a ratio
 *   estimator with O_p(L^{-1/2}) error, so E[(softmax CA - LCA)^2] ~ 1/L (checked on `sca`;
 *   `sca-centred`'s squared differences are too heavy-tailed at these sizes).
 * Measured, not checked: at finite L_te, trained sca and sca-centred against trained lca2 and
 * the optimal schedule of C12 (`training/softmax_study.ts`; docs/records/softmax-study.json,
 * `tools/softmax_study_record.ts`).
 *
 * Parts (`c13_limit_parts.ts`): `small-tau-centred`, `small-tau-uncentred`,
 * `long-context-rate`. On a float32 backend (WebGPU) `long-context-rate` takes its predictions
 * from the kernels `softmaxForward` and `lcaForward` with derived float32 bounds in its margin;
 * the small-tau parts (gaps below float32 resolution) and the finite-context study stay on the
 * host in float64.
 *
 * @module
 */

import type { ClaimPart } from "./claim_part.ts";
import type { ClaimResult } from "./claim_result.ts";
import { type C13LimitControls, longContextPart, smallTauPart } from "./c13_limit_parts.ts";
import type { CheckOptions, ResolvedCheck } from "./resolve_check.ts";
import { softmaxStudy, type SoftmaxStudyOptions } from "../training/softmax_study.ts";
import { type Claim, type ClaimPartsOutput, defineClaim } from "./define.ts";

/** Claim metadata. */
export const C13 = {
  id: "C13",
  title: "softmax cross-attention: what linearization gives up",
  theorem: "beyond the paper: softmax cross-attention",
  statement: "Softmax cross-attention (A_t = sum_i x_i softmax_i(tau x_i^T q_t), W_V = " +
    "beta/tau) meets LCA in two limits, on the same prompts: as tau -> 0 the centred variant " +
    "(A_t - x_bar) differs from LCA on the centred covariance Sigma_hat - x_bar x_bar^T by " +
    "O(tau) (log-slope 1) while the uncentred one differs by O(1/tau) (log-slope -1); at fixed " +
    "tau, on Gaussian covariates with a moderate tilt (spike laws with m_hi <= 4, tau = 0.5), " +
    "the mean squared difference between sca and LCA falls like 1/L (log-slope -1 over " +
    "L = 16..4096, with the 1/L^2 correction fitted). At finite L_te the trained softmax " +
    "models are measured against trained lca2 and the optimal schedule (docs/records/" +
    "softmax-study.json).",
} as const;

/**
 * The parts of C13, in order.
 *
 * @example Three checked parts
 * ```ts
 * import assert from "node:assert/strict";
 * import { C13_PARTS } from "./c13_softmax_attention.ts";
 * assert.deepEqual(C13_PARTS, ["small-tau-centred", "small-tau-uncentred", "long-context-rate"]);
 * ```
 */
export const C13_PARTS = [
  "small-tau-centred",
  "small-tau-uncentred",
  "long-context-rate",
] as const;

/** A part of C13. */
export type C13Part = typeof C13_PARTS[number];

/** C13 control hooks. */
export interface C13Controls extends C13LimitControls {
  /** Run only these parts (controls that target one part; default: every part). */
  only?: readonly C13Part[];
}

/**
 * The sizes of the finite-context measurement: at full size the record's whole table (5 L_te x
 * 4 T, N = 500, a budget of 1000 steps: at 200 some `sca` descents stopped at the cap), at quick
 * size a subset.
 */
export function studySizes(size: "quick" | "full", seed: number): SoftmaxStudyOptions {
  return size === "full"
    ? { contexts: [16, 32, 64, 128, 256], depths: [1, 2, 4, 8], prompts: 500, steps: 1000, seed }
    : { contexts: [16, 64], depths: [1, 4], prompts: 300, testPrompts: 1000, steps: 100, seed };
}

/** Computes the C13 parts (those selected by `controls.only`, in order) and the measurement. */
async function c13Parts(
  check: ResolvedCheck,
  controls: C13Controls = {},
): Promise<ClaimPartsOutput> {
  const selected = (part: C13Part) => controls.only === undefined || controls.only.includes(part);
  const parts: ClaimPart[] = [];
  if (selected("small-tau-centred")) parts.push(await smallTauPart(check, controls, true));
  if (selected("small-tau-uncentred")) parts.push(await smallTauPart(check, controls, false));
  if (selected("long-context-rate")) parts.push(await longContextPart(check, controls));
  if (controls.only !== undefined) return parts;
  const study = softmaxStudy({ ...studySizes(check.size, check.seed), onProgress: check.progress });
  if (check.backend.precision === "float64") return { parts, details: { finiteContext: study } };
  return { parts, details: { finiteContext: study, finiteContextPlacement: STUDY_ON_HOST } };
}

/**
 * Where the finite-context study runs on a float32 backend: on the host. `trainOnBackend` fits
 * the softmax models on the CPU in float64 whatever the backend (the backend's softmax trainer
 * is not on that path), so training through `check.train` would move only lca2 to the device and
 * compare models trained in different arithmetic; the study is measured, not checked.
 */
const STUDY_ON_HOST = "host (float64), whatever the backend: the softmax models train on the " +
  "CPU (trainOnBackend fits them there), so lca2 and the schedule stay beside them";

/**
 * C13 as a claim (group `beyond`).
 *
 * @example Check C13 at quick size
 * ```ts
 * import assert from "node:assert/strict";
 * import { C13_CLAIM } from "./c13_softmax_attention.ts";
 * assert.equal(C13_CLAIM.id, "C13");
 * const result = await C13_CLAIM.check({ size: "quick", seed: 0 });
 * assert.equal(result.passed, true);
 * assert.deepEqual(result.parts.map((part) => part.name), [
 *   "small-tau-centred",
 *   "small-tau-uncentred",
 *   "long-context-rate",
 * ]);
 * ```
 */
export const C13_CLAIM: Claim<C13Controls> = defineClaim<C13Controls>({
  ...C13,
  group: "beyond",
  parts: c13Parts,
});

/** Runs the C13 check (see {@linkcode C13_CLAIM}). */
export function checkC13(
  options: CheckOptions & { controls?: C13Controls } = {},
): Promise<ClaimResult> {
  return C13_CLAIM.check(options);
}
