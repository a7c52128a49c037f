/**
 * Every part of the model that is reconstructed rather than confirmed by the
 * paper lives here, in one named place, so it can be changed when the exact
 * equations become known. The rest of the code calls these functions instead of
 * repeating the choices. See README.md, "Confirmed and reconstructed".
 *
 * @module
 */

/** A reconstructed modelling choice with a short description (printed by the README and CLI). */
export interface ReconstructedChoice {
  /** Stable identifier. */
  id: string;
  /** What was chosen. */
  choice: string;
  /** Why this choice (consistency with what the paper states). */
  reason: string;
}

/**
 * The list of reconstructed choices, in the order the README gives them.
 *
 * @example List the reconstructed modelling choices
 * ```ts
 * import assert from "node:assert/strict";
 * import { RECONSTRUCTED_CHOICES } from "./reconstructed.ts";
 * assert.deepEqual(RECONSTRUCTED_CHOICES.map((choice) => choice.id), [
 *   "spike-strength",
 *   "response-loading",
 *   "two-parameter-init",
 *   "query-state-readout",
 * ]);
 * ```
 */
export const RECONSTRUCTED_CHOICES: readonly ReconstructedChoice[] = [
  {
    id: "spike-strength",
    choice: "m_lo and m_hi bound the spike strength s = |m|^2 (not |m|)",
    reason: "reproduces alpha* = 2/(2 + m_lo + m_hi), the minimax Richardson step for " +
      "eigenvalues 1 + s in [1 + m_lo, 1 + m_hi]",
  },
  {
    id: "response-loading",
    choice: "y = h + eps: the response is a noisy view of the latent with unit loading",
    reason: "gives Cov(x, y) = m and the Bayes predictor w = m / (1 + s) the paper's limits imply",
  },
  {
    id: "two-parameter-init",
    choice: "alpha_0 = alpha*(beta_0) is the loss-minimising alpha for fixed beta_0 " +
      "(closed form: the prediction is linear in alpha); default beta_0 = -1/(1 + m_hi)",
    reason: "the paper states the rule alpha_0 = alpha*(beta_0) with beta_0 in (-2/(m+1), 0)",
  },
  {
    id: "query-state-readout",
    choice: "LCA keeps a query state q_t (q_0 = 0) and reads out y_hat = q_T^T mu_hat",
    reason: "with W_S = alpha, W_V = -alpha each layer is a Richardson step, which gives the " +
      "geometric rate and alpha* of the paper",
  },
];

/** Loading of the response on the latent factor: y = RESPONSE_LOADING * h + eps. */
export const RESPONSE_LOADING = 1;

/** Norm of the spike vector for a drawn spike strength s (reconstructed: s = |m|^2). */
export function spikeNormFromStrength(strength: number): number {
  return Math.sqrt(strength);
}

/**
 * The minimax Richardson step for eigenvalues 1 + s, s in [low, high]:
 * `alpha* = 2 / (2 + low + high)`.
 */
export function minimaxStep(low: number, high: number): number {
  return 2 / (2 + low + high);
}

/** The contraction rate at alpha*: `rho* = (high - low) / (2 + low + high)`. */
export function minimaxRate(low: number, high: number): number {
  return (high - low) / (2 + low + high);
}

/** Default beta_0 for two-parameter training: the middle of the stability range (-2/(1+high), 0). */
export function defaultBetaInit(high: number): number {
  return -1 / (1 + high);
}
