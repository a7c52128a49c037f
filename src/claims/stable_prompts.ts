/**
 * The prompts of a batch on which LCA at step alpha contracts: every eigenvalue
 * lambda_j of Sigma_hat has |1 - alpha lambda_j| <= 0.9, so LCA_T equals OLS up
 * to 0.9^T (C9's `tends-to-ols-not-bayes`).
 *
 * @module
 */

import { type PromptStatistics, spectralStatistics } from "../model/prompt_statistics.ts";

/** The prompts of `stats` whose `keep` entry is true, in order (every per-prompt field). */
function selectPrompts(stats: PromptStatistics, keep: boolean[]): PromptStatistics {
  const d = stats.task.dim;
  const index = keep.flatMap((k, i) => (k ? [i] : []));
  const pick = (a: Float64Array, width: number) => {
    const out = new Float64Array(index.length * width);
    index.forEach((n, i) => out.set(a.subarray(n * width, (n + 1) * width), i * width));
    return out;
  };
  return {
    ...stats,
    prompts: index.length,
    strength: pick(stats.strength, 1),
    spike: pick(stats.spike, d),
    sigmaHat: pick(stats.sigmaHat, d * d),
    muHat: pick(stats.muHat, d),
    meanY: pick(stats.meanY, 1),
    meanY2: pick(stats.meanY2, 1),
    query: pick(stats.query, d),
    queryLabel: pick(stats.queryLabel, 1),
  };
}

/**
 * The prompts of `stats` that are stable at step `alpha`: max_j |1 - alpha lambda_j| <= 0.9
 * over the eigenvalues lambda_j of each prompt's Sigma_hat (in order, every per-prompt field).
 *
 * @example Keep the prompts on which LCA at step alpha* contracts
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePromptStatistics } from "../model/prompt_statistics.ts";
 * import { alphaStar } from "../theory/population.ts";
 * import { stablePrompts } from "./stable_prompts.ts";
 * const stats = samplePromptStatistics({ prompts: 50, context: 12, seed: 1 });
 * const stable = stablePrompts(stats, alphaStar(stats.task.law));
 * assert.ok(stable.prompts > 0 && stable.prompts < stats.prompts);
 * assert.equal(stable.queryLabel.length, stable.prompts);
 * ```
 */
export function stablePrompts(stats: PromptStatistics, alpha: number): PromptStatistics {
  const d = stats.task.dim;
  const spectral = spectralStatistics(stats);
  const stable = Array.from({ length: stats.prompts }, (_, n) => {
    let worst = 0;
    for (let j = 0; j < d; j++) {
      worst = Math.max(worst, Math.abs(1 - alpha * spectral.lambda[n * d + j]));
    }
    return worst <= 0.9;
  });
  return selectPrompts(stats, stable);
}
